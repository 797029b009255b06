package document

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"unicode/utf8"

	"tinnhiem/internal/rules"
	"tinnhiem/internal/tally"
	"tinnhiem/internal/vote"
)

// xcell is a cell of an export: text, or a number (a count, or a percentage in the API form "53.19").
type xcell struct {
	text string
	num  bool // a count: written as a number
	pct  bool // a percentage: a number with two decimals; the CSV writes it with a decimal comma
	wrap bool // long text, wrapped in the XLSX
}

func txt(s string) xcell     { return xcell{text: NFC(s)} }
func long(s string) xcell    { return xcell{text: NFC(s), wrap: true} }
func count(n int) xcell      { return xcell{text: fmt.Sprint(n), num: true} }
func percent(p string) xcell { return xcell{text: p, pct: true} }

// export is the results as the CSV and XLSX write them: a title, the vote's figures (label, value),
// then the results table.
type export struct {
	title  string
	facts  [][2]xcell
	header []string
	rows   [][]xcell
}

func statusLabel(v vote.Vote) string {
	switch v.Status {
	case vote.Published:
		s := "Đã công bố"
		if v.ResolutionNumber != "" {
			s += " (Nghị quyết số " + v.ResolutionNumber + ")"
		}
		return s
	case vote.Certified:
		return "Ban kiểm phiếu đã xác nhận, chưa công bố"
	}
	return "Dự thảo: Ban kiểm phiếu chưa xác nhận"
}

// exportOf gathers the export of a vote's results. Every column has a Vietnamese heading and every
// value is in words a secretary reads (bands, levels, flags), never an internal identifier.
func exportOf(d Data) export {
	v, t := d.Vote, d.Tally
	levels := v.Kind.Levels()
	dec := v.Kind.Decisive()
	e := export{title: "Kết quả " + d.procedure() + " - " + v.Title}
	fact := func(label string, value xcell) { e.facts = append(e.facts, [2]xcell{txt(label), value}) }
	fact("Hội đồng", txt(d.councilPhrase()+" "+d.termPhrase()))
	fact("Kỳ họp", txt(v.SessionName+", "+DateLong(v.VoteDate)))
	if d.Demo {
		fact("Ghi chú", txt("Dữ liệu minh họa, không có giá trị pháp lý"))
	}
	fact("Tình trạng", txt(statusLabel(v)))
	fact("Tổng số đại biểu", count(t.TotalDelegates))
	fact("Số phiếu phát ra", count(t.BallotsIssued))
	fact("Số phiếu thu vào", count(t.BallotsReceived))
	fact("Số phiếu hợp lệ", count(t.ValidBallots))
	fact("Số phiếu không hợp lệ", count(t.InvalidBallots))
	fact("Cơ sở tính tỷ lệ", long(d.baseSentence()))

	e.header = []string{"STT", "Họ và tên", "Chức vụ", "Số phiếu hợp lệ", "Phiếu không hợp lệ đối với người này"}
	for _, l := range levels {
		e.header = append(e.header, l.Label()+" (số phiếu)", l.Label()+" (%)")
	}
	e.header = append(e.header, "Mức (tỷ lệ \""+lowerFirst(dec.Label())+"\")", "Hệ quả", "Ghi chú",
		"Cơ sở tính khác", "\""+upperFirst(lowerFirst(dec.Label()))+"\" theo cơ sở khác (%)", "Mức theo cơ sở khác")
	for i, s := range t.Subjects {
		row := []xcell{count(i + 1), txt(s.FullName), long(positions(s.Positions)), count(s.Rated), count(s.Blank)}
		for _, l := range levels {
			row = append(row, count(s.Counts[l]), percent(s.Percentages[l]))
		}
		var notes []string
		for _, f := range s.Flags {
			notes = append(notes, FlagLabel(f))
		}
		row = append(row, txt(BandLabel(s.Band)), long(s.Consequence), long(strings.Join(notes, "; ")))
		if alt := tally.AlternativeOf(t, s); alt != nil {
			row = append(row, txt(upperFirst(baseOf(alt.Base, alt.BaseValue))), percent(alt.Percentages[dec]), txt(BandLabel(alt.Band)))
		} else {
			row = append(row, txt(""), txt(""), txt(""))
		}
		e.rows = append(e.rows, row)
	}
	return e
}

// Neutralise keeps a spreadsheet from reading a text cell as a formula (OWASP "CSV injection"): a
// cell that begins with =, +, -, @, a tab or a carriage return gets a leading apostrophe. Numbers the
// exports write are never negative, so no number is touched.
func Neutralise(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// csvText is a cell as the CSV writes it.
func (c xcell) csvText() string {
	switch {
	case c.pct:
		return PercentTable(c.text)
	case c.num:
		return c.text
	}
	return Neutralise(c.text)
}

// CSV exports the results as UTF-8 with a byte-order mark, so Excel opens Vietnamese correctly: the
// title, the vote's figures, an empty line, then the results table.
func CSV(d Data) []byte {
	e := exportOf(d)
	records := [][]string{{Neutralise(e.title)}}
	for _, f := range e.facts {
		records = append(records, []string{f[0].csvText(), f[1].csvText()})
	}
	records = append(records, []string{""})
	header := make([]string, len(e.header))
	for i, h := range e.header {
		header[i] = Neutralise(h)
	}
	records = append(records, header)
	for _, r := range e.rows {
		rec := make([]string, len(r))
		for i, c := range r {
			rec[i] = c.csvText()
		}
		records = append(records, rec)
	}
	var b bytes.Buffer
	b.WriteString("\ufeff")
	w := csv.NewWriter(&b)
	_ = w.WriteAll(records)
	return b.Bytes()
}

// XLSX styles (cellXfs): the order is fixed by xlsxStyles below.
const (
	xsDefault = 0
	xsPercent = 1
	xsHeader  = 2
	xsTitle   = 3
	xsLabel   = 4
	xsWrap    = 5
	xsNumber  = 6
	xsFact    = 7 // a figure at the top: a number, left-aligned in its merged cell
)

const xlsxStyles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
	`<fonts count="3"><font><sz val="12"/><name val="Times New Roman"/></font><font><b/><sz val="12"/><name val="Times New Roman"/></font><font><b/><sz val="14"/><name val="Times New Roman"/></font></fonts>` +
	`<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFD9E1F2"/><bgColor indexed="64"/></patternFill></fill></fills>` +
	`<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border><left style="thin"/><right style="thin"/><top style="thin"/><bottom style="thin"/><diagonal/></border></borders>` +
	`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
	`<cellXfs count="8">` +
	`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
	`<xf numFmtId="2" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="top"/></xf>` +
	`<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf>` +
	`<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>` +
	`<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>` +
	`<xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>` +
	`<xf numFmtId="1" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="top"/></xf>` +
	`<xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment horizontal="left" vertical="top" wrapText="1"/></xf>` +
	`</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`

// XLSX exports the results as a one-sheet workbook written by hand with archive/zip: the title and
// the vote's figures at the top, then the table with a bold, filled header row, frozen under its
// header and beside the names, columns as wide as their contents (long texts wrapped), counts as
// numbers and percentages as numbers with two decimals.
func XLSX(d Data) ([]byte, error) {
	e := exportOf(d)
	ncol := len(e.header)
	last := colName(ncol - 1)
	var sheet strings.Builder
	var merges []string
	headerRow := len(e.facts) + 3 // title, facts, an empty row
	sheet.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">`)
	fmt.Fprintf(&sheet, `<sheetViews><sheetView workbookViewId="0"><pane xSplit="2" ySplit="%d" topLeftCell="C%d" activePane="bottomRight" state="frozen"/><selection pane="bottomRight" activeCell="C%d" sqref="C%d"/></sheetView></sheetViews>`,
		headerRow, headerRow+1, headerRow+1, headerRow+1)
	sheet.WriteString(`<sheetFormatPr defaultRowHeight="15.75"/><cols>`)
	for i, w := range columnWidths(e) {
		fmt.Fprintf(&sheet, `<col min="%d" max="%d" width="%.1f" customWidth="1"/>`, i+1, i+1, w)
	}
	sheet.WriteString(`</cols><sheetData>`)
	cell := func(ref string, c xcell, style int) {
		switch {
		case c.pct && c.text != "":
			fmt.Fprintf(&sheet, `<c r="%s" s="%d"><v>%s</v></c>`, ref, xsPercent, c.text)
		case c.num:
			fmt.Fprintf(&sheet, `<c r="%s" s="%d"><v>%s</v></c>`, ref, style, c.text)
		default:
			fmt.Fprintf(&sheet, `<c r="%s" s="%d" t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>`, ref, style, xmlEscape(Neutralise(c.text)))
		}
	}
	fmt.Fprintf(&sheet, `<row r="1" ht="21" customHeight="1">`)
	cell("A1", txt(e.title), xsTitle)
	sheet.WriteString(`</row>`)
	widths := columnWidths(e)
	valueWidth := 0.0 // the facts' values are merged across the table's columns from C
	for _, w := range widths[2:] {
		valueWidth += w
	}
	for i, f := range e.facts {
		r := i + 2
		fmt.Fprintf(&sheet, `<row r="%d"%s>`, r, rowHeight(lines(f[1].text, valueWidth)))
		cell(fmt.Sprintf("A%d", r), f[0], xsLabel)
		cell(fmt.Sprintf("C%d", r), f[1], xsFact)
		sheet.WriteString(`</row>`)
		merges = append(merges, fmt.Sprintf("A%d:B%d", r, r), fmt.Sprintf("C%d:%s%d", r, last, r))
	}
	fmt.Fprintf(&sheet, `<row r="%d" ht="48" customHeight="1">`, headerRow)
	for c, h := range e.header {
		cell(fmt.Sprintf("%s%d", colName(c), headerRow), txt(h), xsHeader)
	}
	sheet.WriteString(`</row>`)
	for i, row := range e.rows {
		r := headerRow + 1 + i
		n := 1
		for c, x := range row {
			if x.wrap {
				n = max(n, lines(x.text, widths[c]))
			}
		}
		fmt.Fprintf(&sheet, `<row r="%d"%s>`, r, rowHeight(n))
		for c, x := range row {
			style := xsWrap
			if x.num {
				style = xsNumber
			}
			cell(fmt.Sprintf("%s%d", colName(c), r), x, style)
		}
		sheet.WriteString(`</row>`)
	}
	sheet.WriteString(`</sheetData>`)
	fmt.Fprintf(&sheet, `<mergeCells count="%d">`, len(merges))
	for _, m := range merges {
		fmt.Fprintf(&sheet, `<mergeCell ref="%s"/>`, m)
	}
	sheet.WriteString(`</mergeCells><pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/><pageSetup paperSize="9" orientation="landscape"/></worksheet>`)
	files := []packagePart{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Kết quả" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`},
		{"xl/styles.xml", xlsxStyles},
		{"xl/worksheets/sheet1.xml", sheet.String()},
	}
	return zipPackage(files, d.docDate())
}

// lines is about how many lines text takes in a column of width w (characters), wrapped at spaces.
func lines(text string, w float64) int {
	n, used := 1, 0
	for _, word := range strings.Fields(text) {
		l := utf8.RuneCountInString(word)
		switch {
		case used == 0:
			used = l
		case float64(used+1+l) <= w-1:
			used += 1 + l
		default:
			n++
			used = l
		}
	}
	return n
}

// rowHeight is the height attribute of a row of n lines of 12 pt text; spreadsheets do not grow a row
// for wrapped text in merged cells, nor always on opening a file.
func rowHeight(n int) string {
	if n <= 1 {
		return ""
	}
	return fmt.Sprintf(` ht="%.2f" customHeight="1"`, 15.75*float64(n))
}

// columnWidths fits each column to its heading and contents, in characters: a heading wraps on two or
// three lines, long texts wrap at 60 characters.
func columnWidths(e export) []float64 {
	out := make([]float64, len(e.header))
	for i, h := range e.header {
		w := 0
		for _, word := range strings.Fields(h) { // the longest word must fit
			w = max(w, utf8.RuneCountInString(word))
		}
		w = max(w, (utf8.RuneCountInString(h)+2)/3)
		for _, r := range e.rows {
			n := utf8.RuneCountInString(r[i].csvText())
			if r[i].wrap {
				n = min(n, 60)
			}
			w = max(w, n)
		}
		out[i] = float64(max(w, 6)) + 2
	}
	return out
}

func colName(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// LevelsOf lists a kind's levels (for callers building JSON exports).
func LevelsOf(k rules.Kind) []rules.Level { return k.Levels() }

package document

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"

	"codeberg.org/go-pdf/fpdf"

	"tinnhiem/internal/rules"
)

var fpdfPNG = fpdf.ImageOptions{ImageType: "PNG", ReadDpi: false}

// exportRows is the results table shared by the CSV and XLSX exports: a header and one row a subject.
func exportRows(d Data) [][]string {
	levels := d.Vote.Kind.Levels()
	header := []string{"STT", "Họ và tên", "Chức vụ", "Số phiếu hợp lệ", "Phiếu trống"}
	for _, l := range levels {
		header = append(header, l.Label()+" (số phiếu)", l.Label()+" (%)")
	}
	header = append(header, "Mức", "Hệ quả", "Ghi chú", "Cơ sở tính tỷ lệ")
	rows := [][]string{header}
	for i, s := range d.Tally.Subjects {
		row := []string{fmt.Sprint(i + 1), NFC(s.FullName), NFC(positions(s.Positions)), fmt.Sprint(s.Rated), fmt.Sprint(s.Blank)}
		for _, l := range levels {
			row = append(row, fmt.Sprint(s.Counts[l]), PercentTable(s.Percentages[l]))
		}
		row = append(row, string(s.Band), s.Consequence, bandNote(s), d.baseSentence())
		rows = append(rows, row)
	}
	return rows
}

// CSV exports the results as UTF-8 with a byte-order mark, so Excel opens Vietnamese correctly.
func CSV(d Data) []byte {
	var b bytes.Buffer
	b.WriteString("\ufeff")
	w := csv.NewWriter(&b)
	_ = w.WriteAll(exportRows(d))
	return b.Bytes()
}

// XLSX exports the results as a one-sheet workbook (written by hand with archive/zip; counts as
// numbers, percentages as numbers with two decimals).
func XLSX(d Data) ([]byte, error) {
	rows := exportRows(d)
	levels := len(d.Vote.Kind.Levels())
	numeric := map[int]bool{0: true, 3: true, 4: true}
	for i := 0; i < levels; i++ {
		numeric[5+2*i], numeric[6+2*i] = true, true
	}
	var sheet strings.Builder
	sheet.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	for r, row := range rows {
		fmt.Fprintf(&sheet, `<row r="%d">`, r+1)
		for c, v := range row {
			ref := colName(c) + fmt.Sprint(r+1)
			if r > 0 && numeric[c] {
				style := ""
				if c >= 6 && (c-6)%2 == 0 {
					style = ` s="1"`
				}
				fmt.Fprintf(&sheet, `<c r="%s"%s><v>%s</v></c>`, ref, style, strings.Replace(v, ",", ".", 1))
			} else {
				fmt.Fprintf(&sheet, `<c r="%s" t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>`, ref, xmlEscape(v))
			}
		}
		sheet.WriteString("</row>")
	}
	sheet.WriteString(`</sheetData></worksheet>`)
	files := []packagePart{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Kết quả" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`},
		{"xl/styles.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="12"/><name val="Times New Roman"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="2" applyNumberFormat="1"/></cellXfs></styleSheet>`},
		{"xl/worksheets/sheet1.xml", sheet.String()},
	}
	return zipPackage(files, d.docDate())
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

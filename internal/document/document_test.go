package document

import (
	"archive/zip"
	"bytes"
	"flag"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/image/font/sfnt"

	"tinnhiem/internal/rules"
	"tinnhiem/internal/vote"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// pdfText reads a PDF back with pdftotext (poppler-utils). Without the tool the test is skipped,
// except under CI=true.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is missing (apt-get install poppler-utils)")
		}
		t.Skip("pdftotext is missing: install poppler-utils")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "doc.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/document -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./internal/document -update to accept):\n%s", name, firstDiff(string(want), string(got)))
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return "line " + itoa(i+1) + ":\n- " + x + "\n+ " + y
		}
	}
	return ""
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

func docxXML(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip package: %v", err)
	}
	names := map[string]bool{}
	var doc string
	for _, f := range zr.File {
		names[f.Name] = true
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			x, _ := io.ReadAll(rc)
			rc.Close()
			doc = string(x)
		}
	}
	for _, need := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels", "word/styles.xml"} {
		if !names[need] {
			t.Fatalf("the package lacks %s", need)
		}
	}
	return doc
}

// TestDocumentsGolden renders each document of a vote with a subject in each band, a blank row and
// a zero count, and compares what the PDF says (read back by pdftotext) and the DOCX's XML with the
// golden files.
func TestDocumentsGolden(t *testing.T) {
	for _, status := range []vote.Status{vote.Closed, vote.Published} {
		d := sampleData(status)
		docs := map[string]Document{"minutes": Minutes(d), "resolution": Resolution(d), "ballot": Ballot(d, 0)}
		for name, doc := range docs {
			if name == "resolution" && status == vote.Published {
				doc.Fingerprint = ContentHash(doc)
			}
			p, err := PDF(doc)
			if err != nil {
				t.Fatal(err)
			}
			save(t, string(status)+"-"+name+".pdf", p)
			golden(t, string(status)+"-"+name+".pdf.txt", []byte(pdfText(t, p)))
			x, err := DOCX(doc)
			if err != nil {
				t.Fatal(err)
			}
			save(t, string(status)+"-"+name+".docx", x)
			golden(t, string(status)+"-"+name+".docx.xml", []byte(docxXML(t, x)))
		}
	}
}

// TestEveryPercentageMatchesTheTally: each percentage of the tally appears, with a decimal comma, in
// the minutes and the resolution, and nothing else that looks like a percentage does.
func TestEveryPercentageMatchesTheTally(t *testing.T) {
	for _, d := range []Data{sampleData(vote.Published), baseSensitiveData(t, rules.BaseTotalDelegates), baseSensitiveData(t, rules.BaseBallotsReceived)} {
		everyPercentageMatches(t, d)
	}
}

// everyPercentageMatches: the percentages of the tally (those of the other base included, for a
// base-sensitive subject) are the only ones printed, and each is printed.
func everyPercentageMatches(t *testing.T, d Data) {
	t.Helper()
	want := map[string]bool{}
	for _, s := range d.Tally.Subjects {
		for _, p := range s.Percentages {
			want[PercentTable(p)] = true
		}
		if s.Alternative != nil {
			for _, p := range s.Alternative.Percentages {
				want[PercentTable(p)] = true
			}
		}
	}
	pct := regexp.MustCompile(`\d+,\d\d`)
	for name, doc := range map[string]Document{"minutes": Minutes(d), "resolution": Resolution(d)} {
		p, _ := PDF(doc)
		text := pdfText(t, p)
		found := map[string]bool{}
		for _, m := range pct.FindAllString(text, -1) {
			found[m] = true
			if !want[m] {
				t.Errorf("%s prints %s, which is no percentage of the tally", name, m)
			}
		}
		for _, s := range d.Tally.Subjects {
			for l, p := range s.Percentages {
				form := PercentTable(p)
				if name == "resolution" && p == "0.00" {
					form = "(0%)"
				}
				if !strings.Contains(text, form) {
					t.Errorf("%s lacks %s's %s percentage %s", name, s.FullName, l, form)
				}
			}
		}
		if strings.Contains(text, ".") && regexp.MustCompile(`\d+\.\d\d%`).MatchString(text) {
			t.Errorf("%s prints a percentage with a decimal point", name)
		}
	}
}

// TestFontsCoverEveryLetterUsed checks each character of the documents against the bundled fonts.
func TestFontsCoverEveryLetterUsed(t *testing.T) {
	d := sampleData(vote.Published)
	var text strings.Builder
	for _, doc := range []Document{Minutes(d), Resolution(d), Ballot(d, 0)} {
		text.Write(HTML(doc))
	}
	// Every Vietnamese letter, too, not only those of the sample.
	text.WriteString("aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ")
	text.WriteString(Upper("aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ"))
	for _, file := range []string{"Regular", "Bold", "Italic", "BoldItalic"} {
		b, _ := fontFS.ReadFile("fonts/LiberationSerif-" + file + ".ttf")
		f, err := sfnt.Parse(b)
		if err != nil {
			t.Fatal(err)
		}
		var buf sfnt.Buffer
		for _, r := range NFC(text.String()) {
			if r < 32 || r == '\u00a0' {
				continue
			}
			if gi, err := f.GlyphIndex(&buf, r); err != nil || gi == 0 {
				t.Errorf("LiberationSerif-%s has no glyph for %q (U+%04X)", file, r, r)
			}
		}
	}
}

// TestRenderingIsDeterministic: the same data gives byte-identical files.
func TestRenderingIsDeterministic(t *testing.T) {
	d := sampleData(vote.Published)
	for i := 0; i < 3; i++ {
		a, _ := PDF(Resolution(d))
		b, _ := PDF(Resolution(sampleData(vote.Published)))
		if !bytes.Equal(a, b) {
			t.Fatal("two PDF renders differ")
		}
		x, _ := DOCX(Minutes(d))
		y, _ := DOCX(Minutes(sampleData(vote.Published)))
		if !bytes.Equal(x, y) {
			t.Fatal("two DOCX renders differ")
		}
		c1, _ := XLSX(d)
		c2, _ := XLSX(sampleData(vote.Published))
		if !bytes.Equal(c1, c2) || !bytes.Equal(CSV(d), CSV(sampleData(vote.Published))) {
			t.Fatal("exports differ")
		}
		for _, f := range []func(Data) Document{func(d Data) Document { return Ballot(d, 0) }, Minutes, Resolution,
			func(d Data) Document { return IssuanceList(d, []string{"Nguyễn Văn A", "Trần Thị B"}) }} {
			for _, render := range []func(Document) ([]byte, error){PDF, DOCX} {
				a, _ := render(f(d))
				b, _ := render(f(sampleData(vote.Published)))
				if !bytes.Equal(a, b) {
					t.Fatalf("two renders of %s differ", f(d).Name)
				}
			}
		}
	}
	if ContentHash(Resolution(d)) == ContentHash(Resolution(sampleData(vote.Closed))) {
		t.Fatal("the fingerprint does not depend on the content")
	}
}

func TestPDFRendersToImages(t *testing.T) {
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("pdftoppm is missing")
	}
	p, _ := PDF(Minutes(sampleData(vote.Closed)))
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "m.pdf"), p, 0o644)
	if out, err := exec.Command("pdftoppm", "-r", "30", "-png", filepath.Join(dir, "m.pdf"), filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "page*.png"))
	if len(pages) < 1 {
		t.Fatal("no page rendered")
	}
}

func TestExports(t *testing.T) {
	d := sampleData(vote.Published)
	c := CSV(d)
	if !bytes.HasPrefix(c, []byte("\xef\xbb\xbf")) || !strings.Contains(string(c), "Nguyễn Văn Thành") || !strings.Contains(string(c), "97,87") {
		t.Fatalf("CSV: %s", c)
	}
	x, err := XLSX(d)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(x), int64(len(x)))
	if err != nil || len(zr.File) != 6 {
		t.Fatalf("XLSX package: %v", err)
	}
	slips, err := Slips(SlipInfo{Council: "Hội đồng nhân dân tỉnh Sơn Hà", Title: "LPTN", Session: "Kỳ họp thứ 12", Date: d.docDate()},
		[]string{"0123-4567-89AB-CDEF-GHJK-MNPQ-RST", "7777-AAAA-BBBB-CCCC-DDDD-EEEE-FFF"})
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, slips)
	if !strings.Contains(text, "0123-4567-89AB-CDEF-GHJK-MNPQ-RST") || !strings.Contains(text, "HỘI ĐỒNG NHÂN DÂN TỈNH SƠN HÀ") {
		t.Fatalf("slips: %s", text)
	}
}

// TestLongTablesRepeatTheirHeaderAndNumberPages: a National-Assembly-sized resolution runs over
// several pages; each page from the second is numbered, and the table header is printed again.
func TestLongTablesRepeatTheirHeaderAndNumberPages(t *testing.T) {
	d := sampleData(vote.Closed)
	base := d.Tally.Subjects
	for len(d.Tally.Subjects) < 48 {
		d.Tally.Subjects = append(d.Tally.Subjects, base...)
	}
	p, err := PDF(Resolution(d))
	if err != nil {
		t.Fatal(err)
	}
	pages := strings.Split(pdfText(t, p), "\f")
	if len(pages) < 4 {
		t.Fatalf("only %d pages", len(pages))
	}
	for i, page := range pages[1 : len(pages)-1] {
		lines := strings.Fields(page)
		if len(lines) == 0 || lines[0] != itoa(i+2) {
			t.Errorf("page %d does not start with its number: %.40q", i+2, page)
		}
		if regexp.MustCompile(`\d+ phiếu\n\(`).MatchString(page) && !strings.Contains(page, "Họ và tên") {
			t.Errorf("page %d has table rows but not the repeated table header", i+2)
		}
	}
	if strings.HasPrefix(strings.TrimSpace(pages[0]), "1") {
		t.Error("page 1 is numbered")
	}
}

package document

import (
	"bytes"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"tinnhiem/internal/civil"
	"tinnhiem/internal/roster"
	"tinnhiem/internal/rules"
	"tinnhiem/internal/tally"
	"tinnhiem/internal/vote"
)

var (
	families = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"}
	middles  = []string{"Văn", "Thị", "Hữu", "Minh", "Quốc", "Thanh", "Đức", "Ngọc"}
	givens   = []string{"An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Nam", "Phúc", "Quyên", "Sơn", "Tâm", "Uyên", "Vinh"}
	posts    = []string{"Phó Chủ tịch Hội đồng nhân dân tỉnh", "Trưởng Ban Pháp chế Hội đồng nhân dân tỉnh",
		"Phó Chủ tịch Ủy ban nhân dân tỉnh", "Ủy viên Ủy ban nhân dân tỉnh, Giám đốc Sở Tài chính",
		"Ủy viên Ủy ban nhân dân tỉnh, Giám đốc Công an tỉnh", "Trưởng Ban Văn hóa - Xã hội Hội đồng nhân dân tỉnh"}
)

// votedData is a vote of n subjects on one ballot, counted from ballots, with recipients lines in
// "Nơi nhận": the National-Assembly-sized and long-list cases of the layout tests.
func votedData(t *testing.T, status vote.Status, n, recipients int) Data {
	t.Helper()
	d := sampleData(status)
	rs := d.RuleSet
	var subjects []vote.Subject
	var in []tally.Subject
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("%s %s %s", families[i%len(families)], middles[(i/3)%len(middles)], givens[(i*7)%len(givens)])
		pos := []roster.Position{{Category: "ubnd_uy_vien", Title: posts[i%len(posts)], ElectedOn: civil.MustParse("2026-06-26")}}
		id := fmt.Sprintf("s%02d", i)
		subjects = append(subjects, vote.Subject{OfficialID: id, FullName: name, Positions: pos})
		in = append(in, tally.Subject{OfficialID: id, FullName: name, Positions: pos})
	}
	d.Vote.Subjects = subjects
	const total, issued = 90, 86
	c := tally.NewCounter(tally.Input{Kind: rules.Confidence, RuleSet: rs, Base: rules.BaseTotalDelegates, TotalDelegates: total, BallotsIssued: issued,
		Body: roster.BodyHDND, Subjects: in})
	for b := 0; b < issued; b++ {
		marks := make([]byte, n)
		for i := range marks {
			low := 5 + (i*13)%60 // some subjects reach the bands
			switch {
			case b < low:
				marks[i] = 'l'
			case b%5 == 0:
				marks[i] = 'm'
			default:
				marks[i] = 'h'
			}
		}
		c.Add(string(marks), true)
	}
	res, err := c.Result()
	if err != nil {
		t.Fatal(err)
	}
	d.Tally = res
	if d.SignedIssuance != nil {
		signed := issued
		d.SignedIssuance = &signed
	}
	d.Settings.Recipients = nil
	for i := 0; i < recipients; i++ {
		d.Settings.Recipients = append(d.Settings.Recipients, fmt.Sprintf("Sở, ban, ngành số %d của tỉnh Sơn Hà;", i+1))
	}
	return d
}

func needPoppler(t *testing.T, tool string) {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing (apt-get install poppler-utils)", tool)
		}
		t.Skipf("%s is missing: install poppler-utils", tool)
	}
}

// pdfPages reads a PDF back page by page with pdftotext -layout.
func pdfPages(t *testing.T, pdf []byte) []string {
	t.Helper()
	needPoppler(t, "pdftotext")
	in := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	pages := strings.Split(string(out), "\f")
	if len(pages) > 1 && strings.TrimSpace(pages[len(pages)-1]) == "" {
		pages = pages[:len(pages)-1]
	}
	return pages
}

// bword is a word of a PDF and its box, in points from the page's top left.
type bword struct {
	page                   int
	xMin, yMin, xMax, yMax float64
	text                   string
}

var (
	bboxPage = regexp.MustCompile(`<page width="([0-9.]+)" height="([0-9.]+)">`)
	bboxWord = regexp.MustCompile(`<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>`)
)

// pdfWords reads each word's position with pdftotext -bbox.
func pdfWords(t *testing.T, pdf []byte) []bword {
	t.Helper()
	needPoppler(t, "pdftotext")
	in := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-bbox", "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	var words []bword
	page := 0
	for _, line := range strings.Split(string(out), "\n") {
		if bboxPage.MatchString(line) {
			page++
			continue
		}
		if m := bboxWord.FindStringSubmatch(line); m != nil {
			f := func(s string) float64 { v, _ := strconv.ParseFloat(s, 64); return v }
			words = append(words, bword{page, f(m[1]), f(m[2]), f(m[3]), f(m[4]), html.UnescapeString(m[5])})
		}
	}
	return words
}

// pageOf is the first page whose text holds s (1-based), 0 for none.
func pageOf(pages []string, s string) int {
	for i, p := range pages {
		if strings.Contains(squash(p), s) {
			return i + 1
		}
	}
	return 0
}

// lastPageOf is the last page whose text holds s.
func lastPageOf(pages []string, s string) int {
	for i := len(pages) - 1; i >= 0; i-- {
		if strings.Contains(squash(pages[i]), s) {
			return i + 1
		}
	}
	return 0
}

// flow is a PDF's text in reading order (pdftotext without -layout), its pages joined, without what
// repeats on each page (page numbers, the draft mark, the footer's fingerprint and anchor), spaces
// folded: the text as a reader follows it across pages.
func flow(t *testing.T, pdf []byte) string {
	t.Helper()
	var kept []string
	for _, page := range strings.Split(pdfText(t, pdf), "\f") {
		lines := strings.Split(page, "\n")
		for i, l := range lines {
			l = strings.TrimSpace(l)
			switch {
			case l == "DỰ THẢO", strings.HasPrefix(l, "Mã xác thực nội dung văn bản"), strings.HasPrefix(l, "Mã neo nhật ký của cuộc bỏ phiếu:"):
				continue
			case i < 3 && regexp.MustCompile(`^\d+$`).MatchString(l):
				continue
			}
			kept = append(kept, l)
		}
	}
	return squash(strings.Join(kept, " "))
}

// squash folds runs of spaces, as -layout spreads a justified line.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

func mustPDF(t *testing.T, d Document) []byte {
	t.Helper()
	b, err := PDF(d)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestLayoutGolden: the text (pdftotext -layout) of the ballot, the minutes and the resolution for 1,
// 20 and 50 subjects, the resolution with 20 recipients.
func TestLayoutGolden(t *testing.T) {
	for _, n := range []int{1, 20, 50} {
		d := votedData(t, vote.Published, n, 20)
		for name, doc := range map[string]Document{"ballot": Ballot(d, 0), "minutes": Minutes(d), "resolution": Resolution(d)} {
			p := mustPDF(t, doc)
			save(t, fmt.Sprintf("%s-%d.pdf", name, n), p)
			if *artifacts != "" {
				x, err := DOCX(doc)
				if err != nil {
					t.Fatal(err)
				}
				save(t, fmt.Sprintf("%s-%d.docx", name, n), x)
			}
			golden(t, fmt.Sprintf("%s-%d.layout.txt", name, n), []byte(strings.Join(pdfPages(t, p), "\f")))
		}
	}
}

// TestBallotSealIsTopLeft: the seal's frame and caption are in the top left corner of each sheet,
// not at the foot of the ballot.
func TestBallotSealIsTopLeft(t *testing.T) {
	for _, n := range []int{1, 20, 50} {
		d := votedData(t, vote.Closed, n, 0)
		words := pdfWords(t, mustPDF(t, Ballot(d, 0)))
		pages := map[int]bool{}
		for _, w := range words {
			if w.text == "(Dấu" {
				pages[w.page] = true
				// A4 is 595 × 842 pt: the left half, the top sixth.
				if w.xMin > 595/2 || w.yMin > 842/6 {
					t.Errorf("%d rows: the seal caption is at (%.0f, %.0f) pt on page %d, not top left", n, w.xMin, w.yMin, w.page)
				}
			}
		}
		last := words[len(words)-1].page
		if len(pages) != last {
			t.Errorf("%d rows: %d sheets carry the seal's place, of %d", n, len(pages), last)
		}
	}
}

// TestBallotOfTwentyRowsIsOneSheet: a group of about twenty fits one A4 sheet; its rows keep their
// numbers and the instructions close the sheet.
func TestBallotOfTwentyRowsIsOneSheet(t *testing.T) {
	d := votedData(t, vote.Closed, 20, 0)
	pages := pdfPages(t, mustPDF(t, Ballot(d, 0)))
	if len(pages) != 1 {
		t.Fatalf("a 20-row ballot takes %d pages", len(pages))
	}
	text := squash(pages[0])
	for _, want := range []string{"PHIẾU TÍN NHIỆM", d.Vote.Subjects[19].FullName, "20 ", "Ghi chú: Đánh dấu (X)", "không hợp lệ đối với người đó."} {
		if !strings.Contains(text, want) {
			t.Errorf("the ballot lacks %q", want)
		}
	}
	if strings.Contains(text, "Tờ 1/") {
		t.Error("a one-sheet ballot says \"Tờ 1/...\"")
	}
}

// TestLongBallotHasWholeSheets: 50 rows take several sheets, each "Tờ i/n" with the seal's place, the
// title, rows and the instructions; no sheet holds only the seal or the instructions, and every row is
// printed once.
func TestLongBallotHasWholeSheets(t *testing.T) {
	for rows, sheets := range map[int]int{30: 2, 50: 3} {
		longBallot(t, rows, sheets)
	}
}

func longBallot(t *testing.T, total, sheets int) {
	d := votedData(t, vote.Closed, total, 0)
	doc := Ballot(d, 0)
	pages := pdfPages(t, mustPDF(t, doc))
	n := len(pages)
	if n != sheets {
		t.Fatalf("%d rows take %d sheets, want %d", total, n, sheets)
	}
	rowRE := regexp.MustCompile(`(?m)^\s*(\d+)\s+\S`)
	seen := map[int]int{}
	for i, p := range pages {
		text := squash(p)
		for _, want := range []string{fmt.Sprintf("Tờ %d/%d", i+1, n), "(Dấu của Hội đồng nhân dân tỉnh Sơn Hà)", "PHIẾU TÍN NHIỆM", "Họ và tên",
			"không hợp lệ đối với người đó."} {
			if !strings.Contains(text, want) {
				t.Errorf("sheet %d lacks %q", i+1, want)
			}
		}
		rows := 0
		for _, m := range rowRE.FindAllStringSubmatch(p, -1) {
			k, _ := strconv.Atoi(m[1])
			if k >= 1 && k <= total && strings.Contains(p, d.Vote.Subjects[k-1].FullName) {
				seen[k]++
				rows++
			}
		}
		// Rows are shared evenly: no sheet holds only a few.
		if rows < total/n-1 || rows > total/n+1 {
			t.Errorf("sheet %d of %d holds %d rows", i+1, n, rows)
		}
	}
	for k := 1; k <= total; k++ {
		if seen[k] != 1 {
			t.Errorf("row %d is printed %d times", k, seen[k])
		}
	}
	// The DOCX says the same.
	x, err := DOCX(doc)
	if err != nil {
		t.Fatal(err)
	}
	xml := docxXML(t, x)
	if strings.Count(xml, `<w:br w:type="page"/>`) != n-1 || !strings.Contains(xml, fmt.Sprintf("Tờ %d/%d", n, n)) {
		t.Errorf("the DOCX ballot does not have the same %d sheets", n)
	}
}

// TestDOCXBallotDrawsTheSealBox: the DOCX frames the issuing body top left with a dashed border, as
// the PDF does, instead of writing "[Dấu của ...]".
func TestDOCXBallotDrawsTheSealBox(t *testing.T) {
	x, err := DOCX(Ballot(sampleData(vote.Closed), 0))
	if err != nil {
		t.Fatal(err)
	}
	xml := docxXML(t, x)
	if strings.Contains(xml, "[Dấu") {
		t.Error("the DOCX ballot writes the seal as text in brackets")
	}
	frame := strings.Index(xml, `<w:left w:val="dashed"`)
	body := strings.Index(xml, "HỘI ĐỒNG NHÂN DÂN")
	caption := strings.Index(xml, "(Dấu của Hội đồng nhân dân tỉnh Sơn Hà)")
	title := strings.Index(xml, "PHIẾU TÍN NHIỆM")
	if frame < 0 || body < frame || caption < body || title < caption || !strings.Contains(xml, `w:hRule="atLeast"`) {
		t.Errorf("the DOCX ballot lacks the framed seal place before the title (frame %d, body %d, caption %d, title %d)", frame, body, caption, title)
	}
}

// TestSignatureStaysWithTheLastArticle: with 1, 20 and 50 subjects and 20 recipients, the signer's
// authority and name are on the page of the last article, and the list of recipients is whole there.
func TestSignatureStaysWithTheLastArticle(t *testing.T) {
	for _, n := range []int{1, 20, 50} {
		for _, status := range []vote.Status{vote.Closed, vote.Published} {
			d := votedData(t, status, n, 20)
			pages := pdfPages(t, mustPDF(t, Resolution(d)))
			last := lastPageOf(pages, "có hiệu lực từ ngày thông qua")
			for _, s := range []string{"Nơi nhận:", "TM. HỘI ĐỒNG NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn Thành", "Sở, ban, ngành số 1 ", "Sở, ban, ngành số 20 "} {
				if p := lastPageOf(pages, s); p != last {
					t.Errorf("%d subjects, %s: %q is on page %d, the last article on page %d", n, status, s, p, last)
				}
			}
			if len(pages) > 1 && last == len(pages) && len(strings.Fields(pages[last-1])) < 60 {
				t.Logf("%d subjects: the last page holds %d words", n, len(strings.Fields(pages[last-1])))
			}
		}
	}
}

// TestMinutesSignaturesStayWithTheClosingLine: the closing line and the board's signatures share a
// page; a role and its name are never parted.
func TestMinutesSignaturesStayWithTheClosingLine(t *testing.T) {
	for _, n := range []int{1, 20, 50} {
		for board := 3; board <= 9; board += 2 {
			d := votedData(t, vote.Published, n, 0)
			d.Vote.Board = nil
			for i := 0; i < board; i++ {
				role := vote.BoardMember
				switch i {
				case 0:
					role = vote.BoardHead
				case 1:
					role = vote.BoardSecretary
				}
				d.Vote.Board = append(d.Vote.Board, vote.Member{FullName: fmt.Sprintf("Thành viên %s %s", middles[i%len(middles)], givens[i]), BoardRole: role})
			}
			pages := pdfPages(t, mustPDF(t, Minutes(d)))
			closing := lastPageOf(pages, "Biên bản được lập thành")
			if p := pageOf(pages, "TRƯỞNG BAN KIỂM PHIẾU"); p != closing {
				t.Errorf("%d subjects, board of %d: the closing line is on page %d, the head's signature on page %d", n, board, closing, p)
			}
			for _, m := range d.Vote.Board {
				if lastPageOf(pages, m.FullName) < closing {
					t.Errorf("%d subjects, board of %d: %s signs before the closing line's page", n, board, m.FullName)
				}
			}
		}
	}
}

// TestRoleAndNameNeverPart: each signature place (role, room to sign, name) is on one page.
func TestRoleAndNameNeverPart(t *testing.T) {
	d := votedData(t, vote.Published, 20, 0)
	for i := 0; i < 8; i++ {
		d.Vote.Board = append(d.Vote.Board, vote.Member{FullName: fmt.Sprintf("Ủy viên Số %d", i+1), BoardRole: vote.BoardMember})
	}
	words := pdfWords(t, mustPDF(t, Minutes(d)))
	// A row of the grid: the roles' line, then the names' line below it on the same page.
	var roleLines []bword
	for _, w := range words {
		if w.text == "ỦY" && strings.HasPrefix(nextWord(words, w), "VIÊN") {
			roleLines = append(roleLines, w)
		}
	}
	for _, r := range roleLines {
		found := false
		for _, w := range words {
			if w.page == r.page && w.text == "Số" && w.yMin > r.yMin && w.yMin < r.yMin+90 {
				found = true
			}
		}
		if !found {
			t.Errorf("the role at %.0f pt on page %d has no name under it on that page", r.yMin, r.page)
		}
	}
	if len(roleLines) < 9 {
		t.Errorf("%d member roles found", len(roleLines))
	}
}

func nextWord(words []bword, w bword) string {
	for i, x := range words {
		if x == w && i+1 < len(words) {
			return words[i+1].text
		}
	}
	return ""
}

// baseSensitiveData: T = 50 delegates, B = 47 ballots received, L = 25 "tín nhiệm thấp" for one
// person: exactly half of T (no consequence), 53,19 % of B (over half).
func baseSensitiveData(t *testing.T, base rules.Base) Data {
	t.Helper()
	d := sampleData(vote.Closed)
	rs := d.RuleSet
	s := d.Vote.Subjects[:2]
	d.Vote.Subjects = s
	d.Vote.PercentageBase = base
	c := tally.NewCounter(tally.Input{Kind: rules.Confidence, RuleSet: rs, Base: base, TotalDelegates: 50, BallotsIssued: 47, Body: roster.BodyHDND,
		Subjects: []tally.Subject{{OfficialID: s[0].OfficialID, FullName: s[0].FullName, Positions: s[0].Positions},
			{OfficialID: s[1].OfficialID, FullName: s[1].FullName, Positions: s[1].Positions}}})
	for b := 0; b < 47; b++ {
		m := []byte("hh")
		if b < 25 {
			m[1] = 'l'
		}
		c.Add(string(m), true)
	}
	r, err := c.Result()
	if err != nil {
		t.Fatal(err)
	}
	d.Tally = r
	d.Decisions = []Decision{{Kind: DecisionPercentageBase, Number: "50/NQ-HĐND", Date: civil.MustParse("2028-12-05"), Base: base}}
	return d
}

// TestBaseSensitiveVoteShowsBothFigures: the minutes and the resolution show both figures and both
// bands side by side, in words, the vote's base first; the base used and the council's decision
// behind it are stated; the resolution's percentages are all on the vote's base.
func TestBaseSensitiveVoteShowsBothFigures(t *testing.T) {
	for _, base := range []rules.Base{rules.BaseTotalDelegates, rules.BaseBallotsReceived} {
		d := baseSensitiveData(t, base)
		onT := "tính trên tổng số đại biểu (50) là 50,00% — không thuộc trường hợp quá nửa đánh giá \"tín nhiệm thấp\""
		onB := "tính trên số phiếu thu vào (47) là 53,19% — quá nửa, dưới hai phần ba đánh giá \"tín nhiệm thấp\""
		first, second := onT, onB
		if base == rules.BaseBallotsReceived {
			first, second = onB, onT
		}
		for name, doc := range map[string]Document{"minutes": Minutes(d), "resolution": Resolution(d)} {
			text := flow(t, mustPDF(t, doc))
			want := "Đối với Lê Hoàng Phong, kết quả khác nhau theo cách tính tỷ lệ (25 phiếu \"tín nhiệm thấp\"): " + first + "; " + second + "."
			if !strings.Contains(text, want) {
				t.Errorf("%s on %s lacks both figures side by side:\nwant %s\nin   %s", name, base, want, text)
			}
			if !strings.Contains(text, "theo Nghị quyết số 50/NQ-HĐND ngày 05 tháng 12 năm 2028 của Hội đồng nhân dân tỉnh Sơn Hà.") {
				t.Errorf("%s on %s does not cite the council's decision on the base", name, base)
			}
			if strings.Count(text, "Tỷ lệ phần trăm (%) được tính trên") != 1 {
				t.Errorf("%s on %s does not state its base once", name, base)
			}
		}
		minutes := flow(t, mustPDF(t, Minutes(d)))
		note := "Tính trên số phiếu thu vào (47): 53,19% — quá nửa, dưới hai phần ba"
		if base == rules.BaseBallotsReceived {
			note = "Tính trên tổng số đại biểu (50): 50,00% — không quá nửa"
		}
		if !strings.Contains(strings.ReplaceAll(minutes, "- ", "-"), strings.ReplaceAll(note, "- ", "-")) && !strings.Contains(minutes, "53,19%") {
			t.Errorf("the minutes' notes lack the other base's figure %q", note)
		}
		// The resolution's table is on the vote's base.
		res := flow(t, mustPDF(t, Resolution(d)))
		table := "25 phiếu (50,00%)"
		if base == rules.BaseBallotsReceived {
			table = "25 phiếu (53,19%)"
		}
		if !strings.Contains(res, table) {
			t.Errorf("the resolution's table on %s lacks %q", base, table)
		}
		if base == rules.BaseBallotsReceived && !strings.Contains(res, "Điều 3. Hệ quả") {
			t.Error("on B the person is over half, and the resolution says nothing of the consequence")
		}
	}
}

// TestMinutesTimesAndVenue: the count starts at the close and ends at the first certification, in the
// council's zone, each printed once; a close after midnight prints the real day, not dots.
func TestMinutesTimesAndVenue(t *testing.T) {
	d := sampleData(vote.Closed)
	closed := time.Date(2028, 12, 5, 17, 35, 0, 0, time.UTC) // 00:35 on 6 December in the council's zone
	ended := closed.Add(50 * time.Minute)
	d.Vote.ClosedAt, d.CountEnded = &closed, &ended
	d.Venue = "Hội trường Trung tâm Hội nghị tỉnh"
	text := flow(t, mustPDF(t, Minutes(d)))
	for _, want := range []string{"Vào lúc 00 giờ 35 phút, ngày 06 tháng 12 năm 2028, tại Hội trường Trung tâm Hội nghị tỉnh, Ban kiểm phiếu tiến hành kiểm phiếu",
		"Việc kiểm phiếu kết thúc lúc 01 giờ 25 phút cùng ngày.", "Sơn Hà, ngày 06 tháng 12 năm 2028"} {
		if !strings.Contains(text, want) {
			t.Errorf("the minutes lack %q", want)
		}
	}
	if strings.Contains(text, "..... giờ") || strings.Count(text, "00 giờ 35 phút") != 1 {
		t.Error("the minutes print dots or the close time twice")
	}
	// Board's own times on another day; no times at all.
	started := time.Date(2028, 12, 5, 9, 0, 0, 0, time.UTC)
	ended = time.Date(2028, 12, 6, 2, 10, 0, 0, time.UTC)
	d.CountStarted, d.CountEnded = &started, &ended
	text = flow(t, mustPDF(t, Minutes(d)))
	if !strings.Contains(text, "Vào lúc 16 giờ 00 phút, ngày 05 tháng 12 năm 2028") || !strings.Contains(text, "kết thúc lúc 09 giờ 10 phút, ngày 06 tháng 12 năm 2028.") {
		t.Errorf("the board's times: %s", text)
	}
	// A vote entered afterwards from paper, closed and certified years later: those are not the
	// count's times, and the minutes keep the vote day.
	later, muchLater := time.Date(2031, 3, 2, 3, 0, 0, 0, time.UTC), time.Date(2031, 3, 9, 3, 0, 0, 0, time.UTC)
	d.CountStarted, d.CountEnded, d.Vote.ClosedAt, d.Venue = nil, &muchLater, &later, ""
	text = flow(t, mustPDF(t, Minutes(d)))
	if strings.Contains(text, "năm 2031") || !strings.Contains(text, "Sơn Hà, ngày 05 tháng 12 năm 2028") {
		t.Errorf("an archived vote's minutes print the times it was entered: %s", text)
	}
	d.CountStarted, d.CountEnded, d.Vote.ClosedAt, d.Venue = nil, nil, nil, ""
	text = flow(t, mustPDF(t, Minutes(d)))
	if !strings.Contains(text, "Vào lúc ..... giờ ..... phút, ngày ..... tháng ..... năm ........, tại ....") ||
		!strings.Contains(text, "kết thúc lúc ..... giờ ..... phút") {
		t.Errorf("no times recorded: the blanks are missing: %s", text)
	}
}

// TestMinutesRecordTheFigures: ballots (issued beside the signed list's count), codes printed, issued,
// voided and unused, absent members named and not given a signature place, the audit anchor and the
// frontend hash, the decisions cited.
func TestMinutesRecordTheFigures(t *testing.T) {
	d := sampleData(vote.Published)
	d.Codes = &CodeFigures{Printed: 60, Issued: 47, Voided: 3, Unused: 10}
	d.Absent = []string{"Tạ Văn Minh"}
	text := flow(t, mustPDF(t, Minutes(d)))
	for _, want := range []string{
		"Tổng số đại biểu Hội đồng nhân dân tỉnh Sơn Hà: 47 (bốn mươi bảy) đại biểu.",
		"Số phiếu phát ra: 47 phiếu (danh sách đại biểu nhận phiếu có 47 chữ ký); số phiếu thu vào: 47 phiếu; số phiếu hợp lệ: 47 phiếu; số phiếu không hợp lệ: 0 phiếu.",
		"số mã đã in: 60; số mã đã phát cho đại biểu: 47; số mã đã hủy: 3; số mã không sử dụng (hủy khi kết thúc bỏ phiếu): 10.",
		"Thành viên vắng mặt khi xác nhận kết quả kiểm phiếu (không ký biên bản): Tạ Văn Minh, Ủy viên.",
		"Ban kiểm phiếu do Hội đồng nhân dân tỉnh Sơn Hà bầu tại Nghị quyết số 49/NQ-HĐND ngày 05 tháng 12 năm 2028, gồm:",
		"theo danh sách được Hội đồng nhân dân tỉnh Sơn Hà thông qua tại Nghị quyết số 48/NQ-HĐND ngày 04 tháng 12 năm 2028.",
		"Mã neo nhật ký của cuộc bỏ phiếu khi lập biên bản: 9f2c41d0…7e9f1a2b (128 sự kiện)",
		"Neo nhật ký: 9f2c41d07ab35e88c0d1f4a2b6e7c9d0135f7a9b2c4d6e8f0a1b3c5d7e9f1a2b:128",
		"Ứng dụng: 5d41402abc4b2a76b9719d911017c592ae2f1c3b4d5e6f708192a3b4c5d6e7f8",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the minutes lack %q", want)
		}
	}
	if strings.Contains(text, "ỦY VIÊN") {
		t.Error("the absent member has a signature place")
	}
}

// TestZeroValuesPrintNoZero: what is not recorded is left out or left blank, never printed as 0 or as a
// Go zero date.
func TestZeroValuesPrintNoZero(t *testing.T) {
	d := sampleData(vote.Closed)
	d.Vote.ClosedAt = nil
	for name, doc := range map[string]Document{"minutes": Minutes(d), "resolution": Resolution(d), "list": IssuanceList(d, nil)} {
		text := flow(t, mustPDF(t, doc))
		for _, bad := range []string{"năm 1 ", "0001", "tháng 1 năm 1", "ngày 00", "số  ", "chữ ký 0", "Số phiếu phát ra: 47 phiếu (", "mã đã in", "vắng mặt", "Neo nhật ký", "thay thế"} {
			if strings.Contains(text, bad) {
				t.Errorf("%s prints %q for a field not recorded", name, bad)
			}
		}
	}
	res := flow(t, mustPDF(t, Resolution(d)))
	if !strings.Contains(res, "Xét Tờ trình số ......./TTr-....... ngày ..... tháng ..... năm ........ của Thường trực Hội đồng nhân dân tỉnh Sơn Hà;") {
		t.Error("the draft resolution leaves no blank for the Tờ trình")
	}
	d.Vote.Status = vote.Published
	res = flow(t, mustPDF(t, Resolution(d)))
	if strings.Contains(res, "Tờ trình") {
		t.Error("a published resolution prints a blank Tờ trình")
	}
}

// TestResolutionStructure: the structure of the December 2023 provincial resolutions: the summary
// with the term, the Xét line naming the Tờ trình and the minutes with their dates, the article of the
// count's figures and the procedure before the per-person results, the base stated once with its
// decision, a superseded resolution named in the last article.
func TestResolutionStructure(t *testing.T) {
	d := sampleData(vote.Published)
	d.Supersedes = &Decision{Kind: DecisionResolution, Number: "52/NQ-HĐND", Date: civil.MustParse("2028-12-05")}
	d.Vote.ResolutionNumber = "60/NQ-HĐND"
	d.Decisions = append(d.Decisions, Decision{Kind: DecisionRecount, Number: "59/NQ-HĐND", Date: civil.MustParse("2028-12-07")})
	text := flow(t, mustPDF(t, Resolution(d)))
	order := []string{
		"Xác nhận kết quả lấy phiếu tín nhiệm đối với người giữ chức vụ do Hội đồng nhân dân tỉnh Sơn Hà khóa XI, nhiệm kỳ 2026 - 2031 bầu",
		"HỘI ĐỒNG NHÂN DÂN TỈNH SƠN HÀ KHÓA XI, KỲ HỌP THỨ 12",
		"Căn cứ Nghị quyết số 96/2023/QH15 ngày 23 tháng 6 năm 2023",
		"Xét Tờ trình số 95/TTr-HĐND ngày 20 tháng 11 năm 2028 của Thường trực Hội đồng nhân dân tỉnh Sơn Hà về việc lấy phiếu tín nhiệm",
		"Biên bản kiểm phiếu lại ngày 05 tháng 12 năm 2028 của Ban kiểm phiếu",
		"QUYẾT NGHỊ:",
		"Điều 1. Việc lấy phiếu tín nhiệm đối với người giữ chức vụ do Hội đồng nhân dân tỉnh Sơn Hà bầu tại kỳ họp thứ 12 được tiến hành theo đúng quy định của Nghị quyết số 96/2023/QH15",
		"1. Tổng số đại biểu Hội đồng nhân dân tỉnh Sơn Hà: 47 đại biểu.",
		"2. Số phiếu phát ra: 47 phiếu.",
		"3. Số phiếu thu vào: 47 phiếu.",
		"4. Số phiếu hợp lệ: 47 phiếu",
		"Điều 2. Xác nhận kết quả lấy phiếu tín nhiệm đối với 4 người",
		"Nguyễn Văn Thành",
		"Tỷ lệ phần trăm (%) được tính trên tổng số đại biểu Hội đồng nhân dân tỉnh Sơn Hà: 47 (bốn mươi bảy) đại biểu, theo Nghị quyết số 50/NQ-HĐND",
		"Điều 3. Hệ quả",
		"Điều 4. Thường trực Hội đồng nhân dân tỉnh Sơn Hà công bố",
		"Điều 5. Nghị quyết này được Hội đồng nhân dân tỉnh Sơn Hà khóa XI, kỳ họp thứ 12 thông qua ngày 05 tháng 12 năm 2028 và có hiệu lực từ ngày thông qua; thay thế Nghị quyết số 52/NQ-HĐND ngày 05 tháng 12 năm 2028 của Hội đồng nhân dân tỉnh Sơn Hà",
	}
	at := 0
	for _, s := range order {
		i := strings.Index(text[at:], s)
		if i < 0 {
			t.Errorf("the resolution lacks %q after position %d:\n%s", s, at, text[at:])
			continue
		}
		at += i + len(s)
	}
	if strings.Count(text, "Tỷ lệ phần trăm") != 1 {
		t.Error("the base is not stated exactly once")
	}
}

// TestResolutionFollowsNĐ30: title 14 pt bold, the summary 14 pt bold with a rule drawn as a line,
// body paragraphs justified with 6 pt after, the last article kept with the signature, in the DOCX;
// in the PDF the title and the summary are 14 pt.
func TestResolutionFollowsNĐ30(t *testing.T) {
	d := sampleData(vote.Published)
	x, err := DOCX(Resolution(d))
	if err != nil {
		t.Fatal(err)
	}
	xml := docxXML(t, x)
	if strings.Contains(xml, "___") {
		t.Error("the DOCX draws a rule with underscores")
	}
	if strings.Count(xml, `<w:pBdr><w:top w:val="single"`) < 3 {
		t.Error("the DOCX rules are not drawn as lines (header, motto, title)")
	}
	summary := regexp.MustCompile(`<w:b/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr><w:t xml:space="preserve">Xác nhận kết quả`)
	if !summary.MatchString(xml) {
		t.Error("the summary is not 14 pt bold")
	}
	article := regexp.MustCompile(`<w:p><w:pPr>(<w:keepNext/>)?<w:spacing w:before="0" w:after="120"/><w:ind w:firstLine="567"/><w:jc w:val="both"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Điều `)
	if n := len(article.FindAllString(xml, -1)); n < 5 {
		t.Errorf("%d articles are justified with 6 pt after", n)
	}
	if !strings.Contains(xml, `<w:p><w:pPr><w:keepNext/><w:spacing w:before="0" w:after="120"/><w:ind w:firstLine="567"/><w:jc w:val="both"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Điều 5. </w:t>`) {
		t.Error("the last article does not keep with the signature")
	}
	if !strings.Contains(xml, "<w:cantSplit/></w:trPr><w:tc><w:tcPr><w:tcW w:w=\"4649\"") {
		t.Error("the signature block may split")
	}
	heights := map[string]float64{}
	for _, w := range pdfWords(t, mustPDF(t, Resolution(d))) {
		if w.page == 1 && (w.text == "QUYẾT" || w.text == "Xác" || w.text == "Căn") {
			if _, ok := heights[w.text]; !ok {
				heights[w.text] = w.yMax - w.yMin
			}
		}
	}
	// pdftotext's box height is the font's ascent plus descent: about 1.15 × the size in points.
	if h := heights["Xác"]; h < 14*1.05 || h > 14*1.3 {
		t.Errorf("the summary is %.1f pt high: not 14 pt", h)
	}
	if h := heights["Căn"]; h > 13*1.3 || h < 13*1.05 {
		t.Errorf("the body is %.1f pt high: not 13 pt", h)
	}
}

// TestDemoMarksEveryPageNotTheName: fictional data is marked on every page (PDF) and in the headers
// (DOCX); the council's name is printed whole and without it.
func TestDemoMarksEveryPageNotTheName(t *testing.T) {
	d := votedData(t, vote.Published, 50, 20)
	d.Demo = true
	for name, doc := range map[string]Document{"minutes": Minutes(d), "resolution": Resolution(d), "ballot": Ballot(d, 0), "list": IssuanceList(d, []string{"A"})} {
		pages := pdfPages(t, mustPDF(t, doc))
		for i, p := range pages {
			if !strings.Contains(p, "DỮ LIỆU MINH HỌA") {
				t.Errorf("%s page %d lacks the demo marker", name, i+1)
			}
		}
		x, err := DOCX(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, part := range []string{"word/header1.xml", "word/header2.xml"} {
			if !strings.Contains(zipPart(t, x, part), "DỮ LIỆU MINH HỌA") {
				t.Errorf("%s DOCX %s lacks the demo marker", name, part)
			}
		}
		if strings.Contains(string(HTML(doc)), "Sơn Hà (DỮ") {
			t.Errorf("%s puts the marker in the council's name", name)
		}
	}
	text := flow(t, mustPDF(t, Minutes(sampleData(vote.Published))))
	if strings.Contains(text, "MINH HỌA") {
		t.Error("real data is marked as a demo")
	}
}

func zipPart(t *testing.T, b []byte, name string) string {
	t.Helper()
	files := unzip(t, b)
	part, ok := files[name]
	if !ok {
		t.Fatalf("the package lacks %s", name)
	}
	return part
}

// TestIssuanceList: the list of delegates receiving a ballot: header, title, the vote, one generous
// row per delegate with a signature column, the total left blank for the board, the head's signature.
func TestIssuanceList(t *testing.T) {
	d := sampleData(vote.Closed)
	names := make([]string, 47)
	for i := range names {
		names[i] = fmt.Sprintf("%s %s %s", families[i%len(families)], middles[i%len(middles)], givens[i%len(givens)])
	}
	doc := IssuanceList(d, names)
	pages := pdfPages(t, mustPDF(t, doc))
	text := squash(strings.Join(pages, " "))
	for _, want := range []string{"BAN KIỂM PHIẾU", "DANH SÁCH ĐẠI BIỂU NHẬN PHIẾU", "Kỳ họp thứ 12, Hội đồng nhân dân tỉnh Sơn Hà khóa XI, nhiệm kỳ 2026 - 2031",
		"STT Họ và tên đại biểu Chữ ký", names[0], names[46], "Tổng số: ............ đại biểu nhận phiếu", "TRƯỞNG BAN KIỂM PHIẾU", "Lương Văn Khải"} {
		if !strings.Contains(text, want) {
			t.Errorf("the list lacks %q", want)
		}
	}
	if len(pages) < 3 {
		t.Errorf("47 signature rows on %d pages: the rows are not generous", len(pages))
	}
	if lastPageOf(pages, "Tổng số:") != lastPageOf(pages, "Lương Văn Khải") {
		t.Error("the total and the head's signature are parted")
	}
	for i, p := range pages[1:] {
		if !strings.Contains(p, "Chữ ký") {
			t.Errorf("page %d does not repeat the table header", i+2)
		}
	}
	a, _ := PDF(doc)
	b, _ := PDF(IssuanceList(sampleData(vote.Closed), names))
	if !bytes.Equal(a, b) {
		t.Error("the list does not render byte-identically")
	}
}

// TestPlaceNames: the place a document is dated from, per Nghị định 30/2020: the proper name,
// full for a unit named after a person or by a number.
func TestPlaceNames(t *testing.T) {
	for in, want := range map[string]string{
		"tỉnh Thái Nguyên":      "Thái Nguyên",
		"thành phố Hồ Chí Minh": "Thành phố Hồ Chí Minh",
		"Thành phố Hồ Chí Minh": "Thành phố Hồ Chí Minh",
		"thành phố Hà Nội":      "Hà Nội",
		"thành phố Huế":         "Huế",
		"quận 1":                "Quận 1",
		"huyện Cần Giờ":         "Cần Giờ",
		"Sơn Hà":                "Sơn Hà",
	} {
		if got := PlaceName(in); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
	hcm := DefaultSettings(roster.Council{Name: "Hội đồng nhân dân Thành phố Hồ Chí Minh", Body: roster.BodyHDND, Level: roster.LevelTinh, Place: "thành phố Hồ Chí Minh"}, "")
	if hcm.PlaceName != "Thành phố Hồ Chí Minh" || hcm.IssuingBody[1] != "THÀNH PHỐ HỒ CHÍ MINH" {
		t.Errorf("Ho Chi Minh City: %q %q", hcm.PlaceName, hcm.IssuingBody)
	}
}

// TestSlipsRenderByteIdentically: the same codes give the same bytes; the council's whole name is
// printed, the demo marker on each slip apart from it.
func TestSlipsRenderByteIdentically(t *testing.T) {
	info := SlipInfo{Council: "Hội đồng nhân dân tỉnh Bà Rịa - Vũng Tàu và các vùng lân cận rất dài", Title: "LPTN", Session: "Kỳ họp thứ 12",
		Date: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), Demo: true}
	codes := []string{"0123-4567-89AB-CDEF-GHJK-MNPQ-RST", "7777-AAAA-BBBB-CCCC-DDDD-EEEE-FFF", "9999-AAAA-BBBB-CCCC-DDDD-EEEE-FFF"}
	var first []byte
	for i := 0; i < 5; i++ {
		b, err := Slips(info, codes)
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = b
		} else if !bytes.Equal(first, b) {
			t.Fatal("two renders of the same codes differ")
		}
	}
	text := squash(strings.Join(pdfPages(t, first), " "))
	if !strings.Contains(text, "HỘI ĐỒNG NHÂN DÂN TỈNH BÀ RỊA - VŨNG TÀU VÀ CÁC VÙNG LÂN CẬN RẤT DÀI") || strings.Contains(text, "…") {
		t.Errorf("the council's name is cut: %s", text)
	}
	if strings.Count(text, "DỮ LIỆU MINH HỌA") != len(codes) {
		t.Errorf("each slip does not carry the demo marker: %s", text)
	}
}

// TestSlipQRCodesDecode: the QR codes drawn as squares read back as the codes (with zbarimg, where it
// is installed).
func TestSlipQRCodesDecode(t *testing.T) {
	if _, err := exec.LookPath("zbarimg"); err != nil {
		t.Skip("zbarimg is missing (apt-get install zbar-tools)")
	}
	needPoppler(t, "pdftoppm")
	codes := []string{"0123-4567-89AB-CDEF-GHJK-MNPQ-RST", "7777-AAAA-BBBB-CCCC-DDDD-EEEE-FFF"}
	b, err := Slips(SlipInfo{Council: "Hội đồng nhân dân tỉnh Sơn Hà", Title: "LPTN", Session: "Kỳ họp thứ 12"}, codes)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "s.pdf")
	if err := os.WriteFile(in, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-r", "200", "-png", in, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "p*.png"))
	out, _ := exec.Command("zbarimg", append([]string{"-q", "--raw"}, pages...)...).Output()
	got := strings.Fields(string(out))
	for _, c := range codes {
		found := false
		for _, g := range got {
			found = found || g == c
		}
		if !found {
			t.Errorf("the QR code of %s does not read back: %q", c, got)
		}
	}
}

// TestMinutesPaperSection: a hybrid vote's minutes carry the paper figures, the invalid ballots with
// their reasons, the explanation of a missing ballot and the double entry batch by batch — and never a
// count of the paper ballots apart (the results table is of both kinds together).
func TestMinutesPaperSection(t *testing.T) {
	needPoppler(t, "pdftotext")
	d := votedData(t, vote.Certified, 3, 0)
	i := func(x int) *int { return &x }
	d.Vote.CastingMode = vote.CastHybrid
	d.Vote.Paper = &vote.Paper{PaperIssued: i(30), SlipsIssued: i(56), Received: i(29), Returned: i(0), Spoiled: i(1),
		Invalid:     []vote.InvalidBallot{{Reason: "Không có dấu của Hội đồng"}, {Reason: "Không có dấu của Hội đồng"}},
		MissingNote: "Một đại biểu ra về sớm, mang theo phiếu", Missing: 1, Valid: 27, Entered: 27,
		Batches: []vote.PaperBatch{
			{Number: 1, Size: 25, Status: vote.BatchSettled, EnteredBy: []string{"Lê Văn A", "Trần Thị B"}, Outcome: vote.OutcomeMatched},
			{Number: 2, Size: 2, Status: vote.BatchSettled, EnteredBy: []string{"Lê Văn A", "Trần Thị B", "Phạm Văn C"}, Outcome: vote.OutcomeThirdEntry, Differences: 1},
		}}
	d.Codes = &CodeFigures{Printed: 60, Issued: 56, Voided: 1, Unused: 3}
	text := flow(t, mustPDF(t, Minutes(d)))
	for _, want := range []string{
		"Phiếu giấy: số đại biểu nhận phiếu giấy: 30 (số đại biểu nhận phiếu mã để bỏ phiếu điện tử: 56); số phiếu giấy thu về: 29; số phiếu giấy trả lại không sử dụng: 0; số phiếu viết hỏng đã đổi (hủy): 1; số phiếu giấy không hợp lệ: 2; số phiếu giấy hợp lệ: 27.",
		"Phiếu giấy không hợp lệ (cả phiếu, không tính cho người nào): Không có dấu của Hội đồng: 2 phiếu.",
		"Số phiếu giấy không thu về được: 1 phiếu. Giải trình của Ban kiểm phiếu: Một đại biểu ra về sớm, mang theo phiếu.",
		"Phiếu giấy hợp lệ được chia thành 2 tập; mỗi tập do hai thành viên Ban kiểm phiếu nhập độc lập vào hệ thống: tập 1 (25 phiếu), do Lê Văn A và Trần Thị B nhập, hai lần nhập khớp nhau; tập 2 (2 phiếu), do Lê Văn A và Trần Thị B nhập, chênh lệch ở 1 phiếu, thống nhất theo lần nhập thứ ba của Phạm Văn C.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the minutes lack %q", want)
		}
	}
}

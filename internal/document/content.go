package document

import (
	"fmt"
	"strings"
	"time"

	"tinnhiem/internal/civil"
	"tinnhiem/internal/roster"
	"tinnhiem/internal/rules"
	"tinnhiem/internal/tally"
	"tinnhiem/internal/vote"
)

// Data is what a vote's documents are made from. A zero field is "not recorded": the documents then
// omit what it would say, or leave a clean blank to fill by hand; they never print a zero or a Go
// zero date for it.
type Data struct {
	Council  roster.Council
	Settings Settings
	Vote     vote.Vote
	Tally    tally.Result
	RuleSet  rules.RuleSet
	Location *time.Location // for the times printed (the council's time zone)

	Venue          string       // the session's venue, e.g. "Hội trường Trung tâm Hội nghị tỉnh"
	CountStarted   *time.Time   // the count starts at the close (nil: the close time, if any)
	CountEnded     *time.Time   // the first certification, or a time entered by the board
	Decisions      []Decision   // the council's decisions in the vote's course
	Submission     *Decision    // the standing body's Tờ trình cited in "Xét"
	Codes          *CodeFigures // electronic votes: code slips printed, issued, voided, unused
	Absent         []string     // full names of board members absent at certification
	Anchor         string       // the vote's audit anchor, "HASH:COUNT"
	FrontendHash   string       // hash of the served web app build
	Supersedes     *Decision    // the published resolution this one replaces after a recount
	Demo           bool         // fictional demo data: marked on every page
	SignedIssuance *int         // the signatures on the signed list of delegates receiving a ballot
}

// Decision kinds.
const (
	DecisionListApproved   = "list_approved"   // the council approves the list of persons rated
	DecisionBoardElected   = "board_elected"   // the council elects the counting board
	DecisionBoardConfirmed = "board_confirmed" // the council confirms the term's counting board
	DecisionPercentageBase = "percentage_base" // the council decides the percentage base
	DecisionRecount        = "recount"         // the council orders a recount
	DecisionSubmission     = "submission"      // the standing body's Tờ trình
	DecisionResolution     = "resolution"      // a resolution of the council (one superseded)
)

// Decision is a council's decision (or the standing body's submission) cited by number and date.
type Decision struct {
	Kind   string     `json:"kind"`
	Number string     `json:"number"` // "15/NQ-HĐND"
	Date   civil.Date `json:"date"`
	Base   rules.Base `json:"base,omitempty"` // for "percentage_base"
}

// CodeFigures are the one-time code slips of an electronic vote: printed = issued + voided + unused.
type CodeFigures struct{ Printed, Issued, Voided, Unused int }

// docDate is the fixed metadata date of a vote's documents: the vote day, noon UTC.
func (d Data) docDate() time.Time { return d.Vote.VoteDate.Time().Add(12 * time.Hour) }

// councilPhrase is the council's name as it follows "do ... bầu": "Hội đồng nhân dân tỉnh Sơn Hà".
func (d Data) councilPhrase() string { return d.Council.Name }

// termPhrase is "khóa XI, nhiệm kỳ 2026 - 2031" (the term only when known).
func (d Data) termPhrase() string {
	s := "khóa " + d.Council.Khoa
	if d.Council.TermStartYear > 0 && d.Council.TermEndYear > 0 {
		s += fmt.Sprintf(", nhiệm kỳ %d - %d", d.Council.TermStartYear, d.Council.TermEndYear)
	}
	return s
}

func (d Data) procedure() string {
	if d.Vote.Kind == rules.NoConfidence {
		return "bỏ phiếu tín nhiệm"
	}
	return "lấy phiếu tín nhiệm"
}

func (d Data) loc() *time.Location {
	if d.Location == nil {
		return time.UTC
	}
	return d.Location
}

// standingBody is who submits the vote to the council: the standing body of an HĐND, the NA
// Standing Committee.
func (d Data) standingBody() string {
	switch d.Council.Body {
	case roster.BodyQuocHoi:
		return "Ủy ban Thường vụ Quốc hội"
	case roster.BodyDang:
		return "cấp có thẩm quyền"
	}
	return "Thường trực " + d.councilPhrase()
}

// decision is the council's latest decision of a kind (by date; of two on one day, the later listed).
func (d Data) decision(kind string) *Decision {
	var found *Decision
	for i := range d.Decisions {
		x := &d.Decisions[i]
		if x.Kind == kind && (found == nil || !x.Date.Before(found.Date)) {
			found = x
		}
	}
	return found
}

// baseDecision is the council's decision on the base the tally uses, if one is recorded.
func (d Data) baseDecision() *Decision {
	x := d.decision(DecisionPercentageBase)
	if x == nil || (x.Base != "" && x.Base != d.Tally.PercentageBase) {
		return nil
	}
	return x
}

// cite names a decision: "Nghị quyết số 15/NQ-HĐND ngày 05 tháng 12 năm 2028". A decision without
// a number (adopted by a show of hands at the session) is cited by its date.
func cite(kind string, x Decision) string {
	s := kind
	if x.Number != "" {
		s += " số " + x.Number
	}
	if !x.Date.IsZero() {
		s += " " + DateLong(x.Date)
	}
	return s
}

// citeCouncil names a council's decision with its author.
func (d Data) citeCouncil(x Decision) string {
	return cite("Nghị quyết", x) + " của " + d.councilPhrase()
}

// positions writes a subject's posts as printed: "Chủ tịch HĐND tỉnh; Trưởng Ban Pháp chế".
func positions(ps []roster.Position) string {
	titles := make([]string, len(ps))
	for i, p := range ps {
		titles[i] = p.Title
	}
	return strings.Join(titles, "; ")
}

// baseOf states a base in words with its value: "tổng số đại biểu (50)".
func baseOf(b rules.Base, n int) string {
	if b == rules.BaseBallotsReceived {
		return fmt.Sprintf("số phiếu thu vào (%d)", n)
	}
	return fmt.Sprintf("tổng số đại biểu (%d)", n)
}

// baseSentence states the percentage base in words, once, with the council's decision behind it.
func (d Data) baseSentence() string {
	n := d.Tally.BaseValue
	s := fmt.Sprintf("Tỷ lệ phần trăm (%%) được tính trên tổng số đại biểu %s: %d (%s) đại biểu", d.councilPhrase(), n, NumberWords(n))
	if d.Tally.PercentageBase == rules.BaseBallotsReceived {
		s = fmt.Sprintf("Tỷ lệ phần trăm (%%) được tính trên tổng số phiếu thu vào: %d (%s) phiếu", n, NumberWords(n))
	}
	if x := d.baseDecision(); x != nil {
		s += ", theo " + d.citeCouncil(*x)
	}
	return s + "."
}

// bandWords says what a band means, in words.
func bandWords(k rules.Kind, b rules.BandID) string {
	switch b {
	case rules.BandOverHalfUnderTwo:
		return "quá nửa, dưới hai phần ba đánh giá \"tín nhiệm thấp\""
	case rules.BandTwoThirdsOrMore:
		return "từ hai phần ba trở lên đánh giá \"tín nhiệm thấp\""
	case rules.BandNoConfidenceOverHalf:
		return "quá nửa \"không tín nhiệm\""
	}
	if k == rules.NoConfidence {
		return "không thuộc trường hợp quá nửa \"không tín nhiệm\""
	}
	return "không thuộc trường hợp quá nửa đánh giá \"tín nhiệm thấp\""
}

// BandLabel is a band as a spreadsheet column says it: "Trên 1/2 đến dưới 2/3".
func BandLabel(b rules.BandID) string {
	switch b {
	case rules.BandOverHalfUnderTwo:
		return "Trên 1/2 đến dưới 2/3"
	case rules.BandTwoThirdsOrMore:
		return "Từ 2/3 trở lên"
	case rules.BandNoConfidenceOverHalf:
		return "Trên 1/2"
	case rules.BandNone:
		return "Từ 1/2 trở xuống"
	}
	return string(b)
}

// FlagLabel is a tally flag in words.
func FlagLabel(f string) string {
	switch f {
	case tally.FlagBaseSensitive:
		return "Kết quả khác nhau theo cách tính tỷ lệ"
	case tally.FlagResigned:
		return "Đã xin từ chức"
	case tally.FlagNoConfidenceDue:
		return "Phải bỏ phiếu tín nhiệm nếu không xin từ chức"
	}
	return f
}

// bothBases is the sentence a base-sensitive subject gets under the results: both figures and both
// bands, the base the vote uses first.
func (d Data) bothBases(s tally.SubjectResult, alt *tally.BaseView) string {
	k := d.Vote.Kind
	dec := k.Decisive()
	return fmt.Sprintf("Đối với %s, kết quả khác nhau theo cách tính tỷ lệ (%d phiếu \"%s\"): tính trên %s là %s — %s; tính trên %s là %s — %s. Kết quả được xác định theo cách tính trên %s.",
		s.FullName, s.Counts[dec], lowerFirst(dec.Label()),
		baseOf(d.Tally.PercentageBase, d.Tally.BaseValue), PercentProse(s.Percentages[dec]), bandWords(k, s.Band),
		baseOf(alt.Base, alt.BaseValue), PercentProse(alt.Percentages[dec]), bandWords(k, alt.Band),
		strings.SplitN(baseOf(d.Tally.PercentageBase, 0), " (", 2)[0])
}

// bandNote is the notes column of the minutes: the band, the other base's figure, the resignation.
func (d Data) bandNote(s tally.SubjectResult) string {
	var notes []string
	switch s.Band {
	case rules.BandOverHalfUnderTwo:
		notes = append(notes, "Quá nửa, dưới hai phần ba tín nhiệm thấp")
	case rules.BandTwoThirdsOrMore:
		notes = append(notes, "Từ hai phần ba trở lên tín nhiệm thấp")
	case rules.BandNoConfidenceOverHalf:
		notes = append(notes, "Quá nửa không tín nhiệm")
	}
	for _, f := range s.Flags {
		switch f {
		case tally.FlagBaseSensitive:
			note := FlagLabel(f)
			if alt := tally.AlternativeOf(d.Tally, s); alt != nil {
				dec := d.Vote.Kind.Decisive()
				note = fmt.Sprintf("Tính trên %s: %s%% — %s", baseOf(alt.Base, alt.BaseValue), PercentTable(alt.Percentages[dec]), shortBand(alt.Band))
			}
			notes = append(notes, note)
		case tally.FlagResigned:
			notes = append(notes, FlagLabel(f))
		}
	}
	return strings.Join(notes, "; ")
}

func shortBand(b rules.BandID) string {
	switch b {
	case rules.BandOverHalfUnderTwo:
		return "quá nửa, dưới hai phần ba"
	case rules.BandTwoThirdsOrMore:
		return "từ hai phần ba trở lên"
	case rules.BandNoConfidenceOverHalf:
		return "quá nửa"
	}
	return "không quá nửa"
}

// clock writes a moment in the council's zone: "10 giờ 45 phút, ngày 05 tháng 12 năm 2028".
func (d Data) clock(t time.Time) string {
	t = t.In(d.loc())
	return fmt.Sprintf("%02d giờ %02d phút, %s", t.Hour(), t.Minute(), DateLong(civil.Of(t)))
}

// blankClock is the place for a time the board writes by hand.
const blankClock = "..... giờ ..... phút, ngày ..... tháng ..... năm ........"

// countTimes are the count's start (the close, unless the board entered another) and end, each only
// when it falls on the vote day or the day after in the council's zone (a count that runs past
// midnight). A vote entered afterwards from paper is closed, and certified, days later: those are not
// the count's times, and the board writes them by hand.
func (d Data) countTimes() (start, end *time.Time) {
	start = d.CountStarted
	if start == nil {
		start = d.Vote.ClosedAt
	}
	onTime := func(t *time.Time) *time.Time {
		if t == nil {
			return nil
		}
		day := civil.Of(t.In(d.loc()))
		if day == d.Vote.VoteDate || day == d.Vote.VoteDate.AddDays(1) {
			return t
		}
		return nil
	}
	return onTime(start), onTime(d.CountEnded)
}

// minutesDay is the date of the minutes: the day the count ended, else began, else the vote day.
func (d Data) minutesDay() civil.Date {
	start, end := d.countTimes()
	switch {
	case end != nil:
		return civil.Of(end.In(d.loc()))
	case start != nil:
		return civil.Of(start.In(d.loc()))
	}
	return d.Vote.VoteDate
}

func (d Data) isAbsent(name string) bool {
	for _, a := range d.Absent {
		if strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(name)) {
			return true
		}
	}
	return false
}

// shortHash is a hash as a person reads it: its first and last eight digits.
func shortHash(h string) string {
	if len(h) <= 20 {
		return h
	}
	return h[:8] + "…" + h[len(h)-8:]
}

// anchorWords writes an audit anchor "HASH:COUNT" in short: "3f2a9c1b…a09e7d0e (128 sự kiện)".
func anchorWords(a string) string {
	hash, count, ok := strings.Cut(a, ":")
	if !ok {
		return shortHash(a)
	}
	return fmt.Sprintf("%s (%s sự kiện)", shortHash(hash), count)
}

// Minutes is the counting board's tally minutes (biên bản kiểm phiếu).
func Minutes(d Data) Document {
	v, t := d.Vote, d.Tally
	doc := Document{Name: "Biên bản kiểm phiếu - " + v.Title, Draft: v.Status == vote.Closed, Date: d.docDate(), Demo: d.Demo}
	add := func(b ...Block) { doc.Blocks = append(doc.Blocks, b...) }
	heading := func(s string) {
		add(Paragraph{Runs: []Run{{Text: s, Bold: true}}, SpaceBefore: 2, KeepWithNext: true})
	}
	body := func(s string) { add(Paragraph{Runs: []Run{{Text: s}}, Align: Justify, Indent: 10}) }
	add(NationalHeader{Body: append(append([]string{}, d.Settings.IssuingBody...), "BAN KIỂM PHIẾU"), Plain: len(d.Settings.IssuingBody),
		PlaceDate: d.Settings.PlaceName + ", " + DateLong(d.minutesDay())})
	add(Title{Kind: "BIÊN BẢN KIỂM PHIẾU", Size: 14, Summary: []string{upperFirst(d.procedure()) + " đối với người giữ chức vụ do " + d.councilPhrase() + " bầu"}})

	heading("1. Thời gian, địa điểm")
	start, end := d.countTimes()
	when := blankClock
	if start != nil {
		when = d.clock(*start)
	}
	venue := d.Venue
	if venue == "" {
		venue = strings.Repeat(".", 40)
	}
	body(fmt.Sprintf("Vào lúc %s, tại %s, Ban kiểm phiếu tiến hành kiểm phiếu %s tại %s, %s %s.", when, venue, d.procedure(),
		lowerFirst(v.SessionName), d.councilPhrase(), d.termPhrase()))
	if x := d.decision(DecisionRecount); x != nil {
		body("Việc kiểm phiếu lại được tiến hành theo " + d.citeCouncil(*x) + ".")
	}

	heading("2. Thành phần Ban kiểm phiếu")
	switch x, y := d.decision(DecisionBoardElected), d.decision(DecisionBoardConfirmed); {
	case x != nil:
		body("Ban kiểm phiếu do " + d.councilPhrase() + " bầu tại " + cite("Nghị quyết", *x) + ", gồm:")
	case y != nil:
		body("Ban kiểm phiếu được " + d.councilPhrase() + " xác nhận tại " + cite("Nghị quyết", *y) + ", gồm:")
	}
	var absent []string
	for i, m := range v.Board {
		end := ";"
		if i == len(v.Board)-1 {
			end = "."
		}
		body(fmt.Sprintf("- %s, %s%s", m.FullName, boardRoleLabel(m.BoardRole), end))
		if d.isAbsent(m.FullName) {
			absent = append(absent, m.FullName+", "+boardRoleLabel(m.BoardRole))
		}
	}
	if len(absent) > 0 {
		body("Thành viên vắng mặt khi xác nhận kết quả kiểm phiếu (không ký biên bản): " + strings.Join(absent, "; ") + ".")
	}

	heading("3. Số đại biểu, số người được " + d.procedure())
	body(fmt.Sprintf("Tổng số đại biểu %s: %d (%s) đại biểu. Số đại biểu có mặt (nhận phiếu): %d (%s) đại biểu.",
		d.councilPhrase(), t.TotalDelegates, NumberWords(t.TotalDelegates), t.BallotsIssued, NumberWords(t.BallotsIssued)))
	list := fmt.Sprintf("Số người được %s: %d người", d.procedure(), len(t.Subjects))
	if x := d.decision(DecisionListApproved); x != nil {
		list += ", theo danh sách được " + d.councilPhrase() + " thông qua tại " + cite("Nghị quyết", *x)
	}
	body(list + ".")

	heading("4. Số phiếu")
	issued := fmt.Sprintf("Số phiếu phát ra: %d phiếu", t.BallotsIssued)
	if d.SignedIssuance != nil {
		issued += fmt.Sprintf(" (danh sách đại biểu nhận phiếu có %d chữ ký)", *d.SignedIssuance)
	}
	body(fmt.Sprintf("%s; số phiếu thu vào: %d phiếu; số phiếu hợp lệ: %d phiếu; số phiếu không hợp lệ: %d phiếu.",
		issued, t.BallotsReceived, t.ValidBallots, t.InvalidBallots))
	if c := d.Codes; c != nil {
		body(fmt.Sprintf("Mã bỏ phiếu điện tử (in trên phiếu mã, mỗi mã dùng một lần): số mã đã in: %d; số mã đã phát cho đại biểu: %d; số mã đã hủy: %d; số mã không sử dụng (hủy khi kết thúc bỏ phiếu): %d.",
			c.Printed, c.Issued, c.Voided, c.Unused))
	}
	if p := v.Paper; p != nil {
		for _, s := range paperSentences(*p) {
			body(s)
		}
	}
	if t.Quorum != nil {
		met := "đủ"
		if !t.Quorum.Met {
			met = "không đủ"
		}
		body(fmt.Sprintf("Số người có mặt %d/%d: %s hai phần ba theo quy định.", t.Quorum.Present, t.Quorum.Convened, met))
	}

	heading("5. Kết quả kiểm phiếu")
	levels := v.Kind.Levels()
	cols := []Column{{"STT", 11, Center}, {"Họ và tên", 28, Left}, {"Chức vụ", 31, Left}, {"Số phiếu hợp lệ", 14, Center}}
	w := 54.0 / float64(len(levels))
	for _, l := range levels {
		cols = append(cols, Column{LevelHeader(l) + "\n(số/%)", w, Center})
	}
	cols = append(cols, Column{"Ghi chú", 27, Left})
	table := Table{Columns: cols, FontSize: 10.5}
	for i, s := range t.Subjects {
		row := []Cell{{Text: fmt.Sprint(i + 1)}, {Text: s.FullName, Bold: true}, {Text: positions(s.Positions)}, {Text: fmt.Sprint(s.Rated)}}
		for _, l := range levels {
			row = append(row, Cell{Text: fmt.Sprintf("%d\n%s%%", s.Counts[l], PercentTable(s.Percentages[l]))})
		}
		row = append(row, Cell{Text: d.bandNote(s)})
		table.Rows = append(table.Rows, row)
	}
	add(table)
	add(Paragraph{Runs: []Run{{Text: d.baseSentence(), Italic: true}}, Align: Justify, Indent: 10})
	for _, s := range t.Subjects {
		if alt := tally.AlternativeOf(t, s); alt != nil {
			body(d.bothBases(s, alt))
		}
	}
	inBand := false
	for _, s := range t.Subjects {
		if s.Band != rules.BandNone {
			if !inBand {
				add(Paragraph{Runs: []Run{{Text: "Hệ quả theo quy định:", Italic: true, Bold: true}}, Indent: 10, KeepWithNext: true})
				inBand = true
			}
			body(fmt.Sprintf("- %s: %s", s.FullName, s.Consequence))
		}
	}
	heading("6. Ý kiến, khiếu nại (nếu có)")
	body(strings.Repeat(".", 120))
	body(strings.Repeat(".", 120))
	if d.Anchor != "" || d.FrontendHash != "" {
		var parts, full []string
		if d.Anchor != "" {
			parts = append(parts, "mã neo nhật ký của cuộc bỏ phiếu khi lập biên bản: "+anchorWords(d.Anchor))
			full = append(full, "Neo nhật ký: "+d.Anchor)
		}
		if d.FrontendHash != "" {
			parts = append(parts, "mã phiên bản ứng dụng bỏ phiếu: "+shortHash(d.FrontendHash))
			full = append(full, "Ứng dụng: "+d.FrontendHash)
		}
		first := strings.Join(parts, "; ")
		body(upperFirst(first) + ".")
		add(Paragraph{Runs: []Run{{Text: strings.Join(full, "\n"), Size: 8}}, SpaceAfter: 1})
	}
	closing := "Việc kiểm phiếu kết thúc lúc " + blankClock + "."
	if end != nil {
		closing = "Việc kiểm phiếu kết thúc lúc " + d.clock(*end) + "."
		if start != nil && civil.Of(start.In(d.loc())) == civil.Of(end.In(d.loc())) {
			e := end.In(d.loc())
			closing = fmt.Sprintf("Việc kiểm phiếu kết thúc lúc %02d giờ %02d phút cùng ngày.", e.Hour(), e.Minute())
		}
	}
	add(Paragraph{Runs: []Run{{Text: closing + fmt.Sprintf(" Biên bản được lập thành %02d bản có giá trị như nhau.", d.Settings.Copies)}},
		Align: Justify, Indent: 10, KeepWithNext: true})
	var signers []Signer
	for _, m := range v.Board {
		if !d.isAbsent(m.FullName) {
			signers = append(signers, Signer{Role: boardRoleLabel(m.BoardRole), Name: m.FullName})
		}
	}
	add(Signatures{Signers: signers})
	return doc
}

func boardRoleLabel(r vote.BoardRole) string {
	switch r {
	case vote.BoardHead:
		return "Trưởng Ban kiểm phiếu"
	case vote.BoardSecretary:
		return "Thư ký"
	}
	return "Ủy viên"
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToLower(string(r[:1])) + string(r[1:])
}

// shortCitation is a rule set's citation without its subject: "Nghị quyết số 96/2023/QH15 ngày 23
// tháng 6 năm 2023 của Quốc hội".
func shortCitation(rs rules.RuleSet) string {
	c, _, _ := strings.Cut(rs.Citation, " về việc ")
	if c == "" {
		return rs.Name
	}
	return c
}

// Resolution is the council's resolution confirming the results, structured as the provincial
// councils' resolutions of December 2023: the figures of the count and the procedure followed in one
// article, then each person's results, the consequences, publication and effect. Until publication it
// is a draft numbered ".../NQ-HĐND"; the published one carries its number, its adoption date and its
// fingerprint.
func Resolution(d Data) Document {
	v, t := d.Vote, d.Tally
	adopted := v.VoteDate
	if v.AdoptedOn != nil {
		adopted = *v.AdoptedOn
	}
	number := "Số: " + v.ResolutionNumber
	if v.ResolutionNumber == "" {
		number = "Số:      /" + d.Settings.NumberSuffix
	}
	draft := v.Status != vote.Published
	doc := Document{Name: "Nghị quyết xác nhận kết quả " + d.procedure() + " - " + v.Title, Draft: draft, Date: d.docDate(),
		Demo: d.Demo, Anchor: d.Anchor}
	add := func(b ...Block) { doc.Blocks = append(doc.Blocks, b...) }
	// NĐ 30/2020: body paragraphs justified, first line indented, at least 6 pt between paragraphs.
	para := func(runs ...Run) Paragraph {
		return Paragraph{Runs: runs, Align: Justify, Indent: 10, SpaceAfter: space6pt}
	}
	basis := func(s string) { add(para(Run{Text: s, Italic: true})) }
	article := 1
	articleP := func(text string) Paragraph {
		p := para(Run{Text: fmt.Sprintf("Điều %d. ", article), Bold: true}, Run{Text: text})
		article++
		return p
	}
	add(NationalHeader{Body: d.Settings.IssuingBody, Number: number, PlaceDate: d.Settings.PlaceName + ", " + DateLong(adopted)})
	add(Title{Kind: "NGHỊ QUYẾT", Size: 14, Summary: []string{"Xác nhận kết quả " + d.procedure() + " đối với người giữ chức vụ do " +
		d.councilPhrase() + " " + d.termPhrase() + " bầu"}})
	add(B(Upper(d.councilPhrase()), Center))
	add(Paragraph{Runs: []Run{{Text: Upper("Khóa " + d.Council.Khoa + ", " + v.SessionName), Bold: true}}, Align: Center, SpaceAfter: 4})
	for _, b := range d.Settings.Bases {
		basis(b)
	}
	if v.Trigger != nil {
		basis("Xét " + triggerPhrase(*v.Trigger) + ";")
	}
	var xet []string
	switch {
	case d.Submission != nil:
		xet = append(xet, cite("Tờ trình", *d.Submission)+" của "+d.standingBody()+" về việc "+d.procedure()+" đối với người giữ chức vụ do "+d.councilPhrase()+" bầu")
	case draft:
		xet = append(xet, "Tờ trình số ......./TTr-....... ngày ..... tháng ..... năm ........ của "+d.standingBody())
	}
	minutes := "Biên bản kiểm phiếu"
	if d.decision(DecisionRecount) != nil {
		minutes = "Biên bản kiểm phiếu lại"
	}
	xet = append(xet, minutes+" "+DateLong(d.minutesDay())+" của Ban kiểm phiếu "+d.procedure()+" tại kỳ họp")
	basis("Xét " + strings.Join(xet, "; ") + "; ý kiến thảo luận của đại biểu " + d.councilPhrase() + " tại kỳ họp.")
	add(Paragraph{Runs: []Run{{Text: "QUYẾT NGHỊ:", Bold: true}}, Align: Center, SpaceBefore: 2, SpaceAfter: space6pt, KeepWithNext: true})

	// The count's figures and the procedure followed, before the per-person results.
	one := articleP(fmt.Sprintf("Việc %s đối với người giữ chức vụ do %s bầu tại %s được tiến hành theo đúng quy định của %s. Kết quả kiểm phiếu như sau:",
		d.procedure(), d.councilPhrase(), lowerFirst(v.SessionName), shortCitation(d.RuleSet)))
	one.KeepWithNext = true
	add(one)
	figures := []string{
		fmt.Sprintf("Tổng số đại biểu %s: %d đại biểu.", d.councilPhrase(), t.TotalDelegates),
		fmt.Sprintf("Số phiếu phát ra: %d phiếu.", t.BallotsIssued),
		fmt.Sprintf("Số phiếu thu vào: %d phiếu.", t.BallotsReceived),
		fmt.Sprintf("Số phiếu hợp lệ: %d phiếu; số phiếu không hợp lệ: %d phiếu.", t.ValidBallots, t.InvalidBallots),
	}
	for i, f := range figures {
		p := para(Run{Text: fmt.Sprintf("%d. %s", i+1, f)})
		p.KeepWithNext = i < len(figures)-1
		add(p)
	}

	what := fmt.Sprintf("Xác nhận kết quả %s đối với %d người giữ chức vụ do %s bầu", d.procedure(), len(t.Subjects), d.councilPhrase())
	if x := d.decision(DecisionListApproved); x != nil {
		what += ", có tên trong danh sách được " + d.councilPhrase() + " thông qua tại " + cite("Nghị quyết", *x) + ","
	}
	two := articleP(what + " như sau:")
	two.KeepWithNext = true
	add(two)
	levels := v.Kind.Levels()
	table := Table{Columns: subjectColumns(levels, 36, 41, 75), FontSize: 11}
	for i, s := range t.Subjects {
		row := []Cell{{Text: fmt.Sprint(i + 1)}, {Text: s.FullName, Bold: true}, {Text: positions(s.Positions)}}
		for _, l := range levels {
			row = append(row, Cell{Text: fmt.Sprintf("%d phiếu\n(%s)", s.Counts[l], PercentProse(s.Percentages[l]))})
		}
		table.Rows = append(table.Rows, row)
	}
	add(table)
	add(para(Run{Text: d.baseSentence(), Italic: true}))
	for _, s := range t.Subjects {
		if alt := tally.AlternativeOf(t, s); alt != nil {
			add(para(Run{Text: d.bothBases(s, alt), Italic: true}))
		}
	}
	var inBand []tally.SubjectResult
	for _, s := range t.Subjects {
		if s.Band != rules.BandNone {
			inBand = append(inBand, s)
		}
	}
	if len(inBand) > 0 {
		h := articleP("Hệ quả của kết quả " + d.procedure() + ":")
		h.KeepWithNext = true
		add(h)
		for _, s := range inBand {
			dec := s.Counts[v.Kind.Decisive()]
			add(para(Run{Text: fmt.Sprintf("%s có %d phiếu \"%s\" (%s). %s", s.FullName, dec, v.Kind.Decisive().Label(),
				PercentProse(s.Percentages[v.Kind.Decisive()]), s.Consequence)}))
		}
	}
	add(articleP(d.standingBody() + " công bố công khai kết quả " + d.procedure() + " trên Cổng thông tin điện tử theo quy định."))
	effect := "Nghị quyết này được " + d.councilPhrase() + " khóa " + d.Council.Khoa + ", " + lowerFirst(v.SessionName) +
		" thông qua " + DateLong(adopted) + " và có hiệu lực từ ngày thông qua"
	if x := d.Supersedes; x != nil {
		// A published resolution is never edited: the recount's resolution replaces it, and says so.
		effect += "; thay thế " + d.citeCouncil(*x) + " về việc xác nhận kết quả " + d.procedure()
	}
	last := articleP(effect + "./.")
	last.KeepWithNext = true // the signature stays with the last article
	add(last)
	add(Signature{Recipients: d.Settings.Recipients, Authority: d.Settings.SignerAuthority, Name: d.Settings.SignerName})
	return doc
}

func triggerPhrase(t rules.Trigger) string {
	doc := ""
	if t.Document != "" {
		doc = " (" + t.Document + ")"
	}
	switch t.Type {
	case rules.TriggerConfidenceResult:
		return "kết quả lấy phiếu tín nhiệm có quá nửa tổng số đại biểu đánh giá \"tín nhiệm thấp\" mà người được lấy phiếu không xin từ chức"
	case rules.TriggerPetition:
		return fmt.Sprintf("kiến nghị bằng văn bản của %d đại biểu%s", t.Petitioners, doc)
	case rules.TriggerFatherlandFront:
		return "kiến nghị của Ủy ban Mặt trận Tổ quốc Việt Nam cùng cấp" + doc
	case rules.TriggerStandingBody:
		return "đề nghị của Ủy ban Thường vụ Quốc hội" + doc
	case rules.TriggerEthnicCommittee:
		return "kiến nghị của Hội đồng Dân tộc hoặc Ủy ban của Quốc hội" + doc
	}
	return string(t.Type) + doc
}

// subjectColumns are the columns of a table of subjects: STT, name and posts of the widths given,
// then one column per level sharing levelsWidth (millimetres).
func subjectColumns(levels []rules.Level, nameWidth, postWidth, levelsWidth float64) []Column {
	cols := []Column{{"STT", 13, Center}, {"Họ và tên", nameWidth, Left}, {"Chức vụ", postWidth, Left}}
	w := levelsWidth / float64(len(levels))
	for _, l := range levels {
		cols = append(cols, Column{LevelHeader(l), w, Center})
	}
	return cols
}

// paperSentences words the paper part of the count for the minutes (issue 16 §6): the figures of the
// whole count, the invalid ballots with their reasons, any missing ballot with the board's
// explanation, and the double entry batch by batch (who entered it, how it was settled). Never a
// count of the paper ballots apart: the results are of both kinds together.
func paperSentences(p vote.Paper) []string {
	num := func(x *int) int {
		if x == nil {
			return 0
		}
		return *x
	}
	var out []string
	s := "Phiếu giấy: số đại biểu nhận phiếu giấy: " + fmt.Sprint(num(p.PaperIssued))
	if p.SlipsIssued != nil && *p.SlipsIssued > 0 {
		s += fmt.Sprintf(" (số đại biểu nhận phiếu mã để bỏ phiếu điện tử: %d)", *p.SlipsIssued)
	}
	s += fmt.Sprintf("; số phiếu giấy thu về: %d; số phiếu giấy trả lại không sử dụng: %d", num(p.Received), num(p.Returned))
	if num(p.Spoiled) > 0 {
		s += fmt.Sprintf("; số phiếu viết hỏng đã đổi (hủy): %d", num(p.Spoiled))
	}
	s += fmt.Sprintf("; số phiếu giấy không hợp lệ: %d; số phiếu giấy hợp lệ: %d.", len(p.Invalid), p.Valid)
	out = append(out, s)
	if len(p.Invalid) > 0 {
		reasons := map[string]int{}
		var order []string
		for _, x := range p.Invalid {
			if reasons[x.Reason] == 0 {
				order = append(order, x.Reason)
			}
			reasons[x.Reason]++
		}
		parts := make([]string, len(order))
		for i, r := range order {
			parts[i] = fmt.Sprintf("%s: %d phiếu", r, reasons[r])
		}
		out = append(out, "Phiếu giấy không hợp lệ (cả phiếu, không tính cho người nào): "+strings.Join(parts, "; ")+".")
	}
	if p.Missing > 0 {
		out = append(out, fmt.Sprintf("Số phiếu giấy không thu về được: %d phiếu. Giải trình của Ban kiểm phiếu: %s", p.Missing, strings.TrimSuffix(p.MissingNote, ".")+"."))
	}
	if len(p.Batches) > 0 {
		parts := make([]string, len(p.Batches))
		for i, b := range p.Batches {
			part := fmt.Sprintf("tập %d (%d phiếu), do %s nhập", b.Number, b.Size, strings.Join(b.EnteredBy[:min(2, len(b.EnteredBy))], " và "))
			switch b.Outcome {
			case vote.OutcomeMatched:
				part += ", hai lần nhập khớp nhau"
			case vote.OutcomeThirdEntry:
				part += fmt.Sprintf(", chênh lệch ở %d phiếu, thống nhất theo lần nhập thứ ba của %s", b.Differences, b.EnteredBy[len(b.EnteredBy)-1])
			case vote.OutcomeHead:
				part += fmt.Sprintf(", chênh lệch ở %d phiếu, do Trưởng Ban kiểm phiếu %s quyết định sau khi đối chiếu phiếu", b.Differences, b.SettledBy)
			}
			parts[i] = part
		}
		out = append(out, fmt.Sprintf("Phiếu giấy hợp lệ được chia thành %d tập; mỗi tập do hai thành viên Ban kiểm phiếu nhập độc lập vào hệ thống: %s.",
			len(p.Batches), strings.Join(parts, "; ")))
	}
	return out
}

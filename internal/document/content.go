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

// Data is what a vote's documents are made from.
type Data struct {
	Council  roster.Council
	Settings Settings
	Vote     vote.Vote
	Tally    tally.Result
	RuleSet  rules.RuleSet
	Location *time.Location // for the times printed (the council's time zone)
}

// docDate is the fixed metadata date of a vote's documents: the vote day, noon UTC.
func (d Data) docDate() time.Time { return d.Vote.VoteDate.Time().Add(12 * time.Hour) }

// councilPhrase is the council's name as it follows "do ... bầu": "Hội đồng nhân dân tỉnh Sơn Hà".
func (d Data) councilPhrase() string { return d.Council.Name }

func (d Data) procedure() string {
	if d.Vote.Kind == rules.NoConfidence {
		return "bỏ phiếu tín nhiệm"
	}
	return "lấy phiếu tín nhiệm"
}

// positions writes a subject's posts as printed: "Chủ tịch HĐND tỉnh; Trưởng Ban Pháp chế".
func positions(ps []roster.Position) string {
	titles := make([]string, len(ps))
	for i, p := range ps {
		titles[i] = p.Title
	}
	return strings.Join(titles, "; ")
}

// baseSentence states the percentage base in words.
func (d Data) baseSentence() string {
	n := d.Tally.BaseValue
	if d.Tally.PercentageBase == rules.BaseBallotsReceived {
		return fmt.Sprintf("Tỷ lệ phần trăm (%%) được tính trên tổng số phiếu thu vào: %d (%s) phiếu.", n, NumberWords(n))
	}
	return fmt.Sprintf("Tỷ lệ phần trăm (%%) được tính trên tổng số đại biểu %s: %d (%s) đại biểu.", d.councilPhrase(), n, NumberWords(n))
}

func bandNote(s tally.SubjectResult) string {
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
			notes = append(notes, "Kết quả khác nhau theo cách tính tỷ lệ: cần xem xét")
		case tally.FlagResigned:
			notes = append(notes, "Đã xin từ chức")
		}
	}
	return strings.Join(notes, "; ")
}

// Minutes is the counting board's tally minutes (biên bản kiểm phiếu).
func Minutes(d Data) Document {
	v, t := d.Vote, d.Tally
	// The counting happened on the vote day; its time is the close's when the close was that day (an
	// archived vote entered later gets dotted places for the time instead).
	day := v.VoteDate
	clock := func() string { return ".... giờ .... phút" }
	if v.ClosedAt != nil && civil.Of(v.ClosedAt.In(d.Location)) == day {
		closed := v.ClosedAt.In(d.Location)
		clock = func() string { return fmt.Sprintf("%02d giờ %02d phút", closed.Hour(), closed.Minute()) }
	}
	doc := Document{Name: "Biên bản kiểm phiếu - " + v.Title, Draft: v.Status == vote.Closed, Date: d.docDate()}
	add := func(b ...Block) { doc.Blocks = append(doc.Blocks, b...) }
	heading := func(s string) { add(Paragraph{Runs: []Run{{Text: s, Bold: true}}, SpaceBefore: 2}) }
	body := func(s string) { add(Paragraph{Runs: []Run{{Text: s}}, Align: Justify, Indent: 10}) }
	add(NationalHeader{Body: append(append([]string{}, d.Settings.IssuingBody...), "BAN KIỂM PHIẾU"), Plain: len(d.Settings.IssuingBody),
		PlaceDate: d.Settings.PlaceName + ", " + DateLong(day)})
	add(Title{Kind: "BIÊN BẢN KIỂM PHIẾU", Summary: []string{strings.ToUpper(d.procedure()[:1]) + d.procedure()[1:] + " đối với người giữ chức vụ do " + d.councilPhrase() + " bầu"}})
	heading("1. Thời gian, địa điểm")
	body(fmt.Sprintf("Vào lúc %s, %s, tại %s %s khóa %s.", clock(), DateLong(day), lowerFirst(v.SessionName), d.councilPhrase(), d.Council.Khoa))
	heading("2. Thành phần Ban kiểm phiếu")
	for _, m := range v.Board {
		body(fmt.Sprintf("- %s, %s;", m.FullName, boardRoleLabel(m.BoardRole)))
	}
	heading("3. Số đại biểu")
	body(fmt.Sprintf("Tổng số đại biểu %s: %d (%s) đại biểu. Số đại biểu có mặt (nhận phiếu): %d (%s) đại biểu.",
		d.councilPhrase(), t.TotalDelegates, NumberWords(t.TotalDelegates), t.BallotsIssued, NumberWords(t.BallotsIssued)))
	heading("4. Số phiếu")
	body(fmt.Sprintf("Số phiếu phát ra: %d; số phiếu thu vào: %d; số phiếu hợp lệ: %d; số phiếu không hợp lệ: %d.",
		t.BallotsIssued, t.BallotsReceived, t.ValidBallots, t.InvalidBallots))
	if t.Quorum != nil {
		met := "đủ"
		if !t.Quorum.Met {
			met = "không đủ"
		}
		body(fmt.Sprintf("Số người có mặt %d/%d: %s hai phần ba theo quy định.", t.Quorum.Present, t.Quorum.Convened, met))
	}
	heading("5. Kết quả kiểm phiếu")
	levels := v.Kind.Levels()
	cols := []Column{{"STT", 13, Center}, {"Họ và tên", 28, Left}, {"Chức vụ", 31, Left}, {"Số phiếu hợp lệ", 14, Center}}
	w := 54.0 / float64(len(levels))
	for _, l := range levels {
		cols = append(cols, Column{LevelHeader(l) + "\n(số phiếu, %)", w, Center})
	}
	cols = append(cols, Column{"Ghi chú", 25, Left})
	table := Table{Columns: cols, FontSize: 10.5}
	for i, s := range t.Subjects {
		row := []Cell{{Text: fmt.Sprint(i + 1)}, {Text: s.FullName, Bold: true}, {Text: positions(s.Positions)}, {Text: fmt.Sprint(s.Rated)}}
		for _, l := range levels {
			row = append(row, Cell{Text: fmt.Sprintf("%d\n%s%%", s.Counts[l], PercentTable(s.Percentages[l]))})
		}
		row = append(row, Cell{Text: bandNote(s)})
		table.Rows = append(table.Rows, row)
	}
	add(table)
	add(Paragraph{Runs: []Run{{Text: d.baseSentence(), Italic: true}}, Align: Justify, Indent: 10})
	inBand := false
	for _, s := range t.Subjects {
		if s.Band != rules.BandNone {
			if !inBand {
				add(Paragraph{Runs: []Run{{Text: "Hệ quả theo quy định:", Italic: true, Bold: true}}, Indent: 10})
				inBand = true
			}
			body(fmt.Sprintf("- %s: %s", s.FullName, s.Consequence))
		}
	}
	heading("6. Ý kiến, khiếu nại (nếu có)")
	body(strings.Repeat(".", 120))
	body(strings.Repeat(".", 120))
	body(fmt.Sprintf("Biên bản được lập thành %02d bản, hoàn thành lúc %s, %s.", d.Settings.Copies, clock(), DateLong(day)))
	var signers []Signer
	for _, m := range v.Board {
		signers = append(signers, Signer{Role: boardRoleLabel(m.BoardRole), Name: m.FullName})
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

// Resolution is the council's resolution confirming the results. Until publication it is a draft
// numbered ".../NQ-HĐND"; the published one carries its number, its adoption date and its fingerprint.
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
	doc := Document{Name: "Nghị quyết xác nhận kết quả " + d.procedure() + " - " + v.Title, Draft: v.Status != vote.Published, Date: d.docDate()}
	add := func(b ...Block) { doc.Blocks = append(doc.Blocks, b...) }
	add(NationalHeader{Body: d.Settings.IssuingBody, Number: number, PlaceDate: d.Settings.PlaceName + ", " + DateLong(adopted)})
	add(Title{Kind: "NGHỊ QUYẾT", Summary: []string{"Xác nhận kết quả " + d.procedure() + " đối với người giữ chức vụ", "do " + d.councilPhrase() + " bầu"}})
	add(B(Upper(d.councilPhrase()), Center))
	add(Paragraph{Runs: []Run{{Text: Upper("Khóa " + d.Council.Khoa + ", " + v.SessionName), Bold: true}}, Align: Center, SpaceAfter: 3})
	for _, b := range d.Settings.Bases {
		add(Paragraph{Runs: []Run{{Text: b, Italic: true}}, Align: Justify, Indent: 10})
	}
	if v.Trigger != nil {
		add(Paragraph{Runs: []Run{{Text: "Xét " + triggerPhrase(*v.Trigger) + ";", Italic: true}}, Align: Justify, Indent: 10})
	}
	add(Paragraph{Runs: []Run{{Text: "Xét Biên bản kiểm phiếu " + d.procedure() + " của Ban kiểm phiếu tại kỳ họp.", Italic: true}}, Align: Justify, Indent: 10})
	add(Paragraph{Runs: []Run{{Text: "QUYẾT NGHỊ:", Bold: true}}, Align: Center, SpaceBefore: 3, SpaceAfter: 2})
	add(Paragraph{Runs: []Run{{Text: "Điều 1. ", Bold: true}, {Text: fmt.Sprintf("Xác nhận kết quả %s đối với %d người giữ chức vụ do %s bầu như sau:",
		d.procedure(), len(t.Subjects), d.councilPhrase())}}, Indent: 10})
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
	add(Paragraph{Runs: []Run{{Text: d.baseSentence(), Italic: true}}, Align: Justify, Indent: 10})
	article := 2
	var inBand []tally.SubjectResult
	for _, s := range t.Subjects {
		if s.Band != rules.BandNone {
			inBand = append(inBand, s)
		}
	}
	if len(inBand) > 0 {
		add(Paragraph{Runs: []Run{{Text: fmt.Sprintf("Điều %d. ", article), Bold: true}, {Text: "Hệ quả của kết quả " + d.procedure() + ":"}}, Indent: 10, SpaceBefore: 2})
		for _, s := range inBand {
			dec := s.Counts[v.Kind.Decisive()]
			add(Paragraph{Runs: []Run{{Text: fmt.Sprintf("%s có %d phiếu \"%s\" (%s). %s", s.FullName, dec, v.Kind.Decisive().Label(),
				PercentProse(s.Percentages[v.Kind.Decisive()]), s.Consequence)}}, Align: Justify, Indent: 10})
		}
		article++
	}
	add(Paragraph{Runs: []Run{{Text: fmt.Sprintf("Điều %d. ", article), Bold: true}, {Text: "Thường trực " + d.councilPhrase() +
		" công bố công khai kết quả " + d.procedure() + " trên Cổng thông tin điện tử theo quy định."}}, Indent: 10, SpaceBefore: 2})
	article++
	add(Paragraph{Runs: []Run{{Text: fmt.Sprintf("Điều %d. ", article), Bold: true}, {Text: "Nghị quyết này được " + d.councilPhrase() +
		" khóa " + d.Council.Khoa + ", " + lowerFirst(v.SessionName) + " thông qua " + DateLong(adopted) + " và có hiệu lực từ ngày thông qua./."}},
		Indent: 10, SpaceBefore: 2})
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

// Ballot is the printed ballot of one ballot group (the picture delegates see on screen, too).
func Ballot(d Data, group int) Document {
	v := d.Vote
	title := "PHIẾU TÍN NHIỆM"
	if v.Kind == rules.NoConfidence {
		title = "PHIẾU BỎ PHIẾU TÍN NHIỆM"
	}
	groupTitle := ""
	if group < len(v.BallotGroups) {
		groupTitle = v.BallotGroups[group]
	}
	doc := Document{Name: title + " - " + groupTitle, Date: d.docDate()}
	add := func(b ...Block) { doc.Blocks = append(doc.Blocks, b...) }
	add(NationalHeader{Body: d.Settings.IssuingBody})
	add(Title{Kind: title, Summary: []string{Upper("Đối với " + lowerFirst(groupTitle))}})
	add(Paragraph{Runs: []Run{{Text: fmt.Sprintf("%s, %s khóa %s, nhiệm kỳ %d - %d", v.SessionName, d.councilPhrase(), d.Council.Khoa,
		d.Council.TermStartYear, d.Council.TermEndYear), Italic: true}}, Align: Center, SpaceAfter: 3})
	levels := v.Kind.Levels()
	table := Table{Columns: subjectColumns(levels, 42, 50, 60), FontSize: 12}
	n := 0
	for _, s := range v.Subjects {
		if s.BallotGroup != group {
			continue
		}
		n++
		row := []Cell{{Text: fmt.Sprint(n)}, {Text: s.FullName, Bold: true}, {Text: positions(s.Positions)}}
		for range levels {
			row = append(row, Cell{Box: true})
		}
		table.Rows = append(table.Rows, row)
	}
	add(table)
	instr := "Ghi chú: Đánh dấu (X) vào một trong ba ô \"Tín nhiệm cao\", \"Tín nhiệm\" hoặc \"Tín nhiệm thấp\" đối với từng người."
	if v.Kind == rules.NoConfidence {
		instr = "Ghi chú: Đánh dấu (X) vào một trong hai ô \"Tín nhiệm\" hoặc \"Không tín nhiệm\" đối với từng người."
	}
	add(Paragraph{Runs: []Run{{Text: instr + " Phiếu không đánh dấu hoặc đánh dấu từ hai ô trở lên đối với người nào thì không hợp lệ đối với người đó.", Italic: true}},
		Align: Justify, SpaceBefore: 2})
	add(SealBox{Caption: "Dấu của " + d.councilPhrase()})
	return doc
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

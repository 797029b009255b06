package document

import (
	"time"

	"tinnhiem/internal/ballot"
	"tinnhiem/internal/civil"
	"tinnhiem/internal/roster"
	"tinnhiem/internal/rules"
	"tinnhiem/internal/tally"
	"tinnhiem/internal/vote"
)

// sampleData is a vote with several subjects, one in each band, a blank row and a zero count.
func sampleData(status vote.Status) Data {
	council := roster.Council{ID: "c1", Name: "Hội đồng nhân dân tỉnh Sơn Hà", Body: roster.BodyHDND, Level: roster.LevelTinh,
		Place: "tỉnh Sơn Hà", Khoa: "XI", TermStartYear: 2026, TermEndYear: 2031}
	rs, _ := rules.Get("NQ96_2023")
	pos := func(cat roster.Category, title string) []roster.Position {
		return []roster.Position{{Category: cat, Title: title, ElectedOn: civil.MustParse("2026-06-26")}}
	}
	subjects := []vote.Subject{
		{OfficialID: "a", FullName: "Nguyễn Văn Thành", Positions: pos("hdnd_chu_tich", "Chủ tịch Hội đồng nhân dân tỉnh")},
		{OfficialID: "b", FullName: "Lê Hoàng Phong", Positions: append(pos("hdnd_pho_chu_tich", "Phó Chủ tịch Hội đồng nhân dân tỉnh"),
			roster.Position{Category: "hdnd_truong_ban", Title: "Trưởng Ban Kinh tế - Ngân sách Hội đồng nhân dân tỉnh", ElectedOn: civil.MustParse("2026-06-26")})},
		{OfficialID: "c", FullName: "Đoàn Quốc Huy", Positions: pos("ubnd_chu_tich", "Chủ tịch Ủy ban nhân dân tỉnh")},
		{OfficialID: "d", FullName: "Ngô Thị Bích Vân", Positions: pos("ubnd_pho_chu_tich", "Phó Chủ tịch Ủy ban nhân dân tỉnh")},
	}
	adopted := civil.MustParse("2028-12-05")
	closed := time.Date(2028, 12, 5, 3, 45, 0, 0, time.UTC)
	v := vote.Vote{ID: "v1", CouncilID: "c1", Kind: rules.Confidence, Title: "Lấy phiếu tín nhiệm năm 2028", SessionName: "Kỳ họp thứ 12",
		SessionOpensOn: civil.MustParse("2028-12-03"), VoteDate: civil.MustParse("2028-12-05"), RuleSet: rs.ID,
		PercentageBase: rules.BaseTotalDelegates, Status: status, Subjects: subjects, ClosedAt: &closed,
		BallotGroups: []string{"Người giữ chức vụ do Hội đồng nhân dân tỉnh Sơn Hà bầu"},
		Board: []vote.Member{{FullName: "Lương Văn Khải", BoardRole: vote.BoardHead}, {FullName: "Mai Thị Hằng", BoardRole: vote.BoardSecretary},
			{FullName: "Tạ Văn Minh", BoardRole: vote.BoardMember}}}
	if status == vote.Published {
		v.ResolutionNumber, v.AdoptedOn = "52/NQ-HĐND", &adopted
	}
	// 47 delegates, 47 ballots. a: 46/0/1; b: 20/2/25 (middle band); c: 10/5/32 (two thirds); d: one blank row.
	in := tally.Input{Kind: rules.Confidence, RuleSet: rs, Base: rules.BaseTotalDelegates, TotalDelegates: 47, BallotsIssued: 47, Body: roster.BodyHDND,
		Subjects: []tally.Subject{{OfficialID: "a", FullName: subjects[0].FullName, Positions: subjects[0].Positions},
			{OfficialID: "b", FullName: subjects[1].FullName, Positions: subjects[1].Positions},
			{OfficialID: "c", FullName: subjects[2].FullName, Positions: subjects[2].Positions},
			{OfficialID: "d", FullName: subjects[3].FullName, Positions: subjects[3].Positions}}}
	c := tally.NewCounter(in)
	col := func(spec ...any) string {
		s := ""
		for i := 0; i < len(spec); i += 2 {
			for j := 0; j < spec[i+1].(int); j++ {
				s += spec[i].(string)
			}
		}
		return s
	}
	cols := []string{col("h", 46, "l", 1), col("h", 20, "m", 2, "l", 25), col("h", 10, "m", 5, "l", 32), col("h", 40, "m", 6, "0", 1)}
	for b := 0; b < 47; b++ {
		marks := string([]byte{cols[0][b], cols[1][b], cols[2][b], cols[3][b]})
		c.Add(marks, true)
	}
	res, err := c.Result()
	if err != nil {
		panic(err)
	}
	_ = ballot.Blank
	d := Data{Council: council, Settings: DefaultSettings(council, "Nguyễn Văn Thành"), Vote: v, Tally: res, RuleSet: rs, Location: time.FixedZone("ICT", 7*3600)}
	if status == vote.Published {
		// Everything the lead records: the published documents print it all. The closed sample leaves
		// it out, so its documents show the clean blanks.
		ended := closed.Add(40 * time.Minute)
		signed := 47
		d.Venue = "Hội trường Trung tâm Hội nghị tỉnh"
		d.CountEnded = &ended
		d.Decisions = []Decision{
			{Kind: DecisionListApproved, Number: "48/NQ-HĐND", Date: civil.MustParse("2028-12-04")},
			{Kind: DecisionBoardElected, Number: "49/NQ-HĐND", Date: civil.MustParse("2028-12-05")},
			{Kind: DecisionPercentageBase, Number: "50/NQ-HĐND", Date: civil.MustParse("2028-12-05"), Base: rules.BaseTotalDelegates},
		}
		d.Submission = &Decision{Kind: DecisionSubmission, Number: "95/TTr-HĐND", Date: civil.MustParse("2028-11-20")}
		d.SignedIssuance = &signed
		d.Anchor = "9f2c41d07ab35e88c0d1f4a2b6e7c9d0135f7a9b2c4d6e8f0a1b3c5d7e9f1a2b:128"
		d.FrontendHash = "5d41402abc4b2a76b9719d911017c592ae2f1c3b4d5e6f708192a3b4c5d6e7f8"
	}
	return d
}

package main

import (
	"fmt"
	"time"

	"tinnhiem/internal/civil"
	"tinnhiem/internal/document"
	"tinnhiem/internal/roster"
	"tinnhiem/internal/rules"
	"tinnhiem/internal/tally"
	"tinnhiem/internal/vote"
)

// benchDocumentData is a closed vote of 50 subjects (the National Assembly's size) with 480 ballots.
func benchDocumentData() document.Data {
	rs, _ := rules.Get("NQ96_2023")
	council := roster.Council{Name: "Hội đồng nhân dân tỉnh Đo", Body: roster.BodyHDND, Level: roster.LevelTinh, Place: "tỉnh Đo", Khoa: "XI", TermStartYear: 2026, TermEndYear: 2031}
	var subjects []vote.Subject
	var ts []tally.Subject
	for i := 0; i < 50; i++ {
		p := []roster.Position{{Category: "ubnd_uy_vien", Title: fmt.Sprintf("Ủy viên Ủy ban nhân dân tỉnh, Giám đốc Sở số %d", i), ElectedOn: civil.MustParse("2026-06-26")}}
		subjects = append(subjects, vote.Subject{OfficialID: fmt.Sprint(i), FullName: fmt.Sprintf("Nguyễn Văn Người Thứ %d", i), Positions: p})
		ts = append(ts, tally.Subject{OfficialID: fmt.Sprint(i), FullName: subjects[i].FullName, Positions: p})
	}
	c := tally.NewCounter(tally.Input{Kind: rules.Confidence, RuleSet: rs, Base: rules.BaseTotalDelegates, TotalDelegates: 500, BallotsIssued: 480, Subjects: ts, Body: roster.BodyHDND})
	for b := 0; b < 480; b++ {
		m := make([]byte, 50)
		for j := range m {
			m[j] = "hhhml0"[(b*7+j*3)%6]
		}
		c.Add(string(m), true)
	}
	res, _ := c.Result()
	closed := time.Date(2028, 12, 5, 3, 45, 0, 0, time.UTC)
	v := vote.Vote{Kind: rules.Confidence, Title: "Lấy phiếu tín nhiệm", SessionName: "Kỳ họp thứ 12", VoteDate: civil.MustParse("2028-12-05"),
		RuleSet: rs.ID, PercentageBase: rules.BaseTotalDelegates, Status: vote.Closed, Subjects: subjects, ClosedAt: &closed,
		BallotGroups: []string{"Người giữ chức vụ do Hội đồng nhân dân tỉnh Đo bầu"},
		Board:        []vote.Member{{FullName: "Trưởng Ban", BoardRole: vote.BoardHead}, {FullName: "Thư Ký", BoardRole: vote.BoardSecretary}}}
	return document.Data{Council: council, Settings: document.DefaultSettings(council, "Chủ Tịch"), Vote: v, Tally: res, RuleSet: rs, Location: time.UTC}
}

package web_test

import (
	"strings"
	"testing"

	"tinnhiem/internal/store"
	"tinnhiem/internal/tally"
	"tinnhiem/internal/testdb"
	"tinnhiem/internal/vote"
)

// TestTheBaseIsTheCouncilsDecision: a base-sensitive vote (T=5, B=4, three "thấp" for the chair: 60 %
// of T, 75 % of B). The secretariat records the list and the base before the opening; after the close
// the head enters the council's decision changing the base, every figure follows and both stay
// visible; once a member has certified the base cannot change. Then a recount on the council's
// decision: certifications are done again and the published resolution is superseded, never edited.
func TestTheBaseIsTheCouncilsDecision(t *testing.T) {
	testdb.Dialects(t, func(t *testing.T, st *store.Store) {
		e := newVoteEnv(t, st, 5)
		sec, head := e.tokens["secretariat"], e.board["head"]
		chair, ubnd := e.officials["chair"].ID, e.officials["ubnd"].ID
		v := e.draft(map[string]any{"kind": "confidence", "title": "LPTN", "session_name": "Kỳ họp thứ 15", "session_opens_on": "2023-12-06",
			"vote_date": "2023-12-08", "official_ids": []string{chair, ubnd}, "venue": "Hội trường Trung tâm Hội nghị tỉnh"})
		base := "/api/v1/votes/" + v.ID
		e.must(e.call("POST", base+"/decisions", sec, map[string]any{"kind": "list_approved", "number": "10/NQ-HĐND", "date": "2023-12-06"}), 201, nil)
		e.must(e.call("POST", base+"/decisions", sec, map[string]any{"kind": "board_elected", "number": "11/NQ-HĐND", "date": "2023-12-08"}), 201, nil)
		e.must(e.call("POST", base+"/decisions", sec, map[string]any{"kind": "submission", "number": "120/TTr-HĐND", "date": "2023-12-01"}), 201, nil)
		if r := e.call("POST", base+"/decisions", sec, map[string]any{"kind": "percentage_base", "number": "12/NQ-HĐND", "date": "2023-12-08"}); r.status != 422 {
			t.Fatalf("a base decision without its base: %d", r.status)
		}
		var out voteResponse
		e.must(e.call("POST", base+"/decisions", sec, map[string]any{"kind": "percentage_base", "number": "12/NQ-HĐND", "date": "2023-12-08",
			"base": "total_delegates"}), 201, &out)
		if len(out.Decisions) != 4 || out.PercentageBase != "total_delegates" {
			t.Fatalf("decisions: %+v", out.Decisions)
		}
		var codes struct{ Codes []string }
		e.must(e.call("POST", base+"/codes", head, map[string]any{"count": 4}), 201, &codes)
		e.must(e.call("POST", base+"/open", head, nil), 200, nil)
		if r := e.call("POST", base+"/decisions", sec, map[string]any{"kind": "board_confirmed", "number": "13/NQ-HĐND", "date": "2023-12-08"}); r.status != 409 {
			t.Fatalf("a setup decision after the opening: %d", r.status)
		}
		for i, l := range []string{"low", "low", "low", "high"} {
			e.must(e.call("POST", base+"/issuances", head, map[string]any{"delegate_id": e.delegates[i].ID}), 201, nil)
			e.must(e.call("POST", "/api/v1/ballots", "", map[string]any{"code": codes.Codes[i], "choices": []map[string]any{choice(chair, l), choice(ubnd, "high")}}), 201, nil)
		}
		e.must(e.call("PUT", base+"/signed-issuance", head, map[string]any{"count": 4}), 200, nil)
		e.must(e.call("POST", base+"/close", head, nil), 200, nil)
		var res tally.Result
		e.must(e.call("GET", base+"/tally", sec, nil), 200, &res)
		s1 := res.Subjects[0]
		if s1.Percentages["low"] != "60.00" || s1.Band != "over_half_under_two_thirds" || s1.Alternative == nil ||
			s1.Alternative.Percentages["low"] != "75.00" || s1.Alternative.Band != "two_thirds_or_more" {
			t.Fatalf("both bases before the change: %+v", s1)
		}
		// Nobody on the ballot, nor anyone but the head, enters the council's decision.
		if r := e.call("POST", base+"/base", sec, map[string]any{"base": "ballots_received", "number": "14/NQ-HĐND", "date": "2023-12-08"}); r.status != 403 {
			t.Fatalf("the secretariat changed the base: %d", r.status)
		}
		e.must(e.call("POST", base+"/base", head, map[string]any{"base": "ballots_received", "number": "14/NQ-HĐND", "date": "2023-12-08"}), 200, nil)
		e.must(e.call("GET", base+"/tally", sec, nil), 200, &res)
		s1 = res.Subjects[0]
		if res.PercentageBase != "ballots_received" || res.BaseValue != 4 || s1.Percentages["low"] != "75.00" || s1.Band != "two_thirds_or_more" ||
			s1.Alternative == nil || s1.Alternative.Percentages["low"] != "60.00" {
			t.Fatalf("after the council's decision: %+v", s1)
		}
		minutes := pdfToText(t, e.call("GET", base+"/documents/minutes.pdf", sec, nil).body)
		for _, want := range []string{"75,00", "60,00", "14/NQ-HĐND", "Hội trường Trung tâm Hội nghị tỉnh", "11/NQ-HĐND"} {
			if !strings.Contains(strings.Join(strings.Fields(minutes), " "), want) {
				t.Errorf("the minutes lack %q", want)
			}
		}
		e.signList(base)
		e.must(e.call("POST", base+"/certifications", head, map[string]any{"tally_hash": res.TallyHash}), 200, nil)
		if r := e.call("POST", base+"/base", head, map[string]any{"base": "total_delegates", "number": "15/NQ-HĐND", "date": "2023-12-08"}); r.status != 409 {
			t.Fatalf("a base change after a certification: %d", r.status)
		}
		for _, role := range []string{"secretary", "member"} {
			e.must(e.call("POST", base+"/certifications", e.board[role], map[string]any{"tally_hash": res.TallyHash}), 200, nil)
		}
		e.must(e.call("POST", base+"/announce", head, nil), 200, nil)
		e.must(e.call("POST", base+"/publish", sec, map[string]any{"resolution_number": "52/NQ-HĐND", "adopted_on": "2023-12-08"}), 200, nil)
		resolution := pdfToText(t, e.call("GET", base+"/documents/resolution.pdf", sec, nil).body)
		if !strings.Contains(resolution, "75,00") || !strings.Contains(strings.Join(strings.Fields(resolution), " "), "120/TTr-HĐND") {
			t.Fatalf("the resolution does not use the council's base, or does not cite the Tờ trình:\n%s", resolution)
		}
		// A recount on the council's decision: the published resolution is superseded.
		if r := e.call("POST", base+"/recount", sec, map[string]any{"number": "16/NQ-HĐND", "date": "2023-12-09", "reason": "Khiếu nại"}); r.status != 403 {
			t.Fatalf("the secretariat reopened the count: %d", r.status)
		}
		e.must(e.call("POST", base+"/recount", head, map[string]any{"number": "16/NQ-HĐND", "date": "2023-12-09", "reason": "Khiếu nại về kiểm phiếu"}), 200, &out)
		if out.Status != vote.Closed || len(out.Superseded) != 1 || out.Superseded[0].ResolutionNumber != "52/NQ-HĐND" || out.AnnouncedAt != nil {
			t.Fatalf("after the recount: %s %+v", out.Status, out.Superseded)
		}
		for _, m := range out.Board {
			if m.Certified {
				t.Fatalf("a certification survived the recount: %+v", m)
			}
		}
		e.signList(base)
		for _, role := range []string{"head", "secretary", "member"} {
			e.must(e.call("POST", base+"/certifications", e.board[role], map[string]any{"tally_hash": res.TallyHash}), 200, nil)
		}
		e.must(e.call("POST", base+"/announce", head, nil), 200, nil)
		e.must(e.call("POST", base+"/publish", sec, map[string]any{"resolution_number": "60/NQ-HĐND", "adopted_on": "2023-12-10"}), 200, nil)
		second := strings.Join(strings.Fields(pdfToText(t, e.call("GET", "/api/v1/public/votes/"+v.ID+"/resolution.pdf", "", nil).body)), " ")
		if !strings.Contains(second, "60/NQ-HĐND") || !strings.Contains(second, "52/NQ-HĐND") {
			t.Fatalf("the new resolution does not say it replaces the first:\n%s", second)
		}
		// The issuance list to sign, before the vote.
		list := pdfToText(t, e.call("GET", base+"/documents/issuance-list.pdf", sec, nil).body)
		if !strings.Contains(list, "DANH SÁCH") || !strings.Contains(list, "Đại biểu Số 1") {
			t.Fatalf("the issuance list:\n%s", list)
		}
	})
}

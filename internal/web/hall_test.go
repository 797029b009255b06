package web_test

import (
	"strings"
	"testing"

	"tinnhiem/internal/store"
	"tinnhiem/internal/tally"
	"tinnhiem/internal/testdb"
	"tinnhiem/internal/vote"
	"tinnhiem/internal/web"
)

// TestHallThroughHTTP: the projector's link shows turnout while open, "counting" until the head
// announces, then the result, and nothing else; it can be revoked. A registered kiosk gets the
// practice ballot. Issuances can be corrected. A draft can be edited, and made once however often
// it is sent with the same idempotency key.
func TestHallThroughHTTP(t *testing.T) {
	testdb.Dialects(t, func(t *testing.T, st *store.Store) {
		e := newVoteEnv(t, st, 4)
		sec, head := e.tokens["secretariat"], e.board["head"]
		chair, ubnd := e.officials["chair"].ID, e.officials["ubnd"].ID
		a := "/api/v1/councils/" + e.councilA
		var link struct {
			ID, Token string
		}
		e.must(e.call("POST", a+"/displays", head, map[string]any{"name": "Màn hình hội trường"}), 201, &link)
		if r := e.call("POST", a+"/displays", e.tokens["observer"], map[string]any{"name": "x"}); r.status != 403 {
			t.Fatalf("an observer made a display link: %d", r.status)
		}
		show := func() vote.Display {
			var d vote.Display
			e.must(e.call("GET", "/api/v1/display", "", nil, web.DisplayHeader, link.Token), 200, &d)
			return d
		}
		if d := show(); d.Vote != nil || !strings.Contains(d.Council, "Mẫu A") {
			t.Fatalf("a council without a vote: %+v", d)
		}
		// Drafting twice with the same key makes one draft.
		body := map[string]any{"kind": "confidence", "title": "LPTN 2023", "session_name": "Kỳ họp thứ 15",
			"session_opens_on": "2023-12-06", "vote_date": "2023-12-08", "official_ids": []string{chair}, "ballot_mode": "plain"}
		var v1, v2 voteResponse
		e.must(e.call("POST", a+"/votes", sec, body, web.IdempotencyHeader, "draft-key-0001"), 201, &v1)
		e.must(e.call("POST", a+"/votes", sec, body, web.IdempotencyHeader, "draft-key-0001"), 201, &v2)
		var all []voteResponse
		e.must(e.call("GET", a+"/votes", sec, nil), 200, &all)
		if v1.ID != v2.ID || len(all) != 1 {
			t.Fatalf("the same key made %d drafts", len(all))
		}
		// The draft is edited: a second person on the ballot.
		body["official_ids"] = []string{chair, ubnd}
		var edited voteResponse
		e.must(e.call("PUT", "/api/v1/votes/"+v1.ID, sec, body), 200, &edited)
		if len(edited.Subjects) != 2 || len(edited.Steps) == 0 || !edited.Steps[1].Current {
			t.Fatalf("edited draft: %d subjects, steps %+v", len(edited.Subjects), edited.Steps)
		}
		base := "/api/v1/votes/" + v1.ID
		e.must(e.call("PUT", base+"/board", sec, map[string]any{"members": []map[string]any{{"user_id": e.boardIDs["head"], "board_role": "head"},
			{"user_id": e.boardIDs["secretary"], "board_role": "secretary"}, {"user_id": e.boardIDs["member"], "board_role": "member"}}}), 200, nil)
		var codes struct{ Codes []string }
		e.must(e.call("POST", base+"/codes", head, map[string]any{"count": 4}), 201, &codes)
		var kiosk struct{ Token string }
		e.must(e.call("POST", base+"/devices", head, map[string]any{"name": "Máy 1"}), 201, &kiosk)
		var practice vote.Ballot
		e.must(e.call("GET", "/api/v1/kiosk/practice", "", nil, web.KioskHeader, kiosk.Token), 200, &practice)
		if !practice.Practice || len(practice.Subjects) != 2 {
			t.Fatalf("practice ballot: %+v", practice)
		}
		e.must(e.call("POST", base+"/open", head, nil), 200, nil)
		// A code entered before the board records the delegate's ballot: told at once.
		if r := e.call("POST", "/api/v1/ballots/lookup", "", map[string]any{"code": codes.Codes[0]}); r.status != 409 || !strings.Contains(string(r.body), "bàn Ban kiểm phiếu") {
			t.Fatalf("a code with no ballot issued: %d %s", r.status, r.body)
		}
		for i := 0; i < 3; i++ {
			e.must(e.call("POST", base+"/issuances", head, map[string]any{"delegate_id": e.delegates[i].ID}), 201, nil)
		}
		// A mistaken issuance: swapped to the right delegate, then one withdrawn.
		e.must(e.call("PUT", base+"/issuances/"+e.delegates[2].ID, head, map[string]any{"delegate_id": e.delegates[3].ID}), 200, nil)
		var issued struct {
			DelegateIDs []string `json:"delegate_ids"`
		}
		e.must(e.call("GET", base+"/issuances", head, nil), 200, &issued)
		if strings.Contains(strings.Join(issued.DelegateIDs, ","), e.delegates[2].ID) || !strings.Contains(strings.Join(issued.DelegateIDs, ","), e.delegates[3].ID) {
			t.Fatalf("after the swap: %v", issued.DelegateIDs)
		}
		e.must(e.call("DELETE", base+"/issuances/"+e.delegates[3].ID, head, nil), 200, nil)
		for i := 0; i < 2; i++ {
			e.must(e.call("POST", "/api/v1/ballots", "", map[string]any{"code": codes.Codes[i], "choices": []map[string]any{choice(chair, "low"), choice(ubnd, "high")}}), 201, nil)
		}
		if r := e.call("DELETE", base+"/issuances/"+e.delegates[0].ID, head, nil); r.status != 409 {
			t.Fatalf("withdrawing below the cast: %d", r.status)
		}
		d := show()
		if d.Vote == nil || d.Vote.Status != vote.Open || d.Vote.Turnout.TotalDelegates != 4 || d.Vote.Result != nil {
			t.Fatalf("the projector while open: %+v", d.Vote)
		}
		raw := string(e.call("GET", "/api/v1/display", "", nil, web.DisplayHeader, link.Token).body)
		for _, private := range []string{"board", "username", "exclusions", "codes", "subjects", "counts"} {
			if strings.Contains(raw, `"`+private+`"`) {
				t.Errorf("the projector shows %q while open", private)
			}
		}
		e.must(e.call("POST", base+"/close", head, nil), 200, nil)
		var res tally.Result
		e.must(e.call("GET", base+"/tally", sec, nil), 200, &res)
		e.signList(base)
		for _, role := range []string{"head", "secretary", "member"} {
			e.must(e.call("POST", base+"/certifications", e.board[role], map[string]any{"tally_hash": res.TallyHash}), 200, nil)
		}
		if d := show(); d.Vote.Status != vote.Certified || d.Vote.Announced || d.Vote.Result != nil {
			t.Fatalf("the projector before the announcement: %+v", d.Vote)
		}
		e.must(e.call("POST", base+"/announce", head, nil), 200, nil)
		if d := show(); !d.Vote.Announced || d.Vote.Result == nil || d.Vote.Result.Subjects[0].Counts["low"] != 2 {
			t.Fatalf("the projector after the announcement: %+v", d.Vote)
		}
		// Revoked: the screen is told so.
		e.must(e.call("DELETE", a+"/displays/"+link.ID, sec, nil), 200, nil)
		if r := e.call("GET", "/api/v1/display", "", nil, web.DisplayHeader, link.Token); r.status != 404 {
			t.Fatalf("a revoked display link: %d", r.status)
		}
	})
}

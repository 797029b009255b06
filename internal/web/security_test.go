package web_test

import (
	"fmt"
	"strings"
	"testing"

	"tinnhiem/internal/audit"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/store"
	"tinnhiem/internal/tally"
	"tinnhiem/internal/testdb"
	"tinnhiem/internal/vote"
)

// TestForwardedForIsWalkedFromTheRight: behind trusted proxies the client is the rightmost address
// that is not a proxy; what the client wrote to the left is neither believed nor logged, and a forged
// address cannot buy a fresh throttle budget.
func TestForwardedForIsWalkedFromTheRight(t *testing.T) {
	e := newEnvConfig(t, testdb.SQLite(t), testConfig("TINNHIEM_PROXY_HEADER", "X-Forwarded-For",
		"TINNHIEM_TRUSTED_PROXIES", "0.0.0.0/8,192.168.7.0/24"))
	e.logs.Reset()
	// The client forges "6.6.6.6"; our proxies (192.168.7.x) append what they saw.
	r := e.call("GET", "/api/v1/me", e.tokens["observer"], nil, "X-Forwarded-For", "6.6.6.6, 203.0.113.9, 192.168.7.2")
	if r.status != 200 {
		t.Fatalf("me: %d", r.status)
	}
	logs := e.logs.String()
	if !strings.Contains(logs, "ip=203.0.113.9") || strings.Contains(logs, "6.6.6.6") {
		t.Fatalf("the request log names the wrong client:\n%s", logs)
	}
	// A garbage entry stops the walk at the last trusted hop.
	e.logs.Reset()
	e.call("GET", "/api/v1/me", e.tokens["observer"], nil, "X-Forwarded-For", "<script>, 192.168.7.2")
	if logs := e.logs.String(); !strings.Contains(logs, "ip=192.168.7.2") || strings.Contains(logs, "script") {
		t.Fatalf("a garbage entry:\n%s", logs)
	}
	// Forging a new leftmost address each time does not reset the login throttle of the real client.
	for i := 0; i < 25; i++ {
		e.call("POST", "/api/v1/auth/login", "", map[string]any{"username": "u.board", "password": "wrong-password"},
			"X-Forwarded-For", fmt.Sprintf("6.6.%d.%d, 203.0.113.9", i/250, i%250))
	}
	r = e.call("POST", "/api/v1/auth/login", "", map[string]any{"username": "u.board", "password": "password-board"},
		"X-Forwarded-For", "7.7.7.7, 203.0.113.9")
	if r.status != 429 {
		t.Fatalf("the guesser's real address is not slowed down: %d", r.status)
	}
}

// TestWrongPasswordsDoNotLockTheOwnerOut: an attacker's wrong passwords for a board member's username
// lock that username out from the attacker's address only; from the member's own address the login
// works at once (or after a few seconds' slowdown at most), and the board sees the account under attack.
func TestWrongPasswordsDoNotLockTheOwnerOut(t *testing.T) {
	e := newEnvConfig(t, testdb.SQLite(t), testConfig("TINNHIEM_PROXY_HEADER", "X-Forwarded-For", "TINNHIEM_TRUSTED_PROXIES", "0.0.0.0/8"))
	for i := 0; i < 12; i++ {
		e.call("POST", "/api/v1/auth/login", "", map[string]any{"username": "u.board", "password": "not-the-password"}, "X-Forwarded-For", "198.51.100.66")
	}
	if r := e.call("POST", "/api/v1/auth/login", "", map[string]any{"username": "u.board", "password": "password-board"}, "X-Forwarded-For", "198.51.100.66"); r.status != 429 {
		t.Fatalf("the attacker's address: %d", r.status)
	}
	r := e.call("POST", "/api/v1/auth/login", "", map[string]any{"username": "u.board", "password": "password-board"}, "X-Forwarded-For", "10.1.2.3")
	if r.status == 429 {
		var env struct {
			Error struct{ Message string } `json:"error"`
		}
		e.must(r, 429, &env)
		if !strings.Contains(env.Error.Message, " 1 ") && !strings.Contains(env.Error.Message, " 2 ") &&
			!strings.Contains(env.Error.Message, " 3 ") && !strings.Contains(env.Error.Message, " 4 ") {
			t.Fatalf("the owner waits more than a few seconds: %s", env.Error.Message)
		}
	} else if r.status != 200 {
		t.Fatalf("the owner's login: %d %s", r.status, r.body)
	}
}

// TestLogoutRevokesTheToken: a logged-out token stops working at once.
func TestLogoutRevokesTheToken(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	tok := e.login("u.observer", "password-observer")
	e.must(e.call("GET", "/api/v1/me", tok, nil), 200, nil)
	e.must(e.call("POST", "/api/v1/auth/logout", tok, nil), 200, nil)
	if r := e.call("GET", "/api/v1/me", tok, nil); r.status != 401 {
		t.Fatalf("a logged-out token: %d", r.status)
	}
}

// TestMetricsOnThePublicAddressNeedTheToken: with TINNHIEM_METRICS_TOKEN set, the public address
// serves the metrics to its bearer only.
func TestMetricsOnThePublicAddressNeedTheToken(t *testing.T) {
	e := newEnvConfig(t, testdb.SQLite(t), testConfig("TINNHIEM_METRICS_TOKEN", "metrics-token-0123456789"))
	if r := e.call("GET", "/metrics", "", nil); r.status != 401 {
		t.Fatalf("metrics without the token: %d", r.status)
	}
	r := e.call("GET", "/metrics", "metrics-token-0123456789", nil)
	if r.status != 200 || strings.Contains(string(r.body), "process_network_receive_bytes_total") {
		t.Fatalf("metrics with the token: %d", r.status)
	}
}

// TestSeparationOfDuties makes the review's attacks on the duties: the admin reaching into a running
// board, a board too small or changed after the opening, an account linked to a person on the ballot,
// a rump certifying, the secretariat cancelling a closed vote.
func TestSeparationOfDuties(t *testing.T) {
	testdb.Dialects(t, func(t *testing.T, st *store.Store) {
		e := newVoteEnv(t, st, 5)
		sec, head, admin := e.tokens["secretariat"], e.board["head"], e.tokens["admin"]
		chair, ubnd := e.officials["chair"].ID, e.officials["ubnd"].ID
		members := func(ids ...string) map[string]any {
			roles := []string{"head", "secretary", "member", "member", "member"}
			var ms []map[string]any
			for i, id := range ids {
				ms = append(ms, map[string]any{"user_id": id, "board_role": roles[i]})
			}
			return map[string]any{"members": ms}
		}
		var v voteResponse
		e.must(e.call("POST", "/api/v1/councils/"+e.councilA+"/votes", sec, map[string]any{"kind": "confidence", "title": "LPTN",
			"session_name": "Kỳ họp", "session_opens_on": "2023-12-06", "vote_date": "2023-12-08", "official_ids": []string{chair, ubnd},
			"ballot_mode": "plain"}), 201, &v)
		base := "/api/v1/votes/" + v.ID
		// A board of two is refused (hard floor of three).
		if r := e.call("PUT", base+"/board", sec, members(e.boardIDs["head"], e.boardIDs["member"])); r.status != 422 || !strings.Contains(string(r.body), "ít nhất 3 thành viên") {
			t.Fatalf("a board of two: %d %s", r.status, r.body)
		}
		// Two more board users; one of them is the chair's own account (conflict of interest).
		var extra []string
		for i, link := range []string{"", chair} {
			var u auth.User
			e.must(e.call("POST", "/api/v1/users", admin, map[string]any{"username": fmt.Sprintf("bkp.extra%d", i), "password": "password-extra",
				"full_name": fmt.Sprintf("Thành viên %d", i), "role": "board", "council_id": e.councilA, "official_id": link}), 201, &u)
			extra = append(extra, u.ID)
		}
		chairToken := e.login("bkp.extra1", "password-extra")
		e.must(e.call("PUT", base+"/board", sec, members(e.boardIDs["head"], e.boardIDs["secretary"], e.boardIDs["member"], extra[0], extra[1])), 200, &v)
		hasWarning := false
		for _, w := range v.Warnings {
			hasWarning = hasWarning || w.Code == "board_member_rated"
		}
		if !hasWarning {
			t.Fatalf("no warning for a rated person on the board: %+v", v.Warnings)
		}
		var codes struct{ Codes []string }
		e.must(e.call("POST", base+"/codes", head, map[string]any{"count": 5}), 201, &codes)
		if r := e.call("POST", base+"/codes", chairToken, map[string]any{"count": 1}); r.status != 403 || !strings.Contains(string(r.body), "conflict_of_interest") {
			t.Fatalf("the chair's own account made codes: %d %s", r.status, r.body)
		}
		e.must(e.call("POST", base+"/open", head, nil), 200, nil)
		// The board is frozen once the vote is open.
		if r := e.call("PUT", base+"/board", sec, members(e.boardIDs["head"], e.boardIDs["secretary"], e.boardIDs["member"])); r.status != 409 {
			t.Fatalf("the board changed after the opening: %d", r.status)
		}
		// The admin resets a board member's password only with the head's approval, used once.
		if r := e.call("PATCH", "/api/v1/users/"+e.boardIDs["member"], admin, map[string]any{"password": "taken-over-1"}); r.status != 409 ||
			!strings.Contains(string(r.body), "board_account_locked") {
			t.Fatalf("the admin reset a running board member's password: %d %s", r.status, r.body)
		}
		e.must(e.call("POST", base+"/account-approvals", head, map[string]any{"user_id": e.boardIDs["member"], "change": "password"}), 201, &v)
		if len(v.AccountChanges) != 1 || v.AccountChanges[0].UsedAt != nil {
			t.Fatalf("the board's console does not show the approval: %+v", v.AccountChanges)
		}
		e.must(e.call("PATCH", "/api/v1/users/"+e.boardIDs["member"], admin, map[string]any{"password": "new-password-1"}), 200, nil)
		if r := e.call("PATCH", "/api/v1/users/"+e.boardIDs["member"], admin, map[string]any{"password": "new-password-2"}); r.status != 409 {
			t.Fatalf("an approval used twice: %d", r.status)
		}
		e.board["member"] = e.login("bkp.member", "new-password-1")
		for i := 0; i < 4; i++ {
			e.must(e.call("POST", base+"/issuances", head, map[string]any{"delegate_id": e.delegates[i].ID}), 201, nil)
			e.must(e.call("POST", "/api/v1/ballots", "", map[string]any{"code": codes.Codes[i], "choices": []map[string]any{choice(chair, "high"), choice(ubnd, "low")}}), 201, nil)
		}
		e.must(e.call("POST", base+"/close", head, nil), 200, nil)
		var res tally.Result
		e.must(e.call("GET", base+"/tally", sec, nil), 200, &res)
		// The chair's account may read but not certify.
		if r := e.call("POST", base+"/certifications", chairToken, map[string]any{"tally_hash": res.TallyHash}); r.status != 403 {
			t.Fatalf("the chair certified the count of their own rating: %d", r.status)
		}
		// The secretariat cannot cancel a closed vote; the board can, by a majority.
		if r := e.call("POST", base+"/cancel", sec, map[string]any{"reason": "Không thích kết quả"}); r.status != 403 {
			t.Fatalf("the secretariat cancelled a closed vote: %d", r.status)
		}
		// Two members certify; three are recorded absent: two of five is no majority, so no certification.
		e.signList(base)
		e.must(e.call("POST", base+"/certifications", head, map[string]any{"tally_hash": res.TallyHash}), 200, nil)
		e.must(e.call("POST", base+"/certifications", e.board["secretary"], map[string]any{"tally_hash": res.TallyHash}), 200, nil)
		for _, id := range []string{extra[0], extra[1]} {
			e.must(e.call("POST", base+"/absences", head, map[string]any{"user_id": id}), 200, &v)
		}
		if v.Status != vote.Closed {
			t.Fatalf("two of five certified the count: %s", v.Status)
		}
		if r := e.call("POST", base+"/absences", head, map[string]any{"user_id": e.boardIDs["head"]}); r.status != 409 {
			t.Fatalf("recording oneself absent: %d", r.status)
		}
		// The third member certifies: three of five, every member present: certified.
		e.must(e.call("POST", base+"/certifications", e.board["member"], map[string]any{"tally_hash": res.TallyHash}), 200, &v)
		if v.Status != vote.Certified {
			t.Fatalf("a majority with the absent named: %s", v.Status)
		}
		absent := 0
		for _, m := range v.Board {
			if m.Absent {
				absent++
			}
		}
		if absent != 2 {
			t.Fatalf("absent members: %d", absent)
		}
	})
}

// TestCancellingAClosedVoteNeedsTheBoard: one confirmation is not enough; a majority cancels and the
// ballots are gone.
func TestCancellingAClosedVoteNeedsTheBoard(t *testing.T) {
	testdb.Dialects(t, func(t *testing.T, st *store.Store) {
		e := newVoteEnv(t, st, 3)
		chair := e.officials["chair"].ID
		v := e.draft(map[string]any{"kind": "confidence", "title": "LPTN", "session_name": "Kỳ họp", "session_opens_on": "2023-12-06",
			"vote_date": "2023-12-08", "official_ids": []string{chair}})
		base := "/api/v1/votes/" + v.ID
		var codes struct{ Codes []string }
		e.must(e.call("POST", base+"/codes", e.board["head"], map[string]any{"count": 3}), 201, &codes)
		e.must(e.call("POST", base+"/open", e.board["head"], nil), 200, nil)
		e.must(e.call("POST", base+"/issuances", e.board["head"], map[string]any{"delegate_id": e.delegates[0].ID}), 201, nil)
		e.must(e.call("POST", "/api/v1/ballots", "", map[string]any{"code": codes.Codes[0], "choices": []map[string]any{choice(chair, "low")}}), 201, nil)
		e.must(e.call("POST", base+"/close", e.board["head"], nil), 200, nil)
		var out voteResponse
		e.must(e.call("POST", base+"/cancel", e.board["member"], map[string]any{"reason": "Sai sót khi phát phiếu"}), 200, &out)
		if out.Status != vote.Closed || len(out.CancelConfirmations) != 1 {
			t.Fatalf("one confirmation of three: %s %+v", out.Status, out.CancelConfirmations)
		}
		if r := e.call("POST", base+"/cancel", e.board["member"], map[string]any{"reason": "Lần nữa"}); r.status != 409 {
			t.Fatalf("the same member twice: %d", r.status)
		}
		e.must(e.call("POST", base+"/cancel", e.board["secretary"], map[string]any{"reason": "Sai sót khi phát phiếu"}), 200, &out)
		if out.Status != vote.Cancelled {
			t.Fatalf("two of three: %s", out.Status)
		}
		var n int64
		st.DB().Raw("SELECT COUNT(*) FROM ballots WHERE vote_id = ?", v.ID).Scan(&n)
		if n != 0 {
			t.Fatalf("%d ballots of the cancelled vote remain", n)
		}
		var events []audit.Event
		e.must(e.call("GET", "/api/v1/audit?vote_id="+v.ID, e.tokens["secretariat"], nil), 200, &events)
		who := map[string]bool{}
		for _, ev := range events {
			if strings.HasPrefix(ev.Action, "vote.cancel") {
				who[ev.ActorName] = true
			}
		}
		if len(who) != 2 {
			t.Fatalf("the audit log names %d members for the cancellation", len(who))
		}
	})
}

package web_test

import (
	"crypto/rand"
	"testing"

	"tinnhiem/internal/audit"
	"tinnhiem/internal/protocol"
	"tinnhiem/internal/store"
	"tinnhiem/internal/testdb"
	"tinnhiem/internal/vote"
)

// TestHeadStopsAStuckCeremony: a member's browser lost its part after round 1, so the ceremony can
// never finish; only the head stops it, with a reason, and the board starts a new one that completes.
// A complete ceremony cannot be stopped.
func TestHeadStopsAStuckCeremony(t *testing.T) {
	testdb.Dialects(t, func(t *testing.T, st *store.Store) {
		e := newVoteEnv(t, st, 3)
		sec := e.tokens["secretariat"]
		agents := e.boardAgents(3)
		var v voteResponse
		e.must(e.call("POST", "/api/v1/councils/"+e.councilA+"/votes", sec, map[string]any{"kind": "confidence", "title": "LPTN",
			"session_name": "Kỳ họp", "session_opens_on": "2023-12-06", "vote_date": "2023-12-08",
			"official_ids": []string{e.officials["chair"].ID}, "ballot_mode": "encrypted"}), 201, &v)
		e.must(e.call("PUT", "/api/v1/votes/"+v.ID+"/board", sec, map[string]any{"members": []map[string]any{{"user_id": agents[0].userID, "board_role": "head"},
			{"user_id": agents[1].userID, "board_role": "secretary"}, {"user_id": agents[2].userID, "board_role": "member"}}}), 200, nil)

		var c vote.Ceremony
		e.must(e.call("POST", "/api/v1/votes/"+v.ID+"/ceremony", agents[0].token, map[string]any{"threshold": 2}), 201, &c)
		members := make([]string, len(c.Members))
		for i, m := range c.Members {
			members[i] = m.UserID
		}
		pc := &protocol.Ceremony{ID: c.ID, CouncilID: c.CouncilID, VoteID: c.VoteID, Threshold: c.Threshold, Members: members}
		_, r1, err := protocol.NewMember(rand.Reader, pc, agents[1].userID)
		if err != nil {
			t.Fatal(err)
		}
		e.must(e.call("POST", "/api/v1/ceremonies/"+c.ID+"/round1", agents[1].token, r1), 200, &c)
		// That member's browser is reloaded: its secrets are gone and round 2 can never come.
		e.wantError(e.call("POST", "/api/v1/votes/"+v.ID+"/ceremony", agents[0].token, map[string]any{"threshold": 2}), 409, "ceremony_exists")

		abort := "/api/v1/ceremonies/" + c.ID + "/abort"
		e.wantError(e.call("POST", abort, agents[1].token, map[string]any{"reason": "máy tải lại"}), 403, "board_head_only")
		e.wantError(e.call("POST", abort, sec, map[string]any{"reason": "máy tải lại"}), 403, "board_head_only")
		e.wantError(e.call("POST", abort, agents[0].token, map[string]any{"reason": ""}), 422, "validation_failed")
		e.wantError(e.call("POST", abort, agents[0].token, map[string]any{"reason": "x", "extra": 1}), 422, "validation_failed")
		var stopped vote.Ceremony
		e.must(e.call("POST", abort, agents[0].token, map[string]any{"reason": "Máy của thư ký đã tải lại trang"}), 200, &stopped)
		if stopped.Status != "aborted" || stopped.AbortReason != "stopped: Máy của thư ký đã tải lại trang" {
			t.Fatalf("stopped: %s %q", stopped.Status, stopped.AbortReason)
		}
		e.wantError(e.call("POST", abort, agents[0].token, map[string]any{"reason": "again"}), 409, "ceremony_not_running")
		e.wantError(e.call("POST", "/api/v1/ceremonies/"+c.ID+"/round1", agents[2].token, r1), 409, "ceremony_not_running")

		// A new ceremony, carried to the end; a complete one cannot be stopped.
		done := e.runKeyCeremony(v.ID, agents, 2)
		if done.ID == c.ID || done.Status != "complete" {
			t.Fatalf("the new ceremony: %s %s", done.ID, done.Status)
		}
		e.wantError(e.call("POST", "/api/v1/ceremonies/"+done.ID+"/abort", agents[0].token, map[string]any{"reason": "x"}), 409, "ceremony_not_running")
		var events []audit.Event
		e.must(e.call("GET", "/api/v1/audit?council_id="+e.councilA+"&limit=1000", sec, nil), 200, &events)
		aborts := 0
		for _, ev := range events {
			if ev.Action == "ceremony.abort" {
				aborts++
			}
		}
		if aborts != 1 {
			t.Fatalf("%d ceremony.abort events in the audit log, want 1", aborts)
		}
	})
}

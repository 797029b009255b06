package store_test

import (
	"fmt"
	"strings"
	"testing"

	"tinnhiem/internal/audit"
	"tinnhiem/internal/ballot"
	"tinnhiem/internal/rules"
	"tinnhiem/internal/store"
	"tinnhiem/internal/testdb"
	"tinnhiem/internal/vote"
)

// TestAppRoleCannotRewriteTheAuditLog: on PostgreSQL the server runs as a role that does not own the
// schema (tinnhiem migrate --app-role): a whole vote works, the close's checkpoint and WAL switch
// work, and the audit log can be read and appended to but not updated, deleted, truncated, nor its
// triggers disabled.
func TestAppRoleCannotRewriteTheAuditLog(t *testing.T) {
	url := testdb.PostgresURL(t)
	owner, err := store.Open(ctx, url, store.Options{CodeSpares: testdb.CodeSpares})
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close()
	role := "tn_app_" + strings.ReplaceAll(strings.TrimPrefix(url[strings.LastIndex(url, "/")+1:], "tn_test_"), "-", "")
	if i := strings.IndexByte(role, '?'); i >= 0 {
		role = role[:i]
	}
	if err := owner.DB().Exec(`CREATE ROLE "` + role + `" LOGIN`).Error; err != nil {
		t.Fatal(err)
	}
	defer func() {
		owner.DB().Exec(`DROP OWNED BY "` + role + `"`)
		owner.DB().Exec(`DROP ROLE "` + role + `"`)
	}()
	if err := owner.GrantApp(ctx, role); err != nil {
		t.Fatal(err)
	}
	appURL := strings.Replace(url, "postgres://postgres@", "postgres://"+role+"@", 1)
	if appURL == url {
		t.Fatalf("cannot derive the role's URL from %s", url)
	}
	app, err := store.Open(ctx, appURL, store.Options{CodeSpares: testdb.CodeSpares})
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	ov := setupVote(t, app, 3, true)
	if _, err := app.CastBallot(ctx, vote.CastInput{Code: ov.codes[0], Choices: []ballot.Choice{{OfficialID: ov.official, Level: level(rules.High)}}}); err != nil {
		t.Fatal(err)
	}
	v, err := app.CloseVote(ctx, ov.board[0], ov.id)
	if err != nil || v.WipePending {
		t.Fatalf("the close as the application's role: %v, wipe pending %v", err, v.WipePending)
	}
	for _, q := range []string{"UPDATE audit_events SET actor_name = 'mallory' WHERE seq = 1", "DELETE FROM audit_events WHERE seq = 1",
		"TRUNCATE audit_events", "ALTER TABLE audit_events DISABLE TRIGGER ALL", "DROP TRIGGER audit_events_no_update ON audit_events"} {
		if err := app.DB().Exec(q).Error; err == nil {
			t.Errorf("the application's role could: %s", q)
		}
	}
	if owns, _ := app.OwnsAuditLog(ctx); owns {
		t.Error("the application's role owns the audit table")
	}
	if owns, _ := owner.OwnsAuditLog(ctx); !owns {
		t.Error("the owner does not own the audit table")
	}
	if res, err := app.VerifyAudit(ctx); err != nil || !res.OK {
		t.Fatalf("the chain as the application sees it: %+v %v", res, err)
	}
}

// TestAnchorCatchesARewrittenLog makes the attack of the security review: whoever holds the database
// disables the triggers, alters an event of a vote, and recomputes the whole chain and its heads, so
// that the global verification passes. The anchor printed before (in the minutes) no longer matches.
func TestAnchorCatchesARewrittenLog(t *testing.T) {
	testdb.Dialects(t, func(t *testing.T, s *store.Store) {
		ov := setupVote(t, s, 3, true)
		if _, err := s.CastBallot(ctx, vote.CastInput{Code: ov.codes[0], Choices: []ballot.Choice{{OfficialID: ov.official, Level: level(rules.Low)}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CloseVote(ctx, ov.board[0], ov.id); err != nil {
			t.Fatal(err)
		}
		printed, err := s.Anchor(ctx, ov.board[0], ov.id)
		if err != nil || printed.Count < 5 {
			t.Fatalf("anchor %+v %v", printed, err)
		}
		if res, err := s.VerifyAnchor(ctx, ov.id, printed); err != nil || !res.OK || len(res.After) != 0 {
			t.Fatalf("the untouched log: %+v %v", res, err)
		}
		// A later, legitimate step is reported as appended after the anchor, not as a failure.
		if _, err := s.MarkAbsent(ctx, ov.board[0], ov.id, vote.AbsentInput{UserID: ov.board[2].UserID}); err != nil {
			t.Fatal(err)
		}
		if res, _ := s.VerifyAnchor(ctx, ov.id, printed); !res.OK || len(res.After) != 1 {
			t.Fatalf("an event after the anchor: %+v", res)
		}
		rewriteChain(t, s, func(e *audit.Event) bool {
			if e.VoteID == ov.id && e.Action == "vote.issue" {
				e.Summary = strings.Replace(e.Summary, `"ballots_issued":1`, `"ballots_issued":2`, 1)
				return true
			}
			return false
		})
		if res, err := s.VerifyAudit(ctx); err != nil || !res.OK {
			t.Fatalf("the rewritten chain does not even verify globally (the attack is weaker than assumed): %+v %v", res, err)
		}
		res, err := s.VerifyAnchor(ctx, ov.id, printed)
		if err != nil || res.OK {
			t.Fatalf("the printed anchor did not catch the rewrite: %+v %v", res, err)
		}
		if _, err := s.FindAnchor(ctx, printed); err == nil {
			t.Fatal("the printed anchor is still found in the rewritten log")
		}
	})
}

// rewriteChain is the attacker: it drops the audit log's triggers, changes the events change picks,
// and recomputes every hash of the global and per-vote chains, and both heads.
func rewriteChain(t *testing.T, s *store.Store, change func(*audit.Event) bool) {
	t.Helper()
	db := s.DB()
	if s.Dialect() == store.Postgres {
		db.Exec("ALTER TABLE audit_events DISABLE TRIGGER USER")
	} else {
		for _, tr := range []string{"audit_events_no_update", "audit_events_no_delete", "audit_events_no_replace"} {
			db.Exec("DROP TRIGGER IF EXISTS " + tr)
		}
	}
	var events []audit.Event
	rows, err := db.Raw("SELECT seq, at, actor_id, actor_name, action, object_type, object_id, COALESCE(council_id, ''), COALESCE(vote_id, ''), summary, request_id FROM audit_events ORDER BY seq").Rows()
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var e audit.Event
		if err := rows.Scan(&e.Seq, &e.At, &e.ActorID, &e.ActorName, &e.Action, &e.ObjectType, &e.ObjectID, &e.CouncilID, &e.VoteID, &e.Summary, &e.RequestID); err != nil {
			t.Fatal(err)
		}
		events = append(events, e)
	}
	rows.Close()
	prev, heads, changed := audit.GenesisHash, map[string]audit.Anchor{}, 0
	for i := range events {
		e := &events[i]
		if change(e) {
			changed++
		}
		audit.Seal(e, e.Seq-1, prev)
		prev = e.Hash
		if e.VoteID != "" {
			h, ok := heads[e.VoteID]
			if !ok {
				h = audit.Anchor{Hash: audit.GenesisHash}
			}
			audit.SealVote(e, h.Count, h.Hash)
			heads[e.VoteID] = audit.Anchor{Hash: e.VoteHash, Count: e.VoteSeq}
			db.Exec("UPDATE audit_events SET summary = ?, prev_hash = ?, hash = ?, vote_seq = ?, vote_hash = ? WHERE seq = ?", e.Summary, e.PrevHash, e.Hash, e.VoteSeq, e.VoteHash, e.Seq)
		} else {
			db.Exec("UPDATE audit_events SET summary = ?, prev_hash = ?, hash = ? WHERE seq = ?", e.Summary, e.PrevHash, e.Hash, e.Seq)
		}
	}
	if changed == 0 {
		t.Fatal("the attack changed no event")
	}
	last := events[len(events)-1]
	db.Exec("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", last.Seq, last.Hash)
	for id, h := range heads {
		db.Exec("UPDATE audit_vote_heads SET seq = ?, hash = ? WHERE vote_id = ?", h.Count, h.Hash, id)
	}
	_ = fmt.Sprint()
}

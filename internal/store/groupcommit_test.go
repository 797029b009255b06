package store_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/ballot"
	"tinnhiem/internal/rules"
	"tinnhiem/internal/store"
	"tinnhiem/internal/testdb"
	"tinnhiem/internal/vote"
)

// liveCounts reads an open vote's ballots, receipts, spent codes and cast counter.
func liveCounts(t *testing.T, s *store.Store, voteID string) (ballots, receipts, spent, cast int) {
	t.Helper()
	live := strings.ReplaceAll(voteID, "-", "")
	db := s.DB()
	db.Raw("SELECT COUNT(*) FROM live_ballots_" + live).Scan(&ballots)
	db.Raw("SELECT COUNT(*) FROM live_receipts_" + live).Scan(&receipts)
	db.Raw("SELECT COUNT(*) FROM live_codes_" + live + " WHERE state = 'spent'").Scan(&spent)
	db.Raw("SELECT ballots_cast FROM votes WHERE id = ?", voteID).Scan(&cast)
	return
}

// wantCode checks an error's application code.
func wantCode(t *testing.T, i int, err error, code string) {
	t.Helper()
	var ae *apperr.Error
	if code == "" {
		if err != nil {
			t.Fatalf("cast %d: %v, want it written", i, err)
		}
		return
	}
	if !asAppErr(err, &ae) || ae.Code != code {
		t.Fatalf("cast %d: got %v, want %s", i, err, code)
	}
}

func asAppErr(err error, ae **apperr.Error) bool {
	e, ok := err.(*apperr.Error)
	if ok {
		*ae = e
	}
	return ok
}

// TestOneBatchRefusesOnlyItsOwnBadCasts: in one commit batch, a retry of a cast already stored gets
// its receipt, a spent code with other marks is refused, a voided code is refused, the identical
// submission twice is written once (both get the one receipt), the same code with other marks later
// in the batch is refused, and the casts beyond the ballots issued are refused as they always were;
// every other cast of the batch is written, and ballots, receipts, spent codes and the counter agree.
func TestOneBatchRefusesOnlyItsOwnBadCasts(t *testing.T) {
	testdb.Dialects(t, func(t *testing.T, s *store.Store) {
		ov := setupVote(t, s, 7, false)
		for _, d := range ov.delegates[:4] {
			if _, err := s.IssueBallot(ctx, ov.board[1], ov.id, vote.IssueInput{DelegateID: d.ID}); err != nil {
				t.Fatal(err)
			}
		}
		mark := func(code string, l rules.Level) vote.CastInput {
			return vote.CastInput{Code: code, Choices: []ballot.Choice{{OfficialID: ov.official, Level: level(l)}}}
		}
		first, err := s.CastBallot(ctx, mark(ov.codes[0], rules.High))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.VoidCode(ctx, ov.board[0], ov.id, vote.CodeInput{Code: ov.codes[1]}); err != nil {
			t.Fatal(err)
		}
		batch := []vote.CastInput{
			mark(ov.codes[0], rules.High),   // 0: a retry of the stored cast
			mark(ov.codes[0], rules.Low),    // 1: a spent code, other marks
			mark(ov.codes[1], rules.High),   // 2: a voided code
			mark(ov.codes[2], rules.Medium), // 3: written
			mark(ov.codes[2], rules.Medium), // 4: the same submission again in the batch
			mark(ov.codes[3], rules.High),   // 5: written
			mark(ov.codes[3], rules.Low),    // 6: the same code, other marks
			mark(ov.codes[4], rules.Low),    // 7: written: the last ballot issued
			mark(ov.codes[5], rules.High),   // 8: beyond the ballots issued
		}
		outs, errs := store.CastBatch(ctx, s, ov.id, batch)
		for i, want := range []string{"", "code_spent", "code_void", "", "", "", "code_spent", "", "no_ballot_issued"} {
			wantCode(t, i, errs[i], want)
		}
		if outs[0].Receipt != first.Receipt || !outs[0].Replay {
			t.Fatalf("the retry got %+v, the first cast %+v", outs[0], first)
		}
		if outs[4].Receipt != outs[3].Receipt || !outs[4].Replay || outs[3].Replay {
			t.Fatalf("the same submission twice in a batch: %+v and %+v", outs[3], outs[4])
		}
		seen := map[string]bool{first.Receipt: true}
		for _, i := range []int{3, 5, 7} {
			if seen[outs[i].Receipt] || outs[i].Receipt == "" {
				t.Fatalf("cast %d: receipt %q repeated or empty", i, outs[i].Receipt)
			}
			seen[outs[i].Receipt] = true
		}
		if b, r, sp, c := liveCounts(t, s, ov.id); b != 4 || r != 4 || sp != 4 || c != 4 {
			t.Fatalf("ballots %d, receipts %d, spent codes %d, counter %d; want 4 each", b, r, sp, c)
		}
		// The refused code is still unused: once its ballot is issued, it casts.
		if _, err := s.IssueBallot(ctx, ov.board[1], ov.id, vote.IssueInput{DelegateID: ov.delegates[4].ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CastBallot(ctx, mark(ov.codes[5], rules.High)); err != nil {
			t.Fatal(err)
		}
		// A batch of a closed vote writes nothing.
		if _, err := s.CloseVote(ctx, ov.board[0], ov.id); err != nil {
			t.Fatal(err)
		}
		_, errs = store.CastBatch(ctx, s, ov.id, batch[5:6])
		if !apperr.IsKind(errs[0], apperr.Conflict) {
			t.Fatalf("a cast after the close: %v", errs[0])
		}
		r, err := s.Tally(ctx, admin, ov.id)
		if err != nil {
			t.Fatal(err)
		}
		if r.BallotsReceived != 5 {
			t.Fatalf("tallied %d ballots, want 5", r.BallotsReceived)
		}
	})
}

// TestGroupCommitUnderLoad: 120 kiosks cast at once with 100 ballots issued: exactly 100 casts are
// written (batched as they come), the 20 others are refused for want of an issued ballot, each
// written cast has its own receipt, and the ballots, receipts, spent codes and counter agree.
func TestGroupCommitUnderLoad(t *testing.T) {
	testdb.Dialects(t, func(t *testing.T, s *store.Store) {
		ov := setupVote(t, s, 120, false)
		for _, d := range ov.delegates[:100] {
			if _, err := s.IssueBallot(ctx, ov.board[1], ov.id, vote.IssueInput{DelegateID: d.ID}); err != nil {
				t.Fatal(err)
			}
		}
		var mu sync.Mutex
		receipts := map[string]bool{}
		refused := 0
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := 0; i < 120; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				<-start
				r, err := s.CastBallot(ctx, vote.CastInput{Code: ov.codes[i], Choices: []ballot.Choice{{OfficialID: ov.official, Level: level(rules.Medium)}}})
				mu.Lock()
				defer mu.Unlock()
				var ae *apperr.Error
				switch {
				case err == nil && !receipts[r.Receipt]:
					receipts[r.Receipt] = true
				case err == nil:
					t.Errorf("receipt %s given twice", r.Receipt)
				case asAppErr(err, &ae) && ae.Code == "no_ballot_issued":
					refused++
				default:
					t.Errorf("cast %d: %v", i, err)
				}
			}(i)
		}
		close(start)
		wg.Wait()
		if len(receipts) != 100 || refused != 20 {
			t.Fatalf("%d written, %d refused; want 100 and 20", len(receipts), refused)
		}
		if b, r, sp, c := liveCounts(t, s, ov.id); b != 100 || r != 100 || sp != 100 || c != 100 {
			t.Fatalf("ballots %d, receipts %d, spent codes %d, counter %d; want 100 each", b, r, sp, c)
		}
		for rc := range receipts {
			var n int
			s.DB().Raw("SELECT COUNT(*) FROM live_receipts_"+strings.ReplaceAll(ov.id, "-", "")+" WHERE receipt = ?", rc).Scan(&n)
			if n != 1 {
				t.Fatal(fmt.Sprintf("receipt %s stored %d times", rc, n))
			}
		}
	})
}

package store_test

import (
	"sync"
	"testing"
	"time"

	"tinnhiem/internal/auth"
	"tinnhiem/internal/store"
	"tinnhiem/internal/testdb"
	"tinnhiem/internal/vote"
)

// The counts of throttles that several server processes share (PostgreSQL). Two stores on one
// database stand for two servers.
func twoStores(t *testing.T) (*store.Store, *store.Store) {
	t.Helper()
	url := testdb.PostgresURL(t)
	open := func() *store.Store {
		s, err := store.Open(ctx, url, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		return s
	}
	return open(), open()
}

// TestSharedThrottleCountsEveryAttemptOnce: near the end of the budget each attempt is counted in
// the database at its start: 30 attempts at once, half on each server, with clocks a few milliseconds
// apart: exactly Free+1 are let through (the last of them starts the wait), none is refused for a clock
// read a moment earlier than another's, and the wait is the same on both servers.
func TestSharedThrottleCountsEveryAttemptOnce(t *testing.T) {
	a, b := twoStores(t)
	p := auth.NewCodeThrottle().Policy()
	now := time.Now()
	var mu sync.Mutex
	through := 0
	var wg sync.WaitGroup
	for i := 0; i < 30; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			s := []*store.Store{a, b}[i%2]
			wait, err := s.ReserveAttempt(ctx, "code_client/addr:192.0.2.1", p, now.Add(time.Duration(i%7)*time.Millisecond))
			if err != nil {
				t.Error(err)
				return
			}
			if wait == 0 {
				mu.Lock()
				through++
				mu.Unlock()
			}
		}(i)
	}
	wg.Wait()
	if through != p.Free+1 {
		t.Fatalf("%d attempts let through, want %d", through, p.Free+1)
	}
	for _, s := range []*store.Store{a, b} {
		st, err := s.AttemptStatus(ctx, "code_client/addr:192.0.2.1", p)
		if err != nil || st.Failures != p.Free+1 || st.Until.Before(now.Add(p.Base)) {
			t.Fatalf("status %+v %v", st, err)
		}
	}
}

// TestSharedThrottleSplitsTheBudget: two servers share a throttle. A guesser firing everything at
// once at both gets the budget of one server evaluated, not two; honest successes write nothing; the
// attempts under way on a server that dies go with it.
func TestSharedThrottleSplitsTheBudget(t *testing.T) {
	a, b := twoStores(t)
	ta, tb := auth.NewCodeThrottle(), auth.NewCodeThrottle()
	ta.Share(a, "code_client")
	tb.Share(b, "code_client")
	// Both servers are alive (each marks itself when it serves); each counts the other from its
	// next count on, a second later at most.
	for _, s := range []*store.Store{a, b} {
		if _, err := s.LiveServers(ctx, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now().Add(time.Second)
	// 60 guesses at once, none answered yet: each server lets its share through.
	var begun []auth.Attempt
	for i := 0; i < 60; i++ {
		th := []*auth.Throttle{ta, tb}[i%2]
		at, wait, err := th.Begin(ctx, "addr:192.0.2.9", now)
		if err != nil {
			t.Fatal(err)
		}
		if wait == 0 {
			begun = append(begun, at)
		}
	}
	if len(begun) > ta.Free {
		t.Fatalf("%d guesses under way at once, budget %d", len(begun), ta.Free)
	}
	for _, at := range begun {
		if err := at.Fail(ctx, now); err != nil {
			t.Fatal(err)
		}
	}
	// The next guesses are counted one by one in the database until the wait starts.
	evaluated := len(begun)
	for i := 0; i < 10; i++ {
		at, wait, err := []*auth.Throttle{ta, tb}[i%2].Begin(ctx, "addr:192.0.2.9", now)
		if err != nil {
			t.Fatal(err)
		}
		if wait == 0 {
			evaluated++
			_ = at.Fail(ctx, now)
		}
	}
	if evaluated != ta.Free+1 {
		t.Fatalf("%d guesses evaluated, want %d", evaluated, ta.Free+1)
	}
	// A kiosk's successes write nothing; a server that dies with attempts under way leaves nothing.
	for i := 0; i < 50; i++ {
		at, wait, err := ta.Begin(ctx, "device:kiosk-1", now)
		if err != nil || wait != 0 {
			t.Fatalf("cast %d: %v %v", i, wait, err)
		}
		if i < 49 {
			_ = at.Release(ctx)
		} // the last one is under way when its server dies
	}
	fresh := auth.NewCodeThrottle() // the server, restarted
	fresh.Share(a, "code_client")
	if st, err := fresh.StatusContext(ctx, "device:kiosk-1"); err != nil || st.Failures != 0 {
		t.Fatalf("after the successes and the crash: %+v %v", st, err)
	}
	if _, wait, err := fresh.Begin(ctx, "device:kiosk-1", now); err != nil || wait != 0 {
		t.Fatalf("the kiosk after the restart: %v %v", wait, err)
	}
}

// TestSharedTurnoutSnapshot: one snapshot for both servers until it is a period old; a vote that is
// not open shows its figures as they are.
func TestSharedTurnoutSnapshot(t *testing.T) {
	a, b := twoStores(t)
	now := time.Now()
	first := vote.Turnout{Status: vote.Open, TotalDelegates: 50, BallotsIssued: 10, BallotsCast: 3}
	later := first
	later.BallotsCast = 4
	if got, err := a.TurnoutSnapshot(ctx, "v1", first, now, 2*time.Second); err != nil || got != first {
		t.Fatalf("first: %+v %v", got, err)
	}
	if got, err := b.TurnoutSnapshot(ctx, "v1", later, now.Add(time.Second), 2*time.Second); err != nil || got != first {
		t.Fatalf("within the period, the other server: %+v %v", got, err)
	}
	if got, err := b.TurnoutSnapshot(ctx, "v1", later, now.Add(2*time.Second), 2*time.Second); err != nil || got != later {
		t.Fatalf("after the period: %+v %v", got, err)
	}
	closed := later
	closed.Status = vote.Closed
	if got, err := a.TurnoutSnapshot(ctx, "v1", closed, now.Add(2*time.Second), 2*time.Second); err != nil || got != closed {
		t.Fatalf("closed: %+v %v", got, err)
	}
}

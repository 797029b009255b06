package auth

import (
	"context"
	"time"
)

// Throttles shared by several server processes on one database (docs/OPERATIONS.md). A guesser who
// spreads attempts over N servers must get the budget of one, not N, and a server killed with its
// attempts under way must not leave them counted for ever. So:
//
//   - failures are counted in the database (Counts), written when an attempt fails: an honest success
//     writes nothing;
//   - the attempts under way are counted by each process in its memory, and each process may have at
//     most its share of the budget left under way: (Free − recorded failures) ÷ the live server
//     processes. Together they never have more under way than the budget left, as one server would;
//     a killed process's attempts go with it;
//   - when the share rounds down to nothing — a few failures left, or none — an attempt is counted in
//     the database at its start, atomically with the check (Counts.ReserveAttempt), exactly as one
//     server counts it in memory, and given back if it succeeds.

// Policy is a throttle's budget, as a shared store of counts needs it.
type Policy struct {
	Free   int
	Base   time.Duration
	Max    time.Duration
	Window time.Duration
}

// Backoff is the wait after the given number of failures: none up to Free, then Base, doubling up to
// Max.
func (p Policy) Backoff(failures int) time.Duration {
	over := failures - p.Free
	if over <= 0 {
		return 0
	}
	d := p.Base
	for i := 1; i < over && d < p.Max; i++ {
		d *= 2
	}
	return min(d, p.Max)
}

// Counts keeps throttle counts where several server processes see the same ones (the database). Keys
// arrive qualified by the throttle's name.
type Counts interface {
	// Failures returns key's failures recorded within the window and the time of the last one.
	Failures(ctx context.Context, key string, p Policy, now time.Time) (int, time.Time, error)
	// RecordFailure counts one failure of key (an attempt not counted at its start).
	RecordFailure(ctx context.Context, key string, p Policy, now time.Time) error
	// ReserveAttempt returns the wait when key is throttled, else counts an attempt as a failure and
	// returns 0, atomically.
	ReserveAttempt(ctx context.Context, key string, p Policy, now time.Time) (time.Duration, error)
	// ReleaseAttempt takes back one attempt counted by ReserveAttempt (it succeeded).
	ReleaseAttempt(ctx context.Context, key string) error
	// ClearAttempts forgets key.
	ClearAttempts(ctx context.Context, key string) error
	// AttemptStatus returns key's failures and until when it must wait.
	AttemptStatus(ctx context.Context, key string, p Policy) (Status, error)
	// LiveServers is the number of server processes counting together now (at least 1).
	LiveServers(ctx context.Context, now time.Time) (int, error)
}

// Share makes the throttle count in c under name (a server process among several on one database).
func (t *Throttle) Share(c Counts, name string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.name, t.shared, t.inflight = name, c, map[string]int{}
}

// Policy returns the throttle's budget.
func (t *Throttle) Policy() Policy {
	return Policy{Free: t.Free, Base: t.Base, Max: t.Max, Window: t.Window}
}

// ShareThrottles makes the login throttles count in c: every server process on one database then
// counts a username's and an address's failures together.
func (s *Service) ShareThrottles(c Counts) {
	s.byPair.Share(c, "login_pair")
	s.byUser.Share(c, "login_user")
	s.byAddr.Share(c, "login_addr")
}

// Attempt is one use of a throttle key that was let through. Exactly one of Release (a success that
// gives the attempt back), Succeed (a success that clears the key) or Fail ends it. The zero Attempt
// (an attempt refused) needs no ending.
type Attempt struct {
	t     *Throttle
	key   string
	local bool // under way in this process's memory (shared throttle)
	exact bool // counted at its start in the shared counts
	mem   bool // counted in memory (throttle not shared)
}

// busyWait is the wait given to an attempt beyond this process's share of attempts under way.
const busyWait = time.Second

// Begin lets an attempt of key through and counts it, or returns how long key must wait.
func (t *Throttle) Begin(ctx context.Context, key string, now time.Time) (Attempt, time.Duration, error) {
	if t.shared == nil {
		if wait := t.Reserve(key, now); wait > 0 {
			return Attempt{}, wait, nil
		}
		return Attempt{t: t, key: key, mem: true}, 0, nil
	}
	p := t.Policy()
	qualified := t.name + "/" + key
	failures, _, err := t.shared.Failures(ctx, qualified, p, now)
	if err != nil {
		return Attempt{}, 0, err
	}
	servers, err := t.shared.LiveServers(ctx, now)
	if err != nil {
		return Attempt{}, 0, err
	}
	share := max(0, p.Free-failures) / max(1, servers)
	if share > 0 {
		t.mu.Lock()
		under := t.inflight[key]
		if under < share {
			t.inflight[key] = under + 1
		}
		t.mu.Unlock()
		if under >= share {
			return Attempt{}, busyWait, nil
		}
		return Attempt{t: t, key: key, local: true}, 0, nil
	}
	wait, err := t.shared.ReserveAttempt(ctx, qualified, p, now)
	if err != nil || wait > 0 {
		return Attempt{}, wait, err
	}
	return Attempt{t: t, key: key, exact: true}, 0, nil
}

func (a Attempt) done() {
	if a.local {
		a.t.mu.Lock()
		if a.t.inflight[a.key] <= 1 {
			delete(a.t.inflight, a.key)
		} else {
			a.t.inflight[a.key]--
		}
		a.t.mu.Unlock()
	}
}

// Release ends a successful attempt that gives its count back (the key's failures stay).
func (a Attempt) Release(ctx context.Context) error {
	a.done()
	switch {
	case a.mem:
		a.t.Release(a.key)
	case a.exact:
		return a.t.shared.ReleaseAttempt(ctx, a.t.name+"/"+a.key)
	}
	return nil
}

// Succeed ends a successful attempt that clears the key (a login).
func (a Attempt) Succeed(ctx context.Context) error {
	a.done()
	switch {
	case a.mem:
		a.t.Succeed(a.key)
	case a.local, a.exact:
		return a.t.shared.ClearAttempts(ctx, a.t.name+"/"+a.key)
	}
	return nil
}

// Fail ends an attempt that failed: it stays counted.
func (a Attempt) Fail(ctx context.Context, now time.Time) error {
	a.done()
	if a.local {
		return a.t.shared.RecordFailure(ctx, a.t.name+"/"+a.key, a.t.Policy(), now)
	}
	return nil // counted at its start
}

// StatusContext is Status, from the shared counts when the throttle is shared.
func (t *Throttle) StatusContext(ctx context.Context, key string) (Status, error) {
	if t.shared == nil {
		return t.Status(key), nil
	}
	return t.shared.AttemptStatus(ctx, t.name+"/"+key, t.Policy())
}

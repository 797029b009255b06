package auth

import (
	"sync"
	"time"
)

// Throttle slows down repeated failed logins per key (a username, an address). Every attempt is
// counted as a failure when it starts (Reserve), atomically with the check, so parallel attempts
// cannot slip past; a success takes its attempt back. After Free failures within Window, each further
// attempt must wait twice as long as the last, from Base up to Max. The throttle counts in memory (a
// restart forgets it) unless it is shared (Share, shared.go): several server processes on one
// database then count together, through Begin and the Attempt it returns.
type Throttle struct {
	Free   int
	Base   time.Duration
	Max    time.Duration
	Window time.Duration

	mu   sync.Mutex
	keys map[string]*throttleEntry

	name     string // the throttle's name among the shared counts
	shared   Counts
	inflight map[string]int // shared: this process's attempts under way, per key
}

type throttleEntry struct {
	failures int
	last     time.Time
	until    time.Time
}

// NewThrottle returns the per-username throttle: 5 free failures, then 2 s, 4 s, 8 s ... up to 15
// minutes, forgotten after an hour without failures.
func NewThrottle() *Throttle {
	return &Throttle{Free: 5, Base: 2 * time.Second, Max: 15 * time.Minute, Window: time.Hour, keys: map[string]*throttleEntry{}}
}

// NewAddressThrottle returns the per-address throttle. It is more lenient than the per-username one:
// a session hall puts many honest people behind one address.
func NewAddressThrottle() *Throttle {
	return &Throttle{Free: 20, Base: 2 * time.Second, Max: 5 * time.Minute, Window: time.Hour, keys: map[string]*throttleEntry{}}
}

// NewUserSlowdown returns the per-username throttle of logins from any address: it only slows a
// guesser down (a few seconds at most), so wrong passwords sent from elsewhere never lock the account's
// owner out; the lockout is per username and address (NewThrottle).
func NewUserSlowdown() *Throttle {
	return &Throttle{Free: 10, Base: time.Second, Max: 4 * time.Second, Window: time.Hour, keys: map[string]*throttleEntry{}}
}

// NewCodeThrottle returns the throttle of ballot-code uses per client (a registered kiosk, or an
// address): every use is counted when it starts and given back when it succeeds, so at most Free
// uses that fail can be in flight or done before the client must wait, up to a minute.
func NewCodeThrottle() *Throttle {
	return &Throttle{Free: 20, Base: 2 * time.Second, Max: time.Minute, Window: time.Hour, keys: map[string]*throttleEntry{}}
}

// NewGlobalCodeThrottle returns the one budget shared by every client that is not a registered kiosk:
// an attacker spreading guesses over many addresses exhausts it, never a registered kiosk's budget.
func NewGlobalCodeThrottle() *Throttle {
	return &Throttle{Free: 200, Base: 2 * time.Second, Max: time.Minute, Window: time.Hour, keys: map[string]*throttleEntry{}}
}

// Status is a key's state: its counted failures and until when it must wait.
type Status struct {
	Failures int       `json:"failures"`
	Until    time.Time `json:"until"`
}

// Status returns a key's state (zero when the key has no failures).
func (t *Throttle) Status(key string) Status {
	t.mu.Lock()
	defer t.mu.Unlock()
	if e := t.keys[key]; e != nil {
		return Status{Failures: e.failures, Until: e.until}
	}
	return Status{}
}

// Wait returns how long the caller must still wait before trying key again (0: may try now).
func (t *Throttle) Wait(key string, now time.Time) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.keys[key]
	if e == nil || !now.Before(e.until) {
		return 0
	}
	return e.until.Sub(now)
}

// Reserve returns the wait when key is throttled; otherwise it counts this attempt as a failure (to be
// taken back by Succeed or Release) and returns 0.
func (t *Throttle) Reserve(key string, now time.Time) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.keys[key]
	if e != nil && now.Before(e.until) {
		return e.until.Sub(now)
	}
	t.fail(key, now)
	return 0
}

// Fail records a failed attempt for key.
func (t *Throttle) Fail(key string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.fail(key, now)
}

func (t *Throttle) fail(key string, now time.Time) {
	e := t.keys[key]
	if e == nil || now.Sub(e.last) > t.Window {
		e = &throttleEntry{}
		t.keys[key] = e
	}
	e.failures++
	if now.After(e.last) {
		e.last = now
	}
	e.until = e.waitFrom(t.backoff(e.failures))
	if len(t.keys) > 100_000 { // bound memory under a spray of usernames
		for k, v := range t.keys {
			if now.Sub(v.last) > t.Window {
				delete(t.keys, k)
			}
		}
	}
}

func (t *Throttle) backoff(failures int) time.Duration { return t.Policy().Backoff(failures) }

// Succeed clears key.
func (t *Throttle) Succeed(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.keys, key)
}

// Release takes back one reserved attempt of key (a success that must not clear the whole key).
func (t *Throttle) Release(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if e := t.keys[key]; e != nil && e.failures > 0 {
		e.failures--
		e.until = e.waitFrom(t.backoff(e.failures))
	}
}

// waitFrom is the end of a wait of d from the last attempt; within the free failures there is no
// wait at all (not "until the last attempt"): concurrent attempts carry clocks read a moment apart,
// and one read earlier than the last attempt's must not be refused for it.
func (e *throttleEntry) waitFrom(d time.Duration) time.Time {
	if d <= 0 {
		return time.Time{}
	}
	return e.last.Add(d)
}

package auth

import (
	"sync"
	"time"
)

// Throttle slows down repeated failed logins per key (a username, an address). After Free failures
// within Window, each further attempt must wait twice as long as the last, from Base up to Max. A
// success clears the key. The throttle is in memory: a restart forgets it, which only helps the
// legitimate user who restarts the server.
type Throttle struct {
	Free   int
	Base   time.Duration
	Max    time.Duration
	Window time.Duration

	mu   sync.Mutex
	keys map[string]*throttleEntry
}

type throttleEntry struct {
	failures int
	last     time.Time
	until    time.Time
}

// NewThrottle returns the login throttle with its production settings: 5 free failures, then 2 s,
// 4 s, 8 s ... up to 15 minutes, forgotten after an hour without failures.
func NewThrottle() *Throttle {
	return &Throttle{Free: 5, Base: 2 * time.Second, Max: 15 * time.Minute, Window: time.Hour, keys: map[string]*throttleEntry{}}
}

// Wait returns how long the caller must still wait before trying key again (0: may try now).
func (t *Throttle) Wait(key string, now time.Time) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.keys[key]
	if e == nil || now.After(e.until) {
		return 0
	}
	return e.until.Sub(now)
}

// Fail records a failed attempt for key.
func (t *Throttle) Fail(key string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.keys[key]
	if e == nil || now.Sub(e.last) > t.Window {
		e = &throttleEntry{}
		t.keys[key] = e
	}
	e.failures++
	e.last = now
	if over := e.failures - t.Free; over > 0 {
		d := t.Base
		for i := 1; i < over && d < t.Max; i++ {
			d *= 2
		}
		if d > t.Max {
			d = t.Max
		}
		e.until = now.Add(d)
	}
	if len(t.keys) > 100_000 { // bound memory under a spray of usernames
		for k, v := range t.keys {
			if now.Sub(v.last) > t.Window {
				delete(t.keys, k)
			}
		}
	}
}

// Succeed clears key.
func (t *Throttle) Succeed(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.keys, key)
}

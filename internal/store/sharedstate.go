package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sync"
	"sync/atomic"
	"time"

	"tinnhiem/internal/auth"
	"tinnhiem/internal/vote"
)

// State that every server process on one PostgreSQL database must share (docs/OPERATIONS.md): the
// throttles' failures and the live processes (a guesser spreading attempts over N servers gets one
// budget, not N: internal/auth/shared.go), and the turnout snapshots (a display connected to any
// server sees the same figure, fresh at most every TurnoutPeriod, whichever server it asks). They live
// in UNLOGGED tables (migrations 0010 and 0012): out of the write-ahead log, so out of archives and
// standbys. The embedded SQLite database is served by one process only; the server keeps these in
// its memory there (SharesState is false), and its single writer never waits for them.

// SharesState reports whether the server must keep its throttles and turnout snapshots in the
// database (several processes may serve it) rather than in memory.
func (s *Store) SharesState() bool { return s.dialect == Postgres }

// sweepPeriod is how often a process forgets the shared rows nobody needs any more.
const sweepPeriod = 30 * time.Second

var lastSweep atomic.Int64 // unix ms of this process's last sweep

// sweepShared deletes the throttle rows that count nothing (no failure, or none within a day) and
// the snapshots of votes no longer open: about twice a minute per process.
func (s *Store) sweepShared(ctx context.Context, now time.Time) {
	last := lastSweep.Load()
	if now.UnixMilli()-last < sweepPeriod.Milliseconds() || !lastSweep.CompareAndSwap(last, now.UnixMilli()) {
		return
	}
	db := s.db.WithContext(ctx)
	_ = db.Exec("DELETE FROM throttle_counts WHERE failures = 0 OR last_ms < ?", now.Add(-24*time.Hour).UnixMilli()).Error
	_ = db.Exec("DELETE FROM server_heartbeats WHERE seen_ms < ?", now.Add(-time.Hour).UnixMilli()).Error
	_ = db.Exec("DELETE FROM turnout_snapshots WHERE NOT EXISTS (SELECT 1 FROM votes WHERE votes.id = turnout_snapshots.vote_id AND votes.status = ?)",
		string(vote.Open)).Error
}

// throttleKey is how a throttle key is stored: a digest, so that the table (and any log of a failed
// statement) holds no username or address in clear.
func throttleKey(key string) string {
	sum := sha256.Sum256([]byte("tinnhiem/throttle/v1\x00" + key))
	return hex.EncodeToString(sum[:16])
}

// Failures returns key's failures counted within the window and the time of the last one (a read:
// an honest attempt writes nothing, auth/shared.go).
func (s *Store) Failures(ctx context.Context, key string, p auth.Policy, now time.Time) (int, time.Time, error) {
	s.sweepShared(ctx, now)
	st, err := s.attemptStatus(ctx, throttleKey(key))
	if err != nil || st.last == 0 || now.UnixMilli()-st.last > p.Window.Milliseconds() {
		return 0, time.Time{}, err
	}
	return st.Failures, time.UnixMilli(st.last), nil
}

// RecordFailure counts one failure of key; a count older than the window starts again at one.
func (s *Store) RecordFailure(ctx context.Context, key string, p auth.Policy, now time.Time) error {
	return dbErr(s.db.WithContext(ctx).Exec(`INSERT INTO throttle_counts AS t (key, failures, last_ms) VALUES (?, 1, ?)
		ON CONFLICT (key) DO UPDATE SET failures = CASE WHEN excluded.last_ms - t.last_ms > ? THEN 1 ELSE t.failures + 1 END,
			last_ms = GREATEST(t.last_ms, excluded.last_ms)`, throttleKey(key), now.UnixMilli(), p.Window.Milliseconds()).Error)
}

// ReserveAttempt counts an attempt of key as a failure and returns 0, unless key must wait: then it
// counts nothing and returns the wait. One statement: the row of the key is updated only while its
// failures are free or its last attempt plus their backoff has passed (a row older than the window
// starts again at one), atomically with the check, so parallel attempts on several servers are
// counted as surely as sequential ones on one.
func (s *Store) ReserveAttempt(ctx context.Context, key string, p auth.Policy, now time.Time) (time.Duration, error) {
	key = throttleKey(key)
	for attempt := 0; ; attempt++ {
		wait, err := s.reserveAttempt(ctx, key, p, now)
		if err != nil || wait >= 0 {
			return wait, err
		}
		if attempt == 2 { // the key keeps changing under this attempt: count it as waiting, briefly
			return time.Second, nil
		}
	}
}

// reserveAttempt is one try of ReserveAttempt: a negative wait means the key was throttled when the
// statement ran but no longer is (another server's success took an attempt back): try again.
func (s *Store) reserveAttempt(ctx context.Context, key string, p auth.Policy, now time.Time) (time.Duration, error) {
	ms := now.UnixMilli()
	var counted []int
	err := s.db.WithContext(ctx).Raw(`INSERT INTO throttle_counts AS t (key, failures, last_ms) VALUES (?, 1, ?)
		ON CONFLICT (key) DO UPDATE SET failures = CASE WHEN excluded.last_ms - t.last_ms > ? THEN 1 ELSE t.failures + 1 END,
			last_ms = GREATEST(t.last_ms, excluded.last_ms)
		WHERE excluded.last_ms - t.last_ms > ? OR t.failures <= ? OR t.last_ms + LEAST(?, ? * POWER(2, LEAST(t.failures - ? - 1, 40)))::BIGINT <= excluded.last_ms
		RETURNING failures`,
		key, ms, p.Window.Milliseconds(), p.Window.Milliseconds(), p.Free, p.Max.Milliseconds(), p.Base.Milliseconds(), p.Free).Scan(&counted).Error
	if err != nil {
		return 0, dbErr(err)
	}
	if len(counted) == 1 {
		return 0, nil
	}
	st, err := s.attemptStatus(ctx, key)
	if err != nil {
		return 0, err
	}
	// No wait within the free failures: concurrent attempts carry clocks a few milliseconds apart,
	// and one stamped earlier than the last must not wait for it.
	if b := p.Backoff(st.Failures); b > 0 {
		if wait := time.UnixMilli(st.last).Add(b).Sub(now); wait > 0 {
			return wait, nil
		}
	}
	return -1, nil
}

// ReleaseAttempt takes back one attempt counted by ReserveAttempt (it succeeded).
func (s *Store) ReleaseAttempt(ctx context.Context, key string) error {
	return dbErr(s.db.WithContext(ctx).Exec("UPDATE throttle_counts SET failures = failures - 1 WHERE key = ? AND failures > 0", throttleKey(key)).Error)
}

// ClearAttempts forgets key (a login that succeeded).
func (s *Store) ClearAttempts(ctx context.Context, key string) error {
	return dbErr(s.db.WithContext(ctx).Exec("DELETE FROM throttle_counts WHERE key = ?", throttleKey(key)).Error)
}

// AttemptStatus returns key's counted failures and until when it must wait.
func (s *Store) AttemptStatus(ctx context.Context, key string, p auth.Policy) (auth.Status, error) {
	st, err := s.attemptStatus(ctx, throttleKey(key))
	if err != nil || st.last == 0 {
		return auth.Status{}, err
	}
	out := auth.Status{Failures: st.Failures}
	if b := p.Backoff(st.Failures); b > 0 {
		out.Until = time.UnixMilli(st.last).Add(b)
	}
	return out, nil
}

type attemptRow struct {
	Failures int
	last     int64
}

func (s *Store) attemptStatus(ctx context.Context, key string) (attemptRow, error) {
	var row struct {
		Failures int
		LastMs   int64
	}
	if err := s.db.WithContext(ctx).Raw("SELECT failures, last_ms FROM throttle_counts WHERE key = ?", key).Scan(&row).Error; err != nil {
		return attemptRow{}, dbErr(err)
	}
	return attemptRow{Failures: row.Failures, last: row.LastMs}, nil
}

// The live server processes. Each throttle lets a process have at most its share of the budget under
// way (auth/shared.go): the share is the budget divided by the processes that count together, each of
// which marks itself alive in server_heartbeats at least every heartbeatPeriod while it serves code
// uses or logins. A process dead for serverGone stops counting; one that has just started counts as
// soon as it serves its first attempt.
const (
	heartbeatPeriod = 2 * time.Second
	serverGone      = 10 * time.Second
	liveCacheTTL    = time.Second
)

type liveServers struct {
	mu       sync.Mutex
	instance string
	beat     time.Time // this process's last heartbeat written
	counted  time.Time // when n was read
	n        int
}

var liveByStore sync.Map // *Store -> *liveServers

// LiveServers is the number of server processes counting throttles together now (at least 1), read
// at most once a second; the call also writes this process's heartbeat when it is due.
func (s *Store) LiveServers(ctx context.Context, now time.Time) (int, error) {
	v, _ := liveByStore.LoadOrStore(s, &liveServers{instance: newID()})
	l := v.(*liveServers)
	l.mu.Lock()
	defer l.mu.Unlock()
	db := s.db.WithContext(ctx)
	if now.Sub(l.beat) >= heartbeatPeriod || now.Before(l.beat) {
		if err := db.Exec(`INSERT INTO server_heartbeats (instance, seen_ms) VALUES (?, ?)
			ON CONFLICT (instance) DO UPDATE SET seen_ms = excluded.seen_ms`, l.instance, now.UnixMilli()).Error; err != nil {
			return 0, dbErr(err)
		}
		l.beat, l.counted = now, time.Time{}
	}
	if now.Sub(l.counted) >= liveCacheTTL || now.Before(l.counted) {
		var n int64
		if err := db.Raw("SELECT COUNT(*) FROM server_heartbeats WHERE seen_ms > ?", now.Add(-serverGone).UnixMilli()).Scan(&n).Error; err != nil {
			return 0, dbErr(err)
		}
		l.n, l.counted = max(1, int(n)), now
	}
	return l.n, nil
}

// TurnoutSnapshot returns the turnout to show of an open vote: the snapshot every server shares while
// it is younger than period, else fresh, which becomes the snapshot. Two servers refreshing at once
// agree on the one written first. A vote that is not open has nothing to hide (no casts yet, or
// the final figures): its fresh turnout is returned as it is.
func (s *Store) TurnoutSnapshot(ctx context.Context, voteID string, fresh vote.Turnout, now time.Time, period time.Duration) (vote.Turnout, error) {
	if fresh.Status != vote.Open {
		return fresh, nil
	}
	db := s.db.WithContext(ctx)
	var row struct {
		TakenMs int64
		Body    string
	}
	if err := db.Raw("SELECT taken_ms, body FROM turnout_snapshots WHERE vote_id = ?", voteID).Scan(&row).Error; err != nil {
		return fresh, dbErr(err)
	}
	if row.Body != "" && now.UnixMilli()-row.TakenMs < period.Milliseconds() {
		var t vote.Turnout
		if err := json.Unmarshal([]byte(row.Body), &t); err == nil && t.Status == fresh.Status {
			return t, nil
		}
	}
	body, err := json.Marshal(fresh)
	if err != nil {
		return fresh, err
	}
	var won []string
	err = db.Raw(`INSERT INTO turnout_snapshots AS t (vote_id, taken_ms, body) VALUES (?, ?, ?)
		ON CONFLICT (vote_id) DO UPDATE SET taken_ms = excluded.taken_ms, body = excluded.body
		WHERE t.taken_ms <= ? OR t.body = '' OR t.taken_ms > excluded.taken_ms + ?
		RETURNING body`, voteID, now.UnixMilli(), string(body), now.Add(-period).UnixMilli(), period.Milliseconds()).Scan(&won).Error
	if err != nil {
		return fresh, dbErr(err)
	}
	if len(won) == 1 {
		return fresh, nil
	}
	// Another server refreshed it a moment ago: show what it wrote.
	if err := db.Raw("SELECT body FROM turnout_snapshots WHERE vote_id = ?", voteID).Scan(&row.Body).Error; err != nil {
		return fresh, dbErr(err)
	}
	var t vote.Turnout
	if err := json.Unmarshal([]byte(row.Body), &t); err != nil || t.Status != fresh.Status {
		return fresh, nil
	}
	return t, nil
}

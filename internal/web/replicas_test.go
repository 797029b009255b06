package web_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"tinnhiem/internal/auth"
	"tinnhiem/internal/ballot"
	"tinnhiem/internal/store"
	"tinnhiem/internal/testdb"
	"tinnhiem/internal/web"
)

// Several server processes on one PostgreSQL database (docs/OPERATIONS.md): every piece of state a
// request can leave behind must be the same whichever server the next request reaches. These tests
// run two servers, each with its own connection pool, on one database — two replicas behind a load
// balancer without sticky sessions — and a clock of their own, so that nothing here waits or times.

// testClock is the two servers' clock: it moves only when the test says.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *testClock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// replicas is a vote environment whose requests go to server a or b (env.call uses env.srv).
type replicas struct {
	*voteEnv
	a, b  *web.Server
	clock *testClock
}

// on sends the following requests to server s.
func (r *replicas) on(s *web.Server) *replicas { r.srv = s; return r }

func twoReplicas(t *testing.T, delegates int) *replicas {
	t.Helper()
	url := testdb.PostgresURL(t)
	open := func() *store.Store {
		st, err := store.Open(context.Background(), url, store.Options{CodeSpares: testdb.CodeSpares})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = st.Close() })
		return st
	}
	stA, stB := open(), open()
	e := newVoteEnv(t, stA, delegates) // the roster, users and tokens, made through a real-time server
	// Tokens carry their issue time: the test clock starts after every token was issued.
	clock := &testClock{t: time.Now().Add(time.Second)}
	serve := func(st *store.Store) *web.Server {
		cfg := testConfig()
		tokens, err := auth.NewTokens([]byte(cfg.JWTSecret), cfg.TokenTTL)
		if err != nil {
			t.Fatal(err)
		}
		return web.New(web.Deps{Config: cfg, Backend: st, Auth: auth.NewService(st, tokens, clock.now), Now: clock.now,
			Log: slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil))})
	}
	r := &replicas{voteEnv: e, a: serve(stA), b: serve(stB), clock: clock}
	return r.on(r.a)
}

// TestReplicasShareTheCodeBudget: guesses alternating between two servers are counted together: the
// 22nd guess from one address is refused, as on a single server (stream_test.go), not the 43rd.
func TestReplicasShareTheCodeBudget(t *testing.T) {
	r := twoReplicas(t, 3)
	for i := 0; i < 21; i++ {
		srv := []*web.Server{r.a, r.b}[i%2]
		if got := r.on(srv).call("POST", "/api/v1/ballots/lookup", "", map[string]any{"code": ballot.Format(ballot.NewCode())}); got.status != 404 {
			t.Fatalf("guess %d: %d %s", i+1, got.status, got.body)
		}
	}
	for _, srv := range []*web.Server{r.a, r.b} {
		got := r.on(srv).call("POST", "/api/v1/ballots/lookup", "", map[string]any{"code": ballot.Format(ballot.NewCode())})
		if env := r.envelope(got); got.status != 429 || env.Error.Code != "too_many_code_failures" {
			t.Fatalf("guess 22: %d %s", got.status, got.body)
		}
	}
	// The wait runs out on both servers' clock alike.
	r.clock.add(3 * time.Second)
	if got := r.on(r.b).call("POST", "/api/v1/ballots/lookup", "", map[string]any{"code": ballot.Format(ballot.NewCode())}); got.status != 404 {
		t.Fatalf("after the wait: %d", got.status)
	}
}

// TestReplicasShareTheLoginThrottle: wrong passwords for one account from one address, sent to two
// servers in turn, lock the pair out after the same five free failures as on one server.
func TestReplicasShareTheLoginThrottle(t *testing.T) {
	r := twoReplicas(t, 3)
	for i := 0; i < 6; i++ {
		srv := []*web.Server{r.a, r.b}[i%2]
		if got := r.on(srv).call("POST", "/api/v1/auth/login", "", map[string]string{"username": "u.observer", "password": "wrong-password"}); got.status != 401 {
			t.Fatalf("attempt %d: %d %s", i+1, got.status, got.body)
		}
	}
	got := r.on(r.b).call("POST", "/api/v1/auth/login", "", map[string]string{"username": "u.observer", "password": "password-observer"})
	if env := r.envelope(got); got.status != 429 || env.Error.Code != "login_throttled" {
		t.Fatalf("attempt 7, with the right password: %d %s", got.status, got.body)
	}
	// The board's console on the other server sees the account under attack.
	v := r.on(r.a).draft(map[string]any{"kind": "confidence", "title": "LPTN", "session_name": "Kỳ họp", "session_opens_on": "2023-12-06",
		"vote_date": "2023-12-08", "official_ids": []string{r.officials["chair"].ID}})
	var sec struct {
		Accounts []struct{ Failures int } `json:"accounts"`
	}
	r.on(r.a).must(r.call("GET", "/api/v1/votes/"+v.ID+"/security", r.board["head"], nil), 200, &sec)
	if len(sec.Accounts) != 3 {
		t.Fatalf("security: %+v", sec)
	}
	r.clock.add(3 * time.Second)
	r.on(r.a).must(r.call("POST", "/api/v1/auth/login", "", map[string]string{"username": "u.observer", "password": "password-observer"}), 200, nil)
}

// TestLogoutEndsTokensOnEveryReplica: a token logged out on one server is refused by the other.
func TestLogoutEndsTokensOnEveryReplica(t *testing.T) {
	r := twoReplicas(t, 3)
	var res struct{ Token string }
	r.on(r.a).must(r.call("POST", "/api/v1/auth/login", "", map[string]string{"username": "u.observer", "password": "password-observer"}), 200, &res)
	r.on(r.b).must(r.call("GET", "/api/v1/me", res.Token, nil), 200, nil)
	r.on(r.b).must(r.call("POST", "/api/v1/auth/logout", res.Token, nil), 200, nil)
	if got := r.on(r.a).call("GET", "/api/v1/me", res.Token, nil); got.status != 401 {
		t.Fatalf("a logged-out token on the other server: %d", got.status)
	}
}

// TestReplicasShareTurnoutAndKiosks: the turnout snapshot is one for both servers (a display asking
// either sees the same figure until it is TurnoutPeriod old: two snapshots of their own, taken at
// different moments, would show the casts in between); a kiosk registered on one server has its
// budget on the other, and revoked on one is a stranger to the other.
func TestReplicasShareTurnoutAndKiosks(t *testing.T) {
	r := twoReplicas(t, 3)
	chair := r.officials["chair"].ID
	v := r.on(r.a).draft(map[string]any{"kind": "confidence", "title": "LPTN", "session_name": "Kỳ họp", "session_opens_on": "2023-12-06",
		"vote_date": "2023-12-08", "official_ids": []string{chair}})
	base := "/api/v1/votes/" + v.ID
	var codes struct{ Codes []string }
	r.must(r.call("POST", base+"/codes", r.board["head"], map[string]any{"count": 3}), 201, &codes)
	var kiosk struct{ ID, Token string }
	r.must(r.call("POST", base+"/devices", r.board["member"], map[string]any{"name": "Máy 1"}), 201, &kiosk)
	r.must(r.call("POST", base+"/open", r.board["head"], nil), 200, nil)
	for i := 0; i < 2; i++ {
		r.must(r.call("POST", base+"/issuances", r.board["head"], map[string]any{"delegate_id": r.delegates[i].ID}), 201, nil)
	}
	turnout := func(srv *web.Server) int {
		var tv struct {
			BallotsCast int `json:"ballots_cast"`
		}
		r.on(srv).must(r.call("GET", base+"/turnout", r.tokens["observer"], nil), 200, &tv)
		return tv.BallotsCast
	}
	r.clock.add(web.TurnoutPeriod) // the issuances' snapshot is old now
	if n := turnout(r.a); n != 0 {
		t.Fatalf("before any cast: %d", n)
	}
	r.on(r.a).must(r.call("POST", "/api/v1/ballots", "", map[string]any{"code": codes.Codes[0], "choices": []map[string]any{choice(chair, "high")}},
		web.KioskHeader, kiosk.Token), 201, nil)
	r.clock.add(web.TurnoutPeriod / 2)
	if n := turnout(r.b); n != 0 {
		t.Fatalf("the other server showed %d casts within the period of the first one's snapshot", n)
	}
	r.clock.add(web.TurnoutPeriod / 2)
	if a, b := turnout(r.b), turnout(r.a); a != 1 || b != 1 {
		t.Fatalf("after the period: %d and %d casts shown", a, b)
	}
	// The kiosk's failures are its own on both servers.
	security := func() (device, unregistered int) {
		var sec struct {
			Devices      []struct{ Failures int } `json:"devices"`
			Unregistered struct{ Failures int }   `json:"unregistered"`
		}
		r.on(r.a).must(r.call("GET", base+"/security", r.board["head"], nil), 200, &sec)
		return sec.Devices[0].Failures, sec.Unregistered.Failures
	}
	r.on(r.b).call("POST", "/api/v1/ballots/lookup", "", map[string]any{"code": ballot.Format(ballot.NewCode())}, web.KioskHeader, kiosk.Token)
	if d, u := security(); d != 1 || u != 0 {
		t.Fatalf("a kiosk's failure on the other server: device %d, unregistered %d", d, u)
	}
	r.on(r.b).must(r.call("DELETE", base+"/devices/"+kiosk.ID, r.board["member"], nil), 200, nil)
	r.on(r.a).call("POST", "/api/v1/ballots/lookup", "", map[string]any{"code": ballot.Format(ballot.NewCode())}, web.KioskHeader, kiosk.Token)
	if d, u := security(); d != 1 || u != 1 {
		t.Fatalf("a revoked kiosk on the other server: device %d, unregistered %d", d, u)
	}
	// The close on one server: the other refuses casts at once (its cache of open votes notwithstanding).
	r.on(r.b).must(r.call("POST", base+"/close", r.board["head"], nil), 200, nil)
	got := r.on(r.a).call("POST", "/api/v1/ballots", "", map[string]any{"code": codes.Codes[1], "choices": []map[string]any{choice(chair, "high")}},
		web.KioskHeader, kiosk.Token)
	if got.status != 409 || !strings.Contains(string(got.body), "vote_not_open") {
		t.Fatalf("a cast on the other server after the close: %d %s", got.status, got.body)
	}
}

package web_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tinnhiem/internal/auth"
	"tinnhiem/internal/ballot"
	"tinnhiem/internal/testdb"
	"tinnhiem/internal/vote"
	"tinnhiem/internal/web"
)

// TestTurnoutStream listens on a loopback port and reads the server-sent events: the first at once,
// then at most one every TurnoutPeriod while casts arrive, and never any result.
func TestTurnoutStream(t *testing.T) {
	e := newVoteEnv(t, testdb.SQLite(t), 6)
	chair := e.officials["chair"].ID
	v := e.draft(map[string]any{"kind": "confidence", "title": "LPTN", "session_name": "Kỳ họp", "session_opens_on": "2023-12-06",
		"vote_date": "2023-12-08", "official_ids": []string{chair}})
	base := "/api/v1/votes/" + v.ID
	var codes struct{ Codes []string }
	e.must(e.call("POST", base+"/codes", e.board["head"], map[string]any{"count": 6}), 201, &codes)
	e.must(e.call("POST", base+"/open", e.board["head"], nil), 200, nil)
	for i := 0; i < 6; i++ {
		e.must(e.call("POST", base+"/issuances", e.board["head"], map[string]any{"delegate_id": e.delegates[i].ID}), 201, nil)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go e.srv.App().Listener(ln) //nolint:errcheck
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = e.srv.Shutdown(sctx)
	})
	url := "http://" + ln.Addr().String() + base + "/turnout/stream?access_token=" + e.tokens["observer"]
	ctx, cancel := context.WithTimeout(context.Background(), 12*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	// The clock starts before the request, so it has run at least as long as the server's period.
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("got %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	// Cast one ballot every 300 ms for ~2 s in the background.
	go func() {
		for i := 0; i < 6; i++ {
			e.call("POST", "/api/v1/ballots", "", map[string]any{"code": codes.Codes[i], "choices": []map[string]any{choice(chair, "high")}})
			time.Sleep(300 * time.Millisecond)
		}
	}()
	sc := bufio.NewScanner(resp.Body)
	var events []vote.Turnout
	for sc.Scan() && time.Since(start) < 7*time.Second {
		line := sc.Text()
		if data, ok := strings.CutPrefix(line, "data: "); ok {
			if strings.Contains(data, "counts") || strings.Contains(data, "percent") {
				t.Fatalf("a result in the stream: %s", data)
			}
			var tv vote.Turnout
			if err := json.Unmarshal([]byte(data), &tv); err != nil {
				t.Fatal(err)
			}
			events = append(events, tv)
			if tv.BallotsCast == 6 {
				break
			}
		}
	}
	elapsed := time.Since(start)
	if len(events) == 0 || events[0].TotalDelegates != 6 {
		t.Fatalf("events: %+v", events)
	}
	// At most one event per period, plus the first one sent at once.
	if max := int(elapsed/(2*time.Second)) + 1; len(events) > max {
		t.Fatalf("%d events in %v: more than one every two seconds", len(events), elapsed)
	}
	if len(events) > 1 && events[len(events)-1].BallotsCast <= events[0].BallotsCast {
		t.Fatalf("the stream did not follow the casts: %+v", events)
	}
	// Without a token: refused.
	r, err := http.Get("http://" + ln.Addr().String() + base + "/turnout/stream")
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != 401 {
		t.Fatalf("a stream without a token: %d", r.StatusCode)
	}
}

// TestFailedCodeLookupsAreSlowedDown: after the free failures, an address must wait, even with a
// right code.
func TestFailedCodeLookupsAreSlowedDown(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	for i := 0; i < 21; i++ { // 20 free failures; the 21st starts the wait
		r := e.call("POST", "/api/v1/ballots", "", map[string]any{"code": ballot.Format(ballot.NewCode()), "choices": []any{}})
		if r.status != 404 {
			t.Fatalf("attempt %d: got %d", i, r.status)
		}
	}
	r := e.call("POST", "/api/v1/ballots", "", map[string]any{"code": ballot.Format(ballot.NewCode()), "choices": []any{}})
	if env := e.envelope(r); r.status != 429 || env.Error.Code != "too_many_code_failures" || r.header.Get("Retry-After") == "" {
		t.Fatalf("got %d %s", r.status, r.body)
	}
}

// TestManyKiosksBehindOneAddress: honest casts from the hall's registered kiosks, all behind one
// address and at the same moment, are never slowed down: each kiosk has a budget of its own, and a
// success gives its attempt back.
func TestManyKiosksBehindOneAddress(t *testing.T) {
	e := newVoteEnv(t, testdb.SQLite(t), 40)
	chair := e.officials["chair"].ID
	v := e.draft(map[string]any{"kind": "confidence", "title": "LPTN", "session_name": "Kỳ họp", "session_opens_on": "2023-12-06",
		"vote_date": "2023-12-08", "official_ids": []string{chair}})
	base := "/api/v1/votes/" + v.ID
	var codes struct{ Codes []string }
	e.must(e.call("POST", base+"/codes", e.board["head"], map[string]any{"count": 40}), 201, &codes)
	kiosks := make([]string, 4)
	for i := range kiosks {
		var d struct{ Token string }
		e.must(e.call("POST", base+"/devices", e.board["member"], map[string]any{"name": fmt.Sprintf("Máy %d", i+1)}), 201, &d)
		kiosks[i] = d.Token
	}
	e.must(e.call("POST", base+"/open", e.board["head"], nil), 200, nil)
	for i := 0; i < 40; i++ {
		e.must(e.call("POST", base+"/issuances", e.board["head"], map[string]any{"delegate_id": e.delegates[i].ID}), 201, nil)
	}
	var wg sync.WaitGroup
	statuses := make([]int, 40)
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			statuses[i] = e.call("POST", "/api/v1/ballots", "", map[string]any{"code": codes.Codes[i], "choices": []map[string]any{choice(chair, "high")}},
				web.KioskHeader, kiosks[i%len(kiosks)]).status
		}(i)
	}
	wg.Wait()
	for i, st := range statuses {
		if st != 201 {
			t.Fatalf("cast %d from the shared address: %d", i, st)
		}
	}
}

// TestCodeGuessingIsBudgeted makes the attacks of the security review: 200 parallel guesses from one
// address are evaluated at most as many times as the budget allows (spent codes included: every use
// counts); a registered kiosk keeps casting meanwhile; guesses spread over many addresses exhaust only
// the shared budget of unregistered clients, never a kiosk's; the board sees who is under attack.
func TestCodeGuessingIsBudgeted(t *testing.T) {
	// Behind a trusted reverse proxy (the test's own peer), so that guesses can come "from" many addresses.
	e := newVoteEnvConfig(t, testdb.SQLite(t), 3, testConfig("TINNHIEM_PROXY_HEADER", "X-Forwarded-For", "TINNHIEM_TRUSTED_PROXIES", "0.0.0.0/8"))
	chair := e.officials["chair"].ID
	v := e.draft(map[string]any{"kind": "confidence", "title": "LPTN", "session_name": "Kỳ họp", "session_opens_on": "2023-12-06",
		"vote_date": "2023-12-08", "official_ids": []string{chair}})
	base := "/api/v1/votes/" + v.ID
	var codes struct{ Codes []string }
	e.must(e.call("POST", base+"/codes", e.board["head"], map[string]any{"count": 3}), 201, &codes)
	var kiosk struct{ ID, Token string }
	e.must(e.call("POST", base+"/devices", e.board["member"], map[string]any{"name": "Máy bàn 1"}), 201, &kiosk)
	e.must(e.call("POST", base+"/open", e.board["head"], nil), 200, nil)
	for i := 0; i < 3; i++ {
		e.must(e.call("POST", base+"/issuances", e.board["head"], map[string]any{"delegate_id": e.delegates[i].ID}), 201, nil)
	}
	// A spent code: guessing "is this code spent?" must cost as much as any guess.
	e.must(e.call("POST", "/api/v1/ballots", "", map[string]any{"code": codes.Codes[0], "choices": []map[string]any{choice(chair, "high")}},
		web.KioskHeader, kiosk.Token), 201, nil)
	var evaluated atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 200; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			code := ballot.Format(ballot.NewCode())
			if i%2 == 0 {
				code = codes.Codes[0]
			}
			if r := e.call("POST", "/api/v1/ballots/lookup", "", map[string]any{"code": code}); r.status != 429 {
				evaluated.Add(1)
			}
		}(i)
	}
	wg.Wait()
	if n := evaluated.Load(); n > int32(auth.NewCodeThrottle().Free)+1 {
		t.Fatalf("%d of 200 parallel guesses were evaluated", n)
	}
	// The attacker's address is blocked; the registered kiosk is not.
	if r := e.call("POST", "/api/v1/ballots/lookup", "", map[string]any{"code": codes.Codes[1]}); r.status != 429 {
		t.Fatalf("the guessing address: %d", r.status)
	}
	e.must(e.call("POST", "/api/v1/ballots", "", map[string]any{"code": codes.Codes[1], "choices": []map[string]any{choice(chair, "low")}},
		web.KioskHeader, kiosk.Token), 201, nil)
	// Guesses from many addresses exhaust the unregistered clients' shared budget, not the kiosk's.
	for i := 0; i < auth.NewGlobalCodeThrottle().Free+5; i++ {
		e.call("POST", "/api/v1/ballots/lookup", "", map[string]any{"code": ballot.Format(ballot.NewCode())}, "X-Forwarded-For", fmt.Sprintf("10.9.%d.%d", i/200, i%200))
	}
	e.must(e.call("POST", "/api/v1/ballots", "", map[string]any{"code": codes.Codes[2], "choices": []map[string]any{choice(chair, "low")}},
		web.KioskHeader, kiosk.Token), 201, nil)
	var sec struct {
		Devices []struct {
			ID       string
			Failures int
		}
		Unregistered struct {
			Failures     int
			BlockedUntil *time.Time `json:"blocked_until"`
		}
	}
	e.must(e.call("GET", base+"/security", e.board["head"], nil), 200, &sec)
	if len(sec.Devices) != 1 || sec.Devices[0].Failures != 0 || sec.Unregistered.Failures < auth.NewGlobalCodeThrottle().Free || sec.Unregistered.BlockedUntil == nil {
		t.Fatalf("the board's view: %+v", sec)
	}
}

// TestCodeLookupShowsTheBallotWithoutSpendingIt.
func TestCodeLookupShowsTheBallotWithoutSpendingIt(t *testing.T) {
	e := newVoteEnv(t, testdb.SQLite(t), 2)
	chair := e.officials["chair"].ID
	v := e.draft(map[string]any{"kind": "confidence", "title": "LPTN", "session_name": "Kỳ họp", "session_opens_on": "2023-12-06",
		"vote_date": "2023-12-08", "official_ids": []string{chair}})
	base := "/api/v1/votes/" + v.ID
	var codes struct{ Codes []string }
	e.must(e.call("POST", base+"/codes", e.board["head"], map[string]any{"count": 2}), 201, &codes)
	if r := e.call("POST", "/api/v1/ballots/lookup", "", map[string]any{"code": codes.Codes[0]}); r.status != 409 {
		t.Fatalf("a code of a draft: %d", r.status)
	}
	e.must(e.call("POST", base+"/open", e.board["head"], nil), 200, nil)
	if r := e.call("POST", "/api/v1/ballots/lookup", "", map[string]any{"code": codes.Codes[0]}); r.status != 409 {
		t.Fatalf("a code before any ballot is issued: %d", r.status)
	}
	e.must(e.call("POST", base+"/issuances", e.board["head"], map[string]any{"delegate_id": e.delegates[0].ID}), 201, nil)
	var b vote.Ballot
	e.must(e.call("POST", "/api/v1/ballots/lookup", "", map[string]any{"code": codes.Codes[0]}), 200, &b)
	if b.VoteID != v.ID || len(b.Subjects) != 1 || b.Subjects[0].FullName != "Nguyễn Văn Chủ" || len(b.Levels) != 3 {
		t.Fatalf("got %+v", b)
	}
	var tv vote.Turnout
	e.must(e.call("GET", base+"/turnout", e.tokens["observer"], nil), 200, &tv)
	if tv.BallotsCast != 0 {
		t.Fatal("a look-up spent the code")
	}
	if r := e.call("POST", "/api/v1/ballots/lookup", "", map[string]any{"code": mistype(codes.Codes[0])}); r.status != 422 {
		t.Fatalf("a mistyped code: %d", r.status)
	}
	var staff []auth.User
	e.must(e.call("GET", "/api/v1/councils/"+e.councilA+"/staff", e.tokens["secretariat"], nil), 200, &staff)
	if len(staff) < 5 {
		t.Fatalf("staff: %d", len(staff))
	}
	if r := e.call("GET", "/api/v1/councils/"+e.councilA+"/staff", e.board["head"], nil); r.status != 403 {
		t.Fatalf("the board listed the staff: %d", r.status)
	}
}

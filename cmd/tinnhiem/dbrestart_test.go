package main

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tinnhiem/internal/testdb"
)

// TestDatabaseRestart restarts the PostgreSQL cluster in the middle of a load of casts. Clients get
// clear, retryable errors (503 with Retry-After) or lose the connection, never a false receipt;
// after the restart the server carries on and nothing acknowledged is lost. It restarts the machine's
// cluster, so it runs only in make test-reliability (TINNHIEM_RELIABILITY=1) against the local one.
func TestDatabaseRestart(t *testing.T) {
	if os.Getenv("TINNHIEM_RELIABILITY") != "1" || os.Getenv("TINNHIEM_TEST_DATABASE_URL") != "" {
		t.Skip("restarts the local PostgreSQL cluster: make test-reliability")
	}
	versions, _ := os.ReadDir("/etc/postgresql")
	if len(versions) == 0 {
		t.Skip("no local PostgreSQL cluster")
	}
	version := versions[0].Name()
	c := &crashEnv{t: t, dbURL: testdb.PostgresURL(t)}
	c.env = []string{"TINNHIEM_DATABASE_URL=" + c.dbURL, "TINNHIEM_ADMIN_PASSWORD=admin-restart-password"}
	c.start()
	var councils []struct{ ID string }
	c.srv.must("GET", "/api/v1/councils", c.tokens["thuky"], nil, 200, &councils)
	council := councils[0].ID
	var officials, delegates []struct{ ID string }
	c.srv.must("GET", "/api/v1/councils/"+council+"/officials", c.tokens["thuky"], nil, 200, &officials)
	c.srv.must("GET", "/api/v1/councils/"+council+"/delegates", c.tokens["thuky"], nil, 200, &delegates)
	var staff []struct{ ID, Username string }
	c.srv.must("GET", "/api/v1/councils/"+council+"/staff", c.tokens["thuky"], nil, 200, &staff)
	var board []map[string]any
	for _, u := range staff {
		if u.Username == "bkp.truongban" {
			board = append(board, map[string]any{"user_id": u.ID, "board_role": "head"})
		}
	}
	today := time.Now().Format("2006-01-02")
	var v struct {
		ID       string
		Subjects []struct {
			OfficialID string `json:"official_id"`
		}
	}
	c.srv.must("POST", "/api/v1/councils/"+council+"/votes", c.tokens["thuky"], map[string]any{"kind": "confidence", "title": "Khởi động lại",
		"session_name": "Kỳ họp", "session_opens_on": today, "vote_date": today, "official_ids": []string{officials[0].ID}}, 201, &v)
	c.srv.must("PUT", "/api/v1/votes/"+v.ID+"/board", c.tokens["thuky"], map[string]any{"members": board}, 200, nil)
	var codes struct{ Codes []string }
	c.srv.must("POST", "/api/v1/votes/"+v.ID+"/codes", c.tokens["bkp.truongban"], map[string]any{"count": 50}, 201, &codes)
	c.srv.must("POST", "/api/v1/votes/"+v.ID+"/open", c.tokens["bkp.truongban"], nil, 200, nil)
	for i := 0; i < 50; i++ {
		c.srv.must("POST", "/api/v1/votes/"+v.ID+"/issuances", c.tokens["bkp.truongban"], map[string]any{"delegate_id": delegates[i].ID}, 201, nil)
	}
	choices := []map[string]any{{"official_id": v.Subjects[0].OfficialID, "level": "high"}}
	receipts := make([]string, 50)
	var refused, dropped atomic.Int32
	var wg sync.WaitGroup
	restarted := make(chan struct{})
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			time.Sleep(time.Duration(i*40) * time.Millisecond) // spread over 2 s, around the restart
			var r struct{ Receipt string }
			code, err := c.srv.try("POST", "/api/v1/ballots", map[string]any{"code": codes.Codes[i], "choices": choices}, &r)
			switch {
			case err != nil:
				dropped.Add(1)
			case code == 201:
				receipts[i] = r.Receipt
			case code == 503:
				refused.Add(1)
			default:
				t.Errorf("cast %d during the restart: status %d", i, code)
			}
		}(i)
	}
	go func() {
		time.Sleep(500 * time.Millisecond)
		out, err := exec.Command("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart").CombinedOutput()
		if err != nil {
			t.Errorf("restart: %v %s", err, out)
		}
		close(restarted)
	}()
	wg.Wait()
	<-restarted
	// The server recovers by itself; then every code is retried: the acknowledged ones return their
	// first receipt, the others are cast now. The ballot box holds exactly 50.
	deadline := time.Now().Add(30 * time.Second)
	for {
		code, _ := c.srv.try("GET", "/readyz", nil, nil)
		if code == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the server did not become ready after the database restart")
		}
		time.Sleep(200 * time.Millisecond)
	}
	acked := 0
	for i := 0; i < 50; i++ {
		var r struct {
			Receipt string
			Replay  bool
		}
		code, err := c.srv.try("POST", "/api/v1/ballots", map[string]any{"code": codes.Codes[i], "choices": choices}, &r)
		if err != nil || (code != 200 && code != 201) {
			t.Fatalf("retry %d: %d %v", i, code, err)
		}
		if receipts[i] != "" {
			acked++
			if r.Receipt != receipts[i] {
				t.Fatalf("code %d: receipt %s after the restart, %s before", i, r.Receipt, receipts[i])
			}
		}
	}
	var tv struct {
		BallotsCast int `json:"ballots_cast"`
	}
	c.srv.must("POST", "/api/v1/votes/"+v.ID+"/close", c.tokens["bkp.truongban"], nil, 200, nil)
	c.srv.must("GET", "/api/v1/votes/"+v.ID+"/turnout", c.tokens["thuky"], nil, 200, &tv)
	if tv.BallotsCast != 50 {
		t.Fatalf("%d ballots, want 50", tv.BallotsCast)
	}
	if strings.Contains(c.srv.out.String(), "panic") {
		t.Fatal("the server panicked")
	}
	fmt.Fprintf(os.Stderr, "database restart: casts=50 acknowledged_during=%d refused_503=%d connection_dropped=%d lost=0\n", acked, refused.Load(), dropped.Load())
}

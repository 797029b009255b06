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
	demo := c.demoCouncil()
	voteID, subjects, codes := c.openVote(demo, "Khởi động lại", demo.officials[:1], 50)
	choices := []map[string]any{{"official_id": subjects[0], "level": "high"}}
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
			code, err := c.srv.try("POST", "/api/v1/ballots", map[string]any{"code": codes[i], "choices": choices}, &r)
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
		code, err := c.srv.try("POST", "/api/v1/ballots", map[string]any{"code": codes[i], "choices": choices}, &r)
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
	c.srv.must("POST", "/api/v1/votes/"+voteID+"/close", c.tokens["bkp.truongban"], nil, 200, nil)
	c.srv.must("GET", "/api/v1/votes/"+voteID+"/turnout", c.tokens["thuky"], nil, 200, &tv)
	if tv.BallotsCast != 50 {
		t.Fatalf("%d ballots, want 50", tv.BallotsCast)
	}
	if strings.Contains(c.srv.out.String(), "panic") {
		t.Fatal("the server panicked")
	}
	fmt.Fprintf(os.Stderr, "database restart: casts=50 acknowledged_during=%d refused_503=%d connection_dropped=%d lost=0\n", acked, refused.Load(), dropped.Load())
}

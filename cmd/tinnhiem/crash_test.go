package main

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"tinnhiem/internal/store"
)

// crashRounds is the number of kill -9 rounds per database: a few in make test, 20 or more in
// make test-reliability (TINNHIEM_CRASH_ROUNDS).
func crashRounds() int {
	if n, err := strconv.Atoi(os.Getenv("TINNHIEM_CRASH_ROUNDS")); err == nil && n > 0 {
		return n
	}
	return 3
}

type crashEnv struct {
	t      *testing.T
	dbURL  string
	env    []string
	srv    *server
	tokens map[string]string
}

func (c *crashEnv) start() {
	c.srv = start(c.t, c.env, "serve", "--migrate", "--seed-demo")
	c.tokens = map[string]string{}
	for _, u := range []string{"thuky", "bkp.truongban", "bkp.thuky", "bkp.uyvien"} {
		var res struct{ Token string }
		c.srv.must("POST", "/api/v1/auth/login", "", map[string]string{"username": u, "password": "demo-tinnhiem"}, 200, &res)
		c.tokens[u] = res.Token
	}
}

// kill ends the server the hard way, at once.
func (c *crashEnv) kill() {
	_ = c.srv.cmd.Process.Signal(syscall.SIGKILL)
	<-c.srv.done
	c.srv.done <- nil // for the test's cleanup, which waits for the exit too
}

// demoRoster is what the crash and restart tests use of the demo council.
type demoRoster struct {
	council              string
	officials, delegates []string
	board                []map[string]any
}

// demoCouncil reads the demo council's officials, delegates and counting board accounts.
func (c *crashEnv) demoCouncil() demoRoster {
	ids := func(path string) []string {
		var rows []struct{ ID string }
		c.srv.must("GET", path, c.tokens["thuky"], nil, 200, &rows)
		out := make([]string, len(rows))
		for i, r := range rows {
			out[i] = r.ID
		}
		return out
	}
	d := demoRoster{council: ids("/api/v1/councils")[0]}
	d.officials = ids("/api/v1/councils/" + d.council + "/officials")
	d.delegates = ids("/api/v1/councils/" + d.council + "/delegates")
	var staff []struct{ ID, Username string }
	c.srv.must("GET", "/api/v1/councils/"+d.council+"/staff", c.tokens["thuky"], nil, 200, &staff)
	role := map[string]string{"bkp.truongban": "head", "bkp.thuky": "secretary", "bkp.uyvien": "member"}
	for _, u := range staff {
		if r, ok := role[u.Username]; ok {
			d.board = append(d.board, map[string]any{"user_id": u.ID, "board_role": r})
		}
	}
	return d
}

// openVote makes a vote dated today on the officials, sets the board, generates n codes, opens it
// and hands out n ballots. It returns the vote's id, its subjects' official ids and the codes.
func (c *crashEnv) openVote(d demoRoster, title string, officials []string, n int) (string, []string, []string) {
	today := time.Now().Format("2006-01-02")
	var v struct {
		ID       string
		Subjects []struct {
			OfficialID string `json:"official_id"`
		}
	}
	c.srv.must("POST", "/api/v1/councils/"+d.council+"/votes", c.tokens["thuky"], map[string]any{"kind": "confidence", "title": title,
		"session_name": "Kỳ họp", "session_opens_on": today, "vote_date": today, "official_ids": officials, "ballot_mode": "plain"}, 201, &v)
	c.srv.must("PUT", "/api/v1/votes/"+v.ID+"/board", c.tokens["thuky"], map[string]any{"members": d.board}, 200, nil)
	var codes struct{ Codes []string }
	c.srv.must("POST", "/api/v1/votes/"+v.ID+"/codes", c.tokens["bkp.truongban"], map[string]any{"count": n}, 201, &codes)
	c.srv.must("POST", "/api/v1/votes/"+v.ID+"/open", c.tokens["bkp.truongban"], nil, 200, nil)
	for i := 0; i < n; i++ {
		c.srv.must("POST", "/api/v1/votes/"+v.ID+"/issuances", c.tokens["bkp.thuky"], map[string]any{"delegate_id": d.delegates[i]}, 201, nil)
	}
	subjects := make([]string, len(v.Subjects))
	for i, s := range v.Subjects {
		subjects[i] = s.OfficialID
	}
	return v.ID, subjects, codes.Codes
}

// TestCrashRecovery: rounds of concurrent casts, each ended by kill -9 of the server at a random
// moment, then a restart. Every ballot whose receipt reached a client is stored exactly once, no code
// is spent twice, the counters and the ballot box agree, cast ≤ issued ≤ T, and the audit chain
// verifies; retrying the interrupted casts ends each code either with its first receipt or a new one.
func TestCrashRecovery(t *testing.T) {
	rounds := crashRounds()
	databases(t, func(t *testing.T, dbURL string) {
		c := &crashEnv{t: t, dbURL: dbURL, env: []string{"TINNHIEM_DATABASE_URL=" + dbURL, "TINNHIEM_ADMIN_PASSWORD=admin-crash-password"}}
		c.start()
		demo := c.demoCouncil()
		rng := rand.New(rand.NewSource(time.Now().UnixNano()))
		totalAcked, totalLost := 0, 0
		for round := 0; round < rounds; round++ {
			voteID, subjects, codes := c.openVote(demo, fmt.Sprintf("Vòng %d", round+1), demo.officials[:3], 24)
			levels := []string{"high", "medium", "low"}
			choicesOf := func(i int) []map[string]any {
				out := []map[string]any{}
				for j, s := range subjects {
					out = append(out, map[string]any{"official_id": s, "level": levels[(i+j)%3]})
				}
				return out
			}
			// 24 kiosks cast at once; the server dies at a random moment.
			receipts := make([]string, 24)
			var wg sync.WaitGroup
			for i := 0; i < 24; i++ {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					time.Sleep(time.Duration(rng.Intn(20)) * time.Millisecond)
					var r struct{ Receipt string }
					if code, err := c.srv.try("POST", "/api/v1/ballots", map[string]any{"code": codes[i], "choices": choicesOf(i)}, &r); err == nil && code == 201 {
						receipts[i] = r.Receipt
					}
				}(i)
			}
			time.Sleep(time.Duration(5+rng.Intn(60)) * time.Millisecond)
			c.kill()
			wg.Wait()
			c.start()
			acked := 0
			for _, r := range receipts {
				if r != "" {
					acked++
				}
			}
			// The database agrees with every acknowledgement, and with itself.
			st, err := store.Open(context.Background(), dbURL, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var counts struct{ Ballots, Receipts, Spent, Cast, Issued, Total int }
			db := st.DB()
			// The vote is open: its ballot side is in its live tables (internal/store/ballotside.go).
			live := strings.ReplaceAll(voteID, "-", "")
			db.Raw("SELECT COUNT(*) FROM live_ballots_" + live).Scan(&counts.Ballots)
			db.Raw("SELECT COUNT(*) FROM live_receipts_" + live).Scan(&counts.Receipts)
			db.Raw("SELECT COUNT(*) FROM live_codes_" + live + " WHERE state = 'spent'").Scan(&counts.Spent)
			var row struct{ Cast, Issued, Total int }
			db.Raw("SELECT ballots_cast AS cast, ballots_issued AS issued, total_delegates AS total FROM votes WHERE id = ?", voteID).Scan(&row)
			counts.Cast, counts.Issued, counts.Total = row.Cast, row.Issued, row.Total
			for _, r := range receipts {
				if r == "" {
					continue
				}
				var n int
				db.Raw("SELECT COUNT(*) FROM live_receipts_"+live+" WHERE receipt = ?", r).Scan(&n)
				if n != 1 {
					t.Fatalf("round %d: acknowledged receipt %s is stored %d times", round+1, r, n)
				}
			}
			_ = st.Close()
			if counts.Ballots != counts.Receipts || counts.Ballots != counts.Spent || counts.Ballots != counts.Cast ||
				counts.Cast > counts.Issued || counts.Issued > counts.Total || counts.Ballots < acked {
				t.Fatalf("round %d: after the crash %+v with %d acknowledged", round+1, counts, acked)
			}
			totalAcked += acked
			totalLost += counts.Ballots - acked // stored, but the answer was lost with the server
			// The kiosks retry: the same submission gets the first receipt back (or is cast now).
			for i := 0; i < 24; i++ {
				var r struct {
					Receipt string
					Replay  bool
				}
				code, err := c.srv.try("POST", "/api/v1/ballots", map[string]any{"code": codes[i], "choices": choicesOf(i)}, &r)
				if err != nil || (code != 200 && code != 201) {
					t.Fatalf("round %d: retry %d: %d %v", round+1, i, code, err)
				}
				if receipts[i] != "" && (r.Receipt != receipts[i] || !r.Replay) {
					t.Fatalf("round %d: code %d answered %s after the crash, %s before", round+1, i, r.Receipt, receipts[i])
				}
			}
			var tv struct {
				BallotsCast int `json:"ballots_cast"`
			}
			c.srv.must("POST", "/api/v1/votes/"+voteID+"/close", c.tokens["bkp.truongban"], nil, 200, nil)
			c.srv.must("GET", "/api/v1/votes/"+voteID+"/turnout", c.tokens["thuky"], nil, 200, &tv)
			if tv.BallotsCast != 24 {
				t.Fatalf("round %d: %d ballots after the retries, want 24 (no code spent twice, none lost)", round+1, tv.BallotsCast)
			}
			var verify struct{ OK bool }
			c.srv.must("GET", "/api/v1/audit/verify", c.tokens["thuky"], nil, 200, &verify)
			if !verify.OK {
				t.Fatalf("round %d: the audit chain does not verify", round+1)
			}
		}
		t.Logf("%d crash rounds: %d casts acknowledged before the kill, all stored once; %d stored whose answer was lost, recovered by retry; 0 lost",
			rounds, totalAcked, totalLost)
		fmt.Fprintf(os.Stderr, "crash recovery (%s): rounds=%d acknowledged=%d recovered_by_retry=%d lost=0\n", dbKind(dbURL), rounds, totalAcked, totalLost)
	})
}

func dbKind(url string) string {
	if strings.HasPrefix(url, "postgres") {
		return "postgres"
	}
	return "sqlite"
}

package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"tinnhiem/internal/store"
	"tinnhiem/internal/testdb"
)

// replicaCasts is the size of the vote carried across the replicas: a short run in make test, a
// longer one in make test-reliability (TINNHIEM_REPLICA_CASTS).
func replicaCasts() int {
	if n, err := strconv.Atoi(os.Getenv("TINNHIEM_REPLICA_CASTS")); err == nil && n > 0 {
		return n
	}
	return 120
}

// emptyPostgres creates an empty database (no schema: the replicas migrate it) and drops it after.
func emptyPostgres(t *testing.T) string {
	t.Helper()
	admin, err := sql.Open("pgx", testdb.AdminURL())
	if err == nil {
		err = admin.Ping()
	}
	if err != nil {
		testdb.Unreachable(t, err)
	}
	name := fmt.Sprintf("tn_replicas_%d", time.Now().UnixNano())
	if _, err := admin.Exec(`CREATE DATABASE "` + name + `"`); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec(`DROP DATABASE IF EXISTS "` + name + `" WITH (FORCE)`)
		_ = admin.Close()
	})
	u, err := url.Parse(testdb.AdminURL())
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// replica is one server process of the set; unlike start (main_test.go) it is launched without
// waiting, so that several start together.
type replica struct {
	cmd   *exec.Cmd
	out   *syncBuffer
	url   chan string
	done  chan error
	addr  string
	alive atomic.Bool
}

func launch(t *testing.T, env []string, args ...string) *replica {
	t.Helper()
	r := &replica{out: &syncBuffer{}, url: make(chan string, 1), done: make(chan error, 1)}
	r.cmd = exec.Command(binary(t), args...)
	r.cmd.Env = append(os.Environ(), append([]string{"TINNHIEM_ADDR=127.0.0.1:0", "TINNHIEM_LOG_LEVEL=warn",
		"TINNHIEM_JWT_SECRET=" + strings.Repeat("k", 40), "TINNHIEM_METRICS_ADDR=off"}, env...)...)
	stdout, _ := r.cmd.StdoutPipe()
	r.cmd.Stderr = r.out
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			fmt.Fprintln(r.out, sc.Text())
			if m := urlRE.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case r.url <- m[1]:
				default:
				}
			}
		}
	}()
	go func() { r.done <- r.cmd.Wait() }()
	t.Cleanup(func() {
		_ = r.cmd.Process.Signal(os.Interrupt)
		select {
		case <-r.done:
		case <-time.After(10 * time.Second):
			_ = r.cmd.Process.Kill()
		}
	})
	return r
}

// await waits for the replica to listen.
func (r *replica) await() error {
	select {
	case r.addr = <-r.url:
		r.alive.Store(true)
		return nil
	case err := <-r.done:
		r.done <- err
		return fmt.Errorf("exited before listening (%v):\n%s", err, r.out.String())
	case <-time.After(90 * time.Second):
		return fmt.Errorf("did not start:\n%s", r.out.String())
	}
}

// kill9 ends the replica the hard way.
func (r *replica) kill9() {
	r.alive.Store(false)
	_ = r.cmd.Process.Signal(syscall.SIGKILL)
	err := <-r.done
	r.done <- err
}

// balancer is the load balancer in front of the replicas: round robin, no sticky sessions; a replica
// it cannot connect to is skipped for that request (nothing was sent, so the next one gets it, as
// HAProxy's redispatch does), and one that fails mid-request answers the client 502.
type balancer struct {
	mu       sync.Mutex
	replicas []*replica
	next     int
	served   map[string]int // requests per replica address
}

func (b *balancer) add(r *replica) {
	b.mu.Lock()
	b.replicas = append(b.replicas, r)
	b.mu.Unlock()
}

func (b *balancer) pick(skip map[string]bool) *replica {
	b.mu.Lock()
	defer b.mu.Unlock()
	for range b.replicas {
		r := b.replicas[b.next%len(b.replicas)]
		b.next++
		if r.alive.Load() && !skip[r.addr] {
			b.served[r.addr]++
			return r
		}
	}
	return nil
}

func (b *balancer) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	skip := map[string]bool{}
	for {
		r := b.pick(skip)
		if r == nil {
			http.Error(w, `{"error":{"code":"no_replica"}}`, http.StatusBadGateway)
			return
		}
		refused := false
		proxy := &httputil.ReverseProxy{
			Rewrite: func(pr *httputil.ProxyRequest) {
				pr.SetURL(&url.URL{Scheme: "http", Host: r.addr})
				pr.Out.Body = io.NopCloser(bytes.NewReader(body))
				pr.Out.ContentLength = int64(len(body))
			},
			Transport: balancerTransport,
			ErrorHandler: func(w http.ResponseWriter, _ *http.Request, err error) {
				var op *net.OpError
				if errors.As(err, &op) && op.Op == "dial" {
					refused = true // nothing reached the replica: try the next one
					return
				}
				w.WriteHeader(http.StatusBadGateway)
			},
		}
		proxy.ServeHTTP(w, req)
		if !refused {
			return
		}
		skip[r.addr] = true
	}
}

var balancerTransport = &http.Transport{MaxIdleConnsPerHost: 64, IdleConnTimeout: 30 * time.Second}

// lbClient talks to the balancer as the hall's browsers and kiosks do.
type lbClient struct {
	t    *testing.T
	base string
	http *http.Client
}

func (c *lbClient) send(method, path, token string, body any, out any, headers ...string) (int, error) {
	var rd io.Reader
	ct := "application/json"
	switch b := body.(type) {
	case nil:
	case string:
		rd, ct = strings.NewReader(b), "text/csv"
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", ct)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, err
	}
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(b, out); err != nil {
			return resp.StatusCode, fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, b)
		}
	}
	if resp.StatusCode >= 300 {
		return resp.StatusCode, fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	return resp.StatusCode, nil
}

func (c *lbClient) must(method, path, token string, body any, want int, out any) {
	c.t.Helper()
	if got, err := c.send(method, path, token, body, out); got != want {
		c.t.Fatalf("%s %s: got %d, want %d (%v)", method, path, got, want, err)
	}
}

// TestReplicas carries a whole vote across three server processes on one PostgreSQL database behind
// a load balancer without sticky sessions. A first process is killed (kill -9) while it may be
// migrating the empty database; three more start at once with --migrate: one migrates, the others wait
// for it, and all serve the current schema. Then the council, the vote and its issuances are made
// through the balancer (so by every replica), kiosks cast in parallel, one replica is killed with
// kill -9 mid-load and its clients retry on the others, and the killed replica comes back. Every code
// ends with exactly one ballot: receipts = ballots = spent codes = the counter = the ballots issued;
// every answer a kiosk got for a code names the same receipt; the close and the audit chain hold.
func TestReplicas(t *testing.T) {
	dbURL := emptyPostgres(t)
	env := []string{"TINNHIEM_DATABASE_URL=" + dbURL, "TINNHIEM_ADMIN_PASSWORD=admin-replica-password"}
	// A replica killed in the middle of its migration (as soon as its first migration is recorded):
	// the transaction of the next one rolls back, its advisory lock goes with its connection.
	first := launch(t, env, "serve", "--migrate")
	for deadline := time.Now().Add(30 * time.Second); migrationsApplied(dbURL) == 0 && time.Now().Before(deadline); {
		time.Sleep(2 * time.Millisecond)
	}
	first.kill9()
	migrated := migrationsApplied(dbURL)
	lb := &balancer{served: map[string]int{}}
	var rs []*replica
	for i := 0; i < 3; i++ {
		rs = append(rs, launch(t, env, "serve", "--migrate"))
	}
	for i, r := range rs {
		if err := r.await(); err != nil {
			t.Fatalf("replica %d: %v", i, err)
		}
		lb.add(r)
	}
	checkSchema(t, dbURL)
	front := httptest.NewServer(lb)
	defer front.Close()
	c := &lbClient{t: t, base: front.URL, http: &http.Client{Timeout: 30 * time.Second}}

	n := replicaCasts()
	voteID, subjects, codes, tokens, kiosks := replicaVote(c, n, 24)
	choicesOf := func(i int) []map[string]any {
		out := []map[string]any{}
		for j, s := range subjects {
			out = append(out, map[string]any{"official_id": s, "level": []string{"high", "medium", "low"}[(i+j)%3]})
		}
		return out
	}
	// The kiosks: 24 registered ones in parallel, each casting its codes one after the other and
	// retrying a cast whose answer did not come (a dropped connection, a 502 from the balancer, a 503)
	// until it does.
	answers := make([][]string, n) // every receipt a kiosk was given for the code
	var acked atomic.Int32
	var retries atomic.Int32
	var next atomic.Int32
	killAt := int32(n / 3)
	var killed sync.Once
	var wg sync.WaitGroup
	for k := range kiosks {
		wg.Add(1)
		go func(kiosk string) {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				for attempt := 0; ; attempt++ {
					if attempt == 50 {
						t.Errorf("code %d: no answer after 50 attempts", i)
						return
					}
					var r struct{ Receipt string }
					status, err := c.send("POST", "/api/v1/ballots", "", map[string]any{"code": codes[i], "choices": choicesOf(i)}, &r, "X-Kiosk-Token", kiosk)
					if err == nil && (status == 200 || status == 201) {
						answers[i] = append(answers[i], r.Receipt)
						if acked.Add(1) >= killAt {
							killed.Do(func() { rs[1].kill9() })
						}
						break
					}
					if status != 0 && status != 502 && status != 503 {
						t.Errorf("code %d: %v", i, err)
						return
					}
					retries.Add(1)
					time.Sleep(time.Duration(10+rand.Intn(40)) * time.Millisecond)
				}
				// Now and then the kiosk's answer is lost on the way back and it sends the same
				// ballot again: the same receipt comes back.
				if i%7 == 0 {
					var r struct{ Receipt string }
					if _, err := c.send("POST", "/api/v1/ballots", "", map[string]any{"code": codes[i], "choices": choicesOf(i)}, &r, "X-Kiosk-Token", kiosk); err == nil {
						answers[i] = append(answers[i], r.Receipt)
					}
				}
			}
		}(kiosks[k])
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	// The killed replica comes back (without --migrate: the schema is current) and serves again.
	back := launch(t, env, "serve")
	if err := back.await(); err != nil {
		t.Fatal(err)
	}
	lb.add(back)

	// Receipts given = ballots = spent codes = counter = issued; one receipt per code.
	given := map[string]bool{}
	for i, a := range answers {
		if len(a) == 0 {
			t.Fatalf("code %d has no receipt", i)
		}
		for _, r := range a[1:] {
			if r != a[0] {
				t.Fatalf("code %d was answered %s and %s: cast twice", i, a[0], r)
			}
		}
		if given[a[0]] {
			t.Fatalf("receipt %s given for two codes", a[0])
		}
		given[a[0]] = true
	}
	st, err := store.Open(context.Background(), dbURL, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	live := strings.ReplaceAll(voteID, "-", "")
	var ballots, receipts, spent, cast, issued int
	db := st.DB()
	db.Raw("SELECT COUNT(*) FROM live_ballots_" + live).Scan(&ballots)
	db.Raw("SELECT COUNT(*) FROM live_receipts_" + live).Scan(&receipts)
	db.Raw("SELECT COUNT(*) FROM live_codes_" + live + " WHERE state = 'spent'").Scan(&spent)
	db.Raw("SELECT ballots_cast FROM votes WHERE id = ?", voteID).Scan(&cast)
	db.Raw("SELECT ballots_issued FROM votes WHERE id = ?", voteID).Scan(&issued)
	for r := range given {
		var k int
		db.Raw("SELECT COUNT(*) FROM live_receipts_"+live+" WHERE receipt = ?", r).Scan(&k)
		if k != 1 {
			t.Fatalf("receipt %s is stored %d times", r, k)
		}
	}
	if ballots != n || receipts != n || spent != n || cast != n || issued != n {
		t.Fatalf("ballots %d, receipts %d, spent codes %d, counter %d, issued %d; want %d each (lost or doubled)", ballots, receipts, spent, cast, issued, n)
	}
	var closed struct {
		Status string
	}
	c.must("POST", "/api/v1/votes/"+voteID+"/close", tokens["head"], nil, 200, &closed)
	var tally struct {
		BallotsReceived int `json:"ballots_received"`
	}
	c.must("GET", "/api/v1/votes/"+voteID+"/tally", tokens["sec"], nil, 200, &tally)
	var verify struct{ OK bool }
	c.must("GET", "/api/v1/audit/verify", tokens["sec"], nil, 200, &verify)
	if closed.Status != "closed" || tally.BallotsReceived != n || !verify.OK {
		t.Fatalf("after the close: %s, %d ballots tallied, audit ok %v", closed.Status, tally.BallotsReceived, verify.OK)
	}
	lb.mu.Lock()
	spread := fmt.Sprint(lb.served)
	lb.mu.Unlock()
	t.Logf("the first process was killed with %d migrations applied; %d casts over 3 replicas (requests per replica %s), one killed after %d acknowledgements: %d retries, 0 lost, 0 doubled",
		migrated, n, spread, killAt, retries.Load())
	fmt.Fprintf(os.Stderr, "replicas: migrations_before_kill=%d casts=%d replicas=3 killed=1 retries=%d lost=0 doubled=0\n", migrated, n, retries.Load())
}

// migrationsApplied counts the migrations recorded in the database (0 without the table).
func migrationsApplied(dbURL string) int {
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		return 0
	}
	defer db.Close()
	var n int
	_ = db.QueryRow("SELECT COUNT(*) FROM schema_migrations").Scan(&n)
	return n
}

// checkSchema checks that the replicas left the database at the latest schema, each migration once.
func checkSchema(t *testing.T, dbURL string) {
	t.Helper()
	st, err := store.Open(context.Background(), dbURL, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.CheckSchema(context.Background()); err != nil {
		t.Fatal(err)
	}
	var rows, versions int
	st.DB().Raw("SELECT COUNT(*), COUNT(DISTINCT version) FROM schema_migrations").Row().Scan(&rows, &versions)
	if ms, _ := store.Migrations(store.Postgres); rows != len(ms) || versions != len(ms) {
		t.Fatalf("schema_migrations holds %d rows of %d versions, want %d", rows, versions, len(ms))
	}
}

// replicaVote makes, through the balancer, a council of n delegates with a board, and an open vote
// on two officials with n codes, the given number of registered kiosks and n ballots issued. It
// returns the vote, its subjects, the codes, the tokens of the secretariat ("sec") and the board
// ("head", "secretary", "member"), and the kiosks' tokens.
func replicaVote(c *lbClient, n, kiosks int) (string, []string, []string, map[string]string, []string) {
	c.t.Helper()
	login := func(user, pw string) string {
		var res struct{ Token string }
		c.must("POST", "/api/v1/auth/login", "", map[string]string{"username": user, "password": pw}, 200, &res)
		return res.Token
	}
	admin := login("admin", "admin-replica-password")
	var council struct{ ID string }
	c.must("POST", "/api/v1/councils", admin, map[string]any{"name": "Hội đồng nhân dân tỉnh Nhân Bản", "body": "hdnd", "level": "tinh",
		"place": "tỉnh Nhân Bản", "khoa": "XI", "term_start_year": time.Now().Year() - 2, "term_end_year": time.Now().Year() + 3}, 201, &council)
	tokens := map[string]string{}
	ids := map[string]string{}
	for _, u := range []struct{ key, role string }{{"sec", "secretariat"}, {"head", "board"}, {"secretary", "board"}, {"member", "board"}} {
		var made struct{ ID string }
		c.must("POST", "/api/v1/users", admin, map[string]any{"username": "nb." + u.key, "password": "password-" + u.key,
			"full_name": "Người " + u.key, "role": u.role, "council_id": council.ID}, 201, &made)
		ids[u.key] = made.ID
		tokens[u.key] = login("nb."+u.key, "password-"+u.key)
	}
	base := "/api/v1/councils/" + council.ID
	var csv strings.Builder
	csv.WriteString("full_name,code\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&csv, "Đại biểu %d,NB%04d\n", i, i)
	}
	c.must("POST", base+"/delegates/import", tokens["sec"], csv.String(), 201, nil)
	var delegates []struct{ ID string }
	c.must("GET", base+"/delegates", tokens["sec"], nil, 200, &delegates)
	var officials []string
	for i := 0; i < 2; i++ {
		var o struct{ ID string }
		c.must("POST", base+"/officials", tokens["sec"], map[string]any{"full_name": fmt.Sprintf("Người giữ chức vụ %d", i),
			"positions": []map[string]any{{"category": "ubnd_uy_vien", "title": fmt.Sprintf("Ủy viên UBND tỉnh %d", i), "elected_on": fmt.Sprintf("%d-06-01", time.Now().Year()-2)}}}, 201, &o)
		officials = append(officials, o.ID)
	}
	today := time.Now().Format("2006-01-02")
	var v struct {
		ID       string
		Subjects []struct {
			OfficialID string `json:"official_id"`
		}
	}
	c.must("POST", base+"/votes", tokens["sec"], map[string]any{"kind": "confidence", "title": "Lấy phiếu qua nhiều máy chủ",
		"session_name": "Kỳ họp", "session_opens_on": today, "vote_date": today, "official_ids": officials, "ballot_mode": "plain"}, 201, &v)
	c.must("PUT", "/api/v1/votes/"+v.ID+"/board", tokens["sec"], map[string]any{"members": []map[string]any{
		{"user_id": ids["head"], "board_role": "head"}, {"user_id": ids["secretary"], "board_role": "secretary"}, {"user_id": ids["member"], "board_role": "member"}}}, 200, nil)
	var codes []string
	for len(codes) < n {
		var batch struct{ Codes []string }
		c.must("POST", "/api/v1/votes/"+v.ID+"/codes", tokens["head"], map[string]any{"count": min(500, n-len(codes))}, 201, &batch)
		codes = append(codes, batch.Codes...)
	}
	var devices []string
	for i := 0; i < kiosks; i++ {
		var d struct{ Token string }
		c.must("POST", "/api/v1/votes/"+v.ID+"/devices", tokens["member"], map[string]any{"name": fmt.Sprintf("Máy %d", i+1)}, 201, &d)
		devices = append(devices, d.Token)
	}
	c.must("POST", "/api/v1/votes/"+v.ID+"/open", tokens["head"], nil, 200, nil)
	// The desks issue the ballots through the balancer, two at a time.
	var wg sync.WaitGroup
	for desk := 0; desk < 2; desk++ {
		wg.Add(1)
		go func(desk int) {
			defer wg.Done()
			for i := desk; i < n; i += 2 {
				if status, err := c.send("POST", "/api/v1/votes/"+v.ID+"/issuances", tokens[[]string{"head", "secretary"}[desk]],
					map[string]any{"delegate_id": delegates[i].ID}, nil); status != 201 {
					c.t.Errorf("issuance %d: %v", i, err)
					return
				}
			}
		}(desk)
	}
	wg.Wait()
	if c.t.Failed() {
		c.t.FailNow()
	}
	subjects := make([]string, len(v.Subjects))
	for i, s := range v.Subjects {
		subjects[i] = s.OfficialID
	}
	return v.ID, subjects, codes, tokens, devices
}

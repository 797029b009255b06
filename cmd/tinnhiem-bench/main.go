// Command tinnhiem-bench measures Tín Nhiệm's speed against the database's own commit rate, in one
// run, on PostgreSQL and on the embedded SQLite: the ceiling (a transaction updating one row and
// inserting one, from N clients, through the same driver and pool as the server), casting over HTTP
// against the real server binary at 50, 200 and 500 concurrent kiosks, the tally of 500, 100 000 and
// 1 000 000 ballots × 50 subjects, the documents of 50 subjects, and the server's peak memory. It
// prints a table and writes JSON. All traffic stays on loopback; every loop is bounded in count and
// time. Run it with make bench.
package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	_ "github.com/jackc/pgx/v5/stdlib"

	"tinnhiem/internal/auth"
	"tinnhiem/internal/ballot"
	"tinnhiem/internal/document"
	"tinnhiem/internal/roster"
	"tinnhiem/internal/rules"
	"tinnhiem/internal/store"
	"tinnhiem/internal/vote"
)

var (
	outPath    = flag.String("out", "bench-results/latest.json", "where to write the JSON results")
	pgAdmin    = flag.String("pg", envOr("TINNHIEM_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"), "PostgreSQL server to create the bench database on")
	clientsArg = flag.String("clients", "50,200,500", "concurrent kiosk clients")
	casts      = flag.Int("casts", 3000, "ballots cast at each concurrency level")
	sizesArg   = flag.String("tally", "500,100000,1000000", "ballots in each tally run (× 50 subjects)")
	seconds    = flag.Duration("ceiling-time", 5*time.Second, "duration of each ceiling run")
	binPath    = flag.String("bin", "bin/tinnhiem", "the server binary")
	only       = flag.String("db", "postgres,sqlite", "databases to measure")
)

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

var admin = auth.Principal{UserID: "bench", Username: "bench", Role: auth.RoleAdmin}

// The bench council's secretariat and board (setupCouncil makes them): the role table gives the
// admin no part in a vote.
var (
	benchSec   auth.Principal
	benchBoard []auth.Principal
)

// mustNormalize validates a fixture's input as the API would.
func mustNormalize(in interface{ Normalize() error }) error { return in.Normalize() }

// Result is one database's figures.
type Result struct {
	Database  string             `json:"database"`
	Ceiling   map[int]float64    `json:"ceiling_tx_per_s"`
	Casting   map[int]CastResult `json:"casting"`
	Tally     map[int]float64    `json:"tally_ms"`
	PeakRSSMB float64            `json:"server_peak_rss_mb"`
}

// CastResult is a casting run at one concurrency.
type CastResult struct {
	Clients   int     `json:"clients"`
	Ballots   int     `json:"ballots"`
	Errors    int     `json:"errors"`
	PerSecond float64 `json:"ballots_per_s"`
	P50       float64 `json:"p50_ms"`
	P95       float64 `json:"p95_ms"`
	P99       float64 `json:"p99_ms"`
	OfCeiling float64 `json:"ratio_to_ceiling"`
	Ceiling   float64 `json:"ceiling_tx_per_s"`
}

// Report is the whole run.
type Report struct {
	When      time.Time          `json:"when"`
	Machine   map[string]string  `json:"machine"`
	Results   []Result           `json:"results"`
	Documents map[string]float64 `json:"documents_ms"`
}

func main() {
	flag.Parse()
	ctx := context.Background()
	clients := ints(*clientsArg)
	sizes := ints(*sizesArg)
	rep := Report{When: time.Now().UTC(), Machine: machine(), Documents: documents()}
	for _, db := range strings.Split(*only, ",") {
		r, err := measure(ctx, db, clients, sizes)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", db, err)
			os.Exit(1)
		}
		rep.Results = append(rep.Results, r)
	}
	print(rep)
	if err := os.MkdirAll(filepath.Dir(*outPath), 0o755); err == nil {
		b, _ := json.MarshalIndent(rep, "", "  ")
		_ = os.WriteFile(*outPath, b, 0o644)
		fmt.Println("written:", *outPath)
	}
}

func ints(s string) []int {
	var out []int
	for _, p := range strings.Split(s, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(p)); err == nil && n > 0 {
			out = append(out, n)
		}
	}
	return out
}

func machine() map[string]string {
	m := map[string]string{"cpus": strconv.Itoa(runtime.NumCPU()), "go": runtime.Version(), "os": runtime.GOOS + "/" + runtime.GOARCH}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		if i := bytes.Index(b, []byte("model name")); i >= 0 {
			line := string(b[i:])
			line = line[strings.Index(line, ":")+1 : strings.Index(line, "\n")]
			m["cpu"] = strings.TrimSpace(line)
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		m["memory"] = strings.Fields(string(b))[1] + " kB"
	}
	if out, err := exec.Command("psql", "--version").Output(); err == nil {
		m["postgresql_client"] = strings.TrimSpace(string(out))
	}
	return m
}

// freshDatabase returns the URL of a new, migrated database and a function that removes it.
func freshDatabase(ctx context.Context, kind string) (string, func(), error) {
	if kind == "sqlite" {
		dir, err := os.MkdirTemp("", "tinnhiem-bench")
		if err != nil {
			return "", nil, err
		}
		path := filepath.Join(dir, "bench.db")
		return path, func() { os.RemoveAll(dir) }, migrate(ctx, path)
	}
	admin, err := sql.Open("pgx", *pgAdmin)
	if err != nil {
		return "", nil, err
	}
	name := "tn_bench_" + strings.ReplaceAll(uuid.NewString()[:8], "-", "")
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE "`+name+`"`); err != nil {
		return "", nil, err
	}
	u, _ := url.Parse(*pgAdmin)
	u.Path = "/" + name
	drop := func() {
		_, _ = admin.ExecContext(context.Background(), `DROP DATABASE IF EXISTS "`+name+`" WITH (FORCE)`)
		admin.Close()
	}
	return u.String(), drop, migrate(ctx, u.String())
}

func migrate(ctx context.Context, url string) error {
	s, err := store.Open(ctx, url, store.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	_, err = s.Migrate(ctx)
	return err
}

func measure(ctx context.Context, kind string, clients, sizes []int) (Result, error) {
	res := Result{Database: kind, Ceiling: map[int]float64{}, Casting: map[int]CastResult{}, Tally: map[int]float64{}}
	dbURL, drop, err := freshDatabase(ctx, kind)
	if err != nil {
		return res, err
	}
	defer drop()
	st, err := store.Open(ctx, dbURL, store.Options{CodeSpares: 10})
	if err != nil {
		return res, err
	}
	defer st.Close()
	fmt.Fprintf(os.Stderr, "[%s] ceiling…\n", kind)
	for _, n := range clients {
		if res.Ceiling[n], err = ceiling(ctx, st, n); err != nil {
			return res, err
		}
	}
	fmt.Fprintf(os.Stderr, "[%s] casting setup…\n", kind)
	council, official, err := setupCouncil(ctx, st, len(clients)*(*casts), 10)
	if err != nil {
		return res, err
	}
	srv, err := startServer(dbURL)
	if err != nil {
		return res, err
	}
	defer srv.stop()
	for _, n := range clients {
		fmt.Fprintf(os.Stderr, "[%s] casting with %d clients…\n", kind, n)
		voteID, codes, err := openVote(ctx, st, council, official, *casts)
		if err != nil {
			return res, err
		}
		cr := cast(srv.url, voteID, codes, official, n)
		cr.Ceiling = res.Ceiling[n]
		cr.OfCeiling = cr.PerSecond / cr.Ceiling
		res.Casting[n] = cr
	}
	res.PeakRSSMB = srv.peakRSS()
	for _, size := range sizes {
		fmt.Fprintf(os.Stderr, "[%s] tally of %d ballots × 50…\n", kind, size)
		ms, err := tallyRun(ctx, st, council, size)
		if err != nil {
			return res, err
		}
		res.Tally[size] = ms
	}
	return res, nil
}

// ceiling is the raw commit rate: n clients, each transaction updating one shared row and inserting
// one row, through the store's own driver and pool.
func ceiling(ctx context.Context, st *store.Store, n int) (float64, error) {
	db, err := st.DB().DB()
	if err != nil {
		return 0, err
	}
	for _, q := range []string{"DROP TABLE IF EXISTS bench_row", "DROP TABLE IF EXISTS bench_counter",
		"CREATE TABLE bench_counter (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)", "INSERT INTO bench_counter VALUES (1, 0)",
		"CREATE TABLE bench_row (id TEXT PRIMARY KEY, v TEXT NOT NULL)"} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return 0, err
		}
	}
	var done atomic.Int64
	deadline := time.Now().Add(*seconds)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				tx, err := db.BeginTx(ctx, nil)
				if err != nil {
					continue
				}
				if _, err := tx.ExecContext(ctx, "UPDATE bench_counter SET n = n + 1 WHERE id = 1"); err != nil {
					tx.Rollback()
					continue
				}
				if _, err := tx.ExecContext(ctx, "INSERT INTO bench_row (id, v) VALUES ($1, $2)", uuid.NewString(), "0123456789"); err != nil {
					tx.Rollback()
					continue
				}
				if tx.Commit() == nil {
					done.Add(1)
				}
			}
		}()
	}
	start := time.Now()
	wg.Wait()
	return float64(done.Load()) / time.Since(start).Seconds(), nil
}

// setupCouncil makes a council with `delegates` delegates, `officials` eligible officials and a board.
func setupCouncil(ctx context.Context, st *store.Store, delegates, officials int) (string, []string, error) {
	cin := roster.CouncilInput{Name: "Hội đồng đo hiệu năng", Body: "hdnd", Level: "tinh", Place: "tỉnh Đo",
		Khoa: "I", TermStartYear: time.Now().Year() - 2, TermEndYear: time.Now().Year() + 3}
	if err := mustNormalize(&cin); err != nil {
		return "", nil, err
	}
	c, err := st.CreateCouncil(ctx, admin, cin)
	if err != nil {
		return "", nil, err
	}
	for from := 0; from < delegates; from += roster.MaxImportRows {
		var csv strings.Builder
		csv.WriteString("full_name,code\n")
		for i := from; i < min(delegates, from+roster.MaxImportRows); i++ {
			fmt.Fprintf(&csv, "Đại biểu %d,B%d\n", i, i)
		}
		rows, fields := roster.ParseDelegatesCSV([]byte(csv.String()))
		if len(fields) > 0 {
			return "", nil, fmt.Errorf("delegates: %v", fields)
		}
		if _, err := st.ImportDelegates(ctx, admin, c.ID, rows, false); err != nil {
			return "", nil, err
		}
	}
	var ids []string
	for i := 0; i < officials; i++ {
		oin := roster.OfficialInput{FullName: fmt.Sprintf("Người giữ chức vụ %02d", i),
			Positions: []roster.PositionInput{{Category: "ubnd_uy_vien", Title: fmt.Sprintf("Ủy viên UBND tỉnh số %d", i), ElectedOn: fmt.Sprintf("%d-06-01", time.Now().Year()-2)}}}
		if err := mustNormalize(&oin); err != nil {
			return "", nil, err
		}
		o, err := st.CreateOfficial(ctx, admin, c.ID, oin)
		if err != nil {
			return "", nil, err
		}
		ids = append(ids, o.ID)
	}
	benchBoard = nil
	for i, u := range []struct {
		name string
		role auth.Role
	}{{"bench.sec", auth.RoleSecretariat}, {"bench.head", auth.RoleBoard}, {"bench.b2", auth.RoleBoard}, {"bench.b3", auth.RoleBoard}} {
		uin := auth.UserInput{Username: u.name, Password: "bench-password", FullName: fmt.Sprintf("Thành viên %d", i), Role: u.role, CouncilID: c.ID}
		if err := mustNormalize(&uin); err != nil {
			return "", nil, err
		}
		made, err := st.CreateUser(ctx, admin, uin)
		if err != nil {
			return "", nil, err
		}
		p := auth.Principal{UserID: made.ID, Username: made.Username, Role: made.Role, CouncilID: c.ID}
		if u.role == auth.RoleSecretariat {
			benchSec = p
		} else {
			benchBoard = append(benchBoard, p)
		}
	}
	return c.ID, ids, nil
}

// openVote drafts, opens and issues a vote with n codes; the issuances are bulk-written (a fixture:
// the bench measures casting, not the board's desk).
func openVote(ctx context.Context, st *store.Store, council string, officials []string, n int) (string, []string, error) {
	today := time.Now().Format("2006-01-02")
	vin := vote.Input{Kind: rules.Confidence, Title: "Đo hiệu năng", SessionName: "Kỳ họp", SessionOpensOn: today, VoteDate: today, OfficialIDs: officials}
	if err := mustNormalize(&vin); err != nil {
		return "", nil, err
	}
	v, err := st.CreateVote(ctx, benchSec, council, vin)
	if err != nil {
		return "", nil, err
	}
	board := vote.BoardInput{Members: []vote.MemberInput{{UserID: benchBoard[0].UserID, BoardRole: vote.BoardHead},
		{UserID: benchBoard[1].UserID, BoardRole: vote.BoardSecretary}, {UserID: benchBoard[2].UserID, BoardRole: vote.BoardMember}}}
	if _, err := st.SetBoard(ctx, benchSec, v.ID, board); err != nil {
		return "", nil, err
	}
	var codes []string
	for len(codes) < n {
		batch, err := st.GenerateCodes(ctx, benchBoard[0], v.ID, vote.CodesInput{Count: min(1000, n-len(codes))})
		if err != nil {
			return "", nil, err
		}
		codes = append(codes, batch...)
	}
	if _, err := st.OpenVote(ctx, benchBoard[0], v.ID); err != nil {
		return "", nil, err
	}
	db := st.DB()
	if err := db.Exec(`INSERT INTO issuances (vote_id, delegate_id) SELECT ?, id FROM delegates WHERE council_id = ? AND id NOT IN
		(SELECT delegate_id FROM issuances WHERE vote_id = ?) LIMIT ?`, v.ID, council, v.ID, n).Error; err != nil {
		return "", nil, err
	}
	if err := db.Exec("UPDATE votes SET ballots_issued = ? WHERE id = ?", n, v.ID).Error; err != nil {
		return "", nil, err
	}
	return v.ID, codes, nil
}

// cast sends every code once, from `clients` concurrent kiosks, and times each request.
func cast(base, voteID string, codes, officials []string, clients int) CastResult {
	tr := &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients, IdleConnTimeout: 30 * time.Second}
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	defer tr.CloseIdleConnections()
	levels := []string{"high", "medium", "low"}
	var next atomic.Int64
	var errs atomic.Int64
	var statusMu sync.Mutex
	statuses := map[string]int{}
	lat := make([]float64, len(codes))
	var wg sync.WaitGroup
	start := time.Now()
	hardStop := start.Add(2 * time.Minute)
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(codes) || time.Now().After(hardStop) {
					return
				}
				choices := make([]map[string]any, len(officials))
				for j, id := range officials {
					choices[j] = map[string]any{"official_id": id, "level": levels[(i+j)%3]}
				}
				body, _ := json.Marshal(map[string]any{"code": codes[i], "choices": choices})
				t0 := time.Now()
				resp, err := client.Post(base+"/api/v1/ballots", "application/json", bytes.NewReader(body))
				lat[i] = float64(time.Since(t0).Microseconds()) / 1000
				if err != nil {
					errs.Add(1)
					continue
				}
				if resp.StatusCode != 201 {
					errs.Add(1)
					var env struct {
						Error struct{ Code string } `json:"error"`
					}
					_ = json.NewDecoder(resp.Body).Decode(&env)
					statusMu.Lock()
					statuses[fmt.Sprintf("%d %s", resp.StatusCode, env.Error.Code)]++
					statusMu.Unlock()
				}
				resp.Body.Close()
			}
		}(c)
	}
	wg.Wait()
	elapsed := time.Since(start).Seconds()
	if len(statuses) > 0 {
		fmt.Fprintf(os.Stderr, "  refused casts: %v\n", statuses)
	}
	sort.Float64s(lat)
	pct := func(p float64) float64 { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	ok := len(codes) - int(errs.Load())
	return CastResult{Clients: clients, Ballots: ok, Errors: int(errs.Load()), PerSecond: float64(ok) / elapsed, P50: pct(.50), P95: pct(.95), P99: pct(.99)}
}

// tallyRun bulk-loads `size` ballots of 50 subjects into a closed vote and times the tally.
func tallyRun(ctx context.Context, st *store.Store, council string, size int) (float64, error) {
	db := st.DB()
	var ids []string
	for len(ids) < 50 {
		oin := roster.OfficialInput{FullName: fmt.Sprintf("Người được đánh giá %d-%d", size, len(ids)),
			Positions: []roster.PositionInput{{Category: "ubnd_uy_vien", Title: "Ủy viên UBND tỉnh", ElectedOn: fmt.Sprintf("%d-06-01", time.Now().Year()-2)}}}
		if err := mustNormalize(&oin); err != nil {
			return 0, err
		}
		o, err := st.CreateOfficial(ctx, admin, council, oin)
		if err != nil {
			return 0, err
		}
		ids = append(ids, o.ID)
	}
	today := time.Now().Format("2006-01-02")
	vin := vote.Input{Kind: rules.Confidence, Title: "Kiểm phiếu lớn", SessionName: "Kỳ họp", SessionOpensOn: today, VoteDate: today, OfficialIDs: ids}
	if err := mustNormalize(&vin); err != nil {
		return 0, err
	}
	v, err := st.CreateVote(ctx, benchSec, council, vin)
	if err != nil {
		return 0, err
	}
	rng := rand.New(rand.NewSource(int64(size)))
	const batch = 4000
	type row struct {
		VoteID, ID, Marks string
		Valid             bool
	}
	for done := 0; done < size; done += batch {
		n := min(batch, size-done)
		rows := make([]map[string]any, n)
		for i := range rows {
			m := make([]byte, 50)
			for j := range m {
				m[j] = "hml0"[rng.Intn(4)]
			}
			rows[i] = map[string]any{"vote_id": v.ID, "id": uuid.NewString(), "marks": string(m), "valid": true}
		}
		if err := db.Table("ballots").Create(rows).Error; err != nil {
			return 0, err
		}
	}
	if err := db.Exec("UPDATE votes SET status = 'closed', total_delegates = ?, ballots_issued = ?, ballots_cast = ? WHERE id = ?", size, size, size, v.ID).Error; err != nil {
		return 0, err
	}
	best := 0.0
	for i := 0; i < 3; i++ {
		t0 := time.Now()
		r, err := st.Tally(ctx, admin, v.ID)
		if err != nil {
			return 0, err
		}
		ms := float64(time.Since(t0).Microseconds()) / 1000
		if r.BallotsReceived != size {
			return 0, fmt.Errorf("tally counted %d of %d", r.BallotsReceived, size)
		}
		if best == 0 || ms < best {
			best = ms
		}
	}
	_ = ballot.Blank
	return best, nil
}

// documents times the minutes and the resolution of a 50-subject vote (best of 5).
func documents() map[string]float64 {
	d := benchDocumentData()
	out := map[string]float64{}
	for name, f := range map[string]func() error{
		"minutes.pdf":     func() error { _, err := document.PDF(document.Minutes(d)); return err },
		"resolution.pdf":  func() error { _, err := document.PDF(document.Resolution(d)); return err },
		"minutes.docx":    func() error { _, err := document.DOCX(document.Minutes(d)); return err },
		"resolution.docx": func() error { _, err := document.DOCX(document.Resolution(d)); return err },
	} {
		best := 0.0
		for i := 0; i < 5; i++ {
			t0 := time.Now()
			if err := f(); err != nil {
				fmt.Fprintln(os.Stderr, name, err)
			}
			ms := float64(time.Since(t0).Microseconds()) / 1000
			if best == 0 || ms < best {
				best = ms
			}
		}
		out[name] = best
	}
	return out
}

type server struct {
	url  string
	cmd  *exec.Cmd
	pid  int
	peak float64
}

func startServer(dbURL string) (*server, error) {
	cmd := exec.Command(*binPath, "serve")
	cmd.Env = append(os.Environ(), "TINNHIEM_ADDR=127.0.0.1:0", "TINNHIEM_DATABASE_URL="+dbURL, "TINNHIEM_LOG_LEVEL=error",
		"TINNHIEM_ADMIN_PASSWORD=bench-admin-password", "TINNHIEM_CODE_SPARES=10")
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s (make build first): %w", *binPath, err)
	}
	re := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)`)
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				found <- "http://" + m[1]
			}
		}
	}()
	select {
	case u := <-found:
		return &server{url: u, cmd: cmd, pid: cmd.Process.Pid}, nil
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		return nil, fmt.Errorf("the server did not start")
	}
}

// peakRSS reads the server's peak resident memory (VmHWM) in MB.
func (s *server) peakRSS() float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			kb, _ := strconv.ParseFloat(strings.Fields(line)[1], 64)
			return kb / 1024
		}
	}
	return 0
}

func (s *server) stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
	}
}

func print(rep Report) {
	fmt.Printf("\nTín Nhiệm benchmark — %s — %s CPUs (%s)\n\n", rep.When.Format(time.RFC3339), rep.Machine["cpus"], rep.Machine["cpu"])
	fmt.Printf("%-9s %8s %12s %12s %8s %9s %9s %9s %7s\n", "database", "clients", "ceiling tx/s", "ballots/s", "ratio", "p50 ms", "p95 ms", "p99 ms", "errors")
	for _, r := range rep.Results {
		var ns []int
		for n := range r.Casting {
			ns = append(ns, n)
		}
		sort.Ints(ns)
		for _, n := range ns {
			c := r.Casting[n]
			fmt.Printf("%-9s %8d %12.0f %12.0f %7.0f%% %9.1f %9.1f %9.1f %7d\n", r.Database, n, c.Ceiling, c.PerSecond, 100*c.OfCeiling, c.P50, c.P95, c.P99, c.Errors)
		}
	}
	fmt.Printf("\n%-9s %14s %10s\n", "database", "tally ballots", "ms")
	for _, r := range rep.Results {
		var ns []int
		for n := range r.Tally {
			ns = append(ns, n)
		}
		sort.Ints(ns)
		for _, n := range ns {
			fmt.Printf("%-9s %14d %10.1f\n", r.Database, n, r.Tally[n])
		}
	}
	fmt.Printf("\n%-9s %s\n", "database", "server peak RSS during casting")
	for _, r := range rep.Results {
		fmt.Printf("%-9s %.1f MB\n", r.Database, r.PeakRSSMB)
	}
	fmt.Printf("\ndocuments (50 subjects, best of 5):\n")
	var names []string
	for n := range rep.Documents {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Printf("  %-16s %8.1f ms\n", n, rep.Documents[n])
	}
}

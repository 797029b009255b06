package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"tinnhiem/internal/store"
	"tinnhiem/internal/testdb"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds tinnhiem once per test run.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "tinnhiem-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "tinnhiem")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("%v: %s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// server is a running tinnhiem process.
type server struct {
	t          *testing.T
	cmd        *exec.Cmd
	url        string
	metricsURL string
	out        *syncBuffer
	done       chan error
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// freeAddr returns a loopback address with a port free at the moment.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

var urlRE = regexp.MustCompile(`http://(127\.0\.0\.1:\d+)`)

// start runs `tinnhiem args...` with env on a random loopback port and waits for its URL.
func start(t *testing.T, env []string, args ...string) *server {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	metrics := freeAddr(t)
	// PostgreSQL needs the token key configured (every replica signs with the same one).
	cmd.Env = append(os.Environ(), append([]string{"TINNHIEM_ADDR=127.0.0.1:0", "TINNHIEM_LOG_LEVEL=warn",
		"TINNHIEM_JWT_SECRET=" + strings.Repeat("k", 40), "TINNHIEM_METRICS_ADDR=" + metrics}, env...)...)
	stdout, _ := cmd.StdoutPipe()
	s := &server{t: t, cmd: cmd, out: &syncBuffer{}, done: make(chan error, 2), metricsURL: "http://" + metrics + "/metrics"}
	cmd.Stderr = s.out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(s.out, line)
			if m := urlRE.FindStringSubmatch(line); m != nil {
				select {
				case found <- "http://" + m[1]:
				default:
				}
			}
		}
	}()
	go func() { s.done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case <-s.done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
		}
	})
	select {
	case s.url = <-found:
	case err := <-s.done:
		t.Fatalf("tinnhiem exited before listening (%v):\n%s", err, s.out.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("tinnhiem did not start:\n%s", s.out.String())
	}
	return s
}

func (s *server) do(method, path, token string, body any, out any) int {
	s.t.Helper()
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
	req, _ := http.NewRequest(method, s.url+path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", ct)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			s.t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, b)
		}
	}
	return resp.StatusCode
}

// try sends a request without failing the test on a transport error (the server may be dying).
func (s *server) try(method, path string, body any, out any) (int, error) {
	j, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, s.url+path, bytes.NewReader(j))
	req.Header.Set("Content-Type", "application/json")
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(b, out); err != nil {
			return resp.StatusCode, err
		}
	}
	return resp.StatusCode, nil
}

func (s *server) must(method, path, token string, body any, want int, out any) {
	s.t.Helper()
	var raw json.RawMessage
	got := s.do(method, path, token, body, &raw)
	if got != want {
		s.t.Fatalf("%s %s: got %d, want %d: %s", method, path, got, want, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			s.t.Fatal(err)
		}
	}
}

func databases(t *testing.T, fn func(t *testing.T, url string)) {
	t.Run("postgres", func(t *testing.T) { fn(t, testdb.PostgresURL(t)) })
	t.Run("sqlite", func(t *testing.T) { fn(t, filepath.Join(t.TempDir(), "data", "tinnhiem.db")) })
}

// TestWholeProgram starts the binary as `make run` does and drives the core contract as a client.
func TestWholeProgram(t *testing.T) {
	databases(t, func(t *testing.T, dbURL string) {
		s := start(t, []string{"TINNHIEM_DATABASE_URL=" + dbURL, "TINNHIEM_ADMIN_PASSWORD=admin-e2e-password"}, "serve", "--migrate", "--seed-demo")
		if out := s.out.String(); !strings.Contains(out, "thuky") || !strings.Contains(out, "demo-tinnhiem") {
			t.Fatalf("demo logins not printed:\n%s", out)
		}
		s.must("GET", "/readyz", "", nil, 200, nil)
		var login struct {
			Token     string
			ExpiresAt time.Time `json:"expires_at"`
			User      struct{ Role string }
		}
		s.must("POST", "/api/v1/auth/login", "", map[string]string{"username": "admin", "password": "admin-e2e-password"}, 200, &login)
		if login.User.Role != "admin" || time.Until(login.ExpiresAt) > 12*time.Hour {
			t.Fatalf("got %+v", login)
		}
		admin := login.Token
		var councils []struct {
			ID, Name string
			Demo     bool
		}
		s.must("GET", "/api/v1/councils", admin, nil, 200, &councils)
		// The demo council is marked as such (its documents say so on every page), not by its name.
		if len(councils) != 1 || !councils[0].Demo || strings.Contains(councils[0].Name, "MINH HỌA") {
			t.Fatalf("demo council: %+v", councils)
		}
		var demoDelegates []any
		s.must("GET", "/api/v1/councils/"+councils[0].ID+"/delegates", admin, nil, 200, &demoDelegates)
		var demoOfficials []any
		s.must("GET", "/api/v1/councils/"+councils[0].ID+"/officials", admin, nil, 200, &demoOfficials)
		if len(demoDelegates) != 50 || len(demoOfficials) < 10 {
			t.Fatalf("demo roster: %d delegates, %d officials", len(demoDelegates), len(demoOfficials))
		}

		var c struct{ ID string }
		s.must("POST", "/api/v1/councils", admin, map[string]any{"name": "Hội đồng nhân dân tỉnh Thử Nghiệm", "body": "hdnd", "level": "tinh",
			"place": "tỉnh Thử Nghiệm", "khoa": "XVII", "term_start_year": 2021, "term_end_year": 2026}, 201, &c)
		s.must("POST", "/api/v1/users", admin, map[string]any{"username": "tk.thunghiem", "password": "mat-khau-dai-du", "full_name": "Thư ký",
			"role": "secretariat", "council_id": c.ID}, 201, nil)
		s.must("POST", "/api/v1/auth/login", "", map[string]string{"username": "tk.thunghiem", "password": "mat-khau-dai-du"}, 200, &login)
		sec := login.Token
		var d struct{ ID string }
		s.must("POST", "/api/v1/councils/"+c.ID+"/delegates", sec, map[string]any{"full_name": "Nguyễn Văn An", "code": "DB01"}, 201, &d)
		var imp struct{ Imported int }
		s.must("POST", "/api/v1/councils/"+c.ID+"/delegates/import", sec, "full_name,code\nTrần Thị Bình,DB02\n", 201, &imp)
		s.must("POST", "/api/v1/councils/"+c.ID+"/officials", sec, map[string]any{"full_name": "Lê Văn Cường",
			"positions": []map[string]any{{"category": "hdnd_chu_tich", "title": "Chủ tịch HĐND tỉnh", "elected_on": "2021-06-25"}}}, 201, nil)
		s.must("POST", "/api/v1/councils/"+c.ID+"/officials/import", sec,
			"full_name,category,title,elected_on,retirement_announced\nPhạm Thị Dung,ubnd_chu_tich,Chủ tịch UBND tỉnh,2021-06-25,\n", 201, nil)
		var audit []struct{ Action string }
		s.must("GET", "/api/v1/audit?council_id="+c.ID, sec, nil, 200, &audit)
		if len(audit) < 5 {
			t.Fatalf("audit: %+v", audit)
		}
		var v struct {
			OK     bool
			Events int
		}
		s.must("GET", "/api/v1/audit/verify", admin, nil, 200, &v)
		if !v.OK || v.Events < 20 {
			t.Fatalf("verify: %+v", v)
		}
		// A body over the limit is refused (413, or the connection closed while the client still
		// writes), and the server carries on.
		big := `{"full_name":"` + strings.Repeat("a", 5<<20) + `"}`
		req, _ := http.NewRequest("POST", s.url+"/api/v1/councils/"+c.ID+"/delegates", strings.NewReader(big))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+sec)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode != 413 {
				t.Fatalf("oversized body: got %d", resp.StatusCode)
			}
		}
		s.must("GET", "/readyz", "", nil, 200, nil)
		// The metrics are on their own loopback listener, not on the public address.
		if resp, err := http.Get(s.url + "/metrics"); err != nil || resp.StatusCode != 404 {
			t.Fatalf("anonymous metrics on the public address: %v %v", resp, err)
		}
		var metrics []byte
		resp, err := http.Get(s.metricsURL)
		if err == nil {
			metrics, _ = io.ReadAll(resp.Body)
			resp.Body.Close()
		}
		if !bytes.Contains(metrics, []byte(`route="/api/v1/councils/:id/delegates"`)) {
			t.Fatalf("metrics do not count requests by route")
		}
	})
}

// TestCommandLine runs the maintenance commands against one database.
func TestCommandLine(t *testing.T) {
	dir := t.TempDir()
	env := append(os.Environ(), "TINNHIEM_DATABASE_URL="+filepath.Join(dir, "t.db"))
	run := func(stdin string, args ...string) (string, error) {
		cmd := exec.Command(binary(t), args...)
		cmd.Env = env
		cmd.Stdin = strings.NewReader(stdin)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	// verify checks a published record with no configuration and no database: the golden small record
	// passes; the same record with one count edited fails, naming it.
	good := filepath.Join("..", "..", "frontend", "src", "record", "testdata", "record-small.json")
	if out, err := run("", "verify", good); err != nil || !strings.Contains(out, "HỢP LỆ") {
		t.Fatalf("verify a good record: %v\n%s", err, out)
	}
	raw, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(strings.Replace(string(raw), `"counts":[[`, `"counts":[[9`, 1)), 0o644)
	if out, err := run("", "verify", "-en", bad); err == nil || !strings.Contains(out, "counts") {
		t.Fatalf("verify a tampered record: %v\n%s", err, out)
	}
	// serve refuses an empty (unmigrated) database.
	out, err := run("", "serve")
	if err == nil || !strings.Contains(out, "tinnhiem migrate") {
		t.Fatalf("serve on an empty database: %v\n%s", err, out)
	}
	ms, _ := store.Migrations(store.SQLite)
	if out, err := run("", "migrate"); err != nil || !strings.Contains(out, fmt.Sprintf("schema version %d", len(ms))) {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	if out, err := run("", "migrate"); err != nil || !strings.Contains(out, "applied: []") {
		t.Fatalf("second migrate: %v\n%s", err, out)
	}
	out, err = run("", "admin", "create-user", "--username", "root2", "--role", "admin", "--full-name", "Quản trị 2")
	if err != nil || !strings.Contains(out, "password (shown once)") {
		t.Fatalf("create-user: %v\n%s", err, out)
	}
	if out, err := run("piped-password-123\n", "admin", "set-password", "--username", "root2"); err != nil || strings.Contains(out, "shown once") {
		t.Fatalf("set-password: %v\n%s", err, out)
	}
	if out, err := run("", "admin", "create-user", "--username", "x", "--role", "board"); err == nil {
		t.Fatalf("a bad user was created:\n%s", out)
	}
	if out, err := run("", "audit", "verify"); err != nil || !strings.Contains(out, "audit chain OK: 2 events") {
		t.Fatalf("audit verify: %v\n%s", err, out)
	}
	if out, err := run("", "bogus"); err == nil || !strings.Contains(out, "Cách dùng") {
		t.Fatalf("unknown command: %v\n%s", err, out)
	}
	cmd := exec.Command(binary(t), "serve")
	cmd.Env = append(env, "TINNHIEM_TOKEN_TTL=24h", "TINNHIEM_LOG_LEVEL=loud")
	b, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(b), "TINNHIEM_TOKEN_TTL") || !strings.Contains(string(b), "TINNHIEM_LOG_LEVEL") {
		t.Fatalf("bad configuration: %v\n%s", err, b)
	}
}

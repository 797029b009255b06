package web_test

import (
	"net/url"
	"sync"

	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	legacyrouter "github.com/getkin/kin-openapi/routers/legacy"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"tinnhiem/internal/app"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/config"
	"tinnhiem/internal/roster"
	"tinnhiem/internal/store"
	"tinnhiem/internal/web"
)

// env is a running server (in process, on a real database) with a user of every role.
type env struct {
	t        *testing.T
	srv      *web.Server
	st       *store.Store
	councilA string
	councilB string
	tokens   map[string]string // admin, secretariat, board, observer (council A), other (secretariat of B)
	users    map[string]auth.User
	logs     *bytes.Buffer
	seq      atomic.Int64
}

// testConfig is the tests' configuration: the defaults, a token secret, and the given variables
// (name, value pairs).
func testConfig(vars ...string) config.Config {
	env := map[string]string{"TINNHIEM_JWT_SECRET": strings.Repeat("j", 40)}
	for i := 0; i+1 < len(vars); i += 2 {
		env[vars[i]] = vars[i+1]
	}
	cfg, err := config.Load(func(k string) string { return env[k] }, func(string) ([]byte, error) { return nil, io.EOF })
	if err != nil {
		panic(err)
	}
	return cfg
}

func newEnv(t *testing.T, st *store.Store) *env {
	t.Helper()
	return newEnvConfig(t, st, testConfig())
}

// newEnvConfig is newEnv with a configuration of the test's own.
func newEnvConfig(t *testing.T, st *store.Store, cfg config.Config) *env {
	t.Helper()
	ctx := context.Background()
	logs := &bytes.Buffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	srv, err := app.NewServer(ctx, cfg, st, log)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, srv: srv, st: st, tokens: map[string]string{}, users: map[string]auth.User{}, logs: logs}
	if _, err := st.EnsureAdmin(ctx, "admin-password-1"); err != nil {
		t.Fatal(err)
	}
	e.tokens["admin"] = e.login("admin", "admin-password-1")
	e.councilA = e.mkCouncil("Hội đồng nhân dân tỉnh Mẫu A")
	e.councilB = e.mkCouncil("Hội đồng nhân dân tỉnh Mẫu B")
	for _, u := range []struct{ key, role, council string }{
		{"secretariat", "secretariat", e.councilA}, {"board", "board", e.councilA},
		{"observer", "observer", e.councilA}, {"other", "secretariat", e.councilB},
	} {
		var out auth.User
		e.must(e.call("POST", "/api/v1/users", e.tokens["admin"], map[string]any{"username": "u." + u.key, "password": "password-" + u.key,
			"full_name": "Người dùng " + u.key, "role": u.role, "council_id": u.council}), 201, &out)
		e.users[u.key] = out
		e.tokens[u.key] = e.login("u."+u.key, "password-"+u.key)
	}
	return e
}

func (e *env) mkCouncil(name string) string {
	var c roster.Council
	e.must(e.call("POST", "/api/v1/councils", e.tokens["admin"], map[string]any{"name": name, "body": "hdnd", "level": "tinh",
		"place": "tỉnh Mẫu", "khoa": "XVII", "term_start_year": 2021, "term_end_year": 2026}), 201, &c)
	return c.ID
}

func (e *env) login(username, password string) string {
	var res struct{ Token string }
	e.must(e.call("POST", "/api/v1/auth/login", "", map[string]string{"username": username, "password": password}), 200, &res)
	return res.Token
}

// response is an answer of the server.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (e *env) call(method, path, token string, body any, headers ...string) response {
	e.t.Helper()
	var rd io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case string:
		rd, ct = strings.NewReader(b), "application/json"
	case []byte:
		rd, ct = bytes.NewReader(b), "application/json"
	default:
		j, _ := json.Marshal(b)
		rd, ct = bytes.NewReader(j), "application/json"
	}
	req := httptest.NewRequest(method, path, rd)
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := e.srv.App().Test(req, -1)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	checkContract(e.t, method, path, resp, b)
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

func (e *env) must(r response, status int, out any) {
	e.t.Helper()
	if r.status != status {
		e.t.Fatalf("got status %d, want %d: %s", r.status, status, r.body)
	}
	if out != nil {
		if err := json.Unmarshal(r.body, out); err != nil {
			e.t.Fatalf("decode %s: %v", r.body, err)
		}
	}
}

// envelope checks that r is an error in the one envelope and returns it.
func (e *env) envelope(r response) web.Envelope {
	e.t.Helper()
	var env web.Envelope
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&env); err != nil {
		e.t.Fatalf("status %d: body is not the error envelope: %s", r.status, r.body)
	}
	if env.Error.Code == "" || env.Error.Message == "" || env.RequestID == "" || env.Error.Fields == nil {
		e.t.Fatalf("incomplete envelope: %s", r.body)
	}
	return env
}

func (e *env) uniq() string { return fmt.Sprintf("%d", e.seq.Add(1)) }

func (e *env) auditCount() int64 {
	e.t.Helper()
	var n int64
	if err := e.st.DB().Raw("SELECT COUNT(*) FROM audit_events").Scan(&n).Error; err != nil {
		e.t.Fatal(err)
	}
	return n
}

var (
	contractOnce   sync.Once
	contractRouter routers.Router
	contractErr    error
)

// checkContract validates every JSON answer of the API against openapi.yaml: its status is
// documented for the route, and its body has the documented shape (required fields present, no field
// the document does not know). The frontend's types are generated from the same document, so a field
// renamed on the server fails here and in the frontend's build.
func checkContract(t *testing.T, method, path string, resp *http.Response, body []byte) {
	t.Helper()
	if !strings.HasPrefix(path, "/api/v1/") || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		return
	}
	contractOnce.Do(func() {
		doc, err := web.OpenAPI()
		if err != nil {
			contractErr = err
			return
		}
		doc.Servers = nil // match paths as they are
		contractRouter, contractErr = legacyrouter.NewRouter(doc)
	})
	if contractErr != nil {
		t.Fatalf("openapi.yaml: %v", contractErr)
	}
	u, _ := url.Parse(path)
	req := httptest.NewRequest(method, u.String(), nil)
	route, params, err := contractRouter.FindRoute(req)
	if err != nil && (resp.StatusCode == 404 || resp.StatusCode == 405) {
		return // no such route: the error envelope of the not-found handler
	}
	if err != nil {
		t.Errorf("contract: %s %s is not in openapi.yaml: %v", method, u.Path, err)
		return
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}},
		Status: resp.StatusCode, Header: resp.Header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		msg := err.Error()
		if len(msg) > 1500 {
			msg = msg[:1500] + "..."
		}
		t.Errorf("contract: %s %s answered %d not as openapi.yaml says: %s", method, u.Path, resp.StatusCode, msg)
	}
}

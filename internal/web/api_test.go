package web_test

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"tinnhiem/internal/audit"
	"tinnhiem/internal/roster"
	"tinnhiem/internal/store"
	"tinnhiem/internal/testdb"
	"tinnhiem/internal/web"
)

func TestRosterContract(t *testing.T) {
	testdb.Dialects(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		sec := e.tokens["secretariat"]
		base := "/api/v1/councils/" + e.councilA
		var d roster.Delegate
		e.must(e.call("POST", base+"/delegates", sec, map[string]any{"full_name": "  Nguyễn   Văn An ", "code": "DB01"}), 201, &d)
		if d.ID == "" || d.FullName != "Nguyễn Văn An" || !d.Active {
			t.Fatalf("got %+v", d)
		}
		var imp struct {
			Imported int  `json:"imported"`
			DryRun   bool `json:"dry_run"`
		}
		csv := "full_name,code\nTrần Thị Bình,DB02\nLê Văn Cường,DB03\n"
		e.must(e.callCSV(base+"/delegates/import?dry_run=true", sec, csv), 200, &imp)
		if imp.Imported != 2 || !imp.DryRun {
			t.Fatalf("got %+v", imp)
		}
		e.must(e.callCSV(base+"/delegates/import", sec, csv), 201, &imp)
		var list []roster.Delegate
		e.must(e.call("GET", base+"/delegates", e.tokens["board"], nil), 200, &list)
		var names []string
		for _, x := range list {
			names = append(names, x.FullName)
		}
		if got := strings.Join(names, "|"); got != "Nguyễn Văn An|Trần Thị Bình|Lê Văn Cường" {
			t.Fatalf("got %s", got)
		}
		off := false
		e.must(e.call("PUT", base+"/delegates/"+d.ID, sec, map[string]any{"full_name": d.FullName, "code": d.Code, "active": off}), 200, nil)
		e.must(e.call("GET", base+"/delegates", sec, nil), 200, &list)
		if len(list) != 2 {
			t.Fatalf("deactivated delegate still listed: %d", len(list))
		}
		e.must(e.call("GET", base+"/delegates?include_inactive=true", sec, nil), 200, &list)
		if len(list) != 3 {
			t.Fatalf("include_inactive: got %d", len(list))
		}

		var o roster.Official
		e.must(e.call("POST", base+"/officials", sec, map[string]any{"full_name": "Hoàng Văn Em", "retirement_announced": false,
			"positions": []map[string]any{{"category": "ubnd_chu_tich", "title": "Chủ tịch UBND tỉnh", "elected_on": "2021-06-25"}}}), 201, &o)
		if len(o.Positions) != 1 || o.Positions[0].ElectedOn.String() != "2021-06-25" {
			t.Fatalf("got %+v", o)
		}
		ocsv := "full_name,category,title,elected_on,retirement_announced,illness_leave_since\n" +
			"Vũ Thị Gấm,hdnd_pho_chu_tich,Phó Chủ tịch HĐND tỉnh,2021-06-25,,\n" +
			"Vũ Thị Gấm,hdnd_truong_ban,Trưởng Ban Pháp chế,2021-06-25,,\n"
		e.must(e.callCSV(base+"/officials/import", sec, ocsv), 201, &imp)
		var os []roster.Official
		e.must(e.call("GET", base+"/officials", e.tokens["observer"], nil), 200, &os)
		if len(os) != 2 || os[0].FullName != "Hoàng Văn Em" || len(os[1].Positions) != 2 {
			t.Fatalf("got %+v", os)
		}
		e.must(e.call("PUT", base+"/officials/"+o.ID, sec, map[string]any{"full_name": "Hoàng Văn Em", "retirement_announced": true,
			"positions": []map[string]any{{"category": "ubnd_chu_tich", "title": "Chủ tịch UBND tỉnh", "elected_on": "2021-06-25"}}}), 200, &o)
		if !o.RetirementAnnounced {
			t.Fatal("edit lost")
		}
		var council roster.Council
		e.must(e.call("PUT", base, e.tokens["admin"], map[string]any{"name": "Hội đồng nhân dân tỉnh Mẫu A", "body": "hdnd", "level": "tinh",
			"place": "tỉnh Mẫu", "khoa": "XVIII", "term_start_year": 2026, "term_end_year": 2031}), 200, &council)
		if council.Khoa != "XVIII" {
			t.Fatalf("got %+v", council)
		}
		var events []audit.Event
		e.must(e.call("GET", "/api/v1/audit?council_id="+e.councilA+"&limit=1000", sec, nil), 200, &events)
		actions := map[string]bool{}
		for _, ev := range events {
			actions[ev.Action] = true
		}
		for _, want := range []string{"council.create", "user.create", "delegate.create", "delegate.import", "delegate.update", "official.create", "official.import", "official.update", "council.update"} {
			if !actions[want] {
				t.Errorf("no %s event in the audit log", want)
			}
		}
		var v audit.Result
		e.must(e.call("GET", "/api/v1/audit/verify", e.tokens["observer"], nil), 200, &v)
		if !v.OK || v.Events != e.auditCount() || v.FirstBadEvent != nil {
			t.Fatalf("got %+v", v)
		}
	})
}

func (e *env) callCSV(path, token, body string) response {
	e.t.Helper()
	req := httptest.NewRequest("POST", path, strings.NewReader(body))
	req.Header.Set("Content-Type", "text/csv; charset=utf-8")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := e.srv.App().Test(req, -1)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return response{status: resp.StatusCode, header: resp.Header, body: []byte(b.String())}
}

func TestLoginAndTokens(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	r := e.call("POST", "/api/v1/auth/login", "", map[string]string{"username": "admin", "password": "wrong-password"})
	env := e.envelope(r)
	if r.status != 401 || env.Error.Code != "bad_credentials" || !strings.Contains(env.Error.Message, "không đúng") {
		t.Fatalf("got %d %s", r.status, r.body)
	}
	r = e.call("POST", "/api/v1/auth/login", "", map[string]string{"username": "nobody", "password": "wrong-password"}, "Accept-Language", "en-US,en;q=0.9")
	if env := e.envelope(r); r.status != 401 || env.Error.Code != "bad_credentials" || !strings.Contains(env.Error.Message, "Wrong username") {
		t.Fatalf("an unknown user must look like a wrong password, in English: %d %s", r.status, r.body)
	}
	// Five free failures for this username (and one more started before it was slowed), then it is
	// slowed down with a Retry-After, even for the right password.
	for i := 0; i < 6; i++ {
		e.call("POST", "/api/v1/auth/login", "", map[string]string{"username": "u.board", "password": "wrong-password"})
	}
	r = e.call("POST", "/api/v1/auth/login", "", map[string]string{"username": "u.board", "password": "password-board"})
	if env := e.envelope(r); r.status != 429 || env.Error.Code != "login_throttled" || r.header.Get("Retry-After") == "" {
		t.Fatalf("got %d %s", r.status, r.body)
	}
	var me struct{ Username, Role string }
	e.must(e.call("GET", "/api/v1/me", e.tokens["secretariat"], nil), 200, &me)
	if me.Username != "u.secretariat" || me.Role != "secretariat" {
		t.Fatalf("got %+v", me)
	}
	r = e.call("GET", "/api/v1/me", "not-a-token", nil)
	if env := e.envelope(r); r.status != 401 || env.Error.Code != "invalid_token" || r.header.Get("WWW-Authenticate") == "" {
		t.Fatalf("got %d %s", r.status, r.body)
	}
	// A deactivated account's token stops working at once.
	e.must(e.call("PATCH", "/api/v1/users/"+e.users["observer"].ID, e.tokens["admin"], map[string]any{"active": false}), 200, nil)
	if r := e.call("GET", "/api/v1/me", e.tokens["observer"], nil); r.status != 401 {
		t.Fatalf("deactivated user: got %d", r.status)
	}
}

// TestAuthorizationMatrix calls every endpoint as every role (and as another council's user).
func TestAuthorizationMatrix(t *testing.T) {
	testdb.Dialects(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		var d roster.Delegate
		e.must(e.call("POST", "/api/v1/councils/"+e.councilA+"/delegates", e.tokens["admin"], map[string]any{"full_name": "Phan Văn Ý", "code": "X1"}), 201, &d)
		var o roster.Official
		e.must(e.call("POST", "/api/v1/councils/"+e.councilA+"/officials", e.tokens["admin"], official("Phan Thị Ý")), 201, &o)
		a := "/api/v1/councils/" + e.councilA
		type ep struct {
			method, path string
			body         func() any
			csv          func() string
			ok           int
			allowed      string // roles that succeed; others get 403, other council 404, anonymous 401
			otherOK      bool   // another council's user succeeds too (lists scoped to their own council)
		}
		delegate := func() any { return map[string]any{"full_name": "Đại biểu " + e.uniq(), "code": "C" + e.uniq()} }
		eps := []ep{
			{"GET", "/api/v1/me", nil, nil, 200, "admin secretariat board observer", true},
			{"GET", "/api/v1/post-categories", nil, nil, 200, "admin secretariat board observer", true},
			{"POST", "/api/v1/users", func() any {
				return map[string]any{"username": "user" + e.uniq(), "password": "long-enough-pw", "full_name": "X", "role": "board", "council_id": e.councilA}
			}, nil, 201, "admin", false},
			{"GET", "/api/v1/users", nil, nil, 200, "admin", false},
			{"PATCH", "/api/v1/users/" + e.users["board"].ID, func() any { return map[string]any{"full_name": "Bảng " + e.uniq()} }, nil, 200, "admin", false},
			{"POST", "/api/v1/councils", func() any {
				return map[string]any{"name": "HĐND " + e.uniq(), "body": "hdnd", "level": "tinh", "place": "p", "khoa": "I", "term_start_year": 2021, "term_end_year": 2026}
			}, nil, 201, "admin", false},
			{"GET", "/api/v1/councils", nil, nil, 200, "admin secretariat board observer", true},
			{"GET", a, nil, nil, 200, "admin secretariat board observer", false},
			{"PUT", a, func() any {
				return map[string]any{"name": "Hội đồng nhân dân tỉnh Mẫu A " + e.uniq(), "body": "hdnd", "level": "tinh", "place": "p", "khoa": "I", "term_start_year": 2021, "term_end_year": 2026}
			}, nil, 200, "admin", false},
			{"POST", a + "/delegates", delegate, nil, 201, "admin secretariat", false},
			{"GET", a + "/delegates", nil, nil, 200, "admin secretariat board observer", false},
			{"POST", a + "/delegates/import", nil, func() string { return "full_name,code\nA B,I" + e.uniq() + "\n" }, 201, "admin secretariat", false},
			{"PUT", a + "/delegates/" + d.ID, func() any { return map[string]any{"full_name": "Phan Văn Ý " + e.uniq(), "code": "X1"} }, nil, 200, "admin secretariat", false},
			{"POST", a + "/officials", func() any { return official("Người " + e.uniq()) }, nil, 201, "admin secretariat", false},
			{"GET", a + "/officials", nil, nil, 200, "admin secretariat board observer", false},
			{"POST", a + "/officials/import", nil, func() string {
				return "full_name,category,title,elected_on,retirement_announced\nN " + e.uniq() + ",ubnd_uy_vien,Ủy viên,2021-01-01,\n"
			}, 201, "admin secretariat", false},
			{"PUT", a + "/officials/" + o.ID, func() any { return official("Phan Thị Ý " + e.uniq()) }, nil, 200, "admin secretariat", false},
			{"GET", "/api/v1/audit?council_id=" + e.councilA, nil, nil, 200, "admin secretariat board observer", false},
			{"GET", "/api/v1/audit/verify", nil, nil, 200, "admin secretariat board observer", true},
		}
		for _, x := range eps {
			for _, role := range []string{"anonymous", "admin", "secretariat", "board", "observer", "other"} {
				var body any
				if x.body != nil {
					body = x.body()
				}
				var r response
				if x.csv != nil {
					r = e.callCSV(x.path, e.tokens[role], x.csv())
				} else {
					r = e.call(x.method, x.path, e.tokens[role], body)
				}
				want := 403
				switch {
				case role == "anonymous":
					want = 401
				case strings.Contains(x.allowed, role), role == "other" && x.otherOK:
					want = x.ok
				case role == "other" && strings.Contains(x.path, e.councilA) && x.allowed != "admin":
					want = 404
				}
				if r.status != want {
					t.Errorf("%s %s as %s: got %d, want %d: %s", x.method, x.path, role, r.status, want, r.body)
				}
				if r.status >= 400 {
					e.envelope(r)
				}
			}
		}
		// Lists are scoped: another council's secretariat sees only their own council.
		var cs []roster.Council
		e.must(e.call("GET", "/api/v1/councils", e.tokens["other"], nil), 200, &cs)
		if len(cs) != 1 || cs[0].ID != e.councilB {
			t.Fatalf("other council sees %+v", cs)
		}
		var events []audit.Event
		e.must(e.call("GET", "/api/v1/audit", e.tokens["other"], nil), 200, &events)
		for _, ev := range events {
			if ev.CouncilID != e.councilB {
				t.Fatalf("other council sees event %+v", ev)
			}
		}
	})
}

func official(name string) map[string]any {
	return map[string]any{"full_name": name, "positions": []map[string]any{{"category": "ubnd_uy_vien", "title": "Ủy viên UBND tỉnh", "elected_on": "2021-06-25"}}}
}

// TestBadInputIsRefusedCleanly sends broken bodies to every endpoint that takes one: each answer is a
// 4xx in the envelope, and nothing is written.
func TestBadInputIsRefusedCleanly(t *testing.T) {
	testdb.Dialects(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		admin := e.tokens["admin"]
		a := "/api/v1/councils/" + e.councilA
		var d roster.Delegate
		e.must(e.call("POST", a+"/delegates", admin, map[string]any{"full_name": "Phan Văn Ý", "code": "X1"}), 201, &d)
		var o roster.Official
		e.must(e.call("POST", a+"/officials", admin, official("Phan Thị Ý")), 201, &o)
		long := strings.Repeat("ă", 301)
		type target struct {
			method, path string
			valid        map[string]any
			strField     string
			dateField    string
		}
		targets := []target{
			{"POST", "/api/v1/auth/login", map[string]any{"username": "admin", "password": "x"}, "username", ""},
			{"POST", "/api/v1/users", map[string]any{"username": "newuser", "password": "long-enough-pw", "full_name": "X", "role": "board", "council_id": e.councilA}, "full_name", ""},
			{"PATCH", "/api/v1/users/" + e.users["board"].ID, map[string]any{"full_name": "Y"}, "full_name", ""},
			{"POST", "/api/v1/councils", map[string]any{"name": "HĐND", "body": "hdnd", "level": "tinh", "place": "p", "khoa": "I", "term_start_year": 2021, "term_end_year": 2026}, "name", ""},
			{"PUT", a, map[string]any{"name": "HĐND", "body": "hdnd", "level": "tinh", "place": "p", "khoa": "I", "term_start_year": 2021, "term_end_year": 2026}, "place", ""},
			{"POST", a + "/delegates", map[string]any{"full_name": "A B", "code": "Z9", "took_office_on": "2021-07-01"}, "full_name", "took_office_on"},
			{"PUT", a + "/delegates/" + d.ID, map[string]any{"full_name": "A B", "code": "Z9"}, "code", "left_office_on"},
			{"POST", a + "/officials", official("C D"), "full_name", "illness_leave_since"},
			{"PUT", a + "/officials/" + o.ID, official("C D"), "full_name", "illness_leave_since"},
		}
		with := func(m map[string]any, k string, v any) map[string]any {
			c := map[string]any{}
			for kk, vv := range m {
				c[kk] = vv
			}
			c[k] = v
			return c
		}
		for _, x := range targets {
			before := e.auditCount()
			cases := []struct {
				name   string
				body   any
				status int
			}{
				{"malformed JSON", `{"full_name": "A",`, 422},
				{"not an object", `[1,2,3]`, 422},
				{"two values", `{} {}`, 422},
				{"empty body", ``, 422},
				{"invalid UTF-8", []byte("{\"" + x.strField + "\": \"\xff\xfe\"}"), 422},
				{"unknown field", with(x.valid, "is_admin", true), 422},
				{"wrong type", with(x.valid, x.strField, 12345), 422},
				{"empty string", with(x.valid, x.strField, ""), 422},
				{"overlong string", with(x.valid, x.strField, long), 422},
				{"control character", with(x.valid, x.strField, "A\u0000B"), 422},
			}
			if x.dateField != "" {
				cases = append(cases, struct {
					name   string
					body   any
					status int
				}{"impossible date", with(x.valid, x.dateField, "2023-02-30"), 422},
					struct {
						name   string
						body   any
						status int
					}{"not a date", with(x.valid, x.dateField, "05/12/2028"), 422})
			}
			for _, c := range cases {
				r := e.call(x.method, x.path, admin, c.body)
				want := c.status
				if x.path == "/api/v1/auth/login" && c.name == "overlong string" {
					want = 422
				}
				if r.status != want {
					t.Errorf("%s %s, %s: got %d, want %d: %s", x.method, x.path, c.name, r.status, want, r.body)
					continue
				}
				env := e.envelope(r)
				if want == 422 && c.status == 422 && len(env.Error.Fields) == 0 && !strings.Contains("malformed JSON not an object two values empty body invalid UTF-8 unknown field", c.name) {
					t.Errorf("%s %s, %s: no field named: %s", x.method, x.path, c.name, r.body)
				}
			}
			r := e.call(x.method, x.path, admin, "plain text", "Content-Type", "text/plain")
			if r.status != 415 {
				t.Errorf("%s %s with text/plain: got %d", x.method, x.path, r.status)
			}
			if after := e.auditCount(); after != before {
				t.Errorf("%s %s: bad input wrote %d audit events", x.method, x.path, after-before)
			}
		}
		// Bad CSV imports: every bad line named, nothing written.
		before := e.auditCount()
		r := e.callCSV(a+"/delegates/import", admin, "full_name,code\nA B,X1\n,Q2\nC D,Q3,extra\nE F,Q3\n")
		env := e.envelope(r)
		if r.status != 422 || env.Error.Code != "import_failed" {
			t.Fatalf("got %d %s", r.status, r.body)
		}
		var keys []string
		for k := range env.Error.Fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		// Line 2's code is taken in the database; that is checked once the file itself reads cleanly.
		if got := strings.Join(keys, ";"); got != "line 3: full_name;line 4: *" {
			t.Fatalf("got fields %s", got)
		}
		r = e.callCSV(a+"/officials/import", admin, "name\nx\n")
		if r.status != 422 {
			t.Fatalf("officials header: got %d", r.status)
		}
		if after := e.auditCount(); after != before {
			t.Fatalf("bad imports wrote %d events", after-before)
		}
		// Unknown ids, bad query parameters, unknown routes.
		for _, c := range []struct {
			method, path string
			status       int
		}{
			{"GET", "/api/v1/councils/no-such-council", 404},
			{"GET", "/api/v1/councils/%C3%A1%20x", 404},
			{"PUT", a + "/delegates/no-such", 404},
			{"GET", a + "/delegates?include_inactive=maybe", 422},
			{"GET", "/api/v1/audit?limit=0", 422},
			{"GET", "/api/v1/audit?after=-1", 422},
			{"GET", "/api/v1/nothing-here", 404},
			{"DELETE", "/api/v1/councils", 404},
		} {
			var body any
			if c.method == "PUT" {
				body = map[string]any{"full_name": "A B", "code": "Z9"}
			}
			r := e.call(c.method, c.path, admin, body)
			if r.status != c.status {
				t.Errorf("%s %s: got %d, want %d: %s", c.method, c.path, r.status, c.status, r.body)
				continue
			}
			e.envelope(r)
		}
	})
}

func TestErrorsAreVietnameseByDefaultAndEnglishOnRequest(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	path := "/api/v1/councils/" + e.councilA + "/delegates"
	r := e.call("POST", path, e.tokens["secretariat"], map[string]any{"full_name": "", "code": "X"})
	env := e.envelope(r)
	if env.Error.Message != "Dữ liệu không hợp lệ. Vui lòng kiểm tra các trường được đánh dấu." || env.Error.Fields["full_name"] != "Bắt buộc phải nhập." {
		t.Fatalf("got %s", r.body)
	}
	if r.header.Get("Content-Language") != "vi" {
		t.Fatalf("Content-Language %q", r.header.Get("Content-Language"))
	}
	r = e.call("POST", path, e.tokens["secretariat"], map[string]any{"full_name": "", "code": "X"}, "Accept-Language", "en")
	env = e.envelope(r)
	if env.Error.Fields["full_name"] != "This field is required." {
		t.Fatalf("got %s", r.body)
	}
	r = e.call("POST", path, e.tokens["secretariat"], map[string]any{"full_name": "", "code": "X"}, "Accept-Language", "vi, en;q=0.8")
	if env := e.envelope(r); env.Error.Fields["full_name"] != "Bắt buộc phải nhập." {
		t.Fatalf("vi preferred: got %s", r.body)
	}
}

func TestSystemEndpoints(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	for _, p := range []string{"/healthz", "/readyz"} {
		if r := e.call("GET", p, "", nil); r.status != 200 {
			t.Errorf("%s: got %d", p, r.status)
		}
	}
	// No anonymous metrics on the public address: they live on their own (loopback) listener.
	if r := e.call("GET", "/metrics", "", nil); r.status != 404 {
		t.Fatalf("metrics on the public address without a token: %d", r.status)
	}
	rec := httptest.NewRecorder()
	e.srv.MetricsHandler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "tinnhiem_http_requests_total") {
		t.Fatalf("metrics listener: %d", rec.Code)
	}
	for _, moving := range []string{"process_network_receive_bytes_total", "process_network_transmit_bytes_total", "/api/v1/ballots"} {
		if strings.Contains(rec.Body.String(), moving) {
			t.Errorf("the metrics show %s, which moves with a single cast", moving)
		}
	}
	r := e.call("GET", "/api/openapi.json", "", nil)
	var doc map[string]any
	if r.status != 200 || json.Unmarshal(r.body, &doc) != nil || doc["openapi"] == nil {
		t.Fatalf("openapi: %d", r.status)
	}
	r = e.call("GET", "/some/app/page", "", nil)
	if r.status != 200 || !strings.Contains(r.header.Get("Content-Type"), "text/html") {
		t.Fatalf("SPA fallback: %d %s", r.status, r.header.Get("Content-Type"))
	}
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy", "X-Request-Id"} {
		if r.header.Get(h) == "" {
			t.Errorf("missing header %s", h)
		}
	}
	r = e.call("GET", "/api/v1/me", "", nil, "X-Request-ID", "kiosk-0001-abcdef")
	if env := e.envelope(r); env.RequestID != "kiosk-0001-abcdef" {
		t.Fatalf("request id not echoed: %s", r.body)
	}
}

// TestOpenAPIMatchesRoutes checks the OpenAPI document against the registered routes, both ways.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	doc, err := web.OpenAPI()
	if err != nil {
		t.Fatalf("the OpenAPI document is invalid: %v", err)
	}
	documented := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented[method+" "+path] = true
		}
	}
	e := newEnv(t, testdb.SQLite(t))
	registered := map[string]bool{}
	for _, r := range e.srv.App().GetRoutes(true) {
		if r.Method == "HEAD" || r.Method == "USE" || r.Path == "/*" || r.Path == "/api" {
			continue
		}
		parts := strings.Split(r.Path, "/")
		for i, p := range parts {
			if strings.HasPrefix(p, ":") {
				parts[i] = "{" + p[1:] + "}"
			}
		}
		registered[r.Method+" "+strings.Join(parts, "/")] = true
	}
	for k := range registered {
		if !documented[k] {
			t.Errorf("route %s is not in openapi.yaml", k)
		}
	}
	for k := range documented {
		if !registered[k] {
			t.Errorf("openapi.yaml documents %s, which is not a route", k)
		}
	}
	if len(registered) < 20 {
		t.Fatalf("only %d routes found", len(registered))
	}
	fmt.Fprintf(testingWriter{t}, "%d routes documented\n", len(registered))
}

type testingWriter struct{ t *testing.T }

func (w testingWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}

// TestStrictBodiesAndReviewFindings covers inputs that lenient decoders let through.
func TestStrictBodiesAndReviewFindings(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	admin := e.tokens["admin"]
	a := "/api/v1/councils/" + e.councilA
	for name, c := range map[string]struct {
		body   string
		status int
		field  string
	}{
		"key in another case": {`{"Full_Name":"A B","code":"K1"}`, 422, "Full_Name"},
		"key twice":           {`{"full_name":"A B","full_name":"C D","code":"K1"}`, 422, "full_name"},
		"bidi override":       {"{\"full_name\":\"A\u202eB\",\"code\":\"K1\"}", 422, "full_name"},
		"only a zero-width":   {"{\"full_name\":\"\u200b\",\"code\":\"K1\"}", 422, "full_name"},
		"code with a space":   {`{"full_name":"A B","code":"K 1"}`, 422, "code"},
		"path-like code":      {`{"full_name":"A B","code":"../../etc"}`, 201, ""},
		"year 0000":           {`{"full_name":"A B","code":"K2","took_office_on":"0000-01-01"}`, 422, "took_office_on"},
	} {
		r := e.call("POST", a+"/delegates", admin, c.body)
		if r.status != c.status {
			t.Errorf("%s: got %d, want %d: %s", name, r.status, c.status, r.body)
			continue
		}
		if c.field != "" {
			if env := e.envelope(r); env.Error.Fields[c.field] == "" {
				t.Errorf("%s: field %s not named: %s", name, c.field, r.body)
			}
		}
	}
	if r := e.call("POST", a+"/delegates", admin, `{"full_name":"A B","code":"K3"}`, "Content-Type", "application/jsonp"); r.status != 415 {
		t.Errorf("application/jsonp: got %d", r.status)
	}
	// Import permissions are checked before the file is read.
	for _, role := range []string{"board", "observer"} {
		if r := e.callCSV(a+"/delegates/import", e.tokens[role], "garbage\n\"x"); r.status != 403 {
			t.Errorf("%s importing a bad file: got %d, want 403", role, r.status)
		}
	}
	if r := e.callCSV(a+"/delegates/import", e.tokens["other"], "garbage\n\"x"); r.status != 404 {
		t.Errorf("another council importing: got %d, want 404", r.status)
	}
	// A password change ends the account's older sessions.
	old := e.tokens["board"]
	e.must(e.call("PATCH", "/api/v1/users/"+e.users["board"].ID, admin, map[string]any{"password": "a-new-password-1"}), 200, nil)
	if r := e.call("GET", "/api/v1/me", old, nil); r.status != 401 {
		t.Fatalf("old token after a password change: got %d", r.status)
	}
	if r := e.call("PATCH", "/api/v1/users/"+e.users["board"].ID, admin, map[string]any{}); r.status != 422 {
		t.Fatalf("empty patch: got %d", r.status)
	}
	// T on a day, through the API.
	e.must(e.call("POST", a+"/delegates", admin, map[string]any{"full_name": "Mới Vào", "code": "N1", "took_office_on": "2024-01-01"}), 201, nil)
	var list []roster.Delegate
	e.must(e.call("GET", a+"/delegates?in_office_on=2023-12-31", admin, nil), 200, &list)
	for _, d := range list {
		if d.Code == "N1" {
			t.Fatal("a delegate who took office later is counted")
		}
	}
	if r := e.call("GET", a+"/delegates?in_office_on=31/12/2023", admin, nil); r.status != 422 {
		t.Fatalf("bad in_office_on: got %d", r.status)
	}
}

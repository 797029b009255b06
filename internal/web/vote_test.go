package web_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"tinnhiem/internal/audit"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/ballot"
	"tinnhiem/internal/config"
	"tinnhiem/internal/roster"
	"tinnhiem/internal/store"
	"tinnhiem/internal/tally"
	"tinnhiem/internal/testdb"
	"tinnhiem/internal/vote"
)

// voteEnv extends env with a roster ready for a vote: T delegates, a board of three, officials.
type voteEnv struct {
	*env
	delegates []roster.Delegate
	officials map[string]roster.Official // by short name
	board     map[string]string          // role -> token
	boardIDs  map[string]string          // role -> user id
}

func newVoteEnv(t *testing.T, st *store.Store, delegates int) *voteEnv {
	return newVoteEnvConfig(t, st, delegates, testConfig())
}

// newVoteEnvConfig is newVoteEnv with a configuration of the test's own.
func newVoteEnvConfig(t *testing.T, st *store.Store, delegates int, cfg config.Config) *voteEnv {
	e := &voteEnv{env: newEnvConfig(t, st, cfg), officials: map[string]roster.Official{}, board: map[string]string{}, boardIDs: map[string]string{}}
	sec := e.tokens["secretariat"]
	a := "/api/v1/councils/" + e.councilA
	var csv strings.Builder
	csv.WriteString("full_name,code\n")
	for i := 0; i < delegates; i++ {
		fmt.Fprintf(&csv, "Đại biểu Số %d,DB%02d\n", i+1, i+1)
	}
	e.must(e.callCSV(a+"/delegates/import", sec, csv.String()), 201, nil)
	e.must(e.call("GET", a+"/delegates", sec, nil), 200, &e.delegates)
	for short, in := range map[string]map[string]any{
		"chair":   {"full_name": "Nguyễn Văn Chủ", "positions": []map[string]any{{"category": "hdnd_chu_tich", "title": "Chủ tịch HĐND tỉnh", "elected_on": "2021-06-25"}, {"category": "hdnd_truong_ban", "title": "Trưởng Ban Pháp chế", "elected_on": "2021-06-25"}}},
		"ubnd":    {"full_name": "Trần Thị Ủy", "positions": []map[string]any{{"category": "ubnd_chu_tich", "title": "Chủ tịch UBND tỉnh", "elected_on": "2021-06-25"}}},
		"retired": {"full_name": "Lê Văn Hưu", "retirement_announced": true, "positions": []map[string]any{{"category": "ubnd_pho_chu_tich", "title": "Phó Chủ tịch UBND tỉnh", "elected_on": "2021-06-25"}}},
		"new":     {"full_name": "Phạm Thị Mới", "positions": []map[string]any{{"category": "ubnd_uy_vien", "title": "Ủy viên UBND tỉnh", "elected_on": "2023-03-01"}}},
	} {
		var o roster.Official
		e.must(e.call("POST", a+"/officials", sec, in), 201, &o)
		e.officials[short] = o
	}
	e.board["head"], e.boardIDs["head"] = e.tokens["board"], e.users["board"].ID
	for _, role := range []string{"secretary", "member"} {
		var u auth.User
		e.must(e.call("POST", "/api/v1/users", e.tokens["admin"], map[string]any{"username": "bkp." + role, "password": "password-" + role,
			"full_name": "Ban kiểm phiếu " + role, "role": "board", "council_id": e.councilA}), 201, &u)
		e.boardIDs[role] = u.ID
		e.board[role] = e.login("bkp."+role, "password-"+role)
	}
	return e
}

func (e *voteEnv) draft(in map[string]any) voteResponse {
	if _, ok := in["ballot_mode"]; !ok && in["casting_mode"] != "paper" {
		in["ballot_mode"] = "plain" // the plain path with server-made codes; the encrypted path has tests of its own
	}
	var v voteResponse
	e.must(e.call("POST", "/api/v1/councils/"+e.councilA+"/votes", e.tokens["secretariat"], in), 201, &v)
	e.must(e.call("PUT", "/api/v1/votes/"+v.ID+"/board", e.tokens["secretariat"], map[string]any{"members": []map[string]any{
		{"user_id": e.boardIDs["head"], "board_role": "head"}, {"user_id": e.boardIDs["secretary"], "board_role": "secretary"},
		{"user_id": e.boardIDs["member"], "board_role": "member"}}}), 200, nil)
	return v
}

type voteResponse struct {
	vote.Vote
	Warnings []struct{ Code, Message string } `json:"warnings"`
	Steps    []vote.Step                      `json:"steps"`
}

func choice(id, level string) map[string]any {
	if level == "" {
		return map[string]any{"official_id": id, "level": nil}
	}
	return map[string]any{"official_id": id, "level": level}
}

// TestWholeVoteThroughHTTP runs a confidence vote from draft to publication, with blank rows, a voided
// code, a resignation and a follow-up no-confidence vote, on both databases.
func TestWholeVoteThroughHTTP(t *testing.T) {
	testdb.Dialects(t, func(t *testing.T, st *store.Store) {
		e := newVoteEnv(t, st, 5)
		sec, head := e.tokens["secretariat"], e.board["head"]
		chair, ubnd := e.officials["chair"].ID, e.officials["ubnd"].ID
		v := e.draft(map[string]any{"kind": "confidence", "title": "Lấy phiếu tín nhiệm năm 2023", "session_name": "Kỳ họp thứ 15",
			"session_opens_on": "2023-12-06", "vote_date": "2023-12-08",
			"official_ids": []string{e.officials["ubnd"].ID, chair, e.officials["retired"].ID, e.officials["new"].ID},
			"preparation":  map[string]any{"list_sent_on": "2023-11-01"}})
		if len(v.Subjects) != 2 || v.Subjects[0].OfficialID != chair || len(v.Subjects[0].Positions) != 2 {
			t.Fatalf("subjects: %+v", v.Subjects)
		}
		reasons := map[string]string{}
		for _, x := range v.Exclusions {
			reasons[x.OfficialID] = string(x.Reason)
		}
		if reasons[e.officials["retired"].ID] != "retirement_announced" || reasons[e.officials["new"].ID] != "elected_in_vote_year" {
			t.Fatalf("exclusions: %+v", v.Exclusions)
		}
		codesOf := map[string]bool{}
		for _, w := range v.Warnings {
			codesOf[w.Code] = w.Message != ""
		}
		if _, outside := codesOf["vote_outside_third_year"]; !codesOf["deadline_list_sent_on"] || outside {
			t.Fatalf("warnings: %+v", v.Warnings)
		}
		base := "/api/v1/votes/" + v.ID

		// Codes: 5 delegates + 2 spares at most.
		if r := e.call("POST", base+"/codes", head, map[string]any{"count": 8}); r.status != 409 {
			t.Fatalf("over the code limit: %d %s", r.status, r.body)
		}
		var codes struct{ Codes []string }
		e.must(e.call("POST", base+"/codes", head, map[string]any{"count": 6}), 201, &codes)
		if r := e.call("POST", base+"/codes", sec, map[string]any{"count": 1}); r.status != 403 {
			t.Fatalf("the secretariat generated codes: %d", r.status)
		}
		e.must(e.call("POST", base+"/codes/void", e.board["member"], map[string]any{"code": codes.Codes[5]}), 200, nil)
		if r := e.call("POST", base+"/codes/void", head, map[string]any{"code": codes.Codes[5]}); r.status != 409 {
			t.Fatalf("voiding twice: %d", r.status)
		}
		if r := e.call("POST", "/api/v1/ballots", "", map[string]any{"code": codes.Codes[0], "choices": []any{}}); r.status != 409 {
			t.Fatalf("casting on a draft: %d %s", r.status, r.body)
		}
		if r := e.call("POST", base+"/open", e.board["member"], nil); r.status != 403 {
			t.Fatalf("a plain member opened the vote: %d", r.status)
		}
		e.must(e.call("POST", base+"/open", head, nil), 200, nil)
		var turnout vote.Turnout
		e.must(e.call("GET", base+"/turnout", e.tokens["observer"], nil), 200, &turnout)

		if turnout.TotalDelegates != 5 || turnout.CodesGenerated != 6 || turnout.CodesVoided != 1 || turnout.Status != vote.Open {
			t.Fatalf("turnout: %+v", turnout)
		}
		if r := e.call("GET", base+"/tally", sec, nil); r.status != 409 {
			t.Fatalf("a tally while open: %d", r.status)
		}
		for i := 0; i < 4; i++ {
			e.must(e.call("POST", base+"/issuances", e.board["secretary"], map[string]any{"delegate_id": e.delegates[i].ID}), 201, nil)
		}
		if r := e.call("POST", base+"/issuances", head, map[string]any{"delegate_id": e.delegates[0].ID}); r.status != 409 {
			t.Fatalf("issuing twice: %d", r.status)
		}
		ballots := [][]map[string]any{
			{choice(chair, "low"), choice(ubnd, "high")},
			{choice(chair, "low"), choice(ubnd, "medium")},
			{choice(chair, "low")},                    // ubnd left out: a blank row
			{choice(chair, "high"), choice(ubnd, "")}, // ubnd null: a blank row
		}
		receipts := []string{}
		for i, b := range ballots {
			var r vote.Receipt
			e.must(e.call("POST", "/api/v1/ballots", "", map[string]any{"code": strings.ToLower(codes.Codes[i]), "choices": b}), 201, &r)
			receipts = append(receipts, r.Receipt)
		}
		// The vote itself shows the same two-second snapshot as the turnout, never a fresher count.
		var shown voteResponse
		e.must(e.call("GET", base, e.tokens["observer"], nil), 200, &shown)
		var tv vote.Turnout
		e.must(e.call("GET", base+"/turnout", e.tokens["observer"], nil), 200, &tv)
		if shown.Turnout != tv {
			t.Errorf("the vote shows %+v, the turnout %+v", shown.Turnout, tv)
		}
		// The kiosk retries the same submission: the same receipt. Another submission: refused.
		var again vote.Receipt
		e.must(e.call("POST", "/api/v1/ballots", "", map[string]any{"code": codes.Codes[0], "choices": ballots[0]}), 200, &again)
		if again.Receipt != receipts[0] || !again.Replay {
			t.Fatalf("replay: got %+v, want %s", again, receipts[0])
		}
		for name, c := range map[string]struct {
			body   map[string]any
			status int
		}{
			"spent code, other choices": {map[string]any{"code": codes.Codes[0], "choices": ballots[1]}, 409},
			"voided code":               {map[string]any{"code": codes.Codes[5], "choices": ballots[0]}, 409},
			"mistyped code":             {map[string]any{"code": mistype(codes.Codes[4]), "choices": ballots[0]}, 422},
			"unknown code":              {map[string]any{"code": ballot.Format(ballot.NewCode()), "choices": ballots[0]}, 404},
			"malformed code":            {map[string]any{"code": "ABC", "choices": ballots[0]}, 422},
			"wrong kind of level":       {map[string]any{"code": codes.Codes[4], "choices": []map[string]any{choice(chair, "no_trust")}}, 422},
			"unknown subject":           {map[string]any{"code": codes.Codes[4], "choices": []map[string]any{choice(e.officials["retired"].ID, "high")}}, 422},
			"subject twice":             {map[string]any{"code": codes.Codes[4], "choices": []map[string]any{choice(chair, "high"), choice(chair, "low")}}, 422},
			"more casts than issued":    {map[string]any{"code": codes.Codes[4], "choices": ballots[0]}, 409},
		} {
			r := e.call("POST", "/api/v1/ballots", "", c.body)
			if r.status != c.status {
				t.Errorf("%s: got %d, want %d: %s", name, r.status, c.status, r.body)
			}
			e.envelope(r)
		}
		if r := e.call("POST", base+"/close", sec, nil); r.status != 403 {
			t.Fatalf("the secretariat closed the vote: %d", r.status)
		}
		e.must(e.call("POST", base+"/close", head, nil), 200, nil)
		if r := e.call("POST", base+"/issuances", head, map[string]any{"delegate_id": e.delegates[4].ID}); r.status != 409 {
			t.Fatalf("issuing after the close: %d", r.status)
		}
		if r := e.call("POST", "/api/v1/ballots", "", map[string]any{"code": codes.Codes[4], "choices": ballots[0]}); r.status != 409 {
			t.Fatalf("casting after the close: %d %s", r.status, r.body)
		}
		if r := e.call("GET", "/api/v1/public/votes/"+v.ID+"/results", "", nil); r.status != 404 {
			t.Fatalf("public results before publication: %d", r.status)
		}
		var res tally.Result
		e.must(e.call("GET", base+"/tally", e.tokens["observer"], nil), 200, &res)
		s1, s2 := res.Subjects[0], res.Subjects[1]
		if res.TotalDelegates != 5 || res.BallotsIssued != 4 || res.BallotsReceived != 4 || res.BaseValue != 5 {
			t.Fatalf("totals: %+v", res)
		}
		if s1.Counts["low"] != 3 || s1.Percentages["low"] != "60.00" || s1.Band != "over_half_under_two_thirds" || s1.Rated != 4 || s1.Blank != 0 {
			t.Fatalf("chair: %+v", s1)
		}
		if s2.Counts["high"] != 1 || s2.Counts["medium"] != 1 || s2.Counts["low"] != 0 || s2.Percentages["low"] != "0.00" || s2.Blank != 2 || s2.Band != "none" {
			t.Fatalf("ubnd: %+v", s2)
		}
		if len(res.NoConfidenceDue) != 1 || res.NoConfidenceDue[0] != chair {
			t.Fatalf("no-confidence due: %v", res.NoConfidenceDue)
		}
		// Certification: the hash they saw, by each member of the board.
		bad := strings.Repeat("0", 64)
		e.signList(base)
		if r := e.call("POST", base+"/certifications", head, map[string]any{"tally_hash": bad}); r.status != 409 {
			t.Fatalf("a wrong hash: %d", r.status)
		}
		if r := e.call("POST", base+"/certifications", e.tokens["observer"], map[string]any{"tally_hash": res.TallyHash}); r.status != 403 {
			t.Fatalf("an observer certified: %d", r.status)
		}
		if r := e.call("POST", base+"/publish", sec, map[string]any{"resolution_number": "52/NQ-HĐND", "adopted_on": "2023-12-08"}); r.status != 409 {
			t.Fatalf("publication before certification: %d", r.status)
		}
		for _, role := range []string{"head", "secretary", "member"} {
			e.must(e.call("POST", base+"/certifications", e.board[role], map[string]any{"tally_hash": res.TallyHash}), 200, &v)
		}
		if v.Status != vote.Certified || v.TallyHash != res.TallyHash {
			t.Fatalf("after every certification: %s %s", v.Status, v.TallyHash)
		}
		if r := e.call("POST", base+"/publish", sec, map[string]any{"resolution_number": "52", "adopted_on": "2023-12-08"}); r.status != 422 {
			t.Fatalf("a resolution number without its symbol: %d", r.status)
		}
		// The head announces the certified result to the council before it adopts its resolution.
		if r := e.call("POST", base+"/publish", sec, map[string]any{"resolution_number": "52/NQ-HĐND", "adopted_on": "2023-12-08"}); r.status != 409 {
			t.Fatalf("publication before the announcement: %d", r.status)
		}
		if r := e.call("POST", base+"/announce", e.board["member"], nil); r.status != 403 {
			t.Fatalf("a plain member announced: %d", r.status)
		}
		e.must(e.call("POST", base+"/announce", head, nil), 200, &v)
		if v.AnnouncedAt == nil {
			t.Fatal("the announcement is not recorded")
		}
		e.must(e.call("POST", base+"/publish", sec, map[string]any{"resolution_number": "52/NQ-HĐND", "adopted_on": "2023-12-08"}), 200, &v)
		// A double click publishes once: the same answer, no second publication event.
		before := e.auditCount()
		e.must(e.call("POST", base+"/publish", sec, map[string]any{"resolution_number": "52/NQ-HĐND", "adopted_on": "2023-12-08"}), 200, &v)
		if e.auditCount() != before || v.Status != vote.Published {
			t.Fatalf("publishing again: status %s, %d new events", v.Status, e.auditCount()-before)
		}
		var listed []vote.PublicVote
		e.must(e.call("GET", "/api/v1/public/votes", "", nil), 200, &listed)
		if len(listed) != 1 || listed[0].ID != v.ID || listed[0].ResolutionNumber != "52/NQ-HĐND" {
			t.Fatalf("published votes: %+v", listed)
		}
		e.must(e.call("PUT", base+"/portal-posting", sec, map[string]any{"posted_on": "2023-12-11"}), 200, &v)
		if rec := e.checkRecord(v.ID); rec.Plain == nil || len(rec.Plain.Ballots) != 4 {
			t.Fatalf("the record of a plain vote: %+v", rec.Plain)
		}
		var pub vote.PublicResult
		e.must(e.call("GET", "/api/v1/public/votes/"+v.ID+"/results", "", nil), 200, &pub)
		raw := e.call("GET", "/api/v1/public/votes/"+v.ID+"/results", "", nil).body
		for _, private := range []string{"exclusions", "retirement_announced", "warnings", "preparation", "board", "username", "ballots_hash", "code_key"} {
			if strings.Contains(string(raw), private) {
				t.Errorf("the public results show %q", private)
			}
		}
		sort.Strings(receipts)
		if strings.Join(pub.Receipts, ",") != strings.Join(receipts, ",") || pub.TallyHash != res.TallyHash {
			t.Fatalf("public receipts %v, want %v", pub.Receipts, receipts)
		}

		// Follow-up: a no-confidence vote on the chair, triggered by the middle band.
		bptn := e.draft(map[string]any{"kind": "no_confidence", "title": "Bỏ phiếu tín nhiệm", "session_name": "Kỳ họp thứ 15",
			"session_opens_on": "2023-12-06", "vote_date": "2023-12-09", "official_ids": []string{chair},
			"trigger": map[string]any{"type": "confidence_result", "source_vote_id": v.ID}})
		if bptn.Trigger == nil || bptn.Trigger.SourceVoteID != v.ID {
			t.Fatalf("trigger not recorded: %+v", bptn.Trigger)
		}
		if r := e.call("POST", "/api/v1/councils/"+e.councilA+"/votes", sec, map[string]any{"kind": "no_confidence", "title": "x", "session_name": "y",
			"session_opens_on": "2023-12-06", "vote_date": "2023-12-09", "official_ids": []string{ubnd},
			"trigger": map[string]any{"type": "confidence_result", "source_vote_id": v.ID}}); r.status != 422 {
			t.Fatalf("a no-confidence vote on someone not in the middle band: %d", r.status)
		}
		if r := e.call("POST", "/api/v1/councils/"+e.councilA+"/votes", sec, map[string]any{"kind": "no_confidence", "title": "x", "session_name": "y",
			"session_opens_on": "2023-12-06", "vote_date": "2023-12-09", "official_ids": []string{ubnd}}); r.status != 422 {
			t.Fatalf("a no-confidence vote without a trigger: %d", r.status)
		}
		bb := "/api/v1/votes/" + bptn.ID
		e.must(e.call("POST", bb+"/codes", head, map[string]any{"count": 3}), 201, &codes)
		e.must(e.call("POST", bb+"/open", head, nil), 200, nil)
		for i := 0; i < 3; i++ {
			e.must(e.call("POST", bb+"/issuances", head, map[string]any{"delegate_id": e.delegates[i].ID}), 201, nil)
		}
		for i, lvl := range []string{"no_trust", "no_trust", "trust"} {
			e.must(e.call("POST", "/api/v1/ballots", "", map[string]any{"code": codes.Codes[i], "choices": []map[string]any{choice(chair, lvl)}}), 201, nil)
		}
		e.must(e.call("POST", bb+"/close", head, nil), 200, nil)
		e.must(e.call("GET", bb+"/tally", sec, nil), 200, &res)
		if res.Subjects[0].Counts["no_trust"] != 2 || res.Subjects[0].Band != "none" || res.Subjects[0].Percentages["no_trust"] != "40.00" {
			t.Fatalf("2K > N with K=2, N=5 is false: %+v", res.Subjects[0])
		}
		// A resignation clears the due vote and keeps the certified hash.
		e.must(e.call("POST", base+"/resignations", sec, map[string]any{"official_id": chair, "date": "2023-12-10"}), 200, nil)
		e.must(e.call("GET", base+"/tally", sec, nil), 200, &res)
		if len(res.NoConfidenceDue) != 0 || res.TallyHash != v.TallyHash || res.Subjects[0].Flags[len(res.Subjects[0].Flags)-1] != "resigned" {
			t.Fatalf("after the resignation: due %v, hash %s vs %s, flags %v", res.NoConfidenceDue, res.TallyHash, v.TallyHash, res.Subjects[0].Flags)
		}
		var ver audit.Result
		e.must(e.call("GET", "/api/v1/audit/verify", sec, nil), 200, &ver)
		if !ver.OK {
			t.Fatalf("audit chain: %+v", ver)
		}
		// Secrecy: no code, receipt or ballot marks in the audit log or the server's log.
		var events []audit.Event
		e.must(e.call("GET", "/api/v1/audit?council_id="+e.councilA+"&limit=1000", e.tokens["admin"], nil), 200, &events)
		everything, _ := json.Marshal(events)
		secrets := append([]string{}, receipts...)
		for _, c := range codes.Codes {
			secrets = append(secrets, c, strings.ReplaceAll(c, "-", ""))
		}
		for _, s := range secrets {
			if strings.Contains(string(everything), s) || strings.Contains(e.logs.String(), s) {
				t.Fatalf("%q found in the audit log or the server log", s)
			}
		}
		for _, marks := range []string{`"lh"`, `"lm"`, `"l0"`, `"h0"`, `"high"`, `"no_trust"`} {
			if strings.Contains(string(everything), marks) {
				t.Fatalf("a choice (%s) found in the audit log", marks)
			}
		}
		// The whole database, table by table: no code in any form anywhere, receipts only in the
		// receipts table, marks only in the ballots table.
		for table, text := range dumpTables(t, st) {
			for _, c := range secrets[len(receipts):] {
				if strings.Contains(text, c) {
					t.Fatalf("a ballot code is stored in %s", table)
				}
			}
			for _, r := range receipts {
				if table != "receipts" && strings.Contains(text, r) {
					t.Fatalf("receipt %s is stored in %s", r, table)
				}
			}
			if table != "ballots" && (strings.Contains(text, "|lh|") || strings.Contains(text, "|l0|")) {
				t.Fatalf("ballot marks are stored in %s", table)
			}
		}
	})
}

// dumpTables reads every table of the database as text: "|"-separated cells, a line per row.
func dumpTables(t *testing.T, st *store.Store) map[string]string {
	t.Helper()
	db := st.DB()
	var tables []string
	if st.Dialect() == store.Postgres {
		db.Raw("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'").Scan(&tables)
	} else {
		db.Raw("SELECT name FROM sqlite_master WHERE type = 'table'").Scan(&tables)
	}
	if len(tables) < 10 {
		t.Fatalf("found only %d tables", len(tables))
	}
	out := map[string]string{}
	for _, table := range tables {
		rows, err := db.Raw(`SELECT * FROM "` + table + `"`).Rows()
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		var b strings.Builder
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			b.WriteString("|")
			for _, v := range vals {
				if bs, ok := v.([]byte); ok {
					v = string(bs)
				}
				fmt.Fprintf(&b, "%v|", v)
			}
			b.WriteString("\n")
		}
		rows.Close()
		out[table] = b.String()
	}
	return out
}

// mistype changes one character of a code to another of the alphabet.
func mistype(code string) string {
	b := []byte(code)
	for i, c := range b {
		if c != '-' {
			if c == 'A' {
				b[i] = 'B'
			} else {
				b[i] = 'A'
			}
			break
		}
	}
	return string(b)
}

// TestVoteAuthorizationMatrix calls every vote endpoint as every kind of caller. "Allowed" means the
// request got past the permission checks (any status but 401, 403 and 404).
func TestVoteAuthorizationMatrix(t *testing.T) {
	e := newVoteEnv(t, testdb.SQLite(t), 3)
	chair := e.officials["chair"].ID
	var outsider auth.User // a board user of the council who is not on this vote's board
	e.must(e.call("POST", "/api/v1/users", e.tokens["admin"], map[string]any{"username": "bkp.outsider", "password": "password-outsider",
		"full_name": "Ngoài ban", "role": "board", "council_id": e.councilA}), 201, &outsider)
	tokens := map[string]string{"anonymous": "", "admin": e.tokens["admin"], "secretariat": e.tokens["secretariat"], "head": e.board["head"],
		"member": e.board["member"], "outsider": e.login("bkp.outsider", "password-outsider"), "observer": e.tokens["observer"], "other": e.tokens["other"]}
	v := e.draft(map[string]any{"kind": "confidence", "title": "LPTN", "session_name": "Kỳ họp", "session_opens_on": "2023-12-06",
		"vote_date": "2023-12-08", "official_ids": []string{chair}})
	base := "/api/v1/votes/" + v.ID
	var spare struct{ Codes []string }
	e.must(e.call("POST", base+"/codes", e.board["head"], map[string]any{"count": 1}), 201, &spare)
	board := map[string]any{"members": []map[string]any{{"user_id": e.boardIDs["head"], "board_role": "head"},
		{"user_id": e.boardIDs["secretary"], "board_role": "secretary"}, {"user_id": e.boardIDs["member"], "board_role": "member"}}}
	all := "admin secretariat head member outsider observer"
	device := map[string]any{"name": "Máy 1"}
	// The role table (vote.Rules, docs/SECURITY.md), route by route, in the order of a vote's life.
	cases := []struct {
		method, path string
		body         any
		allowed      string
	}{
		{"POST", "/api/v1/councils/" + e.councilA + "/votes", map[string]any{"kind": "confidence", "title": "X", "session_name": "Y",
			"session_opens_on": "2023-12-06", "vote_date": "2023-12-08", "official_ids": []string{chair}}, "secretariat"},
		{"GET", "/api/v1/councils/" + e.councilA + "/votes", nil, all},
		{"GET", base, nil, all},
		{"PUT", base + "/board", board, "secretariat"},
		{"POST", base + "/codes", map[string]any{"count": 1}, "head member"},
		{"POST", base + "/codes/void", map[string]any{"code": spare.Codes[0]}, "head member"},
		{"POST", base + "/devices", device, "head member"},
		{"GET", base + "/devices", nil, all},
		{"GET", base + "/security", nil, all},
		{"POST", base + "/open", nil, "head"},
		{"GET", base + "/turnout", nil, all},
		{"POST", base + "/issuances", map[string]any{"delegate_id": e.delegates[0].ID}, "head member"},
		{"GET", base + "/issuances", nil, all},
		{"POST", base + "/account-approvals", map[string]any{"user_id": e.boardIDs["member"], "change": "password"}, "head"},
		{"POST", base + "/close", nil, "head"},
		{"GET", base + "/tally", nil, all},
		{"GET", base + "/encrypted-ballots", nil, "head member"}, // a plain vote: the board hears "encrypted votes only"
		{"POST", base + "/absences", map[string]any{"user_id": e.boardIDs["secretary"]}, "head member"},
		{"POST", base + "/certifications", map[string]any{"tally_hash": strings.Repeat("a", 64)}, "head member"},
		{"POST", base + "/announce", nil, "head"},
		{"POST", base + "/resignations", map[string]any{"official_id": chair, "date": "2023-12-20"}, "secretariat"},
		{"POST", base + "/publish", map[string]any{"resolution_number": "1/NQ-HĐND", "adopted_on": "2023-12-08"}, "secretariat"},
		{"PUT", base + "/portal-posting", map[string]any{"posted_on": "2023-12-20"}, "secretariat"},
		{"POST", base + "/cancel", map[string]any{"reason": "Thử"}, "head member"}, // a closed vote: the board's
	}
	for _, c := range cases {
		for _, role := range []string{"anonymous", "admin", "secretariat", "head", "member", "outsider", "observer", "other"} {
			r := e.call(c.method, c.path, tokens[role], c.body)
			allowed := r.status != 401 && r.status != 403 && r.status != 404
			want := strings.Contains(c.allowed, role) && role != "anonymous"
			if allowed != want {
				t.Errorf("%s %s as %s: got %d (%s)", c.method, c.path, role, r.status, r.body)
			}
			if r.status >= 500 {
				t.Errorf("%s %s as %s: %d", c.method, c.path, role, r.status)
			}
			if role == "other" && r.status != 404 && r.status != 403 {
				t.Errorf("another council's user got %d on %s %s", r.status, c.method, c.path)
			}
		}
	}
}

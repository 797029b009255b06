package web_test

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"strings"
	"testing"

	"tinnhiem/internal/i18n"
	"tinnhiem/internal/protocol"
	"tinnhiem/internal/record"
	"tinnhiem/internal/store"
	"tinnhiem/internal/tally"
	"tinnhiem/internal/testdb"
	"tinnhiem/internal/vote"
)

// paperVote drafts a vote of the given casting mode on the chair and the UBND chair (in that ballot
// order), opens it and issues ballots to the first issued delegates.
func (e *voteEnv) paperVote(mode string, issued int, extra map[string]any) (voteResponse, string) {
	in := map[string]any{"kind": "confidence", "title": "Lấy phiếu tín nhiệm", "session_name": "Kỳ họp thứ 15",
		"session_opens_on": "2023-12-06", "vote_date": "2023-12-08", "casting_mode": mode,
		"official_ids": []string{e.officials["chair"].ID, e.officials["ubnd"].ID}}
	for k, v := range extra {
		in[k] = v
	}
	v := e.draft(in)
	if v.CastingMode != mode || v.Subjects[0].OfficialID != e.officials["chair"].ID {
		e.t.Fatalf("draft: mode %q, subjects %+v", v.CastingMode, v.Subjects)
	}
	return v, "/api/v1/votes/" + v.ID
}

func (e *voteEnv) issue(base string, n int) {
	for i := 0; i < n; i++ {
		e.must(e.call("POST", base+"/issuances", e.board["secretary"], map[string]any{"delegate_id": e.delegates[i].ID}), 201, nil)
	}
}

// wantConflict checks an error answer's status and code, and returns its envelope's fields.
func (e *voteEnv) wantError(r response, status int, code string) map[string]string {
	e.t.Helper()
	env := e.envelope(r)
	if r.status != status || env.Error.Code != code {
		e.t.Fatalf("got %d %s, want %d %s: %s", r.status, env.Error.Code, status, code, r.body)
	}
	return env.Error.Fields
}

func (e *voteEnv) entry(base, token string, batch string, ballots ...string) vote.PaperEntryResult {
	e.t.Helper()
	var res vote.PaperEntryResult
	e.must(e.call("POST", base+"/paper/batches/"+batch+"/entries", token, map[string]any{"ballots": ballots}), 200, &res)
	return res
}

// TestPaperVoteThroughHTTP runs a vote cast on paper only, counted by the board's blind double entry,
// on both databases: entries that agree, entries that differ (settled by a third member), a missing
// ballot that blocks the count until explained, an invalid whole ballot, rows with several marks.
func TestPaperVoteThroughHTTP(t *testing.T) {
	testdb.Dialects(t, func(t *testing.T, st *store.Store) {
		e := newVoteEnv(t, st, 8)
		head, secretary, member := e.board["head"], e.board["secretary"], e.board["member"]
		v, base := e.paperVote(vote.CastPaper, 7, nil)
		if v.BallotMode != vote.ModePlain || v.Paper == nil {
			t.Fatalf("a paper vote: mode %s, paper %+v", v.BallotMode, v.Paper)
		}
		e.wantError(e.call("POST", base+"/codes", head, map[string]any{"count": 2}), 409, "paper_vote_no_codes")
		e.wantError(e.call("POST", base+"/devices", head, map[string]any{"name": "Máy 1"}), 409, "paper_vote_no_codes")
		e.must(e.call("POST", base+"/open", head, nil), 200, nil)
		e.issue(base, 7)
		e.wantError(e.call("POST", base+"/paper/batches/1/entries", head, map[string]any{"ballots": []string{"lh"}}), 409, "wrong_status")
		e.must(e.call("POST", base+"/close", head, nil), 200, nil)
		e.wantError(e.call("PUT", base+"/paper/issuance", head, map[string]any{"paper_issued": 7, "slips_issued": 0}), 409, "paper_not_hybrid")

		// No count before the figures agree: each missing figure is named.
		fields := e.wantError(e.call("GET", base+"/tally", e.tokens["observer"], nil), 409, "paper_not_reconciled")
		if !strings.Contains(fields["paper.received"], "thu về") {
			t.Fatalf("fields: %v", fields)
		}
		// 7 handed out, 1 returned unused, 5 in the box: one is missing, and unexplained.
		e.must(e.call("PUT", base+"/paper/figures", secretary, map[string]any{"received": 5, "returned": 1,
			"invalid": []map[string]any{{"reason": "Không có dấu của Hội đồng"}}}), 200, &v)
		if v.Paper.Missing != 1 || v.Paper.Valid != 4 || v.Paper.Reconciled {
			t.Fatalf("paper: %+v", v.Paper)
		}
		// Marks are checked against the ballot: two rows, letters of a confidence vote, 0 or x.
		for _, bad := range [][]string{{"l"}, {"lt"}, {"LH"}, {"lhh"}} {
			e.wantError(e.call("POST", base+"/paper/batches/1/entries", head, map[string]any{"ballots": bad}), 422, "validation_failed")
		}
		e.wantError(e.call("POST", base+"/paper/batches/0/entries", head, map[string]any{"ballots": []string{"lh"}}), 422, "validation_failed")

		// Batch 1: two members agree.
		first := e.entry(base, head, "1", "lh", "lm", "0x")
		if first.Batch.Status != vote.BatchEntering || len(first.Entries) != 0 {
			t.Fatalf("first entry: %+v", first)
		}
		e.wantError(e.call("POST", base+"/paper/batches/1/entries", head, map[string]any{"ballots": []string{"lh", "lm", "0x"}}), 409, "paper_batch_entered")
		var seen vote.PaperEntryResult
		e.must(e.call("GET", base+"/paper/batches/1", secretary, nil), 200, &seen)
		if len(seen.Entries) != 0 || seen.Batch.Status != vote.BatchEntering {
			t.Fatalf("the first entry is shown before the second: %+v", seen)
		}
		if r := e.call("GET", base+"/paper/batches/1", e.tokens["secretariat"], nil); r.status != 403 {
			t.Fatalf("the secretariat read a batch: %d", r.status)
		}
		second := e.entry(base, secretary, "1", "lh", "lm", "0x")
		if second.Batch.Status != vote.BatchSettled || second.Batch.Outcome != vote.OutcomeMatched || len(second.Batch.EnteredBy) != 2 {
			t.Fatalf("second entry: %+v", second)
		}
		e.wantError(e.call("POST", base+"/paper/batches/1/entries", member, map[string]any{"ballots": []string{"lh"}}), 409, "paper_batch_settled")

		// Batch 2: they differ on its one ballot; shown side by side; a third member settles it.
		e.entry(base, member, "2", "hl")
		diff := e.entry(base, secretary, "2", "ml")
		if diff.Batch.Status != vote.BatchDiffers || len(diff.Entries) != 2 || len(diff.Rows) != 1 || diff.Rows[0] != 1 || diff.Batch.Differences != 1 {
			t.Fatalf("differing entries: %+v", diff)
		}
		e.wantError(e.call("GET", base+"/tally", head, nil), 409, "paper_not_reconciled")
		third := e.entry(base, head, "2", "hl")
		if third.Batch.Status != vote.BatchSettled || third.Batch.Outcome != vote.OutcomeThirdEntry {
			t.Fatalf("third entry: %+v", third)
		}
		// Everything is entered; the missing ballot still blocks the count until the minutes explain it.
		fields = e.wantError(e.call("GET", base+"/tally", head, nil), 409, "paper_not_reconciled")
		if len(fields) != 1 || !strings.Contains(fields["paper.missing_note"], "Thiếu 1 phiếu") {
			t.Fatalf("fields: %v", fields)
		}
		e.must(e.call("PUT", base+"/paper/figures", secretary, map[string]any{"received": 5, "returned": 1,
			"invalid":      []map[string]any{{"reason": "Không có dấu của Hội đồng"}},
			"missing_note": "Đại biểu Số 7 ra về trước khi bỏ phiếu, mang theo phiếu."}), 200, &v)
		if !v.Paper.Reconciled || len(v.Paper.Problems) != 0 {
			t.Fatalf("reconciled: %+v", v.Paper)
		}
		var totals vote.PaperTotals
		e.must(e.call("GET", base+"/paper/totals", head, nil), 200, &totals)
		if totals.Entered != 4 || totals.Counts[0][2] != 2 || totals.Counts[1][0] != 1 {
			t.Fatalf("paper totals: %+v", totals)
		}
		if r := e.call("GET", base+"/paper/totals", e.tokens["secretariat"], nil); r.status != 403 {
			t.Fatalf("the secretariat read the paper totals: %d", r.status)
		}

		// The count, by hand: chair l, l, blank, h; UBND h, m, blank(x), l; 5 received, 1 invalid, T = 8.
		var res tally.Result
		e.must(e.call("GET", base+"/tally", e.tokens["observer"], nil), 200, &res)
		chair, ubnd := res.Subjects[0], res.Subjects[1]
		if res.BallotsReceived != 5 || res.ValidBallots != 4 || res.InvalidBallots != 1 || res.BallotsIssued != 7 || res.BaseValue != 8 {
			t.Fatalf("totals: %+v", res)
		}
		if chair.Counts["low"] != 2 || chair.Counts["high"] != 1 || chair.Blank != 1 || chair.Percentages["low"] != "25.00" || chair.Band != "none" {
			t.Fatalf("chair: %+v", chair)
		}
		if ubnd.Counts["high"] != 1 || ubnd.Counts["medium"] != 1 || ubnd.Counts["low"] != 1 || ubnd.Blank != 1 || ubnd.Percentages["medium"] != "12.50" {
			t.Fatalf("ubnd: %+v", ubnd)
		}
		e.signList(base)
		for _, role := range []string{"head", "secretary", "member"} {
			e.must(e.call("POST", base+"/certifications", e.board[role], map[string]any{"tally_hash": res.TallyHash}), 200, &v)
		}
		if v.Status != vote.Certified {
			t.Fatalf("status %s", v.Status)
		}
		e.wantError(e.call("PUT", base+"/paper/figures", secretary, map[string]any{"received": 5, "returned": 1}), 409, "wrong_status")
		e.must(e.call("POST", base+"/announce", head, nil), 200, nil)
		e.must(e.call("POST", base+"/publish", e.tokens["secretariat"], map[string]any{"resolution_number": "52/NQ-HĐND", "adopted_on": "2023-12-08"}), 200, nil)
		if rec := e.checkRecord(v.ID); rec.Plain == nil || !rec.Plain.BallotsWithheld || rec.Figures.Paper == nil || rec.Figures.Paper.Valid != 4 {
			t.Fatalf("the record of a paper vote: %+v", rec.Plain)
		}

		// Nothing stored keeps a batch's rows: no live table is left, and the audit log holds who
		// entered which batch, never its marks.
		for table, rows := range dumpTables(t, st) {
			if strings.HasPrefix(table, "live_paper_") {
				t.Errorf("a batch's table is left: %s", table)
			}
			if table == "audit_events" && (strings.Contains(rows, `"lh`) || strings.Contains(rows, `"hl"`)) {
				t.Errorf("the audit log holds a batch's marks")
			}
		}
	})
}

// TestHybridVoteThroughHTTP runs a vote cast partly on kiosks and partly on paper: the kinds'
// totals, the warning for a kind used by few, a delegate counted in both modes (refused until the
// figures agree), a difference settled by the head, and a tally of both together.
func TestHybridVoteThroughHTTP(t *testing.T) {
	testdb.Dialects(t, func(t *testing.T, st *store.Store) {
		e := newVoteEnv(t, st, 8)
		head, secretary, member := e.board["head"], e.board["secretary"], e.board["member"]
		chair, ubnd := e.officials["chair"].ID, e.officials["ubnd"].ID
		_, base := e.paperVote(vote.CastHybrid, 7, map[string]any{"ballot_mode": "plain"})
		var codes struct{ Codes []string }
		e.must(e.call("POST", base+"/codes", head, map[string]any{"count": 5}), 201, &codes)
		e.must(e.call("POST", base+"/open", head, nil), 200, nil)
		e.issue(base, 7)
		for i, b := range [][]map[string]any{
			{choice(chair, "low"), choice(ubnd, "high")},
			{choice(chair, "low"), choice(ubnd, "high")},
			{choice(chair, "medium")},
			{choice(chair, "low"), choice(ubnd, "medium")},
		} {
			e.must(e.call("POST", "/api/v1/ballots", "", map[string]any{"code": codes.Codes[i], "choices": b}), 201, nil)
		}
		// Issuing ends: 3 paper ballots and 4 code slips; so few on paper that the board is warned.
		var v voteResponse
		e.must(e.call("PUT", base+"/paper/issuance", secretary, map[string]any{"paper_issued": 3, "slips_issued": 4}), 200, &v)
		if v.Paper.Warning == nil || v.Paper.Warning.Code != "paper_kind_few_paper" || !strings.Contains(v.Paper.Warning.Message, "một loại phiếu") {
			t.Fatalf("warning: %+v", v.Paper.Warning)
		}
		e.must(e.call("POST", base+"/close", head, nil), 200, nil)

		// The box holds 4 paper ballots: with 4 cast on kiosks that is 8 of 7 issued — someone voted twice.
		e.must(e.call("PUT", base+"/paper/figures", member, map[string]any{"received": 4, "returned": 0}), 200, &v)
		codesOf := map[string]string{}
		for _, p := range v.Paper.Problems {
			codesOf[p.Code] = p.Message
			if p.Message == "" || p.Message == i18n.Message(i18n.VI, "no-such-code", nil) {
				t.Errorf("problem %s has no message of its own", p.Code)
			}
		}
		if _, ok := codesOf["paper_received_over_issued"]; !ok {
			t.Fatalf("a delegate counted in both modes is not caught: %+v", v.Paper.Problems)
		}
		if _, ok := codesOf["paper_received_over_handed"]; !ok {
			t.Fatalf("more paper in the box than handed out is not caught: %+v", v.Paper.Problems)
		}
		e.wantError(e.call("GET", base+"/tally", head, nil), 409, "paper_not_reconciled")
		e.must(e.call("PUT", base+"/paper/figures", member, map[string]any{"received": 3, "returned": 0}), 200, &v)

		// The two entries differ on the second ballot; the head settles it as the board reads it.
		e.entry(base, member, "1", "hm", "lx", "ll")
		diff := e.entry(base, head, "1", "hm", "l0", "ll")
		if diff.Batch.Status != vote.BatchDiffers || len(diff.Rows) != 1 || diff.Rows[0] != 2 {
			t.Fatalf("difference: %+v", diff)
		}
		if r := e.call("POST", base+"/paper/batches/1/settle", member, map[string]any{"ballots": []string{"hm", "lx", "ll"}}); r.status != 403 {
			t.Fatalf("a member settled a batch: %d", r.status)
		}
		settled := vote.PaperEntryResult{}
		e.must(e.call("POST", base+"/paper/batches/1/settle", head, map[string]any{"ballots": []string{"hm", "lx", "ll"}}), 200, &settled)
		if settled.Batch.Outcome != vote.OutcomeHead || settled.Batch.SettledBy == "" {
			t.Fatalf("settled: %+v", settled.Batch)
		}
		e.wantError(e.call("POST", base+"/paper/batches/1/settle", head, map[string]any{"ballots": []string{"hm"}}), 409, "paper_batch_not_differing")

		// Both kinds together: chair l l m l (kiosks) + h l l (paper); UBND h h – m + m x l.
		var res tally.Result
		e.must(e.call("GET", base+"/tally", e.tokens["observer"], nil), 200, &res)
		c, u := res.Subjects[0], res.Subjects[1]
		if res.BallotsReceived != 7 || res.ValidBallots != 7 || res.BallotsIssued != 7 {
			t.Fatalf("totals: %+v", res)
		}
		if c.Counts["low"] != 5 || c.Counts["medium"] != 1 || c.Counts["high"] != 1 || c.Percentages["low"] != "62.50" || c.Band != "over_half_under_two_thirds" {
			t.Fatalf("chair: %+v", c)
		}
		if u.Counts["high"] != 2 || u.Counts["medium"] != 2 || u.Counts["low"] != 1 || u.Blank != 2 {
			t.Fatalf("ubnd: %+v", u)
		}
	})
}

// TestEncryptedHybridVote runs an encrypted vote cast partly on paper, on both databases: the board's
// paper totals encrypted and signed in a member's browser, checked against the settled entries,
// added to the encrypted sums before any decryption; only the combined count is ever decrypted, and
// the plain paper totals are forgotten.
func TestEncryptedHybridVote(t *testing.T) {
	testdb.Dialects(t, func(t *testing.T, st *store.Store) {
		e := newVoteEnv(t, st, 6)
		agents := e.boardAgents(3)
		_, base := e.paperVote(vote.CastHybrid, 6, map[string]any{"ballot_mode": "encrypted"})
		id := strings.TrimPrefix(base, "/api/v1/votes/")
		e.runKeyCeremony(id, agents, 2)
		codes := e.slips(id, agents[1], 4)
		e.must(e.call("POST", base+"/open", agents[0].token, nil), 200, nil)
		e.issue(base, 6)
		choices := [][]int{{2, 0}, {2, 1}, {0, -1}}
		for i, ch := range choices {
			e.kiosk(codes[i], ch)
		}
		e.must(e.call("PUT", base+"/paper/issuance", agents[0].token, map[string]any{"paper_issued": 2, "slips_issued": 4}), 200, nil)
		var v voteResponse
		e.must(e.call("POST", base+"/close", agents[0].token, nil), 200, &v)
		e.must(e.call("PUT", base+"/paper/figures", agents[1].token, map[string]any{"received": 2, "returned": 0}), 200, nil)
		e.entry(base, agents[1].token, "1", "lh", "l0")
		e.entry(base, agents[2].token, "1", "lh", "l0")
		sums, err := protocol.ParseSums(v.Encryption.Sums)
		if err != nil {
			t.Fatal(err)
		}
		pd, _ := protocol.PartialDecrypt(rand.Reader, agents[0].key, id, sums)
		e.wantError(e.call("POST", base+"/partial-decryptions", agents[0].token, pd), 409, "paper_totals_missing")

		// The head's browser reads the settled totals, encrypts and signs them.
		var totals vote.PaperTotals
		e.must(e.call("GET", base+"/paper/totals", agents[0].token, nil), 200, &totals)
		m, err := protocol.ParseManifest(v.Encryption.Manifest)
		if err != nil {
			t.Fatal(err)
		}
		encrypt := func(key *protocol.ShareKey, counts [][]int) []byte {
			tt := make([][]uint64, len(counts))
			for i, row := range counts {
				for _, x := range row {
					tt[i] = append(tt[i], uint64(x))
				}
			}
			pt, openings, err := protocol.EncryptPaperTotals(rand.Reader, m, key, uint64(totals.Entered), tt)
			if err != nil {
				t.Fatal(err)
			}
			b, err := json.Marshal(&protocol.PaperSubmission{Totals: pt, Openings: openings})
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
		// Totals other than the settled ones, or signed with another member's key, are refused.
		moved := [][]int{{totals.Counts[0][0] + 1, totals.Counts[0][1], totals.Counts[0][2] - 1}, totals.Counts[1]}
		e.wantError(e.call("POST", base+"/paper/sealed-totals", agents[0].token, encrypt(agents[0].key, moved)), 422, "validation_failed")
		e.wantError(e.call("POST", base+"/paper/sealed-totals", agents[0].token, encrypt(agents[1].key, totals.Counts)), 422, "validation_failed")
		e.must(e.call("POST", base+"/paper/sealed-totals", agents[0].token, encrypt(agents[0].key, totals.Counts)), 200, &v)
		if !v.Paper.Sealed {
			t.Fatalf("paper: %+v", v.Paper)
		}
		e.wantError(e.call("GET", base+"/paper/totals", agents[0].token, nil), 409, "paper_sealed")
		e.wantError(e.call("PUT", base+"/paper/figures", agents[1].token, map[string]any{"received": 2, "returned": 0}), 409, "paper_sealed")
		sums, err = protocol.ParseSums(v.Encryption.Sums)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 2; i++ {
			pd, err := protocol.PartialDecrypt(rand.Reader, agents[i].key, id, sums)
			if err != nil {
				t.Fatal(err)
			}
			e.must(e.call("POST", base+"/partial-decryptions", agents[i].token, pd), 200, &v)
		}
		// Kiosks: chair l l h, UBND h m blank; paper: chair l l, UBND h blank.
		var res tally.Result
		e.must(e.call("GET", base+"/tally", e.tokens["secretariat"], nil), 200, &res)
		c, u := res.Subjects[0], res.Subjects[1]
		if res.BallotsReceived != 5 || res.ValidBallots != 5 || c.Counts["low"] != 4 || c.Counts["high"] != 1 || u.Counts["high"] != 2 || u.Counts["medium"] != 1 || u.Blank != 2 {
			t.Fatalf("tally: %+v", res)
		}
		// The plain paper totals are gone from the database; only the sealed message remains.
		var counts *string
		st.DB().Raw("SELECT counts FROM vote_paper WHERE vote_id = ?", id).Scan(&counts)
		if counts != nil {
			t.Fatalf("the paper totals are kept: %s", *counts)
		}
	})
}

// signList enters the board's count of the signed list of delegates receiving a ballot: the ballots
// issued, as the list was signed (issue 13 §1b: no certification before).
func (e *voteEnv) signList(base string) {
	e.t.Helper()
	var v voteResponse
	e.must(e.call("GET", base, e.tokens["secretariat"], nil), 200, &v)
	e.must(e.call("PUT", base+"/signed-issuance", e.board["secretary"], map[string]any{"count": v.Turnout.BallotsIssued}), 200, nil)
}

// checkRecord downloads a published vote's public record twice (the same bytes), and verifies it with
// the verifier of internal/record against the vote's published documents.
func (e *voteEnv) checkRecord(voteID string) *record.Record {
	e.t.Helper()
	first := e.call("GET", "/api/v1/public/votes/"+voteID+"/record", "", nil)
	second := e.call("GET", "/api/v1/public/votes/"+voteID+"/record", "", nil)
	if first.status != 200 || !bytes.Equal(first.body, second.body) {
		e.t.Fatalf("the record: %d, the same bytes twice: %v", first.status, bytes.Equal(first.body, second.body))
	}
	rec, err := record.Decode(first.body)
	if err != nil {
		e.t.Fatal(err)
	}
	docs := map[string][]byte{}
	for _, d := range rec.Documents {
		r := e.call("GET", "/api/v1/votes/"+voteID+"/documents/"+d.Name, e.tokens["secretariat"], nil)
		if r.status != 200 {
			e.t.Fatalf("document %s: %d", d.Name, r.status)
		}
		docs[d.Name] = r.body
	}
	rep := record.DecodeAndVerify(first.body, docs, record.Options{})
	if !rep.OK() || len(rec.Documents) < 2 {
		e.t.Fatalf("the record does not verify (%d documents):\n%s", len(rec.Documents), rep)
	}
	return rec
}

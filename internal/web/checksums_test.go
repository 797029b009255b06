package web_test

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"tinnhiem/internal/audit"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/protocol"
	"tinnhiem/internal/record"
	"tinnhiem/internal/store"
	"tinnhiem/internal/tally"
	"tinnhiem/internal/testdb"
	"tinnhiem/internal/vote"
)

// recomputeSums is what a member's browser does with GET /votes/{id}/encrypted-ballots before it
// decrypts (docs/PROTOCOL.md §11.2), in Go: the sums of every ballot's ciphertexts plus the paper
// totals, and their hash. (The browser also checks each ballot's signature and proofs; the Go side
// of those checks is the record verifier's.)
func recomputeSums(t *testing.T, eb vote.EncryptedBallots, rows int) []protocol.Ciphertext {
	t.Helper()
	var cts, extra [][]protocol.EncodedCiphertext
	for _, cb := range eb.Ballots {
		b, err := protocol.ParseBallot(cb.Ballot)
		if err != nil {
			t.Fatal(err)
		}
		if h := b.Hash(); hex.EncodeToString(h[:]) != cb.BallotHash {
			t.Fatalf("ballot %s: not its hash", cb.BallotHash[:16])
		}
		cts = append(cts, b.Ciphertexts())
	}
	for _, raw := range eb.PaperTotals {
		pt, err := protocol.ParsePaperTotals(raw)
		if err != nil {
			t.Fatal(err)
		}
		extra = append(extra, pt.Ciphertexts())
	}
	sums, err := protocol.Sum(rows, cts, extra)
	if err != nil {
		t.Fatal(err)
	}
	return sums
}

// TestBoardChecksTheSumsBeforeDecrypting: the cast encrypted ballots are the board's to read only
// once the vote is closed; the answer holds every ballot, sorted by hash, whose sum (with the sealed
// paper totals) is the sums the board is asked to decrypt; after publication it is exactly the
// record's.
func TestBoardChecksTheSumsBeforeDecrypting(t *testing.T) {
	testdb.Dialects(t, func(t *testing.T, st *store.Store) {
		e := newVoteEnv(t, st, 5)
		sec := e.tokens["secretariat"]
		chair, ubnd := e.officials["chair"].ID, e.officials["ubnd"].ID
		agents := e.boardAgents(3)
		var v voteResponse
		e.must(e.call("POST", "/api/v1/councils/"+e.councilA+"/votes", sec, map[string]any{"kind": "confidence", "title": "LPTN mã hóa",
			"session_name": "Kỳ họp thứ 15", "session_opens_on": "2023-12-06", "vote_date": "2023-12-08", "official_ids": []string{chair, ubnd},
			"ballot_mode": "encrypted"}), 201, &v)
		base := "/api/v1/votes/" + v.ID
		e.must(e.call("PUT", base+"/board", sec, map[string]any{"members": []map[string]any{{"user_id": agents[0].userID, "board_role": "head"},
			{"user_id": agents[1].userID, "board_role": "secretary"}, {"user_id": agents[2].userID, "board_role": "member"}}}), 200, nil)
		c := e.runKeyCeremony(v.ID, agents, 2)
		codes := e.slips(v.ID, agents[1], 5)
		e.must(e.call("POST", base+"/open", agents[0].token, nil), 200, nil)
		for i := 0; i < 4; i++ {
			e.must(e.call("POST", base+"/issuances", agents[0].token, map[string]any{"delegate_id": e.delegates[i].ID}), 201, nil)
		}
		for i, ch := range [][]int{{2, 0}, {0, 1}, {1, -1}, {2, 2}} {
			e.kiosk(codes[i], ch)
		}
		// Not while the vote is open: the ballots would tell who cast when.
		e.wantError(e.call("GET", base+"/encrypted-ballots", agents[0].token, nil), 409, "wrong_status")
		e.must(e.call("PUT", base+"/signed-issuance", agents[0].token, map[string]any{"count": 4}), 200, nil)
		e.must(e.call("POST", base+"/close", agents[0].token, nil), 200, &v)
		// Only the vote's board: not the secretariat, not a board account of the council outside it.
		e.wantError(e.call("GET", base+"/encrypted-ballots", sec, nil), 403, "not_board_member")
		var outsider auth.User
		e.must(e.call("POST", "/api/v1/users", e.tokens["admin"], map[string]any{"username": "bkp.outsider", "password": "password-outsider",
			"full_name": "Ngoài ban", "role": "board", "council_id": e.councilA}), 201, &outsider)
		e.wantError(e.call("GET", base+"/encrypted-ballots", e.login("bkp.outsider", "password-outsider"), nil), 403, "not_board_member")

		var eb vote.EncryptedBallots
		e.must(e.call("GET", base+"/encrypted-ballots", agents[2].token, nil), 200, &eb)
		if eb.VoteID != v.ID || eb.Ceremony.CeremonyID != c.ID || len(eb.Ballots) != 4 || len(eb.CredentialLists) != 1 || len(eb.PaperTotals) != 0 ||
			len(eb.Ceremony.Round1) != 3 || !bytes.Equal(eb.Sums, v.Encryption.Sums) {
			t.Fatalf("the answer: vote %s, ceremony %s, %d ballots, %d lists, %d paper totals, %d round-1 messages",
				eb.VoteID, eb.Ceremony.CeremonyID, len(eb.Ballots), len(eb.CredentialLists), len(eb.PaperTotals), len(eb.Ceremony.Round1))
		}
		if !slices.IsSortedFunc(eb.Ballots, func(a, b record.CastBallot) int { return strings.Compare(a.BallotHash, b.BallotHash) }) {
			t.Fatal("the ballots are not sorted by hash")
		}
		sums := recomputeSums(t, eb, 2)
		if !bytes.Equal(protocol.SumsJSON(sums), v.Encryption.Sums) {
			t.Fatalf("the ballots do not add up to the sums: %s, the server's %s", protocol.SumsJSON(sums), v.Encryption.Sums)
		}
		if h := protocol.SumsHash(v.ID, sums); hex.EncodeToString(h[:]) != eb.SumsHash {
			t.Fatalf("sums hash %s", eb.SumsHash)
		}
		// The attack the check stops: one row's sum replaced by one ballot's ciphertext no longer
		// equals the sum of the ballots.
		one, _ := protocol.ParseBallot(eb.Ballots[0].Ballot)
		tampered := slices.Clone(sums)
		tampered[1].A, _ = protocol.DecodePoint(one.Ciphertexts()[1].Alpha[:], false)
		tampered[1].B, _ = protocol.DecodePoint(one.Ciphertexts()[1].Beta[:], false)
		if bytes.Equal(protocol.SumsJSON(tampered), v.Encryption.Sums) {
			t.Fatal("a ballot's ciphertext passes for the sum")
		}

		// Decrypt, certify, announce, publish: the answer is then the record's, byte for byte.
		for _, a := range agents[:2] {
			pd, err := protocol.PartialDecrypt(rand.Reader, a.key, v.ID, sums)
			if err != nil {
				t.Fatal(err)
			}
			e.must(e.call("POST", base+"/partial-decryptions", a.token, pd), 200, &v)
		}
		var res tally.Result
		e.must(e.call("GET", base+"/tally", sec, nil), 200, &res)
		e.must(e.call("GET", base, sec, nil), 200, &v)
		anchor, err := audit.ParseAnchor(v.AuditAnchor)
		if err != nil {
			t.Fatal(err)
		}
		th, _ := hex.DecodeString(res.TallyHash)
		ah, _ := hex.DecodeString(anchor.Hash)
		for _, a := range agents {
			cert := protocol.Certify(a.key, v.ID, [32]byte(th), string(v.PercentageBase), [32]byte(ah), uint64(anchor.Count))
			e.must(e.call("POST", base+"/certifications", a.token, map[string]any{"tally_hash": res.TallyHash, "statement": cert}), 200, &v)
		}
		e.must(e.call("POST", base+"/announce", agents[0].token, nil), 200, nil)
		e.must(e.call("POST", base+"/publish", sec, map[string]any{"resolution_number": "52/NQ-HĐND", "adopted_on": "2023-12-08"}), 200, nil)
		rec := e.checkRecord(v.ID)
		after := e.call("GET", base+"/encrypted-ballots", agents[0].token, nil)
		if after.status != 200 {
			t.Fatalf("after publication: %d %s", after.status, after.body)
		}
		var got struct {
			Ceremony        json.RawMessage `json:"ceremony"`
			CredentialLists json.RawMessage `json:"credential_lists"`
			Ballots         json.RawMessage `json:"ballots"`
			PaperTotals     json.RawMessage `json:"paper_totals"`
			Sums            json.RawMessage `json:"sums"`
		}
		if err := json.Unmarshal(after.body, &got); err != nil {
			t.Fatal(err)
		}
		for name, pair := range map[string][2]any{"ballots": {got.Ballots, rec.Encrypted.Ballots}, "credential_lists": {got.CredentialLists, rec.Encrypted.CredentialLists},
			"paper_totals": {got.PaperTotals, rec.Encrypted.PaperTotals}, "sums": {got.Sums, rec.Encrypted.Sums}, "ceremony": {got.Ceremony, rec.Encrypted.Ceremony}} {
			want, _ := json.Marshal(pair[1])
			if !bytes.Equal(pair[0].(json.RawMessage), want) {
				t.Errorf("%s: the answer differs from the record's\n got %.300s\nwant %.300s", name, pair[0], want)
			}
		}
	})
}

// TestBoardChecksThePaperTotalsInTheSums: on an encrypted hybrid vote the answer carries the sealed
// paper totals, and the ballots plus their rows are the sums.
func TestBoardChecksThePaperTotalsInTheSums(t *testing.T) {
	testdb.Dialects(t, func(t *testing.T, st *store.Store) {
		e := newVoteEnv(t, st, 6)
		agents := e.boardAgents(3)
		_, base := e.paperVote(vote.CastHybrid, 6, map[string]any{"ballot_mode": "encrypted"})
		id := strings.TrimPrefix(base, "/api/v1/votes/")
		e.runKeyCeremony(id, agents, 2)
		codes := e.slips(id, agents[1], 4)
		e.must(e.call("POST", base+"/open", agents[0].token, nil), 200, nil)
		e.issue(base, 6)
		for i, ch := range [][]int{{2, 0}, {0, -1}} {
			e.kiosk(codes[i], ch)
		}
		e.must(e.call("PUT", base+"/paper/issuance", agents[0].token, map[string]any{"paper_issued": 2, "slips_issued": 4}), 200, nil)
		var v voteResponse
		e.must(e.call("POST", base+"/close", agents[0].token, nil), 200, &v)
		e.must(e.call("PUT", base+"/paper/figures", agents[1].token, map[string]any{"received": 2, "returned": 0}), 200, nil)
		e.entry(base, agents[1].token, "1", "lh", "l0")
		e.entry(base, agents[2].token, "1", "lh", "l0")
		// Before the paper totals are sealed: no paper message, and the sums are the ballots' alone.
		var eb vote.EncryptedBallots
		e.must(e.call("GET", base+"/encrypted-ballots", agents[2].token, nil), 200, &eb)
		if len(eb.Ballots) != 2 || len(eb.PaperTotals) != 0 || !bytes.Equal(protocol.SumsJSON(recomputeSums(t, eb, 2)), v.Encryption.Sums) {
			t.Fatalf("before sealing: %d ballots, %d paper totals", len(eb.Ballots), len(eb.PaperTotals))
		}
		var totals vote.PaperTotals
		e.must(e.call("GET", base+"/paper/totals", agents[0].token, nil), 200, &totals)
		m, err := protocol.ParseManifest(v.Encryption.Manifest)
		if err != nil {
			t.Fatal(err)
		}
		tt := make([][]uint64, len(totals.Counts))
		for i, row := range totals.Counts {
			for _, x := range row {
				tt[i] = append(tt[i], uint64(x))
			}
		}
		pt, openings, err := protocol.EncryptPaperTotals(rand.Reader, m, agents[0].key, uint64(totals.Entered), tt)
		if err != nil {
			t.Fatal(err)
		}
		e.must(e.call("POST", base+"/paper/sealed-totals", agents[0].token, &protocol.PaperSubmission{Totals: pt, Openings: openings}), 200, &v)
		e.must(e.call("GET", base+"/encrypted-ballots", agents[1].token, nil), 200, &eb)
		if len(eb.PaperTotals) != 1 || !strings.Contains(string(eb.PaperTotals[0]), pt.Rows[0].A.Hex()) || strings.Contains(string(eb.PaperTotals[0]), openings[0]) {
			t.Fatalf("the sealed paper totals: %s", eb.PaperTotals)
		}
		if got := protocol.SumsJSON(recomputeSums(t, eb, 2)); !bytes.Equal(got, v.Encryption.Sums) {
			t.Fatalf("ballots and paper totals: %s, the sums %s", got, v.Encryption.Sums)
		}
	})
}

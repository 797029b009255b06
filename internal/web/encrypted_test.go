package web_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"tinnhiem/internal/audit"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/protocol"
	"tinnhiem/internal/store"
	"tinnhiem/internal/tally"
	"tinnhiem/internal/testdb"
	"tinnhiem/internal/vote"
)

// boardAgent is one board member's browser, played in Go with the protocol package.
type boardAgent struct {
	userID, token string
	member        *protocol.Member
	key           *protocol.ShareKey
}

// ceremonyOf reads a ceremony as a member's browser does.
func (e *voteEnv) ceremonyOf(token, id string) vote.Ceremony {
	e.t.Helper()
	var c vote.Ceremony
	e.must(e.call("GET", "/api/v1/ceremonies/"+id, token, nil), 200, &c)
	return c
}

// runKeyCeremony runs the board's key ceremony of an encrypted vote over HTTP, each member in their
// own session: round 1, the transcript fingerprint each browser computes (all equal, and equal to the
// server's), round 2, round 3, and each member reopening their share.
func (e *voteEnv) runKeyCeremony(voteID string, agents []*boardAgent, threshold int) vote.Ceremony {
	e.t.Helper()
	var c vote.Ceremony
	e.must(e.call("POST", "/api/v1/votes/"+voteID+"/ceremony", agents[0].token, map[string]any{"threshold": threshold}), 201, &c)
	members := make([]string, len(c.Members))
	for i, m := range c.Members {
		members[i] = m.UserID
	}
	pc := &protocol.Ceremony{ID: c.ID, CouncilID: c.CouncilID, VoteID: c.VoteID, Threshold: c.Threshold, Members: members}
	for _, a := range agents {
		m, r1, err := protocol.NewMember(rand.Reader, pc, a.userID)
		if err != nil {
			e.t.Fatal(err)
		}
		a.member = m
		e.must(e.call("POST", "/api/v1/ceremonies/"+c.ID+"/round1", a.token, r1), 200, &c)
	}
	round1s := func(c vote.Ceremony) []*protocol.Round1 {
		var out []*protocol.Round1
		for _, m := range c.Members {
			r, err := protocol.ParseRound1(m.Round1)
			if err != nil {
				e.t.Fatal(err)
			}
			out = append(out, r)
		}
		return out
	}
	for _, a := range agents {
		seen := e.ceremonyOf(a.token, c.ID)
		sorted, err := protocol.VerifyRound1(pc, round1s(seen), false)
		if err != nil {
			e.t.Fatal(err)
		}
		if fp := protocol.Fingerprint80(protocol.Transcript(pc, sorted)); fp != seen.Fingerprint {
			e.t.Fatalf("the fingerprint %s read aloud differs from the server's %s", fp, seen.Fingerprint)
		}
		r2, err := a.member.Round2(rand.Reader, round1s(seen))
		if err != nil {
			e.t.Fatal(err)
		}
		e.must(e.call("POST", "/api/v1/ceremonies/"+c.ID+"/round2", a.token, r2), 200, &c)
	}
	for _, a := range agents {
		seen := e.ceremonyOf(a.token, c.ID)
		var others []*protocol.Round2
		for _, m := range seen.Members {
			if m.UserID == a.userID {
				continue
			}
			r, err := protocol.ParseRound2(m.Round2)
			if err != nil {
				e.t.Fatal(err)
			}
			others = append(others, r)
		}
		res, err := a.member.Round3(others)
		if err != nil || res.Complaint != nil {
			e.t.Fatalf("round 3: %v %+v", err, res)
		}
		a.key = res.Key
		e.must(e.call("POST", "/api/v1/ceremonies/"+c.ID+"/round3", a.token, res.Confirmation), 200, &c)
	}
	if c.Status != "complete" {
		e.t.Fatalf("the ceremony is %s after every confirmation", c.Status)
	}
	for _, a := range agents {
		// The member saved the share file and opens it again with the passphrase.
		file, err := protocol.SealShareFile(rand.Reader, a.key, []byte("mật khẩu của "+a.userID), protocol.KDFParams{Memory: 8192, Time: 1, Lanes: 1})
		if err != nil {
			e.t.Fatal(err)
		}
		reopened, err := file.Open([]byte("mật khẩu của " + a.userID))
		if err != nil {
			e.t.Fatal(err)
		}
		r, err := protocol.NewReopen(rand.Reader, reopened)
		if err != nil {
			e.t.Fatal(err)
		}
		e.must(e.call("POST", "/api/v1/ceremonies/"+c.ID+"/reopen", a.token, r), 200, &c)
	}
	return c
}

// slips is the board's browser making the code slips: codes, their public credentials, the list
// signed by one member and sent to the server (the codes never are).
func (e *voteEnv) slips(voteID string, signer *boardAgent, n int) []string {
	e.t.Helper()
	codes := make([]string, n)
	creds := make([][32]byte, n)
	for i := range codes {
		code, err := protocol.NewCode(rand.Reader)
		if err != nil {
			e.t.Fatal(err)
		}
		codes[i] = protocol.FormatCode(code)
		if _, creds[i], err = protocol.Credential(code); err != nil {
			e.t.Fatal(err)
		}
	}
	slices.SortFunc(creds, func(a, b [32]byte) int { return strings.Compare(string(a[:]), string(b[:])) })
	list := protocol.NewCredentialList(voteID, creds, signer.key.Identifier, signer.key.Signer())
	e.must(e.call("POST", "/api/v1/votes/"+voteID+"/credentials", signer.token, list), 201, nil)
	return codes
}

// kiosk casts a ballot as a kiosk does: the code typed, the credential derived, the ballot looked up,
// encrypted, proved and signed. choices: per row, -1 blank, else the level's index.
func (e *voteEnv) kiosk(code string, choices []int) (vote.EncryptedReceipt, *protocol.Ballot) {
	e.t.Helper()
	norm, err := protocol.ParseCode(code)
	if err != nil {
		e.t.Fatal(err)
	}
	priv, pub, err := protocol.Credential(norm)
	if err != nil {
		e.t.Fatal(err)
	}
	var eb vote.EncryptedBallot
	e.must(e.call("POST", "/api/v1/encrypted-ballots/lookup", "", map[string]any{"credential": hex.EncodeToString(pub[:])}), 200, &eb)
	m, err := protocol.ParseManifest(eb.Manifest)
	if err != nil {
		e.t.Fatal(err)
	}
	if eb.Fingerprint != m.Fingerprint() {
		e.t.Fatalf("the kiosk shows %s for a manifest of %s", eb.Fingerprint, m.Fingerprint())
	}
	b, _, err := protocol.EncryptBallot(rand.Reader, m, priv, choices)
	if err != nil {
		e.t.Fatal(err)
	}
	var rec vote.EncryptedReceipt
	e.must(e.call("POST", "/api/v1/encrypted-ballots", "", b), 201, &rec)
	return rec, b
}

// credentialOf is the public credential of a code.
func (e *voteEnv) credentialOf(code string) []byte {
	_, pub, err := protocol.Credential(mustParse(e.t, code))
	if err != nil {
		e.t.Fatal(err)
	}
	return pub[:]
}

func mustParse(t *testing.T, code string) string {
	t.Helper()
	norm, err := protocol.ParseCode(code)
	if err != nil {
		t.Fatal(err)
	}
	return norm
}

func (e *voteEnv) boardAgents(n int) []*boardAgent {
	e.t.Helper()
	agents := []*boardAgent{{userID: e.boardIDs["head"], token: e.board["head"]}, {userID: e.boardIDs["secretary"], token: e.board["secretary"]},
		{userID: e.boardIDs["member"], token: e.board["member"]}}
	for i := 3; i < n; i++ {
		var u auth.User
		name := fmt.Sprintf("bkp.extra%d", i)
		e.must(e.call("POST", "/api/v1/users", e.tokens["admin"], map[string]any{"username": name, "password": "password-" + name,
			"full_name": fmt.Sprintf("Ủy viên %d", i), "role": "board", "council_id": e.councilA}), 201, &u)
		agents = append(agents, &boardAgent{userID: u.ID, token: e.login(name, "password-"+name)})
	}
	return agents
}

// TestEncryptedVoteThroughHTTP runs whole encrypted votes on both databases (a board of 3 with
// threshold 2, and of 7 with threshold 4): the ceremony in the members' own sessions, slips from the
// board's browser, kiosks encrypting, every kind of bad ballot refused, the close, a member missing at
// the decryption, a wrong partial decryption refused by its proof, signed certifications; the counts
// equal a hand count of the same choices, and no readable mark exists anywhere in the database.
func TestEncryptedVoteThroughHTTP(t *testing.T) {
	for _, size := range []struct{ n, threshold int }{{3, 2}, {7, 4}} {
		t.Run(fmt.Sprintf("board of %d, threshold %d", size.n, size.threshold), func(t *testing.T) {
			testdb.Dialects(t, func(t *testing.T, st *store.Store) { encryptedVote(t, st, size.n, size.threshold) })
		})
	}
}

func encryptedVote(t *testing.T, st *store.Store, n, threshold int) {
	e := newVoteEnv(t, st, 6)
	sec := e.tokens["secretariat"]
	chair, ubnd := e.officials["chair"].ID, e.officials["ubnd"].ID
	agents := e.boardAgents(n)
	var v voteResponse
	e.must(e.call("POST", "/api/v1/councils/"+e.councilA+"/votes", sec, map[string]any{"kind": "confidence", "title": "LPTN mã hóa",
		"session_name": "Kỳ họp thứ 15", "session_opens_on": "2023-12-06", "vote_date": "2023-12-08", "official_ids": []string{chair, ubnd},
		"ballot_mode": "encrypted"}), 201, &v)
	base := "/api/v1/votes/" + v.ID
	roles := []string{"head", "secretary"}
	var members []map[string]any
	for i, a := range agents {
		role := "member"
		if i < len(roles) {
			role = roles[i]
		}
		members = append(members, map[string]any{"user_id": a.userID, "board_role": role})
	}
	e.must(e.call("PUT", base+"/board", sec, map[string]any{"members": members}), 200, nil)
	// Plain codes are not for an encrypted vote; nor may it open before its ceremony.
	if r := e.call("POST", base+"/codes", agents[0].token, map[string]any{"count": 1}); r.status != 409 {
		t.Fatalf("server-made codes for an encrypted vote: %d", r.status)
	}
	if r := e.call("POST", base+"/open", agents[0].token, nil); r.status != 409 {
		t.Fatalf("opened before the ceremony: %d", r.status)
	}
	c := e.runKeyCeremony(v.ID, agents, threshold)
	if c.Threshold != threshold || c.Fingerprint == "" {
		t.Fatalf("ceremony: %+v", c)
	}
	// The board is frozen from the ceremony on.
	if r := e.call("PUT", base+"/board", sec, map[string]any{"members": members[:3]}); r.status != 409 {
		t.Fatalf("the board changed after the ceremony: %d", r.status)
	}
	codes := e.slips(v.ID, agents[1], 6)
	e.must(e.call("GET", base, sec, nil), 200, &v)
	if v.Encryption == nil || v.Encryption.Credentials != 6 || len(v.Encryption.CredentialLists) != 1 || !v.Encryption.CeremonyReady {
		t.Fatalf("encryption before the opening: %+v", v.Encryption)
	}
	e.must(e.call("POST", base+"/open", agents[0].token, nil), 200, &v)
	for i := 0; i < 6; i++ {
		e.must(e.call("POST", base+"/issuances", agents[0].token, map[string]any{"delegate_id": e.delegates[i].ID}), 201, nil)
	}
	// Four delegates cast (levels: 0 high, 1 medium, 2 low; -1 blank).
	choices := [][]int{{2, 0}, {2, 1}, {2, -1}, {0, 0}}
	var receipts []vote.EncryptedReceipt
	var cast []*protocol.Ballot
	for i, ch := range choices {
		rec, b := e.kiosk(codes[i], ch)
		receipts, cast = append(receipts, rec), append(cast, b)
	}
	// The kiosk's retry after a lost answer: the same bytes, the same answer.
	var again vote.EncryptedReceipt
	e.must(e.call("POST", "/api/v1/encrypted-ballots", "", cast[0]), 200, &again)
	if again.TrackingCode != receipts[0].TrackingCode || !again.Replay {
		t.Fatalf("the resend: %+v", again)
	}
	// Every kind of bad ballot is refused, by name, and spends nothing.
	norm, _ := protocol.ParseCode(codes[4])
	priv, _, _ := protocol.Credential(norm)
	var eb vote.EncryptedBallot
	_, pub, _ := protocol.Credential(norm)
	e.must(e.call("POST", "/api/v1/encrypted-ballots/lookup", "", map[string]any{"credential": hex.EncodeToString(pub[:])}), 200, &eb)
	m, _ := protocol.ParseManifest(eb.Manifest)
	good, goodSecrets, _ := protocol.EncryptBallot(rand.Reader, m, priv, []int{0, 2})
	tamper := func(b any, path string, f func(map[string]any)) []byte {
		raw, _ := json.Marshal(b)
		var j map[string]any
		json.Unmarshal(raw, &j)
		f(j)
		out, _ := json.Marshal(j)
		return out
	}
	flip := func(s string) string {
		b := []byte(s)
		if b[10] == '0' {
			b[10] = '1'
		} else {
			b[10] = '0'
		}
		return string(b)
	}
	rows := func(j map[string]any) []any { return j["rows"].([]any) }
	for name, body := range map[string][]byte{
		"a proof's response altered": tamper(good, "", func(j map[string]any) {
			p := rows(j)[1].(map[string]any)["proof"].([]any)[2].(map[string]any)
			p["s"] = flip(p["s"].(string))
		}),
		"a ciphertext altered after signing": tamper(good, "", func(j map[string]any) {
			r := rows(j)[0].(map[string]any)
			r["beta"] = flip(r["beta"].(string))
		}),
		"the signature altered": tamper(good, "", func(j map[string]any) { j["signature"] = flip(j["signature"].(string)) }),
		"a row missing":         tamper(good, "", func(j map[string]any) { j["rows"] = rows(j)[:1] }),
		"an unknown field":      tamper(good, "", func(j map[string]any) { j["choices"] = []any{} }),
	} {
		if r := e.call("POST", "/api/v1/encrypted-ballots", "", body); r.status != 422 {
			t.Errorf("%s: %d %s", name, r.status, r.body)
		}
	}
	// A forged credential (not one the board registered) is refused.
	forged := ed25519.NewKeyFromSeed(make([]byte, 32))
	bad, _, _ := protocol.EncryptBallot(rand.Reader, m, forged, []int{0, 0})
	if r := e.call("POST", "/api/v1/encrypted-ballots", "", bad); r.status != 403 {
		t.Fatalf("a forged credential: %d %s", r.status, r.body)
	}
	// A replay: a cast ballot's rows copied under another registered credential fail their proofs
	// (the challenge binds the credential); a kiosk that reuses a cast ballot's randomness under that
	// credential makes valid proofs, but repeats its ciphertexts: refused too.
	copied := *good
	copied.Rows = cast[1].Rows
	copied.Signature = protocol.Sign(priv, copied.Hash())
	if r := e.call("POST", "/api/v1/encrypted-ballots", "", &copied); r.status != 422 {
		t.Fatalf("copied rows under another credential: %d %s", r.status, r.body)
	}
	e.must(e.call("POST", "/api/v1/encrypted-ballots", "", good), 201, nil)
	replayed, err := protocol.BuildBallot(m, [32]byte(e.credentialOf(codes[5])), []int{1, 3}, goodSecrets.Seed)
	if err != nil {
		t.Fatal(err)
	}
	priv5, _, _ := protocol.Credential(mustParse(t, codes[5]))
	replayed.Signature = protocol.Sign(priv5, replayed.Hash())
	if r := e.call("POST", "/api/v1/encrypted-ballots", "", replayed); r.status != 409 || !strings.Contains(string(r.body), "ciphertext") && !strings.Contains(string(r.body), "bản mã") {
		t.Fatalf("a replayed ciphertext: %d %s", r.status, r.body)
	}
	// The genuine ballot of that credential went through (nothing before it spent it).
	var rec vote.EncryptedReceipt
	e.must(e.call("POST", "/api/v1/encrypted-ballots", "", good), 200, &rec)
	choices = append(choices, []int{0, 2})
	receipts = append(receipts, rec)
	other, _, _ := protocol.EncryptBallot(rand.Reader, m, priv, []int{1, 1})
	if r := e.call("POST", "/api/v1/encrypted-ballots", "", other); r.status != 409 {
		t.Fatalf("a second ballot under a spent credential: %d", r.status)
	}
	e.must(e.call("PUT", base+"/signed-issuance", agents[0].token, map[string]any{"count": 6}), 200, nil)
	e.must(e.call("POST", base+"/close", agents[0].token, nil), 200, &v)
	if r := e.call("GET", base+"/tally", sec, nil); r.status != 409 {
		t.Fatalf("a tally before the decryption: %d", r.status)
	}
	sums, err := protocol.ParseSums(v.Encryption.Sums)
	if err != nil {
		t.Fatal(err)
	}
	// A wrong partial decryption is refused by its proof; the member can still send a right one.
	wrong, _ := protocol.PartialDecrypt(rand.Reader, agents[0].key, v.ID, sums)
	raw, _ := json.Marshal(wrong)
	var pj map[string]any
	json.Unmarshal(raw, &pj)
	pr := pj["rows"].([]any)[0].(map[string]any)
	pr["d"] = protocol.Generator().Hex()
	raw, _ = json.Marshal(pj)
	if r := e.call("POST", base+"/partial-decryptions", agents[0].token, raw); r.status != 422 {
		t.Fatalf("a wrong partial decryption: %d %s", r.status, r.body)
	}
	// Only the threshold's worth of members decrypt: the others are absent.
	for i := 0; i < threshold; i++ {
		pd, err := protocol.PartialDecrypt(rand.Reader, agents[i].key, v.ID, sums)
		if err != nil {
			t.Fatal(err)
		}
		e.must(e.call("POST", base+"/partial-decryptions", agents[i].token, pd), 200, &v)
	}
	if !v.Encryption.Decrypted {
		t.Fatalf("not decrypted with %d partials", threshold)
	}
	var res tally.Result
	e.must(e.call("GET", base+"/tally", sec, nil), 200, &res)
	// The hand count of the same choices.
	want := [2][3]int{}
	blank := [2]int{}
	for _, ch := range choices {
		for row, l := range ch {
			if l < 0 {
				blank[row]++
			} else {
				want[row][l]++
			}
		}
	}
	for row, s := range res.Subjects {
		if s.Counts["high"] != want[row][0] || s.Counts["medium"] != want[row][1] || s.Counts["low"] != want[row][2] || s.Blank != blank[row] {
			t.Fatalf("row %d: %+v, want %v blank %d", row, s, want[row], blank[row])
		}
	}
	if res.BallotsReceived != 5 || res.Subjects[0].Percentages["low"] != "50.00" {
		t.Fatalf("totals: %+v", res)
	}
	// Certifications signed with the ceremony keys, over the tally, the base and the anchor.
	e.must(e.call("GET", base, sec, nil), 200, &v)
	anchor, err := audit.ParseAnchor(v.AuditAnchor)
	if err != nil {
		t.Fatal(err)
	}
	th, _ := hex.DecodeString(res.TallyHash)
	ah, _ := hex.DecodeString(anchor.Hash)
	for i, a := range agents {
		if 2*i >= n+1 && i >= threshold { // a majority certifies; the rest are recorded absent
			e.must(e.call("POST", base+"/absences", agents[0].token, map[string]any{"user_id": a.userID}), 200, &v)
			continue
		}
		cert := protocol.Certify(a.key, v.ID, [32]byte(th), string(v.PercentageBase), [32]byte(ah), uint64(anchor.Count))
		if i == 0 {
			if r := e.call("POST", base+"/certifications", a.token, map[string]any{"tally_hash": res.TallyHash}); r.status != 422 {
				t.Fatalf("an unsigned certification of an encrypted vote: %d", r.status)
			}
			forgedCert := protocol.Certify(agents[1].key, v.ID, [32]byte(th), string(v.PercentageBase), [32]byte(ah), uint64(anchor.Count))
			if r := e.call("POST", base+"/certifications", a.token, map[string]any{"tally_hash": res.TallyHash, "statement": forgedCert}); r.status != 422 {
				t.Fatalf("a statement signed by another member: %d", r.status)
			}
		}
		e.must(e.call("POST", base+"/certifications", a.token, map[string]any{"tally_hash": res.TallyHash, "statement": cert}), 200, &v)
	}
	if v.Status != vote.Certified {
		t.Fatalf("status after the certifications: %s", v.Status)
	}
	e.must(e.call("POST", base+"/announce", agents[0].token, nil), 200, nil)
	e.must(e.call("POST", base+"/publish", sec, map[string]any{"resolution_number": "52/NQ-HĐND", "adopted_on": "2023-12-08"}), 200, nil)
	for _, a := range agents {
		e.must(e.call("POST", "/api/v1/ceremonies/"+c.ID+"/destructions", a.token, protocol.NewDestruction(a.key)), 200, nil)
	}
	// The public record: every ballot, the ceremony, the partials and the signed certifications; it
	// verifies from the record alone.
	if rec := e.checkRecord(v.ID); rec.Encrypted == nil || len(rec.Encrypted.Ballots) != 5 || len(rec.Encrypted.Certifications) < 2 {
		t.Fatalf("the record: %+v", rec.Encrypted)
	}
	// No readable mark anywhere: the plaintext ballots table holds nothing of this vote, the sealed
	// encrypted ballots only ciphertexts; no table holds a code.
	var plain int64
	st.DB().Raw("SELECT COUNT(*) FROM ballots WHERE vote_id = ?", v.ID).Scan(&plain)
	var sealed int64
	st.DB().Raw("SELECT COUNT(*) FROM encrypted_ballots WHERE vote_id = ?", v.ID).Scan(&sealed)
	if plain != 0 || sealed != 5 {
		t.Fatalf("plain ballots %d, sealed encrypted %d", plain, sealed)
	}
	for table, text := range dumpTables(t, st) {
		for _, code := range codes {
			if strings.Contains(text, code) || strings.Contains(text, strings.ReplaceAll(code, "-", "")) {
				t.Fatalf("a code is stored in %s", table)
			}
		}
	}
}

// TestCeremonyAttacksAndRecovery: a server that swaps a member's keys is caught by the fingerprints
// the members read aloud; a complaint aborts the ceremony naming both members, and the board can then
// be changed and a new ceremony run; members who lost their shares below the threshold let the board
// cancel the closed vote at once.
func TestCeremonyAttacksAndRecovery(t *testing.T) {
	st := testdb.SQLite(t)
	e := newVoteEnv(t, st, 4)
	sec := e.tokens["secretariat"]
	chair := e.officials["chair"].ID
	agents := e.boardAgents(3)
	var v voteResponse
	e.must(e.call("POST", "/api/v1/councils/"+e.councilA+"/votes", sec, map[string]any{"kind": "confidence", "title": "LPTN",
		"session_name": "Kỳ họp", "session_opens_on": "2023-12-06", "vote_date": "2023-12-08", "official_ids": []string{chair}, "ballot_mode": "encrypted"}), 201, &v)
	base := "/api/v1/votes/" + v.ID
	e.must(e.call("PUT", base+"/board", sec, map[string]any{"members": []map[string]any{{"user_id": agents[0].userID, "board_role": "head"},
		{"user_id": agents[1].userID, "board_role": "secretary"}, {"user_id": agents[2].userID, "board_role": "member"}}}), 200, nil)
	var c vote.Ceremony
	e.must(e.call("POST", base+"/ceremony", agents[0].token, map[string]any{}), 201, &c)
	// Once the ceremony has begun, the board is frozen and the ballot mode fixed.
	r := e.call("PUT", base+"/board", sec, map[string]any{"members": []map[string]any{{"user_id": agents[0].userID, "board_role": "head"},
		{"user_id": agents[1].userID, "board_role": "member"}, {"user_id": agents[2].userID, "board_role": "secretary"}}})
	if env := e.envelope(r); r.status != 409 || env.Error.Code != "board_frozen_ceremony" {
		t.Fatalf("board change during a ceremony: %d %s", r.status, r.body)
	}
	r = e.call("PUT", base, sec, map[string]any{"kind": "confidence", "title": "LPTN", "session_name": "Kỳ họp",
		"session_opens_on": "2023-12-06", "vote_date": "2023-12-08", "official_ids": []string{chair}, "ballot_mode": "plain"})
	if env := e.envelope(r); r.status != 422 || !strings.Contains(env.Error.Fields["ballot_mode"], "hình thức phiếu") {
		t.Fatalf("ballot mode change after the ceremony began: %d %s", r.status, r.body)
	}
	members := []string{c.Members[0].UserID, c.Members[1].UserID, c.Members[2].UserID}
	pc := &protocol.Ceremony{ID: c.ID, CouncilID: c.CouncilID, VoteID: c.VoteID, Threshold: c.Threshold, Members: members}
	mine := map[string]*protocol.Round1{}
	for _, a := range agents {
		m, r1, err := protocol.NewMember(rand.Reader, pc, a.userID)
		if err != nil {
			t.Fatal(err)
		}
		a.member, mine[a.userID] = m, r1
		e.must(e.call("POST", "/api/v1/ceremonies/"+c.ID+"/round1", a.token, r1), 200, nil)
	}
	// The server swaps member 2's keys in what member 1 is shown (a fresh, validly signed round 1).
	_, forged, err := protocol.NewMember(rand.Reader, pc, agents[1].userID)
	if err != nil {
		t.Fatal(err)
	}
	fingerprint := func(view map[string]*protocol.Round1) string {
		var list []*protocol.Round1
		for _, r := range view {
			list = append(list, r)
		}
		sorted, err := protocol.VerifyRound1(pc, list, false)
		if err != nil {
			t.Fatal(err)
		}
		return protocol.Fingerprint80(protocol.Transcript(pc, sorted))
	}
	shownTo1 := map[string]*protocol.Round1{agents[0].userID: mine[agents[0].userID], agents[1].userID: forged, agents[2].userID: mine[agents[2].userID]}
	if fingerprint(shownTo1) == fingerprint(mine) {
		t.Fatal("a swapped key left the fingerprint the members read aloud unchanged")
	}
	// A complaint (a share that failed its check) aborts the ceremony, naming both members.
	seen := e.ceremonyOf(agents[0].token, c.ID)
	var r1s []*protocol.Round1
	for _, m := range seen.Members {
		r, _ := protocol.ParseRound1(m.Round1)
		r1s = append(r1s, r)
	}
	for _, a := range agents {
		r2, err := a.member.Round2(rand.Reader, r1s)
		if err != nil {
			t.Fatal(err)
		}
		e.must(e.call("POST", "/api/v1/ceremonies/"+c.ID+"/round2", a.token, r2), 200, nil)
	}
	accused, _ := protocol.DeriveIdentifier(agents[1].userID)
	e.must(e.call("POST", "/api/v1/ceremonies/"+c.ID+"/round3", agents[2].token, agents[2].member.Complain(accused, protocol.ReasonShare)), 200, &c)
	if c.Status != "aborted" || !strings.Contains(c.AbortReason, "complaint") {
		t.Fatalf("after a complaint: %s %q", c.Status, c.AbortReason)
	}
	var events []audit.Event
	e.must(e.call("GET", "/api/v1/audit?vote_id="+v.ID, sec, nil), 200, &events)
	last := events[len(events)-1]
	if last.Action != "ceremony.abort" || !strings.Contains(last.Summary, agents[1].userID) || !strings.Contains(last.Summary, agents[2].userID) {
		t.Fatalf("the abort does not name both members: %+v", last)
	}
	// After the abort the board may change, and a new ceremony runs.
	e.must(e.call("PUT", base+"/board", sec, map[string]any{"members": []map[string]any{{"user_id": agents[0].userID, "board_role": "head"},
		{"user_id": agents[1].userID, "board_role": "secretary"}, {"user_id": agents[2].userID, "board_role": "member"}}}), 200, nil)
	c = e.runKeyCeremony(v.ID, agents, 2)
	codes := e.slips(v.ID, agents[0], 3)
	e.must(e.call("POST", base+"/open", agents[0].token, nil), 200, nil)
	e.must(e.call("POST", base+"/issuances", agents[0].token, map[string]any{"delegate_id": e.delegates[0].ID}), 201, nil)
	e.kiosk(codes[0], []int{2})
	e.must(e.call("POST", base+"/close", agents[0].token, nil), 200, nil)
	// Two of three lose their share: one is left, the threshold is two: the count cannot be made, and
	// one member cancels the closed vote at once.
	e.must(e.call("POST", "/api/v1/ceremonies/"+c.ID+"/lost", agents[1].token, nil), 200, nil)
	e.must(e.call("POST", base+"/cancel", agents[0].token, map[string]any{"reason": "Mất khóa"}), 200, &v)
	if v.Status != vote.Closed {
		t.Fatalf("one confirmation of three cancelled while two shares remain: %s", v.Status)
	}
	e.must(e.call("POST", "/api/v1/ceremonies/"+c.ID+"/lost", agents[2].token, nil), 200, nil)
	e.must(e.call("POST", base+"/cancel", agents[1].token, map[string]any{"reason": "Không đủ khóa để giải mã"}), 200, &v)
	if v.Status != vote.Cancelled {
		t.Fatalf("fewer shares than the threshold: %s", v.Status)
	}
}

// TestTrackingCodesAndChallenges: a delegate challenges a ballot at the kiosk (spoiled: only its
// tracking code kept, never counted), casts another with the same code, and checks both tracking
// codes — while the vote is open and after the close — on both databases.
func TestTrackingCodesAndChallenges(t *testing.T) {
	testdb.Dialects(t, func(t *testing.T, st *store.Store) {
		e := newVoteEnv(t, st, 3)
		sec := e.tokens["secretariat"]
		agents := e.boardAgents(3)
		var v voteResponse
		e.must(e.call("POST", "/api/v1/councils/"+e.councilA+"/votes", sec, map[string]any{"kind": "confidence", "title": "LPTN",
			"session_name": "Kỳ họp", "session_opens_on": "2023-12-06", "vote_date": "2023-12-08",
			"official_ids": []string{e.officials["chair"].ID}, "ballot_mode": "encrypted"}), 201, &v)
		base := "/api/v1/votes/" + v.ID
		e.must(e.call("PUT", base+"/board", sec, map[string]any{"members": []map[string]any{{"user_id": agents[0].userID, "board_role": "head"},
			{"user_id": agents[1].userID, "board_role": "secretary"}, {"user_id": agents[2].userID, "board_role": "member"}}}), 200, nil)
		e.runKeyCeremony(v.ID, agents, 2)
		codes := e.slips(v.ID, agents[0], 3)
		e.must(e.call("POST", base+"/open", agents[0].token, nil), 200, nil)
		e.must(e.call("POST", base+"/issuances", agents[0].token, map[string]any{"delegate_id": e.delegates[0].ID}), 201, nil)

		// The hall's phones see the vote in progress: subjects and fingerprint, no figure of the count.
		var current []vote.CurrentVote
		e.must(e.call("GET", "/api/v1/public/current-votes", "", nil), 200, &current)
		if len(current) != 1 || current[0].ID != v.ID || current[0].Fingerprint == "" || len(current[0].Subjects) != 1 || current[0].Status != vote.Open {
			t.Fatalf("current votes: %+v", current)
		}
		// "Kiểm tra máy": the kiosk sends the challenged ballot, then shows its randomness.
		priv, pub, _ := protocol.Credential(mustParse(t, codes[0]))
		var eb vote.EncryptedBallot
		e.must(e.call("POST", "/api/v1/encrypted-ballots/lookup", "", map[string]any{"credential": hex.EncodeToString(pub[:])}), 200, &eb)
		m, _ := protocol.ParseManifest(eb.Manifest)
		challenged, _, err := protocol.EncryptBallot(rand.Reader, m, priv, []int{2})
		if err != nil {
			t.Fatal(err)
		}
		var spoiled vote.EncryptedReceipt
		e.must(e.call("POST", "/api/v1/encrypted-ballots/spoiled", "", challenged), 200, &spoiled)
		if !spoiled.Spoiled || spoiled.TrackingCode == "" {
			t.Fatalf("spoiled: %+v", spoiled)
		}
		lookup := func(code string) vote.TrackingAnswer {
			var a vote.TrackingAnswer
			e.must(e.call("POST", "/api/v1/tracking-codes/lookup", "", map[string]any{"vote_id": v.ID, "tracking_code": code}), 200, &a)
			return a
		}
		if a := lookup(strings.ToLower(spoiled.TrackingCode)); !a.Recorded || !a.Spoiled || a.Status != vote.Open {
			t.Fatalf("the spoiled tracking code: %+v", a)
		}
		// The challenged ballot itself can never be cast: its randomness was shown, so it could prove
		// its content (a kiosk whose cast failed must not offer it again, and the server refuses it).
		e.wantError(e.call("POST", "/api/v1/encrypted-ballots", "", challenged), 409, "ballot_spoiled")
		// Then the real ballot, with the same code and other choices.
		cast, _ := e.kiosk(codes[0], []int{0})
		if a := lookup(cast.ReceiptQR); !a.Recorded || a.Spoiled || a.TrackingCode != cast.TrackingCode {
			t.Fatalf("the cast tracking code: %+v", a)
		}
		var unknown [64]byte
		if a := lookup(protocol.TrackingCode(unknown)); a.Recorded {
			t.Fatalf("an unknown tracking code is recorded: %+v", a)
		}
		e.wantError(e.call("POST", "/api/v1/tracking-codes/lookup", "", map[string]any{"vote_id": v.ID, "tracking_code": "ABC"}), 422, "validation_failed")
		e.wantError(e.call("POST", "/api/v1/encrypted-ballots/spoiled", "", challenged), 409, "code_spent")
		e.must(e.call("POST", base+"/close", agents[0].token, nil), 200, nil)
		if a := lookup(spoiled.TrackingCode); !a.Recorded || !a.Spoiled || a.Status != vote.Closed {
			t.Fatalf("after the close, the spoiled tracking code: %+v", a)
		}
		if a := lookup(cast.TrackingCode); !a.Recorded || a.Spoiled {
			t.Fatalf("after the close, the cast tracking code: %+v", a)
		}
		var n int64
		st.DB().Raw("SELECT COUNT(*) FROM spoiled_ballots WHERE vote_id = ?", v.ID).Scan(&n)
		if n != 1 {
			t.Fatalf("%d spoiled ballots sealed", n)
		}
	})
}

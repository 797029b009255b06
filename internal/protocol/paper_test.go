package protocol

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/gtank/ristretto255"
)

// paperVote is a small hybrid vote: a 2-of-3 board, 4 rows of 3 levels, electronic ballots and
// settled paper totals.
type paperVote struct {
	b       *board
	m       *Manifest
	ballots [][]EncodedCiphertext
	choices [][]int
	paperN  uint64
	totals  [][]uint64
}

func newPaperVote(t *testing.T, seed string) *paperVote {
	t.Helper()
	rng := newTestRNG(seed)
	v := &paperVote{b: runCeremony(t, rng, testCeremony(3, 2))}
	v.m = testManifest(v.b.res.GroupKey, 3, 4, 11)
	v.choices = [][]int{{0, 1, 2, -1}, {0, 0, 2, 1}, {2, -1, 0, 0}}
	for _, ch := range v.choices {
		priv, _, err := Credential(mustCode(t, rng))
		if err != nil {
			t.Fatal(err)
		}
		bl, _, err := EncryptBallot(rng, v.m, priv, ch)
		if err != nil {
			t.Fatal(err)
		}
		v.ballots = append(v.ballots, bl.Ciphertexts())
	}
	v.paperN = 5
	v.totals = [][]uint64{{3, 1, 0}, {0, 0, 0}, {1, 1, 3}, {2, 2, 1}}
	return v
}

// want is the hand count: electronic choices plus the paper totals.
func (v *paperVote) want() [][]uint64 {
	out := make([][]uint64, v.m.Rows)
	for i := range out {
		out[i] = append([]uint64(nil), v.totals[i]...)
		for _, ch := range v.choices {
			if ch[i] >= 0 {
				out[i][ch[i]]++
			}
		}
	}
	return out
}

func (v *paperVote) encrypt(t *testing.T, rng *testRNG) (*PaperTotals, []string) {
	t.Helper()
	pt, openings, err := EncryptPaperTotals(rng, v.m, v.b.keys[0], v.paperN, v.totals)
	if err != nil {
		t.Fatal(err)
	}
	return pt, openings
}

func TestPaperTotalsAreAddedBeforeDecryption(t *testing.T) {
	v := newPaperVote(t, "paper whole vote")
	rng := newTestRNG("paper whole vote: board")
	pt, openings := v.encrypt(t, rng)

	// The member's browser sends the submission; the server decodes and checks it, and keeps the message.
	sub, err := ParsePaperSubmission(mustJSONOf(t, &PaperSubmission{Totals: pt, Openings: openings}))
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckPaperSubmission(v.b.res, v.m, sub, v.paperN, v.totals); err != nil {
		t.Fatal(err)
	}
	stored, err := ParsePaperTotals(mustJSONOf(t, sub.Totals))
	if err != nil {
		t.Fatal(err)
	}
	if stored.Hash() != pt.Hash() || !reflect.DeepEqual(mustJSONOf(t, stored), mustJSONOf(t, pt)) {
		t.Fatal("the message does not survive its encoding")
	}
	// The verifier's check of the record: structure, member, manifest, signature under round 1's key.
	if err := CheckPaperTotals(v.b.res, v.m, stored); err != nil {
		t.Fatal(err)
	}

	sums, err := Sum(v.m.Rows, v.ballots, [][]EncodedCiphertext{stored.Ciphertexts()})
	if err != nil {
		t.Fatal(err)
	}
	var ps []*PartialDecryption
	for _, k := range v.b.keys[1:] {
		p, err := PartialDecrypt(rng, k, v.m.VoteID, sums)
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	if err := VerifyPartials(v.b.res, v.m.VoteID, sums, ps); err != nil {
		t.Fatal(err)
	}
	vs, err := Combine(v.b.res, sums, ps)
	if err != nil {
		t.Fatal(err)
	}
	total := uint64(len(v.ballots)) + stored.Ballots
	counts, err := Counts(v.m.Levels, v.m.Radix, total, vs)
	if err != nil {
		t.Fatal(err)
	}
	if want := v.want(); !reflect.DeepEqual(counts, want) {
		t.Fatalf("got %v, want electronic + paper %v", counts, want)
	}
	if err := CheckCounts(v.m.Levels, v.m.Radix, total, vs, v.want()); err != nil {
		t.Fatal(err)
	}
}

func TestPaperOnlyVoteDecryptsThePaperTotals(t *testing.T) {
	v := newPaperVote(t, "paper only")
	rng := newTestRNG("paper only: board")
	pt, _ := v.encrypt(t, rng)
	sums, err := Sum(v.m.Rows, nil, [][]EncodedCiphertext{pt.Ciphertexts()})
	if err != nil {
		t.Fatal(err)
	}
	var ps []*PartialDecryption
	for _, k := range v.b.keys[:2] {
		p, _ := PartialDecrypt(rng, k, v.m.VoteID, sums)
		ps = append(ps, p)
	}
	vs, err := Combine(v.b.res, sums, ps)
	if err != nil {
		t.Fatal(err)
	}
	counts, err := Counts(v.m.Levels, v.m.Radix, v.paperN, vs)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(counts, v.totals) {
		t.Fatalf("got %v, want %v", counts, v.totals)
	}
}

// Why the openings are never stored nor published (§13): with r_i, anyone could take r_i·Y_j off each
// published partial decryption D_{j,i} = s_j·(A_e + r_i·G), combine the electronic sums alone and
// read the split.
func TestPaperOpeningsWouldRevealTheSplit(t *testing.T) {
	v := newPaperVote(t, "paper split")
	rng := newTestRNG("paper split: board")
	pt, openings := v.encrypt(t, rng)
	electronic, _ := Sum(v.m.Rows, v.ballots, nil)
	sums, _ := Sum(v.m.Rows, v.ballots, [][]EncodedCiphertext{pt.Ciphertexts()})
	var ps []*PartialDecryption
	for _, k := range v.b.keys[:2] {
		p, _ := PartialDecrypt(rng, k, v.m.VoteID, sums)
		ps = append(ps, p)
	}
	for _, p := range ps {
		mk, _ := v.b.res.Member(p.Identifier)
		for i := range p.Rows {
			r, _ := ParseScalarHex("r", openings[i])
			ry := ristretto255.NewIdentityElement().ScalarMult(r, &mk.VerifyingShare.e)
			p.Rows[i].D = NewPoint(ry.Subtract(&p.Rows[i].D.e, ry))
		}
	}
	vs, _ := Combine(v.b.res, electronic, ps)
	counts, err := Counts(v.m.Levels, v.m.Radix, uint64(len(v.ballots)), vs)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]uint64{{2, 0, 1}, {1, 1, 0}, {1, 0, 2}, {1, 1, 0}}
	if !reflect.DeepEqual(counts, want) {
		t.Fatalf("got %v, want the electronic counts %v", counts, want)
	}
}

func TestEncryptPaperTotalsRefusesImpossibleTotals(t *testing.T) {
	v := newPaperVote(t, "paper refusals")
	other := runCeremony(t, newTestRNG("another board"), testCeremony(2, 2))
	cases := []struct {
		name    string
		k       *ShareKey
		ballots uint64
		totals  [][]uint64
		code    string
		field   string
	}{
		{"a row adds up to more than the paper ballots", v.b.keys[0], 4, [][]uint64{{3, 1, 0}, {0, 0, 0}, {1, 1, 3}, {2, 2, 0}}, CodeRange, "totals[2]"},
		{"a count reaches the radix", v.b.keys[0], 10, [][]uint64{{0, 0, 0}, {0, 11, 0}, {0, 0, 0}, {0, 0, 0}}, CodeRange, "totals[1][1]"},
		{"the paper ballots reach the radix", v.b.keys[0], 11, v.totals, CodeRange, "ballots"},
		{"too few rows", v.b.keys[0], 5, v.totals[:3], CodeLength, "totals"},
		{"a row without a level", v.b.keys[0], 5, [][]uint64{{3, 1}, {0, 0, 0}, {1, 1, 3}, {2, 2, 1}}, CodeLength, "totals[0]"},
		{"a member of another ceremony", other.keys[0], 5, v.totals, CodeMismatch, "public_key"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := EncryptPaperTotals(newTestRNG("r"), v.m, c.k, c.ballots, c.totals)
			wantErr(t, err, c.code, c.field)
		})
	}
}

func TestPaperOpeningsNameTheFirstBadRow(t *testing.T) {
	v := newPaperVote(t, "paper openings")
	pt, openings := v.encrypt(t, newTestRNG("paper openings: board"))
	swapped := append([]string(nil), openings...)
	swapped[1], swapped[2] = swapped[2], swapped[1]
	otherTotals := [][]uint64{{3, 1, 0}, {0, 0, 0}, {1, 2, 2}, {2, 2, 1}}
	zero := append([]string(nil), openings...)
	zero[3] = strings.Repeat("0", 64)
	big := append([]string(nil), openings...)
	big[0] = strings.Repeat("f", 64)
	cases := []struct {
		name     string
		openings []string
		ballots  uint64
		totals   [][]uint64
		code     string
		field    string
	}{
		{"another number of paper ballots", openings, 6, v.totals, CodeMismatch, "ballots"},
		{"the openings of two rows swapped", swapped, 5, v.totals, CodeMismatch, "openings[1]"},
		{"the board attested other totals for a row", openings, 5, otherTotals, CodeMismatch, "rows[2].beta"},
		{"a zero opening", zero, 5, v.totals, CodeRange, "openings[3]"},
		{"a non-canonical opening", big, 5, v.totals, CodeScalar, "openings[0]"},
		{"a missing opening", openings[:3], 5, v.totals, CodeLength, "openings"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantErr(t, CheckPaperOpenings(v.m, pt, c.openings, c.ballots, c.totals), c.code, c.field)
		})
	}
	if err := CheckPaperOpenings(v.m, pt, openings, v.paperN, v.totals); err != nil {
		t.Fatal(err)
	}
	// Through the submission, the message's fields are named under paper_totals.
	s := &PaperSubmission{Totals: pt, Openings: openings}
	wantErr(t, CheckPaperSubmission(v.b.res, v.m, s, 5, otherTotals), CodeMismatch, "paper_totals.rows[2].beta")
	wantErr(t, CheckPaperSubmission(v.b.res, v.m, s, 6, v.totals), CodeMismatch, "paper_totals.ballots")
	wantErr(t, CheckPaperSubmission(v.b.res, v.m, &PaperSubmission{Totals: pt, Openings: swapped}, 5, v.totals), CodeMismatch, "openings[1]")
}

// edit decodes a message's JSON into a map, lets f change it, and encodes it again.
func edit(t *testing.T, js []byte, f func(o map[string]any)) []byte {
	t.Helper()
	var o map[string]any
	if err := json.Unmarshal(js, &o); err != nil {
		t.Fatal(err)
	}
	f(o)
	b, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParsePaperTotalsRefusals(t *testing.T) {
	v := newPaperVote(t, "paper parse")
	pt, _ := v.encrypt(t, newTestRNG("paper parse: board"))
	js := mustJSONOf(t, pt)
	row := func(o map[string]any, i int) map[string]any { return o["rows"].([]any)[i].(map[string]any) }
	cases := []struct {
		name  string
		f     func(o map[string]any)
		code  string
		field string
	}{
		{"an unknown field", func(o map[string]any) { o["paper"] = true }, CodeJSON, ""},
		{"a missing field", func(o map[string]any) { delete(o, "ballots") }, CodeJSON, "ballots"},
		{"version 2", func(o map[string]any) { o["version"] = 2 }, CodeVersion, "version"},
		{"an empty vote id", func(o map[string]any) { o["vote_id"] = "" }, CodeLength, "vote_id"},
		{"a ceremony id of 129 bytes", func(o map[string]any) { o["ceremony_id"] = strings.Repeat("c", 129) }, CodeLength, "ceremony_id"},
		{"a zero identifier", func(o map[string]any) { o["identifier"] = strings.Repeat("0", 64) }, CodeRange, "identifier"},
		{"a short manifest hash", func(o map[string]any) { o["manifest_hash"] = strings.Repeat("a", 126) }, CodeLength, "manifest_hash"},
		{"more than 2^32 paper ballots", func(o map[string]any) { o["ballots"] = uint64(1<<32 + 1) }, CodeRange, "ballots"},
		{"negative paper ballots", func(o map[string]any) { o["ballots"] = -1 }, CodeJSON, "ballots"},
		{"no rows", func(o map[string]any) { o["rows"] = []any{} }, CodeLength, "rows"},
		{"an unknown row field", func(o map[string]any) { row(o, 1)["proof"] = "" }, CodeJSON, ""},
		{"the identity as alpha", func(o map[string]any) { row(o, 2)["alpha"] = strings.Repeat("0", 64) }, CodeIdentity, "rows[2].alpha"},
		{"the identity as beta", func(o map[string]any) { row(o, 0)["beta"] = strings.Repeat("0", 64) }, CodeIdentity, "rows[0].beta"},
		{"a non-canonical beta", func(o map[string]any) { row(o, 3)["beta"] = strings.Repeat("f", 64) }, CodePoint, "rows[3].beta"},
		{"upper-case hex", func(o map[string]any) { row(o, 0)["alpha"] = strings.ToUpper(row(o, 0)["alpha"].(string)) }, CodeHex, "rows[0].alpha"},
		{"a short signature", func(o map[string]any) { o["signature"] = "00" }, CodeLength, "signature"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParsePaperTotals(edit(t, js, c.f))
			wantErr(t, err, c.code, c.field)
		})
	}
	if _, err := ParsePaperTotals(append(append([]byte(nil), js...), "{}"...)); err == nil {
		t.Fatal("data after the message was accepted")
	}
}

func TestCheckPaperTotalsRefusals(t *testing.T) {
	v := newPaperVote(t, "paper check")
	pt, _ := v.encrypt(t, newTestRNG("paper check: board"))
	resign := func(p *PaperTotals) *PaperTotals { p.Signature = Sign(v.b.keys[0].Signer(), p.Hash()); return p }
	copyOf := func() *PaperTotals {
		c := *pt
		c.Rows = append([]Ciphertext(nil), pt.Rows...)
		return &c
	}
	outsider, _ := DeriveIdentifier("outsider")
	m2 := *v.m
	m2.SubjectsHash = SubjectsHash([]string{"b", "a"})
	cases := []struct {
		name  string
		pt    *PaperTotals
		m     *Manifest
		code  string
		field string
	}{
		{"another vote", func() *PaperTotals { c := copyOf(); c.VoteID = "vote-2"; return resign(c) }(), v.m, CodeMismatch, "vote_id"},
		{"another ceremony", func() *PaperTotals { c := copyOf(); c.CeremonyID = "ceremony-2"; return resign(c) }(), v.m, CodeMismatch, "ceremony_id"},
		{"not a member", func() *PaperTotals { c := copyOf(); c.Identifier = outsider; return resign(c) }(), v.m, CodeMismatch, "identifier"},
		{"another subject order", pt, &m2, CodeMismatch, "manifest_hash"},
		{"a row missing", func() *PaperTotals { c := copyOf(); c.Rows = c.Rows[:3]; return resign(c) }(), v.m, CodeLength, "rows"},
		{"the paper ballots reach the radix", func() *PaperTotals { c := copyOf(); c.Ballots = 11; return resign(c) }(), v.m, CodeRange, "ballots"},
		{"two rows with one alpha", func() *PaperTotals { c := copyOf(); c.Rows[3].A = c.Rows[1].A; return resign(c) }(), v.m, CodeDuplicate, "rows[3].alpha"},
		{"signed by another member", func() *PaperTotals { c := copyOf(); c.Identifier = v.b.keys[1].Identifier; return resign(c) }(), v.m, CodeSignature, "signature"},
		{"one more paper ballot, not signed", func() *PaperTotals { c := copyOf(); c.Ballots++; return c }(), v.m, CodeSignature, "signature"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantErr(t, CheckPaperTotals(v.b.res, c.m, c.pt), c.code, c.field)
		})
	}
	if err := VerifyPaperSignature(pt, v.b.keys[0].SigningKey()); err != nil {
		t.Fatal(err)
	}
	wantErr(t, VerifyPaperSignature(pt, v.b.keys[1].SigningKey()), CodeSignature, "signature")
}

func TestParsePaperSubmissionRefusals(t *testing.T) {
	v := newPaperVote(t, "paper submission")
	pt, openings := v.encrypt(t, newTestRNG("paper submission: board"))
	js := mustJSONOf(t, &PaperSubmission{Totals: pt, Openings: openings})
	cases := []struct {
		name  string
		f     func(o map[string]any)
		code  string
		field string
	}{
		{"an unknown field", func(o map[string]any) { o["totals"] = []any{} }, CodeJSON, ""},
		{"no openings", func(o map[string]any) { delete(o, "openings") }, CodeJSON, "openings"},
		{"a message field missing", func(o map[string]any) { delete(o["paper_totals"].(map[string]any), "rows") }, CodeJSON, "paper_totals.rows"},
		{"a bad point in the message", func(o map[string]any) {
			o["paper_totals"].(map[string]any)["rows"].([]any)[1].(map[string]any)["alpha"] = strings.Repeat("f", 64)
		}, CodePoint, "paper_totals.rows[1].alpha"},
		{"an opening too few", func(o map[string]any) { o["openings"] = o["openings"].([]any)[:3] }, CodeLength, "openings"},
		{"a zero opening", func(o map[string]any) { o["openings"].([]any)[2] = strings.Repeat("0", 64) }, CodeRange, "openings[2]"},
		{"an opening of 31 bytes", func(o map[string]any) { o["openings"].([]any)[0] = strings.Repeat("1", 62) }, CodeLength, "openings[0]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParsePaperSubmission(edit(t, js, c.f))
			wantErr(t, err, c.code, c.field)
		})
	}
}

func mustJSONOf(t *testing.T, m json.Marshaler) []byte {
	t.Helper()
	b, err := m.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

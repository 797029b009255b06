package protocol

import (
	"encoding/json"
	"errors"
	"go/parser"
	"go/token"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gtank/ristretto255"
)

func wantErr(t *testing.T, err error, code, field string) *Error {
	t.Helper()
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("got %v, want a %s error at %q", err, code, field)
	}
	if pe.Code != code || pe.Field != field {
		t.Fatalf("got %s at %q (%v), want %s at %q", pe.Code, pe.Field, err, code, field)
	}
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("%v does not match ErrInvalid", err)
	}
	return pe
}

func TestHexAndEncodingsAreStrict(t *testing.T) {
	g := Generator().Hex()
	_, err := ParsePointHex("y", strings.ToUpper(g), false)
	wantErr(t, err, CodeHex, "y")
	_, err = ParsePointHex("y", g[:62], false)
	wantErr(t, err, CodeLength, "y")
	_, err = ParsePointHex("y", g+"0", false)
	wantErr(t, err, CodeLength, "y")
	_, err = ParsePointHex("y", strings.Repeat("0", 64), false)
	wantErr(t, err, CodeIdentity, "y")
	if p, err := ParsePointHex("y", strings.Repeat("0", 64), true); err != nil || !p.IsIdentity() {
		t.Fatalf("the identity must decode where it is allowed: %v", err)
	}
	_, err = ParseScalarHex("s", "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010")
	wantErr(t, err, CodeScalar, "s")
	if _, err := DecodeScalar(make([]byte, 31)); err == nil {
		t.Fatal("a 31-byte scalar decoded")
	}
}

func TestCodesCatchEveryTypoAndAdjacentSwap(t *testing.T) {
	rng := newTestRNG("codes")
	for k := 0; k < 20; k++ {
		c := mustCode(t, rng)
		if got, err := ParseCode(" " + strings.ToLower(FormatCode(c)) + " "); err != nil || got != c {
			t.Fatalf("%s: %v", c, err)
		}
		for i := 0; i < CodeLen; i++ {
			for _, ch := range Alphabet {
				if byte(ch) == c[i] {
					continue
				}
				if _, err := ParseCode(c[:i] + string(ch) + c[i+1:]); err == nil {
					t.Fatalf("typo at %d of %s not caught", i, c)
				}
			}
			if i < CodeLen-1 && c[i] != c[i+1] {
				if _, err := ParseCode(c[:i] + string(c[i+1]) + string(c[i]) + c[i+2:]); err == nil {
					t.Fatalf("swap at %d of %s not caught", i, c)
				}
			}
		}
	}
	// Crockford's reading of look-alike letters.
	c := "0000000000000000000010"
	c = c[:20] + string(checkDigit(c[:20]))
	if got, err := ParseCode(strings.ReplaceAll(strings.ReplaceAll(c, "0", "o"), "1", "L")); err != nil || got != c {
		t.Fatalf("look-alikes: %v", err)
	}
	if _, err := ParseCode("U" + c[1:]); err == nil {
		t.Fatal("U is outside the alphabet")
	}
	if _, err := ParseCodeQR("TN2:" + c); err == nil {
		t.Fatal("another QR prefix accepted")
	}
}

type voteFixture struct {
	b       *board
	m       *Manifest
	ballots []*Ballot
	privs   []string // codes
	secrets []*Secrets
}

func newVoteFixture(t *testing.T, seed string, n int) *voteFixture {
	rng := newTestRNG(seed)
	f := &voteFixture{b: runCeremony(t, rng, testCeremony(3, 2))}
	f.m = testManifest(f.b.res.GroupKey, 3, 4, 21)
	for i := 0; i < n; i++ {
		code := mustCode(t, rng)
		priv, _, _ := Credential(code)
		bl, sec, err := EncryptBallot(rng, f.m, priv, []int{i % 3, (i + 1) % 3, -1, 2})
		if err != nil {
			t.Fatal(err)
		}
		f.ballots, f.privs, f.secrets = append(f.ballots, bl), append(f.privs, code), append(f.secrets, sec)
	}
	return f
}

// tamper returns a re-signed copy of ballot i after f changed it.
func (f *voteFixture) tamper(i int, change func(b *Ballot)) *Ballot {
	js, _ := f.ballots[i].MarshalJSON()
	b, _ := ParseBallot(js)
	change(b)
	priv, _, _ := Credential(f.privs[i])
	b.Signature = Sign(priv, b.Hash())
	return b
}

func TestVerifyBallotsNamesTheFailure(t *testing.T) {
	f := newVoteFixture(t, "named", 6)
	if err := VerifyBallots(f.m, f.ballots); err != nil {
		t.Fatal(err)
	}
	with := func(i int, b *Ballot) []*Ballot {
		bs := append([]*Ballot(nil), f.ballots...)
		bs[i] = b
		return bs
	}
	// A response changed: the batch fails, the term is named.
	bad := f.tamper(4, func(b *Ballot) { b.Rows[2].Proof[1].S.Add(&b.Rows[2].Proof[1].S, scalarU64(1)) })
	pe := wantErr(t, VerifyBallots(f.m, with(4, bad)), CodeProof, "rows[2].proof[1]")
	if pe.Index != 4 {
		t.Fatalf("ballot %d named, want 4", pe.Index)
	}
	// A commitment changed: the challenge no longer matches.
	bad = f.tamper(1, func(b *Ballot) { b.Rows[0].Proof[0].A = Generator() })
	wantErr(t, VerifyBallots(f.m, with(1, bad)), CodeProof, "rows[0].proof")
	// A ciphertext replaced by another encryption with the proof kept.
	bad = f.tamper(2, func(b *Ballot) {
		b.Rows[3].Beta = NewPoint(ristretto255.NewIdentityElement().Add(&b.Rows[3].Beta.e, ristretto255.NewGeneratorElement()))
	})
	wantErr(t, VerifyBallots(f.m, with(2, bad)), CodeProof, "rows[3].proof")
	// The same randomness in two rows.
	bad = f.tamper(0, func(b *Ballot) { b.Rows[1].Alpha = b.Rows[0].Alpha })
	wantErr(t, VerifyBallots(f.m, with(0, bad)), CodeDuplicate, "rows[1].alpha")
	// Shape.
	bad = f.tamper(0, func(b *Ballot) { b.VoteID = "vote-2" })
	wantErr(t, VerifyBallots(f.m, with(0, bad)), CodeMismatch, "vote_id")
	// A kiosk given another subject order (a server serving a permuted list) is caught.
	permuted := *f.m
	permuted.SubjectsHash = SubjectsHash([]string{"b", "a", "c", "d"})
	wantErr(t, VerifyBallots(&permuted, f.ballots[:1]), CodeMismatch, "manifest_hash")
	bad = f.tamper(0, func(b *Ballot) { b.Rows = b.Rows[:3] })
	wantErr(t, VerifyBallots(f.m, with(0, bad)), CodeLength, "rows")
	bad = f.tamper(0, func(b *Ballot) { b.Rows[3].Proof = b.Rows[3].Proof[:3] })
	wantErr(t, VerifyBallots(f.m, with(0, bad)), CodeLength, "rows[3].proof")
	// A signature by another credential: the proofs are bound to the credential.
	other, pub, _ := Credential(f.privs[1])
	bad = f.tamper(0, func(b *Ballot) { b.Credential = pub })
	bad.Signature = Sign(other, bad.Hash())
	wantErr(t, VerifyBallots(f.m, with(0, bad)), CodeProof, "rows[0].proof")
	// A ballot encrypted under another key than the manifest's, claiming the manifest.
	m2 := *f.m
	m2.PublicKey = Generator()
	wantErr(t, VerifyBallots(&m2, f.ballots[:1]), CodeMismatch, "manifest_hash")
	bad = f.tamper(0, func(b *Ballot) { b.ManifestHash = m2.Hash() })
	wantErr(t, VerifyBallots(&m2, []*Ballot{bad}), CodeProof, "rows[0].proof")
}

func TestParseBallotIsStrict(t *testing.T) {
	f := newVoteFixture(t, "strict", 1)
	js, _ := f.ballots[0].MarshalJSON()
	var v map[string]any
	json.Unmarshal(js, &v)
	set := func(change func(map[string]any)) []byte {
		var c map[string]any
		json.Unmarshal(js, &c)
		change(c)
		b, _ := json.Marshal(c)
		return b
	}
	_, err := ParseBallot(set(func(c map[string]any) { c["extra"] = 1 }))
	wantErr(t, err, CodeJSON, "")
	_, err = ParseBallot(append(append([]byte(nil), js...), []byte(" {}")...))
	wantErr(t, err, CodeJSON, "")
	_, err = ParseBallot(set(func(c map[string]any) { c["version"] = 2 }))
	wantErr(t, err, CodeVersion, "version")
	_, err = ParseBallot(set(func(c map[string]any) { delete(c, "rows") }))
	wantErr(t, err, CodeJSON, "rows")
	_, err = ParseBallot(set(func(c map[string]any) { c["rows"] = []any{} }))
	wantErr(t, err, CodeLength, "rows")
	_, err = ParseBallot(set(func(c map[string]any) {
		c["rows"].([]any)[2].(map[string]any)["proof"].([]any)[1].(map[string]any)["b"] = strings.Repeat("0", 64)
	}))
	wantErr(t, err, CodeIdentity, "rows[2].proof[1].b")
	_, err = ParseBallot(set(func(c map[string]any) { c["credential"] = strings.Repeat("0", 64) }))
	wantErr(t, err, CodeKey, "credential")
	_, err = ParseBallot(set(func(c map[string]any) { c["rows"].([]any)[0].(map[string]any)["alpha"] = 7 }))
	wantErr(t, err, CodeJSON, "rows.alpha")
}

func TestBenalohReveal(t *testing.T) {
	f := newVoteFixture(t, "reveal", 1)
	r := NewReveal(f.m, f.ballots[0], f.secrets[0])
	js, _ := r.MarshalJSON()
	back, err := ParseReveal(js)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := CheckReveal(back); err != nil {
		t.Fatal(err)
	}
	// The kiosk showed this tracking code but the delegate had chosen otherwise.
	back.Options[1] = (back.Options[1] + 1) % 4
	_, err = CheckReveal(back)
	wantErr(t, err, CodeMismatch, "tracking_code")
	back.Options[1] = 9
	_, err = CheckReveal(back)
	wantErr(t, err, CodeRange, "options[1]")
	if len(js) > 700 {
		t.Fatalf("a 4-row reveal has %d bytes", len(js))
	}
}

func TestCeremonyComplaintNamesBothSides(t *testing.T) {
	rng := newTestRNG("complaint")
	c := testCeremony(3, 2)
	var members []*Member
	var r1 []*Round1
	for _, u := range c.Members {
		m, r, err := NewMember(rng, c, u)
		if err != nil {
			t.Fatal(err)
		}
		members, r1 = append(members, m), append(r1, r)
	}
	var r2 []*Round2
	for _, m := range members {
		r, err := m.Round2(rng, r1)
		if err != nil {
			t.Fatal(err)
		}
		r2 = append(r2, r)
	}
	// Member 1 cheats: it encrypts a wrong share to member 0 and signs its message.
	cheat := members[1]
	for i := range r2[1].Shares {
		s := &r2[1].Shares[i]
		if s.Recipient != members[0].id {
			continue
		}
		key, aad, _ := shareCipherKey(cheat.e, &r1[0].CeremonyKey, cheat.transcript, c.ID, cheat.id, members[0].id)
		wrong := evalPoly(cheat.coeffs, members[0].id.scalar())
		wrong.Add(wrong, scalarU64(1))
		sealed := mustAEAD(key).Seal(nil, s.Nonce[:], wrong.Bytes(), aad)
		copy(s.Ciphertext[:], sealed)
	}
	r2[1].Signature = Sign(cheat.signer, r2[1].statement(cheat.transcript))
	res, err := members[0].Round3([]*Round2{r2[1], r2[2]})
	if err != nil {
		t.Fatal(err)
	}
	if res.Complaint == nil || res.Complaint.Accused != members[1].id || res.Complaint.Reason != ReasonShare {
		t.Fatalf("got %+v, want a complaint against member 1", res)
	}
	sorted, _ := VerifyRound1(c, r1, false)
	pub, _ := ComputeResult(c, sorted)
	if err := pub.CheckComplaint(res.Complaint); err != nil {
		t.Fatal(err)
	}
	// A share that does not decrypt.
	r2[2].Shares[0].Ciphertext[3] ^= 1
	r2[2].Signature = Sign(members[2].signer, r2[2].statement(members[2].transcript))
	res, err = members[0].Round3([]*Round2{r2[2]})
	if err == nil {
		t.Fatal("a missing round-2 message was accepted")
	}
	res, err = members[1].Round3([]*Round2{r2[0], r2[2]})
	if err != nil {
		t.Fatal(err)
	}
	if res.Complaint == nil || res.Complaint.Accused != members[2].id || res.Complaint.Reason != ReasonDecrypt {
		t.Fatalf("got %+v, want a decrypt complaint against member 2", res)
	}
}

// The server swaps member 2's round-1 message (ceremony key, signing key, commitments) in what it
// shows member 0: member 0 computes another fingerprint, and its confirmation is refused.
func TestSwappedCeremonyKeyIsCaughtByTheFingerprint(t *testing.T) {
	rng := newTestRNG("swap")
	c := testCeremony(3, 2)
	b := runCeremony(t, rng, c)
	// The server's own member 2, with the same user id.
	_, forged, err := NewMember(rng, c, c.Members[2])
	if err != nil {
		t.Fatal(err)
	}
	shown := []*Round1{b.r1[0], b.r1[1], forged}
	sorted, err := VerifyRound1(c, shown, false)
	if err != nil {
		t.Fatal(err) // every message is well signed: only the fingerprint can catch it
	}
	if Fingerprint80(Transcript(c, sorted)) == b.res.Fingerprint() {
		t.Fatal("the swapped key did not change the fingerprint")
	}
	victim, _, _ := NewMember(newTestRNG("swap"), c, c.Members[0]) // member 0 again, same randomness
	if _, err := victim.Round2(rng, shown); err != nil {
		t.Fatal(err)
	}
	if victim.Transcript() == b.res.Transcript {
		t.Fatal("same transcript")
	}
	conf := *b.r3[0].Confirmation
	conf.Transcript = victim.Transcript()
	conf.Signature = Sign(victim.signer, conf.statement())
	if err := b.res.CheckConfirmation(&conf); err == nil {
		t.Fatal("a confirmation of another transcript was accepted")
	}
}

func TestShareFile(t *testing.T) {
	b := runCeremony(t, newTestRNG("file"), testCeremony(3, 2))
	k := b.keys[1]
	f, err := SealShareFile(newTestRNG("seal"), k, []byte("đúng rồi"), vectorKDF)
	if err != nil {
		t.Fatal(err)
	}
	js, _ := f.MarshalJSON()
	t.Logf("share file: %d bytes of JSON", len(js))
	back, err := ParseShareFile(js)
	if err != nil {
		t.Fatal(err)
	}
	got, err := back.Open([]byte("đúng rồi"))
	if err != nil {
		t.Fatal(err)
	}
	if got.SigningShare.Equal(&k.SigningShare) != 1 || got.SigningKey() != k.SigningKey() || got.Fingerprint != k.Fingerprint {
		t.Fatal("the reopened share key differs")
	}
	_, err = back.Open([]byte("sai rồi"))
	wantErr(t, err, CodeDecrypt, "ciphertext")
	back.Fingerprint = "AAAA-AAAA-AAAA-AAAA"
	_, err = back.Open([]byte("đúng rồi"))
	wantErr(t, err, CodeDecrypt, "ciphertext")
	_, err = SealShareFile(newTestRNG("x"), k, []byte("x"), KDFParams{Memory: 1 << 30, Time: 1, Lanes: 1})
	wantErr(t, err, CodeRange, "kdf.m")
	r, err := NewReopen(newTestRNG("reopen"), got)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.res.CheckReopen(r); err != nil {
		t.Fatal(err)
	}
	r.Z.Add(&r.Z, scalarU64(1))
	r.Signature = Sign(got.Signer(), r.statement())
	wantErr(t, b.res.CheckReopen(r), CodeProof, "z")
}

func TestPartialDecryptionsAndCombination(t *testing.T) {
	f := newVoteFixture(t, "partials", 5)
	var enc [][]EncodedCiphertext
	for _, bl := range f.ballots {
		enc = append(enc, bl.Ciphertexts())
	}
	sums, err := Sum(f.m.Rows, enc, nil)
	if err != nil {
		t.Fatal(err)
	}
	rng := newTestRNG("pd")
	var ps []*PartialDecryption
	for _, k := range f.b.keys {
		p, err := PartialDecrypt(rng, k, f.m.VoteID, sums)
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	if err := VerifyPartials(f.b.res, f.m.VoteID, sums, ps); err != nil {
		t.Fatal(err)
	}
	// Every subset of at least t members gives the same result.
	want, _ := Combine(f.b.res, sums, ps)
	for _, set := range [][]int{{0, 1}, {1, 2}, {2, 0}} {
		got, err := Combine(f.b.res, sums, []*PartialDecryption{ps[set[0]], ps[set[1]]})
		if err != nil {
			t.Fatal(err)
		}
		for i := range got {
			if !got[i].Equal(want[i]) {
				t.Fatalf("subset %v row %d differs", set, i)
			}
		}
	}
	if _, err := Combine(f.b.res, sums, ps[:1]); err == nil {
		t.Fatal("one share combined")
	}
	counts, err := Counts(f.m.Levels, f.m.Radix, 5, want)
	if err != nil {
		t.Fatal(err)
	}
	wantCounts := [][]uint64{{2, 2, 1}, {1, 2, 2}, {0, 0, 0}, {0, 0, 5}}
	eq(t, "counts", counts, wantCounts)
	// A wrong partial decryption, properly signed, is refused by its proof and named.
	bad := *ps[2]
	bad.Rows = append([]DecryptionShare(nil), bad.Rows...)
	bad.Rows[3].D = NewPoint(ristretto255.NewIdentityElement().Add(&bad.Rows[3].D.e, ristretto255.NewGeneratorElement()))
	bad.Signature = Sign(f.b.keys[2].Signer(), bad.statement())
	pe := wantErr(t, VerifyPartials(f.b.res, f.m.VoteID, sums, []*PartialDecryption{ps[0], ps[1], &bad}), CodeProof, "rows[3]")
	if pe.Index != 2 {
		t.Fatalf("submission %d named, want 2", pe.Index)
	}
	wantErr(t, VerifyPartials(f.b.res, f.m.VoteID, sums, []*PartialDecryption{ps[0], ps[0]}), CodeDuplicate, "identifier")
	other := append([]Ciphertext(nil), sums...)
	other[0] = sums[1]
	wantErr(t, VerifyPartials(f.b.res, f.m.VoteID, other, ps[:1]), CodeMismatch, "sums_hash")
	// The verifier's check of published counts.
	if err := CheckCounts(f.m.Levels, f.m.Radix, 5, want, wantCounts); err != nil {
		t.Fatal(err)
	}
	wrong := [][]uint64{{2, 2, 1}, {1, 2, 2}, {0, 0, 0}, {0, 1, 4}}
	wantErr(t, CheckCounts(f.m.Levels, f.m.Radix, 5, want, wrong), CodeMismatch, "counts[3]")
	wantErr(t, CheckCounts(f.m.Levels, f.m.Radix, 4, want, wantCounts), CodeRange, "counts[0]")
}

func TestNoBallotAtAll(t *testing.T) {
	b := runCeremony(t, newTestRNG("empty"), testCeremony(3, 2))
	sums, err := Sum(3, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	js := SumsJSON(sums)
	if sums, err = ParseSums(js); err != nil {
		t.Fatal(err)
	}
	var ps []*PartialDecryption
	for _, k := range b.keys[:2] {
		p, err := PartialDecrypt(newTestRNG("e"), k, "vote-1", sums)
		if err != nil {
			t.Fatal(err)
		}
		pj, _ := p.MarshalJSON()
		if p, err = ParsePartialDecryption(pj); err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	if err := VerifyPartials(b.res, "vote-1", sums, ps); err != nil {
		t.Fatal(err)
	}
	vs, _ := Combine(b.res, sums, ps)
	counts, err := Counts(3, 11, 0, vs)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "counts", counts, [][]uint64{{0, 0, 0}, {0, 0, 0}, {0, 0, 0}})
}

func TestCountsFindsEveryDecomposition(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		levels, rows int
		total, radix uint64
	}{{1, 3, 40, 41}, {2, 50, 500, 501}, {3, 10, 120, 121}, {3, 4, 7, 8}, {4, 3, 30, 31}, {2, 1, 0, 2}} {
		var vs []Point
		var want [][]uint64
		for i := 0; i < tc.rows; i++ {
			c := make([]uint64, tc.levels)
			left := tc.total
			switch i % 3 {
			case 0: // random
				for j := range c {
					c[j] = r.Uint64N(left + 1)
					left -= c[j]
				}
			case 1: // everything on the last level
				c[tc.levels-1] = tc.total
			}
			var v, p uint64 = 0, 1
			for _, x := range c {
				v += x * p
				p *= tc.radix
			}
			vs = append(vs, NewPoint(ristretto255.NewIdentityElement().ScalarBaseMult(scalarU64(v))))
			want = append(want, c)
		}
		got, err := Counts(tc.levels, tc.radix, tc.total, vs)
		if err != nil {
			t.Fatalf("%+v: %v", tc, err)
		}
		eq(t, "counts", got, want)
	}
	// A sum that is no combination of at most N ballots.
	v := NewPoint(ristretto255.NewIdentityElement().ScalarBaseMult(scalarU64(11*11*11 - 1)))
	_, err := Counts(3, 11, 10, []Point{v})
	wantErr(t, err, CodeLog, "rows[0]")
}

func TestLagrangeInterpolatesAtZero(t *testing.T) {
	rng := newTestRNG("lagrange")
	coeffs := make([]*ristretto255.Scalar, 3)
	for i := range coeffs {
		coeffs[i], _ = RandomScalar(rng)
	}
	var ids []Identifier
	for _, u := range []string{"a", "b", "c", "d", "e"} {
		id, _ := DeriveIdentifier(u)
		ids = append(ids, id)
	}
	l, err := Lagrange(ids[1:4])
	if err != nil {
		t.Fatal(err)
	}
	sum := ristretto255.NewScalar()
	for i, id := range ids[1:4] {
		sum.Add(sum, ristretto255.NewScalar().Multiply(l[i], evalPoly(coeffs, id.scalar())))
	}
	if sum.Equal(coeffs[0]) != 1 {
		t.Fatal("Σ λ_i f(x_i) ≠ f(0)")
	}
	if _, err := Lagrange([]Identifier{ids[0], ids[0]}); err == nil {
		t.Fatal("a repeated identifier was accepted")
	}
}

func TestThresholdAndCeremonyParameters(t *testing.T) {
	for n, want := range map[int]int{2: 2, 3: 2, 4: 3, 5: 3, 7: 4, 9: 5} {
		if got := DefaultThreshold(n); got != want {
			t.Errorf("n = %d: got %d, want %d", n, got, want)
		}
	}
	c := testCeremony(3, 4)
	wantErr(t, c.Validate(), CodeRange, "threshold")
	c = testCeremony(3, 2)
	c.Members[2] = c.Members[1]
	wantErr(t, c.Validate(), CodeDuplicate, "members")
	m := testManifest(Generator(), 3, 50, 1<<21)
	wantErr(t, m.Validate(), CodeRange, "radix")
}

func TestCertificationAndDestruction(t *testing.T) {
	b := runCeremony(t, newTestRNG("cert"), testCeremony(3, 2))
	var tally, anchor [32]byte
	tally[0], anchor[0] = 1, 2
	c := Certify(b.keys[1], "vote-1", tally, "ballots_received", anchor, 7)
	js, _ := c.MarshalJSON()
	back, err := ParseCertification(js)
	if err != nil {
		t.Fatal(err)
	}
	if err := back.Verify(b.keys[1].SigningKey()); err != nil {
		t.Fatal(err)
	}
	wantErr(t, back.Verify(b.keys[0].SigningKey()), CodeSignature, "signature")
	back.AuditCount = 8
	wantErr(t, back.Verify(b.keys[1].SigningKey()), CodeSignature, "signature")
	var m map[string]any
	json.Unmarshal(js, &m)
	delete(m, "audit_count")
	missing, _ := json.Marshal(m)
	_, err = ParseCertification(missing)
	wantErr(t, err, CodeJSON, "audit_count")
	d := NewDestruction(b.keys[2])
	if err := d.Verify(b.keys[2].SigningKey()); err != nil {
		t.Fatal(err)
	}
}

// The verifier imports this package: it must import nothing of the project, and of the outside
// only the standard library, golang.org/x/crypto and the group library.
func TestImportsOnlyTheStandardLibraryAndTheGroup(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	allowed := []string{"golang.org/x/crypto/", "github.com/gtank/ristretto255", "filippo.io/edwards25519"}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range af.Imports {
			path := strings.Trim(imp.Path.Value, `"`)
			ok := !strings.Contains(strings.Split(path, "/")[0], ".")
			for _, a := range allowed {
				ok = ok || strings.HasPrefix(path, a)
			}
			if !ok {
				t.Errorf("%s imports %s", f, path)
			}
		}
	}
	if _, err := os.Stat("groupbench"); err != nil {
		t.Fatal(err)
	}
}

func TestAccumulatorEqualsSum(t *testing.T) {
	f := newVoteFixture(t, "acc", 4)
	acc := NewAccumulator(f.m.Rows)
	var enc [][]EncodedCiphertext
	for _, b := range f.ballots {
		if err := acc.Add(b); err != nil {
			t.Fatal(err)
		}
		enc = append(enc, b.Ciphertexts())
	}
	got, n := acc.Sums()
	want, _ := Sum(f.m.Rows, enc, nil)
	if n != 4 || string(SumsJSON(got)) != string(SumsJSON(want)) {
		t.Fatal("the running sums differ from Sum")
	}
}

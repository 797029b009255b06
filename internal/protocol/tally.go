package protocol

import (
	"encoding/hex"
	"io"
	"runtime"
	"sync"

	"github.com/gtank/ristretto255"
)

// Ciphertext is a decoded ciphertext or encrypted sum (A, B).
type Ciphertext struct{ A, B Point }

// Sum adds the row ciphertexts of all cast ballots, plus any extra ciphertext vectors (the hook for
// the board's encrypted paper totals, §13), componentwise: (A_i, B_i) per row (§11.1). Decoding runs
// on GOMAXPROCS workers; an undecodable ciphertext is named by its vector and row.
func Sum(n int, ballots [][]EncodedCiphertext, extra [][]EncodedCiphertext) ([]Ciphertext, error) {
	all := make([][]EncodedCiphertext, 0, len(ballots)+len(extra))
	all = append(all, ballots...)
	all = append(all, extra...)
	workers := max(1, min(runtime.GOMAXPROCS(0), len(all)))
	type acc struct {
		a, b []*ristretto255.Element
		err  error
	}
	accs := make([]acc, workers)
	var wg sync.WaitGroup
	per := (len(all) + workers - 1) / max(workers, 1)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			ac := acc{a: make([]*ristretto255.Element, n), b: make([]*ristretto255.Element, n)}
			for i := range ac.a {
				ac.a[i], ac.b[i] = ristretto255.NewIdentityElement(), ristretto255.NewIdentityElement()
			}
			var e ristretto255.Element
			for v := w * per; v < min((w+1)*per, len(all)); v++ {
				name := idx("ballots", v)
				if v >= len(ballots) {
					name = idx("extra", v-len(ballots))
				}
				if len(all[v]) != n {
					ac.err = errf(name, CodeLength, "%d rows, expected %d", len(all[v]), n)
					break
				}
				for i := range all[v] {
					if _, err := e.SetCanonicalBytes(all[v][i].Alpha[:]); err != nil || all[v][i].Alpha == identityEnc {
						ac.err = errf(idx(name, i)+".alpha", CodePoint, "not a canonical point")
						break
					}
					ac.a[i].Add(ac.a[i], &e)
					if _, err := e.SetCanonicalBytes(all[v][i].Beta[:]); err != nil || all[v][i].Beta == identityEnc {
						ac.err = errf(idx(name, i)+".beta", CodePoint, "not a canonical point")
						break
					}
					ac.b[i].Add(ac.b[i], &e)
				}
				if ac.err != nil {
					break
				}
			}
			accs[w] = ac
		}(w)
	}
	wg.Wait()
	out := make([]Ciphertext, n)
	for i := 0; i < n; i++ {
		a, b := ristretto255.NewIdentityElement(), ristretto255.NewIdentityElement()
		for _, ac := range accs {
			if ac.err != nil {
				return nil, ac.err
			}
			a.Add(a, ac.a[i])
			b.Add(b, ac.b[i])
		}
		out[i] = Ciphertext{NewPoint(a), NewPoint(b)}
	}
	return out, nil
}

// SumsHash is H("tinnhiem/v1/sums", vote_id, n, A_0, B_0, ...), which partial decryptions sign.
func SumsHash(voteID string, sums []Ciphertext) [64]byte {
	h := newHasher("tinnhiem/v1/sums")
	h.str(voteID)
	h.u64(uint64(len(sums)))
	for i := range sums {
		h.point(&sums[i].A)
		h.point(&sums[i].B)
	}
	return h.sum()
}

// DecryptionShare is one row of a partial decryption: D = s_j·A with its Chaum–Pedersen proof
// (u = wG, v = wA, s).
type DecryptionShare struct {
	D, U, V Point
	S       ristretto255.Scalar
}

// PartialDecryption is a member's signed submission (§11.2).
type PartialDecryption struct {
	Version    int
	VoteID     string
	CeremonyID string
	Identifier Identifier
	SumsHash   [64]byte
	Rows       []DecryptionShare
	Signature  [64]byte
}

func partialChallenge(voteID string, id Identifier, yj *Point, row int, A *Point, r *DecryptionShare) *ristretto255.Scalar {
	h := newHasher("tinnhiem/v1/partial-decryption")
	h.str(voteID)
	h.bytes(id[:])
	h.point(yj)
	h.u64(uint64(row))
	h.point(A)
	h.point(&r.D)
	h.point(&r.U)
	h.point(&r.V)
	return scalarFromHash(h.sum())
}

func (p *PartialDecryption) statement() [64]byte {
	h := newHasher("tinnhiem/v1/partial-decryptions")
	h.str(p.VoteID)
	h.str(p.CeremonyID)
	h.bytes(p.Identifier[:])
	h.bytes(p.SumsHash[:])
	for i := range p.Rows {
		r := &p.Rows[i]
		h.point(&r.D)
		h.point(&r.U)
		h.point(&r.V)
		h.scalar(&r.S)
	}
	return h.sum()
}

// PartialDecrypt computes a member's partial decryption of every encrypted sum with its proofs, and
// signs it. It draws one nonce w (48 bytes) per row from rand.
func PartialDecrypt(rand io.Reader, k *ShareKey, voteID string, sums []Ciphertext) (*PartialDecryption, error) {
	if err := checkID("vote_id", voteID); err != nil {
		return nil, err
	}
	p := &PartialDecryption{Version: 1, VoteID: voteID, CeremonyID: k.CeremonyID, Identifier: k.Identifier,
		SumsHash: SumsHash(voteID, sums), Rows: make([]DecryptionShare, len(sums))}
	for i := range sums {
		w, err := RandomScalar(rand)
		if err != nil {
			return nil, err
		}
		A := &sums[i].A
		r := &p.Rows[i]
		r.D = NewPoint(ristretto255.NewIdentityElement().ScalarMult(&k.SigningShare, &A.e))
		r.U = NewPoint(ristretto255.NewIdentityElement().ScalarBaseMult(w))
		r.V = NewPoint(ristretto255.NewIdentityElement().ScalarMult(w, &A.e))
		c := partialChallenge(voteID, k.Identifier, &k.VerifyingShare, i, A, r)
		r.S.Multiply(c, &k.SigningShare)
		r.S.Add(&r.S, w)
	}
	p.Signature = Sign(k.Signer(), p.statement())
	return p, nil
}

// VerifyPartials checks members' partial decryptions of the sums (§11.2): ids, the sums hash, the
// row count, signatures, and every proof in one batch; the error names the submission (Index) and
// row. Two submissions of one member are refused.
func VerifyPartials(res *CeremonyResult, voteID string, sums []Ciphertext, ps []*PartialDecryption) error {
	sh := SumsHash(voteID, sums)
	seen := map[Identifier]bool{}
	keys := make([]*MemberKey, len(ps))
	for pi, p := range ps {
		if err := checkPartialShape(res, voteID, sh, len(sums), p); err != nil {
			return at(err, "", pi)
		}
		if seen[p.Identifier] {
			return &Error{Index: pi, Field: "identifier", Code: CodeDuplicate, Msg: "a second submission from this member"}
		}
		seen[p.Identifier] = true
		keys[pi], _ = res.Member(p.Identifier)
	}
	bt := newBatch()
	yPts := make([]*ristretto255.Element, len(ps))
	aPts := make([]*ristretto255.Element, len(sums))
	for i := range sums {
		aPts[i] = &sums[i].A.e
	}
	for pi, p := range ps {
		yPts[pi] = &keys[pi].VerifyingShare.e
		for i := range p.Rows {
			addPartialRow(bt, voteID, keys[pi], yPts[pi], aPts[i], &sums[i].A, i, &p.Rows[i])
		}
	}
	if bt.ok() {
		return nil
	}
	for pi, p := range ps {
		for i := range p.Rows {
			r := &p.Rows[i]
			if !partialHolds(voteID, keys[pi], i, &sums[i].A, r) {
				return &Error{Index: pi, Field: idx("rows", i), Code: CodeProof, Msg: "the decryption proof does not verify"}
			}
		}
	}
	return errf("", CodeProof, "the batch does not verify")
}

func checkPartialShape(res *CeremonyResult, voteID string, sh [64]byte, n int, p *PartialDecryption) error {
	if p.Version != 1 {
		return errf("version", CodeVersion, "unsupported version %d", p.Version)
	}
	if p.VoteID != voteID {
		return errf("vote_id", CodeMismatch, "another vote")
	}
	if p.CeremonyID != res.Ceremony.ID {
		return errf("ceremony_id", CodeMismatch, "another ceremony")
	}
	mk, ok := res.Member(p.Identifier)
	if !ok {
		return errf("identifier", CodeMismatch, "not a member of this ceremony")
	}
	if p.SumsHash != sh {
		return errf("sums_hash", CodeMismatch, "these are not the published encrypted sums")
	}
	if len(p.Rows) != n {
		return errf("rows", CodeLength, "%d rows, expected %d", len(p.Rows), n)
	}
	for i := range p.Rows {
		if p.Rows[i].U.IsIdentity() {
			return errf(idx("rows", i)+".u", CodeIdentity, "the identity element is not allowed here")
		}
	}
	return verifySig("signature", mk.SigningKey, p.statement(), p.Signature)
}

// addPartialRow adds z(sG - u - cY_j) + z2(sA - v - cD).
func addPartialRow(bt *batch, voteID string, mk *MemberKey, yj, a *ristretto255.Element, A *Point, i int, r *DecryptionShare) {
	c := partialChallenge(voteID, mk.Identifier, &mk.VerifyingShare, i, A, r)
	z, z2 := bt.weight(), bt.weight()
	tmp := ristretto255.NewScalar()
	bt.g.Add(&bt.g, tmp.Multiply(z, &r.S))
	bt.addFixed(yj, ristretto255.NewScalar().Negate(tmp.Multiply(z, c)))
	bt.addFixed(a, tmp.Multiply(z2, &r.S))
	dC := ristretto255.NewScalar().Multiply(z2, c)
	bt.add(dC.Negate(dC), &r.D.e)
	bt.add(ristretto255.NewScalar().Negate(z), &r.U.e)
	bt.add(ristretto255.NewScalar().Negate(z2), &r.V.e)
}

func partialHolds(voteID string, mk *MemberKey, i int, A *Point, r *DecryptionShare) bool {
	c := partialChallenge(voteID, mk.Identifier, &mk.VerifyingShare, i, A, r)
	negC := ristretto255.NewScalar().Negate(c)
	u := ristretto255.NewIdentityElement().VarTimeDoubleScalarBaseMult(negC, &mk.VerifyingShare.e, &r.S)
	if u.Equal(&r.U.e) != 1 {
		return false
	}
	v := ristretto255.NewIdentityElement().VarTimeMultiScalarMult([]*ristretto255.Scalar{&r.S, negC}, []*ristretto255.Element{&A.e, &r.D.e})
	return v.Equal(&r.V.e) == 1
}

// Combine combines verified partial decryptions from at least t distinct members (Lagrange at 0 over
// their identifiers, §11.3–11.4) and returns V_i = B_i − X_i = (Σ v)·G per row.
func Combine(res *CeremonyResult, sums []Ciphertext, ps []*PartialDecryption) ([]Point, error) {
	if len(ps) < res.Ceremony.Threshold {
		return nil, errf("partials", CodeLength, "%d partial decryptions, the threshold is %d", len(ps), res.Ceremony.Threshold)
	}
	ids := make([]Identifier, len(ps))
	for i, p := range ps {
		ids[i] = p.Identifier
		if len(p.Rows) != len(sums) {
			return nil, &Error{Index: i, Field: "rows", Code: CodeLength, Msg: "wrong number of rows"}
		}
	}
	lambda, err := Lagrange(ids)
	if err != nil {
		return nil, err
	}
	out := make([]Point, len(sums))
	parallelRows(len(sums), func(i int) {
		pts := make([]*ristretto255.Element, len(ps))
		for j, p := range ps {
			pts[j] = &p.Rows[i].D.e
		}
		x := ristretto255.NewIdentityElement().VarTimeMultiScalarMult(lambda, pts)
		out[i] = NewPoint(x.Subtract(&sums[i].B.e, x))
	})
	return out, nil
}

// parallelRows runs f(0..n-1) on GOMAXPROCS workers.
func parallelRows(n int, f func(i int)) {
	workers := max(1, min(runtime.GOMAXPROCS(0), n))
	var wg sync.WaitGroup
	next := make(chan int, n)
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	wg.Wait()
}

// CheckCounts is the verifier's check of published counts (§11.5): for every row,
// (Σ_j c_j M^j)·G = V_i and Σ_j c_j ≤ total. One scalar multiplication per row.
func CheckCounts(levels int, radix uint64, total uint64, vs []Point, counts [][]uint64) error {
	if len(counts) != len(vs) {
		return errf("counts", CodeLength, "%d rows of counts for %d sums", len(counts), len(vs))
	}
	for i, c := range counts {
		if len(c) != levels {
			return errf(idx("counts", i), CodeLength, "%d counts for %d levels", len(c), levels)
		}
		var sum, v, p uint64 = 0, 0, 1
		for _, x := range c {
			if x >= radix {
				return errf(idx("counts", i), CodeRange, "a count reaches the radix")
			}
			sum += x
			v += x * p
			p *= radix
		}
		if sum > total {
			return errf(idx("counts", i), CodeRange, "the counts add up to more than the ballots")
		}
		if ristretto255.NewIdentityElement().ScalarBaseMult(scalarU64(v)).Equal(&vs[i].e) != 1 {
			return errf(idx("counts", i), CodeMismatch, "the counts do not match the decrypted sum")
		}
	}
	return nil
}

// ---- wire forms ----

type sumJSON struct {
	A string `json:"a"`
	B string `json:"b"`
}

// SumsJSON writes encrypted sums as [{"a": hex, "b": hex}, ...].
func SumsJSON(sums []Ciphertext) []byte {
	w := make([]sumJSON, len(sums))
	for i, s := range sums {
		w[i] = sumJSON{s.A.Hex(), s.B.Hex()}
	}
	return mustJSON(w)
}

// ParseSums decodes encrypted sums (the identity is allowed, §2.1).
func ParseSums(data []byte) ([]Ciphertext, error) {
	var w []sumJSON
	if err := decodeStrict(data, &w); err != nil {
		return nil, err
	}
	out := make([]Ciphertext, len(w))
	for i, s := range w {
		var err error
		if out[i].A, err = ParsePointHex(idx("", i)+".a", s.A, true); err != nil {
			return nil, err
		}
		if out[i].B, err = ParsePointHex(idx("", i)+".b", s.B, true); err != nil {
			return nil, err
		}
	}
	return out, nil
}

type shareRowJSON struct {
	D string `json:"d"`
	U string `json:"u"`
	V string `json:"v"`
	S string `json:"s"`
}

type partialJSON struct {
	Version    int            `json:"version"`
	VoteID     string         `json:"vote_id"`
	CeremonyID string         `json:"ceremony_id"`
	Identifier string         `json:"identifier"`
	SumsHash   string         `json:"sums_hash"`
	Rows       []shareRowJSON `json:"rows"`
	Signature  string         `json:"signature"`
}

// MarshalJSON writes the wire form.
func (p *PartialDecryption) MarshalJSON() ([]byte, error) {
	w := partialJSON{p.Version, p.VoteID, p.CeremonyID, p.Identifier.Hex(), hex.EncodeToString(p.SumsHash[:]),
		make([]shareRowJSON, len(p.Rows)), hex.EncodeToString(p.Signature[:])}
	for i := range p.Rows {
		r := &p.Rows[i]
		w.Rows[i] = shareRowJSON{r.D.Hex(), r.U.Hex(), r.V.Hex(), ScalarHex(&r.S)}
	}
	return mustJSON(w), nil
}

// ParsePartialDecryption decodes a member's submission (d and v may be the identity, u may not).
func ParsePartialDecryption(data []byte) (*PartialDecryption, error) {
	var w partialJSON
	if err := decodeStrict(data, &w); err != nil {
		return nil, err
	}
	if err := checkVersion(w.Version); err != nil {
		return nil, err
	}
	if err := checkID("vote_id", w.VoteID); err != nil {
		return nil, err
	}
	if err := checkID("ceremony_id", w.CeremonyID); err != nil {
		return nil, err
	}
	p := &PartialDecryption{Version: 1, VoteID: w.VoteID, CeremonyID: w.CeremonyID}
	var err error
	if p.Identifier, err = ParseIdentifierHex("identifier", w.Identifier); err != nil {
		return nil, err
	}
	if p.SumsHash, err = decodeHex64("sums_hash", w.SumsHash); err != nil {
		return nil, err
	}
	if len(w.Rows) < 1 || len(w.Rows) > MaxRows {
		return nil, errf("rows", CodeLength, "1 to %d rows", MaxRows)
	}
	p.Rows = make([]DecryptionShare, len(w.Rows))
	for i, rj := range w.Rows {
		name := idx("rows", i)
		r := &p.Rows[i]
		if r.D, err = ParsePointHex(name+".d", rj.D, true); err != nil {
			return nil, err
		}
		if r.U, err = ParsePointHex(name+".u", rj.U, false); err != nil {
			return nil, err
		}
		if r.V, err = ParsePointHex(name+".v", rj.V, true); err != nil {
			return nil, err
		}
		s, err := ParseScalarHex(name+".s", rj.S)
		if err != nil {
			return nil, err
		}
		r.S.Set(s)
	}
	if p.Signature, err = decodeHex64("signature", w.Signature); err != nil {
		return nil, err
	}
	return p, nil
}

// Accumulator keeps running encrypted sums as ballots are accepted (their points are decoded for
// verification anyway), so that the tally after the close needs no decoding. It is an optional
// shortcut for the server: Sum over the stored ballots is the reference, and what the verifier
// recomputes. Add only ballots whose cast committed. Safe for concurrent use.
type Accumulator struct {
	mu   sync.Mutex
	a, b []*ristretto255.Element
	n    uint64
}

// NewAccumulator starts sums of n rows at (identity, identity).
func NewAccumulator(n int) *Accumulator {
	acc := &Accumulator{a: make([]*ristretto255.Element, n), b: make([]*ristretto255.Element, n)}
	for i := range acc.a {
		acc.a[i], acc.b[i] = ristretto255.NewIdentityElement(), ristretto255.NewIdentityElement()
	}
	return acc
}

// Add adds a decoded ballot's ciphertexts.
func (acc *Accumulator) Add(b *Ballot) error {
	if len(b.Rows) != len(acc.a) {
		return errf("rows", CodeLength, "%d rows, expected %d", len(b.Rows), len(acc.a))
	}
	acc.mu.Lock()
	defer acc.mu.Unlock()
	for i := range b.Rows {
		acc.a[i].Add(acc.a[i], &b.Rows[i].Alpha.e)
		acc.b[i].Add(acc.b[i], &b.Rows[i].Beta.e)
	}
	acc.n++
	return nil
}

// Sums returns the current sums and the number of ballots added.
func (acc *Accumulator) Sums() ([]Ciphertext, uint64) {
	acc.mu.Lock()
	defer acc.mu.Unlock()
	out := make([]Ciphertext, len(acc.a))
	for i := range out {
		out[i] = Ciphertext{NewPoint(acc.a[i]), NewPoint(acc.b[i])}
	}
	return out, acc.n
}

package protocol

import (
	crand "crypto/rand"
	mrand "math/rand/v2"
	"runtime"
	"sync"

	"github.com/gtank/ristretto255"
)

// batch accumulates the equations of a batch verification: one scalar for each fixed base (G, and
// Y or another key), and the variable points with their weighted coefficients (§8.9).
type batch struct {
	g       ristretto255.Scalar
	fixed   map[*ristretto255.Element]*ristretto255.Scalar
	scalars []*ristretto255.Scalar
	points  []*ristretto255.Element
	rng     *mrand.ChaCha8
}

func newBatch() *batch {
	var seed [32]byte
	if _, err := crand.Read(seed[:]); err != nil {
		panic(err)
	}
	return &batch{fixed: map[*ristretto255.Element]*ristretto255.Scalar{}, rng: mrand.NewChaCha8(seed)}
}

// weight returns a fresh random 128-bit weight (ChaCha8 keyed from crypto/rand).
func (b *batch) weight() *ristretto255.Scalar {
	var buf [32]byte
	b.rng.Read(buf[:16])
	s, _ := ristretto255.NewScalar().SetCanonicalBytes(buf[:])
	return s
}

func (b *batch) add(s *ristretto255.Scalar, p *ristretto255.Element) {
	b.scalars = append(b.scalars, s)
	b.points = append(b.points, p)
}

// addFixed adds s to the coefficient of a fixed point (keyed by pointer identity).
func (b *batch) addFixed(p *ristretto255.Element, s *ristretto255.Scalar) {
	c, ok := b.fixed[p]
	if !ok {
		c = ristretto255.NewScalar()
		b.fixed[p] = c
	}
	c.Add(c, s)
}

// ok reports whether the weighted sum is the identity.
func (b *batch) ok() bool {
	scalars := append(b.scalars, &b.g)
	points := append(b.points, ristretto255.NewGeneratorElement())
	for p, s := range b.fixed {
		scalars = append(scalars, s)
		points = append(points, p)
	}
	r := ristretto255.NewIdentityElement().VarTimeMultiScalarMult(scalars, points)
	return r.Equal(ristretto255.NewIdentityElement()) == 1
}

// addBallotRow adds the 2(k+1) equations of one row.
func (b *batch) addBallotRow(Y *ristretto255.Element, row *Row, vals []*ristretto255.Scalar) {
	alphaC, betaC := ristretto255.NewScalar(), ristretto255.NewScalar()
	yC := ristretto255.NewScalar()
	tmp := ristretto255.NewScalar()
	for o := range row.Proof {
		t := &row.Proof[o]
		z, z2 := b.weight(), b.weight()
		// z·(s G - a - c alpha) + z2·(s Y - b - c beta + c v G)
		b.g.Add(&b.g, tmp.Multiply(z, &t.S))
		if o > 0 {
			cv := ristretto255.NewScalar().Multiply(&t.C, vals[o])
			b.g.Add(&b.g, cv.Multiply(cv, z2))
		}
		yC.Add(yC, tmp.Multiply(z2, &t.S))
		alphaC.Subtract(alphaC, tmp.Multiply(z, &t.C))
		betaC.Subtract(betaC, tmp.Multiply(z2, &t.C))
		b.add(z.Negate(z), &t.A.e)
		b.add(z2.Negate(z2), &t.B.e)
	}
	b.add(alphaC, &row.Alpha.e)
	b.add(betaC, &row.Beta.e)
	b.addFixed(Y, yC)
}

// checkBallotShape runs §8.8 steps 2, 3, 6, 7 and the challenge sums of step 8.
func checkBallotShape(m *Manifest, mh [64]byte, b *Ballot) error {
	if b.Version != 1 {
		return errf("version", CodeVersion, "unsupported version %d", b.Version)
	}
	if b.VoteID != m.VoteID {
		return errf("vote_id", CodeMismatch, "the ballot is for another vote")
	}
	if b.ManifestHash != mh {
		return errf("manifest_hash", CodeMismatch, "the ballot was made under another manifest (key, levels, radix or subjects)")
	}
	if len(b.Rows) != m.Rows {
		return errf("rows", CodeLength, "%d rows, the vote has %d subjects", len(b.Rows), m.Rows)
	}
	seen := make(map[[32]byte]int, len(b.Rows))
	for i := range b.Rows {
		r := &b.Rows[i]
		if len(r.Proof) != m.Levels+1 {
			return errf(idx("rows", i)+".proof", CodeLength, "%d terms, the vote needs %d", len(r.Proof), m.Levels+1)
		}
		if j, dup := seen[r.Alpha.enc]; dup {
			return errf(idx("rows", i)+".alpha", CodeDuplicate, "same alpha as rows[%d]: randomness reused", j)
		}
		seen[r.Alpha.enc] = i
	}
	if err := CheckPublicKey(b.Credential[:]); err != nil {
		return at(err, "credential", -1)
	}
	if err := verifySig("signature", b.Credential, b.Hash(), b.Signature); err != nil {
		return err
	}
	for i := range b.Rows {
		r := &b.Rows[i]
		sum := ristretto255.NewScalar()
		for o := range r.Proof {
			sum.Add(sum, &r.Proof[o].C)
		}
		if sum.Equal(rowChallenge(m, b.Credential, i, r)) != 1 {
			return errf(idx("rows", i)+".proof", CodeProof, "the challenges do not add up to the hash of the statement")
		}
	}
	return nil
}

// VerifyBallots checks ballots against a manifest (§8.8 steps 2–8): shape, vote id, row and term
// counts, distinct alphas, signature, challenge sums, and every proof in one batch per worker
// (GOMAXPROCS workers over the ballots). The error names the first failing ballot (Index) and its
// row and term.
func VerifyBallots(m *Manifest, bs []*Ballot) error {
	if err := m.Validate(); err != nil {
		return err
	}
	if len(bs) == 0 {
		return nil
	}
	vals := m.optionScalars()
	workers := min(runtime.GOMAXPROCS(0), len(bs))
	errs := make([]error, workers)
	var wg sync.WaitGroup
	per := (len(bs) + workers - 1) / workers
	for w := 0; w < workers; w++ {
		lo, hi := w*per, min((w+1)*per, len(bs))
		if lo >= hi {
			continue
		}
		wg.Add(1)
		go func(w, lo, hi int) {
			defer wg.Done()
			errs[w] = verifyBallotRange(m, vals, bs, lo, hi)
		}(w, lo, hi)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func verifyBallotRange(m *Manifest, vals []*ristretto255.Scalar, bs []*Ballot, lo, hi int) error {
	Y := m.PublicKey.Element()
	mh := m.Hash()
	bt := newBatch()
	for i := lo; i < hi; i++ {
		if err := checkBallotShape(m, mh, bs[i]); err != nil {
			return at(err, "", i)
		}
		for r := range bs[i].Rows {
			bt.addBallotRow(Y, &bs[i].Rows[r], vals)
		}
	}
	if bt.ok() {
		return nil
	}
	for i := lo; i < hi; i++ {
		if err := verifyBallotAlone(m, vals, Y, bs[i]); err != nil {
			return at(err, "", i)
		}
	}
	return errf("", CodeProof, "the batch does not verify") // unreachable with honest arithmetic
}

func verifyBallotAlone(m *Manifest, vals []*ristretto255.Scalar, Y *ristretto255.Element, b *Ballot) error {
	bt := newBatch()
	for r := range b.Rows {
		bt.addBallotRow(Y, &b.Rows[r], vals)
	}
	if bt.ok() {
		return nil
	}
	for r := range b.Rows {
		row := &b.Rows[r]
		for o := range row.Proof {
			if !termHolds(Y, row, o, vals[o]) {
				return errf(idx(idx("rows", r)+".proof", o), CodeProof, "the proof does not verify")
			}
		}
	}
	return errf("rows", CodeProof, "the proofs do not verify")
}

// termHolds checks one term exactly: s G = a + c alpha and s Y = b + c (beta - v G).
func termHolds(Y *ristretto255.Element, row *Row, o int, v *ristretto255.Scalar) bool {
	t := &row.Proof[o]
	negC := ristretto255.NewScalar().Negate(&t.C)
	a := ristretto255.NewIdentityElement().VarTimeDoubleScalarBaseMult(negC, &row.Alpha.e, &t.S)
	if a.Equal(&t.A.e) != 1 {
		return false
	}
	vG := ristretto255.NewIdentityElement().ScalarBaseMult(v)
	d := ristretto255.NewIdentityElement().Subtract(&row.Beta.e, vG)
	b := ristretto255.NewIdentityElement().VarTimeMultiScalarMult([]*ristretto255.Scalar{&t.S, negC}, []*ristretto255.Element{Y, d})
	return b.Equal(&t.B.e) == 1
}

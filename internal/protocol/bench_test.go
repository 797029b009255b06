package protocol

import (
	"fmt"
	"sync"
	"testing"

	"github.com/gtank/ristretto255"
)

// Benchmarks of docs/PROTOCOL.md §16. Run: go test -run '^$' -bench . -benchtime 20x ./internal/protocol

var benchOnce sync.Once
var benchBoard *board
var benchManifest *Manifest
var benchBallots []*Ballot

func benchSetup(b *testing.B) {
	benchOnce.Do(func() {
		rng := newTestRNG("bench")
		benchBoard = runCeremony(b, rng, testCeremony(7, 4))
		benchManifest = testManifest(benchBoard.res.GroupKey, 3, 50, 501)
		for i := 0; i < 8; i++ {
			priv, _, _ := Credential(mustCode(b, rng))
			choices := make([]int, 50)
			for r := range choices {
				choices[r] = (i+r)%4 - 1
			}
			bl, _, err := EncryptBallot(rng, benchManifest, priv, choices)
			if err != nil {
				b.Fatal(err)
			}
			benchBallots = append(benchBallots, bl)
		}
	})
}

// One 50-row ballot of a confidence vote: encrypt, prove and sign (the kiosk's work, in Go).
func BenchmarkEncryptBallot50(b *testing.B) {
	benchSetup(b)
	rng := newTestRNG("encrypt")
	priv, _, _ := Credential(mustCode(b, rng))
	choices := make([]int, 50)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := EncryptBallot(rng, benchManifest, priv, choices); err != nil {
			b.Fatal(err)
		}
	}
}

// The server's work for one 50-row ballot: decode the JSON (500 points) and verify it (batch).
func BenchmarkVerifyBallot50(b *testing.B) {
	benchSetup(b)
	js, _ := benchBallots[0].MarshalJSON()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bl, err := ParseBallot(js)
		if err != nil {
			b.Fatal(err)
		}
		if err := verifyBallotRange(benchManifest, benchManifest.optionScalars(), []*Ballot{bl}, 0, 1); err != nil {
			b.Fatal(err)
		}
	}
}

// Verification alone (decoded ballot), one core.
func BenchmarkVerifyBallot50Decoded(b *testing.B) {
	benchSetup(b)
	vals := benchManifest.optionScalars()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := verifyBallotRange(benchManifest, vals, benchBallots[:1], 0, 1); err != nil {
			b.Fatal(err)
		}
	}
}

// Eight ballots in one batch (the verifier's way), per ballot, all cores.
func BenchmarkVerifyBallots8(b *testing.B) {
	benchSetup(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := VerifyBallots(benchManifest, benchBallots); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(benchBallots))/1000, "ms/ballot")
}

// The layout comparison of §16.1: decoding and the multi-scalar multiplication for the points of
// one 50-row ballot, packed (10 points a row) against one 0/1 ciphertext per (row, level) with a
// row-sum proof (22 points a row).
func BenchmarkLayout(b *testing.B) {
	for _, perRow := range []int{10, 22} {
		n := 50 * perRow
		rng := newTestRNG("layout")
		encs := make([][]byte, n)
		scalars := make([]*ristretto255.Scalar, n+2)
		for i := range encs {
			s, _ := RandomScalar(rng)
			encs[i] = ristretto255.NewIdentityElement().ScalarBaseMult(s).Bytes()
		}
		for i := range scalars {
			scalars[i], _ = RandomScalar(rng)
		}
		b.Run(fmt.Sprintf("points=%d", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				pts := make([]*ristretto255.Element, 0, n+2)
				for _, e := range encs {
					p, err := DecodePoint(e, false)
					if err != nil {
						b.Fatal(err)
					}
					pts = append(pts, p.Element())
				}
				pts = append(pts, ristretto255.NewGeneratorElement(), ristretto255.NewGeneratorElement())
				ristretto255.NewIdentityElement().VarTimeMultiScalarMult(scalars, pts)
			}
		})
	}
}

// tallyFixture: 500 ballots × 50 rows of ciphertexts (without proofs: the tally reads only the
// ciphertexts) and t = 4 partial decryptions of their sums.
type tallyFixture struct {
	enc   [][]EncodedCiphertext
	sums  []Ciphertext
	ps    []*PartialDecryption
	total uint64
}

var tallyOnce sync.Once
var tallyFix tallyFixture

func tallySetup(b *testing.B) *tallyFixture {
	benchSetup(b)
	tallyOnce.Do(func() {
		rng := newTestRNG("tally")
		m := benchManifest
		vals := m.OptionValues()
		Y := m.PublicKey.Element()
		for i := 0; i < 500; i++ {
			row := make([]EncodedCiphertext, m.Rows)
			for r := range row {
				v := vals[(i*7+r*3)%len(vals)]
				x, _ := RandomScalar(rng)
				a := ristretto255.NewIdentityElement().ScalarBaseMult(x)
				bb := ristretto255.NewIdentityElement().ScalarMult(x, Y)
				bb.Add(bb, ristretto255.NewIdentityElement().ScalarBaseMult(scalarU64(v)))
				copy(row[r].Alpha[:], a.Bytes())
				copy(row[r].Beta[:], bb.Bytes())
			}
			tallyFix.enc = append(tallyFix.enc, row)
		}
		tallyFix.total = 500
		var err error
		if tallyFix.sums, err = Sum(m.Rows, tallyFix.enc, nil); err != nil {
			b.Fatal(err)
		}
		for _, k := range benchBoard.keys[:4] {
			p, err := PartialDecrypt(rng, k, m.VoteID, tallyFix.sums)
			if err != nil {
				b.Fatal(err)
			}
			tallyFix.ps = append(tallyFix.ps, p)
		}
	})
	return &tallyFix
}

// The tally of 500 ballots × 50 officials: homomorphic sum (decoding 50 000 points), combination of
// t = 4 partial decryptions, discrete logs. All cores.
func BenchmarkTally500x50(b *testing.B) {
	f := tallySetup(b)
	m := benchManifest
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sums, err := Sum(m.Rows, f.enc, nil)
		if err != nil {
			b.Fatal(err)
		}
		vs, err := Combine(benchBoard.res, sums, f.ps)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Counts(m.Levels, m.Radix, f.total, vs); err != nil {
			b.Fatal(err)
		}
	}
}

// The three steps of the tally, separately.
func BenchmarkTallySteps(b *testing.B) {
	f := tallySetup(b)
	m := benchManifest
	b.Run("sum", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			Sum(m.Rows, f.enc, nil)
		}
	})
	b.Run("verify-partials", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if err := VerifyPartials(benchBoard.res, m.VoteID, f.sums, f.ps); err != nil {
				b.Fatal(err)
			}
		}
	})
	var vs []Point
	b.Run("combine", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			vs, _ = Combine(benchBoard.res, f.sums, f.ps)
		}
	})
	b.Run("counts", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := Counts(m.Levels, m.Radix, f.total, vs); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// A ceremony of 7 members, t = 4, all rounds of all members in one process.
func BenchmarkCeremony7(b *testing.B) {
	rng := newTestRNG("ceremony")
	for i := 0; i < b.N; i++ {
		runCeremony(b, rng, testCeremony(7, 4))
	}
}

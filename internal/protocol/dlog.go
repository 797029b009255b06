package protocol

import (
	"encoding/binary"
	"math"
	"runtime"
	"sync"

	"filippo.io/edwards25519"
	"filippo.io/edwards25519/field"
)

// The discrete logarithm of the counts (docs/PROTOCOL.md §11.5). Candidates are compared as
// 8·P on edwards25519: the four representatives of a ristretto255 element differ by a 4-torsion
// point, which 8· erases, and 8· is injective on the prime-order part. Affine coordinates are
// obtained with one batched inversion per chunk, so a candidate costs a point addition and a few
// field multiplications instead of a ristretto255 encoding (an inverse square root).

// MaxLogWork bounds the search (table entries + giant steps) so a wrong total cannot exhaust memory.
const MaxLogWork = 1 << 26

// Counts returns, per row, the level counts c_0..c_{k-1} with Σ c_j M^j · G = vs[i] and
// Σ c_j ≤ total, by a baby-step/giant-step search shared by all rows (GOMAXPROCS workers).
func Counts(levels int, radix uint64, total uint64, vs []Point) ([][]uint64, error) {
	if levels < 1 || levels > MaxLevels || radix < 2 || total >= radix {
		return nil, errf("", CodeRange, "levels 1 to %d, and the total of ballots below the radix", MaxLevels)
	}
	if _, ok := radixPower(radix, levels); !ok {
		return nil, errf("radix", CodeRange, "radix^levels must be below 2^63")
	}
	blocks, work := bestSplit(levels, total, len(vs))
	if work > MaxLogWork {
		return nil, errf("", CodeLog, "the search is too large (%.0f steps)", work)
	}
	t := buildTable(radix, total, blocks)
	steps := make([]*edwards25519.Point, levels) // −B_j·M^j·8G, shared by every row
	pow := uint64(1)
	for j := range steps {
		steps[j] = new(edwards25519.Point).Negate(mulBase8(blocks[j] * pow))
		pow *= radix
	}
	out := make([][]uint64, len(vs))
	errs := make([]error, len(vs))
	parallelRows(len(vs), func(i int) {
		c, ok := t.solve(radix, total, blocks, steps, &vs[i])
		if !ok {
			errs[i] = errf(idx("rows", i), CodeLog, "no counts of at most %d ballots give this sum", total)
			return
		}
		out[i] = c
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, CheckCounts(levels, radix, total, vs, out)
}

// The search space is the simplex {c : Σ c_j ≤ N}. With block sizes B_j, every c_j is written
// h_j·B_j + b_j (b_j < B_j): the table holds Σ b_j M^j for Σ b_j ≤ N, the giant steps of a row are
// Σ h_j B_j M^j for Σ h_j B_j ≤ N. B_j = N+1 puts a level wholly in the table, B_j = 1 wholly in
// the giant steps. bestSplit counts both sets exactly for a family of splits and keeps the
// cheapest (table + rows × giants): for 50 rows of 3 levels and N = 500, blocks of 32 on every
// level, about 33 000 table entries and 800 giant steps a row.
func bestSplit(levels int, N uint64, rows int) ([]uint64, float64) {
	var best []uint64
	bestWork := math.Inf(1)
	try := func(blocks []uint64) {
		w := tableCount(blocks, N) + float64(rows)*giantCount(blocks, N)
		if w < bestWork {
			best, bestWork = append([]uint64(nil), blocks...), w
		}
	}
	for B := uint64(1); B <= N+1; B = nextBlock(B) {
		for d := 1; d <= levels; d++ {
			for _, full := range []bool{true, false} {
				blocks := make([]uint64, levels)
				for j := range blocks {
					switch {
					case j == 0 && full:
						blocks[j] = N + 1
					case j < d:
						blocks[j] = B
					default:
						blocks[j] = 1
					}
				}
				try(blocks)
			}
		}
	}
	return best, bestWork
}

func nextBlock(B uint64) uint64 {
	if B < 24 {
		return B + 1
	}
	return B + B/6
}

// tableCount is #{b : b_j < B_j, Σ b_j ≤ N}, by dynamic programming over the sum.
func tableCount(blocks []uint64, N uint64) float64 {
	ways := make([]float64, N+1)
	next := make([]float64, N+1)
	ways[0] = 1
	for _, B := range blocks {
		var window float64
		for s := uint64(0); s <= N; s++ {
			window += ways[s]
			if s >= B {
				window -= ways[s-B]
			}
			next[s] = window
		}
		ways, next = next, ways
	}
	var total float64
	for _, w := range ways {
		total += w
	}
	return total
}

// giantCount is #{h : Σ h_j B_j ≤ N}.
func giantCount(blocks []uint64, N uint64) float64 {
	ways := make([]float64, N+1)
	next := make([]float64, N+1)
	ways[0] = 1
	for _, B := range blocks {
		for s := uint64(0); s <= N; s++ {
			next[s] = ways[s]
			if s >= B {
				next[s] += next[s-B]
			}
		}
		ways, next = next, ways
	}
	var total float64
	for _, w := range ways {
		total += w
	}
	return total
}

// logTable maps the key of 8·(c0 + b·M)·G to (c0, b), in an open-addressing hash table on the
// key's first 8 bytes (the full key is compared on a hit).
type logTable struct {
	slots  []int32 // index+1 into keys, 0 = empty
	mask   uint64
	keys   [][32]byte
	digits []uint32 // levels digits b_j per entry
}

func (t *logTable) insert(k [32]byte, digits []uint32) {
	t.keys = append(t.keys, k)
	t.digits = append(t.digits, digits...)
	for i := keyHash(&k) & t.mask; ; i = (i + 1) & t.mask {
		if t.slots[i] == 0 {
			t.slots[i] = int32(len(t.keys))
			return
		}
	}
}

func (t *logTable) lookup(k *[32]byte) (int, bool) {
	for i := keyHash(k) & t.mask; ; i = (i + 1) & t.mask {
		j := t.slots[i]
		if j == 0 {
			return 0, false
		}
		if t.keys[j-1] == *k {
			return int(j - 1), true
		}
	}
}

func keyHash(k *[32]byte) uint64 {
	return binary.LittleEndian.Uint64(k[:8])
}

var base8 = new(edwards25519.Point).MultByCofactor(edwards25519.NewGeneratorPoint())

func mulBase8(x uint64) *edwards25519.Point {
	var b [32]byte
	binary.LittleEndian.PutUint64(b[:], x)
	s, _ := edwards25519.NewScalar().SetCanonicalBytes(b[:])
	return new(edwards25519.Point).ScalarMult(s, base8)
}

// projective holds the X, Y, Z coordinates of points awaiting one batched normalisation.
type projective struct{ X, Y, Z []field.Element }

func (p *projective) push(q *edwards25519.Point) {
	x, y, z, _ := q.ExtendedCoordinates()
	p.X, p.Y, p.Z = append(p.X, *x), append(p.Y, *y), append(p.Z, *z)
}

func (p *projective) reset() { p.X, p.Y, p.Z = p.X[:0], p.Y[:0], p.Z[:0] }

// keys returns the edwards25519 encodings of the points (Montgomery's trick: one inversion).
func (p *projective) keys(out [][32]byte) [][32]byte {
	n := len(p.Z)
	out = out[:0]
	if n == 0 {
		return out
	}
	pre := make([]field.Element, n)
	pre[0].Set(&p.Z[0])
	for i := 1; i < n; i++ {
		pre[i].Multiply(&pre[i-1], &p.Z[i])
	}
	for i := 0; i < n; i++ {
		out = append(out, [32]byte{})
	}
	var inv, zi, tmp field.Element
	inv.Invert(&pre[n-1])
	for i := n - 1; i >= 0; i-- {
		if i > 0 {
			zi.Multiply(&inv, &pre[i-1])
			inv.Multiply(&inv, &p.Z[i])
		} else {
			zi.Set(&inv)
		}
		tmp.Multiply(&p.Y[i], &zi)
		copy(out[i][:], tmp.Bytes())
		tmp.Multiply(&p.X[i], &zi)
		out[i][31] |= byte(tmp.IsNegative()) << 7
	}
	return out
}

// buildTable computes the keys of 8·(Σ b_j M^j)·G for b_j < B_j, Σ b_j ≤ N, on GOMAXPROCS workers
// (split on the values of the highest level), then inserts them.
func buildTable(radix, N uint64, blocks []uint64) *logTable {
	levels := len(blocks)
	steps := make([]*edwards25519.Point, levels) // M^j·8G
	pow := uint64(1)
	for j := range steps {
		steps[j] = mulBase8(pow)
		pow *= radix
	}
	top := min(blocks[levels-1], N+1)
	workers := max(1, min(runtime.GOMAXPROCS(0), int(top)))
	type part struct {
		keys   [][32]byte
		digits []uint32
	}
	parts := make([]part, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			var p part
			var pr projective
			b := make([]uint32, levels)
			var rec func(j int, cur *edwards25519.Point, budget uint64)
			rec = func(j int, cur *edwards25519.Point, budget uint64) {
				q := new(edwards25519.Point).Set(cur)
				for x := uint64(0); x < blocks[j] && x <= budget; x++ {
					b[j] = uint32(x)
					if j == 0 {
						pr.push(q)
						p.digits = append(p.digits, b...)
					} else {
						rec(j-1, q, budget-x)
					}
					q.Add(q, steps[j])
				}
			}
			for x := uint64(w); x < top; x += uint64(workers) {
				b[levels-1] = uint32(x)
				start := mulBase8(x * (pow / radix))
				if levels == 1 {
					pr.push(start)
					p.digits = append(p.digits, b...)
					continue
				}
				rec(levels-2, start, N-x)
			}
			p.keys = pr.keys(nil)
			parts[w] = p
		}(w)
	}
	wg.Wait()
	total := 0
	for _, p := range parts {
		total += len(p.keys)
	}
	size := uint64(1)
	for size < uint64(2*total+2) {
		size <<= 1
	}
	t := &logTable{slots: make([]int32, size), mask: size - 1}
	for _, p := range parts {
		for i := range p.keys {
			t.insert(p.keys[i], p.digits[i*levels:(i+1)*levels])
		}
	}
	return t
}

// solve searches the counts of one row: for every giant h (Σ h_j B_j ≤ N), look up
// 8·V − (Σ h_j B_j M^j)·8G in the table. Points are produced in chunks and normalised together.
func (t *logTable) solve(radix, N uint64, blocks []uint64, steps []*edwards25519.Point, v *Point) ([]uint64, bool) {
	levels := len(blocks)
	start, err := edwardsOf(v)
	if err != nil {
		return nil, false
	}
	start.MultByCofactor(start)
	const chunk = 512
	var pr projective
	var gs []uint64 // flattened giants
	var keys [][32]byte
	var found []uint64
	h := make([]uint64, levels)
	flush := func() bool {
		keys = pr.keys(keys)
		for i := range keys {
			j, ok := t.lookup(&keys[i])
			if !ok {
				continue
			}
			c := make([]uint64, levels)
			var sum uint64
			valid := true
			for l := 0; l < levels; l++ {
				c[l] = gs[i*levels+l]*blocks[l] + uint64(t.digits[j*levels+l])
				sum += c[l]
				valid = valid && c[l] < radix
			}
			if valid && sum <= N {
				found = c
				return true
			}
		}
		pr.reset()
		gs = gs[:0]
		return false
	}
	var rec func(j int, cur *edwards25519.Point, budget uint64) bool
	rec = func(j int, cur *edwards25519.Point, budget uint64) bool {
		q := new(edwards25519.Point).Set(cur)
		for x := uint64(0); x*blocks[j] <= budget; x++ {
			h[j] = x
			if j == 0 {
				pr.push(q)
				gs = append(gs, h...)
				if len(pr.Z) == chunk && flush() {
					return true
				}
			} else if rec(j-1, q, budget-x*blocks[j]) {
				return true
			}
			q.Add(q, steps[j])
		}
		return false
	}
	if rec(levels-1, start, N) {
		return found, true
	}
	if len(pr.Z) > 0 && flush() {
		return found, true
	}
	return nil, false
}

// Ristretto255 constants (RFC 9496 §4.1), for decoding to an edwards25519 representative.
var (
	feD      = mustFe("a3785913ca4deb75abd841414d0a700098e879777940c78c73fe6f2bee6c0352")
	feOne    = new(field.Element).One()
	feTwo    = new(field.Element).Add(feOne, feOne)
	feZero   = new(field.Element)
	errDecod = errf("", CodePoint, "not a canonical point")
)

func mustFe(h string) *field.Element {
	b, _ := decodeHex("", h, 32)
	f, err := new(field.Element).SetBytes(b)
	if err != nil {
		panic(err)
	}
	return f
}

// edwardsOf decodes a ristretto255 encoding to its edwards25519 representative (RFC 9496 Decode).
func edwardsOf(p *Point) (*edwards25519.Point, error) {
	in := p.enc[:]
	s, _ := new(field.Element).SetBytes(in)
	if string(s.Bytes()) != string(in) || s.IsNegative() == 1 {
		return nil, errDecod
	}
	ss := new(field.Element).Square(s)
	u1 := new(field.Element).Subtract(feOne, ss)
	u2 := new(field.Element).Add(feOne, ss)
	u2sq := new(field.Element).Square(u2)
	v := new(field.Element).Square(u1)
	v.Multiply(v, feD).Negate(v).Subtract(v, u2sq)
	inv, tmp := new(field.Element), new(field.Element)
	_, wasSquare := inv.SqrtRatio(feOne, tmp.Multiply(v, u2sq))
	denX := new(field.Element).Multiply(inv, u2)
	denY := new(field.Element).Multiply(inv, denX)
	denY.Multiply(denY, v)
	var X, Y, Z, T field.Element
	X.Multiply(feTwo, s).Multiply(&X, denX).Absolute(&X)
	Y.Multiply(u1, denY)
	Z.One()
	T.Multiply(&X, &Y)
	if wasSquare == 0 || T.IsNegative() == 1 || Y.Equal(feZero) == 1 {
		return nil, errDecod
	}
	return new(edwards25519.Point).SetExtendedCoordinates(&X, &Y, &Z, &T)
}

package protocol

import (
	"crypto/cipher"
	"encoding/binary"
	"testing"

	"golang.org/x/crypto/chacha20poly1305"
)

// testRNG is the deterministic byte stream of the test vectors (docs/PROTOCOL.md §15):
// H("tinnhiem/v1/test-rng", seed, u64(0)) || H(..., u64(1)) || ...
type testRNG struct {
	seed    []byte
	counter uint64
	buf     []byte
}

func newTestRNG(seed string) *testRNG { return &testRNG{seed: []byte(seed)} }

func (r *testRNG) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(r.buf) == 0 {
			h := Hash("tinnhiem/v1/test-rng", r.seed, binary.BigEndian.AppendUint64(nil, r.counter))
			r.counter++
			r.buf = h[:]
		}
		c := copy(p[n:], r.buf)
		r.buf = r.buf[c:]
		n += c
	}
	return n, nil
}

// board is a whole ceremony run in Go.
type board struct {
	c       *Ceremony
	members []*Member
	r1      []*Round1
	r2      []*Round2
	r3      []*Round3Result
	res     *CeremonyResult
	keys    []*ShareKey // in the order of c.Members
}

func runCeremony(t testing.TB, rng *testRNG, c *Ceremony) *board {
	t.Helper()
	b := &board{c: c}
	for _, u := range c.Members {
		m, r1, err := NewMember(rng, c, u)
		if err != nil {
			t.Fatal(err)
		}
		b.members = append(b.members, m)
		b.r1 = append(b.r1, r1)
	}
	for _, m := range b.members {
		r2, err := m.Round2(rng, b.r1)
		if err != nil {
			t.Fatal(err)
		}
		b.r2 = append(b.r2, r2)
	}
	for _, m := range b.members {
		var others []*Round2
		for _, r := range b.r2 {
			if r.Identifier != m.Identifier() {
				others = append(others, r)
			}
		}
		res, err := m.Round3(others)
		if err != nil {
			t.Fatal(err)
		}
		if res.Complaint != nil {
			t.Fatalf("complaint: %+v", res.Complaint)
		}
		b.r3 = append(b.r3, res)
		b.keys = append(b.keys, res.Key)
	}
	sorted, err := VerifyRound1(c, b.r1, false)
	if err != nil {
		t.Fatal(err)
	}
	if b.res, err = ComputeResult(c, sorted); err != nil {
		t.Fatal(err)
	}
	for _, r := range b.r3 {
		if err := b.res.CheckConfirmation(r.Confirmation); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

func testCeremony(n, t int) *Ceremony {
	c := &Ceremony{ID: "ceremony-1", CouncilID: "council-1", VoteID: "vote-1", Threshold: t}
	for i := 0; i < n; i++ {
		c.Members = append(c.Members, "user-"+string(rune('a'+i)))
	}
	return c
}

func testManifest(y Point, levels, rows int, radix uint64) *Manifest {
	ids := make([]string, rows)
	for i := range ids {
		ids[i] = "official-" + string(rune('a'+i%26)) + string(rune('a'+i/26))
	}
	return &Manifest{VoteID: "vote-1", PublicKey: y, Levels: levels, Radix: radix, Rows: rows, SubjectsHash: SubjectsHash(ids)}
}

func mustAEAD(key []byte) cipher.AEAD {
	a, err := chacha20poly1305.NewX(key)
	if err != nil {
		panic(err)
	}
	return a
}

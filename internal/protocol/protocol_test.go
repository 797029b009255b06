package protocol

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestWholeVoteInGo(t *testing.T) {
	rng := newTestRNG("whole vote")
	b := runCeremony(t, rng, testCeremony(3, 2))
	m := testManifest(b.res.GroupKey, 3, 5, 11)
	choices := [][]int{
		{0, 1, 2, -1, 0},
		{0, 0, 2, 1, -1},
		{2, 1, 0, 0, 0},
		{-1, -1, -1, -1, -1},
	}
	var ballots []*Ballot
	var enc [][]EncodedCiphertext
	for i, ch := range choices {
		priv, _, err := Credential(mustCode(t, rng))
		if err != nil {
			t.Fatal(err)
		}
		bl, _, err := EncryptBallot(rng, m, priv, ch)
		if err != nil {
			t.Fatal(err)
		}
		js, _ := bl.MarshalJSON()
		back, err := ParseBallot(js)
		if err != nil {
			t.Fatalf("ballot %d: %v", i, err)
		}
		ballots = append(ballots, back)
		enc = append(enc, back.Ciphertexts())
	}
	if err := VerifyBallots(m, ballots); err != nil {
		t.Fatal(err)
	}
	sums, err := Sum(m.Rows, enc, nil)
	if err != nil {
		t.Fatal(err)
	}
	var ps []*PartialDecryption
	for _, k := range b.keys[1:] { // member 0 is missing at the tally
		p, err := PartialDecrypt(rng, k, m.VoteID, sums)
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	if err := VerifyPartials(b.res, m.VoteID, sums, ps); err != nil {
		t.Fatal(err)
	}
	vs, err := Combine(b.res, sums, ps)
	if err != nil {
		t.Fatal(err)
	}
	counts, err := Counts(m.Levels, m.Radix, uint64(len(ballots)), vs)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]uint64{{2, 0, 1}, {1, 2, 0}, {1, 0, 2}, {1, 1, 0}, {2, 0, 0}}
	for i := range want {
		for j := range want[i] {
			if counts[i][j] != want[i][j] {
				t.Fatalf("row %d: got %v, want %v", i, counts[i], want[i])
			}
		}
	}
	// A tampered proof is named.
	bad := *ballots[2]
	bad.Rows = append([]Row(nil), bad.Rows...)
	bad.Rows[3].Proof = append([]ProofTerm(nil), bad.Rows[3].Proof...)
	bad.Rows[3].Proof[1].S.Add(&bad.Rows[3].Proof[1].S, scalarU64(1))
	err = VerifyBallots(m, []*Ballot{ballots[0], ballots[1], &bad})
	var pe *Error
	if !errors.As(err, &pe) || pe.Index != 2 || pe.Code != CodeSignature {
		t.Fatalf("got %v, want a signature error on ballot 2", err)
	}
}

func mustCode(t testing.TB, rng *testRNG) string {
	c, err := NewCode(rng)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestTrackingPrefixReadsEveryForm(t *testing.T) {
	var h [64]byte
	for i := range h {
		h[i] = byte(i*37 + 11)
	}
	fp := TrackingCode(h)
	for _, typed := range []string{fp, strings.ToLower(fp), strings.ReplaceAll(fp, "-", ""), " " + fp + " "} {
		b, ok := TrackingPrefix(typed)
		if !ok || !bytes.Equal(b, h[:10]) {
			t.Fatalf("%q: %x %v", typed, b, ok)
		}
	}
	b, ok := TrackingPrefix(ReceiptQR(h))
	if !ok || !bytes.Equal(b, h[:]) {
		t.Fatalf("the receipt QR: %x %v", b, ok)
	}
	for _, bad := range []string{"", "ABCD", fp + "0", "TN1R:" + strings.Repeat("zz", 64), "ÄBCD-EFGH-JKMN-PQRS"} {
		if _, ok := TrackingPrefix(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}

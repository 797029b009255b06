package protocol

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"
)

// Fuzz targets for every decoder (docs/PROTOCOL.md §14): no input panics, and every accepted input
// re-encodes to a form that decodes to the same value. Seeds come from the Go vectors.

func vectorSeeds(f *testing.F, pick func(v obj) [][]byte) {
	data, err := os.ReadFile(goVectors)
	if err != nil {
		f.Fatal(err)
	}
	var v obj
	if err := json.Unmarshal(data, &v); err != nil {
		f.Fatal(err)
	}
	for _, s := range pick(v) {
		f.Add(s)
	}
	for _, n := range v["negative"].([]any) {
		f.Add(toRaw(n.(obj)["object"]))
	}
}

func FuzzDecodePoint(f *testing.F) {
	f.Add(generatorEnc[:], true)
	f.Add(make([]byte, 32), false)
	for _, p := range invalidPoints {
		f.Add(mustHex(p.Hex), false)
	}
	f.Fuzz(func(t *testing.T, b []byte, allowIdentity bool) {
		p, err := DecodePoint(b, allowIdentity)
		if err != nil {
			return
		}
		if !allowIdentity && p.IsIdentity() {
			t.Fatal("the identity was accepted")
		}
		if q := NewPoint(p.Element()); !bytes.Equal(q.enc[:], b) {
			t.Fatalf("%x decodes but encodes as %x", b, q.enc)
		}
	})
}

func FuzzDecodeScalar(f *testing.F) {
	for _, s := range invalidScalars {
		f.Add(mustHex(s))
	}
	f.Add(make([]byte, 32))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := DecodeScalar(b)
		if err == nil && !bytes.Equal(s.Bytes(), b) {
			t.Fatalf("%x is not canonical", b)
		}
		if _, err := ParseScalarHex("s", string(b)); err == nil && len(b) != 64 {
			t.Fatal("hex of the wrong length accepted")
		}
	})
}

func FuzzPublicKey(f *testing.F) {
	for _, k := range invalidKeys() {
		f.Add(mustHex(k))
	}
	_, pub, _ := Credential("PCZY9H10Y0J6W83P2F1MK")
	f.Add(pub[:])
	f.Fuzz(func(t *testing.T, b []byte) {
		if CheckPublicKey(b) == nil && len(b) != 32 {
			t.Fatal("a key of the wrong length accepted")
		}
	})
}

func FuzzParseCode(f *testing.F) {
	f.Add("PCZ-Y9H-10Y-0J6-W83-P2F-1MK")
	f.Add("pczy9h10yoj6w83p2fimk")
	f.Add("TN1:PCZY9H10Y0J6W83P2F1MK")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCode(s)
		if err != nil {
			ParseCodeQR(s)
			return
		}
		if len(c) != CodeLen {
			t.Fatalf("%q gave %q", s, c)
		}
		if back, err := ParseCode(FormatCode(c)); err != nil || back != c {
			t.Fatalf("%q: %v", c, err)
		}
		if _, _, err := Credential(c); err != nil {
			t.Fatal(err)
		}
	})
}

func FuzzParseBallot(f *testing.F) {
	vectorSeeds(f, func(v obj) [][]byte {
		var out [][]byte
		for _, b := range v["ballots"].([]any) {
			out = append(out, toRaw(b.(obj)["ballot"]))
		}
		return out
	})
	m := &Manifest{VoteID: "vote-1", PublicKey: Generator(), Levels: 3, Radix: 11, Rows: 3}
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ParseBallot(data)
		if err != nil {
			return
		}
		js, _ := b.MarshalJSON()
		back, err := ParseBallot(js)
		if err != nil || back.Hash() != b.Hash() || back.Signature != b.Signature {
			t.Fatalf("the ballot does not survive its own encoding: %v", err)
		}
		VerifyBallots(m, []*Ballot{b}) // must not panic
	})
}

// FuzzCeremonyMessage decodes every ceremony message; kind picks the decoder.
func FuzzCeremonyMessage(f *testing.F) {
	vectorSeeds(f, func(v obj) [][]byte {
		c0 := v["ceremonies"].([]any)[0].(obj)
		var out [][]byte
		for _, k := range []string{"round1", "round2", "confirmations"} {
			for _, x := range c0[k].([]any) {
				out = append(out, toRaw(x))
			}
		}
		for _, k := range []string{"complaint", "reopen", "destruction"} {
			out = append(out, toRaw(c0[k]))
		}
		return out
	})
	f.Fuzz(func(t *testing.T, data []byte) {
		type codec struct {
			parse func([]byte) (json.Marshaler, error)
		}
		for _, c := range []codec{
			{func(b []byte) (json.Marshaler, error) { return ParseRound1(b) }},
			{func(b []byte) (json.Marshaler, error) { return ParseRound2(b) }},
			{func(b []byte) (json.Marshaler, error) { return ParseConfirmation(b) }},
			{func(b []byte) (json.Marshaler, error) { return ParseComplaint(b) }},
			{func(b []byte) (json.Marshaler, error) { return ParseReopen(b) }},
			{func(b []byte) (json.Marshaler, error) { return ParseDestruction(b) }},
		} {
			roundTrip(t, data, c.parse)
		}
	})
}

// FuzzTallyMessage decodes encrypted sums and partial decryptions.
func FuzzTallyMessage(f *testing.F) {
	vectorSeeds(f, func(v obj) [][]byte {
		ty := v["tally"].(obj)
		out := [][]byte{toRaw(ty["sums"])}
		for _, p := range ty["partials"].([]any) {
			out = append(out, toRaw(p))
		}
		return out
	})
	f.Fuzz(func(t *testing.T, data []byte) {
		roundTrip(t, data, func(b []byte) (json.Marshaler, error) { return ParsePartialDecryption(b) })
		if sums, err := ParseSums(data); err == nil {
			if back, err := ParseSums(SumsJSON(sums)); err != nil || len(back) != len(sums) {
				t.Fatalf("sums do not survive their encoding: %v", err)
			}
		}
	})
}

// FuzzStatement decodes the other signed objects: manifest, reveal, credential list,
// certification, share file.
func FuzzStatement(f *testing.F) {
	vectorSeeds(f, func(v obj) [][]byte {
		c0 := v["ceremonies"].([]any)[0].(obj)
		return [][]byte{toRaw(v["manifest"]), toRaw(v["reveal"]), toRaw(v["credential_list"].(obj)["list"]),
			toRaw(v["certification"].(obj)["certification"]), toRaw(c0["share_file"])}
	})
	f.Fuzz(func(t *testing.T, data []byte) {
		roundTrip(t, data, func(b []byte) (json.Marshaler, error) { return ParseManifest(b) })
		roundTrip(t, data, func(b []byte) (json.Marshaler, error) { return ParseReveal(b) })
		roundTrip(t, data, func(b []byte) (json.Marshaler, error) { return ParseCredentialList(b) })
		roundTrip(t, data, func(b []byte) (json.Marshaler, error) { return ParseCertification(b) })
		roundTrip(t, data, func(b []byte) (json.Marshaler, error) { return ParseShareFile(b) })
	})
}

func roundTrip(t *testing.T, data []byte, parse func([]byte) (json.Marshaler, error)) {
	m, err := parse(data)
	if err != nil {
		return
	}
	js, err := m.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	back, err := parse(js)
	if err != nil {
		t.Fatalf("an accepted message does not decode from its own encoding: %v\n%s", err, js)
	}
	js2, _ := back.MarshalJSON()
	if !bytes.Equal(js, js2) {
		t.Fatalf("the encoding is not stable:\n%s\n%s", js, js2)
	}
}

// FuzzPaperTotals decodes paper totals messages and submissions (§13); an accepted message must
// keep its hash and signature through its own encoding, and the checks must not panic.
func FuzzPaperTotals(f *testing.F) {
	data, err := os.ReadFile(goPaperVectors)
	if err != nil {
		f.Fatal(err)
	}
	var v obj
	if err := json.Unmarshal(data, &v); err != nil {
		f.Fatal(err)
	}
	pj := v["paper"].(obj)
	f.Add(toRaw(pj["message"]))
	f.Add(toRaw(pj["submission"]))
	for _, n := range v["negative"].([]any) {
		f.Add(toRaw(n.(obj)["object"]))
	}
	cx := paperContextOf(f, v)
	f.Fuzz(func(t *testing.T, data []byte) {
		roundTrip(t, data, func(b []byte) (json.Marshaler, error) { return ParsePaperTotals(b) })
		roundTrip(t, data, func(b []byte) (json.Marshaler, error) { return ParsePaperSubmission(b) })
		if pt, err := ParsePaperTotals(data); err == nil {
			back, err := ParsePaperTotals(raw(pt))
			if err != nil || back.Hash() != pt.Hash() || back.Signature != pt.Signature {
				t.Fatalf("the message does not survive its own encoding: %v", err)
			}
			CheckPaperTotals(cx.result, cx.manifest, pt) // must not panic
			CheckPaperOpenings(cx.manifest, pt, nil, cx.ballots, cx.totals)
		}
		if s, err := ParsePaperSubmission(data); err == nil {
			CheckPaperSubmission(cx.result, cx.manifest, s, cx.ballots, cx.totals) // must not panic
		}
	})
}

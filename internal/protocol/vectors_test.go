package protocol

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"filippo.io/edwards25519"
	"github.com/gtank/ristretto255"
)

var update = flag.Bool("update", false, "rewrite testdata/vectors-go.json")

const (
	goVectors = "testdata/vectors-go.json"
	// The TypeScript side writes its vectors here (path relative to the module root).
	tsVectors = "../../frontend/src/protocol/testdata/vectors-ts.json"
)

// vectorParams are the inputs of a vector file; the generator is the same procedure in Go and in
// TypeScript (frontend/src/protocol/vectors.ts), so each side can regenerate the other's file.
type vectorParams struct {
	Label      string
	Seed       string
	Ceremonies [][2]int // (n, t)
}

var goParams = vectorParams{Label: "go", Seed: "tinnhiem vectors go", Ceremonies: [][2]int{{3, 2}}}
var tsParams = vectorParams{Label: "ts", Seed: "tinnhiem vectors ts", Ceremonies: [][2]int{{3, 2}, {7, 4}}}

type obj = map[string]any

func raw(m json.Marshaler) json.RawMessage {
	b, err := m.MarshalJSON()
	if err != nil {
		panic(err)
	}
	return b
}

func hx(b []byte) string { return hex.EncodeToString(b) }

// Fixed inputs of the encoding vectors.
var (
	invalidPoints = []struct{ Hex, Code string }{
		{"0100000000000000000000000000000000000000000000000000000000000000", CodePoint},    // s negative (odd)
		{"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", CodePoint},    // s = p
		{"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", CodePoint},    // s >= p
		{"26948d35ca62e643e26a83177332e6b6afeb9d08e4268b650f1f5bbd8d81d371", CodePoint},    // non-square x^2 (RFC 9496)
		{"3eb858e78f5a7254d8c9731174a94f76755fd3941c0ac93735c07ba14579630e", CodePoint},    // negative xy (RFC 9496)
		{"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", CodePoint},    // s = -1, y = 0 (RFC 9496)
		{"0000000000000000000000000000000000000000000000000000000000000000", CodeIdentity}, // identity where refused
	}
	invalidScalars = []string{
		"edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010", // l
		"eed3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010", // l + 1
		"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	}
	invalidHex = []struct{ Hex, Code string }{
		{"E2F2AE0A6ABC4E71A884A961C500515F58E30B6AA582DD8DB6A65945E08D2D76", CodeHex},
		{"e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d7", CodeLength},
		{"e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d", CodeLength},
		{"0xf2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76", CodeHex},
		{"e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76 ", CodeLength},
	}
	torsion8   = "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"
	vectorUIDs = []string{"user-a", "alice@example.com", "Nguyễn Văn Án", "5f0c3f9e-2d7a-4c1b-9a57-0c6a1d2e8b41"}
)

func invalidKeys() []string {
	t, _ := new(edwards25519.Point).SetBytes(mustHex(torsion8))
	mixed := new(edwards25519.Point).Add(edwards25519.NewGeneratorPoint(), t)
	return []string{
		"0100000000000000000000000000000000000000000000000000000000000000", // identity
		"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // order 2
		torsion8,          // order 8
		hx(mixed.Bytes()), // B + torsion: not in the prime-order subgroup
		"eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // y = p + 1: non-canonical
	}
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// vectorCeremony is the ceremony of index i of a vector file.
func vectorCeremony(label string, i, n, t int) *Ceremony {
	c := &Ceremony{ID: fmt.Sprintf("ceremony-%s-%d", label, i), CouncilID: "council-1", VoteID: "vote-1", Threshold: t}
	for j := 0; j < n; j++ {
		c.Members = append(c.Members, fmt.Sprintf("member-%d-%d", i, j))
	}
	return c
}

func ceremonyJSON(c *Ceremony) obj {
	return obj{"id": c.ID, "council_id": c.CouncilID, "vote_id": c.VoteID, "threshold": c.Threshold, "members": c.Members}
}

var vectorKDF = KDFParams{Memory: 8192, Time: 1, Lanes: 1}

const vectorPassphrase = "mật khẩu của tôi 1"

// generateVectors builds a vector file. The random bytes are drawn in the order documented in
// docs/PROTOCOL.md §15 (and followed by the TypeScript generator).
func generateVectors(t testing.TB, p vectorParams) obj {
	rng := newTestRNG(p.Seed)
	out := obj{"version": 1, "generator": p.Label, "seed": p.Seed}

	// Encodings.
	var rs []obj
	for i := 0; i < 3; i++ {
		b := make([]byte, 48)
		rng.Read(b)
		rs = append(rs, obj{"bytes": hx(b), "scalar": ScalarHex(scalarFrom48(b))})
	}
	var pts []obj
	scalars := []*ristretto255.Scalar{scalarU64(0), scalarU64(1), scalarU64(2), scalarU64(3), scalarU64(255),
		scalarFromBig(new(big.Int).Lsh(big.NewInt(1), 64)), scalarFromBig(orderMinusOne)}
	for i := 0; i < 2; i++ {
		s, _ := RandomScalar(rng)
		scalars = append(scalars, s)
	}
	for _, s := range scalars {
		pts = append(pts, obj{"scalar": ScalarHex(s), "point": NewPoint(ristretto255.NewIdentityElement().ScalarBaseMult(s)).Hex()})
	}
	var ip []obj
	for _, x := range invalidPoints {
		ip = append(ip, obj{"hex": x.Hex, "code": x.Code})
	}
	var ih []obj
	for _, x := range invalidHex {
		ih = append(ih, obj{"hex": x.Hex, "code": x.Code})
	}
	out["encodings"] = obj{"random_scalars": rs, "points": pts, "invalid_points": ip, "invalid_scalars": invalidScalars,
		"invalid_hex": ih, "invalid_keys": invalidKeys()}

	// Hashes and fingerprints.
	long := make([]byte, 200)
	rng.Read(long)
	hashInputs := [][]string{{}, {"", "00", "616263"}, {hx(long)}}
	var hs []obj
	for _, fields := range hashInputs {
		var fb [][]byte
		for _, f := range fields {
			fb = append(fb, mustHex(f))
		}
		h := Hash("tinnhiem/v1/test", fb...)
		hs = append(hs, obj{"tag": "tinnhiem/v1/test", "fields": append([]string{}, fields...), "hash": hx(h[:]), "scalar": ScalarHex(scalarFromHash(h))})
	}
	out["hashes"] = hs
	var fps []obj
	for i := 0; i < 3; i++ {
		var h [64]byte
		rng.Read(h[:])
		fps = append(fps, obj{"hash": hx(h[:]), "fingerprint": Fingerprint80(h)})
	}
	out["fingerprints"] = fps

	// Codes and credentials.
	var codes []obj
	for i := 0; i < 3; i++ {
		c, _ := NewCode(rng)
		priv, pub, err := Credential(c)
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, obj{"code": c, "formatted": FormatCode(c), "qr": CodeQR(c), "seed": hx(priv.Seed()), "public_key": hx(pub[:])})
	}
	out["codes"] = codes

	// Identifiers and Lagrange coefficients.
	var ids []Identifier
	var idv []obj
	for _, u := range vectorUIDs {
		id, err := DeriveIdentifier(u)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
		idv = append(idv, obj{"user_id": u, "identifier": id.Hex()})
	}
	out["identifiers"] = idv
	var lg []obj
	for _, set := range [][]int{{0, 1}, {0, 2}, {2, 0}, {0, 1, 2}, {1, 2, 3}, {0, 1, 2, 3}} {
		var sub []Identifier
		var hexes []string
		for _, i := range set {
			sub = append(sub, ids[i])
			hexes = append(hexes, ids[i].Hex())
		}
		l, err := Lagrange(sub)
		if err != nil {
			t.Fatal(err)
		}
		var co []string
		for _, x := range l {
			co = append(co, ScalarHex(x))
		}
		lg = append(lg, obj{"identifiers": hexes, "coefficients": co})
	}
	out["lagrange"] = lg

	// Ceremonies.
	var boards []*board
	var cers []obj
	for i, nt := range p.Ceremonies {
		c := vectorCeremony(p.Label, i, nt[0], nt[1])
		b := runCeremony(t, rng, c)
		boards = append(boards, b)
		var r1, r2, r3, shares []any
		for j := range c.Members {
			r1 = append(r1, raw(b.r1[j]))
			r2 = append(r2, raw(b.r2[j]))
			r3 = append(r3, raw(b.r3[j].Confirmation))
			shares = append(shares, ScalarHex(&b.keys[j].SigningShare))
		}
		var vsh []obj
		for _, mk := range b.res.Members {
			vsh = append(vsh, obj{"identifier": mk.Identifier.Hex(), "verifying_share": mk.VerifyingShare.Hex()})
		}
		f, err := SealShareFile(rng, b.keys[0], []byte(vectorPassphrase), vectorKDF)
		if err != nil {
			t.Fatal(err)
		}
		reopen, err := NewReopen(rng, b.keys[0])
		if err != nil {
			t.Fatal(err)
		}
		complaint := &Complaint{Version: 1, CeremonyID: c.ID, Identifier: b.keys[0].Identifier, Accused: b.keys[1].Identifier,
			Reason: ReasonShare, Transcript: b.res.Transcript}
		complaint.Signature = Sign(b.keys[0].Signer(), complaint.statement())
		cers = append(cers, obj{
			"ceremony": ceremonyJSON(c), "round1": r1, "round2": r2, "confirmations": r3,
			"transcript": hx(b.res.Transcript[:]), "fingerprint": b.res.Fingerprint(), "group_key": b.res.GroupKey.Hex(),
			"verifying_shares": vsh, "signing_shares": shares,
			"share_file": raw(f), "passphrase": vectorPassphrase, "reopen": raw(reopen),
			"destruction": raw(NewDestruction(b.keys[0])), "complaint": raw(complaint),
		})
	}
	out["ceremonies"] = cers

	// Ballots under the first ceremony's key.
	b0 := boards[0]
	subjects := []string{"official-a", "official-b", "official-c"}
	m := &Manifest{VoteID: "vote-1", PublicKey: b0.res.GroupKey, Levels: 3, Radix: 11, Rows: 3, SubjectsHash: SubjectsHash(subjects)}
	choices := [][]int{{0, 1, 2}, {2, -1, 0}, {1, 1, -1}}
	var bjs []obj
	var ballots []*Ballot
	var secrets []*Secrets
	var creds [][32]byte
	for _, ch := range choices {
		code, _ := NewCode(rng)
		priv, pub, _ := Credential(code)
		bl, sec, err := EncryptBallot(rng, m, priv, ch)
		if err != nil {
			t.Fatal(err)
		}
		ballots, secrets, creds = append(ballots, bl), append(secrets, sec), append(creds, pub)
		h := bl.Hash()
		bjs = append(bjs, obj{"code": code, "choices": ch, "seed": hx(sec.Seed[:]), "ballot": raw(bl), "hash": hx(h[:]),
			"tracking_code": TrackingCode(h), "receipt_qr": ReceiptQR(h)})
	}
	out["manifest"] = raw(m)
	out["subjects"] = subjects
	out["vote_fingerprint"] = m.Fingerprint()
	out["ballots"] = bjs
	out["reveal"] = raw(NewReveal(m, ballots[0], secrets[0]))
	cl := NewCredentialList(m.VoteID, creds, b0.keys[0].Identifier, b0.keys[0].Signer())
	clh := cl.Hash()
	out["credential_list"] = obj{"list": raw(cl), "fingerprint": Fingerprint80(clh)}

	// Tally.
	var enc [][]EncodedCiphertext
	for _, bl := range ballots {
		enc = append(enc, bl.Ciphertexts())
	}
	sums, err := Sum(m.Rows, enc, nil)
	if err != nil {
		t.Fatal(err)
	}
	sh := SumsHash(m.VoteID, sums)
	var partials []any
	var ps []*PartialDecryption
	for j := 0; j < b0.c.Threshold; j++ {
		pd, err := PartialDecrypt(rng, b0.keys[j], m.VoteID, sums)
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, pd)
		partials = append(partials, raw(pd))
	}
	vs, err := Combine(b0.res, sums, ps)
	if err != nil {
		t.Fatal(err)
	}
	counts, err := Counts(m.Levels, m.Radix, uint64(len(ballots)), vs)
	if err != nil {
		t.Fatal(err)
	}
	var vh []string
	for _, v := range vs {
		vh = append(vh, v.Hex())
	}
	out["tally"] = obj{"sums": json.RawMessage(SumsJSON(sums)), "sums_hash": hx(sh[:]), "partials": partials,
		"combined": vh, "counts": counts, "total": len(ballots)}

	// Certification.
	th := Hash("tinnhiem/v1/test", []byte("tally"))
	ah := Hash("tinnhiem/v1/test", []byte("anchor"))
	var tally32, anchor32 [32]byte
	copy(tally32[:], th[:32])
	copy(anchor32[:], ah[:32])
	cert := Certify(b0.keys[0], m.VoteID, tally32, "total_delegates", anchor32, 42)
	st := cert.Statement()
	out["certification"] = obj{"certification": raw(cert), "statement": hx(st[:])}

	out["negative"] = negativeVectors(t, out, b0, bjs[0]["code"].(string))
	return out
}

// A negative vector: one flipped bit (optionally re-signed so that the check behind the signature
// is reached) that both sides must refuse with the same error code and field.
type negCase struct {
	Kind, Path string
	Byte, Bit  int
	Resign     bool
}

var negCases = []negCase{
	{"ballot", "credential", 0, 1, false},
	{"ballot", "manifest_hash", 5, 0, false},
	{"ballot", "manifest_hash", 5, 0, true},
	{"ballot", "rows[0].alpha", 0, 0, false},
	{"ballot", "rows[0].alpha", 0, 1, false},
	{"ballot", "rows[0].beta", 3, 2, false},
	{"ballot", "rows[1].proof[2].a", 0, 1, true},
	{"ballot", "rows[1].proof[2].b", 5, 3, true},
	{"ballot", "rows[2].proof[0].c", 0, 1, false},
	{"ballot", "rows[2].proof[0].c", 0, 1, true},
	{"ballot", "rows[2].proof[3].s", 1, 0, true},
	{"ballot", "rows[2].proof[3].s", 31, 7, false},
	{"ballot", "signature", 10, 0, false},
	{"round1", "commitment[1]", 2, 1, false},
	{"round1", "proof_of_knowledge", 40, 0, false},
	{"round1", "ceremony_key", 4, 1, false},
	{"round1", "signing_key", 0, 2, false},
	{"round1", "signature", 63, 0, false},
	{"round2", "shares[0].ciphertext", 7, 0, false},
	{"round2", "shares[1].nonce", 0, 0, false},
	{"round2", "signature", 0, 0, false},
	{"confirmation", "group_key", 1, 1, false},
	{"confirmation", "verifying_share", 1, 1, false},
	{"confirmation", "transcript", 0, 0, false},
	{"confirmation", "signature", 32, 0, false},
	{"complaint", "accused", 0, 0, false},
	{"complaint", "signature", 1, 0, false},
	{"partial", "rows[0].d", 2, 1, true},
	{"partial", "rows[1].u", 2, 1, true},
	{"partial", "rows[2].v", 2, 1, true},
	{"partial", "rows[2].s", 0, 0, true},
	{"partial", "sums_hash", 0, 0, false},
	{"partial", "signature", 5, 5, false},
	{"certification", "tally_hash", 0, 0, false},
	{"certification", "audit_anchor", 31, 7, false},
	{"certification", "signature", 2, 2, false},
	{"share_file", "ciphertext", 10, 0, false},
	{"share_file", "nonce", 0, 0, false},
	{"share_file", "kdf.salt", 0, 0, false},
	{"reveal", "seed", 0, 0, false},
	{"reveal", "tracking_code", 0, 0, false},
	{"reveal", "public_key", 0, 1, false},
	{"credential_list", "credentials[1]", 0, 1, false},
	{"credential_list", "signature", 0, 0, false},
	{"reopen", "u", 0, 1, false},
	{"reopen", "z", 0, 0, false},
	{"reopen", "signature", 0, 0, false},
	{"destruction", "signature", 0, 0, false},
}

// flipJSON flips one bit of the hex field at path (dots and [i]) of a JSON document.
func flipJSON(doc []byte, path string, byteIdx, bit int) []byte {
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		panic(err)
	}
	parts := splitPath(path)
	cur := v
	for i, p := range parts {
		last := i == len(parts)-1
		switch c := cur.(type) {
		case map[string]any:
			if last {
				c[p.(string)] = flipHex(c[p.(string)].(string), byteIdx, bit)
			}
			cur = c[p.(string)]
		case []any:
			if last {
				c[p.(int)] = flipHex(c[p.(int)].(string), byteIdx, bit)
			}
			cur = c[p.(int)]
		}
	}
	b, _ := json.Marshal(v)
	return b
}

func splitPath(path string) []any {
	var out []any
	for _, seg := range strings.Split(path, ".") {
		name, rest, _ := strings.Cut(seg, "[")
		if name != "" {
			out = append(out, name)
		}
		for rest != "" {
			n, r, _ := strings.Cut(rest, "]")
			i, _ := strconv.Atoi(n)
			out = append(out, i)
			rest = strings.TrimPrefix(r, "[")
		}
	}
	return out
}

func flipHex(s string, byteIdx, bit int) string {
	b := mustHex(s)
	b[byteIdx] ^= 1 << bit
	return hx(b)
}

// negContext is what a negative check needs besides the object.
type negContext struct {
	ceremony *Ceremony
	round1   []*Round1 // member order
	result   *CeremonyResult
	manifest *Manifest
	sums     []Ciphertext
	signer0  [32]byte // member 0's signing key
}

func contextOf(t testing.TB, v obj) *negContext {
	t.Helper()
	c0 := v["ceremonies"].([]any)[0].(obj)
	cx := &negContext{ceremony: parseCeremonyJSON(c0["ceremony"])}
	for _, r := range c0["round1"].([]any) {
		r1, err := ParseRound1(toRaw(r))
		if err != nil {
			t.Fatal(err)
		}
		cx.round1 = append(cx.round1, r1)
	}
	sorted, err := VerifyRound1(cx.ceremony, cx.round1, false)
	if err != nil {
		t.Fatal(err)
	}
	if cx.result, err = ComputeResult(cx.ceremony, sorted); err != nil {
		t.Fatal(err)
	}
	if cx.manifest, err = ParseManifest(toRaw(v["manifest"])); err != nil {
		t.Fatal(err)
	}
	if cx.sums, err = ParseSums(toRaw(v["tally"].(obj)["sums"])); err != nil {
		t.Fatal(err)
	}
	cx.signer0 = cx.round1[0].SigningKey
	return cx
}

// checkObject parses and checks one object of a kind, as the server or the verifier would.
func checkObject(cx *negContext, kind string, doc []byte) error {
	switch kind {
	case "ballot":
		b, err := ParseBallot(doc)
		if err != nil {
			return err
		}
		return VerifyBallots(cx.manifest, []*Ballot{b})
	case "round1":
		r, err := ParseRound1(doc)
		if err != nil {
			return err
		}
		msgs := append([]*Round1{r}, cx.round1[1:]...)
		_, err = VerifyRound1(cx.ceremony, msgs, false)
		return err
	case "round2":
		r, err := ParseRound2(doc)
		if err != nil {
			return err
		}
		sorted, _ := VerifyRound1(cx.ceremony, cx.round1, false)
		return VerifyRound2(cx.ceremony, sorted, cx.result.Transcript, r)
	case "confirmation":
		r, err := ParseConfirmation(doc)
		if err != nil {
			return err
		}
		return cx.result.CheckConfirmation(r)
	case "complaint":
		r, err := ParseComplaint(doc)
		if err != nil {
			return err
		}
		return cx.result.CheckComplaint(r)
	case "partial":
		p, err := ParsePartialDecryption(doc)
		if err != nil {
			return err
		}
		return VerifyPartials(cx.result, cx.manifest.VoteID, cx.sums, []*PartialDecryption{p})
	case "certification":
		c, err := ParseCertification(doc)
		if err != nil {
			return err
		}
		return c.Verify(cx.signer0)
	case "share_file":
		f, err := ParseShareFile(doc)
		if err != nil {
			return err
		}
		_, err = f.Open([]byte(vectorPassphrase))
		return err
	case "reveal":
		r, err := ParseReveal(doc)
		if err != nil {
			return err
		}
		_, err = CheckReveal(r)
		return err
	case "credential_list":
		l, err := ParseCredentialList(doc)
		if err != nil {
			return err
		}
		return l.Verify(cx.signer0)
	case "reopen":
		r, err := ParseReopen(doc)
		if err != nil {
			return err
		}
		return cx.result.CheckReopen(r)
	case "destruction":
		d, err := ParseDestruction(doc)
		if err != nil {
			return err
		}
		return d.Verify(cx.signer0)
	}
	panic("unknown kind " + kind)
}

// originals returns the untampered object of each kind in a vector file.
func originals(v obj) map[string][]byte {
	c0 := v["ceremonies"].([]any)[0].(obj)
	return map[string][]byte{
		"ballot":          toRaw(v["ballots"].([]any)[0].(obj)["ballot"]),
		"round1":          toRaw(c0["round1"].([]any)[0]),
		"round2":          toRaw(c0["round2"].([]any)[0]),
		"confirmation":    toRaw(c0["confirmations"].([]any)[0]),
		"complaint":       toRaw(c0["complaint"]),
		"partial":         toRaw(v["tally"].(obj)["partials"].([]any)[0]),
		"certification":   toRaw(v["certification"].(obj)["certification"]),
		"share_file":      toRaw(c0["share_file"]),
		"reveal":          toRaw(v["reveal"]),
		"credential_list": toRaw(v["credential_list"].(obj)["list"]),
		"reopen":          toRaw(c0["reopen"]),
		"destruction":     toRaw(c0["destruction"]),
	}
}

func negativeVectors(t testing.TB, v obj, b *board, ballotCode string) []obj {
	// Round-trip through JSON so that the context is read as a verifier reads it.
	var doc obj
	if err := json.Unmarshal(mustMarshal(v), &doc); err != nil {
		t.Fatal(err)
	}
	cx := contextOf(t, doc)
	orig := originals(doc)
	var out []obj
	for _, nc := range negCases {
		tampered := flipJSON(orig[nc.Kind], nc.Path, nc.Byte, nc.Bit)
		if nc.Resign {
			tampered = resign(t, nc.Kind, tampered, ballotCode, b.keys[0])
		}
		err := checkObject(cx, nc.Kind, tampered)
		var pe *Error
		if !errors.As(err, &pe) {
			t.Fatalf("negative %s %s: not refused (%v)", nc.Kind, nc.Path, err)
		}
		var js any
		json.Unmarshal(tampered, &js)
		out = append(out, obj{"kind": nc.Kind, "path": nc.Path, "byte": nc.Byte, "bit": nc.Bit, "resigned": nc.Resign,
			"object": js, "code": pe.Code, "field": pe.Field})
	}
	return out
}

// resign signs a tampered ballot again with its credential, or a tampered partial decryption with
// member 0's key, so that the proof check behind the signature is reached.
func resign(t testing.TB, kind string, doc []byte, code string, k *ShareKey) []byte {
	switch kind {
	case "ballot":
		b, err := ParseBallot(doc)
		if err != nil {
			return doc // refused at decoding already
		}
		priv, _, _ := Credential(code)
		b.Signature = Sign(priv, b.Hash())
		return raw(b)
	case "partial":
		p, err := ParsePartialDecryption(doc)
		if err != nil {
			return doc
		}
		p.Signature = Sign(k.Signer(), p.statement())
		return raw(p)
	}
	t.Fatalf("cannot re-sign %s", kind)
	return nil
}

func mustMarshal(v any) []byte {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		panic(err)
	}
	return append(b, '\n')
}

func toRaw(v any) []byte {
	if r, ok := v.(json.RawMessage); ok {
		return r
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func parseCeremonyJSON(v any) *Ceremony {
	var w struct {
		ID        string   `json:"id"`
		CouncilID string   `json:"council_id"`
		VoteID    string   `json:"vote_id"`
		Threshold int      `json:"threshold"`
		Members   []string `json:"members"`
	}
	if err := json.Unmarshal(toRaw(v), &w); err != nil {
		panic(err)
	}
	return &Ceremony{ID: w.ID, CouncilID: w.CouncilID, VoteID: w.VoteID, Threshold: w.Threshold, Members: w.Members}
}

// TestVectorsGo regenerates the Go vectors and compares them with the committed file (-update
// rewrites it), then checks the committed file with the checker every side runs.
func TestVectorsGo(t *testing.T) {
	got := mustMarshal(generateVectors(t, goParams))
	if *update {
		if err := os.WriteFile(goVectors, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(goVectors)
	if err != nil {
		t.Fatalf("%v (run go test -run TestVectorsGo -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("the Go encodings changed: %s differs from a fresh generation (run with -update only if the change is intended, and update the TypeScript side)", goVectors)
	}
	checkVectorFile(t, want)
}

// TestVectorsTS checks the file the TypeScript side wrote, and regenerates it in Go.
func TestVectorsTS(t *testing.T) {
	data, err := os.ReadFile(filepath.FromSlash(tsVectors))
	if err != nil {
		t.Fatalf("the TypeScript vectors are missing: %v", err)
	}
	checkVectorFile(t, data)
	var fromTS, fromGo any
	json.Unmarshal(data, &fromTS)
	json.Unmarshal(mustMarshal(generateVectors(t, tsParams)), &fromGo)
	if !reflect.DeepEqual(fromTS, fromGo) {
		t.Fatal("Go does not regenerate the TypeScript vectors identically from the same seed")
	}
}

func checkVectorFile(t *testing.T, data []byte) {
	var v obj
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	t.Run("encodings", func(t *testing.T) { checkEncodings(t, v["encodings"].(obj)) })
	t.Run("hashes", func(t *testing.T) { checkHashes(t, v) })
	t.Run("codes", func(t *testing.T) { checkCodes(t, v) })
	t.Run("identifiers", func(t *testing.T) { checkIdentifiers(t, v) })
	for i, c := range v["ceremonies"].([]any) {
		t.Run(fmt.Sprintf("ceremony-%d", i), func(t *testing.T) { checkCeremony(t, c.(obj)) })
	}
	t.Run("ballots", func(t *testing.T) { checkBallots(t, v) })
	t.Run("tally", func(t *testing.T) { checkTally(t, v) })
	t.Run("negative", func(t *testing.T) { checkNegative(t, v) })
}

func str(v any) string { return v.(string) }

func eq(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: got %v, want %v", what, got, want)
	}
}

func checkEncodings(t *testing.T, e obj) {
	for _, x := range e["random_scalars"].([]any) {
		o := x.(obj)
		eq(t, "random scalar", ScalarHex(scalarFrom48(mustHex(str(o["bytes"])))), o["scalar"])
	}
	for _, x := range e["points"].([]any) {
		o := x.(obj)
		s, err := ParseScalarHex("scalar", str(o["scalar"]))
		if err != nil {
			t.Fatal(err)
		}
		p := NewPoint(ristretto255.NewIdentityElement().ScalarBaseMult(s))
		eq(t, "x·G", p.Hex(), o["point"])
		back, err := ParsePointHex("point", str(o["point"]), true)
		if err != nil || !back.Equal(p) {
			t.Errorf("decode %s: %v", o["point"], err)
		}
	}
	for _, x := range e["invalid_points"].([]any) {
		o := x.(obj)
		_, err := ParsePointHex("p", str(o["hex"]), false)
		var pe *Error
		if !errors.As(err, &pe) || pe.Code != o["code"] {
			t.Errorf("point %s: got %v, want code %s", o["hex"], err, o["code"])
		}
	}
	for _, x := range e["invalid_scalars"].([]any) {
		_, err := ParseScalarHex("s", str(x))
		var pe *Error
		if !errors.As(err, &pe) || pe.Code != CodeScalar {
			t.Errorf("scalar %s: got %v", x, err)
		}
	}
	for _, x := range e["invalid_hex"].([]any) {
		o := x.(obj)
		_, err := ParsePointHex("p", str(o["hex"]), false)
		var pe *Error
		if !errors.As(err, &pe) || pe.Code != o["code"] {
			t.Errorf("hex %q: got %v, want code %s", o["hex"], err, o["code"])
		}
	}
	for _, x := range e["invalid_keys"].([]any) {
		err := CheckPublicKey(mustHex(str(x)))
		var pe *Error
		if !errors.As(err, &pe) || pe.Code != CodeKey {
			t.Errorf("key %s: got %v", x, err)
		}
	}
}

func checkHashes(t *testing.T, v obj) {
	for _, x := range v["hashes"].([]any) {
		o := x.(obj)
		var fields [][]byte
		for _, f := range o["fields"].([]any) {
			fields = append(fields, mustHex(str(f)))
		}
		h := Hash(str(o["tag"]), fields...)
		eq(t, "hash", hx(h[:]), o["hash"])
		eq(t, "hash to scalar", ScalarHex(HashToScalar(str(o["tag"]), fields...)), o["scalar"])
	}
	for _, x := range v["fingerprints"].([]any) {
		o := x.(obj)
		var h [64]byte
		copy(h[:], mustHex(str(o["hash"])))
		eq(t, "fingerprint", Fingerprint80(h), o["fingerprint"])
	}
}

func checkCodes(t *testing.T, v obj) {
	for _, x := range v["codes"].([]any) {
		o := x.(obj)
		c, err := ParseCode(strings.ToLower(str(o["formatted"])))
		if err != nil {
			t.Fatal(err)
		}
		eq(t, "code", c, o["code"])
		eq(t, "formatted", FormatCode(c), o["formatted"])
		q, err := ParseCodeQR(str(o["qr"]))
		if err != nil || q != c {
			t.Errorf("qr %s: %v", o["qr"], err)
		}
		priv, pub, _ := Credential(c)
		eq(t, "seed", hx(priv.Seed()), o["seed"])
		eq(t, "public credential", hx(pub[:]), o["public_key"])
	}
}

func checkIdentifiers(t *testing.T, v obj) {
	for _, x := range v["identifiers"].([]any) {
		o := x.(obj)
		id, err := DeriveIdentifier(str(o["user_id"]))
		if err != nil {
			t.Fatal(err)
		}
		eq(t, "identifier of "+str(o["user_id"]), id.Hex(), o["identifier"])
	}
	for _, x := range v["lagrange"].([]any) {
		o := x.(obj)
		var ids []Identifier
		for _, h := range o["identifiers"].([]any) {
			id, err := ParseIdentifierHex("id", str(h))
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		l, err := Lagrange(ids)
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range o["coefficients"].([]any) {
			eq(t, "lagrange", ScalarHex(l[i]), c)
		}
	}
}

func checkCeremony(t *testing.T, o obj) {
	c := parseCeremonyJSON(o["ceremony"])
	var r1 []*Round1
	for _, x := range o["round1"].([]any) {
		r, err := ParseRound1(toRaw(x))
		if err != nil {
			t.Fatal(err)
		}
		r1 = append(r1, r)
	}
	sorted, err := VerifyRound1(c, r1, false)
	if err != nil {
		t.Fatal(err)
	}
	res, err := ComputeResult(c, sorted)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "transcript", hx(res.Transcript[:]), o["transcript"])
	eq(t, "fingerprint", res.Fingerprint(), o["fingerprint"])
	eq(t, "group key", res.GroupKey.Hex(), o["group_key"])
	for i, x := range o["verifying_shares"].([]any) {
		eq(t, "verifying share", res.Members[i].VerifyingShare.Hex(), x.(obj)["verifying_share"])
		eq(t, "identifier order", res.Members[i].Identifier.Hex(), x.(obj)["identifier"])
	}
	for _, x := range o["round2"].([]any) {
		r, err := ParseRound2(toRaw(x))
		if err != nil {
			t.Fatal(err)
		}
		if err := VerifyRound2(c, sorted, res.Transcript, r); err != nil {
			t.Fatal(err)
		}
	}
	for _, x := range o["confirmations"].([]any) {
		r, err := ParseConfirmation(toRaw(x))
		if err != nil {
			t.Fatal(err)
		}
		if err := res.CheckConfirmation(r); err != nil {
			t.Fatal(err)
		}
	}
	for j, x := range o["signing_shares"].([]any) {
		s, _ := ParseScalarHex("s", str(x))
		mk, _ := res.Member(r1[j].Identifier)
		if ristretto255.NewIdentityElement().ScalarBaseMult(s).Equal(&mk.VerifyingShare.e) != 1 {
			t.Errorf("member %d: the signing share does not match its verifying share", j)
		}
	}
	f, err := ParseShareFile(toRaw(o["share_file"]))
	if err != nil {
		t.Fatal(err)
	}
	k, err := f.Open([]byte(str(o["passphrase"])))
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "share in the file", ScalarHex(&k.SigningShare), o["signing_shares"].([]any)[0])
	eq(t, "signing key in the file", k.SigningKey(), r1[0].SigningKey)
	eq(t, "fingerprint in the file", k.Fingerprint, o["fingerprint"])
	if _, err := f.Open([]byte("wrong")); err == nil {
		t.Error("a wrong passphrase opened the file")
	}
	ro, err := ParseReopen(toRaw(o["reopen"]))
	if err != nil {
		t.Fatal(err)
	}
	if err := res.CheckReopen(ro); err != nil {
		t.Fatal(err)
	}
	d, err := ParseDestruction(toRaw(o["destruction"]))
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Verify(r1[0].SigningKey); err != nil {
		t.Fatal(err)
	}
	cp, err := ParseComplaint(toRaw(o["complaint"]))
	if err != nil {
		t.Fatal(err)
	}
	if err := res.CheckComplaint(cp); err != nil {
		t.Fatal(err)
	}
}

func checkBallots(t *testing.T, v obj) {
	m, err := ParseManifest(toRaw(v["manifest"]))
	if err != nil {
		t.Fatal(err)
	}
	var subjects []string
	for _, s := range v["subjects"].([]any) {
		subjects = append(subjects, str(s))
	}
	eq(t, "subjects hash", SubjectsHash(subjects), m.SubjectsHash)
	eq(t, "vote fingerprint", m.Fingerprint(), v["vote_fingerprint"])
	var bs []*Ballot
	var creds [][32]byte
	for _, x := range v["ballots"].([]any) {
		o := x.(obj)
		b, err := ParseBallot(toRaw(o["ballot"]))
		if err != nil {
			t.Fatal(err)
		}
		bs = append(bs, b)
		h := b.Hash()
		eq(t, "ballot hash", hx(h[:]), o["hash"])
		eq(t, "tracking code", TrackingCode(h), o["tracking_code"])
		eq(t, "receipt QR", ReceiptQR(h), o["receipt_qr"])
		_, pub, _ := Credential(str(o["code"]))
		eq(t, "credential", pub, b.Credential)
		creds = append(creds, pub)
		var options []int
		for _, c := range o["choices"].([]any) {
			options = append(options, int(c.(float64))+1)
		}
		var seed [32]byte
		copy(seed[:], mustHex(str(o["seed"])))
		rebuilt, err := BuildBallot(m, pub, options, seed)
		if err != nil {
			t.Fatal(err)
		}
		eq(t, "ballot rebuilt from its seed", rebuilt.Hash(), h)
	}
	if err := VerifyBallots(m, bs); err != nil {
		t.Fatal(err)
	}
	r, err := ParseReveal(toRaw(v["reveal"]))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := CheckReveal(r); err != nil {
		t.Fatal(err)
	}
	eq(t, "revealed tracking code", r.TrackingCode, bs[0].Hash())
	l, err := ParseCredentialList(toRaw(v["credential_list"].(obj)["list"]))
	if err != nil {
		t.Fatal(err)
	}
	c0 := v["ceremonies"].([]any)[0].(obj)
	r10, _ := ParseRound1(toRaw(c0["round1"].([]any)[0]))
	if err := l.Verify(r10.SigningKey); err != nil {
		t.Fatal(err)
	}
	eq(t, "credential list fingerprint", Fingerprint80(l.Hash()), v["credential_list"].(obj)["fingerprint"])
	eq(t, "credentials listed", len(l.Credentials), len(creds))
	cert, err := ParseCertification(toRaw(v["certification"].(obj)["certification"]))
	if err != nil {
		t.Fatal(err)
	}
	st := cert.Statement()
	eq(t, "certification statement", hx(st[:]), v["certification"].(obj)["statement"])
	if err := cert.Verify(r10.SigningKey); err != nil {
		t.Fatal(err)
	}
}

func checkTally(t *testing.T, v obj) {
	cx := contextOf(t, v)
	ty := v["tally"].(obj)
	var enc [][]EncodedCiphertext
	for _, x := range v["ballots"].([]any) {
		b, err := ParseBallot(toRaw(x.(obj)["ballot"]))
		if err != nil {
			t.Fatal(err)
		}
		enc = append(enc, b.Ciphertexts())
	}
	sums, err := Sum(cx.manifest.Rows, enc, nil)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "sums", string(SumsJSON(sums)), string(SumsJSON(cx.sums)))
	sh := SumsHash(cx.manifest.VoteID, sums)
	eq(t, "sums hash", hx(sh[:]), ty["sums_hash"])
	var ps []*PartialDecryption
	for _, x := range ty["partials"].([]any) {
		p, err := ParsePartialDecryption(toRaw(x))
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	if err := VerifyPartials(cx.result, cx.manifest.VoteID, sums, ps); err != nil {
		t.Fatal(err)
	}
	vs, err := Combine(cx.result, sums, ps)
	if err != nil {
		t.Fatal(err)
	}
	for i, x := range ty["combined"].([]any) {
		eq(t, "combined", vs[i].Hex(), x)
	}
	total := uint64(ty["total"].(float64))
	counts, err := Counts(cx.manifest.Levels, cx.manifest.Radix, total, vs)
	if err != nil {
		t.Fatal(err)
	}
	var want [][]uint64
	json.Unmarshal(toRaw(ty["counts"]), &want)
	eq(t, "counts", counts, want)
	if err := CheckCounts(cx.manifest.Levels, cx.manifest.Radix, total, vs, want); err != nil {
		t.Fatal(err)
	}
}

func checkNegative(t *testing.T, v obj) {
	cx := contextOf(t, v)
	orig := originals(v)
	for kind, doc := range orig {
		if err := checkObject(cx, kind, doc); err != nil {
			t.Errorf("the untampered %s is refused: %v", kind, err)
		}
	}
	for _, x := range v["negative"].([]any) {
		o := x.(obj)
		err := checkObject(cx, str(o["kind"]), toRaw(o["object"]))
		var pe *Error
		if !errors.As(err, &pe) {
			t.Errorf("%s %s: not refused (%v)", o["kind"], o["path"], err)
			continue
		}
		if pe.Code != o["code"] || pe.Field != o["field"] {
			t.Errorf("%s %s: got %s at %q, want %s at %q", o["kind"], o["path"], pe.Code, pe.Field, o["code"], o["field"])
		}
	}
}

// ---- Paper totals (docs/PROTOCOL.md §13, §15) ----
//
// The paper vectors are a second file per side, made by a second generator that both sides share:
// from (label, seed) it runs a 3-member ceremony (t = 2), casts 2 ballots, encrypts the settled
// paper totals with member 0's key, and decrypts the sums that include them.

type paperVectorParams struct{ Label, Seed string }

var (
	goPaperParams = paperVectorParams{Label: "go", Seed: "tinnhiem paper vectors go"}
	tsPaperParams = paperVectorParams{Label: "ts", Seed: "tinnhiem paper vectors ts"}
	paperChoices  = [][]int{{0, 1, 2}, {2, -1, 0}}
	paperBallots  = uint64(4)
	paperTotals   = [][]uint64{{2, 1, 0}, {0, 0, 3}, {0, 0, 0}}
)

const (
	goPaperVectors = "testdata/paper-vectors-go.json"
	tsPaperVectors = "../../frontend/src/protocol/testdata/paper-vectors-ts.json"
)

var paperNegCases = []negCase{
	{"paper_totals", "manifest_hash", 0, 0, false},
	{"paper_totals", "identifier", 0, 0, false},
	{"paper_totals", "rows[0].alpha", 0, 0, false},
	{"paper_totals", "rows[2].beta", 2, 1, false},
	{"paper_totals", "signature", 3, 0, false},
	{"paper_submission", "paper_totals.rows[0].alpha", 1, 0, true},
	{"paper_submission", "paper_totals.rows[1].beta", 1, 0, true},
	{"paper_submission", "openings[1]", 0, 0, false},
	{"paper_submission", "openings[2]", 31, 7, false},
}

// generatePaperVectors draws the test RNG in this order: the ceremony (as in generateVectors), then
// per ballot a code and its 32-byte seed, then 48 bytes per row for the paper totals, then the
// partial decryptions of the first t members (48 bytes per row).
func generatePaperVectors(t testing.TB, p paperVectorParams) obj {
	rng := newTestRNG(p.Seed)
	c := &Ceremony{ID: "ceremony-paper-" + p.Label, CouncilID: "council-1", VoteID: "vote-paper", Threshold: 2,
		Members: []string{"member-p-0", "member-p-1", "member-p-2"}}
	b := runCeremony(t, rng, c)
	var r1 []any
	for _, r := range b.r1 {
		r1 = append(r1, raw(r))
	}
	subjects := []string{"official-a", "official-b", "official-c"}
	m := &Manifest{VoteID: "vote-paper", PublicKey: b.res.GroupKey, Levels: 3, Radix: 11, Rows: 3, SubjectsHash: SubjectsHash(subjects)}
	var bjs []obj
	var enc [][]EncodedCiphertext
	for _, ch := range paperChoices {
		code, _ := NewCode(rng)
		priv, _, _ := Credential(code)
		bl, _, err := EncryptBallot(rng, m, priv, ch)
		if err != nil {
			t.Fatal(err)
		}
		enc = append(enc, bl.Ciphertexts())
		bjs = append(bjs, obj{"code": code, "choices": ch, "ballot": raw(bl)})
	}
	pt, openings, err := EncryptPaperTotals(rng, m, b.keys[0], paperBallots, paperTotals)
	if err != nil {
		t.Fatal(err)
	}
	h := pt.Hash()
	sums, err := Sum(m.Rows, enc, [][]EncodedCiphertext{pt.Ciphertexts()})
	if err != nil {
		t.Fatal(err)
	}
	sh := SumsHash(m.VoteID, sums)
	var partials []any
	var ps []*PartialDecryption
	for j := 0; j < c.Threshold; j++ {
		pd, err := PartialDecrypt(rng, b.keys[j], m.VoteID, sums)
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, pd)
		partials = append(partials, raw(pd))
	}
	vs, err := Combine(b.res, sums, ps)
	if err != nil {
		t.Fatal(err)
	}
	total := uint64(len(enc)) + paperBallots
	counts, err := Counts(m.Levels, m.Radix, total, vs)
	if err != nil {
		t.Fatal(err)
	}
	var vh []string
	for _, v := range vs {
		vh = append(vh, v.Hex())
	}
	out := obj{"version": 1, "generator": p.Label, "seed": p.Seed,
		"ceremony": ceremonyJSON(c), "round1": r1, "manifest": raw(m), "subjects": subjects, "ballots": bjs,
		"paper": obj{"ballots": paperBallots, "totals": paperTotals, "message": raw(pt), "hash": hx(h[:]),
			"openings": openings, "submission": raw(&PaperSubmission{Totals: pt, Openings: openings})},
		"tally": obj{"sums": json.RawMessage(SumsJSON(sums)), "sums_hash": hx(sh[:]), "partials": partials,
			"combined": vh, "counts": counts, "total": total},
	}
	out["negative"] = paperNegativeVectors(t, out, b.keys[0])
	return out
}

// paperContext is what a paper check needs: the ceremony result, the manifest and the settled figures.
type paperContext struct {
	result   *CeremonyResult
	manifest *Manifest
	ballots  uint64
	totals   [][]uint64
}

func paperContextOf(t testing.TB, v obj) *paperContext {
	t.Helper()
	c := parseCeremonyJSON(v["ceremony"])
	var r1 []*Round1
	for _, x := range v["round1"].([]any) {
		r, err := ParseRound1(toRaw(x))
		if err != nil {
			t.Fatal(err)
		}
		r1 = append(r1, r)
	}
	sorted, err := VerifyRound1(c, r1, false)
	if err != nil {
		t.Fatal(err)
	}
	cx := &paperContext{}
	if cx.result, err = ComputeResult(c, sorted); err != nil {
		t.Fatal(err)
	}
	if cx.manifest, err = ParseManifest(toRaw(v["manifest"])); err != nil {
		t.Fatal(err)
	}
	pj := v["paper"].(obj)
	cx.ballots = uint64(pj["ballots"].(float64))
	if err := json.Unmarshal(toRaw(pj["totals"]), &cx.totals); err != nil {
		t.Fatal(err)
	}
	return cx
}

// checkPaperObject parses and checks a paper message as the verifier would, or a submission as the
// server would.
func checkPaperObject(cx *paperContext, kind string, doc []byte) error {
	switch kind {
	case "paper_totals":
		pt, err := ParsePaperTotals(doc)
		if err != nil {
			return err
		}
		return CheckPaperTotals(cx.result, cx.manifest, pt)
	case "paper_submission":
		s, err := ParsePaperSubmission(doc)
		if err != nil {
			return err
		}
		return CheckPaperSubmission(cx.result, cx.manifest, s, cx.ballots, cx.totals)
	}
	panic("unknown kind " + kind)
}

func paperOriginals(v obj) map[string][]byte {
	pj := v["paper"].(obj)
	return map[string][]byte{"paper_totals": toRaw(pj["message"]), "paper_submission": toRaw(pj["submission"])}
}

func paperNegativeVectors(t testing.TB, v obj, k *ShareKey) []obj {
	var doc obj
	if err := json.Unmarshal(mustMarshal(v), &doc); err != nil {
		t.Fatal(err)
	}
	cx := paperContextOf(t, doc)
	orig := paperOriginals(doc)
	var out []obj
	for _, nc := range paperNegCases {
		tampered := flipJSON(orig[nc.Kind], nc.Path, nc.Byte, nc.Bit)
		if nc.Resign {
			if s, err := ParsePaperSubmission(tampered); err == nil {
				s.Totals.Signature = Sign(k.Signer(), s.Totals.Hash())
				tampered = raw(s)
			}
		}
		err := checkPaperObject(cx, nc.Kind, tampered)
		var pe *Error
		if !errors.As(err, &pe) {
			t.Fatalf("negative %s %s: not refused (%v)", nc.Kind, nc.Path, err)
		}
		var js any
		json.Unmarshal(tampered, &js)
		out = append(out, obj{"kind": nc.Kind, "path": nc.Path, "byte": nc.Byte, "bit": nc.Bit, "resigned": nc.Resign,
			"object": js, "code": pe.Code, "field": pe.Field})
	}
	return out
}

// TestPaperVectorsGo regenerates the Go paper vectors and compares them with the committed file
// (-update rewrites it), then checks the committed file.
func TestPaperVectorsGo(t *testing.T) {
	got := mustMarshal(generatePaperVectors(t, goPaperParams))
	if *update {
		if err := os.WriteFile(goPaperVectors, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(goPaperVectors)
	if err != nil {
		t.Fatalf("%v (run go test -run TestPaperVectorsGo -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("the paper encodings changed: %s differs from a fresh generation", goPaperVectors)
	}
	checkPaperVectorFile(t, want)
}

// TestPaperVectorsTS checks the paper file the TypeScript side wrote, and regenerates it in Go.
func TestPaperVectorsTS(t *testing.T) {
	data, err := os.ReadFile(filepath.FromSlash(tsPaperVectors))
	if err != nil {
		t.Fatalf("the TypeScript paper vectors are missing: %v", err)
	}
	checkPaperVectorFile(t, data)
	var fromTS, fromGo any
	json.Unmarshal(data, &fromTS)
	json.Unmarshal(mustMarshal(generatePaperVectors(t, tsPaperParams)), &fromGo)
	if !reflect.DeepEqual(fromTS, fromGo) {
		t.Fatal("Go does not regenerate the TypeScript paper vectors identically from the same seed")
	}
}

func checkPaperVectorFile(t *testing.T, data []byte) {
	var v obj
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	cx := paperContextOf(t, v)
	m := cx.manifest
	pj := v["paper"].(obj)
	ty := v["tally"].(obj)

	t.Run("message", func(t *testing.T) {
		pt, err := ParsePaperTotals(toRaw(pj["message"]))
		if err != nil {
			t.Fatal(err)
		}
		if err := CheckPaperTotals(cx.result, m, pt); err != nil {
			t.Fatal(err)
		}
		h := pt.Hash()
		eq(t, "paper hash", hx(h[:]), pj["hash"])
		sameJSON(t, "re-encoding", raw(pt), toRaw(pj["message"]))
		s, err := ParsePaperSubmission(toRaw(pj["submission"]))
		if err != nil {
			t.Fatal(err)
		}
		if err := CheckPaperSubmission(cx.result, m, s, cx.ballots, cx.totals); err != nil {
			t.Fatal(err)
		}
		sameJSON(t, "submission re-encoding", raw(s), toRaw(pj["submission"]))
		eq(t, "submitted message", string(raw(s.Totals)), string(raw(pt)))
		var openings []string
		json.Unmarshal(toRaw(pj["openings"]), &openings)
		eq(t, "openings", s.Openings, openings)
	})

	t.Run("tally", func(t *testing.T) {
		pt, _ := ParsePaperTotals(toRaw(pj["message"]))
		var enc [][]EncodedCiphertext
		want := make([][]uint64, m.Rows)
		for i := range want {
			want[i] = append([]uint64(nil), cx.totals[i]...)
		}
		for _, x := range v["ballots"].([]any) {
			b, err := ParseBallot(toRaw(x.(obj)["ballot"]))
			if err != nil {
				t.Fatal(err)
			}
			if err := VerifyBallots(m, []*Ballot{b}); err != nil {
				t.Fatal(err)
			}
			enc = append(enc, b.Ciphertexts())
			for i, c := range x.(obj)["choices"].([]any) {
				if c := int(c.(float64)); c >= 0 {
					want[i][c]++
				}
			}
		}
		sums, err := Sum(m.Rows, enc, [][]EncodedCiphertext{pt.Ciphertexts()})
		if err != nil {
			t.Fatal(err)
		}
		eq(t, "sums", string(SumsJSON(sums)), string(toRaw(ty["sums"])))
		sh := SumsHash(m.VoteID, sums)
		eq(t, "sums hash", hx(sh[:]), ty["sums_hash"])
		var ps []*PartialDecryption
		for _, x := range ty["partials"].([]any) {
			p, err := ParsePartialDecryption(toRaw(x))
			if err != nil {
				t.Fatal(err)
			}
			ps = append(ps, p)
		}
		if err := VerifyPartials(cx.result, m.VoteID, sums, ps); err != nil {
			t.Fatal(err)
		}
		vs, err := Combine(cx.result, sums, ps)
		if err != nil {
			t.Fatal(err)
		}
		for i, x := range ty["combined"].([]any) {
			eq(t, "combined", vs[i].Hex(), x)
		}
		total := uint64(ty["total"].(float64))
		eq(t, "total = electronic + paper ballots", total, uint64(len(enc))+pt.Ballots)
		counts, err := Counts(m.Levels, m.Radix, total, vs)
		if err != nil {
			t.Fatal(err)
		}
		var published [][]uint64
		json.Unmarshal(toRaw(ty["counts"]), &published)
		eq(t, "counts", counts, published)
		eq(t, "counts = electronic + paper, by hand", counts, want)
	})

	t.Run("negative", func(t *testing.T) {
		for kind, doc := range paperOriginals(v) {
			if err := checkPaperObject(cx, kind, doc); err != nil {
				t.Errorf("the untampered %s is refused: %v", kind, err)
			}
		}
		for _, x := range v["negative"].([]any) {
			o := x.(obj)
			err := checkPaperObject(cx, str(o["kind"]), toRaw(o["object"]))
			var pe *Error
			if !errors.As(err, &pe) {
				t.Errorf("%s %s: not refused (%v)", o["kind"], o["path"], err)
				continue
			}
			if pe.Code != o["code"] || pe.Field != o["field"] {
				t.Errorf("%s %s: got %s at %q, want %s at %q", o["kind"], o["path"], pe.Code, pe.Field, o["code"], o["field"])
			}
		}
	})
}

// sameJSON compares two JSON texts as values (the files' key order is not the encoders').
func sameJSON(t *testing.T, what string, got, want []byte) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s: got %s, want %s", what, got, want)
	}
}

package protocol

import (
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"io"

	"github.com/gtank/ristretto255"
)

// ProofTerm is one option of a row's disjunctive Chaum–Pedersen proof, commitments carried.
type ProofTerm struct {
	A, B Point
	C, S ristretto255.Scalar
}

// Row is one subject's ciphertext (alpha, beta) = (rG, vG + rY) and its proof (k+1 terms).
type Row struct {
	Alpha, Beta Point
	Proof       []ProofTerm
}

// Ballot is an encrypted ballot (docs/PROTOCOL.md §8.5).
type Ballot struct {
	Version      int
	VoteID       string
	ManifestHash [64]byte // the hash of the manifest it was made under (§6)
	Credential   [32]byte
	Rows         []Row
	Signature    [64]byte
}

// Secrets is what the kiosk keeps of a ballot until it is cast or audited: its seed and options.
type Secrets struct {
	Seed    [32]byte
	Options []int // per row: 0 = blank, j+1 = level j
}

// ErrZeroNonce is returned when a ballot seed yields a zero nonce (probability 2^-252): draw
// another seed.
var ErrZeroNonce = errors.New("protocol: the ballot seed yields a zero nonce")

// EncryptBallot encrypts and signs a ballot. choices has one entry per row: -1 for a blank row, or a
// level index 0..k-1. The randomness is one fresh 32-byte seed from rand (§8.4).
func EncryptBallot(rand io.Reader, m *Manifest, cred ed25519.PrivateKey, choices []int) (*Ballot, *Secrets, error) {
	if len(cred) != ed25519.PrivateKeySize {
		return nil, nil, errf("credential", CodeLength, "not an Ed25519 private key")
	}
	options := make([]int, len(choices))
	for i, c := range choices {
		options[i] = c + 1
	}
	var pub [32]byte
	copy(pub[:], cred.Public().(ed25519.PublicKey))
	for {
		var seed [32]byte
		if _, err := io.ReadFull(rand, seed[:]); err != nil {
			return nil, nil, err
		}
		b, err := BuildBallot(m, pub, options, seed)
		if errors.Is(err, ErrZeroNonce) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		b.Signature = Sign(cred, b.Hash())
		return b, &Secrets{Seed: seed, Options: options}, nil
	}
}

// ballotNonce is x(i, m) = Hs("tinnhiem/v1/ballot-nonce", seed, u64(i), u64(m)).
func ballotNonce(seed *[32]byte, row, m int) *ristretto255.Scalar {
	h := newHasher("tinnhiem/v1/ballot-nonce")
	h.bytes(seed[:])
	h.u64(uint64(row))
	h.u64(uint64(m))
	return scalarFromHash(h.sum())
}

// BuildBallot computes the unsigned ballot of the given options (0 = blank, j+1 = level j) from a
// seed, deterministically: the kiosk's encryption and the Benaloh check (§9) both call it.
func BuildBallot(m *Manifest, credential [32]byte, options []int, seed [32]byte) (*Ballot, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if len(options) != m.Rows {
		return nil, errf("options", CodeLength, "%d options for %d rows", len(options), m.Rows)
	}
	vals := m.optionScalars()
	valG := make([]*ristretto255.Element, len(vals))
	for o, v := range vals {
		valG[o] = ristretto255.NewIdentityElement().ScalarBaseMult(v)
	}
	b := &Ballot{Version: 1, VoteID: m.VoteID, ManifestHash: m.Hash(), Credential: credential, Rows: make([]Row, m.Rows)}
	for i, o := range options {
		if o < 0 || o > m.Levels {
			return nil, errf(idx("options", i), CodeRange, "an option is 0 (blank) to %d", m.Levels)
		}
		row, err := buildRow(m, vals, valG, credential, &seed, i, o)
		if err != nil {
			return nil, err
		}
		b.Rows[i] = row
	}
	return b, nil
}

func buildRow(m *Manifest, vals []*ristretto255.Scalar, valG []*ristretto255.Element, cred [32]byte, seed *[32]byte, i, real int) (Row, error) {
	Y := &m.PublicKey.e
	r := ballotNonce(seed, i, 0)
	w := ballotNonce(seed, i, 1)
	if isZeroScalar(r) || isZeroScalar(w) {
		return Row{}, ErrZeroNonce
	}
	alpha := ristretto255.NewIdentityElement().ScalarBaseMult(r)
	beta := ristretto255.NewIdentityElement().ScalarMult(r, Y)
	beta.Add(beta, valG[real])
	row := Row{Alpha: NewPoint(alpha), Beta: NewPoint(beta), Proof: make([]ProofTerm, len(vals))}
	sumC := ristretto255.NewScalar()
	for o := range vals {
		t := &row.Proof[o]
		if o == real {
			t.A = NewPoint(ristretto255.NewIdentityElement().ScalarBaseMult(w))
			t.B = NewPoint(ristretto255.NewIdentityElement().ScalarMult(w, Y))
			continue
		}
		t.C.Set(ballotNonce(seed, i, 2+2*o))
		t.S.Set(ballotNonce(seed, i, 3+2*o))
		// a = sG − c·alpha = (s − c·r)·G and b = sY − c·(beta − vG) = (s − c·r)·Y − c·(v* − v)·G:
		// the same points as the verifier's equations, from fixed bases and in constant time.
		tt := ristretto255.NewScalar().Multiply(&t.C, r)
		tt.Subtract(&t.S, tt)
		t.A = NewPoint(ristretto255.NewIdentityElement().ScalarBaseMult(tt))
		u := ristretto255.NewScalar().Subtract(vals[real], vals[o])
		u.Multiply(u, &t.C).Negate(u)
		bb := ristretto255.NewIdentityElement().ScalarMult(tt, Y)
		t.B = NewPoint(bb.Add(bb, ristretto255.NewIdentityElement().ScalarBaseMult(u)))
		sumC.Add(sumC, &t.C)
	}
	c := rowChallenge(m, cred, i, &row)
	t := &row.Proof[real]
	t.C.Subtract(c, sumC)
	t.S.Multiply(&t.C, r)
	t.S.Add(&t.S, w)
	return row, nil
}

var generatorEnc = Generator().enc

// rowChallenge is Hs("tinnhiem/v1/ballot-proof", vote_id, G, Y, M, k, i, credential, alpha, beta,
// a_0, b_0, ..., a_k, b_k) (§8.3).
func rowChallenge(m *Manifest, cred [32]byte, i int, row *Row) *ristretto255.Scalar {
	h := newHasher("tinnhiem/v1/ballot-proof")
	h.str(m.VoteID)
	h.bytes(generatorEnc[:])
	h.point(&m.PublicKey)
	h.u64(m.Radix)
	h.u64(uint64(m.Levels))
	h.u64(uint64(i))
	h.bytes(cred[:])
	h.point(&row.Alpha)
	h.point(&row.Beta)
	for o := range row.Proof {
		h.point(&row.Proof[o].A)
		h.point(&row.Proof[o].B)
	}
	return scalarFromHash(h.sum())
}

// Hash is the ballot hash (§8.6): the tracking code, signed by the credential.
func (b *Ballot) Hash() [64]byte {
	h := newHasher("tinnhiem/v1/ballot")
	h.str(b.VoteID)
	h.bytes(b.ManifestHash[:])
	h.bytes(b.Credential[:])
	for i := range b.Rows {
		r := &b.Rows[i]
		h.point(&r.Alpha)
		h.point(&r.Beta)
		for o := range r.Proof {
			t := &r.Proof[o]
			h.point(&t.A)
			h.point(&t.B)
			h.scalar(&t.C)
			h.scalar(&t.S)
		}
	}
	return h.sum()
}

// TrackingCode is the 16-character form of a ballot hash that people compare.
func TrackingCode(h [64]byte) string { return Fingerprint80(h) }

// ReceiptQR is the receipt's QR payload: "TN1R:" and the full hash in upper-case hex.
func ReceiptQR(h [64]byte) string {
	const digits = "0123456789ABCDEF"
	out := make([]byte, 0, 5+128)
	out = append(out, "TN1R:"...)
	for _, c := range h {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

// EncodedCiphertext is a row's ciphertext as stored: the encodings of alpha and beta.
type EncodedCiphertext struct{ Alpha, Beta [32]byte }

// Ciphertexts returns the encodings of the ballot's row ciphertexts (for the store and the tally).
func (b *Ballot) Ciphertexts() []EncodedCiphertext {
	out := make([]EncodedCiphertext, len(b.Rows))
	for i := range b.Rows {
		out[i] = EncodedCiphertext{b.Rows[i].Alpha.enc, b.Rows[i].Beta.enc}
	}
	return out
}

type proofTermJSON struct {
	A string `json:"a"`
	B string `json:"b"`
	C string `json:"c"`
	S string `json:"s"`
}

type rowJSON struct {
	Alpha string          `json:"alpha"`
	Beta  string          `json:"beta"`
	Proof []proofTermJSON `json:"proof"`
}

type ballotJSON struct {
	Version      int       `json:"version"`
	VoteID       string    `json:"vote_id"`
	ManifestHash string    `json:"manifest_hash"`
	Credential   string    `json:"credential"`
	Rows         []rowJSON `json:"rows"`
	Signature    string    `json:"signature"`
}

// MarshalJSON writes the ballot's wire form.
func (b *Ballot) MarshalJSON() ([]byte, error) {
	w := ballotJSON{Version: b.Version, VoteID: b.VoteID, ManifestHash: hex.EncodeToString(b.ManifestHash[:]), Credential: hex.EncodeToString(b.Credential[:]),
		Rows: make([]rowJSON, len(b.Rows)), Signature: hex.EncodeToString(b.Signature[:])}
	for i, r := range b.Rows {
		rj := rowJSON{Alpha: r.Alpha.Hex(), Beta: r.Beta.Hex(), Proof: make([]proofTermJSON, len(r.Proof))}
		for o := range r.Proof {
			t := &r.Proof[o]
			rj.Proof[o] = proofTermJSON{t.A.Hex(), t.B.Hex(), ScalarHex(&t.C), ScalarHex(&t.S)}
		}
		w.Rows[i] = rj
	}
	return mustJSON(w), nil
}

// ParseBallot decodes a ballot's wire form: strict JSON, version 1, canonical points (no
// identity), canonical scalars, a valid credential key, at most MaxRows rows of at most
// MaxLevels+1 terms. The checks against a manifest and the proofs are VerifyBallots'.
func ParseBallot(data []byte) (*Ballot, error) {
	var w ballotJSON
	if err := decodeStrict(data, &w); err != nil {
		return nil, err
	}
	if err := checkVersion(w.Version); err != nil {
		return nil, err
	}
	if err := checkID("vote_id", w.VoteID); err != nil {
		return nil, err
	}
	mh, err := decodeHex64("manifest_hash", w.ManifestHash)
	if err != nil {
		return nil, err
	}
	cred, err := parseKeyHex("credential", w.Credential)
	if err != nil {
		return nil, err
	}
	if len(w.Rows) < 1 || len(w.Rows) > MaxRows {
		return nil, errf("rows", CodeLength, "a ballot has 1 to %d rows", MaxRows)
	}
	b := &Ballot{Version: 1, VoteID: w.VoteID, ManifestHash: mh, Credential: cred, Rows: make([]Row, len(w.Rows))}
	for i, rj := range w.Rows {
		name := idx("rows", i)
		r := &b.Rows[i]
		if r.Alpha, err = ParsePointHex(name+".alpha", rj.Alpha, false); err != nil {
			return nil, err
		}
		if r.Beta, err = ParsePointHex(name+".beta", rj.Beta, false); err != nil {
			return nil, err
		}
		if len(rj.Proof) < 2 || len(rj.Proof) > MaxLevels+1 {
			return nil, errf(name+".proof", CodeLength, "a proof has 2 to %d terms", MaxLevels+1)
		}
		r.Proof = make([]ProofTerm, len(rj.Proof))
		for o, tj := range rj.Proof {
			tn := idx(name+".proof", o)
			t := &r.Proof[o]
			if t.A, err = ParsePointHex(tn+".a", tj.A, false); err != nil {
				return nil, err
			}
			if t.B, err = ParsePointHex(tn+".b", tj.B, false); err != nil {
				return nil, err
			}
			c, err := ParseScalarHex(tn+".c", tj.C)
			if err != nil {
				return nil, err
			}
			s, err := ParseScalarHex(tn+".s", tj.S)
			if err != nil {
				return nil, err
			}
			t.C.Set(c)
			t.S.Set(s)
		}
	}
	if b.Signature, err = decodeHex64("signature", w.Signature); err != nil {
		return nil, err
	}
	return b, nil
}

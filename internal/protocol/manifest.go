package protocol

import (
	"encoding/hex"
	"math/bits"

	"github.com/gtank/ristretto255"
)

// Limits of a manifest (docs/PROTOCOL.md §6).
const (
	MaxLevels = 8
	MaxRows   = 1024
	MaxRadix  = 1 << 32
)

// Manifest is what a kiosk needs to encrypt a ballot and a verifier to check one.
type Manifest struct {
	VoteID       string
	PublicKey    Point  // Y, the board's joint key
	Levels       int    // k: 3 for a confidence vote, 2 for a no-confidence vote
	Radix        uint64 // M: the credential limit + 1
	Rows         int    // n: subjects on the ballot
	SubjectsHash [64]byte
}

// SubjectsHash is H("tinnhiem/v1/subjects", id_1, ..., id_n) over the subjects' ids in ballot order.
func SubjectsHash(ids []string) [64]byte {
	h := newHasher("tinnhiem/v1/subjects")
	for _, id := range ids {
		h.str(id)
	}
	return h.sum()
}

// Validate checks the manifest's ranges: 1 ≤ k ≤ 8, 2 ≤ M ≤ 2^32, M^k < 2^63, 1 ≤ n ≤ 1024.
func (m *Manifest) Validate() error {
	if err := checkID("vote_id", m.VoteID); err != nil {
		return err
	}
	if m.PublicKey.IsIdentity() {
		return errf("public_key", CodeIdentity, "the identity element is not allowed here")
	}
	if m.Levels < 1 || m.Levels > MaxLevels {
		return errf("levels", CodeRange, "levels must be 1 to %d", MaxLevels)
	}
	if m.Radix < 2 || m.Radix > MaxRadix {
		return errf("radix", CodeRange, "the radix must be 2 to 2^32")
	}
	if _, ok := radixPower(m.Radix, m.Levels); !ok {
		return errf("radix", CodeRange, "radix^levels must be below 2^63")
	}
	if m.Rows < 1 || m.Rows > MaxRows {
		return errf("rows", CodeRange, "rows must be 1 to %d", MaxRows)
	}
	return nil
}

// radixPower returns M^k if it is below 2^63.
func radixPower(m uint64, k int) (uint64, bool) {
	p := uint64(1)
	for i := 0; i < k; i++ {
		hi, lo := bits.Mul64(p, m)
		if hi != 0 || lo >= 1<<63 {
			return 0, false
		}
		p = lo
	}
	return p, true
}

// Fingerprint is the vote fingerprint the kiosk shows (docs/PROTOCOL.md §6).
func (m *Manifest) Fingerprint() string { return Fingerprint80(m.Hash()) }

// Hash is H("tinnhiem/v1/manifest", vote_id, Y, k, M, n, subjects_hash).
func (m *Manifest) Hash() [64]byte {
	h := newHasher("tinnhiem/v1/manifest")
	h.str(m.VoteID)
	h.point(&m.PublicKey)
	h.u64(uint64(m.Levels))
	h.u64(m.Radix)
	h.u64(uint64(m.Rows))
	h.bytes(m.SubjectsHash[:])
	return h.sum()
}

// OptionValues returns v_0 = 0 and v_{j+1} = M^j, the k+1 values a row may encrypt.
func (m *Manifest) OptionValues() []uint64 {
	v := make([]uint64, m.Levels+1)
	p := uint64(1)
	for j := 1; j <= m.Levels; j++ {
		v[j] = p
		p *= m.Radix
	}
	return v
}

func (m *Manifest) optionScalars() []*ristretto255.Scalar {
	vs := m.OptionValues()
	out := make([]*ristretto255.Scalar, len(vs))
	for i, v := range vs {
		out[i] = scalarU64(v)
	}
	return out
}

type manifestJSON struct {
	Version      int    `json:"version"`
	VoteID       string `json:"vote_id"`
	PublicKey    string `json:"public_key"`
	Levels       int    `json:"levels"`
	Radix        uint64 `json:"radix"`
	Rows         int    `json:"rows"`
	SubjectsHash string `json:"subjects_hash"`
}

// MarshalJSON writes the manifest's wire form.
func (m *Manifest) MarshalJSON() ([]byte, error) {
	return mustJSON(manifestJSON{1, m.VoteID, m.PublicKey.Hex(), m.Levels, m.Radix, m.Rows,
		hex.EncodeToString(m.SubjectsHash[:])}), nil
}

// ParseManifest decodes and validates a manifest.
func ParseManifest(data []byte) (*Manifest, error) {
	var w manifestJSON
	if err := decodeStrict(data, &w); err != nil {
		return nil, err
	}
	if err := checkVersion(w.Version); err != nil {
		return nil, err
	}
	y, err := ParsePointHex("public_key", w.PublicKey, false)
	if err != nil {
		return nil, err
	}
	sh, err := decodeHex64("subjects_hash", w.SubjectsHash)
	if err != nil {
		return nil, err
	}
	m := &Manifest{VoteID: w.VoteID, PublicKey: y, Levels: w.Levels, Radix: w.Radix, Rows: w.Rows, SubjectsHash: sh}
	return m, m.Validate()
}

package protocol

import (
	"encoding/hex"
)

// Reveal is the Benaloh challenge's reveal (docs/PROTOCOL.md §9): everything an offline device
// needs to recompute a spoiled ballot and its tracking code.
type Reveal struct {
	Manifest     Manifest
	Credential   [32]byte
	Seed         [32]byte
	Options      []int
	TrackingCode [64]byte
}

// NewReveal returns the reveal of a ballot the delegate chose to audit.
func NewReveal(m *Manifest, b *Ballot, s *Secrets) *Reveal {
	return &Reveal{Manifest: *m, Credential: b.Credential, Seed: s.Seed, Options: append([]int(nil), s.Options...), TrackingCode: b.Hash()}
}

// CheckReveal recomputes the ballot from the reveal and checks that its hash is the tracking code
// the kiosk showed; it returns the recomputed (unsigned) ballot. The caller then shows the vote
// fingerprint (r.Manifest.Fingerprint()), the tracking code and each row's option.
func CheckReveal(r *Reveal) (*Ballot, error) {
	b, err := BuildBallot(&r.Manifest, r.Credential, r.Options, r.Seed)
	if err != nil {
		return nil, err
	}
	if b.Hash() != r.TrackingCode {
		return nil, errf("tracking_code", CodeMismatch, "the recomputed ballot has another tracking code: the kiosk did not encrypt these choices")
	}
	return b, nil
}

type revealJSON struct {
	Version      int    `json:"version"`
	VoteID       string `json:"vote_id"`
	PublicKey    string `json:"public_key"`
	Levels       int    `json:"levels"`
	Radix        uint64 `json:"radix"`
	SubjectsHash string `json:"subjects_hash"`
	Credential   string `json:"credential"`
	Seed         string `json:"seed"`
	Options      []int  `json:"options"`
	TrackingCode string `json:"tracking_code"`
}

// MarshalJSON writes the reveal (the QR payload, byte mode).
func (r *Reveal) MarshalJSON() ([]byte, error) {
	m := &r.Manifest
	return mustJSON(revealJSON{1, m.VoteID, m.PublicKey.Hex(), m.Levels, m.Radix, hex.EncodeToString(m.SubjectsHash[:]),
		hex.EncodeToString(r.Credential[:]), hex.EncodeToString(r.Seed[:]), r.Options, hex.EncodeToString(r.TrackingCode[:])}), nil
}

// ParseReveal decodes a reveal; the number of rows is the number of options.
func ParseReveal(data []byte) (*Reveal, error) {
	var w revealJSON
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
	r := &Reveal{Manifest: Manifest{VoteID: w.VoteID, PublicKey: y, Levels: w.Levels, Radix: w.Radix, Rows: len(w.Options)}, Options: w.Options}
	if r.Manifest.SubjectsHash, err = decodeHex64("subjects_hash", w.SubjectsHash); err != nil {
		return nil, err
	}
	if err := r.Manifest.Validate(); err != nil {
		if e, ok := err.(*Error); ok && e.Field == "rows" {
			return nil, errf("options", e.Code, "%s", e.Msg)
		}
		return nil, err
	}
	if r.Credential, err = parseKeyHex("credential", w.Credential); err != nil {
		return nil, err
	}
	if r.Seed, err = decodeHex32("seed", w.Seed); err != nil {
		return nil, err
	}
	for i, o := range w.Options {
		if o < 0 || o > w.Levels {
			return nil, errf(idx("options", i), CodeRange, "an option is 0 (blank) to %d", w.Levels)
		}
	}
	if r.TrackingCode, err = decodeHex64("tracking_code", w.TrackingCode); err != nil {
		return nil, err
	}
	return r, nil
}

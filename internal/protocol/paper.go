package protocol

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"strings"

	"github.com/gtank/ristretto255"
)

// MaxPaperBallots bounds the "ballots" field of a paper totals message (docs/PROTOCOL.md §13).
const MaxPaperBallots = 1 << 32

// PaperTotals is the board's encrypted paper totals (docs/PROTOCOL.md §13): per row i the
// ciphertext (alpha_i, beta_i) = (r_i·G, P_i·G + r_i·Y) of P_i = Σ_j p_{i,j} M^j, signed by the
// member who checked the totals against the board's tally sheet. Rows[i].A is alpha_i, Rows[i].B
// beta_i.
type PaperTotals struct {
	Version      int
	VoteID       string
	CeremonyID   string
	Identifier   Identifier
	ManifestHash [64]byte
	Ballots      uint64 // N_p, the number of valid paper ballots
	Rows         []Ciphertext
	Signature    [64]byte
}

// PaperHash is H("tinnhiem/v1/paper-totals", vote_id, ceremony_id, x_j, manifest_hash, u64(ballots),
// alpha_0, beta_0, ..., alpha_{n-1}, beta_{n-1}): the 64 bytes the member signs.
func PaperHash(voteID, ceremonyID string, id Identifier, manifestHash [64]byte, ballots uint64, rows []Ciphertext) [64]byte {
	h := newHasher("tinnhiem/v1/paper-totals")
	h.str(voteID)
	h.str(ceremonyID)
	h.bytes(id[:])
	h.bytes(manifestHash[:])
	h.u64(ballots)
	for i := range rows {
		h.point(&rows[i].A)
		h.point(&rows[i].B)
	}
	return h.sum()
}

// Hash returns the signed paper hash of the message.
func (pt *PaperTotals) Hash() [64]byte {
	return PaperHash(pt.VoteID, pt.CeremonyID, pt.Identifier, pt.ManifestHash, pt.Ballots, pt.Rows)
}

// Ciphertexts returns the encodings of the paper ciphertexts: the "extra" vector of Sum (§11.1).
func (pt *PaperTotals) Ciphertexts() []EncodedCiphertext {
	out := make([]EncodedCiphertext, len(pt.Rows))
	for i := range pt.Rows {
		out[i] = EncodedCiphertext{pt.Rows[i].A.enc, pt.Rows[i].B.enc}
	}
	return out
}

// paperValues checks settled paper totals against a manifest (n rows of k counts, every count
// below M, each row adding up to at most ballots, ballots below M) and returns P_i = Σ_j p_{i,j} M^j.
func paperValues(m *Manifest, ballots uint64, totals [][]uint64) ([]uint64, error) {
	if ballots >= m.Radix {
		return nil, errf("ballots", CodeRange, "the paper ballots must be below the radix %d", m.Radix)
	}
	if len(totals) != m.Rows {
		return nil, errf("totals", CodeLength, "%d rows of totals for %d rows", len(totals), m.Rows)
	}
	out := make([]uint64, len(totals))
	for i, row := range totals {
		if len(row) != m.Levels {
			return nil, errf(idx("totals", i), CodeLength, "%d counts for %d levels", len(row), m.Levels)
		}
		var sum, v, p uint64 = 0, 0, 1
		for j, c := range row {
			if c >= m.Radix {
				return nil, errf(idx(idx("totals", i), j), CodeRange, "a count reaches the radix")
			}
			sum += c
			v += c * p // < M^k < 2^63 (Validate)
			p *= m.Radix
		}
		if sum > ballots {
			return nil, errf(idx("totals", i), CodeRange, "the counts add up to %d, more than the %d paper ballots", sum, ballots)
		}
		out[i] = v
	}
	return out, nil
}

// EncryptPaperTotals encrypts settled paper totals (totals[i][j]: row i, level j) under the
// manifest's key and signs them with the member's signing key (§13). It draws one r_i per row
// (48 bytes, §5) from rand and returns the message and the openings r_i in hex, which go to the
// server beside it and are never stored or published.
func EncryptPaperTotals(rand io.Reader, m *Manifest, k *ShareKey, ballots uint64, totals [][]uint64) (*PaperTotals, []string, error) {
	if err := m.Validate(); err != nil {
		return nil, nil, err
	}
	if !k.GroupKey.Equal(m.PublicKey) {
		return nil, nil, errf("public_key", CodeMismatch, "the share key is not of the ceremony that holds the vote's key")
	}
	vals, err := paperValues(m, ballots, totals)
	if err != nil {
		return nil, nil, err
	}
	pt := &PaperTotals{Version: 1, VoteID: m.VoteID, CeremonyID: k.CeremonyID, Identifier: k.Identifier,
		ManifestHash: m.Hash(), Ballots: ballots, Rows: make([]Ciphertext, m.Rows)}
	openings := make([]string, m.Rows)
	for i, v := range vals {
		pg := ristretto255.NewIdentityElement().ScalarBaseMult(scalarU64(v))
		for {
			r, err := RandomScalar(rand)
			if err != nil {
				return nil, nil, err
			}
			beta := ristretto255.NewIdentityElement().ScalarMult(r, &m.PublicKey.e)
			beta.Add(beta, pg)
			if beta.Equal(ristretto255.NewIdentityElement()) == 1 {
				continue // r = −P/y: probability 1/l, draw again (§13)
			}
			pt.Rows[i] = Ciphertext{A: NewPoint(ristretto255.NewIdentityElement().ScalarBaseMult(r)), B: NewPoint(beta)}
			openings[i] = ScalarHex(r)
			break
		}
	}
	pt.Signature = Sign(k.Signer(), pt.Hash())
	return pt, openings, nil
}

// VerifyPaperSignature checks the message's signature under a member's signing key (from its
// round-1 message).
func VerifyPaperSignature(pt *PaperTotals, signingKey [32]byte) error {
	return verifySig("signature", signingKey, pt.Hash(), pt.Signature)
}

// CheckPaperTotals is the server's and the verifier's check of a decoded paper totals message
// against the ceremony and the vote (§13): version, vote and ceremony ids, the identifier is a
// member, the manifest hash, n rows, ballots below M, no alpha repeated, and the signature under
// the member's key from round 1. The plaintexts cannot be checked from public data (CheckPaperOpenings).
func CheckPaperTotals(res *CeremonyResult, m *Manifest, pt *PaperTotals) error {
	if pt.Version != 1 {
		return errf("version", CodeVersion, "unsupported version %d", pt.Version)
	}
	if pt.VoteID != m.VoteID {
		return errf("vote_id", CodeMismatch, "another vote")
	}
	if pt.CeremonyID != res.Ceremony.ID {
		return errf("ceremony_id", CodeMismatch, "another ceremony")
	}
	mk, ok := res.Member(pt.Identifier)
	if !ok {
		return errf("identifier", CodeMismatch, "not a member of this ceremony")
	}
	if pt.ManifestHash != m.Hash() {
		return errf("manifest_hash", CodeMismatch, "not the vote's manifest")
	}
	if len(pt.Rows) != m.Rows {
		return errf("rows", CodeLength, "%d rows, expected %d", len(pt.Rows), m.Rows)
	}
	if pt.Ballots >= m.Radix {
		return errf("ballots", CodeRange, "the paper ballots must be below the radix %d", m.Radix)
	}
	seen := make(map[[32]byte]bool, len(pt.Rows))
	for i := range pt.Rows {
		if pt.Rows[i].A.IsIdentity() {
			return errf(idx("rows", i)+".alpha", CodeIdentity, "the identity element is not allowed here")
		}
		if pt.Rows[i].B.IsIdentity() {
			return errf(idx("rows", i)+".beta", CodeIdentity, "the identity element is not allowed here")
		}
		if seen[pt.Rows[i].A.enc] {
			return errf(idx("rows", i)+".alpha", CodeDuplicate, "the same alpha as another row")
		}
		seen[pt.Rows[i].A.enc] = true
	}
	return VerifyPaperSignature(pt, mk.SigningKey)
}

// CheckPaperOpenings is the server's check of the openings r_i against the settled paper totals
// (§13): ballots = N_p, and for every row alpha_i = r_i·G and beta_i = P_i·G + r_i·Y. The error
// names the first bad row ("openings[i]" when r_i does not open alpha_i, "rows[i].beta" when the
// row encrypts other totals). The server forgets the openings afterwards.
func CheckPaperOpenings(m *Manifest, pt *PaperTotals, openings []string, ballots uint64, totals [][]uint64) error {
	if len(pt.Rows) != m.Rows {
		return errf("rows", CodeLength, "%d rows, expected %d", len(pt.Rows), m.Rows)
	}
	if pt.Ballots != ballots {
		return errf("ballots", CodeMismatch, "%d paper ballots, the settled count is %d", pt.Ballots, ballots)
	}
	vals, err := paperValues(m, ballots, totals)
	if err != nil {
		return err
	}
	if len(openings) != m.Rows {
		return errf("openings", CodeLength, "%d openings for %d rows", len(openings), m.Rows)
	}
	for i, o := range openings {
		r, err := parseOpening(idx("openings", i), o)
		if err != nil {
			return err
		}
		if ristretto255.NewIdentityElement().ScalarBaseMult(r).Equal(&pt.Rows[i].A.e) != 1 {
			return errf(idx("openings", i), CodeMismatch, "r does not open rows[%d].alpha", i)
		}
		beta := ristretto255.NewIdentityElement().ScalarMult(r, &m.PublicKey.e)
		beta.Add(beta, ristretto255.NewIdentityElement().ScalarBaseMult(scalarU64(vals[i])))
		if beta.Equal(&pt.Rows[i].B.e) != 1 {
			return errf(idx("rows", i)+".beta", CodeMismatch, "the row does not encrypt the settled paper totals")
		}
	}
	return nil
}

// parseOpening decodes an opening r: a canonical, non-zero scalar.
func parseOpening(field, s string) (*ristretto255.Scalar, error) {
	r, err := ParseScalarHex(field, s)
	if err != nil {
		return nil, err
	}
	if isZeroScalar(r) {
		return nil, errf(field, CodeRange, "r is never zero")
	}
	return r, nil
}

// PaperSubmission is what the member's browser sends the server: the message and its openings
// (§13). Only Totals is stored.
type PaperSubmission struct {
	Totals   *PaperTotals
	Openings []string
}

// CheckPaperSubmission runs CheckPaperTotals and CheckPaperOpenings on a submission against the
// settled paper figures; the fields of the message are named under "paper_totals" (the openings as
// "openings[i]", the server's own totals as "totals[i]").
func CheckPaperSubmission(res *CeremonyResult, m *Manifest, s *PaperSubmission, ballots uint64, totals [][]uint64) error {
	if err := CheckPaperTotals(res, m, s.Totals); err != nil {
		return at(err, "paper_totals", -1)
	}
	err := CheckPaperOpenings(m, s.Totals, s.Openings, ballots, totals)
	var pe *Error
	if errors.As(err, &pe) && !strings.HasPrefix(pe.Field, "openings") && !strings.HasPrefix(pe.Field, "totals") {
		return at(err, "paper_totals", -1) // ballots, rows: fields of the message
	}
	return err
}

// ---- wire forms ----

type paperRowJSON struct {
	Alpha string `json:"alpha"`
	Beta  string `json:"beta"`
}

type paperTotalsJSON struct {
	Version      int            `json:"version"`
	VoteID       string         `json:"vote_id"`
	CeremonyID   string         `json:"ceremony_id"`
	Identifier   string         `json:"identifier"`
	ManifestHash string         `json:"manifest_hash"`
	Ballots      uint64         `json:"ballots"`
	Rows         []paperRowJSON `json:"rows"`
	Signature    string         `json:"signature"`
}

func (pt *PaperTotals) wire() paperTotalsJSON {
	w := paperTotalsJSON{pt.Version, pt.VoteID, pt.CeremonyID, pt.Identifier.Hex(), hex.EncodeToString(pt.ManifestHash[:]),
		pt.Ballots, make([]paperRowJSON, len(pt.Rows)), hex.EncodeToString(pt.Signature[:])}
	for i := range pt.Rows {
		w.Rows[i] = paperRowJSON{pt.Rows[i].A.Hex(), pt.Rows[i].B.Hex()}
	}
	return w
}

// MarshalJSON writes the wire form.
func (pt *PaperTotals) MarshalJSON() ([]byte, error) { return mustJSON(pt.wire()), nil }

// ParsePaperTotals decodes a paper totals message: strict JSON, version 1, ids, the identifier,
// 1 to MaxRows rows of canonical points other than the identity, ballots ≤ 2^32, a 64-byte
// signature. The checks against the vote and the ceremony are CheckPaperTotals'.
func ParsePaperTotals(data []byte) (*PaperTotals, error) {
	var w paperTotalsJSON
	if err := decodeStrict(data, &w); err != nil {
		return nil, err
	}
	return paperFromWire(&w)
}

func paperFromWire(w *paperTotalsJSON) (*PaperTotals, error) {
	if err := checkVersion(w.Version); err != nil {
		return nil, err
	}
	if err := checkID("vote_id", w.VoteID); err != nil {
		return nil, err
	}
	if err := checkID("ceremony_id", w.CeremonyID); err != nil {
		return nil, err
	}
	pt := &PaperTotals{Version: 1, VoteID: w.VoteID, CeremonyID: w.CeremonyID, Ballots: w.Ballots}
	var err error
	if pt.Identifier, err = ParseIdentifierHex("identifier", w.Identifier); err != nil {
		return nil, err
	}
	if pt.ManifestHash, err = decodeHex64("manifest_hash", w.ManifestHash); err != nil {
		return nil, err
	}
	if w.Ballots > MaxPaperBallots {
		return nil, errf("ballots", CodeRange, "at most 2^32 paper ballots")
	}
	if len(w.Rows) < 1 || len(w.Rows) > MaxRows {
		return nil, errf("rows", CodeLength, "1 to %d rows", MaxRows)
	}
	pt.Rows = make([]Ciphertext, len(w.Rows))
	for i, rj := range w.Rows {
		name := idx("rows", i)
		if pt.Rows[i].A, err = ParsePointHex(name+".alpha", rj.Alpha, false); err != nil {
			return nil, err
		}
		if pt.Rows[i].B, err = ParsePointHex(name+".beta", rj.Beta, false); err != nil {
			return nil, err
		}
	}
	if pt.Signature, err = decodeHex64("signature", w.Signature); err != nil {
		return nil, err
	}
	return pt, nil
}

type paperSubmissionJSON struct {
	PaperTotals json.RawMessage `json:"paper_totals"`
	Openings    []string        `json:"openings"`
}

// MarshalJSON writes the submission's wire form.
func (s *PaperSubmission) MarshalJSON() ([]byte, error) {
	return mustJSON(struct {
		PaperTotals paperTotalsJSON `json:"paper_totals"`
		Openings    []string        `json:"openings"`
	}{s.Totals.wire(), s.Openings}), nil
}

// ParsePaperSubmission decodes {"paper_totals": {...}, "openings": ["<64 hex>", ...]}: the message
// as ParsePaperTotals (its fields named under "paper_totals"), and one canonical non-zero scalar per
// row.
func ParsePaperSubmission(data []byte) (*PaperSubmission, error) {
	var w paperSubmissionJSON
	if err := decodeStrict(data, &w); err != nil {
		return nil, err
	}
	pt, err := ParsePaperTotals(w.PaperTotals)
	if err != nil {
		return nil, at(err, "paper_totals", -1)
	}
	if len(w.Openings) != len(pt.Rows) {
		return nil, errf("openings", CodeLength, "%d openings for %d rows", len(w.Openings), len(pt.Rows))
	}
	for i, o := range w.Openings {
		if _, err := parseOpening(idx("openings", i), o); err != nil {
			return nil, err
		}
	}
	return &PaperSubmission{Totals: pt, Openings: w.Openings}, nil
}

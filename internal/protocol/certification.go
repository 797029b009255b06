package protocol

import (
	"encoding/hex"
)

// Certification is a member's signed certification of the reviewed tally (§12.1).
type Certification struct {
	Version     int
	VoteID      string
	CeremonyID  string
	Identifier  Identifier
	TallyHash   [32]byte
	Base        string // the percentage base id: total_delegates or ballots_received
	AuditAnchor [32]byte
	AuditCount  uint64
	Signature   [64]byte
}

// CertificationStatement is H("tinnhiem/v1/certification", vote_id, tally_hash, base, anchor hash,
// u64(anchor count)): the 64 bytes a member signs.
func CertificationStatement(voteID string, tallyHash [32]byte, base string, anchor [32]byte, count uint64) [64]byte {
	return Hash("tinnhiem/v1/certification", []byte(voteID), tallyHash[:], []byte(base), anchor[:], U64(count))
}

// Statement returns the signed statement.
func (c *Certification) Statement() [64]byte {
	return CertificationStatement(c.VoteID, c.TallyHash, c.Base, c.AuditAnchor, c.AuditCount)
}

// Certify signs a certification with the member's signing key.
func Certify(k *ShareKey, voteID string, tallyHash [32]byte, base string, anchor [32]byte, count uint64) *Certification {
	c := &Certification{Version: 1, VoteID: voteID, CeremonyID: k.CeremonyID, Identifier: k.Identifier,
		TallyHash: tallyHash, Base: base, AuditAnchor: anchor, AuditCount: count}
	c.Signature = Sign(k.Signer(), c.Statement())
	return c
}

// Verify checks the signature under the member's signing key.
func (c *Certification) Verify(signingKey [32]byte) error {
	return verifySig("signature", signingKey, c.Statement(), c.Signature)
}

type certificationJSON struct {
	Version     int    `json:"version"`
	VoteID      string `json:"vote_id"`
	CeremonyID  string `json:"ceremony_id"`
	Identifier  string `json:"identifier"`
	TallyHash   string `json:"tally_hash"`
	Base        string `json:"base"`
	AuditAnchor string `json:"audit_anchor"`
	AuditCount  uint64 `json:"audit_count"`
	Signature   string `json:"signature"`
}

// MarshalJSON writes the wire form.
func (c *Certification) MarshalJSON() ([]byte, error) {
	return mustJSON(certificationJSON{c.Version, c.VoteID, c.CeremonyID, c.Identifier.Hex(), hex.EncodeToString(c.TallyHash[:]),
		c.Base, hex.EncodeToString(c.AuditAnchor[:]), c.AuditCount, hex.EncodeToString(c.Signature[:])}), nil
}

// ParseCertification decodes a certification.
func ParseCertification(data []byte) (*Certification, error) {
	var w certificationJSON
	if err := decodeStrict(data, &w); err != nil {
		return nil, err
	}
	if err := checkVersion(w.Version); err != nil {
		return nil, err
	}
	for _, f := range []struct{ n, v string }{{"vote_id", w.VoteID}, {"ceremony_id", w.CeremonyID}, {"base", w.Base}} {
		if err := checkID(f.n, f.v); err != nil {
			return nil, err
		}
	}
	c := &Certification{Version: 1, VoteID: w.VoteID, CeremonyID: w.CeremonyID, Base: w.Base, AuditCount: w.AuditCount}
	var err error
	if c.Identifier, err = ParseIdentifierHex("identifier", w.Identifier); err != nil {
		return nil, err
	}
	if c.TallyHash, err = decodeHex32("tally_hash", w.TallyHash); err != nil {
		return nil, err
	}
	if c.AuditAnchor, err = decodeHex32("audit_anchor", w.AuditAnchor); err != nil {
		return nil, err
	}
	if c.Signature, err = decodeHex64("signature", w.Signature); err != nil {
		return nil, err
	}
	return c, nil
}

type credentialListJSON struct {
	Version     int      `json:"version"`
	VoteID      string   `json:"vote_id"`
	Credentials []string `json:"credentials"`
	Identifier  string   `json:"identifier"`
	Signature   string   `json:"signature"`
}

// MarshalJSON writes the wire form.
func (l *CredentialList) MarshalJSON() ([]byte, error) {
	w := credentialListJSON{1, l.VoteID, make([]string, len(l.Credentials)), l.Identifier.Hex(), hex.EncodeToString(l.Signature[:])}
	for i, c := range l.Credentials {
		w.Credentials[i] = hex.EncodeToString(c[:])
	}
	return mustJSON(w), nil
}

// ParseCredentialList decodes a credential list; every key must be valid (§2.3).
func ParseCredentialList(data []byte) (*CredentialList, error) {
	var w credentialListJSON
	if err := decodeStrict(data, &w); err != nil {
		return nil, err
	}
	if err := checkVersion(w.Version); err != nil {
		return nil, err
	}
	if err := checkID("vote_id", w.VoteID); err != nil {
		return nil, err
	}
	if len(w.Credentials) < 1 || len(w.Credentials) > 1<<20 {
		return nil, errf("credentials", CodeLength, "1 to 2^20 credentials")
	}
	l := &CredentialList{VoteID: w.VoteID, Credentials: make([][32]byte, len(w.Credentials))}
	var err error
	for i, c := range w.Credentials {
		if l.Credentials[i], err = parseKeyHex(idx("credentials", i), c); err != nil {
			return nil, err
		}
	}
	if l.Identifier, err = ParseIdentifierHex("identifier", w.Identifier); err != nil {
		return nil, err
	}
	if l.Signature, err = decodeHex64("signature", w.Signature); err != nil {
		return nil, err
	}
	return l, nil
}

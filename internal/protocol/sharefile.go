package protocol

import (
	"encoding/hex"
	"io"

	"github.com/gtank/ristretto255"
	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"
)

// KDFParams are the Argon2id parameters of a share file (docs/PROTOCOL.md §10.9).
type KDFParams struct {
	Memory uint32 // KiB
	Time   uint32
	Lanes  uint8
}

// DefaultKDF takes about 0.85 s in the browser (noble's argon2id in V8): 64 MiB, 2 passes, 1 lane.
var DefaultKDF = KDFParams{Memory: 65536, Time: 2, Lanes: 1}

func (p KDFParams) check() error {
	if p.Memory < 8192 || p.Memory > 1048576 {
		return errf("kdf.m", CodeRange, "memory must be 8192 to 1048576 KiB")
	}
	if p.Time < 1 || p.Time > 16 {
		return errf("kdf.t", CodeRange, "passes must be 1 to 16")
	}
	if p.Lanes != 1 {
		return errf("kdf.p", CodeRange, "one lane")
	}
	return nil
}

// ShareFile is the passphrase-wrapped share key a member saves (and may print as one QR code).
type ShareFile struct {
	CeremonyID  string
	Identifier  Identifier
	Fingerprint string
	KDF         KDFParams
	Salt        [16]byte
	Nonce       [24]byte
	Ciphertext  [176]byte
}

func (f *ShareFile) aad() []byte {
	h := newHasher("tinnhiem/v1/share-file")
	h.u64(1)
	h.str(f.CeremonyID)
	h.bytes(f.Identifier[:])
	h.str(f.Fingerprint)
	h.u64(uint64(f.KDF.Memory))
	h.u64(uint64(f.KDF.Time))
	h.u64(uint64(f.KDF.Lanes))
	h.bytes(f.Salt[:])
	s := h.sum()
	return s[:]
}

// SealShareFile wraps a share key under a passphrase (the caller passes the UTF-8 bytes of its NFC
// normalisation). It draws the 16-byte salt, then the 24-byte nonce from rand.
func SealShareFile(rand io.Reader, k *ShareKey, passphrase []byte, p KDFParams) (*ShareFile, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	f := &ShareFile{CeremonyID: k.CeremonyID, Identifier: k.Identifier, Fingerprint: k.Fingerprint, KDF: p}
	if _, err := io.ReadFull(rand, f.Salt[:]); err != nil {
		return nil, err
	}
	if _, err := io.ReadFull(rand, f.Nonce[:]); err != nil {
		return nil, err
	}
	key := argon2.IDKey(passphrase, f.Salt[:], p.Time, p.Memory, p.Lanes, 32)
	aead, _ := chacha20poly1305.NewX(key)
	pt := make([]byte, 0, 160)
	pt = append(pt, k.SigningShare.Bytes()...)
	pt = append(pt, k.VerifyingShare.enc[:]...)
	pt = append(pt, k.GroupKey.enc[:]...)
	pt = append(pt, k.Identifier[:]...)
	pt = append(pt, k.SigningSeed[:]...)
	copy(f.Ciphertext[:], aead.Seal(nil, f.Nonce[:], pt, f.aad()))
	return f, nil
}

// Open unwraps a share file; a wrong passphrase or any change to the file is a "decrypt" error.
func (f *ShareFile) Open(passphrase []byte) (*ShareKey, error) {
	if err := f.KDF.check(); err != nil {
		return nil, err
	}
	key := argon2.IDKey(passphrase, f.Salt[:], f.KDF.Time, f.KDF.Memory, f.KDF.Lanes, 32)
	aead, _ := chacha20poly1305.NewX(key)
	pt, err := aead.Open(nil, f.Nonce[:], f.Ciphertext[:], f.aad())
	if err != nil {
		return nil, errf("ciphertext", CodeDecrypt, "wrong passphrase, or the file was changed")
	}
	k := &ShareKey{CeremonyID: f.CeremonyID, Identifier: f.Identifier, Fingerprint: f.Fingerprint}
	s, err := DecodeScalar(pt[:32])
	if err != nil {
		return nil, at(err, "ciphertext", -1)
	}
	k.SigningShare.Set(s)
	if k.VerifyingShare, err = DecodePoint(pt[32:64], false); err != nil {
		return nil, at(err, "ciphertext", -1)
	}
	if k.GroupKey, err = DecodePoint(pt[64:96], false); err != nil {
		return nil, at(err, "ciphertext", -1)
	}
	if string(pt[96:128]) != string(f.Identifier[:]) {
		return nil, errf("identifier", CodeMismatch, "the identifier inside the file differs")
	}
	copy(k.SigningSeed[:], pt[128:160])
	if ristretto255.NewIdentityElement().ScalarBaseMult(s).Equal(&k.VerifyingShare.e) != 1 {
		return nil, errf("ciphertext", CodeMismatch, "the share does not match its verifying share")
	}
	return k, nil
}

type kdfJSON struct {
	Name string `json:"name"`
	M    uint32 `json:"m"`
	T    uint32 `json:"t"`
	P    uint8  `json:"p"`
	Salt string `json:"salt"`
}

type shareFileJSON struct {
	Format      string  `json:"format"`
	Version     int     `json:"version"`
	CeremonyID  string  `json:"ceremony_id"`
	Identifier  string  `json:"identifier"`
	Fingerprint string  `json:"fingerprint"`
	KDF         kdfJSON `json:"kdf"`
	Nonce       string  `json:"nonce"`
	Ciphertext  string  `json:"ciphertext"`
}

// ShareFileFormat is the "format" of a share file.
const ShareFileFormat = "tinnhiem-share"

// MarshalJSON writes the file.
func (f *ShareFile) MarshalJSON() ([]byte, error) {
	return mustJSON(shareFileJSON{ShareFileFormat, 1, f.CeremonyID, f.Identifier.Hex(), f.Fingerprint,
		kdfJSON{"argon2id", f.KDF.Memory, f.KDF.Time, f.KDF.Lanes, hex.EncodeToString(f.Salt[:])},
		hex.EncodeToString(f.Nonce[:]), hex.EncodeToString(f.Ciphertext[:])}), nil
}

// ParseShareFile decodes a share file.
func ParseShareFile(data []byte) (*ShareFile, error) {
	var w shareFileJSON
	if err := decodeStrict(data, &w); err != nil {
		return nil, err
	}
	if w.Format != ShareFileFormat {
		return nil, errf("format", CodeMismatch, "not a Tín Nhiệm share file")
	}
	if err := checkVersion(w.Version); err != nil {
		return nil, err
	}
	if err := checkID("ceremony_id", w.CeremonyID); err != nil {
		return nil, err
	}
	f := &ShareFile{CeremonyID: w.CeremonyID, Fingerprint: w.Fingerprint, KDF: KDFParams{w.KDF.M, w.KDF.T, w.KDF.P}}
	var err error
	if f.Identifier, err = ParseIdentifierHex("identifier", w.Identifier); err != nil {
		return nil, err
	}
	if len(w.Fingerprint) != 19 {
		return nil, errf("fingerprint", CodeLength, "a fingerprint has 19 characters")
	}
	if w.KDF.Name != "argon2id" {
		return nil, errf("kdf.name", CodeMismatch, "the key derivation is argon2id")
	}
	if err := f.KDF.check(); err != nil {
		return nil, err
	}
	salt, err := decodeHex("kdf.salt", w.KDF.Salt, 16)
	if err != nil {
		return nil, err
	}
	copy(f.Salt[:], salt)
	n, err := decodeHex("nonce", w.Nonce, 24)
	if err != nil {
		return nil, err
	}
	copy(f.Nonce[:], n)
	ct, err := decodeHex("ciphertext", w.Ciphertext, 176)
	if err != nil {
		return nil, err
	}
	copy(f.Ciphertext[:], ct)
	return f, nil
}

// Reopen is the signed "I reopened my file" check: a Schnorr proof of knowledge of the signing
// share (§10.10).
type Reopen struct {
	Version    int
	CeremonyID string
	Identifier Identifier
	U          Point
	Z          ristretto255.Scalar
	Signature  [64]byte
}

func reopenChallenge(cid string, id Identifier, yj, u *Point) *ristretto255.Scalar {
	h := newHasher("tinnhiem/v1/reopen-proof")
	h.str(cid)
	h.bytes(id[:])
	h.point(yj)
	h.point(u)
	return scalarFromHash(h.sum())
}

func (r *Reopen) statement() [64]byte {
	h := newHasher("tinnhiem/v1/reopen")
	h.str(r.CeremonyID)
	h.bytes(r.Identifier[:])
	h.point(&r.U)
	h.scalar(&r.Z)
	return h.sum()
}

// NewReopen proves, from a reopened share file, that the member holds its share. It draws w (48
// bytes) from rand.
func NewReopen(rand io.Reader, k *ShareKey) (*Reopen, error) {
	w, err := RandomScalar(rand)
	if err != nil {
		return nil, err
	}
	r := &Reopen{Version: 1, CeremonyID: k.CeremonyID, Identifier: k.Identifier, U: NewPoint(ristretto255.NewIdentityElement().ScalarBaseMult(w))}
	c := reopenChallenge(k.CeremonyID, k.Identifier, &k.VerifyingShare, &r.U)
	r.Z.Multiply(c, &k.SigningShare)
	r.Z.Add(&r.Z, w)
	r.Signature = Sign(k.Signer(), r.statement())
	return r, nil
}

// CheckReopen verifies a reopen message against the ceremony's public result.
func (res *CeremonyResult) CheckReopen(r *Reopen) error {
	if r.Version != 1 {
		return errf("version", CodeVersion, "unsupported version %d", r.Version)
	}
	if r.CeremonyID != res.Ceremony.ID {
		return errf("ceremony_id", CodeMismatch, "another ceremony")
	}
	mk, ok := res.Member(r.Identifier)
	if !ok {
		return errf("identifier", CodeMismatch, "not a member of this ceremony")
	}
	if err := verifySig("signature", mk.SigningKey, r.statement(), r.Signature); err != nil {
		return err
	}
	c := reopenChallenge(r.CeremonyID, r.Identifier, &mk.VerifyingShare, &r.U)
	c.Negate(c)
	got := ristretto255.NewIdentityElement().VarTimeDoubleScalarBaseMult(c, &mk.VerifyingShare.e, &r.Z)
	if got.Equal(&r.U.e) != 1 {
		return errf("z", CodeProof, "the proof of knowledge of the share does not verify")
	}
	return nil
}

type reopenJSON struct {
	Version    int    `json:"version"`
	CeremonyID string `json:"ceremony_id"`
	Identifier string `json:"identifier"`
	U          string `json:"u"`
	Z          string `json:"z"`
	Signature  string `json:"signature"`
}

// MarshalJSON writes the wire form.
func (r *Reopen) MarshalJSON() ([]byte, error) {
	return mustJSON(reopenJSON{r.Version, r.CeremonyID, r.Identifier.Hex(), r.U.Hex(), ScalarHex(&r.Z), hex.EncodeToString(r.Signature[:])}), nil
}

// ParseReopen decodes a reopen message.
func ParseReopen(data []byte) (*Reopen, error) {
	var w reopenJSON
	if err := decodeStrict(data, &w); err != nil {
		return nil, err
	}
	if err := checkVersion(w.Version); err != nil {
		return nil, err
	}
	if err := checkID("ceremony_id", w.CeremonyID); err != nil {
		return nil, err
	}
	r := &Reopen{Version: 1, CeremonyID: w.CeremonyID}
	var err error
	if r.Identifier, err = ParseIdentifierHex("identifier", w.Identifier); err != nil {
		return nil, err
	}
	if r.U, err = ParsePointHex("u", w.U, false); err != nil {
		return nil, err
	}
	z, err := ParseScalarHex("z", w.Z)
	if err != nil {
		return nil, err
	}
	r.Z.Set(z)
	if r.Signature, err = decodeHex64("signature", w.Signature); err != nil {
		return nil, err
	}
	return r, nil
}

// Destruction is a member's signed confirmation that it destroyed its share file (§12.2).
type Destruction struct {
	Version    int
	CeremonyID string
	Identifier Identifier
	Signature  [64]byte
}

func (d *Destruction) statement() [64]byte {
	return Hash("tinnhiem/v1/destruction", []byte(d.CeremonyID), d.Identifier[:])
}

// NewDestruction signs the destruction confirmation.
func NewDestruction(k *ShareKey) *Destruction {
	d := &Destruction{Version: 1, CeremonyID: k.CeremonyID, Identifier: k.Identifier}
	d.Signature = Sign(k.Signer(), d.statement())
	return d
}

// Verify checks the confirmation under the member's signing key.
func (d *Destruction) Verify(signingKey [32]byte) error {
	return verifySig("signature", signingKey, d.statement(), d.Signature)
}

type destructionJSON struct {
	Version    int    `json:"version"`
	CeremonyID string `json:"ceremony_id"`
	Identifier string `json:"identifier"`
	Signature  string `json:"signature"`
}

// MarshalJSON writes the wire form.
func (d *Destruction) MarshalJSON() ([]byte, error) {
	return mustJSON(destructionJSON{d.Version, d.CeremonyID, d.Identifier.Hex(), hex.EncodeToString(d.Signature[:])}), nil
}

// ParseDestruction decodes a destruction confirmation.
func ParseDestruction(data []byte) (*Destruction, error) {
	var w destructionJSON
	if err := decodeStrict(data, &w); err != nil {
		return nil, err
	}
	if err := checkVersion(w.Version); err != nil {
		return nil, err
	}
	if err := checkID("ceremony_id", w.CeremonyID); err != nil {
		return nil, err
	}
	d := &Destruction{Version: 1, CeremonyID: w.CeremonyID}
	var err error
	if d.Identifier, err = ParseIdentifierHex("identifier", w.Identifier); err != nil {
		return nil, err
	}
	if d.Signature, err = decodeHex64("signature", w.Signature); err != nil {
		return nil, err
	}
	return d, nil
}

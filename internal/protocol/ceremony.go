package protocol

import (
	"crypto/ed25519"
	"crypto/hkdf"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"io"
	"slices"

	"github.com/gtank/ristretto255"
	"golang.org/x/crypto/chacha20poly1305"
)

// Ceremony holds the parameters of a key ceremony (docs/PROTOCOL.md §10.1).
type Ceremony struct {
	ID        string
	CouncilID string
	VoteID    string // the vote the ceremony was started for
	Threshold int
	Members   []string // the board members' user ids
}

// DefaultThreshold is a majority of the board, at least 2: max(2, floor(n/2)+1).
func DefaultThreshold(n int) int { return max(2, n/2+1) }

// Validate checks ids, 2 ≤ t ≤ n, and that the members' identifiers are distinct and non-zero.
func (c *Ceremony) Validate() error {
	for _, f := range []struct{ name, v string }{{"ceremony_id", c.ID}, {"council_id", c.CouncilID}, {"vote_id", c.VoteID}} {
		if err := checkID(f.name, f.v); err != nil {
			return err
		}
	}
	n := len(c.Members)
	if n < 2 || n > 255 {
		return errf("members", CodeRange, "a board has 2 to 255 members")
	}
	if c.Threshold < 2 || c.Threshold > n {
		return errf("threshold", CodeRange, "the threshold must be 2 to %d", n)
	}
	_, err := c.Identifiers()
	return err
}

// Identifiers returns the members' identifiers in identifier order.
func (c *Ceremony) Identifiers() ([]Identifier, error) {
	ids := make([]Identifier, len(c.Members))
	for i, u := range c.Members {
		if err := checkID(idx("members", i), u); err != nil {
			return nil, err
		}
		id, err := DeriveIdentifier(u)
		if err != nil {
			return nil, at(err, idx("members", i), -1)
		}
		ids[i] = id
	}
	SortIdentifiers(ids)
	for i := 1; i < len(ids); i++ {
		if ids[i] == ids[i-1] {
			return nil, errf("members", CodeDuplicate, "two members have the same identifier")
		}
	}
	return ids, nil
}

// Round1 is a member's round-1 message (§10.4).
type Round1 struct {
	Version          int
	CeremonyID       string
	Identifier       Identifier
	Commitment       []Point  // C_0 .. C_{t-1}
	ProofOfKnowledge [64]byte // enc(R) || sc(mu)
	CeremonyKey      Point    // E_i
	SigningKey       [32]byte // Ed25519
	Signature        [64]byte
}

func (r *Round1) statement(c *Ceremony) [64]byte {
	h := newHasher("tinnhiem/v1/round1")
	h.str(c.ID)
	h.str(c.CouncilID)
	h.str(c.VoteID)
	h.u64(uint64(c.Threshold))
	h.u64(uint64(len(c.Members)))
	h.bytes(r.Identifier[:])
	for i := range r.Commitment {
		h.point(&r.Commitment[i])
	}
	h.bytes(r.ProofOfKnowledge[:])
	h.point(&r.CeremonyKey)
	h.bytes(r.SigningKey[:])
	return h.sum()
}

// pokChallenge is noble's DKG challenge: SHA-512("FROST-RISTRETTO255-SHA512-v1dkg" || id || C_0 || R) mod l.
func pokChallenge(id Identifier, c0, R *Point) *ristretto255.Scalar {
	msg := make([]byte, 0, len(frostDKGPrefix)+96)
	msg = append(msg, frostDKGPrefix...)
	msg = append(msg, id[:]...)
	msg = append(msg, c0.enc[:]...)
	msg = append(msg, R.enc[:]...)
	h := sha512.Sum512(msg)
	return scalarFromHash(h)
}

// verifyPoK checks R = mu·G − c·C_0.
func verifyPoK(id Identifier, c0 *Point, pok [64]byte) error {
	R, err := DecodePoint(pok[:32], false)
	if err != nil {
		return at(err, "proof_of_knowledge", -1)
	}
	mu, err := DecodeScalar(pok[32:])
	if err != nil {
		return at(err, "proof_of_knowledge", -1)
	}
	c := pokChallenge(id, c0, &R)
	c.Negate(c)
	got := ristretto255.NewIdentityElement().VarTimeDoubleScalarBaseMult(c, &c0.e, mu)
	if got.Equal(&R.e) != 1 {
		return errf("proof_of_knowledge", CodeProof, "the proof of knowledge does not verify")
	}
	return nil
}

// Member is one board member's secret state during a ceremony. Nothing of it is stored: a failed
// ceremony is restarted from scratch.
type Member struct {
	c          Ceremony
	ids        []Identifier
	id         Identifier
	coeffs     []*ristretto255.Scalar
	e          *ristretto255.Scalar
	seed       [32]byte
	signer     ed25519.PrivateKey
	round1     []*Round1 // all members', identifier order, once verified
	transcript [64]byte
}

// NewMember starts a member's ceremony and returns its round-1 message. It draws from rand, in this
// order: the t coefficients a_0..a_{t-1} and the PoK nonce (48 bytes each, as noble's
// DKG.round1), the ceremony key e (48 bytes), the signing seed (32 bytes).
func NewMember(rand io.Reader, c *Ceremony, userID string) (*Member, *Round1, error) {
	if err := c.Validate(); err != nil {
		return nil, nil, err
	}
	ids, _ := c.Identifiers()
	if !slices.Contains(c.Members, userID) {
		return nil, nil, errf("user_id", CodeMismatch, "not a member of the board")
	}
	id, _ := DeriveIdentifier(userID)
	m := &Member{c: *c, ids: ids, id: id}
	m.c.Members = slices.Clone(c.Members)
	for i := 0; i < c.Threshold; i++ {
		a, err := RandomScalar(rand)
		if err != nil {
			return nil, nil, err
		}
		m.coeffs = append(m.coeffs, a)
	}
	k, err := RandomScalar(rand)
	if err != nil {
		return nil, nil, err
	}
	if m.e, err = RandomScalar(rand); err != nil {
		return nil, nil, err
	}
	if _, err := io.ReadFull(rand, m.seed[:]); err != nil {
		return nil, nil, err
	}
	var pub [32]byte
	m.signer, pub = keyPair(m.seed[:])
	r := &Round1{Version: 1, CeremonyID: c.ID, Identifier: id, SigningKey: pub}
	for _, a := range m.coeffs {
		r.Commitment = append(r.Commitment, NewPoint(ristretto255.NewIdentityElement().ScalarBaseMult(a)))
	}
	R := NewPoint(ristretto255.NewIdentityElement().ScalarBaseMult(k))
	ch := pokChallenge(id, &r.Commitment[0], &R)
	mu := ristretto255.NewScalar().Multiply(m.coeffs[0], ch)
	mu.Add(mu, k)
	copy(r.ProofOfKnowledge[:32], R.enc[:])
	copy(r.ProofOfKnowledge[32:], mu.Bytes())
	r.CeremonyKey = NewPoint(ristretto255.NewIdentityElement().ScalarBaseMult(m.e))
	r.Signature = Sign(m.signer, r.statement(c))
	return m, r, nil
}

// Identifier returns the member's identifier.
func (m *Member) Identifier() Identifier { return m.id }

// VerifyRound1 checks all n round-1 messages (§10.4) and returns them in identifier order. The server
// runs it as messages arrive (with the ones received so far, partial = true) and every member
// before round 2 (partial = false: exactly one message per member).
func VerifyRound1(c *Ceremony, msgs []*Round1, partial bool) ([]*Round1, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	ids, _ := c.Identifiers()
	sorted := slices.Clone(msgs)
	slices.SortStableFunc(sorted, func(a, b *Round1) int { return CompareIdentifiers(a.Identifier, b.Identifier) })
	if !partial && len(sorted) != len(ids) {
		return nil, errf("round1", CodeLength, "%d round-1 messages for %d members", len(sorted), len(ids))
	}
	keys := map[[32]byte]bool{}
	signing := map[[32]byte]bool{}
	for i, r := range sorted {
		name := "round1[" + r.Identifier.Hex() + "]"
		if i > 0 && sorted[i-1].Identifier == r.Identifier {
			return nil, errf(name, CodeDuplicate, "two round-1 messages from one member")
		}
		if _, ok := slices.BinarySearchFunc(ids, r.Identifier, CompareIdentifiers); !ok {
			return nil, errf(name+".identifier", CodeMismatch, "not a member of this ceremony")
		}
		if err := r.check(c); err != nil {
			return nil, at(err, name, -1)
		}
		if keys[r.CeremonyKey.enc] {
			return nil, errf(name+".ceremony_key", CodeDuplicate, "another member has this ceremony key")
		}
		if signing[r.SigningKey] {
			return nil, errf(name+".signing_key", CodeDuplicate, "another member has this signing key")
		}
		keys[r.CeremonyKey.enc], signing[r.SigningKey] = true, true
	}
	return sorted, nil
}

func (r *Round1) check(c *Ceremony) error {
	if r.Version != 1 {
		return errf("version", CodeVersion, "unsupported version %d", r.Version)
	}
	if r.CeremonyID != c.ID {
		return errf("ceremony_id", CodeMismatch, "another ceremony")
	}
	if len(r.Commitment) != c.Threshold {
		return errf("commitment", CodeLength, "%d commitments, the threshold is %d", len(r.Commitment), c.Threshold)
	}
	for i := range r.Commitment {
		if r.Commitment[i].IsIdentity() {
			return errf(idx("commitment", i), CodeIdentity, "the identity element is not allowed here")
		}
	}
	if r.CeremonyKey.IsIdentity() {
		return errf("ceremony_key", CodeIdentity, "the identity element is not allowed here")
	}
	if err := CheckPublicKey(r.SigningKey[:]); err != nil {
		return at(err, "signing_key", -1)
	}
	if err := verifyPoK(r.Identifier, &r.Commitment[0], r.ProofOfKnowledge); err != nil {
		return err
	}
	return verifySig("signature", r.SigningKey, r.statement(c), r.Signature)
}

// Transcript is the ceremony's transcript hash (§10.5) over the round-1 messages in identifier order.
func Transcript(c *Ceremony, sorted []*Round1) [64]byte {
	h := newHasher("tinnhiem/v1/transcript")
	h.str(c.ID)
	h.str(c.CouncilID)
	h.str(c.VoteID)
	h.u64(uint64(c.Threshold))
	h.u64(uint64(len(c.Members)))
	for _, r := range sorted {
		h.bytes(r.Identifier[:])
		h.point(&r.CeremonyKey)
		h.bytes(r.SigningKey[:])
		for i := range r.Commitment {
			h.point(&r.Commitment[i])
		}
		h.bytes(r.ProofOfKnowledge[:])
	}
	return h.sum()
}

// EncryptedShare is one round-2 share, encrypted to its recipient.
type EncryptedShare struct {
	Recipient  Identifier
	Nonce      [24]byte
	Ciphertext [48]byte
}

// Round2 is a member's round-2 message: its shares for every other member (§10.6).
type Round2 struct {
	Version    int
	CeremonyID string
	Identifier Identifier
	Shares     []EncryptedShare // identifier order
	Signature  [64]byte
}

func (r *Round2) statement(transcript [64]byte) [64]byte {
	h := newHasher("tinnhiem/v1/round2")
	h.str(r.CeremonyID)
	h.bytes(transcript[:])
	h.bytes(r.Identifier[:])
	for i := range r.Shares {
		s := &r.Shares[i]
		h.bytes(s.Recipient[:])
		h.bytes(s.Nonce[:])
		h.bytes(s.Ciphertext[:])
	}
	return h.sum()
}

// shareCipherKey derives the AEAD key and AAD of the share from sender `from` to `to`.
func shareCipherKey(e *ristretto255.Scalar, E *Point, transcript [64]byte, ceremonyID string, from, to Identifier) ([]byte, []byte, error) {
	dh := ristretto255.NewIdentityElement().ScalarMult(e, &E.e)
	if dh.Equal(ristretto255.NewIdentityElement()) == 1 {
		return nil, nil, errf("ceremony_key", CodeIdentity, "the shared point is the identity")
	}
	info := frame([]byte("tinnhiem/v1/share"), []byte(ceremonyID), from[:], to[:])
	key, err := hkdf.Key(sha256.New, dh.Bytes(), transcript[:], string(info), 32)
	if err != nil {
		return nil, nil, err
	}
	return key, frame([]byte(ceremonyID), from[:], to[:]), nil
}

// evalPoly returns f(x) = Σ a_m x^m.
func evalPoly(coeffs []*ristretto255.Scalar, x *ristretto255.Scalar) *ristretto255.Scalar {
	r := ristretto255.NewScalar()
	for i := len(coeffs) - 1; i >= 0; i-- {
		r.Multiply(r, x)
		r.Add(r, coeffs[i])
	}
	return r
}

// Round2 verifies all round-1 messages, fixes the transcript, and encrypts this member's shares.
// It draws one 24-byte nonce per recipient from rand, in identifier order.
func (m *Member) Round2(rand io.Reader, r1 []*Round1) (*Round2, error) {
	sorted, err := VerifyRound1(&m.c, r1, false)
	if err != nil {
		return nil, err
	}
	m.round1 = sorted
	m.transcript = Transcript(&m.c, sorted)
	out := &Round2{Version: 1, CeremonyID: m.c.ID, Identifier: m.id}
	for _, r := range sorted {
		if r.Identifier == m.id {
			continue
		}
		s := EncryptedShare{Recipient: r.Identifier}
		if _, err := io.ReadFull(rand, s.Nonce[:]); err != nil {
			return nil, err
		}
		key, aad, err := shareCipherKey(m.e, &r.CeremonyKey, m.transcript, m.c.ID, m.id, r.Identifier)
		if err != nil {
			return nil, err
		}
		aead, _ := chacha20poly1305.NewX(key)
		share := evalPoly(m.coeffs, r.Identifier.scalar())
		copy(s.Ciphertext[:], aead.Seal(nil, s.Nonce[:], share.Bytes(), aad))
		out.Shares = append(out.Shares, s)
	}
	out.Signature = Sign(m.signer, out.statement(m.transcript))
	return out, nil
}

// Transcript returns the transcript hash the member fixed at round 2.
func (m *Member) Transcript() [64]byte { return m.transcript }

// VerifyRound2 is the server's check of a round-2 message: version, ceremony, sender, recipients
// (every other member, identifier order) and signature. It cannot read the shares.
func VerifyRound2(c *Ceremony, sorted []*Round1, transcript [64]byte, r *Round2) error {
	if r.Version != 1 {
		return errf("version", CodeVersion, "unsupported version %d", r.Version)
	}
	if r.CeremonyID != c.ID {
		return errf("ceremony_id", CodeMismatch, "another ceremony")
	}
	var sender *Round1
	for _, x := range sorted {
		if x.Identifier == r.Identifier {
			sender = x
		}
	}
	if sender == nil {
		return errf("identifier", CodeMismatch, "not a member of this ceremony")
	}
	if len(r.Shares) != len(sorted)-1 {
		return errf("shares", CodeLength, "%d shares for %d other members", len(r.Shares), len(sorted)-1)
	}
	j := 0
	for _, x := range sorted {
		if x.Identifier == r.Identifier {
			continue
		}
		if r.Shares[j].Recipient != x.Identifier {
			return errf(idx("shares", j)+".recipient", CodeMismatch, "the recipients must be the other members in identifier order")
		}
		j++
	}
	return verifySig("signature", sender.SigningKey, r.statement(transcript), r.Signature)
}

// ShareKey is a member's secret result (§10.8): what the share file holds.
type ShareKey struct {
	CeremonyID     string
	Identifier     Identifier
	SigningShare   ristretto255.Scalar
	VerifyingShare Point
	GroupKey       Point
	SigningSeed    [32]byte
	Fingerprint    string
}

// Signer returns the member's Ed25519 signing key.
func (k *ShareKey) Signer() ed25519.PrivateKey { p, _ := keyPair(k.SigningSeed[:]); return p }

// SigningKey returns the member's Ed25519 public key.
func (k *ShareKey) SigningKey() [32]byte { _, pub := keyPair(k.SigningSeed[:]); return pub }

// Confirmation is a member's round-3 confirmation (§10.7).
type Confirmation struct {
	Version        int
	CeremonyID     string
	Identifier     Identifier
	GroupKey       Point
	VerifyingShare Point
	Transcript     [64]byte
	Signature      [64]byte
}

func (r *Confirmation) statement() [64]byte {
	h := newHasher("tinnhiem/v1/round3")
	h.str(r.CeremonyID)
	h.bytes(r.Identifier[:])
	h.point(&r.GroupKey)
	h.point(&r.VerifyingShare)
	h.bytes(r.Transcript[:])
	return h.sum()
}

// Complaint reasons.
const (
	ReasonDecrypt = "decrypt" // the share did not decrypt
	ReasonShare   = "share"   // the share does not match the sender's commitments
)

// Complaint is a member's round-3 complaint against the sender of a bad share (§10.7).
type Complaint struct {
	Version    int
	CeremonyID string
	Identifier Identifier
	Accused    Identifier
	Reason     string
	Transcript [64]byte
	Signature  [64]byte
}

func (r *Complaint) statement() [64]byte {
	h := newHasher("tinnhiem/v1/complaint")
	h.str(r.CeremonyID)
	h.bytes(r.Identifier[:])
	h.bytes(r.Accused[:])
	h.str(r.Reason)
	h.bytes(r.Transcript[:])
	return h.sum()
}

// Round3Result is the outcome of round 3 for one member: a confirmation and its share key, or a
// complaint.
type Round3Result struct {
	Confirmation *Confirmation
	Key          *ShareKey
	Complaint    *Complaint
}

// Round3 decrypts and checks the shares addressed to this member (one round-2 message from each
// other member), then confirms with its share key, or complains against the first bad sender.
func (m *Member) Round3(r2 []*Round2) (*Round3Result, error) {
	if m.round1 == nil {
		return nil, errf("", CodeMismatch, "round 2 has not run")
	}
	bySender := map[Identifier]*Round2{}
	for i, r := range r2 {
		if err := VerifyRound2(&m.c, m.round1, m.transcript, r); err != nil {
			return nil, at(err, idx("round2", i), -1)
		}
		bySender[r.Identifier] = r
	}
	x := m.id.scalar()
	s := evalPoly(m.coeffs, x)
	for _, r1 := range m.round1 {
		if r1.Identifier == m.id {
			continue
		}
		r, ok := bySender[r1.Identifier]
		if !ok {
			return nil, errf("round2", CodeLength, "no round-2 message from %s", r1.Identifier.Hex())
		}
		var enc *EncryptedShare
		for i := range r.Shares {
			if r.Shares[i].Recipient == m.id {
				enc = &r.Shares[i]
			}
		}
		share, reason := m.openShare(r1, enc)
		if reason != "" {
			return &Round3Result{Complaint: m.Complain(r1.Identifier, reason)}, nil
		}
		s.Add(s, share)
	}
	res, err := ComputeResult(&m.c, m.round1)
	if err != nil {
		return nil, err
	}
	mine, _ := res.Member(m.id)
	if ristretto255.NewIdentityElement().ScalarBaseMult(s).Equal(&mine.VerifyingShare.e) != 1 {
		return nil, errf("", CodeProof, "the signing share does not match the verifying share")
	}
	k := &ShareKey{CeremonyID: m.c.ID, Identifier: m.id, VerifyingShare: mine.VerifyingShare, GroupKey: res.GroupKey,
		SigningSeed: m.seed, Fingerprint: Fingerprint80(m.transcript)}
	k.SigningShare.Set(s)
	conf := &Confirmation{Version: 1, CeremonyID: m.c.ID, Identifier: m.id, GroupKey: res.GroupKey, VerifyingShare: mine.VerifyingShare, Transcript: m.transcript}
	conf.Signature = Sign(m.signer, conf.statement())
	for _, a := range m.coeffs {
		a.Zero()
	}
	return &Round3Result{Confirmation: conf, Key: k}, nil
}

// Complain is the member's signed complaint against the sender of a share that failed its checks
// (reason ReasonDecrypt or ReasonShare): what Round3 returns then, and what a member's client files
// when its own checks of a share fail.
func (m *Member) Complain(accused Identifier, reason string) *Complaint {
	c := &Complaint{Version: 1, CeremonyID: m.c.ID, Identifier: m.id, Accused: accused, Reason: reason, Transcript: m.transcript}
	c.Signature = Sign(m.signer, c.statement())
	return c
}

// openShare decrypts the share of sender r1 and checks it against r1's commitments.
func (m *Member) openShare(r1 *Round1, enc *EncryptedShare) (*ristretto255.Scalar, string) {
	key, aad, err := shareCipherKey(m.e, &r1.CeremonyKey, m.transcript, m.c.ID, r1.Identifier, m.id)
	if err != nil {
		return nil, ReasonDecrypt
	}
	aead, _ := chacha20poly1305.NewX(key)
	pt, err := aead.Open(nil, enc.Nonce[:], enc.Ciphertext[:], aad)
	if err != nil {
		return nil, ReasonDecrypt
	}
	s, err := DecodeScalar(pt)
	if err != nil {
		return nil, ReasonShare
	}
	if !shareMatches(m.id, r1.Commitment, s) {
		return nil, ReasonShare
	}
	return s, ""
}

// shareMatches checks s·G = Σ_m x^m·C_m (noble's validateSecretShare).
func shareMatches(id Identifier, commitment []Point, s *ristretto255.Scalar) bool {
	return ristretto255.NewIdentityElement().ScalarBaseMult(s).Equal(evalCommitment(id, commitment)) == 1
}

func evalCommitment(id Identifier, commitment []Point) *ristretto255.Element {
	x := id.scalar()
	pow := scalarU64(1)
	scalars := make([]*ristretto255.Scalar, len(commitment))
	points := make([]*ristretto255.Element, len(commitment))
	for i := range commitment {
		scalars[i] = ristretto255.NewScalar().Set(pow)
		points[i] = &commitment[i].e
		pow.Multiply(pow, x)
	}
	return ristretto255.NewIdentityElement().VarTimeMultiScalarMult(scalars, points)
}

// MemberKey is a member's public result: identifier, verifying share Y_j, signing key.
type MemberKey struct {
	Identifier     Identifier
	VerifyingShare Point
	SigningKey     [32]byte
}

// CeremonyResult is the public result of a ceremony (§10.8), computable by anyone from the
// round-1 messages.
type CeremonyResult struct {
	Ceremony   Ceremony
	Transcript [64]byte
	GroupKey   Point
	Members    []MemberKey // identifier order
}

// ComputeResult computes the transcript, the joint key Y = Σ C_{i,0} and every verifying share from
// verified round-1 messages in identifier order.
func ComputeResult(c *Ceremony, sorted []*Round1) (*CeremonyResult, error) {
	if len(sorted) != len(c.Members) {
		return nil, errf("round1", CodeLength, "%d round-1 messages for %d members", len(sorted), len(c.Members))
	}
	merged := make([]Point, c.Threshold)
	for m := 0; m < c.Threshold; m++ {
		sum := ristretto255.NewIdentityElement()
		for _, r := range sorted {
			sum.Add(sum, &r.Commitment[m].e)
		}
		merged[m] = NewPoint(sum)
	}
	if merged[0].IsIdentity() {
		return nil, errf("commitment", CodeIdentity, "the joint key is the identity")
	}
	res := &CeremonyResult{Ceremony: *c, Transcript: Transcript(c, sorted), GroupKey: merged[0]}
	for _, r := range sorted {
		res.Members = append(res.Members, MemberKey{Identifier: r.Identifier, VerifyingShare: NewPoint(evalCommitment(r.Identifier, merged)), SigningKey: r.SigningKey})
	}
	return res, nil
}

// Member returns the public key material of one member.
func (res *CeremonyResult) Member(id Identifier) (*MemberKey, bool) {
	for i := range res.Members {
		if res.Members[i].Identifier == id {
			return &res.Members[i], true
		}
	}
	return nil, false
}

// Fingerprint is the ceremony fingerprint read aloud.
func (res *CeremonyResult) Fingerprint() string { return Fingerprint80(res.Transcript) }

// CheckConfirmation is the server's check of a confirmation (§10.7): signature, transcript, joint
// key and verifying share all equal to the values computed from round 1.
func (res *CeremonyResult) CheckConfirmation(r *Confirmation) error {
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
	if r.Transcript != res.Transcript {
		return errf("transcript", CodeMismatch, "another transcript: the member saw other round-1 messages")
	}
	if !r.GroupKey.Equal(res.GroupKey) {
		return errf("group_key", CodeMismatch, "another joint key")
	}
	if !r.VerifyingShare.Equal(mk.VerifyingShare) {
		return errf("verifying_share", CodeMismatch, "another verifying share")
	}
	return nil
}

// CheckComplaint checks a complaint's signature and transcript; a valid complaint aborts the
// ceremony naming Identifier and Accused.
func (res *CeremonyResult) CheckComplaint(r *Complaint) error {
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
	if _, ok := res.Member(r.Accused); !ok || r.Accused == r.Identifier {
		return errf("accused", CodeMismatch, "not another member of this ceremony")
	}
	if r.Reason != ReasonDecrypt && r.Reason != ReasonShare {
		return errf("reason", CodeRange, "the reason is decrypt or share")
	}
	if r.Transcript != res.Transcript {
		return errf("transcript", CodeMismatch, "another transcript")
	}
	return verifySig("signature", mk.SigningKey, r.statement(), r.Signature)
}

// ---- JSON wire forms ----

type round1JSON struct {
	Version          int      `json:"version"`
	CeremonyID       string   `json:"ceremony_id"`
	Identifier       string   `json:"identifier"`
	Commitment       []string `json:"commitment"`
	ProofOfKnowledge string   `json:"proof_of_knowledge"`
	CeremonyKey      string   `json:"ceremony_key"`
	SigningKey       string   `json:"signing_key"`
	Signature        string   `json:"signature"`
}

// MarshalJSON writes the wire form.
func (r *Round1) MarshalJSON() ([]byte, error) {
	w := round1JSON{Version: r.Version, CeremonyID: r.CeremonyID, Identifier: r.Identifier.Hex(),
		ProofOfKnowledge: hex.EncodeToString(r.ProofOfKnowledge[:]), CeremonyKey: r.CeremonyKey.Hex(),
		SigningKey: hex.EncodeToString(r.SigningKey[:]), Signature: hex.EncodeToString(r.Signature[:])}
	for _, c := range r.Commitment {
		w.Commitment = append(w.Commitment, c.Hex())
	}
	return mustJSON(w), nil
}

// ParseRound1 decodes a round-1 message (encodings only; VerifyRound1 checks the rest).
func ParseRound1(data []byte) (*Round1, error) {
	var w round1JSON
	if err := decodeStrict(data, &w); err != nil {
		return nil, err
	}
	if err := checkVersion(w.Version); err != nil {
		return nil, err
	}
	if err := checkID("ceremony_id", w.CeremonyID); err != nil {
		return nil, err
	}
	r := &Round1{Version: 1, CeremonyID: w.CeremonyID}
	var err error
	if r.Identifier, err = ParseIdentifierHex("identifier", w.Identifier); err != nil {
		return nil, err
	}
	if len(w.Commitment) < 2 || len(w.Commitment) > 255 {
		return nil, errf("commitment", CodeLength, "2 to 255 commitments")
	}
	for i, c := range w.Commitment {
		p, err := ParsePointHex(idx("commitment", i), c, false)
		if err != nil {
			return nil, err
		}
		r.Commitment = append(r.Commitment, p)
	}
	if r.ProofOfKnowledge, err = decodeHex64("proof_of_knowledge", w.ProofOfKnowledge); err != nil {
		return nil, err
	}
	if _, err := DecodePoint(r.ProofOfKnowledge[:32], false); err != nil {
		return nil, at(err, "proof_of_knowledge", -1)
	}
	if _, err := DecodeScalar(r.ProofOfKnowledge[32:]); err != nil {
		return nil, at(err, "proof_of_knowledge", -1)
	}
	if r.CeremonyKey, err = ParsePointHex("ceremony_key", w.CeremonyKey, false); err != nil {
		return nil, err
	}
	if r.SigningKey, err = parseKeyHex("signing_key", w.SigningKey); err != nil {
		return nil, err
	}
	if r.Signature, err = decodeHex64("signature", w.Signature); err != nil {
		return nil, err
	}
	return r, nil
}

type encShareJSON struct {
	Recipient  string `json:"recipient"`
	Nonce      string `json:"nonce"`
	Ciphertext string `json:"ciphertext"`
}

type round2JSON struct {
	Version    int            `json:"version"`
	CeremonyID string         `json:"ceremony_id"`
	Identifier string         `json:"identifier"`
	Shares     []encShareJSON `json:"shares"`
	Signature  string         `json:"signature"`
}

// MarshalJSON writes the wire form.
func (r *Round2) MarshalJSON() ([]byte, error) {
	w := round2JSON{Version: r.Version, CeremonyID: r.CeremonyID, Identifier: r.Identifier.Hex(), Shares: []encShareJSON{},
		Signature: hex.EncodeToString(r.Signature[:])}
	for _, s := range r.Shares {
		w.Shares = append(w.Shares, encShareJSON{s.Recipient.Hex(), hex.EncodeToString(s.Nonce[:]), hex.EncodeToString(s.Ciphertext[:])})
	}
	return mustJSON(w), nil
}

// ParseRound2 decodes a round-2 message.
func ParseRound2(data []byte) (*Round2, error) {
	var w round2JSON
	if err := decodeStrict(data, &w); err != nil {
		return nil, err
	}
	if err := checkVersion(w.Version); err != nil {
		return nil, err
	}
	if err := checkID("ceremony_id", w.CeremonyID); err != nil {
		return nil, err
	}
	r := &Round2{Version: 1, CeremonyID: w.CeremonyID}
	var err error
	if r.Identifier, err = ParseIdentifierHex("identifier", w.Identifier); err != nil {
		return nil, err
	}
	if len(w.Shares) < 1 || len(w.Shares) > 254 {
		return nil, errf("shares", CodeLength, "1 to 254 shares")
	}
	for i, s := range w.Shares {
		name := idx("shares", i)
		var e EncryptedShare
		if e.Recipient, err = ParseIdentifierHex(name+".recipient", s.Recipient); err != nil {
			return nil, err
		}
		n, err := decodeHex(name+".nonce", s.Nonce, 24)
		if err != nil {
			return nil, err
		}
		ct, err := decodeHex(name+".ciphertext", s.Ciphertext, 48)
		if err != nil {
			return nil, err
		}
		copy(e.Nonce[:], n)
		copy(e.Ciphertext[:], ct)
		r.Shares = append(r.Shares, e)
	}
	if r.Signature, err = decodeHex64("signature", w.Signature); err != nil {
		return nil, err
	}
	return r, nil
}

type confirmationJSON struct {
	Version        int    `json:"version"`
	CeremonyID     string `json:"ceremony_id"`
	Identifier     string `json:"identifier"`
	GroupKey       string `json:"group_key"`
	VerifyingShare string `json:"verifying_share"`
	Transcript     string `json:"transcript"`
	Signature      string `json:"signature"`
}

// MarshalJSON writes the wire form.
func (r *Confirmation) MarshalJSON() ([]byte, error) {
	return mustJSON(confirmationJSON{r.Version, r.CeremonyID, r.Identifier.Hex(), r.GroupKey.Hex(), r.VerifyingShare.Hex(),
		hex.EncodeToString(r.Transcript[:]), hex.EncodeToString(r.Signature[:])}), nil
}

// ParseConfirmation decodes a round-3 confirmation.
func ParseConfirmation(data []byte) (*Confirmation, error) {
	var w confirmationJSON
	if err := decodeStrict(data, &w); err != nil {
		return nil, err
	}
	if err := checkVersion(w.Version); err != nil {
		return nil, err
	}
	if err := checkID("ceremony_id", w.CeremonyID); err != nil {
		return nil, err
	}
	r := &Confirmation{Version: 1, CeremonyID: w.CeremonyID}
	var err error
	if r.Identifier, err = ParseIdentifierHex("identifier", w.Identifier); err != nil {
		return nil, err
	}
	if r.GroupKey, err = ParsePointHex("group_key", w.GroupKey, false); err != nil {
		return nil, err
	}
	if r.VerifyingShare, err = ParsePointHex("verifying_share", w.VerifyingShare, false); err != nil {
		return nil, err
	}
	if r.Transcript, err = decodeHex64("transcript", w.Transcript); err != nil {
		return nil, err
	}
	if r.Signature, err = decodeHex64("signature", w.Signature); err != nil {
		return nil, err
	}
	return r, nil
}

type complaintJSON struct {
	Version    int    `json:"version"`
	CeremonyID string `json:"ceremony_id"`
	Identifier string `json:"identifier"`
	Accused    string `json:"accused"`
	Reason     string `json:"reason"`
	Transcript string `json:"transcript"`
	Signature  string `json:"signature"`
}

// MarshalJSON writes the wire form.
func (r *Complaint) MarshalJSON() ([]byte, error) {
	return mustJSON(complaintJSON{r.Version, r.CeremonyID, r.Identifier.Hex(), r.Accused.Hex(), r.Reason,
		hex.EncodeToString(r.Transcript[:]), hex.EncodeToString(r.Signature[:])}), nil
}

// ParseComplaint decodes a round-3 complaint.
func ParseComplaint(data []byte) (*Complaint, error) {
	var w complaintJSON
	if err := decodeStrict(data, &w); err != nil {
		return nil, err
	}
	if err := checkVersion(w.Version); err != nil {
		return nil, err
	}
	if err := checkID("ceremony_id", w.CeremonyID); err != nil {
		return nil, err
	}
	r := &Complaint{Version: 1, CeremonyID: w.CeremonyID, Reason: w.Reason}
	var err error
	if r.Identifier, err = ParseIdentifierHex("identifier", w.Identifier); err != nil {
		return nil, err
	}
	if r.Accused, err = ParseIdentifierHex("accused", w.Accused); err != nil {
		return nil, err
	}
	if r.Reason != ReasonDecrypt && r.Reason != ReasonShare {
		return nil, errf("reason", CodeRange, "the reason is decrypt or share")
	}
	if r.Transcript, err = decodeHex64("transcript", w.Transcript); err != nil {
		return nil, err
	}
	if r.Signature, err = decodeHex64("signature", w.Signature); err != nil {
		return nil, err
	}
	return r, nil
}

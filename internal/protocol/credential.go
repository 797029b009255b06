package protocol

import (
	"crypto/ed25519"
	"io"
	"slices"
	"strings"
)

// Credential codes (docs/PROTOCOL.md §7): 100 random bits as 20 base32 digits plus one check digit
// over GF(32), printed in 7 groups of 3.
const (
	codeData = 20
	// CodeLen is the length of a normalised code.
	CodeLen = codeData + 1
	// CodeQRPrefix starts the slip's QR payload.
	CodeQRPrefix = "TN1:"
)

// NewCode returns a fresh normalised code from 100 bits of r.
func NewCode(r io.Reader) (string, error) {
	var b [13]byte // 104 bits, the first 100 are used
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return "", err
	}
	d := make([]byte, codeData)
	for i := range d {
		d[i] = Alphabet[bits5(b[:], i)]
	}
	return string(d) + string(checkDigit(string(d))), nil
}

// ParseCode reads a code as typed or scanned: any case, spaces, tabs and dashes ignored, O as 0 and
// I, L as 1; it returns the normalised code (21 upper-case characters) or an error.
func ParseCode(s string) (string, error) {
	c, ok := NormalizeShort(s)
	if !ok {
		return "", errf("code", CodeHex, "a character is not in the code's alphabet")
	}
	if len(c) != CodeLen {
		return "", errf("code", CodeLength, "a code has %d characters, not %d", CodeLen, len(c))
	}
	if checkDigit(c[:codeData]) != c[codeData] {
		return "", errf("code", CodeMismatch, "the check character does not match (a character was mistyped)")
	}
	return c, nil
}

// FormatCode groups a normalised code in threes for printing: "ABC-DEF-GHJ-KMN-PQR-STV-WX3".
func FormatCode(code string) string {
	var parts []string
	for i := 0; i < len(code); i += 3 {
		parts = append(parts, code[i:min(i+3, len(code))])
	}
	return strings.Join(parts, "-")
}

// CodeQR returns the payload of a slip's QR code.
func CodeQR(code string) string { return CodeQRPrefix + code }

// ParseCodeQR reads a slip's QR payload.
func ParseCodeQR(payload string) (string, error) {
	rest, ok := strings.CutPrefix(payload, CodeQRPrefix)
	if !ok {
		return "", errf("qr", CodeMismatch, "not a Tín Nhiệm credential QR code")
	}
	return ParseCode(rest)
}

// checkDigit is Σ α^(20-i)·d_i over GF(32) = GF(2)[x]/(x^5+x^2+1), α = x: distinct non-zero weights
// catch every single mistyped character and every swap of two different characters.
func checkDigit(data string) byte {
	var sum, w byte = 0, 1
	for i := len(data) - 1; i >= 0; i-- {
		w = gfMul(w, 2)
		sum ^= gfMul(w, byte(strings.IndexByte(Alphabet, data[i])))
	}
	return Alphabet[sum]
}

func gfMul(a, b byte) byte {
	var p byte
	for b > 0 {
		if b&1 == 1 {
			p ^= a
		}
		b >>= 1
		a <<= 1
		if a&0x20 != 0 {
			a ^= 0x25
		}
	}
	return p & 31
}

// Credential derives the credential key pair of a code (it parses the code first):
// seed = first 32 bytes of H("tinnhiem/v1/credential", code), then Ed25519 from that seed.
func Credential(code string) (ed25519.PrivateKey, [32]byte, error) {
	c, err := ParseCode(code)
	if err != nil {
		return nil, [32]byte{}, err
	}
	h := Hash("tinnhiem/v1/credential", []byte(c))
	priv, pub := keyPair(h[:32])
	return priv, pub, nil
}

// CredentialList is the board's signed list of public credentials (docs/PROTOCOL.md §7.5).
type CredentialList struct {
	VoteID      string
	Credentials [][32]byte // sorted ascending, unique
	Identifier  Identifier // the signing member
	Signature   [64]byte
}

// Hash is the signed hash of the list; Fingerprint80 of it is read aloud.
func (l *CredentialList) Hash() [64]byte {
	h := newHasher("tinnhiem/v1/credential-list")
	h.str(l.VoteID)
	h.u64(uint64(len(l.Credentials)))
	for i := range l.Credentials {
		h.bytes(l.Credentials[i][:])
	}
	return h.sum()
}

// NewCredentialList sorts the credentials and signs the list with a member's signing key.
func NewCredentialList(voteID string, creds [][32]byte, id Identifier, signer ed25519.PrivateKey) *CredentialList {
	c := slices.Clone(creds)
	slices.SortFunc(c, func(a, b [32]byte) int { return strings.Compare(string(a[:]), string(b[:])) })
	l := &CredentialList{VoteID: voteID, Credentials: c, Identifier: id}
	l.Signature = Sign(signer, l.Hash())
	return l
}

// Verify checks order, uniqueness and the signature under the member's signing key.
func (l *CredentialList) Verify(signingKey [32]byte) error {
	for i := 1; i < len(l.Credentials); i++ {
		switch strings.Compare(string(l.Credentials[i-1][:]), string(l.Credentials[i][:])) {
		case 0:
			return errf(idx("credentials", i), CodeDuplicate, "a credential appears twice")
		case 1:
			return errf(idx("credentials", i), CodeRange, "the credentials are not sorted")
		}
	}
	return verifySig("signature", signingKey, l.Hash(), l.Signature)
}

// Package ballot holds the one-time ballot codes, the receipts and the marks of a ballot. A code is
// 128 random bits written in Crockford's base32 (no I, L, O, U) with a check character over GF(32),
// grouped in fours; the server keeps only its digest.
package ballot

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math/big"
	"strings"
)

const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// Code lengths: 26 base32 digits carry 130 bits (the top two are zero), then one check character.
const (
	dataLen = 26
	CodeLen = dataLen + 1
)

// Errors of ParseCode.
var (
	ErrCodeLength   = errors.New("ballot: a code has 27 characters")
	ErrCodeAlphabet = errors.New("ballot: a code has a character outside its alphabet")
	ErrCodeCheck    = errors.New("ballot: the check character does not match (a character was mistyped)")
)

// NewCode returns a fresh code in its canonical form (27 characters, no separators).
func NewCode() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	n := new(big.Int).SetBytes(b)
	digits := make([]byte, dataLen)
	mask := big.NewInt(31)
	for i := dataLen - 1; i >= 0; i-- {
		digits[i] = alphabet[new(big.Int).And(n, mask).Int64()]
		n.Rsh(n, 5)
	}
	return string(digits) + string(checkChar(string(digits)))
}

// Format groups a canonical code in fours for people: "ABCD-EFGH-...-XYZ".
func Format(code string) string {
	var parts []string
	for i := 0; i < len(code); i += 4 {
		parts = append(parts, code[i:min(i+4, len(code))])
	}
	return strings.Join(parts, "-")
}

// ParseCode accepts a code as typed or scanned: any case, with or without dashes and spaces, with
// O for 0 and I or L for 1; it returns the canonical form or says what is wrong.
func ParseCode(s string) (string, error) {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == '-' || r == ' ' || r == '\t':
			continue
		case r == 'O':
			r = '0'
		case r == 'I' || r == 'L':
			r = '1'
		}
		if r > 127 || strings.IndexByte(alphabet, byte(r)) < 0 {
			return "", ErrCodeAlphabet
		}
		b.WriteRune(r)
		if b.Len() > CodeLen {
			return "", ErrCodeLength
		}
	}
	c := b.String()
	if len(c) != CodeLen {
		return "", ErrCodeLength
	}
	if c[0] > '7' { // 128 bits in 26 digits: the first digit holds only three bits
		return "", ErrCodeCheck
	}
	if checkChar(c[:dataLen]) != c[dataLen] {
		return "", ErrCodeCheck
	}
	return c, nil
}

// checkChar is a weighted check over GF(32): the data digits, read as field elements, are weighted
// by α^26 ... α^1 (α a generator of the field's 31-element multiplicative group) and summed. Because
// the weights are distinct and non-zero, it catches every single mistyped character and every swap
// of two different characters up to 30 places apart, adjacent ones included (Luhn mod 32 misses the
// swap of 0 and Z).
func checkChar(data string) byte {
	var sum, w byte = 0, 1
	for i := len(data) - 1; i >= 0; i-- {
		w = gfMul(w, 2) // α = x
		sum ^= gfMul(w, byte(strings.IndexByte(alphabet, data[i])))
	}
	return alphabet[sum]
}

// gfMul multiplies in GF(2^5) with the primitive polynomial x^5 + x^2 + 1.
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

// Hash is a keyed hash (HMAC-SHA-256) of a code under a per-vote secret.
func Hash(voteKey []byte, code string) string {
	m := hmac.New(sha256.New, voteKey)
	m.Write([]byte(code))
	return hex.EncodeToString(m.Sum(nil))
}

// CodeID is the identifier under which a code is stored while its vote can be cast on: an unkeyed
// SHA-256 of the canonical code. A code carries 128 random bits, so its digest cannot be inverted or
// guessed, and no key needs keeping (nor destroying).
func CodeID(code string) string {
	sum := sha256.Sum256([]byte("tinnhiem/code/v1\x00" + code))
	return hex.EncodeToString(sum[:])
}

// SealedDigest is what stays of a code after its vote closes: a digest of its identifier with its
// final state ("spent" or "void"), enough to tell a kiosk whose answer was lost at the close that its
// ballot was recorded, and nothing else.
func SealedDigest(codeID, state string) string {
	sum := sha256.Sum256([]byte("tinnhiem/sealed-code/v1\x00" + codeID + "\x00" + state))
	return hex.EncodeToString(sum[:])
}

// NewVoteKey returns a fresh per-vote secret.
func NewVoteKey() []byte {
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		panic(err)
	}
	return k
}

package protocol

import (
	"encoding/hex"
	"strings"
)

// Alphabet is Crockford's base32 alphabet (no I, L, O, U).
const Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// Fingerprint80 writes the first 80 bits of a hash as 16 base32 digits in 4 groups of 4
// ("7K3Q-9M2D-XT4A-B0C1"), docs/PROTOCOL.md §4. It is the tracking code, the ceremony fingerprint,
// the vote fingerprint and the credential-list fingerprint.
func Fingerprint80(h [64]byte) string {
	var out [19]byte
	pos := 0
	for i := 0; i < 16; i++ {
		if i > 0 && i%4 == 0 {
			out[pos] = '-'
			pos++
		}
		out[pos] = Alphabet[bits5(h[:10], i)]
		pos++
	}
	return string(out[:])
}

// bits5 returns the i-th group of 5 bits of b, most significant first.
func bits5(b []byte, i int) byte {
	var v uint16
	bit := i * 5
	for j := 0; j < 5; j++ {
		byteIdx, shift := (bit+j)/8, 7-(bit+j)%8
		v = v<<1 | uint16(b[byteIdx]>>shift&1)
	}
	return byte(v)
}

// NormalizeShort reads a short code as a person types it: any case, spaces and dashes ignored, O as
// 0 and I, L as 1. It returns the bare digits, or false if a character is outside the alphabet.
func NormalizeShort(s string) (string, bool) {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch r {
		case '-', ' ', '\t':
			continue
		case 'O':
			r = '0'
		case 'I', 'L':
			r = '1'
		}
		if r > 127 || strings.IndexByte(Alphabet, byte(r)) < 0 {
			return "", false
		}
		b.WriteRune(r)
	}
	return b.String(), true
}

// SameFingerprint reports whether a typed short code equals a fingerprint (both normalised).
func SameFingerprint(typed, fp string) bool {
	a, ok1 := NormalizeShort(typed)
	b, ok2 := NormalizeShort(fp)
	return ok1 && ok2 && a == b
}

// TrackingPrefix reads a tracking code as a person gives it — the 16 base32 digits of the
// fingerprint (any case, with or without dashes; O, I and L read as 0, 1, 1), the receipt's QR
// payload "TN1R:" + 128 hex digits, or the 128 hex digits alone — and returns the bytes of the
// ballot hash it names: the first 10 (a fingerprint) or all 64.
func TrackingPrefix(s string) ([]byte, bool) {
	s = strings.TrimSpace(s)
	full := strings.TrimPrefix(strings.TrimPrefix(s, "TN1R:"), "tn1r:")
	if len(full) == 128 {
		b, err := hex.DecodeString(full)
		return b, err == nil
	}
	short, ok := NormalizeShort(s)
	if !ok || len(short) != 16 {
		return nil, false
	}
	out := make([]byte, 10)
	for i := 0; i < 16; i++ {
		v := strings.IndexByte(Alphabet, short[i])
		for j := 0; j < 5; j++ {
			bit := i*5 + j
			if v>>(4-j)&1 == 1 {
				out[bit/8] |= 1 << (7 - bit%8)
			}
		}
	}
	return out, true
}

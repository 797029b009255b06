package ballot

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
)

// NewReceipt returns a short receipt code (40 random bits, "XXXX-XXXX") that a delegate can later
// find among the published receipts. It names no delegate, code or time.
func NewReceipt() string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	out := make([]byte, 0, 9)
	for i := 0; i < 8; i++ {
		if i == 4 {
			out = append(out, '-')
		}
		out = append(out, alphabet[b[i]&31])
	}
	return string(out)
}

// A spent code keeps what a retry of the same submission needs, and nothing that links it to its
// ballot without the code itself: a tag of the submission and the receipt, both under keys derived
// from the code (which the server does not keep).
func derive(code, purpose string) []byte {
	m := hmac.New(sha256.New, []byte(code))
	m.Write([]byte("tinnhiem/" + purpose))
	return m.Sum(nil)
}

// RetryTag is the code-keyed tag of a submission (its marks); equal tags mean the same submission.
func RetryTag(code, marks string) string {
	m := hmac.New(sha256.New, derive(code, "retry"))
	m.Write([]byte(marks))
	return hex.EncodeToString(m.Sum(nil))
}

// SealReceipt encrypts a receipt under a one-time pad derived from the code.
func SealReceipt(code, receipt string) string {
	pad := derive(code, "receipt")
	out := make([]byte, len(receipt))
	for i := range receipt {
		out[i] = receipt[i] ^ pad[i]
	}
	return hex.EncodeToString(out)
}

// OpenReceipt decrypts a sealed receipt with the code.
func OpenReceipt(code, sealed string) (string, error) {
	b, err := hex.DecodeString(sealed)
	if err != nil || len(b) > 32 {
		return "", errors.New("ballot: bad sealed receipt")
	}
	pad := derive(code, "receipt")
	for i := range b {
		b[i] ^= pad[i]
	}
	return string(b), nil
}

package protocol

import (
	"crypto/ed25519"

	"filippo.io/edwards25519"
)

// lMinusOneEd is l-1 as an edwards25519 scalar: (l-1)·A = -A exactly when A is in the prime-order
// subgroup.
var lMinusOneEd = func() *edwards25519.Scalar {
	b := scalarFromBig(orderMinusOne).Bytes()
	s, err := edwards25519.NewScalar().SetCanonicalBytes(b)
	if err != nil {
		panic(err)
	}
	return s
}()

// CheckPublicKey accepts an Ed25519 public key only if it is the canonical encoding of a point of
// the prime-order subgroup other than the identity (docs/PROTOCOL.md §2.3).
func CheckPublicKey(pub []byte) error {
	if len(pub) != 32 {
		return errf("", CodeLength, "an Ed25519 key has 32 bytes, not %d", len(pub))
	}
	p, err := new(edwards25519.Point).SetBytes(pub)
	if err != nil || string(p.Bytes()) != string(pub) {
		return errf("", CodeKey, "not a canonical Ed25519 public key")
	}
	if p.Equal(edwards25519.NewIdentityPoint()) == 1 {
		return errf("", CodeKey, "the identity is not a public key")
	}
	q := new(edwards25519.Point).ScalarMult(lMinusOneEd, p)
	if q.Add(q, p).Equal(edwards25519.NewIdentityPoint()) != 1 {
		return errf("", CodeKey, "the key is not in the prime-order subgroup")
	}
	return nil
}

func parseKeyHex(field, s string) ([32]byte, error) {
	k, err := decodeHex32(field, s)
	if err != nil {
		return k, err
	}
	if err := CheckPublicKey(k[:]); err != nil {
		return k, at(err, field, -1)
	}
	return k, nil
}

// Sign signs a 64-byte statement hash with an Ed25519 private key.
func Sign(priv ed25519.PrivateKey, h [64]byte) [64]byte {
	var sig [64]byte
	copy(sig[:], ed25519.Sign(priv, h[:]))
	return sig
}

// VerifySignature checks an Ed25519 signature over a 64-byte statement hash (RFC 8032 without the
// cofactor, as crypto/ed25519; docs/PROTOCOL.md §2.3). The key must have passed CheckPublicKey.
func VerifySignature(pub [32]byte, h [64]byte, sig [64]byte) bool {
	return ed25519.Verify(pub[:], h[:], sig[:])
}

func verifySig(field string, pub [32]byte, h [64]byte, sig [64]byte) error {
	if !VerifySignature(pub, h, sig) {
		return errf(field, CodeSignature, "the signature does not verify")
	}
	return nil
}

// keyPair returns the Ed25519 key pair of a 32-byte seed.
func keyPair(seed []byte) (ed25519.PrivateKey, [32]byte) {
	priv := ed25519.NewKeyFromSeed(seed)
	var pub [32]byte
	copy(pub[:], priv.Public().(ed25519.PublicKey))
	return priv, pub
}

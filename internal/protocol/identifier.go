package protocol

import (
	"crypto/sha512"
	"encoding/hex"
	"slices"

	"github.com/gtank/ristretto255"
)

// Identifier is a board member's DKG identifier: a non-zero scalar in its canonical encoding
// (docs/PROTOCOL.md §10.2).
type Identifier [32]byte

// frostIDPrefix and frostDKGPrefix are @noble/curves' FROST-RISTRETTO255-SHA512-v1 hash prefixes.
const (
	frostIDPrefix  = "FROST-RISTRETTO255-SHA512-v1id"
	frostDKGPrefix = "FROST-RISTRETTO255-SHA512-v1dkg"
)

// DeriveIdentifier is noble's ristretto255_FROST.Identifier.derive(userID):
// int_le(SHA-512("FROST-RISTRETTO255-SHA512-v1id" || utf8(userID))) mod l, which must not be zero.
func DeriveIdentifier(userID string) (Identifier, error) {
	h := sha512.Sum512(append([]byte(frostIDPrefix), userID...))
	s, _ := ristretto255.NewScalar().SetUniformBytes(h[:])
	var id Identifier
	copy(id[:], s.Bytes())
	if id == (Identifier{}) {
		return id, errf("user_id", CodeRange, "this user id derives the zero identifier")
	}
	return id, nil
}

// Hex returns the identifier in lowercase hex (noble's string form of an Identifier).
func (id Identifier) Hex() string { return hex.EncodeToString(id[:]) }

func (id Identifier) scalar() *ristretto255.Scalar {
	s, err := ristretto255.NewScalar().SetCanonicalBytes(id[:])
	if err != nil {
		panic("protocol: identifier not canonical")
	}
	return s
}

// CompareIdentifiers orders identifiers as integers (identifier order, §10.2).
func CompareIdentifiers(a, b Identifier) int {
	for i := 31; i >= 0; i-- {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// SortIdentifiers sorts identifiers in identifier order.
func SortIdentifiers(ids []Identifier) { slices.SortFunc(ids, CompareIdentifiers) }

// ParseIdentifierHex decodes an identifier: canonical and non-zero.
func ParseIdentifierHex(field, s string) (Identifier, error) {
	b, err := decodeHex(field, s, 32)
	if err != nil {
		return Identifier{}, err
	}
	if _, err := DecodeScalar(b); err != nil {
		return Identifier{}, at(err, field, -1)
	}
	var id Identifier
	copy(id[:], b)
	if id == (Identifier{}) {
		return id, errf(field, CodeRange, "an identifier is not zero")
	}
	return id, nil
}

// Lagrange returns the Lagrange coefficients at 0 of a set of distinct identifiers, in the given
// order: λ_j = Π_{m≠j} x_m / (x_m − x_j) (docs/PROTOCOL.md §11.3).
func Lagrange(ids []Identifier) ([]*ristretto255.Scalar, error) {
	xs := make([]*ristretto255.Scalar, len(ids))
	for i, id := range ids {
		for j := 0; j < i; j++ {
			if ids[j] == id {
				return nil, errf(idx("identifiers", i), CodeDuplicate, "an identifier appears twice")
			}
		}
		if id == (Identifier{}) {
			return nil, errf(idx("identifiers", i), CodeRange, "an identifier is not zero")
		}
		xs[i] = id.scalar()
	}
	out := make([]*ristretto255.Scalar, len(ids))
	for j := range xs {
		num := scalarU64(1)
		den := scalarU64(1)
		for m := range xs {
			if m == j {
				continue
			}
			num.Multiply(num, xs[m])
			d := ristretto255.NewScalar().Subtract(xs[m], xs[j])
			den.Multiply(den, d)
		}
		out[j] = num.Multiply(num, ristretto255.NewScalar().Invert(den))
	}
	return out, nil
}

package protocol

import (
	"bytes"
	"crypto/sha512"
	"encoding/binary"
	"encoding/hex"
	"hash"

	"github.com/gtank/ristretto255"
)

// Point is a decoded ristretto255 element together with its canonical 32-byte encoding, so that
// hashing a decoded message never re-encodes a point.
type Point struct {
	e   ristretto255.Element
	enc [32]byte
}

var identityEnc [32]byte

// NewPoint returns the Point of e (one encoding).
func NewPoint(e *ristretto255.Element) Point {
	var p Point
	p.e.Set(e)
	copy(p.enc[:], e.Bytes())
	return p
}

// Generator returns G, the ristretto255 base point.
func Generator() Point { return NewPoint(ristretto255.NewGeneratorElement()) }

// Identity returns the identity element.
func Identity() Point { return NewPoint(ristretto255.NewIdentityElement()) }

// Element returns a copy of the group element.
func (p Point) Element() *ristretto255.Element { return new(ristretto255.Element).Set(&p.e) }

// Bytes returns the canonical encoding.
func (p Point) Bytes() [32]byte { return p.enc }

// Hex returns the canonical encoding in lowercase hexadecimal.
func (p Point) Hex() string { return hex.EncodeToString(p.enc[:]) }

// IsIdentity reports whether p is the identity element.
func (p Point) IsIdentity() bool { return p.enc == identityEnc }

// Equal reports whether p and q are the same element.
func (p Point) Equal(q Point) bool { return p.enc == q.enc }

// DecodePoint decodes a canonical 32-byte encoding (RFC 9496 Decode); the identity is refused unless
// allowIdentity (docs/PROTOCOL.md §2.1 says where it is allowed).
func DecodePoint(b []byte, allowIdentity bool) (Point, error) {
	var p Point
	if len(b) != 32 {
		return p, errf("", CodeLength, "a point has 32 bytes, not %d", len(b))
	}
	if _, err := p.e.SetCanonicalBytes(b); err != nil {
		return p, errf("", CodePoint, "not a canonical point")
	}
	copy(p.enc[:], b)
	if !allowIdentity && p.IsIdentity() {
		return p, errf("", CodeIdentity, "the identity element is not allowed here")
	}
	return p, nil
}

// ParsePointHex decodes a point from lowercase hex; field names it in the error.
func ParsePointHex(field, s string, allowIdentity bool) (Point, error) {
	b, err := decodeHex(field, s, 32)
	if err != nil {
		return Point{}, err
	}
	p, err := DecodePoint(b, allowIdentity)
	if err != nil {
		return p, at(err, field, -1)
	}
	return p, nil
}

// DecodeScalar decodes a canonical 32-byte little-endian scalar (< l); it never reduces.
func DecodeScalar(b []byte) (*ristretto255.Scalar, error) {
	if len(b) != 32 {
		return nil, errf("", CodeLength, "a scalar has 32 bytes, not %d", len(b))
	}
	s, err := ristretto255.NewScalar().SetCanonicalBytes(b)
	if err != nil {
		return nil, errf("", CodeScalar, "not a canonical scalar")
	}
	return s, nil
}

// ParseScalarHex decodes a scalar from lowercase hex; field names it in the error.
func ParseScalarHex(field, s string) (*ristretto255.Scalar, error) {
	b, err := decodeHex(field, s, 32)
	if err != nil {
		return nil, err
	}
	x, err := DecodeScalar(b)
	if err != nil {
		return nil, at(err, field, -1)
	}
	return x, nil
}

// ScalarHex returns the canonical encoding of s in lowercase hex.
func ScalarHex(s *ristretto255.Scalar) string { return hex.EncodeToString(s.Bytes()) }

// decodeHex decodes exactly n bytes of lowercase hexadecimal.
func decodeHex(field, s string, n int) ([]byte, error) {
	if len(s) != 2*n {
		return nil, errf(field, CodeLength, "expected %d hexadecimal digits, got %d", 2*n, len(s))
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return nil, errf(field, CodeHex, "not lowercase hexadecimal")
		}
	}
	b, _ := hex.DecodeString(s)
	return b, nil
}

func decodeHex32(field, s string) ([32]byte, error) {
	var out [32]byte
	b, err := decodeHex(field, s, 32)
	copy(out[:], b)
	return out, err
}

func decodeHex64(field, s string) ([64]byte, error) {
	var out [64]byte
	b, err := decodeHex(field, s, 64)
	copy(out[:], b)
	return out, err
}

// Hash is the framed hash of docs/PROTOCOL.md §3.1:
// SHA-512(frame(tag) || frame(f1) || ...), frame(x) = uint32_be(len(x)) || x.
func Hash(tag string, fields ...[]byte) [64]byte {
	h := newHasher(tag)
	for _, f := range fields {
		h.bytes(f)
	}
	return h.sum()
}

// HashToScalar is Hs: the framed hash read little-endian and reduced mod l.
func HashToScalar(tag string, fields ...[]byte) *ristretto255.Scalar {
	h := Hash(tag, fields...)
	return scalarFromHash(h)
}

func scalarFromHash(h [64]byte) *ristretto255.Scalar {
	s, err := ristretto255.NewScalar().SetUniformBytes(h[:])
	if err != nil {
		panic(err) // 64 bytes always
	}
	return s
}

// U64 is the 8-byte big-endian encoding of an integer in hash inputs.
func U64(x uint64) []byte { return binary.BigEndian.AppendUint64(nil, x) }

// hasher streams framed fields into SHA-512.
type hasher struct {
	h   hash.Hash
	len [4]byte
	num [8]byte
}

func newHasher(tag string) *hasher {
	h := &hasher{h: sha512.New()}
	h.str(tag)
	return h
}

func (h *hasher) bytes(b []byte) {
	binary.BigEndian.PutUint32(h.len[:], uint32(len(b)))
	h.h.Write(h.len[:])
	h.h.Write(b)
}
func (h *hasher) str(s string)                  { h.bytes([]byte(s)) }
func (h *hasher) u64(x uint64)                  { binary.BigEndian.PutUint64(h.num[:], x); h.bytes(h.num[:]) }
func (h *hasher) point(p *Point)                { h.bytes(p.enc[:]) }
func (h *hasher) scalar(s *ristretto255.Scalar) { h.bytes(s.Bytes()) }
func (h *hasher) sum() [64]byte {
	var out [64]byte
	h.h.Sum(out[:0])
	return out
}

// frame is the framed concatenation without hashing (HKDF info and AAD of §10.6).
func frame(fields ...[]byte) []byte {
	var b bytes.Buffer
	for _, f := range fields {
		b.Write(binary.BigEndian.AppendUint32(nil, uint32(len(f))))
		b.Write(f)
	}
	return b.Bytes()
}

package protocol

import (
	"io"
	"math/big"

	"github.com/gtank/ristretto255"
)

// groupOrder is l = 2^252 + 27742317777372353535851937790883648493.
var groupOrder, _ = new(big.Int).SetString("7237005577332262213973186563042994240857116359379907606001950938285454250989", 10)
var orderMinusOne = new(big.Int).Sub(groupOrder, big.NewInt(1))

// RandomScalar draws a non-zero scalar from 48 bytes of r: (int_le(b) mod (l-1)) + 1, the rule of
// @noble/curves' mapHashToField (docs/PROTOCOL.md §5), so that Go and the browser turn the same
// random bytes into the same scalars.
func RandomScalar(r io.Reader) (*ristretto255.Scalar, error) {
	var b [48]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return nil, err
	}
	return scalarFrom48(b[:]), nil
}

func scalarFrom48(b []byte) *ristretto255.Scalar {
	be := make([]byte, len(b))
	for i := range b {
		be[len(b)-1-i] = b[i]
	}
	n := new(big.Int).SetBytes(be)
	n.Mod(n, orderMinusOne)
	n.Add(n, big.NewInt(1))
	return scalarFromBig(n)
}

func scalarFromBig(n *big.Int) *ristretto255.Scalar {
	be := n.FillBytes(make([]byte, 32))
	le := make([]byte, 32)
	for i := range be {
		le[31-i] = be[i]
	}
	s, err := ristretto255.NewScalar().SetCanonicalBytes(le)
	if err != nil {
		panic(err)
	}
	return s
}

func scalarToBig(s *ristretto255.Scalar) *big.Int {
	le := s.Bytes()
	be := make([]byte, 32)
	for i := range le {
		be[31-i] = le[i]
	}
	return new(big.Int).SetBytes(be)
}

// scalarU64 returns the scalar of a small integer.
func scalarU64(x uint64) *ristretto255.Scalar {
	var b [32]byte
	for i := 0; i < 8; i++ {
		b[i] = byte(x >> (8 * i))
	}
	s, _ := ristretto255.NewScalar().SetCanonicalBytes(b[:])
	return s
}

func isZeroScalar(s *ristretto255.Scalar) bool {
	return s.Equal(ristretto255.NewScalar()) == 1
}

package groupbench

import (
	"crypto/rand"
	"fmt"
	"testing"

	"github.com/cloudflare/circl/group"
	"github.com/gtank/ristretto255"
)

func gtankScalar() *ristretto255.Scalar {
	b := make([]byte, 64)
	rand.Read(b)
	s, _ := ristretto255.NewScalar().SetUniformBytes(b)
	return s
}

var circlG = group.Ristretto255

func BenchmarkGtank(b *testing.B) {
	s := gtankScalar()
	p := ristretto255.NewIdentityElement().ScalarBaseMult(gtankScalar())
	enc := p.Bytes()
	b.Run("decode", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			ristretto255.NewIdentityElement().SetCanonicalBytes(enc)
		}
	})
	b.Run("encode", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			p.Bytes()
		}
	})
	b.Run("add", func(b *testing.B) {
		q := ristretto255.NewIdentityElement()
		for i := 0; i < b.N; i++ {
			q.Add(q, p)
		}
	})
	b.Run("base-mult", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			ristretto255.NewIdentityElement().ScalarBaseMult(s)
		}
	})
	b.Run("mult", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			ristretto255.NewIdentityElement().ScalarMult(s, p)
		}
	})
	for _, n := range []int{10, 100, 500} {
		ss := make([]*ristretto255.Scalar, n)
		ps := make([]*ristretto255.Element, n)
		for i := range ss {
			ss[i], ps[i] = gtankScalar(), ristretto255.NewIdentityElement().ScalarBaseMult(gtankScalar())
		}
		b.Run(fmt.Sprintf("msm-%d", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				ristretto255.NewIdentityElement().VarTimeMultiScalarMult(ss, ps)
			}
		})
	}
}

// circl has no multi-scalar multiplication: the MSM row is n constant-time multiplications and
// additions, which is what a batch verifier on circl would have to do.
func BenchmarkCircl(b *testing.B) {
	s := circlG.RandomScalar(rand.Reader)
	p := circlG.RandomElement(rand.Reader)
	enc, _ := p.MarshalBinary()
	b.Run("decode", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			circlG.NewElement().UnmarshalBinary(enc)
		}
	})
	b.Run("encode", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			p.MarshalBinary()
		}
	})
	b.Run("add", func(b *testing.B) {
		q := circlG.Identity()
		for i := 0; i < b.N; i++ {
			q.Add(q, p)
		}
	})
	b.Run("base-mult", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			circlG.NewElement().MulGen(s)
		}
	})
	b.Run("mult", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			circlG.NewElement().Mul(p, s)
		}
	})
	for _, n := range []int{10, 100, 500} {
		ss := make([]group.Scalar, n)
		ps := make([]group.Element, n)
		for i := range ss {
			ss[i], ps[i] = circlG.RandomScalar(rand.Reader), circlG.RandomElement(rand.Reader)
		}
		b.Run(fmt.Sprintf("msm-%d", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				acc, t := circlG.Identity(), circlG.NewElement()
				for j := range ss {
					acc.Add(acc, t.Mul(ps[j], ss[j]))
				}
			}
		})
	}
}

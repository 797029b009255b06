package rules

import (
	"fmt"
	"strings"
)

// Percent returns 100·x/n rounded half-up to two decimals from the exact rational, as "dd.dd" with a
// point (the API form). n = 0 gives "0.00". Vectors (rules.md §6): 1/32 → 3.13, 17/60 → 28.33.
func Percent(x, n int) string {
	if n <= 0 || x <= 0 {
		return "0.00"
	}
	// hundredths of a percent = 10000·x/n; half-up: floor((2·10000·x + n) / (2n)).
	q := (20000*int64(x) + int64(n)) / (2 * int64(n))
	return fmt.Sprintf("%d.%02d", q/100, q%100)
}

// DecimalComma turns the API form "53.19" into the Vietnamese "53,19".
func DecimalComma(p string) string { return strings.Replace(p, ".", ",", 1) }

// BandID is a consequence band.
type BandID string

// Bands (rules.md §7, §8).
const (
	BandNone                 BandID = "none"
	BandOverHalfUnderTwo     BandID = "over_half_under_two_thirds"
	BandTwoThirdsOrMore      BandID = "two_thirds_or_more"
	BandNoConfidenceOverHalf BandID = "over_half"
)

// ConfidenceBand classifies L "tín nhiệm thấp" votes against base N by cross-multiplication:
// 2L ≤ N none; 2L > N and 3L < 2N the middle band; 3L ≥ 2N two thirds or more. Exactly half is none,
// exactly two thirds is two thirds or more.
func ConfidenceBand(low, n int) BandID {
	switch {
	case 3*low >= 2*n && n > 0:
		return BandTwoThirdsOrMore
	case 2*low > n:
		return BandOverHalfUnderTwo
	}
	return BandNone
}

// NoConfidenceBand classifies K "không tín nhiệm" votes: 2K > N is more than half.
func NoConfidenceBand(k, n int) BandID {
	if 2*k > n {
		return BandNoConfidenceOverHalf
	}
	return BandNone
}

// Band classifies the decisive count (L or K) of a vote of kind k against base n.
func Band(k Kind, decisive, n int) BandID {
	if k == NoConfidence {
		return NoConfidenceBand(decisive, n)
	}
	return ConfidenceBand(decisive, n)
}

// Decisive is the level whose count decides the band: low for a confidence vote, no_trust otherwise.
func (k Kind) Decisive() Level {
	if k == NoConfidence {
		return NoTrust
	}
	return Low
}

// QuorumMet reports the QĐ 96 quorum: the vote may be held only when 3·present ≥ 2·convened.
func QuorumMet(present, convened int) bool { return 3*present >= 2*convened }

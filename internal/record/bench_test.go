package record_test

import (
	"testing"

	"tinnhiem/internal/record"
)

// BenchmarkVerifyNA verifies the National Assembly-sized record (500 ballots × 50 subjects, a board
// of 7 with threshold 4) from its bytes: decoding, every check, the report. Target: under 5 s on the
// project's 2-core machine (docs/RECORD.md §8).
func BenchmarkVerifyNA(b *testing.B) {
	v, data := na.get(b)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rep := record.DecodeAndVerify(data, v.Documents, record.Options{})
		if !rep.OK() {
			b.Fatalf("the NA record does not verify:\n%s", rep)
		}
	}
}

package web

import (
	"testing"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/ballot"
	"tinnhiem/internal/rules"
	"tinnhiem/internal/validate"
	"tinnhiem/internal/vote"
)

// FuzzCastRequest feeds arbitrary bodies to the cast request's decoding and checks: it never panics,
// every refusal is a 4xx application error, and an accepted body encodes to marks of the ballot's
// length made only of level letters and blanks.
func FuzzCastRequest(f *testing.F) {
	f.Add([]byte(`{"code":"0123-4567-89AB-CDEF-GHJK-MNPQ-RST","choices":[{"official_id":"a","level":"high"},{"official_id":"b","level":null}]}`))
	f.Add([]byte(`{"code":"x","choices":[]}`))
	f.Add([]byte(`{"Code":"x","code":"y","choices":[{"official_id":"a","official_id":"b"}]}`))
	f.Add([]byte("\xff\xfe"))
	f.Add([]byte(`[{"code":1}]`))
	subjects := []string{"a", "b", "c"}
	f.Fuzz(func(t *testing.T, body []byte) {
		var in vote.CastInput
		err := decodeStrict(body, &in)
		if err == nil {
			if fields := validate.Struct(&in, ""); len(fields) > 0 {
				err = apperr.InvalidFields(fields...)
			}
		}
		if err == nil {
			var marks string
			marks, err = ballot.Encode(rules.Confidence, subjects, in.Choices)
			if err == nil {
				if len(marks) != len(subjects) {
					t.Fatalf("marks %q for %d subjects", marks, len(subjects))
				}
				for _, m := range marks {
					if m != 'h' && m != 'm' && m != 'l' && m != ballot.Blank {
						t.Fatalf("mark %q in %q", m, marks)
					}
				}
				return
			}
		}
		if k := apperr.KindOf(err); k != apperr.Invalid && k != apperr.BadRequest {
			t.Fatalf("refusal of kind %s: %v", k, err)
		}
	})
}

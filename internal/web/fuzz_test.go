package web

import (
	"strings"
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

// FuzzBatchEntry feeds arbitrary bodies to a paper batch entry's decoding and checks: it never
// panics, every refusal is a 4xx application error, and an accepted entry has 1 to 500 ballots, each
// one mark per subject among the vote's letters, 0 and x.
func FuzzBatchEntry(f *testing.F) {
	f.Add([]byte(`{"ballots":["hml","0x0","lll"]}`))
	f.Add([]byte(`{"ballots":[]}`))
	f.Add([]byte(`{"ballots":["hm"],"ballots":["hml"]}`))
	f.Add([]byte(`{"ballots":["HML","h\u0000l"]}`))
	f.Add([]byte(`{"ballots":"hml"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var in vote.BatchEntryInput
		err := decodeStrict(body, &in)
		if err == nil {
			err = in.Normalize()
		}
		if err == nil {
			err = in.CheckMarks("hml", 3)
		}
		if err == nil {
			if len(in.Ballots) < 1 || len(in.Ballots) > 500 {
				t.Fatalf("%d ballots accepted", len(in.Ballots))
			}
			for _, b := range in.Ballots {
				if len(b) != 3 || strings.Trim(b, "hml0x") != "" {
					t.Fatalf("ballot %q accepted", b)
				}
			}
			return
		}
		if k := apperr.KindOf(err); k != apperr.Invalid && k != apperr.BadRequest {
			t.Fatalf("refusal of kind %s: %v", k, err)
		}
	})
}

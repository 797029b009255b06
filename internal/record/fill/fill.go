// Package fill turns the server's rule sets and tally subjects into the record's plain data
// (docs/RECORD.md §3.4). It is the server's side of the record: it imports internal/rules and
// internal/tally, which the verifier (package record) never does.
package fill

import (
	"encoding/json"

	"tinnhiem/internal/record"
	"tinnhiem/internal/roster"
	"tinnhiem/internal/rules"
	"tinnhiem/internal/tally"
)

// Rules returns the rule data of a vote of kind k under rule set rs, its consequences worded for the
// council's body and the vote's base (rules.RuleSet.ConsequenceFor). The band thresholds are those
// of rules.ConfidenceBand and rules.NoConfidenceBand, written as rationals: the record's
// TestRuleDataMatchesRules checks them against those functions.
func Rules(rs rules.RuleSet, k rules.Kind, body roster.Body, base rules.Base) record.Rules {
	if body == "" {
		body = roster.BodyQuocHoi // as tally.Counter
	}
	r := record.Rules{Decisive: string(k.Decisive()), DefaultBand: string(rules.BandNone)}
	for _, l := range k.Levels() {
		r.Levels = append(r.Levels, string(l))
	}
	var ids []rules.BandID
	if k == rules.NoConfidence {
		// NQ 96/2023 Điều 13: more than half of the base (2K > N).
		r.Bands = []record.Band{{Band: string(rules.BandNoConfidenceOverHalf), Num: 1, Den: 2, Inclusive: false}}
		ids = []rules.BandID{rules.BandNoConfidenceOverHalf, rules.BandNone}
	} else {
		// rules.md §7: exactly two thirds is two thirds or more (3L ≥ 2N); more than half (2L > N).
		r.Bands = []record.Band{
			{Band: string(rules.BandTwoThirdsOrMore), Num: 2, Den: 3, Inclusive: true},
			{Band: string(rules.BandOverHalfUnderTwo), Num: 1, Den: 2, Inclusive: false},
		}
		ids = []rules.BandID{rules.BandTwoThirdsOrMore, rules.BandOverHalfUnderTwo, rules.BandNone}
		due := rs.NoConfidenceDueBand
		if due == "" {
			due = rules.BandOverHalfUnderTwo
		}
		r.NoConfidenceDueBand = string(due)
	}
	for _, id := range ids {
		r.Consequences = append(r.Consequences, record.Consequence{Band: string(id), Text: rs.ConsequenceFor(k, id, body, base)})
	}
	if rs.Quorum {
		r.Quorum = &record.Fraction{Num: 2, Den: 3} // QĐ 96: 3·present ≥ 2·convened
	}
	return r
}

// Subjects returns the record's subjects from a tally's (official id, full name, positions as the
// tally's JSON writes them), in ballot order.
func Subjects(subjects []tally.SubjectResult) ([]record.Subject, error) {
	out := make([]record.Subject, len(subjects))
	for i, s := range subjects {
		pos, err := json.Marshal(s.Positions)
		if err != nil {
			return nil, err
		}
		out[i] = record.Subject{OfficialID: s.OfficialID, FullName: s.FullName, Positions: pos}
	}
	return out, nil
}

// Counts returns a tally's counts per subject in the order of the kind's levels: the record's counts
// of a plain vote (an encrypted vote's are the decrypted counts themselves).
func Counts(r tally.Result) [][]int64 {
	out := make([][]int64, len(r.Subjects))
	for i, s := range r.Subjects {
		for _, l := range r.Kind.Levels() {
			out[i] = append(out[i], int64(s.Counts[l]))
		}
	}
	return out
}

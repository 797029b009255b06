// Package tally counts ballots into the result of a vote: per subject the counts of each level, the
// rated and blank rows, the percentages of the vote's base from exact arithmetic, the consequence band
// and its text, and the flags a human must look at. The result has a canonical JSON form and hash that
// the counting board certifies. It does no I/O.
package tally

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"tinnhiem/internal/ballot"
	"tinnhiem/internal/roster"
	"tinnhiem/internal/rules"
)

// Flags on a subject's result.
const (
	FlagBaseSensitive   = "base_sensitive"    // the band differs with N = T and N = B (rules.md §7)
	FlagResigned        = "resigned"          // a resignation was recorded after the tally
	FlagNoConfidenceDue = "no_confidence_due" // middle band, not resigned: a no-confidence vote is due
)

// Subject is a row of the ballot, in ballot order.
type Subject struct {
	OfficialID string            `json:"official_id"`
	FullName   string            `json:"full_name"`
	Positions  []roster.Position `json:"positions"`
	Resigned   bool              `json:"-"`
}

// Input is the vote a tally is made for.
type Input struct {
	Kind           rules.Kind
	RuleSet        rules.RuleSet
	Base           rules.Base
	TotalDelegates int // T, snapshot at opening
	BallotsIssued  int
	Subjects       []Subject
	Body           roster.Body // the council's body, for the wording of the consequences
}

// Counter accumulates ballots one at a time (a million ballots need not be held in memory). The
// order of ballots never changes the result.
type Counter struct {
	in      Input
	counts  [][5]int // per subject, per mark letter index
	blank   []int
	valid   int
	invalid int
	bad     error
	index   [256]int8 // mark byte -> letter index for the vote's kind, -1 for a blank or foreign mark
}

var markIndex = map[byte]int{'h': 0, 'm': 1, 'l': 2, 't': 3, 'n': 4}

// NewCounter starts a count.
func NewCounter(in Input) *Counter {
	c := &Counter{in: in, counts: make([][5]int, len(in.Subjects)), blank: make([]int, len(in.Subjects))}
	for i := range c.index {
		c.index[i] = -1
	}
	for _, l := range in.Kind.Levels() { // a mark of another kind's level counts as blank
		letter := ballot.Letter(l)
		c.index[letter] = int8(markIndex[letter])
	}
	return c
}

// Add counts one received ballot. An invalid ballot (not issued for this vote, or on paper without the
// seal) is received but gives nothing to anyone; a blank or spoiled row is invalid for that person only.
func (c *Counter) Add(marks string, valid bool) {
	if !valid {
		c.invalid++
		return
	}
	if len(marks) != len(c.in.Subjects) {
		c.bad = fmt.Errorf("tally: a ballot has %d marks for %d subjects", len(marks), len(c.in.Subjects))
		return
	}
	c.valid++
	for i := 0; i < len(marks); i++ {
		if k := c.index[marks[i]]; k >= 0 {
			c.counts[i][k]++
		} else {
			c.blank[i]++
		}
	}
}

// AddCounts counts valid ballots given as totals rather than one by one: per subject (in ballot
// order) the count of each level of the vote's kind, in the order of Kind.Levels(), out of ballots
// valid ballots (the rest of each row blank). This is how the decrypted counts of an encrypted vote
// (and, later, the settled totals of paper ballots) enter the same tally.
func (c *Counter) AddCounts(ballots int, counts [][]int) {
	levels := c.in.Kind.Levels()
	if len(counts) != len(c.in.Subjects) {
		c.bad = fmt.Errorf("tally: counts for %d subjects, the vote has %d", len(counts), len(c.in.Subjects))
		return
	}
	c.valid += ballots
	for i, row := range counts {
		if len(row) != len(levels) {
			c.bad = fmt.Errorf("tally: subject %d has %d counts for %d levels", i, len(row), len(levels))
			return
		}
		rated := 0
		for j, l := range levels {
			if row[j] < 0 {
				c.bad = fmt.Errorf("tally: subject %d has a negative count", i)
				return
			}
			c.counts[i][markIndex[ballot.Letter(l)]] += row[j]
			rated += row[j]
		}
		if rated > ballots {
			c.bad = fmt.Errorf("tally: subject %d has %d rated rows of %d ballots", i, rated, ballots)
			return
		}
		c.blank[i] += ballots - rated
	}
}

// AddInvalid counts n received ballots that are invalid as a whole (paper ballots not of the board's
// form or without the seal): received, giving nothing to anyone.
func (c *Counter) AddInvalid(n int) {
	if n < 0 {
		c.bad = fmt.Errorf("tally: %d invalid ballots", n)
		return
	}
	c.invalid += n
}

// Result is a vote's tally.
type Result struct {
	RuleSet         string          `json:"rule_set"`
	Kind            rules.Kind      `json:"kind"`
	PercentageBase  rules.Base      `json:"percentage_base"`
	BaseValue       int             `json:"base_value"`
	TotalDelegates  int             `json:"total_delegates"`
	BallotsIssued   int             `json:"ballots_issued"`
	BallotsReceived int             `json:"ballots_received"`
	ValidBallots    int             `json:"valid_ballots"`
	InvalidBallots  int             `json:"invalid_ballots"`
	Quorum          *Quorum         `json:"quorum,omitempty"`
	Subjects        []SubjectResult `json:"subjects"`
	NoConfidenceDue []string        `json:"no_confidence_due"`
	TallyHash       string          `json:"tally_hash,omitempty"`
}

// Quorum is QĐ 96's condition 3·present ≥ 2·convened (present = ballots issued, convened = T).
type Quorum struct {
	Present  int  `json:"present"`
	Convened int  `json:"convened"`
	Met      bool `json:"met"`
}

// SubjectResult is one person's result.
type SubjectResult struct {
	OfficialID  string                 `json:"official_id"`
	FullName    string                 `json:"full_name"`
	Positions   []roster.Position      `json:"positions"`
	Counts      map[rules.Level]int    `json:"counts"`
	Rated       int                    `json:"rated"`
	Blank       int                    `json:"blank"`
	Percentages map[rules.Level]string `json:"percentages"`
	Band        rules.BandID           `json:"band"`
	Consequence string                 `json:"consequence"`
	Flags       []string               `json:"flags"`
	// Alternative is the same counts taken of the other percentage base, for a base-sensitive subject
	// only (rules.md §7): the board, the council and the documents show both figures side by side.
	Alternative *BaseView `json:"alternative,omitempty"`
}

// BaseView is a subject's percentages and band taken of one percentage base.
type BaseView struct {
	Base        rules.Base             `json:"base"`
	BaseValue   int                    `json:"base_value"`
	Percentages map[rules.Level]string `json:"percentages"`
	Band        rules.BandID           `json:"band"`
}

// OtherBase is the base a vote did not use: B for T, T for B.
func OtherBase(b rules.Base) rules.Base {
	if b == rules.BaseBallotsReceived {
		return rules.BaseTotalDelegates
	}
	return rules.BaseBallotsReceived
}

// AlternativeOf returns a subject's result on the other base when the subject is base-sensitive: the
// one the tally carries, or, for a tally frozen before the field existed, one computed now from its
// counts (exact arithmetic, rounded half-up once, as every percentage). Nil for any other subject.
func AlternativeOf(r Result, s SubjectResult) *BaseView {
	if s.Alternative != nil {
		return s.Alternative
	}
	sensitive := false
	for _, f := range s.Flags {
		sensitive = sensitive || f == FlagBaseSensitive
	}
	if !sensitive {
		return nil
	}
	other := OtherBase(r.PercentageBase)
	n := r.TotalDelegates
	if other == rules.BaseBallotsReceived {
		n = r.BallotsReceived
	}
	return baseView(r.Kind, s.Counts, other, n)
}

// baseView takes a subject's counts of base n.
func baseView(k rules.Kind, counts map[rules.Level]int, b rules.Base, n int) *BaseView {
	v := &BaseView{Base: b, BaseValue: n, Percentages: map[rules.Level]string{}, Band: rules.Band(k, counts[k.Decisive()], n)}
	for _, l := range k.Levels() {
		v.Percentages[l] = rules.Percent(counts[l], n)
	}
	return v
}

// Result finishes the count.
func (c *Counter) Result() (Result, error) {
	if c.bad != nil {
		return Result{}, c.bad
	}
	in := c.in
	received := c.valid + c.invalid
	r := Result{RuleSet: in.RuleSet.ID, Kind: in.Kind, PercentageBase: in.Base, TotalDelegates: in.TotalDelegates,
		BallotsIssued: in.BallotsIssued, BallotsReceived: received, ValidBallots: c.valid, InvalidBallots: c.invalid,
		Subjects: make([]SubjectResult, len(in.Subjects)), NoConfidenceDue: []string{}}
	n := in.TotalDelegates
	if in.Base == rules.BaseBallotsReceived {
		n = received
	}
	r.BaseValue = n
	if in.RuleSet.Quorum {
		r.Quorum = &Quorum{Present: in.BallotsIssued, Convened: in.TotalDelegates, Met: rules.QuorumMet(in.BallotsIssued, in.TotalDelegates)}
	}
	for i, s := range in.Subjects {
		sr := SubjectResult{OfficialID: s.OfficialID, FullName: s.FullName, Positions: s.Positions,
			Counts: map[rules.Level]int{}, Percentages: map[rules.Level]string{}, Blank: c.blank[i], Flags: []string{}}
		for _, l := range in.Kind.Levels() {
			k := c.counts[i][markIndex[ballot.Letter(l)]]
			sr.Counts[l] = k
			sr.Rated += k
			sr.Percentages[l] = rules.Percent(k, n)
		}
		decisive := sr.Counts[in.Kind.Decisive()]
		sr.Band = rules.Band(in.Kind, decisive, n)
		body := in.Body
		if body == "" {
			body = roster.BodyQuocHoi
		}
		sr.Consequence = in.RuleSet.ConsequenceFor(in.Kind, sr.Band, body, in.Base)
		if rules.Band(in.Kind, decisive, in.TotalDelegates) != rules.Band(in.Kind, decisive, received) {
			sr.Flags = append(sr.Flags, FlagBaseSensitive)
			other := OtherBase(in.Base)
			m := in.TotalDelegates
			if other == rules.BaseBallotsReceived {
				m = received
			}
			sr.Alternative = baseView(in.Kind, sr.Counts, other, m)
		}
		r.Subjects[i] = sr
	}
	if err := Check(r); err != nil {
		return Result{}, err
	}
	resigned := map[string]bool{}
	for _, s := range in.Subjects {
		resigned[s.OfficialID] = s.Resigned
	}
	Annotate(&r, resigned)
	r.TallyHash = Hash(r)
	return r, nil
}

// Annotate sets what depends on resignations recorded after the count: the resigned flag, and the
// subjects of a confidence vote for whom a no-confidence vote is due (middle band, not resigned).
// None of it is part of the certified hash, so a later resignation leaves the certification intact.
func Annotate(r *Result, resigned map[string]bool) {
	r.NoConfidenceDue = []string{}
	for i := range r.Subjects {
		s := &r.Subjects[i]
		s.Flags = without(s.Flags, FlagResigned, FlagNoConfidenceDue)
		switch {
		case resigned[s.OfficialID]:
			s.Flags = append(s.Flags, FlagResigned)
		case r.Kind == rules.Confidence && s.Band == dueBand(r.RuleSet):
			s.Flags = append(s.Flags, FlagNoConfidenceDue)
			r.NoConfidenceDue = append(r.NoConfidenceDue, s.OfficialID)
		}
	}
}

func without(flags []string, drop ...string) []string {
	out := []string{}
	for _, f := range flags {
		keep := true
		for _, d := range drop {
			keep = keep && f != d
		}
		if keep {
			out = append(out, f)
		}
	}
	return out
}

// Hash is the SHA-256 of the tally's canonical JSON (struct fields in declared order, map keys sorted)
// without tally_hash and without the resignation annotations: what every board member certifies.
func Hash(r Result) string {
	r.TallyHash = ""
	r.NoConfidenceDue = nil
	subjects := make([]SubjectResult, len(r.Subjects))
	for i, s := range r.Subjects {
		s.Flags = without(s.Flags, FlagResigned, FlagNoConfidenceDue)
		subjects[i] = s
	}
	r.Subjects = subjects
	b, err := json.Marshal(r)
	if err != nil {
		panic(err) // plain values only: cannot fail
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Check enforces the invariants of rules.md §5 on a tally: per subject H+M+L ≤ valid ≤ received ≤
// issued ≤ T, and valid + invalid = received.
func Check(r Result) error {
	if r.ValidBallots+r.InvalidBallots != r.BallotsReceived {
		return fmt.Errorf("tally: valid %d + invalid %d ≠ received %d", r.ValidBallots, r.InvalidBallots, r.BallotsReceived)
	}
	if r.BallotsReceived > r.BallotsIssued || r.BallotsIssued > r.TotalDelegates {
		return fmt.Errorf("tally: received %d ≤ issued %d ≤ T %d does not hold", r.BallotsReceived, r.BallotsIssued, r.TotalDelegates)
	}
	for _, s := range r.Subjects {
		if s.Rated > r.ValidBallots || s.Rated+s.Blank != r.ValidBallots {
			return fmt.Errorf("tally: %s has %d rated and %d blank rows of %d valid ballots", s.OfficialID, s.Rated, s.Blank, r.ValidBallots)
		}
	}
	return nil
}

// dueBand is the band that calls for a no-confidence vote under a rule set.
func dueBand(ruleSet string) rules.BandID {
	if rs, ok := rules.Get(ruleSet); ok && rs.NoConfidenceDueBand != "" {
		return rs.NoConfidenceDueBand
	}
	return rules.BandOverHalfUnderTwo
}

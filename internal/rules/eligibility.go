package rules

import (
	"sort"

	"tinnhiem/internal/civil"
	"tinnhiem/internal/roster"
)

// ExclusionReason says why a person gets no ballot row (rules.md §2).
type ExclusionReason string

// Exclusion reasons.
const (
	ExclRetirement      ExclusionReason = "retirement_announced"
	ExclElectedThisYear ExclusionReason = "elected_in_vote_year"
	ExclIllness         ExclusionReason = "serious_illness_6_months"
	ExclPostNotEligible ExclusionReason = "post_not_eligible"
)

// Subject is a person on the ballot: one row, showing every eligible post.
type Subject struct {
	OfficialID string            `json:"official_id"`
	FullName   string            `json:"full_name"`
	Positions  []roster.Position `json:"positions"`
}

// Exclusion is a person left off the ballot, with the reason.
type Exclusion struct {
	OfficialID string          `json:"official_id"`
	FullName   string          `json:"full_name"`
	Reason     ExclusionReason `json:"reason"`
}

// EligibilityInput is what eligibility is computed from.
type EligibilityInput struct {
	RuleSet        RuleSet
	Kind           Kind
	VoteDate       civil.Date
	SessionOpensOn civil.Date
	ExcludeIllness bool // the uncertain 6-month serious-illness exclusion, off by default
}

// Eligibility splits officials into subjects and exclusions. A post outside the rule set is dropped;
// a post the person was elected to in the vote's calendar year is dropped (confidence votes); a person
// left with no post is excluded with the reason that removed the last one. Retirement and illness
// exclude the whole person (confidence votes only: a no-confidence vote follows a trigger).
func Eligibility(in EligibilityInput, officials []roster.Official) ([]Subject, []Exclusion) {
	var subjects []Subject
	var excluded []Exclusion
	for _, o := range officials {
		var eligible, thisYear []roster.Position
		for _, p := range o.Positions {
			switch {
			case !in.RuleSet.Eligible(p.Category):
			case in.Kind == Confidence && in.RuleSet.ExcludeElectedInVoteYear && p.ElectedOn.Year >= in.VoteDate.Year:
				thisYear = append(thisYear, p)
			default:
				eligible = append(eligible, p)
			}
		}
		reason := ExclusionReason("")
		switch {
		case len(eligible) == 0 && len(thisYear) == 0:
			reason = ExclPostNotEligible
		case in.Kind == Confidence && in.RuleSet.ExcludeRetirementAnnounced && o.RetirementAnnounced:
			reason = ExclRetirement
		case in.Kind == Confidence && in.ExcludeIllness && o.IllnessLeaveSince != nil &&
			!o.IllnessLeaveSince.AddMonths(6).After(in.SessionOpensOn):
			reason = ExclIllness
		case len(eligible) == 0:
			reason = ExclElectedThisYear
		}
		if reason != "" {
			excluded = append(excluded, Exclusion{OfficialID: o.ID, FullName: o.FullName, Reason: reason})
			continue
		}
		subjects = append(subjects, Subject{OfficialID: o.ID, FullName: o.FullName, Positions: eligible})
	}
	SortSubjects(subjects)
	roster.SortNames(excluded, func(e Exclusion) string { return e.FullName }, func(e Exclusion) string { return e.OfficialID })
	return subjects, excluded
}

// SortSubjects puts subjects in protocol order, as ballots print them: by their highest post in the
// order of rules.md §2 (Chủ tịch HĐND first), then in Vietnamese name order.
func SortSubjects(s []Subject) {
	rank := map[roster.Category]int{}
	for i, c := range roster.Categories {
		rank[c.ID] = i
	}
	best := func(x Subject) int {
		r := len(roster.Categories)
		for _, p := range x.Positions {
			if v, ok := rank[p.Category]; ok && v < r {
				r = v
			}
		}
		return r
	}
	roster.SortNames(s, func(x Subject) string { return x.FullName }, func(x Subject) string { return x.OfficialID })
	sort.SliceStable(s, func(i, j int) bool { return best(s[i]) < best(s[j]) })
}

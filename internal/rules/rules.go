// Package rules is the law as code: rule sets, eligibility and exclusions, the percentage base,
// percentages with half-up rounding from exact rationals, the consequence bands by integer
// cross-multiplication, timing warnings and the no-confidence triggers (rules.md). It does no I/O.
package rules

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"

	"tinnhiem/internal/roster"
)

// Kind is the kind of vote.
type Kind string

// Vote kinds (glossary).
const (
	Confidence   Kind = "confidence"    // lấy phiếu tín nhiệm: high, medium, low
	NoConfidence Kind = "no_confidence" // bỏ phiếu tín nhiệm: trust, no_trust
)

// Level is a choice on a ballot row.
type Level string

// Levels, in ballot order.
const (
	High    Level = "high"
	Medium  Level = "medium"
	Low     Level = "low"
	Trust   Level = "trust"
	NoTrust Level = "no_trust"
)

// Levels returns the levels of a kind in the order they are printed.
func (k Kind) Levels() []Level {
	if k == NoConfidence {
		return []Level{Trust, NoTrust}
	}
	return []Level{High, Medium, Low}
}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k == Confidence || k == NoConfidence }

// Has reports whether l is a level of kind k.
func (k Kind) Has(l Level) bool {
	for _, x := range k.Levels() {
		if x == l {
			return true
		}
	}
	return false
}

// Label is the Vietnamese text of a level as printed on the ballot.
func (l Level) Label() string {
	switch l {
	case High:
		return "Tín nhiệm cao"
	case Medium, Trust:
		return "Tín nhiệm"
	case Low:
		return "Tín nhiệm thấp"
	case NoTrust:
		return "Không tín nhiệm"
	}
	return string(l)
}

// Base is what percentages are taken of.
type Base string

// Percentage bases (rules.md §6).
const (
	BaseTotalDelegates  Base = "total_delegates"  // T
	BaseBallotsReceived Base = "ballots_received" // B
)

// Valid reports whether b is a known base.
func (b Base) Valid() bool { return b == BaseTotalDelegates || b == BaseBallotsReceived }

// RuleSet is one instrument's rules, fixed per vote so old votes keep reproducing their figures.
type RuleSet struct {
	ID                         string            `json:"id"`
	Name                       string            `json:"name"`
	Citation                   string            `json:"citation"`
	Bodies                     []roster.Body     `json:"bodies"`
	Levels                     []roster.Level    `json:"levels"`
	Categories                 []roster.Category `json:"categories"`
	DefaultBase                Base              `json:"default_base"`
	ExcludeRetirementAnnounced bool              `json:"exclude_retirement_announced"`
	ExcludeElectedInVoteYear   bool              `json:"exclude_elected_in_vote_year"`
	Quorum                     bool              `json:"quorum"`
	InForceFrom                string            `json:"in_force_from"`
	InForceUntil               string            `json:"in_force_until"`
	// NoConfidenceDueBand is the band of a confidence vote that calls for a no-confidence vote when
	// the person does not resign: the middle band under NQ 96/2023 and QĐ 96, two thirds or more
	// under NQ 85/2014.
	NoConfidenceDueBand BandID                     `json:"no_confidence_due_band"`
	Consequences        map[Kind]map[BandID]string `json:"consequences"`
}

//go:embed rulesets.json
var ruleSetsJSON []byte

var ruleSets = mustLoad(ruleSetsJSON)

func mustLoad(b []byte) map[string]RuleSet {
	var list []RuleSet
	if err := json.Unmarshal(b, &list); err != nil {
		panic(fmt.Sprintf("rules: rulesets.json: %v", err))
	}
	out := map[string]RuleSet{}
	for _, rs := range list {
		out[rs.ID] = rs
	}
	return out
}

// Default is the rule set of a vote that names none.
const Default = "NQ96_2023"

// Get returns a rule set by id.
func Get(id string) (RuleSet, bool) {
	rs, ok := ruleSets[id]
	return rs, ok
}

// IDs lists the rule set ids.
func IDs() []string { return []string{"NQ96_2023", "NQ85_2014", "QD96_2023"} }

// Eligible reports whether a post category may be rated under rs.
func (rs RuleSet) Eligible(c roster.Category) bool {
	for _, x := range rs.Categories {
		if x == c {
			return true
		}
	}
	return false
}

// InScope reports whether a council of this body and level falls under rs.
func (rs RuleSet) InScope(b roster.Body, l roster.Level) bool {
	bodyOK, levelOK := false, false
	for _, x := range rs.Bodies {
		bodyOK = bodyOK || x == b
	}
	for _, x := range rs.Levels {
		levelOK = levelOK || x == l
	}
	return bodyOK && levelOK
}

// Consequence returns the Vietnamese consequence text of a band, worded for a National Assembly vote
// on all delegates; ConsequenceFor words it for the council's body and the vote's base.
func (rs RuleSet) Consequence(k Kind, b BandID) string {
	return rs.ConsequenceFor(k, b, roster.BodyQuocHoi, BaseTotalDelegates)
}

// ConsequenceFor words a band's consequence for a council's body (who submits the no-confidence
// vote: the NA Standing Committee or the council's standing body) and the percentage base.
func (rs RuleSet) ConsequenceFor(k Kind, b BandID, body roster.Body, base Base) string {
	standing := "Thường trực Hội đồng nhân dân"
	switch body {
	case roster.BodyQuocHoi:
		standing = "Ủy ban Thường vụ Quốc hội"
	case roster.BodyDang:
		standing = "cấp có thẩm quyền"
	}
	of := "tổng số đại biểu"
	if base == BaseBallotsReceived {
		of = "tổng số phiếu thu vào"
	}
	return strings.NewReplacer("{standing_body}", standing, "{base}", of).Replace(rs.Consequences[k][b])
}

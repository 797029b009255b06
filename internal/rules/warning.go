package rules

import (
	"strings"

	"tinnhiem/internal/civil"
	"tinnhiem/internal/roster"
)

// Warning is a problem that does not block the vote but that the secretariat must see.
type Warning struct {
	Code   string         `json:"code"`
	Params map[string]any `json:"params,omitempty"`
}

// Preparation holds the dates of the preparation steps before the session opens (rules.md §3).
type Preparation struct {
	ListSentOn        string `json:"list_sent_on,omitempty" validate:"omitempty,date"`
	ReportsReceivedOn string `json:"reports_received_on,omitempty" validate:"omitempty,date"`
	FrontSummaryOn    string `json:"front_summary_on,omitempty" validate:"omitempty,date"`
	DocumentsSentOn   string `json:"documents_sent_on,omitempty" validate:"omitempty,date"`
}

// Deadline is a preparation step's latest date for a session opening on D.
type Deadline struct {
	Step       string `json:"step"`
	DaysBefore int    `json:"days_before"`
	Latest     string `json:"latest"`
	Recorded   string `json:"recorded,omitempty"`
	Breached   bool   `json:"breached"`
}

// Deadlines computes the preparation deadlines for a session opening on d: the list and requests 45
// days before, the reports 30, the Fatherland Front summary 25, the documents to delegates 20.
func Deadlines(d civil.Date, p Preparation) []Deadline {
	steps := []struct {
		step     string
		days     int
		recorded string
	}{
		{"list_sent_on", 45, p.ListSentOn},
		{"reports_received_on", 30, p.ReportsReceivedOn},
		{"front_summary_on", 25, p.FrontSummaryOn},
		{"documents_sent_on", 20, p.DocumentsSentOn},
	}
	out := make([]Deadline, len(steps))
	for i, s := range steps {
		latest := d.AddDays(-s.days)
		out[i] = Deadline{Step: s.step, DaysBefore: s.days, Latest: latest.String(), Recorded: s.recorded}
		if r, err := civil.Parse(s.recorded); err == nil && r.After(latest) {
			out[i].Breached = true
		}
	}
	return out
}

// VoteContext is what the timing and scope warnings look at.
type VoteContext struct {
	RuleSet        RuleSet
	Council        roster.Council
	VoteDate       civil.Date
	SessionOpensOn civil.Date
	Preparation    Preparation
}

// Warnings lists the non-blocking problems of a vote's setup.
func Warnings(v VoteContext) []Warning {
	var w []Warning
	third := v.Council.TermStartYear + 2
	if v.VoteDate.Year != third {
		w = append(w, Warning{Code: "vote_outside_third_year", Params: map[string]any{"year": third, "vote_year": v.VoteDate.Year}})
	}
	if !v.RuleSet.InScope(v.Council.Body, v.Council.Level) {
		w = append(w, Warning{Code: "council_out_of_scope", Params: map[string]any{"rule_set": v.RuleSet.ID, "level": string(v.Council.Level), "body": string(v.Council.Body)}})
	}
	if from, err := civil.Parse(v.RuleSet.InForceFrom); err == nil && v.VoteDate.Before(from) {
		w = append(w, Warning{Code: "rule_set_not_in_force", Params: map[string]any{"rule_set": v.RuleSet.ID, "from": from.String(), "until": v.RuleSet.InForceUntil}})
	} else if until, err := civil.Parse(v.RuleSet.InForceUntil); err == nil && v.VoteDate.After(until) {
		w = append(w, Warning{Code: "rule_set_not_in_force", Params: map[string]any{"rule_set": v.RuleSet.ID, "from": v.RuleSet.InForceFrom, "until": until.String()}})
	}
	for _, d := range Deadlines(v.SessionOpensOn, v.Preparation) {
		if d.Breached {
			w = append(w, Warning{Code: "deadline_" + d.Step, Params: map[string]any{"latest": d.Latest, "recorded": d.Recorded, "days": d.DaysBefore}})
		}
	}
	return w
}

// BoardMember is a member of a vote's counting board, as the board warnings see them.
type BoardMember struct {
	FullName   string
	Role       string
	OfficialID string // the official the member's account belongs to, when linked
}

// MinBoardSize is the usual smallest counting board of a council level (rules.md §4).
func MinBoardSize(l roster.Level) int {
	switch l {
	case roster.LevelTinh, roster.LevelTrungUong:
		return 7
	case roster.LevelHuyen:
		return 5
	}
	return 3
}

// BoardWarnings warns of a board smaller than usual and of a rated person sitting on the board.
func BoardWarnings(level roster.Level, board []BoardMember, subjects []Subject) []Warning {
	var w []Warning
	if min := MinBoardSize(level); len(board) < min {
		w = append(w, Warning{Code: "board_small", Params: map[string]any{"size": len(board), "min": min}})
	}
	rated := map[string]bool{}
	for _, s := range subjects {
		rated[strings.ToLower(s.FullName)] = true
		rated["id:"+s.OfficialID] = true
	}
	for _, m := range board {
		if rated[strings.ToLower(m.FullName)] || (m.OfficialID != "" && rated["id:"+m.OfficialID]) {
			w = append(w, Warning{Code: "board_member_rated", Params: map[string]any{"name": m.FullName}})
		}
	}
	return w
}

package vote

import (
	"tinnhiem/internal/civil"
	"tinnhiem/internal/roster"
	"tinnhiem/internal/rules"
	"tinnhiem/internal/tally"
)

// PublicResult is what anyone may read of a published vote: the tally's fields, the vote's public
// facts, and the receipts. Nothing else of the vote (exclusions and their reasons, warnings, the
// board's accounts, preparation dates) is public.
type PublicResult struct {
	tally.Result
	Vote     PublicVote `json:"vote"`
	Receipts []string   `json:"receipts"`
}

// PublicVote is the public part of a published vote.
type PublicVote struct {
	ID                    string          `json:"id"`
	Council               string          `json:"council"`
	Kind                  rules.Kind      `json:"kind"`
	Title                 string          `json:"title"`
	SessionName           string          `json:"session_name"`
	VoteDate              civil.Date      `json:"vote_date"`
	RuleSet               string          `json:"rule_set"`
	PercentageBase        rules.Base      `json:"percentage_base"`
	ResolutionNumber      string          `json:"resolution_number"`
	AdoptedOn             *civil.Date     `json:"adopted_on"`
	PortalPostedOn        *civil.Date     `json:"portal_posted_on"`
	ResolutionFingerprint string          `json:"resolution_fingerprint"`
	Subjects              []PublicSubject `json:"subjects"`
}

// PublicSubject is a person rated, as the public sees them.
type PublicSubject struct {
	OfficialID string            `json:"official_id"`
	FullName   string            `json:"full_name"`
	Positions  []roster.Position `json:"positions"`
}

// Public returns the public part of a vote.
func (v Vote) Public(council string) PublicVote {
	out := PublicVote{ID: v.ID, Council: council, Kind: v.Kind, Title: v.Title, SessionName: v.SessionName, VoteDate: v.VoteDate,
		RuleSet: v.RuleSet, PercentageBase: v.PercentageBase, ResolutionNumber: v.ResolutionNumber, AdoptedOn: v.AdoptedOn,
		PortalPostedOn: v.PortalPostedOn, ResolutionFingerprint: v.ResolutionFingerprint, Subjects: make([]PublicSubject, len(v.Subjects))}
	for i, s := range v.Subjects {
		out.Subjects[i] = PublicSubject{OfficialID: s.OfficialID, FullName: s.FullName, Positions: s.Positions}
	}
	return out
}

// CurrentVote is a vote in progress (open, or closed and not yet published) as the public may see it
// in the hall: its subjects in ballot order, its status, its ballot mode and, for an encrypted vote,
// the vote fingerprint posted in the hall — what a delegate's phone needs to check a challenged ballot
// by name, or to ask about a tracking code. Never a figure of the count.
type CurrentVote struct {
	ID          string          `json:"id"`
	Council     string          `json:"council"`
	Kind        rules.Kind      `json:"kind"`
	Title       string          `json:"title"`
	SessionName string          `json:"session_name"`
	VoteDate    civil.Date      `json:"vote_date"`
	Status      Status          `json:"status"`
	BallotMode  string          `json:"ballot_mode"`
	Fingerprint string          `json:"fingerprint,omitempty"`
	Subjects    []PublicSubject `json:"subjects"`
}

// Current returns the public part of a vote in progress.
func (v Vote) Current(council string) CurrentVote {
	p := v.Public(council)
	out := CurrentVote{ID: v.ID, Council: council, Kind: v.Kind, Title: v.Title, SessionName: v.SessionName, VoteDate: v.VoteDate,
		Status: v.Status, BallotMode: v.BallotMode, Subjects: p.Subjects}
	if v.Encryption != nil {
		out.Fingerprint = v.Encryption.Fingerprint
	}
	return out
}

// Ballot is what a delegate holding an unspent code sees: the vote and the rows to mark.
type Ballot struct {
	// Practice marks the practice ballot of a registered kiosk: the real layout and names, never
	// cast, never counted, nothing of it stored.
	Practice     bool            `json:"practice,omitempty"`
	VoteID       string          `json:"vote_id"`
	Council      string          `json:"council"`
	Kind         rules.Kind      `json:"kind"`
	Title        string          `json:"title"`
	SessionName  string          `json:"session_name"`
	Levels       []rules.Level   `json:"levels"`
	BallotGroups []string        `json:"ballot_groups"`
	Subjects     []BallotSubject `json:"subjects"`
}

// BallotSubject is one row of a ballot.
type BallotSubject struct {
	OfficialID  string            `json:"official_id"`
	FullName    string            `json:"full_name"`
	Positions   []roster.Position `json:"positions"`
	BallotGroup int               `json:"ballot_group"`
}

// Receipt answers a cast.
type Receipt struct {
	Receipt string `json:"receipt"`
	VoteID  string `json:"vote_id"`
	Replay  bool   `json:"replay"`
}

// BallotOf is the ballot a code of the vote opens.
func BallotOf(v Vote, council string) Ballot {
	b := Ballot{VoteID: v.ID, Council: council, Kind: v.Kind, Title: v.Title, SessionName: v.SessionName,
		Levels: v.Kind.Levels(), BallotGroups: v.BallotGroups, Subjects: make([]BallotSubject, len(v.Subjects))}
	for i, sub := range v.Subjects {
		b.Subjects[i] = BallotSubject{OfficialID: sub.OfficialID, FullName: sub.FullName, Positions: sub.Positions, BallotGroup: sub.BallotGroup}
	}
	return b
}

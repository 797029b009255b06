// Package vote holds the confidence vote's lifecycle types: its status machine, the subjects on the
// ballot, the counting board, and the inputs of each step. It does no I/O.
package vote

import (
	"time"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/ballot"
	"tinnhiem/internal/civil"
	"tinnhiem/internal/roster"
	"tinnhiem/internal/rules"
	"tinnhiem/internal/tally"
	"tinnhiem/internal/validate"
)

// Status is where a vote is in its lifecycle.
type Status string

// Statuses: draft → open → closed → certified → published; draft or open → cancelled.
const (
	Draft     Status = "draft"
	Open      Status = "open"
	Closed    Status = "closed"
	Certified Status = "certified"
	Published Status = "published"
	Cancelled Status = "cancelled"
)

// Tallied reports whether a vote's ballots may be counted and shown to its staff.
func (s Status) Tallied() bool { return s == Closed || s == Certified || s == Published }

// BoardRole is a role on the counting board.
type BoardRole string

// Board roles (Trưởng ban, Thư ký, Ủy viên).
const (
	BoardHead      BoardRole = "head"
	BoardSecretary BoardRole = "secretary"
	BoardMember    BoardRole = "member"
)

// Vote is a confidence or no-confidence vote of a council.
type Vote struct {
	ID                    string            `json:"id"`
	CouncilID             string            `json:"council_id"`
	Kind                  rules.Kind        `json:"kind"`
	Title                 string            `json:"title"`
	SessionName           string            `json:"session_name"`
	SessionOpensOn        civil.Date        `json:"session_opens_on"`
	VoteDate              civil.Date        `json:"vote_date"`
	RuleSet               string            `json:"rule_set"`
	PercentageBase        rules.Base        `json:"percentage_base"`
	ExcludeSeriousIllness bool              `json:"exclude_serious_illness"`
	Status                Status            `json:"status"`
	CancelReason          string            `json:"cancel_reason,omitempty"`
	Trigger               *rules.Trigger    `json:"trigger,omitempty"`
	Preparation           rules.Preparation `json:"preparation"`
	Deadlines             []rules.Deadline  `json:"deadlines"`
	Subjects              []Subject         `json:"subjects"`
	Exclusions            []rules.Exclusion `json:"exclusions"`
	Warnings              []rules.Warning   `json:"warnings"`
	BallotGroups          []string          `json:"ballot_groups"`
	Board                 []Member          `json:"board"`
	Turnout               Turnout           `json:"turnout"`
	BallotsHash           string            `json:"ballots_hash,omitempty"`
	TallyHash             string            `json:"tally_hash,omitempty"`
	ResolutionNumber      string            `json:"resolution_number,omitempty"`
	ResolutionFingerprint string            `json:"resolution_fingerprint,omitempty"`
	AdoptedOn             *civil.Date       `json:"adopted_on,omitempty"`
	PortalPostedOn        *civil.Date       `json:"portal_posted_on,omitempty"`
	CreatedAt             time.Time         `json:"created_at"`
	OpenedAt              *time.Time        `json:"opened_at,omitempty"`
	ClosedAt              *time.Time        `json:"closed_at,omitempty"`
	CertifiedAt           *time.Time        `json:"certified_at,omitempty"`
	PublishedAt           *time.Time        `json:"published_at,omitempty"`
}

// Subject is a person on the ballot.
type Subject struct {
	OfficialID  string            `json:"official_id"`
	FullName    string            `json:"full_name"`
	Positions   []roster.Position `json:"positions"`
	BallotGroup int               `json:"ballot_group"`
	ResignedOn  *civil.Date       `json:"resigned_on,omitempty"`
}

// Member is a member of the counting board.
type Member struct {
	UserID    string    `json:"user_id"`
	FullName  string    `json:"full_name"`
	Username  string    `json:"username"`
	BoardRole BoardRole `json:"board_role"`
	Certified bool      `json:"certified"`
}

// Turnout is what may be shown while a vote is open: counts, never results.
type Turnout struct {
	Status         Status `json:"status"`
	TotalDelegates int    `json:"total_delegates"`
	BallotsIssued  int    `json:"ballots_issued"`
	BallotsCast    int    `json:"ballots_cast"`
	CodesGenerated int    `json:"codes_generated"`
	CodesVoided    int    `json:"codes_voided"`
}

// IsBoard reports whether p sits on the vote's board, and with which role.
func (v Vote) IsBoard(p auth.Principal) (BoardRole, bool) {
	for _, m := range v.Board {
		if m.UserID == p.UserID {
			return m.BoardRole, true
		}
	}
	return "", false
}

// visible hides another council's vote behind "not found", as reading it does.
func (v Vote) visible(p auth.Principal) error {
	if p.InCouncil(v.CouncilID) {
		return nil
	}
	return apperr.New(apperr.NotFound, "vote_not_found")
}

// CanRun allows the board head and the secretariat (and the admin) to open and close the vote.
func (v Vote) CanRun(p auth.Principal) error {
	if err := v.visible(p); err != nil {
		return err
	}
	if p.IsAdmin() || p.Role == auth.RoleSecretariat {
		return nil
	}
	if role, ok := v.IsBoard(p); ok && role == BoardHead {
		return nil
	}
	return auth.ErrForbidden
}

// CanOperate allows members of the vote's board, and the admin, to hand out codes and ballots.
// (Certifying is for board members alone: see Store.Certify.)
func (v Vote) CanOperate(p auth.Principal) error {
	if err := v.visible(p); err != nil {
		return err
	}
	if _, ok := v.IsBoard(p); ok || p.IsAdmin() {
		return nil
	}
	return auth.ErrForbidden
}

// CanSecretariat allows the council's secretariat and the admin.
func (v Vote) CanSecretariat(p auth.Principal) error {
	if err := v.visible(p); err != nil {
		return err
	}
	return p.CanManageRoster(v.CouncilID)
}

// RequireStatus refuses an action when the vote is in none of the given statuses.
func (v Vote) RequireStatus(ss ...Status) error {
	for _, s := range ss {
		if v.Status == s {
			return nil
		}
	}
	return apperr.New(apperr.Conflict, "wrong_status").With("status", string(v.Status))
}

// SubjectIDs lists the subjects' official ids in ballot order.
func (v Vote) SubjectIDs() []string {
	out := make([]string, len(v.Subjects))
	for i, s := range v.Subjects {
		out[i] = s.OfficialID
	}
	return out
}

// Input creates a vote.
type Input struct {
	Kind                  rules.Kind        `json:"kind" validate:"required,oneof=confidence no_confidence"`
	Title                 string            `json:"title" validate:"required,max=300,nocontrol"`
	SessionName           string            `json:"session_name" validate:"required,max=200,nocontrol"`
	SessionOpensOn        string            `json:"session_opens_on" validate:"required,date"`
	VoteDate              string            `json:"vote_date" validate:"required,date"`
	RuleSet               string            `json:"rule_set" validate:"omitempty,oneof=NQ96_2023 NQ85_2014 QD96_2023"`
	PercentageBase        rules.Base        `json:"percentage_base" validate:"omitempty,oneof=total_delegates ballots_received"`
	OfficialIDs           []string          `json:"official_ids" validate:"required,min=1,max=300,dive,required,max=64"`
	ExcludeSeriousIllness bool              `json:"exclude_serious_illness"`
	Trigger               *rules.Trigger    `json:"trigger"`
	Preparation           rules.Preparation `json:"preparation"`
	BallotGroups          []GroupInput      `json:"ballot_groups" validate:"max=20,dive"`
}

// GroupInput is a ballot group: one printed ballot with its title and its subjects.
type GroupInput struct {
	Title       string   `json:"title" validate:"required,max=300,nocontrol"`
	OfficialIDs []string `json:"official_ids" validate:"required,dive,required,max=64"`
}

// Normalize cleans and validates the input and fills the rule set's defaults.
func (in *Input) Normalize() error {
	in.Title, in.SessionName = validate.Clean(in.Title), validate.Clean(in.SessionName)
	for i := range in.BallotGroups {
		in.BallotGroups[i].Title = validate.Clean(in.BallotGroups[i].Title)
	}
	if in.RuleSet == "" {
		in.RuleSet = rules.Default
	}
	fields := validate.Struct(in, "")
	if rs, ok := rules.Get(in.RuleSet); ok && in.PercentageBase == "" {
		in.PercentageBase = rs.DefaultBase
	}
	opens, err1 := civil.Parse(in.SessionOpensOn)
	day, err2 := civil.Parse(in.VoteDate)
	if err1 == nil && err2 == nil && day.Before(opens) {
		fields = append(fields, apperr.Field("vote_date", "vote_before_session"))
	}
	seen := map[string]bool{}
	for i, id := range in.OfficialIDs {
		if seen[id] {
			fields = append(fields, apperr.Field("official_ids["+itoa(i)+"]", "duplicate_subject"))
		}
		seen[id] = true
	}
	if in.Kind == rules.Confidence && in.Trigger != nil {
		fields = append(fields, apperr.Field("trigger", "trigger_not_allowed"))
	}
	if in.Trigger != nil {
		fields = append(fields, validate.Struct(in.Trigger, "trigger.")...)
	}
	if len(fields) > 0 {
		return apperr.InvalidFields(fields...)
	}
	return nil
}

// Groups assigns each subject (in ballot order) to a ballot group and returns the group titles. With
// no groups given, every subject is on one ballot. An official the rule set excluded (chosen, but not
// a subject) is passed over, and a group left with nobody is dropped.
func Groups(in []GroupInput, subjectIDs []string, chosen []string, defaultTitle string) ([]string, map[string]int, error) {
	assign := map[string]int{}
	if len(in) == 0 {
		for _, id := range subjectIDs {
			assign[id] = 0
		}
		return []string{defaultTitle}, assign, nil
	}
	onBallot := map[string]bool{}
	for _, id := range subjectIDs {
		onBallot[id] = true
	}
	wasChosen := map[string]bool{}
	for _, id := range chosen {
		wasChosen[id] = true
	}
	var titles []string
	var fields []apperr.FieldError
	for g, group := range in {
		members := 0
		for i, id := range group.OfficialIDs {
			name := "ballot_groups[" + itoa(g) + "].official_ids[" + itoa(i) + "]"
			if _, dup := assign[id]; dup {
				fields = append(fields, apperr.Field(name, "duplicate_subject"))
				continue
			}
			if !onBallot[id] {
				if !wasChosen[id] {
					fields = append(fields, apperr.Field(name, "unknown_subject"))
				}
				continue
			}
			assign[id] = len(titles)
			members++
		}
		if members > 0 {
			titles = append(titles, group.Title)
		}
	}
	for _, id := range subjectIDs {
		if _, ok := assign[id]; !ok {
			fields = append(fields, apperr.Field("ballot_groups", "subject_without_group", "official_id", id))
		}
	}
	if len(fields) > 0 {
		return nil, nil, apperr.InvalidFields(fields...)
	}
	return titles, assign, nil
}

// BoardInput sets the counting board.
type BoardInput struct {
	Members []MemberInput `json:"members" validate:"required,min=1,max=50,dive"`
}

// MemberInput is one board member.
type MemberInput struct {
	UserID    string    `json:"user_id" validate:"required,max=64"`
	BoardRole BoardRole `json:"board_role" validate:"required,oneof=head secretary member"`
}

// Normalize validates the board: one head, at most one secretary, nobody twice.
func (in *BoardInput) Normalize() error {
	fields := validate.Struct(in, "")
	heads, secretaries := 0, 0
	seen := map[string]bool{}
	for i, m := range in.Members {
		if seen[m.UserID] {
			fields = append(fields, apperr.Field("members["+itoa(i)+"].user_id", "duplicate_member"))
		}
		seen[m.UserID] = true
		switch m.BoardRole {
		case BoardHead:
			heads++
		case BoardSecretary:
			secretaries++
		}
	}
	if len(in.Members) > 0 && heads != 1 {
		fields = append(fields, apperr.Field("members", "board_one_head"))
	}
	if secretaries > 1 {
		fields = append(fields, apperr.Field("members", "board_one_secretary"))
	}
	if len(fields) > 0 {
		return apperr.InvalidFields(fields...)
	}
	return nil
}

// CodesInput asks for a batch of ballot codes.
type CodesInput struct {
	Count int `json:"count" validate:"required,gte=1,lte=1000"`
}

// CodeInput names one code (to void it).
type CodeInput struct {
	Code string `json:"code" validate:"required,max=64"`
}

// IssueInput records that a delegate received a ballot.
type IssueInput struct {
	DelegateID string `json:"delegate_id" validate:"required,max=64"`
}

// CastInput is a ballot cast with a one-time code.
type CastInput struct {
	Code    string          `json:"code" validate:"required,max=64"`
	Choices []ballot.Choice `json:"choices" validate:"required,max=300"`
}

// CertifyInput is a board member's certification of the tally they saw.
type CertifyInput struct {
	TallyHash string `json:"tally_hash" validate:"required,len=64,hexadecimal"` // either case
}

// ResignationInput records a subject's resignation after the tally.
type ResignationInput struct {
	OfficialID string `json:"official_id" validate:"required,max=64"`
	Date       string `json:"date" validate:"required,date"`
}

// PublishInput publishes the result with the council's resolution.
type PublishInput struct {
	ResolutionNumber string `json:"resolution_number" validate:"required,max=50,nocontrol,resolution_number"`
	AdoptedOn        string `json:"adopted_on" validate:"required,date"`
	PortalPostedOn   string `json:"portal_posted_on,omitempty" validate:"omitempty,date"`
}

// PortalInput records the day the result was posted on the portal.
type PortalInput struct {
	PostedOn string `json:"posted_on" validate:"required,date"`
}

// CancelInput cancels a draft or open vote.
type CancelInput struct {
	Reason string `json:"reason" validate:"required,max=500,nocontrol"`
}

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

// Ballot is what a delegate holding an unspent code sees: the vote and the rows to mark.
type Ballot struct {
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

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

package vote

import (
	"encoding/json"
	"strconv"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/ballot"
	"tinnhiem/internal/civil"
	"tinnhiem/internal/rules"
	"tinnhiem/internal/validate"
)

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
	Venue                 string            `json:"venue,omitempty" validate:"max=200,nocontrol"`
	// BallotMode is "encrypted" or "plain"; SeatTablets that delegates vote on the tablet at their
	// seat, which rules out plain ballots (the device names the voter).
	BallotMode  string `json:"ballot_mode,omitempty" validate:"omitempty,oneof=encrypted plain"`
	SeatTablets bool   `json:"seat_tablets,omitempty"`
	// CastingMode is electronic (the default), paper, or hybrid (either kind, the board handing each
	// delegate a code slip or a paper ballot). A paper vote is counted by the board from the paper:
	// its ballot mode is plain, for there is nothing to encrypt.
	CastingMode string `json:"casting_mode,omitempty" validate:"omitempty,oneof=electronic paper hybrid"`
	// IdempotencyKey comes from the request's Idempotency-Key header: the same key sent again by the
	// same account answers with the draft the first request made.
	IdempotencyKey string `json:"-" validate:"omitempty,min=8,max=100,printascii"`
}

// GroupInput is a ballot group: one printed ballot with its title and its subjects.
type GroupInput struct {
	Title       string   `json:"title" validate:"required,max=300,nocontrol"`
	OfficialIDs []string `json:"official_ids" validate:"required,dive,required,max=64"`
}

// Normalize cleans and validates the input and fills the rule set's defaults.
func (in *Input) Normalize() error {
	in.Title, in.SessionName, in.Venue = validate.Clean(in.Title), validate.Clean(in.SessionName), validate.Clean(in.Venue)
	for i := range in.BallotGroups {
		in.BallotGroups[i].Title = validate.Clean(in.BallotGroups[i].Title)
	}
	if in.RuleSet == "" {
		in.RuleSet = rules.Default
	}
	if in.CastingMode == "" {
		in.CastingMode = CastElectronic
	}
	if in.BallotMode == "" {
		in.BallotMode = DefaultMode
		if in.CastingMode == CastPaper {
			in.BallotMode = ModePlain
		}
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
			fields = append(fields, apperr.Field("official_ids["+strconv.Itoa(i)+"]", "duplicate_subject"))
		}
		seen[id] = true
	}
	if in.BallotMode == ModePlain && in.SeatTablets {
		fields = append(fields, apperr.Field("ballot_mode", "plain_with_seat_tablets"))
	}
	if in.CastingMode == CastPaper && (in.BallotMode == ModeEncrypted || in.SeatTablets) {
		fields = append(fields, apperr.Field("casting_mode", "paper_vote_electronic_options"))
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

// DefaultGroupTitle is the title of a vote's single ballot group: the people elected by the council.
func DefaultGroupTitle(council string) string {
	return "Người giữ chức vụ do " + council + " bầu"
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
			name := "ballot_groups[" + strconv.Itoa(g) + "].official_ids[" + strconv.Itoa(i) + "]"
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
			fields = append(fields, apperr.Field("members["+strconv.Itoa(i)+"].user_id", "duplicate_member"))
		}
		seen[m.UserID] = true
		switch m.BoardRole {
		case BoardHead:
			heads++
		case BoardSecretary:
			secretaries++
		}
	}
	if len(in.Members) < MinBoard {
		fields = append(fields, apperr.Field("members", "board_min_size", "min", MinBoard))
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
	// Anchor is the vote's audit anchor (HASH:COUNT) the member saw beside the tally; it must lie on
	// the vote's chain, and is recorded with the certification.
	Anchor string `json:"anchor,omitempty" validate:"omitempty,max=90"`
	// Statement is an encrypted vote's certification (docs/PROTOCOL.md §12.1), signed with the
	// member's ceremony key over the tally hash, the base and the anchor: required for those votes.
	Statement json.RawMessage `json:"statement,omitempty"`
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

// AbortCeremonyInput stops a running key ceremony, with the reason (the head).
type AbortCeremonyInput struct {
	Reason string `json:"reason" validate:"required,max=500,nocontrol"`
}

// Normalize cleans and validates the input.
func (in *AbortCeremonyInput) Normalize() error {
	in.Reason = validate.Clean(in.Reason)
	return check(in)
}

// AbsentInput records a board member absent from the count.
type AbsentInput struct {
	UserID string `json:"user_id" validate:"required,max=64"`
}

// AccountChange is a change to a board member's account that the head must approve while the vote is
// open or its count uncertified.
type AccountChange string

// Account changes.
const (
	ChangePassword   AccountChange = "password"
	ChangeDeactivate AccountChange = "deactivate"
)

// AccountApprovalInput is the head's approval of one change to a board member's account.
type AccountApprovalInput struct {
	UserID string        `json:"user_id" validate:"required,max=64"`
	Change AccountChange `json:"change" validate:"required,oneof=password deactivate"`
}

// check validates a plain input by its struct tags.
func check(in any) error {
	if fields := validate.Struct(in, ""); len(fields) > 0 {
		return apperr.InvalidFields(fields...)
	}
	return nil
}

// Normalize validates the input.
func (in *CodesInput) Normalize() error { return check(in) }

// Normalize validates the input.
func (in *CodeInput) Normalize() error { return check(in) }

// Normalize validates the input.
func (in *IssueInput) Normalize() error { return check(in) }

// Normalize validates the input.
func (in *CastInput) Normalize() error { return check(in) }

// Normalize validates the input.
func (in *CertifyInput) Normalize() error { return check(in) }

// Normalize validates the input.
func (in *ResignationInput) Normalize() error { return check(in) }

// Normalize validates the input.
func (in *PublishInput) Normalize() error { return check(in) }

// Normalize validates the input.
func (in *PortalInput) Normalize() error { return check(in) }

// Normalize cleans and validates the input.
func (in *CancelInput) Normalize() error {
	in.Reason = validate.Clean(in.Reason)
	return check(in)
}

// Normalize validates the input.
func (in *AbsentInput) Normalize() error { return check(in) }

// Normalize validates the input.
func (in *AccountApprovalInput) Normalize() error { return check(in) }

// DeviceInput names a kiosk registered at the desk.
type DeviceInput struct {
	Name string `json:"name" validate:"required,max=80,nocontrol"`
}

// Normalize cleans and validates the input.
func (in *DeviceInput) Normalize() error {
	in.Name = validate.Clean(in.Name)
	return check(in)
}

// DisplayInput names a projector link ("Màn hình hội trường").
type DisplayInput struct {
	Name string `json:"name" validate:"required,max=80,nocontrol"`
}

// Normalize cleans and validates the input.
func (in *DisplayInput) Normalize() error {
	in.Name = validate.Clean(in.Name)
	return check(in)
}

// DecisionInput records a council decision of the vote's setup, or the standing body's Tờ trình.
type DecisionInput struct {
	Kind   string     `json:"kind" validate:"required,oneof=list_approved board_elected board_confirmed percentage_base submission"`
	Number string     `json:"number" validate:"required,max=60,nocontrol"`
	Date   string     `json:"date" validate:"required,date"`
	Base   rules.Base `json:"base,omitempty" validate:"omitempty,oneof=total_delegates ballots_received"`
	Note   string     `json:"note,omitempty" validate:"max=300,nocontrol"`
}

// Normalize cleans and validates the input: a base decision names its base, no other does.
func (in *DecisionInput) Normalize() error {
	in.Number, in.Note = validate.Clean(in.Number), validate.Clean(in.Note)
	fields := validate.Struct(in, "")
	if (in.Kind == DecisionPercentageBase) != (in.Base != "") {
		fields = append(fields, apperr.Field("base", "base_with_base_decision"))
	}
	if len(fields) > 0 {
		return apperr.InvalidFields(fields...)
	}
	return nil
}

// BaseChangeInput is the council's decision changing the percentage base after the close, entered by
// the board head before any certification.
type BaseChangeInput struct {
	Base   rules.Base `json:"base" validate:"required,oneof=total_delegates ballots_received"`
	Number string     `json:"number" validate:"required,max=60,nocontrol"`
	Date   string     `json:"date" validate:"required,date"`
	Note   string     `json:"note,omitempty" validate:"max=300,nocontrol"`
}

// Normalize cleans and validates the input.
func (in *BaseChangeInput) Normalize() error {
	in.Number, in.Note = validate.Clean(in.Number), validate.Clean(in.Note)
	return check(in)
}

// SignedIssuanceInput is the count of signatures on the signed list of delegates receiving a ballot.
type SignedIssuanceInput struct {
	Count int `json:"count" validate:"gte=0,lte=100000"`
}

// Normalize validates the input.
func (in *SignedIssuanceInput) Normalize() error { return check(in) }

// RecountInput is the council's decision reopening a certified count.
type RecountInput struct {
	Number string `json:"number" validate:"required,max=60,nocontrol"`
	Date   string `json:"date" validate:"required,date"`
	Reason string `json:"reason" validate:"required,max=500,nocontrol"`
}

// Normalize cleans and validates the input.
func (in *RecountInput) Normalize() error {
	in.Number, in.Reason = validate.Clean(in.Number), validate.Clean(in.Reason)
	return check(in)
}

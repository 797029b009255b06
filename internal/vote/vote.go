// Package vote holds the confidence vote's lifecycle types: its status machine, the subjects on the
// ballot, the counting board, and the inputs of each step. It does no I/O.
package vote

import (
	"time"

	"tinnhiem/internal/auth"
	"tinnhiem/internal/civil"
	"tinnhiem/internal/roster"
	"tinnhiem/internal/rules"
	"tinnhiem/internal/tally"
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
	AnnouncedAt           *time.Time        `json:"announced_at,omitempty"`
	// AccountChanges are the head's approvals of password resets and deactivations of board members.
	AccountChanges []AccountChangeRecord `json:"account_changes"`
	// CancelConfirmations are the board members who confirmed the cancellation of a closed vote.
	CancelConfirmations []CancelConfirmation `json:"cancel_confirmations"`
	// WipePending says that the close could not yet remove every trace of the casting order from the
	// database's files (a checkpoint is retried until it succeeds): the board is told.
	WipePending bool `json:"wipe_pending"`
	// BallotMode is encrypted or plain; SeatTablets says the delegates vote on the tablet at their seat
	// (a device that names its voter: never with plain ballots).
	BallotMode  string `json:"ballot_mode"`
	SeatTablets bool   `json:"seat_tablets"`
	// CeremonyID is the board's key ceremony for an encrypted vote; Encryption its public state.
	CeremonyID string      `json:"ceremony_id,omitempty"`
	Encryption *Encryption `json:"encryption,omitempty"`
	// CertificationAnchor is the audit anchor every certification of the count signs: the one the
	// first certification quoted, or, before any, the vote's anchor now (what the next certifier signs).
	CertificationAnchor string `json:"certification_anchor,omitempty"`
	// CastingMode is electronic, paper or hybrid; Paper the paper part of a paper or hybrid vote.
	CastingMode string `json:"casting_mode"`
	Paper       *Paper `json:"paper,omitempty"`
	// AuditAnchor is the vote's own audit chain now, "HASH:COUNT": what a member certifies beside the
	// tally, and what the documents print.
	AuditAnchor string `json:"audit_anchor,omitempty"`
	// Venue is where the session is held (printed in the minutes).
	Venue string `json:"venue,omitempty"`
	// Decisions are the council's decisions in the vote's course, and the standing body's Tờ trình.
	Decisions []Decision `json:"decisions"`
	// SignedIssuance is the count of signatures on the signed list of delegates receiving a ballot,
	// entered by the board; it must equal the ballots issued before the count can be certified.
	SignedIssuance *int `json:"signed_issuance,omitempty"`
	// Superseded are the published resolutions of this vote that a recount replaced.
	Superseded []SupersededResolution `json:"superseded"`
	// Codes are the code slips' figures: printed = issued + voided + unused (unused slips are voided
	// at the close).
	Codes CodeFigures `json:"codes"`
}

// AccountChangeRecord is one approved change to a board member's account, and when the admin used it.
type AccountChangeRecord struct {
	UserID     string     `json:"user_id"`
	FullName   string     `json:"full_name"`
	Change     string     `json:"change"`
	ApprovedAt time.Time  `json:"approved_at"`
	UsedAt     *time.Time `json:"used_at,omitempty"`
}

// Decision kinds.
const (
	DecisionListApproved   = "list_approved"   // the council approves the list of persons rated
	DecisionBoardElected   = "board_elected"   // the council elects the counting board
	DecisionBoardConfirmed = "board_confirmed" // the council confirms the term's counting board
	DecisionPercentageBase = "percentage_base" // the council decides the percentage base
	DecisionSubmission     = "submission"      // the standing body's Tờ trình
	DecisionRecount        = "recount"         // the council orders a recount
)

// Decision is a council's decision (or the standing body's submission) in a vote's course, cited by
// number and date in the documents.
type Decision struct {
	ID         string     `json:"id"`
	Kind       string     `json:"kind"`
	Number     string     `json:"number"`
	Date       civil.Date `json:"date"`
	Base       rules.Base `json:"base,omitempty"`
	Note       string     `json:"note,omitempty"`
	RecordedAt time.Time  `json:"recorded_at"`
}

// SupersededResolution is a published resolution a recount replaced.
type SupersededResolution struct {
	Round            int        `json:"round"`
	ResolutionNumber string     `json:"resolution_number"`
	AdoptedOn        civil.Date `json:"adopted_on"`
	Fingerprint      string     `json:"fingerprint"`
	SupersededAt     time.Time  `json:"superseded_at"`
}

// CancelConfirmation is one board member's confirmation of a closed vote's cancellation.
type CancelConfirmation struct {
	UserID   string `json:"user_id"`
	FullName string `json:"full_name"`
	Reason   string `json:"reason"`
}

// CodeFigures are the code slips' figures the minutes record.
type CodeFigures struct {
	Printed int `json:"printed"`
	Issued  int `json:"issued"`
	Voided  int `json:"voided"`
	Unused  int `json:"unused"`
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
	Absent    bool      `json:"absent"` // recorded absent from the count (named in the minutes)
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

// State is what the role table needs to know of the vote; the store adds what only it knows (the
// day, the quorum, the cancellation confirmations).
func (v Vote) State() State {
	st := State{Status: v.Status, CouncilID: v.CouncilID, Kind: string(v.Kind), VoteDate: v.VoteDate, Board: v.Board,
		Subjects: v.SubjectIDs(), Announced: v.AnnouncedAt != nil, QuorumMet: true,
		Issued: v.Turnout.BallotsIssued, Cast: v.Turnout.BallotsCast, Encrypted: v.BallotMode == ModeEncrypted}
	if e := v.Encryption; e != nil {
		st.Ceremony, st.CeremonyReady, st.Decrypted = e.CeremonyStatus, e.CeremonyReady, e.Decrypted
		st.SharesAvailable, st.Threshold = e.SharesAvailable, e.Threshold
	}
	st.Casting, st.SignedIssuance = v.CastingMode, v.SignedIssuance
	if p := v.Paper; p != nil {
		st.PaperProblems, st.PaperSealed = p.Problems, p.Sealed
	}
	return st
}

// SubjectIDs lists the subjects' official ids in ballot order.
func (v Vote) SubjectIDs() []string {
	out := make([]string, len(v.Subjects))
	for i, s := range v.Subjects {
		out[i] = s.OfficialID
	}
	return out
}

// Device is a kiosk the board registered: its failed code uses are counted apart from everyone else's.
type Device struct {
	ID        string     `json:"id"`
	VoteID    string     `json:"vote_id"`
	Name      string     `json:"name"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// DisplayLink is a read-only link for the hall's projector.
type DisplayLink struct {
	ID        string     `json:"id"`
	CouncilID string     `json:"council_id"`
	Name      string     `json:"name"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// Display is what the projector shows: the council, and its current vote if there is one.
type Display struct {
	Council string       `json:"council"`
	Vote    *DisplayVote `json:"vote,omitempty"`
}

// DisplayVote is the projector's view of a vote: turnout, and the result only once announced.
type DisplayVote struct {
	ID          string        `json:"id"`
	Title       string        `json:"title"`
	SessionName string        `json:"session_name"`
	Kind        rules.Kind    `json:"kind"`
	Status      Status        `json:"status"`
	Turnout     Turnout       `json:"turnout"`
	Announced   bool          `json:"announced"`
	Result      *tally.Result `json:"result,omitempty"`
}

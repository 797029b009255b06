package vote

import (
	"sort"
	"strings"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/civil"
)

// Action is a step someone takes on a vote.
type Action string

// The actions on a vote. Each has one or more rows in Rules: who may take it in which status, and
// the group condition it needs.
const (
	ActCreate           Action = "create"               // draft a vote from the council's approved list
	ActRead             Action = "read"                 // see the vote, its turnout, its documents
	ActTally            Action = "tally"                // see the count
	ActEditDraft        Action = "edit_draft"           // change a draft's list, dates or settings
	ActSetBoard         Action = "set_board"            // name the counting board
	ActGenerateCodes    Action = "generate_codes"       // print ballot code slips
	ActVoidCode         Action = "void_code"            // void a spoiled slip handed back
	ActOpen             Action = "open"                 // open voting (T fixed from the roster)
	ActIssue            Action = "issue"                // record that a delegate received a ballot
	ActWithdrawIssue    Action = "withdraw_issue"       // correct a mistaken issuance
	ActClose            Action = "close"                // close voting (the ballot box is sealed)
	ActMarkAbsent       Action = "mark_absent"          // record a board member absent from the count
	ActCertify          Action = "certify"              // a board member certifies the count they saw
	ActAnnounce         Action = "announce"             // the head announces the certified result to the council
	ActPublish          Action = "publish"              // publish with the council's resolution
	ActPortalPosting    Action = "portal_posting"       // record the day of posting on the portal
	ActResignation      Action = "record_resignation"   // record a rated person's resignation
	ActCancel           Action = "cancel"               // cancel the vote (after the close: a board decision)
	ActApproveAccount   Action = "approve_account"      // the head approves a password reset or deactivation of a board member
	ActRegisterDevice   Action = "register_device"      // register a kiosk at the desk
	ActRecordDecision   Action = "record_decision"      // record a council decision of the setup (list approved, board, base)
	ActRecordSubmission Action = "record_submission"    // record the standing body's Tờ trình
	ActChangeBase       Action = "change_base"          // enter the council's decision changing the base after the close
	ActSignedIssuance   Action = "signed_issuance"      // enter the signed count of the list of delegates receiving a ballot
	ActRecount          Action = "recount"              // reopen the count on the council's decision
	ActFollowUp         Action = "follow_up"            // draft a no-confidence vote from this vote's result
	ActCeremony         Action = "ceremony"             // take part in the key ceremony
	ActAbortCeremony    Action = "abort_ceremony"       // the head stops a running key ceremony so it can start again
	ActCredentials      Action = "register_credentials" // register the public credentials the board's browser made
	ActCheckSums        Action = "check_sums"           // read the cast encrypted ballots, to recompute the sums before decrypting
	ActDecrypt          Action = "decrypt"              // submit a partial decryption
	ActDestroyShare     Action = "destroy_share"        // confirm a key share file was destroyed
	ActPaperFigures     Action = "paper_figures"        // record the paper ballot figures
	ActPaperEntry       Action = "paper_entry"          // enter a batch of paper ballots
	ActPaperSettle      Action = "paper_settle"         // settle a batch whose two entries differ
	ActIssuanceTotals   Action = "issuance_totals"      // record how many paper ballots and code slips were handed out
	ActPaperRead        Action = "paper_read"           // read the board's paper totals and a differing batch's entries
	ActPaperTotals      Action = "paper_totals"         // seal the encrypted paper totals into an encrypted vote's sums
)

// Who names a kind of actor in the role table.
type Who string

// Actors. An account acts on a vote only as one of these; the admin is a system operator and holds
// none of them (it reads, manages accounts and settings).
const (
	Staff       Who = "staff"       // any staff account of the vote's council (and the admin), reading
	Secretariat Who = "secretariat" // the council's secretariat
	Board       Who = "board"       // a member of this vote's counting board
	Head        Who = "board_head"  // the head of this vote's counting board
)

// Rule is one row of the role table: in these statuses, these actors may take the action, when the
// condition holds. An action may have several rows (different actors in different statuses).
type Rule struct {
	Action    Action
	Statuses  []Status
	Who       []Who
	Condition string                   // the group condition in words (the role table prints it)
	check     func(State, Actor) error // the condition, nil for none
}

// Actor is who asks: a staff principal, and the official their account belongs to when it is linked
// to a person on the roster (conflict of interest).
type Actor = auth.Principal

// State is what a decision needs to know of a vote: its status, its board with each member's
// certification and absence, the people on the ballot, and the approvals already given. It is read
// under the vote's row lock, so a decision and the write it allows see the same state.
type State struct {
	Status    Status
	CouncilID string
	Kind      string
	VoteDate  civil.Date
	Today     civil.Date // the council's calendar day now
	Board     []Member
	Subjects  []string // official ids on the ballot
	Announced bool
	QuorumMet bool     // the count can be certified under the rule set's quorum (true without one)
	Cancels   []string // board members who confirmed the cancellation of a closed vote
	Issued    int      // ballots issued
	Cast      int      // ballots cast
	// Encrypted votes: the state of the board's key ceremony ("" before one starts, running,
	// complete, aborted), whether every member reopened their share file, whether the counts are
	// decrypted, and how many members still hold a share against the threshold.
	Encrypted       bool
	Ceremony        string
	CeremonyReady   bool
	Decrypted       bool
	SharesAvailable int
	Threshold       int
	// Casting is the vote's casting mode; PaperProblems what the paper reconciliation still finds
	// (empty once it agrees); PaperSealed that an encrypted vote's paper totals are in its sums.
	Casting       string
	PaperProblems []Problem
	PaperSealed   bool
	// SignedIssuance is the board's count of signatures on the list of delegates receiving a
	// ballot (nil until entered): it must equal Issued before the count is certified.
	SignedIssuance *int
}

// signedIssuance refuses a certification until the signed list's count is entered and equals the
// ballots issued (issue 13 §1b).
func (st State) signedIssuance() error {
	if st.SignedIssuance == nil {
		return ErrSignedMissing
	}
	if *st.SignedIssuance != st.Issued {
		return apperr.New(apperr.Conflict, "signed_issuance_differs").With("signed", *st.SignedIssuance).With("issued", st.Issued)
	}
	return nil
}

// paper reports whether the vote has a paper part.
func (st State) paper() bool { return st.Casting == CastPaper || st.Casting == CastHybrid }

// reconciled returns nil when the vote has no paper part or its reconciliation agrees, else the
// error naming every figure that does not.
func (st State) reconciled() error {
	if !st.paper() || len(st.PaperProblems) == 0 {
		return nil
	}
	fields := make([]apperr.FieldError, len(st.PaperProblems))
	for i, p := range st.PaperProblems {
		var kv []any
		for k, v := range p.Params {
			kv = append(kv, k, v)
		}
		fields[i] = apperr.Field("paper."+p.Field, p.Code, kv...)
	}
	err := apperr.New(apperr.Conflict, "paper_not_reconciled")
	err.Fields = fields
	return err
}

// paperOpen allows a change of the paper part: the vote has one, and no certification, decryption or
// sealed totals have fixed it.
func paperOpen(st State, a Actor) error {
	if !st.paper() {
		return ErrNoPaper
	}
	if st.PaperSealed || st.Decrypted {
		return ErrPaperSealed
	}
	return beforeCertification(st, a)
}

// electronic refuses what only a vote cast electronically needs: codes, kiosks, credentials.
func electronic(st State) error {
	if st.Casting == CastPaper {
		return ErrPaperVote
	}
	return nil
}

// countImpossible reports whether the count can never be certified: the quorum is not met (QĐ 96),
// or fewer members hold a key share than the decryption needs.
func (st State) countImpossible() bool {
	return !st.QuorumMet || (st.Encrypted && st.Ceremony != "" && st.SharesAvailable < st.Threshold)
}

// certifying reports whether a certification has started: the base and the counted figures can no
// longer change.
func (st State) certifying() bool {
	for _, m := range st.Board {
		if m.Certified {
			return true
		}
	}
	return false
}

// Errors of decisions: the reason, typed (kind and message code).
var (
	ErrNotFound         = apperr.New(apperr.NotFound, "vote_not_found")
	ErrNotBoard         = apperr.New(apperr.Forbidden, "not_board_member")
	ErrHeadOnly         = apperr.New(apperr.Forbidden, "board_head_only")
	ErrSecretariatOnly  = apperr.New(apperr.Forbidden, "secretariat_only")
	ErrConflictInterest = apperr.New(apperr.Forbidden, "conflict_of_interest")
	ErrAlreadyCertified = apperr.New(apperr.Conflict, "already_certified")
	ErrQuorum           = apperr.New(apperr.Conflict, "quorum_not_met")
	ErrNotAnnounced     = apperr.New(apperr.Conflict, "not_announced")
	ErrBaseFixed        = apperr.New(apperr.Conflict, "base_change_after_certification")
	ErrAbsentSelf       = apperr.New(apperr.Conflict, "absent_self")
	ErrAlreadyConfirmed = apperr.New(apperr.Conflict, "cancel_already_confirmed")
	ErrBoardFrozen      = apperr.New(apperr.Conflict, "board_frozen_ceremony")
	ErrEncryptedOnly    = apperr.New(apperr.Conflict, "encrypted_vote_only")
	ErrPlainOnly        = apperr.New(apperr.Conflict, "codes_made_in_browser")
	ErrCeremonyNotReady = apperr.New(apperr.Conflict, "ceremony_not_ready")
	ErrNotDecrypted     = apperr.New(apperr.Conflict, "not_decrypted")
	ErrDecrypted        = apperr.New(apperr.Conflict, "already_decrypted")
	ErrNoPaper          = apperr.New(apperr.Conflict, "paper_not_in_vote")
	ErrSignedMissing    = apperr.New(apperr.Conflict, "signed_issuance_missing")
	ErrNotHybrid        = apperr.New(apperr.Conflict, "paper_not_hybrid")
	ErrPaperVote        = apperr.New(apperr.Conflict, "paper_vote_no_codes")
	ErrPaperSealed      = apperr.New(apperr.Conflict, "paper_sealed")
	ErrPaperTotals      = apperr.New(apperr.Conflict, "paper_totals_missing")
)

// WrongStatus is the refusal of an action the vote's status does not allow.
func WrongStatus(s Status) error {
	return apperr.New(apperr.Conflict, "wrong_status").With("status", string(s))
}

var (
	before    = []Status{Draft}
	running   = []Status{Open}
	draftOpen = []Status{Draft, Open}
	counted   = []Status{Closed, Certified, Published}
	notEnded  = []Status{Draft, Open, Closed, Certified, Published}
	allStates = []Status{Draft, Open, Closed, Certified, Published, Cancelled}
)

// Rules is the role table of a vote's lifecycle: the source of docs/SECURITY.md's table (a test
// renders it there). The store applies it under the vote's row lock and decides nothing else.
var Rules = []Rule{
	{Action: ActCreate, Who: []Who{Secretariat}, Condition: "a vote of the council's own; for a no-confidence vote, a recorded trigger"},
	{Action: ActRead, Statuses: allStates, Who: []Who{Staff}},
	{Action: ActTally, Statuses: counted, Who: []Who{Staff}, Condition: "never while the vote is open; a paper part reconciled; an encrypted vote's once the board has decrypted it",
		check: func(st State, _ Actor) error {
			if err := st.reconciled(); err != nil {
				return err
			}
			if st.Encrypted && !st.Decrypted {
				return ErrNotDecrypted
			}
			return nil
		}},
	{Action: ActEditDraft, Statuses: before, Who: []Who{Secretariat}},
	{Action: ActRecordDecision, Statuses: before, Who: []Who{Secretariat}, Condition: "the list approved, the board elected or confirmed, the base: before the vote opens"},
	{Action: ActRecordSubmission, Statuses: []Status{Draft, Open, Closed, Certified}, Who: []Who{Secretariat}},
	{Action: ActSetBoard, Statuses: before, Who: []Who{Secretariat}, Condition: "at least 3 members, one head; frozen once the key ceremony starts (a new board needs a new ceremony) or the vote opens",
		check: func(st State, _ Actor) error {
			if st.Ceremony == "running" || st.Ceremony == "complete" {
				return ErrBoardFrozen
			}
			return nil
		}},
	{Action: ActGenerateCodes, Statuses: draftOpen, Who: []Who{Board}, Condition: "plain votes cast electronically; within T plus the spares",
		check: func(st State, _ Actor) error {
			if err := electronic(st); err != nil {
				return err
			}
			if st.Encrypted {
				return ErrPlainOnly
			}
			return nil
		}},
	{Action: ActCredentials, Statuses: draftOpen, Who: []Who{Board}, Condition: "encrypted votes, after the key ceremony; the list signed by a member; within T plus the spares",
		check: func(st State, _ Actor) error {
			if !st.Encrypted {
				return ErrEncryptedOnly
			}
			if !st.CeremonyReady {
				return ErrCeremonyNotReady
			}
			return nil
		}},
	{Action: ActVoidCode, Statuses: draftOpen, Who: []Who{Board}},
	{Action: ActRegisterDevice, Statuses: draftOpen, Who: []Who{Board}, Condition: "votes cast electronically",
		check: func(st State, _ Actor) error { return electronic(st) }},
	{Action: ActCeremony, Statuses: before, Who: []Who{Board}, Condition: "encrypted votes; each member in their own session",
		check: func(st State, _ Actor) error {
			if !st.Encrypted {
				return ErrEncryptedOnly
			}
			return nil
		}},
	{Action: ActAbortCeremony, Statuses: before, Who: []Who{Head}, Condition: "encrypted votes; a ceremony under way (a member's browser lost its part, say), with the reason; a new one can then start",
		check: func(st State, _ Actor) error {
			if !st.Encrypted {
				return ErrEncryptedOnly
			}
			return nil
		}},
	{Action: ActOpen, Statuses: before, Who: []Who{Head}, Condition: "a board of at least 3 with its head; the vote day has come; an encrypted vote's key ceremony complete, every member having reopened their share file",
		check: func(st State, _ Actor) error {
			if st.Encrypted && !st.CeremonyReady {
				return ErrCeremonyNotReady
			}
			return nil
		}},
	{Action: ActIssue, Statuses: running, Who: []Who{Board}, Condition: "once per delegate in office, never more than T"},
	{Action: ActWithdrawIssue, Statuses: running, Who: []Who{Board}, Condition: "only while issued stays at least cast"},
	{Action: ActIssuanceTotals, Statuses: []Status{Open, Closed}, Who: []Who{Board}, Condition: "hybrid votes, when issuing ends: totals of each kind, never per delegate",
		check: func(st State, a Actor) error {
			if st.Casting != CastHybrid {
				return ErrNotHybrid
			}
			return paperOpen(st, a)
		}},
	{Action: ActApproveAccount, Statuses: []Status{Open, Closed}, Who: []Who{Head}},
	{Action: ActClose, Statuses: running, Who: []Who{Head}},
	{Action: ActPaperFigures, Statuses: []Status{Closed}, Who: []Who{Board}, Condition: "paper and hybrid votes, before certification", check: paperOpen},
	{Action: ActPaperEntry, Statuses: []Status{Closed}, Who: []Who{Board}, Condition: "two different members enter each batch, blind; a third when they differ", check: paperOpen},
	{Action: ActPaperSettle, Statuses: []Status{Closed}, Who: []Who{Head}, Condition: "a batch whose entries differ", check: paperOpen},
	{Action: ActPaperRead, Statuses: []Status{Open, Closed, Certified, Published}, Who: []Who{Board},
		check: func(st State, _ Actor) error {
			if !st.paper() {
				return ErrNoPaper
			}
			return nil
		}},
	{Action: ActPaperTotals, Statuses: []Status{Closed}, Who: []Who{Board}, Condition: "encrypted votes with a paper part, once reconciled: the totals encrypted and signed in a member's browser",
		check: func(st State, _ Actor) error {
			if !st.Encrypted {
				return ErrEncryptedOnly
			}
			if !st.paper() {
				return ErrNoPaper
			}
			if st.PaperSealed || st.Decrypted {
				return ErrPaperSealed
			}
			return st.reconciled()
		}},
	{Action: ActCheckSums, Statuses: counted, Who: []Who{Board}, Condition: "encrypted votes: every cast ballot, the credential lists, the ceremony and the paper totals, from which the member's browser recomputes the sums before it decrypts them",
		check: func(st State, _ Actor) error {
			if !st.Encrypted {
				return ErrEncryptedOnly
			}
			return nil
		}},
	{Action: ActDecrypt, Statuses: []Status{Closed}, Who: []Who{Board}, Condition: "encrypted votes, until decrypted; each member in their own session, with their key share",
		check: func(st State, _ Actor) error {
			if !st.Encrypted {
				return ErrEncryptedOnly
			}
			if st.Decrypted {
				return ErrDecrypted
			}
			if err := st.reconciled(); err != nil {
				return err
			}
			if st.paper() && !st.PaperSealed {
				return ErrPaperTotals
			}
			return nil
		}},
	{Action: ActChangeBase, Statuses: []Status{Closed}, Who: []Who{Head}, Condition: "on the council's decision, before any certification",
		check: func(st State, _ Actor) error {
			if st.certifying() {
				return ErrBaseFixed
			}
			return nil
		}},
	{Action: ActSignedIssuance, Statuses: []Status{Open, Closed}, Who: []Who{Board}, check: beforeCertification},
	{Action: ActMarkAbsent, Statuses: []Status{Closed}, Who: []Who{Board}, Condition: "not oneself; not a member who has certified"},
	{Action: ActCertify, Statuses: []Status{Closed}, Who: []Who{Board},
		Condition: "once each, signing the statement with the ceremony key (encrypted votes, once decrypted); the signed list of delegates receiving a ballot counted and equal to the ballots issued; done when every member present has certified and they are a majority of the board; the quorum met (QĐ 96)",
		check: func(st State, a Actor) error {
			for _, m := range st.Board {
				if m.UserID == a.UserID && m.Certified {
					return ErrAlreadyCertified
				}
			}
			if !st.QuorumMet {
				return ErrQuorum
			}
			if err := st.reconciled(); err != nil {
				return err
			}
			if err := st.signedIssuance(); err != nil {
				return err
			}
			if st.Encrypted && !st.Decrypted {
				return ErrNotDecrypted
			}
			return nil
		}},
	{Action: ActRecount, Statuses: []Status{Certified, Published}, Who: []Who{Head}, Condition: "on the council's decision; certifications are done again"},
	{Action: ActAnnounce, Statuses: []Status{Certified}, Who: []Who{Head}},
	{Action: ActPublish, Statuses: []Status{Certified}, Who: []Who{Secretariat}, Condition: "after the head announced the result",
		check: func(st State, _ Actor) error {
			if !st.Announced {
				return ErrNotAnnounced
			}
			return nil
		}},
	{Action: ActPortalPosting, Statuses: []Status{Published}, Who: []Who{Secretariat}},
	{Action: ActResignation, Statuses: counted, Who: []Who{Secretariat}, Condition: "confidence votes"},
	{Action: ActFollowUp, Statuses: []Status{Certified, Published}, Who: []Who{Secretariat}, Condition: "persons in the middle band who did not resign"},
	{Action: ActDestroyShare, Statuses: []Status{Published, Cancelled}, Who: []Who{Board}},
	{Action: ActCancel, Statuses: before, Who: []Who{Secretariat}},
	{Action: ActCancel, Statuses: running, Who: []Who{Secretariat, Head}},
	{Action: ActCancel, Statuses: []Status{Closed}, Who: []Who{Board},
		Condition: "at once when the count cannot be certified (quorum not met; fewer key shares than the threshold); otherwise when a majority of the board has confirmed, each in their own session",
		check: func(st State, a Actor) error {
			for _, id := range st.Cancels {
				if id == a.UserID {
					return ErrAlreadyConfirmed
				}
			}
			return nil
		}},
}

func beforeCertification(st State, _ Actor) error {
	if st.certifying() {
		return WrongStatus(st.Status)
	}
	return nil
}

// Decide says whether a may take action on a vote in state st: nil, or the reason as a typed error.
// Another council's vote is "not found"; an account linked to a person on the ballot may read the
// vote but not act on it.
func Decide(action Action, st State, a Actor) error {
	if !a.InCouncil(st.CouncilID) {
		return ErrNotFound
	}
	var rows []Rule
	for _, r := range Rules {
		if r.Action == action {
			rows = append(rows, r)
		}
	}
	var allowed *Rule
	for i, r := range rows {
		if hasStatus(r.Statuses, st.Status) {
			allowed = &rows[i]
			break
		}
	}
	if allowed == nil {
		if len(rows) > 0 && !mayEver(rows, st, a) {
			return refusal(rows[0].Who)
		}
		return WrongStatus(st.Status)
	}
	if !st.is(a, allowed.Who) {
		return refusal(allowed.Who)
	}
	if action != ActRead && action != ActTally && st.conflicted(a) {
		return ErrConflictInterest
	}
	if allowed.check != nil {
		return allowed.check(st, a)
	}
	return nil
}

// DecideCreate says whether a may draft a vote for the council (there is no vote yet to decide on).
func DecideCreate(councilID string, a Actor) error {
	st := State{CouncilID: councilID}
	if !a.InCouncil(councilID) {
		return apperr.New(apperr.NotFound, "council_not_found")
	}
	for _, r := range Rules {
		if r.Action == ActCreate && !st.is(a, r.Who) {
			return refusal(r.Who)
		}
	}
	return nil
}

// DecideDisplay says whether a may make, list or revoke the council's projector links: its
// secretariat, or a board account of the council.
func DecideDisplay(councilID string, a Actor) error {
	if !a.InCouncil(councilID) {
		return apperr.New(apperr.NotFound, "council_not_found")
	}
	if a.CouncilID == councilID && (a.Role == auth.RoleSecretariat || a.Role == auth.RoleBoard) {
		return nil
	}
	return auth.ErrForbidden
}

// mayEver reports whether a is one of the actors of any row of the action (so that a caller who may
// never take it hears "forbidden" rather than "wrong status").
func mayEver(rows []Rule, st State, a Actor) bool {
	for _, r := range rows {
		if st.is(a, r.Who) {
			return true
		}
	}
	return false
}

func refusal(who []Who) error {
	switch {
	case hasWho(who, Secretariat) && !hasWho(who, Board) && !hasWho(who, Head):
		return ErrSecretariatOnly
	case hasWho(who, Head) && !hasWho(who, Board):
		return ErrHeadOnly
	case hasWho(who, Board):
		return ErrNotBoard
	}
	return auth.ErrForbidden
}

// is reports whether a is one of who on this vote.
func (st State) is(a Actor, who []Who) bool {
	for _, w := range who {
		switch w {
		case Staff:
			return true // visibility was checked already
		case Secretariat:
			if a.Role == auth.RoleSecretariat && a.CouncilID == st.CouncilID {
				return true
			}
		case Board:
			if _, ok := st.member(a.UserID); ok {
				return true
			}
		case Head:
			if m, ok := st.member(a.UserID); ok && m.BoardRole == BoardHead {
				return true
			}
		}
	}
	return false
}

func (st State) member(userID string) (Member, bool) {
	for _, m := range st.Board {
		if m.UserID == userID {
			return m, true
		}
	}
	return Member{}, false
}

func (st State) conflicted(a Actor) bool {
	if a.OfficialID == "" {
		return false
	}
	for _, id := range st.Subjects {
		if id == a.OfficialID {
			return true
		}
	}
	return false
}

func hasStatus(ss []Status, s Status) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func hasWho(ws []Who, w Who) bool {
	for _, x := range ws {
		if x == w {
			return true
		}
	}
	return false
}

// Certification is the outcome of the certifications given so far: whether the count is certified
// (every member present certified and they are a majority of the board), and who is absent.
type Certification struct {
	Done      bool
	Certified int
	Absent    []string // user ids
	Missing   []string // present members who have not certified yet
}

// Certifications applies the certification rule to a board: done when every member not recorded
// absent has certified and the certified are a strict majority of the whole board.
func Certifications(board []Member) Certification {
	var c Certification
	for _, m := range board {
		switch {
		case m.Certified:
			c.Certified++
		case m.Absent:
			c.Absent = append(c.Absent, m.UserID)
		default:
			c.Missing = append(c.Missing, m.UserID)
		}
	}
	c.Done = len(c.Missing) == 0 && 2*c.Certified > len(board)
	return c
}

// CancelDone reports whether the confirmations given cancel a closed vote: a strict majority of the
// board, or any one member when the count cannot be certified.
func CancelDone(st State, confirmations int) bool {
	return st.countImpossible() || 2*confirmations > len(st.Board)
}

// MinBoard is the hard floor on the size of a counting board (our decision, rules.md §4).
const MinBoard = 3

// RoleTable renders the role table as Markdown, one row per rule, for docs/SECURITY.md.
func RoleTable() string {
	var b strings.Builder
	b.WriteString("| Action | Statuses | Who | Condition |\n|---|---|---|---|\n")
	rows := append([]Rule(nil), Rules...)
	sort.SliceStable(rows, func(i, j int) bool { return order(rows[i].Action) < order(rows[j].Action) })
	for _, r := range rows {
		ss := make([]string, len(r.Statuses))
		for i, s := range r.Statuses {
			ss[i] = string(s)
		}
		if len(ss) == 0 {
			ss = []string{"—"}
		}
		ws := make([]string, len(r.Who))
		for i, w := range r.Who {
			ws[i] = string(w)
		}
		cond := r.Condition
		if cond == "" {
			cond = "—"
		}
		b.WriteString("| `" + string(r.Action) + "` | " + strings.Join(ss, ", ") + " | " + strings.Join(ws, ", ") + " | " + cond + " |\n")
	}
	return b.String()
}

func order(a Action) int {
	for i, r := range Rules {
		if r.Action == a {
			return i
		}
	}
	return len(Rules)
}

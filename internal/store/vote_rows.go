package store

import (
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/civil"
	"tinnhiem/internal/rules"
	"tinnhiem/internal/vote"
)

// The vote's rows and their mapping to the domain. The ballot side (codes, ballots, receipts) is in
// ballotside.go.

type voteRow struct {
	ID                    string `gorm:"primaryKey"`
	CouncilID             string
	Kind                  string
	Title                 string
	SessionName           string
	SessionOpensOn        string
	VoteDate              string
	RuleSet               string
	PercentageBase        string
	ExcludeSeriousIllness bool
	Status                string
	CancelReason          *string
	TriggerJSON           *string `gorm:"column:trigger_json"`
	Preparation           string
	Warnings              string
	Exclusions            string
	BallotGroups          string
	CodeKey               string // unused since codes are hashed unkeyed; emptied at the close
	TotalDelegates        *int
	CodeLimit             *int
	BallotsIssued         int
	BallotsCast           int
	CodesGenerated        int
	CodesVoided           int
	BallotsHash           *string
	Tally                 *string
	TallyHash             *string
	ResolutionNumber      *string
	AdoptedOn             *string
	PortalPostedOn        *string
	CreatedAt             time.Time
	OpenedAt              *time.Time
	ClosedAt              *time.Time
	CertifiedAt           *time.Time
	PublishedAt           *time.Time
	AnnouncedAt           *time.Time
	ResolutionFingerprint *string
	WipePending           bool
	Venue                 *string
	SignedIssuance        *int
	BallotMode            string
	SeatTablets           bool
	CeremonyID            *string
	Manifest              *string
	Sums                  *string
	Counts                *string
	CastingMode           string
	FrontendHash          *string
}

func (voteRow) TableName() string { return "votes" }

type subjectRow struct {
	VoteID      string `gorm:"primaryKey"`
	OfficialID  string `gorm:"primaryKey"`
	Ord         int
	BallotGroup int
	FullName    string
	Positions   string
	ResignedOn  *string
}

func (subjectRow) TableName() string { return "vote_subjects" }

type boardRow struct {
	VoteID    string `gorm:"primaryKey"`
	UserID    string `gorm:"primaryKey"`
	BoardRole string
	Absent    bool
}

func (boardRow) TableName() string { return "vote_board" }

type certificationRow struct {
	VoteID      string `gorm:"primaryKey"`
	UserID      string `gorm:"primaryKey"`
	TallyHash   string
	CertifiedAt time.Time
	Anchor      *string
	Statement   *string // an encrypted vote's signed certification statement
}

func (certificationRow) TableName() string { return "certifications" }

type cancelRow struct {
	VoteID      string `gorm:"primaryKey"`
	UserID      string `gorm:"primaryKey"`
	Reason      string
	ConfirmedAt time.Time
}

func (cancelRow) TableName() string { return "cancel_confirmations" }

type issuanceRow struct {
	VoteID     string `gorm:"primaryKey"`
	DelegateID string `gorm:"primaryKey"`
}

func (issuanceRow) TableName() string { return "issuances" }

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only plain values of this package's own types are encoded
	}
	return string(b)
}

// unmarshalColumn decodes a JSON column the store itself wrote; a failure means the row was altered
// outside the application.
func unmarshalColumn(raw, column string, dst any) error {
	if err := json.Unmarshal([]byte(raw), dst); err != nil {
		return fmt.Errorf("store: votes.%s does not hold what the application wrote: %w", column, err)
	}
	return nil
}

// toDomain assembles a vote from its rows.
func (r voteRow) toDomain(subjects []subjectRow, board []vote.Member) (vote.Vote, error) {
	v := vote.Vote{ID: r.ID, CouncilID: r.CouncilID, Kind: rules.Kind(r.Kind), Title: r.Title, SessionName: r.SessionName,
		RuleSet: r.RuleSet, PercentageBase: rules.Base(r.PercentageBase), ExcludeSeriousIllness: r.ExcludeSeriousIllness,
		Status: vote.Status(r.Status), CancelReason: deref(r.CancelReason), BallotsHash: deref(r.BallotsHash),
		TallyHash: deref(r.TallyHash), ResolutionNumber: deref(r.ResolutionNumber), AdoptedOn: datePtr(r.AdoptedOn),
		ResolutionFingerprint: deref(r.ResolutionFingerprint), PortalPostedOn: datePtr(r.PortalPostedOn),
		CreatedAt: r.CreatedAt.UTC(), OpenedAt: utc(r.OpenedAt), ClosedAt: utc(r.ClosedAt), CertifiedAt: utc(r.CertifiedAt),
		PublishedAt: utc(r.PublishedAt), AnnouncedAt: utc(r.AnnouncedAt), WipePending: r.WipePending, Board: board,
		Venue: deref(r.Venue), SignedIssuance: r.SignedIssuance, BallotMode: r.BallotMode, SeatTablets: r.SeatTablets, CeremonyID: deref(r.CeremonyID),
		CastingMode: r.CastingMode,
		Subjects:    []vote.Subject{}, Exclusions: []rules.Exclusion{}, Warnings: []rules.Warning{},
		CancelConfirmations: []vote.CancelConfirmation{}}
	var err error
	if v.SessionOpensOn, err = civil.Parse(r.SessionOpensOn); err != nil {
		return v, err
	}
	if v.VoteDate, err = civil.Parse(r.VoteDate); err != nil {
		return v, err
	}
	if r.TriggerJSON != nil {
		v.Trigger = &rules.Trigger{}
		if err := unmarshalColumn(*r.TriggerJSON, "trigger_json", v.Trigger); err != nil {
			return v, err
		}
	}
	for _, c := range []struct {
		raw, name string
		dst       any
	}{{r.Preparation, "preparation", &v.Preparation}, {r.Warnings, "warnings", &v.Warnings},
		{r.Exclusions, "exclusions", &v.Exclusions}, {r.BallotGroups, "ballot_groups", &v.BallotGroups}} {
		if err := unmarshalColumn(c.raw, c.name, c.dst); err != nil {
			return v, err
		}
	}
	v.Deadlines = rules.Deadlines(v.SessionOpensOn, v.Preparation)
	for _, s := range subjects {
		sub := vote.Subject{OfficialID: s.OfficialID, FullName: s.FullName, BallotGroup: s.BallotGroup, ResignedOn: datePtr(s.ResignedOn)}
		if err := unmarshalColumn(s.Positions, "vote_subjects.positions", &sub.Positions); err != nil {
			return v, err
		}
		v.Subjects = append(v.Subjects, sub)
	}
	v.Turnout = r.turnout()
	v.Codes = r.codeFigures()
	return v, nil
}

func (r voteRow) turnout() vote.Turnout {
	t := vote.Turnout{Status: vote.Status(r.Status), BallotsIssued: r.BallotsIssued, BallotsCast: r.BallotsCast,
		CodesGenerated: r.CodesGenerated, CodesVoided: r.CodesVoided}
	if r.TotalDelegates != nil {
		t.TotalDelegates = *r.TotalDelegates
	}
	return t
}

// codeFigures are the slips' figures: printed = issued + voided + unused.
func (r voteRow) codeFigures() vote.CodeFigures {
	return vote.CodeFigures{Printed: r.CodesGenerated, Issued: r.BallotsIssued, Voided: r.CodesVoided,
		Unused: max(0, r.CodesGenerated-r.BallotsIssued-r.CodesVoided)}
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// loadVote reads a vote with its subjects, board and cancellation confirmations. With lock, the vote
// row is locked for the rest of the transaction (PostgreSQL: FOR UPDATE; SQLite's immediate
// transactions hold the write lock already): every use case that changes a vote locks its row first,
// one fixed order.
func (s *Store) loadVote(tx *gorm.DB, id string, lock bool) (vote.Vote, voteRow, error) {
	var row voteRow
	q := "SELECT * FROM votes WHERE id = ?"
	if lock {
		q += s.forUpdate()
	}
	if err := tx.Raw(q, id).Scan(&row).Error; err != nil {
		return vote.Vote{}, row, err
	}
	if row.ID == "" {
		return vote.Vote{}, row, vote.ErrNotFound
	}
	var subjects []subjectRow
	if err := tx.Where("vote_id = ?", id).Order("ord").Find(&subjects).Error; err != nil {
		return vote.Vote{}, row, err
	}
	board, err := loadBoard(tx, id)
	if err != nil {
		return vote.Vote{}, row, err
	}
	v, err := row.toDomain(subjects, board)
	if err != nil {
		return v, row, err
	}
	if v.CancelConfirmations, err = loadCancels(tx, id); err != nil {
		return v, row, err
	}
	if v.AccountChanges, err = loadAccountChanges(tx, id); err != nil {
		return v, row, err
	}
	if v.Decisions, err = loadDecisions(tx, id); err != nil {
		return v, row, err
	}
	if v.Superseded, err = loadSuperseded(tx, id); err != nil {
		return v, row, err
	}
	anchor, err := voteAnchor(tx, id)
	if err != nil {
		return v, row, err
	}
	if anchor.Count > 0 {
		v.AuditAnchor = anchor.String()
	}
	if v.CertificationAnchor, err = certificationAnchor(tx, id); err != nil {
		return v, row, err
	}
	if v.CertificationAnchor == "" && v.Status == vote.Closed {
		v.CertificationAnchor = v.AuditAnchor
	}
	if v.BallotMode == vote.ModeEncrypted {
		if err = s.loadEncryption(tx, &v, row); err != nil {
			return v, row, err
		}
	}
	if v.CastingMode != vote.CastElectronic {
		v.Paper, err = loadPaper(tx, v, row)
	}
	return v, row, err
}

func loadBoard(tx *gorm.DB, voteID string) ([]vote.Member, error) {
	type memberRow struct {
		UserID    string
		FullName  string
		Username  string
		BoardRole string
		Absent    bool
		Certified bool
	}
	var rows []memberRow
	err := tx.Raw(`SELECT b.user_id, u.full_name, u.username, b.board_role, b.absent,
		EXISTS (SELECT 1 FROM certifications c WHERE c.vote_id = b.vote_id AND c.user_id = b.user_id) AS certified
		FROM vote_board b JOIN users u ON u.id = b.user_id WHERE b.vote_id = ?
		ORDER BY CASE b.board_role WHEN 'head' THEN 0 WHEN 'secretary' THEN 1 ELSE 2 END, u.full_name`, voteID).Scan(&rows).Error
	out := make([]vote.Member, len(rows))
	for i, r := range rows {
		out[i] = vote.Member{UserID: r.UserID, FullName: r.FullName, Username: r.Username, BoardRole: vote.BoardRole(r.BoardRole),
			Certified: r.Certified, Absent: r.Absent}
	}
	return out, err
}

func loadCancels(tx *gorm.DB, voteID string) ([]vote.CancelConfirmation, error) {
	var rows []vote.CancelConfirmation
	err := tx.Raw(`SELECT c.user_id, u.full_name, c.reason FROM cancel_confirmations c JOIN users u ON u.id = c.user_id
		WHERE c.vote_id = ? ORDER BY c.confirmed_at, u.full_name`, voteID).Scan(&rows).Error
	if rows == nil {
		rows = []vote.CancelConfirmation{}
	}
	return rows, err
}

// voteOrNotFound maps "no such vote" for readers.
func voteOrNotFound(err error) error {
	if apperr.IsKind(err, apperr.NotFound) {
		return vote.ErrNotFound
	}
	return dbErr(err)
}

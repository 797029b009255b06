package store

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"time"

	"gorm.io/gorm"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/audit"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/ballot"
	"tinnhiem/internal/civil"
	"tinnhiem/internal/roster"
	"tinnhiem/internal/rules"
	"tinnhiem/internal/tally"
	"tinnhiem/internal/vote"
)

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
	CodeKey               string
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
	ResolutionFingerprint *string
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
}

func (boardRow) TableName() string { return "vote_board" }

type certificationRow struct {
	VoteID      string `gorm:"primaryKey"`
	UserID      string `gorm:"primaryKey"`
	TallyHash   string
	CertifiedAt time.Time
}

func (certificationRow) TableName() string { return "certifications" }

type issuanceRow struct {
	VoteID     string `gorm:"primaryKey"`
	DelegateID string `gorm:"primaryKey"`
}

func (issuanceRow) TableName() string { return "issuances" }

type codeRow struct {
	VoteID        string `gorm:"primaryKey"`
	CodeHash      string `gorm:"primaryKey"`
	State         string
	RetryTag      *string
	SealedReceipt *string
}

func (codeRow) TableName() string { return "ballot_codes" }

type ballotRow struct {
	VoteID string `gorm:"primaryKey"`
	ID     string `gorm:"primaryKey"`
	Marks  string
	Valid  bool
}

func (ballotRow) TableName() string { return "ballots" }

type receiptRow struct {
	VoteID  string `gorm:"primaryKey"`
	Receipt string `gorm:"primaryKey"`
}

func (receiptRow) TableName() string { return "receipts" }

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func (r voteRow) key() []byte {
	k, _ := hex.DecodeString(r.CodeKey)
	return k
}

// toDomain assembles a vote from its rows.
func (r voteRow) toDomain(subjects []subjectRow, board []vote.Member) vote.Vote {
	v := vote.Vote{ID: r.ID, CouncilID: r.CouncilID, Kind: rules.Kind(r.Kind), Title: r.Title, SessionName: r.SessionName,
		RuleSet: r.RuleSet, PercentageBase: rules.Base(r.PercentageBase), ExcludeSeriousIllness: r.ExcludeSeriousIllness,
		Status: vote.Status(r.Status), CancelReason: deref(r.CancelReason), BallotsHash: deref(r.BallotsHash),
		TallyHash: deref(r.TallyHash), ResolutionNumber: deref(r.ResolutionNumber), AdoptedOn: datePtr(r.AdoptedOn),
		ResolutionFingerprint: deref(r.ResolutionFingerprint),
		PortalPostedOn:        datePtr(r.PortalPostedOn), CreatedAt: r.CreatedAt.UTC(), OpenedAt: utc(r.OpenedAt), ClosedAt: utc(r.ClosedAt),
		CertifiedAt: utc(r.CertifiedAt), PublishedAt: utc(r.PublishedAt), Board: board,
		Subjects: []vote.Subject{}, Exclusions: []rules.Exclusion{}, Warnings: []rules.Warning{}}
	v.SessionOpensOn, _ = civil.Parse(r.SessionOpensOn)
	v.VoteDate, _ = civil.Parse(r.VoteDate)
	if r.TriggerJSON != nil {
		var t rules.Trigger
		if json.Unmarshal([]byte(*r.TriggerJSON), &t) == nil {
			v.Trigger = &t
		}
	}
	_ = json.Unmarshal([]byte(r.Preparation), &v.Preparation)
	_ = json.Unmarshal([]byte(r.Warnings), &v.Warnings)
	_ = json.Unmarshal([]byte(r.Exclusions), &v.Exclusions)
	_ = json.Unmarshal([]byte(r.BallotGroups), &v.BallotGroups)
	v.Deadlines = rules.Deadlines(v.SessionOpensOn, v.Preparation)
	for _, s := range subjects {
		sub := vote.Subject{OfficialID: s.OfficialID, FullName: s.FullName, BallotGroup: s.BallotGroup, ResignedOn: datePtr(s.ResignedOn)}
		_ = json.Unmarshal([]byte(s.Positions), &sub.Positions)
		v.Subjects = append(v.Subjects, sub)
	}
	v.Turnout = r.turnout()
	return v
}

func (r voteRow) turnout() vote.Turnout {
	t := vote.Turnout{Status: vote.Status(r.Status), BallotsIssued: r.BallotsIssued, BallotsCast: r.BallotsCast,
		CodesGenerated: r.CodesGenerated, CodesVoided: r.CodesVoided}
	if r.TotalDelegates != nil {
		t.TotalDelegates = *r.TotalDelegates
	}
	return t
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// loadVote reads a vote with its subjects and board. With lock, the vote row is locked for the rest
// of the transaction (PostgreSQL: FOR UPDATE; SQLite's immediate transactions hold the write lock
// already): every use case that changes a vote locks its row first, one fixed order.
func (s *Store) loadVote(tx *gorm.DB, id string, lock bool) (vote.Vote, voteRow, error) {
	var row voteRow
	q := tx
	if lock && s.dialect == Postgres {
		q = q.Raw("SELECT * FROM votes WHERE id = ? FOR UPDATE", id)
		if err := q.Scan(&row).Error; err != nil {
			return vote.Vote{}, row, err
		}
		if row.ID == "" {
			return vote.Vote{}, row, apperr.New(apperr.NotFound, "vote_not_found")
		}
	} else if err := q.Where("id = ?", id).Take(&row).Error; err != nil {
		return vote.Vote{}, row, notFound(err, "vote_not_found")
	}
	var subjects []subjectRow
	if err := tx.Where("vote_id = ?", id).Order("ord").Find(&subjects).Error; err != nil {
		return vote.Vote{}, row, err
	}
	board, err := loadBoard(tx, id)
	if err != nil {
		return vote.Vote{}, row, err
	}
	return row.toDomain(subjects, board), row, nil
}

func loadBoard(tx *gorm.DB, voteID string) ([]vote.Member, error) {
	type memberRow struct {
		UserID    string
		FullName  string
		Username  string
		BoardRole string
		Certified bool
	}
	var rows []memberRow
	err := tx.Raw(`SELECT b.user_id, u.full_name, u.username, b.board_role,
		EXISTS (SELECT 1 FROM certifications c WHERE c.vote_id = b.vote_id AND c.user_id = b.user_id) AS certified
		FROM vote_board b JOIN users u ON u.id = b.user_id WHERE b.vote_id = ?
		ORDER BY CASE b.board_role WHEN 'head' THEN 0 WHEN 'secretary' THEN 1 ELSE 2 END, u.full_name`, voteID).Scan(&rows).Error
	out := make([]vote.Member, len(rows))
	for i, r := range rows {
		out[i] = vote.Member{UserID: r.UserID, FullName: r.FullName, Username: r.Username, BoardRole: vote.BoardRole(r.BoardRole), Certified: r.Certified}
	}
	return out, err
}

// onVote runs fn in one transaction on a vote whose row it locks first (one lock order for every
// use case that changes a vote), once may allows the caller and the vote is in one of statuses.
func (s *Store) onVote(ctx context.Context, id string, may func(vote.Vote) error, statuses []vote.Status,
	fn func(tx *gorm.DB, v vote.Vote, row voteRow) error) error {
	return s.transact(ctx, func(tx *gorm.DB) error {
		v, row, err := s.loadVote(tx, id, true)
		if err != nil {
			return err
		}
		if err := may(v); err != nil {
			return err
		}
		if err := v.RequireStatus(statuses...); err != nil {
			return err
		}
		return fn(tx, v, row)
	})
}

func statuses(ss ...vote.Status) []vote.Status { return ss }

// readVote loads a vote for a reader: any staff of its council.
func (s *Store) readVote(ctx context.Context, p auth.Principal, id string) (vote.Vote, voteRow, error) {
	v, row, err := s.loadVote(s.db.WithContext(ctx), id, false)
	if err != nil {
		return v, row, dbErr(err)
	}
	if err := p.CanReadCouncil(v.CouncilID); err != nil {
		return vote.Vote{}, voteRow{}, apperr.New(apperr.NotFound, "vote_not_found")
	}
	return v, row, nil
}

// GetVote returns a vote its council's staff may see.
func (s *Store) GetVote(ctx context.Context, p auth.Principal, id string) (vote.Vote, error) {
	v, _, err := s.readVote(ctx, p, id)
	return v, err
}

// ListVotes lists a council's votes, newest first.
func (s *Store) ListVotes(ctx context.Context, p auth.Principal, councilID string) ([]vote.Vote, error) {
	if err := p.CanReadCouncil(councilID); err != nil {
		return nil, err
	}
	db := s.db.WithContext(ctx)
	if err := requireCouncil(db, councilID); err != nil {
		return nil, dbErr(err)
	}
	var rows []voteRow
	if err := db.Where("council_id = ?", councilID).Order("vote_date DESC, created_at DESC").Find(&rows).Error; err != nil {
		return nil, dbErr(err)
	}
	out := make([]vote.Vote, 0, len(rows))
	for _, r := range rows {
		v, _, err := s.loadVote(db, r.ID, false)
		if err != nil {
			return nil, dbErr(err)
		}
		out = append(out, v)
	}
	return out, nil
}

// CreateVote drafts a vote from chosen officials: eligibility under the rule set (exclusions listed
// with their reason), warnings, ballot groups, and for a no-confidence vote its checked trigger.
func (s *Store) CreateVote(ctx context.Context, p auth.Principal, councilID string, in vote.Input) (vote.Vote, error) {
	if err := p.CanManageRoster(councilID); err != nil {
		return vote.Vote{}, err
	}
	if err := in.Normalize(); err != nil {
		return vote.Vote{}, err
	}
	rs, _ := rules.Get(in.RuleSet)
	opens, _ := civil.Parse(in.SessionOpensOn)
	day, _ := civil.Parse(in.VoteDate)
	var out vote.Vote
	err := s.transact(ctx, func(tx *gorm.DB) error {
		var crow councilRow
		if err := tx.Where("id = ?", councilID).Take(&crow).Error; err != nil {
			return notFound(err, "council_not_found")
		}
		council := crow.toDomain()
		officials, err := loadOfficials(tx, councilID, in.OfficialIDs, false)
		if err != nil {
			return err
		}
		found := map[string]bool{}
		for _, o := range officials {
			found[o.ID] = true
		}
		var fields []apperr.FieldError
		for i, id := range in.OfficialIDs {
			if !found[id] {
				fields = append(fields, apperr.Field("official_ids["+itoa(i)+"]", "official_inactive"))
			}
		}
		if len(fields) > 0 {
			return apperr.InvalidFields(fields...)
		}
		subjects, exclusions := rules.Eligibility(rules.EligibilityInput{RuleSet: rs, Kind: in.Kind, VoteDate: day,
			SessionOpensOn: opens, ExcludeIllness: in.ExcludeSeriousIllness}, officials)
		if len(subjects) == 0 {
			return apperr.InvalidFields(apperr.Field("official_ids", "no_subjects"))
		}
		if in.Kind == rules.NoConfidence {
			if err := s.checkTrigger(tx, council, in, subjects, day); err != nil {
				return err
			}
		}
		ids := make([]string, len(subjects))
		for i, sub := range subjects {
			ids[i] = sub.OfficialID
		}
		titles, groupOf, err := vote.Groups(in.BallotGroups, ids, in.OfficialIDs, "Người giữ chức vụ do "+council.Name+" bầu")
		if err != nil {
			return err
		}
		warnings := rules.Warnings(rules.VoteContext{RuleSet: rs, Council: council, VoteDate: day, SessionOpensOn: opens, Preparation: in.Preparation})
		row := voteRow{ID: newID(), CouncilID: councilID, Kind: string(in.Kind), Title: in.Title, SessionName: in.SessionName,
			SessionOpensOn: opens.String(), VoteDate: day.String(), RuleSet: rs.ID, PercentageBase: string(in.PercentageBase),
			ExcludeSeriousIllness: in.ExcludeSeriousIllness, Status: string(vote.Draft), Preparation: mustJSON(in.Preparation),
			Warnings: mustJSON(nonNil(warnings)), Exclusions: mustJSON(nonNilExcl(exclusions)), BallotGroups: mustJSON(titles),
			CodeKey: hex.EncodeToString(ballot.NewVoteKey()), CreatedAt: s.clock()}
		if in.Trigger != nil {
			t := mustJSON(in.Trigger)
			row.TriggerJSON = &t
		}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		// Ballot order: by group, then protocol order within the group.
		srows := make([]subjectRow, 0, len(subjects))
		for g := range titles {
			for _, sub := range subjects {
				if groupOf[sub.OfficialID] == g {
					srows = append(srows, subjectRow{VoteID: row.ID, OfficialID: sub.OfficialID, Ord: len(srows), BallotGroup: g,
						FullName: sub.FullName, Positions: mustJSON(sub.Positions)})
				}
			}
		}
		if err := tx.Create(&srows).Error; err != nil {
			return err
		}
		v, _, err := s.loadVote(tx, row.ID, false)
		if err != nil {
			return err
		}
		out = v
		summary := map[string]any{"title": v.Title, "kind": v.Kind, "rule_set": v.RuleSet, "percentage_base": v.PercentageBase,
			"vote_date": v.VoteDate.String(), "subjects": v.SubjectIDs(), "exclusions": exclusions}
		if in.Trigger != nil {
			summary["trigger"] = in.Trigger
		}
		return s.appendAudit(tx, p, audit.Entry{Action: "vote.create", ObjectType: "vote", ObjectID: row.ID, CouncilID: councilID,
			VoteID: row.ID, Summary: summary})
	})
	return out, err
}

func nonNil(w []rules.Warning) []rules.Warning {
	if w == nil {
		return []rules.Warning{}
	}
	return w
}

func nonNilExcl(e []rules.Exclusion) []rules.Exclusion {
	if e == nil {
		return []rules.Exclusion{}
	}
	return e
}

// checkTrigger validates a no-confidence vote's trigger (rules.md §8). For a confidence result, each
// subject must be in the source vote's middle band and not have resigned.
func (s *Store) checkTrigger(tx *gorm.DB, council roster.Council, in vote.Input, subjects []rules.Subject, day civil.Date) error {
	total, err := countInOffice(tx, council.ID, day)
	if err != nil {
		return err
	}
	if fields := rules.CheckTrigger(council.Body, in.Trigger, total); len(fields) > 0 {
		return apperr.InvalidFields(fields...)
	}
	if in.Trigger.Type != rules.TriggerConfidenceResult {
		return nil
	}
	src, srow, err := s.loadVote(tx, in.Trigger.SourceVoteID, false)
	if err != nil || src.CouncilID != council.ID || src.Kind != rules.Confidence || (src.Status != vote.Certified && src.Status != vote.Published) {
		return apperr.InvalidFields(apperr.Field("trigger.source_vote_id", "source_vote_invalid"))
	}
	res, err := s.tallyOf(tx, src, srow)
	if err != nil {
		return err
	}
	due := map[string]bool{}
	for _, id := range res.NoConfidenceDue {
		due[id] = true
	}
	var fields []apperr.FieldError
	for i, id := range in.OfficialIDs { // named by their place in the request
		if !due[id] {
			fields = append(fields, apperr.Field("official_ids["+itoa(i)+"]", "not_due_no_confidence"))
		}
	}
	if len(fields) > 0 {
		return apperr.InvalidFields(fields...)
	}
	return nil
}

// SetBoard sets the counting board: board users of the council, one head. It may be changed until the
// first certification (a member taken ill must not leave a closed vote stuck); every change is audited.
func (s *Store) SetBoard(ctx context.Context, p auth.Principal, id string, in vote.BoardInput) (vote.Vote, error) {
	if err := in.Normalize(); err != nil {
		return vote.Vote{}, err
	}
	var out vote.Vote
	err := s.onVote(ctx, id, func(v vote.Vote) error { return v.CanSecretariat(p) }, statuses(vote.Draft, vote.Open, vote.Closed), func(tx *gorm.DB, v vote.Vote, row voteRow) error {
		for _, m := range v.Board {
			if m.Certified {
				return apperr.New(apperr.Conflict, "board_certifying")
			}
		}
		var fields []apperr.FieldError
		var members []rules.BoardMember
		rows := make([]boardRow, len(in.Members))
		for i, m := range in.Members {
			var u userRow
			err := tx.Where("id = ?", m.UserID).Take(&u).Error
			if err != nil || u.Role != string(auth.RoleBoard) || deref(u.CouncilID) != v.CouncilID || !u.Active {
				fields = append(fields, apperr.Field("members["+itoa(i)+"].user_id", "board_user_invalid"))
				continue
			}
			rows[i] = boardRow{VoteID: id, UserID: m.UserID, BoardRole: string(m.BoardRole)}
			members = append(members, rules.BoardMember{FullName: u.FullName, Role: string(m.BoardRole)})
		}
		if len(fields) > 0 {
			return apperr.InvalidFields(fields...)
		}
		if err := tx.Where("vote_id = ?", id).Delete(&boardRow{}).Error; err != nil {
			return err
		}
		if err := tx.Create(&rows).Error; err != nil {
			return err
		}
		warnings, err := s.setupWarnings(tx, v, members)
		if err != nil {
			return err
		}
		if err := tx.Model(&voteRow{}).Where("id = ?", id).Update("warnings", mustJSON(warnings)).Error; err != nil {
			return err
		}
		out, _, err = s.loadVote(tx, id, false)
		if err != nil {
			return err
		}
		return s.appendAudit(tx, p, audit.Entry{Action: "vote.board", ObjectType: "vote", ObjectID: id, CouncilID: v.CouncilID, VoteID: id,
			Summary: map[string]any{"members": in.Members}})
	})
	return out, err
}

// setupWarnings recomputes a draft's warnings: timing and scope, and the board's.
func (s *Store) setupWarnings(tx *gorm.DB, v vote.Vote, board []rules.BoardMember) ([]rules.Warning, error) {
	var crow councilRow
	if err := tx.Where("id = ?", v.CouncilID).Take(&crow).Error; err != nil {
		return nil, err
	}
	rs, _ := rules.Get(v.RuleSet)
	w := rules.Warnings(rules.VoteContext{RuleSet: rs, Council: crow.toDomain(), VoteDate: v.VoteDate, SessionOpensOn: v.SessionOpensOn, Preparation: v.Preparation})
	subjects := make([]rules.Subject, len(v.Subjects))
	for i, sub := range v.Subjects {
		subjects[i] = rules.Subject{OfficialID: sub.OfficialID, FullName: sub.FullName}
	}
	return nonNil(append(w, rules.BoardWarnings(roster.Level(crow.Level), board, subjects)...)), nil
}

// OpenVote opens a draft (board head or secretariat): T is fixed from the roster on the vote date.
func (s *Store) OpenVote(ctx context.Context, p auth.Principal, id string) (vote.Vote, error) {
	var out vote.Vote
	err := s.onVote(ctx, id, func(v vote.Vote) error { return v.CanRun(p) }, statuses(vote.Draft), func(tx *gorm.DB, v vote.Vote, row voteRow) error {
		hasHead := false
		for _, m := range v.Board {
			hasHead = hasHead || m.BoardRole == vote.BoardHead
		}
		if !hasHead {
			return apperr.New(apperr.Conflict, "board_required")
		}
		if today := civil.Of(s.now().In(s.loc)); today.Before(v.VoteDate) {
			return apperr.New(apperr.Conflict, "vote_date_future").With("date", v.VoteDate.String())
		}
		total, err := countInOffice(tx, v.CouncilID, v.VoteDate)
		if err != nil {
			return err
		}
		if total == 0 {
			return apperr.New(apperr.Conflict, "no_delegates")
		}
		limit := max(total+s.codeSpares, row.CodesGenerated)
		now := s.clock()
		if err := tx.Model(&voteRow{}).Where("id = ?", id).Updates(map[string]any{"status": string(vote.Open),
			"total_delegates": total, "code_limit": limit, "opened_at": now}).Error; err != nil {
			return err
		}
		out, _, err = s.loadVote(tx, id, false)
		if err != nil {
			return err
		}
		return s.appendAudit(tx, p, audit.Entry{Action: "vote.open", ObjectType: "vote", ObjectID: id, CouncilID: v.CouncilID, VoteID: id,
			Summary: map[string]any{"total_delegates": total, "code_limit": limit}})
	})
	s.casts.invalidate() // after the commit: the next cast sees the vote open
	return out, err
}

// CancelVote cancels a draft, open or closed (never certified) vote, with the reason (secretariat): a
// closed vote that cannot be certified, under QĐ 96 without its quorum, must not be stuck. The
// ballots of a cancelled vote are never counted: they, their receipts and the codes' retry data are
// deleted, and the database scrubbed, so nothing of them remains to be linked to anyone.
func (s *Store) CancelVote(ctx context.Context, p auth.Principal, id string, in vote.CancelInput) (vote.Vote, error) {
	out, err := s.transition(ctx, p, id, func(tx *gorm.DB, v vote.Vote) (map[string]any, map[string]any, error) {
		if err := v.CanSecretariat(p); err != nil {
			return nil, nil, err
		}
		if err := v.RequireStatus(vote.Draft, vote.Open, vote.Closed); err != nil {
			return nil, nil, err
		}
		res := tx.Where("vote_id = ?", v.ID).Delete(&ballotRow{})
		if res.Error != nil {
			return nil, nil, res.Error
		}
		if err := tx.Where("vote_id = ?", v.ID).Delete(&receiptRow{}).Error; err != nil {
			return nil, nil, err
		}
		if err := tx.Model(&codeRow{}).Where("vote_id = ?", v.ID).Updates(map[string]any{"retry_tag": nil, "sealed_receipt": nil}).Error; err != nil {
			return nil, nil, err
		}
		return map[string]any{"status": string(vote.Cancelled), "cancel_reason": in.Reason},
			map[string]any{"reason": in.Reason, "from": v.Status, "ballots_discarded": res.RowsAffected}, nil
	}, "vote.cancel")
	s.casts.invalidate()
	if err == nil {
		s.scrub(ctx)
	}
	return out, err
}

// transition runs a simple status change: lock the vote, let decide check it and name the columns to
// set and the audit summary, write, audit.
func (s *Store) transition(ctx context.Context, p auth.Principal, id string,
	decide func(tx *gorm.DB, v vote.Vote) (set, summary map[string]any, err error), action string) (vote.Vote, error) {
	var out vote.Vote
	err := s.transact(ctx, func(tx *gorm.DB) error {
		v, _, err := s.loadVote(tx, id, true)
		if err != nil {
			return err
		}
		set, summary, err := decide(tx, v)
		if err != nil {
			return err
		}
		if err := tx.Model(&voteRow{}).Where("id = ?", id).Updates(set).Error; err != nil {
			return err
		}
		out, _, err = s.loadVote(tx, id, false)
		if err != nil {
			return err
		}
		return s.appendAudit(tx, p, audit.Entry{Action: action, ObjectType: "vote", ObjectID: id, CouncilID: v.CouncilID, VoteID: id, Summary: summary})
	})
	return out, err
}

// Turnout returns the counts of a vote (its council's staff).
func (s *Store) Turnout(ctx context.Context, p auth.Principal, id string) (vote.Turnout, error) {
	var row voteRow
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return vote.Turnout{}, notFound(err, "vote_not_found")
	}
	if err := p.CanReadCouncil(row.CouncilID); err != nil {
		return vote.Turnout{}, apperr.New(apperr.NotFound, "vote_not_found")
	}
	return row.turnout(), nil
}

// tallyOf returns a tallied vote's result: the frozen certified tally, or one counted now from the
// ballots; either way annotated with the resignations recorded since.
func (s *Store) tallyOf(tx *gorm.DB, v vote.Vote, row voteRow) (tally.Result, error) {
	var r tally.Result
	if row.Tally != nil {
		if err := json.Unmarshal([]byte(*row.Tally), &r); err != nil {
			return r, err
		}
	} else {
		var err error
		if r, err = s.countBallots(tx, v, row); err != nil {
			return r, err
		}
	}
	resigned := map[string]bool{}
	for _, sub := range v.Subjects {
		resigned[sub.OfficialID] = sub.ResignedOn != nil
	}
	tally.Annotate(&r, resigned)
	return r, nil
}

// countBallots counts a vote's ballots, streaming them from the database.
func (s *Store) countBallots(tx *gorm.DB, v vote.Vote, row voteRow) (tally.Result, error) {
	rs, _ := rules.Get(v.RuleSet)
	subjects := make([]tally.Subject, len(v.Subjects))
	for i, sub := range v.Subjects {
		subjects[i] = tally.Subject{OfficialID: sub.OfficialID, FullName: sub.FullName, Positions: sub.Positions}
	}
	body, err := councilBody(tx, v.CouncilID)
	if err != nil {
		return tally.Result{}, err
	}
	in := tally.Input{Kind: v.Kind, RuleSet: rs, Base: v.PercentageBase, TotalDelegates: row.turnout().TotalDelegates,
		BallotsIssued: row.BallotsIssued, Subjects: subjects, Body: body}
	c := tally.NewCounter(in)
	rows, err := tx.Model(&ballotRow{}).Select("marks, valid").Where("vote_id = ?", v.ID).Rows()
	if err != nil {
		return tally.Result{}, err
	}
	defer rows.Close()
	var marks string
	var valid bool
	for rows.Next() {
		if err := rows.Scan(&marks, &valid); err != nil {
			return tally.Result{}, err
		}
		c.Add(marks, valid)
	}
	if err := rows.Err(); err != nil {
		return tally.Result{}, err
	}
	return c.Result()
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

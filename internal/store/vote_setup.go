package store

import (
	"context"
	"encoding/hex"
	"strconv"

	"gorm.io/gorm"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/ballot"
	"tinnhiem/internal/civil"
	"tinnhiem/internal/roster"
	"tinnhiem/internal/rules"
	"tinnhiem/internal/vote"
)

// GetVote returns a vote its council's staff may see.
func (s *Store) GetVote(ctx context.Context, p auth.Principal, id string) (vote.Vote, error) {
	v, _, err := s.readVote(ctx, p, id, vote.ActRead)
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
	var ids []string
	if err := db.Model(&voteRow{}).Where("council_id = ?", councilID).Order("vote_date DESC, created_at DESC").Pluck("id", &ids).Error; err != nil {
		return nil, dbErr(err)
	}
	out := make([]vote.Vote, 0, len(ids))
	for _, id := range ids {
		v, _, err := s.loadVote(db, id, false)
		if err != nil {
			return nil, dbErr(err)
		}
		out = append(out, v)
	}
	return out, nil
}

// draftPlan is what a draft is made of: its subjects in ballot order (with their groups), the
// exclusions with their reasons, the group titles and the timing warnings.
type draftPlan struct {
	rs         rules.RuleSet
	opens, day civil.Date
	subjects   []subjectRow // VoteID left empty
	exclusions []rules.Exclusion
	titles     []string
	warnings   []rules.Warning
}

// plan works out a draft from its input: eligibility under the rule set, the trigger of a
// no-confidence vote, the ballot groups and the warnings.
func (s *Store) plan(tx *gorm.DB, councilID string, in vote.Input) (draftPlan, error) {
	var p draftPlan
	var ok bool
	if p.rs, ok = rules.Get(in.RuleSet); !ok { // Normalize fills in a known rule set: a caller skipped it
		return p, apperr.InvalidFields(apperr.Field("rule_set", "one_of", "values", "NQ96_2023, NQ85_2014, QD96_2023"))
	}
	var err error
	if p.opens, err = civil.Parse(in.SessionOpensOn); err != nil {
		return p, apperr.InvalidFields(apperr.Field("session_opens_on", "invalid_date"))
	}
	if p.day, err = civil.Parse(in.VoteDate); err != nil {
		return p, apperr.InvalidFields(apperr.Field("vote_date", "invalid_date"))
	}
	var crow councilRow
	if err := tx.Where("id = ?", councilID).Take(&crow).Error; err != nil {
		return p, notFound(err, "council_not_found")
	}
	council := crow.toDomain()
	officials, err := loadOfficials(tx, councilID, in.OfficialIDs, false)
	if err != nil {
		return p, err
	}
	found := map[string]bool{}
	for _, o := range officials {
		found[o.ID] = true
	}
	var fields []apperr.FieldError
	for i, id := range in.OfficialIDs {
		if !found[id] {
			fields = append(fields, apperr.Field("official_ids["+strconv.Itoa(i)+"]", "official_inactive"))
		}
	}
	if len(fields) > 0 {
		return p, apperr.InvalidFields(fields...)
	}
	subjects, exclusions := rules.Eligibility(rules.EligibilityInput{RuleSet: p.rs, Kind: in.Kind, VoteDate: p.day,
		SessionOpensOn: p.opens, ExcludeIllness: in.ExcludeSeriousIllness}, officials)
	if len(subjects) == 0 {
		return p, apperr.InvalidFields(apperr.Field("official_ids", "no_subjects"))
	}
	if in.Kind == rules.NoConfidence {
		if err := s.checkTrigger(tx, council, in, p.day); err != nil {
			return p, err
		}
	}
	ids := make([]string, len(subjects))
	for i, sub := range subjects {
		ids[i] = sub.OfficialID
	}
	titles, groupOf, err := vote.Groups(in.BallotGroups, ids, in.OfficialIDs, vote.DefaultGroupTitle(council.Name))
	if err != nil {
		return p, err
	}
	// Ballot order: by group, then protocol order within the group.
	for g := range titles {
		for _, sub := range subjects {
			if groupOf[sub.OfficialID] == g {
				p.subjects = append(p.subjects, subjectRow{OfficialID: sub.OfficialID, Ord: len(p.subjects), BallotGroup: g,
					FullName: sub.FullName, Positions: mustJSON(sub.Positions)})
			}
		}
	}
	p.exclusions, p.titles = nonNil(exclusions), titles
	p.warnings = nonNil(rules.Warnings(rules.VoteContext{RuleSet: p.rs, Council: council, VoteDate: p.day, SessionOpensOn: p.opens, Preparation: in.Preparation}))
	return p, nil
}

// draftColumns are the vote row's columns a draft's input sets.
var draftColumns = []string{"kind", "title", "session_name", "session_opens_on", "vote_date", "rule_set", "percentage_base",
	"exclude_serious_illness", "preparation", "warnings", "exclusions", "ballot_groups", "trigger_json", "venue", "ballot_mode", "seat_tablets", "casting_mode"}

// row is the vote row of the draft (its draftColumns).
func (p draftPlan) row(in vote.Input) voteRow {
	r := voteRow{Kind: string(in.Kind), Title: in.Title, SessionName: in.SessionName, SessionOpensOn: p.opens.String(),
		VoteDate: p.day.String(), RuleSet: p.rs.ID, PercentageBase: string(in.PercentageBase), ExcludeSeriousIllness: in.ExcludeSeriousIllness,
		Preparation: mustJSON(in.Preparation), Warnings: mustJSON(p.warnings), Exclusions: mustJSON(p.exclusions), BallotGroups: mustJSON(p.titles),
		Venue: nullable(in.Venue), BallotMode: in.BallotMode, SeatTablets: in.SeatTablets,
		CastingMode: in.CastingMode}
	if in.Trigger != nil {
		t := mustJSON(in.Trigger)
		r.TriggerJSON = &t
	}
	return r
}

func (p draftPlan) subjectRows(voteID string) []subjectRow {
	out := append([]subjectRow(nil), p.subjects...)
	for i := range out {
		out[i].VoteID = voteID
	}
	return out
}

func (p draftPlan) summary(in vote.Input, v vote.Vote) map[string]any {
	out := map[string]any{"title": v.Title, "kind": v.Kind, "rule_set": v.RuleSet, "percentage_base": v.PercentageBase,
		"vote_date": v.VoteDate.String(), "subjects": v.SubjectIDs(), "exclusions": p.exclusions}
	if in.Trigger != nil {
		out["trigger"] = in.Trigger
	}
	return out
}

// CreateVote drafts a vote from chosen officials (the council's secretariat): eligibility under the
// rule set (exclusions listed with their reason), warnings, ballot groups, and for a no-confidence vote
// its checked trigger. The vote's ballot side is created with it (ballotside.go). Sent again with the
// same idempotency key by the same account, it answers with the draft the first request made.
func (s *Store) CreateVote(ctx context.Context, p auth.Principal, councilID string, in vote.Input) (vote.Vote, error) {
	if err := vote.DecideCreate(councilID, p); err != nil {
		return vote.Vote{}, err
	}
	if v, ok, err := s.idempotent(ctx, p, in.IdempotencyKey); ok || err != nil {
		return v, err
	}
	var out vote.Vote
	err := s.transact(ctx, func(tx *gorm.DB) error {
		plan, err := s.plan(tx, councilID, in)
		if err != nil {
			return err
		}
		id := newID()
		row := plan.row(in)
		row.ID, row.CouncilID, row.Status, row.CreatedAt = id, councilID, string(vote.Draft), s.clock()
		row.CodeKey = hex.EncodeToString(ballot.NewVoteKey())
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		if err := tx.Create(plan.subjectRows(id)).Error; err != nil {
			return err
		}
		if err := s.createBallotSide(tx, id); err != nil {
			return err
		}
		if in.IdempotencyKey != "" {
			if err := tx.Exec("INSERT INTO idempotency_keys (user_id, key, object_id, created_at) VALUES (?, ?, ?, ?)",
				p.UserID, in.IdempotencyKey, id, s.clock()).Error; err != nil {
				return err
			}
		}
		if out, _, err = s.loadVote(tx, id, false); err != nil {
			return err
		}
		return s.auditVote(tx, p, out, "vote.create", plan.summary(in, out))
	})
	if isConflict(err) && in.IdempotencyKey != "" { // the same request, made twice at once
		if v, ok, e := s.idempotent(ctx, p, in.IdempotencyKey); ok || e != nil {
			return v, e
		}
	}
	return out, err
}

// idempotent returns the vote a request with this key already made, if any.
func (s *Store) idempotent(ctx context.Context, p auth.Principal, key string) (vote.Vote, bool, error) {
	if key == "" {
		return vote.Vote{}, false, nil
	}
	var ids []string
	if err := s.db.WithContext(ctx).Raw("SELECT object_id FROM idempotency_keys WHERE user_id = ? AND key = ?", p.UserID, key).Scan(&ids).Error; err != nil {
		return vote.Vote{}, false, dbErr(err)
	}
	if len(ids) == 0 {
		return vote.Vote{}, false, nil
	}
	v, err := s.GetVote(ctx, p, ids[0])
	return v, true, err
}

// EditDraft changes a draft (its secretariat): the list, dates and settings are worked out again as
// for a new draft; the board and the codes printed stay.
func (s *Store) EditDraft(ctx context.Context, p auth.Principal, id string, in vote.Input) (vote.Vote, error) {
	return s.actVote(ctx, p, id, vote.ActEditDraft, func(tx *gorm.DB, v vote.Vote, vr voteRow) error {
		// Codes made, or a key ceremony begun, belong to one ballot mode: changing it would strand them.
		changed := in.BallotMode != vr.BallotMode || (in.CastingMode == vote.CastPaper) != (vr.CastingMode == vote.CastPaper)
		if changed && (vr.CodesGenerated > 0 || vr.CeremonyID != nil) {
			return apperr.InvalidFields(apperr.Field("ballot_mode", "ballot_mode_fixed"))
		}
		plan, err := s.plan(tx, v.CouncilID, in)
		if err != nil {
			return err
		}
		row := plan.row(in)
		if err := tx.Model(&voteRow{}).Where("id = ?", id).Select(draftColumns).Updates(&row).Error; err != nil {
			return err
		}
		if err := tx.Where("vote_id = ?", id).Delete(&subjectRow{}).Error; err != nil {
			return err
		}
		if err := tx.Create(plan.subjectRows(id)).Error; err != nil {
			return err
		}
		edited, _, err := s.loadVote(tx, id, false)
		if err != nil {
			return err
		}
		board := make([]rules.BoardMember, len(edited.Board))
		for i, m := range edited.Board {
			board[i] = rules.BoardMember{FullName: m.FullName, Role: string(m.BoardRole)}
		}
		warnings, err := s.setupWarnings(tx, edited, board)
		if err != nil {
			return err
		}
		if err := setVote(tx, id, map[string]any{"warnings": mustJSON(warnings)}); err != nil {
			return err
		}
		return s.auditVote(tx, p, v, "vote.edit", plan.summary(in, edited))
	})
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

// checkTrigger validates a no-confidence vote's trigger (rules.md §8). For a confidence result, each
// subject must be in the source vote's middle band and not have resigned.
func (s *Store) checkTrigger(tx *gorm.DB, council roster.Council, in vote.Input, day civil.Date) error {
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
			fields = append(fields, apperr.Field("official_ids["+strconv.Itoa(i)+"]", "not_due_no_confidence"))
		}
	}
	if len(fields) > 0 {
		return apperr.InvalidFields(fields...)
	}
	return nil
}

// SetBoard names the counting board (secretariat, while the vote is a draft): board users of the
// council, at least three, one head. The board is frozen once the vote opens.
func (s *Store) SetBoard(ctx context.Context, p auth.Principal, id string, in vote.BoardInput) (vote.Vote, error) {
	return s.actVote(ctx, p, id, vote.ActSetBoard, func(tx *gorm.DB, v vote.Vote, _ voteRow) error {
		var fields []apperr.FieldError
		var members []rules.BoardMember
		rows := make([]boardRow, len(in.Members))
		for i, m := range in.Members {
			var u userRow
			err := tx.Where("id = ?", m.UserID).Take(&u).Error
			if err != nil || u.Role != string(auth.RoleBoard) || deref(u.CouncilID) != v.CouncilID || !u.Active {
				fields = append(fields, apperr.Field("members["+strconv.Itoa(i)+"].user_id", "board_user_invalid"))
				continue
			}
			rows[i] = boardRow{VoteID: id, UserID: m.UserID, BoardRole: string(m.BoardRole)}
			members = append(members, rules.BoardMember{FullName: u.FullName, Role: string(m.BoardRole), OfficialID: deref(u.OfficialID)})
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
		if err := setVote(tx, id, map[string]any{"warnings": mustJSON(warnings)}); err != nil {
			return err
		}
		return s.auditVote(tx, p, v, "vote.board", map[string]any{"members": in.Members})
	})
}

// setupWarnings recomputes a draft's warnings: timing and scope, and the board's.
func (s *Store) setupWarnings(tx *gorm.DB, v vote.Vote, board []rules.BoardMember) ([]rules.Warning, error) {
	var crow councilRow
	if err := tx.Where("id = ?", v.CouncilID).Take(&crow).Error; err != nil {
		return nil, err
	}
	rs, _ := rules.Get(v.RuleSet) // a stored vote's rule set is one the rules know
	w := rules.Warnings(rules.VoteContext{RuleSet: rs, Council: crow.toDomain(), VoteDate: v.VoteDate, SessionOpensOn: v.SessionOpensOn, Preparation: v.Preparation})
	subjects := make([]rules.Subject, len(v.Subjects))
	for i, sub := range v.Subjects {
		subjects[i] = rules.Subject{OfficialID: sub.OfficialID, FullName: sub.FullName}
	}
	return nonNil(append(w, rules.BoardWarnings(roster.Level(crow.Level), board, subjects)...)), nil
}

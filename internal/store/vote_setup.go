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

// CreateVote drafts a vote from chosen officials (the council's secretariat): eligibility under the
// rule set (exclusions listed with their reason), warnings, ballot groups, and for a no-confidence vote
// its checked trigger. The vote's ballot side is created with it (ballotside.go).
func (s *Store) CreateVote(ctx context.Context, p auth.Principal, councilID string, in vote.Input) (vote.Vote, error) {
	if err := vote.DecideCreate(councilID, p); err != nil {
		return vote.Vote{}, err
	}
	rs, ok := rules.Get(in.RuleSet)
	if !ok { // Normalize fills in a known rule set: a caller skipped it
		return vote.Vote{}, apperr.InvalidFields(apperr.Field("rule_set", "one_of", "values", "NQ96_2023, NQ85_2014, QD96_2023"))
	}
	opens, err := civil.Parse(in.SessionOpensOn)
	if err != nil {
		return vote.Vote{}, apperr.InvalidFields(apperr.Field("session_opens_on", "invalid_date"))
	}
	day, err := civil.Parse(in.VoteDate)
	if err != nil {
		return vote.Vote{}, apperr.InvalidFields(apperr.Field("vote_date", "invalid_date"))
	}
	var out vote.Vote
	err = s.transact(ctx, func(tx *gorm.DB) error {
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
				fields = append(fields, apperr.Field("official_ids["+strconv.Itoa(i)+"]", "official_inactive"))
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
			if err := s.checkTrigger(tx, council, in, day); err != nil {
				return err
			}
		}
		ids := make([]string, len(subjects))
		for i, sub := range subjects {
			ids[i] = sub.OfficialID
		}
		titles, groupOf, err := vote.Groups(in.BallotGroups, ids, in.OfficialIDs, vote.DefaultGroupTitle(council.Name))
		if err != nil {
			return err
		}
		warnings := rules.Warnings(rules.VoteContext{RuleSet: rs, Council: council, VoteDate: day, SessionOpensOn: opens, Preparation: in.Preparation})
		row := voteRow{ID: newID(), CouncilID: councilID, Kind: string(in.Kind), Title: in.Title, SessionName: in.SessionName,
			SessionOpensOn: opens.String(), VoteDate: day.String(), RuleSet: rs.ID, PercentageBase: string(in.PercentageBase),
			ExcludeSeriousIllness: in.ExcludeSeriousIllness, Status: string(vote.Draft), Preparation: mustJSON(in.Preparation),
			Warnings: mustJSON(nonNil(warnings)), Exclusions: mustJSON(nonNil(exclusions)), BallotGroups: mustJSON(titles),
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
		if err := s.createBallotSide(tx, row.ID); err != nil {
			return err
		}
		if out, _, err = s.loadVote(tx, row.ID, false); err != nil {
			return err
		}
		summary := map[string]any{"title": out.Title, "kind": out.Kind, "rule_set": out.RuleSet, "percentage_base": out.PercentageBase,
			"vote_date": out.VoteDate.String(), "subjects": out.SubjectIDs(), "exclusions": exclusions}
		if in.Trigger != nil {
			summary["trigger"] = in.Trigger
		}
		return s.auditVote(tx, p, out, "vote.create", summary)
	})
	return out, err
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

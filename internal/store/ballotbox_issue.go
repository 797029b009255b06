package store

import (
	"context"

	"gorm.io/gorm"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/audit"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/vote"
)

// The ballot box, part two: who received a ballot (attendance). The record names the delegate and
// nothing else: no code, no time (the audit log has the time).

// IssueBallot records that a delegate received a ballot: once per delegate, a delegate of the council
// in office on the vote date, never more than T.
func (s *Store) IssueBallot(ctx context.Context, p auth.Principal, id string, in vote.IssueInput) (vote.Turnout, error) {
	var out vote.Turnout
	err := s.act(ctx, p, id, vote.ActIssue, func(tx *gorm.DB, v vote.Vote, row voteRow) error {
		var d delegateRow
		if err := tx.Where("id = ? AND council_id = ?", in.DelegateID, v.CouncilID).Take(&d).Error; err != nil || !d.toDomain().InOffice(v.VoteDate) {
			return apperr.InvalidFields(apperr.Field("delegate_id", "delegate_not_in_office"))
		}
		var n int64
		if err := tx.Model(&issuanceRow{}).Where("vote_id = ? AND delegate_id = ?", id, in.DelegateID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return apperr.New(apperr.Conflict, "already_issued")
		}
		if row.BallotsIssued >= row.turnout().TotalDelegates {
			return apperr.New(apperr.Conflict, "all_issued")
		}
		if err := tx.Create(&issuanceRow{VoteID: id, DelegateID: in.DelegateID}).Error; err != nil {
			if isUnique(err) {
				return apperr.New(apperr.Conflict, "already_issued")
			}
			return err
		}
		if err := setVote(tx, id, map[string]any{"ballots_issued": gorm.Expr("ballots_issued + 1")}); err != nil {
			return err
		}
		out = row.turnout()
		out.BallotsIssued++
		return s.appendAudit(tx, p, audit.Entry{Action: "vote.issue", ObjectType: "delegate", ObjectID: d.ID, CouncilID: v.CouncilID, VoteID: id,
			Summary: map[string]any{"delegate": d.FullName, "code": d.Code, "ballots_issued": out.BallotsIssued}})
	})
	return out, err
}

// ListIssuances returns the delegates who received a ballot (for the board's attendance list).
func (s *Store) ListIssuances(ctx context.Context, p auth.Principal, id string) ([]string, error) {
	if _, _, err := s.readVote(ctx, p, id, vote.ActRead); err != nil {
		return nil, err
	}
	var ids []string
	if err := s.db.WithContext(ctx).Model(&issuanceRow{}).Where("vote_id = ?", id).Order("delegate_id").Pluck("delegate_id", &ids).Error; err != nil {
		return nil, dbErr(err)
	}
	return nonNil(ids), nil
}

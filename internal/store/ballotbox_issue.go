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

// WithdrawIssuance corrects a mistaken issuance while the vote is open: the delegate is taken off the
// list, as long as the ballots issued stay at least the ballots cast.
func (s *Store) WithdrawIssuance(ctx context.Context, p auth.Principal, id, delegateID string) (vote.Turnout, error) {
	var out vote.Turnout
	err := s.act(ctx, p, id, vote.ActWithdrawIssue, func(tx *gorm.DB, v vote.Vote, row voteRow) error {
		d, err := s.issuedTo(tx, v, delegateID)
		if err != nil {
			return err
		}
		if row.BallotsIssued-1 < row.BallotsCast {
			return apperr.New(apperr.Conflict, "withdraw_below_cast").With("issued", row.BallotsIssued).With("cast", row.BallotsCast)
		}
		if err := tx.Where("vote_id = ? AND delegate_id = ?", id, delegateID).Delete(&issuanceRow{}).Error; err != nil {
			return err
		}
		if err := setVote(tx, id, map[string]any{"ballots_issued": gorm.Expr("ballots_issued - 1")}); err != nil {
			return err
		}
		out = row.turnout()
		out.BallotsIssued--
		return s.appendAuditOf(tx, p, v, "vote.issue_withdraw", "delegate", d.ID,
			map[string]any{"delegate": d.FullName, "code": d.Code, "ballots_issued": out.BallotsIssued})
	})
	return out, err
}

// SwapIssuance corrects an issuance recorded against the wrong delegate while the vote is open: the
// ballot is recorded as handed to the other delegate instead (the count does not change).
func (s *Store) SwapIssuance(ctx context.Context, p auth.Principal, id, delegateID string, in vote.IssueInput) (vote.Turnout, error) {
	var out vote.Turnout
	err := s.act(ctx, p, id, vote.ActWithdrawIssue, func(tx *gorm.DB, v vote.Vote, row voteRow) error {
		from, err := s.issuedTo(tx, v, delegateID)
		if err != nil {
			return err
		}
		var to delegateRow
		if err := tx.Where("id = ? AND council_id = ?", in.DelegateID, v.CouncilID).Take(&to).Error; err != nil || !to.toDomain().InOffice(v.VoteDate) {
			return apperr.InvalidFields(apperr.Field("delegate_id", "delegate_not_in_office"))
		}
		if err := tx.Where("vote_id = ? AND delegate_id = ?", id, delegateID).Delete(&issuanceRow{}).Error; err != nil {
			return err
		}
		if err := tx.Create(&issuanceRow{VoteID: id, DelegateID: in.DelegateID}).Error; err != nil {
			if isUnique(err) {
				return apperr.New(apperr.Conflict, "already_issued")
			}
			return err
		}
		out = row.turnout()
		return s.appendAuditOf(tx, p, v, "vote.issue_swap", "delegate", to.ID,
			map[string]any{"from": from.FullName, "from_code": from.Code, "to": to.FullName, "to_code": to.Code})
	})
	return out, err
}

// issuedTo returns a delegate of the vote's council who was issued a ballot.
func (s *Store) issuedTo(tx *gorm.DB, v vote.Vote, delegateID string) (delegateRow, error) {
	var d delegateRow
	if err := tx.Where("id = ? AND council_id = ?", delegateID, v.CouncilID).Take(&d).Error; err != nil {
		return d, notFound(err, "delegate_not_found")
	}
	var n int64
	if err := tx.Model(&issuanceRow{}).Where("vote_id = ? AND delegate_id = ?", v.ID, delegateID).Count(&n).Error; err != nil {
		return d, err
	}
	if n == 0 {
		return d, apperr.New(apperr.Conflict, "not_issued")
	}
	return d, nil
}

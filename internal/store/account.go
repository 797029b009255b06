package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/vote"
)

// While a vote is open or its count uncertified, the admin may reset a board member's password or
// deactivate the account only with the board head's approval: an operator must not be able to take
// over a board member's session, or silence one, unseen. Each approval is used once, within an hour,
// and shown on the board's console.

type accountApprovalRow struct {
	ID         string `gorm:"primaryKey"`
	VoteID     string
	UserID     string
	Change     string
	ApprovedBy string
	ApprovedAt time.Time
	UsedAt     *time.Time
}

func (accountApprovalRow) TableName() string { return "account_approvals" }

// approvalLifetime is how long a head's approval waits for the admin's change.
const approvalLifetime = time.Hour

// ApproveAccountChange records the board head's approval of one change to a board member's account.
func (s *Store) ApproveAccountChange(ctx context.Context, p auth.Principal, id string, in vote.AccountApprovalInput) (vote.Vote, error) {
	return s.actVote(ctx, p, id, vote.ActApproveAccount, func(tx *gorm.DB, v vote.Vote, _ voteRow) error {
		if _, ok := v.IsBoard(auth.Principal{UserID: in.UserID}); !ok {
			return apperr.InvalidFields(apperr.Field("user_id", "not_board_member"))
		}
		row := accountApprovalRow{ID: newID(), VoteID: id, UserID: in.UserID, Change: string(in.Change), ApprovedBy: p.UserID, ApprovedAt: s.clock()}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		return s.auditVote(tx, p, v, "vote.account_approval", map[string]any{"user_id": in.UserID, "change": in.Change})
	})
}

// useAccountApprovals lets the admin's change to an account through when the account sits on no
// running board, or when each such board's head approved this very change; the approvals are used up.
func (s *Store) useAccountApprovals(tx *gorm.DB, p auth.Principal, target userRow, in auth.UserPatch) error {
	var change vote.AccountChange
	switch {
	case in.Active != nil && !*in.Active && target.Active:
		change = vote.ChangeDeactivate
	case in.Password != nil:
		change = vote.ChangePassword
	default:
		return nil
	}
	var running []voteRow
	if err := tx.Raw(`SELECT v.id, v.title FROM votes v JOIN vote_board b ON b.vote_id = v.id
		WHERE b.user_id = ? AND v.status IN ?`, target.ID, []string{string(vote.Open), string(vote.Closed)}).Scan(&running).Error; err != nil {
		return err
	}
	for _, v := range running {
		var a accountApprovalRow
		err := tx.Where("vote_id = ? AND user_id = ? AND change = ? AND used_at IS NULL AND approved_at >= ?",
			v.ID, target.ID, string(change), s.clock().Add(-approvalLifetime)).Order("approved_at").Take(&a).Error
		if err != nil {
			if e := notFound(err, "board_account_locked"); apperr.IsKind(e, apperr.NotFound) {
				return apperr.New(apperr.Conflict, "board_account_locked").With("vote", v.Title)
			}
			return err
		}
		if err := tx.Model(&accountApprovalRow{}).Where("id = ?", a.ID).Update("used_at", s.clock()).Error; err != nil {
			return err
		}
	}
	return nil
}

// loadAccountChanges lists a vote's approvals, for its board's console.
func loadAccountChanges(tx *gorm.DB, voteID string) ([]vote.AccountChangeRecord, error) {
	var rows []vote.AccountChangeRecord
	err := tx.Raw(`SELECT a.user_id, u.full_name, a.change, a.approved_at, a.used_at FROM account_approvals a
		JOIN users u ON u.id = a.user_id WHERE a.vote_id = ? ORDER BY a.approved_at`, voteID).Scan(&rows).Error
	return nonNil(rows), err
}

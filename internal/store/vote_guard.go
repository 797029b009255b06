package store

import (
	"context"

	"gorm.io/gorm"

	"tinnhiem/internal/audit"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/civil"
	"tinnhiem/internal/rules"
	"tinnhiem/internal/vote"
)

// step is the body of a vote use case, run after the role table allowed it, inside the transaction
// that holds the vote's row lock.
type step func(tx *gorm.DB, v vote.Vote, row voteRow) error

// act runs one use case on a vote: in one transaction, lock the vote's row (one lock order for every
// use case), read its state, let the role table (vote.Decide) allow the action, then run fn. The store
// decides nothing else by way of rules.
func (s *Store) act(ctx context.Context, p auth.Principal, id string, a vote.Action, fn step) error {
	return s.transact(ctx, func(tx *gorm.DB) error {
		v, row, err := s.loadVote(tx, id, true)
		if err != nil {
			return err
		}
		if err := vote.Decide(a, s.state(v, row), p); err != nil {
			return err
		}
		return fn(tx, v, row)
	})
}

// actVote is act for use cases that answer with the vote as it is after fn.
func (s *Store) actVote(ctx context.Context, p auth.Principal, id string, a vote.Action, fn step) (vote.Vote, error) {
	var out vote.Vote
	err := s.act(ctx, p, id, a, func(tx *gorm.DB, v vote.Vote, row voteRow) error {
		if err := fn(tx, v, row); err != nil {
			return err
		}
		var err error
		out, _, err = s.loadVote(tx, id, false)
		return err
	})
	return out, err
}

// state is what the role table needs: the vote's own state and what only the store knows.
func (s *Store) state(v vote.Vote, row voteRow) vote.State {
	st := v.State()
	st.Today = civil.Of(s.now().In(s.loc))
	for _, c := range v.CancelConfirmations {
		st.Cancels = append(st.Cancels, c.UserID)
	}
	if rs, ok := rules.Get(v.RuleSet); ok && rs.Quorum && v.Status != vote.Draft {
		st.QuorumMet = rules.QuorumMet(row.BallotsIssued, row.turnout().TotalDelegates)
	}
	return st
}

// readVote loads a vote for a reader (any staff of its council); others are told it does not exist.
func (s *Store) readVote(ctx context.Context, p auth.Principal, id string, a vote.Action) (vote.Vote, voteRow, error) {
	v, row, err := s.loadVote(s.db.WithContext(ctx), id, false)
	if err != nil {
		return v, row, voteOrNotFound(err)
	}
	if err := vote.Decide(a, s.state(v, row), p); err != nil {
		return vote.Vote{}, voteRow{}, err
	}
	return v, row, nil
}

// setVote writes columns of a vote row.
func setVote(tx *gorm.DB, id string, set map[string]any) error {
	return tx.Model(&voteRow{}).Where("id = ?", id).Updates(set).Error
}

// auditVote appends an event about a vote.
func (s *Store) auditVote(tx *gorm.DB, p auth.Principal, v vote.Vote, action string, summary map[string]any) error {
	return s.appendAudit(tx, p, audit.Entry{Action: action, ObjectType: "vote", ObjectID: v.ID, CouncilID: v.CouncilID, VoteID: v.ID, Summary: summary})
}

// appendAuditOf appends an event about another object in a vote's course (an official, a delegate).
func (s *Store) appendAuditOf(tx *gorm.DB, p auth.Principal, v vote.Vote, action, objectType, objectID string, summary map[string]any) error {
	return s.appendAudit(tx, p, audit.Entry{Action: action, ObjectType: objectType, ObjectID: objectID, CouncilID: v.CouncilID, VoteID: v.ID, Summary: summary})
}

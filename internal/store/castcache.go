package store

import (
	"context"
	"sync"

	"tinnhiem/internal/rules"
	"tinnhiem/internal/vote"
)

// castCache keeps what a cast needs that cannot change once a vote is open: its kind and its subjects
// in ballot order. Only open votes are cached (a draft's list may still change); the transaction of
// each cast checks the vote's status itself, so a cached entry can never let a cast through to a vote
// that is no longer open.
//
// Several server processes may share the database: another one may close or cancel a vote this one
// still has cached as open. The entry then only routes a cast to the vote's commit batch, whose
// transaction finds the vote closed (and forgets the entry); nothing cached can change while the vote
// is open. The cast cache also holds the vote's commit queues (groupcommit.go).
type castCache struct {
	mu    sync.Mutex
	votes map[string]castVote

	plain  groupCommit[*castJob]  // plain casts, per vote
	sealed groupCommit[*ecastJob] // encrypted casts, per vote
}

// maxCachedVotes bounds the cache: votes closed by another process leave entries behind until a cast
// tries them.
const maxCachedVotes = 10_000

type castVote struct {
	id       string
	status   vote.Status
	kind     rules.Kind
	subjects []string
}

// invalidate forgets every entry (a vote of this process opened, closed or was cancelled).
func (c *castCache) invalidate() {
	c.mu.Lock()
	c.votes = nil
	c.mu.Unlock()
}

// forget drops one vote's entry (found closed by a cast).
func (c *castCache) forget(id string) {
	c.mu.Lock()
	delete(c.votes, id)
	c.mu.Unlock()
}

// castVote returns what a cast needs of a vote, from the cache when the vote is known open.
func (s *Store) castVote(ctx context.Context, id string) (castVote, error) {
	c := &s.casts
	c.mu.Lock()
	cv, ok := c.votes[id]
	c.mu.Unlock()
	if ok {
		return cv, nil
	}
	db := s.db.WithContext(ctx)
	var row voteRow
	if err := db.Select("id, kind, status").Where("id = ?", id).Take(&row).Error; err != nil {
		return castVote{}, dbErr(err)
	}
	cv = castVote{id: id, status: vote.Status(row.Status), kind: rules.Kind(row.Kind)}
	if err := db.Model(&subjectRow{}).Where("vote_id = ?", id).Order("ord").Pluck("official_id", &cv.subjects).Error; err != nil {
		return castVote{}, dbErr(err)
	}
	if cv.status == vote.Open {
		c.mu.Lock()
		if c.votes == nil || len(c.votes) >= maxCachedVotes {
			c.votes = map[string]castVote{}
		}
		c.votes[id] = cv
		c.mu.Unlock()
	}
	return cv, nil
}

package store

import (
	"context"
	"sync"
	"time"

	"tinnhiem/internal/rules"
	"tinnhiem/internal/vote"
)

// castCache keeps what a cast needs that cannot change while a vote is open: the open votes' keys,
// kinds and subjects in ballot order. The list of open votes is refreshed when a vote of this
// process opens, closes or is cancelled, and at least every second (another process may have
// changed it); the transaction of each cast checks the vote's status itself, so a stale list can only
// delay a new vote's first casts by a second, never let a cast through.
type castCache struct {
	mu      sync.Mutex
	open    []castVote
	loaded  time.Time
	subject map[string]castVote
}

type castVote struct {
	id       string
	key      []byte
	kind     rules.Kind
	subjects []string
}

const castCacheTTL = time.Second

func (c *castCache) invalidate() {
	c.mu.Lock()
	c.loaded = time.Time{}
	c.mu.Unlock()
}

// openVotes returns the open votes, from the cache when it is fresh.
func (s *Store) openVotes(ctx context.Context) ([]castVote, error) {
	c := &s.casts
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Since(c.loaded) < castCacheTTL {
		return c.open, nil
	}
	var rows []voteRow
	if err := s.db.WithContext(ctx).Select("id, code_key, kind").Where("status = ?", string(vote.Open)).Find(&rows).Error; err != nil {
		return nil, dbErr(err)
	}
	if c.subject == nil {
		c.subject = map[string]castVote{}
	}
	open := make([]castVote, 0, len(rows))
	for _, r := range rows {
		cv, ok := c.subject[r.ID]
		if !ok {
			var ids []string
			if err := s.db.WithContext(ctx).Model(&subjectRow{}).Where("vote_id = ?", r.ID).Order("ord").Pluck("official_id", &ids).Error; err != nil {
				return nil, dbErr(err)
			}
			cv = castVote{id: r.ID, key: r.key(), kind: rules.Kind(r.Kind), subjects: ids}
			c.subject[r.ID] = cv
		}
		open = append(open, cv)
	}
	c.open, c.loaded = open, time.Now()
	return open, nil
}

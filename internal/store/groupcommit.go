package store

import (
	"context"
	"sync"
	"time"

	"tinnhiem/internal/apperr"
)

// Group commit: the casts of one vote that are ready at the same moment are written by one
// transaction. Every cast of a vote locks the vote's row (so that no cast commits after the close and
// the cast counter never passes the ballots issued), so casts of a vote commit one after another
// whatever their number; one transaction for many casts pays that lock and the commit's flush once.
//
// The batching is self-clocked, as PostgreSQL's own WAL flush is: a vote has at most one cast
// transaction of this process in flight; the casts that become ready meanwhile wait and go together
// in the next one (at most maxBatch of them). A lone cast waits for nothing; under load a batch
// gathers for as long as the previous commit took (a few milliseconds). Each cast is answered only
// after the transaction holding it has committed, so an acknowledged ballot is as durable as before.
// Other server processes on the same database have queues of their own; the vote's row lock orders
// their transactions.

// commitJob is what a queue needs of a job: the context of the request waiting for it.
type commitJob interface {
	context() context.Context
}

// groupCommit is the per-vote queue of one kind of job. The zero value is ready to use.
type groupCommit[J commitJob] struct {
	mu     sync.Mutex
	queues map[string]*commitQueue[J]
}

type commitQueue[J commitJob] struct {
	jobs  []J
	dones []chan struct{}
}

// castTxTimeout bounds one batch's transaction; it belongs to no single request (a request that gives
// up must not fail the others of its batch).
const castTxTimeout = 30 * time.Second

// do queues job for the vote and waits until a batch holding it has committed (or failed): commit
// writes the batch and sets each job's outcome. The batch runs in a goroutine of its own, whose
// context is not the request's. When ctx ends first the caller stops waiting with a timeout, and
// the job may still commit: a kiosk's retry then gets its receipt back, as after any lost answer.
func (g *groupCommit[J]) do(ctx context.Context, voteID string, job J, max int, commit func(ctx context.Context, voteID string, batch []J)) error {
	done := make(chan struct{})
	g.mu.Lock()
	if g.queues == nil {
		g.queues = map[string]*commitQueue[J]{}
	}
	q, running := g.queues[voteID]
	if !running {
		q = &commitQueue[J]{}
		g.queues[voteID] = q
	}
	q.jobs = append(q.jobs, job)
	q.dones = append(q.dones, done)
	g.mu.Unlock()
	if !running {
		go g.lead(voteID, q, max, commit)
	}
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return &apperr.Error{Kind: apperr.Unavailable, Code: "request_timeout", Err: ctx.Err()}
	}
}

// lead commits the vote's queued jobs, batch after batch, until none is left.
func (g *groupCommit[J]) lead(voteID string, q *commitQueue[J], max int, commit func(ctx context.Context, voteID string, batch []J)) {
	for {
		g.mu.Lock()
		if len(q.jobs) == 0 {
			delete(g.queues, voteID)
			g.mu.Unlock()
			return
		}
		n := min(len(q.jobs), max)
		jobs, dones := q.jobs[:n:n], q.dones[:n:n]
		q.jobs, q.dones = q.jobs[n:], q.dones[n:]
		g.mu.Unlock()
		// A job whose request has already given up is left out: nobody waits for its answer, and a
		// cast nobody acknowledges must not be written behind its kiosk's back.
		live := jobs[:0:0]
		for _, j := range jobs {
			if j.context().Err() == nil {
				live = append(live, j)
			}
		}
		if len(live) > 0 {
			ctx, cancel := context.WithTimeout(context.Background(), castTxTimeout)
			commit(ctx, voteID, live)
			cancel()
		}
		for _, d := range dones {
			close(d)
		}
	}
}

package web

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/vote"
)

// TurnoutPeriod is the shortest time between two turnout figures of a vote. Polling and the stream
// both see a snapshot at most this fresh, so a single cast cannot be matched to the person walking
// back from a kiosk.
const TurnoutPeriod = 2 * time.Second

type turnoutSnap struct {
	t  vote.Turnout
	at time.Time
}

// turnoutCache holds the latest snapshot per vote: in the database when several server processes
// may serve it (every display then sees one figure, at most one per period, whichever server it
// asks: two servers' snapshots taken at different moments would show the casts in between), else in
// memory.
type turnoutCache struct {
	shared SharedState // nil: in memory
	mu     sync.Mutex
	snap   map[string]turnoutSnap
}

// snapshotWait bounds the look-up of a shared snapshot; past it (or on a database error) this
// process's own snapshot serves.
const snapshotWait = 2 * time.Second

// turnoutOf returns the vote's turnout snapshot; the caller's right to see the vote is checked on
// every call.
func (s *Server) turnoutOf(ctx context.Context, p auth.Principal, id string) (vote.Turnout, error) {
	fresh, err := s.votes.Turnout(ctx, p, id) // authorises; cheap (one row)
	if err != nil {
		return vote.Turnout{}, err
	}
	return s.snapshot(id, fresh), nil
}

// snapshot is the one place where turnout leaves the server: the last snapshot of the vote while it is
// younger than TurnoutPeriod (and the status has not changed: a status is no secret), else fresh.
// Every response that carries turnout (the vote, issuance, voiding, polling, the stream) goes through
// it, so none shows a single cast.
func (s *Server) snapshot(id string, fresh vote.Turnout) vote.Turnout {
	tc := &s.turnouts
	if tc.shared != nil {
		ctx, cancel := context.WithTimeout(context.Background(), snapshotWait)
		defer cancel()
		t, err := tc.shared.TurnoutSnapshot(ctx, id, fresh, s.now(), TurnoutPeriod)
		if err == nil {
			return t
		}
		s.log.Warn("the shared turnout snapshot is out of reach; this server's own serves", "vote", id, "err", err)
	}
	tc.mu.Lock()
	defer tc.mu.Unlock()
	now := s.now()
	if snap, ok := tc.snap[id]; ok && now.Sub(snap.at) < TurnoutPeriod && snap.t.Status == fresh.Status {
		return snap.t
	}
	tc.snap[id] = turnoutSnap{t: fresh, at: now}
	return fresh
}

func (s *Server) turnout(r request, _ none) (vote.Turnout, error) {
	return s.turnoutOf(r.ctx, r.p, r.id("id"))
}

// StreamLimit bounds one turnout stream; the client reconnects after it.
const StreamLimit = time.Hour

// turnoutStream sends the turnout as server-sent events: at most one update every TurnoutPeriod,
// a comment line every 15 seconds to keep proxies from closing it, and a last event when the vote
// leaves the open status.
func (s *Server) turnoutStream(c *fiber.Ctx) error {
	id, err := param(c, "id")
	if err != nil {
		return err
	}
	p := principal(c)
	first, err := s.turnoutOf(c.UserContext(), p, id)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/event-stream")
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("X-Accel-Buffering", "no")
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		ctx, cancel := context.WithTimeout(context.Background(), StreamLimit)
		defer cancel()
		send := func(t vote.Turnout) error {
			b, _ := json.Marshal(t)
			if _, err := fmt.Fprintf(w, "event: turnout\ndata: %s\n\n", b); err != nil {
				return err
			}
			return w.Flush()
		}
		if send(first) != nil {
			return
		}
		last, quiet := first, 0
		tick := time.NewTicker(TurnoutPeriod)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-s.done:
				return
			case <-tick.C:
			}
			t, err := s.turnoutOf(ctx, p, id)
			if err != nil {
				return
			}
			if t != last {
				if send(t) != nil {
					return
				}
				last, quiet = t, 0
			} else if quiet++; quiet*int(TurnoutPeriod/time.Second) >= 15 {
				if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil || w.Flush() != nil {
					return
				}
				quiet = 0
			}
			if t.Status != vote.Open && t.Status != vote.Draft {
				return
			}
		}
	})
	return nil
}

func asAppErr(err error, target **apperr.Error) bool { return errors.As(err, target) }

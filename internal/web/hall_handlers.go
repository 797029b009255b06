package web

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/vote"
)

// Displays are the hall projector's read-only links.
type Displays interface {
	CreateDisplay(ctx context.Context, p auth.Principal, councilID string, in vote.DisplayInput) (vote.DisplayLink, string, error)
	ListDisplays(ctx context.Context, p auth.Principal, councilID string) ([]vote.DisplayLink, error)
	RevokeDisplay(ctx context.Context, p auth.Principal, councilID, id string) (vote.DisplayLink, error)
	Display(ctx context.Context, token string) (vote.Display, error)
	PracticeBallot(ctx context.Context, token string) (vote.Ballot, error)
}

// DisplayHeader carries a projector link's token (the page reads it from its URL's fragment, which
// never reaches the server's logs).
const DisplayHeader = "X-Display-Token"

// displayResponse is a new projector link with its token, shown this once.
type displayResponse struct {
	vote.DisplayLink
	Token string `json:"token"`
}

func (s *Server) createDisplay(r request, in vote.DisplayInput) (displayResponse, error) {
	d, token, err := s.displays.CreateDisplay(r.ctx, r.p, r.id("id"), in)
	return displayResponse{DisplayLink: d, Token: token}, err
}

func (s *Server) listDisplays(r request, _ none) ([]vote.DisplayLink, error) {
	return s.displays.ListDisplays(r.ctx, r.p, r.id("id"))
}

func (s *Server) revokeDisplay(r request, _ none) (vote.DisplayLink, error) {
	return s.displays.RevokeDisplay(r.ctx, r.p, r.id("id"), r.id("displayId"))
}

// display answers the projector (no login: its link's token): the current vote's turnout, from the
// same two-second snapshot as everywhere else, and its result once announced.
func (s *Server) display(r request, _ none) (vote.Display, error) {
	token := r.c.Get(DisplayHeader)
	if token == "" || len(token) > 64 {
		return vote.Display{}, apperr.New(apperr.Unauthenticated, "display_not_found")
	}
	d, err := s.displays.Display(r.ctx, token)
	if err == nil && d.Vote != nil {
		d.Vote.Turnout = s.snapshot(d.Vote.ID, d.Vote.Turnout)
	}
	return d, err
}

// practiceBallot answers a registered kiosk with its vote's practice ballot.
func (s *Server) practiceBallot(r request, _ none) (vote.Ballot, error) {
	token := r.c.Get(KioskHeader)
	if token == "" || len(token) > 64 {
		return vote.Ballot{}, apperr.New(apperr.Unauthenticated, "device_not_found")
	}
	return s.displays.PracticeBallot(r.ctx, token)
}

func (s *Server) editDraft(r request, in vote.Input) (voteResponse, error) {
	v, err := s.votes.EditDraft(r.ctx, r.p, r.id("id"), in)
	return s.voteStep(r, v, err)
}

func (s *Server) withdrawIssuance(r request, _ none) (vote.Turnout, error) {
	t, err := s.box.WithdrawIssuance(r.ctx, r.p, r.id("id"), r.id("delegateId"))
	return s.snapshot(r.id("id"), t), err
}

func (s *Server) swapIssuance(r request, in vote.IssueInput) (vote.Turnout, error) {
	t, err := s.box.SwapIssuance(r.ctx, r.p, r.id("id"), r.id("delegateId"), in)
	return s.snapshot(r.id("id"), t), err
}

// IdempotencyHeader carries the key that makes a creating request safe to send twice.
const IdempotencyHeader = "Idempotency-Key"

// idempotencyKey reads the request's key into a draft's input.
func idempotencyKey(c *fiber.Ctx) string { return c.Get(IdempotencyHeader) }

package web

import (
	"github.com/gofiber/fiber/v2"

	"tinnhiem/internal/ballot"
	"tinnhiem/internal/vote"
)

// codesResponse carries freshly generated codes: shown this once, never again.
type codesResponse struct {
	Codes []string `json:"codes"`
}

// codesQuery chooses what generating codes answers: the printable slips (the board's console asks
// for these: codes are printed, never shown on a screen), or the codes as JSON (for programs).
type codesQuery struct {
	Format string `json:"format" validate:"omitempty,oneof=json pdf"`
}

// generateCodes answers with the slips' PDF or the codes as JSON.
func (s *Server) generateCodes(c *fiber.Ctx) error {
	q := codesQuery{Format: c.Query("format", "json")}
	if err := checkQuery(&q); err != nil {
		return err
	}
	r, in, err := bindInput[vote.CodesInput](c)
	if err != nil {
		return err
	}
	codes, err := s.box.GenerateCodes(r.ctx, r.p, r.id("id"), in)
	if err != nil {
		return err
	}
	if q.Format == "pdf" {
		return s.codeSlips(c, r.id("id"), codes)
	}
	out := codesResponse{Codes: make([]string, len(codes))}
	for i, code := range codes {
		out.Codes[i] = ballot.Format(code)
	}
	return c.Status(fiber.StatusCreated).JSON(out)
}

func (s *Server) voidCode(r request, in vote.CodeInput) (vote.Turnout, error) {
	t, err := s.box.VoidCode(r.ctx, r.p, r.id("id"), in)
	return s.snapshot(r.id("id"), t), err
}

func (s *Server) issueBallot(r request, in vote.IssueInput) (vote.Turnout, error) {
	t, err := s.box.IssueBallot(r.ctx, r.p, r.id("id"), in)
	return s.snapshot(r.id("id"), t), err
}

// issuancesResponse lists the delegates who received a ballot.
type issuancesResponse struct {
	DelegateIDs []string `json:"delegate_ids"`
}

func (s *Server) listIssuances(r request, _ none) (issuancesResponse, error) {
	ids, err := s.box.ListIssuances(r.ctx, r.p, r.id("id"))
	return issuancesResponse{DelegateIDs: ids}, err
}

// castBallot takes a ballot from anyone holding a code: no login, no log of who or where. Every
// use of a code counts against the client's budget (codethrottle.go). A new ballot is a 201; the
// identical retry of one already recorded, a 200 with the same receipt.
func (s *Server) castBallot(c *fiber.Ctx) error {
	rec, err := codeUse(s, c, func(r request, in vote.CastInput) (vote.Receipt, error) { return s.box.CastBallot(r.ctx, in) })
	if err != nil {
		return err
	}
	status := fiber.StatusCreated
	if rec.Replay {
		status = fiber.StatusOK
	}
	return c.Status(status).JSON(rec)
}

// lookupCode shows the ballot an unspent code opens, without spending it; throttled like casting.
func (s *Server) lookupCode(c *fiber.Ctx) error {
	b, err := codeUse(s, c, func(r request, in vote.CodeInput) (vote.Ballot, error) { return s.box.LookupCode(r.ctx, in.Code) })
	if err != nil {
		return err
	}
	return c.JSON(b)
}

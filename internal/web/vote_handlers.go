package web

import (
	"github.com/gofiber/fiber/v2"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/ballot"
	"tinnhiem/internal/i18n"
	"tinnhiem/internal/rules"
	"tinnhiem/internal/validate"
	"tinnhiem/internal/vote"
)

// voteResponse is a vote with its warnings worded in the caller's language.
type voteResponse struct {
	vote.Vote
	Warnings []warningResponse `json:"warnings"`
}

type warningResponse struct {
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Params  map[string]any `json:"params,omitempty"`
}

func (s *Server) toVoteResponse(c *fiber.Ctx, v vote.Vote) voteResponse {
	v.Turnout = s.snapshot(v.ID, v.Turnout)
	lang := i18n.FromAcceptLanguage(c.Get(fiber.HeaderAcceptLanguage))
	out := voteResponse{Vote: v, Warnings: make([]warningResponse, len(v.Warnings))}
	for i, w := range v.Warnings {
		out.Warnings[i] = warningResponse{Code: w.Code, Message: i18n.Message(lang, w.Code, w.Params), Params: w.Params}
	}
	return out
}

// decode binds and validates a request body.
func decode(c *fiber.Ctx, dst any) error {
	if err := bind(c, dst); err != nil {
		return err
	}
	if fields := validate.Struct(dst, ""); len(fields) > 0 {
		return apperr.InvalidFields(fields...)
	}
	return nil
}

func (s *Server) ruleSets(c *fiber.Ctx) error {
	out := make([]rules.RuleSet, 0, 3)
	for _, id := range rules.IDs() {
		rs, _ := rules.Get(id)
		out = append(out, rs)
	}
	return c.JSON(out)
}

func (s *Server) createVote(c *fiber.Ctx) error {
	id, err := param(c, "id")
	if err != nil {
		return err
	}
	var in vote.Input
	if err := bind(c, &in); err != nil {
		return err
	}
	v, err := s.b.CreateVote(c.UserContext(), principal(c), id, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(s.toVoteResponse(c, v))
}

func (s *Server) listVotes(c *fiber.Ctx) error {
	id, err := param(c, "id")
	if err != nil {
		return err
	}
	vs, err := s.b.ListVotes(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	out := make([]voteResponse, len(vs))
	for i, v := range vs {
		out[i] = s.toVoteResponse(c, v)
	}
	return c.JSON(out)
}

func (s *Server) getVote(c *fiber.Ctx) error {
	id, err := param(c, "id")
	if err != nil {
		return err
	}
	v, err := s.b.GetVote(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(s.toVoteResponse(c, v))
}

// voteAction runs a use case that takes a vote id and a JSON body and answers with the vote.
func voteAction[T any](s *Server, run func(b Backend, c *fiber.Ctx, id string, in T) (vote.Vote, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := param(c, "id")
		if err != nil {
			return err
		}
		var in T
		if err := decode(c, &in); err != nil {
			return err
		}
		v, err := run(s.b, c, id, in)
		if err != nil {
			return err
		}
		return c.JSON(s.toVoteResponse(c, v))
	}
}

// voteStep runs a use case that takes only a vote id (open, close).
func (s *Server) voteStep(run func(b Backend, c *fiber.Ctx, id string) (vote.Vote, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := param(c, "id")
		if err != nil {
			return err
		}
		v, err := run(s.b, c, id)
		if err != nil {
			return err
		}
		return c.JSON(s.toVoteResponse(c, v))
	}
}

// codesResponse carries freshly generated codes: shown this once, never again.
type codesResponse struct {
	Codes []string `json:"codes"`
}

func (s *Server) generateCodes(c *fiber.Ctx) error {
	id, err := param(c, "id")
	if err != nil {
		return err
	}
	var in vote.CodesInput
	if err := decode(c, &in); err != nil {
		return err
	}
	format := c.Query("format", "json")
	if format != "json" && format != "pdf" {
		return apperr.InvalidFields(apperr.Field("format", "one_of", "values", "json, pdf"))
	}
	codes, err := s.b.GenerateCodes(c.UserContext(), principal(c), id, in)
	if err != nil {
		return err
	}
	if format == "pdf" {
		return s.codeSlips(c, id, codes)
	}
	out := codesResponse{Codes: make([]string, len(codes))}
	for i, code := range codes {
		out.Codes[i] = ballot.Format(code)
	}
	return c.Status(fiber.StatusCreated).JSON(out)
}

func (s *Server) voidCode(c *fiber.Ctx) error {
	id, err := param(c, "id")
	if err != nil {
		return err
	}
	var in vote.CodeInput
	if err := decode(c, &in); err != nil {
		return err
	}
	t, err := s.b.VoidCode(c.UserContext(), principal(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(s.snapshot(id, t))
}

func (s *Server) issueBallot(c *fiber.Ctx) error {
	id, err := param(c, "id")
	if err != nil {
		return err
	}
	var in vote.IssueInput
	if err := decode(c, &in); err != nil {
		return err
	}
	t, err := s.b.IssueBallot(c.UserContext(), principal(c), id, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(s.snapshot(id, t))
}

// issuancesResponse lists the delegates who received a ballot.
type issuancesResponse struct {
	DelegateIDs []string `json:"delegate_ids"`
}

func (s *Server) listIssuances(c *fiber.Ctx) error {
	id, err := param(c, "id")
	if err != nil {
		return err
	}
	ids, err := s.b.ListIssuances(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(issuancesResponse{DelegateIDs: ids})
}

// castBallot takes a ballot from anyone holding a code: no login, no log of who or where. Failed code
// look-ups are slowed down per client address.
func (s *Server) castBallot(c *fiber.Ctx) error {
	addr := c.IP()
	// Only failures count (unknown, mistyped, or spent with other choices). Attempts are not reserved
	// up front: a hall's kiosks share one address and cast at the same moment, and a code's 128
	// random bits make parallel guessing pointless anyway.
	if wait := s.codeFailures.Wait(addr, s.now()); wait > 0 {
		return apperr.New(apperr.TooMany, "too_many_code_failures").With("seconds", int(wait.Seconds())+1)
	}
	var in vote.CastInput
	if err := decode(c, &in); err != nil {
		return err
	}
	r, err := s.b.CastBallot(c.UserContext(), in)
	if failedLookup(err, "code_spent") {
		s.codeFailures.Fail(addr, s.now())
	}
	if err != nil {
		return err
	}
	status := fiber.StatusCreated
	if r.Replay {
		status = fiber.StatusOK
	}
	return c.Status(status).JSON(r)
}

// lookupCode shows the ballot an unspent code opens. It is throttled like casting: a look-up with a
// wrong code is a failed attempt.
func (s *Server) lookupCode(c *fiber.Ctx) error {
	addr := c.IP()
	if wait := s.codeFailures.Wait(addr, s.now()); wait > 0 {
		return apperr.New(apperr.TooMany, "too_many_code_failures").With("seconds", int(wait.Seconds())+1)
	}
	var in vote.CodeInput
	if err := decode(c, &in); err != nil {
		return err
	}
	b, err := s.b.LookupCode(c.UserContext(), in.Code)
	if failedLookup(err) {
		s.codeFailures.Fail(addr, s.now())
	}
	if err != nil {
		return err
	}
	return c.JSON(b)
}

// failedLookup reports whether err is a failed code look-up: an unknown or mistyped code, or one of
// the extra codes given.
func failedLookup(err error, extra ...string) bool {
	var ae *apperr.Error
	if err == nil || !asAppErr(err, &ae) {
		return false
	}
	for _, c := range append([]string{"code_unknown"}, extra...) {
		if ae.Code == c {
			return true
		}
	}
	return hasFieldCode(ae, "code_checksum", "code_malformed")
}

func hasFieldCode(ae *apperr.Error, codes ...string) bool {
	for _, f := range ae.Fields {
		for _, c := range codes {
			if f.Code == c {
				return true
			}
		}
	}
	return false
}

func (s *Server) tally(c *fiber.Ctx) error { return getByID(c, s.b.Tally) }

func (s *Server) publicResults(c *fiber.Ctx) error {
	id, err := param(c, "id")
	if err != nil {
		return err
	}
	r, err := s.b.PublicResults(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

func (s *Server) publishedVotes(c *fiber.Ctx) error {
	vs, err := s.b.PublishedVotes(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(vs)
}

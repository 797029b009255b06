package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/audit"
)

func (s *Server) listAudit(c *fiber.Ctx) error {
	f := audit.Filter{CouncilID: c.Query("council_id"), VoteID: c.Query("vote_id")}
	var fields []apperr.FieldError
	if v := c.Query("after"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			fields = append(fields, apperr.Field("after", "at_least", "min", 0))
		}
		f.After = n
	}
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			fields = append(fields, apperr.Field("limit", "out_of_range", "min", 1, "max", 1000))
		}
		f.Limit = n
	}
	for _, q := range []string{"council_id", "vote_id"} {
		if v := c.Query(q); v != "" && !idRE.MatchString(v) {
			fields = append(fields, apperr.Field(q, "invalid_value"))
		}
	}
	if len(fields) > 0 {
		return apperr.InvalidFields(fields...)
	}
	events, err := s.b.ListAudit(c.UserContext(), principal(c), f)
	if err != nil {
		return err
	}
	return c.JSON(events)
}

func (s *Server) verifyAudit(c *fiber.Ctx) error {
	res, err := s.b.VerifyAudit(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(res)
}

package web

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"tinnhiem/internal/apperr"
)

type healthResponse struct {
	Status string `json:"status"`
}

func (s *Server) healthz(c *fiber.Ctx) error { return c.JSON(healthResponse{Status: "ok"}) }

// readyz answers 200 when the database answers and holds the current schema.
func (s *Server) readyz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 3*time.Second)
	defer cancel()
	if err := s.health.Ping(ctx); err != nil {
		return &apperr.Error{Kind: apperr.Unavailable, Code: "unavailable", Err: err}
	}
	if err := s.health.CheckSchema(ctx); err != nil {
		return &apperr.Error{Kind: apperr.Unavailable, Code: "schema_outdated", Err: err}
	}
	return c.JSON(healthResponse{Status: "ready"})
}

package web

import (
	"context"
	"sync"
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

// buildResponse names the served build: the SHA-256 of the web app (FrontendHash), which the key
// ceremony, the kiosks and the minutes show, for comparison with a published release.
type buildResponse struct {
	FrontendHash string `json:"frontend_hash"`
}

// build answers the served build's hash (public: a kiosk shows it before anyone logs in).
func (s *Server) build(r request, _ none) (buildResponse, error) {
	return buildResponse{FrontendHash: frontendHash()}, nil
}

// frontendHash is FrontendHash, computed once.
var frontendHash = sync.OnceValue(FrontendHash)

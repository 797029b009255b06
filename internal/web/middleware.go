package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/auth"
)

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }

var requestIDRE = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

// recoverer turns a panic into a logged 500 with the envelope.
func (s *Server) recoverer(c *fiber.Ctx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("panic", "request_id", requestID(c), "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return c.Next()
}

// requestID takes a well-formed X-Request-ID from the client or makes one, and echoes it.
func (s *Server) requestID(c *fiber.Ctx) error {
	id := c.Get(fiber.HeaderXRequestID)
	if !requestIDRE.MatchString(id) {
		id = newRequestID()
	}
	c.Locals("request_id", id)
	c.Set(fiber.HeaderXRequestID, id)
	return c.Next()
}

func newRequestID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func requestID(c *fiber.Ctx) string {
	id, _ := c.Locals("request_id").(string)
	return id
}

// secretPaths are logged without client address or request id and kept out of per-request metrics:
// a cast must not be matched to the person at a kiosk or seat.
var secretPaths = []string{"/api/v1/ballots"} // casting and code look-ups

func isSecretPath(path string) bool {
	for _, p := range secretPaths {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// requestLog writes one structured line per request, after the error handler has set the status.
func (s *Server) requestLog(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	if err != nil {
		if herr := s.app.Config().ErrorHandler(c, err); herr != nil {
			_ = c.SendStatus(fiber.StatusInternalServerError)
		}
	}
	status := c.Response().StatusCode()
	route := c.Route().Path
	if isSecretPath(c.Path()) {
		// No line per cast: even a bare timestamp, set beside the issuance times of the audit log,
		// would undo the turnout's two-second batching. Server errors are still logged by the
		// error handler.
		return nil
	}
	s.metrics.observe(c.Method(), route, status, time.Since(start))
	s.log.Info("request", "method", c.Method(), "path", c.Path(), "route", route, "status", status,
		"ms", time.Since(start).Milliseconds(), "ip", s.clientIP(c), "request_id", requestID(c))
	return nil
}

// securityHeaders sets the headers every response carries. The content policy allows only the
// server's own scripts, styles, fonts and images: the hall network may have no internet.
func (s *Server) securityHeaders(c *fiber.Ctx) error {
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Referrer-Policy", "no-referrer")
	c.Set("Cross-Origin-Opener-Policy", "same-origin")
	c.Set("Permissions-Policy", "camera=(self), microphone=(), geolocation=()")
	c.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "+
		"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
	if strings.HasPrefix(c.Path(), "/api/") {
		c.Set(fiber.HeaderCacheControl, "no-store")
	}
	return c.Next()
}

// deadline gives an ordinary request its deadline through the user context. Streams set their own.
func (s *Server) deadline(c *fiber.Ctx) error {
	if strings.HasSuffix(c.Path(), "/stream") {
		return c.Next()
	}
	ctx, cancel := context.WithTimeout(c.UserContext(), s.cfg.RequestTimeout)
	defer cancel()
	c.SetUserContext(ctx)
	return c.Next()
}

// requireStaff authenticates the bearer token and stores the principal for the handlers.
func (s *Server) requireStaff(c *fiber.Ctx) error {
	h := c.Get(fiber.HeaderAuthorization)
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok && strings.HasSuffix(c.Path(), "/stream") {
		// A browser's EventSource cannot send headers; the request log never records the query.
		token, ok = c.Query("access_token"), true
	}
	if !ok || token == "" {
		return apperr.New(apperr.Unauthenticated, "unauthenticated")
	}
	p, err := s.auth.Authenticate(c.UserContext(), strings.TrimSpace(token), requestID(c))
	if err != nil {
		return err
	}
	c.Locals("principal", p)
	return c.Next()
}

func principal(c *fiber.Ctx) auth.Principal {
	p, _ := c.Locals("principal").(auth.Principal)
	return p
}

func (s *Server) notFound(c *fiber.Ctx) error { return fiber.ErrNotFound }

var idRE = regexp.MustCompile(`^[A-Za-z0-9-]{1,64}$`)

// param returns a path identifier, or a 404 when it cannot be one.
func param(c *fiber.Ctx, name string) (string, error) {
	v := c.Params(name)
	if !idRE.MatchString(v) {
		return "", apperr.New(apperr.NotFound, "invalid_id")
	}
	return v, nil
}

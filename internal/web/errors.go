package web

import (
	"errors"
	"log/slog"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/i18n"
)

// Envelope is the one JSON shape of every error response.
type Envelope struct {
	Error     EnvelopeError `json:"error"`
	RequestID string        `json:"request_id"`
}

// EnvelopeError is the body of an error: a stable code, a message in the caller's language, and
// per-field messages (empty when the problem is not about fields).
type EnvelopeError struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields"`
}

var statusOf = map[apperr.Kind]int{
	apperr.Invalid:          fiber.StatusUnprocessableEntity,
	apperr.BadRequest:       fiber.StatusBadRequest,
	apperr.UnsupportedMedia: fiber.StatusUnsupportedMediaType,
	apperr.Unauthenticated:  fiber.StatusUnauthorized,
	apperr.Forbidden:        fiber.StatusForbidden,
	apperr.NotFound:         fiber.StatusNotFound,
	apperr.Conflict:         fiber.StatusConflict,
	apperr.TooMany:          fiber.StatusTooManyRequests,
	apperr.Unavailable:      fiber.StatusServiceUnavailable,
	apperr.Internal:         fiber.StatusInternalServerError,
}

// fiberCodes maps Fiber's own errors (routing, body size) to catalogue codes.
var fiberCodes = map[int]string{
	fiber.StatusNotFound:              "route_not_found",
	fiber.StatusMethodNotAllowed:      "method_not_allowed",
	fiber.StatusRequestEntityTooLarge: "body_too_large",
	fiber.StatusRequestTimeout:        "request_timeout",
	fiber.StatusBadRequest:            "malformed_json",
	fiber.StatusUnsupportedMediaType:  "unsupported_media",
}

// errorHandler is the one place where errors become HTTP responses.
func (s *Server) errorHandler(c *fiber.Ctx, err error) error {
	lang := i18n.FromAcceptLanguage(c.Get(fiber.HeaderAcceptLanguage))
	rid := requestID(c)
	if rid == "" { // refused before the middleware ran (a body over the limit)
		rid = newRequestID()
		c.Set(fiber.HeaderXRequestID, rid)
	}
	var (
		status int
		ae     *apperr.Error
		fe     *fiber.Error
	)
	switch {
	case errors.As(err, &ae):
		status = statusOf[ae.Kind]
	case errors.As(err, &fe):
		status = fe.Code
		code, ok := fiberCodes[fe.Code]
		if !ok {
			code = "internal"
			if fe.Code < 500 {
				code = "invalid_value"
			}
		}
		ae = apperr.New(apperr.BadRequest, code)
	default:
		ae = &apperr.Error{Kind: apperr.Internal, Code: "internal", Err: err}
		status = fiber.StatusInternalServerError
	}
	if status == 0 {
		status = fiber.StatusInternalServerError
	}
	if status >= 500 && ae.Kind != apperr.Unavailable {
		// The cause goes to the log only; a 500 never shows internals.
		s.log.Error("request failed", "request_id", rid, "method", c.Method(), "route", c.Route().Path, "error", err.Error())
		ae = apperr.New(apperr.Internal, "internal")
	} else if ae.Kind == apperr.Unavailable {
		s.log.Warn("database unavailable", "request_id", rid, "error", err.Error())
	}
	params := map[string]any{"request_id": rid}
	for k, v := range ae.Params {
		params[k] = v
	}
	env := Envelope{RequestID: rid, Error: EnvelopeError{Code: ae.Code, Message: i18n.Message(lang, ae.Code, params), Fields: map[string]string{}}}
	for _, f := range ae.Fields {
		env.Error.Fields[f.Field] = i18n.Message(lang, f.Code, f.Params)
	}
	switch status {
	case fiber.StatusUnauthorized:
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="tinnhiem"`)
	case fiber.StatusTooManyRequests:
		if sec, ok := ae.Params["seconds"]; ok {
			c.Set(fiber.HeaderRetryAfter, toString(sec))
		}
	case fiber.StatusServiceUnavailable:
		c.Set(fiber.HeaderRetryAfter, "2")
	}
	c.Set(fiber.HeaderContentLanguage, string(lang))
	return c.Status(status).JSON(env)
}

func toString(v any) string {
	switch x := v.(type) {
	case int:
		return strconv.Itoa(x)
	case string:
		return x
	}
	return "1"
}

// logger returns the server's logger (for tests).
func (s *Server) logger() *slog.Logger { return s.log }

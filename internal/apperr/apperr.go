// Package apperr defines the application's error kinds. Errors are typed once here and mapped to HTTP
// statuses once, in the web package; messages are looked up by code in the i18n catalogue.
package apperr

import (
	"errors"
	"fmt"
)

// Kind classifies an error for the caller: it decides the HTTP status and whether the message may be shown.
type Kind string

// The kinds of error the application distinguishes.
const (
	Invalid          Kind = "invalid"           // the request is well-formed but its content is not acceptable (422)
	BadRequest       Kind = "bad_request"       // the request cannot be read at all (400)
	UnsupportedMedia Kind = "unsupported_media" // the body is of a type the endpoint does not take (415)
	Unauthenticated  Kind = "unauthenticated"   // no valid credentials (401)
	Forbidden        Kind = "forbidden"         // credentials valid, action not allowed (403)
	NotFound         Kind = "not_found"         // the object does not exist or is not visible to the caller (404)
	Conflict         Kind = "conflict"          // the object's state does not allow the action (409)
	TooMany          Kind = "too_many"          // rate limited (429)
	Unavailable      Kind = "unavailable"       // a dependency is down; the client may retry (503)
	Internal         Kind = "internal"          // a bug or an unexpected failure (500); details are never shown
)

// Error is an application error: a kind, a message code from the i18n catalogue, parameters for the
// message, optional per-field problems, and the underlying cause (never shown to clients).
type Error struct {
	Kind   Kind
	Code   string
	Params map[string]any
	Fields []FieldError
	Err    error
}

// FieldError is a problem with one field of the input (or one line of an imported file).
type FieldError struct {
	Field  string
	Code   string
	Params map[string]any
}

func (e *Error) Error() string {
	msg := string(e.Kind) + ": " + e.Code
	if len(e.Fields) > 0 {
		msg += fmt.Sprintf(" (%d field problems)", len(e.Fields))
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Is lets errors.Is match on kind and code: errors.Is(err, &Error{Kind: Conflict, Code: "code_spent"}).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok {
		return false
	}
	return (t.Kind == "" || t.Kind == e.Kind) && (t.Code == "" || t.Code == e.Code)
}

// New returns an error of the given kind and message code.
func New(kind Kind, code string) *Error { return &Error{Kind: kind, Code: code} }

// With returns a copy of e with a message parameter added.
func (e *Error) With(key string, value any) *Error {
	c := *e
	c.Params = make(map[string]any, len(e.Params)+1)
	for k, v := range e.Params {
		c.Params[k] = v
	}
	c.Params[key] = value
	return &c
}

// Wrap returns an internal error that keeps cause for the logs.
func Wrap(cause error, what string) error {
	if cause == nil {
		return nil
	}
	var ae *Error
	if errors.As(cause, &ae) {
		return cause
	}
	return &Error{Kind: Internal, Code: "internal", Err: fmt.Errorf("%s: %w", what, cause)}
}

// InvalidFields returns an Invalid error carrying per-field problems.
func InvalidFields(fields ...FieldError) *Error {
	return &Error{Kind: Invalid, Code: "validation_failed", Fields: fields}
}

// Field builds a FieldError.
func Field(field, code string, params ...any) FieldError {
	fe := FieldError{Field: field, Code: code}
	if len(params) > 0 {
		fe.Params = map[string]any{}
		for i := 0; i+1 < len(params); i += 2 {
			fe.Params[fmt.Sprint(params[i])] = params[i+1]
		}
	}
	return fe
}

// KindOf returns the kind of err, or Internal when err is not an *Error.
func KindOf(err error) Kind {
	var ae *Error
	if errors.As(err, &ae) {
		return ae.Kind
	}
	return Internal
}

// IsKind reports whether err is an *Error of the given kind.
func IsKind(err error, kind Kind) bool { return KindOf(err) == kind }

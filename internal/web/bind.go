package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"tinnhiem/internal/apperr"
)

// bind decodes a JSON body into dst strictly: the body must be UTF-8 JSON of one value, with no field
// that dst does not have. Malformed input is a 400; wrong types and unknown fields are a 422 naming
// the field.
func bind(c *fiber.Ctx, dst any) error {
	if !strings.HasPrefix(strings.ToLower(c.Get(fiber.HeaderContentType)), fiber.MIMEApplicationJSON) {
		return apperr.New(apperr.BadRequest, "unsupported_media").With("expected", fiber.MIMEApplicationJSON)
	}
	return decodeStrict(c.Body(), dst)
}

func decodeStrict(body []byte, dst any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return apperr.New(apperr.BadRequest, "empty_body")
	}
	if !utf8.Valid(body) {
		return apperr.New(apperr.BadRequest, "invalid_utf8")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeErr(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return apperr.New(apperr.BadRequest, "malformed_json")
	}
	return nil
}

func decodeErr(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			return apperr.New(apperr.BadRequest, "malformed_json")
		}
		return apperr.InvalidFields(apperr.Field(field, "wrong_type", "expected", jsonKind(typeErr.Type.Kind().String())))
	case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return apperr.New(apperr.BadRequest, "malformed_json")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return apperr.InvalidFields(apperr.Field(name, "unknown_field"))
	}
	// Errors from a field's own UnmarshalJSON (a bad date, say) and anything else unreadable.
	return apperr.InvalidFields(apperr.Field("body", "invalid_value"))
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "slice", "array":
		return "array"
	case "struct", "map", "ptr":
		return "object"
	}
	return "number"
}

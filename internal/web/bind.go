package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"tinnhiem/internal/apperr"
)

// bind decodes a JSON body into dst strictly: the body must be UTF-8 JSON of one value, whose keys
// are exactly dst's field names (no unknown field, no other spelling or case, no key twice).
// Malformed input is a 400; wrong types and unknown fields are a 422 naming the field.
func bind(c *fiber.Ctx, dst any) error {
	mt, _, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	if err != nil || mt != fiber.MIMEApplicationJSON {
		return apperr.New(apperr.UnsupportedMedia, "unsupported_media").With("expected", fiber.MIMEApplicationJSON)
	}
	if raw, ok := dst.(rawBody); ok {
		return bindRaw(c.Body(), raw)
	}
	return decodeStrict(c.Body(), dst)
}

// rawBody is an input taken whole: a protocol message, which its own strict decoder reads (with its
// field names in its errors).
type rawBody interface{ SetRaw([]byte) }

func bindRaw(body []byte, dst rawBody) error {
	if err := readableJSON(body); err != nil {
		return err
	}
	dst.SetRaw(body)
	return nil
}

// readableJSON refuses a body that is empty, not UTF-8 or not JSON: an unreadable body is an invalid
// body (422), like any other.
func readableJSON(body []byte) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return apperr.New(apperr.Invalid, "empty_body")
	}
	if !utf8.Valid(body) {
		return apperr.New(apperr.Invalid, "invalid_utf8")
	}
	if !json.Valid(body) {
		return apperr.New(apperr.Invalid, "malformed_json")
	}
	return nil
}

func decodeStrict(body []byte, dst any) error {
	if err := readableJSON(body); err != nil {
		return err
	}
	// encoding/json matches keys case-insensitively and lets a repeated key win silently; a first
	// pass over the tokens refuses both, against dst's exact field names.
	if err := checkKeys(json.NewDecoder(bytes.NewReader(body)), reflect.TypeOf(dst), ""); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeErr(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return apperr.New(apperr.Invalid, "malformed_json")
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
			return apperr.New(apperr.Invalid, "malformed_json")
		}
		return apperr.InvalidFields(apperr.Field(field, "wrong_type", "expected", jsonKind(typeErr.Type.Kind().String())))
	case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return apperr.New(apperr.Invalid, "malformed_json")
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

// checkKeys walks the JSON tokens beside the Go type they decode into. Objects decoding into a struct
// may only use its exact JSON names; no object may repeat a key. Syntax errors are left for the
// decoder to report.
func checkKeys(dec *json.Decoder, t reflect.Type, path string) error {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	tok, err := dec.Token()
	if err != nil {
		return nil
	}
	delim, ok := tok.(json.Delim)
	if !ok {
		return nil
	}
	switch delim {
	case '{':
		fields := structFields(t)
		seen := map[string]bool{}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil
			}
			key, _ := kt.(string)
			name := strings.TrimPrefix(path+"."+key, ".")
			if seen[key] {
				return apperr.InvalidFields(apperr.Field(name, "duplicate_key"))
			}
			seen[key] = true
			var ft reflect.Type
			if fields != nil {
				f, ok := fields[key]
				if !ok {
					return apperr.InvalidFields(apperr.Field(name, "unknown_field"))
				}
				ft = f
			} else if t != nil && t.Kind() == reflect.Map {
				ft = t.Elem()
			}
			if err := checkKeys(dec, ft, name); err != nil {
				return err
			}
		}
		_, _ = dec.Token()
	case '[':
		var et reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			et = t.Elem()
		}
		for i := 0; dec.More(); i++ {
			if err := checkKeys(dec, et, path+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
		_, _ = dec.Token()
	}
	return nil
}

// structFields maps the exact JSON names of a struct's fields to their types (nil when t is no struct).
func structFields(t reflect.Type) map[string]reflect.Type {
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

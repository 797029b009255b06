// Package validate checks input structs with go-playground/validator and turns its findings into
// apperr field problems with message codes, so the API and the CSV importers report alike.
package validate

import (
	"errors"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/go-playground/validator/v10"
	"golang.org/x/text/unicode/norm"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/civil"
)

// resolutionNumberRE is a document number: its number, a slash, its symbol ("52/NQ-HĐND").
var resolutionNumberRE = regexp.MustCompile(`^\d{1,5}/\S+$`)

var (
	once sync.Once
	v    *validator.Validate
)

func instance() *validator.Validate {
	once.Do(func() {
		v = validator.New(validator.WithRequiredStructEnabled())
		v.RegisterTagNameFunc(func(f reflect.StructField) string {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				return ""
			}
			if name == "" {
				return f.Name
			}
			return name
		})
		must(v.RegisterValidation("date", func(fl validator.FieldLevel) bool {
			d, err := civil.Parse(fl.Field().String())
			return err == nil && d.Year >= 1900 && d.Year <= 2200
		}))
		must(v.RegisterValidation("nocontrol", func(fl validator.FieldLevel) bool {
			return !HasControl(fl.Field().String())
		}))
		must(v.RegisterValidation("resolution_number", func(fl validator.FieldLevel) bool {
			return resolutionNumberRE.MatchString(fl.Field().String())
		}))
		must(v.RegisterValidation("code", func(fl validator.FieldLevel) bool {
			return IsCode(fl.Field().String())
		}))
		must(v.RegisterValidation("id", func(fl validator.FieldLevel) bool {
			return IDRE.MatchString(fl.Field().String())
		}))
	})
	return v
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// IDRE matches an object identifier (a UUID, or a test's short id).
var IDRE = regexp.MustCompile(`^[A-Za-z0-9-]{1,64}$`)

// HasControl reports whether s holds a control or format character (tabs, newlines, NUL, bidi
// overrides, zero-width characters), or is invisible altogether.
func HasControl(s string) bool {
	visible := false
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError {
			return true
		}
		visible = visible || !unicode.IsSpace(r)
	}
	return s != "" && !visible
}

// IsCode reports whether s is a roster code: letters (Vietnamese ones too), digits, and . - _ /.
func IsCode(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune(".-_/", r) {
			return false
		}
	}
	return true
}

// Clean normalises a one-line text input: NFC, trimmed, inner runs of spaces folded to one.
func Clean(s string) string {
	return strings.Join(strings.Fields(norm.NFC.String(s)), " ")
}

// Struct validates s and returns its problems (nil when valid). Field names are the JSON names with
// their path (positions[0].title); prefix is put in front of each, for CSV lines.
func Struct(s any, prefix string) []apperr.FieldError {
	err := instance().Struct(s)
	if err == nil {
		return nil
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return []apperr.FieldError{apperr.Field(prefix+"body", "invalid_value")}
	}
	out := make([]apperr.FieldError, 0, len(verrs))
	for _, fe := range verrs {
		ns := fe.Namespace()
		if i := strings.IndexByte(ns, '.'); i >= 0 {
			ns = ns[i+1:]
		}
		out = append(out, toField(prefix+ns, fe))
	}
	return out
}

func toField(name string, fe validator.FieldError) apperr.FieldError {
	isString := fe.Kind() == reflect.String
	switch fe.Tag() {
	case "required", "required_if", "required_unless":
		return apperr.Field(name, "required")
	case "max":
		if isString {
			return apperr.Field(name, "too_long", "max", fe.Param())
		}
		return apperr.Field(name, "at_most", "max", fe.Param())
	case "min":
		if isString {
			return apperr.Field(name, "too_short", "min", fe.Param())
		}
		return apperr.Field(name, "at_least", "min", fe.Param())
	case "gte", "gt":
		return apperr.Field(name, "at_least", "min", fe.Param())
	case "lte", "lt":
		return apperr.Field(name, "at_most", "max", fe.Param())
	case "oneof":
		return apperr.Field(name, "one_of", "values", strings.ReplaceAll(fe.Param(), " ", ", "))
	case "date":
		return apperr.Field(name, "invalid_date")
	case "nocontrol":
		return apperr.Field(name, "control_chars")
	case "code":
		return apperr.Field(name, "invalid_code_chars")
	case "resolution_number":
		return apperr.Field(name, "resolution_number")
	}
	return apperr.Field(name, "invalid_value")
}

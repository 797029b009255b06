// Package i18n holds the message catalogue of the server: every error and field message in Vietnamese
// (the default) and English. Messages have {name} placeholders filled from parameters.
package i18n

import (
	"fmt"
	"strings"

	"golang.org/x/text/language"
)

// Lang is a supported language.
type Lang string

// Supported languages; Vietnamese is the default.
const (
	VI Lang = "vi"
	EN Lang = "en"
)

var matcher = language.NewMatcher([]language.Tag{language.Vietnamese, language.English})

// FromAcceptLanguage picks the language for an Accept-Language header value: English only when the
// client prefers it to Vietnamese; Vietnamese otherwise.
func FromAcceptLanguage(header string) Lang {
	if strings.TrimSpace(header) == "" {
		return VI
	}
	tags, _, err := language.ParseAcceptLanguage(header)
	if err != nil || len(tags) == 0 {
		return VI
	}
	_, idx, conf := matcher.Match(tags...)
	if idx == 1 && conf != language.No {
		return EN
	}
	return VI
}

// Message returns the message for code in lang with params substituted. An unknown code falls back to
// the generic message, so a missing entry never leaks an internal identifier to a user.
func Message(lang Lang, code string, params map[string]any) string {
	pair, ok := catalogue[code]
	if !ok {
		pair = catalogue["invalid_value"]
	}
	msg := pair[0]
	if lang == EN {
		msg = pair[1]
	}
	for k, v := range params {
		msg = strings.ReplaceAll(msg, "{"+k+"}", fmt.Sprint(v))
	}
	return msg
}

// Has reports whether the catalogue has a message for code.
func Has(code string) bool {
	_, ok := catalogue[code]
	return ok
}

// Codes lists every code in the catalogue (for tests).
func Codes() []string {
	out := make([]string, 0, len(catalogue))
	for k := range catalogue {
		out = append(out, k)
	}
	return out
}

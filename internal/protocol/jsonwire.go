package protocol

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"unicode/utf8"
)

// decodeStrict decodes one JSON object into v, refusing unknown fields and trailing data.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return errf(te.Field, CodeJSON, "wrong type (%s expected)", te.Type)
		}
		return errf("", CodeJSON, "%s", err.Error())
	}
	if _, err := dec.Token(); err != io.EOF {
		return errf("", CodeJSON, "data after the JSON object")
	}
	return checkPresent(data, v)
}

// checkPresent refuses a message whose top-level object lacks one of the fields of v's struct (a
// missing number would otherwise read as 0).
func checkPresent(data []byte, v any) error {
	t := reflect.TypeOf(v).Elem()
	if t.Kind() != reflect.Struct {
		return nil
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(data, &keys); err != nil {
		return errf("", CodeJSON, "%s", err.Error())
	}
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if _, ok := keys[name]; !ok {
			return errf(name, CodeJSON, "missing field")
		}
	}
	return nil
}

// checkID accepts an id (vote, council, ceremony, user): 1 to 128 bytes of valid UTF-8.
func checkID(field, s string) error {
	if len(s) == 0 || len(s) > 128 {
		return errf(field, CodeLength, "an id has 1 to 128 bytes")
	}
	if !utf8.ValidString(s) {
		return errf(field, CodeJSON, "an id must be valid UTF-8")
	}
	return nil
}

func checkVersion(v int) error {
	if v != 1 {
		return errf("version", CodeVersion, "unsupported version %d (this implementation reads version 1)", v)
	}
	return nil
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

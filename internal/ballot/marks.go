package ballot

import (
	"tinnhiem/internal/apperr"
	"tinnhiem/internal/rules"
)

// A ballot's marks are one character per subject, in ballot order: the level's letter, Blank for a
// row left empty, or Spoiled for a paper row with several marks. Both of the last are invalid for
// that person only (rules.md §5).
const (
	Blank   = '0'
	Spoiled = 'x'
)

var letters = map[rules.Level]byte{rules.High: 'h', rules.Medium: 'm', rules.Low: 'l', rules.Trust: 't', rules.NoTrust: 'n'}

// Letter returns the mark letter of a level.
func Letter(l rules.Level) byte { return letters[l] }

// LevelOf returns the level of a mark letter, or false for a blank or spoiled row.
func LevelOf(c byte) (rules.Level, bool) {
	for l, x := range letters {
		if x == c {
			return l, true
		}
	}
	return "", false
}

// Choice is one row of a cast ballot: a subject and a level, or a nil level for a blank row.
type Choice struct {
	OfficialID string       `json:"official_id"`
	Level      *rules.Level `json:"level"`
}

// Encode checks choices against the vote's subjects (in ballot order) and kind and returns the marks.
// A subject left out, or given null, is a blank row. An unknown subject, a subject twice, or a level
// not of the vote's kind is refused.
func Encode(kind rules.Kind, subjects []string, choices []Choice) (string, error) {
	index := make(map[string]int, len(subjects))
	for i, id := range subjects {
		index[id] = i
	}
	marks := make([]byte, len(subjects))
	for i := range marks {
		marks[i] = Blank
	}
	seen := make(map[string]bool, len(choices))
	var fields []apperr.FieldError
	for i, c := range choices {
		name := "choices[" + itoa(i) + "]"
		pos, ok := index[c.OfficialID]
		switch {
		case !ok:
			fields = append(fields, apperr.Field(name+".official_id", "unknown_subject"))
			continue
		case seen[c.OfficialID]:
			fields = append(fields, apperr.Field(name+".official_id", "duplicate_subject"))
			continue
		}
		seen[c.OfficialID] = true
		if c.Level == nil {
			continue
		}
		if !kind.Has(*c.Level) {
			fields = append(fields, apperr.Field(name+".level", "level_not_of_kind", "kind", string(kind)))
			continue
		}
		marks[pos] = letters[*c.Level]
	}
	if len(fields) > 0 {
		return "", apperr.InvalidFields(fields...)
	}
	return string(marks), nil
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

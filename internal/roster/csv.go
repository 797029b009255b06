package roster

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"tinnhiem/internal/apperr"
)

// MaxImportRows bounds an import file.
const MaxImportRows = 5000

// Imported delegate and official rows keep their CSV line numbers, to report problems found later
// (a code already in the database) against the right line.
type (
	DelegateRow struct {
		Line  int
		Input DelegateInput
	}
	OfficialRow struct {
		Lines []int
		Input OfficialInput
	}
)

func lineField(line int, col string) string { return fmt.Sprintf("line %d: %s", line, col) }

// LineField names a column of a CSV line in a field problem ("line 7: code").
func LineField(line int, col string) string { return lineField(line, col) }

type table struct {
	cols  map[string]int
	lines []int
	rows  [][]string
}

// readTable reads a UTF-8 CSV with a header row. The BOM Excel writes is accepted. Every problem is
// reported with its line number; the caller imports nothing when there is any.
func readTable(data []byte, required, optional []string) (table, []apperr.FieldError) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var fields []apperr.FieldError
	if !utf8.Valid(data) {
		// Name the first bad line so the secretary can find it.
		line := 1 + bytes.Count(data[:firstInvalid(data)], []byte("\n"))
		return table{}, []apperr.FieldError{apperr.Field(lineField(line, "*"), "invalid_utf8")}
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return table{}, []apperr.FieldError{apperr.Field(lineField(1, "*"), "csv_empty")}
		}
		return table{}, []apperr.FieldError{csvSyntax(err)}
	}
	t := table{cols: map[string]int{}}
	known := map[string]bool{}
	for _, c := range append(append([]string{}, required...), optional...) {
		known[c] = true
	}
	var headerProblems []apperr.FieldError
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		if _, dup := t.cols[name]; dup {
			headerProblems = append(headerProblems, apperr.Field(lineField(1, name), "csv_duplicate_column", "column", name))
			continue
		}
		if !known[name] {
			headerProblems = append(headerProblems, apperr.Field(lineField(1, name), "csv_unknown_column", "column", name))
		}
		t.cols[name] = i
	}
	if len(headerProblems) > 0 {
		return table{}, headerProblems
	}
	var missing []string
	for _, c := range required {
		if _, ok := t.cols[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return table{}, []apperr.FieldError{apperr.Field(lineField(1, "*"), "csv_header", "columns", strings.Join(append(append([]string{}, required...), optional...), ", "))}
	}
	for {
		line, _ := r.FieldPos(0)
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			fields = append(fields, csvSyntax(err))
			break
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		line, _ = r.FieldPos(0)
		if len(rec) != len(header) {
			fields = append(fields, apperr.Field(lineField(line, "*"), "csv_columns", "expected", len(header), "got", len(rec)))
			continue
		}
		if len(t.rows) >= MaxImportRows {
			return table{}, []apperr.FieldError{apperr.Field(lineField(line, "*"), "csv_too_many", "max", MaxImportRows)}
		}
		t.rows = append(t.rows, rec)
		t.lines = append(t.lines, line)
	}
	if len(t.rows) == 0 && len(fields) == 0 {
		fields = append(fields, apperr.Field(lineField(2, "*"), "csv_empty"))
	}
	return t, fields
}

func (t table) get(row []string, col string) string {
	i, ok := t.cols[col]
	if !ok {
		return ""
	}
	return row[i]
}

func csvSyntax(err error) apperr.FieldError {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return apperr.Field(lineField(pe.Line, "*"), "csv_syntax", "detail", pe.Err.Error())
	}
	return apperr.Field(lineField(0, "*"), "csv_syntax", "detail", err.Error())
}

func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// ParseDelegatesCSV reads delegates from a CSV with the header full_name,code (optionally
// took_office_on,left_office_on). It returns every row, or every problem with its line.
func ParseDelegatesCSV(data []byte) ([]DelegateRow, []apperr.FieldError) {
	t, fields := readTable(data, []string{"full_name", "code"}, []string{"took_office_on", "left_office_on"})
	if t.cols == nil {
		return nil, fields
	}
	out := make([]DelegateRow, 0, len(t.rows))
	seen := map[string]int{}
	for i, rec := range t.rows {
		line := t.lines[i]
		in := DelegateInput{FullName: t.get(rec, "full_name"), Code: t.get(rec, "code"),
			TookOfficeOn: strings.TrimSpace(t.get(rec, "took_office_on")), LeftOfficeOn: strings.TrimSpace(t.get(rec, "left_office_on"))}
		fields = append(fields, in.Check(fmt.Sprintf("line %d: ", line))...)
		if prev, ok := seen[strings.ToLower(in.Code)]; ok && in.Code != "" {
			fields = append(fields, apperr.Field(lineField(line, "code"), "duplicate_in_file", "line", prev))
		} else {
			seen[strings.ToLower(in.Code)] = line
		}
		out = append(out, DelegateRow{Line: line, Input: in})
	}
	if len(fields) > 0 {
		return nil, fields
	}
	return out, nil
}

// ParseOfficialsCSV reads officials from a CSV with the header
// full_name,category,title,elected_on,retirement_announced (optionally illness_leave_since). Lines
// with the same full name are one person holding several posts.
func ParseOfficialsCSV(data []byte) ([]OfficialRow, []apperr.FieldError) {
	t, fields := readTable(data, []string{"full_name", "category", "title", "elected_on", "retirement_announced"}, []string{"illness_leave_since"})
	if t.cols == nil {
		return nil, fields
	}
	var out []OfficialRow
	byName := map[string]int{}
	for i, rec := range t.rows {
		line := t.lines[i]
		prefix := fmt.Sprintf("line %d: ", line)
		retired, ok := parseBool(t.get(rec, "retirement_announced"))
		if !ok {
			fields = append(fields, apperr.Field(lineField(line, "retirement_announced"), "boolean"))
		}
		in := OfficialInput{
			FullName:            t.get(rec, "full_name"),
			RetirementAnnounced: retired,
			IllnessLeaveSince:   strings.TrimSpace(t.get(rec, "illness_leave_since")),
			Positions: []PositionInput{{Category: Category(t.get(rec, "category")), Title: t.get(rec, "title"),
				ElectedOn: strings.TrimSpace(t.get(rec, "elected_on"))}},
		}
		rowFields := in.Check(prefix)
		for j := range rowFields { // a CSV line has flat column names
			rowFields[j].Field = strings.Replace(rowFields[j].Field, "positions[0].", "", 1)
		}
		fields = append(fields, rowFields...)
		key := strings.ToLower(in.FullName)
		if k, ok := byName[key]; ok && key != "" {
			// Lines with the same full name are one person holding several posts; they must agree on
			// what belongs to the person rather than to a post.
			o := &out[k]
			o.Lines = append(o.Lines, line)
			o.Input.Positions = append(o.Input.Positions, in.Positions...)
			if o.Input.RetirementAnnounced != in.RetirementAnnounced {
				fields = append(fields, apperr.Field(lineField(line, "retirement_announced"), "csv_inconsistent", "column", "retirement_announced"))
			}
			if o.Input.IllnessLeaveSince != in.IllnessLeaveSince {
				fields = append(fields, apperr.Field(lineField(line, "illness_leave_since"), "csv_inconsistent", "column", "illness_leave_since"))
			}
			continue
		}
		byName[key] = len(out)
		out = append(out, OfficialRow{Lines: []int{line}, Input: in})
	}
	if len(fields) > 0 {
		return nil, fields
	}
	return out, nil
}

func parseBool(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "0", "false", "no", "không", "khong", "f", "n":
		return false, true
	case "1", "true", "yes", "có", "co", "x", "t", "y":
		return true, true
	}
	return false, false
}

// Package record is the public record of a vote and its independent verifier (docs/RECORD.md): a
// self-contained, versioned JSON document with every public message of the vote (the manifest, the
// board's key ceremony, the credential lists, every cast encrypted ballot, the paper totals, the
// encrypted sums, the partial decryptions, the counts, the tally and the board's certifications), and
// Verify, which re-runs every check from the record alone.
//
// The package imports only the standard library and internal/protocol (which imports only the group
// library and golang.org/x/crypto): nothing of the server. The rules that turn counts into
// percentages, bands and consequences come from the record's own rule data, and the arithmetic here
// is a second implementation of the server's, written from docs/RECORD.md.
package record

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"
)

// Format and Version name the record format; a reader refuses any other.
const (
	Format  = "tinnhiem-record"
	Version = 1
)

// Modes of a vote's ballots.
const (
	ModeEncrypted = "encrypted"
	ModePlain     = "plain"
)

// Record is the public record of one vote. Protocol messages are kept as the JSON their signers
// produced (json.RawMessage); everything else is plain data. Field order is the serialised order.
type Record struct {
	Format       string          `json:"format"`
	Version      int             `json:"version"`
	Mode         string          `json:"mode"`
	Vote         Vote            `json:"vote"`
	Rules        Rules           `json:"rules"`
	Board        []BoardMember   `json:"board"`
	Figures      Figures         `json:"figures"`
	Encrypted    *Encrypted      `json:"encrypted"`
	Plain        *Plain          `json:"plain"`
	Counts       [][]int64       `json:"counts"`
	Tally        json.RawMessage `json:"tally"`
	TallyHash    string          `json:"tally_hash"`
	AuditAnchor  string          `json:"audit_anchor"`
	Documents    []Document      `json:"documents"`
	FrontendHash string          `json:"frontend_hash"`
}

// Vote is the vote's manifest as people read it: council, session, title, kind, date, rule set,
// percentage base with the council's decision behind it, and the subjects in ballot order.
type Vote struct {
	VoteID       string    `json:"vote_id"`
	CouncilID    string    `json:"council_id"`
	CouncilName  string    `json:"council_name"`
	Session      string    `json:"session"`
	Title        string    `json:"title"`
	Kind         string    `json:"kind"`
	VoteDate     string    `json:"vote_date"`
	RuleSetID    string    `json:"rule_set_id"`
	RuleSetName  string    `json:"rule_set_name"`
	Base         string    `json:"base"`
	BaseDecision string    `json:"base_decision"`
	Subjects     []Subject `json:"subjects"`
}

// Subject is one row of the ballot. Positions is the JSON array the server's tally carries for the
// person, kept as given: it enters the certified tally byte for byte (after compaction).
type Subject struct {
	OfficialID string          `json:"official_id"`
	FullName   string          `json:"full_name"`
	Positions  json.RawMessage `json:"positions"`
}

// Rules is the rule data of the vote, taken by the server from its rule set and already worded for
// this vote: the levels in ballot order, the decisive level, the band thresholds as rationals, the
// consequence of each band, the band that calls for a no-confidence vote, and the quorum.
type Rules struct {
	Levels              []string      `json:"levels"`
	Decisive            string        `json:"decisive"`
	Bands               []Band        `json:"bands"`
	DefaultBand         string        `json:"default_band"`
	Consequences        []Consequence `json:"consequences"`
	NoConfidenceDueBand string        `json:"no_confidence_due_band"`
	Quorum              *Fraction     `json:"quorum"`
}

// Band is a consequence band: it holds for a decisive count x of base N when Den·x ≥ Num·N
// (Inclusive, and N > 0) or Den·x > Num·N (not Inclusive). Bands are tried in order.
type Band struct {
	Band      string `json:"band"`
	Num       int64  `json:"num"`
	Den       int64  `json:"den"`
	Inclusive bool   `json:"inclusive"`
}

// Consequence is the text of a band's consequence for this vote.
type Consequence struct {
	Band string `json:"band"`
	Text string `json:"text"`
}

// Fraction is the quorum: met when Den·present ≥ Num·convened.
type Fraction struct {
	Num int64 `json:"num"`
	Den int64 `json:"den"`
}

// BoardMember is a member of the counting board. Identifier is the member's DKG identifier (64 hex)
// on an encrypted vote, "" on a plain one.
type BoardMember struct {
	UserID     string `json:"user_id"`
	FullName   string `json:"full_name"`
	Role       string `json:"role"`
	Identifier string `json:"identifier"`
}

// Figures are the vote's ballot figures. BallotsCast counts the electronic ballots; Paper is null
// when the vote has no paper part.
type Figures struct {
	TotalDelegates  int64  `json:"total_delegates"`
	BallotsIssued   int64  `json:"ballots_issued"`
	BallotsCast     int64  `json:"ballots_cast"`
	CodesVoided     int64  `json:"codes_voided"`
	Paper           *Paper `json:"paper"`
	BallotsReceived int64  `json:"ballots_received"`
}

// Paper are the paper ballots' figures: received, and of them valid and invalid as a whole.
type Paper struct {
	Received int64 `json:"received"`
	Valid    int64 `json:"valid"`
	Invalid  int64 `json:"invalid"`
}

// Encrypted is the cryptographic part of an encrypted vote's record.
type Encrypted struct {
	Manifest           json.RawMessage   `json:"manifest"`
	ManifestHash       string            `json:"manifest_hash"`
	VoteFingerprint    string            `json:"vote_fingerprint"`
	Ceremony           Ceremony          `json:"ceremony"`
	CredentialLists    []json.RawMessage `json:"credential_lists"`
	Ballots            []CastBallot      `json:"ballots"`
	Spoiled            []string          `json:"spoiled"`
	PaperTotals        []json.RawMessage `json:"paper_totals"`
	Sums               json.RawMessage   `json:"sums"`
	SumsHash           string            `json:"sums_hash"`
	PartialDecryptions []json.RawMessage `json:"partial_decryptions"`
	Certifications     []json.RawMessage `json:"certifications"`
}

// Ceremony is the board's key ceremony: its parameters, every round-1 message, every round-3
// confirmation, and the results the members read aloud.
type Ceremony struct {
	CeremonyID    string            `json:"ceremony_id"`
	CouncilID     string            `json:"council_id"`
	VoteID        string            `json:"vote_id"`
	Threshold     int               `json:"threshold"`
	Members       []string          `json:"members"`
	Round1        []json.RawMessage `json:"round1"`
	Confirmations []json.RawMessage `json:"confirmations"`
	JointKey      string            `json:"joint_key"`
	Transcript    string            `json:"transcript"`
	Fingerprint   string            `json:"fingerprint"`
}

// CastBallot is a cast encrypted ballot with its ballot hash (the tracking code, 128 hex).
type CastBallot struct {
	BallotHash string          `json:"ballot_hash"`
	Ballot     json.RawMessage `json:"ballot"`
}

// Plain is the ballot part of a plain (unencrypted) vote: the marks of every valid ballot, sorted,
// the number of ballots invalid as a whole, and the board members who certified. None of it is
// cryptographically attested.
type Plain struct {
	Ballots []string `json:"ballots"`
	// BallotsWithheld is true for a vote with a paper part: its ballots are not listed (the paper
	// ballots exist only as the board's totals, and listing the electronic ones beside the combined
	// counts would show the split between paper and electronic, which stays with the board).
	BallotsWithheld bool     `json:"ballots_withheld"`
	Invalid         int64    `json:"invalid"`
	CertifiedBy     []string `json:"certified_by"`
}

// Document is a published document (minutes, resolution, ...) by name and SHA-256 (64 hex).
type Document struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
}

// ErrFormat is the base error of every refusal of Decode and Encode.
var ErrFormat = errors.New("record: invalid")

// FormatError is a refusal of Decode or Encode naming the field ("encrypted.ballots[3].ballot_hash").
type FormatError struct {
	Field string
	Msg   string
}

func (e *FormatError) Error() string {
	if e.Field == "" {
		return e.Msg
	}
	return e.Field + ": " + e.Msg
}

// Is makes every *FormatError match ErrFormat.
func (e *FormatError) Is(target error) bool { return target == ErrFormat }

func formatErr(field, format string, args ...any) *FormatError {
	return &FormatError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// VersionError is Decode's refusal of a record of another format or version.
type VersionError struct {
	Format  string
	Version int
}

func (e *VersionError) Error() string {
	if e.Format != Format {
		return fmt.Sprintf("not a %s file (format %q)", Format, e.Format)
	}
	return fmt.Sprintf("%s version %d is not supported (this verifier reads version %d)", Format, e.Version, Version)
}

// Is makes a *VersionError match ErrFormat.
func (e *VersionError) Is(target error) bool { return target == ErrFormat }

// Encode writes the record in its canonical form: one line of compact JSON (Go's encoding, <, > and &
// escaped) followed by a newline, with every list in its defined order (docs/RECORD.md §2): the
// same record gives the same bytes whatever order its lists were filled in. The record is not
// changed.
func Encode(r *Record) ([]byte, error) {
	c := Canonical(r)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	if err := enc.Encode(c); err != nil {
		return nil, formatErr("", "%s", err.Error())
	}
	return buf.Bytes(), nil
}

// Canonical returns a copy of r with nil lists made empty and every list in its defined order
// (docs/RECORD.md §2), protocol messages compacted: what Encode writes. The server also answers a
// board member's request for the cast ballots in this form, so that it is the record's.
func Canonical(r *Record) *Record {
	c := *r
	c.Vote.Subjects = nonNil(c.Vote.Subjects)
	for i := range c.Vote.Subjects {
		if c.Vote.Subjects[i].Positions == nil {
			c.Vote.Subjects[i].Positions = json.RawMessage("null")
		}
	}
	c.Rules.Levels = nonNil(c.Rules.Levels)
	c.Rules.Bands = nonNil(c.Rules.Bands)
	c.Rules.Consequences = nonNil(c.Rules.Consequences)
	c.Board = nonNil(c.Board)
	c.Counts = nonNil(c.Counts)
	for i := range c.Counts {
		c.Counts[i] = nonNil(c.Counts[i])
	}
	if c.Tally == nil {
		c.Tally = json.RawMessage("null")
	}
	c.Documents = slices.Clone(nonNil(c.Documents))
	slices.SortFunc(c.Documents, func(a, b Document) int { return strings.Compare(a.Name, b.Name) })
	if r.Encrypted != nil {
		e := *r.Encrypted
		e.Ceremony.Members = slices.Clone(nonNil(e.Ceremony.Members))
		slices.Sort(e.Ceremony.Members)
		e.Ceremony.Round1 = sortedRaw(e.Ceremony.Round1)
		e.Ceremony.Confirmations = sortedRaw(e.Ceremony.Confirmations)
		e.CredentialLists = sortedRaw(e.CredentialLists)
		e.Ballots = slices.Clone(nonNil(e.Ballots))
		slices.SortFunc(e.Ballots, func(a, b CastBallot) int { return strings.Compare(a.BallotHash, b.BallotHash) })
		e.Spoiled = slices.Clone(nonNil(e.Spoiled))
		slices.Sort(e.Spoiled)
		e.PaperTotals = sortedRaw(e.PaperTotals)
		e.PartialDecryptions = sortedRaw(e.PartialDecryptions)
		e.Certifications = sortedRaw(e.Certifications)
		if e.Manifest == nil {
			e.Manifest = json.RawMessage("null")
		}
		if e.Sums == nil {
			e.Sums = json.RawMessage("[]")
		}
		c.Encrypted = &e
	}
	if r.Plain != nil {
		p := *r.Plain
		p.Ballots = slices.Clone(nonNil(p.Ballots))
		slices.Sort(p.Ballots)
		p.CertifiedBy = slices.Clone(nonNil(p.CertifiedBy))
		slices.Sort(p.CertifiedBy)
		c.Plain = &p
	}
	return &c
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// sortedRaw compacts protocol messages (escaping <, >, & and U+2028/9 as the record's JSON does) and
// sorts them by those bytes.
func sortedRaw(msgs []json.RawMessage) []json.RawMessage {
	out := make([]json.RawMessage, len(msgs))
	for i, m := range msgs {
		var c, b bytes.Buffer
		if err := json.Compact(&c, m); err != nil {
			out[i] = m // Encode reports it
			continue
		}
		json.HTMLEscape(&b, c.Bytes())
		out[i] = b.Bytes()
	}
	slices.SortFunc(out, func(a, b json.RawMessage) int { return bytes.Compare(a, b) })
	return out
}

// Decode reads a record strictly: valid UTF-8; unknown fields refused, every field of every object
// required, keys matched exactly (encoding/json alone would match them case-insensitively); no object
// anywhere (protocol messages included) with a key twice and no number with a fraction or an
// exponent; a record of another format or version is refused by name (*VersionError). Protocol messages are
// not decoded here: Verify decodes each with its own strict parser.
func Decode(data []byte) (*Record, error) {
	if !utf8.Valid(data) {
		return nil, formatErr("", "the record is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var r Record
	err := dec.Decode(&r)
	if err == nil {
		if _, terr := dec.Token(); terr != io.EOF {
			err = formatErr("", "data after the record")
		}
	}
	if err != nil || r.Format != Format || r.Version != Version {
		// A record of another version is named as such before any other error of its shape.
		var head struct {
			Format  any `json:"format"`
			Version any `json:"version"`
		}
		if json.Unmarshal(data, &head) == nil && (head.Format != any(Format) || head.Version != any(float64(Version))) {
			f, _ := head.Format.(string)
			v, _ := head.Version.(float64)
			return nil, &VersionError{Format: f, Version: int(v)}
		}
	}
	if err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, formatErr(te.Field, "wrong type (%s expected)", te.Type)
		}
		var fe *FormatError
		if errors.As(err, &fe) {
			return nil, fe
		}
		return nil, formatErr("", "%s", err.Error())
	}
	w := &walker{data: data}
	if err := w.value(reflect.TypeOf(r), ""); err != nil {
		return nil, err
	}
	return &r, nil
}

// walker checks the shape of an already valid JSON document against the record's types in one
// pass: every struct field present (but those marked omitempty), keys exact and not repeated. Protocol messages
// (json.RawMessage) are skipped: their own parsers check them.
type walker struct {
	data []byte
	pos  int
}

var rawType = reflect.TypeOf(json.RawMessage(nil))

func (w *walker) ws() {
	for w.pos < len(w.data) {
		switch w.data[w.pos] {
		case ' ', '\t', '\n', '\r':
			w.pos++
		default:
			return
		}
	}
}

func (w *walker) peek() byte {
	w.ws()
	if w.pos >= len(w.data) {
		return 0
	}
	return w.data[w.pos]
}

// str reads a string and returns its value.
func (w *walker) str() (string, error) {
	start := w.pos
	w.pos++
	escaped := false
	for w.pos < len(w.data) {
		i := bytes.IndexAny(w.data[w.pos:], `"\\`)
		if i < 0 {
			break
		}
		w.pos += i
		if w.data[w.pos] == '\\' {
			escaped = true
			w.pos += 2
			continue
		}
		w.pos++
		raw := w.data[start:w.pos]
		if !escaped {
			return string(raw[1 : len(raw)-1]), nil
		}
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	}
	return "", formatErr("", "unterminated string")
}

// skip passes over one value, refusing a key repeated in an object and a number that is not an
// integer.
func (w *walker) skip(path string) error {
	// keys[d] are the keys seen in the object open at depth d (nil for an array).
	var keys [][]string
	expectKey := false
	for {
		switch c := w.peek(); c {
		case '"':
			s, err := w.str()
			if err != nil {
				return err
			}
			if expectKey {
				top := len(keys) - 1
				for _, k := range keys[top] {
					if k == s {
						return formatErr(path, "the key %q is repeated in an object", s)
					}
				}
				keys[top] = append(keys[top], s)
				expectKey = false
			}
		case '{':
			keys = append(keys, []string{})
			expectKey = true
			w.pos++
		case '[':
			keys = append(keys, nil)
			w.pos++
		case '}', ']':
			keys = keys[:len(keys)-1]
			w.pos++
		case ',':
			expectKey = len(keys) > 0 && keys[len(keys)-1] != nil
			w.pos++
			continue
		case ':':
			w.pos++
			continue
		case 0:
			return formatErr(path, "unexpected end")
		default:
			start := w.pos
			for w.pos < len(w.data) && !strings.ContainsRune(",:]} \t\n\r", rune(w.data[w.pos])) {
				w.pos++
			}
			if tok := w.data[start:w.pos]; (c == '-' || c >= '0' && c <= '9') && bytes.ContainsAny(tok, ".eE") {
				return formatErr(path, "the number %s is not an integer", tok)
			}
		}
		if len(keys) == 0 {
			return nil
		}
	}
}

func (w *walker) value(t reflect.Type, path string) error {
	nullable := t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if w.peek() == 'n' && t != rawType {
		if !nullable && t.Kind() == reflect.Struct {
			return formatErr(path, "an object is expected, not null")
		}
		return w.skip(path)
	}
	switch {
	case t == rawType:
		return w.skip(path)
	case t.Kind() == reflect.Struct:
		if w.peek() != '{' {
			return formatErr(path, "an object is expected")
		}
		w.pos++
		seen := make([]bool, t.NumField())
		for {
			c := w.peek()
			if c == '}' {
				w.pos++
				break
			}
			if c == ',' {
				w.pos++
				continue
			}
			key, err := w.str()
			if err != nil {
				return err
			}
			if w.peek() != ':' {
				return formatErr(path, "a colon is expected")
			}
			w.pos++
			f := fieldIndex(t, key)
			if f < 0 {
				return formatErr(join(path, key), "unknown field")
			}
			if seen[f] {
				return formatErr(join(path, key), "repeated field")
			}
			seen[f] = true
			if err := w.value(t.Field(f).Type, join(path, key)); err != nil {
				return err
			}
		}
		for i, ok := range seen {
			if !ok && !strings.Contains(t.Field(i).Tag.Get("json"), ",omitempty") {
				return formatErr(join(path, jsonName(t.Field(i))), "missing field")
			}
		}
		return nil
	case t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Uint8:
		if w.peek() != '[' {
			return formatErr(path, "a list is expected")
		}
		w.pos++
		for i := 0; ; {
			c := w.peek()
			if c == ']' {
				w.pos++
				return nil
			}
			if c == ',' {
				w.pos++
				continue
			}
			if err := w.value(t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
			i++
		}
	default:
		return w.skip(path)
	}
}

func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	return name
}

func fieldIndex(t reflect.Type, key string) int {
	for i := 0; i < t.NumField(); i++ {
		if jsonName(t.Field(i)) == key {
			return i
		}
	}
	return -1
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

package record

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// Percentage bases (the ids the certification signs).
const (
	BaseTotalDelegates  = "total_delegates"
	BaseBallotsReceived = "ballots_received"
)

// Flags of a subject's result.
const (
	FlagBaseSensitive   = "base_sensitive"
	FlagResigned        = "resigned"
	FlagNoConfidenceDue = "no_confidence_due"
)

// Tally is the server's tally object (GET /votes/:id/tally) as the record carries it and as the
// verifier rebuilds it. Its certified form (CertifiedJSON) is what tally_hash hashes.
type Tally struct {
	RuleSet         string         `json:"rule_set"`
	Kind            string         `json:"kind"`
	PercentageBase  string         `json:"percentage_base"`
	BaseValue       int64          `json:"base_value"`
	TotalDelegates  int64          `json:"total_delegates"`
	BallotsIssued   int64          `json:"ballots_issued"`
	BallotsReceived int64          `json:"ballots_received"`
	ValidBallots    int64          `json:"valid_ballots"`
	InvalidBallots  int64          `json:"invalid_ballots"`
	Quorum          *TallyQuorum   `json:"quorum,omitempty"`
	Subjects        []TallySubject `json:"subjects"`
	NoConfidenceDue []string       `json:"no_confidence_due"`
	TallyHash       string         `json:"tally_hash,omitempty"`
}

// TallyQuorum is the quorum line of a tally: met when Den·present ≥ Num·convened.
type TallyQuorum struct {
	Present  int64 `json:"present"`
	Convened int64 `json:"convened"`
	Met      bool  `json:"met"`
}

// TallySubject is one person's result.
type TallySubject struct {
	OfficialID  string            `json:"official_id"`
	FullName    string            `json:"full_name"`
	Positions   json.RawMessage   `json:"positions"`
	Counts      map[string]int64  `json:"counts"`
	Rated       int64             `json:"rated"`
	Blank       int64             `json:"blank"`
	Percentages map[string]string `json:"percentages"`
	Band        string            `json:"band"`
	Consequence string            `json:"consequence"`
	Flags       []string          `json:"flags"`
	Alternative *TallyBaseView    `json:"alternative,omitempty"`
}

// TallyBaseView is a base-sensitive subject's percentages and band of the other base.
type TallyBaseView struct {
	Base        string            `json:"base"`
	BaseValue   int64             `json:"base_value"`
	Percentages map[string]string `json:"percentages"`
	Band        string            `json:"band"`
}

// TallyFigures are the figures a tally is built from.
type TallyFigures struct {
	TotalDelegates int64
	BallotsIssued  int64
	Valid          int64
	Invalid        int64
}

// Percent is 100·x/n rounded half-up to two decimals from the exact rational, written "d.dd":
// floor((20000·x + n) / (2n)) hundredths of a percent. x ≤ 0 or n ≤ 0 gives "0.00".
func Percent(x, n int64) string {
	if x <= 0 || n <= 0 {
		return "0.00"
	}
	q := (20000*x + n) / (2 * n)
	return fmt.Sprintf("%d.%02d", q/100, q%100)
}

// BandOf is the first band of the rule data that holds for decisive count x of base n (compared by
// cross-multiplication), or the default band.
func BandOf(r *Rules, x, n int64) string {
	for _, b := range r.Bands {
		if b.Inclusive && n > 0 && b.Den*x >= b.Num*n || !b.Inclusive && b.Den*x > b.Num*n {
			return b.Band
		}
	}
	return r.DefaultBand
}

// consequence returns the text of a band.
func consequence(r *Rules, band string) string {
	for _, c := range r.Consequences {
		if c.Band == band {
			return c.Text
		}
	}
	return ""
}

// otherBase is the base the vote did not use.
func otherBase(b string) string {
	if b == BaseBallotsReceived {
		return BaseTotalDelegates
	}
	return BaseBallotsReceived
}

// BuildTally rebuilds the certified tally of a vote from its counts (per subject, per level of
// r.Levels) and figures, under the record's rule data (docs/RECORD.md §4.3). The result has
// no annotations (no_confidence_due is null) and no tally_hash.
func BuildTally(v *Vote, r *Rules, f TallyFigures, counts [][]int64) (*Tally, error) {
	if len(counts) != len(v.Subjects) {
		return nil, fmt.Errorf("%d rows of counts for %d subjects", len(counts), len(v.Subjects))
	}
	received := f.Valid + f.Invalid
	n := f.TotalDelegates
	if v.Base == BaseBallotsReceived {
		n = received
	}
	t := &Tally{RuleSet: v.RuleSetID, Kind: v.Kind, PercentageBase: v.Base, BaseValue: n, TotalDelegates: f.TotalDelegates,
		BallotsIssued: f.BallotsIssued, BallotsReceived: received, ValidBallots: f.Valid, InvalidBallots: f.Invalid,
		Subjects: make([]TallySubject, len(v.Subjects))}
	if r.Quorum != nil {
		t.Quorum = &TallyQuorum{Present: f.BallotsIssued, Convened: f.TotalDelegates,
			Met: r.Quorum.Den*f.BallotsIssued >= r.Quorum.Num*f.TotalDelegates}
	}
	decisive := slices.Index(r.Levels, r.Decisive)
	if decisive < 0 {
		return nil, fmt.Errorf("the decisive level %q is not a level of the vote", r.Decisive)
	}
	for i, s := range v.Subjects {
		if len(counts[i]) != len(r.Levels) {
			return nil, fmt.Errorf("subject %d has %d counts for %d levels", i, len(counts[i]), len(r.Levels))
		}
		ts := TallySubject{OfficialID: s.OfficialID, FullName: s.FullName, Positions: s.Positions,
			Counts: map[string]int64{}, Percentages: map[string]string{}, Flags: []string{}}
		for j, l := range r.Levels {
			ts.Counts[l] = counts[i][j]
			ts.Rated += counts[i][j]
			ts.Percentages[l] = Percent(counts[i][j], n)
		}
		ts.Blank = f.Valid - ts.Rated
		x := counts[i][decisive]
		ts.Band = BandOf(r, x, n)
		ts.Consequence = consequence(r, ts.Band)
		if BandOf(r, x, f.TotalDelegates) != BandOf(r, x, received) {
			ts.Flags = append(ts.Flags, FlagBaseSensitive)
			ob := otherBase(v.Base)
			m := f.TotalDelegates
			if ob == BaseBallotsReceived {
				m = received
			}
			alt := &TallyBaseView{Base: ob, BaseValue: m, Percentages: map[string]string{}, Band: BandOf(r, x, m)}
			for j, l := range r.Levels {
				alt.Percentages[l] = Percent(counts[i][j], m)
			}
			ts.Alternative = alt
		}
		t.Subjects[i] = ts
	}
	return t, nil
}

// CertifiedJSON is the canonical byte form the board certifies: the tally without tally_hash, with
// no_confidence_due null, the resigned and no_confidence_due flags removed and the positions in
// canonical JSON, written as Go's encoding/json writes it (docs/RECORD.md §4.4).
func CertifiedJSON(t *Tally) []byte {
	c := *t
	c.TallyHash = ""
	c.NoConfidenceDue = nil
	c.Subjects = make([]TallySubject, len(t.Subjects))
	for i, s := range t.Subjects {
		s.Flags = withoutFlags(s.Flags, FlagResigned, FlagNoConfidenceDue)
		s.Positions = json.RawMessage(canonicalOr(s.Positions))
		c.Subjects[i] = s
	}
	b, err := json.Marshal(&c)
	if err != nil {
		panic(err) // plain values and valid JSON positions (checked before): cannot fail
	}
	return b
}

// HashTally is the hex SHA-256 of CertifiedJSON: the tally_hash.
func HashTally(t *Tally) string {
	sum := sha256.Sum256(CertifiedJSON(t))
	return hex.EncodeToString(sum[:])
}

func withoutFlags(flags []string, drop ...string) []string {
	out := []string{}
	for _, f := range flags {
		if !slices.Contains(drop, f) {
			out = append(out, f)
		}
	}
	return out
}

// ParseTally decodes a tally object strictly: unknown fields refused, keys exact and not repeated,
// every member present but quorum, alternative and tally_hash (which the server omits when empty).
func ParseTally(data []byte) (*Tally, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var t Tally
	if err := dec.Decode(&t); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, formatErr(te.Field, "wrong type (%s expected)", te.Type)
		}
		return nil, formatErr("", "%s", err.Error())
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, formatErr("", "data after the tally")
	}
	w := &walker{data: data}
	if err := w.value(reflect.TypeOf(t), ""); err != nil {
		return nil, err
	}
	return &t, nil
}

// diff is the first difference between a recorded value and the recomputed one.
type diff struct {
	Field    string
	Recorded string
	Computed string
}

// compareTally returns the first field where the recorded tally differs from the rebuilt one,
// ignoring the annotations (no_confidence_due, the resigned and no_confidence_due flags, tally_hash).
func compareTally(got, want *Tally) *diff {
	type kv struct {
		field string
		g, w  any
	}
	top := []kv{{"rule_set", got.RuleSet, want.RuleSet}, {"kind", got.Kind, want.Kind},
		{"percentage_base", got.PercentageBase, want.PercentageBase}, {"base_value", got.BaseValue, want.BaseValue},
		{"total_delegates", got.TotalDelegates, want.TotalDelegates}, {"ballots_issued", got.BallotsIssued, want.BallotsIssued},
		{"ballots_received", got.BallotsReceived, want.BallotsReceived}, {"valid_ballots", got.ValidBallots, want.ValidBallots},
		{"invalid_ballots", got.InvalidBallots, want.InvalidBallots}}
	for _, x := range top {
		if d := differ(x.field, x.g, x.w); d != nil {
			return d
		}
	}
	if d := differ("quorum", quorumText(got.Quorum), quorumText(want.Quorum)); d != nil {
		return d
	}
	if len(got.Subjects) != len(want.Subjects) {
		return &diff{"subjects", strconv.Itoa(len(got.Subjects)), strconv.Itoa(len(want.Subjects))}
	}
	for i := range want.Subjects {
		g, w := &got.Subjects[i], &want.Subjects[i]
		p := fmt.Sprintf("subjects[%d]", i)
		fields := []kv{{"official_id", g.OfficialID, w.OfficialID}, {"full_name", g.FullName, w.FullName},
			{"positions", canonicalOr(g.Positions), canonicalOr(w.Positions)}}
		for _, x := range fields {
			if d := differ(p+"."+x.field, x.g, x.w); d != nil {
				return d
			}
		}
		if d := compareLevels(p+".counts", g.Counts, w.Counts); d != nil {
			return d
		}
		fields = []kv{{"rated", g.Rated, w.Rated}, {"blank", g.Blank, w.Blank}}
		for _, x := range fields {
			if d := differ(p+"."+x.field, x.g, x.w); d != nil {
				return d
			}
		}
		if d := compareLevels(p+".percentages", g.Percentages, w.Percentages); d != nil {
			return d
		}
		fields = []kv{{"band", g.Band, w.Band}, {"consequence", g.Consequence, w.Consequence},
			{"flags", fmt.Sprint(withoutFlags(g.Flags, FlagResigned, FlagNoConfidenceDue)), fmt.Sprint(w.Flags)}}
		for _, x := range fields {
			if d := differ(p+"."+x.field, x.g, x.w); d != nil {
				return d
			}
		}
		if (g.Alternative == nil) != (w.Alternative == nil) {
			return &diff{p + ".alternative", presence(g.Alternative != nil), presence(w.Alternative != nil)}
		}
		if w.Alternative != nil {
			ga, wa := g.Alternative, w.Alternative
			if d := differ(p+".alternative.base", ga.Base, wa.Base); d != nil {
				return d
			}
			if d := differ(p+".alternative.base_value", ga.BaseValue, wa.BaseValue); d != nil {
				return d
			}
			if d := compareLevels(p+".alternative.percentages", ga.Percentages, wa.Percentages); d != nil {
				return d
			}
			if d := differ(p+".alternative.band", ga.Band, wa.Band); d != nil {
				return d
			}
		}
	}
	return nil
}

func differ(field string, g, w any) *diff {
	gs, ws := fmt.Sprint(g), fmt.Sprint(w)
	if gs == ws {
		return nil
	}
	return &diff{field, gs, ws}
}

func compareLevels[V comparable](field string, g, w map[string]V) *diff {
	keys := make([]string, 0, len(w))
	for k := range w {
		keys = append(keys, k)
	}
	for k := range g {
		if _, ok := w[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		gv, gok := g[k]
		wv, wok := w[k]
		if gok != wok || gv != wv {
			gs, ws := fmt.Sprint(gv), fmt.Sprint(wv)
			if !gok {
				gs = "—"
			}
			if !wok {
				ws = "—"
			}
			return &diff{field + "." + k, gs, ws}
		}
	}
	return nil
}

func quorumText(q *TallyQuorum) string {
	if q == nil {
		return "—"
	}
	return fmt.Sprintf("present %d, convened %d, met %t", q.Present, q.Convened, q.Met)
}

func presence(b bool) string {
	if b {
		return "present"
	}
	return "—"
}

// canonicalOr is a JSON value in canonical form, or, if it has none, without whitespace.
func canonicalOr(b json.RawMessage) string {
	if len(b) == 0 {
		return "null"
	}
	if c, err := CanonicalJSON(b); err == nil {
		return string(c)
	}
	return compactText(b)
}

// compactText is a JSON value without whitespace, with <, >, & and U+2028/9 escaped in strings: the
// form encoding/json writes a json.RawMessage in.
func compactText(b json.RawMessage) string {
	var buf, esc bytes.Buffer
	if len(b) == 0 {
		return "null"
	}
	if err := json.Compact(&buf, b); err != nil {
		return string(b)
	}
	json.HTMLEscape(&esc, buf.Bytes())
	return esc.String()
}

// CanonicalJSON re-serialises a JSON value as the record's canonical form (docs/RECORD.md
// "Canonical JSON"): no whitespace, keys in the order given, never repeated and not made only of
// digits, strings escaped as
// Go's encoding/json escapes them, numbers integers of at most 2^53 in magnitude written in decimal.
// A subject's positions enter the certified tally in this form: the same bytes whether a verifier
// starts from the record's bytes or from the parsed value.
func CanonicalJSON(raw []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var out bytes.Buffer
	if err := canonicalValue(dec, &out); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the value")
	}
	return out.Bytes(), nil
}

func canonicalValue(dec *json.Decoder, out *bytes.Buffer) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch x := tok.(type) {
	case json.Delim:
		switch x {
		case '[':
			out.WriteByte('[')
			for i := 0; dec.More(); i++ {
				if i > 0 {
					out.WriteByte(',')
				}
				if err := canonicalValue(dec, out); err != nil {
					return err
				}
			}
			dec.Token()
			out.WriteByte(']')
		case '{':
			out.WriteByte('{')
			seen := map[string]bool{}
			for i := 0; dec.More(); i++ {
				if i > 0 {
					out.WriteByte(',')
				}
				k, err := dec.Token()
				if err != nil {
					return err
				}
				key := k.(string)
				if strings.Trim(key, "0123456789") == "" && key != "" {
					return fmt.Errorf("the key %q is made only of digits", key) // JavaScript would reorder it
				}
				if seen[key] {
					return fmt.Errorf("the key %q repeats", key)
				}
				seen[key] = true
				b, _ := json.Marshal(key)
				out.Write(b)
				out.WriteByte(':')
				if err := canonicalValue(dec, out); err != nil {
					return err
				}
			}
			dec.Token()
			out.WriteByte('}')
		}
	case json.Number:
		n, err := strconv.ParseInt(string(x), 10, 64)
		if err != nil || strconv.FormatInt(n, 10) != string(x) || n > 1<<53 || n < -(1<<53) {
			return fmt.Errorf("the number %s is not an integer of at most 2^53 in decimal", x)
		}
		out.WriteString(string(x))
	case string:
		b, _ := json.Marshal(x)
		out.Write(b)
	case bool:
		out.WriteString(strconv.FormatBool(x))
	case nil:
		out.WriteString("null")
	}
	return nil
}

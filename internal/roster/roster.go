// Package roster holds the council's lists: the council itself, its delegates (who vote, and whose
// number in office is T) and its officials (the post-holders who may be rated). It validates input and
// parses CSV imports; it does no I/O.
package roster

import (
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/civil"
	"tinnhiem/internal/validate"
)

// Body is the kind of elected body.
type Body string

// Bodies (rules.md §1).
const (
	BodyQuocHoi Body = "quoc_hoi" // National Assembly
	BodyHDND    Body = "hdnd"     // People's Council
	BodyDang    Body = "dang"     // Party body (QĐ 96-QĐ/TW)
)

// Level is the administrative level of a council.
type Level string

// Levels.
const (
	LevelTrungUong Level = "trung_uong"
	LevelTinh      Level = "tinh"
	LevelHuyen     Level = "huyen"
	LevelXa        Level = "xa"
	LevelCoSo      Level = "co_so"
)

// Council is an elected body that holds confidence votes.
type Council struct {
	ID            string    `json:"id"`
	Name          string    `json:"name"`
	Body          Body      `json:"body"`
	Level         Level     `json:"level"`
	Place         string    `json:"place"`
	Khoa          string    `json:"khoa"`
	TermStartYear int       `json:"term_start_year"`
	TermEndYear   int       `json:"term_end_year"`
	CreatedAt     time.Time `json:"created_at"`
	// Demo marks the fictional council the demo seed makes: its documents say so on every page.
	Demo bool `json:"demo"`
}

// CouncilInput is what a council is created or edited from.
type CouncilInput struct {
	Name          string `json:"name" validate:"required,max=200,nocontrol"`
	Body          Body   `json:"body" validate:"required,oneof=quoc_hoi hdnd dang"`
	Level         Level  `json:"level" validate:"required,oneof=trung_uong tinh huyen xa co_so"`
	Place         string `json:"place" validate:"required,max=100,nocontrol"`
	Khoa          string `json:"khoa" validate:"required,max=20,nocontrol"`
	TermStartYear int    `json:"term_start_year" validate:"required,gte=1946,lte=2200"`
	TermEndYear   int    `json:"term_end_year" validate:"required,gte=1946,lte=2200"`
	// Demo is set by the demo seed only (never through the API).
	Demo bool `json:"-"`
}

// Normalize cleans the texts of in and validates it.
func (in *CouncilInput) Normalize() error {
	in.Name, in.Place, in.Khoa = validate.Clean(in.Name), validate.Clean(in.Place), validate.Clean(in.Khoa)
	fields := validate.Struct(in, "")
	if in.TermStartYear != 0 && in.TermEndYear != 0 && in.TermEndYear <= in.TermStartYear {
		fields = append(fields, apperr.Field("term_end_year", "term_order"))
	}
	if in.Body == BodyQuocHoi && in.Level != "" && in.Level != LevelTrungUong {
		fields = append(fields, apperr.Field("level", "one_of", "values", "trung_uong"))
	}
	if in.Body == BodyHDND && (in.Level == LevelTrungUong || in.Level == LevelCoSo) {
		fields = append(fields, apperr.Field("level", "one_of", "values", "tinh, huyen, xa"))
	}
	return fieldsErr(fields)
}

// Delegate is a member of the council: a voter. One without dates is in office on any date.
type Delegate struct {
	ID           string      `json:"id"`
	CouncilID    string      `json:"council_id"`
	FullName     string      `json:"full_name"`
	Code         string      `json:"code"`
	TookOfficeOn *civil.Date `json:"took_office_on"`
	LeftOfficeOn *civil.Date `json:"left_office_on"`
	Active       bool        `json:"active"`
}

// InOffice reports whether the delegate counts towards T on day d: active, and d within the dates
// they took and left office (leaving on d means no longer in office on d).
func (d Delegate) InOffice(day civil.Date) bool {
	if !d.Active {
		return false
	}
	if d.TookOfficeOn != nil && day.Before(*d.TookOfficeOn) {
		return false
	}
	if d.LeftOfficeOn != nil && !day.Before(*d.LeftOfficeOn) {
		return false
	}
	return true
}

// DelegateFilter selects delegates for listing.
type DelegateFilter struct {
	IncludeInactive bool
	InOfficeOn      *civil.Date // only those counted in T on this day
}

// DelegateInput is what a delegate is created or edited from.
type DelegateInput struct {
	FullName     string `json:"full_name" validate:"required,max=120,nocontrol"`
	Code         string `json:"code" validate:"required,max=32,code"`
	TookOfficeOn string `json:"took_office_on,omitempty" validate:"omitempty,date"`
	LeftOfficeOn string `json:"left_office_on,omitempty" validate:"omitempty,date"`
	Active       *bool  `json:"active,omitempty"`
}

// Normalize cleans and validates in.
func (in *DelegateInput) Normalize() error { return fieldsErr(in.Check("")) }

// Check cleans and validates in; prefix goes before field names (for CSV lines).
func (in *DelegateInput) Check(prefix string) []apperr.FieldError {
	in.FullName, in.Code = validate.Clean(in.FullName), validate.Clean(in.Code)
	fields := validate.Struct(in, prefix)
	took, err1 := civil.Ptr(in.TookOfficeOn)
	left, err2 := civil.Ptr(in.LeftOfficeOn)
	if err1 == nil && err2 == nil && took != nil && left != nil && !left.After(*took) {
		fields = append(fields, apperr.Field(prefix+"left_office_on", "date_order"))
	}
	return fields
}

// Delegate builds the domain value from a normalised input. An input without "active" keeps
// wasActive (true for a new delegate).
func (in DelegateInput) Delegate(wasActive bool) Delegate {
	took, _ := civil.Ptr(in.TookOfficeOn)
	left, _ := civil.Ptr(in.LeftOfficeOn)
	active := wasActive
	if in.Active != nil {
		active = *in.Active
	}
	return Delegate{FullName: in.FullName, Code: in.Code, TookOfficeOn: took, LeftOfficeOn: left, Active: active}
}

// CodeKey is the form of a delegate code that must be unique in a council: NFC, case-folded.
func CodeKey(code string) string { return strings.ToLower(norm.NFC.String(code)) }

// Official is a post-holder elected or approved by the council, who may be rated.
type Official struct {
	ID                  string      `json:"id"`
	CouncilID           string      `json:"council_id"`
	FullName            string      `json:"full_name"`
	Positions           []Position  `json:"positions"`
	RetirementAnnounced bool        `json:"retirement_announced"`
	IllnessLeaveSince   *civil.Date `json:"illness_leave_since"`
	Active              bool        `json:"active"`
}

// Position is one post of an official.
type Position struct {
	Category  Category   `json:"category"`
	Title     string     `json:"title"`
	ElectedOn civil.Date `json:"elected_on"`
}

// OfficialInput is what an official is created or edited from.
type OfficialInput struct {
	FullName            string          `json:"full_name" validate:"required,max=120,nocontrol"`
	Positions           []PositionInput `json:"positions" validate:"required,min=1,max=10,dive"`
	RetirementAnnounced bool            `json:"retirement_announced"`
	IllnessLeaveSince   string          `json:"illness_leave_since,omitempty" validate:"omitempty,date"`
	Active              *bool           `json:"active,omitempty"`
}

// PositionInput is one post in an OfficialInput.
type PositionInput struct {
	Category  Category `json:"category" validate:"required,max=64"`
	Title     string   `json:"title" validate:"required,max=300,nocontrol"`
	ElectedOn string   `json:"elected_on" validate:"required,date"`
}

// CheckBody refuses posts that do not belong to the council's body (a Prime Minister on a provincial
// council). Party bodies rate posts of either kind.
func (in OfficialInput) CheckBody(body Body, prefix string) []apperr.FieldError {
	var fields []apperr.FieldError
	for i, p := range in.Positions {
		for _, c := range Categories {
			if c.ID == p.Category && body != BodyDang && c.Body != body {
				fields = append(fields, apperr.Field(prefix+"positions["+itoa(i)+"].category", "category_not_for_body"))
			}
		}
	}
	return fields
}

// Normalize cleans and validates in.
func (in *OfficialInput) Normalize() error { return fieldsErr(in.Check("")) }

// Check cleans and validates in; prefix goes before field names (for CSV lines).
func (in *OfficialInput) Check(prefix string) []apperr.FieldError {
	in.FullName = validate.Clean(in.FullName)
	for i := range in.Positions {
		in.Positions[i].Title = validate.Clean(in.Positions[i].Title)
		in.Positions[i].Category = Category(validate.Clean(string(in.Positions[i].Category)))
	}
	fields := validate.Struct(in, prefix)
	if len(in.Positions) == 0 && !hasField(fields, prefix+"positions") {
		fields = append(fields, apperr.Field(prefix+"positions", "positions_required"))
	}
	for i, p := range in.Positions {
		if p.Category != "" && !p.Category.Known() {
			fields = append(fields, apperr.Field(prefix+"positions["+itoa(i)+"].category", "unknown_category"))
		}
	}
	return fields
}

// Official builds the domain value from a normalised input. An input without "active" keeps
// wasActive (true for a new official).
func (in OfficialInput) Official(wasActive bool) Official {
	active := wasActive
	if in.Active != nil {
		active = *in.Active
	}
	o := Official{FullName: in.FullName, RetirementAnnounced: in.RetirementAnnounced, Active: active}
	o.IllnessLeaveSince, _ = civil.Ptr(in.IllnessLeaveSince)
	for _, p := range in.Positions {
		d, _ := civil.Parse(p.ElectedOn)
		o.Positions = append(o.Positions, Position{Category: p.Category, Title: p.Title, ElectedOn: d})
	}
	return o
}

func hasField(fields []apperr.FieldError, name string) bool {
	for _, f := range fields {
		if f.Field == name {
			return true
		}
	}
	return false
}

func fieldsErr(fields []apperr.FieldError) error {
	if len(fields) == 0 {
		return nil
	}
	return apperr.InvalidFields(fields...)
}

// FieldsError turns field problems into an Invalid error, or nil when there are none.
func FieldsError(fields []apperr.FieldError) error { return fieldsErr(fields) }

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

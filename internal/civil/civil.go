// Package civil is a calendar date without a time or a zone: the dates of the law (vote day, election
// day, taking office) are days, not instants.
package civil

import (
	"encoding/json"
	"fmt"
	"time"
)

// Date is a day in the proleptic Gregorian calendar.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// Parse reads a date in the form YYYY-MM-DD and rejects impossible days (2023-02-30).
func Parse(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || len(s) != 10 {
		return Date{}, fmt.Errorf("civil: %q is not a YYYY-MM-DD date", s)
	}
	return Of(t), nil
}

// MustParse is Parse for literals in tests and seed data.
func MustParse(s string) Date {
	d, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

// Of returns the date of t in t's location.
func Of(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// String formats d as YYYY-MM-DD.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day) }

// Time returns midnight UTC of d.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Time().Before(e.Time()) }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Time().After(e.Time()) }

// AddDays returns d plus n days (n may be negative).
func (d Date) AddDays(n int) Date { return Of(d.Time().AddDate(0, 0, n)) }

// AddMonths returns d plus n months, normalised like time.AddDate.
func (d Date) AddMonths(n int) Date { return Of(d.Time().AddDate(0, n, 0)) }

// MarshalJSON writes d as "YYYY-MM-DD".
func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads "YYYY-MM-DD".
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	p, err := Parse(s)
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// Ptr parses an optional date: "" gives nil.
func Ptr(s string) (*Date, error) {
	if s == "" {
		return nil, nil
	}
	d, err := Parse(s)
	if err != nil {
		return nil, err
	}
	return &d, nil
}

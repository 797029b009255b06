package civil

import (
	"encoding/json"
	"testing"
)

func TestParseRejectsImpossibleDays(t *testing.T) {
	for _, s := range []string{"2023-02-30", "2023-13-01", "05/12/2028", "2028-1-5", "", "2028-12-05T00:00:00Z"} {
		if _, err := Parse(s); err == nil {
			t.Errorf("Parse(%q) succeeded", s)
		}
	}
	d, err := Parse("2024-02-29")
	if err != nil || d.String() != "2024-02-29" {
		t.Fatalf("got %v %v", d, err)
	}
}

func TestArithmeticAndJSON(t *testing.T) {
	d := MustParse("2028-12-05")
	if got := d.AddDays(-45).String(); got != "2028-10-21" {
		t.Errorf("45 days before: got %s", got)
	}
	if got := MustParse("2028-08-31").AddMonths(-6).String(); got != "2028-03-02" {
		t.Errorf("6 months before (normalised like time.AddDate): got %s", got)
	}
	if !MustParse("2028-01-01").Before(d) || d.Before(d) || !d.After(MustParse("2028-12-04")) {
		t.Error("ordering")
	}
	b, _ := json.Marshal(d)
	var back Date
	if string(b) != `"2028-12-05"` || json.Unmarshal(b, &back) != nil || back != d {
		t.Fatalf("round trip: %s %v", b, back)
	}
	if json.Unmarshal([]byte(`"2028-02-30"`), &back) == nil {
		t.Fatal("a bad date was accepted from JSON")
	}
}

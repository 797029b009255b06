package tally

import (
	"math/big"
	"math/rand"
	"strings"
	"testing"

	"tinnhiem/internal/rules"
)

func subjects(ids ...string) []Subject {
	out := make([]Subject, len(ids))
	for i, id := range ids {
		out[i] = Subject{OfficialID: id, FullName: "Người " + id}
	}
	return out
}

// ballots builds n ballots whose column i follows cols[i] (a string of marks, one per ballot).
func ballots(cols ...string) []string {
	n := len(cols[0])
	out := make([]string, n)
	for b := 0; b < n; b++ {
		var s strings.Builder
		for _, col := range cols {
			s.WriteByte(col[b])
		}
		out[b] = s.String()
	}
	return out
}

func repeat(parts ...any) string {
	var s strings.Builder
	for i := 0; i < len(parts); i += 2 {
		s.WriteString(strings.Repeat(parts[i].(string), parts[i+1].(int)))
	}
	return s.String()
}

func count(t *testing.T, in Input, bs []string) Result {
	t.Helper()
	c := NewCounter(in)
	for _, b := range bs {
		c.Add(b, true)
	}
	r, err := c.Result()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestOneSubjectInEachBand(t *testing.T) {
	rs, _ := rules.Get("NQ96_2023")
	// T = 50 delegates, 48 ballots received. Subject a: no low votes (zero count, none band);
	// b: exactly 25 low = half of T: none; c: 26 low: middle band; d: 34 low: two thirds or more;
	// e: a blank row on two ballots.
	cols := []string{
		repeat("h", 40, "m", 8),
		repeat("l", 25, "m", 23),
		repeat("l", 26, "h", 22),
		repeat("l", 34, "m", 14),
		repeat("h", 46, "0", 2),
	}
	in := Input{Kind: rules.Confidence, RuleSet: rs, Base: rules.BaseTotalDelegates, TotalDelegates: 50, BallotsIssued: 48, Subjects: subjects("a", "b", "c", "d", "e")}
	r := count(t, in, ballots(cols...))
	want := []struct {
		band  rules.BandID
		low   string
		high  string
		flags string
	}{
		{rules.BandNone, "0.00", "80.00", ""},
		{rules.BandNone, "50.00", "0.00", "base_sensitive"}, // 25 of 48 received is over half
		{rules.BandOverHalfUnderTwo, "52.00", "44.00", "no_confidence_due"},
		{rules.BandTwoThirdsOrMore, "68.00", "0.00", ""},
		{rules.BandNone, "0.00", "92.00", ""},
	}
	for i, w := range want {
		s := r.Subjects[i]
		if s.Band != w.band || s.Percentages[rules.Low] != w.low || s.Percentages[rules.High] != w.high || strings.Join(s.Flags, ",") != w.flags {
			t.Errorf("subject %s: got band %s low %s high %s flags %v; want %s %s %s %s", s.OfficialID, s.Band, s.Percentages[rules.Low],
				s.Percentages[rules.High], s.Flags, w.band, w.low, w.high, w.flags)
		}
		if s.Consequence != rs.Consequence(rules.Confidence, w.band) {
			t.Errorf("subject %s: consequence text", s.OfficialID)
		}
	}
	if e := r.Subjects[4]; e.Rated != 46 || e.Blank != 2 {
		t.Errorf("blank rows: got rated %d blank %d", e.Rated, e.Blank)
	}
	if r.BaseValue != 50 || r.BallotsReceived != 48 || r.ValidBallots != 48 || strings.Join(r.NoConfidenceDue, ",") != "c" {
		t.Errorf("totals: %+v", r)
	}
	if r.TallyHash == "" || r.TallyHash != Hash(r) {
		t.Error("tally hash")
	}
}

func TestBaseSensitivityVectorThroughTheTally(t *testing.T) {
	rs, _ := rules.Get("NQ96_2023")
	in := Input{Kind: rules.Confidence, RuleSet: rs, Base: rules.BaseTotalDelegates, TotalDelegates: 60, BallotsIssued: 55, Subjects: subjects("a")}
	r := count(t, in, ballots(repeat("l", 29, "h", 26)))
	if s := r.Subjects[0]; s.Band != rules.BandNone || len(s.Flags) != 1 || s.Flags[0] != FlagBaseSensitive {
		t.Fatalf("T=60 B=55 L=29: got %s %v", s.Band, s.Flags)
	}
	in.Base = rules.BaseBallotsReceived
	r = count(t, in, ballots(repeat("l", 29, "h", 26)))
	if s := r.Subjects[0]; s.Band != rules.BandOverHalfUnderTwo || s.Percentages[rules.Low] != "52.73" {
		t.Fatalf("with base B: got %s %s", s.Band, s.Percentages[rules.Low])
	}
}

func TestNoConfidenceTally(t *testing.T) {
	rs, _ := rules.Get("NQ96_2023")
	in := Input{Kind: rules.NoConfidence, RuleSet: rs, Base: rules.BaseTotalDelegates, TotalDelegates: 51, BallotsIssued: 50, Subjects: subjects("a", "b")}
	r := count(t, in, ballots(repeat("n", 26, "t", 24), repeat("n", 25, "t", 25)))
	if r.Subjects[0].Band != rules.BandNoConfidenceOverHalf || r.Subjects[1].Band != rules.BandNone {
		t.Fatalf("2K > N: got %s %s", r.Subjects[0].Band, r.Subjects[1].Band)
	}
	if _, ok := r.Subjects[0].Counts[rules.High]; ok || r.Subjects[0].Counts[rules.NoTrust] != 26 {
		t.Fatalf("counts of a no-confidence vote: %v", r.Subjects[0].Counts)
	}
	if len(r.NoConfidenceDue) != 0 {
		t.Fatal("a no-confidence vote makes no further vote due")
	}
}

func TestInvalidBallotsAndQuorum(t *testing.T) {
	rs, _ := rules.Get("QD96_2023")
	in := Input{Kind: rules.Confidence, RuleSet: rs, Base: rs.DefaultBase, TotalDelegates: 30, BallotsIssued: 19, Subjects: subjects("a")}
	c := NewCounter(in)
	for i := 0; i < 18; i++ {
		c.Add("h", true)
	}
	c.Add("", false) // a ballot without the seal: received, gives nothing
	r, err := c.Result()
	if err != nil {
		t.Fatal(err)
	}
	if r.BallotsReceived != 19 || r.InvalidBallots != 1 || r.BaseValue != 19 || r.Subjects[0].Percentages[rules.High] != "94.74" {
		t.Fatalf("got %+v", r)
	}
	if r.Quorum == nil || r.Quorum.Met {
		t.Fatalf("19 of 30 present does not meet 3·present ≥ 2·convened: %+v", r.Quorum)
	}
}

func TestResignationClearsTheDueVote(t *testing.T) {
	rs, _ := rules.Get("NQ96_2023")
	s := subjects("a")
	s[0].Resigned = true
	r := count(t, Input{Kind: rules.Confidence, RuleSet: rs, Base: rules.BaseTotalDelegates, TotalDelegates: 10, BallotsIssued: 10, Subjects: s}, ballots(repeat("l", 6, "h", 4)))
	if len(r.NoConfidenceDue) != 0 || r.Subjects[0].Flags[0] != FlagResigned {
		t.Fatalf("got %+v", r.Subjects[0])
	}
	// A resignation recorded after certification does not change the certified hash.
	before := r.TallyHash
	Annotate(&r, map[string]bool{})
	if Hash(r) != before || len(r.NoConfidenceDue) != 1 {
		t.Fatalf("annotations changed the hash or were not recomputed: %v", r.NoConfidenceDue)
	}
}

func TestNQ85CallsForANoConfidenceVoteFromTwoThirds(t *testing.T) {
	rs, _ := rules.Get("NQ85_2014")
	in := Input{Kind: rules.Confidence, RuleSet: rs, Base: rules.BaseTotalDelegates, TotalDelegates: 9, BallotsIssued: 9, Subjects: subjects("middle", "twothirds")}
	r := count(t, in, ballots(repeat("l", 5, "h", 4), repeat("l", 6, "h", 3)))
	if strings.Join(r.NoConfidenceDue, ",") != "twothirds" {
		t.Fatalf("under NQ 85/2014 the vote is due from two thirds: got %v", r.NoConfidenceDue)
	}
}

func TestCheckRefusesImpossibleTallies(t *testing.T) {
	rs, _ := rules.Get("NQ96_2023")
	c := NewCounter(Input{Kind: rules.Confidence, RuleSet: rs, Base: rules.BaseTotalDelegates, TotalDelegates: 2, BallotsIssued: 2, Subjects: subjects("a")})
	for i := 0; i < 3; i++ {
		c.Add("h", true)
	}
	if _, err := c.Result(); err == nil {
		t.Fatal("three ballots from two issued was accepted")
	}
	c = NewCounter(Input{Kind: rules.Confidence, RuleSet: rs, Base: rules.BaseTotalDelegates, TotalDelegates: 5, BallotsIssued: 5, Subjects: subjects("a")})
	c.Add("hh", true)
	if _, err := c.Result(); err == nil {
		t.Fatal("a ballot with too many marks was accepted")
	}
}

// FuzzTallyInvariants: counts never exceed ballots, the order of ballots never changes the tally, and
// with base B and no blanks a subject's percentages sum to 100 ± 0.02; each percentage is the exact
// rational rounded half-up.
func FuzzTallyInvariants(f *testing.F) {
	f.Add(int64(1), uint8(3), uint16(40), uint16(5), false)
	f.Add(int64(7), uint8(1), uint16(1), uint16(0), true)
	f.Fuzz(func(t *testing.T, seed int64, nSubj uint8, nBallots uint16, extraT uint16, noBlanks bool) {
		ns := int(nSubj%8) + 1
		nb := int(nBallots % 600)
		rng := rand.New(rand.NewSource(seed))
		letters := "hml0"
		if noBlanks {
			letters = "hml"
		}
		bs := make([]string, nb)
		for i := range bs {
			b := make([]byte, ns)
			for j := range b {
				b[j] = letters[rng.Intn(len(letters))]
			}
			bs[i] = string(b)
		}
		ids := make([]string, ns)
		for i := range ids {
			ids[i] = string(rune('a' + i))
		}
		rs, _ := rules.Get("QD96_2023")
		in := Input{Kind: rules.Confidence, RuleSet: rs, Base: rules.BaseBallotsReceived, TotalDelegates: nb + int(extraT%50), BallotsIssued: nb, Subjects: subjects(ids...)}
		r1 := count(t, in, bs)
		rng.Shuffle(len(bs), func(i, j int) { bs[i], bs[j] = bs[j], bs[i] })
		r2 := count(t, in, bs)
		if r1.TallyHash != r2.TallyHash {
			t.Fatal("the order of ballots changed the tally")
		}
		if err := Check(r1); err != nil {
			t.Fatal(err)
		}
		for _, s := range r1.Subjects {
			sum := new(big.Rat)
			for _, l := range in.Kind.Levels() {
				p, _ := new(big.Rat).SetString(s.Percentages[l])
				sum.Add(sum, p)
				exact := new(big.Rat)
				if nb > 0 {
					exact.SetFrac64(int64(100*s.Counts[l]), int64(nb))
				}
				// |rounded - exact| ≤ 0.005
				diff := new(big.Rat).Sub(p, exact)
				if diff.Abs(diff).Cmp(big.NewRat(1, 200)) > 0 {
					t.Fatalf("%s %s: %s is not %s rounded", s.OfficialID, l, s.Percentages[l], exact.FloatString(6))
				}
			}
			// The other base (T here) is carried exactly when the band depends on the base.
			sensitive := false
			for _, f := range s.Flags {
				sensitive = sensitive || f == FlagBaseSensitive
			}
			if alt := s.Alternative; sensitive != (alt != nil) {
				t.Fatalf("%s: flags %v, alternative %+v", s.OfficialID, s.Flags, alt)
			} else if alt != nil {
				if alt.Base != rules.BaseTotalDelegates || alt.BaseValue != in.TotalDelegates || alt.Band == s.Band ||
					alt.Band != rules.Band(in.Kind, s.Counts[rules.Low], in.TotalDelegates) {
					t.Fatalf("%s: alternative %+v beside band %s", s.OfficialID, alt, s.Band)
				}
				for _, l := range in.Kind.Levels() {
					if alt.Percentages[l] != rules.Percent(s.Counts[l], in.TotalDelegates) {
						t.Fatalf("%s %s: alternative %s", s.OfficialID, l, alt.Percentages[l])
					}
				}
			}
			if noBlanks && nb > 0 {
				dev := new(big.Rat).Sub(sum, big.NewRat(100, 1))
				if dev.Abs(dev).Cmp(big.NewRat(2, 100)) > 0 {
					t.Fatalf("percentages of %s sum to %s", s.OfficialID, sum.FloatString(2))
				}
			}
		}
	})
}

// TestReproducesThePublishedNationalAssemblyResultOf2018: the figures the National Assembly published
// on 25/10/2018 (NQ 85/2014, base: all 485 delegates), entered as ballots, come out to the digit. The
// published percentages drop trailing zeros ("66,6%" is 66.60).
func TestReproducesThePublishedNationalAssemblyResultOf2018(t *testing.T) {
	rs, _ := rules.Get("NQ85_2014")
	published := []struct {
		name             string
		high, med, low   int
		pHigh, pMed, pLo string
	}{
		{"Đặng Thị Ngọc Thịnh", 323, 146, 6, "66.6", "30.1", "1.24"},
		{"Nguyễn Thị Kim Ngân", 437, 34, 4, "90.1", "7.01", "0.82"},
		{"Tòng Thị Phóng", 372, 91, 11, "76.7", "18.76", "2.27"},
	}
	const received = 475
	cols := make([]string, len(published))
	ids := make([]string, len(published))
	for i, p := range published {
		blank := received - p.high - p.med - p.low
		cols[i] = repeat("h", p.high, "m", p.med, "l", p.low, "0", blank)
		ids[i] = p.name
	}
	r := count(t, Input{Kind: rules.Confidence, RuleSet: rs, Base: rules.BaseTotalDelegates, TotalDelegates: 485, BallotsIssued: received,
		Subjects: subjects(ids...)}, ballots(cols...))
	trim := func(s string) string { return strings.TrimSuffix(strings.TrimRight(s, "0"), ".") }
	for i, p := range published {
		s := r.Subjects[i]
		got := []string{trim(s.Percentages[rules.High]), trim(s.Percentages[rules.Medium]), trim(s.Percentages[rules.Low])}
		want := []string{p.pHigh, p.pMed, p.pLo}
		if strings.Join(got, " ") != strings.Join(want, " ") || s.Counts[rules.High] != p.high || s.Counts[rules.Low] != p.low {
			t.Errorf("%s: got %v, published %v", p.name, got, want)
		}
	}
}

// TestBaseSensitiveSubjectCarriesTheOtherBase: T = 50, B = 47, L = 25 is exactly half of T (no
// consequence) and 53,19 % of B (over half). The subject's result carries both figures and both bands,
// whichever base the vote uses; a subject whose band does not depend on the base carries none.
func TestBaseSensitiveSubjectCarriesTheOtherBase(t *testing.T) {
	rs, _ := rules.Get("NQ96_2023")
	cols := []string{repeat("l", 25, "h", 22), repeat("h", 47)}
	in := Input{Kind: rules.Confidence, RuleSet: rs, Base: rules.BaseTotalDelegates, TotalDelegates: 50, BallotsIssued: 47, Subjects: subjects("a", "b")}
	r := count(t, in, ballots(cols...))
	a := r.Subjects[0]
	if a.Band != rules.BandNone || a.Percentages[rules.Low] != "50.00" {
		t.Fatalf("on T: got %s %s", a.Band, a.Percentages[rules.Low])
	}
	alt := a.Alternative
	if alt == nil || alt.Base != rules.BaseBallotsReceived || alt.BaseValue != 47 || alt.Percentages[rules.Low] != "53.19" ||
		alt.Percentages[rules.High] != "46.81" || alt.Percentages[rules.Medium] != "0.00" || alt.Band != rules.BandOverHalfUnderTwo {
		t.Fatalf("the other base (B = 47): got %+v", alt)
	}
	if r.Subjects[1].Alternative != nil {
		t.Fatalf("a subject that is not base-sensitive carries an alternative: %+v", r.Subjects[1].Alternative)
	}
	// The alternative is part of what the board certifies.
	changed := r
	changed.Subjects = append([]SubjectResult{}, r.Subjects...)
	changed.Subjects[0].Alternative = &BaseView{Base: alt.Base, BaseValue: 47, Percentages: alt.Percentages, Band: rules.BandNone}
	if Hash(changed) == r.TallyHash {
		t.Fatal("the hash does not cover the alternative")
	}

	in.Base = rules.BaseBallotsReceived
	r = count(t, in, ballots(cols...))
	a = r.Subjects[0]
	if a.Band != rules.BandOverHalfUnderTwo || a.Percentages[rules.Low] != "53.19" || a.Alternative == nil ||
		a.Alternative.Base != rules.BaseTotalDelegates || a.Alternative.BaseValue != 50 || a.Alternative.Percentages[rules.Low] != "50.00" ||
		a.Alternative.Band != rules.BandNone {
		t.Fatalf("on B with T as the alternative: got %s %s %+v", a.Band, a.Percentages[rules.Low], a.Alternative)
	}

	// A tally frozen before the field existed: the alternative is computed from its counts.
	old := a
	old.Alternative = nil
	if got := AlternativeOf(r, old); got == nil || got.Percentages[rules.Low] != "50.00" || got.Band != rules.BandNone || got.BaseValue != 50 {
		t.Fatalf("AlternativeOf a frozen tally: %+v", got)
	}
	if AlternativeOf(r, r.Subjects[1]) != nil {
		t.Fatal("AlternativeOf a subject that is not base-sensitive")
	}
}

// TestNoConfidenceAlternative: 2K > N on B but not on T.
func TestNoConfidenceAlternative(t *testing.T) {
	rs, _ := rules.Get("NQ96_2023")
	in := Input{Kind: rules.NoConfidence, RuleSet: rs, Base: rules.BaseTotalDelegates, TotalDelegates: 60, BallotsIssued: 55, Subjects: subjects("a")}
	r := count(t, in, ballots(repeat("n", 29, "t", 26)))
	alt := r.Subjects[0].Alternative
	if r.Subjects[0].Band != rules.BandNone || alt == nil || alt.Band != rules.BandNoConfidenceOverHalf || alt.Percentages[rules.NoTrust] != "52.73" ||
		alt.Percentages[rules.Trust] != "47.27" {
		t.Fatalf("got %s %+v", r.Subjects[0].Band, alt)
	}
	if _, ok := alt.Percentages[rules.High]; ok {
		t.Fatal("a no-confidence alternative has a confidence level")
	}
}

// TestCountsGiveTheSameTallyAsBallots: the decrypted counts of an encrypted vote make exactly the
// tally the same ballots counted one by one make (hash included).
func TestCountsGiveTheSameTallyAsBallots(t *testing.T) {
	in := Input{Kind: rules.Confidence, RuleSet: mustRuleSet(t, "NQ96_2023"), Base: rules.BaseTotalDelegates, TotalDelegates: 7, BallotsIssued: 6,
		Subjects: []Subject{{OfficialID: "a", FullName: "A"}, {OfficialID: "b", FullName: "B"}}}
	byBallot := NewCounter(in)
	for _, m := range []string{"hl", "ll", "l0", "mh", "lh", "00"} {
		byBallot.Add(m, true)
	}
	want, err := byBallot.Result()
	if err != nil {
		t.Fatal(err)
	}
	byCounts := NewCounter(in)
	byCounts.AddCounts(6, [][]int{{1, 1, 3}, {2, 0, 2}})
	got, err := byCounts.Result()
	if err != nil {
		t.Fatal(err)
	}
	if got.TallyHash != want.TallyHash || got.Subjects[0].Blank != 1 || got.Subjects[1].Blank != 2 {
		t.Fatalf("by counts %+v, by ballots %+v", got.Subjects, want.Subjects)
	}
	bad := NewCounter(in)
	bad.AddCounts(2, [][]int{{1, 1, 1}, {0, 0, 0}})
	if _, err := bad.Result(); err == nil {
		t.Fatal("more rated rows than ballots were accepted")
	}
}

func mustRuleSet(t *testing.T, id string) rules.RuleSet {
	t.Helper()
	rs, ok := rules.Get(id)
	if !ok {
		t.Fatalf("no rule set %s", id)
	}
	return rs
}

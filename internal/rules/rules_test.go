package rules

import (
	"strings"
	"testing"

	"tinnhiem/internal/civil"
	"tinnhiem/internal/roster"
)

func TestPercentVectors(t *testing.T) {
	// rules.md §6 test vectors, and the figures of the contract.
	cases := []struct {
		x, n int
		want string
	}{
		{1, 32, "3.13"}, {17, 60, "28.33"}, {1, 8, "12.50"}, {7, 9, "77.78"}, {40, 40, "100.00"}, {0, 40, "0.00"},
		{46, 47, "97.87"}, {1, 47, "2.13"}, {25, 47, "53.19"}, {1, 3, "33.33"}, {2, 3, "66.67"}, {1, 200, "0.50"},
		{1, 400, "0.25"}, {1, 800, "0.13"}, {5, 0, "0.00"},
	}
	for _, c := range cases {
		if got := Percent(c.x, c.n); got != c.want {
			t.Errorf("Percent(%d, %d) = %s, want %s", c.x, c.n, got, c.want)
		}
	}
	if DecimalComma("53.19") != "53,19" {
		t.Error("decimal comma")
	}
}

func TestConfidenceBands(t *testing.T) {
	cases := []struct {
		name   string
		low, n int
		want   BandID
	}{
		{"exactly half is none", 25, 50, BandNone},
		{"one over half is the middle band", 26, 50, BandOverHalfUnderTwo},
		{"just under two thirds is the middle band", 33, 51, BandOverHalfUnderTwo},
		{"exactly two thirds is two thirds or more", 34, 51, BandTwoThirdsOrMore},
		{"exactly two thirds of 60", 40, 60, BandTwoThirdsOrMore},
		{"one under two thirds of 60", 39, 60, BandOverHalfUnderTwo},
		{"zero is none", 0, 50, BandNone},
		{"all is two thirds or more", 50, 50, BandTwoThirdsOrMore},
	}
	for _, c := range cases {
		if got := ConfidenceBand(c.low, c.n); got != c.want {
			t.Errorf("%s: N=%d L=%d got %s, want %s", c.name, c.n, c.low, got, c.want)
		}
	}
}

func TestBaseSensitivityVector(t *testing.T) {
	// T=60, B=55, L=29: none with T, middle with B.
	if ConfidenceBand(29, 60) != BandNone || ConfidenceBand(29, 55) != BandOverHalfUnderTwo {
		t.Fatal("rules.md §7 base sensitivity vector")
	}
}

func TestNoConfidenceBand(t *testing.T) {
	for _, c := range []struct {
		k, n int
		want BandID
	}{{25, 50, BandNone}, {26, 50, BandNoConfidenceOverHalf}, {26, 51, BandNoConfidenceOverHalf}, {25, 51, BandNone}} {
		if got := NoConfidenceBand(c.k, c.n); got != c.want {
			t.Errorf("K=%d N=%d: got %s, want %s", c.k, c.n, got, c.want)
		}
	}
}

func TestQuorum(t *testing.T) {
	if !QuorumMet(20, 30) || QuorumMet(19, 30) || !QuorumMet(30, 30) {
		t.Fatal("3·present ≥ 2·convened")
	}
}

func TestRuleSetsLoad(t *testing.T) {
	for _, id := range IDs() {
		rs, ok := Get(id)
		if !ok || rs.Citation == "" || !rs.DefaultBase.Valid() {
			t.Fatalf("%s: %+v", id, rs)
		}
		for _, k := range []Kind{Confidence, NoConfidence} {
			for _, b := range bandsOf(k) {
				if rs.Consequence(k, b) == "" {
					t.Errorf("%s has no consequence text for %s/%s", id, k, b)
				}
			}
		}
		for _, c := range rs.Categories {
			if !c.Known() {
				t.Errorf("%s lists unknown category %s", id, c)
			}
		}
	}
	if rs, _ := Get("QD96_2023"); rs.DefaultBase != BaseBallotsReceived || !rs.Quorum {
		t.Error("QD96_2023 takes ballots received as base and has a quorum")
	}
	if rs, _ := Get("NQ96_2023"); rs.DefaultBase != BaseTotalDelegates || rs.InScope(roster.BodyHDND, roster.LevelXa) {
		t.Error("NQ96_2023 takes T as base and leaves out the commune level")
	}
}

func bandsOf(k Kind) []BandID {
	if k == NoConfidence {
		return []BandID{BandNone, BandNoConfidenceOverHalf}
	}
	return []BandID{BandNone, BandOverHalfUnderTwo, BandTwoThirdsOrMore}
}

func off(id, name string, retire bool, illness string, posts ...roster.Position) roster.Official {
	o := roster.Official{ID: id, FullName: name, RetirementAnnounced: retire, Positions: posts, Active: true}
	if illness != "" {
		d := civil.MustParse(illness)
		o.IllnessLeaveSince = &d
	}
	return o
}

func post(cat roster.Category, on string) roster.Position {
	return roster.Position{Category: cat, Title: cat.Label(), ElectedOn: civil.MustParse(on)}
}

func TestEligibility(t *testing.T) {
	rs, _ := Get("NQ96_2023")
	officials := []roster.Official{
		off("a", "Nguyễn Văn An", false, "", post("ubnd_uy_vien", "2021-06-25")),
		off("b", "Trần Thị Bình", true, "", post("ubnd_chu_tich", "2021-06-25")),
		off("c", "Lê Văn Cường", false, "", post("ubnd_pho_chu_tich", "2023-01-01")),
		off("d", "Phạm Thị Dung", false, "2023-03-20", post("hdnd_truong_ban", "2021-06-25")),
		off("e", "Hoàng Văn Em", false, "", post("hdnd_pho_chu_tich", "2021-06-25"), post("hdnd_truong_ban", "2021-06-25")),
		off("f", "Vũ Văn Phúc", false, "", roster.Position{Category: "giam_doc_so", Title: "Giám đốc Sở", ElectedOn: civil.MustParse("2021-01-01")}),
		off("g", "Đỗ Thị Giang", false, "", post("hdnd_chu_tich", "2021-06-25"), post("hdnd_truong_ban", "2023-05-01")),
		off("h", "Bùi Văn Hải", false, "2023-06-21", post("ubnd_uy_vien", "2021-06-25")),
	}
	in := EligibilityInput{RuleSet: rs, Kind: Confidence, VoteDate: civil.MustParse("2023-12-08"), SessionOpensOn: civil.MustParse("2023-12-06")}
	subjects, excl := Eligibility(in, officials)
	reasons := map[string]ExclusionReason{}
	for _, e := range excl {
		reasons[e.OfficialID] = e.Reason
	}
	want := map[string]ExclusionReason{"b": ExclRetirement, "c": ExclElectedThisYear, "f": ExclPostNotEligible}
	if len(reasons) != len(want) {
		t.Fatalf("got exclusions %v, want %v", reasons, want)
	}
	for id, r := range want {
		if reasons[id] != r {
			t.Errorf("%s: got %s, want %s", id, reasons[id], r)
		}
	}
	var order []string
	for _, s := range subjects {
		order = append(order, s.OfficialID)
		if s.OfficialID == "e" && len(s.Positions) != 2 {
			t.Error("a person with two eligible posts is one subject showing both")
		}
		if s.OfficialID == "g" && len(s.Positions) != 1 {
			t.Error("a post taken in the vote year is dropped; the older post stays")
		}
	}
	// Protocol order: HĐND chair, vice chair, committee head, then UBND member(s).
	if got := strings.Join(order, ""); got != "gedah" {
		t.Fatalf("got subject order %s", got)
	}
	// The illness exclusion is off by default; on, it takes 6 months up to the opening day, inclusive.
	in.ExcludeIllness = true
	_, excl = Eligibility(in, officials)
	reasons = map[string]ExclusionReason{}
	for _, e := range excl {
		reasons[e.OfficialID] = e.Reason
	}
	if reasons["d"] != ExclIllness || reasons["h"] != "" {
		t.Fatalf("illness: got %v", reasons)
	}
	h := off("h", "Bùi Văn Hải", false, "2023-06-06", post("ubnd_uy_vien", "2021-06-25"))
	if _, excl := Eligibility(in, []roster.Official{h}); len(excl) != 1 {
		t.Fatal("exactly six months up to the opening day excludes")
	}
	// A no-confidence vote has no exclusions but the post list.
	in.Kind = NoConfidence
	subjects, excl = Eligibility(in, officials)
	if len(subjects) != 7 || len(excl) != 1 {
		t.Fatalf("no-confidence: %d subjects, %d exclusions", len(subjects), len(excl))
	}
}

func TestWarnings(t *testing.T) {
	rs, _ := Get("NQ96_2023")
	council := roster.Council{Body: roster.BodyHDND, Level: roster.LevelXa, TermStartYear: 2021, TermEndYear: 2026}
	w := Warnings(VoteContext{RuleSet: rs, Council: council, VoteDate: civil.MustParse("2024-12-10"), SessionOpensOn: civil.MustParse("2024-12-09"),
		Preparation: Preparation{ListSentOn: "2024-10-30", DocumentsSentOn: "2024-11-19"}})
	codes := map[string]bool{}
	for _, x := range w {
		codes[x.Code] = true
	}
	for _, c := range []string{"vote_outside_third_year", "council_out_of_scope", "deadline_list_sent_on"} {
		if !codes[c] {
			t.Errorf("missing warning %s in %v", c, w)
		}
	}
	if codes["deadline_documents_sent_on"] {
		t.Error("documents sent exactly 20 days before is on time")
	}
	old, _ := Get("NQ85_2014")
	w = Warnings(VoteContext{RuleSet: old, Council: roster.Council{Body: roster.BodyHDND, Level: roster.LevelTinh, TermStartYear: 2021},
		VoteDate: civil.MustParse("2023-12-10"), SessionOpensOn: civil.MustParse("2023-12-09")})
	if len(w) != 1 || w[0].Code != "rule_set_not_in_force" {
		t.Fatalf("NQ85 after 2023-06-30: got %v", w)
	}
	bw := BoardWarnings(roster.LevelTinh, []BoardMember{{FullName: "Nguyễn Văn An"}}, []Subject{{FullName: "nguyễn văn an"}})
	if len(bw) != 2 {
		t.Fatalf("board warnings: %v", bw)
	}
}

func TestTriggers(t *testing.T) {
	ok := func(body roster.Body, tr Trigger, total int) bool { return len(CheckTrigger(body, &tr, total)) == 0 }
	if !ok(roster.BodyHDND, Trigger{Type: TriggerPetition, Petitioners: 17, Document: "Đơn kiến nghị"}, 50) {
		t.Error("17 of 50 is a third or more")
	}
	if ok(roster.BodyHDND, Trigger{Type: TriggerPetition, Petitioners: 16, Document: "x"}, 50) {
		t.Error("16 of 50 is under a third")
	}
	if !ok(roster.BodyQuocHoi, Trigger{Type: TriggerPetition, Petitioners: 100, Document: "x"}, 500) || ok(roster.BodyQuocHoi, Trigger{Type: TriggerPetition, Petitioners: 99, Document: "x"}, 500) {
		t.Error("the National Assembly needs 20%")
	}
	if ok(roster.BodyHDND, Trigger{Type: TriggerStandingBody, Document: "x"}, 50) {
		t.Error("a standing-committee trigger is the National Assembly's")
	}
	if !ok(roster.BodyHDND, Trigger{Type: TriggerFatherlandFront, Document: "Văn bản số 12"}, 50) {
		t.Error("the Fatherland Front may propose at a council")
	}
	if ok(roster.BodyHDND, Trigger{Type: TriggerConfidenceResult}, 50) || len(CheckTrigger(roster.BodyHDND, nil, 50)) == 0 {
		t.Error("a confidence-result trigger needs its source vote; no trigger is refused")
	}
}

func TestConsequencesAreWordedForTheBodyAndTheBase(t *testing.T) {
	rs, _ := Get("NQ96_2023")
	hdnd := rs.ConsequenceFor(Confidence, BandOverHalfUnderTwo, roster.BodyHDND, BaseBallotsReceived)
	if !strings.Contains(hdnd, "Thường trực Hội đồng nhân dân") || strings.Contains(hdnd, "Quốc hội") || !strings.Contains(hdnd, "tổng số phiếu thu vào") {
		t.Fatalf("HĐND, base B: %s", hdnd)
	}
	qh := rs.ConsequenceFor(Confidence, BandOverHalfUnderTwo, roster.BodyQuocHoi, BaseTotalDelegates)
	if !strings.Contains(qh, "Ủy ban Thường vụ Quốc hội") || !strings.Contains(qh, "tổng số đại biểu") || strings.Contains(qh, "{") {
		t.Fatalf("NA, base T: %s", qh)
	}
}

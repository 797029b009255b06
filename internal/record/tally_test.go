package record_test

import (
	"encoding/json"
	"fmt"
	mrand "math/rand/v2"
	"testing"

	"tinnhiem/internal/civil"
	"tinnhiem/internal/record"
	"tinnhiem/internal/record/fill"
	"tinnhiem/internal/roster"
	"tinnhiem/internal/rules"
	"tinnhiem/internal/tally"
)

// The verifier's tally is a second implementation of the server's (internal/tally, internal/rules):
// these tests hold the two to the same bytes and the same hash.

func TestPercentMatchesRules(t *testing.T) {
	for n := 0; n <= 120; n++ {
		for x := 0; x <= n+1; x++ {
			if got, want := record.Percent(int64(x), int64(n)), rules.Percent(x, n); got != want {
				t.Fatalf("Percent(%d, %d) = %s, want %s", x, n, got, want)
			}
		}
	}
	for _, c := range [][2]int{{1, 32}, {17, 60}, {1, 8}, {7, 9}, {40, 40}, {0, 40}, {333333, 1000000}, {5, 1 << 31}} {
		if got, want := record.Percent(int64(c[0]), int64(c[1])), rules.Percent(c[0], c[1]); got != want {
			t.Fatalf("Percent(%d, %d) = %s, want %s", c[0], c[1], got, want)
		}
	}
}

func TestRuleDataMatchesRules(t *testing.T) {
	for _, id := range rules.IDs() {
		rs, _ := rules.Get(id)
		for _, k := range []rules.Kind{rules.Confidence, rules.NoConfidence} {
			rd := fill.Rules(rs, k, roster.BodyHDND, rules.BaseBallotsReceived)
			for n := 0; n <= 90; n++ {
				for x := 0; x <= n+2; x++ {
					if got, want := record.BandOf(&rd, int64(x), int64(n)), string(rules.Band(k, x, n)); got != want {
						t.Fatalf("%s %s: band of %d/%d = %s, want %s", id, k, x, n, got, want)
					}
				}
			}
			for _, b := range append(rd.Bands, record.Band{Band: rd.DefaultBand}) {
				want := rs.ConsequenceFor(k, rules.BandID(b.Band), roster.BodyHDND, rules.BaseBallotsReceived)
				if got := consequenceOf(rd, b.Band); got != want || got == "" {
					t.Fatalf("%s %s %s: consequence %q, want %q", id, k, b.Band, got, want)
				}
			}
		}
	}
}

func consequenceOf(r record.Rules, band string) string {
	for _, c := range r.Consequences {
		if c.Band == band {
			return c.Text
		}
	}
	return ""
}

var awkward = []string{"Nguyễn Văn <An>", "Trần & Lê", "Phạm \"Bình\"", "Hoàng\\Minh", "Lý\u2028Thường\u2029Kiệt", "Tab\there",
	"Ctrl\x01\x1f", "Bell\b\f", "Đặng Thị Ánh", "Ω ≥ ⅔", "emoji 🗳️", ""}

// randomTally builds a random vote the server would count: kind, rule set, base, body, figures
// satisfying rules.md §5, subjects with awkward names and positions, counts near the thresholds.
func randomTally(r *mrand.Rand) (tally.Input, int, [][]int, []string) {
	ids := rules.IDs()
	rs, _ := rules.Get(ids[r.IntN(len(ids))])
	kind := []rules.Kind{rules.Confidence, rules.NoConfidence}[r.IntN(2)]
	in := tally.Input{Kind: kind, RuleSet: rs, Base: []rules.Base{rules.BaseTotalDelegates, rules.BaseBallotsReceived}[r.IntN(2)],
		Body: []roster.Body{roster.BodyQuocHoi, roster.BodyHDND, roster.BodyDang, ""}[r.IntN(4)]}
	in.TotalDelegates = r.IntN(61)
	if r.IntN(10) == 0 {
		in.TotalDelegates = 500 + r.IntN(3)
	}
	in.BallotsIssued = r.IntN(in.TotalDelegates + 1)
	received := r.IntN(in.BallotsIssued + 1)
	if r.IntN(8) == 0 {
		received = 0 // a vote with no ballot
	}
	invalid := 0
	if received > 0 && r.IntN(3) == 0 {
		invalid = r.IntN(received/3 + 1)
	}
	valid := received - invalid
	n := 1 + r.IntN(6)
	levels := kind.Levels()
	counts := make([][]int, n)
	for i := 0; i < n; i++ {
		s := tally.Subject{OfficialID: fmt.Sprintf("id-%d-%s", i, awkward[r.IntN(len(awkward))]), FullName: awkward[r.IntN(len(awkward))],
			Resigned: r.IntN(5) == 0}
		if r.IntN(4) > 0 {
			for p := 0; p <= r.IntN(2); p++ {
				s.Positions = append(s.Positions, roster.Position{Category: "bo_truong", Title: awkward[r.IntN(len(awkward))] + " <&>",
					ElectedOn: civil.MustParse(fmt.Sprintf("20%02d-0%d-1%d", 10+r.IntN(15), 1+r.IntN(9), r.IntN(10)))})
			}
		}
		in.Subjects = append(in.Subjects, s)
		counts[i] = make([]int, len(levels))
		left := valid
		dec := len(levels) - 1 // the decisive level is the last of both kinds
		// Aim the decisive count at a threshold of either base now and then.
		switch r.IntN(4) {
		case 0:
			counts[i][dec] = min(left, (in.TotalDelegates+1)/2+r.IntN(2))
		case 1:
			counts[i][dec] = min(left, (2*received+2)/3-r.IntN(2))
		default:
			counts[i][dec] = r.IntN(left + 1)
		}
		counts[i][dec] = max(0, counts[i][dec])
		left -= counts[i][dec]
		for j := 0; j < dec; j++ {
			counts[i][j] = r.IntN(left + 1)
			left -= counts[i][j]
		}
	}
	// Half the time, the same counts as marks (the plain path, tally.Counter.Add).
	var marks []string
	if r.IntN(2) == 0 {
		letters := map[rules.Level]byte{rules.High: 'h', rules.Medium: 'm', rules.Low: 'l', rules.Trust: 't', rules.NoTrust: 'n'}
		rows := make([][]byte, valid)
		for b := range rows {
			rows[b] = make([]byte, n)
			for i := range rows[b] {
				rows[b][i] = "0x"[r.IntN(2)]
			}
		}
		for i := range counts {
			b := 0
			for j, c := range counts[i] {
				for ; c > 0; c-- {
					rows[b][i] = letters[levels[j]]
					b++
				}
			}
		}
		for _, row := range rows {
			marks = append(marks, string(row))
		}
	}
	return in, invalid, counts, marks
}

func TestTallyRebuildMatchesServer(t *testing.T) {
	r := mrand.New(mrand.NewPCG(15, 2))
	cases := 3000
	if testing.Short() {
		cases = 500
	}
	sensitive, quorum, blankVote := 0, 0, 0
	for c := 0; c < cases; c++ {
		in, invalid, counts, marks := randomTally(r)
		cnt := tally.NewCounter(in)
		valid := 0
		if marks != nil {
			for _, m := range marks {
				cnt.Add(m, true)
			}
			valid = len(marks)
		} else {
			valid = sumValid(counts, in, r)
			cnt.AddCounts(valid, counts)
		}
		for i := 0; i < invalid; i++ {
			cnt.Add("", false)
		}
		res, err := cnt.Result()
		if err != nil {
			continue // a shape the server refuses (received > issued after adding): not a tally
		}
		subjects, err := fill.Subjects(res.Subjects)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range subjects {
			if canon, err := record.CanonicalJSON(s.Positions); err != nil || string(canon) != string(s.Positions) {
				t.Fatalf("case %d: the server's positions %s are not canonical JSON (%v)", c, s.Positions, err)
			}
		}
		v := record.Vote{RuleSetID: in.RuleSet.ID, Kind: string(in.Kind), Base: string(in.Base), Subjects: subjects}
		rd := fill.Rules(in.RuleSet, in.Kind, in.Body, in.Base)
		built, err := record.BuildTally(&v, &rd, record.TallyFigures{TotalDelegates: int64(in.TotalDelegates),
			BallotsIssued: int64(in.BallotsIssued), Valid: int64(res.ValidBallots), Invalid: int64(res.InvalidBallots)}, fill.Counts(res))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := record.HashTally(built), tally.Hash(res); got != want {
			j, _ := json.Marshal(res)
			t.Fatalf("case %d: rebuilt hash %s, server %s\nserver: %s\nrebuilt: %s", c, got, want, j, record.CertifiedJSON(built))
		}
		raw, _ := json.Marshal(res)
		recorded, err := record.ParseTally(raw)
		if err != nil {
			t.Fatal(err)
		}
		if d := record.CompareTally(recorded, built); d != "" {
			t.Fatalf("case %d: %s", c, d)
		}
		if got := record.HashTally(recorded); got != res.TallyHash {
			t.Fatalf("case %d: the server's tally, parsed and re-serialised, hashes to %s, not %s", c, got, res.TallyHash)
		}
		for _, s := range res.Subjects {
			if s.Alternative != nil {
				sensitive++
			}
		}
		if res.Quorum != nil {
			quorum++
		}
		if res.BallotsReceived == 0 {
			blankVote++
		}
	}
	if sensitive == 0 || quorum == 0 || blankVote == 0 {
		t.Fatalf("the random shapes missed a case: %d base-sensitive subjects, %d quorum votes, %d votes without ballots", sensitive, quorum, blankVote)
	}
}

// sumValid picks the number of valid ballots for given counts: at least every row's rated total.
func sumValid(counts [][]int, in tally.Input, r *mrand.Rand) int {
	most := 0
	for _, row := range counts {
		s := 0
		for _, x := range row {
			s += x
		}
		most = max(most, s)
	}
	return most + r.IntN(2)
}

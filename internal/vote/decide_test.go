package vote

import (
	"errors"
	"flag"
	"os"
	"strings"
	"testing"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/auth"
)

var update = flag.Bool("update", false, "rewrite the role table in docs/SECURITY.md")

var (
	sec      = auth.Principal{UserID: "sec", Role: auth.RoleSecretariat, CouncilID: "c1"}
	head     = auth.Principal{UserID: "h", Role: auth.RoleBoard, CouncilID: "c1"}
	member   = auth.Principal{UserID: "m1", Role: auth.RoleBoard, CouncilID: "c1"}
	member2  = auth.Principal{UserID: "m2", Role: auth.RoleBoard, CouncilID: "c1"}
	outsider = auth.Principal{UserID: "o", Role: auth.RoleBoard, CouncilID: "c1"}
	observer = auth.Principal{UserID: "obs", Role: auth.RoleObserver, CouncilID: "c1"}
	admin    = auth.Principal{UserID: "a", Role: auth.RoleAdmin}
	stranger = auth.Principal{UserID: "x", Role: auth.RoleSecretariat, CouncilID: "c2"}
	rated    = auth.Principal{UserID: "m2", Role: auth.RoleBoard, CouncilID: "c1", OfficialID: "off-1"}
)

func state(s Status) State {
	return State{Status: s, CouncilID: "c1", QuorumMet: true, Subjects: []string{"off-1", "off-2"}, SignedIssuance: new(int),
		Board: []Member{{UserID: "h", BoardRole: BoardHead}, {UserID: "m1", BoardRole: BoardSecretary}, {UserID: "m2", BoardRole: BoardMember}}}
}

func code(err error) string {
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return ae.Code
	}
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestRoleTable(t *testing.T) {
	certified := state(Closed)
	certified.Board[0].Certified = true
	announced := state(Certified)
	announced.Announced = true
	noQuorum := state(Closed)
	noQuorum.QuorumMet = false
	confirmed := state(Closed)
	confirmed.Cancels = []string{"m1"}
	unsigned := state(Closed)
	unsigned.SignedIssuance = nil
	differs := state(Closed)
	differs.Issued = 40
	differs.SignedIssuance = &[]int{39}[0]
	cases := []struct {
		name   string
		action Action
		st     State
		who    auth.Principal
		want   string
	}{
		{"the secretariat sets the board of a draft", ActSetBoard, state(Draft), sec, ""},
		{"the board is frozen once the vote opens", ActSetBoard, state(Open), sec, "wrong_status"},
		{"the board may not name itself", ActSetBoard, state(Draft), head, "secretariat_only"},
		{"the admin is no board member", ActGenerateCodes, state(Draft), admin, "not_board_member"},
		{"a board member prints codes", ActGenerateCodes, state(Draft), member, ""},
		{"a board user of the council not on this board", ActGenerateCodes, state(Draft), outsider, "not_board_member"},
		{"the head opens", ActOpen, state(Draft), head, ""},
		{"the secretariat no longer opens", ActOpen, state(Draft), sec, "board_head_only"},
		{"a plain member does not open", ActOpen, state(Draft), member, "board_head_only"},
		{"another council's vote does not exist", ActRead, state(Open), stranger, "vote_not_found"},
		{"an observer reads", ActRead, state(Open), observer, ""},
		{"no count while open", ActTally, state(Open), observer, "wrong_status"},
		{"the count after the close", ActTally, state(Closed), observer, ""},
		{"the admin issues no ballot", ActIssue, state(Open), admin, "not_board_member"},
		{"issuing before the opening", ActIssue, state(Draft), member, "wrong_status"},
		{"a member certifies once", ActCertify, certified, head, "already_certified"},
		{"another member certifies", ActCertify, certified, member, ""},
		{"no certification without the quorum (QĐ 96)", ActCertify, noQuorum, member, "quorum_not_met"},
		{"no certification before the signed list is counted", ActCertify, unsigned, member, "signed_issuance_missing"},
		{"no certification when the signed list differs from the ballots issued", ActCertify, differs, member, "signed_issuance_differs"},
		{"an account of a person on the ballot may read", ActRead, state(Closed), rated, ""},
		{"an account of a person on the ballot may not certify", ActCertify, state(Closed), rated, "conflict_of_interest"},
		{"publication waits for the announcement", ActPublish, state(Certified), sec, "not_announced"},
		{"publication after the announcement", ActPublish, announced, sec, ""},
		{"the head announces", ActAnnounce, state(Certified), head, ""},
		{"the secretariat cancels a draft", ActCancel, state(Draft), sec, ""},
		{"the head cancels an open vote", ActCancel, state(Open), head, ""},
		{"the secretariat may not cancel a closed vote", ActCancel, state(Closed), sec, "not_board_member"},
		{"a board member confirms a closed vote's cancellation", ActCancel, state(Closed), member2, ""},
		{"nobody confirms twice", ActCancel, confirmed, member, "cancel_already_confirmed"},
		{"the base is fixed once a certification started", ActChangeBase, certified, head, "base_change_after_certification"},
		{"the head enters the council's base decision", ActChangeBase, state(Closed), head, ""},
		{"nothing is done to a cancelled vote", ActIssue, state(Cancelled), member, "wrong_status"},
		{"only the secretariat drafts", ActCreate, state(Draft), head, "secretariat_only"},
	}
	for _, c := range cases {
		var err error
		if c.action == ActCreate {
			err = DecideCreate(c.st.CouncilID, c.who)
		} else {
			err = Decide(c.action, c.st, c.who)
		}
		if got := code(err); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
	_ = noQuorum
}

func TestCertificationRule(t *testing.T) {
	board := func(flags ...string) []Member {
		out := make([]Member, len(flags))
		for i, f := range flags {
			out[i] = Member{UserID: string(rune('a' + i)), Certified: f == "c", Absent: f == "a"}
		}
		return out
	}
	cases := []struct {
		name  string
		board []Member
		done  bool
	}{
		{"every member certified", board("c", "c", "c"), true},
		{"one member has yet to certify", board("c", "c", "-"), false},
		{"an ill member recorded absent: two of three is a majority", board("c", "c", "a"), true},
		{"a rump of two of five cannot certify alone", board("c", "c", "a", "a", "a"), false},
		{"three of five with two absent", board("c", "c", "c", "a", "a"), true},
		{"half is no majority", board("c", "c", "a", "a"), false},
	}
	for _, c := range cases {
		if got := Certifications(c.board).Done; got != c.done {
			t.Errorf("%s: got %v, want %v", c.name, got, c.done)
		}
	}
	st := state(Closed)
	if CancelDone(st, 1) || !CancelDone(st, 2) {
		t.Error("a closed vote's cancellation needs a strict majority of its board")
	}
	st.QuorumMet = false
	if !CancelDone(st, 1) {
		t.Error("a count that cannot be certified is cancelled by any one member")
	}
}

// TestEveryActionHasARule: no action of the lifecycle is decided outside the table.
func TestEveryActionHasARule(t *testing.T) {
	src, err := os.ReadFile("decide.go")
	if err != nil {
		t.Fatal(err)
	}
	declared := 0
	for _, line := range strings.Split(string(src), "\n") {
		f := strings.Fields(line)
		if len(f) >= 4 && strings.HasPrefix(f[0], "Act") && f[1] == "Action" && f[2] == "=" {
			declared++
			found := false
			for _, r := range Rules {
				found = found || "Act"+strings.TrimPrefix(f[0], "Act") == f[0] && string(r.Action) == strings.Trim(f[3], `"`)
			}
			if !found {
				t.Errorf("%s has no row in Rules", f[0])
			}
		}
	}
	if declared < 20 {
		t.Fatalf("read only %d actions", declared)
	}
}

// TestSecurityDocHasTheRoleTable: docs/SECURITY.md carries the table this package decides by (go
// test ./internal/vote -update rewrites it).
func TestSecurityDocHasTheRoleTable(t *testing.T) {
	const path = "../../docs/SECURITY.md"
	const begin, end = "<!-- role-table:begin (generated by go test ./internal/vote -update) -->\n", "<!-- role-table:end -->"
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(doc)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatalf("%s has no role table markers", path)
	}
	want := s[:i+len(begin)] + RoleTable() + s[j:]
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if want != s {
		t.Fatalf("the role table in %s differs from vote.Rules: run go test ./internal/vote -update", path)
	}
}

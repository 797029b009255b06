package vote

import (
	"testing"

	"tinnhiem/internal/apperr"
)

func TestGroups(t *testing.T) {
	subjects := []string{"a", "b", "c"}
	titles, of, err := Groups(nil, subjects, subjects, "Một phiếu")
	if err != nil || len(titles) != 1 || of["c"] != 0 {
		t.Fatalf("no groups: %v %v %v", titles, of, err)
	}
	// "x" was chosen but excluded by the rules: passed over; the group left empty is dropped.
	titles, of, err = Groups([]GroupInput{{Title: "HĐND", OfficialIDs: []string{"a", "x"}}, {Title: "Trống", OfficialIDs: []string{"x"}},
		{Title: "UBND", OfficialIDs: []string{"b", "c"}}}, subjects, []string{"a", "b", "c", "x"}, "")
	if err != nil || len(titles) != 2 || titles[1] != "UBND" || of["b"] != 1 || of["a"] != 0 {
		t.Fatalf("got %v %v %v", titles, of, err)
	}
	for name, groups := range map[string][]GroupInput{
		"a subject in no group": {{Title: "G", OfficialIDs: []string{"a", "b"}}},
		"a subject twice":       {{Title: "G", OfficialIDs: []string{"a", "b", "c"}}, {Title: "H", OfficialIDs: []string{"a"}}},
		"somebody never chosen": {{Title: "G", OfficialIDs: []string{"a", "b", "c", "zz"}}},
	} {
		if _, _, err := Groups(groups, subjects, subjects, ""); !apperr.IsKind(err, apperr.Invalid) {
			t.Errorf("%s: got %v", name, err)
		}
	}
}

func TestBoardInput(t *testing.T) {
	ok := BoardInput{Members: []MemberInput{{UserID: "u1", BoardRole: BoardHead}, {UserID: "u2", BoardRole: BoardSecretary}, {UserID: "u3", BoardRole: BoardMember}}}
	if err := ok.Normalize(); err != nil {
		t.Fatal(err)
	}
	for name, in := range map[string]BoardInput{
		"no head":         {Members: []MemberInput{{UserID: "u1", BoardRole: BoardMember}}},
		"two heads":       {Members: []MemberInput{{UserID: "u1", BoardRole: BoardHead}, {UserID: "u2", BoardRole: BoardHead}}},
		"two secretaries": {Members: []MemberInput{{UserID: "u1", BoardRole: BoardHead}, {UserID: "u2", BoardRole: BoardSecretary}, {UserID: "u3", BoardRole: BoardSecretary}}},
		"a member twice":  {Members: []MemberInput{{UserID: "u1", BoardRole: BoardHead}, {UserID: "u1", BoardRole: BoardMember}}},
	} {
		if err := in.Normalize(); !apperr.IsKind(err, apperr.Invalid) {
			t.Errorf("%s: got %v", name, err)
		}
	}
}

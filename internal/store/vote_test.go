package store_test

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/ballot"
	"tinnhiem/internal/roster"
	"tinnhiem/internal/rules"
	"tinnhiem/internal/store"
	"tinnhiem/internal/testdb"
	"tinnhiem/internal/vote"
)

// openVote makes a council with n delegates, one official, a board of three, and an open vote with
// n codes; every delegate has been issued a ballot when issue is true.
type openVote struct {
	id        string
	codes     []string
	official  string
	board     []auth.Principal
	sec       auth.Principal
	delegates []roster.Delegate
}

func setupVote(t *testing.T, s *store.Store, n int, issue bool) openVote {
	t.Helper()
	c := mkCouncil(t, s)
	var csv strings.Builder
	csv.WriteString("full_name,code\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&csv, "Đại biểu %d,D%d\n", i, i)
	}
	rows, _ := roster.ParseDelegatesCSV([]byte(csv.String()))
	if _, err := s.ImportDelegates(ctx, admin, c.ID, rows, false); err != nil {
		t.Fatal(err)
	}
	o, err := s.CreateOfficial(ctx, admin, c.ID, roster.OfficialInput{FullName: "Nguyễn Văn Chủ",
		Positions: []roster.PositionInput{{Category: "hdnd_chu_tich", Title: "Chủ tịch HĐND", ElectedOn: "2021-06-25"}}})
	if err != nil {
		t.Fatal(err)
	}
	ov := openVote{official: o.ID, sec: auth.Principal{UserID: "u-sec", Username: "thuky", Role: auth.RoleSecretariat, CouncilID: c.ID}}
	var members []vote.MemberInput
	for i, role := range []vote.BoardRole{vote.BoardHead, vote.BoardSecretary, vote.BoardMember} {
		u, err := s.CreateUser(ctx, admin, auth.UserInput{Username: fmt.Sprintf("bkp%d", i), Password: "password-long", FullName: fmt.Sprintf("BKP %d", i), Role: auth.RoleBoard, CouncilID: c.ID})
		if err != nil {
			t.Fatal(err)
		}
		members = append(members, vote.MemberInput{UserID: u.ID, BoardRole: role})
		ov.board = append(ov.board, auth.Principal{UserID: u.ID, Username: u.Username, Role: auth.RoleBoard, CouncilID: c.ID})
	}
	v, err := s.CreateVote(ctx, ov.sec, c.ID, normalized(t, &vote.Input{Kind: rules.Confidence, Title: "LPTN", SessionName: "Kỳ họp thứ 7",
		SessionOpensOn: "2023-12-06", VoteDate: "2023-12-08", OfficialIDs: []string{o.ID}}))
	if err != nil {
		t.Fatal(err)
	}
	ov.id = v.ID
	if _, err := s.SetBoard(ctx, ov.sec, v.ID, vote.BoardInput{Members: members}); err != nil {
		t.Fatal(err)
	}
	if ov.codes, err = s.GenerateCodes(ctx, ov.board[0], v.ID, vote.CodesInput{Count: n}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.OpenVote(ctx, ov.board[0], v.ID); err != nil {
		t.Fatal(err)
	}
	ov.delegates, _ = s.ListDelegates(ctx, admin, c.ID, roster.DelegateFilter{})
	if issue {
		for _, d := range ov.delegates {
			if _, err := s.IssueBallot(ctx, ov.board[1], v.ID, vote.IssueInput{DelegateID: d.ID}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return ov
}

func level(l rules.Level) *rules.Level { return &l }

// normalized validates a use case's input as the API does before calling the store.
func normalized[T any, PT interface {
	*T
	Normalize() error
}](t *testing.T, in PT) T {
	t.Helper()
	// A vote the test drafts without a ballot mode is a plain one (codes the server makes): the
	// encrypted path has tests of its own.
	if v, ok := any(in).(*vote.Input); ok && v.BallotMode == "" && v.CastingMode != vote.CastPaper {
		v.BallotMode = vote.ModePlain
	}
	if err := in.Normalize(); err != nil {
		t.Fatal(err)
	}
	return *in
}

// TestFiftyClientsSpendOneCode: exactly one ballot is stored; the others are refused.
func TestFiftyClientsSpendOneCode(t *testing.T) {
	testdb.Dialects(t, func(t *testing.T, s *store.Store) {
		ov := setupVote(t, s, 3, true)
		var wins, conflicts atomic.Int32
		var wg sync.WaitGroup
		levels := []rules.Level{rules.High, rules.Medium, rules.Low}
		for i := 0; i < 50; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				_, err := s.CastBallot(ctx, vote.CastInput{Code: ov.codes[0], Choices: []ballot.Choice{{OfficialID: ov.official, Level: level(levels[i%3])}}})
				switch {
				case err == nil:
					wins.Add(1)
				case apperr.IsKind(err, apperr.Conflict):
					conflicts.Add(1)
				default:
					t.Errorf("cast %d: %v", i, err)
				}
			}(i)
		}
		wg.Wait()
		tv, _ := s.Turnout(ctx, admin, ov.id)
		// Identical submissions may each get the one receipt back; the ballot box holds one ballot.
		if tv.BallotsCast != 1 || wins.Load() < 1 || wins.Load()+conflicts.Load() != 50 {
			t.Fatalf("cast %d, wins %d, conflicts %d", tv.BallotsCast, wins.Load(), conflicts.Load())
		}
		var n int64 // while the vote is open its ballots are in its live table (ballotside.go)
		s.DB().Raw("SELECT COUNT(*) FROM live_ballots_" + strings.ReplaceAll(ov.id, "-", "")).Scan(&n)
		if n != 1 {
			t.Fatalf("%d ballots stored", n)
		}
	})
}

// TestCastsRacingTheClose: the tally holds exactly the acknowledged ballots.
func TestCastsRacingTheClose(t *testing.T) {
	testdb.Dialects(t, func(t *testing.T, s *store.Store) {
		ov := setupVote(t, s, 40, true)
		var acked atomic.Int32
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := 0; i < 40; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				<-start
				_, err := s.CastBallot(ctx, vote.CastInput{Code: ov.codes[i], Choices: []ballot.Choice{{OfficialID: ov.official, Level: level(rules.High)}}})
				if err == nil {
					acked.Add(1)
				} else if !apperr.IsKind(err, apperr.Conflict) {
					t.Errorf("cast %d: %v", i, err)
				}
			}(i)
		}
		close(start)
		if _, err := s.CloseVote(ctx, ov.board[0], ov.id); err != nil {
			t.Fatal(err)
		}
		wg.Wait()
		r, err := s.Tally(ctx, admin, ov.id)
		if err != nil {
			t.Fatal(err)
		}
		if r.BallotsReceived != int(acked.Load()) || r.Subjects[0].Counts[rules.High] != int(acked.Load()) {
			t.Fatalf("acknowledged %d, tallied %d", acked.Load(), r.BallotsReceived)
		}
		t.Logf("%d of 40 casts were acknowledged before the close", acked.Load())
	})
}

// TestTwoConsolesIssueToOneDelegate: one issuance.
func TestTwoConsolesIssueToOneDelegate(t *testing.T) {
	testdb.Dialects(t, func(t *testing.T, s *store.Store) {
		ov := setupVote(t, s, 5, false)
		var ok, dup atomic.Int32
		var wg sync.WaitGroup
		for i := 0; i < 10; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				_, err := s.IssueBallot(ctx, ov.board[i%3], ov.id, vote.IssueInput{DelegateID: ov.delegates[0].ID})
				switch {
				case err == nil:
					ok.Add(1)
				case apperr.IsKind(err, apperr.Conflict):
					dup.Add(1)
				default:
					t.Errorf("issue: %v", err)
				}
			}(i)
		}
		wg.Wait()
		tv, _ := s.Turnout(ctx, admin, ov.id)
		if ok.Load() != 1 || dup.Load() != 9 || tv.BallotsIssued != 1 {
			t.Fatalf("ok %d, refused %d, issued %d", ok.Load(), dup.Load(), tv.BallotsIssued)
		}
	})
}

// TestCertificationsRacing: the members certify at once; the vote ends certified, each once.
func TestCertificationsRacing(t *testing.T) {
	testdb.Dialects(t, func(t *testing.T, s *store.Store) {
		ov := setupVote(t, s, 3, true)
		for i := 0; i < 3; i++ {
			if _, err := s.CastBallot(ctx, vote.CastInput{Code: ov.codes[i], Choices: []ballot.Choice{{OfficialID: ov.official, Level: level(rules.Low)}}}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.CloseVote(ctx, ov.board[0], ov.id); err != nil {
			t.Fatal(err)
		}
		r, _ := s.Tally(ctx, admin, ov.id)
		signed := 3
		if _, err := s.SetSignedIssuance(ctx, ov.board[1], ov.id, vote.SignedIssuanceInput{Count: signed}); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for i := 0; i < 6; i++ { // each member twice
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				_, err := s.Certify(ctx, ov.board[i%3], ov.id, vote.CertifyInput{TallyHash: r.TallyHash})
				if err != nil && !apperr.IsKind(err, apperr.Conflict) {
					t.Errorf("certify: %v", err)
				}
			}(i)
		}
		wg.Wait()
		v, _ := s.GetVote(ctx, admin, ov.id)
		var n int64
		s.DB().Raw("SELECT COUNT(*) FROM certifications WHERE vote_id = ?", ov.id).Scan(&n)
		if v.Status != vote.Certified || n != 3 || v.TallyHash != r.TallyHash {
			t.Fatalf("status %s, %d certifications", v.Status, n)
		}
	})
}

// TestQuorumUnderQD96: certification is refused when 3·present < 2·convened.
func TestQuorumUnderQD96(t *testing.T) {
	testdb.Dialects(t, func(t *testing.T, s *store.Store) {
		c := mkCouncil(t, s)
		rows, _ := roster.ParseDelegatesCSV([]byte("full_name,code\nA A,1\nB B,2\nC C,3\nD D,4\n"))
		s.ImportDelegates(ctx, admin, c.ID, rows, false)
		o, _ := s.CreateOfficial(ctx, admin, c.ID, roster.OfficialInput{FullName: "X Y", Positions: []roster.PositionInput{{Category: "hdnd_chu_tich", Title: "Chủ tịch", ElectedOn: "2021-01-01"}}})
		var members []vote.MemberInput
		var head auth.Principal
		for i, role := range []vote.BoardRole{vote.BoardHead, vote.BoardSecretary, vote.BoardMember} {
			u, _ := s.CreateUser(ctx, admin, auth.UserInput{Username: fmt.Sprintf("bkp.q%d", i), Password: "password-long", FullName: "BKP", Role: auth.RoleBoard, CouncilID: c.ID})
			members = append(members, vote.MemberInput{UserID: u.ID, BoardRole: role})
			if i == 0 {
				head = auth.Principal{UserID: u.ID, Role: auth.RoleBoard, CouncilID: c.ID}
			}
		}
		sec := auth.Principal{UserID: "u-sec", Role: auth.RoleSecretariat, CouncilID: c.ID}
		v, err := s.CreateVote(ctx, sec, c.ID, normalized(t, &vote.Input{Kind: rules.Confidence, Title: "QĐ 96", SessionName: "Hội nghị", SessionOpensOn: "2024-01-10",
			VoteDate: "2024-01-10", RuleSet: "QD96_2023", OfficialIDs: []string{o.ID}}))
		if err != nil {
			t.Fatal(err)
		}
		if v.PercentageBase != rules.BaseBallotsReceived {
			t.Fatalf("QD96_2023's default base: %s", v.PercentageBase)
		}
		if _, err := s.SetBoard(ctx, sec, v.ID, vote.BoardInput{Members: members}); err != nil {
			t.Fatal(err)
		}
		codes, _ := s.GenerateCodes(ctx, head, v.ID, vote.CodesInput{Count: 2})
		s.OpenVote(ctx, head, v.ID)
		ds, _ := s.ListDelegates(ctx, admin, c.ID, roster.DelegateFilter{})
		for i := 0; i < 2; i++ { // 2 of 4 present: 6 < 8
			s.IssueBallot(ctx, head, v.ID, vote.IssueInput{DelegateID: ds[i].ID})
			s.CastBallot(ctx, vote.CastInput{Code: codes[i], Choices: []ballot.Choice{{OfficialID: o.ID, Level: level(rules.High)}}})
		}
		s.CloseVote(ctx, head, v.ID)
		r, err := s.Tally(ctx, admin, v.ID)
		if err != nil || r.Quorum == nil || r.Quorum.Met || r.BaseValue != 2 {
			t.Fatalf("got %+v, %v", r.Quorum, err)
		}
		_, err = s.Certify(ctx, head, v.ID, vote.CertifyInput{TallyHash: r.TallyHash})
		if ae, ok := err.(*apperr.Error); !ok || ae.Code != "quorum_not_met" {
			t.Fatalf("got %v", err)
		}
	})
}

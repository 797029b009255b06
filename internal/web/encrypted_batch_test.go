package web_test

import (
	"crypto/rand"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"tinnhiem/internal/protocol"
	"tinnhiem/internal/store"
	"tinnhiem/internal/testdb"
	"tinnhiem/internal/vote"
)

// TestEncryptedCastsCommittedTogether: eleven kiosks cast encrypted ballots at the same moment, two of
// them sending theirs twice (a lost answer), with ten ballots issued, so that the casts share commit
// batches (internal/store/groupcommit.go). Exactly ten ballots are written, the eleventh refused for
// want of an issued ballot; a resend gets the first answer (201 then 200, one tracking code) or is
// refused with its ballot; the counter and the sealed ballot box agree after the close.
func TestEncryptedCastsCommittedTogether(t *testing.T) {
	testdb.Dialects(t, func(t *testing.T, st *store.Store) {
		e := newVoteEnv(t, st, 12)
		agents := e.boardAgents(3)
		var v voteResponse
		e.must(e.call("POST", "/api/v1/councils/"+e.councilA+"/votes", e.tokens["secretariat"], map[string]any{"kind": "confidence", "title": "LPTN mã hóa",
			"session_name": "Kỳ họp", "session_opens_on": "2023-12-06", "vote_date": "2023-12-08", "official_ids": []string{e.officials["chair"].ID},
			"ballot_mode": "encrypted"}), 201, &v)
		base := "/api/v1/votes/" + v.ID
		e.must(e.call("PUT", base+"/board", e.tokens["secretariat"], map[string]any{"members": []map[string]any{
			{"user_id": agents[0].userID, "board_role": "head"}, {"user_id": agents[1].userID, "board_role": "secretary"},
			{"user_id": agents[2].userID, "board_role": "member"}}}), 200, nil)
		e.runKeyCeremony(v.ID, agents, 2)
		codes := e.slips(v.ID, agents[1], 11)
		e.must(e.call("POST", base+"/open", agents[0].token, nil), 200, &v)
		for i := 0; i < 10; i++ {
			e.must(e.call("POST", base+"/issuances", agents[0].token, map[string]any{"delegate_id": e.delegates[i].ID}), 201, nil)
		}
		m, err := protocol.ParseManifest(v.Encryption.Manifest)
		if err != nil {
			t.Fatal(err)
		}
		bodies := make([][]byte, 11)
		for i, code := range codes {
			priv, _, err := protocol.Credential(mustParse(t, code))
			if err != nil {
				t.Fatal(err)
			}
			b, _, err := protocol.EncryptBallot(rand.Reader, m, priv, []int{i % 3})
			if err != nil {
				t.Fatal(err)
			}
			bodies[i], _ = json.Marshal(b)
		}
		sends := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0, 1} // ballots 0 and 1 twice
		type answer struct {
			status   int
			tracking string
			code     string
		}
		answers := make([]answer, len(sends))
		var wg sync.WaitGroup
		start := make(chan struct{})
		for k, i := range sends {
			wg.Add(1)
			go func(k, i int) {
				defer wg.Done()
				<-start
				r := e.call("POST", "/api/v1/encrypted-ballots", "", bodies[i])
				var rec vote.EncryptedReceipt
				_ = json.Unmarshal(r.body, &rec)
				a := answer{status: r.status, tracking: rec.TrackingCode}
				if r.status >= 400 {
					a.code = e.envelope(r).Error.Code
				}
				answers[k] = a
			}(k, i)
		}
		close(start)
		wg.Wait()
		written, refused := 0, 0
		for i := 0; i < 11; i++ {
			var mine []answer
			for k, j := range sends {
				if j == i {
					mine = append(mine, answers[k])
				}
			}
			created, tracking := 0, ""
			for _, a := range mine {
				switch {
				case a.status == 201:
					created++
					tracking = a.tracking
				case a.status == 200:
				case a.status == 409 && a.code == "no_ballot_issued":
				default:
					t.Fatalf("ballot %d: %+v", i, a)
				}
			}
			for _, a := range mine {
				if a.status == 200 && (created != 1 || a.tracking != tracking) {
					t.Fatalf("ballot %d: a resend answered %+v beside %+v", i, a, mine)
				}
			}
			switch created {
			case 1:
				written++
			case 0:
				refused++
			default:
				t.Fatalf("ballot %d written %d times", i, created)
			}
		}
		if written != 10 || refused != 1 {
			t.Fatalf("%d ballots written, %d refused; want 10 and 1", written, refused)
		}
		var n int
		st.DB().Raw("SELECT COUNT(*) FROM live_eballots_" + strings.ReplaceAll(v.ID, "-", "")).Scan(&n)
		var counter int // the counter itself: turnout answers are two-second snapshots
		st.DB().Raw("SELECT ballots_cast FROM votes WHERE id = ?", v.ID).Scan(&counter)
		if n != 10 || counter != 10 {
			t.Fatalf("%d ballots stored, counter %d; want 10", n, counter)
		}
		e.must(e.call("POST", base+"/close", agents[0].token, nil), 200, nil)
		st.DB().Raw("SELECT COUNT(*) FROM encrypted_ballots WHERE vote_id = ?", v.ID).Scan(&n)
		if n != 10 {
			t.Fatalf("%d ballots sealed at the close, want 10", n)
		}
	})
}

package main

import (
	"context"
	crand "crypto/rand"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"tinnhiem/internal/auth"
	"tinnhiem/internal/protocol"
	"tinnhiem/internal/store"
	"tinnhiem/internal/vote"
)

// EncryptedResult is the encrypted casting run: the server verifies every ballot (docs/PROTOCOL.md
// §8.8) before it takes any lock, so the CPU may bind before the database.
type EncryptedResult struct {
	Rows       int      `json:"rows"`
	VerifyMs   float64  `json:"verify_ms_one_core"` // parse + verify one ballot, one core
	CPUCeiling float64  `json:"cpu_ceiling_per_s"`  // cores ÷ that time
	DBCeiling  float64  `json:"db_ceiling_tx_per_s"`
	Bound      float64  `json:"bound_per_s"` // min of the two
	Clients    int      `json:"clients"`
	Ballots    int      `json:"ballots"`
	Errors     int      `json:"errors"`
	PerSecond  float64  `json:"ballots_per_s"`
	Ratio      float64  `json:"ratio_to_bound"`
	P50        float64  `json:"p50_ms"`
	P95        float64  `json:"p95_ms"`
	P99        float64  `json:"p99_ms"`
	CPU        CPUSplit `json:"cpu_seconds"`
}

// encVote is an open encrypted vote with its ballots encrypted ahead (the kiosks' work, not measured).
type encVote struct {
	plainVote
	manifest *protocol.Manifest
	rows     int
	bodies   [][]byte
}

// prepareEncrypted sets up an encrypted vote of `rows` subjects (the board's key ceremony played in
// Go, as the members' browsers would), registers n credentials, issues n ballots and encrypts n
// ballots ahead.
func prepareEncrypted(ctx context.Context, st *store.Store, council string, n, rows, kiosks int) (encVote, error) {
	officials, err := makeOfficials(ctx, st, council, rows, fmt.Sprintf("E%d-", time.Now().UnixNano()))
	if err != nil {
		return encVote{}, err
	}
	pv, err := openVoteOf(ctx, st, council, officials, n, kiosks, benchSec, benchBoard, vote.ModeEncrypted)
	if err != nil {
		return encVote{}, err
	}
	keys, err := keyCeremony(ctx, st, pv.id, benchBoard)
	if err != nil {
		return encVote{}, fmt.Errorf("key ceremony: %w", err)
	}
	if _, err := st.OpenVote(ctx, benchBoard[0], pv.id); err != nil {
		return encVote{}, err
	}
	v, err := st.GetVote(ctx, benchSec, pv.id)
	if err != nil {
		return encVote{}, err
	}
	m, err := protocol.ParseManifest(v.Encryption.Manifest)
	if err != nil {
		return encVote{}, err
	}
	// The slips: codes, their credentials, the list signed by the board's secretary.
	privs := make([][]byte, n)
	creds := make([][32]byte, n)
	for i := range privs {
		code, err := protocol.NewCode(crand.Reader)
		if err != nil {
			return encVote{}, err
		}
		priv, pub, err := protocol.Credential(code)
		if err != nil {
			return encVote{}, err
		}
		privs[i], creds[i] = priv, pub
	}
	sorted := slices.Clone(creds)
	slices.SortFunc(sorted, func(a, b [32]byte) int { return strings.Compare(string(a[:]), string(b[:])) })
	list := protocol.NewCredentialList(pv.id, sorted, keys[1].Identifier, keys[1].Signer())
	raw, err := json.Marshal(list)
	if err != nil {
		return encVote{}, err
	}
	if _, err := st.RegisterCredentials(ctx, benchBoard[1], pv.id, vote.Message{Raw: raw}); err != nil {
		return encVote{}, err
	}
	if err := issueAll(st, pv.id, council, n); err != nil {
		return encVote{}, err
	}
	logf("  encrypting %d ballots of %d rows…", n, rows)
	ev := encVote{plainVote: pv, manifest: m, rows: rows, bodies: make([][]byte, n)}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	for w := 0; w < runtime.NumCPU(); w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < n; i += runtime.NumCPU() {
				choices := make([]int, rows)
				for r := range choices {
					choices[r] = (i+r)%(m.Levels+1) - 1
				}
				b, _, err := protocol.EncryptBallot(crand.Reader, m, privs[i], choices)
				if err == nil {
					ev.bodies[i], err = b.MarshalJSON()
				}
				if err != nil {
					mu.Lock()
					firstErr = err
					mu.Unlock()
					return
				}
			}
		}(w)
	}
	wg.Wait()
	return ev, firstErr
}

// encryptedRun times the server's verification of one ballot on one core and casts the vote's
// ballots from its kiosks, each in a closed loop.
func encryptedRun(ctx context.Context, st *store.Store, servers []*server, ev encVote, dbCeiling float64) *EncryptedResult {
	er := &EncryptedResult{Rows: ev.rows, Clients: len(ev.kiosks), DBCeiling: dbCeiling}
	er.VerifyMs = verifyTime(ev.manifest, ev.bodies[:min(50, len(ev.bodies))])
	er.CPUCeiling = float64(runtime.NumCPU()) * 1000 / er.VerifyMs
	er.Bound = min(er.CPUCeiling, er.DBCeiling)
	cpu0 := cpuNow(ctx, st, servers)
	cr := castEncrypted(urlsOf(servers), ev)
	er.CPU = cpuNow(ctx, st, servers).since(cpu0)
	er.Ballots, er.Errors, er.PerSecond, er.P50, er.P95, er.P99 = cr.Ballots, cr.Errors, cr.PerSecond, cr.P50, cr.P95, cr.P99
	er.Ratio = er.PerSecond / er.Bound
	return er
}

// castEncrypted sends every ballot of the vote once, one kiosk per registered token, closed loop.
func castEncrypted(urls []string, ev encVote) CastResult {
	return closedLoopPath(urls, "/api/v1/encrypted-ballots", len(ev.bodies), ev.kiosks, len(ev.kiosks), func(i int) []byte { return ev.bodies[i] })
}

// verifyTime is the server's work for one ballot on one core, best of three passes over the sample:
// decode the JSON and verify it (protocol.ParseBallot + protocol.VerifyBallots, as CastEncrypted
// does), in one goroutine.
func verifyTime(m *protocol.Manifest, sample [][]byte) float64 {
	best := 0.0
	for pass := 0; pass < 3; pass++ {
		t0 := time.Now()
		for _, raw := range sample {
			b, err := protocol.ParseBallot(raw)
			if err == nil {
				err = protocol.VerifyBallots(m, []*protocol.Ballot{b})
			}
			if err != nil {
				logf("  verify: %v", err)
			}
		}
		ms := float64(time.Since(t0).Microseconds()) / 1000 / float64(len(sample))
		if best == 0 || ms < best {
			best = ms
		}
	}
	return best
}

// keyCeremony runs the board's key ceremony for a vote through the store, each member as their
// browser would (round 1, 2, 3 and the reopening check), and returns each member's key share.
func keyCeremony(ctx context.Context, st *store.Store, voteID string, board []auth.Principal) ([]*protocol.ShareKey, error) {
	c, err := st.StartCeremony(ctx, board[0], voteID, vote.CeremonyInput{Threshold: 2})
	if err != nil {
		return nil, err
	}
	members := make([]string, len(c.Members))
	for i, mm := range c.Members {
		members[i] = mm.UserID
	}
	pc := &protocol.Ceremony{ID: c.ID, CouncilID: c.CouncilID, VoteID: c.VoteID, Threshold: c.Threshold, Members: members}
	ms := make([]*protocol.Member, len(board))
	post := func(p auth.Principal, f func(context.Context, auth.Principal, string, vote.Message) (vote.Ceremony, error), msg any) error {
		raw, err := json.Marshal(msg)
		if err != nil {
			return err
		}
		_, err = f(ctx, p, c.ID, vote.Message{Raw: raw})
		return err
	}
	for i, p := range board {
		m, r1, err := protocol.NewMember(crand.Reader, pc, p.UserID)
		if err != nil {
			return nil, err
		}
		ms[i] = m
		if err := post(p, st.PostRound1, r1); err != nil {
			return nil, err
		}
	}
	seen, err := st.GetCeremony(ctx, board[0], c.ID)
	if err != nil {
		return nil, err
	}
	var r1s []*protocol.Round1
	for _, mm := range seen.Members {
		r, err := protocol.ParseRound1(mm.Round1)
		if err != nil {
			return nil, err
		}
		r1s = append(r1s, r)
	}
	for i, p := range board {
		r2, err := ms[i].Round2(crand.Reader, r1s)
		if err != nil {
			return nil, err
		}
		if err := post(p, st.PostRound2, r2); err != nil {
			return nil, err
		}
	}
	if seen, err = st.GetCeremony(ctx, board[0], c.ID); err != nil {
		return nil, err
	}
	keys := make([]*protocol.ShareKey, len(board))
	for i, p := range board {
		var others []*protocol.Round2
		for _, mm := range seen.Members {
			if mm.UserID == p.UserID {
				continue
			}
			r, err := protocol.ParseRound2(mm.Round2)
			if err != nil {
				return nil, err
			}
			others = append(others, r)
		}
		res, err := ms[i].Round3(others)
		if err != nil {
			return nil, err
		}
		if res.Complaint != nil {
			return nil, fmt.Errorf("member %d complained", i)
		}
		keys[i] = res.Key
		if err := post(p, st.PostRound3, res.Confirmation); err != nil {
			return nil, err
		}
	}
	for i, p := range board {
		r, err := protocol.NewReopen(crand.Reader, keys[i])
		if err != nil {
			return nil, err
		}
		if err := post(p, st.PostReopen, r); err != nil {
			return nil, err
		}
	}
	return keys, nil
}

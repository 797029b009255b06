package main

import (
	"context"
	"fmt"
	"math/rand"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"tinnhiem/internal/auth"
	"tinnhiem/internal/roster"
	"tinnhiem/internal/store"
	"tinnhiem/internal/vote"
)

// NationalResult is a national day: many commune and district councils voting at once on one
// PostgreSQL, served by one or several server processes.
type NationalResult struct {
	Replicas      int      `json:"servers"`
	Votes         int      `json:"votes"`
	Delegates     int      `json:"delegates"`
	Kiosks        int      `json:"kiosks"`
	Ballots       int      `json:"ballots"`
	Errors        int      `json:"errors"`
	PerSecond     float64  `json:"ballots_per_s"`
	P50           float64  `json:"p50_ms"`
	P95           float64  `json:"p95_ms"`
	P99           float64  `json:"p99_ms"`
	Ceiling       float64  `json:"ceiling_tx_per_s"`        // one shared row, as for one vote
	SpreadCeiling float64  `json:"spread_ceiling_tx_per_s"` // one row per vote: the votes do not wait for each other
	Ratio         float64  `json:"ratio_to_ceiling"`
	Lost          int      `json:"lost"`
	Doubled       int      `json:"doubled"`
	CPU           CPUSplit `json:"cpu_seconds"`
}

// nationalCouncil is one council of the national day with its staff.
type nationalCouncil struct {
	id        string
	delegates int
	officials []string
	sec       auth.Principal
	board     []auth.Principal
}

// kiosksPerHall is how many registered kiosks each council's hall has.
const kiosksPerHall = 4

// nationalDay opens `votes` votes at once, one per council of 30–90 delegates, and casts every
// ballot of all of them in parallel (four kiosks per hall, closed loop), first on one server process,
// then on three behind a round-robin balancer; the ceiling is measured in the same run, at the same
// concurrency. Each vote's ballots, receipts, spent codes and counter are then checked against the
// receipts the kiosks were given: nothing lost, nothing doubled.
func nationalDay(ctx context.Context, votes int) ([]NationalResult, error) {
	dbURL, drop, err := freshDatabase(ctx, "postgres")
	if err != nil {
		return nil, err
	}
	defer drop()
	st, err := store.Open(ctx, dbURL, store.Options{CodeSpares: 10})
	if err != nil {
		return nil, err
	}
	defer st.Close()
	clients := votes * kiosksPerHall
	logf("[national] ceiling at %d clients…", clients)
	ceil1, err := ceiling(ctx, st, clients, 1)
	if err != nil {
		return nil, err
	}
	ceilN, err := ceiling(ctx, st, clients, votes)
	if err != nil {
		return nil, err
	}
	logf("[national] %d councils…", votes)
	councils, err := nationalCouncils(ctx, st, votes)
	if err != nil {
		return nil, err
	}
	var out []NationalResult
	for _, replicas := range []int{1, 3} {
		logf("[national] %d votes on %d server(s)…", votes, replicas)
		var servers []*server
		for i := 0; i < replicas; i++ {
			s, err := startServer(dbURL+*dsnParams, nil)
			if err != nil {
				return nil, err
			}
			servers = append(servers, s)
		}
		pvs := make([]plainVote, len(councils))
		delegates := 0
		for i, c := range councils {
			if pvs[i], err = openVoteOf(ctx, st, c.id, c.officials, c.delegates, kiosksPerHall, c.sec, c.board, vote.ModePlain); err != nil {
				return nil, err
			}
			delegates += c.delegates
		}
		cpu0 := cpuNow(ctx, st, servers)
		nr, receipts := nationalCasting(urlsOf(servers), pvs)
		nr.CPU = cpuNow(ctx, st, servers).since(cpu0)
		nr.Replicas, nr.Votes, nr.Delegates, nr.Kiosks = replicas, len(pvs), delegates, len(pvs)*kiosksPerHall
		nr.Ceiling, nr.SpreadCeiling = ceil1, ceilN
		nr.Ratio = nr.PerSecond / ceil1
		nr.Lost, nr.Doubled = checkVotes(ctx, st, pvs, receipts)
		for _, s := range servers {
			s.stop()
		}
		out = append(out, nr)
	}
	return out, nil
}

// nationalCouncils makes the councils: 30–90 delegates each, five officials on the ballot, a
// secretariat and a board of three (written directly: nobody logs in).
func nationalCouncils(ctx context.Context, st *store.Store, n int) ([]nationalCouncil, error) {
	rng := rand.New(rand.NewSource(200))
	out := make([]nationalCouncil, n)
	for i := range out {
		cin := roster.CouncilInput{Name: fmt.Sprintf("Hội đồng nhân dân xã Đo số %d", i+1), Body: "hdnd", Level: "xa", Place: fmt.Sprintf("xã Đo số %d", i+1),
			Khoa: "I", TermStartYear: time.Now().Year() - 2, TermEndYear: time.Now().Year() + 3}
		if err := mustNormalize(&cin); err != nil {
			return nil, err
		}
		c, err := st.CreateCouncil(ctx, admin, cin)
		if err != nil {
			return nil, err
		}
		nc := nationalCouncil{id: c.ID, delegates: 30 + rng.Intn(61)}
		if err := importDelegates(ctx, st, c.ID, nc.delegates, fmt.Sprintf("X%d-", i)); err != nil {
			return nil, err
		}
		if nc.officials, err = makeOfficials(ctx, st, c.ID, 5, fmt.Sprintf("X%d-", i)); err != nil {
			return nil, err
		}
		for j, role := range []auth.Role{auth.RoleSecretariat, auth.RoleBoard, auth.RoleBoard, auth.RoleBoard} {
			p := auth.Principal{UserID: uuid.NewString(), Username: fmt.Sprintf("x%d.u%d", i, j), Role: role, CouncilID: c.ID}
			if err := st.DB().Exec(`INSERT INTO users (id, username, full_name, role, council_id, password_hash, token_version, active, created_at)
				VALUES (?, ?, ?, ?, ?, 'fixture: nobody logs in', 0, TRUE, ?)`, p.UserID, p.Username, "Người "+p.Username, string(role), c.ID, time.Now().UTC()).Error; err != nil {
				return nil, err
			}
			if role == auth.RoleSecretariat {
				nc.sec = p
			} else {
				nc.board = append(nc.board, p)
			}
		}
		out[i] = nc
	}
	return out, nil
}

// nationalCasting casts every code of every vote: each hall's kiosks in a closed loop on their own
// vote's codes, every request to the next server in turn.
func nationalCasting(urls []string, pvs []plainVote) (NationalResult, [][]string) {
	total := 0
	for _, pv := range pvs {
		total += len(pv.codes)
	}
	client, done := httpClient(len(pvs) * kiosksPerHall)
	defer done()
	outs := make([][]outcome, len(pvs))
	var rr atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for v, pv := range pvs {
		outs[v] = make([]outcome, len(pv.codes))
		body := plainBody(pv)
		var next atomic.Int64
		for k := 0; k < kiosksPerHall; k++ {
			wg.Add(1)
			go func(v int, kiosk string) {
				defer wg.Done()
				for {
					i := int(next.Add(1)) - 1
					if i >= len(pvs[v].codes) {
						return
					}
					outs[v][i] = post(client, urls[int(rr.Add(1))%len(urls)], "/api/v1/ballots", kiosk, body(i))
				}
			}(v, pv.kiosks[k])
		}
	}
	wg.Wait()
	elapsed := time.Since(start).Seconds()
	var all []outcome
	receipts := make([][]string, len(pvs))
	for v := range outs {
		all = append(all, outs[v]...)
		for _, o := range outs[v] {
			if o.status == 201 {
				receipts[v] = append(receipts[v], o.receipt)
			}
		}
	}
	nr := NationalResult{}
	nr.Ballots, nr.Errors, _ = tallyOutcomes(all)
	nr.PerSecond = float64(nr.Ballots) / elapsed
	lat := latencies(all)
	nr.P50, nr.P95, nr.P99 = pct(lat, .50), pct(lat, .95), pct(lat, .99)
	return nr, receipts
}

// checkVotes compares each vote's ballot box with the receipts its kiosks were given: an acknowledged
// receipt not stored is lost; a ballot, receipt or spent code beyond the acknowledged casts is doubled.
func checkVotes(ctx context.Context, st *store.Store, pvs []plainVote, receipts [][]string) (lost, doubled int) {
	db := st.DB().WithContext(ctx)
	for v, pv := range pvs {
		live := strings.ReplaceAll(pv.id, "-", "")
		var ballots, stored, spent, cast int
		db.Raw("SELECT COUNT(*) FROM live_ballots_" + live).Scan(&ballots)
		db.Raw("SELECT COUNT(*) FROM live_receipts_" + live).Scan(&stored)
		db.Raw("SELECT COUNT(*) FROM live_codes_" + live + " WHERE state = 'spent'").Scan(&spent)
		db.Raw("SELECT ballots_cast FROM votes WHERE id = ?", pv.id).Scan(&cast)
		found := 0
		if len(receipts[v]) > 0 {
			db.Raw("SELECT COUNT(*) FROM live_receipts_"+live+" WHERE receipt IN ?", receipts[v]).Scan(&found)
		}
		acked := len(receipts[v])
		lost += acked - found
		doubled += max(0, max(ballots, stored, spent, cast)-acked)
	}
	return lost, doubled
}

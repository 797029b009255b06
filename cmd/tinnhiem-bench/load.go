package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"tinnhiem/internal/store"
)

// The load generator: kiosks that post ballots to one or several server processes (round robin per
// request, as a load balancer without sticky sessions would), and the servers themselves.

type server struct {
	url    string
	cmd    *exec.Cmd
	pid    int
	exited chan struct{}
}

// startServer runs the server binary on a loopback port against dbURL.
func startServer(dbURL string, env []string) (*server, error) {
	cmd := exec.Command(*binPath, "serve")
	cmd.Env = append(os.Environ(), append([]string{"TINNHIEM_ADDR=127.0.0.1:0", "TINNHIEM_DATABASE_URL=" + dbURL, "TINNHIEM_LOG_LEVEL=error",
		"TINNHIEM_ADMIN_PASSWORD=bench-admin-password", "TINNHIEM_CODE_SPARES=10", "TINNHIEM_METRICS_ADDR=off",
		"TINNHIEM_JWT_SECRET=bench-token-key-bench-token-key-bench"}, env...)...)
	out, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s (make build first): %w", *binPath, err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	re := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)`)
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case found <- "http://" + m[1]:
				default:
				}
			}
		}
	}()
	select {
	case u := <-found:
		return &server{url: u, cmd: cmd, pid: cmd.Process.Pid, exited: exited}, nil
	case <-exited:
		return nil, fmt.Errorf("the server exited: %s", strings.TrimSpace(stderr.String()))
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		return nil, fmt.Errorf("the server did not start: %s", strings.TrimSpace(stderr.String()))
	}
}

func urlsOf(ss []*server) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.url
	}
	return out
}

// peakRSS reads the server's peak resident memory (VmHWM) in MB.
func (s *server) peakRSS() float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			kb, _ := strconv.ParseFloat(strings.Fields(line)[1], 64)
			return kb / 1024
		}
	}
	return 0
}

func (s *server) stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.exited:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
	}
}

// CPUSplit is the CPU time spent during a run by the server processes, the database (the backends
// serving this database: PostgreSQL's own processes; SQLite runs inside the server) and the load
// generator, with the wall time: on a machine whose cores they share, it shows what binds.
type CPUSplit struct {
	Server   float64 `json:"server"`
	Database float64 `json:"database"`
	Load     float64 `json:"load_generator"`
	Wall     float64 `json:"wall"`
}

type cpuMark struct {
	server, database, load float64
	at                     time.Time
}

func (a cpuMark) since(b cpuMark) CPUSplit {
	return CPUSplit{Server: a.server - b.server, Database: a.database - b.database, Load: a.load - b.load, Wall: a.at.Sub(b.at).Seconds()}
}

// cpuNow reads the CPU time so far of the servers, of this database's PostgreSQL backends and of this
// process.
func cpuNow(ctx context.Context, st *store.Store, ss []*server) cpuMark {
	m := cpuMark{at: time.Now()}
	for _, s := range ss {
		m.server += procCPU(s.pid)
	}
	if st.Dialect() == store.Postgres {
		var pids []int
		st.DB().WithContext(ctx).Raw("SELECT pid FROM pg_stat_activity WHERE datname = current_database()").Scan(&pids)
		for _, pid := range pids {
			m.database += procCPU(pid)
		}
	}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		m.load = time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
	}
	return m
}

// procCPU is a process's user + system time in seconds (/proc/PID/stat, clock ticks of 1/100 s).
func procCPU(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndex(s, ")")+2:])
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseFloat(f[11], 64)
	k, _ := strconv.ParseFloat(f[12], 64)
	return (u + k) / 100
}

// httpClient is a client with room for every kiosk's connection.
func httpClient(conns int) (*http.Client, func()) {
	tr := &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns, MaxConnsPerHost: 0, IdleConnTimeout: 30 * time.Second}
	return &http.Client{Transport: tr, Timeout: 60 * time.Second}, tr.CloseIdleConnections
}

// outcome is one request's answer.
type outcome struct {
	ms      float64
	status  int
	code    string // the error's code
	receipt string
}

// post sends one cast and reads its answer.
func post(client *http.Client, url, path, kiosk string, body []byte) outcome {
	t0 := time.Now()
	req, _ := http.NewRequest("POST", url+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if kiosk != "" {
		req.Header.Set("X-Kiosk-Token", kiosk)
	}
	resp, err := client.Do(req)
	o := outcome{}
	if err != nil {
		o.code = "transport: " + err.Error()
		o.ms = float64(time.Since(t0).Microseconds()) / 1000
		return o
	}
	var env struct {
		Receipt      string                `json:"receipt"`
		TrackingCode string                `json:"tracking_code"`
		Error        struct{ Code string } `json:"error"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&env)
	resp.Body.Close()
	o.ms = float64(time.Since(t0).Microseconds()) / 1000
	o.status, o.code, o.receipt = resp.StatusCode, env.Error.Code, env.Receipt+env.TrackingCode
	return o
}

// closedLoop sends every code once from `clients` concurrent kiosks (kiosk k with the vote's k-th
// registered token), each sending its next cast as soon as its last one is answered.
func closedLoop(urls []string, pv plainVote, clients int, body func(i int) []byte) CastResult {
	return closedLoopPath(urls, "/api/v1/ballots", len(pv.codes), pv.kiosks, clients, body)
}

func closedLoopPath(urls []string, path string, n int, kiosks []string, clients int, body func(i int) []byte) CastResult {
	client, done := httpClient(clients)
	defer done()
	var next, rr atomic.Int64
	outs := make([]outcome, n)
	var wg sync.WaitGroup
	start := time.Now()
	hardStop := start.Add(3 * time.Minute)
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			kiosk := ""
			if len(kiosks) > 0 {
				kiosk = kiosks[c%len(kiosks)]
			}
			for {
				i := int(next.Add(1)) - 1
				if i >= n || time.Now().After(hardStop) {
					return
				}
				outs[i] = post(client, urls[int(rr.Add(1))%len(urls)], path, kiosk, body(i))
			}
		}(c)
	}
	wg.Wait()
	elapsed := time.Since(start).Seconds()
	cr := CastResult{Clients: clients}
	cr.Ballots, cr.Errors, cr.Refusals = tallyOutcomes(outs)
	cr.PerSecond = float64(cr.Ballots) / elapsed
	lat := latencies(outs)
	cr.P50, cr.P95, cr.P99 = pct(lat, .50), pct(lat, .95), pct(lat, .99)
	return cr
}

// tallyOutcomes counts the accepted casts and the refusals by status and code.
func tallyOutcomes(outs []outcome) (ok, errs int, refusals map[string]int) {
	for _, o := range outs {
		if o.status == 201 {
			ok++
			continue
		}
		errs++
		if refusals == nil {
			refusals = map[string]int{}
		}
		refusals[fmt.Sprintf("%d %s", o.status, o.code)]++
	}
	if len(refusals) > 0 {
		fmt.Fprintf(os.Stderr, "  refused casts: %v\n", refusals)
	}
	return ok, errs, refusals
}

func latencies(outs []outcome) []float64 {
	lat := make([]float64, 0, len(outs))
	for _, o := range outs {
		if o.status != 0 || o.ms > 0 {
			lat = append(lat, o.ms)
		}
	}
	sort.Float64s(lat)
	return lat
}

func pct(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(p*float64(len(sorted))))]
}

// poissonArrivals is n arrival times (offsets from the start) of a Poisson process of the given rate.
func poissonArrivals(n int, rate float64, seed int64) []time.Duration {
	rng := rand.New(rand.NewSource(seed))
	out := make([]time.Duration, n)
	t := 0.0
	for i := range out {
		t += rng.ExpFloat64() / rate
		out[i] = time.Duration(t * float64(time.Second))
	}
	return out
}

// hallArrivals is a hall's casting after the chair opens the vote: n delegates within d, most of them
// at once (the density falls linearly from its peak at the opening to nothing at d).
func hallArrivals(n int, d time.Duration, seed int64) []time.Duration {
	rng := rand.New(rand.NewSource(seed))
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = time.Duration(float64(d) * (1 - math.Sqrt(1-rng.Float64())))
	}
	sort.Slice(out, func(a, b int) bool { return out[a] < out[b] })
	return out
}

// openLoop sends code i at arrivals[i] whatever the answers before it (an open system: a delegate
// does not wait for another's answer), and measures each cast from its arrival, so that a server
// falling behind shows in the latency instead of slowing the arrivals (no coordinated omission).
func openLoop(urls []string, pv plainVote, arrivals []time.Duration, body func(i int) []byte) OpenResult {
	return openLoopPath(urls, "/api/v1/ballots", pv.kiosks, arrivals, body)
}

func openLoopPath(urls []string, path string, kiosks []string, arrivals []time.Duration, body func(i int) []byte) OpenResult {
	client, done := httpClient(512)
	defer done()
	outs := make([]outcome, len(arrivals))
	var wg sync.WaitGroup
	start := time.Now()
	for i, at := range arrivals {
		time.Sleep(time.Until(start.Add(at)))
		wg.Add(1)
		go func(i int, at time.Duration) {
			defer wg.Done()
			kiosk := ""
			if len(kiosks) > 0 {
				kiosk = kiosks[i%len(kiosks)]
			}
			o := post(client, urls[i%len(urls)], path, kiosk, body(i))
			o.ms = float64(time.Since(start.Add(at)).Microseconds()) / 1000 // from the arrival
			outs[i] = o
		}(i, at)
	}
	wg.Wait()
	elapsed := time.Since(start).Seconds()
	or := OpenResult{Seconds: elapsed}
	or.Ballots, or.Errors, _ = tallyOutcomes(outs)
	or.PerSecond = float64(or.Ballots) / elapsed
	lat := latencies(outs)
	or.P50, or.P95, or.P99 = pct(lat, .50), pct(lat, .95), pct(lat, .99)
	if len(lat) > 0 {
		or.Max = lat[len(lat)-1]
	}
	return or
}

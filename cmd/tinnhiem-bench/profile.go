package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"time"

	"tinnhiem/internal/app"
	"tinnhiem/internal/config"
)

// Profile is a CPU profile of the server doing a run that missed its target.
type Profile struct {
	Run  string `json:"run"`
	Path string `json:"path"`
	Top  string `json:"top"`
}

// profileRun repeats a run against a server built in this process (the same app.NewServer as the
// binary's, on its own connection pool) with the CPU profiler on, and keeps the server's part: the
// load generator's goroutines carry the label part=load, which the summary leaves out. The profile
// shows where the server's CPU goes; the database's own processes are not in it (their CPU time is
// in the run's figures).
func profileRun(ctx context.Context, kind, dbURL, name string, run func(urls []string)) (Profile, error) {
	cfg, err := config.Load(func(k string) string {
		return map[string]string{"TINNHIEM_DATABASE_URL": dbURL, "TINNHIEM_JWT_SECRET": "bench-token-key-bench-token-key-bench",
			"TINNHIEM_CODE_SPARES": "10", "TINNHIEM_LOG_LEVEL": "error"}[k]
	}, func(string) ([]byte, error) { return nil, io.EOF })
	if err != nil {
		return Profile{}, err
	}
	srvStore, err := app.OpenStore(ctx, cfg)
	if err != nil {
		return Profile{}, err
	}
	defer srvStore.Close()
	srv, err := app.NewServer(ctx, cfg, srvStore, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return Profile{}, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return Profile{}, err
	}
	go srv.App().Listener(ln) //nolint:errcheck
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	path := filepath.Join(filepath.Dir(*outPath), fmt.Sprintf("%s-%s.pprof", kind, name))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return Profile{}, err
	}
	f, err := os.Create(path)
	if err != nil {
		return Profile{}, err
	}
	defer f.Close()
	logf("  profiling the server: %s %s…", kind, name)
	if err := pprof.StartCPUProfile(f); err != nil {
		return Profile{}, err
	}
	pprof.Do(ctx, pprof.Labels("part", "load"), func(context.Context) {
		run([]string{"http://" + ln.Addr().String()})
	})
	pprof.StopCPUProfile()
	p := Profile{Run: name, Path: path}
	var out bytes.Buffer
	cmd := exec.Command("go", "tool", "pprof", "-top", "-cum", "-nodecount=25", "-tagignore=part=load", path)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err == nil {
		p.Top = summary(out.String())
	} else {
		p.Top = "go tool pprof failed: " + strings.TrimSpace(out.String())
	}
	return p, nil
}

// summary keeps pprof's header and table without its preamble lines.
func summary(s string) string {
	var keep []string
	for _, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(line, "File:") || strings.HasPrefix(line, "Build ID:") || strings.HasPrefix(line, "Type:") || strings.HasPrefix(line, "Time:") {
			continue
		}
		keep = append(keep, line)
	}
	return strings.TrimSpace(strings.Join(keep, "\n"))
}

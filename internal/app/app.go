// Package app wires the configuration, the store, the services and the web server, and runs them.
package app

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"tinnhiem/internal/auth"
	"tinnhiem/internal/config"
	"tinnhiem/internal/store"
	"tinnhiem/internal/web"
)

// NewLogger returns the process logger for the configured level and format.
func NewLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// OpenStore connects to the configured database.
func OpenStore(ctx context.Context, cfg config.Config) (*store.Store, error) {
	return store.Open(ctx, cfg.DatabaseURL, store.Options{CodeSpares: cfg.CodeSpares, Location: cfg.Timezone, FrontendHash: web.FrontendHash()})
}

// ServeOptions choose the extras of a development run.
type ServeOptions struct {
	Migrate  bool // apply pending migrations first (make run)
	SeedDemo bool // seed the demo council on an empty database (make run)
}

// Serve runs the server until ctx ends or the process gets SIGINT/SIGTERM. Messages for the person
// at the terminal (URL, generated passwords, demo logins) go to out; the request log to the logger.
func Serve(ctx context.Context, cfg config.Config, opts ServeOptions, out io.Writer, log *slog.Logger) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	st, err := OpenStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	if opts.Migrate {
		applied, err := st.Migrate(ctx)
		if err != nil {
			return err
		}
		if len(applied) > 0 {
			fmt.Fprintf(out, "Đã cập nhật cấu trúc cơ sở dữ liệu (migrations %v).\n", applied)
		}
	}
	if err := st.CheckSchema(ctx); err != nil {
		return err
	}
	if err := Bootstrap(ctx, cfg, st, out); err != nil {
		return err
	}
	if opts.SeedDemo {
		if err := SeedDemo(ctx, st, out); err != nil {
			return err
		}
	}
	srv, err := NewServer(ctx, cfg, st, log)
	if err != nil {
		return err
	}
	go finishWipes(ctx, st, log)
	if owns, err := st.OwnsAuditLog(ctx); err == nil && owns {
		log.Warn("the server's database role owns the audit table, so whoever holds that role could disable its triggers: run tinnhiem migrate --app-role ROLE as the owner and serve as ROLE (docs/OPERATIONS.md)")
	}
	if cfg.MetricsAddr != "off" {
		if mln, err := net.Listen("tcp", cfg.MetricsAddr); err != nil {
			log.Warn("metrics listener not started", "addr", cfg.MetricsAddr, "err", err)
		} else {
			msrv := &http.Server{Handler: srv.MetricsHandler(), ReadHeaderTimeout: 5 * time.Second}
			go func() { _ = msrv.Serve(mln) }() // ends with an error when closed below; nothing to report
			defer msrv.Close()
		}
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	fmt.Fprintf(out, "Tín Nhiệm đang chạy tại / is running at http://%s (cơ sở dữ liệu / database: %s)\n", displayAddr(ln.Addr()), st.Dialect())
	errc := make(chan error, 1)
	go func() { errc <- srv.App().Listener(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(out, "Đang dừng máy chủ / shutting down...")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}

// wipePeriod is how often a close's pending wipe of the database log is retried.
const wipePeriod = 30 * time.Second

// finishWipes finishes, at start-up and then periodically, the wipes that a close could not finish
// (store.FinishWipes): a closed vote's casting order must not stay in a write-ahead log.
func finishWipes(ctx context.Context, st *store.Store, log *slog.Logger) {
	t := time.NewTicker(wipePeriod)
	defer t.Stop()
	for {
		if n, err := st.FinishWipes(ctx); err != nil || n > 0 {
			log.Warn("closed votes whose database log is not wiped yet", "votes", n, "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// NewServer builds the web server on an opened, current store.
func NewServer(ctx context.Context, cfg config.Config, st *store.Store, log *slog.Logger) (*web.Server, error) {
	secret := cfg.JWTSecret
	if secret == "" && cfg.IsPostgres() {
		return nil, errors.New("TINNHIEM_JWT_SECRET (or _FILE) is required with PostgreSQL: a key kept in the database could be read there to forge tokens, and every replica must sign with the same one")
	}
	if secret == "" { // the embedded database: a key file beside it
		var err error
		if secret, err = secretFile(filepath.Join(filepath.Dir(config.SQLitePath(cfg.DatabaseURL)), "jwt-secret")); err != nil {
			return nil, fmt.Errorf("token secret: %w", err)
		}
	}
	tokens, err := auth.NewTokens([]byte(secret), cfg.TokenTTL)
	if err != nil {
		return nil, err
	}
	authSvc := auth.NewService(st, tokens, time.Now)
	return web.New(web.Deps{Config: cfg, Backend: st, Auth: authSvc, Log: log, Now: time.Now}), nil
}

// Bootstrap creates the user "admin" on an empty database, with TINNHIEM_ADMIN_PASSWORD or a
// generated password printed once.
func Bootstrap(ctx context.Context, cfg config.Config, st *store.Store, out io.Writer) error {
	pw := cfg.AdminPassword
	generated := pw == ""
	if generated {
		pw = auth.RandomPassword(16)
	}
	created, err := st.EnsureAdmin(ctx, pw)
	if err != nil {
		return fmt.Errorf("create the admin user: %w", err)
	}
	if created && generated {
		fmt.Fprintf(out, "\n  Tài khoản quản trị / admin account:  admin / %s\n  (mật khẩu chỉ in một lần — hãy lưu lại; password shown once — keep it)\n\n", pw)
	} else if created {
		fmt.Fprintln(out, "Đã tạo tài khoản admin với mật khẩu TINNHIEM_ADMIN_PASSWORD.")
	}
	return nil
}

// secretFile reads the token-signing key kept beside the embedded database, creating it (mode 0600)
// on first use: a database reader must not be able to forge tokens, so the key is not in it.
func secretFile(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		if s := strings.TrimSpace(string(b)); len(s) >= 32 {
			return s, nil
		}
		return "", fmt.Errorf("%s holds no key of at least 32 characters", path)
	}
	if !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	secret := randomSecret(48)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) { // another process made it first
		return secretFile(path)
	}
	if err != nil {
		return "", err
	}
	if _, err := f.WriteString(secret + "\n"); err != nil {
		f.Close()
		return "", err
	}
	return secret, f.Close()
}

func randomSecret(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func displayAddr(a net.Addr) string {
	s := a.String()
	if strings.HasPrefix(s, "[::]:") {
		return "localhost:" + strings.TrimPrefix(s, "[::]:")
	}
	if strings.HasPrefix(s, "0.0.0.0:") {
		return "localhost:" + strings.TrimPrefix(s, "0.0.0.0:")
	}
	return s
}

// ErrUsage marks a command-line mistake.
var ErrUsage = errors.New("usage")

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
	"os"
	"os/signal"
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
	return store.Open(ctx, cfg.DatabaseURL, store.Options{CodeSpares: cfg.CodeSpares, Location: cfg.Timezone})
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

// NewServer builds the web server on an opened, current store.
func NewServer(ctx context.Context, cfg config.Config, st *store.Store, log *slog.Logger) (*web.Server, error) {
	secret := cfg.JWTSecret
	if secret == "" {
		var err error
		secret, err = st.Setting(ctx, "jwt_secret", func() string { return randomSecret(48) })
		if err != nil {
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

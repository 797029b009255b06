// Command tinnhiem runs the Tín Nhiệm server and its maintenance tasks.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	_ "time/tzdata" // the static binary carries its own zone data (Asia/Ho_Chi_Minh)

	"tinnhiem/internal/app"
	"tinnhiem/internal/apperr"
	"tinnhiem/internal/audit"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/config"
	"tinnhiem/internal/i18n"
	"tinnhiem/internal/store"
	"tinnhiem/internal/web"
)

const usage = `tinnhiem — hệ thống lấy phiếu tín nhiệm / confidence-vote system

Cách dùng / usage:
  tinnhiem serve [--migrate] [--seed-demo]   chạy máy chủ / run the server
  tinnhiem migrate [--app-role ROLE]          cập nhật cấu trúc CSDL / apply schema migrations
                                              (PostgreSQL: and grant the application's role its rights)
  tinnhiem demo                               tạo dữ liệu minh họa trên CSDL trống / seed demo data
  tinnhiem admin create-user --username U --role R [--council-id C] [--full-name N]
  tinnhiem admin set-password --username U
  tinnhiem audit verify [--anchor HASH:COUNT [--vote ID]]
                                              kiểm tra chuỗi nhật ký (đến mã neo in trên biên bản) /
                                              verify the audit chain (up to an anchor printed in the minutes)
  tinnhiem verify [-en] [-json] [-doc NAME=PATH ...] RECORD
                                              kiểm tra bản ghi công khai của cuộc bỏ phiếu /
                                              verify a vote's public record (docs/RECORD.md)
  tinnhiem version

Cấu hình bằng biến môi trường TINNHIEM_* (xem config/example.env).
Passwords are read from TINNHIEM_NEW_PASSWORD or standard input, or generated when neither is given.
`

var version = "dev"

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, app.ErrUsage) {
			fmt.Fprint(os.Stderr, usage)
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "tinnhiem:", describe(err))
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return app.ErrUsage
	}
	cmd, rest := args[0], args[1:]
	if cmd == "version" {
		fmt.Fprintln(stdout, "tinnhiem", version)
		fmt.Fprintln(stdout, "frontend", web.FrontendHash()) // the build the kiosks show, to compare with a release
		return nil
	}
	if cmd == "help" || cmd == "-h" || cmd == "--help" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	if cmd == "verify" { // a published record alone: no configuration, no database
		return verifyCmd(rest, stdout, stderr)
	}
	cfg, err := config.FromEnv()
	if err != nil {
		return err
	}
	log := app.NewLogger(cfg, stderr)
	switch cmd {
	case "serve":
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		migrate := fs.Bool("migrate", false, "apply pending migrations before serving")
		seed := fs.Bool("seed-demo", false, "seed the demo council on an empty database")
		if err := fs.Parse(rest); err != nil {
			return app.ErrUsage
		}
		return app.Serve(ctx, cfg, app.ServeOptions{Migrate: *migrate, SeedDemo: *seed}, stdout, log)
	case "migrate":
		fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		role := fs.String("app-role", "", "PostgreSQL role the server runs as, granted its rights")
		if err := fs.Parse(rest); err != nil {
			return app.ErrUsage
		}
		st, err := app.OpenStore(ctx, cfg)
		if err != nil {
			return err
		}
		defer st.Close()
		applied, err := st.Migrate(ctx)
		if err != nil {
			return err
		}
		v, _, err := st.SchemaVersion(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "migrations applied: %v; schema version %d (%s)\n", applied, v, st.Dialect())
		if *role != "" {
			if err := st.GrantApp(ctx, *role); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "role %s may read and append to the audit log, and neither change nor delete it\n", *role)
		}
		return nil
	case "demo":
		st, err := openCurrent(ctx, cfg)
		if err != nil {
			return err
		}
		defer st.Close()
		if err := app.Bootstrap(ctx, cfg, st, stdout); err != nil {
			return err
		}
		return app.SeedDemo(ctx, st, stdout)
	case "admin":
		return adminCmd(ctx, cfg, rest, stdin, stdout)
	case "audit":
		if len(rest) < 1 || rest[0] != "verify" {
			return app.ErrUsage
		}
		fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		anchor := fs.String("anchor", "", "HASH:COUNT printed in a vote's minutes or resolution")
		voteID := fs.String("vote", "", "the vote the anchor belongs to (found from the anchor when omitted)")
		if err := fs.Parse(rest[1:]); err != nil || (*voteID != "" && *anchor == "") {
			return app.ErrUsage
		}
		st, err := openCurrent(ctx, cfg)
		if err != nil {
			return err
		}
		defer st.Close()
		if *anchor != "" {
			return verifyAnchor(ctx, st, *anchor, *voteID, stdout)
		}
		res, err := st.VerifyAudit(ctx)
		if err != nil {
			return err
		}
		if !res.OK {
			return fmt.Errorf("audit chain BROKEN at event %d: %s (%d events read)", *res.FirstBadEvent, res.Problem, res.Events)
		}
		fmt.Fprintf(stdout, "audit chain OK: %d events, head %s\n", res.Events, res.Head)
		return nil
	}
	return app.ErrUsage
}

// verifyAnchor checks a vote's events against the anchor printed in its documents: from that vote's
// events alone, every event's hash and the vote's own chain up to the anchor; events appended after
// the anchor are listed (a later step such as the publication is expected; anything else is suspect).
func verifyAnchor(ctx context.Context, st *store.Store, raw, voteID string, stdout io.Writer) error {
	a, err := audit.ParseAnchor(raw)
	if err != nil {
		return err
	}
	if voteID == "" {
		if voteID, err = st.FindAnchor(ctx, a); err != nil {
			return err
		}
	}
	res, err := st.VerifyAnchor(ctx, voteID, a)
	if err != nil {
		return err
	}
	if !res.OK {
		return fmt.Errorf("vote %s does NOT match the anchor %s: %s", voteID, a, res.Problem)
	}
	fmt.Fprintf(stdout, "vote %s matches the anchor %s (%d events of the vote)\n", voteID, a, res.Events)
	for _, e := range res.After {
		fmt.Fprintf(stdout, "  appended after the anchor: event %d, %s, %s by %s\n", e.Seq, e.At.Format(time.RFC3339), e.Action, e.ActorName)
	}
	return nil
}

func adminCmd(ctx context.Context, cfg config.Config, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		return app.ErrUsage
	}
	fs := flag.NewFlagSet("admin", flag.ContinueOnError)
	username := fs.String("username", "", "username")
	role := fs.String("role", "", "admin, secretariat, board or observer")
	councilID := fs.String("council-id", "", "council of a non-admin user")
	fullName := fs.String("full-name", "", "full name")
	if err := fs.Parse(args[1:]); err != nil || *username == "" {
		return app.ErrUsage
	}
	st, err := openCurrent(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	password, generated, err := readPassword(stdin)
	if err != nil {
		return err
	}
	sys := auth.System("cli")
	switch args[0] {
	case "create-user":
		name := *fullName
		if name == "" {
			name = *username
		}
		in := auth.UserInput{Username: *username, Password: password, FullName: name, Role: auth.Role(*role), CouncilID: *councilID}
		if err := in.Normalize(); err != nil {
			return err
		}
		u, err := st.CreateUser(ctx, sys, in)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "created user %s (%s) id %s\n", u.Username, u.Role, u.ID)
	case "set-password":
		if err := st.SetPassword(ctx, sys, *username, password); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "password of %s changed\n", *username)
	default:
		return app.ErrUsage
	}
	if generated {
		fmt.Fprintf(stdout, "password (shown once): %s\n", password)
	}
	return nil
}

// openCurrent opens the configured database and refuses one whose schema is not current.
func openCurrent(ctx context.Context, cfg config.Config) (*store.Store, error) {
	st, err := app.OpenStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := st.CheckSchema(ctx); err != nil {
		_ = st.Close()
		return nil, err
	}
	return st, nil
}

// readPassword takes TINNHIEM_NEW_PASSWORD, else the first line of a piped standard input, else
// generates one.
func readPassword(stdin io.Reader) (string, bool, error) {
	if pw := os.Getenv("TINNHIEM_NEW_PASSWORD"); pw != "" {
		return pw, false, nil
	}
	if f, ok := stdin.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice == 0 {
			b, err := io.ReadAll(io.LimitReader(f, 4096))
			if err != nil {
				return "", false, err
			}
			if pw := strings.TrimRight(strings.SplitN(string(b), "\n", 2)[0], "\r"); pw != "" {
				return pw, false, nil
			}
		}
	}
	return auth.RandomPassword(16), true, nil
}

// describe words an error for the terminal: an application error by its message and its field
// problems (in Vietnamese, with the code), anything else as it is.
func describe(err error) string {
	var ae *apperr.Error
	if !errors.As(err, &ae) {
		return err.Error()
	}
	msg := i18n.Message(i18n.VI, ae.Code, ae.Params) + " (" + ae.Code + ")"
	for _, f := range ae.Fields {
		msg += "\n  " + f.Field + ": " + i18n.Message(i18n.VI, f.Code, f.Params)
	}
	if ae.Err != nil {
		msg += "\n  " + ae.Err.Error()
	}
	return msg
}

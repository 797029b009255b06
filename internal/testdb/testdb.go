// Package testdb gives tests a fresh, migrated database: PostgreSQL (a new database per test, copied
// from a migrated template) and the embedded SQLite (a new file per test). PostgreSQL comes from
// TINNHIEM_TEST_DATABASE_URL, else 127.0.0.1:5432; when it is unreachable its tests are skipped with
// a loud message, except under CI=true, where that is a failure.
package testdb

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver for the admin connection

	"tinnhiem/internal/store"
)

// AdminURL is the PostgreSQL server tests create their databases on.
func AdminURL() string {
	if u := os.Getenv("TINNHIEM_TEST_DATABASE_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}

var (
	templateOnce sync.Once
	templateName string
	templateErr  error
)

// Dialects runs fn once per database engine, as subtests named "postgres" and "sqlite".
func Dialects(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
}

// SQLite returns a migrated store on a new SQLite file, closed when the test ends.
func SQLite(t testing.TB) *store.Store {
	t.Helper()
	return open(t, SQLiteURL(t))
}

// SQLiteURL returns the path of a new, migrated SQLite file.
func SQLiteURL(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tinnhiem.db")
	s, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	_ = s.Close()
	return path
}

// Postgres returns a migrated store on a new PostgreSQL database, dropped when the test ends.
func Postgres(t testing.TB) *store.Store {
	t.Helper()
	return open(t, PostgresURL(t))
}

// CodeSpares is the number of spare ballot codes the test stores allow beyond T.
const CodeSpares = 2

func open(t testing.TB, url string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), url, store.Options{CodeSpares: CodeSpares})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// PostgresURL returns the URL of a new, migrated PostgreSQL database, dropped when the test ends.
func PostgresURL(t testing.TB) string {
	t.Helper()
	admin, err := adminConn()
	if err != nil {
		Unreachable(t, err)
	}
	templateOnce.Do(func() { templateName, templateErr = makeTemplate(admin) })
	if templateErr != nil {
		_ = admin.Close()
		t.Fatalf("testdb: template database: %v", templateErr)
	}
	name := "tn_test_" + randomHex(8)
	if _, err := admin.Exec(`CREATE DATABASE "` + name + `" TEMPLATE "` + templateName + `"`); err != nil {
		_ = admin.Close()
		t.Fatalf("testdb: create database: %v", err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec(`DROP DATABASE IF EXISTS "` + name + `" WITH (FORCE)`)
		_ = admin.Close()
	})
	return withDatabase(AdminURL(), name)
}

// Unreachable skips (or, under CI=true, fails) a test whose PostgreSQL server cannot be reached.
func Unreachable(t testing.TB, err error) {
	t.Helper()
	msg := fmt.Sprintf("PostgreSQL at %s is unreachable (%v): PostgreSQL tests NOT RUN. "+
		"Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start", redact(AdminURL()), err)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	fmt.Fprintln(os.Stderr, "!!! "+msg)
	t.Skip(msg)
}

func adminConn() (*sql.DB, error) {
	db, err := sql.Open("pgx", AdminURL())
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// makeTemplate creates (once per migration set, shared by concurrent test binaries) a database
// holding the migrated schema.
func makeTemplate(admin *sql.DB) (string, error) {
	ms, err := store.Migrations(store.Postgres)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, m := range ms {
		h.Write([]byte(m.SQL))
	}
	name := "tn_template_" + hex.EncodeToString(h.Sum(nil))[:16]
	ctx := context.Background()
	conn, err := admin.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(7236099)"); err != nil {
		return "", err
	}
	defer conn.ExecContext(ctx, "SELECT pg_advisory_unlock(7236099)") //nolint:errcheck
	var exists bool
	if err := conn.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	building := name + "_building"
	_, _ = conn.ExecContext(ctx, `DROP DATABASE IF EXISTS "`+building+`" WITH (FORCE)`)
	if _, err := conn.ExecContext(ctx, `CREATE DATABASE "`+building+`"`); err != nil {
		return "", err
	}
	s, err := store.Open(ctx, withDatabase(AdminURL(), building), store.Options{MaxOpenConns: 1})
	if err != nil {
		return "", err
	}
	_, err = s.Migrate(ctx)
	_ = s.Close()
	if err != nil {
		return "", err
	}
	if _, err := conn.ExecContext(ctx, `ALTER DATABASE "`+building+`" RENAME TO "`+name+`"`); err != nil {
		return "", err
	}
	return name, nil
}

func withDatabase(raw, name string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	u.Path = "/" + name
	q := u.Query()
	if q.Get("sslmode") == "" {
		q.Set("sslmode", "disable")
	}
	u.RawQuery = q.Encode()
	return u.String()
}

func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

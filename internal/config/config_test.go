package config

import (
	"errors"
	"flag"
	"os"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite config/example.env")

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func noFiles(name string) ([]byte, error) { return nil, errors.New("no such file") }

func TestDefaults(t *testing.T) {
	c, err := Load(env(nil), noFiles)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.TokenTTL != 8*time.Hour || c.TimezoneName != "Asia/Ho_Chi_Minh" || c.LogLevel != "info" {
		t.Fatalf("unexpected defaults: %+v", c)
	}
	if c.IsPostgres() || !strings.HasSuffix(c.DatabaseURL, "tinnhiem.db") {
		t.Fatalf("default database should be the embedded file, got %q", c.DatabaseURL)
	}
	if c.CodeSpares != 10 {
		t.Fatalf("got spares %d, want 10", c.CodeSpares)
	}
}

func TestEveryProblemReportedAtOnce(t *testing.T) {
	_, err := Load(env(map[string]string{
		"TINNHIEM_ADDR":                "8080",
		"TINNHIEM_TOKEN_TTL":           "13h",
		"TINNHIEM_TIMEZONE":            "Mars/Olympus",
		"TINNHIEM_LOG_LEVEL":           "loud",
		"TINNHIEM_JWT_SECRET":          "short",
		"TINNHIEM_CODE_SPARES":         "-1",
		"TINNHIEM_ADMIN_PASSWORD_FILE": "/nonexistent",
	}), noFiles)
	if err == nil {
		t.Fatal("want an error")
	}
	for _, want := range []string{"TINNHIEM_ADDR", "TINNHIEM_TOKEN_TTL", "TINNHIEM_TIMEZONE", "TINNHIEM_LOG_LEVEL", "TINNHIEM_JWT_SECRET", "TINNHIEM_CODE_SPARES", "TINNHIEM_ADMIN_PASSWORD_FILE", "7 problem"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %s:\n%v", want, err)
		}
	}
}

func TestSecretFromFile(t *testing.T) {
	files := map[string]string{"/run/secrets/jwt": strings.Repeat("k", 40) + "\n"}
	c, err := Load(env(map[string]string{"TINNHIEM_JWT_SECRET_FILE": "/run/secrets/jwt"}), func(n string) ([]byte, error) {
		if v, ok := files[n]; ok {
			return []byte(v), nil
		}
		return nil, errors.New("missing")
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.JWTSecret != strings.Repeat("k", 40) {
		t.Fatalf("got %q, want the file's content without the newline", c.JWTSecret)
	}
	_, err = Load(env(map[string]string{"TINNHIEM_JWT_SECRET_FILE": "/run/secrets/jwt", "TINNHIEM_JWT_SECRET": strings.Repeat("x", 40)}), func(string) ([]byte, error) { return []byte(strings.Repeat("k", 40)), nil })
	if err == nil || !strings.Contains(err.Error(), "both set") {
		t.Fatalf("both a value and a file: got %v", err)
	}
}

func TestPostgresURLSelectsPostgres(t *testing.T) {
	for url, want := range map[string]bool{"postgres://u@h/db": true, "postgresql://h/db": true, "./data/x.db": false, "/var/lib/tn.db": false} {
		if got := IsPostgresURL(url); got != want {
			t.Errorf("IsPostgresURL(%q) = %v, want %v", url, got, want)
		}
	}
}

// TestExampleEnvDocumentsEveryKey keeps config/example.env in step with Keys.
func TestExampleEnvDocumentsEveryKey(t *testing.T) {
	const path = "../../config/example.env"
	if *update {
		if err := os.WriteFile(path, []byte(ExampleEnv()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != ExampleEnv() {
		t.Fatalf("config/example.env is stale: run go test ./internal/config -update")
	}
}

// TestReadmeDocumentsEveryKey keeps the README's configuration table complete.
func TestReadmeDocumentsEveryKey(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range Keys {
		if !strings.Contains(string(b), "`"+k.Name+"`") {
			t.Errorf("README.md does not document %s", k.Name)
		}
	}
}

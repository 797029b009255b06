// Package config reads the server's configuration from TINNHIEM_* environment variables. Secrets may
// also come from files named by the *_FILE variants (Docker and systemd secrets). Every problem is
// reported at once, so an operator fixes a bad environment in one go.
package config

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Config is the whole configuration of a server process.
type Config struct {
	Addr           string         // TINNHIEM_ADDR: listen address
	DatabaseURL    string         // TINNHIEM_DATABASE_URL: postgres://... or an SQLite file path
	DataDir        string         // TINNHIEM_DATA_DIR: where the embedded database lives by default
	AdminPassword  string         // TINNHIEM_ADMIN_PASSWORD(_FILE): password of "admin" on an empty database
	JWTSecret      string         // TINNHIEM_JWT_SECRET(_FILE): HMAC key for tokens; generated and persisted when empty
	TokenTTL       time.Duration  // TINNHIEM_TOKEN_TTL: token lifetime, at most 12 hours
	Timezone       *time.Location // TINNHIEM_TIMEZONE: for display only; everything is stored in UTC
	TimezoneName   string
	LogLevel       string        // TINNHIEM_LOG_LEVEL: debug, info, warn, error
	LogFormat      string        // TINNHIEM_LOG_FORMAT: text or json
	MetricsToken   string        // TINNHIEM_METRICS_TOKEN(_FILE): when set, /metrics on the public address wants "Bearer <token>"
	MetricsAddr    string        // TINNHIEM_METRICS_ADDR: the metrics' own listener ("off" for none)
	RequestTimeout time.Duration // TINNHIEM_REQUEST_TIMEOUT: deadline of an ordinary API request
	ProxyHeader    string        // TINNHIEM_PROXY_HEADER: header with the client address behind a reverse proxy
	TrustedProxies []string      // TINNHIEM_TRUSTED_PROXIES: addresses whose ProxyHeader is believed
	CodeSpares     int           // TINNHIEM_CODE_SPARES: ballot codes allowed beyond T for spoiled slips
}

// MaxTokenTTL is the longest lifetime a login token may have.
const MaxTokenTTL = 12 * time.Hour

// Key is one documented configuration key (for config/example.env and the README).
type Key struct {
	Name, Default, Doc string
	Secret             bool
}

// Keys documents every key, in the order of config/example.env.
var Keys = []Key{
	{"TINNHIEM_ADDR", "127.0.0.1:8080", "Address and port the server listens on.", false},
	{"TINNHIEM_DATABASE_URL", "./data/tinnhiem.db", "postgres://user:pass@host:5432/db selects PostgreSQL; anything else is the path of the embedded SQLite file.", false},
	{"TINNHIEM_DATA_DIR", "./data", "Folder for the embedded database when TINNHIEM_DATABASE_URL is unset.", false},
	{"TINNHIEM_ADMIN_PASSWORD", "(generated)", "Password of the user \"admin\" created on an empty database; when unset one is generated and printed once.", true},
	{"TINNHIEM_JWT_SECRET", "(generated)", "Key that signs login tokens (at least 32 characters). Required with PostgreSQL (the same on every replica); on the embedded database one is generated into the file jwt-secret (mode 0600) beside it.", true},
	{"TINNHIEM_TOKEN_TTL", "8h", "Lifetime of a login token (Go duration, at most 12h).", false},
	{"TINNHIEM_TIMEZONE", "Asia/Ho_Chi_Minh", "Time zone for dates shown to people and printed in documents; storage is always UTC.", false},
	{"TINNHIEM_LOG_LEVEL", "info", "debug, info, warn or error.", false},
	{"TINNHIEM_LOG_FORMAT", "text", "text or json.", false},
	{"TINNHIEM_METRICS_ADDR", "127.0.0.1:9464", "Address of the metrics' own listener (GET /metrics, no token), loopback by default; \"off\" for none.", false},
	{"TINNHIEM_METRICS_TOKEN", "", "When set, GET /metrics is also served on the public address, to the header Authorization: Bearer <token>; unset, the public address has no metrics.", true},
	{"TINNHIEM_REQUEST_TIMEOUT", "15s", "Deadline of one API request (Go duration, 1s to 5m).", false},
	{"TINNHIEM_PROXY_HEADER", "", "Header carrying the client address when behind a reverse proxy (e.g. X-Forwarded-For); empty trusts the socket address.", false},
	{"TINNHIEM_TRUSTED_PROXIES", "", "Comma-separated addresses or CIDRs of the reverse proxies whose TINNHIEM_PROXY_HEADER is believed (required with it).", false},
	{"TINNHIEM_CODE_SPARES", "10", "Ballot codes a vote may generate beyond its total delegates, for spoiled slips (0 to 1000).", false},
}

// Load reads the configuration through getenv and readFile (os.Getenv and os.ReadFile in production).
func Load(getenv func(string) string, readFile func(string) ([]byte, error)) (Config, error) {
	var problems []error
	get := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	secret := func(name string) string {
		v := getenv(name)
		file := strings.TrimSpace(getenv(name + "_FILE"))
		if v != "" && file != "" {
			problems = append(problems, fmt.Errorf("%s and %s_FILE are both set; set only one", name, name))
			return v
		}
		if file == "" {
			return v
		}
		b, err := readFile(file)
		if err != nil {
			problems = append(problems, fmt.Errorf("%s_FILE: cannot read %s: %v", name, file, err))
			return ""
		}
		return strings.TrimRight(string(b), "\r\n")
	}
	duration := func(name, def string, min, max time.Duration) time.Duration {
		raw := get(name, def)
		d, err := time.ParseDuration(raw)
		if err != nil {
			problems = append(problems, fmt.Errorf("%s: %q is not a duration like 8h or 30m", name, raw))
			return 0
		}
		if d < min || d > max {
			problems = append(problems, fmt.Errorf("%s: %s is outside %s..%s", name, d, min, max))
		}
		return d
	}

	c := Config{
		Addr:          get("TINNHIEM_ADDR", "127.0.0.1:8080"),
		DataDir:       get("TINNHIEM_DATA_DIR", "./data"),
		AdminPassword: secret("TINNHIEM_ADMIN_PASSWORD"),
		JWTSecret:     secret("TINNHIEM_JWT_SECRET"),
		MetricsToken:  secret("TINNHIEM_METRICS_TOKEN"),
		LogLevel:      strings.ToLower(get("TINNHIEM_LOG_LEVEL", "info")),
		LogFormat:     strings.ToLower(get("TINNHIEM_LOG_FORMAT", "text")),
		ProxyHeader:   get("TINNHIEM_PROXY_HEADER", ""),
		MetricsAddr:   get("TINNHIEM_METRICS_ADDR", "127.0.0.1:9464"),
		TimezoneName:  get("TINNHIEM_TIMEZONE", "Asia/Ho_Chi_Minh"),
	}
	c.DatabaseURL = get("TINNHIEM_DATABASE_URL", filepath.Join(c.DataDir, "tinnhiem.db"))
	c.TokenTTL = duration("TINNHIEM_TOKEN_TTL", "8h", time.Minute, MaxTokenTTL)
	c.RequestTimeout = duration("TINNHIEM_REQUEST_TIMEOUT", "15s", time.Second, 5*time.Minute)

	if !strings.Contains(c.Addr, ":") {
		problems = append(problems, fmt.Errorf("TINNHIEM_ADDR: %q needs host:port (e.g. 127.0.0.1:8080)", c.Addr))
	}
	if loc, err := time.LoadLocation(c.TimezoneName); err != nil {
		problems = append(problems, fmt.Errorf("TINNHIEM_TIMEZONE: unknown time zone %q", c.TimezoneName))
	} else {
		c.Timezone = loc
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		problems = append(problems, fmt.Errorf("TINNHIEM_LOG_LEVEL: %q is not debug, info, warn or error", c.LogLevel))
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		problems = append(problems, fmt.Errorf("TINNHIEM_LOG_FORMAT: %q is not text or json", c.LogFormat))
	}
	if c.MetricsAddr != "off" && !strings.Contains(c.MetricsAddr, ":") {
		problems = append(problems, fmt.Errorf("TINNHIEM_METRICS_ADDR: %q needs host:port, or \"off\"", c.MetricsAddr))
	}
	if c.JWTSecret != "" && len(c.JWTSecret) < 32 {
		problems = append(problems, errors.New("TINNHIEM_JWT_SECRET: must have at least 32 characters"))
	}
	if c.AdminPassword != "" && len([]rune(c.AdminPassword)) < 10 {
		problems = append(problems, errors.New("TINNHIEM_ADMIN_PASSWORD: must have at least 10 characters"))
	}
	for _, p := range strings.Split(get("TINNHIEM_TRUSTED_PROXIES", ""), ",") {
		if p = strings.TrimSpace(p); p != "" {
			if _, err := netip.ParsePrefix(p); err != nil {
				if _, err := netip.ParseAddr(p); err != nil {
					problems = append(problems, fmt.Errorf("TINNHIEM_TRUSTED_PROXIES: %q is neither an IP address nor a CIDR", p))
				}
			}
			c.TrustedProxies = append(c.TrustedProxies, p)
		}
	}
	if c.ProxyHeader != "" && len(c.TrustedProxies) == 0 {
		problems = append(problems, errors.New("TINNHIEM_PROXY_HEADER needs TINNHIEM_TRUSTED_PROXIES: otherwise any client could forge its address"))
	}
	spares := get("TINNHIEM_CODE_SPARES", "10")
	if _, err := fmt.Sscanf(spares, "%d", &c.CodeSpares); err != nil || fmt.Sprint(c.CodeSpares) != spares || c.CodeSpares < 0 || c.CodeSpares > 1000 {
		problems = append(problems, fmt.Errorf("TINNHIEM_CODE_SPARES: %q is not a whole number from 0 to 1000", spares))
	}
	if err := errors.Join(problems...); err != nil {
		return Config{}, fmt.Errorf("configuration has %d problem(s):\n%w", len(problems), err)
	}
	return c, nil
}

// FromEnv loads the configuration from the process environment.
func FromEnv() (Config, error) { return Load(os.Getenv, os.ReadFile) }

// IsPostgres reports whether the database URL selects PostgreSQL.
func (c Config) IsPostgres() bool { return IsPostgresURL(c.DatabaseURL) }

// IsPostgresURL reports whether url selects PostgreSQL rather than the embedded database.
func IsPostgresURL(url string) bool {
	return strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://")
}

// ExampleEnv renders config/example.env from Keys.
func ExampleEnv() string {
	var b strings.Builder
	b.WriteString("# Tín Nhiệm configuration. Every key is optional; the value shown is the default.\n")
	b.WriteString("# Secrets can also be read from a file: set NAME_FILE=/path instead of NAME.\n")
	b.WriteString("# This file is generated from internal/config/config.go (go test ./internal/config -update).\n")
	for _, k := range Keys {
		b.WriteString("\n# " + k.Doc + "\n")
		if k.Secret {
			b.WriteString("# (secret: may be given as " + k.Name + "_FILE)\n")
		}
		def := k.Default
		if strings.HasPrefix(def, "(") {
			def = ""
		}
		b.WriteString("#" + k.Name + "=" + def + "\n")
	}
	return b.String()
}

// SQLitePath is the file path an embedded-database URL names ("sqlite://", "file:" and query
// parameters stripped).
func SQLitePath(url string) string {
	path := strings.TrimPrefix(strings.TrimPrefix(url, "sqlite://"), "file:")
	path, _, _ = strings.Cut(path, "?")
	return path
}

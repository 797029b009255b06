// Package store keeps the application's data with GORM, on PostgreSQL or on the embedded pure-Go
// SQLite. Each use case is one function running one transaction that also appends its audit event.
package store

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/google/uuid"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"tinnhiem/internal/config"
)

// Dialect names the database engine.
type Dialect string

// Supported dialects.
const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// Store is the application's storage. It is safe for concurrent use.
type Store struct {
	db         *gorm.DB
	dialect    Dialect
	now        func() time.Time
	codeSpares int
	loc        *time.Location
	casts      castCache
	frontend   string // the served web app's hash, printed in the minutes
}

// Options tune Open.
type Options struct {
	Now          func() time.Time // the clock; time.Now when nil
	MaxOpenConns int              // pool size; a default per dialect when 0
	CodeSpares   int              // ballot codes a vote may generate beyond T
	Location     *time.Location   // the council's time zone, for times printed in documents
	FrontendHash string           // the served web app's hash (web.FrontendHash), for the documents
}

// Open connects to the database named by url: a postgres:// URL, or the path of an SQLite file
// (created with its folder when missing). It does not migrate.
func Open(ctx context.Context, url string, opts Options) (*Store, error) {
	gcfg := &gorm.Config{
		// Parameterised queries are logged without their values, and only when slow or failing:
		// ballot data must never reach a log.
		Logger: logger.New(slogWriter{}, logger.Config{
			SlowThreshold: time.Second, LogLevel: logger.Warn, IgnoreRecordNotFoundError: true, ParameterizedQueries: true,
		}),
		SkipDefaultTransaction: true,
		PrepareStmt:            false,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	}
	s := &Store{now: opts.Now, codeSpares: opts.CodeSpares, loc: opts.Location, frontend: opts.FrontendHash}
	if s.loc == nil {
		if loc, err := time.LoadLocation("Asia/Ho_Chi_Minh"); err == nil {
			s.loc = loc
		} else {
			s.loc = time.FixedZone("ICT", 7*3600)
		}
	}
	if s.now == nil {
		s.now = time.Now
	}
	var err error
	pool := opts.MaxOpenConns
	if config.IsPostgresURL(url) {
		s.dialect = Postgres
		s.db, err = gorm.Open(postgres.Open(url), gcfg)
		if pool == 0 {
			pool = 20
		}
	} else {
		s.dialect = SQLite
		path := config.SQLitePath(url)
		if dir := filepath.Dir(path); dir != "." {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("store: create %s: %w", dir, err)
			}
		}
		// The database and its WAL hold ballots: readable by this user only.
		if err := createPrivate(path); err != nil {
			return nil, err
		}
		// WAL for concurrent readers; synchronous=FULL so an acknowledged write survives a power loss;
		// immediate transactions so writers queue on busy_timeout instead of failing on upgrade;
		// secure_delete so dropped and rewritten ballot rows leave no old bytes behind in the file;
		// recursive_triggers so INSERT OR REPLACE fires the audit log's no-delete trigger.
		dsn := "file:" + path + "?_pragma=journal_mode(WAL)" + fmt.Sprintf("&_pragma=busy_timeout(%d)", sqliteBusyTimeout.Milliseconds()) +
			"&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)&_pragma=secure_delete(1)&_pragma=recursive_triggers(1)&_txlock=immediate"
		s.db, err = gorm.Open(sqlite.Open(dsn), gcfg)
		if pool == 0 {
			pool = 4
		}
	}
	if err != nil {
		return nil, fmt.Errorf("store: open %s database: %w", s.dialect, err)
	}
	sqlDB, err := s.db.DB()
	if err != nil {
		return nil, err
	}
	sqlDB.SetMaxOpenConns(pool)
	sqlDB.SetMaxIdleConns(pool)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	if err := sqlDB.PingContext(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("store: cannot reach the %s database: %w", s.dialect, err)
	}
	return s, nil
}

// sqliteBusyTimeout is how long an SQLite writer waits for the write lock.
const sqliteBusyTimeout = 10 * time.Second

// createPrivate creates the SQLite file with mode 0600 before SQLite opens it (SQLite gives its WAL
// and shared-memory files the main file's mode), and narrows an existing file and its side files.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("store: create %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o600); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("store: restrict %s: %w", p, err)
		}
	}
	return nil
}

// Close closes the connection pool.
func (s *Store) Close() error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Dialect reports the database engine in use.
func (s *Store) Dialect() Dialect { return s.dialect }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// DB exposes the GORM handle to tests in other packages (secrecy scans, direct tampering).
func (s *Store) DB() *gorm.DB { return s.db }

func (s *Store) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// transact runs fn in one transaction and maps database errors to application errors.
func (s *Store) transact(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return dbErr(s.db.WithContext(ctx).Transaction(fn))
}

func newID() string { return uuid.NewString() }

type slogWriter struct{}

func (slogWriter) Printf(format string, args ...any) {
	slog.Warn("database", "detail", fmt.Sprintf(format, args...))
}

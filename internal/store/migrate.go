package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

//go:embed migrations
var migrationFS embed.FS

// Migration is one versioned schema change.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations returns the migrations of a dialect in version order. File names are NNNN_name.sql.
func Migrations(d Dialect) ([]Migration, error) {
	dir := "migrations/" + string(d)
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, e := range entries {
		name := e.Name()
		num, rest, ok := strings.Cut(strings.TrimSuffix(name, ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(name, ".sql") {
			return nil, fmt.Errorf("store: migration file %s is not NNNN_name.sql", name)
		}
		b, err := migrationFS.ReadFile(dir + "/" + name)
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: rest, SQL: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i, m := range out {
		if m.Version != i+1 {
			return nil, fmt.Errorf("store: migration versions must run 1, 2, 3...; found %d at position %d", m.Version, i+1)
		}
	}
	return out, nil
}

// SchemaVersion returns the applied and the latest known schema versions.
func (s *Store) SchemaVersion(ctx context.Context) (applied, latest int, err error) {
	ms, err := Migrations(s.dialect)
	if err != nil {
		return 0, 0, err
	}
	latest = len(ms)
	db := s.db.WithContext(ctx)
	if !db.Migrator().HasTable("schema_migrations") {
		return 0, latest, nil
	}
	var v *int
	if err := db.Raw("SELECT MAX(version) FROM schema_migrations").Scan(&v).Error; err != nil {
		return 0, latest, dbErr(err)
	}
	if v != nil {
		applied = *v
	}
	return applied, latest, nil
}

// CheckSchema returns an error unless the database holds exactly the latest schema.
func (s *Store) CheckSchema(ctx context.Context) error {
	applied, latest, err := s.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if applied < latest {
		return fmt.Errorf("store: the database schema is at version %d, this program needs %d: run \"tinnhiem migrate\"", applied, latest)
	}
	if applied > latest {
		return fmt.Errorf("store: the database schema is at version %d, newer than this program's %d: use a newer tinnhiem", applied, latest)
	}
	return nil
}

// Migrate applies every pending migration, each in its own transaction, and returns the versions it
// applied. Concurrent migrators are serialised (an advisory lock on PostgreSQL; SQLite's write lock).
func (s *Store) Migrate(ctx context.Context) ([]int, error) {
	ms, err := Migrations(s.dialect)
	if err != nil {
		return nil, err
	}
	var applied []int
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if s.dialect == Postgres {
			if err := tx.Exec("SELECT pg_advisory_xact_lock(7236001)").Error; err != nil {
				return err
			}
		}
		return tx.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
			version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`).Error
	})
	if err != nil {
		return nil, fmt.Errorf("store: prepare migrations: %w", err)
	}
	for _, m := range ms {
		err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if s.dialect == Postgres {
				if err := tx.Exec("SELECT pg_advisory_xact_lock(7236001)").Error; err != nil {
					return err
				}
			}
			var n int64
			if err := tx.Raw("SELECT COUNT(*) FROM schema_migrations WHERE version = ?", m.Version).Scan(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if err := tx.Exec(m.SQL).Error; err != nil {
				return fmt.Errorf("migration %04d_%s: %w", m.Version, m.Name, err)
			}
			applied = append(applied, m.Version)
			return tx.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
				m.Version, m.Name, time.Now().UTC().Format(time.RFC3339)).Error
		})
		if err != nil {
			return applied, fmt.Errorf("store: %w", err)
		}
	}
	return applied, nil
}

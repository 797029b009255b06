package store

import (
	"context"
	"fmt"
	"regexp"

	"gorm.io/gorm"
)

// On PostgreSQL the application runs as a role that does not own the schema: it may read and append to
// the audit log but not update, delete or truncate it, nor disable its triggers (only an owner can);
// it owns the live ballot-side tables it creates and drops; it may checkpoint and switch the WAL for the
// close's wipe. `tinnhiem migrate --app-role NAME` (run as the owner) grants exactly that.

var roleRE = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// GrantApp grants the application role its rights on the migrated schema (PostgreSQL; run by the
// owner after migrating).
func (s *Store) GrantApp(ctx context.Context, role string) error {
	if s.dialect != Postgres {
		return fmt.Errorf("store: database roles are a PostgreSQL matter")
	}
	if !roleRE.MatchString(role) {
		return fmt.Errorf("store: %q is not a plain role name", role)
	}
	r := `"` + role + `"`
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, q := range []string{
			"GRANT USAGE, CREATE ON SCHEMA public TO " + r,
			"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + r,
			"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_events FROM " + r,
			"REVOKE DELETE, TRUNCATE ON audit_head, audit_vote_heads FROM " + r,
			"REVOKE INSERT, UPDATE, DELETE ON schema_migrations FROM " + r,
			"GRANT pg_checkpoint TO " + r,
			"GRANT EXECUTE ON FUNCTION pg_switch_wal() TO " + r,
		} {
			if err := tx.Exec(q).Error; err != nil {
				return fmt.Errorf("store: %s: %w", q, err)
			}
		}
		return nil
	})
}

// OwnsAuditLog reports whether the connected role owns the audit table (and so could disable its
// triggers): the server warns when it runs so.
func (s *Store) OwnsAuditLog(ctx context.Context) (bool, error) {
	if s.dialect != Postgres {
		return false, nil
	}
	var owns bool
	err := s.db.WithContext(ctx).Raw("SELECT pg_has_role(current_user, tableowner, 'USAGE') FROM pg_tables WHERE tablename = 'audit_events'").Scan(&owns).Error
	return owns, err
}

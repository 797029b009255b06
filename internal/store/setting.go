package store

import (
	"context"

	"gorm.io/gorm"

	"tinnhiem/internal/audit"
	"tinnhiem/internal/auth"
)

// Setting returns the value of key, generating and storing it with gen when absent. Concurrent
// callers (two servers starting at once) all get the value that was stored first. Generating a value
// is recorded in the audit log (by name only: values are secrets).
func (s *Store) Setting(ctx context.Context, key string, gen func() string) (string, error) {
	var out string
	err := s.transact(ctx, func(tx *gorm.DB) error {
		res := tx.Exec("INSERT INTO app_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING", key, gen())
		if res.Error != nil {
			return res.Error
		}
		if err := tx.Raw("SELECT value FROM app_settings WHERE key = ?", key).Scan(&out).Error; err != nil {
			return err
		}
		if res.RowsAffected == 0 {
			return nil
		}
		return s.appendAudit(tx, auth.System("bootstrap"), audit.Entry{Action: "setting.generate", ObjectType: "setting", ObjectID: key,
			Summary: map[string]any{"key": key}})
	})
	return out, err
}

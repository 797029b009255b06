package store

import (
	"context"
	"errors"

	"gorm.io/gorm"
)

type settingRow struct {
	Key   string `gorm:"primaryKey"`
	Value string
}

func (settingRow) TableName() string { return "app_settings" }

// Setting returns the value of key, generating and storing it with gen when absent. Concurrent
// callers all get the value that was stored first.
func (s *Store) Setting(ctx context.Context, key string, gen func() string) (string, error) {
	var out string
	err := s.transact(ctx, func(tx *gorm.DB) error {
		var row settingRow
		err := tx.Where("key = ?", key).Take(&row).Error
		if err == nil {
			out = row.Value
			return nil
		}
		if !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		row = settingRow{Key: key, Value: gen()}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		out = row.Value
		return nil
	})
	return out, err
}

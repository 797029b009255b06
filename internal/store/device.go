package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"time"

	"gorm.io/gorm"

	"tinnhiem/internal/auth"
	"tinnhiem/internal/vote"
)

// Kiosks registered by the board: a device token, set at the desk, gives a kiosk a budget of failed
// code uses of its own. The token is shown once; only its digest is kept.

type deviceRow struct {
	ID        string `gorm:"primaryKey"`
	VoteID    string
	Name      string
	TokenHash string
	CreatedBy string
	CreatedAt time.Time
	RevokedAt *time.Time
}

func (deviceRow) TableName() string { return "kiosk_devices" }

func (r deviceRow) toDomain() vote.Device {
	return vote.Device{ID: r.ID, VoteID: r.VoteID, Name: r.Name, CreatedAt: r.CreatedAt.UTC(), RevokedAt: utc(r.RevokedAt)}
}

func tokenDigest(token string) string {
	sum := sha256.Sum256([]byte("tinnhiem/device-token/v1\x00" + token))
	return hex.EncodeToString(sum[:])
}

// newToken returns a fresh 128-bit bearer token.
func newToken() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err) // the system's random source failing is not a state to run in
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// RegisterDevice registers a kiosk for a vote (a board member) and returns its token, this once.
func (s *Store) RegisterDevice(ctx context.Context, p auth.Principal, id string, in vote.DeviceInput) (vote.Device, string, error) {
	token := newToken()
	var out vote.Device
	err := s.act(ctx, p, id, vote.ActRegisterDevice, func(tx *gorm.DB, v vote.Vote, _ voteRow) error {
		row := deviceRow{ID: newID(), VoteID: id, Name: in.Name, TokenHash: tokenDigest(token), CreatedBy: p.UserID, CreatedAt: s.clock()}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		out = row.toDomain()
		return s.appendAuditOf(tx, p, v, "vote.device_register", "device", row.ID, map[string]any{"name": in.Name})
	})
	return out, token, err
}

// RevokeDevice revokes a kiosk's token (a board member).
func (s *Store) RevokeDevice(ctx context.Context, p auth.Principal, id, deviceID string) (vote.Device, error) {
	var out vote.Device
	err := s.act(ctx, p, id, vote.ActRegisterDevice, func(tx *gorm.DB, v vote.Vote, _ voteRow) error {
		var row deviceRow
		if err := tx.Where("id = ? AND vote_id = ?", deviceID, id).Take(&row).Error; err != nil {
			return notFound(err, "device_not_found")
		}
		if row.RevokedAt == nil {
			now := s.clock()
			row.RevokedAt = &now
			if err := tx.Model(&deviceRow{}).Where("id = ?", deviceID).Update("revoked_at", now).Error; err != nil {
				return err
			}
			if err := s.appendAuditOf(tx, p, v, "vote.device_revoke", "device", deviceID, map[string]any{"name": row.Name}); err != nil {
				return err
			}
		}
		out = row.toDomain()
		return nil
	})
	return out, err
}

// ListDevices lists a vote's kiosks (its council's staff).
func (s *Store) ListDevices(ctx context.Context, p auth.Principal, id string) ([]vote.Device, error) {
	if _, _, err := s.readVote(ctx, p, id, vote.ActRead); err != nil {
		return nil, err
	}
	var rows []deviceRow
	if err := s.db.WithContext(ctx).Where("vote_id = ?", id).Order("created_at, name").Find(&rows).Error; err != nil {
		return nil, dbErr(err)
	}
	out := make([]vote.Device, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// DeviceByToken returns the kiosk a token names, if it is registered and not revoked.
func (s *Store) DeviceByToken(ctx context.Context, token string) (vote.Device, error) {
	var row deviceRow
	err := s.db.WithContext(ctx).Where("token_hash = ? AND revoked_at IS NULL", tokenDigest(token)).Take(&row).Error
	if err != nil {
		return vote.Device{}, notFound(err, "device_not_found")
	}
	return row.toDomain(), nil
}

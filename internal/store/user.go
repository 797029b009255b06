package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/audit"
	"tinnhiem/internal/auth"
)

type userRow struct {
	ID           string `gorm:"primaryKey"`
	Username     string
	FullName     string
	Role         string
	CouncilID    *string
	OfficialID   *string
	PasswordHash string
	TokenVersion int
	Active       bool
	CreatedAt    time.Time
}

func (userRow) TableName() string { return "users" }

func (r userRow) toDomain() auth.User {
	return auth.User{ID: r.ID, Username: r.Username, FullName: r.FullName, Role: auth.Role(r.Role),
		CouncilID: deref(r.CouncilID), OfficialID: deref(r.OfficialID), Active: r.Active, CreatedAt: r.CreatedAt.UTC(), TokenVersion: r.TokenVersion}
}

// CreateUser creates a staff account (admin only).
func (s *Store) CreateUser(ctx context.Context, p auth.Principal, in auth.UserInput) (auth.User, error) {
	if err := p.CanAdminister(); err != nil {
		return auth.User{}, err
	}
	hash, err := auth.HashPassword(in.Password)
	if err != nil {
		return auth.User{}, apperr.Wrap(err, "hash password")
	}
	row := userRow{ID: newID(), Username: in.Username, FullName: in.FullName, Role: string(in.Role),
		CouncilID: nullable(in.CouncilID), OfficialID: nullable(in.OfficialID), PasswordHash: hash, Active: true, CreatedAt: s.clock()}
	err = s.transact(ctx, func(tx *gorm.DB) error {
		if row.CouncilID != nil {
			if err := requireCouncil(tx, *row.CouncilID); err != nil {
				return err
			}
		}
		if err := checkOfficialLink(tx, in.OfficialID, in.CouncilID); err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&userRow{}).Where("username = ?", row.Username).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return apperr.New(apperr.Conflict, "username_taken")
		}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		return s.appendAudit(tx, p, audit.Entry{Action: "user.create", ObjectType: "user", ObjectID: row.ID, CouncilID: in.CouncilID,
			Summary: map[string]any{"username": row.Username, "full_name": row.FullName, "role": row.Role}})
	})
	if isConflict(err) {
		return auth.User{}, apperr.New(apperr.Conflict, "username_taken")
	}
	return row.toDomain(), err
}

func isConflict(err error) bool {
	var ae *apperr.Error
	return errors.As(err, &ae) && ae.Kind == apperr.Conflict && ae.Code == "conflict"
}

// UpdateUser changes an account's name, password or active flag (admin only).
func (s *Store) UpdateUser(ctx context.Context, p auth.Principal, id string, in auth.UserPatch) (auth.User, error) {
	if err := p.CanAdminister(); err != nil {
		return auth.User{}, err
	}
	if in.Active != nil && !*in.Active && id == p.UserID {
		return auth.User{}, apperr.New(apperr.Conflict, "cannot_deactivate_self")
	}
	set := map[string]any{}
	if in.FullName != nil {
		set["full_name"] = *in.FullName
	}
	if in.Active != nil {
		set["active"] = *in.Active
	}
	if in.Password != nil {
		hash, err := auth.HashPassword(*in.Password)
		if err != nil {
			return auth.User{}, apperr.Wrap(err, "hash password")
		}
		set["password_hash"] = hash
	}
	if in.OfficialID != nil {
		set["official_id"] = nullable(*in.OfficialID)
	}
	if len(set) == 0 {
		return auth.User{}, apperr.New(apperr.Invalid, "nothing_to_change")
	}
	if in.Password != nil || (in.Active != nil && !*in.Active) {
		set["token_version"] = gorm.Expr("token_version + 1") // older tokens stop working
	}
	var row userRow
	err := s.transact(ctx, func(tx *gorm.DB) error {
		var old userRow
		if err := tx.Where("id = ?", id).Take(&old).Error; err != nil {
			return notFound(err, "user_not_found")
		}
		if in.OfficialID != nil {
			if err := checkOfficialLink(tx, *in.OfficialID, deref(old.CouncilID)); err != nil {
				return err
			}
		}
		if err := s.useAccountApprovals(tx, p, old, in); err != nil {
			return err
		}
		if err := tx.Model(&userRow{}).Where("id = ?", id).Updates(set).Error; err != nil {
			return err
		}
		if err := tx.Where("id = ?", id).Take(&row).Error; err != nil {
			return err
		}
		summary := changes(map[string]any{"full_name": old.FullName, "active": old.Active, "official_id": deref(old.OfficialID)},
			map[string]any{"full_name": row.FullName, "active": row.Active, "official_id": deref(row.OfficialID)})
		if in.Password != nil {
			summary["password"] = "changed"
		}
		return s.appendAudit(tx, p, audit.Entry{Action: "user.update", ObjectType: "user", ObjectID: id,
			CouncilID: deref(row.CouncilID), Summary: summary})
	})
	return row.toDomain(), err
}

// ListUsers lists staff accounts (admin only), optionally of one council, by username.
func (s *Store) ListUsers(ctx context.Context, p auth.Principal, councilID string) ([]auth.User, error) {
	if err := p.CanAdminister(); err != nil {
		return nil, err
	}
	q := s.db.WithContext(ctx).Order("username")
	if councilID != "" {
		q = q.Where("council_id = ?", councilID)
	}
	var rows []userRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, dbErr(err)
	}
	out := make([]auth.User, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// CouncilStaff lists a council's active staff accounts, for choosing the counting board (the
// council's secretariat, or the admin).
func (s *Store) CouncilStaff(ctx context.Context, p auth.Principal, councilID string) ([]auth.User, error) {
	if err := p.CanManageRoster(councilID); err != nil {
		return nil, err
	}
	var rows []userRow
	if err := s.db.WithContext(ctx).Where("council_id = ? AND active = ?", councilID, true).Order("full_name").Find(&rows).Error; err != nil {
		return nil, dbErr(err)
	}
	out := make([]auth.User, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// Credentials returns an active user and the password hash for a username (auth.UserStore).
func (s *Store) Credentials(ctx context.Context, username string) (auth.User, string, error) {
	var row userRow
	err := s.db.WithContext(ctx).Where("username = ? AND active = ?", username, true).Take(&row).Error
	if err != nil {
		return auth.User{}, "", notFound(err, "user_not_found")
	}
	return row.toDomain(), row.PasswordHash, nil
}

// UserByID returns a user, active or not (auth.UserStore).
func (s *Store) UserByID(ctx context.Context, id string) (auth.User, error) {
	var row userRow
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return auth.User{}, notFound(err, "user_not_found")
	}
	return row.toDomain(), nil
}

// EnsureAdmin creates the user "admin" with password when there is no user at all. It reports
// whether it created one.
func (s *Store) EnsureAdmin(ctx context.Context, password string) (bool, error) {
	hash, err := auth.HashPassword(password)
	if err != nil {
		return false, err
	}
	created := false
	err = s.transact(ctx, func(tx *gorm.DB) error {
		if s.dialect == Postgres { // two servers starting at once create one admin
			if err := tx.Exec("SELECT pg_advisory_xact_lock(7236002)").Error; err != nil {
				return err
			}
		}
		var n int64
		if err := tx.Model(&userRow{}).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		row := userRow{ID: newID(), Username: "admin", FullName: "Quản trị hệ thống", Role: string(auth.RoleAdmin),
			PasswordHash: hash, Active: true, CreatedAt: s.clock()}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		created = true
		return s.appendAudit(tx, auth.System("bootstrap"), audit.Entry{Action: "user.create", ObjectType: "user", ObjectID: row.ID,
			Summary: map[string]any{"username": "admin", "role": "admin", "reason": "empty database"}})
	})
	return created, err
}

// SetPassword sets a user's password from the command line (tinnhiem admin set-password).
func (s *Store) SetPassword(ctx context.Context, p auth.Principal, username, password string) error {
	var row userRow
	if err := s.db.WithContext(ctx).Where("username = ?", username).Take(&row).Error; err != nil {
		return notFound(err, "user_not_found")
	}
	pw := password
	patch := auth.UserPatch{Password: &pw}
	if err := patch.Normalize(); err != nil {
		return err
	}
	_, err := s.UpdateUser(ctx, p, row.ID, patch)
	return err
}

// checkOfficialLink accepts a link from an account to an official of the account's own council.
func checkOfficialLink(tx *gorm.DB, officialID, councilID string) error {
	if officialID == "" {
		return nil
	}
	var n int64
	if err := tx.Model(&officialRow{}).Where("id = ? AND council_id = ?", officialID, councilID).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return apperr.InvalidFields(apperr.Field("official_id", "official_not_in_council"))
	}
	return nil
}

// RevokeTokens ends every login token of a user (logging out): the account's token version moves on.
func (s *Store) RevokeTokens(ctx context.Context, p auth.Principal) error {
	return s.transact(ctx, func(tx *gorm.DB) error {
		if err := tx.Model(&userRow{}).Where("id = ?", p.UserID).Update("token_version", gorm.Expr("token_version + 1")).Error; err != nil {
			return err
		}
		return s.appendAudit(tx, p, audit.Entry{Action: "user.logout", ObjectType: "user", ObjectID: p.UserID, CouncilID: p.CouncilID})
	})
}

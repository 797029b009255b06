package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"tinnhiem/internal/audit"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/vote"
)

// The hall's projector: a read-only link per council, made by its secretariat or a board account of
// the council, revocable. It shows the council's current vote: its turnout while open, "counting" until
// the head announces the result, then the result. Nothing else.

type displayRow struct {
	ID        string `gorm:"primaryKey"`
	CouncilID string
	Name      string
	TokenHash string
	CreatedBy string
	CreatedAt time.Time
	RevokedAt *time.Time
}

func (displayRow) TableName() string { return "display_links" }

func (r displayRow) toDomain() vote.DisplayLink {
	return vote.DisplayLink{ID: r.ID, CouncilID: r.CouncilID, Name: r.Name, CreatedAt: r.CreatedAt.UTC(), RevokedAt: utc(r.RevokedAt)}
}

// CreateDisplay makes a projector link for a council and returns its token, this once.
func (s *Store) CreateDisplay(ctx context.Context, p auth.Principal, councilID string, in vote.DisplayInput) (vote.DisplayLink, string, error) {
	if err := vote.DecideDisplay(councilID, p); err != nil {
		return vote.DisplayLink{}, "", err
	}
	token := newToken()
	row := displayRow{ID: newID(), CouncilID: councilID, Name: in.Name, TokenHash: tokenDigest(token), CreatedBy: p.UserID, CreatedAt: s.clock()}
	err := s.transact(ctx, func(tx *gorm.DB) error {
		if err := requireCouncil(tx, councilID); err != nil {
			return err
		}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		return s.appendAudit(tx, p, audit.Entry{Action: "council.display_create", ObjectType: "display", ObjectID: row.ID, CouncilID: councilID,
			Summary: map[string]any{"name": in.Name}})
	})
	return row.toDomain(), token, err
}

// ListDisplays lists a council's projector links.
func (s *Store) ListDisplays(ctx context.Context, p auth.Principal, councilID string) ([]vote.DisplayLink, error) {
	if err := vote.DecideDisplay(councilID, p); err != nil {
		return nil, err
	}
	var rows []displayRow
	if err := s.db.WithContext(ctx).Where("council_id = ?", councilID).Order("created_at").Find(&rows).Error; err != nil {
		return nil, dbErr(err)
	}
	out := make([]vote.DisplayLink, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// RevokeDisplay revokes a projector link: the screen showing it goes blank at its next refresh.
func (s *Store) RevokeDisplay(ctx context.Context, p auth.Principal, councilID, id string) (vote.DisplayLink, error) {
	if err := vote.DecideDisplay(councilID, p); err != nil {
		return vote.DisplayLink{}, err
	}
	var out vote.DisplayLink
	err := s.transact(ctx, func(tx *gorm.DB) error {
		var row displayRow
		if err := tx.Where("id = ? AND council_id = ?", id, councilID).Take(&row).Error; err != nil {
			return notFound(err, "display_not_found")
		}
		if row.RevokedAt == nil {
			now := s.clock()
			row.RevokedAt = &now
			if err := tx.Model(&displayRow{}).Where("id = ?", id).Update("revoked_at", now).Error; err != nil {
				return err
			}
			if err := s.appendAudit(tx, p, audit.Entry{Action: "council.display_revoke", ObjectType: "display", ObjectID: id, CouncilID: councilID,
				Summary: map[string]any{"name": row.Name}}); err != nil {
				return err
			}
		}
		out = row.toDomain()
		return nil
	})
	return out, err
}

// Display is what a projector link shows: the council and its current vote (the open one, else the
// latest closed, certified or published one), its turnout, and its result once announced.
func (s *Store) Display(ctx context.Context, token string) (vote.Display, error) {
	db := s.db.WithContext(ctx)
	var link displayRow
	if err := db.Where("token_hash = ? AND revoked_at IS NULL", tokenDigest(token)).Take(&link).Error; err != nil {
		return vote.Display{}, notFound(err, "display_not_found")
	}
	var c councilRow
	if err := db.Where("id = ?", link.CouncilID).Take(&c).Error; err != nil {
		return vote.Display{}, dbErr(err)
	}
	out := vote.Display{Council: c.Name}
	var ids []string
	err := db.Model(&voteRow{}).Where("council_id = ? AND status IN ?", link.CouncilID,
		[]string{string(vote.Open), string(vote.Closed), string(vote.Certified), string(vote.Published)}).
		Order("CASE status WHEN 'open' THEN 0 ELSE 1 END, COALESCE(closed_at, opened_at) DESC").Limit(1).Pluck("id", &ids).Error
	if err != nil {
		return out, dbErr(err)
	}
	if len(ids) == 0 {
		return out, nil
	}
	v, row, err := s.loadVote(db, ids[0], false)
	if err != nil {
		return out, dbErr(err)
	}
	dv := vote.DisplayVote{ID: v.ID, Title: v.Title, SessionName: v.SessionName, Kind: v.Kind, Status: v.Status,
		Turnout: v.Turnout, Announced: v.AnnouncedAt != nil}
	if dv.Announced {
		r, err := s.tallyOf(db, v, row)
		if err != nil {
			return out, dbErr(err)
		}
		dv.Result = &r
	}
	out.Vote = &dv
	return out, nil
}

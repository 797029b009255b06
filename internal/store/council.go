package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/audit"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/roster"
)

type councilRow struct {
	ID            string `gorm:"primaryKey"`
	Name          string
	Body          string
	Level         string
	Place         string
	Khoa          string
	TermStartYear int
	TermEndYear   int
	CreatedAt     time.Time
	Demo          bool
}

func (councilRow) TableName() string { return "councils" }

func (r councilRow) toDomain() roster.Council {
	return roster.Council{ID: r.ID, Name: r.Name, Body: roster.Body(r.Body), Level: roster.Level(r.Level), Place: r.Place,
		Khoa: r.Khoa, TermStartYear: r.TermStartYear, TermEndYear: r.TermEndYear, CreatedAt: r.CreatedAt.UTC(), Demo: r.Demo}
}

func councilSummary(in roster.CouncilInput) map[string]any {
	return map[string]any{"name": in.Name, "body": in.Body, "level": in.Level, "place": in.Place, "khoa": in.Khoa,
		"term_start_year": in.TermStartYear, "term_end_year": in.TermEndYear}
}

// CreateCouncil creates a council (admin only).
func (s *Store) CreateCouncil(ctx context.Context, p auth.Principal, in roster.CouncilInput) (roster.Council, error) {
	if err := p.CanAdminister(); err != nil {
		return roster.Council{}, err
	}
	row := councilRow{ID: newID(), Name: in.Name, Body: string(in.Body), Level: string(in.Level), Place: in.Place, Khoa: in.Khoa, Demo: in.Demo,
		TermStartYear: in.TermStartYear, TermEndYear: in.TermEndYear, CreatedAt: s.clock()}
	err := s.transact(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		return s.appendAudit(tx, p, audit.Entry{Action: "council.create", ObjectType: "council", ObjectID: row.ID, CouncilID: row.ID,
			Summary: councilSummary(in)})
	})
	return row.toDomain(), err
}

// UpdateCouncil replaces a council's details (admin only: the body and level decide which rules apply).
func (s *Store) UpdateCouncil(ctx context.Context, p auth.Principal, id string, in roster.CouncilInput) (roster.Council, error) {
	if err := p.CanAdminister(); err != nil {
		return roster.Council{}, err
	}
	var row councilRow
	err := s.transact(ctx, func(tx *gorm.DB) error {
		var old councilRow
		if err := tx.Where("id = ?", id).Take(&old).Error; err != nil {
			return notFound(err, "council_not_found")
		}
		if err := tx.Model(&councilRow{}).Where("id = ?", id).Updates(map[string]any{"name": in.Name, "body": string(in.Body),
			"level": string(in.Level), "place": in.Place, "khoa": in.Khoa, "term_start_year": in.TermStartYear,
			"term_end_year": in.TermEndYear}).Error; err != nil {
			return err
		}
		if err := tx.Where("id = ?", id).Take(&row).Error; err != nil {
			return err
		}
		before := councilSummary(roster.CouncilInput{Name: old.Name, Body: roster.Body(old.Body), Level: roster.Level(old.Level), Place: old.Place,
			Khoa: old.Khoa, TermStartYear: old.TermStartYear, TermEndYear: old.TermEndYear})
		summary := changes(before, councilSummary(in))
		if len(summary) == 0 {
			return apperr.New(apperr.Invalid, "nothing_to_change")
		}
		return s.appendAudit(tx, p, audit.Entry{Action: "council.update", ObjectType: "council", ObjectID: id, CouncilID: id,
			Summary: summary})
	})
	return row.toDomain(), err
}

// ListCouncils lists the councils the caller may see, by name.
func (s *Store) ListCouncils(ctx context.Context, p auth.Principal) ([]roster.Council, error) {
	q := s.db.WithContext(ctx).Order("name, id")
	if !p.IsAdmin() {
		q = q.Where("id = ?", p.CouncilID)
	}
	var rows []councilRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, dbErr(err)
	}
	out := make([]roster.Council, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// GetCouncil returns a council the caller may see.
func (s *Store) GetCouncil(ctx context.Context, p auth.Principal, id string) (roster.Council, error) {
	if err := p.CanReadCouncil(id); err != nil {
		return roster.Council{}, err
	}
	var row councilRow
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return roster.Council{}, notFound(err, "council_not_found")
	}
	return row.toDomain(), nil
}

// councilBody returns the body of a council, or NotFound.
func councilBody(tx *gorm.DB, id string) (roster.Body, error) {
	var row councilRow
	if err := tx.Where("id = ?", id).Take(&row).Error; err != nil {
		return "", notFound(err, "council_not_found")
	}
	return roster.Body(row.Body), nil
}

func requireCouncil(tx *gorm.DB, id string) error {
	var n int64
	if err := tx.Model(&councilRow{}).Where("id = ?", id).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return apperr.New(apperr.NotFound, "council_not_found")
	}
	return nil
}

package store

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/audit"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/civil"
	"tinnhiem/internal/roster"
)

type officialRow struct {
	ID                  string `gorm:"primaryKey"`
	CouncilID           string
	FullName            string
	RetirementAnnounced bool
	IllnessLeaveSince   *string
	Active              bool
	CreatedAt           time.Time
}

func (officialRow) TableName() string { return "officials" }

type positionRow struct {
	OfficialID string `gorm:"primaryKey"`
	Ord        int    `gorm:"primaryKey;autoIncrement:false"`
	Category   string
	Title      string
	ElectedOn  string
}

func (positionRow) TableName() string { return "positions" }

func (r officialRow) toDomain(ps []positionRow) roster.Official {
	o := roster.Official{ID: r.ID, CouncilID: r.CouncilID, FullName: r.FullName, RetirementAnnounced: r.RetirementAnnounced,
		IllnessLeaveSince: datePtr(r.IllnessLeaveSince), Active: r.Active, Positions: []roster.Position{}}
	for _, p := range ps {
		d, _ := civil.Parse(p.ElectedOn)
		o.Positions = append(o.Positions, roster.Position{Category: roster.Category(p.Category), Title: p.Title, ElectedOn: d})
	}
	return o
}

func positionRows(officialID string, ps []roster.Position) []positionRow {
	out := make([]positionRow, len(ps))
	for i, p := range ps {
		out[i] = positionRow{OfficialID: officialID, Ord: i, Category: string(p.Category), Title: p.Title, ElectedOn: p.ElectedOn.String()}
	}
	return out
}

func officialSummary(o roster.Official) map[string]any {
	posts := make([]map[string]any, len(o.Positions))
	for i, p := range o.Positions {
		posts[i] = map[string]any{"category": p.Category, "title": p.Title, "elected_on": p.ElectedOn.String()}
	}
	return map[string]any{"full_name": o.FullName, "positions": posts, "retirement_announced": o.RetirementAnnounced,
		"illness_leave_since": deref(dateStr(o.IllnessLeaveSince)), "active": o.Active}
}

func (s *Store) insertOfficial(tx *gorm.DB, councilID string, o *roster.Official) error {
	o.ID, o.CouncilID = newID(), councilID
	row := officialRow{ID: o.ID, CouncilID: councilID, FullName: o.FullName, RetirementAnnounced: o.RetirementAnnounced,
		IllnessLeaveSince: dateStr(o.IllnessLeaveSince), Active: o.Active, CreatedAt: s.clock()}
	if err := tx.Create(&row).Error; err != nil {
		return err
	}
	ps := positionRows(o.ID, o.Positions)
	return tx.Create(&ps).Error
}

// CreateOfficial adds a post-holder with their positions (admin or the council's secretariat).
func (s *Store) CreateOfficial(ctx context.Context, p auth.Principal, councilID string, in roster.OfficialInput) (roster.Official, error) {
	if err := p.CanManageRoster(councilID); err != nil {
		return roster.Official{}, err
	}
	o := in.Official(true)
	err := s.transact(ctx, func(tx *gorm.DB) error {
		body, err := councilBody(tx, councilID)
		if err != nil {
			return err
		}
		if err := roster.FieldsError(in.CheckBody(body, "")); err != nil {
			return err
		}
		if err := s.insertOfficial(tx, councilID, &o); err != nil {
			return err
		}
		return s.appendAudit(tx, p, audit.Entry{Action: "official.create", ObjectType: "official", ObjectID: o.ID,
			CouncilID: councilID, Summary: officialSummary(o)})
	})
	return o, err
}

// UpdateOfficial replaces an official's details and positions; active=false deactivates them.
func (s *Store) UpdateOfficial(ctx context.Context, p auth.Principal, councilID, id string, in roster.OfficialInput) (roster.Official, error) {
	if err := p.CanManageRoster(councilID); err != nil {
		return roster.Official{}, err
	}
	var o roster.Official
	err := s.transact(ctx, func(tx *gorm.DB) error {
		olds, err := loadOfficials(tx, councilID, []string{id}, true)
		if err != nil {
			return err
		}
		if len(olds) == 0 {
			return apperr.New(apperr.NotFound, "official_not_found")
		}
		old := olds[0]
		body, err := councilBody(tx, councilID)
		if err != nil {
			return err
		}
		if err := roster.FieldsError(in.CheckBody(body, "")); err != nil {
			return err
		}
		o = in.Official(old.Active)
		o.ID, o.CouncilID = id, councilID
		if err := tx.Model(&officialRow{}).Where("id = ?", id).Updates(map[string]any{"full_name": o.FullName,
			"retirement_announced": o.RetirementAnnounced, "illness_leave_since": dateStr(o.IllnessLeaveSince), "active": o.Active}).Error; err != nil {
			return err
		}
		if err := tx.Where("official_id = ?", id).Delete(&positionRow{}).Error; err != nil {
			return err
		}
		ps := positionRows(id, o.Positions)
		if err := tx.Create(&ps).Error; err != nil {
			return err
		}
		summary := changes(officialSummary(old), officialSummary(o))
		if len(summary) == 0 {
			return apperr.New(apperr.Invalid, "nothing_to_change")
		}
		return s.appendAudit(tx, p, audit.Entry{Action: "official.update", ObjectType: "official", ObjectID: id,
			CouncilID: councilID, Summary: summary})
	})
	return o, err
}

// ListOfficials lists a council's officials with their positions, in Vietnamese name order.
func (s *Store) ListOfficials(ctx context.Context, p auth.Principal, councilID string, includeInactive bool) ([]roster.Official, error) {
	if err := p.CanReadCouncil(councilID); err != nil {
		return nil, err
	}
	db := s.db.WithContext(ctx)
	if err := requireCouncil(db, councilID); err != nil {
		return nil, dbErr(err)
	}
	out, err := loadOfficials(db, councilID, nil, includeInactive)
	if err != nil {
		return nil, err
	}
	roster.SortNames(out, func(o roster.Official) string { return o.FullName }, func(o roster.Official) string { return o.ID })
	return out, nil
}

// loadOfficials reads officials of a council (all, or those with the given ids) with their positions.
func loadOfficials(tx *gorm.DB, councilID string, ids []string, includeInactive bool) ([]roster.Official, error) {
	q := tx.Where("council_id = ?", councilID)
	if ids != nil {
		q = q.Where("id IN ?", ids)
	}
	if !includeInactive {
		q = q.Where("active = ?", true)
	}
	var rows []officialRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, dbErr(err)
	}
	var ps []positionRow
	if err := tx.Where("official_id IN (SELECT id FROM officials WHERE council_id = ?)", councilID).Order("official_id, ord").Find(&ps).Error; err != nil {
		return nil, dbErr(err)
	}
	byOfficial := map[string][]positionRow{}
	for _, p := range ps {
		byOfficial[p.OfficialID] = append(byOfficial[p.OfficialID], p)
	}
	out := make([]roster.Official, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain(byOfficial[r.ID])
	}
	return out, nil
}

// ImportOfficials adds every official of a parsed CSV, or none. A dry run writes nothing.
func (s *Store) ImportOfficials(ctx context.Context, p auth.Principal, councilID string, rows []roster.OfficialRow, dryRun bool) (int, error) {
	if err := p.CanManageRoster(councilID); err != nil {
		return 0, err
	}
	err := s.transact(ctx, func(tx *gorm.DB) error {
		body, err := councilBody(tx, councilID)
		if err != nil {
			return err
		}
		var names []string
		if err := tx.Model(&officialRow{}).Where("council_id = ? AND active = ?", councilID, true).Pluck("full_name", &names).Error; err != nil {
			return err
		}
		have := map[string]bool{}
		for _, n := range names {
			have[strings.ToLower(n)] = true
		}
		var fields []apperr.FieldError
		for _, r := range rows {
			prefix := roster.LineField(r.Lines[0], "")
			for _, f := range r.Input.CheckBody(body, prefix) {
				f.Field = roster.LineField(r.Lines[0], "category")
				fields = append(fields, f)
			}
			if have[strings.ToLower(r.Input.FullName)] {
				fields = append(fields, apperr.Field(roster.LineField(r.Lines[0], "full_name"), "official_exists"))
			}
		}
		if len(fields) > 0 {
			return importErr(fields)
		}
		imported := make([]string, 0, len(rows))
		for _, r := range rows {
			o := r.Input.Official(true)
			if err := s.insertOfficial(tx, councilID, &o); err != nil {
				return err
			}
			imported = append(imported, o.FullName)
		}
		if err := s.appendAudit(tx, p, audit.Entry{Action: "official.import", ObjectType: "council", ObjectID: councilID,
			CouncilID: councilID, Summary: map[string]any{"imported": len(rows), "full_names": imported}}); err != nil {
			return err
		}
		return rollbackIf(dryRun)
	})
	return len(rows), dryRunOK(err)
}

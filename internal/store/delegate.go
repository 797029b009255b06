package store

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/audit"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/civil"
	"tinnhiem/internal/roster"
)

type delegateRow struct {
	ID           string `gorm:"primaryKey"`
	CouncilID    string
	FullName     string
	Code         string
	CodeKey      string
	TookOfficeOn *string
	LeftOfficeOn *string
	Active       bool
	CreatedAt    time.Time
}

func (delegateRow) TableName() string { return "delegates" }

func (r delegateRow) toDomain() roster.Delegate {
	d := roster.Delegate{ID: r.ID, CouncilID: r.CouncilID, FullName: r.FullName, Code: r.Code, Active: r.Active}
	d.TookOfficeOn = datePtr(r.TookOfficeOn)
	d.LeftOfficeOn = datePtr(r.LeftOfficeOn)
	return d
}

func fromDelegate(councilID string, d roster.Delegate) delegateRow {
	return delegateRow{CouncilID: councilID, FullName: d.FullName, Code: d.Code, CodeKey: roster.CodeKey(d.Code), Active: d.Active,
		TookOfficeOn: dateStr(d.TookOfficeOn), LeftOfficeOn: dateStr(d.LeftOfficeOn)}
}

func datePtr(s *string) *civil.Date {
	if s == nil {
		return nil
	}
	d, err := civil.Parse(*s)
	if err != nil {
		return nil
	}
	return &d
}

func dateStr(d *civil.Date) *string {
	if d == nil {
		return nil
	}
	s := d.String()
	return &s
}

func delegateSummary(d delegateRow) map[string]any {
	return map[string]any{"full_name": d.FullName, "code": d.Code, "took_office_on": deref(d.TookOfficeOn),
		"left_office_on": deref(d.LeftOfficeOn), "active": d.Active}
}

// codeTaken reports whether another delegate of the council has code (case-insensitively).
func codeTaken(tx *gorm.DB, councilID, code, exceptID string) (bool, error) {
	var n int64
	err := tx.Model(&delegateRow{}).Where("council_id = ? AND code_key = ? AND id <> ?", councilID, roster.CodeKey(code), exceptID).Count(&n).Error
	return n > 0, err
}

// CreateDelegate adds a delegate to a council's roster (admin or the council's secretariat).
func (s *Store) CreateDelegate(ctx context.Context, p auth.Principal, councilID string, in roster.DelegateInput) (roster.Delegate, error) {
	if err := p.CanManageRoster(councilID); err != nil {
		return roster.Delegate{}, err
	}
	row := fromDelegate(councilID, in.Delegate(true))
	row.ID, row.CreatedAt = newID(), s.clock()
	err := s.transact(ctx, func(tx *gorm.DB) error {
		if err := requireCouncil(tx, councilID); err != nil {
			return err
		}
		if taken, err := codeTaken(tx, councilID, row.Code, ""); err != nil || taken {
			return firstErr(err, apperr.InvalidFields(apperr.Field("code", "duplicate_code")))
		}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		return s.appendAudit(tx, p, audit.Entry{Action: "delegate.create", ObjectType: "delegate", ObjectID: row.ID,
			CouncilID: councilID, Summary: delegateSummary(row)})
	})
	return row.toDomain(), err
}

// UpdateDelegate replaces a delegate's details; active=false deactivates them.
func (s *Store) UpdateDelegate(ctx context.Context, p auth.Principal, councilID, id string, in roster.DelegateInput) (roster.Delegate, error) {
	if err := p.CanManageRoster(councilID); err != nil {
		return roster.Delegate{}, err
	}
	var row delegateRow
	err := s.transact(ctx, func(tx *gorm.DB) error {
		var old delegateRow
		if err := tx.Where("id = ? AND council_id = ?", id, councilID).Take(&old).Error; err != nil {
			return notFound(err, "delegate_not_found")
		}
		row = fromDelegate(councilID, in.Delegate(old.Active))
		row.ID = id
		if taken, err := codeTaken(tx, councilID, row.Code, id); err != nil || taken {
			return firstErr(err, apperr.InvalidFields(apperr.Field("code", "duplicate_code")))
		}
		if err := tx.Model(&delegateRow{}).Where("id = ?", id).Updates(map[string]any{"full_name": row.FullName, "code": row.Code,
			"code_key": row.CodeKey, "took_office_on": row.TookOfficeOn, "left_office_on": row.LeftOfficeOn, "active": row.Active}).Error; err != nil {
			return err
		}
		row.CreatedAt = old.CreatedAt
		summary := changes(delegateSummary(old), delegateSummary(row))
		if len(summary) == 0 {
			return apperr.New(apperr.Invalid, "nothing_to_change")
		}
		return s.appendAudit(tx, p, audit.Entry{Action: "delegate.update", ObjectType: "delegate", ObjectID: id,
			CouncilID: councilID, Summary: summary})
	})
	return row.toDomain(), err
}

// ListDelegates lists a council's delegates in Vietnamese name order (any staff of the council).
func (s *Store) ListDelegates(ctx context.Context, p auth.Principal, councilID string, f roster.DelegateFilter) ([]roster.Delegate, error) {
	if err := p.CanReadCouncil(councilID); err != nil {
		return nil, err
	}
	if err := requireCouncil(s.db.WithContext(ctx), councilID); err != nil {
		return nil, dbErr(err)
	}
	q := s.db.WithContext(ctx).Where("council_id = ?", councilID)
	if !f.IncludeInactive || f.InOfficeOn != nil {
		q = q.Where("active = ?", true)
	}
	if f.InOfficeOn != nil {
		d := f.InOfficeOn.String()
		q = q.Where("(took_office_on IS NULL OR took_office_on <= ?) AND (left_office_on IS NULL OR left_office_on > ?)", d, d)
	}
	var rows []delegateRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, dbErr(err)
	}
	out := make([]roster.Delegate, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	roster.SortNames(out, func(d roster.Delegate) string { return d.FullName }, func(d roster.Delegate) string { return d.Code })
	return out, nil
}

// ImportDelegates adds every delegate of a parsed CSV, or none: a code already in the council fails
// the whole import with the line named. A dry run checks everything and writes nothing.
func (s *Store) ImportDelegates(ctx context.Context, p auth.Principal, councilID string, rows []roster.DelegateRow, dryRun bool) (int, error) {
	if err := p.CanManageRoster(councilID); err != nil {
		return 0, err
	}
	err := s.transact(ctx, func(tx *gorm.DB) error {
		if err := requireCouncil(tx, councilID); err != nil {
			return err
		}
		var existing []string
		if err := tx.Model(&delegateRow{}).Where("council_id = ?", councilID).Pluck("code_key", &existing).Error; err != nil {
			return err
		}
		have := map[string]bool{}
		for _, c := range existing {
			have[c] = true
		}
		var fields []apperr.FieldError
		batch := make([]delegateRow, 0, len(rows))
		now := s.clock()
		for _, r := range rows {
			if have[roster.CodeKey(r.Input.Code)] {
				fields = append(fields, apperr.Field(roster.LineField(r.Line, "code"), "duplicate_code"))
				continue
			}
			row := fromDelegate(councilID, r.Input.Delegate(true))
			row.ID, row.CreatedAt = newID(), now
			batch = append(batch, row)
		}
		if len(fields) > 0 {
			return importErr(fields)
		}
		if err := tx.CreateInBatches(&batch, 200).Error; err != nil {
			return err
		}
		codes := make([]string, len(batch))
		for i, b := range batch {
			codes[i] = b.Code
		}
		if err := s.appendAudit(tx, p, audit.Entry{Action: "delegate.import", ObjectType: "council", ObjectID: councilID,
			CouncilID: councilID, Summary: map[string]any{"imported": len(batch), "codes": codes}}); err != nil {
			return err
		}
		return rollbackIf(dryRun)
	})
	return len(rows), dryRunOK(err)
}

// CountDelegatesInOffice returns T: the council's active delegates in office on day.
func (s *Store) CountDelegatesInOffice(ctx context.Context, councilID string, day civil.Date) (int, error) {
	return countInOffice(s.db.WithContext(ctx), councilID, day)
}

func countInOffice(tx *gorm.DB, councilID string, day civil.Date) (int, error) {
	d := day.String() // YYYY-MM-DD text compares in date order
	var n int64
	err := tx.Model(&delegateRow{}).Where("council_id = ? AND active = ? AND (took_office_on IS NULL OR took_office_on <= ?) AND (left_office_on IS NULL OR left_office_on > ?)",
		councilID, true, d, d).Count(&n).Error
	return int(n), dbErr(err)
}

func importErr(fields []apperr.FieldError) error {
	e := apperr.InvalidFields(fields...)
	e.Code = "import_failed"
	lines := map[string]bool{}
	for _, f := range fields {
		line, _, _ := strings.Cut(f.Field, ":")
		lines[line] = true
	}
	return e.With("count", len(lines))
}

// errDryRun rolls back a dry run's transaction after every check has passed.
var errDryRun = errString("dry run")

func rollbackIf(dryRun bool) error {
	if dryRun {
		return errDryRun
	}
	return nil
}

func dryRunOK(err error) error {
	if errors.Is(err, errDryRun) {
		return nil
	}
	return err
}

func firstErr(err error, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}

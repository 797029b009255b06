package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/audit"
	"tinnhiem/internal/auth"
)

type auditRow struct {
	Seq        int64 `gorm:"primaryKey;autoIncrement:false"`
	At         time.Time
	ActorID    string
	ActorName  string
	Action     string
	ObjectType string
	ObjectID   string
	CouncilID  *string
	VoteID     *string
	Summary    string
	RequestID  string
	PrevHash   string
	Hash       string
}

func (auditRow) TableName() string { return "audit_events" }

func (r auditRow) toDomain() audit.Event {
	return audit.Event{Seq: r.Seq, At: r.At.UTC(), ActorID: r.ActorID, ActorName: r.ActorName, Action: r.Action,
		ObjectType: r.ObjectType, ObjectID: r.ObjectID, CouncilID: deref(r.CouncilID), VoteID: deref(r.VoteID),
		Summary: r.Summary, RequestID: r.RequestID, PrevHash: r.PrevHash, Hash: r.Hash}
}

type auditHeadRow struct {
	ID   int
	Seq  int64
	Hash string
}

func (auditHeadRow) TableName() string { return "audit_head" }

// appendAudit adds an event to the chain inside tx. It must be the last write of a use case: every
// transaction then takes the audit head lock last, one fixed order, so none can deadlock on it.
func (s *Store) appendAudit(tx *gorm.DB, p auth.Principal, e audit.Entry) error {
	summary, err := audit.CanonicalSummary(e.Summary)
	if err != nil {
		return err
	}
	var head auditHeadRow
	q := "SELECT id, seq, hash FROM audit_head WHERE id = 1"
	if s.dialect == Postgres {
		q += " FOR UPDATE"
	}
	if err := tx.Raw(q).Scan(&head).Error; err != nil {
		return err
	}
	ev := audit.Event{At: s.clock(), ActorID: p.UserID, ActorName: p.Username, Action: e.Action,
		ObjectType: e.ObjectType, ObjectID: e.ObjectID, CouncilID: e.CouncilID, VoteID: e.VoteID,
		Summary: summary, RequestID: p.RequestID}
	audit.Seal(&ev, head.Seq, head.Hash)
	row := auditRow{Seq: ev.Seq, At: ev.At, ActorID: ev.ActorID, ActorName: ev.ActorName, Action: ev.Action,
		ObjectType: ev.ObjectType, ObjectID: ev.ObjectID, CouncilID: nullable(ev.CouncilID), VoteID: nullable(ev.VoteID),
		Summary: ev.Summary, RequestID: ev.RequestID, PrevHash: ev.PrevHash, Hash: ev.Hash}
	if err := tx.Create(&row).Error; err != nil {
		return err
	}
	return tx.Exec("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", ev.Seq, ev.Hash).Error
}

// ListAudit returns events in sequence order. Staff other than the admin see only their council's.
func (s *Store) ListAudit(ctx context.Context, p auth.Principal, f audit.Filter) ([]audit.Event, error) {
	if !p.IsAdmin() {
		if f.CouncilID == "" {
			f.CouncilID = p.CouncilID
		}
		if err := p.CanReadCouncil(f.CouncilID); err != nil {
			return nil, err
		}
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 100
	}
	q := s.db.WithContext(ctx).Model(&auditRow{}).Where("seq > ?", f.After).Order("seq").Limit(f.Limit)
	if f.CouncilID != "" {
		q = q.Where("council_id = ?", f.CouncilID)
	}
	if f.VoteID != "" {
		q = q.Where("vote_id = ?", f.VoteID)
	}
	var rows []auditRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, dbErr(err)
	}
	out := make([]audit.Event, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// VerifyAudit recomputes the chain in batches and compares its end with the recorded head. The head
// is read first and only events up to it are checked: an event appended meanwhile (with its head
// update, in one transaction) is simply not part of this verification.
func (s *Store) VerifyAudit(ctx context.Context) (audit.Result, error) {
	var head auditHeadRow
	if err := s.db.WithContext(ctx).Raw("SELECT id, seq, hash FROM audit_head WHERE id = 1").Scan(&head).Error; err != nil {
		return audit.Result{}, dbErr(err)
	}
	if head.ID != 1 {
		return audit.Result{}, errNoHead
	}
	v := audit.NewVerifier()
	var after int64
	for {
		var rows []auditRow
		if err := s.db.WithContext(ctx).Where("seq > ? AND seq <= ?", after, head.Seq).Order("seq").Limit(2000).Find(&rows).Error; err != nil {
			return audit.Result{}, dbErr(err)
		}
		for _, r := range rows {
			v.Add(r.toDomain())
		}
		if len(rows) < 2000 {
			break
		}
		after = rows[len(rows)-1].Seq
	}
	return v.Finish(head.Seq, head.Hash), nil
}

var errNoHead = apperrInternal("the audit head row is missing")

func apperrInternal(msg string) error {
	return &apperr.Error{Kind: apperr.Internal, Code: "internal", Err: errString(msg)}
}

type errString string

func (e errString) Error() string { return string(e) }

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// changes describes an edit for the audit log: each field whose value differs, as {"from","to"}.
func changes(before, after map[string]any) map[string]any {
	out := map[string]any{}
	for k, a := range after {
		if b := before[k]; fmt.Sprint(b) != fmt.Sprint(a) {
			out[k] = map[string]any{"from": b, "to": a}
		}
	}
	return out
}

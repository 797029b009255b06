package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/audit"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/vote"
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
	VoteSeq    *int64
	VoteHash   *string
}

func (auditRow) TableName() string { return "audit_events" }

func (r auditRow) toDomain() audit.Event {
	e := audit.Event{Seq: r.Seq, At: r.At.UTC(), ActorID: r.ActorID, ActorName: r.ActorName, Action: r.Action,
		ObjectType: r.ObjectType, ObjectID: r.ObjectID, CouncilID: deref(r.CouncilID), VoteID: deref(r.VoteID),
		Summary: r.Summary, RequestID: r.RequestID, PrevHash: r.PrevHash, Hash: r.Hash, VoteHash: deref(r.VoteHash)}
	if r.VoteSeq != nil {
		e.VoteSeq = *r.VoteSeq
	}
	return e
}

type auditVoteHeadRow struct {
	VoteID string `gorm:"primaryKey"`
	Seq    int64
	Hash   string
}

func (auditVoteHeadRow) TableName() string { return "audit_vote_heads" }

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
	if err := tx.Raw("SELECT id, seq, hash FROM audit_head WHERE id = 1" + s.forUpdate()).Scan(&head).Error; err != nil {
		return err
	}
	ev := audit.Event{At: s.clock(), ActorID: p.UserID, ActorName: p.Username, Action: e.Action,
		ObjectType: e.ObjectType, ObjectID: e.ObjectID, CouncilID: e.CouncilID, VoteID: e.VoteID,
		Summary: summary, RequestID: p.RequestID}
	audit.Seal(&ev, head.Seq, head.Hash)
	row := auditRow{Seq: ev.Seq, At: ev.At, ActorID: ev.ActorID, ActorName: ev.ActorName, Action: ev.Action,
		ObjectType: ev.ObjectType, ObjectID: ev.ObjectID, CouncilID: nullable(ev.CouncilID), VoteID: nullable(ev.VoteID),
		Summary: ev.Summary, RequestID: ev.RequestID, PrevHash: ev.PrevHash, Hash: ev.Hash}
	if ev.VoteID != "" {
		// The vote's own chain: its head row is locked after the global head (one fixed order).
		var vh auditVoteHeadRow
		if err := tx.Raw("SELECT vote_id, seq, hash FROM audit_vote_heads WHERE vote_id = ?"+s.forUpdate(), ev.VoteID).Scan(&vh).Error; err != nil {
			return err
		}
		if vh.VoteID == "" {
			vh = auditVoteHeadRow{VoteID: ev.VoteID, Hash: audit.GenesisHash}
		}
		audit.SealVote(&ev, vh.Seq, vh.Hash)
		row.VoteSeq, row.VoteHash = &ev.VoteSeq, &ev.VoteHash
		if err := tx.Exec(`INSERT INTO audit_vote_heads (vote_id, seq, hash) VALUES (?, ?, ?)
			ON CONFLICT (vote_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`, ev.VoteID, ev.VoteSeq, ev.VoteHash).Error; err != nil {
			return err
		}
	}
	if err := tx.Create(&row).Error; err != nil {
		return err
	}
	return tx.Exec("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", ev.Seq, ev.Hash).Error
}

// forUpdate is the row-lock clause of a SELECT (PostgreSQL; SQLite's immediate transactions hold
// the database's write lock already).
func (s *Store) forUpdate() string {
	if s.dialect == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// voteAnchor returns a vote's audit anchor: its own chain's hash and length now.
func voteAnchor(tx *gorm.DB, voteID string) (audit.Anchor, error) {
	var vh auditVoteHeadRow
	if err := tx.Raw("SELECT vote_id, seq, hash FROM audit_vote_heads WHERE vote_id = ?", voteID).Scan(&vh).Error; err != nil {
		return audit.Anchor{}, err
	}
	return audit.Anchor{Hash: vh.Hash, Count: vh.Seq}, nil
}

// VerifyAnchor checks a vote's events against a printed anchor (tinnhiem audit verify --anchor): the
// vote's events alone, in their vote order.
func (s *Store) VerifyAnchor(ctx context.Context, voteID string, a audit.Anchor) (audit.AnchorResult, error) {
	var rows []auditRow
	if err := s.db.WithContext(ctx).Where("vote_id = ? AND vote_seq IS NOT NULL", voteID).Order("vote_seq").Find(&rows).Error; err != nil {
		return audit.AnchorResult{}, dbErr(err)
	}
	events := make([]audit.Event, len(rows))
	for i, r := range rows {
		events[i] = r.toDomain()
	}
	return audit.VerifyVote(voteID, events, a), nil
}

// FindAnchor returns the vote whose chain passed through the anchor's hash (the anchor printed on a
// document names no vote).
func (s *Store) FindAnchor(ctx context.Context, a audit.Anchor) (string, error) {
	var ids []string
	if err := s.db.WithContext(ctx).Model(&auditRow{}).Where("vote_hash = ?", a.Hash).Limit(1).Pluck("vote_id", &ids).Error; err != nil {
		return "", dbErr(err)
	}
	if len(ids) == 0 {
		return "", apperr.New(apperr.NotFound, "anchor_not_found")
	}
	return ids[0], nil
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

// Anchor returns a vote's audit anchor now (its council's staff): the hash and length of its own chain.
func (s *Store) Anchor(ctx context.Context, p auth.Principal, voteID string) (audit.Anchor, error) {
	if _, _, err := s.readVote(ctx, p, voteID, vote.ActRead); err != nil {
		return audit.Anchor{}, err
	}
	a, err := voteAnchor(s.db.WithContext(ctx), voteID)
	return a, dbErr(err)
}

// onVoteChain reports whether the anchor is a point of the vote's chain: its event number Count
// carries that hash.
func onVoteChain(tx *gorm.DB, voteID string, a audit.Anchor) (bool, error) {
	var n int64
	err := tx.Model(&auditRow{}).Where("vote_id = ? AND vote_seq = ? AND vote_hash = ?", voteID, a.Count, a.Hash).Count(&n).Error
	return n == 1, err
}

// certifiedAnchor is the anchor of a certified vote's count: its chain at the event that certified it
// (the minutes print it); before the certification, the chain now.
func certifiedAnchor(tx *gorm.DB, voteID string) (audit.Anchor, error) {
	var row auditRow
	err := tx.Where("vote_id = ? AND action = ?", voteID, "vote.certified").Order("seq DESC").Limit(1).Find(&row).Error
	if err != nil || row.VoteSeq == nil {
		if err == nil {
			return voteAnchor(tx, voteID)
		}
		return audit.Anchor{}, err
	}
	return audit.Anchor{Hash: deref(row.VoteHash), Count: *row.VoteSeq}, nil
}

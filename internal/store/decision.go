package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/civil"
	"tinnhiem/internal/rules"
	"tinnhiem/internal/vote"
)

// The council's decisions in a vote's course (rules.md §4): recorded with number and date, cited by the
// documents. The base can change after the close only on the council's decision, entered by the board
// head before any certification; a certified count is reopened only on the council's decision.

type decisionRow struct {
	ID         string `gorm:"primaryKey"`
	VoteID     string
	Kind       string
	Number     string
	DecidedOn  string
	Base       *string
	Note       string
	RecordedBy string
	RecordedAt time.Time
}

func (decisionRow) TableName() string { return "vote_decisions" }

func loadDecisions(tx *gorm.DB, voteID string) ([]vote.Decision, error) {
	var rows []decisionRow
	if err := tx.Where("vote_id = ?", voteID).Order("recorded_at, id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]vote.Decision, 0, len(rows))
	for _, r := range rows {
		day, err := civil.Parse(r.DecidedOn)
		if err != nil {
			return nil, fmt.Errorf("store: vote_decisions.decided_on of %s: %w", r.ID, err)
		}
		out = append(out, vote.Decision{ID: r.ID, Kind: r.Kind, Number: r.Number, Date: day, Base: rules.Base(deref(r.Base)),
			Note: r.Note, RecordedAt: r.RecordedAt.UTC()})
	}
	return out, nil
}

func (s *Store) insertDecision(tx *gorm.DB, p auth.Principal, voteID, kind, number, date string, base rules.Base, note string) error {
	day, err := civil.Parse(date)
	if err != nil {
		return apperr.InvalidFields(apperr.Field("date", "invalid_date"))
	}
	row := decisionRow{ID: newID(), VoteID: voteID, Kind: kind, Number: number, DecidedOn: day.String(), Note: note, RecordedBy: p.UserID, RecordedAt: s.clock()}
	if base != "" {
		b := string(base)
		row.Base = &b
	}
	return tx.Create(&row).Error
}

// RecordDecision records a council decision of the vote's setup (its secretariat, before the vote
// opens): the list approved, the board elected or confirmed, the percentage base (which the vote then
// uses); or the standing body's Tờ trình (until the count is certified).
func (s *Store) RecordDecision(ctx context.Context, p auth.Principal, id string, in vote.DecisionInput) (vote.Vote, error) {
	action := vote.ActRecordDecision
	if in.Kind == vote.DecisionSubmission {
		action = vote.ActRecordSubmission
	}
	return s.actVote(ctx, p, id, action, func(tx *gorm.DB, v vote.Vote, _ voteRow) error {
		if err := s.insertDecision(tx, p, id, in.Kind, in.Number, in.Date, in.Base, in.Note); err != nil {
			return err
		}
		if in.Kind == vote.DecisionPercentageBase {
			if err := setVote(tx, id, map[string]any{"percentage_base": string(in.Base)}); err != nil {
				return err
			}
		}
		return s.auditVote(tx, p, v, "vote.decision", map[string]any{"kind": in.Kind, "number": in.Number, "date": in.Date, "base": in.Base})
	})
}

// ChangeBase enters the council's decision changing the percentage base after the close (the board
// head, before any certification): both figures stay visible; the change is audited.
func (s *Store) ChangeBase(ctx context.Context, p auth.Principal, id string, in vote.BaseChangeInput) (vote.Vote, error) {
	return s.actVote(ctx, p, id, vote.ActChangeBase, func(tx *gorm.DB, v vote.Vote, _ voteRow) error {
		if err := s.insertDecision(tx, p, id, vote.DecisionPercentageBase, in.Number, in.Date, in.Base, in.Note); err != nil {
			return err
		}
		if err := setVote(tx, id, map[string]any{"percentage_base": string(in.Base)}); err != nil {
			return err
		}
		return s.auditVote(tx, p, v, "vote.base_change", map[string]any{"from": v.PercentageBase, "to": in.Base,
			"number": in.Number, "date": in.Date})
	})
}

// SetSignedIssuance records the count of signatures on the signed list of delegates receiving a ballot
// (a board member): the count cannot be certified while it differs from the ballots issued.
func (s *Store) SetSignedIssuance(ctx context.Context, p auth.Principal, id string, in vote.SignedIssuanceInput) (vote.Vote, error) {
	return s.actVote(ctx, p, id, vote.ActSignedIssuance, func(tx *gorm.DB, v vote.Vote, row voteRow) error {
		if err := setVote(tx, id, map[string]any{"signed_issuance": in.Count}); err != nil {
			return err
		}
		return s.auditVote(tx, p, v, "vote.signed_issuance", map[string]any{"signatures": in.Count, "ballots_issued": row.BallotsIssued})
	})
}

// Recount reopens a certified (or published) count on the council's decision (the board head): the
// certifications and the announcement are withdrawn and done again; a published resolution is kept as
// it was, superseded by the one the council adopts after the recount, which says so.
func (s *Store) Recount(ctx context.Context, p auth.Principal, id string, in vote.RecountInput) (vote.Vote, error) {
	return s.actVote(ctx, p, id, vote.ActRecount, func(tx *gorm.DB, v vote.Vote, row voteRow) error {
		if err := s.insertDecision(tx, p, id, vote.DecisionRecount, in.Number, in.Date, "", in.Reason); err != nil {
			return err
		}
		if v.Status == vote.Published {
			round := len(v.Superseded) + 1
			if err := tx.Exec(`INSERT INTO superseded_resolutions (vote_id, round, resolution_number, adopted_on, fingerprint, superseded_at)
				VALUES (?, ?, ?, ?, ?, ?)`, id, round, deref(row.ResolutionNumber), deref(row.AdoptedOn), deref(row.ResolutionFingerprint), s.clock()).Error; err != nil {
				return err
			}
			if err := tx.Exec("UPDATE vote_documents SET name = ? || name WHERE vote_id = ? AND name NOT LIKE 'superseded-%'",
				fmt.Sprintf("superseded-%d/", round), id).Error; err != nil {
				return err
			}
		}
		if err := tx.Where("vote_id = ?", id).Delete(&certificationRow{}).Error; err != nil {
			return err
		}
		if err := tx.Model(&boardRow{}).Where("vote_id = ?", id).Update("absent", false).Error; err != nil {
			return err
		}
		if err := setVote(tx, id, map[string]any{"status": string(vote.Closed), "tally": nil, "tally_hash": nil, "certified_at": nil,
			"announced_at": nil, "resolution_number": nil, "adopted_on": nil, "portal_posted_on": nil, "published_at": nil,
			"resolution_fingerprint": nil}); err != nil {
			return err
		}
		return s.auditVote(tx, p, v, "vote.recount", map[string]any{"number": in.Number, "date": in.Date, "reason": in.Reason,
			"from": v.Status, "tally_hash": v.TallyHash, "resolution_number": v.ResolutionNumber})
	})
}

func loadSuperseded(tx *gorm.DB, voteID string) ([]vote.SupersededResolution, error) {
	var rows []struct {
		Round            int
		ResolutionNumber string
		AdoptedOn        string
		Fingerprint      string
		SupersededAt     time.Time
	}
	if err := tx.Raw(`SELECT round, resolution_number, adopted_on, fingerprint, superseded_at FROM superseded_resolutions
		WHERE vote_id = ? ORDER BY round`, voteID).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]vote.SupersededResolution, 0, len(rows))
	for _, r := range rows {
		day, err := civil.Parse(r.AdoptedOn)
		if err != nil {
			return nil, fmt.Errorf("store: superseded_resolutions.adopted_on: %w", err)
		}
		out = append(out, vote.SupersededResolution{Round: r.Round, ResolutionNumber: r.ResolutionNumber, AdoptedOn: day,
			Fingerprint: r.Fingerprint, SupersededAt: r.SupersededAt.UTC()})
	}
	return out, nil
}

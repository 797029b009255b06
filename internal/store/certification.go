package store

import (
	"context"
	"encoding/json"
	"strings"

	"gorm.io/gorm"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/audit"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/tally"
	"tinnhiem/internal/vote"
)

// Certification: each board member certifies the count they saw; absent members are recorded.

// Certify records a board member's certification of the tally they saw (quoting its hash). The count
// is certified, and its tally frozen, when every member present has certified and they are a majority
// of the board (vote.Certifications); members recorded absent are named in the minutes.
func (s *Store) Certify(ctx context.Context, p auth.Principal, id string, in vote.CertifyInput) (vote.Vote, error) {
	return s.actVote(ctx, p, id, vote.ActCertify, func(tx *gorm.DB, v vote.Vote, row voteRow) error {
		r, err := s.countBallots(tx, v, row)
		if err != nil {
			return err
		}
		if r.TallyHash != strings.ToLower(in.TallyHash) {
			return apperr.New(apperr.Conflict, "tally_hash_mismatch")
		}
		var anchor, statement *string
		if v.BallotMode == vote.ModeEncrypted {
			a, err := s.checkStatement(tx, p, v, r.TallyHash, in.Statement)
			if err != nil {
				return err
			}
			st := string(in.Statement)
			anchor, statement = &a, &st
		} else if in.Anchor != "" {
			a, err := audit.ParseAnchor(in.Anchor)
			if err != nil {
				return apperr.InvalidFields(apperr.Field("anchor", "invalid_anchor"))
			}
			if ok, err := onVoteChain(tx, id, a); err != nil || !ok {
				return firstErr(err, apperr.New(apperr.Conflict, "anchor_mismatch"))
			}
			as := a.String()
			anchor = &as
		}
		if anchor != nil { // every member signs the one anchor the first certification fixed (the record checks it)
			first, err := certificationAnchor(tx, id)
			if err != nil {
				return err
			}
			if first != "" && first != *anchor {
				return apperr.New(apperr.Conflict, "anchor_not_the_certified_one").With("anchor", first)
			}
		}
		if err := tx.Create(&certificationRow{VoteID: id, UserID: p.UserID, TallyHash: r.TallyHash, CertifiedAt: s.clock(), Anchor: anchor,
			Statement: statement}).Error; err != nil {
			return err
		}
		if err := tx.Model(&boardRow{}).Where("vote_id = ? AND user_id = ?", id, p.UserID).Update("absent", false).Error; err != nil {
			return err
		}
		summary := map[string]any{"tally_hash": r.TallyHash}
		if anchor != nil {
			summary["anchor"] = *anchor
		}
		if err := s.auditVote(tx, p, v, "vote.certify", summary); err != nil {
			return err
		}
		board := withMember(v.Board, p.UserID, func(m *vote.Member) { m.Certified, m.Absent = true, false })
		return s.finishCertification(tx, p, v, board, &r)
	})
}

// withMember returns a copy of the board with one member changed.
func withMember(board []vote.Member, userID string, change func(*vote.Member)) []vote.Member {
	out := append([]vote.Member(nil), board...)
	for i := range out {
		if out[i].UserID == userID {
			change(&out[i])
		}
	}
	return out
}

// finishCertification certifies the count when the rule says it is done: the tally is frozen with its
// hash. r is the tally when the caller has counted it already.
func (s *Store) finishCertification(tx *gorm.DB, p auth.Principal, v vote.Vote, board []vote.Member, r *tally.Result) error {
	c := vote.Certifications(board)
	if !c.Done {
		return nil
	}
	if r == nil {
		_, row, err := s.loadVote(tx, v.ID, false)
		if err != nil {
			return err
		}
		counted, err := s.countBallots(tx, v, row)
		if err != nil {
			return err
		}
		r = &counted
	}
	frozen, err := json.Marshal(r)
	if err != nil {
		return err
	}
	if err := setVote(tx, v.ID, map[string]any{"status": string(vote.Certified), "tally": string(frozen), "tally_hash": r.TallyHash,
		"certified_at": s.clock()}); err != nil {
		return err
	}
	return s.auditVote(tx, p, v, "vote.certified", map[string]any{"tally_hash": r.TallyHash, "board": len(board),
		"certified": c.Certified, "absent": c.Absent})
}

// MarkAbsent records a board member absent from the count (another member of the board): the count
// can then be certified without them, by a majority of the board; an absent member who comes back
// certifies as usual.
func (s *Store) MarkAbsent(ctx context.Context, p auth.Principal, id string, in vote.AbsentInput) (vote.Vote, error) {
	return s.actVote(ctx, p, id, vote.ActMarkAbsent, func(tx *gorm.DB, v vote.Vote, _ voteRow) error {
		if in.UserID == p.UserID {
			return vote.ErrAbsentSelf
		}
		var target *vote.Member
		for i := range v.Board {
			if v.Board[i].UserID == in.UserID {
				target = &v.Board[i]
			}
		}
		switch {
		case target == nil:
			return apperr.InvalidFields(apperr.Field("user_id", "not_board_member"))
		case target.Certified:
			return apperr.New(apperr.Conflict, "already_certified")
		}
		if err := tx.Model(&boardRow{}).Where("vote_id = ? AND user_id = ?", id, in.UserID).Update("absent", true).Error; err != nil {
			return err
		}
		if err := s.auditVote(tx, p, v, "vote.board_absent", map[string]any{"member": target.FullName, "user_id": in.UserID}); err != nil {
			return err
		}
		board := withMember(v.Board, in.UserID, func(m *vote.Member) { m.Absent = true })
		return s.finishCertification(tx, p, v, board, nil)
	})
}

// certificationAnchor is the audit anchor the vote's certifications sign: the one the first
// certification quoted ("" before any). Every later certification must quote the same, so the count's
// certifications all attest one prefix of the vote's log (the events that certifying appends come
// after it).
func certificationAnchor(tx *gorm.DB, voteID string) (string, error) {
	var anchors []string
	err := tx.Model(&certificationRow{}).Where("vote_id = ? AND anchor IS NOT NULL", voteID).Order("certified_at").Limit(1).Pluck("anchor", &anchors).Error
	if err != nil || len(anchors) == 0 {
		return "", err
	}
	return anchors[0], nil
}

package store

import (
	"context"
	"encoding/hex"

	"gorm.io/gorm"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/protocol"
	"tinnhiem/internal/vote"
)

// OpenVote opens a draft (the board head): T is fixed from the roster on the vote date, and with it
// the number of codes the vote may ever have.
func (s *Store) OpenVote(ctx context.Context, p auth.Principal, id string) (vote.Vote, error) {
	out, err := s.actVote(ctx, p, id, vote.ActOpen, func(tx *gorm.DB, v vote.Vote, row voteRow) error {
		if len(v.Board) < vote.MinBoard {
			return apperr.New(apperr.Conflict, "board_required").With("min", vote.MinBoard)
		}
		if today := s.state(v, row).Today; today.Before(v.VoteDate) {
			return apperr.New(apperr.Conflict, "vote_date_future").With("date", v.VoteDate.String())
		}
		if err := s.createBallotSide(tx, id); err != nil {
			return err
		}
		total, err := countInOffice(tx, v.CouncilID, v.VoteDate)
		if err != nil {
			return err
		}
		if total == 0 {
			return apperr.New(apperr.Conflict, "no_delegates")
		}
		limit := max(total+s.codeSpares, row.CodesGenerated)
		set := map[string]any{"status": string(vote.Open), "total_delegates": total, "code_limit": limit, "opened_at": s.clock()}
		summary := map[string]any{"total_delegates": total, "code_limit": limit}
		if s.frontend != "" { // the build that serves the kiosks and the board's pages from now on
			set["frontend_hash"], summary["frontend_hash"] = s.frontend, s.frontend
		}
		if v.BallotMode == vote.ModeEncrypted {
			// What every kiosk encrypts under, fixed now: the board's joint key, the levels, the radix
			// (no count can reach the credential limit + 1), the subjects in ballot order.
			c, err := s.loadCeremony(tx, v.CeremonyID, false)
			if err != nil {
				return err
			}
			m, err := manifestOf(v, deref(c.row.GroupKey), limit)
			if err != nil {
				return protocolErr(err)
			}
			raw, err := m.MarshalJSON()
			if err != nil {
				return err
			}
			set["manifest"] = string(raw)
			summary["vote_fingerprint"] = m.Fingerprint()
		}
		if err := setVote(tx, id, set); err != nil {
			return err
		}
		return s.auditVote(tx, p, v, "vote.open", summary)
	})
	s.casts.invalidate() // after the commit: the next cast sees the vote open
	return out, err
}

// CloseVote closes an open vote (the board head). The vote row is locked, so no cast commits after
// it; the ballot box is sealed (ballotside.go: its rows moved, sorted, out of the live tables, which
// are dropped), checked against the cast counter, and the database's log is wiped after the commit.
// The audit log gets the number of ballots and a hash of the ballot set.
func (s *Store) CloseVote(ctx context.Context, p auth.Principal, id string) (vote.Vote, error) {
	_, err := s.actVote(ctx, p, id, vote.ActClose, func(tx *gorm.DB, v vote.Vote, row voteRow) error {
		moved, err := s.sealBallotSide(tx, id)
		if err != nil {
			return err
		}
		cast := moved["live_ballots_"] + moved["live_eballots_"]
		if cast != row.BallotsCast || (v.BallotMode == vote.ModePlain && moved["live_receipts_"] != row.BallotsCast) {
			return apperr.Wrap(errString("the ballot count differs from the cast counter"), "close vote")
		}
		set := map[string]any{"status": string(vote.Closed), "closed_at": s.clock()}
		summary := map[string]any{"ballots": row.BallotsCast, "ballots_issued": row.BallotsIssued, "codes": row.codeFigures()}
		if v.BallotMode == vote.ModeEncrypted {
			// The encrypted sums the board decrypts; the ballots stay sealed as they were cast.
			sums, n, err := sumsOf(tx, id, len(v.Subjects))
			if err != nil {
				return err
			}
			if n != row.BallotsCast {
				return apperr.Wrap(errString("the sealed ballots differ from the cast counter"), "close vote")
			}
			h := protocol.SumsHash(id, sums)
			set["sums"] = string(protocol.SumsJSON(sums))
			summary["sums_hash"] = hex.EncodeToString(h[:])
		} else {
			hash, err := ballotsHash(tx, id, row.key())
			if err != nil {
				return err
			}
			set["ballots_hash"] = hash
			summary["ballots_hash"] = hash
		}
		if err := setVote(tx, id, set); err != nil {
			return err
		}
		return s.auditVote(tx, p, v, "vote.close", summary)
	})
	s.casts.invalidate() // after the commit
	if err != nil {
		return vote.Vote{}, err
	}
	// The close has committed; a wipe still pending is reported on the vote (and retried), not as a
	// failed close.
	_ = s.wipe(ctx, id) // its failure is recorded in the vote's wipe_pending, which the answer carries
	return s.GetVote(ctx, p, id)
}

// CancelVote cancels a vote with the reason. A draft is the secretariat's to cancel; an open vote
// the secretariat's or the board head's. A closed vote is cancelled by its board: at once when the
// count cannot be certified (the quorum not met), otherwise once a majority of the board has confirmed,
// each in their own session (this call records one confirmation). The ballots of a cancelled vote are
// never counted: they, their receipts and their codes are dropped, so nothing of them remains.
func (s *Store) CancelVote(ctx context.Context, p auth.Principal, id string, in vote.CancelInput) (vote.Vote, error) {
	cancelled := false
	out, err := s.actVote(ctx, p, id, vote.ActCancel, func(tx *gorm.DB, v vote.Vote, row voteRow) error {
		if v.Status == vote.Closed {
			if err := tx.Create(&cancelRow{VoteID: id, UserID: p.UserID, Reason: in.Reason, ConfirmedAt: s.clock()}).Error; err != nil {
				return err
			}
			confirmations := len(v.CancelConfirmations) + 1
			if !vote.CancelDone(s.state(v, row), confirmations) {
				return s.auditVote(tx, p, v, "vote.cancel_confirm", map[string]any{"reason": in.Reason, "confirmations": confirmations,
					"board": len(v.Board)})
			}
		}
		if err := dropBallotSide(tx, id, v.Status == vote.Closed); err != nil {
			return err
		}
		if err := dropPaperBatches(tx, id); err != nil {
			return err
		}
		if err := setVote(tx, id, map[string]any{"status": string(vote.Cancelled), "cancel_reason": in.Reason}); err != nil {
			return err
		}
		cancelled = true
		return s.auditVote(tx, p, v, "vote.cancel", map[string]any{"reason": in.Reason, "from": v.Status,
			"ballots_discarded": row.BallotsCast, "confirmations": len(v.CancelConfirmations) + 1})
	})
	s.casts.invalidate()
	if err != nil || !cancelled {
		return out, err
	}
	_ = s.wipe(ctx, id) // recorded in wipe_pending on failure
	return s.GetVote(ctx, p, id)
}

// Turnout returns the counts of a vote (its council's staff).
func (s *Store) Turnout(ctx context.Context, p auth.Principal, id string) (vote.Turnout, error) {
	var row voteRow
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return vote.Turnout{}, voteOrNotFound(notFound(err, "vote_not_found"))
	}
	if !p.InCouncil(row.CouncilID) {
		return vote.Turnout{}, vote.ErrNotFound
	}
	return row.turnout(), nil
}

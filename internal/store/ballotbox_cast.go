package store

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/ballot"
	"tinnhiem/internal/vote"
)

// The ballot box, part three: casting with a one-time code, no login.

// errRetrySpend is an internal signal: the code was spent by a concurrent cast; look again.
var errRetrySpend = errString("code spent concurrently")

// CastBallot spends a one-time code of an open vote and stores the ballot: one transaction, in which
// the vote row is locked first (no cast commits after the close, which drops the live tables), the
// code is spent by a conditional update that must hit exactly one row, and the ballot is written to
// the vote's live tables with a random id, its receipt apart: no time, no request data, nothing
// referring to the code or an issuance. A retry of the identical submission with the same code
// returns the original receipt; anything else with a spent code is a conflict.
func (s *Store) CastBallot(ctx context.Context, in vote.CastInput) (vote.Receipt, error) {
	code, err := parseCode(in.Code)
	if err != nil {
		return vote.Receipt{}, err
	}
	cv, err := s.routeCode(ctx, code)
	if err != nil {
		return vote.Receipt{}, err
	}
	marks, err := ballot.Encode(cv.kind, cv.subjects, in.Choices)
	if err != nil {
		return vote.Receipt{}, err
	}
	for attempt := 0; ; attempt++ {
		r, err := s.castOnce(ctx, cv.id, code, marks)
		if errors.Is(err, errRetrySpend) && attempt < 3 {
			continue
		}
		return r, err
	}
}

// routeCode finds the vote a code belongs to, or says precisely why it cannot be used: a code of a
// vote not yet open or already closed, one spent before the close (a kiosk whose answer was lost at
// the close must not tell the delegate the vote failed), or no code at all.
func (s *Store) routeCode(ctx context.Context, code string) (castVote, error) {
	db := s.db.WithContext(ctx)
	codeID := ballot.CodeID(code)
	var route codeRoute
	err := db.Where("code_id = ?", codeID).Take(&route).Error
	if err == nil {
		cv, err := s.castVote(ctx, route.VoteID)
		if err != nil {
			return castVote{}, err
		}
		if cv.status != vote.Open {
			return castVote{}, apperr.New(apperr.Conflict, "vote_not_open")
		}
		return cv, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return castVote{}, dbErr(err)
	}
	var states []string
	for _, state := range []string{"spent", "void"} {
		var n int64
		if err := db.Table("sealed_codes").Where("digest = ?", ballot.SealedDigest(codeID, state)).Count(&n).Error; err != nil {
			return castVote{}, dbErr(err)
		}
		if n > 0 {
			states = append(states, state)
		}
	}
	switch {
	case len(states) > 0 && states[0] == "spent":
		return castVote{}, apperr.New(apperr.Conflict, "code_spent_recorded")
	case len(states) > 0:
		return castVote{}, apperr.New(apperr.Conflict, "vote_not_open")
	}
	return castVote{}, apperr.New(apperr.NotFound, "code_unknown")
}

// LookupCode returns the ballot an unspent code of an open vote opens, without spending it: the
// kiosk shows the ballot only for a code that can be cast.
func (s *Store) LookupCode(ctx context.Context, raw string) (vote.Ballot, error) {
	code, err := parseCode(raw)
	if err != nil {
		return vote.Ballot{}, err
	}
	cv, err := s.routeCode(ctx, code)
	if err != nil {
		return vote.Ballot{}, err
	}
	var out vote.Ballot
	err = s.transact(ctx, func(tx *gorm.DB) error {
		// The vote row first, shared: the close (which drops the live tables) waits for this read.
		v, _, err := s.loadVote(tx, cv.id, false)
		if err != nil {
			return err
		}
		if s.dialect == Postgres {
			if err := tx.Exec("SELECT 1 FROM votes WHERE id = ? AND status = ? FOR SHARE", cv.id, string(vote.Open)).Error; err != nil {
				return err
			}
		}
		if v.Status != vote.Open {
			return apperr.New(apperr.Conflict, "vote_not_open")
		}
		var c liveCode
		if err := tx.Table(liveCodes(cv.id)).Where("code_id = ?", ballot.CodeID(code)).Take(&c).Error; err != nil {
			return notFound(err, "code_unknown")
		}
		switch c.State {
		case "void":
			return apperr.New(apperr.Conflict, "code_void")
		case "spent":
			return apperr.New(apperr.Conflict, "code_spent")
		}
		// Every ballot the board recorded as handed out is cast already: the delegate is told before
		// marking the whole ballot that the board must first record theirs.
		if v.Turnout.BallotsCast >= v.Turnout.BallotsIssued {
			return apperr.New(apperr.Conflict, "no_ballot_issued")
		}
		var council councilRow
		if err := tx.Where("id = ?", v.CouncilID).Take(&council).Error; err != nil {
			return err
		}
		out = vote.BallotOf(v, council.Name)
		return nil
	})
	return out, err
}

func (s *Store) castOnce(ctx context.Context, voteID, code, marks string) (vote.Receipt, error) {
	codeID := ballot.CodeID(code)
	tag := ballot.RetryTag(code, marks)
	receipt := ballot.NewReceipt()
	var replayed *vote.Receipt
	err := s.transact(ctx, func(tx *gorm.DB) error {
		// The vote row first: this both checks the vote is open and serialises with the close.
		res := tx.Model(&voteRow{}).Where("id = ? AND status = ? AND ballots_cast < ballots_issued", voteID, string(vote.Open)).
			Update("ballots_cast", gorm.Expr("ballots_cast + 1"))
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			var now voteRow
			if err := tx.Select("status").Where("id = ?", voteID).Take(&now).Error; err != nil {
				return err
			}
			if now.Status != string(vote.Open) {
				return apperr.New(apperr.Conflict, "vote_not_open")
			}
			// Every issued ballot is cast already; a retry of one of them still gets its receipt.
			r, err := s.replayIn(tx, voteID, codeID, code, tag)
			switch {
			case err == nil:
				replayed = &r
				return errReplay
			case errors.Is(err, errRetrySpend), apperr.IsKind(err, apperr.NotFound):
				return apperr.New(apperr.Conflict, "no_ballot_issued")
			}
			return err
		}
		sealed := ballot.SealReceipt(code, receipt)
		res = tx.Table(liveCodes(voteID)).Where("code_id = ? AND state = ?", codeID, "unused").
			Updates(map[string]any{"state": "spent", "retry_tag": tag, "sealed_receipt": sealed})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			r, err := s.replayIn(tx, voteID, codeID, code, tag)
			if err != nil {
				return err
			}
			replayed = &r
			return errReplay // roll the counter back
		}
		if err := tx.Exec("INSERT INTO "+liveBallots(voteID)+" (id, marks, valid) VALUES (?, ?, ?)", newID(), marks, true).Error; err != nil {
			return err
		}
		// The receipt goes to its own table: nothing links it to the ballot. A collision of two
		// 40-bit receipts aborts the cast; the kiosk's retry then makes a new one.
		return tx.Exec("INSERT INTO "+liveReceipts(voteID)+" (receipt) VALUES (?)", receipt).Error
	})
	if errors.Is(err, errReplay) {
		return *replayed, nil
	}
	if err != nil {
		return vote.Receipt{}, err
	}
	return vote.Receipt{Receipt: receipt, VoteID: voteID}, nil
}

// errReplay rolls back a cast that turned out to be the retry of one already recorded.
var errReplay = errString("a retry of a recorded cast")

// replayIn answers a cast whose code is not unused: the original receipt for the identical
// submission, a conflict for anything else, and "look again" when the code was unused a moment ago.
func (s *Store) replayIn(tx *gorm.DB, voteID, codeID, code, tag string) (vote.Receipt, error) {
	var c liveCode
	if err := tx.Table(liveCodes(voteID)).Where("code_id = ?", codeID).Take(&c).Error; err != nil {
		return vote.Receipt{}, notFound(err, "code_unknown")
	}
	switch c.State {
	case "void":
		return vote.Receipt{}, apperr.New(apperr.Conflict, "code_void")
	case "unused":
		return vote.Receipt{}, errRetrySpend
	}
	if c.RetryTag == nil || c.SealedReceipt == nil || *c.RetryTag != tag {
		return vote.Receipt{}, apperr.New(apperr.Conflict, "code_spent")
	}
	receipt, err := ballot.OpenReceipt(code, *c.SealedReceipt)
	if err != nil {
		return vote.Receipt{}, apperr.Wrap(err, "open receipt")
	}
	return vote.Receipt{Receipt: receipt, VoteID: voteID, Replay: true}, nil
}

// PracticeBallot is the practice ballot of a registered kiosk's vote, before or while it is open: the
// real layout and names, for the board to show the hall how to vote. Nothing of it is ever sent back.
func (s *Store) PracticeBallot(ctx context.Context, token string) (vote.Ballot, error) {
	db := s.db.WithContext(ctx)
	var d deviceRow
	if err := db.Where("token_hash = ? AND revoked_at IS NULL", tokenDigest(token)).Take(&d).Error; err != nil {
		return vote.Ballot{}, notFound(err, "device_not_found")
	}
	v, _, err := s.loadVote(db, d.VoteID, false)
	if err != nil {
		return vote.Ballot{}, dbErr(err)
	}
	if v.Status != vote.Draft && v.Status != vote.Open {
		return vote.Ballot{}, apperr.New(apperr.Conflict, "vote_not_open")
	}
	var council councilRow
	if err := db.Where("id = ?", v.CouncilID).Take(&council).Error; err != nil {
		return vote.Ballot{}, dbErr(err)
	}
	b := vote.BallotOf(v, council.Name)
	b.Practice = true
	return b, nil
}

package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"

	"gorm.io/gorm"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/audit"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/ballot"
	"tinnhiem/internal/vote"
)

// GenerateCodes makes a batch of one-time codes (a board member of the vote, while the vote is a draft
// or open) and returns them in plaintext this once: only their keyed hashes are stored. The total
// stays within T plus the configured spares.
func (s *Store) GenerateCodes(ctx context.Context, p auth.Principal, id string, in vote.CodesInput) ([]string, error) {
	var codes []string
	err := s.onVote(ctx, id, func(v vote.Vote) error { return notBoard(v.CanOperate(p)) }, statuses(vote.Draft, vote.Open), func(tx *gorm.DB, v vote.Vote, row voteRow) error {
		limit := 0
		if row.CodeLimit != nil {
			limit = *row.CodeLimit
		} else { // a draft: T as the roster stands on the vote date
			total, err := countInOffice(tx, v.CouncilID, v.VoteDate)
			if err != nil {
				return err
			}
			limit = total + s.codeSpares
		}
		if row.CodesGenerated+in.Count > limit {
			return apperr.New(apperr.Conflict, "code_limit").With("spares", s.codeSpares).With("remaining", max(0, limit-row.CodesGenerated))
		}
		key := row.key()
		codes = make([]string, in.Count)
		rows := make([]codeRow, in.Count)
		for i := range codes {
			codes[i] = ballot.NewCode()
			rows[i] = codeRow{VoteID: id, CodeHash: ballot.Hash(key, codes[i]), State: "unused"}
		}
		if err := tx.CreateInBatches(&rows, 500).Error; err != nil {
			return err
		}
		if err := tx.Model(&voteRow{}).Where("id = ?", id).Update("codes_generated", gorm.Expr("codes_generated + ?", in.Count)).Error; err != nil {
			return err
		}
		return s.appendAudit(tx, p, audit.Entry{Action: "vote.codes_generate", ObjectType: "vote", ObjectID: id, CouncilID: v.CouncilID, VoteID: id,
			Summary: map[string]any{"count": in.Count, "codes_generated": row.CodesGenerated + in.Count}})
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

func notBoard(err error) error {
	if apperr.IsKind(err, apperr.Forbidden) {
		return apperr.New(apperr.Forbidden, "not_board_member")
	}
	return err
}

// VoidCode voids an unused code (a spoiled slip handed back to the board).
func (s *Store) VoidCode(ctx context.Context, p auth.Principal, id string, in vote.CodeInput) (vote.Turnout, error) {
	code, err := parseCode(in.Code)
	if err != nil {
		return vote.Turnout{}, err
	}
	var out vote.Turnout
	err = s.onVote(ctx, id, func(v vote.Vote) error { return notBoard(v.CanOperate(p)) }, statuses(vote.Draft, vote.Open), func(tx *gorm.DB, v vote.Vote, row voteRow) error {
		hash := ballot.Hash(row.key(), code)
		res := tx.Model(&codeRow{}).Where("vote_id = ? AND code_hash = ? AND state = ?", id, hash, "unused").Update("state", "void")
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			var c codeRow
			if err := tx.Where("vote_id = ? AND code_hash = ?", id, hash).Take(&c).Error; err != nil {
				return notFound(err, "code_unknown")
			}
			return apperr.New(apperr.Conflict, "code_"+c.State)
		}
		if err := tx.Model(&voteRow{}).Where("id = ?", id).Update("codes_voided", gorm.Expr("codes_voided + 1")).Error; err != nil {
			return err
		}
		out = row.turnout()
		out.CodesVoided++
		return s.appendAudit(tx, p, audit.Entry{Action: "vote.code_void", ObjectType: "vote", ObjectID: id, CouncilID: v.CouncilID, VoteID: id,
			Summary: map[string]any{"codes_voided": out.CodesVoided}})
	})
	return out, err
}

func parseCode(raw string) (string, error) {
	code, err := ballot.ParseCode(raw)
	switch {
	case errors.Is(err, ballot.ErrCodeCheck):
		return "", apperr.InvalidFields(apperr.Field("code", "code_checksum"))
	case err != nil:
		return "", apperr.InvalidFields(apperr.Field("code", "code_malformed"))
	}
	return code, nil
}

// IssueBallot records that a delegate received a ballot (attendance): once per delegate, a delegate
// of the council in office on the vote date, never more than T. The record names no code.
func (s *Store) IssueBallot(ctx context.Context, p auth.Principal, id string, in vote.IssueInput) (vote.Turnout, error) {
	var out vote.Turnout
	err := s.onVote(ctx, id, func(v vote.Vote) error { return notBoard(v.CanOperate(p)) }, statuses(vote.Open), func(tx *gorm.DB, v vote.Vote, row voteRow) error {
		var d delegateRow
		if err := tx.Where("id = ? AND council_id = ?", in.DelegateID, v.CouncilID).Take(&d).Error; err != nil || !d.toDomain().InOffice(v.VoteDate) {
			return apperr.InvalidFields(apperr.Field("delegate_id", "delegate_not_in_office"))
		}
		var n int64
		if err := tx.Model(&issuanceRow{}).Where("vote_id = ? AND delegate_id = ?", id, in.DelegateID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return apperr.New(apperr.Conflict, "already_issued")
		}
		if row.BallotsIssued >= row.turnout().TotalDelegates {
			return apperr.New(apperr.Conflict, "all_issued")
		}
		if err := tx.Create(&issuanceRow{VoteID: id, DelegateID: in.DelegateID}).Error; err != nil {
			if isUnique(err) {
				return apperr.New(apperr.Conflict, "already_issued")
			}
			return err
		}
		if err := tx.Model(&voteRow{}).Where("id = ?", id).Update("ballots_issued", gorm.Expr("ballots_issued + 1")).Error; err != nil {
			return err
		}
		out = row.turnout()
		out.BallotsIssued++
		return s.appendAudit(tx, p, audit.Entry{Action: "vote.issue", ObjectType: "delegate", ObjectID: d.ID, CouncilID: v.CouncilID, VoteID: id,
			Summary: map[string]any{"delegate": d.FullName, "code": d.Code, "ballots_issued": out.BallotsIssued}})
	})
	return out, err
}

// ListIssuances returns the delegates who received a ballot (for the board's attendance list).
func (s *Store) ListIssuances(ctx context.Context, p auth.Principal, id string) ([]string, error) {
	if _, _, err := s.readVote(ctx, p, id); err != nil {
		return nil, err
	}
	var ids []string
	if err := s.db.WithContext(ctx).Model(&issuanceRow{}).Where("vote_id = ?", id).Order("delegate_id").Pluck("delegate_id", &ids).Error; err != nil {
		return nil, dbErr(err)
	}
	if ids == nil {
		ids = []string{}
	}
	return ids, nil
}

// errRetrySpend is an internal signal: the code was spent by a concurrent cast; look again.
var errRetrySpend = errString("code spent concurrently")

// CastBallot spends a one-time code of an open vote and stores the ballot: one transaction, in which
// the vote row is locked (no cast commits after the close), the code is spent by a conditional update
// that must hit exactly one row, and the ballot is written with a random id, its receipt and its marks:
// no time, no request data, nothing referring to the code or an issuance. A retry of the identical
// submission with the same code returns the original receipt; anything else with a spent code is a
// conflict.
func (s *Store) CastBallot(ctx context.Context, in vote.CastInput) (vote.Receipt, error) {
	code, err := parseCode(in.Code)
	if err != nil {
		return vote.Receipt{}, err
	}
	for attempt := 0; ; attempt++ {
		r, err := s.castOnce(ctx, code, in.Choices)
		if errors.Is(err, errRetrySpend) && attempt < 3 {
			continue
		}
		return r, err
	}
}

// findCode finds the vote a code belongs to among the open votes (codes are hashed under each vote's
// own key), or says why it cannot be used.
func (s *Store) findCode(ctx context.Context, code string) (castVote, codeRow, error) {
	db := s.db.WithContext(ctx)
	for attempt := 0; attempt < 2; attempt++ {
		if attempt == 1 { // not found: the list may predate a vote opened by another process
			s.casts.invalidate()
		}
		open, err := s.openVotes(ctx)
		if err != nil {
			return castVote{}, codeRow{}, err
		}
		for _, v := range open {
			var c codeRow
			err := db.Where("vote_id = ? AND code_hash = ?", v.id, ballot.Hash(v.key, code)).Take(&c).Error
			if err == nil {
				return v, c, nil
			}
			if !errors.Is(err, gorm.ErrRecordNotFound) {
				return castVote{}, codeRow{}, dbErr(err)
			}
		}
	}
	// Not in an open vote: say so precisely when it is a code of a recent vote no longer (or not yet)
	// open; a code spent before the close is told its ballot was recorded (a kiosk whose answer was
	// lost at the close must not tell the delegate the vote failed).
	var others []voteRow
	if err := db.Select("id, code_key").Where("status <> ?", string(vote.Open)).Order("created_at DESC").Limit(50).Find(&others).Error; err != nil {
		return castVote{}, codeRow{}, dbErr(err)
	}
	for _, v := range others {
		var c codeRow
		err := db.Select("state").Where("vote_id = ? AND code_hash = ?", v.ID, ballot.Hash(v.key(), code)).Take(&c).Error
		if err == nil {
			if c.State == "spent" {
				return castVote{}, codeRow{}, apperr.New(apperr.Conflict, "code_spent_recorded")
			}
			return castVote{}, codeRow{}, apperr.New(apperr.Conflict, "vote_not_open")
		}
		if !errors.Is(err, gorm.ErrRecordNotFound) {
			return castVote{}, codeRow{}, dbErr(err)
		}
	}
	return castVote{}, codeRow{}, apperr.New(apperr.NotFound, "code_unknown")
}

// LookupCode returns the ballot an unspent code of an open vote opens, without spending it: the
// kiosk shows the ballot only for a code that can be cast.
func (s *Store) LookupCode(ctx context.Context, raw string) (vote.Ballot, error) {
	code, err := parseCode(raw)
	if err != nil {
		return vote.Ballot{}, err
	}
	row, c, err := s.findCode(ctx, code)
	if err != nil {
		return vote.Ballot{}, err
	}
	switch c.State {
	case "void":
		return vote.Ballot{}, apperr.New(apperr.Conflict, "code_void")
	case "spent":
		return vote.Ballot{}, apperr.New(apperr.Conflict, "code_spent")
	}
	db := s.db.WithContext(ctx)
	v, _, err := s.loadVote(db, row.id, false)
	if err != nil {
		return vote.Ballot{}, dbErr(err)
	}
	var council councilRow
	if err := db.Where("id = ?", v.CouncilID).Take(&council).Error; err != nil {
		return vote.Ballot{}, dbErr(err)
	}
	b := vote.Ballot{VoteID: v.ID, Council: council.Name, Kind: v.Kind, Title: v.Title, SessionName: v.SessionName,
		Levels: v.Kind.Levels(), BallotGroups: v.BallotGroups, Subjects: make([]vote.BallotSubject, len(v.Subjects))}
	for i, sub := range v.Subjects {
		b.Subjects[i] = vote.BallotSubject{OfficialID: sub.OfficialID, FullName: sub.FullName, Positions: sub.Positions, BallotGroup: sub.BallotGroup}
	}
	return b, nil
}

func (s *Store) castOnce(ctx context.Context, code string, choices []ballot.Choice) (vote.Receipt, error) {
	row, c, err := s.findCode(ctx, code)
	if err != nil {
		return vote.Receipt{}, err
	}
	marks, err := ballot.Encode(row.kind, row.subjects, choices)
	if err != nil {
		return vote.Receipt{}, err
	}
	tag := ballot.RetryTag(code, marks)
	switch c.State {
	case "void":
		return vote.Receipt{}, apperr.New(apperr.Conflict, "code_void")
	case "spent":
		return replay(code, c, tag, row.id)
	}
	receipt := ballot.NewReceipt()
	err = s.transact(ctx, func(tx *gorm.DB) error {
		// The vote row first: this both checks the vote is open and serialises with the close.
		res := tx.Model(&voteRow{}).Where("id = ? AND status = ? AND ballots_cast < ballots_issued", row.id, string(vote.Open)).
			Update("ballots_cast", gorm.Expr("ballots_cast + 1"))
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			var now voteRow
			if err := tx.Select("status").Where("id = ?", row.id).Take(&now).Error; err != nil {
				return err
			}
			if now.Status != string(vote.Open) {
				return apperr.New(apperr.Conflict, "vote_not_open")
			}
			return apperr.New(apperr.Conflict, "no_ballot_issued")
		}
		sealed := ballot.SealReceipt(code, receipt)
		res = tx.Model(&codeRow{}).Where("vote_id = ? AND code_hash = ? AND state = ?", row.id, c.CodeHash, "unused").
			Updates(map[string]any{"state": "spent", "retry_tag": tag, "sealed_receipt": sealed})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return errRetrySpend // spent or voided meanwhile: roll back and look again
		}
		if err := tx.Create(&ballotRow{VoteID: row.id, ID: newID(), Marks: marks, Valid: true}).Error; err != nil {
			return err
		}
		// The receipt goes to its own table: nothing links it to the ballot. A collision of two
		// 40-bit receipts aborts the cast; the kiosk's retry then makes a new one.
		return tx.Create(&receiptRow{VoteID: row.id, Receipt: receipt}).Error
	})
	if err != nil {
		return vote.Receipt{}, err
	}
	return vote.Receipt{Receipt: receipt, VoteID: row.id}, nil
}

// replay answers a second submission with a spent code: the original receipt when it is the same
// submission, a conflict otherwise.
func replay(code string, c codeRow, tag, voteID string) (vote.Receipt, error) {
	if c.RetryTag == nil || c.SealedReceipt == nil || *c.RetryTag != tag {
		return vote.Receipt{}, apperr.New(apperr.Conflict, "code_spent")
	}
	receipt, err := ballot.OpenReceipt(code, *c.SealedReceipt)
	if err != nil {
		return vote.Receipt{}, apperr.Wrap(err, "open receipt")
	}
	return vote.Receipt{Receipt: receipt, VoteID: voteID, Replay: true}, nil
}

// CloseVote closes an open vote (board head or secretariat). The vote row is locked, so no cast
// commits after it; the ballot box is checked against the cast counter, then shaken: its rows are
// rewritten in random-id order, so neither their order nor their row versions keep the order of
// casting. The audit log gets the number of ballots and a hash of the ballot set.
func (s *Store) CloseVote(ctx context.Context, p auth.Principal, id string) (vote.Vote, error) {
	var out vote.Vote
	err := s.onVote(ctx, id, func(v vote.Vote) error { return v.CanRun(p) }, statuses(vote.Open), func(tx *gorm.DB, v vote.Vote, row voteRow) error {
		ballots, receipts, err := s.shake(tx, id)
		if err != nil {
			return err
		}
		if len(ballots) != row.BallotsCast || len(receipts) != row.BallotsCast {
			return apperr.Wrap(errString("ballot count differs from the cast counter"), "close vote")
		}
		hash := ballotsHash(row.key(), ballots, receipts)
		if err := tx.Model(&voteRow{}).Where("id = ?", id).Updates(map[string]any{"status": string(vote.Closed),
			"closed_at": s.clock(), "ballots_hash": hash}).Error; err != nil {
			return err
		}
		out, _, err = s.loadVote(tx, id, false)
		if err != nil {
			return err
		}
		return s.appendAudit(tx, p, audit.Entry{Action: "vote.close", ObjectType: "vote", ObjectID: id, CouncilID: v.CouncilID, VoteID: id,
			Summary: map[string]any{"ballots": len(ballots), "ballots_hash": hash, "ballots_issued": row.BallotsIssued}})
	})
	s.casts.invalidate() // after the commit
	if err == nil {
		s.scrub(ctx)
	}
	return out, err
}

// scrub removes what the database keeps of rewritten rows outside the tables: PostgreSQL's dead row
// versions (VACUUM), SQLite's write-ahead log (checkpointed and truncated). Best effort: a failure
// leaves the data to autovacuum and the next checkpoint. PostgreSQL's own WAL archive and backups are
// the operator's to protect (docs/SECURITY.md).
func (s *Store) scrub(ctx context.Context) {
	db := s.db.WithContext(ctx)
	if s.dialect == Postgres {
		_ = db.Exec("VACUUM ballots, receipts, ballot_codes").Error
		return
	}
	_ = db.Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error
}

// shake rewrites a closing vote's ballots (in id order, which is random), its receipts (in receipt
// order) and its codes (in hash order, their retry data erased: after the close nobody, not even a
// holder of a code, can find what it cast). Each table is rewritten on its own: no order, row version
// or transaction ties a ballot to a receipt or a code any more.
func (s *Store) shake(tx *gorm.DB, voteID string) ([]ballotRow, []receiptRow, error) {
	var ballots []ballotRow
	var receipts []receiptRow
	var codes []codeRow
	if err := tx.Where("vote_id = ?", voteID).Order("id").Find(&ballots).Error; err != nil {
		return nil, nil, err
	}
	if err := tx.Where("vote_id = ?", voteID).Order("receipt").Find(&receipts).Error; err != nil {
		return nil, nil, err
	}
	if err := tx.Where("vote_id = ?", voteID).Order("code_hash").Find(&codes).Error; err != nil {
		return nil, nil, err
	}
	for i := range codes {
		codes[i].RetryTag, codes[i].SealedReceipt = nil, nil
	}
	for _, model := range []any{&ballotRow{}, &receiptRow{}, &codeRow{}} {
		if err := tx.Where("vote_id = ?", voteID).Delete(model).Error; err != nil {
			return nil, nil, err
		}
	}
	for _, batch := range []any{&ballots, &receipts, &codes} {
		if err := tx.CreateInBatches(batch, 1000).Error; err != nil && !errors.Is(err, gorm.ErrEmptySlice) {
			return nil, nil, err
		}
	}
	return ballots, receipts, nil
}

// ballotsHash seals the closed ballot box for the audit log: a hash of the sorted receipts and a keyed
// hash (the vote's secret) of the sorted marks, taken apart, so that it cannot be used to match a
// receipt to its marks, and the marks cannot be guessed from the published counts.
func ballotsHash(key []byte, ballots []ballotRow, receipts []receiptRow) string {
	rs := make([]string, len(receipts))
	for i, r := range receipts {
		rs[i] = r.Receipt
	}
	ms := make([]string, len(ballots))
	for i, b := range ballots {
		ms[i] = fmt.Sprintf("%s %t", b.Marks, b.Valid)
	}
	sort.Strings(rs)
	sort.Strings(ms)
	rh := sha256.Sum256([]byte(strings.Join(rs, "\n")))
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(strings.Join(ms, "\n")))
	return hex.EncodeToString(rh[:]) + ":" + hex.EncodeToString(mac.Sum(nil))
}

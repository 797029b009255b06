package store

import (
	"context"
	"errors"
	"sort"
	"strings"

	"gorm.io/gorm"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/ballot"
	"tinnhiem/internal/vote"
)

// The ballot box, part three: casting with a one-time code, no login.

// errRetrySpend is an internal signal: a code changed under a batch that had read it; look again.
var errRetrySpend = errString("code spent concurrently")

// CastBallot spends a one-time code of an open vote and stores the ballot. The code is routed and the
// marks encoded first; then the cast joins its vote's next commit batch (groupcommit.go), one
// transaction for the casts ready together, in which the vote row is locked first (no cast commits
// after the close, which drops the live tables), each code is checked and spent by a conditional
// update whose result is checked code by code, and each ballot is written to the vote's live tables
// with a random id, its receipt apart: no time, no request data, nothing referring to the code or an
// issuance. A retry of the identical submission with the same code returns the original receipt;
// anything else with a spent code is a conflict. One cast refused in a batch (its code spent, voided
// or unknown; no ballot left to cast) never fails the others.
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
	job := &castJob{ctx: ctx, code: code, codeID: ballot.CodeID(code), tag: ballot.RetryTag(code, marks), marks: marks}
	if err := s.casts.plain.do(ctx, cv.id, job, maxCastBatch, s.commitCasts); err != nil {
		return vote.Receipt{}, err
	}
	return job.out, job.err
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

// maxCastBatch is the most casts one transaction writes. Larger batches hold the vote row longer for
// no gain once the commit's flush is shared by this many.
const maxCastBatch = 200

// castJob is one plain cast in a commit batch: the input, ready to write, and its outcome.
type castJob struct {
	ctx    context.Context
	code   string // normalised: it opens the sealed receipt of a retry
	codeID string
	tag    string // ties the code to these marks (a retry must be identical)
	marks  string

	out vote.Receipt
	err error
}

func (j *castJob) context() context.Context { return j.ctx }
func (j *castJob) fail(err error)           { j.err = err }

// commitCasts writes one batch of a vote's casts in one transaction, and sets each cast's outcome.
// A code that a concurrent change spent under the batch (it cannot, since every change to a vote's
// codes holds the vote's row lock; this is a second line) makes the whole batch run again.
func (s *Store) commitCasts(ctx context.Context, voteID string, jobs []*castJob) {
	if len(jobs) == 0 {
		return
	}
	for attempt := 0; ; attempt++ {
		err := s.transact(ctx, func(tx *gorm.DB) error { return s.castBatch(tx, voteID, jobs) })
		if errors.Is(err, errRetrySpend) && attempt < 3 {
			continue
		}
		if err != nil {
			for _, j := range jobs {
				j.out, j.err = vote.Receipt{}, err
			}
		}
		var ae *apperr.Error
		if errors.As(jobs[0].err, &ae) && ae.Code == "vote_not_open" { // closed or cancelled, here or by another server
			s.casts.forget(voteID)
		}
		return
	}
}

// castBatch is the transaction of commitCasts. Lock order as every use case of a vote: its row first.
// Each cast is decided in arrival order against the codes' states read under that lock: unknown, void
// or spent (the identical retry gets its first receipt), or spent earlier in this same batch, or
// beyond the ballots issued; the others are written, sorted (within the batch, the rows of the live
// tables keep no order of arrival, and ballots and receipts no common order), and the counter moves
// once by their number.
func (s *Store) castBatch(tx *gorm.DB, voteID string, jobs []*castJob) error {
	for _, j := range jobs {
		j.out, j.err = vote.Receipt{}, nil
	}
	room, open, err := s.lockForCasting(tx, voteID)
	if err != nil {
		return err
	}
	if !open {
		notOpen(jobs)
		return nil
	}
	ids := make([]string, 0, len(jobs))
	for _, j := range jobs {
		ids = append(ids, j.codeID)
	}
	var codes []liveCode
	if err := tx.Table(liveCodes(voteID)).Where("code_id IN ?", ids).Find(&codes).Error; err != nil {
		return err
	}
	state := make(map[string]liveCode, len(codes))
	for _, c := range codes {
		state[c.CodeID] = c
	}
	taken := map[string]*castJob{} // codes spent by this batch
	var cast []*castJob
	var retries [][2]*castJob // the identical submission twice in this batch: the retry, the first
	for _, j := range jobs {
		if first := taken[j.codeID]; first != nil {
			if first.tag == j.tag {
				retries = append(retries, [2]*castJob{j, first})
			} else {
				j.err = apperr.New(apperr.Conflict, "code_spent")
			}
			continue
		}
		c, ok := state[j.codeID]
		switch {
		case !ok:
			j.err = apperr.New(apperr.NotFound, "code_unknown")
		case c.State == "void":
			j.err = apperr.New(apperr.Conflict, "code_void")
		case c.State == "spent":
			j.out, j.err = replayOf(c, voteID, j.code, j.tag)
		case room <= 0:
			// Every issued ballot is cast already: the board must first record this delegate's.
			j.err = apperr.New(apperr.Conflict, "no_ballot_issued")
		default:
			room--
			j.out = vote.Receipt{VoteID: voteID}
			taken[j.codeID] = j
			cast = append(cast, j)
		}
	}
	if len(cast) == 0 {
		return nil
	}
	if err := s.insertReceipts(tx, voteID, cast); err != nil {
		return err
	}
	for _, r := range retries {
		r[0].out = r[1].out
		r[0].out.Replay = true
	}
	// Spend the codes: one conditional update, whose returned rows say code by code that each was
	// still unused.
	var q strings.Builder
	args := make([]any, 0, 3*len(cast))
	q.WriteString("WITH spend (code_id, retry_tag, sealed_receipt) AS (VALUES ")
	for i, j := range cast {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(?, ?, ?)")
		args = append(args, j.codeID, j.tag, ballot.SealReceipt(j.code, j.out.Receipt))
	}
	live := liveCodes(voteID)
	q.WriteString(") UPDATE " + live + " SET state = 'spent', retry_tag = spend.retry_tag, sealed_receipt = spend.sealed_receipt FROM spend" +
		" WHERE " + live + ".code_id = spend.code_id AND " + live + ".state = 'unused' RETURNING " + live + ".code_id")
	// Find, not Scan: GORM writes a slow or failing Raw(...).Scan statement to the log with its values
	// spliced in, and these are a batch's retry tags and sealed receipts.
	var spent []string
	if err := tx.Raw(q.String(), args...).Find(&spent).Error; err != nil {
		return err
	}
	if len(spent) != len(cast) {
		return errRetrySpend
	}
	// The ballots, in the order of their random ids.
	rows := make([][2]string, len(cast))
	for i, j := range cast {
		rows[i] = [2]string{newID(), j.marks}
	}
	sort.Slice(rows, func(a, b int) bool { return rows[a][0] < rows[b][0] })
	q.Reset()
	args = args[:0]
	q.WriteString("INSERT INTO " + liveBallots(voteID) + " (id, marks, valid) VALUES ")
	for i, r := range rows {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(?, ?, ?)")
		args = append(args, r[0], r[1], true)
	}
	if err := tx.Exec(q.String(), args...).Error; err != nil {
		return err
	}
	return addCast(tx, voteID, len(cast))
}

// lockForCasting locks the vote's row for a batch of casts (the close waits for it, and no cast
// commits after the close) and says how many more ballots may be cast: issued minus cast.
func (s *Store) lockForCasting(tx *gorm.DB, voteID string) (room int, open bool, err error) {
	var v struct {
		Status        string
		BallotsCast   int
		BallotsIssued int
	}
	if err := tx.Raw("SELECT status, ballots_cast, ballots_issued FROM votes WHERE id = ?"+s.forUpdate(), voteID).Scan(&v).Error; err != nil {
		return 0, false, err
	}
	return v.BallotsIssued - v.BallotsCast, v.Status == string(vote.Open), nil
}

// notOpen answers every cast of a batch that found the vote no longer open under the lock.
func notOpen[J interface{ fail(error) }](jobs []J) {
	for _, j := range jobs {
		j.fail(apperr.New(apperr.Conflict, "vote_not_open"))
	}
}

// addCast moves the vote's counter once by a batch's casts, never past the ballots issued.
func addCast(tx *gorm.DB, voteID string, n int) error {
	res := tx.Exec("UPDATE votes SET ballots_cast = ballots_cast + ? WHERE id = ? AND ballots_cast + ? <= ballots_issued", n, voteID, n)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return errRetrySpend // the counter moved under the lock: cannot happen; look again
	}
	return nil
}

// insertReceipts gives each cast a fresh receipt and writes them, sorted, to the vote's live table of
// receipts (nothing links a receipt to its ballot). A 40-bit receipt already taken — by an earlier
// cast, or twice in this batch — is drawn again: the batch never fails for it.
func (s *Store) insertReceipts(tx *gorm.DB, voteID string, cast []*castJob) error {
	pending := cast
	for attempt := 0; len(pending) > 0; attempt++ {
		if attempt == 5 {
			return apperrInternal("receipts keep colliding")
		}
		seen := map[string]*castJob{}
		for _, j := range pending {
			r := ballot.NewReceipt()
			for seen[r] != nil {
				r = ballot.NewReceipt()
			}
			j.out.Receipt = r
			seen[r] = j
		}
		sorted := make([]string, 0, len(seen))
		for r := range seen {
			sorted = append(sorted, r)
		}
		sort.Strings(sorted)
		var q strings.Builder
		args := make([]any, len(sorted))
		q.WriteString("INSERT INTO " + liveReceipts(voteID) + " (receipt) VALUES ")
		for i, r := range sorted {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(?)")
			args[i] = r
		}
		q.WriteString(" ON CONFLICT (receipt) DO NOTHING RETURNING receipt")
		var written []string // Find, not Scan: see castBatch; these are receipts
		if err := tx.Raw(q.String(), args...).Find(&written).Error; err != nil {
			return err
		}
		for _, r := range written {
			delete(seen, r)
		}
		pending = pending[:0:0]
		for _, j := range seen {
			pending = append(pending, j)
		}
	}
	return nil
}

// replayOf answers a cast whose code is spent: the original receipt for the identical submission, a
// conflict for anything else.
func replayOf(c liveCode, voteID, code, tag string) (vote.Receipt, error) {
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

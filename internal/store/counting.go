package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"tinnhiem/internal/auth"
	"tinnhiem/internal/rules"
	"tinnhiem/internal/tally"
	"tinnhiem/internal/vote"
)

// Counting: the tally of a closed vote, from its sealed ballots.

// key is the vote's own secret, which seals the hash of its ballot set in the audit log.
func (r voteRow) key() []byte {
	k, err := hex.DecodeString(r.CodeKey)
	if err != nil {
		return nil // a key altered outside the application: the hash is then unkeyed, and differs
	}
	return k
}

// Tally returns the result of a closed vote to its council's staff. While a vote is open there is no
// tally: only turnout.
func (s *Store) Tally(ctx context.Context, p auth.Principal, id string) (tally.Result, error) {
	v, row, err := s.readVote(ctx, p, id, vote.ActTally)
	if err != nil {
		return tally.Result{}, err
	}
	r, err := s.tallyOf(s.db.WithContext(ctx), v, row)
	return r, dbErr(err)
}

// tallyOf returns a tallied vote's result: the frozen certified tally, or one counted now from the
// ballots; either way annotated with the resignations recorded since.
func (s *Store) tallyOf(tx *gorm.DB, v vote.Vote, row voteRow) (tally.Result, error) {
	var r tally.Result
	if row.Tally != nil {
		if err := json.Unmarshal([]byte(*row.Tally), &r); err != nil {
			return r, err
		}
	} else {
		var err error
		if r, err = s.countBallots(tx, v, row); err != nil {
			return r, err
		}
	}
	resigned := map[string]bool{}
	for _, sub := range v.Subjects {
		resigned[sub.OfficialID] = sub.ResignedOn != nil
	}
	tally.Annotate(&r, resigned)
	return r, nil
}

// countBallots counts a closed vote's sealed ballots, streaming them from the database.
func (s *Store) countBallots(tx *gorm.DB, v vote.Vote, row voteRow) (tally.Result, error) {
	rs, _ := rules.Get(v.RuleSet) // a stored vote's rule set is one the rules know
	subjects := make([]tally.Subject, len(v.Subjects))
	for i, sub := range v.Subjects {
		subjects[i] = tally.Subject{OfficialID: sub.OfficialID, FullName: sub.FullName, Positions: sub.Positions}
	}
	body, err := councilBody(tx, v.CouncilID)
	if err != nil {
		return tally.Result{}, err
	}
	in := tally.Input{Kind: v.Kind, RuleSet: rs, Base: v.PercentageBase, TotalDelegates: row.turnout().TotalDelegates,
		BallotsIssued: row.BallotsIssued, Subjects: subjects, Body: body}
	c := tally.NewCounter(in)
	var paper *paperRow
	if v.CastingMode != vote.CastElectronic { // the board's paper count: invalid whole ballots, settled totals
		pr, err := paperOf(tx, v.ID)
		if err != nil {
			return tally.Result{}, err
		}
		var invalid []vote.InvalidBallot
		if err := json.Unmarshal([]byte(pr.Invalid), &invalid); err != nil {
			return tally.Result{}, err
		}
		c.AddInvalid(len(invalid))
		paper = &pr
	}
	if v.BallotMode == vote.ModeEncrypted { // the board's decryption of the sums gave the counts, paper included
		counts, err := decryptedCounts(row)
		if err != nil {
			return tally.Result{}, err
		}
		ballots := row.BallotsCast
		if paper != nil {
			ballots += paper.Entered
		}
		c.AddCounts(ballots, counts)
		return c.Result()
	}
	if paper != nil {
		counts, err := paperCounts(*paper, v)
		if err != nil {
			return tally.Result{}, err
		}
		c.AddCounts(paper.Entered, counts)
	}
	rows, err := tx.Raw("SELECT marks, valid FROM ballots WHERE vote_id = ?", v.ID).Rows()
	if err != nil {
		return tally.Result{}, err
	}
	defer rows.Close()
	var marks string
	var valid bool
	for rows.Next() {
		if err := rows.Scan(&marks, &valid); err != nil {
			return tally.Result{}, err
		}
		c.Add(marks, valid)
	}
	if err := rows.Err(); err != nil {
		return tally.Result{}, err
	}
	return c.Result()
}

// ballotsHash seals the closed ballot box for the audit log: a hash of the sorted receipts and a keyed
// hash (the vote's secret) of the sorted marks, taken apart, so that it cannot be used to match a
// receipt to its marks, and the marks cannot be guessed from the published counts.
func ballotsHash(tx *gorm.DB, voteID string, key []byte) (string, error) {
	var receipts []string
	if err := tx.Raw("SELECT receipt FROM receipts WHERE vote_id = ?", voteID).Scan(&receipts).Error; err != nil {
		return "", err
	}
	var ballots []struct {
		Marks string
		Valid bool
	}
	if err := tx.Raw("SELECT marks, valid FROM ballots WHERE vote_id = ?", voteID).Scan(&ballots).Error; err != nil {
		return "", err
	}
	marks := make([]string, len(ballots))
	for i, b := range ballots {
		marks[i] = b.Marks + " " + strconv.FormatBool(b.Valid)
	}
	sort.Strings(receipts) // in Go: the databases' collations differ
	sort.Strings(marks)
	rh := sha256.Sum256([]byte(strings.Join(receipts, "\n")))
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(strings.Join(marks, "\n")))
	return hex.EncodeToString(rh[:]) + ":" + hex.EncodeToString(mac.Sum(nil)), nil
}

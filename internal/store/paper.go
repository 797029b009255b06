package store

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/ballot"
	"tinnhiem/internal/protocol"
	"tinnhiem/internal/vote"
)

// Paper ballots in the count (issue 16). The board records the figures of the whole count (each
// kind of ballot handed out, as totals when issuing ends; ballots received, returned, spoiled,
// invalid) and enters the valid ballots twice, blind, by batches. A batch's entries live in a table of
// their own (live_paper_<vote>_<batch>), made at its first entry and dropped when it is settled: from
// then on only the running totals of the whole count remain, and nothing stored orders the ballots.
// The reconciliation (vote.Paper.Reconcile) must agree before there is a tally.

type paperRow struct {
	VoteID      string `gorm:"primaryKey"`
	PaperIssued *int
	SlipsIssued *int
	Received    *int
	Returned    *int
	Spoiled     *int
	Invalid     string
	MissingNote string
	Entered     int
	Counts      *string // per subject, per level of the vote's kind: the settled batches' totals
	Totals      *string // an encrypted vote's sealed paper totals message (docs/PROTOCOL.md §13)
}

func (paperRow) TableName() string { return "vote_paper" }

type batchRow struct {
	VoteID      string `gorm:"primaryKey"`
	Number      int    `gorm:"primaryKey"`
	Size        int
	Status      string
	Entrants    string // user ids, in the order of their entries
	Outcome     *string
	Differences int
	SettledBy   *string
}

func (batchRow) TableName() string { return "paper_batches" }

func (b batchRow) entrants() []string {
	var ids []string
	_ = json.Unmarshal([]byte(b.Entrants), &ids) // written by this file
	return ids
}

// paperTable is the live table of a batch's entries.
func paperTable(voteID string, number int) string {
	return liveTable("live_paper_", voteID) + "_" + strconv.Itoa(number)
}

// paperOf reads a vote's paper row (a zero one before the board recorded anything).
func paperOf(tx *gorm.DB, voteID string) (paperRow, error) {
	var rows []paperRow
	if err := tx.Where("vote_id = ?", voteID).Limit(1).Find(&rows).Error; err != nil {
		return paperRow{}, err
	}
	if len(rows) == 0 {
		return paperRow{VoteID: voteID, Invalid: "[]"}, nil
	}
	return rows[0], nil
}

// savePaper writes a vote's paper row.
func savePaper(tx *gorm.DB, r paperRow) error {
	return tx.Save(&r).Error
}

// loadPaper reads the paper part of a paper or hybrid vote and reconciles it.
func loadPaper(tx *gorm.DB, v vote.Vote, row voteRow) (*vote.Paper, error) {
	pr, err := paperOf(tx, v.ID)
	if err != nil {
		return nil, err
	}
	p := &vote.Paper{PaperIssued: pr.PaperIssued, SlipsIssued: pr.SlipsIssued, Received: pr.Received, Returned: pr.Returned,
		Spoiled: pr.Spoiled, MissingNote: pr.MissingNote, Entered: pr.Entered, Batches: []vote.PaperBatch{}, Sealed: pr.Totals != nil}
	if err := json.Unmarshal([]byte(pr.Invalid), &p.Invalid); err != nil {
		return nil, err
	}
	var batches []batchRow
	if err := tx.Where("vote_id = ?", v.ID).Order("number").Find(&batches).Error; err != nil {
		return nil, err
	}
	names := boardNames(v)
	for _, b := range batches {
		p.Batches = append(p.Batches, b.toDomain(names))
	}
	p.Reconcile(v.CastingMode, row.BallotsIssued, row.BallotsCast)
	if v.CastingMode == vote.CastHybrid && p.PaperIssued != nil && p.SlipsIssued != nil {
		p.Warning = vote.KindWarning(*p.PaperIssued, *p.SlipsIssued)
	}
	return p, nil
}

func boardNames(v vote.Vote) map[string]string {
	names := map[string]string{}
	for _, m := range v.Board {
		names[m.UserID] = m.FullName
	}
	return names
}

func (b batchRow) toDomain(names map[string]string) vote.PaperBatch {
	pb := vote.PaperBatch{Number: b.Number, Size: b.Size, Status: b.Status, EnteredBy: []string{}, Outcome: deref(b.Outcome),
		Differences: b.Differences}
	for _, id := range b.entrants() {
		pb.EnteredBy = append(pb.EnteredBy, names[id])
	}
	if b.SettledBy != nil {
		pb.SettledBy = names[*b.SettledBy]
	}
	return pb
}

// RecordIssuanceTotals records how many delegates of a hybrid vote received a paper ballot and how
// many a code slip: totals, entered when issuing ends, so that nothing ties a kind to a person.
func (s *Store) RecordIssuanceTotals(ctx context.Context, p auth.Principal, id string, in vote.IssuanceTotalsInput) (vote.Vote, error) {
	return s.actVote(ctx, p, id, vote.ActIssuanceTotals, func(tx *gorm.DB, v vote.Vote, _ voteRow) error {
		pr, err := paperOf(tx, id)
		if err != nil {
			return err
		}
		pr.PaperIssued, pr.SlipsIssued = in.PaperIssued, in.SlipsIssued
		if err := savePaper(tx, pr); err != nil {
			return err
		}
		return s.auditVote(tx, p, v, "paper.issuance_totals", map[string]any{"paper_issued": *in.PaperIssued, "slips_issued": *in.SlipsIssued})
	})
}

// RecordPaperFigures records the board's figures of the paper ballots: received from the box,
// returned unused, spoiled and replaced, the whole ballots found invalid (with their reasons), and the
// explanation of any ballot missing.
func (s *Store) RecordPaperFigures(ctx context.Context, p auth.Principal, id string, in vote.PaperFiguresInput) (vote.Vote, error) {
	return s.actVote(ctx, p, id, vote.ActPaperFigures, func(tx *gorm.DB, v vote.Vote, _ voteRow) error {
		pr, err := paperOf(tx, id)
		if err != nil {
			return err
		}
		pr.Received, pr.Returned, pr.Spoiled, pr.Invalid, pr.MissingNote = in.Received, in.Returned, in.Spoiled, mustJSON(in.Invalid), in.MissingNote
		if err := savePaper(tx, pr); err != nil {
			return err
		}
		return s.auditVote(tx, p, v, "paper.figures", map[string]any{"received": *in.Received, "returned": *in.Returned,
			"spoiled": in.Spoiled, "invalid": len(in.Invalid), "missing_note": in.MissingNote})
	})
}

// levelLetters are the mark letters of a vote's kind, in the order of Kind.Levels().
func levelLetters(v vote.Vote) string {
	var b strings.Builder
	for _, l := range v.Kind.Levels() {
		b.WriteByte(ballot.Letter(l))
	}
	return b.String()
}

// EnterBatch takes one member's entry of a batch of paper ballots. The first entry of a batch is
// kept unseen; the second, by another member, is compared with it: the same ballots in the same order
// settle the batch, else both are shown side by side. While a batch differs, a further member's entry
// that agrees with an earlier one settles it.
func (s *Store) EnterBatch(ctx context.Context, p auth.Principal, id string, number int, in vote.BatchEntryInput) (vote.PaperEntryResult, error) {
	var out vote.PaperEntryResult
	err := s.act(ctx, p, id, vote.ActPaperEntry, func(tx *gorm.DB, v vote.Vote, _ voteRow) error {
		if err := in.CheckMarks(levelLetters(v), len(v.Subjects)); err != nil {
			return err
		}
		b, found, err := batchOf(tx, id, number)
		if err != nil {
			return err
		}
		table := paperTable(id, number)
		entry := strings.Join(in.Ballots, "|")
		if !found {
			b = batchRow{VoteID: id, Number: number, Size: len(in.Ballots), Status: vote.BatchEntering, Entrants: mustJSON([]string{p.UserID})}
			if err := tx.Create(&b).Error; err != nil {
				return err
			}
			if err := s.createPaperTable(tx, table); err != nil {
				return err
			}
		} else {
			if b.Status == vote.BatchSettled {
				return apperr.New(apperr.Conflict, "paper_batch_settled").With("batch", number)
			}
			if slices.Contains(b.entrants(), p.UserID) {
				return apperr.New(apperr.Conflict, "paper_batch_entered").With("batch", number)
			}
			b.Entrants = mustJSON(append(b.entrants(), p.UserID))
		}
		if err := tx.Exec("INSERT INTO "+table+" (entrant, ballots) VALUES (?, ?)", p.UserID, entry).Error; err != nil {
			return err
		}
		if err := s.auditVote(tx, p, v, "paper.batch_entry", map[string]any{"batch": number, "entry": len(b.entrants())}); err != nil {
			return err
		}
		if found {
			entries, err := batchEntries(tx, table, b.entrants())
			if err != nil {
				return err
			}
			if agreed := agreeing(entries, entry); agreed >= 0 {
				outcome := vote.OutcomeMatched
				if len(entries) > 2 {
					outcome = vote.OutcomeThirdEntry
				}
				if err := s.settleBatch(tx, p, v, &b, in.Ballots, outcome, nil); err != nil {
					return err
				}
			} else {
				b.Status = vote.BatchDiffers
				if len(entries) == 2 {
					b.Differences = len(differingRows(entries))
				}
			}
		}
		if err := tx.Model(&batchRow{}).Where("vote_id = ? AND number = ?", id, number).
			Select("size", "status", "entrants", "outcome", "differences", "settled_by").Updates(&b).Error; err != nil {
			return err
		}
		out, err = batchResult(tx, v, b)
		return err
	})
	return out, err
}

// SettleBatch settles a batch whose entries differ: the head of the board gives the ballots as the
// board found them, and the settlement is audited.
func (s *Store) SettleBatch(ctx context.Context, p auth.Principal, id string, number int, in vote.BatchEntryInput) (vote.PaperEntryResult, error) {
	var out vote.PaperEntryResult
	err := s.act(ctx, p, id, vote.ActPaperSettle, func(tx *gorm.DB, v vote.Vote, _ voteRow) error {
		if err := in.CheckMarks(levelLetters(v), len(v.Subjects)); err != nil {
			return err
		}
		b, found, err := batchOf(tx, id, number)
		if err != nil {
			return err
		}
		if !found || b.Status != vote.BatchDiffers {
			return apperr.New(apperr.Conflict, "paper_batch_not_differing").With("batch", number)
		}
		if err := s.settleBatch(tx, p, v, &b, in.Ballots, vote.OutcomeHead, &p.UserID); err != nil {
			return err
		}
		if err := tx.Model(&batchRow{}).Where("vote_id = ? AND number = ?", id, number).
			Select("size", "status", "outcome", "settled_by").Updates(&b).Error; err != nil {
			return err
		}
		out, err = batchResult(tx, v, b)
		return err
	})
	return out, err
}

// PaperBatch shows a batch to the board: its entries only while they differ.
func (s *Store) PaperBatch(ctx context.Context, p auth.Principal, id string, number int) (vote.PaperEntryResult, error) {
	v, _, err := s.readVote(ctx, p, id, vote.ActPaperRead)
	if err != nil {
		return vote.PaperEntryResult{}, err
	}
	tx := s.db.WithContext(ctx)
	b, found, err := batchOf(tx, id, number)
	if err != nil {
		return vote.PaperEntryResult{}, dbErr(err)
	}
	if !found {
		return vote.PaperEntryResult{}, apperr.New(apperr.NotFound, "paper_batch_not_found").With("batch", number)
	}
	out, err := batchResult(tx, v, b)
	return out, dbErr(err)
}

// PaperTotals shows the board its paper count: the totals of the settled batches. They are the
// board's alone (the split of a hybrid vote never leaves it), and an encrypted vote's are forgotten
// once sealed into its sums.
func (s *Store) PaperTotals(ctx context.Context, p auth.Principal, id string) (vote.PaperTotals, error) {
	v, _, err := s.readVote(ctx, p, id, vote.ActPaperRead)
	if err != nil {
		return vote.PaperTotals{}, err
	}
	pr, err := paperOf(s.db.WithContext(ctx), id)
	if err != nil {
		return vote.PaperTotals{}, dbErr(err)
	}
	if pr.Totals != nil {
		return vote.PaperTotals{}, vote.ErrPaperSealed
	}
	counts, err := paperCounts(pr, v)
	return vote.PaperTotals{Entered: pr.Entered, Subjects: v.SubjectIDs(), Counts: counts}, err
}

// paperCounts reads the settled totals (zeros before any batch is settled).
func paperCounts(pr paperRow, v vote.Vote) ([][]int, error) {
	counts := make([][]int, len(v.Subjects))
	for i := range counts {
		counts[i] = make([]int, len(v.Kind.Levels()))
	}
	if pr.Counts == nil {
		return counts, nil
	}
	return counts, json.Unmarshal([]byte(*pr.Counts), &counts)
}

// settleBatch adds a batch's ballots to the count's totals, drops the table of its entries and marks
// it settled. The audit log records the batch and how it was settled, never its rows or totals.
func (s *Store) settleBatch(tx *gorm.DB, p auth.Principal, v vote.Vote, b *batchRow, ballots []string, outcome string, by *string) error {
	pr, err := paperOf(tx, v.ID)
	if err != nil {
		return err
	}
	counts, err := paperCounts(pr, v)
	if err != nil {
		return err
	}
	letters := levelLetters(v)
	for _, marks := range ballots {
		for i := 0; i < len(marks); i++ {
			if j := strings.IndexByte(letters, marks[i]); j >= 0 {
				counts[i][j]++
			}
		}
	}
	c := mustJSON(counts)
	pr.Counts, pr.Entered = &c, pr.Entered+len(ballots)
	if err := savePaper(tx, pr); err != nil {
		return err
	}
	if err := tx.Exec("DROP TABLE " + paperTable(v.ID, b.Number)).Error; err != nil {
		return err
	}
	b.Status, b.Outcome, b.SettledBy, b.Size = vote.BatchSettled, &outcome, by, len(ballots)
	return s.auditVote(tx, p, v, "paper.batch_settled", map[string]any{"batch": b.Number, "outcome": outcome, "ballots": len(ballots)})
}

// createPaperTable makes a batch's table of entries (on SQLite without a rowid, which would number
// the entries in the order they were written: the entrant is the key).
func (s *Store) createPaperTable(tx *gorm.DB, table string) error {
	suffix := ""
	if s.dialect == SQLite {
		suffix = " WITHOUT ROWID"
	}
	return tx.Exec("CREATE TABLE " + table + " (entrant TEXT PRIMARY KEY, ballots TEXT NOT NULL)" + suffix).Error
}

// dropPaperBatches drops the tables of a cancelled vote's unsettled batches.
func dropPaperBatches(tx *gorm.DB, voteID string) error {
	var open []int
	if err := tx.Model(&batchRow{}).Where("vote_id = ? AND status <> ?", voteID, vote.BatchSettled).Pluck("number", &open).Error; err != nil {
		return err
	}
	for _, n := range open {
		if err := tx.Exec("DROP TABLE IF EXISTS " + paperTable(voteID, n)).Error; err != nil {
			return err
		}
	}
	return nil
}

func batchOf(tx *gorm.DB, voteID string, number int) (batchRow, bool, error) {
	var rows []batchRow
	err := tx.Where("vote_id = ? AND number = ?", voteID, number).Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return batchRow{}, false, err
	}
	return rows[0], true, nil
}

// batchEntries reads a batch's entries in the order of the entrants.
func batchEntries(tx *gorm.DB, table string, entrants []string) ([]string, error) {
	var rows []struct {
		Entrant string
		Ballots string
	}
	if err := tx.Raw("SELECT entrant, ballots FROM " + table).Scan(&rows).Error; err != nil {
		return nil, err
	}
	by := map[string]string{}
	for _, r := range rows {
		by[r.Entrant] = r.Ballots
	}
	out := make([]string, len(entrants))
	for i, e := range entrants {
		out[i] = by[e]
	}
	return out, nil
}

// agreeing returns the index of an earlier entry equal to the last one (entries' last element), or -1.
func agreeing(entries []string, last string) int {
	for i, e := range entries[:len(entries)-1] {
		if e == last {
			return i
		}
	}
	return -1
}

// differingRows lists the positions (1-based) of the ballots on which two entries differ, a ballot
// present in one entry only included.
func differingRows(entries []string) []int {
	a, b := strings.Split(entries[0], "|"), strings.Split(entries[1], "|")
	var out []int
	for i := 0; i < max(len(a), len(b)); i++ {
		if i >= len(a) || i >= len(b) || a[i] != b[i] {
			out = append(out, i+1)
		}
	}
	return out
}

// batchResult is a batch as the board sees it: the entries themselves only while they differ.
func batchResult(tx *gorm.DB, v vote.Vote, b batchRow) (vote.PaperEntryResult, error) {
	names := boardNames(v)
	out := vote.PaperEntryResult{Batch: b.toDomain(names), Entries: []vote.BatchEntry{}, Rows: []int{}}
	if b.Status != vote.BatchDiffers {
		return out, nil
	}
	entries, err := batchEntries(tx, paperTable(v.ID, b.Number), b.entrants())
	if err != nil {
		return out, err
	}
	for i, id := range b.entrants() {
		out.Entries = append(out.Entries, vote.BatchEntry{EnteredBy: names[id], Ballots: strings.Split(entries[i], "|")})
	}
	out.Rows = append(out.Rows, differingRows(entries)...)
	return out, nil
}

// SealPaperTotals takes an encrypted vote's paper totals, encrypted and signed in a board member's
// browser (docs/PROTOCOL.md §13), with their openings: checked against the settled totals, added to
// the encrypted sums before any decryption, and kept for the record. The openings and the plain
// totals are then forgotten: from here on only the combined count can be decrypted.
func (s *Store) SealPaperTotals(ctx context.Context, p auth.Principal, id string, msg vote.Message) (vote.Vote, error) {
	return s.actVote(ctx, p, id, vote.ActPaperTotals, func(tx *gorm.DB, v vote.Vote, row voteRow) error {
		sub, err := protocol.ParsePaperSubmission(msg.Raw)
		if err != nil {
			return protocolErr(err)
		}
		c, err := s.loadCeremony(tx, v.CeremonyID, false)
		if err != nil {
			return err
		}
		if sub.Totals.CeremonyID != c.row.ID || c.userOf(sub.Totals.Identifier.Hex()) != p.UserID {
			return apperr.InvalidFields(apperr.Field("paper_totals.identifier", "not_your_identifier"))
		}
		res, err := c.result()
		if err != nil {
			return protocolErr(err)
		}
		m, err := protocol.ParseManifest([]byte(deref(row.Manifest)))
		if err != nil {
			return err
		}
		pr, err := paperOf(tx, id)
		if err != nil {
			return err
		}
		counts, err := paperCounts(pr, v)
		if err != nil {
			return err
		}
		totals := make([][]uint64, len(counts))
		for i, row := range counts {
			totals[i] = make([]uint64, len(row))
			for j, x := range row {
				totals[i][j] = uint64(x)
			}
		}
		if err := protocol.CheckPaperSubmission(res, m, sub, uint64(pr.Entered), totals); err != nil {
			return protocolErr(err)
		}
		sums, n, err := sumsOf(tx, id, len(v.Subjects), sub.Totals.Ciphertexts())
		if err != nil {
			return err
		}
		if n != row.BallotsCast {
			return apperr.Wrap(errString("the sealed ballots differ from the cast counter"), "seal paper totals")
		}
		body, err := sub.Totals.MarshalJSON()
		if err != nil {
			return err
		}
		t := string(body)
		pr.Totals, pr.Counts = &t, nil
		if err := savePaper(tx, pr); err != nil {
			return err
		}
		if err := setVote(tx, id, map[string]any{"sums": string(protocol.SumsJSON(sums))}); err != nil {
			return err
		}
		h := protocol.SumsHash(id, sums)
		return s.auditVote(tx, p, v, "paper.totals_sealed", map[string]any{"identifier": sub.Totals.Identifier.Hex(),
			"ballots": pr.Entered, "sums_hash": hex.EncodeToString(h[:])})
	})
}

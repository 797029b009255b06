package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"tinnhiem/internal/ballot"
)

// The ballot side of a vote — every row that is written while delegates cast and so could keep the
// order of casting — lives in tables of its own while the vote can be cast on: created with the vote,
// dropped at its close. The close moves their rows into the shared tables in one statement per table,
// sorted by a random or hashed key, and drops the live tables in the same transaction. PostgreSQL and
// SQLite then hold no relation file (table, index or TOAST) that ever held a row version written while
// the vote was open: the new rows were written once, sorted, by one transaction; the old files are
// gone. A checkpoint and a WAL switch (PostgreSQL) or a truncating checkpoint (SQLite) follow, so the
// write-ahead log gives them up as early as the database allows (docs/SECURITY.md: WAL archives and
// replicas are the operator's to protect).
//
// Why tables per vote rather than VACUUM FULL or CLUSTER of the shared tables: those rewrite every
// vote's rows and lock the tables against every other open vote's casting for the time of the rewrite;
// a per-vote table is dropped in a moment and touches no other vote. Every later ballot-side table
// (encrypted ballots, paper batch entries) registers here and is sealed the same way.

// sideTable is one table of the ballot side.
type sideTable struct {
	prefix string // the live table's name is prefix + the vote's id without dashes
	// columns is the live table's definition (the same SQL on both databases).
	columns string
	// seal moves the live rows into the shared tables, sorted, inside the close's transaction, and
	// reports how many rows it moved.
	seal func(s *Store, tx *gorm.DB, voteID, live string) (int, error)
	// discard forgets a cancelled closed vote's sealed rows ("" when nothing is sealed).
	discard string
}

var ballotSide = []sideTable{
	{prefix: "live_ballots_", columns: "id TEXT PRIMARY KEY, marks TEXT NOT NULL, valid BOOLEAN NOT NULL",
		seal: func(_ *Store, tx *gorm.DB, voteID, live string) (int, error) {
			// Ballot ids are random: their order is no order at all.
			res := tx.Exec("INSERT INTO ballots (vote_id, id, marks, valid) SELECT ?, id, marks, valid FROM "+live+" ORDER BY id", voteID)
			return int(res.RowsAffected), res.Error
		}, discard: "DELETE FROM ballots WHERE vote_id = ?"},
	{prefix: "live_receipts_", columns: "receipt TEXT PRIMARY KEY",
		seal: func(_ *Store, tx *gorm.DB, voteID, live string) (int, error) {
			res := tx.Exec("INSERT INTO receipts (vote_id, receipt) SELECT ?, receipt FROM "+live+" ORDER BY receipt", voteID)
			return int(res.RowsAffected), res.Error
		}, discard: "DELETE FROM receipts WHERE vote_id = ?"},
	{prefix: "live_eballots_", columns: "ballot_hash TEXT PRIMARY KEY, credential TEXT NOT NULL UNIQUE, body TEXT NOT NULL, ciphertexts TEXT NOT NULL",
		seal: func(_ *Store, tx *gorm.DB, voteID, live string) (int, error) {
			// Ballot hashes are hashes: their order is no order at all.
			res := tx.Exec("INSERT INTO encrypted_ballots (vote_id, ballot_hash, body, ciphertexts) SELECT ?, ballot_hash, body, ciphertexts FROM "+live+" ORDER BY ballot_hash", voteID)
			return int(res.RowsAffected), res.Error
		}, discard: "DELETE FROM encrypted_ballots WHERE vote_id = ?"},
	// The tracking codes of ballots challenged at the kiosk (spoiled, never counted): only the hash.
	{prefix: "live_spoiled_", columns: "tracking_hash TEXT PRIMARY KEY",
		seal: func(_ *Store, tx *gorm.DB, voteID, live string) (int, error) {
			res := tx.Exec("INSERT INTO spoiled_ballots (vote_id, tracking_hash) SELECT ?, tracking_hash FROM "+live+" ORDER BY tracking_hash", voteID)
			return int(res.RowsAffected), res.Error
		}, discard: "DELETE FROM spoiled_ballots WHERE vote_id = ?"},
	// The first ciphertext component of every row of every cast ballot: a ballot repeating one is a
	// replay. Needed only while casting; dropped with nothing kept.
	{prefix: "live_alphas_", columns: "alpha TEXT PRIMARY KEY",
		seal: func(*Store, *gorm.DB, string, string) (int, error) { return 0, nil }},
	{prefix: "live_codes_", columns: "code_id TEXT PRIMARY KEY, state TEXT NOT NULL CHECK (state IN ('unused', 'spent', 'void')), " +
		"retry_tag TEXT, sealed_receipt TEXT, CHECK (state = 'spent' OR (retry_tag IS NULL AND sealed_receipt IS NULL))",
		seal: sealCodes, discard: "DELETE FROM sealed_codes WHERE vote_id = ?"},
}

// liveTable returns the name of a vote's live table; vote ids are UUIDs, so the name is safe to
// splice into SQL once checked.
func liveTable(prefix, voteID string) string {
	id := strings.ReplaceAll(voteID, "-", "")
	if !liveIDRE.MatchString(id) {
		panic(fmt.Sprintf("store: %q is not a vote id", voteID)) // ids are made by newID
	}
	return prefix + id
}

var liveIDRE = regexp.MustCompile(`^[0-9a-f]{32}$`)

func liveBallots(voteID string) string  { return liveTable("live_ballots_", voteID) }
func liveReceipts(voteID string) string { return liveTable("live_receipts_", voteID) }
func liveCodes(voteID string) string    { return liveTable("live_codes_", voteID) }

// createBallotSide makes a vote's live tables (on SQLite without a rowid, which would number the rows
// in the order they were written): at the draft, and again at the opening for any table a later
// version added (a draft made before an upgrade).
func (s *Store) createBallotSide(tx *gorm.DB, voteID string) error {
	suffix := ""
	if s.dialect == SQLite {
		suffix = " WITHOUT ROWID"
	}
	for _, t := range ballotSide {
		if err := tx.Exec("CREATE TABLE IF NOT EXISTS " + liveTable(t.prefix, voteID) + " (" + t.columns + ")" + suffix).Error; err != nil {
			return err
		}
	}
	return nil
}

// sealBallotSide moves a closing vote's live rows into the shared tables, sorted, drops the live
// tables and forgets the routes of its codes. It returns the rows moved per live table prefix.
func (s *Store) sealBallotSide(tx *gorm.DB, voteID string) (map[string]int, error) {
	moved := map[string]int{}
	for _, t := range ballotSide {
		live := liveTable(t.prefix, voteID)
		n, err := t.seal(s, tx, voteID, live)
		if err != nil {
			return nil, err
		}
		moved[t.prefix] = n
		if err := tx.Exec("DROP TABLE " + live).Error; err != nil {
			return nil, err
		}
	}
	return moved, tx.Exec("DELETE FROM code_routes WHERE vote_id = ?", voteID).Error
}

// dropBallotSide drops a cancelled vote's live tables (a draft or open vote) or deletes its sealed
// rows (a closed vote), and forgets its codes' routes.
func dropBallotSide(tx *gorm.DB, voteID string, sealed bool) error {
	for _, t := range ballotSide {
		q := "DROP TABLE IF EXISTS " + liveTable(t.prefix, voteID)
		var args []any
		if sealed {
			if t.discard == "" {
				continue
			}
			q, args = t.discard, []any{voteID}
		}
		if err := tx.Exec(q, args...).Error; err != nil {
			return err
		}
	}
	return tx.Exec("DELETE FROM code_routes WHERE vote_id = ?", voteID).Error
}

// sealCodes keeps of each code only a digest of its identifier with its final state; a code never
// used is voided (its slip is void once the vote is closed). Retry data dies with the live table.
func sealCodes(_ *Store, tx *gorm.DB, voteID, live string) (int, error) {
	type codeState struct {
		CodeID string
		State  string
	}
	var codes []codeState
	if err := tx.Raw("SELECT code_id, state FROM " + live).Scan(&codes).Error; err != nil {
		return 0, err
	}
	type sealed struct {
		Digest string `gorm:"primaryKey"`
		VoteID string
	}
	rows := make([]sealed, len(codes))
	for i, c := range codes {
		state := c.State
		if state == "unused" {
			state = "void"
		}
		rows[i] = sealed{Digest: ballot.SealedDigest(c.CodeID, state), VoteID: voteID}
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Digest < rows[j].Digest })
	if len(rows) > 0 {
		if err := tx.Table("sealed_codes").CreateInBatches(rows, 1000).Error; err != nil {
			return 0, err
		}
	}
	return len(rows), nil
}

// wipe asks the database to give up the log of what the close rewrote, once its transaction has
// committed: PostgreSQL checkpoints and switches to a new WAL segment (so the old segments are
// recycled as early as the server allows); SQLite checkpoints its WAL into the main file and truncates
// it. Until that succeeds the vote carries wipe_pending, the board is told, and finishWipes retries.
func (s *Store) wipe(ctx context.Context, voteID string) error {
	err := s.checkpoint(ctx)
	if err == nil {
		return nil
	}
	slog.Warn("the database could not yet give up the log of a closed vote's ballots; retrying later", "vote", voteID, "err", err)
	if e := s.db.WithContext(ctx).Model(&voteRow{}).Where("id = ?", voteID).Update("wipe_pending", true).Error; e != nil {
		return dbErr(e)
	}
	return err
}

// checkpointWait bounds how long a checkpoint waits for readers of SQLite's WAL (the busy timeout of
// the connection that runs it): the server's own reads are short, so a pending wipe means someone else
// holds the file open, and the close reports it rather than hanging.
const checkpointWait = 2 * time.Second

func (s *Store) checkpoint(ctx context.Context) error {
	db := s.db.WithContext(ctx)
	if s.dialect == Postgres {
		if err := db.Exec("CHECKPOINT").Error; err != nil {
			return fmt.Errorf("CHECKPOINT: %w", err)
		}
		if err := db.Exec("SELECT pg_switch_wal()").Error; err != nil {
			return fmt.Errorf("pg_switch_wal: %w", err)
		}
		return nil
	}
	return db.Connection(func(conn *gorm.DB) error {
		if err := conn.Exec(fmt.Sprintf("PRAGMA busy_timeout = %d", checkpointWait.Milliseconds())).Error; err != nil {
			return err
		}
		defer conn.Exec(fmt.Sprintf("PRAGMA busy_timeout = %d", sqliteBusyTimeout.Milliseconds())) // best effort: the pool's setting back
		for attempt := 0; attempt < 2; attempt++ {
			var busy, logFrames, done int
			if err := conn.Raw("PRAGMA wal_checkpoint(TRUNCATE)").Row().Scan(&busy, &logFrames, &done); err != nil {
				return fmt.Errorf("wal_checkpoint: %w", err)
			}
			if busy == 0 {
				return nil
			}
		}
		return errors.New("wal_checkpoint(TRUNCATE) could not finish: another connection is reading the database")
	})
}

// FinishWipes retries the wipe of every closed vote still marked wipe_pending (at start-up and
// periodically); it returns how many are still pending. The marks are cleared before the checkpoint,
// so that the log it empties does not fill again with that change (and set back if it fails).
func (s *Store) FinishWipes(ctx context.Context) (int, error) {
	db := s.db.WithContext(ctx)
	var ids []string
	if err := db.Model(&voteRow{}).Where("wipe_pending = ?", true).Pluck("id", &ids).Error; err != nil {
		return 0, dbErr(err)
	}
	if len(ids) == 0 {
		return 0, nil
	}
	if err := db.Model(&voteRow{}).Where("id IN ?", ids).Update("wipe_pending", false).Error; err != nil {
		return len(ids), dbErr(err)
	}
	if err := s.checkpoint(ctx); err != nil {
		return len(ids), dbErr(db.Model(&voteRow{}).Where("id IN ?", ids).Update("wipe_pending", true).Error)
	}
	return 0, nil
}

package store_test

import (
	"os"
	"sort"
	"strings"
	"testing"
	"tinnhiem/internal/apperr"

	"tinnhiem/internal/ballot"
	"tinnhiem/internal/rules"
	"tinnhiem/internal/store"
	"tinnhiem/internal/testdb"
	"tinnhiem/internal/vote"
)

// ballotSide are the tables whose rows come from casting.
var ballotSide = []string{"ballots", "receipts", "ballot_codes"}

// TestBallotSideSchemaCannotLinkToAPerson reads the live schema: no ballot-side table may have a
// timestamp, a sequence-generated id, or a column or foreign key that could reference a delegate, an
// issuance or a user.
func TestBallotSideSchemaCannotLinkToAPerson(t *testing.T) {
	forbiddenWords := map[string]bool{"delegate": true, "user": true, "issuance": true, "issued": true, "created": true, "updated": true,
		"time": true, "timestamp": true, "at": true, "date": true, "ip": true, "addr": true, "request": true, "seq": true, "actor": true,
		"session": true, "agent": true, "member": true, "order": true, "serial": true}
	testdb.Dialects(t, func(t *testing.T, s *store.Store) {
		db := s.DB()
		for _, table := range ballotSide {
			type col struct {
				Name, Type, Default string
				Identity            string
			}
			var cols []col
			var fks []string
			if s.Dialect() == store.Postgres {
				db.Raw(`SELECT column_name AS name, data_type AS type, COALESCE(column_default, '') AS "default", is_identity AS identity
					FROM information_schema.columns WHERE table_name = ?`, table).Scan(&cols)
				db.Raw(`SELECT ccu.table_name FROM information_schema.table_constraints tc
					JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name
					WHERE tc.table_name = ? AND tc.constraint_type = 'FOREIGN KEY'`, table).Scan(&fks)
			} else {
				var info []struct {
					Name      string
					Type      string
					DfltValue *string
				}
				db.Raw("SELECT name, type, dflt_value FROM pragma_table_info(?)", table).Scan(&info)
				for _, c := range info {
					d := ""
					if c.DfltValue != nil {
						d = *c.DfltValue
					}
					cols = append(cols, col{Name: c.Name, Type: c.Type, Default: d, Identity: "NO"})
				}
				db.Raw(`SELECT "table" FROM pragma_foreign_key_list(?)`, table).Scan(&fks)
				// A rowid would be an insertion-ordered hidden id.
				var withoutRowid int
				db.Raw("SELECT COUNT(*) FROM pragma_table_list WHERE name = ? AND wr = 1", table).Scan(&withoutRowid)
				if withoutRowid != 1 {
					t.Errorf("%s has a rowid (it must be WITHOUT ROWID)", table)
				}
			}
			if len(cols) < 2 {
				t.Fatalf("%s: read only %d columns", table, len(cols))
			}
			for _, c := range cols {
				lt := strings.ToLower(c.Type)
				if strings.Contains(lt, "time") || strings.Contains(lt, "date") || strings.Contains(lt, "serial") {
					t.Errorf("%s.%s has type %s", table, c.Name, c.Type)
				}
				if strings.Contains(strings.ToLower(c.Default), "nextval") || c.Identity == "YES" || strings.Contains(strings.ToLower(c.Default), "now") {
					t.Errorf("%s.%s is generated (%s)", table, c.Name, c.Default)
				}
				for _, word := range strings.Split(strings.ToLower(c.Name), "_") {
					if forbiddenWords[word] {
						t.Errorf("%s.%s could link to a person or a moment", table, c.Name)
					}
				}
			}
			for _, fk := range fks {
				if fk != "votes" {
					t.Errorf("%s references %s", table, fk)
				}
			}
		}
	})
}

// TestCloseShakesTheBallotBox: after the close, the ballots' physical order (and on PostgreSQL their
// row versions) say nothing about the order of casting.
func TestCloseShakesTheBallotBox(t *testing.T) {
	testdb.Dialects(t, func(t *testing.T, s *store.Store) {
		ov := setupVote(t, s, 12, true)
		for i := 0; i < 12; i++ {
			if _, err := s.CastBallot(ctx, vote.CastInput{Code: ov.codes[i], Choices: []ballot.Choice{{OfficialID: ov.official, Level: level(rules.High)}}}); err != nil {
				t.Fatal(err)
			}
		}
		db := s.DB()
		if s.Dialect() == store.Postgres {
			var before int
			db.Raw("SELECT COUNT(DISTINCT xmin::text) FROM ballots WHERE vote_id = ?", ov.id).Scan(&before)
			if before != 12 {
				t.Fatalf("before the close each cast has its own transaction id: got %d", before)
			}
		}
		if _, err := s.CloseVote(ctx, ov.sec, ov.id); err != nil {
			t.Fatal(err)
		}
		var physical []string
		if s.Dialect() == store.Postgres {
			var xmins int
			db.Raw("SELECT COUNT(DISTINCT xmin::text) FROM ballots WHERE vote_id = ?", ov.id).Scan(&xmins)
			if xmins != 1 {
				t.Fatalf("after the close the ballots carry %d transaction ids, want 1", xmins)
			}
			db.Raw("SELECT id FROM ballots WHERE vote_id = ? ORDER BY ctid", ov.id).Scan(&physical)
		} else {
			db.Raw("SELECT id FROM ballots WHERE vote_id = ?", ov.id).Scan(&physical)
		}
		if len(physical) != 12 || !sort.StringsAreSorted(physical) {
			t.Fatalf("the ballots are not stored in random-id order: %v", physical)
		}
		// After the close nothing lets the holder of a code find what it cast.
		var retry int64
		db.Raw("SELECT COUNT(*) FROM ballot_codes WHERE vote_id = ? AND (retry_tag IS NOT NULL OR sealed_receipt IS NOT NULL)", ov.id).Scan(&retry)
		if retry != 0 {
			t.Fatalf("%d codes keep their retry data after the close", retry)
		}
		// SQLite's write-ahead log, which kept the casts in commit order, is emptied.
		if s.Dialect() == store.SQLite {
			var path string
			db.Raw("SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&path)
			if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() != 0 {
				t.Fatalf("the WAL still holds %d bytes after the close", fi.Size())
			}
		}
	})
}

// TestReceiptsAreNotLinkedToBallots: the receipts table shares no key, order or hash with the ballots
// that could match a receipt to its marks; the close's hash is keyed and split.
func TestReceiptsAreNotLinkedToBallots(t *testing.T) {
	testdb.Dialects(t, func(t *testing.T, s *store.Store) {
		ov := setupVote(t, s, 4, true)
		for i, l := range []rules.Level{rules.High, rules.Low, rules.Low, rules.Medium} {
			if _, err := s.CastBallot(ctx, vote.CastInput{Code: ov.codes[i], Choices: []ballot.Choice{{OfficialID: ov.official, Level: level(l)}}}); err != nil {
				t.Fatal(err)
			}
		}
		// A retry while open returns the receipt; after the close, the code says its ballot was recorded.
		again, err := s.CastBallot(ctx, vote.CastInput{Code: ov.codes[0], Choices: []ballot.Choice{{OfficialID: ov.official, Level: level(rules.High)}}})
		if err != nil || !again.Replay {
			t.Fatalf("replay while open: %+v %v", again, err)
		}
		v, err := s.CloseVote(ctx, ov.sec, ov.id)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Count(v.BallotsHash, ":") != 1 {
			t.Fatalf("ballots hash %q", v.BallotsHash)
		}
		_, err = s.CastBallot(ctx, vote.CastInput{Code: ov.codes[0], Choices: []ballot.Choice{{OfficialID: ov.official, Level: level(rules.High)}}})
		if ae, ok := err.(*apperr.Error); !ok || ae.Code != "code_spent_recorded" {
			t.Fatalf("a retry after the close: %v", err)
		}
		var cols []string
		if s.Dialect() == store.SQLite {
			s.DB().Raw("SELECT name FROM pragma_table_info('receipts') ORDER BY name").Scan(&cols)
		} else {
			s.DB().Raw("SELECT column_name FROM information_schema.columns WHERE table_name = 'receipts' ORDER BY column_name").Scan(&cols)
		}
		if strings.Join(cols, ",") != "receipt,vote_id" {
			t.Fatalf("receipts has columns %v", cols)
		}
		var n int64
		s.DB().Raw("SELECT COUNT(*) FROM receipts WHERE vote_id = ?", ov.id).Scan(&n)
		if n != 4 {
			t.Fatalf("%d receipts", n)
		}
	})
}

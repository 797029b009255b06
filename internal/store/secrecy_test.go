package store_test

import (
	"sort"
	"strings"
	"testing"

	"tinnhiem/internal/ballot"
	"tinnhiem/internal/rules"
	"tinnhiem/internal/store"
	"tinnhiem/internal/testdb"
	"tinnhiem/internal/vote"
)

// ballotSide are the tables whose rows come from casting.
var ballotSide = []string{"ballots", "ballot_codes"}

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
			if len(cols) < 3 {
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
	})
}

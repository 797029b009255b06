package store_test

import (
	"database/sql"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	_ "github.com/glebarez/go-sqlite" // a second, outside connection to the embedded database

	"tinnhiem/internal/apperr"

	"tinnhiem/internal/ballot"
	"tinnhiem/internal/roster"
	"tinnhiem/internal/rules"
	"tinnhiem/internal/store"
	"tinnhiem/internal/testdb"
	"tinnhiem/internal/vote"
)

// ballotSide are the shared tables that hold a vote's ballot side after its close; liveSide those of
// a vote that can still be cast on (named after the vote).
var (
	ballotSide = []string{"ballots", "receipts", "sealed_codes", "code_routes"}
	liveSide   = []string{"live_ballots_", "live_receipts_", "live_codes_"}
)

// TestBallotSideSchemaCannotLinkToAPerson reads the live schema: no ballot-side table may have a
// timestamp, a sequence-generated id, or a column or foreign key that could reference a delegate, an
// issuance or a user.
func TestBallotSideSchemaCannotLinkToAPerson(t *testing.T) {
	forbiddenWords := map[string]bool{"delegate": true, "user": true, "issuance": true, "issued": true, "created": true, "updated": true,
		"time": true, "timestamp": true, "at": true, "date": true, "ip": true, "addr": true, "request": true, "seq": true, "actor": true,
		"session": true, "agent": true, "member": true, "order": true, "serial": true}
	testdb.Dialects(t, func(t *testing.T, s *store.Store) {
		db := s.DB()
		ov := setupVote(t, s, 2, false)
		tables := append([]string(nil), ballotSide...)
		for _, prefix := range liveSide {
			tables = append(tables, prefix+strings.ReplaceAll(ov.id, "-", ""))
		}
		for _, table := range tables {
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
			if len(cols) < 1 {
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
		live := "live_ballots_" + strings.ReplaceAll(ov.id, "-", "")
		if s.Dialect() == store.Postgres {
			var before int
			db.Raw("SELECT COUNT(DISTINCT xmin::text) FROM " + live).Scan(&before)
			if before != 12 {
				t.Fatalf("before the close each cast has its own transaction id: got %d", before)
			}
		}
		if _, err := s.CloseVote(ctx, ov.board[0], ov.id); err != nil {
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
		// After the close nothing lets the holder of a code find what it cast: the live tables, with
		// the codes' retry data, are gone; of each code only a digest with its final state stays.
		for _, prefix := range liveSide {
			if db.Migrator().HasTable(prefix + strings.ReplaceAll(ov.id, "-", "")) {
				t.Fatalf("%s of the closed vote still exists", prefix)
			}
		}
		var sealed int64
		db.Raw("SELECT COUNT(*) FROM sealed_codes WHERE vote_id = ?", ov.id).Scan(&sealed)
		if sealed != int64(len(ov.codes)) {
			t.Fatalf("%d sealed codes, want %d", sealed, len(ov.codes))
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
		v, err := s.CloseVote(ctx, ov.board[0], ov.id)
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

// castDistinct opens a vote of n ballots with eight subjects, casts n ballots with distinct marks in
// a known order and returns the vote, its head and the marks in cast order.
func castDistinct(t *testing.T, s *store.Store, n int) (openVote, []string) {
	t.Helper()
	ov := setupVote(t, s, n, true)
	// Seven more subjects cannot join an existing draft: make a second vote on the same council with
	// eight officials, by the same board.
	var council string
	s.DB().Raw("SELECT council_id FROM votes WHERE id = ?", ov.id).Scan(&council)
	ids := []string{ov.official}
	for i := 1; i < 8; i++ {
		o, err := s.CreateOfficial(ctx, admin, council, roster.OfficialInput{FullName: fmt.Sprintf("Người số %d", i),
			Positions: []roster.PositionInput{{Category: "ubnd_uy_vien", Title: "Ủy viên UBND", ElectedOn: "2021-06-25"}}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, o.ID)
	}
	v, err := s.CreateVote(ctx, ov.sec, council, normalized(t, &vote.Input{Kind: rules.Confidence, Title: "Tám người", SessionName: "Kỳ họp",
		SessionOpensOn: "2023-12-06", VoteDate: "2023-12-08", OfficialIDs: ids}))
	if err != nil {
		t.Fatal(err)
	}
	var members []vote.MemberInput
	for i, p := range ov.board {
		members = append(members, vote.MemberInput{UserID: p.UserID, BoardRole: []vote.BoardRole{vote.BoardHead, vote.BoardSecretary, vote.BoardMember}[i]})
	}
	if _, err := s.SetBoard(ctx, ov.sec, v.ID, vote.BoardInput{Members: members}); err != nil {
		t.Fatal(err)
	}
	codes, err := s.GenerateCodes(ctx, ov.board[0], v.ID, vote.CodesInput{Count: n})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.OpenVote(ctx, ov.board[0], v.ID); err != nil {
		t.Fatal(err)
	}
	for _, d := range ov.delegates {
		if _, err := s.IssueBallot(ctx, ov.board[1], v.ID, vote.IssueInput{DelegateID: d.ID}); err != nil {
			t.Fatal(err)
		}
	}
	letters := []rules.Level{rules.High, rules.Medium, rules.Low}
	marks := make([]string, n)
	for i := 0; i < n; i++ {
		var choices []ballot.Choice
		var m strings.Builder
		x := (i*37 + 11) % 6561 // 3^8 combinations of three levels over eight rows; 37 is prime to 3
		for _, id := range ids {
			l := letters[x%3]
			x /= 3
			choices = append(choices, ballot.Choice{OfficialID: id, Level: level(l)})
			m.WriteByte(ballot.Letter(l))
		}
		marks[i] = m.String()
		if _, err := s.CastBallot(ctx, vote.CastInput{Code: codes[i], Choices: choices}); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]bool{}
	for _, m := range marks {
		if seen[m] {
			t.Fatalf("marks %s twice: the test needs distinct ballots", m)
		}
		seen[m] = true
	}
	ov.id, ov.codes = v.ID, codes
	return ov, marks
}

// TestCloseLeavesNoRowVersionOfTheCasting makes the database reader's attack of the security review
// on PostgreSQL: after the close, every relation file of the ballot side (tables, their TOAST, every
// index) is read with pg_read_binary_file. Each ballot's marks appear exactly once (no earlier row
// version survives), in ballot-id order (no cast order), and the live tables' files are gone.
func TestCloseLeavesNoRowVersionOfTheCasting(t *testing.T) {
	s := testdb.Postgres(t)
	if s == nil {
		return
	}
	db := s.DB()
	ov, marks := castDistinct(t, s, 60)
	relations := func(tables ...string) []string {
		var paths []string
		for _, table := range tables {
			var rels []string
			db.Raw(`SELECT c.oid::regclass::text FROM pg_class c WHERE c.oid = ?::regclass
				UNION SELECT i.indexrelid::regclass::text FROM pg_index i WHERE i.indrelid = ?::regclass
				UNION SELECT c.reltoastrelid::regclass::text FROM pg_class c WHERE c.oid = ?::regclass AND c.reltoastrelid <> 0
				UNION SELECT i.indexrelid::regclass::text FROM pg_index i JOIN pg_class c ON i.indrelid = c.reltoastrelid WHERE c.oid = ?::regclass`,
				table, table, table, table).Scan(&rels)
			for _, rel := range rels {
				var p string
				db.Raw("SELECT pg_relation_filepath(?::regclass)", rel).Scan(&p)
				paths = append(paths, p)
			}
		}
		return paths
	}
	id := strings.ReplaceAll(ov.id, "-", "")
	liveFiles := relations("live_ballots_"+id, "live_receipts_"+id, "live_codes_"+id)
	if len(liveFiles) < 6 {
		t.Fatalf("found only %d relation files of the live tables", len(liveFiles))
	}
	if _, err := s.CloseVote(ctx, ov.board[0], ov.id); err != nil {
		t.Fatal(err)
	}
	for _, p := range liveFiles {
		var size *int64
		db.Raw("SELECT (pg_stat_file(?, true)).size", p).Scan(&size)
		if size != nil && *size > 0 {
			t.Errorf("the live relation file %s still holds %d bytes", p, *size)
		}
	}
	var all []byte
	var ballotsFile []byte
	for _, p := range relations("ballots", "receipts", "sealed_codes", "code_routes") {
		var b []byte
		if err := db.Raw("SELECT pg_read_binary_file(?)", p).Row().Scan(&b); err != nil {
			t.Fatal(err)
		}
		all = append(all, b...)
		var heap string
		db.Raw("SELECT pg_relation_filepath('ballots')").Scan(&heap)
		if p == heap {
			ballotsFile = b
		}
	}
	if len(ballotsFile) == 0 {
		t.Fatal("could not read the ballots table's file")
	}
	type found struct {
		at    int
		marks string
	}
	var order []found
	for _, m := range marks {
		if n := strings.Count(string(all), m); n != 1 {
			t.Errorf("marks %s appear %d times in the ballot side's files (a row version of the casting survives)", m, n)
		}
		order = append(order, found{strings.Index(string(ballotsFile), m), m})
	}
	sort.Slice(order, func(i, j int) bool { return order[i].at < order[j].at })
	inFile := make([]string, len(order))
	for i, f := range order {
		inFile[i] = f.marks
	}
	reversed := append([]string(nil), marks...)
	slices.Reverse(reversed) // a heap page fills from its end
	if got := strings.Join(inFile, ","); got == strings.Join(marks, ",") || got == strings.Join(reversed, ",") {
		t.Fatal("the ballots file keeps the order of casting")
	}
	var byID, byPlace []string
	db.Raw("SELECT marks FROM ballots WHERE vote_id = ? ORDER BY id", ov.id).Scan(&byID)
	db.Raw("SELECT marks FROM ballots WHERE vote_id = ? ORDER BY ctid", ov.id).Scan(&byPlace)
	if strings.Join(byPlace, ",") != strings.Join(byID, ",") {
		t.Fatal("the ballots are not stored in random-id order")
	}
}

// TestSQLiteCloseLeavesNoRowVersionOfTheCasting: the same attack on the embedded database's file and
// its write-ahead log, read as bytes.
func TestSQLiteCloseLeavesNoRowVersionOfTheCasting(t *testing.T) {
	s := testdb.SQLite(t)
	ov, marks := castDistinct(t, s, 60)
	if _, err := s.CloseVote(ctx, ov.board[0], ov.id); err != nil {
		t.Fatal(err)
	}
	var path string
	s.DB().Raw("SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&path)
	var all []byte
	for _, p := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	for _, m := range marks {
		if n := strings.Count(string(all), m); n != 1 {
			t.Errorf("marks %s appear %d times in the database file and its WAL", m, n)
		}
	}
}

// TestSQLiteWipeWaitsForAReader holds a read transaction open on the embedded database while the vote
// closes: the close cannot truncate the WAL, says so (wipe_pending), and the wipe is finished once the
// reader lets go.
func TestSQLiteWipeWaitsForAReader(t *testing.T) {
	url := testdb.SQLiteURL(t)
	s, err := store.Open(ctx, url, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ov := setupVote(t, s, 3, true)
	if _, err := s.CastBallot(ctx, vote.CastInput{Code: ov.codes[0], Choices: []ballot.Choice{{OfficialID: ov.official, Level: level(rules.Low)}}}); err != nil {
		t.Fatal(err)
	}
	reader, err := sql.Open("sqlite", url)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	tx, err := reader.Begin()
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := tx.QueryRow("SELECT COUNT(*) FROM votes").Scan(&n); err != nil {
		t.Fatal(err)
	}
	v, err := s.CloseVote(ctx, ov.board[0], ov.id)
	if err != nil {
		t.Fatal(err)
	}
	if v.Status != vote.Closed || !v.WipePending {
		t.Fatalf("a close whose WAL could not be truncated: status %s, wipe pending %v", v.Status, v.WipePending)
	}
	if pending, _ := s.FinishWipes(ctx); pending != 1 {
		t.Fatalf("still held: %d pending", pending)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if pending, err := s.FinishWipes(ctx); pending != 0 || err != nil {
		t.Fatalf("after the reader let go: %d pending, %v", pending, err)
	}
	path := strings.TrimPrefix(url, "file:")
	fi, err := os.Stat(path + "-wal")
	v, _ = s.GetVote(ctx, ov.board[0], ov.id)
	if v.WipePending || (err == nil && fi.Size() != 0) {
		t.Fatalf("after the wipe: pending %v, WAL %v", v.WipePending, fi)
	}
}

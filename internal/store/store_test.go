package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/audit"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/civil"
	"tinnhiem/internal/roster"
	"tinnhiem/internal/store"
	"tinnhiem/internal/testdb"
)

var (
	ctx   = context.Background()
	admin = auth.Principal{UserID: "u-admin", Username: "admin", Role: auth.RoleAdmin, RequestID: "req-1"}
)

func mkCouncil(t *testing.T, s *store.Store) roster.Council {
	t.Helper()
	c, err := s.CreateCouncil(ctx, admin, roster.CouncilInput{Name: "Hội đồng nhân dân tỉnh Mẫu", Body: "hdnd", Level: "tinh",
		Place: "tỉnh Mẫu", Khoa: "XVII", TermStartYear: 2021, TermEndYear: 2026})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func wantKind(t *testing.T, err error, kind apperr.Kind) {
	t.Helper()
	if !apperr.IsKind(err, kind) {
		t.Fatalf("got error %v, want kind %s", err, kind)
	}
}

func TestMigrationsAreIdempotent(t *testing.T) {
	testdb.Dialects(t, func(t *testing.T, s *store.Store) {
		applied, err := s.Migrate(ctx)
		if err != nil || len(applied) != 0 {
			t.Fatalf("second migrate: applied %v, err %v", applied, err)
		}
		if err := s.CheckSchema(ctx); err != nil {
			t.Fatal(err)
		}
		if err := store.CheckRowStructs(s); err != nil {
			t.Fatal(err)
		}
	})
}

func TestBothDialectsHaveTheSameMigrations(t *testing.T) {
	pg, err1 := store.Migrations(store.Postgres)
	lite, err2 := store.Migrations(store.SQLite)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if len(pg) != len(lite) {
		t.Fatalf("postgres has %d migrations, sqlite %d", len(pg), len(lite))
	}
	for i := range pg {
		if pg[i].Name != lite[i].Name {
			t.Errorf("migration %d: %s vs %s", i+1, pg[i].Name, lite[i].Name)
		}
	}
}

func TestEmptyDatabaseFailsSchemaCheck(t *testing.T) {
	s, err := store.Open(ctx, t.TempDir()+"/empty.db", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.CheckSchema(ctx); err == nil || !strings.Contains(err.Error(), "tinnhiem migrate") {
		t.Fatalf("got %v, want a hint to migrate", err)
	}
}

func TestUsersAndAdminBootstrap(t *testing.T) {
	testdb.Dialects(t, func(t *testing.T, s *store.Store) {
		created, err := s.EnsureAdmin(ctx, "mat-khau-quan-tri")
		if err != nil || !created {
			t.Fatalf("created %v, err %v", created, err)
		}
		if created, _ := s.EnsureAdmin(ctx, "other-password"); created {
			t.Fatal("a second admin was created on a non-empty database")
		}
		u, hash, err := s.Credentials(ctx, "admin")
		if err != nil || u.Role != auth.RoleAdmin {
			t.Fatalf("got %+v %v", u, err)
		}
		if ok, _ := auth.CheckPassword(hash, "mat-khau-quan-tri"); !ok {
			t.Fatal("bootstrap password does not match")
		}
		c := mkCouncil(t, s)
		sec, err := s.CreateUser(ctx, admin, auth.UserInput{Username: "thuky", Password: "mat-khau-thu-ky", FullName: "Thư ký", Role: "secretariat", CouncilID: c.ID})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.CreateUser(ctx, admin, auth.UserInput{Username: "thuky", Password: "mat-khau-thu-ky", FullName: "X", Role: "board", CouncilID: c.ID})
		wantKind(t, err, apperr.Conflict)
		_, err = s.CreateUser(ctx, admin, auth.UserInput{Username: "bkp", Password: "mat-khau-thu-ky", FullName: "X", Role: "board"})
		wantKind(t, err, apperr.Invalid)
		_, err = s.CreateUser(ctx, admin, auth.UserInput{Username: "bkp", Password: "mat-khau-thu-ky", FullName: "X", Role: "board", CouncilID: "no-such"})
		wantKind(t, err, apperr.NotFound)
		_, err = s.CreateUser(ctx, auth.Principal{Role: auth.RoleSecretariat, CouncilID: c.ID}, auth.UserInput{Username: "bkp", Password: "mat-khau-thu-ky", FullName: "X", Role: "board", CouncilID: c.ID})
		wantKind(t, err, apperr.Forbidden)
		off := false
		if _, err := s.UpdateUser(ctx, admin, sec.ID, auth.UserPatch{Active: &off}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Credentials(ctx, "thuky"); !apperr.IsKind(err, apperr.NotFound) {
			t.Fatalf("a deactivated user can still log in: %v", err)
		}
	})
}

func TestDelegatesRosterAndT(t *testing.T) {
	testdb.Dialects(t, func(t *testing.T, s *store.Store) {
		c := mkCouncil(t, s)
		sec := auth.Principal{UserID: "u-sec", Username: "thuky", Role: auth.RoleSecretariat, CouncilID: c.ID}
		for _, in := range []roster.DelegateInput{
			{FullName: "Trần Văn Đức", Code: "DB01"},
			{FullName: "Nguyễn Thị Ánh", Code: "DB02", TookOfficeOn: "2021-07-01"},
			{FullName: "Phạm Văn An", Code: "DB03", LeftOfficeOn: "2024-03-15"},
		} {
			if _, err := s.CreateDelegate(ctx, sec, c.ID, in); err != nil {
				t.Fatal(err)
			}
		}
		_, err := s.CreateDelegate(ctx, sec, c.ID, roster.DelegateInput{FullName: "Lê Văn Em", Code: "db01"})
		wantKind(t, err, apperr.Invalid)
		list, err := s.ListDelegates(ctx, sec, c.ID, roster.DelegateFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, d := range list {
			names = append(names, d.FullName)
		}
		if got := strings.Join(names, ", "); got != "Phạm Văn An, Nguyễn Thị Ánh, Trần Văn Đức" {
			t.Fatalf("got order %s", got)
		}
		for day, want := range map[string]int{"2021-06-30": 2, "2021-07-01": 3, "2024-03-15": 2} {
			n, err := s.CountDelegatesInOffice(ctx, c.ID, civil.MustParse(day))
			if err != nil || n != want {
				t.Errorf("T on %s: got %d (%v), want %d", day, n, err, want)
			}
		}
		off := false
		d := list[0]
		if _, err := s.UpdateDelegate(ctx, sec, c.ID, d.ID, roster.DelegateInput{FullName: d.FullName, Code: d.Code, LeftOfficeOn: "2024-03-15", Active: &off}); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.CountDelegatesInOffice(ctx, c.ID, civil.MustParse("2022-01-01")); n != 2 {
			t.Fatalf("T after deactivation: got %d, want 2", n)
		}
		board := auth.Principal{Role: auth.RoleBoard, CouncilID: c.ID}
		_, err = s.CreateDelegate(ctx, board, c.ID, roster.DelegateInput{FullName: "X Y", Code: "DB09"})
		wantKind(t, err, apperr.Forbidden)
		if _, err := s.ListDelegates(ctx, board, c.ID, roster.DelegateFilter{}); err != nil {
			t.Fatalf("board cannot read the roster: %v", err)
		}
		_, err = s.ListDelegates(ctx, auth.Principal{Role: auth.RoleSecretariat, CouncilID: "other"}, c.ID, roster.DelegateFilter{})
		wantKind(t, err, apperr.NotFound)
	})
}

func TestImportIsAllOrNothing(t *testing.T) {
	testdb.Dialects(t, func(t *testing.T, s *store.Store) {
		c := mkCouncil(t, s)
		if _, err := s.CreateDelegate(ctx, admin, c.ID, roster.DelegateInput{FullName: "Trần Văn Đức", Code: "DB07"}); err != nil {
			t.Fatal(err)
		}
		rows, fields := roster.ParseDelegatesCSV([]byte("full_name,code\nNguyễn Văn An,DB05\nLê Thị Hoa,DB07\n"))
		if len(fields) > 0 {
			t.Fatal(fields)
		}
		_, err := s.ImportDelegates(ctx, admin, c.ID, rows, false)
		var ae *apperr.Error
		if !errors.As(err, &ae) || len(ae.Fields) != 1 || ae.Fields[0].Field != "line 3: code" {
			t.Fatalf("got %v", err)
		}
		list, _ := s.ListDelegates(ctx, admin, c.ID, roster.DelegateFilter{IncludeInactive: true})
		if len(list) != 1 {
			t.Fatalf("a failed import wrote %d delegates", len(list)-1)
		}
		rows, _ = roster.ParseDelegatesCSV([]byte("full_name,code\nNguyễn Văn An,DB05\nLê Thị Hoa,DB06\n"))
		if n, err := s.ImportDelegates(ctx, admin, c.ID, rows, true); err != nil || n != 2 {
			t.Fatalf("dry run: got %d, %v", n, err)
		}
		if list, _ := s.ListDelegates(ctx, admin, c.ID, roster.DelegateFilter{IncludeInactive: true}); len(list) != 1 {
			t.Fatalf("a dry run wrote %d delegates", len(list)-1)
		}
		if n, err := s.ImportDelegates(ctx, admin, c.ID, rows, false); err != nil || n != 2 {
			t.Fatalf("got %d, %v", n, err)
		}
		orows, fields := roster.ParseOfficialsCSV([]byte("full_name,category,title,elected_on,retirement_announced\n" +
			"Hoàng Văn Em,hdnd_pho_chu_tich,Phó Chủ tịch HĐND tỉnh,2021-06-25,\n" +
			"Hoàng Văn Em,hdnd_truong_ban,Trưởng Ban Kinh tế - Ngân sách,2021-06-25,\n"))
		if len(fields) > 0 {
			t.Fatal(fields)
		}
		if _, err := s.ImportOfficials(ctx, admin, c.ID, orows, false); err != nil {
			t.Fatal(err)
		}
		os, err := s.ListOfficials(ctx, admin, c.ID, false)
		if err != nil || len(os) != 1 || len(os[0].Positions) != 2 || os[0].Positions[1].Category != "hdnd_truong_ban" {
			t.Fatalf("got %+v %v", os, err)
		}
	})
}

func TestAuditChainAndAppendOnly(t *testing.T) {
	testdb.Dialects(t, func(t *testing.T, s *store.Store) {
		c := mkCouncil(t, s)
		var wg sync.WaitGroup
		for i := 0; i < 8; i++ { // concurrent writers still make one unbroken chain
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				_, err := s.CreateDelegate(ctx, admin, c.ID, roster.DelegateInput{FullName: "Đại biểu Số", Code: "C" + string(rune('A'+i))})
				if err != nil {
					t.Error(err)
				}
			}(i)
		}
		wg.Wait()
		r, err := s.VerifyAudit(ctx)
		if err != nil || !r.OK || r.Events != 9 {
			t.Fatalf("got %+v, %v", r, err)
		}
		db := s.DB()
		if err := db.Exec("UPDATE audit_events SET actor_name = 'mallory' WHERE seq = 3").Error; err == nil {
			t.Fatal("the database allowed an UPDATE of the audit log")
		}
		if err := db.Exec("DELETE FROM audit_events WHERE seq = 3").Error; err == nil {
			t.Fatal("the database allowed a DELETE from the audit log")
		}
		// INSERT OR REPLACE (SQLite) and INSERT ... ON CONFLICT DO UPDATE (PostgreSQL) replace a row
		// without an UPDATE or DELETE statement: refused too.
		replace := `INSERT OR REPLACE INTO audit_events (seq, at, actor_id, actor_name, action, object_type, object_id, summary, request_id, prev_hash, hash)
			SELECT seq, at, actor_id, 'mallory', action, object_type, object_id, summary, request_id, prev_hash, hash FROM audit_events WHERE seq = 3`
		if s.Dialect() == store.Postgres {
			replace = `INSERT INTO audit_events (seq, at, actor_id, actor_name, action, object_type, object_id, summary, request_id, prev_hash, hash)
			SELECT seq, at, actor_id, 'mallory', action, object_type, object_id, summary, request_id, prev_hash, hash FROM audit_events WHERE seq = 3
			ON CONFLICT (seq) DO UPDATE SET actor_name = excluded.actor_name`
		}
		if err := db.Exec(replace).Error; err == nil {
			t.Fatal("the database allowed an event to be replaced")
		}
		var name string
		db.Raw("SELECT actor_name FROM audit_events WHERE seq = 3").Scan(&name)
		if name == "mallory" {
			t.Fatal("event 3 was replaced")
		}
		// With the protection removed, the verifier still names the altered event.
		if s.Dialect() == store.Postgres {
			db.Exec("DROP TRIGGER audit_events_no_update ON audit_events")
		} else {
			db.Exec("DROP TRIGGER audit_events_no_update")
		}
		if err := db.Exec("UPDATE audit_events SET summary = '{\"code\":\"X\"}' WHERE seq = 4").Error; err != nil {
			t.Fatal(err)
		}
		r, err = s.VerifyAudit(ctx)
		if err != nil || r.OK || r.FirstBadEvent == nil || *r.FirstBadEvent != 4 {
			t.Fatalf("got %+v, %v; want event 4 named", r, err)
		}
		events, err := s.ListAudit(ctx, admin, audit.Filter{CouncilID: c.ID, After: 1, Limit: 3})
		if err != nil || len(events) != 3 || events[0].Seq != 2 {
			t.Fatalf("got %d events (%v)", len(events), err)
		}
		if _, err := s.ListAudit(ctx, auth.Principal{Role: auth.RoleObserver, CouncilID: "other"}, audit.Filter{CouncilID: c.ID}); !apperr.IsKind(err, apperr.NotFound) {
			t.Fatalf("another council's observer read the log: %v", err)
		}
	})
}

// TestVerifyDuringWrites: verifying while events are appended never reports a false break.
func TestVerifyDuringWrites(t *testing.T) {
	testdb.Dialects(t, func(t *testing.T, s *store.Store) {
		c := mkCouncil(t, s)
		done := make(chan struct{})
		go func() {
			defer close(done)
			for i := 0; i < 40; i++ {
				if _, err := s.CreateDelegate(ctx, admin, c.ID, roster.DelegateInput{FullName: "Đại biểu", Code: fmt.Sprintf("W%d", i)}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
		for checks := 0; ; checks++ {
			r, err := s.VerifyAudit(ctx)
			if err != nil || !r.OK {
				t.Fatalf("check %d: got %+v, %v", checks, r, err)
			}
			select {
			case <-done:
				return
			default:
			}
		}
	})
}

func TestUpdatesKeepActiveAndRecordChanges(t *testing.T) {
	testdb.Dialects(t, func(t *testing.T, s *store.Store) {
		c := mkCouncil(t, s)
		d, err := s.CreateDelegate(ctx, admin, c.ID, roster.DelegateInput{FullName: "Nguyễn Văn An", Code: "ĐB01"})
		if err != nil {
			t.Fatal(err)
		}
		off := false
		if _, err := s.UpdateDelegate(ctx, admin, c.ID, d.ID, roster.DelegateInput{FullName: d.FullName, Code: d.Code, Active: &off}); err != nil {
			t.Fatal(err)
		}
		// An edit that does not mention "active" keeps the delegate deactivated.
		got, err := s.UpdateDelegate(ctx, admin, c.ID, d.ID, roster.DelegateInput{FullName: "Nguyễn Văn Ân", Code: d.Code})
		if err != nil || got.Active {
			t.Fatalf("got %+v, %v", got, err)
		}
		events, _ := s.ListAudit(ctx, admin, audit.Filter{CouncilID: c.ID, Limit: 1000})
		last := events[len(events)-1]
		if last.Summary != `{"full_name":{"from":"Nguyễn Văn An","to":"Nguyễn Văn Ân"}}` {
			t.Fatalf("got summary %s", last.Summary)
		}
		_, err = s.UpdateDelegate(ctx, admin, c.ID, d.ID, roster.DelegateInput{FullName: "Nguyễn Văn Ân", Code: d.Code})
		wantKind(t, err, apperr.Invalid)
		// Codes are unique case-insensitively beyond ASCII: đb01 is ĐB01.
		_, err = s.CreateDelegate(ctx, admin, c.ID, roster.DelegateInput{FullName: "Trần Văn B", Code: "đb01"})
		wantKind(t, err, apperr.Invalid)
	})
}

func TestOfficialsImportRefusesDuplicatesAndForeignPosts(t *testing.T) {
	testdb.Dialects(t, func(t *testing.T, s *store.Store) {
		c := mkCouncil(t, s)
		csv := "full_name,category,title,elected_on,retirement_announced\nHoàng Văn Em,hdnd_chu_tich,Chủ tịch HĐND tỉnh,2021-06-25,\n"
		rows, _ := roster.ParseOfficialsCSV([]byte(csv))
		if _, err := s.ImportOfficials(ctx, admin, c.ID, rows, false); err != nil {
			t.Fatal(err)
		}
		_, err := s.ImportOfficials(ctx, admin, c.ID, rows, false)
		var ae *apperr.Error
		if !errors.As(err, &ae) || len(ae.Fields) != 1 || ae.Fields[0].Code != "official_exists" {
			t.Fatalf("re-import: got %v", err)
		}
		rows, _ = roster.ParseOfficialsCSV([]byte("full_name,category,title,elected_on,retirement_announced\nPhạm Minh C,thu_tuong,Thủ tướng,2021-06-25,\n"))
		if _, err := s.ImportOfficials(ctx, admin, c.ID, rows, false); !errors.As(err, &ae) || ae.Fields[0].Code != "category_not_for_body" {
			t.Fatalf("a Prime Minister on a provincial council: got %v", err)
		}
		_, err = s.CreateOfficial(ctx, admin, c.ID, roster.OfficialInput{FullName: "X Y", Positions: []roster.PositionInput{{Category: "bo_truong", Title: "Bộ trưởng", ElectedOn: "2021-01-01"}}})
		wantKind(t, err, apperr.Invalid)
	})
}

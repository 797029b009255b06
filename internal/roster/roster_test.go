package roster

import (
	"strings"
	"testing"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/civil"
)

func fieldNames(fs []apperr.FieldError) string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Field+"="+f.Code)
	}
	return strings.Join(out, "; ")
}

func TestDelegateInOffice(t *testing.T) {
	took, left := civil.MustParse("2021-07-01"), civil.MustParse("2024-03-15")
	d := Delegate{Active: true, TookOfficeOn: &took, LeftOfficeOn: &left}
	cases := map[string]bool{"2021-06-30": false, "2021-07-01": true, "2024-03-14": true, "2024-03-15": false}
	for day, want := range cases {
		if got := d.InOffice(civil.MustParse(day)); got != want {
			t.Errorf("in office on %s: got %v, want %v", day, got, want)
		}
	}
	if !(Delegate{Active: true}).InOffice(civil.MustParse("1990-01-01")) {
		t.Error("a delegate without dates is in office on any date")
	}
	if (Delegate{Active: false}).InOffice(civil.MustParse("2024-01-01")) {
		t.Error("a deactivated delegate is not in office")
	}
}

func TestCouncilInputValidation(t *testing.T) {
	in := CouncilInput{Name: "  Hội đồng   nhân dân tỉnh Mẫu ", Body: "hdnd", Level: "tinh", Place: "tỉnh Mẫu", Khoa: "XVII", TermStartYear: 2021, TermEndYear: 2026}
	if err := in.Normalize(); err != nil {
		t.Fatal(err)
	}
	if in.Name != "Hội đồng nhân dân tỉnh Mẫu" {
		t.Fatalf("name not cleaned: %q", in.Name)
	}
	bad := CouncilInput{Name: "", Body: "senate", Level: "tinh", Place: "x\ty", Khoa: "XVII", TermStartYear: 2026, TermEndYear: 2021}
	err := bad.Normalize()
	var ae *apperr.Error
	if !errorsAs(err, &ae) {
		t.Fatalf("got %v", err)
	}
	got := fieldNames(ae.Fields)
	for _, want := range []string{"name=required", "body=one_of", "term_end_year=term_order"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %s in %s", want, got)
		}
	}
	qh := CouncilInput{Name: "Quốc hội", Body: "quoc_hoi", Level: "tinh", Place: "Hà Nội", Khoa: "XV", TermStartYear: 2021, TermEndYear: 2026}
	if err := qh.Normalize(); err == nil {
		t.Error("the National Assembly at provincial level was accepted")
	}
}

func errorsAs(err error, target **apperr.Error) bool {
	ae, ok := err.(*apperr.Error)
	if ok {
		*target = ae
	}
	return ok
}

func TestParseDelegatesCSVReportsEveryBadLine(t *testing.T) {
	data := "\xef\xbb\xbffull_name,code,took_office_on\n" +
		"Nguyễn Văn An,DB01,2021-07-01\n" +
		",DB02,\n" +
		"Trần Thị Bình,DB01,\n" +
		"Lê Văn Cường,DB04,2021-02-30\n" +
		"Phạm Thị Dung,DB05\n"
	rows, fields := ParseDelegatesCSV([]byte(data))
	if rows != nil {
		t.Fatal("rows returned despite bad lines")
	}
	got := fieldNames(fields)
	for _, want := range []string{"line 3: full_name=required", "line 4: code=duplicate_in_file", "line 5: took_office_on=invalid_date", "line 6: *=csv_columns"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in %s", want, got)
		}
	}
	rows, fields = ParseDelegatesCSV([]byte("full_name,code\nNguyễn Văn An,DB01\n\nTrần Thị Bình,DB02\n"))
	if len(fields) != 0 || len(rows) != 2 || rows[1].Line != 4 {
		t.Fatalf("got %v %v", rows, fields)
	}
}

func TestParseDelegatesCSVRejectsBadFiles(t *testing.T) {
	cases := map[string]string{
		"header":  "name,code\nA,B\n",
		"typo":    "full_name,code,took_ofice_on\nA,B,2021-01-01\n",
		"twice":   "full_name,code,code\nA,B,C\n",
		"empty":   "",
		"no rows": "full_name,code\n",
		"utf8":    "full_name,code\nNguy\xff,DB1\n",
		"quote":   "full_name,code\n\"A,B\n",
	}
	for name, data := range cases {
		rows, fields := ParseDelegatesCSV([]byte(data))
		if rows != nil || len(fields) == 0 {
			t.Errorf("%s: got %v %v", name, rows, fields)
		}
	}
}

func TestParseOfficialsCSVMergesPosts(t *testing.T) {
	data := "full_name,category,title,elected_on,retirement_announced\n" +
		"Hoàng Văn Em,hdnd_pho_chu_tich,Phó Chủ tịch HĐND tỉnh,2021-06-25,\n" +
		"Hoàng Văn Em,hdnd_truong_ban,Trưởng Ban Kinh tế - Ngân sách,2021-06-25,không\n" +
		"Vũ Thị Gấm,ubnd_chu_tich,Chủ tịch UBND tỉnh,2023-01-10,có\n"
	rows, fields := ParseOfficialsCSV([]byte(data))
	if len(fields) != 0 {
		t.Fatal(fieldNames(fields))
	}
	if len(rows) != 2 || len(rows[0].Input.Positions) != 2 || !rows[1].Input.RetirementAnnounced {
		t.Fatalf("got %+v", rows)
	}
	_, fields = ParseOfficialsCSV([]byte("full_name,category,title,elected_on,retirement_announced\nA B,hdnd_chu_tich,Chủ tịch,2021-01-01,có\nA B,hdnd_truong_ban,Trưởng Ban,2021-01-01,\n"))
	if got := fieldNames(fields); got != "line 3: retirement_announced=csv_inconsistent" {
		t.Errorf("lines of one person disagreeing: got %s", got)
	}
	_, fields = ParseOfficialsCSV([]byte("full_name,category,title,elected_on,retirement_announced\nA B,giam_doc,Giám đốc,2021-13-01,maybe\n"))
	got := fieldNames(fields)
	for _, want := range []string{"line 2: category=unknown_category", "line 2: elected_on=invalid_date", "line 2: retirement_announced=boolean"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in %s", want, got)
		}
	}
}

func TestSortNamesVietnameseOrder(t *testing.T) {
	names := []string{"Trần Văn Đức", "Nguyễn Thị Ánh", "Lê Văn Dũng", "Phạm Văn An", "Nguyễn Văn Ân", "Đỗ Thị Ăn", "Bùi Văn Bình"}
	SortNames(names, func(s string) string { return s }, func(s string) string { return s })
	want := []string{"Phạm Văn An", "Nguyễn Thị Ánh", "Đỗ Thị Ăn", "Nguyễn Văn Ân", "Bùi Văn Bình", "Lê Văn Dũng", "Trần Văn Đức"}
	if strings.Join(names, "|") != strings.Join(want, "|") {
		t.Fatalf("got  %v\nwant %v", names, want)
	}
}

// FuzzCSVImports: the importers never panic; whatever they accept is clean (no control characters,
// names and codes present, line numbers increasing) and whatever they refuse names a line.
func FuzzCSVImports(f *testing.F) {
	f.Add([]byte("full_name,code\nNguyễn Văn An,DB01\n"))
	f.Add([]byte("\xef\xbb\xbffull_name,code,took_office_on\n\"A\nB\",C,2021-02-30\n"))
	f.Add([]byte("full_name,category,title,elected_on,retirement_announced\nA B,hdnd_chu_tich,Chủ tịch,2021-01-01,có\nA B,hdnd_truong_ban,T,2021-01-01,có\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, fields := ParseDelegatesCSV(data)
		if (rows == nil) == (len(fields) == 0) && len(data) > 0 {
			t.Fatalf("delegates: rows %v and problems %v", rows, fields)
		}
		last := 0
		for _, r := range rows {
			if r.Line <= last || r.Input.FullName == "" || r.Input.Code == "" || validateHasControl(r.Input.FullName) {
				t.Fatalf("delegates: accepted %+v", r)
			}
			last = r.Line
		}
		for _, fe := range fields {
			if !strings.HasPrefix(fe.Field, "line ") {
				t.Fatalf("a problem without its line: %+v", fe)
			}
		}
		orows, ofields := ParseOfficialsCSV(data)
		for _, r := range orows {
			if r.Input.FullName == "" || len(r.Input.Positions) == 0 || len(r.Lines) != len(r.Input.Positions) {
				t.Fatalf("officials: accepted %+v", r)
			}
		}
		for _, fe := range ofields {
			if !strings.HasPrefix(fe.Field, "line ") {
				t.Fatalf("a problem without its line: %+v", fe)
			}
		}
	})
}

func validateHasControl(s string) bool {
	for _, r := range s {
		if r < 32 || r == 0x7f {
			return true
		}
	}
	return false
}

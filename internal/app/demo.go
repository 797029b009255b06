package app

import (
	"context"
	"fmt"
	"io"
	"time"

	"tinnhiem/internal/auth"
	"tinnhiem/internal/roster"
	"tinnhiem/internal/store"
)

// DemoPassword is the password of every demo account. The demo council is fictional and marked as
// such; a real deployment starts with "tinnhiem serve", which never seeds.
const DemoPassword = "demo-tinnhiem"

// DemoCouncilName marks the seeded council as demonstration data.
const DemoCouncilName = "Hội đồng nhân dân tỉnh Sơn Hà"

var demoUsers = []struct {
	username, fullName, duty string
	role                     auth.Role
}{
	{"thuky", "Đinh Thị Thu", "Văn phòng HĐND", auth.RoleSecretariat},
	{"bkp.truongban", "Lương Văn Khải", "Trưởng Ban kiểm phiếu", auth.RoleBoard},
	{"bkp.thuky", "Mai Thị Hằng", "Thư ký Ban kiểm phiếu", auth.RoleBoard},
	{"bkp.uyvien", "Tạ Văn Minh", "Ủy viên Ban kiểm phiếu", auth.RoleBoard},
	{"quansat", "Phùng Thị Lan", "Quan sát viên (màn hình hội trường)", auth.RoleObserver},
}

// SeedDemo creates, on a database without councils, a fictional provincial council with 50
// delegates, a dozen officials, a secretariat user, three board users and an observer; and prints
// the logins whenever the demo council is there.
func SeedDemo(ctx context.Context, st *store.Store, out io.Writer) error {
	sys := auth.System("demo")
	councils, err := st.ListCouncils(ctx, sys)
	if err != nil {
		return err
	}
	demo := false
	for _, c := range councils {
		demo = demo || c.Demo
	}
	if len(councils) == 0 {
		if err := seedDemo(ctx, st, sys); err != nil {
			return fmt.Errorf("seed the demo council: %w", err)
		}
		demo = true
		fmt.Fprintln(out, "Đã tạo hội đồng minh họa / seeded the demo council: "+DemoCouncilName+" (dữ liệu minh họa, không có thật / fictional)")
	}
	if demo {
		fmt.Fprintf(out, "\n  Tài khoản minh họa / demo logins (mật khẩu / password: %s):\n", DemoPassword)
		for _, u := range demoUsers {
			fmt.Fprintf(out, "    %-15s %-12s %s, %s\n", u.username, u.role, u.fullName, u.duty)
		}
		fmt.Fprintln(out)
	}
	return nil
}

// seedDemo makes this year the third year of the demo council's term (the year the law holds the
// vote), so a new user can run a vote dated today without warnings about its timing.
func seedDemo(ctx context.Context, st *store.Store, sys auth.Principal) error {
	year := time.Now().Year()
	start := year - 2
	council := roster.CouncilInput{Name: DemoCouncilName, Body: roster.BodyHDND, Level: roster.LevelTinh,
		Place: "tỉnh Sơn Hà", Khoa: "XI", TermStartYear: start, TermEndYear: start + 5, Demo: true}
	if err := council.Normalize(); err != nil {
		return err
	}
	c, err := st.CreateCouncil(ctx, sys, council)
	if err != nil {
		return err
	}
	for _, u := range demoUsers {
		in := auth.UserInput{Username: u.username, Password: DemoPassword, FullName: u.fullName, Role: u.role, CouncilID: c.ID}
		if err := in.Normalize(); err != nil {
			return err
		}
		if _, err := st.CreateUser(ctx, sys, in); err != nil {
			return err
		}
	}
	rows := make([]roster.DelegateRow, 0, 50)
	for i, name := range demoDelegateNames() {
		rows = append(rows, roster.DelegateRow{Line: i + 2, Input: roster.DelegateInput{FullName: name, Code: fmt.Sprintf("DB%02d", i+1)}})
	}
	if _, err := st.ImportDelegates(ctx, sys, c.ID, rows, false); err != nil {
		return err
	}
	for _, o := range demoOfficials(start, year) {
		if err := o.Normalize(); err != nil {
			return err
		}
		if _, err := st.CreateOfficial(ctx, sys, c.ID, o); err != nil {
			return err
		}
	}
	return nil
}

// demoDelegateNames makes 50 fictional names from common family, middle and given names.
func demoDelegateNames() []string {
	family := []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"}
	middle := []string{"Văn", "Thị", "Đức", "Minh", "Thu"}
	given := []string{"An", "Bình", "Cường", "Dung", "Giang", "Hà", "Khánh", "Lan", "Nam", "Oanh", "Phúc", "Quyên", "Sơn", "Tâm", "Uyên",
		"Vinh", "Xuân", "Yến", "Đạt", "Ánh", "Hải", "Hương", "Long", "Mai", "Ngọc"}
	names := make([]string, 0, 50)
	for i := 0; len(names) < 50; i++ {
		names = append(names, family[i%len(family)]+" "+middle[(i/2)%len(middle)]+" "+given[(i*7)%len(given)])
	}
	return names
}

func pos(cat roster.Category, title, on string) roster.PositionInput {
	return roster.PositionInput{Category: cat, Title: title, ElectedOn: on}
}

// demoOfficials are elected at the start of the term, but one elected this year (excluded from a
// vote this year) and one with an announced retirement (excluded too).
func demoOfficials(termStart, thisYear int) []roster.OfficialInput {
	elected := fmt.Sprintf("%d-06-26", termStart)
	later := fmt.Sprintf("%d-07-10", termStart)
	now := fmt.Sprintf("%d-03-15", thisYear)
	return []roster.OfficialInput{
		{FullName: "Nguyễn Văn Thành", Positions: []roster.PositionInput{pos("hdnd_chu_tich", "Chủ tịch Hội đồng nhân dân tỉnh", elected)}},
		{FullName: "Trần Thị Ngọc Diệp", Positions: []roster.PositionInput{pos("hdnd_pho_chu_tich", "Phó Chủ tịch Hội đồng nhân dân tỉnh", elected)}},
		{FullName: "Lê Hoàng Phong", Positions: []roster.PositionInput{
			pos("hdnd_pho_chu_tich", "Phó Chủ tịch Hội đồng nhân dân tỉnh", elected),
			pos("hdnd_truong_ban", "Trưởng Ban Kinh tế - Ngân sách Hội đồng nhân dân tỉnh", elected)}},
		{FullName: "Phạm Thị Hồng Nhung", Positions: []roster.PositionInput{pos("hdnd_truong_ban", "Trưởng Ban Pháp chế Hội đồng nhân dân tỉnh", elected)}},
		{FullName: "Võ Minh Tuấn", Positions: []roster.PositionInput{pos("hdnd_truong_ban", "Trưởng Ban Văn hóa - Xã hội Hội đồng nhân dân tỉnh", elected)}},
		{FullName: "Hà Văn Sáng", Positions: []roster.PositionInput{pos("hdnd_truong_ban", "Trưởng Ban Dân tộc Hội đồng nhân dân tỉnh", elected)}},
		{FullName: "Đoàn Quốc Huy", Positions: []roster.PositionInput{pos("ubnd_chu_tich", "Chủ tịch Ủy ban nhân dân tỉnh", elected)}},
		{FullName: "Ngô Thị Bích Vân", Positions: []roster.PositionInput{pos("ubnd_pho_chu_tich", "Phó Chủ tịch Ủy ban nhân dân tỉnh", elected)}},
		{FullName: "Trịnh Công Lực", Positions: []roster.PositionInput{pos("ubnd_pho_chu_tich", "Phó Chủ tịch Ủy ban nhân dân tỉnh", elected)}},
		{FullName: "Châu Văn Lâm", Positions: []roster.PositionInput{pos("ubnd_pho_chu_tich", "Phó Chủ tịch Ủy ban nhân dân tỉnh", now)}},
		{FullName: "Lý Thị Kim Oanh", Positions: []roster.PositionInput{pos("ubnd_uy_vien", "Ủy viên Ủy ban nhân dân tỉnh, Giám đốc Sở Tài chính", later)}},
		{FullName: "Quách Văn Tùng", RetirementAnnounced: true, Positions: []roster.PositionInput{pos("ubnd_uy_vien", "Ủy viên Ủy ban nhân dân tỉnh, Giám đốc Sở Nội vụ", later)}},
	}
}

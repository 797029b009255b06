package roster

// Category is a post category from rules.md §2: a stable identifier with a Vietnamese label.
type Category string

// CategoryInfo describes a post category.
type CategoryInfo struct {
	ID    Category `json:"id"`
	Label string   `json:"label"`
	Body  Body     `json:"body"`
}

// Categories lists every post category the code knows, in the order of rules.md §2. Which of them a
// vote may rate is decided by its rule set, not here.
var Categories = []CategoryInfo{
	{"hdnd_chu_tich", "Chủ tịch Hội đồng nhân dân", BodyHDND},
	{"hdnd_pho_chu_tich", "Phó Chủ tịch Hội đồng nhân dân", BodyHDND},
	{"hdnd_truong_ban", "Trưởng Ban của Hội đồng nhân dân", BodyHDND},
	{"ubnd_chu_tich", "Chủ tịch Ủy ban nhân dân", BodyHDND},
	{"ubnd_pho_chu_tich", "Phó Chủ tịch Ủy ban nhân dân", BodyHDND},
	{"ubnd_uy_vien", "Ủy viên Ủy ban nhân dân", BodyHDND},
	{"chu_tich_nuoc", "Chủ tịch nước", BodyQuocHoi},
	{"pho_chu_tich_nuoc", "Phó Chủ tịch nước", BodyQuocHoi},
	{"chu_tich_quoc_hoi", "Chủ tịch Quốc hội", BodyQuocHoi},
	{"pho_chu_tich_quoc_hoi", "Phó Chủ tịch Quốc hội", BodyQuocHoi},
	{"uy_vien_ubtvqh", "Ủy viên Ủy ban Thường vụ Quốc hội", BodyQuocHoi},
	{"tong_thu_ky_quoc_hoi", "Tổng Thư ký Quốc hội", BodyQuocHoi},
	{"chu_tich_hoi_dong_dan_toc", "Chủ tịch Hội đồng Dân tộc", BodyQuocHoi},
	{"chu_nhiem_uy_ban_quoc_hoi", "Chủ nhiệm Ủy ban của Quốc hội", BodyQuocHoi},
	{"thu_tuong", "Thủ tướng Chính phủ", BodyQuocHoi},
	{"pho_thu_tuong", "Phó Thủ tướng Chính phủ", BodyQuocHoi},
	{"bo_truong", "Bộ trưởng", BodyQuocHoi},
	{"thanh_vien_chinh_phu", "Thành viên khác của Chính phủ", BodyQuocHoi},
	{"chanh_an_tandtc", "Chánh án Tòa án nhân dân tối cao", BodyQuocHoi},
	{"vien_truong_vksndtc", "Viện trưởng Viện kiểm sát nhân dân tối cao", BodyQuocHoi},
	{"tong_kiem_toan", "Tổng Kiểm toán nhà nước", BodyQuocHoi},
}

// Known reports whether c is a known post category.
func (c Category) Known() bool {
	for _, x := range Categories {
		if x.ID == c {
			return true
		}
	}
	return false
}

// Label returns the Vietnamese label of c, or c itself when unknown.
func (c Category) Label() string {
	for _, x := range Categories {
		if x.ID == c {
			return x.Label
		}
	}
	return string(c)
}

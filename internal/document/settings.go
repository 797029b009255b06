package document

import (
	"strings"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/roster"
	"tinnhiem/internal/rules"
	"tinnhiem/internal/validate"
)

// Settings are a council's document settings: nothing council-specific is a literal in code.
type Settings struct {
	IssuingBody     []string `json:"issuing_body" validate:"required,min=1,max=4,dive,required,max=120,nocontrol"`
	PlaceName       string   `json:"place_name" validate:"required,max=80,nocontrol"`
	SignerAuthority []string `json:"signer_authority" validate:"required,min=1,max=3,dive,required,max=120,nocontrol"`
	SignerName      string   `json:"signer_name" validate:"max=120,nocontrol"`
	Bases           []string `json:"bases" validate:"max=12,dive,required,max=600,nocontrol"`
	Recipients      []string `json:"recipients" validate:"max=20,dive,required,max=200,nocontrol"`
	NumberSuffix    string   `json:"number_suffix" validate:"required,max=30,nocontrol"` // "NQ-HĐND"
	Copies          int      `json:"copies" validate:"gte=1,lte=20"`                     // copies of the minutes
}

// Normalize cleans and validates settings.
func (s *Settings) Normalize() error {
	clean := func(xs []string) {
		for i := range xs {
			xs[i] = validate.Clean(xs[i])
		}
	}
	clean(s.IssuingBody)
	clean(s.SignerAuthority)
	clean(s.Bases)
	clean(s.Recipients)
	s.PlaceName, s.SignerName, s.NumberSuffix = validate.Clean(s.PlaceName), validate.Clean(s.SignerName), validate.Clean(s.NumberSuffix)
	if fields := validate.Struct(s, ""); len(fields) > 0 {
		return apperr.InvalidFields(fields...)
	}
	return nil
}

// PlaceName is the place a document is dated from (địa danh, Nghị định 30/2020, Phụ lục I): the
// proper name of the administrative unit without its kind ("tỉnh Thái Nguyên" → "Thái Nguyên",
// "thành phố Hà Nội" → "Hà Nội"), except that a unit named after a person or by a number keeps its
// full name ("Thành phố Hồ Chí Minh", "Quận 1"), as the decree asks.
func PlaceName(place string) string {
	place = strings.TrimSpace(place)
	for _, prefix := range []string{"tỉnh ", "thành phố ", "huyện ", "quận ", "thị xã ", "xã ", "phường ", "thị trấn ", "đặc khu "} {
		if !strings.HasPrefix(strings.ToLower(place), prefix) {
			continue
		}
		rest := place[len(prefix):]
		if namedForPerson(rest) || (rest != "" && rest[0] >= '0' && rest[0] <= '9') {
			return upperFirst(place)
		}
		return rest
	}
	return place
}

// namedForPerson: the units named after a person, whose full name a document's place keeps.
func namedForPerson(name string) bool {
	return strings.EqualFold(NFC(name), NFC("Hồ Chí Minh"))
}

// DefaultSettings derives a council's settings from its record and the default rule set; chair is the
// name of its chair, when known, for the signature.
func DefaultSettings(c roster.Council, chair string) Settings {
	rs, _ := rules.Get(rules.Default)
	place := c.Place
	s := Settings{PlaceName: PlaceName(place), SignerName: chair, Copies: 3}
	switch c.Body {
	case roster.BodyQuocHoi:
		s.IssuingBody = []string{"QUỐC HỘI"}
		s.SignerAuthority = []string{"TM. QUỐC HỘI", "CHỦ TỊCH"}
		s.NumberSuffix = "NQ-QH"
		s.Bases = []string{"Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;", "Căn cứ Luật Tổ chức Quốc hội;",
			"Căn cứ Luật Hoạt động giám sát của Quốc hội và Hội đồng nhân dân;", "Căn cứ " + rs.Citation + ";"}
		s.Recipients = []string{"Ủy ban Thường vụ Quốc hội;", "Người được lấy phiếu tín nhiệm;", "Lưu: HC, TH."}
	case roster.BodyDang:
		s.IssuingBody = []string{Upper(c.Name)}
		s.SignerAuthority = []string{"T/M " + Upper(c.Name)}
		s.NumberSuffix = "NQ"
		q, _ := rules.Get("QD96_2023")
		s.Bases = []string{"Căn cứ " + q.Citation + ";"}
		s.Recipients = []string{"Người được lấy phiếu tín nhiệm;", "Lưu: VP."}
	default:
		s.IssuingBody = []string{"HỘI ĐỒNG NHÂN DÂN", Upper(place)}
		s.SignerAuthority = []string{"TM. HỘI ĐỒNG NHÂN DÂN", "CHỦ TỊCH"}
		s.NumberSuffix = "NQ-HĐND"
		s.Bases = []string{"Căn cứ Luật Tổ chức chính quyền địa phương;", "Căn cứ Luật Hoạt động giám sát của Quốc hội và Hội đồng nhân dân;",
			"Căn cứ " + rs.Citation + ";"}
		s.Recipients = []string{"Ủy ban Thường vụ Quốc hội;", "Thường trực HĐND, UBND, Ủy ban MTTQ Việt Nam " + place + ";",
			"Các vị đại biểu HĐND " + place + ";", "Người được lấy phiếu tín nhiệm;", "Cổng thông tin điện tử " + place + ";", "Lưu: VT."}
	}
	return s
}

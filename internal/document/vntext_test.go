package document

import (
	"testing"

	"tinnhiem/internal/civil"
)

func TestDates(t *testing.T) {
	for in, want := range map[string]string{
		"2028-12-05": "ngày 05 tháng 12 năm 2028",
		"2028-01-15": "ngày 15 tháng 01 năm 2028",
		"2028-02-09": "ngày 09 tháng 02 năm 2028",
		"2028-03-20": "ngày 20 tháng 3 năm 2028",
	} {
		if got := DateLong(civil.MustParse(in)); got != want {
			t.Errorf("%s: got %q, want %q", in, got, want)
		}
	}
}

func TestPercentsAndNumbers(t *testing.T) {
	if PercentProse("53.19") != "53,19%" || PercentProse("0.00") != "0%" || PercentTable("0.00") != "0,00" || PercentTable("100.00") != "100,00" {
		t.Fatal("percent forms")
	}
	for n, want := range map[int]string{0: "không", 5: "năm", 10: "mười", 15: "mười lăm", 21: "hai mươi mốt", 24: "hai mươi tư",
		50: "năm mươi", 55: "năm mươi lăm", 101: "một trăm lẻ một", 110: "một trăm mười", 487: "bốn trăm tám mươi bảy",
		1000: "một nghìn", 1005: "một nghìn không trăm lẻ năm", 2500: "hai nghìn năm trăm"} {
		if got := NumberWords(n); got != want {
			t.Errorf("%d: got %q, want %q", n, got, want)
		}
	}
	if Upper("hội đồng nhân dân tỉnh sơn hà") != "HỘI ĐỒNG NHÂN DÂN TỈNH SƠN HÀ" {
		t.Fatal(Upper("hội đồng nhân dân tỉnh sơn hà"))
	}
}

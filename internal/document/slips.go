package document

import (
	"bytes"
	"fmt"
	"time"

	qrcode "github.com/skip2/go-qrcode"
)

// SlipInfo is what is printed on each code slip besides the code.
type SlipInfo struct {
	Council string
	Title   string
	Session string
	Date    time.Time // metadata date
}

// Slips renders one-time codes as slips, eight to an A4 page: the vote, a QR code of the code, the
// code in groups of four, and short instructions. The codes exist in plaintext only in this file,
// made once in the response that creates them.
func Slips(info SlipInfo, codes []string) ([]byte, error) {
	pdf := newPDF(Document{Name: "Mã bỏ phiếu - " + info.Title, Date: info.Date})
	pdf.SetAutoPageBreak(false, 0)
	const (
		cols, rows = 2, 4
		slipW      = (pageW - 20) / cols
		slipH      = (pageH - 20) / rows
	)
	for i, code := range codes {
		if i%(cols*rows) == 0 {
			pdf.AddPage()
		}
		k := i % (cols * rows)
		x := 10 + float64(k%cols)*slipW
		y := 10 + float64(k/cols)*slipH
		pdf.SetDrawColor(150, 150, 150)
		pdf.SetDashPattern([]float64{1.5, 1.5}, 0)
		pdf.Rect(x, y, slipW, slipH, "D") // cutting lines
		pdf.SetDashPattern([]float64{}, 0)
		pdf.SetDrawColor(0, 0, 0)
		// The texts are measured and cut to their lines first; the QR code goes below them.
		cy := y + 3
		pdf.SetFont(family, "B", 9.5)
		for _, l := range fitLines(pdf, NFC(Upper(info.Council)), slipW-8, 1) {
			pdf.SetXY(x+4, cy)
			pdf.CellFormat(slipW-8, 4.2, l, "", 0, "C", false, 0, "")
			cy += 4.2
		}
		pdf.SetFont(family, "", 9.5)
		for _, l := range fitLines(pdf, NFC(info.Title+" - "+info.Session), slipW-8, 2) {
			pdf.SetXY(x+4, cy)
			pdf.CellFormat(slipW-8, 4.2, l, "", 0, "C", false, 0, "")
			cy += 4.2
		}
		png, err := qrcode.Encode(code, qrcode.Medium, 256)
		if err != nil {
			return nil, err
		}
		name := fmt.Sprintf("qr%d", i)
		pdf.RegisterImageOptionsReader(name, fpdfPNG, bytes.NewReader(png))
		qr := 30.0
		pdf.ImageOptions(name, x+(slipW-qr)/2, cy+1, qr, qr, false, fpdfPNG, 0, "")
		cy += qr + 2
		pdf.SetFont(family, "B", 12)
		pdf.SetXY(x+4, cy)
		pdf.CellFormat(slipW-8, 6, fmtCode(code), "", 0, "C", false, 0, "")
		cy += 6.5
		pdf.SetFont(family, "I", 8)
		pdf.SetXY(x+6, cy)
		pdf.MultiCell(slipW-12, 3.4, "Quét mã QR hoặc nhập mã trên máy bỏ phiếu. Mã chỉ dùng được một lần; không ghi tên, không đưa mã cho người khác.", "", "C", false)
	}
	if len(codes) == 0 {
		pdf.AddPage()
	}
	return pdfBytes(pdf)
}

// fmtCode groups a code in fours (it may come grouped already).
func fmtCode(code string) string {
	plain := []rune{}
	for _, r := range code {
		if r != '-' {
			plain = append(plain, r)
		}
	}
	out := []rune{}
	for i, r := range plain {
		if i > 0 && i%4 == 0 {
			out = append(out, '-')
		}
		out = append(out, r)
	}
	return string(out)
}

// fitLines splits text into at most max lines of width w, the last cut with an ellipsis.
func fitLines(pdf interface {
	SplitText(string, float64) []string
	GetStringWidth(string) float64
}, text string, w float64, max int) []string {
	lines := pdf.SplitText(text, w)
	if len(lines) <= max {
		return lines
	}
	lines = lines[:max]
	last := []rune(lines[max-1])
	for len(last) > 0 && pdf.GetStringWidth(string(last)+"…") > w {
		last = last[:len(last)-1]
	}
	lines[max-1] = string(last) + "…"
	return lines
}

package document

import (
	"time"

	"codeberg.org/go-pdf/fpdf"
	qrcode "github.com/skip2/go-qrcode"
)

// SlipInfo is what is printed on each code slip besides the code.
type SlipInfo struct {
	Council string
	Title   string
	Session string
	Date    time.Time // metadata date
	Demo    bool      // fictional demo data: each slip says so
}

// Slips renders one-time codes as slips, eight to an A4 page: the vote, a QR code of the code, the
// code in groups of four, and short instructions. The codes exist in plaintext only in this file,
// made once in the response that creates them. The QR codes are drawn as vector squares, so the same
// codes give the same bytes (and print sharp at any size).
func Slips(info SlipInfo, codes []string) ([]byte, error) {
	// No page numbers and no page-wide demo line: each slip is cut out and carries its own marks.
	pdf := newPDF(Document{Name: "Mã bỏ phiếu - " + info.Title, Date: info.Date, Sheets: true})
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
		if info.Demo {
			pdf.SetFont(family, "B", 8)
			pdf.SetTextColor(170, 0, 0)
			pdf.SetXY(x+4, cy)
			pdf.CellFormat(slipW-8, 3.6, demoText, "", 0, "C", false, 0, "")
			pdf.SetTextColor(0, 0, 0)
			cy += 3.8
		}
		pdf.SetFont(family, "B", 9.5)
		for _, l := range fitLines(pdf, NFC(Upper(info.Council)), slipW-8, 2) { // the council's whole name
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
		qr := 30.0
		if err := drawQR(pdf, code, x+(slipW-qr)/2, cy+1, qr); err != nil {
			return nil, err
		}
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

// drawQR draws the QR code of text as black squares in the box (x, y, size), quiet zone included.
func drawQR(pdf *fpdf.Fpdf, text string, x, y, size float64) error {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return err
	}
	bits := q.Bitmap() // with its quiet zone
	if len(bits) == 0 {
		return nil
	}
	m := size / float64(len(bits))
	pdf.SetFillColor(0, 0, 0)
	for r, row := range bits {
		for c := 0; c < len(row); {
			if !row[c] {
				c++
				continue
			}
			run := c
			for run < len(row) && row[run] {
				run++
			}
			pdf.Rect(x+float64(c)*m, y+float64(r)*m, float64(run-c)*m, m, "F")
			c = run
		}
	}
	return nil
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

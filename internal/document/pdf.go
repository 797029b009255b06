package document

import (
	"bytes"
	"embed"
	"fmt"
	"math"
	"strings"

	"codeberg.org/go-pdf/fpdf"
)

//go:embed fonts/*.ttf
var fontFS embed.FS

// Page geometry (Nghị định 30/2020): A4 portrait, margins in mm.
const (
	pageW        = 210.0
	pageH        = 297.0
	marginTop    = 20.0
	marginBottom = 20.0
	marginLeft   = 30.0
	marginRight  = 15.0
	bodySize     = 13.0 // pt
	family       = "LiberationSerif"
)

func lineHeight(size float64) float64 { return size * 0.3528 * 1.35 }

// newPDF sets up a deterministic A4 document with the bundled fonts.
func newPDF(d Document) *fpdf.Fpdf {
	pdf := fpdf.New("P", "mm", "A4", "")
	for style, file := range map[string]string{"": "Regular", "B": "Bold", "I": "Italic", "BI": "BoldItalic"} {
		b, err := fontFS.ReadFile("fonts/LiberationSerif-" + file + ".ttf")
		if err != nil {
			panic(err)
		}
		pdf.AddUTF8FontFromBytes(family, style, b)
	}
	pdf.SetMargins(marginLeft, marginTop, marginRight)
	pdf.SetAutoPageBreak(true, marginBottom)
	pdf.SetCompression(true)
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(d.Date)
	pdf.SetModificationDate(d.Date)
	pdf.SetTitle(NFC(d.Name), true)
	pdf.SetCreator("Tín Nhiệm", true)
	pdf.SetProducer("Tín Nhiệm", true)
	pdf.SetLang("vi-VN")
	pdf.SetHeaderFuncMode(func() {
		if d.Draft {
			watermark(pdf)
		}
		if pdf.PageNo() > 1 { // page numbers centred in the top margin, none on page 1
			pdf.SetFont(family, "", 13)
			pdf.SetXY(marginLeft, 10)
			pdf.CellFormat(pageW-marginLeft-marginRight, 5, fmt.Sprint(pdf.PageNo()), "", 0, "C", false, 0, "")
		}
		pdf.SetXY(marginLeft, marginTop)
	}, false)
	if d.Fingerprint != "" {
		pdf.SetFooterFunc(func() {
			pdf.SetFont(family, "I", 8)
			pdf.SetXY(marginLeft, pageH-13)
			pdf.CellFormat(pageW-marginLeft-marginRight, 4, "Mã xác thực nội dung văn bản (SHA-256): "+d.Fingerprint, "", 0, "C", false, 0, "")
		})
	}
	return pdf
}

// watermark writes "DỰ THẢO" across the page, light, under the content.
func watermark(pdf *fpdf.Fpdf) {
	pdf.SetFont(family, "B", 90)
	pdf.SetTextColor(225, 225, 225)
	pdf.TransformBegin()
	pdf.TransformRotate(45, pageW/2, pageH/2)
	w := pdf.GetStringWidth("DỰ THẢO")
	pdf.Text(pageW/2-w/2, pageH/2+10, "DỰ THẢO")
	pdf.TransformEnd()
	pdf.SetTextColor(0, 0, 0)
}

// PDF renders a document to PDF bytes.
func PDF(d Document) ([]byte, error) {
	pdf := newPDF(d)
	pdf.AddPage()
	if d.Draft {
		pdf.SetFont(family, "B", 12)
		pdf.SetTextColor(180, 0, 0)
		pdf.SetXY(pageW-marginRight-30, 8)
		pdf.CellFormat(30, 7, "DỰ THẢO", "1", 0, "C", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
		pdf.SetXY(marginLeft, marginTop)
	}
	r := pdfRenderer{pdf: pdf, width: pageW - marginLeft - marginRight}
	for _, b := range d.Blocks {
		r.block(b)
	}
	return pdfBytes(pdf)
}

type pdfRenderer struct {
	pdf   *fpdf.Fpdf
	width float64
}

func style(bold, italic bool) string {
	s := ""
	if bold {
		s += "B"
	}
	if italic {
		s += "I"
	}
	return s
}

func alignCode(a Align) string {
	switch a {
	case Center:
		return "C"
	case Right:
		return "R"
	case Justify:
		return "J"
	}
	return "L"
}

func (r *pdfRenderer) block(b Block) {
	p := r.pdf
	switch b := b.(type) {
	case Paragraph:
		r.paragraph(b, marginLeft, r.width)
	case Spacer:
		p.Ln(b.Height)
	case NationalHeader:
		r.nationalHeader(b)
	case Title:
		p.Ln(4)
		p.SetFont(family, "B", 14)
		p.MultiCell(r.width, lineHeight(14), NFC(b.Kind), "", "C", false)
		p.SetFont(family, "B", 13)
		for _, l := range b.Summary {
			p.MultiCell(r.width, lineHeight(13), NFC(l), "", "C", false)
		}
		r.rule(pdfRuleWidth(p, b.Summary, 40), p.GetY()+0.8)
		p.Ln(4)
	case Table:
		r.table(b)
	case Signature:
		r.signature(b)
	case Signatures:
		r.signatures(b)
	case SealBox:
		p.Ln(4)
		y := p.GetY()
		if y+32 > pageH-marginBottom {
			p.AddPage()
			y = p.GetY()
		}
		x := pageW - marginRight - 60
		p.Rect(x, y, 60, 28, "D")
		p.SetFont(family, "I", 10)
		p.SetXY(x, y+1)
		p.MultiCell(60, 4.5, NFC(b.Caption), "", "C", false)
		p.SetXY(marginLeft, y+30)
	}
}

func pdfRuleWidth(p *fpdf.Fpdf, lines []string, min float64) float64 {
	w := min
	if len(lines) > 0 {
		last := lines[len(lines)-1]
		w = math.Max(min, math.Min(p.GetStringWidth(NFC(last))*0.5, 80))
	}
	return w
}

// rule draws a short centred line under a title.
func (r *pdfRenderer) rule(w, y float64) {
	x := marginLeft + (r.width-w)/2
	r.pdf.Line(x, y, x+w, y)
}

// paragraph writes one paragraph in the box [x, x+w]: one style with MultiCell (justification
// included; the first-line indent is made of no-break spaces), several runs with Write.
func (r *pdfRenderer) paragraph(b Paragraph, x, w float64) {
	p := r.pdf
	p.Ln(b.SpaceBefore)
	if len(b.Runs) == 0 {
		p.Ln(lineHeight(bodySize))
		return
	}
	size := bodySize
	if b.Runs[0].Size > 0 {
		size = b.Runs[0].Size
	}
	lh := lineHeight(size)
	if len(b.Runs) == 1 {
		run := b.Runs[0]
		p.SetFont(family, style(run.Bold, run.Italic), size)
		text := NFC(run.Text)
		if b.Indent > 0 {
			nbsp := p.GetStringWidth("\u00a0")
			text = strings.Repeat("\u00a0", int(math.Round(b.Indent/nbsp))) + text
		}
		p.SetX(x)
		p.MultiCell(w, lh, text, "", alignCode(b.Align), false)
	} else {
		p.SetX(x + b.Indent)
		for _, run := range b.Runs {
			rs := size
			if run.Size > 0 {
				rs = run.Size
			}
			p.SetFont(family, style(run.Bold, run.Italic), rs)
			p.Write(lh, NFC(run.Text))
		}
		p.Ln(lh)
	}
	p.Ln(b.SpaceAfter)
}

// nationalHeader lays out the two header columns of Nghị định 30/2020.
func (r *pdfRenderer) nationalHeader(h NationalHeader) {
	p := r.pdf
	leftW, rightW := 68.0, r.width-68.0
	y0 := p.GetY()
	// Left: the issuing body, the last line bold, a short rule, the number.
	p.SetXY(marginLeft, y0)
	for i, l := range h.Body {
		st := "B"
		if i < h.Plain {
			st = ""
		}
		p.SetFont(family, st, 13)
		p.SetX(marginLeft)
		p.MultiCell(leftW, lineHeight(13), NFC(l), "", "C", false)
	}
	yl := p.GetY() + 0.5
	p.Line(marginLeft+leftW/2-12, yl, marginLeft+leftW/2+12, yl)
	if h.Number != "" {
		p.SetXY(marginLeft, yl+2)
		p.SetFont(family, "", 13)
		p.MultiCell(leftW, lineHeight(13), NFC(h.Number), "", "C", false)
	}
	yLeftEnd := p.GetY()
	// Right: the motto.
	xr := marginLeft + leftW
	p.SetXY(xr, y0)
	motto := "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
	size := 12.0 // 12-13 pt, smaller only if the column cannot hold it on one line
	for p.SetFont(family, "B", size); p.GetStringWidth(motto) > rightW-1 && size > 10; size -= 0.5 {
		p.SetFont(family, "B", size-0.5)
	}
	p.MultiCell(rightW, lineHeight(12), motto, "", "C", false)
	p.SetX(xr)
	p.SetFont(family, "B", 13)
	p.MultiCell(rightW, lineHeight(13), "Độc lập - Tự do - Hạnh phúc", "", "C", false)
	yr := p.GetY() + 0.5
	mw := p.GetStringWidth("Độc lập - Tự do - Hạnh phúc")
	p.Line(xr+(rightW-mw)/2, yr, xr+(rightW+mw)/2, yr)
	if h.PlaceDate != "" {
		p.SetXY(xr, yr+2)
		p.SetFont(family, "I", 13)
		p.MultiCell(rightW, lineHeight(13), NFC(h.PlaceDate), "", "C", false)
	}
	p.SetXY(marginLeft, math.Max(yLeftEnd, p.GetY())+2)
}

// cellLines splits a cell's text into the lines that fit width w with the current font.
func (r *pdfRenderer) cellLines(text string, w float64) []string {
	var out []string
	for _, para := range strings.Split(NFC(text), "\n") {
		if para == "" {
			out = append(out, "")
			continue
		}
		out = append(out, r.pdf.SplitText(para, w)...)
	}
	return out
}

// table draws a table whose rows never split across pages and whose header row repeats on each page.
func (r *pdfRenderer) table(t Table) {
	p := r.pdf
	size := t.FontSize
	if size == 0 {
		size = 12
	}
	lh := lineHeight(size)
	const pad = 1.2
	p.SetAutoPageBreak(false, marginBottom)
	defer p.SetAutoPageBreak(true, marginBottom)
	header := make([]Cell, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = Cell{Text: c.Title, Bold: true}
	}
	rowHeight := func(cells []Cell) float64 {
		h := lh
		for i, c := range cells {
			p.SetFont(family, style(c.Bold, false), size)
			if n := float64(len(r.cellLines(c.Text, t.Columns[i].Width-2*pad))); n*lh > h {
				h = n * lh
			}
			if c.Box && h < 7 {
				h = 7
			}
		}
		return h + 2*pad
	}
	draw := func(cells []Cell, isHeader bool) {
		h := rowHeight(cells)
		if p.GetY()+h > pageH-marginBottom {
			p.AddPage()
			if !isHeader {
				drawHeader(r, t, header, rowHeight, size, lh, pad)
			}
		}
		r.drawRow(t, cells, h, isHeader, size, lh, pad)
	}
	draw(header, true)
	for _, row := range t.Rows {
		draw(row, false)
	}
	p.Ln(2)
}

func drawHeader(r *pdfRenderer, t Table, header []Cell, rowHeight func([]Cell) float64, size, lh, pad float64) {
	r.drawRow(t, header, rowHeight(header), true, size, lh, pad)
}

func (r *pdfRenderer) drawRow(t Table, cells []Cell, h float64, isHeader bool, size, lh, pad float64) {
	p := r.pdf
	x, y := marginLeft, p.GetY()
	for i, c := range cells {
		col := t.Columns[i]
		p.Rect(x, y, col.Width, h, "D")
		align := col.Align
		if isHeader {
			align = Center
		}
		if c.Box {
			p.Rect(x+col.Width/2-2.5, y+h/2-2.5, 5, 5, "D")
		} else {
			p.SetFont(family, style(c.Bold || isHeader, false), size)
			lines := r.cellLines(c.Text, col.Width-2*pad)
			top := y + pad
			if isHeader || align == Center {
				top = y + (h-float64(len(lines))*lh)/2
			}
			for j, l := range lines {
				p.SetXY(x+pad, top+float64(j)*lh)
				p.CellFormat(col.Width-2*pad, lh, l, "", 0, alignCode(align), false, 0, "")
			}
		}
		x += col.Width
	}
	p.SetXY(marginLeft, y+h)
}

// signature lays out recipients on the left and the signer on the right.
func (r *pdfRenderer) signature(s Signature) {
	p := r.pdf
	p.Ln(4)
	need := 60.0
	if p.GetY()+need > pageH-marginBottom {
		p.AddPage()
	}
	y0 := p.GetY()
	leftW := r.width * 0.5
	if len(s.Recipients) > 0 {
		p.SetXY(marginLeft, y0)
		p.SetFont(family, "BI", 12)
		p.CellFormat(leftW, 5, "Nơi nhận:", "", 1, "L", false, 0, "")
		p.SetFont(family, "", 11)
		for _, rc := range s.Recipients {
			p.SetX(marginLeft)
			p.MultiCell(leftW, 4.6, NFC("- "+rc), "", "L", false)
		}
	}
	yl := p.GetY()
	xr := marginLeft + leftW
	p.SetXY(xr, y0)
	p.SetFont(family, "B", 13)
	for _, a := range s.Authority {
		p.SetX(xr)
		p.MultiCell(r.width-leftW, lineHeight(13), NFC(a), "", "C", false)
	}
	p.SetY(p.GetY() + 24) // signature and seal
	p.SetX(xr)
	p.MultiCell(r.width-leftW, lineHeight(13), NFC(s.Name), "", "C", false)
	p.SetXY(marginLeft, math.Max(yl, p.GetY())+2)
}

// signatures lays out signature places two per row.
func (r *pdfRenderer) signatures(s Signatures) {
	p := r.pdf
	p.Ln(4)
	colW := r.width / 2
	for i := 0; i < len(s.Signers); i += 2 {
		if p.GetY()+45 > pageH-marginBottom {
			p.AddPage()
		}
		y := p.GetY()
		bottom := y
		for j := 0; j < 2 && i+j < len(s.Signers); j++ {
			sg := s.Signers[i+j]
			x := marginLeft + float64(j)*colW
			p.SetXY(x, y)
			p.SetFont(family, "B", 13)
			p.MultiCell(colW, lineHeight(13), NFC(Upper(sg.Role)), "", "C", false)
			p.SetXY(x, p.GetY()+20) // room to sign
			p.MultiCell(colW, lineHeight(13), NFC(sg.Name), "", "C", false)
			bottom = math.Max(bottom, p.GetY())
		}
		p.SetXY(marginLeft, bottom+6)
	}
}

// pdfBytes finishes a PDF: the first error met while drawing, or the file.
func pdfBytes(pdf *fpdf.Fpdf) ([]byte, error) {
	if err := pdf.Error(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

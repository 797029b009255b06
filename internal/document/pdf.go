package document

import (
	"bytes"
	"embed"
	"fmt"
	"math"
	"strings"
	"sync"

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
	// space6pt is the 6 pt between paragraphs that Nghị định 30/2020 asks for, in mm.
	space6pt = 6 * 25.4 / 72
	// usableH is the height between the top and bottom margins.
	usableH = pageH - marginTop - marginBottom
	// measureH is the height of the scratch page blocks are measured on: taller than any block.
	measureH = 20000.0
)

func lineHeight(size float64) float64 { return size * 0.3528 * 1.35 }

// baseline is the distance from the top of a line of height lh to the baseline of text of size pt,
// as fpdf's cells place it.
func baseline(lh, size float64) float64 { return lh/2 + 0.3*size*0.3528 }

// addFonts registers the bundled Liberation Serif faces, in a fixed order.
func addFonts(pdf *fpdf.Fpdf) {
	for _, f := range []struct{ style, file string }{{"", "Regular"}, {"B", "Bold"}, {"I", "Italic"}, {"BI", "BoldItalic"}} {
		b, err := fontFS.ReadFile("fonts/LiberationSerif-" + f.file + ".ttf")
		if err != nil {
			panic(err)
		}
		pdf.AddUTF8FontFromBytes(family, f.style, b)
	}
}

// newPDF sets up a deterministic A4 document with the bundled fonts.
func newPDF(d Document) *fpdf.Fpdf {
	pdf := fpdf.New("P", "mm", "A4", "")
	addFonts(pdf)
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
		if d.Demo {
			demoLine(pdf)
		}
		if pdf.PageNo() > 1 && !d.Sheets { // page numbers centred in the top margin, none on page 1
			pdf.SetFont(family, "", 13)
			pdf.SetXY(marginLeft, 10)
			pdf.CellFormat(pageW-marginLeft-marginRight, 5, fmt.Sprint(pdf.PageNo()), "", 0, "C", false, 0, "")
		}
		pdf.SetXY(marginLeft, marginTop)
	}, false)
	if d.Fingerprint != "" || d.Anchor != "" {
		pdf.SetFooterFunc(func() {
			pdf.SetFont(family, "I", 8)
			y := pageH - 13
			if d.Fingerprint != "" && d.Anchor != "" {
				y = pageH - 15
			}
			for _, l := range footerLines(d) {
				pdf.SetXY(marginLeft, y)
				pdf.CellFormat(pageW-marginLeft-marginRight, 3.6, l, "", 0, "C", false, 0, "")
				y += 3.6
			}
		})
	}
	return pdf
}

// demoText marks every page of a document made from fictional data.
const demoText = "DỮ LIỆU MINH HỌA - KHÔNG CÓ GIÁ TRỊ PHÁP LÝ"

// footerLines are the small lines at the foot of each page: the content fingerprint, the audit anchor.
func footerLines(d Document) []string {
	var out []string
	if d.Fingerprint != "" {
		out = append(out, "Mã xác thực nội dung văn bản (SHA-256): "+d.Fingerprint)
	}
	if d.Anchor != "" {
		out = append(out, "Mã neo nhật ký của cuộc bỏ phiếu: "+d.Anchor)
	}
	return out
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

// demoLine writes the demo marker in the top margin, left, on every page.
func demoLine(pdf *fpdf.Fpdf) {
	pdf.SetFont(family, "B", 8) // short enough to leave the page number, centred, alone
	pdf.SetTextColor(170, 0, 0)
	pdf.SetXY(marginLeft-1, 8)
	pdf.CellFormat(70, 5, demoText, "", 0, "L", false, 0, "")
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
	r := &pdfRenderer{pdf: pdf, width: pageW - marginLeft - marginRight, bottom: pageH - marginBottom}
	r.blocks(d.Blocks)
	return pdfBytes(pdf)
}

type pdfRenderer struct {
	pdf    *fpdf.Fpdf
	width  float64
	bottom float64 // the lowest y a line may reach on a page
	// scratch measures blocks before they are laid out (keep-with-next); made when first needed.
	scratch *pdfRenderer
}

// newMeasurer is a renderer on one very tall page, for measuring the height blocks take.
func newMeasurer() *pdfRenderer {
	pdf := fpdf.New("P", "mm", "A4", "")
	addFonts(pdf)
	pdf.SetMargins(marginLeft, marginTop, marginRight)
	pdf.SetAutoPageBreak(false, 0)
	return &pdfRenderer{pdf: pdf, width: pageW - marginLeft - marginRight, bottom: measureH - marginBottom}
}

// height is the height blocks take when laid out from the top of a page, mm.
func (r *pdfRenderer) height(bs ...Block) float64 {
	p := r.pdf
	p.AddPageFormat("P", fpdf.SizeType{Wd: pageW, Ht: measureH})
	p.SetXY(marginLeft, marginTop)
	for _, b := range bs {
		r.block(b)
	}
	return p.GetY() - marginTop
}

func (r *pdfRenderer) measure(bs ...Block) float64 {
	if r.scratch == nil {
		r.scratch = newMeasurer()
	}
	return r.scratch.height(bs...)
}

func keepsWithNext(b Block) bool {
	p, ok := b.(Paragraph)
	return ok && p.KeepWithNext
}

// head is the part of a block that must stay with what keeps with it: a table's header and first
// row, the first row of a signature grid (the whole grid when it fits a page), any other block whole.
func (r *pdfRenderer) head(b Block, least bool) Block {
	switch b := b.(type) {
	case Table:
		if len(b.Rows) > 1 {
			b.Rows = b.Rows[:1]
		}
		return b
	case Signatures:
		if least && len(b.Signers) > 2 {
			b.Signers = b.Signers[:2]
		}
		return b
	}
	return b
}

// blocks lays out blocks in order. A run of paragraphs that keep with the next block starts on a
// new page when it and the head of that block do not fit in what is left of the page (and fit on a
// page of their own): a heading never ends a page, the last article stays with the signature.
func (r *pdfRenderer) blocks(bs []Block) {
	p := r.pdf
	for i, b := range bs {
		if keepsWithNext(b) && (i == 0 || !keepsWithNext(bs[i-1])) {
			k := i
			for k < len(bs)-1 && keepsWithNext(bs[k]) {
				k++
			}
			chain := append(append([]Block{}, bs[i:k]...), r.head(bs[k], false))
			h := r.measure(chain...)
			if h > usableH {
				chain[len(chain)-1] = r.head(bs[k], true)
				h = r.measure(chain...)
			}
			if p.GetY()+h > r.bottom && h <= usableH && p.GetY() > marginTop+1 {
				p.AddPage()
			}
		}
		r.block(b)
	}
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
	case PageBreak:
		p.AddPage()
	case NationalHeader:
		r.nationalHeader(b)
	case Title:
		size := b.Size
		if size == 0 {
			size = 13
		}
		p.Ln(4)
		p.SetFont(family, "B", 14)
		r.centred(b.Kind, lineHeight(14))
		p.SetFont(family, "B", size)
		for _, l := range b.Summary {
			r.centred(l, lineHeight(size))
		}
		r.rule(pdfRuleWidth(p, b.Summary, 40), p.GetY()+1.2)
		p.Ln(4)
	case Table:
		r.table(b)
	case Signature:
		r.signature(b)
	case Signatures:
		r.signatures(b)
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

// centred writes a title line centred, in the current font; a line too long for the page is broken
// into lines of even length (never one word left alone on the last line).
func (r *pdfRenderer) centred(text string, lh float64) {
	p := r.pdf
	for _, l := range r.balanced(NFC(text), r.width-2) {
		p.SetX(marginLeft)
		p.CellFormat(r.width, lh, l, "", 2, "C", false, 0, "")
	}
}

// balanced wraps text in the fewest lines that width w allows, each as short as that number of lines
// permits; of two lines, a break before a word that opens a phrase ("do", "đối với", "của"...) is
// preferred, so "chức vụ" is never parted from its "do ... bầu".
func (r *pdfRenderer) balanced(text string, w float64) []string { return balance(r.pdf, text, w) }

// phraseOpeners are the words before which a title line breaks best.
var phraseOpeners = map[string]bool{"do": true, "đối": true, "của": true, "về": true, "tại": true, "theo": true, "khóa": true, "và": true}

// balance is balanced for any PDF whose font is set.
func balance(p *fpdf.Fpdf, text string, w float64) []string {
	lines := p.SplitText(text, w)
	if len(lines) <= 1 {
		return lines
	}
	if len(lines) == 2 {
		words := strings.Fields(text)
		var best []string
		bestW := math.Inf(1)
		for i := 1; i < len(words); i++ {
			l, r := strings.Join(words[:i], " "), strings.Join(words[i:], " ")
			wl, wr := p.GetStringWidth(l), p.GetStringWidth(r)
			if wl > w || wr > w {
				continue
			}
			m := math.Max(wl, wr)
			if phraseOpeners[strings.ToLower(words[i])] {
				m *= 0.8
			}
			if m < bestW {
				best, bestW = []string{l, r}, m
			}
		}
		if best != nil {
			return best
		}
	}
	lo, hi := 0.0, w
	for i := 0; i < 24; i++ {
		mid := (lo + hi) / 2
		if len(p.SplitText(text, mid)) > len(lines) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return p.SplitText(text, hi)
}

// titleMeasure measures title lines for the DOCX, which breaks them where the PDF does.
var titleMeasure struct {
	sync.Mutex
	pdf *fpdf.Fpdf
}

// titleLines are the lines a centred bold title of size pt takes in width w, mm.
func titleLines(text string, size, w float64) []string {
	titleMeasure.Lock()
	defer titleMeasure.Unlock()
	if titleMeasure.pdf == nil {
		titleMeasure.pdf = newMeasurer().pdf
	}
	titleMeasure.pdf.SetFont(family, "B", size)
	// fpdf's cells keep a margin of 1 mm each side
	return balance(titleMeasure.pdf, NFC(text), w-2)
}

// rule draws a short centred line under a title.
func (r *pdfRenderer) rule(w, y float64) {
	x := marginLeft + (r.width-w)/2
	r.pdf.Line(x, y, x+w, y)
}

// word is a piece of a paragraph between spaces, in one style.
type word struct {
	text  string
	style string
	size  float64
	w     float64 // width
	space float64 // width of the space before it; 0 when it follows the previous word directly
	br    bool    // a forced line break before it
}

// words cuts a paragraph's runs into measured words.
func (r *pdfRenderer) words(runs []Run, size float64) []word {
	p := r.pdf
	var out []word
	spaced, broken := false, false
	for _, run := range runs {
		rs := size
		if run.Size > 0 {
			rs = run.Size
		}
		st := style(run.Bold, run.Italic)
		p.SetFont(family, st, rs)
		for li, line := range strings.Split(NFC(run.Text), "\n") {
			if li > 0 {
				broken, spaced = true, false
			}
			for i, part := range strings.Split(line, " ") {
				if i > 0 {
					spaced = true
				}
				if part == "" {
					continue
				}
				w := word{text: part, style: st, size: rs, w: p.GetStringWidth(part), br: broken}
				if spaced && len(out) > 0 && !broken {
					w.space = p.GetStringWidth(" ")
				}
				out = append(out, w)
				spaced, broken = false, false
			}
		}
	}
	return out
}

// splitWide cuts a word wider than w (a long hash) into pieces that fit.
func (r *pdfRenderer) splitWide(wd word, w float64) []word {
	p := r.pdf
	p.SetFont(family, wd.style, wd.size)
	var out []word
	rs := []rune(wd.text)
	for len(rs) > 0 {
		n := len(rs)
		for n > 1 && p.GetStringWidth(string(rs[:n])) > w {
			n--
		}
		piece := word{text: string(rs[:n]), style: wd.style, size: wd.size, w: p.GetStringWidth(string(rs[:n]))}
		if len(out) == 0 {
			piece.space, piece.br = wd.space, wd.br
		} else {
			piece.br = true
		}
		out = append(out, piece)
		rs = rs[n:]
	}
	return out
}

// lines breaks words into lines of width w, the first indented; words that follow each other without
// a space stay on one line.
func (r *pdfRenderer) lines(ws []word, w, indent float64) [][]word {
	var all []word
	for _, wd := range ws {
		if wd.w > w-indent {
			all = append(all, r.splitWide(wd, w-indent)...)
		} else {
			all = append(all, wd)
		}
	}
	var out [][]word
	var cur []word
	used := 0.0
	avail := w - indent
	for i := 0; i < len(all); {
		// a unit: a word and those glued to it
		j := i + 1
		for j < len(all) && all[j].space == 0 && !all[j].br {
			j++
		}
		uw := 0.0
		for _, x := range all[i:j] {
			uw += x.w
		}
		gap := all[i].space
		if len(cur) == 0 {
			gap = 0
		}
		if len(cur) > 0 && (all[i].br || used+gap+uw > avail+0.01) {
			out = append(out, cur)
			cur, used, avail, gap = nil, 0, w, 0
		}
		cur = append(cur, all[i:j]...)
		used += gap + uw
		i = j
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// paragraph writes one paragraph in the box [x, x+w], line by line: words placed one by one, so a
// justified line is justified whatever the runs (a bold "Điều 1." before plain text included).
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
	lines := r.lines(r.words(b.Runs, size), w, b.Indent)
	for li, line := range lines {
		if p.GetY()+lh > r.bottom {
			p.AddPage()
		}
		y := p.GetY()
		lx, avail := x, w
		if li == 0 {
			lx, avail = x+b.Indent, w-b.Indent
		}
		natural, gaps := 0.0, 0
		for wi, wd := range line {
			natural += wd.w
			if wi > 0 {
				natural += wd.space
				if wd.space > 0 {
					gaps++
				}
			}
		}
		extra := 0.0
		last := li == len(lines)-1 || lines[li+1][0].br
		switch {
		case b.Align == Justify && !last && gaps > 0:
			extra = (avail - natural) / float64(gaps)
		case b.Align == Center:
			lx += (avail - natural) / 2
		case b.Align == Right:
			lx += avail - natural
		}
		cx := lx
		for wi, wd := range line {
			if wi > 0 && wd.space > 0 {
				cx += wd.space + extra
			}
			p.SetFont(family, wd.style, wd.size)
			p.Text(cx, y+baseline(lh, wd.size), wd.text)
			cx += wd.w
		}
		p.SetXY(marginLeft, y+lh)
	}
	p.Ln(b.SpaceAfter)
}

// nationalHeader lays out the two header columns of Nghị định 30/2020. On a ballot the issuing body
// sits in the frame of the seal, top left.
func (r *pdfRenderer) nationalHeader(h NationalHeader) {
	p := r.pdf
	leftW, rightW := 68.0, r.width-68.0
	y0 := p.GetY()
	// Left: the issuing body, the last line bold, a short rule, the number.
	p.SetXY(marginLeft, y0)
	if h.Seal != "" {
		p.SetXY(marginLeft, y0+1.5)
	}
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
	if h.Seal == "" {
		p.Line(marginLeft+leftW/2-12, yl, marginLeft+leftW/2+12, yl)
	}
	if h.Number != "" {
		p.SetXY(marginLeft, yl+2)
		p.SetFont(family, "", 13)
		p.MultiCell(leftW, lineHeight(13), NFC(h.Number), "", "C", false)
	}
	if h.Seal != "" {
		p.SetXY(marginLeft+4, yl+1)
		p.SetFont(family, "I", 9)
		p.MultiCell(leftW-8, 3.8, NFC("("+h.Seal+")"), "", "C", false)
		bottom := math.Max(p.GetY()+1.5, y0+sealH)
		p.SetDashPattern([]float64{1.2, 0.9}, 0)
		p.SetDrawColor(90, 90, 90)
		p.Rect(marginLeft+1, y0-1, leftW-2, bottom-y0+1, "D")
		p.SetDashPattern([]float64{}, 0)
		p.SetDrawColor(0, 0, 0)
		p.SetXY(marginLeft, bottom)
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
	for _, l := range []string{h.PlaceDate, h.Sheet} {
		if l != "" {
			p.SetXY(xr, yr+2)
			p.SetFont(family, "I", 13)
			p.MultiCell(rightW, lineHeight(13), NFC(l), "", "C", false)
			yr = p.GetY()
		}
	}
	p.SetXY(marginLeft, math.Max(yLeftEnd, p.GetY())+2)
}

// sealH is the least height of the seal's frame on a ballot, mm: room for a round seal of 35 mm
// stamped over the body's name, as it is in practice.
const sealH = 26.0

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

// tableGeometry is how a table is laid out: its type size, line height and cell padding, mm.
func tableGeometry(t Table) (size, lh, pad float64) {
	size = t.FontSize
	if size == 0 {
		size = 12
	}
	pad = 1.2
	if size < 11 {
		pad = 0.9 // smaller type, tighter rows: a long ballot keeps to one sheet
	}
	return size, lineHeight(size), pad
}

// tableCellMargin is fpdf's inner margin of a table cell's text, mm, besides the padding: the text
// starts 1.4 to 1.7 mm inside the rule, as in a word processor's table.
const tableCellMargin = 0.5

// inTable sets fpdf's cell margin for table cells and returns the function that restores it.
func (r *pdfRenderer) inTable() func() {
	old := r.pdf.GetCellMargin()
	r.pdf.SetCellMargin(tableCellMargin)
	return func() { r.pdf.SetCellMargin(old) }
}

// rowHeight is the height of a table row.
func (r *pdfRenderer) rowHeight(t Table, cells []Cell, isHeader bool) float64 {
	p := r.pdf
	defer r.inTable()()
	size, lh, pad := tableGeometry(t)
	h := lh
	for i, c := range cells {
		p.SetFont(family, style(c.Bold || isHeader, false), size)
		if n := float64(len(r.cellLines(c.Text, t.Columns[i].Width-2*pad))); n*lh > h {
			h = n * lh
		}
	}
	h += 2 * pad
	for _, c := range cells {
		if c.Box && h < 7 {
			h = 7
		}
	}
	if !isHeader && h < t.RowMin {
		h = t.RowMin
	}
	return h
}

// table draws a table whose rows never split across pages and whose header row repeats on each page.
func (r *pdfRenderer) table(t Table) {
	p := r.pdf
	p.SetAutoPageBreak(false, marginBottom)
	defer p.SetAutoPageBreak(true, marginBottom)
	header := make([]Cell, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = Cell{Text: c.Title, Bold: true}
	}
	hh := r.rowHeight(t, header, true)
	draw := func(cells []Cell, isHeader bool) {
		h := r.rowHeight(t, cells, isHeader)
		next := h
		if isHeader && len(t.Rows) > 0 { // a header never ends a page
			next += r.rowHeight(t, t.Rows[0], false)
		}
		if p.GetY()+next > r.bottom {
			p.AddPage()
			if !isHeader {
				r.drawRow(t, header, hh, true)
			}
		}
		r.drawRow(t, cells, h, isHeader)
	}
	draw(header, true)
	for _, row := range t.Rows {
		draw(row, false)
	}
	p.Ln(2)
}

func (r *pdfRenderer) drawRow(t Table, cells []Cell, h float64, isHeader bool) {
	p := r.pdf
	defer r.inTable()()
	size, lh, pad := tableGeometry(t)
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
			top := y + (h-float64(len(lines))*lh)/2 // centred vertically, as the DOCX's cells
			for j, l := range lines {
				p.SetXY(x+pad, top+float64(j)*lh)
				p.CellFormat(col.Width-2*pad, lh, l, "", 0, alignCode(align), false, 0, "")
			}
		}
		x += col.Width
	}
	p.SetXY(marginLeft, y+h)
}

// recipientLH is the line height of the "Nơi nhận" list (11 pt).
const recipientLH = 4.6

// signatureHeight is the height of the closing block: the taller of its two columns.
func (r *pdfRenderer) signatureHeight(s Signature, leftW float64) float64 {
	p := r.pdf
	left := 0.0
	if len(s.Recipients) > 0 {
		left = 5
		p.SetFont(family, "", 11)
		for _, rc := range s.Recipients {
			left += float64(len(r.cellLines("- "+rc, leftW-2))) * recipientLH
		}
	}
	p.SetFont(family, "B", 13)
	right := 24 + lineHeight(13)
	for _, a := range s.Authority {
		right += float64(len(r.cellLines(a, r.width-leftW-2))) * lineHeight(13)
	}
	return math.Max(left, right)
}

// signature lays out recipients on the left and the signer on the right, on one page.
func (r *pdfRenderer) signature(s Signature) {
	p := r.pdf
	p.Ln(4)
	leftW := r.width * 0.5
	if need := r.signatureHeight(s, leftW); p.GetY()+need > r.bottom && need <= usableH {
		p.AddPage()
	}
	p.SetAutoPageBreak(false, marginBottom)
	defer p.SetAutoPageBreak(true, marginBottom)
	y0 := p.GetY()
	if len(s.Recipients) > 0 {
		p.SetXY(marginLeft, y0)
		p.SetFont(family, "BI", 12)
		p.CellFormat(leftW, 5, "Nơi nhận:", "", 1, "L", false, 0, "")
		p.SetFont(family, "", 11)
		for _, rc := range s.Recipients {
			p.SetX(marginLeft)
			p.MultiCell(leftW, recipientLH, NFC("- "+rc), "", "L", false)
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

// signatures lays out signature places two per row; a role and its name are never parted.
func (r *pdfRenderer) signatures(s Signatures) {
	p := r.pdf
	p.Ln(4)
	colW := r.width / 2
	p.SetAutoPageBreak(false, marginBottom)
	defer p.SetAutoPageBreak(true, marginBottom)
	for i := 0; i < len(s.Signers); i += 2 {
		need := 0.0
		for j := 0; j < 2 && i+j < len(s.Signers); j++ {
			sg := s.Signers[i+j]
			p.SetFont(family, "B", 13)
			h := float64(len(r.cellLines(Upper(sg.Role), colW-2))+len(r.cellLines(sg.Name, colW-2)))*lineHeight(13) + 20
			need = math.Max(need, h)
		}
		if p.GetY()+need > r.bottom {
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

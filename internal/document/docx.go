package document

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"
	"time"
)

// DOCX renders a document as an Office Open XML word-processing package, written by hand (no
// library): Times New Roman, the same margins, page numbers from page 2, repeated table headers.
// Entries carry fixed times, so the same document gives the same bytes.
func DOCX(d Document) ([]byte, error) {
	var body strings.Builder
	w := docxWriter{b: &body}
	if d.Draft {
		w.para(Paragraph{Runs: []Run{{Text: "DỰ THẢO", Bold: true}}, Align: Right}, "C00000")
	}
	for _, b := range d.Blocks {
		w.block(b)
	}
	footer := strings.Join(footerLines(d), "\n")
	demo := ""
	if d.Demo {
		demo = `<w:p><w:pPr><w:spacing w:after="0"/></w:pPr><w:r><w:rPr><w:b/><w:color w:val="AA0000"/><w:sz w:val="18"/></w:rPr><w:t xml:space="preserve">` + demoText + `</w:t></w:r></w:p>`
	}
	pageNumber := pageNumberXML
	if d.Sheets {
		pageNumber = ""
	}
	if demo == "" && pageNumber == "" {
		pageNumber = "<w:p/>"
	}
	firstHeader := demo
	if firstHeader == "" {
		firstHeader = "<w:p/>"
	}
	var foot strings.Builder
	docxWriter{&foot}.paraOpts([]Run{{Text: footer, Italic: true}}, Center, pp{size: 8})
	files := []packagePart{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", rootRels},
		{"docProps/core.xml", fmt.Sprintf(coreXML, xmlEscape(NFC(d.Name)), d.Date.UTC().Format(time.RFC3339), d.Date.UTC().Format(time.RFC3339))},
		{"word/_rels/document.xml.rels", documentRels},
		{"word/styles.xml", stylesXML},
		{"word/settings.xml", settingsXML},
		{"word/header1.xml", hdrOpen + demo + pageNumber + hdrClose},
		{"word/header2.xml", hdrOpen + firstHeader + hdrClose},
		{"word/footer1.xml", ftrOpen + foot.String() + ftrClose},
		{"word/document.xml", documentHead + body.String() + sectPr + documentTail},
	}
	return zipPackage(files, d.Date.UTC())
}

// packagePart is one file of an OOXML package (DOCX or XLSX).
type packagePart struct{ name, content string }

// zipPackage writes an OOXML package with every part dated modified, so the same content gives
// the same bytes.
func zipPackage(parts []packagePart, modified time.Time) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range parts {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: modified})
		if err != nil {
			return nil, err
		}
		if _, err := fw.Write([]byte(f.content)); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

type docxWriter struct{ b *strings.Builder }

func xmlEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func mm(v float64) int { return int(v * 56.7) } // twips

func jc(a Align) string {
	switch a {
	case Center:
		return "center"
	case Right:
		return "right"
	case Justify:
		return "both"
	}
	return "left"
}

func (w docxWriter) run(r Run, color string, size float64) {
	w.b.WriteString("<w:r><w:rPr>")
	if r.Bold {
		w.b.WriteString("<w:b/>")
	}
	if r.Italic {
		w.b.WriteString("<w:i/>")
	}
	if color != "" {
		w.b.WriteString(`<w:color w:val="` + color + `"/>`)
	}
	if r.Size > 0 {
		size = r.Size
	}
	if size > 0 {
		fmt.Fprintf(w.b, `<w:sz w:val="%d"/><w:szCs w:val="%d"/>`, int(size*2), int(size*2))
	}
	w.b.WriteString("</w:rPr>")
	for i, line := range strings.Split(NFC(r.Text), "\n") {
		if i > 0 {
			w.b.WriteString("<w:br/>")
		}
		w.b.WriteString(`<w:t xml:space="preserve">` + xmlEscape(line) + "</w:t>")
	}
	w.b.WriteString("</w:r>")
}

// pp are a paragraph's properties: first-line indent and spacing in mm, keep-with-next, the colour and
// size of its runs (0: the body's).
type pp struct {
	indent, before, after float64
	keep                  bool
	color                 string
	size                  float64
	single                bool    // single line spacing (table cells), not the body's 1.15
	exact                 float64 // an exact line height, pt (a ballot's box, whatever font draws it)
}

func (w docxWriter) paraOpts(runs []Run, align Align, o pp) {
	w.b.WriteString(`<w:p><w:pPr>`)
	if o.keep {
		w.b.WriteString(`<w:keepNext/>`)
	}
	if o.exact > 0 {
		fmt.Fprintf(w.b, `<w:spacing w:before="%d" w:after="%d" w:line="%d" w:lineRule="exact"/>`, mm(o.before), mm(o.after), int(o.exact*20))
	} else if o.single {
		fmt.Fprintf(w.b, `<w:spacing w:before="%d" w:after="%d" w:line="240" w:lineRule="auto"/>`, mm(o.before), mm(o.after))
	} else {
		fmt.Fprintf(w.b, `<w:spacing w:before="%d" w:after="%d"/>`, mm(o.before), mm(o.after))
	}
	if o.indent > 0 {
		fmt.Fprintf(w.b, `<w:ind w:firstLine="%d"/>`, mm(o.indent))
	}
	w.b.WriteString(`<w:jc w:val="` + jc(align) + `"/></w:pPr>`)
	for _, r := range runs {
		w.run(r, o.color, o.size)
	}
	w.b.WriteString("</w:p>")
}

func (w docxWriter) para(p Paragraph, color string) {
	w.paraOpts(p.Runs, p.Align, pp{indent: p.Indent, before: p.SpaceBefore, after: p.SpaceAfter, keep: p.KeepWithNext, color: color})
}

// rule draws a centred line of width ruleW (mm) in a box of width boxW, as a paragraph border: a
// line, not underscores.
func (w docxWriter) rule(boxW, ruleW, before, after float64, keep bool) {
	ind := mm((boxW - ruleW) / 2)
	w.b.WriteString(`<w:p><w:pPr>`)
	if keep {
		w.b.WriteString(`<w:keepNext/>`)
	}
	fmt.Fprintf(w.b, `<w:pBdr><w:top w:val="single" w:sz="6" w:space="0" w:color="000000"/></w:pBdr><w:spacing w:before="%d" w:after="%d" w:line="100" w:lineRule="exact"/><w:ind w:left="%d" w:right="%d"/><w:rPr><w:sz w:val="4"/></w:rPr></w:pPr></w:p>`,
		mm(before), mm(after), ind, ind)
}

func (w docxWriter) block(b Block) {
	switch b := b.(type) {
	case Paragraph:
		w.para(b, "")
	case Spacer:
		w.paraOpts(nil, Left, pp{before: b.Height})
	case PageBreak:
		w.b.WriteString(`<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/></w:pPr><w:r><w:br w:type="page"/></w:r></w:p>`)
	case NationalHeader:
		var left, right strings.Builder
		lw, rw := docxWriter{&left}, docxWriter{&right}
		for i, l := range b.Body {
			lw.paraOpts([]Run{{Text: l, Bold: i >= b.Plain}}, Center, pp{size: 13})
		}
		if b.Seal == "" {
			lw.rule(68, 24, 0.5, 0, false)
		}
		if b.Number != "" {
			lw.paraOpts([]Run{{Text: b.Number}}, Center, pp{before: 1, size: 13})
		}
		if b.Seal != "" {
			lw.paraOpts([]Run{{Text: "(" + b.Seal + ")", Italic: true}}, Center, pp{before: 1, size: 9})
		}
		rw.paraOpts([]Run{{Text: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", Bold: true}}, Center, pp{size: 12})
		rw.paraOpts([]Run{{Text: "Độc lập - Tự do - Hạnh phúc", Bold: true}}, Center, pp{size: 13})
		rw.rule(97, 62, 0.5, 0, false)
		for _, l := range []string{b.PlaceDate, b.Sheet} {
			if l != "" {
				rw.paraOpts([]Run{{Text: l, Italic: true}}, Center, pp{before: 1, size: 13})
			}
		}
		o := layoutOpts{}
		if b.Seal != "" {
			// The seal's place: the issuing body framed top left, as on the PDF.
			o.firstCell = `<w:tcBorders><w:top w:val="dashed" w:sz="6" w:color="5A5A5A"/><w:left w:val="dashed" w:sz="6" w:color="5A5A5A"/><w:bottom w:val="dashed" w:sz="6" w:color="5A5A5A"/><w:right w:val="dashed" w:sz="6" w:color="5A5A5A"/></w:tcBorders><w:tcMar><w:top w:w="85" w:type="dxa"/></w:tcMar>`
			o.rowMin = sealH
		}
		w.layoutTable([]float64{68, 97}, [][]string{{left.String(), right.String()}}, o)
		w.paraOpts(nil, Left, pp{size: 6})
	case Title:
		size := b.Size
		if size == 0 {
			size = 13
		}
		w.paraOpts([]Run{{Text: strings.Join(titleLines(b.Kind, 14, 165), "\n"), Bold: true}}, Center, pp{before: 4, size: 14, keep: true})
		for _, l := range b.Summary {
			w.paraOpts([]Run{{Text: strings.Join(titleLines(l, size, 165), "\n"), Bold: true}}, Center, pp{size: size, keep: true})
		}
		w.rule(165, 60, 1, 3, true)
	case Table:
		w.table(b)
	case Signature:
		var left, right strings.Builder
		lw, rw := docxWriter{&left}, docxWriter{&right}
		if len(b.Recipients) > 0 {
			lw.paraOpts([]Run{{Text: "Nơi nhận:", Bold: true, Italic: true}}, Left, pp{size: 12, keep: true})
			for _, rc := range b.Recipients {
				lw.paraOpts([]Run{{Text: "- " + rc}}, Left, pp{size: 11, keep: true})
			}
		} else {
			lw.paraOpts(nil, Left, pp{size: 11})
		}
		for _, a := range b.Authority {
			rw.paraOpts([]Run{{Text: a, Bold: true}}, Center, pp{size: 13, keep: true})
		}
		rw.paraOpts(nil, Center, pp{before: 22, size: 13, keep: true})
		rw.paraOpts([]Run{{Text: b.Name, Bold: true}}, Center, pp{size: 13})
		w.paraOpts(nil, Left, pp{before: 3, keep: true})
		w.layoutTable([]float64{82, 83}, [][]string{{left.String(), right.String()}}, layoutOpts{cantSplit: true})
	case Signatures:
		var rows [][]string
		for i := 0; i < len(b.Signers); i += 2 {
			keep := i+2 < len(b.Signers) // the rows of the grid stay together
			row := []string{}
			for j := 0; j < 2; j++ {
				var cell strings.Builder
				cw := docxWriter{&cell}
				if i+j < len(b.Signers) {
					cw.paraOpts([]Run{{Text: Upper(b.Signers[i+j].Role), Bold: true}}, Center, pp{size: 13, keep: true})
					cw.paraOpts(nil, Center, pp{before: 18, size: 13, keep: true})
					cw.paraOpts([]Run{{Text: b.Signers[i+j].Name, Bold: true}}, Center, pp{after: 4, size: 13, keep: keep})
				} else {
					cw.paraOpts(nil, Center, pp{size: 13, keep: keep})
				}
				row = append(row, cell.String())
			}
			rows = append(rows, row)
		}
		w.paraOpts(nil, Left, pp{before: 2, keep: true})
		w.layoutTable([]float64{82, 83}, rows, layoutOpts{cantSplit: true})
	}
}

// layoutOpts are the options of a borderless layout table: rows that cannot split, the properties
// of the first cell (the seal's frame), the least row height in mm.
type layoutOpts struct {
	cantSplit bool
	firstCell string
	rowMin    float64
}

// layoutTable is a borderless table used for side-by-side blocks; cells hold ready paragraphs.
func (w docxWriter) layoutTable(widths []float64, rows [][]string, o layoutOpts) {
	w.b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/><w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>`)
	for _, wd := range widths {
		fmt.Fprintf(w.b, `<w:gridCol w:w="%d"/>`, mm(wd))
	}
	w.b.WriteString("</w:tblGrid>")
	for _, row := range rows {
		w.b.WriteString("<w:tr>")
		if o.cantSplit || o.rowMin > 0 {
			w.b.WriteString("<w:trPr>")
			if o.cantSplit {
				w.b.WriteString("<w:cantSplit/>")
			}
			if o.rowMin > 0 {
				fmt.Fprintf(w.b, `<w:trHeight w:val="%d" w:hRule="atLeast"/>`, mm(o.rowMin))
			}
			w.b.WriteString("</w:trPr>")
		}
		for i, cell := range row {
			extra := ""
			if i == 0 {
				extra = o.firstCell
			}
			fmt.Fprintf(w.b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/>%s</w:tcPr>%s</w:tc>`, mm(widths[i]), extra, cell)
		}
		w.b.WriteString("</w:tr>")
	}
	w.b.WriteString("</w:tbl>")
}

// table is a bordered table whose first row repeats on each page (w:tblHeader); no row splits.
func (w docxWriter) table(t Table) {
	size, _, _ := tableGeometry(t)
	// CT_TblPr's order: width, borders, layout, cell margins.
	w.b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders>` +
		`<w:top w:val="single" w:sz="4"/><w:left w:val="single" w:sz="4"/><w:bottom w:val="single" w:sz="4"/><w:right w:val="single" w:sz="4"/>` +
		`<w:insideH w:val="single" w:sz="4"/><w:insideV w:val="single" w:sz="4"/></w:tblBorders><w:tblLayout w:type="fixed"/>` +
		`<w:tblCellMar><w:top w:w="57" w:type="dxa"/><w:left w:w="68" w:type="dxa"/><w:bottom w:w="57" w:type="dxa"/><w:right w:w="68" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>`)
	for _, c := range t.Columns {
		fmt.Fprintf(w.b, `<w:gridCol w:w="%d"/>`, mm(c.Width))
	}
	w.b.WriteString("</w:tblGrid>")
	header := make([]Cell, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = Cell{Text: c.Title, Bold: true}
	}
	rows := append([][]Cell{header}, t.Rows...)
	for ri, row := range rows {
		w.b.WriteString("<w:tr><w:trPr><w:cantSplit/>")
		if ri == 0 {
			w.b.WriteString("<w:tblHeader/>")
		}
		least := 0.0
		if ri > 0 {
			least = t.RowMin
			for _, c := range row {
				if c.Box && least < 7 {
					least = 7 // as the PDF: room for the box
				}
			}
		}
		if least > 0 {
			fmt.Fprintf(w.b, `<w:trHeight w:val="%d" w:hRule="atLeast"/>`, mm(least))
		}
		w.b.WriteString("</w:trPr>")
		// The header keeps with the first row, the last row with what follows the table (a ballot's
		// instructions, the base sentence under the results).
		keep := ri == 0 || ri == len(rows)-1
		for i, c := range row {
			col := t.Columns[i]
			mar := ""
			if c.Box {
				mar = `<w:tcMar><w:top w:w="0" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/></w:tcMar>`
			}
			fmt.Fprintf(w.b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/>%s<w:vAlign w:val="center"/></w:tcPr>`, mm(col.Width), mar)
			align := col.Align
			if ri == 0 {
				align = Center
			}
			o := pp{size: size, keep: keep, single: true}
			text := c.Text
			if c.Box {
				text, align, o.size, o.exact = "☐", Center, 14, 15
			}
			w.paraOpts([]Run{{Text: text, Bold: c.Bold || ri == 0}}, align, o)
			w.b.WriteString("</w:tc>")
		}
		w.b.WriteString("</w:tr>")
	}
	w.b.WriteString("</w:tbl>")
	w.paraOpts(nil, Left, pp{size: 6, keep: true})
}

const contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/><Override PartName="/word/header2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`

const rootRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`

const documentRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/><Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header2.xml"/></Relationships>`

const coreXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>%s</dc:title><dc:creator>Tín Nhiệm</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">%s</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">%s</dcterms:modified></cp:coreProperties>`

const stylesXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman" w:eastAsia="Times New Roman"/><w:sz w:val="26"/><w:szCs w:val="26"/><w:lang w:val="vi-VN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style></w:styles>`

const settingsXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:defaultTabStop w:val="720"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>`

// The headers: header1 on every page but the first (the page number, the demo line), header2 on the
// first (the demo line only).
const (
	hdrOpen       = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">`
	hdrClose      = `</w:hdr>`
	pageNumberXML = `<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>2</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>`
	ftrOpen       = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">`
	ftrClose      = `</w:ftr>`
)

const documentHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>`

// sectPr: A4, margins 20/20/30/15 mm; the header (page number) on every page but the first (titlePg).
const sectPr = `<w:sectPr><w:headerReference w:type="default" r:id="rId3"/><w:headerReference w:type="first" r:id="rId5"/><w:footerReference w:type="default" r:id="rId4"/><w:footerReference w:type="first" r:id="rId4"/><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701" w:header="567" w:footer="567" w:gutter="0"/><w:titlePg/></w:sectPr>`

const documentTail = `</w:body></w:document>`

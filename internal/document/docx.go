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
	footer := ""
	if d.Fingerprint != "" {
		footer = "Mã xác thực nội dung văn bản (SHA-256): " + d.Fingerprint
	}
	files := []packagePart{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", rootRels},
		{"docProps/core.xml", fmt.Sprintf(coreXML, xmlEscape(NFC(d.Name)), d.Date.UTC().Format(time.RFC3339), d.Date.UTC().Format(time.RFC3339))},
		{"word/_rels/document.xml.rels", documentRels},
		{"word/styles.xml", stylesXML},
		{"word/settings.xml", settingsXML},
		{"word/header1.xml", headerXML},
		{"word/footer1.xml", fmt.Sprintf(footerXML, xmlEscape(footer))},
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

func (w docxWriter) paraOpts(runs []Run, align Align, indent, before, after float64, color string, size float64) {
	fmt.Fprintf(w.b, `<w:p><w:pPr><w:spacing w:before="%d" w:after="%d"/>`, mm(before), mm(after))
	if indent > 0 {
		fmt.Fprintf(w.b, `<w:ind w:firstLine="%d"/>`, mm(indent))
	}
	w.b.WriteString(`<w:jc w:val="` + jc(align) + `"/></w:pPr>`)
	for _, r := range runs {
		w.run(r, color, size)
	}
	w.b.WriteString("</w:p>")
}

func (w docxWriter) para(p Paragraph, color string) {
	w.paraOpts(p.Runs, p.Align, p.Indent, p.SpaceBefore, p.SpaceAfter, color, 0)
}

func (w docxWriter) block(b Block) {
	switch b := b.(type) {
	case Paragraph:
		w.para(b, "")
	case Spacer:
		w.paraOpts(nil, Left, 0, b.Height, 0, "", 0)
	case NationalHeader:
		var left, right strings.Builder
		lw, rw := docxWriter{&left}, docxWriter{&right}
		for i, l := range b.Body {
			lw.paraOpts([]Run{{Text: l, Bold: i >= b.Plain}}, Center, 0, 0, 0, "", 13)
		}
		lw.paraOpts([]Run{{Text: "________"}}, Center, 0, 0, 0, "", 8)
		if b.Number != "" {
			lw.paraOpts([]Run{{Text: b.Number}}, Center, 0, 1, 0, "", 13)
		}
		rw.paraOpts([]Run{{Text: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", Bold: true}}, Center, 0, 0, 0, "", 12)
		rw.paraOpts([]Run{{Text: "Độc lập - Tự do - Hạnh phúc", Bold: true}}, Center, 0, 0, 0, "", 13)
		rw.paraOpts([]Run{{Text: "_______________________"}}, Center, 0, 0, 0, "", 8)
		if b.PlaceDate != "" {
			rw.paraOpts([]Run{{Text: b.PlaceDate, Italic: true}}, Center, 0, 1, 0, "", 13)
		}
		w.layoutTable([]float64{68, 97}, [][]string{{left.String(), right.String()}})
	case Title:
		w.paraOpts([]Run{{Text: b.Kind, Bold: true}}, Center, 0, 4, 0, "", 14)
		for _, l := range b.Summary {
			w.paraOpts([]Run{{Text: l, Bold: true}}, Center, 0, 0, 0, "", 13)
		}
		w.paraOpts([]Run{{Text: "_______________"}}, Center, 0, 0, 3, "", 8)
	case Table:
		w.table(b)
	case Signature:
		var left, right strings.Builder
		lw, rw := docxWriter{&left}, docxWriter{&right}
		if len(b.Recipients) > 0 {
			lw.paraOpts([]Run{{Text: "Nơi nhận:", Bold: true, Italic: true}}, Left, 0, 0, 0, "", 12)
			for _, rc := range b.Recipients {
				lw.paraOpts([]Run{{Text: "- " + rc}}, Left, 0, 0, 0, "", 11)
			}
		}
		for _, a := range b.Authority {
			rw.paraOpts([]Run{{Text: a, Bold: true}}, Center, 0, 0, 0, "", 13)
		}
		rw.paraOpts(nil, Center, 0, 22, 0, "", 13)
		rw.paraOpts([]Run{{Text: b.Name, Bold: true}}, Center, 0, 0, 0, "", 13)
		w.paraOpts(nil, Left, 0, 3, 0, "", 0)
		w.layoutTable([]float64{82, 83}, [][]string{{left.String(), right.String()}})
	case Signatures:
		var rows [][]string
		for i := 0; i < len(b.Signers); i += 2 {
			row := []string{}
			for j := 0; j < 2; j++ {
				var cell strings.Builder
				cw := docxWriter{&cell}
				if i+j < len(b.Signers) {
					cw.paraOpts([]Run{{Text: Upper(b.Signers[i+j].Role), Bold: true}}, Center, 0, 0, 0, "", 13)
					cw.paraOpts(nil, Center, 0, 18, 0, "", 13)
					cw.paraOpts([]Run{{Text: b.Signers[i+j].Name, Bold: true}}, Center, 0, 0, 4, "", 13)
				} else {
					cw.paraOpts(nil, Center, 0, 0, 0, "", 13)
				}
				row = append(row, cell.String())
			}
			rows = append(rows, row)
		}
		w.layoutTable([]float64{82, 83}, rows)
	case SealBox:
		w.paraOpts([]Run{{Text: "[" + b.Caption + "]", Italic: true}}, Right, 0, 6, 0, "", 10)
	}
}

// layoutTable is a borderless table used for side-by-side blocks; cells hold ready paragraphs.
func (w docxWriter) layoutTable(widths []float64, rows [][]string) {
	w.b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblLayout w:type="fixed"/><w:tblBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/><w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders></w:tblPr><w:tblGrid>`)
	for _, wd := range widths {
		fmt.Fprintf(w.b, `<w:gridCol w:w="%d"/>`, mm(wd))
	}
	w.b.WriteString("</w:tblGrid>")
	for _, row := range rows {
		w.b.WriteString("<w:tr>")
		for i, cell := range row {
			fmt.Fprintf(w.b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/></w:tcPr>%s</w:tc>`, mm(widths[i]), cell)
		}
		w.b.WriteString("</w:tr>")
	}
	w.b.WriteString("</w:tbl>")
}

// table is a bordered table whose first row repeats on each page (w:tblHeader).
func (w docxWriter) table(t Table) {
	size := t.FontSize
	if size == 0 {
		size = 12
	}
	w.b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblLayout w:type="fixed"/><w:tblBorders>` +
		`<w:top w:val="single" w:sz="4"/><w:left w:val="single" w:sz="4"/><w:bottom w:val="single" w:sz="4"/><w:right w:val="single" w:sz="4"/>` +
		`<w:insideH w:val="single" w:sz="4"/><w:insideV w:val="single" w:sz="4"/></w:tblBorders></w:tblPr><w:tblGrid>`)
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
		w.b.WriteString("</w:trPr>")
		for i, c := range row {
			col := t.Columns[i]
			fmt.Fprintf(w.b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>`, mm(col.Width))
			align := col.Align
			if ri == 0 {
				align = Center
			}
			text := c.Text
			if c.Box {
				text, align = "☐", Center
			}
			w.paraOpts([]Run{{Text: text, Bold: c.Bold || ri == 0}}, align, 0, 0, 0, "", size)
			w.b.WriteString("</w:tc>")
		}
		w.b.WriteString("</w:tr>")
	}
	w.b.WriteString("</w:tbl>")
	w.paraOpts(nil, Left, 0, 0, 0, "", 6)
}

const contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`

const rootRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`

const documentRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/></Relationships>`

const coreXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>%s</dc:title><dc:creator>Tín Nhiệm</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">%s</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">%s</dcterms:modified></cp:coreProperties>`

const stylesXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman" w:eastAsia="Times New Roman"/><w:sz w:val="26"/><w:szCs w:val="26"/><w:lang w:val="vi-VN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style></w:styles>`

const settingsXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:defaultTabStop w:val="720"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>`

const headerXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>2</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:hdr>`

const footerXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:i/><w:sz w:val="16"/></w:rPr><w:t xml:space="preserve">%s</w:t></w:r></w:p></w:ftr>`

const documentHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>`

// sectPr: A4, margins 20/20/30/15 mm; the header (page number) on every page but the first (titlePg).
const sectPr = `<w:sectPr><w:headerReference w:type="default" r:id="rId3"/><w:footerReference w:type="default" r:id="rId4"/><w:footerReference w:type="first" r:id="rId4"/><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701" w:header="567" w:footer="567" w:gutter="0"/><w:titlePg/></w:sectPr>`

const documentTail = `</w:body></w:document>`

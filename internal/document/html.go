package document

import (
	"fmt"
	"html"
	"strings"
)

// HTML renders a document as a self-contained page (a preview in the browser: no external fonts,
// scripts or styles).
func HTML(d Document) []byte {
	var b strings.Builder
	esc := func(s string) string { return strings.ReplaceAll(html.EscapeString(NFC(s)), "\n", "<br>") }
	b.WriteString(`<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>` + esc(d.Name) + `</title><style>
body{font-family:"Times New Roman","Liberation Serif",Tinos,serif;font-size:13pt;max-width:165mm;margin:20mm auto 20mm 30mm;color:#000;background:#fff;line-height:1.35}
.draft{position:fixed;top:40%;left:10%;transform:rotate(-45deg);font-size:90pt;color:#e0e0e0;z-index:-1;font-weight:bold}
.draftbox{float:right;border:1px solid #b00;color:#b00;font-weight:bold;padding:2px 10px}
.hdr{display:grid;grid-template-columns:68mm 1fr;text-align:center}.hdr p{margin:0}.rule{width:24mm;border-top:1px solid #000;margin:2px auto 6px}
.center{text-align:center}.right{text-align:right}.justify{text-align:justify}
table.t{border-collapse:collapse;width:100%;font-size:11pt;margin:4px 0}table.t th,table.t td{border:1px solid #000;padding:3px;vertical-align:middle}
table.t th{text-align:center}.box{display:inline-block;width:5mm;height:5mm;border:1px solid #000}
.sig{display:grid;grid-template-columns:1fr 1fr;margin-top:8px}.sig p{margin:0}.rec{font-size:11pt}.sig p.name{margin-top:22mm;font-weight:bold;text-align:center}
.draftbox{position:absolute;top:6mm;right:15mm}
.sealbox{border:1px dashed #5a5a5a;min-height:26mm;margin-right:2mm}.sealbox .cap{font-style:italic;font-size:9pt}
.demo{color:#a00;font-weight:bold;font-size:9pt;position:sticky;top:0;background:#fff}
.sheet{break-before:page;page-break-before:always}
footer{margin-top:10mm;font-size:8pt;font-style:italic;text-align:center}
</style></head><body>`)
	if d.Draft {
		b.WriteString(`<div class="draft" aria-hidden="true">DỰ THẢO</div><div class="draftbox">DỰ THẢO</div>`)
	}
	if d.Demo {
		b.WriteString(`<p class="demo" role="note">` + demoText + `</p>`)
	}
	for _, blk := range d.Blocks {
		switch x := blk.(type) {
		case Paragraph:
			style := ""
			if x.Indent > 0 {
				style = fmt.Sprintf(` style="text-indent:%gmm;margin:%gmm 0 %gmm"`, x.Indent, x.SpaceBefore, x.SpaceAfter)
			} else {
				style = fmt.Sprintf(` style="margin:%gmm 0 %gmm"`, x.SpaceBefore, x.SpaceAfter)
			}
			b.WriteString(`<p class="` + string(x.Align) + `"` + style + `>`)
			for _, r := range x.Runs {
				t := esc(r.Text)
				if r.Bold {
					t = "<b>" + t + "</b>"
				}
				if r.Italic {
					t = "<i>" + t + "</i>"
				}
				b.WriteString(t)
			}
			b.WriteString("</p>")
		case Spacer:
			fmt.Fprintf(&b, `<div style="height:%gmm"></div>`, x.Height)
		case PageBreak:
			b.WriteString(`<hr class="sheet">`)
		case NationalHeader:
			if x.Seal != "" {
				b.WriteString(`<div class="hdr"><div class="sealbox">`)
			} else {
				b.WriteString(`<div class="hdr"><div>`)
			}
			for i, l := range x.Body {
				if i >= x.Plain {
					b.WriteString("<p><b>" + esc(l) + "</b></p>")
				} else {
					b.WriteString("<p>" + esc(l) + "</p>")
				}
			}
			if x.Seal != "" {
				b.WriteString(`<p class="cap">(` + esc(x.Seal) + `)</p>`)
			} else {
				b.WriteString(`<div class="rule"></div>`)
			}
			if x.Number != "" {
				b.WriteString(`<p style="white-space:pre-wrap">` + esc(x.Number) + "</p>")
			}
			b.WriteString(`</div><div><p><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b></p><p><b>Độc lập - Tự do - Hạnh phúc</b></p><div class="rule" style="width:58mm"></div>`)
			for _, l := range []string{x.PlaceDate, x.Sheet} {
				if l != "" {
					b.WriteString("<p><i>" + esc(l) + "</i></p>")
				}
			}
			b.WriteString("</div></div>")
		case Title:
			// Titles break where the PDF breaks them.
			b.WriteString(`<h1 class="center" style="font-size:14pt;margin:6mm 0 0">` + esc(strings.Join(titleLines(x.Kind, 14, 165), "\n")) + `</h1>`)
			size := x.Size
			if size == 0 {
				size = 13
			}
			for _, l := range x.Summary {
				fmt.Fprintf(&b, `<p class="center" style="margin:0;font-size:%gpt"><b>%s</b></p>`, size, esc(strings.Join(titleLines(l, size, 165), "\n")))
			}
			b.WriteString(`<div class="rule" style="width:40mm;margin-top:4px"></div>`)
		case Table:
			b.WriteString(`<table class="t"><thead><tr>`)
			for _, c := range x.Columns {
				fmt.Fprintf(&b, `<th scope="col" style="width:%gmm">%s</th>`, c.Width, esc(c.Title))
			}
			b.WriteString("</tr></thead><tbody>")
			for _, row := range x.Rows {
				if x.RowMin > 0 {
					fmt.Fprintf(&b, `<tr style="height:%gmm">`, x.RowMin)
				} else {
					b.WriteString("<tr>")
				}
				for i, c := range row {
					content := esc(c.Text)
					if c.Bold {
						content = "<b>" + content + "</b>"
					}
					if c.Box {
						content = `<span class="box" role="img" aria-label="ô trống"></span>`
					}
					b.WriteString(`<td class="` + string(x.Columns[i].Align) + `">` + content + "</td>")
				}
				b.WriteString("</tr>")
			}
			b.WriteString("</tbody></table>")
		case Signature:
			b.WriteString(`<div class="sig"><div class="rec">`)
			if len(x.Recipients) > 0 {
				b.WriteString("<p><b><i>Nơi nhận:</i></b></p>")
				for _, r := range x.Recipients {
					b.WriteString("<p>- " + esc(r) + "</p>")
				}
			}
			b.WriteString(`</div><div class="center">`)
			for _, a := range x.Authority {
				b.WriteString("<p><b>" + esc(a) + "</b></p>")
			}
			b.WriteString(`<p class="name">` + esc(x.Name) + `</p></div></div>`)
		case Signatures:
			b.WriteString(`<div class="sig">`)
			for _, s := range x.Signers {
				b.WriteString(`<div class="center"><p><b>` + esc(Upper(s.Role)) + `</b></p><p class="name" style="margin-bottom:6mm">` + esc(s.Name) + `</p></div>`)
			}
			b.WriteString(`</div>`)
		}
	}
	if lines := footerLines(d); len(lines) > 0 {
		b.WriteString("<footer>" + esc(strings.Join(lines, "\n")) + "</footer>")
	}
	b.WriteString("</body></html>")
	return []byte(b.String())
}

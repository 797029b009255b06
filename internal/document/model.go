// Package document lays out the official documents (ballot, list of delegates receiving a ballot,
// code slips, tally minutes, result resolution) as a small block model, rendered to PDF, DOCX and HTML
// by three renderers, so the three formats say the same thing, and exports the results as CSV and
// XLSX. Layout follows Nghị định 30/2020/NĐ-CP: A4, margins 20/20/30/15 mm, Times New Roman metrics
// (Liberation Serif, bundled), page numbers from page 2, body paragraphs justified with 6 pt between
// them; a heading or a last article keeps with what follows it. Rendering is deterministic: the same
// data gives byte-identical files.
package document

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"
)

// Align is a text alignment.
type Align string

// Alignments.
const (
	Left    Align = "left"
	Center  Align = "center"
	Right   Align = "right"
	Justify Align = "justify"
)

// Run is a piece of text with one style.
type Run struct {
	Text   string  `json:"text"`
	Bold   bool    `json:"bold,omitempty"`
	Italic bool    `json:"italic,omitempty"`
	Size   float64 `json:"size,omitempty"` // points; 0 is the body size
}

// Block is a part of a document.
type Block interface{ kind() string }

// Paragraph is text in runs.
type Paragraph struct {
	Runs        []Run   `json:"runs"`
	Align       Align   `json:"align,omitempty"`
	Indent      float64 `json:"indent,omitempty"` // first-line indent, mm
	SpaceBefore float64 `json:"space_before,omitempty"`
	SpaceAfter  float64 `json:"space_after,omitempty"`
	// KeepWithNext keeps the paragraph on the page of the block that follows it (a heading with its
	// text, the last article with the signature).
	KeepWithNext bool `json:"keep_with_next,omitempty"`
}

// NationalHeader is the top of an administrative document: the issuing body and number on the left,
// the national motto and the place and date on the right.
type NationalHeader struct {
	Body      []string `json:"body"`       // "HỘI ĐỒNG NHÂN DÂN", "TỈNH THÁI NGUYÊN": the issuing body, bold
	Plain     int      `json:"plain"`      // leading lines naming a superior body (not bold): the council above "BAN KIỂM PHIẾU"
	Number    string   `json:"number"`     // "Số: 52/NQ-HĐND"; empty for none
	PlaceDate string   `json:"place_date"` // "Thái Nguyên, ngày 05 tháng 12 năm 2028"
	// Seal, on a ballot, frames the issuing body at the top left as the place of the seal (the seal is
	// stamped in the top left corner, as on every Vietnamese ballot), with this caption.
	Seal  string `json:"seal,omitempty"`
	Sheet string `json:"sheet,omitempty"` // "Tờ 1/2" under the motto, on each sheet of a multi-sheet ballot
}

// Title is the document type and its summary.
type Title struct {
	Kind    string   `json:"kind"`           // "NGHỊ QUYẾT", "BIÊN BẢN"
	Summary []string `json:"summary"`        // bold lines under it
	Size    float64  `json:"size,omitempty"` // of the summary, points; 0 is 13 (NĐ 30 asks 14 for a trích yếu)
}

// Column is a table column.
type Column struct {
	Title string  `json:"title"`
	Width float64 `json:"width"` // mm
	Align Align   `json:"align,omitempty"`
}

// Cell is a table cell; Box draws an empty tick box (ballots).
type Cell struct {
	Text string `json:"text,omitempty"`
	Bold bool   `json:"bold,omitempty"`
	Box  bool   `json:"box,omitempty"`
}

// Table has one header row, repeated on every page it runs onto; long texts wrap inside their cells.
type Table struct {
	Columns  []Column `json:"columns"`
	Rows     [][]Cell `json:"rows"`
	FontSize float64  `json:"font_size,omitempty"`
	RowMin   float64  `json:"row_min,omitempty"` // least height of a body row, mm (room to sign)
}

// Signature is the closing block: recipients on the left, the signer on the right.
type Signature struct {
	Recipients []string `json:"recipients"`
	Authority  []string `json:"authority"` // "TM. HỘI ĐỒNG NHÂN DÂN", "CHỦ TỊCH"
	Name       string   `json:"name"`
}

// Signer is one signature of a multi-signature block.
type Signer struct {
	Role string `json:"role"`
	Name string `json:"name"`
}

// Signatures is a grid of signature places (the counting board signs the minutes).
type Signatures struct {
	Signers []Signer `json:"signers"`
}

// Spacer is vertical space, mm.
type Spacer struct {
	Height float64 `json:"height"`
}

// PageBreak starts a new page (the next sheet of a multi-sheet ballot).
type PageBreak struct{}

func (Paragraph) kind() string      { return "paragraph" }
func (NationalHeader) kind() string { return "national_header" }
func (Title) kind() string          { return "title" }
func (Table) kind() string          { return "table" }
func (Signature) kind() string      { return "signature" }
func (Signatures) kind() string     { return "signatures" }
func (Spacer) kind() string         { return "spacer" }
func (PageBreak) kind() string      { return "page_break" }

// Document is a whole document.
type Document struct {
	Name        string    `json:"name"`  // file and metadata title
	Draft       bool      `json:"draft"` // marked "DỰ THẢO"
	Fingerprint string    `json:"-"`     // printed in the footer when set
	Date        time.Time `json:"-"`     // the document's metadata date (fixed, for determinism)
	Blocks      []Block   `json:"-"`
	// Demo marks fictional data: a "DỮ LIỆU MINH HỌA" line at the top of every page.
	Demo bool `json:"demo,omitempty"`
	// Sheets numbers no page (a ballot carries "Tờ 1/2" in its header instead).
	Sheets bool `json:"-"`
	// Anchor is the vote's audit anchor, printed small in the footer ("HASH:COUNT"; empty for none).
	Anchor string `json:"-"`
}

// ContentHash is the SHA-256 of the document's content (every block, in order): the fingerprint a
// published document prints and the audit log records. It does not depend on the file format.
func ContentHash(d Document) string {
	type tagged struct {
		Kind  string `json:"k"`
		Block Block  `json:"b"`
	}
	all := make([]tagged, len(d.Blocks))
	for i, b := range d.Blocks {
		all[i] = tagged{b.kind(), b}
	}
	raw, err := json.Marshal(struct {
		Name   string   `json:"name"`
		Draft  bool     `json:"draft"`
		Demo   bool     `json:"demo,omitempty"`
		Blocks []tagged `json:"blocks"`
	}{d.Name, d.Draft, d.Demo, all})
	if err != nil {
		panic(err)
	}
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}

// P is a one-run paragraph.
func P(text string, align Align) Paragraph { return Paragraph{Runs: []Run{{Text: text}}, Align: align} }

// B is a bold one-run paragraph.
func B(text string, align Align) Paragraph {
	return Paragraph{Runs: []Run{{Text: text, Bold: true}}, Align: align}
}

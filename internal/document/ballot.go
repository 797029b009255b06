package document

import (
	"fmt"
	"math"
	"strings"

	"tinnhiem/internal/rules"
	"tinnhiem/internal/vote"
)

// Ballot sizes. A ballot group is printed as follows:
//  1. on one A4 portrait sheet in 12 pt while it fits there (about 20 rows whose posts take a line
//     or two);
//  2. then on one sheet in 11 pt, then in 10 pt: still easily read (the size of a newspaper's text),
//     and one sheet is what the board counts fastest and a delegate cannot half-lose;
//  3. then on several sheets in 10 pt, the rows shared evenly between them. Each sheet is a whole
//     ballot page: the seal's place top left, the title, "Tờ 1/2" under the motto, its rows and the
//     instructions, so no sheet ever holds only the seal or the last line of the instructions.
//
// Landscape A4 holds fewer rows (the rows, not the width, are what runs out) and A3 needs a printer a
// council's secretariat rarely has, so neither is used.
var ballotSizes = []float64{12, 11, 10}

// ballotSlack is kept free at the foot of each ballot sheet, mm, for a word processor that sets the
// DOCX a little looser than the PDF.
const ballotSlack = 4.0

// Ballot is the printed ballot of one ballot group (the picture delegates see on screen, too).
func Ballot(d Data, group int) Document {
	v := d.Vote
	title := "PHIẾU TÍN NHIỆM"
	if v.Kind == rules.NoConfidence {
		title = "PHIẾU BỎ PHIẾU TÍN NHIỆM"
	}
	groupTitle := ""
	if group < len(v.BallotGroups) {
		groupTitle = v.BallotGroups[group]
	}
	levels := v.Kind.Levels()
	var rows [][]Cell
	for _, s := range v.Subjects {
		if s.BallotGroup != group {
			continue
		}
		row := []Cell{{Text: fmt.Sprint(len(rows) + 1)}, {Text: s.FullName, Bold: true}, {Text: positions(s.Positions)}}
		for range levels {
			row = append(row, Cell{Box: true})
		}
		rows = append(rows, row)
	}
	instr := "Ghi chú: Đánh dấu (X) vào một trong ba ô \"Tín nhiệm cao\", \"Tín nhiệm\" hoặc \"Tín nhiệm thấp\" đối với từng người."
	if v.Kind == rules.NoConfidence {
		instr = "Ghi chú: Đánh dấu (X) vào một trong hai ô \"Tín nhiệm\" hoặc \"Không tín nhiệm\" đối với từng người."
	}
	instr += " Phiếu không đánh dấu hoặc đánh dấu từ hai ô trở lên đối với người nào thì không hợp lệ đối với người đó."
	m := newMeasurer()
	sheet := func(rows [][]Cell, cols []Column, size float64, i, n int) []Block {
		h := NationalHeader{Body: d.Settings.IssuingBody, Seal: "Dấu của " + d.councilPhrase()}
		if n > 1 {
			h.Sheet = fmt.Sprintf("Tờ %d/%d", i, n)
		}
		note := size + 1
		if note > 12 {
			note = 12
		}
		return []Block{
			h,
			Title{Kind: title, Summary: []string{Upper("Đối với " + lowerFirst(groupTitle))}},
			Paragraph{Runs: []Run{{Text: fmt.Sprintf("%s, %s %s", v.SessionName, d.councilPhrase(), d.termPhrase()), Italic: true}}, Align: Center, SpaceAfter: 3},
			Table{Columns: cols, Rows: rows, FontSize: size},
			Paragraph{Runs: []Run{{Text: instr, Italic: true, Size: note}}, Align: Justify, SpaceBefore: 1},
		}
	}
	doc := Document{Name: title + " - " + groupTitle, Date: d.docDate(), Demo: d.Demo, Sheets: true}
	limit := usableH - ballotSlack
	for _, size := range ballotSizes {
		cols := ballotColumns(m, rows, size, levels)
		if one := sheet(rows, cols, size, 1, 1); m.height(one...) <= limit {
			doc.Blocks = one
			return doc
		}
	}
	size := ballotSizes[len(ballotSizes)-1]
	cols := ballotColumns(m, rows, size, levels) // the same columns on every sheet
	chunks := packSheets(m, rows, limit, func(rs [][]Cell) []Block { return sheet(rs, cols, size, 1, 2) })
	for i, c := range chunks {
		if i > 0 {
			doc.Blocks = append(doc.Blocks, PageBreak{})
		}
		doc.Blocks = append(doc.Blocks, sheet(c, cols, size, i+1, len(chunks))...)
	}
	return doc
}

// ballotColumns fits the columns of a ballot to its rows in type of size pt: the names' column as
// wide as the longest name, the choices' columns as narrow as their headings allow (each keeps room
// for its box), the posts' column the rest, so that a post takes one line where the page allows.
func ballotColumns(m *pdfRenderer, rows [][]Cell, size float64, levels []rules.Level) []Column {
	p := m.pdf
	_, _, pad := tableGeometry(Table{FontSize: size})
	width := func(text string, bold bool) float64 {
		p.SetFont(family, style(bold, false), size)
		return p.GetStringWidth(NFC(text)) + 2*(pad+tableCellMargin) + 0.6
	}
	stt := math.Max(10, width("STT", true))
	name := width("Họ và tên", true)
	post := 0.0
	for _, r := range rows {
		name = math.Max(name, width(r[1].Text, true))
		post = math.Max(post, width(r[2].Text, false))
	}
	name = math.Min(math.Max(name, 30), 50)
	// A choice's column holds its heading's longest word, and never less than 13 mm (a 5 mm box
	// with room around it); three choices never take more than 60 mm.
	least := 13.0
	for _, l := range levels {
		for _, w := range strings.Fields(LevelHeader(l)) {
			least = math.Max(least, width(w, true))
		}
	}
	most := 60 / 3.0
	if len(levels) == 2 {
		most = 25
	}
	n := float64(len(levels))
	rest := pageW - marginLeft - marginRight - stt - name
	post = math.Max(math.Min(post, rest-least*n), 45)
	level := (rest - post) / n
	if level > most {
		level = most
		post = rest - most*n
	}
	cols := []Column{{"STT", stt, Center}, {"Họ và tên", name, Left}, {"Chức vụ", post, Left}}
	for _, l := range levels {
		cols = append(cols, Column{LevelHeader(l), level, Center})
	}
	return cols
}

// packSheets shares rows between as few sheets as hold them, evenly when the rows allow it.
func packSheets(m *pdfRenderer, rows [][]Cell, limit float64, sheet func([][]Cell) []Block) [][][]Cell {
	frame := m.height(sheet(nil)...)
	var table Table
	for _, b := range sheet(nil) {
		if t, ok := b.(Table); ok {
			table = t
		}
	}
	heights := make([]float64, len(rows))
	for i, r := range rows {
		heights[i] = m.rowHeight(table, r, false)
	}
	fits := func(from, to int) bool {
		h := frame
		for _, x := range heights[from:to] {
			h += x
		}
		return h <= limit
	}
	// Greedy: the fewest sheets.
	var greedy [][][]Cell
	for from := 0; from < len(rows); {
		to := from + 1
		for to < len(rows) && fits(from, to+1) {
			to++
		}
		greedy = append(greedy, rows[from:to])
		from = to
	}
	// The same number of sheets, rows shared evenly (the first sheets take the extra row).
	k := len(greedy)
	var even [][][]Cell
	from := 0
	for i := 0; i < k; i++ {
		n := len(rows) / k
		if i < len(rows)%k {
			n++
		}
		if !fits(from, from+n) {
			return greedy
		}
		even = append(even, rows[from:from+n])
		from += n
	}
	return even
}

// IssuanceList is the list of delegates receiving a ballot (danh sách đại biểu nhận phiếu), printed
// before the vote: each delegate signs for the ballot received, and the board enters the count of
// signatures, which must equal the number of ballots issued.
func IssuanceList(d Data, names []string) Document {
	v := d.Vote
	doc := Document{Name: "Danh sách đại biểu nhận phiếu - " + v.Title, Date: d.docDate(), Demo: d.Demo}
	add := func(b ...Block) { doc.Blocks = append(doc.Blocks, b...) }
	add(NationalHeader{Body: append(append([]string{}, d.Settings.IssuingBody...), "BAN KIỂM PHIẾU"), Plain: len(d.Settings.IssuingBody),
		PlaceDate: d.Settings.PlaceName + ", " + DateLong(v.VoteDate)})
	add(Title{Kind: "DANH SÁCH ĐẠI BIỂU NHẬN PHIẾU", Size: 14,
		Summary: []string{upperFirst(d.procedure()) + " đối với người giữ chức vụ do " + d.councilPhrase() + " bầu"}})
	add(Paragraph{Runs: []Run{{Text: fmt.Sprintf("%s, %s %s", v.SessionName, d.councilPhrase(), d.termPhrase()), Italic: true}}, Align: Center, SpaceAfter: 3})
	table := Table{Columns: []Column{{"STT", 15, Center}, {"Họ và tên đại biểu", 85, Left}, {"Chữ ký", 65, Center}}, FontSize: 13, RowMin: 12}
	for i, n := range names {
		table.Rows = append(table.Rows, []Cell{{Text: fmt.Sprint(i + 1)}, {Text: n}, {}})
	}
	add(table)
	add(Paragraph{Runs: []Run{{Text: "Tổng số: ............ đại biểu nhận phiếu (bằng chữ: ...................................................)."}},
		SpaceBefore: 2, KeepWithNext: true})
	head := ""
	for _, m := range v.Board {
		if m.BoardRole == vote.BoardHead {
			head = m.FullName
		}
	}
	add(Signature{Authority: []string{"TRƯỞNG BAN KIỂM PHIẾU"}, Name: head})
	return doc
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return Upper(string(r[:1])) + string(r[1:])
}

package vote

import (
	"strconv"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/validate"
)

// Casting modes (issue 16): delegates cast on kiosks or tablets, on paper, or either.
const (
	CastElectronic = "electronic"
	CastPaper      = "paper"
	CastHybrid     = "hybrid"
)

// FewOfAKind is the number of delegates below which one kind of ballot (paper or code slip) in a
// hybrid vote narrows the secret too much: the board is warned and told to use one kind for everyone.
const FewOfAKind = 5

// Batch statuses and outcomes of the double entry.
const (
	BatchEntering = "entering" // fewer than two entries
	BatchDiffers  = "differs"  // two (or three) entries that do not agree
	BatchSettled  = "settled"  // agreed, or settled: its totals are in the count and its rows are gone

	OutcomeMatched    = "matched"     // the two entries agreed
	OutcomeThirdEntry = "third_entry" // a third member's entry agreed with one of the two
	OutcomeHead       = "head"        // the head of the board settled it
)

// Paper is the paper part of a vote, as every staff reader may see it: the board's figures of the
// whole count, its batches (who entered them and how they were settled, never their rows or totals)
// and the reconciliation. The counts of the paper ballots are the board's alone (PaperTotals).
type Paper struct {
	PaperIssued *int            `json:"paper_issued"` // delegates handed a paper ballot: a total, recorded when issuing ends
	SlipsIssued *int            `json:"slips_issued"` // delegates handed a code slip
	Received    *int            `json:"received"`     // paper ballots taken from the box
	Returned    *int            `json:"returned"`     // paper ballots handed back unused
	Spoiled     *int            `json:"spoiled"`      // spoiled by a delegate and replaced (destroyed by the board)
	Invalid     []InvalidBallot `json:"invalid"`      // whole ballots the board found invalid
	MissingNote string          `json:"missing_note"`
	Missing     int             `json:"missing"` // issued − returned − received, when all three are known
	Valid       int             `json:"valid"`   // received − invalid
	Entered     int             `json:"entered"` // valid ballots in settled batches
	Batches     []PaperBatch    `json:"batches"`
	// Reconciled is true when every figure agrees (Problems is then empty): only then is there a count.
	Reconciled bool      `json:"reconciled"`
	Problems   []Problem `json:"problems"`
	// Sealed is true once the board's encrypted paper totals are in an encrypted vote's sums: the
	// paper part can no longer change, and its plain totals are forgotten.
	Sealed bool `json:"sealed"`
	// Warning is set when one kind of ballot of a hybrid vote went to so few delegates that it
	// narrows their secret (KindWarning).
	Warning *Problem `json:"warning,omitempty"`
}

// InvalidBallot is a whole paper ballot the board found invalid: not the board's printed form, or
// without the seal. It counts as received and gives nothing to anyone.
type InvalidBallot struct {
	Reason string `json:"reason" validate:"required,max=200,nocontrol"`
}

// PaperBatch is a batch of the double entry: its number and size, who entered it (in the order of
// their entries), and how it ended.
type PaperBatch struct {
	Number      int      `json:"number"`
	Size        int      `json:"size"`
	Status      string   `json:"status"`
	EnteredBy   []string `json:"entered_by"` // full names of the entrants
	Outcome     string   `json:"outcome,omitempty"`
	Differences int      `json:"differences"` // ballots on which the first two entries differed
	SettledBy   string   `json:"settled_by,omitempty"`
}

// Problem is one figure of the reconciliation that does not agree, by message code and parameters;
// Field names the figure.
type Problem struct {
	Field   string         `json:"field"`
	Code    string         `json:"code"`
	Params  map[string]any `json:"params"`
	Message string         `json:"message"` // in the reader's language (the API fills it)
}

func problem(field, code string, kv ...any) Problem {
	p := Problem{Field: field, Code: code, Params: map[string]any{}}
	for i := 0; i+1 < len(kv); i += 2 {
		p.Params[kv[i].(string)] = kv[i+1]
	}
	return p
}

// Reconcile checks the paper part of a vote of casting mode mode, with issued ballots issued (either
// kind, from the list of delegates receiving one) and cast cast electronically (issue 16 §5). It
// fills Missing, Valid, Problems (what does not agree) and Reconciled (nothing).
func (p *Paper) Reconcile(mode string, issued, cast int) {
	var out []Problem
	if mode == CastPaper { // every delegate received paper: nothing to record
		p.PaperIssued, p.SlipsIssued = &issued, new(int)
	}
	switch {
	case p.PaperIssued == nil || p.SlipsIssued == nil:
		out = append(out, problem("paper_issued", "paper_issuance_missing"))
	case *p.PaperIssued+*p.SlipsIssued != issued:
		out = append(out, problem("paper_issued", "paper_kinds_sum", "paper", *p.PaperIssued, "slips", *p.SlipsIssued, "issued", issued))
	case cast > *p.SlipsIssued:
		out = append(out, problem("slips_issued", "paper_cast_over_slips", "cast", cast, "slips", *p.SlipsIssued))
	}
	if p.Received == nil || p.Returned == nil {
		p.Problems, p.Reconciled = append(out, problem("received", "paper_figures_missing")), false
		return
	}
	received := *p.Received
	p.Valid = received - len(p.Invalid)
	if cast+received > issued {
		out = append(out, problem("received", "paper_received_over_issued", "cast", cast, "received", received, "issued", issued))
	}
	if p.Valid < 0 {
		out = append(out, problem("invalid", "paper_invalid_over_received", "invalid", len(p.Invalid), "received", received))
	}
	if p.PaperIssued != nil {
		p.Missing = *p.PaperIssued - *p.Returned - received
		switch {
		case p.Missing < 0:
			out = append(out, problem("received", "paper_received_over_handed", "received", received, "returned", *p.Returned, "paper", *p.PaperIssued))
		case p.Missing > 0 && p.MissingNote == "":
			out = append(out, problem("missing_note", "paper_missing_unexplained", "missing", p.Missing))
		}
	}
	open := 0
	for _, b := range p.Batches {
		if b.Status != BatchSettled {
			open++
		}
	}
	if open > 0 {
		out = append(out, problem("batches", "paper_batches_open", "count", open))
	} else if p.Valid >= 0 && p.Entered != p.Valid {
		out = append(out, problem("batches", "paper_entered_mismatch", "entered", p.Entered, "valid", p.Valid))
	}
	if out == nil {
		out = []Problem{}
	}
	p.Problems, p.Reconciled = out, len(out) == 0
}

// KindWarning warns when one kind of ballot of a hybrid vote went to fewer than FewOfAKind delegates
// (but to some): so few paper ballots, or so few codes, narrow the secret of those who used them.
func KindWarning(paperIssued, slipsIssued int) *Problem {
	for _, k := range []struct {
		kind string
		n    int
	}{{"paper", paperIssued}, {"slips", slipsIssued}} {
		if k.n > 0 && k.n < FewOfAKind {
			w := problem(k.kind+"_issued", "paper_kind_few_"+k.kind, "count", k.n, "min", FewOfAKind)
			return &w
		}
	}
	return nil
}

// IssuanceTotalsInput is the board's count of each kind of ballot handed out, when issuing ends.
type IssuanceTotalsInput struct {
	PaperIssued *int `json:"paper_issued" validate:"required,min=0,max=100000"`
	SlipsIssued *int `json:"slips_issued" validate:"required,min=0,max=100000"`
}

// Normalize validates the input.
func (in *IssuanceTotalsInput) Normalize() error { return check(in) }

// PaperFiguresInput is the board's figures of the paper ballots after the close.
type PaperFiguresInput struct {
	Received    *int            `json:"received" validate:"required,min=0,max=100000"`
	Returned    *int            `json:"returned" validate:"required,min=0,max=100000"`
	Spoiled     *int            `json:"spoiled" validate:"omitempty,min=0,max=100000"`
	Invalid     []InvalidBallot `json:"invalid" validate:"max=100000,dive"`
	MissingNote string          `json:"missing_note" validate:"max=2000,nocontrol"`
}

// Normalize cleans and validates the input.
func (in *PaperFiguresInput) Normalize() error {
	in.MissingNote = validate.Clean(in.MissingNote)
	for i := range in.Invalid {
		in.Invalid[i].Reason = validate.Clean(in.Invalid[i].Reason)
	}
	if in.Invalid == nil {
		in.Invalid = []InvalidBallot{}
	}
	return check(in)
}

// BatchEntryInput is one member's entry of a batch of paper ballots, in the order of the pile: each
// ballot one mark per subject in ballot order — the level's letter (h, m, l; t, n for a no-confidence
// vote), 0 for a row left empty, x for a row with several marks (both invalid for that person only).
type BatchEntryInput struct {
	Ballots []string `json:"ballots" validate:"required,min=1,max=500,dive,required,max=1024"`
}

// Normalize validates the input's shape; the marks are checked against the vote (CheckMarks).
func (in *BatchEntryInput) Normalize() error { return check(in) }

// CheckMarks checks each ballot of an entry against the vote: one mark per subject, each a level of
// the vote's kind, 0 or x.
func (in BatchEntryInput) CheckMarks(levels string, subjects int) error {
	var fields []apperr.FieldError
	for i, b := range in.Ballots {
		name := "ballots[" + strconv.Itoa(i) + "]"
		if len(b) != subjects {
			fields = append(fields, apperr.Field(name, "paper_marks_length", "expected", subjects, "got", len(b)))
			continue
		}
		for j := 0; j < len(b); j++ {
			if b[j] != '0' && b[j] != 'x' && !containsByte(levels, b[j]) {
				fields = append(fields, apperr.Field(name, "paper_mark_invalid", "row", j+1, "allowed", levels+"0x"))
				break
			}
		}
		if len(fields) >= 20 {
			break
		}
	}
	if len(fields) > 0 {
		return apperr.InvalidFields(fields...)
	}
	return nil
}

func containsByte(s string, c byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return true
		}
	}
	return false
}

// PaperEntryResult answers an entry or a settlement: the batch as it stands. While a batch waits for
// its second entry nobody sees the first; when two entries differ, the board sees them side by side.
type PaperEntryResult struct {
	Batch PaperBatch `json:"batch"`
	// Entries are the batch's entries in full (by entrant's name), only while the batch differs.
	Entries []BatchEntry `json:"entries"`
	// Rows lists the positions (1-based) of the ballots on which the entries differ.
	Rows []int `json:"rows"`
}

// BatchEntry is one member's entry of a batch, shown to the board while the batch differs.
type BatchEntry struct {
	EnteredBy string   `json:"entered_by"`
	Ballots   []string `json:"ballots"`
}

// PaperTotals is the board's view of its paper count: per subject in ballot order, the count of each
// level of the vote's kind (in the order of Kind.Levels()) out of Entered valid ballots. It is shown
// to the board only (the split of a hybrid vote never leaves it) and is forgotten once an encrypted
// vote's totals are sealed into the sums.
type PaperTotals struct {
	Entered  int      `json:"entered"`
	Subjects []string `json:"subjects"` // official ids in ballot order
	Counts   [][]int  `json:"counts"`
}

package vote

// Step is one step of a vote's course, as the guide on each vote shows it: who takes it, whether it
// is done, and whether it is the next one.
type Step struct {
	Step     string `json:"step"`
	Who      Who    `json:"who"`
	Done     bool   `json:"done"`
	Current  bool   `json:"current"`
	Progress *Count `json:"progress,omitempty"`
}

// Count is a step's progress: Done of Of.
type Count struct {
	Done int `json:"done"`
	Of   int `json:"of"`
}

// order of the statuses in a vote's life, for "done by now".
func (s Status) reached(t Status) bool {
	rank := map[Status]int{Draft: 0, Open: 1, Closed: 2, Certified: 3, Published: 4}
	a, ok1 := rank[s]
	b, ok2 := rank[t]
	return ok1 && ok2 && a >= b
}

// Steps is the guide through a vote: list approved → board set → codes printed → opened → ballots
// issued → closed → certified by the board → announced → published (→ a follow-up where one is due).
func Steps(v Vote) []Step {
	certified := 0
	for _, m := range v.Board {
		if m.Certified {
			certified++
		}
	}
	t := v.Turnout
	steps := []Step{
		{Step: "list", Who: Secretariat, Done: true},
		{Step: "board", Who: Secretariat, Done: len(v.Board) >= MinBoard, Progress: &Count{len(v.Board), MinBoard}},
		{Step: "codes", Who: Board, Done: v.Status.reached(Open) || (t.TotalDelegates > 0 && t.CodesGenerated >= t.TotalDelegates),
			Progress: &Count{t.CodesGenerated, t.TotalDelegates}},
		{Step: "open", Who: Head, Done: v.Status.reached(Open)},
		{Step: "issue", Who: Board, Done: v.Status.reached(Closed), Progress: &Count{t.BallotsIssued, t.TotalDelegates}},
		{Step: "close", Who: Head, Done: v.Status.reached(Closed)},
		{Step: "certify", Who: Board, Done: v.Status.reached(Certified), Progress: &Count{certified, len(v.Board)}},
		{Step: "announce", Who: Head, Done: v.AnnouncedAt != nil || v.Status.reached(Published)},
		{Step: "publish", Who: Secretariat, Done: v.Status.reached(Published)},
	}
	if v.Status == Cancelled {
		return steps
	}
	for i := range steps {
		if !steps[i].Done {
			steps[i].Current = true
			break
		}
	}
	return steps
}

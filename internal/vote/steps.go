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

// Steps is the guide through a vote: list approved → board set → (encrypted: the board's key
// ceremony) → codes printed (not for a paper vote) → opened → ballots issued → closed → (paper: the
// paper count reconciled; encrypted with paper: its totals sealed) → (encrypted: decrypted) → the
// signed list counted → certified by the board → announced → published.
func Steps(v Vote) []Step {
	certified := 0
	for _, m := range v.Board {
		if m.Certified {
			certified++
		}
	}
	t := v.Turnout
	encrypted, e := v.BallotMode == ModeEncrypted, v.Encryption
	steps := []Step{
		{Step: "list", Who: Secretariat, Done: true},
		{Step: "board", Who: Secretariat, Done: len(v.Board) >= MinBoard, Progress: &Count{len(v.Board), MinBoard}},
	}
	if encrypted {
		steps = append(steps, Step{Step: "ceremony", Who: Board, Done: v.Status.reached(Open) || (e != nil && e.CeremonyReady)})
	}
	if v.CastingMode != CastPaper {
		steps = append(steps, Step{Step: "codes", Who: Board, Done: v.Status.reached(Open) || (t.TotalDelegates > 0 && t.CodesGenerated >= t.TotalDelegates),
			Progress: &Count{t.CodesGenerated, t.TotalDelegates}})
	}
	steps = append(steps,
		Step{Step: "open", Who: Head, Done: v.Status.reached(Open)},
		Step{Step: "issue", Who: Board, Done: v.Status.reached(Closed), Progress: &Count{t.BallotsIssued, t.TotalDelegates}},
		Step{Step: "close", Who: Head, Done: v.Status.reached(Closed)})
	if p := v.Paper; p != nil {
		steps = append(steps, Step{Step: "paper", Who: Board, Done: v.Status.reached(Certified) || (v.Status.reached(Closed) && p.Reconciled),
			Progress: &Count{p.Entered, max(p.Valid, p.Entered)}})
		if encrypted {
			steps = append(steps, Step{Step: "paper_totals", Who: Board, Done: v.Status.reached(Certified) || p.Sealed})
		}
	}
	if encrypted {
		partials, threshold := 0, 0
		if e != nil {
			partials, threshold = len(e.Partials), e.Threshold
		}
		steps = append(steps, Step{Step: "decrypt", Who: Board, Done: v.Status.reached(Certified) || (e != nil && e.Decrypted),
			Progress: &Count{min(partials, threshold), threshold}})
	}
	steps = append(steps,
		Step{Step: "signed_issuance", Who: Board, Done: v.Status.reached(Certified) || (v.Status.reached(Closed) && v.SignedIssuance != nil && *v.SignedIssuance == t.BallotsIssued)},
		Step{Step: "certify", Who: Board, Done: v.Status.reached(Certified), Progress: &Count{certified, len(v.Board)}},
		Step{Step: "announce", Who: Head, Done: v.AnnouncedAt != nil || v.Status.reached(Published)},
		Step{Step: "publish", Who: Secretariat, Done: v.Status.reached(Published)})
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

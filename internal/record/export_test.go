package record

// CompareTally exposes compareTally to the tests: "" when equal, else the first difference.
func CompareTally(recorded, rebuilt *Tally) string {
	if d := compareTally(recorded, rebuilt); d != nil {
		return d.Field + ": " + d.Recorded + " vs " + d.Computed
	}
	return ""
}

package roster

import (
	"sort"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// SortNames sorts items in the order Vietnamese lists of people use: by given name (the last word),
// then by the whole name, in Vietnamese collation (a ă â b c d đ e ê ..., tones after the base
// letter); ties keep a stable order by tiebreak.
func SortNames[T any](items []T, name func(T) string, tiebreak func(T) string) {
	col := collate.New(language.Vietnamese)
	type keyed struct {
		given, full, tie string
		item             T
	}
	ks := make([]keyed, len(items))
	for i, it := range items {
		n := name(it)
		f := strings.Fields(n)
		given := n
		if len(f) > 0 {
			given = f[len(f)-1]
		}
		ks[i] = keyed{given, n, tiebreak(it), it}
	}
	sort.SliceStable(ks, func(i, j int) bool {
		if c := col.CompareString(ks[i].given, ks[j].given); c != 0 {
			return c < 0
		}
		if c := col.CompareString(ks[i].full, ks[j].full); c != 0 {
			return c < 0
		}
		return ks[i].tie < ks[j].tie
	})
	for i := range ks {
		items[i] = ks[i].item
	}
}

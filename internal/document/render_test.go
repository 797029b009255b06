package document

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"tinnhiem/internal/vote"
)

var artifacts = flag.String("artifacts", "", "write rendered documents to this folder")

func save(t *testing.T, name string, b []byte) {
	t.Helper()
	if *artifacts == "" {
		return
	}
	if err := os.MkdirAll(*artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(*artifacts, name), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestRenderSamples(t *testing.T) {
	d := sampleData(vote.Published)
	for name, doc := range map[string]Document{"minutes.pdf": Minutes(d), "resolution.pdf": Resolution(d), "ballot.pdf": Ballot(d, 0)} {
		b, err := PDF(doc)
		if err != nil {
			t.Fatal(err)
		}
		save(t, name, b)
	}
}

package i18n

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestLanguageNegotiation(t *testing.T) {
	cases := map[string]Lang{"": VI, "vi": VI, "en": EN, "en-US,en;q=0.9": EN, "vi-VN, en;q=0.5": VI,
		"fr": VI, "fr, en;q=0.5": EN, "garbage;;;": VI, "en;q=0.2, vi;q=0.9": VI}
	for h, want := range cases {
		if got := FromAcceptLanguage(h); got != want {
			t.Errorf("Accept-Language %q: got %s, want %s", h, got, want)
		}
	}
}

func TestMessagesHaveBothLanguagesAndParams(t *testing.T) {
	for code, pair := range catalogue {
		if pair[0] == "" || pair[1] == "" {
			t.Errorf("%s: missing a language", code)
		}
		if strings.Count(pair[0], "{") != strings.Count(pair[1], "{") {
			t.Errorf("%s: the two languages take different parameters", code)
		}
	}
	got := Message(VI, "too_long", map[string]any{"max": 120})
	if got != "Quá dài (tối đa 120 ký tự)." {
		t.Fatalf("got %q", got)
	}
	if Message(EN, "no-such-code", nil) != catalogue["invalid_value"][1] {
		t.Fatal("unknown codes must fall back to a generic message")
	}
}

// TestEveryCodeInTheSourceIsInTheCatalogue scans the Go source for message codes given to apperr.
func TestEveryCodeInTheSourceIsInTheCatalogue(t *testing.T) {
	re := regexp.MustCompile(`apperr\.New\(apperr\.\w+, "([a-z0-9_]+)"|apperr\.Field\([^,()]+(?:\([^()]*\))?, "([a-z0-9_]+)"|Code: +"([a-z0-9_]+)"|\.Code = "([a-z0-9_]+)"`)
	found := 0
	err := filepath.Walk("../..", func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || !strings.HasSuffix(path, ".go") || strings.Contains(path, "node_modules") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			code := m[1] + m[2] + m[3] + m[4]
			if strings.HasSuffix(path, "_test.go") || strings.HasSuffix(code, "_") {
				continue
			}
			found++
			if !Has(code) {
				t.Errorf("%s uses message code %q, which the catalogue lacks", path, code)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 30 {
		t.Fatalf("the scan found only %d codes: is the pattern still right?", found)
	}
}

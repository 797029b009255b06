package record_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestVerifierImportsNothingOfTheServer holds the design's first constraint: cmd/tinnhiem-verify
// imports only internal/record, internal/record only the standard library and internal/protocol,
// and everything they pull in is the standard library, internal/protocol's group library and
// golang.org/x — no store, web, tally, rules, roster, GORM, Fiber or pgx.
func TestVerifierImportsNothingOfTheServer(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	list := func(args ...string) []string {
		t.Helper()
		out, err := exec.Command("go", append([]string{"list"}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("go list %v: %v\n%s", args, err, out)
		}
		return strings.Fields(string(out))
	}
	direct := map[string][]string{
		"tinnhiem/cmd/tinnhiem-verify": {"os", "tinnhiem/internal/record"},
	}
	for pkg, allowed := range direct {
		for _, imp := range list("-f", `{{join .Imports " "}}`, pkg) {
			if !contains(allowed, imp) {
				t.Errorf("%s imports %s", pkg, imp)
			}
		}
	}
	for _, imp := range list("-f", `{{join .Imports " "}}`, "tinnhiem/internal/record") {
		if strings.Contains(imp, ".") && imp != "tinnhiem/internal/protocol" || strings.HasPrefix(imp, "tinnhiem/") && imp != "tinnhiem/internal/protocol" {
			t.Errorf("internal/record imports %s", imp)
		}
	}
	deps := list("-deps", "-f", `{{if not .Standard}}{{.ImportPath}}{{end}}`, "tinnhiem/cmd/tinnhiem-verify")
	allowedPrefixes := []string{"tinnhiem/cmd/tinnhiem-verify", "tinnhiem/internal/record", "tinnhiem/internal/protocol",
		"github.com/gtank/ristretto255", "filippo.io/edwards25519", "golang.org/x/crypto/", "golang.org/x/sys/"}
	for _, d := range deps {
		ok := false
		for _, p := range allowedPrefixes {
			ok = ok || d == p || strings.HasPrefix(d, p+"/") || strings.HasSuffix(p, "/") && strings.HasPrefix(d, p)
		}
		if d == "tinnhiem/internal/record/fill" || d == "tinnhiem/internal/record/recordtest" {
			ok = false
		}
		for _, banned := range []string{"store", "web", "tally", "rules", "roster", "gorm", "fiber", "pgx", "sqlite"} {
			if strings.Contains(d, banned) {
				ok = false
			}
		}
		if !ok {
			t.Errorf("cmd/tinnhiem-verify depends on %s", d)
		}
	}
	if len(deps) < 3 {
		t.Fatalf("go list found only %v", deps)
	}
	t.Logf("cmd/tinnhiem-verify's non-standard dependencies: %s", strings.Join(deps, " "))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

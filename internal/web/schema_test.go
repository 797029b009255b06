package web

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"tinnhiem/internal/audit"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/civil"
	"tinnhiem/internal/document"
	"tinnhiem/internal/roster"
	"tinnhiem/internal/rules"
	"tinnhiem/internal/tally"
	"tinnhiem/internal/vote"
)

var updateSchemas = flag.Bool("update", false, "rewrite the generated response schemas in openapi.yaml")

// responseSchemas are the answers of the API, named as openapi.yaml names them. Their schemas are
// generated from the Go types (required unless omitempty, no property the type lacks), written into
// openapi.yaml between markers, and every answer of the tests is validated against them
// (helpers_test.go): the frontend's types are generated from the same file.
var responseSchemas = []struct {
	name string
	v    any
}{
	{"Error", Envelope{}}, {"Health", healthResponse{}}, {"LoginResponse", auth.LoginResult{}}, {"Logout", logoutResponse{}},
	{"User", auth.User{}}, {"Council", roster.Council{}}, {"Delegate", roster.Delegate{}}, {"Official", roster.Official{}},
	{"PostCategory", roster.CategoryInfo{}}, {"ImportResponse", importResponse{}}, {"AuditEvent", audit.Event{}},
	{"AuditVerify", audit.Result{}}, {"RuleSet", rules.RuleSet{}}, {"RoleTable", roleTableResponse{}}, {"Vote", voteResponse{}},
	{"Turnout", vote.Turnout{}}, {"Tally", tally.Result{}}, {"Receipt", vote.Receipt{}}, {"Ballot", vote.Ballot{}},
	{"PublicVote", vote.PublicVote{}}, {"PublicResult", vote.PublicResult{}}, {"Codes", codesResponse{}},
	{"Issuances", issuancesResponse{}}, {"Device", vote.Device{}}, {"DeviceWithToken", deviceResponse{}},
	{"Security", securityResponse{}}, {"DisplayLink", vote.DisplayLink{}}, {"DisplayWithToken", displayResponse{}},
	{"Display", vote.Display{}}, {"DocumentSettings", document.Settings{}}, {"Results", resultsJSON{}},
	{"Ceremony", vote.Ceremony{}}, {"EncryptedBallot", vote.EncryptedBallot{}}, {"EncryptedReceipt", vote.EncryptedReceipt{}},
	{"PaperEntryResult", vote.PaperEntryResult{}}, {"PaperTotals", vote.PaperTotals{}},
	{"TrackingAnswer", vote.TrackingAnswer{}}, {"Build", buildResponse{}}, {"EncryptedBallots", vote.EncryptedBallots{}},
	{"CurrentVote", vote.CurrentVote{}},
}

// enums are the string types whose values are known: the schemas list them.
var enums = map[reflect.Type][]string{
	reflect.TypeOf(vote.Status("")):    {"draft", "open", "closed", "certified", "published", "cancelled"},
	reflect.TypeOf(vote.BoardRole("")): {"head", "secretary", "member"},
	reflect.TypeOf(vote.Who("")):       {"staff", "secretariat", "board", "board_head"},
	reflect.TypeOf(rules.Kind("")):     {"confidence", "no_confidence"},
	reflect.TypeOf(rules.Base("")):     {"total_delegates", "ballots_received"},
	reflect.TypeOf(rules.BandID("")):   {"none", "over_half_under_two_thirds", "two_thirds_or_more", "over_half"},
	reflect.TypeOf(rules.Level("")):    {"high", "medium", "low", "trust", "no_trust"},
	reflect.TypeOf(auth.Role("")):      {"admin", "secretariat", "board", "observer"},
	reflect.TypeOf(roster.Body("")):    {"quoc_hoi", "hdnd", "dang"},
	reflect.TypeOf(roster.Level("")):   {"trung_uong", "tinh", "huyen", "xa", "co_so"},
	reflect.TypeOf(rules.ExclusionReason("")): {"retirement_announced", "elected_in_vote_year", "serious_illness_6_months",
		"post_not_eligible"},
}

// schemaOf writes the JSON schema of t in YAML flow style.
func schemaOf(t reflect.Type, named map[reflect.Type]string, top bool) string {
	if name, ok := named[t]; ok && !top {
		return `{$ref: "#/components/schemas/` + name + `"}`
	}
	switch t {
	case reflect.TypeOf(time.Time{}):
		return "{type: string, format: date-time}"
	case reflect.TypeOf(civil.Date{}):
		return "{type: string, format: date}"
	case reflect.TypeOf(json.RawMessage{}):
		return "{description: a protocol message or value as docs/PROTOCOL.md encodes it}"
	}
	if vals, ok := enums[t]; ok {
		return "{type: string, enum: [" + strings.Join(vals, ", ") + "]}"
	}
	switch t.Kind() {
	case reflect.Pointer:
		s := schemaOf(t.Elem(), named, false)
		if strings.HasPrefix(s, "{$ref") { // a $ref cannot carry nullable in OpenAPI 3.0
			return "{allOf: [" + s + "], nullable: true}"
		}
		return strings.TrimSuffix(s, "}") + ", nullable: true}"
	case reflect.String:
		return "{type: string}"
	case reflect.Bool:
		return "{type: boolean}"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "{type: integer}"
	case reflect.Slice:
		return "{type: array, items: " + schemaOf(t.Elem(), named, false) + "}"
	case reflect.Map:
		return "{type: object, additionalProperties: " + schemaOf(t.Elem(), named, false) + "}"
	case reflect.Interface:
		return "{}"
	case reflect.Struct:
		props, required := fieldsOf(t, named)
		out := "{type: object, additionalProperties: false"
		if len(required) > 0 {
			out += ", required: [" + strings.Join(required, ", ") + "]"
		}
		var ps []string
		for _, p := range props {
			ps = append(ps, p[0]+": "+p[1])
		}
		return out + ", properties: {" + strings.Join(ps, ", ") + "}}"
	}
	panic(fmt.Sprintf("schema: no rule for %s", t))
}

// fieldsOf lists a struct's JSON properties (embedded structs flattened, outer names winning) and the
// required ones (those without omitempty).
func fieldsOf(t reflect.Type, named map[reflect.Type]string) ([][2]string, []string) {
	seen := map[string]bool{}
	var props [][2]string
	var required []string
	var walk func(t reflect.Type, depth int)
	type field struct {
		name      string
		f         reflect.StructField
		omitempty bool
		depth     int
	}
	var fields []field
	walk = func(t reflect.Type, depth int) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			name, opts, _ := strings.Cut(tag, ",")
			if f.Anonymous && name == "" {
				walk(f.Type, depth+1)
				continue
			}
			if !f.IsExported() || name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			fields = append(fields, field{name, f, strings.Contains(opts, "omitempty"), depth})
		}
	}
	walk(t, 0)
	sort.SliceStable(fields, func(i, j int) bool { return fields[i].depth < fields[j].depth })
	for _, f := range fields {
		if seen[f.name] {
			continue // shadowed by a shallower field, as encoding/json does
		}
		seen[f.name] = true
		props = append(props, [2]string{f.name, schemaOf(f.f.Type, named, false)})
		if !f.omitempty {
			required = append(required, f.name)
		}
	}
	return props, required
}

// generatedSchemas renders the response schemas as they stand in openapi.yaml.
func generatedSchemas() string {
	named := map[reflect.Type]string{}
	for _, s := range responseSchemas {
		named[reflect.TypeOf(s.v)] = s.name
	}
	var b strings.Builder
	for _, s := range responseSchemas {
		b.WriteString("    " + s.name + ": " + schemaOf(reflect.TypeOf(s.v), named, true) + "\n")
	}
	return b.String()
}

// TestResponseSchemasAreGeneratedFromTheTypes keeps openapi.yaml's response schemas in step with the
// Go types (go test ./internal/web -run TestResponseSchemas -update rewrites them).
func TestResponseSchemasAreGeneratedFromTheTypes(t *testing.T) {
	const path = "openapi.yaml"
	const begin, end = "    # generated response schemas: begin (go test ./internal/web -run TestResponseSchemas -update)\n",
		"    # generated response schemas: end\n"
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(doc)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatalf("%s has no generated-schema markers", path)
	}
	want := s[:i+len(begin)] + generatedSchemas() + s[j:]
	if *updateSchemas {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if want != s {
		t.Fatal("openapi.yaml's response schemas differ from the Go types: go test ./internal/web -run TestResponseSchemas -update")
	}
}

package record_test

import (
	"bufio"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"tinnhiem/internal/record"
)

// TestSpecFieldsMatchTypes reads the field tables of docs/RECORD.md (each after a
// "<!-- fields: Type -->" line) and checks them against the Go types both ways: the same members, in
// the same order, and a table for every object type of the record.
func TestSpecFieldsMatchTypes(t *testing.T) {
	types := map[string]reflect.Type{}
	var walk func(reflect.Type)
	walk = func(rt reflect.Type) {
		for rt.Kind() == reflect.Pointer || rt.Kind() == reflect.Slice || rt.Kind() == reflect.Map {
			rt = rt.Elem()
		}
		if rt.Kind() != reflect.Struct || rt.PkgPath() != reflect.TypeOf(record.Record{}).PkgPath() || types[rt.Name()] != nil {
			return
		}
		types[rt.Name()] = rt
		for i := 0; i < rt.NumField(); i++ {
			walk(rt.Field(i).Type)
		}
	}
	walk(reflect.TypeOf(record.Record{}))
	walk(reflect.TypeOf(record.Tally{}))

	f, err := os.Open("../../docs/RECORD.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tables := map[string][]string{}
	marker := regexp.MustCompile(`^<!-- fields: (\w+) -->$`)
	row := regexp.MustCompile("^\\| `([a-z0-9_]+)` \\|")
	var current string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if m := marker.FindStringSubmatch(line); m != nil {
			current = m[1]
			if _, dup := tables[current]; dup {
				t.Fatalf("two tables for %s", current)
			}
			tables[current] = []string{}
			continue
		}
		if current == "" {
			continue
		}
		if m := row.FindStringSubmatch(line); m != nil {
			tables[current] = append(tables[current], m[1])
		} else if !strings.HasPrefix(line, "|") && len(tables[current]) > 0 {
			current = ""
		}
	}
	if len(types) < 19 || len(tables) != len(types) {
		t.Fatalf("%d types, %d tables", len(types), len(tables))
	}
	for name, rt := range types {
		doc, ok := tables[name]
		if !ok {
			t.Errorf("docs/RECORD.md has no field table for %s", name)
			continue
		}
		var fields []string
		for i := 0; i < rt.NumField(); i++ {
			n, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
			fields = append(fields, n)
		}
		if fmt.Sprint(doc) != fmt.Sprint(fields) {
			t.Errorf("%s: docs/RECORD.md lists %v, the Go type has %v", name, doc, fields)
		}
	}
	for name := range tables {
		if types[name] == nil {
			t.Errorf("docs/RECORD.md has a table for %s, which is not a type of the record", name)
		}
	}
}

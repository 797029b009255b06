package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"tinnhiem/internal/record"
	"tinnhiem/internal/record/recordtest"
)

// writeSmall writes the small golden record and its documents into a temporary directory.
func writeSmall(t *testing.T) (dir, rec string, docs []string) {
	t.Helper()
	v, err := recordtest.Generate(recordtest.Small)
	if err != nil {
		t.Fatal(err)
	}
	data, err := record.Encode(v.Record)
	if err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	rec = filepath.Join(dir, "record.json")
	if err := os.WriteFile(rec, data, 0o644); err != nil {
		t.Fatal(err)
	}
	for name, b := range v.Documents {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		docs = append(docs, name+"="+p)
	}
	return dir, rec, docs
}

func TestCommandVerifiesTheRecord(t *testing.T) {
	dir, rec, docs := writeSmall(t)
	var out, errb bytes.Buffer
	args := []string{}
	for _, d := range docs {
		args = append(args, "-doc", d)
	}
	if code := record.Command("tinnhiem-verify", append(args, rec), &out, &errb); code != record.ExitOK {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errb.String())
	}
	if !strings.Contains(out.String(), "KẾT QUẢ: HỢP LỆ") || strings.Contains(out.String(), "CHƯA") {
		t.Fatalf("report:\n%s", out.String())
	}

	// English, a document given by its file name only, the others not checked.
	out.Reset()
	code := record.Command("tinnhiem-verify", []string{"-en", "-doc", filepath.Join(dir, "nghi-quyet.pdf"), rec}, &out, &errb)
	if code != record.ExitOK || !strings.Contains(out.String(), "RESULT: VALID") || !strings.Contains(out.String(), "not checked (not given") {
		t.Fatalf("exit %d:\n%s", code, out.String())
	}

	// A swapped document: exit 1 and the place.
	if err := os.WriteFile(filepath.Join(dir, "nghi-quyet.pdf"), []byte("another resolution"), 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	code = record.Command("tinnhiem-verify", []string{"-doc", filepath.Join(dir, "nghi-quyet.pdf"), rec}, &out, &errb)
	if code != record.ExitInvalid || !strings.Contains(out.String(), "tài liệu nghi-quyet.pdf") {
		t.Fatalf("exit %d:\n%s", code, out.String())
	}

	// Bad arguments: exit 2 and the usage.
	errb.Reset()
	if code := record.Command("tinnhiem-verify", nil, &out, &errb); code != record.ExitUsage || !strings.Contains(errb.String(), "usage") {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if code := record.Command("tinnhiem-verify", []string{filepath.Join(dir, "missing.json")}, &out, &errb); code != record.ExitUsage {
		t.Fatalf("a missing file: exit %d", code)
	}
}

// TestBinary builds the command and runs it as an observer would.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	_, rec, _ := writeSmall(t)
	bin := filepath.Join(t.TempDir(), "tinnhiem-verify")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "-json", rec).Output()
	if err != nil || !bytes.Contains(out, []byte(`"failure": null`)) {
		t.Fatalf("%v\n%s", err, out)
	}
	data, _ := os.ReadFile(rec)
	bad := filepath.Join(filepath.Dir(rec), "bad.json")
	os.WriteFile(bad, bytes.Replace(data, []byte(`"version":1,"mode"`), []byte(`"version":2,"mode"`), 1), 0o644)
	cmd := exec.Command(bin, bad)
	out, err = cmd.Output()
	if cmd.ProcessState.ExitCode() != record.ExitInvalid || !strings.Contains(string(out), "phiên bản 2") {
		t.Fatalf("exit %d, %v\n%s", cmd.ProcessState.ExitCode(), err, out)
	}
}

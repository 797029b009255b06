package record_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"tinnhiem/internal/record"
	"tinnhiem/internal/record/recordtest"
	"tinnhiem/internal/rules"
)

var update = flag.Bool("update", false, "rewrite the golden records in frontend/src/record/testdata")

// goldenDir is where the small golden records live: the browser verifier's tests read them.
const goldenDir = "../../frontend/src/record/testdata"

var tmpDir string

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "tinnhiem-record-")
	if err != nil {
		panic(err)
	}
	tmpDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// cached generates a vote once per test run.
type cached struct {
	once sync.Once
	opts recordtest.Options
	vote *recordtest.Vote
	data []byte
	err  error
	took time.Duration
}

func (c *cached) get(tb testing.TB) (*recordtest.Vote, []byte) {
	tb.Helper()
	c.once.Do(func() {
		start := time.Now()
		c.vote, c.err = recordtest.Generate(c.opts)
		if c.err == nil {
			c.data, c.err = record.Encode(c.vote.Record)
		}
		c.took = time.Since(start)
		if c.err == nil && c.opts.Seed == recordtest.NA.Seed {
			c.err = os.WriteFile(filepath.Join(tmpDir, "record-na.json"), c.data, 0o644)
		}
	})
	if c.err != nil {
		tb.Fatal(c.err)
	}
	return c.vote, c.data
}

var (
	small = &cached{opts: recordtest.Small}
	paper = &cached{opts: func() recordtest.Options {
		o := recordtest.Small
		o.Seed, o.PaperValid, o.PaperInvalid, o.Absent = "paper", 7, 2, 1
		return o
	}()}
	plain = &cached{opts: func() recordtest.Options {
		o := recordtest.Small
		o.Seed, o.Plain, o.Kind, o.RuleSet, o.Base = "plain", true, rules.Confidence, "QD96_2023", rules.BaseBallotsReceived
		return o
	}()}
	plainPaper = &cached{opts: func() recordtest.Options {
		o := recordtest.Small
		o.Seed, o.Plain, o.PaperValid, o.PaperInvalid, o.Kind, o.RuleSet, o.Base = "plain-paper", true, 4, 1, rules.Confidence, "QD96_2023", rules.BaseBallotsReceived
		return o
	}()}
	noConfidence = &cached{opts: func() recordtest.Options {
		o := recordtest.Small
		o.Seed, o.Kind, o.Members, o.Threshold, o.Partials, o.Subjects, o.Ballots = "no-confidence", rules.NoConfidence, 5, 3, 4, 2, 9
		return o
	}()}
	na = &cached{opts: recordtest.NA}
)

// verify decodes and verifies record bytes with the vote's documents.
func verify(tb testing.TB, data []byte, docs map[string][]byte, lang string) *record.Report {
	tb.Helper()
	return record.DecodeAndVerify(data, docs, record.Options{Lang: lang})
}

func mustOK(t *testing.T, rep *record.Report) {
	t.Helper()
	if !rep.OK() {
		t.Fatalf("the record does not verify:\n%s", rep)
	}
	for _, c := range rep.Checks {
		if c.Status != record.Passed {
			t.Fatalf("check %s: %s\n%s", c.ID, c.Status, rep)
		}
	}
}

func TestGoldenSmallVerifies(t *testing.T) {
	v, data := small.get(t)
	rep := verify(t, data, v.Documents, "vi")
	mustOK(t, rep)
	want := []string{"format", "vote", "ceremony", "credentials", "ballots", "figures", "sums", "decryption", "tally", "certifications", "documents"}
	var got []string
	for _, c := range rep.Checks {
		got = append(got, c.ID)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("checks %v, want %v", got, want)
	}
	if c := rep.Checks[4]; c.Items != 12 {
		t.Fatalf("ballots checked %d, want 12", c.Items)
	}
	if !strings.Contains(rep.String(), "KẾT QUẢ: HỢP LỆ") {
		t.Fatalf("the Vietnamese report does not say valid:\n%s", rep)
	}
	if en := verify(t, data, v.Documents, "en"); !strings.Contains(en.String(), "RESULT: VALID") {
		t.Fatalf("the English report does not say valid:\n%s", en)
	}
}

// TestGoldenRecordsFile keeps the small golden records the browser verifier's tests read
// (frontend/src/record/testdata): the generator is deterministic, so the files must not change
// unless the format does (-update rewrites them).
func TestGoldenRecordsFile(t *testing.T) {
	for _, g := range []struct {
		name string
		c    *cached
	}{{"small", small}, {"paper", paper}, {"plain", plain}} {
		v, data := g.c.get(t)
		docs := map[string]string{}
		for n, b := range v.Documents {
			docs[n] = string(b)
		}
		dj, _ := json.MarshalIndent(docs, "", "  ")
		files := map[string][]byte{"record-" + g.name + ".json": data, "documents-" + g.name + ".json": append(dj, '\n')}
		for name, want := range files {
			path := filepath.Join(goldenDir, name)
			if *update {
				if err := os.MkdirAll(goldenDir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, want, 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/record -run TestGoldenRecordsFile -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("%s differs from the generated record (run with -update if the format changed)", path)
			}
		}
	}
}

func TestPaperRecordVerifies(t *testing.T) {
	v, data := paper.get(t)
	rep := verify(t, data, v.Documents, "vi")
	mustOK(t, rep)
	if !strings.Contains(rep.String(), "phiếu giấy") {
		t.Fatalf("the report does not mention the paper part:\n%s", rep)
	}
}

func TestPlainRecordVerifies(t *testing.T) {
	v, data := plain.get(t)
	rep := verify(t, data, v.Documents, "en")
	mustOK(t, rep)
	if !strings.Contains(rep.String(), "nothing in it is cryptographically attested") {
		t.Fatalf("the report does not say a plain record is the server's word:\n%s", rep)
	}
}

// TestPlainPaperRecordWithholdsBallots: a plain vote with a paper part lists no ballot (the split
// between the kinds stays with the board); it verifies, with the counts as the board's word, and a
// record that withholds the ballots of a vote without paper is refused.
func TestPlainPaperRecordWithholdsBallots(t *testing.T) {
	v, data := plainPaper.get(t)
	if !v.Record.Plain.BallotsWithheld || len(v.Record.Plain.Ballots) != 0 {
		t.Fatalf("plain part: %+v", v.Record.Plain)
	}
	rep := verify(t, data, v.Documents, "vi")
	mustOK(t, rep)
	if !strings.Contains(rep.String(), "không liệt kê từng phiếu") {
		t.Fatalf("the report does not say the ballots are withheld:\n%s", rep)
	}
	rep = tampered(t, plain, func(_ *recordtest.Vote, r *record.Record) {
		r.Plain.Ballots, r.Plain.BallotsWithheld = []string{}, true
	})
	wantFailure(t, rep, "figures", "plain.ballots_withheld", "invalid", "chỉ cuộc bỏ phiếu có phiếu giấy")
}

func TestNoConfidenceRecordVerifies(t *testing.T) {
	v, data := noConfidence.get(t)
	mustOK(t, verify(t, data, v.Documents, "vi"))
}

func TestDocumentNotGivenIsNotChecked(t *testing.T) {
	v, data := small.get(t)
	docs := map[string][]byte{"nghi-quyet.pdf": v.Documents["nghi-quyet.pdf"]}
	rep := verify(t, data, docs, "vi")
	mustOK(t, rep)
	notChecked := 0
	for _, d := range rep.Documents {
		if d.Status == record.NotChecked {
			notChecked++
		}
	}
	if notChecked != 2 || !strings.Contains(rep.String(), "chưa kiểm") {
		t.Fatalf("%d documents not checked, want 2:\n%s", notChecked, rep)
	}
}

func TestGoldenNAVerifies(t *testing.T) {
	if testing.Short() {
		t.Skip("the NA-sized record takes seconds to generate")
	}
	v, data := na.get(t)
	t.Logf("NA record: %d bytes, generated in %s, cached at %s", len(data), na.took, filepath.Join(tmpDir, "record-na.json"))
	rep := verify(t, data, v.Documents, "vi")
	mustOK(t, rep)
	t.Logf("verified in %s\n%s", rep.Elapsed, rep)
	// TN_RECORD_NA=PATH keeps a copy, and its documents beside it, for the browser verifier's timing
	// (frontend/src/record) and for running the command by hand.
	if p := os.Getenv("TN_RECORD_NA"); p != "" {
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		for name, b := range v.Documents {
			if err := os.WriteFile(filepath.Join(filepath.Dir(p), name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

package web_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"tinnhiem/internal/audit"
	"tinnhiem/internal/store"
	"tinnhiem/internal/tally"
	"tinnhiem/internal/testdb"
)

func pdfToText(t *testing.T, b []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is missing")
		}
		t.Skip("pdftotext is missing")
	}
	p := filepath.Join(t.TempDir(), "d.pdf")
	os.WriteFile(p, b, 0o644)
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", p, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// TestDocumentsThroughHTTP: slips, the ballot, draft minutes and resolution, then the published
// resolution frozen with its fingerprint in the footer and in the audit log.
func TestDocumentsThroughHTTP(t *testing.T) {
	testdb.Dialects(t, func(t *testing.T, st *store.Store) {
		e := newVoteEnv(t, st, 4)
		sec, head := e.tokens["secretariat"], e.board["head"]
		chair, ubnd := e.officials["chair"].ID, e.officials["ubnd"].ID
		a := "/api/v1/councils/" + e.councilA
		var settings map[string]any
		e.must(e.call("GET", a+"/document-settings", e.tokens["observer"], nil), 200, &settings)
		if settings["number_suffix"] != "NQ-HĐND" || settings["signer_name"] != "Nguyễn Văn Chủ" {
			t.Fatalf("default settings: %v", settings)
		}
		settings["place_name"] = "Mẫu Sơn"
		settings["recipients"] = []string{"Như Điều 4;", "Lưu: VT."}
		e.must(e.call("PUT", a+"/document-settings", sec, settings), 200, nil)
		if r := e.call("PUT", a+"/document-settings", head, settings); r.status != 403 {
			t.Fatalf("the board changed the settings: %d", r.status)
		}
		settings["copies"] = 0
		if r := e.call("PUT", a+"/document-settings", sec, settings); r.status != 422 {
			t.Fatalf("bad settings: %d", r.status)
		}
		v := e.draft(map[string]any{"kind": "confidence", "title": "Lấy phiếu tín nhiệm năm 2023", "session_name": "Kỳ họp thứ 15",
			"session_opens_on": "2023-12-06", "vote_date": "2023-12-08", "official_ids": []string{chair, ubnd}})
		base := "/api/v1/votes/" + v.ID
		r := e.call("POST", base+"/codes?format=pdf", head, map[string]any{"count": 4})
		if r.status != 201 || r.header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("slips: %d %s", r.status, r.header.Get("Content-Type"))
		}
		slipText := pdfToText(t, r.body)
		codes := regexp.MustCompile(`[0-9A-Z]{4}(?:-[0-9A-Z]{4}){5}-[0-9A-Z]{3}`).FindAllString(slipText, -1)
		if len(codes) != 4 {
			t.Fatalf("read %d codes off the slips:\n%s", len(codes), slipText)
		}
		r = e.call("GET", base+"/documents/ballot.pdf", e.tokens["observer"], nil)
		if text := pdfToText(t, r.body); !strings.Contains(text, "PHIẾU TÍN NHIỆM") || !strings.Contains(text, "Nguyễn Văn Chủ") {
			t.Fatalf("ballot: %s", text)
		}
		if r := e.call("GET", base+"/documents/ballot.pdf?group=3", sec, nil); r.status != 422 {
			t.Fatalf("a ballot group that does not exist: %d", r.status)
		}
		if r := e.call("GET", base+"/documents/minutes.pdf", sec, nil); r.status != 409 {
			t.Fatalf("minutes of an open vote: %d", r.status)
		}
		e.must(e.call("POST", base+"/open", head, nil), 200, nil)
		for i := 0; i < 4; i++ {
			e.must(e.call("POST", base+"/issuances", head, map[string]any{"delegate_id": e.delegates[i].ID}), 201, nil)
			lvl := []string{"low", "low", "low", "high"}[i]
			e.must(e.call("POST", "/api/v1/ballots", "", map[string]any{"code": codes[i], "choices": []map[string]any{choice(chair, lvl), choice(ubnd, "high")}}), 201, nil)
		}
		e.must(e.call("POST", base+"/close", head, nil), 200, nil)
		if r := e.call("POST", base+"/codes?format=pdf", head, map[string]any{"count": 1}); r.status != 409 {
			t.Fatalf("slips for a closed vote: %d", r.status)
		}
		r = e.call("GET", base+"/documents/minutes.pdf", sec, nil)
		minutes := pdfToText(t, r.body)
		for _, want := range []string{"BIÊN BẢN KIỂM PHIẾU", "DỰ THẢO", "BAN KIỂM PHIẾU", "75,00", "Mẫu Sơn, ngày 08 tháng 12 năm 2023", "bốn"} {
			if !strings.Contains(minutes, want) {
				t.Errorf("minutes lack %q", want)
			}
		}
		r = e.call("GET", base+"/documents/minutes.docx", sec, nil)
		if _, err := zip.NewReader(bytes.NewReader(r.body), int64(len(r.body))); err != nil || r.status != 200 {
			t.Fatalf("minutes.docx: %d %v", r.status, err)
		}
		if r := e.call("GET", base+"/documents/minutes.pdf", e.tokens["other"], nil); r.status != 404 {
			t.Fatalf("another council's minutes: %d", r.status)
		}
		var res tally.Result
		e.must(e.call("GET", base+"/tally", sec, nil), 200, &res)
		e.signList(base)
		for _, role := range []string{"head", "secretary", "member"} {
			e.must(e.call("POST", base+"/certifications", e.board[role], map[string]any{"tally_hash": res.TallyHash}), 200, nil)
		}
		draft := pdfToText(t, e.call("GET", base+"/documents/resolution.pdf", sec, nil).body)
		if !strings.Contains(draft, "DỰ THẢO") || !strings.Contains(draft, "/NQ-HĐND") {
			t.Fatalf("draft resolution: %s", draft)
		}
		if r := e.call("GET", "/api/v1/public/votes/"+v.ID+"/resolution.pdf", "", nil); r.status != 404 {
			t.Fatalf("the public resolution before publication: %d", r.status)
		}
		e.must(e.call("POST", base+"/announce", head, nil), 200, nil)
		e.must(e.call("POST", base+"/publish", sec, map[string]any{"resolution_number": "52/NQ-HĐND", "adopted_on": "2023-12-08"}), 200, nil)
		staffPDF := e.call("GET", base+"/documents/resolution.pdf", sec, nil).body
		publicPDF := e.call("GET", "/api/v1/public/votes/"+v.ID+"/resolution.pdf", "", nil).body
		if !bytes.Equal(staffPDF, publicPDF) {
			t.Fatal("the public and staff resolutions differ")
		}
		// Settings changed after publication do not change the published document.
		settings["copies"] = 2
		settings["signer_name"] = "Người Khác"
		e.must(e.call("PUT", a+"/document-settings", sec, settings), 200, nil)
		if !bytes.Equal(e.call("GET", base+"/documents/resolution.pdf", sec, nil).body, staffPDF) {
			t.Fatal("the published resolution changed after publication")
		}
		text := pdfToText(t, publicPDF)
		if strings.Contains(text, "DỰ THẢO") || !strings.Contains(text, "Số: 52/NQ-HĐND") || !strings.Contains(text, "75,00%") || !strings.Contains(text, "0 phiếu") {
			t.Fatalf("published resolution:\n%s", text)
		}
		var events []audit.Event
		e.must(e.call("GET", "/api/v1/audit?vote_id="+v.ID+"&limit=1000", sec, nil), 200, &events)
		var publish map[string]any
		for _, ev := range events {
			if ev.Action == "vote.publish" {
				json.Unmarshal([]byte(ev.Summary), &publish)
			}
		}
		fp, _ := publish["resolution_fingerprint"].(string)
		if len(fp) != 64 || !strings.Contains(strings.Join(strings.Fields(text), ""), fp) {
			t.Fatalf("the fingerprint %q is not in the footer", fp)
		}
		sum := sha256.Sum256(publicPDF)
		if files, _ := publish["files_sha256"].(map[string]any); files["resolution.pdf"] != hex.EncodeToString(sum[:]) {
			t.Fatalf("the audit log's file hash %v does not match the published file", files)
		}
		r = e.call("GET", base+"/results.csv", sec, nil)
		if !bytes.HasPrefix(r.body, []byte("\xef\xbb\xbf")) || !strings.Contains(string(r.body), "75,00") {
			t.Fatalf("results.csv: %s", r.body)
		}
		r = e.call("GET", base+"/results.xlsx", sec, nil)
		if _, err := zip.NewReader(bytes.NewReader(r.body), int64(len(r.body))); err != nil {
			t.Fatalf("results.xlsx: %v", err)
		}
		var rj struct {
			Tally tally.Result `json:"tally"`
		}
		e.must(e.call("GET", base+"/results.json", sec, nil), 200, &rj)
		if rj.Tally.TallyHash != res.TallyHash {
			t.Fatal("results.json tally")
		}
	})
}

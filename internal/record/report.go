package record

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"tinnhiem/internal/protocol"
)

// Languages of a report.
const (
	LangVI = "vi"
	LangEN = "en"
)

// Status is the outcome of one check.
type Status string

// Statuses of a check.
const (
	Passed     Status = "passed"
	Failed     Status = "failed"
	NotRun     Status = "not_run"     // after the first failure
	NotChecked Status = "not_checked" // nothing to check it against (a document not given)
)

// Check is one step of the verification: what was checked and how many items.
type Check struct {
	ID      string        `json:"id"`
	Title   string        `json:"title"`
	Items   int           `json:"items"`
	Detail  string        `json:"detail"`
	Status  Status        `json:"status"`
	Elapsed time.Duration `json:"elapsed_ns"`
}

// Failure is the first failure: the check, its place in the record (for people, and as a JSON path),
// a stable code and the message.
type Failure struct {
	Check   string `json:"check"`
	Place   string `json:"place"`
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// DocumentResult is the outcome of one published document's hash.
type DocumentResult struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
	Status Status `json:"status"`
}

// Report is the verifier's report.
type Report struct {
	Lang      string           `json:"lang"`
	VoteID    string           `json:"vote_id"`
	Title     string           `json:"title"`
	Council   string           `json:"council"`
	Mode      string           `json:"mode"`
	Checks    []Check          `json:"checks"`
	Documents []DocumentResult `json:"documents"`
	Notes     []string         `json:"notes"`
	Failure   *Failure         `json:"failure"`
	Elapsed   time.Duration    `json:"elapsed_ns"`
}

// OK reports whether every check passed.
func (r *Report) OK() bool {
	if r.Failure != nil {
		return false
	}
	for _, c := range r.Checks {
		if c.Status == Failed {
			return false
		}
	}
	return true
}

// text is a message in both languages (a format string each).
type text struct{ vi, en string }

func (l lang) t(m text, args ...any) string {
	f := m.vi
	if l == LangEN {
		f = m.en
	}
	if len(args) == 0 {
		return f
	}
	return fmt.Sprintf(f, args...)
}

type lang string

func langOf(s string) lang {
	if strings.EqualFold(s, LangEN) {
		return LangEN
	}
	return LangVI
}

// Titles of the checks, in the order they run.
var checkTitles = map[string]text{
	"format":         {"Định dạng và phiên bản của bản ghi", "Record format and version"},
	"vote":           {"Thông tin cuộc bỏ phiếu, danh sách và quy tắc", "Vote manifest, subjects and rules"},
	"ceremony":       {"Lễ tạo khóa của Ban kiểm phiếu", "The board's key ceremony"},
	"credentials":    {"Danh sách mã bỏ phiếu công khai", "Public credential lists"},
	"ballots":        {"Phiếu bầu đã mã hóa", "Encrypted ballots"},
	"figures":        {"Số liệu phiếu", "Ballot figures"},
	"paper":          {"Tổng số phiếu giấy (đã mã hóa, có chữ ký)", "Paper totals (encrypted, signed)"},
	"sums":           {"Tổng mã hóa của từng người", "Encrypted sums"},
	"decryption":     {"Giải mã từng phần và số phiếu", "Partial decryptions and counts"},
	"recount":        {"Kiểm lại phiếu không mã hóa", "Recount of the plain ballots"},
	"tally":          {"Tỷ lệ, mức và hệ quả (tính lại)", "Percentages, bands and consequences (recomputed)"},
	"certifications": {"Chứng nhận của Ban kiểm phiếu", "The board's certifications"},
	"documents":      {"Tài liệu đã công bố", "Published documents"},
}

// Places in the record, for people.
var (
	placeRecord        = text{"bản ghi", "the record"}
	placeVote          = text{"thông tin cuộc bỏ phiếu", "the vote manifest"}
	placeSubject       = text{"người thứ %d (%s)", "subject %d (%s)"}
	placeRules         = text{"dữ liệu quy tắc", "the rule data"}
	placeManifest      = text{"manifest của giao thức", "the protocol manifest"}
	placeCeremony      = text{"lễ tạo khóa", "the key ceremony"}
	placeRound1        = text{"thông điệp vòng 1 thứ %d", "round-1 message %d"}
	placeConfirmation  = text{"xác nhận vòng 3 thứ %d", "round-3 confirmation %d"}
	placeBoard         = text{"thành viên Ban kiểm phiếu thứ %d (%s)", "board member %d (%s)"}
	placeCredList      = text{"danh sách mã thứ %d", "credential list %d"}
	placeBallot        = text{"phiếu thứ %d (mã theo dõi %s)", "ballot %d (tracking code %s)"}
	placeSpoiled       = text{"phiếu hủy kiểm tra thứ %d", "spoiled ballot %d"}
	placeFigures       = text{"số liệu phiếu", "the ballot figures"}
	placePaper         = text{"tổng phiếu giấy thứ %d", "paper totals message %d"}
	placeSums          = text{"tổng mã hóa", "the encrypted sums"}
	placeSumRow        = text{"tổng mã hóa của người thứ %d (%s)", "the encrypted sum of subject %d (%s)"}
	placePartial       = text{"phần giải mã thứ %d (thành viên %s)", "partial decryption %d (member %s)"}
	placeCounts        = text{"số phiếu của người thứ %d (%s)", "the counts of subject %d (%s)"}
	placePlainBallot   = text{"phiếu thứ %d", "ballot %d"}
	placeTally         = text{"kết quả kiểm phiếu", "the tally"}
	placeCertification = text{"chứng nhận thứ %d (thành viên %s)", "certification %d (member %s)"}
	placeDocument      = text{"tài liệu %s", "document %s"}
)

// Vietnamese words for the protocol's error codes (docs/PROTOCOL.md §14).
var codeWords = map[string]text{
	protocol.CodeJSON:      {"sai cấu trúc", "malformed"},
	protocol.CodeVersion:   {"phiên bản không được hỗ trợ", "unsupported version"},
	protocol.CodeHex:       {"không phải chuỗi hex chữ thường", "not lowercase hexadecimal"},
	protocol.CodeLength:    {"sai độ dài hoặc số phần tử", "wrong length or number of items"},
	protocol.CodePoint:     {"không phải điểm hợp lệ", "not a canonical point"},
	protocol.CodeIdentity:  {"phần tử đơn vị không được phép", "the identity is not allowed"},
	protocol.CodeScalar:    {"không phải số vô hướng hợp lệ", "not a canonical scalar"},
	protocol.CodeKey:       {"khóa công khai không hợp lệ", "not a valid public key"},
	protocol.CodeRange:     {"giá trị ngoài phạm vi", "out of range"},
	protocol.CodeMismatch:  {"không khớp", "does not match"},
	protocol.CodeDuplicate: {"bị lặp", "repeated"},
	protocol.CodeSignature: {"chữ ký không hợp lệ", "the signature does not verify"},
	protocol.CodeProof:     {"chứng minh không hợp lệ", "the proof does not verify"},
	protocol.CodeDecrypt:   {"không giải mã được", "cannot be decrypted"},
	protocol.CodeLog:       {"không tìm được số phiếu", "no counts match"},
}

// protocolMessage words a protocol error: "rows[3].proof[1]: chứng minh không hợp lệ (the proof does
// not verify)" in Vietnamese, the error itself in English. It returns the code and the field.
func (l lang) protocolMessage(err error) (msg, code, field string) {
	var pe *protocol.Error
	if !errors.As(err, &pe) {
		return err.Error(), "invalid", ""
	}
	if l == LangEN {
		msg = pe.Msg
	} else {
		w, ok := codeWords[pe.Code]
		msg = pe.Msg
		if ok {
			msg = w.vi + " (" + pe.Msg + ")"
		}
	}
	if pe.Field != "" {
		msg = pe.Field + ": " + msg
	}
	return msg, pe.Code, pe.Field
}

// Statuses in words.
var statusWords = map[Status]text{
	Passed:     {"ĐẠT", "PASS"},
	Failed:     {"LỖI", "FAIL"},
	NotRun:     {"—", "—"},
	NotChecked: {"CHƯA", "N/A"},
}

var (
	txtHeading        = text{"KIỂM TRA BẢN GHI CÔNG KHAI CỦA CUỘC BỎ PHIẾU", "VERIFICATION OF A VOTE'S PUBLIC RECORD"}
	txtVoteLine       = text{"Cuộc bỏ phiếu: %s", "Vote: %s"}
	txtCouncilLine    = text{"Hội đồng: %s", "Council: %s"}
	txtModeLine       = text{"Bản ghi: %s phiên bản %d, %s", "Record: %s version %d, %s"}
	txtModeEnc        = text{"phiếu mã hóa", "encrypted ballots"}
	txtModePlain      = text{"phiếu không mã hóa", "plain ballots"}
	txtFirstFailure   = text{"Lỗi đầu tiên — %s, tại %s:", "First failure — %s, at %s:"}
	txtJSONPath       = text{"Vị trí trong tệp: %s", "Path in the file: %s"}
	txtResultOK       = text{"KẾT QUẢ: HỢP LỆ — mọi kiểm tra đều đạt (%d kiểm tra, %s).", "RESULT: VALID — every check passed (%d checks, %s)."}
	txtResultFail     = text{"KẾT QUẢ: KHÔNG HỢP LỆ — bản ghi có lỗi (%s).", "RESULT: INVALID — the record fails (%s)."}
	txtNotRunAfter    = text{"không kiểm (dừng ở lỗi đầu tiên)", "not run (stopped at the first failure)"}
	txtDocMatch       = text{"khớp SHA-256", "SHA-256 matches"}
	txtDocMismatch    = text{"KHÔNG khớp SHA-256", "SHA-256 does NOT match"}
	txtDocNotGiven    = text{"chưa kiểm (không được cung cấp; dùng -doc %s=TỆP)", "not checked (not given; use -doc %s=FILE)"}
	txtNotes          = text{"Ghi chú:", "Notes:"}
	txtDocsNotChecked = text{"%d tài liệu chưa kiểm.", "%d documents not checked."}
	txtPlainResult    = text{"Phiếu không mã hóa: chỉ số học được kiểm, không có chứng thực mật mã.", "Plain ballots: only the arithmetic is checked, nothing is cryptographically attested."}
)

// String writes the report as text, in its language.
func (r *Report) String() string {
	l := langOf(r.Lang)
	var b strings.Builder
	b.WriteString(l.t(txtHeading) + "\n")
	if r.Title != "" || r.VoteID != "" {
		b.WriteString("  " + l.t(txtVoteLine, strings.TrimSpace(r.Title+" ("+r.VoteID+")")) + "\n")
	}
	if r.Council != "" {
		b.WriteString("  " + l.t(txtCouncilLine, r.Council) + "\n")
	}
	if r.Mode != "" {
		mode := l.t(txtModeEnc)
		if r.Mode == ModePlain {
			mode = l.t(txtModePlain)
		}
		b.WriteString("  " + l.t(txtModeLine, Format, Version, mode) + "\n")
	}
	b.WriteString("\n")
	width := 0
	for _, c := range r.Checks {
		width = max(width, len([]rune(c.Title)))
	}
	for _, c := range r.Checks {
		st := l.t(statusWords[c.Status])
		line := fmt.Sprintf("  [%-4s] %s%s", st, c.Title, strings.Repeat(" ", width-len([]rune(c.Title))))
		switch {
		case c.Status == NotRun:
			line += "  " + l.t(txtNotRunAfter)
		default:
			if c.Detail != "" {
				line += "  " + c.Detail
			}
			if c.Status == Passed || c.Status == Failed {
				line += fmt.Sprintf("  (%s)", seconds(l, c.Elapsed))
			}
		}
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	if len(r.Documents) > 0 {
		b.WriteString("\n")
		for _, d := range r.Documents {
			var st string
			switch d.Status {
			case Passed:
				st = l.t(txtDocMatch)
			case Failed:
				st = l.t(txtDocMismatch)
			default:
				st = l.t(txtDocNotGiven, d.Name)
			}
			b.WriteString(fmt.Sprintf("  [%-4s] %s  %s…  %s\n", l.t(statusWords[d.Status]), d.Name, d.SHA256[:min(16, len(d.SHA256))], st))
		}
	}
	if len(r.Notes) > 0 {
		b.WriteString("\n" + l.t(txtNotes) + "\n")
		for _, n := range r.Notes {
			b.WriteString("  - " + n + "\n")
		}
	}
	b.WriteString("\n")
	if r.Failure != nil {
		title := r.Failure.Check
		if t, ok := checkTitles[r.Failure.Check]; ok {
			title = l.t(t)
		}
		b.WriteString(l.t(txtFirstFailure, title, r.Failure.Place) + "\n")
		b.WriteString("  " + r.Failure.Message + "\n")
		if r.Failure.Field != "" {
			b.WriteString("  " + l.t(txtJSONPath, r.Failure.Field) + "\n")
		}
		b.WriteString("\n" + l.t(txtResultFail, seconds(l, r.Elapsed)) + "\n")
		return b.String()
	}
	n := 0
	for _, c := range r.Checks {
		if c.Status == Passed {
			n++
		}
	}
	b.WriteString(l.t(txtResultOK, n, seconds(l, r.Elapsed)))
	notChecked := 0
	for _, d := range r.Documents {
		if d.Status == NotChecked {
			notChecked++
		}
	}
	if notChecked > 0 {
		b.WriteString(" " + l.t(txtDocsNotChecked, notChecked))
	}
	if r.Mode == ModePlain {
		b.WriteString(" " + l.t(txtPlainResult))
	}
	b.WriteString("\n")
	return b.String()
}

// seconds writes a duration in seconds with two decimals ("1,25 s" in Vietnamese).
func seconds(l lang, d time.Duration) string {
	ms := d.Milliseconds()
	s := fmt.Sprintf("%d.%02d s", ms/1000, ms%1000/10)
	if l == LangVI {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

package record

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"tinnhiem/internal/protocol"
)

// Options are the verifier's options.
type Options struct {
	// Lang is the report's language: "vi" (the default) or "en".
	Lang string
	// Progress, when set, is told how far each check is (stage is a check id; done of total items).
	// It is called from one goroutine at a time, not always the caller's.
	Progress func(stage string, done, total int)
	// Clock times the checks; time.Now when nil.
	Clock func() time.Time
}

// The refusals of another format or version, by name (docs/RECORD.md §2).
var (
	txtNotRecord  = text{"không phải tệp bản ghi %s (format %q)", "not a %s file (format %q)"}
	txtBadVersion = text{"phiên bản %d của định dạng %s không được hỗ trợ (trình kiểm tra này đọc phiên bản %d)",
		"version %d of the %s format is not supported (this verifier reads version %d)"}
)

// letters are the marks of a plain ballot (internal/ballot): one letter per level, '0' for a blank
// row, 'x' for a paper row with several marks.
var letters = map[string]byte{"high": 'h', "medium": 'm', "low": 'l', "trust": 't', "no_trust": 'n'}

// DecodeAndVerify decodes a record's bytes and verifies it; a record that does not decode gives a
// report whose first check (the format) failed, naming why.
func DecodeAndVerify(data []byte, docs map[string][]byte, opts Options) *Report {
	v := newVerifier(&Record{}, docs, opts)
	start := v.now()
	rec, err := Decode(data)
	if err == nil {
		// The decoding is part of the first check's time and of the total.
		decoded := v.now().Sub(start)
		rep := Verify(rec, docs, opts)
		rep.Elapsed += decoded
		if len(rep.Checks) > 0 {
			rep.Checks[0].Elapsed += decoded
		}
		return rep
	}
	v.run("format", func(c *Check) *Failure {
		var ve *VersionError
		if errors.As(err, &ve) {
			if ve.Format != Format {
				return v.failure(placeRecord, "format", "version", v.l.t(txtNotRecord, Format, ve.Format))
			}
			return v.failure(placeRecord, "version", "version", v.l.t(txtBadVersion, ve.Version, Format, Version))
		}
		var fe *FormatError
		if errors.As(err, &fe) {
			return v.failure(placeRecord, fe.Field, "json", v.l.t(text{"tệp không đúng cấu trúc bản ghi: %s", "the file is not a well-formed record: %s"}, fe.Error()))
		}
		return v.failure(placeRecord, "", "json", err.Error())
	})
	v.rep.Elapsed = v.now().Sub(start)
	return v.rep
}

// Verify checks a record from its contents alone (docs/RECORD.md §5, in that order) and the
// published documents given by name; it stops at the first failure and says where it is.
func Verify(rec *Record, docs map[string][]byte, opts Options) *Report {
	v := newVerifier(rec, docs, opts)
	start := v.now()
	v.rep.VoteID, v.rep.Title, v.rep.Mode = rec.Vote.VoteID, rec.Vote.Title, rec.Mode
	v.rep.Council = strings.TrimSpace(strings.Join(nonEmpty(rec.Vote.CouncilName, rec.Vote.Session, rec.Vote.VoteDate), ", "))
	v.run("format", v.checkFormat)
	v.run("vote", v.checkVote)
	if rec.Mode == ModePlain {
		v.run("figures", v.checkFigures)
		v.run("recount", v.checkRecount)
		v.run("tally", v.checkTally)
		v.run("certifications", v.checkPlainCertifications)
	} else {
		v.run("ceremony", v.checkCeremony)
		v.run("credentials", v.checkCredentials)
		v.run("ballots", v.checkBallots)
		v.run("figures", v.checkFigures)
		if rec.Encrypted != nil && (len(rec.Encrypted.PaperTotals) > 0 || rec.Figures.Paper != nil) {
			v.run("paper", v.checkPaper)
		}
		v.run("sums", v.checkSums)
		v.run("decryption", v.checkDecryption)
		v.run("tally", v.checkTally)
		v.run("certifications", v.checkCertifications)
	}
	v.run("documents", v.checkDocuments)
	v.notes()
	v.rep.Elapsed = v.now().Sub(start)
	return v.rep
}

// verifier holds the record, what has been decoded of it so far, and the report.
type verifier struct {
	rec  *Record
	docs map[string][]byte
	opts Options
	l    lang
	rep  *Report

	manifest     *protocol.Manifest
	res          *protocol.CeremonyResult
	creds        map[[32]byte]bool
	ballots      []*protocol.Ballot
	hashes       [][64]byte
	paper        []*protocol.PaperTotals
	paperBallots int64
	sums         []protocol.Ciphertext
	valid        int64
	invalid      int64
	tallyHash    string
}

func newVerifier(rec *Record, docs map[string][]byte, opts Options) *verifier {
	l := langOf(opts.Lang)
	return &verifier{rec: rec, docs: docs, opts: opts, l: l, rep: &Report{Lang: string(l), Checks: []Check{}, Documents: []DocumentResult{}, Notes: []string{}}}
}

func (v *verifier) now() time.Time {
	if v.opts.Clock != nil {
		return v.opts.Clock()
	}
	return time.Now()
}

func (v *verifier) progress(stage string, done, total int) {
	if v.opts.Progress != nil {
		v.opts.Progress(stage, done, total)
	}
}

// run runs one check unless an earlier one failed.
func (v *verifier) run(id string, f func(c *Check) *Failure) {
	c := Check{ID: id, Title: v.l.t(checkTitles[id])}
	if v.rep.Failure != nil {
		c.Status = NotRun
		v.rep.Checks = append(v.rep.Checks, c)
		return
	}
	start := v.now()
	v.progress(id, 0, 1)
	fl := f(&c)
	c.Elapsed = v.now().Sub(start)
	if c.Status == "" {
		c.Status = Passed
	}
	if fl != nil {
		c.Status = Failed
		fl.Check = id
		v.rep.Failure = fl
	}
	v.rep.Checks = append(v.rep.Checks, c)
}

func (v *verifier) failure(place text, field, code, msg string, placeArgs ...any) *Failure {
	return &Failure{Place: v.l.t(place, placeArgs...), Field: field, Code: code, Message: msg}
}

// protocolFailure words a protocol error at a place; the error's field is appended to base.
func (v *verifier) protocolFailure(place string, base string, err error) *Failure {
	msg, code, field := v.l.protocolMessage(err)
	path := base
	if field != "" {
		if strings.HasPrefix(field, "[") {
			path += field
		} else {
			path = join(base, field)
		}
	}
	return &Failure{Place: place, Field: path, Code: code, Message: msg}
}

func (v *verifier) subjectName(i int) string {
	if i >= 0 && i < len(v.rec.Vote.Subjects) {
		return v.rec.Vote.Subjects[i].FullName
	}
	return "?"
}

// ---- format ----

var hexDigits = "0123456789abcdef"

func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(hexDigits, s[i]) < 0 {
			return false
		}
	}
	return true
}

// parseAnchor reads "HASH:COUNT": 64 lowercase hex digits and a count of at least 1.
func parseAnchor(s string) ([32]byte, uint64, bool) {
	var h [32]byte
	hs, cs, ok := strings.Cut(s, ":")
	if !ok || !isHex(hs, 64) {
		return h, 0, false
	}
	n, err := strconv.ParseUint(cs, 10, 53) // below 2^53: every implementation's integers
	if err != nil || n < 1 || strconv.FormatUint(n, 10) != cs {
		return h, 0, false
	}
	hex.Decode(h[:], []byte(hs))
	return h, n, true
}

func (v *verifier) checkFormat(c *Check) *Failure {
	r := v.rec
	c.Items = 1
	c.Detail = fmt.Sprintf("%s v%d, %s", r.Format, r.Version, r.Mode)
	if r.Format != Format {
		return v.failure(placeRecord, "format", "version", v.l.t(txtNotRecord, Format, r.Format))
	}
	if r.Version != Version {
		return v.failure(placeRecord, "version", "version", v.l.t(txtBadVersion, r.Version, Format, Version))
	}
	switch {
	case r.Mode == ModeEncrypted && r.Encrypted != nil && r.Plain == nil:
	case r.Mode == ModePlain && r.Plain != nil && r.Encrypted == nil:
	default:
		return v.failure(placeRecord, "mode", "mode", v.l.t(text{"chế độ %q không hợp lệ: \"encrypted\" đi với phần encrypted, \"plain\" với phần plain",
			"mode %q is invalid: \"encrypted\" goes with an encrypted part, \"plain\" with a plain part"}, r.Mode))
	}
	if !isHex(r.TallyHash, 64) {
		return v.failure(placeRecord, "tally_hash", "hex", v.l.t(text{"mã băm kết quả phải là 64 chữ số hex chữ thường", "the tally hash must be 64 lowercase hex digits"}))
	}
	if _, _, ok := parseAnchor(r.AuditAnchor); !ok {
		return v.failure(placeRecord, "audit_anchor", "anchor", v.l.t(text{"mã neo nhật ký phải có dạng HASH:SỐ (64 chữ số hex, số ≥ 1), không phải %q",
			"the audit anchor must be HASH:COUNT (64 hex digits, a count ≥ 1 below 2^53), not %q"}, r.AuditAnchor))
	}
	if r.FrontendHash != "" && !isHex(r.FrontendHash, 64) {
		return v.failure(placeRecord, "frontend_hash", "hex", v.l.t(text{"mã băm bản dựng giao diện phải là 64 chữ số hex chữ thường hoặc rỗng",
			"the frontend build hash must be 64 lowercase hex digits or empty"}))
	}
	return nil
}

// ---- vote manifest, subjects, rules ----

func (v *verifier) checkVote(c *Check) *Failure {
	r := v.rec
	vt := &r.Vote
	c.Items = len(vt.Subjects)
	c.Detail = v.l.t(text{"%d người, %d mức, cơ sở %s", "%d subjects, %d levels, base %s"}, len(vt.Subjects), len(r.Rules.Levels), vt.Base)
	for _, f := range []struct{ name, val string }{{"vote_id", vt.VoteID}, {"kind", vt.Kind}, {"rule_set_id", vt.RuleSetID}} {
		if f.val == "" || len(f.val) > 128 || !utf8.ValidString(f.val) {
			return v.failure(placeVote, "vote."+f.name, "invalid", v.l.t(text{"%s phải có 1 đến 128 byte UTF-8", "%s must be 1 to 128 bytes of UTF-8"}, f.name))
		}
	}
	if vt.Base != BaseTotalDelegates && vt.Base != BaseBallotsReceived {
		return v.failure(placeVote, "vote.base", "invalid", v.l.t(text{"cơ sở tính tỷ lệ %q không hợp lệ (total_delegates hoặc ballots_received)",
			"the percentage base %q is invalid (total_delegates or ballots_received)"}, vt.Base))
	}
	if len(vt.Subjects) < 1 || len(vt.Subjects) > protocol.MaxRows {
		return v.failure(placeVote, "vote.subjects", "length", v.l.t(text{"danh sách có %d người (1 đến %d)", "%d subjects (1 to %d)"}, len(vt.Subjects), protocol.MaxRows))
	}
	seen := map[string]int{}
	for i, s := range vt.Subjects {
		field := fmt.Sprintf("vote.subjects[%d]", i)
		if s.OfficialID == "" || len(s.OfficialID) > 128 || !utf8.ValidString(s.OfficialID) {
			return v.failure(placeSubject, field+".official_id", "invalid", v.l.t(text{"mã người phải có 1 đến 128 byte UTF-8", "the official id must be 1 to 128 bytes of UTF-8"}), i+1, s.FullName)
		}
		if j, dup := seen[s.OfficialID]; dup {
			return v.failure(placeSubject, field+".official_id", "duplicate", v.l.t(text{"trùng mã với người thứ %d", "the same id as subject %d"}, j+1), i+1, s.FullName)
		}
		seen[s.OfficialID] = i
		if _, err := CanonicalJSON(s.Positions); err != nil {
			return v.failure(placeSubject, field+".positions", "json", v.l.t(text{"chức vụ không viết được ở dạng JSON chuẩn (docs/RECORD.md §4.4)", "the positions cannot be written in canonical JSON (docs/RECORD.md §4.4)"}), i+1, s.FullName)
		}
	}
	if f := v.checkRules(); f != nil {
		return f
	}
	if len(r.Counts) != len(vt.Subjects) {
		return v.failure(placeVote, "counts", "length", v.l.t(text{"có %d dòng số phiếu cho %d người", "%d rows of counts for %d subjects"}, len(r.Counts), len(vt.Subjects)))
	}
	for i, row := range r.Counts {
		if len(row) != len(r.Rules.Levels) {
			return v.failure(placeCounts, fmt.Sprintf("counts[%d]", i), "length", v.l.t(text{"%d số cho %d mức", "%d counts for %d levels"}, len(row), len(r.Rules.Levels)), i+1, v.subjectName(i))
		}
		for j, x := range row {
			if x < 0 || x > protocol.MaxRadix {
				return v.failure(placeCounts, fmt.Sprintf("counts[%d][%d]", i, j), "range", v.l.t(text{"số phiếu %d ngoài phạm vi", "count %d out of range"}, x), i+1, v.subjectName(i))
			}
		}
	}
	if r.Mode == ModePlain {
		for j, l := range r.Rules.Levels {
			if _, ok := letters[l]; !ok {
				return v.failure(placeRules, fmt.Sprintf("rules.levels[%d]", j), "invalid", v.l.t(text{"mức %q không có ký hiệu trên phiếu không mã hóa", "level %q has no mark on a plain ballot"}, l))
			}
		}
		return nil
	}
	return v.checkManifest()
}

// isName accepts the ids of levels and bands: 1 to 64 of a–z, 0–9 and _ (so that every
// implementation sorts them alike).
func isName(s string) bool {
	if len(s) < 1 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

func validFraction(num, den int64) bool { return num >= 0 && den >= 1 && num <= den && den <= 1000 }

func (v *verifier) checkRules() *Failure {
	ru := &v.rec.Rules
	bad := func(field string, m text, args ...any) *Failure {
		return v.failure(placeRules, "rules."+field, "invalid", v.l.t(m, args...))
	}
	if len(ru.Levels) < 1 || len(ru.Levels) > protocol.MaxLevels {
		return bad("levels", text{"có %d mức (1 đến %d)", "%d levels (1 to %d)"}, len(ru.Levels), protocol.MaxLevels)
	}
	for i, l := range ru.Levels {
		if !isName(l) || slices.Index(ru.Levels, l) != i {
			return bad(fmt.Sprintf("levels[%d]", i), text{"tên mức phải gồm 1 đến 64 ký tự a–z, 0–9, _ và không lặp", "a level is 1 to 64 of a–z, 0–9, _ and does not repeat"})
		}
	}
	if !slices.Contains(ru.Levels, ru.Decisive) {
		return bad("decisive", text{"mức quyết định %q không phải một mức của phiếu", "the decisive level %q is not a level of the ballot"}, ru.Decisive)
	}
	ids := []string{}
	for i, b := range ru.Bands {
		if !isName(b.Band) || slices.Contains(ids, b.Band) {
			return bad(fmt.Sprintf("bands[%d].band", i), text{"tên mức hệ quả phải gồm 1 đến 64 ký tự a–z, 0–9, _ và không lặp", "a band is 1 to 64 of a–z, 0–9, _ and does not repeat"})
		}
		if !validFraction(b.Num, b.Den) {
			return bad(fmt.Sprintf("bands[%d]", i), text{"ngưỡng %d/%d không hợp lệ (0 ≤ tử ≤ mẫu ≤ 1000)", "the threshold %d/%d is invalid (0 ≤ num ≤ den ≤ 1000)"}, b.Num, b.Den)
		}
		ids = append(ids, b.Band)
	}
	if !isName(ru.DefaultBand) || slices.Contains(ids, ru.DefaultBand) {
		return bad("default_band", text{"mức mặc định rỗng hoặc trùng một mức có ngưỡng", "the default band is empty or has a threshold"})
	}
	ids = append(ids, ru.DefaultBand)
	if len(ru.Consequences) != len(ids) {
		return bad("consequences", text{"có %d hệ quả cho %d mức", "%d consequences for %d bands"}, len(ru.Consequences), len(ids))
	}
	for i, cq := range ru.Consequences {
		if !slices.Contains(ids, cq.Band) || slices.IndexFunc(ru.Consequences, func(x Consequence) bool { return x.Band == cq.Band }) != i {
			return bad(fmt.Sprintf("consequences[%d].band", i), text{"hệ quả của mức %q không có mức tương ứng hoặc bị lặp", "the consequence of band %q has no band or is repeated"}, cq.Band)
		}
	}
	if ru.NoConfidenceDueBand != "" && !slices.Contains(ids, ru.NoConfidenceDueBand) {
		return bad("no_confidence_due_band", text{"mức %q không có", "no band %q"}, ru.NoConfidenceDueBand)
	}
	if ru.Quorum != nil && !validFraction(ru.Quorum.Num, ru.Quorum.Den) {
		return bad("quorum", text{"tỷ lệ túc số %d/%d không hợp lệ", "the quorum %d/%d is invalid"}, ru.Quorum.Num, ru.Quorum.Den)
	}
	return nil
}

func (v *verifier) checkManifest() *Failure {
	e := v.rec.Encrypted
	vt := &v.rec.Vote
	m, err := protocol.ParseManifest(e.Manifest)
	if err != nil {
		return v.protocolFailure(v.l.t(placeManifest), "encrypted.manifest", err)
	}
	v.manifest = m
	bad := func(field string, msg text, args ...any) *Failure {
		return v.failure(placeManifest, "encrypted."+field, "mismatch", v.l.t(msg, args...))
	}
	if m.VoteID != vt.VoteID {
		return bad("manifest.vote_id", text{"manifest thuộc cuộc bỏ phiếu khác (%s)", "the manifest is of another vote (%s)"}, m.VoteID)
	}
	if m.Levels != len(v.rec.Rules.Levels) {
		return bad("manifest.levels", text{"manifest có %d mức, quy tắc có %d", "the manifest has %d levels, the rules %d"}, m.Levels, len(v.rec.Rules.Levels))
	}
	if m.Rows != len(vt.Subjects) {
		return bad("manifest.rows", text{"manifest có %d hàng, danh sách có %d người", "the manifest has %d rows, the list %d subjects"}, m.Rows, len(vt.Subjects))
	}
	ids := make([]string, len(vt.Subjects))
	for i, s := range vt.Subjects {
		ids[i] = s.OfficialID
	}
	if m.SubjectsHash != protocol.SubjectsHash(ids) {
		return bad("manifest.subjects_hash", text{"băm danh sách trong manifest không phải băm của danh sách người theo thứ tự trên phiếu",
			"the manifest's subjects hash is not the hash of the subjects in ballot order"})
	}
	h := m.Hash()
	if e.ManifestHash != hex.EncodeToString(h[:]) {
		return bad("manifest_hash", text{"manifest_hash không phải băm của manifest", "manifest_hash is not the hash of the manifest"})
	}
	if e.VoteFingerprint != m.Fingerprint() {
		return bad("vote_fingerprint", text{"dấu vân tay cuộc bỏ phiếu ghi %q, tính lại được %q", "the vote fingerprint says %q, recomputed %q"}, e.VoteFingerprint, m.Fingerprint())
	}
	return nil
}

// ---- ceremony ----

func (v *verifier) checkCeremony(c *Check) *Failure {
	e := v.rec.Encrypted
	ce := &e.Ceremony
	pc := &protocol.Ceremony{ID: ce.CeremonyID, CouncilID: ce.CouncilID, VoteID: ce.VoteID, Threshold: ce.Threshold, Members: ce.Members}
	c.Items = len(ce.Members)
	if err := pc.Validate(); err != nil {
		return v.protocolFailure(v.l.t(placeCeremony), "encrypted.ceremony", err)
	}
	if ce.CouncilID != v.rec.Vote.CouncilID {
		return v.failure(placeCeremony, "encrypted.ceremony.council_id", "mismatch", v.l.t(text{"lễ tạo khóa thuộc hội đồng khác", "the ceremony is of another council"}))
	}
	msgs := make([]*protocol.Round1, len(ce.Round1))
	for i, raw := range ce.Round1 {
		r1, err := protocol.ParseRound1(raw)
		if err != nil {
			return v.protocolFailure(v.l.t(placeRound1, i+1), fmt.Sprintf("encrypted.ceremony.round1[%d]", i), err)
		}
		msgs[i] = r1
	}
	sorted, err := protocol.VerifyRound1(pc, msgs, false)
	if err != nil {
		return v.protocolFailure(v.l.t(placeCeremony), "encrypted.ceremony", err)
	}
	res, err := protocol.ComputeResult(pc, sorted)
	if err != nil {
		return v.protocolFailure(v.l.t(placeCeremony), "encrypted.ceremony", err)
	}
	v.res = res
	c.Detail = v.l.t(text{"%d thành viên, ngưỡng %d, dấu vân tay %s", "%d members, threshold %d, fingerprint %s"}, len(ce.Members), ce.Threshold, res.Fingerprint())
	bad := func(field string, msg text, args ...any) *Failure {
		return v.failure(placeCeremony, "encrypted.ceremony."+field, "mismatch", v.l.t(msg, args...))
	}
	if ce.JointKey != res.GroupKey.Hex() {
		return bad("joint_key", text{"khóa chung ghi trong bản ghi không phải tổng các cam kết vòng 1", "the joint key is not the sum of the round-1 commitments"})
	}
	if ce.Transcript != hex.EncodeToString(res.Transcript[:]) {
		return bad("transcript", text{"băm biên bản lễ không khớp các thông điệp vòng 1", "the transcript hash does not match the round-1 messages"})
	}
	if ce.Fingerprint != res.Fingerprint() {
		return bad("fingerprint", text{"dấu vân tay lễ ghi %q, tính lại được %q", "the ceremony fingerprint says %q, recomputed %q"}, ce.Fingerprint, res.Fingerprint())
	}
	if !v.manifest.PublicKey.Equal(res.GroupKey) {
		return v.failure(placeManifest, "encrypted.manifest.public_key", "mismatch", v.l.t(text{"khóa mã hóa của cuộc bỏ phiếu không phải khóa chung của lễ tạo khóa",
			"the vote's encryption key is not the ceremony's joint key"}))
	}
	confirmed := map[protocol.Identifier]bool{}
	for i, raw := range ce.Confirmations {
		place := v.l.t(placeConfirmation, i+1)
		field := fmt.Sprintf("encrypted.ceremony.confirmations[%d]", i)
		cf, err := protocol.ParseConfirmation(raw)
		if err != nil {
			return v.protocolFailure(place, field, err)
		}
		if err := res.CheckConfirmation(cf); err != nil {
			return v.protocolFailure(place, field, err)
		}
		if confirmed[cf.Identifier] {
			return v.failure(placeConfirmation, field+".identifier", "duplicate", v.l.t(text{"thành viên này đã xác nhận", "this member already confirmed"}), i+1)
		}
		confirmed[cf.Identifier] = true
	}
	if len(confirmed) != len(res.Members) {
		return bad("confirmations", text{"%d trong %d thành viên đã xác nhận khóa chung; lễ chỉ thành công khi tất cả xác nhận",
			"%d of %d members confirmed the joint key; a ceremony succeeds only when all confirm"}, len(confirmed), len(res.Members))
	}
	return v.checkBoard(ce)
}

// checkBoard checks that the board is the ceremony's members, with their identifiers.
func (v *verifier) checkBoard(ce *Ceremony) *Failure {
	board := v.rec.Board
	for i, m := range board {
		field := fmt.Sprintf("board[%d]", i)
		if !slices.Contains(ce.Members, m.UserID) {
			return v.failure(placeBoard, field+".user_id", "mismatch", v.l.t(text{"không phải thành viên của lễ tạo khóa", "not a member of the key ceremony"}), i+1, m.FullName)
		}
		id, err := protocol.DeriveIdentifier(m.UserID)
		if err != nil || m.Identifier != id.Hex() {
			return v.failure(placeBoard, field+".identifier", "mismatch", v.l.t(text{"định danh không phải định danh suy ra từ mã người dùng", "the identifier is not the one derived from the user id"}), i+1, m.FullName)
		}
		if slices.IndexFunc(board, func(x BoardMember) bool { return x.UserID == m.UserID }) != i {
			return v.failure(placeBoard, field+".user_id", "duplicate", v.l.t(text{"thành viên bị lặp", "a repeated member"}), i+1, m.FullName)
		}
	}
	if len(board) != len(ce.Members) {
		return v.failure(placeCeremony, "board", "mismatch", v.l.t(text{"Ban kiểm phiếu có %d người, lễ tạo khóa có %d", "the board has %d members, the ceremony %d"}, len(board), len(ce.Members)))
	}
	return nil
}

// member returns the public keys of a ceremony member.
func (v *verifier) member(id protocol.Identifier) (*protocol.MemberKey, bool) {
	return v.res.Member(id)
}

func (v *verifier) memberName(id protocol.Identifier) string {
	for _, m := range v.rec.Board {
		if m.Identifier == id.Hex() {
			return m.FullName
		}
	}
	return id.Hex()[:16] + "…"
}

// ---- credentials ----

func (v *verifier) checkCredentials(c *Check) *Failure {
	e := v.rec.Encrypted
	v.creds = map[[32]byte]bool{}
	if len(e.CredentialLists) == 0 {
		return v.failure(placeRecord, "encrypted.credential_lists", "length", v.l.t(text{"không có danh sách mã nào", "no credential list"}))
	}
	for i, raw := range e.CredentialLists {
		place := v.l.t(placeCredList, i+1)
		field := fmt.Sprintf("encrypted.credential_lists[%d]", i)
		l, err := protocol.ParseCredentialList(raw)
		if err != nil {
			return v.protocolFailure(place, field, err)
		}
		if l.VoteID != v.rec.Vote.VoteID {
			return v.failure(placeCredList, field+".vote_id", "mismatch", v.l.t(text{"danh sách của cuộc bỏ phiếu khác", "a list of another vote"}), i+1)
		}
		mk, ok := v.member(l.Identifier)
		if !ok {
			return v.failure(placeCredList, field+".identifier", "mismatch", v.l.t(text{"người ký không phải thành viên của lễ tạo khóa", "the signer is not a member of the ceremony"}), i+1)
		}
		if err := l.Verify(mk.SigningKey); err != nil {
			return v.protocolFailure(place, field, err)
		}
		for j, cr := range l.Credentials {
			if v.creds[cr] {
				return v.failure(placeCredList, fmt.Sprintf("%s.credentials[%d]", field, j), "duplicate", v.l.t(text{"mã này đã có trong danh sách khác", "this credential is in another list too"}), i+1)
			}
			v.creds[cr] = true
		}
	}
	c.Items = len(v.creds)
	c.Detail = v.l.t(text{"%d mã công khai trong %d danh sách có chữ ký", "%d public credentials in %d signed lists"}, len(v.creds), len(e.CredentialLists))
	return nil
}

// ---- ballots ----

// parallel runs f(lo..hi-1) on every core.
func parallel(lo, hi int, f func(i int)) {
	workers := max(1, min(runtime.GOMAXPROCS(0), hi-lo))
	var wg sync.WaitGroup
	var mu sync.Mutex
	next := lo
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= hi {
					return
				}
				f(i)
			}
		}()
	}
	wg.Wait()
}

func (v *verifier) ballotPlace(i int) string {
	code := "?"
	if i < len(v.rec.Encrypted.Ballots) {
		if h, err := hex.DecodeString(v.rec.Encrypted.Ballots[i].BallotHash); err == nil && len(h) == 64 {
			code = protocol.TrackingCode([64]byte(h))
		}
	}
	return v.l.t(placeBallot, i+1, code)
}

func (v *verifier) checkBallots(c *Check) *Failure {
	e := v.rec.Encrypted
	n := len(e.Ballots)
	v.ballots = make([]*protocol.Ballot, n)
	v.hashes = make([][64]byte, n)
	parseErrs := make([]error, n)
	proofErrs := make([]error, n)
	// Every ballot is parsed and its signature and proofs verified on its own, on every core: one
	// ballot's batch (about 500 points for 50 rows) is the multi-scalar multiplication size that
	// stays in cache; larger batches are slower per ballot (docs/RECORD.md §8).
	var mu sync.Mutex
	done := 0
	parallel(0, n, func(i int) {
		b, err := protocol.ParseBallot(e.Ballots[i].Ballot)
		if err != nil {
			parseErrs[i] = err
		} else {
			v.ballots[i], v.hashes[i] = b, b.Hash()
			proofErrs[i] = protocol.VerifyBallots(v.manifest, []*protocol.Ballot{b})
		}
		mu.Lock()
		done++
		v.progress("ballots", done, n)
		mu.Unlock()
	})
	used := make(map[[32]byte]int, n)
	alphas := make(map[[32]byte][2]int, n*len(v.rec.Vote.Subjects))
	bad := func(i int, field, code string, msg text, args ...any) *Failure {
		return &Failure{Place: v.ballotPlace(i), Field: fmt.Sprintf("encrypted.ballots[%d]%s", i, field), Code: code, Message: v.l.t(msg, args...)}
	}
	for i := range e.Ballots {
		cb := &e.Ballots[i]
		if !isHex(cb.BallotHash, 128) {
			return bad(i, ".ballot_hash", "hex", text{"mã theo dõi phải là 128 chữ số hex chữ thường", "the tracking code must be 128 lowercase hex digits"})
		}
		if i > 0 && cb.BallotHash == e.Ballots[i-1].BallotHash {
			return bad(i, ".ballot_hash", "duplicate", text{"cùng mã theo dõi với phiếu thứ %d", "the same tracking code as ballot %d"}, i)
		}
		if i > 0 && cb.BallotHash < e.Ballots[i-1].BallotHash {
			return bad(i, ".ballot_hash", "order", text{"các phiếu không được sắp theo mã theo dõi", "the ballots are not sorted by tracking code"})
		}
		if parseErrs[i] != nil {
			return v.protocolFailure(v.ballotPlace(i), fmt.Sprintf("encrypted.ballots[%d].ballot", i), parseErrs[i])
		}
		b := v.ballots[i]
		if cb.BallotHash != hex.EncodeToString(v.hashes[i][:]) {
			return bad(i, ".ballot_hash", "mismatch", text{"mã theo dõi ghi trong bản ghi không phải băm của phiếu (nội dung phiếu đã bị thay đổi)",
				"the recorded tracking code is not the ballot's hash (the ballot was altered)"})
		}
		if !v.creds[b.Credential] {
			return bad(i, ".ballot.credential", "credential", text{"mã bỏ phiếu của phiếu không có trong các danh sách mã công khai",
				"the ballot's credential is not in the public credential lists"})
		}
		if j, dup := used[b.Credential]; dup {
			return bad(i, ".ballot.credential", "duplicate", text{"cùng mã bỏ phiếu với phiếu thứ %d: một mã chỉ được bỏ một phiếu",
				"the same credential as ballot %d: one ballot per credential"}, j+1)
		}
		used[b.Credential] = i
		for r, ct := range b.Ciphertexts() {
			if prev, dup := alphas[ct.Alpha]; dup && prev[0] != i {
				return bad(i, fmt.Sprintf(".ballot.rows[%d].alpha", r), "duplicate", text{"cùng alpha với phiếu thứ %d (hàng %d): bản mã bị dùng lại",
					"the same alpha as ballot %d (row %d): a ciphertext replayed"}, prev[0]+1, prev[1])
			}
			alphas[ct.Alpha] = [2]int{i, r}
		}
		if err := proofErrs[i]; err != nil {
			var pe *protocol.Error
			if errors.As(err, &pe) {
				cp := *pe
				cp.Index = -1
				err = &cp
			}
			return v.protocolFailure(v.ballotPlace(i), fmt.Sprintf("encrypted.ballots[%d].ballot", i), err)
		}
	}
	c.Items = n
	c.Detail = v.l.t(text{"%d phiếu × %d hàng: mã theo dõi, mã bỏ phiếu, chữ ký, chứng minh", "%d ballots × %d rows: tracking codes, credentials, signatures, proofs"}, n, v.manifest.Rows)
	return nil
}

// ---- figures ----

func (v *verifier) checkFigures(c *Check) *Failure {
	f := &v.rec.Figures
	c.Items = 6
	bad := func(field, code string, msg text, args ...any) *Failure {
		return v.failure(placeFigures, "figures."+field, code, v.l.t(msg, args...))
	}
	for _, x := range []struct {
		name string
		val  int64
	}{{"total_delegates", f.TotalDelegates}, {"ballots_issued", f.BallotsIssued}, {"ballots_cast", f.BallotsCast},
		{"codes_voided", f.CodesVoided}, {"ballots_received", f.BallotsReceived}} {
		if x.val < 0 || x.val > protocol.MaxRadix {
			return bad(x.name, "range", text{"%s = %d ngoài phạm vi", "%s = %d is out of range"}, x.name, x.val)
		}
	}
	var paperReceived int64
	if p := f.Paper; p != nil {
		if p.Received < 0 || p.Valid < 0 || p.Invalid < 0 || p.Received > protocol.MaxRadix {
			return bad("paper", "range", text{"số liệu phiếu giấy ngoài phạm vi", "paper figures out of range"})
		}
		if p.Valid+p.Invalid != p.Received {
			return bad("paper", "arithmetic", text{"phiếu giấy: hợp lệ %d + không hợp lệ %d ≠ thu vào %d", "paper: valid %d + invalid %d ≠ received %d"}, p.Valid, p.Invalid, p.Received)
		}
		paperReceived = p.Received
	}
	if f.BallotsReceived != f.BallotsCast+paperReceived {
		return bad("ballots_received", "arithmetic", text{"số phiếu thu vào %d ≠ phiếu điện tử %d + phiếu giấy thu vào %d",
			"ballots received %d ≠ electronic ballots %d + paper ballots received %d"}, f.BallotsReceived, f.BallotsCast, paperReceived)
	}
	if f.BallotsReceived > f.BallotsIssued {
		return bad("ballots_received", "arithmetic", text{"số phiếu thu vào %d lớn hơn số phiếu phát ra %d", "ballots received %d exceed ballots issued %d"}, f.BallotsReceived, f.BallotsIssued)
	}
	if f.BallotsIssued > f.TotalDelegates {
		return bad("ballots_issued", "arithmetic", text{"số phiếu phát ra %d lớn hơn tổng số đại biểu %d", "ballots issued %d exceed the total of delegates %d"}, f.BallotsIssued, f.TotalDelegates)
	}
	if v.rec.Mode == ModePlain {
		p := v.rec.Plain
		if p.BallotsWithheld {
			if f.Paper == nil || len(p.Ballots) != 0 {
				return v.failure(placeFigures, "plain.ballots_withheld", "invalid", v.l.t(text{"chỉ cuộc bỏ phiếu có phiếu giấy mới không liệt kê từng phiếu, và khi đó danh sách phiếu phải trống",
					"only a vote with a paper part withholds its ballots, and then the list of ballots is empty"}))
			}
			if p.Invalid != f.Paper.Invalid {
				return bad("paper.invalid", "arithmetic", text{"phiếu giấy không hợp lệ %d ≠ %d phiếu không hợp lệ trong bản ghi", "paper invalid %d ≠ %d invalid ballots in the record"}, f.Paper.Invalid, p.Invalid)
			}
			v.valid, v.invalid = f.BallotsCast+f.Paper.Valid, p.Invalid
			c.Detail = v.l.t(text{"phát ra %d ≤ tổng số đại biểu %d; thu vào %d", "issued %d ≤ delegates %d; received %d"}, f.BallotsIssued, f.TotalDelegates, f.BallotsReceived)
			return nil
		}
		if p.Invalid < 0 || int64(len(p.Ballots))+p.Invalid != f.BallotsReceived {
			return bad("ballots_received", "arithmetic", text{"bản ghi có %d phiếu hợp lệ và %d phiếu không hợp lệ, số phiếu thu vào là %d",
				"the record holds %d valid and %d invalid ballots, the ballots received are %d"}, len(p.Ballots), p.Invalid, f.BallotsReceived)
		}
		if f.Paper == nil && p.Invalid != 0 {
			return bad("paper", "arithmetic", text{"%d phiếu không hợp lệ mà không có phiếu giấy", "%d invalid ballots without a paper part"}, p.Invalid)
		}
		if f.Paper != nil && p.Invalid != f.Paper.Invalid {
			return bad("paper.invalid", "arithmetic", text{"phiếu giấy không hợp lệ %d ≠ %d phiếu không hợp lệ trong bản ghi", "paper invalid %d ≠ %d invalid ballots in the record"}, f.Paper.Invalid, p.Invalid)
		}
		v.valid, v.invalid = int64(len(p.Ballots)), p.Invalid
		c.Detail = v.l.t(text{"phát ra %d ≤ tổng số đại biểu %d; thu vào %d", "issued %d ≤ delegates %d; received %d"}, f.BallotsIssued, f.TotalDelegates, f.BallotsReceived)
		return nil
	}
	e := v.rec.Encrypted
	if f.BallotsCast != int64(len(e.Ballots)) {
		return bad("ballots_cast", "count", text{"số phiếu điện tử ghi là %d nhưng bản ghi có %d phiếu", "the electronic ballots are given as %d but the record holds %d"}, f.BallotsCast, len(e.Ballots))
	}
	if len(e.Ballots) > len(v.creds) {
		return bad("ballots_cast", "count", text{"%d phiếu nhiều hơn %d mã công khai", "%d ballots exceed the %d public credentials"}, len(e.Ballots), len(v.creds))
	}
	cast := map[string]bool{}
	for _, b := range e.Ballots {
		cast[b.BallotHash] = true
	}
	for i, s := range e.Spoiled {
		field := fmt.Sprintf("encrypted.spoiled[%d]", i)
		if !isHex(s, 128) {
			return v.failure(placeSpoiled, field, "hex", v.l.t(text{"mã theo dõi phải là 128 chữ số hex chữ thường", "a tracking code is 128 lowercase hex digits"}), i+1)
		}
		if i > 0 && s <= e.Spoiled[i-1] {
			return v.failure(placeSpoiled, field, "order", v.l.t(text{"danh sách phiếu hủy kiểm tra không được sắp hoặc bị lặp", "the spoiled ballots are not sorted or repeat"}), i+1)
		}
		if cast[s] {
			return v.failure(placeSpoiled, field, "mismatch", v.l.t(text{"một phiếu đã hủy để kiểm tra máy lại nằm trong các phiếu được đếm", "a ballot spoiled for the machine check is among the counted ballots"}), i+1)
		}
	}
	if f.Paper != nil {
		v.valid, v.invalid = f.BallotsCast+f.Paper.Valid, f.Paper.Invalid
	} else {
		v.valid = f.BallotsCast
	}
	c.Detail = v.l.t(text{"phiếu %d ≤ mã %d; phiếu thu vào %d ≤ phát ra %d ≤ tổng số đại biểu %d; %d phiếu hủy kiểm tra",
		"ballots %d ≤ credentials %d; received %d ≤ issued %d ≤ delegates %d; %d spoiled"},
		len(e.Ballots), len(v.creds), f.BallotsReceived, f.BallotsIssued, f.TotalDelegates, len(e.Spoiled))
	return nil
}

// ---- paper totals ----

func (v *verifier) checkPaper(c *Check) *Failure {
	e := v.rec.Encrypted
	seen := map[protocol.Identifier]bool{}
	for i, raw := range e.PaperTotals {
		place := v.l.t(placePaper, i+1)
		field := fmt.Sprintf("encrypted.paper_totals[%d]", i)
		pt, err := protocol.ParsePaperTotals(raw)
		if err != nil {
			return v.protocolFailure(place, field, err)
		}
		if err := protocol.CheckPaperTotals(v.res, v.manifest, pt); err != nil {
			return v.protocolFailure(place, field, err)
		}
		if seen[pt.Identifier] {
			// Two members' messages are two sets of paper ballots: allowed, but not twice one member's.
			return v.failure(placePaper, field+".identifier", "duplicate", v.l.t(text{"thành viên này đã gửi một bảng tổng phiếu giấy", "this member already sent paper totals"}), i+1)
		}
		seen[pt.Identifier] = true
		v.paper = append(v.paper, pt)
		v.paperBallots += int64(pt.Ballots)
	}
	var valid int64
	if p := v.rec.Figures.Paper; p != nil {
		valid = p.Valid
	}
	if v.paperBallots != valid {
		return v.failure(placeFigures, "figures.paper.valid", "mismatch", v.l.t(text{"số phiếu giấy hợp lệ %d ≠ %d phiếu trong các bảng tổng có chữ ký",
			"valid paper ballots %d ≠ %d ballots in the signed paper totals"}, valid, v.paperBallots))
	}
	c.Items = len(e.PaperTotals)
	c.Detail = v.l.t(text{"%d bảng tổng, %d phiếu giấy hợp lệ (chữ ký và số học; không kiểm được chính các phiếu giấy)",
		"%d messages, %d valid paper ballots (signatures and arithmetic; the paper itself cannot be checked)"}, len(e.PaperTotals), v.paperBallots)
	return nil
}

// ---- sums ----

func (v *verifier) checkSums(c *Check) *Failure {
	e := v.rec.Encrypted
	n := v.manifest.Rows
	c.Items = n
	recorded, err := protocol.ParseSums(e.Sums)
	if err != nil {
		return v.protocolFailure(v.l.t(placeSums), "encrypted.sums", err)
	}
	if len(recorded) != n {
		return v.failure(placeSums, "encrypted.sums", "length", v.l.t(text{"có %d tổng cho %d người", "%d sums for %d subjects"}, len(recorded), n))
	}
	cts := make([][]protocol.EncodedCiphertext, len(v.ballots))
	for i, b := range v.ballots {
		cts[i] = b.Ciphertexts()
	}
	extra := make([][]protocol.EncodedCiphertext, len(v.paper))
	for i, p := range v.paper {
		extra[i] = p.Ciphertexts()
	}
	sums, err := protocol.Sum(n, cts, extra)
	if err != nil {
		return v.protocolFailure(v.l.t(placeSums), "encrypted", err)
	}
	for i := range sums {
		if !sums[i].A.Equal(recorded[i].A) || !sums[i].B.Equal(recorded[i].B) {
			return v.failure(placeSumRow, fmt.Sprintf("encrypted.sums[%d]", i), "mismatch", v.l.t(text{"tổng mã hóa ghi trong bản ghi không phải tích các bản mã của %d phiếu và %d bảng tổng phiếu giấy",
				"the recorded encrypted sum is not the product of the ciphertexts of the %d ballots and %d paper totals"}, len(v.ballots), len(v.paper)), i+1, v.subjectName(i))
		}
	}
	v.sums = recorded
	sh := protocol.SumsHash(v.rec.Vote.VoteID, recorded)
	if e.SumsHash != hex.EncodeToString(sh[:]) {
		return v.failure(placeSums, "encrypted.sums_hash", "mismatch", v.l.t(text{"sums_hash không phải băm của các tổng mã hóa", "sums_hash is not the hash of the encrypted sums"}))
	}
	c.Detail = v.l.t(text{"%d tổng = tích các bản mã (tính lại)", "%d sums = products of the ciphertexts (recomputed)"}, n)
	return nil
}

// ---- decryption and counts ----

func (v *verifier) checkDecryption(c *Check) *Failure {
	e := v.rec.Encrypted
	ps := make([]*protocol.PartialDecryption, len(e.PartialDecryptions))
	for i, raw := range e.PartialDecryptions {
		p, err := protocol.ParsePartialDecryption(raw)
		if err != nil {
			return v.protocolFailure(v.l.t(placePartial, i+1, "?"), fmt.Sprintf("encrypted.partial_decryptions[%d]", i), err)
		}
		ps[i] = p
	}
	if err := protocol.VerifyPartials(v.res, v.rec.Vote.VoteID, v.sums, ps); err != nil {
		var pe *protocol.Error
		i := 0
		if errors.As(err, &pe) && pe.Index >= 0 {
			i = pe.Index
			cp := *pe
			cp.Index = -1
			err = &cp
		}
		name := "?"
		if i < len(ps) {
			name = v.memberName(ps[i].Identifier)
		}
		return v.protocolFailure(v.l.t(placePartial, i+1, name), fmt.Sprintf("encrypted.partial_decryptions[%d]", i), err)
	}
	t := v.res.Ceremony.Threshold
	if len(ps) < t {
		return v.failure(placeRecord, "encrypted.partial_decryptions", "threshold", v.l.t(text{"có %d phần giải mã, ngưỡng là %d", "%d partial decryptions, the threshold is %d"}, len(ps), t))
	}
	vs, err := protocol.Combine(v.res, v.sums, ps)
	if err != nil {
		return v.protocolFailure(v.l.t(placeRecord), "encrypted.partial_decryptions", err)
	}
	total := v.rec.Figures.BallotsCast + v.paperBallots
	if uint64(total) >= v.manifest.Radix {
		return v.failure(placeManifest, "encrypted.manifest.radix", "range", v.l.t(text{"cơ số %d không lớn hơn số phiếu cộng vào tổng (%d): số phiếu không xác định duy nhất",
			"the radix %d does not exceed the ballots summed (%d): the counts are not unique"}, v.manifest.Radix, total))
	}
	for i, row := range v.rec.Counts {
		u := make([]uint64, len(row))
		for j, x := range row {
			u[j] = uint64(x)
		}
		if err := protocol.CheckCounts(v.manifest.Levels, v.manifest.Radix, uint64(total), vs[i:i+1], [][]uint64{u}); err != nil {
			var pe *protocol.Error
			if errors.As(err, &pe) {
				cp := *pe
				cp.Field = ""
				err = &cp
			}
			f := v.protocolFailure(v.l.t(placeCounts, i+1, v.subjectName(i)), fmt.Sprintf("counts[%d]", i), err)
			if pe != nil && pe.Code == protocol.CodeMismatch {
				f.Message = v.l.t(text{"số phiếu %v ghi trong bản ghi không phải giá trị giải mã của tổng mã hóa", "the recorded counts %v are not the decryption of the encrypted sum"}, row)
			}
			return f
		}
	}
	c.Items = len(ps)
	c.Detail = v.l.t(text{"%d phần giải mã (ngưỡng %d); %d dòng số phiếu khớp giá trị giải mã", "%d partial decryptions (threshold %d); %d rows of counts match the decryption"}, len(ps), t, len(v.rec.Counts))
	return nil
}

// ---- plain recount ----

func (v *verifier) checkRecount(c *Check) *Failure {
	p := v.rec.Plain
	if p.BallotsWithheld {
		c.Detail = v.l.t(text{"không liệt kê từng phiếu (có phần phiếu giấy): số phiếu là số của Ban kiểm phiếu", "ballots not listed (the vote has a paper part): the counts are the board's"})
		return nil
	}
	ru := &v.rec.Rules
	n := len(v.rec.Vote.Subjects)
	index := [256]int{}
	for i := range index {
		index[i] = -2
	}
	index['0'], index['x'] = -1, -1
	for j, l := range ru.Levels {
		index[letters[l]] = j
	}
	counts := make([][]int64, n)
	for i := range counts {
		counts[i] = make([]int64, len(ru.Levels))
	}
	for k, marks := range p.Ballots {
		field := fmt.Sprintf("plain.ballots[%d]", k)
		if len(marks) != n {
			return v.failure(placePlainBallot, field, "length", v.l.t(text{"%d dấu cho %d người", "%d marks for %d subjects"}, len(marks), n), k+1)
		}
		if k > 0 && marks < p.Ballots[k-1] {
			return v.failure(placePlainBallot, field, "order", v.l.t(text{"các phiếu không được sắp", "the ballots are not sorted"}), k+1)
		}
		for i := 0; i < n; i++ {
			switch j := index[marks[i]]; {
			case j == -2:
				return v.failure(placePlainBallot, field, "invalid", v.l.t(text{"dấu %q ở hàng %d không phải một mức của phiếu, 0 hay x", "mark %q in row %d is not a level of the ballot, 0 or x"}, marks[i], i+1), k+1)
			case j >= 0:
				counts[i][j]++
			}
		}
	}
	for i := range counts {
		for j := range counts[i] {
			if counts[i][j] != v.rec.Counts[i][j] {
				return v.failure(placeCounts, fmt.Sprintf("counts[%d][%d]", i, j), "mismatch", v.l.t(text{"số phiếu %q ghi là %d, đếm lại được %d", "the %q count is given as %d, the recount gives %d"},
					ru.Levels[j], v.rec.Counts[i][j], counts[i][j]), i+1, v.subjectName(i))
			}
		}
	}
	c.Items = len(p.Ballots)
	c.Detail = v.l.t(text{"%d phiếu đếm lại, khớp số phiếu của %d người", "%d ballots recounted, matching the counts of %d subjects"}, len(p.Ballots), n)
	return nil
}

// ---- tally ----

func (v *verifier) checkTally(c *Check) *Failure {
	r := v.rec
	c.Items = len(r.Vote.Subjects)
	for i, row := range r.Counts {
		var sum int64
		for _, x := range row {
			sum += x
		}
		if sum > v.valid {
			return v.failure(placeCounts, fmt.Sprintf("counts[%d]", i), "arithmetic", v.l.t(text{"tổng các mức %d lớn hơn số phiếu hợp lệ %d", "the levels add up to %d, more than the %d valid ballots"}, sum, v.valid), i+1, v.subjectName(i))
		}
	}
	built, err := BuildTally(&r.Vote, &r.Rules, TallyFigures{TotalDelegates: r.Figures.TotalDelegates, BallotsIssued: r.Figures.BallotsIssued,
		Valid: v.valid, Invalid: v.invalid}, r.Counts)
	if err != nil {
		return v.failure(placeTally, "counts", "invalid", err.Error())
	}
	hash := HashTally(built)
	v.tallyHash = hash
	recorded, err := ParseTally(r.Tally)
	if err != nil {
		return v.failure(placeTally, "tally", "json", v.l.t(text{"kết quả không đúng cấu trúc: %s", "the tally is malformed: %s"}, err.Error()))
	}
	if d := compareTally(recorded, built); d != nil {
		return v.failure(placeTally, "tally."+d.Field, "mismatch", v.l.t(text{"%s: bản ghi ghi %s, tính lại được %s", "%s: the record says %s, recomputed %s"}, "tally."+d.Field, quoteIfText(d.Recorded), quoteIfText(d.Computed)))
	}
	if got := HashTally(recorded); got != hash {
		return v.failure(placeTally, "tally", "mismatch", v.l.t(text{"dạng chuẩn của kết quả ghi trong bản ghi khác dạng chuẩn tính lại", "the recorded tally's canonical form differs from the recomputed one"}))
	}
	if r.TallyHash != hash {
		return v.failure(placeTally, "tally_hash", "mismatch", v.l.t(text{"tally_hash ghi %s…, băm của kết quả tính lại là %s…", "tally_hash says %s…, the recomputed tally hashes to %s…"}, r.TallyHash[:16], hash[:16]))
	}
	if recorded.TallyHash != "" && recorded.TallyHash != hash {
		return v.failure(placeTally, "tally.tally_hash", "mismatch", v.l.t(text{"tally.tally_hash ghi %s…, băm của kết quả tính lại là %s…", "tally.tally_hash says %s…, the recomputed tally hashes to %s…"}, recorded.TallyHash[:min(16, len(recorded.TallyHash))], hash[:16]))
	}
	if f := v.checkAnnotations(recorded); f != nil {
		return f
	}
	c.Detail = v.l.t(text{"%d người: tỷ lệ, mức, hệ quả tính lại khớp; băm %s…", "%d subjects: percentages, bands, consequences recomputed and equal; hash %s…"}, len(built.Subjects), hash[:16])
	return nil
}

func quoteIfText(s string) string {
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return s
	}
	return strconv.Quote(s)
}

// checkAnnotations checks what the tally says beyond the certified part: a subject listed in
// no_confidence_due is in the due band and not resigned, and every subject of the due band is either
// listed or resigned (a confidence vote only: resignations are the server's word).
func (v *verifier) checkAnnotations(t *Tally) *Failure {
	due := v.rec.Rules.NoConfidenceDueBand
	listed := map[string]bool{}
	for _, id := range t.NoConfidenceDue {
		listed[id] = true
	}
	for i, s := range t.Subjects {
		resigned := slices.Contains(s.Flags, FlagResigned)
		flagged := slices.Contains(s.Flags, FlagNoConfidenceDue)
		should := due != "" && s.Band == due && !resigned
		if flagged != should || listed[s.OfficialID] != should {
			return v.failure(placeSubject, fmt.Sprintf("tally.subjects[%d].flags", i), "mismatch", v.l.t(text{"ghi chú \"phải bỏ phiếu tín nhiệm\" không khớp mức %q", "the \"no-confidence vote due\" note does not match band %q"}, s.Band), i+1, s.FullName)
		}
	}
	return nil
}

// ---- certifications ----

func (v *verifier) checkCertifications(c *Check) *Failure {
	e := v.rec.Encrypted
	anchor, count, _ := parseAnchor(v.rec.AuditAnchor)
	var th [32]byte
	hex.Decode(th[:], []byte(v.tallyHash))
	seen := map[protocol.Identifier]bool{}
	for i, raw := range e.Certifications {
		field := fmt.Sprintf("encrypted.certifications[%d]", i)
		cert, err := protocol.ParseCertification(raw)
		if err != nil {
			return v.protocolFailure(v.l.t(placeCertification, i+1, "?"), field, err)
		}
		name := v.memberName(cert.Identifier)
		bad := func(f string, msg text, args ...any) *Failure {
			return v.failure(placeCertification, field+"."+f, "mismatch", v.l.t(msg, args...), i+1, name)
		}
		if cert.VoteID != v.rec.Vote.VoteID {
			return bad("vote_id", text{"chứng nhận của cuộc bỏ phiếu khác", "a certification of another vote"})
		}
		if cert.CeremonyID != v.res.Ceremony.ID {
			return bad("ceremony_id", text{"chứng nhận của lễ tạo khóa khác", "a certification of another ceremony"})
		}
		mk, ok := v.member(cert.Identifier)
		if !ok {
			return bad("identifier", text{"người ký không phải thành viên của lễ tạo khóa", "the signer is not a member of the ceremony"})
		}
		if seen[cert.Identifier] {
			return v.failure(placeCertification, field+".identifier", "duplicate", v.l.t(text{"thành viên này đã chứng nhận", "this member already certified"}), i+1, name)
		}
		seen[cert.Identifier] = true
		if err := cert.Verify(mk.SigningKey); err != nil {
			return v.protocolFailure(v.l.t(placeCertification, i+1, name), field, err)
		}
		if cert.TallyHash != th {
			return bad("tally_hash", text{"chứng nhận một kết quả khác (băm %s…), không phải kết quả tính lại (%s…)", "certifies another tally (hash %s…), not the recomputed one (%s…)"},
				hex.EncodeToString(cert.TallyHash[:8]), v.tallyHash[:16])
		}
		if cert.Base != v.rec.Vote.Base {
			return bad("base", text{"chứng nhận với cơ sở tính tỷ lệ %q, cuộc bỏ phiếu dùng %q", "certifies the base %q, the vote uses %q"}, cert.Base, v.rec.Vote.Base)
		}
		if cert.AuditAnchor != anchor || cert.AuditCount != count {
			return bad("audit_anchor", text{"chứng nhận một mã neo nhật ký khác (%s…:%d)", "certifies another audit anchor (%s…:%d)"}, hex.EncodeToString(cert.AuditAnchor[:8]), cert.AuditCount)
		}
	}
	board := len(v.rec.Board)
	if 2*len(seen) <= board {
		return v.failure(placeRecord, "encrypted.certifications", "count", v.l.t(text{"%d trong %d thành viên chứng nhận: cần quá nửa Ban kiểm phiếu", "%d of %d members certified: a majority of the board is needed"}, len(seen), board))
	}
	c.Items = len(seen)
	c.Detail = v.l.t(text{"%d/%d thành viên ký trên (cuộc bỏ phiếu, băm kết quả, cơ sở, mã neo)", "%d/%d members signed (vote, tally hash, base, anchor)"}, len(seen), board)
	return nil
}

func (v *verifier) checkPlainCertifications(c *Check) *Failure {
	p := v.rec.Plain
	for i, u := range p.CertifiedBy {
		field := fmt.Sprintf("plain.certified_by[%d]", i)
		if slices.IndexFunc(v.rec.Board, func(m BoardMember) bool { return m.UserID == u }) < 0 {
			return v.failure(placeRecord, field, "mismatch", v.l.t(text{"%q không phải thành viên Ban kiểm phiếu", "%q is not a board member"}, u))
		}
		if slices.Index(p.CertifiedBy, u) != i {
			return v.failure(placeRecord, field, "duplicate", v.l.t(text{"%q lặp lại", "%q repeats"}, u))
		}
	}
	if 2*len(p.CertifiedBy) <= len(v.rec.Board) {
		return v.failure(placeRecord, "plain.certified_by", "count", v.l.t(text{"%d trong %d thành viên chứng nhận: cần quá nửa Ban kiểm phiếu", "%d of %d members certified: a majority of the board is needed"}, len(p.CertifiedBy), len(v.rec.Board)))
	}
	c.Items = len(p.CertifiedBy)
	c.Detail = v.l.t(text{"%d/%d thành viên (lời của máy chủ, không có chữ ký)", "%d/%d members (the server's word, no signatures)"}, len(p.CertifiedBy), len(v.rec.Board))
	return nil
}

// ---- documents ----

func (v *verifier) checkDocuments(c *Check) *Failure {
	docs := v.rec.Documents
	matched, notGiven := 0, 0
	var first *Failure
	for i, d := range docs {
		field := fmt.Sprintf("documents[%d]", i)
		if d.Name == "" || slices.IndexFunc(docs, func(x Document) bool { return x.Name == d.Name }) != i {
			return v.failure(placeDocument, field+".name", "duplicate", v.l.t(text{"tên tài liệu rỗng hoặc bị lặp", "an empty or repeated document name"}), d.Name)
		}
		if !isHex(d.SHA256, 64) {
			return v.failure(placeDocument, field+".sha256", "hex", v.l.t(text{"SHA-256 phải là 64 chữ số hex chữ thường", "the SHA-256 must be 64 lowercase hex digits"}), d.Name)
		}
		res := DocumentResult{Name: d.Name, SHA256: d.SHA256, Status: NotChecked}
		if data, ok := v.docs[d.Name]; ok {
			sum := sha256.Sum256(data)
			if hex.EncodeToString(sum[:]) == d.SHA256 {
				res.Status = Passed
				matched++
			} else {
				res.Status = Failed
				if first == nil {
					first = v.failure(placeDocument, field+".sha256", "mismatch", v.l.t(text{"tệp được cung cấp có SHA-256 %s…, bản ghi ghi %s…: không phải tài liệu đã công bố",
						"the given file's SHA-256 is %s…, the record says %s…: not the published document"}, hex.EncodeToString(sum[:8]), d.SHA256[:16]), d.Name)
				}
			}
		} else {
			notGiven++
		}
		v.rep.Documents = append(v.rep.Documents, res)
	}
	names := make([]string, 0, len(v.docs))
	for name := range v.docs {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if slices.IndexFunc(docs, func(x Document) bool { return x.Name == name }) < 0 && first == nil {
			first = v.failure(placeDocument, "documents", "unknown", v.l.t(text{"bản ghi không có tài liệu tên %q (các tên: %s)", "the record has no document named %q (names: %s)"}, name, docNames(docs)), name)
		}
	}
	c.Items = matched
	c.Detail = v.l.t(text{"%d khớp, %d chưa được cung cấp, trong %d tài liệu", "%d match, %d not given, of %d documents"}, matched, notGiven, len(docs))
	if first == nil && matched == 0 {
		c.Status = NotChecked // run keeps it: nothing was given to compare
	}
	return first
}

func docNames(docs []Document) string {
	names := make([]string, len(docs))
	for i, d := range docs {
		names[i] = d.Name
	}
	return strings.Join(names, ", ")
}

// ---- notes ----

func (v *verifier) notes() {
	r := v.rec
	add := func(m text, args ...any) { v.rep.Notes = append(v.rep.Notes, v.l.t(m, args...)) }
	if r.Mode == ModePlain {
		add(text{"Bản ghi của cuộc bỏ phiếu không mã hóa: không có gì trong đó được chứng thực bằng mật mã — các phiếu, số liệu và chứng nhận là lời của máy chủ. Trình kiểm tra chỉ đếm lại và kiểm lại số học, tỷ lệ, mức, hệ quả và mã băm.",
			"A plain vote's record: nothing in it is cryptographically attested — the ballots, figures and certifications are the server's word. The verifier only recounts and re-checks the arithmetic, percentages, bands, consequences and hashes."})
	}
	if r.Figures.Paper != nil && r.Mode == ModeEncrypted {
		add(text{"Phần phiếu giấy: trình kiểm tra kiểm chữ ký và số học của các số liệu do Ban kiểm phiếu ký, không kiểm được chính các phiếu giấy.",
			"The paper part: the verifier checks the signatures and arithmetic of the board's signed figures, not the paper ballots themselves."})
	}
	if r.AuditAnchor != "" {
		add(text{"Mã neo nhật ký %s: đối chiếu với mã in trên biên bản (và `tinnhiem audit verify --anchor`).", "Audit anchor %s: compare with the one printed in the minutes (and `tinnhiem audit verify --anchor`)."}, r.AuditAnchor)
	}
	if r.FrontendHash != "" {
		add(text{"Mã băm bản dựng giao diện %s: đối chiếu với bản dựng đã công bố (trình kiểm tra không kiểm được).", "Frontend build hash %s: compare with the published build (the verifier cannot check it)."}, r.FrontendHash)
	}
	if r.Encrypted != nil && r.Encrypted.VoteFingerprint != "" {
		add(text{"Dấu vân tay cuộc bỏ phiếu %s; dấu vân tay lễ tạo khóa %s: đối chiếu với biên bản.", "Vote fingerprint %s; ceremony fingerprint %s: compare with the minutes."}, r.Encrypted.VoteFingerprint, r.Encrypted.Ceremony.Fingerprint)
	}
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

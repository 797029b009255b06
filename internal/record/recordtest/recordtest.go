// Package recordtest runs whole votes in Go and returns their valid public records: an encrypted
// vote (a key ceremony of n members with threshold t, credential lists, ballots with random choices,
// spoiled ballots, optional paper totals, the sums, the partial decryptions, the counts, the server's
// tally, the certifications and the documents) or a plain one. It is deterministic for a seed. Tests
// only: it imports the server's tally and rules to make the tally exactly as the server does.
package recordtest

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	mrand "math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"

	"tinnhiem/internal/civil"
	"tinnhiem/internal/protocol"
	"tinnhiem/internal/record"
	"tinnhiem/internal/record/fill"
	"tinnhiem/internal/roster"
	"tinnhiem/internal/rules"
	"tinnhiem/internal/tally"
)

// Options shape a generated vote. Zero values take the defaults of Small.
type Options struct {
	Seed      string
	Plain     bool // a plain (unencrypted) vote
	Subjects  int
	Ballots   int // electronic ballots cast
	Spares    int // credentials never used
	Members   int
	Threshold int
	Partials  int // members who submit a partial decryption (≥ Threshold)
	Kind      rules.Kind
	RuleSet   string
	Base      rules.Base
	Body      roster.Body
	// PaperValid and PaperInvalid add a paper part: valid paper ballots with random choices (their
	// totals encrypted by the head of the board) and ballots invalid as a whole.
	PaperValid   int
	PaperInvalid int
	Spoiled      int // ballots spoiled by the Benaloh challenge
	Delegates    int // T; default: every ballot and credential, plus 3
	Absent       int // delegates issued a ballot who did not cast it
	Lists        int // credential lists (each signed by another member); default 2
	Resigned     int // subjects recorded as resigned after the count (annotations)
	// BlankRate is the chance in 100 that a row is left blank; ChoiceBias skews the choices towards
	// the decisive level (0 = uniform) so that bands other than "none" appear.
	BlankRate  int
	ChoiceBias int
}

// Small is the small golden vote: 3 subjects, 12 ballots, a board of 3 with threshold 2.
var Small = Options{Seed: "small", Subjects: 3, Ballots: 12, Spares: 3, Members: 3, Threshold: 2, Kind: rules.Confidence,
	RuleSet: "NQ96_2023", Base: rules.BaseTotalDelegates, Spoiled: 2, BlankRate: 10, ChoiceBias: 2}

// NA is a National Assembly-sized vote: 500 ballots × 50 subjects, a board of 7 with threshold 4.
var NA = Options{Seed: "na", Subjects: 50, Ballots: 500, Spares: 20, Members: 7, Threshold: 4, Kind: rules.Confidence,
	RuleSet: "NQ96_2023", Base: rules.BaseTotalDelegates, Spoiled: 5, Delegates: 530, BlankRate: 3, ChoiceBias: 1}

// Vote is a generated vote: its record, the published documents, and the secrets a test needs to
// forge or re-sign (credential keys, the members' share keys).
type Vote struct {
	Record      *record.Record
	Documents   map[string][]byte
	Credentials map[[32]byte]ed25519.PrivateKey // by public credential
	Spare       [][32]byte                      // credentials that cast no ballot
	Keys        []*protocol.ShareKey            // the members' share keys, identifier order
	Manifest    *protocol.Manifest
	Tally       tally.Result
	Options     Options
}

// rng is a deterministic byte stream: SHA-256(seed || counter) blocks.
type rng struct {
	seed    []byte
	counter uint64
	buf     []byte
}

func newRNG(parts ...string) *rng { return &rng{seed: []byte(strings.Join(parts, "/"))} }

func (r *rng) Read(p []byte) (int, error) {
	for n := 0; n < len(p); {
		if len(r.buf) == 0 {
			h := sha256.Sum256(binary.BigEndian.AppendUint64(slices.Clone(r.seed), r.counter))
			r.counter++
			r.buf = h[:]
		}
		c := copy(p[n:], r.buf)
		r.buf = r.buf[c:]
		n += c
	}
	return len(p), nil
}

func (o Options) withDefaults() Options {
	if o.Seed == "" {
		o.Seed = "record"
	}
	if o.Subjects == 0 {
		o.Subjects = 3
	}
	if o.Members == 0 {
		o.Members = 3
	}
	if o.Threshold == 0 {
		o.Threshold = protocol.DefaultThreshold(o.Members)
	}
	if o.Partials == 0 {
		o.Partials = o.Threshold
	}
	if o.Kind == "" {
		o.Kind = rules.Confidence
	}
	if o.RuleSet == "" {
		o.RuleSet = rules.Default
	}
	if o.Base == "" {
		rs, _ := rules.Get(o.RuleSet)
		o.Base = rs.DefaultBase
	}
	if o.Body == "" {
		o.Body = roster.BodyQuocHoi
	}
	if o.Lists == 0 {
		o.Lists = 2
	}
	if o.Delegates == 0 {
		o.Delegates = o.Ballots + o.Spares + o.PaperValid + o.PaperInvalid + o.Absent + 3
	}
	return o
}

var surnames = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"}
var given = []string{"Văn An", "Thị Bình", "Minh Châu", "Quốc Dũng", "Thu Hà", "Đức Huy", "Ngọc Lan", "Hữu Phước", "Thanh Tâm", "Xuân Trường", "Bảo Ngọc", "Gia Khánh"}
var titles = []string{"Bộ trưởng Bộ Tài chính", "Phó Thủ tướng Chính phủ", "Chánh án Tòa án nhân dân tối cao", "Chủ nhiệm Ủy ban Pháp luật & Tư pháp", "Tổng Kiểm toán <Nhà nước>"}
var categories = []roster.Category{"bo_truong", "pho_thu_tuong", "chanh_an_tandtc", "chu_nhiem_uy_ban_quoc_hoi", "tong_kiem_toan"}

func name(r *mrand.Rand) string {
	return surnames[r.IntN(len(surnames))] + " " + given[r.IntN(len(given))]
}

// Generate runs a whole vote and returns it with its record.
func Generate(o Options) (*Vote, error) {
	o = o.withDefaults()
	pick := mrand.New(mrand.NewPCG(seed64(o.Seed, "choices"), 1))
	voteID := uuidOf(o.Seed, "vote")
	councilID := uuidOf(o.Seed, "council")
	rs, ok := rules.Get(o.RuleSet)
	if !ok {
		return nil, fmt.Errorf("recordtest: unknown rule set %q", o.RuleSet)
	}

	// Subjects, in ballot order.
	subjects := make([]tally.Subject, o.Subjects)
	for i := range subjects {
		c := pick.IntN(len(titles))
		subjects[i] = tally.Subject{OfficialID: uuidOf(o.Seed, fmt.Sprintf("official-%d", i)), FullName: name(pick),
			Positions: []roster.Position{{Category: categories[c], Title: titles[c], ElectedOn: civil.MustParse("2021-07-2" + fmt.Sprint(pick.IntN(9)+1))}}}
	}
	if o.Resigned > 0 {
		for _, i := range pick.Perm(o.Subjects)[:min(o.Resigned, o.Subjects)] {
			subjects[i].Resigned = true
		}
	}
	levels := o.Kind.Levels()

	// The board.
	board := make([]record.BoardMember, o.Members)
	users := make([]string, o.Members)
	for i := range board {
		users[i] = uuidOf(o.Seed, fmt.Sprintf("member-%d", i))
		role := "member"
		switch i {
		case 0:
			role = "head"
		case 1:
			role = "secretary"
		}
		board[i] = record.BoardMember{UserID: users[i], FullName: name(pick), Role: role}
	}

	v := &Vote{Options: o, Documents: map[string][]byte{}, Credentials: map[[32]byte]ed25519.PrivateKey{}}
	rec := &record.Record{Format: record.Format, Version: record.Version, Board: board,
		Vote: record.Vote{VoteID: voteID, CouncilID: councilID, CouncilName: "Quốc hội khóa XV", Session: "Kỳ họp thứ 6",
			Title: "Lấy phiếu tín nhiệm đối với người giữ chức vụ do Quốc hội bầu hoặc phê chuẩn", Kind: string(o.Kind),
			VoteDate: "2023-10-25", RuleSetID: rs.ID, RuleSetName: rs.Name, Base: string(o.Base),
			BaseDecision: "Nghị quyết số 12/NQ-QH ngày 24/10/2023: tỷ lệ tính trên tổng số đại biểu"},
		Rules: fill.Rules(rs, o.Kind, o.Body, o.Base)}
	if o.Kind == rules.NoConfidence {
		rec.Vote.Title = "Bỏ phiếu tín nhiệm"
	}
	rec.Vote.Subjects = make([]record.Subject, o.Subjects)
	for i, s := range subjects {
		pos, _ := json.Marshal(s.Positions)
		rec.Vote.Subjects[i] = record.Subject{OfficialID: s.OfficialID, FullName: s.FullName, Positions: pos}
	}

	// Every ballot's choices: -1 blank, else a level index.
	choose := func() []int {
		ch := make([]int, o.Subjects)
		for i := range ch {
			switch {
			case pick.IntN(100) < o.BlankRate:
				ch[i] = -1
			case o.ChoiceBias > 0 && pick.IntN(o.ChoiceBias+1) > 0:
				ch[i] = slices.Index(levels, o.Kind.Decisive()) // skew towards the decisive level
				if pick.IntN(3) == 0 {
					ch[i] = pick.IntN(len(levels))
				}
			default:
				ch[i] = pick.IntN(len(levels))
			}
		}
		return ch
	}
	choices := make([][]int, o.Ballots)
	for i := range choices {
		choices[i] = choose()
	}
	paper := make([][]int, o.PaperValid)
	for i := range paper {
		paper[i] = choose()
	}
	counts := make([][]int64, o.Subjects)
	for i := range counts {
		counts[i] = make([]int64, len(levels))
	}
	for _, ch := range append(slices.Clone(choices), paper...) {
		for i, c := range ch {
			if c >= 0 {
				counts[i][c]++
			}
		}
	}

	received := int64(o.Ballots + o.PaperValid + o.PaperInvalid)
	rec.Figures = record.Figures{TotalDelegates: int64(o.Delegates), BallotsIssued: received + int64(o.Absent),
		BallotsCast: int64(o.Ballots), CodesVoided: int64(pick.IntN(3)), BallotsReceived: received}
	if o.PaperValid+o.PaperInvalid > 0 {
		rec.Figures.Paper = &record.Paper{Received: int64(o.PaperValid + o.PaperInvalid), Valid: int64(o.PaperValid), Invalid: int64(o.PaperInvalid)}
	}
	rec.Counts = counts
	anchorHash := sha256.Sum256([]byte(o.Seed + "/anchor"))
	anchorCount := uint64(40 + pick.IntN(100))
	rec.AuditAnchor = fmt.Sprintf("%s:%d", hex.EncodeToString(anchorHash[:]), anchorCount)
	fe := sha256.Sum256([]byte(o.Seed + "/frontend"))
	rec.FrontendHash = hex.EncodeToString(fe[:])

	if o.Plain {
		return v.finishPlain(rec, subjects, choices, paper, pick)
	}
	rec.Mode = record.ModeEncrypted
	if err := v.encrypted(rec, o, users, choices, paper, counts, pick); err != nil {
		return nil, err
	}
	if err := v.finishTally(rec, subjects, counts, nil); err != nil {
		return nil, err
	}
	// Certifications by every member, over the tally, the base and the anchor.
	th, _ := hex.DecodeString(rec.TallyHash)
	for _, k := range v.Keys {
		c := protocol.Certify(k, voteID, [32]byte(th), string(o.Base), anchorHash, anchorCount)
		raw, _ := c.MarshalJSON()
		rec.Encrypted.Certifications = append(rec.Encrypted.Certifications, raw)
	}
	v.documents(rec)
	v.Record = rec
	return v, nil
}

func (v *Vote) encrypted(rec *record.Record, o Options, users []string, choices, paper [][]int, counts [][]int64, pick *mrand.Rand) error {
	voteID := rec.Vote.VoteID
	cer := &protocol.Ceremony{ID: uuidOf(o.Seed, "ceremony"), CouncilID: rec.Vote.CouncilID, VoteID: voteID, Threshold: o.Threshold, Members: users}
	r := newRNG(o.Seed, "ceremony")
	var members []*protocol.Member
	var r1s []*protocol.Round1
	for _, u := range users {
		m, r1, err := protocol.NewMember(r, cer, u)
		if err != nil {
			return err
		}
		members, r1s = append(members, m), append(r1s, r1)
	}
	var r2s []*protocol.Round2
	for _, m := range members {
		r2, err := m.Round2(r, r1s)
		if err != nil {
			return err
		}
		r2s = append(r2s, r2)
	}
	var confs []json.RawMessage
	keys := map[protocol.Identifier]*protocol.ShareKey{}
	for _, m := range members {
		var others []*protocol.Round2
		for _, x := range r2s {
			if x.Identifier != m.Identifier() {
				others = append(others, x)
			}
		}
		res, err := m.Round3(others)
		if err != nil {
			return err
		}
		if res.Complaint != nil {
			return fmt.Errorf("recordtest: a complaint in the ceremony")
		}
		raw, _ := res.Confirmation.MarshalJSON()
		confs = append(confs, raw)
		keys[res.Key.Identifier] = res.Key
	}
	sorted, err := protocol.VerifyRound1(cer, r1s, false)
	if err != nil {
		return err
	}
	res, err := protocol.ComputeResult(cer, sorted)
	if err != nil {
		return err
	}
	for _, mk := range res.Members {
		v.Keys = append(v.Keys, keys[mk.Identifier])
	}
	for i := range rec.Board {
		id, _ := protocol.DeriveIdentifier(rec.Board[i].UserID)
		rec.Board[i].Identifier = id.Hex()
	}
	e := &record.Encrypted{Ceremony: record.Ceremony{CeremonyID: cer.ID, CouncilID: cer.CouncilID, VoteID: cer.VoteID, Threshold: cer.Threshold,
		Members: users, Confirmations: confs, JointKey: res.GroupKey.Hex(), Transcript: hex.EncodeToString(res.Transcript[:]), Fingerprint: res.Fingerprint()}}
	for _, r1 := range r1s {
		raw, _ := r1.MarshalJSON()
		e.Ceremony.Round1 = append(e.Ceremony.Round1, raw)
	}

	// The manifest: radix = the credential limit + 1.
	ids := make([]string, len(rec.Vote.Subjects))
	for i, s := range rec.Vote.Subjects {
		ids[i] = s.OfficialID
	}
	m := &protocol.Manifest{VoteID: voteID, PublicKey: res.GroupKey, Levels: len(rec.Rules.Levels), Radix: uint64(o.Delegates) + 1,
		Rows: len(ids), SubjectsHash: protocol.SubjectsHash(ids)}
	if err := m.Validate(); err != nil {
		return err
	}
	v.Manifest = m
	e.Manifest, _ = m.MarshalJSON()
	mh := m.Hash()
	e.ManifestHash = hex.EncodeToString(mh[:])
	e.VoteFingerprint = m.Fingerprint()

	// Credentials: one per ballot, the spares, and one per spoiled ballot's delegate (who then casts
	// with the same code: here, a spare is used for the spoiled ballots).
	cr := newRNG(o.Seed, "credentials")
	ncred := o.Ballots + o.Spares
	pubs := make([][32]byte, ncred)
	for i := range pubs {
		code, err := protocol.NewCode(cr)
		if err != nil {
			return err
		}
		priv, pub, err := protocol.Credential(code)
		if err != nil {
			return err
		}
		pubs[i] = pub
		v.Credentials[pub] = priv
	}
	v.Spare = pubs[o.Ballots:]
	per := (ncred + o.Lists - 1) / o.Lists
	for l := 0; l < o.Lists && l*per < ncred; l++ {
		k := v.Keys[l%len(v.Keys)]
		list := protocol.NewCredentialList(voteID, pubs[l*per:min((l+1)*per, ncred)], k.Identifier, k.Signer())
		raw, _ := list.MarshalJSON()
		e.CredentialLists = append(e.CredentialLists, raw)
	}

	// Ballots, encrypted in parallel, each from its own deterministic stream.
	ballots := make([]*protocol.Ballot, o.Ballots)
	errs := make([]error, o.Ballots)
	var wg sync.WaitGroup
	next := make(chan int, o.Ballots)
	for i := range ballots {
		next <- i
	}
	close(next)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				ballots[i], _, errs[i] = protocol.EncryptBallot(newRNG(o.Seed, "ballot", fmt.Sprint(i)), m, v.Credentials[pubs[i]], choices[i])
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	for _, b := range ballots {
		raw, _ := b.MarshalJSON()
		h := b.Hash()
		e.Ballots = append(e.Ballots, record.CastBallot{BallotHash: hex.EncodeToString(h[:]), Ballot: raw})
	}
	for i := 0; i < o.Spoiled; i++ { // a delegate audits the kiosk, then casts with the same credential
		ch := make([]int, len(ids))
		for j := range ch {
			ch[j] = pick.IntN(m.Levels)
		}
		b, _, err := protocol.EncryptBallot(newRNG(o.Seed, "spoiled", fmt.Sprint(i)), m, v.Credentials[pubs[i%max(1, o.Ballots)]], ch)
		if err != nil {
			return err
		}
		h := b.Hash()
		e.Spoiled = append(e.Spoiled, hex.EncodeToString(h[:]))
	}

	// The paper totals, encrypted and signed by the head of the board.
	var extra [][]protocol.EncodedCiphertext
	if o.PaperValid > 0 {
		totals := make([][]uint64, len(ids))
		for i := range totals {
			totals[i] = make([]uint64, m.Levels)
		}
		for _, ch := range paper {
			for i, c := range ch {
				if c >= 0 {
					totals[i][c]++
				}
			}
		}
		pt, _, err := protocol.EncryptPaperTotals(newRNG(o.Seed, "paper"), m, v.Keys[0], uint64(o.PaperValid), totals)
		if err != nil {
			return err
		}
		raw, _ := pt.MarshalJSON()
		e.PaperTotals = append(e.PaperTotals, raw)
		extra = append(extra, pt.Ciphertexts())
	}

	// Sums, partial decryptions, and a check that they decrypt to the counts.
	cts := make([][]protocol.EncodedCiphertext, len(ballots))
	for i, b := range ballots {
		cts[i] = b.Ciphertexts()
	}
	sums, err := protocol.Sum(len(ids), cts, extra)
	if err != nil {
		return err
	}
	e.Sums = protocol.SumsJSON(sums)
	sh := protocol.SumsHash(voteID, sums)
	e.SumsHash = hex.EncodeToString(sh[:])
	pr := newRNG(o.Seed, "partials")
	var ps []*protocol.PartialDecryption
	for _, k := range v.Keys[:o.Partials] {
		p, err := protocol.PartialDecrypt(pr, k, voteID, sums)
		if err != nil {
			return err
		}
		ps = append(ps, p)
		raw, _ := p.MarshalJSON()
		e.PartialDecryptions = append(e.PartialDecryptions, raw)
	}
	vs, err := protocol.Combine(res, sums, ps)
	if err != nil {
		return err
	}
	u := make([][]uint64, len(counts))
	for i := range counts {
		for _, c := range counts[i] {
			u[i] = append(u[i], uint64(c))
		}
	}
	if err := protocol.CheckCounts(m.Levels, m.Radix, uint64(o.Ballots+o.PaperValid), vs, u); err != nil {
		return fmt.Errorf("recordtest: the decryption does not give the counts: %w", err)
	}
	rec.Encrypted = e
	return nil
}

// finishTally makes the server's tally (tally.Counter, as internal/store counts) and puts it in the
// record with its hash. marks are the plain ballots (nil for an encrypted vote, whose counts are
// given).
func (v *Vote) finishTally(rec *record.Record, subjects []tally.Subject, counts [][]int64, marks []string) error {
	o := v.Options
	rs, _ := rules.Get(o.RuleSet)
	c := tally.NewCounter(tally.Input{Kind: o.Kind, RuleSet: rs, Base: o.Base, TotalDelegates: o.Delegates,
		BallotsIssued: int(rec.Figures.BallotsIssued), Subjects: subjects, Body: o.Body})
	if marks != nil {
		for _, m := range marks {
			c.Add(m, true)
		}
	} else {
		ic := make([][]int, len(counts))
		for i := range counts {
			for _, x := range counts[i] {
				ic[i] = append(ic[i], int(x))
			}
		}
		c.AddCounts(o.Ballots+o.PaperValid, ic)
	}
	for i := 0; i < o.PaperInvalid; i++ {
		c.Add("", false)
	}
	res, err := c.Result()
	if err != nil {
		return err
	}
	v.Tally = res
	rec.Tally, _ = json.Marshal(res)
	rec.TallyHash = res.TallyHash
	return nil
}

func (v *Vote) finishPlain(rec *record.Record, subjects []tally.Subject, choices, paper [][]int, pick *mrand.Rand) (*Vote, error) {
	o := v.Options
	rec.Mode = record.ModePlain
	levels := o.Kind.Levels()
	letter := map[rules.Level]byte{rules.High: 'h', rules.Medium: 'm', rules.Low: 'l', rules.Trust: 't', rules.NoTrust: 'n'}
	var marks []string
	for _, ch := range append(slices.Clone(choices), paper...) {
		b := make([]byte, len(ch))
		for i, c := range ch {
			switch {
			case c >= 0:
				b[i] = letter[levels[c]]
			case pick.IntN(2) == 0:
				b[i] = 'x'
			default:
				b[i] = '0'
			}
		}
		marks = append(marks, string(b))
	}
	if err := v.finishTally(rec, subjects, nil, marks); err != nil {
		return nil, err
	}
	rec.Counts = fill.Counts(v.Tally)
	certified := []string{}
	for _, m := range rec.Board[:len(rec.Board)/2+1] {
		certified = append(certified, m.UserID)
	}
	rec.Plain = &record.Plain{Ballots: marks, Invalid: int64(o.PaperInvalid), CertifiedBy: certified}
	if rec.Figures.Paper != nil { // as the server writes it: the split between the kinds stays with the board
		rec.Plain.Ballots, rec.Plain.BallotsWithheld = []string{}, true
	}
	v.documents(rec)
	v.Record = rec
	return v, nil
}

// documents adds the published documents (stand-ins for the minutes and the resolution).
func (v *Vote) documents(rec *record.Record) {
	for _, n := range []string{"bien-ban-kiem-phieu.pdf", "nghi-quyet.pdf", "nghi-quyet.docx"} {
		data := []byte(fmt.Sprintf("%%PDF-1.7 stand-in for %s of vote %s, tally %s\n", n, rec.Vote.VoteID, rec.TallyHash))
		sum := sha256.Sum256(data)
		v.Documents[n] = data
		rec.Documents = append(rec.Documents, record.Document{Name: n, SHA256: hex.EncodeToString(sum[:])})
	}
}

func seed64(parts ...string) uint64 {
	h := sha256.Sum256([]byte(strings.Join(parts, "/")))
	return binary.BigEndian.Uint64(h[:8])
}

// uuidOf is a deterministic lowercase UUID-shaped id.
func uuidOf(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "/")))
	x := hex.EncodeToString(h[:16])
	return x[:8] + "-" + x[8:12] + "-4" + x[13:16] + "-a" + x[17:20] + "-" + x[20:32]
}

package store

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"sync"

	"gorm.io/gorm"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/protocol"
	"tinnhiem/internal/vote"
)

// The encrypted ballot box (docs/PROTOCOL.md §7, §8): the board's browser registers the public
// credentials of the slips it printed; a kiosk encrypts, proves and signs; the server verifies the
// ballot before taking any lock, then spends the credential and stores the ballot in the vote's live
// tables, sealed at the close like every ballot-side table.

// RegisterCredentials takes a credential list signed by a member of the vote's key ceremony: the
// public credentials of the slips the board's browser printed (the codes never reach the server). The
// total stays within T plus the spares.
func (s *Store) RegisterCredentials(ctx context.Context, p auth.Principal, id string, msg vote.Message) (vote.Vote, error) {
	return s.actVote(ctx, p, id, vote.ActCredentials, func(tx *gorm.DB, v vote.Vote, row voteRow) error {
		l, err := protocol.ParseCredentialList(msg.Raw)
		if err != nil {
			return protocolErr(err)
		}
		if l.VoteID != id {
			return apperr.InvalidFields(apperr.Field("vote_id", "protocol_refused", "detail", "another vote"))
		}
		c, err := s.loadCeremony(tx, v.CeremonyID, false)
		if err != nil {
			return err
		}
		res, err := c.result()
		if err != nil {
			return protocolErr(err)
		}
		mk, ok := res.Member(l.Identifier)
		if !ok || c.userOf(l.Identifier.Hex()) != p.UserID {
			return apperr.InvalidFields(apperr.Field("identifier", "not_your_identifier"))
		}
		if err := l.Verify(mk.SigningKey); err != nil {
			return protocolErr(err)
		}
		limit, err := s.codeLimit(tx, v, row)
		if err != nil {
			return err
		}
		if row.CodesGenerated+len(l.Credentials) > limit {
			return apperr.New(apperr.Conflict, "code_limit").With("spares", s.codeSpares).With("remaining", max(0, limit-row.CodesGenerated))
		}
		rows := make([]map[string]any, len(l.Credentials))
		for i, cred := range l.Credentials {
			rows[i] = map[string]any{"vote_id": id, "credential": hex.EncodeToString(cred[:])}
		}
		if err := tx.Table("vote_credentials").CreateInBatches(rows, 500).Error; err != nil {
			if isUnique(err) {
				return apperr.New(apperr.Conflict, "credential_registered")
			}
			return err
		}
		if err := tx.Exec("INSERT INTO credential_lists (id, vote_id, message, created_by, created_at) VALUES (?, ?, ?, ?, ?)",
			newID(), id, string(msg.Raw), p.UserID, s.clock()).Error; err != nil {
			return err
		}
		if err := setVote(tx, id, map[string]any{"codes_generated": row.CodesGenerated + len(l.Credentials)}); err != nil {
			return err
		}
		return s.auditVote(tx, p, v, "vote.credentials", map[string]any{"count": len(l.Credentials),
			"list_fingerprint": protocol.Fingerprint80(l.Hash()), "credentials": row.CodesGenerated + len(l.Credentials)})
	})
}

// codeLimit is how many codes or credentials a vote may have: fixed at the opening, T (as the roster
// stands on the vote date) plus the spares before it.
func (s *Store) codeLimit(tx *gorm.DB, v vote.Vote, row voteRow) (int, error) {
	if row.CodeLimit != nil {
		return *row.CodeLimit, nil
	}
	total, err := countInOffice(tx, v.CouncilID, v.VoteDate)
	return total + s.codeSpares, err
}

// manifestOf builds an encrypted vote's manifest at its opening: the board's joint key, the vote's
// levels, the radix (the credential limit + 1: no count can reach it) and the subjects in ballot order.
func manifestOf(v vote.Vote, groupKey string, limit int) (*protocol.Manifest, error) {
	y, err := protocol.ParsePointHex("public_key", groupKey, false)
	if err != nil {
		return nil, err
	}
	ids := v.SubjectIDs()
	m := &protocol.Manifest{VoteID: v.ID, PublicKey: y, Levels: len(v.Kind.Levels()), Radix: uint64(limit) + 1, Rows: len(ids),
		SubjectsHash: protocol.SubjectsHash(ids)}
	return m, m.Validate()
}

// manifests caches the parsed manifests of open encrypted votes (fixed at the opening).
var manifests sync.Map // vote id -> *protocol.Manifest

func (s *Store) manifest(tx *gorm.DB, voteID string) (*protocol.Manifest, string, error) {
	var row voteRow
	if err := tx.Select("id, status, manifest").Where("id = ?", voteID).Take(&row).Error; err != nil {
		return nil, "", notFound(err, "vote_not_found")
	}
	if row.Manifest == nil {
		return nil, row.Status, apperr.New(apperr.Conflict, "vote_not_open")
	}
	if m, ok := manifests.Load(voteID); ok {
		return m.(*protocol.Manifest), row.Status, nil
	}
	m, err := protocol.ParseManifest([]byte(*row.Manifest))
	if err != nil {
		return nil, row.Status, err
	}
	manifests.Store(voteID, m)
	return m, row.Status, nil
}

// LookupCredential returns the ballot a public credential of an open vote opens, unspent: the kiosk
// derived the credential from the code on the slip (the code never reaches the server).
func (s *Store) LookupCredential(ctx context.Context, credential string) (vote.EncryptedBallot, error) {
	cred, err := parseCredential(credential)
	if err != nil {
		return vote.EncryptedBallot{}, err
	}
	var out vote.EncryptedBallot
	err = s.transact(ctx, func(tx *gorm.DB) error {
		var voteIDs []string
		if err := tx.Table("vote_credentials").Where("credential = ?", cred).Limit(1).Pluck("vote_id", &voteIDs).Error; err != nil {
			return err
		}
		if len(voteIDs) == 0 {
			return apperr.New(apperr.NotFound, "code_unknown")
		}
		v, _, err := s.loadVote(tx, voteIDs[0], false)
		if err != nil {
			return err
		}
		if s.dialect == Postgres { // the close, which drops the live tables, waits for this read
			if err := tx.Exec("SELECT 1 FROM votes WHERE id = ? FOR SHARE", v.ID).Error; err != nil {
				return err
			}
		}
		if v.Status != vote.Open {
			return apperr.New(apperr.Conflict, "vote_not_open")
		}
		var spent int64
		if err := tx.Table(liveTable("live_eballots_", v.ID)).Where("credential = ?", cred).Count(&spent).Error; err != nil {
			return err
		}
		if spent > 0 {
			return apperr.New(apperr.Conflict, "code_spent")
		}
		if v.Turnout.BallotsCast >= v.Turnout.BallotsIssued {
			return apperr.New(apperr.Conflict, "no_ballot_issued")
		}
		var council councilRow
		if err := tx.Where("id = ?", v.CouncilID).Take(&council).Error; err != nil {
			return err
		}
		out = vote.EncryptedBallot{Ballot: vote.BallotOf(v, council.Name)}
		if v.Encryption != nil {
			out.Manifest, out.Fingerprint = v.Encryption.Manifest, v.Encryption.Fingerprint
		}
		return nil
	})
	return out, err
}

func parseCredential(s string) (string, error) {
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 32 || strings.ToLower(s) != s {
		return "", apperr.InvalidFields(apperr.Field("credential", "credential_malformed"))
	}
	return s, nil
}

// CastEncrypted takes an encrypted ballot (docs/PROTOCOL.md §8.8): its structure, vote and manifest,
// every point, the signature and every proof are checked before any lock (a bad ballot is refused
// naming its field, and its credential stays unspent); then the ballot joins its vote's next commit
// batch (groupcommit.go): one transaction that locks the vote row first, in which each ballot's
// credential must be registered and unspent and none of its ciphertexts may repeat one already cast
// (or cast earlier in the batch); a ballot refused there fails alone, never its batch. The identical
// ballot sent again (a kiosk's retry) gets the first answer.
//
// Each ballot is verified on arrival, by the request's own goroutine, so the cores verify in parallel
// while the previous batch commits. Verifying a commit batch's ballots together in one multi-scalar
// multiplication (§8.9) was measured no cheaper per ballot than one by one (9.3 against 8.6 ms of
// one core for 50 rows: the library's multi-scalar multiplication costs the same per point at any
// size), and would make every ballot of a batch wait for the slowest check.
func (s *Store) CastEncrypted(ctx context.Context, raw []byte) (vote.EncryptedReceipt, error) {
	b, err := protocol.ParseBallot(raw)
	if err != nil {
		return vote.EncryptedReceipt{}, protocolErr(err)
	}
	db := s.db.WithContext(ctx)
	m, status, err := s.manifest(db, b.VoteID)
	if err != nil {
		if apperr.IsKind(err, apperr.NotFound) {
			return vote.EncryptedReceipt{}, apperr.InvalidFields(apperr.Field("vote_id", "protocol_refused", "detail", "no such vote"))
		}
		return vote.EncryptedReceipt{}, dbErr(err)
	}
	if status != string(vote.Open) {
		return vote.EncryptedReceipt{}, apperr.New(apperr.Conflict, "vote_not_open")
	}
	if err := protocol.VerifyBallots(m, []*protocol.Ballot{b}); err != nil {
		return vote.EncryptedReceipt{}, protocolErr(err)
	}
	h := b.Hash()
	hashHex := hex.EncodeToString(h[:])
	job := &ecastJob{ctx: ctx, raw: string(raw), hash: hashHex, cred: hex.EncodeToString(b.Credential[:]),
		out: vote.EncryptedReceipt{VoteID: b.VoteID, TrackingCode: protocol.TrackingCode(h), BallotHash: hashHex, ReceiptQR: protocol.ReceiptQR(h)}}
	var cts strings.Builder
	for _, c := range b.Ciphertexts() {
		alpha := hex.EncodeToString(c.Alpha[:])
		job.alphas = append(job.alphas, alpha)
		cts.WriteString(alpha)
		cts.WriteString(hex.EncodeToString(c.Beta[:]))
	}
	job.cts = cts.String()
	if err := s.casts.sealed.do(ctx, b.VoteID, job, maxEncryptedBatch, s.commitEncrypted); err != nil {
		return vote.EncryptedReceipt{}, err
	}
	if job.err != nil {
		return vote.EncryptedReceipt{}, job.err
	}
	return job.out, nil
}

// maxEncryptedBatch is the most encrypted ballots one transaction writes (a 50-row ballot is 6.5 kB
// of JSON and 50 ciphertexts).
const maxEncryptedBatch = 64

// ecastJob is one verified encrypted ballot in a commit batch, and its outcome.
type ecastJob struct {
	ctx    context.Context
	raw    string   // the ballot as sent
	hash   string   // its hash, hex
	cred   string   // its credential, hex
	alphas []string // the first component of each row's ciphertext, hex
	cts    string   // every ciphertext, hex, in row order

	out vote.EncryptedReceipt
	err error
}

func (j *ecastJob) context() context.Context { return j.ctx }
func (j *ecastJob) fail(err error)           { j.err = err }

// commitEncrypted writes one batch of a vote's encrypted ballots in one transaction and sets each
// ballot's outcome.
func (s *Store) commitEncrypted(ctx context.Context, voteID string, jobs []*ecastJob) {
	for attempt := 0; ; attempt++ {
		err := s.transact(ctx, func(tx *gorm.DB) error { return s.encryptedBatch(tx, voteID, jobs) })
		if errors.Is(err, errRetrySpend) && attempt < 3 {
			continue
		}
		if err != nil {
			for _, j := range jobs {
				j.err = err
			}
		}
		return
	}
}

// encryptedBatch is the transaction of commitEncrypted: the vote's row locked first; then, ballot by
// ballot in arrival order, §8.8 steps 9 and 10 against what is stored and what this batch takes; the
// accepted ballots and their alphas written sorted (no order of arrival), the counter moved once.
func (s *Store) encryptedBatch(tx *gorm.DB, voteID string, jobs []*ecastJob) error {
	for _, j := range jobs {
		j.out.Replay, j.err = false, nil
	}
	room, open, err := s.lockForCasting(tx, voteID)
	if err != nil {
		return err
	}
	if !open {
		notOpen(jobs)
		return nil
	}
	creds := make([]string, len(jobs))
	var alphas []string
	for i, j := range jobs {
		creds[i] = j.cred
		alphas = append(alphas, j.alphas...)
	}
	var registered []string
	if err := tx.Table("vote_credentials").Where("vote_id = ? AND credential IN ?", voteID, creds).Pluck("credential", &registered).Error; err != nil {
		return err
	}
	isRegistered := make(map[string]bool, len(registered))
	for _, c := range registered {
		isRegistered[c] = true
	}
	var spent []struct{ Credential, BallotHash string }
	if err := tx.Table(liveTable("live_eballots_", voteID)).Select("credential, ballot_hash").Where("credential IN ?", creds).Find(&spent).Error; err != nil {
		return err
	}
	castAs := make(map[string]string, len(spent)) // credential -> the hash of the ballot it cast
	for _, c := range spent {
		castAs[c.Credential] = c.BallotHash
	}
	hashes := make([]string, len(jobs))
	for i, j := range jobs {
		hashes[i] = j.hash
	}
	var challenged []string
	if err := tx.Table(liveTable("live_spoiled_", voteID)).Where("tracking_hash IN ?", hashes).Pluck("tracking_hash", &challenged).Error; err != nil {
		return err
	}
	spoiled := make(map[string]bool, len(challenged))
	for _, h := range challenged {
		spoiled[h] = true
	}
	usedAlpha := map[string]bool{}
	for from := 0; from < len(alphas); from += 1000 {
		var found []string
		if err := tx.Table(liveTable("live_alphas_", voteID)).Where("alpha IN ?", alphas[from:min(from+1000, len(alphas))]).Pluck("alpha", &found).Error; err != nil {
			return err
		}
		for _, a := range found {
			usedAlpha[a] = true
		}
	}
	var cast []*ecastJob
	for _, j := range jobs {
		if !isRegistered[j.cred] {
			j.err = apperr.New(apperr.Forbidden, "credential_unknown")
			continue
		}
		if h, ok := castAs[j.cred]; ok {
			if h == j.hash {
				j.out.Replay = true // the same answer as the first time
			} else {
				j.err = apperr.New(apperr.Conflict, "code_spent")
			}
			continue
		}
		if spoiled[j.hash] {
			// Its randomness was shown to the delegate (the challenge): it can prove what it holds.
			j.err = apperr.New(apperr.Conflict, "ballot_spoiled")
			continue
		}
		if room <= 0 {
			j.err = apperr.New(apperr.Conflict, "no_ballot_issued")
			continue
		}
		replayed := false
		for _, a := range j.alphas {
			replayed = replayed || usedAlpha[a]
		}
		if replayed {
			j.err = apperr.New(apperr.Conflict, "ciphertext_replayed")
			continue
		}
		for _, a := range j.alphas {
			usedAlpha[a] = true
		}
		castAs[j.cred] = j.hash
		room--
		cast = append(cast, j)
	}
	if len(cast) == 0 {
		return nil
	}
	var newAlphas []string
	for _, j := range cast {
		newAlphas = append(newAlphas, j.alphas...)
	}
	sort.Strings(newAlphas)
	for from := 0; from < len(newAlphas); from += 1000 {
		part := newAlphas[from:min(from+1000, len(newAlphas))]
		rows := make([]map[string]any, len(part))
		for i, a := range part {
			rows[i] = map[string]any{"alpha": a}
		}
		if err := tx.Table(liveTable("live_alphas_", voteID)).Create(rows).Error; err != nil {
			if isUnique(err) {
				return errRetrySpend // checked under the lock above: cannot happen; look again
			}
			return err
		}
	}
	sort.Slice(cast, func(a, b int) bool { return cast[a].hash < cast[b].hash })
	var q strings.Builder
	args := make([]any, 0, 4*len(cast))
	q.WriteString("INSERT INTO " + liveTable("live_eballots_", voteID) + " (ballot_hash, credential, body, ciphertexts) VALUES ")
	for i, j := range cast {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(?, ?, ?, ?)")
		args = append(args, j.hash, j.cred, j.raw, j.cts)
	}
	if err := tx.Exec(q.String(), args...).Error; err != nil {
		if isUnique(err) {
			return errRetrySpend
		}
		return err
	}
	return addCast(tx, voteID, len(cast))
}

// sumsOf adds up a closed encrypted vote's sealed ballots row by row, with any extra ciphertexts (the
// board's paper totals, §13) (§11.1).
func sumsOf(tx *gorm.DB, voteID string, rows int, extra ...[]protocol.EncodedCiphertext) ([]protocol.Ciphertext, int, error) {
	var bodies []string
	if err := tx.Table("encrypted_ballots").Where("vote_id = ?", voteID).Order("ballot_hash").Pluck("ciphertexts", &bodies).Error; err != nil {
		return nil, 0, err
	}
	ballots := make([][]protocol.EncodedCiphertext, len(bodies))
	for i, body := range bodies {
		raw, err := hex.DecodeString(body)
		if err != nil || len(raw) != 64*rows {
			return nil, 0, errString("a sealed ballot's ciphertexts are not what the application wrote")
		}
		cts := make([]protocol.EncodedCiphertext, rows)
		for r := range cts {
			copy(cts[r].Alpha[:], raw[64*r:64*r+32])
			copy(cts[r].Beta[:], raw[64*r+32:64*r+64])
		}
		ballots[i] = cts
	}
	sums, err := protocol.Sum(rows, ballots, extra)
	return sums, len(bodies), err
}

// loadEncryption fills an encrypted vote's public cryptographic state.
func (s *Store) loadEncryption(tx *gorm.DB, v *vote.Vote, row voteRow) error {
	e := &vote.Encryption{Partials: []string{}, CredentialLists: []string{}, Decrypted: row.Counts != nil}
	if row.Manifest != nil {
		e.Manifest = json.RawMessage(*row.Manifest)
		if m, err := protocol.ParseManifest([]byte(*row.Manifest)); err == nil {
			e.Fingerprint = m.Fingerprint()
		}
	}
	if row.Sums != nil {
		e.Sums = json.RawMessage(*row.Sums)
	}
	var n int64
	if err := tx.Table("vote_credentials").Where("vote_id = ?", v.ID).Count(&n).Error; err != nil {
		return err
	}
	e.Credentials = int(n)
	var lists []string
	if err := tx.Table("credential_lists").Where("vote_id = ?", v.ID).Order("created_at").Pluck("message", &lists).Error; err != nil {
		return err
	}
	for _, raw := range lists {
		if l, err := protocol.ParseCredentialList([]byte(raw)); err == nil {
			e.CredentialLists = append(e.CredentialLists, protocol.Fingerprint80(l.Hash()))
		}
	}
	if err := tx.Table("partial_decryptions").Where("vote_id = ?", v.ID).Order("submitted_at").Pluck("user_id", &e.Partials).Error; err != nil {
		return err
	}
	if v.CeremonyID != "" {
		c, err := s.loadCeremony(tx, v.CeremonyID, false)
		if err != nil {
			return err
		}
		e.CeremonyStatus, e.CeremonyReady, e.Threshold, e.SharesAvailable = c.row.Status, c.ready(), c.row.Threshold, c.available()
	}
	v.Encryption = e
	return nil
}

// SpoilEncrypted records a ballot challenged at the kiosk (the Benaloh challenge, docs/PROTOCOL.md
// §9): the kiosk sends the spoiled ballot before it shows the delegate its randomness; the server
// checks that it is a genuine ballot of this vote under a registered, unspent credential and keeps
// only its tracking code, in the vote's live table (sealed, sorted, at the close): never counted,
// listed in the record. The same ballot sent again is the same answer.
func (s *Store) SpoilEncrypted(ctx context.Context, raw []byte) (vote.EncryptedReceipt, error) {
	b, err := protocol.ParseBallot(raw)
	if err != nil {
		return vote.EncryptedReceipt{}, protocolErr(err)
	}
	m, status, err := s.manifest(s.db.WithContext(ctx), b.VoteID)
	if err != nil {
		if apperr.IsKind(err, apperr.NotFound) {
			return vote.EncryptedReceipt{}, apperr.InvalidFields(apperr.Field("vote_id", "protocol_refused", "detail", "no such vote"))
		}
		return vote.EncryptedReceipt{}, dbErr(err)
	}
	if status != string(vote.Open) {
		return vote.EncryptedReceipt{}, apperr.New(apperr.Conflict, "vote_not_open")
	}
	if err := protocol.VerifyBallots(m, []*protocol.Ballot{b}); err != nil {
		return vote.EncryptedReceipt{}, protocolErr(err)
	}
	h := b.Hash()
	hashHex := hex.EncodeToString(h[:])
	out := vote.EncryptedReceipt{VoteID: b.VoteID, TrackingCode: protocol.TrackingCode(h), BallotHash: hashHex, ReceiptQR: protocol.ReceiptQR(h), Spoiled: true}
	cred := hex.EncodeToString(b.Credential[:])
	err = s.transact(ctx, func(tx *gorm.DB) error {
		var row voteRow
		if err := tx.Raw("SELECT status FROM votes WHERE id = ?"+s.forUpdate(), b.VoteID).Scan(&row).Error; err != nil {
			return err
		}
		if row.Status != string(vote.Open) {
			return apperr.New(apperr.Conflict, "vote_not_open")
		}
		var registered int64
		if err := tx.Table("vote_credentials").Where("vote_id = ? AND credential = ?", b.VoteID, cred).Count(&registered).Error; err != nil {
			return err
		}
		if registered == 0 {
			return apperr.New(apperr.Forbidden, "credential_unknown")
		}
		var cast int64
		if err := tx.Table(liveTable("live_eballots_", b.VoteID)).Where("credential = ?", cred).Count(&cast).Error; err != nil {
			return err
		}
		if cast > 0 {
			return apperr.New(apperr.Conflict, "code_spent")
		}
		return tx.Exec("INSERT INTO "+liveTable("live_spoiled_", b.VoteID)+" (tracking_hash) VALUES (?) ON CONFLICT (tracking_hash) DO NOTHING", hashHex).Error
	})
	return out, err
}

// LookupTracking answers whether a tracking code is recorded for an encrypted vote: cast (counted)
// or challenged at the kiosk (spoiled). Only for the code asked about — by its 80-bit fingerprint,
// which nobody can guess — so nothing here shows ballots arriving; after the close the record lists
// them all.
func (s *Store) LookupTracking(ctx context.Context, in vote.TrackingInput) (vote.TrackingAnswer, error) {
	prefix, ok := protocol.TrackingPrefix(in.TrackingCode)
	if !ok {
		return vote.TrackingAnswer{}, apperr.InvalidFields(apperr.Field("tracking_code", "tracking_code_malformed"))
	}
	out, err := s.lookupTracking(ctx, in.VoteID, prefix)
	if err != nil && out.Status == vote.Open { // closed meanwhile: its live tables are gone; ask the sealed ones
		out, err = s.lookupTracking(ctx, in.VoteID, prefix)
	}
	return out, err
}

func (s *Store) lookupTracking(ctx context.Context, voteID string, prefix []byte) (vote.TrackingAnswer, error) {
	in := vote.TrackingInput{VoteID: voteID}
	db := s.db.WithContext(ctx)
	var row voteRow
	if err := db.Raw("SELECT id, status, ballot_mode FROM votes WHERE id = ?", in.VoteID).Scan(&row).Error; err != nil {
		return vote.TrackingAnswer{}, dbErr(err)
	}
	if row.ID == "" || row.BallotMode != vote.ModeEncrypted || row.Status == string(vote.Draft) || row.Status == string(vote.Cancelled) {
		return vote.TrackingAnswer{}, apperr.New(apperr.NotFound, "vote_not_found")
	}
	var full [64]byte
	copy(full[:], prefix)
	out := vote.TrackingAnswer{VoteID: row.ID, TrackingCode: protocol.TrackingCode(full), Status: vote.Status(row.Status)}
	lo := hex.EncodeToString(prefix)
	hi := lo + "g" // every hash that starts with lo sorts below lo + "g" (hex digits are below "g")
	cast, spoiled := "encrypted_ballots", "spoiled_ballots"
	scope := " AND vote_id = ?"
	args := []any{lo, hi, row.ID}
	if row.Status == string(vote.Open) {
		cast, spoiled, scope, args = liveTable("live_eballots_", row.ID), liveTable("live_spoiled_", row.ID), "", args[:2]
	}
	// Count (not Raw/Scan): the logger never writes a tracking code into a slow-query line.
	var n int64
	if err := db.Table(cast).Where("ballot_hash >= ? AND ballot_hash < ?"+scope, args...).Count(&n).Error; err != nil {
		return out, dbErr(err)
	}
	if n == 0 {
		if err := db.Table(spoiled).Where("tracking_hash >= ? AND tracking_hash < ?"+scope, args...).Count(&n).Error; err != nil {
			return out, dbErr(err)
		}
		out.Spoiled = n > 0
	}
	out.Recorded = n > 0
	return out, nil
}

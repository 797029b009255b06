package store

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"sort"
	"strings"

	"gorm.io/gorm"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/protocol"
	"tinnhiem/internal/record"
	"tinnhiem/internal/record/fill"
	"tinnhiem/internal/roster"
	"tinnhiem/internal/rules"
	"tinnhiem/internal/vote"
)

// The public record of a published vote (issue 15, docs/RECORD.md): every public message of the vote,
// sorted so that nothing ties a ballot to a time, in one deterministic file that anyone can check
// with tinnhiem-verify. The same vote gives the same bytes each time it is asked for.

// Record returns the public record of a published vote, encoded.
func (s *Store) Record(ctx context.Context, id string) ([]byte, error) {
	var rec *record.Record
	err := s.transact(ctx, func(tx *gorm.DB) error {
		v, row, err := s.loadVote(tx, id, false)
		if err != nil {
			return voteOrNotFound(err)
		}
		if v.Status != vote.Published {
			return apperr.New(apperr.NotFound, "not_published")
		}
		rec, err = s.buildRecord(tx, v, row)
		return err
	})
	if err != nil {
		return nil, dbErr(err)
	}
	return record.Encode(rec)
}

// EncryptedBallots gives a board member's browser, after the close, what it recomputes the encrypted
// sums from before it decrypts them (docs/PROTOCOL.md §11.2): the ceremony, the credential lists,
// every cast ballot, the sealed paper totals and the sums, each exactly as the public record will
// publish it. Without this check a server could put one ballot's ciphertext in place of a row's sum
// and have the board open that ballot.
func (s *Store) EncryptedBallots(ctx context.Context, p auth.Principal, id string) (vote.EncryptedBallots, error) {
	var out vote.EncryptedBallots
	err := s.transact(ctx, func(tx *gorm.DB) error {
		v, row, err := s.loadVote(tx, id, false)
		if err != nil {
			return voteOrNotFound(err)
		}
		if err := vote.Decide(vote.ActCheckSums, s.state(v, row), p); err != nil {
			return err
		}
		e := &record.Encrypted{}
		if _, err := s.recordCast(tx, v, row, e); err != nil {
			return err
		}
		e = record.Canonical(&record.Record{Encrypted: e}).Encrypted
		out = vote.EncryptedBallots{VoteID: v.ID, Ceremony: e.Ceremony, CredentialLists: e.CredentialLists, Ballots: e.Ballots,
			PaperTotals: e.PaperTotals, Sums: e.Sums, SumsHash: e.SumsHash}
		return nil
	})
	if err != nil {
		return vote.EncryptedBallots{}, dbErr(err)
	}
	return out, nil
}

func (s *Store) buildRecord(tx *gorm.DB, v vote.Vote, row voteRow) (*record.Record, error) {
	var council councilRow
	if err := tx.Where("id = ?", v.CouncilID).Take(&council).Error; err != nil {
		return nil, err
	}
	t, err := s.tallyOf(tx, v, row)
	if err != nil {
		return nil, err
	}
	rs, _ := rules.Get(v.RuleSet) // a stored vote's rule set is one the rules know
	subjects, err := fill.Subjects(t.Subjects)
	if err != nil {
		return nil, err
	}
	tallyJSON, err := json.Marshal(t)
	if err != nil {
		return nil, err
	}
	rec := &record.Record{Format: record.Format, Version: record.Version, Mode: v.BallotMode,
		Vote: record.Vote{VoteID: v.ID, CouncilID: v.CouncilID, CouncilName: council.Name, Session: v.SessionName, Title: v.Title,
			Kind: string(v.Kind), VoteDate: v.VoteDate.String(), RuleSetID: rs.ID, RuleSetName: rs.Name, Base: string(v.PercentageBase),
			BaseDecision: baseDecision(v, rs), Subjects: subjects},
		Rules:        fill.Rules(rs, v.Kind, roster.Body(council.Body), v.PercentageBase),
		Counts:       fill.Counts(t),
		Tally:        tallyJSON,
		TallyHash:    t.TallyHash,
		AuditAnchor:  v.CertificationAnchor,
		FrontendHash: deref(row.FrontendHash),
		Figures: record.Figures{TotalDelegates: int64(t.TotalDelegates), BallotsIssued: int64(t.BallotsIssued), BallotsCast: int64(row.BallotsCast),
			CodesVoided: int64(row.CodesVoided), BallotsReceived: int64(t.BallotsReceived)},
	}
	if rec.AuditAnchor == "" {
		rec.AuditAnchor = v.AuditAnchor
	}
	if p := v.Paper; p != nil && p.Received != nil {
		rec.Figures.Paper = &record.Paper{Received: int64(*p.Received), Valid: int64(p.Valid), Invalid: int64(len(p.Invalid))}
	}
	if rec.Documents, err = recordDocuments(tx, v.ID); err != nil {
		return nil, err
	}
	identifiers := map[string]string{}
	if v.BallotMode == vote.ModeEncrypted {
		if rec.Encrypted, identifiers, err = s.recordEncrypted(tx, v, row); err != nil {
			return nil, err
		}
	} else if rec.Plain, err = recordPlain(tx, v); err != nil {
		return nil, err
	}
	for _, m := range v.Board {
		rec.Board = append(rec.Board, record.BoardMember{UserID: m.UserID, FullName: m.FullName, Role: string(m.BoardRole), Identifier: identifiers[m.UserID]})
	}
	return rec, nil
}

// baseDecision words the council's decision behind the percentage base, or the rule set's default.
func baseDecision(v vote.Vote, rs rules.RuleSet) string {
	for i := len(v.Decisions) - 1; i >= 0; i-- {
		d := v.Decisions[i]
		if d.Kind == vote.DecisionPercentageBase {
			return "Nghị quyết số " + d.Number + " ngày " + d.Date.String()
		}
	}
	return "mặc định của " + rs.Name
}

// recordDocuments lists the vote's frozen documents (not those a recount superseded) by SHA-256.
func recordDocuments(tx *gorm.DB, voteID string) ([]record.Document, error) {
	var docs []voteDocumentRow
	if err := tx.Select("name", "sha256").Where("vote_id = ?", voteID).Find(&docs).Error; err != nil {
		return nil, err
	}
	out := []record.Document{}
	for _, d := range docs {
		if !strings.HasPrefix(d.Name, "superseded-") {
			out = append(out, record.Document{Name: d.Name, SHA256: d.Sha256})
		}
	}
	return out, nil
}

// recordPlain is a plain vote's ballot part: the marks of its valid ballots, sorted (none when the
// vote has a paper part, whose split stays with the board), and who certified.
func recordPlain(tx *gorm.DB, v vote.Vote) (*record.Plain, error) {
	p := &record.Plain{Ballots: []string{}, CertifiedBy: []string{}}
	if v.Paper != nil {
		p.BallotsWithheld, p.Invalid = true, int64(len(v.Paper.Invalid))
	} else if err := tx.Raw("SELECT marks FROM ballots WHERE vote_id = ? AND valid = ?", v.ID, true).Scan(&p.Ballots).Error; err != nil {
		return nil, err
	}
	sort.Strings(p.Ballots)
	for _, m := range v.Board {
		if m.Certified {
			p.CertifiedBy = append(p.CertifiedBy, m.UserID)
		}
	}
	return p, nil
}

// recordEncrypted is an encrypted vote's cryptographic part, and the members' identifiers.
func (s *Store) recordEncrypted(tx *gorm.DB, v vote.Vote, row voteRow) (*record.Encrypted, map[string]string, error) {
	m, err := protocol.ParseManifest([]byte(deref(row.Manifest)))
	if err != nil {
		return nil, nil, err
	}
	mh := m.Hash()
	e := &record.Encrypted{Manifest: json.RawMessage(deref(row.Manifest)), ManifestHash: hex.EncodeToString(mh[:]), VoteFingerprint: m.Fingerprint()}
	ids, err := s.recordCast(tx, v, row, e)
	if err != nil {
		return nil, nil, err
	}
	if e.PartialDecryptions, err = recordMessages(tx, "SELECT message FROM partial_decryptions WHERE vote_id = ?", v.ID); err != nil {
		return nil, nil, err
	}
	if e.Certifications, err = recordMessages(tx, "SELECT statement FROM certifications WHERE vote_id = ? AND statement IS NOT NULL", v.ID); err != nil {
		return nil, nil, err
	}
	if err := tx.Raw("SELECT tracking_hash FROM spoiled_ballots WHERE vote_id = ?", v.ID).Scan(&e.Spoiled).Error; err != nil {
		return nil, nil, err
	}
	return e, ids, nil
}

// recordCast fills the part of an encrypted vote's record that exists from the close on, before any
// decryption: the key ceremony, the credential lists, the cast ballots, the sealed paper totals and
// the encrypted sums with their hash. It returns the members' identifiers by user id.
func (s *Store) recordCast(tx *gorm.DB, v vote.Vote, row voteRow, e *record.Encrypted) (map[string]string, error) {
	e.Sums = json.RawMessage(deref(row.Sums))
	sums, err := protocol.ParseSums([]byte(deref(row.Sums)))
	if err != nil {
		return nil, err
	}
	sh := protocol.SumsHash(v.ID, sums)
	e.SumsHash = hex.EncodeToString(sh[:])
	c, err := s.loadCeremony(tx, v.CeremonyID, false)
	if err != nil {
		return nil, err
	}
	ids := map[string]string{}
	e.Ceremony = record.Ceremony{CeremonyID: c.row.ID, CouncilID: c.row.CouncilID, VoteID: c.row.VoteID, Threshold: c.row.Threshold,
		Members: c.c.Members, JointKey: deref(c.row.GroupKey), Transcript: deref(c.row.Transcript)}
	if t, err := hex.DecodeString(e.Ceremony.Transcript); err == nil && len(t) == 64 {
		e.Ceremony.Fingerprint = protocol.Fingerprint80([64]byte(t))
	}
	for _, mr := range c.members {
		ids[mr.UserID] = mr.Identifier
		if mr.Round1 != nil {
			e.Ceremony.Round1 = append(e.Ceremony.Round1, json.RawMessage(*mr.Round1))
		}
		if mr.Round3 != nil {
			e.Ceremony.Confirmations = append(e.Ceremony.Confirmations, json.RawMessage(*mr.Round3))
		}
	}
	if e.CredentialLists, err = recordMessages(tx, "SELECT message FROM credential_lists WHERE vote_id = ?", v.ID); err != nil {
		return nil, err
	}
	if e.PaperTotals, err = recordMessages(tx, "SELECT totals FROM vote_paper WHERE vote_id = ? AND totals IS NOT NULL", v.ID); err != nil {
		return nil, err
	}
	var ballots []struct {
		BallotHash string
		Body       string
	}
	if err := tx.Raw("SELECT ballot_hash, body FROM encrypted_ballots WHERE vote_id = ?", v.ID).Scan(&ballots).Error; err != nil {
		return nil, err
	}
	for _, b := range ballots {
		e.Ballots = append(e.Ballots, record.CastBallot{BallotHash: b.BallotHash, Ballot: json.RawMessage(b.Body)})
	}
	return ids, nil
}

// recordMessages reads one column of protocol messages of a vote (the query's one parameter).
func recordMessages(tx *gorm.DB, q, voteID string) ([]json.RawMessage, error) {
	var ss []string
	if err := tx.Raw(q, voteID).Scan(&ss).Error; err != nil {
		return nil, err
	}
	out := make([]json.RawMessage, len(ss))
	for i, s := range ss {
		out[i] = json.RawMessage(s)
	}
	return out, nil
}

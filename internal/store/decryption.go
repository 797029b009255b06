package store

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"strconv"

	"gorm.io/gorm"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/protocol"
	"tinnhiem/internal/vote"
)

// Decryption (docs/PROTOCOL.md §11): after the close each member, in their own browser with their
// share file, decrypts the encrypted sums partially with a proof; with the threshold's worth of valid
// partials the server combines them and finds the counts. Nothing but the sums is ever decrypted.

// SubmitPartial takes a member's partial decryption of the vote's sums: checked (the member's, of these
// sums, every proof, the signature) and kept; a bad one is refused by name and affects no other. With
// enough of them the counts are worked out, and the tally exists.
func (s *Store) SubmitPartial(ctx context.Context, p auth.Principal, id string, msg vote.Message) (vote.Vote, error) {
	return s.actVote(ctx, p, id, vote.ActDecrypt, func(tx *gorm.DB, v vote.Vote, row voteRow) error {
		pd, err := protocol.ParsePartialDecryption(msg.Raw)
		if err != nil {
			return protocolErr(err)
		}
		c, err := s.loadCeremony(tx, v.CeremonyID, false)
		if err != nil {
			return err
		}
		if pd.CeremonyID != c.row.ID || c.userOf(pd.Identifier.Hex()) != p.UserID {
			return apperr.InvalidFields(apperr.Field("identifier", "not_your_identifier"))
		}
		res, err := c.result()
		if err != nil {
			return protocolErr(err)
		}
		sums, err := protocol.ParseSums([]byte(deref(row.Sums)))
		if err != nil {
			return err
		}
		if err := protocol.VerifyPartials(res, id, sums, []*protocol.PartialDecryption{pd}); err != nil {
			return protocolErr(err)
		}
		if err := tx.Exec("INSERT INTO partial_decryptions (vote_id, user_id, message, submitted_at) VALUES (?, ?, ?, ?)",
			id, p.UserID, string(msg.Raw), s.clock()).Error; err != nil {
			if isUnique(err) {
				return apperr.New(apperr.Conflict, "message_already_posted")
			}
			return err
		}
		if err := s.auditVote(tx, p, v, "vote.partial_decryption", map[string]any{"identifier": pd.Identifier.Hex()}); err != nil {
			return err
		}
		var stored []string
		if err := tx.Table("partial_decryptions").Where("vote_id = ?", id).Pluck("message", &stored).Error; err != nil {
			return err
		}
		if len(stored) < c.row.Threshold {
			return nil
		}
		partials := make([]*protocol.PartialDecryption, len(stored))
		for i, raw := range stored {
			if partials[i], err = protocol.ParsePartialDecryption([]byte(raw)); err != nil {
				return err
			}
		}
		vs, err := protocol.Combine(res, sums, partials)
		if err != nil {
			return protocolErr(err)
		}
		m, err := protocol.ParseManifest([]byte(deref(row.Manifest)))
		if err != nil {
			return err
		}
		ballots := row.BallotsCast // N of §11.5: the electronic ballots and the sealed paper ballots
		if v.CastingMode != vote.CastElectronic {
			pr, err := paperOf(tx, id)
			if err != nil {
				return err
			}
			ballots += pr.Entered
		}
		counts, err := protocol.Counts(m.Levels, m.Radix, uint64(ballots), vs)
		if err != nil {
			return protocolErr(err)
		}
		if err := setVote(tx, id, map[string]any{"counts": mustJSON(counts)}); err != nil {
			return err
		}
		h := protocol.SumsHash(id, sums)
		return s.auditVote(tx, p, v, "vote.decrypted", map[string]any{"partials": len(partials), "threshold": c.row.Threshold,
			"sums_hash": hex.EncodeToString(h[:])})
	})
}

// decryptedCounts reads an encrypted vote's counts: per row, the count of each level.
func decryptedCounts(row voteRow) ([][]int, error) {
	var counts [][]int
	if row.Counts == nil {
		return nil, vote.ErrNotDecrypted
	}
	return counts, json.Unmarshal([]byte(*row.Counts), &counts)
}

// checkStatement checks an encrypted vote's certification: the statement signed with the member's
// ceremony key, over the tally the server shows, the vote's base and an anchor on the vote's chain.
func (s *Store) checkStatement(tx *gorm.DB, p auth.Principal, v vote.Vote, tallyHash string, raw json.RawMessage) (string, error) {
	if len(raw) == 0 {
		return "", apperr.InvalidFields(apperr.Field("statement", "required"))
	}
	cert, err := protocol.ParseCertification(raw)
	if err != nil {
		return "", protocolErr(err)
	}
	c, err := s.loadCeremony(tx, v.CeremonyID, false)
	if err != nil {
		return "", err
	}
	res, err := c.result()
	if err != nil {
		return "", protocolErr(err)
	}
	mk, ok := res.Member(cert.Identifier)
	if !ok || c.userOf(cert.Identifier.Hex()) != p.UserID || cert.VoteID != v.ID || cert.CeremonyID != c.row.ID {
		return "", apperr.InvalidFields(apperr.Field("statement.identifier", "not_your_identifier"))
	}
	if hex.EncodeToString(cert.TallyHash[:]) != tallyHash {
		return "", apperr.New(apperr.Conflict, "tally_hash_mismatch")
	}
	if cert.Base != string(v.PercentageBase) {
		return "", apperr.InvalidFields(apperr.Field("statement.base", "protocol_refused", "detail", "not the vote's base"))
	}
	if err := cert.Verify(mk.SigningKey); err != nil {
		return "", protocolErr(err)
	}
	anchor := hex.EncodeToString(cert.AuditAnchor[:])
	var n int64
	if err := tx.Model(&auditRow{}).Where("vote_id = ? AND vote_seq = ? AND vote_hash = ?", v.ID, cert.AuditCount, anchor).Count(&n).Error; err != nil {
		return "", err
	}
	if n != 1 {
		return "", apperr.New(apperr.Conflict, "anchor_mismatch")
	}
	return anchor + ":" + strconv.FormatUint(cert.AuditCount, 10), nil
}

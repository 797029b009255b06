package store

import (
	"context"
	"encoding/json"
	"strings"

	"gorm.io/gorm"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/audit"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/civil"
	"tinnhiem/internal/rules"
	"tinnhiem/internal/tally"
	"tinnhiem/internal/vote"
)

// Tally returns the result of a closed vote to its council's staff. While a vote is open there is no
// tally: only turnout.
func (s *Store) Tally(ctx context.Context, p auth.Principal, id string) (tally.Result, error) {
	v, row, err := s.readVote(ctx, p, id)
	if err != nil {
		return tally.Result{}, err
	}
	if !v.Status.Tallied() {
		return tally.Result{}, apperr.New(apperr.Conflict, "wrong_status").With("status", string(v.Status))
	}
	r, err := s.tallyOf(s.db.WithContext(ctx), v, row)
	return r, dbErr(err)
}

// Certify records a board member's certification of the tally they saw (quoting its hash). When every
// member of the board has certified, the vote is certified and its tally frozen. Under QĐ 96 the
// quorum must be met.
func (s *Store) Certify(ctx context.Context, p auth.Principal, id string, in vote.CertifyInput) (vote.Vote, error) {
	var out vote.Vote
	err := s.transact(ctx, func(tx *gorm.DB) error {
		v, row, err := s.loadVote(tx, id, true) // serialises the last certifications
		if err != nil {
			return err
		}
		if err := p.CanReadCouncil(v.CouncilID); err != nil {
			return apperr.New(apperr.NotFound, "vote_not_found")
		}
		if _, ok := v.IsBoard(p); !ok {
			return apperr.New(apperr.Forbidden, "not_board_member")
		}
		if err := v.RequireStatus(vote.Closed); err != nil {
			return err
		}
		r, err := s.countBallots(tx, v, row)
		if err != nil {
			return err
		}
		if r.TallyHash != strings.ToLower(in.TallyHash) {
			return apperr.New(apperr.Conflict, "tally_hash_mismatch")
		}
		if r.Quorum != nil && !r.Quorum.Met {
			return apperr.New(apperr.Conflict, "quorum_not_met")
		}
		for _, m := range v.Board {
			if m.UserID == p.UserID && m.Certified {
				return apperr.New(apperr.Conflict, "already_certified")
			}
		}
		if err := tx.Create(&certificationRow{VoteID: id, UserID: p.UserID, TallyHash: r.TallyHash, CertifiedAt: s.clock()}).Error; err != nil {
			return err
		}
		if err := s.appendAudit(tx, p, audit.Entry{Action: "vote.certify", ObjectType: "vote", ObjectID: id, CouncilID: v.CouncilID, VoteID: id,
			Summary: map[string]any{"tally_hash": r.TallyHash}}); err != nil {
			return err
		}
		certified := 1
		for _, m := range v.Board {
			if m.Certified {
				certified++
			}
		}
		if certified == len(v.Board) {
			frozen, _ := json.Marshal(r)
			if err := tx.Model(&voteRow{}).Where("id = ?", id).Updates(map[string]any{"status": string(vote.Certified),
				"tally": string(frozen), "tally_hash": r.TallyHash, "certified_at": s.clock()}).Error; err != nil {
				return err
			}
			if err := s.appendAudit(tx, p, audit.Entry{Action: "vote.certified", ObjectType: "vote", ObjectID: id, CouncilID: v.CouncilID, VoteID: id,
				Summary: map[string]any{"tally_hash": r.TallyHash, "board": len(v.Board)}}); err != nil {
				return err
			}
		}
		out, _, err = s.loadVote(tx, id, false)
		return err
	})
	return out, err
}

// RecordResignation records that a subject of a tallied confidence vote resigned (secretariat). It
// clears the no-confidence vote otherwise due, and leaves the certified tally's hash as it was.
func (s *Store) RecordResignation(ctx context.Context, p auth.Principal, id string, in vote.ResignationInput) (vote.Vote, error) {
	var out vote.Vote
	err := s.transact(ctx, func(tx *gorm.DB) error {
		v, _, err := s.loadVote(tx, id, true)
		if err != nil {
			return err
		}
		if err := v.CanSecretariat(p); err != nil {
			return err
		}
		if v.Kind != rules.Confidence {
			return apperr.New(apperr.Conflict, "not_confidence_vote")
		}
		if err := v.RequireStatus(vote.Closed, vote.Certified, vote.Published); err != nil {
			return err
		}
		day, _ := civil.Parse(in.Date)
		if day.Before(v.VoteDate) {
			return apperr.InvalidFields(apperr.Field("date", "resignation_before_vote"))
		}
		res := tx.Model(&subjectRow{}).Where("vote_id = ? AND official_id = ?", id, in.OfficialID).Update("resigned_on", day.String())
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return apperr.InvalidFields(apperr.Field("official_id", "subject_not_found"))
		}
		out, _, err = s.loadVote(tx, id, false)
		if err != nil {
			return err
		}
		return s.appendAudit(tx, p, audit.Entry{Action: "vote.resignation", ObjectType: "official", ObjectID: in.OfficialID, CouncilID: v.CouncilID,
			VoteID: id, Summary: map[string]any{"date": day.String()}})
	})
	return out, err
}

// Publish publishes a certified vote with the council's resolution number and adoption date
// (secretariat). The resolution is rendered and frozen in the same transaction; its content
// fingerprint, printed in its footer, and the files' SHA-256 go to the audit log. From then on, and
// only then, the results and receipts are public.
func (s *Store) Publish(ctx context.Context, p auth.Principal, id string, in vote.PublishInput) (vote.Vote, error) {
	var out vote.Vote
	err := s.onVote(ctx, id, func(v vote.Vote) error { return v.CanSecretariat(p) }, statuses(vote.Certified), func(tx *gorm.DB, v vote.Vote, _ voteRow) error {
		adopted, _ := civil.Parse(in.AdoptedOn)
		today := civil.Of(s.now().In(s.loc))
		var fields []apperr.FieldError
		if adopted.Before(v.VoteDate) {
			fields = append(fields, apperr.Field("adopted_on", "adopted_before_vote"))
		}
		if adopted.After(today) {
			fields = append(fields, apperr.Field("adopted_on", "date_in_future"))
		}
		if in.PortalPostedOn != "" {
			posted, _ := civil.Parse(in.PortalPostedOn)
			if posted.Before(adopted) {
				fields = append(fields, apperr.Field("portal_posted_on", "portal_before_adoption"))
			}
			if posted.After(today) {
				fields = append(fields, apperr.Field("portal_posted_on", "date_in_future"))
			}
		}
		if len(fields) > 0 {
			return apperr.InvalidFields(fields...)
		}
		set := map[string]any{"status": string(vote.Published), "resolution_number": in.ResolutionNumber,
			"adopted_on": adopted.String(), "published_at": s.clock()}
		if in.PortalPostedOn != "" {
			set["portal_posted_on"] = in.PortalPostedOn
		}
		if err := tx.Model(&voteRow{}).Where("id = ?", id).Updates(set).Error; err != nil {
			return err
		}
		v, row, err := s.loadVote(tx, id, false)
		if err != nil {
			return err
		}
		fingerprint, files, err := s.freezeResolution(tx, v, row)
		if err != nil {
			return err
		}
		if err := tx.Model(&voteRow{}).Where("id = ?", id).Update("resolution_fingerprint", fingerprint).Error; err != nil {
			return err
		}
		out = v
		summary := map[string]any{"resolution_number": in.ResolutionNumber, "adopted_on": adopted.String(), "tally_hash": v.TallyHash,
			"resolution_fingerprint": fingerprint, "files_sha256": files}
		if in.PortalPostedOn != "" {
			summary["portal_posted_on"] = in.PortalPostedOn
		}
		return s.appendAudit(tx, p, audit.Entry{Action: "vote.publish", ObjectType: "vote", ObjectID: id, CouncilID: v.CouncilID, VoteID: id, Summary: summary})
	})
	return out, err
}

// SetPortalPosting records the day a published result was posted on the portal (secretariat).
func (s *Store) SetPortalPosting(ctx context.Context, p auth.Principal, id string, in vote.PortalInput) (vote.Vote, error) {
	return s.transition(ctx, p, id, func(tx *gorm.DB, v vote.Vote) (map[string]any, map[string]any, error) {
		if err := v.CanSecretariat(p); err != nil {
			return nil, nil, err
		}
		if err := v.RequireStatus(vote.Published); err != nil {
			return nil, nil, err
		}
		posted, _ := civil.Parse(in.PostedOn)
		if v.AdoptedOn != nil && posted.Before(*v.AdoptedOn) {
			return nil, nil, apperr.InvalidFields(apperr.Field("posted_on", "portal_before_adoption"))
		}
		if posted.After(civil.Of(s.now().In(s.loc))) {
			return nil, nil, apperr.InvalidFields(apperr.Field("posted_on", "date_in_future"))
		}
		return map[string]any{"portal_posted_on": posted.String()}, map[string]any{"portal_posted_on": posted.String()}, nil
	}, "vote.portal_posting")
}

// PublishedVotes lists every published vote, newest first, for the public page (no login).
func (s *Store) PublishedVotes(ctx context.Context) ([]vote.PublicVote, error) {
	db := s.db.WithContext(ctx)
	var rows []voteRow
	if err := db.Where("status = ?", string(vote.Published)).Order("published_at DESC").Limit(500).Find(&rows).Error; err != nil {
		return nil, dbErr(err)
	}
	names := map[string]string{}
	out := make([]vote.PublicVote, 0, len(rows))
	for _, r := range rows {
		if _, ok := names[r.CouncilID]; !ok {
			var c councilRow
			if err := db.Where("id = ?", r.CouncilID).Take(&c).Error; err != nil {
				return nil, dbErr(err)
			}
			names[r.CouncilID] = c.Name
		}
		pv := r.toDomain(nil, nil).Public(names[r.CouncilID])
		out = append(out, pv)
	}
	return out, nil
}

// PublicResults returns a published vote's result and its receipts in sorted order, without login.
// Any other vote is "not found".
func (s *Store) PublicResults(ctx context.Context, id string) (vote.PublicResult, error) {
	db := s.db.WithContext(ctx)
	v, row, err := s.loadVote(db, id, false)
	if err != nil || v.Status != vote.Published {
		if err != nil && !apperr.IsKind(err, apperr.NotFound) {
			return vote.PublicResult{}, dbErr(err)
		}
		return vote.PublicResult{}, apperr.New(apperr.NotFound, "not_published")
	}
	r, err := s.tallyOf(db, v, row)
	if err != nil {
		return vote.PublicResult{}, dbErr(err)
	}
	var receipts []string
	if err := db.Model(&receiptRow{}).Where("vote_id = ?", id).Order("receipt").Pluck("receipt", &receipts).Error; err != nil {
		return vote.PublicResult{}, dbErr(err)
	}
	var c councilRow
	if err := db.Where("id = ?", v.CouncilID).Take(&c).Error; err != nil {
		return vote.PublicResult{}, dbErr(err)
	}
	if receipts == nil {
		receipts = []string{}
	}
	return vote.PublicResult{Result: r, Vote: v.Public(c.Name), Receipts: receipts}, nil
}

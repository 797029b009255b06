package store

import (
	"context"

	"gorm.io/gorm"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/civil"
	"tinnhiem/internal/rules"
	"tinnhiem/internal/vote"
)

// After certification: the head announces, the secretariat publishes the council's resolution, the
// public reads the result.

// Announce records that the board head announced the certified result to the council (rules.md §3):
// from then on the hall display shows it, and the council can adopt its resolution.
func (s *Store) Announce(ctx context.Context, p auth.Principal, id string) (vote.Vote, error) {
	return s.actVote(ctx, p, id, vote.ActAnnounce, func(tx *gorm.DB, v vote.Vote, _ voteRow) error {
		if v.AnnouncedAt != nil {
			return nil // announced already: the same answer again
		}
		if err := setVote(tx, id, map[string]any{"announced_at": s.clock()}); err != nil {
			return err
		}
		return s.auditVote(tx, p, v, "vote.announce", map[string]any{"tally_hash": v.TallyHash})
	})
}

// RecordResignation records that a subject of a tallied confidence vote resigned (secretariat). It
// clears the no-confidence vote otherwise due, and leaves the certified tally's hash as it was.
func (s *Store) RecordResignation(ctx context.Context, p auth.Principal, id string, in vote.ResignationInput) (vote.Vote, error) {
	return s.actVote(ctx, p, id, vote.ActResignation, func(tx *gorm.DB, v vote.Vote, _ voteRow) error {
		if v.Kind != rules.Confidence {
			return apperr.New(apperr.Conflict, "not_confidence_vote")
		}
		day, err := civil.Parse(in.Date)
		if err != nil {
			return apperr.InvalidFields(apperr.Field("date", "invalid_date"))
		}
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
		return s.appendAuditOf(tx, p, v, "vote.resignation", "official", in.OfficialID, map[string]any{"date": day.String()})
	})
}

// Publish publishes a certified, announced vote with the council's resolution number and adoption
// date (secretariat). The resolution is rendered and frozen in the same transaction; its content
// fingerprint, printed in its footer, and the files' SHA-256 go to the audit log. From then on, and
// only then, the results and receipts are public. Publishing again with the same number is the same
// success, not an error (a double click).
func (s *Store) Publish(ctx context.Context, p auth.Principal, id string, in vote.PublishInput) (vote.Vote, error) {
	if v, err := s.GetVote(ctx, p, id); err == nil && v.Status == vote.Published && v.ResolutionNumber == in.ResolutionNumber {
		return v, nil
	}
	return s.actVote(ctx, p, id, vote.ActPublish, func(tx *gorm.DB, v vote.Vote, _ voteRow) error {
		adopted, err := civil.Parse(in.AdoptedOn)
		if err != nil {
			return apperr.InvalidFields(apperr.Field("adopted_on", "invalid_date"))
		}
		today := civil.Of(s.now().In(s.loc))
		var fields []apperr.FieldError
		if adopted.Before(v.VoteDate) {
			fields = append(fields, apperr.Field("adopted_on", "adopted_before_vote"))
		}
		if adopted.After(today) {
			fields = append(fields, apperr.Field("adopted_on", "date_in_future"))
		}
		if in.PortalPostedOn != "" {
			posted, err := civil.Parse(in.PortalPostedOn)
			switch {
			case err != nil:
				fields = append(fields, apperr.Field("portal_posted_on", "invalid_date"))
			case posted.Before(adopted):
				fields = append(fields, apperr.Field("portal_posted_on", "portal_before_adoption"))
			case posted.After(today):
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
		if err := setVote(tx, id, set); err != nil {
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
		if err := setVote(tx, id, map[string]any{"resolution_fingerprint": fingerprint}); err != nil {
			return err
		}
		summary := map[string]any{"resolution_number": in.ResolutionNumber, "adopted_on": adopted.String(), "tally_hash": v.TallyHash,
			"resolution_fingerprint": fingerprint, "files_sha256": files}
		if in.PortalPostedOn != "" {
			summary["portal_posted_on"] = in.PortalPostedOn
		}
		return s.auditVote(tx, p, v, "vote.publish", summary)
	})
}

// SetPortalPosting records the day a published result was posted on the portal (secretariat).
func (s *Store) SetPortalPosting(ctx context.Context, p auth.Principal, id string, in vote.PortalInput) (vote.Vote, error) {
	return s.actVote(ctx, p, id, vote.ActPortalPosting, func(tx *gorm.DB, v vote.Vote, _ voteRow) error {
		posted, err := civil.Parse(in.PostedOn)
		if err != nil {
			return apperr.InvalidFields(apperr.Field("posted_on", "invalid_date"))
		}
		if v.AdoptedOn != nil && posted.Before(*v.AdoptedOn) {
			return apperr.InvalidFields(apperr.Field("posted_on", "portal_before_adoption"))
		}
		if posted.After(civil.Of(s.now().In(s.loc))) {
			return apperr.InvalidFields(apperr.Field("posted_on", "date_in_future"))
		}
		if err := setVote(tx, id, map[string]any{"portal_posted_on": posted.String()}); err != nil {
			return err
		}
		return s.auditVote(tx, p, v, "vote.portal_posting", map[string]any{"portal_posted_on": posted.String()})
	})
}

// PublishedVotes lists every published vote, newest first, for the public page (no login).
func (s *Store) PublishedVotes(ctx context.Context) ([]vote.PublicVote, error) {
	db := s.db.WithContext(ctx)
	var ids []string
	if err := db.Model(&voteRow{}).Where("status = ?", string(vote.Published)).Order("published_at DESC").Limit(500).Pluck("id", &ids).Error; err != nil {
		return nil, dbErr(err)
	}
	names := map[string]string{}
	out := make([]vote.PublicVote, 0, len(ids))
	for _, id := range ids {
		v, _, err := s.loadVote(db, id, false)
		if err != nil {
			return nil, dbErr(err)
		}
		if _, ok := names[v.CouncilID]; !ok {
			var c councilRow
			if err := db.Where("id = ?", v.CouncilID).Take(&c).Error; err != nil {
				return nil, dbErr(err)
			}
			names[v.CouncilID] = c.Name
		}
		out = append(out, v.Public(names[v.CouncilID]))
	}
	return out, nil
}

// CurrentVotes lists the votes in progress (open, or closed and not yet published) as the public may
// see them, newest first: no figure of the count, only what a delegate's phone needs in the hall.
func (s *Store) CurrentVotes(ctx context.Context) ([]vote.CurrentVote, error) {
	db := s.db.WithContext(ctx)
	var ids []string
	if err := db.Model(&voteRow{}).Where("status IN ?", []string{string(vote.Open), string(vote.Closed), string(vote.Certified)}).
		Order("opened_at DESC").Limit(200).Pluck("id", &ids).Error; err != nil {
		return nil, dbErr(err)
	}
	out := make([]vote.CurrentVote, 0, len(ids))
	for _, id := range ids {
		v, _, err := s.loadVote(db, id, false)
		if err != nil {
			return nil, dbErr(err)
		}
		var c councilRow
		if err := db.Where("id = ?", v.CouncilID).Take(&c).Error; err != nil {
			return nil, dbErr(err)
		}
		out = append(out, v.Current(c.Name))
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
	if err := db.Table("receipts").Where("vote_id = ?", id).Order("receipt").Pluck("receipt", &receipts).Error; err != nil {
		return vote.PublicResult{}, dbErr(err)
	}
	var c councilRow
	if err := db.Where("id = ?", v.CouncilID).Take(&c).Error; err != nil {
		return vote.PublicResult{}, dbErr(err)
	}
	return vote.PublicResult{Result: r, Vote: v.Public(c.Name), Receipts: nonNil(receipts)}, nil
}

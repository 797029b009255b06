package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"time"

	"gorm.io/gorm"

	"tinnhiem/internal/audit"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/document"
	"tinnhiem/internal/rules"
	"tinnhiem/internal/vote"
)

type councilSettingsRow struct {
	CouncilID        string `gorm:"primaryKey"`
	DocumentSettings string
	UpdatedAt        time.Time
}

func (councilSettingsRow) TableName() string { return "council_settings" }

type voteDocumentRow struct {
	VoteID      string `gorm:"primaryKey"`
	Name        string `gorm:"primaryKey"`
	ContentType string
	Sha256      string `gorm:"column:sha256"`
	Content     []byte
}

func (voteDocumentRow) TableName() string { return "vote_documents" }

// settingsOf returns a council's document settings: the stored ones, or defaults from its record
// (signed by its chair when one is on the roster).
func settingsOf(tx *gorm.DB, councilID string) (document.Settings, error) {
	var c councilRow
	if err := tx.Where("id = ?", councilID).Take(&c).Error; err != nil {
		return document.Settings{}, notFound(err, "council_not_found")
	}
	var row councilSettingsRow
	err := tx.Where("council_id = ?", councilID).Take(&row).Error
	if err == nil {
		var s document.Settings
		if err := json.Unmarshal([]byte(row.DocumentSettings), &s); err != nil {
			return s, err
		}
		return s, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return document.Settings{}, err
	}
	var chair []string
	if err := tx.Raw(`SELECT o.full_name FROM officials o JOIN positions p ON p.official_id = o.id
		WHERE o.council_id = ? AND o.active = ? AND p.category IN ('hdnd_chu_tich', 'chu_tich_quoc_hoi') ORDER BY o.full_name LIMIT 1`,
		councilID, true).Scan(&chair).Error; err != nil {
		return document.Settings{}, err
	}
	name := ""
	if len(chair) > 0 {
		name = chair[0]
	}
	return document.DefaultSettings(c.toDomain(), name), nil
}

// DocumentSettings returns a council's document settings (any staff of the council).
func (s *Store) DocumentSettings(ctx context.Context, p auth.Principal, councilID string) (document.Settings, error) {
	if err := p.CanReadCouncil(councilID); err != nil {
		return document.Settings{}, err
	}
	out, err := settingsOf(s.db.WithContext(ctx), councilID)
	return out, dbErr(err)
}

// SetDocumentSettings replaces a council's document settings (secretariat).
func (s *Store) SetDocumentSettings(ctx context.Context, p auth.Principal, councilID string, in document.Settings) (document.Settings, error) {
	if err := p.CanManageRoster(councilID); err != nil {
		return document.Settings{}, err
	}
	err := s.transact(ctx, func(tx *gorm.DB) error {
		old, err := settingsOf(tx, councilID)
		if err != nil {
			return err
		}
		raw := mustJSON(in)
		res := tx.Exec(`INSERT INTO council_settings (council_id, document_settings, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (council_id) DO UPDATE SET document_settings = excluded.document_settings, updated_at = excluded.updated_at`,
			councilID, raw, s.clock())
		if res.Error != nil {
			return res.Error
		}
		var before, after map[string]any
		_ = json.Unmarshal([]byte(mustJSON(old)), &before)
		_ = json.Unmarshal([]byte(raw), &after)
		return s.appendAudit(tx, p, audit.Entry{Action: "council.document_settings", ObjectType: "council", ObjectID: councilID,
			CouncilID: councilID, Summary: changes(before, after)})
	})
	return in, err
}

// DocumentData gathers what a vote's documents are made from (its council's staff). The tally is
// there once the vote is closed.
func (s *Store) DocumentData(ctx context.Context, p auth.Principal, voteID string) (document.Data, error) {
	v, row, err := s.readVote(ctx, p, voteID, vote.ActRead)
	if err != nil {
		return document.Data{}, err
	}
	d, err := s.documentData(s.db.WithContext(ctx), v, row)
	return d, dbErr(err)
}

func (s *Store) documentData(tx *gorm.DB, v vote.Vote, row voteRow) (document.Data, error) {
	var c councilRow
	if err := tx.Where("id = ?", v.CouncilID).Take(&c).Error; err != nil {
		return document.Data{}, err
	}
	settings, err := settingsOf(tx, v.CouncilID)
	if err != nil {
		return document.Data{}, err
	}
	rs, _ := rules.Get(v.RuleSet) // a stored vote's rule set is one the rules know
	d := document.Data{Council: c.toDomain(), Settings: settings, Vote: v, RuleSet: rs, Location: s.loc,
		Venue: v.Venue, CountStarted: v.ClosedAt, SignedIssuance: v.SignedIssuance, FrontendHash: s.frontend, Demo: c.Demo}
	for _, x := range v.Decisions {
		dd := document.Decision{Kind: x.Kind, Number: x.Number, Date: x.Date, Base: x.Base}
		if x.Kind == vote.DecisionSubmission {
			d.Submission = &dd // the latest one
			continue
		}
		d.Decisions = append(d.Decisions, dd)
	}
	if n := len(v.Superseded); n > 0 {
		last := v.Superseded[n-1]
		d.Supersedes = &document.Decision{Kind: document.DecisionResolution, Number: last.ResolutionNumber, Date: last.AdoptedOn}
	}
	if v.Codes.Printed > 0 {
		d.Codes = &document.CodeFigures{Printed: v.Codes.Printed, Issued: v.Codes.Issued, Voided: v.Codes.Voided, Unused: v.Codes.Unused}
		if p := v.Paper; p != nil && p.SlipsIssued != nil { // a hybrid vote: only some delegates received a code
			d.Codes.Issued = *p.SlipsIssued
			d.Codes.Unused = max(0, d.Codes.Printed-d.Codes.Issued-d.Codes.Voided)
		}
	}
	for _, m := range v.Board {
		if m.Absent {
			d.Absent = append(d.Absent, m.FullName)
		}
	}
	if v.Status.Tallied() {
		if d.Tally, err = s.tallyOf(tx, v, row); err != nil {
			return document.Data{}, err
		}
		var first []time.Time
		if err := tx.Model(&certificationRow{}).Where("vote_id = ?", v.ID).Order("certified_at").Limit(1).Pluck("certified_at", &first).Error; err != nil {
			return document.Data{}, err
		}
		if len(first) > 0 {
			end := first[0].UTC()
			d.CountEnded = &end
		}
		anchor, err := certifiedAnchor(tx, v.ID)
		if err != nil {
			return document.Data{}, err
		}
		if anchor.Count > 0 {
			d.Anchor = anchor.String()
		}
	}
	return d, nil
}

// FrozenDocument returns a document frozen at publication, if there is one.
func (s *Store) FrozenDocument(ctx context.Context, voteID, name string) ([]byte, string, bool, error) {
	var row voteDocumentRow
	err := s.db.WithContext(ctx).Where("vote_id = ? AND name = ?", voteID, name).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, "", false, nil
	}
	if err != nil {
		return nil, "", false, dbErr(err)
	}
	return row.Content, row.ContentType, true, nil
}

// freezeResolution renders the published resolution in every format, stores the files and returns the
// content fingerprint and the files' hashes, inside the publication's transaction.
func (s *Store) freezeResolution(tx *gorm.DB, v vote.Vote, row voteRow) (string, map[string]string, error) {
	d, err := s.documentData(tx, v, row)
	if err != nil {
		return "", nil, err
	}
	doc := document.Resolution(d)
	doc.Fingerprint = document.ContentHash(doc)
	pdf, err := document.PDF(doc)
	if err != nil {
		return "", nil, err
	}
	docx, err := document.DOCX(doc)
	if err != nil {
		return "", nil, err
	}
	files := []voteDocumentRow{
		{VoteID: v.ID, Name: "resolution.pdf", ContentType: "application/pdf", Content: pdf},
		{VoteID: v.ID, Name: "resolution.docx", ContentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", Content: docx},
		{VoteID: v.ID, Name: "resolution.html", ContentType: "text/html; charset=utf-8", Content: document.HTML(doc)},
	}
	hashes := map[string]string{}
	for i := range files {
		sum := sha256.Sum256(files[i].Content)
		files[i].Sha256 = hex.EncodeToString(sum[:])
		hashes[files[i].Name] = files[i].Sha256
	}
	if err := tx.Where("vote_id = ? AND name NOT LIKE ?", v.ID, "superseded-%").Delete(&voteDocumentRow{}).Error; err != nil {
		return "", nil, err
	}
	if err := tx.Create(&files).Error; err != nil {
		return "", nil, err
	}
	return doc.Fingerprint, hashes, nil
}

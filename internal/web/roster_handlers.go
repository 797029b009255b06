package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/civil"
	"tinnhiem/internal/roster"
	"tinnhiem/internal/rules"
	"tinnhiem/internal/vote"
)

func (s *Server) postCategories(_ request, _ none) ([]roster.CategoryInfo, error) {
	return roster.Categories, nil
}

func (s *Server) ruleSets(_ request, _ none) ([]rules.RuleSet, error) {
	out := make([]rules.RuleSet, 0, 3)
	for _, id := range rules.IDs() {
		rs, _ := rules.Get(id) // ids listed by rules.IDs are known
		out = append(out, rs)
	}
	return out, nil
}

// roleTableResponse is the role table of a vote's lifecycle (docs/SECURITY.md), for the UI's guide.
type roleTableResponse struct {
	Rules []roleRule `json:"rules"`
}

type roleRule struct {
	Action    vote.Action   `json:"action"`
	Statuses  []vote.Status `json:"statuses"`
	Who       []vote.Who    `json:"who"`
	Condition string        `json:"condition,omitempty"`
}

func (s *Server) roleTable(_ request, _ none) (roleTableResponse, error) {
	out := roleTableResponse{Rules: make([]roleRule, len(vote.Rules))}
	for i, r := range vote.Rules {
		out.Rules[i] = roleRule{Action: r.Action, Statuses: nonNilSlice(r.Statuses), Who: r.Who, Condition: r.Condition}
	}
	return out, nil
}

func nonNilSlice[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

func (s *Server) createCouncil(r request, in roster.CouncilInput) (roster.Council, error) {
	return s.rosters.CreateCouncil(r.ctx, r.p, in)
}

func (s *Server) updateCouncil(r request, in roster.CouncilInput) (roster.Council, error) {
	return s.rosters.UpdateCouncil(r.ctx, r.p, r.id("id"), in)
}

func (s *Server) listCouncils(r request, _ none) ([]roster.Council, error) {
	return s.rosters.ListCouncils(r.ctx, r.p)
}

func (s *Server) getCouncil(r request, _ none) (roster.Council, error) {
	return s.rosters.GetCouncil(r.ctx, r.p, r.id("id"))
}

func (s *Server) createDelegate(r request, in roster.DelegateInput) (roster.Delegate, error) {
	return s.rosters.CreateDelegate(r.ctx, r.p, r.id("id"), in)
}

func (s *Server) updateDelegate(r request, in roster.DelegateInput) (roster.Delegate, error) {
	return s.rosters.UpdateDelegate(r.ctx, r.p, r.id("id"), r.id("delegateId"), in)
}

// delegateQuery filters the delegates listed.
type delegateQuery struct {
	IncludeInactive string `query:"include_inactive" json:"include_inactive"`
	InOfficeOn      string `query:"in_office_on" json:"in_office_on" validate:"omitempty,date"`
	filter          roster.DelegateFilter
}

// Normalize validates the query and reads it into a filter.
func (in *delegateQuery) Normalize() error {
	inactive, err := boolParam("include_inactive", in.IncludeInactive)
	if err != nil {
		return err
	}
	if err := checkQuery(in); err != nil {
		return err
	}
	in.filter = roster.DelegateFilter{IncludeInactive: inactive}
	if in.InOfficeOn != "" {
		d, err := civil.Parse(in.InOfficeOn)
		if err != nil {
			return apperr.InvalidFields(apperr.Field("in_office_on", "invalid_date"))
		}
		in.filter.InOfficeOn = &d
	}
	return nil
}

func (s *Server) listDelegates(r request, in delegateQuery) ([]roster.Delegate, error) {
	return s.rosters.ListDelegates(r.ctx, r.p, r.id("id"), in.filter)
}

func (s *Server) createOfficial(r request, in roster.OfficialInput) (roster.Official, error) {
	return s.rosters.CreateOfficial(r.ctx, r.p, r.id("id"), in)
}

func (s *Server) updateOfficial(r request, in roster.OfficialInput) (roster.Official, error) {
	return s.rosters.UpdateOfficial(r.ctx, r.p, r.id("id"), r.id("officialId"), in)
}

// officialQuery filters the officials listed.
type officialQuery struct {
	IncludeInactive string `query:"include_inactive" json:"include_inactive"`
	inactive        bool
}

// Normalize validates the query.
func (in *officialQuery) Normalize() (err error) {
	in.inactive, err = boolParam("include_inactive", in.IncludeInactive)
	return err
}

func (s *Server) listOfficials(r request, in officialQuery) ([]roster.Official, error) {
	return s.rosters.ListOfficials(r.ctx, r.p, r.id("id"), in.inactive)
}

// importResponse answers an import: how many records were (or, in a dry run, would be) imported.
type importResponse struct {
	Imported int  `json:"imported"`
	DryRun   bool `json:"dry_run"`
}

// importDelegates and importOfficials take a CSV body, not JSON: their own form (the council's
// right to manage the roster is checked before a line of the file is read).
func (s *Server) importDelegates(c *fiber.Ctx) error {
	id, dry, body, err := importRequest(c)
	if err != nil {
		return err
	}
	rows, fields := roster.ParseDelegatesCSV(body)
	if len(fields) > 0 {
		return importFailed(fields)
	}
	n, err := s.rosters.ImportDelegates(c.UserContext(), principal(c), id, rows, dry)
	if err != nil {
		return err
	}
	return importDone(c, n, dry)
}

func (s *Server) importOfficials(c *fiber.Ctx) error {
	id, dry, body, err := importRequest(c)
	if err != nil {
		return err
	}
	rows, fields := roster.ParseOfficialsCSV(body)
	if len(fields) > 0 {
		return importFailed(fields)
	}
	n, err := s.rosters.ImportOfficials(c.UserContext(), principal(c), id, rows, dry)
	if err != nil {
		return err
	}
	return importDone(c, n, dry)
}

// importRequest reads the council id, the dry_run flag and the CSV body of an import.
func importRequest(c *fiber.Ctx) (string, bool, []byte, error) {
	id, err := param(c, "id")
	if err != nil {
		return "", false, nil, err
	}
	if err := principal(c).CanManageRoster(id); err != nil { // before reading a line of the file
		return "", false, nil, err
	}
	dry, err := boolParam("dry_run", c.Query("dry_run"))
	if err != nil {
		return "", false, nil, err
	}
	ct := strings.ToLower(c.Get(fiber.HeaderContentType))
	if !strings.HasPrefix(ct, "text/csv") && !strings.HasPrefix(ct, "text/plain") {
		return "", false, nil, apperr.New(apperr.UnsupportedMedia, "unsupported_media").With("expected", "text/csv")
	}
	return id, dry, c.Body(), nil
}

func importFailed(fields []apperr.FieldError) error {
	lines := map[string]bool{}
	for _, f := range fields {
		line, _, _ := strings.Cut(f.Field, ":")
		lines[line] = true
	}
	e := apperr.InvalidFields(fields...)
	e.Code = "import_failed"
	return e.With("count", len(lines))
}

func importDone(c *fiber.Ctx, n int, dry bool) error {
	status := fiber.StatusCreated
	if dry {
		status = fiber.StatusOK
	}
	return c.Status(status).JSON(importResponse{Imported: n, DryRun: dry})
}

func boolParam(name, v string) (bool, error) {
	switch v {
	case "", "false", "0":
		return false, nil
	case "true", "1":
		return true, nil
	}
	return false, apperr.InvalidFields(apperr.Field(name, "one_of", "values", "true, false"))
}

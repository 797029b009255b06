package web

import (
	"context"
	"strings"

	"github.com/gofiber/fiber/v2"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/civil"
	"tinnhiem/internal/roster"
)

// getByID answers a GET of one object named by the path parameter "id".
func getByID[Out any](c *fiber.Ctx, get func(context.Context, auth.Principal, string) (Out, error)) error {
	id, err := param(c, "id")
	if err != nil {
		return err
	}
	out, err := get(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

// createInCouncil answers a POST of a JSON body to a council's collection (the council is the
// path parameter "id"): 201 with what was made.
func createInCouncil[In, Out any](c *fiber.Ctx, create func(context.Context, auth.Principal, string, In) (Out, error)) error {
	id, err := param(c, "id")
	if err != nil {
		return err
	}
	var in In
	if err := bind(c, &in); err != nil {
		return err
	}
	out, err := create(c.UserContext(), principal(c), id, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(out)
}

// updateInCouncil answers a PUT of a JSON body to one item of a council's collection: the council
// is the path parameter "id", the item the parameter named item.
func updateInCouncil[In, Out any](c *fiber.Ctx, item string, update func(context.Context, auth.Principal, string, string, In) (Out, error)) error {
	id, err := param(c, "id")
	if err != nil {
		return err
	}
	itemID, err := param(c, item)
	if err != nil {
		return err
	}
	var in In
	if err := bind(c, &in); err != nil {
		return err
	}
	out, err := update(c.UserContext(), principal(c), id, itemID, in)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

func (s *Server) postCategories(c *fiber.Ctx) error { return c.JSON(roster.Categories) }

func (s *Server) createCouncil(c *fiber.Ctx) error {
	var in roster.CouncilInput
	if err := bind(c, &in); err != nil {
		return err
	}
	out, err := s.b.CreateCouncil(c.UserContext(), principal(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(out)
}

func (s *Server) updateCouncil(c *fiber.Ctx) error {
	id, err := param(c, "id")
	if err != nil {
		return err
	}
	var in roster.CouncilInput
	if err := bind(c, &in); err != nil {
		return err
	}
	out, err := s.b.UpdateCouncil(c.UserContext(), principal(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

func (s *Server) listCouncils(c *fiber.Ctx) error {
	out, err := s.b.ListCouncils(c.UserContext(), principal(c))
	if err != nil {
		return err
	}
	return c.JSON(out)
}

func (s *Server) getCouncil(c *fiber.Ctx) error { return getByID(c, s.b.GetCouncil) }

func (s *Server) createDelegate(c *fiber.Ctx) error { return createInCouncil(c, s.b.CreateDelegate) }

func (s *Server) updateDelegate(c *fiber.Ctx) error {
	return updateInCouncil(c, "delegateId", s.b.UpdateDelegate)
}

func (s *Server) listDelegates(c *fiber.Ctx) error {
	id, err := param(c, "id")
	if err != nil {
		return err
	}
	inactive, err := boolQuery(c, "include_inactive")
	if err != nil {
		return err
	}
	f := roster.DelegateFilter{IncludeInactive: inactive}
	if v := c.Query("in_office_on"); v != "" {
		d, err := civil.Parse(v)
		if err != nil {
			return apperr.InvalidFields(apperr.Field("in_office_on", "invalid_date"))
		}
		f.InOfficeOn = &d
	}
	out, err := s.b.ListDelegates(c.UserContext(), principal(c), id, f)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

// importResponse answers an import: how many records were (or, in a dry run, would be) imported.
type importResponse struct {
	Imported int  `json:"imported"`
	DryRun   bool `json:"dry_run"`
}

func (s *Server) importDelegates(c *fiber.Ctx) error {
	id, dry, body, err := importRequest(c)
	if err != nil {
		return err
	}
	rows, fields := roster.ParseDelegatesCSV(body)
	if len(fields) > 0 {
		return importFailed(fields)
	}
	n, err := s.b.ImportDelegates(c.UserContext(), principal(c), id, rows, dry)
	if err != nil {
		return err
	}
	return importDone(c, n, dry)
}

func (s *Server) createOfficial(c *fiber.Ctx) error { return createInCouncil(c, s.b.CreateOfficial) }

func (s *Server) updateOfficial(c *fiber.Ctx) error {
	return updateInCouncil(c, "officialId", s.b.UpdateOfficial)
}

func (s *Server) listOfficials(c *fiber.Ctx) error {
	id, err := param(c, "id")
	if err != nil {
		return err
	}
	inactive, err := boolQuery(c, "include_inactive")
	if err != nil {
		return err
	}
	out, err := s.b.ListOfficials(c.UserContext(), principal(c), id, inactive)
	if err != nil {
		return err
	}
	return c.JSON(out)
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
	n, err := s.b.ImportOfficials(c.UserContext(), principal(c), id, rows, dry)
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
	dry, err := boolQuery(c, "dry_run")
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

func boolQuery(c *fiber.Ctx, name string) (bool, error) {
	switch c.Query(name) {
	case "", "false", "0":
		return false, nil
	case "true", "1":
		return true, nil
	}
	return false, apperr.InvalidFields(apperr.Field(name, "one_of", "values", "true, false"))
}

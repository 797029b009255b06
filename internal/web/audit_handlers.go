package web

import (
	"strconv"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/audit"
)

// auditQuery selects events of the log.
type auditQuery struct {
	CouncilID string `query:"council_id" json:"council_id" validate:"omitempty,id"`
	VoteID    string `query:"vote_id" json:"vote_id" validate:"omitempty,id"`
	After     string `query:"after" json:"after"`
	Limit     string `query:"limit" json:"limit"`
	filter    audit.Filter
}

// Normalize validates the query and reads it into a filter.
func (in *auditQuery) Normalize() error {
	var fields []apperr.FieldError
	in.filter = audit.Filter{CouncilID: in.CouncilID, VoteID: in.VoteID}
	if in.After != "" {
		n, err := strconv.ParseInt(in.After, 10, 64)
		if err != nil || n < 0 {
			fields = append(fields, apperr.Field("after", "at_least", "min", 0))
		}
		in.filter.After = n
	}
	if in.Limit != "" {
		n, err := strconv.Atoi(in.Limit)
		if err != nil || n < 1 || n > 1000 {
			fields = append(fields, apperr.Field("limit", "out_of_range", "min", 1, "max", 1000))
		}
		in.filter.Limit = n
	}
	if err := checkQuery(in); err != nil {
		return err
	}
	if len(fields) > 0 {
		return apperr.InvalidFields(fields...)
	}
	return nil
}

func (s *Server) listAudit(r request, in auditQuery) ([]audit.Event, error) {
	return s.auditLog.ListAudit(r.ctx, r.p, in.filter)
}

func (s *Server) verifyAudit(r request, _ none) (audit.Result, error) {
	return s.auditLog.VerifyAudit(r.ctx)
}

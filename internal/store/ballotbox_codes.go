package store

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/ballot"
	"tinnhiem/internal/vote"
)

// The ballot box, part one: one-time codes, printed on slips by the board.

type liveCode struct {
	CodeID        string `gorm:"primaryKey"`
	State         string
	RetryTag      *string
	SealedReceipt *string
}

type codeRoute struct {
	CodeID string `gorm:"primaryKey"`
	VoteID string
}

func (codeRoute) TableName() string { return "code_routes" }

// GenerateCodes makes a batch of one-time codes (a board member, while the vote is a draft or open)
// and returns them in plaintext this once, to be printed: only their digests are stored. The total
// stays within T plus the configured spares.
func (s *Store) GenerateCodes(ctx context.Context, p auth.Principal, id string, in vote.CodesInput) ([]string, error) {
	var codes []string
	err := s.act(ctx, p, id, vote.ActGenerateCodes, func(tx *gorm.DB, v vote.Vote, row voteRow) error {
		limit := 0
		if row.CodeLimit != nil {
			limit = *row.CodeLimit
		} else { // a draft: T as the roster stands on the vote date
			total, err := countInOffice(tx, v.CouncilID, v.VoteDate)
			if err != nil {
				return err
			}
			limit = total + s.codeSpares
		}
		if row.CodesGenerated+in.Count > limit {
			return apperr.New(apperr.Conflict, "code_limit").With("spares", s.codeSpares).With("remaining", max(0, limit-row.CodesGenerated))
		}
		codes = make([]string, in.Count)
		live := make([]liveCode, in.Count)
		routes := make([]codeRoute, in.Count)
		for i := range codes {
			codes[i] = ballot.NewCode()
			live[i] = liveCode{CodeID: ballot.CodeID(codes[i]), State: "unused"}
			routes[i] = codeRoute{CodeID: live[i].CodeID, VoteID: id}
		}
		if err := tx.Table(liveCodes(id)).CreateInBatches(&live, 500).Error; err != nil {
			return err
		}
		if err := tx.CreateInBatches(&routes, 500).Error; err != nil {
			return err
		}
		if err := setVote(tx, id, map[string]any{"codes_generated": gorm.Expr("codes_generated + ?", in.Count)}); err != nil {
			return err
		}
		return s.auditVote(tx, p, v, "vote.codes_generate", map[string]any{"count": in.Count, "codes_generated": row.CodesGenerated + in.Count})
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// VoidCode voids an unused code (a spoiled slip handed back to the board).
func (s *Store) VoidCode(ctx context.Context, p auth.Principal, id string, in vote.CodeInput) (vote.Turnout, error) {
	code, err := parseCode(in.Code)
	if err != nil {
		return vote.Turnout{}, err
	}
	var out vote.Turnout
	err = s.act(ctx, p, id, vote.ActVoidCode, func(tx *gorm.DB, v vote.Vote, row voteRow) error {
		codeID := ballot.CodeID(code)
		res := tx.Table(liveCodes(id)).Where("code_id = ? AND state = ?", codeID, "unused").Update("state", "void")
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			var c liveCode
			if err := tx.Table(liveCodes(id)).Where("code_id = ?", codeID).Take(&c).Error; err != nil {
				return notFound(err, "code_unknown")
			}
			return apperr.New(apperr.Conflict, "code_"+c.State)
		}
		if err := setVote(tx, id, map[string]any{"codes_voided": gorm.Expr("codes_voided + 1")}); err != nil {
			return err
		}
		out = row.turnout()
		out.CodesVoided++
		return s.auditVote(tx, p, v, "vote.code_void", map[string]any{"codes_voided": out.CodesVoided})
	})
	return out, err
}

func parseCode(raw string) (string, error) {
	code, err := ballot.ParseCode(raw)
	switch {
	case errors.Is(err, ballot.ErrCodeCheck):
		return "", apperr.InvalidFields(apperr.Field("code", "code_checksum"))
	case err != nil:
		return "", apperr.InvalidFields(apperr.Field("code", "code_malformed"))
	}
	return code, nil
}

package web

import (
	"context"
	"strconv"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/vote"
)

// PaperCount is the board's count of paper ballots (issue 16): the figures, the blind double entry by
// batches, and the encrypted paper totals of an encrypted vote.
type PaperCount interface {
	RecordIssuanceTotals(ctx context.Context, p auth.Principal, id string, in vote.IssuanceTotalsInput) (vote.Vote, error)
	RecordPaperFigures(ctx context.Context, p auth.Principal, id string, in vote.PaperFiguresInput) (vote.Vote, error)
	EnterBatch(ctx context.Context, p auth.Principal, id string, number int, in vote.BatchEntryInput) (vote.PaperEntryResult, error)
	SettleBatch(ctx context.Context, p auth.Principal, id string, number int, in vote.BatchEntryInput) (vote.PaperEntryResult, error)
	PaperBatch(ctx context.Context, p auth.Principal, id string, number int) (vote.PaperEntryResult, error)
	PaperTotals(ctx context.Context, p auth.Principal, id string) (vote.PaperTotals, error)
	SealPaperTotals(ctx context.Context, p auth.Principal, id string, msg vote.Message) (vote.Vote, error)
}

// maxBatch bounds a batch number (a batch of 25 ballots: 250 000 paper ballots).
const maxBatch = 10000

// batchNumber reads the batch number of the path.
func batchNumber(r request) (int, error) {
	n, err := strconv.Atoi(r.id("number"))
	if err != nil || n < 1 || n > maxBatch {
		return 0, apperr.InvalidFields(apperr.Field("number", "out_of_range", "min", 1, "max", maxBatch))
	}
	return n, nil
}

func (s *Server) recordIssuanceTotals(r request, in vote.IssuanceTotalsInput) (voteResponse, error) {
	v, err := s.paper.RecordIssuanceTotals(r.ctx, r.p, r.id("id"), in)
	return s.voteStep(r, v, err)
}

func (s *Server) recordPaperFigures(r request, in vote.PaperFiguresInput) (voteResponse, error) {
	v, err := s.paper.RecordPaperFigures(r.ctx, r.p, r.id("id"), in)
	return s.voteStep(r, v, err)
}

func (s *Server) enterBatch(r request, in vote.BatchEntryInput) (vote.PaperEntryResult, error) {
	n, err := batchNumber(r)
	if err != nil {
		return vote.PaperEntryResult{}, err
	}
	return s.paper.EnterBatch(r.ctx, r.p, r.id("id"), n, in)
}

func (s *Server) settleBatch(r request, in vote.BatchEntryInput) (vote.PaperEntryResult, error) {
	n, err := batchNumber(r)
	if err != nil {
		return vote.PaperEntryResult{}, err
	}
	return s.paper.SettleBatch(r.ctx, r.p, r.id("id"), n, in)
}

func (s *Server) paperBatch(r request, _ none) (vote.PaperEntryResult, error) {
	n, err := batchNumber(r)
	if err != nil {
		return vote.PaperEntryResult{}, err
	}
	return s.paper.PaperBatch(r.ctx, r.p, r.id("id"), n)
}

func (s *Server) paperTotals(r request, _ none) (vote.PaperTotals, error) {
	return s.paper.PaperTotals(r.ctx, r.p, r.id("id"))
}

func (s *Server) sealPaperTotals(r request, msg vote.Message) (voteResponse, error) {
	v, err := s.paper.SealPaperTotals(r.ctx, r.p, r.id("id"), msg)
	return s.voteStep(r, v, err)
}

package store

import (
	"context"

	"tinnhiem/internal/ballot"
	"tinnhiem/internal/vote"
)

// CastBatch writes the given casts of one vote as one commit batch, in this order, as the vote's
// batcher would when they arrive together (tests: the batch a concurrent load would form is not
// deterministic). Each cast gets its receipt or its error.
func CastBatch(ctx context.Context, s *Store, voteID string, in []vote.CastInput) ([]vote.Receipt, []error) {
	jobs := make([]*castJob, len(in))
	outs, errs := make([]vote.Receipt, len(in)), make([]error, len(in))
	var ready []*castJob
	for i, c := range in {
		code, err := parseCode(c.Code)
		if err != nil {
			errs[i] = err
			continue
		}
		cv, err := s.routeCode(ctx, code)
		if err != nil {
			errs[i] = err
			continue
		}
		marks, err := ballot.Encode(cv.kind, cv.subjects, c.Choices)
		if err != nil {
			errs[i] = err
			continue
		}
		jobs[i] = &castJob{ctx: ctx, code: code, codeID: ballot.CodeID(code), tag: ballot.RetryTag(code, marks), marks: marks}
		ready = append(ready, jobs[i])
	}
	s.commitCasts(ctx, voteID, ready)
	for i, j := range jobs {
		if j != nil {
			outs[i], errs[i] = j.out, j.err
		}
	}
	return outs, errs
}

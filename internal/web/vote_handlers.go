package web

import (
	"tinnhiem/internal/i18n"
	"tinnhiem/internal/tally"
	"tinnhiem/internal/vote"
)

// voteResponse is a vote with its warnings worded in the caller's language and its turnout from the
// snapshot (turnout.go).
type voteResponse struct {
	vote.Vote
	Warnings []warningResponse `json:"warnings"`
	Steps    []vote.Step       `json:"steps"`
}

type warningResponse struct {
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Params  map[string]any `json:"params,omitempty"`
}

func (s *Server) voteOut(r request, v vote.Vote) voteResponse {
	v.Turnout = s.snapshot(v.ID, v.Turnout)
	lang := r.lang()
	out := voteResponse{Vote: v, Warnings: make([]warningResponse, len(v.Warnings)), Steps: vote.Steps(v)}
	for i, w := range v.Warnings {
		out.Warnings[i] = warningResponse{Code: w.Code, Message: i18n.Message(lang, w.Code, w.Params), Params: w.Params}
	}
	if v.Paper != nil { // the reconciliation's problems, worded for the reader
		p := *v.Paper
		p.Problems = make([]vote.Problem, len(v.Paper.Problems))
		for i, pr := range v.Paper.Problems {
			pr.Message = i18n.Message(lang, pr.Code, pr.Params)
			p.Problems[i] = pr
		}
		if w := p.Warning; w != nil {
			p.Warning = &vote.Problem{Field: w.Field, Code: w.Code, Params: w.Params, Message: i18n.Message(lang, w.Code, w.Params)}
		}
		out.Vote.Paper = &p
	}
	return out
}

// voteStep answers a use case that returns the vote.
func (s *Server) voteStep(r request, v vote.Vote, err error) (voteResponse, error) {
	if err != nil {
		return voteResponse{}, err
	}
	return s.voteOut(r, v), nil
}

func (s *Server) createVote(r request, in vote.Input) (voteResponse, error) {
	in.IdempotencyKey = idempotencyKey(r.c)
	if err := in.Normalize(); err != nil { // the key is validated with the rest
		return voteResponse{}, err
	}
	v, err := s.votes.CreateVote(r.ctx, r.p, r.id("id"), in)
	return s.voteStep(r, v, err)
}

func (s *Server) listVotes(r request, _ none) ([]voteResponse, error) {
	vs, err := s.votes.ListVotes(r.ctx, r.p, r.id("id"))
	if err != nil {
		return nil, err
	}
	out := make([]voteResponse, len(vs))
	for i, v := range vs {
		out[i] = s.voteOut(r, v)
	}
	return out, nil
}

func (s *Server) getVote(r request, _ none) (voteResponse, error) {
	v, err := s.votes.GetVote(r.ctx, r.p, r.id("id"))
	return s.voteStep(r, v, err)
}

func (s *Server) setBoard(r request, in vote.BoardInput) (voteResponse, error) {
	v, err := s.votes.SetBoard(r.ctx, r.p, r.id("id"), in)
	return s.voteStep(r, v, err)
}

func (s *Server) openVote(r request, _ none) (voteResponse, error) {
	v, err := s.votes.OpenVote(r.ctx, r.p, r.id("id"))
	return s.voteStep(r, v, err)
}

func (s *Server) closeVote(r request, _ none) (voteResponse, error) {
	v, err := s.votes.CloseVote(r.ctx, r.p, r.id("id"))
	return s.voteStep(r, v, err)
}

func (s *Server) cancelVote(r request, in vote.CancelInput) (voteResponse, error) {
	v, err := s.votes.CancelVote(r.ctx, r.p, r.id("id"), in)
	return s.voteStep(r, v, err)
}

func (s *Server) approveAccountChange(r request, in vote.AccountApprovalInput) (voteResponse, error) {
	v, err := s.votes.ApproveAccountChange(r.ctx, r.p, r.id("id"), in)
	return s.voteStep(r, v, err)
}

func (s *Server) tally(r request, _ none) (tally.Result, error) {
	return s.votes.Tally(r.ctx, r.p, r.id("id"))
}

func (s *Server) markAbsent(r request, in vote.AbsentInput) (voteResponse, error) {
	v, err := s.votes.MarkAbsent(r.ctx, r.p, r.id("id"), in)
	return s.voteStep(r, v, err)
}

func (s *Server) certify(r request, in vote.CertifyInput) (voteResponse, error) {
	v, err := s.votes.Certify(r.ctx, r.p, r.id("id"), in)
	return s.voteStep(r, v, err)
}

func (s *Server) announce(r request, _ none) (voteResponse, error) {
	v, err := s.votes.Announce(r.ctx, r.p, r.id("id"))
	return s.voteStep(r, v, err)
}

func (s *Server) recordResignation(r request, in vote.ResignationInput) (voteResponse, error) {
	v, err := s.votes.RecordResignation(r.ctx, r.p, r.id("id"), in)
	return s.voteStep(r, v, err)
}

func (s *Server) publish(r request, in vote.PublishInput) (voteResponse, error) {
	v, err := s.votes.Publish(r.ctx, r.p, r.id("id"), in)
	return s.voteStep(r, v, err)
}

func (s *Server) setPortalPosting(r request, in vote.PortalInput) (voteResponse, error) {
	v, err := s.votes.SetPortalPosting(r.ctx, r.p, r.id("id"), in)
	return s.voteStep(r, v, err)
}

func (s *Server) publicResults(r request, _ none) (vote.PublicResult, error) {
	return s.votes.PublicResults(r.ctx, r.id("id"))
}

func (s *Server) publishedVotes(r request, _ none) ([]vote.PublicVote, error) {
	return s.votes.PublishedVotes(r.ctx)
}

func (s *Server) currentVotes(r request, _ none) ([]vote.CurrentVote, error) {
	return s.votes.CurrentVotes(r.ctx)
}

func (s *Server) recordDecision(r request, in vote.DecisionInput) (voteResponse, error) {
	v, err := s.votes.RecordDecision(r.ctx, r.p, r.id("id"), in)
	return s.voteStep(r, v, err)
}

func (s *Server) changeBase(r request, in vote.BaseChangeInput) (voteResponse, error) {
	v, err := s.votes.ChangeBase(r.ctx, r.p, r.id("id"), in)
	return s.voteStep(r, v, err)
}

func (s *Server) setSignedIssuance(r request, in vote.SignedIssuanceInput) (voteResponse, error) {
	v, err := s.votes.SetSignedIssuance(r.ctx, r.p, r.id("id"), in)
	return s.voteStep(r, v, err)
}

func (s *Server) recount(r request, in vote.RecountInput) (voteResponse, error) {
	v, err := s.votes.Recount(r.ctx, r.p, r.id("id"), in)
	return s.voteStep(r, v, err)
}

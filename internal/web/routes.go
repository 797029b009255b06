package web

import (
	"github.com/gofiber/fiber/v2"

	"tinnhiem/internal/vote"
)

// routes is the one flat route table of the server. Middleware order: recover, request id, request
// log, security headers, request deadline; then authentication per group.
func (s *Server) routes() {
	a := s.app
	a.Use(s.recoverer, s.requestID, s.requestLog, s.securityHeaders, s.deadline)

	a.Get("/healthz", s.healthz)
	a.Get("/readyz", s.readyz)
	a.Get("/metrics", s.metricsHandler())
	a.Get("/api/openapi.json", s.openAPI)

	v1 := a.Group("/api/v1")
	// Without login: logging in, casting (a one-time code is the only credential) and published
	// results. They come before the staff group, whose authentication applies to every later route.
	v1.Post("/auth/login", s.login)
	v1.Post("/ballots", s.castBallot)
	v1.Post("/ballots/lookup", s.lookupCode)
	v1.Get("/public/votes", s.publishedVotes)
	v1.Get("/public/votes/:id/results", s.publicResults)
	v1.Get("/public/votes/:id/resolution.pdf", s.publicResolution)

	staff := v1.Group("", s.requireStaff)
	staff.Get("/me", s.me)
	staff.Get("/post-categories", s.postCategories)

	staff.Post("/users", s.createUser)
	staff.Get("/users", s.listUsers)
	staff.Patch("/users/:id", s.updateUser)

	staff.Post("/councils", s.createCouncil)
	staff.Get("/councils", s.listCouncils)
	staff.Get("/councils/:id", s.getCouncil)
	staff.Put("/councils/:id", s.updateCouncil)

	staff.Post("/councils/:id/delegates", s.createDelegate)
	staff.Get("/councils/:id/delegates", s.listDelegates)
	staff.Post("/councils/:id/delegates/import", s.importDelegates)
	staff.Put("/councils/:id/delegates/:delegateId", s.updateDelegate)

	staff.Post("/councils/:id/officials", s.createOfficial)
	staff.Get("/councils/:id/officials", s.listOfficials)
	staff.Post("/councils/:id/officials/import", s.importOfficials)
	staff.Put("/councils/:id/officials/:officialId", s.updateOfficial)

	staff.Get("/audit", s.listAudit)
	staff.Get("/audit/verify", s.verifyAudit)
	staff.Get("/rule-sets", s.ruleSets)

	staff.Post("/councils/:id/votes", s.createVote)
	staff.Get("/councils/:id/votes", s.listVotes)
	staff.Get("/votes/:id", s.getVote)
	staff.Put("/votes/:id/board", voteAction(s, func(b Backend, c *fiber.Ctx, id string, in vote.BoardInput) (vote.Vote, error) {
		return b.SetBoard(c.UserContext(), principal(c), id, in)
	}))
	staff.Post("/votes/:id/open", s.voteStep(func(b Backend, c *fiber.Ctx, id string) (vote.Vote, error) {
		return b.OpenVote(c.UserContext(), principal(c), id)
	}))
	staff.Post("/votes/:id/cancel", voteAction(s, func(b Backend, c *fiber.Ctx, id string, in vote.CancelInput) (vote.Vote, error) {
		return b.CancelVote(c.UserContext(), principal(c), id, in)
	}))
	staff.Post("/votes/:id/codes", s.generateCodes)
	staff.Post("/votes/:id/codes/void", s.voidCode)
	staff.Post("/votes/:id/issuances", s.issueBallot)
	staff.Get("/votes/:id/issuances", s.listIssuances)
	staff.Post("/votes/:id/close", s.voteStep(func(b Backend, c *fiber.Ctx, id string) (vote.Vote, error) {
		return b.CloseVote(c.UserContext(), principal(c), id)
	}))
	staff.Get("/votes/:id/turnout", s.turnout)
	staff.Get("/votes/:id/turnout/stream", s.turnoutStream)
	staff.Get("/votes/:id/tally", s.tally)
	staff.Post("/votes/:id/certifications", voteAction(s, func(b Backend, c *fiber.Ctx, id string, in vote.CertifyInput) (vote.Vote, error) {
		return b.Certify(c.UserContext(), principal(c), id, in)
	}))
	staff.Post("/votes/:id/resignations", voteAction(s, func(b Backend, c *fiber.Ctx, id string, in vote.ResignationInput) (vote.Vote, error) {
		return b.RecordResignation(c.UserContext(), principal(c), id, in)
	}))
	staff.Post("/votes/:id/publish", voteAction(s, func(b Backend, c *fiber.Ctx, id string, in vote.PublishInput) (vote.Vote, error) {
		return b.Publish(c.UserContext(), principal(c), id, in)
	}))
	for _, name := range []string{"ballot.pdf", "minutes.pdf", "minutes.docx", "resolution.pdf", "resolution.docx", "resolution.html"} {
		staff.Get("/votes/:id/documents/"+name, s.voteFile(name))
	}
	for _, name := range []string{"results.csv", "results.xlsx", "results.json"} {
		staff.Get("/votes/:id/"+name, s.voteFile(name))
	}
	staff.Get("/councils/:id/staff", s.councilStaff)
	staff.Get("/councils/:id/document-settings", s.getDocumentSettings)
	staff.Put("/councils/:id/document-settings", s.putDocumentSettings)
	staff.Put("/votes/:id/portal-posting", voteAction(s, func(b Backend, c *fiber.Ctx, id string, in vote.PortalInput) (vote.Vote, error) {
		return b.SetPortalPosting(c.UserContext(), principal(c), id, in)
	}))

	a.Use("/api", s.notFound)
	s.frontend()
}

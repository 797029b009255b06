package web

import (
	"github.com/gofiber/fiber/v2"
)

// routes is the one flat route table of the server. Middleware order: recover, request id, request
// log, security headers, request deadline; then authentication per group. Every JSON route is one
// handle(...) form: bind, validate, call, respond.
func (s *Server) routes() {
	a := s.app
	a.Use(s.recoverer, s.requestID, s.requestLog, s.securityHeaders, s.deadline)

	a.Get("/healthz", s.healthz)
	a.Get("/readyz", s.readyz)
	a.Get("/metrics", s.metricsHandler(true))
	a.Get("/api/openapi.json", s.openAPI)

	v1 := a.Group("/api/v1")
	// Without login: logging in, casting (a one-time code is the only credential) and published
	// results. They come before the staff group, whose authentication applies to every later route.
	v1.Post("/auth/login", s.login)
	v1.Post("/ballots", s.castBallot)
	v1.Post("/ballots/lookup", s.lookupCode)
	v1.Post("/encrypted-ballots", s.castEncrypted)
	v1.Post("/encrypted-ballots/lookup", s.lookupCredential)
	v1.Post("/encrypted-ballots/spoiled", s.spoilEncrypted)
	v1.Post("/tracking-codes/lookup", handle(200, s.lookupTracking))
	v1.Get("/build", handle(200, s.build))
	v1.Get("/public/votes", handle(200, s.publishedVotes))
	v1.Get("/public/current-votes", handle(200, s.currentVotes))
	v1.Get("/public/votes/:id/results", handle(200, s.publicResults))
	v1.Get("/public/votes/:id/resolution.pdf", s.publicResolution)
	v1.Get("/public/votes/:id/record", s.publicRecord)
	v1.Get("/display", handle(200, s.display))               // the projector: its link's token in X-Display-Token
	v1.Get("/kiosk/practice", handle(200, s.practiceBallot)) // a registered kiosk: X-Kiosk-Token

	staff := v1.Group("", s.requireStaff)
	staff.Post("/auth/logout", handle(200, s.logout))
	staff.Get("/me", handle(200, s.me))
	staff.Get("/post-categories", handle(200, s.postCategories))
	staff.Get("/rule-sets", handle(200, s.ruleSets))
	staff.Get("/role-table", handle(200, s.roleTable))

	staff.Post("/users", handle(fiber.StatusCreated, s.createUser))
	staff.Get("/users", handle(200, s.listUsers))
	staff.Patch("/users/:id", handle(200, s.updateUser))

	staff.Post("/councils", handle(fiber.StatusCreated, s.createCouncil))
	staff.Get("/councils", handle(200, s.listCouncils))
	staff.Get("/councils/:id", handle(200, s.getCouncil))
	staff.Put("/councils/:id", handle(200, s.updateCouncil))
	staff.Get("/councils/:id/staff", handle(200, s.councilStaff))
	staff.Post("/councils/:id/displays", handle(fiber.StatusCreated, s.createDisplay))
	staff.Get("/councils/:id/displays", handle(200, s.listDisplays))
	staff.Delete("/councils/:id/displays/:displayId", handle(200, s.revokeDisplay))
	staff.Get("/councils/:id/document-settings", handle(200, s.getDocumentSettings))
	staff.Put("/councils/:id/document-settings", handle(200, s.putDocumentSettings))

	staff.Post("/councils/:id/delegates", handle(fiber.StatusCreated, s.createDelegate))
	staff.Get("/councils/:id/delegates", handle(200, s.listDelegates))
	staff.Post("/councils/:id/delegates/import", s.importDelegates)
	staff.Put("/councils/:id/delegates/:delegateId", handle(200, s.updateDelegate))

	staff.Post("/councils/:id/officials", handle(fiber.StatusCreated, s.createOfficial))
	staff.Get("/councils/:id/officials", handle(200, s.listOfficials))
	staff.Post("/councils/:id/officials/import", s.importOfficials)
	staff.Put("/councils/:id/officials/:officialId", handle(200, s.updateOfficial))

	staff.Get("/audit", handle(200, s.listAudit))
	staff.Get("/audit/verify", handle(200, s.verifyAudit))

	staff.Post("/councils/:id/votes", handle(fiber.StatusCreated, s.createVote))
	staff.Get("/councils/:id/votes", handle(200, s.listVotes))
	staff.Get("/votes/:id", handle(200, s.getVote))
	staff.Put("/votes/:id", handle(200, s.editDraft))
	staff.Put("/votes/:id/board", handle(200, s.setBoard))
	staff.Post("/votes/:id/open", handle(200, s.openVote))
	staff.Post("/votes/:id/close", handle(200, s.closeVote))
	staff.Post("/votes/:id/cancel", handle(200, s.cancelVote))
	staff.Post("/votes/:id/account-approvals", handle(fiber.StatusCreated, s.approveAccountChange))
	staff.Post("/votes/:id/devices", handle(fiber.StatusCreated, s.registerDevice))
	staff.Get("/votes/:id/devices", handle(200, s.listDevices))
	staff.Delete("/votes/:id/devices/:deviceId", handle(200, s.revokeDevice))
	staff.Get("/votes/:id/security", handle(200, s.security))
	staff.Post("/votes/:id/ceremony", handle(fiber.StatusCreated, s.startCeremony))
	staff.Get("/ceremonies/:id", handle(200, s.getCeremony))
	staff.Post("/ceremonies/:id/round1", s.ceremonyPost(s.crypto.PostRound1))
	staff.Post("/ceremonies/:id/round2", s.ceremonyPost(s.crypto.PostRound2))
	staff.Post("/ceremonies/:id/round3", s.ceremonyPost(s.crypto.PostRound3))
	staff.Post("/ceremonies/:id/reopen", s.ceremonyPost(s.crypto.PostReopen))
	staff.Post("/ceremonies/:id/lost", handle(200, s.declareShareLost))
	staff.Post("/ceremonies/:id/abort", handle(200, s.abortCeremony))
	staff.Post("/ceremonies/:id/destructions", s.ceremonyPost(s.crypto.ConfirmDestruction))
	staff.Post("/votes/:id/credentials", handle(fiber.StatusCreated, s.registerCredentials))
	staff.Get("/votes/:id/encrypted-ballots", handle(200, s.encryptedBallots))
	staff.Post("/votes/:id/partial-decryptions", handle(200, s.submitPartial))
	staff.Post("/votes/:id/codes", s.generateCodes)
	staff.Post("/votes/:id/codes/void", handle(200, s.voidCode))
	staff.Post("/votes/:id/issuances", handle(fiber.StatusCreated, s.issueBallot))
	staff.Get("/votes/:id/issuances", handle(200, s.listIssuances))
	staff.Delete("/votes/:id/issuances/:delegateId", handle(200, s.withdrawIssuance))
	staff.Put("/votes/:id/issuances/:delegateId", handle(200, s.swapIssuance))
	staff.Put("/votes/:id/paper/issuance", handle(200, s.recordIssuanceTotals))
	staff.Put("/votes/:id/paper/figures", handle(200, s.recordPaperFigures))
	staff.Get("/votes/:id/paper/totals", handle(200, s.paperTotals))
	staff.Post("/votes/:id/paper/sealed-totals", handle(200, s.sealPaperTotals))
	staff.Get("/votes/:id/paper/batches/:number", handle(200, s.paperBatch))
	staff.Post("/votes/:id/paper/batches/:number/entries", handle(200, s.enterBatch))
	staff.Post("/votes/:id/paper/batches/:number/settle", handle(200, s.settleBatch))
	staff.Get("/votes/:id/turnout", handle(200, s.turnout))
	staff.Get("/votes/:id/turnout/stream", s.turnoutStream)
	staff.Get("/votes/:id/tally", handle(200, s.tally))
	staff.Post("/votes/:id/absences", handle(200, s.markAbsent))
	staff.Post("/votes/:id/certifications", handle(200, s.certify))
	staff.Post("/votes/:id/announce", handle(200, s.announce))
	staff.Post("/votes/:id/resignations", handle(200, s.recordResignation))
	staff.Post("/votes/:id/decisions", handle(fiber.StatusCreated, s.recordDecision))
	staff.Post("/votes/:id/base", handle(200, s.changeBase))
	staff.Put("/votes/:id/signed-issuance", handle(200, s.setSignedIssuance))
	staff.Post("/votes/:id/recount", handle(200, s.recount))
	staff.Post("/votes/:id/publish", handle(200, s.publish))
	staff.Put("/votes/:id/portal-posting", handle(200, s.setPortalPosting))
	for _, name := range []string{"ballot.pdf", "issuance-list.pdf", "issuance-list.docx", "minutes.pdf", "minutes.docx", "resolution.pdf", "resolution.docx", "resolution.html"} {
		staff.Get("/votes/:id/documents/"+name, s.voteFile(name))
	}
	for _, name := range []string{"results.csv", "results.xlsx", "results.json"} {
		staff.Get("/votes/:id/"+name, s.voteFile(name))
	}

	a.Use("/api", s.notFound)
	s.frontend()
}

package web

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
	v1.Post("/auth/login", s.login)

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

	a.Use("/api", s.notFound)
	s.frontend()
}

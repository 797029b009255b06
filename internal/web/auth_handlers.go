package web

import (
	"github.com/gofiber/fiber/v2"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/validate"
)

type loginRequest struct {
	Username string `json:"username" validate:"required,max=64,nocontrol"`
	Password string `json:"password" validate:"required,max=256,nocontrol"`
}

// Normalize validates the request.
func (in *loginRequest) Normalize() error {
	if fields := validate.Struct(in, ""); len(fields) > 0 {
		return apperr.InvalidFields(fields...)
	}
	return nil
}

// login is handle's form with the login throttle's logging around it: refused logins are logged with
// the client's address (never the password).
func (s *Server) login(c *fiber.Ctx) error {
	return handle(200, func(r request, in loginRequest) (auth.LoginResult, error) {
		addr := s.clientIP(c)
		res, err := s.auth.Login(r.ctx, in.Username, in.Password, addr)
		if apperr.IsKind(err, apperr.Unauthenticated) || apperr.IsKind(err, apperr.TooMany) {
			s.log.Warn("login refused", "username", in.Username, "ip", addr, "request_id", requestID(c))
		}
		return res, err
	})(c)
}

// logoutResponse confirms a logout.
type logoutResponse struct {
	LoggedOut bool `json:"logged_out"`
}

// logout ends every token of the caller's account (on every device).
func (s *Server) logout(r request, _ none) (logoutResponse, error) {
	return logoutResponse{LoggedOut: true}, s.accounts.RevokeTokens(r.ctx, r.p)
}

func (s *Server) me(r request, _ none) (auth.User, error) {
	return s.accounts.UserByID(r.ctx, r.p.UserID)
}

func (s *Server) createUser(r request, in auth.UserInput) (auth.User, error) {
	return s.accounts.CreateUser(r.ctx, r.p, in)
}

// userQuery filters the list of accounts.
type userQuery struct {
	CouncilID string `query:"council_id" json:"council_id" validate:"omitempty,id"`
}

// Normalize validates the query.
func (in *userQuery) Normalize() error { return checkQuery(in) }

func (s *Server) listUsers(r request, in userQuery) ([]auth.User, error) {
	return s.accounts.ListUsers(r.ctx, r.p, in.CouncilID)
}

func (s *Server) updateUser(r request, in auth.UserPatch) (auth.User, error) {
	return s.accounts.UpdateUser(r.ctx, r.p, r.id("id"), in)
}

func (s *Server) councilStaff(r request, _ none) ([]auth.User, error) {
	return s.accounts.CouncilStaff(r.ctx, r.p, r.id("id"))
}

func checkQuery(in any) error {
	if fields := validate.Struct(in, ""); len(fields) > 0 {
		return apperr.InvalidFields(fields...)
	}
	return nil
}

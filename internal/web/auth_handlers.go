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

func (s *Server) login(c *fiber.Ctx) error {
	var in loginRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	if fields := validate.Struct(&in, ""); len(fields) > 0 {
		return apperr.InvalidFields(fields...)
	}
	res, err := s.auth.Login(c.UserContext(), in.Username, in.Password, c.IP())
	if err != nil {
		if apperr.IsKind(err, apperr.Unauthenticated) || apperr.IsKind(err, apperr.TooMany) {
			s.log.Warn("login refused", "username", in.Username, "ip", c.IP(), "request_id", requestID(c))
		}
		return err
	}
	return c.JSON(res)
}

func (s *Server) me(c *fiber.Ctx) error {
	u, err := s.b.UserByID(c.UserContext(), principal(c).UserID)
	if err != nil {
		return err
	}
	return c.JSON(u)
}

func (s *Server) createUser(c *fiber.Ctx) error {
	var in auth.UserInput
	if err := bind(c, &in); err != nil {
		return err
	}
	u, err := s.b.CreateUser(c.UserContext(), principal(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(u)
}

func (s *Server) listUsers(c *fiber.Ctx) error {
	us, err := s.b.ListUsers(c.UserContext(), principal(c), c.Query("council_id"))
	if err != nil {
		return err
	}
	return c.JSON(us)
}

func (s *Server) updateUser(c *fiber.Ctx) error {
	id, err := param(c, "id")
	if err != nil {
		return err
	}
	var in auth.UserPatch
	if err := bind(c, &in); err != nil {
		return err
	}
	u, err := s.b.UpdateUser(c.UserContext(), principal(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(u)
}

func (s *Server) councilStaff(c *fiber.Ctx) error {
	id, err := param(c, "id")
	if err != nil {
		return err
	}
	us, err := s.b.CouncilStaff(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(us)
}

package web

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/auth"
	"tinnhiem/internal/i18n"
)

// none is the input of a request that carries no body or query.
type none struct{}

// Normalize accepts nothing to validate.
func (*none) Normalize() error { return nil }

// normalizer is an input type that cleans and validates itself: the one validation path of the API.
type normalizer[T any] interface {
	*T
	Normalize() error
}

// request is what a use-case call sees of its HTTP request: the context (with its deadline), the
// caller, and the route's identifiers (already checked).
type request struct {
	c   *fiber.Ctx
	ctx context.Context
	p   auth.Principal
}

// id returns a path identifier of the route.
func (r request) id(name string) string { return r.c.Params(name) }

// lang is the language the caller asked for.
func (r request) lang() i18n.Lang {
	return i18n.FromAcceptLanguage(r.c.Get(fiber.HeaderAcceptLanguage))
}

// handle is the one handler form of the JSON API: bind (the route's identifiers are checked; a GET's
// input is read from the query, any other's from a strict JSON body, unless In is none), validate (In's
// Normalize), call the use case, respond with its result and the given status.
func handle[In any, PIn normalizer[In], Out any](status int, call func(r request, in In) (Out, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		r, in, err := bindInput[In, PIn](c)
		if err != nil {
			return err
		}
		out, err := call(r, in)
		if err != nil {
			return err
		}
		return c.Status(status).JSON(out)
	}
}

// bindInput is handle's bind and validate steps, for the few handlers whose response is not one JSON
// value (a PDF of code slips, a cast's 201 or 200).
func bindInput[In any, PIn normalizer[In]](c *fiber.Ctx) (request, In, error) {
	var in In
	for _, name := range c.Route().Params {
		if _, err := param(c, name); err != nil {
			return request{}, in, err
		}
	}
	if _, empty := any(&in).(*none); !empty {
		var err error
		if c.Method() == fiber.MethodGet {
			err = bindQuery(c, &in)
		} else {
			err = bind(c, &in)
		}
		if err != nil {
			return request{}, in, err
		}
	}
	if err := PIn(&in).Normalize(); err != nil {
		return request{}, in, err
	}
	return request{c: c, ctx: c.UserContext(), p: principal(c)}, in, nil
}

// bindQuery reads a GET request's query into dst (fields tagged `query`); a value of the wrong type
// is a 422 naming the parameter.
func bindQuery(c *fiber.Ctx, dst any) error {
	if err := c.QueryParser(dst); err != nil {
		return apperr.InvalidFields(apperr.Field("query", "invalid_value"))
	}
	return nil
}

package web

import (
	"context"
	_ "embed"
	"encoding/json"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gofiber/fiber/v2"
)

//go:embed openapi.yaml
var openAPIYAML []byte

var (
	openAPIOnce sync.Once
	openAPIJSON []byte
	openAPIErr  error
)

// OpenAPI loads and validates the embedded OpenAPI document.
func OpenAPI() (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(openAPIYAML)
	if err != nil {
		return nil, err
	}
	return doc, doc.Validate(context.Background())
}

func (s *Server) openAPI(c *fiber.Ctx) error {
	openAPIOnce.Do(func() {
		doc, err := OpenAPI()
		if err != nil {
			openAPIErr = err
			return
		}
		openAPIJSON, openAPIErr = json.Marshal(doc)
	})
	if openAPIErr != nil {
		return openAPIErr
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(openAPIJSON)
}

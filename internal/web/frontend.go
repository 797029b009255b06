package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// dist holds the built web frontend (frontend/ is built into it by make).
//
//go:embed all:dist
var dist embed.FS

// frontend serves the single-page application for every GET outside /api: a file of the build when
// one matches, index.html otherwise, so the app's own routes work on reload. Registered last.
func (s *Server) frontend() {
	root, _ := fs.Sub(dist, "dist")
	index, err := fs.ReadFile(root, "index.html")
	if err != nil {
		index = []byte(placeholderPage)
	}
	s.app.Get("/*", func(c *fiber.Ctx) error {
		p := strings.TrimPrefix(path.Clean("/"+c.Params("*")), "/")
		if p != "" && p != "index.html" {
			if b, err := fs.ReadFile(root, p); err == nil {
				if ct := mime.TypeByExtension(path.Ext(p)); ct != "" {
					c.Set(fiber.HeaderContentType, ct)
				}
				if strings.HasPrefix(p, "assets/") { // hashed file names: cache for a year
					c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
				}
				return c.Send(b)
			}
			if path.Ext(p) != "" {
				return fiber.ErrNotFound
			}
		}
		c.Set(fiber.HeaderCacheControl, "no-cache")
		c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
		return c.Send(index)
	})
}

// placeholderPage is served when the binary was built without the frontend (go build alone).
const placeholderPage = `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Tín Nhiệm</title></head>
<body><h1>Tín Nhiệm</h1><p>Máy chủ đang chạy, nhưng bản dựng này chưa có giao diện web (chạy <code>make build</code>).</p>
<p>The server is running, but this build has no web interface (run <code>make build</code>).</p>
<p>API: <a href="/api/openapi.json">/api/openapi.json</a></p></body></html>`

// FrontendHash is the SHA-256 of the served web app (every file of the build, in path order, each
// framed by its path and length): the code that runs the kiosks and the board's browsers. It is
// printed in the minutes and can be compared with a release's published hash.
func FrontendHash() string {
	root, err := fs.Sub(dist, "dist")
	if err != nil {
		return ""
	}
	h := sha256.New()
	files := 0
	_ = fs.WalkDir(root, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(path.Base(p), ".") {
			return err // a walk of an embedded tree fails only on a bug; an empty hash then says "unknown"
		}
		b, err := fs.ReadFile(root, p)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", p, len(b))
		h.Write(b)
		files++
		return nil
	})
	if files == 0 {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
}

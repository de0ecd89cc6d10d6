package web

import (
	"bytes"
	_ "embed"
	"net/http"
	"time"
)

// openAPI describes every route of routes.go; TestOpenAPIMatchesRoutes
// keeps the two in step.
//
//go:embed openapi.json
var openAPI []byte

// openAPIETag validates cached copies of the one, unchanging document.
var openAPIETag = etag(openAPI)

// handleOpenAPI serves GET /openapi.json: the OpenAPI 3.0 description of the
// whole HTTP API, the service-desc of the OGC API – Features landing page.
func (s *server) handleOpenAPI(w http.ResponseWriter, r *http.Request) error {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Cache-Control", "public, max-age=300")
	h.Set("Content-Type", mediaOpenAPI)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("ETag", openAPIETag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(openAPI))
	return nil
}

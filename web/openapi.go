package web

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/aimaq/aimaq/geo/classify"
	"github.com/aimaq/aimaq/geo/indicator"
	"github.com/aimaq/aimaq/geo/level"
)

// openAPITemplate describes every route of routes.go; TestOpenAPIMatchesRoutes
// keeps the two in step. The names it lists — indicators, levels,
// classification methods and class limits — are filled in from the
// catalogues (geo/indicator, geo/level, geo/classify), not written in it.
//
//go:embed openapi.json
var openAPITemplate []byte

var (
	openAPI     = mustOpenAPI(openAPITemplate)
	openAPIETag = etag(openAPI) // validates cached copies of the one, unchanging document
)

// mustOpenAPI fills the catalogue's names into the description; the
// template is part of the binary, so a mistake in it is a build mistake
// that every test run catches.
func mustOpenAPI(template []byte) []byte {
	var doc map[string]any
	if err := json.Unmarshal(template, &doc); err != nil {
		panic(fmt.Sprintf("web: openapi.json: %v", err))
	}
	var indicators []string
	for _, in := range indicator.All() {
		indicators = append(indicators, in.Name)
	}
	methods := classify.Methods()
	schemaOf := func(p any) map[string]any { return p.(map[string]any)["schema"].(map[string]any) }
	for path, item := range doc["paths"].(map[string]any) {
		for _, op := range item.(map[string]any) {
			params, _ := op.(map[string]any)["parameters"].([]any)
			for _, p := range params {
				prm, ok := p.(map[string]any)
				if !ok || prm["name"] == nil {
					continue // a $ref to a shared parameter
				}
				switch prm["name"] {
				case "indicator":
					s := schemaOf(prm)
					delete(s, "pattern")
					s["enum"] = indicators
				case "level":
					use := level.Any
					if path == "/api/disparity" {
						use = level.Disparity
					}
					schemaOf(prm)["enum"] = level.Names(use)
				}
			}
		}
	}
	shared := doc["components"].(map[string]any)["parameters"].(map[string]any)
	schemaOf(shared["level"])["enum"] = level.Names(level.Mapped)
	schemaOf(shared["method"])["enum"] = methods
	classes := schemaOf(shared["classes"])
	classes["minimum"], classes["maximum"] = classify.MinClasses, classify.MaxClasses
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		panic(fmt.Sprintf("web: openapi.json: %v", err))
	}
	return out
}

// handleOpenAPI serves GET /openapi.json: the OpenAPI 3.0 description of the
// whole HTTP API, the service-desc of the OGC API – Features landing page.
func (s *server) handleOpenAPI(w http.ResponseWriter, r *http.Request) error {
	h := w.Header()
	h.Set("Cache-Control", "public, max-age=300")
	h.Set("Content-Type", mediaOpenAPI)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("ETag", openAPIETag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(openAPI))
	return nil
}

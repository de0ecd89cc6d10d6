package web

import "net/http"

// ogcLanding is the body of GET /ogc.
type ogcLanding struct {
	Title       string    `json:"title"`
	Description string    `json:"description"`
	Links       []ogcLink `json:"links"`
}

// handleOGCLanding serves GET /ogc, the landing page of the OGC API –
// Features and Tiles: links to itself, the OpenAPI description, the
// conformance classes, the collections, the dataset's vector tilesets and
// the tile matrix sets. It needs no database.
func (s *server) handleOGCLanding(w http.ResponseWriter, r *http.Request) error {
	if err := ogcParams(r.URL.Query(), false); err != nil {
		return err
	}
	base := s.baseURL(w, r)
	apiHeaders(w)
	writeJSON(w, http.StatusOK, ogcLanding{
		Title:       "aimaq — OGC API – Features and Tiles",
		Description: "Administrative areas of Kazakhstan (oblasts, districts, macroregions, agglomerations) and settlements with their accessibility figures.",
		Links: []ogcLink{
			{Href: base + "/ogc", Rel: "self", Type: mediaJSON, Title: "This document"},
			{Href: base + "/openapi.json", Rel: "service-desc", Type: mediaOpenAPI, Title: "The API definition"},
			{Href: base + "/ogc/conformance", Rel: "conformance", Type: mediaJSON, Title: "Conformance classes implemented"},
			{Href: base + "/ogc/collections", Rel: "data", Type: mediaJSON, Title: "The feature collections"},
			{Href: base + "/ogc/tiles", Rel: relTilesetsVector, Type: mediaJSON, Title: "Vector tiles of every tile layer together (OGC API – Tiles)"},
			{Href: base + "/ogc/tileMatrixSets", Rel: relTilingSchemes, Type: mediaJSON, Title: "The tile matrix sets tiles are cut in"},
		},
	})
	return nil
}

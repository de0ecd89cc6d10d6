package web

import "net/http"

// handleOGCConformance serves GET /ogc/conformance: the conformance classes
// of OGC API – Features Part 1 and OGC API – Tiles Part 1 that /ogc
// implements.
func (s *server) handleOGCConformance(w http.ResponseWriter, r *http.Request) error {
	if err := ogcParams(r.URL.Query(), false); err != nil {
		return err
	}
	apiHeaders(w)
	writeJSON(w, http.StatusOK, map[string][]string{
		"conformsTo": {
			confCore, confGeoJSON, confOAS30,
			confTilesCore, confTileset, confTilesetsList, confGeodataTilesets, confDatasetTilesets, confTilesMVT, confTilesOAS30,
		},
	})
	return nil
}

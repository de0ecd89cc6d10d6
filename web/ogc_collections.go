package web

import "net/http"

// handleOGCCollections serves GET /ogc/collections: every collection with
// its extent and links. 503 without a FeatureSource.
func (s *server) handleOGCCollections(w http.ResponseWriter, r *http.Request) error {
	if err := ogcParams(r.URL.Query(), false); err != nil {
		return err
	}
	if s.features == nil {
		return errNoFeatureData
	}
	ctx, cancel := s.apiContext(r)
	defer cancel()
	extents, err := s.features.Extents(ctx)
	if err != nil {
		return err
	}
	base := s.baseURL(r)
	out := struct {
		Links       []ogcLink          `json:"links"`
		Collections []ogcCollectionDoc `json:"collections"`
	}{
		Links: []ogcLink{{Href: base + "/ogc/collections", Rel: "self", Type: mediaJSON, Title: "This document"}},
	}
	for _, c := range ogcCollections {
		out.Collections = append(out.Collections, collectionDoc(base, c, extents))
	}
	apiHeaders(w)
	writeJSON(w, http.StatusOK, out)
	return nil
}

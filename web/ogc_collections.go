package web

import (
	"net/http"

	"github.com/paulmach/orb"
)

// handleOGCCollections serves GET /ogc/collections: every collection with
// its extent and links. 503 without a FeatureSource.
func (s *server) handleOGCCollections(w http.ResponseWriter, r *http.Request) error {
	extents, err := s.ogcExtents(r)
	if err != nil {
		return err
	}
	base := s.baseURL(w, r)
	out := struct {
		Links       []ogcLink          `json:"links"`
		Collections []ogcCollectionDoc `json:"collections"`
	}{
		Links: []ogcLink{{Href: base + "/ogc/collections", Rel: "self", Type: mediaJSON, Title: "This document"}},
	}
	for _, c := range ogcCollections {
		d := collectionDoc(base, c, extents)
		s.tileCollectionLinks(base, &d)
		out.Collections = append(out.Collections, d)
	}
	apiHeaders(w)
	writeJSON(w, http.StatusOK, out)
	return nil
}

// ogcExtents checks the query of a collection document, which takes no
// parameter but f, and returns every collection's extent.
func (s *server) ogcExtents(r *http.Request) (map[string]orb.Bound, error) {
	if err := ogcParams(r.URL.Query(), false); err != nil {
		return nil, err
	}
	if s.features == nil {
		return nil, errNoFeatureData
	}
	ctx, cancel := s.apiContext(r)
	defer cancel()
	return s.features.Extents(ctx)
}

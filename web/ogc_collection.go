package web

import (
	"net/http"

	"github.com/gorilla/mux"
)

// handleOGCCollection serves GET /ogc/collections/{collectionId}: one
// collection with its extent and links. 404 for an unknown collection,
// checked before any query; 503 without a FeatureSource.
func (s *server) handleOGCCollection(w http.ResponseWriter, r *http.Request) error {
	c, err := lookupOGCCollection(mux.Vars(r)["collectionId"])
	if err != nil {
		return err
	}
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
	apiHeaders(w)
	writeJSON(w, http.StatusOK, collectionDoc(s.baseURL(r), c, extents))
	return nil
}

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
	extents, err := s.ogcExtents(r)
	if err != nil {
		return err
	}
	apiHeaders(w)
	base := s.baseURL(w, r)
	d := collectionDoc(base, c, extents)
	s.tileCollectionLinks(base, &d)
	writeJSON(w, http.StatusOK, d)
	return nil
}

package web

import (
	"net/http"
	"strconv"

	"github.com/aimaq/aimaq/internal/errs"
	"github.com/gorilla/mux"
)

// handleOGCItem serves GET /ogc/collections/{collectionId}/items/{featureId}:
// one feature as GeoJSON with self and collection links. 404 for an
// unknown collection or feature, including an id that is not a number
// (no feature has it); 503 without a FeatureSource.
func (s *server) handleOGCItem(w http.ResponseWriter, r *http.Request) error {
	v := mux.Vars(r)
	c, err := lookupOGCCollection(v["collectionId"])
	if err != nil {
		return err
	}
	fid := v["featureId"]
	id, err := strconv.ParseInt(fid, 10, 64)
	if err != nil || !isDigits(fid) || id <= 0 {
		return errs.E(errs.NotFound, "no feature %q in collection %s", errs.Shorten(fid), c.ID)
	}
	if err := ogcParams(r.URL.Query(), true); err != nil {
		return err
	}
	if s.features == nil {
		return errNoFeatureData
	}
	ctx, cancel := s.apiContext(r)
	defer cancel()
	f, err := s.features.Feature(ctx, c.ID, id)
	if err != nil {
		return err
	}
	collection := s.baseURL(w, r) + "/ogc/collections/" + c.ID
	f.ExtraMembers = map[string]any{
		"links": []ogcLink{
			{Href: collection + "/items/" + fid, Rel: "self", Type: mediaGeoJSON, Title: "This feature"},
			{Href: collection, Rel: "collection", Type: mediaJSON, Title: c.Title},
		},
	}
	body, err := f.MarshalJSON()
	if err != nil {
		return errs.Wrap(errs.Internal, err, "encode feature %d of %s", id, c.ID)
	}
	apiHeaders(w)
	writeGeoJSON(w, body)
	return nil
}

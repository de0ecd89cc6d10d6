package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/aimaq/aimaq/internal/errs"
	"github.com/gorilla/mux"
	"github.com/paulmach/orb/geojson"
)

// handleOGCItems serves GET /ogc/collections/{collectionId}/items: a page
// of the collection's features as a GeoJSON FeatureCollection with
// numberMatched, numberReturned, timeStamp and self, next, prev and
// collection links. Query: bbox=minlon,minlat,maxlon,maxlat, limit (1 to
// 10,000, default 10; larger values are clamped), offset (≥ 0). 404 for an
// unknown collection and 400 for a bad parameter, both before any query;
// 503 without a FeatureSource.
func (s *server) handleOGCItems(w http.ResponseWriter, r *http.Request) error {
	c, err := lookupOGCCollection(mux.Vars(r)["collectionId"])
	if err != nil {
		return err
	}
	q := r.URL.Query()
	if err := ogcParams(q, true, "bbox", "limit", "offset"); err != nil {
		return err
	}
	limit, err := parseLimit(q.Get("limit"))
	if err != nil {
		return err
	}
	offset, err := parseOffset(q.Get("offset"))
	if err != nil {
		return err
	}
	bbox, err := parseBBox(q.Get("bbox"))
	if err != nil {
		return err
	}
	if s.features == nil {
		return errNoFeatureData
	}
	ctx, cancel := s.apiContext(r)
	defer cancel()
	fc, matched, err := s.features.Features(ctx, c.ID, bbox, limit, offset)
	if err != nil {
		return err
	}
	if fc == nil {
		fc = geojson.NewFeatureCollection()
	}
	if fc.Features == nil {
		fc.Features = []*geojson.Feature{} // "features": [] rather than null
	}

	collection := s.baseURL(w, r) + "/ogc/collections/" + c.ID
	page := func(offset int) string {
		v := url.Values{}
		if q.Has("bbox") {
			v.Set("bbox", q.Get("bbox"))
		}
		if q.Has("f") {
			v.Set("f", q.Get("f"))
		}
		v.Set("limit", strconv.Itoa(limit))
		v.Set("offset", strconv.Itoa(offset))
		return collection + "/items?" + v.Encode()
	}
	links := []ogcLink{
		{Href: page(offset), Rel: "self", Type: mediaGeoJSON, Title: "This page"},
	}
	if returned := len(fc.Features); int64(offset)+int64(returned) < matched && returned > 0 {
		links = append(links, ogcLink{Href: page(offset + returned), Rel: "next", Type: mediaGeoJSON, Title: "Next page"})
	}
	if offset > 0 {
		links = append(links, ogcLink{Href: page(max(0, offset-limit)), Rel: "prev", Type: mediaGeoJSON, Title: "Previous page"})
	}
	links = append(links, ogcLink{Href: collection, Rel: "collection", Type: mediaJSON, Title: c.Title})

	fc.ExtraMembers = geojson.Properties{
		"numberMatched":  matched,
		"numberReturned": len(fc.Features),
		"timeStamp":      timeStamp(),
		"links":          links,
	}
	body, err := fc.MarshalJSON()
	if err != nil {
		return errs.Wrap(errs.Internal, err, "encode items of %s", c.ID)
	}
	apiHeaders(w)
	writeGeoJSON(w, body)
	return nil
}

package web

import (
	"net/http"
)

// handlePointAccess serves GET /api/access?lon=..&lat=..: the nearest
// facilities and centres from any point, with times and route lengths. 400
// names the parameter and its allowed range.
func (s *server) handlePointAccess(w http.ResponseWriter, r *http.Request) error {
	if s.point == nil {
		return errNoAccessData
	}
	ctx, cancel := s.apiContext(r)
	defer cancel()
	area, err := s.serviceArea(ctx)
	if err != nil {
		return err
	}
	lon, lat, err := parseLonLat(r.URL.Query(), area)
	if err != nil {
		return err
	}
	rep, err := s.point.PointAccess(ctx, lon, lat)
	if err != nil {
		return err
	}
	apiHeaders(w)
	writeJSON(w, http.StatusOK, rep)
	return nil
}

package web

import (
	"net/http"
)

// handleChoropleth serves GET /api/choropleth?indicator=..&level=..&method=..&classes=..[&breaks=..]:
// class bounds, colours (chosen by the indicator's direction), counts per
// class, the legend, and every area's value keyed by its tile feature id.
func (s *server) handleChoropleth(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	cq, err := parseChoropleth(q.Get("indicator"), q)
	if err != nil {
		return err
	}
	ctx, cancel := s.apiContext(r)
	defer cancel()
	ans, err := s.choropleth(ctx, cq)
	if err != nil {
		return err
	}
	apiHeaders(w)
	writeJSON(w, http.StatusOK, ans)
	return nil
}

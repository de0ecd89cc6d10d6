package web

import (
	"net/http"
)

// handleChoropleth serves GET /api/choropleth?indicator=..&level=..&method=..&classes=..[&breaks=..]:
// class bounds, colours (chosen by the indicator's direction), counts per
// class, the legend, and every area's value keyed by its tile feature id.
func (s *server) handleChoropleth(w http.ResponseWriter, r *http.Request) error {
	_, ans, err := s.answerChoropleth(r, r.URL.Query().Get("indicator"))
	if err != nil {
		return err
	}
	apiHeaders(w)
	writeJSON(w, http.StatusOK, ans)
	return nil
}

// answerChoropleth parses the choropleth of indicator that r asks for and
// answers it within the API timeout.
func (s *server) answerChoropleth(r *http.Request, indicator string) (choroplethQuery, *choroplethAnswer, error) {
	cq, err := parseChoropleth(indicator, r.URL.Query())
	if err != nil {
		return cq, nil, err
	}
	ctx, cancel := s.apiContext(r)
	defer cancel()
	ans, err := s.choropleth(ctx, cq)
	return cq, ans, err
}

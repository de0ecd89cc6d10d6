package web

import (
	"net/http"

	"github.com/aimaq/aimaq/tiles"
	"github.com/gorilla/mux"
)

// handleStyle serves GET /styles/{indicator}.json?level=..&method=..&classes=..&lang=..:
// a MapLibre style of the choropleth, usable in MapLibre and as the style URL
// of a QGIS vector tile connection.
func (s *server) handleStyle(w http.ResponseWriter, r *http.Request) error {
	cq, ans, err := s.answerChoropleth(r, mux.Vars(r)["indicator"])
	if err != nil {
		return err
	}
	st, err := tiles.Style(tiles.StyleOptions{Indicator: cq.ind, Level: cq.level, Method: string(cq.method),
		Bounds: ans.Bounds, Colors: ans.Colors, Counts: ans.Counts, BaseURL: s.baseURL(w, r), Lang: cq.lang})
	if err != nil {
		return err
	}
	apiHeaders(w)
	writeJSON(w, http.StatusOK, st)
	return nil
}

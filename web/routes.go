package web

import (
	"net/http"

	"github.com/aimaq/aimaq/internal/errs"
	"github.com/gorilla/mux"
)

// routes registers every route of aimaq, in one place.
func (s *server) routes() http.Handler {
	r := mux.NewRouter()
	get := []string{http.MethodGet, http.MethodHead}

	r.Handle("/healthz", s.adapt(s.handleHealthz)).Methods(get...)
	r.Handle("/readyz", s.adapt(s.handleReadyz)).Methods(get...)

	r.Handle("/tiles", s.adapt(s.handleTilesIndex)).Methods(get...)
	r.Handle("/tiles/{layer}.json", s.adapt(s.handleTileJSON)).Methods(get...)
	r.Handle("/tiles/{layer}/{z}/{x}/{y}.{format:mvt|pbf}", s.adapt(s.handleTile)).Methods(get...)

	r.Handle("/api/settlements/{id}/access", s.adapt(s.handleSettlementAccess)).Methods(get...)
	r.Handle("/api/access", s.adapt(s.handlePointAccess)).Methods(get...)
	r.Handle("/api/areas/{level}", s.adapt(s.handleAreas)).Methods(get...)
	r.Handle("/api/indicators/settlement", s.adapt(s.handleSettlementIndicators)).Methods(get...)

	r.PathPrefix("/").Handler(s.adapt(s.handleUI)).Methods(get...)

	r.NotFoundHandler = s.adapt(func(w http.ResponseWriter, r *http.Request) error {
		return errs.E(errs.NotFound, "no route for %s", r.URL.Path)
	})
	r.MethodNotAllowedHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "method not allowed"})
	})
	return s.recoverPanics(s.logRequests(r))
}

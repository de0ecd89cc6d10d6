package web

import (
	"net/http"

	"github.com/gorilla/mux"
)

// handleSettlementAccess serves GET /api/settlements/{id}/access: the
// settlement's accessibility report from the latest compute run. 400 for an
// id that is not a positive whole number, 404 for an unknown settlement or
// before the first run, 503 when the server has no accessibility data.
func (s *server) handleSettlementAccess(w http.ResponseWriter, r *http.Request) error {
	id, err := parseID("id", mux.Vars(r)["id"])
	if err != nil {
		return err
	}
	if s.access == nil {
		return errNoAccessData
	}
	ctx, cancel := s.apiContext(r)
	defer cancel()
	rep, err := s.access.SettlementAccess(ctx, id)
	if err != nil {
		return err
	}
	apiHeaders(w)
	writeJSON(w, http.StatusOK, rep)
	return nil
}

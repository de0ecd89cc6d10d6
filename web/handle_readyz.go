package web

import (
	"context"
	"net/http"

	"github.com/aimaq/aimaq/internal/errs"
)

// handleReadyz serves GET /readyz: 200 when the database answers a ping
// within two seconds, else 503, so a load balancer stops sending traffic.
func (s *server) handleReadyz(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Cache-Control", "no-store")
	if s.health != nil {
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		defer cancel()
		if err := s.health.Ping(ctx); err != nil {
			return errs.Wrap(errs.Unavailable, err, "database not ready")
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	return nil
}

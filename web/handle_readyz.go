package web

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/aimaq/aimaq/internal/errs"
)

// handleReadyz serves GET /readyz: 200 when the database is reachable, else
// 503, so a load balancer stops sending traffic. With a Monitor it answers
// from the state the monitor keeps (within milliseconds, even in a burst);
// without one it pings the database within two seconds.
func (s *server) handleReadyz(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Cache-Control", "no-store")
	if s.monitor != nil {
		// Answered here, not logged: the monitor logs the outage once.
		if down, err := s.monitor.State(); err != nil {
			w.Header().Set("Retry-After", "5")
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{
				"error": fmt.Sprintf("database not ready (unreachable for %s): %s", down.Round(time.Second), errs.Message(err))})
			return nil
		}
	} else if s.health != nil {
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		defer cancel()
		if err := s.health.Ping(ctx); err != nil {
			return errs.Wrap(errs.Unavailable, err, "database not ready")
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	return nil
}

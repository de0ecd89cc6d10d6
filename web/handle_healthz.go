package web

import (
	"fmt"
	"io"
	"net/http"
	"time"
)

// handleHealthz serves GET /healthz: whether the process can do its job.
// It touches no dependency, so a slow database never gets the process
// restarted; but when the Monitor has seen the database unreachable for
// longer than its grace period it answers 503, so a supervisor restarts a
// process that cannot recover by itself.
func (s *server) handleHealthz(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Cache-Control", "no-store")
	if s.monitor != nil {
		if ok, down := s.monitor.Healthy(); !ok {
			// Answered here, not logged: the monitor logs the outage once.
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{
				"error": fmt.Sprintf("database unreachable for %s", down.Round(time.Second))})
			return nil
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, err := io.WriteString(w, "ok\n")
	return err
}

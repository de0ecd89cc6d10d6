package web

import (
	"io"
	"net/http"
)

// handleHealthz serves GET /healthz: the process is alive. It touches no
// dependency, so a slow database never gets the process restarted.
func (s *server) handleHealthz(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, err := io.WriteString(w, "ok\n")
	return err
}

package web

import "net/http"

// handler is the shape of every route: it writes a response, or returns an
// error that the adapter turns into one.
type handler func(w http.ResponseWriter, r *http.Request) error

// adapt makes h an http.Handler that answers errors through writeError.
func (s *server) adapt(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

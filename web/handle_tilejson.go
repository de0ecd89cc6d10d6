package web

import (
	"net/http"
	"strings"

	"github.com/aimaq/aimaq/internal/errs"
	"github.com/aimaq/aimaq/tiles"
	"github.com/gorilla/mux"
)

// handleTileJSON serves GET /tiles/{layer}.json, the layer's TileJSON 3.0.0.
func (s *server) handleTileJSON(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	name := mux.Vars(r)["layer"]
	layer, ok := s.catalogue.Layer(name)
	if !ok {
		return errs.E(errs.NotFound, "no tile layer %q", errs.Shorten(name))
	}
	w.Header().Set("Cache-Control", "public, max-age=60")
	ctx, cancel := s.apiContext(r)
	defer cancel()
	bounds, err := s.tileBounds(ctx)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, tiles.TileJSON(layer, s.baseURL(r), bounds))
	return nil
}

// baseURL is where clients reach this server: PublicURL when set, else the
// request's Host with the scheme from X-Forwarded-Proto (set by a
// TLS-terminating proxy) or the connection.
func (s *server) baseURL(r *http.Request) string {
	if s.publicURL != "" {
		return strings.TrimRight(s.publicURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p != "" {
		p = strings.ToLower(strings.TrimSpace(strings.Split(p, ",")[0]))
		if p == "http" || p == "https" {
			scheme = p
		}
	}
	host := r.Host
	if !validHost(host) {
		host = "localhost"
	}
	return scheme + "://" + host
}

// validHost accepts a host[:port] made of the characters DNS names, IPv4
// and bracketed IPv6 addresses use, so a forged Host cannot inject into
// the URLs we hand out.
func validHost(h string) bool {
	if h == "" || len(h) > 255 {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '.', c == '-', c == ':', c == '[', c == ']', c == '_':
		default:
			return false
		}
	}
	return true
}

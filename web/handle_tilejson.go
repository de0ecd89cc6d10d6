package web

import (
	"net"
	"net/http"
	"strings"
	"sync"

	"github.com/aimaq/aimaq/internal/errs"
	"github.com/aimaq/aimaq/tiles"
	"github.com/gorilla/mux"
)

// handleTileJSON serves GET /tiles/{layer}.json, the layer's TileJSON 3.0.0,
// and GET /tiles/{layers}.json for a comma-separated list of layers, the
// TileJSON of their composite tiles (checked as the tiles are).
func (s *server) handleTileJSON(w http.ResponseWriter, r *http.Request) error {
	name := mux.Vars(r)["layer"]
	var layers []tiles.Layer
	if strings.Contains(name, ",") {
		var err error
		if layers, err = s.compositeLayers(name); err != nil {
			return err
		}
	} else {
		layer, ok := s.catalogue.Layer(name)
		if !ok {
			return errs.E(errs.NotFound, "no tile layer %q", errs.Shorten(name))
		}
		layers = []tiles.Layer{layer}
	}
	w.Header().Set("Cache-Control", "public, max-age=60")
	ctx, cancel := s.apiContext(r)
	defer cancel()
	bounds, err := s.tileBounds(ctx)
	if err != nil {
		return err
	}
	if len(layers) == 1 {
		writeJSON(w, http.StatusOK, tiles.TileJSON(layers[0], s.baseURL(w, r), bounds))
	} else {
		writeJSON(w, http.StatusOK, tiles.CompositeTileJSON(layers, s.baseURL(w, r), bounds))
	}
	return nil
}

// baseURL is where clients reach this server, the base of every absolute
// link: PublicURL when set; else the request's Host, with the scheme from
// X-Forwarded-Proto (set by a TLS-terminating proxy) or the connection, when
// that Host is allowed (Options.AllowedHosts; by default loopback names and
// this machine's own addresses); else "" — links relative to the server's
// root, so a forged Host never reaches a link. Answers built from the request
// say so with Vary (w may be nil when no answer depends on it).
func (s *server) baseURL(w http.ResponseWriter, r *http.Request) string {
	if s.publicURL != "" {
		return strings.TrimRight(s.publicURL, "/")
	}
	if w != nil {
		addVary(w.Header(), "Host", "X-Forwarded-Proto")
	}
	host := r.Host
	if !validHost(host) || !s.hostAllowed(host) {
		return ""
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
	return scheme + "://" + host
}

// hostAllowed reports whether links may be built from a request's Host
// (host or host:port): one of Options.AllowedHosts (with or without its
// port), or, when none are configured, localhost, a loopback address or an
// address of this machine's network interfaces.
func (s *server) hostAllowed(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if len(s.allowedHosts) > 0 {
		for _, a := range s.allowedHosts {
			if strings.EqualFold(a, hostport) || strings.EqualFold(strings.Trim(a, "[]"), host) {
				return true
			}
		}
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return false
	}
	if ip.IsLoopback() {
		return true
	}
	for _, own := range localAddrs() {
		if own.Equal(ip) {
			return true
		}
	}
	return false
}

// localAddrs are this machine's interface addresses, read once.
var localAddrs = sync.OnceValue(func() []net.IP {
	addrs, _ := net.InterfaceAddrs()
	var out []net.IP
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok {
			out = append(out, n.IP)
		}
	}
	return out
})

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

// addVary adds names to the Vary header, each once.
func addVary(h http.Header, names ...string) {
	have := map[string]bool{}
	for _, v := range h.Values("Vary") {
		for _, n := range strings.Split(v, ",") {
			have[strings.ToLower(strings.TrimSpace(n))] = true
		}
	}
	for _, n := range names {
		if !have[strings.ToLower(n)] {
			h.Add("Vary", n)
			have[strings.ToLower(n)] = true
		}
	}
}

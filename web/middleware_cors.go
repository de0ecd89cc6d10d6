package web

import (
	"net/http"

	"github.com/aimaq/aimaq/internal/errs"
	"github.com/gorilla/mux"
	"slices"
	"strings"
)

// corsMaxAge is how long a browser may reuse a preflight answer (seconds).
const corsMaxAge = "86400"

// corsExposed are the response headers a script on another origin may read.
const corsExposed = "ETag, Retry-After, Content-Crs, Link, Content-Length, Location, WWW-Authenticate"

// cors answers cross-origin requests for the API, tiles, styles and OGC
// routes: every answer, errors included, carries Access-Control-Allow-Origin
// for an allowed origin (so a web app elsewhere can read a 400's message), and
// a preflight OPTIONS to any route gets 204 with the methods that route
// answers (the scenario writes too) and the headers asked for (Authorization
// among them: writes carry a bearer token). Origins are Options.CORSOrigins: "*" (the default)
// allows any; a list allows those exactly, echoed with Vary: Origin.
func (s *server) cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		origin := r.Header.Get("Origin")
		allowed := s.allowOrigin(origin)
		if len(s.corsOrigins) > 0 && !slices.Contains(s.corsOrigins, "*") {
			addVary(h, "Origin")
		}
		if allowed != "" {
			h.Set("Access-Control-Allow-Origin", allowed)
			h.Set("Access-Control-Expose-Headers", corsExposed)
		}
		if r.Method != http.MethodOptions {
			next.ServeHTTP(w, r)
			return
		}
		// OPTIONS: a preflight for a route that exists, or 404 with the
		// headers above so the browser can say why.
		methods := s.routeMethods(r)
		if len(methods) == 0 {
			s.writeError(w, r, errs.E(errs.NotFound, "no route for %s", errs.Shorten(r.URL.Path)))
			return
		}
		allow := strings.Join(append(methods, http.MethodOptions), ", ")
		h.Set("Allow", allow)
		if allowed != "" && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", allow)
			if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
				h.Set("Access-Control-Allow-Headers", sanitizeHeaderList(req))
			}
			h.Set("Access-Control-Max-Age", corsMaxAge)
		}
		addVary(h, "Access-Control-Request-Method", "Access-Control-Request-Headers")
		w.WriteHeader(http.StatusNoContent)
	})
}

// allowOrigin is the Access-Control-Allow-Origin value for origin: "*" when
// any origin is allowed, origin itself when listed, else "" (no header).
func (s *server) allowOrigin(origin string) string {
	for _, o := range s.corsOrigins {
		if o == "*" {
			return "*"
		}
		if origin != "" && strings.EqualFold(o, origin) {
			return origin
		}
	}
	return ""
}

// routeMethods lists the methods a route of r's path answers, in a fixed
// order; none when no route matches.
func (s *server) routeMethods(r *http.Request) []string {
	var out []string
	for _, method := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = method
		var m mux.RouteMatch
		if s.mux.Match(probe, &m) && m.MatchErr == nil {
			out = append(out, method)
		}
	}
	return out
}

// sanitizeHeaderList keeps the header names of an
// Access-Control-Request-Headers value that are plain tokens.
func sanitizeHeaderList(v string) string {
	var out []string
	for _, f := range strings.Split(v, ",") {
		f = strings.TrimSpace(f)
		if f != "" && len(f) <= 64 && strings.IndexFunc(f, func(r rune) bool {
			return !(r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
		}) < 0 {
			out = append(out, f)
		}
	}
	return strings.Join(out, ", ")
}

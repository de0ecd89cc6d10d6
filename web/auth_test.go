package web

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/gorilla/mux"
)

// Every route that changes something goes through the token check: a
// request without a token gets 401 with the Bearer challenge, whatever the
// route. A write route added without s.authorized fails here.
func TestEveryWriteRouteNeedsAToken(t *testing.T) {
	s, _ := newTestServer(t, Options{Tiles: &fakeSource{}})
	h := s.routes()
	n := 0
	err := s.mux.Walk(func(route *mux.Route, _ *mux.Router, _ []*mux.Route) error {
		tpl, err := route.GetPathTemplate()
		if err != nil {
			return nil
		}
		methods, _ := route.GetMethods()
		for _, m := range methods {
			if slices.Contains([]string{http.MethodGet, http.MethodHead, http.MethodOptions}, m) {
				continue
			}
			// A POST that writes nothing: a draft scenario evaluated (issue 12.2).
			if m == http.MethodPost && tpl == "/api/scenarios/evaluate" {
				continue
			}
			n++
			path := strings.NewReplacer("{id}", "1", "{pid}", "2").Replace(tpl)
			for _, auth := range []string{"", "Basic dXNlcjpwYXNz", "Bearer "} {
				rec := do(t, h, m, path, "Authorization", auth)
				if rec.Code != http.StatusUnauthorized || !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer") {
					t.Errorf("%s %s with Authorization %q = %d, WWW-Authenticate %q; want 401 and a Bearer challenge",
						m, path, auth, rec.Code, rec.Header().Get("WWW-Authenticate"))
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 5 {
		t.Errorf("%d write routes; want the 5 scenario writes at least", n)
	}
}

// A browser on another origin may send the writes: the preflight names the
// route's methods and allows the Authorization header.
func TestCORSPreflightForWrites(t *testing.T) {
	s, _ := newTestServer(t, Options{Tiles: &fakeSource{}})
	h := s.routes()
	rec := do(t, h, "OPTIONS", "/api/scenarios/1/projects/2", "Origin", "https://planner.example",
		"Access-Control-Request-Method", "DELETE", "Access-Control-Request-Headers", "authorization, content-type")
	if rec.Code != http.StatusNoContent {
		t.Fatalf("preflight = %d %s", rec.Code, rec.Body)
	}
	if m := rec.Header().Get("Access-Control-Allow-Methods"); !strings.Contains(m, "DELETE") {
		t.Errorf("Allow-Methods %q; want DELETE", m)
	}
	if hs := strings.ToLower(rec.Header().Get("Access-Control-Allow-Headers")); !strings.Contains(hs, "authorization") {
		t.Errorf("Allow-Headers %q; want Authorization", hs)
	}
	if e := rec.Header().Get("Access-Control-Expose-Headers"); !strings.Contains(e, "WWW-Authenticate") || !strings.Contains(e, "Location") {
		t.Errorf("Expose-Headers %q; want WWW-Authenticate (why a write failed) and Location (what it made)", e)
	}
	rec = do(t, h, "OPTIONS", "/api/scenarios", "Origin", "https://planner.example", "Access-Control-Request-Method", "POST")
	if got := rec.Header().Get("Allow"); got != "GET, HEAD, POST, OPTIONS" {
		t.Errorf("Allow of /api/scenarios = %q", got)
	}
	rec = do(t, h, "OPTIONS", "/api/runs", "Origin", "https://planner.example", "Access-Control-Request-Method", "GET")
	if got := rec.Header().Get("Allow"); got != "GET, HEAD, OPTIONS" {
		t.Errorf("Allow of a read-only route = %q; want it unchanged", got)
	}
}

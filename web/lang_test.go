package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aimaq/aimaq/internal/errs"
)

// Every route of the API and the reports refuses a language it does not
// speak (issue 10.3), naming the parameter; kk, ru, en and an empty lang pass.
func TestLangOutsideKkRuEnIs400(t *testing.T) {
	for _, c := range []struct {
		path string
		bad  bool
	}{
		{"/api/areas/district?indicator=school_km_mean&format=csv&lang=xx", true},
		{"/api/indicators?lang=de", true},
		{"/api/disparity?indicator=school_km_mean&lang=KK", true},
		{"/api/runs?lang=kk&lang=fr", true},
		{"/report/district/101000000?lang=tr", true},
		{"/api/indicators?lang=kk", false},
		{"/api/indicators?lang=ru", false},
		{"/api/indicators?lang=", false},
		{"/tiles/districts/0/0/0.mvt?lang=xx", false}, // tiles have no words
	} {
		r := httptest.NewRequest(http.MethodGet, c.path, nil)
		err := checkLang(r)
		if c.bad != (err != nil) {
			t.Errorf("%s: err = %v, want refused %v", c.path, err, c.bad)
		}
		if err != nil && !strings.Contains(err.Error(), "lang=") {
			t.Errorf("%s: %v does not name the parameter", c.path, err)
		}
	}
	// Through the router: a 400 before any data source is asked.
	h := New(Options{})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/areas/district?indicator=school_km_mean&lang=xx", nil))
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), `lang=\"xx\"`) {
		t.Errorf("GET /api/areas with lang=xx: %d %s", rec.Code, rec.Body)
	}
}

// A write refused for its token after the door (revoked meanwhile) is a 401
// with the Bearer challenge, like one refused at the door.
func TestUnauthorizedStatus(t *testing.T) {
	s := newServer(Options{})
	rec := httptest.NewRecorder()
	s.writeError(rec, httptest.NewRequest(http.MethodPost, "/api/scenarios", nil), errs.E(errs.Unauthorized, "token %q is revoked or unknown: nothing was written", "akimat"))
	if rec.Code != http.StatusUnauthorized || rec.Header().Get("WWW-Authenticate") == "" || !strings.Contains(rec.Body.String(), "nothing was written") {
		t.Errorf("%d %v %s", rec.Code, rec.Header(), rec.Body)
	}
}

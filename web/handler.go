package web

import (
	"net/http"
	"strings"

	"github.com/aimaq/aimaq/geo/lang"
	"github.com/aimaq/aimaq/internal/errs"
)

// handler is the shape of every route: it writes a response, or returns an
// error that the adapter turns into one.
type handler func(w http.ResponseWriter, r *http.Request) error

// adapt makes h an http.Handler that answers errors through writeError.
// Every answer of the API and the reports is in kk, ru or en: a lang
// parameter naming any other language is refused there, before h, rather
// than answered silently in English.
func (s *server) adapt(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := checkLang(r)
		if err == nil {
			err = h(w, r)
		}
		if err != nil {
			s.writeError(w, r, err)
		}
	})
}

// checkLang refuses a lang parameter outside kk/ru/en on /api/ and /report/.
func checkLang(r *http.Request) error {
	if !strings.HasPrefix(r.URL.Path, "/api/") && !strings.HasPrefix(r.URL.Path, "/report/") {
		return nil
	}
	vs, ok := r.URL.Query()["lang"]
	if !ok {
		return nil
	}
	for _, v := range vs {
		if v != "" && !lang.Valid(v) {
			return errs.E(errs.Invalid, "lang=%q: want kk, ru or en", errs.Shorten(v))
		}
	}
	return nil
}

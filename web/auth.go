package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/aimaq/aimaq/geo/scenario"
	"github.com/aimaq/aimaq/internal/errs"
)

// Authenticator tells whose token a request carries; *postgis.Store is one.
type Authenticator interface {
	// Authenticate returns the name of the live token equal to token; ok
	// is false for an unknown or revoked one.
	Authenticate(ctx context.Context, token string) (name string, ok bool, err error)
}

type writeKey struct{}

// authorized is the one door of every write route (POST, PUT, PATCH,
// DELETE): a request without a live bearer token gets 401 with
// WWW-Authenticate and never reaches h; h finds who writes with writerOf
// and passes it to the store, which records the write in the write's own
// transaction. Reads never come here. Tokens are not cached: a revoked
// token is refused from the next request on.
func (s *server) authorized(h handler) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		token, ok := bearer(r)
		if !ok {
			return unauthorized(w, "this change needs a token: send Authorization: Bearer <token> (aimaq token create --name NAME)")
		}
		if s.scenarios == nil {
			return errs.E(errs.Unavailable, "scenarios not available")
		}
		name, ok, err := s.scenarios.Authenticate(r.Context(), token)
		if err != nil {
			return err
		}
		if !ok {
			return unauthorized(w, "the token is unknown or revoked")
		}
		who := scenario.Write{Token: name, Method: r.Method, Path: r.URL.Path}
		return h(w, r.WithContext(context.WithValue(r.Context(), writeKey{}, who)))
	}
}

// writerOf is who makes the change r asks for (set by authorized).
func writerOf(r *http.Request) scenario.Write {
	w, _ := r.Context().Value(writeKey{}).(scenario.Write)
	return w
}

// bearer reads the token of an "Authorization: Bearer …" header.
func bearer(r *http.Request) (string, bool) {
	v := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(v, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// unauthorized answers 401 with the challenge RFC 6750 asks for.
func unauthorized(w http.ResponseWriter, msg string) error {
	w.Header().Set("WWW-Authenticate", `Bearer realm="aimaq"`)
	writeJSON(w, http.StatusUnauthorized, map[string]string{"error": msg})
	return nil
}

package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/aimaq/aimaq/internal/errs"
)

// statusOf is the one place an error becomes an HTTP status.
func statusOf(err error) int {
	switch errs.KindOf(err) {
	case errs.Invalid:
		return http.StatusBadRequest
	case errs.NotFound:
		return http.StatusNotFound
	case errs.Unavailable:
		return http.StatusServiceUnavailable
	case errs.Unauthorized:
		return http.StatusUnauthorized
	}
	if errors.Is(err, context.DeadlineExceeded) {
		// A source that did not classify its own timeout.
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// writeError answers with err's status and a JSON body holding only the
// user-facing message: "internal error" for anything internal. Only 5xx is
// logged, with the full error.
func (s *server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := statusOf(err)
	msg := errs.Message(err)
	if code >= 500 {
		if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
			// The client went away; nobody reads this answer.
			s.log.Debug("request cancelled", "method", r.Method, "path", r.URL.Path, "err", err)
		} else if ok, more := s.errLog.allow(fmt.Sprint(code, " ", errs.Message(err))); ok {
			// Once per cause and interval: an outage under load is a line
			// every few seconds with a count, not one per request.
			s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "status", code, "err", err, "similar_before", more)
		}
		if code == http.StatusServiceUnavailable {
			w.Header().Set("Retry-After", "5")
		}
		if errs.KindOf(err) == errs.Internal {
			msg = "internal error" // also for deadline errors without a kind
		}
	}
	if code == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="aimaq"`) // RFC 6750
	}
	writeJSON(w, code, map[string]string{"error": msg})
}

// writeJSON writes v as the response body with status code.
func writeJSON(w http.ResponseWriter, code int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Del("ETag")
	h.Del("Content-Encoding")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // the status is sent; a failed write has nowhere to go
}

package web

import (
	"context"
	"math"
	"net/http"
	"strconv"

	"github.com/aimaq/aimaq/internal/errs"
	"github.com/paulmach/orb"
)

// errNoAccessData answers the accessibility routes of a server started
// without an AccessSource or PointAccess.
var errNoAccessData = errs.E(errs.Unavailable, "accessibility data not available")

// parseID reads a positive database id from a path segment: decimal
// digits only, so "+1", "1e3" and " 1" are refused like "abc".
func parseID(name, s string) (int64, error) {
	bad := errs.E(errs.Invalid, "%s=%q is not a positive whole number", name, errs.Shorten(s))
	if s == "" || len(s) > 19 {
		return 0, bad
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, bad
		}
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, bad
	}
	return id, nil
}

// parseLonLat reads the lon and lat query parameters: both required, finite
// decimal numbers inside the service area (see serviceArea).
func parseLonLat(q map[string][]string, area orb.Bound) (lon, lat float64, err error) {
	if lon, err = parseCoord(q, "lon", area.Min[0], area.Max[0]); err != nil {
		return 0, 0, err
	}
	if lat, err = parseCoord(q, "lat", area.Min[1], area.Max[1]); err != nil {
		return 0, 0, err
	}
	return lon, lat, nil
}

func parseCoord(q map[string][]string, name string, lo, hi float64) (float64, error) {
	want := func() string {
		return strconv.FormatFloat(lo, 'f', -1, 64) + ".." + strconv.FormatFloat(hi, 'f', -1, 64)
	}
	vs := q[name]
	if len(vs) == 0 || vs[0] == "" {
		return 0, errs.E(errs.Invalid, "%s is required: a number in %s (decimal degrees, WGS 84)", name, want())
	}
	if len(vs) > 1 {
		return 0, errs.E(errs.Invalid, "%s is given %d times: want it once", name, len(vs))
	}
	s := vs[0]
	v, err := strconv.ParseFloat(s, 64)
	// ParseFloat also reads "NaN", "Inf" and hexadecimal floats; only plain
	// finite decimals are coordinates.
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || !isDecimal(s) {
		return 0, errs.E(errs.Invalid, "%s=%q is not a number: want decimal degrees in %s", name, errs.Shorten(s), want())
	}
	if v < lo || v > hi {
		return 0, errs.E(errs.Invalid, "%s=%s out of range: want %s (the imported country and about 1° around it)", name, errs.Shorten(s), want())
	}
	return v, nil
}

// isDecimal reports whether s is written as [sign] digits [. digits]
// [e|E [sign] digits], the form every client produces.
func isDecimal(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c == '.', c == '-', c == '+', c == 'e', c == 'E':
		default:
			return false
		}
	}
	return true
}

// parseFlag reads an optional boolean query parameter such as bom=1.
func parseFlag(q map[string][]string, name string) (bool, error) {
	vs := q[name]
	if len(vs) == 0 || vs[0] == "" {
		return false, nil
	}
	switch vs[0] {
	case "1", "true", "yes":
		return true, nil
	case "0", "false", "no":
		return false, nil
	}
	return false, errs.E(errs.Invalid, "%s=%q: want 1 or 0", name, errs.Shorten(vs[0]))
}

// apiContext bounds a request's work by the query timeout.
func (s *server) apiContext(r *http.Request) (context.Context, context.CancelFunc) {
	return context.WithTimeout(r.Context(), s.queryTimeout)
}

// apiHeaders are the headers of every successful /api/ answer: never
// cached for long because a compute run changes it. (CORS headers come from
// the cors middleware, for every answer.)
func apiHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Cache-Control", "public, max-age=60")
}

package tiles

import (
	"strconv"

	"github.com/aimaq/aimaq/internal/errs"
)

// Zoom is a web-mercator zoom level, 0 for the whole world in one tile.
type Zoom uint32

// MaxZoom is the deepest zoom a tile request may name. Layers stop earlier
// (see Layer.MaxZoom); this bound only keeps x and y within uint32 and
// ST_TileEnvelope's arguments sane.
const MaxZoom Zoom = 22

// Tile is one XYZ (slippy map) tile: x grows east, y grows south.
type Tile struct {
	Z    Zoom
	X, Y uint32
}

// String formats t as z/x/y, the order of tile URLs.
func (t Tile) String() string {
	return strconv.FormatUint(uint64(t.Z), 10) + "/" +
		strconv.FormatUint(uint64(t.X), 10) + "/" +
		strconv.FormatUint(uint64(t.Y), 10)
}

// ParseTile reads the z, x and y of a tile URL. Only plain decimal digits are
// accepted (no sign, exponent or spaces); z must be at most MaxZoom and x, y
// below 2^z. Every failure is an errs.Invalid error whose message names the
// offending parameter, so it can be shown to the client as is.
func ParseTile(z, x, y string) (Tile, error) {
	zn, err := parseCoord("z", z, uint64(MaxZoom), -1)
	if err != nil {
		return Tile{}, err
	}
	max := uint64(1)<<zn - 1
	xn, err := parseCoord("x", x, max, int(zn))
	if err != nil {
		return Tile{}, err
	}
	yn, err := parseCoord("y", y, max, int(zn))
	if err != nil {
		return Tile{}, err
	}
	return Tile{Z: Zoom(zn), X: uint32(xn), Y: uint32(yn)}, nil
}

// parseCoord reads one coordinate named name in 0..max; z >= 0 is the zoom
// that set the range, for the message.
func parseCoord(name, s string, max uint64, z int) (uint64, error) {
	if s == "" {
		return 0, errs.E(errs.Invalid, "%s is empty: want a whole number 0..%d", name, max)
	}
	digits, negative := s, s[0] == '-'
	if negative {
		digits = s[1:]
	}
	if digits == "" || !allDigits(digits) {
		return 0, errs.E(errs.Invalid, "%s=%q is not a whole number: want 0..%d", name, clip(s), max)
	}
	n, err := strconv.ParseUint(digits, 10, 64)
	if negative || err != nil || n > max { // err can only be ErrRange here
		if z >= 0 {
			return 0, errs.E(errs.Invalid, "%s=%s out of range for z=%d: want 0..%d", name, clip(s), z, max)
		}
		return 0, errs.E(errs.Invalid, "%s=%s out of range: want 0..%d", name, clip(s), max)
	}
	return n, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// clip keeps an echoed value short: messages go back to clients and logs.
func clip(s string) string {
	const n = 24
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

package web

import (
	"bytes"
	"context"
	"net/http"
	"time"

	"github.com/aimaq/aimaq/internal/errs"
	"github.com/aimaq/aimaq/tiles/glyphs"
	"github.com/gorilla/mux"
)

// fontsCacheControl lets clients keep a glyph range for a day: glyphs change
// only with the font files, that is with a new release.
const fontsCacheControl = "public, max-age=86400"

// handleFonts serves GET /fonts/{fontstack}/{range}.pbf, the glyphs MapLibre
// draws labels with: 200 with a glyphs protobuf (with no glyphs for a range
// the fonts lack, never 204), 400 for a malformed range, 404 for a font
// stack naming no font served here. The range is checked before any work.
func (s *server) handleFonts(w http.ResponseWriter, r *http.Request) error {
	h := w.Header()
	v := mux.Vars(r)
	start, end, err := glyphs.ParseRange(v["range"])
	if err != nil {
		return err
	}
	if s.glyphs == nil {
		return errs.E(errs.NotFound, "no font %q: this server has no fonts", errs.Shorten(v["fontstack"]))
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.queryTimeout)
	defer cancel()
	data, err := s.glyphs.Glyphs(ctx, v["fontstack"], start, end)
	if err != nil {
		return err
	}
	h.Set("Content-Type", "application/x-protobuf")
	h.Set("Cache-Control", fontsCacheControl)
	h.Set("ETag", etag(data))
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
	return nil
}

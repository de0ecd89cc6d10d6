package web

import (
	"bytes"
	"context"
	"encoding/hex"
	"hash/fnv"
	"net/http"
	"time"

	"github.com/aimaq/aimaq/internal/errs"
	"github.com/aimaq/aimaq/tiles"
	"github.com/gorilla/mux"
)

// tileCacheControl lets browsers and proxies reuse a tile for a minute:
// long enough to absorb panning back and forth, short enough that a
// re-import shows without a cache-busting URL.
const tileCacheControl = "public, max-age=60"

// handleTile serves GET /tiles/{layer}/{z}/{x}/{y}.mvt (or .pbf, the same
// bytes): 200 with an MVT, 204 for an empty tile, 304 when If-None-Match
// names the current ETag. The layer and z/x/y are checked before any query.
func (s *server) handleTile(w http.ResponseWriter, r *http.Request) error {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	v := mux.Vars(r)
	layer, ok := s.catalogue.Layer(v["layer"])
	if !ok {
		return errs.E(errs.NotFound, "no tile layer %q", errs.Shorten(v["layer"]))
	}
	t, err := tiles.ParseTile(v["z"], v["x"], v["y"])
	if err != nil {
		return err
	}
	query, err := layer.NeedsQuery(t)
	if err != nil {
		return err
	}
	var data []byte
	if query {
		if data, err = s.tile(r.Context(), layer, t); err != nil {
			return err
		}
	}
	h.Set("Cache-Control", tileCacheControl)
	if len(data) == 0 {
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	h.Set("Content-Type", "application/vnd.mapbox-vector-tile")
	h.Set("ETag", etag(data))
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
	return nil
}

// tile returns the tile from the cache, or cuts it within the query timeout.
func (s *server) tile(ctx context.Context, l tiles.Layer, t tiles.Tile) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, s.queryTimeout)
	defer cancel()
	gen, err := s.generation.get(ctx, s.src)
	if err != nil {
		return nil, err
	}
	key := tiles.CacheKey{Layer: l.Name, Tile: t, Generation: gen}
	if data, ok := s.cache.Get(key); ok {
		return data, nil
	}
	data, err := s.src.Tile(ctx, l, t)
	if err != nil {
		return nil, err
	}
	s.cache.Put(key, data)
	return data, nil
}

// etag is a strong validator of a response body: a hash of its bytes.
func etag(b []byte) string {
	h := fnv.New64a()
	h.Write(b)
	return `"` + hex.EncodeToString(h.Sum(nil)) + `"`
}

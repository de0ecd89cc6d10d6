package web

import (
	"bytes"
	"io"
	"strings"

	"context"
	"encoding/hex"
	"github.com/klauspost/compress/gzip"
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

// staleCacheControl is for a tile served while the database is unreachable.
const staleCacheControl = "public, max-age=5"

// handleTile serves GET /tiles/{layer}/{z}/{x}/{y}.mvt (or .pbf, the same
// bytes): 200 with an MVT, 204 for an empty tile, 304 when If-None-Match
// names the current ETag. The layer and z/x/y are checked before any query.
// Tiles are cut, gzip-compressed once and cached compressed: a client that
// accepts gzip (every browser, MapLibre, GDAL, QGIS) gets the cached bytes
// as they are, so a cache hit costs no compression; another gets them
// decompressed.
func (s *server) handleTile(w http.ResponseWriter, r *http.Request) error {
	h := w.Header()
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
	var gz []byte
	stale := false
	if query {
		if gz, stale, err = s.tile(r.Context(), layer, t); err != nil {
			return err
		}
	}
	h.Set("Cache-Control", tileCacheControl)
	if stale {
		// The database cannot be asked: a cached tile of the last known data,
		// kept briefly by clients so they ask again soon.
		h.Set("Cache-Control", staleCacheControl)
		h.Set("X-Aimaq-Stale", "database unreachable: tile of the last known data")
	}
	addVary(h, "Accept-Encoding")
	if len(gz) == 0 {
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	h.Set("Content-Type", "application/vnd.mapbox-vector-tile")
	tag := etag(gz)
	body := gz
	if acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		tag = tag[:len(tag)-1] + `-gzip"`
	} else if body, err = gunzip(gz); err != nil {
		return errs.Wrap(errs.Internal, err, "tile %s %v: cached bytes", layer.Name, t)
	}
	h.Set("ETag", tag)
	if inm := r.Header.Get("If-None-Match"); inm != "" && etagListed(plainETags(inm), plainETags(tag)) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
	return nil
}

// tile returns the gzip-compressed tile from the cache, or cuts and
// compresses it within the query timeout; nil for an empty tile. When the
// database cannot be asked for the data generation, a cached tile of the last
// known generation is returned with stale true, and a tile not in the cache
// is the database's error (503).
func (s *server) tile(ctx context.Context, l tiles.Layer, t tiles.Tile) (data []byte, stale bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, s.queryTimeout)
	defer cancel()
	gen, stale, err := s.generation.get(ctx, s.src)
	if err != nil {
		return nil, false, err
	}
	key := tiles.CacheKey{Layer: l.Name, Tile: t, Generation: gen}
	if data, ok := s.cache.Get(key); ok {
		return data, stale, nil
	}
	if stale {
		return nil, false, errs.E(errs.Unavailable, "database unreachable: tile %s %v is not cached", l.Name, t)
	}
	data, err = s.src.Tile(ctx, l, t)
	if err != nil {
		return nil, false, err
	}
	if len(data) > 0 {
		if data, err = gzipBytes(data); err != nil {
			return nil, false, errs.Wrap(errs.Internal, err, "tile %s %v: compress", l.Name, t)
		}
	}
	s.cache.Put(key, data)
	return data, false, nil
}

// acceptsGzip reports whether the request's Accept-Encoding allows gzip
// (a q=0 refuses it).
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") && strings.TrimSpace(name) != "*" {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}

// etagListed reports whether an If-None-Match value names tag (weakly) or is "*".
func etagListed(inm, tag string) bool {
	for _, t := range strings.Split(inm, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == strings.TrimPrefix(tag, "W/") {
			return true
		}
	}
	return false
}

// gzipBytes compresses b at the default level (tiles are compressed once).
func gzipBytes(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// gunzip decompresses b.
func gunzip(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

// etag is a strong validator of a response body: a hash of its bytes.
func etag(b []byte) string {
	h := fnv.New64a()
	h.Write(b)
	return `"` + hex.EncodeToString(h.Sum(nil)) + `"`
}

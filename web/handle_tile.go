package web

import (
	"bytes"
	"io"
	"strings"
	"sync"

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
	v := mux.Vars(r)
	if strings.Contains(v["layer"], ",") {
		return s.handleCompositeTile(w, r, v["layer"], v["z"], v["x"], v["y"])
	}
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
	var gz, raw []byte
	stale := false
	if query {
		if gz, raw, stale, err = s.tile(r.Context(), layer, t); err != nil {
			return err
		}
	}
	return writeTileBody(w, r, gz, raw, stale, layer.Name, t)
}

// writeTile answers with the gzip-compressed tile gz (nil: empty, 204), as
// handleTile describes: its ETag, 304 for a matching If-None-Match, the bytes
// as they are for a client accepting gzip and decompressed for another. name
// and t only label an error.
func writeTile(w http.ResponseWriter, r *http.Request, gz []byte, stale bool, name string, t tiles.Tile) error {
	return writeTileBody(w, r, gz, nil, stale, name, t)
}

// writeTileBody is writeTile given, when at hand, the tile's uncompressed
// bytes raw too (a tile cut for this request), which a client refusing gzip
// then gets without decompressing gz.
func writeTileBody(w http.ResponseWriter, r *http.Request, gz, raw []byte, stale bool, name string, t tiles.Tile) error {
	h := w.Header()
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
	var err error
	if acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		tag = tag[:len(tag)-1] + `-gzip"`
	} else if raw != nil {
		body = raw
	} else if body, err = gunzip(gz); err != nil {
		return errs.Wrap(errs.Internal, err, "tile %s %v: cached bytes", name, t)
	}
	h.Set("ETag", tag)
	if inm := r.Header.Get("If-None-Match"); inm != "" && etagListed(plainETags(inm), plainETags(tag)) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
	return nil
}

// handleCompositeTile serves GET /tiles/{layers}/{z}/{x}/{y}.mvt for a
// comma-separated list of layers, such as districts,settlements: one MVT
// carrying each asked layer in the order asked (an MVT is a list of layers,
// so the layers' tiles concatenate). Each part comes from the same cache as
// the single-layer tile, and the whole is cached too, so a hit costs no
// compression. A layer below its MinZoom, or above its MaxZoom, adds nothing
// (its TileJSON vector_layers entry says where it has features); only when
// z is above every asked layer's MaxZoom is the answer 404. A repeated
// layer, an empty name or more layers than the catalogue has are 400, an
// unknown layer 404, all before any query.
func (s *server) handleCompositeTile(w http.ResponseWriter, r *http.Request, spec, z, x, y string) error {
	layers, err := s.compositeLayers(spec)
	if err != nil {
		return err
	}
	t, err := tiles.ParseTile(z, x, y)
	if err != nil {
		return err
	}
	gz, stale, err := s.compositeTile(r.Context(), layers, t)
	if err != nil {
		return err
	}
	return writeTile(w, r, gz, stale, compositeName(layers), t)
}

// compositeLayers reads the layers of a composite tile or TileJSON: names
// separated by single commas, each once, at most as many as the catalogue
// has.
func (s *server) compositeLayers(spec string) ([]tiles.Layer, error) {
	names := strings.Split(spec, ",")
	most := len(s.catalogue.Layers())
	if len(names) > most {
		return nil, errs.E(errs.Invalid, "%d layers asked in %q: a composite tile takes at most %d, each layer once", len(names), errs.Shorten(spec), most)
	}
	layers := make([]tiles.Layer, 0, len(names))
	for i, name := range names {
		if name == "" {
			return nil, errs.E(errs.Invalid, "layer list %q has an empty name at position %d: want layer names separated by single commas, such as districts,settlements", errs.Shorten(spec), i+1)
		}
		l, ok := s.catalogue.Layer(name)
		if !ok {
			return nil, errs.E(errs.NotFound, "no tile layer %q (position %d of %q)", errs.Shorten(name), i+1, errs.Shorten(spec))
		}
		for _, prev := range layers {
			if prev.Name == name {
				return nil, errs.E(errs.Invalid, "layer %q is asked twice in %q: name each layer once", name, errs.Shorten(spec))
			}
		}
		layers = append(layers, l)
	}
	return layers, nil
}

// compositeName is the cache and log name of a composite tile: its layers'
// names joined by commas (no single layer's name has one).
func compositeName(layers []tiles.Layer) string {
	names := make([]string, len(layers))
	for i, l := range layers {
		names[i] = l.Name
	}
	return strings.Join(names, ",")
}

// compositeTile returns the gzip-compressed composite tile t of layers from
// the cache, or assembles it from the layers' own tiles (cached or cut, the
// cuts in parallel), all of one data generation; nil when every part is
// empty. stale is as for tile.
func (s *server) compositeTile(ctx context.Context, layers []tiles.Layer, t tiles.Tile) (data []byte, stale bool, err error) {
	var want []tiles.Layer
	above := 0
	top := tiles.Zoom(0)
	for _, l := range layers {
		top = max(top, l.MaxZoom)
		query, err := l.NeedsQuery(t)
		if err != nil {
			above++ // above the layer's MaxZoom: it adds nothing
			continue
		}
		if query {
			want = append(want, l)
		}
	}
	if above == len(layers) {
		return nil, false, errs.E(errs.NotFound, "layers %s have no tiles above z=%d", compositeName(layers), top)
	}
	if len(want) == 0 {
		return nil, false, nil
	}
	ctx, cancel := context.WithTimeout(ctx, s.queryTimeout)
	defer cancel()
	gen, stale, err := s.generation.get(ctx, s.src)
	if err != nil {
		return nil, false, err
	}
	name := compositeName(layers)
	key := tiles.CacheKey{Layer: name, Tile: t, Generation: gen}
	if data, ok := s.cache.Get(key); ok {
		return data, stale, nil
	}
	parts := make([][]byte, len(want))
	raws := make([][]byte, len(want))
	partErrs := make([]error, len(want))
	var wg sync.WaitGroup
	for i, l := range want {
		wg.Go(func() { parts[i], raws[i], partErrs[i] = s.tileOf(ctx, l, t, gen, stale) })
	}
	wg.Wait()
	var raw []byte
	for i, part := range parts {
		if partErrs[i] != nil {
			return nil, false, partErrs[i]
		}
		if len(part) == 0 {
			continue
		}
		b := raws[i]
		if b == nil {
			var err error
			if b, err = gunzip(part); err != nil {
				return nil, false, errs.Wrap(errs.Internal, err, "tile %s %v: cached bytes", want[i].Name, t)
			}
		}
		raw = append(raw, b...)
	}
	if len(raw) > 0 {
		if data, err = gzipBytes(raw); err != nil {
			return nil, false, errs.Wrap(errs.Internal, err, "tile %s %v: compress", name, t)
		}
	}
	s.cache.Put(key, data)
	return data, stale, nil
}

// tile returns the gzip-compressed tile from the cache, or cuts and
// compresses it within the query timeout; nil for an empty tile. raw is the
// tile uncompressed when it was cut for this call (nil from the cache). When
// the database cannot be asked for the data generation, a cached tile of the
// last known generation is returned with stale true, and a tile not in the
// cache is the database's error (503).
func (s *server) tile(ctx context.Context, l tiles.Layer, t tiles.Tile) (data, raw []byte, stale bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, s.queryTimeout)
	defer cancel()
	gen, stale, err := s.generation.get(ctx, s.src)
	if err != nil {
		return nil, nil, false, err
	}
	data, raw, err = s.tileOf(ctx, l, t, gen, stale)
	return data, raw, stale && err == nil, err
}

// tileOf is tile for a known data generation gen (stale: the database cannot
// be asked, only the cache answers).
func (s *server) tileOf(ctx context.Context, l tiles.Layer, t tiles.Tile, gen int64, stale bool) (gz, raw []byte, err error) {
	key := tiles.CacheKey{Layer: l.Name, Tile: t, Generation: gen}
	if data, ok := s.cache.Get(key); ok {
		return data, nil, nil
	}
	if stale {
		return nil, nil, errs.E(errs.Unavailable, "database unreachable: tile %s %v is not cached", l.Name, t)
	}
	if raw, err = s.cut(ctx, l, t, gen); err != nil {
		return nil, nil, err
	}
	if len(raw) > 0 {
		if gz, err = gzipBytes(raw); err != nil {
			return nil, nil, errs.Wrap(errs.Internal, err, "tile %s %v: compress", l.Name, t)
		}
	}
	s.cache.Put(key, gz)
	return gz, raw, nil
}

// cut cuts tile t of layer l of data generation gen, uncompressed: through
// the source's TileAt when it has one (from memory once gen is loaded), else
// its Tile.
func (s *server) cut(ctx context.Context, l tiles.Layer, t tiles.Tile, gen int64) ([]byte, error) {
	if g, ok := s.src.(GenerationTileSource); ok {
		return g.TileAt(ctx, l, t, gen)
	}
	return s.src.Tile(ctx, l, t)
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

// gzipWriters are reused: a new writer allocates and clears its tables, more
// work than compressing a small tile.
var gzipWriters = sync.Pool{New: func() any { return gzip.NewWriter(nil) }}

// gzipBytes compresses b at the default level (tiles are compressed once).
func gzipBytes(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(len(b)/3 + 64)
	zw := gzipWriters.Get().(*gzip.Writer)
	defer gzipWriters.Put(zw)
	zw.Reset(&buf)
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// gzipReaders are reused as gzipWriters are.
var gzipReaders sync.Pool

// gunzip decompresses b.
func gunzip(b []byte) ([]byte, error) {
	zr, _ := gzipReaders.Get().(*gzip.Reader)
	var err error
	if zr == nil {
		zr, err = gzip.NewReader(bytes.NewReader(b))
	} else {
		err = zr.Reset(bytes.NewReader(b))
	}
	if err != nil {
		return nil, err
	}
	defer gzipReaders.Put(zr)
	var out bytes.Buffer
	out.Grow(3 * len(b))
	if _, err := io.Copy(&out, zr); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// etag is a strong validator of a response body: a hash of its bytes.
func etag(b []byte) string {
	h := fnv.New64a()
	h.Write(b)
	return `"` + hex.EncodeToString(h.Sum(nil)) + `"`
}

package web

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/aimaq/aimaq/internal/errs"
	"github.com/aimaq/aimaq/tiles"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
)

// layerSource cuts a different SYNTHETIC tile per layer: one point feature
// whose "layer" property is the layer's name, in an MVT layer of that name,
// so a composite shows which parts it holds and in which order. Layers
// named in empty have no features.
type layerSource struct {
	mu     sync.Mutex
	empty  map[string]bool
	asked  []string // "layer z/x/y", in the order asked
	genErr error    // Generation fails with it (the database is away)
}

func (f *layerSource) Tile(ctx context.Context, l tiles.Layer, t tiles.Tile) ([]byte, error) {
	f.mu.Lock()
	f.asked = append(f.asked, l.Name+" "+t.String())
	empty := f.empty[l.Name]
	f.mu.Unlock()
	if empty {
		return nil, nil
	}
	return layerTile(l.Name), nil
}

func (f *layerSource) Generation(ctx context.Context) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return 1, f.genErr
}

func (f *layerSource) calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.asked)
}

// layerTile is the SYNTHETIC single-layer MVT of layer name.
func layerTile(name string) []byte {
	fc := geojson.NewFeatureCollection()
	f := geojson.NewFeature(orb.Point{100, 200})
	f.Properties["layer"] = name
	fc.Append(f)
	l := mvt.NewLayer(name, fc)
	b, err := mvt.Marshal(mvt.Layers{l})
	if err != nil {
		panic(err)
	}
	return b
}

// mvtLayerNames decodes an MVT and returns its layers' names, checking each
// carries its own feature.
func mvtLayerNames(t *testing.T, b []byte) []string {
	t.Helper()
	layers, err := mvt.Unmarshal(b)
	if err != nil {
		t.Fatalf("the tile is not an MVT: %v", err)
	}
	var names []string
	for _, l := range layers {
		names = append(names, l.Name)
		if len(l.Features) != 1 || l.Features[0].Properties["layer"] != l.Name {
			t.Errorf("layer %s carries %d features (%v), want its own one", l.Name, len(l.Features), l.Features)
		}
	}
	return names
}

func newLayerServer(t *testing.T) (*server, *layerSource) {
	t.Helper()
	src := &layerSource{empty: map[string]bool{}}
	s, _ := newTestServer(t, Options{Tiles: src})
	return s, src
}

// A composite tile is the asked layers' tiles concatenated in the order
// asked: it decodes into those layers, byte for byte the single-layer tiles.
func TestCompositeTileLayersInOrder(t *testing.T) {
	s, src := newLayerServer(t)
	h := s.routes()
	for _, spec := range []string{"districts,settlements", "settlements,districts", "groups,oblasts,settlements,districts"} {
		rec := do(t, h, "GET", "/tiles/"+spec+"/6/44/21.mvt")
		if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/vnd.mapbox-vector-tile" {
			t.Fatalf("%s: %d %s %s", spec, rec.Code, rec.Header().Get("Content-Type"), rec.Body)
		}
		names := mvtLayerNames(t, rec.Body.Bytes())
		if strings.Join(names, ",") != spec {
			t.Errorf("%s decodes into layers %v", spec, names)
		}
		var want []byte
		for _, name := range strings.Split(spec, ",") {
			one := do(t, h, "GET", "/tiles/"+name+"/6/44/21.mvt")
			want = append(want, one.Body.Bytes()...)
		}
		if !bytes.Equal(rec.Body.Bytes(), want) {
			t.Errorf("%s: the composite is not the layers' tiles one after the other", spec)
		}
	}
	// Each layer was cut once: the composites and single tiles share the cache.
	asked := src.calls()
	slices.Sort(asked)
	want := []string{"districts 6/44/21", "groups 6/44/21", "oblasts 6/44/21", "settlements 6/44/21"}
	if !slices.Equal(asked, want) {
		t.Errorf("source asked %v, want each layer once: %v", asked, want)
	}
	// .pbf is the same bytes.
	mvtRec := do(t, h, "GET", "/tiles/districts,settlements/6/44/21.mvt")
	pbfRec := do(t, h, "GET", "/tiles/districts,settlements/6/44/21.pbf")
	if !bytes.Equal(mvtRec.Body.Bytes(), pbfRec.Body.Bytes()) {
		t.Error(".pbf and .mvt composites differ")
	}
}

// The composite has its own ETag, answers 304 to it, and goes gzip-compressed
// to a client that accepts it.
func TestCompositeTileETagAndGzip(t *testing.T) {
	s, _ := newLayerServer(t)
	h := s.routes()
	rec := do(t, h, "GET", "/tiles/districts,settlements/6/44/21.mvt", "Accept-Encoding", "gzip")
	if rec.Code != 200 || rec.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("composite with gzip: %d, Content-Encoding %q", rec.Code, rec.Header().Get("Content-Encoding"))
	}
	layers, err := mvt.UnmarshalGzipped(rec.Body.Bytes())
	if err != nil || len(layers) != 2 {
		t.Fatalf("gzip composite: %d layers, %v", len(layers), err)
	}
	tag := rec.Header().Get("ETag")
	single := do(t, h, "GET", "/tiles/districts/6/44/21.mvt", "Accept-Encoding", "gzip").Header().Get("ETag")
	if tag == "" || tag == single {
		t.Errorf("composite ETag %q, single-layer ETag %q: want a composite's own", tag, single)
	}
	rec = do(t, h, "GET", "/tiles/districts,settlements/6/44/21.mvt", "Accept-Encoding", "gzip", "If-None-Match", tag)
	if rec.Code != 304 || rec.Body.Len() != 0 {
		t.Errorf("If-None-Match with the composite's ETag: %d, %d bytes; want 304", rec.Code, rec.Body.Len())
	}
	rec = do(t, h, "GET", "/tiles/settlements,districts/6/44/21.mvt", "Accept-Encoding", "gzip", "If-None-Match", tag)
	if rec.Code != 200 {
		t.Errorf("the other order with the first order's ETag: %d, want 200 (different bytes)", rec.Code)
	}
}

// An empty part adds nothing; all parts empty is 204. A layer below its
// MinZoom adds nothing and is not asked; a layer above its MaxZoom neither,
// and z above every asked layer's MaxZoom is 404.
func TestCompositeTileEmptyParts(t *testing.T) {
	s, src := newLayerServer(t)
	h := s.routes()
	src.empty["districts"] = true
	rec := do(t, h, "GET", "/tiles/districts,settlements/6/44/21.mvt")
	if rec.Code != 200 || strings.Join(mvtLayerNames(t, rec.Body.Bytes()), ",") != "settlements" {
		t.Errorf("with districts empty: %d, want settlements alone", rec.Code)
	}
	src.empty["settlements"] = true
	rec = do(t, h, "GET", "/tiles/districts,settlements/7/88/42.mvt")
	if rec.Code != 204 || rec.Body.Len() != 0 {
		t.Errorf("both empty: %d %q, want 204", rec.Code, rec.Body)
	}
	src.empty = map[string]bool{}
	before := len(src.calls())
	rec = do(t, h, "GET", "/tiles/districts,settlements/3/5/2.mvt")
	if rec.Code != 200 || strings.Join(mvtLayerNames(t, rec.Body.Bytes()), ",") != "districts" {
		t.Errorf("z3, below settlements' MinZoom 4: %d, want districts alone", rec.Code)
	}
	if got := src.calls()[before:]; !slices.Equal(got, []string{"districts 3/5/2"}) {
		t.Errorf("z3 asked %v, want districts alone", got)
	}
	rec = do(t, h, "GET", "/tiles/districts,settlements/15/0/0.mvt")
	if rec.Code != 404 || !strings.Contains(errorBody(t, rec), "have no tiles above z=14") {
		t.Errorf("z15: %d %s, want 404", rec.Code, rec.Body)
	}
}

// Refused before any query, each with a message naming the problem.
func TestCompositeTileRefused(t *testing.T) {
	s, src := newLayerServer(t)
	h := s.routes()
	for _, tc := range []struct {
		name, path string
		status     int
		message    string
	}{
		{"repeated", "/tiles/districts,districts/6/44/21.mvt", 400, `layer "districts" is asked twice in "districts,districts"`},
		{"repeated apart", "/tiles/districts,settlements,districts/6/44/21.mvt", 400, `layer "districts" is asked twice`},
		{"too many", "/tiles/oblasts,districts,groups,settlements,oblasts/6/44/21.mvt", 400, "5 layers asked in \"oblasts,districts,groups,settlements,obl…\": a composite tile takes at most 4, each layer once"},
		{"unknown", "/tiles/districts,roads/6/44/21.mvt", 404, `no tile layer "roads" (position 2 of "districts,roads")`},
		{"trailing comma", "/tiles/districts,/6/44/21.mvt", 400, `layer list "districts," has an empty name at position 2`},
		{"only commas", "/tiles/,,/6/44/21.mvt", 400, "has an empty name at position 1"},
		{"double comma", "/tiles/districts,,settlements/6/44/21.pbf", 400, "empty name at position 2"},
		{"bad z", "/tiles/districts,settlements/x/44/21.mvt", 400, `z="x" is not a whole number`},
		{"bad y", "/tiles/districts,settlements/6/44/64.mvt", 400, "y=64 out of range for z=6"},
		{"above max zoom", "/tiles/oblasts,districts/15/1/1.mvt", 404, "layers oblasts,districts have no tiles above z=14"},
		{"tilejson repeated", "/tiles/settlements,settlements.json", 400, `layer "settlements" is asked twice`},
		{"tilejson unknown", "/tiles/settlements,nowhere.json", 404, `no tile layer "nowhere"`},
		{"tilejson empty", "/tiles/settlements,.json", 400, "empty name at position 2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(t, h, "GET", tc.path)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
			if msg := errorBody(t, rec); !strings.Contains(msg, tc.message) {
				t.Errorf("error %q, want it to contain %q", msg, tc.message)
			}
		})
	}
	if asked := src.calls(); len(asked) != 0 {
		t.Errorf("refused requests reached the source: %v", asked)
	}
}

// The composite's TileJSON lists each layer as a vector layer, in the order
// asked, with the composite tile URL.
func TestCompositeTileJSON(t *testing.T) {
	s, _ := newLayerServer(t)
	rec := do(t, s.routes(), "GET", "http://127.0.0.1:8080/tiles/settlements,districts.json")
	if rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	var tj tiles.TileSet
	if err := json.Unmarshal(rec.Body.Bytes(), &tj); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, vl := range tj.VectorLayers {
		ids = append(ids, vl.ID)
		if len(vl.Fields) == 0 {
			t.Errorf("vector layer %s has no fields", vl.ID)
		}
	}
	if strings.Join(ids, ",") != "settlements,districts" {
		t.Errorf("vector_layers %v, want settlements then districts", ids)
	}
	if len(tj.Tiles) != 1 || tj.Tiles[0] != "http://127.0.0.1:8080/tiles/settlements,districts/{z}/{x}/{y}.mvt" {
		t.Errorf("tiles = %v", tj.Tiles)
	}
	if tj.Name != "settlements,districts" || tj.MinZoom != 0 || tj.MaxZoom != 14 || tj.TileJSON != "3.0.0" {
		t.Errorf("name %q, zooms %d–%d, tilejson %q", tj.Name, tj.MinZoom, tj.MaxZoom, tj.TileJSON)
	}
	if !strings.Contains(tj.Attribution, "OpenStreetMap") {
		t.Errorf("attribution %q lacks the settlements' source", tj.Attribution)
	}
}

// While the database is away, a cached composite keeps flowing marked stale,
// as a composite assembled from cached parts does; one with a part not
// cached is 503, and nothing reaches the source.
func TestCompositeTileWhileDatabaseAway(t *testing.T) {
	s, src := newLayerServer(t)
	h := s.routes()
	do(t, h, "GET", "/tiles/districts,settlements/6/44/21.mvt")
	do(t, h, "GET", "/tiles/groups/6/44/21.mvt")
	before := len(src.calls())
	src.mu.Lock()
	src.genErr = errs.E(errs.Unavailable, "database away")
	src.mu.Unlock()
	for _, path := range []string{"/tiles/districts,settlements/6/44/21.mvt", "/tiles/groups,districts/6/44/21.mvt"} {
		rec := do(t, h, "GET", path)
		if rec.Code != 200 || rec.Header().Get("X-Aimaq-Stale") == "" || rec.Header().Get("Cache-Control") != staleCacheControl {
			t.Errorf("%s while away = %d %v", path, rec.Code, rec.Header())
		}
	}
	if rec := do(t, h, "GET", "/tiles/oblasts,districts/6/44/21.mvt"); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("composite with an uncached part while away = %d, want 503", rec.Code)
	}
	if got := src.calls()[before:]; len(got) != 0 {
		t.Errorf("tile queries while the database is away: %v", got)
	}
}

// The cost of a cached tile, single-layer and composite (no database):
// run with -run '^$' -bench 'TileHit' -benchtime 2000x ./web/.
func BenchmarkTileHit(b *testing.B) {
	src := &layerSource{empty: map[string]bool{}}
	s := newServer(Options{Tiles: src})
	h := s.routes()
	for _, path := range []string{"/tiles/districts/6/44/21.mvt", "/tiles/districts,settlements/6/44/21.mvt"} {
		b.Run(strconv.Itoa(strings.Count(path, ",")+1)+"-layers", func(b *testing.B) {
			req := httptest.NewRequest("GET", path, nil)
			req.Header.Set("Accept-Encoding", "gzip")
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != 200 {
					b.Fatal(rec.Code)
				}
			}
		})
	}
}

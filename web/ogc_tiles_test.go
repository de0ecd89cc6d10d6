package web

import (
	"bytes"
	"context"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// countryExtent is a SYNTHETIC country box around Kazakhstan.
type countryExtent struct{}

func (countryExtent) CountryExtent(context.Context) (orb.Bound, bool, error) {
	return orb.Bound{Min: orb.Point{46.5, 40.5}, Max: orb.Point{87.4, 55.5}}, true, nil
}

func newOGCTileServer(t *testing.T) (*server, *layerSource) {
	t.Helper()
	src := &layerSource{empty: map[string]bool{}}
	s, _ := newTestServer(t, Options{Tiles: src, Features: &fakeFeatures{n: 3}, Extent: countryExtent{}, AllowedHosts: []string{"maps.example.kz"}})
	return s, src
}

// ogcTileLinkOf is the link of rel (and type, when given) among links.
func ogcTileLinkOf(links []ogcTileLink, rel, typ string) (ogcTileLink, bool) {
	for _, l := range links {
		if l.Rel == rel && (typ == "" || l.Type == typ) {
			return l, true
		}
	}
	return ogcTileLink{}, false
}

// The landing page and the collections lead to the tilesets: the dataset's
// from the landing page, a collection's from each collection backed by a
// tile layer, and none from the groups' collections.
func TestOGCTilesLinks(t *testing.T) {
	s, _ := newOGCTileServer(t)
	h := s.routes()
	rec := do(t, h, "GET", "http://maps.example.kz/ogc")
	landing := decode[ogcLanding](t, rec.Body.Bytes())
	for rel, href := range map[string]string{
		"http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector": "http://maps.example.kz/ogc/tiles",
		"http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes":  "http://maps.example.kz/ogc/tileMatrixSets",
	} {
		if l, ok := linkOf(landing.Links, rel); !ok || l.Href != href || l.Type != mediaJSON {
			t.Errorf("landing %s link = %+v, want %s", rel, l, href)
		}
	}
	rec = do(t, h, "GET", "http://maps.example.kz/ogc/collections")
	all := decode[struct{ Collections []ogcCollectionDoc }](t, rec.Body.Bytes())
	withTiles := map[string]bool{"oblasts": true, "districts": true, "settlements": true}
	if len(all.Collections) != 5 {
		t.Fatalf("%d collections", len(all.Collections))
	}
	for _, c := range all.Collections {
		l, ok := linkOf(c.Links, relTilesetsVector)
		if ok != withTiles[c.ID] {
			t.Errorf("collection %s: tilesets-vector link %v, want %v", c.ID, ok, withTiles[c.ID])
		}
		if ok && (l.Href != "http://maps.example.kz/ogc/collections/"+c.ID+"/tiles" || l.Type != mediaJSON) {
			t.Errorf("collection %s: tilesets-vector link %+v", c.ID, l)
		}
	}
	rec = do(t, h, "GET", "http://maps.example.kz/ogc/collections/districts")
	one := decode[ogcCollectionDoc](t, rec.Body.Bytes())
	if _, ok := linkOf(one.Links, relTilesetsVector); !ok {
		t.Errorf("/ogc/collections/districts has no tilesets-vector link: %+v", one.Links)
	}
}

// WebMercatorQuad as OGC 17-083r4 defines it, with the first edition's
// member names GDAL 3.6 reads.
func TestOGCTileMatrixSet(t *testing.T) {
	s, _ := newOGCTileServer(t)
	h := s.routes()
	rec := do(t, h, "GET", "http://maps.example.kz/ogc/tileMatrixSets")
	if rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	list := decode[struct {
		TileMatrixSets []struct {
			ID, URI string
			Links   []ogcTileLink
		}
	}](t, rec.Body.Bytes())
	if len(list.TileMatrixSets) != 1 || list.TileMatrixSets[0].ID != "WebMercatorQuad" ||
		list.TileMatrixSets[0].URI != "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad" {
		t.Fatalf("tileMatrixSets = %+v", list.TileMatrixSets)
	}
	if l, ok := ogcTileLinkOf(list.TileMatrixSets[0].Links, relTilingScheme, mediaJSON); !ok || l.Href != "http://maps.example.kz/ogc/tileMatrixSets/WebMercatorQuad" {
		t.Errorf("tiling-scheme link %+v", l)
	}

	rec = do(t, h, "GET", "/ogc/tileMatrixSets/WebMercatorQuad")
	if rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	tms := decode[tileMatrixSet](t, rec.Body.Bytes())
	if tms.ID != "WebMercatorQuad" || tms.CRS != "http://www.opengis.net/def/crs/EPSG/0/3857" || tms.Identifier != tms.ID || tms.SupportedCRS != tms.CRS {
		t.Errorf("id %q crs %q identifier %q supportedCRS %q", tms.ID, tms.CRS, tms.Identifier, tms.SupportedCRS)
	}
	if len(tms.TileMatrices) != 25 {
		t.Fatalf("%d tile matrices, want 0..24", len(tms.TileMatrices))
	}
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Abs(b) }
	for z, m := range tms.TileMatrices {
		n := math.Pow(2, float64(z))
		if m.ID != m.Identifier || m.ID != strconv.Itoa(z) ||
			!near(m.CellSize, 156543.03392804097/n) || !near(m.ScaleDenominator, 559082264.0287178/n) ||
			m.MatrixWidth != int64(n) || m.MatrixHeight != int64(n) || m.TileWidth != 256 || m.TileHeight != 256 ||
			m.CornerOfOrigin != "topLeft" || !near(m.PointOfOrigin[0], -20037508.342789244) || !near(m.PointOfOrigin[1], 20037508.342789244) ||
			m.TopLeftCorner != m.PointOfOrigin {
			t.Errorf("tile matrix %d = %+v", z, m)
		}
	}
	for path, msg := range map[string]string{
		"/ogc/tileMatrixSets/WorldCRS84Quad":                       `no tile matrix set "WorldCRS84Quad"`,
		"/ogc/collections/districts/tiles/EuropeanETRS89_LAEAQuad": `no tile matrix set "EuropeanETRS89_LAEAQuad"`,
		"/ogc/tiles/webmercatorquad/1/0/0":                         `no tile matrix set "webmercatorquad"`,
	} {
		rec := do(t, h, "GET", path)
		if rec.Code != 404 || !strings.Contains(errorBody(t, rec), msg) {
			t.Errorf("%s: %d %s, want 404 %q", path, rec.Code, rec.Body, msg)
		}
	}
}

// tilesetDoc is the part of a tileset the tests read.
type tilesetDoc struct {
	Title, DataType, CRS, TileMatrixSetURI string
	Links                                  []ogcTileLink
	TileMatrixSetLimits                    []tileMatrixLimits
	Layers                                 []tilesetLayer
	BoundingBox                            struct{ LowerLeft, UpperRight [2]float64 }
}

// A collection's tilesets list and tileset: one vector tileset in
// WebMercatorQuad whose item link is the tile template, limited to the
// country's tiles at each zoom of the layer.
func TestOGCTilesets(t *testing.T) {
	s, src := newOGCTileServer(t)
	h := s.routes()
	rec := do(t, h, "GET", "http://maps.example.kz/ogc/collections/districts/tiles")
	if rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	list := decode[struct {
		Links    []ogcTileLink
		Tilesets []tilesetSummary
	}](t, rec.Body.Bytes())
	if len(list.Tilesets) != 1 {
		t.Fatalf("%d tilesets", len(list.Tilesets))
	}
	ts := list.Tilesets[0]
	if ts.DataType != "vector" || ts.CRS != crsWebMercator || ts.TileMatrixSetURI != webMercatorQuadURI {
		t.Errorf("tileset summary %+v", ts)
	}
	self, ok := ogcTileLinkOf(ts.Links, "self", mediaJSON)
	if !ok || self.Href != "http://maps.example.kz/ogc/collections/districts/tiles/WebMercatorQuad" {
		t.Errorf("self link %+v", self)
	}
	if l, ok := ogcTileLinkOf(ts.Links, relTilingScheme, mediaJSON); !ok || l.Href != "http://maps.example.kz/ogc/tileMatrixSets/WebMercatorQuad" {
		t.Errorf("tiling-scheme link %+v", l)
	}

	rec = do(t, h, "GET", self.Href)
	if rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	doc := decode[tilesetDoc](t, rec.Body.Bytes())
	if doc.DataType != "vector" || doc.CRS != crsWebMercator || doc.TileMatrixSetURI != webMercatorQuadURI {
		t.Errorf("tileset %+v", doc)
	}
	item, ok := ogcTileLinkOf(doc.Links, "item", mediaMVT)
	if !ok || !item.Templated || item.Href != "http://maps.example.kz/ogc/collections/districts/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}?f=mvt" {
		t.Errorf("item link %+v", item)
	}
	if l, ok := ogcTileLinkOf(doc.Links, relTilingScheme, mediaJSON); !ok || l.Href != "http://maps.example.kz/ogc/tileMatrixSets/WebMercatorQuad" {
		t.Errorf("tiling-scheme link %+v", l)
	}
	if l, ok := ogcTileLinkOf(doc.Links, relGeodata, ""); !ok || l.Href != "http://maps.example.kz/ogc/collections/districts" {
		t.Errorf("geodata link %+v", l)
	}
	if len(doc.Layers) != 1 || doc.Layers[0].ID != "districts" || doc.Layers[0].MaxTileMatrix != "14" ||
		doc.Layers[0].GeometryDimension == nil || *doc.Layers[0].GeometryDimension != 2 {
		t.Errorf("layers %+v", doc.Layers)
	}
	props, _ := doc.Layers[0].PropertiesSchema["properties"].(map[string]any)
	if p, _ := props["name_ru"].(map[string]any); p["type"] != "string" {
		t.Errorf("name_ru property schema %v", props["name_ru"])
	}
	if p, _ := props["population"].(map[string]any); p["type"] != "number" {
		t.Errorf("population property schema %v", props["population"])
	}
	// Limits 0..14 from the country's box: at z6 Kazakhstan spans columns
	// 40–47 and rows 20–24 (46.5–87.4° E, 40.5–55.5° N).
	if len(doc.TileMatrixSetLimits) != 15 {
		t.Fatalf("%d tile matrix limits, want 15 (0–14)", len(doc.TileMatrixSetLimits))
	}
	z6 := doc.TileMatrixSetLimits[6]
	if z6 != (tileMatrixLimits{TileMatrix: "6", MinTileCol: 40, MaxTileCol: 47, MinTileRow: 20, MaxTileRow: 24}) {
		t.Errorf("z6 limits %+v", z6)
	}
	if z0 := doc.TileMatrixSetLimits[0]; z0 != (tileMatrixLimits{TileMatrix: "0"}) {
		t.Errorf("z0 limits %+v", z0)
	}
	if doc.BoundingBox.LowerLeft != [2]float64{46.5, 40.5} || doc.BoundingBox.UpperRight != [2]float64{87.4, 55.5} {
		t.Errorf("boundingBox %+v", doc.BoundingBox)
	}

	// Settlements are points and start at z4.
	rec = do(t, h, "GET", "/ogc/collections/settlements/tiles/WebMercatorQuad")
	doc = decode[tilesetDoc](t, rec.Body.Bytes())
	if len(doc.TileMatrixSetLimits) != 11 || doc.TileMatrixSetLimits[0].TileMatrix != "4" || *doc.Layers[0].GeometryDimension != 0 {
		t.Errorf("settlements: %d limits from %+v, layers %+v", len(doc.TileMatrixSetLimits), doc.TileMatrixSetLimits[0], doc.Layers)
	}

	// The dataset's tileset carries every layer.
	rec = do(t, h, "GET", "/ogc/tiles/WebMercatorQuad")
	doc = decode[tilesetDoc](t, rec.Body.Bytes())
	var ids []string
	for _, l := range doc.Layers {
		ids = append(ids, l.ID)
	}
	if strings.Join(ids, ",") != "oblasts,districts,groups,settlements" {
		t.Errorf("dataset tileset layers %v", ids)
	}
	if item, _ := ogcTileLinkOf(doc.Links, "item", mediaMVT); item.Href != "/ogc/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}?f=mvt" {
		t.Errorf("dataset item link %+v (relative without an allowed host)", item)
	}
	if asked := src.calls(); len(asked) != 0 {
		t.Errorf("tileset documents cut tiles: %v", asked)
	}
}

// A tile is the bytes of /tiles with z the tile matrix, y the row and x the
// column: the source is asked for x=44, y=21 when row 21 and column 44 are.
func TestOGCTile(t *testing.T) {
	s, src := newOGCTileServer(t)
	h := s.routes()
	rec := do(t, h, "GET", "/ogc/collections/districts/tiles/WebMercatorQuad/6/21/44?f=mvt", "Accept-Encoding", "gzip")
	if rec.Code != 200 || rec.Header().Get("Content-Type") != mediaMVT {
		t.Fatalf("%d %s %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	if asked := src.calls(); !slices.Equal(asked, []string{"districts 6/44/21"}) {
		t.Errorf("source asked %v, want districts 6/44/21", asked)
	}
	direct := do(t, h, "GET", "/tiles/districts/6/44/21.mvt", "Accept-Encoding", "gzip")
	if !bytes.Equal(rec.Body.Bytes(), direct.Body.Bytes()) || rec.Header().Get("ETag") != direct.Header().Get("ETag") {
		t.Errorf("the OGC tile differs from /tiles/districts/6/44/21.mvt")
	}
	if rec := do(t, h, "GET", "/ogc/collections/districts/tiles/WebMercatorQuad/6/21/44", "If-None-Match", direct.Header().Get("ETag"), "Accept-Encoding", "gzip"); rec.Code != 304 {
		t.Errorf("If-None-Match: %d, want 304", rec.Code)
	}
	// The dataset's tile is the composite of every layer in catalogue order.
	rec = do(t, h, "GET", "/ogc/tiles/WebMercatorQuad/6/21/44")
	if rec.Code != 200 {
		t.Fatalf("dataset tile: %d %s", rec.Code, rec.Body)
	}
	if names := mvtLayerNames(t, rec.Body.Bytes()); strings.Join(names, ",") != "oblasts,districts,groups,settlements" {
		t.Errorf("dataset tile layers %v", names)
	}
	composite := do(t, h, "GET", "/tiles/oblasts,districts,groups,settlements/6/44/21.mvt")
	if !bytes.Equal(rec.Body.Bytes(), composite.Body.Bytes()) {
		t.Errorf("the dataset tile differs from the composite of every layer")
	}
	// Below settlements' MinZoom the tile is empty: 204.
	if rec := do(t, h, "GET", "/ogc/collections/settlements/tiles/WebMercatorQuad/3/2/5"); rec.Code != 204 {
		t.Errorf("settlements z3: %d, want 204", rec.Code)
	}
}

func TestOGCTileRefused(t *testing.T) {
	s, src := newOGCTileServer(t)
	h := s.routes()
	for _, tc := range []struct {
		path    string
		status  int
		message string
	}{
		{"/ogc/collections/districts/tiles/WebMercatorQuad/6/21/44?f=png", 400, `f="png" unsupported: tiles are Mapbox Vector Tiles, f=mvt`},
		{"/ogc/collections/districts/tiles/WebMercatorQuad/6/21/44?f=mvt&f=mvt", 400, "f is given 2 times"},
		{"/ogc/collections/districts/tiles/WebMercatorQuad/6/21/44?z=6", 400, `unknown query parameter "z"`},
		{"/ogc/collections/districts/tiles/WebMercatorQuad/6/64/44", 400, "tileRow=64 out of range for tileMatrix 6: want 0..63"},
		{"/ogc/collections/districts/tiles/WebMercatorQuad/6/21/99", 400, "tileCol=99 out of range for tileMatrix 6: want 0..63"},
		{"/ogc/collections/districts/tiles/WebMercatorQuad/23/0/0", 400, "tileMatrix=23 out of range: want 0..22"},
		{"/ogc/collections/districts/tiles/WebMercatorQuad/-1/0/0", 400, `tileMatrix="-1" is not a whole number`},
		{"/ogc/collections/districts/tiles/WebMercatorQuad/15/0/0", 404, "layer districts has no tiles above z=14"},
		{"/ogc/tiles/WebMercatorQuad/15/0/0", 404, "have no tiles above z=14"},
		{"/ogc/collections/macroregions/tiles", 404, `collection "macroregions" has no tiles: its areas are in the groups layer`},
		{"/ogc/collections/agglomerations/tiles/WebMercatorQuad/1/0/0", 404, `collection "agglomerations" has no tiles`},
		{"/ogc/collections/roads/tiles", 404, `no collection "roads"`},
		{"/ogc/collections/districts/tiles?f=html", 400, `f="html" unsupported`},
		{"/ogc/tiles/WebMercatorQuad?limit=3", 400, `unknown query parameter "limit"`},
	} {
		rec := do(t, h, "GET", tc.path)
		if rec.Code != tc.status {
			t.Errorf("%s: %d, want %d: %s", tc.path, rec.Code, tc.status, rec.Body)
			continue
		}
		if msg := errorBody(t, rec); !strings.Contains(msg, tc.message) {
			t.Errorf("%s: error %q, want it to contain %q", tc.path, msg, tc.message)
		}
	}
	if asked := src.calls(); len(asked) != 0 {
		t.Errorf("refused requests reached the source: %v", asked)
	}
}

// tileLimits at a known place: Astana (71.43° E, 51.13° N) is in tile
// 6/44/21, and the whole world at z2 is columns and rows 0–3.
func TestTileLimits(t *testing.T) {
	if got := tileLimits(6, [4]float64{71.43, 51.13, 71.43, 51.13}); got != (tileMatrixLimits{TileMatrix: "6", MinTileCol: 44, MaxTileCol: 44, MinTileRow: 21, MaxTileRow: 21}) {
		t.Errorf("Astana at z6: %+v", got)
	}
	if got := tileLimits(2, [4]float64{-180, -90, 180, 90}); got != (tileMatrixLimits{TileMatrix: "2", MaxTileCol: 3, MaxTileRow: 3}) {
		t.Errorf("world at z2: %+v", got)
	}
}

// OGC tiles share the tile routes' admission class, their documents the API's.
func TestOGCTileShedClass(t *testing.T) {
	c := newShedClasses(16, 4)
	for path, want := range map[string]string{
		"/ogc/collections/districts/tiles/WebMercatorQuad/6/21/44": "tiles",
		"/ogc/tiles/WebMercatorQuad/6/21/44":                       "tiles",
		"/ogc/collections/districts/tiles/WebMercatorQuad":         "api",
		"/ogc/tiles":                 "api",
		"/report/district/116600000": "api", // about seventy queries a page
	} {
		if got := c.classOf(path); got == nil || got.name != want {
			t.Errorf("%s: class %v, want %s", path, got, want)
		}
	}
}

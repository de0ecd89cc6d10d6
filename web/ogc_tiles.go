package web

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/aimaq/aimaq/internal/errs"
	"github.com/aimaq/aimaq/tiles"
	"github.com/gorilla/mux"
)

// OGC API – Tiles (OGC 20-057) under /ogc: the vector tiles of /tiles in the
// one tile matrix set they are cut in, WebMercatorQuad (OGC 17-083r4). A
// collection has tiles when a tile layer of the same name exists (oblasts,
// districts, settlements); the dataset tiles at /ogc/tiles are the composite
// of every tile layer, the groups layer (macroregions and agglomerations)
// among them. Tiles are the bytes /tiles serves, from the same cache: 204 for
// a tile without features, 404 above the layers' deepest zoom.

// OGC API – Tiles identifiers.
const (
	confTilesCore        = "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core"
	confTileset          = "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset"
	confTilesetsList     = "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list"
	confGeodataTilesets  = "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets"
	confDatasetTilesets  = "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/dataset-tilesets"
	confTilesMVT         = "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt"
	confTilesOAS30       = "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/oas30"
	relTilesetsVector    = "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"
	relTilingScheme      = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme"
	relTilingSchemes     = "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes"
	relGeodata           = "http://www.opengis.net/def/rel/ogc/1.0/geodata"
	webMercatorQuad      = "WebMercatorQuad"
	webMercatorQuadURI   = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
	crsWebMercator       = "http://www.opengis.net/def/crs/EPSG/0/3857"
	mediaMVT             = "application/vnd.mapbox-vector-tile"
	webMercatorMaxMatrix = 24 // WebMercatorQuad's deepest tile matrix
)

// The tile matrices of WebMercatorQuad: the Web Mercator square, 256-pixel
// tiles, matrix 0 one tile, each next one twice as many across. The scale
// denominator takes the standard pixel of 0.28 mm.
const (
	mercatorHalf   = 20037508.3427892 // metres from the origin to the square's edge: π × 6378137
	mercatorCell0  = 156543.033928041 // metres per pixel at matrix 0: 2π × 6378137 / 256
	mercatorScale  = 559082264.028717 // mercatorCell0 / 0.00028
	mercatorMaxLat = 85.0511287798066 // the square's northern edge in degrees
)

// ogcTileLayer is the tile layer of an OGC collection that has tiles: the
// layer of the same name.
func (s *server) ogcTileLayer(c ogcCollection) (tiles.Layer, bool) {
	return s.catalogue.Layer(c.ID)
}

// tileCollectionLinks adds the link to a collection's vector tilesets, for a
// collection that has tiles.
func (s *server) tileCollectionLinks(base string, d *ogcCollectionDoc) {
	if _, ok := s.ogcTileLayer(ogcCollection{ID: d.ID}); !ok {
		return
	}
	d.Links = append(d.Links, ogcLink{
		Href:  base + "/ogc/collections/" + d.ID + "/tiles",
		Rel:   relTilesetsVector,
		Type:  mediaJSON,
		Title: "Vector tilesets of " + d.Title + " (OGC API – Tiles)",
	})
}

// ogcTileLink is a link of the OGC API – Tiles documents; Templated marks a
// URI template such as a tileset's tile URL.
type ogcTileLink struct {
	Href      string `json:"href"`
	Rel       string `json:"rel"`
	Type      string `json:"type,omitempty"`
	Title     string `json:"title,omitempty"`
	Templated bool   `json:"templated,omitempty"`
}

// tileMatrix is one tile matrix of a tile matrix set (OGC 17-083r4, JSON).
// Identifier and TopLeftCorner repeat ID and PointOfOrigin under their
// names of the first edition (OGC 17-083r2), which GDAL up to 3.6 reads
// (its OGCAPI driver cannot use a tile matrix set without them).
type tileMatrix struct {
	ID               string     `json:"id"`
	Identifier       string     `json:"identifier"`
	ScaleDenominator float64    `json:"scaleDenominator"`
	CellSize         float64    `json:"cellSize"`
	CornerOfOrigin   string     `json:"cornerOfOrigin"`
	PointOfOrigin    [2]float64 `json:"pointOfOrigin"`
	TopLeftCorner    [2]float64 `json:"topLeftCorner"`
	TileWidth        int        `json:"tileWidth"`
	TileHeight       int        `json:"tileHeight"`
	MatrixWidth      int64      `json:"matrixWidth"`
	MatrixHeight     int64      `json:"matrixHeight"`
}

// tileMatrixSet is a tile matrix set definition (OGC 17-083r4, JSON), with
// the first edition's Identifier and SupportedCRS beside ID and CRS for GDAL
// up to 3.6, which finds a definition by "identifier", "boundingBox" and
// "tileMatrices" and reads its CRS from "supportedCRS".
type tileMatrixSet struct {
	ID                string         `json:"id"`
	Identifier        string         `json:"identifier"`
	Title             string         `json:"title"`
	URI               string         `json:"uri"`
	CRS               string         `json:"crs"`
	SupportedCRS      string         `json:"supportedCRS"`
	OrderedAxes       []string       `json:"orderedAxes"`
	WellKnownScaleSet string         `json:"wellKnownScaleSet"`
	BoundingBox       tmsBoundingBox `json:"boundingBox"`
	TileMatrices      []tileMatrix   `json:"tileMatrices"`
}

// tmsBoundingBox is a 2D bounding box of OGC 17-083r4 in the set's CRS.
type tmsBoundingBox struct {
	LowerLeft  [2]float64 `json:"lowerLeft"`
	UpperRight [2]float64 `json:"upperRight"`
	CRS        string     `json:"crs"`
}

// webMercatorQuadSet is the definition of WebMercatorQuad, matrices 0 to 24.
func webMercatorQuadSet() tileMatrixSet {
	tms := tileMatrixSet{
		ID:                webMercatorQuad,
		Identifier:        webMercatorQuad,
		Title:             "Google Maps Compatible for the World",
		URI:               webMercatorQuadURI,
		CRS:               crsWebMercator,
		SupportedCRS:      crsWebMercator,
		OrderedAxes:       []string{"X", "Y"},
		WellKnownScaleSet: "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible",
		BoundingBox:       tmsBoundingBox{LowerLeft: [2]float64{-mercatorHalf, -mercatorHalf}, UpperRight: [2]float64{mercatorHalf, mercatorHalf}, CRS: crsWebMercator},
	}
	for z := 0; z <= webMercatorMaxMatrix; z++ {
		n := int64(1) << z
		tms.TileMatrices = append(tms.TileMatrices, tileMatrix{
			ID:               strconv.Itoa(z),
			Identifier:       strconv.Itoa(z),
			ScaleDenominator: mercatorScale / float64(n),
			CellSize:         mercatorCell0 / float64(n),
			CornerOfOrigin:   "topLeft",
			PointOfOrigin:    [2]float64{-mercatorHalf, mercatorHalf},
			TopLeftCorner:    [2]float64{-mercatorHalf, mercatorHalf},
			TileWidth:        256,
			TileHeight:       256,
			MatrixWidth:      n,
			MatrixHeight:     n,
		})
	}
	return tms
}

// handleOGCTileMatrixSets serves GET /ogc/tileMatrixSets: the one tile
// matrix set tiles are cut in.
func (s *server) handleOGCTileMatrixSets(w http.ResponseWriter, r *http.Request) error {
	if err := ogcParams(r.URL.Query(), false); err != nil {
		return err
	}
	base := s.baseURL(w, r)
	type ref struct {
		ID    string        `json:"id"`
		Title string        `json:"title"`
		URI   string        `json:"uri"`
		CRS   string        `json:"crs"`
		Links []ogcTileLink `json:"links"`
	}
	tms := webMercatorQuadSet()
	apiHeaders(w)
	writeJSON(w, http.StatusOK, struct {
		Links          []ogcTileLink `json:"links"`
		TileMatrixSets []ref         `json:"tileMatrixSets"`
	}{
		Links: []ogcTileLink{{Href: base + "/ogc/tileMatrixSets", Rel: "self", Type: mediaJSON, Title: "The tile matrix sets tiles are cut in"}},
		TileMatrixSets: []ref{{
			ID: tms.ID, Title: tms.Title, URI: tms.URI, CRS: tms.CRS,
			Links: []ogcTileLink{{Href: base + "/ogc/tileMatrixSets/" + tms.ID, Rel: relTilingScheme, Type: mediaJSON, Title: "The definition of " + tms.ID}},
		}},
	})
	return nil
}

// handleOGCTileMatrixSet serves GET /ogc/tileMatrixSets/{tileMatrixSetId}:
// the definition of WebMercatorQuad; 404 for any other.
func (s *server) handleOGCTileMatrixSet(w http.ResponseWriter, r *http.Request) error {
	if err := checkTileMatrixSet(mux.Vars(r)["tileMatrixSetId"]); err != nil {
		return err
	}
	if err := ogcParams(r.URL.Query(), false); err != nil {
		return err
	}
	apiHeaders(w)
	writeJSON(w, http.StatusOK, webMercatorQuadSet())
	return nil
}

// checkTileMatrixSet accepts the one tile matrix set tiles are cut in.
func checkTileMatrixSet(id string) error {
	if id != webMercatorQuad {
		return errs.E(errs.NotFound, "no tile matrix set %q: tiles are cut in %s only (see /ogc/tileMatrixSets)", errs.Shorten(id), webMercatorQuad)
	}
	return nil
}

// ogcTileSource is what a tileset is made of: the layers of its tiles and
// where its documents live.
type ogcTileSource struct {
	title, description string
	layers             []tiles.Layer
	path               string // "/ogc/collections/{id}/tiles" or "/ogc/tiles"
	collection         string // the collection's id; "" for the dataset
}

// ogcTileSourceOf is the tileset source of a request: the collection's tile
// layer under /ogc/collections/{collectionId}, every tile layer under /ogc/tiles.
func (s *server) ogcTileSourceOf(r *http.Request) (ogcTileSource, error) {
	id, ok := mux.Vars(r)["collectionId"]
	if !ok {
		return ogcTileSource{
			title:       "aimaq — all tile layers",
			description: "Each tile carries the layers " + compositeName(s.catalogue.Layers()) + ", as /tiles/{layers}/{z}/{x}/{y}.mvt serves them together.",
			layers:      s.catalogue.Layers(),
			path:        "/ogc/tiles",
		}, nil
	}
	c, err := lookupOGCCollection(id)
	if err != nil {
		return ogcTileSource{}, err
	}
	l, ok := s.ogcTileLayer(c)
	if !ok {
		return ogcTileSource{}, errs.E(errs.NotFound, "collection %q has no tiles: its areas are in the groups layer of the dataset tiles (/ogc/tiles)", c.ID)
	}
	return ogcTileSource{title: c.Title, description: l.Description, layers: []tiles.Layer{l}, path: "/ogc/collections/" + c.ID + "/tiles", collection: c.ID}, nil
}

// tilesetSummary is one entry of a tilesets list.
type tilesetSummary struct {
	Title            string        `json:"title"`
	DataType         string        `json:"dataType"`
	CRS              string        `json:"crs"`
	TileMatrixSetURI string        `json:"tileMatrixSetURI"`
	Links            []ogcTileLink `json:"links"`
}

// handleOGCTilesets serves GET /ogc/collections/{collectionId}/tiles and
// GET /ogc/tiles: the vector tilesets, one per tile matrix set (so one).
func (s *server) handleOGCTilesets(w http.ResponseWriter, r *http.Request) error {
	src, err := s.ogcTileSourceOf(r)
	if err != nil {
		return err
	}
	if err := ogcParams(r.URL.Query(), false); err != nil {
		return err
	}
	base := s.baseURL(w, r)
	apiHeaders(w)
	writeJSON(w, http.StatusOK, struct {
		Links    []ogcTileLink    `json:"links"`
		Tilesets []tilesetSummary `json:"tilesets"`
	}{
		Links: []ogcTileLink{{Href: base + src.path, Rel: "self", Type: mediaJSON, Title: "The vector tilesets of " + src.title}},
		Tilesets: []tilesetSummary{{
			Title:            src.title + " in " + webMercatorQuad,
			DataType:         "vector",
			CRS:              crsWebMercator,
			TileMatrixSetURI: webMercatorQuadURI,
			Links: []ogcTileLink{
				{Href: base + src.path + "/" + webMercatorQuad, Rel: "self", Type: mediaJSON, Title: "The tileset"},
				{Href: base + "/ogc/tileMatrixSets/" + webMercatorQuad, Rel: relTilingScheme, Type: mediaJSON, Title: "The tile matrix set " + webMercatorQuad},
			},
		}},
	})
	return nil
}

// tileMatrixLimits are the tiles of one tile matrix that hold data.
type tileMatrixLimits struct {
	TileMatrix string `json:"tileMatrix"`
	MinTileRow int64  `json:"minTileRow"`
	MaxTileRow int64  `json:"maxTileRow"`
	MinTileCol int64  `json:"minTileCol"`
	MaxTileCol int64  `json:"maxTileCol"`
}

// tileLimits is the range of tiles of zoom z covering bounds (west, south,
// east, north in degrees).
func tileLimits(z tiles.Zoom, b [4]float64) tileMatrixLimits {
	n := float64(uint64(1) << z)
	clamp := func(v float64) int64 { return int64(min(max(math.Floor(v), 0), n-1)) }
	col := func(lon float64) int64 { return clamp((lon + 180) / 360 * n) }
	row := func(lat float64) int64 {
		lat = min(max(lat, -mercatorMaxLat), mercatorMaxLat) * math.Pi / 180
		return clamp((1 - math.Log(math.Tan(lat)+1/math.Cos(lat))/math.Pi) / 2 * n)
	}
	return tileMatrixLimits{
		TileMatrix: strconv.Itoa(int(z)),
		MinTileRow: row(b[3]), MaxTileRow: row(b[1]),
		MinTileCol: col(b[0]), MaxTileCol: col(b[2]),
	}
}

// tilesetLayer describes one layer of a tileset's tiles (OGC 17-083r4,
// geospatialData).
type tilesetLayer struct {
	ID                string         `json:"id"`
	Title             string         `json:"title"`
	Description       string         `json:"description"`
	DataType          string         `json:"dataType"`
	GeometryDimension *int           `json:"geometryDimension,omitempty"`
	MinTileMatrix     string         `json:"minTileMatrix"`
	MaxTileMatrix     string         `json:"maxTileMatrix"`
	PropertiesSchema  map[string]any `json:"propertiesSchema"`
}

// tileLayerDimensions are the geometry dimensions of the tile layers: points
// (0) for settlements, polygons (2) for the areas.
var tileLayerDimensions = map[string]int{"oblasts": 2, "districts": 2, "groups": 2, "settlements": 0}

// fieldsSchema turns a layer's Fields ("Type: description") into the JSON
// Schema of its features' properties.
func fieldsSchema(fields map[string]string) map[string]any {
	props := map[string]any{}
	for name, desc := range fields {
		kind, text, _ := strings.Cut(desc, ":")
		typ := map[string]string{"String": "string", "Number": "number", "Boolean": "boolean"}[strings.TrimSpace(kind)]
		p := map[string]string{"description": strings.TrimSpace(text)}
		if typ != "" {
			p["type"] = typ
		}
		props[name] = p
	}
	return map[string]any{"type": "object", "properties": props}
}

// handleOGCTileset serves GET /ogc/collections/{collectionId}/tiles/{tileMatrixSetId}
// and GET /ogc/tiles/{tileMatrixSetId}: the tileset's metadata, with the
// tile URL template, the tile matrix set, the tiles that hold data at each
// zoom (from the imported country's box) and each layer's properties.
func (s *server) handleOGCTileset(w http.ResponseWriter, r *http.Request) error {
	src, err := s.ogcTileSourceOf(r)
	if err != nil {
		return err
	}
	if err := checkTileMatrixSet(mux.Vars(r)["tileMatrixSetId"]); err != nil {
		return err
	}
	if err := ogcParams(r.URL.Query(), false); err != nil {
		return err
	}
	ctx, cancel := s.apiContext(r)
	defer cancel()
	bounds, err := s.tileBounds(ctx)
	if err != nil {
		return err
	}
	base := s.baseURL(w, r)
	ts := tiles.CompositeTileJSON(src.layers, base, bounds)
	self := base + src.path + "/" + webMercatorQuad
	type bbox struct {
		LowerLeft  [2]float64 `json:"lowerLeft"`
		UpperRight [2]float64 `json:"upperRight"`
		CRS        string     `json:"crs"`
	}
	type centre struct {
		Coordinates [2]float64 `json:"coordinates"`
		TileMatrix  string     `json:"tileMatrix"`
		CRS         string     `json:"crs"`
	}
	doc := struct {
		Title               string             `json:"title"`
		Description         string             `json:"description"`
		Attribution         string             `json:"attribution,omitempty"`
		DataType            string             `json:"dataType"`
		CRS                 string             `json:"crs"`
		TileMatrixSetURI    string             `json:"tileMatrixSetURI"`
		MediaTypes          []string           `json:"mediaTypes"`
		BoundingBox         bbox               `json:"boundingBox"`
		CenterPoint         centre             `json:"centerPoint"`
		TileMatrixSetLimits []tileMatrixLimits `json:"tileMatrixSetLimits"`
		Layers              []tilesetLayer     `json:"layers"`
		Links               []ogcTileLink      `json:"links"`
	}{
		Title:            src.title + " in " + webMercatorQuad,
		Description:      src.description,
		Attribution:      ts.Attribution,
		DataType:         "vector",
		CRS:              crsWebMercator,
		TileMatrixSetURI: webMercatorQuadURI,
		MediaTypes:       []string{mediaMVT},
		BoundingBox:      bbox{LowerLeft: [2]float64{ts.Bounds[0], ts.Bounds[1]}, UpperRight: [2]float64{ts.Bounds[2], ts.Bounds[3]}, CRS: crs84},
		CenterPoint:      centre{Coordinates: [2]float64{ts.Center[0], ts.Center[1]}, TileMatrix: strconv.Itoa(int(ts.Center[2])), CRS: crs84},
		Links: []ogcTileLink{
			{Href: self, Rel: "self", Type: mediaJSON, Title: "This tileset"},
			{Href: base + "/ogc/tileMatrixSets/" + webMercatorQuad, Rel: relTilingScheme, Type: mediaJSON, Title: "The tile matrix set " + webMercatorQuad},
			{Href: self + "/{tileMatrix}/{tileRow}/{tileCol}?f=mvt", Rel: "item", Type: mediaMVT, Title: "A tile (Mapbox Vector Tile); 204 for a tile without features", Templated: true},
			{Href: ts.Tiles[0], Rel: "alternate", Type: mediaMVT, Title: "The same tiles as an XYZ template ({z}/{x}/{y})", Templated: true},
		},
	}
	if src.collection != "" {
		doc.Links = append(doc.Links, ogcTileLink{Href: base + "/ogc/collections/" + src.collection, Rel: relGeodata, Type: mediaJSON, Title: "The collection these tiles show"})
	} else {
		doc.Links = append(doc.Links, ogcTileLink{Href: base + "/ogc/collections", Rel: relGeodata, Type: mediaJSON, Title: "The collections these tiles show"})
	}
	for z := ts.MinZoom; z <= ts.MaxZoom; z++ {
		doc.TileMatrixSetLimits = append(doc.TileMatrixSetLimits, tileLimits(z, ts.Bounds))
	}
	for _, l := range src.layers {
		tl := tilesetLayer{
			ID:               l.Name,
			Title:            l.Name,
			Description:      l.Description,
			DataType:         "vector",
			MinTileMatrix:    strconv.Itoa(int(l.MinZoom)),
			MaxTileMatrix:    strconv.Itoa(int(l.MaxZoom)),
			PropertiesSchema: fieldsSchema(l.Fields),
		}
		if d, ok := tileLayerDimensions[l.Name]; ok {
			tl.GeometryDimension = &d
		}
		doc.Layers = append(doc.Layers, tl)
	}
	apiHeaders(w)
	writeJSON(w, http.StatusOK, doc)
	return nil
}

// handleOGCTile serves
// GET /ogc/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}
// and GET /ogc/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}: the
// bytes of /tiles/{layer}/{z}/{x}/{y}.mvt with z the tile matrix, y the row
// and x the column (the dataset's, of /tiles/{all layers}/…). f may only be
// mvt.
func (s *server) handleOGCTile(w http.ResponseWriter, r *http.Request) error {
	src, err := s.ogcTileSourceOf(r)
	if err != nil {
		return err
	}
	v := mux.Vars(r)
	if err := checkTileMatrixSet(v["tileMatrixSetId"]); err != nil {
		return err
	}
	if err := tileParams(r.URL.Query()); err != nil {
		return err
	}
	t, err := parseOGCTile(v["tileMatrix"], v["tileRow"], v["tileCol"])
	if err != nil {
		return err
	}
	if len(src.layers) == 1 {
		l := src.layers[0]
		query, err := l.NeedsQuery(t)
		if err != nil {
			return err
		}
		var gz []byte
		stale := false
		if query {
			if gz, _, stale, err = s.tile(r.Context(), l, t); err != nil {
				return err
			}
		}
		return writeTile(w, r, gz, stale, l.Name, t)
	}
	gz, stale, err := s.compositeTile(r.Context(), src.layers, t)
	if err != nil {
		return err
	}
	return writeTile(w, r, gz, stale, compositeName(src.layers), t)
}

// tileParams checks the query of a tile: f=mvt at most.
func tileParams(q url.Values) error {
	for name, vs := range q {
		if name != "f" {
			return errs.E(errs.Invalid, "unknown query parameter %q: a tile takes only f=mvt", errs.Shorten(name))
		}
		if len(vs) > 1 {
			return errs.E(errs.Invalid, "f is given %d times: want it once", len(vs))
		}
	}
	if f := q.Get("f"); f != "" && f != "mvt" {
		return errs.E(errs.Invalid, "f=%q unsupported: tiles are Mapbox Vector Tiles, f=mvt", errs.Shorten(f))
	}
	return nil
}

// parseOGCTile reads a tile's tileMatrix, tileRow and tileCol: plain decimal
// whole numbers, the matrix at most tiles.MaxZoom, row and column within it.
// Errors name the parameter as the OGC URL does.
func parseOGCTile(matrix, row, col string) (tiles.Tile, error) {
	num := func(name, s string, most uint64, where string) (uint64, error) {
		if !isDigits(s) {
			return 0, errs.E(errs.Invalid, "%s=%q is not a whole number", name, errs.Shorten(s))
		}
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil || n > most {
			return 0, errs.E(errs.Invalid, "%s=%s out of range%s: want 0..%d", name, errs.Shorten(s), where, most)
		}
		return n, nil
	}
	z, err := num("tileMatrix", matrix, uint64(tiles.MaxZoom), "")
	if err != nil {
		return tiles.Tile{}, err
	}
	last := uint64(1)<<z - 1
	where := " for tileMatrix " + strconv.FormatUint(z, 10)
	y, err := num("tileRow", row, last, where)
	if err != nil {
		return tiles.Tile{}, err
	}
	x, err := num("tileCol", col, last, where)
	if err != nil {
		return tiles.Tile{}, err
	}
	return tiles.Tile{Z: tiles.Zoom(z), X: uint32(x), Y: uint32(y)}, nil
}

// isOGCTilePath reports whether path is a tile of the OGC API – Tiles, which
// shares the tile routes' admission class.
func isOGCTilePath(path string) bool {
	return strings.HasPrefix(path, "/ogc/") && strings.Contains(path, "/tiles/"+webMercatorQuad+"/")
}

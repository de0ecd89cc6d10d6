package web

import (
	"context"
	"iter"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aimaq/aimaq/internal/errs"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// FeatureSource reads the features behind the OGC API – Features
// collections (see ogcCollections for their ids). Geometries are WGS 84
// longitude/latitude; a feature's id is its database id.
type FeatureSource interface {
	// Extents returns the bounding box of each collection that has
	// features, keyed by collection id.
	Extents(ctx context.Context) (map[string]orb.Bound, error)
	// Features returns at most limit features of a collection in id order
	// after skipping offset, only those intersecting bbox when it is not
	// nil, and the number of features bbox matches regardless of paging.
	// errs.NotFound for an unknown collection.
	Features(ctx context.Context, collection string, bbox *orb.Bound, limit, offset int) (*geojson.FeatureCollection, int64, error)
	// Feature returns one feature, or errs.NotFound.
	Feature(ctx context.Context, collection string, id int64) (*geojson.Feature, error)
	// FeatureSchema describes a collection's features without reading
	// any: the GeoJSON type of every feature's geometry, and each property
	// in the order features carry it with its JSON type ("string",
	// "integer", "number" or "boolean"; any property may also be null).
	// errs.NotFound for an unknown collection.
	FeatureSchema(collection string) (geometry string, properties iter.Seq2[string, string], err error)
}

// errNoFeatureData answers the item routes of a server started without a
// FeatureSource.
var errNoFeatureData = errs.E(errs.Unavailable, "feature data not available")

// ogcCollection describes one collection; the data comes from the
// FeatureSource, the words from here.
type ogcCollection struct {
	ID, Title, Description string
}

// ogcCollections are the collections of /ogc/collections, in this order.
var ogcCollections = []ogcCollection{
	{"oblasts", "Oblasts", "First-level units of Kazakhstan: 17 oblasts and the cities of Astana, Almaty and Shymkent, with KATO code, names in Kazakh, Russian and English, population, area, density and macroregion. Full-resolution boundaries."},
	{"districts", "Districts", "Districts (audany) and cities of oblast significance, with KATO code, names, population, area, density and macroregion or agglomeration. Full-resolution boundaries."},
	{"macroregions", "Macroregions", "The macroregions of the Regional Development Concept 2025–2030 (Western, Northern, Central-Eastern, Southern), the union of their member districts."},
	{"agglomerations", "Agglomerations", "The Astana and Almaty agglomerations: each city with its surrounding districts."},
	{"settlements", "Settlements", "Cities, towns and villages, with names, population, district and oblast KATO codes and the accessibility figures of the latest compute run (null where not computed)."},
}

func lookupOGCCollection(id string) (ogcCollection, error) {
	for _, c := range ogcCollections {
		if c.ID == id {
			return c, nil
		}
	}
	return ogcCollection{}, errs.E(errs.NotFound, "no collection %q: see /ogc/collections", errs.Shorten(id))
}

// OGC API – Features identifiers.
const (
	crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"

	confCore    = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"
	confGeoJSON = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson"
	confOAS30   = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30"

	mediaOpenAPI = "application/vnd.oai.openapi+json;version=3.0"
)

// Paging of /items: the limit a client gets without asking, and the most
// it gets when asking for more. Larger limits are clamped to the maximum
// (the standard allows either clamping or refusing; clamping lets clients
// such as GDAL ask for "everything" and follow next links).
const (
	ogcDefaultLimit = 1000
	ogcMaxLimit     = 10_000
)

// ogcLink is a link of the OGC API documents.
type ogcLink struct {
	Href  string `json:"href"`
	Rel   string `json:"rel"`
	Type  string `json:"type,omitempty"`
	Title string `json:"title,omitempty"`
}

// ogcParams checks a request's query against the parameters its route
// defines: the standard asks for 400 on an unknown parameter, so a typo
// such as "limt" is not silently ignored. f must be json (or geojson where
// geoJSON is true); every parameter may appear once.
func ogcParams(q url.Values, geoJSON bool, allowed ...string) error {
	for name, vs := range q {
		if name != "f" && !slices.Contains(allowed, name) {
			known := append([]string{"f"}, allowed...)
			return errs.E(errs.Invalid, "unknown query parameter %q: this route takes %s", errs.Shorten(name), strings.Join(known, ", "))
		}
		if len(vs) > 1 {
			return errs.E(errs.Invalid, "%s is given %d times: want it once", errs.Shorten(name), len(vs))
		}
	}
	switch f := q.Get("f"); {
	case f == "", f == "json", geoJSON && f == "geojson":
	default:
		want := "json"
		if geoJSON {
			want = "json or geojson"
		}
		return errs.E(errs.Invalid, "f=%q unsupported: want %s", errs.Shorten(f), want)
	}
	return nil
}

// parseLimit reads limit: a whole number ≥ 1, default ogcDefaultLimit,
// clamped to ogcMaxLimit.
func parseLimit(s string) (int, error) {
	if s == "" {
		return ogcDefaultLimit, nil
	}
	bad := errs.E(errs.Invalid, "limit=%q: want a whole number from 1 to %d", errs.Shorten(s), ogcMaxLimit)
	if !isDigits(s) {
		return 0, bad
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		// All digits yet out of int64: larger than any maximum.
		return ogcMaxLimit, nil
	}
	if n < 1 {
		return 0, bad
	}
	return int(min(n, ogcMaxLimit)), nil
}

// maxOffset bounds offset to what the database takes as a number.
const maxOffset = math.MaxInt32

// parseOffset reads offset: a whole number ≥ 0, default 0.
func parseOffset(s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	if !isDigits(s) {
		return 0, errs.E(errs.Invalid, "offset=%q: want a whole number ≥ 0", errs.Shorten(s))
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n > maxOffset {
		return 0, errs.E(errs.Invalid, "offset=%q too large: want at most %d", errs.Shorten(s), maxOffset)
	}
	return int(n), nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseBBox reads bbox=minlon,minlat,maxlon,maxlat in WGS 84 (CRS84).
// Boxes across the antimeridian (minlon > maxlon) are refused: no
// collection reaches it.
func parseBBox(s string) (*orb.Bound, error) {
	if s == "" {
		return nil, nil
	}
	const want = "want bbox=minlon,minlat,maxlon,maxlat in decimal degrees (WGS 84)"
	parts := strings.Split(s, ",")
	if len(parts) != 4 {
		return nil, errs.E(errs.Invalid, "bbox=%q has %d numbers: %s", errs.Shorten(s), len(parts), want)
	}
	var v [4]float64
	names := [4]string{"minlon", "minlat", "maxlon", "maxlat"}
	for i, p := range parts {
		p = strings.TrimSpace(p)
		x, err := strconv.ParseFloat(p, 64)
		if err != nil || !isDecimal(p) || math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, errs.E(errs.Invalid, "bbox %s %q is not a number: %s", names[i], errs.Shorten(p), want)
		}
		v[i] = x
	}
	for i, x := range v {
		lim := 180.0
		if i%2 == 1 {
			lim = 90
		}
		if x < -lim || x > lim {
			return nil, errs.E(errs.Invalid, "bbox %s %v out of range: want -%v..%v", names[i], x, lim, lim)
		}
	}
	if v[1] > v[3] {
		return nil, errs.E(errs.Invalid, "bbox minlat %v is greater than maxlat %v", v[1], v[3])
	}
	// minlon > maxlon is a box across the antimeridian (OGC API – Features
	// Part 1, 7.15.3): kept as it is; the store splits it in two.
	return &orb.Bound{Min: orb.Point{v[0], v[1]}, Max: orb.Point{v[2], v[3]}}, nil
}

// ogcExtent is a collection's extent in the collection document.
type ogcExtent struct {
	Spatial struct {
		BBox [][4]float64 `json:"bbox"`
		CRS  string       `json:"crs"`
	} `json:"spatial"`
}

// ogcCollectionDoc is the document of one collection.
type ogcCollectionDoc struct {
	ID          string     `json:"id"`
	Title       string     `json:"title"`
	Description string     `json:"description"`
	Links       []ogcLink  `json:"links"`
	Extent      *ogcExtent `json:"extent,omitempty"`
	ItemType    string     `json:"itemType"`
	CRS         []string   `json:"crs"`
}

// collectionDoc describes c with links from base; extents holds the
// collections' boxes (a collection without one has no features).
func collectionDoc(base string, c ogcCollection, extents map[string]orb.Bound) ogcCollectionDoc {
	self := base + "/ogc/collections/" + c.ID
	d := ogcCollectionDoc{
		ID:          c.ID,
		Title:       c.Title,
		Description: c.Description,
		Links: []ogcLink{
			{Href: self, Rel: "self", Type: mediaJSON, Title: "This collection"},
			{Href: self + "/items", Rel: "items", Type: mediaGeoJSON, Title: c.Title + " as GeoJSON"},
			{Href: self + "/schema", Rel: relSchema, Type: mediaJSONSchema, Title: "Schema of the features (OGC API – Features Part 5)"},
			{Href: self + "/schema/geojson", Rel: relDescribedBy, Type: mediaJSONSchema, Title: "JSON Schema of one feature as GeoJSON"},
			{Href: self + "/queryables", Rel: relQueryables, Type: mediaJSONSchema, Title: "Properties a request can filter on"},
		},
		ItemType: "feature",
		CRS:      []string{crs84},
	}
	if b, ok := extents[c.ID]; ok {
		d.Extent = &ogcExtent{}
		d.Extent.Spatial.BBox = [][4]float64{{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}}
		d.Extent.Spatial.CRS = crs84
	}
	return d
}

// writeGeoJSON writes a GeoJSON document encoded by orb.
func writeGeoJSON(w http.ResponseWriter, body []byte) {
	h := w.Header()
	h.Set("Content-Type", mediaGeoJSON)
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body) // the status is sent; a failed write has nowhere to go
}

// timeStamp is the response time as the standard writes it.
func timeStamp() string { return time.Now().UTC().Format(time.RFC3339) }

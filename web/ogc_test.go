package web

import (
	"context"
	"encoding/json"
	"errors"
	"iter"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aimaq/aimaq/internal/errs"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// fakeFeatures serves n settlements on a line of points, id i at
// (60+i/10, 50), paging and filtering like the store does.
type fakeFeatures struct {
	mu    sync.Mutex
	n     int
	err   error
	calls int
	last  struct {
		collection    string
		bbox          *orb.Bound
		limit, offset int
	}
}

func (f *fakeFeatures) point(id int) orb.Point { return orb.Point{60 + float64(id)/10, 50} }

func (f *fakeFeatures) feature(id int) *geojson.Feature {
	ft := geojson.NewFeature(f.point(id))
	ft.ID = int64(id)
	ft.Properties["name_ru"] = "Посёлок " + string(rune('А'+id%30))
	ft.Properties["school_km"] = nil
	return ft
}

func (f *fakeFeatures) Extents(ctx context.Context) (map[string]orb.Bound, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.err != nil {
		return nil, f.err
	}
	return map[string]orb.Bound{"settlements": {Min: f.point(1), Max: f.point(f.n)}}, nil
}

func (f *fakeFeatures) Features(ctx context.Context, collection string, bbox *orb.Bound, limit, offset int) (*geojson.FeatureCollection, int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	f.last.collection, f.last.bbox, f.last.limit, f.last.offset = collection, bbox, limit, offset
	if f.err != nil {
		return nil, 0, f.err
	}
	fc := geojson.NewFeatureCollection()
	if collection != "settlements" {
		return fc, 0, nil
	}
	var matched int64
	for id := 1; id <= f.n; id++ {
		if bbox != nil && !bbox.Contains(f.point(id)) {
			continue
		}
		matched++
		if matched > int64(offset) && len(fc.Features) < limit {
			fc.Append(f.feature(id))
		}
	}
	return fc, matched, nil
}

func (f *fakeFeatures) Feature(ctx context.Context, collection string, id int64) (*geojson.Feature, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.err != nil {
		return nil, f.err
	}
	if collection != "settlements" || id < 1 || id > int64(f.n) {
		return nil, errs.E(errs.NotFound, "no feature %d in collection %q", id, collection)
	}
	return f.feature(int(id)), nil
}

// FeatureSchema: settlements are points with the two properties of
// feature; the other collections multipolygons with a name and population.
func (f *fakeFeatures) FeatureSchema(collection string) (string, iter.Seq2[string, string], error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	geometry, props := "MultiPolygon", [][2]string{{"name_ru", "string"}, {"population", "integer"}, {"population_estimated", "boolean"}}
	switch {
	case collection == "settlements":
		geometry, props = "Point", [][2]string{{"name_ru", "string"}, {"school_km", "number"}}
	default:
		if _, err := lookupOGCCollection(collection); err != nil {
			return "", nil, errs.E(errs.NotFound, "no feature collection %q", collection)
		}
	}
	return geometry, func(yield func(string, string) bool) {
		for _, p := range props {
			if !yield(p[0], p[1]) {
				return
			}
		}
	}, nil
}

func (f *fakeFeatures) callCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

func newOGCServer(t *testing.T, n int) (http.Handler, *fakeFeatures) {
	t.Helper()
	src := &fakeFeatures{n: n}
	// The hosts the tests name, as an operator would configure them.
	s, _ := newTestServer(t, Options{Tiles: &fakeSource{}, Features: src, AllowedHosts: []string{"example.kz", "maps.example.kz", "127.0.0.1"}})
	return s.routes(), src
}

// ogcItems is the part of an items answer the tests read.
type ogcItems struct {
	Type           string            `json:"type"`
	Features       []json.RawMessage `json:"features"`
	NumberMatched  *int64            `json:"numberMatched"`
	NumberReturned *int              `json:"numberReturned"`
	TimeStamp      string            `json:"timeStamp"`
	Links          []ogcLink         `json:"links"`
}

func linkOf(links []ogcLink, rel string) (ogcLink, bool) {
	for _, l := range links {
		if l.Rel == rel {
			return l, true
		}
	}
	return ogcLink{}, false
}

func decode[T any](t *testing.T, body []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("body is not the JSON expected: %v\n%s", err, body)
	}
	return v
}

func TestOGCLandingAndConformance(t *testing.T) {
	h, src := newOGCServer(t, 3)
	rec := do(t, h, "GET", "http://maps.example.kz/ogc", "X-Forwarded-Proto", "https")
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("GET /ogc = %d %s %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	landing := decode[ogcLanding](t, rec.Body.Bytes())
	for rel, want := range map[string]ogcLink{
		"self":         {Href: "https://maps.example.kz/ogc", Type: mediaJSON},
		"service-desc": {Href: "https://maps.example.kz/openapi.json", Type: "application/vnd.oai.openapi+json;version=3.0"},
		"conformance":  {Href: "https://maps.example.kz/ogc/conformance", Type: mediaJSON},
		"data":         {Href: "https://maps.example.kz/ogc/collections", Type: mediaJSON},
	} {
		l, ok := linkOf(landing.Links, rel)
		if !ok || l.Href != want.Href || l.Type != want.Type {
			t.Errorf("%s link = %+v, want %+v", rel, l, want)
		}
	}

	rec = do(t, h, "GET", "/ogc/conformance?f=json")
	if rec.Code != 200 {
		t.Fatalf("GET /ogc/conformance = %d %s", rec.Code, rec.Body)
	}
	conf := decode[map[string][]string](t, rec.Body.Bytes())
	want := []string{
		"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
		"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
		"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
		"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
		"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
		"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
		"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
		"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/dataset-tilesets",
		"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
		"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/oas30",
	}
	if strings.Join(conf["conformsTo"], " ") != strings.Join(want, " ") {
		t.Errorf("conformsTo = %v, want %v", conf["conformsTo"], want)
	}
	if n := src.callCount(); n != 0 {
		t.Errorf("%d FeatureSource calls for static documents, want none", n)
	}
}

func TestOGCCollections(t *testing.T) {
	h, _ := newOGCServer(t, 25)
	rec := do(t, h, "GET", "http://127.0.0.1:8080/ogc/collections")
	if rec.Code != 200 {
		t.Fatalf("GET /ogc/collections = %d %s", rec.Code, rec.Body)
	}
	body := decode[struct {
		Links       []ogcLink          `json:"links"`
		Collections []ogcCollectionDoc `json:"collections"`
	}](t, rec.Body.Bytes())
	var ids []string
	for _, c := range body.Collections {
		ids = append(ids, c.ID)
		items, ok := linkOf(c.Links, "items")
		if !ok || items.Href != "http://127.0.0.1:8080/ogc/collections/"+c.ID+"/items" || items.Type != mediaGeoJSON {
			t.Errorf("%s items link = %+v", c.ID, items)
		}
		for rel, path := range map[string]string{
			"http://www.opengis.net/def/rel/ogc/1.0/schema": "/schema",
			"describedBy": "/schema/geojson",
			"http://www.opengis.net/def/rel/ogc/1.0/queryables": "/queryables",
		} {
			l, ok := linkOf(c.Links, rel)
			if !ok || l.Href != "http://127.0.0.1:8080/ogc/collections/"+c.ID+path || l.Type != "application/schema+json" {
				t.Errorf("%s %s link = %+v", c.ID, rel, l)
			}
		}
		if c.ItemType != "feature" || len(c.CRS) != 1 || c.CRS[0] != crs84 {
			t.Errorf("%s: itemType %q, crs %v", c.ID, c.ItemType, c.CRS)
		}
		switch {
		case c.ID == "settlements" && (c.Extent == nil || c.Extent.Spatial.BBox[0] != [4]float64{60.1, 50, 62.5, 50} || c.Extent.Spatial.CRS != crs84):
			t.Errorf("settlements extent = %+v", c.Extent)
		case c.ID != "settlements" && c.Extent != nil:
			t.Errorf("%s: extent %+v for a collection without features", c.ID, c.Extent)
		}
	}
	if got := strings.Join(ids, " "); got != "oblasts districts macroregions agglomerations settlements" {
		t.Errorf("collections = %s", got)
	}

	rec = do(t, h, "GET", "/ogc/collections/districts")
	if c := decode[ogcCollectionDoc](t, rec.Body.Bytes()); rec.Code != 200 || c.ID != "districts" || c.Title != "Districts" {
		t.Errorf("GET /ogc/collections/districts = %d %s", rec.Code, rec.Body)
	}
}

// schemaDoc is the part of a JSON Schema the tests read; properties keep
// their order.
type schemaDoc struct {
	Schema, ID, Title, Type string
	Properties              orderedSchemas
	Required                []string
	Role                    string `json:"x-ogc-role"`
	Format, Unit            string
	Enum                    []string
	AdditionalProperties    *bool
}

func (d *schemaDoc) UnmarshalJSON(b []byte) error {
	type plain schemaDoc
	var v struct {
		plain
		Schema string `json:"$schema"`
		ID     string `json:"$id"`
		Unit   string `json:"x-ogc-unit"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*d = schemaDoc(v.plain)
	d.Schema, d.ID, d.Unit = v.Schema, v.ID, v.Unit
	return nil
}

type orderedSchemas struct {
	names []string
	byKey map[string]schemaDoc
}

func (o *orderedSchemas) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(strings.NewReader(string(b)))
	if _, err := dec.Token(); err != nil { // {
		return err
	}
	o.byKey = map[string]schemaDoc{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		var d schemaDoc
		if err := dec.Decode(&d); err != nil {
			return err
		}
		o.names = append(o.names, tok.(string))
		o.byKey[tok.(string)] = d
	}
	return nil
}

// typesOf lists name:type of each property, in order.
func typesOf(o orderedSchemas) string {
	var out []string
	for _, n := range o.names {
		out = append(out, n+":"+o.byKey[n].Type)
	}
	return strings.Join(out, " ")
}

func TestOGCSchemas(t *testing.T) {
	h, _ := newOGCServer(t, 3)
	get := func(path string) schemaDoc {
		t.Helper()
		rec := do(t, h, "GET", "http://example.kz"+path)
		if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/schema+json" {
			t.Fatalf("GET %s = %d %s: %s", path, rec.Code, rec.Header().Get("Content-Type"), rec.Body)
		}
		d := decode[schemaDoc](t, rec.Body.Bytes())
		if d.Schema != "https://json-schema.org/draft/2020-12/schema" || d.ID != "http://example.kz"+strings.Split(path, "?")[0] || d.Type != "object" || d.Title == "" {
			t.Errorf("GET %s: $schema %q, $id %q, type %q, title %q", path, d.Schema, d.ID, d.Type, d.Title)
		}
		return d
	}

	// Part 5: id, geometry, then the properties in the source's order.
	d := get("/ogc/collections/settlements/schema")
	if got := typesOf(d.Properties); got != "id:integer geometry: name_ru:string school_km:number" {
		t.Errorf("settlements schema properties = %s", got)
	}
	if g := d.Properties.byKey["geometry"]; g.Format != "geometry-point" || g.Role != "primary-geometry" {
		t.Errorf("settlements geometry = %+v", g)
	}
	if id := d.Properties.byKey["id"]; id.Role != "id" {
		t.Errorf("id role = %q", id.Role)
	}
	if km := d.Properties.byKey["school_km"]; km.Unit != "km" {
		t.Errorf("school_km unit = %q, want km from the indicator catalogue", km.Unit)
	}
	d = get("/ogc/collections/oblasts/schema?f=json")
	if got := typesOf(d.Properties); got != "id:integer geometry: name_ru:string population:integer population_estimated:boolean" {
		t.Errorf("oblasts schema properties = %s", got)
	}
	if g := d.Properties.byKey["geometry"]; g.Format != "geometry-multipolygon" {
		t.Errorf("oblasts geometry format = %q", g.Format)
	}

	// The GeoJSON feature, as GDAL reads it: properties.properties.
	d = get("/ogc/collections/settlements/schema/geojson")
	if got := typesOf(d.Properties); got != "type:string id:integer geometry:object properties:object" {
		t.Errorf("feature schema members = %s", got)
	}
	if got := typesOf(d.Properties.byKey["properties"].Properties); got != "name_ru:string school_km:number" {
		t.Errorf("feature schema properties = %s", got)
	}
	if g := d.Properties.byKey["geometry"].Properties.byKey["type"]; strings.Join(g.Enum, " ") != "Point" {
		t.Errorf("feature geometry type enum = %v", g.Enum)
	}

	// Queryables: only the geometry, which bbox filters on.
	d = get("/ogc/collections/districts/queryables")
	if got := typesOf(d.Properties); got != "geometry:" || d.AdditionalProperties == nil || *d.AdditionalProperties {
		t.Errorf("queryables = %s, additionalProperties %v", got, d.AdditionalProperties)
	}
	if g := d.Properties.byKey["geometry"]; g.Format != "geometry-multipolygon" {
		t.Errorf("queryables geometry format = %q", g.Format)
	}

	// Errors come before the source is asked.
	for _, tt := range []struct {
		path   string
		status int
	}{
		{"/ogc/collections/roads/schema", 404},
		{"/ogc/collections/roads/schema/geojson", 404},
		{"/ogc/collections/roads/queryables", 404},
		{"/ogc/collections/settlements/schema?f=geojson", 400},
		{"/ogc/collections/settlements/queryables?limit=1", 400},
		{"/ogc/collections/settlements/schema/other", 404},
	} {
		h, src := newOGCServer(t, 3)
		rec := do(t, h, "GET", tt.path)
		if rec.Code != tt.status {
			t.Errorf("GET %s = %d %s, want %d", tt.path, rec.Code, rec.Body, tt.status)
		}
		_ = errorBody(t, rec)
		if n := src.callCount(); n != 0 {
			t.Errorf("GET %s: %d FeatureSource calls, want none", tt.path, n)
		}
	}
}

func TestOGCItemsPaging(t *testing.T) {
	h, src := newOGCServer(t, 25)
	for _, tt := range []struct {
		name               string
		query              string
		limit, offset      int
		returned           int
		matched            int64
		next, prev         string // the query of the link; empty: no link
		wantSelf, wantBBox string
	}{
		{"defaults", "", 1000, 0, 25, 25, "", "", "limit=1000&offset=0", ""}, // one page: GIS clients read it in one request
		{"second page", "?limit=10&offset=10", 10, 10, 10, 25, "limit=10&offset=20", "limit=10&offset=0", "", ""},
		{"last page", "?limit=10&offset=20", 10, 20, 5, 25, "", "limit=10&offset=10", "", ""},
		{"past the end", "?limit=10&offset=40", 10, 40, 0, 25, "", "limit=10&offset=30", "", ""},
		{"prev clamps at 0", "?limit=10&offset=3", 10, 3, 10, 25, "limit=10&offset=13", "limit=10&offset=0", "", ""},
		{"all", "?limit=100", 100, 0, 25, 25, "", "", "", ""},
		{"clamped to the maximum", "?limit=50000", 10_000, 0, 25, 25, "", "", "limit=10000&offset=0", ""},
		{"clamped beyond int64", "?limit=99999999999999999999999", 10_000, 0, 25, 25, "", "", "", ""},
		{"bbox kept in links", "?bbox=60.05,49,60.75,51&limit=3", 3, 0, 3, 7, "bbox=60.05%2C49%2C60.75%2C51&limit=3&offset=3", "", "", "60.05,49,60.75,51"},
		{"bbox with spaces and f", "?bbox=60.05,%2049,60.75,51&f=geojson&limit=3", 3, 0, 3, 7, "bbox=60.05%2C+49%2C60.75%2C51&f=geojson&limit=3&offset=3", "", "", "60.05, 49,60.75,51"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(t, h, "GET", "http://example.kz/ogc/collections/settlements/items"+tt.query)
			if rec.Code != 200 {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/geo+json" {
				t.Errorf("Content-Type = %q", ct)
			}
			if src.last.limit != tt.limit || src.last.offset != tt.offset {
				t.Errorf("source asked limit %d offset %d, want %d %d", src.last.limit, src.last.offset, tt.limit, tt.offset)
			}
			body := decode[ogcItems](t, rec.Body.Bytes())
			if body.Type != "FeatureCollection" || body.Features == nil || len(body.Features) != tt.returned {
				t.Errorf("type %q, %d features, want a FeatureCollection of %d", body.Type, len(body.Features), tt.returned)
			}
			if body.NumberReturned == nil || *body.NumberReturned != tt.returned || body.NumberMatched == nil || *body.NumberMatched != tt.matched {
				t.Errorf("numberReturned %v numberMatched %v, want %d %d", body.NumberReturned, body.NumberMatched, tt.returned, tt.matched)
			}
			if ts, err := time.Parse(time.RFC3339, body.TimeStamp); err != nil || time.Since(ts) > time.Minute {
				t.Errorf("timeStamp %q: %v", body.TimeStamp, err)
			}
			const items = "http://example.kz/ogc/collections/settlements/items?"
			for rel, want := range map[string]string{"next": tt.next, "prev": tt.prev, "self": tt.wantSelf} {
				l, ok := linkOf(body.Links, rel)
				if rel == "self" && !ok {
					t.Errorf("no self link")
				}
				if want == "" {
					if rel != "self" && ok {
						t.Errorf("%s link %s, want none", rel, l.Href)
					}
					continue
				}
				if !ok || l.Href != items+want || l.Type != mediaGeoJSON {
					t.Errorf("%s link = %q, want %q", rel, l.Href, items+want)
				}
			}
			if l, _ := linkOf(body.Links, "collection"); l.Href != "http://example.kz/ogc/collections/settlements" {
				t.Errorf("collection link = %q", l.Href)
			}
			if tt.wantBBox != "" {
				b, err := parseBBox(tt.wantBBox)
				if err != nil || src.last.bbox == nil || *src.last.bbox != *b {
					t.Errorf("source asked bbox %v, want %v (%v)", src.last.bbox, b, err)
				}
			}
		})
	}
}

// Following next links from the first page visits every feature once.
func TestOGCItemsFollowNext(t *testing.T) {
	h, _ := newOGCServer(t, 23)
	seen := map[int64]bool{}
	target := "/ogc/collections/settlements/items?limit=5"
	for pages := 0; target != ""; pages++ {
		if pages > 10 {
			t.Fatal("next links never end")
		}
		rec := do(t, h, "GET", target)
		if rec.Code != 200 {
			t.Fatalf("GET %s = %d %s", target, rec.Code, rec.Body)
		}
		fc, err := geojson.UnmarshalFeatureCollection(rec.Body.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fc.Features {
			id := int64(f.ID.(float64))
			if seen[id] {
				t.Errorf("feature %d twice", id)
			}
			seen[id] = true
		}
		target = ""
		if l, ok := linkOf(decode[ogcItems](t, rec.Body.Bytes()).Links, "next"); ok {
			u, err := url.Parse(l.Href)
			if err != nil {
				t.Fatal(err)
			}
			target = u.RequestURI()
		}
	}
	if len(seen) != 23 {
		t.Errorf("visited %d features, want 23", len(seen))
	}
}

func TestOGCItemsBadRequest(t *testing.T) {
	tests := []struct {
		name, query string
		status      int
		message     string
	}{
		{"limit 0", "limit=0", 400, `limit="0": want a whole number from 1 to 10000`},
		{"limit negative", "limit=-5", 400, `limit="-5"`},
		{"limit decimal", "limit=2.5", 400, `limit="2.5"`},
		{"limit word", "limit=all", 400, `limit="all"`},
		{"limit empty", "limit=", 200, ""},
		{"limit plus", "limit=%2B5", 400, `limit="+5"`},
		{"limit twice", "limit=5&limit=6", 400, "limit is given 2 times"},
		{"offset negative", "offset=-1", 400, `offset="-1": want a whole number ≥ 0`},
		{"offset decimal", "offset=1.5", 400, `offset="1.5"`},
		{"offset huge", "offset=99999999999", 400, "too large"},
		{"bbox three numbers", "bbox=1,2,3", 400, "has 3 numbers: want bbox=minlon,minlat,maxlon,maxlat"},
		{"bbox six numbers", "bbox=1,2,0,3,4,10", 400, "has 6 numbers"},
		{"bbox word", "bbox=60,50,east,52", 400, `bbox maxlon "east" is not a number`},
		{"bbox NaN", "bbox=NaN,50,61,52", 400, `minlon "NaN" is not a number`},
		{"bbox Inf", "bbox=60,50,61,Inf", 400, "maxlat"},
		{"bbox empty part", "bbox=60,,61,52", 400, "minlat"},
		{"bbox lat out of range", "bbox=60,-91,61,52", 400, "bbox minlat -91 out of range: want -90..90"},
		{"bbox lon out of range", "bbox=60,50,181,52", 400, "bbox maxlon 181 out of range: want -180..180"},
		{"bbox lat swapped", "bbox=60,52,61,50", 400, "minlat 52 is greater than maxlat 50"},
		{"bbox antimeridian", "bbox=170,50,-170,52", 200, ""}, // OGC API – Features: minlon > maxlon crosses it
		{"bbox hex", "bbox=0x10,50,61,52", 400, "not a number"},
		{"bbox point", "bbox=60,50,60,50", 200, ""},
		{"unknown parameter", "limt=5", 400, `unknown query parameter "limt": this route takes f, bbox, limit, offset`},
		{"f html", "f=html", 400, `f="html" unsupported: want json or geojson`},
		{"f json", "f=json", 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, src := newOGCServer(t, 5)
			rec := do(t, h, "GET", "/ogc/collections/settlements/items?"+tt.query)
			if rec.Code != tt.status {
				t.Fatalf("status %d %s, want %d", rec.Code, rec.Body, tt.status)
			}
			if tt.status == 200 {
				return
			}
			if msg := errorBody(t, rec); !strings.Contains(msg, tt.message) {
				t.Errorf("error %q, want it to contain %q", msg, tt.message)
			}
			if n := src.callCount(); n != 0 {
				t.Errorf("%d FeatureSource calls, want none before validation passes", n)
			}
		})
	}
}

func TestOGCNotFound(t *testing.T) {
	for _, tt := range []struct {
		path, message string
		calls         int
	}{
		{"/ogc/collections/roads", `no collection "roads": see /ogc/collections`, 0},
		{"/ogc/collections/roads/items", `no collection "roads"`, 0},
		{"/ogc/collections/roads/items/1", `no collection "roads"`, 0},
		{"/ogc/collections/settlements/items/99", `no feature 99 in collection "settlements"`, 1},
		{"/ogc/collections/settlements/items/abc", `no feature "abc" in collection settlements`, 0},
		{"/ogc/collections/settlements/items/0", `no feature "0"`, 0},
		{"/ogc/collections/settlements/items/-1", `no feature "-1"`, 0},
		{"/ogc/collections/settlements/items/1e3", `no feature "1e3"`, 0},
		{"/ogc/collections/settlements/items/99999999999999999999", `no feature`, 0},
		{"/ogc/collections/settlements/items/1/extra", "", 0}, // the front end's 404
	} {
		t.Run(tt.path, func(t *testing.T) {
			h, src := newOGCServer(t, 5)
			rec := do(t, h, "GET", tt.path)
			if rec.Code != 404 {
				t.Fatalf("status %d %s, want 404", rec.Code, rec.Body)
			}
			if msg := errorBody(t, rec); !strings.Contains(msg, tt.message) {
				t.Errorf("error %q, want it to contain %q", msg, tt.message)
			}
			if n := src.callCount(); n != tt.calls {
				t.Errorf("%d FeatureSource calls, want %d", n, tt.calls)
			}
		})
	}
}

func TestOGCItem(t *testing.T) {
	h, _ := newOGCServer(t, 5)
	rec := do(t, h, "GET", "http://example.kz/ogc/collections/settlements/items/3")
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/geo+json" {
		t.Fatalf("status %d %s: %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	f, err := geojson.UnmarshalFeature(rec.Body.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if f.ID != 3.0 || f.Properties["name_ru"] != "Посёлок Г" || f.Geometry.(orb.Point) != (orb.Point{60.3, 50}) {
		t.Errorf("feature = %+v", f)
	}
	if v, ok := f.Properties["school_km"]; !ok || v != nil {
		t.Errorf("school_km = %v (present %v), want null", v, ok)
	}
	body := decode[struct{ Links []ogcLink }](t, rec.Body.Bytes())
	if l, _ := linkOf(body.Links, "self"); l.Href != "http://example.kz/ogc/collections/settlements/items/3" {
		t.Errorf("self link %q", l.Href)
	}
	if l, _ := linkOf(body.Links, "collection"); l.Href != "http://example.kz/ogc/collections/settlements" {
		t.Errorf("collection link %q", l.Href)
	}
}

func TestOGCUnavailableAndErrors(t *testing.T) {
	s, _ := newTestServer(t, Options{Tiles: &fakeSource{}})
	h := s.routes()
	for _, p := range []string{"/ogc/collections", "/ogc/collections/oblasts", "/ogc/collections/oblasts/items", "/ogc/collections/oblasts/items/1",
		"/ogc/collections/oblasts/schema", "/ogc/collections/oblasts/schema/geojson", "/ogc/collections/oblasts/queryables"} {
		rec := do(t, h, "GET", p)
		if rec.Code != 503 || errorBody(t, rec) != "feature data not available" {
			t.Errorf("GET %s without a FeatureSource = %d %s, want 503", p, rec.Code, rec.Body)
		}
	}
	// The documents that need no data still answer.
	for _, p := range []string{"/ogc", "/ogc/conformance", "/openapi.json"} {
		if rec := do(t, h, "GET", p); rec.Code != 200 {
			t.Errorf("GET %s without a FeatureSource = %d", p, rec.Code)
		}
	}

	src := &fakeFeatures{n: 5, err: errors.New("pq: relation \"settlement\" does not exist")}
	s, _ = newTestServer(t, Options{Tiles: &fakeSource{}, Features: src})
	for _, p := range []string{"/ogc/collections", "/ogc/collections/settlements/items", "/ogc/collections/settlements/items/1"} {
		rec := do(t, s.routes(), "GET", p)
		if rec.Code != 500 || errorBody(t, rec) != "internal error" {
			t.Errorf("GET %s with a failing source = %d %s, want 500 without SQL", p, rec.Code, rec.Body)
		}
	}
}

func FuzzOGCItemsQuery(f *testing.F) {
	for _, q := range []string{"limit=10&offset=0", "bbox=60,50,61,52", "bbox=1,2,3", "limit=-1", "offset=1e9", "f=json"} {
		f.Add(q)
	}
	src := &fakeFeatures{n: 5}
	s := newServer(Options{Tiles: &fakeSource{}, Features: src})
	h := s.routes()
	f.Fuzz(func(t *testing.T, q string) {
		vals, err := url.ParseQuery(q)
		if err != nil {
			return
		}
		rec := do(t, h, "GET", "/ogc/collections/settlements/items?"+vals.Encode())
		switch rec.Code {
		case 200:
			if _, err := geojson.UnmarshalFeatureCollection(rec.Body.Bytes()); err != nil {
				t.Errorf("200 with a body that is not GeoJSON: %v", err)
			}
		case 400:
			_ = errorBody(t, rec)
		default:
			t.Errorf("status %d for %q", rec.Code, q)
		}
	})
}

package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/indicator"
	"github.com/aimaq/aimaq/internal/errs"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// fakeAccess answers from fixed values and records what it was asked.
type fakeAccess struct {
	mu       sync.Mutex
	report   *access.SettlementReport
	table    *access.AreaTable
	names    []string
	err      error // returned by every method when set
	calls    int
	lastID   int64
	lastGeom bool
	lastArgs [2]string
}

func (f *fakeAccess) SettlementAccess(ctx context.Context, id int64) (*access.SettlementReport, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	f.lastID = id
	if f.err != nil {
		return nil, f.err
	}
	return f.report, nil
}

func (f *fakeAccess) AreaIndicator(ctx context.Context, level, indicator string, withGeometry bool) (*access.AreaTable, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	f.lastArgs = [2]string{level, indicator}
	f.lastGeom = withGeometry
	if f.err != nil {
		return nil, f.err
	}
	t := *f.table
	t.Level, t.Indicator = level, indicator
	t.Rows = append([]access.AreaRow(nil), f.table.Rows...)
	if !withGeometry {
		for i := range t.Rows {
			t.Rows[i].Geometry = nil
		}
	}
	return &t, nil
}

func (f *fakeAccess) AreaIndicatorNames(ctx context.Context) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.err != nil {
		return nil, f.err
	}
	return f.names, nil
}

func (f *fakeAccess) callCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

type fakePoint struct {
	mu       sync.Mutex
	err      error
	lon, lat float64
	calls    int
}

func (f *fakePoint) PointAccess(ctx context.Context, lon, lat float64) (*access.PointReport, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	f.lon, f.lat = lon, lat
	if f.err != nil {
		return nil, f.err
	}
	return &access.PointReport{
		Lon: lon, Lat: lat,
		Nearest: []access.PointNearest{
			{Kind: "district_centre", Km: 12.5, Min: 15, Method: "straight-line"},
		},
		Missing:  []string{"school", "clinic", "hospital"},
		LoadHint: access.LoadHint,
	}, nil
}

func ptr(v float64) *float64 { return &v }
func bptr(v bool) *bool      { return &v }

func testReport() *access.SettlementReport {
	return &access.SettlementReport{
		ID: 42, NameKK: "Қосшы", NameRU: "Косшы", NameEN: "Kosshy", Place: "town",
		Population: 47000, Lon: 71.63, Lat: 51.01, RunID: 3,
		ComputedAt: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC),
		Method:     "straight-line",
		Figures: []access.Figure{
			{Indicator: "district_centre_km", Unit: "km", Value: ptr(0), Method: "straight-line"},
			{Indicator: "oblast_centre_km", Unit: "km", Value: ptr(117.3), Method: "straight-line"},
			{Indicator: "school_km", Unit: "km", Needs: "facilities, roads"},
		},
		SRS:      access.SRSResult{Health: nil, School: nil, Road: bptr(true)},
		Missing:  []string{"school_km"},
		LoadHint: access.LoadHint,
	}
}

// testTable has Cyrillic names, names that need quoting in CSV (comma, quote) and a
// value that could not be computed.
func testTable() *access.AreaTable {
	square := orb.Polygon{{{70, 50}, {72, 50}, {72, 52}, {70, 52}, {70, 50}}}
	return &access.AreaTable{RunID: 3, Rows: []access.AreaRow{
		{ID: 1, Code: "111600000", NameKK: "Қосшы ауданы", NameRU: "Косшы, район", NameEN: `Kosshy "district"`,
			Value: ptr(4.25), Population: 47000, Method: "straight-line", Geometry: square},
		{ID: 2, Code: "113400000", NameKK: "Аршалы ауданы", NameRU: "Аршалынский район", NameEN: "Arshaly",
			Value: nil, Population: 26000, Method: "", Geometry: orb.MultiPolygon{square}},
	}}
}

func newAccessServer(t *testing.T) (http.Handler, *fakeAccess, *fakePoint) {
	t.Helper()
	fa := &fakeAccess{report: testReport(), table: testTable(), names: []string{"district_centre_km_mean", "population_density", "school_km_mean"}}
	fp := &fakePoint{}
	s, _ := newTestServer(t, Options{Tiles: &fakeSource{}, Access: fa, Point: fp, Extent: fakeExtent{kazakhstanBox, true}})
	return s.routes(), fa, fp
}

// kazakhstanBox is about the extent of the real country boundary, as an
// import of it gives; the service area is it widened by a degree.
var kazakhstanBox = orb.Bound{Min: orb.Point{46.5, 40.5}, Max: orb.Point{87.5, 55.5}}

// fakeExtent is the imported country's extent.
type fakeExtent struct {
	b  orb.Bound
	ok bool
}

func (f fakeExtent) CountryExtent(context.Context) (orb.Bound, bool, error) { return f.b, f.ok, nil }

// The service area follows the imported country: another country's extract
// is served where it is, and before any country the whole world is.
func TestPointAccessFollowsTheImportedCountry(t *testing.T) {
	andorra := orb.Bound{Min: orb.Point{1.41, 42.43}, Max: orb.Point{1.79, 42.66}}
	for _, tc := range []struct {
		name   string
		extent fakeExtent
		query  string
		status int
		msg    string
	}{
		{"a point in Andorra, Andorra imported", fakeExtent{andorra, true}, "lon=1.52&lat=42.51", 200, ""},
		{"a point in Kazakhstan, Andorra imported", fakeExtent{andorra, true}, "lon=71.45&lat=51.15", 400, "lon=71.45 out of range: want 0.4..2.8 (the imported country and about 1° around it)"},
		{"no country imported: anywhere", fakeExtent{}, "lon=-70&lat=-33", 200, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := newTestServer(t, Options{Tiles: &fakeSource{}, Point: &fakePoint{}, Extent: tc.extent})
			rec := do(t, s.routes(), "GET", "/api/access?"+tc.query)
			if rec.Code != tc.status {
				t.Fatalf("status %d %q, want %d", rec.Code, rec.Body, tc.status)
			}
			if tc.msg != "" && errorBody(t, rec) != tc.msg {
				t.Errorf("error %q, want %q", errorBody(t, rec), tc.msg)
			}
		})
	}
}

func TestSettlementAccess(t *testing.T) {
	h, fa, _ := newAccessServer(t)
	rec := do(t, h, "GET", "/api/settlements/42/access")
	if rec.Code != 200 {
		t.Fatalf("status %d %q", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q", ct)
	}
	if fa.lastID != 42 {
		t.Errorf("asked for id %d, want 42", fa.lastID)
	}
	var got access.SettlementReport
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.NameKK != "Қосшы" || len(got.Figures) != 3 || got.Figures[1].Method != "straight-line" ||
		*got.Figures[1].Value != 117.3 || got.Figures[2].Value != nil || got.LoadHint == "" {
		t.Errorf("report did not round-trip: %s", rec.Body)
	}
	// Null values and SRS checks stay null rather than 0 / false.
	for _, want := range []string{`"value":null`, `"health_ok":null`, `"road_ok":true`} {
		if !strings.Contains(rec.Body.String(), want) {
			t.Errorf("body lacks %s: %s", want, rec.Body)
		}
	}
}

func TestSettlementAccessBadID(t *testing.T) {
	tests := []struct{ name, id string }{
		{"letters", "abc"},
		{"negative", "-1"},
		{"zero", "0"},
		{"plus sign", "+1"},
		{"decimal", "1.5"},
		{"exponent", "1e3"},
		{"NaN", "NaN"},
		{"Inf", "Inf"},
		{"overflow", "9223372036854775808"},
		{"huge", "123456789012345678901234567890"},
		{"space", "%201"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, fa, _ := newAccessServer(t)
			rec := do(t, h, "GET", "/api/settlements/"+tt.id+"/access")
			if rec.Code != 400 {
				t.Fatalf("status %d %q, want 400", rec.Code, rec.Body)
			}
			if msg := errorBody(t, rec); !strings.HasPrefix(msg, "id=") || !strings.Contains(msg, "positive whole number") {
				t.Errorf("error %q does not name the parameter", msg)
			}
			if n := fa.callCount(); n != 0 {
				t.Errorf("%d source calls for an invalid id", n)
			}
		})
	}
}

func TestPointAccess(t *testing.T) {
	h, _, fp := newAccessServer(t)
	rec := do(t, h, "GET", "/api/access?lon=71.45&lat=51.15")
	if rec.Code != 200 {
		t.Fatalf("status %d %q", rec.Code, rec.Body)
	}
	if fp.lon != 71.45 || fp.lat != 51.15 {
		t.Errorf("asked for %v,%v", fp.lon, fp.lat)
	}
	var got access.PointReport
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Nearest) != 1 || got.Nearest[0].Km != 12.5 || got.Nearest[0].Method != "straight-line" {
		t.Errorf("report %s", rec.Body)
	}
	if rec.Header().Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("no CORS header: %v", rec.Header())
	}
}

func TestPointAccessBadLonLat(t *testing.T) {
	tests := []struct {
		name, query string
		message     string // substring of the error
	}{
		{"missing both", "", "lon is required"},
		{"missing lat", "lon=71", "lat is required"},
		{"empty lon", "lon=&lat=51", "lon is required"},
		{"letters", "lon=abc&lat=51", `lon="abc" is not a number`},
		{"NaN", "lon=NaN&lat=51", `lon="NaN" is not a number`},
		{"Inf lat", "lon=71&lat=Inf", `lat="Inf" is not a number`},
		{"minus infinity", "lon=-Infinity&lat=51", "not a number"},
		{"hex float", "lon=0x1p6&lat=51", "not a number"},
		{"comma decimal", "lon=71,5&lat=51", "not a number"},
		{"overflow", "lon=1e400&lat=51", "not a number"},
		{"lon west of bbox", "lon=45.4&lat=51", "lon=45.4 out of range: want 45.5..88.5"},
		{"lon east of bbox", "lon=120&lat=51", "lon=120 out of range: want 45.5..88.5"},
		{"lat south of bbox", "lon=71&lat=-51", "lat=-51 out of range: want 39.5..56.5"},
		{"lat north of bbox", "lon=71&lat=56.6", "out of range: want 39.5..56.5"},
		{"swapped", "lon=51.15&lat=71.45", "lat=71.45 out of range"},
		{"twice", "lon=71&lon=72&lat=51", "lon is given 2 times"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, _, fp := newAccessServer(t)
			rec := do(t, h, "GET", "/api/access?"+tt.query)
			if rec.Code != 400 {
				t.Fatalf("status %d %q, want 400", rec.Code, rec.Body)
			}
			if msg := errorBody(t, rec); !strings.Contains(msg, tt.message) {
				t.Errorf("error %q, want it to contain %q", msg, tt.message)
			}
			if fp.calls != 0 {
				t.Errorf("PointAccess called for an invalid point")
			}
		})
	}
	// The edges of the box are inside it.
	h, _, _ := newAccessServer(t)
	for _, q := range []string{"lon=45.5&lat=39.5", "lon=88.5&lat=56.5", "lon=%2B71&lat=5.115e1"} {
		if rec := do(t, h, "GET", "/api/access?"+q); rec.Code != 200 {
			t.Errorf("%s: status %d %q", q, rec.Code, rec.Body)
		}
	}
}

func TestAreasJSON(t *testing.T) {
	h, fa, _ := newAccessServer(t)
	for _, target := range []string{
		"/api/areas/district?indicator=school_km_mean",
		"/api/areas/district?indicator=school_km_mean&format=json",
	} {
		rec := do(t, h, "GET", target)
		if rec.Code != 200 {
			t.Fatalf("%s: status %d %q", target, rec.Code, rec.Body)
		}
		if fa.lastArgs != [2]string{"district", "school_km_mean"} || fa.lastGeom {
			t.Errorf("%s: asked %v withGeometry=%v", target, fa.lastArgs, fa.lastGeom)
		}
		var got access.AreaTable
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		if got.Level != "district" || got.Indicator != "school_km_mean" || len(got.Rows) != 2 ||
			got.Rows[0].NameKK != "Қосшы ауданы" || *got.Rows[0].Value != 4.25 || got.Rows[1].Value != nil {
			t.Errorf("%s: table %s", target, rec.Body)
		}
		if strings.Contains(rec.Body.String(), "coordinates") {
			t.Errorf("JSON carries geometry")
		}
	}
}

// getAccepting GETs target, with an Accept header unless accept is empty, and
// wants 200.
func getAccepting(t *testing.T, h http.Handler, target, accept string) *httptest.ResponseRecorder {
	t.Helper()
	var hdr []string
	if accept != "" {
		hdr = []string{"Accept", accept}
	}
	rec := do(t, h, "GET", target, hdr...)
	if rec.Code != 200 {
		t.Fatalf("status %d %q", rec.Code, rec.Body)
	}
	return rec
}

func TestAreasCSV(t *testing.T) {
	tests := []struct {
		name, target, accept string
		bom                  bool
	}{
		{"format param", "/api/areas/district?indicator=school_km_mean&format=csv", "", false},
		{"accept header", "/api/areas/district?indicator=school_km_mean", "text/csv", false},
		{"accept with quality", "/api/areas/district?indicator=school_km_mean", "application/json;q=0.5, text/csv", false},
		{"bom", "/api/areas/district?indicator=school_km_mean&format=csv&bom=1", "", true},
		{"bom off", "/api/areas/district?indicator=school_km_mean&format=csv&bom=0", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, _, _ := newAccessServer(t)
			rec := getAccepting(t, h, tt.target, tt.accept)
			if ct := rec.Header().Get("Content-Type"); ct != "text/csv; charset=utf-8" {
				t.Errorf("Content-Type = %q", ct)
			}
			if cd := rec.Header().Get("Content-Disposition"); cd != `attachment; filename="aimaq-district-school_km_mean.csv"` {
				t.Errorf("Content-Disposition = %q", cd)
			}
			body := rec.Body.Bytes()
			if got := bytes.HasPrefix(body, []byte(utf8BOM)); got != tt.bom {
				t.Fatalf("BOM present = %v, want %v", got, tt.bom)
			}
			records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte(utf8BOM)))).ReadAll()
			if err != nil {
				t.Fatalf("CSV does not parse: %v\n%s", err, body)
			}
			want := [][]string{
				{"id", "code", "name_kk", "name_ru", "name_en", "school_km_mean", "population", "method"},
				{"1", "111600000", "Қосшы ауданы", "Косшы, район", `Kosshy "district"`, "4.25", "47000", "straight-line"},
				{"2", "113400000", "Аршалы ауданы", "Аршалынский район", "Arshaly", "", "26000", ""},
			}
			if len(records) != len(want) {
				t.Fatalf("%d records, want %d: %q", len(records), len(want), records)
			}
			for i := range want {
				if strings.Join(records[i], "|") != strings.Join(want[i], "|") {
					t.Errorf("record %d = %q, want %q", i, records[i], want[i])
				}
			}
		})
	}
}

func TestAreasGeoJSON(t *testing.T) {
	for _, tt := range []struct{ name, target, accept string }{
		{"format param", "/api/areas/oblast?indicator=population_density&format=geojson", ""},
		{"accept header", "/api/areas/oblast?indicator=population_density", "application/geo+json"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h, fa, _ := newAccessServer(t)
			rec := getAccepting(t, h, tt.target, tt.accept)
			if !fa.lastGeom {
				t.Errorf("AreaIndicator not asked for geometry")
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/geo+json" {
				t.Errorf("Content-Type = %q", ct)
			}
			fc, err := geojson.UnmarshalFeatureCollection(rec.Body.Bytes())
			if err != nil {
				t.Fatalf("not GeoJSON: %v\n%s", err, rec.Body)
			}
			if len(fc.Features) != 2 {
				t.Fatalf("%d features", len(fc.Features))
			}
			f := fc.Features[0]
			if _, ok := f.Geometry.(orb.Polygon); !ok {
				t.Errorf("feature 0 geometry %T, want a polygon", f.Geometry)
			}
			if _, ok := fc.Features[1].Geometry.(orb.MultiPolygon); !ok {
				t.Errorf("feature 1 geometry %T, want a multipolygon", fc.Features[1].Geometry)
			}
			if f.ID != float64(1) || f.Properties.MustString("name_kk") != "Қосшы ауданы" ||
				f.Properties.MustFloat64("population_density") != 4.25 || f.Properties.MustString("method") != "straight-line" {
				t.Errorf("feature 0 = %+v", f)
			}
			if v, ok := fc.Features[1].Properties["population_density"]; !ok || v != nil {
				t.Errorf("missing value should be null, got %v (present %v)", v, ok)
			}
			if fc.ExtraMembers["indicator"] != "population_density" || fc.ExtraMembers["level"] != "oblast" {
				t.Errorf("collection members %v", fc.ExtraMembers)
			}
		})
	}
}

func TestAreasBadRequest(t *testing.T) {
	tests := []struct {
		name, target string
		status       int
		message      string
	}{
		{"missing indicator", "/api/areas/district", 400, "indicator is required: want one of district_centre_km_mean, population_density, school_km_mean"},
		{"bad indicator", "/api/areas/district?indicator=School%20km", 404, `indicator "School km" unknown: see /api/indicators`},
		{"unknown level", "/api/areas/village?indicator=school_km_mean", 400, `level "village" unknown: want district, oblast, macroregion, agglomeration or country`},
		{"unknown format", "/api/areas/district?indicator=school_km_mean&format=xlsx", 400, `format="xlsx" unknown`},
		{"bad bom", "/api/areas/district?indicator=school_km_mean&format=csv&bom=maybe", 400, `bom="maybe"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, _, _ := newAccessServer(t)
			rec := do(t, h, "GET", tt.target)
			if rec.Code != tt.status {
				t.Fatalf("status %d %q, want %d", rec.Code, rec.Body, tt.status)
			}
			if msg := errorBody(t, rec); !strings.Contains(msg, tt.message) {
				t.Errorf("error %q, want it to contain %q", msg, tt.message)
			}
		})
	}
	// Before any run there are no names to list: say how to get some.
	fa := &fakeAccess{}
	s, _ := newTestServer(t, Options{Tiles: &fakeSource{}, Access: fa})
	rec := do(t, s.routes(), "GET", "/api/areas/oblast")
	if msg := errorBody(t, rec); rec.Code != 400 || !strings.Contains(msg, "run aimaq compute") {
		t.Errorf("no names: %d %q", rec.Code, msg)
	}
}

func TestSettlementIndicatorsCatalogue(t *testing.T) {
	s, _ := newTestServer(t, Options{Tiles: &fakeSource{}}) // works without sources
	rec := do(t, s.routes(), "GET", "/api/indicators/settlement")
	if rec.Code != 200 {
		t.Fatalf("status %d %q", rec.Code, rec.Body)
	}
	var got struct {
		Indicators []struct {
			Name, Unit, Description string
			Needs                   []string
		}
		LoadHint string `json:"load_hint"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Indicators) != len(indicator.Settlements()) || !strings.Contains(got.LoadHint, "aimaq import osm") {
		t.Fatalf("catalogue %s", rec.Body)
	}
	byName := map[string][]string{}
	for _, in := range got.Indicators {
		if in.Unit == "" || in.Description == "" || in.Needs == nil {
			t.Errorf("incomplete entry %+v", in)
		}
		byName[in.Name] = in.Needs
	}
	if n := strings.Join(byName["school_km"], ","); n != "facilities,roads" {
		t.Errorf("school_km needs %q", n)
	}
	if n := byName["district_centre_km"]; len(n) != 0 {
		t.Errorf("district_centre_km needs %q, want nothing", n)
	}
}

func TestAccessUnavailableAndErrors(t *testing.T) {
	routes := []string{
		"/api/settlements/42/access",
		"/api/access?lon=71.45&lat=51.15",
		"/api/areas/district?indicator=school_km_mean",
		"/api/areas/district?indicator=school_km_mean&format=csv",
	}
	secret := errors.New(`ERROR: relation "settlement_access" does not exist (SQLSTATE 42P01)`)
	tests := []struct {
		name    string
		err     error // nil: no sources at all
		status  int
		message string
	}{
		{"nil sources", nil, 503, "accessibility data not available"},
		{"not computed", errs.E(errs.NotFound, "no compute run has finished yet: run aimaq compute"), 404, "run aimaq compute"},
		{"sql error", secret, 500, "internal error"},
		{"unavailable", errs.Wrap(errs.Unavailable, secret, "database unavailable"), 503, "database unavailable"},
	}
	for _, tt := range tests {
		for _, target := range routes {
			t.Run(tt.name+" "+target, func(t *testing.T) {
				o := Options{Tiles: &fakeSource{}}
				if tt.err != nil {
					o.Access = &fakeAccess{err: tt.err, table: testTable(), names: []string{"school_km_mean"}}
					o.Point = &fakePoint{err: tt.err}
				}
				s, _ := newTestServer(t, o)
				rec := do(t, s.routes(), "GET", target)
				if rec.Code != tt.status {
					t.Fatalf("status %d %q, want %d", rec.Code, rec.Body, tt.status)
				}
				msg := errorBody(t, rec)
				if !strings.Contains(msg, tt.message) || strings.Contains(msg, "SQLSTATE") {
					t.Errorf("error %q, want it to contain %q and no SQL", msg, tt.message)
				}
			})
		}
	}
}

func TestAccessTimeout(t *testing.T) {
	s, _ := newTestServer(t, Options{Tiles: &fakeSource{}, Access: slowAccess{}, QueryTimeout: 20 * time.Millisecond})
	rec := do(t, s.routes(), "GET", "/api/settlements/1/access")
	if rec.Code != 503 {
		t.Errorf("status %d %q, want 503", rec.Code, rec.Body)
	}
}

// slowAccess waits for the request's deadline.
type slowAccess struct{ AccessSource }

func (slowAccess) SettlementAccess(ctx context.Context, id int64) (*access.SettlementReport, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func FuzzParseLonLat(f *testing.F) {
	for _, s := range []string{"71.45", "51.15", "", "abc", "-1", "NaN", "Inf", "-Inf", "1e400", "0x1p6",
		"45.5", "88.5", "39.5", "56.5", "+71", "7_1", "71,5", " 71", "1e1", "٧١"} {
		f.Add(s, "51")
	}
	f.Fuzz(func(t *testing.T, lonS, latS string) {
		q := url.Values{"lon": {lonS}, "lat": {latS}}
		area := orb.Bound{Min: orb.Point{45.5, 39.5}, Max: orb.Point{88.5, 56.5}}
		lon, lat, err := parseLonLat(q, area)
		if err != nil {
			if errs.KindOf(err) != errs.Invalid {
				t.Fatalf("(%q,%q): error kind %v, want invalid", lonS, latS, errs.KindOf(err))
			}
			msg := errs.Message(err)
			if !strings.HasPrefix(msg, "lon") && !strings.HasPrefix(msg, "lat") {
				t.Fatalf("(%q,%q): error %q names no parameter", lonS, latS, msg)
			}
			return
		}
		if math.IsNaN(lon) || math.IsNaN(lat) || !area.Contains(orb.Point{lon, lat}) {
			t.Fatalf("(%q,%q) accepted as %v,%v", lonS, latS, lon, lat)
		}
	})
}

func FuzzParseID(f *testing.F) {
	for _, s := range []string{"1", "42", "0", "-1", "abc", "+1", "1e3", "9223372036854775807", "9223372036854775808", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := parseID("id", s)
		if err != nil {
			if errs.KindOf(err) != errs.Invalid {
				t.Fatalf("%q: kind %v", s, errs.KindOf(err))
			}
			return
		}
		if id <= 0 {
			t.Fatalf("%q accepted as %d", s, id)
		}
	})
}

package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aimaq/aimaq/internal/testenv"
	"github.com/paulmach/orb/geojson"
)

// ogrinfo returns the path of GDAL's ogrinfo: the test skips without it
// locally and fails in CI, where scripts/setup installs gdal-bin.
func ogrinfo(t *testing.T) string {
	t.Helper()
	return testenv.Command(t, "ogrinfo", "gdal-bin")
}

func runOgrinfo(t *testing.T, bin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	// GDAL must not find a proxy or a cached copy between it and the server.
	cmd.Env = append(os.Environ(), "GDAL_HTTP_TIMEOUT=60", "CPL_VSIL_CURL_NON_CACHED=YES", "NO_PROXY=127.0.0.1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// The OGC API – Features of the real data set, read with plain HTTP: each
// collection answers with the number of features the data set has.
func TestE2EOGCFeatures(t *testing.T) {
	s := sharedServer(t)
	for _, tc := range []struct {
		collection string
		matched    int64 // 0: at least one
	}{
		{"oblasts", 20},
		{"districts", 224},
		{"macroregions", 4},
		{"agglomerations", 2},
		{"settlements", 0},
	} {
		t.Run(tc.collection, func(t *testing.T) {
			resp, body := get(t, s.URL+"/ogc/collections/"+tc.collection+"/items?limit=2")
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/geo+json" {
				t.Fatalf("status %d, %s: %.500s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
			}
			var page struct {
				NumberMatched  int64 `json:"numberMatched"`
				NumberReturned int   `json:"numberReturned"`
				Links          []struct{ Href, Rel string }
			}
			if err := json.Unmarshal(body, &page); err != nil {
				t.Fatal(err)
			}
			fc, err := geojson.UnmarshalFeatureCollection(body)
			if err != nil {
				t.Fatal(err)
			}
			if page.NumberReturned != 2 || len(fc.Features) != 2 {
				t.Errorf("numberReturned %d, %d features; want 2", page.NumberReturned, len(fc.Features))
			}
			if tc.matched != 0 && page.NumberMatched != tc.matched || page.NumberMatched < 2 {
				t.Errorf("numberMatched = %d, want %d", page.NumberMatched, tc.matched)
			}
			next := ""
			for _, l := range page.Links {
				if l.Rel == "next" {
					next = l.Href
				}
			}
			switch {
			case page.NumberMatched > 2 && (!strings.HasPrefix(next, s.URL+"/ogc/collections/"+tc.collection+"/items?") || !strings.Contains(next, "offset=2")):
				t.Errorf("next link = %q, want one to offset=2", next)
			case page.NumberMatched <= 2 && next != "":
				t.Errorf("next link %q after the last feature", next)
			}
			f := fc.Features[0]
			resp, body = get(t, fmt.Sprintf("%s/ogc/collections/%s/items/%v", s.URL, tc.collection, f.ID))
			if resp.StatusCode != 200 {
				t.Errorf("feature %v: status %d %.300s", f.ID, resp.StatusCode, body)
			}
		})
	}
	// Settlements carry the latest compute run's figures.
	resp, body := get(t, s.URL+"/ogc/collections/settlements/items/1")
	if resp.StatusCode != 200 {
		t.Fatalf("settlement 1: %d %s", resp.StatusCode, body)
	}
	f, err := geojson.UnmarshalFeature(body)
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := f.Properties["oblast_centre_km"].(float64); !ok || v < 0 {
		t.Errorf("settlement 1 oblast_centre_km = %v, want a distance from the compute run", f.Properties["oblast_centre_km"])
	}
	if _, ok := f.Properties["school_km"]; !ok {
		t.Errorf("settlement 1 has no school_km property (null when not computed): %v", f.Properties)
	}
	// The description of the whole API is served, and names the OGC routes.
	resp, body = get(t, s.URL+"/openapi.json")
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"/ogc/collections/{collectionId}/items"`) {
		t.Errorf("openapi.json: %d %.200s", resp.StatusCode, body)
	}
	if resp, _ := get(t, s.URL+"/ogc/collections/districts/items?bbox=1,2,3"); resp.StatusCode != 400 {
		t.Errorf("bad bbox: status %d, want 400", resp.StatusCode)
	}
}

// GDAL's OAPIF driver is an independent client of the OGC API – Features:
// it finds the collections from the landing page, counts the oblasts by
// paging, and reads districts with their Cyrillic names intact.
func TestE2EGDALReadsOGCFeatures(t *testing.T) {
	bin := ogrinfo(t)
	s := sharedServer(t)
	ds := "OAPIF:" + s.URL + "/ogc"

	out := runOgrinfo(t, bin, "-ro", ds)
	t.Logf("ogrinfo -ro %s:\n%s", ds, out)
	for _, c := range []string{"oblasts", "districts", "macroregions", "agglomerations", "settlements"} {
		if !regexp.MustCompile(`(?m)^\d+: ` + c + `( |$)`).MatchString(out) {
			t.Errorf("ogrinfo does not list collection %s", c)
		}
	}

	out = runOgrinfo(t, bin, "-ro", "-so", ds, "oblasts")
	t.Logf("ogrinfo -ro -so %s oblasts:\n%s", ds, out)
	for _, w := range []string{"Layer name: oblasts", "Feature Count: 20", "Multi Polygon", "name_ru: String", "population: Integer"} {
		if !strings.Contains(out, w) {
			t.Errorf("ogrinfo oblasts summary lacks %q", w)
		}
	}

	// The Tselinograd district, found by our own API, read back by GDAL.
	_, body := get(t, s.URL+"/ogc/collections/districts/items?limit=1000")
	fc, err := geojson.UnmarshalFeatureCollection(body)
	if err != nil {
		t.Fatal(err)
	}
	fid := ""
	for _, f := range fc.Features {
		if f.Properties["code"] == "116600000" {
			fid = fmt.Sprint(f.ID)
		}
	}
	if fid == "" {
		t.Fatalf("no district with KATO 116600000 among %d", len(fc.Features))
	}
	out = runOgrinfo(t, bin, "-ro", "-q", "-geom=SUMMARY", "-fid", fid, ds, "districts")
	t.Logf("ogrinfo -ro -q -geom=SUMMARY -fid %s %s districts:\n%s", fid, ds, out)
	for _, w := range []string{"OGRFeature(districts):" + fid, "code (String) = 116600000", "name_ru (String) = Целиноградский", "name_kk (String) = Целиноград", "MULTIPOLYGON"} {
		if !strings.Contains(out, w) {
			t.Errorf("ogrinfo feature %s lacks %q", fid, w)
		}
	}

	// A spatial filter goes to the server as bbox and comes back paged.
	out = runOgrinfo(t, bin, "-ro", "-so", "-spat", "71.0", "50.9", "71.9", "51.4", ds, "settlements")
	t.Logf("ogrinfo -ro -so -spat 71.0 50.9 71.9 51.4 %s settlements:\n%s", ds, out)
	m := regexp.MustCompile(`Feature Count: (\d+)`).FindStringSubmatch(out)
	if m == nil || m[1] == "0" {
		t.Errorf("no settlements around Astana through GDAL's spatial filter")
	}
}

// GDAL types the settlements' fields from the JSON Schema the collection
// links as describedBy, not from the first page of items: an indicator that
// is null on every feature of that page still comes through as Real. With
// the schema ignored, the same field falls back to String.
func TestE2EOGCSchemaTypesInGDAL(t *testing.T) {
	bin := ogrinfo(t)
	s := sharedServer(t)
	ds := "OAPIF:" + s.URL + "/ogc"

	// The schema, found as GDAL finds it.
	_, body := get(t, s.URL+"/ogc/collections/settlements")
	var coll struct {
		Links []struct{ Href, Rel, Type string }
	}
	if err := json.Unmarshal(body, &coll); err != nil {
		t.Fatal(err)
	}
	href := ""
	for _, l := range coll.Links {
		if l.Rel == "describedBy" && l.Type == "application/schema+json" {
			href = l.Href
		}
	}
	if href == "" {
		t.Fatalf("settlements has no describedBy link to a JSON Schema: %+v", coll.Links)
	}
	resp, body := get(t, href)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/schema+json" {
		t.Fatalf("GET %s = %d %s: %.300s", href, resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	var schema struct {
		Properties struct {
			Properties struct {
				Properties map[string]struct{ Type string }
			}
		}
	}
	if err := json.Unmarshal(body, &schema); err != nil {
		t.Fatal(err)
	}
	props := schema.Properties.Properties.Properties
	if props["school_km"].Type != "number" || props["population"].Type != "integer" {
		t.Fatalf("schema types school_km %q, population %q", props["school_km"].Type, props["population"].Type)
	}

	// The first page GDAL reads (10 features): the numbers null on all of it.
	_, body = get(t, s.URL+"/ogc/collections/settlements/items?limit=10")
	fc, err := geojson.UnmarshalFeatureCollection(body)
	if err != nil {
		t.Fatal(err)
	}
	var allNull []string
	for name, p := range props {
		if p.Type != "number" {
			continue
		}
		null := true
		for _, f := range fc.Features {
			null = null && f.Properties[name] == nil
		}
		if null {
			allNull = append(allNull, name)
		}
	}
	slices.Sort(allNull)
	t.Logf("null on every feature of the first page: %v", allNull)
	if !slices.Contains(allNull, "school_km") {
		t.Errorf("school_km has values on the first page: the test no longer shows the schema at work")
	}

	out := runOgrinfo(t, bin, "-ro", "-so", ds, "settlements")
	t.Logf("ogrinfo -ro -so %s settlements:\n%s", ds, out)
	ogrType := map[string]string{"string": "String", "integer": "Integer", "number": "Real", "boolean": "Integer(Boolean)"}
	for name, p := range props {
		want := name + ": " + ogrType[p.Type] + " "
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(want)).MatchString(out) {
			t.Errorf("ogrinfo settlements lacks %q (schema type %s)", want, p.Type)
		}
	}

	// Without the schema GDAL guesses from the first page.
	out = runOgrinfo(t, bin, "-ro", "-so", "-oo", "IGNORE_SCHEMA=YES", ds, "settlements")
	if !regexp.MustCompile(`(?m)^school_km: String `).MatchString(out) {
		t.Errorf("with IGNORE_SCHEMA=YES school_km is not String: the first page no longer tells the types apart\n%s", out)
	}
}

// mercator is lon/lat in degrees as Web Mercator metres (EPSG:3857).
func mercator(lon, lat float64) (x, y float64) {
	const r = 6378137.0
	return lon * math.Pi / 180 * r, math.Log(math.Tan(math.Pi/4+lat*math.Pi/360)) * r
}

// GDAL reads districts through the OGC API – Tiles. Its OGCAPI driver walks
// from the collection (tilesets-vector link) to the tilesets list, the
// WebMercatorQuad tileset (tiling-scheme and item links) and the tile
// matrix set, without an error on any of our documents. A GDAL whose
// driver then builds vector layers (not Debian's 3.6.2, where that part is
// compiled out: the open ends without a layer and without a message) reads
// the districts around Astana at tile matrix 6. GDAL's MVT driver reads the
// tile at the tileset's item template, where the Tselinograd district is
// with its Cyrillic name.
func TestE2EGDALReadsOGCTiles(t *testing.T) {
	bin := ogrinfo(t)
	s := sharedServer(t)
	ds := "OGCAPI:" + s.URL + "/ogc/collections/districts"

	cmd := exec.Command(bin, "-ro", "-oo", "API=TILES", ds)
	cmd.Env = append(os.Environ(), "CPL_DEBUG=ON", "GDAL_HTTP_TIMEOUT=60", "CPL_VSIL_CURL_NON_CACHED=YES", "NO_PROXY=127.0.0.1")
	raw, err := cmd.CombinedOutput()
	out := string(raw)
	t.Logf("CPL_DEBUG=ON ogrinfo -ro -oo API=TILES %s: %v\n%.4000s", ds, err, out)
	for _, path := range []string{"/ogc/collections/districts/tiles)", "/ogc/collections/districts/tiles/WebMercatorQuad)", "/ogc/tileMatrixSets/WebMercatorQuad)"} {
		if !strings.Contains(out, "HTTP: Fetch("+s.URL+path) {
			t.Errorf("GDAL did not follow the links to %s", strings.TrimSuffix(path, ")"))
		}
	}
	if m := regexp.MustCompile(`(?m)^ERROR .*$`).FindAllString(out, -1); m != nil {
		t.Errorf("GDAL's OGCAPI driver reports errors on our documents: %v", m)
	}
	if err == nil {
		// The driver built a layer per tile matrix: read tile matrix 6 over
		// Astana (the extent in the tile matrix set's CRS, as the driver
		// takes it).
		layers := regexp.MustCompile(`(?m)^\d+: (\S+)`).FindAllStringSubmatch(out, -1)
		layer := ""
		for _, l := range layers {
			if regexp.MustCompile(`(^|\D)6$`).MatchString(l[1]) {
				layer = l[1]
			}
		}
		if layer == "" {
			t.Fatalf("no layer for tile matrix 6 among %v", layers)
		}
		minx, miny := mercator(71.2, 51.0)
		maxx, maxy := mercator(71.6, 51.2)
		got := runOgrinfo(t, bin, "-ro", "-q", "-oo", "API=TILES", "-geom=SUMMARY",
			"-oo", fmt.Sprint("MINX=", minx), "-oo", fmt.Sprint("MINY=", miny), "-oo", fmt.Sprint("MAXX=", maxx), "-oo", fmt.Sprint("MAXY=", maxy),
			"-where", "code = '116600000'", ds, layer)
		if !strings.Contains(got, "name_ru (String) = Целиноградский") {
			t.Errorf("GDAL's OGCAPI read of tile matrix 6 lacks the Tselinograd district:\n%.3000s", got)
		}
	} else {
		t.Logf("GDAL's OGCAPI driver opened no vector layer (a GDAL without vector tile support in that driver): reading the tile with the MVT driver only")
	}

	// The tile at the tileset's item template, read by GDAL's MVT driver.
	_, body := get(t, s.URL+"/ogc/collections/districts/tiles/WebMercatorQuad")
	var tileset struct {
		Links []struct{ Href, Rel, Type string }
	}
	if err := json.Unmarshal(body, &tileset); err != nil {
		t.Fatal(err)
	}
	tmpl := ""
	for _, l := range tileset.Links {
		if l.Rel == "item" && l.Type == "application/vnd.mapbox-vector-tile" {
			tmpl = l.Href
		}
	}
	if tmpl == "" {
		t.Fatalf("the tileset has no MVT item link: %s", body)
	}
	u := strings.NewReplacer("{tileMatrix}", "6", "{tileRow}", "21", "{tileCol}", "44").Replace(tmpl)
	got := runOgrinfo(t, bin, "-ro", "-q", "-oo", "Z=6", "-oo", "X=44", "-oo", "Y=21", "-where", "code = '116600000'", "MVT:/vsicurl/"+u, "districts")
	t.Logf("ogrinfo MVT:/vsicurl/%s districts (Tselinograd):\n%.2000s", u, got)
	for _, w := range []string{"code (String) = 116600000", "name_ru (String) = Целиноградский", "name_kk (String) = Целиноград"} {
		if !strings.Contains(got, w) {
			t.Errorf("GDAL's read of %s lacks %q", u, w)
		}
	}
}

// A composite tile is one MVT with each asked layer, in the order asked:
// GDAL's MVT driver finds both layers in the tile over Astana.
func TestE2EGDALReadsCompositeTile(t *testing.T) {
	bin := ogrinfo(t)
	s := sharedServer(t)
	resp, body := get(t, s.URL+"/tiles/districts,settlements/6/44/21.mvt")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/vnd.mapbox-vector-tile" {
		t.Fatalf("composite tile: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	file := filepath.Join(t.TempDir(), "composite.mvt")
	if err := os.WriteFile(file, body, 0o644); err != nil {
		t.Fatal(err)
	}
	out := runOgrinfo(t, bin, "-ro", "-so", "-al", "-oo", "Z=6", "-oo", "X=44", "-oo", "Y=21", file)
	t.Logf("ogrinfo -ro -so -al %s:\n%.3000s", file, out)
	names := regexp.MustCompile(`(?m)^Layer name: (\S+)`).FindAllStringSubmatch(out, -1)
	if len(names) != 2 || names[0][1] != "districts" || names[1][1] != "settlements" {
		t.Fatalf("layers %v, want districts then settlements", names)
	}
	for _, c := range regexp.MustCompile(`Feature Count: (\d+)`).FindAllStringSubmatch(out, -1) {
		if c[1] == "0" {
			t.Errorf("a layer of the composite tile has no features")
		}
	}
	out = runOgrinfo(t, bin, "-ro", "-q", "-oo", "Z=6", "-oo", "X=44", "-oo", "Y=21", "-where", "name_en = 'Astana'", file, "settlements")
	if !strings.Contains(out, "name_en (String) = Astana") {
		t.Errorf("no Astana among the settlements of the composite tile:\n%.2000s", out)
	}
}

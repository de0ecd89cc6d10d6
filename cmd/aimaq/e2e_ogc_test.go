package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
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

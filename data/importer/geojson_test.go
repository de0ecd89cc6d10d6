package importer

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aimaq/aimaq/internal/errs"
	"github.com/paulmach/orb"
)

// The GeoJSON below is synthetic: hand-written shapes near 60–70°E, 40–50°N.

// collection wraps features (and an optional top-level member such as crs)
// in a FeatureCollection.
func collection(extra string, features ...string) string {
	if extra != "" {
		extra += ","
	}
	return `{"type":"FeatureCollection",` + extra + `"features":[` + strings.Join(features, ",") + `]}`
}

func withGeometry(geom string) string {
	return `{"type":"Feature","properties":{"KATO":"111600000"},"geometry":` + geom + `}`
}

const okSquare = `{"type":"Polygon","coordinates":[[[60,40],[61,40],[61,41],[60,41],[60,40]]]}`

func mustWriteGeoJSON(tb testing.TB, name, content string) string {
	tb.Helper()
	p := filepath.Join(tb.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		tb.Fatal(err)
	}
	return p
}

func TestReadFeaturesRefusesGeometry(t *testing.T) {
	tests := []struct {
		name    string
		content string
		wantErr []string // substrings of the error, besides the file name
	}{
		{"3D point", collection("", withGeometry(`{"type":"Point","coordinates":[71,51,350]}`)),
			[]string{"feature 0", "geometry.coordinates:", "3 numbers", "ogr2ogr -dim XY"}},
		{"4D point", collection("", withGeometry(`{"type":"Point","coordinates":[71,51,0,7]}`)),
			[]string{"feature 0", "geometry.coordinates:", "4 numbers"}},
		{"1D point", collection("", withGeometry(`{"type":"Point","coordinates":[71]}`)),
			[]string{"feature 0", "geometry.coordinates:", "1 number(s)"}},
		{"3D ring position", collection("", withGeometry(okSquare), withGeometry(`{"type":"Polygon","coordinates":[[[60,40,1],[61,40,1],[61,41,1],[60,40,1]]]}`)),
			[]string{"feature 1", "geometry.coordinates[0][0]:", "3 numbers"}},
		{"3D line position", collection("", withGeometry(`{"type":"LineString","coordinates":[[60,40],[61,40,5]]}`)),
			[]string{"feature 0", "geometry.coordinates[1]:", "3 numbers"}},
		{"unclosed ring", collection("", withGeometry(`{"type":"Polygon","coordinates":[[[60,40],[61,40],[61,41],[60,41]]]}`)),
			[]string{"feature 0", "geometry.coordinates[0]:", "ring not closed", "[60 40]", "[60 41]"}},
		{"unclosed hole", collection("", withGeometry(`{"type":"Polygon","coordinates":[[[60,40],[64,40],[64,44],[60,44],[60,40]],[[61,41],[62,41],[62,42],[61,42]]]}`)),
			[]string{"feature 0", "geometry.coordinates[1]:", "ring not closed"}},
		{"ring of 3 positions", collection("", withGeometry(`{"type":"Polygon","coordinates":[[[60,40],[61,40],[60,40]]]}`)),
			[]string{"feature 0", "geometry.coordinates[0]:", "ring of 3 positions", "at least 4"}},
		{"multipolygon unclosed ring", collection("", withGeometry(`{"type":"MultiPolygon","coordinates":[[[[60,40],[61,40],[61,41],[60,40]]],[[[62,40],[63,40],[63,41],[62,41]]]]}`)),
			[]string{"feature 0", "geometry.coordinates[1][0]:", "ring not closed"}},
		{"collection with a short ring", collection("", withGeometry(`{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[60,40]},{"type":"Polygon","coordinates":[[[60,40],[60,40]]]}]}`)),
			[]string{"feature 0", "geometry.geometries[1].coordinates[0]:", "ring of 2 positions"}},
		{"EPSG:2263 crs", collection(`"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::2263"}}`, withGeometry(okSquare)),
			[]string{`crs "urn:ogc:def:crs:EPSG::2263" is not supported`, "ogr2ogr -t_srs EPSG:4326"}},
		{"EPSG:32642 crs", collection(`"crs":{"type":"name","properties":{"name":"EPSG:32642"}}`, withGeometry(okSquare)),
			[]string{`crs "EPSG:32642" is not supported`}},
		{"linked crs", collection(`"crs":{"type":"link","properties":{"href":"http://example.com/crs","type":"proj4"}}`, withGeometry(okSquare)),
			[]string{`crs of type "link"`}},
		{"null crs", collection(`"crs":null`, withGeometry(okSquare)),
			[]string{"crs is null"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustWriteGeoJSON(t, "bad.geojson", tt.content)
			_, _, err := readFeatures(p)
			if err == nil {
				t.Fatal("read succeeded, want an error")
			}
			t.Logf("error: %v", err)
			if errs.KindOf(err) != errs.Invalid {
				t.Errorf("error kind is not invalid input: %v", err)
			}
			for _, w := range append(tt.wantErr, "bad.geojson") {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestReadFeaturesCRS(t *testing.T) {
	// Web Mercator metres of 62°E 47°N, the point the other files give in degrees.
	mercPoint := `{"type":"Point","coordinates":[6901808.429182961,5942074.072431108]}`
	degPoint := `{"type":"Point","coordinates":[62,47]}`
	named := func(name string) string {
		return `"crs":{"type":"name","properties":{"name":"` + name + `"}}`
	}
	tests := []struct {
		name, content string
	}{
		{"no crs", collection("", withGeometry(degPoint))},
		{"OGC CRS84 urn", collection(named("urn:ogc:def:crs:OGC:1.3:CRS84"), withGeometry(degPoint))},
		{"OGC CRS84 urn without version", collection(named("urn:ogc:def:crs:OGC::CRS84"), withGeometry(degPoint))},
		{"OGC CRS84 http", collection(named("http://www.opengis.net/def/crs/OGC/1.3/CRS84"), withGeometry(degPoint))},
		{"EPSG:4326", collection(named("EPSG:4326"), withGeometry(degPoint))},
		{"EPSG:4326 urn", collection(named("urn:ogc:def:crs:EPSG::4326"), withGeometry(degPoint))},
		{"EPSG:4326 http", collection(named("http://www.opengis.net/def/crs/EPSG/0/4326"), withGeometry(degPoint))},
		{"EPSG:3857", collection(named("EPSG:3857"), withGeometry(mercPoint))},
		{"EPSG:3857 urn", collection(named("urn:ogc:def:crs:EPSG::3857"), withGeometry(mercPoint))},
		{"EPSG:900913", collection(named("EPSG:900913"), withGeometry(mercPoint))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			feats, _, err := readFeatures(mustWriteGeoJSON(t, "in.geojson", tt.content))
			if err != nil {
				t.Fatal(err)
			}
			pt, ok := feats[0].geom.(orb.Point)
			if !ok {
				t.Fatalf("geometry %T, want orb.Point", feats[0].geom)
			}
			if math.Abs(pt[0]-62) > 1e-9 || math.Abs(pt[1]-47) > 1e-9 {
				t.Errorf("point %v, want [62 47]", pt)
			}
		})
	}
}

func TestReadFeaturesMercatorPolygon(t *testing.T) {
	// A ring in Web Mercator metres comes back in degrees, still closed.
	content := collection(`"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::3857"}}`,
		withGeometry(`{"type":"Polygon","coordinates":[[[6679169.447596414,4865942.279503176],[6790488.938389688,4865942.279503176],[6790488.938389688,5012341.663847514],[6679169.447596414,5012341.663847514],[6679169.447596414,4865942.279503176]]]}`))
	feats, _, err := readFeatures(mustWriteGeoJSON(t, "merc.geojson", content))
	if err != nil {
		t.Fatal(err)
	}
	poly := feats[0].geom.(orb.Polygon)
	b := poly.Bound()
	want := orb.Bound{Min: orb.Point{60, 40}, Max: orb.Point{61, 41}}
	for i, got := range []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]} {
		w := []float64{want.Min[0], want.Min[1], want.Max[0], want.Max[1]}[i]
		if math.Abs(got-w) > 1e-6 {
			t.Errorf("bound %v, want %v", b, want)
			break
		}
	}
	if r := poly[0]; r[0] != r[len(r)-1] {
		t.Errorf("ring no longer closed after the transform: %v", r)
	}
}

func TestReadPopulation(t *testing.T) {
	tests := []struct {
		in      string
		want    int
		wantErr error
	}{
		{"1234", 1234, nil},
		{"1 234", 1234, nil},
		{"~1200", 1200, nil},
		{"1200 (2009)", 1200, nil},
		{"30000000", 30_000_000, nil},
		{"abc", 0, errPopulationNaN},
		{"", 0, errPopulationNaN},
		{"-", 0, errPopulationNaN},
		{"-5", 0, errPopulationNegative},
		{"−5", 0, errPopulationNegative}, // U+2212 minus sign
		{"-99999999999999999999", 0, errPopulationNegative},
		{"0", 0, errPopulationZero},
		{"30000001", 0, errPopulationTooLarge},
		{"99999999999", 0, errPopulationTooLarge},
		{"1000000000000000019884624838656", 0, errPopulationTooLarge}, // 1e30 as str() writes a JSON number
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := readPopulation(tt.in)
			if got != tt.want || !errors.Is(err, tt.wantErr) {
				t.Errorf("readPopulation(%q) = %d, %v; want %d, %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

package importer

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/aimaq/aimaq/internal/errs"
	"github.com/paulmach/orb"
)

// Imported files are user input: the parsers must answer every byte string
// with features or an input error, never a panic or another kind of error.

func FuzzReadFeatures(f *testing.F) {
	for _, seed := range []string{
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"KATO":"111600000"},"geometry":{"type":"Point","coordinates":[71,51]}}]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":null,"geometry":null}]}`,
		`{"type":"FeatureCollection","features":[`,
		`{"type":"Feature"}`,
		"\xef\xbb\xbf{}",
		`[]`,
		// Non-facts that must come back as input errors (synthetic).
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[71,51,0,7]}}]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[71]}}]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[60,40],[61,40],[61,41],[60,41]]]}}]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[60,40],[61,40],[60,40]]]}}]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"GeometryCollection","geometries":[{"type":"MultiPolygon","coordinates":[[[[60,40],[60,40]]]]}]}}]}`,
		`{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::3857"}},"features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[6901808.43,5942074.07]}}]}`,
		`{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"features":[]}`,
		`{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:32642"}},"features":[]}`,
		`{"type":"FeatureCollection","crs":{"type":"link","properties":{"href":"x"}},"features":[]}`,
		`{"type":"FeatureCollection","crs":null,"features":[]}`,
		`{"type":"FeatureCollection","crs":7,"features":[]}`,
	} {
		f.Add([]byte(seed))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(dir, "in.geojson")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		feats, _, err := readFeatures(p)
		if err != nil {
			if errs.KindOf(err) != errs.Invalid {
				t.Fatalf("error of the wrong kind for %q: %v", b, err)
			}
			return
		}
		for _, ft := range feats {
			if ft.geom == nil {
				t.Fatalf("feature %d without geometry accepted", ft.index)
			}
			if r, ok := badRing(ft.geom); ok {
				t.Fatalf("feature %d: ring %v accepted: fewer than 4 positions or not closed", ft.index, r)
			}
		}
	})
}

// badRing returns a polygon ring of g that cannot be a fact.
func badRing(g orb.Geometry) (orb.Ring, bool) {
	switch g := g.(type) {
	case orb.Polygon:
		for _, r := range g {
			if len(r) < 4 || !r.Closed() {
				return r, true
			}
		}
	case orb.MultiPolygon:
		for _, p := range g {
			if r, bad := badRing(p); bad {
				return r, true
			}
		}
	case orb.Collection:
		for _, m := range g {
			if r, bad := badRing(m); bad {
				return r, true
			}
		}
	}
	return nil, false
}

func FuzzParsePopulation(f *testing.F) {
	for _, s := range []string{"1234", "1 234", "1,234", "~1200", "1200 (2009)", "", "abc", "-5", "99999999999999999999",
		"−5", "0", "30000000", "30000001", "1000000000000000019884624838656", "-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := readPopulation(s)
		if ok := err == nil; ok && (n <= 0 || n > MaxPopulation) {
			t.Fatalf("readPopulation(%q) = %d, nil: a population must be in 1..%d", s, n, MaxPopulation)
		}
		if err != nil && n != 0 {
			t.Fatalf("readPopulation(%q) = %d, %v: a refused population must come back as 0", s, n, err)
		}
		if p, ok := ParsePopulation(s); ok != (err == nil) || p != n {
			t.Fatalf("ParsePopulation(%q) = %d, %v; readPopulation says %d, %v", s, p, ok, n, err)
		}
	})
}

func FuzzParseMaxspeed(f *testing.F) {
	for _, s := range []string{"60", "60 mph", "RU:rural", "KZ:urban", "none", "60;90", "RU:zone30", "10 knots", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if v, ok := ParseMaxspeed(s); ok && !(v > 0 && v < 1e6) {
			t.Fatalf("ParseMaxspeed(%q) = %v, true: want a positive finite speed", s, v)
		}
	})
}

package importer

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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

// wholeDecode is how the top level of a FeatureCollection reads when the
// whole file is decoded at once with encoding/json: the reference the
// streaming walk must agree with.
type wholeDecode struct {
	Type     string            `json:"type"`
	CRS      json.RawMessage   `json:"crs"`
	Features []json.RawMessage `json:"features"`
}

// walkAll walks b as the prescan does and collects what it finds.
func walkAll(b []byte) (typ, crs json.RawMessage, feats [][]byte, err error) {
	err = walkCollection(newJSONScanner(bytes.NewReader(b)), collectionVisitor{
		check: true,
		member: func(key string, raw []byte, _ int64) error {
			switch strings.ToLower(key) {
			case "type":
				typ = bytes.Clone(raw)
			case "crs":
				crs = bytes.Clone(raw)
			}
			return nil
		},
		feature: func(_ int, raw []byte, _ int64) error {
			feats = append(feats, bytes.Clone(raw))
			return nil
		},
	})
	return typ, crs, feats, err
}

// FuzzWalkCollection checks the streaming walk against encoding/json reading
// the whole document: the same features, type and crs for a FeatureCollection,
// and for text that is not JSON a syntax error at the same byte.
func FuzzWalkCollection(f *testing.F) {
	for _, seed := range []string{
		collection("", withGeometry(okSquare)),
		collection(`"crs":{"type":"name","properties":{"name":"EPSG:3857"}}`, withGeometry(okSquare), withGeometry(`{"type":"Point","coordinates":[1,2]}`)),
		`{"features":[{"type":"Feature","geometry":null,"properties":{"a":"]}\"{["}}],"type":"FeatureCollection","crs":null}`,
		`{"type":"FeatureCollection","features":null}`,
		`{"type":"FeatureCollection","features":{}}`,
		`{"type":"FeatureCollection","features":[1,true,null,"x",-2.5e3]}`,
		`{"type":"FeatureCollection","features":[{,]}`,
		`{"type":"FeatureCollection","features":[tru]}`,
		`{"type":"FeatureCollection","features":[{"a":[1}]}`,
		`{"type":"FeatureCollection","features":[{"a":"\u00e9\\\""}],}`,
		`{"type":"FeatureCollection","features":[]} x`,
		`{"type":"FeatureCollection" "features":[]}`,
		`{"type":"FeatureCollection","features":[],"type":"x"}`,
		`{"Type":"FeatureCollection","FEATURES":[{}]}`,
		"{\n\"type\": \"FeatureCollection\",\n\"features\": [\n{\"a\": 1},\n{\"b\": 2\n",
		`{"type":"FeatureCollection","bbox":[0,0,1,1],"name":"x","features":[{}]}`,
		`[]`, `null`, `"x"`, ``, "\xef\xbb\xbf{}", `{"a":01}`, `{"a":1.}`, `{"a":"` + "\x01" + `"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		typ, crs, feats, err := walkAll(b)
		var whole wholeDecode
		werr := json.Unmarshal(b, &whole)
		var je *jsonError
		if err != nil && !errors.As(err, &je) {
			t.Fatalf("walk error %v is not a *jsonError", err)
		}
		if !json.Valid(b) {
			if err == nil {
				t.Fatalf("walk accepted text that is not JSON: %q", b)
			}
			var se *json.SyntaxError
			if je.syntax && errors.As(werr, &se) {
				want := se.Offset
				if se.Error() == errJSONEnd {
					want = int64(len(b))
				}
				if je.off != want {
					t.Fatalf("walk: %v; encoding/json: %v at byte %d, of %q", err, werr, se.Offset, b)
				}
			}
			return
		}
		var gotType string
		if len(typ) > 0 && json.Unmarshal(typ, &gotType) != nil {
			gotType = "(not a string)"
		}
		oldOK := werr == nil && whole.Type == "FeatureCollection"
		newOK := err == nil && gotType == "FeatureCollection"
		switch {
		case newOK && !oldOK:
			t.Fatalf("walk accepted %q; encoding/json: %v, type %q", b, werr, whole.Type)
		case oldOK && !newOK:
			if err == nil || je.syntax || !strings.Contains(je.msg, "given twice") {
				t.Fatalf("walk refused %q that encoding/json reads: %v, type %q", b, err, gotType)
			}
			return
		case !oldOK:
			return
		}
		if !bytes.Equal(crs, whole.CRS) || len(feats) != len(whole.Features) {
			t.Fatalf("walk: crs %s, %d features; encoding/json: %s, %d", crs, len(feats), whole.CRS, len(whole.Features))
		}
		for i := range feats {
			if !bytes.Equal(feats[i], whole.Features[i]) {
				t.Fatalf("feature %d: walk %q, encoding/json %q", i, feats[i], whole.Features[i])
			}
		}
	})
}

func TestStreamMemberOrder(t *testing.T) {
	mercPoint := withGeometry(`{"type":"Point","coordinates":[6901808.429182961,5942074.072431108]}`)
	tests := []struct {
		name, content string
		wantErr       string // "" for a file read as 62°E 47°N
	}{
		{"crs after the features", `{"type":"FeatureCollection","features":[` + mercPoint + `],"crs":{"type":"name","properties":{"name":"EPSG:3857"}}}`, ""},
		{"type last", `{"crs":{"type":"name","properties":{"name":"EPSG:3857"}},"features":[` + mercPoint + `],"type":"FeatureCollection"}`, ""},
		{"refused crs after the features", `{"type":"FeatureCollection","features":[` + mercPoint + `],"crs":{"type":"name","properties":{"name":"EPSG:32642"}}}`, `crs "EPSG:32642" is not supported`},
		{"features twice", `{"type":"FeatureCollection","features":[` + mercPoint + `],"features":[]}`, `line 1, column 175: member "features" given twice`},
		{"crs twice", `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:3857"}},"CRS":null,"features":[]}`, `member "CRS" given twice`},
		{"features not an array", "{\"type\":\"FeatureCollection\",\n\"features\":{}}", "line 2, column 12: features is a JSON object: want an array of features"},
		{"top-level array", `[]`, "the top level is a JSON array"},
		{"bad literal in a feature", "{\"type\":\"FeatureCollection\",\"features\":[\n" + `{"type":"Feature","properties":{"a":tru},"geometry":null}]}`, "malformed JSON at line 2, column 40: invalid character '}' in literal true"},
		{"syntax error after a bad feature", collection("", withGeometry(`{"type":"Point","coordinates":[1,2,3]}`)) + ",", "malformed JSON at line 1, column"},
		{"cut inside a number", `{"type":"FeatureCollection","features":[],"name":12`, "truncated JSON: the file ends at line 1"},
		{"empty file", ``, "truncated JSON: the file ends at line 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			feats, _, err := readFeatures(mustWriteGeoJSON(t, "in.geojson", tt.content))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || errs.KindOf(err) != errs.Invalid {
					t.Fatalf("error %v, want an input error with %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			pt := feats[0].geom.(orb.Point)
			if math.Abs(pt[0]-62) > 1e-9 || math.Abs(pt[1]-47) > 1e-9 {
				t.Errorf("point %v, want [62 47]", pt)
			}
		})
	}
}

// The scanner's buffer is smaller than a feature: values span refills.
func TestStreamLargeFeatureAndHash(t *testing.T) {
	var ring strings.Builder
	ring.WriteString(`{"type":"Polygon","coordinates":[[`)
	const n = 40000 // about 1 MB of positions, four scanner buffers
	for i := range n {
		fmt.Fprintf(&ring, "[%.6f,40],", 60+float64(i)/n)
	}
	ring.WriteString(`[61,41],[60,40]]]}`)
	content := collection("", withGeometry(okSquare), `{"type":"Feature","properties":{"s":"a \" ] } [ { \\"},"geometry":`+ring.String()+`}`, withGeometry(okSquare))
	p := mustWriteGeoJSON(t, "big.geojson", content)
	fs, err := streamFeatures(p)
	if err != nil {
		t.Fatal(err)
	}
	defer fs.Close()
	var got []feature
	for {
		f, err := fs.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, f)
	}
	if len(got) != 3 || len(got[1].geom.(orb.Polygon)[0]) != n+2 || got[1].props["s"] != `a " ] } [ { \` {
		t.Fatalf("%d features; the large one has %d positions and s %q", len(got), len(got[1].geom.(orb.Polygon)[0]), got[1].props["s"])
	}
	sum := sha256.Sum256([]byte(content))
	if fs.SHA256() != hex.EncodeToString(sum[:]) {
		t.Errorf("sha256 %s, want %x", fs.SHA256(), sum)
	}
}

// BenchmarkFeatureStream reads a SYNTHETIC file of 50,000 point features
// (about 16 MB) through both passes, as the settlements import does.
//
//	go test -run '^$' -bench BenchmarkFeatureStream -benchtime 3x ./data/importer/
func BenchmarkFeatureStream(b *testing.B) {
	var sb strings.Builder
	const n = 50000
	feats := make([]string, n)
	for i := range feats {
		feats[i] = fmt.Sprintf(`{ "type": "Feature", "properties": { "name": "Synthetic %d", "name:en": null, "place": "village", "population": null, "is_in": null, "source": null, "name:kk": null, "name:ru": "Синтетический %d", "osm_id": %d, "osm_type": "nodes" }, "geometry": { "type": "Point", "coordinates": [ %.7f, %.7f ] } }`,
			i, i, 100000000+i, 60+float64(i)/n, 45.0)
	}
	sb.WriteString(collection("", feats...))
	p := mustWriteGeoJSON(b, "places.geojson", sb.String())
	b.SetBytes(int64(sb.Len()))
	b.ReportAllocs()
	for b.Loop() {
		fs, err := streamFeatures(p)
		if err != nil {
			b.Fatal(err)
		}
		k := 0
		for {
			_, err := fs.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			k++
		}
		fs.Close()
		if k != n {
			b.Fatalf("%d features, want %d", k, n)
		}
	}
}

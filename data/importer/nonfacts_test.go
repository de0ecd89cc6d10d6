package importer_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/aimaq/aimaq/internal/errs"
)

// Input that cannot be a fact is refused before any SQL, with an input error
// naming the file, the feature and the field, and the data stays as it was.
// The files are synthetic, on the fixture's 60–70°E, 40–50°N square.
func TestImportRefusesNonFacts(t *testing.T) {
	s, im, _ := importedFixture(t)
	ctx := context.Background()
	before := snapshot(t, s)
	dir := t.TempDir()

	good := area(square(60, 40, 65, 45), `"KATO":"111600000","ADM2_EN":"A"`)
	place := func(id, geom string) string {
		return `{"type":"Feature","properties":{"osm_id":` + id + `,"place":"village","name":"Synthetic"},"geometry":` + geom + `}`
	}
	tests := []struct {
		name    string
		file    string
		content string
		run     func(file string) error
		wantErr []string
	}{
		{"district with an unclosed ring", "unclosed.geojson",
			fc(good, area(`{"type":"Polygon","coordinates":[[[60,45],[65,45],[65,50],[60,50]]]}`, `"KATO":"113200000","ADM2_EN":"B"`)),
			func(p string) error { _, err := im.Boundaries(ctx, p, "district"); return err },
			[]string{"feature 1", "geometry.coordinates[0]", "ring not closed"}},
		{"district with a ring of 3 positions", "short.geojson",
			fc(area(`{"type":"MultiPolygon","coordinates":[[[[60,45],[65,45],[60,45]]]]}`, `"KATO":"113200000"`)),
			func(p string) error { _, err := im.Boundaries(ctx, p, "district"); return err },
			[]string{"feature 0", "geometry.coordinates[0][0]", "ring of 3 positions"}},
		{"oblast with 4D positions", "zm.geojson",
			fc(area(`{"type":"Polygon","coordinates":[[[60,40,0,1],[65,40,0,1],[65,50,0,1],[60,50,0,1],[60,40,0,1]]]}`, `"KATO":"110000000"`)),
			func(p string) error { _, err := im.Boundaries(ctx, p, "oblast"); return err },
			[]string{"feature 0", "geometry.coordinates[0][0]", "4 numbers"}},
		{"settlement with a 3D point", "places3d.geojson",
			fc(place("1", `{"type":"Point","coordinates":[62,42]}`), place("2", `{"type":"Point","coordinates":[62,47,350]}`)),
			func(p string) error { _, err := im.Settlements(ctx, p); return err },
			[]string{"feature 1", "geometry.coordinates", "3 numbers"}},
		{"centres in UTM", "utm.geojson",
			`{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32642"}},"features":[` +
				`{"type":"Feature","properties":{"ISO_3166_2":"KZ-AKM","TYPE_CNT1":3},"geometry":{"type":"Point","coordinates":[500000,4700000]}}]}`,
			func(p string) error { _, err := im.Centres(ctx, p); return err },
			[]string{`crs "urn:ogc:def:crs:EPSG::32642" is not supported`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.run(writeFile(t, dir, tt.file, tt.content))
			if err == nil {
				t.Fatal("import succeeded, want an error")
			}
			t.Logf("error: %v", err)
			if errs.KindOf(err) != errs.Invalid {
				t.Errorf("error kind is not invalid input (exit 65): %v", err)
			}
			for _, w := range append(tt.wantErr, tt.file) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if after := snapshot(t, s); after != before {
				t.Errorf("failed import changed the data:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}

// A file in Web Mercator that says so is read in degrees.
func TestImportCentresMercator(t *testing.T) {
	s, im, _ := importedFixture(t)
	// 62°E 47°N in EPSG:3857 metres; synthetic.
	p := writeFile(t, t.TempDir(), "centres_3857.geojson",
		`{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::3857"}},"features":[`+
			`{"type":"Feature","properties":{"ISO_3166_2":"KZ-AKM","TYPE_CNT1":3,"NAME_EN":"Synthetic centre"},"geometry":{"type":"Point","coordinates":[6901808.429182961,5942074.072431108]}}]}`)
	if _, err := im.Centres(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	var lon, lat float64
	if err := queryRow(s, `SELECT ST_X(centre), ST_Y(centre) FROM area WHERE level = 'oblast' AND iso = 'KZ-AKM'`).Scan(&lon, &lat); err != nil {
		t.Fatal(err)
	}
	if math.Abs(lon-62) > 1e-9 || math.Abs(lat-47) > 1e-9 {
		t.Errorf("centre at %v, %v; want 62, 47", lon, lat)
	}
}

// A population that cannot be a fact is left out, counted in the warnings
// with the reason, and estimated like a missing one.
func TestImportSettlementsBadPopulation(t *testing.T) {
	s, im, _ := importedFixture(t)
	places := fc(
		`{"type":"Feature","properties":{"osm_id":1,"osm_type":"nodes","place":"town","name":"Synthetic A","population":"3000"},"geometry":{"type":"Point","coordinates":[62,42]}}`,
		`{"type":"Feature","properties":{"osm_id":2,"osm_type":"nodes","place":"village","name":"Synthetic B","population":-5},"geometry":{"type":"Point","coordinates":[62,47]}}`,
		`{"type":"Feature","properties":{"osm_id":3,"osm_type":"nodes","place":"village","name":"Synthetic C","population":1e30},"geometry":{"type":"Point","coordinates":[67,45]}}`,
		`{"type":"Feature","properties":{"osm_id":4,"osm_type":"nodes","place":"village","name":"Synthetic D","population":"40000000"},"geometry":{"type":"Point","coordinates":[63,43]}}`,
		`{"type":"Feature","properties":{"osm_id":5,"osm_type":"nodes","place":"village","name":"Synthetic E","population":"many"},"geometry":{"type":"Point","coordinates":[64,44]}}`,
		`{"type":"Feature","properties":{"osm_id":6,"osm_type":"nodes","place":"village","name":"Synthetic F","population":"800"},"geometry":{"type":"Point","coordinates":[61,41]}}`)
	rep, err := im.Settlements(context.Background(), writeFile(t, t.TempDir(), "places.geojson", places))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`feature 1 (node/2): population "-5" is negative; estimated instead`,
		`feature 2 (node/3): population "1000000000000000019884624838656" is too large`,
		`feature 3 (node/4): population "40000000" is too large: above 30000000`,
		`feature 4 (node/5): population "many" is not a number; estimated instead`,
	}
	populationWarnings := 0
	for _, w := range rep.Warnings {
		if strings.Contains(w, "population") {
			populationWarnings++
		}
	}
	if populationWarnings != len(want) {
		t.Errorf("warnings %q, want %d about populations", rep.Warnings, len(want))
	}
	for _, w := range want {
		found := false
		for _, got := range rep.Warnings {
			found = found || strings.Contains(got, w)
		}
		if !found {
			t.Errorf("no warning %q in %q", w, rep.Warnings)
		}
	}
	if got := count(t, s, `SELECT count(*) FROM settlement WHERE population_estimated AND source_id IN ('node/2','node/3','node/4','node/5')`); got != 4 {
		t.Errorf("%d of the 4 places with a bad population are estimated, want 4", got)
	}
	if got := count(t, s, `SELECT count(*) FROM settlement WHERE population > 30000000`); got != 0 {
		t.Errorf("%d settlements above 30 million", got)
	}
}

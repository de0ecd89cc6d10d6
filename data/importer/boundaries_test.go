package importer_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aimaq/aimaq/data/importer"
	"github.com/aimaq/aimaq/data/postgis/postgistest"
	"github.com/aimaq/aimaq/internal/errs"
)

// A SYNTHETIC country elsewhere, with no KATO anywhere: "Synthetic Land"
// (code XL) at 10–20°E, 40–50°N, two regions by ISO 3166-2 code, and three
// districts with codes of their own. District D2 straddles the regions: 3°
// of its 4° lie in the east, so its parent is East.
func anyCountryFixture(tb testing.TB) (country, regions, districts string) {
	dir := tb.TempDir()
	country = writeFile(tb, dir, "country.geojson", fc(area(square(10, 40, 20, 50), `"code":"XL","name":"Synthetic Land"`)))
	regions = writeFile(tb, dir, "regions.geojson", fc(
		area(square(10, 40, 15, 50), `"ISO3166-2":"XL-W","name":"Synthetic West","name_ru":"Синтетический Запад"`),
		area(square(15, 40, 20, 50), `"ISO3166-2":"XL-E","name":"Synthetic East"`)))
	districts = writeFile(tb, dir, "districts.geojson", fc(
		area(square(10, 40, 15, 45), `"code":"D1","name":"Synthetic D1","region":"XL-W"`),
		area(square(14, 45, 18, 50), `"code":"D2","name":"Synthetic D2","region":"XL-E"`),
		area(square(18, 40, 20, 45), `"code":"D3","name":"Synthetic D3","region":"XL-E"`)))
	return country, regions, districts
}

func TestImportBoundariesWithoutKATO(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		opts importer.BoundaryOptions // for the districts
	}{
		{"parent by overlap", importer.BoundaryOptions{Level: "district"}},
		{"parent by field", importer.BoundaryOptions{Level: "district", CodeField: "code", ParentField: "region"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := postgistest.New(t)
			im := importer.New(s, nil)
			country, regions, districts := anyCountryFixture(t)
			if _, err := im.Boundaries(ctx, country, "country"); err != nil {
				t.Fatal(err)
			}
			if _, err := im.Boundaries(ctx, regions, "oblast"); err != nil {
				t.Fatal(err)
			}
			if _, err := im.BoundariesWith(ctx, districts, tt.opts); err != nil {
				t.Fatal(err)
			}
			var parents string
			if err := queryRow(s, `SELECT string_agg(a.code || '>' || coalesce(p.code, '-'), ' ' ORDER BY a.level, a.code) FROM area a LEFT JOIN area p ON p.id = a.parent_id WHERE a.level IN ('country', 'oblast', 'district')`).Scan(&parents); err != nil {
				t.Fatal(err)
			}
			if want := "XL>- D1>XL-W D2>XL-E D3>XL-E XL-E>XL XL-W>XL"; parents != want {
				t.Errorf("parents = %s, want %s", parents, want)
			}
			var en, ru string
			if err := queryRow(s, `SELECT name_en, coalesce(name_ru, '') FROM area WHERE code = 'XL-W'`).Scan(&en, &ru); err != nil {
				t.Fatal(err)
			}
			if en != "Synthetic West" || ru != "Синтетический Запад" {
				t.Errorf("XL-W names = %q, %q; want the English one from name, the Russian from name_ru", en, ru)
			}
		})
	}
}

func TestImportBoundariesWithoutKATOBadInput(t *testing.T) {
	ctx := context.Background()
	s := postgistest.New(t)
	im := importer.New(s, nil)
	country, regions, _ := anyCountryFixture(t)
	for _, p := range []struct{ file, level string }{{country, "country"}, {regions, "oblast"}} {
		if _, err := im.Boundaries(ctx, p.file, p.level); err != nil {
			t.Fatal(err)
		}
	}
	before := snapshot(t, s)
	dir := t.TempDir()
	tests := []struct {
		name    string
		content string
		opts    importer.BoundaryOptions
		wantErr []string
	}{
		{"no code at all", fc(area(square(10, 40, 12, 42), `"name":"Synthetic nameless code"`)),
			importer.BoundaryOptions{Level: "district"},
			[]string{"feature 0", "Synthetic nameless code", "missing KATO", "--code-field"}},
		{"code missing in a later feature", fc(area(square(10, 40, 12, 42), `"code":"D1","name":"A"`), area(square(12, 40, 14, 42), `"name":"Synthetic B"`)),
			importer.BoundaryOptions{Level: "district"},
			[]string{"feature 1", "Synthetic B", `field "code"`, "missing"}},
		{"code field named but absent", fc(area(square(10, 40, 12, 42), `"code":"D1","name":"Synthetic A"`)),
			importer.BoundaryOptions{Level: "district", CodeField: "shapeID"},
			[]string{"feature 0", `field "shapeID"`, "missing"}},
		{"duplicate code", fc(area(square(10, 40, 12, 42), `"code":"D1"`), area(square(12, 40, 14, 42), `"code":"D1"`)),
			importer.BoundaryOptions{Level: "district"},
			[]string{"feature 1", "code D1 already used by feature 0"}},
		{"district in no region", fc(area(square(30, 40, 32, 42), `"code":"D9","name":"Synthetic far away"`)),
			importer.BoundaryOptions{Level: "district"},
			[]string{"feature 0", "Synthetic far away", "D9", "lies in no imported oblast", "--parent-field"}},
		{"parent field names an unknown region", fc(area(square(10, 40, 12, 42), `"code":"D1","name":"Synthetic A","region":"XL-N"`)),
			importer.BoundaryOptions{Level: "district", ParentField: "region"},
			[]string{"feature 0", `field "region"`, `no oblast with code "XL-N"`}},
		{"parent field missing", fc(area(square(10, 40, 12, 42), `"code":"D1","name":"Synthetic A"`)),
			importer.BoundaryOptions{Level: "district", ParentField: "region"},
			[]string{"feature 0", `field "region"`, "missing"}},
		{"KATO keeps its rule", fc(area(square(10, 40, 12, 42), `"KATO":"12345","name":"Synthetic A"`)),
			importer.BoundaryOptions{Level: "district"},
			[]string{"feature 0", `KATO "12345": want 9 digits`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, dir, "districts.geojson", tt.content)
			_, err := im.BoundariesWith(ctx, p, tt.opts)
			if err == nil {
				t.Fatal("import succeeded, want an error")
			}
			if errs.KindOf(err) != errs.Invalid {
				t.Errorf("error kind is not invalid input: %v", err)
			}
			for _, w := range append([]string{"districts.geojson"}, tt.wantErr...) {
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

// A country with no first-level units at all: its places are imported, with
// no district or oblast, and nothing refuses them.
func TestImportCountryWithoutRegions(t *testing.T) {
	ctx := context.Background()
	s := postgistest.New(t)
	im := importer.New(s, nil)
	country, _, _ := anyCountryFixture(t)
	if _, err := im.Boundaries(ctx, country, "country"); err != nil {
		t.Fatal(err)
	}
	places := writeFile(t, t.TempDir(), "places.geojson", fc(
		`{"type":"Feature","properties":{"osm_id":1,"osm_type":"nodes","place":"town","name":"Synthetic town","population":"4000"},"geometry":{"type":"Point","coordinates":[12,42]}}`,
		`{"type":"Feature","properties":{"osm_id":2,"osm_type":"nodes","place":"village","name":"Synthetic village"},"geometry":{"type":"Point","coordinates":[18,48]}}`,
		`{"type":"Feature","properties":{"osm_id":3,"osm_type":"nodes","place":"village","name":"Synthetic abroad"},"geometry":{"type":"Point","coordinates":[25,45]}}`))
	rep, err := im.Settlements(ctx, places)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Clipped != 1 {
		t.Errorf("clipped = %d, want 1 (the place abroad)", rep.Clipped)
	}
	if n := count(t, s, `SELECT count(*) FROM settlement WHERE district_id IS NULL AND oblast_id IS NULL`); n != 2 {
		t.Errorf("settlements without district and oblast = %d, want 2", n)
	}
}

// A unit made from an extract's bounding box is imported, with a warning that
// it is no border.
func TestImportBoundariesFromExtractBounds(t *testing.T) {
	s := postgistest.New(t)
	im := importer.New(s, nil)
	p := writeFile(t, t.TempDir(), "bounds.geojson", fc(area(square(10, 40, 20, 50), `"code":"extract","name_en":"Extract bounds","boundary_source":"extract_bounds"`)))
	rep, err := im.Boundaries(context.Background(), p, "country")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], "not an administrative boundary") {
		t.Errorf("warnings = %q, want one saying the box is no border", rep.Warnings)
	}
}

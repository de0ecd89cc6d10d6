package importer_test

import (
	"context"
	"github.com/aimaq/aimaq/internal/errs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aimaq/aimaq/data/importer"
	"github.com/aimaq/aimaq/data/postgis/postgistest"
)

func TestImportFacilitiesFile(t *testing.T) {
	s := postgistest.New(t)
	im := importer.New(s, nil)
	ctx := context.Background()
	dir := t.TempDir()

	csvFile := writeFile(t, dir, "schools.csv", "\ufeffkind,name,capacity,lon,lat,id\n"+
		"school,\"Школа №1, имени Абая\",320,62.5,47.5,KZ-001\n"+
		"kindergarten,Балабақша,,62.6,47.6,\n"+
		"Feldsher_Post,ФАП,0,62.7,47.7,\n")
	rep, err := im.Facilities(ctx, csvFile)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rows != 3 || rep.Dataset != "facilities" {
		t.Errorf("report = %+v, want 3 rows of dataset facilities", rep)
	}
	var name, sourceID string
	var capacity *int32
	if err := queryRow(s, `SELECT name, capacity FROM facility WHERE source = 'file:schools.csv' AND source_id = 'KZ-001'`).Scan(&name, &capacity); err != nil {
		t.Fatal(err)
	}
	if name != "Школа №1, имени Абая" || capacity == nil || *capacity != 320 {
		t.Errorf("KZ-001 = %q capacity %s, want the quoted name and 320", name, show(capacity))
	}
	if err := queryRow(s, `SELECT source_id FROM facility WHERE kind = 'kindergarten'`).Scan(&sourceID); err != nil {
		t.Fatal(err)
	}
	if sourceID != "row/2" {
		t.Errorf("source_id without an id = %q, want row/2", sourceID)
	}
	if n := count(t, s, `SELECT count(*) FROM facility WHERE kind = 'feldsher_post' AND capacity IS NULL AND ST_X(geom) = 62.7 AND ST_Y(geom) = 47.7`); n != 1 {
		t.Errorf("feldsher post (kind in mixed case, capacity 0) not stored as expected")
	}

	geo := writeFile(t, dir, "clinics.geojson", fc(
		`{"type":"Feature","properties":{"kind":"polyclinic","name":"Емхана","capacity":"150","id":7},"geometry":{"type":"Point","coordinates":[63,46]}}`,
		`{"type":"Feature","properties":{"kind":"hospital","capacity":80},"geometry":{"type":"Point","coordinates":[63.1,46.1]}}`))
	if _, err := im.Facilities(ctx, geo); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `SELECT count(*) FROM facility WHERE source = 'file:clinics.geojson' AND source_id IN ('7', 'feature/1')`); n != 2 {
		t.Errorf("GeoJSON facilities = %d, want ids 7 and feature/1", n)
	}

	// Re-importing a file of the same name replaces its facilities only.
	if _, err := im.Facilities(ctx, writeFile(t, dir, "schools.csv", "kind,lon,lat\nschool,62.5,47.5\n")); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `SELECT count(*) FROM facility WHERE source = 'file:schools.csv'`); n != 1 {
		t.Errorf("facilities of schools.csv after replacing = %d, want 1", n)
	}
	if n := count(t, s, `SELECT count(*) FROM facility`); n != 3 {
		t.Errorf("facilities = %d, want 3 (clinics.geojson untouched)", n)
	}
}

func TestImportFacilitiesBadInput(t *testing.T) {
	s := postgistest.New(t)
	im := importer.New(s, nil)
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := im.Facilities(ctx, writeFile(t, dir, "good.csv", "kind,name,capacity,lon,lat\nschool,A,1,62,47\n")); err != nil {
		t.Fatal(err)
	}
	before := osmSnapshot(t, s)
	pt := func(props string) string {
		return `{"type":"Feature","properties":{` + props + `},"geometry":{"type":"Point","coordinates":[62,47]}}`
	}
	tests := []struct {
		name, file, content string
		wantErr             []string
	}{
		{"unknown kind", "a.csv", "kind,name,capacity,lon,lat\nschool,A,1,62,47\nshcool,B,1,62,47\n", []string{"a.csv", "line 3", "field kind", `"shcool"`}},
		{"bad lon", "b.csv", "kind,name,capacity,lon,lat\nschool,A,1,sixty,47\n", []string{"b.csv", "line 2", "field lon", `"sixty"`}},
		{"lat out of range", "c.csv", "kind,name,capacity,lon,lat\nschool,A,1,62,97\n", []string{"c.csv", "line 2", "field lat", "out of range"}},
		{"bad capacity", "d.csv", "kind,name,capacity,lon,lat\nschool,A,many,62,47\n", []string{"d.csv", "line 2", "field capacity", `"many"`}},
		{"missing column", "e.csv", "kind,name,lon\nschool,A,62\n", []string{"e.csv", "line 1", `no column "lat"`}},
		{"unknown column", "f.csv", "kind,name,lng,lat\nschool,A,62,47\n", []string{"f.csv", "line 1", `unknown column "lng"`}},
		{"ragged row", "g.csv", "kind,name,capacity,lon,lat\nschool,A,1,62\n", []string{"g.csv", "line 2", "wrong number of fields"}},
		{"duplicate id", "h.csv", "kind,lon,lat,id\nschool,62,47,x\nschool,62,47,x\n", []string{"h.csv", "line 3", "field id", "line 2"}},
		{"multiline name keeps line numbers", "i.csv", "kind,name,lon,lat\nschool,\"two\nlines\",62,47\nschool,A,62,north\n", []string{"i.csv", "line 4", "field lat"}},
		{"no rows", "j.csv", "kind,name,capacity,lon,lat\n", []string{"j.csv", "no facilities"}},
		{"geojson unknown kind", "k.geojson", fc(pt(`"kind":"school"`), pt(`"kind":"museum"`)), []string{"k.geojson", "feature 1", "field kind", `"museum"`}},
		{"geojson missing kind", "l.geojson", fc(pt(`"name":"A"`)), []string{"l.geojson", "feature 0", "field kind", "missing"}},
		{"geojson not a point", "m.geojson", fc(area(square(62, 47, 63, 48), `"kind":"school"`)), []string{"m.geojson", "feature 0", "Polygon", "want Point"}},
		{"geojson bad capacity", "n.geojson", fc(pt(`"kind":"school","capacity":1.5`)), []string{"n.geojson", "feature 0", "field capacity"}},
		{"geojson lon out of range", "o.geojson", fc(`{"type":"Feature","properties":{"kind":"school"},"geometry":{"type":"Point","coordinates":[262,47]}}`), []string{"o.geojson", "feature 0", "lon", "out of range"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := im.Facilities(ctx, writeFile(t, dir, tt.file, tt.content))
			checkBad(t, err, tt.wantErr)
			if after := osmSnapshot(t, s); after != before {
				t.Errorf("failed import changed the data:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
	t.Run("missing file", func(t *testing.T) {
		_, err := im.Facilities(ctx, filepath.Join(dir, "nope.csv"))
		checkBad(t, err, []string{"nope.csv", "no such file"})
	})
}

func checkBad(tb testing.TB, err error, want []string) {
	tb.Helper()
	if err == nil {
		tb.Fatal("import succeeded, want an error")
	}
	tb.Logf("error: %v", err)
	if errs.KindOf(err) != errs.Invalid {
		tb.Errorf("error kind is not invalid input: %v", err)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			tb.Errorf("error %q does not mention %q", err, w)
		}
	}
}

func TestImportRoadsFile(t *testing.T) {
	s := postgistest.New(t)
	im := importer.New(s, nil)
	ctx := context.Background()
	dir := t.TempDir()
	line := func(props, coords string) string {
		return `{"type":"Feature","properties":{` + props + `},"geometry":{"type":"LineString","coordinates":` + coords + `}}`
	}
	file := writeFile(t, dir, "roads.geojson", fc(
		line(`"class":"primary","id":"A-1","name":"Астана — Караганда","speed_kmh":100`, `[[62,47],[62.1,47.1]]`),
		line(`"class":"track","surface":"gravel","maxspeed":"KZ:rural","oneway":-1`, `[[62.1,47.1],[62.2,47.1],[62.2,47.1]]`),
		line(`"class":"residential","paved":"yes","oneway":true`, `[[62.2,47.1],[62.3,47.1]]`),
		`{"type":"Feature","properties":{"class":"service","id":"M"},"geometry":{"type":"MultiLineString","coordinates":[[[63,46],[63.1,46]],[[63.2,46],[63.3,46]]]}}`,
		line(`"class":"bridleway"`, `[[62.3,47.1],[62.4,47.1]]`)))
	rep, err := im.Roads(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rows != 6 {
		t.Errorf("rows = %d, want 6 (the MultiLineString split in 2)", rep.Rows)
	}
	checks := []struct {
		sql  string
		want int64
	}{
		// No surface: paved assumed from the class.
		{`SELECT count(*) FROM road WHERE source = 'file:roads.geojson' AND source_id = 'A-1' AND paved AND paved_assumed AND speed_kmh = 100 AND NOT oneway AND name = 'Астана — Караганда'`, 1},
		// oneway -1: reversed, duplicate vertex dropped, paved from the surface, the
		// limit from maxspeed (capped by the class speed when routing), no own speed.
		{`SELECT count(*) FROM road WHERE source_id = 'feature/1' AND oneway AND NOT paved AND NOT paved_assumed AND maxspeed_kmh = 110 AND speed_kmh IS NULL
			AND ST_X(ST_StartPoint(geom)) = 62.2 AND ST_X(ST_EndPoint(geom)) = 62.1 AND ST_NPoints(geom) = 2`, 1},
		{`SELECT count(*) FROM road WHERE source_id = 'feature/2' AND oneway AND paved AND NOT paved_assumed AND speed_kmh IS NULL`, 1},
		{`SELECT count(*) FROM road WHERE source_id IN ('M/0', 'M/1') AND NOT paved AND paved_assumed AND class = 'service'`, 2},
		// A class the surface rule does not cover stays unknown.
		{`SELECT count(*) FROM road WHERE source_id = 'feature/4' AND paved IS NULL AND NOT paved_assumed`, 1},
	}
	for _, c := range checks {
		if n := count(t, s, c.sql); n != c.want {
			t.Errorf("%s = %d, want %d", c.sql, n, c.want)
		}
	}
	if _, err := im.Roads(ctx, writeFile(t, dir, "roads.geojson", fc(line(`"class":"primary","id":"A-1"`, `[[62,47],[62.1,47.1]]`)))); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `SELECT count(*) FROM road`); n != 1 {
		t.Errorf("roads after replacing the file = %d, want 1", n)
	}

	before := osmSnapshot(t, s)
	bad := []struct {
		name, content string
		wantErr       []string
	}{
		{"point", fc(`{"type":"Feature","properties":{"class":"primary"},"geometry":{"type":"Point","coordinates":[62,47]}}`), []string{"feature 0", "Point", "want LineString"}},
		{"no class", fc(line(`"name":"x"`, `[[62,47],[62.1,47]]`)), []string{"feature 0", "field class", "missing"}},
		{"bad maxspeed", fc(line(`"class":"primary"`, `[[62,47],[62.1,47]]`), line(`"class":"primary","maxspeed":"fast"`, `[[62,47],[62.1,47]]`)), []string{"feature 1", "field maxspeed", `"fast"`}},
		{"bad speed", fc(line(`"class":"primary","speed_kmh":"x"`, `[[62,47],[62.1,47]]`)), []string{"feature 0", "field speed_kmh", `"x" is not a number`}},
		{"bad oneway", fc(line(`"class":"primary","oneway":"sometimes"`, `[[62,47],[62.1,47]]`)), []string{"feature 0", "field oneway", "sometimes"}},
		{"bad paved", fc(line(`"class":"primary","paved":2`, `[[62,47],[62.1,47]]`)), []string{"feature 0", "field paved"}},
		{"one point", fc(line(`"class":"primary"`, `[[62,47],[62,47]]`)), []string{"feature 0", "fewer than 2 distinct points"}},
		{"duplicate id", fc(line(`"class":"primary","id":"r"`, `[[62,47],[62.1,47]]`), line(`"class":"primary","id":"r"`, `[[62,47],[62.1,47]]`)), []string{"feature 1", "field id", "feature 0"}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := im.Roads(ctx, writeFile(t, dir, "bad.geojson", tt.content))
			checkBad(t, err, append(tt.wantErr, "bad.geojson"))
			if after := osmSnapshot(t, s); after != before {
				t.Errorf("failed import changed the data")
			}
		})
	}
}

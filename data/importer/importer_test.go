package importer_test

import (
	"context"
	"fmt"
	"github.com/aimaq/aimaq/internal/errs"
	"github.com/aimaq/aimaq/internal/testenv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aimaq/aimaq/data/importer"
	"github.com/aimaq/aimaq/data/postgis"
	"github.com/aimaq/aimaq/data/postgis/postgistest"
	"github.com/jackc/pgx/v5"
)

// The fixtures below are synthetic: a square "country" 10°×10° at 60–70°E,
// 40–50°N, split into two oblasts of KATO 11… and 19… (real codes, so the
// statistics join works) and three districts. Names say "Synthetic".

func square(x0, y0, x1, y1 float64) string {
	return fmt.Sprintf(`{"type":"Polygon","coordinates":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}`, x0, y0, x1, y0, x1, y1, x0, y1, x0, y0)
}

func fc(features ...string) string {
	return `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`
}

func area(geom string, props string) string {
	return `{"type":"Feature","properties":{` + props + `},"geometry":` + geom + `}`
}

const bowtie = `{"type":"Polygon","coordinates":[[[60,40],[65,45],[65,40],[60,45],[60,40]]]}`

func writeFile(tb testing.TB, dir, name, content string) string {
	tb.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		tb.Fatal(err)
	}
	return p
}

type fixture struct {
	dir                                      string
	country, oblasts, districts, settlements string
	population                               string
}

func newFixture(tb testing.TB) fixture {
	dir := tb.TempDir()
	f := fixture{dir: dir}
	f.country = writeFile(tb, dir, "country.geojson", fc(area(square(60, 40, 70, 50), `"KATO":"000000000","ADM0_EN":"Synthetic country"`)))
	f.oblasts = writeFile(tb, dir, "oblasts.geojson", fc(
		area(square(60, 40, 65, 50), `"KATO":"110000000","ISO_3166_2":"KZ-AKM","ADM1_EN":"Synthetic Akmola","ADM1_RU":"Синтетическая Акмолинская","ADM1_KK":"Синтетикалық Ақмола"`),
		area(square(65, 40, 70, 50), `"KATO":"190000000","ISO_3166_2":"KZ-ALM","ADM1_EN":"Synthetic Almaty","ADM1_RU":"Синтетическая Алматинская","ADM1_KK":"Синтетикалық Алматы"`)))
	f.districts = writeFile(tb, dir, "districts.geojson", fc(
		area(square(60, 40, 65, 45), `"KATO":"111600000","ADM2_EN":"Synthetic Kosshy","ADM2_RU":"Синтетический Косшы"`),
		area(square(60, 45, 65, 50), `"KATO":"113200000","ADM2_EN":"Synthetic Akkol","ADM2_RU":"Синтетический Аккольский"`),
		area(square(65, 40, 70, 50), `"KATO":"193600000","ADM2_EN":"Synthetic Balkhash","ADM2_RU":"Синтетический Балхашский"`)))
	f.settlements = writeFile(tb, dir, "places.geojson", fc(
		`{"type":"Feature","properties":{"osm_id":1,"osm_type":"nodes","place":"town","name":"Қосшы","name:ru":"Косшы","population":"3 000"},"geometry":{"type":"Point","coordinates":[62,42]}}`,
		`{"type":"Feature","properties":{"osm_id":2,"osm_type":"nodes","place":"village","name":"Ақкөл","population":"1000"},"geometry":{"type":"Point","coordinates":[62,47]}}`,
		`{"type":"Feature","properties":{"osm_id":3,"osm_type":"nodes","place":"village","name":"Без населения","population":null},"geometry":{"type":"Point","coordinates":[67,45]}}`,
		`{"type":"Feature","properties":{"osm_id":4,"osm_type":"nodes","place":"village","name":"Outside","population":"50"},"geometry":{"type":"Point","coordinates":[75,45]}}`))
	f.population = writeFile(tb, dir, "population_2023.csv", "Region,Total,Males,Females\nAkmola Region,400000,1,1\nAlmaty Region,100000,1,1\nThe Republic of Kazakhstan,500000,1,1\n")
	return f
}

func mustImportAll(tb testing.TB, im *importer.Importer, f fixture) {
	tb.Helper()
	ctx := context.Background()
	steps := []struct {
		name string
		run  func() (*importer.Report, error)
	}{
		{"country", func() (*importer.Report, error) { return im.Boundaries(ctx, f.country, "country") }},
		{"oblasts", func() (*importer.Report, error) { return im.Boundaries(ctx, f.oblasts, "oblast") }},
		{"districts", func() (*importer.Report, error) { return im.Boundaries(ctx, f.districts, "district") }},
		{"groups", func() (*importer.Report, error) { return im.Groups(ctx) }},
		{"population", func() (*importer.Report, error) { return im.Stats(ctx, f.population, importer.StatsOptions{}) }},
		{"settlements", func() (*importer.Report, error) { return im.Settlements(ctx, f.settlements) }},
	}
	for _, s := range steps {
		if _, err := s.run(); err != nil {
			tb.Fatalf("import %s: %v", s.name, err)
		}
	}
}

// importedFixture is a fresh database with the whole fixture imported.
func importedFixture(tb testing.TB) (*postgis.Store, *importer.Importer, fixture) {
	tb.Helper()
	s := postgistest.New(tb)
	im := importer.New(s, nil)
	f := newFixture(tb)
	mustImportAll(tb, im, f)
	return s, im, f
}

// The tests read what an import wrote through importer.DB, the importer's own
// narrow view of the store, in a transaction they roll back: no pool.

// rowFunc is a pgx.Row that runs its query when scanned.
type rowFunc func(dest ...any) error

func (f rowFunc) Scan(dest ...any) error { return f(dest...) }

// queryRow reads one row.
func queryRow(db importer.DB, sql string, args ...any) pgx.Row {
	return rowFunc(func(dest ...any) error {
		ctx := context.Background()
		tx, err := db.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx) //nolint:errcheck // read only
		return tx.QueryRow(ctx, sql, args...).Scan(dest...)
	})
}

// eachRow calls scan on every row sql returns.
func eachRow(tb testing.TB, db importer.DB, sql string, scan func(pgx.Rows) error) {
	tb.Helper()
	ctx := context.Background()
	tx, err := db.Begin(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // read only
	rows, err := tx.Query(ctx, sql)
	if err != nil {
		tb.Fatalf("%s: %v", sql, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			tb.Fatalf("%s: %v", sql, err)
		}
	}
	if err := rows.Err(); err != nil {
		tb.Fatalf("%s: %v", sql, err)
	}
}

func count(tb testing.TB, db importer.DB, sql string, args ...any) int64 {
	tb.Helper()
	var n int64
	if err := queryRow(db, sql, args...).Scan(&n); err != nil {
		tb.Fatalf("%s: %v", sql, err)
	}
	return n
}

func TestImportSynthetic(t *testing.T) {
	s, im, f := importedFixture(t)

	if n := count(t, s, `SELECT count(*) FROM settlement`); n != 3 {
		t.Errorf("settlements = %d, want 3 (one outside the country clipped)", n)
	}
	var pop int
	var est bool
	if err := queryRow(s, `SELECT population, population_estimated FROM settlement WHERE source_id = 'node/1'`).Scan(&pop, &est); err != nil {
		t.Fatal(err)
	}
	if pop != 3000 || est {
		t.Errorf("node/1 population = %d estimated=%v, want 3000 from the tag", pop, est)
	}
	if err := queryRow(s, `SELECT population, population_estimated FROM settlement WHERE source_id = 'node/3'`).Scan(&pop, &est); err != nil {
		t.Fatal(err)
	}
	if pop != 500 || !est {
		t.Errorf("node/3 population = %d estimated=%v, want the default village estimate 500, flagged", pop, est)
	}
	// Parents: none for the country, the country for an oblast, for a district the oblast of its KATO prefix.
	var parents string
	if err := queryRow(s, `SELECT string_agg(a.code || '>' || coalesce(p.code, '-'), ' ' ORDER BY a.code) FROM area a LEFT JOIN area p ON p.id = a.parent_id WHERE a.level IN ('country', 'oblast', 'district')`).Scan(&parents); err != nil {
		t.Fatal(err)
	}
	if want := "000000000>- 110000000>000000000 111600000>110000000 113200000>110000000 190000000>000000000 193600000>190000000"; parents != want {
		t.Errorf("parents = %s, want %s", parents, want)
	}
	// Akmola's 400,000 split 3:1 by settlement population between Kosshy and Akkol.
	var kosshy, akkol int64
	if err := queryRow(s, `SELECT (SELECT population FROM area WHERE code = '111600000'), (SELECT population FROM area WHERE code = '113200000')`).Scan(&kosshy, &akkol); err != nil {
		t.Fatal(err)
	}
	if kosshy != 300000 || akkol != 100000 {
		t.Errorf("district populations = %d, %d; want 300000, 100000", kosshy, akkol)
	}
	// Kosshy is an Astana agglomeration district; Akkol follows Akmola into Northern.
	var g1, g2 string
	if err := queryRow(s, `SELECT (SELECT g.code FROM area a JOIN area g ON g.id = a.group_id WHERE a.code = '111600000'),
		(SELECT g.code FROM area a JOIN area g ON g.id = a.group_id WHERE a.code = '113200000')`).Scan(&g1, &g2); err != nil {
		t.Fatal(err)
	}
	if g1 != "astana_agglomeration" || g2 != "northern" {
		t.Errorf("groups = %s, %s; want astana_agglomeration, northern", g1, g2)
	}
	if n := count(t, s, `SELECT count(*) FROM area WHERE level IN ('macroregion','agglomeration')`); n != 3 {
		t.Errorf("group areas = %d, want 3 (northern, southern, astana_agglomeration have members)", n)
	}

	// Re-importing replaces: nothing is duplicated, ids stay.
	var idBefore int64
	_ = queryRow(s, `SELECT id FROM area WHERE code = '111600000'`).Scan(&idBefore)
	mustImportAll(t, im, f)
	if n := count(t, s, `SELECT count(*) FROM area WHERE level = 'district'`); n != 3 {
		t.Errorf("districts after re-import = %d, want 3", n)
	}
	if n := count(t, s, `SELECT count(*) FROM settlement`); n != 3 {
		t.Errorf("settlements after re-import = %d, want 3", n)
	}
	if n := count(t, s, `SELECT id FROM area WHERE code = '111600000'`); n != idBefore {
		t.Errorf("district id changed on re-import: %d → %d", idBefore, n)
	}
}

func TestImportBadInput(t *testing.T) {
	s, im, _ := importedFixture(t)
	ctx := context.Background()
	before := snapshot(t, s)
	dir := t.TempDir()

	good := fc(area(square(60, 40, 65, 45), `"KATO":"111600000","ADM2_EN":"A"`))
	tests := []struct {
		name    string
		run     func() error
		wantErr []string // substrings of the error
	}{
		{"malformed JSON", func() error {
			p := writeFile(t, dir, "bad.geojson", "{\"type\":\"FeatureCollection\",\n\"features\":[{,]}")
			_, err := im.Boundaries(ctx, p, "district")
			return err
		}, []string{"bad.geojson", "malformed JSON at line 2"}},
		{"truncated file", func() error {
			p := writeFile(t, dir, "trunc.geojson", good[:len(good)/2])
			_, err := im.Boundaries(ctx, p, "district")
			return err
		}, []string{"trunc.geojson", "truncated"}},
		{"wrong geometry type", func() error {
			p := writeFile(t, dir, "pt.geojson", fc(area(square(60, 40, 65, 45), `"KATO":"111600000"`), area(`{"type":"Point","coordinates":[61,41]}`, `"KATO":"113200000"`)))
			_, err := im.Boundaries(ctx, p, "district")
			return err
		}, []string{"pt.geojson", "feature 1", "Point", "want Polygon"}},
		{"missing KATO", func() error {
			p := writeFile(t, dir, "nokato.geojson", fc(area(square(60, 40, 65, 45), `"ADM2_EN":"Nameless"`)))
			_, err := im.Boundaries(ctx, p, "district")
			return err
		}, []string{"nokato.geojson", "feature 0", "Nameless", "missing KATO"}},
		{"district without its oblast", func() error {
			p := writeFile(t, dir, "orphan.geojson", fc(area(square(60, 40, 65, 45), `"KATO":"551000000"`)))
			_, err := im.Boundaries(ctx, p, "district")
			return err
		}, []string{"orphan.geojson", "feature 0", "no oblast 550000000"}},
		{"unknown region name", func() error {
			p := writeFile(t, dir, "population_2023.csv", "Region,Total,Males,Females\nAkmola Region,1,1,1\nNarnia Region,5,1,1\n")
			_, err := im.Stats(ctx, p, importer.StatsOptions{})
			return err
		}, []string{"population_2023.csv", "line 3", `"Narnia Region"`}},
		{"non-numeric statistic", func() error {
			p := writeFile(t, dir, "schools_2022.csv", "Region,2022\nAkmola Region,many\n")
			_, err := im.Stats(ctx, p, importer.StatsOptions{})
			return err
		}, []string{"schools_2022.csv", "line 2", "field 2022", `"many"`}},
		{"settlement not a point", func() error {
			p := writeFile(t, dir, "places.geojson", fc(area(square(60, 40, 61, 41), `"osm_id":9,"place":"village"`)))
			_, err := im.Settlements(ctx, p)
			return err
		}, []string{"places.geojson", "feature 0", "want Point"}},
		{"missing file", func() error {
			_, err := im.Settlements(ctx, filepath.Join(dir, "nope.geojson"))
			return err
		}, []string{"nope.geojson", "no such file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.run()
			if err == nil {
				t.Fatal("import succeeded, want an error")
			}
			if errs.KindOf(err) != errs.Invalid {
				t.Errorf("error kind is not invalid input: %v", err)
			}
			for _, w := range tt.wantErr {
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

func TestImportRepairsInvalidPolygon(t *testing.T) {
	s := postgistest.New(t)
	im := importer.New(s, nil)
	f := newFixture(t)
	ctx := context.Background()
	if _, err := im.Boundaries(ctx, f.country, "country"); err != nil {
		t.Fatal(err)
	}
	p := writeFile(t, t.TempDir(), "bowtie.geojson", fc(area(bowtie, `"KATO":"110000000","ADM1_EN":"Synthetic bow-tie"`)))
	rep, err := im.Boundaries(ctx, p, "oblast")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Repaired) != 1 || !strings.Contains(rep.Repaired[0], "feature 0") || !strings.Contains(rep.Repaired[0], "Self-intersection") {
		t.Errorf("report.Repaired = %q, want the bow-tie named with its reason", rep.Repaired)
	}
	if n := count(t, s, `SELECT count(*) FROM area WHERE level = 'oblast' AND repaired AND ST_IsValid(geom) AND ST_Area(geom) > 0`); n != 1 {
		t.Errorf("repaired valid oblasts = %d, want 1", n)
	}
}

// snapshot summarises the data so a test can tell whether anything changed.
func snapshot(tb testing.TB, s *postgis.Store) string {
	tb.Helper()
	var out string
	err := queryRow(s, `SELECT concat_ws(' ',
		(SELECT count(*) FROM area), (SELECT md5(string_agg(level || code || coalesce(name_en,'') || coalesce(population::text,'') || ST_AsText(geom), ',' ORDER BY id)) FROM area),
		(SELECT count(*) FROM settlement), (SELECT md5(string_agg(source_id || coalesce(population::text,''), ',' ORDER BY id)) FROM settlement),
		(SELECT md5(string_agg(area_id || stat || value, ',' ORDER BY area_id, stat)) FROM area_stat))`).Scan(&out)
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

func TestImportKZ(t *testing.T) {
	dir := testenv.DataDir(t)
	s := postgistest.New(t)
	im := importer.New(s, nil)
	start := time.Now()
	reports, err := im.KZ(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("import kz: %v", time.Since(start))
	repaired := 0
	for _, r := range reports {
		repaired += len(r.Repaired)
		t.Logf("%-28s rows=%-5d repaired=%d clipped=%d estimated=%d warnings=%d %v", r.Dataset, r.Rows, len(r.Repaired), r.Clipped, r.Estimated, len(r.Warnings), r.Duration)
	}
	if repaired != 3 {
		t.Errorf("repaired polygons = %d, want the 3 known invalid ones", repaired)
	}
	checks := []struct {
		sql  string
		want int64
	}{
		{`SELECT count(*) FROM area WHERE level = 'oblast'`, 20},
		{`SELECT count(*) FROM area WHERE level = 'district'`, 224},
		{`SELECT count(*) FROM area WHERE level = 'macroregion'`, 4},
		{`SELECT count(*) FROM area WHERE level = 'agglomeration'`, 2},
		{`SELECT count(*) FROM area WHERE level IN ('oblast','district') AND group_id IS NULL`, 0},
		{`SELECT count(*) FROM area WHERE level = 'district' AND parent_id IS NULL`, 0},
		{`SELECT count(*) FROM area WHERE level = 'oblast' AND (population IS NULL OR population_estimated)`, 0},
		{`SELECT count(*) FROM settlement WHERE district_id IS NULL OR oblast_id IS NULL`, 0},
		{`SELECT count(*) FROM settlement WHERE name_ru ~ '[А-Яа-я]'`, -1},
		// Groups partition the country: member districts sum to the national population.
		{`SELECT abs((SELECT sum(population) FROM area WHERE level IN ('macroregion','agglomeration')) - (SELECT population FROM area WHERE level = 'country'))::bigint / 1000`, 0},
		{`SELECT count(*) FROM area_stat`, 62},
		// Every oblast has its centre, matched to a settlement; districts get theirs by rule.
		{`SELECT count(*) FROM area WHERE level = 'oblast' AND centre IS NULL`, 0},
		// Kyzylorda city is missing from the OSM places export: its centre stays a point only.
		{`SELECT count(*) FROM area WHERE level = 'oblast' AND centre_settlement_id IS NOT NULL`, 19},
		{`SELECT count(*) FROM area WHERE level = 'district' AND centre_settlement_id IS NOT NULL`, -1},
		{`SELECT count(*) FROM area o JOIN settlement s ON s.id = o.centre_settlement_id WHERE o.code = '710000000' AND s.name_ru = 'Астана'`, 1},
	}
	for _, c := range checks {
		n := count(t, s, c.sql)
		if c.want >= 0 && n != c.want {
			t.Errorf("%s = %d, want %d", c.sql, n, c.want)
		}
		if c.want < 0 && n == 0 {
			t.Errorf("%s = 0, want some", c.sql)
		}
	}
	n := count(t, s, `SELECT count(*) FROM settlement`)
	if n < 9000 || n > 9700 {
		t.Errorf("settlements = %d, want the ~9,500 of 9,899 inside Kazakhstan", n)
	}
}

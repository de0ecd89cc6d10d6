package postgis_test

import (
	"context"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aimaq/aimaq/data/importer"
	"github.com/aimaq/aimaq/data/postgis"
	"github.com/aimaq/aimaq/data/postgis/postgistest"
	"github.com/aimaq/aimaq/internal/testenv"
	"github.com/aimaq/aimaq/tiles"
	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
)

// importBoundaries loads the real country, oblast and district boundaries
// and the groups through the importer, as `aimaq import` does.
func importBoundaries(t *testing.T, s *postgis.Store) {
	t.Helper()
	dir := testenv.DataDir(t)
	ctx := context.Background()
	im := importer.New(s, nil)
	for _, step := range []struct{ file, level string }{
		{importer.KZFiles.Country, "country"},
		{importer.KZFiles.Oblasts, "oblast"},
		{importer.KZFiles.Districts, "district"},
	} {
		if _, err := im.Boundaries(ctx, filepath.Join(dir, step.file), step.level); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := im.Groups(ctx); err != nil {
		t.Fatal(err)
	}
}

// sliverSQL sums, over the areas of level, the area (km²) where two
// neighbours overlap beyond what the source boundaries overlap, and the area
// of the gaps that open between them (holes of their union that the source
// does not have), with the geometry of zoom z: "before" simplifies each area
// on its own at half a pixel, as the tile queries did per request; "after"
// is the band's row of area_tile.
const sliverSQL = `
WITH g AS (
    SELECT a.id,
           CASE $2 WHEN 'before' THEN ST_SimplifyPreserveTopology(a.geom_3857, 40075016.68 / (256 * power(2, $3::int)) / 2)
                   ELSE (SELECT t.geom FROM area_tile t WHERE t.area_id = a.id AND $3::int BETWEEN t.zmin AND t.zmax)
           END AS geom
      FROM area a WHERE a.level = $1
),
holes AS (
    SELECT coalesce(sum(ST_Area(ST_MakePolygon(ST_InteriorRingN(d.geom, n)))), 0) AS area
      FROM (SELECT (ST_Dump(ST_Union(geom))).geom FROM g WHERE geom IS NOT NULL) d,
           generate_series(1, ST_NumInteriorRings(d.geom)) n
),
source_holes AS (
    SELECT coalesce(sum(ST_Area(ST_MakePolygon(ST_InteriorRingN(d.geom, n)))), 0) AS area
      FROM (SELECT (ST_Dump(ST_Union(geom_3857))).geom FROM area WHERE level = $1) d,
           generate_series(1, ST_NumInteriorRings(d.geom)) n
),
overlap AS (
    SELECT coalesce(sum(ST_Area(ST_CollectionExtract(ST_Intersection(x.geom, y.geom), 3))), 0) AS area
      FROM g x JOIN g y ON x.id < y.id AND x.geom && y.geom AND ST_Intersects(x.geom, y.geom)
),
source_overlap AS (
    SELECT coalesce(sum(ST_Area(ST_CollectionExtract(ST_Intersection(x.geom_3857, y.geom_3857), 3))), 0) AS area
      FROM area x JOIN area y ON x.id < y.id AND x.level = $1 AND y.level = $1
       AND x.geom_3857 && y.geom_3857 AND ST_Intersects(x.geom_3857, y.geom_3857)
)
SELECT greatest((SELECT area FROM holes) - (SELECT area FROM source_holes), 0) / 1e6,
       greatest((SELECT area FROM overlap) - (SELECT area FROM source_overlap), 0) / 1e6`

// TestTileGeometryKeepsThePartition: on the real boundaries, imported as
// `aimaq import` does, the tile-ready geometry of every band opens no gap and
// no overlap between neighbouring districts or oblasts beyond those of the
// source (the source's own slivers, up to 11 m thick between two districts,
// stay or close), where per-feature simplification opens thousands of km².
func TestTileGeometryKeepsThePartition(t *testing.T) {
	if testing.Short() {
		t.Skip("real data")
	}
	s := postgistest.New(t)
	importBoundaries(t, s)
	ctx := context.Background()
	pool := postgistest.Pool(s)

	var rows, dirty int
	if err := pool.QueryRow(ctx, `SELECT count(*), (SELECT count(*) FROM area_tile_dirty) FROM area_tile`).Scan(&rows, &dirty); err != nil {
		t.Fatal(err)
	}
	if rows == 0 || dirty != 0 {
		t.Fatalf("after the import area_tile has %d rows and dirty=%d; want it built in the import", rows, dirty)
	}

	var report strings.Builder
	for _, level := range []string{"district", "oblast"} {
		for _, z := range []int{3, 4, 6, 8, 10} {
			var gapB, overB, gapA, overA float64
			if err := pool.QueryRow(ctx, sliverSQL, level, "before", z).Scan(&gapB, &overB); err != nil {
				t.Fatal(err)
			}
			if err := pool.QueryRow(ctx, sliverSQL, level, "after", z).Scan(&gapA, &overA); err != nil {
				t.Fatal(err)
			}
			t.Logf("%-8s z%-2d gap+overlap km²: per feature %10.4f + %10.4f, shared arcs %.6f + %.6f", level, z, gapB, overB, gapA, overA)
			// Beyond noise: a hundredth of one screen pixel at z (95 km² at z3).
			px := 40075.01668 / (256 * math.Exp2(float64(z)))
			if gapA+overA > px*px/100 {
				t.Errorf("%s z%d: shared-arc geometry has %.6f km² of gaps and %.6f km² of overlaps between neighbours", level, z, gapA, overA)
			}
			if z <= 6 && gapB+overB <= 1e-3 {
				report.WriteString("per-feature simplification shows no slivers; ")
			}
		}
	}
	if report.Len() > 0 {
		t.Errorf("the measurement cannot fail: %s", report.String())
	}
}

// TestTilesUseTileGeometry: once the import built area_tile, a low-zoom
// district tile is cut from it, not simplified per request: its features'
// borders with each other coincide, and it is much smaller than the
// source geometry would make it.
func TestTilesUseTileGeometry(t *testing.T) {
	if testing.Short() {
		t.Skip("real data")
	}
	s := postgistest.New(t)
	importBoundaries(t, s)
	ctx := context.Background()
	l, _ := tiles.NewCatalogue().Layer("districts")
	mt := maptile.At([2]float64{71.45, 51.15}, 6) // Astana
	tile := tiles.Tile{Z: tiles.Zoom(mt.Z), X: mt.X, Y: mt.Y}
	prepared, err := s.Tile(ctx, l, tile)
	if err != nil {
		t.Fatal(err)
	}
	// Rewriting the same boundaries (as the groups are after every
	// settlements import) leaves the shared-arc rows alone.
	if _, err := postgistest.Pool(s).Exec(ctx, `UPDATE area SET geom_3857 = geom_3857 WHERE level = 'district'`); err != nil {
		t.Fatal(err)
	}
	if again, err := s.Tile(ctx, l, tile); err != nil || string(again) != string(prepared) {
		t.Errorf("rewriting unchanged boundaries changed the tile (%v)", err)
	}
	// The same tile from the trigger's per-feature rows (a write to area
	// outside an import: the shared-arc rebuild is still due).
	if _, err := postgistest.Pool(s).Exec(ctx, `UPDATE area SET geom_3857 = ST_Translate(geom_3857, 1, 0) WHERE level = 'district'`); err != nil {
		t.Fatal(err)
	}
	perFeature, err := s.Tile(ctx, l, tile)
	if err != nil {
		t.Fatal(err)
	}
	if string(prepared) == string(perFeature) {
		t.Fatal("the tile is the same from shared arcs and from per-feature simplification: area_tile is not read")
	}
	var dirty []string
	rows, err := postgistest.Pool(s).Query(ctx, `SELECT level FROM area_tile_dirty ORDER BY level`)
	if err == nil {
		dirty, err = pgx.CollectRows(rows, pgx.RowTo[string])
	}
	if err != nil || strings.Join(dirty, ",") != "district" {
		t.Errorf("dirty levels %v (%v) after a write to the districts' geometry, want district", dirty, err)
	}
	for name, b := range map[string][]byte{"shared arcs": prepared, "per feature": perFeature} {
		ls, err := mvt.Unmarshal(b)
		if err != nil || len(ls) != 1 || len(ls[0].Features) < 5 {
			t.Fatalf("%s tile: %v, %d layers", name, err, len(ls))
		}
	}
	t.Logf("z6 Astana districts tile: %d bytes from shared arcs, %d per feature", len(prepared), len(perFeature))
}

// The zoom bands of the trigger's per-feature rows (migration 0010) are
// tiles.AreaBands, tolerances included.
func TestAreaBandsMatchSQL(t *testing.T) {
	s := postgistest.New(t)
	rows, err := postgistest.Pool(s).Query(context.Background(), `SELECT zmin, zmax, tolerance FROM area_tile_bands() ORDER BY zmin`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	i := 0
	for rows.Next() {
		var zmin, zmax int16
		var tol float64
		if err := rows.Scan(&zmin, &zmax, &tol); err != nil {
			t.Fatal(err)
		}
		if i >= len(tiles.AreaBands) {
			t.Fatalf("SQL has more bands than tiles.AreaBands")
		}
		b := tiles.AreaBands[i]
		if int(zmin) != int(b.MinZoom) || int(zmax) != int(b.MaxZoom) || math.Abs(tol-b.Tolerance()) > 1e-9 {
			t.Errorf("band %d: SQL z%d–%d tolerance %v, Go z%d–%d tolerance %v", i, zmin, zmax, tol, b.MinZoom, b.MaxZoom, b.Tolerance())
		}
		i++
	}
	if i != len(tiles.AreaBands) {
		t.Errorf("SQL has %d bands, Go %d", i, len(tiles.AreaBands))
	}
}

package postgis_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aimaq/aimaq/data/compute"
	"github.com/aimaq/aimaq/data/importer"
	"github.com/aimaq/aimaq/data/postgis/postgistest"
	"github.com/aimaq/aimaq/internal/testenv"
	"github.com/aimaq/aimaq/tiles"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
)

// TestTileMemoryAgreesWithSQL cuts the same tiles of every layer of the real
// data set in PostGIS (the layers' SQL, ST_AsMVT) and in memory (TileAt once
// the generation is loaded, tiles/cut) and wants the same tiles: the same
// features in the same order with the same properties, points at the same
// grid place, and polygons of the same area within a pixel's worth along the
// tile's edge. A feature only one side keeps must be a sliver of under one
// grid unit² (where ST_AsMVTGeom's repair and plain snapping part ways).
func TestTileMemoryAgreesWithSQL(t *testing.T) {
	data := testenv.DataDir(t)
	ctx := context.Background()
	s := postgistest.New(t)
	if _, err := importer.New(s, nil).KZ(ctx, data); err != nil {
		t.Fatal(err)
	}
	if _, err := compute.Run(ctx, s, compute.DefaultOptions()); err != nil {
		t.Fatal(err)
	}
	gen, err := s.Generation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wait, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if err := s.TileMemoryReady(wait, gen); err != nil {
		t.Fatal(err)
	}
	// Kazakhstan's box; at each zoom every tile or a seeded sample of 24.
	box := orb.Bound{Min: orb.Point{46.4, 40.5}, Max: orb.Point{87.4, 55.5}}
	rng := rand.New(rand.NewPCG(11, 29))
	compared := map[string]int{}
	for _, l := range tiles.NewCatalogue().Layers() {
		for _, z := range []maptile.Zoom{3, 4, 5, 6, 8, 10, 12} {
			lo := maptile.At(orb.Point{box.Min[0], box.Max[1]}, z)
			hi := maptile.At(orb.Point{box.Max[0], box.Min[1]}, z)
			var all []tiles.Tile
			for x := lo.X; x <= hi.X; x++ {
				for y := lo.Y; y <= hi.Y; y++ {
					all = append(all, tiles.Tile{Z: tiles.Zoom(z), X: x, Y: y})
				}
			}
			rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
			all = all[:min(len(all), 24)]
			if z == 12 {
				// Inside Astana, an enclave of Akmola oblast: Akmola's
				// exterior and hole both cover the tile.
				all = append(all, tiles.Tile{Z: 12, X: 2860, Y: 1368})
			}
			for _, tile := range all {
				if ok, _ := l.NeedsQuery(tile); !ok {
					continue
				}
				sqlTile, err := s.Tile(ctx, l, tile)
				if err != nil {
					t.Fatal(err)
				}
				memTile, err := s.TileAt(ctx, l, tile, gen)
				if err != nil {
					t.Fatal(err)
				}
				if d := tileDiff(t, sqlTile, memTile); d != "" {
					t.Errorf("%s %v: memory and SQL differ: %s", l.Name, tile, d)
				}
				compared[l.Name]++
			}
		}
	}
	t.Logf("tiles compared per layer: %v", compared)
	for _, name := range []string{"oblasts", "districts", "groups", "settlements"} {
		if compared[name] < 50 {
			t.Errorf("%s: only %d tiles compared", name, compared[name])
		}
	}
}

// tileDiff describes how two MVT tiles of one layer differ ("" when they
// agree as TestTileMemoryAgreesWithSQL wants).
func tileDiff(t *testing.T, a, b []byte) string {
	t.Helper()
	fa, fb := tileFeatures(t, a), tileFeatures(t, b)
	var ia, ib []uint64
	for _, f := range fa {
		ia = append(ia, f.id)
	}
	for _, f := range fb {
		ib = append(ib, f.id)
	}
	// Features only one side has must be slivers.
	keep := func(fs []feature, other map[uint64]bool) (out []feature, diff string) {
		for _, f := range fs {
			if other[f.id] {
				out = append(out, f)
			} else if f.area >= 1 || f.point {
				diff += fmt.Sprintf("feature %d (area %.1f) only on one side; ", f.id, f.area)
			}
		}
		return out, diff
	}
	inA, inB := map[uint64]bool{}, map[uint64]bool{}
	for _, id := range ia {
		inA[id] = true
	}
	for _, id := range ib {
		inB[id] = true
	}
	fa, d1 := keep(fa, inB)
	fb, d2 := keep(fb, inA)
	if d := d1 + d2; d != "" {
		return d
	}
	for i := range fa {
		x, y := fa[i], fb[i]
		if x.id != y.id {
			return fmt.Sprintf("feature order differs at %d: %d vs %d", i, x.id, y.id)
		}
		if !reflect.DeepEqual(x.props, y.props) {
			return fmt.Sprintf("feature %d properties differ:\n sql %v\n mem %v", x.id, x.props, y.props)
		}
		if x.point != y.point {
			return fmt.Sprintf("feature %d: geometry types differ", x.id)
		}
		if x.point && x.at != y.at {
			return fmt.Sprintf("feature %d: point at %v vs %v", x.id, x.at, y.at)
		}
		// Snapping and clipping move a border by at most half a unit; the
		// tile edge plus buffer is 4 × 4224 units long.
		if tol := 0.005*x.area + 0.5*4*4224; math.Abs(x.area-y.area) > tol {
			return fmt.Sprintf("feature %d: area %.0f vs %.0f units²", x.id, x.area, y.area)
		}
	}
	return ""
}

type feature struct {
	id    uint64
	props map[string]float64Or
	point bool
	at    orb.Point
	area  float64 // polygons: |area| of the exteriors minus the holes, in units²
}

// float64Or is a property value with numbers as float64, so an integer
// written as uint, sint or int compares equal.
type float64Or = any

func tileFeatures(t *testing.T, b []byte) []feature {
	t.Helper()
	if len(b) == 0 {
		return nil
	}
	ls, err := mvt.Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) != 1 {
		t.Fatalf("%d layers, want 1", len(ls))
	}
	var out []feature
	for _, f := range ls[0].Features {
		out = append(out, toFeature(f))
	}
	return out
}

func toFeature(f *geojson.Feature) feature {
	id, _ := f.ID.(float64)
	out := feature{id: uint64(id), props: map[string]any{}}
	for k, v := range f.Properties {
		switch v := v.(type) {
		case int64:
			out.props[k] = float64(v)
		case uint64:
			out.props[k] = float64(v)
		case float32:
			out.props[k] = float64(v)
		default:
			out.props[k] = v
		}
	}
	switch g := f.Geometry.(type) {
	case orb.Point:
		out.point, out.at = true, g
	case orb.Polygon:
		out.area = polygonArea(g)
	case orb.MultiPolygon:
		for _, p := range g {
			out.area += polygonArea(p)
		}
	}
	return out
}

func polygonArea(p orb.Polygon) float64 {
	var a float64
	for i, r := range p {
		s := math.Abs(ringArea(r))
		if i == 0 {
			a += s
		} else {
			a -= s
		}
	}
	return a
}

func ringArea(r orb.Ring) float64 {
	var s float64
	for i := range r {
		j := (i + 1) % len(r)
		s += r[i][0]*r[j][1] - r[j][0]*r[i][1]
	}
	return s / 2
}

var _ = sort.Ints

// TestTileMemoryLoadFails: when the generation cannot be loaded (here
// area_tile is gone), waiting for it ends with the load's error, and a
// second wait within the retry time ends at once with the same error instead
// of waiting out its deadline; tiles are then cut in SQL, which names the
// missing table.
func TestTileMemoryLoadFails(t *testing.T) {
	ctx := context.Background()
	s := postgistest.New(t)
	importBoundaries(t, s)
	if _, err := postgistest.Pool(s).Exec(ctx, `ALTER TABLE area_tile RENAME TO area_tile_gone`); err != nil {
		t.Fatal(err)
	}
	gen, err := s.Generation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wait, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := s.TileMemoryReady(wait, gen); err == nil || !strings.Contains(err.Error(), "area_tile") {
		t.Fatalf("the first wait: %v; want the load's error naming area_tile", err)
	}
	if err := s.TileMemoryReady(wait, gen); err == nil || wait.Err() != nil || !strings.Contains(err.Error(), "area_tile") {
		t.Errorf("the second wait: %v (deadline: %v); want the load's error at once", err, wait.Err())
	}
	l, _ := tiles.NewCatalogue().Layer("districts")
	if _, err := s.TileAt(ctx, l, tiles.Tile{Z: 4, X: 11, Y: 5}, gen); err == nil || !strings.Contains(err.Error(), "area_tile") {
		t.Errorf("a tile: %v; want the SQL path's error naming area_tile", err)
	}
}

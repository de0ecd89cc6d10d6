package cut

import (
	"bytes"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/aimaq/aimaq/tiles"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/encoding/mvt"
)

// SYNTHETIC shapes in EPSG:3857 around tile z=4, x=10, y=5.
var t4 = tiles.Tile{Z: 4, X: 10, Y: 5}

// unit returns the EPSG:3857 point of grid place (gx, gy) of tile t.
func unit(t tiles.Tile, gx, gy float64) orb.Point {
	f := frameOf(t)
	return orb.Point{f.minX + gx/Extent*f.width, f.maxY - gy/Extent*f.width}
}

// square is the ring through grid places (x0, y0)–(x1, y1) of t, counter-clockwise on the map.
func square(t tiles.Tile, x0, y0, x1, y1 float64) orb.Ring {
	return orb.Ring{unit(t, x0, y1), unit(t, x1, y1), unit(t, x1, y0), unit(t, x0, y0), unit(t, x0, y1)}
}

func decode(t *testing.T, b []byte) *mvt.Layer {
	t.Helper()
	ls, err := mvt.Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) != 1 {
		t.Fatalf("%d layers", len(ls))
	}
	return ls[0]
}

func TestAreaClippedSnappedOriented(t *testing.T) {
	// A square from grid (1000.4, 1000.4) to (5000, 3000): past the east edge
	// and its 64-unit buffer; with a hole (2000..2500), given clockwise on the map.
	outer := square(t4, 1000.4, 1000.4, 5000, 3000)
	hole := square(t4, 2000, 2000, 2500, 2500)
	hole.Reverse()
	l := mustLayer(NewAreaLayer("districts", []Area{{ID: 7, Props: Props{"code": "X", "n": int64(3)},
		Shapes: []Shape{{ZMin: 3, ZMax: 4, Size: 1e7, Geom: orb.MultiPolygon{{outer, hole}}}}}}))
	b, err := l.Tile(t4)
	if err != nil {
		t.Fatal(err)
	}
	ml := decode(t, b)
	if ml.Name != "districts" || ml.Version != 2 || ml.Extent != Extent || len(ml.Features) != 1 {
		t.Fatalf("layer %s v%d extent %d, %d features", ml.Name, ml.Version, ml.Extent, len(ml.Features))
	}
	f := ml.Features[0]
	if id, _ := f.ID.(float64); id != 7 || f.Properties["code"] != "X" || f.Properties["n"] != float64(3) {
		t.Errorf("id %v, properties %v", f.ID, f.Properties)
	}
	p, ok := f.Geometry.(orb.Polygon)
	if !ok || len(p) != 2 {
		t.Fatalf("geometry %T %v", f.Geometry, f.Geometry)
	}
	bd := p[0].Bound()
	want := orb.Bound{Min: orb.Point{1000, 1000}, Max: orb.Point{Extent + Buffer, 3000}}
	if bd != want {
		t.Errorf("exterior spans %v, want %v (clipped at the buffer, snapped to the grid)", bd, want)
	}
	if a := area(closed(p[0])); a <= 0 {
		t.Errorf("exterior area %v: want positive in tile coordinates", a)
	}
	if a := area(closed(p[1])); a >= 0 || math.Abs(a) != 500*500 {
		t.Errorf("hole area %v: want -250000", a)
	}
	// The same data, the same bytes.
	again, _ := l.Tile(t4)
	if !bytes.Equal(b, again) {
		t.Error("two cuts differ")
	}
}

func closed(r orb.Ring) orb.Ring {
	if !r.Closed() {
		r = append(r, r[0])
	}
	return r
}

func TestAreaBandsAndPixels(t *testing.T) {
	sq := orb.MultiPolygon{{square(t4, 100, 100, 200, 200)}}
	px4 := pixelWorld / (256 * 16)
	l := mustLayer(NewAreaLayer("oblasts", []Area{
		{ID: 2, Shapes: []Shape{{ZMin: 5, ZMax: 6, Size: 1e7, Geom: sq}}},       // another band
		{ID: 3, Shapes: []Shape{{ZMin: 3, ZMax: 4, Size: px4 * 0.9, Geom: sq}}}, // under a pixel
		{ID: 1, Shapes: []Shape{{ZMin: 0, ZMax: 2, Size: 1e7, Geom: sq}, {ZMin: 3, ZMax: 4, Size: px4, Geom: sq}}},
		{ID: 4, Shapes: []Shape{{ZMin: 3, ZMax: 4, Size: 1e7, Geom: orb.MultiPolygon{{square(t4, 5000, 100, 6000, 200)}}}}},   // beyond the buffer
		{ID: 5, Shapes: []Shape{{ZMin: 3, ZMax: 4, Size: 1e7, Geom: orb.MultiPolygon{{square(t4, 300, 300, 300.2, 300.2)}}}}}, // collapses on the grid
	}))
	b, err := l.Tile(t4)
	if err != nil {
		t.Fatal(err)
	}
	ml := decode(t, b)
	if len(ml.Features) != 1 || ml.Features[0].ID != float64(1) {
		t.Fatalf("features %v, want only area 1", ml.Features)
	}
	if b, _ := l.Tile(tiles.Tile{Z: 4, X: 0, Y: 0}); b != nil {
		t.Errorf("a tile with nothing in it: %d bytes, want nil", len(b))
	}
}

func TestPointsZoomBufferOrder(t *testing.T) {
	pt := func(id uint64, gx, gy float64, minZoom tiles.Zoom) Point {
		p := unit(t4, gx, gy)
		return Point{ID: id, Props: Props{"name": "p"}, X: p[0], Y: p[1], MinZoom: minZoom}
	}
	// In the layer's order (largest first): 9, 4, 6, 8, 5.
	l := mustLayer(NewPointLayer("settlements", []Point{
		pt(9, 3000, 10, 0),
		pt(4, 10.6, 20.4, 4),
		pt(6, -60, 4150, 0), // in the buffer
		pt(8, 500, 500, 7),  // from z7 only
		pt(5, -70, 100, 0),  // beyond the buffer
	}))
	ml := decode(t, must(l.Tile(t4)))
	var ids []float64
	for _, f := range ml.Features {
		ids = append(ids, f.ID.(float64))
	}
	if len(ids) != 3 || ids[0] != 9 || ids[1] != 4 || ids[2] != 6 {
		t.Fatalf("points %v, want [9 4 6] in the layer's order", ids)
	}
	if g := ml.Features[1].Geometry.(orb.Point); g != (orb.Point{11, 20}) {
		t.Errorf("point 4 at %v, want [11 20]", g)
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

func mustLayer(l *Layer, err error) *Layer {
	if err != nil {
		panic(err)
	}
	return l
}

// area is the signed area of the closed ring r by the surveyor's formula.
func area(r orb.Ring) float64 {
	var s float64
	for i := 0; i+1 < len(r); i++ {
		s += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	return s / 2
}

func TestPropertyTypes(t *testing.T) {
	if _, err := NewPointLayer("p", []Point{{ID: 3, Props: Props{"bad": []int{1}}}}); err == nil {
		t.Error("a []int property: no error")
	}
	l := mustLayer(NewPointLayer("p", []Point{{ID: 1, Props: Props{"s": "a", "b": true, "f": 1.5, "u": int64(7), "n": int64(-2), "nil": nil}}}))
	ml := decode(t, must(l.Tile(tiles.Tile{Z: 0})))
	got := ml.Features[0].Properties
	want := map[string]any{"s": "a", "b": true, "f": 1.5, "u": float64(7), "n": float64(-2)}
	if len(got) != len(want) {
		t.Fatalf("properties %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v (%T), want %v", k, got[k], got[k], v)
		}
	}
}

func TestEnclaveTileLeavesTheHoledAreaOut(t *testing.T) {
	// SYNTHETIC: area 1 has a hole where area 2 lies; tile t4 is all inside
	// the hole, so area 1 has nothing in it, though its exterior and its hole
	// both clip to the whole tile.
	outer := square(t4, -5000, -5000, 9000, 9000)
	hole := square(t4, -1000, -1000, 5000, 5000)
	hole.Reverse()
	l := mustLayer(NewAreaLayer("oblasts", []Area{
		{ID: 1, Shapes: []Shape{{ZMin: 0, ZMax: 14, Size: 1e7, Geom: orb.MultiPolygon{{outer, hole}}}}},
		{ID: 2, Shapes: []Shape{{ZMin: 0, ZMax: 14, Size: 1e7, Geom: orb.MultiPolygon{{square(t4, -1000, -1000, 5000, 5000)}}}}},
	}))
	ml := decode(t, must(l.Tile(t4)))
	if len(ml.Features) != 1 || ml.Features[0].ID != float64(2) {
		t.Fatalf("features %v, want only area 2", ml.Features)
	}
}

func TestReduceClipsTheSame(t *testing.T) {
	// SYNTHETIC rings: random walks of 2,000 points around tile t4, often
	// leaving it on every side; each clipped whole and clipped reduced.
	rng := rand.New(rand.NewPCG(5, 7))
	f := frameOf(t4)
	reduced := 0
	for n := 0; n < 200; n++ {
		r := make(orb.Ring, 0, 2001)
		x, y := rng.Float64()*12000-4000, rng.Float64()*12000-4000
		for range 2000 {
			x += rng.NormFloat64() * 300
			y += rng.NormFloat64() * 300
			r = append(r, unit(t4, x, y))
		}
		r = append(r, r[0])
		whole := clip.Ring(f.clip, append(orb.Ring(nil), r...))
		small := f.reduce(nil, r, runBounds(r))
		if len(small) < len(r) {
			reduced++
		}
		got := clip.Ring(f.clip, small)
		if len(got) != len(whole) {
			t.Fatalf("ring %d: %d points clipped whole, %d reduced", n, len(whole), len(got))
		}
		for i := range got {
			if got[i] != whole[i] {
				t.Fatalf("ring %d, point %d: %v whole, %v reduced", n, i, whole[i], got[i])
			}
		}
	}
	if reduced < 100 {
		t.Errorf("only %d of 200 rings were reduced: the test does not test", reduced)
	}
}

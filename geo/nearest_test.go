package geo

import (
	"math"
	"math/rand"
	"testing"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
)

// randomPoints draws n points uniformly over Kazakhstan's bounding box.
func randomPoints(r *rand.Rand, n int) []orb.Point {
	pts := make([]orb.Point, n)
	for i := range pts {
		pts[i] = orb.Point{46.5 + r.Float64()*40.8, 40.5 + r.Float64()*15}
	}
	return pts
}

// The index must agree with a brute-force scan, also at the high latitudes
// where nearest-in-degrees and nearest-on-the-ground differ.
func TestPointIndexMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	pts := randomPoints(r, 2000)
	ix := NewPointIndex(pts)
	odd := func(i int) bool { return i%2 == 1 }
	for q := 0; q < 500; q++ {
		p := randomPoints(r, 1)[0]
		for _, skip := range []func(int) bool{nil, odd} {
			want, wantD := -1, math.Inf(1)
			for i, c := range pts {
				if skip != nil && skip(i) {
					continue
				}
				if d := orbgeo.Distance(p, c); d < wantD {
					want, wantD = i, d
				}
			}
			got, gotD := ix.Nearest(p, skip)
			if got != want || math.Abs(gotD-wantD) > 1e-6 {
				t.Fatalf("Nearest(%v) = %d (%.1f m), brute force %d (%.1f m)", p, got, gotD, want, wantD)
			}
		}
	}
	if i, d := NewPointIndex(nil).Nearest(orb.Point{70, 50}, nil); i != -1 || !math.IsInf(d, 1) {
		t.Errorf("empty index: %d %v", i, d)
	}
}

func BenchmarkPointIndexNearest(b *testing.B) {
	pts := randomPoints(rand.New(rand.NewSource(1)), 10000)
	ix := NewPointIndex(pts)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ix.Nearest(pts[i%len(pts)], func(j int) bool { return j == i%len(pts) })
	}
}

func TestPointIndexWithin(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	pts := make([]orb.Point, 3000)
	for i := range pts {
		pts[i] = orb.Point{60 + r.Float64()*10, 45 + r.Float64()*8}
	}
	ix := NewPointIndex(pts)
	for q := 0; q < 50; q++ {
		p := orb.Point{60 + r.Float64()*10, 45 + r.Float64()*8}
		got := map[int]bool{}
		ix.Within(p, 50000, func(i int, _ float64) { got[i] = true })
		for i, c := range pts {
			if in := orbgeo.Distance(p, c) <= 50000; in != got[i] {
				t.Fatalf("point %d: within=%v, index says %v", i, in, got[i])
			}
		}
	}
}

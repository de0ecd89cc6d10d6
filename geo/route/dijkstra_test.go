package route

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
)

func TestShortestPaths(t *testing.T) {
	// A square with a fast paved side (A–B–C) and a shorter unpaved side (A–D–C).
	A, B, C, D := at(0, 0), at(100, 0), at(100, 100), at(0, 80)
	square := []Road{
		{ID: 1, Line: line(A, B), Class: "primary", Paved: true},
		{ID: 2, Line: line(B, C), Class: "primary", Paved: true},
		{ID: 3, Line: line(A, D), Class: "track"},
		{ID: 4, Line: line(D, C), Class: "track"},
	}
	fast, short := length(A, B, C), length(A, D, C)
	if short >= fast {
		t.Fatalf("bad fixture: %v >= %v", short, fast)
	}
	// A triangle whose A→B side is one-way: B→A must go round by C.
	P, Q, R := at(0, 0), at(10, 0), at(5, 20)
	oneway := []Road{
		{ID: 1, Line: line(P, Q), Oneway: true},
		{ID: 2, Line: line(Q, R)},
		{ID: 3, Line: line(R, P)},
	}
	// Two components.
	split := []Road{
		{ID: 1, Line: line(P, Q)},
		{ID: 2, Line: line(at(50, 50), at(60, 50))},
	}
	tests := []struct {
		name        string
		roads       []Road
		targets     []orb.Point
		from        orb.Point
		metric      Metric
		cost, other float64
		wantFrom    int32
	}{
		{"by time takes the fast road", square, []orb.Point{C}, A, ByTime, fast / 20, fast, 0},
		{"by length takes the short road", square, []orb.Point{C}, A, ByLength, short, short / 5, 0},
		{"nearest of two sources", square, []orb.Point{C, D}, A, ByLength, length(A, D), length(A, D) / 5, 1},
		{"one-way allowed direction", oneway, []orb.Point{Q}, P, ByLength, length(P, Q), length(P, Q) / 10, 0},
		{"one-way goes round", oneway, []orb.Point{P}, Q, ByLength, length(Q, R, P), length(Q, R, P) / 10, 0},
		{"source reaches itself", oneway, []orb.Point{P}, P, ByTime, 0, 0, 0},
		{"other component unreachable", split, []orb.Point{P}, at(60, 50), ByTime, math.Inf(1), math.Inf(1), -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := mustBuild(t, tc.roads, testSpeeds())
			var nodes []uint32
			for _, p := range tc.targets {
				nodes = append(nodes, nodeAt(t, g, p))
			}
			f := g.MultiSourceNodes(nodes, tc.metric)
			v := nodeAt(t, g, tc.from)
			if !near(f.Cost[v], tc.cost, 1e-6) || !near(f.Other[v], tc.other, 1e-6) || f.From[v] != tc.wantFrom {
				t.Errorf("cost %v, other %v, from %d; want %v, %v, %d", f.Cost[v], f.Other[v], f.From[v], tc.cost, tc.other, tc.wantFrom)
			}
		})
	}
}

// TestAt covers the settlement end: the off-network leg, and a settlement and facility
// on the same link, which neither end node sees.
func TestAt(t *testing.T) {
	sp := testSpeeds() // residential 36 km/h = 10 m/s; walking 1 m/s
	// A north–south road A–B (along a meridian, so distance is linear in latitude),
	// closed into a loop by B–C–A.
	A, B, C := at(0, 0), at(0, 100), at(-50, 50)
	road := func(oneway bool) []Road {
		return []Road{
			{ID: 1, Line: line(A, B), Oneway: oneway},
			{ID: 2, Line: line(B, C, A)},
		}
	}
	on := func(y float64) orb.Point { return at(0, y) }
	off := func(y float64) orb.Point { return at(1, y) } // about 72 m east of the road
	offM := func(y float64) float64 { return geo.DistanceHaversine(off(y), on(y)) }
	tests := []struct {
		name       string
		roads      []Road
		settlement orb.Point
		facilities []orb.Point
		metres     float64 // on the network; the off-network legs are added below
		walk       float64 // off-network metres
		wantSource int32
	}{
		{"same link, facility ahead", road(false), on(20), []orb.Point{on(70)}, length(on(20), on(70)), 0, 0},
		{"same link, facility behind", road(false), on(70), []orb.Point{on(20)}, length(on(20), on(70)), 0, 0},
		{"same point", road(false), on(40), []orb.Point{on(40)}, 0, 0, 0},
		{"off-network legs both ends", road(false), off(20), []orb.Point{off(70)}, length(on(20), on(70)), offM(20) + offM(70), 0},
		{"one-way, facility downstream", road(true), on(20), []orb.Point{on(70)}, length(on(20), on(70)), 0, 0},
		{"one-way, facility upstream goes round", road(true), on(70), []orb.Point{on(20)},
			length(on(70), B, C, A, on(20)), 0, 0},
		{"nearer facility through an end node beats one on the link", road(false), on(60),
			[]orb.Point{on(0), at(-49, 51), on(95)}, length(on(60), on(95)), 0, 2},
		{"facility on another link through the end node", road(false), on(90), []orb.Point{at(-25, 75)},
			length(on(90), B, at(-25, 75)), 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := mustBuild(t, tc.roads, sp)
			s := g.NewSnapper()
			var srcs []Source
			for i, p := range tc.facilities {
				srcs = append(srcs, Source{Snap: mustSnap(t, s, p), ID: int64(100 + i)})
			}
			settle := mustSnap(t, s, tc.settlement)
			total := tc.metres + tc.walk
			secs := tc.metres/10 + tc.walk/1
			for _, m := range []Metric{ByTime, ByLength} {
				r := g.MultiSource(srcs, m, sp).At(g, settle, sp)
				if !r.OK || r.Source != tc.wantSource || r.SourceID != int64(100+tc.wantSource) ||
					!near(r.Metres, total, 1e-6) || !near(r.Secs, secs, 1e-6) {
					t.Errorf("metric %d: %+v; want %.3f m, %.3f s from source %d", m, r, total, secs, tc.wantSource)
				}
			}
		})
	}
}

func TestAtUnreachable(t *testing.T) {
	g := mustBuild(t, []Road{
		{ID: 1, Line: line(at(0, 0), at(10, 0))},
		{ID: 2, Line: line(at(0, 50), at(10, 50))},
	}, testSpeeds())
	s := g.NewSnapper()
	f := g.MultiSource([]Source{{Snap: mustSnap(t, s, at(5, 1)), ID: 1}}, ByTime, testSpeeds())
	if r := f.At(g, mustSnap(t, s, at(5, 49)), testSpeeds()); r.OK || r.Source != -1 {
		t.Fatalf("%+v; want not OK", r)
	}
}

// TestManhattanGrid checks a full grid on the equator, where every shortest path is
// a Manhattan path: edges along a parallel have the same length to within 2e-8.
func TestManhattanGrid(t *testing.T) {
	const n = 24
	p := func(i, j int) orb.Point { return orb.Point{float64(i) * u, float64(j-n/2) * u} }
	var roads []Road
	for k := range n {
		var row, col orb.LineString
		for m := range n {
			row = append(row, p(m, k))
			col = append(col, p(k, m))
		}
		roads = append(roads, Road{ID: int64(2 * k), Line: row}, Road{ID: int64(2*k + 1), Line: col})
	}
	g := mustBuild(t, roads, testSpeeds())
	if g.Nodes() != n*n || g.Edges() != 4*n*(n-1) {
		t.Fatalf("nodes %d edges %d; want %d, %d", g.Nodes(), g.Edges(), n*n, 4*n*(n-1))
	}
	h := geo.DistanceHaversine(p(0, n/2), p(1, n/2))
	v := geo.DistanceHaversine(p(0, 0), p(0, 1))
	tests := []struct {
		name    string
		sources [][2]int
	}{
		{"corner", [][2]int{{0, 0}}},
		{"centre", [][2]int{{n / 2, n / 2}}},
		{"three sources", [][2]int{{0, 0}, {n - 1, 3}, {7, n - 1}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var nodes []uint32
			for _, s := range tc.sources {
				nodes = append(nodes, nodeAt(t, g, p(s[0], s[1])))
			}
			f := g.MultiSourceNodes(nodes, ByLength)
			for i := range n {
				for j := range n {
					want := math.Inf(1)
					for _, s := range tc.sources {
						want = min(want, math.Abs(float64(i-s[0]))*h+math.Abs(float64(j-s[1]))*v)
					}
					if got := f.Cost[nodeAt(t, g, p(i, j))]; !near(got, want, 1e-6) {
						t.Fatalf("(%d,%d): %v m; want %v m", i, j, got, want)
					}
				}
			}
		})
	}
}

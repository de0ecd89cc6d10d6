package route

import (
	"errors"
	"math"
	"testing"
)

// The networks here are SYNTHETIC: a street and a bridge over it, drawn as
// OpenStreetMap draws them.

// TestBuildNodeIDTopology fails on a graph that joins roads by coordinate: the
// motorway bridge would get a false exit onto the street below.
func TestBuildNodeIDTopology(t *testing.T) {
	W, C, E := at(-10, 0), at(0, 0), at(10, 0) // the street, west to east
	S, N := at(0, -10), at(0, 10)              // the bridge, south to north, over C
	street := Road{ID: 1, Line: line(W, C, E), Nodes: []int64{101, 102, 103}, Class: "residential"}
	// The bridge's middle vertex lies exactly on the street's, on a node of its own.
	bridge := Road{ID: 2, Line: line(S, C, N), Nodes: []int64{201, 202, 203}, Class: "motorway", Paved: true}
	// A ramp from the bridge's north end round to the street's east end.
	ramp := Road{ID: 3, Line: line(N, at(10, 10), E), Nodes: []int64{203, 301, 103}, Class: "residential"}

	t.Run("a bridge over a street has no exit onto it", func(t *testing.T) {
		g := mustBuild(t, []Road{street, bridge, ramp}, testSpeeds())
		// Street: W, C, E (C is a node: the street's own vertex is shared with no one,
		// but it is not a road end either, so the street is one link W–E). Bridge: S, N.
		if g.Nodes() != 4 || g.Links() != 3 {
			t.Fatalf("nodes %d links %d; want 4 and 3 (C shared by no two roads)", g.Nodes(), g.Links())
		}
		f := g.MultiSourceNodes([]uint32{nodeAt(t, g, W)}, ByLength)
		from := nodeAt(t, g, S)
		want := length(S, C, N) + length(N, at(10, 10), E) + length(E, C, W) // round by the ramp
		if got := f.Cost[from]; !near(got, want, 1e-6) {
			t.Errorf("S to W: %.1f m; want %.1f m, round by the ramp (straight down would be %.1f m)", got, want, length(S, C, W))
		}
	})
	t.Run("roads that share a node id meet there", func(t *testing.T) {
		atGrade := bridge
		atGrade.Nodes = []int64{201, 102, 203} // a level crossing: the street's node
		g := mustBuild(t, []Road{street, atGrade, ramp}, testSpeeds())
		f := g.MultiSourceNodes([]uint32{nodeAt(t, g, W)}, ByLength)
		if got, want := f.Cost[nodeAt(t, g, S)], length(S, C, W); !near(got, want, 1e-6) {
			t.Errorf("S to W: %.1f m; want %.1f m through the shared node", got, want)
		}
	})
	t.Run("a road without node ids joins at a shared coordinate", func(t *testing.T) {
		// A planned road from another source, ending at C: it meets every road with a
		// vertex there, as all roads did before node ids.
		planned := Road{ID: 4, Line: line(at(0, -20), C), Class: "residential"}
		g := mustBuild(t, []Road{street, bridge, ramp, planned}, testSpeeds())
		f := g.MultiSourceNodes([]uint32{nodeAt(t, g, W)}, ByLength)
		if got, want := f.Cost[nodeAt(t, g, at(0, -20))], length(at(0, -20), C, W); !near(got, want, 1e-6) {
			t.Errorf("planned road to W: %.1f m; want %.1f m", got, want)
		}
	})
	t.Run("node ids that do not match the line are refused", func(t *testing.T) {
		bad := street
		bad.Nodes = []int64{101, 102}
		if _, err := Build([]Road{bad}, testSpeeds()); !errors.Is(err, ErrInvalidRoad) {
			t.Errorf("err = %v; want ErrInvalidRoad", err)
		}
	})
}

// TestBuildNodeIDsKeepCoordinateGraph: roads whose node ids follow their
// coordinates give the graph the coordinates gave.
func TestBuildNodeIDsKeepCoordinateGraph(t *testing.T) {
	W, C, E, S, N := at(-10, 0), at(0, 0), at(10, 0), at(0, -10), at(0, 10)
	plain := []Road{{ID: 1, Line: line(W, C, E)}, {ID: 2, Line: line(S, C, N)}, {ID: 3, Line: line(N, at(5, 5), E), Oneway: true}}
	ids := map[[2]float64]int64{}
	withIDs := make([]Road, len(plain))
	for i, r := range plain {
		r.Nodes = nil
		for _, p := range r.Line {
			if ids[p] == 0 {
				ids[p] = int64(len(ids) + 1)
			}
			r.Nodes = append(r.Nodes, ids[p])
		}
		withIDs[i] = r
	}
	a, b := mustBuild(t, plain, testSpeeds()), mustBuild(t, withIDs, testSpeeds())
	if a.Nodes() != b.Nodes() || a.Links() != b.Links() || a.Edges() != b.Edges() {
		t.Fatalf("by coordinate %d/%d/%d nodes/links/edges, by node id %d/%d/%d", a.Nodes(), a.Links(), a.Edges(), b.Nodes(), b.Links(), b.Edges())
	}
	type edge struct{ u, v uint32 }
	ea := map[edge]float32{}
	a.EdgeList(func(u, v uint32, secs, _ float32) { ea[edge{u, v}] = secs })
	b.EdgeList(func(u, v uint32, secs, _ float32) {
		if ea[edge{u, v}] != secs {
			t.Errorf("edge %d→%d: %v s by node id, %v s by coordinate", u, v, secs, ea[edge{u, v}])
		}
	})
}

// TestSpeedModel fails on the old rule, where a tagged maxspeed was the travel
// speed: a residential street tagged 25 mph travelled at 40 km/h while its
// untagged neighbour travelled at the class speed.
func TestSpeedModel(t *testing.T) {
	sp := DefaultSpeeds()
	A, B := at(0, 0), at(0, 9)
	secs := func(r Road) float64 {
		r.Line = line(A, B)
		g := mustBuild(t, []Road{r}, sp)
		var s float32
		g.EdgeList(func(_, _ uint32, x, _ float32) { s = x })
		return float64(s)
	}
	untagged := Road{Class: "residential"}
	mph25 := Road{Class: "residential", MaxspeedKmh: 25 * 1.609344}
	if a, b := secs(mph25), secs(untagged); a != b {
		t.Errorf("residential tagged 25 mph: %.1f s; untagged neighbour %.1f s; want the same", a, b)
	}
	tertiary := Road{Class: "tertiary", Paved: true}
	slow := Road{Class: "tertiary", Paved: true, MaxspeedKmh: 20}
	if a, b := secs(slow), secs(tertiary); !(a > b) || !near(a, length(A, B)/(20/3.6), 1e-6) {
		t.Errorf("tertiary tagged 20: %.1f s; untagged %.1f s; want slower, at 20 km/h", a, b)
	}
	fast := Road{Class: "primary", Paved: true, MaxspeedKmh: 140}
	if a, b := secs(fast), secs(Road{Class: "primary", Paved: true}); a != b {
		t.Errorf("primary tagged 140: %.1f s, untagged %.1f s; a limit never raises the class speed", a, b)
	}
	own := Road{Class: "primary", Paved: true, MaxspeedKmh: 20, SpeedKmh: 100}
	if a := secs(own); !near(a, length(A, B)/(100/3.6), 1e-6) {
		t.Errorf("own speed 100: %.1f s; want it used as given", a)
	}
	tests := []struct {
		road Road
		kmh  float64
	}{
		{Road{Class: "residential", MaxspeedKmh: 60}, 20},
		{Road{Class: "residential", Paved: true, MaxspeedKmh: 60}, 30},
		{Road{Class: "residential", MaxspeedKmh: 10}, 10},
		{Road{Class: "bridleway", MaxspeedKmh: 50}, sp.Default},
		{Road{Class: FerryClass}, 10},
		{Road{Class: FerryClass, Paved: true}, 10},
		{Road{Class: FerryClass, MaxspeedKmh: 5}, 5},
	}
	for _, tt := range tests {
		if got := sp.roadKmh(tt.road); math.Abs(got-tt.kmh) > 1e-9 {
			t.Errorf("roadKmh(%+v) = %v; want %v", tt.road, got, tt.kmh)
		}
	}
}

// TestFerryNeverPaved: a ferry is an edge of the network, never a paved road.
func TestFerryNeverPaved(t *testing.T) {
	g := mustBuild(t, []Road{{ID: 1, Line: line(at(0, 0), at(0, 9)), Class: FerryClass, Paved: true}}, DefaultSpeeds())
	if g.Links() != 1 || g.LinkPaved(0) {
		t.Errorf("links %d paved %v; want one unpaved link", g.Links(), g.Links() == 1 && g.LinkPaved(0))
	}
	if _, ok := g.NewSnapper().SnapPaved(at(0, 4), 10_000); ok {
		t.Errorf("a ferry counted as the nearest paved road")
	}
}

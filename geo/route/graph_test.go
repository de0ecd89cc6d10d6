package route

import (
	"errors"
	"math"
	"testing"

	"github.com/paulmach/orb"
)

func TestBuildSplitting(t *testing.T) {
	W, E, S, N, C := at(-10, 0), at(10, 0), at(0, -10), at(0, 10), at(0, 0)
	tests := []struct {
		name                string
		roads               []Road
		nodes, links, edges int
		from, to            orb.Point
		connected           bool
		wantMetres          float64 // when connected; 0 = don't check
	}{
		{
			name:  "crossing at a shared vertex connects",
			roads: []Road{{ID: 1, Line: line(W, C, E)}, {ID: 2, Line: line(S, C, N)}},
			nodes: 5, links: 4, edges: 8,
			from: W, to: N, connected: true, wantMetres: length(W, C, N),
		},
		{
			name:  "crossing without a shared vertex does not connect",
			roads: []Road{{ID: 1, Line: line(W, E)}, {ID: 2, Line: line(S, N)}},
			nodes: 4, links: 2, edges: 4,
			from: W, to: N, connected: false,
		},
		{
			name:  "a road ending on another's vertex makes a junction",
			roads: []Road{{ID: 1, Line: line(W, C, E)}, {ID: 2, Line: line(C, N)}},
			nodes: 4, links: 3, edges: 6,
			from: E, to: N, connected: true, wantMetres: length(E, C, N),
		},
		{
			name:  "vertices used by one road only are folded into the edge",
			roads: []Road{{ID: 1, Line: line(W, at(-5, 3), C, at(5, -2), E)}},
			nodes: 2, links: 1, edges: 2,
			from: W, to: E, connected: true, wantMetres: length(W, at(-5, 3), C, at(5, -2), E),
		},
		{
			name:  "one-way keeps one direction",
			roads: []Road{{ID: 1, Line: line(W, C, E), Oneway: true}},
			nodes: 2, links: 1, edges: 1,
			from: E, to: W, connected: false,
		},
		{
			name:  "a repeated vertex is no edge",
			roads: []Road{{ID: 1, Line: line(W, W, E)}},
			nodes: 2, links: 1, edges: 2,
			from: W, to: E, connected: true, wantMetres: length(W, E),
		},
		{
			name:  "a road crossing itself at a vertex is a junction",
			roads: []Road{{ID: 1, Line: line(W, C, N, at(-5, 5), C, E)}},
			nodes: 3, links: 3, edges: 6,
			from: W, to: E, connected: true, wantMetres: length(W, C, E),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := mustBuild(t, tc.roads, testSpeeds())
			if g.Nodes() != tc.nodes || g.Links() != tc.links || g.Edges() != tc.edges {
				t.Fatalf("nodes, links, edges = %d, %d, %d; want %d, %d, %d",
					g.Nodes(), g.Links(), g.Edges(), tc.nodes, tc.links, tc.edges)
			}
			f := g.MultiSourceNodes([]uint32{nodeAt(t, g, tc.to)}, ByLength)
			from := nodeAt(t, g, tc.from)
			got := f.Cost[from]
			switch {
			case !tc.connected && (!math.IsInf(got, 1) || f.From[from] != -1 || !math.IsInf(f.Other[from], 1)):
				t.Errorf("cost %v, from %d, other %v; want +Inf, -1, +Inf", got, f.From[from], f.Other[from])
			case tc.connected && math.IsInf(got, 1):
				t.Errorf("unreachable; want connected")
			case tc.connected && tc.wantMetres > 0 && !near(got, tc.wantMetres, 1e-6):
				t.Errorf("cost %.3f m; want %.3f m", got, tc.wantMetres)
			}
		})
	}
}

func TestBuildErrors(t *testing.T) {
	ok := line(at(0, 0), at(1, 0))
	tests := []struct {
		name  string
		roads []Road
		sp    Speeds
	}{
		{"one point", []Road{{ID: 7, Line: line(at(0, 0))}}, testSpeeds()},
		{"NaN coordinate", []Road{{ID: 7, Line: line(at(0, 0), orb.Point{math.NaN(), 50})}}, testSpeeds()},
		{"latitude out of range", []Road{{ID: 7, Line: line(at(0, 0), orb.Point{70, 91})}}, testSpeeds()},
		{"no speed for the class", []Road{{ID: 7, Line: ok, Class: "bridleway"}}, Speeds{}},
		{"infinite speed", []Road{{ID: 7, Line: ok, SpeedKmh: math.Inf(1)}}, testSpeeds()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Build(tc.roads, tc.sp)
			if !errors.Is(err, ErrInvalidRoad) {
				t.Fatalf("err = %v; want ErrInvalidRoad", err)
			}
		})
	}
}

func TestBuildEmpty(t *testing.T) {
	g := mustBuild(t, nil, testSpeeds())
	if g.Nodes() != 0 || g.Edges() != 0 {
		t.Fatalf("nodes %d edges %d; want 0", g.Nodes(), g.Edges())
	}
	f := g.MultiSource(nil, ByTime, testSpeeds())
	if len(f.Cost) != 0 {
		t.Fatalf("cost %v", f.Cost)
	}
	if _, ok := g.NewSnapper().Snap(at(0, 0), math.Inf(1)); ok {
		t.Fatal("snapped onto an empty graph")
	}
}

func TestSpeedsAndWeights(t *testing.T) {
	A, B := at(0, 0), at(0, 9)
	tests := []struct {
		name string
		road Road
		kmh  float64
	}{
		{"paved class", Road{Class: "primary", Paved: true}, 72},
		{"unpaved class", Road{Class: "track"}, 18},
		{"class not in the table", Road{Class: "bridleway", Paved: true}, 36},
		{"own speed wins", Road{Class: "primary", Paved: true, SpeedKmh: 54}, 54},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.road.Line = line(A, B)
			g := mustBuild(t, []Road{tc.road}, testSpeeds())
			want := length(A, B)
			g.EdgeList(func(_, _ uint32, secs, metres float32) {
				if !near(float64(metres), want, 1e-7) || !near(float64(secs), want/(tc.kmh/3.6), 1e-7) {
					t.Errorf("edge %v s, %v m; want %v s, %v m", secs, metres, want/(tc.kmh/3.6), want)
				}
			})
			if g.LinkPaved(0) != tc.road.Paved {
				t.Errorf("LinkPaved = %v", g.LinkPaved(0))
			}
		})
	}
}

func TestEdgeList(t *testing.T) {
	A, B, C := at(0, 0), at(5, 0), at(5, 5)
	g := mustBuild(t, []Road{
		{ID: 1, Line: line(A, B)},
		{ID: 2, Line: line(B, C), Oneway: true},
	}, testSpeeds())
	a, b, c := nodeAt(t, g, A), nodeAt(t, g, B), nodeAt(t, g, C)
	want := map[[2]uint32]float64{{a, b}: length(A, B), {b, a}: length(A, B), {b, c}: length(B, C)}
	n := 0
	g.EdgeList(func(u, v uint32, _, metres float32) {
		n++
		w, ok := want[[2]uint32{u, v}]
		if !ok || !near(float64(metres), w, 1e-7) {
			t.Errorf("edge %d→%d %v m not expected", u, v, metres)
		}
	})
	if n != len(want) || n != g.Edges() {
		t.Errorf("EdgeList gave %d edges, Edges() = %d; want %d", n, g.Edges(), len(want))
	}
	for l := range uint32(g.Links()) {
		if r := g.LinkRoad(l); r < 0 || r > 1 {
			t.Errorf("LinkRoad(%d) = %d", l, r)
		}
	}
}

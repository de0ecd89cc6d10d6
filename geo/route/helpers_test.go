package route

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
)

// u is 1/1024 degree (about 110 m): test coordinates are whole multiples of it, so
// they are exact in float32 and the graph's float32 geometry adds no rounding.
const u = 1.0 / 1024

// at is a test point u-units east and north of 70 E, 50 N.
func at(x, y float64) orb.Point { return orb.Point{70 + x*u, 50 + y*u} }

func line(pts ...orb.Point) orb.LineString { return orb.LineString(pts) }

// length is the great-circle length of a path, computed independently of the graph.
func length(pts ...orb.Point) float64 {
	m := 0.0
	for i := 1; i < len(pts); i++ {
		m += geo.DistanceHaversine(pts[i-1], pts[i])
	}
	return m
}

// testSpeeds has round speeds so expected times are easy to read.
func testSpeeds() Speeds {
	return Speeds{
		Paved:   map[string]float64{"primary": 72, "residential": 36},
		Unpaved: map[string]float64{"track": 18},
		Default: 36,
		Walk:    3.6, // 1 m/s
	}
}

func mustBuild(tb testing.TB, roads []Road, sp Speeds) *Graph {
	tb.Helper()
	g, err := Build(roads, sp)
	if err != nil {
		tb.Fatalf("Build: %v", err)
	}
	return g
}

// nodeAt is the node at p (or the nearest one).
func nodeAt(tb testing.TB, g *Graph, p orb.Point) uint32 {
	tb.Helper()
	best, bd := uint32(0), math.Inf(1)
	for v := range uint32(g.Nodes()) {
		if d := geo.DistanceHaversine(g.Node(v), p); d < bd {
			best, bd = v, d
		}
	}
	if bd > 1 {
		tb.Fatalf("no node at %v (nearest %.1f m away)", p, bd)
	}
	return best
}

func mustSnap(tb testing.TB, s *Snapper, p orb.Point) Snap {
	tb.Helper()
	sn, ok := s.Snap(p, 10_000)
	if !ok {
		tb.Fatalf("Snap(%v): no road", p)
	}
	return sn
}

// near reports whether got is within rel (relative) of want; infinities must match.
func near(got, want, rel float64) bool {
	if math.IsInf(want, 0) || math.IsInf(got, 0) {
		return got == want
	}
	return math.Abs(got-want) <= rel*math.Max(math.Abs(want), 1e-9)
}

package route

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
)

func TestSnap(t *testing.T) {
	A, B, C := at(0, 0), at(0, 100), at(40, 100)
	g := mustBuild(t, []Road{
		{ID: 1, Line: line(A, B), Paved: false},
		{ID: 2, Line: line(B, at(20, 110), C), Paved: true},
	}, testSpeeds())
	s := g.NewSnapper()
	tests := []struct {
		name  string
		p     orb.Point
		max   float64
		ok    bool
		road  int
		t     float64
		point orb.Point
		paved bool
	}{
		{"on the road", at(0, 25), 10, true, 0, 0.25, at(0, 25), false},
		{"beside the road", at(-1, 60), 100, true, 0, 0.6, at(0, 60), false},
		{"beyond the end", at(0, -10), 2000, true, 0, 0, A, false},
		{"too far", at(-10, 60), 100, false, 0, 0, orb.Point{}, false},
		{"on a shape vertex", at(20, 110), 10, true, 1, 0.5, at(20, 110), true},
		{"paved only", at(1, 50), math.Inf(1), true, 1, 0, B, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := s.Snap
			if tc.paved {
				snap = s.SnapPaved
			}
			sn, ok := snap(tc.p, tc.max)
			if ok != tc.ok {
				t.Fatalf("ok = %v; want %v", ok, tc.ok)
			}
			if !ok {
				return
			}
			if g.LinkRoad(sn.Link) != tc.road || !near(sn.T, tc.t, 1e-6) ||
				geo.DistanceHaversine(sn.Point, tc.point) > 1e-6 ||
				!near(sn.OffMetres, geo.DistanceHaversine(tc.p, tc.point), 1e-6) {
				t.Errorf("%+v (road %d); want road %d, T %v at %v", sn, g.LinkRoad(sn.Link), tc.road, tc.t, tc.point)
			}
		})
	}
}

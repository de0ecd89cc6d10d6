package route

import (
	"math"

	"github.com/paulmach/orb"
)

// What the external tests (package route_test) need from inside the package.
// They build SYNTHETIC networks with routetest, which imports route, so they
// cannot be in package route themselves.

var (
	MustBuild = mustBuild
	Near      = near
)

// LinkPoints is link l's vertices, A to B, as the Snapper searches them.
func (s *Snapper) LinkPoints(l uint32) [][2]float32 { return s.linkPoints(l, nil) }

// Plane is the plane Snap measures distances in around a query point.
type Plane struct{ pl plane }

func NewPlane(p orb.Point) Plane { return Plane{newPlane(p)} }

// SegmentDist2 is the squared distance from the plane's centre to segment a–b.
func (p Plane) SegmentDist2(a, b [2]float32) float64 {
	d2, _ := p.pl.segment(a, b)
	return d2
}

// Dist is the distance from the plane's centre to q.
func (p Plane) Dist(q orb.Point) float64 {
	return math.Hypot((q[0]-p.pl.lon)*p.pl.kx, (q[1]-p.pl.lat)*p.pl.ky)
}

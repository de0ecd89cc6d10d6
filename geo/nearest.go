package geo

import (
	"math"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
	"github.com/tidwall/rtree"
)

// PointIndex finds the nearest of a set of lon/lat points by geodesic
// distance. Points sit in an R-tree in degrees; candidates come out in order of
// planar degree distance, and the search stops once that order's lower bound on
// the geodesic distance exceeds the best distance found — so the answer is
// exact, not the nearest in degrees.
type PointIndex struct {
	tr     rtree.RTreeG[int]
	pts    []orb.Point
	minCos float64 // cos of the largest |latitude|: 1° of longitude is at least this many degrees of arc
}

// NewPointIndex indexes pts; results refer to positions in pts.
func NewPointIndex(pts []orb.Point) *PointIndex {
	ix := &PointIndex{pts: pts, minCos: 1}
	for i, p := range pts {
		ix.tr.Insert(p, p, i)
		if c := math.Cos(p[1] * math.Pi / 180); c < ix.minCos {
			ix.minCos = c
		}
	}
	return ix
}

// Len is the number of indexed points.
func (ix *PointIndex) Len() int { return len(ix.pts) }

// metresPerDegree on the sphere orb/geo uses.
const metresPerDegree = orb.EarthRadius * math.Pi / 180

// Nearest returns the index of the point nearest to p by geodesic distance,
// skipping those for which skip returns true (skip may be nil), and the
// distance in metres; -1 when none qualifies.
func (ix *PointIndex) Nearest(p orb.Point, skip func(i int) bool) (int, float64) {
	best, bestD := -1, math.Inf(1)
	// The query's own latitude also bounds the scale of a longitude degree.
	// 0.99: a margin for the curvature the planar bound ignores over long distances.
	scale := 0.99 * math.Min(ix.minCos, math.Cos(p[1]*math.Pi/180)) * metresPerDegree
	ix.tr.Nearby(rtree.BoxDist[float64, int](p, p, nil), func(min, _ [2]float64, i int, d2 float64) bool {
		if math.Sqrt(d2)*scale > bestD {
			return false
		}
		if skip != nil && skip(i) {
			return true
		}
		if d := orbgeo.Distance(p, ix.pts[i]); d < bestD {
			best, bestD = i, d
		}
		return true
	})
	return best, bestD
}

// Within calls fn for every indexed point within metres of p (geodesic).
func (ix *PointIndex) Within(p orb.Point, metres float64, fn func(i int, d float64)) {
	b := orbgeo.NewBoundAroundPoint(p, metres)
	ix.tr.Search(b.Min, b.Max, func(_, _ [2]float64, i int) bool {
		if d := orbgeo.Distance(p, ix.pts[i]); d <= metres {
			fn(i, d)
		}
		return true
	})
}

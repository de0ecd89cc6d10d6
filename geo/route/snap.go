package route

import (
	"math"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
	"github.com/tidwall/rtree"
)

// Snap is a point's position on the road network.
type Snap struct {
	// Link is the road stretch the point snapped to (see Graph.LinkEnds).
	Link uint32
	// T is the fraction of the link's length from its A end (0) to its B end (1).
	T float64
	// Point is the nearest point on the road.
	Point orb.Point
	// OffMetres is the great-circle distance from the query point to Point: the
	// off-network leg.
	OffMetres float64
}

// Snapper finds the nearest road to a point with an R-tree over the links' segments.
// It is safe for concurrent use.
type Snapper struct {
	g         *Graph
	ends      []uint32 // per link: A, B; the graph finds them by binary search
	all       rtree.RTreeGN[float32, uint64]
	pavedOnce sync.Once
	paved     rtree.RTreeGN[float32, uint64]
}

// chunk is how many segments of a link share one R-tree entry: fewer entries make
// the tree smaller and quicker to build, while a chunk's box stays tight because
// roads rarely turn back within a few segments.
const chunk = 8

// NewSnapper indexes the graph's links. The paved-only index is built on the first
// SnapPaved call.
func (g *Graph) NewSnapper() *Snapper {
	s := &Snapper{g: g, ends: make([]uint32, 2*g.Links())}
	for l := range uint32(g.Links()) {
		s.ends[2*l], s.ends[2*l+1] = g.LinkEnds(l)
	}
	s.index(&s.all, false)
	return s
}

func (s *Snapper) index(tr *rtree.RTreeGN[float32, uint64], pavedOnly bool) {
	g := s.g
	var pts [][2]float32
	for l := range uint32(g.Links()) {
		if pavedOnly && !g.LinkPaved(l) {
			continue
		}
		pts = s.linkPoints(l, pts[:0])
		for k := 0; k < len(pts)-1; k += chunk {
			lo, hi := pts[k], pts[k]
			for _, p := range pts[k+1 : min(k+chunk, len(pts)-1)+1] {
				lo = [2]float32{min(lo[0], p[0]), min(lo[1], p[1])}
				hi = [2]float32{max(hi[0], p[0]), max(hi[1], p[1])}
			}
			tr.Insert(lo, hi, uint64(l)<<32|uint64(k))
		}
	}
}

// linkPoints appends link l's vertices, A to B, to buf.
func (s *Snapper) linkPoints(l uint32, buf [][2]float32) [][2]float32 {
	g, a, b := s.g, s.ends[2*l], s.ends[2*l+1]
	buf = append(buf, [2]float32{g.lon[a], g.lat[a]})
	for i := g.shapeOff[l]; i < g.shapeOff[l+1]; i++ {
		buf = append(buf, [2]float32{g.shapeLon[i], g.shapeLat[i]})
	}
	return append(buf, [2]float32{g.lon[b], g.lat[b]})
}

// Snap finds the nearest point on any road within maxMetres of p (math.Inf(1) for
// no limit).
func (s *Snapper) Snap(p orb.Point, maxMetres float64) (Snap, bool) {
	return s.nearest(&s.all, p, maxMetres)
}

// SnapPaved finds the nearest point on a paved road within maxMetres of p; its
// OffMetres is the straight-line distance to the nearest paved road.
func (s *Snapper) SnapPaved(p orb.Point, maxMetres float64) (Snap, bool) {
	s.pavedOnce.Do(func() { s.index(&s.paved, true) })
	return s.nearest(&s.paved, p, maxMetres)
}

// plane is an equirectangular projection centred on the query point, in metres. It
// is linear in lon/lat, so a box's distance in it is a true lower bound of the
// distance of anything inside the box, as the R-tree's nearest search requires;
// within the snapping radius its error is far below float32 coordinate precision.
type plane struct{ lon, lat, kx, ky float64 }

func newPlane(p orb.Point) plane {
	ky := orb.EarthRadius * math.Pi / 180
	return plane{p[0], p[1], ky * math.Cos(p[1]*math.Pi/180), ky}
}

// segment returns the squared distance from the plane's centre to segment a–b and
// the parameter (0 at a, 1 at b) of the closest point.
func (pl plane) segment(a, b [2]float32) (d2, u float64) {
	ax, ay := (float64(a[0])-pl.lon)*pl.kx, (float64(a[1])-pl.lat)*pl.ky
	bx, by := (float64(b[0])-pl.lon)*pl.kx, (float64(b[1])-pl.lat)*pl.ky
	dx, dy := bx-ax, by-ay
	if l2 := dx*dx + dy*dy; l2 > 0 {
		u = max(0, min(1, -(ax*dx+ay*dy)/l2))
	}
	x, y := ax+u*dx, ay+u*dy
	return x*x + y*y, u
}

// chunkNearest is the closest segment of one R-tree entry.
func (s *Snapper) chunkNearest(pl plane, data uint64, buf *[][2]float32) (d2 float64, seg int, u float64) {
	l, k := uint32(data>>32), int(uint32(data))
	*buf = s.linkPoints(l, (*buf)[:0])
	pts := *buf
	d2 = math.Inf(1)
	for i := k; i < min(k+chunk, len(pts)-1); i++ {
		if d, ui := pl.segment(pts[i], pts[i+1]); d < d2 {
			d2, seg, u = d, i, ui
		}
	}
	return d2, seg, u
}

func (s *Snapper) nearest(tr *rtree.RTreeGN[float32, uint64], p orb.Point, maxMetres float64) (Snap, bool) {
	if !(maxMetres >= 0) {
		return Snap{}, false
	}
	pl := newPlane(p)
	var buf [][2]float32
	// Entries arrive in order of their boxes' distance, a lower bound of their
	// segments' distance: measure segments exactly only until a box lies farther
	// than the best segment found, which is usually after a handful of entries.
	// The plane and great-circle distances differ by well under 1% at snapping
	// range; the final check below is on the great-circle distance.
	found, best, bestD2 := false, uint64(0), math.Inf(1)
	limD2 := 1.0201 * maxMetres * maxMetres
	tr.Nearby(func(lo, hi [2]float32, _ uint64, _ bool) float64 {
		var dx, dy float64
		if x0, x1 := float64(lo[0]), float64(hi[0]); p[0] < x0 {
			dx = x0 - p[0]
		} else if p[0] > x1 {
			dx = p[0] - x1
		}
		if y0, y1 := float64(lo[1]), float64(hi[1]); p[1] < y0 {
			dy = y0 - p[1]
		} else if p[1] > y1 {
			dy = p[1] - y1
		}
		dx, dy = dx*pl.kx, dy*pl.ky
		return dx*dx + dy*dy
	}, func(_, _ [2]float32, data uint64, boxD2 float64) bool {
		if boxD2 > bestD2 || boxD2 > limD2 {
			return false
		}
		if d2, _, _ := s.chunkNearest(pl, data, &buf); d2 < bestD2 {
			found, best, bestD2 = true, data, d2
		}
		return true
	})
	if !found {
		return Snap{}, false
	}
	l := uint32(best >> 32)
	_, seg, u := s.chunkNearest(pl, best, &buf)
	pts := buf
	a, b := pts[seg], pts[seg+1]
	at := orb.Point{
		float64(a[0]) + u*(float64(b[0])-float64(a[0])),
		float64(a[1]) + u*(float64(b[1])-float64(a[1])),
	}
	// T by great-circle length along the link, as the edge weights were made.
	var along, total float64
	for i := 0; i+1 < len(pts); i++ {
		d := geo.DistanceHaversine(pt(pts[i]), pt(pts[i+1]))
		if i < seg {
			along += d
		} else if i == seg {
			along += min(d, geo.DistanceHaversine(pt(pts[i]), at))
		}
		total += d
	}
	t := 0.0
	if total > 0 {
		t = min(1, along/total)
	}
	sn := Snap{Link: l, T: t, Point: at, OffMetres: geo.DistanceHaversine(p, at)}
	return sn, sn.OffMetres <= maxMetres
}

func pt(p [2]float32) orb.Point { return orb.Point{float64(p[0]), float64(p[1])} }

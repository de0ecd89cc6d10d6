// Package topo generalises a set of polygons that tile the plane without
// opening gaps or overlaps between them, the way TopoJSON and mapshaper do:
// the rings are cut into arcs at the points where the set of polygons on
// either side changes, each arc is simplified once, and the polygons are put
// back together from the simplified arcs. Two neighbours thus share the very
// same simplified border. The package is pure: no database, no I/O.
package topo

import (
	"math"
	"sort"

	"github.com/paulmach/orb"
)

// Topology is a set of polygons broken into shared arcs.
type Topology struct {
	arcs  [][]orb.Point // each arc once; a ring without junctions is one closed arc
	polys [][][]arcRef  // polygon → ring → its arcs in order (ring 0 of each part is an outer ring)
	parts [][]int       // polygon → the number of rings of each of its parts
	// Snapped is the number of vertices moved onto another polygon's vertex
	// (within the snap tolerance) before the arcs were built; Noded the
	// number of vertices put into another polygon's segment that passed
	// within the snap tolerance of them, so that both follow the same points.
	Snapped, Noded int
}

// arcRef is one arc used in a ring, forwards or backwards.
type arcRef struct {
	arc      int
	reversed bool
}

// Build breaks polys into arcs. Vertices closer than snap (in the units of
// the coordinates) are first merged into one, and a vertex of one polygon
// that lies within snap of another polygon's segment is put into that
// segment, so borders that were meant to be shared but differ by noise or by
// a sliver thinner than snap become shared; snap 0 merges only identical
// points. Empty parts and rings
// of fewer than three distinct points are left out.
func Build(polys []orb.MultiPolygon, snap float64) *Topology {
	t := &Topology{}
	sn := newSnapper(snap)
	rings := make([][][]orb.Point, len(polys)) // polygon → ring → points, closed, snapped
	t.parts = make([][]int, len(polys))
	for i, mp := range polys {
		for _, p := range mp {
			n := 0
			for _, r := range p {
				pts := sn.ring(r)
				if len(pts) < 4 {
					if n == 0 {
						break // no outer ring: the holes mean nothing
					}
					continue
				}
				rings[i] = append(rings[i], pts)
				n++
			}
			if n > 0 {
				t.parts[i] = append(t.parts[i], n)
			}
		}
	}
	t.Snapped = sn.moved
	t.Noded = node(rings, snap)

	// Junctions: points with more than two distinct neighbours, or where two
	// rings merely touch (a point used by rings whose edges there differ).
	neighbours := make(map[orb.Point][]orb.Point)
	addNeighbour := func(p, q orb.Point) {
		for _, n := range neighbours[p] {
			if n == q {
				return
			}
		}
		neighbours[p] = append(neighbours[p], q)
	}
	for _, rs := range rings {
		for _, r := range rs {
			for k := 0; k+1 < len(r); k++ {
				addNeighbour(r[k], r[k+1])
				addNeighbour(r[k+1], r[k])
			}
		}
	}
	junction := func(p orb.Point) bool { return len(neighbours[p]) != 2 }

	// Arcs are found by their first directed edge: an arc's interior points
	// have exactly two neighbours, so its first edge determines it.
	type edge struct{ a, b orb.Point }
	byEdge := make(map[edge]arcRef)
	t.polys = make([][][]arcRef, len(polys))
	for i, rs := range rings {
		for _, r := range rs {
			open := r[:len(r)-1] // without the closing point
			start := -1
			for k, p := range open {
				if junction(p) {
					start = k
					break
				}
			}
			var refs []arcRef
			if start < 0 {
				// No junction: one closed arc, started at its least point so
				// that every ring tracing the same loop starts it alike.
				start = 0
				for k, p := range open {
					if less(p, open[start]) {
						start = k
					}
				}
				pts := rotate(open, start)
				pts = append(pts, pts[0])
				// The loop may have been traced before, either way round:
				// both of its first edges are known then.
				if ref, ok := byEdge[edge{pts[0], pts[1]}]; ok {
					refs = append(refs, ref)
				} else {
					id := len(t.arcs)
					t.arcs = append(t.arcs, pts)
					byEdge[edge{pts[0], pts[1]}] = arcRef{id, false}
					byEdge[edge{pts[0], pts[len(pts)-2]}] = arcRef{id, true}
					refs = append(refs, arcRef{id, false})
				}
				t.polys[i] = append(t.polys[i], refs)
				continue
			}
			pts := rotate(open, start)
			pts = append(pts, pts[0])
			from := 0
			for k := 1; k < len(pts); k++ {
				if k < len(pts)-1 && !junction(pts[k]) {
					continue
				}
				piece := pts[from : k+1]
				e := edge{piece[0], piece[1]}
				ref, ok := byEdge[e]
				if !ok {
					id := len(t.arcs)
					t.arcs = append(t.arcs, append([]orb.Point(nil), piece...))
					ref = arcRef{id, false}
					byEdge[e] = ref
					n := len(piece)
					byEdge[edge{piece[n-1], piece[n-2]}] = arcRef{id, true}
				}
				refs = append(refs, ref)
				from = k
			}
			t.polys[i] = append(t.polys[i], refs)
		}
	}
	return t
}

// Arcs returns the number of distinct arcs.
func (t *Topology) Arcs() int { return len(t.arcs) }

// Simplify returns the polygons rebuilt from their arcs, each arc simplified
// once with Douglas–Peucker at tolerance tol, its ends kept. Neighbours share
// their simplified borders exactly. A ring that collapses (fewer than three
// distinct points) is left out; a polygon whose outer rings all collapse is
// an empty MultiPolygon. The result may self-intersect where an arc passes
// over another: callers repair it (PostGIS ST_MakeValid).
func (t *Topology) Simplify(tol float64) []orb.MultiPolygon {
	simple := make([][]orb.Point, len(t.arcs))
	tols := make([]float64, len(t.arcs))
	for i, a := range t.arcs {
		tols[i] = tol
		simple[i] = simplifyArc(a, tol)
	}
	// Arcs that cross or touch another (or themselves) after simplifying
	// would break the polygons they bound: simplify them less, and at last
	// not at all, until no arc crosses another.
	for round := 0; round < len(repairFactors); round++ {
		bad := crossings(simple)
		if len(bad) == 0 {
			break
		}
		for _, i := range bad {
			tols[i] *= repairFactors[round]
			simple[i] = simplifyArc(t.arcs[i], tols[i])
		}
	}
	out := make([]orb.MultiPolygon, len(t.polys))
	for i, rs := range t.polys {
		k := 0
		var mp orb.MultiPolygon
		for _, n := range t.parts[i] {
			var p orb.Polygon
			for j := 0; j < n; j++ {
				r := ring(rs[k+j], simple)
				if len(r) < 4 {
					if j == 0 {
						break // the outer ring collapsed: so does the part
					}
					continue
				}
				p = append(p, r)
			}
			k += n
			if len(p) > 0 {
				mp = append(mp, p)
			}
		}
		out[i] = mp
	}
	return out
}

// node puts into each ring's segments the vertices of other polygons' rings
// that lie within tol of the segment (and farther than tol from its ends),
// in order along it, and returns how many it put in. Segments are found
// through a grid of cells at least a few tol wide.
func node(rings [][][]orb.Point, tol float64) int {
	if tol <= 0 {
		return 0
	}
	type segRef struct{ poly, ring, k int }
	// Cells about as wide as a typical segment, so each segment is in a few.
	total, n := 0.0, 0
	for _, rs := range rings {
		for _, r := range rs {
			for k := 0; k+1 < len(r); k++ {
				total += math.Sqrt(dist2(r[k], r[k+1]))
				n++
			}
		}
	}
	if n == 0 {
		return 0
	}
	cell := math.Max(total/float64(n), 4*tol)
	key := func(x, y float64) [2]int64 { return [2]int64{int64(math.Floor(x / cell)), int64(math.Floor(y / cell))} }
	grid := map[[2]int64][]segRef{}
	for i, rs := range rings {
		for j, r := range rs {
			for k := 0; k+1 < len(r); k++ {
				lo := key(math.Min(r[k][0], r[k+1][0])-tol, math.Min(r[k][1], r[k+1][1])-tol)
				hi := key(math.Max(r[k][0], r[k+1][0])+tol, math.Max(r[k][1], r[k+1][1])+tol)
				for x := lo[0]; x <= hi[0]; x++ {
					for y := lo[1]; y <= hi[1]; y++ {
						grid[[2]int64{x, y}] = append(grid[[2]int64{x, y}], segRef{i, j, k})
					}
				}
			}
		}
	}
	type insert struct {
		u float64 // position along the segment, 0..1
		p orb.Point
	}
	inserts := map[segRef][]insert{}
	tol2 := tol * tol
	count := 0
	for i, rs := range rings {
		for _, r := range rs {
			for _, v := range r[:len(r)-1] {
				for _, sr := range grid[key(v[0], v[1])] {
					if sr.poly == i {
						continue
					}
					a, b := rings[sr.poly][sr.ring][sr.k], rings[sr.poly][sr.ring][sr.k+1]
					if dist2(v, a) <= tol2 || dist2(v, b) <= tol2 || segDist2(v, a, b) > tol2 {
						continue
					}
					dx, dy := b[0]-a[0], b[1]-a[1]
					u := ((v[0]-a[0])*dx + (v[1]-a[1])*dy) / (dx*dx + dy*dy)
					dup := false
					for _, in := range inserts[sr] {
						dup = dup || in.p == v
					}
					if !dup {
						inserts[sr] = append(inserts[sr], insert{u, v})
						count++
					}
				}
			}
		}
	}
	if count == 0 {
		return 0
	}
	for i, rs := range rings {
		for j, r := range rs {
			var out []orb.Point
			for k := 0; k+1 < len(r); k++ {
				out = append(out, r[k])
				ins := inserts[segRef{i, j, k}]
				sort.Slice(ins, func(x, y int) bool { return ins[x].u < ins[y].u })
				for _, in := range ins {
					out = append(out, in.p)
				}
			}
			rings[i][j] = append(out, r[len(r)-1])
		}
	}
	return count
}

// repairFactors scale the tolerance of an arc that crosses another, round
// after round; the last round restores the arc as it was.
var repairFactors = []float64{0.25, 0.25, 0}

// segment is one segment of a simplified arc.
type segment struct {
	arc, k int // arc and index of its first point
	a, b   orb.Point
	minX   float64
}

// crossings returns the arcs (in order, each once) with a segment that
// crosses or touches a segment of another arc, or a non-adjacent one of its
// own, other than at a shared end point; a shared end point counts too when
// the segments overlap along a line.
func crossings(arcs [][]orb.Point) []int {
	var segs []segment
	for i, a := range arcs {
		for k := 0; k+1 < len(a); k++ {
			segs = append(segs, segment{arc: i, k: k, a: a[k], b: a[k+1], minX: math.Min(a[k][0], a[k+1][0])})
		}
	}
	sort.Slice(segs, func(i, j int) bool { return segs[i].minX < segs[j].minX })
	bad := map[int]bool{}
	var active []int // indices into segs whose max x may still reach the sweep
	for i := range segs {
		s := &segs[i]
		keep := active[:0]
		for _, j := range active {
			o := &segs[j]
			if math.Max(o.a[0], o.b[0]) < s.minX {
				continue // left behind by the sweep
			}
			keep = append(keep, j)
			if math.Max(s.a[1], s.b[1]) < math.Min(o.a[1], o.b[1]) || math.Max(o.a[1], o.b[1]) < math.Min(s.a[1], s.b[1]) {
				continue
			}
			if adjacent(s, o, arcs) {
				continue
			}
			if conflict(s.a, s.b, o.a, o.b) {
				bad[s.arc], bad[o.arc] = true, true
			}
		}
		active = append(keep, i)
	}
	out := make([]int, 0, len(bad))
	for i := range bad {
		out = append(out, i)
	}
	sort.Ints(out)
	return out
}

// adjacent reports whether s and o follow each other in one arc (the last
// and the first segment of a closed arc too).
func adjacent(s, o *segment, arcs [][]orb.Point) bool {
	if s.arc != o.arc {
		return false
	}
	d := s.k - o.k
	if d == 1 || d == -1 {
		return true
	}
	n := len(arcs[s.arc]) - 1 // segments
	a := arcs[s.arc]
	return a[0] == a[n] && (s.k == 0 && o.k == n-1 || o.k == 0 && s.k == n-1)
}

// conflict reports whether segments ab and cd meet anywhere but at one
// shared end point.
func conflict(a, b, c, d orb.Point) bool {
	shared := a == c || a == d || b == c || b == d
	if shared {
		if a == c && b == d || a == d && b == c {
			return true // the same segment twice
		}
		// One point in common: a conflict only if they overlap along a line.
		var p, q, r orb.Point // p shared; q on ab, r on cd, the other ends
		switch {
		case a == c:
			p, q, r = a, b, d
		case a == d:
			p, q, r = a, b, c
		case b == c:
			p, q, r = b, a, d
		default:
			p, q, r = b, a, c
		}
		return orient(p, q, r) == 0 && (q[0]-p[0])*(r[0]-p[0])+(q[1]-p[1])*(r[1]-p[1]) > 0
	}
	o1, o2 := orient(a, b, c), orient(a, b, d)
	o3, o4 := orient(c, d, a), orient(c, d, b)
	if o1 != o2 && o3 != o4 && o1 != 0 && o2 != 0 && o3 != 0 && o4 != 0 {
		return true
	}
	return o1 == 0 && onSegment(a, b, c) || o2 == 0 && onSegment(a, b, d) ||
		o3 == 0 && onSegment(c, d, a) || o4 == 0 && onSegment(c, d, b) ||
		(o1 != o2 && o3 != o4)
}

// orient is the sign of the turn a → b → c: 1 left, -1 right, 0 straight.
func orient(a, b, c orb.Point) int {
	v := (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// onSegment reports whether p, collinear with ab, lies within its box.
func onSegment(a, b, p orb.Point) bool {
	return math.Min(a[0], b[0]) <= p[0] && p[0] <= math.Max(a[0], b[0]) &&
		math.Min(a[1], b[1]) <= p[1] && p[1] <= math.Max(a[1], b[1])
}

// ring joins the simplified arcs of one ring into a closed ring, without
// repeated consecutive points; fewer than four points means it collapsed.
func ring(refs []arcRef, arcs [][]orb.Point) orb.Ring {
	var r orb.Ring
	add := func(p orb.Point) {
		if len(r) == 0 || r[len(r)-1] != p {
			r = append(r, p)
		}
	}
	for _, ref := range refs {
		a := arcs[ref.arc]
		if ref.reversed {
			for k := len(a) - 1; k >= 0; k-- {
				add(a[k])
			}
		} else {
			for _, p := range a {
				add(p)
			}
		}
	}
	if len(r) > 0 && r[0] != r[len(r)-1] {
		r = append(r, r[0])
	}
	// Distinct points: a ring going out and back along one line (u, v, u) has none inside.
	distinct := map[orb.Point]bool{}
	for _, p := range r {
		distinct[p] = true
	}
	if len(distinct) < 3 || math.Abs(area(r)) == 0 {
		return nil
	}
	return r
}

// simplifyArc is Douglas–Peucker keeping both ends. A closed arc keeps its
// start and the point farthest from it, and the two halves are simplified
// separately, so a loop is never reduced to a line through one point.
func simplifyArc(a []orb.Point, tol float64) []orb.Point {
	if len(a) <= 2 || tol <= 0 {
		return append([]orb.Point(nil), a...)
	}
	keep := make([]bool, len(a))
	keep[0], keep[len(a)-1] = true, true
	if a[0] == a[len(a)-1] {
		far, best := 0, -1.0
		for k := 1; k < len(a)-1; k++ {
			if d := dist2(a[0], a[k]); d > best {
				far, best = k, d
			}
		}
		keep[far] = true
		dp(a, 0, far, tol*tol, keep)
		dp(a, far, len(a)-1, tol*tol, keep)
	} else {
		dp(a, 0, len(a)-1, tol*tol, keep)
	}
	var out []orb.Point
	for k, p := range a {
		if keep[k] {
			out = append(out, p)
		}
	}
	return out
}

// dp marks the points of a[i..j] that Douglas–Peucker keeps, with an explicit
// stack (real borders have arcs of thousands of points).
func dp(a []orb.Point, i, j int, tol2 float64, keep []bool) {
	type span struct{ i, j int }
	stack := []span{{i, j}}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		far, best := -1, tol2
		for k := s.i + 1; k < s.j; k++ {
			if d := segDist2(a[k], a[s.i], a[s.j]); d > best {
				far, best = k, d
			}
		}
		if far >= 0 {
			keep[far] = true
			stack = append(stack, span{s.i, far}, span{far, s.j})
		}
	}
}

// segDist2 is the squared distance from p to the segment ab.
func segDist2(p, a, b orb.Point) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	l2 := dx*dx + dy*dy
	if l2 == 0 {
		return dist2(p, a)
	}
	u := ((p[0]-a[0])*dx + (p[1]-a[1])*dy) / l2
	u = math.Max(0, math.Min(1, u))
	return dist2(p, orb.Point{a[0] + u*dx, a[1] + u*dy})
}

func dist2(p, q orb.Point) float64 {
	dx, dy := p[0]-q[0], p[1]-q[1]
	return dx*dx + dy*dy
}

// area is the signed shoelace area of a closed ring.
func area(r orb.Ring) float64 {
	s := 0.0
	for k := 0; k+1 < len(r); k++ {
		s += r[k][0]*r[k+1][1] - r[k+1][0]*r[k][1]
	}
	return s / 2
}

func less(p, q orb.Point) bool {
	if p[0] != q[0] {
		return p[0] < q[0]
	}
	return p[1] < q[1]
}

// rotate returns open (a ring without its closing point) starting at k.
func rotate(open []orb.Point, k int) []orb.Point {
	out := make([]orb.Point, 0, len(open)+1)
	out = append(out, open[k:]...)
	return append(out, open[:k]...)
}

// snapper merges points closer than tol into the first one seen, with a grid
// of cells tol wide.
type snapper struct {
	tol   float64
	cells map[[2]int64][]orb.Point
	moved int
}

func newSnapper(tol float64) *snapper {
	return &snapper{tol: tol, cells: make(map[[2]int64][]orb.Point)}
}

func (s *snapper) point(p orb.Point) orb.Point {
	if s.tol <= 0 {
		return p
	}
	cx, cy := int64(math.Floor(p[0]/s.tol)), int64(math.Floor(p[1]/s.tol))
	best, found := p, false
	bestD := s.tol * s.tol
	for dx := int64(-1); dx <= 1; dx++ {
		for dy := int64(-1); dy <= 1; dy++ {
			for _, q := range s.cells[[2]int64{cx + dx, cy + dy}] {
				if q == p {
					return p
				}
				if d := dist2(p, q); d <= bestD {
					best, bestD, found = q, d, true
				}
			}
		}
	}
	if found {
		s.moved++
		return best
	}
	k := [2]int64{cx, cy}
	s.cells[k] = append(s.cells[k], p)
	return p
}

// ring snaps the points of r and returns it closed, without repeated
// consecutive points.
func (s *snapper) ring(r orb.Ring) []orb.Point {
	var out []orb.Point
	for _, p := range r {
		q := s.point(p)
		if len(out) == 0 || out[len(out)-1] != q {
			out = append(out, q)
		}
	}
	if len(out) > 0 && out[0] != out[len(out)-1] {
		out = append(out, out[0])
	}
	// A spike (…, a, b, a, …) left by snapping goes out and back: drop it.
	for changed := true; changed && len(out) >= 4; {
		changed = false
		for k := 1; k+1 < len(out); k++ {
			if out[k-1] == out[k+1] {
				out = append(out[:k], out[k+2:]...)
				changed = true
				break
			}
		}
	}
	distinct := map[orb.Point]bool{}
	for _, p := range out {
		distinct[p] = true
	}
	if len(distinct) < 3 {
		return nil
	}
	return out
}

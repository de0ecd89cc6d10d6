package route

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
)

// Road is one road as stored: a LineString in WGS84 lon/lat.
type Road struct {
	ID   int64
	Line orb.LineString
	// Nodes are the OpenStreetMap node ids of Line's vertices, one per vertex, or
	// nil for a road that does not come from OpenStreetMap. Roads that carry them
	// meet where they share a node id, not merely a coordinate (see Build).
	Nodes []int64
	// Class is the OSM highway class (primary, residential, track, …), or
	// FerryClass for a ferry route.
	Class string
	Paved bool
	// PavedAssumed says Paved comes from the class-based assumption for a road
	// without a surface tag, not from a tag (the importer documents the rule).
	PavedAssumed bool
	// MaxspeedKmh is the tagged speed limit when positive: it can slow a road
	// below its class's typical speed but never speed it up (Speeds.roadKmh).
	MaxspeedKmh float64
	// SpeedKmh, when positive, is the road's own travel speed, used instead of
	// the Speeds table and MaxspeedKmh: a speed measured or designed for a road
	// that does not come from OpenStreetMap. 0 means "from the table".
	SpeedKmh float64
	// Oneway allows travel only in the direction of Line. The importer reverses the
	// line of an oneway=-1 way.
	Oneway bool
}

// ErrInvalidRoad is wrapped by Build's errors about a road it cannot use.
var ErrInvalidRoad = errors.New("invalid road")

// none marks a missing edge or node.
const none = ^uint32(0)

// Graph is the road network in compressed sparse rows.
//
// A node is a road end or a coordinate shared by two or more road vertices; a link is
// the stretch of one road between two consecutive nodes, with the vertices in between
// kept only as shape for snapping. Each link gives one directed edge per allowed
// direction. Edges are grouped by their head node (incoming adjacency), because the
// only search the package runs goes backwards from the facilities; see the package
// documentation.
type Graph struct {
	// Incoming edges of node v are offsets[v]..offsets[v+1]; edge e runs from tail[e]
	// to v and costs secs[e] seconds and metres[e] metres.
	offsets []uint32
	tail    []uint32
	secs    []float32
	metres  []float32
	lon     []float32 // per node
	lat     []float32

	// Per link: its A→B and B→A edges (none when one-way), the index of its road in
	// Build's input, and its shape points shapeOff[l]..shapeOff[l+1] (between A and B).
	linkFwd  []uint32
	linkBwd  []uint32
	linkRoad []uint32
	shapeOff []uint32
	shapeLon []float32
	shapeLat []float32
	paved    []uint64 // bitset by link

	scratch scratchPool
}

// Build makes the graph. Roads are split at shared vertices only: two roads that
// cross without a common vertex do not connect (a bridge, in OSM terms). A vertex is
// shared when two roads carry the same OSM node id there (Road.Nodes), which is how
// OpenStreetMap says roads meet: a bridge that passes over a street at the same
// coordinate, on a node of its own, does not connect to it, whatever its layer.
// Vertices of roads without node ids are shared by exact coordinate, and such a
// vertex also joins the OSM nodes at its coordinate, so that a road added from
// another source (a planned road, say) connects where it ends on the network.
// Edge lengths are the sum of great-circle lengths of the road's segments; times
// use sp.
func Build(roads []Road, sp Speeds) (*Graph, error) {
	total, byID := 0, 0
	kmh := make([]float64, len(roads))
	for i, r := range roads {
		if len(r.Line) < 2 {
			return nil, fmt.Errorf("route.Build: road %d (#%d): %w: %d points", r.ID, i, ErrInvalidRoad, len(r.Line))
		}
		if r.Nodes != nil {
			if len(r.Nodes) != len(r.Line) {
				return nil, fmt.Errorf("route.Build: road %d (#%d): %w: %d node ids for %d points", r.ID, i, ErrInvalidRoad, len(r.Nodes), len(r.Line))
			}
			byID += len(r.Line)
		}
		for _, p := range r.Line {
			if !(p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90) {
				return nil, fmt.Errorf("route.Build: road %d (#%d): %w: point %v", r.ID, i, ErrInvalidRoad, p)
			}
		}
		kmh[i] = sp.roadKmh(r)
		if !(kmh[i] > 0) || math.IsInf(kmh[i], 0) {
			return nil, fmt.Errorf("route.Build: road %d (#%d, class %q): %w: speed %v km/h", r.ID, i, r.Class, ErrInvalidRoad, kmh[i])
		}
		total += len(r.Line)
	}
	if total >= math.MaxUint32/2 {
		return nil, fmt.Errorf("route.Build: %d road vertices: more than the graph can index", total)
	}

	// Pass 1: give every distinct vertex (node id, else coordinate) an id and count
	// its uses; a road end counts as two so that it always becomes a node.
	vt := newVertexTable(total-byID, byID)
	vids := make([]uint32, 0, total)
	for _, r := range roads {
		last := len(r.Line) - 1
		for j, p := range r.Line {
			var id uint32
			if r.Nodes != nil {
				id = vt.internID(r.Nodes[j], p)
			} else {
				id = vt.intern(p)
			}
			vids = append(vids, id)
			if j == 0 || j == last {
				vt.uses[id] = 2
			} else if vt.uses[id] < 2 {
				vt.uses[id]++
			}
		}
	}
	if byID > 0 && byID < total {
		vt.joinCoordinates(vids)
	}

	// Pass 2: walk every road, cutting it into links at node vertices.
	nodeOf := make([]uint32, len(vt.lon))
	for i := range nodeOf {
		nodeOf[i] = none
	}
	// Sized for the worst case (every vertex a node) so that append never copies;
	// trim gives back the spare room.
	segs := total - len(roads)
	g := &Graph{
		shapeOff: append(make([]uint32, 0, segs+1), 0),
		lon:      make([]float32, 0, len(vt.lon)),
		lat:      make([]float32, 0, len(vt.lon)),
		shapeLon: make([]float32, 0, segs),
		shapeLat: make([]float32, 0, segs),
		linkRoad: make([]uint32, 0, segs),
		paved:    make([]uint64, 0, segs/64+1),
	}
	linkA, linkB := make([]uint32, 0, segs), make([]uint32, 0, segs)
	linkM, linkS := make([]float32, 0, segs), make([]float32, 0, segs)
	oneway := make([]bool, 0, segs)
	node := func(v uint32) uint32 {
		if nodeOf[v] == none {
			nodeOf[v] = uint32(len(g.lon))
			g.lon = append(g.lon, float32(vt.lon[v]))
			g.lat = append(g.lat, float32(vt.lat[v]))
		}
		return nodeOf[v]
	}
	k := 0
	for ri, r := range roads {
		ids := vids[k : k+len(r.Line)]
		k += len(r.Line)
		mps := kmh[ri] / 3.6
		a := node(ids[0])
		metres := 0.0
		for j := 1; j < len(ids); j++ {
			metres += geo.DistanceHaversine(r.Line[j-1], r.Line[j])
			if vt.uses[ids[j]] < 2 {
				g.shapeLon = append(g.shapeLon, float32(r.Line[j][0]))
				g.shapeLat = append(g.shapeLat, float32(r.Line[j][1]))
				continue
			}
			b := node(ids[j])
			start := g.shapeOff[len(g.shapeOff)-1]
			if a == b && metres == 0 && int(start) == len(g.shapeLon) {
				continue // a repeated vertex: nothing to travel or snap to
			}
			l := len(linkA)
			linkA = append(linkA, a)
			linkB = append(linkB, b)
			linkM = append(linkM, float32(metres))
			linkS = append(linkS, float32(metres/mps))
			oneway = append(oneway, r.Oneway)
			g.linkRoad = append(g.linkRoad, uint32(ri))
			g.shapeOff = append(g.shapeOff, uint32(len(g.shapeLon)))
			if r.Paved && r.Class != FerryClass { // a ferry is never a paved road
				for len(g.paved) <= l/64 {
					g.paved = append(g.paved, 0)
				}
				g.paved[l/64] |= 1 << (l % 64)
			}
			a, metres = b, 0
		}
	}
	nLinks := len(linkA)
	for len(g.paved) < (nLinks+63)/64 {
		g.paved = append(g.paved, 0)
	}

	hilbertOrder(g.lon, g.lat, linkA, linkB)

	// Incoming CSR: the A→B edge of a link sits in B's row, the B→A edge in A's.
	n := len(g.lon)
	g.offsets = make([]uint32, n+1)
	for l := range nLinks {
		g.offsets[linkB[l]+1]++
		if !oneway[l] {
			g.offsets[linkA[l]+1]++
		}
	}
	for v := range n {
		g.offsets[v+1] += g.offsets[v]
	}
	m := g.offsets[n]
	g.tail = make([]uint32, m)
	g.secs = make([]float32, m)
	g.metres = make([]float32, m)
	g.linkFwd = make([]uint32, nLinks)
	g.linkBwd = make([]uint32, nLinks)
	next := make([]uint32, n)
	copy(next, g.offsets[:n])
	put := func(from, to uint32, l int) uint32 {
		e := next[to]
		next[to]++
		g.tail[e], g.secs[e], g.metres[e] = from, linkS[l], linkM[l]
		return e
	}
	for l := range nLinks {
		g.linkFwd[l] = put(linkA[l], linkB[l], l)
		g.linkBwd[l] = none
		if !oneway[l] {
			g.linkBwd[l] = put(linkB[l], linkA[l], l)
		}
	}
	g.lon, g.lat, g.paved = trim(g.lon), trim(g.lat), trim(g.paved)
	g.shapeLon, g.shapeLat = trim(g.shapeLon), trim(g.shapeLat)
	g.shapeOff, g.linkRoad = trim(g.shapeOff), trim(g.linkRoad)
	return g, nil
}

// trim drops the spare capacity left by append, which Bytes would otherwise hide.
func trim[T any](s []T) []T {
	if cap(s) == len(s) {
		return s
	}
	return append(make([]T, 0, len(s)), s...)
}

// vertexTable interns vertices: by OSM node id for roads that carry them, else by
// exact coordinate. It is two open-addressing hash tables over one set of vertex
// arrays, because a Go map of [2]float64 or int64 costs several times the memory
// and time at country scale.
type vertexTable struct {
	slots    []uint32 // coordinate-keyed: vertex id + 1; 0 is empty
	mask     uint64
	idSlots  []uint32 // node-id-keyed: vertex id + 1; 0 is empty
	idMask   uint64
	lon, lat []float64
	uses     []uint8
	// node is the node id of each vertex, noNode for one interned by
	// coordinate; only kept when some road carries node ids.
	node []int64
}

// noNode marks a vertex interned by coordinate (OSM has no such node id).
const noNode = math.MinInt64

// newVertexTable sizes the tables for at most byCoord vertices interned by
// coordinate and byID by node id.
func newVertexTable(byCoord, byID int) *vertexTable {
	size := func(n int) int {
		s := 16
		for s < 2*n {
			s *= 2
		}
		return s
	}
	t := &vertexTable{}
	if byCoord > 0 || byID == 0 {
		n := size(byCoord)
		t.slots, t.mask = make([]uint32, n), uint64(n-1)
	}
	if byID > 0 {
		n := size(byID)
		t.idSlots, t.idMask = make([]uint32, n), uint64(n-1)
		t.node = make([]int64, 0, byID/2) // a first guess at the distinct vertices; append grows it
	}
	return t
}

// internID interns the vertex of OSM node id at p (its first coordinate wins).
func (t *vertexTable) internID(id int64, p orb.Point) uint32 {
	h := uint64(id) * 0x9E3779B97F4A7C15
	h ^= h >> 31
	for i := h & t.idMask; ; i = (i + 1) & t.idMask {
		s := t.idSlots[i]
		if s == 0 {
			v := uint32(len(t.lon))
			t.idSlots[i] = v + 1
			t.add(p[0]+0, p[1]+0)
			t.node[v] = id
			return v
		}
		if t.node[s-1] == id {
			return s - 1
		}
	}
}

func (t *vertexTable) add(x, y float64) {
	t.lon = append(t.lon, x)
	t.lat = append(t.lat, y)
	t.uses = append(t.uses, 0)
	if t.idSlots != nil {
		t.node = append(t.node, noNode)
	}
}

// lookup is the coordinate-keyed vertex at p, if any.
func (t *vertexTable) lookup(p orb.Point) (uint32, bool) {
	x, y := p[0]+0, p[1]+0
	for i := coordHash(x, y) & t.mask; ; i = (i + 1) & t.mask {
		s := t.slots[i]
		if s == 0 {
			return 0, false
		}
		if t.lon[s-1] == x && t.lat[s-1] == y {
			return s - 1, true
		}
	}
}

// joinCoordinates merges every vertex interned by node id into the
// coordinate-keyed vertex at the same coordinate, if there is one, rewriting
// vids and the use counts: a road without node ids meets the OSM roads where it
// shares a coordinate with them, as all roads did before node ids.
func (t *vertexTable) joinCoordinates(vids []uint32) {
	alias := map[uint32]uint32{}
	for v, id := range t.node {
		if id == noNode {
			continue
		}
		if c, ok := t.lookup(orb.Point{t.lon[v], t.lat[v]}); ok {
			alias[uint32(v)] = c
		}
	}
	if len(alias) == 0 {
		return
	}
	for i, v := range vids {
		if c, ok := alias[v]; ok {
			vids[i] = c
		}
	}
	for v, c := range alias {
		t.uses[c] = min(2, t.uses[c]+t.uses[v])
		t.uses[v] = 0
	}
}

func coordHash(x, y float64) uint64 {
	h := math.Float64bits(x)*0x9E3779B97F4A7C15 ^ math.Float64bits(y)*0xC2B2AE3D27D4EB4F
	return h ^ h>>31
}

func (t *vertexTable) intern(p orb.Point) uint32 {
	x, y := p[0]+0, p[1]+0 // +0 turns -0 into 0, so that equal values hash equally
	for i := coordHash(x, y) & t.mask; ; i = (i + 1) & t.mask {
		s := t.slots[i]
		if s == 0 {
			id := uint32(len(t.lon))
			t.slots[i] = id + 1
			t.add(x, y)
			return id
		}
		if t.lon[s-1] == x && t.lat[s-1] == y {
			return s - 1
		}
	}
}

// Nodes is the number of nodes.
func (g *Graph) Nodes() int { return len(g.lon) }

// Edges is the number of directed edges.
func (g *Graph) Edges() int { return len(g.tail) }

// Links is the number of links (road stretches between two nodes).
func (g *Graph) Links() int { return len(g.linkFwd) }

// Bytes is the memory held by the graph's arrays: nodes, edges, links and shape.
func (g *Graph) Bytes() int {
	return 4*(len(g.offsets)+len(g.tail)+len(g.linkFwd)+len(g.linkBwd)+len(g.linkRoad)+len(g.shapeOff)) +
		4*(len(g.secs)+len(g.metres)+len(g.lon)+len(g.lat)+len(g.shapeLon)+len(g.shapeLat)) +
		8*len(g.paved)
}

// Node is the position of node v.
func (g *Graph) Node(v uint32) orb.Point {
	return orb.Point{float64(g.lon[v]), float64(g.lat[v])}
}

// EdgeList calls fn for every directed edge u→v with its weights, e.g. to load the
// same graph into pgRouting. Node ids are 0-based.
func (g *Graph) EdgeList(fn func(u, v uint32, secs, metres float32)) {
	for v := range len(g.lon) {
		for e := g.offsets[v]; e < g.offsets[v+1]; e++ {
			fn(g.tail[e], uint32(v), g.secs[e], g.metres[e])
		}
	}
}

// head is the node edge e enters: its row in the incoming CSR.
func (g *Graph) head(e uint32) uint32 {
	return uint32(sort.Search(len(g.lon), func(v int) bool { return g.offsets[v+1] > e }))
}

// LinkEnds is the first (A) and last (B) node of link l, in the road's direction.
func (g *Graph) LinkEnds(l uint32) (a, b uint32) {
	if e := g.linkFwd[l]; e != none {
		return g.tail[e], g.head(e)
	}
	e := g.linkBwd[l]
	return g.head(e), g.tail[e]
}

// LinkRoad is the index, in the slice given to Build, of the road link l belongs to.
func (g *Graph) LinkRoad(l uint32) int { return int(g.linkRoad[l]) }

// LinkPaved says whether link l is paved.
func (g *Graph) LinkPaved(l uint32) bool { return g.paved[l/64]&(1<<(l%64)) != 0 }

// LinkLine is the geometry of link l from A to B (float32 precision, ~1 m).
func (g *Graph) LinkLine(l uint32) orb.LineString {
	a, b := g.LinkEnds(l)
	ls := orb.LineString{g.Node(a)}
	for i := g.shapeOff[l]; i < g.shapeOff[l+1]; i++ {
		ls = append(ls, orb.Point{float64(g.shapeLon[i]), float64(g.shapeLat[i])})
	}
	return append(ls, g.Node(b))
}

// hilbertOrder renumbers the nodes along a Hilbert curve, so that nodes near each
// other on the ground are near each other in memory. Dijkstra's frontier is local,
// so this turns most of its random memory accesses into cache hits.
func hilbertOrder(lon, lat []float32, linkA, linkB []uint32) {
	n := len(lon)
	if n < 2 {
		return
	}
	x0, x1, y0, y1 := lon[0], lon[0], lat[0], lat[0]
	for i := range n {
		x0, x1 = min(x0, lon[i]), max(x1, lon[i])
		y0, y1 = min(y0, lat[i]), max(y1, lat[i])
	}
	const side = 1 << 16
	sx := float64(side-1) / math.Max(float64(x1-x0), 1e-9)
	sy := float64(side-1) / math.Max(float64(y1-y0), 1e-9)
	type keyed struct {
		key uint64
		id  uint32
	}
	ks := make([]keyed, n)
	for i := range n {
		x := uint32(float64(lon[i]-x0) * sx)
		y := uint32(float64(lat[i]-y0) * sy)
		ks[i] = keyed{hilbert(side, x, y)<<32 | uint64(i), uint32(i)}
	}
	slices.SortFunc(ks, func(a, b keyed) int { return cmp.Compare(a.key, b.key) })
	newID := make([]uint32, n)
	lon2, lat2 := make([]float32, n), make([]float32, n)
	for r, k := range ks {
		newID[k.id] = uint32(r)
		lon2[r], lat2[r] = lon[k.id], lat[k.id]
	}
	copy(lon, lon2)
	copy(lat, lat2)
	for l := range linkA {
		linkA[l], linkB[l] = newID[linkA[l]], newID[linkB[l]]
	}
}

// hilbert is the distance of (x, y) along the Hilbert curve filling a side×side square.
func hilbert(side, x, y uint32) uint64 {
	var d uint64
	for s := side / 2; s > 0; s /= 2 {
		var rx, ry uint32
		if x&s != 0 {
			rx = 1
		}
		if y&s != 0 {
			ry = 1
		}
		d += uint64(s) * uint64(s) * uint64((3*rx)^ry)
		if ry == 0 {
			if rx == 1 {
				x, y = side-1-x, side-1-y
			}
			x, y = y, x
		}
	}
	return d
}

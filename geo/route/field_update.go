package route

import (
	"fmt"
	"math"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
)

// This file updates a multi-source Field in place when the sources or the edges
// change a little, for scenario evaluation: each update settles only the nodes
// whose cost changes, and a Journal takes every change back afterwards, so that
// one baseline field serves many evaluations without a copy.

// OutIndex lists every node's outgoing edges; the graph itself only keeps
// incoming ones. Removing a source needs it to find the edges that leave the
// region the source served. Build it once per graph.
type OutIndex struct {
	off  []uint32 // edges leaving u are edge[off[u]:off[u+1]]
	edge []uint32
	head []uint32 // per edge id: the node it enters
}

// NewOutIndex indexes g's edges by their tail.
func (g *Graph) NewOutIndex() *OutIndex {
	n, m := g.Nodes(), g.Edges()
	x := &OutIndex{off: make([]uint32, n+1), edge: make([]uint32, m), head: make([]uint32, m)}
	for _, u := range g.tail {
		x.off[u+1]++
	}
	for u := range n {
		x.off[u+1] += x.off[u]
	}
	next := make([]uint32, n)
	copy(next, x.off[:n])
	for v := range n {
		for e := g.offsets[v]; e < g.offsets[v+1]; e++ {
			u := g.tail[e]
			x.edge[next[u]] = e
			next[u]++
			x.head[e] = uint32(v)
		}
	}
	return x
}

// Journal records the state a Field had before an Editor changed it, so that Undo
// restores it exactly.
type Journal struct {
	nodes []journalNode
	saved []fieldSave
}

type journalNode struct {
	f           *Field
	v           uint32
	cost, other float64
	from        int32
}

type fieldSave struct {
	f      *Field
	ids    int
	onLink []linkSource
	clean  bool
}

func (j *Journal) node(f *Field, v uint32) {
	j.nodes = append(j.nodes, journalNode{f, v, f.Cost[v], f.Other[v], f.From[v]})
}

// field saves f's sources the first time f changes.
func (j *Journal) field(f *Field) {
	for _, s := range j.saved {
		if s.f == f {
			return
		}
	}
	j.saved = append(j.saved, fieldSave{f, len(f.IDs), append([]linkSource(nil), f.onLink...), f.clean})
	f.clean = false // reached no longer lists every finite node
}

// Undo restores every field the journal saw to its state before the first change.
func (j *Journal) Undo() {
	for i := len(j.nodes) - 1; i >= 0; i-- {
		n := j.nodes[i]
		n.f.Cost[n.v], n.f.Other[n.v], n.f.From[n.v] = n.cost, n.other, n.from
	}
	for _, s := range j.saved {
		s.f.IDs = s.f.IDs[:s.ids]
		s.f.onLink = s.onLink
		s.f.clean = s.clean
	}
	j.nodes, j.saved = j.nodes[:0], j.saved[:0]
}

// Editor changes fields of one graph: sources added and removed, links made
// faster, links added. Its edge changes (a Patch over the graph, which stays
// unchanged) apply to every field it edits afterwards and to its At.
type Editor struct {
	g   *Graph
	out *OutIndex
	sp  Speeds
	j   *Journal

	secs map[uint32]float32 // edge id → new seconds (metres unchanged)
	// Added edges have ids from g.Edges() on, added links from g.Links() on.
	xTail, xHead     []uint32
	xSecs, xMetres   []float32
	xIn, xOut        map[uint32][]uint32 // node → added edge ids entering / leaving it
	xLinkFwd, xLinkB []uint32
}

// NewEditor starts an editor; every field change goes into j.
func (g *Graph) NewEditor(out *OutIndex, sp Speeds, j *Journal) *Editor {
	return &Editor{g: g, out: out, sp: sp, j: j, secs: map[uint32]float32{}, xIn: map[uint32][]uint32{}, xOut: map[uint32][]uint32{}}
}

// weight is edge e's cost and other metric under metric m, with the patch.
func (ed *Editor) weight(e uint32, m Metric) (w, o float64) {
	var s, mt float32
	if int(e) >= len(ed.g.tail) {
		k := int(e) - len(ed.g.tail)
		s, mt = ed.xSecs[k], ed.xMetres[k]
	} else {
		s, mt = ed.g.secs[e], ed.g.metres[e]
		if len(ed.secs) > 0 {
			if v, ok := ed.secs[e]; ok {
				s = v
			}
		}
	}
	if m == ByLength {
		return float64(mt), float64(s)
	}
	return float64(s), float64(mt)
}

func (ed *Editor) tailOf(e uint32) uint32 {
	if int(e) >= len(ed.g.tail) {
		return ed.xTail[int(e)-len(ed.g.tail)]
	}
	return ed.g.tail[e]
}

// incoming calls fn for every edge entering v, added ones included.
func (ed *Editor) incoming(v uint32, fn func(e uint32)) {
	for e := ed.g.offsets[v]; e < ed.g.offsets[v+1]; e++ {
		fn(e)
	}
	if len(ed.xIn) > 0 {
		for _, e := range ed.xIn[v] {
			fn(e)
		}
	}
}

// outgoing calls fn for every edge leaving u with the node it enters.
func (ed *Editor) outgoing(u uint32, fn func(e, v uint32)) {
	x := ed.out
	for i := x.off[u]; i < x.off[u+1]; i++ {
		e := x.edge[i]
		fn(e, x.head[e])
	}
	if len(ed.xOut) > 0 {
		for _, e := range ed.xOut[u] {
			fn(e, ed.xHead[int(e)-len(ed.g.tail)])
		}
	}
}

// linkEnds is Graph.LinkEnds without its binary search.
func (ed *Editor) linkEnds(l uint32) (a, b uint32) {
	if e := ed.g.linkFwd[l]; e != none {
		return ed.g.tail[e], ed.out.head[e]
	}
	e := ed.g.linkBwd[l]
	return ed.out.head[e], ed.g.tail[e]
}

// seeds enters one source into h where it improves f: at the link's A end through
// its A→B edge and at B through B→A, as MultiSource does.
func (ed *Editor) seeds(f *Field, h *heap4, ls linkSource) {
	a, b := ed.linkEnds(ls.link)
	if e := ed.g.linkFwd[ls.link]; e != none {
		w, o := ed.weight(e, f.Metric)
		if c := ls.cost + ls.t*w; c < f.Cost[a] {
			h.seed(a, c, ls.othr+ls.t*o, ls.src)
		}
	}
	if e := ed.g.linkBwd[ls.link]; e != none {
		w, o := ed.weight(e, f.Metric)
		if c := ls.cost + (1-ls.t)*w; c < f.Cost[b] {
			h.seed(b, c, ls.othr+(1-ls.t)*o, ls.src)
		}
	}
}

// improve runs the search seeded in h, settling only nodes it makes cheaper than
// f says, and writes them into f. Where nobody improves it stops by itself.
func (ed *Editor) improve(f *Field, h *heap4, changed []uint32) []uint32 {
	st := h.state
	inf := math.Inf(1)
	for len(h.items) > 0 {
		v, d := h.pop()
		st[v].pos = settled
		ed.j.node(f, v)
		ov, src := st[v].other, st[v].from
		f.Cost[v], f.Other[v], f.From[v] = d, ov, src
		changed = append(changed, v)
		ed.incoming(v, func(e uint32) {
			u := ed.tailOf(e)
			w, o := ed.weight(e, f.Metric)
			if nd := d + w; nd < f.Cost[u] && nd < st[u].cost {
				if st[u].cost == inf {
					h.touched = append(h.touched, u)
				}
				st[u].cost, st[u].other, st[u].from = nd, ov+o, src
				h.push(u, nd)
			}
		})
	}
	for _, v := range h.touched {
		st[v] = nodeState{cost: inf, other: inf, from: -1, pos: -1}
	}
	h.touched = h.touched[:0]
	return changed
}

// AddSource adds s to f and updates the nodes it is now nearest to; it returns
// them (their cost dropped). The new source's index in f is len(f.IDs) before
// the call.
func (ed *Editor) AddSource(f *Field, s Source) []uint32 {
	ed.j.field(f)
	mps := ed.sp.offNetworkMps()
	off, offO := s.Snap.OffMetres/mps, s.Snap.OffMetres
	if f.Metric == ByLength {
		off, offO = offO, off
	}
	ls := linkSource{link: s.Snap.Link, src: int32(len(f.IDs)), t: s.Snap.T, cost: off, othr: offO}
	f.IDs = append(f.IDs, s.ID)
	i := sort.Search(len(f.onLink), func(i int) bool { return f.onLink[i].link > ls.link })
	f.onLink = append(f.onLink, linkSource{})
	copy(f.onLink[i+1:], f.onLink[i:])
	f.onLink[i] = ls
	h := ed.g.scratch.get(ed.g.Nodes())
	defer ed.g.scratch.put(h)
	ed.seeds(f, h, ls)
	return ed.improve(f, h, nil)
}

// SourceLink is the link source src of f stands on; ok is false when f has no
// such source (never added, or removed).
func (f *Field) SourceLink(src int32) (link uint32, ok bool) {
	for _, ls := range f.onLink {
		if ls.src == src {
			return ls.link, true
		}
	}
	return 0, false
}

// RemoveSource takes source src out of f: the nodes it was nearest to are
// cleared and searched again from the edges leaving that region (their other
// end keeps its cost and source) and from the other sources seeded inside it.
// It returns the region, every node whose cost or source may have changed.
func (ed *Editor) RemoveSource(f *Field, src int32) []uint32 {
	k := -1
	for i, ls := range f.onLink {
		if ls.src == src {
			k = i
			break
		}
	}
	if k < 0 {
		return nil
	}
	ed.j.field(f)
	ls := f.onLink[k]
	f.onLink = append(f.onLink[:k:k], f.onLink[k+1:]...)
	inf := math.Inf(1)
	var region []uint32
	take := func(v uint32) {
		if f.From[v] == src {
			ed.j.node(f, v)
			f.Cost[v], f.Other[v], f.From[v] = inf, inf, -1
			region = append(region, v)
		}
	}
	a, b := ed.linkEnds(ls.link)
	take(a)
	take(b)
	for i := 0; i < len(region); i++ {
		ed.incoming(region[i], func(e uint32) { take(ed.tailOf(e)) })
	}
	h := ed.g.scratch.get(ed.g.Nodes())
	defer ed.g.scratch.put(h)
	for _, u := range region {
		ed.outgoing(u, func(e, v uint32) {
			if c := f.Cost[v]; c < inf {
				w, o := ed.weight(e, f.Metric)
				if c+w < f.Cost[u] {
					h.seed(u, c+w, f.Other[v]+o, f.From[v])
				}
			}
		})
	}
	if len(region) > 0 {
		for _, other := range f.onLink {
			if a, b := ed.linkEnds(other.link); math.IsInf(f.Cost[a], 1) || math.IsInf(f.Cost[b], 1) {
				ed.seeds(f, h, other)
			}
		}
	}
	ed.improve(f, h, nil)
	return region
}

// SetLinkSpeed makes link l of the graph travel at kmh (metres unchanged), as if
// Build had given its road that speed; it fails when that would slow the link
// down, which the searches here cannot undo. Call Lower on every field after.
func (ed *Editor) SetLinkSpeed(l uint32, metres float64, kmh float64) error {
	secs := float32(metres / (kmh / 3.6))
	for _, e := range []uint32{ed.g.linkFwd[l], ed.g.linkBwd[l]} {
		if e == none {
			continue
		}
		old := ed.g.secs[e]
		if v, ok := ed.secs[e]; ok {
			old = v
		}
		if secs > old {
			return fmt.Errorf("route: link %d: %.1f s at %.0f km/h would be slower than %.1f s", l, secs, kmh, old)
		}
		ed.secs[e] = secs
	}
	return nil
}

// AddLink adds a two-way link between nodes a and b with the given weights (one
// way, a→b, when oneway), and returns its id (from g.Links() on). Call Lower on
// every field after.
func (ed *Editor) AddLink(a, b uint32, secs, metres float32, oneway bool) uint32 {
	add := func(u, v uint32) uint32 {
		e := uint32(len(ed.g.tail) + len(ed.xTail))
		ed.xTail, ed.xHead = append(ed.xTail, u), append(ed.xHead, v)
		ed.xSecs, ed.xMetres = append(ed.xSecs, secs), append(ed.xMetres, metres)
		ed.xIn[v] = append(ed.xIn[v], e)
		ed.xOut[u] = append(ed.xOut[u], e)
		return e
	}
	fwd, bwd := add(a, b), none
	if !oneway {
		bwd = add(b, a)
	}
	ed.xLinkFwd, ed.xLinkB = append(ed.xLinkFwd, fwd), append(ed.xLinkB, bwd)
	return uint32(ed.g.Links() + len(ed.xLinkFwd) - 1)
}

// Lower updates f after links got faster or were added: each changed edge u→v
// offers u the cost of v plus its new weight, sources on a changed link enter
// again with the new weights, and the search spreads only where costs drop.
func (ed *Editor) Lower(f *Field, links []uint32) []uint32 {
	h := ed.g.scratch.get(ed.g.Nodes())
	defer ed.g.scratch.put(h)
	ed.j.field(f)
	offer := func(e uint32) {
		if e == none {
			return
		}
		var u, v uint32
		if int(e) >= len(ed.g.tail) {
			k := int(e) - len(ed.g.tail)
			u, v = ed.xTail[k], ed.xHead[k]
		} else {
			u, v = ed.g.tail[e], ed.out.head[e]
		}
		if c := f.Cost[v]; !math.IsInf(c, 1) {
			w, o := ed.weight(e, f.Metric)
			if c+w < f.Cost[u] {
				h.seed(u, c+w, f.Other[v]+o, f.From[v])
			}
		}
	}
	for _, l := range links {
		if int(l) >= ed.g.Links() {
			k := int(l) - ed.g.Links()
			offer(ed.xLinkFwd[k])
			offer(ed.xLinkB[k])
			continue
		}
		offer(ed.g.linkFwd[l])
		offer(ed.g.linkBwd[l])
		i := sort.Search(len(f.onLink), func(i int) bool { return f.onLink[i].link >= l })
		for ; i < len(f.onLink) && f.onLink[i].link == l; i++ {
			ed.seeds(f, h, f.onLink[i])
		}
	}
	return ed.improve(f, h, nil)
}

// At is Field.At with the editor's edge changes.
func (ed *Editor) At(f *Field, s Snap) Reach {
	a, b := ed.linkEnds(s.Link)
	fwd, bwd := ed.g.linkFwd[s.Link], ed.g.linkBwd[s.Link]
	var wf, of, wb, ob float64
	if fwd != none {
		wf, of = ed.weight(fwd, f.Metric)
	}
	if bwd != none {
		wb, ob = ed.weight(bwd, f.Metric)
	}
	return f.reachOnLink(s, ed.sp, a, b, fwd, bwd, wf, of, wb, ob)
}

// RoadKmh is the speed Build gives road r.
func (sp Speeds) RoadKmh(r Road) float64 { return sp.roadKmh(r) }

// LinkMetres is the length of each of links, the links of road r in order (as
// Build made them), summed in float64 from r's own points as Build sums them,
// so that a new speed gives the seconds Build would give. It fails when the
// links do not match the road.
func (g *Graph) LinkMetres(r Road, links []uint32) ([]float64, error) {
	out := make([]float64, len(links))
	j := 1
	for k, l := range links {
		// A repeated vertex (same point, same node) made no link.
		for j < len(r.Line) && r.Line[j] == r.Line[j-1] && (r.Nodes == nil || r.Nodes[j] == r.Nodes[j-1]) {
			j++
		}
		nseg := int(g.shapeOff[l+1]-g.shapeOff[l]) + 1
		if j+nseg-1 >= len(r.Line) {
			return nil, fmt.Errorf("route: road %d: link %d runs past the road's %d points", r.ID, l, len(r.Line))
		}
		m := 0.0
		for s := 0; s < nseg; s++ {
			m += geo.DistanceHaversine(r.Line[j-1], r.Line[j])
			j++
		}
		e := g.linkFwd[l]
		if e == none {
			e = g.linkBwd[l]
		}
		if float32(m) != g.metres[e] {
			return nil, fmt.Errorf("route: road %d: link %d measures %v m, the graph %v m", r.ID, l, m, g.metres[e])
		}
		out[k] = m
	}
	return out, nil
}

// LineDistance is the distance from p to line as the Snapper measures it: the
// nearest point in a local plane around p (over float32 coordinates, as the
// graph stores them), then the great-circle distance to it.
func LineDistance(p orb.Point, line orb.LineString) float64 {
	pl := newPlane(p)
	best, bi, bu := math.Inf(1), -1, 0.0
	pts := make([][2]float32, len(line))
	for i, q := range line {
		pts[i] = [2]float32{float32(q[0]), float32(q[1])}
	}
	for i := 0; i+1 < len(pts); i++ {
		if d2, u := pl.segment(pts[i], pts[i+1]); d2 < best {
			best, bi, bu = d2, i, u
		}
	}
	if bi < 0 {
		return math.Inf(1)
	}
	a, b := pts[bi], pts[bi+1]
	at := orb.Point{float64(a[0]) + bu*(float64(b[0])-float64(a[0])), float64(a[1]) + bu*(float64(b[1])-float64(a[1]))}
	return geo.DistanceHaversine(p, at)
}

package route

import (
	"math"
	"sort"
	"sync"
)

// Metric is what Dijkstra minimises.
type Metric int

const (
	// ByTime minimises travel time in seconds.
	ByTime Metric = iota
	// ByLength minimises distance in metres.
	ByLength
)

// Source is a facility snapped onto the graph, with the caller's id for it.
type Source struct {
	Snap Snap
	ID   int64
}

// Field is the result of one multi-source search: for every node, the cost of
// travelling from it to its nearest source.
type Field struct {
	Metric Metric
	// Cost is the minimised metric per node (seconds ByTime, metres ByLength);
	// +Inf when no source can be reached.
	Cost []float64
	// Other is the other metric along the chosen path (metres ByTime, seconds
	// ByLength); +Inf when unreachable.
	Other []float64
	// From is the index of the nearest source in the slice given to MultiSource, or -1.
	From []int32
	// IDs are the sources' ids, indexed like From.
	IDs []int64

	reached []uint32 // nodes with finite Cost
	clean   bool     // every node not in reached is at +Inf, so a reset can be sparse

	// onLink lists the sources by link, so that At can find a facility on the
	// settlement's own link, which is not reached through either end node.
	onLink []linkSource
}

// linkSource is a source's position on its link and the cost of its off-network leg.
type linkSource struct {
	link       uint32
	src        int32
	t          float64
	cost, othr float64
}

// MultiSource runs one Dijkstra from all sources at once (over reversed edges, so
// that costs are for travel towards the sources). A source on link A→B at fraction t
// enters the search at A with t of the A→B edge and at B with 1−t of the B→A edge,
// each plus its off-network leg at sp's off-network speed; a direction the link does
// not allow is not seeded.
func (g *Graph) MultiSource(sources []Source, m Metric, sp Speeds) *Field {
	return g.MultiSourceInto(nil, sources, m, sp)
}

// MultiSourceInto is MultiSource reusing dst's arrays when it is not nil, so that
// running every facility kind in turn allocates once. dst must be a Field this graph
// returned, unmodified.
func (g *Graph) MultiSourceInto(dst *Field, sources []Source, m Metric, sp Speeds) *Field {
	return g.MultiSourceWithin(dst, sources, m, sp, math.Inf(1))
}

// MultiSourceWithin is MultiSourceInto stopped at limit (seconds ByTime, metres
// ByLength): nodes farther than limit from every source keep Cost +Inf. Its cost is
// proportional to the part of the graph within limit, not to the whole graph, when
// dst is reused, which makes per-facility catchments (two-step floating catchment)
// cheap; Reached lists the nodes it found.
func (g *Graph) MultiSourceWithin(dst *Field, sources []Source, m Metric, sp Speeds, limit float64) *Field {
	f := g.resetField(dst, m, len(sources))
	mps := sp.offNetworkMps()
	w, o := g.weights(m)
	h := g.scratch.get(g.Nodes())
	defer g.scratch.put(h)
	for i, s := range sources {
		f.IDs = append(f.IDs, s.ID)
		off, offO := s.Snap.OffMetres/mps, s.Snap.OffMetres
		if m == ByLength {
			off, offO = offO, off
		}
		f.onLink = append(f.onLink, linkSource{link: s.Snap.Link, src: int32(i), t: s.Snap.T, cost: off, othr: offO})
		a, b := g.LinkEnds(s.Snap.Link)
		if e := g.linkFwd[s.Snap.Link]; e != none {
			h.seed(a, off+s.Snap.T*float64(w[e]), offO+s.Snap.T*float64(o[e]), int32(i))
		}
		if e := g.linkBwd[s.Snap.Link]; e != none {
			h.seed(b, off+(1-s.Snap.T)*float64(w[e]), offO+(1-s.Snap.T)*float64(o[e]), int32(i))
		}
	}
	sort.Slice(f.onLink, func(i, j int) bool { return f.onLink[i].link < f.onLink[j].link })
	g.run(f, h, w, o, limit)
	return f
}

// MultiSourceNodes is MultiSource from nodes rather than snapped facilities; IDs are
// the node numbers. It answers the node-to-node costs an external engine such as
// pgr_dijkstraCost computes: Cost[u] is the cost of the path u → nearest of nodes.
func (g *Graph) MultiSourceNodes(nodes []uint32, m Metric) *Field {
	f := g.resetField(nil, m, len(nodes))
	w, o := g.weights(m)
	h := g.scratch.get(g.Nodes())
	defer g.scratch.put(h)
	for i, v := range nodes {
		f.IDs = append(f.IDs, int64(v))
		h.seed(v, 0, 0, int32(i))
	}
	g.run(f, h, w, o, math.Inf(1))
	return f
}

func (g *Graph) weights(m Metric) (w, o []float32) {
	if m == ByLength {
		return g.metres, g.secs
	}
	return g.secs, g.metres
}

func (g *Graph) resetField(f *Field, m Metric, nsrc int) *Field {
	n := g.Nodes()
	inf := math.Inf(1)
	if f != nil && f.clean && len(f.Cost) == n {
		for _, v := range f.reached {
			f.Cost[v], f.Other[v], f.From[v] = inf, inf, -1
		}
	} else {
		if f == nil {
			f = &Field{}
		}
		f.Cost = resize(f.Cost, n)
		f.Other = resize(f.Other, n)
		f.From = resize(f.From, n)
		for i := range f.Cost {
			f.Cost[i], f.Other[i], f.From[i] = inf, inf, -1
		}
	}
	f.Metric = m
	f.clean = false
	f.reached = f.reached[:0]
	f.IDs = append(f.IDs[:0], make([]int64, 0, nsrc)...)
	f.onLink = f.onLink[:0]
	return f
}

func resize[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n)
}

// seed enters a source into the search at node v.
func (h *heap4) seed(v uint32, cost, other float64, src int32) {
	if st := &h.state[v]; cost < st.cost {
		if math.IsInf(st.cost, 1) {
			h.touched = append(h.touched, v)
		}
		st.cost, st.other, st.from = cost, other, src
		h.push(v, cost)
	}
}

// run is the Dijkstra loop over incoming edges: settling v improves every u with an
// edge u→v. It works on one packed record per node, so that a relaxation touches one
// cache line rather than one per array, and copies the settled nodes into f at the
// end, leaving the scratch state clean for the next search.
func (g *Graph) run(f *Field, h *heap4, w, o []float32, limit float64) {
	st := h.state
	inf := math.Inf(1)
	for len(h.items) > 0 {
		v, d := h.pop()
		if d > limit {
			st[v].pos = -1
			for _, it := range h.items { // tentative costs beyond limit: not reached
				st[it.node].pos = -1
			}
			h.items = h.items[:0]
			break
		}
		st[v].pos = settled
		ov, src := st[v].other, st[v].from
		for e, end := g.offsets[v], g.offsets[v+1]; e < end; e++ {
			u := g.tail[e]
			if nd := d + float64(w[e]); nd < st[u].cost {
				if st[u].cost == inf {
					h.touched = append(h.touched, u)
				}
				st[u].cost, st[u].other, st[u].from = nd, ov+float64(o[e]), src
				h.push(u, nd)
			}
		}
	}
	for _, v := range h.touched {
		if st[v].pos == settled {
			f.Cost[v], f.Other[v], f.From[v] = st[v].cost, st[v].other, st[v].from
			f.reached = append(f.reached, v)
		}
		st[v] = nodeState{cost: inf, other: inf, from: -1, pos: -1}
	}
	h.touched = h.touched[:0]
	f.clean = true
}

// Reached lists the nodes the last search reached (finite Cost), in no particular
// order: with MultiSourceWithin, the few nodes a caller needs to look at.
func (f *Field) Reached() []uint32 { return f.reached }

// Reach is the route from a snapped point to its nearest source.
type Reach struct {
	Secs, Metres float64
	SourceID     int64
	// Source is the index of the source in the slice given to MultiSource, or -1.
	Source int32
	// OK is false when no source is reachable; the caller then falls back to
	// the straight-line rule (access.Options.Fallback) and flags it.
	OK bool
}

// At evaluates the field at a snapped point, such as a settlement: the off-network
// leg, then the cheaper of leaving the link through A (travelling B→A) or through B
// (A→B), each only if the link allows that direction, or reaching a source on the
// same link directly.
func (f *Field) At(g *Graph, s Snap, sp Speeds) Reach {
	w, o := g.weights(f.Metric)
	a, b := g.LinkEnds(s.Link)
	fwd, bwd := g.linkFwd[s.Link], g.linkBwd[s.Link]
	var wf, of, wb, ob float64
	if fwd != none {
		wf, of = float64(w[fwd]), float64(o[fwd])
	}
	if bwd != none {
		wb, ob = float64(w[bwd]), float64(o[bwd])
	}
	return f.reachOnLink(s, sp, a, b, fwd, bwd, wf, of, wb, ob)
}

// reachOnLink is At for a link with ends a and b, edges fwd (A→B) and bwd
// (B→A, either none) and their weights in the field's metric (w) and the
// other one (o): the one rule for Field.At and Editor.At, whose weights differ.
func (f *Field) reachOnLink(s Snap, sp Speeds, a, b, fwd, bwd uint32, wf, of, wb, ob float64) Reach {
	mps := sp.offNetworkMps()
	off, offO := s.OffMetres/mps, s.OffMetres
	if f.Metric == ByLength {
		off, offO = offO, off
	}
	best := Reach{Source: -1}
	bc, bo := math.Inf(1), math.Inf(1)
	try := func(c, oth float64, src int32) {
		if src >= 0 && c < bc {
			bc, bo, best.Source = c, oth, src
		}
	}
	if bwd != none {
		try(off+s.T*wb+f.Cost[a], offO+s.T*ob+f.Other[a], f.From[a])
	}
	if fwd != none {
		try(off+(1-s.T)*wf+f.Cost[b], offO+(1-s.T)*of+f.Other[b], f.From[b])
	}
	i := sort.Search(len(f.onLink), func(i int) bool { return f.onLink[i].link >= s.Link })
	for ; i < len(f.onLink) && f.onLink[i].link == s.Link; i++ {
		src := f.onLink[i]
		if src.t >= s.T && fwd != none {
			try(off+(src.t-s.T)*wf+src.cost, offO+(src.t-s.T)*of+src.othr, src.src)
		}
		if src.t <= s.T && bwd != none {
			try(off+(s.T-src.t)*wb+src.cost, offO+(s.T-src.t)*ob+src.othr, src.src)
		}
	}
	if best.Source < 0 {
		return best
	}
	best.OK = true
	best.SourceID = f.IDs[best.Source]
	best.Secs, best.Metres = bc, bo
	if f.Metric == ByLength {
		best.Secs, best.Metres = bo, bc
	}
	return best
}

// heap4 is an indexed 4-ary min-heap with decrease-key: a shallower tree than a
// binary heap means fewer cache misses per pop, and decrease-key keeps the heap no
// larger than the frontier.
type heap4 struct {
	items   []heapItem
	state   []nodeState
	touched []uint32 // nodes whose state is not clear
}

// settled is the pos of a node popped from the heap.
const settled = -2

// nodeState is the search's record of one node; pos is its index in the heap, -1
// when it is not in the heap, or settled.
type nodeState struct {
	cost, other float64
	from, pos   int32
}

type heapItem struct {
	key  float64
	node uint32
}

func (h *heap4) push(v uint32, key float64) {
	i := int(h.state[v].pos)
	if i < 0 {
		i = len(h.items)
		h.items = append(h.items, heapItem{})
	}
	it := heapItem{key, v}
	for i > 0 {
		p := (i - 1) / 4
		if h.items[p].key <= key {
			break
		}
		h.items[i] = h.items[p]
		h.state[h.items[i].node].pos = int32(i)
		i = p
	}
	h.items[i] = it
	h.state[v].pos = int32(i)
}

func (h *heap4) pop() (uint32, float64) {
	top := h.items[0]
	last := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	n := len(h.items)
	if n == 0 {
		return top.node, top.key
	}
	i := 0
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		m := c
		end := min(c+4, n)
		for j := c + 1; j < end; j++ {
			if h.items[j].key < h.items[m].key {
				m = j
			}
		}
		if h.items[m].key >= last.key {
			break
		}
		h.items[i] = h.items[m]
		h.state[h.items[i].node].pos = int32(i)
		i = m
	}
	h.items[i] = last
	h.state[last.node].pos = int32(i)
	return top.node, top.key
}

// scratchPool keeps search state between searches; run leaves it cleared.
type scratchPool struct{ p sync.Pool }

func (s *scratchPool) get(n int) *heap4 {
	if h, ok := s.p.Get().(*heap4); ok && len(h.state) == n {
		return h
	}
	h := &heap4{state: make([]nodeState, n)}
	inf := math.Inf(1)
	for i := range h.state {
		h.state[i] = nodeState{cost: inf, other: inf, from: -1, pos: -1}
	}
	return h
}

func (s *scratchPool) put(h *heap4) {
	s.p.Put(h)
}

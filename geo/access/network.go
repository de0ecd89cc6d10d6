package access

import (
	"math"
	"runtime"
	"sync"

	"github.com/aimaq/aimaq/geo/route"
	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
)

// network is the road graph with every settlement snapped onto it.
type network struct {
	g       *route.Graph
	sn      *route.Snapper
	sp      route.Speeds
	maxSnap float64
	in      *Input
	snaps   []route.Snap
	snapped []bool
	routed  int
	// targets holds the facilities and centres snapped once: every kind and
	// level search, the catchments and the point search reuse them.
	targets map[orb.Point]targetSnap
}

type targetSnap struct {
	snap route.Snap
	ok   bool
}

// reach is the answer for one settlement and one target set.
type reach struct {
	km, min  float64
	id       int64 // target id, 0 = none
	straight bool
}

// maxPavedSearchMetres bounds the search for the nearest paved road: beyond it
// the settlement is reported as having none nearby (NaN), not as 0.
const maxPavedSearchMetres = 200_000

// newNetwork builds the graph of in.Roads and snaps in's settlements, its
// facilities and the centres onto it.
func newNetwork(in *Input, o Options, centres ...[]orb.Point) (*network, error) {
	g, err := route.Build(in.Roads, o.Speeds)
	if err != nil {
		return nil, err
	}
	n := &network{g: g, sn: g.NewSnapper(), sp: o.Speeds, maxSnap: o.MaxSnapMetres, in: in,
		snaps: make([]route.Snap, len(in.Settlements)), snapped: make([]bool, len(in.Settlements))}
	for i, s := range in.Settlements {
		if sn, ok := n.sn.Snap(s.Point, o.MaxSnapMetres); ok {
			n.snaps[i], n.snapped[i] = sn, true
			n.routed++
		}
	}
	n.targets = make(map[orb.Point]targetSnap, len(in.Facilities))
	add := func(p orb.Point) {
		if _, done := n.targets[p]; !done {
			sn, ok := n.sn.Snap(p, o.MaxSnapMetres)
			n.targets[p] = targetSnap{sn, ok}
		}
	}
	for _, f := range in.Facilities {
		add(f.Point)
	}
	for _, cs := range centres {
		for _, p := range cs {
			add(p)
		}
	}
	return n, nil
}

// snap returns the snapped position of a target point, from the ones snapped
// once in newNetwork; it is safe for concurrent use.
func (n *network) snap(p orb.Point) (route.Snap, bool) {
	if t, ok := n.targets[p]; ok {
		return t.snap, t.ok
	}
	return n.sn.Snap(p, n.maxSnap)
}

// sources snaps target points; those too far from any road are left out (the
// settlements that would need them get the straight-line fallback).
func (n *network) sources(targets []orb.Point, ids []int64) []route.Source {
	var src []route.Source
	for j, p := range targets {
		if sn, ok := n.snap(p); ok {
			src = append(src, route.Source{Snap: sn, ID: ids[j]})
		}
	}
	return src
}

// nearest routes every snapped settlement to its nearest target by travel
// time; id 0 marks a settlement the network cannot answer for.
func (n *network) nearest(targets []orb.Point, ids []int64) []reach {
	out := make([]reach, len(n.in.Settlements))
	src := n.sources(targets, ids)
	if len(src) == 0 {
		return out
	}
	f := n.g.MultiSource(src, route.ByTime, n.sp)
	for i := range out {
		if !n.snapped[i] {
			continue
		}
		if r := f.At(n.g, n.snaps[i], n.sp); r.OK {
			out[i] = reach{km: r.Metres / 1000, min: r.Secs / 60, id: r.SourceID}
		}
	}
	return out
}

// ownCentre routes each settlement i to cs[own[i]], the centre of its own
// area (-1: none). One search from all centres at once settles most of them:
// where the nearest centre is the settlement's own, that route is the answer.
// The rest — places nearer to a neighbouring area's centre — get one bounded
// search per centre, out to a limit generous enough for a route three times
// the straight-line distance at 20 km/h; a settlement still not reached gets
// id 0 and falls back to straight line (flagged).
func (n *network) ownCentre(cs []orb.Point, own []int) []reach {
	ids := make([]int64, len(cs))
	for j := range cs {
		ids[j] = int64(j + 1) // ids are centre index + 1 so 0 stays "none"
	}
	near := n.nearest(cs, ids)
	pending := map[int][]int{} // centre → settlements still to route
	for i := range n.in.Settlements {
		c := own[i]
		if near[i].id != int64(c+1) {
			near[i] = reach{}
			if c >= 0 && n.snapped[i] {
				pending[c] = append(pending[c], i)
			}
		}
	}
	// Each pending centre: a bounded search from it, starting at the time its
	// farthest pending member needs at 80 km/h over a road 1.3× the straight
	// line, doubling until every member is reached (or a day's travel).
	// At most one search per core; each holds a field, whose arrays the next
	// search reuses (a reset costs only the nodes the last one reached).
	var mu sync.Mutex
	var wg sync.WaitGroup
	fields := make(chan *route.Field, runtime.GOMAXPROCS(0))
	for range cap(fields) {
		fields <- nil
	}
	for c, members := range pending {
		sn, ok := n.snap(cs[c])
		if !ok {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			f := <-fields
			defer func() { fields <- f }()
			limit := 0.0
			for _, i := range members {
				limit = math.Max(limit, orbgeo.Distance(n.in.Settlements[i].Point, cs[c])*1.3/(80/3.6))
			}
			left := members
			for limit = math.Max(limit, 600); len(left) > 0 && limit <= 2*24*3600; limit *= 2 {
				lim := math.Min(limit, 24*3600)
				f = n.g.MultiSourceWithin(f, []route.Source{{Snap: sn, ID: int64(c + 1)}}, route.ByTime, n.sp, lim)
				var still []int
				for _, i := range left {
					// Within the limit the answer is exact: any route through an
					// unreached node costs more than the limit.
					if r := f.At(n.g, n.snaps[i], n.sp); r.OK && r.Secs <= lim {
						mu.Lock()
						near[i] = reach{km: r.Metres / 1000, min: r.Secs / 60, id: r.SourceID}
						mu.Unlock()
					} else {
						still = append(still, i)
					}
				}
				left = still
				if limit >= 24*3600 {
					break
				}
			}
		}()
	}
	wg.Wait()
	return near
}

// pavedKm is the straight-line distance from settlement i to the nearest
// paved road, and whether that road's surface is assumed from its class (no
// surface tag) rather than tagged.
func (n *network) pavedKm(i int) (km float64, assumed bool) {
	if sn, ok := n.sn.SnapPaved(n.in.Settlements[i].Point, maxPavedSearchMetres); ok {
		return sn.OffMetres / 1000, n.in.Roads[n.g.LinkRoad(sn.Link)].PavedAssumed
	}
	return math.NaN(), false
}

// catchment lists the settlements within maxMin of each facility (fs index
// in.Facilities; Pair.F indexes fs): one search per facility, bounded at
// maxMin, then only the settlements on links touching reached nodes.
func (n *network) catchment(fs []int, maxMin float64) []Pair {
	byNode := map[uint32][]int{}
	for i := range n.in.Settlements {
		if n.snapped[i] {
			a, b := n.g.LinkEnds(n.snaps[i].Link)
			byNode[a] = append(byNode[a], i)
			byNode[b] = append(byNode[b], i)
		}
	}
	var pairs []Pair
	var f *route.Field
	seen := map[int]bool{}
	for k, j := range fs {
		sn, ok := n.snap(n.in.Facilities[j].Point)
		if !ok {
			continue
		}
		f = n.g.MultiSourceWithin(f, []route.Source{{Snap: sn, ID: int64(k + 1)}}, route.ByTime, n.sp, maxMin*60)
		clear(seen)
		for _, v := range f.Reached() {
			for _, i := range byNode[v] {
				if seen[i] {
					continue
				}
				seen[i] = true
				// At adds the partial link and the walk, so it can exceed the search limit: check again.
				if r := f.At(n.g, n.snaps[i], n.sp); r.OK && r.Secs/60 <= maxMin {
					pairs = append(pairs, Pair{F: k, S: i})
				}
			}
		}
	}
	return pairs
}

package compute

import (
	"math"
	"runtime"
	"sync"

	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/route"
	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
)

// network is the road graph with every settlement snapped onto it.
type network struct {
	g       *route.Graph
	sn      *route.Snapper
	sp      route.Speeds
	o       Options
	d       *dataset
	snaps   []route.Snap
	snapped []bool
	routed  int
	// targets holds the facilities and centres snapped once: every kind and
	// level search, the catchments and the router reuse them.
	targets map[orb.Point]targetSnap
}

type targetSnap struct {
	snap route.Snap
	ok   bool
}

// maxPavedSearchMetres bounds the search for the nearest paved road: beyond it
// the settlement is reported as having none nearby (NULL), not as 0.
const maxPavedSearchMetres = 200_000

func newNetwork(d *dataset, o Options) (*network, error) {
	roads := make([]route.Road, len(d.roads))
	for i, r := range d.roads {
		roads[i] = route.Road{ID: r.id, Line: r.line, Class: r.class, Paved: r.paved, SpeedKmh: r.speed, Oneway: r.oneway}
	}
	g, err := route.Build(roads, o.Speeds)
	if err != nil {
		return nil, err
	}
	n := &network{g: g, sn: g.NewSnapper(), sp: o.Speeds, o: o, d: d,
		snaps: make([]route.Snap, len(d.settlements)), snapped: make([]bool, len(d.settlements))}
	for i, s := range d.settlements {
		if sn, ok := n.sn.Snap(s.pt, o.MaxSnapMetres); ok {
			n.snaps[i], n.snapped[i] = sn, true
			n.routed++
		}
	}
	n.targets = make(map[orb.Point]targetSnap, len(d.facilities)+len(d.districtCentres)+len(d.oblastCentres))
	add := func(p orb.Point) {
		if _, done := n.targets[p]; !done {
			sn, ok := n.sn.Snap(p, o.MaxSnapMetres)
			n.targets[p] = targetSnap{sn, ok}
		}
	}
	for _, f := range d.facilities {
		add(f.pt)
	}
	for _, c := range append(append([]centre(nil), d.districtCentres...), d.oblastCentres...) {
		add(c.pt)
	}
	return n, nil
}

// snap returns the snapped position of a target point, from the ones snapped
// once in newNetwork; it is safe for concurrent use.
func (n *network) snap(p orb.Point) (route.Snap, bool) {
	if t, ok := n.targets[p]; ok {
		return t.snap, t.ok
	}
	return n.sn.Snap(p, n.o.MaxSnapMetres)
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
	out := make([]reach, len(n.d.settlements))
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

// ownCentre routes each settlement to the centre of its own area. One search
// from all centres at once settles most of them: where the nearest centre is
// the settlement's own, that route is the answer. The rest — places nearer to a
// neighbouring area's centre — get one bounded search per centre, out to a
// limit generous enough for a route three times the straight-line distance at
// 20 km/h; a settlement still not reached falls back to straight line (flagged).
func (n *network) ownCentre(cs []centre, idx func(settlement) int) []reach {
	pts := make([]orb.Point, len(cs))
	ids := make([]int64, len(cs))
	for j, c := range cs {
		pts[j], ids[j] = c.pt, int64(j+1) // ids are centre index + 1 so 0 stays "none"
	}
	near := n.nearest(pts, ids)
	pending := map[int][]int{} // centre → settlements still to route
	for i, s := range n.d.settlements {
		c := idx(s)
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
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for c, members := range pending {
		sn, ok := n.snap(cs[c].pt)
		if !ok {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			limit := 0.0
			for _, i := range members {
				limit = math.Max(limit, orbgeo.Distance(n.d.settlements[i].pt, cs[c].pt)*1.3/(80/3.6))
			}
			var f *route.Field
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

// pavedKm is the straight-line distance from settlement i to the nearest paved road.
func (n *network) pavedKm(i int) float64 {
	if sn, ok := n.sn.SnapPaved(n.d.settlements[i].pt, maxPavedSearchMetres); ok {
		return sn.OffMetres / 1000
	}
	return math.NaN()
}

// catchment lists the settlements within maxMin of each facility (facility
// indexes into d.facilities; Pair.F indexes into fs): one search per facility,
// bounded at maxMin, then only the settlements on links touching reached nodes.
func (n *network) catchment(fs []int, maxMin float64) []access.Pair {
	byNode := map[uint32][]int{}
	for i := range n.d.settlements {
		if n.snapped[i] {
			a, b := n.g.LinkEnds(n.snaps[i].Link)
			byNode[a] = append(byNode[a], i)
			byNode[b] = append(byNode[b], i)
		}
	}
	var pairs []access.Pair
	var f *route.Field
	seen := map[int]bool{}
	for k, j := range fs {
		sn, ok := n.snap(n.d.facilities[j].pt)
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
					pairs = append(pairs, access.Pair{F: k, S: i})
				}
			}
		}
	}
	return pairs
}

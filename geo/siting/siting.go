package siting

import (
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/aimaq/aimaq/geo"
	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/route"
	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
)

// Standard is what "within reach" means: a trip no longer than Limit, in
// kilometres of road for route.ByLength or minutes of travel for
// route.ByTime.
type Standard struct {
	Metric route.Metric
	Limit  float64
}

// Demand is one place people live: a settlement.
type Demand struct {
	ID         int64
	Point      orb.Point
	Population float64
	// Limit, when positive, is this place's own limit in the standard's
	// unit (the health norms give a radius by settlement size,
	// access.LocalRadiusKm); 0 takes Standard.Limit.
	Limit float64
}

// Site is a candidate place for a new facility.
type Site struct {
	// SettlementID is the settlement the site is, when it is one; 0 otherwise.
	SettlementID int64
	Name         string
	Point        orb.Point
	// CostKZT is the cost of building there in tenge; 0 = not given. MaxCover
	// with a budget needs it positive for every candidate.
	CostKZT float64
}

// Problem is one siting question.
type Problem struct {
	Demand []Demand
	// Existing are the facilities already there that satisfy the standard
	// (of the kind, or of the level and above).
	Existing   []orb.Point
	Candidates []Site
	Standard   Standard
	// Graph is the road network; nil measures every trip by the
	// straight-line rule (and flags every site so).
	Graph *route.Graph
	// Snapper snaps onto Graph; nil makes one.
	Snapper *route.Snapper
	// Options are the speeds, snapping distance and straight-line rule, as
	// a compute run uses them (access.DefaultOptions).
	Options access.Options
	// Radius bounds p-median's searches, in the standard's unit; 0 or +Inf
	// searches the whole network (see the package documentation).
	Radius float64
}

// entry is one demand point a candidate reaches, and the trip's cost in
// metres or seconds.
type entry struct {
	d    int32
	cost float64
}

// instance is a problem prepared: per candidate, the demand points within the
// search bound; per demand point, its limit and its trip to the existing
// facilities.
type instance struct {
	p        *Problem
	pop      []float64
	lim      []float64 // per demand, metres or seconds
	base     []float64 // per demand: cost to the nearest existing facility; +Inf none within bound
	sets     [][]entry // per candidate, by demand index
	offNet   []bool    // per candidate
	straight []int     // per candidate: pairs measured by the straight-line rule
}

// unit is the factor from the standard's unit to metres or seconds.
func (s Standard) unit() float64 {
	if s.Metric == route.ByTime {
		return 60
	}
	return 1000
}

func validPoint(p orb.Point) bool {
	return p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90
}

// check refuses a problem the algorithms cannot answer, naming the item and
// field at fault.
func (p *Problem) check() error {
	if p.Standard.Metric != route.ByLength && p.Standard.Metric != route.ByTime {
		return fmt.Errorf("standard: metric %d: want route.ByLength or route.ByTime", p.Standard.Metric)
	}
	if !(p.Standard.Limit > 0) || math.IsInf(p.Standard.Limit, 0) {
		return fmt.Errorf("standard: limit %v: want a positive finite number", p.Standard.Limit)
	}
	if !(p.Radius >= 0) {
		return fmt.Errorf("radius %v: want 0 (unbounded), a positive number or +Inf", p.Radius)
	}
	o := p.Options
	if !(o.Circuity >= 1) || math.IsInf(o.Circuity, 0) || !(o.Speeds.FallbackKmh > 0) || math.IsInf(o.Speeds.FallbackKmh, 0) {
		return fmt.Errorf("options: circuity %v, straight-line speed %v km/h: want circuity ≥ 1 and a positive speed (access.DefaultOptions)", o.Circuity, o.Speeds.FallbackKmh)
	}
	if !(o.MaxSnapMetres >= 0) {
		return fmt.Errorf("options: snapping distance %v m: want ≥ 0", o.MaxSnapMetres)
	}
	for i, d := range p.Demand {
		switch {
		case !validPoint(d.Point):
			return fmt.Errorf("demand %d (#%d): point %v: want lon/lat in degrees", d.ID, i, d.Point)
		case !(d.Population >= 0) || math.IsInf(d.Population, 0):
			return fmt.Errorf("demand %d (#%d): population %v: want a finite number ≥ 0", d.ID, i, d.Population)
		case !(d.Limit >= 0) || math.IsInf(d.Limit, 0):
			return fmt.Errorf("demand %d (#%d): limit %v: want 0 (the standard's) or a positive finite number", d.ID, i, d.Limit)
		}
	}
	for i, e := range p.Existing {
		if !validPoint(e) {
			return fmt.Errorf("existing facility #%d: point %v: want lon/lat in degrees", i, e)
		}
	}
	for i, c := range p.Candidates {
		switch {
		case !validPoint(c.Point):
			return fmt.Errorf("candidate %q (#%d): point %v: want lon/lat in degrees", c.Name, i, c.Point)
		case !(c.CostKZT >= 0) || math.IsInf(c.CostKZT, 0):
			return fmt.Errorf("candidate %q (#%d): cost %v: want a finite number ≥ 0", c.Name, i, c.CostKZT)
		}
	}
	return nil
}

// network is the graph side of a prepared problem: snaps, components and the
// demand points by node and by link.
type network struct {
	g       *route.Graph
	sp      route.Speeds
	metric  route.Metric
	comp    []uint32 // per node: weakly connected component
	dSnap   []route.Snap
	dOn     []bool
	dComp   []uint32  // per demand on the network: its component
	byNode  [][]int32 // per node: demand points on its links (CSR would be leaner; few nodes have any)
	byLink  map[uint32][]int32
	spIndex *geo.PointIndex // demand points, for the straight-line rule
}

// components labels the weakly connected components of g by union-find.
func components(g *route.Graph) []uint32 {
	parent := make([]uint32, g.Nodes())
	for i := range parent {
		parent[i] = uint32(i)
	}
	find := func(x uint32) uint32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	g.EdgeList(func(u, v uint32, _, _ float32) {
		if a, b := find(u), find(v); a != b {
			parent[a] = b
		}
	})
	for i := range parent {
		parent[i] = find(uint32(i))
	}
	return parent
}

// straightCost is the straight-line rule's cost of a trip of metres geodesic:
// the distance itself, or access's estimated time.
func (p *Problem) straightCost(metres float64) float64 {
	if p.Standard.Metric == route.ByTime {
		_, min := p.Options.Fallback(metres)
		return min * 60
	}
	return metres
}

// straightMetres is the geodesic distance whose straight-line cost is cost.
func (p *Problem) straightMetres(cost float64) float64 {
	if p.Standard.Metric == route.ByTime {
		return p.Options.FallbackRadius(cost / 60)
	}
	return cost
}

// prepare measures every candidate's reach up to bound (metres or seconds;
// +Inf for no bound) and the existing facilities' reach of every demand point.
func prepare(p *Problem, bound float64) (*instance, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	nd, nc := len(p.Demand), len(p.Candidates)
	in := &instance{p: p, pop: make([]float64, nd), lim: make([]float64, nd), base: make([]float64, nd),
		sets: make([][]entry, nc), offNet: make([]bool, nc), straight: make([]int, nc)}
	u := p.Standard.unit()
	dpts := make([]orb.Point, nd)
	for i, d := range p.Demand {
		in.pop[i] = d.Population
		in.lim[i] = p.Standard.Limit * u
		if d.Limit > 0 {
			in.lim[i] = d.Limit * u
		}
		dpts[i] = d.Point
	}
	nw := &network{g: p.Graph, sp: p.Options.Speeds, metric: p.Standard.Metric, dSnap: make([]route.Snap, nd), dOn: make([]bool, nd),
		byLink: map[uint32][]int32{}, spIndex: geo.NewPointIndex(dpts)}
	var sn *route.Snapper
	if nw.g != nil {
		sn = p.Snapper
		if sn == nil {
			sn = nw.g.NewSnapper()
		}
		nw.comp = components(nw.g)
		nw.byNode = make([][]int32, nw.g.Nodes())
		nw.dComp = make([]uint32, nd)
		for i, d := range p.Demand {
			s, ok := sn.Snap(d.Point, p.Options.MaxSnapMetres)
			if !ok {
				continue
			}
			nw.dSnap[i], nw.dOn[i] = s, true
			a, b := nw.g.LinkEnds(s.Link)
			nw.dComp[i] = nw.comp[a]
			nw.byNode[a] = append(nw.byNode[a], int32(i))
			if b != a {
				nw.byNode[b] = append(nw.byNode[b], int32(i))
			}
			nw.byLink[s.Link] = append(nw.byLink[s.Link], int32(i))
		}
	}
	// snapOf snaps a facility, and gives its component.
	snapOf := func(pt orb.Point) (route.Snap, uint32, bool) {
		if sn == nil {
			return route.Snap{}, 0, false
		}
		s, ok := sn.Snap(pt, p.Options.MaxSnapMetres)
		if !ok {
			return s, 0, false
		}
		a, _ := nw.g.LinkEnds(s.Link)
		return s, nw.comp[a], true
	}

	// Existing facilities: one search from all the snapped ones, then the
	// straight-line rule for the pairs without a network route.
	exComp := make([]uint32, len(p.Existing))
	exOn := make([]bool, len(p.Existing))
	var src []route.Source
	for j, e := range p.Existing {
		var s route.Snap
		if s, exComp[j], exOn[j] = snapOf(e); exOn[j] {
			src = append(src, route.Source{Snap: s, ID: int64(j)})
		}
	}
	var field *route.Field
	if len(src) > 0 {
		field = nw.g.MultiSourceWithin(nil, src, p.Standard.Metric, nw.sp, bound)
	}
	exIx := geo.NewPointIndex(p.Existing)
	for i := range p.Demand {
		in.base[i] = math.Inf(1)
		if field != nil && nw.dOn[i] {
			if r := field.At(nw.g, nw.dSnap[i], nw.sp); r.OK {
				in.base[i] = nw.cost(r)
			}
		}
		if len(p.Existing) == 0 {
			continue
		}
		// Within a bound, only the few facilities inside it need measuring;
		// without one, the nearest by the straight-line rule (a scan past
		// every facility with a network route, at worst).
		if math.IsInf(bound, 1) {
			j, m := exIx.Nearest(p.Demand[i].Point, func(j int) bool { return !nw.straightPair(i, exOn[j], exComp[j]) })
			if j >= 0 {
				in.base[i] = min(in.base[i], p.straightCost(m))
			}
		} else {
			exIx.Within(p.Demand[i].Point, p.straightMetres(bound), func(j int, m float64) {
				if nw.straightPair(i, exOn[j], exComp[j]) {
					in.base[i] = min(in.base[i], p.straightCost(m))
				}
			})
		}
		if in.base[i] > bound {
			in.base[i] = math.Inf(1)
		}
	}

	// Candidates: one bounded search each, spread over the cores.
	workers := min(runtime.GOMAXPROCS(0), max(1, nc))
	var wg sync.WaitGroup
	next := make(chan int, workers)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := worker{nw: nw, p: p, stamp: make([]int32, nd)}
			for i := range w.stamp {
				w.stamp[i] = -1
			}
			for c := range next {
				s, comp, on := snapOf(p.Candidates[c].Point)
				in.offNet[c] = !on
				in.sets[c], in.straight[c] = w.reach(int32(c), s, comp, on, bound)
			}
		}()
	}
	for c := range nc {
		next <- c
	}
	close(next)
	wg.Wait()
	return in, nil
}

// cost is a reach's cost in the standard's metric.
func (nw *network) cost(r route.Reach) float64 {
	if nw.metric == route.ByTime {
		return r.Secs
	}
	return r.Metres
}

// straightPair says whether the trip from demand point i to a facility
// (in component comp when on the network) has no network route: either end
// is off the network, or they lie on parts of it that no road joins.
func (nw *network) straightPair(i int, on bool, comp uint32) bool {
	return nw.g == nil || !on || !nw.dOn[i] || nw.dComp[i] != comp
}

// worker measures candidates one at a time, reusing its search's arrays.
type worker struct {
	nw    *network
	p     *Problem
	field *route.Field
	stamp []int32 // per demand point: the candidate that last saw it
}

// reach lists the demand points candidate c (snapped at s, in component
// comp, when on) reaches within bound, and how many of them by the
// straight-line rule.
func (w *worker) reach(c int32, s route.Snap, comp uint32, on bool, bound float64) ([]entry, int) {
	nw, p := w.nw, w.p
	var out []entry
	if on {
		w.field = nw.g.MultiSourceWithin(w.field, []route.Source{{Snap: s, ID: int64(c)}}, nw.metric, nw.sp, bound)
		try := func(i int32) {
			if w.stamp[i] == c {
				return
			}
			w.stamp[i] = c
			if r := w.field.At(nw.g, nw.dSnap[i], nw.sp); r.OK {
				if cost := nw.cost(r); cost <= bound {
					out = append(out, entry{i, cost})
				}
			}
		}
		for _, i := range nw.byLink[s.Link] {
			try(i)
		}
		for _, v := range w.field.Reached() {
			for _, i := range nw.byNode[v] {
				try(i)
			}
		}
	}
	straight := 0
	add := func(i int, m float64) {
		if nw.straightPair(i, on, comp) {
			if cost := p.straightCost(m); cost <= bound {
				out = append(out, entry{int32(i), cost})
				straight++
			}
		}
	}
	pt := p.Candidates[c].Point
	if math.IsInf(bound, 1) {
		for i, d := range p.Demand {
			add(i, geoDistance(pt, d.Point))
		}
	} else {
		nw.spIndex.Within(pt, p.straightMetres(bound), add)
	}
	return out, straight
}

func geoDistance(a, b orb.Point) float64 { return orbgeo.Distance(a, b) }

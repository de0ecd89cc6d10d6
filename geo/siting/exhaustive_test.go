package siting

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/route"
	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
)

// randomProblem is a SYNTHETIC instance: a 12 × 12 grid of two-way roads
// 0.01° apart near 43° N (0.8 × 1.1 km cells) with a quarter of its segments
// missing (which leaves some parts unjoined), 60 places spread over a box
// larger than the grid (those far from any road are off the network), up to
// 3 existing facilities and nc candidates, half of them places, half random
// points. One instance in four has no graph at all.
func randomProblem(seed uint64, nc int) *Problem {
	rng := rand.New(rand.NewPCG(seed, 77))
	var roads []route.Road
	const n = 12
	pt := func(i, j int) orb.Point { return orb.Point{76 + 0.01*float64(i), 43 + 0.01*float64(j)} }
	for i := range n {
		for j := range n {
			for _, d := range [][2]int{{1, 0}, {0, 1}} {
				if i+d[0] < n && j+d[1] < n && rng.Float64() > 0.25 {
					class := []string{"tertiary", "residential", "track"}[rng.IntN(3)]
					roads = append(roads, route.Road{ID: int64(len(roads) + 1), Class: class, Paved: rng.IntN(2) == 0,
						Line: orb.LineString{pt(i, j), pt(i+d[0], j+d[1])}})
				}
			}
		}
	}
	o := access.DefaultOptions()
	o.MaxSnapMetres = 400
	p := &Problem{Options: o, Standard: Standard{Metric: route.ByLength, Limit: 2}}
	if seed%2 == 1 {
		p.Standard = Standard{Metric: route.ByTime, Limit: 6}
	}
	if seed%4 != 3 {
		g, err := route.Build(roads, o.Speeds)
		if err != nil {
			panic(err)
		}
		p.Graph = g
	}
	box := func() orb.Point { return orb.Point{75.98 + 0.15*rng.Float64(), 42.98 + 0.15*rng.Float64()} }
	for i := range 60 {
		d := Demand{ID: int64(i + 1), Point: box(), Population: float64(50 + rng.IntN(2000))}
		if rng.IntN(5) == 0 {
			d.Limit = p.Standard.Limit * (0.5 + rng.Float64())
		}
		p.Demand = append(p.Demand, d)
	}
	for range rng.IntN(4) {
		p.Existing = append(p.Existing, box())
	}
	for c := range nc {
		s := Site{Name: "c", Point: box(), CostKZT: float64(1 + rng.IntN(5))}
		if c%2 == 0 {
			d := p.Demand[rng.IntN(len(p.Demand))]
			s.Point, s.SettlementID = d.Point, d.ID
		}
		p.Candidates = append(p.Candidates, s)
	}
	return p
}

// reference measures every pair (demand point, facility) on its own, with
// an unbounded search from the facility alone, or by the straight-line rule
// when either end is off the network or the search does not reach the point
// (the grid's roads are all two-way, so that is exactly when they lie on
// unjoined parts). It shares nothing with prepare but route and the problem.
type reference struct {
	p        *Problem
	lim      []float64
	existing []float64   // per demand: nearest existing facility
	cand     [][]float64 // per candidate, per demand
}

func newReference(t *testing.T, p *Problem) *reference {
	t.Helper()
	u := 1000.0
	if p.Standard.Metric == route.ByTime {
		u = 60
	}
	ref := &reference{p: p}
	var sn *route.Snapper
	if p.Graph != nil {
		sn = p.Graph.NewSnapper()
	}
	costs := func(pt orb.Point) []float64 {
		out := make([]float64, len(p.Demand))
		var f *route.Field
		if sn != nil {
			if s, ok := sn.Snap(pt, p.Options.MaxSnapMetres); ok {
				f = p.Graph.MultiSource([]route.Source{{Snap: s}}, p.Standard.Metric, p.Options.Speeds)
			}
		}
		for i, d := range p.Demand {
			out[i] = math.NaN()
			if f != nil {
				if s, ok := sn.Snap(d.Point, p.Options.MaxSnapMetres); ok {
					if r := f.At(p.Graph, s, p.Options.Speeds); r.OK {
						out[i] = r.Metres
						if p.Standard.Metric == route.ByTime {
							out[i] = r.Secs
						}
					}
				}
			}
			if math.IsNaN(out[i]) {
				m := orbgeo.Distance(pt, d.Point)
				out[i] = m
				if p.Standard.Metric == route.ByTime {
					_, min := p.Options.Fallback(m)
					out[i] = min * 60
				}
			}
		}
		return out
	}
	ref.existing = make([]float64, len(p.Demand))
	for i, d := range p.Demand {
		ref.existing[i] = math.Inf(1)
		ref.lim = append(ref.lim, u*p.Standard.Limit)
		if d.Limit > 0 {
			ref.lim[i] = u * d.Limit
		}
	}
	for _, e := range p.Existing {
		for i, c := range costs(e) {
			ref.existing[i] = min(ref.existing[i], c)
		}
	}
	for _, c := range p.Candidates {
		ref.cand = append(ref.cand, costs(c.Point))
	}
	return ref
}

// nearest is each demand point's cost to the nearest of the existing
// facilities and the candidates in set.
func (ref *reference) nearest(set []int) []float64 {
	out := slices.Clone(ref.existing)
	for _, c := range set {
		for i, v := range ref.cand[c] {
			out[i] = min(out[i], v)
		}
	}
	return out
}

func (ref *reference) covered(set []int) float64 {
	s := 0.0
	for i, v := range ref.nearest(set) {
		if v <= ref.lim[i] {
			s += ref.p.Demand[i].Population
		}
	}
	return s
}

// total is the p-median objective, trips capped at capAt, in km·people or
// min·people.
func (ref *reference) total(set []int, capAt float64) float64 {
	s := 0.0
	for i, v := range ref.nearest(set) {
		s += ref.p.Demand[i].Population * min(v, capAt)
	}
	if ref.p.Standard.Metric == route.ByTime {
		return s / 60
	}
	return s / 1000
}

// subsets calls fn with every subset of {0 … n−1} of size k.
func subsets(n, k int, fn func([]int)) {
	set := make([]int, k)
	var rec func(from, i int)
	rec = func(from, i int) {
		if i == k {
			fn(set)
			return
		}
		for c := from; c <= n-(k-i); c++ {
			set[i] = c
			rec(c+1, i+1)
		}
	}
	rec(0, 0)
}

const lowerBound = 1 - 1/math.E

// TestMaxCoverAgainstExhaustive compares greedy with the best cover found by
// trying every set of k candidates, on SYNTHETIC instances; it also checks
// that the bounded searches find the covers the unbounded reference does.
func TestMaxCoverAgainstExhaustive(t *testing.T) {
	var ratios []float64
	optimal := 0
	for seed := range uint64(24) {
		nc := 10 + int(seed)%21 // 10 … 30 candidates
		p := randomProblem(seed, nc)
		ref := newReference(t, p)
		for k := 1; k <= 4; k++ {
			r, err := MaxCover(p, Budget{K: k})
			if err != nil {
				t.Fatal(err)
			}
			got := picked(r)
			already := ref.covered(nil)
			if math.Abs(r.AlreadyCovered-already) > 1e-6 || math.Abs(r.Covered-(ref.covered(got)-already)) > 1e-6 {
				t.Fatalf("seed %d k %d: picks %v cover %v + %v already; the reference says %v + %v",
					seed, k, got, r.Covered, r.AlreadyCovered, ref.covered(got)-already, already)
			}
			best := 0.0
			subsets(nc, k, func(s []int) { best = max(best, ref.covered(s)-already) })
			ratio := 1.0
			if best > 0 {
				ratio = r.Covered / best
			}
			if ratio < lowerBound {
				t.Errorf("seed %d k %d: greedy covers %v, the optimum %v: ratio %.3f below 1 − 1/e", seed, k, r.Covered, best, ratio)
			}
			if ratio > 1+1e-9 {
				t.Errorf("seed %d k %d: greedy covers %v, more than the optimum %v", seed, k, r.Covered, best)
			}
			if ratio >= 1-1e-9 {
				optimal++
			}
			ratios = append(ratios, ratio)
		}
	}
	report(t, "maximal covering", ratios, optimal)
}

// TestMaxCoverBudgetAgainstExhaustive: the budgeted rule against the best
// affordable set, found by trying every set of up to 4 candidates within
// budgets that never allow more than 4 sites (each costs at least 1).
func TestMaxCoverBudgetAgainstExhaustive(t *testing.T) {
	var ratios []float64
	optimal := 0
	for seed := range uint64(12) {
		nc := 12 + int(seed)
		p := randomProblem(seed+100, nc)
		ref := newReference(t, p)
		already := ref.covered(nil)
		for _, budget := range []float64{2, 3, 4} {
			r, err := MaxCover(p, Budget{KZT: budget})
			if err != nil {
				t.Fatal(err)
			}
			if r.CostKZT > budget {
				t.Fatalf("seed %d budget %v: spends %v", seed, budget, r.CostKZT)
			}
			if math.Abs(r.Covered-(ref.covered(picked(r))-already)) > 1e-6 {
				t.Fatalf("seed %d budget %v: covers %v; the reference says %v", seed, budget, r.Covered, ref.covered(picked(r))-already)
			}
			best := 0.0
			for k := 1; k <= 4; k++ {
				subsets(nc, k, func(s []int) {
					cost := 0.0
					for _, c := range s {
						cost += p.Candidates[c].CostKZT
					}
					if cost <= budget {
						best = max(best, ref.covered(s)-already)
					}
				})
			}
			ratio := 1.0
			if best > 0 {
				ratio = r.Covered / best
			}
			if ratio < (1-1/math.E)/2 || ratio > 1+1e-9 {
				t.Errorf("seed %d budget %v: covers %v, the optimum %v: ratio %.3f outside [½(1 − 1/e), 1]", seed, budget, r.Covered, best, ratio)
			}
			if ratio >= 1-1e-9 {
				optimal++
			}
			ratios = append(ratios, ratio)
		}
	}
	report(t, "budgeted maximal covering", ratios, optimal)
}

// TestPMedianAgainstExhaustive compares greedy plus substitution with the
// smallest total over every set of k candidates. Even seeds search without
// bound; odd ones within a radius of twice the standard, the objective then
// capping each trip at it.
func TestPMedianAgainstExhaustive(t *testing.T) {
	var ratios []float64
	optimal := 0
	for seed := range uint64(24) {
		nc := 10 + int(seed)%21
		p := randomProblem(seed+200, nc)
		capAt := math.Inf(1)
		if seed%2 == 1 {
			p.Radius = 2 * p.Standard.Limit
			capAt = p.Radius * p.Standard.unit()
		}
		ref := newReference(t, p)
		for k := 1; k <= 4; k++ {
			r, err := PMedian(p, k)
			if err != nil {
				t.Fatal(err)
			}
			got := picked(r)
			if len(got) != k {
				t.Fatalf("seed %d k %d: %d picks", seed, k, len(got))
			}
			if want := ref.total(got, capAt); math.Abs(r.Objective-want) > 1e-6*max(1, want) {
				t.Fatalf("seed %d k %d: picks %v total %v; the reference says %v", seed, k, got, r.Objective, want)
			}
			best := math.Inf(1)
			subsets(nc, k, func(s []int) { best = min(best, ref.total(s, capAt)) })
			ratio := best / r.Objective
			if r.Objective == 0 {
				ratio = 1
			}
			if ratio < lowerBound || ratio > 1+1e-9 {
				t.Errorf("seed %d k %d: total %v, the optimum %v: ratio %.3f outside [1 − 1/e, 1]", seed, k, r.Objective, best, ratio)
			}
			if ratio >= 1-1e-9 {
				optimal++
			}
			ratios = append(ratios, ratio)
		}
	}
	report(t, "p-median", ratios, optimal)
}

func report(t *testing.T, what string, ratios []float64, optimal int) {
	t.Helper()
	sum, low := 0.0, 1.0
	for _, r := range ratios {
		sum += r
		low = min(low, r)
	}
	mean := sum / float64(len(ratios))
	t.Logf("%s: %d SYNTHETIC instances, share of the optimum reached: mean %.4f, lowest %.4f; optimal in %d", what, len(ratios), mean, low, optimal)
	if mean < 0.95 {
		t.Errorf("%s: mean share of the optimum %.4f; the goal is 0.95", what, mean)
	}
}

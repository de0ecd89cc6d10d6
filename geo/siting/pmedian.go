package siting

import (
	"container/heap"
	"fmt"
	"math"
)

// PMedian proposes k sites that make the population-weighted trip to the
// nearest facility (existing or new) shortest: greedy addition, then vertex
// substitution until no exchange improves the total. Problem.Radius bounds
// the searches (see the package documentation).
func PMedian(p *Problem, k int) (*Result, error) {
	if k < 0 {
		return nil, fmt.Errorf("siting.PMedian: k %d: want ≥ 0", k)
	}
	if err := p.check(); err != nil {
		return nil, fmt.Errorf("siting.PMedian: %w", err)
	}
	bound := math.Inf(1)
	if p.Radius > 0 {
		bound = p.Radius * p.Standard.unit()
	}
	in, err := prepare(p, bound)
	if err != nil {
		return nil, fmt.Errorf("siting.PMedian: %w", err)
	}
	return in.pMedian(k, bound), nil
}

// medianState is each demand point's nearest and second-nearest open
// facility; the existing facilities, capped, count as one facility (-1) that
// never closes.
type medianState struct {
	in           *instance
	capped       []float64 // per demand: min(base, cap)
	best, second []float64
	bestAt       []int // candidate, or -1 for the existing facilities
}

// capOf is the cost an unreached demand point counts at: the radius, or with
// an unbounded search twice the longest trip found.
func (in *instance) capOf(bound float64) float64 {
	if !math.IsInf(bound, 1) {
		return bound
	}
	longest := 0.0
	for _, b := range in.base {
		if !math.IsInf(b, 1) {
			longest = max(longest, b)
		}
	}
	for _, s := range in.sets {
		for _, e := range s {
			longest = max(longest, e.cost)
		}
	}
	return 2*longest + 1
}

func (in *instance) medianState(cp float64, open []int) *medianState {
	n := len(in.pop)
	ms := &medianState{in: in, capped: make([]float64, n), best: make([]float64, n), second: make([]float64, n), bestAt: make([]int, n)}
	for i, b := range in.base {
		ms.capped[i] = min(b, cp)
	}
	ms.reset(open)
	return ms
}

func (ms *medianState) reset(open []int) {
	copy(ms.best, ms.capped)
	for i := range ms.second {
		ms.second[i], ms.bestAt[i] = math.Inf(1), -1
	}
	for _, c := range open {
		ms.open(c)
	}
}

func (ms *medianState) open(c int) {
	for _, e := range ms.in.sets[c] {
		switch i := e.d; {
		case e.cost < ms.best[i]:
			ms.second[i], ms.best[i], ms.bestAt[i] = ms.best[i], e.cost, c
		case e.cost < ms.second[i]:
			ms.second[i] = e.cost
		}
	}
}

// saving is how much the total falls when c opens.
func (ms *medianState) saving(c int) float64 {
	s := 0.0
	for _, e := range ms.in.sets[c] {
		if e.cost < ms.best[e.d] {
			s += ms.in.pop[e.d] * (ms.best[e.d] - e.cost)
		}
	}
	return s
}

func (ms *medianState) total() float64 {
	t := 0.0
	for i, b := range ms.best {
		t += ms.in.pop[i] * b
	}
	return t
}

func (in *instance) pMedian(k int, bound float64) *Result {
	r := &Result{Method: "p-median",
		Guarantee: "none in the worst case: greedy addition then vertex substitution to a local optimum (no exchange of one site improves it)"}
	cp := in.capOf(bound)
	ms := in.medianState(cp, nil)
	u := in.p.Standard.unit()
	for i, p := range in.pop {
		r.Population += p
		if in.base[i] <= in.lim[i] {
			r.AlreadyCovered += p
		}
	}
	r.BaseObjective = ms.total() / u

	// Greedy addition, lazily: a saving only shrinks as sites open.
	q := make(gainQueue, 0, len(in.sets))
	for c := range in.sets {
		if s := ms.saving(c); s > 0 {
			q = append(q, keyed{c, s, s})
		}
	}
	heap.Init(&q)
	var open []int
	for q.Len() > 0 && len(open) < k {
		top := heap.Pop(&q).(keyed)
		s := ms.saving(top.c)
		if s <= 0 {
			continue
		}
		top.key, top.gain = s, s
		if q.Len() > 0 && q.less(0, top) {
			heap.Push(&q, top)
			continue
		}
		ms.open(top.c)
		open = append(open, top.c)
	}

	in.substitute(ms, open)

	// The gains of the final set, in the order of its sites.
	ms.reset(nil)
	for _, c := range open {
		g := ms.saving(c)
		ms.open(c)
		r.Picks = append(r.Picks, in.pick(c, g/u))
	}
	r.Objective = ms.total() / u
	for i, p := range in.pop {
		if ms.best[i] >= cp {
			r.Unserved += p
		}
		if in.base[i] > in.lim[i] && ms.best[i] <= in.lim[i] {
			r.Covered += p
		}
	}
	if !math.IsInf(bound, 1) {
		r.Unserved = 0 // with a radius, an unreached place counts at the radius: not unserved, only far
	}
	for _, pk := range r.Picks {
		r.CostKZT += pk.Site.CostKZT
	}
	return r
}

// substitute makes the best improving exchange of an open site for a closed
// candidate until none improves the total by more than a rounding error.
// Every exchange (c in, o out) is priced in one sweep over the closed
// candidates' reach lists: closing o costs loss[o], the rise of the points
// whose nearest it is to their second-nearest; opening c saves, for each point
// it reaches, what it beats the point's nearest by — or its second-nearest by,
// when the nearest is o, which extra[o] corrects.
func (in *instance) substitute(ms *medianState, open []int) {
	if len(open) == 0 {
		return
	}
	pos := make([]int, len(in.sets)) // candidate → its position in open, or -1
	extra := make([]float64, len(open))
	loss := make([]float64, len(open))
	for range 100 * len(open) { // a safety stop; each exchange lowers the total
		for c := range pos {
			pos[c] = -1
		}
		for k, c := range open {
			pos[c] = k
		}
		clear(loss)
		for i, at := range ms.bestAt {
			if at >= 0 {
				loss[pos[at]] += in.pop[i] * (ms.second[i] - ms.best[i])
			}
		}
		total := ms.total()
		bestDelta, bestIn, bestOut := -1e-9*max(total, 1), -1, -1
		for c, set := range in.sets {
			if pos[c] >= 0 {
				continue
			}
			clear(extra)
			gain := 0.0
			for _, e := range set {
				i := e.d
				g := max(0, ms.best[i]-e.cost)
				gain += in.pop[i] * g
				if at := ms.bestAt[i]; at >= 0 {
					extra[pos[at]] += in.pop[i] * (max(0, ms.second[i]-e.cost) - g)
				}
			}
			for k := range open {
				if d := loss[k] - gain - extra[k]; d < bestDelta {
					bestDelta, bestIn, bestOut = d, c, k
				}
			}
		}
		if bestIn < 0 {
			return
		}
		open[bestOut] = bestIn
		ms.reset(open)
	}
}

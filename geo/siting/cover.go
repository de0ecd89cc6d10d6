package siting

import (
	"container/heap"
	"fmt"
	"math"
)

// Pick is one chosen site.
type Pick struct {
	// Candidate is the site's index in Problem.Candidates.
	Candidate int
	Site      Site
	// Gain is what the site adds when it is added after the sites before it:
	// population newly covered (MaxCover), or the fall of the
	// population-weighted total, in km·people or min·people (PMedian).
	Gain float64
	// OffNetwork: the site is off the road network, so every trip to it is
	// measured by the straight-line rule.
	OffNetwork bool
	// StraightPairs is how many of the settlements the site reaches it
	// reaches by the straight-line rule (see the package documentation).
	StraightPairs int
}

// Result is a siting answer.
type Result struct {
	Method string // "maximal covering" or "p-median"
	Picks  []Pick // in the order chosen
	// CostKZT is the total cost of the picks (of those that state one).
	CostKZT float64
	// Population is the demand's total; AlreadyCovered the part the existing
	// facilities cover; Covered the part the picks newly cover (MaxCover; for
	// PMedian, the part the picks bring within the standard).
	Population, AlreadyCovered, Covered float64
	// Objective is, for PMedian, the population-weighted total trip (in
	// km·people or min·people) with the picks; BaseObjective the same with
	// the existing facilities only.
	Objective, BaseObjective float64
	// Unserved is the population no facility reaches (PMedian with an
	// unbounded search; such people count at the cap, see the package
	// documentation).
	Unserved float64
	// Guarantee states the worst-case ratio to the optimum the method
	// proves, in words.
	Guarantee string
}

// Budget limits MaxCover: K sites, or sites whose costs add up to at most
// KZT. Exactly one of the two is set.
type Budget struct {
	K   int
	KZT float64
}

func (b Budget) check(p *Problem) error {
	switch {
	case b.K < 0 || !(b.KZT >= 0) || math.IsInf(b.KZT, 0):
		return fmt.Errorf("budget: k %d, %v tenge: want a number of sites ≥ 0 or a finite budget ≥ 0", b.K, b.KZT)
	case b.K > 0 && b.KZT > 0:
		return fmt.Errorf("budget: k %d and %v tenge: give one, not both", b.K, b.KZT)
	case b.K == 0 && b.KZT == 0:
		return fmt.Errorf("budget: give a number of sites or a budget in tenge")
	}
	if b.KZT > 0 {
		for i, c := range p.Candidates {
			if !(c.CostKZT > 0) {
				return fmt.Errorf("candidate %q (#%d): cost %v: a budget needs every candidate's cost", c.Name, i, c.CostKZT)
			}
		}
	}
	return nil
}

// MaxCover proposes sites that bring the most population within the
// standard, for K sites or a budget in tenge. It stops early when no
// candidate adds anyone.
func MaxCover(p *Problem, b Budget) (*Result, error) {
	if err := b.check(p); err != nil {
		return nil, fmt.Errorf("siting.MaxCover: %w", err)
	}
	if err := p.check(); err != nil {
		return nil, fmt.Errorf("siting.MaxCover: %w", err)
	}
	u := p.Standard.unit()
	bound := p.Standard.Limit * u
	for _, d := range p.Demand {
		bound = max(bound, d.Limit*u)
	}
	in, err := prepare(p, bound)
	if err != nil {
		return nil, fmt.Errorf("siting.MaxCover: %w", err)
	}
	return in.maxCover(b), nil
}

// cover is the state of a greedy cover: which demand points are covered.
type cover struct {
	in      *instance
	covered []bool
}

func (in *instance) newCover() *cover {
	c := &cover{in: in, covered: make([]bool, len(in.pop))}
	for i, b := range in.base {
		c.covered[i] = b <= in.lim[i]
	}
	return c
}

// gain is the population candidate c would newly cover.
func (cv *cover) gain(c int) float64 {
	g := 0.0
	for _, e := range cv.in.sets[c] {
		if !cv.covered[e.d] && e.cost <= cv.in.lim[e.d] {
			g += cv.in.pop[e.d]
		}
	}
	return g
}

func (cv *cover) take(c int) {
	for _, e := range cv.in.sets[c] {
		if e.cost <= cv.in.lim[e.d] {
			cv.covered[e.d] = true
		}
	}
}

func (in *instance) pick(c int, gain float64) Pick {
	return Pick{Candidate: c, Site: in.p.Candidates[c], Gain: gain, OffNetwork: in.offNet[c], StraightPairs: in.straight[c]}
}

func (in *instance) maxCover(b Budget) *Result {
	r := &Result{Method: "maximal covering"}
	cv := in.newCover()
	for i, p := range in.pop {
		r.Population += p
		if cv.covered[i] {
			r.AlreadyCovered += p
		}
	}
	if b.KZT > 0 {
		r.Guarantee = "at least ½(1 − 1/e) ≈ 0.316 of the best cover within the budget (cost-aware greedy or the best single site, whichever covers more)"
		greedy := in.lazyGreedy(cv, 0, b.KZT)
		best, bestGain := -1, 0.0
		fresh := in.newCover()
		for c, s := range in.p.Candidates {
			if s.CostKZT <= b.KZT {
				if g := fresh.gain(c); g > bestGain {
					best, bestGain = c, g
				}
			}
		}
		total := 0.0
		for _, pk := range greedy {
			total += pk.Gain
		}
		if best >= 0 && bestGain > total {
			greedy = []Pick{in.pick(best, bestGain)}
		}
		r.Picks = greedy
	} else {
		r.Guarantee = "at least 1 − 1/e ≈ 0.632 of the best cover with as many sites (greedy on a coverage function)"
		r.Picks = in.lazyGreedy(cv, b.K, 0)
	}
	for _, pk := range r.Picks {
		r.Covered += pk.Gain
		r.CostKZT += pk.Site.CostKZT
	}
	return r
}

// lazyGreedy adds up to k sites (k > 0), or sites within budget tenge
// (ranked by gain per tenge), to cv, each time the one of the largest gain,
// skipping stale keys lazily. Ties go to the lower candidate index, so that
// answers are reproducible.
func (in *instance) lazyGreedy(cv *cover, k int, budget float64) []Pick {
	score := func(c int, g float64) float64 {
		if budget > 0 {
			return g / in.p.Candidates[c].CostKZT
		}
		return g
	}
	q := make(gainQueue, 0, len(in.sets))
	for c := range in.sets {
		if budget > 0 && in.p.Candidates[c].CostKZT > budget {
			continue
		}
		if g := cv.gain(c); g > 0 {
			q = append(q, keyed{c, score(c, g), g})
		}
	}
	heap.Init(&q)
	var picks []Pick
	left := budget
	for q.Len() > 0 && (budget > 0 || len(picks) < k) {
		top := heap.Pop(&q).(keyed)
		if budget > 0 && in.p.Candidates[top.c].CostKZT > left {
			continue // the budget only shrinks: it will never fit
		}
		g := cv.gain(top.c)
		if g <= 0 {
			continue
		}
		top.key, top.gain = score(top.c, g), g
		if q.Len() > 0 && q.less(0, top) {
			heap.Push(&q, top) // stale: another candidate may now beat it
			continue
		}
		cv.take(top.c)
		left -= in.p.Candidates[top.c].CostKZT
		picks = append(picks, in.pick(top.c, g))
	}
	return picks
}

type keyed struct {
	c         int
	key, gain float64
}

// gainQueue is a max-queue of candidates by key, then lower index first.
type gainQueue []keyed

func (q gainQueue) Len() int { return len(q) }
func (q gainQueue) Less(i, j int) bool {
	return q[i].key > q[j].key || q[i].key == q[j].key && q[i].c < q[j].c
}

// less says whether queue item i ranks before k.
func (q gainQueue) less(i int, k keyed) bool {
	return q[i].key > k.key || q[i].key == k.key && q[i].c < k.c
}
func (q gainQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *gainQueue) Push(x any)   { *q = append(*q, x.(keyed)) }
func (q *gainQueue) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}

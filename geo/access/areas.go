package access

import (
	"cmp"
	"math"
	"slices"

	"github.com/aimaq/aimaq/geo"
	"github.com/aimaq/aimaq/geo/indicator"
	"github.com/aimaq/aimaq/geo/level"
	"github.com/paulmach/orb"
)

// AreaValue is one area's value of one area indicator.
type AreaValue struct {
	Area       int64
	Indicator  string
	Value      float64
	Population float64 // the population the value stands for
	Method     string  // Network, StraightLine, Mixed, Statistics or Estimated
}

// areas aggregates the settlement figures to every area a settlement counts
// in, with the two-step floating catchments, and adds facilities per 10,000
// people and population density from the areas' own population. The rows are
// ordered by area and indicator.
func (e *engine) areas() []AreaValue {
	sch, cli := e.twoStepFCA()
	return e.areasWith(sch, cli)
}

// areasWith is areas with the catchments of schools and health facilities given.
func (e *engine) areasWith(sch, cli fca) []AreaValue {
	ix := newAreaIndex(e.in.Areas)
	out := append(e.aggregate(ix, sch, cli), e.perArea(ix)...)
	slices.SortFunc(out, func(a, b AreaValue) int {
		return cmp.Or(cmp.Compare(a.Area, b.Area), cmp.Compare(a.Indicator, b.Indicator))
	})
	return out
}

// areaIndex finds the areas a settlement or facility counts in.
type areaIndex struct {
	byID    map[int64]*Area
	country int64
	// cityParts lists the city districts (Area.CityPart) of each city.
	cityParts map[int64][]int64
}

func newAreaIndex(areas []Area) areaIndex {
	ix := areaIndex{byID: make(map[int64]*Area, len(areas))}
	for i := range areas {
		a := &areas[i]
		ix.byID[a.ID] = a
		if a.Level == level.Country {
			ix.country = a.ID
		}
		if a.CityPart && a.Parent != 0 {
			if ix.cityParts == nil {
				ix.cityParts = map[int64][]int64{}
			}
			ix.cityParts[a.Parent] = append(ix.cityParts[a.Parent], a.ID)
		}
	}
	return ix
}

// of lists the areas of something in district and oblast (0: none): those
// two, the country, and the district's group.
func (ix areaIndex) of(district, oblast int64) []int64 {
	out := make([]int64, 0, 4)
	for _, id := range []int64{district, oblast, ix.country} {
		if id != 0 {
			out = append(out, id)
		}
	}
	if a := ix.byID[district]; a != nil && a.Group != 0 {
		out = append(out, a.Group)
	}
	return out
}

// bucket is what an area collects of its settlements: the values of each
// aggregated figure, and how many of them were straight-line.
type bucket struct {
	vals     map[string][]Value
	straight map[string]int
}

// method is Network when none of the n values of name was straight-line,
// StraightLine when all were, else Mixed.
func (b *bucket) method(name string, n int) string {
	switch s := b.straight[name]; {
	case s == 0:
		return Network
	case s >= n:
		return StraightLine
	}
	return Mixed
}

// straightCounts says whether a settlement's value of in counts as
// straight-line in an area's method: always for indicators that are
// straight-line by definition; for routed ones when the search for its
// target fell back; and for every figure when there is no network at all.
func (e *engine) straightCounts(in indicator.Settlement, flagged []string) bool {
	switch {
	case e.net == nil, in.Routing == indicator.StraightLine:
		return true
	case in.Routing == indicator.Routed:
		return slices.Contains(flagged, in.Target)
	}
	return false
}

// aggregate gives every area the values the catalogue (geo/indicator) makes
// from its settlements: population-weighted means and medians, the shares
// within or beyond the standards' thresholds, and the mean of the catchments.
// A city district (Area.CityPart) gets its city's values, marked City: the few
// points that happen to fall inside it (the city's one point, villages the
// city absorbed) do not describe it.
func (e *engine) aggregate(ix areaIndex, sch, cli fca) []AreaValue {
	catchments := map[string]fca{Schools.Name: sch, Clinics.Name: cli}
	settlementCat := indicator.Settlements()
	var areaCat []indicator.Indicator
	for _, in := range indicator.All() {
		switch in.Aggregation {
		case indicator.Mean, indicator.Median, indicator.ShareWithin, indicator.ShareBeyond, indicator.Catchment:
			areaCat = append(areaCat, in)
		}
	}
	buckets := map[int64]*bucket{}
	get := func(id int64) *bucket {
		b := buckets[id]
		if b == nil {
			b = &bucket{vals: map[string][]Value{}, straight: map[string]int{}}
			buckets[id] = b
		}
		return b
	}
	for i, s := range e.in.Settlements {
		f := &e.figs[i]
		w := float64(s.Population)
		for _, areaID := range ix.of(s.District, s.Oblast) {
			if a := ix.byID[areaID]; a != nil && a.CityPart {
				continue
			}
			b := get(areaID)
			for k, in := range settlementCat {
				v := f.Values[k]
				b.vals[in.Name] = append(b.vals[in.Name], Value{V: v, Weight: w})
				if !math.IsNaN(v) && e.straightCounts(in, f.StraightLine) {
					b.straight[in.Name]++
				}
			}
			for _, in := range areaCat {
				if c, ok := catchments[in.Of]; ok && in.Aggregation == indicator.Catchment {
					b.vals[in.Name] = append(b.vals[in.Name], Value{V: c.value(i), Weight: w})
					if c.straight {
						b.straight[in.Name]++
					}
				}
			}
		}
	}
	var out []AreaValue
	for areaID, b := range buckets {
		for _, in := range areaCat {
			of := in.Of
			if in.Aggregation == indicator.Catchment {
				of = in.Name
			}
			vs := b.vals[of]
			sum := Summarise(vs)
			v := sum.Mean
			switch in.Aggregation {
			case indicator.Median:
				v = sum.Median
			case indicator.ShareWithin:
				v = ShareWithin(vs, in.Limit)
			case indicator.ShareBeyond:
				v = ShareBeyond(vs, in.Limit)
			}
			if math.IsNaN(sum.Mean) || math.IsNaN(v) {
				continue
			}
			m := b.method(of, sum.Count)
			if m == StraightLine {
				// A catchment without a network is drawn by estimated time, and a
				// time by the straight-line rule is an estimate.
				s, _ := in.Settlement()
				m = fallbackMethod(in.Aggregation == indicator.Catchment || s.IsTime())
			}
			out = append(out, AreaValue{areaID, in.Name, v, sum.Population, m})
			for _, part := range ix.cityParts[areaID] {
				out = append(out, AreaValue{part, in.Name, v, sum.Population, City})
			}
		}
	}
	return out
}

// perArea gives every area of known population its schools and health
// facilities per 10,000 people and its population density.
func (e *engine) perArea(ix areaIndex) []AreaValue {
	counts := map[int64]map[string]float64{}
	for _, f := range e.in.Facilities {
		for _, set := range []FacilitySet{Schools, Clinics} {
			if !set.Has(f.Kind) {
				continue
			}
			for _, areaID := range ix.of(f.District, f.Oblast) {
				if counts[areaID] == nil {
					counts[areaID] = map[string]float64{}
				}
				counts[areaID][set.Name]++
			}
		}
	}
	var out []AreaValue
	hasSchools, hasHealth := e.in.Has(Schools), e.in.Has(Clinics)
	for _, a := range e.in.Areas {
		if math.IsNaN(a.Population) || a.Population <= 0 {
			continue
		}
		popMethod := Statistics
		if a.Estimated {
			popMethod = Estimated
		}
		if a.Km2 > 0 {
			out = append(out, AreaValue{a.ID, "population_density", a.Population / a.Km2, a.Population, popMethod})
		}
		if hasSchools {
			out = append(out, AreaValue{a.ID, "schools_per_10k", counts[a.ID][Schools.Name] / a.Population * 1e4, a.Population, popMethod})
		}
		if hasHealth {
			out = append(out, AreaValue{a.ID, "health_per_10k", counts[a.ID][Clinics.Name] / a.Population * 1e4, a.Population, popMethod})
		}
	}
	return out
}

// fca is a 2SFCA result per settlement.
type fca struct {
	a        []float64 // nil: not computable
	straight bool
}

func (f fca) value(i int) float64 {
	if f.a == nil {
		return math.NaN()
	}
	return f.a[i]
}

// twoStepFCA computes school places and health facilities per 1,000 people
// within CatchmentMinutes: over the network when there is one, else within
// the radius the straight-line rule covers in that time (flagged). Capacity
// is used where tagged, else each facility counts as 1.
func (e *engine) twoStepFCA() (school, health fca) {
	pop := make([]float64, len(e.in.Settlements))
	for i, s := range e.in.Settlements {
		pop[i] = float64(s.Population)
	}
	run := func(keep func(kind string) bool, useCapacity bool) fca {
		var supply []float64
		var pts []int
		for j, f := range e.in.Facilities {
			if !keep(f.Kind) {
				continue
			}
			c := 1.0
			if useCapacity && !math.IsNaN(f.Capacity) && f.Capacity > 0 {
				c = f.Capacity
			}
			supply = append(supply, c)
			pts = append(pts, j)
		}
		if len(supply) == 0 {
			return fca{}
		}
		var pairs []Pair
		straight := e.net == nil
		if e.net != nil {
			pairs = e.net.catchment(pts, CatchmentMinutes)
		} else {
			spts := make([]orb.Point, len(e.in.Settlements))
			for i, s := range e.in.Settlements {
				spts[i] = s.Point
			}
			ix := geo.NewPointIndex(spts)
			radius := e.o.FallbackRadius(CatchmentMinutes)
			for k, j := range pts {
				ix.Within(e.in.Facilities[j].Point, radius, func(i int, _ float64) { pairs = append(pairs, Pair{F: k, S: i}) })
			}
		}
		return fca{a: TwoStepFCA(supply, pop, pairs, 1000), straight: straight}
	}
	school = run(Schools.Has, true)
	health = run(Clinics.Has, false)
	return school, health
}

package access

import (
	"cmp"
	"math"
	"slices"

	"github.com/aimaq/aimaq/geo"
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

// aggregated is one settlement figure that areas get the mean and median of.
type aggregated struct {
	name  string
	value func(f *Figures) float64
	// target is the Figures.StraightLine name that marks the value as
	// straight-line; "" = never routed.
	target string
}

var aggregates = []aggregated{
	{"school_km", func(f *Figures) float64 { return f.SchoolKm }, "school"},
	{"school_min", func(f *Figures) float64 { return f.SchoolMin }, "school"},
	{"clinic_km", func(f *Figures) float64 { return f.ClinicKm }, "clinic"},
	{"clinic_min", func(f *Figures) float64 { return f.ClinicMin }, "clinic"},
	{"hospital_km", func(f *Figures) float64 { return f.HospitalKm }, "hospital"},
	{"hospital_min", func(f *Figures) float64 { return f.HospitalMin }, "hospital"},
	{"paved_road_km", func(f *Figures) float64 { return f.PavedRoadKm }, ""},
	{"district_centre_km", func(f *Figures) float64 { return f.DistrictCentreKm }, "district_centre"},
	{"district_centre_min", func(f *Figures) float64 { return f.DistrictCentreMin }, "district_centre"},
	{"oblast_centre_km", func(f *Figures) float64 { return f.OblastCentreKm }, "oblast_centre"},
	{"oblast_centre_min", func(f *Figures) float64 { return f.OblastCentreMin }, "oblast_centre"},
	{"town5k_km", func(f *Figures) float64 { return f.Town5kKm }, "town5k"},
	{"srs_score", func(f *Figures) float64 {
		if f.SRS.Score == nil {
			return math.NaN()
		}
		return *f.SRS.Score
	}, ""},
}

// shares: population share within a threshold of the standards.
var shares = []struct {
	name  string
	of    string
	limit float64
}{
	{"share_school_3km", "school_km", SchoolMaxKm},
	{"share_clinic_30min", "clinic_min", ClinicMaxMin},
	{"share_hospital_60min", "hospital_min", HospitalMaxMin},
	{"share_paved_1km", "paved_road_km", PavedMaxKm},
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
}

func newAreaIndex(areas []Area) areaIndex {
	ix := areaIndex{byID: make(map[int64]*Area, len(areas))}
	for i := range areas {
		a := &areas[i]
		ix.byID[a.ID] = a
		if a.Level == "country" {
			ix.country = a.ID
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

// aggregate gives every area the population-weighted mean and median of each
// aggregated figure of its settlements, the shares within the standards'
// thresholds, and the mean of the catchments.
func (e *engine) aggregate(ix areaIndex, sch, cli fca) []AreaValue {
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
		flagged := map[string]bool{}
		for _, t := range f.StraightLine {
			flagged[t] = true
		}
		for _, areaID := range ix.of(s.District, s.Oblast) {
			b := get(areaID)
			for _, ag := range aggregates {
				v := ag.value(f)
				b.vals[ag.name] = append(b.vals[ag.name], Value{V: v, Weight: w})
				if !math.IsNaN(v) && (flagged[ag.target] || ag.target == "town5k" || e.net == nil) {
					b.straight[ag.name]++
				}
			}
			b.vals["school_2sfca"] = append(b.vals["school_2sfca"], Value{V: sch.value(i), Weight: w})
			b.vals["clinic_2sfca"] = append(b.vals["clinic_2sfca"], Value{V: cli.value(i), Weight: w})
			if sch.straight {
				b.straight["school_2sfca"]++
			}
			if cli.straight {
				b.straight["clinic_2sfca"]++
			}
		}
	}
	var out []AreaValue
	for areaID, b := range buckets {
		for name, vs := range b.vals {
			sum := Summarise(vs)
			if math.IsNaN(sum.Mean) {
				continue
			}
			m := b.method(name, sum.Count)
			if name == "school_2sfca" || name == "clinic_2sfca" {
				out = append(out, AreaValue{areaID, name, sum.Mean, sum.Population, m})
				continue
			}
			out = append(out, AreaValue{areaID, name + "_mean", sum.Mean, sum.Population, m},
				AreaValue{areaID, name + "_median", sum.Median, sum.Population, m})
		}
		for _, sh := range shares {
			vs := b.vals[sh.of]
			if v := ShareWithin(vs, sh.limit); !math.IsNaN(v) {
				sum := Summarise(vs)
				out = append(out, AreaValue{areaID, sh.name, v, sum.Population, b.method(sh.of, sum.Count)})
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

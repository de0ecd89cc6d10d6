package access

import (
	"math"
	"sort"
)

// Value is one settlement's figure with its population weight.
type Value struct {
	V      float64 // NaN: missing, left out
	Weight float64 // population
}

// Summary is the population-weighted description of one indicator in one area.
type Summary struct {
	Mean, Median float64 // NaN when no value is known
	Population   float64 // weight of the values that entered
	Count        int
}

// Summarise returns the population-weighted mean and median of vs, leaving
// out missing values. The weighted median is the smallest value at which the
// cumulative weight reaches half the total (the lower weighted median).
func Summarise(vs []Value) Summary {
	s := Summary{Mean: math.NaN(), Median: math.NaN()}
	known := make([]Value, 0, len(vs))
	var sum float64
	for _, v := range vs {
		if math.IsNaN(v.V) || v.Weight <= 0 {
			continue
		}
		known = append(known, v)
		s.Population += v.Weight
		sum += v.V * v.Weight
	}
	s.Count = len(known)
	if s.Population == 0 {
		return s
	}
	s.Mean = sum / s.Population
	sort.Slice(known, func(i, j int) bool { return known[i].V < known[j].V })
	var cum float64
	for _, v := range known {
		cum += v.Weight
		if cum >= s.Population/2 {
			s.Median = v.V
			break
		}
	}
	return s
}

// ShareWithin returns the share of the population (of known values) whose
// value is at most limit; NaN when nothing is known.
func ShareWithin(vs []Value, limit float64) float64 {
	return share(vs, func(v float64) bool { return v <= limit })
}

// ShareBeyond returns the share of the population (of known values) whose
// value is above limit: the people a standard leaves out; NaN when nothing
// is known.
func ShareBeyond(vs []Value, limit float64) float64 {
	return share(vs, func(v float64) bool { return v > limit })
}

// share is the population share (of known values) whose value is in.
func share(vs []Value, in func(float64) bool) float64 {
	var within, all float64
	for _, v := range vs {
		if math.IsNaN(v.V) || v.Weight <= 0 {
			continue
		}
		all += v.Weight
		if in(v.V) {
			within += v.Weight
		}
	}
	if all == 0 {
		return math.NaN()
	}
	return within / all
}

// Pair says that settlement S is within the catchment of facility F.
type Pair struct{ F, S int }

// TwoStepFCA computes the two-step floating catchment area ratio (Luo & Wang
// 2003): for each facility j, R_j = supply_j / Σ population of settlements in
// its catchment; for each settlement i, A_i = Σ R_j over facilities whose
// catchment holds i. Multiplied by per (e.g. 1000) it reads "supply per
// `per` people". pairs must be symmetric in meaning: S within the catchment of F.
func TwoStepFCA(supply []float64, pop []float64, pairs []Pair, per float64) []float64 {
	demand := make([]float64, len(supply))
	for _, p := range pairs {
		demand[p.F] += pop[p.S]
	}
	out := make([]float64, len(pop))
	for _, p := range pairs {
		if demand[p.F] > 0 {
			out[p.S] += supply[p.F] / demand[p.F] * per
		}
	}
	return out
}

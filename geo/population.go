package geo

import (
	"sort"
)

// Place is a settlement as the population estimator sees it.
type Place struct {
	Place      string // OSM place=*: city, town, village, hamlet, isolated_dwelling
	Region     string // the unit whose peers inform the estimate (oblast KATO); may be empty
	Population int    // 0 = unknown
}

// Estimate says how a missing population was filled in.
type Estimate struct {
	Population int
	Method     string // "median:region", "median:country" or "default"
	Samples    int    // tagged peers the median was taken over (0 for default)
}

// MinSamples is how many tagged peers a median needs before it is trusted.
const MinSamples = 5

// DefaultPopulation is used when fewer than MinSamples peers of a place type are
// tagged anywhere: round figures within the OSM wiki's ranges for each place type.
var DefaultPopulation = map[string]int{
	"city":              50000,
	"town":              10000,
	"village":           500,
	"hamlet":            50,
	"isolated_dwelling": 5,
}

// PopulationEstimator fills in missing settlement populations.
//
// The method: the median tagged population of places of the same OSM place type in
// the same region (oblast), when at least MinSamples are tagged there; else the
// national median for that place type under the same rule; else DefaultPopulation.
// Medians resist the few large outliers that OSM village tags contain, and the
// per-region step keeps the difference between, say, large southern villages and
// small northern ones.
type PopulationEstimator struct {
	region  map[[2]string][]int
	country map[string][]int
}

// NewPopulationEstimator learns medians from the places whose population is known.
func NewPopulationEstimator(places []Place) *PopulationEstimator {
	e := &PopulationEstimator{region: map[[2]string][]int{}, country: map[string][]int{}}
	for _, p := range places {
		if p.Population <= 0 {
			continue
		}
		if p.Region != "" {
			k := [2]string{p.Region, p.Place}
			e.region[k] = append(e.region[k], p.Population)
		}
		e.country[p.Place] = append(e.country[p.Place], p.Population)
	}
	for _, v := range e.region {
		sort.Ints(v)
	}
	for _, v := range e.country {
		sort.Ints(v)
	}
	return e
}

// Estimate returns the population to assume for p, which has none tagged.
func (e *PopulationEstimator) Estimate(p Place) Estimate {
	if v := e.region[[2]string{p.Region, p.Place}]; len(v) >= MinSamples {
		return Estimate{Population: median(v), Method: "median:region", Samples: len(v)}
	}
	if v := e.country[p.Place]; len(v) >= MinSamples {
		return Estimate{Population: median(v), Method: "median:country", Samples: len(v)}
	}
	if d, ok := DefaultPopulation[p.Place]; ok {
		return Estimate{Population: d, Method: "default"}
	}
	return Estimate{Population: DefaultPopulation["hamlet"], Method: "default"}
}

// median of sorted, non-empty v, rounded down to a whole person.
func median(v []int) int {
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}

// Package accesstest builds the SYNTHETIC country the benchmarks of
// geo/access, geo/scenario and geo/siting share, so that their figures are
// measured on one and the same country.
package accesstest

import (
	"math"
	"math/rand/v2"

	"github.com/aimaq/aimaq/geo"
	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/level"
	"github.com/aimaq/aimaq/geo/route"
	"github.com/aimaq/aimaq/geo/route/routetest"
	"github.com/paulmach/orb"
)

// Settlements and Facilities are the SYNTHETIC settlement and facility
// points of n settlements and of the 10,000 facilities (fixed seeds).
func Settlements(n int) []orb.Point { return routetest.RandomPoints(21, n) }
func Facilities() []orb.Point       { return routetest.RandomPoints(31, 10000) }

// Roads is the SYNTHETIC road network of about nodes nodes joining settl.
func Roads(settl []orb.Point, nodes int) []route.Road {
	return routetest.SyntheticCountry(1, settl, nodes)
}

// Country is the SYNTHETIC country on roads: a settlement of 50–3,050 people
// at each of settl, the facilities at fac (the first 7,000 schools, the rest
// health facilities of five levels), and 200 districts in 17 oblasts and 6
// macroregions, each district the settlements and facilities nearest its
// centre (the 17th to 216th settlement points). settl needs at least 217
// points.
func Country(roads []route.Road, settl, fac []orb.Point) *access.Input {
	rng := rand.New(rand.NewPCG(8, 9))
	in := &access.Input{Roads: roads}
	in.Areas = append(in.Areas, access.Area{ID: 1, Level: level.Country, Population: math.NaN()})
	for o := range 17 {
		in.Areas = append(in.Areas, access.Area{ID: int64(100 + o), Level: level.Oblast, Population: math.NaN(), Centre: &settl[o]})
	}
	districts := settl[17 : 17+200]
	for d := range districts {
		in.Areas = append(in.Areas, access.Area{ID: int64(1000 + d), Level: level.District, Group: int64(10 + d%6),
			Population: float64(10000 + d), Km2: 1000, Centre: &districts[d]})
	}
	for g := range 6 {
		in.Areas = append(in.Areas, access.Area{ID: int64(10 + g), Level: level.Macroregion, Population: math.NaN()})
	}
	ix := geo.NewPointIndex(districts)
	area := func(p orb.Point) (district, oblast int64) {
		d, _ := ix.Nearest(p, nil)
		return int64(1000 + d), int64(100 + d%17)
	}
	for i, p := range settl {
		d, o := area(p)
		in.Settlements = append(in.Settlements, access.Settlement{ID: int64(i + 1), Point: p, Population: 50 + rng.IntN(3000), Place: "village", District: d, Oblast: o})
	}
	kinds := []string{"hospital", "polyclinic", "clinic", "feldsher_post", "medical_post"}
	for i, p := range fac {
		kind := "school"
		if i >= 7000 {
			kind = kinds[i%len(kinds)]
		}
		d, o := area(p)
		in.Facilities = append(in.Facilities, access.Facility{ID: int64(i + 1), Kind: kind, Capacity: math.NaN(), Point: p, District: d, Oblast: o})
	}
	return in
}

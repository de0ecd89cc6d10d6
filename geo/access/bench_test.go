package access_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/aimaq/aimaq/geo"
	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/route/routetest"
	"github.com/paulmach/orb"
)

// syntheticCountry is a SYNTHETIC country for benchmarks: nSettl settlements
// of 50–3,050 people, a road network of about `nodes` nodes joining them,
// 7,000 schools and 3,000 health facilities, and 200 districts in 17 oblasts,
// each district the settlements nearest its centre.
func syntheticCountry(nodes, nSettl int) *access.Input {
	pts := routetest.RandomPoints(21, nSettl)
	rng := rand.New(rand.NewPCG(8, 9))
	in := &access.Input{Roads: routetest.SyntheticCountry(1, pts, nodes)}
	in.Areas = append(in.Areas, access.Area{ID: 1, Level: "country", Population: math.NaN()})
	for o := range 17 {
		in.Areas = append(in.Areas, access.Area{ID: int64(100 + o), Level: "oblast", Population: math.NaN(), Centre: &pts[o]})
	}
	districts := pts[17 : 17+200]
	for d := range districts {
		in.Areas = append(in.Areas, access.Area{ID: int64(1000 + d), Level: "district", Group: int64(10 + d%6),
			Population: float64(10000 + d), Km2: 1000, Centre: &districts[d]})
	}
	for g := range 6 {
		in.Areas = append(in.Areas, access.Area{ID: int64(10 + g), Level: "macroregion", Population: math.NaN()})
	}
	ix := geo.NewPointIndex(districts)
	area := func(p orb.Point) (district, oblast int64) {
		d, _ := ix.Nearest(p, nil)
		return int64(1000 + d), int64(100 + d%17)
	}
	for i, p := range pts {
		d, o := area(p)
		in.Settlements = append(in.Settlements, access.Settlement{ID: int64(i + 1), Point: p, Population: 50 + rng.IntN(3000), Place: "village", District: d, Oblast: o})
	}
	kinds := []string{"hospital", "polyclinic", "clinic", "feldsher_post", "medical_post"}
	for i, p := range routetest.RandomPoints(31, 10000) {
		kind := "school"
		if i >= 7000 {
			kind = kinds[i%len(kinds)]
		}
		d, o := area(p)
		in.Facilities = append(in.Facilities, access.Facility{ID: int64(i + 1), Kind: kind, Capacity: math.NaN(), Point: p, District: d, Oblast: o})
	}
	return in
}

// BenchmarkCompute is the in-memory part of `aimaq compute` for 10,000
// SYNTHETIC settlements on a SYNTHETIC graph of about 200,000 nodes
// (AIMAQ_BENCH_NODES to change it).
func BenchmarkCompute(b *testing.B) {
	nodes := 200_000
	if v := os.Getenv("AIMAQ_BENCH_NODES"); v != "" {
		fmt.Sscan(v, &nodes)
	}
	in := syntheticCountry(nodes, 10000)
	b.ReportAllocs()
	var res *access.Result
	for b.Loop() {
		var err error
		if res, err = access.Compute(in, access.DefaultOptions(), nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(res.Nodes), "nodes")
	b.ReportMetric(float64(len(res.Areas)), "area-rows")
}

// BenchmarkNearbyReport is one point query of the API.
func BenchmarkNearbyReport(b *testing.B) {
	in := syntheticCountry(200_000, 10000)
	nb, err := access.NewNearby(in.Facilities, in.Roads, access.DefaultOptions())
	if err != nil {
		b.Fatal(err)
	}
	pts := routetest.RandomPoints(41, 1000)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		p := pts[i%len(pts)]
		nb.Report(p[0], p[1])
		i++
	}
}

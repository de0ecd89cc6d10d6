package siting

import (
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/access/accesstest"
	"github.com/aimaq/aimaq/geo/indicator"
	"github.com/aimaq/aimaq/geo/route"
	"github.com/aimaq/aimaq/geo/scenario"
	"github.com/paulmach/orb"
)

// benchCountry is the SYNTHETIC country of geo/access's and geo/scenario's
// benchmarks (the same generator and seeds): 10,000 settlements of 50–3,050
// people on a road network of about 1,000,000 nodes (AIMAQ_BENCH_NODES
// overrides), and the same 10,000 facility points, of which the first 7,000
// are schools and the last 3,000 health facilities.
var bench struct {
	once       sync.Once
	g          *route.Graph
	sn         *route.Snapper
	settl, fac []orb.Point
	pop        []float64
	roads      []route.Road
}

func benchSetup(b *testing.B) {
	bench.once.Do(func() {
		nodes := 1_000_000
		if v := os.Getenv("AIMAQ_BENCH_NODES"); v != "" {
			fmt.Sscan(v, &nodes)
		}
		bench.settl = accesstest.Settlements(10000)
		bench.roads = accesstest.Roads(bench.settl, nodes)
		g, err := route.Build(bench.roads, access.DefaultOptions().Speeds)
		if err != nil {
			panic(err)
		}
		bench.g, bench.sn = g, g.NewSnapper()
		bench.fac = accesstest.Facilities()
		for i := range bench.settl {
			bench.pop = append(bench.pop, float64(50+(i*7919)%3000))
		}
	})
}

// benchProblem: every settlement is demand and a candidate (10,000 each);
// the existing facilities are the schools, or the health facilities.
func benchProblem(school bool, st Standard) *Problem {
	p := &Problem{Graph: bench.g, Snapper: bench.sn, Options: access.DefaultOptions(), Standard: st}
	for i, pt := range bench.settl {
		p.Demand = append(p.Demand, Demand{ID: int64(i + 1), Point: pt, Population: bench.pop[i]})
		p.Candidates = append(p.Candidates, Site{SettlementID: int64(i + 1), Point: pt, CostKZT: 1e9})
	}
	if school {
		p.Existing = bench.fac[:7000]
	} else {
		p.Existing = bench.fac[7000:]
	}
	return p
}

func benchMaxCover(b *testing.B, school bool, st Standard) {
	benchSetup(b)
	p := benchProblem(school, st)
	var r *Result
	b.ResetTimer()
	for b.Loop() {
		var err error
		if r, err = MaxCover(p, Budget{K: 50}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(bench.g.Nodes()), "nodes")
	b.ReportMetric(float64(len(r.Picks)), "sites")
	b.ReportMetric(r.Covered, "people-covered")
	b.ReportMetric(r.AlreadyCovered, "people-already")
}

// BenchmarkMaxCoverSchool50: 50 new schools for 10,000 SYNTHETIC settlements
// and 10,000 candidates on the 1M-node country, standard 3 km by road.
// Run it once: -bench=MaxCoverSchool50 -benchtime=1x.
func BenchmarkMaxCoverSchool50(b *testing.B) {
	benchMaxCover(b, true, Standard{Metric: route.ByLength, Limit: indicator.SchoolMaxKm})
}

// BenchmarkMaxCoverClinic50: 50 new health facilities, standard 30 minutes
// (a far larger search per candidate than 3 km).
func BenchmarkMaxCoverClinic50(b *testing.B) {
	benchMaxCover(b, false, Standard{Metric: route.ByTime, Limit: indicator.ClinicMaxMin})
}

// costCountry is the SYNTHETIC country of geo/scenario's benchmarks (the same
// generator and seeds, without its areas' statistics): bench's settlements
// with populations of 50–3,050, 7,000 schools and 3,000 health facilities of
// five levels, 200 districts in 17 oblasts and 6 macroregions.
func costCountry() *access.Input {
	return accesstest.Country(bench.roads, bench.settl, bench.fac)
}

// BenchmarkCostCountry: the cost of meeting the three standards for the
// whole SYNTHETIC country (10,000 settlements, 1M nodes), from the baseline
// of its compute (built before the timer starts). Goal: under 30 s. Run it
// once: -bench=CostCountry -benchtime=1x.
func BenchmarkCostCountry(b *testing.B) {
	benchSetup(b)
	base, err := scenario.NewBaseline(costCountry(), access.DefaultOptions())
	if err != nil {
		b.Fatal(err)
	}
	ci, o, g, sn := base.Network()
	in := &CostInput{Settlements: ci.Settlements, Areas: ci.Areas, Graph: g, Snapper: sn, Options: o, Prices: benchPrices()}
	for i := range ci.Settlements {
		in.Figures = append(in.Figures, base.Figures(i))
	}
	var p *Plan
	b.ResetTimer()
	for b.Loop() {
		if p, err = Cost(in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(p.Projects)), "projects")
	b.ReportMetric(p.CostKZT/1e9, "bn-KZT")
	b.ReportMetric(p.BroughtUp, "people-brought-up")
}

// benchPrices are the figures of data/reference/unit_costs.csv (issue 13.2).
func benchPrices() Prices {
	return Prices{
		SchoolPlaceRural: Price{"school_place_rural", 8.3e6}, SchoolPlaceUrban: Price{"school_place_urban", 4.8e6},
		SchoolPlacesRural: 300, SchoolPlacesUrban: 1200,
		Health:   [5]Price{{"medical_post", 145e6}, {"fap", 190e6}, {"ambulatory", 300e6}, {"phc_centre", 2500e6}, {}},
		PaveRoad: Price{"road_km_pave_gravel", 400e6}, NewRoad: Price{"road_km_asphalt_new", 500e6},
	}
}

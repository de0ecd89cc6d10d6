package siting

import (
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/indicator"
	"github.com/aimaq/aimaq/geo/route"
	"github.com/aimaq/aimaq/geo/route/routetest"
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
}

func benchSetup(b *testing.B) {
	bench.once.Do(func() {
		nodes := 1_000_000
		if v := os.Getenv("AIMAQ_BENCH_NODES"); v != "" {
			fmt.Sscan(v, &nodes)
		}
		bench.settl = routetest.RandomPoints(21, 10000)
		g, err := route.Build(routetest.SyntheticCountry(1, bench.settl, nodes), access.DefaultOptions().Speeds)
		if err != nil {
			panic(err)
		}
		bench.g, bench.sn = g, g.NewSnapper()
		bench.fac = routetest.RandomPoints(31, 10000)
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

package access_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/access/accesstest"
	"github.com/aimaq/aimaq/geo/route/routetest"
)

// syntheticCountry is the SYNTHETIC country of the benchmarks
// (accesstest.Country): nSettl settlements, a road network of about `nodes`
// nodes joining them, 7,000 schools and 3,000 health facilities, and 200
// districts in 17 oblasts.
func syntheticCountry(nodes, nSettl int) *access.Input {
	pts := accesstest.Settlements(nSettl)
	return accesstest.Country(accesstest.Roads(pts, nodes), pts, accesstest.Facilities())
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

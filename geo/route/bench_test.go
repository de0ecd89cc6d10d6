package route_test

import (
	"sync"
	"testing"

	"github.com/aimaq/aimaq/geo/route"
	"github.com/aimaq/aimaq/geo/route/routetest"
	"github.com/paulmach/orb"
)

// The country-scale fixture is SYNTHETIC (see routetest.SyntheticCountry) and built
// once per test binary, only when a benchmark asks for it.
var country struct {
	once  sync.Once
	roads []route.Road
	g     *route.Graph
	snap  *route.Snapper
	srcs  []route.Source
	pts   []orb.Point
}

func countryFixture(tb testing.TB) {
	tb.Helper()
	country.once.Do(func() {
		country.roads = routetest.SyntheticCountry(1, routetest.RandomPoints(2, 10000), 1_000_000)
		g, err := route.Build(country.roads, route.DefaultSpeeds())
		if err != nil {
			panic(err)
		}
		country.g = g
		country.snap = g.NewSnapper()
		for i, p := range routetest.RandomPoints(3, 7000) {
			if s, ok := country.snap.Snap(p, 50_000); ok {
				country.srcs = append(country.srcs, route.Source{Snap: s, ID: int64(i)})
			}
		}
		country.pts = routetest.RandomPoints(4, 10000)
	})
}

func reportGraph(b *testing.B, g *route.Graph) {
	b.ReportMetric(float64(g.Nodes()), "nodes")
	b.ReportMetric(float64(g.Edges()), "edges")
	b.ReportMetric(float64(g.Bytes())/float64(g.Edges()), "bytes/edge")
}

// TestBytesPerEdge checks the memory budget on a SYNTHETIC network.
func TestBytesPerEdge(t *testing.T) {
	g := route.MustBuild(t, routetest.SyntheticCountry(5, routetest.RandomPoints(6, 200), 50_000), route.DefaultSpeeds())
	if per := float64(g.Bytes()) / float64(g.Edges()); per > 32 {
		t.Errorf("%.1f bytes per directed edge; budget 32", per)
	}
	if r := float64(g.Edges()) / float64(g.Nodes()); r < 2 || r > 3 {
		t.Errorf("%.2f directed edges per node; want about 2.5", r)
	}
}

func BenchmarkBuild(b *testing.B) {
	countryFixture(b)
	b.ReportAllocs()
	var g *route.Graph
	for b.Loop() {
		var err error
		if g, err = route.Build(country.roads, route.DefaultSpeeds()); err != nil {
			b.Fatal(err)
		}
	}
	reportGraph(b, g)
}

// BenchmarkBuildNodeIDs is BenchmarkBuild with every vertex carrying a node id, as
// roads imported from OpenStreetMap do: the same graph, interned by id.
func BenchmarkBuildNodeIDs(b *testing.B) {
	countryFixture(b)
	roads := make([]route.Road, len(country.roads))
	ids := map[orb.Point]int64{}
	for i, r := range country.roads {
		r.Nodes = make([]int64, len(r.Line))
		for j, p := range r.Line {
			id, ok := ids[p]
			if !ok {
				id = int64(len(ids)) + 1
				ids[p] = id
			}
			r.Nodes[j] = id
		}
		roads[i] = r
	}
	ids = nil
	b.ReportAllocs()
	b.ResetTimer()
	var g *route.Graph
	for b.Loop() {
		var err error
		if g, err = route.Build(roads, route.DefaultSpeeds()); err != nil {
			b.Fatal(err)
		}
	}
	reportGraph(b, g)
}

func BenchmarkNewSnapper(b *testing.B) {
	countryFixture(b)
	b.ReportAllocs()
	for b.Loop() {
		country.g.NewSnapper()
	}
}

// BenchmarkMultiSource is one facility kind (7,000 facilities) over the whole
// country-scale graph, on one core.
func BenchmarkMultiSource(b *testing.B) {
	countryFixture(b)
	b.ReportAllocs()
	sp := route.DefaultSpeeds()
	f := country.g.MultiSource(country.srcs, route.ByTime, sp)
	for b.Loop() {
		f = country.g.MultiSourceInto(f, country.srcs, route.ByTime, sp)
	}
	reportGraph(b, country.g)
	b.ReportMetric(float64(len(country.srcs)), "sources")
}

// BenchmarkSnap snaps 10,000 random points per operation.
func BenchmarkSnap(b *testing.B) {
	countryFixture(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range country.pts {
			country.snap.Snap(p, 50_000)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(country.pts)), "ns/point")
}

// BenchmarkSnapPaved is the paved_road_km query for 10,000 random points.
func BenchmarkSnapPaved(b *testing.B) {
	countryFixture(b)
	country.snap.SnapPaved(country.pts[0], 1) // build the paved index outside the timing
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range country.pts {
			country.snap.SnapPaved(p, 100_000)
		}
	}
}

// BenchmarkAt evaluates a field at 10,000 snapped settlements.
func BenchmarkAt(b *testing.B) {
	countryFixture(b)
	sp := route.DefaultSpeeds()
	f := country.g.MultiSource(country.srcs, route.ByTime, sp)
	var snaps []route.Snap
	for _, p := range country.pts {
		if s, ok := country.snap.Snap(p, 50_000); ok {
			snaps = append(snaps, s)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range snaps {
			f.At(country.g, s, sp)
		}
	}
}

// BenchmarkCatchment is a per-facility 30-minute search (two-step floating
// catchment) reusing one Field, over the country-scale graph.
func BenchmarkCatchment(b *testing.B) {
	countryFixture(b)
	sp := route.DefaultSpeeds()
	var f *route.Field
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		f = country.g.MultiSourceWithin(f, country.srcs[i%len(country.srcs):i%len(country.srcs)+1], route.ByTime, sp, 30*60)
		i++
	}
	b.ReportMetric(float64(len(f.Reached())), "nodes/search")
}

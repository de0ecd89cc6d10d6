package scenario

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/access/accesstest"
	"github.com/paulmach/orb"
)

// benchCountry is the SYNTHETIC country of geo/access's benchmarks (the same
// generator and seeds): 10,000 settlements of 50–3,050 people on a road
// network of about `nodes` nodes (1,000,000 unless AIMAQ_BENCH_NODES says
// otherwise), 7,000 schools and 3,000 health facilities, 200 districts in 17
// oblasts and 6 macroregions.
func benchCountry(nodes, nSettl int) *access.Input {
	pts := accesstest.Settlements(nSettl)
	return accesstest.Country(accesstest.Roads(pts, nodes), pts, accesstest.Facilities())
}

var bench struct {
	once sync.Once
	in   *access.Input
	base *Baseline
	err  error
	took time.Duration
}

// benchBaseline builds the country's baseline once for every benchmark.
func benchBaseline(b *testing.B) *Baseline {
	bench.once.Do(func() {
		nodes := 1_000_000
		if v := os.Getenv("AIMAQ_BENCH_NODES"); v != "" {
			fmt.Sscan(v, &nodes)
		}
		bench.in = benchCountry(nodes, 10000)
		t0 := time.Now()
		bench.base, bench.err = NewBaseline(bench.in, access.DefaultOptions())
		bench.took = time.Since(t0)
	})
	if bench.err != nil {
		b.Fatal(bench.err)
	}
	b.ReportMetric(float64(bench.base.g.Nodes()), "nodes")
	return bench.base
}

// percentiles reports the 50th and 99th percentile of ds in milliseconds,
// under unit prefix (wall, or cpu: the evaluating thread's own CPU time, which a
// machine shared with other work does not inflate).
func percentiles(b *testing.B, prefix string, ds []time.Duration) {
	if len(ds) == 0 {
		return
	}
	slices.Sort(ds)
	at := func(q float64) float64 {
		return float64(ds[min(len(ds)-1, int(q*float64(len(ds))))].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.5), prefix+"-p50-ms")
	b.ReportMetric(at(0.99), prefix+"-p99-ms")
}

// timer measures one evaluation's wall time and its thread's CPU time; the
// evaluation runs on one goroutine, locked to its thread while measured.
type timer struct{ wall, cpu []time.Duration }

func (t *timer) measure(fn func()) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	c0, w0 := threadCPU(), time.Now()
	fn()
	t.wall = append(t.wall, time.Since(w0))
	t.cpu = append(t.cpu, threadCPU()-c0)
}

func (t *timer) report(b *testing.B) {
	percentiles(b, "wall", t.wall)
	percentiles(b, "cpu", t.cpu)
}

// threadCPU is the calling thread's CPU time (Linux RUSAGE_THREAD).
func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchOpen evaluates one facility of kind opened at a random place near a
// random settlement, 200 places in turn (-benchtime=200x runs each once).
func benchOpen(b *testing.B, kind string) {
	base := benchBaseline(b)
	rng := rand.New(rand.NewPCG(5, 6))
	var places []orb.Point
	for range 200 {
		s := bench.in.Settlements[rng.IntN(len(bench.in.Settlements))].Point
		places = append(places, orb.Point{s[0] + (rng.Float64()-0.5)*0.1, s[1] + (rng.Float64()-0.5)*0.1})
	}
	var tm timer
	changed := 0
	b.ResetTimer()
	i := 0
	for b.Loop() {
		var res *Result
		var err error
		tm.measure(func() {
			res, err = base.Evaluate([]Project{{ID: 1, Kind: OpenFacility, FacilityKind: kind, Point: places[i%len(places)], CostKZT: 1e9}})
		})
		if err != nil {
			b.Fatal(err)
		}
		changed += len(res.Settlements)
		i++
	}
	tm.report(b)
	b.ReportMetric(float64(changed)/float64(i), "settlements/op")
}

// BenchmarkOpenSchool: one added school on the SYNTHETIC 1M-node country.
func BenchmarkOpenSchool(b *testing.B) { benchOpen(b, "school") }

// BenchmarkOpenClinic: one added clinic (ambulatory level) on the SYNTHETIC 1M-node country.
func BenchmarkOpenClinic(b *testing.B) { benchOpen(b, "clinic") }

// BenchmarkScenario100: a SYNTHETIC scenario of 100 mixed projects (40 opened
// facilities, 20 closed, 10 downgraded, 20 paved roads, 10 built roads).
func BenchmarkScenario100(b *testing.B) {
	base := benchBaseline(b)
	in := bench.in
	rng := rand.New(rand.NewPCG(11, 12))
	var ps []Project
	add := func(p Project) { p.ID = int64(len(ps) + 1); p.CostKZT = 1e8; ps = append(ps, p) }
	for range 40 {
		s := in.Settlements[rng.IntN(len(in.Settlements))].Point
		kind := []string{"school", "medical_post", "feldsher_post", "clinic", "polyclinic", "hospital"}[rng.IntN(6)]
		add(Project{Kind: OpenFacility, FacilityKind: kind, Point: orb.Point{s[0] + (rng.Float64()-0.5)*0.1, s[1] + (rng.Float64()-0.5)*0.1}})
	}
	used := map[int64]bool{}
	for range 20 {
		f := in.Facilities[rng.IntN(len(in.Facilities))]
		if !used[f.ID] {
			used[f.ID] = true
			add(Project{Kind: CloseFacility, FacilityID: f.ID})
		}
	}
	for n := 0; n < 10; {
		f := in.Facilities[7000+rng.IntN(3000)]
		if l, _ := access.LevelOfKind(f.Kind); l > access.MedicalPost && !used[f.ID] {
			used[f.ID] = true
			add(Project{Kind: DowngradeFacility, FacilityID: f.ID, FacilityKind: "medical_post"})
			n++
		}
	}
	for n := 0; n < 20; {
		r := in.Roads[rng.IntN(len(in.Roads))]
		if !r.Paved {
			add(Project{Kind: PaveRoad, RoadIDs: []int64{r.ID}})
			n++
		}
	}
	for range 10 {
		s := in.Settlements[rng.IntN(len(in.Settlements))].Point
		add(Project{Kind: BuildRoad, RoadClass: "secondary", Line: orb.LineString{s, {s[0] + 0.05, s[1] + 0.03}, {s[0] + 0.1, s[1] + 0.05}}})
	}
	rng.Shuffle(len(ps), func(i, j int) { ps[i], ps[j] = ps[j], ps[i] })
	var tm timer
	var res *Result
	b.ResetTimer()
	for b.Loop() {
		var err error
		tm.measure(func() { res, err = base.Evaluate(ps) })
		if err != nil {
			b.Fatal(err)
		}
	}
	tm.report(b)
	b.ReportMetric(float64(len(res.Settlements)), "settlements")
	b.ReportMetric(bench.took.Seconds(), "baseline-s")
}

package compute_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/aimaq/aimaq/data/postgis"
	"github.com/aimaq/aimaq/data/postgis/postgistest"
	"github.com/aimaq/aimaq/geo/route"
	"github.com/aimaq/aimaq/geo/route/routetest"
	"github.com/aimaq/aimaq/internal/testenv"
	"github.com/jackc/pgx/v5"
)

// pgRouting is the independent reference for the Go routing engine: the same
// SYNTHETIC graph, edge for edge and weight for weight, is loaded into
// pgRouting, and its Dijkstra costs must equal ours.

func needPgRouting(t testing.TB, s *postgis.Store) {
	t.Helper()
	if _, err := postgistest.Pool(s).Exec(context.Background(), `CREATE EXTENSION IF NOT EXISTS pgrouting`); err != nil {
		testenv.Missing(t, "pgRouting: %v (scripts/setup installs postgresql-15-pgrouting)", err)
	}
}

// loadEdges copies every directed edge of g into table edges, reversed when
// reverse is set (so that pgRouting's forward search from facilities gives our
// travel-towards-facility costs).
func loadEdges(t testing.TB, s *postgis.Store, g *route.Graph, reverse bool) {
	t.Helper()
	ctx := context.Background()
	if _, err := postgistest.Pool(s).Exec(ctx, `DROP TABLE IF EXISTS edges; CREATE TABLE edges (id bigserial, source bigint, target bigint, cost float8, reverse_cost float8)`); err != nil {
		t.Fatal(err)
	}
	var rows [][]any
	g.EdgeList(func(u, v uint32, secs, _ float32) {
		if reverse {
			u, v = v, u
		}
		rows = append(rows, []any{int64(u), int64(v), float64(secs), -1.0})
	})
	if _, err := postgistest.Pool(s).CopyFrom(ctx, pgx.Identifier{"edges"}, []string{"source", "target", "cost", "reverse_cost"}, pgx.CopyFromRows(rows)); err != nil {
		t.Fatal(err)
	}
}

func TestRoutingMatchesPgRouting(t *testing.T) {
	s := postgistest.New(t)
	needPgRouting(t, s)
	ctx := context.Background()
	roads := routetest.SyntheticCountry(11, routetest.RandomPoints(12, 60), 20000)
	g, err := route.Build(roads, route.DefaultSpeeds())
	if err != nil {
		t.Fatal(err)
	}
	loadEdges(t, s, g, false)
	rng := rand.New(rand.NewPCG(5, 6))
	var starts, ends []int64
	for range 20 {
		starts = append(starts, int64(rng.IntN(g.Nodes())))
	}
	for range 15 {
		ends = append(ends, int64(rng.IntN(g.Nodes())))
	}
	rows, err := postgistest.Pool(s).Query(ctx, `SELECT start_vid, end_vid, agg_cost FROM pgr_dijkstraCost(
		'SELECT id, source, target, cost, reverse_cost FROM edges', $1::bigint[], $2::bigint[], directed => true)`, starts, ends)
	if err != nil {
		t.Fatal(err)
	}
	pg := map[[2]int64]float64{}
	for rows.Next() {
		var a, b int64
		var c float64
		if err := rows.Scan(&a, &b, &c); err != nil {
			t.Fatal(err)
		}
		pg[[2]int64{a, b}] = c
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	pairs, reachable := 0, 0
	for _, e := range ends {
		f := g.MultiSourceNodes([]uint32{uint32(e)}, route.ByTime)
		for _, st := range starts {
			pairs++
			ours := f.Cost[st]
			theirs, ok := pg[[2]int64{st, e}]
			if st == e {
				theirs, ok = 0, true // pgRouting leaves out a node's path to itself
			}
			switch {
			case !ok && !math.IsInf(ours, 1):
				t.Errorf("%d→%d: pgRouting finds no path, aimaq %.6f s", st, e, ours)
			case ok && math.Abs(ours-theirs) > 1e-6*math.Max(1, theirs):
				t.Errorf("%d→%d: aimaq %.9f s, pgRouting %.9f s", st, e, ours, theirs)
			case ok:
				reachable++
			}
		}
	}
	t.Logf("%d pairs compared with pgr_dijkstraCost on a %d-node, %d-edge SYNTHETIC graph, %d reachable", pairs, g.Nodes(), g.Edges(), reachable)
	if reachable < pairs/2 {
		t.Errorf("only %d of %d pairs reachable: the comparison proves little", reachable, pairs)
	}
}

// BenchmarkNearestFacilityVsPgRouting runs one nearest-facility workload —
// every node's travel time to the nearest of 7,000 facilities — in aimaq and in
// pgRouting on the same SYNTHETIC graph, and prints the ratio. pgRouting gets
// the classic super-source formulation: one virtual node joined to every
// facility by a zero-cost edge, and pgr_drivingDistance from it. (Its
// `equicost` mode is not used: in pgRouting 3.4.2 it assigned 76 of 4,818
// nodes of a test graph to a farther facility, which pgr_dijkstraCost itself
// contradicts.) AIMAQ_BENCH_NODES sets the graph size (default 1,000,000).
func BenchmarkNearestFacilityVsPgRouting(b *testing.B) {
	nodes := 1_000_000
	if v := os.Getenv("AIMAQ_BENCH_NODES"); v != "" {
		fmt.Sscan(v, &nodes)
	}
	s := postgistest.New(b)
	needPgRouting(b, s)
	roads := routetest.SyntheticCountry(1, routetest.RandomPoints(2, 10000), nodes)
	g, err := route.Build(roads, route.DefaultSpeeds())
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	seen := map[uint32]bool{}
	var fac []uint32
	for len(fac) < 7000 {
		if v := uint32(rng.IntN(g.Nodes())); !seen[v] {
			seen[v] = true
			fac = append(fac, v)
		}
	}
	loadEdges(b, s, g, true)
	ctx := context.Background()
	super := int64(g.Nodes()) // one past the last node
	if _, err := postgistest.Pool(s).Exec(ctx, `INSERT INTO edges (source, target, cost, reverse_cost)
		SELECT $1, f, 0, -1 FROM unnest($2::bigint[]) AS f`, super, fac); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var aimaq, pgr time.Duration
	for b.Loop() {
		t0 := time.Now()
		f := g.MultiSourceNodes(fac, route.ByTime)
		aimaq += time.Since(t0)
		t0 = time.Now()
		var n int64
		var sum float64
		if err := postgistest.Pool(s).QueryRow(ctx, `SELECT count(*), sum(agg_cost) FROM pgr_drivingDistance(
			'SELECT id, source, target, cost, reverse_cost FROM edges', $1::bigint, 1e12, directed => true) WHERE node <> $1`, super).Scan(&n, &sum); err != nil {
			b.Fatal(err)
		}
		pgr += time.Since(t0)
		var ours float64
		reached := int64(0)
		for _, c := range f.Cost {
			if !math.IsInf(c, 1) {
				ours += c
				reached++
			}
		}
		if math.Abs(ours-sum) > 1e-6*ours || n != reached {
			b.Fatalf("aimaq: %d nodes, Σ %.3f s; pgRouting: %d nodes, Σ %.3f s", reached, ours, n, sum)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(aimaq.Milliseconds())/float64(b.N), "aimaq-ms/op")
	b.ReportMetric(float64(pgr.Milliseconds())/float64(b.N), "pgrouting-ms/op")
	b.ReportMetric(float64(pgr)/float64(aimaq), "x-faster")
	b.Logf("SYNTHETIC graph %d nodes, %d edges, 7,000 facilities: aimaq %v, pgRouting %v per run, %.0f× faster",
		g.Nodes(), g.Edges(), aimaq/time.Duration(b.N), pgr/time.Duration(b.N), float64(pgr)/float64(aimaq))
}

package compute_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/aimaq/aimaq/data/compute"
	"github.com/aimaq/aimaq/data/importer"
	"github.com/aimaq/aimaq/data/postgis"
	"github.com/aimaq/aimaq/data/postgis/postgistest"
	"github.com/aimaq/aimaq/geo/route/routetest"
	"github.com/aimaq/aimaq/internal/testenv"
	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb/encoding/wkb"
)

// syntheticCountry loads the real boundaries of Kazakhstan and, labelled
// SYNTHETIC (source 'synthetic'), nSettl random settlements, a country-scale
// road network of about `nodes` nodes, and 7,000 schools and 3,000 health
// facilities — for benchmarks only.
func syntheticCountry(b *testing.B, nodes, nSettl int) *postgis.Store {
	b.Helper()
	dir := testenv.DataDir(b)
	s := postgistest.New(b)
	ctx := context.Background()
	im := importer.New(s, nil)
	for _, f := range []struct{ file, level string }{
		{importer.KZFiles.Country, "country"}, {importer.KZFiles.Oblasts, "oblast"}, {importer.KZFiles.Districts, "district"}} {
		if _, err := im.Boundaries(ctx, dir+"/"+f.file, f.level); err != nil {
			b.Fatalf("real boundaries: %v", err)
		}
	}
	pts := routetest.RandomPoints(21, nSettl)
	rng := rand.New(rand.NewPCG(8, 9))
	var rows [][]any
	for i, p := range pts {
		w, _ := wkb.Marshal(p)
		rows = append(rows, []any{"synthetic", fmt.Sprint(i), fmt.Sprintf("Synthetic %d", i), "village", 50 + rng.IntN(3000), w})
	}
	conn, err := postgistest.Pool(s).Acquire(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Release()
	copyIn := func(table string, cols []string, rows [][]any) {
		if _, err := conn.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows)); err != nil {
			b.Fatal(err)
		}
	}
	exec := func(sql string) {
		if _, err := conn.Exec(ctx, sql); err != nil {
			b.Fatal(err)
		}
	}
	exec(`CREATE TEMP TABLE st (source text, source_id text, name text, place text, population int, g bytea)`)
	copyIn("st", []string{"source", "source_id", "name", "place", "population", "g"}, rows)
	exec(`INSERT INTO settlement (source, source_id, name, place, population, district_id, oblast_id, geom, geom_3857)
		SELECT source, source_id, name, place, population, d.id, d.parent_id, ST_SetSRID(ST_GeomFromWKB(g), 4326), ST_Transform(ST_SetSRID(ST_GeomFromWKB(g), 4326), 3857)
		FROM st LEFT JOIN LATERAL (SELECT id, parent_id FROM area WHERE level = 'district' AND ST_Covers(geom, ST_SetSRID(ST_GeomFromWKB(g), 4326)) LIMIT 1) d ON true`)
	// Centres: the largest settlement of each district, as the import rule does.
	exec(`UPDATE area d SET centre = c.geom FROM (SELECT DISTINCT ON (district_id) district_id, geom FROM settlement ORDER BY district_id, population DESC) c WHERE c.district_id = d.id`)
	exec(`UPDATE area o SET centre = c.geom FROM (SELECT DISTINCT ON (oblast_id) oblast_id, geom FROM settlement ORDER BY oblast_id, population DESC) c WHERE c.oblast_id = o.id`)

	roads := routetest.SyntheticCountry(1, pts, nodes)
	rows = rows[:0]
	for i, r := range roads {
		w, _ := wkb.Marshal(r.Line)
		rows = append(rows, []any{r.Class, r.Paved, r.Oneway, "synthetic", fmt.Sprint(i), w})
	}
	exec(`CREATE TEMP TABLE rt (class text, paved bool, oneway bool, source text, source_id text, g bytea)`)
	copyIn("rt", []string{"class", "paved", "oneway", "source", "source_id", "g"}, rows)
	exec(`INSERT INTO road (class, paved, oneway, source, source_id, geom) SELECT class, paved, oneway, source, source_id, ST_SetSRID(ST_GeomFromWKB(g), 4326) FROM rt`)
	rows = rows[:0]
	kinds := []string{"hospital", "polyclinic", "clinic", "feldsher_post", "medical_post"}
	for i, p := range routetest.RandomPoints(31, 10000) {
		kind := "school"
		if i >= 7000 {
			kind = kinds[i%len(kinds)]
		}
		w, _ := wkb.Marshal(p)
		rows = append(rows, []any{kind, "synthetic", fmt.Sprint(i), w})
	}
	exec(`CREATE TEMP TABLE ft (kind text, source text, source_id text, g bytea)`)
	copyIn("ft", []string{"kind", "source", "source_id", "g"}, rows)
	exec(`INSERT INTO facility (kind, source, source_id, geom) SELECT kind, source, source_id, ST_SetSRID(ST_GeomFromWKB(g), 4326) FROM ft`)
	exec(`ANALYZE`)
	return s
}

// BenchmarkComputeCountry is a whole `aimaq compute` — database reads,
// graph, every indicator, 2SFCA, writes with COPY — for 10,000 SYNTHETIC
// settlements on a SYNTHETIC graph of about 1,000,000 nodes
// (AIMAQ_BENCH_NODES to change it).
func BenchmarkComputeCountry(b *testing.B) {
	nodes := 1_000_000
	if v := os.Getenv("AIMAQ_BENCH_NODES"); v != "" {
		fmt.Sscan(v, &nodes)
	}
	s := syntheticCountry(b, nodes, 10000)
	ctx := context.Background()
	b.ResetTimer()
	var res *compute.Result
	for b.Loop() {
		var err error
		if res, err = compute.Run(ctx, s, compute.DefaultOptions()); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(res.Nodes), "nodes")
	b.ReportMetric(float64(res.Edges), "edges")
	for _, st := range res.Steps {
		b.Logf("%-40s %v", st.Name, st.Duration)
	}
	b.Logf("%d settlements (%d routed), %d facilities, %d roads", res.Settlements, res.Routed, res.Facilities, res.Roads)
}

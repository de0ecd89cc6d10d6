package postgis_test

import (
	"context"
	"testing"

	"github.com/aimaq/aimaq/data/postgis/postgistest"
	"github.com/aimaq/aimaq/geo/access"
)

func TestStoreComputeGenerations(t *testing.T) {
	s := postgistest.New(t)
	ctx := context.Background()
	exec := func(sql string) {
		t.Helper()
		if _, err := postgistest.Pool(s).Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	gen, err := s.DataGeneration(ctx)
	if err != nil || gen != 0 {
		t.Errorf("DataGeneration before any import = %d, %v; want 0", gen, err)
	}
	if seen, err := s.LatestRunGeneration(ctx); err != nil || seen != -1 {
		t.Errorf("LatestRunGeneration before any run = %d, %v; want -1", seen, err)
	}
	exec(`INSERT INTO import_run (dataset, source) VALUES ('settlements', 'a'), ('settlements', 'b')`)
	var last int64
	if err := postgistest.Pool(s).QueryRow(ctx, `SELECT max(id) FROM import_run`).Scan(&last); err != nil {
		t.Fatal(err)
	}
	// Finished compute runs change Generation but not the data generation.
	exec(`INSERT INTO compute_run (status, data_generation) VALUES ('done', 7), ('done', 9), ('failed', 11), ('running', 12)`)
	if gen, err := s.DataGeneration(ctx); err != nil || gen != last {
		t.Errorf("DataGeneration = %d, %v; want the latest import %d", gen, err, last)
	}
	if seen, err := s.LatestRunGeneration(ctx); err != nil || seen != 9 {
		t.Errorf("LatestRunGeneration = %d, %v; want 9, the latest finished run's", seen, err)
	}
}

// A compute run that ends in Abort stays on record as failed, with nothing
// of its results; one that ends in Finish is done.
func TestStoreComputeRun(t *testing.T) {
	s := postgistest.New(t)
	ctx := context.Background()
	status := func(id int64) (st string, rows int64) {
		t.Helper()
		if err := postgistest.Pool(s).QueryRow(ctx, `SELECT status, (SELECT count(*) FROM area_indicator WHERE run_id = $1) FROM compute_run WHERE id = $1`, id).Scan(&st, &rows); err != nil {
			t.Fatal(err)
		}
		return st, rows
	}
	if _, err := postgistest.Pool(s).Exec(ctx, `INSERT INTO area (level, code, name_en, population, geom, geom_3857) VALUES
		('country', '000000000', 'Synthetic country', 1000, ST_Multi(ST_MakeEnvelope(60, 44, 62, 46, 4326)), ST_Transform(ST_Multi(ST_MakeEnvelope(60, 44, 62, 46, 4326)), 3857))`); err != nil {
		t.Fatal(err)
	}
	for _, finish := range []bool{false, true} {
		run, err := s.BeginComputeRun(ctx, []byte(`{"circuity": 1.3}`))
		if err != nil {
			t.Fatal(err)
		}
		in, err := run.Input(ctx)
		if err != nil || len(in.Areas) != 1 || in.Areas[0].Centre != nil || in.Areas[0].Population != 1000 || len(in.Settlements)+len(in.Facilities)+len(in.Roads) != 0 {
			t.Fatalf("Input = %+v, %v; want the one area", in, err)
		}
		if err := run.WriteAreas(ctx, []access.AreaValue{{Area: in.Areas[0].ID, Indicator: "population_density", Value: 1, Population: 999.6, Method: access.Statistics}}); err != nil {
			t.Fatal(err)
		}
		want := "failed"
		if finish {
			want = "done"
			if err := run.Finish(ctx); err != nil {
				t.Fatal(err)
			}
		}
		run.Abort() // after Finish: nothing
		st, rows := status(run.ID)
		if st != want || rows != map[bool]int64{false: 0, true: 1}[finish] {
			t.Errorf("finish %v: status %s, %d rows; want %s", finish, st, rows, want)
		}
	}
	var pop int64
	var value float64
	if err := postgistest.Pool(s).QueryRow(ctx, `SELECT population, value FROM area_indicator`).Scan(&pop, &value); err != nil || pop != 1000 || value != 1 {
		t.Errorf("area_indicator: population %d, value %v (%v); want 1000, 1", pop, value, err)
	}
	if fs, roads, err := s.NearbyInput(ctx); err != nil || len(fs) != 0 || len(roads) != 0 {
		t.Errorf("NearbyInput on an empty database = %v, %v, %v", fs, roads, err)
	}
}

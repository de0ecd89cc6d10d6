package compute_test

import (
	"context"
	"errors"
	"math"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aimaq/aimaq/data/compute"
	"github.com/aimaq/aimaq/data/importer"
	"github.com/aimaq/aimaq/data/postgis"
	"github.com/aimaq/aimaq/data/postgis/postgistest"
	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/scenario"
	"github.com/aimaq/aimaq/internal/testenv"
	"github.com/paulmach/orb"
)

// countingStore is the real store, counting the baseline reads.
type countingStore struct {
	*postgis.Store
	reads atomic.Int32
}

func (c *countingStore) LatestRunInput(ctx context.Context) (*postgis.RunInput, error) {
	c.reads.Add(1)
	return c.Store.LatestRunInput(ctx)
}

func TestRunOptions(t *testing.T) {
	o, err := compute.RunOptions([]byte(storedParams))
	if err != nil || !reflect.DeepEqual(o, access.DefaultOptions()) {
		t.Errorf("stored defaults read as %+v, %v; want the defaults", o, err)
	}
	// A run stored before ferries were edges has no FerryKmh: the default.
	old := strings.Replace(storedParams, `"FerryKmh":10,`, "", 1)
	old = strings.Replace(old, `"max_snap_m":5000`, `"max_snap_m":2000`, 1)
	o, err = compute.RunOptions([]byte(old))
	if err != nil || o.Speeds.FerryKmh != 10 || o.MaxSnapMetres != 2000 || o.Circuity != 1.3 {
		t.Errorf("old params read as %+v, %v; want FerryKmh 10 (default), max snap 2000 (stored)", o, err)
	}
	if _, err := compute.RunOptions([]byte(`{"speeds": "fast"}`)); err == nil || !strings.Contains(err.Error(), "speeds") {
		t.Errorf("bad speeds: %v; want an error naming speeds", err)
	}
}

// One build for many callers at once; a rebuild after a newer run and not
// before; a run whose baseline cannot be built is an error naming it, not
// tried again, and does not replace the baseline in memory.
func TestBaselinesLatestRun(t *testing.T) {
	s := syntheticTown(t)
	ctx := context.Background()
	db := &countingStore{Store: s}
	bs := compute.NewBaselines(db)
	if _, _, _, err := bs.EvaluateScenario(ctx, nil); err == nil || !strings.Contains(err.Error(), "aimaq compute") {
		t.Errorf("before any run: %v; want an error saying to run aimaq compute", err)
	}
	first, err := compute.Run(ctx, s, compute.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	// A school 0.1° west of settlement B (61°E 45°N, 6,000 people) on the
	// paved primary road.
	school := []scenario.Project{{ID: 1, Kind: scenario.OpenFacility, FacilityKind: "school", Point: orb.Point{60.9, 45}, CostKZT: 1e9}}
	var wg sync.WaitGroup
	runs := make([]int64, 8)
	errs := make([]error, 8)
	for i := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, run, _, err := bs.EvaluateScenario(ctx, school)
			runs[i], errs[i] = run.ID, err
		}()
	}
	wg.Wait()
	for i := range runs {
		if errs[i] != nil || runs[i] != first.RunID {
			t.Errorf("caller %d: run %d, %v; want run %d", i, runs[i], errs[i], first.RunID)
		}
	}
	if n := db.reads.Load(); n != 1 {
		t.Errorf("%d baseline reads for 8 callers at once; want 1", n)
	}
	res, run, names, err := bs.EvaluateScenario(ctx, school)
	if err != nil || db.reads.Load() != 1 || run.Stale {
		t.Fatalf("again: %v, %d reads, stale %v; want the kept baseline, current", err, db.reads.Load(), run.Stale)
	}
	if len(res.Settlements) == 0 {
		t.Fatal("no settlement changed")
	}
	for _, c := range res.Settlements {
		if n := names[c.ID]; !strings.HasPrefix(n.Name, "Synthetic ") || n.District != "Synthetic district" {
			t.Errorf("settlement %d named %+v; want its name and district", c.ID, n)
		}
	}

	// An import makes the kept baseline's run stale, without a rebuild.
	exec(t, s, `INSERT INTO import_run (dataset, source) VALUES ('synthetic', 'baseline_test: later data')`)
	second, err := compute.Run(ctx, s, compute.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if _, run, _, err = bs.EvaluateScenario(ctx, school); err != nil || run.ID != second.RunID || db.reads.Load() != 2 {
		t.Errorf("after run %d: run %d, %v, %d reads; want one rebuild on the new run", second.RunID, run.ID, err, db.reads.Load())
	}

	// A newer run whose stored options cannot be used.
	var bad int64
	if err := postgistest.Pool(s).QueryRow(ctx, `INSERT INTO compute_run (status, finished_at, params, data_generation)
		SELECT 'done', now(), '{"circuity": "much"}', data_generation FROM compute_run WHERE id = $1 RETURNING id`, second.RunID).Scan(&bad); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		_, _, _, err = bs.EvaluateScenario(ctx, school)
		if err == nil || !strings.Contains(err.Error(), "compute run "+strconv.FormatInt(bad, 10)) {
			t.Errorf("run %d with bad params: %v; want an error naming the run", bad, err)
		}
	}
	if n := db.reads.Load(); n != 3 {
		t.Errorf("%d reads; want 3 (the bad run read once)", n)
	}
	if bs.BuildTime() <= 0 {
		t.Errorf("build time %v; want the kept build's", bs.BuildTime())
	}
	// A project the engine refuses wraps scenario.ErrProject.
	exec(t, s, `DELETE FROM compute_run WHERE id = $1`, bad)
	_, _, _, err = bs.EvaluateScenario(ctx, []scenario.Project{{ID: 7, Kind: scenario.CloseFacility, FacilityID: 999999}})
	if !errors.Is(err, scenario.ErrProject) || !strings.Contains(err.Error(), "project 7") {
		t.Errorf("closing a facility that is not there: %v; want scenario.ErrProject naming project 7", err)
	}
}

// The baseline of the real data set (../shared/data/kz: settlements,
// boundaries and statistics; no roads and no facilities): its build time and
// memory, and a first school, which makes every settlement's school figure
// defined.
func TestBaselineRealData(t *testing.T) {
	dir := testenv.DataDir(t)
	s := postgistest.New(t)
	ctx := context.Background()
	if _, err := importer.New(s, nil).KZ(ctx, dir); err != nil {
		t.Fatal(err)
	}
	run, err := compute.Run(ctx, s, compute.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	bs := compute.NewBaselines(s)
	start := time.Now()
	res, got, _, err := bs.EvaluateScenario(ctx, nil)
	if err != nil || got.ID != run.RunID || len(res.Settlements) != 0 {
		t.Fatalf("empty scenario: %v, run %d, %d changes", err, got.ID, len(res.Settlements))
	}
	first := time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&after)
	t.Logf("real data: %d settlements; baseline read+build %v (first evaluation %v), heap +%.1f MiB",
		run.Settlements, bs.BuildTime().Round(time.Millisecond), first.Round(time.Millisecond), float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/(1<<20))

	// A school at Astana's centre point (71.4460°E, 51.1801°N): where no
	// school was loaded, every settlement's school_km goes from undefined to
	// the straight-line distance to it.
	start = time.Now()
	res, _, _, err = bs.EvaluateScenario(ctx, []scenario.Project{{ID: 1, Kind: scenario.OpenFacility, FacilityKind: "school", Point: orb.Point{71.4460, 51.1801}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("one school on the real data: %v, %d settlements changed", time.Since(start).Round(time.Microsecond), len(res.Settlements))
	if len(res.Settlements) != run.Settlements {
		t.Errorf("%d settlements changed; want all %d (no school was loaded)", len(res.Settlements), run.Settlements)
	}
	for _, c := range res.Settlements[:min(len(res.Settlements), 50)] {
		if !math.IsNaN(c.Before.SchoolKm) || math.IsNaN(c.After.SchoolKm) {
			t.Errorf("settlement %d school_km %v → %v; want undefined → a distance", c.ID, c.Before.SchoolKm, c.After.SchoolKm)
		}
	}
}

// The first school of a world that had none (SYNTHETIC syntheticTown without
// its school, with a settlement D at 60.5°E 45.5°N, 39 km from any road):
// every settlement gains a school figure, D's by the straight-line rule,
// equal to a full compute run with the school in the data. Settlement B
// (61°E 45°N, 6,000 people) is at the school: 0 km, newly within 3 km.
func TestBaselineFirstSchool(t *testing.T) {
	s := syntheticTown(t)
	ctx := context.Background()
	exec(t, s, `DELETE FROM facility WHERE kind = 'school'`)
	exec(t, s, `INSERT INTO settlement (source, source_id, name, place, population, district_id, oblast_id, geom, geom_3857)
		SELECT 'synthetic', 'D', 'Synthetic D', 'village', 300, d.id, d.parent_id, ST_SetSRID(ST_MakePoint(60.5, 45.5), 4326), ST_Transform(ST_SetSRID(ST_MakePoint(60.5, 45.5), 4326), 3857)
		FROM area d WHERE d.level = 'district'`)
	if _, err := compute.Run(ctx, s, compute.DefaultOptions()); err != nil {
		t.Fatal(err)
	}
	res, _, names, err := compute.NewBaselines(s).EvaluateScenario(ctx, []scenario.Project{{ID: 1, Kind: scenario.OpenFacility, FacilityKind: "school", Point: orb.Point{61, 45}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Settlements) != 4 {
		t.Fatalf("%d settlements changed; want all 4", len(res.Settlements))
	}
	exec(t, s, `INSERT INTO import_run (dataset, source) VALUES ('synthetic', 'baseline_test: the school')`)
	exec(t, s, `INSERT INTO facility (kind, name, source, source_id, geom) VALUES ('school', 'Synthetic school', 'synthetic', 's1', ST_SetSRID(ST_MakePoint(61, 45), 4326))`)
	full, err := compute.Run(ctx, s, compute.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range res.Settlements {
		if !math.IsNaN(c.Before.SchoolKm) {
			t.Errorf("%s: school_km before %v; want undefined", names[c.ID].Name, c.Before.SchoolKm)
		}
		var km, min float64
		if err := postgistest.Pool(s).QueryRow(ctx, `SELECT school_km, school_min FROM settlement_access WHERE run_id = $1 AND settlement_id = $2`, full.RunID, c.ID).Scan(&km, &min); err != nil {
			t.Fatal(err)
		}
		if math.Abs(km-c.After.SchoolKm) > 1e-9 || math.Abs(min-c.After.SchoolMin) > 1e-9 {
			t.Errorf("%s: evaluation %v km %v min, full compute %v km %v min", names[c.ID].Name, c.After.SchoolKm, c.After.SchoolMin, km, min)
		}
		if names[c.ID].Name == "Synthetic B" && (c.After.SchoolKm != 0 || c.After.SRS.School == nil || !*c.After.SRS.School) {
			t.Errorf("B: %v km, standard %v; want 0 km, met", c.After.SchoolKm, c.After.SRS.School)
		}
	}
	if res.Standards[1].Standard != "school" || res.Standards[1].Newly < 6000 {
		t.Errorf("school standard %+v; want at least B's 6,000 newly meeting", res.Standards[1])
	}
}

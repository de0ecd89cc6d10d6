package compute_test

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/aimaq/aimaq/data/compute"
	"github.com/aimaq/aimaq/data/importer"
	"github.com/aimaq/aimaq/data/postgis"
	"github.com/aimaq/aimaq/data/postgis/postgistest"
	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/route"
	"github.com/aimaq/aimaq/internal/errs"
	"github.com/aimaq/aimaq/internal/testenv"
	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
)

func exec(t *testing.T, s *postgis.Store, sql string, args ...any) {
	t.Helper()
	if _, err := postgistest.Pool(s).Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// syntheticTown loads a SYNTHETIC world: one oblast/district square at
// 60–62°E, 44–46°N; a paved primary road along 45°N from 60.0 to 61.0°E and an
// unpaved track north from its end; a settlement at each end of the road and
// one 3 km off it; a school at the east end; a hospital at the track's end.
func syntheticTown(t *testing.T) *postgis.Store {
	s := postgistest.New(t)
	exec(t, s, `INSERT INTO import_run (dataset, source) VALUES ('synthetic', 'compute_test')`)
	sq := `ST_Multi(ST_MakeEnvelope(60, 44, 62, 46, 4326))`
	exec(t, s, `INSERT INTO area (level, code, name_en, area_km2, population, geom, geom_3857) VALUES
		('country', '000000000', 'Synthetic country', 1, 1000, `+sq+`, ST_Transform(`+sq+`, 3857))`)
	exec(t, s, `INSERT INTO area (level, code, name_en, parent_id, area_km2, population, centre, geom, geom_3857)
		SELECT 'oblast', '110000000', 'Synthetic oblast', id, 1, 1000, ST_SetSRID(ST_MakePoint(61, 45), 4326), `+sq+`, ST_Transform(`+sq+`, 3857) FROM area WHERE level = 'country'`)
	exec(t, s, `INSERT INTO area (level, code, name_en, parent_id, area_km2, population, population_estimated, centre, geom, geom_3857)
		SELECT 'district', '113200000', 'Synthetic district', id, 1, 1000, true, ST_SetSRID(ST_MakePoint(61, 45), 4326), `+sq+`, ST_Transform(`+sq+`, 3857) FROM area WHERE level = 'oblast'`)
	for i, p := range []struct {
		lon, lat float64
		pop      int
	}{{60, 45, 600}, {61, 45, 6000}, {60.5, 45.027, 100}} {
		exec(t, s, `INSERT INTO settlement (source, source_id, name, place, population, district_id, oblast_id, geom, geom_3857)
			SELECT 'synthetic', $1, 'Synthetic '||$1, 'village', $2, d.id, d.parent_id, ST_SetSRID(ST_MakePoint($3, $4), 4326), ST_Transform(ST_SetSRID(ST_MakePoint($3, $4), 4326), 3857)
			FROM area d WHERE d.level = 'district'`, string(rune('A'+i)), p.pop, p.lon, p.lat)
	}
	exec(t, s, `INSERT INTO road (class, paved, oneway, source, source_id, geom) VALUES
		('primary', true, false, 'synthetic', '1', ST_SetSRID(ST_MakeLine(ST_MakePoint(60, 45), ST_MakePoint(61, 45)), 4326)),
		('track', false, false, 'synthetic', '2', ST_SetSRID(ST_MakeLine(ST_MakePoint(61, 45), ST_MakePoint(61, 45.5)), 4326))`)
	exec(t, s, `INSERT INTO facility (kind, name, source, source_id, geom) VALUES
		('school', 'Synthetic school', 'synthetic', 's1', ST_SetSRID(ST_MakePoint(61, 45), 4326)),
		('hospital', 'Synthetic hospital', 'synthetic', 'h1', ST_SetSRID(ST_MakePoint(61, 45.5), 4326))`)
	return s
}

func TestComputeSyntheticNetwork(t *testing.T) {
	s := syntheticTown(t)
	ctx := context.Background()
	o := compute.DefaultOptions()
	res, err := compute.Run(ctx, s, o)
	if err != nil {
		t.Fatal(err)
	}
	if res.Settlements != 3 || res.Roads != 2 || res.Routed != 3 {
		t.Fatalf("result = %+v", res)
	}
	roadM := orbgeo.Distance(orb.Point{60, 45}, orb.Point{61, 45})
	trackM := orbgeo.Distance(orb.Point{61, 45}, orb.Point{61, 45.5})
	sp := route.DefaultSpeeds()
	primary, track := sp.Paved["primary"], sp.Unpaved["track"]
	var schoolKm, schoolMin, hospMin, pavedKm float64
	var method string
	err = postgistest.Pool(s).QueryRow(ctx, `SELECT school_km, school_min, hospital_min, paved_road_km, method FROM settlement_access a
		JOIN settlement s ON s.id = a.settlement_id WHERE s.source_id = 'A' AND a.run_id = $1`, res.RunID).Scan(&schoolKm, &schoolMin, &hospMin, &pavedKm, &method)
	if err != nil {
		t.Fatal(err)
	}
	// 1e-5: the graph keeps coordinates and weights in float32 (about 0.3 m here).
	near := func(got, want float64) bool { return math.Abs(got-want) <= 1e-5*math.Max(1, math.Abs(want)) }
	if !near(schoolKm, roadM/1000) || !near(schoolMin, roadM/1000/primary*60) {
		t.Errorf("A: school %.4f km %.4f min, want %.4f km %.4f min", schoolKm, schoolMin, roadM/1000, roadM/1000/primary*60)
	}
	if want := roadM/1000/primary*60 + trackM/1000/track*60; !near(hospMin, want) {
		t.Errorf("A: hospital %.4f min, want %.4f", hospMin, want)
	}
	if pavedKm > 1e-6 || method != "network" {
		t.Errorf("A: paved_road_km = %v, method %s; want 0, network", pavedKm, method)
	}
	// C sits 3 km north of the road: its school trip starts with a 3 km walk.
	var cSchoolMin, cPaved float64
	var cOK bool
	err = postgistest.Pool(s).QueryRow(ctx, `SELECT school_min, paved_road_km, srs_school_ok FROM settlement_access a
		JOIN settlement s ON s.id = a.settlement_id WHERE s.source_id = 'C' AND a.run_id = $1`, res.RunID).Scan(&cSchoolMin, &cPaved, &cOK)
	if err != nil {
		t.Fatal(err)
	}
	if cPaved < 2.9 || cPaved > 3.1 || cSchoolMin < 3.0/sp.Walk*60 || cOK {
		t.Errorf("C: school %.2f min, paved %.3f km, school ok %v; want ≥ %.0f min, ~3 km, false", cSchoolMin, cPaved, cOK, 3.0/sp.Walk*60)
	}
	var share float64
	if err := postgistest.Pool(s).QueryRow(ctx, `SELECT value FROM area_indicator i JOIN area a ON a.id = i.area_id
		WHERE a.level = 'district' AND i.indicator = 'share_school_3km' AND i.run_id = $1`, res.RunID).Scan(&share); err != nil {
		t.Fatal(err)
	}
	if want := 6000.0 / 6700; !near(share, want) { // only B (6,000 people) has the school within 3 km
		t.Errorf("share_school_3km = %v, want %v", share, want)
	}
	// Two-step floating catchment: only B (6,000 people, at the school) is within
	// 30 minutes of it, so B gets 1 school per 6,000 people, A and C nothing.
	var fca float64
	if err := postgistest.Pool(s).QueryRow(ctx, `SELECT value FROM area_indicator i JOIN area a ON a.id = i.area_id
		WHERE a.level = 'district' AND i.indicator = 'school_2sfca' AND i.run_id = $1`, res.RunID).Scan(&fca); err != nil {
		t.Fatal(err)
	}
	if want := 1000.0 / 6000 * 6000 / 6700; !near(fca, want) {
		t.Errorf("school_2sfca = %v, want %v", fca, want)
	}
	// The district centre is B: A reaches it over the road.
	var dKm float64
	var straight []string
	if err := postgistest.Pool(s).QueryRow(ctx, `SELECT district_centre_km, straight_line FROM settlement_access a
		JOIN settlement s ON s.id = a.settlement_id WHERE s.source_id = 'A' AND a.run_id = $1`, res.RunID).Scan(&dKm, &straight); err != nil {
		t.Fatal(err)
	}
	if !near(dKm, roadM/1000) || len(straight) != 0 {
		t.Errorf("A: district centre %.4f km, straight-line %v; want %.4f over the network, nothing straight-line", dKm, straight, roadM/1000)
	}
	stale, err := compute.Stale(ctx, s)
	if err != nil || stale {
		t.Errorf("Stale after a run = %v, %v; want false", stale, err)
	}
	exec(t, s, `INSERT INTO import_run (dataset, source) VALUES ('synthetic', 'more')`)
	if stale, _ := compute.Stale(ctx, s); !stale {
		t.Error("Stale after a new import = false, want true")
	}
}

// On the real data set — settlements, boundaries and centres, but no
// facilities or roads — compute gives the straight-line indicators only,
// flags them, and names the ones that need an OSM extract.
func TestComputeRealDataStraightLine(t *testing.T) {
	dir := testenv.DataDir(t)
	s := postgistest.New(t)
	ctx := context.Background()
	if _, err := importer.New(s, nil).KZ(ctx, dir); err != nil {
		t.Fatal(err)
	}
	res, err := compute.Run(ctx, s, compute.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range res.Steps {
		t.Logf("%-36s %v", st.Name, st.Duration)
	}
	want := map[string]bool{"school_km": true, "clinic_min": true, "hospital_min": true, "paved_road_km": true, "srs_score": true}
	for _, m := range res.Missing {
		delete(want, m)
	}
	if len(want) > 0 {
		t.Errorf("Missing = %v, lacks %v", res.Missing, want)
	}
	var n, straight, withDistrict, schools int64
	if err := postgistest.Pool(s).QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE method = 'straight-line'),
		count(district_centre_km), count(school_km) FROM settlement_access WHERE run_id = $1`, res.RunID).Scan(&n, &straight, &withDistrict, &schools); err != nil {
		t.Fatal(err)
	}
	if n != int64(res.Settlements) || straight != n || schools != 0 || withDistrict < n*9/10 {
		t.Errorf("rows %d, straight-line %d, with district centre %d, with school %d (settlements %d)", n, straight, withDistrict, schools, res.Settlements)
	}
	var oblasts int64
	if err := postgistest.Pool(s).QueryRow(ctx, `SELECT count(*) FROM area_indicator i JOIN area a ON a.id = i.area_id
		WHERE a.level = 'oblast' AND i.indicator = 'oblast_centre_km_mean' AND i.method = 'straight-line' AND i.run_id = $1`, res.RunID).Scan(&oblasts); err != nil {
		t.Fatal(err)
	}
	if oblasts != 20 {
		t.Errorf("oblasts with a straight-line oblast_centre_km_mean = %d, want 20", oblasts)
	}
	// Statistics per 10,000: Akmola 32 medical institutions (2022) / 787,971 people (2023).
	var med float64
	if err := postgistest.Pool(s).QueryRow(ctx, `SELECT value FROM area_indicator i JOIN area a ON a.id = i.area_id
		WHERE a.code = '110000000' AND i.indicator = 'medical_per_10k_stats' AND i.method = 'statistics' AND i.run_id = $1`, res.RunID).Scan(&med); err != nil {
		t.Fatal(err)
	}
	if want := 32.0 / 787971 * 1e4; math.Abs(med-want) > 1e-9 {
		t.Errorf("Akmola medical_per_10k_stats = %v, want %v", med, want)
	}
}

// The API's view of a run: the store reads back what compute wrote.
func TestStoreReadsComputeRun(t *testing.T) {
	s := syntheticTown(t)
	ctx := context.Background()
	if _, err := s.SettlementAccess(ctx, 1); errs.KindOf(err) != errs.NotFound {
		t.Errorf("SettlementAccess before any run: %v, want not found", err)
	}
	if _, err := compute.Run(ctx, s, compute.DefaultOptions()); err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := postgistest.Pool(s).QueryRow(ctx, `SELECT id FROM settlement WHERE source_id = 'A'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	r, err := s.SettlementAccess(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	fig := map[string]access.Figure{}
	for _, f := range r.Figures {
		fig[f.Indicator] = f
	}
	if f := fig["school_km"]; f.Value == nil || f.Method != "network" || *f.Value < 78 || *f.Value > 79 {
		t.Errorf("school_km = %+v", f)
	}
	if f := fig["town5k_km"]; f.Method != "straight-line" {
		t.Errorf("town5k_km method = %q, want straight-line", f.Method)
	}
	if r.Nearest["school"] == nil || r.Nearest["school"].Name != "Synthetic school" {
		t.Errorf("nearest school = %+v", r.Nearest["school"])
	}
	if _, err := s.SettlementAccess(ctx, 999999); errs.KindOf(err) != errs.NotFound {
		t.Errorf("unknown settlement: %v, want not found", err)
	}
	tab, err := s.AreaIndicator(ctx, "district", "school_km_mean", true)
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Rows) != 1 || tab.Rows[0].Value == nil || tab.Rows[0].Geometry == nil || tab.Rows[0].Method != "network" {
		t.Errorf("district table = %+v", tab.Rows)
	}
	if _, err := s.AreaIndicator(ctx, "district", "no_such", false); errs.KindOf(err) != errs.NotFound {
		t.Errorf("unknown indicator: %v, want not found", err)
	}
	names, err := s.AreaIndicatorNames(ctx)
	if err != nil || len(names) < 10 {
		t.Errorf("names = %v, %v", names, err)
	}
}

func TestNearbyPointAccess(t *testing.T) {
	s := syntheticTown(t)
	ctx := context.Background()
	r := compute.NewNearby(s, access.DefaultOptions())
	rep, err := r.PointAccess(ctx, 60.2, 45.0)
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]access.PointNearest{}
	for _, n := range rep.Nearest {
		by[n.Kind] = n
	}
	wantKm := orbgeo.Distance(orb.Point{60.2, 45}, orb.Point{61, 45}) / 1000
	if n := by["school"]; n.Method != "network" || math.Abs(n.Km-wantKm) > 1e-3 || n.Facility == nil || n.Facility.Name != "Synthetic school" {
		t.Errorf("school = %+v, want network %.3f km", n, wantKm)
	}
	if n := by["hospital"]; n.Method != "network" || n.Min <= by["school"].Min {
		t.Errorf("hospital = %+v", n)
	}
	// 100 km south of every road: straight line, flagged.
	rep, err = r.PointAccess(ctx, 61.9, 44.1)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range rep.Nearest {
		if n.Method != "straight-line" {
			t.Errorf("%s from off the network: method %s", n.Kind, n.Method)
		}
	}
}

// A run's bookkeeping: the params and data generation it saw, done or
// failed, and only the postgis.KeepRuns latest finished runs kept.
func TestRunBookkeeping(t *testing.T) {
	s := syntheticTown(t)
	ctx := context.Background()
	var runs []int64
	for range postgis.KeepRuns + 1 {
		res, err := compute.Run(ctx, s, compute.DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, res.RunID)
	}
	var kept []int64
	var sameParams bool
	if err := postgistest.Pool(s).QueryRow(ctx, `SELECT array_agg(id ORDER BY id), bool_and(params = $1::jsonb AND status = 'done' AND finished_at IS NOT NULL
		AND data_generation = (SELECT max(id) FROM import_run)) FROM compute_run`, storedParams).Scan(&kept, &sameParams); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(kept, runs[1:]) || !sameParams {
		t.Errorf("runs kept %v (params, status and generation as expected: %v), want %v", kept, sameParams, runs[1:])
	}
	var orphans int64
	if err := postgistest.Pool(s).QueryRow(ctx, `SELECT (SELECT count(*) FROM settlement_access WHERE run_id = $1) + (SELECT count(*) FROM area_indicator WHERE run_id = $1)`, runs[0]).Scan(&orphans); err != nil || orphans != 0 {
		t.Errorf("%d result rows of the dropped run %d (%v)", orphans, runs[0], err)
	}
	// A road the graph refuses fails the run: it stays on record as failed, with no results.
	exec(t, s, `INSERT INTO road (class, paved, oneway, source, source_id, geom) VALUES
		('track', false, false, 'synthetic', 'bad', ST_SetSRID(ST_MakeLine(ST_MakePoint(61, 45), ST_MakePoint(200, 45)), 4326))`)
	if _, err := compute.Run(ctx, s, compute.DefaultOptions()); err == nil {
		t.Fatal("Run with an invalid road succeeded")
	}
	var status string
	var finished bool
	var results int64
	if err := postgistest.Pool(s).QueryRow(ctx, `SELECT status, finished_at IS NOT NULL, (SELECT count(*) FROM area_indicator i WHERE i.run_id = r.id)
		FROM compute_run r ORDER BY id DESC LIMIT 1`).Scan(&status, &finished, &results); err != nil {
		t.Fatal(err)
	}
	if status != "failed" || !finished || results != 0 {
		t.Errorf("failed run: status %s, finished %v, %d results; want failed, finished, none", status, finished, results)
	}
	// The next finished run drops the failed one.
	exec(t, s, `DELETE FROM road WHERE source_id = 'bad'`)
	if _, err := compute.Run(ctx, s, compute.DefaultOptions()); err != nil {
		t.Fatal(err)
	}
	var failed int64
	if err := postgistest.Pool(s).QueryRow(ctx, `SELECT count(*) FROM compute_run WHERE status <> 'done'`).Scan(&failed); err != nil || failed != 0 {
		t.Errorf("%d runs not done after a finished run (%v), want 0", failed, err)
	}
}

// After an import, the latest run's figures are older than the data: the
// store says so with them, until the next run.
func TestStoreSaysWhenTheRunIsOlderThanTheData(t *testing.T) {
	s := syntheticTown(t)
	ctx := context.Background()
	if _, err := compute.Run(ctx, s, compute.DefaultOptions()); err != nil {
		t.Fatal(err)
	}
	stale := func() (areas, settlement bool) {
		t.Helper()
		tab, err := s.AreaIndicator(ctx, "district", "school_km_mean", false)
		if err != nil {
			t.Fatal(err)
		}
		var id int64
		if err := postgistest.Pool(s).QueryRow(ctx, `SELECT min(id) FROM settlement`).Scan(&id); err != nil {
			t.Fatal(err)
		}
		r, err := s.SettlementAccess(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return tab.Stale, r.Stale
	}
	if a, st := stale(); a || st {
		t.Fatalf("just computed: stale %v/%v", a, st)
	}
	exec(t, s, `INSERT INTO import_run (dataset, source) VALUES ('synthetic', 'a later import')`)
	if a, st := stale(); !a || !st {
		t.Errorf("after an import: stale %v/%v, want true", a, st)
	}
	if _, err := compute.Run(ctx, s, compute.DefaultOptions()); err != nil {
		t.Fatal(err)
	}
	if a, st := stale(); a || st {
		t.Errorf("recomputed: stale %v/%v", a, st)
	}
}

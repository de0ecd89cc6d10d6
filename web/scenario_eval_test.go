package web_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aimaq/aimaq/data/compute"
	"github.com/aimaq/aimaq/data/postgis"
	"github.com/aimaq/aimaq/data/postgis/postgistest"
	"github.com/aimaq/aimaq/geo/scenario"
	"github.com/aimaq/aimaq/web"
)

// cmd/aimaq wires compute.Baselines in as the ScenarioEvaluator.
var _ web.ScenarioEvaluator = (*compute.Baselines)(nil)

// evalWorld is runsWorld (SYNTHETIC: villages v1 at 60.5°E 44.5°N, 1,000
// people, and v2 at 61.5°E, 2,000 people; a school at 60.5°E 44.6°N) with an
// unpaved track along the meridian 60.5°E from v1 through the school to
// 44.7°N, so that v1 and the school are on the network and v2, 55 km from
// any road, takes the straight-line rule.
func evalWorld(t *testing.T) (*postgis.Store, func(sql string, args ...any)) {
	s, exec := runsWorld(t)
	exec(`INSERT INTO road (class, paved, oneway, source_id, geom) VALUES ('track', false, false, 'synthetic/1', ST_SetSRID(ST_MakeLine(ST_MakePoint(60.5, 44.5), ST_MakePoint(60.5, 44.7)), 4326))`)
	return s, exec
}

type evalAnswer struct {
	RunID       int64   `json:"run_id"`
	Stale       bool    `json:"stale"`
	Projects    int     `json:"projects"`
	CostKZT     float64 `json:"cost_kzt"`
	NewlyServed float64 `json:"newly_served"`
	CostPerPers float64 `json:"cost_per_person_kzt"`
	Settlements []struct {
		ID         int64
		Name       string
		District   string
		Population int
		Before     struct {
			SchoolKm  *float64 `json:"school_km"`
			SchoolMin *float64 `json:"school_min"`
			SRS       struct {
				School *bool `json:"school_ok"`
			} `json:"srs"`
		}
		After struct {
			SchoolKm      *float64 `json:"school_km"`
			SchoolMin     *float64 `json:"school_min"`
			NearestSchool int64    `json:"nearest_school_id"`
			SRS           struct {
				School *bool `json:"school_ok"`
			} `json:"srs"`
		}
	}
	Areas []struct {
		Area      int64    `json:"area_id"`
		Indicator string   `json:"indicator"`
		Before    *float64 `json:"before"`
		After     *float64 `json:"after"`
	}
	Standards []struct {
		Standard string
		Before   struct{ Applies, Meets float64 }
		After    struct{ Applies, Meets float64 }
		Newly    float64 `json:"newly_meeting"`
	}
	Disparity []struct {
		Indicator string
		Before    *struct{ Total float64 }
		After     *struct{ Total float64 }
	}
	Notes []struct {
		Code, Text string
	}
	TimingMs *float64 `json:"timing_ms"`
}

// A school opened 0.01° north of v1, on its track, evaluated over HTTP on the
// latest run's baseline: v1's school is 1,113.19 m away instead of 11,131.95
// m (0.01° and 0.1° of a meridian on orb's sphere of 6,378,137 m), 2.67 min at
// the unpaved track's 25 km/h; v1's 1,000 people newly meet the 3 km
// standard, at 500 million tenge 500,000 per person. Every figure equals a
// full compute run with the school in the data, to 1e-9.
func TestScenarioEvaluation(t *testing.T) {
	s, exec := evalWorld(t)
	ctx := context.Background()
	ev := compute.NewBaselines(s)
	h := web.New(web.Options{Tiles: s, Scenarios: s, ScenarioEval: ev})

	// No run yet: 404 saying what to do.
	w := scenario.Write{Token: "test", Method: "TEST", Path: "/", Local: true}
	m, err := s.CreateScenario(ctx, w, "School at v1 (SYNTHETIC)", "")
	if err != nil {
		t.Fatal(err)
	}
	base := "/api/scenarios/" + itoa(m.ID)
	if rec := send(t, h, "GET", base+"/evaluation", "", "", ""); rec.Code != 404 || !strings.Contains(errorOf(t, rec), "aimaq compute") {
		t.Errorf("before any run: %d %s; want 404 naming aimaq compute", rec.Code, rec.Body)
	}

	first, err := compute.Run(ctx, s, compute.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	lon, lat, cost := 60.5, 44.51, 500e6
	if _, err := s.AddProjects(ctx, w, m.ID, []scenario.Draft{{Kind: "open_facility", Name: "New school", FacilityKind: "school",
		Lon: &lon, Lat: &lat, CostKZT: &cost}}, postgis.JSONPlacer); err != nil {
		t.Fatal(err)
	}
	var got evalAnswer
	getJSON(t, h, base+"/evaluation?lang=ru", http.StatusOK, &got)
	if got.RunID != first.RunID || got.Stale || got.Projects != 1 || got.CostKZT != cost || got.TimingMs == nil {
		t.Errorf("run %d stale %v projects %d cost %v timing %v; want run %d, current, 1 project, %v", got.RunID, got.Stale, got.Projects, got.CostKZT, got.TimingMs, first.RunID, cost)
	}
	metre := 6378137 * math.Pi / 180 // one degree of a meridian, in metres
	var v1, v2 int64
	if err := postgistest.Pool(s).QueryRow(ctx, `SELECT (SELECT id FROM settlement WHERE source_id = 'v1'), (SELECT id FROM settlement WHERE source_id = 'v2')`).Scan(&v1, &v2); err != nil {
		t.Fatal(err)
	}
	if len(got.Settlements) != 2 {
		t.Fatalf("%d changed settlements, want v1 and v2 (the straight-line rule finds the new school nearer too): %+v", len(got.Settlements), got.Settlements)
	}
	c := got.Settlements[0]
	if c.ID != v1 || c.Name != "Synthetic v1" || c.District != "Synthetic D1" || c.Population != 1000 {
		t.Errorf("first change %+v; want v1, Synthetic D1, 1000 people", c)
	}
	near := func(v *float64, want, tol float64) bool { return v != nil && math.Abs(*v-want) <= tol }
	// To 0.1 m: the snapper places a point along its link with float32
	// coordinates (a few centimetres).
	if !near(c.Before.SchoolKm, 0.1*metre/1000, 1e-4) || !near(c.After.SchoolKm, 0.01*metre/1000, 1e-4) {
		t.Errorf("v1 school_km %v → %v; want %.6f → %.6f", deref(c.Before.SchoolKm), deref(c.After.SchoolKm), 0.1*metre/1000, 0.01*metre/1000)
	}
	if !near(c.After.SchoolMin, 0.01*metre/1000/25*60, 1e-3) || c.After.NearestSchool >= 0 {
		t.Errorf("v1 school_min after %v, nearest %d; want %.6f min at 25 km/h, the opened school (a negative id)", deref(c.After.SchoolMin), c.After.NearestSchool, 0.01*metre/1000/25*60)
	}
	if c.Before.SRS.School == nil || *c.Before.SRS.School || c.After.SRS.School == nil || !*c.After.SRS.School {
		t.Errorf("v1 school standard %v → %v; want false → true", c.Before.SRS.School, c.After.SRS.School)
	}
	if got.NewlyServed != 1000 || got.CostPerPers != 500000 {
		t.Errorf("newly served %v at %v per person; want 1000 at 500000", got.NewlyServed, got.CostPerPers)
	}
	for _, sc := range got.Standards {
		if sc.Standard == "school" && (sc.Newly != 1000 || sc.After.Meets-sc.Before.Meets != 1000) {
			t.Errorf("school standard %+v; want 1000 newly meeting", sc)
		}
	}
	if len(got.Notes) < 4 || !strings.HasPrefix(got.Notes[0].Code, "scenario.") || !strings.Contains(got.Notes[0].Text, "сценарий") {
		t.Errorf("notes %+v; want the engine's limits in Russian", got.Notes)
	}

	// CSV and GeoJSON of the same changes.
	rec := send(t, h, "GET", base+"/evaluation?format=csv", "", "", "")
	rows, err := csv.NewReader(rec.Body).ReadAll()
	if rec.Code != 200 || err != nil || len(rows) != 3 || rows[0][1] != "name" || rows[1][1] != "Synthetic v1" || rows[1][2] != "Synthetic D1" {
		t.Fatalf("CSV %d %v:\n%v", rec.Code, err, rows)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	if rows[1][col["srs_school_ok_before"]] != "false" || rows[1][col["srs_school_ok_after"]] != "true" ||
		!strings.HasPrefix(rows[1][col["school_km_delta"]], "-10.018") {
		t.Errorf("CSV v1 row %v", rows[1])
	}
	var fc struct {
		Type     string
		Features []struct {
			Geometry   struct{ Coordinates []float64 }
			Properties map[string]any
		}
	}
	getJSON(t, h, base+"/evaluation?format=geojson", http.StatusOK, &fc)
	if fc.Type != "FeatureCollection" || len(fc.Features) != 2 || fc.Features[0].Geometry.Coordinates[0] != 60.5 ||
		fc.Features[0].Properties["srs_school_ok_after"] != true || fc.Features[0].Properties["school_km_before"] == nil {
		t.Errorf("GeoJSON %+v", fc)
	}

	// The full recompute with the school in the data agrees to 1e-9.
	after := map[int64][2]float64{}
	for _, c := range got.Settlements {
		after[c.ID] = [2]float64{deref(c.After.SchoolKm), deref(c.After.SchoolMin)}
	}
	exec(`INSERT INTO import_run (dataset, source, finished_at) VALUES ('synthetic', 'the scenario school, built', now())`)
	exec(`INSERT INTO facility (kind, name, source, source_id, geom) VALUES ('school', 'New school', 'synthetic', 's-new', ST_SetSRID(ST_MakePoint(60.5, 44.51), 4326))`)
	second, err := compute.Run(ctx, s, compute.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range after {
		var km, min float64
		if err := postgistest.Pool(s).QueryRow(ctx, `SELECT school_km, school_min FROM settlement_access WHERE run_id = $1 AND settlement_id = $2`, second.RunID, id).Scan(&km, &min); err != nil {
			t.Fatal(err)
		}
		if math.Abs(km-want[0]) > 1e-9 || math.Abs(min-want[1]) > 1e-9 {
			t.Errorf("settlement %d: evaluation %v km %v min, full compute %v km %v min", id, want[0], want[1], km, min)
		}
	}
	if len(got.Areas) == 0 {
		t.Fatal("no area changes")
	}
	for _, a := range got.Areas {
		var v *float64
		err := postgistest.Pool(s).QueryRow(ctx, `SELECT value FROM area_indicator WHERE run_id = $1 AND area_id = $2 AND indicator = $3`, second.RunID, a.Area, a.Indicator).Scan(&v)
		if err != nil && a.After != nil {
			t.Errorf("area %d %s: evaluation %v, full compute: %v", a.Area, a.Indicator, *a.After, err)
			continue
		}
		if (v == nil) != (a.After == nil) || v != nil && math.Abs(*v-*a.After) > 1e-9 {
			t.Errorf("area %d %s: evaluation %v, full compute %v", a.Area, a.Indicator, a.After, v)
		}
	}

	// The newer run is the new baseline: the school stands already, so the
	// scenario opening it again changes no figure (a settlement may name the
	// opened school as its nearest, a tie) and serves nobody newly.
	var again evalAnswer
	getJSON(t, h, base+"/evaluation", http.StatusOK, &again)
	if again.RunID != second.RunID || again.NewlyServed != 0 || len(again.Areas) != 0 {
		t.Errorf("on run %d: run %d, newly served %v, areas %+v; want no change", second.RunID, again.RunID, again.NewlyServed, again.Areas)
	}
	for _, c := range again.Settlements {
		if deref(c.Before.SchoolKm) != deref(c.After.SchoolKm) || deref(c.Before.SchoolMin) != deref(c.After.SchoolMin) {
			t.Errorf("on run %d, settlement %d changes: %+v", second.RunID, c.ID, c)
		}
	}
}

func deref(v *float64) float64 {
	if v == nil {
		return math.NaN()
	}
	return *v
}

// Bad ids name their parameter; a project the engine refuses is a 400
// naming the project and why; two scenarios compare side by side on one run.
func TestScenarioEvaluationErrorsAndCompare(t *testing.T) {
	s, _ := evalWorld(t)
	ctx := context.Background()
	run, err := compute.Run(ctx, s, compute.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	h := web.New(web.Options{Tiles: s, Scenarios: s, ScenarioEval: compute.NewBaselines(s)})
	w := scenario.Write{Token: "test", Method: "TEST", Path: "/", Local: true}
	mk := func(name string, drafts ...scenario.Draft) int64 {
		m, err := s.CreateScenario(ctx, w, name, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(drafts) > 0 {
			if _, err := s.AddProjects(ctx, w, m.ID, drafts, postgis.JSONPlacer); err != nil {
				t.Fatal(err)
			}
		}
		return m.ID
	}
	lon, lat, cost := 60.5, 44.51, 500e6
	school := mk("School (SYNTHETIC)", scenario.Draft{Kind: "open_facility", FacilityKind: "school", Lon: &lon, Lat: &lat, CostKZT: &cost})
	empty := mk("Nothing (SYNTHETIC)")
	paveLine := mk("Pave a drawn line (SYNTHETIC)", scenario.Draft{Kind: "pave_road", Line: [][]float64{{60.5, 44.5}, {60.5, 44.6}}})
	ps, err := s.Projects(ctx, paveLine)
	if err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		target string
		code   int
		want   string
	}{
		{"/api/scenarios/x/evaluation", 400, `id="x"`},
		{"/api/scenarios/0/evaluation", 400, `id="0"`},
		{"/api/scenarios/999999/evaluation", 404, "id=999999"},
		{"/api/scenarios/" + itoa(school) + "/evaluation?format=xml", 400, "format"},
		{"/api/scenarios/" + itoa(school) + "/evaluation?lang=de", 400, "lang"},
		{"/api/scenarios/" + itoa(paveLine) + "/evaluation", 400, "project " + itoa(ps[0].ID) + " (#1, pave_road)"},
		{"/api/scenarios/compare?a=" + itoa(school), 400, "b: missing"},
		{"/api/scenarios/compare?a=one&b=" + itoa(school), 400, `a="one"`},
		{"/api/scenarios/compare?a=" + itoa(school) + "&b=999999", 404, "b=999999"},
	} {
		rec := send(t, h, "GET", c.target, "", "", "")
		if rec.Code != c.code || !strings.Contains(errorOf(t, rec), c.want) {
			t.Errorf("GET %s = %d %s; want %d naming %q", c.target, rec.Code, rec.Body, c.code, c.want)
		}
	}
	if rec := send(t, h, "GET", "/api/scenarios/"+itoa(paveLine)+"/evaluation", "", "", ""); !strings.Contains(errorOf(t, rec), "drawn line") {
		t.Errorf("refusal %s; want the reason (a drawn line)", rec.Body)
	}

	var cmp struct {
		RunID int64 `json:"run_id"`
		A, B  struct {
			Scenario           struct{ ID int64 }
			Projects           int
			ChangedSettlements int     `json:"changed_settlements"`
			CostKZT            float64 `json:"cost_kzt"`
			NewlyServed        float64 `json:"newly_served"`
			CostPerPerson      *float64
			Standards          []struct {
				Standard string
				Newly    float64 `json:"newly_meeting"`
			}
			Disparity []json.RawMessage
		}
	}
	getJSON(t, h, "/api/scenarios/compare?a="+itoa(school)+"&b="+itoa(empty), http.StatusOK, &cmp)
	if cmp.RunID != run.RunID || cmp.A.Scenario.ID != school || cmp.B.Scenario.ID != empty {
		t.Fatalf("compare %+v", cmp)
	}
	if cmp.A.Projects != 1 || cmp.A.ChangedSettlements != 2 || cmp.A.CostKZT != cost || cmp.A.NewlyServed != 1000 || len(cmp.A.Standards) != 3 || len(cmp.A.Disparity) != 4 {
		t.Errorf("a: %+v", cmp.A)
	}
	if cmp.B.Projects != 0 || cmp.B.ChangedSettlements != 0 || cmp.B.NewlyServed != 0 || cmp.B.CostPerPerson != nil {
		t.Errorf("b: %+v; want nothing changed and no cost per person", cmp.B)
	}

	// Without an evaluator the routes answer 503.
	h2 := web.New(web.Options{Tiles: s, Scenarios: s})
	rec := httptest.NewRecorder()
	h2.ServeHTTP(rec, httptest.NewRequest("GET", "/api/scenarios/"+itoa(school)+"/evaluation", nil))
	if rec.Code != 503 {
		t.Errorf("no evaluator: %d %s; want 503", rec.Code, rec.Body)
	}
}

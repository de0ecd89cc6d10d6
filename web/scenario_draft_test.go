package web_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/aimaq/aimaq/data/compute"
	"github.com/aimaq/aimaq/data/postgis/postgistest"
	"github.com/aimaq/aimaq/geo/lang"
	"github.com/aimaq/aimaq/web"
)

// draftAnswer is the part of a draft's evaluation the tests read.
type draftAnswer struct {
	Scenario struct {
		ID       int64
		Name     string
		Projects int
	}
	RunID       int64   `json:"run_id"`
	Projects    int     `json:"projects"`
	CostKZT     float64 `json:"cost_kzt"`
	NewlyServed float64 `json:"newly_served"`
	Settlements []struct {
		ID     int64
		Name   string
		Before struct {
			SchoolKm *float64          `json:"school_km"`
			Methods  map[string]string `json:"methods"`
		}
		After struct {
			SchoolKm      *float64          `json:"school_km"`
			NearestSchool int64             `json:"nearest_school_id"`
			Methods       map[string]string `json:"methods"`
		}
	}
	Areas []struct {
		Area      int64 `json:"area_id"`
		Level     string
		Code      string
		Name      string
		Indicator string
		Before    *float64
		After     *float64
	}
	Notes []struct {
		Code, Text string
	}
}

// The school of TestScenarioEvaluation (SYNTHETIC: 0.01° north of v1, on its
// track; 500 million tenge), posted as a draft with no token: v1's school
// comes 1,113.19 m near instead of 11,131.95 m, over the network, and its
// district's school_km_mean drops by the same 10.0188 km (v1 is D1's only
// settlement); v2, 55 km from any road, is answered by the straight-line
// rule before and after, and says so. Nothing is written.
func TestDraftEvaluation(t *testing.T) {
	s, _ := evalWorld(t)
	ctx := context.Background()
	run, err := compute.Run(ctx, s, compute.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	h := web.New(web.Options{Tiles: s, Scenarios: s, ScenarioEval: compute.NewBaselines(s)})
	school := `{"kind": "open_facility", "name": "New school", "facility_kind": "school", "lon": 60.5, "lat": 44.51, "cost_kzt": 500e6}`
	rec := send(t, h, "POST", "/api/scenarios/evaluate?lang=ru", "", "application/json", `{"projects": [`+school+`]}`)
	if rec.Code != http.StatusOK {
		t.Fatalf("POST draft: %d %s", rec.Code, rec.Body)
	}
	var got draftAnswer
	mustJSON(t, rec.Body.Bytes(), &got)
	if got.Scenario.ID != 0 || got.Scenario.Name != "draft" || got.Scenario.Projects != 1 || got.RunID != run.RunID || got.Projects != 1 || got.CostKZT != 500e6 || got.NewlyServed != 1000 {
		t.Errorf("draft %+v run %d projects %d cost %v newly %v; want draft of 1 project on run %d, 500e6, 1000 newly served",
			got.Scenario, got.RunID, got.Projects, got.CostKZT, got.NewlyServed, run.RunID)
	}
	var v1, v2 int64
	if err := postgistest.Pool(s).QueryRow(ctx, `SELECT (SELECT id FROM settlement WHERE source_id = 'v1'), (SELECT id FROM settlement WHERE source_id = 'v2')`).Scan(&v1, &v2); err != nil {
		t.Fatal(err)
	}
	if len(got.Settlements) != 2 || got.Settlements[0].ID != v1 || got.Settlements[1].ID != v2 {
		t.Fatalf("changed settlements %+v; want v1 and v2", got.Settlements)
	}
	metre := 6378137 * math.Pi / 180
	c := got.Settlements[0]
	if math.Abs(deref(c.Before.SchoolKm)-0.1*metre/1000) > 1e-4 || math.Abs(deref(c.After.SchoolKm)-0.01*metre/1000) > 1e-4 || c.After.NearestSchool != -1 {
		t.Errorf("v1 school_km %v → %v (nearest %d); want %.6f → %.6f, the draft's first project (-1)", deref(c.Before.SchoolKm), deref(c.After.SchoolKm), c.After.NearestSchool, 0.1*metre/1000, 0.01*metre/1000)
	}
	// Per-figure provenance (DESIGN.md, trust rules).
	for _, m := range []map[string]string{c.Before.Methods, c.After.Methods} {
		if m["school_km"] != "network" || m["school_min"] != "network" {
			t.Errorf("v1 methods %v; want school_km and school_min over the network", m)
		}
	}
	off := got.Settlements[1]
	for _, m := range []map[string]string{off.Before.Methods, off.After.Methods} {
		if m["school_km"] != "straight-line" || m["school_min"] != "estimated" || m["clinic_km"] != "" {
			t.Errorf("v2 (off the network) methods %v; want school_km straight-line, school_min estimated, no clinic figure", m)
		}
	}
	// District names in the request's language (D1 has only an English name).
	var d1 bool
	for _, a := range got.Areas {
		if a.Indicator == "school_km_mean" && a.Level == "district" && a.Code == "111000000" {
			d1 = true
			if a.Name != "Synthetic D1" || math.Abs(deref(a.After)-deref(a.Before)+0.09*metre/1000) > 1e-4 {
				t.Errorf("D1 school_km_mean %+v; want named Synthetic D1, %.4f km less", a, 0.09*metre/1000)
			}
		}
	}
	if !d1 {
		t.Errorf("areas %+v; want D1's school_km_mean with its level and code", got.Areas)
	}
	// The notes are lang's catalogue, in Russian.
	msgs := lang.Messages()
	for _, n := range got.Notes {
		if txt, ok := msgs[n.Code]; !ok || n.Text != txt.RU {
			t.Errorf("note %s %q is not lang's %q in Russian", n.Code, n.Text, txt.RU)
		}
	}
	if len(got.Notes) < 4 {
		t.Errorf("notes %+v; want the engine's limits", got.Notes)
	}
	// CSV and GeoJSON say how each figure was made.
	rec = send(t, h, "POST", "/api/scenarios/evaluate?format=csv", "", "application/json", `{"projects": [`+school+`]}`)
	rows, err := csv.NewReader(rec.Body).ReadAll()
	if rec.Code != 200 || err != nil || len(rows) != 3 {
		t.Fatalf("CSV %d %v: %v", rec.Code, err, rows)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	if rows[2][col["school_km_method_before"]] != "straight-line" || rows[2][col["school_min_method_after"]] != "estimated" || rows[1][col["school_km_method_after"]] != "network" {
		t.Errorf("CSV methods: header %v\nv1 %v\nv2 %v", rows[0], rows[1], rows[2])
	}
	rec = send(t, h, "POST", "/api/scenarios/evaluate?format=geojson", "", "application/json", `{"projects": [`+school+`]}`)
	var fc struct {
		Features []struct{ Properties map[string]any }
	}
	mustJSON(t, rec.Body.Bytes(), &fc)
	if len(fc.Features) != 2 || fc.Features[1].Properties["school_km_method_after"] != "straight-line" || fc.Features[0].Properties["school_km_method_before"] != "network" {
		t.Errorf("GeoJSON %d %+v", rec.Code, fc)
	}
	// Nothing written.
	var scenarios, projects int
	if err := postgistest.Pool(s).QueryRow(ctx, `SELECT (SELECT count(*) FROM scenario), (SELECT count(*) FROM project)`).Scan(&scenarios, &projects); err != nil {
		t.Fatal(err)
	}
	if scenarios != 0 || projects != 0 {
		t.Errorf("%d scenarios, %d projects stored; want none", scenarios, projects)
	}
}

// A draft's errors name the project and its field, as the write API's do;
// too many projects or too large a body is refused before any work.
func TestDraftEvaluationErrors(t *testing.T) {
	s, _ := evalWorld(t)
	if _, err := compute.Run(context.Background(), s, compute.DefaultOptions()); err != nil {
		t.Fatal(err)
	}
	h := web.New(web.Options{Tiles: s, Scenarios: s, ScenarioEval: compute.NewBaselines(s)})
	school := `{"kind": "open_facility", "facility_kind": "school", "lon": 60.5, "lat": 44.51}`
	many := strings.TrimSuffix(strings.Repeat(school+",", 1001), ",")
	for _, c := range []struct{ name, body, want string }{
		{"empty", `{"projects": []}`, "projects: missing or empty"},
		{"not JSON", `{"projects": [`, "body: not a valid JSON body"},
		{"unknown field", `{"projects": [` + school + `, {"kind": "open_facility", "colour": "red"}]}`, "projects[1].colour: unknown field"},
		{"wrong type", `{"projects": [` + school + `, {"kind": "open_facility", "lon": "east"}]}`, "projects[1].lon: want a number"},
		{"no kind", `{"projects": [` + school + `, {"facility_kind": "school"}]}`, "projects[1].kind: missing"},
		{"outside the country", `{"projects": [{"kind": "open_facility", "facility_kind": "school", "lon": 70, "lat": 44.5}]}`, "projects[0].lon: (70, 44.5) lies outside"},
		{"no such facility", `{"projects": [{"kind": "close_facility", "facility_id": 999999}]}`, "projects[0].facility_id: no facility 999999"},
		{"engine refuses", `{"projects": [` + school + `, {"kind": "pave_road", "line": [[60.5, 44.5], [60.5, 44.6]]}]}`, "projects[1] (pave_road): road_ids is empty"},
		{"too many", `{"projects": [` + many + `]}`, "projects: 1001 given, at most 1000"},
		{"too large", `{"projects": [{"kind": "open_facility", "name": "` + strings.Repeat("x", 1<<20) + `"}]}`, "body larger than"},
	} {
		rec := send(t, h, "POST", "/api/scenarios/evaluate", "", "application/json", c.body)
		if rec.Code != 400 || !strings.Contains(errorOf(t, rec), c.want) {
			t.Errorf("%s: %d %.300s; want 400 naming %q", c.name, rec.Code, rec.Body, c.want)
		}
	}
	// GET of the path is no draft: /api/scenarios/{id} refuses the id.
	if rec := send(t, h, "GET", "/api/scenarios/evaluate", "", "", ""); rec.Code != 400 {
		t.Errorf("GET /api/scenarios/evaluate: %d %s; want 400", rec.Code, rec.Body)
	}
	// Without an evaluator: 503.
	h2 := web.New(web.Options{Tiles: s, Scenarios: s})
	if rec := send(t, h2, "POST", "/api/scenarios/evaluate", "", "application/json", `{"projects": [`+school+`]}`); rec.Code != 503 {
		t.Errorf("no evaluator: %d %s; want 503", rec.Code, rec.Body)
	}
}

func mustJSON(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%v: %.500s", err, b)
	}
}

// A draft paving an OpenStreetMap way is placed as a stored one is (the
// way's road rows found): paving v1's track (SYNTHETIC, here way 42) keeps
// its school 11.13 km away and brings it nearer in time.
func TestDraftPavesAWay(t *testing.T) {
	s, exec := evalWorld(t)
	exec(`UPDATE road SET source_id = 'way/42' WHERE source_id = 'synthetic/1'`)
	if _, err := compute.Run(context.Background(), s, compute.DefaultOptions()); err != nil {
		t.Fatal(err)
	}
	h := web.New(web.Options{Tiles: s, Scenarios: s, ScenarioEval: compute.NewBaselines(s)})
	rec := send(t, h, "POST", "/api/scenarios/evaluate", "", "application/json", `{"projects": [{"kind": "pave_road", "osm_ways": [42]}]}`)
	if rec.Code != http.StatusOK {
		t.Fatalf("POST draft: %d %s", rec.Code, rec.Body)
	}
	var got struct {
		Settlements []struct {
			Name          string
			Before, After struct {
				SchoolKm  *float64          `json:"school_km"`
				SchoolMin *float64          `json:"school_min"`
				Methods   map[string]string `json:"methods"`
			}
		}
	}
	mustJSON(t, rec.Body.Bytes(), &got)
	if len(got.Settlements) == 0 {
		t.Fatalf("paving the track changes nothing: %s", rec.Body)
	}
	c := got.Settlements[0]
	if c.Name != "Synthetic v1" || deref(c.After.SchoolKm) != deref(c.Before.SchoolKm) || !(deref(c.After.SchoolMin) < deref(c.Before.SchoolMin)) || c.After.Methods["school_min"] != "network" {
		t.Errorf("v1 after paving its track: %+v; want the same km, fewer minutes, over the network", c)
	}
	if rec := send(t, h, "POST", "/api/scenarios/evaluate", "", "application/json", `{"projects": [{"kind": "pave_road", "osm_ways": [43]}]}`); rec.Code != 400 || !strings.Contains(errorOf(t, rec), "projects[0].osm_ways: no road from OSM way/43") {
		t.Errorf("an unknown way: %d %s", rec.Code, rec.Body)
	}
}

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
	"github.com/aimaq/aimaq/web"
)

// cmd/aimaq wires compute.Baselines in as the ScenarioEvaluator, which the
// server also asks for siting.
var _ web.Siter = (*compute.Baselines)(nil)

// sitingWorld is evalWorld (SYNTHETIC: v1, 1,000 people at 60.5°E 44.5°N on
// an unpaved track north to 44.7°N, with a school 0.1° up it; v2, 2,000 people
// at 61.5°E, 55 km from any road) with an ambulatory at the track's north end
// (44.7°N) and a paved road along 60.53°E, joined to nothing: v1 is 2.38 km
// from it, v2 76.9 km.
//
// Hand-worked figures. Schools: v1's is 11.1 km away by the track, v2's 80
// km in a straight line: both fail 3 km. Health: v1 (1,000) needs a FAP
// within 2 km, v2 (2,000) an ambulatory within 2 km; the ambulatory is 22 and
// 80 km away: both fail. Paved access (both over 500 people): both fail 1 km.
func sitingWorld(t *testing.T) (http.Handler, string, func(sql string, args ...any)) {
	s, exec := evalWorld(t)
	exec(`INSERT INTO facility (kind, name, source, source_id, geom) VALUES ('clinic', 'Synthetic ambulatory', 'synthetic', 'c1', ST_SetSRID(ST_MakePoint(60.5, 44.7), 4326))`)
	exec(`INSERT INTO road (class, paved, oneway, source_id, geom) VALUES ('tertiary', true, false, 'synthetic/2', ST_SetSRID(ST_MakeLine(ST_MakePoint(60.53, 44.4), ST_MakePoint(60.53, 44.7)), 4326))`)
	ctx := context.Background()
	if _, err := compute.Run(ctx, s, compute.DefaultOptions()); err != nil {
		t.Fatal(err)
	}
	token, err := s.CreateToken(ctx, "akimat")
	if err != nil {
		t.Fatal(err)
	}
	return web.New(web.Options{Tiles: s, Scenarios: s, ScenarioEval: compute.NewBaselines(s), Indicators: s}), token, exec
}

type sitingJSON struct {
	RunID int64 `json:"run_id"`
	Area  struct {
		Level, Code, Name string
	}
	Facility, Method string
	Standard         struct {
		Metric string
		Limit  float64
	}
	Population    float64
	CoveredBefore float64 `json:"covered_before"`
	CoveredAfter  float64 `json:"covered_after"`
	Guarantee     string
	Sites         []struct {
		Rank          int
		SettlementID  int64 `json:"settlement_id"`
		Name          string
		Lon, Lat      float64
		NewlyCovered  float64 `json:"newly_covered"`
		CostKZT       float64 `json:"cost_kzt"`
		OffNetwork    bool    `json:"off_network"`
		StraightPairs int     `json:"straight_pairs"`
	}
	Notes []struct {
		Code, Text string
	}
	Synthetic bool
}

// kmAlongParallel is the great-circle distance of deg degrees of longitude
// at 44.5°N, near enough (to 1e-4) for the paved-road distances here.
func kmAlongParallel(deg float64) float64 {
	return 6378.137 * math.Pi / 180 * deg * math.Cos(44.5*math.Pi/180)
}

func TestSitingAPI(t *testing.T) {
	h, token, _ := sitingWorld(t)

	// A school for D1: v1 is its only failing settlement and its own
	// candidate (no school within 3 km); a school there (on the track, 0 m)
	// covers its 1,000 people: 300 places × 8.3 mln = 2.49 bn (row
	// school_place_rural).
	var got sitingJSON
	getJSON(t, h, "/api/siting?level=district&code=111000000&facility=school&k=3&lang=ru", http.StatusOK, &got)
	if got.Area.Code != "111000000" || got.Area.Level != "district" || got.Facility != "school" || got.Method != "cover" ||
		got.Standard.Metric != "km" || got.Standard.Limit != 3 || got.Population != 1000 || got.CoveredBefore != 0 || got.CoveredAfter != 1000 || !got.Synthetic {
		t.Errorf("answer %+v; want D1, school, cover, 3 km, 1000 people none covered before, all after, synthetic", got)
	}
	if len(got.Sites) != 1 {
		t.Fatalf("sites %+v; want one, at v1", got.Sites)
	}
	if st := got.Sites[0]; st.Rank != 1 || st.Name != "Synthetic v1" || st.Lon != 60.5 || st.Lat != 44.5 || st.NewlyCovered != 1000 || st.CostKZT != 2.49e9 || st.OffNetwork {
		t.Errorf("site %+v; want rank 1 at Synthetic v1 (60.5, 44.5), 1000 newly covered, 2.49e9 tenge, on the network", st)
	}
	if !strings.Contains(got.Guarantee, "0,632") {
		t.Errorf("guarantee %q: want the Russian wording of 1 − 1/e ≈ 0,632", got.Guarantee)
	}
	var codes []string
	for _, n := range got.Notes {
		codes = append(codes, n.Code)
	}
	if !strings.Contains(strings.Join(codes, " "), "siting.candidates") {
		t.Errorf("notes %v; want siting.candidates", codes)
	}

	// An ambulatory for the whole country within 0.3 bn: one fits (300 mln,
	// row ambulatory); v2 (2,000) first, by population. v1 needs only a FAP,
	// which an ambulatory satisfies, but one at v2 does not reach it.
	getJSON(t, h, "/api/siting?level=country&facility=clinic&budget=300000000", http.StatusOK, &got)
	if len(got.Sites) != 1 || got.Sites[0].Name != "Synthetic v2" || got.Sites[0].CostKZT != 300e6 || !got.Sites[0].OffNetwork ||
		got.Population != 3000 || got.CoveredAfter != 2000 || got.Standard.Limit != 2 {
		t.Errorf("clinic within 0.3 bn: %+v; want v2 (off the network), 300 mln, 2000 of 3000 covered, limit 2 km", got)
	}

	// CSV: the sites.
	rec := send(t, h, "GET", "/api/siting?level=district&code=111000000&facility=school&k=1&format=csv", "", "", "")
	rows, err := csv.NewReader(rec.Body).ReadAll()
	if err != nil || rec.Code != 200 || len(rows) != 2 || rows[0][0] != "rank" || rows[1][2] != "Synthetic v1" || rows[1][6] != "2490000000" {
		t.Errorf("CSV: %d %v %v; want a header and v1's row at 2490000000 tenge", rec.Code, rows, err)
	}

	// Bad parameters: 400 naming the parameter.
	for q, want := range map[string]string{
		"level=district&code=111000000&facility=school&k=0":                     "k=",
		"level=district&code=111000000&facility=school&k=101":                   "k=",
		"level=district&code=111000000&facility=school&k=1&budget=5":            "k and budget",
		"level=district&code=111000000&facility=school":                         "k or budget",
		"level=district&code=999000000&facility=school&k=1":                     `code="999000000"`,
		"level=district&facility=school&k=1":                                    "code is required",
		"level=district&code=111000000&facility=hospital&k=1":                   `facility="hospital"`,
		"level=district&code=111000000&facility=school&k=1&method=x":            `method="x"`,
		"level=district&code=111000000&facility=school&method=pmedian&budget=9": "budget",
		"level=town&code=111000000&facility=school&k=1":                         "level",
		"level=district&code=111000000&facility=school&k=1&unit_cost=x:1":       "unknown key",
		"level=district&code=111000000&facility=school&k=1&format=xml":          "format",
	} {
		rec := send(t, h, "GET", "/api/siting?"+q, "", "", "")
		if rec.Code != 400 || !strings.Contains(errorOf(t, rec), want) {
			t.Errorf("%s: %d %s; want 400 naming %q", q, rec.Code, rec.Body, want)
		}
	}

	// An override is used: a rural school place at 1 mln makes the school
	// 300 mln.
	getJSON(t, h, "/api/siting?level=district&code=111000000&facility=school&k=1&unit_cost=school_place_rural:1000000", http.StatusOK, &got)
	if got.Sites[0].CostKZT != 300e6 {
		t.Errorf("override: site cost %v; want 300 places × 1 mln = 3e8", got.Sites[0].CostKZT)
	}

	// Saved as a scenario: needs a token; the projects are the sites.
	body := `{"name": "Schools for D1 (SYNTHETIC)", "level": "district", "code": "111000000", "facility": "school", "k": 2}`
	if rec := send(t, h, "POST", "/api/siting/scenario", "", "application/json", body); rec.Code != 401 {
		t.Errorf("without a token: %d; want 401", rec.Code)
	}
	rec = send(t, h, "POST", "/api/siting/scenario?lang=ru", token, "application/json", body)
	var saved struct {
		ID       int64
		Projects int
		RunID    int64 `json:"run_id"`
		Source   string
	}
	if rec.Code != 201 || json.Unmarshal(rec.Body.Bytes(), &saved) != nil || saved.Projects != 1 || saved.Source != "aimaq siting, cover, run "+itoa(got.RunID) {
		t.Fatalf("save: %d %s; want 201 with 1 project from run %d", rec.Code, rec.Body, got.RunID)
	}
	var projects struct {
		Features []struct {
			Properties map[string]any
		}
	}
	getJSON(t, h, "/api/scenarios/"+itoa(saved.ID)+"/projects?format=geojson", http.StatusOK, &projects)
	if len(projects.Features) != 1 || projects.Features[0].Properties["facility_kind"] != "school" || projects.Features[0].Properties["cost_kzt"] != 2.49e9 {
		t.Errorf("saved projects %+v; want the school at v1, 2.49e9", projects.Features)
	} else if name, _ := projects.Features[0].Properties["name"].(string); !strings.HasPrefix(name, "предложено: школа — ") {
		t.Errorf("saved with lang=ru, the project is named %q; want it in Russian", name)
	}
	// A refused body changes nothing.
	if rec := send(t, h, "POST", "/api/siting/scenario", token, "application/json", `{"name": "x", "level": "district", "code": "111000000", "facility": "school"}`); rec.Code != 400 {
		t.Errorf("no k nor budget: %d; want 400", rec.Code)
	}
}

type costJSON struct {
	RunID int64 `json:"run_id"`
	Area  *struct {
		Level, Code, Name string
	}
	Level     string  `json:"level"`
	BudgetKZT float64 `json:"budget_kzt"`
	CostKZT   float64 `json:"cost_kzt"`
	BroughtUp float64 `json:"brought_up"`
	Projects  int
	Areas     []struct {
		Code, Name string
		CostKZT    float64 `json:"cost_kzt"`
		BroughtUp  float64 `json:"brought_up"`
		Standards  map[string]struct {
			CostKZT      float64 `json:"cost_kzt"`
			Projects     int
			StraightLine int `json:"straight_line_projects"`
			Failing      float64
			BroughtUp    float64            `json:"brought_up"`
			LeftOut      map[string]float64 `json:"left_out"`
		}
	}
	LeftOut []struct {
		Standard, Reason, Text string
		Population             float64
	} `json:"left_out"`
	UnitCosts []struct {
		Key     string
		CostKZT int64 `json:"cost_kzt"`
		Kind    string
	} `json:"unit_costs"`
}

func TestSRSCostAPI(t *testing.T) {
	h, token, _ := sitingWorld(t)
	var got costJSON
	getJSON(t, h, "/api/srs/cost?level=district", http.StatusOK, &got)
	// Per district, hand-worked: D1 (v1) a school 2.49 bn, a FAP 190 mln
	// (row fap), 2.38 km of its track paved at 400 mln (row
	// road_km_pave_gravel, an assumption); D2 (v2) a school 2.49 bn, an
	// ambulatory 300 mln, 76.9 km of new road at 500 mln (v2 is off the
	// network; row road_km_asphalt_new). D3 has no settlement.
	road1, road2 := kmAlongParallel(0.03)*400e6, kmAlongParallel(0.97)*500e6
	want := map[string][3]float64{"111000000": {2.49e9, 190e6, road1}, "112000000": {2.49e9, 300e6, road2}, "113000000": {}}
	if len(got.Areas) != 3 {
		t.Fatalf("areas %+v; want D1, D2, D3", got.Areas)
	}
	for _, a := range got.Areas {
		w := want[a.Code]
		for k, std := range []string{"school", "health", "road"} {
			if g := a.Standards[std].CostKZT; math.Abs(g-w[k]) > 1e-3*math.Max(1, w[k]) {
				t.Errorf("%s %s: %v tenge; want %v", a.Code, std, g, w[k])
			}
		}
	}
	// v2 is off the network: its school and ambulatory reach by the
	// straight-line rule, and say so.
	for _, a := range got.Areas {
		if n := a.Standards["health"].StraightLine + a.Standards["school"].StraightLine; n != map[string]int{"112000000": 2}[a.Code] {
			t.Errorf("%s: %d straight-line projects; want 2 in D2 (v2 is off the network), none elsewhere", a.Code, n)
		}
	}
	total := 2*2.49e9 + 490e6 + road1 + road2
	if math.Abs(got.CostKZT-total) > 1e-3*total || got.BroughtUp != 9000 || got.Projects != 6 {
		t.Errorf("total %v tenge, %v brought up, %d projects; want %v, 9000 (3000 × 3 standards), 6", got.CostKZT, got.BroughtUp, got.Projects, total)
	}
	if len(got.UnitCosts) != 12 {
		t.Errorf("%d unit-cost rows; want the table's 12", len(got.UnitCosts))
	}

	// Budget 1 bn: per tenge the ambulatory at v2 (2,000 for 300 mln), the
	// FAP at v1 (1,000 for 190 mln); v1's road (951 mln) no longer fits.
	getJSON(t, h, "/api/srs/cost?level=country&budget=1000000000", http.StatusOK, &got)
	if got.BudgetKZT != 1e9 || got.BroughtUp != 3000 || got.CostKZT != 490e6 || len(got.Areas) != 1 {
		t.Errorf("budget plan: %v budget, %v people for %v tenge, %d areas; want 1e9, 3000 for 4.9e8, the country", got.BudgetKZT, got.BroughtUp, got.CostKZT, len(got.Areas))
	}

	// A plan for D1 alone: its budget of 0.5 bn buys the FAP at v1 (1,000
	// for 190 mln); D2's ambulatory is not in D1's plan.
	getJSON(t, h, "/api/srs/cost?level=district&area=district:111000000&budget=500000000", http.StatusOK, &got)
	if got.Area == nil || got.Area.Code != "111000000" || len(got.Areas) != 1 || got.Areas[0].Code != "111000000" || got.BroughtUp != 1000 || got.CostKZT != 190e6 {
		t.Errorf("D1's budget plan: area %+v, rows %+v, %v people for %v tenge; want D1 alone, 1000 for 1.9e8", got.Area, got.Areas, got.BroughtUp, got.CostKZT)
	}

	// CSV: one row per area.
	rec := send(t, h, "GET", "/api/srs/cost?level=district&format=csv", "", "", "")
	rows, err := csv.NewReader(rec.Body).ReadAll()
	if err != nil || rec.Code != 200 || len(rows) != 4 || rows[0][3] != "school_cost_kzt" || rows[1][1] != "111000000" {
		t.Errorf("CSV: %d %v %v", rec.Code, rows, err)
	}
	for q, want := range map[string]string{"level=x": "level", "budget=-1": "budget", "unit_cost=fap:0": "unit_cost",
		"area=district": "area=", "area=town:1": "area=", "area=district:999": `code="999"`} {
		if rec := send(t, h, "GET", "/api/srs/cost?"+q, "", "", ""); rec.Code != 400 || !strings.Contains(errorOf(t, rec), want) {
			t.Errorf("%s: %d %s; want 400 naming %s", q, rec.Code, rec.Body, want)
		}
	}

	// D1's part of the plan saved as a scenario: a school, a FAP, and the
	// paved access drawn as a road to the paved road.
	body := `{"name": "SRS plan for D1 (SYNTHETIC)", "level": "district", "code": "111000000"}`
	if rec := send(t, h, "POST", "/api/srs/cost/scenario", "", "application/json", body); rec.Code != 401 {
		t.Errorf("without a token: %d; want 401", rec.Code)
	}
	rec = send(t, h, "POST", "/api/srs/cost/scenario?lang=kk", token, "application/json", body)
	var saved struct {
		ID       int64
		Projects int
	}
	if rec.Code != 201 || json.Unmarshal(rec.Body.Bytes(), &saved) != nil || saved.Projects != 3 {
		t.Fatalf("save: %d %s; want 201 with 3 projects", rec.Code, rec.Body)
	}
	var plan struct {
		Features []struct {
			Properties map[string]any
		}
	}
	getJSON(t, h, "/api/scenarios/"+itoa(saved.ID)+"/projects?format=geojson", http.StatusOK, &plan)
	var names []string
	for _, f := range plan.Features {
		n, _ := f.Properties["name"].(string)
		names = append(names, n)
	}
	if joined := strings.Join(names, " | "); !strings.Contains(joined, "мектеп — ") || !strings.Contains(joined, "қатты жабынды кіреберіс жол") {
		t.Errorf("saved with lang=kk, the projects are named %q; want them in Kazakh", joined)
	}
	var ev struct {
		CostKZT     float64 `json:"cost_kzt"`
		NewlyServed float64 `json:"newly_served"`
	}
	getJSON(t, h, "/api/scenarios/"+itoa(saved.ID)+"/evaluation", http.StatusOK, &ev)
	if math.Abs(ev.CostKZT-(2.49e9+190e6+road1)) > 1e-3*ev.CostKZT || ev.NewlyServed != 1000 {
		t.Errorf("the saved plan evaluated: %v tenge, %v newly served; want D1's cost and v1's 1000 people", ev.CostKZT, ev.NewlyServed)
	}
}

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/aimaq/aimaq/geo/access"
	"github.com/jackc/pgx/v5"
)

// TestE2EScenarioAndorra evaluates a scenario on the real Andorra extract
// through the real binary: a token made with `aimaq token create`, a
// scenario and a project written through the HTTP API with it, and the
// evaluation read back without one. The project opens a school at the
// populated place farthest from any school: that place's school distance
// becomes about 0 and its population is newly within the 3 km standard;
// cost per person is the cost over the people newly served.
func TestE2EScenarioAndorra(t *testing.T) {
	w := loadAndorra(t)
	bin, dbURL, aimaq := w.bin, w.dbURL, w.output
	token := strings.TrimSpace(aimaq("token", "create", "--name", "e2e-planner"))
	if token == "" {
		t.Fatal("aimaq token create printed no token")
	}
	base := serveDatabase(t, bin, dbURL)

	// The populated place farthest from a school in the run.
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var village struct {
		id       int64
		name     string
		pop      int
		lon, lat float64
		schoolKm float64
		runID    int64
		offRoad  float64 // metres to the nearest road, on the sphere
	}
	err = conn.QueryRow(ctx, `
		SELECT s.id, coalesce(s.name, ''), s.population, ST_X(s.geom), ST_Y(s.geom), a.school_km, a.run_id
		  FROM settlement s JOIN settlement_access a ON a.settlement_id = s.id
		 WHERE a.run_id = (SELECT max(id) FROM compute_run WHERE status = 'done') AND s.population >= $1 AND a.school_km IS NOT NULL
		 ORDER BY a.school_km DESC LIMIT 1`, access.SchoolMinPop).
		Scan(&village.id, &village.name, &village.pop, &village.lon, &village.lat, &village.schoolKm, &village.runID)
	if err != nil {
		t.Fatal(err)
	}
	if village.schoolKm <= 3 {
		t.Fatalf("the farthest place from a school, %s, is %.2f km away: want one beyond 3 km for this test", village.name, village.schoolKm)
	}
	if err := conn.QueryRow(ctx, `SELECT min(ST_Distance(s.geom::geography, r.geom::geography, false)) FROM settlement s, road r WHERE s.id = $1`, village.id).Scan(&village.offRoad); err != nil {
		t.Fatal(err)
	}
	t.Logf("village %s (%d): %d people, school %.3f km, %.1f m from the nearest road", village.name, village.id, village.pop, village.schoolKm, village.offRoad)

	send := func(method, path, body string, want int) []byte {
		t.Helper()
		return sendWithToken(t, base, token, method, path, body, want)
	}
	var sc struct{ ID int64 }
	if err := json.Unmarshal(send("POST", "/api/scenarios", `{"name": "A school for `+village.name+`", "description": "e2e"}`, 201), &sc); err != nil {
		t.Fatal(err)
	}
	const cost = 900e6
	send("POST", fmt.Sprintf("/api/scenarios/%d/projects", sc.ID),
		fmt.Sprintf(`{"projects": [{"kind": "open_facility", "facility_kind": "school", "name": "New school", "lon": %v, "lat": %v, "cost_kzt": %v, "programme": "e2e"}]}`,
			village.lon, village.lat, cost), 201)

	var ev struct {
		RunID         int64    `json:"run_id"`
		CostKZT       float64  `json:"cost_kzt"`
		NewlyServed   float64  `json:"newly_served"`
		CostPerPerson *float64 `json:"cost_per_person_kzt"`
		Settlements   []struct {
			ID     int64
			Name   string
			Before struct {
				SchoolKm *float64 `json:"school_km"`
				SRS      struct {
					School *bool `json:"school_ok"`
				} `json:"srs"`
			}
			After struct {
				SchoolKm *float64 `json:"school_km"`
				SRS      struct {
					School *bool `json:"school_ok"`
				} `json:"srs"`
			}
		}
		Standards []struct {
			Standard string
			Newly    float64 `json:"newly_meeting"`
		}
		TimingMs float64 `json:"timing_ms"`
	}
	getJSON(t, fmt.Sprintf("%s/api/scenarios/%d/evaluation", base, sc.ID), &ev)
	t.Logf("evaluation: run %d, %d settlements changed, newly served %v, %.1f ms", ev.RunID, len(ev.Settlements), ev.NewlyServed, ev.TimingMs)
	if ev.RunID != village.runID || ev.CostKZT != cost {
		t.Errorf("run %d cost %v; want run %d, %v", ev.RunID, ev.CostKZT, village.runID, cost)
	}
	found := false
	for _, c := range ev.Settlements {
		if c.ID != village.id {
			continue
		}
		found = true
		if c.Before.SchoolKm == nil || math.Abs(*c.Before.SchoolKm-village.schoolKm) > 1e-9 {
			t.Errorf("%s before: %v km; want the run's %v", village.name, c.Before.SchoolKm, village.schoolKm)
		}
		// The school stands in the village: both join the network at the
		// same point of the nearest road, so the way between them is that
		// connector twice.
		if c.After.SchoolKm == nil || math.Abs(*c.After.SchoolKm*1000-2*village.offRoad) > 1 {
			t.Errorf("%s after: %v km; want twice its %.1f m to the nearest road", village.name, show(c.After.SchoolKm), village.offRoad)
		}
		if c.Before.SRS.School == nil || *c.Before.SRS.School || c.After.SRS.School == nil || !*c.After.SRS.School {
			t.Errorf("%s school standard %v → %v; want false → true", village.name, c.Before.SRS.School, c.After.SRS.School)
		}
	}
	if !found {
		t.Fatalf("%s (%d) is not among the changed settlements: %+v", village.name, village.id, ev.Settlements)
	}
	for _, s := range ev.Standards {
		if s.Standard == "school" && s.Newly < float64(village.pop) {
			t.Errorf("school standard newly met by %v people; want at least %s's %d", s.Newly, village.name, village.pop)
		}
	}
	if ev.NewlyServed < float64(village.pop) || ev.CostPerPerson == nil || math.Abs(*ev.CostPerPerson-cost/ev.NewlyServed) > 1e-6 {
		t.Errorf("newly served %v at %v per person; want at least %d at %v / newly served", ev.NewlyServed, show(ev.CostPerPerson), village.pop, cost)
	}

	// The changed settlements as a layer, and the same scenario compared
	// with itself.
	resp, body := get(t, fmt.Sprintf("%s/api/scenarios/%d/evaluation?format=geojson", base, sc.ID))
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"school_km_after"`) {
		t.Errorf("GeoJSON: %d %.300s", resp.StatusCode, body)
	}
	var cmp struct {
		A, B struct {
			NewlyServed float64 `json:"newly_served"`
		}
	}
	getJSON(t, fmt.Sprintf("%s/api/scenarios/compare?a=%d&b=%d", base, sc.ID, sc.ID), &cmp)
	if cmp.A.NewlyServed != ev.NewlyServed || cmp.B.NewlyServed != ev.NewlyServed {
		t.Errorf("compare %+v; want both sides %v", cmp, ev.NewlyServed)
	}
}

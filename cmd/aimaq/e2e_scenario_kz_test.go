package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/indicator"
	"github.com/jackc/pgx/v5"
)

// TestE2EScenarioRealData evaluates a scenario on the real data set of
// Kazakhstan (../shared/data/kz) through the real binary: `aimaq run`
// imports and computes it, a token made with `aimaq token create` writes a
// scenario with a SYNTHETIC school through the HTTP API, and the evaluation
// is read back without one. The data set has settlements but no schools and
// no roads, so every school distance of the run is undefined and the new
// school is reached in a straight line: worked out by hand here with
// PostGIS's own geodesic distance, each settlement within the 3 km standard
// now meets it, and the population newly meeting the school standard is
// theirs (places of at least 50 people).
func TestE2EScenarioRealData(t *testing.T) {
	bin, dbURL, base := serveRealData(t)
	tok := exec.Command(bin, "token", "create", "--name", "e2e-kz")
	tok.Env = append(os.Environ(), "AIMAQ_DATABASE_URL="+dbURL)
	out, err := tok.Output()
	if err != nil {
		t.Fatalf("aimaq token create: %v", err)
	}
	token := strings.TrimSpace(string(out))

	// The settlement with the most neighbours of 50 people or more within
	// 3 km, and those neighbours with their geodesic distance to it.
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var site struct {
		id       int64
		name     string
		lon, lat float64
		run      int64
	}
	err = conn.QueryRow(ctx, `
		SELECT s.id, coalesce(s.name, ''), ST_X(s.geom), ST_Y(s.geom), (SELECT max(id) FROM compute_run WHERE status = 'done')
		  FROM settlement s
		 WHERE s.population >= $1
		 ORDER BY (SELECT count(*) FROM settlement n
		            WHERE n.id <> s.id AND n.population >= $1
		              AND ST_DWithin(n.geom::geography, s.geom::geography, $2 * 1000)) DESC, s.id
		 LIMIT 1`, access.SchoolMinPop, indicator.SchoolMaxKm).Scan(&site.id, &site.name, &site.lon, &site.lat, &site.run)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := conn.Query(ctx, `
		SELECT n.id, n.population, ST_Distance(n.geom::geography, s.geom::geography) / 1000
		  FROM settlement s, settlement n
		 WHERE s.id = $1 AND n.population >= $2
		   AND ST_DWithin(n.geom::geography, s.geom::geography, $3 * 1000)`, site.id, access.SchoolMinPop, indicator.SchoolMaxKm)
	if err != nil {
		t.Fatal(err)
	}
	near := map[int64]float64{} // id → km
	var nearPop float64
	for rows.Next() {
		var id int64
		var pop int
		var km float64
		if err := rows.Scan(&id, &pop, &km); err != nil {
			t.Fatal(err)
		}
		near[id], nearPop = km, nearPop+float64(pop)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(near) < 2 {
		t.Fatalf("%s (%d) has %d places within 3 km: want at least two", site.name, site.id, len(near))
	}
	t.Logf("site %s (%d): %d places of %v people within %v km", site.name, site.id, len(near), nearPop, indicator.SchoolMaxKm)

	send := func(path, body string, want int) []byte {
		t.Helper()
		return sendWithToken(t, base, token, http.MethodPost, path, body, want)
	}
	var sc struct{ ID int64 }
	if err := json.Unmarshal(send("/api/scenarios", `{"name": "SYNTHETIC school (e2e)", "description": "a test project on real data"}`, 201), &sc); err != nil {
		t.Fatal(err)
	}
	const cost = 1.2e9
	send(fmt.Sprintf("/api/scenarios/%d/projects", sc.ID), fmt.Sprintf(
		`{"projects": [{"kind": "open_facility", "facility_kind": "school", "name": "SYNTHETIC school", "lon": %v, "lat": %v, "cost_kzt": %v, "source": "e2e test"}]}`,
		site.lon, site.lat, cost), 201)

	var ev struct {
		RunID       int64   `json:"run_id"`
		CostKZT     float64 `json:"cost_kzt"`
		NewlyServed float64 `json:"newly_served"`
		Settlements []struct {
			ID            int64
			Before, After struct {
				SchoolKm *float64          `json:"school_km"`
				Methods  map[string]string `json:"methods"`
				SRS      struct {
					School *bool `json:"school_ok"`
				} `json:"srs"`
			}
		}
		Standards []struct {
			Standard string
			Newly    float64 `json:"newly_meeting"`
		}
	}
	getJSON(t, fmt.Sprintf("%s/api/scenarios/%d/evaluation", base, sc.ID), &ev)
	t.Logf("evaluation: run %d, %d settlements changed, newly served %v", ev.RunID, len(ev.Settlements), ev.NewlyServed)
	if ev.RunID != site.run || ev.CostKZT != cost {
		t.Errorf("run %d, cost %v; want run %d, %v", ev.RunID, ev.CostKZT, site.run, cost)
	}
	seen := 0
	for _, c := range ev.Settlements {
		km, ok := near[c.ID]
		if !ok {
			continue
		}
		seen++
		if c.Before.SchoolKm != nil {
			t.Errorf("settlement %d before: %v km; the data set has no schools", c.ID, *c.Before.SchoolKm)
		}
		// Straight-line: the geodesic distance, nothing multiplied into it
		// (the engine's sphere and PostGIS's spheroid differ by under 0.5 %).
		if c.After.SchoolKm == nil || math.Abs(*c.After.SchoolKm-km) > 0.005*km+1e-6 {
			t.Errorf("settlement %d after: %v km; want %.4f km by PostGIS", c.ID, show(c.After.SchoolKm), km)
		}
		if m := c.After.Methods["school_km"]; m != "straight-line" {
			t.Errorf("settlement %d: school_km made by %q; want straight-line", c.ID, m)
		}
		if c.After.SRS.School == nil || !*c.After.SRS.School {
			t.Errorf("settlement %d, %.3f km from the school: school standard %v; want met", c.ID, km, c.After.SRS.School)
		}
	}
	if seen != len(near) {
		t.Errorf("%d of the %d places within 3 km are among the changed settlements", seen, len(near))
	}
	for _, s := range ev.Standards {
		if s.Standard == "school" && math.Abs(s.Newly-nearPop) > 1e-9 {
			t.Errorf("school standard newly met by %v people; want the %v within 3 km", s.Newly, nearPop)
		}
	}
}

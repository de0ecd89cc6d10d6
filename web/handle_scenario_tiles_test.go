package web_test

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aimaq/aimaq/data/compute"
	"github.com/aimaq/aimaq/data/postgis"
	"github.com/aimaq/aimaq/data/postgis/postgistest"
	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/scenario"
	"github.com/aimaq/aimaq/web"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
)

// countingEvaluator counts the evaluations it passes on.
type countingEvaluator struct {
	web.ScenarioEvaluator
	n atomic.Int32
}

func (c *countingEvaluator) EvaluateScenario(ctx context.Context, ps []scenario.Project) (*scenario.Result, access.Run, map[int64]access.SettlementReport, error) {
	c.n.Add(1)
	return c.ScenarioEvaluator.EvaluateScenario(ctx, ps)
}

// scenarioTile GETs a scenario tile and decodes it (nil for 204).
func scenarioTile(t *testing.T, h http.Handler, id int64, layer string, tile maptile.Tile) mvt.Layers {
	t.Helper()
	target := fmt.Sprintf("/api/scenarios/%d/tiles/%s/%d/%d/%d.mvt", id, layer, tile.Z, tile.X, tile.Y)
	rec := send(t, h, "GET", target, "", "", "")
	switch {
	case rec.Code == http.StatusNoContent:
		return nil
	case rec.Code != http.StatusOK:
		t.Fatalf("GET %s: %d %s", target, rec.Code, rec.Body)
	}
	if cc := rec.Header().Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("GET %s: Cache-Control %q; want no-cache (a scenario changes at a click)", target, cc)
	}
	ls, err := mvt.Unmarshal(rec.Body.Bytes())
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	return ls
}

// featureOf returns the feature of id in layer name of ls.
func featureOf(t *testing.T, ls mvt.Layers, name string, id int64) map[string]any {
	t.Helper()
	for _, l := range ls {
		if l.Name != name {
			continue
		}
		for _, f := range l.Features {
			if fid, ok := f.ID.(float64); ok && int64(fid) == id {
				return f.Properties
			}
			if fid, ok := f.ID.(uint64); ok && int64(fid) == id {
				return f.Properties
			}
		}
	}
	t.Fatalf("no feature %d in layer %s of %+v", id, name, ls)
	return nil
}

// The school of TestScenarioEvaluation (SYNTHETIC) as tile layers: the
// settlements tile over v1 carries its school_km before, after and the
// change (-0.09° of a meridian, 10.0188 km) with how each was made; the
// districts tile carries D1's school_km_mean change, the same 10.0188 km (v1
// is D1's only settlement). The tiles of one scenario state evaluate it
// once; a new project evaluates it again and the tiles show it.
func TestScenarioTiles(t *testing.T) {
	s, _ := evalWorld(t)
	ctx := context.Background()
	if _, err := compute.Run(ctx, s, compute.DefaultOptions()); err != nil {
		t.Fatal(err)
	}
	ev := &countingEvaluator{ScenarioEvaluator: compute.NewBaselines(s)}
	h := web.New(web.Options{Tiles: s, Scenarios: s, ScenarioEval: ev})
	w := scenario.Write{Token: "test", Method: "TEST", Path: "/", Local: true}
	m, err := s.CreateScenario(ctx, w, "School at v1 (SYNTHETIC)", "")
	if err != nil {
		t.Fatal(err)
	}
	lon, lat := 60.5, 44.51
	if _, err := s.AddProjects(ctx, w, m.ID, []scenario.Draft{{Kind: "open_facility", FacilityKind: "school", Lon: &lon, Lat: &lat}}, postgis.JSONPlacer); err != nil {
		t.Fatal(err)
	}
	var v1, v2, d1 int64
	if err := postgistest.Pool(s).QueryRow(ctx, `SELECT (SELECT id FROM settlement WHERE source_id = 'v1'), (SELECT id FROM settlement WHERE source_id = 'v2'),
		(SELECT id FROM area WHERE code = '111000000')`).Scan(&v1, &v2, &d1); err != nil {
		t.Fatal(err)
	}
	metre := 6378137 * math.Pi / 180
	near := func(v any, want float64) bool { f, ok := v.(float64); return ok && math.Abs(f-want) <= 1e-4 }

	at := maptile.At(orb.Point{60.5, 44.5}, 9)
	p := featureOf(t, scenarioTile(t, h, m.ID, "settlements", at), "settlements", v1)
	if !near(p["school_km_before"], 0.1*metre/1000) || !near(p["school_km_after"], 0.01*metre/1000) || !near(p["school_km_delta"], -0.09*metre/1000) ||
		p["school_km_method_before"] != "network" || p["school_km_method_after"] != "network" || p["name"] != "Synthetic v1" ||
		p["srs_school_ok_before"] != false || p["srs_school_ok_after"] != true || p["newly_meeting"] != true {
		t.Errorf("v1 in the settlements tile: %v", p)
	}
	p = featureOf(t, scenarioTile(t, h, m.ID, "settlements", maptile.At(orb.Point{61.5, 44.5}, 9)), "settlements", v2)
	if p["school_km_method_after"] != "straight-line" || p["school_min_method_after"] != "estimated" {
		t.Errorf("v2 (off the network) in the settlements tile: %v", p)
	}
	p = featureOf(t, scenarioTile(t, h, m.ID, "districts", maptile.At(orb.Point{60.5, 44.5}, 6)), "districts", d1)
	if !near(p["school_km_mean_delta"], -0.09*metre/1000) || !near(p["school_km_mean_after"], 0.01*metre/1000) || p["code"] != "111000000" || p["name_en"] != "Synthetic D1" {
		t.Errorf("D1 in the districts tile: %v", p)
	}
	// Far from every change: no feature.
	if ls := scenarioTile(t, h, m.ID, "settlements", maptile.At(orb.Point{62.5, 44.9}, 9)); ls != nil {
		t.Errorf("a tile with no changed settlement: %+v; want 204", ls)
	}
	if n := ev.n.Load(); n != 1 {
		t.Errorf("%d evaluations for the tiles of one scenario state; want 1", n)
	}

	// A second school nearer still: one more evaluation, and the tile shows it.
	lat2 := 44.505
	if _, err := s.AddProjects(ctx, w, m.ID, []scenario.Draft{{Kind: "open_facility", FacilityKind: "school", Lon: &lon, Lat: &lat2}}, postgis.JSONPlacer); err != nil {
		t.Fatal(err)
	}
	p = featureOf(t, scenarioTile(t, h, m.ID, "settlements", at), "settlements", v1)
	if !near(p["school_km_after"], 0.005*metre/1000) {
		t.Errorf("v1 after a second school: %v; want school_km_after %.6f", p, 0.005*metre/1000)
	}
	if n := ev.n.Load(); n != 2 {
		t.Errorf("%d evaluations after the scenario changed; want 2", n)
	}

	// TileJSON, and requests refused before any evaluation.
	var tj struct {
		TileJSON     string
		Tiles        []string
		VectorLayers []struct {
			ID     string
			Fields map[string]string
		} `json:"vector_layers"`
	}
	getJSON(t, h, fmt.Sprintf("/api/scenarios/%d/tiles/districts.json", m.ID), http.StatusOK, &tj)
	if tj.TileJSON != "3.0.0" || len(tj.Tiles) != 1 || !strings.HasSuffix(tj.Tiles[0], fmt.Sprintf("/api/scenarios/%d/tiles/districts/{z}/{x}/{y}.mvt", m.ID)) ||
		len(tj.VectorLayers) != 1 || tj.VectorLayers[0].Fields["school_km_mean_delta"] == "" {
		t.Errorf("TileJSON %+v", tj)
	}
	for _, c := range []struct {
		target string
		code   int
		want   string
	}{
		{"/api/scenarios/999999/tiles/districts/6/42/23.mvt", 404, "id=999999"},
		{fmt.Sprintf("/api/scenarios/%d/tiles/roads/6/42/23.mvt", m.ID), 404, `"roads"`},
		{fmt.Sprintf("/api/scenarios/%d/tiles/districts/15/0/0.mvt", m.ID), 404, "z=14"},
		{fmt.Sprintf("/api/scenarios/%d/tiles/districts/6/64/0.mvt", m.ID), 400, "x"},
		{"/api/scenarios/x/tiles/districts/6/42/23.mvt", 400, `id="x"`},
		{"/api/scenarios/999999/tiles/districts.json", 404, "id=999999"},
	} {
		rec := send(t, h, "GET", c.target, "", "", "")
		if rec.Code != c.code || !strings.Contains(errorOf(t, rec), c.want) {
			t.Errorf("GET %s = %d %s; want %d naming %q", c.target, rec.Code, rec.Body, c.code, c.want)
		}
	}
	if n := ev.n.Load(); n != 2 {
		t.Errorf("%d evaluations after refused requests; want still 2", n)
	}
}

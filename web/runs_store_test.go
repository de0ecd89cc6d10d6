package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/aimaq/aimaq/data/compute"
	"github.com/aimaq/aimaq/data/postgis"
	"github.com/aimaq/aimaq/data/postgis/postgistest"
	"github.com/aimaq/aimaq/web"
)

// cmd/aimaq wires the store in as the RunSource.
var _ web.RunSource = (*postgis.Store)(nil)

// runsWorld loads a SYNTHETIC world of one oblast and three districts side
// by side (60–63°E, 44–45°N): D1 with 1,000 people and a school, D2 with
// 2,000 people and none, D3 of unknown population; a settlement in D1 and D2.
func runsWorld(t *testing.T) (*postgis.Store, func(sql string, args ...any)) {
	s := postgistest.New(t)
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := postgistest.Pool(s).Exec(context.Background(), sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	box := func(w, e int) string {
		return "ST_Multi(ST_MakeEnvelope(" + strconv.Itoa(w) + ", 44, " + strconv.Itoa(e) + ", 45, 4326))"
	}
	exec(`INSERT INTO import_run (dataset, source, finished_at) VALUES ('synthetic', 'runs test: first data', now())`)
	exec(`INSERT INTO area (level, code, name_en, area_km2, population, geom, geom_3857) VALUES
		('country', '000000000', 'Synthetic country', 60, 3000, ` + box(60, 63) + `, ST_Transform(` + box(60, 63) + `, 3857))`)
	exec(`INSERT INTO area (level, code, name_en, parent_id, area_km2, population, geom, geom_3857)
		SELECT 'oblast', '110000000', 'Synthetic oblast', id, 60, 3000, ` + box(60, 63) + `, ST_Transform(` + box(60, 63) + `, 3857) FROM area WHERE level = 'country'`)
	for i, pop := range []any{1000, 2000, nil} {
		exec(`INSERT INTO area (level, code, name_en, parent_id, area_km2, population, geom, geom_3857)
			SELECT 'district', $1, $2, id, $3, $4, `+box(60+i, 61+i)+`, ST_Transform(`+box(60+i, 61+i)+`, 3857) FROM area WHERE level = 'oblast'`,
			"11"+strconv.Itoa(i+1)+"000000", "Synthetic D"+strconv.Itoa(i+1), 10*(i+1), pop)
	}
	for i, pop := range []int{1000, 2000} {
		exec(`INSERT INTO settlement (source, source_id, name, place, population, district_id, oblast_id, geom, geom_3857)
			SELECT 'synthetic', $1, 'Synthetic '||$1, 'village', $2, d.id, d.parent_id, ST_SetSRID(ST_MakePoint($3, 44.5), 4326), ST_Transform(ST_SetSRID(ST_MakePoint($3, 44.5), 4326), 3857)
			FROM area d WHERE d.code = $4`, "v"+strconv.Itoa(i+1), pop, 60.5+float64(i), "11"+strconv.Itoa(i+1)+"000000")
	}
	exec(`INSERT INTO facility (kind, name, source, source_id, geom) VALUES ('school', 'Synthetic school 1', 'synthetic', 's1', ST_SetSRID(ST_MakePoint(60.5, 44.6), 4326))`)
	return s, exec
}

func getJSON(t *testing.T, h http.Handler, path string, wantStatus int, v any) string {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	if rec.Code != wantStatus {
		t.Fatalf("GET %s: %d %s; want %d", path, rec.Code, rec.Body, wantStatus)
	}
	if v != nil {
		if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
	}
	return rec.Body.String()
}

// Two compute runs over changed data: a school opens in D2, D1's population
// halves and D3's becomes known. The runs are listed, the map of change holds
// exact differences, and the disparity history has a point per run.
func TestRunsCompareAndHistory(t *testing.T) {
	s, exec := runsWorld(t)
	ctx := context.Background()
	first, err := compute.Run(ctx, s, compute.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	exec(`INSERT INTO import_run (dataset, source, finished_at) VALUES ('synthetic', 'runs test: second data', now())`)
	exec(`INSERT INTO facility (kind, name, source, source_id, geom) VALUES ('school', 'Synthetic school 2', 'synthetic', 's2', ST_SetSRID(ST_MakePoint(61.5, 44.6), 4326))`)
	exec(`UPDATE area SET population = 500 WHERE code = '111000000'`)
	exec(`UPDATE area SET population = 4000 WHERE code = '113000000'`)
	second, err := compute.Run(ctx, s, compute.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	exec(`INSERT INTO compute_run (status, finished_at) VALUES ('failed', now())`)
	h := web.New(web.Options{Tiles: s, Access: s, Runs: s, Indicators: s})

	var runs struct {
		Runs []struct {
			ID           int64  `json:"id"`
			Status       string `json:"status"`
			Generation   int64  `json:"data_generation"`
			ParamsDigest string `json:"params_digest"`
			Settlements  int64  `json:"settlements"`
			Areas        int64  `json:"areas"`
			Stale        bool   `json:"stale"`
			Latest       bool   `json:"latest"`
			Import       *struct {
				Dataset, Source string
			} `json:"import"`
		} `json:"runs"`
	}
	getJSON(t, h, "/api/runs", http.StatusOK, &runs)
	if len(runs.Runs) != 3 {
		t.Fatalf("/api/runs lists %d runs, want 3 (the failed one, %d, %d)", len(runs.Runs), second.RunID, first.RunID)
	}
	failed, r2, r1 := runs.Runs[0], runs.Runs[1], runs.Runs[2]
	if failed.Status != "failed" || failed.Latest || r2.ID != second.RunID || r1.ID != first.RunID {
		t.Errorf("runs %+v; want the failed run, then %d, then %d", runs.Runs, second.RunID, first.RunID)
	}
	// Run 1 saw the first import and is stale; run 2 saw the second.
	if r1.Import == nil || r1.Import.Source != "runs test: first data" || !r1.Stale || r1.Latest || r1.Settlements != 2 || r1.Areas != 4 {
		t.Errorf("first run %+v (import %+v); want the first import, stale, 2 settlements, 4 areas", r1, r1.Import)
	}
	if r2.Import == nil || r2.Import.Source != "runs test: second data" || r2.Stale || !r2.Latest || r2.Settlements != 2 || r2.Areas != 5 || r2.Generation != r1.Generation+1 {
		t.Errorf("second run %+v (import %+v); want the second import, current, latest, 2 settlements, 5 areas", r2, r2.Import)
	}
	if len(r1.ParamsDigest) != 16 || r1.ParamsDigest != r2.ParamsDigest {
		t.Errorf("params digests %q, %q; want the same 16 hex digits", r1.ParamsDigest, r2.ParamsDigest)
	}
	if csv := getJSON(t, h, "/api/runs?format=csv", http.StatusOK, nil); !strings.HasPrefix(csv, "id,status,started_at") || strings.Count(csv, "\r\n") != 4 {
		t.Errorf("/api/runs CSV:\n%s", csv)
	}

	// The change of schools per 10,000 since run 1: D1 10 → 20, D2 0 → 5; D3
	// had no value in run 1, so it has no change.
	id := map[string]string{}
	rows, err := postgistest.Pool(s).Query(ctx, `SELECT code, id::text FROM area WHERE level = 'district'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var code, aid string
		if err := rows.Scan(&code, &aid); err != nil {
			t.Fatal(err)
		}
		id[code] = aid
	}
	var ch struct {
		Values  map[string]float64 `json:"values"`
		Missing int                `json:"missing"`
		Bounds  []float64          `json:"bounds"`
		Colors  []string           `json:"colors"`
		Compare struct {
			RunID       int64 `json:"run_id"`
			LatestRunID int64 `json:"latest_run_id"`
		} `json:"compare"`
	}
	run1 := strconv.FormatInt(first.RunID, 10)
	getJSON(t, h, "/api/choropleth?indicator=schools_per_10k&level=district&compare="+run1, http.StatusOK, &ch)
	want := map[string]float64{id["111000000"]: 10, id["112000000"]: 5}
	if len(ch.Values) != 2 || ch.Values[id["111000000"]] != 10 || ch.Values[id["112000000"]] != 5 || ch.Missing != 1 {
		t.Errorf("change values %v, %d missing; want %v and D3 missing", ch.Values, ch.Missing, want)
	}
	if ch.Compare.RunID != first.RunID || ch.Compare.LatestRunID != second.RunID {
		t.Errorf("compare %+v; want run %d against %d", ch.Compare, first.RunID, second.RunID)
	}
	// Classes symmetric about 0 at multiples of 5 (10 over 2 + 1 steps → 5), the empty ones below the middle left out.
	if !slices.Equal(ch.Bounds, []float64{-5, 5, 10, 15}) || len(ch.Colors) != 3 {
		t.Errorf("change bounds %v colours %v; want -5, 5, 10, 15 in 3 colours", ch.Bounds, ch.Colors)
	}
	var areas struct {
		Compare struct {
			RunID int64 `json:"run_id"`
		} `json:"compare"`
		Areas []struct {
			Code  string   `json:"code"`
			Value *float64 `json:"value"`
		} `json:"areas"`
	}
	getJSON(t, h, "/api/areas/district?indicator=population_density&compare="+run1, http.StatusOK, &areas)
	got := map[string]*float64{}
	for _, a := range areas.Areas {
		got[a.Code] = a.Value
	}
	// Density: D1 1000/10 → 500/10, D2 2000/20 unchanged, D3 none → 4000/30.
	if areas.Compare.RunID != first.RunID || len(got) != 3 || got["111000000"] == nil || *got["111000000"] != -50 ||
		got["112000000"] == nil || *got["112000000"] != 0 || got["113000000"] != nil {
		t.Errorf("/api/areas change %+v", areas)
	}
	if csv := getJSON(t, h, "/api/areas/district?indicator=population_density&format=csv&compare="+run1, http.StatusOK, nil); !strings.Contains(csv, "population_density_change") || !strings.Contains(csv, ",-50,") {
		t.Errorf("/api/areas CSV of change:\n%s", csv)
	}
	// The latest run against itself: no change anywhere.
	getJSON(t, h, "/api/choropleth?indicator=schools_per_10k&level=district&compare="+strconv.FormatInt(second.RunID, 10), http.StatusOK, &ch)
	if len(ch.Values) != 3 || ch.Values[id["111000000"]] != 0 || len(ch.Colors) != 1 {
		t.Errorf("change since the latest run itself: %v, colours %v; want three zeros in one class", ch.Values, ch.Colors)
	}
	// A run that does not exist or did not finish is 404, saying so.
	for _, bad := range []string{"999999", strconv.FormatInt(failed.ID, 10)} {
		body := getJSON(t, h, "/api/choropleth?indicator=schools_per_10k&level=district&compare="+bad, http.StatusNotFound, nil)
		if !strings.Contains(body, "compute run "+bad+" does not exist or was not kept") {
			t.Errorf("compare=%s: %s", bad, body)
		}
		getJSON(t, h, "/api/areas/district?indicator=schools_per_10k&compare="+bad, http.StatusNotFound, nil)
	}
	getJSON(t, h, "/api/choropleth?indicator=schools_per_10k&compare=-1", http.StatusBadRequest, nil)

	// The indices over the runs: one point per finished run, oldest first;
	// the latest one is what /api/disparity answers.
	var hist struct {
		Runs []struct {
			RunID int64    `json:"run_id"`
			N     int      `json:"n"`
			Gini  *float64 `json:"gini"`
		} `json:"runs"`
	}
	getJSON(t, h, "/api/disparity/history?indicator=schools_per_10k&level=district", http.StatusOK, &hist)
	var now struct {
		Indices struct {
			Gini *float64 `json:"gini"`
		} `json:"indices"`
	}
	getJSON(t, h, "/api/disparity?indicator=schools_per_10k&level=district", http.StatusOK, &now)
	if len(hist.Runs) != 2 || hist.Runs[0].RunID != first.RunID || hist.Runs[1].RunID != second.RunID ||
		hist.Runs[0].N != 2 || hist.Runs[1].N != 3 || hist.Runs[1].Gini == nil || now.Indices.Gini == nil || *hist.Runs[1].Gini != *now.Indices.Gini {
		t.Errorf("history %+v; want runs %d (2 districts) and %d (3, Gini as /api/disparity's %v)", hist.Runs, first.RunID, second.RunID, now.Indices.Gini)
	}
}

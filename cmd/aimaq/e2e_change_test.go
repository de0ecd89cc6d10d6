package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/aimaq/aimaq/internal/testenv"
	"github.com/jackc/pgx/v5"
)

// changeIndicator is the indicator whose change the test makes: the
// population-weighted mean time to a school over a parish's settlements.
const changeIndicator = "school_min_mean"

// changeGrowth is the SYNTHETIC change: the people a new housing estate adds
// to one village between the two compute runs.
const changeGrowth = 5000

// TestE2EBrowserChange: change over time (issue 10.6) and the Kazakh and
// Russian interface (issue 10.3) in a real browser. The real Andorra extract
// (parishes as oblasts) is computed once; then a planner's year passes — the
// remotest village of the parish with most villages gains changeGrowth people
// (SYNTHETIC), recorded as an import — and it is computed again. The API's
// change since the first run is checked against the figure worked out from
// the first run's own settlement times, and web/ui/test/change.test.mjs opens
// the map of change in Kazakh (1440×900) and Russian (390×844) with
// screenshots and axe-core.
func TestE2EBrowserChange(t *testing.T) {
	w := loadAndorra(t)
	bin, dbURL, aimaq := w.bin, w.dbURL, w.run

	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var run1 int64
	if err := conn.QueryRow(ctx, `SELECT max(id) FROM compute_run WHERE status = 'done'`).Scan(&run1); err != nil {
		t.Fatal(err)
	}

	// The first run's settlements with a population and a school time, by
	// parish: the parish with most of them, and its remotest village.
	type place struct {
		id        int64
		pop, mins float64
	}
	byParish := map[int64][]place{}
	rows, err := conn.Query(ctx, `SELECT s.oblast_id, s.id, s.population, a.school_min
		FROM settlement s JOIN settlement_access a ON a.settlement_id = s.id AND a.run_id = $1
		WHERE s.population > 0 AND a.school_min IS NOT NULL AND s.oblast_id IS NOT NULL ORDER BY s.id`, run1)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var parish int64
		var p place
		if err := rows.Scan(&parish, &p.id, &p.pop, &p.mins); err != nil {
			t.Fatal(err)
		}
		byParish[parish] = append(byParish[parish], p)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	var parish int64
	for id, ps := range byParish {
		if len(ps) > len(byParish[parish]) || (len(ps) == len(byParish[parish]) && id < parish) {
			parish = id
		}
	}
	ps := byParish[parish]
	if len(ps) < 2 {
		t.Fatalf("no parish with two or more settlements with people and school times: %v", byParish)
	}
	village := ps[0]
	for _, p := range ps {
		if p.mins > village.mins {
			village = p
		}
	}
	// The hand-worked figure: the population-weighted mean before and after.
	var sumP, sumPV float64
	for _, p := range ps {
		sumP += p.pop
		sumPV += p.pop * p.mins
	}
	before := sumPV / sumP
	after := (sumPV + changeGrowth*village.mins) / (sumP + changeGrowth)
	wantChange := after - before
	t.Logf("parish %d: %d settlements, village %d (%.0f people, %.3f min to school) gains %d people: %s %.4f → %.4f (change %+.4f)",
		parish, len(ps), village.id, village.pop, village.mins, changeGrowth, changeIndicator, before, after, wantChange)
	if wantChange < 0.01 {
		t.Fatalf("the change is too small to show: %+.4f min", wantChange)
	}

	// A planner's year: recorded as an import, so the data generation moves on.
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `UPDATE settlement SET population = population + $2 WHERE id = $1`, village.id, changeGrowth); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO import_run (dataset, source, finished_at, rows)
		VALUES ('settlements', 'SYNTHETIC e2e change: a new housing estate', now(), 1)`); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	aimaq("compute")
	base := serveDatabase(t, bin, dbURL)

	// /api/runs: both runs, the newest first and latest, over different data.
	var runs struct {
		Runs []struct {
			ID             int64  `json:"id"`
			Status         string `json:"status"`
			DataGeneration int64  `json:"data_generation"`
			Latest         bool   `json:"latest"`
			Stale          bool   `json:"stale"`
		} `json:"runs"`
	}
	getJSON(t, base+"/api/runs", &runs)
	if r := runs.Runs; len(r) != 2 || r[0].ID <= run1 || r[1].ID != run1 || !r[0].Latest || r[1].Latest || r[0].Stale ||
		r[0].Status != "done" || r[1].Status != "done" || r[0].DataGeneration <= r[1].DataGeneration {
		t.Fatalf("/api/runs = %+v, want the new run (latest, not stale, a later data generation) then run %d", r, run1)
	}
	run2 := runs.Runs[0].ID

	// The map of change: the hand-worked figure in the parish, 0 elsewhere.
	var ch struct {
		Values  map[string]float64 `json:"values"`
		RunID   int64              `json:"run_id"`
		Compare *struct {
			RunID       int64 `json:"run_id"`
			LatestRunID int64 `json:"latest_run_id"`
		} `json:"compare"`
		Counts []int `json:"counts"`
	}
	getJSON(t, fmt.Sprintf("%s/api/choropleth?indicator=%s&level=oblast&compare=%d", base, changeIndicator, run1), &ch)
	if ch.Compare == nil || ch.Compare.RunID != run1 || ch.Compare.LatestRunID != run2 || ch.RunID != run2 {
		t.Errorf("choropleth compare = %+v (run %d), want run %d against run %d", ch.Compare, ch.RunID, run2, run1)
	}
	if len(ch.Values) != 7 {
		t.Errorf("choropleth of change: %d parishes with a value, want all 7: %v", len(ch.Values), ch.Values)
	}
	for id, v := range ch.Values {
		want := 0.0
		if id == strconv.FormatInt(parish, 10) {
			want = wantChange
		}
		if math.Abs(v-want) > 1e-6 {
			t.Errorf("change of %s in parish %s = %+.6f min, want %+.6f", changeIndicator, id, v, want)
		}
	}
	if _, ok := ch.Values[strconv.FormatInt(parish, 10)]; !ok {
		t.Errorf("choropleth of change has no value for parish %d: %v", parish, ch.Values)
	}
	// The indices over the two runs.
	var hist struct {
		Runs []struct {
			RunID int64 `json:"run_id"`
		} `json:"runs"`
	}
	getJSON(t, fmt.Sprintf("%s/api/disparity/history?indicator=%s&level=oblast", base, changeIndicator), &hist)
	if len(hist.Runs) != 2 {
		t.Errorf("disparity history: %d runs, want 2: %+v", len(hist.Runs), hist.Runs)
	}
	if t.Failed() {
		return
	}

	chromium := os.Getenv("CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(chromium); err != nil {
		testenv.Missing(t, "chromium not installed (scripts/setup installs it)")
	}
	if _, err := os.Stat("../../web/ui/node_modules/playwright-core"); err != nil {
		testenv.Missing(t, "npm packages missing: run scripts/setup: %v", err)
	}
	art, _ := filepath.Abs("../../artifacts")
	_ = os.MkdirAll(art, 0o755)
	bctx, cancel := context.WithTimeout(ctx, 4*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(bctx, "node", "../../web/ui/test/change.test.mjs", base+"/", art,
		changeIndicator, strconv.FormatInt(run1, 10), strconv.FormatInt(parish, 10)).CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("browser test of change failed: %v", err)
	}
	for _, name := range []string{"change-kk-1440x900.png", "change-ru-390x844.png", "map-kk-1440x900.png", "export-change-kk.png"} {
		if st, err := os.Stat(filepath.Join(art, name)); err != nil || st.Size() < 10000 {
			t.Errorf("artifact %s missing or tiny: %v", name, err)
		}
	}
}

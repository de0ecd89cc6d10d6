package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/internal/testenv"
	"github.com/jackc/pgx/v5"
)

// TestE2EBrowserScenario: the planner's scenario panel (issue 12.3) in a real
// browser on the real Andorra extract. A token is made with `aimaq token
// create`; web/ui/test/scenario.test.mjs then places a SYNTHETIC school by a
// click on the map at the populated place farthest from any school (so that
// place's school distance falls), checks that the panel's figures are the
// server's evaluation of the same project (fetched by the test itself), that
// the changed settlements and the changed parish are drawn, saves the
// scenario with the token (a missing and a wrong token are said plainly
// first), sees it listed, and compares it with an empty scenario — in Kazakh
// at 1440×900, then in Russian at 390×844 with the controls sheet — with
// screenshots and axe-core.
func TestE2EBrowserScenario(t *testing.T) {
	w := loadAndorra(t)
	token := strings.TrimSpace(w.output("token", "create", "--name", "e2e-browser-planner"))
	if token == "" {
		t.Fatal("aimaq token create printed no token")
	}

	ctx := context.Background()
	conn, err := pgx.Connect(ctx, w.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	// The place of the SYNTHETIC school: the populated place farthest from
	// a school, beyond the 3 km of the standard, and its parish.
	var (
		village  int64
		name     string
		lon, lat float64
		schoolKm float64
		parish   int64
	)
	err = conn.QueryRow(ctx, `
		SELECT s.id, coalesce(s.name, ''), ST_X(s.geom), ST_Y(s.geom), a.school_km, coalesce(s.oblast_id, 0)
		  FROM settlement s JOIN settlement_access a ON a.settlement_id = s.id
		 WHERE a.run_id = (SELECT max(id) FROM compute_run WHERE status = 'done') AND s.population >= $1 AND a.school_km IS NOT NULL
		 ORDER BY a.school_km DESC LIMIT 1`, access.SchoolMinPop).Scan(&village, &name, &lon, &lat, &schoolKm, &parish)
	if err != nil {
		t.Fatal(err)
	}
	if schoolKm <= 3 || parish == 0 {
		t.Fatalf("the farthest place from a school, %s, is %.2f km away in parish %d: want one beyond 3 km in a parish", name, schoolKm, parish)
	}
	t.Logf("SYNTHETIC school at %s (%d, parish %d): %.5f, %.5f, now %.3f km from a school", name, village, parish, lon, lat, schoolKm)
	base := serveDatabase(t, w.bin, w.dbURL)

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
	bctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	cmd := exec.CommandContext(bctx, "node", "../../web/ui/test/scenario.test.mjs", base+"/", art,
		strconv.FormatInt(village, 10), f(lon), f(lat), strconv.FormatInt(parish, 10))
	// The token goes by the environment, not the command line.
	cmd.Env = append(os.Environ(), "AIMAQ_TEST_TOKEN="+token)
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("browser test of the scenario panel failed: %v", err)
	}
	for _, name := range []string{"scenario-kk-1440x900.png", "scenario-compare-kk-1440x900.png", "scenario-ru-390x844.png", "scenario-place-ru-390x844.png", "scenario-compare-ru-390x844.png"} {
		if st, err := os.Stat(filepath.Join(art, name)); err != nil || st.Size() < 10000 {
			t.Errorf("artifact %s missing or tiny: %v", name, err)
		}
	}
}

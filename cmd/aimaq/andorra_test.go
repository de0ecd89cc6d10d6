package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aimaq/aimaq/data/postgis/postgistest"
	"github.com/aimaq/aimaq/internal/testenv"
	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
)

// andorraExtract is a real OpenStreetMap extract of another country (ODbL;
// ../shared/data/osm/SOURCES.md): the whole chain must work on data nobody
// here made, with no KATO code, no oblast centres and no Kazakhstan anywhere.
func andorraExtract(t *testing.T) string {
	t.Helper()
	p, _ := filepath.Abs(filepath.Join("..", "..", "..", "shared", "data", "osm", "andorra.osm.pbf"))
	if _, err := os.Stat(p); err != nil {
		testenv.Missing(t, "real OSM extract not found at %s", p)
	}
	return p
}

// andorra is the real Andorra extract loaded through the real binary into a
// database of its own: its border and its parishes assembled from the
// extract, imported as the country and its first-level units, then its
// roads, schools, health facilities and places, and a compute run.
type andorra struct {
	t          *testing.T
	bin, dbURL string
	// boundary, importOSM and compute are what those commands printed.
	boundary, importOSM, compute string
}

// loadAndorra builds the world; the test is skipped locally (failed in CI)
// without the extract or PostgreSQL.
func loadAndorra(t *testing.T) *andorra {
	t.Helper()
	pbf := andorraExtract(t)
	w := &andorra{t: t, bin: aimaqBin(t), dbURL: postgistest.NewURL(t)}
	dir := t.TempDir()
	country, parishes := filepath.Join(dir, "andorra.geojson"), filepath.Join(dir, "parishes.geojson")
	w.boundary = w.run("boundary", pbf, "--admin-level", "2", "-o", country)
	w.run("boundary", pbf, "--admin-level", "7", "-o", parishes)
	w.run("import", "boundaries", country, "--level", "country")
	w.run("import", "boundaries", parishes, "--level", "oblast")
	w.importOSM = w.run("import", "osm", pbf)
	w.compute = w.run("compute")
	return w
}

// run runs the binary on the world's database and returns what it printed,
// stdout and stderr together; a failure ends the test.
func (w *andorra) run(args ...string) string {
	w.t.Helper()
	out, err := w.command(args...).CombinedOutput()
	if err != nil {
		w.t.Fatalf("aimaq %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// output runs the binary like run and returns its stdout alone (a token, a
// table), leaving its log out.
func (w *andorra) output(args ...string) string {
	w.t.Helper()
	out, err := w.command(args...).Output()
	if err != nil {
		w.t.Fatalf("aimaq %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (w *andorra) command(args ...string) *exec.Cmd {
	cmd := exec.Command(w.bin, args...)
	cmd.Env = append(os.Environ(), "AIMAQ_DATABASE_URL="+w.dbURL)
	return cmd
}

// TestE2EAndorra runs another country through the real binary: its border
// and its parishes assembled from the extract itself, imported as the
// country and its first-level units, then the extract's roads, schools,
// health facilities and places, a compute run, and the HTTP API.
func TestE2EAndorra(t *testing.T) {
	w := loadAndorra(t)
	bin, dbURL := w.bin, w.dbURL
	if out := w.boundary; !strings.Contains(out, "1 boundaries of admin_level 2") || !strings.Contains(out, "(France)") {
		t.Errorf("aimaq boundary: want Andorra written and France listed as cut off by the extract:\n%s", out)
	}
	t.Logf("import osm:\n%s", w.importOSM)
	t.Logf("compute:\n%s", w.compute)
	base := serveDatabase(t, bin, dbURL)

	// The map starts on Andorra: the catalogue's bounds are its box.
	var cat struct {
		Bounds     *[4]float64 `json:"bounds"`
		Indicators []struct {
			Name      string `json:"name"`
			Available bool   `json:"available"`
			Needs     string `json:"needs"`
		} `json:"indicators"`
	}
	getJSON(t, base+"/api/indicators", &cat)
	if b := cat.Bounds; b == nil || b[0] < 1.40 || b[0] > 1.43 || b[2] < 1.77 || b[2] > 1.80 || b[1] < 42.40 || b[1] > 42.44 || b[3] < 42.64 || b[3] > 42.67 {
		t.Errorf("bounds = %v, want Andorra's box, about 1.41–1.79°E, 42.43–42.66°N", cat.Bounds)
	}

	for _, in := range cat.Indicators {
		if strings.HasPrefix(in.Name, "district_centre_") && (in.Available || !strings.Contains(in.Needs, "administrative centres")) {
			t.Errorf("catalogue %s: available %v, needs %q; want unavailable for want of administrative centres", in.Name, in.Available, in.Needs)
		}
		if strings.HasPrefix(in.Name, "school_min_") && !in.Available {
			t.Errorf("catalogue %s unavailable (needs %q), want the extract's schools", in.Name, in.Needs)
		}
	}

	// From the centre of Andorra la Vella (1.5218°E, 42.5063°N), a school
	// over the road network within a few minutes: the capital has schools,
	// and the whole country is 30 km across.
	var pt struct {
		Nearest []struct {
			Kind     string `json:"kind"`
			Facility *struct {
				Name string `json:"name"`
			} `json:"facility"`
			Km     float64 `json:"km"`
			Min    float64 `json:"min"`
			Method string  `json:"method"`
		} `json:"nearest"`
	}
	getJSON(t, base+"/api/access?lon=1.5218&lat=42.5063", &pt)
	found := false
	for _, n := range pt.Nearest {
		if n.Kind != "school" {
			continue
		}
		found = true
		if n.Method != "network" || n.Facility == nil || n.Min <= 0 || n.Min > 15 || n.Km <= 0 || n.Km > 10 {
			t.Errorf("nearest school from Andorra la Vella = %+v, want one over the network within 15 min and 10 km", n)
		}
	}
	if !found {
		t.Errorf("no nearest school from Andorra la Vella: %+v", pt)
	}

	// Andorra has no districts and no oblast centres here: the figures to
	// centres are missing and say why, without sending the user to an
	// extract that is already loaded.
	conn, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var encamp int64
	if err := conn.QueryRow(context.Background(), `SELECT id FROM settlement WHERE source_id = 'node/64954584'`).Scan(&encamp); err != nil {
		t.Fatalf("Encamp (node/64954584): %v", err)
	}
	var rep struct {
		Indicators []struct {
			Indicator string   `json:"indicator"`
			Value     *float64 `json:"value"`
			Method    string   `json:"method"`
			Needs     string   `json:"needs"`
		} `json:"indicators"`
		LoadHint string `json:"load_hint"`
	}
	getJSON(t, fmt.Sprintf("%s/api/settlements/%d/access", base, encamp), &rep)
	for _, f := range rep.Indicators {
		switch {
		case strings.Contains(f.Indicator, "centre"):
			if f.Value != nil || !strings.Contains(f.Needs, "administrative centres") {
				t.Errorf("Encamp %s = %v, needs %q; want no value and the centres it needs", f.Indicator, show(f.Value), f.Needs)
			}
		case f.Indicator == "school_min":
			if f.Value == nil || f.Method != "network" {
				t.Errorf("Encamp school_min = %v (%s), want a network time", show(f.Value), f.Method)
			}
		}
	}
	if rep.LoadHint != "" {
		t.Errorf("Encamp load_hint = %q, want none: the extract is loaded", rep.LoadHint)
	}

	// Astana is now outside the service area.
	if resp, body := get(t, base+"/api/access?lon=71.43&lat=51.13"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a point in Kazakhstan: status %d, want 400: %s", resp.StatusCode, body)
	}

	// Tiles over Andorra decode, with the parishes and the places.
	for _, c := range []struct {
		layer string
		z     maptile.Zoom
	}{{"oblasts", 10}, {"settlements", 12}} {
		tile := maptile.At([2]float64{1.5218, 42.5063}, c.z)
		url := fmt.Sprintf("%s/tiles/%s/%d/%d/%d.mvt", base, c.layer, tile.Z, tile.X, tile.Y)
		resp, body := get(t, url)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d %s", url, resp.StatusCode, body)
			continue
		}
		layers, err := mvt.Unmarshal(body)
		if err != nil {
			t.Errorf("%s: %v", url, err)
			continue
		}
		if len(layers) != 1 || len(layers[0].Features) == 0 {
			t.Errorf("%s: layers %v, want one non-empty %s layer", url, layerNames(layers), c.layer)
		}
	}
}

// `aimaq boundary` needs no database: a level the extract does not hold
// whole is an input error (exit 65) offering the fallback, and the fallback
// writes the extract's box, saying it is no border.
func TestBoundaryCLI(t *testing.T) {
	pbf := andorraExtract(t)
	home := t.TempDir()
	out, code := runAimaq(t, home, "boundary", pbf, "--admin-level", "4")
	if code != 65 || !strings.Contains(out, "andorra.osm.pbf") || !strings.Contains(out, "--bounds-fallback") || !strings.Contains(out, "(Catalunya)") {
		t.Errorf("boundary --admin-level 4: exit %d, want 65 naming the file, Catalonia cut off, and the fallback:\n%s", code, out)
	}
	dest := filepath.Join(t.TempDir(), "box.geojson")
	out, code = runAimaq(t, home, "boundary", pbf, "--admin-level", "4", "--bounds-fallback", "-o", dest)
	if code != 0 || !strings.Contains(out, "not an administrative boundary") {
		t.Errorf("boundary --bounds-fallback: exit %d, want 0 and a warning:\n%s", code, out)
	}
	if b, err := os.ReadFile(dest); err != nil || !strings.Contains(string(b), `"boundary_source":"extract_bounds"`) {
		t.Errorf("fallback file: %v\n%s", err, b)
	}
	notPBF := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(notPBF, []byte("not an extract"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, code = runAimaq(t, home, "boundary", notPBF); code != 65 || !strings.Contains(out, "notes.txt") || !strings.Contains(out, "not an OSM PBF") {
		t.Errorf("boundary of a text file: exit %d, want 65 naming it:\n%s", code, out)
	}
}

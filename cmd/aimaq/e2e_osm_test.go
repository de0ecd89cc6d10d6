package main

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/aimaq/aimaq/internal/testenv"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aimaq/aimaq/data/postgis/postgistest"
	"github.com/aimaq/aimaq/geo/route"
	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
)

// A SYNTHETIC road fixture (east of Astana, invented) goes through the real
// binary: PBF built with osmium → aimaq import osm → aimaq compute → the HTTP
// API, whose answers are checked against figures worked out by hand.
//
//	village A (71.50, 51.30) ── paved primary ── hospital (71.60) ── school (71.70)
//	                                                                   │ unpaved track
//	                                                     village B (71.70, 51.40)
const syntheticOSM = `<?xml version='1.0' encoding='UTF-8'?>
<osm version="0.6" generator="aimaq e2e (SYNTHETIC)">
  <node id="9000001" version="1" lat="51.3000000" lon="71.5000000"><tag k="place" v="village"/><tag k="name" v="Синтетическое А"/><tag k="population" v="800"/></node>
  <node id="9000002" version="1" lat="51.3000000" lon="71.6000000"><tag k="amenity" v="hospital"/><tag k="name" v="Synthetic hospital"/></node>
  <node id="9000003" version="1" lat="51.3000000" lon="71.7000000"><tag k="amenity" v="school"/><tag k="name" v="Synthetic school"/></node>
  <node id="9000004" version="1" lat="51.4000000" lon="71.7000000"><tag k="place" v="hamlet"/><tag k="name" v="Синтетическое Б"/><tag k="population" v="120"/></node>
  <way id="9100001" version="1"><nd ref="9000001"/><nd ref="9000002"/><nd ref="9000003"/><tag k="highway" v="primary"/><tag k="surface" v="asphalt"/></way>
  <way id="9100002" version="1"><nd ref="9000003"/><nd ref="9000004"/><tag k="highway" v="track"/><tag k="surface" v="dirt"/></way>
</osm>
`

func TestE2EOSMComputeAPI(t *testing.T) {
	osmium := testenv.Command(t, "osmium", "osmium-tool")
	data := testenv.DataDir(t)
	bin := aimaqBin(t)
	dbURL := postgistest.NewURL(t)
	dir := t.TempDir()
	xml := filepath.Join(dir, "synthetic.osm")
	pbf := filepath.Join(dir, "synthetic.osm.pbf")
	if err := os.WriteFile(xml, []byte(syntheticOSM), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(osmium, "cat", xml, "-o", pbf).CombinedOutput(); err != nil {
		t.Fatalf("osmium: %v\n%s", err, out)
	}
	aimaq := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "AIMAQ_DATABASE_URL="+dbURL)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("aimaq %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	aimaq("import", "boundaries", filepath.Join(data, "boundaries/kz_adm0_country.geojson"), "--level", "country")
	aimaq("import", "boundaries", filepath.Join(data, "boundaries/kz_adm1_oblasts_2024.geojson"), "--level", "oblast")
	aimaq("import", "boundaries", filepath.Join(data, "boundaries/kz_adm2_districts_2024.geojson"), "--level", "district")
	out := aimaq("import", "osm", pbf)
	if !strings.Contains(out, "2 roads") && !strings.Contains(out, "     2 roads") {
		t.Logf("import osm:\n%s", out)
	}
	aimaq("compute")

	// Serve and ask.
	base := serveDatabase(t, bin, dbURL)

	// Hand figures: geodesic lengths of the two road pieces at the default speeds.
	sp := route.DefaultSpeeds()
	a, h, sch, b := orb.Point{71.5, 51.3}, orb.Point{71.6, 51.3}, orb.Point{71.7, 51.3}, orb.Point{71.7, 51.4}
	toSchoolKm := (orbgeo.Distance(a, h) + orbgeo.Distance(h, sch)) / 1000
	toSchoolMin := toSchoolKm / sp.Paved["primary"] * 60
	toHospMin := orbgeo.Distance(a, h) / 1000 / sp.Paved["primary"] * 60
	trackKm := orbgeo.Distance(sch, b) / 1000
	bSchoolMin := trackKm / sp.Unpaved["track"] * 60

	conn, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	id := func(src string) int64 {
		var id int64
		if err := conn.QueryRow(context.Background(), `SELECT id FROM settlement WHERE source_id = $1`, src).Scan(&id); err != nil {
			t.Fatalf("settlement %s: %v", src, err)
		}
		return id
	}
	type figure struct {
		Indicator string   `json:"indicator"`
		Value     *float64 `json:"value"`
		Method    string   `json:"method"`
	}
	var rep struct {
		Indicators []figure `json:"indicators"`
		SRS        struct {
			School *bool `json:"school_ok"`
			Road   *bool `json:"road_ok"`
		} `json:"srs"`
		Nearest map[string]struct {
			Name string `json:"name"`
		} `json:"nearest"`
	}
	fetch := func(path string, v any) {
		t.Helper()
		resp, body := get(t, base+path)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
		}
		if err := json.Unmarshal(body, v); err != nil {
			t.Fatal(err)
		}
	}
	val := func(name string) figure {
		for _, f := range rep.Indicators {
			if f.Indicator == name {
				return f
			}
		}
		t.Fatalf("no %s in the report", name)
		return figure{}
	}
	// The graph stores coordinates as float32 (about 0.5 m here), and a few
	// decimetres between a point and its snapped position are walked at 5 km/h:
	// agree to 2 m (km figures) and 0.6 s (minute figures).
	near := func(got *float64, want float64) bool { return got != nil && math.Abs(*got-want) <= 0.002 }
	nearMin := func(got *float64, want float64) bool { return got != nil && math.Abs(*got-want) <= 0.01 }

	fetch(fmt.Sprintf("/api/settlements/%d/access", id("node/9000001")), &rep)
	for _, c := range []struct {
		name string
		want float64
	}{{"school_km", toSchoolKm}, {"school_min", toSchoolMin}, {"hospital_min", toHospMin}, {"paved_road_km", 0}} {
		ok := near
		if strings.HasSuffix(c.name, "_min") {
			ok = nearMin
		}
		if f := val(c.name); !ok(f.Value, c.want) {
			t.Errorf("A %s = %v (%s), want %.5f by hand", c.name, show(f.Value), f.Method, c.want)
		}
	}
	if f := val("school_km"); f.Method != "network" {
		t.Errorf("A school_km method %q, want network", f.Method)
	}
	if rep.SRS.School == nil || *rep.SRS.School || rep.SRS.Road == nil || !*rep.SRS.Road {
		t.Errorf("A SRS: school %v road %v; want false (%.1f km > 3 km) and true (on the paved road)", rep.SRS.School, rep.SRS.Road, toSchoolKm)
	}
	if rep.Nearest["school"].Name != "Synthetic school" {
		t.Errorf("A nearest school = %+v", rep.Nearest["school"])
	}

	rep.Indicators = nil
	fetch(fmt.Sprintf("/api/settlements/%d/access", id("node/9000004")), &rep)
	if f := val("school_min"); !nearMin(f.Value, bSchoolMin) {
		t.Errorf("B school_min = %v, want %.5f by hand (unpaved track)", show(f.Value), bSchoolMin)
	}

	var pr struct {
		Nearest []struct {
			Kind   string  `json:"kind"`
			Km     float64 `json:"km"`
			Method string  `json:"method"`
		} `json:"nearest"`
	}
	fetch("/api/access?lon=71.6&lat=51.3", &pr)
	for _, n := range pr.Nearest {
		want := map[string]float64{"school": orbgeo.Distance(h, sch) / 1000, "hospital": 0, "clinic": 0}[n.Kind]
		if n.Method != "network" || math.Abs(n.Km-want) > 1e-3 {
			t.Errorf("point access %s = %.4f km (%s), want %.4f over the network", n.Kind, n.Km, n.Method, want)
		}
	}
}

func show(p *float64) string {
	if p == nil {
		return "null"
	}
	return fmt.Sprintf("%.5f", *p)
}

package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aimaq/aimaq/data/postgis/postgistest"
	"github.com/aimaq/aimaq/internal/testenv"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
)

// Golden answers: every API route, the OGC API, styles and a set of tiles, on
// the real data set and on a SYNTHETIC road network with facilities, recorded
// as files under testdata/golden and compared on every run (numbers equal to
// 1e-9). They pin behaviour across restructurings; `go test -run TestGolden
// ./cmd/aimaq -args -update-golden` records them anew, and the diff of the
// files is the list of intended changes.

var updateGolden = flag.Bool("update-golden", false, "record the golden answers anew")

// goldenTolerance is how far two numbers may differ (relative, or absolute
// near zero) and still be the same answer.
const goldenTolerance = 1e-9

func TestGoldenRealData(t *testing.T) {
	_, _, base := serveRealData(t)
	checkGolden(t, "kz", base, goldenRequests(t, base, []orb.Point{{71.43, 51.13}, {76.93, 43.24}, {51.9, 47.1}}))
}

func TestGoldenSyntheticNetwork(t *testing.T) {
	osmium := testenv.Command(t, "osmium", "osmium-tool")
	bin := aimaqBin(t)
	data := testenv.DataDir(t)
	dbURL := postgistest.NewURL(t)
	dir := t.TempDir()
	xml, pbf := filepath.Join(dir, "grid.osm"), filepath.Join(dir, "grid.osm.pbf")
	if err := os.WriteFile(xml, []byte(syntheticGridOSM()), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(osmium, "cat", xml, "-o", pbf).CombinedOutput(); err != nil {
		t.Fatalf("osmium: %v\n%s", err, out)
	}
	aimaq := func(args ...string) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "AIMAQ_DATABASE_URL="+dbURL, "AIMAQ_DATA_DIR="+data)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("aimaq %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	b := filepath.Join(data, "boundaries")
	aimaq("import", "boundaries", filepath.Join(b, "kz_adm0_country.geojson"), "--level", "country")
	aimaq("import", "boundaries", filepath.Join(b, "kz_adm1_oblasts_2024.geojson"), "--level", "oblast")
	aimaq("import", "boundaries", filepath.Join(b, "kz_adm2_districts_2024.geojson"), "--level", "district")
	aimaq("import", "groups")
	aimaq("import", "osm", pbf)
	aimaq("compute")
	base := serveDatabase(t, bin, dbURL)
	reqs := goldenRequests(t, base, []orb.Point{{71.0, 50.7}, {70.5, 50.3}})
	// Every settlement's access report: the whole engine, settlement by settlement.
	var items struct {
		Features []struct {
			ID any `json:"id"`
		} `json:"features"`
	}
	getJSON(t, base+"/ogc/collections/settlements/items?limit=1000", &items)
	if len(items.Features) < 100 {
		t.Fatalf("synthetic grid: %d settlements, want at least 100", len(items.Features))
	}
	for _, f := range items.Features {
		reqs = append(reqs, fmt.Sprintf("/api/settlements/%v/access", f.ID))
	}
	for _, p := range [][2]float64{{70.52, 50.21}, {71.33, 50.95}, {71.9, 51.45}, {73.5, 50.5}} {
		reqs = append(reqs, fmt.Sprintf("/api/access?lon=%v&lat=%v", p[0], p[1]))
	}
	checkGolden(t, "synthetic-grid", base, reqs)
}

// serveRealData runs `aimaq run` (import the real data set, compute, serve)
// on a fresh database of the test cluster, stopped when the test ends, and
// returns the binary, the database's URL and the server's URL.
func serveRealData(t *testing.T) (bin, dbURL, base string) {
	t.Helper()
	bin = aimaqBin(t)
	data := testenv.DataDir(t)
	dbURL = postgistest.NewURL(t)
	cmd := exec.Command(bin, "run", "-addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "AIMAQ_DATABASE_URL="+dbURL, "AIMAQ_DATA_DIR="+data)
	base, err := serveURL(cmd, 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stopServer(cmd) })
	return bin, dbURL, base
}

// sendWithToken sends body (JSON) to base+path with the bearer token and
// wants status want; it returns the answer's body.
func sendWithToken(t *testing.T, base, token, method, path, body string, want int) []byte {
	t.Helper()
	req, err := http.NewRequest(method, base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: %d %s; want %d", method, path, resp.StatusCode, b, want)
	}
	return b
}

// serveDatabase starts `aimaq serve` on a free loopback port over the
// database at dbURL, stopped when the test ends, and returns its URL.
func serveDatabase(t *testing.T, bin, dbURL string) string {
	t.Helper()
	cmd := exec.Command(bin, "serve", "-addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "AIMAQ_DATABASE_URL="+dbURL)
	base, err := serveURL(cmd, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stopServer(cmd) })
	return base
}

// stopServer ends a server the test started.
func stopServer(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
		}
	}
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, body := get(t, url)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

// goldenRequests lists the requests whose answers are pinned: the catalogue,
// every available indicator at every level and in every format, choropleths
// and disparities, styles, the OGC API, errors, and tiles around places.
func goldenRequests(t *testing.T, base string, places []orb.Point) []string {
	var cat struct {
		Indicators []struct {
			Name      string   `json:"name"`
			Levels    []string `json:"levels"`
			Available bool     `json:"available"`
		} `json:"indicators"`
	}
	getJSON(t, base+"/api/indicators", &cat)
	reqs := []string{"/api/indicators", "/api/indicators/settlement", "/openapi.json", "/tiles",
		"/ogc", "/ogc/conformance", "/ogc/collections",
		// errors, as clients see them
		"/api/choropleth?indicator=nope", "/api/disparity?indicator=nope", "/api/areas/nope?indicator=x",
		"/api/areas/district", "/api/areas/district?indicator=nope", "/api/choropleth?indicator=population_density&level=nope",
		"/api/disparity?indicator=population_density&level=macroregion", "/styles/nope.json",
		"/api/choropleth?indicator=population_density&method=nope", "/api/choropleth?indicator=population_density&classes=12",
		"/api/settlements/999999999/access", "/api/access?lon=10&lat=10",
	}
	for _, in := range cat.Indicators {
		if !in.Available {
			reqs = append(reqs, "/api/choropleth?indicator="+in.Name)
			continue
		}
		for _, l := range []string{"district", "oblast", "macroregion", "agglomeration", "country"} {
			reqs = append(reqs, "/api/areas/"+l+"?indicator="+in.Name)
		}
		reqs = append(reqs, "/api/areas/oblast?format=csv&indicator="+in.Name, "/api/areas/oblast?format=geojson&indicator="+in.Name,
			"/api/areas/macroregion?format=geojson&indicator="+in.Name)
		for _, l := range []string{"district", "oblast", "macroregion"} {
			reqs = append(reqs, "/api/choropleth?indicator="+in.Name+"&level="+l)
		}
		for _, l := range []string{"district", "oblast"} {
			reqs = append(reqs, "/api/disparity?indicator="+in.Name+"&level="+l)
		}
		reqs = append(reqs, "/styles/"+in.Name+".json")
	}
	for _, m := range []string{"quantile", "equal", "headtail", "manual&breaks=1,10,100"} {
		reqs = append(reqs, "/api/choropleth?indicator=population_density&classes=5&method="+m)
	}
	var cols struct {
		Collections []struct {
			ID string `json:"id"`
		} `json:"collections"`
	}
	getJSON(t, base+"/ogc/collections", &cols)
	for _, c := range cols.Collections {
		p := "/ogc/collections/" + c.ID
		reqs = append(reqs, p, p+"/schema", p+"/schema/geojson", p+"/queryables", p+"/items?limit=3", p+"/items?limit=2&offset=5")
	}
	var idx struct {
		Layers []struct {
			Name string `json:"name"`
		} `json:"layers"`
	}
	getJSON(t, base+"/tiles", &idx)
	if len(idx.Layers) == 0 {
		t.Fatalf("no tile layers at %s/tiles", base)
	}
	for _, l := range idx.Layers {
		reqs = append(reqs, "/tiles/"+l.Name+".json")
		seen := map[string]bool{}
		for _, p := range places {
			for _, z := range []maptile.Zoom{3, 5, 7, 9, 11} {
				tl := maptile.At(p, z)
				u := fmt.Sprintf("/tiles/%s/%d/%d/%d.mvt", l.Name, tl.Z, tl.X, tl.Y)
				if !seen[u] {
					seen[u] = true
					reqs = append(reqs, u)
				}
			}
		}
	}
	return reqs
}

// goldenAnswer is what is recorded of one request.
type goldenAnswer struct {
	Request     string `json:"request"`
	Status      int    `json:"status"`
	ContentType string `json:"content_type"`
	Body        any    `json:"body"`
}

var timestampRE = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)`)

// answer fetches one request and turns its body into comparable data:
// JSON as it is, CSV as rows, MVT decoded into layers of features sorted by
// id; the server's address and times are masked.
func answer(t *testing.T, base, req string) goldenAnswer {
	t.Helper()
	resp, body := get(t, base+req)
	ct := resp.Header.Get("Content-Type")
	a := goldenAnswer{Request: req, Status: resp.StatusCode, ContentType: ct}
	text := strings.ReplaceAll(string(body), base, "http://BASE")
	text = timestampRE.ReplaceAllString(text, "TIME")
	switch {
	case strings.Contains(ct, "json"):
		if err := json.Unmarshal([]byte(text), &a.Body); err != nil {
			t.Fatalf("%s: %v", req, err)
		}
	case strings.HasPrefix(ct, "text/csv"):
		rows, err := csv.NewReader(strings.NewReader(text)).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", req, err)
		}
		a.Body = rows
	case strings.Contains(ct, "mapbox-vector-tile") || strings.HasSuffix(req, ".mvt"):
		a.Body = decodeTile(t, req, body)
	default:
		a.Body = text
	}
	a.Body = digestGeometry(a.Body)
	return a
}

// digestGeometry replaces the coordinates of every geometry by their digest:
// the same geometry gives the same digest, and the golden files stay small.
func digestGeometry(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if k == "geometry" || k == "coordinates" {
				if e != nil {
					b, _ := json.Marshal(e)
					x[k] = fmt.Sprintf("digest %08x, %d bytes", hash(string(b)), len(b))
				}
				continue
			}
			x[k] = digestGeometry(e)
		}
	case []any:
		for i, e := range x {
			x[i] = digestGeometry(e)
		}
	}
	return v
}

// decodeTile turns a tile into layers of features (geometry in tile
// coordinates, properties) in a fixed order, so that the golden answer does
// not depend on the order the database returned the rows in.
func decodeTile(t *testing.T, req string, body []byte) any {
	if len(body) == 0 {
		return map[string]any{}
	}
	ls, err := mvt.UnmarshalGzipped(body)
	if err != nil {
		if ls, err = mvt.Unmarshal(body); err != nil {
			t.Fatalf("%s: %v", req, err)
		}
	}
	out := map[string]any{}
	for _, l := range ls {
		var fs []string
		for _, f := range l.Features {
			b, err := json.Marshal(map[string]any{"id": f.ID, "geometry": f.Geometry, "properties": f.Properties})
			if err != nil {
				t.Fatalf("%s: %v", req, err)
			}
			fs = append(fs, string(b))
		}
		sort.Strings(fs)
		var feats []any
		for _, s := range fs {
			var v any
			_ = json.Unmarshal([]byte(s), &v)
			feats = append(feats, v)
		}
		out[l.Name] = map[string]any{"extent": l.Extent, "features": feats}
	}
	return out
}

var unsafeName = regexp.MustCompile(`[^a-zA-Z0-9._-]+`)

func goldenFile(fixture, req string) string {
	name := strings.Trim(unsafeName.ReplaceAllString(req, "_"), "_")
	if len(name) > 120 {
		name = name[:100] + fmt.Sprintf("-%x", hash(name))
	}
	return filepath.Join("testdata", "golden", fixture, name+".json")
}

func hash(s string) uint32 {
	var h uint32 = 2166136261
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * 16777619
	}
	return h
}

// checkGolden compares (or records) the answers of reqs.
func checkGolden(t *testing.T, fixture, base string, reqs []string) {
	t.Helper()
	dir := filepath.Join("testdata", "golden", fixture)
	if *updateGolden {
		_ = os.RemoveAll(dir)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]bool{}
	for _, req := range reqs {
		file := goldenFile(fixture, req)
		want[filepath.Base(file)] = true
		got := answer(t, base, req)
		if *updateGolden {
			b, err := json.MarshalIndent(got, "", " ")
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, append(b, '\n'), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Errorf("%s: no golden answer (%v): record with -update-golden", req, err)
			continue
		}
		var rec goldenAnswer
		if err := json.Unmarshal(raw, &rec); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		// Round-trip the fresh answer through JSON so both sides have the same types.
		b, _ := json.Marshal(got)
		var now goldenAnswer
		_ = json.Unmarshal(b, &now)
		if now.Status != rec.Status || now.ContentType != rec.ContentType {
			t.Errorf("%s: status %d %q, golden %d %q", req, now.Status, now.ContentType, rec.Status, rec.ContentType)
		}
		if diff := sameValue("", now.Body, rec.Body); diff != "" {
			t.Errorf("%s: %s", req, diff)
		}
	}
	if !*updateGolden {
		files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		for _, f := range files {
			if !want[filepath.Base(f)] {
				t.Errorf("golden answer %s is no longer requested", f)
			}
		}
	}
}

// sameValue reports the first difference between two decoded JSON values,
// numbers (also numbers written in strings, as CSV cells) compared to
// goldenTolerance; "" when they are the same.
func sameValue(path string, got, want any) string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s: got %T, want an object", path, got)
		}
		keys := map[string]bool{}
		for k := range w {
			keys[k] = true
		}
		for k := range g {
			keys[k] = true
		}
		var ks []string
		for k := range keys {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		for _, k := range ks {
			gv, gok := g[k]
			wv, wok := w[k]
			if gok != wok {
				return fmt.Sprintf("%s.%s: present %v, golden %v (got %s, want %s)", path, k, gok, wok, short(gv), short(wv))
			}
			if d := sameValue(path+"."+k, gv, wv); d != "" {
				return d
			}
		}
		return ""
	case []any:
		g, ok := got.([]any)
		if !ok {
			return fmt.Sprintf("%s: got %T, want an array", path, got)
		}
		if len(g) != len(w) {
			return fmt.Sprintf("%s: %d elements, golden %d", path, len(g), len(w))
		}
		for i := range w {
			if d := sameValue(fmt.Sprintf("%s[%d]", path, i), g[i], w[i]); d != "" {
				return d
			}
		}
		return ""
	case float64:
		g, ok := got.(float64)
		if !ok || !closeEnough(g, w) {
			return fmt.Sprintf("%s: got %s, want %v", path, short(got), w)
		}
		return ""
	case string:
		g, ok := got.(string)
		if !ok {
			return fmt.Sprintf("%s: got %s, want %q", path, short(got), w)
		}
		if g == w {
			return ""
		}
		gf, err1 := strconv.ParseFloat(g, 64)
		wf, err2 := strconv.ParseFloat(w, 64)
		if err1 == nil && err2 == nil && closeEnough(gf, wf) {
			return ""
		}
		return fmt.Sprintf("%s: got %q, want %q", path, trim(g), trim(w))
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		return fmt.Sprintf("%s: got %s, want %s", path, short(got), short(want))
	}
	return ""
}

func closeEnough(a, b float64) bool {
	return a == b || math.Abs(a-b) <= goldenTolerance*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

func short(v any) string {
	b, _ := json.Marshal(v)
	return trim(string(b))
}

func trim(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}

// syntheticGridOSM writes a SYNTHETIC OpenStreetMap file (invented, not real
// places): a road grid over 70–72°E, 50–51.5°N (inside Kazakhstan's real
// boundaries, across several districts) with paved primary roads every fifth
// line and unpaved ones between, some one-way; 160 villages and towns on and
// off the grid (a few beyond any road, for the straight-line fallback); and
// schools and health facilities of every level. Deterministic: a fixed seed.
func syntheticGridOSM() string {
	rng := rand.New(rand.NewSource(7))
	var b bytes.Buffer
	b.WriteString("<?xml version='1.0' encoding='UTF-8'?>\n<osm version=\"0.6\" generator=\"aimaq golden test (SYNTHETIC)\">\n")
	const cols, rows = 41, 31
	nodeID := func(i, j int) int { return 8_000_000 + i*rows + j }
	for i := 0; i < cols; i++ {
		for j := 0; j < rows; j++ {
			fmt.Fprintf(&b, "  <node id=\"%d\" version=\"1\" lat=\"%.5f\" lon=\"%.5f\"/>\n", nodeID(i, j), 50+0.05*float64(j), 70+0.05*float64(i))
		}
	}
	poi := 8_500_000
	point := func(lon, lat float64, tags ...string) {
		poi++
		fmt.Fprintf(&b, "  <node id=\"%d\" version=\"1\" lat=\"%.5f\" lon=\"%.5f\">", poi, lat, lon)
		for k := 0; k+1 < len(tags); k += 2 {
			fmt.Fprintf(&b, "<tag k=\"%s\" v=\"%s\"/>", tags[k], tags[k+1])
		}
		b.WriteString("</node>\n")
	}
	for s := 0; s < 160; s++ {
		lon, lat := 70+2*rng.Float64(), 50+1.5*rng.Float64()
		if s%25 == 0 { // beyond the grid: no road within reach
			lon = 72.3 + 0.5*rng.Float64()
		}
		pop := []int{30, 120, 300, 700, 1200, 2500, 4000, 8000, 40000}[rng.Intn(9)]
		place := "village"
		if pop >= 5000 {
			place = "town"
		} else if pop < 100 {
			place = "hamlet"
		}
		point(lon, lat, "place", place, "name", fmt.Sprintf("Synthetic %d", s), "population", strconv.Itoa(pop))
	}
	facilities := [][]string{
		{"amenity", "school"}, {"amenity", "school"}, {"amenity", "school"}, {"amenity", "school", "capacity", "600"},
		{"healthcare", "medical_post"}, {"healthcare", "feldsher"}, {"amenity", "clinic"}, {"healthcare", "centre"}, {"amenity", "hospital"},
	}
	for f := 0; f < 90; f++ {
		tags := facilities[f%len(facilities)]
		point(70+2*rng.Float64(), 50+1.5*rng.Float64(), append([]string{"name", fmt.Sprintf("Synthetic facility %d", f)}, tags...)...)
	}
	way := 8_900_000
	road := func(nodes []int, class, surface string, oneway bool) {
		way++
		fmt.Fprintf(&b, "  <way id=\"%d\" version=\"1\">", way)
		for _, n := range nodes {
			fmt.Fprintf(&b, "<nd ref=\"%d\"/>", n)
		}
		fmt.Fprintf(&b, "<tag k=\"highway\" v=\"%s\"/><tag k=\"surface\" v=\"%s\"/>", class, surface)
		if oneway {
			b.WriteString("<tag k=\"oneway\" v=\"yes\"/>")
		}
		b.WriteString("</way>\n")
	}
	for j := 0; j < rows; j++ { // east-west lines
		var ns []int
		for i := 0; i < cols; i++ {
			ns = append(ns, nodeID(i, j))
		}
		switch {
		case j%5 == 0:
			road(ns, "primary", "asphalt", false)
		case j%3 == 0:
			road(ns, "unclassified", "gravel", j%2 == 1)
		default:
			road(ns, "track", "dirt", false)
		}
	}
	for i := 0; i < cols; i += 2 { // north-south lines, every other column
		var ns []int
		for j := 0; j < rows; j++ {
			ns = append(ns, nodeID(i, j))
		}
		if i%10 == 0 {
			road(ns, "secondary", "asphalt", false)
		} else {
			road(ns, "tertiary", "unpaved", false)
		}
	}
	b.WriteString("</osm>\n")
	return b.String()
}

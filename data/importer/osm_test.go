package importer_test

import (
	"bufio"
	"context"
	"fmt"
	"github.com/aimaq/aimaq/internal/testenv"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aimaq/aimaq/data/importer"
	"github.com/aimaq/aimaq/data/postgis"
	"github.com/aimaq/aimaq/data/postgis/postgistest"
	"github.com/aimaq/aimaq/geo/route"
	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
)

// The PBF fixtures are a SYNTHETIC town around (62.0°E, 47.0°N), inside the
// synthetic Akmola oblast of newFixture, written as OSM XML and converted to
// PBF with osmium, the way real extracts are made.

type osmNode struct {
	id       int64
	lon, lat float64
	tags     map[string]string
}

type osmWay struct {
	id    int64
	nodes []int64
	tags  map[string]string
}

type osmXML struct {
	nodes []osmNode
	ways  []osmWay
	rels  []osmWay // members are ways: enough to carry tags
	// waysFirst writes the ways before the nodes, as an unsorted file would.
	waysFirst bool
}

func tags(kv ...string) map[string]string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

func writeTags(b *strings.Builder, m map[string]string) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(b, "    <tag k=%q v=%q/>\n", k, m[k])
	}
}

func (x osmXML) String() string {
	var b strings.Builder
	b.WriteString("<?xml version='1.0' encoding='UTF-8'?>\n<osm version=\"0.6\" generator=\"aimaq test\">\n")
	nodes := append([]osmNode(nil), x.nodes...)
	sort.Slice(nodes, func(i, j int) bool { return nodes[i].id < nodes[j].id })
	const meta = `version="1" timestamp="2024-01-01T00:00:00Z" changeset="1" uid="1" user="synthetic"`
	writeNodes := func() {
		for _, n := range nodes {
			fmt.Fprintf(&b, "  <node id=\"%d\" %s lat=\"%.7f\" lon=\"%.7f\">\n", n.id, meta, n.lat, n.lon)
			writeTags(&b, n.tags)
			b.WriteString("  </node>\n")
		}
	}
	if !x.waysFirst {
		writeNodes()
	}
	for _, w := range x.ways {
		fmt.Fprintf(&b, "  <way id=\"%d\" %s>\n", w.id, meta)
		for _, n := range w.nodes {
			fmt.Fprintf(&b, "    <nd ref=\"%d\"/>\n", n)
		}
		writeTags(&b, w.tags)
		b.WriteString("  </way>\n")
	}
	if x.waysFirst {
		writeNodes()
	}
	for _, r := range x.rels {
		fmt.Fprintf(&b, "  <relation id=\"%d\" %s>\n", r.id, meta)
		for _, n := range r.nodes {
			fmt.Fprintf(&b, "    <member type=\"way\" ref=\"%d\" role=\"outer\"/>\n", n)
		}
		writeTags(&b, r.tags)
		b.WriteString("  </relation>\n")
	}
	b.WriteString("</osm>\n")
	return b.String()
}

// town is the synthetic town. Node 2 is the village Ақкөл that newFixture's
// settlements GeoJSON imports as node/2, so the PBF import has to merge it.
func town() osmXML {
	n := func(id int64, lon, lat float64, kv ...string) osmNode {
		return osmNode{id: id, lon: lon, lat: lat, tags: tags(kv...)}
	}
	w := func(id int64, nodes []int64, kv ...string) osmWay {
		return osmWay{id: id, nodes: nodes, tags: tags(kv...)}
	}
	return osmXML{
		nodes: []osmNode{
			n(1, 62, 42, "place", "town", "name", "Қосшы", "name:ru", "Косшы", "population", "3 500"),
			n(2, 62.0005, 47.0005, "place", "village", "name", "Ақкөл", "name:ru", "Акколь", "name:kk", "Ақкөл", "name:en", "Akkol"),
			n(100, 62.05, 47.05, "place", "hamlet", "name", "Жаңа ауыл"),
			n(101, 75, 45, "place", "village", "name", "Outside"),
			n(102, 62.06, 47.06, "place", "locality", "name", "Урочище"),
			n(1001, 62.000, 47.000), n(1002, 62.010, 47.000), n(1003, 62.020, 47.000),
			n(1004, 62.010, 47.010), n(1005, 62.020, 47.010), n(1006, 62.030, 47.020),
			n(1007, 62.100, 47.100), n(1008, 62.110, 47.110), n(1009, 62.001, 47.010),
			n(1010, 62.002, 47.011), n(1011, 62.001, 47.012),
			n(1101, 62.005, 47.005, "amenity", "school", "name", "Школа №1", "capacity", "320"),
			n(1102, 62.006, 47.006, "amenity", "clinic", "name", "ФАП села Акколь"),
			n(1103, 62.007, 47.007, "amenity", "doctors", "name", "Медпункт"),
			n(1104, 62.008, 47.008, "amenity", "pharmacy", "name", "Аптека"),
			n(1105, 62.009, 47.009, "healthcare", "dentist", "name", "Стоматология"),
			n(1201, 62.012, 47.012), n(1202, 62.014, 47.012), n(1203, 62.014, 47.014), n(1204, 62.012, 47.014),
		},
		ways: []osmWay{
			w(201, []int64{1001, 1002, 1003}, "highway", "primary", "name", "Main street", "maxspeed", "60"),
			w(202, []int64{1002, 1004}, "highway", "residential", "surface", "gravel", "oneway", "yes", "maxspeed", "RU:urban"),
			w(203, []int64{1004, 1005}, "highway", "residential", "surface", "asphalt", "oneway", "-1", "maxspeed", "30 mph"),
			w(204, []int64{1003, 1006}, "highway", "track", "maxspeed", "KZ:rural"),
			w(205, []int64{1006, 1007}, "highway", "motorway", "maxspeed", "none"),
			w(206, []int64{1001, 1005}, "highway", "footway"),
			w(207, []int64{1007, 1008}, "highway", "unclassified", "surface", "dirt", "maxspeed", "fast"),
			w(208, []int64{1009, 1010, 1011, 1009}, "highway", "tertiary", "junction", "roundabout"),
			w(301, []int64{1201, 1202, 1203, 1204, 1201}, "amenity", "hospital", "building", "yes", "name", "Районная больница", "capacity", "120"),
			w(302, []int64{1201, 1202}, "building", "yes"),
		},
		rels: []osmWay{
			w(401, []int64{302}, "type", "multipolygon", "amenity", "hospital", "name", "Больница-мультиполигон"),
		},
	}
}

// osmium converts OSM XML to PBF. Locally a missing osmium skips; in CI it fails.
func osmium(tb testing.TB, dir, name string, x osmXML) string {
	tb.Helper()
	bin := testenv.Command(tb, "osmium", "osmium-tool")
	in := writeFile(tb, dir, strings.TrimSuffix(name, ".osm.pbf")+".osm", x.String())
	out := filepath.Join(dir, name)
	if b, err := exec.Command(bin, "cat", "--overwrite", in, "-o", out).CombinedOutput(); err != nil {
		tb.Fatalf("osmium cat: %v\n%s", err, b)
	}
	return out
}

type roadRow struct {
	class, surface string
	paved          *bool
	assumed        bool     // paved_assumed
	speed          *float64 // maxspeed_kmh: the tagged limit
	ownSpeed       *float64 // speed_kmh: never set from OpenStreetMap
	nodes          []int64
	oneway         bool
	name           string
	x0, y0, x1, y1 float64
}

func roadsBySourceID(tb testing.TB, s *postgis.Store) map[string]roadRow {
	tb.Helper()
	out := map[string]roadRow{}
	eachRow(tb, s, `SELECT source_id, class, coalesce(surface, ''), paved, paved_assumed, maxspeed_kmh, speed_kmh, node_ids, oneway, coalesce(name, ''),
		ST_X(ST_StartPoint(geom)), ST_Y(ST_StartPoint(geom)), ST_X(ST_EndPoint(geom)), ST_Y(ST_EndPoint(geom))
		FROM road WHERE source = 'osm'`, func(rows pgx.Rows) error {
		var id string
		var r roadRow
		if err := rows.Scan(&id, &r.class, &r.surface, &r.paved, &r.assumed, &r.speed, &r.ownSpeed, &r.nodes, &r.oneway, &r.name, &r.x0, &r.y0, &r.x1, &r.y1); err != nil {
			return err
		}
		out[id] = r
		return nil
	})
	return out
}

func ptr[T any](v T) *T { return &v }

func eqPtr[T comparable](a, b *T) bool {
	return (a == nil) == (b == nil) && (a == nil || *a == *b)
}

func show[T any](p *T) string {
	if p == nil {
		return "NULL"
	}
	return fmt.Sprint(*p)
}

func TestImportOSM(t *testing.T) {
	s, im, f := importedFixture(t)
	ctx := context.Background()
	var villageID int64
	if err := queryRow(s, `SELECT id FROM settlement WHERE source_id = 'node/2'`).Scan(&villageID); err != nil {
		t.Fatal(err)
	}
	// A facility from a file must survive the OSM import's replacement.
	if _, err := im.Facilities(ctx, writeFile(t, f.dir, "extra.csv", "kind,name,capacity,lon,lat\nschool,Extra,10,62.3,47.3\n")); err != nil {
		t.Fatal(err)
	}

	pbf := osmium(t, t.TempDir(), "town.osm.pbf", town())
	rep, err := im.OSM(ctx, pbf, importer.OSMOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range rep.Warnings {
		t.Logf("warning: %s", w)
	}

	// Roads: every kept class, the footway left out.
	roads := roadsBySourceID(t, s)
	want := map[string]roadRow{
		"way/201": {class: "primary", paved: ptr(true), assumed: true, speed: ptr(60.0), name: "Main street", x0: 62.000, y0: 47.000, x1: 62.020, y1: 47.000},
		"way/202": {class: "residential", surface: "gravel", paved: ptr(false), speed: ptr(60.0), oneway: true, x0: 62.010, y0: 47.000, x1: 62.010, y1: 47.010},
		// oneway=-1: stored reversed, from 1005 to 1004.
		"way/203": {class: "residential", surface: "asphalt", paved: ptr(true), speed: ptr(30 * 1.609344), oneway: true, x0: 62.020, y0: 47.010, x1: 62.010, y1: 47.010},
		"way/204": {class: "track", paved: ptr(false), assumed: true, speed: ptr(110.0), x0: 62.020, y0: 47.000, x1: 62.030, y1: 47.020},
		"way/205": {class: "motorway", paved: ptr(true), assumed: true, oneway: true, x0: 62.030, y0: 47.020, x1: 62.100, y1: 47.100},
		"way/207": {class: "unclassified", surface: "dirt", paved: ptr(false), x0: 62.100, y0: 47.100, x1: 62.110, y1: 47.110},
		"way/208": {class: "tertiary", paved: ptr(true), assumed: true, oneway: true, x0: 62.001, y0: 47.010, x1: 62.001, y1: 47.010},
	}
	if len(roads) != len(want) {
		t.Errorf("roads = %d, want %d (the footway left out)", len(roads), len(want))
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-7 }
	for id, w := range want {
		g, ok := roads[id]
		if !ok {
			t.Errorf("%s missing", id)
			continue
		}
		if g.class != w.class || g.surface != w.surface || !eqPtr(g.paved, w.paved) || g.assumed != w.assumed || g.oneway != w.oneway || g.name != w.name {
			t.Errorf("%s = class %s surface %q paved %s (assumed %v) oneway %v name %q; want %s %q %s (%v) %v %q",
				id, g.class, g.surface, show(g.paved), g.assumed, g.oneway, g.name, w.class, w.surface, show(w.paved), w.assumed, w.oneway, w.name)
		}
		if (g.speed == nil) != (w.speed == nil) || g.speed != nil && math.Abs(*g.speed-*w.speed) > 1e-9 {
			t.Errorf("%s maxspeed_kmh = %s, want %s", id, show(g.speed), show(w.speed))
		}
		if g.ownSpeed != nil {
			t.Errorf("%s speed_kmh = %v, want NULL: a tagged maxspeed is a limit, not the travel speed", id, *g.ownSpeed)
		}
		if !near(g.x0, w.x0) || !near(g.y0, w.y0) || !near(g.x1, w.x1) || !near(g.y1, w.y1) {
			t.Errorf("%s runs (%v,%v)→(%v,%v), want (%v,%v)→(%v,%v)", id, g.x0, g.y0, g.x1, g.y1, w.x0, w.y0, w.x1, w.y1)
		}
	}
	// Every vertex carries its node id, in the stored direction.
	for id, nodes := range map[string][]int64{"way/201": {1001, 1002, 1003}, "way/203": {1005, 1004}, "way/208": {1009, 1010, 1011, 1009}} {
		if !slices.Equal(roads[id].nodes, nodes) {
			t.Errorf("%s node_ids = %v, want %v", id, roads[id].nodes, nodes)
		}
	}
	// Shared nodes make a connected network: way 201's middle node starts way 202.
	if n := count(t, s, `SELECT count(*) FROM road a JOIN road b ON ST_Intersects(a.geom, b.geom)
		WHERE a.source_id = 'way/201' AND b.source_id = 'way/202'`); n != 1 {
		t.Errorf("way/201 and way/202 do not share a node")
	}

	// Facilities: kinds, the hospital area at its centroid, capacity.
	type fac struct {
		kind, name string
		capacity   *int32
		x, y       float64
	}
	facs := map[string]fac{}
	eachRow(t, s, `SELECT source_id, kind, coalesce(name, ''), capacity, ST_X(geom), ST_Y(geom) FROM facility WHERE source = 'osm'`, func(rows pgx.Rows) error {
		var id string
		var f fac
		if err := rows.Scan(&id, &f.kind, &f.name, &f.capacity, &f.x, &f.y); err != nil {
			return err
		}
		facs[id] = f
		return nil
	})
	wantFacs := map[string]fac{
		"node/1101": {kind: "school", name: "Школа №1", capacity: ptr(int32(320)), x: 62.005, y: 47.005},
		"node/1102": {kind: "feldsher_post", name: "ФАП села Акколь", x: 62.006, y: 47.006},
		"node/1103": {kind: "medical_post", name: "Медпункт", x: 62.007, y: 47.007},
		// The multipolygon relation 401 lies on the hospital's grounds: one site.
		"way/301": {kind: "hospital", name: "Районная больница", capacity: ptr(int32(120)), x: 62.013, y: 47.013},
	}
	if len(facs) != len(wantFacs) {
		t.Errorf("osm facilities = %v, want %d (pharmacy and dentist left out, the relation merged into way/301)", facs, len(wantFacs))
	}
	for id, w := range wantFacs {
		g := facs[id]
		if g.kind != w.kind || g.name != w.name || !eqPtr(g.capacity, w.capacity) || !near(g.x, w.x) || !near(g.y, w.y) {
			t.Errorf("%s = %s %q capacity %s at (%v,%v); want %s %q capacity %s at (%v,%v)",
				id, g.kind, g.name, show(g.capacity), g.x, g.y, w.kind, w.name, show(w.capacity), w.x, w.y)
		}
	}
	if n := count(t, s, `SELECT count(*) FROM facility WHERE source = 'file:extra.csv'`); n != 1 {
		t.Errorf("file facilities after the OSM import = %d, want 1 (not replaced)", n)
	}
	if n := count(t, s, `SELECT count(*) FROM facility WHERE tags->>'amenity' = 'hospital'`); n != 1 {
		t.Errorf("facility tags not kept")
	}

	// Settlements: node/2 merged (same id, names from the PBF, population kept),
	// node/1 takes the tagged population, node/100 is new and estimated, node/101
	// lies outside the country, node/102 is a locality; node/3 stays.
	var name, ru, kk, en string
	var id int64
	var pop int
	var est bool
	if err := queryRow(s, `SELECT id, name, name_ru, name_kk, name_en, population, population_estimated FROM settlement WHERE source_id = 'node/2'`).
		Scan(&id, &name, &ru, &kk, &en, &pop, &est); err != nil {
		t.Fatal(err)
	}
	if id != villageID || name != "Ақкөл" || ru != "Акколь" || kk != "Ақкөл" || en != "Akkol" || pop != 1000 || est {
		t.Errorf("node/2 = id %d %q/%q/%q/%q population %d estimated %v; want id %d with the PBF's names and the population 1000 kept",
			id, name, ru, kk, en, pop, est, villageID)
	}
	if err := queryRow(s, `SELECT population, population_estimated FROM settlement WHERE source_id = 'node/1'`).Scan(&pop, &est); err != nil {
		t.Fatal(err)
	}
	if pop != 3500 || est {
		t.Errorf("node/1 population = %d estimated %v, want 3500 from the PBF", pop, est)
	}
	if err := queryRow(s, `SELECT population, population_estimated FROM settlement WHERE source_id = 'node/100'`).Scan(&pop, &est); err != nil {
		t.Fatalf("new hamlet node/100: %v", err)
	}
	if pop <= 0 || !est {
		t.Errorf("node/100 population = %d estimated %v, want an estimate", pop, est)
	}
	if n := count(t, s, `SELECT count(*) FROM settlement WHERE source_id IN ('node/101', 'node/102')`); n != 0 {
		t.Errorf("the place outside the country or the locality was imported")
	}
	if n := count(t, s, `SELECT count(*) FROM settlement`); n != 4 {
		t.Errorf("settlements = %d, want 4 (3 from GeoJSON, none deleted, 1 new)", n)
	}
	if n := count(t, s, `SELECT count(*) FROM settlement WHERE district_id IS NULL`); n != 0 {
		t.Errorf("%d settlements without a district after derive", n)
	}
	if rep.Clipped != 1 || rep.Estimated != 1 || rep.Rows != len(want)+len(wantFacs)+3 {
		t.Errorf("report clipped %d estimated %d rows %d; want 1, 1, %d (3 places in the PBF written)", rep.Clipped, rep.Estimated, rep.Rows, len(want)+len(wantFacs)+3)
	}
	sawMem := rep.Memory != nil && rep.Memory.HeapInuseMiB > 0
	sawRel := rep.Counts["facility_multipolygons"] == 1 && rep.Counts["facilities_merged_same_site"] == 1 && rep.Counts["facility_relations_skipped"] == 0
	for _, w := range rep.Warnings {
		if strings.Contains(w, `"none"`) {
			t.Errorf("maxspeed=none warned about: %s", w)
		}
		if strings.Contains(w, "maxspeed") && !strings.Contains(w, "way 207") {
			t.Errorf("maxspeed warning does not name way 207: %s", w)
		}
	}
	if !sawMem || !sawRel {
		t.Errorf("report lacks the memory peak or the skipped relation: %+v %+v", rep.Memory, rep.Counts)
	}
	if n := count(t, s, `SELECT count(*) FROM import_run WHERE dataset = 'osm' AND sha256 <> '' AND sha256 <> 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'`); n != 1 {
		t.Errorf("import_run of the osm import lacks the file's hash")
	}

	// Re-import, with progress: nothing duplicated, ids kept.
	before := count(t, s, `SELECT sum(id) FROM road`) + count(t, s, `SELECT sum(id) FROM facility`)
	var progress strings.Builder
	if _, err := importer.New(s, &progress).OSM(ctx, pbf, importer.OSMOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"osm pass 1/2: ways 10 (", "relations 1 (", "osm pass 2/2: nodes 25 (", "7 roads written", "settlements: 3 updated, 0 new"} {
		if !strings.Contains(progress.String(), w) {
			t.Errorf("progress %q lacks %q", progress.String(), w)
		}
	}
	if n := count(t, s, `SELECT count(*) FROM road`); n != int64(len(want)) {
		t.Errorf("roads after re-import = %d, want %d", n, len(want))
	}
	if n := count(t, s, `SELECT count(*) FROM facility`); n != int64(len(wantFacs))+1 {
		t.Errorf("facilities after re-import = %d, want %d", n, len(wantFacs)+1)
	}
	if n := count(t, s, `SELECT count(*) FROM settlement`); n != 4 {
		t.Errorf("settlements after re-import = %d, want 4", n)
	}
	if after := count(t, s, `SELECT sum(id) FROM road`) + count(t, s, `SELECT sum(id) FROM facility`); after != before {
		t.Errorf("road or facility ids changed on re-import")
	}

	// A smaller extract replaces roads and facilities, and deletes no settlement.
	small := town()
	small.ways = slices.DeleteFunc(small.ways, func(w osmWay) bool { return w.id == 207 })
	small.nodes = slices.DeleteFunc(small.nodes, func(n osmNode) bool { return n.id == 1103 || n.id == 1 })
	if _, err := im.OSM(ctx, osmium(t, t.TempDir(), "small.osm.pbf", small), importer.OSMOptions{RoadClasses: []string{"primary", "residential"}, ReplaceRoads: true}); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `SELECT count(*) FROM road`); n != 3 {
		t.Errorf("roads after importing primary and residential only = %d, want 3", n)
	}
	if n := count(t, s, `SELECT count(*) FROM facility WHERE source = 'osm' AND source_id = 'node/1103'`); n != 0 {
		t.Errorf("facility absent from the new extract was kept")
	}
	if n := count(t, s, `SELECT count(*) FROM settlement`); n != 4 {
		t.Errorf("settlements after a smaller extract = %d, want 4 (none deleted)", n)
	}
}

func TestImportOSMBadInput(t *testing.T) {
	s, im, _ := importedFixture(t)
	ctx := context.Background()
	dir := t.TempDir()
	pbf := osmium(t, dir, "town.osm.pbf", town())
	if _, err := im.OSM(ctx, pbf, importer.OSMOptions{}); err != nil {
		t.Fatal(err)
	}
	before := osmSnapshot(t, s)
	b, err := os.ReadFile(pbf)
	if err != nil {
		t.Fatal(err)
	}
	half := writeFile(t, dir, "half.osm.pbf", string(b[:len(b)/2]))
	text := writeFile(t, dir, "x.osm.pbf", "this is a text file, not a PBF\n")
	tiny := writeFile(t, dir, "tiny.osm.pbf", "ab")
	unsorted := town()
	unsorted.waysFirst = true
	unsortedPBF := osmium(t, dir, "unsorted.osm.pbf", unsorted)
	tests := []struct {
		name    string
		file    string
		opts    importer.OSMOptions
		wantErr []string
	}{
		{"truncated", half, importer.OSMOptions{}, []string{"half.osm.pbf", fmt.Sprintf("truncated at byte %d", len(b)/2)}},
		{"text file", text, importer.OSMOptions{}, []string{"x.osm.pbf", "not an OSM PBF file"}},
		{"too short", tiny, importer.OSMOptions{}, []string{"tiny.osm.pbf", "not an OSM PBF file"}},
		{"missing file", filepath.Join(dir, "nope.osm.pbf"), importer.OSMOptions{}, []string{"nope.osm.pbf", "no such file"}},
		{"ways before nodes", unsortedPBF, importer.OSMOptions{}, []string{"unsorted.osm.pbf", "node 1 comes after ways", "osmium sort"}},
		{"empty road class", pbf, importer.OSMOptions{RoadClasses: []string{"primary", ""}}, []string{"town.osm.pbf", "empty class"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := im.OSM(ctx, tt.file, tt.opts)
			checkBad(t, err, tt.wantErr)
			if after := osmSnapshot(t, s); after != before {
				t.Errorf("failed import changed the data:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}

// osmSnapshot extends snapshot with the roads and facilities.
func osmSnapshot(tb testing.TB, s *postgis.Store) string {
	tb.Helper()
	var out string
	err := queryRow(s, `SELECT concat_ws(' ',
		(SELECT count(*) FROM road), (SELECT md5(string_agg(source || source_id || class || ST_AsText(geom), ',' ORDER BY id)) FROM road),
		(SELECT count(*) FROM facility), (SELECT md5(string_agg(source || source_id || kind || ST_AsText(geom), ',' ORDER BY id)) FROM facility),
		(SELECT md5(string_agg(source_id || coalesce(name_ru, '') || coalesce(population::text, ''), ',' ORDER BY id)) FROM settlement),
		(SELECT count(*) FROM import_run))`).Scan(&out)
	if err != nil {
		tb.Fatal(err)
	}
	return snapshot(tb, s) + " " + out
}

func TestFacilityKind(t *testing.T) {
	tests := []struct {
		name string
		tags map[string]string
		want string // "" = not a facility
	}{
		{"school", tags("amenity", "school", "name", "Мектеп-гимназия №5"), "school"},
		{"kindergarten", tags("amenity", "kindergarten", "name", "Балабақша"), "kindergarten"},
		{"hospital", tags("amenity", "hospital", "name", "Центральная районная больница"), "hospital"},
		{"healthcare hospital", tags("healthcare", "hospital"), "hospital"},
		{"clinic", tags("amenity", "clinic"), "clinic"},
		{"doctors", tags("amenity", "doctors", "name", "Врачебная амбулатория"), "clinic"},
		{"healthcare doctor", tags("healthcare", "doctor"), "clinic"},
		{"health centre", tags("healthcare", "centre", "name", "Центр ПМСП"), "polyclinic"},
		{"health centre that is an ambulatory", tags("healthcare", "centre", "name", "Врачебная амбулатория с. Ащысай"), "clinic"},
		{"polyclinic by name", tags("amenity", "clinic", "name", "Городская поликлиника №3"), "polyclinic"},
		{"polyclinic in Kazakh", tags("amenity", "clinic", "name:kk", "Қалалық емхана"), "polyclinic"},
		{"ПМСП word", tags("amenity", "doctors", "name", "ГКП ПМСП Айгерим"), "polyclinic"},
		{"hospital named polyclinic stays hospital", tags("amenity", "hospital", "name", "Больница с поликлиникой"), "hospital"},
		{"ФАП", tags("amenity", "clinic", "name", "ФАП"), "feldsher_post"},
		{"ФАП with case ending", tags("amenity", "doctors", "name", "Здание ФАПа"), "feldsher_post"},
		{"ФАП tagged as hospital", tags("amenity", "hospital", "name", "ФАП с. Жанатурмыс"), "feldsher_post"},
		{"фельдшерско-акушерский пункт", tags("amenity", "clinic", "name:ru", "Фельдшерско-акушерский пункт"), "feldsher_post"},
		{"ФП", tags("healthcare", "clinic", "name", "ФП аула Коктал"), "feldsher_post"},
		{"feldsher tag", tags("healthcare", "feldsher"), "feldsher_post"},
		{"медпункт", tags("amenity", "clinic", "name", "Медпункт"), "medical_post"},
		{"медицинский пункт", tags("amenity", "doctors", "name", "Медицинский пункт с. Шат"), "medical_post"},
		{"медициналық пункт", tags("healthcare", "clinic", "name:kk", "Медициналық пункт"), "medical_post"},
		{"abbreviation inside a word is not ФАП", tags("amenity", "clinic", "name", "КОФАПРО клиника"), "clinic"},
		{"dentist", tags("healthcare", "dentist", "amenity", "dentist"), ""},
		{"doctors for teeth", tags("amenity", "doctors", "healthcare:speciality", "dentistry"), ""},
		{"pharmacy", tags("amenity", "pharmacy", "healthcare", "pharmacy"), ""},
		{"laboratory", tags("healthcare", "laboratory"), ""},
		{"college", tags("amenity", "college"), ""},
		{"no tags", tags(), ""},
		// Issue 8: speciality practices tagged as clinics are not primary care.
		{"chiropractor tagged clinic", tags("amenity", "clinic", "healthcare", "chiropractor"), ""},
		{"physiotherapist tagged doctors", tags("amenity", "doctors", "healthcare", "physiotherapist"), ""},
		{"optometrist tagged clinic", tags("amenity", "clinic", "healthcare", "optometrist"), ""},
		{"laboratory tagged clinic", tags("amenity", "clinic", "healthcare", "laboratory", "name", "Invitro"), ""},
		{"imaging centre", tags("healthcare", "centre", "healthcare:speciality", "radiology", "name", "Диагностический центр МРТ"), ""},
		{"imaging clinic, several imaging specialities", tags("amenity", "clinic", "healthcare:speciality", "radiology;ultrasonography"), ""},
		{"clinic with general and radiology", tags("amenity", "clinic", "healthcare:speciality", "general;radiology"), "clinic"},
		{"clinic, general speciality", tags("amenity", "clinic", "healthcare", "clinic", "healthcare:speciality", "general"), "clinic"},
		{"specialised hospital stays a hospital", tags("amenity", "hospital", "healthcare:speciality", "radiology"), "hospital"},
		// Issue 8: schools only from amenity=school without shop=*, and general schools.
		{"shop tagged school", tags("amenity", "school", "shop", "stationery", "name", "Канцтовары"), ""},
		{"driving school tagged school", tags("amenity", "school", "name", "Автошкола Жол"), ""},
		{"music school tagged school", tags("amenity", "school", "name:ru", "Детская музыкальная школа №2"), ""},
		{"sports school tagged school", tags("amenity", "school", "name", "ДЮСШ №1"), ""},
		{"gymnasium with languages stays a school", tags("amenity", "school", "name", "Гимназия с углублённым изучением языков"), "school"},
		{"sports-profile boarding school stays a school", tags("amenity", "school", "name", "Школа-интернат спортивного профиля"), "school"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := importer.FacilityKind(tt.tags)
			if ok != (tt.want != "") || got != tt.want {
				t.Errorf("FacilityKind(%v) = %q, %v; want %q", tt.tags, got, ok, tt.want)
			}
		})
	}
	for _, k := range importer.FacilityKinds {
		if !slices.Contains([]string{"school", "kindergarten", "hospital", "polyclinic", "clinic", "feldsher_post", "medical_post"}, k) {
			t.Errorf("FacilityKinds has %q, not a DESIGN.md kind", k)
		}
	}
}

func TestClassifyFacilityReasons(t *testing.T) {
	tests := []struct {
		name    string
		tags    map[string]string
		leftOut string
	}{
		{"physiotherapist", tags("amenity", "clinic", "healthcare", "physiotherapist"), importer.LeftOutNotPrimaryCare},
		{"dentistry speciality", tags("amenity", "doctors", "healthcare:speciality", "dentistry"), importer.LeftOutNotPrimaryCare},
		{"shop", tags("amenity", "school", "shop", "books"), importer.LeftOutSchoolShop},
		{"driving school", tags("amenity", "school", "name:kk", "Автомектеп"), importer.LeftOutSchoolByName},
		// Never candidates: nothing to count.
		{"dentist", tags("amenity", "dentist", "healthcare", "dentist"), ""},
		{"pharmacy", tags("amenity", "pharmacy", "healthcare", "pharmacy"), ""},
		{"school", tags("amenity", "school"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kind, leftOut := importer.ClassifyFacility(tt.tags)
			if leftOut != tt.leftOut || leftOut != "" && kind != "" {
				t.Errorf("ClassifyFacility(%v) = %q, %q; want left out as %q", tt.tags, kind, leftOut, tt.leftOut)
			}
		})
	}
}

func TestParseMaxspeed(t *testing.T) {
	tests := []struct {
		in   string
		want float64 // 0 = unparsable
	}{
		{"60", 60}, {" 90 ", 90}, {"60 km/h", 60}, {"60kmh", 60}, {"40 mph", 40 * 1.609344}, {"10 knots", 18.52},
		{"RU:urban", 60}, {"RU:rural", 90}, {"RU:motorway", 110}, {"ru:living_street", 20},
		{"KZ:urban", 60}, {"KZ:rural", 110}, {"KZ:motorway", 140},
		{"RU:zone30", 30}, {"60;90", 60}, {"walk", 5},
		{"none", 0}, {"signals", 0}, {"variable", 0}, {"", 0}, {"fast", 0}, {"0", 0}, {"60 furlongs", 0}, {"DE:urban", 0},
	}
	for _, tt := range tests {
		got, ok := importer.ParseMaxspeed(tt.in)
		if ok != (tt.want != 0) || math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("ParseMaxspeed(%q) = %v, %v; want %v", tt.in, got, ok, tt.want)
		}
	}
}

func TestSurfacePaved(t *testing.T) {
	tests := []struct {
		surface, class string
		paved, known   bool
	}{
		{"asphalt", "track", true, true},
		{"concrete:plates", "service", true, true},
		{"paving_stones", "residential", true, true},
		{"sett", "residential", true, true},
		{"chipseal", "tertiary", true, true},
		{"gravel", "primary", false, true},
		{"dirt", "track", false, true},
		{"compacted", "unclassified", false, true},
		{"fine_gravel", "service", false, true},
		{"ground", "track", false, true},
		{"", "primary", true, true},
		{"", "secondary_link", true, true},
		{"", "motorway", true, true},
		{"", "tertiary", true, true},
		{"", "tertiary_link", true, true},
		{"", "unclassified", false, true},
		{"", "track", false, true},
		{"", "residential", false, true},
		{"whatever", "residential", false, true},
		{"", "bridleway", false, false},
		{"gravel", "tertiary", false, true}, // a tagged surface wins over the class
		{"asphalt", "track", true, true},
		{"Asphalt;gravel", "track", true, true},
	}
	for _, tt := range tests {
		paved, known := importer.SurfacePaved(tt.surface, tt.class)
		if paved != tt.paved || known != tt.known {
			t.Errorf("SurfacePaved(%q, %q) = %v, %v; want %v, %v", tt.surface, tt.class, paved, known, tt.paved, tt.known)
		}
	}
}

func TestAssumedPaved(t *testing.T) {
	for _, c := range []string{"motorway", "trunk_link", "primary", "secondary", "tertiary", "tertiary_link"} {
		if p, ok := importer.AssumedPaved(c); !p || !ok {
			t.Errorf("AssumedPaved(%q) = %v, %v; want paved", c, p, ok)
		}
	}
	for _, c := range []string{"unclassified", "residential", "living_street", "service", "track", "road"} {
		if p, ok := importer.AssumedPaved(c); p || !ok {
			t.Errorf("AssumedPaved(%q) = %v, %v; want unpaved", c, p, ok)
		}
	}
	// Every default class has an assumption, so no OSM road is left without a
	// paved flag; a ferry is never paved, whatever its tags.
	if p, ok := importer.SurfacePaved("asphalt", route.FerryClass); p || !ok {
		t.Errorf("SurfacePaved(asphalt, ferry) = %v, %v; want unpaved", p, ok)
	}
	for _, c := range importer.DefaultRoadClasses {
		if c == route.FerryClass {
			continue
		}
		if _, ok := importer.AssumedPaved(c); !ok {
			t.Errorf("default road class %q has no surface assumption", c)
		}
	}
	if _, ok := importer.AssumedPaved("bridleway"); ok {
		t.Errorf("AssumedPaved(bridleway) is known")
	}
	if _, ok := importer.SurfaceTagged(""); ok {
		t.Errorf("SurfaceTagged(\"\") is known")
	}
}

func TestOSMOneway(t *testing.T) {
	tests := []struct {
		tags             map[string]string
		oneway, reversed bool
	}{
		{tags("highway", "residential"), false, false},
		{tags("highway", "residential", "oneway", "yes"), true, false},
		{tags("highway", "residential", "oneway", "1"), true, false},
		{tags("highway", "residential", "oneway", "true"), true, false},
		{tags("highway", "residential", "oneway", "-1"), true, true},
		{tags("highway", "motorway"), true, false},
		{tags("highway", "motorway_link"), true, false},
		{tags("highway", "motorway", "oneway", "no"), false, false},
		{tags("highway", "tertiary", "junction", "roundabout"), true, false},
		{tags("highway", "service", "oneway", "reversible"), false, false},
	}
	for _, tt := range tests {
		oneway, rev := importer.OSMOneway(tt.tags)
		if oneway != tt.oneway || rev != tt.reversed {
			t.Errorf("OSMOneway(%v) = %v, %v; want %v, %v", tt.tags, oneway, rev, tt.oneway, tt.reversed)
		}
	}
}

// TestImportOSMGrid imports a SYNTHETIC grid big enough for the node ids to
// span several chunks of the id set, and checks every road's geometry.
func TestImportOSMGrid(t *testing.T) {
	const g = 300
	pbf := gridPBF(t, g)
	s := postgistest.New(t)
	rep, err := importer.New(s, nil).OSM(context.Background(), pbf, importer.OSMOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ways := 2 * g * ((g - 1 + 8) / 9)
	if n := count(t, s, `SELECT count(*) FROM road`); n != int64(ways) {
		t.Errorf("roads = %d, want %d", n, ways)
	}
	// Row ways run east from (61 + c0·0.001, 41 + r·0.001), 0.001° a step.
	if n := count(t, s, `SELECT count(*) FROM road r, generate_series(1, ST_NPoints(r.geom)) AS i
		WHERE abs(ST_X(ST_PointN(r.geom, i)) - 61) > 0.3 OR abs(ST_Y(ST_PointN(r.geom, i)) - 41.15) > 0.151
		   OR abs(ST_X(ST_PointN(r.geom, i)) * 1000 - round(ST_X(ST_PointN(r.geom, i)) * 1000)) > 1e-6`); n != 0 {
		t.Errorf("%d road vertices off the grid", n)
	}
	if n := count(t, s, `SELECT count(*) FROM road WHERE ST_NPoints(geom) NOT IN (10, (299 % 9) + 1)`); n != 0 {
		t.Errorf("%d roads with a wrong number of vertices", n)
	}
	for _, w := range rep.Warnings {
		t.Log(w)
		if strings.HasPrefix(w, "summary:") && !strings.Contains(w, "(0 ways lacked some nodes") {
			t.Errorf("ways lost nodes: %s", w)
		}
	}
}

// BenchmarkImportOSM imports a SYNTHETIC extract — a grid of g×g road nodes
// (residential ways along every row and column) plus as many untagged
// building nodes in closed building ways that the import must skip, ways of
// 10 nodes as in real data — and
// reports the peak heap, to check that memory follows the kept nodes, not
// the file. AIMAQ_BENCH_GRID sets g (default 300).
func BenchmarkImportOSM(b *testing.B) {
	g := 300
	if v := os.Getenv("AIMAQ_BENCH_GRID"); v != "" {
		if _, err := fmt.Sscan(v, &g); err != nil {
			b.Fatal(err)
		}
	}
	pbf := gridPBF(b, g)
	st, err := os.Stat(pbf)
	if err != nil {
		b.Fatal(err)
	}
	s := postgistest.New(b)
	var progress io.Writer
	if os.Getenv("AIMAQ_BENCH_PROGRESS") != "" {
		progress = os.Stderr
	}
	im := importer.New(s, progress)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ResetTimer()
	for b.Loop() {
		rep, err := im.OSM(context.Background(), pbf, importer.OSMOptions{})
		if err != nil {
			b.Fatal(err)
		}
		for _, w := range rep.Warnings {
			if strings.HasPrefix(w, "memory:") {
				var heap, sys, live float64
				if _, err := fmt.Sscanf(w, "memory: peak heap in use %f MiB, peak from the OS %f MiB, peak live heap %f MiB", &heap, &sys, &live); err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(heap, "MiB-heap-peak")
				b.ReportMetric(live, "MiB-live-peak")
				b.Logf("%d road nodes, %d other nodes, %.1f MB PBF, heap in use before %.1f MiB: %s",
					g*g, g*g, float64(st.Size())/1e6, float64(ms.HeapInuse)/(1<<20), w)
			}
		}
	}
}

// gridPBF streams the benchmark's OSM XML to a file (building it in memory
// would distort the measurement) and converts it with osmium.
func gridPBF(tb testing.TB, g int) string {
	tb.Helper()
	dir := tb.TempDir()
	f, err := os.Create(filepath.Join(dir, "grid.osm"))
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintln(w, `<?xml version='1.0' encoding='UTF-8'?>`+"\n"+`<osm version="0.6" generator="aimaq benchmark">`)
	const meta = `version="1" timestamp="2024-01-01T00:00:00Z" changeset="1" uid="1" user="synthetic"`
	id := func(r, c int) int { return r*g + c + 1 }
	for r := range g {
		for c := range g {
			fmt.Fprintf(w, "<node id=\"%d\" %s lat=\"%.7f\" lon=\"%.7f\"/>\n", id(r, c), meta, 41+float64(r)*1e-3, 61+float64(c)*1e-3)
		}
	}
	buildings := g * g / 4 // 4 nodes a building: as many nodes as the grid
	first := g*g + 1
	for i := range buildings {
		lon, lat := 66+float64(i%1000)*1e-3, 41+float64(i/1000)*1e-3
		for k, d := range [][2]float64{{0, 0}, {5e-4, 0}, {5e-4, 5e-4}, {0, 5e-4}} {
			fmt.Fprintf(w, "<node id=\"%d\" %s lat=\"%.7f\" lon=\"%.7f\"/>\n", first+4*i+k, meta, lat+d[1], lon+d[0])
		}
	}
	// Ways of 10 nodes sharing their end nodes, about the OSM average.
	way := 0
	for r := range g {
		for dir := range 2 {
			for c0 := 0; c0+1 < g; c0 += 9 {
				way++
				fmt.Fprintf(w, "<way id=\"%d\" %s>", way, meta)
				for c := c0; c < min(c0+10, g); c++ {
					if dir == 0 {
						fmt.Fprintf(w, "<nd ref=\"%d\"/>", id(r, c))
					} else {
						fmt.Fprintf(w, "<nd ref=\"%d\"/>", id(c, r))
					}
				}
				fmt.Fprintln(w, `<tag k="highway" v="residential"/></way>`)
			}
		}
	}
	for i := range buildings {
		n := first + 4*i
		fmt.Fprintf(w, "<way id=\"%d\" %s><nd ref=\"%d\"/><nd ref=\"%d\"/><nd ref=\"%d\"/><nd ref=\"%d\"/><nd ref=\"%d\"/><tag k=\"building\" v=\"yes\"/></way>\n",
			way+i+1, meta, n, n+1, n+2, n+3, n)
	}
	fmt.Fprintln(w, "</osm>")
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	bin, err := exec.LookPath("osmium")
	if err != nil {
		tb.Skipf("osmium not installed: %v", err)
	}
	out := filepath.Join(dir, "grid.osm.pbf")
	if b, err := exec.Command(bin, "cat", "--overwrite", f.Name(), "-o", out).CombinedOutput(); err != nil {
		tb.Fatalf("osmium cat: %v\n%s", err, b)
	}
	return out
}

// readAsMeant is the SYNTHETIC town plus the cases of issue 8: roads closed
// to cars, speciality practices tagged as clinics, a shop tagged as a school
// and a driving school.
func readAsMeant() osmXML {
	x := town()
	n := func(id int64, lon, lat float64, kv ...string) osmNode {
		return osmNode{id: id, lon: lon, lat: lat, tags: tags(kv...)}
	}
	w := func(id int64, nodes []int64, kv ...string) osmWay {
		return osmWay{id: id, nodes: nodes, tags: tags(kv...)}
	}
	x.nodes = append(x.nodes,
		n(1301, 62.031, 47.031, "amenity", "clinic", "healthcare", "physiotherapist", "name", "Физиотерапия"),
		n(1302, 62.032, 47.032, "amenity", "doctors", "healthcare", "chiropractor"),
		n(1303, 62.033, 47.033, "healthcare", "centre", "healthcare:speciality", "radiology", "name", "Диагностический центр"),
		n(1304, 62.034, 47.034, "amenity", "clinic", "healthcare:speciality", "general;radiology", "name", "Клиника"),
		n(1305, 62.035, 47.035, "amenity", "school", "shop", "stationery", "name", "Канцтовары"),
		n(1306, 62.036, 47.036, "amenity", "school", "name", "Автошкола Жол"),
		n(1307, 62.037, 47.037, "amenity", "school", "name", "Гимназия с углублённым изучением языков"),
	)
	x.ways = append(x.ways,
		w(501, []int64{1001, 1009}, "highway", "service", "access", "private"),
		w(502, []int64{1002, 1010}, "highway", "residential", "access", "no"),
		w(503, []int64{1003, 1011}, "highway", "track", "motor_vehicle", "no"),
		w(504, []int64{1004, 1006}, "highway", "unclassified", "vehicle", "private"),
		// Open to cars: a more specific key reopens, destination is open.
		w(505, []int64{1005, 1006}, "highway", "unclassified", "access", "no", "motor_vehicle", "yes"),
		w(506, []int64{1005, 1007}, "highway", "tertiary", "access", "destination"),
		// Closed, but not a kept class: not counted.
		w(507, []int64{1001, 1011}, "highway", "footway", "access", "private"),
	)
	return x
}

// TestImportOSMReadAsMeant fails on the importer before issue 8: private
// roads were routed, speciality practices and a shop were facilities, and
// untagged tertiary and track roads had no paved flag.
func TestImportOSMReadAsMeant(t *testing.T) {
	s, im, _ := importedFixture(t)
	ctx := context.Background()
	rep, err := im.OSM(ctx, osmium(t, t.TempDir(), "meant.osm.pbf", readAsMeant()), importer.OSMOptions{})
	if err != nil {
		t.Fatal(err)
	}
	roads := roadsBySourceID(t, s)
	for _, id := range []string{"way/501", "way/502", "way/503", "way/504", "way/507"} {
		if _, ok := roads[id]; ok {
			t.Errorf("%s (closed to cars) imported", id)
		}
	}
	for _, id := range []string{"way/505", "way/506"} {
		if _, ok := roads[id]; !ok {
			t.Errorf("%s (open to cars) missing", id)
		}
	}
	if r := roads["way/506"]; r.paved == nil || !*r.paved || !r.assumed {
		t.Errorf("untagged tertiary way/506 paved %s assumed %v; want assumed paved", show(r.paved), r.assumed)
	}
	if r := roads["way/505"]; r.paved == nil || *r.paved || !r.assumed {
		t.Errorf("untagged unclassified way/505 paved %s assumed %v; want assumed unpaved", show(r.paved), r.assumed)
	}
	if r := roads["way/202"]; r.assumed {
		t.Errorf("way/202 with surface=gravel marked assumed")
	}
	if n := count(t, s, `SELECT count(*) FROM road WHERE source = 'osm' AND paved IS NULL`); n != 0 {
		t.Errorf("%d OSM roads without a paved flag", n)
	}

	kinds := map[string]string{}
	eachRow(t, s, `SELECT source_id, kind FROM facility WHERE source = 'osm'`, func(rows pgx.Rows) error {
		var id, kind string
		if err := rows.Scan(&id, &kind); err != nil {
			return err
		}
		kinds[id] = kind
		return nil
	})
	for _, id := range []string{"node/1301", "node/1302", "node/1303", "node/1305", "node/1306"} {
		if k, ok := kinds[id]; ok {
			t.Errorf("%s imported as %s, want left out", id, k)
		}
	}
	if kinds["node/1304"] != "clinic" || kinds["node/1307"] != "school" {
		t.Errorf("node/1304 = %q, node/1307 = %q; want clinic and school", kinds["node/1304"], kinds["node/1307"])
	}

	wantCounts := map[string]int{
		"left_out_private_or_no_access_roads":                   4,
		"left_out_facilities_" + importer.LeftOutNotPrimaryCare: 3,
		"left_out_facilities_" + importer.LeftOutSchoolShop:     1,
		"left_out_facilities_" + importer.LeftOutSchoolByName:   1,
		// 201, 204, 205, 208, 505, 506 have no surface tag.
		"roads_surface_not_tagged_assumed_paved":   4,
		"roads_surface_not_tagged_assumed_unpaved": 2,
	}
	for k, want := range wantCounts {
		if got := rep.Counts[k]; got != want {
			t.Errorf("report %s = %d, want %d (counts %v)", k, got, want, rep.Counts)
		}
	}
}

// TestImportOSMRoadClassesNarrower: road classes that would delete roads
// already imported are refused unless ReplaceRoads says so.
func TestImportOSMRoadClassesNarrower(t *testing.T) {
	s, im, _ := importedFixture(t)
	ctx := context.Background()
	pbf := osmium(t, t.TempDir(), "town.osm.pbf", town())
	if _, err := im.OSM(ctx, pbf, importer.OSMOptions{}); err != nil {
		t.Fatal(err)
	}
	before := osmSnapshot(t, s)
	_, err := im.OSM(ctx, pbf, importer.OSMOptions{RoadClasses: []string{"motorway"}})
	checkBad(t, err, []string{"town.osm.pbf", "--replace-roads", "delete 6", "1 primary", "2 residential"})
	if after := osmSnapshot(t, s); after != before {
		t.Errorf("refused import changed the data:\nbefore %s\nafter  %s", before, after)
	}
	// A wider set, or the same, is no replacement.
	if _, err := im.OSM(ctx, pbf, importer.OSMOptions{RoadClasses: append(slices.Clone(importer.DefaultRoadClasses), "path")}); err != nil {
		t.Errorf("wider classes refused: %v", err)
	}
	rep, err := im.OSM(ctx, pbf, importer.OSMOptions{RoadClasses: []string{"motorway"}, ReplaceRoads: true})
	if err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `SELECT count(*) FROM road WHERE source = 'osm'`); n != 1 || rep.Counts["roads"] != 1 {
		t.Errorf("roads after --replace-roads motorway = %d (report %d), want 1", n, rep.Counts["roads"])
	}
}

// asMeantRest is a SYNTHETIC extract for the rest of issue 8.7 around
// (62.2°E, 47.2°N), inside newFixture's country: a motorway bridge over a
// street, a street tagged 25 mph beside an untagged one, a tertiary road tagged
// 20, a ferry, a hospital campus mapped as six objects, schools mapped as
// multipolygon relations, and places with impossible populations.
func asMeantRest() osmXML {
	n := func(id int64, lon, lat float64, kv ...string) osmNode {
		return osmNode{id: id, lon: lon, lat: lat, tags: tags(kv...)}
	}
	w := func(id int64, nodes []int64, kv ...string) osmWay {
		return osmWay{id: id, nodes: nodes, tags: tags(kv...)}
	}
	const x, y = 62.2, 47.2
	return osmXML{
		nodes: []osmNode{
			// The street W–C–E and the bridge S–C'–N over it: C and C' share a coordinate.
			n(1, x-0.01, y), n(2, x, y), n(3, x+0.01, y),
			n(4, x, y-0.01), n(5, x, y), n(6, x, y+0.01), n(7, x+0.01, y+0.01),
			// Speeds: three parallel streets.
			n(11, x, y+0.05), n(12, x+0.01, y+0.05), n(13, x, y+0.06), n(14, x+0.01, y+0.06), n(15, x, y+0.07), n(16, x+0.01, y+0.07),
			// The ferry, from the street's east end across a lake.
			n(21, x+0.05, y),
			// The campus: grounds 31–34 (about 220 × 150 m) with three buildings and a node inside.
			n(31, x+0.100, y+0.100), n(32, x+0.103, y+0.100), n(33, x+0.103, y+0.102), n(34, x+0.100, y+0.102),
			n(35, x+0.1005, y+0.1005), n(36, x+0.1010, y+0.1005), n(37, x+0.1010, y+0.1010), n(38, x+0.1005, y+0.1010),
			n(39, x+0.1015, y+0.1005), n(40, x+0.1020, y+0.1005), n(41, x+0.1020, y+0.1010), n(42, x+0.1015, y+0.1010),
			n(43, x+0.1022, y+0.1012), n(44, x+0.1027, y+0.1012), n(45, x+0.1027, y+0.1017), n(46, x+0.1022, y+0.1017),
			n(47, x+0.1012, y+0.1015, "amenity", "hospital"),
			// Across the street, 70 m from the grounds, the same hospital's entrance node.
			n(48, x+0.1040, y+0.1010, "amenity", "hospital", "name", "Областная  больница"),
			// 2 km away, a hospital of the same name: another site.
			n(49, x+0.125, y+0.100, "amenity", "hospital", "name", "Областная больница"),
			// A polyclinic on the campus: another kind, another facility.
			n(50, x+0.1012, y+0.1005, "amenity", "clinic", "name", "Поликлиника №2"),
			// A school mapped as a multipolygon of two open outer ways, 61–64, drawn
			// in opposite directions, and an unnamed school node inside it.
			n(61, x+0.200, y+0.200), n(62, x+0.202, y+0.200), n(63, x+0.202, y+0.202), n(64, x+0.200, y+0.202),
			n(65, x+0.2015, y+0.2012, "amenity", "school"),
			// A kindergarten multipolygon with one closed outer way, 71–74, and a relation of another type.
			n(71, x+0.210, y+0.200), n(72, x+0.212, y+0.200), n(73, x+0.212, y+0.204), n(74, x+0.210, y+0.204),
			// Places with populations that cannot be facts.
			n(81, x+0.3, y+0.3, "place", "village", "name", "Minus", "population", "-5"),
			n(82, x+0.31, y+0.3, "place", "village", "name", "Huge", "population", "1e30"),
		},
		ways: []osmWay{
			w(101, []int64{1, 2, 3}, "highway", "residential"),
			w(102, []int64{4, 5, 6}, "highway", "motorway", "bridge", "yes", "layer", "1", "oneway", "no"),
			w(103, []int64{6, 7, 3}, "highway", "motorway_link", "oneway", "no"),
			w(111, []int64{11, 12}, "highway", "residential", "maxspeed", "25 mph"),
			w(112, []int64{13, 14}, "highway", "residential"),
			w(113, []int64{15, 16}, "highway", "tertiary", "maxspeed", "20"),
			w(121, []int64{3, 21}, "route", "ferry", "name", "Паром", "surface", "asphalt"),
			w(131, []int64{31, 32, 33, 34, 31}, "amenity", "hospital", "name", "Областная больница", "capacity", "300"),
			w(132, []int64{35, 36, 37, 38, 35}, "building", "hospital", "amenity", "hospital", "name", "Хирургический корпус"),
			w(133, []int64{39, 40, 41, 42, 39}, "building", "yes", "amenity", "hospital"),
			w(134, []int64{43, 44, 45, 46, 43}, "building", "yes", "amenity", "hospital", "name", "Областная больница"),
			w(141, []int64{61, 62, 63}),
			w(142, []int64{61, 64, 63}),
			w(143, []int64{71, 72, 73, 74, 71}, "building", "yes"),
		},
		rels: []osmWay{
			w(601, []int64{141, 142}, "type", "multipolygon", "amenity", "school", "name", "Мектеп-гимназия №7"),
			w(602, []int64{143}, "type", "multipolygon", "amenity", "kindergarten", "name", "Балабақша"),
			w(603, []int64{141}, "type", "site", "amenity", "school", "name", "Школьный комплекс"),
		},
	}
}

// TestImportOSMAsMeantRest fails on the importer before issue 8.7's rest:
// roads were joined by coordinate (the bridge had an exit onto the street), a
// tagged maxspeed was the travel speed, ferries were not imported, the campus
// counted as six hospitals, multipolygon schools were skipped and impossible
// populations were "not a number".
func TestImportOSMAsMeantRest(t *testing.T) {
	s, im, _ := importedFixture(t)
	ctx := context.Background()
	rep, err := im.OSM(ctx, osmium(t, t.TempDir(), "rest.osm.pbf", asMeantRest()), importer.OSMOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range rep.Warnings {
		t.Logf("warning: %s", w)
	}
	_, roads, err := s.NearbyInput(ctx)
	if err != nil {
		t.Fatal(err)
	}
	bySource := roadsBySourceID(t, s)
	if len(roads) != len(bySource) {
		t.Fatalf("NearbyInput gave %d roads, the table holds %d", len(roads), len(bySource))
	}
	sp := route.DefaultSpeeds()

	t.Run("a bridge has no exit onto the street below", func(t *testing.T) {
		W, S := orb.Point{62.19, 47.2}, orb.Point{62.2, 47.19}
		costSW := func(roads []route.Road) float64 {
			g, err := route.Build(roads, sp)
			if err != nil {
				t.Fatal(err)
			}
			sn := g.NewSnapper()
			w, ok := sn.Snap(W, 10)
			if !ok {
				t.Fatal("no road at W")
			}
			from, ok := sn.Snap(S, 10)
			if !ok {
				t.Fatal("no road at S")
			}
			f := g.MultiSource([]route.Source{{Snap: w}}, route.ByLength, sp)
			return f.At(g, from, sp).Metres
		}
		byNode := costSW(roads)
		flat := slices.Clone(roads)
		for i := range flat {
			if flat[i].Nodes == nil {
				t.Errorf("road %d has no node ids", flat[i].ID)
			}
			flat[i].Nodes = nil
		}
		byCoord := costSW(flat)
		// Round by the link: S→N (2.2 km), N→(7)→3 (about 1.9 km), 3→W (1.5 km);
		// straight down the bridge's false exit it is S→C→W, about 1.9 km.
		if !(byNode > 4000) || !(byCoord < 2000) {
			t.Errorf("S to W: %.0f m by node id, %.0f m by coordinate; want round by the link (> 4 km) and, by coordinate, the false exit (< 2 km)", byNode, byCoord)
		}
	})

	t.Run("one speed model", func(t *testing.T) {
		secsPerKm := func(id string) float64 {
			for _, r := range roads {
				if r.Line[0] == (orb.Point{bySource[id].x0, bySource[id].y0}) {
					g, err := route.Build([]route.Road{r}, sp)
					if err != nil {
						t.Fatal(err)
					}
					var secs, metres float32
					g.EdgeList(func(_, _ uint32, s, m float32) { secs, metres = s, m })
					return float64(secs) / float64(metres) * 1000
				}
			}
			t.Fatalf("%s not read", id)
			return 0
		}
		tagged, untagged, tertiary := secsPerKm("way/111"), secsPerKm("way/112"), secsPerKm("way/113")
		if math.Abs(tagged-untagged) > 1e-3 {
			t.Errorf("residential tagged 25 mph: %.1f s/km, untagged neighbour %.1f s/km; want the same", tagged, untagged)
		}
		if math.Abs(tertiary-180) > 1e-2 {
			t.Errorf("tertiary tagged 20: %.1f s/km; want 180 (20 km/h, slower than the untagged 60)", tertiary)
		}
	})

	t.Run("ferry", func(t *testing.T) {
		f, ok := bySource["way/121"]
		if !ok {
			t.Fatal("the ferry way/121 was not imported")
		}
		if f.class != route.FerryClass || f.paved == nil || *f.paved || f.assumed {
			t.Errorf("ferry = class %s paved %s assumed %v; want ferry, unpaved, not assumed", f.class, show(f.paved), f.assumed)
		}
		if rep.Counts["ferries"] != 1 {
			t.Errorf("report ferries = %d, want 1", rep.Counts["ferries"])
		}
		// It joins the street at node 3 and crosses at 10 km/h.
		for _, r := range roads {
			if r.Class == route.FerryClass && (r.Nodes[0] != 3 || r.Paved) {
				t.Errorf("ferry nodes %v paved %v", r.Nodes, r.Paved)
			}
		}
	})

	t.Run("facilities", func(t *testing.T) {
		type fac struct {
			kind, name string
			capacity   *int32
			x, y       float64
		}
		facs := map[string]fac{}
		eachRow(t, s, `SELECT source_id, kind, coalesce(name, ''), capacity, ST_X(geom), ST_Y(geom) FROM facility WHERE source = 'osm'`, func(rows pgx.Rows) error {
			var id string
			var f fac
			if err := rows.Scan(&id, &f.kind, &f.name, &f.capacity, &f.x, &f.y); err != nil {
				return err
			}
			facs[id] = f
			return nil
		})
		want := map[string]fac{
			// The campus grounds keep the site: six objects, one hospital.
			"way/131":      {kind: "hospital", name: "Областная больница", capacity: ptr(int32(300)), x: 62.3015, y: 47.301},
			"node/49":      {kind: "hospital", name: "Областная больница", x: 62.325, y: 47.3},
			"node/50":      {kind: "polyclinic", name: "Поликлиника №2", x: 62.3012, y: 47.3005},
			"relation/601": {kind: "school", name: "Мектеп-гимназия №7", x: 62.401, y: 47.401},
			"relation/602": {kind: "kindergarten", name: "Балабақша", x: 62.411, y: 47.402},
		}
		for id, w := range want {
			g, ok := facs[id]
			if !ok {
				t.Errorf("%s missing", id)
				continue
			}
			if g.kind != w.kind || g.name != w.name || !eqPtr(g.capacity, w.capacity) || math.Abs(g.x-w.x) > 1e-7 || math.Abs(g.y-w.y) > 1e-7 {
				t.Errorf("%s = %s %q capacity %s at (%v,%v); want %s %q capacity %s at (%v,%v)",
					id, g.kind, g.name, show(g.capacity), g.x, g.y, w.kind, w.name, show(w.capacity), w.x, w.y)
			}
		}
		if len(facs) != len(want) {
			t.Errorf("facilities %v; want only %d", facs, len(want))
		}
		for k, v := range map[string]int{"facilities_found": 11, "facilities_merged_same_site": 6, "facility_multipolygons": 2, "facility_relations_skipped": 1} {
			if rep.Counts[k] != v {
				t.Errorf("report %s = %d, want %d", k, rep.Counts[k], v)
			}
		}
	})

	t.Run("impossible populations say what is wrong", func(t *testing.T) {
		for _, want := range []string{`node 81: field population: "-5" is negative`, `node 82: field population: "1e30" is too large`} {
			if !slices.ContainsFunc(rep.Warnings, func(w string) bool { return strings.Contains(w, want) }) {
				t.Errorf("no warning %q in %q", want, rep.Warnings)
			}
		}
	})
}

// TestImportOSMAndorra imports the real Andorra extract (../shared/data/osm,
// OpenStreetMap data, ODbL) and logs the figures of issue 8.7: roads, ferries,
// facilities by kind before and after merging sites, places, and how the road
// graph changes from coordinate topology to node-id topology. It checks only
// what must hold on any real extract.
func TestImportOSMAndorra(t *testing.T) {
	pbf := filepath.Join(testenv.DataDir(t), "..", "osm", "andorra.osm.pbf")
	if _, err := os.Stat(pbf); err != nil {
		testenv.Missing(t, "real OSM extract not found: %v", err)
	}
	s := postgistest.New(t)
	ctx := context.Background()
	rep, err := importer.New(s, nil).OSM(ctx, pbf, importer.OSMOptions{})
	if err != nil {
		t.Fatal(err)
	}
	keys := make([]string, 0, len(rep.Counts))
	for k := range rep.Counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("%s = %d", k, rep.Counts[k])
	}
	for _, w := range rep.Warnings {
		t.Logf("warning: %s", w)
	}
	eachRow(t, s, `SELECT kind, count(*) FROM facility GROUP BY kind ORDER BY kind`, func(rows pgx.Rows) error {
		var kind string
		var n int
		if err := rows.Scan(&kind, &n); err != nil {
			return err
		}
		t.Logf("facilities %s: %d after merging sites, %d before", kind, n, n+rep.Counts["facilities_merged_same_site_"+kind])
		return nil
	})
	if n := count(t, s, `SELECT count(*) FROM road WHERE node_ids IS NULL OR cardinality(node_ids) <> ST_NPoints(geom)`); n != 0 {
		t.Errorf("%d roads without a node id per vertex", n)
	}
	_, roads, err := s.NearbyInput(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Coordinates where vertices of distinct nodes meet: joined by coordinate, apart by node id.
	ids := map[orb.Point]map[int64]bool{}
	for _, r := range roads {
		for j, p := range r.Line {
			if ids[p] == nil {
				ids[p] = map[int64]bool{}
			}
			ids[p][r.Nodes[j]] = true
		}
	}
	shared := 0
	for _, m := range ids {
		if len(m) > 1 {
			shared++
		}
	}
	byNode, err := route.Build(roads, route.DefaultSpeeds())
	if err != nil {
		t.Fatal(err)
	}
	flat := slices.Clone(roads)
	for i := range flat {
		flat[i].Nodes = nil
	}
	byCoord, err := route.Build(flat, route.DefaultSpeeds())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("roads %d; coordinates shared by distinct OSM nodes %d; graph by coordinate %d nodes %d links, by node id %d nodes %d links",
		len(roads), shared, byCoord.Nodes(), byCoord.Links(), byNode.Nodes(), byNode.Links())
	if byNode.Nodes() < byCoord.Nodes() {
		t.Errorf("node-id topology has fewer nodes (%d) than coordinate topology (%d): it can only split junctions", byNode.Nodes(), byCoord.Nodes())
	}
}

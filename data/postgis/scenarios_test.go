package postgis_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/aimaq/aimaq/data/postgis"
	"github.com/aimaq/aimaq/data/postgis/postgistest"
	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/scenario"
	"github.com/aimaq/aimaq/internal/errs"
)

// seedScenarioPlaces loads a SYNTHETIC country for scenario tests: one
// oblast (110000000) of two districts, Ақсу ауданы (111000000, lon 70–71.5)
// and Жаңаарқа ауданы (112000000, lon 71.5–73); the villages Қарабұлақ and
// two called Жаңаауыл in the first, Көктерек in the second; a clinic
// (facility 1) and a school (facility 2); roads from OSM ways 1001 and 1002.
func seedScenarioPlaces(t *testing.T, s *postgis.Store) {
	t.Helper()
	ctx := context.Background()
	box := func(w, e string) string {
		g := "ST_Multi(ST_MakeEnvelope(" + w + ", 49, " + e + ", 52, 4326))"
		return g + ", ST_Transform(" + g + ", 3857)"
	}
	for _, sql := range []string{
		`INSERT INTO area (level, code, name_en, geom, geom_3857) VALUES ('country', 'KZ', 'Synthetic country', ` + box("70", "73") + `)`,
		`INSERT INTO area (level, code, name_en, geom, geom_3857) VALUES ('oblast', '110000000', 'Synthetic oblast', ` + box("70", "73") + `)`,
		`INSERT INTO area (level, code, name_kk, name_ru, name_en, parent_id, geom, geom_3857) SELECT 'district', '111000000', 'Ақсу ауданы', 'Аксуский район', 'Synthetic Aksu', id, ` + box("70", "71.5") + ` FROM area WHERE code = '110000000'`,
		`INSERT INTO area (level, code, name_kk, name_ru, name_en, parent_id, geom, geom_3857) SELECT 'district', '112000000', 'Жаңаарқа ауданы', 'Жанааркинский район', 'Synthetic Zhanaarka', id, ` + box("71.5", "73") + ` FROM area WHERE code = '110000000'`,
		`INSERT INTO settlement (source, source_id, name, name_kk, place, population, district_id, oblast_id, geom, geom_3857)
		 SELECT 'synthetic', v.sid, v.name, v.name, 'village', 800, d.id, d.parent_id, ST_SetSRID(ST_MakePoint(v.x, v.y), 4326), ST_Transform(ST_SetSRID(ST_MakePoint(v.x, v.y), 4326), 3857)
		 FROM (VALUES ('s1', 'Қарабұлақ', 71.0, 50.0, '111000000'), ('s2', 'Жаңаауыл', 70.5, 50.5, '111000000'),
		              ('s3', 'Жаңаауыл', 70.6, 50.6, '111000000'), ('s4', 'Көктерек', 72.0, 50.5, '112000000')) v(sid, name, x, y, code)
		 JOIN area d ON d.level = 'district' AND d.code = v.code`,
		`INSERT INTO facility (kind, name, source, source_id, geom) VALUES
		 ('clinic', 'Synthetic ambulatory', 'synthetic', 'f1', ST_SetSRID(ST_MakePoint(70.8, 50.1), 4326)),
		 ('school', 'Synthetic school', 'synthetic', 'f2', ST_SetSRID(ST_MakePoint(70.9, 50.2), 4326))`,
		`INSERT INTO road (class, paved, source_id, geom) VALUES
		 ('track', false, 'way/1001', ST_GeomFromText('LINESTRING(71 50, 71.1 50.1, 71.2 50.1)', 4326)),
		 ('unclassified', false, 'way/1002', ST_GeomFromText('LINESTRING(71.2 50.1, 71.3 50.2)', 4326))`,
	} {
		if _, err := postgistest.Pool(s).Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
}

// mustToken creates a token and returns the Write that names it.
func mustToken(t *testing.T, s *postgis.Store, name string) scenario.Write {
	t.Helper()
	if _, err := s.CreateToken(context.Background(), name); err != nil {
		t.Fatal(err)
	}
	return scenario.Write{Token: name, Method: "POST", Path: "/test"}
}

func count(t *testing.T, s *postgis.Store, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := postgistest.Pool(s).QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// Tokens: shown once with a prefix, stored as a hash only, listed without
// it, refused when duplicate, unknown or revoked.
func TestTokens(t *testing.T) {
	s := postgistest.New(t)
	ctx := context.Background()
	tok, err := s.CreateToken(ctx, "planner-1")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(tok, postgis.TokenPrefix) || len(tok) != len(postgis.TokenPrefix)+43 {
		t.Errorf("token %q: want %s and 43 characters of URL-safe base64 (32 bytes)", tok, postgis.TokenPrefix)
	}
	tok2, err := s.CreateToken(ctx, "planner-2")
	if err != nil || tok2 == tok {
		t.Fatalf("second token %q, %v: want a different one", tok2, err)
	}
	if n := count(t, s, `SELECT count(*) FROM api_token WHERE position($1::bytea in hash) > 0 OR name = $2`, []byte(tok), tok); n != 0 {
		t.Errorf("the token itself is stored")
	}
	if _, err := s.CreateToken(ctx, "planner-1"); errs.KindOf(err) != errs.Invalid || !strings.Contains(errs.Message(err), "exists already") {
		t.Errorf("duplicate name: %v; want Invalid naming it", err)
	}
	if _, err := s.CreateToken(ctx, "bad name!"); errs.KindOf(err) != errs.Invalid {
		t.Errorf("bad name: %v; want Invalid", err)
	}
	name, ok, err := s.Authenticate(ctx, tok)
	if err != nil || !ok || name != "planner-1" {
		t.Errorf("Authenticate(token) = %q, %v, %v; want planner-1", name, ok, err)
	}
	for _, bad := range []string{"", "aimaq_", tok + "x", strings.TrimPrefix(tok, postgis.TokenPrefix)} {
		if _, ok, err := s.Authenticate(ctx, bad); ok || err != nil {
			t.Errorf("Authenticate(%q) = %v, %v; want refused", bad, ok, err)
		}
	}
	if err := s.RevokeToken(ctx, "planner-1"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.Authenticate(ctx, tok); ok {
		t.Error("a revoked token still authenticates")
	}
	if err := s.RevokeToken(ctx, "planner-1"); errs.KindOf(err) != errs.Invalid || !strings.Contains(errs.Message(err), "revoked already") {
		t.Errorf("revoke twice: %v; want Invalid", err)
	}
	if err := s.RevokeToken(ctx, "nobody"); errs.KindOf(err) != errs.NotFound {
		t.Errorf("revoke unknown: %v; want NotFound", err)
	}
	ts, err := s.Tokens(ctx)
	if err != nil || len(ts) != 2 || ts[0].Name != "planner-1" || ts[0].RevokedAt == nil || ts[1].RevokedAt != nil {
		t.Errorf("Tokens = %+v, %v; want planner-1 revoked, planner-2 live", ts, err)
	}
}

// Every write is recorded with its token in the write's own transaction; a
// token revoked before the write commits writes nothing.
func TestScenarioWritesAreLogged(t *testing.T) {
	s := postgistest.New(t)
	ctx := context.Background()
	w := mustToken(t, s, "akimat")
	m, err := s.CreateScenario(ctx, w, "Школы 2026", "SYNTHETIC test scenario")
	if err != nil {
		t.Fatal(err)
	}
	if m.CreatedBy != "akimat" || m.Name != "Школы 2026" || m.Projects != 0 {
		t.Errorf("created %+v", m)
	}
	if _, err := s.CreateScenario(ctx, w, "Школы 2026", ""); errs.KindOf(err) != errs.Invalid || !strings.HasPrefix(errs.Message(err), "name:") {
		t.Errorf("duplicate name: %v; want Invalid naming the field", err)
	}
	if _, err := s.CreateScenario(ctx, w, "  ", ""); errs.KindOf(err) != errs.Invalid || !strings.HasPrefix(errs.Message(err), "name:") {
		t.Errorf("empty name: %v", err)
	}
	desc := "changed"
	if m2, err := s.UpdateScenario(ctx, w, m.ID, nil, &desc); err != nil || m2.Description != "changed" || m2.Name != m.Name {
		t.Errorf("update: %+v, %v", m2, err)
	}
	if _, err := s.UpdateScenario(ctx, w, m.ID+100, nil, &desc); errs.KindOf(err) != errs.NotFound {
		t.Errorf("update missing: %v; want NotFound", err)
	}
	// The token is revoked between the check at the door and the write.
	if err := s.RevokeToken(ctx, "akimat"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateScenario(ctx, w, "После отзыва", ""); errs.KindOf(err) != errs.Unauthorized {
		t.Errorf("a token revoked mid-request: %v; want Unauthorized (HTTP 401)", err)
	}
	if n := count(t, s, `SELECT count(*) FROM scenario`); n != 1 {
		t.Errorf("%d scenarios; want 1 (nothing written by the revoked token)", n)
	}
	log, err := s.ScenarioLog(ctx, m.ID)
	if err != nil || len(log) != 2 {
		t.Fatalf("log %+v, %v; want create and update", log, err)
	}
	if log[0].Token != "akimat" || !strings.Contains(string(log[0].Summary), `"create_scenario"`) || !strings.Contains(string(log[1].Summary), `"update_scenario"`) {
		t.Errorf("log %+v", log)
	}
	w2 := mustToken(t, s, "akimat-2")
	if err := s.DeleteScenario(ctx, w2, m.ID); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `SELECT count(*) FROM write_log WHERE scenario_id = $1 AND token_name = 'akimat-2'`, m.ID); n != 1 {
		t.Errorf("the deletion was logged %d times; want once, kept after the scenario went", n)
	}
	if _, err := s.Scenario(ctx, m.ID); errs.KindOf(err) != errs.NotFound {
		t.Errorf("deleted scenario: %v; want NotFound", err)
	}
}

// The table itself refuses a project with fields its kind does not take or
// without those it needs, whatever the Go checks let through.
func TestProjectKindConstraints(t *testing.T) {
	s := postgistest.New(t)
	ctx := context.Background()
	w := mustToken(t, s, "t")
	m, err := s.CreateScenario(ctx, w, "c", "")
	if err != nil {
		t.Fatal(err)
	}
	pt, line := `ST_SetSRID(ST_MakePoint(71, 50), 4326)`, `ST_GeomFromText('LINESTRING(71 50, 72 50)', 4326)`
	for _, c := range []struct{ name, cols, vals string }{
		{"open without point", "kind, facility_kind", "'open_facility', 'school'"},
		{"open school with a health level", "kind, facility_kind, health_level, geom", "'open_facility', 'school', 1, " + pt},
		{"open clinic without its level", "kind, facility_kind, geom", "'open_facility', 'clinic', " + pt},
		{"open clinic with another level", "kind, facility_kind, health_level, geom", "'open_facility', 'clinic', 5, " + pt},
		{"open an unknown kind", "kind, facility_kind, geom", "'open_facility', 'stadium', " + pt},
		{"open with a line", "kind, facility_kind, geom", "'open_facility', 'school', " + line},
		{"close without facility", "kind", "'close_facility'"},
		{"close with a point", "kind, facility_id, geom", "'close_facility', 1, " + pt},
		{"downgrade without level", "kind, facility_id", "'downgrade_facility', 1"},
		{"pave with ways and a line", "kind, road_ways, geom", "'pave_road', '{1}', " + line},
		{"pave with nothing", "kind", "'pave_road'"},
		{"pave with a class", "kind, road_ways, road_class", "'pave_road', '{1}', 'track'"},
		{"build without class", "kind, geom", "'build_road', " + line},
		{"build with a point", "kind, road_class, geom", "'build_road', 'track', " + pt},
		{"unknown kind", "kind", "'move_mountain'"},
		{"unknown status", "kind, facility_id, status", "'close_facility', 1, 'dreamt'"},
		{"negative cost", "kind, facility_id, cost_kzt", "'close_facility', 1, -1"},
	} {
		_, err := postgistest.Pool(s).Exec(ctx, `INSERT INTO project (scenario_id, `+c.cols+`) VALUES ($1, `+c.vals+`)`, m.ID)
		if err == nil || !strings.Contains(err.Error(), "check constraint") {
			t.Errorf("%s: %v; want a check constraint violation", c.name, err)
		}
	}
	for _, c := range []struct{ name, cols, vals string }{
		{"open clinic", "kind, facility_kind, health_level, geom", "'open_facility', 'clinic', 3, " + pt},
		{"close", "kind, facility_id", "'close_facility', 1"},
		{"downgrade", "kind, facility_id, facility_kind, health_level", "'downgrade_facility', 1, 'medical_post', 1"},
		{"pave ways", "kind, road_ways", "'pave_road', '{1,2}'"},
		{"pave line", "kind, geom", "'pave_road', " + line},
		{"build", "kind, road_class, geom", "'build_road', 'tertiary', " + line},
	} {
		if _, err := postgistest.Pool(s).Exec(ctx, `INSERT INTO project (scenario_id, `+c.cols+`) VALUES ($1, `+c.vals+`)`, m.ID); err != nil {
			t.Errorf("%s: %v; want accepted", c.name, err)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// Projects from JSON: each wrong one is refused with the index and the
// field, and nothing of the batch is written.
func TestAddProjectsNamesTheField(t *testing.T) {
	s := postgistest.New(t)
	seedScenarioPlaces(t, s)
	ctx := context.Background()
	w := mustToken(t, s, "t")
	m, err := s.CreateScenario(ctx, w, "SYNTHETIC batch", "")
	if err != nil {
		t.Fatal(err)
	}
	good := scenario.Draft{Kind: "open_facility", FacilityKind: "school", Lon: ptr(71.0), Lat: ptr(50.2), Name: "SYNTHETIC school"}
	for _, c := range []struct {
		name  string
		bad   scenario.Draft
		field string
	}{
		{"no kind", scenario.Draft{}, "projects[1].kind"},
		{"unknown kind", scenario.Draft{Kind: "demolish"}, "projects[1].kind"},
		{"unknown facility kind", scenario.Draft{Kind: "open_facility", FacilityKind: "stadium", Lon: ptr(71.0), Lat: ptr(50.0)}, "projects[1].facility_kind"},
		{"level of a school", scenario.Draft{Kind: "open_facility", FacilityKind: "school", HealthLevel: ptr(2), Lon: ptr(71.0), Lat: ptr(50.0)}, "projects[1].health_level"},
		{"level mismatch", scenario.Draft{Kind: "open_facility", FacilityKind: "hospital", HealthLevel: ptr(2), Lon: ptr(71.0), Lat: ptr(50.0)}, "projects[1].health_level"},
		{"lon only", scenario.Draft{Kind: "open_facility", FacilityKind: "school", Lon: ptr(71.0)}, "projects[1].lat"},
		{"in the sea", scenario.Draft{Kind: "open_facility", FacilityKind: "school", Lon: ptr(50.0), Lat: ptr(44.0)}, "projects[1].lon"},
		{"no place", scenario.Draft{Kind: "open_facility", FacilityKind: "school"}, "projects[1].settlement"},
		{"capacity 0", scenario.Draft{Kind: "open_facility", FacilityKind: "school", Capacity: ptr(0), Lon: ptr(71.0), Lat: ptr(50.0)}, "projects[1].capacity"},
		{"close without facility", scenario.Draft{Kind: "close_facility"}, "projects[1].facility_id"},
		{"close unknown facility", scenario.Draft{Kind: "close_facility", FacilityID: ptr(int64(999))}, "projects[1].facility_id"},
		{"close with a point", scenario.Draft{Kind: "close_facility", FacilityID: ptr(int64(1)), Lon: ptr(71.0), Lat: ptr(50.0)}, "projects[1].lon"},
		{"downgrade a school", scenario.Draft{Kind: "downgrade_facility", FacilityID: ptr(int64(2)), FacilityKind: "medical_post"}, "projects[1].facility_kind"},
		{"upgrade by downgrade", scenario.Draft{Kind: "downgrade_facility", FacilityID: ptr(int64(1)), FacilityKind: "hospital"}, "projects[1].facility_kind"},
		{"pave unknown way", scenario.Draft{Kind: "pave_road", OSMWays: []int64{1001, 4242}}, "projects[1].osm_ways"},
		{"pave both", scenario.Draft{Kind: "pave_road", OSMWays: []int64{1001}, Line: [][]float64{{71, 50}, {71.1, 50}}}, "projects[1].osm_ways"},
		{"build without class", scenario.Draft{Kind: "build_road", Line: [][]float64{{71, 50}, {71.1, 50}}}, "projects[1].road_class"},
		{"build a point", scenario.Draft{Kind: "build_road", RoadClass: "track", Line: [][]float64{{71, 50}}}, "projects[1].line"},
		{"build abroad", scenario.Draft{Kind: "build_road", RoadClass: "track", Line: [][]float64{{71, 50}, {75, 50}}}, "projects[1].line"},
		{"year", scenario.Draft{Kind: "close_facility", FacilityID: ptr(int64(1)), Year: ptr(1066)}, "projects[1].year"},
		{"cost", scenario.Draft{Kind: "close_facility", FacilityID: ptr(int64(1)), CostKZT: ptr(-5.0)}, "projects[1].cost_kzt"},
		{"status", scenario.Draft{Kind: "close_facility", FacilityID: ptr(int64(1)), Status: "dreamt"}, "projects[1].status"},
		{"unknown kato", scenario.Draft{Kind: "open_facility", FacilityKind: "school", Settlement: "Қарабұлақ", KATO: "999999999"}, "projects[1].kato"},
		{"ambiguous settlement", scenario.Draft{Kind: "open_facility", FacilityKind: "school", Settlement: "Жаңаауыл", KATO: "111000000"}, "projects[1].settlement"},
		{"settlement elsewhere", scenario.Draft{Kind: "open_facility", FacilityKind: "school", Settlement: "Көктерек", KATO: "111000000"}, "projects[1].settlement"},
		{"unknown district", scenario.Draft{Kind: "open_facility", FacilityKind: "school", Settlement: "Көктерек", District: "Атлантида"}, "projects[1].district"},
	} {
		_, err := s.AddProjects(ctx, w, m.ID, []scenario.Draft{good, c.bad}, postgis.JSONPlacer)
		if errs.KindOf(err) != errs.Invalid || !strings.HasPrefix(errs.Message(err), c.field+":") {
			t.Errorf("%s: %v; want Invalid starting %q", c.name, err, c.field)
		}
	}
	if n := count(t, s, `SELECT count(*) FROM project`); n != 0 {
		t.Errorf("%d projects written by refused batches; want 0", n)
	}
	if _, err := s.AddProjects(ctx, w, m.ID+7, []scenario.Draft{good}, postgis.JSONPlacer); errs.KindOf(err) != errs.NotFound {
		t.Errorf("missing scenario: %v; want NotFound", err)
	}
	ps, err := s.AddProjects(ctx, w, m.ID, []scenario.Draft{
		good,
		{Kind: "close_facility", FacilityID: ptr(int64(2))},
		{Kind: "downgrade_facility", FacilityID: ptr(int64(1)), FacilityKind: "feldsher_post"},
	}, postgis.JSONPlacer)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Projects(ctx, m.ID)
	if err != nil || len(got) != 3 || got[0].ID != ps[0].ID {
		t.Fatalf("Projects = %+v, %v", got, err)
	}
	if got[1].Point != [2]float64{70.9, 50.2} || got[2].HealthLevel != access.FeldsherPost || got[2].Point != [2]float64{70.8, 50.1} {
		t.Errorf("closed/downgraded: %+v %+v; want the facilities' points and level 2", got[1], got[2])
	}
}

// A programme file: every row placed (by KATO and name, district name and
// name, coordinates, OSM ways, a drawn line); a file with one bad row is
// refused naming the line and the column and leaves the projects imported
// before intact; an export reads back as the same projects.
func TestImportProgramme(t *testing.T) {
	s := postgistest.New(t)
	seedScenarioPlaces(t, s)
	ctx := context.Background()
	w := mustToken(t, s, "t")
	m, err := s.CreateScenario(ctx, w, "Ауыл – ел бесігі (SYNTHETIC)", "")
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("testdata/programme_synthetic.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ps, err := s.ImportProgramme(ctx, w, m.ID, f, "programme_synthetic.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 5 {
		t.Fatalf("%d projects; want 5", len(ps))
	}
	got, err := s.Projects(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Point != [2]float64{71, 50} || got[0].SettlementID == 0 || got[0].Capacity != 320 || got[0].Status != scenario.Funded || got[0].CostKZT != 1.85e9 {
		t.Errorf("school at Қарабұлақ: %+v", got[0])
	}
	if got[1].Point != [2]float64{72, 50.5} || got[1].HealthLevel != access.MedicalPost {
		t.Errorf("medical post at Көктерек: %+v", got[1])
	}
	if got[2].HealthLevel != access.FeldsherPost || got[2].Point != [2]float64{71.25, 50.5} {
		t.Errorf("feldsher post by coordinates: %+v", got[2])
	}
	if len(got[3].RoadWays) != 2 || len(got[3].RoadIDs) != 2 || len(got[3].Roads) != 2 {
		t.Errorf("paved ways: %+v; want 2 ways and their road rows", got[3])
	}
	if len(got[4].Line) != 2 || got[4].RoadClass != "unclassified" || got[4].Year != 2028 {
		t.Errorf("built road: %+v", got[4])
	}
	for _, p := range got {
		if !strings.Contains(p.Programme, "SYNTHETIC") || !strings.Contains(p.Source, "SYNTHETIC") {
			t.Errorf("project %d does not say it is SYNTHETIC: %q, %q", p.ID, p.Programme, p.Source)
		}
	}

	header := strings.Join(postgis.ProgrammeColumns, ",") + "\n"
	row := func(cells map[string]string) string {
		out := make([]string, len(postgis.ProgrammeColumns))
		for i, c := range postgis.ProgrammeColumns {
			out[i] = cells[c]
		}
		return strings.Join(out, ",") + "\n"
	}
	goodRow := row(map[string]string{"kind": "open_facility", "facility_kind": "school", "lon": "71.1", "lat": "50.1"})
	for _, c := range []struct{ name, file, want string }{
		{"unknown KATO", header + goodRow + row(map[string]string{"kind": "open_facility", "facility_kind": "school", "settlement": "Қарабұлақ", "kato": "119999999"}), "bad.csv line 3, column kato:"},
		{"no such settlement", header + goodRow + goodRow + row(map[string]string{"kind": "open_facility", "facility_kind": "school", "settlement": "Ешқайда", "kato": "111000000"}), "bad.csv line 4, column settlement:"},
		{"two settlements", header + row(map[string]string{"kind": "open_facility", "facility_kind": "school", "settlement": "жаңаауыл", "district": "Аксуский район"}), "bad.csv line 2, column settlement:"},
		{"outside the country", header + row(map[string]string{"kind": "open_facility", "facility_kind": "school", "lon": "80", "lat": "50"}), "bad.csv line 2, column lon:"},
		{"bad number", header + goodRow + row(map[string]string{"kind": "open_facility", "facility_kind": "school", "lon": `"71,1"`, "lat": "50"}), "bad.csv line 3, column lon:"},
		{"bad line", header + row(map[string]string{"kind": "build_road", "road_class": "track", "line": "LINESTRING(71 50 71.1)"}), "bad.csv line 2, column line:"},
		{"bad way", header + row(map[string]string{"kind": "pave_road", "osm_ways": "1001 node/5"}), "bad.csv line 2, column osm_ways:"},
		{"unknown column", "kind,colour\nclose_facility,red\n", "bad.csv line 1, column 2: unknown column"},
		{"no kind column", "name\nx\n", "bad.csv line 1: no column kind"},
		{"wrong field count", header + "close_facility,x\n", "bad.csv line 2: 2 fields"},
		{"empty", "", "bad.csv: empty file"},
		{"header only", "# SYNTHETIC\n" + header, "bad.csv: no projects"},
		{"comment lines count", "# SYNTHETIC\n" + header + "# a note\n" + row(map[string]string{"kind": "close_facility", "facility_id": "77"}), "bad.csv line 4, column facility_id:"},
	} {
		_, err := s.ImportProgramme(ctx, w, m.ID, strings.NewReader(c.file), "bad.csv")
		if errs.KindOf(err) != errs.Invalid || !strings.HasPrefix(errs.Message(err), c.want) {
			t.Errorf("%s: %v; want Invalid starting %q", c.name, err, c.want)
		}
	}
	if n := count(t, s, `SELECT count(*) FROM project WHERE scenario_id = $1`, m.ID); n != 5 {
		t.Errorf("%d projects after refused files; want the 5 imported before", n)
	}

	var buf bytes.Buffer
	if err := postgis.WriteProgrammeCSV(&buf, got); err != nil {
		t.Fatal(err)
	}
	m2, err := s.CreateScenario(ctx, w, "round trip (SYNTHETIC)", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportProgramme(ctx, w, m2.ID, &buf, "export.csv"); err != nil {
		t.Fatalf("export does not read back: %v", err)
	}
	back, err := s.Projects(ctx, m2.ID)
	if err != nil || len(back) != len(got) {
		t.Fatalf("read back %d, %v", len(back), err)
	}
	for i := range got {
		a, b := got[i], back[i]
		a.ID, a.ScenarioID, a.SettlementID, b.ID, b.ScenarioID = 0, 0, 0, 0, 0
		if !equalProject(a, b) {
			t.Errorf("project %d read back as %+v; want %+v", i, b, a)
		}
	}
}

func equalProject(a, b scenario.Project) bool {
	return a.Kind == b.Kind && a.Name == b.Name && a.FacilityKind == b.FacilityKind && a.HealthLevel == b.HealthLevel &&
		a.Capacity == b.Capacity && a.Point == b.Point && a.FacilityID == b.FacilityID && len(a.RoadWays) == len(b.RoadWays) &&
		len(a.RoadIDs) == len(b.RoadIDs) && len(a.Line) == len(b.Line) && a.RoadClass == b.RoadClass && a.Year == b.Year &&
		a.CostKZT == b.CostKZT && a.Programme == b.Programme && a.Status == b.Status && a.Source == b.Source
}

// A programme file never panics the parser, and whatever it refuses is
// the user's error (Invalid) naming the file.
func FuzzParseProgramme(f *testing.F) {
	f.Add("kind,lon,lat\nopen_facility,71,50\n")
	f.Add("# SYNTHETIC\nkind,line,osm_ways\nbuild_road,\"LINESTRING(1 2, 3 4)\",1 2\n")
	f.Add("kind,line\npave_road,linestring(1 2;3 4)\n")
	f.Add("\ufeffKIND,Capacity\nclose_facility,x\n")
	f.Fuzz(func(t *testing.T, in string) {
		drafts, lines, err := postgis.ParseProgramme(strings.NewReader(in), "f.csv")
		if err != nil {
			if errs.KindOf(err) != errs.Invalid || !strings.HasPrefix(errs.Message(err), "f.csv") {
				t.Fatalf("error %v: want Invalid naming the file", err)
			}
			return
		}
		if len(drafts) == 0 || len(drafts) != len(lines) {
			t.Fatalf("%d drafts, %d lines", len(drafts), len(lines))
		}
	})
}

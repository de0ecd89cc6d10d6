package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/aimaq/aimaq/data/postgis"
	"github.com/aimaq/aimaq/data/postgis/postgistest"
	"github.com/aimaq/aimaq/web"
)

// cmd/aimaq wires the store in as the ScenarioStore.
var _ web.ScenarioStore = (*postgis.Store)(nil)

// scenarioServer serves a fresh database holding a SYNTHETIC country
// (70–73°E, 49–52°N) with one district (111000000, Synthetic Aksu) and its
// village Қарабұлақ, a clinic (facility 1), and two tokens: "akimat" live and
// "old" revoked.
func scenarioServer(t *testing.T) (h http.Handler, token, revoked string, s *postgis.Store) {
	t.Helper()
	s = postgistest.New(t)
	ctx := context.Background()
	for _, sql := range []string{
		`INSERT INTO area (level, code, name_en, geom, geom_3857) VALUES ('country', 'KZ', 'Synthetic country', ST_Multi(ST_MakeEnvelope(70, 49, 73, 52, 4326)), ST_Transform(ST_Multi(ST_MakeEnvelope(70, 49, 73, 52, 4326)), 3857))`,
		`INSERT INTO area (level, code, name_en, parent_id, geom, geom_3857) SELECT 'district', '111000000', 'Synthetic Aksu', id, geom, geom_3857 FROM area WHERE level = 'country'`,
		`INSERT INTO settlement (source, source_id, name, place, population, district_id, geom, geom_3857) SELECT 'synthetic', 's1', 'Қарабұлақ', 'village', 800, id, ST_SetSRID(ST_MakePoint(71, 50), 4326), ST_Transform(ST_SetSRID(ST_MakePoint(71, 50), 4326), 3857) FROM area WHERE level = 'district'`,
		`INSERT INTO facility (kind, name, source, source_id, geom) VALUES ('clinic', 'Synthetic ambulatory', 'synthetic', 'f1', ST_SetSRID(ST_MakePoint(70.8, 50.1), 4326))`,
	} {
		if _, err := postgistest.Pool(s).Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	var err error
	if token, err = s.CreateToken(ctx, "akimat"); err != nil {
		t.Fatal(err)
	}
	if revoked, err = s.CreateToken(ctx, "old"); err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeToken(ctx, "old"); err != nil {
		t.Fatal(err)
	}
	return web.New(web.Options{Tiles: s, Scenarios: s}), token, revoked, s
}

func send(t *testing.T, h http.Handler, method, target, token, contentType, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func errorOf(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	var b struct{ Error string }
	if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil {
		t.Fatalf("error body %q: %v", rec.Body, err)
	}
	return b.Error
}

// Writes without a live token are refused with 401 and change nothing;
// reads stay open.
func TestScenarioAPITokens(t *testing.T) {
	h, token, revoked, s := scenarioServer(t)
	for _, tok := range []string{"", "aimaq_not-a-token", revoked} {
		rec := send(t, h, "POST", "/api/scenarios", tok, "application/json", `{"name": "x"}`)
		if rec.Code != 401 || rec.Header().Get("WWW-Authenticate") == "" {
			t.Errorf("POST with token %q = %d %s; want 401 with WWW-Authenticate", tok, rec.Code, rec.Body)
		}
	}
	if rec := send(t, h, "GET", "/api/scenarios", "", "", ""); rec.Code != 200 || strings.TrimSpace(rec.Body.String()) != `{"scenarios":[]}` {
		t.Errorf("GET /api/scenarios without token = %d %s; want 200 and none", rec.Code, rec.Body)
	}
	rec := send(t, h, "POST", "/api/scenarios", token, "application/json", `{"name": "Ауыл 2026 (SYNTHETIC)", "description": "test"}`)
	if rec.Code != 201 || rec.Header().Get("Location") == "" {
		t.Fatalf("POST with token = %d %s", rec.Code, rec.Body)
	}
	ts, err := s.Tokens(context.Background())
	if err != nil || ts[0].LastUsedAt == nil {
		t.Errorf("tokens %+v, %v: want akimat's last use recorded", ts, err)
	}
}

// The scenario API end to end on PostGIS: create, rename, add projects from
// JSON and from CSV, refuse bad ones naming the field or the line and column
// with nothing written, export as JSON, CSV and GeoJSON, remove a project,
// read the log, delete.
func TestScenarioAPI(t *testing.T) {
	h, token, _, _ := scenarioServer(t)
	post := func(target, ct, body string) *httptest.ResponseRecorder {
		return send(t, h, "POST", target, token, ct, body)
	}
	rec := post("/api/scenarios", "application/json", `{"name": "Clinics (SYNTHETIC)"}`)
	if rec.Code != 201 {
		t.Fatalf("create = %d %s", rec.Code, rec.Body)
	}
	var m struct {
		ID        int64
		Name      string
		CreatedBy string `json:"created_by"`
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &m)
	if m.CreatedBy != "akimat" {
		t.Errorf("created %+v", m)
	}
	base := "/api/scenarios/" + itoa(m.ID)
	for _, c := range []struct{ method, target, ct, body, want string }{
		{"POST", "/api/scenarios", "application/json", `{"name": "Clinics (SYNTHETIC)"}`, "name: a scenario named"},
		{"POST", "/api/scenarios", "application/json", `{"title": "x"}`, "title: unknown field"},
		{"POST", "/api/scenarios", "application/json", `{"name": 5}`, "name: want a string"},
		{"POST", "/api/scenarios", "application/json", `{"description": "x"}`, "name: missing"},
		{"POST", "/api/scenarios", "application/json", `{"name": "a"`, "body: "},
		{"PATCH", base, "application/json", `{}`, "body: give name"},
		{"POST", base + "/projects", "application/json", `{"projects": []}`, "projects: missing or empty"},
		{"POST", base + "/projects", "application/json", `{"projects": [{"kind": "close_facility", "facility_id": 1}, {"kind": "open_facility", "facility_kind": "stadium", "lon": 71, "lat": 50}]}`, "projects[1].facility_kind:"},
		{"POST", base + "/projects", "application/json", `{"projects": [{"kind": "close_facility", "facility_id": 1}, {"kind": "close_facility", "facility_id": "one"}]}`, "projects[1].facility_id: want a whole number"},
		{"POST", base + "/projects", "application/json", `{"projects": [{"kind": "close_facility", "facility_id": 1, "colour": "red"}]}`, "projects[0].colour: unknown field"},
		{"POST", base + "/projects", "application/json", `{"projects": [{"kind": "open_facility", "facility_kind": "school", "lon": 10, "lat": 50}]}`, "projects[0].lon:"},
		{"POST", base + "/projects?format=csv", "text/csv", "kind,facility_kind,settlement,kato\nopen_facility,school,Қарабұлақ,111000000\nopen_facility,school,Қарабұлақ,119999999\n", "body line 3, column kato:"},
		{"POST", base + "/projects?format=xml", "", "x", "format="},
		{"POST", "/api/scenarios/abc/projects", "application/json", `{}`, "id="},
	} {
		rec := send(t, h, c.method, c.target, token, c.ct, c.body)
		if rec.Code != 400 || !strings.HasPrefix(errorOf(t, rec), c.want) {
			t.Errorf("%s %s %s = %d %s; want 400 starting %q", c.method, c.target, c.body, rec.Code, rec.Body, c.want)
		}
	}
	if rec := send(t, h, "GET", base+"/projects", "", "", ""); strings.TrimSpace(rec.Body.String()) != `{"projects":[]}` {
		t.Errorf("projects after refused writes: %s; want none", rec.Body)
	}
	if rec := send(t, h, "PATCH", base, token, "application/json", `{"description": "Two clinics and a closure"}`); rec.Code != 200 || !strings.Contains(rec.Body.String(), "Two clinics") {
		t.Errorf("PATCH = %d %s", rec.Code, rec.Body)
	}
	rec = post(base+"/projects", "application/json", `{"projects": [
		{"kind": "open_facility", "name": "SYNTHETIC clinic", "facility_kind": "clinic", "settlement": "Қарабұлақ", "kato": "111000000", "cost_kzt": 250000000, "year": 2027, "status": "funded"},
		{"kind": "close_facility", "facility_id": 1, "programme": "SYNTHETIC"}]}`)
	if rec.Code != 201 {
		t.Fatalf("add JSON = %d %s", rec.Code, rec.Body)
	}
	var added struct{ Projects []struct{ ID int64 } }
	_ = json.Unmarshal(rec.Body.Bytes(), &added)
	rec = post(base+"/projects", "text/csv", "# SYNTHETIC\nkind,road_class,line,source\nbuild_road,track,\"LINESTRING(71 50, 71.2 50.1)\",SYNTHETIC\n")
	if rec.Code != 201 {
		t.Fatalf("add CSV = %d %s", rec.Code, rec.Body)
	}
	rec = send(t, h, "GET", base+"/projects", "", "", "")
	var got struct {
		Projects []map[string]any
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &got)
	if len(got.Projects) != 3 || got.Projects[0]["lon"] != 71.0 || got.Projects[0]["health_level"] != 3.0 || got.Projects[0]["cost_kzt"] != 2.5e8 {
		t.Errorf("projects %s", rec.Body)
	}
	rec = send(t, h, "GET", base+"/projects?format=csv", "", "", "")
	if ct := rec.Header().Get("Content-Type"); rec.Code != 200 || !strings.HasPrefix(ct, "text/csv") ||
		!strings.HasPrefix(rec.Body.String(), strings.Join(postgis.ProgrammeColumns, ",")+"\n") || strings.Count(rec.Body.String(), "\n") != 4 {
		t.Errorf("CSV = %d %s %q", rec.Code, ct, rec.Body)
	}
	rec = send(t, h, "GET", base+"/projects?format=geojson", "", "", "")
	var fc struct {
		Type     string
		Features []struct {
			Geometry   struct{ Type string }
			Properties map[string]any
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &fc); err != nil || fc.Type != "FeatureCollection" || len(fc.Features) != 3 ||
		fc.Features[0].Geometry.Type != "Point" || fc.Features[1].Geometry.Type != "Point" || fc.Features[2].Geometry.Type != "LineString" ||
		fc.Features[2].Properties["kind"] != "build_road" {
		t.Errorf("GeoJSON = %s (%v)", rec.Body, err)
	}
	if rec := send(t, h, "DELETE", base+"/projects/"+itoa(added.Projects[1].ID), token, "", ""); rec.Code != 204 {
		t.Errorf("DELETE project = %d %s", rec.Code, rec.Body)
	}
	if rec := send(t, h, "DELETE", base+"/projects/"+itoa(added.Projects[1].ID), token, "", ""); rec.Code != 404 {
		t.Errorf("DELETE project twice = %d %s; want 404", rec.Code, rec.Body)
	}
	rec = send(t, h, "GET", base+"/log", "", "", "")
	var log struct {
		Log []struct {
			Token, Method, Path string
			Summary             map[string]any
		}
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &log)
	var actions []string
	for _, e := range log.Log {
		if e.Token != "akimat" {
			t.Errorf("log entry by %q", e.Token)
		}
		actions = append(actions, e.Method+" "+e.Summary["action"].(string))
	}
	if want := "POST create_scenario,PATCH update_scenario,POST add_projects,POST add_projects,DELETE delete_project"; strings.Join(actions, ",") != want {
		t.Errorf("log %v; want %s", actions, want)
	}
	if strings.Contains(rec.Body.String(), token) {
		t.Error("the log shows the token itself")
	}
	if rec := send(t, h, "DELETE", base, token, "", ""); rec.Code != 204 {
		t.Errorf("DELETE scenario = %d %s", rec.Code, rec.Body)
	}
	if rec := send(t, h, "GET", base, "", "", ""); rec.Code != 404 {
		t.Errorf("GET deleted scenario = %d", rec.Code)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

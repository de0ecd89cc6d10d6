package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/aimaq/aimaq/geo/scenario"
	"github.com/aimaq/aimaq/internal/errs"
	"github.com/gorilla/mux"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// ScenarioStore keeps scenarios and their projects (issue 12.1) and the
// tokens that may change them; *postgis.Store is one. Every method that
// writes takes the scenario.Write of the request and records it in the
// transaction of the change.
type ScenarioStore interface {
	Authenticator
	CreateScenario(ctx context.Context, w scenario.Write, name, description string) (scenario.Meta, error)
	Scenarios(ctx context.Context) ([]scenario.Meta, error)
	Scenario(ctx context.Context, id int64) (scenario.Meta, error)
	UpdateScenario(ctx context.Context, w scenario.Write, id int64, name, description *string) (scenario.Meta, error)
	DeleteScenario(ctx context.Context, w scenario.Write, id int64) error
	// AddProjects adds drafts all or none; place names a draft's field in
	// error messages.
	AddProjects(ctx context.Context, w scenario.Write, id int64, drafts []scenario.Draft, place func(index int, field string) string) ([]scenario.Project, error)
	// ImportProgramme adds the projects of a programme CSV, all or none.
	ImportProgramme(ctx context.Context, w scenario.Write, id int64, r io.Reader, file string) ([]scenario.Project, error)
	DeleteProject(ctx context.Context, w scenario.Write, id, projectID int64) error
	// ResolveProjects checks and places drafts as AddProjects does and
	// writes nothing: an unsaved scenario's projects.
	ResolveProjects(ctx context.Context, drafts []scenario.Draft, place func(index int, field string) string) ([]scenario.Project, error)
	Projects(ctx context.Context, id int64) ([]scenario.Project, error)
	ProjectsCSV(ctx context.Context, id int64, w io.Writer) error
	ScenarioLog(ctx context.Context, id int64) ([]scenario.LogEntry, error)
}

// Bodies of writes are small: a scenario, or a programme of some thousand
// rows.
const (
	maxJSONBody = 4 << 20
	maxCSVBody  = 16 << 20
)

func (s *server) scenarioStore() (ScenarioStore, error) {
	if s.scenarios == nil {
		return nil, errs.E(errs.Unavailable, "scenarios not available")
	}
	return s.scenarios, nil
}

// pathID reads a numeric path variable.
func pathID(r *http.Request, name string) (int64, error) {
	v := mux.Vars(r)[name]
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.E(errs.Invalid, "%s=%q: want a positive whole number", name, errs.Shorten(v))
	}
	return id, nil
}

// decodeJSON reads a JSON object into v, refusing unknown fields and
// trailing data, with errors that name the field.
func decodeJSON(r io.Reader, v any, where string) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err, where)
	}
	if dec.More() {
		return errs.E(errs.Invalid, "%s: one JSON value expected, more follows", where)
	}
	return nil
}

func jsonError(err error, where string) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	var mb *http.MaxBytesError
	field := where
	switch {
	case errors.As(err, &te):
		if te.Field != "" {
			field = joinField(where, te.Field)
		}
		return errs.E(errs.Invalid, "%s: want %s, got %s", field, jsonType(te.Type.String()), te.Value)
	case errors.As(err, &se):
		return errs.E(errs.Invalid, "%s: not JSON (at byte %d)", where, se.Offset)
	case errors.As(err, &mb):
		return errs.E(errs.Invalid, "%s: body larger than %d bytes", where, mb.Limit)
	case errors.Is(err, io.EOF):
		return errs.E(errs.Invalid, "%s: empty body: want a JSON object", where)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return errs.E(errs.Invalid, "%s: unknown field", joinField(where, name))
	}
	return errs.Wrap(errs.Invalid, err, "%s: not a valid JSON body", where)
}

func joinField(where, field string) string {
	if where == "" || where == "body" {
		return field
	}
	return where + "." + field
}

func jsonType(goType string) string {
	switch {
	case strings.HasPrefix(goType, "[]"):
		return "an array"
	case strings.Contains(goType, "int"):
		return "a whole number"
	case strings.Contains(goType, "float"):
		return "a number"
	case strings.Contains(goType, "string"):
		return "a string"
	}
	return "an object"
}

type scenarioBody struct {
	Name        *string `json:"name"`
	Description *string `json:"description"`
}

// handleCreateScenario is POST /api/scenarios.
func (s *server) handleCreateScenario(w http.ResponseWriter, r *http.Request) error {
	st, err := s.scenarioStore()
	if err != nil {
		return err
	}
	var b scenarioBody
	if err := decodeJSON(http.MaxBytesReader(w, r.Body, maxJSONBody), &b, "body"); err != nil {
		return err
	}
	if b.Name == nil {
		return errs.E(errs.Invalid, "name: missing")
	}
	desc := ""
	if b.Description != nil {
		desc = *b.Description
	}
	m, err := st.CreateScenario(r.Context(), writerOf(r), *b.Name, desc)
	if err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/scenarios/%d", m.ID))
	writeJSON(w, http.StatusCreated, m)
	return nil
}

// handleScenarios is GET /api/scenarios.
func (s *server) handleScenarios(w http.ResponseWriter, r *http.Request) error {
	st, err := s.scenarioStore()
	if err != nil {
		return err
	}
	ms, err := st.Scenarios(r.Context())
	if err != nil {
		return err
	}
	if ms == nil {
		ms = []scenario.Meta{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"scenarios": ms})
	return nil
}

// handleScenario is GET /api/scenarios/{id}.
func (s *server) handleScenario(w http.ResponseWriter, r *http.Request) error {
	st, err := s.scenarioStore()
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	m, err := st.Scenario(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, m)
	return nil
}

// handleUpdateScenario is PATCH /api/scenarios/{id}.
func (s *server) handleUpdateScenario(w http.ResponseWriter, r *http.Request) error {
	st, err := s.scenarioStore()
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var b scenarioBody
	if err := decodeJSON(http.MaxBytesReader(w, r.Body, maxJSONBody), &b, "body"); err != nil {
		return err
	}
	if b.Name == nil && b.Description == nil {
		return errs.E(errs.Invalid, "body: give name and/or description")
	}
	m, err := st.UpdateScenario(r.Context(), writerOf(r), id, b.Name, b.Description)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, m)
	return nil
}

// handleDeleteScenario is DELETE /api/scenarios/{id}.
func (s *server) handleDeleteScenario(w http.ResponseWriter, r *http.Request) error {
	st, err := s.scenarioStore()
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := st.DeleteScenario(r.Context(), writerOf(r), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// handleAddProjects is POST /api/scenarios/{id}/projects: a JSON body
// {"projects": [...]}, or a programme CSV with format=csv (or Content-Type
// text/csv). All projects or none are added.
func (s *server) handleAddProjects(w http.ResponseWriter, r *http.Request) error {
	st, err := s.scenarioStore()
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "json"
		if ct := r.Header.Get("Content-Type"); strings.HasPrefix(ct, "text/csv") {
			format = "csv"
		}
	}
	var ps []scenario.Project
	switch format {
	case "csv":
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxCSVBody))
		if err != nil {
			return jsonError(err, "body")
		}
		ps, err = st.ImportProgramme(r.Context(), writerOf(r), id, bytes.NewReader(body), "body")
		if err != nil {
			return err
		}
	case "json":
		drafts, err := decodeDrafts(http.MaxBytesReader(w, r.Body, maxJSONBody), 0)
		if err != nil {
			return err
		}
		ps, err = st.AddProjects(r.Context(), writerOf(r), id, drafts, draftPlace)
		if err != nil {
			return err
		}
	default:
		return errs.E(errs.Invalid, "format=%q: want json or csv", errs.Shorten(format))
	}
	writeProjects(w, http.StatusCreated, ps)
	return nil
}

// decodeDrafts reads a JSON body {"projects": [...]}, each project a
// scenario.Draft, naming the project and field of any error; at most most
// projects when most > 0.
func decodeDrafts(body io.Reader, most int) ([]scenario.Draft, error) {
	var b struct {
		Projects []json.RawMessage `json:"projects"`
	}
	if err := decodeJSON(body, &b, "body"); err != nil {
		return nil, err
	}
	if len(b.Projects) == 0 {
		return nil, errs.E(errs.Invalid, "projects: missing or empty: want {\"projects\": [{\"kind\": …}, …]}")
	}
	if most > 0 && len(b.Projects) > most {
		return nil, errs.E(errs.Invalid, "projects: %d given, at most %d", len(b.Projects), most)
	}
	drafts := make([]scenario.Draft, len(b.Projects))
	for i, raw := range b.Projects {
		if err := decodeJSON(bytes.NewReader(raw), &drafts[i], fmt.Sprintf("projects[%d]", i)); err != nil {
			return nil, err
		}
	}
	return drafts, nil
}

// draftPlace names a project's field in a JSON body: projects[2].lon.
func draftPlace(i int, field string) string { return fmt.Sprintf("projects[%d].%s", i, field) }

// handleDeleteProject is DELETE /api/scenarios/{id}/projects/{pid}.
func (s *server) handleDeleteProject(w http.ResponseWriter, r *http.Request) error {
	st, err := s.scenarioStore()
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	pid, err := pathID(r, "pid")
	if err != nil {
		return err
	}
	if err := st.DeleteProject(r.Context(), writerOf(r), id, pid); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// projectJSON is a project as the API shows it: the fields its kind uses.
type projectJSON struct {
	ID           int64       `json:"id"`
	ScenarioID   int64       `json:"scenario_id"`
	Kind         string      `json:"kind"`
	Name         string      `json:"name"`
	FacilityKind string      `json:"facility_kind,omitempty"`
	HealthLevel  int         `json:"health_level,omitempty"`
	Capacity     int         `json:"capacity,omitempty"`
	Lon          *float64    `json:"lon,omitempty"`
	Lat          *float64    `json:"lat,omitempty"`
	SettlementID int64       `json:"settlement_id,omitempty"`
	FacilityID   int64       `json:"facility_id,omitempty"`
	OSMWays      []int64     `json:"osm_ways,omitempty"`
	RoadIDs      []int64     `json:"road_ids,omitempty"`
	Line         [][]float64 `json:"line,omitempty"`
	RoadClass    string      `json:"road_class,omitempty"`
	Year         int         `json:"year,omitempty"`
	CostKZT      *float64    `json:"cost_kzt"`
	Programme    string      `json:"programme"`
	Status       string      `json:"status"`
	Source       string      `json:"source"`
}

func toProjectJSON(p scenario.Project) projectJSON {
	j := projectJSON{ID: p.ID, ScenarioID: p.ScenarioID, Kind: string(p.Kind), Name: p.Name, FacilityKind: p.FacilityKind,
		HealthLevel: int(p.HealthLevel), Capacity: p.Capacity, SettlementID: p.SettlementID, FacilityID: p.FacilityID,
		OSMWays: p.RoadWays, RoadIDs: p.RoadIDs, RoadClass: p.RoadClass, Year: p.Year, Programme: p.Programme,
		Status: string(p.Status), Source: p.Source}
	if p.Point != (orb.Point{}) {
		lon, lat := p.Point[0], p.Point[1]
		j.Lon, j.Lat = &lon, &lat
	}
	for _, c := range p.Line {
		j.Line = append(j.Line, []float64{c[0], c[1]})
	}
	if p.CostKZT != 0 {
		c := p.CostKZT
		j.CostKZT = &c
	}
	return j
}

// handleProjects is GET /api/scenarios/{id}/projects?format=json|csv|geojson.
func (s *server) handleProjects(w http.ResponseWriter, r *http.Request) error {
	st, err := s.scenarioStore()
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	format := r.URL.Query().Get("format")
	switch format {
	case "csv":
		var buf bytes.Buffer
		if err := st.ProjectsCSV(r.Context(), id, &buf); err != nil {
			return err
		}
		h := w.Header()
		h.Set("Content-Type", "text/csv; charset=utf-8")
		h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="scenario-%d.csv"`, id))
		_, err := w.Write(buf.Bytes())
		return err
	case "", "json", "geojson":
	default:
		return errs.E(errs.Invalid, "format=%q: want json, csv or geojson", errs.Shorten(format))
	}
	ps, err := st.Projects(r.Context(), id)
	if err != nil {
		return err
	}
	if format == "geojson" {
		fc := geojson.NewFeatureCollection()
		for _, p := range ps {
			var g orb.Geometry
			switch {
			case len(p.Line) > 0:
				g = p.Line
			case len(p.Roads) > 0:
				g = p.Roads
			case p.Point != (orb.Point{}):
				g = p.Point
			}
			f := geojson.NewFeature(g)
			f.ID = p.ID
			raw, _ := json.Marshal(toProjectJSON(p))
			_ = json.Unmarshal(raw, &f.Properties)
			delete(f.Properties, "line")
			fc.Append(f)
		}
		body, err := fc.MarshalJSON()
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "application/geo+json")
		_, err = w.Write(append(body, '\n'))
		return err
	}
	writeProjects(w, http.StatusOK, ps)
	return nil
}

// handleScenarioLog is GET /api/scenarios/{id}/log: who changed the
// scenario, when, and what.
func (s *server) handleScenarioLog(w http.ResponseWriter, r *http.Request) error {
	st, err := s.scenarioStore()
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	log, err := st.ScenarioLog(r.Context(), id)
	if err != nil {
		return err
	}
	if log == nil {
		log = []scenario.LogEntry{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"log": log})
	return nil
}

// writeProjects answers projects as JSON, {"projects": [...]}, with code.
func writeProjects(w http.ResponseWriter, code int, ps []scenario.Project) {
	out := make([]projectJSON, len(ps))
	for i, p := range ps {
		out[i] = toProjectJSON(p)
	}
	writeJSON(w, code, map[string]any{"projects": out})
}

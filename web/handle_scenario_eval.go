package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/disparity"
	"github.com/aimaq/aimaq/geo/lang"
	"github.com/aimaq/aimaq/geo/scenario"
	"github.com/aimaq/aimaq/internal/errs"
	"github.com/gorilla/mux"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// ScenarioEvaluator evaluates a scenario's projects on the baseline of the
// latest finished compute run; *compute.Baselines is one.
type ScenarioEvaluator interface {
	// EvaluateScenario returns the engine's result, the run it stands on
	// (ID, FinishedAt, Stale) and the names of the settlements it changes.
	// errs.NotFound when no run has finished; an error wrapping
	// scenario.ErrProject when the engine refuses a project.
	EvaluateScenario(ctx context.Context, projects []scenario.Project) (*scenario.Result, access.Run, map[int64]access.SettlementReport, error)
}

// scenarioEvalRoutes registers the evaluation of scenarios (issue 12.2):
// reads, open to everyone. /api/scenarios/compare is registered before any
// /api/scenarios/{id} route so that "compare" is not read as an id.
func (s *server) scenarioEvalRoutes(r *mux.Router) {
	get := []string{http.MethodGet, http.MethodHead}
	r.Handle("/api/scenarios/compare", s.adapt(s.handleScenarioCompare)).Methods(get...)
	// A draft writes nothing: no token.
	r.Handle("/api/scenarios/evaluate", s.adapt(s.handleDraftEvaluation)).Methods(http.MethodPost)
	r.Handle("/api/scenarios/{id}/evaluation", s.adapt(s.handleScenarioEvaluation)).Methods(get...)
	r.Handle("/api/scenarios/{id}/tiles/{layer}.json", s.adapt(s.handleScenarioTileJSON)).Methods(get...)
	r.Handle("/api/scenarios/{id}/tiles/{layer}/{z}/{x}/{y}.{format:mvt|pbf}", s.adapt(s.handleScenarioTile)).Methods(get...)
}

// AreaLabeler names areas; the ScenarioStore is asked for it when it is
// one (*postgis.Store is).
type AreaLabeler interface {
	// AreaLabels returns the level, code and names of areas ids; absent ids
	// are left out.
	AreaLabels(ctx context.Context, ids []int64) (map[int64]scenario.AreaLabel, error)
}

// scenarioLimits are the engine's limits, said with every evaluation
// (codes of lang's catalogue).
var scenarioLimits = []string{lang.MsgScenarioRecomputed, lang.MsgScenarioSnapsKept, lang.MsgScenarioNewlyServed, lang.MsgScenarioDisparityTheil}

type noteJSON struct {
	Code string            `json:"code"`
	Args map[string]string `json:"args,omitempty"`
	Text string            `json:"text"`
}

func scenarioNotes(run access.Run, l string) []noteJSON {
	var out []noteJSON
	if run.Stale {
		m := lang.Msg(lang.MsgDataChanged, "run", strconv.FormatInt(run.ID, 10))
		out = append(out, noteJSON{Code: m.Code, Args: m.Args, Text: m.In(l)})
	}
	for _, code := range scenarioLimits {
		out = append(out, noteJSON{Code: code, Text: lang.Msg(code).In(l)})
	}
	return out
}

func (s *server) scenarioEvaluator() (ScenarioStore, ScenarioEvaluator, error) {
	st, err := s.scenarioStore()
	if err != nil {
		return nil, nil, err
	}
	if s.scenarioEval == nil {
		return nil, nil, errs.E(errs.Unavailable, "scenario evaluation not available")
	}
	return st, s.scenarioEval, nil
}

// evaluated is one scenario evaluated.
type evaluated struct {
	scenario any   // scenario.Meta, or draftScenario
	id       int64 // 0 for a draft
	n        int   // projects
	res      *scenario.Result
	run      access.Run
	names    map[int64]access.SettlementReport
	millis   float64
}

// draftScenario stands for the scenario of an evaluated draft: id 0, name
// "draft", nothing stored.
type draftScenario struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Projects int    `json:"projects"`
}

// evaluate loads scenario id (param names the request parameter holding it)
// and evaluates its projects. A project the engine refuses is errs.Invalid
// naming the project.
func (s *server) evaluate(ctx context.Context, id int64, param string) (*evaluated, error) {
	st, ev, err := s.scenarioEvaluator()
	if err != nil {
		return nil, err
	}
	m, err := st.Scenario(ctx, id)
	if err != nil {
		if errs.KindOf(err) == errs.NotFound {
			return nil, errs.E(errs.NotFound, "%s=%d: no such scenario", param, id)
		}
		return nil, err
	}
	ps, err := st.Projects(ctx, id)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	res, run, names, err := ev.EvaluateScenario(ctx, ps)
	took := time.Since(start)
	if errors.Is(err, scenario.ErrProject) {
		return nil, errs.E(errs.Invalid, "scenario %d: %s", id, projectRefusal(err))
	}
	if err != nil {
		return nil, err
	}
	return &evaluated{scenario: m, id: id, n: len(ps), res: res, run: run, names: names, millis: float64(took.Microseconds()) / 1000}, nil
}

// Drafts are evaluated at the click of a map: a body of at most
// maxDraftBody bytes and maxDraftProjects projects.
const (
	maxDraftBody     = 1 << 20
	maxDraftProjects = 1000
)

// handleDraftEvaluation is POST /api/scenarios/evaluate?format=json|csv|geojson&lang=:
// the evaluation of an unsaved list of projects, {"projects": [...]} with
// each project as POST /api/scenarios/{id}/projects takes it. Nothing is
// written, so no token is asked. The answer is the evaluation's, with
// scenario {"id": 0, "name": "draft", "projects": n}; a facility the draft
// opens is named by the id -(its index + 1).
func (s *server) handleDraftEvaluation(w http.ResponseWriter, r *http.Request) error {
	format, l, err := evaluationParams(r)
	if err != nil {
		return err
	}
	st, ev, err := s.scenarioEvaluator()
	if err != nil {
		return err
	}
	drafts, err := decodeDrafts(http.MaxBytesReader(w, r.Body, maxDraftBody), maxDraftProjects)
	if err != nil {
		return err
	}
	ps, err := st.ResolveProjects(r.Context(), drafts, draftPlace)
	if err != nil {
		return err
	}
	start := time.Now()
	res, run, names, err := ev.EvaluateScenario(r.Context(), ps)
	took := time.Since(start)
	var pe *scenario.ProjectError
	if errors.As(err, &pe) && errors.Is(err, scenario.ErrProject) {
		return errs.E(errs.Invalid, "projects[%d] (%s): %s", pe.Index, pe.Kind, strings.TrimPrefix(pe.Err.Error(), scenario.ErrProject.Error()+": "))
	}
	if err != nil {
		return err
	}
	e := &evaluated{scenario: draftScenario{Name: "draft", Projects: len(ps)}, n: len(ps), res: res, run: run, names: names,
		millis: float64(took.Microseconds()) / 1000}
	return s.writeEvaluation(w, r, e, format, l)
}

// evaluationParams reads format (json, csv or geojson) and lang (en when
// not given; checkLang has refused any other).
func evaluationParams(r *http.Request) (format, l string, err error) {
	format = r.URL.Query().Get("format")
	switch format {
	case "", "json", "csv", "geojson":
	default:
		return "", "", errs.E(errs.Invalid, "format=%q: want json, csv or geojson", errs.Shorten(format))
	}
	l = r.URL.Query().Get("lang")
	if l == "" {
		l = "en"
	}
	return format, l, nil
}

// projectRefusal is the part of the engine's error a client can act on:
// from "project N (#k, kind)" on, without the package prefixes.
func projectRefusal(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "project "); i >= 0 {
		msg = msg[i:]
	}
	return strings.ReplaceAll(msg, "scenario: invalid project: ", "")
}

type srsJSON struct {
	Health *bool    `json:"health_ok"`
	School *bool    `json:"school_ok"`
	Road   *bool    `json:"road_ok"`
	Score  *float64 `json:"score"`
}

type figuresJSON struct {
	SchoolKm        *float64 `json:"school_km"`
	SchoolMin       *float64 `json:"school_min"`
	ClinicKm        *float64 `json:"clinic_km"`
	ClinicMin       *float64 `json:"clinic_min"`
	HospitalKm      *float64 `json:"hospital_km"`
	HospitalMin     *float64 `json:"hospital_min"`
	PavedRoadKm     *float64 `json:"paved_road_km"`
	NearestSchool   int64    `json:"nearest_school_id"`
	NearestClinic   int64    `json:"nearest_clinic_id"`
	NearestHospital int64    `json:"nearest_hospital_id"`
	SRS             srsJSON  `json:"srs"`
	// Methods says how each figure with a value was made: network,
	// straight-line or estimated (DESIGN.md, trust rules).
	Methods map[string]string `json:"methods"`
}

func toFiguresJSON(f scenario.Figures) figuresJSON {
	j := figuresJSON{SchoolKm: finite(f.SchoolKm), SchoolMin: finite(f.SchoolMin), ClinicKm: finite(f.ClinicKm), ClinicMin: finite(f.ClinicMin),
		HospitalKm: finite(f.HospitalKm), HospitalMin: finite(f.HospitalMin), PavedRoadKm: finite(f.PavedRoadKm),
		NearestSchool: f.NearestSchool, NearestClinic: f.NearestClinic, NearestHospital: f.NearestHospital,
		SRS: srsJSON{f.SRS.Health, f.SRS.School, f.SRS.Road, f.SRS.Score}, Methods: map[string]string{}}
	for _, name := range scenario.FigureNames() {
		if m := f.Method(name); m != "" {
			j.Methods[name] = m
		}
	}
	return j
}

type changedJSON struct {
	ID         int64       `json:"id"`
	Name       string      `json:"name"`
	District   string      `json:"district,omitempty"`
	Population int         `json:"population"`
	Lon        float64     `json:"lon"`
	Lat        float64     `json:"lat"`
	Before     figuresJSON `json:"before"`
	After      figuresJSON `json:"after"`
}

// settlementName is the settlement's name in l, else its local name.
func settlementName(r access.SettlementReport, l string) string {
	if n := (lang.Text{KK: r.NameKK, RU: r.NameRU, EN: r.NameEN}).Label(l); n != "" {
		return n
	}
	return r.Name
}

type totalsJSON struct {
	Applies float64 `json:"applies"`
	Meets   float64 `json:"meets"`
}

type standardJSON struct {
	Standard string     `json:"standard"`
	Before   totalsJSON `json:"before"`
	After    totalsJSON `json:"after"`
	Newly    float64    `json:"newly_meeting"`
	Lost     float64    `json:"no_longer_meeting"`
}

type theilJSON struct {
	Total        float64  `json:"total"`
	Between      float64  `json:"between"`
	Within       float64  `json:"within"`
	BetweenShare *float64 `json:"between_share"`
}

func toTheil(d *disparity.Decomposition) *theilJSON {
	if d == nil {
		return nil
	}
	return &theilJSON{d.Total, d.Between, d.Within, finite(d.BetweenShare)}
}

type disparityJSON struct {
	Indicator string     `json:"indicator"`
	Index     string     `json:"index"`
	Before    *theilJSON `json:"before"`
	After     *theilJSON `json:"after"`
}

type areaChangeJSON struct {
	Area      int64    `json:"area_id"`
	Level     string   `json:"level,omitempty"`
	Code      string   `json:"code,omitempty"`
	Name      string   `json:"name,omitempty"` // in the request's lang
	Indicator string   `json:"indicator"`
	Before    *float64 `json:"before"`
	After     *float64 `json:"after"`
}

// areaName is an area's name in l, else in English, Russian or Kazakh,
// the first it has.
func areaName(t lang.Text, l string) string {
	for _, n := range []string{t.Label(l), t.EN, t.RU, t.KK} {
		if n != "" {
			return n
		}
	}
	return ""
}

// areaLabels names the areas of e's changes, when the store can; nil
// otherwise.
func (s *server) areaLabels(ctx context.Context, e *evaluated) (map[int64]scenario.AreaLabel, error) {
	al, ok := s.scenarios.(AreaLabeler)
	if !ok || len(e.res.Areas) == 0 {
		return nil, nil
	}
	var ids []int64
	for _, a := range e.res.Areas {
		if len(ids) == 0 || ids[len(ids)-1] != a.Area { // ordered by area
			ids = append(ids, a.Area)
		}
	}
	return al.AreaLabels(ctx, ids)
}

// totalsOf is what a scenario adds up to: its part of the evaluation and of
// the comparison.
type scenarioTotals struct {
	Projects           int             `json:"projects"`
	ChangedSettlements int             `json:"changed_settlements"`
	CostKZT            float64         `json:"cost_kzt"`
	NewlyServed        float64         `json:"newly_served"`
	CostPerPerson      *float64        `json:"cost_per_person_kzt"`
	Standards          []standardJSON  `json:"standards"`
	Disparity          []disparityJSON `json:"disparity"`
}

func totalsOf(e *evaluated) scenarioTotals {
	t := scenarioTotals{Projects: e.n, ChangedSettlements: len(e.res.Settlements), CostKZT: e.res.CostKZT,
		NewlyServed: e.res.NewlyServed, CostPerPerson: finite(e.res.CostPerPerson),
		Standards: []standardJSON{}, Disparity: []disparityJSON{}}
	for _, sc := range e.res.Standards {
		t.Standards = append(t.Standards, standardJSON{sc.Standard, totalsJSON(sc.Before), totalsJSON(sc.After), sc.Newly, sc.Lost})
	}
	for _, d := range e.res.Disparity {
		t.Disparity = append(t.Disparity, disparityJSON{d.Indicator, "theil_t", toTheil(d.Before), toTheil(d.After)})
	}
	return t
}

type evaluationJSON struct {
	Scenario   any        `json:"scenario"` // scenario.Meta, or draftScenario
	RunID      int64      `json:"run_id"`
	ComputedAt *time.Time `json:"computed_at"`
	Stale      bool       `json:"stale"`
	scenarioTotals
	Settlements []changedJSON    `json:"settlements"`
	Areas       []areaChangeJSON `json:"areas"`
	Notes       []noteJSON       `json:"notes"`
	TimingMs    float64          `json:"timing_ms"`
}

// handleScenarioEvaluation is GET /api/scenarios/{id}/evaluation?format=json|csv|geojson&lang=.
func (s *server) handleScenarioEvaluation(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	format, l, err := evaluationParams(r)
	if err != nil {
		return err
	}
	e, err := s.evaluate(r.Context(), id, "id")
	if err != nil {
		return err
	}
	return s.writeEvaluation(w, r, e, format, l)
}

// changedOf is e's changed settlements as the answers show them, named in l.
func changedOf(e *evaluated, l string) []changedJSON {
	changed := make([]changedJSON, 0, len(e.res.Settlements))
	for _, c := range e.res.Settlements {
		n := e.names[c.ID]
		changed = append(changed, changedJSON{ID: c.ID, Name: settlementName(n, l), District: n.District, Population: c.Population,
			Lon: n.Lon, Lat: n.Lat, Before: toFiguresJSON(c.Before), After: toFiguresJSON(c.After)})
	}
	return changed
}

// writeEvaluation answers e in format (json, csv or geojson), named in l.
func (s *server) writeEvaluation(w http.ResponseWriter, r *http.Request, e *evaluated, format, l string) error {
	changed := changedOf(e, l)
	switch format {
	case "csv":
		name := "scenario-draft-evaluation.csv"
		if e.id != 0 {
			name = fmt.Sprintf("scenario-%d-evaluation.csv", e.id)
		}
		return writeEvaluationCSV(w, name, changed)
	case "geojson":
		fc := geojson.NewFeatureCollection()
		for _, c := range changed {
			f := geojson.NewFeature(orb.Point{c.Lon, c.Lat})
			f.ID = c.ID
			f.Properties = geojson.Properties{"id": c.ID, "name": c.Name, "district": c.District, "population": c.Population,
				"scenario_id": e.id, "run_id": e.run.ID}
			for _, p := range figurePairs(c) {
				f.Properties[p.name+"_before"] = p.before
				f.Properties[p.name+"_after"] = p.after
				if p.method {
					f.Properties[p.name+"_method_before"] = c.Before.Methods[p.name]
					f.Properties[p.name+"_method_after"] = c.After.Methods[p.name]
				}
			}
			fc.Append(f)
		}
		b, err := fc.MarshalJSON()
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "application/geo+json")
		_, err = w.Write(b)
		return err
	}
	labels, err := s.areaLabels(r.Context(), e)
	if err != nil {
		return err
	}
	areas := make([]areaChangeJSON, 0, len(e.res.Areas))
	for _, a := range e.res.Areas {
		lb := labels[a.Area]
		areas = append(areas, areaChangeJSON{Area: a.Area, Level: lb.Level, Code: lb.Code, Name: areaName(lb.Name, l), Indicator: a.Indicator,
			Before: finite(a.Before), After: finite(a.After)})
	}
	writeJSON(w, http.StatusOK, evaluationJSON{Scenario: e.scenario, RunID: e.run.ID, ComputedAt: e.run.FinishedAt, Stale: e.run.Stale,
		scenarioTotals: totalsOf(e), Settlements: changed, Areas: areas, Notes: scenarioNotes(e.run, l), TimingMs: e.millis})
	return nil
}

// figurePair is one figure of a changed settlement before and after;
// method says that the figure has a method (each but the standards').
type figurePair struct {
	name          string
	before, after any
	method        bool
}

func figurePairs(c changedJSON) []figurePair {
	b, a := c.Before, c.After
	return []figurePair{
		{"school_km", b.SchoolKm, a.SchoolKm, true},
		{"school_min", b.SchoolMin, a.SchoolMin, true},
		{"clinic_km", b.ClinicKm, a.ClinicKm, true},
		{"clinic_min", b.ClinicMin, a.ClinicMin, true},
		{"hospital_km", b.HospitalKm, a.HospitalKm, true},
		{"hospital_min", b.HospitalMin, a.HospitalMin, true},
		{"paved_road_km", b.PavedRoadKm, a.PavedRoadKm, true},
		{"srs_health_ok", b.SRS.Health, a.SRS.Health, false},
		{"srs_school_ok", b.SRS.School, a.SRS.School, false},
		{"srs_road_ok", b.SRS.Road, a.SRS.Road, false},
		{"srs_score", b.SRS.Score, a.SRS.Score, false},
	}
}

// writeEvaluationCSV writes the changed settlements as file name: names,
// district, and each figure before, after and its change (empty where
// undefined), and how it was made before and after.
func writeEvaluationCSV(w http.ResponseWriter, name string, changed []changedJSON) error {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	header := []string{"id", "name", "district", "population", "lon", "lat"}
	for _, p := range figurePairs(changedJSON{}) {
		header = append(header, p.name+"_before", p.name+"_after")
		if !strings.HasPrefix(p.name, "srs_") || p.name == "srs_score" {
			header = append(header, p.name+"_delta")
		}
		if p.method {
			header = append(header, p.name+"_method_before", p.name+"_method_after")
		}
	}
	_ = cw.Write(header)
	cell := func(v any) string {
		switch v := v.(type) {
		case *float64:
			if v != nil {
				return strconv.FormatFloat(*v, 'f', -1, 64)
			}
		case *bool:
			if v != nil {
				return strconv.FormatBool(*v)
			}
		}
		return ""
	}
	for _, c := range changed {
		row := []string{strconv.FormatInt(c.ID, 10), c.Name, c.District, strconv.Itoa(c.Population),
			strconv.FormatFloat(c.Lon, 'f', -1, 64), strconv.FormatFloat(c.Lat, 'f', -1, 64)}
		for _, p := range figurePairs(c) {
			row = append(row, cell(p.before), cell(p.after))
			if !strings.HasPrefix(p.name, "srs_") || p.name == "srs_score" {
				d := ""
				if b, ok := p.before.(*float64); ok && b != nil {
					if a, ok := p.after.(*float64); ok && a != nil {
						d = strconv.FormatFloat(*a-*b, 'f', -1, 64)
					}
				}
				row = append(row, d)
			}
			if p.method {
				row = append(row, c.Before.Methods[p.name], c.After.Methods[p.name])
			}
		}
		_ = cw.Write(row)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename=%q`, name))
	_, err := w.Write(buf.Bytes())
	return err
}

// queryID reads a positive whole-number query parameter.
func queryID(r *http.Request, name string) (int64, error) {
	v, ok := r.URL.Query()[name]
	if !ok || len(v) == 0 || v[0] == "" {
		return 0, errs.E(errs.Invalid, "%s: missing: want a scenario id", name)
	}
	id, err := strconv.ParseInt(v[0], 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.E(errs.Invalid, "%s=%q: want a positive whole number", name, errs.Shorten(v[0]))
	}
	return id, nil
}

type compareSide struct {
	Scenario any `json:"scenario"`
	scenarioTotals
	TimingMs float64 `json:"timing_ms"`
}

// handleScenarioCompare is GET /api/scenarios/compare?a=ID&b=ID: two
// scenarios' totals, standards, disparity and cost side by side, on one run.
func (s *server) handleScenarioCompare(w http.ResponseWriter, r *http.Request) error {
	a, err := queryID(r, "a")
	if err != nil {
		return err
	}
	b, err := queryID(r, "b")
	if err != nil {
		return err
	}
	l := r.URL.Query().Get("lang")
	if l == "" {
		l = "en"
	}
	ea, err := s.evaluate(r.Context(), a, "a")
	if err != nil {
		return err
	}
	eb, err := s.evaluate(r.Context(), b, "b")
	if err != nil {
		return err
	}
	if ea.run.ID != eb.run.ID {
		// A run finished between the two: evaluate a again on b's run, so
		// the two sides never mix runs.
		if ea, err = s.evaluate(r.Context(), a, "a"); err != nil {
			return err
		}
		if ea.run.ID != eb.run.ID {
			return errs.E(errs.Unavailable, "compute runs changed during the comparison: try again")
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"run_id":      eb.run.ID,
		"computed_at": eb.run.FinishedAt,
		"stale":       eb.run.Stale,
		"a":           compareSide{ea.scenario, totalsOf(ea), ea.millis},
		"b":           compareSide{eb.scenario, totalsOf(eb), eb.millis},
		"notes":       scenarioNotes(eb.run, l),
	})
	return nil
}

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
	r.Handle("/api/scenarios/{id}/evaluation", s.adapt(s.handleScenarioEvaluation)).Methods(get...)
}

// The engine's limits, said with every evaluation (codes and kk/ru/en words,
// in the manner of lang's catalogue).
var scenarioLimits = []struct {
	code string
	text lang.Text
}{
	{"scenario.recomputed_figures", lang.Text{
		KK: "сценарий тек мектепке, медициналық мекемеге, ауруханаға және асфальт жолға дейінгі қашықтықты және ӨС ұпайын қайта есептейді; басқа көрсеткіштер базалық есептеудікі",
		RU: "сценарий пересчитывает только расстояния до школы, медучреждения, больницы и дороги с твёрдым покрытием и балл СРС; остальные показатели — из базового расчёта",
		EN: "a scenario recomputes only the distances to a school, a health facility, a hospital and a paved road, and the SRS score; every other indicator is the baseline run's",
	}},
	{"scenario.snaps_kept", lang.Text{
		KK: "елді мекендер мен мекемелер базалық есептеудегі жол желісіне қосылған күйінде қалады; жаңа жол ұштарына ең жақын түйіндерді қосады",
		RU: "населённые пункты и учреждения остаются привязанными к сети дорог как в базовом расчёте; новая дорога соединяет узлы, ближайшие к её концам",
		EN: "settlements and facilities keep their baseline place on the road network; a built road joins the junctions nearest its ends",
	}},
	{"scenario.newly_served", lang.Text{
		KK: "жаңадан қамтылғандар — бұрын орындамаған кемінде бір стандартты енді орындайтын елді мекендердің халқы; бір адамға шаққандағы құн — жобалардың жалпы құны осы халыққа бөлінген",
		RU: "новые охваченные — население пунктов, которые теперь выполняют хотя бы один стандарт, не выполнявшийся ранее; стоимость на человека — общая стоимость проектов, делённая на это население",
		EN: "newly served is the population of settlements that now meet at least one standard they did not meet before; cost per person is the projects' total cost divided by it",
	}},
	{"scenario.disparity_theil", lang.Text{
		KK: "теңсіздік — аудандар бойынша Тейл T индексі, макроөңірлер арасында және ішінде",
		RU: "неравенство — индекс Тейла T по районам, между макрорегионами и внутри них",
		EN: "disparity is Theil T over the districts, between and within macroregions",
	}},
}

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
	for _, n := range scenarioLimits {
		out = append(out, noteJSON{Code: n.code, Text: n.text.Label(l)})
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
	meta   scenario.Meta
	n      int // projects
	res    *scenario.Result
	run    access.Run
	names  map[int64]access.SettlementReport
	millis float64
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
	return &evaluated{meta: m, n: len(ps), res: res, run: run, names: names, millis: float64(took.Microseconds()) / 1000}, nil
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
}

func toFiguresJSON(f scenario.Figures) figuresJSON {
	return figuresJSON{SchoolKm: finite(f.SchoolKm), SchoolMin: finite(f.SchoolMin), ClinicKm: finite(f.ClinicKm), ClinicMin: finite(f.ClinicMin),
		HospitalKm: finite(f.HospitalKm), HospitalMin: finite(f.HospitalMin), PavedRoadKm: finite(f.PavedRoadKm),
		NearestSchool: f.NearestSchool, NearestClinic: f.NearestClinic, NearestHospital: f.NearestHospital,
		SRS: srsJSON{f.SRS.Health, f.SRS.School, f.SRS.Road, f.SRS.Score}}
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
	Indicator string   `json:"indicator"`
	Before    *float64 `json:"before"`
	After     *float64 `json:"after"`
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
	Scenario   scenario.Meta `json:"scenario"`
	RunID      int64         `json:"run_id"`
	ComputedAt *time.Time    `json:"computed_at"`
	Stale      bool          `json:"stale"`
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
	format := r.URL.Query().Get("format")
	switch format {
	case "", "json", "csv", "geojson":
	default:
		return errs.E(errs.Invalid, "format=%q: want json, csv or geojson", errs.Shorten(format))
	}
	l := r.URL.Query().Get("lang")
	if l == "" {
		l = "en"
	}
	e, err := s.evaluate(r.Context(), id, "id")
	if err != nil {
		return err
	}
	changed := make([]changedJSON, 0, len(e.res.Settlements))
	for _, c := range e.res.Settlements {
		n := e.names[c.ID]
		changed = append(changed, changedJSON{ID: c.ID, Name: settlementName(n, l), District: n.District, Population: c.Population,
			Lon: n.Lon, Lat: n.Lat, Before: toFiguresJSON(c.Before), After: toFiguresJSON(c.After)})
	}
	switch format {
	case "csv":
		return writeEvaluationCSV(w, id, changed)
	case "geojson":
		fc := geojson.NewFeatureCollection()
		for _, c := range changed {
			f := geojson.NewFeature(orb.Point{c.Lon, c.Lat})
			f.ID = c.ID
			f.Properties = geojson.Properties{"id": c.ID, "name": c.Name, "district": c.District, "population": c.Population,
				"scenario_id": id, "run_id": e.run.ID}
			for _, p := range figurePairs(c) {
				f.Properties[p.name+"_before"] = p.before
				f.Properties[p.name+"_after"] = p.after
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
	areas := make([]areaChangeJSON, 0, len(e.res.Areas))
	for _, a := range e.res.Areas {
		areas = append(areas, areaChangeJSON{a.Area, a.Indicator, finite(a.Before), finite(a.After)})
	}
	writeJSON(w, http.StatusOK, evaluationJSON{Scenario: e.meta, RunID: e.run.ID, ComputedAt: e.run.FinishedAt, Stale: e.run.Stale,
		scenarioTotals: totalsOf(e), Settlements: changed, Areas: areas, Notes: scenarioNotes(e.run, l), TimingMs: e.millis})
	return nil
}

// figurePair is one figure of a changed settlement before and after.
type figurePair struct {
	name          string
	before, after any
}

func figurePairs(c changedJSON) []figurePair {
	b, a := c.Before, c.After
	return []figurePair{
		{"school_km", b.SchoolKm, a.SchoolKm},
		{"school_min", b.SchoolMin, a.SchoolMin},
		{"clinic_km", b.ClinicKm, a.ClinicKm},
		{"clinic_min", b.ClinicMin, a.ClinicMin},
		{"hospital_km", b.HospitalKm, a.HospitalKm},
		{"hospital_min", b.HospitalMin, a.HospitalMin},
		{"paved_road_km", b.PavedRoadKm, a.PavedRoadKm},
		{"srs_health_ok", b.SRS.Health, a.SRS.Health},
		{"srs_school_ok", b.SRS.School, a.SRS.School},
		{"srs_road_ok", b.SRS.Road, a.SRS.Road},
		{"srs_score", b.SRS.Score, a.SRS.Score},
	}
}

// writeEvaluationCSV writes the changed settlements: names, district, and
// each figure before, after and its change (empty where undefined).
func writeEvaluationCSV(w http.ResponseWriter, id int64, changed []changedJSON) error {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	header := []string{"id", "name", "district", "population", "lon", "lat"}
	for _, p := range figurePairs(changedJSON{}) {
		header = append(header, p.name+"_before", p.name+"_after")
		if !strings.HasPrefix(p.name, "srs_") || p.name == "srs_score" {
			header = append(header, p.name+"_delta")
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
		}
		_ = cw.Write(row)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="scenario-%d-evaluation.csv"`, id))
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
	Scenario scenario.Meta `json:"scenario"`
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
		"a":           compareSide{ea.meta, totalsOf(ea), ea.millis},
		"b":           compareSide{eb.meta, totalsOf(eb), eb.millis},
		"notes":       scenarioNotes(eb.run, l),
	})
	return nil
}

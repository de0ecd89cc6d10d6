package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/aimaq/aimaq/data/reference"
	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/lang"
	"github.com/aimaq/aimaq/geo/level"
	"github.com/aimaq/aimaq/geo/route"
	"github.com/aimaq/aimaq/geo/scenario"
	"github.com/aimaq/aimaq/geo/siting"
	"github.com/aimaq/aimaq/internal/errs"
	"github.com/gorilla/mux"
)

// Siter proposes sites and costs the standards on the latest finished
// compute run (issue 13); *compute.Baselines is one. The server finds it in
// its ScenarioEvaluator (cmd/aimaq wires compute.Baselines as both), so that
// siting shares the baseline scenarios are evaluated on.
type Siter interface {
	// Siting answers q for the area of lvl and code; unitCosts override
	// unit-cost rows (key → tenge). errs.Invalid names a bad code or query.
	Siting(ctx context.Context, lvl level.Level, code string, q siting.Query, unitCosts map[string]int64) (*siting.Answer, error)
	// SRSCost costs the standards (budget 0), or plans for a budget, for
	// the whole country (scope "") or the area of level scope and code.
	SRSCost(ctx context.Context, budget float64, scope level.Level, code string, unitCosts map[string]int64) (*siting.CostAnswer, error)
}

// sitingRoutes registers the siting and the costing of the standards:
// reads open to everyone, saving as a scenario behind a token.
func (s *server) sitingRoutes(r *mux.Router) {
	get := []string{http.MethodGet, http.MethodHead}
	r.Handle("/api/siting", s.adapt(s.handleSiting)).Methods(get...)
	r.Handle("/api/siting/scenario", s.adapt(s.authorized(s.handleSitingScenario))).Methods(http.MethodPost)
	r.Handle("/api/srs/cost", s.adapt(s.handleSRSCost)).Methods(get...)
	r.Handle("/api/srs/cost/scenario", s.adapt(s.authorized(s.handleSRSCostScenario))).Methods(http.MethodPost)
}

func (s *server) siter() (Siter, error) {
	if sv, ok := s.scenarioEval.(Siter); ok {
		return sv, nil
	}
	return nil, errs.E(errs.Unavailable, "siting not available")
}

// maxSites is the most sites one siting answer proposes.
const maxSites = 100

// sitingParams are the parameters of GET /api/siting and the body of POST
// /api/siting/scenario.
type sitingParams struct {
	Level     level.Level
	Code      string
	Query     siting.Query
	UnitCosts map[string]int64
}

// params reads one value of a parameter; repeats are refused.
func oneParam(q url.Values, name string) (string, error) {
	vs := q[name]
	if len(vs) > 1 {
		return "", errs.E(errs.Invalid, "%s: given %d times: want one", name, len(vs))
	}
	if len(vs) == 0 {
		return "", nil
	}
	return vs[0], nil
}

// parseSiting reads level, code, facility, method, k, budget and unit_cost
// from q (query parameters, or a body's fields as strings).
func parseSiting(q url.Values) (sitingParams, error) {
	var p sitingParams
	get := func(name string) string { v, _ := oneParam(q, name); return v }
	for _, n := range []string{"level", "code", "facility", "method", "k", "budget"} {
		if _, err := oneParam(q, n); err != nil {
			return p, err
		}
	}
	if get("level") == "" {
		return p, errs.E(errs.Invalid, "level is required: want %s", level.Or(level.Names(level.Any)))
	}
	lvl, err := level.Parse(get("level"), level.Any)
	if err != nil {
		return p, err
	}
	p.Level, p.Code = lvl, get("code")
	if p.Code == "" && lvl != level.Country {
		return p, errs.E(errs.Invalid, "code is required for level %s: the area's KATO code (or the group's code)", lvl)
	}
	p.Query.Facility = get("facility")
	if !slices.Contains(siting.Facilities, p.Query.Facility) {
		return p, errs.E(errs.Invalid, "facility=%q: want %s", errs.Shorten(p.Query.Facility), level.Or(siting.Facilities))
	}
	p.Query.Method = get("method")
	switch p.Query.Method {
	case "":
		p.Query.Method = siting.MethodCover
	case siting.MethodCover, siting.MethodPMedian:
	default:
		return p, errs.E(errs.Invalid, "method=%q: want %s or %s", errs.Shorten(p.Query.Method), siting.MethodCover, siting.MethodPMedian)
	}
	k, budget := get("k"), get("budget")
	switch {
	case k != "" && budget != "":
		return p, errs.E(errs.Invalid, "k and budget: give one, not both")
	case k == "" && budget == "":
		return p, errs.E(errs.Invalid, "k or budget is required: a number of sites (1..%d) or a budget in tenge", maxSites)
	case k != "":
		n, err := strconv.Atoi(k)
		if err != nil || n < 1 || n > maxSites {
			return p, errs.E(errs.Invalid, "k=%q: want a whole number of sites from 1 to %d", errs.Shorten(k), maxSites)
		}
		p.Query.K = n
	default:
		if p.Query.Method == siting.MethodPMedian {
			return p, errs.E(errs.Invalid, "budget: method pmedian takes k, a number of sites; a budget needs method cover")
		}
		if p.Query.BudgetKZT, err = parseBudget(budget); err != nil {
			return p, err
		}
	}
	p.UnitCosts, err = parseUnitCosts(q["unit_cost"])
	return p, err
}

func parseBudget(v string) (float64, error) {
	b, err := strconv.ParseFloat(v, 64)
	if err != nil || !(b > 0) || math.IsInf(b, 0) {
		return 0, errs.E(errs.Invalid, "budget=%q: want a positive number of tenge", errs.Shorten(v))
	}
	return b, nil
}

// parseUnitCosts reads unit_cost=KEY:TENGE overrides of the unit-cost table.
func parseUnitCosts(vs []string) (map[string]int64, error) {
	if len(vs) == 0 {
		return nil, nil
	}
	out := map[string]int64{}
	for _, v := range vs {
		key, c, ok := strings.Cut(v, ":")
		n, err := strconv.ParseInt(c, 10, 64)
		if !ok || err != nil || n <= 0 {
			return nil, errs.E(errs.Invalid, "unit_cost=%q: want KEY:TENGE, a positive whole number (keys: %s)", errs.Shorten(v), strings.Join(reference.UnitCostKeys(), ", "))
		}
		if !slices.Contains(reference.UnitCostKeys(), key) {
			return nil, errs.E(errs.Invalid, "unit_cost=%q: unknown key %q: want one of %s", errs.Shorten(v), errs.Shorten(key), strings.Join(reference.UnitCostKeys(), ", "))
		}
		if _, dup := out[key]; dup {
			return nil, errs.E(errs.Invalid, "unit_cost: %s given twice", key)
		}
		out[key] = n
	}
	return out, nil
}

// outputParams reads format (json or csv) and lang (en when not given;
// checkLang has refused any other).
func outputParams(q url.Values) (format, l string, err error) {
	format = q.Get("format")
	switch format {
	case "":
		format = "json"
	case "json", "csv":
	default:
		return "", "", errs.E(errs.Invalid, "format=%q: want json or csv", errs.Shorten(format))
	}
	if l = q.Get("lang"); l == "" {
		l = "en"
	}
	return format, l, nil
}

// word is the siting and costing message code in l (geo/lang's catalogue).
func word(code, l string) string { return lang.Msg(code).In(l) }

type sitingArea struct {
	Level string `json:"level"`
	Code  string `json:"code"`
	Name  string `json:"name"`
}

type sitingStandard struct {
	Metric string  `json:"metric"`
	Limit  float64 `json:"limit"`
}

type sitingSite struct {
	Rank          int     `json:"rank"`
	SettlementID  int64   `json:"settlement_id"`
	Name          string  `json:"name"`
	Lon           float64 `json:"lon"`
	Lat           float64 `json:"lat"`
	NewlyCovered  float64 `json:"newly_covered"`
	CostKZT       float64 `json:"cost_kzt"`
	OffNetwork    bool    `json:"off_network"`
	StraightPairs int     `json:"straight_pairs"`
}

type sitingAnswer struct {
	RunID         int64          `json:"run_id"`
	Area          sitingArea     `json:"area"`
	Facility      string         `json:"facility"`
	Method        string         `json:"method"`
	Standard      sitingStandard `json:"standard"`
	Population    float64        `json:"population"`
	CoveredBefore float64        `json:"covered_before"`
	CoveredAfter  float64        `json:"covered_after"`
	Guarantee     string         `json:"guarantee"`
	Sites         []sitingSite   `json:"sites"`
	Notes         []noteJSON     `json:"notes"`
	Synthetic     bool           `json:"synthetic,omitempty"`
}

func metricName(m route.Metric) string {
	if m == route.ByTime {
		return "min"
	}
	return "km"
}

// siteUnit is the unit-cost row a site of kind is priced from.
func siteUnit(kind string, place string) string {
	switch kind {
	case "school":
		if place == "city" {
			return reference.UnitSchoolPlaceUrban
		}
		return reference.UnitSchoolPlaceRural
	case "medical_post":
		return reference.UnitMedicalPost
	case "feldsher_post":
		return reference.UnitFAP
	case "clinic":
		return reference.UnitAmbulatory
	}
	if place == "city" {
		return reference.UnitPolyclinicUrban
	}
	return reference.UnitPHCCentre
}

func (s *server) synthetic(ctx context.Context) (bool, error) {
	if s.indicators == nil {
		return false, nil
	}
	return s.indicators.SyntheticData(ctx)
}

func staleNote(run access.Run, l string) []noteJSON {
	if !run.Stale {
		return nil
	}
	m := lang.Msg(lang.MsgDataChanged, "run", strconv.FormatInt(run.ID, 10))
	return []noteJSON{{Code: m.Code, Args: m.Args, Text: m.In(l)}}
}

func (s *server) sitingAnswer(ctx context.Context, a *siting.Answer, q siting.Query, l string) (*sitingAnswer, error) {
	p := a.Proposal
	out := &sitingAnswer{RunID: a.Run.ID, Area: sitingArea{string(a.Area.Level), a.Area.Code, areaName(a.Area.Name, l)},
		Facility: q.Facility, Method: q.Method, Standard: sitingStandard{metricName(p.Standard.Metric), p.Standard.Limit},
		Population: p.Population, CoveredBefore: p.CoveredBefore, CoveredAfter: p.CoveredAfter, Sites: []sitingSite{}}
	switch {
	case q.Method == siting.MethodPMedian:
		out.Guarantee = word("guarantee.pmedian", l)
	case q.BudgetKZT > 0:
		out.Guarantee = word("guarantee.budget", l)
	default:
		out.Guarantee = word("guarantee.cover", l)
	}
	straight := false
	units := map[string]bool{}
	for k, pk := range p.Result.Picks {
		nm := a.Names[pk.Site.SettlementID]
		units[siteUnit(q.Facility, nm.Place)] = true
		out.Sites = append(out.Sites, sitingSite{Rank: k + 1, SettlementID: pk.Site.SettlementID, Name: settlementName(nm, l),
			Lon: pk.Site.Point[0], Lat: pk.Site.Point[1], NewlyCovered: p.Newly[k], CostKZT: pk.Site.CostKZT,
			OffNetwork: pk.OffNetwork, StraightPairs: pk.StraightPairs})
		straight = straight || pk.OffNetwork || pk.StraightPairs > 0
	}
	if len(units) == 0 {
		units[siteUnit(q.Facility, "")] = true
	}
	out.Notes = staleNote(a.Run, l)
	keys := make([]string, 0, len(units))
	for u := range units {
		keys = append(keys, u)
	}
	slices.Sort(keys)
	m := lang.Msg("siting.candidates", "unit", strings.Join(keys, ", "))
	out.Notes = append(out.Notes, noteJSON{Code: m.Code, Args: m.Args, Text: m.In(l)})
	if p.PerSettlement {
		out.Notes = append(out.Notes, noteJSON{Code: "siting.own_radius", Text: word("siting.own_radius", l)})
	}
	if straight {
		out.Notes = append(out.Notes, noteJSON{Code: "siting.straight_line", Text: word("siting.straight_line", l)})
	}
	var err error
	out.Synthetic, err = s.synthetic(ctx)
	return out, err
}

// handleSiting is GET /api/siting: sites for new facilities in one area.
func (s *server) handleSiting(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	p, err := parseSiting(q)
	if err != nil {
		return err
	}
	format, l, err := outputParams(q)
	if err != nil {
		return err
	}
	sv, err := s.siter()
	if err != nil {
		return err
	}
	a, err := sv.Siting(r.Context(), p.Level, p.Code, p.Query, p.UnitCosts)
	if err != nil {
		return err
	}
	ans, err := s.sitingAnswer(r.Context(), a, p.Query, l)
	if err != nil {
		return err
	}
	if format == "csv" {
		rows := [][]string{{"rank", "settlement_id", "name", "lon", "lat", "newly_covered", "cost_kzt", "off_network", "straight_pairs"}}
		for _, st := range ans.Sites {
			rows = append(rows, []string{strconv.Itoa(st.Rank), strconv.FormatInt(st.SettlementID, 10), st.Name, num(st.Lon), num(st.Lat),
				num(st.NewlyCovered), num(st.CostKZT), strconv.FormatBool(st.OffNetwork), strconv.Itoa(st.StraightPairs)})
		}
		writeCSV(w, fmt.Sprintf("aimaq-siting-%s-%s-%s.csv", ans.Area.Level, ans.Area.Code, ans.Facility), rows)
		return nil
	}
	writeJSON(w, http.StatusOK, ans)
	return nil
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// writeCSV writes rows as UTF-8 CSV (RFC 4180, CRLF line ends) to download
// as name.
func writeCSV(w http.ResponseWriter, name string, rows [][]string) {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.UseCRLF = true
	_ = cw.WriteAll(rows)
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
}

// sitingScenarioBody is the body of POST /api/siting/scenario: the scenario's
// name and description and the parameters of GET /api/siting.
type sitingScenarioBody struct {
	Name        *string          `json:"name"`
	Description string           `json:"description"`
	Level       string           `json:"level"`
	Code        string           `json:"code"`
	Facility    string           `json:"facility"`
	Method      string           `json:"method"`
	K           *int             `json:"k"`
	Budget      *float64         `json:"budget"`
	UnitCosts   map[string]int64 `json:"unit_costs"`
}

type savedAnswer struct {
	scenario.Meta
	RunID  int64  `json:"run_id"`
	Source string `json:"source"`
	// Skipped counts projects a plan has that cannot be drawn (a road with
	// no paved road to join).
	Skipped int `json:"skipped,omitempty"`
}

// saveScenario creates a scenario with drafts, all or nothing: when the
// projects are refused the scenario is deleted again.
func (s *server) saveScenario(r *http.Request, name, desc string, drafts []scenario.Draft) (scenario.Meta, error) {
	st, err := s.scenarioStore()
	if err != nil {
		return scenario.Meta{}, err
	}
	ctx, who := r.Context(), writerOf(r)
	m, err := st.CreateScenario(ctx, who, name, desc)
	if err != nil {
		return m, err
	}
	if len(drafts) > 0 {
		if _, err := st.AddProjects(ctx, who, m.ID, drafts, func(i int, field string) string { return fmt.Sprintf("projects[%d].%s", i, field) }); err != nil {
			_ = st.DeleteScenario(context.WithoutCancel(ctx), who, m.ID)
			return m, err
		}
	}
	return st.Scenario(ctx, m.ID)
}

func refOf[T any](v T) *T { return &v }

// handleSitingScenario is POST /api/siting/scenario: the proposed sites
// saved as a new scenario of open_facility projects.
func (s *server) handleSitingScenario(w http.ResponseWriter, r *http.Request) error {
	var b sitingScenarioBody
	if err := decodeJSON(http.MaxBytesReader(w, r.Body, maxJSONBody), &b, "body"); err != nil {
		return err
	}
	if b.Name == nil || strings.TrimSpace(*b.Name) == "" {
		return errs.E(errs.Invalid, "name: missing")
	}
	q := url.Values{"level": {b.Level}, "code": {b.Code}, "facility": {b.Facility}, "method": {b.Method}}
	if b.K != nil {
		q.Set("k", strconv.Itoa(*b.K))
	}
	if b.Budget != nil {
		q.Set("budget", num(*b.Budget))
	}
	for k, v := range b.UnitCosts {
		q.Add("unit_cost", k+":"+strconv.FormatInt(v, 10))
	}
	p, err := parseSiting(q)
	if err != nil {
		return err
	}
	sv, err := s.siter()
	if err != nil {
		return err
	}
	a, err := sv.Siting(r.Context(), p.Level, p.Code, p.Query, p.UnitCosts)
	if err != nil {
		return err
	}
	projects, err := a.Proposal.Result.Projects(p.Query.Facility)
	if err != nil {
		return errs.Wrap(errs.Invalid, err, "facility")
	}
	l := projectLang(r)
	source := fmt.Sprintf("aimaq siting, %s, run %d", p.Query.Method, a.Run.ID)
	drafts := make([]scenario.Draft, 0, len(projects))
	for _, pr := range projects {
		name := lang.Msg(lang.MsgProposedFacility, "kind", lang.FacilityKind(pr.FacilityKind).Label(l),
			"place", settlementName(a.Names[pr.SettlementID], l)).In(l)
		drafts = append(drafts, scenario.Draft{Kind: string(scenario.OpenFacility), Name: name,
			FacilityKind: pr.FacilityKind, Lon: refOf(pr.Point[0]), Lat: refOf(pr.Point[1]), CostKZT: refOf(pr.CostKZT),
			Status: string(scenario.Planned), Source: source})
	}
	m, err := s.saveScenario(r, *b.Name, b.Description, drafts)
	if err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/scenarios/%d", m.ID))
	writeJSON(w, http.StatusCreated, savedAnswer{Meta: m, RunID: a.Run.ID, Source: source})
	return nil
}

type costStandard struct {
	CostKZT            float64            `json:"cost_kzt"`
	Projects           int                `json:"projects"`
	StraightLine       int                `json:"straight_line_projects"`
	Failing            float64            `json:"failing"`
	FailingSettlements int                `json:"failing_settlements"`
	BroughtUp          float64            `json:"brought_up"`
	LeftOut            map[string]float64 `json:"left_out"`
}

type costArea struct {
	Level     string                  `json:"level"`
	Code      string                  `json:"code"`
	Name      string                  `json:"name"`
	CostKZT   float64                 `json:"cost_kzt"`
	BroughtUp float64                 `json:"brought_up"`
	Standards map[string]costStandard `json:"standards"`
}

type costLeftOut struct {
	Standard    string  `json:"standard"`
	Reason      string  `json:"reason"`
	Text        string  `json:"text"`
	Settlements int     `json:"settlements"`
	Population  float64 `json:"population"`
}

type unitCostJSON struct {
	Key      string `json:"key"`
	Unit     string `json:"unit"`
	CostKZT  int64  `json:"cost_kzt"`
	Year     int    `json:"year"`
	Kind     string `json:"kind"`
	Source   string `json:"source"`
	TableKZT int64  `json:"table_kzt,omitempty"`
}

type costAnswer struct {
	RunID int64 `json:"run_id"`
	// Area is the area the plan is made for (area=LEVEL:CODE); absent for
	// the country.
	Area      *sitingArea    `json:"area,omitempty"`
	Level     string         `json:"level"`
	BudgetKZT float64        `json:"budget_kzt,omitempty"`
	CostKZT   float64        `json:"cost_kzt"`
	BroughtUp float64        `json:"brought_up"`
	Projects  int            `json:"projects"`
	Areas     []costArea     `json:"areas"`
	LeftOut   []costLeftOut  `json:"left_out"`
	UnitCosts []unitCostJSON `json:"unit_costs"`
	Notes     []noteJSON     `json:"notes"`
	Synthetic bool           `json:"synthetic,omitempty"`
}

// costParams reads level (oblast when not given), area, budget and
// unit_cost.
func costParams(q url.Values) (lvl level.Level, scope level.Level, code string, budget float64, over map[string]int64, err error) {
	lvl = level.Oblast
	if v := q.Get("level"); v != "" {
		if lvl, err = level.Parse(v, level.Any); err != nil {
			return
		}
	}
	if v := q.Get("area"); v != "" {
		if scope, code, err = parseScope(v); err != nil {
			return
		}
	}
	if v := q.Get("budget"); v != "" {
		if budget, err = parseBudget(v); err != nil {
			return
		}
	}
	over, err = parseUnitCosts(q["unit_cost"])
	return
}

// parseScope reads area=LEVEL:CODE, the area a plan is made for.
func parseScope(v string) (level.Level, string, error) {
	l, code, ok := strings.Cut(v, ":")
	if !ok || code == "" {
		return "", "", errs.E(errs.Invalid, "area=%q: want LEVEL:CODE, such as oblast:350000000", errs.Shorten(v))
	}
	lvl, err := level.Parse(l, level.Any)
	if err != nil {
		return "", "", errs.E(errs.Invalid, "area=%q: level %q unknown: want %s", errs.Shorten(v), errs.Shorten(l), level.Or(level.Names(level.Any)))
	}
	return lvl, code, nil
}

func unitCostRows(over map[string]int64) ([]unitCostJSON, error) {
	t, err := reference.UnitCosts()
	if err == nil && len(over) > 0 {
		t, err = t.Override(over)
	}
	if err != nil {
		return nil, errs.Wrap(errs.Invalid, err, "unit costs")
	}
	var out []unitCostJSON
	for _, u := range t.All() {
		out = append(out, unitCostJSON{u.Key, u.Unit, u.CostKZT, u.Year, u.Kind, u.Source, u.TableKZT})
	}
	return out, nil
}

func (s *server) costAnswer(ctx context.Context, a *siting.CostAnswer, lvl level.Level, over map[string]int64, l string) (*costAnswer, error) {
	p := a.Plan
	out := &costAnswer{RunID: a.Run.ID, Level: string(lvl), BudgetKZT: p.BudgetKZT, CostKZT: p.CostKZT, BroughtUp: p.BroughtUp,
		Projects: len(p.Projects), Areas: []costArea{}, LeftOut: []costLeftOut{}}
	if a.Scope != nil {
		out.Area = &sitingArea{string(a.Scope.Level), a.Scope.Code, areaName(a.Scope.Name, l)}
	}
	for _, ac := range p.Areas {
		if ac.Level != lvl || a.Scope != nil && !touched(&ac) {
			continue
		}
		ar := a.Areas[ac.Area]
		ca := costArea{Level: string(lvl), Code: ar.Code, Name: areaName(ar.Name, l), CostKZT: ac.CostKZT(), BroughtUp: ac.BroughtUp(), Standards: map[string]costStandard{}}
		for _, st := range siting.Standards {
			sc := ac.Standard[st]
			ca.Standards[st] = costStandard{sc.CostKZT, sc.Projects, sc.StraightLine, sc.Failing, sc.FailingSettlements, sc.BroughtUp, sc.LeftOut}
		}
		out.Areas = append(out.Areas, ca)
	}
	slices.SortFunc(out.Areas, func(x, y costArea) int { return strings.Compare(x.Code, y.Code) })
	for _, lo := range p.LeftOut {
		out.LeftOut = append(out.LeftOut, costLeftOut{lo.Standard, lo.Reason, word("left."+lo.Reason, l), lo.Settlements, lo.Population})
	}
	var err error
	if out.UnitCosts, err = unitCostRows(over); err != nil {
		return nil, err
	}
	out.Notes = append(staleNote(a.Run, l), noteJSON{Code: "cost.method", Text: word("cost.method", l)}, noteJSON{Code: "cost.roads", Text: word("cost.roads", l)})
	if p.BudgetKZT > 0 {
		out.Notes = append(out.Notes, noteJSON{Code: "cost.budget", Text: word("cost.budget", l)})
	}
	out.Synthetic, err = s.synthetic(ctx)
	return out, err
}

// touched says whether a plan counts anything in an area: a plan for one
// area lists only the areas it reaches.
func touched(ac *siting.AreaCost) bool {
	for _, st := range siting.Standards {
		sc := ac.Standard[st]
		if sc.Failing > 0 || sc.FailingSettlements > 0 || sc.Projects > 0 || len(sc.LeftOut) > 0 {
			return true
		}
	}
	return false
}

// handleSRSCost is GET /api/srs/cost: the cost of meeting the standards per
// area of one level, or the plan for a budget.
func (s *server) handleSRSCost(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	lvl, scope, code, budget, over, err := costParams(q)
	if err != nil {
		return err
	}
	format, l, err := outputParams(q)
	if err != nil {
		return err
	}
	sv, err := s.siter()
	if err != nil {
		return err
	}
	a, err := sv.SRSCost(r.Context(), budget, scope, code, over)
	if err != nil {
		return err
	}
	ans, err := s.costAnswer(r.Context(), a, lvl, over, l)
	if err != nil {
		return err
	}
	if format == "csv" {
		head := []string{"level", "code", "name"}
		for _, st := range siting.Standards {
			head = append(head, st+"_cost_kzt", st+"_projects", st+"_failing", st+"_brought_up")
			for _, rs := range siting.LeftReasons {
				head = append(head, st+"_left_"+rs)
			}
		}
		head = append(head, "cost_kzt", "brought_up")
		rows := [][]string{head}
		for _, ar := range ans.Areas {
			row := []string{ar.Level, ar.Code, ar.Name}
			for _, st := range siting.Standards {
				sc := ar.Standards[st]
				row = append(row, num(sc.CostKZT), strconv.Itoa(sc.Projects), num(sc.Failing), num(sc.BroughtUp))
				for _, rs := range siting.LeftReasons {
					row = append(row, num(sc.LeftOut[rs]))
				}
			}
			rows = append(rows, append(row, num(ar.CostKZT), num(ar.BroughtUp)))
		}
		writeCSV(w, fmt.Sprintf("aimaq-srs-cost-%s.csv", lvl), rows)
		return nil
	}
	writeJSON(w, http.StatusOK, ans)
	return nil
}

// costScenarioBody is the body of POST /api/srs/cost/scenario: the costed
// plan (or, with budget, the budget plan) saved as a scenario, for the
// country or, with level and code, for one area.
type costScenarioBody struct {
	Name        *string          `json:"name"`
	Description string           `json:"description"`
	Level       string           `json:"level"`
	Code        string           `json:"code"`
	Budget      *float64         `json:"budget"`
	UnitCosts   map[string]int64 `json:"unit_costs"`
}

// handleSRSCostScenario is POST /api/srs/cost/scenario.
func (s *server) handleSRSCostScenario(w http.ResponseWriter, r *http.Request) error {
	var b costScenarioBody
	if err := decodeJSON(http.MaxBytesReader(w, r.Body, maxJSONBody), &b, "body"); err != nil {
		return err
	}
	if b.Name == nil || strings.TrimSpace(*b.Name) == "" {
		return errs.E(errs.Invalid, "name: missing")
	}
	budget := 0.0
	if b.Budget != nil {
		var err error
		if budget, err = parseBudget(num(*b.Budget)); err != nil {
			return err
		}
	}
	q := url.Values{}
	for k, v := range b.UnitCosts {
		q.Add("unit_cost", k+":"+strconv.FormatInt(v, 10))
	}
	over, err := parseUnitCosts(q["unit_cost"])
	if err != nil {
		return err
	}
	sv, err := s.siter()
	if err != nil {
		return err
	}
	var scope level.Level
	if b.Level != "" && b.Level != string(level.Country) {
		if scope, err = level.Parse(b.Level, level.Any); err != nil {
			return err
		}
	}
	a, err := sv.SRSCost(r.Context(), budget, scope, b.Code, over)
	if err != nil {
		return err
	}
	method := "cost"
	if budget > 0 {
		method = "budget"
	}
	l := projectLang(r)
	source := fmt.Sprintf("aimaq srs cost, %s, run %d", method, a.Run.ID)
	var drafts []scenario.Draft
	skipped := 0
	for _, pr := range a.Plan.Projects {
		st := a.Settlements[pr.Settlement]
		name := settlementName(a.Names[st.ID], l)
		d := scenario.Draft{CostKZT: refOf(pr.CostKZT), Status: string(scenario.Planned), Source: source + ", unit " + pr.Unit}
		if pr.Standard == siting.StdRoad {
			if pr.To == ([2]float64{}) {
				skipped++
				continue
			}
			// Paving a drawn line is not evaluated: the paved access is
			// drawn as a new paved road from the settlement to the
			// nearest paved road, priced as the plan prices it.
			d.Kind, d.RoadClass = string(scenario.BuildRoad), "tertiary"
			d.Name = lang.Msg(lang.MsgPavedAccess, "place", name, "km", strconv.FormatFloat(pr.RoadKm, 'f', 1, 64)).In(l)
			d.Line = [][]float64{{pr.Point[0], pr.Point[1]}, {pr.To[0], pr.To[1]}}
		} else {
			d.Kind, d.FacilityKind = string(scenario.OpenFacility), pr.FacilityKind
			d.Name = lang.Msg(lang.MsgFacilityAt, "kind", lang.FacilityKind(pr.FacilityKind).Label(l), "place", name).In(l)
			d.Lon, d.Lat = refOf(pr.Point[0]), refOf(pr.Point[1])
			if pr.Places > 0 {
				d.Capacity = refOf(pr.Places)
			}
		}
		drafts = append(drafts, d)
	}
	m, err := s.saveScenario(r, *b.Name, b.Description, drafts)
	if err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/scenarios/%d", m.ID))
	writeJSON(w, http.StatusCreated, savedAnswer{Meta: m, RunID: a.Run.ID, Source: source, Skipped: skipped})
	return nil
}

// projectLang is the language a saved plan names its projects in: the
// request's lang (kk, ru or en, checked with every /api/ request), else en.
func projectLang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l != "" {
		return l
	}
	return "en"
}

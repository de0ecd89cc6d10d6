package siting

import (
	"container/heap"
	"fmt"
	"math"
	"slices"

	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/indicator"
	"github.com/aimaq/aimaq/geo/level"
	"github.com/aimaq/aimaq/geo/route"
	"github.com/aimaq/aimaq/geo/scenario"
	"github.com/paulmach/orb"
)

// The standards the costing prices, by name (the names the SRS checks carry
// in the API: access.Check's Health, School and Road).
const (
	StdSchool = "school"
	StdHealth = "health"
	StdRoad   = "road"
)

// maxPavedSearchMetres is how far the run looks for a paved road
// (geo/access): a settlement farther has no paved_road_km.
const maxPavedSearchMetres = 200_000

// Standards lists the standards in the order answers give them.
var Standards = []string{StdSchool, StdHealth, StdRoad}

// Why a settlement that fails a standard, or has no facility of it, is left
// out of the costed plan (CostLeftOut.Reason).
const (
	// LeftTooSmall: the standard does not apply to a place this small (a
	// school under access.SchoolMinPop people; a health facility under 50;
	// paved access at access.PavedMinPop people or fewer, unless a town or
	// city), and it has no facility or paved road within the standard's
	// reach: the norms due it nothing to build.
	LeftTooSmall = "too_small"
	// LeftNoData: the standard cannot be checked with the data loaded (no
	// facility of the kind in the data, no paved road within the engine's
	// search bound of 200 km, no roads at all).
	LeftNoData = "no_data"
	// LeftBeyondReach: no candidate site reaches it within the norm, not
	// even one in the settlement itself (its trip onto the road network and
	// back measures longer than the norm).
	LeftBeyondReach = "beyond_reach"
	// LeftNoUnitCost: the project it needs has no price in the unit-cost
	// table (a hospital for a city over 30,000 people).
	LeftNoUnitCost = "no_unit_cost"
)

// LeftReasons lists the reasons in the order answers give them.
var LeftReasons = []string{LeftTooSmall, LeftNoData, LeftBeyondReach, LeftNoUnitCost}

// Price is a unit cost and the key of the unit-cost table row it comes from
// (data/reference unit_costs.csv), so that every cost cites its row.
type Price struct {
	Key string
	KZT float64 // tenge per unit; 0 = no price
}

// Prices are the unit costs the costing multiplies.
type Prices struct {
	// SchoolPlaceRural and SchoolPlaceUrban price a pupil place; a new school
	// has SchoolPlacesRural (a village, town or any place but a city) or
	// SchoolPlacesUrban (a city) places: the school sizes the rows price.
	SchoolPlaceRural, SchoolPlaceUrban   Price
	SchoolPlacesRural, SchoolPlacesUrban int
	// Health prices one facility of each level, in access.HealthLevels
	// order (medical post, feldsher post, ambulatory, primary centre,
	// hospital); a level without a price leaves its settlements out
	// (LeftNoUnitCost).
	Health [5]Price
	// PolyclinicUrban prices a polyclinic sited in a city (Propose); 0 takes
	// the primary centre's price.
	PolyclinicUrban Price
	// PaveRoad prices a kilometre of paving of an existing unpaved road,
	// NewRoad a kilometre of new paved road.
	PaveRoad, NewRoad Price
}

// HealthKinds are the facility kinds that open a facility of each level, in
// access.HealthLevels order.
var HealthKinds = [5]string{"medical_post", "feldsher_post", "clinic", "polyclinic", "hospital"}

// CostInput is what the costing reads: a compute run's settlements, areas
// and figures, its road network and options, and the prices.
type CostInput struct {
	Settlements []access.Settlement
	Areas       []access.Area
	// Figures are each settlement's figures as the run found them, in
	// Settlements order (scenario.Baseline.Figures).
	Figures []scenario.Figures
	// Facilities are the existing facilities (Propose's p-median and its
	// candidates read them; Cost reads the figures only).
	Facilities []access.Facility
	Graph      *route.Graph
	Snapper    *route.Snapper
	Options    access.Options
	Prices     Prices
	// InArea, when set, limits the plan to the settlements it accepts (by
	// index): only they are brought up, counted or left out, and only they
	// are candidate sites (see InArea); nil plans for all.
	InArea func(i int) bool
}

// CostProject is one project of a costed plan.
type CostProject struct {
	Standard string
	// Settlement is the index in CostInput.Settlements of the settlement the
	// project is at: the facility's site, or the settlement the road serves.
	Settlement int
	Point      orb.Point
	// FacilityKind is the kind a facility project opens (school,
	// medical_post, …); "" for a road.
	FacilityKind string
	HealthLevel  access.HealthLevel
	// Places is the number of pupil places of a new school.
	Places int
	// RoadKm is the length of road paved (see Cost); RoadNew says it is a
	// new road, the settlement being off the network.
	RoadKm  float64
	RoadNew bool
	// To is the nearest point of the nearest paved road, where the paved
	// access ends (zero when there is no road network).
	To orb.Point
	// Unit is the unit-cost row the cost comes from; CostKZT the cost.
	Unit    string
	CostKZT float64
	// Covers are the settlements (indices) the project brings up to the
	// standard, in the order of the plan (a settlement counts for the first
	// project that brings it up); Population their population.
	Covers     []int
	Population float64
	// OffNetwork and StraightPairs flag a facility measured by the
	// straight-line rule (see Pick).
	OffNetwork    bool
	StraightPairs int
}

// CostLeftOut is population a plan leaves out of one standard, for one
// reason.
type CostLeftOut struct {
	Standard, Reason string
	Settlements      int
	Population       float64
}

// StandardCost is one standard's part of a plan in one area.
type StandardCost struct {
	CostKZT float64
	// Projects sited in the area; Failing the population of its settlements
	// that fail the standard; BroughtUp the part the plan brings up.
	Projects int
	// StraightLine counts the facility projects whose reach rests on the
	// straight-line rule (off the network, or some pairs without a route).
	StraightLine         int
	Failing, BroughtUp   float64
	FailingSettlements   int
	BroughtUpSettlements int
	// LeftOut is population left out, by reason (LeftReasons).
	LeftOut map[string]float64
}

// AreaCost is a plan's figures in one area: a project's cost counts in the
// areas of the settlement it is at, a settlement brought up in its own.
type AreaCost struct {
	Area     int64
	Level    level.Level
	Standard map[string]*StandardCost
}

// CostKZT is the area's total over the standards.
func (a *AreaCost) CostKZT() float64 {
	t := 0.0
	for _, s := range Standards {
		t += a.Standard[s].CostKZT
	}
	return t
}

// BroughtUp is the area's population brought up, summed over the standards
// (a settlement brought up to two standards counts twice).
func (a *AreaCost) BroughtUp() float64 {
	t := 0.0
	for _, s := range Standards {
		t += a.Standard[s].BroughtUp
	}
	return t
}

// Plan is a costed plan: the projects, the population left out, and the
// totals per area (every area of CostInput.Areas, the country included).
type Plan struct {
	Projects []CostProject
	LeftOut  []CostLeftOut
	Areas    []AreaCost // in CostInput.Areas order
	// CostKZT and BroughtUp are the plan's totals (BroughtUp summed over
	// the standards).
	CostKZT, BroughtUp float64
	// BudgetKZT is the budget of a budget plan; 0 for the full costing.
	BudgetKZT float64
	Method    string
	Guarantee string
}

// Cost finds the cost of bringing every settlement that can be brought up to
// each standard, and who is left out and why (see the package
// documentation: "Cost of meeting the standards").
func Cost(in *CostInput) (*Plan, error) {
	u, err := buildUniverse(in)
	if err != nil {
		return nil, fmt.Errorf("siting.Cost: %w", err)
	}
	picks := u.greedy(math.Inf(1))
	p := u.plan(picks)
	p.Method = "greedy weighted set cover (least cost per newly met person)"
	p.Guarantee = fmt.Sprintf("at most H(m) ≤ 1 + ln m ≈ %.1f times the cheapest cover, m = %.0f the most people one project brings up", 1+math.Log(max(1, u.maxSet)), u.maxSet)
	return p, nil
}

// CostWithin finds the plan that brings the most population up to standard
// (summed over the standards) for budget tenge: the projects Cost chooses
// from, taken by newly met population per tenge while they fit, or the best
// single project if it brings up more.
func CostWithin(in *CostInput, budget float64) (*Plan, error) {
	if !(budget > 0) || math.IsInf(budget, 0) {
		return nil, fmt.Errorf("siting.CostWithin: budget %v tenge: want a positive finite number", budget)
	}
	u, err := buildUniverse(in)
	if err != nil {
		return nil, fmt.Errorf("siting.CostWithin: %w", err)
	}
	picks := u.greedy(budget)
	got := 0.0
	for _, pk := range picks {
		got += pk.gain
	}
	best, bestGain := -1, 0.0
	for c, it := range u.items {
		if it.cost <= budget {
			if g := u.weight(it.elems, nil); g > bestGain {
				best, bestGain = c, g
			}
		}
	}
	if best >= 0 && bestGain > got {
		picks = []upick{{c: best, gain: bestGain, covers: u.newly(u.items[best].elems, make([]bool, len(u.pop)))}}
	}
	p := u.plan(picks)
	p.BudgetKZT = budget
	p.Method = "budget greedy (most newly met people per tenge, or the best single project)"
	p.Guarantee = "at least ½(1 − 1/e) ≈ 0.316 of the most population any set of these projects within the budget brings up"
	return p, nil
}

// universe is the costing's set-cover instance: the elements are
// (standard, settlement) pairs that fail and can be brought up, weighted by
// population; the items are the candidate projects, each covering some.
type universe struct {
	in      *CostInput
	std     []string // per element
	settl   []int    // per element: settlement index
	pop     []float64
	items   []citem
	leftOut map[[2]string]*CostLeftOut
	// leftSettl lists every settlement left out, for the area totals.
	leftSettl []leftRec
	failing   [3][]int // per standard: failing settlements
	maxSet    float64
}

type leftRec struct {
	std, reason string
	i           int
}

type citem struct {
	proj  CostProject // without Covers and Population
	cost  float64
	elems []int32
}

func stdIndex(s string) int { return slices.Index(Standards, s) }

func (u *universe) leave(std, reason string, i int) {
	k := [2]string{std, reason}
	l := u.leftOut[k]
	if l == nil {
		l = &CostLeftOut{Standard: std, Reason: reason}
		u.leftOut[k] = l
	}
	u.leftSettl = append(u.leftSettl, leftRec{std, reason, i})
	l.Settlements++
	l.Population += float64(u.in.Settlements[i].Population)
}

func (in *CostInput) check() error {
	if len(in.Figures) != len(in.Settlements) {
		return fmt.Errorf("%d figures for %d settlements: want one per settlement", len(in.Figures), len(in.Settlements))
	}
	pr := in.Prices
	for _, p := range []struct {
		name string
		p    Price
	}{{"school place (rural)", pr.SchoolPlaceRural}, {"school place (urban)", pr.SchoolPlaceUrban}, {"paving", pr.PaveRoad}, {"new road", pr.NewRoad}} {
		if !(p.p.KZT > 0) || math.IsInf(p.p.KZT, 0) {
			return fmt.Errorf("prices: %s (%s) %v tenge: want a positive finite cost", p.name, p.p.Key, p.p.KZT)
		}
	}
	if pr.SchoolPlacesRural <= 0 || pr.SchoolPlacesUrban <= 0 {
		return fmt.Errorf("prices: school sizes %d and %d places: want positive numbers", pr.SchoolPlacesRural, pr.SchoolPlacesUrban)
	}
	for l, p := range pr.Health {
		if !(p.KZT >= 0) || math.IsInf(p.KZT, 0) {
			return fmt.Errorf("prices: %s (%s) %v tenge: want a cost ≥ 0 (0: no price)", HealthKinds[l], p.Key, p.KZT)
		}
	}
	for i, s := range in.Settlements {
		if !validPoint(s.Point) {
			return fmt.Errorf("settlement %d (#%d): point %v: want lon/lat in degrees", s.ID, i, s.Point)
		}
		if s.Population < 0 {
			return fmt.Errorf("settlement %d (#%d): population %d: want ≥ 0", s.ID, i, s.Population)
		}
	}
	return nil
}

func fails(b *bool) bool { return b != nil && !*b }

// buildUniverse sorts every settlement into failing (to be brought up),
// meeting or left out, for each standard, and measures the candidate
// projects' reach.
func buildUniverse(in *CostInput) (*universe, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	u := &universe{in: in, leftOut: map[[2]string]*CostLeftOut{}}
	// elemOf maps (standard, settlement) to its element; -1 none.
	elemOf := [3][]int32{}
	for k := range elemOf {
		elemOf[k] = make([]int32, len(in.Settlements))
		for i := range elemOf[k] {
			elemOf[k][i] = -1
		}
	}
	addElem := func(std string, i int) {
		elemOf[stdIndex(std)][i] = int32(len(u.pop))
		u.std = append(u.std, std)
		u.settl = append(u.settl, i)
		u.pop = append(u.pop, float64(in.Settlements[i].Population))
	}
	var sn *route.Snapper
	if in.Graph != nil {
		sn = in.Snapper
		if sn == nil {
			sn = in.Graph.NewSnapper()
		}
		in.Snapper = sn
	}
	for i, s := range in.Settlements {
		if in.InArea != nil && !in.InArea(i) {
			continue
		}
		f := in.Figures[i]
		// School.
		switch {
		case fails(f.SRS.School):
			u.failing[0] = append(u.failing[0], i)
			addElem(StdSchool, i)
		case f.SRS.School != nil:
		case s.Population < access.SchoolMinPop && !(f.SchoolKm <= indicator.SchoolMaxKm):
			u.leave(StdSchool, LeftTooSmall, i)
		case s.Population >= access.SchoolMinPop:
			u.leave(StdSchool, LeftNoData, i)
		}
		// Health.
		req := access.RequiredHealth(s.Population)
		switch {
		case fails(f.SRS.Health):
			u.failing[1] = append(u.failing[1], i)
			if in.Prices.Health[req-1].KZT > 0 {
				addElem(StdHealth, i)
			} else {
				u.leave(StdHealth, LeftNoUnitCost, i)
			}
		case f.SRS.Health != nil:
		case req == access.NoHealth && !(f.HealthKm[0] <= access.LocalRadiusKm(s.Population)):
			u.leave(StdHealth, LeftTooSmall, i)
		case req != access.NoHealth:
			u.leave(StdHealth, LeftNoData, i)
		}
		// Road: the settlement's own project, paving its access.
		due := s.Population > access.PavedMinPop || s.Place == "city" || s.Place == "town"
		switch {
		case fails(f.SRS.Road):
			u.failing[2] = append(u.failing[2], i)
			addElem(StdRoad, i)
			km := f.PavedRoadKm
			pr, isNew := in.Prices.PaveRoad, true
			if sn != nil {
				if _, ok := sn.Snap(s.Point, in.Options.MaxSnapMetres); ok {
					isNew = false
				}
			}
			if isNew {
				pr = in.Prices.NewRoad
			}
			var to orb.Point
			if sn != nil {
				if ps, ok := sn.SnapPaved(s.Point, maxPavedSearchMetres); ok {
					to = ps.Point
				}
			}
			u.items = append(u.items, citem{
				proj:  CostProject{Standard: StdRoad, Settlement: i, Point: s.Point, RoadKm: km, RoadNew: isNew, To: to, Unit: pr.Key},
				cost:  km * pr.KZT,
				elems: []int32{elemOf[2][i]},
			})
		case f.SRS.Road != nil:
		case !due && !(f.PavedRoadKm <= indicator.PavedMaxKm):
			u.leave(StdRoad, LeftTooSmall, i)
		case due:
			u.leave(StdRoad, LeftNoData, i)
		}
	}
	if err := u.schoolItems(elemOf[0]); err != nil {
		return nil, err
	}
	if err := u.healthItems(elemOf[1]); err != nil {
		return nil, err
	}
	// What no item reaches is left out.
	reached := make([]bool, len(u.pop))
	for _, it := range u.items {
		for _, e := range it.elems {
			reached[e] = true
		}
		u.maxSet = max(u.maxSet, u.weight(it.elems, nil))
	}
	for e, ok := range reached {
		if !ok {
			u.leave(u.std[e], LeftBeyondReach, u.settl[e])
		}
	}
	return u, nil
}

// schoolItems: a school at every failing settlement of SchoolMinPop people
// or more, reaching the failing settlements within indicator.SchoolMaxKm.
func (u *universe) schoolItems(elemOf []int32) error {
	in := u.in
	var demand []Demand
	var dElem []int32
	var sites []Site
	var sIdx []int
	for _, i := range u.failing[0] {
		s := in.Settlements[i]
		demand = append(demand, Demand{ID: s.ID, Point: s.Point, Population: float64(s.Population)})
		dElem = append(dElem, elemOf[i])
		sites = append(sites, Site{SettlementID: s.ID, Point: s.Point})
		sIdx = append(sIdx, i)
	}
	if len(sites) == 0 {
		return nil
	}
	p := &Problem{Demand: demand, Candidates: sites, Standard: Standard{Metric: route.ByLength, Limit: indicator.SchoolMaxKm},
		Graph: in.Graph, Snapper: in.Snapper, Options: in.Options}
	ins, err := prepare(p, p.Standard.Limit*p.Standard.unit())
	if err != nil {
		return fmt.Errorf("schools: %w", err)
	}
	for c, set := range ins.sets {
		i := sIdx[c]
		pr, places := in.Prices.SchoolPlaceRural, in.Prices.SchoolPlacesRural
		if in.Settlements[i].Place == "city" {
			pr, places = in.Prices.SchoolPlaceUrban, in.Prices.SchoolPlacesUrban
		}
		u.addFacility(ins, c, set, dElem, CostProject{Standard: StdSchool, Settlement: i, Point: in.Settlements[i].Point,
			FacilityKind: "school", Places: places, Unit: pr.Key}, float64(places)*pr.KZT)
	}
	return nil
}

// healthItems: a facility of each failing settlement's required level at
// that settlement, reaching the failing settlements that require that level
// or a lower one within their own radius (access.LocalRadiusKm).
func (u *universe) healthItems(elemOf []int32) error {
	in := u.in
	for li, lv := range access.HealthLevels {
		pr := in.Prices.Health[li]
		if !(pr.KZT > 0) {
			continue
		}
		var demand []Demand
		var dElem []int32
		var sites []Site
		var sIdx []int
		for _, i := range u.failing[1] {
			s := in.Settlements[i]
			req := access.RequiredHealth(s.Population)
			if req > lv || elemOf[i] < 0 {
				continue
			}
			demand = append(demand, Demand{ID: s.ID, Point: s.Point, Population: float64(s.Population), Limit: access.LocalRadiusKm(s.Population)})
			dElem = append(dElem, elemOf[i])
			if req == lv {
				sites = append(sites, Site{SettlementID: s.ID, Point: s.Point})
				sIdx = append(sIdx, i)
			}
		}
		if len(sites) == 0 {
			continue
		}
		p := &Problem{Demand: demand, Candidates: sites, Standard: Standard{Metric: route.ByLength, Limit: access.LocalRadiusKm(0)},
			Graph: in.Graph, Snapper: in.Snapper, Options: in.Options}
		bound := 0.0
		for _, d := range demand {
			bound = max(bound, d.Limit*1000)
		}
		ins, err := prepare(p, bound)
		if err != nil {
			return fmt.Errorf("health level %s: %w", HealthKinds[li], err)
		}
		for c, set := range ins.sets {
			i := sIdx[c]
			u.addFacility(ins, c, set, dElem, CostProject{Standard: StdHealth, Settlement: i, Point: in.Settlements[i].Point,
				FacilityKind: HealthKinds[li], HealthLevel: lv, Unit: pr.Key}, pr.KZT)
		}
	}
	return nil
}

// addFacility adds candidate c of a prepared instance as an item covering
// the demand points within their limits.
func (u *universe) addFacility(ins *instance, c int, set []entry, dElem []int32, proj CostProject, cost float64) {
	var elems []int32
	for _, e := range set {
		if e.cost <= ins.lim[e.d] {
			elems = append(elems, dElem[e.d])
		}
	}
	slices.Sort(elems)
	elems = slices.Compact(elems)
	if len(elems) == 0 {
		return
	}
	proj.OffNetwork, proj.StraightPairs = ins.offNet[c], ins.straight[c]
	u.items = append(u.items, citem{proj: proj, cost: cost, elems: elems})
}

// weight is the population of elems not yet covered (all when covered is nil).
func (u *universe) weight(elems []int32, covered []bool) float64 {
	g := 0.0
	for _, e := range elems {
		if covered == nil || !covered[e] {
			g += u.pop[e]
		}
	}
	return g
}

func (u *universe) newly(elems []int32, covered []bool) []int32 {
	var out []int32
	for _, e := range elems {
		if !covered[e] {
			out = append(out, e)
		}
	}
	return out
}

type upick struct {
	c      int
	gain   float64
	covers []int32
}

// greedy takes, while budget lasts (+Inf: until every reachable element is
// covered), the item of the most newly covered population per tenge, lazily
// as MaxCover does: keys only fall as items are taken. An item that covers
// people at no cost (a road of 0 km) comes first. Ties go to the lower item
// index.
func (u *universe) greedy(budget float64) []upick {
	covered := make([]bool, len(u.pop))
	score := func(c int, g float64) float64 {
		if u.items[c].cost <= 0 {
			return math.Inf(1)
		}
		return g / u.items[c].cost
	}
	q := make(gainQueue, 0, len(u.items))
	for c, it := range u.items {
		if it.cost > budget {
			continue
		}
		if g := u.weight(it.elems, covered); g > 0 {
			q = append(q, keyed{c, score(c, g), g})
		}
	}
	heap.Init(&q)
	var picks []upick
	left := budget
	for q.Len() > 0 {
		top := heap.Pop(&q).(keyed)
		it := u.items[top.c]
		if it.cost > left {
			continue
		}
		g := u.weight(it.elems, covered)
		if g <= 0 {
			continue
		}
		top.key, top.gain = score(top.c, g), g
		if q.Len() > 0 && q.less(0, top) {
			heap.Push(&q, top)
			continue
		}
		nw := u.newly(it.elems, covered)
		for _, e := range nw {
			covered[e] = true
		}
		left -= it.cost
		picks = append(picks, upick{c: top.c, gain: g, covers: nw})
	}
	return picks
}

// plan turns picks into a Plan with its area totals.
func (u *universe) plan(picks []upick) *Plan {
	in := u.in
	p := &Plan{}
	byID := map[int64]int{}
	var country int64
	p.Areas = make([]AreaCost, len(in.Areas))
	for k, a := range in.Areas {
		byID[a.ID] = k
		p.Areas[k] = AreaCost{Area: a.ID, Level: a.Level, Standard: map[string]*StandardCost{}}
		for _, s := range Standards {
			p.Areas[k].Standard[s] = &StandardCost{LeftOut: map[string]float64{}}
		}
		if a.Level == level.Country {
			country = a.ID
		}
	}
	areasOf := func(i int) []*AreaCost {
		s := in.Settlements[i]
		var out []*AreaCost
		for _, id := range []int64{s.District, s.Oblast, country} {
			if k, ok := byID[id]; ok && id != 0 {
				out = append(out, &p.Areas[k])
			}
		}
		if k, ok := byID[s.District]; ok && in.Areas[k].Group != 0 {
			if g, ok := byID[in.Areas[k].Group]; ok {
				out = append(out, &p.Areas[g])
			}
		}
		return out
	}
	for si, s := range Standards {
		for _, i := range u.failing[si] {
			for _, a := range areasOf(i) {
				a.Standard[s].Failing += float64(in.Settlements[i].Population)
				a.Standard[s].FailingSettlements++
			}
		}
	}
	for _, pk := range picks {
		it := u.items[pk.c]
		pr := it.proj
		pr.CostKZT = it.cost
		for _, e := range pk.covers {
			i := u.settl[e]
			pr.Covers = append(pr.Covers, i)
			pr.Population += u.pop[e]
			for _, a := range areasOf(i) {
				a.Standard[pr.Standard].BroughtUp += u.pop[e]
				a.Standard[pr.Standard].BroughtUpSettlements++
			}
		}
		for _, a := range areasOf(pr.Settlement) {
			a.Standard[pr.Standard].CostKZT += pr.CostKZT
			a.Standard[pr.Standard].Projects++
			if pr.OffNetwork || pr.StraightPairs > 0 {
				a.Standard[pr.Standard].StraightLine++
			}
		}
		p.CostKZT += pr.CostKZT
		p.BroughtUp += pr.Population
		p.Projects = append(p.Projects, pr)
	}
	for _, s := range Standards {
		for _, r := range LeftReasons {
			if l := u.leftOut[[2]string{s, r}]; l != nil {
				p.LeftOut = append(p.LeftOut, *l)
			}
		}
	}
	for _, l := range u.leftSettl {
		for _, a := range areasOf(l.i) {
			a.Standard[l.std].LeftOut[l.reason] += float64(in.Settlements[l.i].Population)
		}
	}
	return p
}

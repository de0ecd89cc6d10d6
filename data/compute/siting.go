package compute

import (
	"context"
	"fmt"
	"sync"

	"github.com/aimaq/aimaq/data/postgis"
	"github.com/aimaq/aimaq/data/reference"
	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/level"
	"github.com/aimaq/aimaq/geo/scenario"
	"github.com/aimaq/aimaq/geo/siting"
	"github.com/aimaq/aimaq/internal/errs"
)

// AreaLabeler reads areas' level, code and names by id; *postgis.Store is
// one. Baselines' store must be one for the siting and the costing.
type AreaLabeler interface {
	AreaLabels(ctx context.Context, ids []int64) (map[int64]scenario.AreaLabel, error)
}

// School sizes the school-place rows of unit_costs.csv price (their
// descriptions: a pupil place in a new 300-place village school, in a new
// 1,200-place city school): a new school is costed at that size.
const (
	schoolPlacesRural = 300
	schoolPlacesUrban = 1200
)

// Prices are the unit costs of the table (with any overrides applied): the
// health levels medical post, FAP, ambulatory and primary centre from their
// rows, no price for a hospital (the table has none), a city polyclinic
// from polyclinic_urban, paving from road_km_pave_gravel and a new road
// from road_km_asphalt_new.
func Prices(t reference.UnitCostTable) (siting.Prices, error) {
	get := func(key string) (siting.Price, error) {
		c, err := t.Cost(key)
		return siting.Price{Key: key, KZT: float64(c)}, err
	}
	var p siting.Prices
	var err error
	for _, f := range []struct {
		dst *siting.Price
		key string
	}{
		{&p.SchoolPlaceRural, reference.UnitSchoolPlaceRural}, {&p.SchoolPlaceUrban, reference.UnitSchoolPlaceUrban},
		{&p.Health[0], reference.UnitMedicalPost}, {&p.Health[1], reference.UnitFAP}, {&p.Health[2], reference.UnitAmbulatory},
		{&p.Health[3], reference.UnitPHCCentre}, {&p.PolyclinicUrban, reference.UnitPolyclinicUrban},
		{&p.PaveRoad, reference.UnitRoadPaveGravel}, {&p.NewRoad, reference.UnitRoadAsphaltNew},
	} {
		if *f.dst, err = get(f.key); err != nil {
			return p, fmt.Errorf("compute.Prices: %w", err)
		}
	}
	p.SchoolPlacesRural, p.SchoolPlacesUrban = schoolPlacesRural, schoolPlacesUrban
	return p, nil
}

// UnitCosts is the shipped unit-cost table with overrides (key → tenge)
// applied; an unknown key or a cost that is not positive is errs.Invalid.
func UnitCosts(overrides map[string]int64) (reference.UnitCostTable, error) {
	t, err := reference.UnitCosts()
	if err != nil {
		return t, err
	}
	if len(overrides) == 0 {
		return t, nil
	}
	t, err = t.Override(overrides)
	if err != nil {
		return t, errs.Wrap(errs.Invalid, err, "unit costs")
	}
	return t, nil
}

// costInput is the costing's view of the current baseline.
func (bs *Baselines) costInput(ctx context.Context, overrides map[string]int64) (*builtBaseline, *siting.CostInput, map[int64]siting.Area, error) {
	labeler, ok := bs.db.(AreaLabeler)
	if !ok {
		return nil, nil, nil, errs.E(errs.Unavailable, "siting not available: the store names no areas")
	}
	t, err := UnitCosts(overrides)
	if err != nil {
		return nil, nil, nil, err
	}
	prices, err := Prices(t)
	if err != nil {
		return nil, nil, nil, err
	}
	cur, err := bs.current(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	in, o, g, sn := cur.base.Network()
	ids := make([]int64, len(in.Areas))
	for k, a := range in.Areas {
		ids[k] = a.ID
	}
	labels, err := labeler.AreaLabels(ctx, ids)
	if err != nil {
		return nil, nil, nil, err
	}
	areas := make(map[int64]siting.Area, len(labels))
	for id, l := range labels {
		areas[id] = siting.Area{ID: id, Level: level.Level(l.Level), Code: l.Code, Name: l.Name}
	}
	ci := &siting.CostInput{Settlements: in.Settlements, Areas: in.Areas, Facilities: in.Facilities,
		Graph: g, Snapper: sn, Options: o, Prices: prices, Figures: make([]scenario.Figures, len(in.Settlements))}
	for i := range in.Settlements {
		ci.Figures[i] = cur.base.Figures(i)
	}
	return cur, ci, areas, nil
}

// Siting proposes sites for q in the area of level lvl and code (any code
// for the country) on the latest finished run's baseline (building it first
// when needed), with unitCosts overriding rows of the unit-cost table (key →
// tenge). An unknown area is errs.Invalid naming the code; a query the
// siting refuses is errs.Invalid with its words.
func (bs *Baselines) Siting(ctx context.Context, lvl level.Level, code string, q siting.Query, unitCosts map[string]int64) (*siting.Answer, error) {
	cur, ci, areas, err := bs.costInput(ctx, unitCosts)
	if err != nil {
		return nil, err
	}
	area, err := findArea(areas, lvl, code)
	if err != nil {
		return nil, err
	}
	p, err := siting.Propose(ci, siting.InArea(ci.Settlements, ci.Areas, area), q)
	if err != nil {
		return nil, errs.Wrap(errs.Invalid, err, "siting")
	}
	names := map[int64]access.SettlementReport{}
	for _, pk := range p.Result.Picks {
		names[pk.Site.SettlementID] = cur.names[pk.Site.SettlementID]
	}
	return &siting.Answer{Run: cur.run, Area: area, Proposal: p, Names: names}, nil
}

// findArea finds the area of lvl and code (any code for the country).
func findArea(areas map[int64]siting.Area, lvl level.Level, code string) (siting.Area, error) {
	for _, a := range areas {
		if a.Level == lvl && (a.Code == code || lvl == level.Country && code == "") {
			return a, nil
		}
	}
	return siting.Area{}, errs.E(errs.Invalid, "code=%q: no %s with that code", errs.Shorten(code), lvl)
}

// SRSCost is the cost of meeting the standards on the latest finished run
// (siting.Cost), or, with a positive budget, the plan that brings the most
// population up for it (siting.CostWithin): for the whole country when
// scope is "", else for the settlements of the area of level scope and code
// (errs.Invalid naming the code when there is none).
//
// Answers are kept with the baseline (the latest costCacheSize questions),
// so asking again, or for the CSV after the JSON, costs nothing until a newer
// run replaces the baseline. Callers only read them.
func (bs *Baselines) SRSCost(ctx context.Context, budget float64, scope level.Level, code string, overrides map[string]int64) (*siting.CostAnswer, error) {
	key := fmt.Sprint(budget, "|", scope, "|", code, "|", overrides) // fmt prints maps sorted by key
	if cur, err := bs.current(ctx); err != nil {
		return nil, err
	} else if a := cur.costs.get(key); a != nil {
		return a, nil
	}
	cur, ci, areas, err := bs.costInput(ctx, overrides)
	if err != nil {
		return nil, err
	}
	var in *siting.Area
	if scope != "" {
		area, err := findArea(areas, scope, code)
		if err != nil {
			return nil, err
		}
		ci.InArea, in = siting.InArea(ci.Settlements, ci.Areas, area), &area
	}
	var p *siting.Plan
	if budget > 0 {
		p, err = siting.CostWithin(ci, budget)
	} else {
		p, err = siting.Cost(ci)
	}
	if err != nil {
		return nil, fmt.Errorf("compute run %d: %w", cur.run.ID, err)
	}
	a := &siting.CostAnswer{Run: cur.run, Plan: p, Scope: in, Areas: areas, RunAreas: ci.Areas, Settlements: ci.Settlements, Names: cur.names}
	cur.costs.put(key, a)
	return a, nil
}

// costCacheSize is how many SRSCost answers a baseline keeps.
const costCacheSize = 16

// costCache keeps the latest SRSCost answers of one baseline by question.
type costCache struct {
	mu      sync.Mutex
	order   []string // oldest first
	answers map[string]*siting.CostAnswer
}

func (c *costCache) get(key string) *siting.CostAnswer {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.answers[key]
}

func (c *costCache) put(key string, a *siting.CostAnswer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.answers == nil {
		c.answers = map[string]*siting.CostAnswer{}
	}
	if _, ok := c.answers[key]; !ok {
		c.order = append(c.order, key)
	}
	c.answers[key] = a
	if len(c.order) > costCacheSize {
		delete(c.answers, c.order[0])
		c.order = c.order[1:]
	}
}

var _ AreaLabeler = (*postgis.Store)(nil)

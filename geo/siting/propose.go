package siting

import (
	"fmt"
	"math"
	"slices"

	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/indicator"
	"github.com/aimaq/aimaq/geo/route"
	"github.com/paulmach/orb"
)

// Methods of a Query.
const (
	MethodCover   = "cover"
	MethodPMedian = "pmedian"
)

// Facilities a Query can site, in the order the API names them.
var Facilities = []string{"school", "medical_post", "feldsher_post", "clinic", "polyclinic"}

// Query asks where to build facilities of one kind for the settlements of
// one area, by maximal covering (K sites or a budget) or p-median (K sites).
type Query struct {
	Facility  string
	Method    string
	K         int
	BudgetKZT float64
}

// Proposal is a Query's answer in the terms of the run's standards.
type Proposal struct {
	Result *Result
	// Standard is the standard's metric and limit; PerSettlement says each
	// settlement has its own limit by size (health: access.LocalRadiusKm),
	// Standard.Limit being the smallest.
	Standard      Standard
	PerSettlement bool
	// Population is the area's population the standard applies to (and
	// can be checked for); CoveredBefore the part that meets it in the run;
	// CoveredAfter with the proposed sites.
	Population, CoveredBefore, CoveredAfter float64
	// Newly is, per pick, the population of failing settlements it brings
	// within the standard after the picks before it.
	Newly []float64
}

// siteCost is the cost of a facility of kind at settlement i.
func (in *CostInput) siteCost(kind string, i int) (float64, error) {
	pr := in.Prices
	city := in.Settlements[i].Place == "city"
	switch kind {
	case "school":
		if city {
			return float64(pr.SchoolPlacesUrban) * pr.SchoolPlaceUrban.KZT, nil
		}
		return float64(pr.SchoolPlacesRural) * pr.SchoolPlaceRural.KZT, nil
	case "polyclinic":
		if city && pr.PolyclinicUrban.KZT > 0 {
			return pr.PolyclinicUrban.KZT, nil
		}
	}
	l, ok := access.LevelOfKind(kind)
	if !ok || l == access.NoHealth {
		return 0, fmt.Errorf("facility %q: want one of %v", kind, Facilities)
	}
	return pr.Health[l-1].KZT, nil
}

// Propose answers q for the settlements of an area (inArea, by index in
// in.Settlements; nil for all). Demand is the settlements the standard
// applies to: for a school those of access.SchoolMinPop people or more
// within indicator.SchoolMaxKm by road; for a health facility of level L
// those whose required level is L or lower, each within its own radius.
// Whether a settlement meets the standard before is the run's check
// (CostInput.Figures). Maximal covering counts only the failing settlements
// as demand; p-median all of them, with the existing facilities of the kind
// (or of level L and above) as they stand. Candidates are the area's
// settlements that lack the facility (SitesWithout), priced from
// CostInput.Prices.
func Propose(in *CostInput, inArea func(i int) bool, q Query) (*Proposal, error) {
	if !slices.Contains(Facilities, q.Facility) {
		return nil, fmt.Errorf("siting.Propose: facility %q: want one of %v", q.Facility, Facilities)
	}
	if len(in.Figures) != len(in.Settlements) {
		return nil, fmt.Errorf("siting.Propose: %d figures for %d settlements: want one per settlement", len(in.Figures), len(in.Settlements))
	}
	school := q.Facility == "school"
	lv, _ := access.LevelOfKind(q.Facility)
	out := &Proposal{Standard: Standard{Metric: route.ByLength, Limit: indicator.SchoolMaxKm}}
	if !school {
		out.Standard.Limit, out.PerSettlement = access.LocalRadiusKm(0), true
	}
	var all, failing []Demand
	var allIdx []int
	for i, s := range in.Settlements {
		if inArea != nil && !inArea(i) {
			continue
		}
		f := in.Figures[i]
		var met *bool
		limit := 0.0
		if school {
			met = f.SRS.School
		} else {
			req := access.RequiredHealth(s.Population)
			if req == access.NoHealth || req > lv {
				continue
			}
			met, limit = f.SRS.Health, access.LocalRadiusKm(s.Population)
		}
		if met == nil {
			continue
		}
		d := Demand{ID: s.ID, Point: s.Point, Population: float64(s.Population), Limit: limit}
		out.Population += d.Population
		all = append(all, d)
		allIdx = append(allIdx, i)
		if *met {
			out.CoveredBefore += d.Population
		} else {
			failing = append(failing, d)
		}
	}
	var existing []orb.Point
	for _, f := range in.Facilities {
		if l, ok := access.LevelOfKind(f.Kind); school && f.Kind == "school" || !school && ok && l >= lv {
			existing = append(existing, f.Point)
		}
	}
	km := 0.0
	if school {
		km = indicator.SchoolMaxKm
	}
	sites := SitesWithout(all, existing, km)
	byID := make(map[int64]int, len(all))
	for k, d := range all {
		byID[d.ID] = allIdx[k]
	}
	for k := range sites {
		i := byID[sites[k].SettlementID]
		c, err := in.siteCost(q.Facility, i)
		if err != nil {
			return nil, fmt.Errorf("siting.Propose: %w", err)
		}
		sites[k].CostKZT = c
	}
	p := &Problem{Candidates: sites, Standard: out.Standard, Graph: in.Graph, Snapper: in.Snapper, Options: in.Options}
	var err error
	switch q.Method {
	case MethodCover:
		p.Demand = failing
		out.Result, err = MaxCover(p, Budget{K: q.K, KZT: q.BudgetKZT})
		if err == nil {
			for _, pk := range out.Result.Picks {
				out.Newly = append(out.Newly, pk.Gain)
			}
		}
	case MethodPMedian:
		if q.BudgetKZT > 0 {
			return nil, fmt.Errorf("siting.Propose: p-median takes a number of sites, not a budget")
		}
		p.Demand, p.Existing = all, existing
		// Trips longer than 10 times the largest limit count at that cap
		// (see the package documentation: p-median).
		p.Radius = 10 * access.LocalRadiusKm(math.MaxInt32)
		if school {
			p.Radius = 10 * indicator.SchoolMaxKm
		}
		if out.Result, err = PMedian(p, q.K); err == nil {
			picked := make([]Site, len(out.Result.Picks))
			for k, pk := range out.Result.Picks {
				picked[k] = pk.Site
			}
			out.Newly, err = Coverage(&Problem{Demand: failing, Candidates: picked, Standard: out.Standard, Graph: in.Graph, Snapper: in.Snapper, Options: in.Options})
		}
	default:
		return nil, fmt.Errorf("siting.Propose: method %q: want %s or %s", q.Method, MethodCover, MethodPMedian)
	}
	if err != nil {
		return nil, err
	}
	out.CoveredAfter = out.CoveredBefore
	for _, g := range out.Newly {
		out.CoveredAfter += g
	}
	return out, nil
}

// Coverage is, for the candidates of p taken in their order, the population
// each newly covers (after the existing facilities and the candidates
// before it).
func Coverage(p *Problem) ([]float64, error) {
	u := p.Standard.unit()
	bound := p.Standard.Limit * u
	for _, d := range p.Demand {
		bound = max(bound, d.Limit*u)
	}
	in, err := prepare(p, bound)
	if err != nil {
		return nil, fmt.Errorf("siting.Coverage: %w", err)
	}
	cv := in.newCover()
	out := make([]float64, len(p.Candidates))
	for c := range p.Candidates {
		out[c] = cv.gain(c)
		cv.take(c)
	}
	return out, nil
}

package siting

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/route"
	"github.com/aimaq/aimaq/geo/scenario"
	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
)

// deg is 0.01° of longitude on the equator, in kilometres: the unit of the
// hand-worked cases, which lie on the equator.
var deg = orbgeo.Distance(orb.Point{0, 0}, orb.Point{0.01, 0}) / 1000

func at(x float64) orb.Point { return orb.Point{x * 0.01, 0} }

func picked(r *Result) []int {
	var out []int
	for _, p := range r.Picks {
		out = append(out, p.Candidate)
	}
	return out
}

// lineProblem is a SYNTHETIC hand-worked case on the equator, measured in
// straight lines (no graph), standard 3 km; positions in units of 0.01°
// (1.11 km): A at 0 (100 people), B at 2 (50), C at 10 (80), D at 13 (30);
// candidates C (10), X (11.5), A (0), M (1).
//
//	A covers A (0 km) and B (2.2 km): 150; M covers A and B (1.1 km each): 150;
//	C covers C only (D is 3.3 km away): 80; X covers C and D (1.7 km): 110.
func lineProblem() *Problem {
	return &Problem{
		Demand: []Demand{
			{ID: 1, Point: at(0), Population: 100}, {ID: 2, Point: at(2), Population: 50},
			{ID: 3, Point: at(10), Population: 80}, {ID: 4, Point: at(13), Population: 30},
		},
		Candidates: []Site{
			{SettlementID: 3, Name: "C", Point: at(10), CostKZT: 1e6}, {Name: "X", Point: at(11.5), CostKZT: 1e6},
			{SettlementID: 1, Name: "A", Point: at(0), CostKZT: 3e6}, {Name: "M", Point: at(1), CostKZT: 1e6},
		},
		Standard: Standard{Metric: route.ByLength, Limit: 3},
		Options:  access.DefaultOptions(),
	}
}

func TestMaxCoverHandWorked(t *testing.T) {
	tests := []struct {
		name              string
		edit              func(p *Problem)
		budget            Budget
		want              []int
		already, covered  float64
		cost              float64
		guaranteeContains string
	}{
		// k = 1: A and M tie at 150; the lower index wins.
		{name: "k1", budget: Budget{K: 1}, want: []int{2}, covered: 150, cost: 3e6, guaranteeContains: "1 − 1/e"},
		// k = 2: A, then X (110) over C (80).
		{name: "k2", budget: Budget{K: 2}, want: []int{2, 1}, covered: 260, cost: 4e6},
		// An existing facility at D covers D: X and C now both add 80, and C,
		// the lower index, wins.
		{name: "k2 existing", edit: func(p *Problem) { p.Existing = []orb.Point{at(13)} }, budget: Budget{K: 2},
			want: []int{2, 0}, already: 30, covered: 230, cost: 4e6},
		// k larger than useful: stops once nothing adds anyone.
		{name: "k9 stops", budget: Budget{K: 9}, want: []int{2, 1}, covered: 260, cost: 4e6},
		// Budget 2 M tenge: by people per tenge M (150), then X (110); A
		// costs 3 M and never fits.
		{name: "budget", budget: Budget{KZT: 2e6}, want: []int{3, 1}, covered: 260, cost: 2e6, guaranteeContains: "½(1 − 1/e)"},
		// Budget 1 M: M alone.
		{name: "budget one", budget: Budget{KZT: 1e6}, want: []int{3}, covered: 150, cost: 1e6},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := lineProblem()
			if tc.edit != nil {
				tc.edit(p)
			}
			r, err := MaxCover(p, tc.budget)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(picked(r), tc.want) || r.AlreadyCovered != tc.already || r.Covered != tc.covered || r.CostKZT != tc.cost || r.Population != 260 {
				t.Errorf("picks %v, already %v, covered %v, cost %v, population %v; want %v, %v, %v, %v, 260",
					picked(r), r.AlreadyCovered, r.Covered, r.CostKZT, r.Population, tc.want, tc.already, tc.covered, tc.cost)
			}
			if !strings.Contains(r.Guarantee, tc.guaranteeContains) {
				t.Errorf("guarantee %q: want it to state %q", r.Guarantee, tc.guaranteeContains)
			}
			for _, pk := range r.Picks {
				if !pk.OffNetwork || pk.StraightPairs == 0 {
					t.Errorf("pick %d without a graph: off network %v, straight pairs %d; want flagged", pk.Candidate, pk.OffNetwork, pk.StraightPairs)
				}
			}
		})
	}
}

// The budgeted rule's second arm: ten people at a cheap site, a thousand at
// a dear one. Greedy by people per tenge ties at 10 and takes the cheap site
// first, after which the dear one no longer fits; the best single affordable
// site covers a hundred times more, and is the answer.
func TestMaxCoverBudgetBestSingle(t *testing.T) {
	p := &Problem{
		Demand:     []Demand{{ID: 1, Point: at(0), Population: 10}, {ID: 2, Point: at(100), Population: 1000}},
		Candidates: []Site{{Name: "cheap", Point: at(0), CostKZT: 1}, {Name: "dear", Point: at(100), CostKZT: 100}},
		Standard:   Standard{Metric: route.ByLength, Limit: 3},
		Options:    access.DefaultOptions(),
	}
	r, err := MaxCover(p, Budget{KZT: 100})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(picked(r), []int{1}) || r.Covered != 1000 || r.CostKZT != 100 {
		t.Errorf("picks %v covering %v for %v tenge; want [1] covering 1000 for 100", picked(r), r.Covered, r.CostKZT)
	}
}

// Three places in a row, 100, 1 and 100 people at 0, 10 and 20 (× 1.11 km),
// a candidate at each: greedy takes the middle first (total 2,000 units
// against 2,010), then an end (1,000); only the exchange of the middle for
// the other end reaches the optimum, 10 units (the one person in the middle,
// 10 units from either end).
func TestPMedianSubstitution(t *testing.T) {
	p := &Problem{
		Demand: []Demand{{ID: 1, Point: at(0), Population: 100}, {ID: 2, Point: at(10), Population: 1},
			{ID: 3, Point: at(20), Population: 100}},
		Candidates: []Site{{Name: "west", Point: at(0)}, {Name: "middle", Point: at(10)}, {Name: "east", Point: at(20)}},
		Standard:   Standard{Metric: route.ByLength, Limit: 3},
		Options:    access.DefaultOptions(),
	}
	r1, err := PMedian(p, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(picked(r1), []int{1}) || math.Abs(r1.Objective-2000*deg) > 1e-6 {
		t.Errorf("k=1: picks %v total %v; want [1] total %v", picked(r1), r1.Objective, 2000*deg)
	}
	r2, err := PMedian(p, 2)
	if err != nil {
		t.Fatal(err)
	}
	got := slices.Sorted(slices.Values(picked(r2)))
	if !slices.Equal(got, []int{0, 2}) || math.Abs(r2.Objective-10*deg) > 1e-6 {
		t.Errorf("k=2: picks %v total %v; want {0, 2} total %v", picked(r2), r2.Objective, 10*deg)
	}
	// Both ends are within 3 km of their 100 people; the middle one is not.
	if r2.Covered != 200 || r2.Unserved != 0 || !math.IsInf(r2.BaseObjective, 0) && r2.BaseObjective <= r2.Objective {
		t.Errorf("k=2: covered %v unserved %v base %v; want 200, 0 and a base above the total", r2.Covered, r2.Unserved, r2.BaseObjective)
	}
	gains := 0.0
	for _, pk := range r2.Picks {
		gains += pk.Gain
	}
	if math.Abs(r2.BaseObjective-gains-r2.Objective) > 1e-6 {
		t.Errorf("k=2: base %v − gains %v ≠ total %v", r2.BaseObjective, gains, r2.Objective)
	}
}

// uRoad is a SYNTHETIC U-shaped road: from (0, 0) north 5 km, east 1 km and
// back south 5 km; a place at each foot. The feet are 1.1 km apart in a
// straight line but 11 km apart by road.
func uRoad(t *testing.T) *route.Graph {
	t.Helper()
	g, err := route.Build([]route.Road{{ID: 1, Class: "tertiary", Paved: true,
		Line: orb.LineString{{0, 0}, {0, 0.045}, {0.01, 0.045}, {0.01, 0}}}}, route.DefaultSpeeds())
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestMaxCoverNetwork(t *testing.T) {
	g := uRoad(t)
	p := &Problem{
		Demand:     []Demand{{ID: 1, Point: orb.Point{0, 0}, Population: 100}, {ID: 2, Point: orb.Point{0.01, 0}, Population: 60}},
		Candidates: []Site{{Name: "west foot", Point: orb.Point{0, 0}}, {Name: "near the east foot", Point: orb.Point{0.0095, 0.001}}},
		Standard:   Standard{Metric: route.ByLength, Limit: 3},
		Options:    access.DefaultOptions(),
		Graph:      g,
	}
	r, err := MaxCover(p, Budget{K: 2})
	if err != nil {
		t.Fatal(err)
	}
	// Each foot reaches only itself: the other is 1.1 km away in a straight
	// line but 11 km by road. So the west foot (100) comes first, then the
	// site near the east foot (60).
	if !slices.Equal(picked(r), []int{0, 1}) || r.Covered != 160 {
		t.Fatalf("picks %v covering %v; want [0 1] covering 160 (each foot on its own)", picked(r), r.Covered)
	}
	for _, pk := range r.Picks {
		if pk.OffNetwork || pk.StraightPairs != 0 {
			t.Errorf("pick %d: off network %v, straight pairs %d; want a network answer", pk.Candidate, pk.OffNetwork, pk.StraightPairs)
		}
	}
	// By time: 30 min reaches the far foot (11 km at 60 km/h is 11 min).
	p.Standard = Standard{Metric: route.ByTime, Limit: 30}
	r, err = MaxCover(p, Budget{K: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(picked(r), []int{0}) || r.Covered != 160 {
		t.Errorf("by time: picks %v covering %v; want [0] covering 160", picked(r), r.Covered)
	}
}

// A candidate off the network reaches by the straight-line rule, and says
// so; a place off the network is reached by the straight-line rule from a
// site on it; a place on another, unconnected road likewise.
func TestStraightLineFlagged(t *testing.T) {
	g, err := route.Build([]route.Road{
		{ID: 1, Class: "tertiary", Paved: true, Line: orb.LineString{{0, 0}, {0.02, 0}}},
		{ID: 2, Class: "tertiary", Paved: true, Line: orb.LineString{{0, 0.01}, {0.02, 0.01}}}, // 1.1 km north, not joined
	}, route.DefaultSpeeds())
	if err != nil {
		t.Fatal(err)
	}
	o := access.DefaultOptions()
	o.MaxSnapMetres = 300
	p := &Problem{
		Demand: []Demand{
			{ID: 1, Point: orb.Point{0.001, 0}, Population: 10},         // on road 1
			{ID: 2, Point: orb.Point{0.001, 0.01}, Population: 20},      // on road 2
			{ID: 3, Point: orb.Point{0.001, -0.02}, Population: 40},     // 2.2 km south of road 1: off the network
			{ID: 4, Point: orb.Point{0.019, 0}, Population: 80},         // on road 1, 2 km east
			{ID: 5, Point: orb.Point{0.001, 0.03}, Population: 160},     // 2.2 km north of road 2: off the network
			{ID: 6, Point: orb.Point{0.001, -0.00001}, Population: 320}, // beside 1, on road 1
		},
		Candidates: []Site{{Name: "on road 1", Point: orb.Point{0, 0}}, {Name: "off network", Point: orb.Point{-0.02, 0}}},
		Standard:   Standard{Metric: route.ByLength, Limit: 3},
		Options:    o,
		Graph:      g,
	}
	in, err := prepare(p, 3000)
	if err != nil {
		t.Fatal(err)
	}
	reached := func(c int) (ids []int64) {
		for _, e := range in.sets[c] {
			ids = append(ids, p.Demand[e.d].ID)
		}
		slices.Sort(ids)
		return ids
	}
	// On road 1: 1, 4, 6 by road; 2 (other road) and 3 (off) by straight line; 5 is 3.3 km away.
	if got := reached(0); !slices.Equal(got, []int64{1, 2, 3, 4, 6}) || in.offNet[0] || in.straight[0] != 2 {
		t.Errorf("on road 1: reaches %v, off network %v, %d straight; want [1 2 3 4 6], false, 2", got, in.offNet[0], in.straight[0])
	}
	// Off the network, 2.2 km west of road 1's end: 1, 2 (2.6 km) and 6 within 3 km in a straight
	// line; 3 is 3.2 km, 4 is 4.3 km.
	if got := reached(1); !slices.Equal(got, []int64{1, 2, 6}) || !in.offNet[1] || in.straight[1] != 3 {
		t.Errorf("off network: reaches %v, off network %v, %d straight; want [1 2 6], true, 3", got, in.offNet[1], in.straight[1])
	}
	r, err := MaxCover(p, Budget{K: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Picks) != 1 || r.Picks[0].Candidate != 0 || r.Picks[0].StraightPairs != 2 || r.Picks[0].OffNetwork {
		t.Errorf("picks %+v; want candidate 0 alone, on the network, with 2 straight-line pairs", r.Picks)
	}
}

func TestProjects(t *testing.T) {
	r, err := MaxCover(lineProblem(), Budget{K: 2})
	if err != nil {
		t.Fatal(err)
	}
	ps, err := r.Projects("feldsher_post")
	if err != nil {
		t.Fatal(err)
	}
	want := []scenario.Project{
		{Kind: scenario.OpenFacility, Name: "proposed feldsher_post at A", FacilityKind: "feldsher_post", HealthLevel: access.FeldsherPost,
			Point: at(0), SettlementID: 1, CostKZT: 3e6, Status: scenario.Planned, Source: "siting: maximal covering"},
		{Kind: scenario.OpenFacility, Name: "proposed feldsher_post at X", FacilityKind: "feldsher_post", HealthLevel: access.FeldsherPost,
			Point: at(11.5), CostKZT: 1e6, Status: scenario.Planned, Source: "siting: maximal covering"},
	}
	if len(ps) != len(want) {
		t.Fatalf("%d projects; want %d", len(ps), len(want))
	}
	for i := range want {
		if ps[i].Kind != want[i].Kind || ps[i].Name != want[i].Name || ps[i].FacilityKind != want[i].FacilityKind ||
			ps[i].HealthLevel != want[i].HealthLevel || ps[i].Point != want[i].Point || ps[i].SettlementID != want[i].SettlementID ||
			ps[i].CostKZT != want[i].CostKZT || ps[i].Status != want[i].Status || ps[i].Source != want[i].Source {
			t.Errorf("project %d: %+v; want %+v", i, ps[i], want[i])
		}
	}
	if _, err := r.Projects("bakery"); err == nil || !strings.Contains(err.Error(), `"bakery"`) {
		t.Errorf("kind bakery: error %v; want one naming the kind", err)
	}
}

func TestBadInput(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(p *Problem)
		budget Budget
		want   string
	}{
		{"limit", func(p *Problem) { p.Standard.Limit = 0 }, Budget{K: 1}, "standard: limit 0"},
		{"metric", func(p *Problem) { p.Standard.Metric = 7 }, Budget{K: 1}, "metric 7"},
		{"population", func(p *Problem) { p.Demand[1].Population = math.NaN() }, Budget{K: 1}, "demand 2 (#1): population NaN"},
		{"demand point", func(p *Problem) { p.Demand[0].Point = orb.Point{200, 0} }, Budget{K: 1}, "demand 1 (#0): point"},
		{"demand limit", func(p *Problem) { p.Demand[3].Limit = -1 }, Budget{K: 1}, "demand 4 (#3): limit -1"},
		{"candidate cost", func(p *Problem) { p.Candidates[1].CostKZT = -5 }, Budget{K: 1}, `candidate "X" (#1): cost -5`},
		{"budget needs costs", func(p *Problem) { p.Candidates[3].CostKZT = 0 }, Budget{KZT: 5}, `candidate "M" (#3): cost 0: a budget needs`},
		{"k and budget", nil, Budget{K: 1, KZT: 5}, "give one, not both"},
		{"neither k nor budget", nil, Budget{}, "give a number of sites or a budget"},
		{"existing", func(p *Problem) { p.Existing = []orb.Point{{0, 95}} }, Budget{K: 1}, "existing facility #0"},
		{"circuity", func(p *Problem) { p.Options.Circuity = 0.5 }, Budget{K: 1}, "circuity 0.5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := lineProblem()
			if tc.edit != nil {
				tc.edit(p)
			}
			_, err := MaxCover(p, tc.budget)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v; want one containing %q", err, tc.want)
			}
		})
	}
	if _, err := PMedian(lineProblem(), -1); err == nil || !strings.Contains(err.Error(), "k -1") {
		t.Errorf("PMedian k -1: error %v", err)
	}
}

func TestSitesWithout(t *testing.T) {
	p := lineProblem()
	// A facility at 0.5 (0.56 km from A, 1.67 km from B); B has 50 people,
	// whose own radius is 2 km.
	got := SitesWithout(p.Demand, []orb.Point{at(0.5)}, 1)
	var ids []int64
	for _, s := range got {
		ids = append(ids, s.SettlementID)
	}
	if !slices.Equal(ids, []int64{2, 3, 4}) || got[0].Name != "settlement 2" || got[0].Point != at(2) {
		t.Errorf("within 1 km: sites %v (%+v); want settlements 2, 3, 4", ids, got)
	}
	ids = ids[:0]
	for _, s := range SitesWithout(p.Demand, []orb.Point{at(0.5)}, 0) {
		ids = append(ids, s.SettlementID)
	}
	if !slices.Equal(ids, []int64{3, 4}) {
		t.Errorf("by the local radius: sites %v; want settlements 3, 4", ids)
	}
}

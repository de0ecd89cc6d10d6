package siting

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/level"
	"github.com/aimaq/aimaq/geo/route"
	"github.com/aimaq/aimaq/geo/scenario"
	"github.com/paulmach/orb"
)

// testPrices are the figures of data/reference/unit_costs.csv as of issue
// 13.2 (geo is free of I/O: the test does not read the file), the hospital
// level without a price.
func testPrices() Prices { return benchPrices() }

// figs makes a settlement's figures as the compute run would, its checks by
// access.CheckSRS. health is the road distance to the nearest facility of
// every level (the same for all levels unless hospitalKm is set).
func figs(s access.Settlement, schoolKm, healthKm, pavedKm float64) scenario.Figures {
	f := scenario.Figures{SchoolKm: schoolKm, PavedRoadKm: pavedKm}
	hm := map[access.HealthLevel]float64{}
	for k, l := range access.HealthLevels {
		f.HealthKm[k] = healthKm
		hm[l] = healthKm
	}
	f.SRS = access.CheckSRS(access.SRSFigures{Population: s.Population, Place: s.Place, SchoolKm: schoolKm, HealthKm: hm, PavedRoadKm: pavedKm})
	return f
}

// costWorld is a SYNTHETIC hand-worked world on the equator, measured in
// straight lines (no roads), positions in units of 0.01° (1.113 km):
//
//	A at 0: 600 people, village of district 11 — no school within 3 km (10),
//	  no health facility within 2 km (10), paved road 4 km away.
//	B at 1.5 (1.67 km from A): 100 people, district 11 — school 8 km, health
//	  8 km, paved road 5 km (not due: 500 people or fewer).
//	C at 20: 40 people, district 11 — nothing within reach, too small for all.
//	D at 40: a city of 35,000, district 12 — school and road met, no hospital
//	  within 10 km: the table prices no hospital.
//	E at 60: 200 people, district 12 — no school in the data (NaN).
//
// Districts 11 (in macroregion 100) and 12 lie in oblast 1 of country 1000.
func costWorld() *CostInput {
	s := []access.Settlement{
		{ID: 1, Point: at(0), Population: 600, Place: "village", District: 11, Oblast: 1},
		{ID: 2, Point: at(1.5), Population: 100, Place: "village", District: 11, Oblast: 1},
		{ID: 3, Point: at(20), Population: 40, Place: "hamlet", District: 11, Oblast: 1},
		{ID: 4, Point: at(40), Population: 35000, Place: "city", District: 12, Oblast: 1},
		{ID: 5, Point: at(60), Population: 200, Place: "village", District: 12, Oblast: 1},
	}
	f := []scenario.Figures{
		figs(s[0], 10, 10, 4),
		figs(s[1], 8, 8, 5),
		figs(s[2], 20, 20, 20),
		figs(s[3], 1, 30, 0.2),
		figs(s[4], math.NaN(), 1, 0.5),
	}
	return &CostInput{
		Settlements: s, Figures: f, Options: access.DefaultOptions(), Prices: testPrices(),
		Areas: []access.Area{
			{ID: 1, Level: level.Oblast, Parent: 1000},
			{ID: 11, Level: level.District, Parent: 1, Group: 100},
			{ID: 12, Level: level.District, Parent: 1},
			{ID: 100, Level: level.Macroregion},
			{ID: 1000, Level: level.Country},
		},
	}
}

func areaOf(t *testing.T, p *Plan, id int64) *AreaCost {
	t.Helper()
	for k := range p.Areas {
		if p.Areas[k].Area == id {
			return &p.Areas[k]
		}
	}
	t.Fatalf("no area %d in the plan", id)
	return nil
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-6*math.Max(1, math.Abs(b)) }

func TestCostHandWorked(t *testing.T) {
	p, err := Cost(costWorld())
	if err != nil {
		t.Fatal(err)
	}
	// School: a school at A reaches A and B (1.67 km): 300 places × 8.3 mln
	// = 2.49 bn for 700 people; one at B does the same, A comes first (tie,
	// lower index). Health: a FAP at A (A needs one: 600 people) reaches A
	// (0 km) and B (1.67 km ≤ B's 2 km): 190 mln for 700; the medical post
	// at B would add no one. Road: A is 4 km from a paved road and off any
	// network: 4 km of new asphalt road × 500 mln = 2 bn.
	type proj struct {
		std, kind, unit string
		settl           int
		cost, pop       float64
	}
	want := []proj{
		{StdHealth, "feldsher_post", "fap", 0, 190e6, 700},
		{StdRoad, "", "road_km_asphalt_new", 0, 2e9, 600},
		{StdSchool, "school", "school_place_rural", 0, 2.49e9, 700},
	}
	var got []proj
	for _, pr := range p.Projects {
		got = append(got, proj{pr.Standard, pr.FacilityKind, pr.Unit, pr.Settlement, pr.CostKZT, pr.Population})
	}
	if len(got) != len(want) {
		t.Fatalf("projects %+v; want %+v", got, want)
	}
	for k := range want {
		if g, w := got[k], want[k]; g.std != w.std || g.kind != w.kind || g.unit != w.unit || g.settl != w.settl || !near(g.cost, w.cost) || g.pop != w.pop {
			t.Errorf("project %d: %+v; want %+v", k, g, w)
		}
	}
	if !near(p.CostKZT, 4.68e9) || p.BroughtUp != 2000 {
		t.Errorf("total %v tenge, %v people brought up; want 4.68e9 and 2000", p.CostKZT, p.BroughtUp)
	}
	if r := p.Projects[1]; r.RoadKm != 4 || !r.RoadNew {
		t.Errorf("road: %v km, new %v; want 4 km of new road (no network)", r.RoadKm, r.RoadNew)
	}
	if !p.Projects[0].OffNetwork {
		t.Error("the FAP was measured by the straight-line rule but is not flagged off the network")
	}
	wantLeft := []CostLeftOut{
		{StdSchool, LeftTooSmall, 1, 40},
		{StdSchool, LeftNoData, 1, 200},
		{StdHealth, LeftTooSmall, 1, 40},
		{StdHealth, LeftNoUnitCost, 1, 35000},
		{StdRoad, LeftTooSmall, 2, 140},
	}
	if !slices.Equal(p.LeftOut, wantLeft) {
		t.Errorf("left out %+v;\nwant %+v", p.LeftOut, wantLeft)
	}
	if !strings.Contains(p.Guarantee, "ln") {
		t.Errorf("guarantee %q: want the ln bound stated", p.Guarantee)
	}

	// Areas: a project's cost counts where it stands, a settlement brought
	// up where it lies.
	d11, d12, ob, mr, kz := areaOf(t, p, 11), areaOf(t, p, 12), areaOf(t, p, 1), areaOf(t, p, 100), areaOf(t, p, 1000)
	if s := d11.Standard[StdSchool]; !near(s.CostKZT, 2.49e9) || s.Projects != 1 || s.BroughtUp != 700 || s.Failing != 700 || s.LeftOut[LeftTooSmall] != 40 {
		t.Errorf("district 11, school: %+v", *s)
	}
	if s := d12.Standard[StdHealth]; s.CostKZT != 0 || s.Failing != 35000 || s.BroughtUp != 0 || s.LeftOut[LeftNoUnitCost] != 35000 {
		t.Errorf("district 12, health: %+v", *s)
	}
	if s := d12.Standard[StdSchool]; s.LeftOut[LeftNoData] != 200 {
		t.Errorf("district 12, school: %+v", *s)
	}
	for _, a := range []*AreaCost{ob, kz} {
		if !near(a.CostKZT(), 4.68e9) || a.BroughtUp() != 2000 {
			t.Errorf("area %d: %v tenge, %v brought up; want the whole plan, 4.68e9 and 2000", a.Area, a.CostKZT(), a.BroughtUp())
		}
	}
	if !near(mr.CostKZT(), 4.68e9) || mr.Standard[StdHealth].Failing != 700 {
		t.Errorf("macroregion 100 (district 11 only): %v tenge, health failing %v; want 4.68e9 and 700", mr.CostKZT(), mr.Standard[StdHealth].Failing)
	}
}

func TestCostWithinBudget(t *testing.T) {
	// 2.6 bn: per tenge the FAP at A comes first (700 for 190 mln), then the
	// road (600 for 2 bn, 3.0e-7 people per tenge) before a school (700 for
	// 2.49 bn, 2.8e-7); 0.41 bn is left, which buys nothing more. 1,300
	// people for 2.19 bn; the best single project brings up 700.
	p, err := CostWithin(costWorld(), 2.6e9)
	if err != nil {
		t.Fatal(err)
	}
	var stds []string
	for _, pr := range p.Projects {
		stds = append(stds, pr.Standard)
	}
	if !slices.Equal(stds, []string{StdHealth, StdRoad}) || p.BroughtUp != 1300 || !near(p.CostKZT, 2.19e9) || p.BudgetKZT != 2.6e9 {
		t.Errorf("budget plan %v: %v people for %v tenge; want [health road], 1300 for 2.19e9", stds, p.BroughtUp, p.CostKZT)
	}
	// 0.2 bn: the FAP only.
	if p, err = CostWithin(costWorld(), 0.2e9); err != nil {
		t.Fatal(err)
	}
	if len(p.Projects) != 1 || p.Projects[0].Standard != StdHealth || p.BroughtUp != 700 {
		t.Errorf("0.2 bn: %+v; want the FAP alone (700 people)", p.Projects)
	}
	if _, err := CostWithin(costWorld(), 0); err == nil || !strings.Contains(err.Error(), "budget") {
		t.Errorf("budget 0: error %v; want one naming the budget", err)
	}
}

// On a network: a settlement that snaps onto an unpaved road has that road
// paved (the paving row); one beyond the snapping distance gets a new road.
// A settlement 2.2 km off the road needs its FAP within 2 km: a FAP in the
// settlement itself reaches it over the network by 4.4 km of walking onto the
// road and back, so it is left out beyond reach.
func TestCostNetwork(t *testing.T) {
	g, err := route.Build([]route.Road{{ID: 1, Class: "track", Line: orb.LineString{{0, 0}, {0.1, 0}}}}, route.DefaultSpeeds())
	if err != nil {
		t.Fatal(err)
	}
	s := []access.Settlement{
		{ID: 1, Point: orb.Point{0.01, 0.001}, Population: 800, Place: "village"}, // 111 m off the track
		{ID: 2, Point: orb.Point{0.05, 0.02}, Population: 800, Place: "village"},  // 2.2 km off
		{ID: 3, Point: orb.Point{0.5, 0.3}, Population: 800, Place: "village"},    // far off
	}
	in := &CostInput{Settlements: s, Graph: g, Options: access.DefaultOptions(), Prices: testPrices(),
		Figures: []scenario.Figures{figs(s[0], 1, 1, 3), figs(s[1], 1, 9, 1.5), figs(s[2], 1, 1, 6)}}
	p, err := Cost(in)
	if err != nil {
		t.Fatal(err)
	}
	var roads []string
	for _, pr := range p.Projects {
		if pr.Standard == StdRoad {
			roads = append(roads, pr.Unit)
			want := map[int]float64{0: 3 * 400e6, 1: 1.5 * 400e6, 2: 6 * 500e6}[pr.Settlement]
			if !near(pr.CostKZT, want) {
				t.Errorf("road at settlement %d: %v tenge; want %v", pr.Settlement, pr.CostKZT, want)
			}
		}
	}
	if !slices.Equal(roads, []string{"road_km_pave_gravel", "road_km_pave_gravel", "road_km_asphalt_new"}) {
		t.Errorf("road units %v; want paving for the two on the network, a new road for the far one", roads)
	}
	if !slices.Contains(p.LeftOut, CostLeftOut{StdHealth, LeftBeyondReach, 1, 800}) {
		t.Errorf("left out %+v; want settlement 2 (800) beyond reach for health", p.LeftOut)
	}
}

func TestCostBadInput(t *testing.T) {
	tests := []struct {
		name string
		edit func(in *CostInput)
		want string
	}{
		{"figures", func(in *CostInput) { in.Figures = in.Figures[:2] }, "2 figures for 5 settlements"},
		{"price", func(in *CostInput) { in.Prices.PaveRoad.KZT = 0 }, "paving (road_km_pave_gravel) 0 tenge"},
		{"point", func(in *CostInput) { in.Settlements[3].Point = orb.Point{200, 0} }, "settlement 4 (#3): point"},
		{"school size", func(in *CostInput) { in.Prices.SchoolPlacesRural = 0 }, "school sizes 0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := costWorld()
			tc.edit(in)
			if _, err := Cost(in); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v; want one containing %q", err, tc.want)
			}
		})
	}
}

func TestPropose(t *testing.T) {
	in := costWorld()
	district11 := func(i int) bool { return in.Settlements[i].District == 11 }
	tests := []struct {
		name                      string
		inArea                    func(i int) bool
		q                         Query
		wantSites                 []int64
		pop, before, after, costK float64
		newly                     []float64
	}{
		// Schools in district 11: A and B fail (700 people), C is too small
		// to count; a school at A reaches both (tie with B: lower index).
		{"school cover", district11, Query{Facility: "school", Method: MethodCover, K: 1}, []int64{1}, 700, 0, 700, 2.49e9, []float64{700}},
		// Ambulatories, the whole country: A (FAP) and B (medical post) fail,
		// E (200) meets, D needs a hospital (not an ambulatory's level). An
		// ambulatory at A reaches A and B (1.67 km ≤ 2).
		{"clinic cover", nil, Query{Facility: "clinic", Method: MethodCover, K: 2}, []int64{1}, 900, 200, 900, 300e6, []float64{700}},
		// p-median, one ambulatory among A, B and E (no facilities in the
		// data): A (100 × 1.67 + 200 × 66.8 km = 13,525 km·people) beats B
		// (600 × 1.67 + 200 × 65.1 = 14,028) and E; A brings A and B within
		// 2 km.
		{"clinic pmedian", nil, Query{Facility: "clinic", Method: MethodPMedian, K: 1}, []int64{1}, 900, 200, 900, 300e6, []float64{700}},
		// Within 0.2 bn: a medical post (145 mln) at B, reaching B only
		// (a medical post is below A's level).
		{"medical post budget", district11, Query{Facility: "medical_post", Method: MethodCover, BudgetKZT: 0.2e9}, []int64{2}, 100, 0, 100, 145e6, []float64{100}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Propose(in, tc.inArea, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, pk := range p.Result.Picks {
				ids = append(ids, pk.Site.SettlementID)
			}
			if !slices.Equal(ids, tc.wantSites) || p.Population != tc.pop || p.CoveredBefore != tc.before || p.CoveredAfter != tc.after ||
				!near(p.Result.CostKZT, tc.costK) || !slices.Equal(p.Newly, tc.newly) {
				t.Errorf("sites %v, population %v, before %v, after %v, cost %v, newly %v;\nwant %v, %v, %v, %v, %v, %v",
					ids, p.Population, p.CoveredBefore, p.CoveredAfter, p.Result.CostKZT, p.Newly,
					tc.wantSites, tc.pop, tc.before, tc.after, tc.costK, tc.newly)
			}
		})
	}
	for _, bad := range []struct {
		q    Query
		want string
	}{
		{Query{Facility: "hospital", Method: MethodCover, K: 1}, `facility "hospital"`},
		{Query{Facility: "school", Method: "best", K: 1}, `method "best"`},
		{Query{Facility: "school", Method: MethodPMedian, BudgetKZT: 1e9}, "not a budget"},
	} {
		if _, err := Propose(in, nil, bad.q); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%+v: error %v; want one containing %q", bad.q, err, bad.want)
		}
	}
}

// A plan for one area brings up, counts and leaves out only its settlements.
func TestCostInArea(t *testing.T) {
	in := costWorld()
	in.InArea = func(i int) bool { return in.Settlements[i].District == 12 }
	p, err := Cost(in)
	if err != nil {
		t.Fatal(err)
	}
	want := []CostLeftOut{{StdSchool, LeftNoData, 1, 200}, {StdHealth, LeftNoUnitCost, 1, 35000}}
	if len(p.Projects) != 0 || p.CostKZT != 0 || !slices.Equal(p.LeftOut, want) {
		t.Errorf("district 12: %d projects, %v tenge, left out %+v; want none, 0, %+v", len(p.Projects), p.CostKZT, p.LeftOut, want)
	}
	if d11 := areaOf(t, p, 11); d11.Standard[StdSchool].Failing != 0 {
		t.Errorf("district 11 counted in district 12's plan: %+v", *d11.Standard[StdSchool])
	}
}

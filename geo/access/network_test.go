package access

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/aimaq/aimaq/geo/route"
	"github.com/aimaq/aimaq/geo/route/routetest"
	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
)

// ownCentre's shortcut (one search from all centres, then bounded searches
// for the rest) must give exactly what a full search from each settlement's
// own centre gives, on a SYNTHETIC country.
func TestOwnCentreMatchesFullSearch(t *testing.T) {
	pts := routetest.RandomPoints(4, 400)
	in := &Input{Roads: routetest.SyntheticCountry(3, pts[:40], 20000)}
	rng := rand.New(rand.NewPCG(1, 2))
	cs := pts[:12]
	var own []int
	for _, p := range pts[12:] {
		// Own centre: one of the three nearest, at random, so many settlements
		// are nearer to another centre than to their own.
		order := make([]int, len(cs))
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(a, b int) int { return cmp.Compare(orbgeo.Distance(p, cs[a]), orbgeo.Distance(p, cs[b])) })
		in.Settlements = append(in.Settlements, Settlement{Point: p})
		own = append(own, order[rng.IntN(3)])
	}
	o := DefaultOptions()
	o.MaxSnapMetres = math.Inf(1)
	n, err := newNetwork(in, o, cs)
	if err != nil {
		t.Fatal(err)
	}
	got := n.ownCentre(cs, own)
	checked := 0
	for c := range cs {
		sn, _ := n.sn.Snap(cs[c], math.Inf(1))
		f := n.g.MultiSource([]route.Source{{Snap: sn, ID: int64(c + 1)}}, route.ByTime, n.sp)
		for i := range in.Settlements {
			if own[i] != c {
				continue
			}
			want := f.At(n.g, n.snaps[i], n.sp)
			exact := got[i].id == int64(c+1) && math.Abs(got[i].min-want.Secs/60) <= 1e-9*want.Secs
			if want.OK && want.Secs > 24*3600 && (got[i].id == 0 || exact) {
				continue // beyond a day's travel the bounded search may give up: straight line by design
			}
			if !want.OK {
				if got[i].id != 0 {
					t.Errorf("settlement %d: unreachable own centre, got %+v", i, got[i])
				}
				continue
			}
			checked++
			if got[i].id != int64(c+1) || math.Abs(got[i].min-want.Secs/60) > 1e-9*want.Secs {
				t.Errorf("settlement %d: own centre %d: got %+v, want %.6f min", i, c, got[i], want.Secs/60)
			}
		}
	}
	if checked < 250 {
		t.Errorf("only %d settlements checked", checked)
	}
}

// The engine finds the own centre through the areas: the same answer as
// ownCentre given the indexes directly, and a straight-line fallback (flagged)
// for a settlement whose own centre is not reachable.
func TestComputeOwnCentreThroughAreas(t *testing.T) {
	// SYNTHETIC: two districts on one road, a third district's centre on an
	// island with no road.
	west, east, island := orb.Point{70, 50}, orb.Point{71, 50}, orb.Point{75, 45}
	in := &Input{
		Roads: []route.Road{{ID: 1, Class: "primary", Paved: true, Line: orb.LineString{{70, 50}, {70.5, 50}, {71, 50}}}},
		Areas: []Area{
			{ID: 10, Level: "district", Population: math.NaN(), Centre: &west},
			{ID: 11, Level: "district", Population: math.NaN(), Centre: &east},
			{ID: 12, Level: "district", Population: math.NaN(), Centre: &island},
		},
		Settlements: []Settlement{
			{ID: 1, Point: orb.Point{70.6, 50}, Population: 100, District: 10}, // nearer the east centre than its own
			{ID: 2, Point: orb.Point{70.6, 50}, Population: 100, District: 11},
			{ID: 3, Point: orb.Point{70.6, 50}, Population: 100, District: 12},
			{ID: 4, Point: orb.Point{70.6, 50}, Population: 100}, // no district
		},
	}
	res, err := Compute(in, DefaultOptions(), nil)
	if err != nil {
		t.Fatal(err)
	}
	toWest := orbgeo.Distance(orb.Point{70.6, 50}, west) / 1000
	toEast := orbgeo.Distance(orb.Point{70.6, 50}, east) / 1000
	islandKm, _ := DefaultOptions().Fallback(orbgeo.Distance(orb.Point{70.6, 50}, island))
	tests := []struct {
		name     string
		km       float64 // NaN: none
		straight bool
	}{
		{"own centre farther than a neighbour's", toWest, false},
		{"own centre the nearest", toEast, false},
		{"own centre off the network", islandKm, true},
		{"no district", math.NaN(), false},
	}
	for i, tt := range tests {
		f := res.Settlements[i]
		if math.IsNaN(tt.km) != math.IsNaN(f.Value("district_centre_km")) || (!math.IsNaN(tt.km) && math.Abs(f.Value("district_centre_km")-tt.km) > 1e-5*tt.km) {
			t.Errorf("%s: district_centre_km = %v, want %v", tt.name, f.Value("district_centre_km"), tt.km)
		}
		if slices.Contains(f.StraightLine, "district_centre") != tt.straight {
			t.Errorf("%s: straight-line %v", tt.name, f.StraightLine)
		}
	}
}

// TestPavedAssumed: a paved_road_km figure says it is assumed when the
// nearest paved road's surface is assumed from its class, not when it is
// tagged (issue 8.7). SYNTHETIC: a tagged and an untagged paved road.
func TestPavedAssumed(t *testing.T) {
	in := &Input{
		Roads: []route.Road{
			{ID: 1, Class: "primary", Paved: true, Line: orb.LineString{{70, 50}, {71, 50}}},
			{ID: 2, Class: "tertiary", Paved: true, PavedAssumed: true, Line: orb.LineString{{70, 51}, {71, 51}}},
		},
		Settlements: []Settlement{
			{ID: 1, Point: orb.Point{70.5, 50.01}, Population: 100}, // by the tagged road
			{ID: 2, Point: orb.Point{70.5, 50.99}, Population: 100}, // by the assumed one
		},
	}
	res, err := Compute(in, DefaultOptions(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []bool{false, true} {
		f := res.Settlements[i]
		if got := slices.Contains(f.Assumed, "paved_road_km"); got != want || math.IsNaN(f.Value("paved_road_km")) {
			t.Errorf("settlement %d: paved_road_km %v, assumed %v, want %v", i+1, f.Value("paved_road_km"), f.Assumed, want)
		}
	}
}

package access

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// TestAreas aggregates hand-made SYNTHETIC settlement figures: weighted
// means and medians, shares, the method of each aggregate, the areas a
// settlement counts in, and the per-10,000 counts and density.
func TestAreas(t *testing.T) {
	nan := math.NaN()
	in := &Input{
		Areas: []Area{
			{ID: 1, Level: "country", Population: 10000, Km2: 100},
			{ID: 2, Level: "oblast", Population: 10000, Km2: 100},
			{ID: 3, Level: "district", Group: 9, Population: 4000, Estimated: true, Km2: 40},
			{ID: 4, Level: "district", Population: math.NaN(), Km2: 60},
			{ID: 9, Level: "macroregion", Population: 4000, Km2: 40},
		},
		Settlements: []Settlement{
			{ID: 1, Population: 100, District: 3, Oblast: 2},
			{ID: 2, Population: 300, District: 3, Oblast: 2},
			{ID: 3, Population: 600, District: 4, Oblast: 2},
			{ID: 4, Population: 0, District: 4, Oblast: 2}, // no weight: left out
		},
		Facilities: []Facility{
			{ID: 1, Kind: "school", Capacity: nan, District: 3, Oblast: 2},
			{ID: 2, Kind: "school", Capacity: nan, District: 4, Oblast: 2},
			{ID: 3, Kind: "feldsher_post", Capacity: nan, District: 3, Oblast: 2},
			{ID: 4, Kind: "school", Capacity: nan}, // outside every district: the country only
		},
	}
	e := newEngine(in, DefaultOptions())
	// A network exists (e.net only needs to be non-nil for the methods), but
	// the catchments are left out: give every settlement its figures by hand.
	e.net = &network{in: in, snapped: []bool{true, true, true, true}}
	for i, f := range []struct {
		schoolKm, clinicMin float64
		straight            []string
	}{
		{1, 10, nil},
		{5, 40, []string{"school"}},
		{2, nan, nil},
		{100, 100, nil},
	} {
		e.figs[i].Values[ixSchoolKm], e.figs[i].Values[ixClinicMin], e.figs[i].StraightLine = f.schoolKm, f.clinicMin, f.straight
	}
	got := map[[2]any]AreaValue{}
	for _, v := range e.areasWith(fca{}, fca{}) {
		got[[2]any{v.Area, v.Indicator}] = v
	}
	tests := []struct {
		area       int64
		name       string
		value, pop float64 // value NaN: no row
		method     string
	}{
		// District 3: 100 people at 1 km (network), 300 at 5 km (straight line).
		{3, "school_km_mean", (100*1 + 300*5) / 400.0, 400, Mixed},
		{3, "school_km_median", 5, 400, Mixed}, // 100 < 200 ≤ 400
		{3, "share_school_3km", 0.25, 400, Mixed},
		{3, "clinic_min_mean", (100*10 + 300*40) / 400.0, 400, Network},
		{3, "share_clinic_30min", 0.25, 400, Network},
		// The people the clinic standard leaves out: 300 of 400 beyond 30 min.
		{3, "share_clinic_beyond_30min", 0.75, 400, Network},
		{2, "share_clinic_beyond_30min", 0.75, 400, Network}, // district 4's clinic value is unknown
		// The macroregion of district 3 gets exactly its settlements.
		{9, "school_km_mean", (100*1 + 300*5) / 400.0, 400, Mixed},
		// District 4: one settlement with a value, network; one without weight.
		{4, "school_km_mean", 2, 600, Network},
		{4, "school_km_median", 2, 600, Network},
		{4, "clinic_min_mean", nan, 0, ""}, // no known value
		// The oblast and the country hold everyone.
		{2, "school_km_mean", (100*1 + 300*5 + 600*2) / 1000.0, 1000, Mixed},
		{1, "school_km_median", 2, 1000, Mixed}, // 100+600 ≥ 500 at 2 km
		{1, "town5k_km_mean", nan, 0, ""},       // NaN for everyone
		// Per 10,000 and density: from the areas' own population.
		{3, "schools_per_10k", 1.0 / 4000 * 1e4, 4000, Estimated},
		{3, "health_per_10k", 1.0 / 4000 * 1e4, 4000, Estimated},
		{3, "population_density", 100, 4000, Estimated},
		{2, "schools_per_10k", 2.0 / 10000 * 1e4, 10000, Statistics},
		{1, "schools_per_10k", 3.0 / 10000 * 1e4, 10000, Statistics},
		{9, "schools_per_10k", 1.0 / 4000 * 1e4, 4000, Statistics},
		{4, "schools_per_10k", nan, 0, ""}, // population unknown
		{4, "population_density", nan, 0, ""},
		// No catchments computed: no 2SFCA rows.
		{3, "school_2sfca", nan, 0, ""},
	}
	for _, tt := range tests {
		v, ok := got[[2]any{tt.area, tt.name}]
		if math.IsNaN(tt.value) {
			if ok {
				t.Errorf("area %d %s = %+v, want no row", tt.area, tt.name, v)
			}
			continue
		}
		if !ok {
			t.Errorf("area %d %s: no row", tt.area, tt.name)
			continue
		}
		if math.Abs(v.Value-tt.value) > 1e-12 || v.Population != tt.pop || v.Method != tt.method {
			t.Errorf("area %d %s = %v over %v (%s), want %v over %v (%s)", tt.area, tt.name, v.Value, v.Population, v.Method, tt.value, tt.pop, tt.method)
		}
	}
}

// TestAreas2SFCA: the two-step floating catchment over the network's
// catchment pairs becomes the areas' population-weighted mean, and its method
// follows the network: straight-line without roads.
func TestAreas2SFCA(t *testing.T) {
	// SYNTHETIC: two schools of 100 and (untagged) 1 place; settlement 0
	// (1,000 people) within reach of both, settlement 1 (1,000) of the
	// first only, settlement 2 (500) of none. Without roads the catchment is
	// the straight-line radius of 30 minutes: 15.4 km at the defaults.
	radius := DefaultOptions().FallbackRadius(CatchmentMinutes)
	deg := radius / (orb.EarthRadius * math.Pi / 180) // metres to degrees of latitude
	in := &Input{
		Areas: []Area{{ID: 1, Level: "country", Population: math.NaN()}},
		Settlements: []Settlement{
			{ID: 1, Point: orb.Point{70, 50}, Population: 1000},
			{ID: 2, Point: orb.Point{70, 50 + 0.9*deg}, Population: 1000},
			{ID: 3, Point: orb.Point{70, 50 + 3*deg}, Population: 500},
		},
		Facilities: []Facility{
			{ID: 1, Kind: "school", Capacity: 100, Point: orb.Point{70, 50 + 0.45*deg}},
			{ID: 2, Kind: "school", Capacity: math.NaN(), Point: orb.Point{70, 50 - 0.5*deg}},
		},
	}
	e := newEngine(in, DefaultOptions())
	school, health := e.twoStepFCA()
	if health.a != nil {
		t.Errorf("health 2SFCA without health facilities = %v, want none", health.a)
	}
	// R1 = 100 / 2,000 people; R2 = 1 / 1,000. Per 1,000 people:
	// settlement 0: 50 + 1, settlement 1: 50, settlement 2: 0.
	want := []float64{51, 50, 0}
	for i, w := range want {
		if math.Abs(school.value(i)-w) > 1e-9 {
			t.Errorf("settlement %d: %v places per 1,000, want %v", i, school.value(i), w)
		}
	}
	if !school.straight {
		t.Error("catchments without roads not flagged straight-line")
	}
	rows := e.areasWith(school, health)
	for _, v := range rows {
		if v.Indicator == "school_2sfca" {
			if wantMean := (51*1000 + 50*1000 + 0*500) / 2500.0; math.Abs(v.Value-wantMean) > 1e-9 || v.Method != Estimated || v.Population != 2500 {
				t.Errorf("school_2sfca = %+v, want %v estimated (a catchment by estimated time) over 2,500", v, wantMean)
			}
			return
		}
	}
	t.Error("no school_2sfca row")
}

// TestCityDistricts: the districts of a city of republican significance
// (SYNTHETIC: city 2 with districts 3 and 4, the city's one point in district
// 3) show the whole city's settlement figures, marked City, never a blank; their
// density stays their own; a district of an ordinary oblast keeps its own.
func TestCityDistricts(t *testing.T) {
	in := &Input{
		Areas: []Area{
			{ID: 1, Level: "country", Population: 3000, Km2: 300},
			{ID: 2, Level: "oblast", Population: 2000, Km2: 100},
			{ID: 3, Level: "district", Parent: 2, CityPart: true, Population: 800, Estimated: true, Km2: 40},
			{ID: 4, Level: "district", Parent: 2, CityPart: true, Population: 1200, Estimated: true, Km2: 60},
			{ID: 5, Level: "oblast", Population: 1000, Km2: 200},
			{ID: 6, Level: "district", Parent: 5, Population: 1000, Km2: 200},
		},
		Settlements: []Settlement{
			{ID: 1, Population: 1900, District: 3, Oblast: 2}, // the city's point
			{ID: 2, Population: 100, District: 3, Oblast: 2},  // a village the city absorbed
			{ID: 3, Population: 1000, District: 6, Oblast: 5},
		},
	}
	e := newEngine(in, DefaultOptions())
	e.net = &network{in: in, snapped: []bool{true, true, true}}
	for i, km := range []float64{2, 12, 7} {
		e.figs[i].Values[ixSchoolKm] = km
	}
	got := map[[2]any]AreaValue{}
	for _, v := range e.areasWith(fca{}, fca{}) {
		got[[2]any{v.Area, v.Indicator}] = v
	}
	city := (1900*2 + 100*12) / 2000.0
	for _, c := range []struct {
		area   int64
		name   string
		value  float64
		method string
	}{
		{2, "school_km_mean", city, Network},
		{3, "school_km_mean", city, City},
		{4, "school_km_mean", city, City}, // holds no settlement: the city's figure, not a blank
		{6, "school_km_mean", 7, Network},
		{3, "population_density", 20, Estimated},
		{4, "population_density", 20, Estimated},
	} {
		v, ok := got[[2]any{c.area, c.name}]
		if !ok || math.Abs(v.Value-c.value) > 1e-9 || v.Method != c.method {
			t.Errorf("area %d %s = %+v (present %v), want %v %s", c.area, c.name, v, ok, c.value, c.method)
		}
	}
}

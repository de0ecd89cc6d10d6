package access_test

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/route"
	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
)

// Area ids of the SYNTHETIC town.
const (
	townCountry  = 1
	townOblast   = 2
	townDistrict = 3
)

// syntheticTown is a SYNTHETIC world: one country, oblast and district square
// at 60–62°E, 44–46°N, both centres at 61°E 45°N; a paved primary road along
// 45°N from 60 to 61°E and an unpaved track north from its end to 45.5°N;
// settlement A (600 people) at the road's west end, B (6,000) at its east
// end, C (100) 3 km north of its middle; a school at the east end (id 1) and
// a hospital at the track's end (id 2). Without roads, the same world has
// no road at all.
func syntheticTown(roads bool) *access.Input {
	centre := orb.Point{61, 45}
	in := &access.Input{
		Settlements: []access.Settlement{
			{ID: 1, Point: orb.Point{60, 45}, Population: 600, Place: "village", District: townDistrict, Oblast: townOblast},
			{ID: 2, Point: orb.Point{61, 45}, Population: 6000, Place: "village", District: townDistrict, Oblast: townOblast},
			{ID: 3, Point: orb.Point{60.5, 45.027}, Population: 100, Place: "village", District: townDistrict, Oblast: townOblast},
		},
		Facilities: []access.Facility{
			{ID: 1, Kind: "school", Name: "Synthetic school", Capacity: math.NaN(), Point: orb.Point{61, 45}, District: townDistrict, Oblast: townOblast},
			{ID: 2, Kind: "hospital", Name: "Synthetic hospital", Capacity: math.NaN(), Point: orb.Point{61, 45.5}, District: townDistrict, Oblast: townOblast},
		},
		Areas: []access.Area{
			{ID: townCountry, Level: "country", Population: 1000, Km2: 1},
			{ID: townOblast, Level: "oblast", Population: 1000, Km2: 1, Centre: &centre},
			{ID: townDistrict, Level: "district", Population: 1000, Estimated: true, Km2: 1, Centre: &centre},
		},
	}
	if roads {
		in.Roads = []route.Road{
			{ID: 1, Class: "primary", Paved: true, Line: orb.LineString{{60, 45}, {61, 45}}},
			{ID: 2, Class: "track", Line: orb.LineString{{61, 45}, {61, 45.5}}},
		}
	}
	return in
}

// mustCompute runs Compute with the default options.
func mustCompute(tb testing.TB, in *access.Input) *access.Result {
	tb.Helper()
	res, err := access.Compute(in, access.DefaultOptions(), nil)
	if err != nil {
		tb.Fatal(err)
	}
	if len(res.Settlements) != len(in.Settlements) {
		tb.Fatalf("%d settlement results for %d settlements", len(res.Settlements), len(in.Settlements))
	}
	return res
}

// near: the graph keeps coordinates and weights in float32 (a few centimetres
// here); relative to the value, or absolute below 1.
func near(got, want float64) bool {
	return math.Abs(got-want) <= 1e-6*math.Max(1, math.Abs(want))
}

// areaValue finds one area row.
func areaValue(tb testing.TB, res *access.Result, area int64, name string) access.AreaValue {
	tb.Helper()
	for _, v := range res.Areas {
		if v.Area == area && v.Indicator == name {
			return v
		}
	}
	tb.Fatalf("no %s for area %d", name, area)
	return access.AreaValue{}
}

// TestComputeSyntheticTown checks the SYNTHETIC town's figures, worked out
// by hand from the geometry: the road and track lengths, their speeds (80 km/h
// on a paved primary, 25 on an unpaved track) and the walk to the road (5 km/h).
func TestComputeSyntheticTown(t *testing.T) {
	a, b, c := orb.Point{60, 45}, orb.Point{61, 45}, orb.Point{60.5, 45.027}
	// The graph measures roads by great circles; the straight-line rule and
	// town5k_km by orb/geo.Distance.
	roadKm := orbgeo.DistanceHaversine(a, b) / 1000
	trackKm := orbgeo.DistanceHaversine(b, orb.Point{61, 45.5}) / 1000
	// C walks 3 km south to the road at 60.5°E, then drives east to B.
	cWalkKm := orbgeo.DistanceHaversine(c, orb.Point{60.5, 45}) / 1000
	cDriveKm := roadKm - orbgeo.DistanceHaversine(a, orb.Point{60.5, 45})/1000
	abKm, cbKm := orbgeo.Distance(a, b)/1000, orbgeo.Distance(c, b)/1000
	sp := route.DefaultSpeeds()
	primary, track, walk := sp.Paved["primary"], sp.Unpaved["track"], sp.Walk
	hour := 60.0
	sl := access.DefaultOptions()

	type want struct {
		schoolKm, schoolMin, hospitalKm, hospitalMin, pavedKm, districtKm, town5kKm float64
		srs                                                                         [3]string // health, school, road: yes, no or n/a
		score                                                                       float64   // NaN: none
		straight                                                                    []string
		method                                                                      string
	}
	tests := []struct {
		name  string
		roads bool
		want  [3]want // A, B, C
	}{
		{"SYNTHETIC town over the network", true, [3]want{
			{roadKm, roadKm / primary * hour, roadKm + trackKm, roadKm/primary*hour + trackKm/track*hour, 0, roadKm, abKm,
				[3]string{"no", "no", "yes"}, 1.0 / 3, nil, access.Network},
			{0, 0, trackKm, trackKm / track * hour, 0, 0, 0,
				[3]string{"no", "yes", "yes"}, 2.0 / 3, nil, access.Network},
			{cWalkKm + cDriveKm, cWalkKm/walk*hour + cDriveKm/primary*hour, cWalkKm + cDriveKm + trackKm, cWalkKm/walk*hour + cDriveKm/primary*hour + trackKm/track*hour,
				cWalkKm, cWalkKm + cDriveKm, cbKm,
				[3]string{"no", "no", "n/a"}, 0, nil, access.Network},
		}},
		{"SYNTHETIC town without roads: the straight-line rule", false, [3]want{
			{fb(sl, a, b).km, fb(sl, a, b).min, fb(sl, a, orb.Point{61, 45.5}).km, fb(sl, a, orb.Point{61, 45.5}).min, math.NaN(), fb(sl, a, b).km, abKm,
				[3]string{"no", "no", "n/a"}, 0, []string{"school", "clinic", "hospital", "district_centre", "oblast_centre"}, access.StraightLine},
			{0, 0, fb(sl, b, orb.Point{61, 45.5}).km, fb(sl, b, orb.Point{61, 45.5}).min, math.NaN(), 0, 0,
				[3]string{"no", "yes", "n/a"}, 0.5, []string{"school", "clinic", "hospital", "district_centre", "oblast_centre"}, access.StraightLine},
			{fb(sl, c, b).km, fb(sl, c, b).min, fb(sl, c, orb.Point{61, 45.5}).km, fb(sl, c, orb.Point{61, 45.5}).min, math.NaN(), fb(sl, c, b).km, cbKm,
				[3]string{"no", "no", "n/a"}, 0, []string{"school", "clinic", "hospital", "district_centre", "oblast_centre"}, access.StraightLine},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := mustCompute(t, syntheticTown(tt.roads))
			for i, w := range tt.want {
				f := res.Settlements[i]
				name := string(rune('A' + i))
				for _, c := range []struct {
					what      string
					got, want float64
				}{
					{"school_km", f.Value("school_km"), w.schoolKm}, {"school_min", f.Value("school_min"), w.schoolMin},
					{"hospital_km", f.Value("hospital_km"), w.hospitalKm}, {"hospital_min", f.Value("hospital_min"), w.hospitalMin},
					// The hospital is the only health facility: the nearest "clinic".
					{"clinic_km", f.Value("clinic_km"), w.hospitalKm}, {"clinic_min", f.Value("clinic_min"), w.hospitalMin},
					{"paved_road_km", f.Value("paved_road_km"), w.pavedKm},
					{"district_centre_km", f.Value("district_centre_km"), w.districtKm}, {"oblast_centre_km", f.Value("oblast_centre_km"), w.districtKm},
					{"town5k_km", f.Value("town5k_km"), w.town5kKm},
				} {
					if math.IsNaN(c.want) != math.IsNaN(c.got) || (!math.IsNaN(c.want) && !near(c.got, c.want)) {
						t.Errorf("%s: %s = %.6f, want %.6f", name, c.what, c.got, c.want)
					}
				}
				if got := [3]string{yesNo(f.SRS.Health), yesNo(f.SRS.School), yesNo(f.SRS.Road)}; got != w.srs {
					t.Errorf("%s: standards health/school/road = %v, want %v", name, got, w.srs)
				}
				if f.SRS.Score == nil || math.Abs(*f.SRS.Score-w.score) > 1e-12 {
					t.Errorf("%s: score = %v, want %v", name, f.SRS.Score, w.score)
				}
				if !slices.Equal(f.StraightLine, w.straight) || f.Method != w.method {
					t.Errorf("%s: straight-line %v, method %s; want %v, %s", name, f.StraightLine, f.Method, w.straight, w.method)
				}
				if f.NearestSchool != 1 || f.NearestHospital != 2 || f.NearestClinic != 2 {
					t.Errorf("%s: nearest school/clinic/hospital = %d/%d/%d, want 1/2/2", name, f.NearestSchool, f.NearestClinic, f.NearestHospital)
				}
			}
			if tt.roads && (res.Routed != 3 || res.Nodes != 3 || res.StraightLine != 0 || len(res.Missing) != 0) {
				t.Errorf("routed %d, nodes %d, straight-line %d, missing %v; want 3, 3, 0, none", res.Routed, res.Nodes, res.StraightLine, res.Missing)
			}
			if !tt.roads && (res.Routed != 0 || res.StraightLine != 3 || !slices.Equal(res.Missing, []string{"paved_road_km"})) {
				t.Errorf("routed %d, straight-line %d, missing %v; want 0, 3, [paved_road_km]", res.Routed, res.StraightLine, res.Missing)
			}
			// Only B (6,000 of 6,700 people) has the school within 3 km, and
			// within the 30-minute catchment: B gets 1 school per 6,000 people
			// (1000/6000 per 1,000), A and C nothing.
			// Without roads a distance is straight-line, a time (and a catchment
			// drawn by time) estimated.
			method, timeMethod := access.Network, access.Network
			if !tt.roads {
				method, timeMethod = access.StraightLine, access.Estimated
			}
			for _, c := range []struct {
				name   string
				value  float64
				method string
			}{
				{"share_school_3km", 6000.0 / 6700, method},
				{"school_2sfca", 1000.0 / 6000 * 6000 / 6700, timeMethod},
				// Nobody is within 30 minutes of the hospital.
				{"clinic_2sfca", 0, timeMethod},
				{"share_clinic_30min", 0, timeMethod},
				{"school_km_median", 0, method}, // B alone has more than half the people
				// Per 10,000 and density from the district's own (estimated) population.
				{"schools_per_10k", 1.0 / 1000 * 1e4, access.Estimated},
				{"health_per_10k", 1.0 / 1000 * 1e4, access.Estimated},
				{"population_density", 1000, access.Estimated},
			} {
				v := areaValue(t, res, townDistrict, c.name)
				if !near(v.Value, c.value) || v.Method != c.method {
					t.Errorf("district %s = %v (%s), want %v (%s)", c.name, v.Value, v.Method, c.value, c.method)
				}
			}
			if v := areaValue(t, res, townOblast, "schools_per_10k"); v.Method != access.Statistics || v.Population != 1000 {
				t.Errorf("oblast schools_per_10k = %+v, want the official population's method and weight", v)
			}
			// town5k_km is a straight line by definition, whatever the roads.
			if v := areaValue(t, res, townCountry, "town5k_km_mean"); v.Method != access.StraightLine || v.Population != 6700 {
				t.Errorf("country town5k_km_mean = %+v, want straight-line over 6,700 people", v)
			}
		})
	}
}

// fb is the straight-line rule between two points.
func fb(o access.Options, p, q orb.Point) struct{ km, min float64 } {
	km, min := o.Fallback(orbgeo.Distance(p, q))
	return struct{ km, min float64 }{km, min}
}

func yesNo(b *bool) string {
	switch {
	case b == nil:
		return "n/a"
	case *b:
		return "yes"
	}
	return "no"
}

// A settlement off the network in a world with roads falls back to the
// straight-line rule on its own; the areas it counts in are mixed.
func TestComputeOffNetworkSettlement(t *testing.T) {
	in := syntheticTown(true)
	d := orb.Point{61.9, 44.1} // 100 km from any road: SYNTHETIC
	in.Settlements = append(in.Settlements, access.Settlement{ID: 4, Point: d, Population: 50, Place: "hamlet", District: townDistrict, Oblast: townOblast})
	res := mustCompute(t, in)
	f := res.Settlements[3]
	want := fb(access.DefaultOptions(), d, orb.Point{61, 45})
	if f.Method != access.StraightLine || f.Value("school_km") != want.km || f.Value("school_min") != want.min || len(f.StraightLine) != 5 {
		t.Errorf("D: %s, school %v km %v min, straight-line %v; want straight-line, %v km %v min, all five targets",
			f.Method, f.Value("school_km"), f.Value("school_min"), f.StraightLine, want.km, want.min)
	}
	if res.Routed != 3 || res.StraightLine != 1 {
		t.Errorf("routed %d, straight-line %d; want 3, 1", res.Routed, res.StraightLine)
	}
	for _, name := range []string{"school_km_mean", "district_centre_min_median", "school_2sfca"} {
		m := access.Mixed
		if name == "school_2sfca" {
			m = access.Network // the catchments are over the network whenever there is one
		}
		if v := areaValue(t, res, townDistrict, name); v.Method != m {
			t.Errorf("district %s: method %s, want %s", name, v.Method, m)
		}
	}
	// paved_road_km is a straight-line distance by definition: the area says
	// so, as every settlement's report does.
	if v := areaValue(t, res, townDistrict, "paved_road_km_mean"); v.Method != access.StraightLine {
		t.Errorf("paved_road_km_mean: method %s, want straight-line", v.Method)
	}
}

// A facility off the network is still the nearest by straight line for a
// settlement on it: the figure falls back, the settlement is mixed.
func TestComputeOffNetworkFacility(t *testing.T) {
	in := syntheticTown(true)
	in.Facilities = append(in.Facilities, access.Facility{ID: 3, Kind: "medical_post", Capacity: math.NaN(), Point: orb.Point{60, 44.5}}) // 55 km south of A: SYNTHETIC
	res := mustCompute(t, in)
	a := res.Settlements[0]
	// A reaches the hospital over the network (the medical post is off it).
	if a.NearestClinic != 2 || a.Method != access.Network {
		t.Errorf("A: nearest clinic %d, method %s; want the hospital over the network", a.NearestClinic, a.Method)
	}
	// With the hospital gone, only the off-network medical post is left.
	in.Facilities = slices.DeleteFunc(in.Facilities, func(f access.Facility) bool { return f.Kind == "hospital" })
	res = mustCompute(t, in)
	a = res.Settlements[0]
	want := fb(access.DefaultOptions(), orb.Point{60, 45}, orb.Point{60, 44.5})
	if a.NearestClinic != 3 || a.Value("clinic_km") != want.km || a.Method != access.Mixed || !slices.Equal(a.StraightLine, []string{"clinic"}) {
		t.Errorf("A: nearest clinic %d at %v km, method %s, straight-line %v; want 3 at %v km, mixed, [clinic]",
			a.NearestClinic, a.Value("clinic_km"), a.Method, a.StraightLine, want.km)
	}
	if !math.IsNaN(a.Value("hospital_km")) || a.NearestHospital != 0 {
		t.Errorf("A: hospital %v km (id %d) with no hospital", a.Value("hospital_km"), a.NearestHospital)
	}
	if !slices.Contains(res.Missing, "hospital_km") {
		t.Errorf("missing = %v, want hospital_km", res.Missing)
	}
}

// Settlements, centres and nothing else: the real data set without an
// OpenStreetMap extract.
func TestComputeWithoutFacilitiesOrRoads(t *testing.T) {
	in := syntheticTown(false)
	in.Facilities = nil
	res := mustCompute(t, in)
	want := []string{"school_km", "school_min", "clinic_km", "clinic_min", "hospital_km", "hospital_min", "paved_road_km", "srs_score"}
	if !slices.Equal(res.Missing, want) {
		t.Errorf("missing = %v, want %v", res.Missing, want)
	}
	for i, f := range res.Settlements {
		if !math.IsNaN(f.Value("school_km")) || f.SRS.Score != nil || math.IsNaN(f.Value("district_centre_km")) || f.Method != access.StraightLine {
			t.Errorf("settlement %d: %+v", i, f)
		}
	}
	for _, v := range res.Areas {
		if slices.Contains([]string{"school_2sfca", "schools_per_10k", "school_km_mean"}, v.Indicator) {
			t.Errorf("%s computed without facilities", v.Indicator)
		}
	}
}

func ExampleCompute() {
	// A SYNTHETIC village 3 km from a road that leads to a school 20 km away.
	in := &access.Input{
		Settlements: []access.Settlement{{ID: 1, Point: orb.Point{70, 50.027}, Population: 300, Place: "village"}},
		Facilities:  []access.Facility{{ID: 7, Kind: "school", Point: orb.Point{70.28, 50}}},
		Roads:       []route.Road{{ID: 1, Class: "secondary", Paved: true, Line: orb.LineString{{69.9, 50}, {70.3, 50}}}},
	}
	res, err := access.Compute(in, access.DefaultOptions(), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	f := res.Settlements[0]
	fmt.Printf("school %d: %.1f km, %.0f min (%s); paved road %.1f km; school within 3 km: %v\n",
		f.NearestSchool, f.Value("school_km"), f.Value("school_min"), f.Method, f.Value("paved_road_km"), *f.SRS.School)
	// Output: school 7: 23.0 km, 53 min (network); paved road 3.0 km; school within 3 km: false
}

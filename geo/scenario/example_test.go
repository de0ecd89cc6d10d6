package scenario_test

import (
	"fmt"
	"math"

	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/route"
	"github.com/aimaq/aimaq/geo/scenario"
	"github.com/paulmach/orb"
)

// A SYNTHETIC village of 800 people on a 10 km track, its school 8 km away:
// what does a school at 1 km do?
func ExampleBaseline_Evaluate() {
	in := &access.Input{
		Roads:       []route.Road{{ID: 1, Line: orb.LineString{{70, 45}, {70.127, 45}}, Class: "track", SpeedKmh: 30}},
		Settlements: []access.Settlement{{ID: 1, Point: orb.Point{70, 45}, Population: 800, Place: "village"}},
		Facilities:  []access.Facility{{ID: 1, Kind: "school", Point: orb.Point{70.1016, 45}, Capacity: math.NaN()}},
	}
	base, err := scenario.NewBaseline(in, access.DefaultOptions())
	if err != nil {
		panic(err)
	}
	res, err := base.Evaluate([]scenario.Project{
		{ID: 1, Kind: scenario.OpenFacility, FacilityKind: "school", Point: orb.Point{70.0127, 45}, CostKZT: 400e6},
	})
	if err != nil {
		panic(err)
	}
	for _, c := range res.Settlements {
		fmt.Printf("settlement %d: school %.1f km → %.1f km, meets the standard: %v → %v\n",
			c.ID, c.Before.SchoolKm, c.After.SchoolKm, *c.Before.SRS.School, *c.After.SRS.School)
	}
	fmt.Printf("newly served %.0f people, %.0f tenge per person\n", res.NewlyServed, res.CostPerPerson)
	// Output:
	// settlement 1: school 8.0 km → 1.0 km, meets the standard: false → true
	// newly served 800 people, 500000 tenge per person
}

// Every figure says how it was made. A SYNTHETIC village 55 km north of a
// paved road, beyond the network's reach: its school is measured by the
// straight-line rule, so the time to it is an estimate; the paved road is
// straight-line by definition; with no clinic there is no clinic figure,
// and the standards' score has no method of its own.
func ExampleFigures_Method() {
	in := &access.Input{
		Roads:       []route.Road{{ID: 1, Line: orb.LineString{{70, 45}, {70.127, 45}}, Class: "primary", Paved: true}},
		Settlements: []access.Settlement{{ID: 1, Point: orb.Point{70, 45.5}, Population: 800, Place: "village"}},
		Facilities:  []access.Facility{{ID: 1, Kind: "school", Point: orb.Point{70.1016, 45}, Capacity: math.NaN()}},
	}
	base, err := scenario.NewBaseline(in, access.DefaultOptions())
	if err != nil {
		panic(err)
	}
	f := base.Figures(0)
	for _, name := range scenario.FigureNames() {
		fmt.Printf("%s: %q\n", name, f.Method(name))
	}
	// Output:
	// school_km: "straight-line"
	// school_min: "estimated"
	// clinic_km: ""
	// clinic_min: ""
	// hospital_km: ""
	// hospital_min: ""
	// paved_road_km: "straight-line"
	// srs_score: ""
}

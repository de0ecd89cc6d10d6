package siting_test

import (
	"fmt"

	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/route"
	"github.com/aimaq/aimaq/geo/siting"
	"github.com/paulmach/orb"
)

// Three SYNTHETIC villages on a 12 km track, one school at the west end: where
// should one new school go so that the most pupils have one within 3 km?
func ExampleMaxCover() {
	g, err := route.Build([]route.Road{{ID: 1, Line: orb.LineString{{70, 45}, {70.152, 45}}, Class: "track", SpeedKmh: 30}}, route.DefaultSpeeds())
	if err != nil {
		panic(err)
	}
	p := &siting.Problem{
		Demand: []siting.Demand{
			{ID: 1, Point: orb.Point{70, 45}, Population: 300},
			{ID: 2, Point: orb.Point{70.089, 45}, Population: 500}, // 7 km east
			{ID: 3, Point: orb.Point{70.127, 45}, Population: 200}, // 10 km east
		},
		Existing: []orb.Point{{70.001, 45}},
		Candidates: []siting.Site{
			{SettlementID: 2, Name: "village 2", Point: orb.Point{70.089, 45}, CostKZT: 900e6},
			{SettlementID: 3, Name: "village 3", Point: orb.Point{70.127, 45}, CostKZT: 700e6},
		},
		Standard: siting.Standard{Metric: route.ByLength, Limit: 3},
		Graph:    g,
		Options:  access.DefaultOptions(),
	}
	r, err := siting.MaxCover(p, siting.Budget{K: 1})
	if err != nil {
		panic(err)
	}
	ps, err := r.Projects("school")
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s: %.0f of %.0f people newly within 3 km (%.0f already)\n", ps[0].Name, r.Covered, r.Population, r.AlreadyCovered)
	// Output:
	// proposed school at village 2: 700 of 1000 people newly within 3 km (300 already)
}

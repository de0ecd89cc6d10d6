package route_test

import (
	"fmt"

	"github.com/aimaq/aimaq/geo/route"
	"github.com/paulmach/orb"
)

// Two schools on a village road network; for each village, the nearest school by
// travel time, including the walk from the village to the road.
func ExampleGraph_MultiSource() {
	roads := []route.Road{
		{ID: 1, Line: orb.LineString{{70.00, 50.00}, {70.10, 50.00}}, Class: "secondary", Paved: true},
		{ID: 2, Line: orb.LineString{{70.10, 50.00}, {70.10, 50.05}}, Class: "track"},
		{ID: 3, Line: orb.LineString{{70.10, 50.00}, {70.20, 50.00}}, Class: "unclassified"},
	}
	sp := route.DefaultSpeeds()
	g, err := route.Build(roads, sp)
	if err != nil {
		fmt.Println(err)
		return
	}
	snapper := g.NewSnapper()
	var schools []route.Source
	for i, p := range []orb.Point{{70.001, 50.001}, {70.1, 50.049}} {
		if s, ok := snapper.Snap(p, 500); ok {
			schools = append(schools, route.Source{Snap: s, ID: int64(101 + i)})
		}
	}
	field := g.MultiSource(schools, route.ByTime, sp)
	for _, village := range []orb.Point{{70.05, 50.0005}, {70.19, 50.0}, {70.3, 50.3}} {
		s, ok := snapper.Snap(village, 2000)
		if !ok {
			fmt.Printf("%v: no road within 2 km; the straight-line rule (flagged)\n", village)
			continue
		}
		r := field.At(g, s, sp)
		fmt.Printf("%v: school %d, %.1f km, %.1f min\n", village, r.SourceID, r.Metres/1000, r.Secs/60)
	}
	// Output:
	// [70.05 50.0005]: school 101, 3.7 km, 5.0 min
	// [70.19 50]: school 101, 13.6 km, 18.4 min
	// [70.3 50.3]: no road within 2 km; the straight-line rule (flagged)
}

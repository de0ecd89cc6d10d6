package disparity_test

import (
	"fmt"

	"github.com/aimaq/aimaq/geo/disparity"
)

// Minutes to the nearest clinic in six districts of two macroregions: lower is
// better, so the best group is the one with the shortest trips.
func ExampleCompute() {
	districts := []disparity.Unit{
		{Value: 12, Weight: 40000, Group: "Northern"},
		{Value: 18, Weight: 25000, Group: "Northern"},
		{Value: 25, Weight: 10000, Group: "Northern"},
		{Value: 20, Weight: 90000, Group: "Southern"},
		{Value: 35, Weight: 60000, Group: "Southern"},
		{Value: 50, Weight: 30000, Group: "Southern"},
	}
	r := disparity.Compute(districts, true)
	fmt.Printf("mean %.1f min, Theil T %.4f (between-group share %.0f%%), Gini %.3f\n",
		r.Mean, r.TheilT.Total, 100*r.TheilT.BetweenShare, r.Gini)
	for _, g := range r.Groups {
		fmt.Printf("%-8s %5.1f min, %d districts, %.0f people\n", g.Code, g.Mean, g.Units, g.Population)
	}
	fmt.Printf("best %s, worst %s: %.2f times shorter trips\n", r.Best, r.Worst, r.BestWorst)
	// Output:
	// mean 25.8 min, Theil T 0.0967 (between-group share 36%), Gini 0.241
	// Northern  15.7 min, 3 districts, 75000 people
	// Southern  30.0 min, 3 districts, 180000 people
	// best Northern, worst Southern: 1.91 times shorter trips
}

package geo

import (
	"fmt"
	"testing"
)

func TestPopulationEstimator(t *testing.T) {
	var places []Place
	// Five tagged villages in region A, two in B: B falls back to the national median.
	for _, p := range []int{100, 200, 300, 400, 5000} {
		places = append(places, Place{Place: "village", Region: "A", Population: p})
	}
	places = append(places, Place{Place: "village", Region: "B", Population: 1000}, Place{Place: "village", Region: "B", Population: 3000})
	e := NewPopulationEstimator(places)
	tests := []struct {
		name string
		in   Place
		want Estimate
	}{
		{"region median", Place{Place: "village", Region: "A"}, Estimate{300, "median:region", 5}},
		{"country median", Place{Place: "village", Region: "B"}, Estimate{400, "median:country", 7}},
		{"no region", Place{Place: "village"}, Estimate{400, "median:country", 7}},
		{"default by type", Place{Place: "hamlet", Region: "A"}, Estimate{50, "default", 0}},
		{"unknown type", Place{Place: "locality"}, Estimate{50, "default", 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := e.Estimate(tt.in); got != tt.want {
				t.Errorf("Estimate(%+v) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func ExamplePopulationEstimator() {
	e := NewPopulationEstimator([]Place{
		{Place: "village", Region: "310000000", Population: 800},
		{Place: "village", Region: "310000000", Population: 1200},
		{Place: "village", Region: "310000000", Population: 950},
		{Place: "village", Region: "310000000", Population: 400},
		{Place: "village", Region: "310000000", Population: 20000},
	})
	fmt.Println(e.Estimate(Place{Place: "village", Region: "310000000"}))
	// Output: {950 median:region 5}
}

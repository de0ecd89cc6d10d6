package classify

import (
	"slices"
	"testing"
)

func TestChange(t *testing.T) {
	for _, tc := range []struct {
		name      string
		values    []float64
		k         int
		direction string
		bounds    []float64
		counts    []int
		ramp      string
		colours   int
	}{
		{"symmetric about 0", []float64{-0.37, 0, 0.05, 0.2}, 5, LowerBetter, []float64{-0.4, -0.2, 0.2, 0.4}, []int{1, 2, 1}, "PuOr_r", 3},
		{"rises only: the falls' classes left out", []float64{0, 1, 2, 4}, 5, HigherBetter, []float64{-2, 2, 4, 6}, []int{2, 1, 1}, "PuOr", 3},
		{"even k made odd", []float64{-3, 3}, 4, Neutral, []float64{-3, -2, -1, 1, 2, 3}, []int{1, 0, 0, 0, 1}, "BrBG", 5},
		{"round steps: 5, not 2.5", []float64{0, 7}, 5, LowerBetter, []float64{-5, 5, 10}, []int{1, 1}, "PuOr_r", 2},
		{"no change", []float64{0, 0, 0}, 5, LowerBetter, []float64{0, 0}, []int{3}, "PuOr_r", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Change(tc.values, tc.k, tc.direction)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(c.Bounds, tc.bounds) || !slices.Equal(c.Counts, tc.counts) || c.Ramp != tc.ramp || len(c.Colors) != tc.colours {
				t.Errorf("Change = bounds %v counts %v ramp %s colours %v; want %v %v %s %d", c.Bounds, c.Counts, c.Ramp, c.Colors, tc.bounds, tc.counts, tc.ramp, tc.colours)
			}
		})
	}
	// The middle colour is the ramp's light centre whatever the values.
	full, _ := Ramp("PuOr_r", 5)
	c, _ := Change([]float64{0, 1, 2, 4}, 5, LowerBetter)
	if c.Colors[0] != full[2] {
		t.Errorf("class holding 0 coloured %s, want the centre %s", c.Colors[0], full[2])
	}
	if _, err := Change(nil, 5, LowerBetter); err == nil {
		t.Error("Change of no values succeeded")
	}
}

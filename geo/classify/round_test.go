package classify

import (
	"math"
	"testing"
)

func TestShortestIn(t *testing.T) {
	for _, c := range []struct{ lo, hi, want, got float64 }{
		{9.87, 38.734, 38.734, 30},    // the one-digit number nearest to the break
		{36.2, 38.734, 38.734, 38},    // 40 is beyond hi: 38, two digits
		{38.7, 38.734, 38.734, 38.73}, // only four digits fit
		{0.312, 0.4187, 0.4187, 0.4},
		{3605.7, 3605.8, 3605.8, 3605.8},
		{-12.5, -3.2, -3.2, -10}, // negative values
		{-0.5, 0.04, 0.04, 0},    // zero separates them
		{1e6, 2.4e6, 2.4e6, 2e6}, // large numbers
		{0.1, 0.3, 0.3, 0.3},     // no binary noise: 0.30000000000000004 would exceed hi
	} {
		if got := shortestIn(c.lo, c.hi, c.want); got != c.got {
			t.Errorf("shortestIn(%v, %v, %v) = %v, want %v", c.lo, c.hi, c.want, got, c.got)
		}
	}
}

// Rounded bounds separate the same values: counts and fit unchanged.
func TestRoundBoundsKeepsClasses(t *testing.T) {
	values := []float64{1.23, 2.71, 3.14, 9.87, 12.5, 38.734, 41.2, 77.7, 101.3, 250.61, 3605.8}
	for _, m := range []Method{MethodJenks, MethodQuantile, MethodEqual, MethodHeadTail} {
		c, err := Classify(m, values, 4, nil)
		if err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		r := roundBounds(c, values)
		again := finish(c.Method, sorted(values), r.Bounds)
		for i := range c.Counts {
			if again.Counts[i] != c.Counts[i] {
				t.Errorf("%s: class %d has %d values after rounding, %d before (bounds %v → %v)", m, i, again.Counts[i], c.Counts[i], c.Bounds, r.Bounds)
			}
		}
		if math.Abs(again.GVF-c.GVF) > 1e-12 {
			t.Errorf("%s: GVF %v after rounding, %v before", m, again.GVF, c.GVF)
		}
		if r.Bounds[0] != c.Bounds[0] || r.Bounds[len(r.Bounds)-1] != c.Bounds[len(c.Bounds)-1] {
			t.Errorf("%s: outer bounds moved: %v → %v", m, c.Bounds, r.Bounds)
		}
	}
}

// ForMap's legends read in round numbers: every inner bound has fewer
// significant digits than the raw break it replaced, or equal ones.
func TestForMapRoundsBounds(t *testing.T) {
	values := []float64{0.81, 1.37, 2.219, 3.05, 4.77, 5.931, 8.124, 10.66, 13.41, 17.3, 21.07, 26.93, 33.33}
	c, err := ForMap(MethodQuantile, values, 4, nil, "neutral")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := Quantile(values, 4)
	changed := false
	for i := 1; i < c.K(); i++ {
		if c.Bounds[i] != raw.Bounds[i] {
			changed = true
		}
		if sigDigits(c.Bounds[i]) > sigDigits(raw.Bounds[i]) {
			t.Errorf("bound %d: %v has more digits than %v", i, c.Bounds[i], raw.Bounds[i])
		}
	}
	if !changed {
		t.Errorf("no bound rounded: %v", c.Bounds)
	}
	// Manual breaks are the planner's: kept as given.
	m, err := ForMap(MethodManual, values, 0, []float64{3.333, 12.345}, "neutral")
	if err != nil {
		t.Fatal(err)
	}
	if m.Bounds[1] != 3.333 || m.Bounds[2] != 12.345 {
		t.Errorf("manual breaks changed: %v", m.Bounds)
	}
}

func sigDigits(v float64) int {
	for d := 1; d <= 17; d++ {
		mag := math.Floor(math.Log10(math.Abs(v)))
		step := math.Pow(10, mag-float64(d)+1)
		if math.Abs(math.Round(v/step)*step-v) <= 1e-12*math.Abs(v) {
			return d
		}
	}
	return 17
}

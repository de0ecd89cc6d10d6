package classify

import (
	"fmt"
	"math"
)

// Change classifies differences between two runs (later − earlier) for a map
// of change, symmetrically about 0: a middle class [−h, h) that stands for
// "about the same", and on each side classes of width h, at multiples of a
// "nice" h (1, 2 or 5 times a power of ten), so that the legend reads
// in round numbers. k is made odd (one more when even, one less above the
// maximum). The colours come from a diverging ramp turned so that worse is
// warm: for a lower-better indicator a rise is warm, for a higher-better one
// a fall. Empty classes at either end are left out, keeping their colours,
// so the colour of a change does not depend on which changes occurred; the
// middle class stays, as the reference. All values 0 give one class, [0, 0].
func Change(values []float64, k int, direction string) (Choropleth, error) {
	if len(values) == 0 {
		return Choropleth{}, fmt.Errorf("%w: no values", ErrTooFewValues)
	}
	if k < MinClasses || k > MaxClasses {
		return Choropleth{}, fmt.Errorf("%w: %d classes, want %d … %d", ErrClassCount, k, MinClasses, MaxClasses)
	}
	if k%2 == 0 {
		k++
		if k > MaxClasses {
			k -= 2
		}
	}
	ramp := "BrBG"
	switch direction {
	case LowerBetter:
		ramp = "PuOr" + reversed // a rise (positive) is orange
	case HigherBetter:
		ramp = "PuOr" // a fall (negative) is orange
	}
	peak := 0.0
	for _, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Choropleth{}, fmt.Errorf("classify: change %v is not a number", v)
		}
		peak = max(peak, math.Abs(v))
	}
	colours, err := Ramp(ramp, k)
	if err != nil {
		return Choropleth{}, err
	}
	if peak == 0 {
		c := finish(MethodEqual, sorted(values), []float64{0, 0})
		return Choropleth{Classes: c, Ramp: ramp, Colors: []string{colours[k/2]}}, nil
	}
	side := k / 2 // classes on each side of the middle one
	h := niceStep(peak / float64(side+1))
	bounds := make([]float64, 0, k+1)
	for i := -(side + 1); i <= side+1; i++ {
		if i != 0 {
			// round away the float noise of i·h, e.g. 0.6000000000000001
			bounds = append(bounds, roundTo(float64(i)*h, h/1000))
		}
	}
	xs := sorted(values)
	c := finish(MethodEqual, xs, bounds)
	lo, hi := 0, k-1
	for lo < k/2 && c.Counts[lo] == 0 {
		lo++
	}
	for hi > k/2 && c.Counts[hi] == 0 {
		hi--
	}
	c = finish(MethodEqual, xs, bounds[lo:hi+2])
	return Choropleth{Classes: c, Ramp: ramp, Colors: colours[lo : hi+1]}, nil
}

// niceStep is the smallest of 1, 2 and 5 times a power of ten that is at
// least x (> 0). Not 2.5: its multiples have a half digit that a legend
// rounding to the step's digits would misstate.
func niceStep(x float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= x*(1-1e-12) {
			return m * p
		}
	}
	return 10 * p
}

// roundTo rounds v to a multiple of unit.
func roundTo(v, unit float64) float64 {
	return math.Round(v/unit) * unit
}

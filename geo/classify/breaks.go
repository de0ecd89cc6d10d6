package classify

import (
	"fmt"
	"math"
	"sort"
)

// Quantile classifies values into k classes of (nearly) equal counts; see the package
// doc for ties. Each inner bound is a data value, the smallest of the class above it.
func Quantile(values []float64, k int) (Classes, error) {
	xs, err := prepare(MethodQuantile, values, k)
	if err != nil {
		return Classes{}, err
	}
	u, _ := distinct(xs)
	d, n := len(u), len(xs)
	if d < k {
		return Classes{}, fmt.Errorf("%w: quantile: %d distinct values cannot fill %d classes; ask for at most %d", ErrTooFewValues, d, k, d)
	}
	// Inner bound i is u[p_i] with 1 ≤ p_1 < … < p_{k−1} ≤ d−1; p_i ≤ d−k+i leaves a
	// distinct value for every later bound. Each bound shares the values not yet in a
	// class equally among the classes still to fill, so that a tie swallowing more
	// than its share of one class does not starve the others.
	bounds := make([]float64, k+1)
	bounds[0], bounds[k] = u[0], u[d-1]
	p, start := 0, 0
	for i := 1; i < k; i++ {
		target := start + (n-start)/(k-i+1)
		p = min(max(sort.SearchFloat64s(u, xs[target]), p+1), d-k+i)
		bounds[i] = u[p]
		start = sort.SearchFloat64s(xs, u[p])
	}
	return finish(MethodQuantile, xs, bounds), nil
}

// EqualInterval classifies values into k classes of equal width between the smallest
// and the largest value.
func EqualInterval(values []float64, k int) (Classes, error) {
	xs, err := prepare(MethodEqual, values, k)
	if err != nil {
		return Classes{}, err
	}
	lo, hi := xs[0], xs[len(xs)-1]
	bounds := make([]float64, k+1)
	for i := range bounds {
		// Interpolated from both ends so that the last bound is hi exactly.
		t := float64(i) / float64(k)
		bounds[i] = lo*(1-t) + hi*t
	}
	bounds[0], bounds[k] = lo, hi
	return finish(MethodEqual, xs, bounds), nil
}

// HeadTailShare is the head/tail breaks threshold: splitting goes on while the head
// is less than this share of the values (Jiang 2013).
const HeadTailShare = 0.4

// HeadTail classifies heavy-tailed values by head/tail breaks (Jiang 2013) into at
// most maxClasses classes; see the package doc. Values whose first head is 40% or
// more of them are not heavy-tailed: ErrNotHeavyTailed.
func HeadTail(values []float64, maxClasses int) (Classes, error) {
	xs, err := prepare(MethodHeadTail, values, maxClasses)
	if err != nil {
		return Classes{}, err
	}
	hi := xs[len(xs)-1]
	bounds := []float64{xs[0]}
	rest := xs
	var firstShare, firstMean float64
	for len(bounds) < maxClasses {
		scale := scaleOf(rest)
		avg := mean(rest, scale) * scale
		head := rest[sort.SearchFloat64s(rest, avg):]
		share := float64(len(head)) / float64(len(rest))
		if len(bounds) == 1 {
			firstShare, firstMean = share, avg
		}
		if share >= HeadTailShare || avg <= bounds[len(bounds)-1] || avg >= hi {
			break
		}
		bounds = append(bounds, avg)
		rest = head
	}
	if len(bounds) == 1 {
		return Classes{}, fmt.Errorf("%w: %.0f%% of the values are at or above their mean %v; head/tail breaks needs less than %.0f%% (try jenks or quantile)",
			ErrNotHeavyTailed, 100*firstShare, firstMean, 100*HeadTailShare)
	}
	bounds = append(bounds, hi)
	return finish(MethodHeadTail, xs, bounds), nil
}

// Manual classifies values at the user's inner breaks, which must be finite, strictly
// ascending and strictly between the smallest and the largest value; the error names
// the first break that is not (ErrBadBreak).
func Manual(values []float64, breaks []float64) (Classes, error) {
	xs, err := prepare(MethodManual, values, len(breaks)+1)
	if err != nil {
		return Classes{}, err
	}
	lo, hi := xs[0], xs[len(xs)-1]
	for i, b := range breaks {
		switch {
		case math.IsNaN(b) || math.IsInf(b, 0):
			return Classes{}, fmt.Errorf("%w: break %d (%v) is not a finite number", ErrBadBreak, i+1, b)
		case i > 0 && b <= breaks[i-1]:
			return Classes{}, fmt.Errorf("%w: break %d (%v) is not above break %d (%v); breaks must ascend", ErrBadBreak, i+1, b, i, breaks[i-1])
		case b <= lo || b >= hi:
			return Classes{}, fmt.Errorf("%w: break %d (%v) is outside the values, which run from %v to %v; every break must lie strictly between them", ErrBadBreak, i+1, b, lo, hi)
		}
	}
	bounds := make([]float64, 0, len(breaks)+2)
	bounds = append(bounds, lo)
	bounds = append(bounds, breaks...)
	bounds = append(bounds, hi)
	return finish(MethodManual, xs, bounds), nil
}

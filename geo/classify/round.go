package classify

import (
	"math"
	"strconv"
)

// roundBounds rounds every inner bound of c to the number with the fewest
// significant digits that still separates the same values: a bound between
// classes i and i+1 may move anywhere in (largest value of class i, smallest
// value of class i+1], and within that interval the shortest decimal nearest
// to the bound is taken. No value changes class, so the counts and the fit
// stay as they were; the legend reads "10 – 40" instead of "9.87 – 38.734".
// The outer bounds stay the smallest and largest values.
func roundBounds(c Classes, values []float64) Classes {
	xs := sorted(values)
	k := c.K()
	if k < 2 || len(xs) == 0 {
		return c
	}
	b := append([]float64(nil), c.Bounds...)
	for i := 1; i < k; i++ {
		// lo: the largest value below the bound, hi: the smallest at or above it.
		j := searchFloat(xs, b[i])
		if j == 0 || j == len(xs) {
			continue // an empty side: nothing to separate (manual breaks only)
		}
		b[i] = shortestIn(xs[j-1], xs[j], b[i])
	}
	out := c
	out.Bounds = b
	return out
}

// searchFloat is the index of the first x of the sorted xs with x ≥ v.
func searchFloat(xs []float64, v float64) int {
	lo, hi := 0, len(xs)
	for lo < hi {
		m := (lo + hi) / 2
		if xs[m] < v {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// shortestIn returns the decimal with the fewest significant digits in
// (lo, hi], the one nearest to want among those; want itself when nothing
// shorter lies in the interval.
func shortestIn(lo, hi, want float64) float64 {
	if !(lo < hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return want
	}
	mag := math.Floor(math.Log10(max(math.Abs(lo), math.Abs(hi))))
	for sig := 1.0; sig <= 15; sig++ {
		exp := int(mag - sig + 1) // the step is 10^exp
		step := math.Pow(10, float64(exp))
		n := math.Round(want / step)
		best, found := 0.0, false
		for _, c := range []float64{n, n - 1, n + 1} {
			m := decimal(c*step, exp)
			if lo < m && m <= hi && (!found || math.Abs(m-want) < math.Abs(best-want)) {
				best, found = m, true
			}
		}
		if found {
			return best
		}
	}
	return want
}

// decimal rounds m to 10^exp as the shortest decimal prints it, taking away
// binary noise such as 0.30000000000000004.
func decimal(m float64, exp int) float64 {
	if exp >= 0 {
		return math.Round(m)
	}
	v, err := strconv.ParseFloat(strconv.FormatFloat(m, 'f', -exp, 64), 64)
	if err != nil {
		return m
	}
	return v
}

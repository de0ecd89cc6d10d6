package classify

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
)

// Method names a classification method, as the API and the map's URL spell it.
type Method string

// The methods.
const (
	MethodJenks    Method = "jenks"
	MethodQuantile Method = "quantile"
	MethodEqual    Method = "equal"
	MethodHeadTail Method = "headtail"
	MethodManual   Method = "manual"
)

// Methods lists every method, in the order a picker shows them; auto (the
// default) chooses one of the others from the values (see Auto).
func Methods() []Method {
	return []Method{MethodAuto, MethodJenks, MethodQuantile, MethodEqual, MethodHeadTail, MethodManual}
}

// Limits on the number of classes a map shows.
const (
	MinClasses = 3
	MaxClasses = 9
)

// Errors the methods wrap; inspect with errors.Is.
var (
	ErrMethod         = errors.New("classify: unknown method")
	ErrClassCount     = errors.New("classify: number of classes out of range")
	ErrTooFewValues   = errors.New("classify: too few distinct values")
	ErrNotHeavyTailed = errors.New("classify: values are not heavy-tailed")
	ErrBadBreak       = errors.New("classify: bad manual break")
)

// Classes is a classification of values.
type Classes struct {
	Method Method
	// Bounds holds k+1 ascending bounds: Bounds[0] is the smallest value, Bounds[k]
	// the largest; class i is [Bounds[i], Bounds[i+1]), the last class closed.
	Bounds []float64
	Counts []int   // values per class
	SDCM   float64 // sum of squared deviations from the class means
	GVF    float64 // goodness of variance fit, 1 − SDCM/SDAM
}

// K is the number of classes.
func (c Classes) K() int { return max(len(c.Bounds)-1, 0) }

// Class returns the class of v: the i with Bounds[i] ≤ v < Bounds[i+1], the last
// class for v = Bounds[k]. A value below Bounds[0] falls in class 0 and one above
// Bounds[k] in the last class, so a value that arrived after the classification
// still gets a colour; NaN (no data) and an empty Classes give −1.
func (c Classes) Class(v float64) int {
	k := len(c.Bounds) - 1
	if k < 1 || math.IsNaN(v) {
		return -1
	}
	inner := c.Bounds[1:k]
	return sort.Search(len(inner), func(i int) bool { return inner[i] > v })
}

// Classify classifies values by method m. k is the number of classes (3–9) for
// jenks, quantile and equal, the most classes (2–9) for headtail, and ignored for
// manual, whose 1–8 inner breaks are given in manual. NaN and ±Inf values are
// ignored.
func Classify(m Method, values []float64, k int, manual []float64) (Classes, error) {
	switch m {
	case MethodJenks, MethodQuantile, MethodEqual:
		if k < MinClasses || k > MaxClasses {
			return Classes{}, fmt.Errorf("%w: %s needs %d to %d classes, got %d", ErrClassCount, m, MinClasses, MaxClasses, k)
		}
	case MethodHeadTail:
		if k < 2 || k > MaxClasses {
			return Classes{}, fmt.Errorf("%w: headtail needs a maximum of 2 to %d classes, got %d", ErrClassCount, MaxClasses, k)
		}
	case MethodManual:
		if len(manual) < 1 || len(manual) > MaxClasses-1 {
			return Classes{}, fmt.Errorf("%w: manual needs 1 to %d breaks (2 to %d classes), got %d", ErrClassCount, MaxClasses-1, MaxClasses, len(manual))
		}
	}
	switch m {
	case MethodJenks:
		return Jenks(values, k)
	case MethodQuantile:
		return Quantile(values, k)
	case MethodEqual:
		return EqualInterval(values, k)
	case MethodHeadTail:
		return HeadTail(values, k)
	case MethodManual:
		return Manual(values, manual)
	}
	return Classes{}, fmt.Errorf("%w %q: want one of %v", ErrMethod, m, Methods())
}

// sorted returns the finite values in ascending order, in a new slice.
func sorted(values []float64) []float64 {
	xs := make([]float64, 0, len(values))
	for _, v := range values {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			xs = append(xs, v)
		}
	}
	slices.Sort(xs)
	return xs
}

// prepare sorts the finite values and checks that there are at least two distinct
// ones and that k ≥ 2.
func prepare(m Method, values []float64, k int) ([]float64, error) {
	if k < 2 {
		return nil, fmt.Errorf("%w: %s needs at least 2 classes, got %d", ErrClassCount, m, k)
	}
	xs := sorted(values)
	if len(xs) == 0 || xs[0] == xs[len(xs)-1] {
		return nil, fmt.Errorf("%w: %s needs at least 2 distinct values, got %d", ErrTooFewValues, m, distinctCount(xs))
	}
	return xs, nil
}

func distinctCount(xs []float64) int {
	n := 0
	for i, x := range xs {
		if i == 0 || x != xs[i-1] {
			n++
		}
	}
	return n
}

// scaleOf is a power of two at least as large as every |x| of the sorted xs, so
// that dividing by it is exact and the sums of squares below cannot overflow.
func scaleOf(xs []float64) float64 {
	m := max(math.Abs(xs[0]), math.Abs(xs[len(xs)-1]))
	if m == 0 {
		return 1
	}
	_, e := math.Frexp(m)
	return math.Ldexp(1, min(e, 1023)) // 2^1024 is not a float64; |x|/2^1023 < 2
}

// finish counts the sorted values xs into the classes of bounds and measures the fit.
// The sums run on the values divided by scaleOf(xs): GVF is then finite for any
// finite values, and only SDCM itself can overflow, when it truly exceeds MaxFloat64.
func finish(m Method, xs, bounds []float64) Classes {
	c := Classes{Method: m, Bounds: bounds, Counts: make([]int, len(bounds)-1)}
	scale := scaleOf(xs)
	sdam := ssd(xs, scale)
	var sdcm float64
	// xs is sorted, so each class is a run.
	start := 0
	for start < len(xs) {
		cls := c.Class(xs[start])
		end := start + 1
		for end < len(xs) && c.Class(xs[end]) == cls {
			end++
		}
		c.Counts[cls] += end - start
		sdcm += ssd(xs[start:end], scale)
		start = end
	}
	if sdcm > 0 {
		c.SDCM = sdcm * scale * scale
	}
	c.GVF = 1
	if sdam > 0 {
		c.GVF = 1 - sdcm/sdam
	}
	return c
}

// mean is the mean of xs / scale.
func mean(xs []float64, scale float64) float64 {
	var m float64
	for _, x := range xs {
		m += x / scale
	}
	return m / float64(len(xs))
}

// ssd is the sum of squared deviations from the mean of xs / scale, in two passes
// for accuracy.
func ssd(xs []float64, scale float64) float64 {
	mu := mean(xs, scale)
	var s float64
	for _, x := range xs {
		d := x/scale - mu
		s += d * d
	}
	return s
}

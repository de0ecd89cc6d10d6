package classify

import (
	"math"
	"strconv"

	"github.com/aimaq/aimaq/geo/lang"
)

// MethodAuto chooses the method from the distribution of the values (Auto):
// the map's default, so that a skewed indicator does not put nearly every
// area in one class.
const MethodAuto Method = "auto"

// SkewedAt is the skewness from which a distribution counts as heavily
// skewed: natural breaks then give one crowded class and a few outliers.
const SkewedAt = 2.0

// Skewness is the (Fisher–Pearson, population) skewness of the finite values:
// 0 for a symmetric distribution, large and positive for a long right tail
// such as population density; NaN for fewer than three values or no spread.
func Skewness(values []float64) float64 {
	xs := sorted(values)
	n := float64(len(xs))
	if n < 3 {
		return math.NaN()
	}
	var m float64
	for _, x := range xs {
		m += x
	}
	m /= n
	var m2, m3 float64
	for _, x := range xs {
		d := x - m
		m2 += d * d
		m3 += d * d * d
	}
	m2, m3 = m2/n, m3/n
	if m2 == 0 {
		return math.NaN()
	}
	return m3 / math.Pow(m2, 1.5)
}

// Auto chooses a method for values and k classes and says why: head/tail
// breaks for a heavily skewed distribution (|skewness| ≥ SkewedAt) when they
// give at least three classes, else quantiles for a skewed one; natural
// breaks (Jenks) otherwise.
func Auto(values []float64, k int) (Method, lang.Message) {
	skew := Skewness(values)
	s := strconv.FormatFloat(skew, 'f', 1, 64)
	if math.Abs(skew) >= SkewedAt {
		if skew > 0 {
			if c, err := HeadTail(values, k); err == nil && c.K() >= MinClasses {
				return MethodHeadTail, lang.Msg(lang.MsgAutoHeadTail, "skew", s)
			}
		}
		return MethodQuantile, lang.Msg(lang.MsgAutoQuantile, "skew", s)
	}
	if math.IsNaN(skew) {
		s = "–"
	}
	return MethodJenks, lang.Msg(lang.MsgAutoJenks, "skew", s)
}

// mergeDegenerate merges the classes a map must not draw: a class of zero
// width (two equal bounds: a legend "3 605,8 – 3 605,8") and an empty class,
// each into its neighbour, and recounts. It reports whether it merged any.
func mergeDegenerate(c Classes, values []float64) (Classes, bool) {
	xs := sorted(values)
	b := append([]float64(nil), c.Bounds...)
	merged := false
	for {
		cur := finish(c.Method, xs, b)
		drop := -1
		for i := 0; i+1 < len(b) && len(b) > 2; i++ {
			if b[i+1] <= b[i] || cur.Counts[i] == 0 {
				// Drop the inner bound the class shares with a neighbour.
				drop = i + 1
				if drop == len(b)-1 {
					drop = i
				}
				break
			}
		}
		if drop <= 0 || drop >= len(b)-1 {
			return cur, merged
		}
		b = append(b[:drop], b[drop+1:]...)
		merged = true
	}
}

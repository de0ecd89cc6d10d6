package classify

import (
	"fmt"
	"math"
)

// Jenks classifies values into k classes by exact Fisher–Jenks natural breaks: the
// partition into contiguous classes of the sorted values with the smallest sum of
// squared deviations from the class means (see the package doc for the algorithm).
// Each inner bound is the smallest value of the class above it. Fewer distinct
// values than k is ErrTooFewValues.
func Jenks(values []float64, k int) (Classes, error) {
	xs, err := prepare(MethodJenks, values, k)
	if err != nil {
		return Classes{}, err
	}
	u, c := distinct(xs)
	if len(u) < k {
		return Classes{}, fmt.Errorf("%w: jenks: %d distinct values cannot fill %d classes; ask for at most %d", ErrTooFewValues, len(u), k, len(u))
	}
	starts := fisher(u, c, k)
	bounds := make([]float64, k+1)
	for q, s := range starts {
		bounds[q] = u[s]
	}
	bounds[k] = u[len(u)-1]
	return finish(MethodJenks, xs, bounds), nil
}

// distinct returns the distinct values of the sorted xs and how often each occurs.
func distinct(xs []float64) (u, c []float64) {
	for i, x := range xs {
		if i == 0 || x != xs[i-1] {
			u = append(u, x)
			c = append(c, 0)
		}
		c[len(c)-1]++
	}
	return u, c
}

// segments gives the weighted sum of squared deviations of any run of distinct
// values in O(1), from prefix sums of the weights, the weighted values and the
// weighted squares. Values are divided by a power of two (exact) so that no square
// overflows, and shifted by the median: SSD is unchanged by a shift, and centring
// keeps Σcx² − (Σcx)²/Σc from cancelling catastrophically when the values are large
// and close together. The costs are therefore in units of scale², which does not
// change which partition is best.
type segments struct {
	s0, s1, s2 []float64
}

func newSegments(u, c []float64) segments {
	m := len(u)
	scale := scaleOf(u) // exact, and keeps the squares finite
	shift := u[m/2] / scale
	buf := make([]float64, 3*(m+1))
	s := segments{buf[:m+1], buf[m+1 : 2*(m+1)], buf[2*(m+1):]}
	for j, x := range u {
		d := x/scale - shift
		s.s0[j+1] = s.s0[j] + c[j]
		s.s1[j+1] = s.s1[j] + c[j]*d
		s.s2[j+1] = s.s2[j] + c[j]*d*d
	}
	return s
}

// ssd is the weighted SSD of u[i..j], both ends included.
func (s segments) ssd(i, j int) float64 {
	w := s.s0[j+1] - s.s0[i]
	a := s.s1[j+1] - s.s1[i]
	v := s.s2[j+1] - s.s2[i] - a*a/w
	return max(v, 0)
}

// fisher returns the index in u where each of the k optimal classes starts
// (starts[0] = 0). It needs len(u) ≥ k.
//
// Row q of the recurrence (q+1 classes) is cur[j] = min over i in [q, j] of
// prev[i−1] + ssd(i, j), where i is the first value of the last class. Because the
// optimal i never decreases as j grows, the row is filled by divide and conquer:
// solve the middle j by scanning its admissible i, then the left half only looks at
// i up to that optimum and the right half only from it. The last row is needed only
// at j = m−1, so it is one scan.
func fisher(u, c []float64, k int) []int {
	m := len(u)
	seg := newSegments(u, c)
	prev := make([]float64, m)
	cur := make([]float64, m)
	back := make([]int32, k*m) // back[q*m+j]: start of the last class, q+1 classes over u[0..j]
	for j := range prev {
		prev[j] = seg.ssd(0, j)
	}
	var q int
	var fill func(jlo, jhi, ilo, ihi int)
	fill = func(jlo, jhi, ilo, ihi int) {
		for jlo <= jhi {
			j := (jlo + jhi) / 2
			best, bi := math.Inf(1), ilo
			for i := ilo; i <= min(ihi, j); i++ {
				if v := prev[i-1] + seg.ssd(i, j); v < best {
					best, bi = v, i
				}
			}
			cur[j] = best
			back[q*m+j] = int32(bi)
			// Recurse into the smaller half, loop on the other: depth stays O(log m).
			if j-jlo < jhi-j {
				fill(jlo, j-1, ilo, bi)
				jlo, ilo = j+1, bi
			} else {
				fill(j+1, jhi, bi, ihi)
				jhi, ihi = j-1, bi
			}
		}
	}
	for q = 1; q < k-1; q++ {
		fill(q, m-1, q, m-1)
		prev, cur = cur, prev
	}
	if k > 1 {
		q = k - 1
		best, bi := math.Inf(1), q
		for i := q; i < m; i++ {
			if v := prev[i-1] + seg.ssd(i, m-1); v < best {
				best, bi = v, i
			}
		}
		back[q*m+m-1] = int32(bi)
	}
	starts := make([]int, k)
	j := m - 1
	for q := k - 1; q >= 1; q-- {
		starts[q] = int(back[q*m+j])
		j = starts[q] - 1
	}
	return starts
}

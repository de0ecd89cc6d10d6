package disparity

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
)

// Unit is one area: its indicator value, its population weight, and the code of its
// group (macroregion or agglomeration).
type Unit struct {
	Value, Weight float64
	Group         string
}

// Decomposition is a decomposable index with its between- and within-group parts.
type Decomposition struct {
	Total, Between, Within float64
	BetweenShare           float64 // Between/Total; NaN when Total is 0
}

// Errors the index functions wrap; inspect with errors.Is.
var (
	ErrNoUnits     = errors.New("disparity: no units")
	ErrInvalidUnit = errors.New("disparity: invalid unit")
	ErrValue       = errors.New("disparity: value outside the index's domain")
	ErrMean        = errors.New("disparity: mean is not positive")
	ErrAversion    = errors.New("disparity: inequality aversion must be a finite number ≥ 0")
)

// sample is the validated units, in input order, with their groups numbered in Code
// order.
type sample struct {
	y, w  []float64
	g     []int
	codes []string
	sumW  float64 // Σ w_i
	sumWY float64 // Σ w_i y_i
	equal bool    // every y_i is the same
}

func (s *sample) mean() float64 { return s.sumWY / s.sumW }

// validUnit reports whether u can enter a weighted index.
func validUnit(u Unit) bool {
	return !math.IsNaN(u.Value) && !math.IsInf(u.Value, 0) && u.Weight > 0 && !math.IsInf(u.Weight, 1)
}

// prepare validates every unit, naming the first bad one.
func prepare(us []Unit) (*sample, error) {
	if len(us) == 0 {
		return nil, ErrNoUnits
	}
	for i, u := range us {
		if math.IsNaN(u.Value) || math.IsInf(u.Value, 0) {
			return nil, fmt.Errorf("%w: unit %d (group %q) has value %v, not a finite number", ErrInvalidUnit, i, u.Group, u.Value)
		}
		if !(u.Weight > 0) || math.IsInf(u.Weight, 1) {
			return nil, fmt.Errorf("%w: unit %d (group %q) has population %v; it must be positive and finite", ErrInvalidUnit, i, u.Group, u.Weight)
		}
	}
	return build(us, len(us)), nil
}

// build makes a sample of the valid units of us; n is how many there are.
func build(us []Unit, n int) *sample {
	s := &sample{
		y:     make([]float64, 0, n),
		w:     make([]float64, 0, n),
		g:     make([]int, 0, n),
		equal: true,
	}
	seen := make(map[string]int, 8)
	for _, u := range us {
		if !validUnit(u) {
			continue
		}
		if _, ok := seen[u.Group]; !ok {
			seen[u.Group] = len(s.codes)
			s.codes = append(s.codes, u.Group)
		}
		if len(s.y) > 0 && u.Value != s.y[0] {
			s.equal = false
		}
		s.y = append(s.y, u.Value)
		s.w = append(s.w, u.Weight)
		s.sumW += u.Weight
		s.sumWY += u.Weight * u.Value
	}
	sort.Strings(s.codes)
	for i, c := range s.codes {
		seen[c] = i
	}
	for _, u := range us {
		if validUnit(u) {
			s.g = append(s.g, seen[u.Group])
		}
	}
	return s
}

// groupSums returns Σw and Σwy per group.
func (s *sample) groupSums() (gw, gwy []float64) {
	buf := make([]float64, 2*len(s.codes))
	gw, gwy = buf[:len(s.codes)], buf[len(s.codes):]
	for i, y := range s.y {
		gw[s.g[i]] += s.w[i]
		gwy[s.g[i]] += s.w[i] * y
	}
	return gw, gwy
}

func share(between, total float64) float64 {
	if total == 0 {
		return math.NaN()
	}
	return between / total
}

// TheilT is the population-weighted Theil T index, GE(1), with its exact
// between/within decomposition over the units' groups (see the package doc). Values
// must be ≥ 0 with a positive mean; a value of 0 contributes 0. Equal values give a
// zero decomposition (BetweenShare NaN).
func TheilT(us []Unit) (Decomposition, error) {
	s, err := prepare(us)
	if err != nil {
		return Decomposition{}, fmt.Errorf("TheilT: %w", err)
	}
	d, err := s.theilT()
	if err != nil {
		return Decomposition{}, fmt.Errorf("TheilT: %w", err)
	}
	return d, nil
}

func (s *sample) theilT() (Decomposition, error) {
	for i, y := range s.y {
		if y < 0 {
			return Decomposition{}, fmt.Errorf("%w: unit %d (group %q) has value %v; Theil T needs values ≥ 0", ErrValue, i, s.codes[s.g[i]], y)
		}
	}
	if s.equal {
		return Decomposition{BetweenShare: math.NaN()}, nil
	}
	mu := s.mean()
	if !(mu > 0) {
		return Decomposition{}, fmt.Errorf("%w: the weighted mean is %v", ErrMean, mu)
	}
	gw, gwy := s.groupSums()
	var total float64
	within := make([]float64, len(s.codes))
	for i, y := range s.y {
		if y == 0 {
			continue
		}
		g := s.g[i]
		// Summed as (w y / Σwy) ln(y/μ): the share of the indicator's total held by
		// the unit, times the log of its ratio to the mean.
		total += s.w[i] * y * math.Log(y/mu)
		within[g] += s.w[i] * y * math.Log(y*gw[g]/gwy[g])
	}
	total /= s.sumWY
	var d Decomposition
	d.Total = total
	for g := range s.codes {
		if gwy[g] == 0 {
			continue // a group of zeros holds no share of the total
		}
		sg := gwy[g] / s.sumWY
		d.Within += within[g] / s.sumWY // = s_g T_g
		d.Between += sg * math.Log(gwy[g]/gw[g]/mu)
	}
	d.BetweenShare = share(d.Between, d.Total)
	return d, nil
}

// TheilL is the population-weighted Theil L index (mean log deviation, GE(0)) with its
// exact between/within decomposition over the units' groups. Every value must be > 0;
// the error names the first unit that is not.
func TheilL(us []Unit) (Decomposition, error) {
	s, err := prepare(us)
	if err != nil {
		return Decomposition{}, fmt.Errorf("TheilL: %w", err)
	}
	d, err := s.theilL()
	if err != nil {
		return Decomposition{}, fmt.Errorf("TheilL: %w", err)
	}
	return d, nil
}

func (s *sample) positive(index string) error {
	for i, y := range s.y {
		if !(y > 0) {
			return fmt.Errorf("%w: unit %d (group %q) has value %v; %s needs every value > 0 (it takes logarithms)", ErrValue, i, s.codes[s.g[i]], y, index)
		}
	}
	return nil
}

func (s *sample) theilL() (Decomposition, error) {
	if err := s.positive("Theil L"); err != nil {
		return Decomposition{}, err
	}
	if s.equal {
		return Decomposition{BetweenShare: math.NaN()}, nil
	}
	mu := s.mean()
	gw, gwy := s.groupSums()
	var total float64
	within := make([]float64, len(s.codes))
	for i, y := range s.y {
		g := s.g[i]
		total += s.w[i] * math.Log(mu/y)
		within[g] += s.w[i] * math.Log(gwy[g]/gw[g]/y)
	}
	var d Decomposition
	d.Total = total / s.sumW
	for g := range s.codes {
		d.Within += within[g] / s.sumW // = P_g L_g
		d.Between += gw[g] / s.sumW * math.Log(mu*gw[g]/gwy[g])
	}
	d.BetweenShare = share(d.Between, d.Total)
	return d, nil
}

// Gini is the population-weighted Gini coefficient,
// Σ_i Σ_j p_i p_j |y_i − y_j| / (2μ): 0 when every value is equal, approaching 1
// when one small population holds everything. NaN for no units, an invalid unit, or
// unequal values with a weighted mean ≤ 0.
func Gini(us []Unit) float64 {
	s, err := prepare(us)
	if err != nil {
		return math.NaN()
	}
	return s.gini()
}

func (s *sample) gini() float64 {
	if s.equal {
		return 0
	}
	mu := s.mean()
	if !(mu > 0) {
		return math.NaN()
	}
	order := make([]int, len(s.y))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		switch {
		case s.y[a] < s.y[b]:
			return -1
		case s.y[a] > s.y[b]:
			return 1
		}
		return 0
	})
	var g, before float64
	for _, i := range order {
		p := s.w[i] / s.sumW
		after := 1 - before - p
		g += p * s.y[i] * (before - after)
		before += p
	}
	return g / mu
}

// Williamson is the population-weighted coefficient of variation of Williamson
// (1965), sqrt(Σ p_i (y_i − μ)²)/μ. 0 for equal values; NaN for no units, an invalid
// unit, or unequal values with a weighted mean ≤ 0.
func Williamson(us []Unit) float64 {
	s, err := prepare(us)
	if err != nil {
		return math.NaN()
	}
	return s.williamson()
}

func (s *sample) williamson() float64 {
	if s.equal {
		return 0
	}
	mu := s.mean()
	if !(mu > 0) {
		return math.NaN()
	}
	var v float64
	for i, y := range s.y {
		v += s.w[i] * (y - mu) * (y - mu)
	}
	return math.Sqrt(v/s.sumW) / mu
}

// Atkinson is the population-weighted Atkinson index with inequality aversion eps ≥ 0
// (Atkinson 1970); eps = 1 is the geometric-mean case 1 − exp(Σ p_i ln y_i)/μ.
// Values must be ≥ 0, and > 0 when eps ≥ 1; the error names the first unit that is
// not. 0 for equal values.
func Atkinson(us []Unit, eps float64) (float64, error) {
	s, err := prepare(us)
	if err != nil {
		return math.NaN(), fmt.Errorf("Atkinson(%v): %w", eps, err)
	}
	a, err := s.atkinson(eps)
	if err != nil {
		return math.NaN(), fmt.Errorf("Atkinson(%v): %w", eps, err)
	}
	return a, nil
}

func (s *sample) atkinson(eps float64) (float64, error) {
	if !(eps >= 0) || math.IsInf(eps, 1) {
		return math.NaN(), fmt.Errorf("%w: got %v", ErrAversion, eps)
	}
	if eps >= 1 {
		if err := s.positive(fmt.Sprintf("Atkinson with ε = %v", eps)); err != nil {
			return math.NaN(), err
		}
	} else {
		for i, y := range s.y {
			if y < 0 {
				return math.NaN(), fmt.Errorf("%w: unit %d (group %q) has value %v; Atkinson needs values ≥ 0", ErrValue, i, s.codes[s.g[i]], y)
			}
		}
	}
	if s.equal {
		return 0, nil
	}
	mu := s.mean()
	if !(mu > 0) {
		return math.NaN(), fmt.Errorf("%w: the weighted mean is %v", ErrMean, mu)
	}
	var sum float64
	if eps == 1 {
		for i, y := range s.y {
			sum += s.w[i] * math.Log(y/mu)
		}
		return 1 - math.Exp(sum/s.sumW), nil
	}
	for i, y := range s.y {
		sum += s.w[i] * math.Pow(y/mu, 1-eps)
	}
	return 1 - math.Pow(sum/s.sumW, 1/(1-eps)), nil
}

// CV is the unweighted coefficient of variation, sqrt(Σ (y_i − ȳ)²/n)/ȳ, every area
// counting alike (population standard deviation, divided by n). 0 for equal values;
// NaN for no units, an invalid unit, or unequal values with a mean ≤ 0.
func CV(us []Unit) float64 {
	s, err := prepare(us)
	if err != nil {
		return math.NaN()
	}
	return s.cv()
}

func (s *sample) cv() float64 {
	if s.equal {
		return 0
	}
	var m float64
	for _, y := range s.y {
		m += y
	}
	m /= float64(len(s.y))
	if !(m > 0) {
		return math.NaN()
	}
	var v float64
	for _, y := range s.y {
		v += (y - m) * (y - m)
	}
	return math.Sqrt(v/float64(len(s.y))) / m
}

// MaxMin is the largest value over the smallest: +Inf when the smallest is 0 and the
// largest is not, 1 when every value is equal (including all 0), NaN for no units, an
// invalid unit or a negative value.
func MaxMin(us []Unit) float64 {
	s, err := prepare(us)
	if err != nil {
		return math.NaN()
	}
	return s.maxMin()
}

func (s *sample) maxMin() float64 {
	lo, hi := slices.Min(s.y), slices.Max(s.y)
	switch {
	case lo < 0:
		return math.NaN()
	case s.equal:
		return 1
	case lo == 0:
		return math.Inf(1)
	}
	return hi / lo
}

package disparity

import (
	"strconv"

	"errors"
	"fmt"
	"github.com/aimaq/aimaq/geo/lang"
	"math"
	"slices"
	"sort"
)

// Group is the figures of one group of units.
type Group struct {
	Code       string
	Mean       float64 // population-weighted
	Population float64
	Units      int
	Min, Max   float64
}

// Groups summarises the units by group, sorted by Code. Units that cannot enter a
// weighted index (see the package doc) are left out, so the groups' Units add up to
// the number of valid units — every one of them in exactly one group.
func Groups(us []Unit) []Group {
	n := 0
	for _, u := range us {
		if validUnit(u) {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	return build(us, n).groups()
}

func (s *sample) groups() []Group {
	gs := make([]Group, len(s.codes))
	for g, c := range s.codes {
		gs[g] = Group{Code: c, Min: math.Inf(1), Max: math.Inf(-1)}
	}
	for i, y := range s.y {
		g := &gs[s.g[i]]
		g.Mean += s.w[i] * y
		g.Population += s.w[i]
		g.Units++
		g.Min = math.Min(g.Min, y)
		g.Max = math.Max(g.Max, y)
	}
	for g := range gs {
		gs[g].Mean /= gs[g].Population
	}
	return gs
}

// BestWorstRatio finds the best and the worst group by mean and says how many times
// better the best is: best/worst when higher is better, worst/best when lower is
// better, so the ratio is ≥ 1 for non-negative means. A zero denominator gives +Inf
// (1 when both are 0). Ties go to the group that comes first in gs. With no groups
// it returns zero Groups and NaN.
func BestWorstRatio(gs []Group, lowerIsBetter bool) (best, worst Group, ratio float64) {
	if len(gs) == 0 {
		return Group{}, Group{}, math.NaN()
	}
	hi, lo := gs[0], gs[0]
	for _, g := range gs[1:] {
		if g.Mean > hi.Mean {
			hi = g
		}
		if g.Mean < lo.Mean {
			lo = g
		}
	}
	best, worst = hi, lo
	if lowerIsBetter {
		best, worst = lo, hi
	}
	return best, worst, ratio2(hi.Mean, lo.Mean)
}

// ratio2 is hi/lo with 0/0 = 1 and x/0 = +Inf.
func ratio2(hi, lo float64) float64 {
	if lo == 0 {
		if hi == 0 {
			return 1
		}
		return math.Inf(1)
	}
	return hi / lo
}

// Report is every index of one indicator over one set of areas.
//
// An index that is undefined for the data is nil (the pointers) with a note saying
// why. Float fields can still hold NaN (no valid units) or +Inf (MaxMin and BestWorst
// with a zero denominator; Decomposition.BetweenShare is NaN when the total is 0),
// which encoding/json refuses: an encoder must map them (for example to null).
type Report struct {
	N                     int     // units that entered the indices
	Mean                  float64 // population-weighted
	TheilT, TheilL        *Decomposition
	Gini, Williamson      float64
	CV, MaxMin            float64
	Atkinson05, Atkinson1 *float64 // ε = 0.5 and ε = 1
	Groups                []Group  // sorted by Code
	Best, Worst           string   // group codes, by the indicator's direction
	BestWorst             float64  // see BestWorstRatio
	Notes                 []string // what was skipped or undefined, and why: Messages in English
	Messages              []lang.Message
}

// note records a message, and its English sentence in Notes.
func (r *Report) note(code string, kv ...string) {
	m := lang.Msg(code, kv...)
	r.Messages = append(r.Messages, m)
	r.Notes = append(r.Notes, m.In("en"))
}

// Compute works out every index for us and never fails. Units whose value is NaN or
// ±Inf or whose population is not positive are skipped, with a note; an index the
// data do not allow (Theil L with a value of 0, say) is nil with a note. lowerIsBetter
// only decides which group is Best (see the package doc).
func Compute(us []Unit, lowerIsBetter bool) Report {
	var noValue, noPop int
	for _, u := range us {
		switch {
		case math.IsNaN(u.Value) || math.IsInf(u.Value, 0):
			noValue++
		case !validUnit(u):
			noPop++
		}
	}
	n := len(us) - noValue - noPop
	r := Report{N: n}
	if noValue+noPop > 0 {
		r.note(lang.MsgSkippedUnits, "skipped", strconv.Itoa(noValue+noPop), "units", strconv.Itoa(len(us)), "no_value", strconv.Itoa(noValue), "no_population", strconv.Itoa(noPop))
	}
	if n == 0 {
		nan := math.NaN()
		r.Mean, r.Gini, r.Williamson, r.CV, r.MaxMin, r.BestWorst = nan, nan, nan, nan, nan, nan
		r.note(lang.MsgNoUnits)
		return r
	}
	s := build(us, n)
	r.Mean = s.mean()

	var zeros, negatives int
	for _, y := range s.y {
		switch {
		case y == 0:
			zeros++
		case y < 0:
			negatives++
		}
	}
	switch {
	case negatives > 0:
		r.note(lang.MsgNegativeValues, "count", strconv.Itoa(negatives))
	case s.equal:
		r.note(lang.MsgEqualValues, "count", strconv.Itoa(n), "value", fmt.Sprint(s.y[0]))
	case zeros > 0:
		r.note(lang.MsgZeroValues, "count", strconv.Itoa(zeros))
	}
	// Errors about a unit's value are covered by the note above; anything else
	// (a non-positive mean) gets its own.
	undefined := func(index string, err error) {
		if err != nil && !errors.Is(err, ErrValue) {
			// The only other cause (ErrMean): a weighted mean that is not positive.
			r.note(lang.MsgIndexMeanPositive, "index", index)
		}
	}
	if d, err := s.theilT(); err == nil {
		r.TheilT = &d
	} else {
		undefined("Theil T", err)
	}
	if d, err := s.theilL(); err == nil {
		r.TheilL = &d
	} else {
		undefined("Theil L", err)
	}
	if a, err := s.atkinson(0.5); err == nil {
		r.Atkinson05 = &a
	} else {
		undefined("Atkinson(0.5)", err)
	}
	if a, err := s.atkinson(1); err == nil {
		r.Atkinson1 = &a
	} else {
		undefined("Atkinson(1)", err)
	}
	r.Gini, r.Williamson, r.CV, r.MaxMin = s.gini(), s.williamson(), s.cv(), s.maxMin()
	if !s.equal && !(r.Mean > 0) {
		r.note(lang.MsgMeanNotPositive, "mean", fmt.Sprint(r.Mean))
	}

	r.Groups = s.groups()
	switch {
	case len(r.Groups) == 1 && r.Groups[0].Code == "":
		// No macroregions or agglomerations loaded (another country, a test
		// world): there is nothing to name.
		r.note(lang.MsgNoGroups)
	case len(r.Groups) == 1:
		r.note(lang.MsgOneGroup, "group", r.Groups[0].Code)
	}
	best, worst, ratio := BestWorstRatio(r.Groups, lowerIsBetter)
	r.Best, r.Worst, r.BestWorst = best.Code, worst.Code, ratio
	if math.IsInf(ratio, 1) {
		zero := worst.Code
		if lowerIsBetter {
			zero = best.Code
		}
		r.note(lang.MsgBestWorstInfinite, "group", zero)
	}
	return r
}

// Ranked returns the groups from best to worst by mean — ascending when lower
// is better, else descending — ties keeping the order of gs.
func Ranked(gs []Group, lowerIsBetter bool) []Group {
	out := slices.Clone(gs)
	sort.SliceStable(out, func(i, j int) bool {
		if lowerIsBetter {
			return out[i].Mean < out[j].Mean
		}
		return out[i].Mean > out[j].Mean
	})
	return out
}

// DescriptiveNote is said of a descriptive indicator (neither higher nor
// lower is better, such as density), whose groups Ranked sorts from highest
// to lowest.
var DescriptiveNote = lang.Msg(lang.MsgDescriptive)

// UseGroupValues gives each group in values the value the group itself has:
// the one value per area and indicator that compute makes by the indicator's
// own rule (a ratio from the group's totals, such as density from its total
// population over its total area; a population-weighted figure over its
// settlements), so a chart of the groups shows what the map and the API show
// for them. Best, worst and their ratio follow the new values. A group
// without a value keeps the population-weighted mean of its units. The
// decomposition is left as it is: its identity needs the units' own means.
func (r *Report) UseGroupValues(values map[string]float64, lowerIsBetter bool) {
	for i, g := range r.Groups {
		if v, ok := values[g.Code]; ok && !math.IsNaN(v) {
			r.Groups[i].Mean = v
		}
	}
	if len(r.Groups) > 0 {
		best, worst, ratio := BestWorstRatio(r.Groups, lowerIsBetter)
		r.Best, r.Worst, r.BestWorst = best.Code, worst.Code, ratio
	}
}

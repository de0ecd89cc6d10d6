package disparity

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/aimaq/aimaq/geo/lang"
)

func near(a, b, tol float64) bool {
	if math.IsInf(a, 0) || math.IsInf(b, 0) {
		return a == b
	}
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= tol*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

func mustTheilT(tb testing.TB, us []Unit) Decomposition {
	tb.Helper()
	d, err := TheilT(us)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

func mustTheilL(tb testing.TB, us []Unit) Decomposition {
	tb.Helper()
	d, err := TheilL(us)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

func mustAtkinson(tb testing.TB, us []Unit, eps float64) float64 {
	tb.Helper()
	a, err := Atkinson(us, eps)
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

// TestHandComputed checks every index against figures worked out by hand.
func TestHandComputed(t *testing.T) {
	ln := math.Log
	tests := []struct {
		name                  string
		us                    []Unit
		theilT, theilL        float64
		tBetween, lBetween    float64
		gini, williamson, cv  float64
		atkinson05, atkinson1 float64
		maxMin                float64
	}{
		{
			// y = 1, 3; p = ½, ½; μ = 2. One unit per group, so everything is between.
			// T = ½·(1/2)ln(1/2) + ½·(3/2)ln(3/2) = ¼ ln ½ + ¾ ln 1.5 ≈ 0.130812
			// L = ½ ln(2/1) + ½ ln(2/3) = ½ ln(4/3) ≈ 0.143841
			// G = Σ Σ p_i p_j |y_i−y_j| / 2μ = 2·¼·2 / 4 = 0.25
			// Williamson = CV = sqrt(½·1 + ½·1)/2 = 0.5
			// A(½) = 1 − (½(√½ + √1.5))² = 1 − (2+√3)/4 = (2−√3)/4
			// A(1) = 1 − √(1·3)/2 = 1 − √3/2
			name:   "two units equal weights",
			us:     []Unit{{1, 1, "A"}, {3, 1, "B"}},
			theilT: 0.25*ln(0.5) + 0.75*ln(1.5), theilL: 0.5 * ln(4.0/3),
			tBetween: 0.25*ln(0.5) + 0.75*ln(1.5), lBetween: 0.5 * ln(4.0/3),
			gini: 0.25, williamson: 0.5, cv: 0.5,
			atkinson05: (2 - math.Sqrt(3)) / 4, atkinson1: 1 - math.Sqrt(3)/2,
			maxMin: 3,
		},
		{
			// y = 1, 3; p = ¾, ¼; μ = 1.5.
			// T = ¾·(2/3)ln(2/3) + ¼·2·ln 2 = ½ ln(2/3) + ½ ln 2 = ½ ln(4/3)
			// L = ¾ ln 1.5 + ¼ ln ½
			// G = 2·¾·¼·2 / 3 = 0.25
			// Williamson = sqrt(¾·0.25 + ¼·2.25)/1.5 = sqrt(0.75)/1.5 = 1/√3
			// CV ignores the weights: 0.5
			// A(½) = 1 − (¾√(2/3) + ¼√2)²;  A(1) = 1 − 1^¾·3^¼/1.5
			name:   "two units unequal weights",
			us:     []Unit{{1, 3000, "A"}, {3, 1000, "B"}},
			theilT: 0.5 * ln(4.0/3), theilL: 0.75*ln(1.5) + 0.25*ln(0.5),
			tBetween: 0.5 * ln(4.0/3), lBetween: 0.75*ln(1.5) + 0.25*ln(0.5),
			gini: 0.25, williamson: 1 / math.Sqrt(3), cv: 0.5,
			atkinson05: 1 - math.Pow(0.75*math.Sqrt(2.0/3)+0.25*math.Sqrt(2), 2),
			atkinson1:  1 - math.Pow(3, 0.25)/1.5,
			maxMin:     3,
		},
		{
			// Each group holds 1 and 3: equal group means, so all inequality is within.
			name:   "same groups, all within",
			us:     []Unit{{1, 1, "A"}, {3, 1, "A"}, {1, 1, "B"}, {3, 1, "B"}},
			theilT: 0.25*ln(0.5) + 0.75*ln(1.5), theilL: 0.5 * ln(4.0/3),
			gini: 0.25, williamson: 0.5, cv: 0.5,
			atkinson05: (2 - math.Sqrt(3)) / 4, atkinson1: 1 - math.Sqrt(3)/2,
			maxMin: 3,
		},
		{
			// Groups are homogeneous: all inequality is between.
			name:   "homogeneous groups, all between",
			us:     []Unit{{1, 1, "A"}, {1, 1, "A"}, {3, 1, "B"}, {3, 1, "B"}},
			theilT: 0.25*ln(0.5) + 0.75*ln(1.5), theilL: 0.5 * ln(4.0/3),
			tBetween: 0.25*ln(0.5) + 0.75*ln(1.5), lBetween: 0.5 * ln(4.0/3),
			gini: 0.25, williamson: 0.5, cv: 0.5,
			atkinson05: (2 - math.Sqrt(3)) / 4, atkinson1: 1 - math.Sqrt(3)/2,
			maxMin: 3,
		},
		{
			// y = 0, 2 with equal weights: μ = 1; T = ½·0 + ½·2·ln 2 = ln 2;
			// G = 2·¼·2/2 = ½; A(½) = 1 − (½·√2)² = ½. L and A(1) are undefined.
			name:   "a zero value",
			us:     []Unit{{0, 5, "A"}, {2, 5, "B"}},
			theilT: ln(2), tBetween: ln(2), theilL: math.NaN(), lBetween: math.NaN(),
			gini: 0.5, williamson: 1, cv: 1,
			atkinson05: 0.5, atkinson1: math.NaN(),
			maxMin: math.Inf(1),
		},
	}
	const tol = 1e-14
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if d := mustTheilT(t, tc.us); !near(d.Total, tc.theilT, tol) || !near(d.Between, tc.tBetween, tol) {
				t.Errorf("TheilT = %+v, want total %v between %v", d, tc.theilT, tc.tBetween)
			}
			if d, err := TheilL(tc.us); math.IsNaN(tc.theilL) {
				if err == nil || !errors.Is(err, ErrValue) {
					t.Errorf("TheilL error = %v, want ErrValue", err)
				}
			} else if err != nil || !near(d.Total, tc.theilL, tol) || !near(d.Between, tc.lBetween, tol) {
				t.Errorf("TheilL = %+v, %v, want total %v between %v", d, err, tc.theilL, tc.lBetween)
			}
			if g := Gini(tc.us); !near(g, tc.gini, tol) {
				t.Errorf("Gini = %v, want %v", g, tc.gini)
			}
			if w := Williamson(tc.us); !near(w, tc.williamson, tol) {
				t.Errorf("Williamson = %v, want %v", w, tc.williamson)
			}
			if c := CV(tc.us); !near(c, tc.cv, tol) {
				t.Errorf("CV = %v, want %v", c, tc.cv)
			}
			if a := mustAtkinson(t, tc.us, 0.5); !near(a, tc.atkinson05, tol) {
				t.Errorf("Atkinson(0.5) = %v, want %v", a, tc.atkinson05)
			}
			if a, err := Atkinson(tc.us, 1); math.IsNaN(tc.atkinson1) {
				if err == nil {
					t.Errorf("Atkinson(1) = %v, want an error", a)
				}
			} else if err != nil || !near(a, tc.atkinson1, tol) {
				t.Errorf("Atkinson(1) = %v, %v, want %v", a, err, tc.atkinson1)
			}
			if m := MaxMin(tc.us); !near(m, tc.maxMin, tol) {
				t.Errorf("MaxMin = %v, want %v", m, tc.maxMin)
			}
		})
	}
}

// randomUnits is SYNTHETIC: lognormal values (a heavy right tail like facilities per
// 10,000 people or minutes to a hospital), populations from 5,000 to 2 million, ngroups
// groups with different levels so that both between and within parts are non-zero.
func randomUnits(seed uint64, n, ngroups int) []Unit {
	rng := rand.New(rand.NewPCG(seed, 2024))
	codes := []string{"Western", "Northern", "Central-Eastern", "Southern", "Astana agglomeration", "Almaty agglomeration", "G7", "G8"}
	us := make([]Unit, n)
	for i := range us {
		g := rng.IntN(ngroups)
		us[i] = Unit{
			Value:  math.Exp(rng.NormFloat64()*0.6 + float64(g)*0.15),
			Weight: 5000 + rng.Float64()*rng.Float64()*2e6,
			Group:  codes[g],
		}
	}
	return us
}

// indices collects every figure a property must preserve.
func indices(tb testing.TB, us []Unit) []float64 {
	tb.Helper()
	t, l := mustTheilT(tb, us), mustTheilL(tb, us)
	return []float64{
		t.Total, t.Between, t.Within, t.BetweenShare,
		l.Total, l.Between, l.Within, l.BetweenShare,
		Gini(us), Williamson(us), CV(us), MaxMin(us),
		mustAtkinson(tb, us, 0.5), mustAtkinson(tb, us, 1), mustAtkinson(tb, us, 2),
	}
}

var indexNames = []string{
	"T", "T between", "T within", "T between share",
	"L", "L between", "L within", "L between share",
	"Gini", "Williamson", "CV", "MaxMin", "Atkinson(0.5)", "Atkinson(1)", "Atkinson(2)",
}

func TestDecompositionSums(t *testing.T) {
	for seed := uint64(1); seed <= 50; seed++ {
		us := randomUnits(seed, 20+int(seed)*9, 1+int(seed%6))
		for name, d := range map[string]Decomposition{"T": mustTheilT(t, us), "L": mustTheilL(t, us)} {
			if diff := math.Abs(d.Total - (d.Between + d.Within)); diff > 1e-12 {
				t.Errorf("seed %d: Theil %s total %v ≠ between %v + within %v (off by %g)", seed, name, d.Total, d.Between, d.Within, diff)
			}
			if d.Between < -1e-15 || d.Within < -1e-15 {
				t.Errorf("seed %d: Theil %s has a negative part: %+v", seed, name, d)
			}
		}
	}
}

func TestScaleInvariance(t *testing.T) {
	for seed := uint64(1); seed <= 10; seed++ {
		us := randomUnits(seed, 224, 6)
		want := indices(t, us)
		for _, c := range []float64{1e-3, 0.25, 7.5, 1e4} {
			scaled := make([]Unit, len(us))
			for i, u := range us {
				scaled[i] = Unit{Value: u.Value * c, Weight: u.Weight, Group: u.Group}
			}
			for i, got := range indices(t, scaled) {
				if !near(got, want[i], 1e-11) {
					t.Errorf("seed %d, ×%v: %s = %v, want %v", seed, c, indexNames[i], got, want[i])
				}
			}
		}
	}
}

func TestPopulationReplication(t *testing.T) {
	for seed := uint64(1); seed <= 10; seed++ {
		us := randomUnits(seed, 224, 6)
		want := indices(t, us)
		halves := make([]Unit, 0, 2*len(us))
		for _, u := range us {
			h := Unit{Value: u.Value, Weight: u.Weight / 2, Group: u.Group}
			halves = append(halves, h, h)
		}
		for i, got := range indices(t, halves) {
			if !near(got, want[i], 1e-11) {
				t.Errorf("seed %d: %s of the halves = %v, want %v", seed, indexNames[i], got, want[i])
			}
		}
	}
}

func TestEqualValues(t *testing.T) {
	for _, v := range []float64{0.7, 12, 0} {
		us := []Unit{{v, 10, "A"}, {v, 2e5, "B"}, {v, 3, "A"}}
		r := Compute(us, false)
		if v > 0 {
			if got := indices(t, us); got[0] != 0 || got[4] != 0 || got[8] != 0 || got[9] != 0 || got[10] != 0 || got[11] != 1 || got[12] != 0 || got[13] != 0 || got[14] != 0 {
				t.Errorf("value %v: indices %v, want 0 (max/min 1)", v, got)
			}
			if r.TheilL == nil || r.Atkinson1 == nil {
				t.Errorf("value %v: Compute left an index undefined: %+v", v, r)
			}
		}
		if r.TheilT == nil || r.TheilT.Total != 0 || r.Gini != 0 || r.Williamson != 0 || r.CV != 0 || r.MaxMin != 1 || *r.Atkinson05 != 0 {
			t.Errorf("value %v: Compute = %+v, want zeros", v, r)
		}
		if !math.IsNaN(r.TheilT.BetweenShare) {
			t.Errorf("value %v: BetweenShare = %v, want NaN for a zero total", v, r.TheilT.BetweenShare)
		}
	}
}

func TestGiniBruteForce(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		us := randomUnits(seed, 5+int(seed)*3, 3)
		// Ties: round some values so equal values occur.
		for i := range us {
			if i%3 == 0 {
				us[i].Value = math.Round(us[i].Value)
			}
		}
		var W, mu, sum float64
		for _, u := range us {
			W += u.Weight
		}
		for _, u := range us {
			mu += u.Weight / W * u.Value
		}
		for _, a := range us {
			for _, b := range us {
				sum += a.Weight / W * b.Weight / W * math.Abs(a.Value-b.Value)
			}
		}
		if got, want := Gini(us), sum/(2*mu); !near(got, want, 1e-12) {
			t.Errorf("seed %d: Gini = %v, double sum gives %v", seed, got, want)
		}
	}
}

func TestAtkinsonOneIsTheilL(t *testing.T) {
	us := randomUnits(7, 224, 6)
	if a, l := mustAtkinson(t, us, 1), mustTheilL(t, us).Total; !near(a, 1-math.Exp(-l), 1e-13) {
		t.Errorf("Atkinson(1) = %v, 1 − exp(−L) = %v", a, 1-math.Exp(-l))
	}
}

func TestBetweenZeroForEqualGroupMeans(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	base := randomUnits(11, 30, 1)
	var us []Unit
	for _, g := range []string{"A", "B", "C", "D"} {
		perm := rng.Perm(len(base))
		for _, i := range perm {
			us = append(us, Unit{Value: base[i].Value, Weight: base[i].Weight, Group: g})
		}
	}
	for name, d := range map[string]Decomposition{"T": mustTheilT(t, us), "L": mustTheilL(t, us)} {
		if math.Abs(d.Between) > 1e-15 || !near(d.Within, d.Total, 1e-13) {
			t.Errorf("Theil %s = %+v, want between 0 and within = total", name, d)
		}
	}
}

func TestGroupsCoverEveryUnit(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		us := randomUnits(seed, 224, 6)
		gs := Groups(us)
		var units int
		var pop, total float64
		for i, g := range gs {
			if i > 0 && gs[i-1].Code >= g.Code {
				t.Fatalf("seed %d: groups not sorted by code: %q then %q", seed, gs[i-1].Code, g.Code)
			}
			units += g.Units
			pop += g.Population
			var n int
			var wy, w float64
			lo, hi := math.Inf(1), math.Inf(-1)
			for _, u := range us {
				if u.Group == g.Code {
					n++
					wy += u.Weight * u.Value
					w += u.Weight
					lo, hi = math.Min(lo, u.Value), math.Max(hi, u.Value)
				}
			}
			if n != g.Units || !near(g.Mean, wy/w, 1e-13) || g.Min != lo || g.Max != hi {
				t.Errorf("seed %d: group %+v, want %d units, mean %v, min %v, max %v", seed, g, n, wy/w, lo, hi)
			}
		}
		for _, u := range us {
			total += u.Weight
		}
		if units != len(us) || !near(pop, total, 1e-13) {
			t.Errorf("seed %d: groups hold %d units, %v people; want %d, %v", seed, units, pop, len(us), total)
		}
	}
}

func TestBestWorstRatio(t *testing.T) {
	gs := []Group{{Code: "Northern", Mean: 12}, {Code: "Southern", Mean: 30}, {Code: "Western", Mean: 20}}
	tests := []struct {
		name          string
		gs            []Group
		lowerIsBetter bool
		best, worst   string
		ratio         float64
	}{
		{"higher is better", gs, false, "Southern", "Northern", 2.5},
		{"lower is better", gs, true, "Northern", "Southern", 2.5},
		{"zero best distance", []Group{{Code: "A", Mean: 0}, {Code: "B", Mean: 4}}, true, "A", "B", math.Inf(1)},
		{"all zero", []Group{{Code: "A"}, {Code: "B"}}, false, "A", "A", 1},
		{"no groups", nil, false, "", "", math.NaN()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			best, worst, ratio := BestWorstRatio(tc.gs, tc.lowerIsBetter)
			if best.Code != tc.best || worst.Code != tc.worst || !near(ratio, tc.ratio, 1e-15) {
				t.Errorf("got %q, %q, %v; want %q, %q, %v", best.Code, worst.Code, ratio, tc.best, tc.worst, tc.ratio)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name string
		call func() error
		is   error
		says string
	}{
		{"theil L zero", func() error { _, err := TheilL([]Unit{{1, 1, "A"}, {2, 1, "A"}, {0, 1, "B"}}); return err }, ErrValue, "unit 2 (group \"B\") has value 0"},
		{"theil T negative", func() error { _, err := TheilT([]Unit{{-1, 1, "A"}, {2, 1, "A"}}); return err }, ErrValue, "unit 0"},
		{"atkinson 1 zero", func() error { _, err := Atkinson([]Unit{{1, 1, "A"}, {0, 1, "B"}}, 1); return err }, ErrValue, "unit 1"},
		{"atkinson 2 zero", func() error { _, err := Atkinson([]Unit{{0, 1, "A"}, {1, 1, "B"}}, 2); return err }, ErrValue, "unit 0"},
		{"atkinson negative eps", func() error { _, err := Atkinson([]Unit{{1, 1, "A"}}, -0.5); return err }, ErrAversion, "-0.5"},
		{"atkinson NaN eps", func() error { _, err := Atkinson([]Unit{{1, 1, "A"}}, math.NaN()); return err }, ErrAversion, "NaN"},
		{"NaN value", func() error { _, err := TheilT([]Unit{{1, 1, "A"}, {math.NaN(), 1, "B"}}); return err }, ErrInvalidUnit, "unit 1"},
		{"zero weight", func() error { _, err := TheilT([]Unit{{1, 0, "A"}}); return err }, ErrInvalidUnit, "unit 0 (group \"A\") has population 0"},
		{"no units", func() error { _, err := TheilL(nil); return err }, ErrNoUnits, "no units"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if !errors.Is(err, tc.is) || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("error %v, want %v saying %q", err, tc.is, tc.says)
			}
		})
	}
	if a, err := Atkinson([]Unit{{0, 1, "A"}, {2, 1, "B"}}, 0.5); err != nil || !near(a, 0.5, 1e-15) {
		t.Errorf("Atkinson(0.5) with a zero = %v, %v; want 0.5", a, err)
	}
	for name, f := range map[string]func([]Unit) float64{"Gini": Gini, "Williamson": Williamson, "CV": CV, "MaxMin": MaxMin} {
		if v := f([]Unit{{1, -1, "A"}, {2, 1, "A"}}); !math.IsNaN(v) {
			t.Errorf("%s with a negative population = %v, want NaN", name, v)
		}
		if v := f(nil); !math.IsNaN(v) {
			t.Errorf("%s of nothing = %v, want NaN", name, v)
		}
	}
}

func TestCompute(t *testing.T) {
	tests := []struct {
		name      string
		us        []Unit
		lower     bool
		n         int
		nilL      bool
		nilT      bool
		best      string
		notes     []string
		bestWorst float64
	}{
		{
			name:      "skips units without value or population",
			us:        []Unit{{1, 10, "A"}, {math.NaN(), 10, "A"}, {3, 0, "B"}, {3, 10, "B"}, {2, math.NaN(), "B"}},
			n:         2,
			best:      "B",
			notes:     []string{"skipped 3 of 5 units: 1 without a value, 2 without a positive population"},
			bestWorst: 3,
		},
		{
			name:  "zeros leave Theil L and Atkinson(1) undefined",
			us:    []Unit{{0, 10, "A"}, {0, 10, "A"}, {0, 5, "B"}, {4, 10, "B"}},
			lower: true,
			n:     4, nilL: true,
			best:      "A",
			notes:     []string{"Theil L and Atkinson(1) undefined, max/min is +Inf: units with value 0: 3", `best/worst ratio is +Inf: group "A" has mean 0`},
			bestWorst: math.Inf(1),
		},
		{
			name: "negative values",
			us:   []Unit{{-1, 10, "A"}, {4, 10, "B"}},
			n:    2, nilL: true, nilT: true,
			best:      "B",
			notes:     []string{"Theil T, Theil L, Atkinson(0.5), Atkinson(1) and max/min undefined: units with a negative value: 1"},
			bestWorst: -4,
		},
		{
			name:      "one group",
			us:        []Unit{{1, 10, "A"}, {2, 10, "A"}},
			n:         2,
			best:      "A",
			notes:     []string{`one group ("A"): the between-group parts are 0`},
			bestWorst: 1,
		},
		{
			name: "nothing valid",
			us:   []Unit{{math.NaN(), 10, "A"}},
			nilL: true, nilT: true,
			notes:     []string{"skipped 1 of 1 units: 1 without a value, 0 without a positive population", "no unit has both a value and a positive population: no index"},
			bestWorst: math.NaN(),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Compute(tc.us, tc.lower)
			if r.N != tc.n || (r.TheilL == nil) != tc.nilL || (r.Atkinson1 == nil) != tc.nilL || (r.TheilT == nil) != tc.nilT || r.Best != tc.best || !near(r.BestWorst, tc.bestWorst, 1e-15) {
				t.Errorf("Compute = %+v", r)
			}
			if strings.Join(r.Notes, "\n") != strings.Join(tc.notes, "\n") {
				t.Errorf("notes:\n%s\nwant:\n%s", strings.Join(r.Notes, "\n"), strings.Join(tc.notes, "\n"))
			}
		})
	}
}

func TestComputeMatchesFunctions(t *testing.T) {
	us := randomUnits(5, 224, 6)
	r := Compute(us, false)
	want := indices(t, us)
	got := []float64{
		r.TheilT.Total, r.TheilT.Between, r.TheilT.Within, r.TheilT.BetweenShare,
		r.TheilL.Total, r.TheilL.Between, r.TheilL.Within, r.TheilL.BetweenShare,
		r.Gini, r.Williamson, r.CV, r.MaxMin, *r.Atkinson05, *r.Atkinson1,
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("%s: Compute %v, function %v", indexNames[i], got[i], want[i])
		}
	}
	if len(r.Notes) != 0 || r.N != 224 || len(r.Groups) != 6 {
		t.Errorf("N %d, %d groups, notes %q", r.N, len(r.Groups), r.Notes)
	}
}

func BenchmarkComputeDistricts(b *testing.B) {
	us := randomUnits(42, 224, 6)
	b.ReportAllocs()
	for b.Loop() {
		r := Compute(us, true)
		if r.TheilT == nil {
			b.Fatal("no Theil T")
		}
	}
}

// A group's own value (density from its totals) replaces the mean of its
// units' densities, and best and worst follow it. SYNTHETIC figures: a
// city district of 1,000,000 people on 100 km² and a rural district of
// 10,000 people on 10,000 km² in one group.
func TestUseGroupValues(t *testing.T) {
	us := []Unit{
		{Value: 10000, Weight: 1e6, Group: "agglomeration"}, // the city: 10,000 people/km²
		{Value: 1, Weight: 1e4, Group: "agglomeration"},     // the countryside: 1 person/km²
		{Value: 50, Weight: 5e5, Group: "south"},
	}
	rep := Compute(us, false)
	weighted := rep.Groups[0].Mean // ≈ 9,901: the city's density weighted by its people
	own := (1e6 + 1e4) / (100.0 + 10000)
	rep.UseGroupValues(map[string]float64{"agglomeration": own}, false)
	if rep.Groups[0].Code != "agglomeration" || math.Abs(rep.Groups[0].Mean-own) > 1e-9 || weighted < 9000 {
		t.Fatalf("groups %+v (weighted mean was %v), want the agglomeration at %v", rep.Groups, weighted, own)
	}
	if rep.Groups[1].Mean != 50 {
		t.Errorf("south without a value of its own: %v, want its units' mean 50", rep.Groups[1].Mean)
	}
	if rep.Best != "agglomeration" || rep.Worst != "south" || math.Abs(rep.BestWorst-own/50) > 1e-12 {
		t.Errorf("best %s worst %s ratio %v", rep.Best, rep.Worst, rep.BestWorst)
	}
}

// Units without groups (another country, no macroregions loaded) are one
// nameless group: the note says no groups are loaded rather than naming
// "()" (SYNTHETIC values).
func TestNoGroupsNote(t *testing.T) {
	r := Compute([]Unit{{Value: 1, Weight: 10}, {Value: 2, Weight: 20}, {Value: 4, Weight: 5}}, true)
	var codes []string
	for _, m := range r.Messages {
		codes = append(codes, m.Code)
	}
	if !slices.Contains(codes, lang.MsgNoGroups) || slices.Contains(codes, lang.MsgOneGroup) {
		t.Errorf("messages %v: want %s and not %s", codes, lang.MsgNoGroups, lang.MsgOneGroup)
	}
	g := Compute([]Unit{{Value: 1, Weight: 10, Group: "southern"}, {Value: 2, Weight: 20, Group: "southern"}}, true)
	if len(g.Messages) == 0 || g.Messages[len(g.Messages)-1].Code != lang.MsgOneGroup {
		t.Errorf("one named group: messages %v, want %s", g.Messages, lang.MsgOneGroup)
	}
}

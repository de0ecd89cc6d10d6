package classify

import (
	"errors"
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// calEmp is employment density (jobs per km²) in the 58 counties of California, the
// example data set of PySAL mapclassify (mapclassify.load_example(), from
// calempdensity.csv), as also used in the tests of riatelab/statsbreaks.
var calEmp = []float64{
	329.92, 0.42, 5.9, 14.03, 2.78, 1.34, 181.27, 1.65, 10.03, 16.7, 1.32, 3.99, 3.16,
	0.22, 8.7, 6.56, 3.27, 0.33, 370.5, 4.51, 75.29, 0.99, 2.74, 8.68, 0.14, 0.92,
	12.63, 28.7, 12.02, 722.85, 36.68, 0.74, 29.82, 192.05, 3.38, 11.15, 110.74,
	4111.45, 49.47, 10.33, 317.11, 20.47, 264.93, 66.26, 5.39, 0.13, 0.61, 50.65,
	40.48, 36.67, 13.09, 1.81, 0.2, 7.6, 2.51, 57.26, 24.32, 6.97,
}

func mustClassify(tb testing.TB, m Method, values []float64, k int, manual []float64) Classes {
	tb.Helper()
	c, err := Classify(m, values, k, manual)
	if err != nil {
		tb.Fatalf("Classify(%s, k=%d): %v", m, k, err)
	}
	return c
}

// classMax is the largest value in each class: the "upper bounds" mapclassify and
// most GIS legends print.
func classMax(c Classes, values []float64) []float64 {
	hi := make([]float64, c.K())
	for i := range hi {
		hi[i] = math.Inf(-1)
	}
	for _, v := range values {
		if i := c.Class(v); i >= 0 {
			hi[i] = math.Max(hi[i], v)
		}
	}
	return hi
}

// TestPublished checks the methods against results published for calEmp.
func TestPublished(t *testing.T) {
	tests := []struct {
		name     string
		method   Method
		k        int
		upper    []float64 // largest value of each class
		counts   []int
		inner    []float64 // inner bounds, when the method's bounds are not data values
		boundTol float64
	}{
		{
			// mapclassify README, FisherJenks(y, k=5): bins 75.29, 192.05, 370.50,
			// 722.85, 4111.45; counts 49, 3, 4, 1, 1. The same breaks are in
			// riatelab/statsbreaks test/jenks.test.js.
			name: "jenks 5", method: MethodJenks, k: 5,
			upper:  []float64{75.29, 192.05, 370.5, 722.85, 4111.45},
			counts: []int{49, 3, 4, 1, 1},
		},
		{
			// mapclassify README, EqualInterval(y): bins 822.394, 1644.658, 2466.922,
			// 3289.186, 4111.45; counts 57, 0, 0, 0, 1.
			name: "equal 5", method: MethodEqual, k: 5,
			inner:    []float64{822.394, 1644.658, 2466.922, 3289.186},
			counts:   []int{57, 0, 0, 0, 1},
			boundTol: 1e-9,
		},
		{
			// mapclassify HeadTail_Breaks docstring: bins 125.92810345, 811.26,
			// 4111.45; counts 50, 7, 1 (statsbreaks: 0.13, 125.93, 811.26, 4111.45).
			name: "headtail", method: MethodHeadTail, k: 9,
			inner:    []float64{125.92810345, 811.26},
			counts:   []int{50, 7, 1},
			boundTol: 1e-8,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := mustClassify(t, tc.method, calEmp, tc.k, nil)
			if !slices.Equal(c.Counts, tc.counts) {
				t.Errorf("counts %v, want %v", c.Counts, tc.counts)
			}
			if tc.upper != nil && !slices.Equal(classMax(c, calEmp), tc.upper) {
				t.Errorf("class maxima %v, want %v", classMax(c, calEmp), tc.upper)
			}
			if tc.inner != nil {
				got := c.Bounds[1:c.K()]
				if len(got) != len(tc.inner) {
					t.Fatalf("inner bounds %v, want %v", got, tc.inner)
				}
				for i := range got {
					if math.Abs(got[i]-tc.inner[i]) > tc.boundTol*math.Abs(tc.inner[i]) {
						t.Errorf("inner bounds %v, want %v", got, tc.inner)
					}
				}
			}
			if c.Bounds[0] != 0.13 || c.Bounds[c.K()] != 4111.45 {
				t.Errorf("outer bounds %v, %v; want the data range", c.Bounds[0], c.Bounds[c.K()])
			}
		})
	}
}

// TestJenksSmallExample is worked by hand: with 1, 2, 3, 10, 11, 12, 30 in three
// classes the obvious groups win; SDCM = 2 + 2 + 0 = 4.
func TestJenksSmallExample(t *testing.T) {
	c, err := Jenks([]float64{12, 1, 30, 3, 10, 2, 11}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.Bounds, []float64{1, 10, 30, 30}) || !slices.Equal(c.Counts, []int{3, 3, 1}) || c.SDCM != 4 {
		t.Errorf("got %+v", c)
	}
}

// partitionSSD is the SDCM of the sorted xs cut before each index in cuts.
func partitionSSD(xs []float64, cuts []int) float64 {
	var s float64
	start := 0
	for _, end := range append(slices.Clone(cuts), len(xs)) {
		s += ssd(xs[start:end], 1)
		start = end
	}
	return s
}

// forEachCut calls f with every way to cut n sorted values into k non-empty runs.
func forEachCut(n, k int, f func(cuts []int)) {
	cuts := make([]int, k-1)
	var rec func(pos, from int)
	rec = func(pos, from int) {
		if pos == k-1 {
			f(cuts)
			return
		}
		for c := from; c <= n-(k-1-pos); c++ {
			cuts[pos] = c
			rec(pos+1, c+1)
		}
	}
	rec(0, 1)
}

// TestJenksBruteForce: the DP is never worse than any partition of the sorted values
// into k contiguous classes, including those that split equal values.
func TestJenksBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1958, 1977))
	for trial := range 400 {
		n := 4 + rng.IntN(9) // 4 … 12
		values := make([]float64, n)
		for i := range values {
			switch trial % 3 {
			case 0:
				values[i] = rng.NormFloat64() * 10
			case 1:
				values[i] = math.Exp(rng.NormFloat64() * 2)
			default:
				values[i] = float64(rng.IntN(6)) // many ties
			}
		}
		xs := sorted(values)
		for k := 2; k <= 4; k++ {
			c, err := Jenks(values, k)
			if distinctCount(xs) < k {
				if !errors.Is(err, ErrTooFewValues) {
					t.Fatalf("trial %d k %d: %d distinct values, error %v", trial, k, distinctCount(xs), err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("trial %d k %d: %v", trial, k, err)
			}
			best := math.Inf(1)
			forEachCut(n, k, func(cuts []int) { best = math.Min(best, partitionSSD(xs, cuts)) })
			if c.SDCM > best+1e-9*math.Max(1, best) {
				t.Errorf("trial %d k %d %v: DP SDCM %v, brute force finds %v", trial, k, xs, c.SDCM, best)
			}
			checkClasses(t, c, values)
		}
	}
}

// fisherReference is the plain O(k·m²) recurrence, to check the divide and conquer.
func fisherReference(u, c []float64, k int) float64 {
	seg := newSegments(u, c)
	m := len(u)
	prev := make([]float64, m)
	for j := range prev {
		prev[j] = seg.ssd(0, j)
	}
	for q := 1; q < k; q++ {
		cur := make([]float64, m)
		for j := range cur {
			cur[j] = math.Inf(1)
			for i := q; i <= j; i++ {
				cur[j] = math.Min(cur[j], prev[i-1]+seg.ssd(i, j))
			}
		}
		prev = cur
	}
	return prev[m-1]
}

func TestJenksMatchesPlainRecurrence(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for trial := range 40 {
		n := 50 + rng.IntN(400)
		values := make([]float64, n)
		for i := range values {
			values[i] = math.Round(math.Exp(rng.NormFloat64()*1.5)*100) / 100
		}
		u, cnt := distinct(sorted(values))
		for k := 2; k <= 9 && k <= len(u); k++ {
			c, err := Jenks(values, k)
			if err != nil {
				t.Fatal(err)
			}
			want := fisherReference(u, cnt, k) * scaleOf(u) * scaleOf(u)
			if c.SDCM > want*(1+1e-9)+1e-9 {
				t.Errorf("trial %d k %d: SDCM %v, plain recurrence %v", trial, k, c.SDCM, want)
			}
		}
	}
}

// checkClasses checks what every classification promises.
func checkClasses(tb testing.TB, c Classes, values []float64) {
	tb.Helper()
	k := c.K()
	if k < 1 || len(c.Counts) != k {
		tb.Fatalf("%d bounds, %d counts", len(c.Bounds), len(c.Counts))
	}
	for i := 1; i <= k; i++ {
		if !(c.Bounds[i] >= c.Bounds[i-1]) {
			tb.Fatalf("bounds not ascending: %v", c.Bounds)
		}
	}
	counts := make([]int, k)
	n := 0
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			if c.Class(v) != -1 && math.IsNaN(v) {
				tb.Fatalf("Class(NaN) = %d", c.Class(v))
			}
			continue
		}
		n++
		lo, hi = math.Min(lo, v), math.Max(hi, v)
		i := c.Class(v)
		if i < 0 || i >= k {
			tb.Fatalf("Class(%v) = %d of %d", v, i, k)
		}
		if v < c.Bounds[i] || v > c.Bounds[i+1] || (v == c.Bounds[i+1] && i != k-1) {
			tb.Fatalf("value %v in class %d = [%v, %v)", v, i, c.Bounds[i], c.Bounds[i+1])
		}
		counts[i]++
	}
	if !slices.Equal(counts, c.Counts) {
		tb.Fatalf("counts %v, recounted %v", c.Counts, counts)
	}
	if c.Bounds[0] != lo || c.Bounds[k] != hi {
		tb.Fatalf("outer bounds %v, %v; data run from %v to %v", c.Bounds[0], c.Bounds[k], lo, hi)
	}
	if !(c.SDCM >= 0) || !(c.GVF <= 1+1e-12) || math.IsNaN(c.GVF) || math.IsInf(c.GVF, 0) {
		tb.Fatalf("SDCM %v, GVF %v", c.SDCM, c.GVF)
	}
}

func TestQuantileCounts(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	for trial := range 200 {
		n := 9 + rng.IntN(300)
		values := make([]float64, n)
		for i := range values {
			values[i] = rng.Float64() * 1000 // continuous: no ties
		}
		for k := MinClasses; k <= MaxClasses; k++ {
			c := mustClassify(t, MethodQuantile, values, k, nil)
			checkClasses(t, c, values)
			if slices.Max(c.Counts)-slices.Min(c.Counts) > 1 {
				t.Errorf("trial %d n %d k %d: counts %v differ by more than 1", trial, n, k, c.Counts)
			}
		}
	}
}

func TestQuantileTies(t *testing.T) {
	// Half the values are 0: the first two quantile bounds would both be 0.
	values := []float64{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	c := mustClassify(t, MethodQuantile, values, 5, nil)
	checkClasses(t, c, values)
	// 10 zeros fill the first class; the other 10 values share the other 4 classes.
	if !slices.Equal(c.Bounds, []float64{0, 1, 3, 5, 8, 10}) || !slices.Equal(c.Counts, []int{10, 2, 2, 3, 3}) {
		t.Errorf("got bounds %v counts %v", c.Bounds, c.Counts)
	}
	if _, err := Quantile([]float64{1, 1, 2, 2, 3, 3}, 4); !errors.Is(err, ErrTooFewValues) {
		t.Errorf("3 distinct values in 4 classes: error %v", err)
	}
}

func TestEqualIntervalWidths(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	for range 100 {
		values := make([]float64, 2+rng.IntN(100))
		for i := range values {
			values[i] = rng.NormFloat64()*50 + 20
		}
		for k := MinClasses; k <= MaxClasses; k++ {
			c := mustClassify(t, MethodEqual, values, k, nil)
			checkClasses(t, c, values)
			w := (c.Bounds[k] - c.Bounds[0]) / float64(k)
			for i := range k {
				if got := c.Bounds[i+1] - c.Bounds[i]; math.Abs(got-w) > 1e-12*w*float64(k) {
					t.Fatalf("k %d: width of class %d is %v, want %v", k, i, got, w)
				}
			}
		}
	}
}

func TestHeadTailHeavyTail(t *testing.T) {
	// SYNTHETIC Pareto sample (α = 1.2): settlement sizes have a tail like this.
	rng := rand.New(rand.NewPCG(2013, 1))
	values := make([]float64, 10000)
	for i := range values {
		values[i] = 50 * math.Pow(1-rng.Float64(), -1/1.2)
	}
	c := mustClassify(t, MethodHeadTail, values, 9, nil)
	checkClasses(t, c, values)
	if c.K() < 5 {
		t.Errorf("a Pareto tail gave only %d classes: %v", c.K(), c.Bounds)
	}
	// Each head is under 40% of the values it was split from, so counts fall fast.
	rest := len(values)
	for i, n := range c.Counts[:c.K()-1] {
		head := rest - n
		if float64(head) >= 0.4*float64(rest) {
			t.Errorf("class %d: head of %d is not under 40%% of %d", i, head, rest)
		}
		rest = head
	}
	if c3 := mustClassify(t, MethodHeadTail, values, 3, nil); c3.K() != 3 {
		t.Errorf("maxClasses 3 gave %d classes", c3.K())
	}
	if _, err := HeadTail([]float64{1, 2, 3, 4, 5, 6, 7, 8}, 9); !errors.Is(err, ErrNotHeavyTailed) || !strings.Contains(err.Error(), "50%") {
		t.Errorf("uniform values: error %v", err)
	}
}

func TestManual(t *testing.T) {
	values := []float64{0.5, 1, 2.5, 3, 4, 7.5, 12}
	c, err := Manual(values, []float64{3, 5, 10})
	if err != nil {
		t.Fatal(err)
	}
	checkClasses(t, c, values)
	if !slices.Equal(c.Bounds, []float64{0.5, 3, 5, 10, 12}) || !slices.Equal(c.Counts, []int{3, 2, 1, 1}) {
		t.Errorf("got %+v", c)
	}
	bad := []struct {
		name   string
		breaks []float64
		says   string
	}{
		{"not ascending", []float64{3, 2}, "break 2 (2) is not above break 1 (3)"},
		{"duplicate", []float64{3, 3}, "break 2 (3) is not above break 1 (3)"},
		{"below min", []float64{0.5, 3}, "break 1 (0.5) is outside the values, which run from 0.5 to 12"},
		{"above max", []float64{3, 20}, "break 2 (20) is outside"},
		{"NaN", []float64{math.NaN()}, "break 1 (NaN) is not a finite number"},
		{"Inf", []float64{2, math.Inf(1)}, "break 2 (+Inf) is not a finite number"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Manual(values, tc.breaks)
			if !errors.Is(err, ErrBadBreak) || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("error %v, want ErrBadBreak saying %q", err, tc.says)
			}
		})
	}
}

func TestClassifyErrors(t *testing.T) {
	values := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 100}
	tests := []struct {
		name   string
		m      Method
		values []float64
		k      int
		manual []float64
		is     error
	}{
		{"unknown method", "natural", values, 5, nil, ErrMethod},
		{"too few classes", MethodJenks, values, 2, nil, ErrClassCount},
		{"too many classes", MethodQuantile, values, 10, nil, ErrClassCount},
		{"headtail max 1", MethodHeadTail, values, 1, nil, ErrClassCount},
		{"manual without breaks", MethodManual, values, 0, nil, ErrClassCount},
		{"manual with 9 breaks", MethodManual, values, 0, []float64{2, 3, 4, 5, 6, 7, 8, 9, 10}, ErrClassCount},
		{"all NaN", MethodEqual, []float64{math.NaN(), math.NaN()}, 3, nil, ErrTooFewValues},
		{"one value", MethodJenks, []float64{4, 4, 4, math.NaN()}, 3, nil, ErrTooFewValues},
		{"two distinct for jenks 3", MethodJenks, []float64{4, 4, 5, 5}, 3, nil, ErrTooFewValues},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Classify(tc.m, tc.values, tc.k, tc.manual); !errors.Is(err, tc.is) {
				t.Errorf("error %v, want %v", err, tc.is)
			}
		})
	}
}

func TestNaNIgnored(t *testing.T) {
	values := append(slices.Clone(calEmp), math.NaN(), math.Inf(1), math.NaN())
	for _, m := range []Method{MethodJenks, MethodQuantile, MethodEqual, MethodHeadTail} {
		c := mustClassify(t, m, values, 5, nil)
		checkClasses(t, c, values)
		if want := mustClassify(t, m, calEmp, 5, nil); !slices.Equal(c.Bounds, want.Bounds) {
			t.Errorf("%s: NaNs changed the bounds: %v, want %v", m, c.Bounds, want.Bounds)
		}
	}
	if got := (Classes{Bounds: []float64{0, 1, 2}}).Class(math.NaN()); got != -1 {
		t.Errorf("Class(NaN) = %d", got)
	}
}

func TestClassOfEveryValue(t *testing.T) {
	for _, m := range []Method{MethodJenks, MethodQuantile, MethodEqual} {
		for k := MinClasses; k <= MaxClasses; k++ {
			checkClasses(t, mustClassify(t, m, calEmp, k, nil), calEmp)
		}
	}
	c := Classes{Bounds: []float64{0, 10, 20, 30}}
	for _, tc := range []struct {
		v    float64
		want int
	}{{-5, 0}, {0, 0}, {9.99, 0}, {10, 1}, {20, 2}, {30, 2}, {31, 2}} {
		if got := c.Class(tc.v); got != tc.want {
			t.Errorf("Class(%v) = %d, want %d", tc.v, got, tc.want)
		}
	}
}

var hexColour = regexp.MustCompile(`^#[0-9a-f]{6}$`)

// luminance is the relative luminance of "#rrggbb" (WCAG 2 / sRGB).
func luminance(c string) float64 {
	var l float64
	for i, w := range []float64{0.2126, 0.7152, 0.0722} {
		v, _ := strconv.ParseUint(c[1+2*i:3+2*i], 16, 8)
		s := float64(v) / 255
		if s <= 0.04045 {
			s /= 12.92
		} else {
			s = math.Pow((s+0.055)/1.055, 2.4)
		}
		l += w * s
	}
	return l
}

// TestRamps checks every ramp's shape, which also catches a mistyped colour:
// sequential ramps get strictly darker; diverging ones are lightest in the middle.
func TestRamps(t *testing.T) {
	for _, name := range RampNames() {
		for k := 2; k <= MaxClasses; k++ {
			cs, err := Ramp(name, k)
			if err != nil {
				t.Fatal(err)
			}
			if len(cs) != k {
				t.Fatalf("%s %d: %d colours", name, k, len(cs))
			}
			for _, c := range cs {
				if !hexColour.MatchString(c) {
					t.Fatalf("%s %d: %q is not #rrggbb", name, k, c)
				}
			}
			if ramps[name].diverging {
				lightest := 0
				for i, c := range cs {
					if luminance(c) > luminance(cs[lightest]) {
						lightest = i
					}
				}
				if k > 2 && (lightest < (k-1)/2 || lightest > k/2) {
					t.Errorf("%s %d: lightest colour at %d: %v", name, k, lightest, cs)
				}
			} else {
				for i := 1; i < k; i++ {
					if luminance(cs[i]) >= luminance(cs[i-1]) {
						t.Errorf("%s %d: %s is not darker than %s", name, k, cs[i], cs[i-1])
					}
				}
			}
			rev, err := Ramp(name+"_r", k)
			slices.Reverse(cs)
			if err != nil || !slices.Equal(rev, cs) {
				t.Errorf("%s_r %d = %v, want %v", name, k, rev, cs)
			}
		}
	}
	// Spot checks against colorbrewer2.org.
	if cs, _ := Ramp("YlGnBu", 3); !slices.Equal(cs, []string{"#edf8b1", "#7fcdbb", "#2c7fb8"}) {
		t.Errorf("YlGnBu 3 = %v", cs)
	}
	if cs, _ := Ramp("RdBu", 5); !slices.Equal(cs, []string{"#ca0020", "#f4a582", "#f7f7f7", "#92c5de", "#0571b0"}) {
		t.Errorf("RdBu 5 = %v", cs)
	}
	for _, bad := range []struct {
		name string
		k    int
	}{{"Spectral", 5}, {"YlGnBu", 1}, {"YlGnBu", 10}, {"_r", 3}} {
		if _, err := Ramp(bad.name, bad.k); err == nil {
			t.Errorf("Ramp(%q, %d) did not fail", bad.name, bad.k)
		}
	}
}

func TestRampFor(t *testing.T) {
	tests := []struct {
		direction, name string
		darkest         int // index of the darkest colour of 5, or −1 for diverging
	}{
		{LowerBetter, "OrRd", 4},
		{HigherBetter, "OrRd_r", 0},
		{Neutral, "YlGnBu", 4},
		{Diverging, "PuOr", -1},
		{"sideways", "YlGnBu", 4},
	}
	for _, tc := range tests {
		t.Run(tc.direction, func(t *testing.T) {
			name, cs := RampFor(tc.direction, 5)
			if name != tc.name || len(cs) != 5 {
				t.Fatalf("RampFor = %q, %v", name, cs)
			}
			if tc.darkest >= 0 {
				darkest := 0
				for i, c := range cs {
					if luminance(c) < luminance(cs[darkest]) {
						darkest = i
					}
				}
				if darkest != tc.darkest {
					t.Errorf("darkest colour at %d, want %d: %v", darkest, tc.darkest, cs)
				}
			}
		})
	}
	if _, cs := RampFor(LowerBetter, 12); cs != nil {
		t.Errorf("12 classes gave colours %v", cs)
	}
}

// syntheticValues is SYNTHETIC: a lognormal indicator over n areas.
func syntheticValues(n int) []float64 {
	rng := rand.New(rand.NewPCG(10000, 7))
	values := make([]float64, n)
	for i := range values {
		values[i] = math.Exp(rng.NormFloat64()*0.8 + 3)
	}
	return values
}

func BenchmarkJenks10k7(b *testing.B) {
	values := syntheticValues(10000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Jenks(values, 7); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkClassify(b *testing.B) {
	values := syntheticValues(224)
	for _, m := range []Method{MethodJenks, MethodQuantile, MethodEqual, MethodHeadTail} {
		b.Run(string(m), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Classify(m, values, 7, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

package topo

import (
	"fmt"
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// All geometry here is SYNTHETIC: small hand-made partitions whose shared
// borders wiggle, so that simplifying them changes them.

// wiggle returns the points from a to b (a excluded, b included) with n
// steps, each displaced sideways by up to amp, deterministically.
func wiggle(a, b orb.Point, n int, amp float64) []orb.Point {
	dx, dy := b[0]-a[0], b[1]-a[1]
	l := math.Hypot(dx, dy)
	nx, ny := -dy/l, dx/l
	var out []orb.Point
	for k := 1; k <= n; k++ {
		f := float64(k) / float64(n)
		off := 0.0
		if k < n {
			off = amp * math.Sin(float64(k)*1.7) * math.Cos(float64(k)*0.3)
		}
		out = append(out, orb.Point{a[0] + f*dx + off*nx, a[1] + f*dy + off*ny})
	}
	return out
}

// path joins wiggly segments through the corners, closed.
func path(corners []orb.Point, n int, amp float64) orb.Ring {
	r := orb.Ring{corners[0]}
	for k := 0; k < len(corners); k++ {
		a, b := corners[k], corners[(k+1)%len(corners)]
		r = append(r, wiggle(a, b, n, amp)...)
	}
	return r
}

func reversed(r orb.Ring) orb.Ring {
	out := make(orb.Ring, len(r))
	for k := range r {
		out[k] = r[len(r)-1-k]
	}
	return out
}

// line returns the wiggly points from a to b, a and b included.
func line(a, b orb.Point, n int, amp float64) []orb.Point {
	return append([]orb.Point{a}, wiggle(a, b, n, amp)...)
}

// ringOf concatenates pieces (each a polyline whose first point is the
// previous one's last) into a closed ring.
func ringOf(pieces ...[]orb.Point) orb.Ring {
	var r orb.Ring
	for _, p := range pieces {
		if len(r) > 0 {
			p = p[1:]
		}
		r = append(r, p...)
	}
	if r[0] != r[len(r)-1] {
		r = append(r, r[0])
	}
	return r
}

func rev(p []orb.Point) []orb.Point {
	out := make([]orb.Point, len(p))
	for k := range p {
		out[k] = p[len(p)-1-k]
	}
	return out
}

// unmatched returns the total length of the inner edges that do not meet a
// neighbour's edge exactly: every directed edge of every ring (outer rings
// counter-clockwise, holes clockwise) is cancelled by its reverse in a
// neighbour; what stays must be the outline of the whole. The caller gives
// the expected outline length; gaps or overlaps along shared borders leave
// extra edges.
func unmatchedLength(mps []orb.MultiPolygon) float64 {
	type edge struct{ a, b orb.Point }
	count := map[edge]int{}
	for _, mp := range mps {
		for _, p := range mp {
			for k, r := range p {
				ccw := area(r) > 0
				if (k == 0) != ccw {
					r = reversed(r)
				}
				for j := 0; j+1 < len(r); j++ {
					e := edge{r[j], r[j+1]}
					if count[edge{e.b, e.a}] > 0 {
						count[edge{e.b, e.a}]--
					} else {
						count[e]++
					}
				}
			}
		}
	}
	l := 0.0
	for e, n := range count {
		l += float64(n) * math.Sqrt(dist2(e.a, e.b))
	}
	return l
}

func totalArea(mps []orb.MultiPolygon) float64 {
	s := 0.0
	for _, mp := range mps {
		for _, p := range mp {
			for k, r := range p {
				if k == 0 {
					s += math.Abs(area(r))
				} else {
					s -= math.Abs(area(r))
				}
			}
		}
	}
	return s
}

// perFeature simplifies each ring on its own, as a tile query that calls
// ST_SimplifyPreserveTopology per feature does: the reference that must show
// gaps, so that the checks below can fail.
func perFeature(mps []orb.MultiPolygon, tol float64) []orb.MultiPolygon {
	out := make([]orb.MultiPolygon, len(mps))
	for i, mp := range mps {
		for _, p := range mp {
			var q orb.Polygon
			for _, r := range p {
				q = append(q, orb.Ring(simplifyArc(r, tol)))
			}
			out[i] = append(out[i], q)
		}
	}
	return out
}

// outline is the length of the outline of the simplified whole: the
// unmatched length of the union given as one polygon.
func checkPartition(t *testing.T, name string, in []orb.MultiPolygon, tol, outline float64) []orb.MultiPolygon {
	t.Helper()
	topo := Build(in, 0)
	out := topo.Simplify(tol)
	if len(out) != len(in) {
		t.Fatalf("%s: %d polygons out of %d", name, len(out), len(in))
	}
	before, after := vertices(in), vertices(out)
	if after >= before {
		t.Errorf("%s: simplification kept %d of %d vertices", name, after, before)
	}
	if u := unmatchedLength(out); math.Abs(u-outline) > 1e-9 {
		t.Errorf("%s: unmatched edge length %.6f after shared-arc simplification, want the outline %.6f (gaps or overlaps between neighbours)", name, u, outline)
	}
	// Reference: simplifying each polygon alone opens gaps along the same borders.
	if u := unmatchedLength(perFeature(in, tol)); math.Abs(u-outline) < 1e-6 {
		t.Errorf("%s: per-feature simplification left no gaps either: the fixture does not test anything", name)
	}
	return out
}

func vertices(mps []orb.MultiPolygon) int {
	n := 0
	for _, mp := range mps {
		for _, p := range mp {
			for _, r := range p {
				n += len(r)
			}
		}
	}
	return n
}

func TestTwoSquaresShareTheirSimplifiedEdge(t *testing.T) {
	// SYNTHETIC: squares [0,10]² and [10,20]×[0,10]; the shared edge x=10 wiggles by up to 0.3.
	shared := line(orb.Point{10, 0}, orb.Point{10, 10}, 40, 0.3)
	a := ringOf([]orb.Point{{0, 0}, {10, 0}}, shared, []orb.Point{{10, 10}, {0, 10}, {0, 0}})
	b := ringOf(rev(shared), []orb.Point{{10, 0}, {20, 0}, {20, 10}, {10, 10}})
	in := []orb.MultiPolygon{{{a}}, {{b}}}
	out := checkPartition(t, "two squares", in, 0.5, 60)
	if got := totalArea(out); math.Abs(got-200) > 1e-9 {
		t.Errorf("total area %.9f after simplification, want 200 (the shared border moved for both alike)", got)
	}
}

func TestTJunctionOfThree(t *testing.T) {
	// SYNTHETIC: a square [0,20]×[0,10] cut by a wiggly vertical border
	// x≈10 from y=0 up to (10,5), where a wiggly horizontal border splits the
	// upper half: three polygons meet at (10,5).
	j := orb.Point{10, 5}
	down := line(j, orb.Point{10, 0}, 30, 0.4)  // the stem, from the junction down
	left := line(j, orb.Point{0, 5}, 30, 0.4)   // the left branch
	right := line(j, orb.Point{20, 5}, 30, 0.4) // the right branch
	// lower left: (0,0) → (10,0) → stem up → left branch → (0,0)
	ll := ringOf([]orb.Point{{0, 0}, {10, 0}}, rev(down), left, []orb.Point{{0, 5}, {0, 0}})
	// lower right: (10,0) → (20,0) → (20,5) → right branch back to j → stem down
	lr := ringOf([]orb.Point{{10, 0}, {20, 0}, {20, 5}}, rev(right), down)
	// top: (0,5) → left branch reversed to j → right branch → (20,10) → (0,10)
	top := ringOf(rev(left), right, []orb.Point{{20, 5}, {20, 10}, {0, 10}, {0, 5}})
	in := []orb.MultiPolygon{{{ll}}, {{lr}}, {{top}}}
	topo := Build(in, 0)
	if topo.Arcs() < 3 {
		t.Errorf("%d arcs; the three inner borders should be three arcs at least", topo.Arcs())
	}
	out := checkPartition(t, "T-junction", in, 0.6, 60)
	for i, mp := range out {
		if !hasPoint(mp, j) {
			t.Errorf("polygon %d lost the junction point %v: arc ends must stay", i, j)
		}
	}
	if got := totalArea(out); math.Abs(got-200) > 1e-9 {
		t.Errorf("total area %.9f, want 200", got)
	}
}

func hasPoint(mp orb.MultiPolygon, q orb.Point) bool {
	for _, p := range mp {
		for _, r := range p {
			for _, x := range r {
				if x == q {
					return true
				}
			}
		}
	}
	return false
}

func TestHoleFilledByEnclave(t *testing.T) {
	// SYNTHETIC: a city district (a wiggly loop) inside a rural district
	// that has the same loop as a hole — one closed arc without junctions.
	loop := path([]orb.Point{{4, 4}, {6, 4}, {6, 6}, {4, 6}}, 25, 0.2)
	outer := orb.Ring{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}
	// The hole starts elsewhere on the loop, as real rings do.
	hole := reversed(loop)
	hole = append(append(orb.Ring{}, hole[37:len(hole)-1]...), hole[:38]...)
	in := []orb.MultiPolygon{{{outer, hole}}, {{loop}}}
	topo := Build(in, 0)
	if topo.Arcs() != 2 {
		t.Errorf("%d arcs, want 2: the outline and the loop shared by the hole and the enclave", topo.Arcs())
	}
	out := checkPartition(t, "enclave", in, 0.3, 40)
	if len(out[0]) != 1 || len(out[0][0]) != 2 {
		t.Fatalf("the rural district lost its hole: %d parts", len(out[0]))
	}
	if got := totalArea(out); math.Abs(got-100) > 1e-9 {
		t.Errorf("total area %.9f, want 100", got)
	}
}

func TestMultiPolygonAndIslands(t *testing.T) {
	// SYNTHETIC: A has two parts, each bordering B along a wiggly line; C is
	// an island far off (kept, as a loop of at least three points); D is a
	// tiny island that collapses at this tolerance and is left out.
	s1 := line(orb.Point{10, 0}, orb.Point{10, 10}, 30, 0.3)
	s2 := line(orb.Point{10, 20}, orb.Point{10, 30}, 30, 0.3)
	a1 := ringOf([]orb.Point{{0, 0}, {10, 0}}, s1, []orb.Point{{10, 10}, {0, 10}, {0, 0}})
	a2 := ringOf([]orb.Point{{0, 20}, {10, 20}}, s2, []orb.Point{{10, 30}, {0, 30}, {0, 20}})
	b := ringOf(rev(s2), []orb.Point{{10, 20}, {10, 10}}, rev(s1), []orb.Point{{10, 0}, {20, 0}, {20, 30}, {10, 30}})
	island := path([]orb.Point{{50, 50}, {60, 50}, {60, 60}, {50, 60}}, 20, 0.2)
	tiny := orb.Ring{{80, 80}, {80.1, 80}, {80.1, 80.1}, {80, 80.1}, {80, 80}}
	in := []orb.MultiPolygon{{{a1}, {a2}}, {{b}}, {{island}}, {{tiny}}}
	out := Build(in, 0).Simplify(0.5)
	if len(out[0]) != 2 {
		t.Errorf("A has %d parts, want 2", len(out[0]))
	}
	if len(out[2]) != 1 || len(out[2][0][0]) < 4 {
		t.Errorf("the island collapsed: %v", out[2])
	}
	if len(out[3]) != 0 {
		t.Errorf("the tiny island survived a tolerance five times its size: %v", out[3])
	}
	// A and B share both borders exactly: only the outlines stay unmatched.
	outline := 20.0 + 30 + 30 + 10 + 10 + 10 + 10 // A's outer sides and B's, the gap x=10, y 10..20 is B's own edge
	island2 := out[2]
	u := unmatchedLength(out[:2])
	if math.Abs(u-outline) > 1e-9 {
		t.Errorf("A and B: unmatched edge length %.6f, want %.6f", u, outline)
	}
	if u := unmatchedLength(perFeature(in[:2], 0.5)); math.Abs(u-outline) < 1e-6 {
		t.Errorf("per-feature simplification left no gaps: the fixture does not test anything")
	}
	_ = island2
}

func TestSnapMergesNoise(t *testing.T) {
	// SYNTHETIC: B's copy of the shared border differs from A's by 1e-12 —
	// the floating-point noise found between some real oblast borders.
	shared := line(orb.Point{10, 0}, orb.Point{10, 10}, 40, 0.3)
	noisy := make([]orb.Point, len(shared))
	for k, p := range shared {
		noisy[k] = p
		if k > 0 && k < len(shared)-1 {
			noisy[k] = orb.Point{p[0] + 1e-12, p[1] - 1e-12}
		}
	}
	a := ringOf([]orb.Point{{0, 0}, {10, 0}}, shared, []orb.Point{{10, 10}, {0, 10}, {0, 0}})
	b := ringOf(rev(noisy), []orb.Point{{10, 0}, {20, 0}, {20, 10}, {10, 10}})
	in := []orb.MultiPolygon{{{a}}, {{b}}}
	if u := unmatchedLength(Build(in, 0).Simplify(0.2)); math.Abs(u-60) < 1e-6 {
		t.Fatalf("without snapping the noisy border matched: the fixture does not test anything")
	}
	topo := Build(in, 1e-9)
	if topo.Snapped != len(shared)-2 {
		t.Errorf("snapped %d points, want %d", topo.Snapped, len(shared)-2)
	}
	if u := unmatchedLength(topo.Simplify(0.2)); math.Abs(u-60) > 1e-9 {
		t.Errorf("unmatched edge length %.6f after snapping, want 60", u)
	}
}

func TestSimplifyArcKeepsEnds(t *testing.T) {
	a := line(orb.Point{0, 0}, orb.Point{100, 0}, 200, 1)
	for _, tol := range []float64{0, 0.5, 2, 1000} {
		s := simplifyArc(a, tol)
		if s[0] != a[0] || s[len(s)-1] != a[len(a)-1] {
			t.Errorf("tol %v: ends moved", tol)
		}
		for _, p := range a {
			if d := minDist(p, s); d > tol && tol > 0 {
				t.Errorf("tol %v: point %v is %v from the simplified line", tol, p, d)
				break
			}
		}
	}
	if got := len(simplifyArc(a, 1000)); got != 2 {
		t.Errorf("a huge tolerance keeps %d points, want the 2 ends", got)
	}
}

func minDist(p orb.Point, l []orb.Point) float64 {
	best := math.Inf(1)
	for k := 0; k+1 < len(l); k++ {
		best = math.Min(best, math.Sqrt(segDist2(p, l[k], l[k+1])))
	}
	return best
}

func Example() {
	// SYNTHETIC: two unit squares side by side.
	a := orb.Ring{{0, 0}, {1, 0}, {1, 0.5}, {1, 1}, {0, 1}, {0, 0}}
	b := orb.Ring{{1, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 0.5}, {1, 0}}
	t := Build([]orb.MultiPolygon{{{a}}, {{b}}}, 0)
	fmt.Println(t.Arcs(), "arcs")
	// Output: 3 arcs
}

func TestCrossingArcsAreSimplifiedLess(t *testing.T) {
	// SYNTHETIC: the border X between P (above) and Q (below) bulges by 0.35,
	// under the tolerance 0.4, so alone it would become straight; but Q has a
	// hole (the enclave E, 3 × 0.5, its corners kept at this tolerance) that
	// reaches up to 0.2 under the bulge: a straight X would cut through E.
	x := []orb.Point{{0, 0}, {3, 0.3}, {5, 0.35}, {7, 0.3}, {10, 0}}
	p := ringOf(x, []orb.Point{{10, 0}, {10, 5}, {0, 5}, {0, 0}})
	q := ringOf(rev(x), []orb.Point{{0, 0}, {0, -5}, {10, -5}, {10, 0}})
	e := orb.Ring{{3.5, -0.3}, {6.5, -0.3}, {6.5, 0.2}, {3.5, 0.2}, {3.5, -0.3}}
	in := []orb.MultiPolygon{{{p}}, {{q, reversed(e)}}, {{e}}}
	topo := Build(in, 0)
	naive := make([][]orb.Point, len(topo.arcs))
	for i, a := range topo.arcs {
		naive[i] = simplifyArc(a, 0.4)
	}
	if len(crossings(naive)) == 0 {
		t.Fatal("simplifying every arc alike crosses nothing: the fixture does not test anything")
	}
	out := topo.Simplify(0.4)
	if !hasPoint(out[0], orb.Point{5, 0.35}) || !hasPoint(out[1], orb.Point{5, 0.35}) {
		t.Errorf("the border X was straightened through the enclave: P %v", out[0])
	}
	if len(out[2]) != 1 || len(out[2][0][0]) != 5 {
		t.Errorf("the enclave changed: %v", out[2])
	}
	if u := unmatchedLength(out); math.Abs(u-40) > 1e-9 {
		t.Errorf("unmatched edge length %.6f, want the outline 40", u)
	}
}

func TestConflict(t *testing.T) {
	for _, c := range []struct {
		a, b, c, d orb.Point
		want       bool
	}{
		{orb.Point{0, 0}, orb.Point{2, 2}, orb.Point{0, 2}, orb.Point{2, 0}, true},   // X
		{orb.Point{0, 0}, orb.Point{2, 0}, orb.Point{1, 0}, orb.Point{1, 5}, true},   // T: an end on the other's inside
		{orb.Point{0, 0}, orb.Point{2, 0}, orb.Point{2, 0}, orb.Point{3, 1}, false},  // a shared end only
		{orb.Point{0, 0}, orb.Point{2, 0}, orb.Point{0, 0}, orb.Point{1, 0}, true},   // shared end, overlapping
		{orb.Point{0, 0}, orb.Point{2, 0}, orb.Point{0, 0}, orb.Point{-1, 0}, false}, // shared end, opposite ways
		{orb.Point{0, 0}, orb.Point{2, 0}, orb.Point{3, 0}, orb.Point{4, 0}, false},  // collinear apart
		{orb.Point{0, 0}, orb.Point{2, 0}, orb.Point{0, 1}, orb.Point{2, 1}, false},  // parallel
	} {
		if got := conflict(c.a, c.b, c.c, c.d); got != c.want {
			t.Errorf("conflict(%v %v, %v %v) = %v, want %v", c.a, c.b, c.c, c.d, got, c.want)
		}
	}
}

func TestNodeJoinsSliverBorders(t *testing.T) {
	// SYNTHETIC: A and B border along x≈10, but each traced it with its own
	// points: B's lie 0.004 off A's line and at other heights, leaving
	// slivers between them — as some real district borders across oblasts do.
	shared := line(orb.Point{10, 0}, orb.Point{10, 10}, 20, 0.005)
	var own []orb.Point // B's tracing: midpoints of A's segments, nudged
	for k := 0; k+1 < len(shared); k++ {
		m := orb.Point{(shared[k][0]+shared[k+1][0])/2 + 0.004, (shared[k][1] + shared[k+1][1]) / 2}
		own = append(own, m)
	}
	bBorder := append([]orb.Point{{10, 0}}, own...)
	bBorder = append(bBorder, orb.Point{10, 10})
	a := ringOf([]orb.Point{{0, 0}, {10, 0}}, shared, []orb.Point{{10, 10}, {0, 10}, {0, 0}})
	b := ringOf(rev(bBorder), []orb.Point{{10, 0}, {20, 0}, {20, 10}, {10, 10}})
	in := []orb.MultiPolygon{{{a}}, {{b}}}
	if u := unmatchedLength(Build(in, 0).Simplify(0.001)); math.Abs(u-60) < 1e-6 {
		t.Fatal("the two tracings matched without noding: the fixture does not test anything")
	}
	topo := Build(in, 0.02)
	if topo.Noded == 0 {
		t.Error("no vertex was put into a neighbour's segment")
	}
	if u := unmatchedLength(topo.Simplify(0.001)); math.Abs(u-60) > 1e-9 {
		t.Errorf("unmatched edge length %.6f after noding, want the outline 60", u)
	}
}

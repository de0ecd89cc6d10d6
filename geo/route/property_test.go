package route_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/aimaq/aimaq/geo/route"
	"github.com/aimaq/aimaq/geo/route/routetest"
	"github.com/paulmach/orb"
)

// randomGraph is a small SYNTHETIC network with one-way streets and several
// components, and facilities snapped onto it.
func randomGraph(t *testing.T, seed int64) (*route.Graph, *route.Snapper, []route.Source, []route.Snap) {
	t.Helper()
	g := route.MustBuild(t, routetest.SyntheticCountry(seed, routetest.RandomPoints(seed+100, 20), 3000), route.DefaultSpeeds())
	s := g.NewSnapper()
	snap := func(p orb.Point) route.Snap {
		sn, ok := s.Snap(p, math.Inf(1))
		if !ok {
			t.Fatalf("Snap(%v): no road", p)
		}
		return sn
	}
	var srcs []route.Source
	for i, p := range routetest.RandomPoints(seed+200, 12) {
		srcs = append(srcs, route.Source{Snap: snap(p), ID: int64(i)})
	}
	var settle []route.Snap
	for _, p := range routetest.RandomPoints(seed+300, 200) {
		settle = append(settle, snap(p))
	}
	return g, s, srcs, settle
}

var seeds = []int64{1, 2, 3, 4, 5}

// TestAgainstBellmanFord compares MultiSourceNodes with a plain Bellman–Ford over
// EdgeList, the same edge list an external engine would load.
func TestAgainstBellmanFord(t *testing.T) {
	for _, seed := range seeds {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			g, _, _, _ := randomGraph(t, seed)
			rng := rand.New(rand.NewPCG(uint64(seed), 1))
			targets := []uint32{rng.Uint32N(uint32(g.Nodes())), rng.Uint32N(uint32(g.Nodes()))}
			for _, m := range []route.Metric{route.ByTime, route.ByLength} {
				f := g.MultiSourceNodes(targets, m)
				ref := make([]float64, g.Nodes())
				for i := range ref {
					ref[i] = math.Inf(1)
				}
				for _, v := range targets {
					ref[v] = 0
				}
				for changed := true; changed; {
					changed = false
					g.EdgeList(func(u, v uint32, secs, metres float32) {
						w := float64(secs)
						if m == route.ByLength {
							w = float64(metres)
						}
						if d := ref[v] + w; d < ref[u] {
							ref[u], changed = d, true
						}
					})
				}
				reached := 0
				for v := range ref {
					if !route.Near(f.Cost[v], ref[v], 1e-12) {
						t.Fatalf("metric %d node %d: %v; Bellman–Ford %v", m, v, f.Cost[v], ref[v])
					}
					if !math.IsInf(ref[v], 1) {
						reached++
					}
				}
				if reached < g.Nodes()/10 || reached == g.Nodes() {
					t.Logf("reached %d of %d nodes", reached, g.Nodes())
				}
			}
		})
	}
}

// TestTriangleInequality: for every edge u→v, Cost[u] ≤ Cost[v] + w(u→v), and the
// same for the snapped settlements' At against each end of their link.
func TestTriangleInequality(t *testing.T) {
	for _, seed := range seeds {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			g, _, srcs, _ := randomGraph(t, seed)
			for _, m := range []route.Metric{route.ByTime, route.ByLength} {
				f := g.MultiSource(srcs, m, route.DefaultSpeeds())
				bad := 0
				g.EdgeList(func(u, v uint32, secs, metres float32) {
					w := float64(secs)
					if m == route.ByLength {
						w = float64(metres)
					}
					if f.Cost[u] > f.Cost[v]+w {
						bad++
					}
				})
				if bad > 0 {
					t.Errorf("metric %d: %d edges break the triangle inequality", m, bad)
				}
			}
		})
	}
}

// TestAddingFacilityNeverHurts: adding a facility never increases any node's or any
// settlement's cost.
func TestAddingFacilityNeverHurts(t *testing.T) {
	sp := route.DefaultSpeeds()
	for _, seed := range seeds {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			g, _, srcs, settle := randomGraph(t, seed)
			for _, m := range []route.Metric{route.ByTime, route.ByLength} {
				prev := g.MultiSource(srcs[:1], m, sp)
				for k := 2; k <= len(srcs); k++ {
					next := g.MultiSource(srcs[:k], m, sp)
					for v := range next.Cost {
						if next.Cost[v] > prev.Cost[v] {
							t.Fatalf("metric %d, %d sources: node %d cost rose %v → %v", m, k, v, prev.Cost[v], next.Cost[v])
						}
					}
					for i, s := range settle {
						a, b := prev.At(g, s, sp), next.At(g, s, sp)
						ca, cb := cost(a, m), cost(b, m)
						if cb > ca {
							t.Fatalf("metric %d, %d sources: settlement %d cost rose %v → %v", m, k, i, ca, cb)
						}
					}
					prev = next
				}
			}
		})
	}
}

func cost(r route.Reach, m route.Metric) float64 {
	switch {
	case !r.OK:
		return math.Inf(1)
	case m == route.ByLength:
		return r.Metres
	}
	return r.Secs
}

// TestSnapMatchesBruteForce checks the R-tree search against every segment.
func TestSnapMatchesBruteForce(t *testing.T) {
	for _, seed := range seeds[:3] {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			g, s, _, _ := randomGraph(t, seed)
			for _, p := range routetest.RandomPoints(seed+400, 100) {
				pl := route.NewPlane(p)
				best, bestPaved := math.Inf(1), math.Inf(1)
				for l := range uint32(g.Links()) {
					pts := s.LinkPoints(l)
					for i := 0; i+1 < len(pts); i++ {
						d2 := pl.SegmentDist2(pts[i], pts[i+1])
						best = min(best, d2)
						if g.LinkPaved(l) {
							bestPaved = min(bestPaved, d2)
						}
					}
				}
				dist := pl.Dist // in the plane, as brute force
				sn, ok := s.Snap(p, math.Inf(1))
				if !ok || !route.Near(dist(sn.Point), math.Sqrt(best), 1e-6) {
					t.Fatalf("Snap(%v) = %+v, %v; brute force %v m", p, sn, ok, math.Sqrt(best))
				}
				sp, ok := s.SnapPaved(p, math.Inf(1))
				if !ok || !route.Near(dist(sp.Point), math.Sqrt(bestPaved), 1e-6) || !g.LinkPaved(sp.Link) {
					t.Fatalf("SnapPaved(%v) = %+v, %v; brute force %v m", p, sp, ok, math.Sqrt(bestPaved))
				}
				if _, ok := s.Snap(p, 0.99*sn.OffMetres); ok {
					t.Fatalf("Snap(%v) within %v m found a road", p, 0.99*sn.OffMetres)
				}
			}
		})
	}
}

// TestConcurrentUse runs snapping and searches from several goroutines (run with
// -race): the Snapper and Graph are shared read-only.
func TestConcurrentUse(t *testing.T) {
	g, s, srcs, _ := randomGraph(t, 9)
	want := g.MultiSource(srcs, route.ByTime, route.DefaultSpeeds())
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for _, p := range routetest.RandomPoints(int64(w), 50) {
				s.Snap(p, 10_000)
				s.SnapPaved(p, 10_000)
			}
			f := g.MultiSource(srcs, route.ByTime, route.DefaultSpeeds())
			for v := range f.Cost {
				if f.Cost[v] != want.Cost[v] {
					t.Errorf("worker %d node %d: %v; want %v", w, v, f.Cost[v], want.Cost[v])
					return
				}
			}
		})
	}
	wg.Wait()
}

// TestMultiSourceWithin: a bounded search reused across facilities agrees with a
// fresh unbounded one inside the limit and reaches nothing beyond it.
func TestMultiSourceWithin(t *testing.T) {
	sp := route.DefaultSpeeds()
	for _, seed := range seeds[:3] {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			g, _, srcs, settle := randomGraph(t, seed)
			var f *route.Field
			for k, limit := range []float64{3600, 4 * 3600, 600, math.Inf(1), 7200} {
				one := srcs[k : k+2]
				f = g.MultiSourceWithin(f, one, route.ByTime, sp, limit)
				full := g.MultiSource(one, route.ByTime, sp)
				reached := 0
				for v := range full.Cost {
					want, wantFrom := full.Cost[v], full.From[v]
					if want > limit || math.IsInf(want, 1) {
						want, wantFrom = math.Inf(1), -1
					} else {
						reached++
					}
					if f.Cost[v] != want || f.From[v] != wantFrom {
						t.Fatalf("limit %v node %d: %v from %d; want %v from %d", limit, v, f.Cost[v], f.From[v], want, wantFrom)
					}
				}
				if len(f.Reached()) != reached {
					t.Fatalf("limit %v: Reached has %d nodes; want %d", limit, len(f.Reached()), reached)
				}
				for _, s := range settle {
					a, b := f.At(g, s, sp), full.At(g, s, sp)
					if b.OK && b.Secs <= limit && (a.Secs != b.Secs || a.SourceID != b.SourceID) {
						t.Fatalf("limit %v: At %+v; unbounded %+v", limit, a, b)
					}
				}
			}
		})
	}
}

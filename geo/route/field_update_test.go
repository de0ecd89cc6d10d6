package route_test

import (
	"math"
	"slices"
	"testing"

	"github.com/aimaq/aimaq/geo/route"
	"github.com/aimaq/aimaq/geo/route/routetest"
)

// TestLinkMetres: every road of a SYNTHETIC country is measured link by link
// exactly as Build measured it.
func TestLinkMetres(t *testing.T) {
	roads := routetest.SyntheticCountry(3, routetest.RandomPoints(103, 20), 3000)
	g := route.MustBuild(t, roads, route.DefaultSpeeds())
	byRoad := map[int][]uint32{}
	for l := range uint32(g.Links()) {
		byRoad[g.LinkRoad(l)] = append(byRoad[g.LinkRoad(l)], l)
	}
	for ri, links := range byRoad {
		if _, err := g.LinkMetres(roads[ri], links); err != nil {
			t.Fatal(err)
		}
	}
	// The wrong links for a road are refused.
	if _, err := g.LinkMetres(roads[0], byRoad[1]); err == nil && !slices.Equal(byRoad[0], byRoad[1]) {
		t.Error("LinkMetres took another road's links")
	}
}

// TestEditorMatchesMultiSource: removing and adding sources in place gives the
// field a fresh MultiSource gives, and the journal restores the original to the bit.
func TestEditorMatchesMultiSource(t *testing.T) {
	for _, seed := range []int64{1, 2, 3} {
		g, _, srcs, snaps := randomGraph(t, seed)
		sp := route.DefaultSpeeds()
		f := g.MultiSource(srcs, route.ByTime, sp)
		orig := append([]float64(nil), f.Cost...)
		var j route.Journal
		ed := g.NewEditor(g.NewOutIndex(), sp, &j)
		// Take out sources 0 and 3, add one at the first snap.
		ed.RemoveSource(f, 0)
		ed.RemoveSource(f, 3)
		added := route.Source{Snap: snaps[0], ID: 99}
		ed.AddSource(f, added)
		want := g.MultiSource(append(slices.Clone(srcs[1:3]), append(slices.Clone(srcs[4:]), added)...), route.ByTime, sp)
		for v := range f.Cost {
			if f.Cost[v] != want.Cost[v] && !(math.IsInf(f.Cost[v], 1) && math.IsInf(want.Cost[v], 1)) {
				t.Fatalf("seed %d node %d: edited %v, fresh %v", seed, v, f.Cost[v], want.Cost[v])
			}
		}
		for _, sn := range snaps {
			if a, b := ed.At(f, sn), want.At(g, sn, sp); a.Secs != b.Secs || a.SourceID != b.SourceID {
				t.Fatalf("seed %d: At %+v, fresh %+v", seed, a, b)
			}
		}
		j.Undo()
		for v := range f.Cost {
			if f.Cost[v] != orig[v] && !(math.IsInf(f.Cost[v], 1) && math.IsInf(orig[v], 1)) {
				t.Fatalf("seed %d node %d: after Undo %v, originally %v", seed, v, f.Cost[v], orig[v])
			}
		}
	}
}

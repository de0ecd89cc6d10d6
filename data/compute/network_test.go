package compute

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/aimaq/aimaq/geo/route"
	orbgeo "github.com/paulmach/orb/geo"
)

// ownCentre's shortcut (one search from all centres, then bounded searches
// for the rest) must give exactly what a full search from each settlement's
// own centre gives.
func TestOwnCentreMatchesFullSearch(t *testing.T) {
	pts := route.RandomPoints(4, 400)
	d := &dataset{}
	for _, r := range route.SyntheticCountry(3, pts[:40], 20000) {
		d.roads = append(d.roads, road{class: r.Class, paved: r.Paved, oneway: r.Oneway, line: r.Line})
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var cs []centre
	for _, p := range pts[:12] {
		cs = append(cs, centre{pt: p})
	}
	for _, p := range pts[12:] {
		// Own centre: one of the three nearest, at random, so many settlements
		// are nearer to another centre than to their own.
		order := make([]int, len(cs))
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(a, b int) int { return cmp.Compare(orbgeo.Distance(p, cs[a].pt), orbgeo.Distance(p, cs[b].pt)) })
		d.settlements = append(d.settlements, settlement{pt: p, districtC: order[rng.IntN(3)]})
	}
	o := DefaultOptions()
	o.MaxSnapMetres = math.Inf(1)
	n, err := newNetwork(d, o)
	if err != nil {
		t.Fatal(err)
	}
	got := n.ownCentre(cs, func(s settlement) int { return s.districtC })
	checked := 0
	for c := range cs {
		sn, _ := n.sn.Snap(cs[c].pt, math.Inf(1))
		f := n.g.MultiSource([]route.Source{{Snap: sn, ID: int64(c + 1)}}, route.ByTime, n.sp)
		for i, s := range d.settlements {
			if s.districtC != c {
				continue
			}
			want := f.At(n.g, n.snaps[i], n.sp)
			exact := got[i].id == int64(c+1) && math.Abs(got[i].min-want.Secs/60) <= 1e-9*want.Secs
			if want.OK && want.Secs > 24*3600 && (got[i].id == 0 || exact) {
				continue // beyond a day's travel the bounded search may give up: straight line by design
			}
			if !want.OK {
				if got[i].id != 0 {
					t.Errorf("settlement %d: unreachable own centre, got %+v", i, got[i])
				}
				continue
			}
			checked++
			if got[i].id != int64(c+1) || math.Abs(got[i].min-want.Secs/60) > 1e-9*want.Secs {
				t.Errorf("settlement %d: own centre %d: got %+v, want %.6f min", i, c, got[i], want.Secs/60)
			}
		}
	}
	if checked < 250 {
		t.Errorf("only %d settlements checked", checked)
	}
}

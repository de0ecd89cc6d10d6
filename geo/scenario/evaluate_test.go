package scenario

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/indicator"
	"github.com/aimaq/aimaq/geo/route"
	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
)

// f32 rounds x to a float32 value, so that a graph node's position (stored as
// float32) is exactly the input vertex: a built road then joins the grid where
// Build would join it.
func f32(x float64) float64 { return float64(float32(x)) }

// syntheticInput is a SYNTHETIC region: a jittered grid of nx×ny junctions
// about 1 km apart, each grid edge kept with probability 0.85 as a road of its
// own (random class, surface, a few one-way), a few long diagonal roads through
// the junctions, settlements and facilities at random points (one settlement
// and one school far off the network), four districts in two oblasts and two
// macroregions.
func syntheticInput(seed uint64, nx, ny, nSettl int) *access.Input {
	rng := rand.New(rand.NewPCG(seed, 77))
	lon0, lat0, step := 70.0, 45.0, 0.01
	vx := func(i, j int) orb.Point {
		return orb.Point{f32(lon0 + float64(i)*step + (rng.Float64()-0.5)*0.002), f32(lat0 + float64(j)*step + (rng.Float64()-0.5)*0.002)}
	}
	grid := make([]orb.Point, nx*ny)
	for j := range ny {
		for i := range nx {
			grid[j*nx+i] = vx(i, j)
		}
	}
	at := func(i, j int) orb.Point { return grid[j*nx+i] }
	classes := []string{"primary", "secondary", "tertiary", "unclassified", "residential", "track"}
	in := &access.Input{}
	id := int64(1)
	road := func(line orb.LineString) {
		in.Roads = append(in.Roads, route.Road{ID: id, Line: line, Class: classes[rng.IntN(len(classes))],
			Paved: rng.Float64() < 0.4, Oneway: rng.Float64() < 0.05})
		id++
	}
	mid := func(a, b orb.Point) orb.Point {
		return orb.Point{(a[0]+b[0])/2 + (rng.Float64()-0.5)*0.003, (a[1]+b[1])/2 + (rng.Float64()-0.5)*0.003}
	}
	for j := range ny {
		for i := range nx {
			if i+1 < nx && rng.Float64() < 0.85 {
				road(orb.LineString{at(i, j), mid(at(i, j), at(i+1, j)), at(i+1, j)})
			}
			if j+1 < ny && rng.Float64() < 0.85 {
				road(orb.LineString{at(i, j), mid(at(i, j), at(i, j+1)), at(i, j+1)})
			}
		}
	}
	for range 3 { // long roads: several links each
		i, j := rng.IntN(nx/2), rng.IntN(ny/2)
		var line orb.LineString
		for k := 0; i+k < nx && j+k < ny && k < 6; k++ {
			if k > 0 {
				line = append(line, mid(at(i+k-1, j+k-1), at(i+k, j+k)))
			}
			line = append(line, at(i+k, j+k))
		}
		road(line)
	}
	w, h := float64(nx-1)*step, float64(ny-1)*step
	rp := func() orb.Point { return orb.Point{lon0 + rng.Float64()*w, lat0 + rng.Float64()*h} }
	district := func(p orb.Point) (int64, int64) {
		d := int64(0)
		if p[0] > lon0+w/2 {
			d++
		}
		if p[1] > lat0+h/2 {
			d += 2
		}
		return 1000 + d, 100 + d%2
	}
	pops := []int{20, 120, 400, 900, 2500, 7000, 40000}
	for k := range nSettl {
		p := rp()
		if k == nSettl-1 {
			p = orb.Point{lon0 - 1, lat0 - 1} // off the network
		}
		d, o := district(p)
		place := "village"
		if k%7 == 0 {
			place = "town"
		}
		in.Settlements = append(in.Settlements, access.Settlement{ID: int64(k + 1), Point: p, Population: pops[rng.IntN(len(pops))], Place: place, District: d, Oblast: o})
	}
	kinds := []string{"school", "school", "school", "medical_post", "feldsher_post", "clinic", "polyclinic", "hospital", "kindergarten"}
	for k := range 3 + nSettl/3 {
		p := rp()
		if k == 0 {
			p = orb.Point{lon0 + w + 1, lat0 + h + 1} // off the network
		}
		d, o := district(p)
		in.Facilities = append(in.Facilities, access.Facility{ID: int64(k + 1), Kind: kinds[k%len(kinds)], Capacity: math.NaN(), Point: p, District: d, Oblast: o})
	}
	in.Areas = append(in.Areas, access.Area{ID: 1, Level: "country", Population: math.NaN()})
	for o := range 2 {
		in.Areas = append(in.Areas, access.Area{ID: int64(100 + o), Level: "oblast", Population: math.NaN()})
	}
	for d := range 4 {
		in.Areas = append(in.Areas, access.Area{ID: int64(1000 + d), Level: "district", Group: int64(10 + d/2), Parent: int64(100 + d%2), Population: math.NaN()})
	}
	for g := range 2 {
		in.Areas = append(in.Areas, access.Area{ID: int64(10 + g), Level: "macroregion", Population: math.NaN()})
	}
	return in
}

// applied is in with projects applied, for the full recompute.
func applied(t *testing.T, base *Baseline, in *access.Input, projects []Project) *access.Input {
	t.Helper()
	out := &access.Input{Settlements: in.Settlements, Areas: in.Areas,
		Facilities: slices.Clone(in.Facilities), Roads: slices.Clone(in.Roads)}
	for k, p := range projects {
		switch p.Kind {
		case OpenFacility:
			out.Facilities = append(out.Facilities, access.Facility{ID: int64(-(k + 1)), Kind: p.FacilityKind, Capacity: math.NaN(), Point: p.Point})
		case CloseFacility:
			out.Facilities = slices.DeleteFunc(out.Facilities, func(f access.Facility) bool { return f.ID == p.FacilityID })
		case DowngradeFacility:
			for i := range out.Facilities {
				if out.Facilities[i].ID == p.FacilityID {
					out.Facilities[i].Kind = p.FacilityKind
				}
			}
		case PaveRoad:
			for i := range out.Roads {
				if slices.Contains(p.RoadIDs, out.Roads[i].ID) {
					out.Roads[i].Paved = true
				}
			}
		case BuildRoad:
			r, _, _, err := base.builtRoad(p)
			if err != nil {
				t.Fatal(err)
			}
			out.Roads = append(out.Roads, r)
		}
	}
	return out
}

// fullRecompute builds a baseline from scratch with the projects applied,
// keeping the baseline's snaps (as Evaluate does).
func fullRecompute(t *testing.T, base *Baseline, in *access.Input, projects []Project) *Baseline {
	t.Helper()
	in2 := applied(t, base, in, projects)
	full, err := newBaseline(in2, access.DefaultOptions(), base.sn)
	if err != nil {
		t.Fatal(err)
	}
	if full.g.Nodes() != base.g.Nodes() {
		t.Fatalf("the full recompute's graph has %d nodes, the baseline's %d: a built road made new junctions", full.g.Nodes(), base.g.Nodes())
	}
	return full
}

const tol = 1e-9

func near(a, b float64) bool {
	return a == b || (math.IsNaN(a) && math.IsNaN(b)) || math.Abs(a-b) <= tol*math.Max(1, math.Abs(b))
}

func sameCheck(a, b *bool) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

// compare checks an evaluation against the full recompute: every settlement,
// every area value, the standards and the disparity indices.
func compare(t *testing.T, base, full *Baseline, res *Result) {
	t.Helper()
	got := slices.Clone(base.figs)
	for _, c := range res.Settlements {
		if !sameFigures(&c.Before, &base.figs[c.Index]) {
			t.Errorf("settlement %d: Before is not the baseline", c.ID)
		}
		got[c.Index] = c.After
	}
	bad := 0
	for i := range got {
		g, w := got[i], full.figs[i]
		gv, wv := g.values(), w.values()
		ok := g.NearestSchool == w.NearestSchool && g.NearestClinic == w.NearestClinic && g.NearestHospital == w.NearestHospital &&
			sameCheck(g.SRS.Health, w.SRS.Health) && sameCheck(g.SRS.School, w.SRS.School) && sameCheck(g.SRS.Road, w.SRS.Road)
		for k := range gv {
			ok = ok && near(gv[k], wv[k])
		}
		for k := range g.HealthKm {
			ok = ok && near(g.HealthKm[k], w.HealthKm[k])
		}
		for _, name := range figureNames {
			// How each figure was made (network, straight-line, estimated).
			ok = ok && g.Method(name) == w.Method(name)
		}
		if !ok {
			if bad++; bad <= 5 {
				t.Errorf("settlement %d: evaluated %+v\nfull recompute %+v", base.in.Settlements[i].ID, g, w)
			}
		}
	}
	if bad > 0 {
		t.Fatalf("%d of %d settlements differ from the full recompute", bad, len(got))
	}
	vals := map[areaKey]float64{}
	for k, v := range base.areaVals {
		vals[k] = v
	}
	for _, a := range res.Areas {
		if !near(a.Before, valOr(base.areaVals, areaKey{a.Area, a.Indicator})) {
			t.Errorf("area %d %s: Before %v is not the baseline", a.Area, a.Indicator, a.Before)
		}
		if math.IsNaN(a.After) {
			delete(vals, areaKey{a.Area, a.Indicator})
		} else {
			vals[areaKey{a.Area, a.Indicator}] = a.After
		}
	}
	for k, w := range full.areaVals {
		if g, ok := vals[k]; !ok || !near(g, w) {
			t.Errorf("area %d %s: evaluated %v, full recompute %v", k.area, k.indicator, g, w)
		}
	}
	if len(vals) != len(full.areaVals) {
		t.Errorf("%d area values, full recompute %d", len(vals), len(full.areaVals))
	}
	for k, s := range res.Standards {
		w := full.standard[k]
		if !near(s.After.Applies, w.Applies) || !near(s.After.Meets, w.Meets) {
			t.Errorf("standard %s: evaluated %+v, full recompute %+v", s.Standard, s.After, w)
		}
		if !near(s.After.Meets-s.Before.Meets, s.Newly-s.Lost) && s.Before.Applies == s.After.Applies {
			t.Errorf("standard %s: newly %v lost %v do not add up to %v", s.Standard, s.Newly, s.Lost, s.After.Meets-s.Before.Meets)
		}
	}
	for _, d := range res.Disparity {
		w := full.theil[d.Indicator]
		if (d.After == nil) != (w == nil) || (w != nil && !(near(d.After.Total, w.Total) && near(d.After.Between, w.Between) && near(d.After.Within, w.Within))) {
			t.Errorf("disparity %s: evaluated %+v, full recompute %+v", d.Indicator, d.After, w)
		}
	}
}

func valOr(m map[areaKey]float64, k areaKey) float64 {
	if v, ok := m[k]; ok {
		return v
	}
	return math.NaN()
}

// TestBaselineIsCompute: the baseline's figures and area values are the ones
// access.Compute finds for the same input.
func TestBaselineIsCompute(t *testing.T) {
	in := syntheticInput(1, 14, 12, 60)
	base, err := NewBaseline(in, access.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	res, err := access.Compute(in, access.DefaultOptions(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, cf := range res.Settlements {
		f := base.figs[i]
		v := f.values()
		for k, name := range figureNames {
			if !near(v[k], cf.Value(name)) {
				t.Errorf("settlement %d %s: baseline %v, Compute %v", in.Settlements[i].ID, name, v[k], cf.Value(name))
			}
			sin, _ := indicator.LookupSettlement(name)
			if want := access.FigureMethod(sin, !math.IsNaN(cf.Value(name)), cf.StraightLine); f.Method(name) != want {
				t.Errorf("settlement %d %s: baseline made by %q, Compute by %q", in.Settlements[i].ID, name, f.Method(name), want)
			}
		}
		if f.NearestSchool != cf.NearestSchool || f.NearestClinic != cf.NearestClinic || f.NearestHospital != cf.NearestHospital {
			t.Errorf("settlement %d: nearest %d %d %d, Compute %d %d %d", in.Settlements[i].ID, f.NearestSchool, f.NearestClinic, f.NearestHospital, cf.NearestSchool, cf.NearestClinic, cf.NearestHospital)
		}
	}
	n := 0
	for _, av := range res.Areas {
		if v, ok := base.areaVals[areaKey{av.Area, av.Indicator}]; ok {
			n++
			if !near(v, av.Value) {
				t.Errorf("area %d %s: baseline %v, Compute %v", av.Area, av.Indicator, v, av.Value)
			}
		}
	}
	if n != len(base.areaVals) {
		t.Errorf("Compute has %d of the baseline's %d area values", n, len(base.areaVals))
	}
}

// randomProjects is a SYNTHETIC scenario of n projects of the given kinds.
func randomProjects(rng *rand.Rand, base *Baseline, n int, kinds []Kind) []Project {
	in := base.in
	open := map[int64]string{}
	for _, f := range in.Facilities {
		open[f.ID] = f.Kind
	}
	paved := map[int64]bool{}
	lon0, lat0 := in.Roads[0].Line[0][0], in.Roads[0].Line[0][1]
	var out []Project
	for k := 0; len(out) < n && k < 50*n; k++ {
		p := Project{ID: int64(len(out) + 1), Kind: kinds[rng.IntN(len(kinds))], CostKZT: float64(1 + rng.IntN(100)), Status: Planned}
		switch p.Kind {
		case OpenFacility:
			p.FacilityKind = []string{"school", "medical_post", "feldsher_post", "clinic", "polyclinic", "hospital"}[rng.IntN(6)]
			p.Point = orb.Point{lon0 + rng.Float64()*0.12, lat0 + rng.Float64()*0.1}
			open[int64(-len(out)-1)] = p.FacilityKind
		case CloseFacility, DowngradeFacility:
			var ids []int64
			for id, kind := range open {
				l, ok := access.LevelOfKind(kind)
				if p.Kind == CloseFacility || (ok && l > access.MedicalPost) {
					ids = append(ids, id)
				}
			}
			if len(ids) == 0 {
				continue
			}
			slices.Sort(ids)
			p.FacilityID = ids[rng.IntN(len(ids))]
			if p.Kind == CloseFacility {
				delete(open, p.FacilityID)
				break
			}
			l, _ := access.LevelOfKind(open[p.FacilityID])
			lower := []string{"", "medical_post", "feldsher_post", "clinic", "polyclinic"}[1+rng.IntN(int(l)-1)]
			p.FacilityKind = lower
			open[p.FacilityID] = lower
		case PaveRoad:
			for range 1 + rng.IntN(3) {
				r := in.Roads[rng.IntN(len(in.Roads))]
				if !r.Paved && !paved[r.ID] {
					p.RoadIDs = append(p.RoadIDs, r.ID)
					paved[r.ID] = true
				}
			}
			if len(p.RoadIDs) == 0 {
				continue
			}
		case BuildRoad:
			a := in.Roads[rng.IntN(len(in.Roads))].Line[0]
			b := in.Roads[rng.IntN(len(in.Roads))].Line[0]
			if a == b {
				continue
			}
			p.Line = orb.LineString{a, {(a[0]+b[0])/2 + 0.001, (a[1]+b[1])/2 - 0.001}, b}
			p.RoadClass = []string{"secondary", "tertiary", "track"}[rng.IntN(3)]
		}
		out = append(out, p)
	}
	return out
}

// TestEvaluateEqualsFullRecompute is the property test: on SYNTHETIC random
// graphs with fixed seeds, every project kind alone and mixed, Evaluate gives
// what a full recompute with the projects applied gives, to 1e-9.
func TestEvaluateEqualsFullRecompute(t *testing.T) {
	mixes := map[string][]Kind{
		"open":      {OpenFacility},
		"close":     {CloseFacility},
		"downgrade": {DowngradeFacility},
		"pave":      {PaveRoad},
		"build":     {BuildRoad},
		"mixed":     Kinds,
	}
	changed := map[string]int{}
	defer func() {
		for name := range mixes {
			if changed[name] == 0 {
				t.Errorf("%s: no scenario changed any settlement: the test tests nothing", name)
			}
		}
	}()
	for _, seed := range []uint64{1, 2, 3} {
		in := syntheticInput(seed, 14, 12, 60)
		base, err := NewBaseline(in, access.DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"open", "close", "downgrade", "pave", "build", "mixed"} {
			for _, n := range []int{1, 4, 12} {
				t.Run(fmt.Sprintf("seed%d/%s/%d", seed, name, n), func(t *testing.T) {
					rng := rand.New(rand.NewPCG(seed, uint64(n)))
					projects := randomProjects(rng, base, n, mixes[name])
					res, err := base.Evaluate(projects)
					if err != nil {
						t.Fatal(err)
					}
					compare(t, base, fullRecompute(t, base, in, projects), res)
					t.Logf("%d projects: %d settlements, %d area values changed", len(projects), len(res.Settlements), len(res.Areas))
					changed[name] += len(res.Settlements)
				})
			}
		}
		// Evaluate left the baseline as it was: nothing changes with no projects.
		if res, err := base.Evaluate(nil); err != nil || len(res.Settlements) != 0 || len(res.Areas) != 0 {
			t.Fatalf("seed %d: an empty scenario after the others changed %d settlements, %d area values (err %v)", seed, len(res.Settlements), len(res.Areas), err)
		}
	}
}

// TestHandWorked is a tiny SYNTHETIC example worked by hand: one straight
// road along the equator at 36 km/h (10 m/s), a settlement of 1,000 people on
// it at 0°E, a school and a clinic at 0.05°E. Along the equator one degree is
// 2πR/360 m.
func TestHandWorked(t *testing.T) {
	line := orb.LineString{}
	for k := 0; k <= 10; k++ {
		line = append(line, orb.Point{float64(k) * 0.01, 0})
	}
	in := &access.Input{
		Roads:       []route.Road{{ID: 1, Line: line, Class: "track", SpeedKmh: 36, Paved: true}},
		Settlements: []access.Settlement{{ID: 1, Point: orb.Point{0, 0}, Population: 1000, Place: "village", District: 1000, Oblast: 100}},
		Facilities: []access.Facility{
			{ID: 7, Kind: "school", Point: orb.Point{0.05, 0}, Capacity: math.NaN()},
			{ID: 8, Kind: "clinic", Point: orb.Point{0.05, 0}, Capacity: math.NaN()},
		},
		Areas: []access.Area{{ID: 1, Level: "country", Population: math.NaN()}, {ID: 100, Level: "oblast", Population: math.NaN()},
			{ID: 1000, Level: "district", Group: 10, Parent: 100, Population: math.NaN()}},
	}
	base, err := NewBaseline(in, access.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	deg := 2 * math.Pi * orb.EarthRadius / 360 / 1000 // km per degree of longitude at the equator
	// The graph keeps edge lengths and times in float32: a hand-worked figure
	// agrees to float32's precision, not to 1e-9.
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-6*math.Max(1, math.Abs(b)) }
	f := base.Figures(0)
	if !near(f.SchoolKm, 0.05*deg) || !near(f.SchoolMin, 0.05*deg*1000/10/60) || f.NearestSchool != 7 {
		t.Fatalf("baseline school %.6f km %.4f min (#%d), want %.6f km %.4f min (#7)", f.SchoolKm, f.SchoolMin, f.NearestSchool, 0.05*deg, 0.05*deg*100/60)
	}
	// 5.56 km: no school within 3 km; a clinic (ambulatory) 5.56 km away is beyond the 2 km of a village of 1,000.
	if f.SRS.School == nil || *f.SRS.School || f.SRS.Health == nil || *f.SRS.Health {
		t.Fatalf("baseline standards %+v, want school and health not met", f.SRS)
	}
	res, err := base.Evaluate([]Project{
		{ID: 1, Kind: OpenFacility, FacilityKind: "school", Point: orb.Point{0.02, 0.001}, CostKZT: 500e6},
		{ID: 2, Kind: OpenFacility, FacilityKind: "feldsher_post", Point: orb.Point{0.01, 0}, CostKZT: 100e6},
		{ID: 3, Kind: CloseFacility, FacilityID: 8},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Settlements) != 1 {
		t.Fatalf("%d settlements changed, want 1", len(res.Settlements))
	}
	a := res.Settlements[0].After
	// The new school stands 0.001° north of the road: its snap is at 0.02°E, and
	// the walk from it (0.001° of latitude ≈ 111 m at 5 km/h) counts in the time only.
	walk := orbgeo.DistanceHaversine(orb.Point{0.02, 0.001}, orb.Point{0.02, 0})
	wantMin := 0.02*deg*1000/10/60 + walk/(5/3.6)/60
	if !near(a.SchoolKm, 0.02*deg+walk/1000) || !near(a.SchoolMin, wantMin) || a.NearestSchool != -1 {
		t.Errorf("school after: %.6f km %.4f min (#%d), want %.6f km %.4f min (#-1)", a.SchoolKm, a.SchoolMin, a.NearestSchool, 0.02*deg+walk/1000, wantMin)
	}
	if !near(a.ClinicKm, 0.01*deg) || a.NearestClinic != -2 || !math.IsNaN(a.HospitalKm) && a.NearestHospital != 0 {
		t.Errorf("clinic after: %.6f km (#%d), want %.6f km (#-2)", a.ClinicKm, a.NearestClinic, 0.01*deg)
	}
	// A village of 1,000 needs a feldsher post within 2 km: 1.11 km meets it;
	// the school at 2.33 km meets the 3 km standard.
	if a.SRS.School == nil || !*a.SRS.School || a.SRS.Health == nil || !*a.SRS.Health {
		t.Errorf("standards after %+v, want school and health met", a.SRS)
	}
	if res.NewlyServed != 1000 || res.CostKZT != 600e6 || res.CostPerPerson != 600e3 {
		t.Errorf("newly served %v, cost %v, per person %v; want 1000, 6e8, 6e5", res.NewlyServed, res.CostKZT, res.CostPerPerson)
	}
	for _, s := range res.Standards {
		if (s.Standard == "school" || s.Standard == "health") && (s.Newly != 1000 || s.After.Meets != 1000) {
			t.Errorf("standard %s: %+v, want 1000 newly meeting", s.Standard, s)
		}
	}
	compare(t, base, fullRecompute(t, base, in, []Project{
		{ID: 1, Kind: OpenFacility, FacilityKind: "school", Point: orb.Point{0.02, 0.001}},
		{ID: 2, Kind: OpenFacility, FacilityKind: "feldsher_post", Point: orb.Point{0.01, 0}},
		{ID: 3, Kind: CloseFacility, FacilityID: 8},
	}), res)
}

// TestEvaluateErrors: a project Evaluate cannot apply is named, and the
// baseline stays as it was.
func TestEvaluateErrors(t *testing.T) {
	in := syntheticInput(5, 8, 8, 20)
	base, err := NewBaseline(in, access.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	for name, p := range map[string]Project{
		"unknown facility":   {ID: 9, Kind: CloseFacility, FacilityID: 999},
		"upgrade":            {ID: 9, Kind: DowngradeFacility, FacilityID: 5, FacilityKind: "hospital"},
		"unknown road":       {ID: 9, Kind: PaveRoad, RoadIDs: []int64{99999}},
		"short line":         {ID: 9, Kind: BuildRoad, Line: orb.LineString{{70, 45}}, RoadClass: "track"},
		"no kind":            {ID: 9, Kind: OpenFacility, Point: orb.Point{70, 45}},
		"bad point":          {ID: 9, Kind: OpenFacility, FacilityKind: "school", Point: orb.Point{270, 45}},
		"unknown kind":       {ID: 9, Kind: "demolish"},
		"line off the roads": {ID: 9, Kind: BuildRoad, Line: orb.LineString{{10, 10}, {10.1, 10}}, RoadClass: "track"},
	} {
		open := Project{ID: 1, Kind: OpenFacility, FacilityKind: "school", Point: in.Settlements[0].Point}
		if _, err := base.Evaluate([]Project{open, p}); err == nil {
			t.Errorf("%s: no error", name)
		} else if want := fmt.Sprintf("project 9 (#2, %s)", p.Kind); !containsStr(err.Error(), want) {
			t.Errorf("%s: %v does not name %q", name, err, want)
		}
	}
	if res, err := base.Evaluate(nil); err != nil || len(res.Settlements) != 0 {
		t.Fatalf("after failed scenarios: %d settlements changed, err %v", len(res.Settlements), err)
	}
}

func containsStr(s, sub string) bool { return strings.Contains(s, sub) }

// TestGridKnownPaths: on a SYNTHETIC 9×9 grid of roads at the equator, 1/1024°
// (about 109 m) apart at 36 km/h, a settlement at every junction, one school
// in the corner (0,0). The way to school is the Manhattan distance in edges
// times one edge; opening a school at (6,3) and closing the corner one leaves
// every junction the Manhattan distance to (6,3).
func TestGridKnownPaths(t *testing.T) {
	const n, d = 9, 1.0 / 1024
	pt := func(i, j int) orb.Point { return orb.Point{float64(i) * d, float64(j) * d} }
	in := &access.Input{Areas: []access.Area{{ID: 1, Level: "country", Population: math.NaN()}}}
	id := int64(1)
	for j := range n {
		for i := range n {
			if i+1 < n {
				in.Roads = append(in.Roads, route.Road{ID: id, Line: orb.LineString{pt(i, j), pt(i+1, j)}, Class: "track", SpeedKmh: 36})
				id++
			}
			if j+1 < n {
				in.Roads = append(in.Roads, route.Road{ID: id, Line: orb.LineString{pt(i, j), pt(i, j+1)}, Class: "track", SpeedKmh: 36})
				id++
			}
			in.Settlements = append(in.Settlements, access.Settlement{ID: int64(j*n + i + 1), Point: pt(i, j), Population: 100, Place: "village"})
		}
	}
	in.Facilities = []access.Facility{{ID: 1, Kind: "school", Point: pt(0, 0), Capacity: math.NaN()}}
	base, err := NewBaseline(in, access.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	edgeKm := orbgeo.DistanceHaversine(pt(0, 0), pt(1, 0)) / 1000
	// Edges differ by latitude by less than 1e-4 of their length; the graph keeps float32.
	check := func(what string, km func(i int) float64, want func(i, j int) float64) {
		t.Helper()
		for j := range n {
			for i := range n {
				got, w := km(j*n+i), want(i, j)*edgeKm
				if math.Abs(got-w) > 1e-4*math.Max(w, edgeKm) {
					t.Fatalf("%s: junction (%d,%d): %.6f km, want %.6f", what, i, j, got, w)
				}
			}
		}
	}
	abs := func(x int) float64 { return math.Abs(float64(x)) }
	check("baseline", func(i int) float64 { return base.figs[i].SchoolKm }, func(i, j int) float64 { return float64(i + j) })
	for j := range n {
		for i := range n {
			if f := base.figs[j*n+i]; !near(f.SchoolMin, f.SchoolKm*1000/10/60) {
				t.Fatalf("(%d,%d): %v min for %v km at 10 m/s", i, j, f.SchoolMin, f.SchoolKm)
			}
		}
	}
	res, err := base.Evaluate([]Project{
		{ID: 1, Kind: OpenFacility, FacilityKind: "school", Point: pt(6, 3)},
		{ID: 2, Kind: CloseFacility, FacilityID: 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	after := slices.Clone(base.figs)
	for _, c := range res.Settlements {
		after[c.Index] = c.After
	}
	check("after", func(i int) float64 { return after[i].SchoolKm }, func(i, j int) float64 { return abs(i-6) + abs(j-3) })
	// Only the opened school serves anyone now: every junction changed.
	if len(res.Settlements) != n*n {
		t.Errorf("%d settlements changed, want all %d", len(res.Settlements), n*n)
	}
	for _, f := range after {
		if f.NearestSchool != -1 {
			t.Fatalf("nearest school %d, want the opened one (-1)", f.NearestSchool)
		}
	}
}

// TestEvaluateConcurrent: evaluations of one baseline from several goroutines
// give what they give one at a time (run with -race).
func TestEvaluateConcurrent(t *testing.T) {
	in := syntheticInput(9, 10, 10, 40)
	base, err := NewBaseline(in, access.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(9, 9))
	var scenarios [][]Project
	var want []int
	for range 6 {
		ps := randomProjects(rng, base, 5, Kinds)
		res, err := base.Evaluate(ps)
		if err != nil {
			t.Fatal(err)
		}
		scenarios, want = append(scenarios, ps), append(want, len(res.Settlements))
	}
	got := make([]int, len(scenarios))
	done := make(chan struct{})
	for k, ps := range scenarios {
		go func() {
			defer func() { done <- struct{}{} }()
			if res, err := base.Evaluate(ps); err == nil {
				got[k] = len(res.Settlements)
			}
		}()
	}
	for range scenarios {
		<-done
	}
	if !slices.Equal(got, want) {
		t.Errorf("concurrent evaluations changed %v settlements, one at a time %v", got, want)
	}
}

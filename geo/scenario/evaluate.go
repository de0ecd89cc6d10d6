package scenario

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/disparity"
	"github.com/aimaq/aimaq/geo/route"
	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
)

// ErrProject is wrapped by Evaluate's errors about a project it cannot apply.
var ErrProject = errors.New("scenario: invalid project")

// ProjectError is Evaluate's error about one project: which (Index, from 0,
// in the list given; its ID and Kind) and why. Err wraps ErrProject when the
// project is one the engine refuses.
type ProjectError struct {
	Index int
	ID    int64
	Kind  Kind
	Err   error
}

func (e *ProjectError) Error() string {
	return fmt.Sprintf("scenario.Evaluate: project %d (#%d, %s): %v", e.ID, e.Index+1, e.Kind, e.Err)
}

func (e *ProjectError) Unwrap() error { return e.Err }

// Result is what a scenario changes against its baseline.
type Result struct {
	// Settlements lists every settlement whose figures change, in input order.
	Settlements []SettlementChange
	// Areas lists every area indicator value that changes (absent before or
	// after: NaN), ordered by area and indicator.
	Areas []AreaChange
	// Standards are the regional standards (health, school, road) before and after.
	Standards []StandardChange
	// Disparity is Theil T between and within macroregions over the districts,
	// before and after, per indicator (disparityIndicators); nil where undefined.
	Disparity []DisparityChange
	// CostKZT is the projects' total cost; NewlyServed the population of the
	// settlements that meet at least one standard they did not meet before;
	// CostPerPerson their ratio, NaN when nobody is newly served.
	CostKZT, NewlyServed, CostPerPerson float64
}

// SettlementChange is one settlement's figures before and after.
type SettlementChange struct {
	Index         int   // in the baseline's input
	ID            int64 // settlement id
	Population    int
	Before, After Figures
}

// AreaChange is one area's value of one indicator before and after.
type AreaChange struct {
	Area          int64
	Indicator     string
	Before, After float64
}

// StandardChange is one regional standard: the population it applies to and
// the population meeting it, before and after; Newly is the population of
// settlements that meet it after but not before, Lost the reverse.
type StandardChange struct {
	Standard      string // health, school, road
	Before, After Totals
	Newly, Lost   float64
}

// DisparityChange is one indicator's Theil T decomposition before and after.
type DisparityChange struct {
	Indicator     string
	Before, After *disparity.Decomposition
}

// evaluation is one Evaluate's state.
type evaluation struct {
	b        *Baseline
	ed       *route.Editor
	j        route.Journal
	fields   []*route.Field // per target: the baseline's field, edited in place
	src      []map[int64]int32
	srcOwned []bool
	pts      [][]orb.Point // per target, nil while unchanged
	ids      [][]int64
	dirty    []map[int32]bool // per target: settlements to answer again
	paved    map[int32]float64
	// pavedLines are the lines paved or built: paved distances do not enter
	// the searches, so every settlement is measured against them once, at the end.
	pavedLines []orb.LineString
	kinds      map[int64]string // facility id → kind, where a project changed it ("" = closed)
}

// Evaluate applies projects in order to the baseline and reports what they
// change. Only what the projects can change is recomputed:
//   - an opened facility: a search from it that settles only the nodes it
//     brings nearer than their nearest facility, and the settlements on them;
//   - a closed facility, or one downgraded below a level: the nodes it was
//     nearest to, searched again from the edges leaving them and the other
//     facilities inside them;
//   - a paved or built road: its edges offer their ends a lower cost, and the
//     search spreads only where costs drop (paving and building only make
//     travel faster); the nearest paved road of every settlement is measured
//     against the new paved lines.
//
// Settlements keep their baseline snap: a built road carries traffic between
// the junctions it joins, and facilities and settlements stay snapped where
// they were. Evaluations of one baseline run one at a time.
func (b *Baseline) Evaluate(projects []Project) (_ *Result, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	ev := &evaluation{b: b, paved: map[int32]float64{}, kinds: map[int64]string{}}
	defer ev.j.Undo()
	if b.g != nil {
		ev.ed = b.g.NewEditor(b.out, b.o.Speeds, &ev.j)
	}
	nt := len(b.targets)
	ev.fields, ev.src, ev.srcOwned = make([]*route.Field, nt), make([]map[int64]int32, nt), make([]bool, nt)
	ev.pts, ev.ids, ev.dirty = make([][]orb.Point, nt), make([][]int64, nt), make([]map[int32]bool, nt)
	for k, t := range b.targets {
		ev.fields[k], ev.src[k], ev.dirty[k] = t.field, t.src, map[int32]bool{}
	}
	var cost float64
	for k, p := range projects {
		if err := ev.apply(k, p); err != nil {
			return nil, &ProjectError{Index: k, ID: p.ID, Kind: p.Kind, Err: err}
		}
		if p.CostKZT > 0 {
			cost += p.CostKZT
		}
	}
	return ev.result(cost), nil
}

// kindOf is facility id's kind now ("" = none).
func (ev *evaluation) kindOf(id int64) string {
	if k, ok := ev.kinds[id]; ok {
		return k
	}
	if i, ok := ev.b.fac[id]; ok {
		return ev.b.in.Facilities[i].Kind
	}
	return ""
}

func (ev *evaluation) apply(k int, p Project) error {
	switch p.Kind {
	case OpenFacility:
		return ev.open(k, p)
	case CloseFacility:
		return ev.change(p.FacilityID, "")
	case DowngradeFacility:
		lvl, ok := access.LevelOfKind(p.FacilityKind)
		if !ok {
			return fmt.Errorf("%w: facility_kind %q is not a health facility", ErrProject, p.FacilityKind)
		}
		old, ok := access.LevelOfKind(ev.kindOf(p.FacilityID))
		if !ok {
			return fmt.Errorf("%w: facility_id %d is not an open health facility", ErrProject, p.FacilityID)
		}
		if lvl >= old {
			return fmt.Errorf("%w: facility_kind %q is not below the facility's level", ErrProject, p.FacilityKind)
		}
		return ev.change(p.FacilityID, p.FacilityKind)
	case PaveRoad:
		return ev.pave(p)
	case BuildRoad:
		return ev.build(p)
	}
	return fmt.Errorf("%w: kind %q", ErrProject, p.Kind)
}

// open adds a facility to every target set it belongs to.
func (ev *evaluation) open(k int, p Project) error {
	if p.FacilityKind == "" {
		return fmt.Errorf("%w: facility_kind is empty", ErrProject)
	}
	if !validPoint(p.Point) {
		return fmt.Errorf("%w: point %v is not a lon/lat position", ErrProject, p.Point)
	}
	id := int64(-(k + 1))
	ev.kinds[id] = p.FacilityKind
	var sn route.Snap
	snapped := false
	if ev.b.g != nil {
		sn, snapped = ev.b.sn.Snap(p.Point, ev.b.o.MaxSnapMetres)
	}
	for t, tg := range ev.b.targets {
		if !tg.has(p.FacilityKind) {
			continue
		}
		ev.addPoint(t, id, p.Point)
		if !snapped {
			continue
		}
		if ev.fields[t] == nil { // the set had no facility on the network
			ev.fields[t] = ev.b.g.MultiSource(nil, route.ByTime, ev.b.o.Speeds)
		}
		ev.ownSrc(t)
		ev.src[t][id] = int32(len(ev.fields[t].IDs))
		ev.touch(t, ev.ed.AddSource(ev.fields[t], route.Source{Snap: sn, ID: id}), []uint32{sn.Link})
	}
	return nil
}

// change closes facility id (kind "") or turns it into kind, taking it out of
// every target set it leaves.
func (ev *evaluation) change(id int64, kind string) error {
	old := ev.kindOf(id)
	if old == "" {
		return fmt.Errorf("%w: facility_id %d is not an open facility", ErrProject, id)
	}
	ev.kinds[id] = kind
	for t, tg := range ev.b.targets {
		if !tg.has(old) || (kind != "" && tg.has(kind)) {
			continue
		}
		ev.dropPoint(t, id)
		s, ok := ev.src[t][id]
		if !ok || ev.fields[t] == nil {
			continue
		}
		ev.ownSrc(t)
		delete(ev.src[t], id)
		link, _ := ev.fields[t].SourceLink(s)
		ev.touch(t, ev.ed.RemoveSource(ev.fields[t], s), []uint32{link})
	}
	return nil
}

// ownSrc copies target t's source map before its first change.
func (ev *evaluation) ownSrc(t int) {
	if !ev.srcOwned[t] {
		ev.src[t] = maps.Clone(ev.src[t])
		if ev.src[t] == nil {
			ev.src[t] = map[int64]int32{}
		}
		ev.srcOwned[t] = true
	}
}

// addPoint and dropPoint change target t's straight-line list; every
// settlement answered by the straight-line rule is answered again.
func (ev *evaluation) addPoint(t int, id int64, p orb.Point) {
	ev.ownPoints(t)
	ev.pts[t], ev.ids[t] = append(ev.pts[t], p), append(ev.ids[t], id)
}

func (ev *evaluation) dropPoint(t int, id int64) {
	ev.ownPoints(t)
	if j := slices.Index(ev.ids[t], id); j >= 0 {
		ev.pts[t] = slices.Delete(ev.pts[t], j, j+1)
		ev.ids[t] = slices.Delete(ev.ids[t], j, j+1)
	}
}

func (ev *evaluation) ownPoints(t int) {
	if ev.pts[t] != nil || ev.ids[t] != nil {
		return
	}
	tg := ev.b.targets[t]
	ev.pts[t], ev.ids[t] = slices.Clone(tg.pts), slices.Clone(tg.ids)
	if ev.pts[t] == nil {
		ev.pts[t], ev.ids[t] = []orb.Point{}, []int64{}
	}
	for _, i := range tg.direct {
		ev.dirty[t][i] = true
	}
}

// touch marks the settlements of target t on changed nodes or links dirty.
func (ev *evaluation) touch(t int, nodes, links []uint32) {
	for _, v := range nodes {
		for _, i := range ev.b.byNode[v] {
			ev.dirty[t][i] = true
		}
	}
	for _, l := range links {
		for _, i := range ev.b.byLink[l] {
			ev.dirty[t][i] = true
		}
	}
}

// lower spreads faster or new links through every field.
func (ev *evaluation) lower(links []uint32) {
	for t, f := range ev.fields {
		if f != nil {
			ev.touch(t, ev.ed.Lower(f, links), links)
		}
	}
}

// pave paves the roads p names: their links travel at the paved speed of
// their class, and they count as paved roads.
func (ev *evaluation) pave(p Project) error {
	b := ev.b
	if b.g == nil {
		return fmt.Errorf("%w: the baseline has no roads to pave", ErrProject)
	}
	if len(p.RoadIDs) == 0 {
		return fmt.Errorf("%w: road_ids is empty (paving a drawn line is not supported yet)", ErrProject)
	}
	var changed []uint32
	var lines []orb.LineString
	for _, id := range p.RoadIDs {
		ri, ok := b.roads[id]
		if !ok {
			return fmt.Errorf("%w: road_ids: road %d is not in the baseline", ErrProject, id)
		}
		r := b.in.Roads[ri]
		if r.Paved {
			continue
		}
		links := b.roadLinks[ri]
		metres, err := b.g.LinkMetres(r, links)
		if err != nil {
			return err
		}
		r.Paved = true
		kmh := b.o.Speeds.RoadKmh(r)
		for k, l := range links {
			if err := ev.ed.SetLinkSpeed(l, metres[k], kmh); err != nil {
				return fmt.Errorf("%w: road %d: %w", ErrProject, id, err)
			}
			changed = append(changed, l)
			if r.Class != route.FerryClass {
				lines = append(lines, b.g.LinkLine(l))
			}
		}
	}
	ev.lower(changed)
	ev.pavedLines = append(ev.pavedLines, lines...)
	return nil
}

// builtRoad is the road project p builds: its line, from the junction nearest
// its first point to the one nearest its last, through its inner points; a
// paved road of p's class. a and c are the junctions' nodes.
func (b *Baseline) builtRoad(p Project) (r route.Road, a, c uint32, err error) {
	if b.g == nil {
		return r, 0, 0, fmt.Errorf("%w: the baseline has no roads to join", ErrProject)
	}
	if len(p.Line) < 2 {
		return r, 0, 0, fmt.Errorf("%w: line has %d points, needs 2 or more", ErrProject, len(p.Line))
	}
	for _, q := range p.Line {
		if !validPoint(q) {
			return r, 0, 0, fmt.Errorf("%w: line point %v is not a lon/lat position", ErrProject, q)
		}
	}
	if p.RoadClass == "" {
		return r, 0, 0, fmt.Errorf("%w: road_class is empty", ErrProject)
	}
	junction := func(q orb.Point, end string) (uint32, error) {
		sn, ok := b.sn.Snap(q, b.o.MaxSnapMetres)
		if !ok {
			return 0, fmt.Errorf("%w: line's %s point %v is more than %.0f m from any road", ErrProject, end, q, b.o.MaxSnapMetres)
		}
		x, y := b.g.LinkEnds(sn.Link)
		if orbgeo.DistanceHaversine(q, b.g.Node(y)) < orbgeo.DistanceHaversine(q, b.g.Node(x)) {
			return y, nil
		}
		return x, nil
	}
	if a, err = junction(p.Line[0], "first"); err != nil {
		return r, 0, 0, err
	}
	if c, err = junction(p.Line[len(p.Line)-1], "last"); err != nil {
		return r, 0, 0, err
	}
	if a == c {
		return r, 0, 0, fmt.Errorf("%w: line starts and ends at the same junction", ErrProject)
	}
	line := orb.LineString{b.g.Node(a)}
	line = append(line, p.Line[1:len(p.Line)-1]...)
	line = append(line, b.g.Node(c))
	return route.Road{ID: -p.ID, Line: line, Class: p.RoadClass, Paved: true}, a, c, nil
}

// build adds the road p builds as one new link between two junctions.
func (ev *evaluation) build(p Project) error {
	r, a, c, err := ev.b.builtRoad(p)
	if err != nil {
		return err
	}
	kmh := ev.b.o.Speeds.RoadKmh(r)
	if !(kmh > 0) || math.IsInf(kmh, 0) {
		return fmt.Errorf("%w: road_class %q has no speed", ErrProject, p.RoadClass)
	}
	var metres float64
	for i := 1; i < len(r.Line); i++ {
		metres += orbgeo.DistanceHaversine(r.Line[i-1], r.Line[i])
	}
	l := ev.ed.AddLink(a, c, float32(metres/(kmh/3.6)), float32(metres), false)
	ev.lower([]uint32{l})
	ev.pavedLines = append(ev.pavedLines, r.Line)
	return nil
}

// newPaved measures every settlement against newly paved lines, as the
// paved-road search measures them.
func (ev *evaluation) newPaved(lines []orb.LineString) {
	b := ev.b
	best := map[int32]float64{}
	for _, l := range lines {
		box := l.Bound()
		boxCos := math.Min(math.Cos(box.Min[1]*math.Pi/180), math.Cos(box.Max[1]*math.Pi/180))
		centre := box.Center()
		radius := orbgeo.DistanceHaversine(centre, box.Max) + orbgeo.DistanceHaversine(centre, box.Min) + maxPavedSearchMetres
		b.settlIx.Within(centre, radius, func(i int, _ float64) {
			cur, ok := best[int32(i)]
			if !ok {
				if cur = b.paved[i]; math.IsNaN(cur) {
					cur = math.Inf(1)
				}
			}
			// A lower bound of the distance to the line's box: skip what cannot improve.
			if lb := boxMetres(b.in.Settlements[i].Point, b.cosLat[i], boxCos, box); lb > maxPavedSearchMetres || lb >= cur {
				return
			}
			if d := route.LineDistance(b.in.Settlements[i].Point, l); d < cur && d <= maxPavedSearchMetres {
				best[int32(i)] = d
			}
		})
	}
	for i, d := range best {
		ev.paved[i] = d
	}
}

// boxMetres is a lower bound of the distance from p (cosLat the cosine of
// its latitude) to anything in box, for boxes away from the poles: degrees
// of latitude and of longitude (at the larger of p's and the box's
// latitudes), with a margin, so that it never skips a closer line.
func boxMetres(p orb.Point, cosLat, boxCos float64, box orb.Bound) float64 {
	dlon := math.Max(0, math.Max(box.Min[0]-p[0], p[0]-box.Max[0]))
	dlat := math.Max(0, math.Max(box.Min[1]-p[1], p[1]-box.Max[1]))
	m := orb.EarthRadius * math.Pi / 180
	return 0.99*math.Max(dlat*m, dlon*m*math.Min(cosLat, boxCos)) - 10
}

func validPoint(p orb.Point) bool {
	return p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90
}

// result answers every dirty settlement again and adds up what changed.
func (ev *evaluation) result(cost float64) *Result {
	b := ev.b
	ev.newPaved(ev.pavedLines)
	after := map[int32]*Figures{}
	cand := map[int32]bool{}
	for t := range b.targets {
		for i := range ev.dirty[t] {
			cand[i] = true
		}
	}
	for i := range ev.paved {
		cand[i] = true
	}
	newReach := make([]map[int32]reach, len(b.targets))
	for t, tg := range b.targets {
		newReach[t] = map[int32]reach{}
		if len(ev.dirty[t]) == 0 {
			continue
		}
		view := *tg // the same target with the scenario's facility list
		if ev.pts[t] != nil {
			view.pts, view.ids, view.ix = ev.pts[t], ev.ids[t], nil
		}
		for i := range ev.dirty[t] {
			newReach[t][i] = b.reachOf(&view, ev.fields[t], ev.ed, int(i))
		}
	}
	ids := make([]int32, 0, len(cand))
	for i := range cand {
		ids = append(ids, i)
	}
	slices.Sort(ids)
	res := &Result{CostKZT: cost}
	for _, i := range ids {
		paved := b.paved[i]
		if v, ok := ev.paved[i]; ok {
			paved = v
		}
		f := b.figures(int(i), func(t int) reach {
			if r, ok := newReach[t][i]; ok {
				return r
			}
			return b.targets[t].reach[i]
		}, paved)
		if sameFigures(&f, &b.figs[i]) {
			continue
		}
		after[i] = &f
		s := b.in.Settlements[i]
		res.Settlements = append(res.Settlements, SettlementChange{Index: int(i), ID: s.ID, Population: s.Population, Before: b.figs[i], After: f})
	}
	fig := func(i int) *Figures {
		if f, ok := after[int32(i)]; ok {
			return f
		}
		return &b.figs[i]
	}
	// Areas: only those holding a changed settlement.
	touched := map[int64]bool{}
	for i := range after {
		for _, id := range b.areas.of[i] {
			touched[id] = true
		}
	}
	areaIDs := make([]int64, 0, len(touched))
	for id := range touched {
		areaIDs = append(areaIDs, id)
	}
	slices.Sort(areaIDs)
	// Only the figures that changed somewhere are aggregated again.
	var figs [nFigures]bool
	for i, f := range after {
		va, vb := f.values(), b.figs[i].values()
		for k := range va {
			figs[k] = figs[k] || !(va[k] == vb[k] || math.IsNaN(va[k]) && math.IsNaN(vb[k]))
		}
	}
	newVals := map[areaKey]float64{}
	for _, id := range areaIDs {
		for _, ai := range areaIndicators {
			if !figs[ai.fig] {
				if v, ok := b.areaVals[areaKey{id, ai.in.Name}]; ok {
					newVals[areaKey{id, ai.in.Name}] = v
				}
			}
		}
		b.aggregate(id, fig, newVals, &figs)
		for _, ai := range areaIndicators {
			key := areaKey{id, ai.in.Name}
			bv, bok := b.areaVals[key]
			av, aok := newVals[key]
			if bok == aok && (!bok || bv == av) {
				continue
			}
			if !bok {
				bv = math.NaN()
			}
			if !aok {
				av = math.NaN()
			}
			res.Areas = append(res.Areas, AreaChange{Area: id, Indicator: ai.in.Name, Before: bv, After: av})
		}
	}
	// Standards.
	names := []string{"health", "school", "road"}
	pick := func(f *Figures, k int) *bool {
		return [3]*bool{f.SRS.Health, f.SRS.School, f.SRS.Road}[k]
	}
	served := map[int32]bool{}
	for k, name := range names {
		sc := StandardChange{Standard: name, Before: b.standard[k], After: b.standard[k]}
		for i, f := range after {
			pop := b.in.Settlements[i].Population
			was, is := pick(&b.figs[i], k), pick(f, k)
			sc.After.add(pop, was, -1)
			sc.After.add(pop, is, 1)
			met, meets := was != nil && *was, is != nil && *is
			switch {
			case meets && !met:
				sc.Newly += float64(pop)
				served[i] = true
			case met && !meets:
				sc.Lost += float64(pop)
			}
		}
		res.Standards = append(res.Standards, sc)
	}
	for i := range served {
		res.NewlyServed += float64(b.in.Settlements[i].Population)
	}
	res.CostPerPerson = math.NaN()
	if res.NewlyServed > 0 {
		res.CostPerPerson = cost / res.NewlyServed
	}
	// Disparity: the districts with their new values.
	all := b.areaVals
	if len(areaIDs) > 0 {
		all = make(map[areaKey]float64, len(b.areaVals))
		for k, v := range b.areaVals {
			if !touched[k.area] {
				all[k] = v
			}
		}
		for k, v := range newVals {
			all[k] = v
		}
	}
	theil := b.disparities(all)
	for _, name := range disparityIndicators {
		res.Disparity = append(res.Disparity, DisparityChange{Indicator: name, Before: b.theil[name], After: theil[name]})
	}
	return res
}

// sameFigures says whether two settlements' figures are equal (NaN equal to NaN).
func sameFigures(a, b *Figures) bool {
	same := func(x, y float64) bool { return x == y || (math.IsNaN(x) && math.IsNaN(y)) }
	va, vb := a.values(), b.values()
	for k := range va {
		if !same(va[k], vb[k]) {
			return false
		}
	}
	for k := range a.HealthKm {
		if !same(a.HealthKm[k], b.HealthKm[k]) {
			return false
		}
	}
	eq := func(x, y *bool) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	return a.NearestSchool == b.NearestSchool && a.NearestClinic == b.NearestClinic && a.NearestHospital == b.NearestHospital &&
		eq(a.SRS.Health, b.SRS.Health) && eq(a.SRS.School, b.SRS.School) && eq(a.SRS.Road, b.SRS.Road)
}

package scenario

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"sync"

	"github.com/aimaq/aimaq/geo"
	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/disparity"
	"github.com/aimaq/aimaq/geo/indicator"
	"github.com/aimaq/aimaq/geo/level"
	"github.com/aimaq/aimaq/geo/route"
	"github.com/paulmach/orb"
)

// maxPavedSearchMetres is access's bound on the search for the nearest paved
// road: beyond it paved_road_km is NaN.
const maxPavedSearchMetres = 200_000

// figureNames are the settlement indicators a scenario can change, in the
// order of Figures.values: the nearest school, health facility and hospital,
// the nearest paved road, and the standards' score.
var figureNames = []string{"school_km", "school_min", "clinic_km", "clinic_min", "hospital_km", "hospital_min", "paved_road_km", "srs_score"}

const (
	fSchoolKm = iota
	fSchoolMin
	fClinicKm
	fClinicMin
	fHospitalKm
	fHospitalMin
	fPavedKm
	fSRSScore
	nFigures
)

// Figures are one settlement's figures that a scenario can change.
type Figures struct {
	SchoolKm, SchoolMin     float64
	ClinicKm, ClinicMin     float64
	HospitalKm, HospitalMin float64
	PavedRoadKm             float64
	// NearestSchool, NearestClinic, NearestHospital are facility ids (0 = none;
	// a facility a scenario opens has the id -(its project's index + 1)).
	NearestSchool, NearestClinic, NearestHospital int64
	// HealthKm is the distance to the nearest health facility of each level
	// and above (access.HealthLevels order), as the standards read it.
	HealthKm [5]float64
	SRS      access.Check
	// SchoolStraight, ClinicStraight and HospitalStraight say that the
	// nearest school, health facility or hospital was found by the
	// straight-line rule (access.Options.Fallback), not over the network:
	// what Method reports (DESIGN.md, trust rules).
	SchoolStraight, ClinicStraight, HospitalStraight bool
}

// Method says how figure name (one of FigureNames) was made, as
// access.FigureMethod says it of a compute run's figures: network,
// straight-line (a distance by the straight-line rule, or paved_road_km,
// straight-line by definition), estimated (a time by the straight-line
// rule); "" for a figure with no value, the standards score, or a name the
// settlement catalogue does not know.
func (f *Figures) Method(name string) string {
	in, ok := indicator.LookupSettlement(name)
	k := slices.Index(figureNames, name)
	if !ok || k < 0 {
		return ""
	}
	var straight []string
	for _, t := range []struct {
		target string
		is     bool
	}{{"school", f.SchoolStraight}, {"clinic", f.ClinicStraight}, {"hospital", f.HospitalStraight}} {
		if t.is {
			straight = append(straight, t.target)
		}
	}
	return access.FigureMethod(in, !math.IsNaN(f.values()[k]), straight)
}

// FigureNames are the settlement indicators a scenario can change, in the
// catalogue's names.
func FigureNames() []string { return slices.Clone(figureNames) }

func (f *Figures) values() [nFigures]float64 {
	score := math.NaN()
	if f.SRS.Score != nil {
		score = *f.SRS.Score
	}
	return [nFigures]float64{f.SchoolKm, f.SchoolMin, f.ClinicKm, f.ClinicMin, f.HospitalKm, f.HospitalMin, f.PavedRoadKm, score}
}

// reach is one settlement's way to the nearest facility of one set.
type reach struct {
	km, min  float64
	id       int64 // 0 = none
	straight bool
}

// target is one facility set a compute run searches: schools, or health
// facilities of one level and above.
type target struct {
	school bool
	level  access.HealthLevel // of health targets
	field  *route.Field       // nil without roads or without snapped facilities
	src    map[int64]int32    // facility id → its source in field
	pts    []orb.Point        // every facility of the set, for the straight-line rule
	ids    []int64
	reach  []reach // per settlement
	direct []int32 // settlements answered by the straight-line rule
	ix     *geo.PointIndex
}

// has says whether a facility of kind belongs to t.
func (t *target) has(kind string) bool {
	if t.school {
		return access.Schools.Has(kind)
	}
	l, ok := access.LevelOfKind(kind)
	return ok && l >= t.level
}

// Baseline is what a compute run found, held in memory so that scenarios
// over it can be evaluated in milliseconds: the road graph, each facility
// set's multi-source field over its nodes, each settlement's nearest
// facilities and figures, and the area figures, standards and disparity
// indices they add up to. It is built once; Evaluate leaves it unchanged.
type Baseline struct {
	in *access.Input
	o  access.Options

	g       *route.Graph // nil without roads
	out     *route.OutIndex
	sn      *route.Snapper
	snaps   []route.Snap
	snapped []bool
	paved   []float64 // per settlement: straight-line metres to the nearest paved road; NaN beyond the bound
	cosLat  []float64 // per settlement
	settlIx *geo.PointIndex

	targets []*target // schools, then health levels in access.HealthLevels order
	byNode  map[uint32][]int32
	byLink  map[uint32][]int32
	// roads: road id → index in in.Roads; roadLinks: index → its links in order.
	roads     map[int64]int
	roadLinks map[int][]uint32
	fac       map[int64]int // facility id → index in in.Facilities

	figs     []Figures
	areas    areaSet
	areaVals map[areaKey]float64
	standard [3]Totals
	theil    map[string]*disparity.Decomposition

	mu sync.Mutex // Evaluate edits the fields in place and undoes its edits
}

// NewBaseline builds the baseline of in, with the same functions and options a
// compute run (access.Compute) uses: the figures it holds are the ones
// Compute finds for the indicators a scenario can change.
func NewBaseline(in *access.Input, o access.Options) (*Baseline, error) {
	return newBaseline(in, o, nil)
}

// newBaseline is NewBaseline, snapping with snapWith when it is not nil: the
// tests' full recompute of a built road keeps every snap of the baseline, as
// Evaluate does.
func newBaseline(in *access.Input, o access.Options, snapWith *route.Snapper) (_ *Baseline, err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("scenario.NewBaseline(%d settlements, %d facilities, %d roads): %w", len(in.Settlements), len(in.Facilities), len(in.Roads), err)
		}
	}()
	b := &Baseline{in: in, o: o, byNode: map[uint32][]int32{}, byLink: map[uint32][]int32{},
		roads: map[int64]int{}, roadLinks: map[int][]uint32{}, fac: map[int64]int{}}
	n := len(in.Settlements)
	b.snaps, b.snapped, b.paved = make([]route.Snap, n), make([]bool, n), make([]float64, n)
	b.cosLat = make([]float64, n)
	spts := make([]orb.Point, n)
	for i, s := range in.Settlements {
		spts[i] = s.Point
	}
	b.settlIx = geo.NewPointIndex(spts)
	for i := range b.paved {
		b.paved[i] = math.NaN()
		b.cosLat[i] = math.Cos(in.Settlements[i].Point[1] * math.Pi / 180)
	}
	for i, f := range in.Facilities {
		if _, dup := b.fac[f.ID]; dup {
			return nil, fmt.Errorf("facility %d (#%d): the id is used twice", f.ID, i)
		}
		b.fac[f.ID] = i
	}
	if len(in.Roads) > 0 {
		if b.g, err = route.Build(in.Roads, o.Speeds); err != nil {
			return nil, err
		}
		b.out = b.g.NewOutIndex()
		b.sn = b.g.NewSnapper()
		if snapWith == nil {
			snapWith = b.sn
		}
		for i, s := range in.Settlements {
			if sn, ok := snapWith.Snap(s.Point, o.MaxSnapMetres); ok {
				b.snaps[i], b.snapped[i] = sn, true
				a, c := b.g.LinkEnds(sn.Link)
				b.byNode[a] = append(b.byNode[a], int32(i))
				if c != a {
					b.byNode[c] = append(b.byNode[c], int32(i))
				}
				b.byLink[sn.Link] = append(b.byLink[sn.Link], int32(i))
			}
			if sn, ok := b.sn.SnapPaved(s.Point, maxPavedSearchMetres); ok {
				b.paved[i] = sn.OffMetres
			}
		}
		for i, r := range in.Roads {
			if _, dup := b.roads[r.ID]; !dup {
				b.roads[r.ID] = i
			}
		}
		for l := range uint32(b.g.Links()) {
			ri := b.g.LinkRoad(l)
			b.roadLinks[ri] = append(b.roadLinks[ri], l)
		}
	}
	b.targets = append(b.targets, &target{school: true})
	for _, lvl := range access.HealthLevels {
		b.targets = append(b.targets, &target{level: lvl})
	}
	facSnaps := map[orb.Point]route.Snap{}
	for _, t := range b.targets {
		t.src = map[int64]int32{}
		var src []route.Source
		for _, f := range in.Facilities {
			if !t.has(f.Kind) {
				continue
			}
			t.pts, t.ids = append(t.pts, f.Point), append(t.ids, f.ID)
			if b.g == nil {
				continue
			}
			sn, ok := facSnaps[f.Point]
			if !ok {
				if sn, ok = snapWith.Snap(f.Point, o.MaxSnapMetres); !ok {
					continue
				}
				facSnaps[f.Point] = sn
			}
			t.src[f.ID] = int32(len(src))
			src = append(src, route.Source{Snap: sn, ID: f.ID})
		}
		if len(src) > 0 {
			t.field = b.g.MultiSource(src, route.ByTime, o.Speeds)
		}
		t.reach = make([]reach, n)
		for i := range n {
			t.reach[i] = b.reachOf(t, t.field, nil, i)
			// With no facility of the set at all, the first one opened
			// answers it by the straight-line rule (or the network) too.
			if t.reach[i].straight || t.reach[i].id == 0 {
				t.direct = append(t.direct, int32(i))
			}
		}
	}
	b.figs = make([]Figures, n)
	for i := range n {
		b.figs[i] = b.figures(i, func(k int) reach { return b.targets[k].reach[i] }, b.paved[i])
	}
	b.areas = newAreaSet(in)
	b.areaVals = map[areaKey]float64{}
	b.areas.order = map[int64][][]int32{}
	for id, members := range b.areas.members {
		b.aggregate(id, func(i int) *Figures { return &b.figs[i] }, b.areaVals, nil)
		order := make([][]int32, nFigures)
		for k := range order {
			order[k] = slices.Clone(members)
			slices.SortStableFunc(order[k], func(x, y int32) int {
				vx, vy := b.figs[x].values()[k], b.figs[y].values()[k]
				switch {
				case vx < vy || math.IsNaN(vx) && !math.IsNaN(vy):
					return -1
				case vx > vy || !math.IsNaN(vx) && math.IsNaN(vy):
					return 1
				}
				return 0
			})
		}
		b.areas.order[id] = order
	}
	for i := range n {
		b.standard[0].add(in.Settlements[i].Population, b.figs[i].SRS.Health, 1)
		b.standard[1].add(in.Settlements[i].Population, b.figs[i].SRS.School, 1)
		b.standard[2].add(in.Settlements[i].Population, b.figs[i].SRS.Road, 1)
	}
	b.theil = b.disparities(b.areaVals)
	return b, nil
}

// reachOf answers settlement i for t from field (over the network, with ed's
// edge changes when ed is not nil), else by the straight-line rule over t's
// facilities, as access does.
func (b *Baseline) reachOf(t *target, field *route.Field, ed *route.Editor, i int) reach {
	if field != nil && b.snapped[i] {
		var r route.Reach
		if ed != nil {
			r = ed.At(field, b.snaps[i])
		} else {
			r = field.At(b.g, b.snaps[i], b.o.Speeds)
		}
		if r.OK {
			return reach{km: r.Metres / 1000, min: r.Secs / 60, id: r.SourceID}
		}
	}
	if len(t.pts) == 0 {
		return reach{km: math.NaN(), min: math.NaN()}
	}
	if t.ix == nil {
		t.ix = geo.NewPointIndex(t.pts)
	}
	j, m := t.ix.Nearest(b.in.Settlements[i].Point, nil)
	km, min := b.o.Fallback(m)
	return reach{km: km, min: min, id: t.ids[j], straight: true}
}

// figures assembles settlement i's figures from its reach of every target
// and its paved-road distance, and applies the standards with access.CheckSRS.
func (b *Baseline) figures(i int, of func(k int) reach, pavedMetres float64) Figures {
	s := b.in.Settlements[i]
	sch, cli, hos := of(0), of(1), of(len(b.targets)-1)
	f := Figures{SchoolKm: sch.km, SchoolMin: sch.min, NearestSchool: sch.id,
		ClinicKm: cli.km, ClinicMin: cli.min, NearestClinic: cli.id,
		HospitalKm: hos.km, HospitalMin: hos.min, NearestHospital: hos.id, PavedRoadKm: math.NaN(),
		SchoolStraight: sch.straight, ClinicStraight: cli.straight, HospitalStraight: hos.straight}
	if b.g != nil {
		f.PavedRoadKm = pavedMetres / 1000
	}
	health := map[access.HealthLevel]float64{}
	for k, lvl := range access.HealthLevels {
		f.HealthKm[k] = of(k + 1).km
		health[lvl] = f.HealthKm[k]
	}
	f.SRS = access.CheckSRS(access.SRSFigures{Population: s.Population, Place: s.Place, SchoolKm: f.SchoolKm, HealthKm: health, PavedRoadKm: f.PavedRoadKm})
	return f
}

// Figures are settlement i's baseline figures.
func (b *Baseline) Figures(i int) Figures { return b.figs[i] }

// areaSet is which settlements count in which area, as access aggregates them:
// a settlement counts in its district, oblast, the country and its district's
// group; a city district (Area.CityPart) takes its city's figures and is left
// out here.
type areaSet struct {
	members  map[int64][]int32
	order    map[int64][][]int32 // per area and figure: members by baseline value
	of       [][]int64           // per settlement
	district map[int64]int64     // district id → its group (0 = none)
}

func newAreaSet(in *access.Input) areaSet {
	byID := map[int64]*access.Area{}
	var country int64
	as := areaSet{members: map[int64][]int32{}, of: make([][]int64, len(in.Settlements)), district: map[int64]int64{}}
	for k := range in.Areas {
		a := &in.Areas[k]
		byID[a.ID] = a
		if a.Level == level.Country {
			country = a.ID
		}
		if a.Level == level.District && !a.CityPart {
			as.district[a.ID] = a.Group
		}
	}
	for i, s := range in.Settlements {
		ids := []int64{s.District, s.Oblast, country}
		if a := byID[s.District]; a != nil && a.Group != 0 {
			ids = append(ids, a.Group)
		}
		for _, id := range ids {
			if id == 0 {
				continue
			}
			if a := byID[id]; a != nil && a.CityPart {
				continue
			}
			as.of[i] = append(as.of[i], id)
			as.members[id] = append(as.members[id], int32(i))
		}
	}
	return as
}

// areaKey is one area's value of one area indicator.
type areaKey struct {
	area      int64
	indicator string
}

// areaIndicators are the catalogue's area indicators made from the figures a
// scenario can change, with the position of their settlement figure.
var areaIndicators = func() []struct {
	in  indicator.Indicator
	fig int
} {
	var out []struct {
		in  indicator.Indicator
		fig int
	}
	for _, in := range indicator.All() {
		switch in.Aggregation {
		case indicator.Mean, indicator.Median, indicator.ShareWithin, indicator.ShareBeyond:
		default:
			continue
		}
		if k := slices.Index(figureNames, in.Of); k >= 0 {
			out = append(out, struct {
				in  indicator.Indicator
				fig int
			}{in, k})
		}
	}
	return out
}()

// AreaIndicatorNames are the area indicators a scenario can change, in
// catalogue order.
func AreaIndicatorNames() []string {
	out := make([]string, len(areaIndicators))
	for i, ai := range areaIndicators {
		out[i] = ai.in.Name
	}
	return out
}

// aggregate puts area id's values of the area indicators made from the
// figures in figs (all when nil) into dst, with access's functions
// (Summarise, ShareWithin, ShareBeyond); a value those leave undefined is
// absent, as in a compute run.
func (b *Baseline) aggregate(id int64, fig func(i int) *Figures, dst map[areaKey]float64, figs *[nFigures]bool) {
	// The members go in the order of their baseline values (b.areas.order),
	// so that Summarise's sort finds them sorted, or nearly.
	order := b.areas.order[id]
	vals := make([][]access.Value, nFigures)
	for k := range vals {
		if figs != nil && !figs[k] {
			continue
		}
		members := b.areas.members[id]
		if order != nil {
			members = order[k]
		}
		vals[k] = make([]access.Value, len(members))
		for j, i := range members {
			vals[k][j] = access.Value{V: fig(int(i)).values()[k], Weight: float64(b.in.Settlements[i].Population)}
		}
	}
	sums := make([]*access.Summary, nFigures)
	for _, ai := range areaIndicators {
		if vals[ai.fig] == nil {
			continue
		}
		if sums[ai.fig] == nil {
			s := access.Summarise(vals[ai.fig])
			sums[ai.fig] = &s
		}
		sum := sums[ai.fig]
		v := sum.Mean
		switch ai.in.Aggregation {
		case indicator.Median:
			v = sum.Median
		case indicator.ShareWithin:
			v = access.ShareWithin(vals[ai.fig], ai.in.Limit)
		case indicator.ShareBeyond:
			v = access.ShareBeyond(vals[ai.fig], ai.in.Limit)
		}
		key := areaKey{id, ai.in.Name}
		if math.IsNaN(sum.Mean) || math.IsNaN(v) {
			delete(dst, key)
			continue
		}
		dst[key] = v
	}
}

// disparityIndicators are the district indicators whose Theil T index a
// scenario reports, between and within macroregions.
var disparityIndicators = []string{"srs_score_mean", "school_km_mean", "clinic_min_mean", "hospital_min_mean"}

// disparities computes Theil T over the districts (weighted by their
// settlements' population, grouped by macroregion) of each disparity
// indicator, with geo/disparity; nil where it is undefined.
func (b *Baseline) disparities(vals map[areaKey]float64) map[string]*disparity.Decomposition {
	out := map[string]*disparity.Decomposition{}
	ids := make([]int64, 0, len(b.areas.district))
	for id := range b.areas.district {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, name := range disparityIndicators {
		var us []disparity.Unit
		for _, id := range ids {
			v, ok := vals[areaKey{id, name}]
			if !ok {
				continue
			}
			var pop float64
			for _, i := range b.areas.members[id] {
				pop += float64(b.in.Settlements[i].Population)
			}
			us = append(us, disparity.Unit{Value: v, Weight: pop, Group: strconv.FormatInt(b.areas.district[id], 10)})
		}
		if d, err := disparity.TheilT(us); err == nil {
			out[name] = &d
		} else {
			out[name] = nil
		}
	}
	return out
}

// Totals are the population one standard applies to and the part of it
// that meets the standard.
type Totals struct {
	Applies, Meets float64
}

func (s *Totals) add(pop int, c *bool, sign float64) {
	if c == nil {
		return
	}
	s.Applies += sign * float64(pop)
	if *c {
		s.Meets += sign * float64(pop)
	}
}

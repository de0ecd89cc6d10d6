package access

import (
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/aimaq/aimaq/geo"
	"github.com/aimaq/aimaq/geo/indicator"
	"github.com/aimaq/aimaq/geo/level"
	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
)

// Figures are one settlement's results.
type Figures struct {
	// Values holds the settlement indicators in the order of the catalogue
	// (indicator.Settlements()); a value is NaN when the data given cannot
	// give it.
	Values []float64
	// NearestSchool, NearestClinic and NearestHospital are facility ids; 0 = none.
	NearestSchool, NearestClinic, NearestHospital int64
	SRS                                           Check
	// StraightLine names the targets whose search fell back to the
	// straight-line rule: school, clinic, hospital, district_centre, oblast_centre.
	StraightLine []string
	// Method is Network when nothing fell back, StraightLine when the
	// settlement is off the network, else Mixed.
	Method string
	// Assumed names the figures that rest on a documented assumption rather
	// than tagged data: paved_road_km when the nearest paved road has no
	// surface tag and counts as paved by its class.
	Assumed []string
}

// Result is what Compute finds.
type Result struct {
	Settlements  []Figures // in the order of Input.Settlements
	Areas        []AreaValue
	Nodes, Edges int      // of the road graph
	Routed       int      // settlements snapped to the network
	StraightLine int      // settlements with at least one straight-line figure
	Missing      []string // indicators the data given cannot give
}

// Compute finds every settlement's figures and every area's aggregates: the
// nearest facilities of each kind and the own district and oblast centres
// over the road network, else by the straight-line rule (flagged); the
// regional standards; and the population-weighted statistics, shares,
// two-step floating catchments and per-10,000 counts of the areas. step, if
// not nil, is called with the name of each stage as it ends.
func Compute(in *Input, o Options, step func(name string)) (_ *Result, err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("access.Compute(%d settlements, %d roads): %w", len(in.Settlements), len(in.Roads), err)
		}
	}()
	if err := o.check(); err != nil {
		return nil, err
	}
	if step == nil {
		step = func(string) {}
	}
	e := newEngine(in, o)
	res := &Result{}
	if len(in.Roads) > 0 {
		if e.net, err = newNetwork(in, o, e.district.pts, e.oblast.pts); err != nil {
			return nil, err
		}
		res.Nodes, res.Edges, res.Routed = e.net.g.Nodes(), e.net.g.Edges(), e.net.routed
		step(fmt.Sprintf("graph (%d nodes, %d edges)", res.Nodes, res.Edges))
		step("snap settlements")
	}
	e.facilities()
	step("nearest facilities")
	e.centres()
	step("administrative centres")
	e.standards()
	res.Settlements = e.figs
	res.Missing = e.missing()
	for _, f := range e.figs {
		if len(f.StraightLine) > 0 {
			res.StraightLine++
		}
	}
	res.Areas = e.areas()
	step("areas")
	return res, nil
}

// engine holds one computation.
type engine struct {
	in               *Input
	o                Options
	net              *network // nil without roads
	figs             []Figures
	healthKm         []map[HealthLevel]float64 // per settlement: to the nearest facility of each level and above
	district, oblast centreSet
}

// centreSet is the centres of one level and each settlement's own.
type centreSet struct {
	pts []orb.Point
	own []int // per settlement: index into pts, -1 = none
}

// The catalogue positions (geo/indicator) of the figures the engine computes.
var (
	ixSchoolKm, ixSchoolMin                 = figure("school_km"), figure("school_min")
	ixClinicKm, ixClinicMin                 = figure("clinic_km"), figure("clinic_min")
	ixHospitalKm, ixHospitalMin             = figure("hospital_km"), figure("hospital_min")
	ixPavedRoadKm, ixTown5kKm               = figure("paved_road_km"), figure("town5k_km")
	ixDistrictCentreKm, ixDistrictCentreMin = figure("district_centre_km"), figure("district_centre_min")
	ixOblastCentreKm, ixOblastCentreMin     = figure("oblast_centre_km"), figure("oblast_centre_min")
	ixSRSScore                              = figure("srs_score")
)

// figure is the catalogue position of the settlement indicator called name;
// a name the catalogue lacks is a programming mistake every test catches.
func figure(name string) int {
	i := indicator.SettlementIndex(name)
	if i < 0 {
		panic("access: settlement indicator " + name + " is not in the catalogue")
	}
	return i
}

// Value returns the figure of the settlement indicator called name; NaN for
// a name the catalogue does not have.
func (f *Figures) Value(name string) float64 {
	if i := indicator.SettlementIndex(name); i >= 0 && i < len(f.Values) {
		return f.Values[i]
	}
	return math.NaN()
}

func newEngine(in *Input, o Options) *engine {
	e := &engine{in: in, o: o, figs: make([]Figures, len(in.Settlements)), healthKm: make([]map[HealthLevel]float64, len(in.Settlements))}
	e.district.pts, e.district.own = in.centres(level.District, func(s *Settlement) int64 { return s.District })
	e.oblast.pts, e.oblast.own = in.centres(level.Oblast, func(s *Settlement) int64 { return s.Oblast })
	nan, n := math.NaN(), len(indicator.Settlements())
	for i := range e.figs {
		e.figs[i] = Figures{Values: make([]float64, n)}
		for k := range e.figs[i].Values {
			e.figs[i].Values[k] = nan
		}
		e.healthKm[i] = map[HealthLevel]float64{}
	}
	return e
}

// nearest answers, for every settlement, the nearest of the targets: over the
// network where the settlement and a target are connected, else by the
// straight-line rule (flagged). No targets: all NaN.
func (e *engine) nearest(targets []orb.Point, ids []int64) []reach {
	out := make([]reach, len(e.in.Settlements))
	if len(targets) == 0 {
		for i := range out {
			out[i] = reach{km: math.NaN(), min: math.NaN()}
		}
		return out
	}
	var net []reach
	if e.net != nil {
		net = e.net.nearest(targets, ids)
	}
	ix := geo.NewPointIndex(targets)
	for i, s := range e.in.Settlements {
		if net != nil && net[i].id != 0 {
			out[i] = net[i]
			continue
		}
		j, m := ix.Nearest(s.Point, nil)
		km, min := e.o.Fallback(m)
		out[i] = reach{km: km, min: min, id: ids[j], straight: true}
	}
	return out
}

// facilities finds the nearest school, health facility of each level and
// hospital, and the nearest paved road.
func (e *engine) facilities() {
	byKind := func(keep func(kind string) bool) ([]orb.Point, []int64) {
		var pts []orb.Point
		var ids []int64
		for _, f := range e.in.Facilities {
			if keep(f.Kind) {
				pts = append(pts, f.Point)
				ids = append(ids, f.ID)
			}
		}
		return pts, ids
	}
	// One search per target set: schools, then health facilities of each level
	// and above. The searches are independent, so they run on all cores.
	type job struct {
		pts []orb.Point
		ids []int64
		out []reach
	}
	jobs := []*job{{}}
	jobs[0].pts, jobs[0].ids = byKind(Schools.Has)
	for _, lvl := range HealthLevels {
		j := &job{}
		j.pts, j.ids = byKind(func(k string) bool { l, ok := LevelOfKind(k); return ok && l >= lvl })
		jobs = append(jobs, j)
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			j.out = e.nearest(j.pts, j.ids)
		}()
	}
	wg.Wait()

	// set stores rs with put and flags the straight-line answers under name.
	set := func(name string, rs []reach, put func(f *Figures, x reach)) {
		for i, x := range rs {
			put(&e.figs[i], x)
			if x.straight {
				e.figs[i].StraightLine = append(e.figs[i].StraightLine, name)
			}
		}
	}
	set(Schools.Name, jobs[0].out, func(f *Figures, x reach) {
		f.Values[ixSchoolKm], f.Values[ixSchoolMin], f.NearestSchool = x.km, x.min, x.id
	})
	for k, lvl := range HealthLevels {
		rs := jobs[k+1].out
		for i, x := range rs {
			e.healthKm[i][lvl] = x.km
		}
		switch lvl {
		case MedicalPost: // any health facility
			set(Clinics.Name, rs, func(f *Figures, x reach) {
				f.Values[ixClinicKm], f.Values[ixClinicMin], f.NearestClinic = x.km, x.min, x.id
			})
		case Hospital:
			set(Hospitals.Name, rs, func(f *Figures, x reach) {
				f.Values[ixHospitalKm], f.Values[ixHospitalMin], f.NearestHospital = x.km, x.min, x.id
			})
		}
	}
	if e.net != nil {
		for i := range e.figs {
			var assumed bool
			e.figs[i].Values[ixPavedRoadKm], assumed = e.net.pavedKm(i)
			if assumed {
				e.figs[i].Assumed = append(e.figs[i].Assumed, "paved_road_km")
			}
		}
	}
}

// centres: the settlement's own district and oblast centre, and the nearest
// town of 5,000+ (straight line, by definition of the indicator).
func (e *engine) centres() {
	for _, c := range []struct {
		name    string
		set     centreSet
		km, min int // catalogue positions
	}{
		{"district_centre", e.district, ixDistrictCentreKm, ixDistrictCentreMin},
		{"oblast_centre", e.oblast, ixOblastCentreKm, ixOblastCentreMin},
	} {
		var net []reach
		if e.net != nil {
			net = e.net.ownCentre(c.set.pts, c.set.own)
		}
		for i, s := range e.in.Settlements {
			j := c.set.own[i]
			if j < 0 {
				continue
			}
			f := &e.figs[i]
			if net != nil && net[i].id != 0 {
				f.Values[c.km], f.Values[c.min] = net[i].km, net[i].min
				continue
			}
			f.Values[c.km], f.Values[c.min] = e.o.Fallback(orbgeo.Distance(s.Point, c.set.pts[j]))
			f.StraightLine = append(f.StraightLine, c.name)
		}
	}
	var towns []orb.Point
	for _, s := range e.in.Settlements {
		if s.Population >= 5000 {
			towns = append(towns, s.Point)
		}
	}
	ix := geo.NewPointIndex(towns)
	for i, s := range e.in.Settlements {
		if s.Population >= 5000 {
			e.figs[i].Values[ixTown5kKm] = 0
			continue
		}
		if j, m := ix.Nearest(s.Point, nil); j >= 0 {
			e.figs[i].Values[ixTown5kKm] = m / 1000
		}
	}
}

// standards applies the regional standards and names each settlement's method.
func (e *engine) standards() {
	for i, s := range e.in.Settlements {
		f := &e.figs[i]
		f.SRS = CheckSRS(SRSFigures{Population: s.Population, Place: s.Place, SchoolKm: f.Values[ixSchoolKm], HealthKm: e.healthKm[i], PavedRoadKm: f.Values[ixPavedRoadKm]})
		if f.SRS.Score != nil {
			f.Values[ixSRSScore] = *f.SRS.Score
		}
		// Network only when something was routed; with no roads at all every value is straight-line.
		f.Method = settlementMethod(f.StraightLine, e.net != nil && e.net.snapped[i])
	}
}

// settlementMethod is Network when no figure fell back, StraightLine when
// none could be routed, else Mixed.
func settlementMethod(straight []string, routed bool) string {
	switch {
	case len(straight) == 0:
		return Network
	case !routed:
		return StraightLine
	}
	return Mixed
}

// missing lists the indicators the data given cannot give.
func (e *engine) missing() []string {
	var out []string
	schools, health := e.in.Has(Schools), e.in.Has(Clinics)
	if !schools {
		out = append(out, "school_km", "school_min")
	}
	if !health {
		out = append(out, "clinic_km", "clinic_min")
	}
	if !e.in.Has(Hospitals) {
		out = append(out, "hospital_km", "hospital_min")
	}
	if len(e.in.Roads) == 0 {
		out = append(out, "paved_road_km")
	}
	if !schools && !health && len(e.in.Roads) == 0 {
		out = append(out, "srs_score")
	}
	return out
}

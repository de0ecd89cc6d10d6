// Package compute turns the imported data into accessibility indicators: it
// reads settlements, facilities, roads and centres from PostGIS, routes over
// the road network in memory (geo/route), applies the regional standards
// (geo/access), and writes settlement_access and area_indicator for a new
// compute_run — all results of a run in one transaction, with COPY.
package compute

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"runtime"
	"sync"
	"time"

	"github.com/aimaq/aimaq/geo"
	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/route"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
)

// Options are the parameters of a run; they are stored with it.
type Options struct {
	Speeds        route.Speeds `json:"speeds"`
	MaxSnapMetres float64      `json:"max_snap_m"`   // farther from any road: straight-line fallback
	Circuity      float64      `json:"circuity"`     // straight-line distance × this ≈ road distance
	FallbackKmh   float64      `json:"fallback_kmh"` // speed assumed on straight-line estimates
	Progress      io.Writer    `json:"-"`
}

// DefaultOptions: a settlement more than 5 km from any road is not on the
// network. The circuity factor 1.3 is the typical ratio of road to straight-
// line distance for rural trips (Ballou et al. 2002 report 1.2–1.4 by country);
// straight-line travel is assumed at 40 km/h, a mix of rural roads and tracks.
func DefaultOptions() Options {
	return Options{Speeds: route.DefaultSpeeds(), MaxSnapMetres: 5000, Circuity: 1.3, FallbackKmh: 40}
}

// Step is the time one stage of a run took.
type Step struct {
	Name     string        `json:"name"`
	Duration time.Duration `json:"duration_ns"`
}

// Result describes a finished run.
type Result struct {
	RunID        int64    `json:"run_id"`
	Settlements  int      `json:"settlements"`
	Facilities   int      `json:"facilities"`
	Roads        int      `json:"roads"`
	Nodes        int      `json:"nodes"`
	Edges        int      `json:"edges"`
	Routed       int      `json:"routed"`        // settlements snapped to the network
	StraightLine int      `json:"straight_line"` // settlements with at least one straight-line value
	Missing      []string `json:"missing"`       // indicators not computable with the data loaded
	Steps        []Step   `json:"steps"`
}

// Run computes every indicator for the data in the database as a new run.
func Run(ctx context.Context, pool *pgxpool.Pool, o Options) (res *Result, err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("compute.Run: %w", err)
		}
	}()
	res = &Result{}
	clock := time.Now()
	step := func(name string) {
		d := time.Since(clock)
		res.Steps = append(res.Steps, Step{name, d})
		if o.Progress != nil {
			fmt.Fprintf(o.Progress, "compute: %-28s %8v\n", name, d.Round(time.Millisecond))
		}
		clock = time.Now()
	}
	params, _ := json.Marshal(o)
	var gen int64
	if err := pool.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM import_run`).Scan(&gen); err != nil {
		return nil, err
	}
	if err := pool.QueryRow(ctx, `INSERT INTO compute_run (params, data_generation) VALUES ($1, $2) RETURNING id`, params, gen).Scan(&res.RunID); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			_, _ = pool.Exec(context.Background(), `UPDATE compute_run SET status = 'failed', finished_at = now() WHERE id = $1`, res.RunID)
		}
	}()
	tx, err := pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // no-op after Commit
	d, err := load(ctx, tx)
	if err != nil {
		return nil, err
	}
	res.Settlements, res.Facilities, res.Roads = len(d.settlements), len(d.facilities), len(d.roads)
	step(fmt.Sprintf("load (%d settlements)", len(d.settlements)))

	acc := newAccess(d, o)
	if len(d.roads) > 0 {
		net, err := newNetwork(d, o)
		if err != nil {
			return nil, err
		}
		res.Nodes, res.Edges = net.g.Nodes(), net.g.Edges()
		step(fmt.Sprintf("graph (%d nodes, %d edges)", res.Nodes, res.Edges))
		acc.net = net
		res.Routed = net.routed
		step("snap settlements")
	}
	acc.facilities()
	step("nearest facilities")
	acc.centres()
	step("administrative centres")
	acc.standards()
	res.Missing = acc.missing()
	for _, r := range acc.rows {
		if len(r.straight) > 0 {
			res.StraightLine++
		}
	}
	if err := writeSettlements(ctx, tx, res.RunID, d, acc); err != nil {
		return nil, err
	}
	step("write settlement_access")
	if err := writeAreas(ctx, tx, res.RunID, d, acc); err != nil {
		return nil, err
	}
	step("write area_indicator")
	if _, err := tx.Exec(ctx, `UPDATE compute_run SET status = 'done', finished_at = now() WHERE id = $1`, res.RunID); err != nil {
		return nil, err
	}
	// Keep the three latest finished runs: older results are superseded.
	if _, err := tx.Exec(ctx, `DELETE FROM compute_run WHERE status <> 'running' AND id NOT IN (
		SELECT id FROM compute_run WHERE status = 'done' ORDER BY id DESC LIMIT 3)`); err != nil {
		return nil, err
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, err
	}
	return res, nil
}

// Stale reports whether the data changed since the latest finished run (or
// there is none), so `aimaq run` knows to recompute.
func Stale(ctx context.Context, pool *pgxpool.Pool) (bool, error) {
	var stale bool
	err := pool.QueryRow(ctx, `SELECT coalesce((SELECT max(id) FROM import_run), 0) >
		coalesce((SELECT data_generation FROM compute_run WHERE status = 'done' ORDER BY id DESC LIMIT 1), -1)`).Scan(&stale)
	return stale, err
}

// row holds one settlement's indicators; NaN = not computed.
type row struct {
	schoolKm, schoolMin, clinicKm, clinicMin, hospitalKm, hospitalMin float64
	pavedKm, districtKm, districtMin, oblastKm, oblastMin, town5kKm   float64
	nearestSchool, nearestClinic, nearestHospital                     int64
	healthKm                                                          map[access.HealthLevel]float64
	check                                                             access.Check
	straight                                                          []string // indicators that fell back to straight line
}

// accessCalc computes the rows for a dataset.
type accessCalc struct {
	d    *dataset
	o    Options
	net  *network // nil without roads
	rows []row
}

func newAccess(d *dataset, o Options) *accessCalc {
	a := &accessCalc{d: d, o: o, rows: make([]row, len(d.settlements))}
	nan := math.NaN()
	for i := range a.rows {
		a.rows[i] = row{schoolKm: nan, schoolMin: nan, clinicKm: nan, clinicMin: nan, hospitalKm: nan, hospitalMin: nan,
			pavedKm: nan, districtKm: nan, districtMin: nan, oblastKm: nan, oblastMin: nan, town5kKm: nan,
			healthKm: map[access.HealthLevel]float64{}}
	}
	return a
}

// reach is the answer for one settlement and one target set.
type reach struct {
	km, min  float64
	id       int64 // target id, 0 = none
	straight bool
}

// nearest answers, for every settlement, the nearest of the targets: over the
// network where the settlement and a target are connected, else by straight
// line × circuity (flagged). No targets: all NaN.
func (a *accessCalc) nearest(targets []orb.Point, ids []int64) []reach {
	out := make([]reach, len(a.d.settlements))
	if len(targets) == 0 {
		for i := range out {
			out[i] = reach{km: math.NaN(), min: math.NaN()}
		}
		return out
	}
	var net []reach
	if a.net != nil {
		net = a.net.nearest(targets, ids)
	}
	ix := geo.NewPointIndex(targets)
	for i, s := range a.d.settlements {
		if net != nil && net[i].id != 0 {
			out[i] = net[i]
			continue
		}
		j, m := ix.Nearest(s.pt, nil)
		km, min := a.straightLine(m)
		out[i] = reach{km: km, min: min, id: ids[j], straight: true}
	}
	return out
}

// straightLine turns a geodesic distance in metres into the flagged estimate.
func (a *accessCalc) straightLine(m float64) (km, min float64) {
	km = m * a.o.Circuity / 1000
	return km, km / a.o.FallbackKmh * 60
}

func (a *accessCalc) facilities() {
	byKind := func(keep func(kind string) bool) ([]orb.Point, []int64) {
		var pts []orb.Point
		var ids []int64
		for _, f := range a.d.facilities {
			if keep(f.kind) {
				pts = append(pts, f.pt)
				ids = append(ids, f.id)
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
	jobs[0].pts, jobs[0].ids = byKind(access.Schools.Has)
	for _, lvl := range access.HealthLevels {
		j := &job{}
		j.pts, j.ids = byKind(func(k string) bool { l, ok := access.LevelOfKind(k); return ok && l >= lvl })
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
			j.out = a.nearest(j.pts, j.ids)
		}()
	}
	wg.Wait()

	// set stores rs with put and flags the straight-line answers under name.
	set := func(name string, rs []reach, put func(r *row, x reach)) {
		for i, x := range rs {
			put(&a.rows[i], x)
			if x.straight {
				a.rows[i].straight = append(a.rows[i].straight, name)
			}
		}
	}
	set("school", jobs[0].out, func(r *row, x reach) { r.schoolKm, r.schoolMin, r.nearestSchool = x.km, x.min, x.id })
	for k, lvl := range access.HealthLevels {
		rs := jobs[k+1].out
		for i, x := range rs {
			a.rows[i].healthKm[lvl] = x.km
		}
		switch lvl {
		case access.MedicalPost: // any health facility
			set("clinic", rs, func(r *row, x reach) { r.clinicKm, r.clinicMin, r.nearestClinic = x.km, x.min, x.id })
		case access.Hospital:
			set("hospital", rs, func(r *row, x reach) { r.hospitalKm, r.hospitalMin, r.nearestHospital = x.km, x.min, x.id })
		}
	}
	if a.net != nil {
		for i := range a.rows {
			a.rows[i].pavedKm = a.net.pavedKm(i)
		}
	}
}

// centres: the settlement's own district and oblast centre, and the nearest
// town of 5,000+ (straight line, by definition of the indicator).
func (a *accessCalc) centres() {
	for _, c := range []struct {
		name    string
		centres []centre
		idx     func(s settlement) int
		km, min func(r *row) *float64
	}{
		{"district_centre", a.d.districtCentres, func(s settlement) int { return s.districtC },
			func(r *row) *float64 { return &r.districtKm }, func(r *row) *float64 { return &r.districtMin }},
		{"oblast_centre", a.d.oblastCentres, func(s settlement) int { return s.oblastC },
			func(r *row) *float64 { return &r.oblastKm }, func(r *row) *float64 { return &r.oblastMin }},
	} {
		var net []reach
		if a.net != nil {
			net = a.net.ownCentre(c.centres, c.idx)
		}
		for i, s := range a.d.settlements {
			j := c.idx(s)
			if j < 0 {
				continue
			}
			r := &a.rows[i]
			if net != nil && net[i].id != 0 {
				*c.km(r), *c.min(r) = net[i].km, net[i].min
				continue
			}
			km, min := a.straightLine(orbgeo.Distance(s.pt, c.centres[j].pt))
			*c.km(r), *c.min(r) = km, min
			r.straight = append(r.straight, c.name)
		}
	}
	var towns []orb.Point
	for _, s := range a.d.settlements {
		if s.pop >= 5000 {
			towns = append(towns, s.pt)
		}
	}
	ix := geo.NewPointIndex(towns)
	for i, s := range a.d.settlements {
		if s.pop >= 5000 {
			a.rows[i].town5kKm = 0
			continue
		}
		if j, m := ix.Nearest(s.pt, nil); j >= 0 {
			a.rows[i].town5kKm = m / 1000
		}
	}
}

func (a *accessCalc) standards() {
	for i, s := range a.d.settlements {
		r := &a.rows[i]
		r.check = access.CheckSRS(access.Settlement{Population: s.pop, Place: s.place, SchoolKm: r.schoolKm, HealthKm: r.healthKm, PavedRoadKm: r.pavedKm})
	}
}

// missing lists the indicators the loaded data cannot give.
func (a *accessCalc) missing() []string {
	var out []string
	schools, health := a.d.has(access.Schools), a.d.has(access.Clinics)
	if !schools {
		out = append(out, "school_km", "school_min")
	}
	if !health {
		out = append(out, "clinic_km", "clinic_min")
	}
	if !a.d.has(access.Hospitals) {
		out = append(out, "hospital_km", "hospital_min")
	}
	if len(a.d.roads) == 0 {
		out = append(out, "paved_road_km")
	}
	if !schools && !health && len(a.d.roads) == 0 {
		out = append(out, "srs_score")
	}
	return out
}

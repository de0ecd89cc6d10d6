package compute

import (
	"context"
	"math"

	"github.com/aimaq/aimaq/geo"
	"github.com/aimaq/aimaq/geo/access"
	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
)

// num turns NaN into SQL NULL.
func num(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return v
}

func id(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}

func method(straight []string, anyValue bool) string {
	switch {
	case len(straight) == 0:
		return "network"
	case !anyValue:
		return "straight-line"
	}
	return "mixed"
}

func writeSettlements(ctx context.Context, tx pgx.Tx, runID int64, d *dataset, a *accessCalc) error {
	cols := []string{"run_id", "settlement_id", "school_km", "school_min", "clinic_km", "clinic_min", "hospital_km", "hospital_min",
		"paved_road_km", "district_centre_km", "district_centre_min", "oblast_centre_km", "oblast_centre_min", "town5k_km",
		"nearest_school_id", "nearest_clinic_id", "nearest_hospital_id", "srs_health_ok", "srs_school_ok", "srs_road_ok", "srs_score",
		"method", "straight_line"}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"settlement_access"}, cols, pgx.CopyFromSlice(len(a.rows), func(i int) ([]any, error) {
		r := a.rows[i]
		var score any
		if r.check.Score != nil {
			score = *r.check.Score
		}
		straight := r.straight
		if straight == nil {
			straight = []string{}
		}
		// "network" only when something was routed; with no roads at all every value is straight-line.
		m := method(straight, a.net != nil && a.net.snapped[i])
		return []any{runID, d.settlements[i].id, num(r.schoolKm), num(r.schoolMin), num(r.clinicKm), num(r.clinicMin),
			num(r.hospitalKm), num(r.hospitalMin), num(r.pavedKm), num(r.districtKm), num(r.districtMin), num(r.oblastKm),
			num(r.oblastMin), num(r.town5kKm), id(r.nearestSchool), id(r.nearestClinic), id(r.nearestHospital),
			r.check.Health, r.check.School, r.check.Road, score, m, straight}, nil
	}))
	return err
}

// areaInfo is what aggregation needs of an area.
type areaInfo struct {
	id, groupID int64
	level       string
	population  float64 // NaN if unknown
	estimated   bool
	km2         float64
}

// indicator extracts one figure of a row, and names the straight-line flag that taints it.
type indicator struct {
	name     string
	value    func(r *row) float64
	straight string // the row.straight name that marks this value as straight-line; "" = never routed
}

var indicators = []indicator{
	{"school_km", func(r *row) float64 { return r.schoolKm }, "school"},
	{"school_min", func(r *row) float64 { return r.schoolMin }, "school"},
	{"clinic_km", func(r *row) float64 { return r.clinicKm }, "clinic"},
	{"clinic_min", func(r *row) float64 { return r.clinicMin }, "clinic"},
	{"hospital_km", func(r *row) float64 { return r.hospitalKm }, "hospital"},
	{"hospital_min", func(r *row) float64 { return r.hospitalMin }, "hospital"},
	{"paved_road_km", func(r *row) float64 { return r.pavedKm }, ""},
	{"district_centre_km", func(r *row) float64 { return r.districtKm }, "district_centre"},
	{"district_centre_min", func(r *row) float64 { return r.districtMin }, "district_centre"},
	{"oblast_centre_km", func(r *row) float64 { return r.oblastKm }, "oblast_centre"},
	{"oblast_centre_min", func(r *row) float64 { return r.oblastMin }, "oblast_centre"},
	{"town5k_km", func(r *row) float64 { return r.town5kKm }, "town5k"},
	{"srs_score", func(r *row) float64 {
		if r.check.Score == nil {
			return math.NaN()
		}
		return *r.check.Score
	}, ""},
}

// shares: population share within a threshold of the standards.
var shares = []struct {
	name  string
	of    string
	limit float64
}{
	{"share_school_3km", "school_km", access.SchoolMaxKm},
	{"share_clinic_30min", "clinic_min", access.ClinicMaxMin},
	{"share_hospital_60min", "hospital_min", access.HospitalMaxMin},
	{"share_paved_1km", "paved_road_km", access.PavedMaxKm},
}

type areaRow struct {
	area       int64
	name       string
	value      float64
	population float64
	method     string
}

func writeAreas(ctx context.Context, tx pgx.Tx, runID int64, d *dataset, a *accessCalc) error {
	areas := map[int64]*areaInfo{}
	var country int64
	rows, err := tx.Query(ctx, `SELECT id, level, coalesce(group_id, 0), coalesce(population::float8, 'NaN'), population_estimated, coalesce(area_km2, 0) FROM area`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var ai areaInfo
		if err := rows.Scan(&ai.id, &ai.level, &ai.groupID, &ai.population, &ai.estimated, &ai.km2); err != nil {
			return err
		}
		areas[ai.id] = &ai
		if ai.level == "country" {
			country = ai.id
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	// The areas each settlement counts in: district, oblast, the district's group, the country.
	member := func(s settlement) []int64 {
		out := make([]int64, 0, 4)
		for _, id := range []int64{s.district, s.oblast, country} {
			if id != 0 {
				out = append(out, id)
			}
		}
		if ai := areas[s.district]; ai != nil && ai.groupID != 0 {
			out = append(out, ai.groupID)
		}
		return out
	}
	type bucket struct {
		vals     map[string][]access.Value
		straight map[string]int // values that were straight-line
	}
	buckets := map[int64]*bucket{}
	get := func(id int64) *bucket {
		b := buckets[id]
		if b == nil {
			b = &bucket{vals: map[string][]access.Value{}, straight: map[string]int{}}
			buckets[id] = b
		}
		return b
	}
	sch, cli := a.twoStepFCA()
	for i, s := range d.settlements {
		r := &a.rows[i]
		w := float64(s.pop)
		flagged := map[string]bool{}
		for _, f := range r.straight {
			flagged[f] = true
		}
		for _, areaID := range member(s) {
			b := get(areaID)
			for _, in := range indicators {
				v := in.value(r)
				b.vals[in.name] = append(b.vals[in.name], access.Value{V: v, Weight: w})
				if !math.IsNaN(v) && (flagged[in.straight] || in.straight == "town5k" || a.net == nil) {
					b.straight[in.name]++
				}
			}
			b.vals["school_2sfca"] = append(b.vals["school_2sfca"], access.Value{V: sch.value(i), Weight: w})
			b.vals["clinic_2sfca"] = append(b.vals["clinic_2sfca"], access.Value{V: cli.value(i), Weight: w})
			if sch.straight {
				b.straight["school_2sfca"]++
			}
			if cli.straight {
				b.straight["clinic_2sfca"]++
			}
		}
	}
	var out []areaRow
	for areaID, b := range buckets {
		methodOf := func(name string, n int) string {
			switch s := b.straight[name]; {
			case s == 0:
				return "network"
			case s >= n:
				return "straight-line"
			}
			return "mixed"
		}
		for name, vs := range b.vals {
			sum := access.Summarise(vs)
			if math.IsNaN(sum.Mean) {
				continue
			}
			m := methodOf(name, sum.Count)
			if name == "school_2sfca" || name == "clinic_2sfca" {
				out = append(out, areaRow{areaID, name, sum.Mean, sum.Population, m})
				continue
			}
			out = append(out, areaRow{areaID, name + "_mean", sum.Mean, sum.Population, m},
				areaRow{areaID, name + "_median", sum.Median, sum.Population, m})
		}
		for _, sh := range shares {
			vs := b.vals[sh.of]
			if v := access.ShareWithin(vs, sh.limit); !math.IsNaN(v) {
				sum := access.Summarise(vs)
				out = append(out, areaRow{areaID, sh.name, v, sum.Population, methodOf(sh.of, sum.Count)})
			}
		}
	}
	// Facilities per 10,000 people and density, from the areas' own population.
	counts := map[int64]map[string]float64{}
	for _, f := range d.facilities {
		for _, set := range []access.FacilitySet{access.Schools, access.Clinics} {
			if !set.Has(f.kind) {
				continue
			}
			for _, areaID := range member(settlement{district: f.district, oblast: f.oblast}) {
				if counts[areaID] == nil {
					counts[areaID] = map[string]float64{}
				}
				counts[areaID][set.Name]++
			}
		}
	}
	hasSchools, hasHealth := d.has(access.Schools), d.has(access.Clinics)
	for _, ai := range areas {
		if math.IsNaN(ai.population) || ai.population <= 0 {
			continue
		}
		popMethod := "statistics"
		if ai.estimated {
			popMethod = "estimated"
		}
		if ai.km2 > 0 {
			out = append(out, areaRow{ai.id, "population_density", ai.population / ai.km2, ai.population, popMethod})
		}
		if hasSchools {
			out = append(out, areaRow{ai.id, "schools_per_10k", counts[ai.id][access.Schools.Name] / ai.population * 1e4, ai.population, popMethod})
		}
		if hasHealth {
			out = append(out, areaRow{ai.id, "health_per_10k", counts[ai.id][access.Clinics.Name] / ai.population * 1e4, ai.population, popMethod})
		}
	}
	if _, err = tx.CopyFrom(ctx, pgx.Identifier{"area_indicator"}, []string{"run_id", "area_id", "indicator", "value", "population", "method"},
		pgx.CopyFromSlice(len(out), func(i int) ([]any, error) {
			r := out[i]
			return []any{runID, r.area, r.name, r.value, int64(math.Round(r.population)), r.method}, nil
		})); err != nil {
		return err
	}
	// Regional statistics per 10,000 people, where the population is official:
	// the latest year of each count over the area's population.
	_, err = tx.Exec(ctx, `
		INSERT INTO area_indicator (run_id, area_id, indicator, value, population, method)
		SELECT $1, a.id, s.stat_name, s.value / a.population * 1e4, a.population, 'statistics'
		FROM area a
		JOIN LATERAL (
		    SELECT DISTINCT ON (stat) CASE stat WHEN 'schools' THEN 'schools_per_10k_stats' ELSE 'medical_per_10k_stats' END AS stat_name, value
		    FROM area_stat WHERE area_id = a.id AND stat IN ('schools', 'medical_institutions')
		    ORDER BY stat, year DESC) s ON true
		WHERE a.population > 0 AND NOT a.population_estimated`, runID)
	return err
}

// fca is a 2SFCA result per settlement.
type fca struct {
	a        []float64 // nil: not computable
	straight bool
}

func (f fca) value(i int) float64 {
	if f.a == nil {
		return math.NaN()
	}
	return f.a[i]
}

// twoStepFCA computes school places and health facilities per 1,000 people
// within 30 minutes: over the network when there is one, else within the
// straight-line radius that 30 minutes give at the fallback speed (flagged).
// Capacity is used where tagged, else each facility counts as 1.
func (a *accessCalc) twoStepFCA() (school, health fca) {
	pop := make([]float64, len(a.d.settlements))
	for i, s := range a.d.settlements {
		pop[i] = float64(s.pop)
	}
	run := func(keep func(kind string) bool, useCapacity bool) fca {
		var supply []float64
		var pts []int
		for j, f := range a.d.facilities {
			if !keep(f.kind) {
				continue
			}
			c := 1.0
			if useCapacity && !math.IsNaN(f.capacity) && f.capacity > 0 {
				c = f.capacity
			}
			supply = append(supply, c)
			pts = append(pts, j)
		}
		if len(supply) == 0 {
			return fca{}
		}
		var pairs []access.Pair
		straight := a.net == nil
		if a.net != nil {
			pairs = a.net.catchment(pts, access.CatchmentMinutes)
		} else {
			spts := make([]orb.Point, len(a.d.settlements))
			for i, s := range a.d.settlements {
				spts[i] = s.pt
			}
			ix := geo.NewPointIndex(spts)
			radius := access.CatchmentMinutes / 60 * a.o.FallbackKmh * 1000 / a.o.Circuity
			for k, j := range pts {
				ix.Within(a.d.facilities[j].pt, radius, func(i int, _ float64) { pairs = append(pairs, access.Pair{F: k, S: i}) })
			}
		}
		return fca{a: access.TwoStepFCA(supply, pop, pairs, 1000), straight: straight}
	}
	school = run(access.Schools.Has, true)
	health = run(access.Clinics.Has, false)
	return school, health
}

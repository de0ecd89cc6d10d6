package postgis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/indicator"
	"github.com/aimaq/aimaq/internal/errs"
	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb/encoding/wkb"
)

// latestRun returns the latest finished compute run, or errs.NotFound.
func (s *Store) latestRun(ctx context.Context) (id int64, at time.Time, err error) {
	err = s.pool.QueryRow(ctx, `SELECT id, finished_at FROM compute_run WHERE status = 'done' ORDER BY id DESC LIMIT 1`).Scan(&id, &at)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, at, errs.E(errs.NotFound, "no compute run has finished yet: run `aimaq compute`")
	}
	return id, at, Unavailable(ctx, err)
}

// SettlementAccess returns the accessibility figures of settlement id from the
// latest compute run.
func (s *Store) SettlementAccess(ctx context.Context, id int64) (_ *access.SettlementReport, err error) {
	defer wrap(&err, "Store.SettlementAccess(%d)", id)
	runID, at, err := s.latestRun(ctx)
	if err != nil {
		return nil, err
	}
	r := &access.SettlementReport{ID: id, RunID: runID, ComputedAt: at, Nearest: map[string]*access.FacilityRef{}}
	var vals [13]*float64
	var straight []string
	var nearest []byte
	var name, kk, ru, en, district, oblast *string
	err = s.pool.QueryRow(ctx, `
		SELECT s.name, s.name_kk, s.name_ru, s.name_en, s.place, coalesce(s.population, 0), s.population_estimated,
		       ST_X(s.geom), ST_Y(s.geom), coalesce(d.name_ru, d.name_en), coalesce(o.name_ru, o.name_en),
		       a.school_km, a.school_min, a.clinic_km, a.clinic_min, a.hospital_km, a.hospital_min, a.paved_road_km,
		       a.district_centre_km, a.district_centre_min, a.oblast_centre_km, a.oblast_centre_min, a.town5k_km, a.srs_score,
		       a.srs_health_ok, a.srs_school_ok, a.srs_road_ok, coalesce(a.method, ''), coalesce(a.straight_line, '{}'),
		       -- the nearest facilities, as {"school": {"id":…,"kind":…,"name":…,"lon":…,"lat":…}, …};
		       -- one deleted since the run is left out
		       (SELECT jsonb_object_agg(k.which, jsonb_build_object('id', f.id, 'kind', f.kind, 'name', coalesce(f.name, ''),
		                                                          'lon', ST_X(f.geom), 'lat', ST_Y(f.geom)))
		          FROM (VALUES ('school', a.nearest_school_id), ('clinic', a.nearest_clinic_id), ('hospital', a.nearest_hospital_id)) k(which, id)
		          JOIN facility f ON f.id = k.id)
		FROM settlement s
		LEFT JOIN area d ON d.id = s.district_id
		LEFT JOIN area o ON o.id = s.oblast_id
		LEFT JOIN settlement_access a ON a.settlement_id = s.id AND a.run_id = $2
		WHERE s.id = $1`, id, runID).Scan(&name, &kk, &ru, &en, &r.Place, &r.Population, &r.PopulationEstimated,
		&r.Lon, &r.Lat, &district, &oblast,
		&vals[0], &vals[1], &vals[2], &vals[3], &vals[4], &vals[5], &vals[6], &vals[7], &vals[8], &vals[9], &vals[10], &vals[11], &vals[12],
		&r.SRS.Health, &r.SRS.School, &r.SRS.Road, &r.Method, &straight, &nearest)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "no settlement with id %d", id)
	}
	if err != nil {
		return nil, Unavailable(ctx, err)
	}
	deref := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	r.Name, r.NameKK, r.NameRU, r.NameEN, r.District, r.Oblast = deref(name), deref(kk), deref(ru), deref(en), deref(district), deref(oblast)
	r.SRS.Score = vals[12]
	flag := map[string]bool{}
	for _, f := range straight {
		flag[f] = true
	}
	// The column order above follows access.SettlementIndicators.
	for i, in := range access.SettlementIndicators {
		f := access.Figure{Indicator: in.Name, Unit: in.Unit, Value: vals[i]}
		switch {
		case f.Value == nil:
			f.Needs = needs(in.Needs)
			r.Missing = append(r.Missing, in.Name)
		case flag[prefixOf(in.Name)] || in.Name == "town5k_km":
			f.Method = "straight-line"
		case in.Name == "paved_road_km":
			f.Method = "straight-line" // by definition: distance to the nearest paved road
		case in.Name == "srs_score":
		default:
			f.Method = "network"
		}
		r.Figures = append(r.Figures, f)
	}
	if len(r.Missing) > 0 {
		r.LoadHint = access.LoadHint
	}
	if nearest != nil {
		if err := json.Unmarshal(nearest, &r.Nearest); err != nil {
			return nil, fmt.Errorf("nearest facilities: %w", err)
		}
	}
	return r, nil
}

// prefixOf maps an indicator to the straight_line flag that marks it.
func prefixOf(name string) string {
	for _, p := range []string{"school", "clinic", "hospital", "district_centre", "oblast_centre"} {
		if len(name) > len(p) && name[:len(p)] == p && name[len(p)] == '_' {
			return p
		}
	}
	return name
}

func needs(ns []access.Needs) string {
	var out string
	for _, n := range ns {
		switch n {
		case access.NeedsFacilities:
			out += "facilities "
		case access.NeedsRoads:
			out += "roads "
		}
	}
	if out == "" {
		return ""
	}
	return out[:len(out)-1]
}

// areaLevels are the levels area indicators exist for.
var areaLevels = map[string]bool{"country": true, "oblast": true, "district": true, "macroregion": true, "agglomeration": true}

// AreaIndicator returns one area indicator for every area of a level, from the
// latest compute run. Areas without a value are listed with a nil value.
func (s *Store) AreaIndicator(ctx context.Context, level, indicator string, withGeometry bool) (_ *access.AreaTable, err error) {
	defer wrap(&err, "Store.AreaIndicator(%q, %q)", level, indicator)
	if !areaLevels[level] {
		return nil, errs.E(errs.Invalid, "level %q: want district, oblast, macroregion, agglomeration or country", level)
	}
	runID, _, err := s.latestRun(ctx)
	if err != nil {
		return nil, err
	}
	var exists bool
	if err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM area_indicator WHERE run_id = $1 AND indicator = $2)`, runID, indicator).Scan(&exists); err != nil {
		return nil, Unavailable(ctx, err)
	}
	if !exists {
		return nil, errs.E(errs.NotFound, "indicator %q has no values in compute run %d (see /api/indicators/settlement and the indicator list)", indicator, runID)
	}
	geomSQL := "NULL::bytea"
	if withGeometry {
		geomSQL = "ST_AsBinary(a.geom)"
	}
	rows, err := s.pool.Query(ctx, `
		SELECT a.id, a.code, coalesce(a.name_kk, ''), coalesce(a.name_ru, ''), coalesce(a.name_en, ''),
		       i.value, coalesce(i.population, a.population, 0), coalesce(i.method, ''), coalesce(g.code, ''), `+geomSQL+`
		FROM area a
		LEFT JOIN area g ON g.id = a.group_id
		LEFT JOIN area_indicator i ON i.area_id = a.id AND i.run_id = $2 AND i.indicator = $3
		WHERE a.level = $1
		ORDER BY a.code`, level, runID, indicator)
	if err != nil {
		return nil, Unavailable(ctx, err)
	}
	defer rows.Close()
	t := &access.AreaTable{Level: level, Indicator: indicator, RunID: runID}
	for rows.Next() {
		var r access.AreaRow
		var g []byte
		if err := rows.Scan(&r.ID, &r.Code, &r.NameKK, &r.NameRU, &r.NameEN, &r.Value, &r.Population, &r.Method, &r.GroupCode, &g); err != nil {
			return nil, err
		}
		if r.Value != nil && (math.IsNaN(*r.Value) || math.IsInf(*r.Value, 0)) {
			r.Value = nil
		}
		if g != nil {
			geom, err := wkb.Unmarshal(g)
			if err != nil {
				return nil, fmt.Errorf("area %d geometry: %w", r.ID, err)
			}
			r.Geometry = geom
		}
		t.Rows = append(t.Rows, r)
	}
	return t, Unavailable(ctx, rows.Err())
}

// AreaIndicatorNames lists the area indicators of the latest compute run.
func (s *Store) AreaIndicatorNames(ctx context.Context) (_ []string, err error) {
	defer wrap(&err, "Store.AreaIndicatorNames")
	runID, _, err := s.latestRun(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, `SELECT DISTINCT indicator FROM area_indicator WHERE run_id = $1`, runID)
	if err != nil {
		return nil, Unavailable(ctx, err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	sort.Strings(names)
	return names, Unavailable(ctx, err)
}

// IndicatorProvenance returns, for each area indicator of the latest compute
// run, the methods its values were obtained by (statistics, estimated,
// network, straight-line, mixed), and the run's id.
func (s *Store) IndicatorProvenance(ctx context.Context) (_ map[string][]string, runID int64, err error) {
	defer wrap(&err, "Store.IndicatorProvenance")
	runID, _, err = s.latestRun(ctx)
	if err != nil {
		return nil, 0, err
	}
	rows, err := s.pool.Query(ctx, `SELECT indicator, array_agg(DISTINCT coalesce(method, '') ORDER BY coalesce(method, ''))
		FROM area_indicator WHERE run_id = $1 AND value IS NOT NULL GROUP BY indicator`, runID)
	if err != nil {
		return nil, 0, Unavailable(ctx, err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var name string
		var methods []string
		if err := rows.Scan(&name, &methods); err != nil {
			return nil, 0, err
		}
		out[name] = methods
	}
	return out, runID, Unavailable(ctx, rows.Err())
}

// SyntheticData reports whether any loaded settlement, facility or road is
// SYNTHETIC (test and benchmark fixtures), so outputs can say so.
func (s *Store) SyntheticData(ctx context.Context) (bool, error) {
	var syn bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM settlement WHERE source = 'synthetic')
		OR EXISTS (SELECT 1 FROM facility WHERE source = 'synthetic') OR EXISTS (SELECT 1 FROM road WHERE source = 'synthetic')`).Scan(&syn)
	return syn, Unavailable(ctx, err)
}

// GroupNames names the macroregions and agglomerations by code.
func (s *Store) GroupNames(ctx context.Context) (_ map[string]indicator.Text, err error) {
	defer wrap(&err, "Store.GroupNames")
	rows, err := s.pool.Query(ctx, `SELECT code, name_kk, name_ru, name_en FROM area_group`)
	if err != nil {
		return nil, Unavailable(ctx, err)
	}
	defer rows.Close()
	out := map[string]indicator.Text{}
	for rows.Next() {
		var code string
		var t indicator.Text
		if err := rows.Scan(&code, &t.KK, &t.RU, &t.EN); err != nil {
			return nil, err
		}
		out[code] = t
	}
	return out, Unavailable(ctx, rows.Err())
}

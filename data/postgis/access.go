package postgis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/aimaq/aimaq/data/reference"
	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/indicator"
	"github.com/aimaq/aimaq/internal/errs"
	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb/encoding/wkb"
)

// computeRun is the latest finished compute run as the API reports it.
type computeRun struct {
	id int64
	at time.Time
	// stale: data was imported after the run read it, so its figures are
	// older than the data the tiles and features show.
	stale bool
	// detour and kmh are the run's straight-line rule (its stored options),
	// which an estimated time states; 0 when the run did not store them.
	detour, kmh float64
}

// latestRun returns the latest finished compute run, or errs.NotFound.
func (s *Store) latestRun(ctx context.Context) (r computeRun, err error) {
	err = s.pool.QueryRow(ctx, `SELECT id, finished_at, coalesce((SELECT max(id) FROM import_run), 0) > data_generation,
		       coalesce((params->>'circuity')::float8, 0), coalesce((params->>'fallback_kmh')::float8, 0)
		FROM compute_run WHERE status = 'done' ORDER BY id DESC LIMIT 1`).Scan(&r.id, &r.at, &r.stale, &r.detour, &r.kmh)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, errs.E(errs.NotFound, "no compute run has finished yet: run `aimaq compute`")
	}
	return r, Unavailable(ctx, err)
}

// SettlementAccess returns the accessibility figures of settlement id from the
// latest compute run.
func (s *Store) SettlementAccess(ctx context.Context, id int64) (_ *access.SettlementReport, err error) {
	defer wrap(&err, "Store.SettlementAccess(%d)", id)
	run, err := s.latestRun(ctx)
	if err != nil {
		return nil, err
	}
	runID := run.id
	r := &access.SettlementReport{ID: id, RunID: runID, ComputedAt: run.at, Stale: run.stale, Nearest: map[string]*access.FacilityRef{}}
	cat := indicator.Settlements()
	vals := make([]*float64, len(cat))
	var straight, assumed []string
	var nearest []byte
	var name, kk, ru, en, district, oblast *string
	dest := []any{&name, &kk, &ru, &en, &r.Place, &r.Population, &r.PopulationEstimated, &r.Lon, &r.Lat, &district, &oblast}
	for i := range vals {
		dest = append(dest, &vals[i])
	}
	var districtCode, centreSource, centreName, centreKK, centreRU, centreEN *string
	dest = append(dest, &r.SRS.Health, &r.SRS.School, &r.SRS.Road, &r.Method, &straight, &assumed, &nearest,
		&districtCode, &centreSource, &centreName, &centreKK, &centreRU, &centreEN)
	err = s.pool.QueryRow(ctx, settlementAccessSQL, id, runID).Scan(dest...)
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
	r.SRS.Score = vals[indicator.SettlementIndex("srs_score")]
	// An estimated time says how it was made: the straight-line distance of
	// the same trip, and the run's detour factor and speed.
	distance := map[string]*float64{} // target → its straight-line km
	for i, in := range cat {
		if in.Target != "" && !in.IsTime() {
			distance[in.Target] = vals[i]
		}
	}
	needsExtract := false // a missing figure that the OSM extract (LoadHint) would give
	for i, in := range cat {
		f := access.Figure{Indicator: in.Name, Unit: in.Unit, Value: vals[i], Method: access.FigureMethod(in, vals[i] != nil, straight)}
		if f.Value == nil {
			f.Needs = needs(in.Needs)
			if in.ToCentre() { // no centre to go to: not a matter of the OSM extract
				f.Needs = indicator.CentresNeed
			} else {
				needsExtract = true
			}
			r.Missing = append(r.Missing, in.Name)
		}
		if km := distance[in.Target]; f.Method == access.Estimated && km != nil && run.detour > 0 && run.kmh > 0 {
			f.Estimate = access.NewEstimate(*km, run.detour, run.kmh)
		}
		if f.Value != nil && in.Name == "paved_road_km" && slices.Contains(assumed, in.Name) {
			f.Assumed = &access.PavedAssumed
		}
		r.Figures = append(r.Figures, f)
	}
	if needsExtract {
		r.LoadHint = access.LoadHint
	}
	if nearest != nil {
		if err := json.Unmarshal(nearest, &r.Nearest); err != nil {
			return nil, fmt.Errorf("nearest facilities: %w", err)
		}
	}
	if centreSource != nil {
		r.DistrictCentre = &access.CentreRef{Name: deref(centreName), NameKK: deref(centreKK), NameRU: deref(centreRU), NameEN: deref(centreEN), Source: *centreSource}
		if err := referenceCentreNames(r.DistrictCentre, deref(districtCode)); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// referenceCentreNames names a centre found from the reference table as the
// table does: its official names, also where no mapped place matched it.
func referenceCentreNames(c *access.CentreRef, districtCode string) error {
	if c.Source == access.CentreDerived {
		return nil
	}
	rows, err := reference.DistrictCentres()
	if err != nil {
		return err
	}
	for _, row := range rows {
		if row.KATO == districtCode {
			c.Name, c.NameKK, c.NameRU, c.NameEN = "", row.NameKK, row.NameRU, row.NameEN
		}
	}
	return nil
}

// needs says what data a missing figure would need, as "facilities roads".
func needs(ns []indicator.Need) string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = string(n)
	}
	return strings.Join(out, " ")
}

// AreaIndicator returns one area indicator for every area of a level, from the
// latest compute run. Areas without a value are listed with a nil value.
func (s *Store) AreaIndicator(ctx context.Context, level, indicator string, withGeometry bool) (_ *access.AreaTable, err error) {
	defer wrap(&err, "Store.AreaIndicator(%q, %q)", level, indicator)
	run, err := s.latestRun(ctx)
	if err != nil {
		return nil, err
	}
	runID := run.id
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
	t := &access.AreaTable{Level: level, Indicator: indicator, RunID: runID, ComputedAt: run.at, Stale: run.stale}
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
	run, err := s.latestRun(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, `SELECT DISTINCT indicator FROM area_indicator WHERE run_id = $1`, run.id)
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
	run, err := s.latestRun(ctx)
	if err != nil {
		return nil, 0, err
	}
	runID = run.id
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

// Groups returns the macroregions and agglomerations, in the order of
// data/reference/groups.csv's codes (alphabetical).
func (s *Store) Groups(ctx context.Context) (_ []indicator.Group, err error) {
	defer wrap(&err, "Store.Groups")
	rows, err := s.pool.Query(ctx, `SELECT code, kind, name_kk, name_ru, name_en, color FROM area_group ORDER BY code`)
	if err != nil {
		return nil, Unavailable(ctx, err)
	}
	defer rows.Close()
	var out []indicator.Group
	for rows.Next() {
		var g indicator.Group
		if err := rows.Scan(&g.Code, &g.Kind, &g.Name.KK, &g.Name.RU, &g.Name.EN, &g.Color); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, Unavailable(ctx, rows.Err())
}

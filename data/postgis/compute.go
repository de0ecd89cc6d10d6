package postgis

import (
	"context"
	_ "embed"
	"fmt"
	"math"

	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/indicator"
	"github.com/aimaq/aimaq/geo/route"
	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

var (
	//go:embed sql/compute_settlements.sql
	computeSettlementsSQL string
	//go:embed sql/compute_facilities.sql
	computeFacilitiesSQL string
	//go:embed sql/compute_areas.sql
	computeAreasSQL string
	//go:embed sql/compute_area_stats.sql
	computeAreaStatsSQL string
	//go:embed sql/compute_prune.sql
	computePruneSQL string
)

const computeRoadsSQL = `SELECT id, class, coalesce(paved, false), coalesce(speed_kmh, 0), oneway, ST_AsBinary(geom) FROM road ORDER BY id`

// DataGeneration is the id of the latest import (0 before any): a compute
// run records the one it saw, so that a newer one makes its results stale.
func (s *Store) DataGeneration(ctx context.Context) (_ int64, err error) {
	defer wrap(&err, "Store.DataGeneration")
	gen, err := s.Generation(ctx)
	// Generation keeps the latest import in its high bits.
	return gen >> 32, err
}

// LatestRunGeneration is the DataGeneration the latest finished compute run
// saw, or -1 when no run has finished.
func (s *Store) LatestRunGeneration(ctx context.Context) (_ int64, err error) {
	defer wrap(&err, "Store.LatestRunGeneration")
	var gen int64
	err = s.pool.QueryRow(ctx, `SELECT coalesce((SELECT data_generation FROM compute_run WHERE status = 'done' ORDER BY id DESC LIMIT 1), -1)`).Scan(&gen)
	return gen, err
}

// ComputeRun is a compute run under way: one repeatable-read transaction
// reads its input and writes its results, so that the results stand for one
// snapshot of the data and appear all at once. End it with Finish, or with
// Abort on any error.
type ComputeRun struct {
	ID    int64
	store *Store
	tx    pgx.Tx
	done  bool
}

// BeginComputeRun records a new compute run with its params (JSON) and the
// data generation it sees, then opens its transaction. The run's row is
// written first, outside the transaction, so that a failed run stays on
// record as failed.
func (s *Store) BeginComputeRun(ctx context.Context, params []byte) (_ *ComputeRun, err error) {
	defer wrap(&err, "Store.BeginComputeRun")
	gen, err := s.DataGeneration(ctx)
	if err != nil {
		return nil, err
	}
	r := &ComputeRun{store: s}
	if err := s.pool.QueryRow(ctx, `INSERT INTO compute_run (params, data_generation) VALUES ($1, $2) RETURNING id`, params, gen).Scan(&r.ID); err != nil {
		return nil, err
	}
	if r.tx, err = s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead}); err != nil {
		r.Abort()
		return nil, err
	}
	return r, nil
}

// Abort rolls back the run's transaction, if still open, and marks the run
// failed. It does nothing after Finish.
func (r *ComputeRun) Abort() {
	if r.done {
		return
	}
	r.done = true
	// The caller's context may be cancelled already: end the run with a fresh one.
	ctx := context.Background()
	if r.tx != nil {
		_ = r.tx.Rollback(ctx)
	}
	_, _ = r.store.pool.Exec(ctx, `UPDATE compute_run SET status = 'failed', finished_at = now() WHERE id = $1`, r.ID)
}

// Finish marks the run done, drops the runs it supersedes (keeping the three
// latest finished ones) and commits.
func (r *ComputeRun) Finish(ctx context.Context) (err error) {
	defer wrap(&err, "ComputeRun.Finish(%d)", r.ID)
	if _, err := r.tx.Exec(ctx, `UPDATE compute_run SET status = 'done', finished_at = now() WHERE id = $1`, r.ID); err != nil {
		return err
	}
	if _, err := r.tx.Exec(ctx, computePruneSQL); err != nil {
		return err
	}
	if err := r.tx.Commit(ctx); err != nil {
		return err
	}
	r.done = true
	return nil
}

// Input reads everything the run computes from: settlements, facilities,
// roads and areas.
func (r *ComputeRun) Input(ctx context.Context) (_ *access.Input, err error) {
	defer wrap(&err, "ComputeRun.Input(%d)", r.ID)
	in := &access.Input{}
	if in.Settlements, err = readSettlements(ctx, r.tx); err != nil {
		return nil, err
	}
	if in.Facilities, err = readFacilities(ctx, r.tx); err != nil {
		return nil, err
	}
	if in.Roads, err = readRoads(ctx, r.tx); err != nil {
		return nil, err
	}
	if in.Areas, err = readAreas(ctx, r.tx); err != nil {
		return nil, err
	}
	return in, nil
}

// NearbyInput reads what access.Nearby is built from: the facilities and the
// roads, from one snapshot.
func (s *Store) NearbyInput(ctx context.Context) (_ []access.Facility, _ []route.Road, err error) {
	defer wrap(&err, "Store.NearbyInput")
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, nil, Unavailable(ctx, err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // read-only
	fs, err := readFacilities(ctx, tx)
	if err != nil {
		return nil, nil, Unavailable(ctx, err)
	}
	roads, err := readRoads(ctx, tx)
	if err != nil {
		return nil, nil, Unavailable(ctx, err)
	}
	return fs, roads, nil
}

func readSettlements(ctx context.Context, tx pgx.Tx) ([]access.Settlement, error) {
	rows, err := tx.Query(ctx, computeSettlementsSQL)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []access.Settlement
	for rows.Next() {
		var s access.Settlement
		if err := rows.Scan(&s.ID, &s.Point[0], &s.Point[1], &s.Population, &s.Place, &s.District, &s.Oblast); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func readFacilities(ctx context.Context, tx pgx.Tx) ([]access.Facility, error) {
	rows, err := tx.Query(ctx, computeFacilitiesSQL)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []access.Facility
	for rows.Next() {
		var f access.Facility
		if err := rows.Scan(&f.ID, &f.Kind, &f.Name, &f.Capacity, &f.Point[0], &f.Point[1], &f.District, &f.Oblast); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

func readRoads(ctx context.Context, tx pgx.Tx) ([]route.Road, error) {
	rows, err := tx.Query(ctx, computeRoadsSQL)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []route.Road
	for rows.Next() {
		var r route.Road
		g := wkb.Scanner(nil)
		if err := rows.Scan(&r.ID, &r.Class, &r.Paved, &r.SpeedKmh, &r.Oneway, g); err != nil {
			return nil, err
		}
		ls, ok := g.Geometry.(orb.LineString)
		if !ok {
			return nil, fmt.Errorf("road %d: geometry %T, want LineString", r.ID, g.Geometry)
		}
		r.Line = ls
		out = append(out, r)
	}
	return out, rows.Err()
}

func readAreas(ctx context.Context, tx pgx.Tx) ([]access.Area, error) {
	rows, err := tx.Query(ctx, computeAreasSQL)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []access.Area
	for rows.Next() {
		var a access.Area
		var lon, lat *float64
		if err := rows.Scan(&a.ID, &a.Level, &a.Group, &a.Population, &a.Estimated, &a.Km2, &lon, &lat); err != nil {
			return nil, err
		}
		if lon != nil && lat != nil {
			a.Centre = &orb.Point{*lon, *lat}
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// WriteSettlements writes one settlement_access row per settlement, figures
// in the order of settlements.
func (r *ComputeRun) WriteSettlements(ctx context.Context, settlements []access.Settlement, figures []access.Figures) (err error) {
	defer wrap(&err, "ComputeRun.WriteSettlements(%d, %d rows)", r.ID, len(figures))
	cat := indicator.Settlements()
	cols := []string{"run_id", "settlement_id"}
	for _, in := range cat {
		cols = append(cols, in.Name) // settlement_access has a column per catalogue entry
	}
	cols = append(cols, "nearest_school_id", "nearest_clinic_id", "nearest_hospital_id", "srs_health_ok", "srs_school_ok", "srs_road_ok",
		"method", "straight_line")
	_, err = r.tx.CopyFrom(ctx, pgx.Identifier{"settlement_access"}, cols, pgx.CopyFromSlice(len(figures), func(i int) ([]any, error) {
		f := &figures[i]
		row := make([]any, 0, len(cols))
		row = append(row, r.ID, settlements[i].ID)
		for _, v := range f.Values {
			row = append(row, nullIfNaN(v))
		}
		straight := f.StraightLine
		if straight == nil {
			straight = []string{}
		}
		return append(row, nullIfZero(f.NearestSchool), nullIfZero(f.NearestClinic), nullIfZero(f.NearestHospital),
			f.SRS.Health, f.SRS.School, f.SRS.Road, f.Method, straight), nil
	}))
	return err
}

// WriteAreas writes the area indicators of the run, then adds the regional
// statistics per 10,000 people that the database holds.
func (r *ComputeRun) WriteAreas(ctx context.Context, values []access.AreaValue) (err error) {
	defer wrap(&err, "ComputeRun.WriteAreas(%d, %d rows)", r.ID, len(values))
	if _, err := r.tx.CopyFrom(ctx, pgx.Identifier{"area_indicator"}, []string{"run_id", "area_id", "indicator", "value", "population", "method"},
		pgx.CopyFromSlice(len(values), func(i int) ([]any, error) {
			v := &values[i]
			return []any{r.ID, v.Area, v.Indicator, v.Value, int64(math.Round(v.Population)), v.Method}, nil
		})); err != nil {
		return err
	}
	_, err = r.tx.Exec(ctx, computeAreaStatsSQL, r.ID, access.Statistics)
	return err
}

// nullIfNaN turns NaN (and ±Inf) into SQL NULL.
func nullIfNaN(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return v
}

// nullIfZero turns the id 0 (none) into SQL NULL.
func nullIfZero(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}

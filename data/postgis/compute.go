package postgis

import (
	"context"
	_ "embed"
	"fmt"
	"github.com/aimaq/aimaq/data/reference"
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

// computeRoadsSQL reads the roads for route.Build: node_ids (NULL for roads
// not from OpenStreetMap) make the graph join roads by OSM node id.
const computeRoadsSQL = `SELECT id, class, coalesce(paved, false), paved_assumed, coalesce(maxspeed_kmh, 0), coalesce(speed_kmh, 0), oneway, node_ids, ST_AsBinary(geom) FROM road ORDER BY id`

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

// Finish marks the run done, drops the runs it supersedes (keeping the
// KeepRuns latest finished ones) and commits.
func (r *ComputeRun) Finish(ctx context.Context) (err error) {
	defer wrap(&err, "ComputeRun.Finish(%d)", r.ID)
	if _, err := r.tx.Exec(ctx, `UPDATE compute_run SET status = 'done', finished_at = now() WHERE id = $1`, r.ID); err != nil {
		return err
	}
	if _, err := r.tx.Exec(ctx, computePruneSQL, KeepRuns); err != nil {
		return err
	}
	if err := writeTileAttr(ctx, r.tx, r.ID); err != nil {
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

// readAll runs query in tx and reads each row with scan.
func readAll[T any](ctx context.Context, tx pgx.Tx, query string, scan func(row pgx.CollectableRow, v *T) error, args ...any) ([]T, error) {
	rows, err := tx.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (v T, err error) {
		err = scan(row, &v)
		return v, err
	})
}

func readSettlements(ctx context.Context, tx pgx.Tx) ([]access.Settlement, error) {
	return readAll(ctx, tx, computeSettlementsSQL, func(row pgx.CollectableRow, s *access.Settlement) error {
		return row.Scan(&s.ID, &s.Point[0], &s.Point[1], &s.Population, &s.Place, &s.District, &s.Oblast)
	})
}

func readFacilities(ctx context.Context, tx pgx.Tx) ([]access.Facility, error) {
	return readAll(ctx, tx, computeFacilitiesSQL, func(row pgx.CollectableRow, f *access.Facility) error {
		return row.Scan(&f.ID, &f.Kind, &f.Name, &f.Capacity, &f.Point[0], &f.Point[1], &f.District, &f.Oblast)
	})
}

func readRoads(ctx context.Context, tx pgx.Tx) ([]route.Road, error) {
	return readAll(ctx, tx, computeRoadsSQL, func(row pgx.CollectableRow, r *route.Road) error {
		g := wkb.Scanner(nil)
		if err := row.Scan(&r.ID, &r.Class, &r.Paved, &r.PavedAssumed, &r.MaxspeedKmh, &r.SpeedKmh, &r.Oneway, &r.Nodes, g); err != nil {
			return err
		}
		ls, ok := g.Geometry.(orb.LineString)
		if !ok {
			return fmt.Errorf("road %d: geometry %T, want LineString", r.ID, g.Geometry)
		}
		r.Line = ls
		return nil
	})
}

func readAreas(ctx context.Context, tx pgx.Tx) ([]access.Area, error) {
	cities, err := reference.CityKATOs()
	if err != nil {
		return nil, err
	}
	return readAll(ctx, tx, computeAreasSQL, func(row pgx.CollectableRow, a *access.Area) error {
		var lon, lat *float64
		if err := row.Scan(&a.ID, &a.Level, &a.Group, &a.Parent, &a.CityPart, &a.Population, &a.Estimated, &a.Km2, &lon, &lat); err != nil {
			return err
		}
		if lon != nil && lat != nil {
			a.Centre = &orb.Point{*lon, *lat}
		}
		return nil
	}, cities)
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
		"method", "straight_line", "assumed")
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
		assumed := f.Assumed
		if assumed == nil {
			assumed = []string{}
		}
		return append(row, nullIfZero(f.NearestSchool), nullIfZero(f.NearestClinic), nullIfZero(f.NearestHospital),
			f.SRS.Health, f.SRS.School, f.SRS.Road, f.Method, straight, assumed), nil
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

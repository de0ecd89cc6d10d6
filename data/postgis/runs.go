package postgis

import (
	"context"
	_ "embed"
	"errors"
	"math"
	"time"

	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/internal/errs"
	"github.com/jackc/pgx/v5"
)

// KeepRuns is how many finished compute runs the store keeps, results and
// all (compute_prune.sql). Twelve let the map and the disparity panel show
// change over a year of monthly runs; a run costs about one row per
// settlement plus one per area and indicator, small beside the roads.
const KeepRuns = 12

var (
	//go:embed sql/runs.sql
	runsSQL string
	//go:embed sql/area_indicator_run.sql
	areaIndicatorRunSQL string
)

// Runs lists the compute runs kept, newest first.
func (s *Store) Runs(ctx context.Context) (_ []access.Run, err error) {
	defer wrap(&err, "Store.Runs")
	rows, err := s.pool.Query(ctx, runsSQL)
	if err != nil {
		return nil, Unavailable(ctx, err)
	}
	defer rows.Close()
	out := []access.Run{}
	for rows.Next() {
		var r access.Run
		var imp access.RunImport
		var impID *int64
		var latest *bool
		if err := rows.Scan(&r.ID, &r.Status, &r.StartedAt, &r.FinishedAt, &r.DataGeneration,
			&impID, &imp.Dataset, &imp.Source, &imp.FinishedAt, &r.ParamsDigest, &r.Settlements, &r.Areas, &r.Stale, &latest); err != nil {
			return nil, err
		}
		if impID != nil {
			imp.ID = *impID
			r.Import = &imp
		}
		r.Latest = latest != nil && *latest
		out = append(out, r)
	}
	return out, Unavailable(ctx, rows.Err())
}

// RunAreaIndicator is AreaIndicator for a given finished run: errs.NotFound
// when the run does not exist, was dropped or did not finish, or the
// indicator has no values in it.
func (s *Store) RunAreaIndicator(ctx context.Context, runID int64, level, indicator string) (_ *access.AreaTable, err error) {
	defer wrap(&err, "Store.RunAreaIndicator(%d, %q, %q)", runID, level, indicator)
	var at time.Time
	var stale, exists bool
	err = s.pool.QueryRow(ctx, `SELECT finished_at, coalesce((SELECT max(id) FROM import_run), 0) > data_generation,
		       EXISTS (SELECT 1 FROM area_indicator WHERE run_id = $1 AND indicator = $2)
		FROM compute_run WHERE id = $1 AND status = 'done'`, runID, indicator).Scan(&at, &stale, &exists)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "compute run %d does not exist or was not kept (the latest %d finished runs are; see /api/runs)", runID, KeepRuns)
	}
	if err != nil {
		return nil, Unavailable(ctx, err)
	}
	if !exists {
		return nil, errs.E(errs.NotFound, "indicator %q has no values in compute run %d", indicator, runID)
	}
	rows, err := s.pool.Query(ctx, areaIndicatorRunSQL, level, runID, indicator)
	if err != nil {
		return nil, Unavailable(ctx, err)
	}
	defer rows.Close()
	t := &access.AreaTable{Level: level, Indicator: indicator, RunID: runID, ComputedAt: at, Stale: stale}
	for rows.Next() {
		var r access.AreaRow
		if err := rows.Scan(&r.ID, &r.Code, &r.NameKK, &r.NameRU, &r.NameEN, &r.Value, &r.Population, &r.Method, &r.GroupCode); err != nil {
			return nil, err
		}
		if r.Value != nil && (math.IsNaN(*r.Value) || math.IsInf(*r.Value, 0)) {
			r.Value = nil
		}
		t.Rows = append(t.Rows, r)
	}
	return t, Unavailable(ctx, rows.Err())
}

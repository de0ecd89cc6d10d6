package postgis

import (
	"context"
	"errors"

	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/internal/errs"
	"github.com/jackc/pgx/v5"
)

// RunInput is what a scenario baseline is built from: the latest finished
// compute run, its stored parameters, the input read the way the run read
// it (ComputeRun.Input) and each settlement's names.
type RunInput struct {
	Run    access.Run // ID, FinishedAt, DataGeneration and Stale are filled
	Params []byte     // compute_run.params as stored
	Input  *access.Input
	// Names are the settlements' names, district and oblast (the fields of
	// access.SettlementReport that name it), by settlement id.
	Names map[int64]access.SettlementReport
}

// LatestRunID is the id of the latest finished compute run; errs.NotFound
// when none has finished.
func (s *Store) LatestRunID(ctx context.Context) (_ int64, err error) {
	defer wrap(&err, "Store.LatestRunID")
	var id int64
	err = s.pool.QueryRow(ctx, `SELECT id FROM compute_run WHERE status = 'done' ORDER BY id DESC LIMIT 1`).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, errs.E(errs.NotFound, "no compute run has finished: run aimaq compute")
	}
	return id, Unavailable(ctx, err)
}

// LatestRunInput reads the latest finished compute run and, from one
// snapshot, the input a run reads (the functions of ComputeRun.Input). The
// tables hold the current data: when data was imported after the run, Stale
// says so (the input is then newer than the run's results).
func (s *Store) LatestRunInput(ctx context.Context) (_ *RunInput, err error) {
	defer wrap(&err, "Store.LatestRunInput")
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, Unavailable(ctx, err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // read-only
	out := &RunInput{Input: &access.Input{}}
	err = tx.QueryRow(ctx, `SELECT id, started_at, finished_at, data_generation, params FROM compute_run WHERE status = 'done' ORDER BY id DESC LIMIT 1`).
		Scan(&out.Run.ID, &out.Run.StartedAt, &out.Run.FinishedAt, &out.Run.DataGeneration, &out.Params)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "no compute run has finished: run aimaq compute")
	}
	if err != nil {
		return nil, Unavailable(ctx, err)
	}
	out.Run.Status = "done"
	var gen int64
	if err := tx.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM import_run`).Scan(&gen); err != nil { // as DataGeneration
		return nil, Unavailable(ctx, err)
	}
	out.Run.Stale = gen > out.Run.DataGeneration
	in := out.Input
	if in.Settlements, err = readSettlements(ctx, tx); err != nil {
		return nil, Unavailable(ctx, err)
	}
	if in.Facilities, err = readFacilities(ctx, tx); err != nil {
		return nil, Unavailable(ctx, err)
	}
	if in.Roads, err = readRoads(ctx, tx); err != nil {
		return nil, Unavailable(ctx, err)
	}
	if in.Areas, err = readAreas(ctx, tx); err != nil {
		return nil, Unavailable(ctx, err)
	}
	rows, err := tx.Query(ctx, `
		SELECT s.id, coalesce(s.name, ''), coalesce(s.name_kk, ''), coalesce(s.name_ru, ''), coalesce(s.name_en, ''), s.place,
		       coalesce(s.population, 0), s.population_estimated, ST_X(s.geom), ST_Y(s.geom),
		       coalesce(d.name_ru, d.name_en, ''), coalesce(o.name_ru, o.name_en, '')
		  FROM settlement s
		  LEFT JOIN area d ON d.id = s.district_id
		  LEFT JOIN area o ON o.id = s.oblast_id`)
	if err != nil {
		return nil, Unavailable(ctx, err)
	}
	out.Names = make(map[int64]access.SettlementReport, len(in.Settlements))
	var r access.SettlementReport
	_, err = pgx.ForEachRow(rows, []any{&r.ID, &r.Name, &r.NameKK, &r.NameRU, &r.NameEN, &r.Place, &r.Population, &r.PopulationEstimated,
		&r.Lon, &r.Lat, &r.District, &r.Oblast}, func() error {
		out.Names[r.ID] = r
		return nil
	})
	if err != nil {
		return nil, Unavailable(ctx, err)
	}
	return out, nil
}

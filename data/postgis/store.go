// Package postgis is aimaq's storage: the connection pool, the embedded schema
// migrations and the queries that read PostGIS for tiles and the API.
package postgis

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Store is a pool of connections to one PostGIS database.
type Store struct {
	pool *pgxpool.Pool
	mem  memTiles // the tiles of the latest data generation, in memory (TileAt)
}

// Open connects to the database at url and checks it answers.
func Open(ctx context.Context, url string) (_ *Store, err error) {
	defer wrap(&err, "postgis.Open")
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, err
	}
	if cfg.MaxConns < 8 {
		cfg.MaxConns = 8
	}
	cfg.ConnConfig.RuntimeParams["application_name"] = "aimaq"
	// aimaq's queries are many short ones with large PostGIS cost estimates,
	// which make PostgreSQL compile them with JIT: 0.2–0.5 s of compiling for
	// a query that runs in 0.3 s. Off for our sessions only.
	cfg.ConnConfig.RuntimeParams["jit"] = "off"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return &Store{pool: pool}, nil
}

// Close releases every connection.
func (s *Store) Close() { s.pool.Close() }

// Ping checks that the database answers, for readiness probes.
func (s *Store) Ping(ctx context.Context) error { return s.pool.Ping(ctx) }

// Checkpoint asks the server to write its dirty pages now, so that after a
// crash it replays little WAL and is back in seconds (aimaq calls it after an
// import and a compute run, before serving). It needs a superuser or
// pg_checkpoint; callers treat a refusal as harmless.
func (s *Store) Checkpoint(ctx context.Context) error {
	_, err := s.pool.Exec(ctx, "CHECKPOINT")
	return err
}

// Counts reports the number of rows of each loaded dataset.
type Counts struct {
	Countries, Oblasts, Districts, Groups, Settlements int64
}

// Counts returns how much data is loaded; all zero means an empty database.
func (s *Store) Counts(ctx context.Context) (c Counts, err error) {
	defer wrap(&err, "Store.Counts")
	err = s.pool.QueryRow(ctx, `
		SELECT count(*) FILTER (WHERE level = 'country'),
		       count(*) FILTER (WHERE level = 'oblast'),
		       count(*) FILTER (WHERE level = 'district'),
		       count(*) FILTER (WHERE level IN ('macroregion','agglomeration')),
		       (SELECT count(*) FROM settlement)
		FROM area`).Scan(&c.Countries, &c.Oblasts, &c.Districts, &c.Groups, &c.Settlements)
	return c, err
}

func wrap(errp *error, format string, args ...any) {
	if *errp != nil {
		*errp = fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), *errp)
	}
}

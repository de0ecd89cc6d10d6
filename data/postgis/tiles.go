package postgis

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/aimaq/aimaq/geo/topo"
	"github.com/aimaq/aimaq/internal/errs"
	"github.com/aimaq/aimaq/tiles"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

//go:embed sql/generation.sql
var generationSQL string

// Tile cuts tile t of layer l with the layer's SQL, z, x and y bound as $1..$3.
// It returns the MVT bytes, uncompressed; no features gives empty data and a
// nil error. A timeout or an unreachable database is an errs.Unavailable error.
func (s *Store) Tile(ctx context.Context, l tiles.Layer, t tiles.Tile) (_ []byte, err error) {
	defer wrap(&err, "Store.Tile(%s, %s)", l.Name, t)
	var mvt []byte // ST_AsMVT over no rows may give NULL: nil here
	if err := s.pool.QueryRow(ctx, l.SQL, int32(t.Z), int32(t.X), int32(t.Y)).Scan(&mvt); err != nil {
		return nil, Unavailable(ctx, err)
	}
	return mvt, nil
}

// Generation returns a number that changes with every import and compute run, so callers can
// key caches of derived data, such as tiles, on it.
func (s *Store) Generation(ctx context.Context) (_ int64, err error) {
	defer wrap(&err, "Store.Generation")
	var gen int64
	if err := s.pool.QueryRow(ctx, generationSQL).Scan(&gen); err != nil {
		return 0, Unavailable(ctx, err)
	}
	return gen, nil
}

// Unavailable marks err as errs.Unavailable when the database timed out, was
// cancelled or could not be reached: the client may retry. Any other error is
// returned as it is (nil stays nil), an internal error whose text clients
// never see. Every database call answering an HTTP request goes through it.
func Unavailable(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	var pgErr *pgconn.PgError
	var connErr *pgconn.ConnectError
	switch {
	case ctx.Err() != nil, pgconn.Timeout(err), errors.Is(err, context.DeadlineExceeded):
		return errs.Wrap(errs.Unavailable, err, "database query timed out")
	case errors.As(err, &pgErr) && (pgErr.Code == "57014" || // query_canceled: statement_timeout
		pgErr.Code == "57P01" || pgErr.Code == "57P02" || pgErr.Code == "57P03" || // admin_shutdown, crash_shutdown, cannot_connect_now
		pgErr.Code == "53300" || // too_many_connections
		strings.HasPrefix(pgErr.Code, "08")): // connection exception
		return errs.Wrap(errs.Unavailable, err, "database unavailable")
	case errors.As(err, &connErr), lostConnection(err):
		return errs.Wrap(errs.Unavailable, err, "database unavailable")
	}
	return err
}

// lostConnection reports whether err is the connection to the database
// breaking under a query (the server died or restarted): a broken pipe, a
// reset, an unexpected end of stream, or pgx's closed connection.
func lostConnection(err error) bool {
	var netErr net.Error
	switch {
	case errors.Is(err, syscall.EPIPE), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNREFUSED),
		errors.Is(err, syscall.ENOENT), // the socket file is gone
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF), errors.As(err, &netErr):
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "conn closed") || strings.Contains(msg, "conn busy") && strings.Contains(msg, "closed")
}

// tileSnap is the distance in metres (EPSG:3857) within which vertices of
// neighbouring areas are merged, and a vertex is put into a neighbour's
// segment, before their shared borders are found. The real oblast
// boundaries repeat their neighbours' vertices with up to 1e-13 degrees of
// noise; some district borders across oblasts are traced twice, 0.05–1 m
// apart. 2 m is a fifth of a pixel at z14, under the finest band's
// tolerance; 12 m merges distinct vertices and breaks rings.
const tileSnap = 2

// refreshTileTables rebuilds area_tile inside tx, the transaction that
// changed the data, for the levels whose geometry changed (area_tile_dirty,
// kept by a trigger on area). Imports (Store.Begin) and migrations
// (Store.Migrate) call it before they commit, so tiles never see new
// boundaries generalised apart from their neighbours for longer than the
// transaction that writes them outside an import.
func refreshTileTables(ctx context.Context, tx pgx.Tx) error {
	rows, err := tx.Query(ctx, `SELECT level FROM area_tile_dirty ORDER BY level FOR UPDATE`)
	if err != nil {
		return fmt.Errorf("tile geometry: %w", err)
	}
	levels, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("tile geometry: %w", err)
	}
	for _, level := range levels {
		if err := rebuildAreaTiles(ctx, tx, level); err != nil {
			return fmt.Errorf("tile geometry of the %s areas: %w", level, err)
		}
	}
	if len(levels) > 0 {
		if _, err := tx.Exec(ctx, `DELETE FROM area_tile_dirty`); err != nil {
			return fmt.Errorf("tile geometry: %w", err)
		}
	}
	return nil
}

// writeTileAttr stores the area indicators of run as the tiles carry them
// (area_tile_attr), in the run's own transaction.
func writeTileAttr(ctx context.Context, tx pgx.Tx, run int64) error {
	_, err := tx.Exec(ctx, `INSERT INTO area_tile_attr (run_id, area_id, indicators)
		SELECT $1, i.area_id, jsonb_object_agg(i.indicator, round(i.value::numeric, 4))
		  FROM area_indicator i
		 WHERE i.run_id = $1 AND i.value IS NOT NULL
		 GROUP BY i.area_id`, run)
	if err != nil {
		return fmt.Errorf("tile indicators: %w", err)
	}
	return nil
}

// rebuildAreaTiles writes the rows of level anew: the areas' rings are cut
// into shared arcs (geo/topo), and for each zoom band the arcs are simplified
// once and the areas rebuilt from them. Where a simplified arc would cross
// another it is simplified less; ST_MakeValid repairs what is left (rings
// the source itself got crossed). An area that collapses at a band (smaller
// than the tolerance) has no row there.
func rebuildAreaTiles(ctx context.Context, tx pgx.Tx, level string) error {
	if _, err := tx.Exec(ctx, `DELETE FROM area_tile WHERE level = $1`, level); err != nil {
		return err
	}
	rows, err := tx.Query(ctx, `SELECT id, ST_AsBinary(geom_3857),
		greatest(ST_XMax(geom_3857) - ST_XMin(geom_3857), ST_YMax(geom_3857) - ST_YMin(geom_3857))
		FROM area WHERE level = $1 ORDER BY id`, level)
	if err != nil {
		return err
	}
	var (
		ids   []int64
		sizes []float64
		polys []orb.MultiPolygon
	)
	for rows.Next() {
		var (
			id   int64
			b    []byte
			size float64
		)
		if err := rows.Scan(&id, &b, &size); err != nil {
			rows.Close()
			return err
		}
		g, err := wkb.Unmarshal(b)
		if err != nil {
			rows.Close()
			return fmt.Errorf("area %d: %w", id, err)
		}
		var mp orb.MultiPolygon
		switch g := g.(type) {
		case orb.MultiPolygon:
			mp = g
		case orb.Polygon:
			mp = orb.MultiPolygon{g}
		default:
			rows.Close()
			return fmt.Errorf("area %d: geometry is a %s, not a polygon", id, g.GeoJSONType())
		}
		ids, sizes, polys = append(ids, id), append(sizes, size), append(polys, mp)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	t := topo.Build(polys, tileSnap)
	var batch pgx.Batch
	for _, band := range tiles.AreaBands {
		for i, mp := range t.Simplify(band.Tolerance()) {
			if len(mp) == 0 {
				continue
			}
			b, err := wkb.Marshal(mp)
			if err != nil {
				return fmt.Errorf("area %d: %w", ids[i], err)
			}
			batch.Queue(`INSERT INTO area_tile (area_id, level, zmin, zmax, size, geom)
				SELECT $1, $2, $3, $4, $5, ST_Multi(v.g)
				  FROM (SELECT ST_GeomFromWKB($6, 3857) AS g) s,
				       LATERAL (SELECT CASE WHEN ST_IsValid(s.g) THEN s.g
				                            ELSE ST_CollectionExtract(ST_MakeValid(s.g), 3) END AS g) v
				 WHERE NOT ST_IsEmpty(v.g)`,
				ids[i], level, int16(band.MinZoom), int16(band.MaxZoom), sizes[i], b)
		}
	}
	return tx.SendBatch(ctx, &batch).Close()
}

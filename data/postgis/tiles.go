package postgis

import (
	"context"
	_ "embed"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/aimaq/aimaq/internal/errs"
	"github.com/aimaq/aimaq/tiles"
	"github.com/jackc/pgx/v5/pgconn"
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

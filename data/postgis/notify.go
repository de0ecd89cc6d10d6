package postgis

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
)

// GenerationChannel is the channel on which the database announces a new
// data generation (migration 0011: a trigger on import_run and compute_run).
const GenerationChannel = "aimaq_generation"

// WatchGeneration listens on GenerationChannel over a connection of its own
// and sends on changed whenever the data generation may have changed: on
// each notification, and after every (re)connection, since announcements made
// while it was not listening are lost. A send never blocks: changed should
// have a buffer of one, and a pending signal stands for any number of
// changes. A broken connection is retried with a backoff up to 5 s. It
// returns, closing changed, when ctx ends.
func (s *Store) WatchGeneration(ctx context.Context, changed chan<- struct{}, log *slog.Logger) {
	defer close(changed)
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	signal := func() {
		select {
		case changed <- struct{}{}:
		default:
		}
	}
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := s.listen(ctx, signal, func() { backoff = 100 * time.Millisecond })
		if ctx.Err() != nil {
			return
		}
		log.Warn("listening for data changes failed; polling meanwhile", "channel", GenerationChannel, "retry_in", backoff, "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 5*time.Second)
	}
}

// listen holds one LISTEN connection until it fails or ctx ends.
func (s *Store) listen(ctx context.Context, signal, connected func()) error {
	conn, err := pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig.Copy())
	if err != nil {
		return err
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = conn.Close(cctx)
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+GenerationChannel); err != nil {
		return err
	}
	connected()
	signal() // whatever changed while nobody listened
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return err
		}
		signal()
	}
}

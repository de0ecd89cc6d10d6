package postgis

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// Begin opens a transaction, for the importer (importer.DB): each import is
// one transaction that it commits or rolls back itself. The error is returned
// as pgx gives it, like Ping's: the importer wraps it with the dataset's name.
// Its Commit first brings the tile-ready tables up to date in the same
// transaction (refreshTileTables), so tiles never see the new data without
// them.
func (s *Store) Begin(ctx context.Context) (pgx.Tx, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, err
	}
	return tileRefreshTx{tx}, nil
}

// tileRefreshTx is a transaction whose Commit refreshes the tile tables first.
type tileRefreshTx struct{ pgx.Tx }

func (t tileRefreshTx) Commit(ctx context.Context) error {
	if err := refreshTileTables(ctx, t.Tx); err != nil {
		return err
	}
	return t.Tx.Commit(ctx)
}

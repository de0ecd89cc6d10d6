package postgis

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// Begin opens a transaction, for the importer (importer.DB): each import is
// one transaction that it commits or rolls back itself. The error is returned
// as pgx gives it, like Ping's: the importer wraps it with the dataset's name.
func (s *Store) Begin(ctx context.Context) (pgx.Tx, error) { return s.pool.Begin(ctx) }

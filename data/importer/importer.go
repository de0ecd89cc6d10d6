// Package importer loads source datasets into PostGIS: administrative
// boundaries, OpenStreetMap settlements, regional statistics and the
// macroregion groups. Every import is one transaction: on any error nothing
// changes, and the error names the file, the feature or line, and the field.
package importer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/aimaq/aimaq/internal/errs"
	"github.com/jackc/pgx/v5"
)

// importLock is the advisory lock key held by every import transaction ("import").
const importLock int64 = 0x696d706f7274

// Report says what an import did; it is stored in import_run.report and printed.
type Report struct {
	Dataset   string         `json:"dataset"`
	File      string         `json:"file"`
	Rows      int            `json:"rows"`
	Repaired  []string       `json:"repaired,omitempty"`  // geometries fixed with ST_MakeValid
	Clipped   int            `json:"clipped,omitempty"`   // features outside the country, left out
	Estimated int            `json:"estimated,omitempty"` // populations estimated
	Warnings  []string       `json:"warnings,omitempty"`
	Counts    map[string]int `json:"counts,omitempty"` // rows by kind, for imports of several kinds (OSM)
	Memory    *Memory        `json:"memory,omitempty"` // peak memory of streaming imports
	Duration  time.Duration  `json:"duration_ns"`
}

// Memory is the peak memory an import used, in MiB.
type Memory struct {
	HeapInuseMiB float64 `json:"heap_inuse_mib"`
	SysMiB       float64 `json:"sys_mib"`
	LiveMiB      float64 `json:"live_mib"`
}

// DB is the database an importer writes to: it opens the one transaction of
// each import, which the importer commits or rolls back. *postgis.Store
// satisfies it; it has the shape of pgx's own Begin, so a *pgxpool.Pool that
// callers still hand over satisfies it too.
type DB interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}

// Importer writes datasets into one database.
type Importer struct {
	db       DB
	progress io.Writer // nil: quiet
}

// New returns an importer; progress receives progress lines (nil keeps quiet, as in CI).
func New(db DB, progress io.Writer) *Importer {
	return &Importer{db: db, progress: progress}
}

// inTx runs fn in one transaction, with an import_run row recording the import.
func (im *Importer) inTx(ctx context.Context, dataset, file string, content []byte, fn func(tx pgx.Tx, runID int64, r *Report) error) (_ *Report, err error) {
	start := time.Now()
	r := &Report{Dataset: dataset, File: file}
	tx, err := im.db.Begin(ctx)
	if err != nil {
		return nil, errs.Wrap(errs.Unavailable, err, "import %s: database", dataset)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // no-op after Commit
	// One import at a time per database: re-imports replace rows, so two at once would race.
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, importLock); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(content)
	var runID int64
	if err := tx.QueryRow(ctx, `INSERT INTO import_run (dataset, source, sha256) VALUES ($1, $2, $3) RETURNING id`,
		dataset, file, hex.EncodeToString(sum[:])).Scan(&runID); err != nil {
		return nil, err
	}
	if err := fn(tx, runID, r); err != nil {
		return nil, err
	}
	if err := derive(ctx, tx, dataset, r); err != nil {
		return nil, fmt.Errorf("import %s: derive areas: %w", dataset, err)
	}
	r.Duration = time.Since(start)
	rep, _ := json.Marshal(r)
	if _, err := tx.Exec(ctx, `UPDATE import_run SET finished_at = now(), rows = $2, report = $3 WHERE id = $1`, runID, r.Rows, rep); err != nil {
		return nil, err
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, err
	}
	return r, nil
}

func (im *Importer) logf(format string, args ...any) {
	if im.progress != nil {
		fmt.Fprintf(im.progress, format, args...)
	}
}

// invalid is an input error: it names the file and the place in it.
func invalid(file, format string, args ...any) error {
	return errs.E(errs.Invalid, "%s: %s", file, fmt.Sprintf(format, args...))
}

// rate formats n items since start as a per-second rate for progress lines.
func rate(n int, start time.Time) string {
	d := time.Since(start).Seconds()
	if d <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f/s", float64(n)/d)
}

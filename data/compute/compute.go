// Package compute runs aimaq's accessibility computation against the
// database: it reads a run's input from PostGIS, computes every settlement
// and area figure in memory with geo/access, and writes settlement_access and
// area_indicator for a new compute_run — all results of a run in one
// transaction. Nearby keeps the point search of the API current with the data.
package compute

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/aimaq/aimaq/data/postgis"
	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/route"
)

// Store is what a run needs of the database.
type Store interface {
	BeginComputeRun(ctx context.Context, params []byte) (*postgis.ComputeRun, error)
	DataGeneration(ctx context.Context) (int64, error)
	LatestRunGeneration(ctx context.Context) (int64, error)
}

var _ Store = (*postgis.Store)(nil)

// Options are the parameters of a run; they are stored with it.
type Options struct {
	access.Options
	Progress io.Writer // each stage's duration as it ends; nil: quiet
}

// DefaultOptions are access.DefaultOptions, quietly.
func DefaultOptions() Options { return Options{Options: access.DefaultOptions()} }

// MarshalJSON is the form compute_run.params stores, with the keys runs have
// always been stored with: fallback_kmh repeats speeds.FallbackKmh, the speed
// of the straight-line rule.
func (o Options) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Speeds        route.Speeds `json:"speeds"`
		MaxSnapMetres float64      `json:"max_snap_m"`
		Circuity      float64      `json:"circuity"`
		FallbackKmh   float64      `json:"fallback_kmh"`
	}{o.Speeds, o.MaxSnapMetres, o.Circuity, o.Speeds.FallbackKmh})
}

// Step is the time one stage of a run took.
type Step struct {
	Name     string        `json:"name"`
	Duration time.Duration `json:"duration_ns"`
}

// Result describes a finished run.
type Result struct {
	RunID        int64    `json:"run_id"`
	Settlements  int      `json:"settlements"`
	Facilities   int      `json:"facilities"`
	Roads        int      `json:"roads"`
	Nodes        int      `json:"nodes"`
	Edges        int      `json:"edges"`
	Routed       int      `json:"routed"`        // settlements snapped to the network
	StraightLine int      `json:"straight_line"` // settlements with at least one straight-line value
	Missing      []string `json:"missing"`       // indicators not computable with the data loaded
	Steps        []Step   `json:"steps"`
}

// Run computes every indicator for the data in the database as a new run.
func Run(ctx context.Context, db Store, o Options) (res *Result, err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("compute.Run: %w", err)
		}
	}()
	res = &Result{}
	clock := time.Now()
	step := func(name string) {
		d := time.Since(clock)
		res.Steps = append(res.Steps, Step{name, d})
		if o.Progress != nil {
			fmt.Fprintf(o.Progress, "compute: %-28s %8v\n", name, d.Round(time.Millisecond))
		}
		clock = time.Now()
	}
	params, err := json.Marshal(o)
	if err != nil {
		return nil, err
	}
	run, err := db.BeginComputeRun(ctx, params)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			run.Abort()
		}
	}()
	res.RunID = run.ID
	in, err := run.Input(ctx)
	if err != nil {
		return nil, err
	}
	res.Settlements, res.Facilities, res.Roads = len(in.Settlements), len(in.Facilities), len(in.Roads)
	step(fmt.Sprintf("load (%d settlements)", len(in.Settlements)))
	out, err := access.Compute(in, o.Options, step)
	if err != nil {
		return nil, err
	}
	res.Nodes, res.Edges, res.Routed, res.StraightLine, res.Missing = out.Nodes, out.Edges, out.Routed, out.StraightLine, out.Missing
	if err := run.WriteSettlements(ctx, in.Settlements, out.Settlements); err != nil {
		return nil, err
	}
	step("write settlement_access")
	if err := run.WriteAreas(ctx, out.Areas); err != nil {
		return nil, err
	}
	step("write area_indicator")
	if err := run.Finish(ctx); err != nil {
		return nil, err
	}
	return res, nil
}

// Stale reports whether the data changed since the latest finished run (or
// there is none), so `aimaq run` knows to recompute.
func Stale(ctx context.Context, db Store) (_ bool, err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("compute.Stale: %w", err)
		}
	}()
	gen, err := db.DataGeneration(ctx)
	if err != nil {
		return false, err
	}
	seen, err := db.LatestRunGeneration(ctx)
	if err != nil {
		return false, err
	}
	return gen > seen, nil
}

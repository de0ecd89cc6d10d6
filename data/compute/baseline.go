package compute

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/aimaq/aimaq/data/postgis"
	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/scenario"
)

// BaselineStore is what Baselines reads.
type BaselineStore interface {
	LatestRunID(ctx context.Context) (int64, error)
	LatestRunInput(ctx context.Context) (*postgis.RunInput, error)
}

var _ BaselineStore = (*postgis.Store)(nil)

// Baselines keeps the scenario baseline of the latest finished compute run
// in memory: one baseline, built from the input the run reads
// (postgis.Store.LatestRunInput, the functions of ComputeRun.Input) with the
// options the run stored, rebuilt on the first evaluation after a newer run
// finished. Callers arriving during a build wait for it.
type Baselines struct {
	db BaselineStore

	mu       sync.Mutex
	cur      *builtBaseline
	building *build // nil when no build is under way
	failed   *build // the latest failed build: its run is not tried again
}

// builtBaseline is one run's baseline with what the answers need besides it.
type builtBaseline struct {
	base  *scenario.Baseline
	run   access.Run
	names map[int64]access.SettlementReport
	took  time.Duration // the time the build took (reading and building)
	costs costCache     // SRSCost's answers on this baseline
}

type build struct {
	done  chan struct{}
	runID int64 // the latest finished run when the build started
	tried int64 // the run whose input the build read; 0 when the read failed
	b     *builtBaseline
	err   error
}

// NewBaselines returns an empty keeper: the first evaluation builds.
func NewBaselines(db BaselineStore) *Baselines { return &Baselines{db: db} }

// RunOptions are the options a compute run stored (compute_run.params, as
// Options.MarshalJSON writes them) over the defaults, so that a run stored
// before an option existed takes that option's default.
func RunOptions(params []byte) (access.Options, error) {
	o := access.DefaultOptions()
	v := struct {
		Speeds        *json.RawMessage `json:"speeds"`
		MaxSnapMetres *float64         `json:"max_snap_m"`
		Circuity      *float64         `json:"circuity"`
	}{}
	if err := json.Unmarshal(params, &v); err != nil {
		return o, fmt.Errorf("compute.RunOptions: %w", err)
	}
	if v.Speeds != nil {
		if err := json.Unmarshal(*v.Speeds, &o.Speeds); err != nil {
			return o, fmt.Errorf("compute.RunOptions: speeds: %w", err)
		}
	}
	if v.MaxSnapMetres != nil {
		o.MaxSnapMetres = *v.MaxSnapMetres
	}
	if v.Circuity != nil {
		o.Circuity = *v.Circuity
	}
	return o, nil
}

// current returns the baseline of the latest finished run, building it when
// it is missing or older.
func (bs *Baselines) current(ctx context.Context) (*builtBaseline, error) {
	id, err := bs.db.LatestRunID(ctx)
	if err != nil {
		return nil, err
	}
	bs.mu.Lock()
	if bs.cur != nil && bs.cur.run.ID >= id {
		cur := bs.cur
		bs.mu.Unlock()
		return cur, nil
	}
	if f := bs.failed; f != nil && f.runID == id {
		bs.mu.Unlock()
		return nil, f.err
	}
	b := bs.building
	if b == nil {
		b = &build{done: make(chan struct{}), runID: id}
		bs.building = b
		// The build outlives the request that started it: others wait on it.
		go bs.build(b)
	}
	bs.mu.Unlock()
	select {
	case <-b.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if b.err != nil {
		return nil, b.err
	}
	return b.b, nil
}

func (bs *Baselines) build(b *build) {
	defer close(b.done)
	b.b, b.tried, b.err = bs.load(context.Background())
	bs.mu.Lock()
	defer bs.mu.Unlock()
	bs.building = nil
	switch {
	case b.err != nil:
		// A build that read its run and failed fails the same way until a
		// newer run (stored options it cannot use, input the engine
		// refuses): it is not tried again for that run. A failed read is
		// tried again.
		if b.tried != 0 {
			b.runID, bs.failed = b.tried, b
		}
	case bs.cur == nil || b.b.run.ID > bs.cur.run.ID:
		bs.cur, bs.failed = b.b, nil
	}
}

// load reads the latest run's input and builds its baseline.
func (bs *Baselines) load(ctx context.Context) (_ *builtBaseline, run int64, err error) {
	start := time.Now()
	ri, err := bs.db.LatestRunInput(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("compute.Baselines: %w", err)
	}
	defer func() {
		if err != nil {
			err = fmt.Errorf("compute.Baselines: the baseline of compute run %d: %w", ri.Run.ID, err)
		}
	}()
	o, err := RunOptions(ri.Params)
	if err != nil {
		return nil, ri.Run.ID, err
	}
	base, err := scenario.NewBaseline(ri.Input, o)
	if err != nil {
		return nil, ri.Run.ID, err
	}
	return &builtBaseline{base: base, run: ri.Run, names: ri.Names, took: time.Since(start)}, ri.Run.ID, nil
}

// EvaluateScenario evaluates projects on the baseline of the latest finished
// compute run (building it first when needed): the result, the run it
// stands on and the names of the settlements it changes. An error wrapping
// scenario.ErrProject names the project the engine refuses.
func (bs *Baselines) EvaluateScenario(ctx context.Context, projects []scenario.Project) (*scenario.Result, access.Run, map[int64]access.SettlementReport, error) {
	cur, err := bs.current(ctx)
	if err != nil {
		return nil, access.Run{}, nil, err
	}
	res, err := cur.base.Evaluate(projects)
	if err != nil {
		return nil, cur.run, nil, fmt.Errorf("compute run %d: %w", cur.run.ID, err)
	}
	names := make(map[int64]access.SettlementReport, len(res.Settlements))
	for _, c := range res.Settlements {
		names[c.ID] = cur.names[c.ID]
	}
	return res, cur.run, names, nil
}

// BuildTime is how long the current baseline took to read and build; 0
// before the first.
func (bs *Baselines) BuildTime() time.Duration {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	if bs.cur == nil {
		return 0
	}
	return bs.cur.took
}

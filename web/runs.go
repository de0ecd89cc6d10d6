package web

import (
	"context"
	"time"

	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/level"
	"github.com/aimaq/aimaq/internal/errs"
)

// errNoRunData answers the routes of change over time on a server started
// without a RunSource.
var errNoRunData = errs.E(errs.Unavailable, "compute run history not available")

// runComparison says which runs a map or table of change compares: values
// are the latest run's minus those of run RunID.
type runComparison struct {
	RunID       int64     `json:"run_id"`
	FinishedAt  time.Time `json:"finished_at"`
	LatestRunID int64     `json:"latest_run_id"`
	LatestAt    time.Time `json:"latest_finished_at"`
}

// parseCompare reads the compare parameter: the id of a kept run, or 0
// when absent.
func parseCompare(v string) (int64, error) {
	if v == "" {
		return 0, nil
	}
	return parseID("compare", v)
}

// changeSince turns the latest table's values into their change since run
// old: value − old value, area by area. An area without a value in either
// run has none.
func changeSince(latest, old *access.AreaTable) *runComparison {
	before := make(map[int64]*float64, len(old.Rows))
	for _, r := range old.Rows {
		before[r.ID] = r.Value
	}
	for i := range latest.Rows {
		r := &latest.Rows[i]
		o := before[r.ID]
		if r.Value == nil || o == nil {
			r.Value = nil
			continue
		}
		d := *r.Value - *o
		r.Value = &d
	}
	return &runComparison{RunID: old.RunID, FinishedAt: old.ComputedAt, LatestRunID: latest.RunID, LatestAt: latest.ComputedAt}
}

// runRows returns the rows of an indicator at a map level in run id, as
// areaRows does for the latest run.
func (s *server) runRows(ctx context.Context, id int64, name string, l level.Level) (*access.AreaTable, error) {
	if s.runs == nil {
		return nil, errNoRunData
	}
	levels := []level.Level{l}
	if l == level.Macroregion {
		levels = []level.Level{level.Macroregion, level.Agglomeration}
	}
	out := &access.AreaTable{Level: string(l), Indicator: name, RunID: id}
	for _, l := range levels {
		t, err := s.runs.RunAreaIndicator(ctx, id, string(l), name)
		if err != nil {
			return nil, err
		}
		out.Rows = append(out.Rows, t.Rows...)
		out.ComputedAt, out.Stale = t.ComputedAt, t.Stale
	}
	return out, nil
}

// areaChangeTable is the JSON answer of /api/areas/{level}?compare=RUN: the
// table, its values the change since the run compare names.
type areaChangeTable struct {
	*access.AreaTable
	Compare *runComparison `json:"compare"`
}

// areaChange turns the latest table's values into their change since run id.
func (s *server) areaChange(ctx context.Context, latest *access.AreaTable, id int64) (*runComparison, error) {
	if s.runs == nil {
		return nil, errNoRunData
	}
	old, err := s.runs.RunAreaIndicator(ctx, id, latest.Level, latest.Indicator)
	if err != nil {
		return nil, err
	}
	return changeSince(latest, old), nil
}

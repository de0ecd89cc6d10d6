package web

import (
	"net/http"
	"slices"
	"time"

	"github.com/aimaq/aimaq/geo/disparity"
	"github.com/aimaq/aimaq/geo/indicator"
	"github.com/aimaq/aimaq/geo/level"
	"github.com/aimaq/aimaq/internal/errs"
)

// historyPoint is the disparity of an indicator in one compute run.
type historyPoint struct {
	RunID      int64     `json:"run_id"`
	FinishedAt time.Time `json:"finished_at"`
	Stale      bool      `json:"stale"`
	N          int       `json:"n"`
	Mean       float64   `json:"mean"`
	TheilT     *float64  `json:"theil_t"`
	TheilL     *float64  `json:"theil_l"`
	Gini       *float64  `json:"gini"`
	CV         *float64  `json:"cv"`
	Williamson *float64  `json:"williamson"`
	MaxMin     *float64  `json:"max_min"`
}

// historyAnswer is GET /api/disparity/history.
type historyAnswer struct {
	Indicator string              `json:"indicator"`
	Title     indicator.Text      `json:"title"`
	Unit      string              `json:"unit"`
	Level     level.Level         `json:"level"`
	Grouping  string              `json:"grouping"`
	Direction indicator.Direction `json:"direction"`
	Runs      []historyPoint      `json:"runs"` // oldest first
}

// handleDisparityHistory serves GET /api/disparity/history?indicator=..&level=district|oblast:
// the inequality indices of the indicator in every kept finished compute
// run, oldest first, worked out as /api/disparity works them out for the
// latest. A run without values of the indicator is left out.
func (s *server) handleDisparityHistory(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	lvl := q.Get("level")
	if lvl == "" {
		lvl = string(level.District)
	}
	in, l, err := indicator.ParseAt(q.Get("indicator"), lvl, level.Disparity)
	if err != nil {
		return err
	}
	if g := q.Get("grouping"); g != "" && g != "macroregion" {
		return errs.E(errs.Invalid, "grouping %q: want macroregion (macroregions and agglomerations)", errs.Shorten(g))
	}
	if s.runs == nil {
		return errNoRunData
	}
	ctx, cancel := s.apiContext(r)
	defer cancel()
	runs, err := s.runs.Runs(ctx)
	if err != nil {
		return err
	}
	ans := historyAnswer{Indicator: in.Name, Title: in.Title, Unit: in.Unit, Level: l, Grouping: "macroregion", Direction: in.Direction, Runs: []historyPoint{}}
	lower := in.Direction == indicator.LowerBetter
	for _, run := range slices.Backward(runs) {
		if run.Status != "done" {
			continue
		}
		t, err := s.runs.RunAreaIndicator(ctx, run.ID, string(l), in.Name)
		if errs.KindOf(err) == errs.NotFound {
			continue // the run is gone since, or knew no such indicator
		}
		if err != nil {
			return err
		}
		var units []disparity.Unit
		for _, row := range t.Rows {
			if row.Value != nil {
				units = append(units, disparity.Unit{Value: *row.Value, Weight: float64(row.Population), Group: row.GroupCode})
			}
		}
		if len(units) == 0 {
			continue
		}
		rep := disparity.Compute(units, lower)
		if in.HasLevel(level.Macroregion) {
			groups, err := s.runRows(ctx, run.ID, in.Name, level.Macroregion)
			if err != nil && errs.KindOf(err) != errs.NotFound {
				return err
			}
			own := map[string]float64{}
			if groups != nil {
				for _, g := range groups.Rows {
					if g.Value != nil {
						own[g.Code] = *g.Value
					}
				}
			}
			rep.UseGroupValues(own, lower)
		}
		total := func(d *disparity.Decomposition) *float64 {
			if d == nil {
				return nil
			}
			return finite(d.Total)
		}
		ans.Runs = append(ans.Runs, historyPoint{RunID: run.ID, FinishedAt: t.ComputedAt, Stale: t.Stale, N: rep.N, Mean: rep.Mean,
			TheilT: total(rep.TheilT), TheilL: total(rep.TheilL), Gini: finite(rep.Gini), CV: finite(rep.CV),
			Williamson: finite(rep.Williamson), MaxMin: finite(rep.MaxMin)})
	}
	apiHeaders(w)
	writeJSON(w, http.StatusOK, ans)
	return nil
}

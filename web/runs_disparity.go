package web

import (
	"net/http"
	"slices"
	"time"

	"github.com/aimaq/aimaq/geo/access"
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
	in, l, err := parseDisparity(r.URL.Query())
	if err != nil {
		return err
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
		rep, ok, err := disparityOf(in, t.Rows, func() (*access.AreaTable, error) { return s.runRows(ctx, run.ID, in.Name, level.Macroregion) })
		if err != nil {
			return err
		}
		if !ok {
			continue
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

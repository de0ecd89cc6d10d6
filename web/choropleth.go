package web

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/classify"
	"github.com/aimaq/aimaq/geo/indicator"
	"github.com/aimaq/aimaq/internal/errs"
	"github.com/aimaq/aimaq/tiles"
)

// choroplethQuery is a parsed, validated choropleth request, shared by
// /api/choropleth and /styles/{indicator}.json.
type choroplethQuery struct {
	ind    indicator.Indicator
	level  string // district, oblast or macroregion (the groups layer: macroregions and agglomerations)
	method classify.Method
	k      int
	manual []float64
	lang   string
}

var choroplethLevels = []string{"district", "oblast", "macroregion"}

// parseChoropleth validates everything before any query; errors name the parameter.
func parseChoropleth(name string, q url.Values) (choroplethQuery, error) {
	cq := choroplethQuery{level: q.Get("level"), method: classify.Method(q.Get("method")), k: 5, lang: q.Get("lang")}
	in, ok := indicator.Lookup(name)
	if !ok {
		return cq, errs.E(errs.NotFound, "indicator %q unknown: see /api/indicators", clip(name))
	}
	cq.ind = in
	if cq.level == "" {
		cq.level = "district"
	}
	if !slices.Contains(choroplethLevels, cq.level) {
		return cq, errs.E(errs.Invalid, "level %q unknown: want district, oblast or macroregion", clip(cq.level))
	}
	if !in.HasLevel(cq.level) {
		return cq, errs.E(errs.Invalid, "indicator %s exists at levels %s, not %s", in.Name, strings.Join(in.Levels, ", "), cq.level)
	}
	if cq.method == "" {
		cq.method = "jenks"
	}
	switch cq.method {
	case "jenks", "quantile", "equal", "headtail", "manual":
	default:
		return cq, errs.E(errs.Invalid, "method %q unknown: want jenks, quantile, equal, headtail or manual", clip(string(cq.method)))
	}
	if v := q.Get("classes"); v != "" {
		k, err := strconv.Atoi(v)
		if err != nil || k < 3 || k > 9 {
			return cq, errs.E(errs.Invalid, "classes=%q: want a whole number 3..9", clip(v))
		}
		cq.k = k
	}
	if cq.method == "manual" {
		raw := q.Get("breaks")
		if raw == "" {
			return cq, errs.E(errs.Invalid, "method=manual needs breaks, e.g. breaks=1,5,10")
		}
		for _, part := range strings.Split(raw, ",") {
			v, err := strconv.ParseFloat(strings.TrimSpace(part), 64)
			if err != nil || v != v {
				return cq, errs.E(errs.Invalid, "breaks: %q is not a number", clip(part))
			}
			cq.manual = append(cq.manual, v)
		}
	}
	return cq, nil
}

// choroplethAnswer is GET /api/choropleth.
type choroplethAnswer struct {
	Indicator  string              `json:"indicator"`
	Title      indicator.Text      `json:"title"`
	Unit       string              `json:"unit"`
	Level      string              `json:"level"`
	Method     classify.Method     `json:"method"`
	Classes    int                 `json:"classes"`
	Bounds     []float64           `json:"bounds"`
	Colors     []string            `json:"colors"`
	Counts     []int               `json:"counts"`
	GVF        float64             `json:"gvf"` // goodness of variance fit of the classes
	Legend     []tiles.LegendEntry `json:"legend"`
	Direction  indicator.Direction `json:"direction"`
	Ramp       string              `json:"ramp"`
	RunID      int64               `json:"run_id"`
	Missing    int                 `json:"missing"`    // areas without a value
	Provenance []string            `json:"provenance"` // methods of the values: statistics, estimated, network, …
	Values     map[string]float64  `json:"values"`     // area id (the tiles' feature id) → value
	Notes      []string            `json:"notes,omitempty"`
}

// areaRows returns the rows of an indicator at a map level; "macroregion"
// is the groups layer, which holds the macroregions and the agglomerations.
func (s *server) areaRows(ctx context.Context, name, level string) ([]access.AreaRow, int64, error) {
	levels := []string{level}
	if level == "macroregion" {
		levels = []string{"macroregion", "agglomeration"}
	}
	var rows []access.AreaRow
	var runID int64
	for _, l := range levels {
		t, err := s.access.AreaIndicator(ctx, l, name, false)
		if err != nil {
			return nil, 0, err
		}
		rows = append(rows, t.Rows...)
		runID = t.RunID
	}
	return rows, runID, nil
}

func (s *server) choropleth(ctx context.Context, cq choroplethQuery) (*choroplethAnswer, error) {
	if s.access == nil {
		return nil, errNoAccessData
	}
	rows, runID, err := s.areaRows(ctx, cq.ind.Name, cq.level)
	if err != nil {
		return nil, err
	}
	ans := &choroplethAnswer{Indicator: cq.ind.Name, Title: cq.ind.Title, Unit: cq.ind.Unit, Level: cq.level, Method: cq.method,
		Direction: cq.ind.Direction, RunID: runID, Values: map[string]float64{}}
	var values []float64
	for _, r := range rows {
		if r.Value == nil {
			ans.Missing++
			continue
		}
		values = append(values, *r.Value)
		ans.Values[strconv.FormatInt(r.ID, 10)] = *r.Value
	}
	ans.Provenance = provenance(rows)
	if len(values) == 0 {
		return nil, errs.E(errs.NotFound, "indicator %s has no values at level %s in the latest compute run", cq.ind.Name, cq.level)
	}
	c, err := classify.Classify(cq.method, values, cq.k, cq.manual)
	if errors.Is(err, classify.ErrTooFewValues) {
		// Fewer distinct values than classes (6 groups, 7 classes): one class
		// per distinct value is the honest map, and the note says so.
		if d := distinct(values); d >= 2 {
			if c, err = classify.Jenks(values, d); err == nil {
				ans.Notes = append(ans.Notes, fmt.Sprintf("only %d distinct values: %d classes, one per value", d, d))
			}
		}
	}
	if err != nil {
		return nil, errs.E(errs.Invalid, "classification of %s at level %s: %v", cq.ind.Name, cq.level, err)
	}
	k := len(c.Counts)
	ans.Ramp, ans.Colors = classify.RampFor(string(cq.ind.Direction), k)
	ans.Classes, ans.Bounds, ans.Counts, ans.GVF = k, c.Bounds, c.Counts, c.GVF
	ans.Legend = tiles.Legend(c.Bounds, ans.Colors, c.Counts, cq.ind.Unit)
	return ans, nil
}

// distinct counts the different values.
func distinct(vs []float64) int {
	seen := make(map[float64]bool, len(vs))
	for _, v := range vs {
		seen[v] = true
	}
	return len(seen)
}

// provenance lists, in order of first appearance, how the values of rows
// were obtained (statistics, estimated, network, straight-line, mixed).
func provenance(rows []access.AreaRow) []string {
	out := []string{}
	for _, r := range rows {
		if r.Value != nil && r.Method != "" && !slices.Contains(out, r.Method) {
			out = append(out, r.Method)
		}
	}
	return out
}

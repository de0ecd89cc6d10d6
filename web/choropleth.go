package web

import (
	"context"
	"github.com/aimaq/aimaq/geo/lang"
	"net/url"
	"strconv"
	"strings"

	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/classify"
	"github.com/aimaq/aimaq/geo/indicator"
	"github.com/aimaq/aimaq/geo/level"
	"github.com/aimaq/aimaq/internal/errs"
	"github.com/aimaq/aimaq/tiles"
)

// choroplethQuery is a parsed, validated choropleth request, shared by
// /api/choropleth and /styles/{indicator}.json.
type choroplethQuery struct {
	ind    indicator.Indicator
	level  level.Level // district, oblast or macroregion (the groups layer: macroregions and agglomerations)
	method classify.Method
	k      int
	manual []float64
	lang   string
	// compare is the run whose values the latest run's are compared with
	// (compare=RUN: a map of change); 0 for none.
	compare int64
}

// parseChoropleth validates everything before any query; errors name the parameter.
func parseChoropleth(name string, q url.Values) (choroplethQuery, error) {
	cq := choroplethQuery{k: 5, lang: q.Get("lang")}
	if cq.lang != "" && !lang.Valid(cq.lang) {
		return cq, errs.E(errs.Invalid, "lang=%q: want kk, ru or en", errs.Shorten(cq.lang))
	}
	lvl := q.Get("level")
	if lvl == "" {
		lvl = string(level.District)
	}
	var err error
	if cq.ind, cq.level, err = indicator.ParseAt(name, lvl, level.Mapped); err != nil {
		return cq, err
	}
	if cq.compare, err = parseCompare(q.Get("compare")); err != nil {
		return cq, err
	}
	if cq.method, err = classify.ParseMethod(q.Get("method")); err != nil {
		return cq, err
	}
	if v := q.Get("classes"); v != "" {
		k, err := strconv.Atoi(v)
		if err != nil || k < classify.MinClasses || k > classify.MaxClasses {
			return cq, errs.E(errs.Invalid, "classes=%q: want a whole number %d..%d", errs.Shorten(v), classify.MinClasses, classify.MaxClasses)
		}
		cq.k = k
	}
	if cq.method == classify.MethodManual {
		raw := q.Get("breaks")
		if raw == "" {
			return cq, errs.E(errs.Invalid, "method=manual needs breaks, e.g. breaks=1,5,10")
		}
		for _, part := range strings.Split(raw, ",") {
			v, err := strconv.ParseFloat(strings.TrimSpace(part), 64)
			if err != nil || v != v {
				return cq, errs.E(errs.Invalid, "breaks: %q is not a number", errs.Shorten(part))
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
	Level      level.Level         `json:"level"`
	Method     classify.Method     `json:"method"` // the method used: with method=auto (the default) the one chosen
	Auto       bool                `json:"auto,omitempty"`
	Classes    int                 `json:"classes"`
	Bounds     []float64           `json:"bounds"`
	Colors     []string            `json:"colors"`
	Counts     []int               `json:"counts"`
	GVF        float64             `json:"gvf"` // goodness of variance fit of the classes
	Legend     []tiles.LegendEntry `json:"legend"`
	Direction  indicator.Direction `json:"direction"`
	Ramp       string              `json:"ramp"`
	RunID      int64               `json:"run_id"`
	Stale      bool                `json:"stale"`                // the data changed after the run: see Notes
	Missing    int                 `json:"missing"`              // areas without a value
	Provenance []string            `json:"provenance"`           // methods of the values: statistics, estimated, network, …
	Values     map[string]float64  `json:"values"`               // area id (the tiles' feature id) → value
	WholeCity  []string            `json:"whole_city,omitempty"` // ids of city districts showing their whole city's value
	// Compare: the values are the change since the run it names (compare=RUN).
	Compare  *runComparison `json:"compare,omitempty"`
	Notes    []string       `json:"notes,omitempty"`    // Messages in English
	Messages []lang.Message `json:"messages,omitempty"` // codes the map words in kk/ru/en
}

// areaRows returns the rows of an indicator at a map level; "macroregion"
// is the groups layer, which holds the macroregions and the agglomerations.
func (s *server) areaRows(ctx context.Context, name string, l level.Level) (*access.AreaTable, error) {
	levels := []level.Level{l}
	if l == level.Macroregion {
		levels = []level.Level{level.Macroregion, level.Agglomeration}
	}
	out := &access.AreaTable{Level: string(l), Indicator: name}
	for _, l := range levels {
		t, err := s.access.AreaIndicator(ctx, string(l), name, false)
		if err != nil {
			return nil, err
		}
		out.Rows = append(out.Rows, t.Rows...)
		out.RunID, out.ComputedAt, out.Stale = t.RunID, t.ComputedAt, t.Stale
	}
	return out, nil
}

func (s *server) choropleth(ctx context.Context, cq choroplethQuery) (*choroplethAnswer, error) {
	if s.access == nil {
		return nil, errNoAccessData
	}
	t, err := s.areaRows(ctx, cq.ind.Name, cq.level)
	if err != nil {
		return nil, err
	}
	var change *runComparison
	if cq.compare != 0 {
		old, err := s.runRows(ctx, cq.compare, cq.ind.Name, cq.level)
		if err != nil {
			return nil, err
		}
		change = changeSince(t, old)
	}
	rows := t.Rows
	ans := &choroplethAnswer{Compare: change, Indicator: cq.ind.Name, Title: cq.ind.Title, Unit: cq.ind.Unit, Level: cq.level, Method: cq.method,
		Direction: cq.ind.Direction, RunID: t.RunID, Stale: t.Stale, Values: map[string]float64{}}
	var values []float64
	for _, r := range rows {
		if r.Value == nil {
			ans.Missing++
			continue
		}
		values = append(values, *r.Value)
		id := strconv.FormatInt(r.ID, 10)
		ans.Values[id] = *r.Value
		if r.Method == access.City {
			ans.WholeCity = append(ans.WholeCity, id)
		}
	}
	ans.Provenance = access.Provenance(rows)
	if len(values) == 0 {
		return nil, errs.E(errs.NotFound, "indicator %s has no values at level %s in the latest compute run", cq.ind.Name, cq.level)
	}
	var c classify.Choropleth
	if change != nil {
		// Change has its own classes, symmetric about 0: method and breaks do not apply.
		c, err = classify.Change(values, cq.k, string(cq.ind.Direction))
		ans.Method = c.Method
	} else {
		c, err = classify.ForMap(cq.method, values, cq.k, cq.manual, string(cq.ind.Direction))
		// The method used (auto names the one it chose; Auto says it chose).
		ans.Method, ans.Auto = c.Method, cq.method == classify.MethodAuto
	}
	if err != nil {
		return nil, errs.E(errs.Invalid, "classification of %s at level %s: %v", cq.ind.Name, cq.level, err)
	}
	ans.Messages = c.Messages
	if t.Stale {
		ans.Messages = append(ans.Messages, access.DataChangedNote(t.RunID))
	}
	ans.Notes = lang.English(ans.Messages)
	ans.Ramp, ans.Colors = c.Ramp, c.Colors
	ans.Classes, ans.Bounds, ans.Counts, ans.GVF = c.K(), c.Bounds, c.Counts, c.GVF
	ans.Legend = tiles.Legend(c.Bounds, c.Colors, c.Counts, cq.ind.Unit)
	return ans, nil
}

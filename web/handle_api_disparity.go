package web

import (
	"math"
	"net/http"
	"net/url"

	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/disparity"
	"github.com/aimaq/aimaq/geo/indicator"
	"github.com/aimaq/aimaq/geo/lang"
	"github.com/aimaq/aimaq/geo/level"
	"github.com/aimaq/aimaq/internal/errs"
)

// disparityGroup is one macroregion or agglomeration in /api/disparity.
type disparityGroup struct {
	Code       string  `json:"code"`
	NameKK     string  `json:"name_kk"`
	NameRU     string  `json:"name_ru"`
	NameEN     string  `json:"name_en"`
	Mean       float64 `json:"mean"`
	Population float64 `json:"population"`
	Units      int     `json:"units"`
	Min        float64 `json:"min"`
	Max        float64 `json:"max"`
}

type decomposition struct {
	Total        float64  `json:"total"`
	Between      float64  `json:"between"`
	Within       float64  `json:"within"`
	BetweenShare *float64 `json:"between_share"`
}

type disparityAnswer struct {
	Indicator  string              `json:"indicator"`
	Title      indicator.Text      `json:"title"`
	Unit       string              `json:"unit"`
	Level      level.Level         `json:"level"`
	Grouping   string              `json:"grouping"`
	Direction  indicator.Direction `json:"direction"`
	RunID      int64               `json:"run_id"`
	Stale      bool                `json:"stale"` // the data changed after the run: see Notes
	N          int                 `json:"n"`
	Mean       float64             `json:"mean"`
	Indices    map[string]any      `json:"indices"`
	Groups     []disparityGroup    `json:"groups"` // sorted from best to worst
	Best       string              `json:"best"`
	Worst      string              `json:"worst"`
	BestWorst  *float64            `json:"best_worst"`
	Provenance []string            `json:"provenance"`
	Notes      []string            `json:"notes"`    // Messages in English
	Messages   []lang.Message      `json:"messages"` // codes the map words in kk/ru/en (/api/indicators "messages")
}

// finite returns nil for NaN and ±Inf, which JSON cannot carry.
func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func decomp(d *disparity.Decomposition) any {
	if d == nil {
		return nil
	}
	return decomposition{Total: d.Total, Between: d.Between, Within: d.Within, BetweenShare: finite(d.BetweenShare)}
}

// handleDisparity serves GET /api/disparity?indicator=..&level=district|oblast&grouping=macroregion:
// every inequality index of the indicator across the areas of the level,
// Theil's decomposition into between- and within-group parts over the
// macroregions and agglomerations, and the per-group figures.
func (s *server) handleDisparity(w http.ResponseWriter, r *http.Request) error {
	in, l, err := parseDisparity(r.URL.Query())
	if err != nil {
		return err
	}
	const grouping = "macroregion"
	if s.access == nil || s.indicators == nil {
		return errNoAccessData
	}
	ctx, cancel := s.apiContext(r)
	defer cancel()
	t, err := s.access.AreaIndicator(ctx, string(l), in.Name, false)
	if err != nil {
		return err
	}
	groups, err := s.indicators.Groups(ctx)
	if err != nil {
		return err
	}
	ans := disparityAnswer{Indicator: in.Name, Title: in.Title, Unit: in.Unit, Level: l, Grouping: grouping, Direction: in.Direction,
		RunID: t.RunID, Stale: t.Stale}
	var msgs []lang.Message
	if t.Stale {
		msgs = append(msgs, access.DataChangedNote(t.RunID))
	}
	ans.Provenance = access.Provenance(t.Rows)
	lower := in.Direction == indicator.LowerBetter
	rep, ok, err := disparityOf(in, t.Rows, func() (*access.AreaTable, error) { return s.areaRows(ctx, in.Name, level.Macroregion) })
	if err != nil {
		return err
	}
	if !ok {
		return errs.E(errs.NotFound, "indicator %s has no values at level %s in the latest compute run", in.Name, l)
	}
	ans.N, ans.Mean, msgs = rep.N, rep.Mean, append(msgs, rep.Messages...)
	ans.Indices = map[string]any{
		"theil_t":     decomp(rep.TheilT),
		"theil_l":     decomp(rep.TheilL),
		"gini":        finite(rep.Gini),
		"williamson":  finite(rep.Williamson),
		"cv":          finite(rep.CV),
		"max_min":     finite(rep.MaxMin),
		"atkinson_05": rep.Atkinson05,
		"atkinson_1":  rep.Atkinson1,
	}
	names := map[string]lang.Text{}
	for _, g := range groups {
		names[g.Code] = g.Name
	}
	for _, g := range disparity.Ranked(rep.Groups, lower) {
		n := names[g.Code]
		ans.Groups = append(ans.Groups, disparityGroup{Code: g.Code, NameKK: n.KK, NameRU: n.RU, NameEN: n.EN,
			Mean: g.Mean, Population: g.Population, Units: g.Units, Min: g.Min, Max: g.Max})
	}
	ans.Best, ans.Worst, ans.BestWorst = rep.Best, rep.Worst, finite(rep.BestWorst)
	if in.Direction == indicator.Neutral {
		msgs = append(msgs, disparity.DescriptiveNote)
	}
	ans.Messages, ans.Notes = append([]lang.Message{}, msgs...), lang.English(msgs)
	apiHeaders(w)
	writeJSON(w, http.StatusOK, ans)
	return nil
}

// parseDisparity reads the query of /api/disparity and its history: the
// indicator at a level that has disparities (default district), grouped by
// macroregion (the only grouping).
func parseDisparity(q url.Values) (indicator.Indicator, level.Level, error) {
	lvl := q.Get("level")
	if lvl == "" {
		lvl = string(level.District)
	}
	in, l, err := indicator.ParseAt(q.Get("indicator"), lvl, level.Disparity)
	if err != nil {
		return in, l, err
	}
	if g := q.Get("grouping"); g != "" && g != "macroregion" {
		return in, l, errs.E(errs.Invalid, "grouping %q: want macroregion (macroregions and agglomerations)", errs.Shorten(g))
	}
	return in, l, nil
}

// disparityOf works out the indices of in over the areas of rows, with each
// group showing its own value — what the map, /api/areas, the tiles and OGC
// show for it — where compute made one (groups gives the groups' table; a
// NotFound from it means none). ok is false when no area has a value.
func disparityOf(in indicator.Indicator, rows []access.AreaRow, groups func() (*access.AreaTable, error)) (rep disparity.Report, ok bool, err error) {
	var units []disparity.Unit
	for _, row := range rows {
		if row.Value != nil {
			units = append(units, disparity.Unit{Value: *row.Value, Weight: float64(row.Population), Group: row.GroupCode})
		}
	}
	if len(units) == 0 {
		return rep, false, nil
	}
	lower := in.Direction == indicator.LowerBetter
	rep = disparity.Compute(units, lower)
	if in.HasLevel(level.Macroregion) {
		t, err := groups()
		if err != nil && errs.KindOf(err) != errs.NotFound {
			return rep, false, err
		}
		own := map[string]float64{}
		if t != nil {
			for _, g := range t.Rows {
				if g.Value != nil {
					own[g.Code] = *g.Value
				}
			}
		}
		rep.UseGroupValues(own, lower)
	}
	return rep, true, nil
}

package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/indicator"
	"github.com/aimaq/aimaq/internal/errs"
)

type fakeIndicators struct {
	prov map[string][]string
	err  error
}

func (f *fakeIndicators) IndicatorProvenance(context.Context) (map[string][]string, int64, error) {
	return f.prov, 7, f.err
}
func (f *fakeIndicators) SyntheticData(context.Context) (bool, error) { return false, nil }
func (f *fakeIndicators) Groups(context.Context) ([]indicator.Group, error) {
	return []indicator.Group{
		{Code: "north", Kind: "macroregion", Name: indicator.Text{KK: "Солтүстік", RU: "Северный", EN: "Northern"}, Color: "#542788"},
		{Code: "south", Kind: "macroregion", Name: indicator.Text{KK: "Оңтүстік", RU: "Южный", EN: "Southern"}, Color: "#8c510a"},
	}, nil
}

// twelveAreas: values 1..12, population 1000 each, six per group.
func twelveAreas() *access.AreaTable {
	t := &access.AreaTable{RunID: 7}
	for i := 1; i <= 12; i++ {
		v := float64(i)
		g := "north"
		if i > 6 {
			g = "south"
		}
		t.Rows = append(t.Rows, access.AreaRow{ID: int64(100 + i), Code: fmt.Sprint(i), NameRU: "Район " + fmt.Sprint(i), Value: &v, Population: 1000, Method: "straight-line", GroupCode: g})
	}
	t.Rows = append(t.Rows, access.AreaRow{ID: 999, Code: "x", Population: 10}) // no value
	return t
}

func disparityServer() http.Handler {
	return New(Options{Tiles: &fakeSource{}, Access: &fakeAccess{table: twelveAreas()}, Indicators: &fakeIndicators{prov: map[string][]string{"district_centre_km_mean": {"straight-line"}}}})
}

func TestChoropleth(t *testing.T) {
	h := disparityServer()
	rec := do(t, h, "GET", "/api/choropleth?indicator=district_centre_km_mean&level=district&method=quantile&classes=4")
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var ans choroplethAnswer
	if err := json.Unmarshal(rec.Body.Bytes(), &ans); err != nil {
		t.Fatal(err)
	}
	if ans.Classes != 4 || len(ans.Bounds) != 5 || len(ans.Colors) != 4 || len(ans.Legend) != 4 || ans.Missing != 1 || len(ans.Values) != 12 {
		t.Fatalf("answer = %+v", ans)
	}
	sum := 0
	for _, c := range ans.Counts {
		sum += c
	}
	if sum != 12 || ans.Values["101"] != 1 || ans.Direction != indicator.LowerBetter {
		t.Errorf("counts %v (sum %d), values %v, direction %s", ans.Counts, sum, ans.Values, ans.Direction)
	}
	tests := []struct {
		name, target string
		code         int
		want         string
	}{
		{"unknown indicator", "/api/choropleth?indicator=nope", 404, "nope"},
		{"bad level", "/api/choropleth?indicator=district_centre_km_mean&level=planet", 400, "planet"},
		{"statistics have no district level", "/api/choropleth?indicator=schools_per_10k_stats&level=district", 400, "levels oblast, country"},
		{"bad method", "/api/choropleth?indicator=district_centre_km_mean&method=magic", 400, "magic"},
		{"classes too many", "/api/choropleth?indicator=district_centre_km_mean&classes=12", 400, "3..9"},
		{"classes not a number", "/api/choropleth?indicator=district_centre_km_mean&classes=five", 400, "five"},
		{"lang outside kk/ru/en", "/api/choropleth?indicator=district_centre_km_mean&lang=de", 400, "de\\\": want kk, ru or en"},
		{"lang of a style", "/styles/district_centre_km_mean.json?lang=fr", 400, "want kk, ru or en"},
		{"manual without breaks", "/api/choropleth?indicator=district_centre_km_mean&method=manual", 400, "breaks"},
		{"manual bad break", "/api/choropleth?indicator=district_centre_km_mean&method=manual&breaks=1,x", 400, "is not a number"},
		{"manual", "/api/choropleth?indicator=district_centre_km_mean&method=manual&breaks=3,6,9", 200, `"classes":4`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(t, h, "GET", tt.target)
			if rec.Code != tt.code || !strings.Contains(rec.Body.String(), tt.want) {
				t.Errorf("%s: %d %s, want %d containing %s", tt.target, rec.Code, rec.Body, tt.code, tt.want)
			}
		})
	}
}

func TestDisparity(t *testing.T) {
	h := disparityServer()
	rec := do(t, h, "GET", "/api/disparity?indicator=district_centre_km_mean&level=district&grouping=macroregion")
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var ans struct {
		N       int `json:"n"`
		Indices struct {
			TheilT struct {
				Total, Between, Within float64
			} `json:"theil_t"`
			Gini *float64 `json:"gini"`
		} `json:"indices"`
		Groups []struct {
			Code   string  `json:"code"`
			NameRU string  `json:"name_ru"`
			Mean   float64 `json:"mean"`
		} `json:"groups"`
		Best      string   `json:"best"`
		BestWorst *float64 `json:"best_worst"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &ans); err != nil {
		t.Fatal(err)
	}
	tt := ans.Indices.TheilT
	if ans.N != 12 || tt.Total <= 0 || diff(tt.Total, tt.Between+tt.Within) > 1e-12 || ans.Indices.Gini == nil {
		t.Errorf("n %d, Theil T %+v, Gini %v", ans.N, tt, ans.Indices.Gini)
	}
	// Lower is better: the north (mean 3.5) is best, the south (9.5) worst, 9.5/3.5 apart.
	if len(ans.Groups) != 2 || ans.Groups[0].Code != "north" || ans.Groups[0].NameRU != "Северный" || ans.Best != "north" ||
		ans.BestWorst == nil || diff(*ans.BestWorst, 9.5/3.5) > 1e-12 {
		t.Errorf("groups %+v, best %s, best/worst %v", ans.Groups, ans.Best, ans.BestWorst)
	}
	if rec := do(t, h, "GET", "/api/disparity?indicator=nope"); rec.Code != 404 {
		t.Errorf("unknown indicator: %d, want 404 as on every route", rec.Code)
	}
	for _, bad := range []string{"/api/disparity?indicator=district_centre_km_mean&level=macroregion",
		"/api/disparity?indicator=district_centre_km_mean&grouping=oblast"} {
		if rec := do(t, h, "GET", bad); rec.Code != 400 {
			t.Errorf("%s: %d, want 400", bad, rec.Code)
		}
	}
	noData := New(Options{Tiles: &fakeSource{}, Access: &fakeAccess{err: errs.E(errs.NotFound, "no compute run")}, Indicators: &fakeIndicators{}})
	if rec := do(t, noData, "GET", "/api/disparity?indicator=district_centre_km_mean"); rec.Code != 404 {
		t.Errorf("no run: %d, want 404", rec.Code)
	}
}

func TestCatalogueAndStyle(t *testing.T) {
	h := disparityServer()
	rec := do(t, h, "GET", "/api/indicators")
	var cat catalogueAnswer
	if err := json.Unmarshal(rec.Body.Bytes(), &cat); err != nil || rec.Code != 200 {
		t.Fatalf("%d %v", rec.Code, err)
	}
	avail := map[string]bool{}
	for _, in := range cat.Indicators {
		avail[in.Name] = in.Available
	}
	if !avail["district_centre_km_mean"] || avail["school_km_mean"] || cat.RunID != 7 || len(cat.Indicators) < 30 {
		t.Errorf("catalogue: run %d, %d indicators, availability %v", cat.RunID, len(cat.Indicators), avail)
	}
	rec = do(t, h, "GET", "/styles/district_centre_km_mean.json?level=district&method=jenks&classes=5")
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"version":8`) || !strings.Contains(rec.Body.String(), "/tiles/districts.json") {
		t.Errorf("style: %d %s", rec.Code, rec.Body)
	}
	if rec := do(t, h, "GET", "/styles/nope.json"); rec.Code != 404 {
		t.Errorf("unknown style: %d", rec.Code)
	}
}

func diff(a, b float64) float64 {
	if a > b {
		return a - b
	}
	return b - a
}

// Six groups cannot make seven classes: the answer has one class per value
// and says so, instead of failing.
func TestChoroplethFewerValuesThanClasses(t *testing.T) {
	tab := twelveAreas()
	tab.Rows = tab.Rows[:6]
	h := New(Options{Tiles: &fakeSource{}, Access: &fakeAccess{table: tab}, Indicators: &fakeIndicators{}})
	rec := do(t, h, "GET", "/api/choropleth?indicator=district_centre_km_mean&level=macroregion&method=jenks&classes=7")
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var ans choroplethAnswer
	if err := json.Unmarshal(rec.Body.Bytes(), &ans); err != nil {
		t.Fatal(err)
	}
	// The fake answers both group levels with the same six rows: 12 values, 6 distinct.
	if ans.Classes != 6 || len(ans.Notes) == 0 || !strings.Contains(ans.Notes[0], "6 distinct values") {
		t.Errorf("classes %d, notes %q", ans.Classes, ans.Notes)
	}
}

// groupAccess answers the macroregion and agglomeration levels with the
// groups' own values, and every other level like fakeAccess.
type groupAccess struct {
	*fakeAccess
	groups map[string]float64
}

func (g *groupAccess) AreaIndicator(ctx context.Context, lvl, name string, geom bool) (*access.AreaTable, error) {
	if lvl != "macroregion" && lvl != "agglomeration" {
		return g.fakeAccess.AreaIndicator(ctx, lvl, name, geom)
	}
	t := &access.AreaTable{Level: lvl, Indicator: name, RunID: 7}
	if lvl == "macroregion" {
		for code, v := range g.groups {
			t.Rows = append(t.Rows, access.AreaRow{ID: int64(len(t.Rows) + 100), Code: code, Value: &v, Population: 6000})
		}
	}
	return t, nil
}

// The group chart shows each group's own value — the one the map and
// /api/areas show — not a mean of its units' values; best and worst follow.
func TestDisparityGroupsShowTheirOwnValues(t *testing.T) {
	fa := &groupAccess{fakeAccess: &fakeAccess{table: twelveAreas()}, groups: map[string]float64{"north": 11, "south": 2}}
	h := New(Options{Tiles: &fakeSource{}, Access: fa, Indicators: &fakeIndicators{}})
	rec := do(t, h, "GET", "/api/disparity?indicator=district_centre_km_mean&level=district")
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var ans disparityAnswer
	if err := json.Unmarshal(rec.Body.Bytes(), &ans); err != nil {
		t.Fatal(err)
	}
	// Lower is better: south (2) now comes first, north (11) last.
	if len(ans.Groups) != 2 || ans.Groups[0].Code != "south" || ans.Groups[0].Mean != 2 || ans.Groups[1].Mean != 11 ||
		ans.Best != "south" || ans.Worst != "north" || ans.BestWorst == nil || diff(*ans.BestWorst, 11.0/2) > 1e-12 {
		t.Errorf("groups %+v, best %s, worst %s, best/worst %v", ans.Groups, ans.Best, ans.Worst, ans.BestWorst)
	}
}

// Figures of a run older than the data say so, beside the figures: in the
// choropleth, the disparity answer and the areas.
func TestStaleRunSaysSo(t *testing.T) {
	table := twelveAreas()
	table.Stale = true
	h := New(Options{Tiles: &fakeSource{}, Access: &fakeAccess{table: table}, Indicators: &fakeIndicators{}})
	want := "the data changed after compute run 7, which these figures come from: run aimaq compute for figures of the current data" // the English of code data.changed_since_run
	for _, target := range []string{
		"/api/choropleth?indicator=district_centre_km_mean&level=district",
		"/api/disparity?indicator=district_centre_km_mean&level=district",
	} {
		rec := do(t, h, "GET", target)
		var ans struct {
			Stale    bool     `json:"stale"`
			RunID    int64    `json:"run_id"`
			Notes    []string `json:"notes"`
			Messages []struct {
				Code string            `json:"code"`
				Args map[string]string `json:"args"`
			} `json:"messages"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &ans); err != nil || rec.Code != 200 {
			t.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
		}
		if !ans.Stale || ans.RunID != 7 || !slices.Contains(ans.Notes, want) {
			t.Errorf("%s: stale %v, run %d, notes %q", target, ans.Stale, ans.RunID, ans.Notes)
		}
		// The same note as a code the map words in kk/ru/en.
		if !slices.ContainsFunc(ans.Messages, func(m struct {
			Code string            `json:"code"`
			Args map[string]string `json:"args"`
		}) bool {
			return m.Code == "data.changed_since_run" && m.Args["run"] == "7"
		}) {
			t.Errorf("%s: messages %+v lack data.changed_since_run with run 7", target, ans.Messages)
		}
	}
	rec := do(t, h, "GET", "/api/areas/district?indicator=district_centre_km_mean")
	if !strings.Contains(rec.Body.String(), `"stale":true`) {
		t.Errorf("/api/areas does not say its run is older than the data: %s", rec.Body)
	}
}

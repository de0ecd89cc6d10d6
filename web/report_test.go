package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/aimaq/aimaq/data/compute"
	"github.com/aimaq/aimaq/data/postgis"
	"github.com/aimaq/aimaq/data/postgis/postgistest"
	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/indicator"
	"github.com/aimaq/aimaq/web"
)

// cmd/aimaq wires the store in as the AccessSource; the report asks it for
// the rest.
var _ web.ReportSource = (*postgis.Store)(nil)

func reportF(v float64) *float64 { return &v }

// A hand-made table: ranks follow the direction, equal values share a rank,
// areas without a value neither rank nor count, and peers narrow the field.
func TestRankAmong(t *testing.T) {
	rows := []access.AreaRow{
		{Code: "a", Value: reportF(5)}, {Code: "b", Value: reportF(2)}, {Code: "c", Value: reportF(9)},
		{Code: "d", Value: reportF(5)}, {Code: "e"}, {Code: "f", Value: reportF(1)},
	}
	inAB := func(c string) bool { return c == "a" || c == "b" || c == "d" }
	for _, tc := range []struct {
		name string
		code string
		dir  indicator.Direction
		peer func(string) bool
		want access.Rank
		ok   bool
	}{
		{"lower is better: the smallest first", "f", indicator.LowerBetter, nil, access.Rank{Position: 1, Of: 5}, true},
		{"lower is better: the largest last", "c", indicator.LowerBetter, nil, access.Rank{Position: 5, Of: 5}, true},
		{"higher is better: the largest first", "c", indicator.HigherBetter, nil, access.Rank{Position: 1, Of: 5}, true},
		{"ties share the rank (a)", "a", indicator.HigherBetter, nil, access.Rank{Position: 2, Of: 5}, true},
		{"ties share the rank (d)", "d", indicator.HigherBetter, nil, access.Rank{Position: 2, Of: 5}, true},
		{"after a tie the next rank is skipped", "b", indicator.HigherBetter, nil, access.Rank{Position: 4, Of: 5}, true},
		{"neutral ranks from the highest", "b", indicator.Neutral, nil, access.Rank{Position: 4, Of: 5}, true},
		{"among peers only", "b", indicator.LowerBetter, inAB, access.Rank{Position: 1, Of: 3}, true},
		{"among peers, tied", "a", indicator.LowerBetter, inAB, access.Rank{Position: 2, Of: 3}, true},
		{"no value, no rank", "e", indicator.LowerBetter, nil, access.Rank{}, false},
		{"unknown area", "zz", indicator.LowerBetter, nil, access.Rank{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := access.RankAmong(rows, tc.code, tc.dir, tc.peer)
			if got != tc.want || ok != tc.ok {
				t.Errorf("RankAmong(%s, %s) = %+v, %v; want %+v, %v", tc.code, tc.dir, got, ok, tc.want, tc.ok)
			}
		})
	}
}

// reportWorld is runsWorld (one SYNTHETIC oblast of three districts) with a
// second SYNTHETIC oblast of one district, a clinic in D2, and a compute run.
func reportWorld(t *testing.T) (*postgis.Store, http.Handler) {
	s, exec := runsWorld(t)
	box := "ST_Multi(ST_MakeEnvelope(63, 44, 64, 45, 4326))"
	exec(`INSERT INTO area (level, code, name_en, name_ru, name_kk, parent_id, area_km2, population, geom, geom_3857)
		SELECT 'oblast', '120000000', 'Synthetic oblast 2', 'Синтетическая область 2', 'Синтетикалық облыс 2', id, 10, 800, ` + box + `, ST_Transform(` + box + `, 3857) FROM area WHERE level = 'country'`)
	exec(`INSERT INTO area (level, code, name_en, parent_id, area_km2, population, geom, geom_3857)
		SELECT 'district', '121000000', 'Synthetic D4', id, 10, 800, ` + box + `, ST_Transform(` + box + `, 3857) FROM area WHERE code = '120000000'`)
	exec(`INSERT INTO settlement (source, source_id, name, place, population, district_id, oblast_id, geom, geom_3857)
		SELECT 'synthetic', 'v4', 'Synthetic v4', 'village', 800, d.id, d.parent_id, ST_SetSRID(ST_MakePoint(63.5, 44.5), 4326), ST_Transform(ST_SetSRID(ST_MakePoint(63.5, 44.5), 4326), 3857)
		FROM area d WHERE d.code = '121000000'`)
	exec(`INSERT INTO facility (kind, name, source, source_id, geom) VALUES ('clinic', 'Synthetic clinic', 'synthetic', 'c1', ST_SetSRID(ST_MakePoint(61.52, 44.5), 4326))`)
	exec(`INSERT INTO facility (kind, name, source, source_id, geom) VALUES ('school', 'Synthetic school 4', 'synthetic', 's4', ST_SetSRID(ST_MakePoint(63.51, 44.5), 4326))`)
	if _, err := compute.Run(context.Background(), s, compute.DefaultOptions()); err != nil {
		t.Fatal(err)
	}
	return s, web.New(web.Options{Tiles: s, Access: s, Runs: s, Indicators: s})
}

func getReportHTML(t *testing.T, h http.Handler, path string, want int) string {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	if rec.Code != want {
		t.Fatalf("GET %s: %d %s; want %d", path, rec.Code, rec.Body, want)
	}
	return rec.Body.String()
}

func TestReportBadRequests(t *testing.T) {
	_, h := reportWorld(t)
	for _, tc := range []struct {
		path   string
		status int
		names  string // the parameter the message names
	}{
		{"/report/macroregion/111000000", http.StatusBadRequest, "level"},
		{"/report/settlement/111000000", http.StatusBadRequest, "level"},
		{"/report/district/111000000?lang=de", http.StatusBadRequest, "lang"},
		{"/report/district/111000000?lang=", http.StatusBadRequest, "lang"},
		{"/report/district/abc", http.StatusBadRequest, "code"},
		{"/report/district/119999999", http.StatusNotFound, "119999999"},
		{"/report/oblast/111000000", http.StatusNotFound, "111000000"}, // a district's code is no oblast
	} {
		body := getReportHTML(t, h, tc.path, tc.status)
		if !strings.Contains(body, `"error"`) || !strings.Contains(body, tc.names) {
			t.Errorf("GET %s: %s; want an error naming %s", tc.path, body, tc.names)
		}
	}
}

var (
	reportRowRE  = regexp.MustCompile(`<tr data-indicator="([a-z0-9_]+)"(?: data-value="([^"]+)")?>`)
	reportCellRE = regexp.MustCompile(`(?s)<td class="num">([^<]*)</td>`)
)

// reportRows maps each indicator row of a report to its data-value ("" for
// no value) and its number cells (value, ranks, country).
func reportRows(t *testing.T, page string) (map[string]string, map[string][]string) {
	t.Helper()
	vals, cells := map[string]string{}, map[string][]string{}
	locs := reportRowRE.FindAllStringSubmatchIndex(page, -1)
	for i, loc := range locs {
		name := page[loc[2]:loc[3]]
		if loc[4] >= 0 {
			vals[name] = page[loc[4]:loc[5]]
		} else {
			vals[name] = ""
		}
		end := len(page)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		for _, m := range reportCellRE.FindAllStringSubmatch(page[loc[1]:min(end, strings.Index(page[loc[1]:], "</tr>")+loc[1])], -1) {
			cells[name] = append(cells[name], m[1])
		}
	}
	return vals, cells
}

// The report of a district holds every district indicator of the latest run
// with the value /api/areas answers, ranks among the oblast's districts and
// all districts computed from those answers, and the standards checks
// counted from the settlements' own checks.
func TestReportMatchesAPI(t *testing.T) {
	s, h := reportWorld(t)
	ctx := context.Background()
	page := getReportHTML(t, h, "/report/district/112000000?lang=en", http.StatusOK)
	for _, want := range []string{`<html lang="en">`, "Synthetic D2", "Synthetic oblast", "@page", "size: A4 portrait", "<svg", `<path d="M`, "<circle", "break-inside: avoid", "KATO code", "SYNTHETIC data"} {
		if !strings.Contains(page, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(page, "<script") || strings.Contains(page, "src=") || strings.Contains(page, `href="http`) || strings.Contains(page, "stylesheet") {
		t.Error("report has a script or loads something")
	}
	// The map: D2 in its view, its neighbours D1 and D3 (not D4, a degree
	// further east) in grey, its oblast's outline, v2 as a dot inside the view.
	fig := page[strings.Index(page, "<figure"):strings.Index(page, "</figure>")]
	vb := regexp.MustCompile(`viewBox="(-?\d+) (-?\d+) (\d+) (\d+)"`).FindStringSubmatch(fig)
	dot := regexp.MustCompile(`<circle cx="(-?\d+)" cy="(-?\d+)"`).FindAllStringSubmatch(fig, -1)
	if vb == nil || len(dot) != 1 {
		t.Fatalf("map: viewBox %q, dots %q; want one dot", vb, dot)
	}
	num := func(s string) float64 { f, _ := strconv.ParseFloat(s, 64); return f }
	if x, y := num(dot[0][1]), num(dot[0][2]); x < num(vb[1]) || x > num(vb[1])+num(vb[3]) || y < num(vb[2]) || y > num(vb[2])+num(vb[4]) {
		t.Errorf("the settlement %v lies outside the map's view %v", dot[0][1:], vb[1:])
	}
	grey := fig[strings.Index(fig, `<g fill="#dfe4e9"`):]
	grey = grey[:strings.Index(grey, "</g>")]
	if n := strings.Count(grey, "<path"); n != 2 {
		t.Errorf("map has %d neighbours; want 2 (D1, D3)", n)
	}
	if !strings.Contains(fig, `stroke-dasharray`) || !strings.Contains(fig, "km</text>") {
		t.Error("map lacks the oblast's outline or the scale")
	}

	vals, cells := reportRows(t, page)
	names, err := s.AreaIndicatorNames(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, name := range names {
		in, _ := indicator.Lookup(name)
		if !in.HasLevel("district") {
			continue
		}
		n++
		got, ok := vals[name]
		if !ok {
			t.Errorf("indicator %s missing from the report", name)
			continue
		}
		var api struct {
			Areas []struct {
				Code  string   `json:"code"`
				Value *float64 `json:"value"`
			} `json:"areas"`
		}
		getJSON(t, h, "/api/areas/district?indicator="+name, http.StatusOK, &api)
		var rows []access.AreaRow
		var own *float64
		for _, a := range api.Areas {
			rows = append(rows, access.AreaRow{Code: a.Code, Value: a.Value})
			if a.Code == "112000000" {
				own = a.Value
			}
		}
		switch {
		case own == nil && got != "":
			t.Errorf("%s: report %s, API null", name, got)
		case own != nil && got == "":
			t.Errorf("%s: report has no value, API %v", name, *own)
		case own != nil:
			if v, err := strconv.ParseFloat(got, 64); err != nil || v != *own {
				t.Errorf("%s: report %s, API %v", name, got, *own)
			}
		}
		// Ranks from the API's table, by hand: among D1–D3, among D1–D4.
		c := cells[name]
		if len(c) != 4 {
			t.Errorf("%s: number cells %q; want value, two ranks, country", name, c)
			continue
		}
		if own == nil {
			continue
		}
		better, ofOblast, betterAll, ofAll := 0, 0, 0, 0
		for _, r := range rows {
			if r.Value == nil {
				continue
			}
			b := *r.Value > *own
			if in.Direction == indicator.LowerBetter {
				b = *r.Value < *own
			}
			ofAll++
			if b {
				betterAll++
			}
			if strings.HasPrefix(r.Code, "11") {
				ofOblast++
				if b {
					better++
				}
			}
		}
		if want := strconv.Itoa(better+1) + " / " + strconv.Itoa(ofOblast); c[1] != want {
			t.Errorf("%s: rank in oblast %q; want %q", name, c[1], want)
		}
		if want := strconv.Itoa(betterAll+1) + " / " + strconv.Itoa(ofAll); c[2] != want {
			t.Errorf("%s: rank among all %q; want %q", name, c[2], want)
		}
	}
	if n == 0 || len(vals) != n {
		t.Errorf("report has %d indicator rows; the run has %d district indicators", len(vals), n)
	}

	// The standards: D2's one settlement (v2, 2,000 people) as its own
	// access report says.
	var id int64
	if err := postgistest.Pool(s).QueryRow(ctx, `SELECT id FROM settlement WHERE source_id = 'v2'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	var acc struct {
		SRS struct {
			Health *bool `json:"health_ok"`
			School *bool `json:"school_ok"`
			Road   *bool `json:"road_ok"`
		} `json:"srs"`
	}
	getJSON(t, h, "/api/settlements/"+strconv.FormatInt(id, 10)+"/access", http.StatusOK, &acc)
	srs := page[strings.Index(page, `id="srs"`):strings.Index(page, "<figure")]
	for _, c := range []struct {
		name string
		ok   *bool
	}{{"Health-network norm", acc.SRS.Health}, {"A school within 3 km", acc.SRS.School}, {"A paved road within 1 km", acc.SRS.Road}} {
		i := strings.Index(srs, c.name)
		if i < 0 {
			t.Errorf("standard %q missing", c.name)
			continue
		}
		row := srs[i : i+strings.Index(srs[i:], "</tr>")]
		want := "cannot be computed"
		if c.ok != nil && *c.ok {
			want = ">1 / 1<"
		} else if c.ok != nil {
			want = ">0 / 1<"
		}
		if !strings.Contains(row, want) {
			t.Errorf("standard %q: %s; want %s (the settlement's check: %v)", c.name, row, want, c.ok)
		}
	}
}

// An oblast's report ranks it among the oblasts, in the language asked for,
// and the map's default language is Russian.
func TestReportOblastLanguages(t *testing.T) {
	_, h := reportWorld(t)
	page := getReportHTML(t, h, "/report/oblast/120000000", http.StatusOK)
	for _, want := range []string{`<html lang="ru">`, "Синтетическая область 2", "Место среди областей", "Показатели"} {
		if !strings.Contains(page, want) {
			t.Errorf("Russian oblast report lacks %q", want)
		}
	}
	if strings.Contains(page, "Место в области") {
		t.Error("an oblast's report ranks it among districts")
	}
	_, cells := reportRows(t, page)
	for name, c := range cells {
		if len(c) != 3 {
			t.Errorf("%s: number cells %q; want value, rank, country", name, c)
		}
	}
	kk := getReportHTML(t, h, "/report/oblast/120000000?lang=kk", http.StatusOK)
	for _, want := range []string{`<html lang="kk">`, "Синтетикалық облыс 2", "Облыстар арасындағы орны", "Көрсеткіштер"} {
		if !strings.Contains(kk, want) {
			t.Errorf("Kazakh oblast report lacks %q", want)
		}
	}
}

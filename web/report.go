package web

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/indicator"
	"github.com/aimaq/aimaq/geo/lang"
	"github.com/aimaq/aimaq/geo/level"
	"github.com/aimaq/aimaq/internal/errs"
	"github.com/gorilla/mux"
)

// ReportSource tells what the printable report of an area needs beside its
// indicator values. The AccessSource is asked for it (*postgis.Store is
// both), so the report's values come from the same queries as /api/areas.
type ReportSource interface {
	// AreaProfile returns errs.NotFound for an unknown area or before the
	// first compute run.
	AreaProfile(ctx context.Context, level, code string) (*access.AreaProfile, error)
}

// reportDefaultLang is the map's default language (web/ui/src/i18n.js).
const reportDefaultLang = "ru"

var (
	//go:embed report.html
	reportHTML     string
	reportTemplate = template.Must(template.New("report").Parse(reportHTML))
)

// handleReport serves GET /report/{level}/{code}?lang=kk|ru|en: a printable
// page (A4 portrait, no script, nothing from the internet) about one oblast
// or district of the latest compute run: its indicators with their rank
// among peers and the country's value, the regional standards checks of its
// settlements and a small map drawn as SVG.
func (s *server) handleReport(w http.ResponseWriter, r *http.Request) error {
	lvl := level.Level(mux.Vars(r)["level"])
	if lvl != level.District && lvl != level.Oblast {
		return errs.E(errs.Invalid, "level %q unknown: want district or oblast", errs.Shorten(string(lvl)))
	}
	code := mux.Vars(r)["code"]
	if !isReportCode(code) {
		return errs.E(errs.Invalid, "code %q is not a KATO code: want 9 digits, such as 116600000", errs.Shorten(code))
	}
	l := reportDefaultLang
	if vs, ok := r.URL.Query()["lang"]; ok {
		if l = vs[0]; !lang.Valid(l) {
			return errs.E(errs.Invalid, "lang=%q: want kk, ru or en", errs.Shorten(l))
		}
	}
	if s.access == nil {
		return errNoAccessData
	}
	src, ok := s.access.(ReportSource)
	if !ok {
		return errs.E(errs.Unavailable, "area reports not available")
	}
	ctx, cancel := s.apiContext(r)
	defer cancel()
	page, err := s.reportPage(ctx, src, lvl, code, l)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := reportTemplate.Execute(&buf, page); err != nil {
		return errs.Wrap(errs.Internal, err, "render report %s/%s", lvl, code)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", l)
	h.Set("X-Content-Type-Options", "nosniff")
	// Nothing but the page itself: inline styles and inline SVG.
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'")
	apiHeaders(w)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
	return nil
}

// isReportCode reports whether s looks like a KATO code: 9 digits (a few more or
// fewer are let through, for codes of other classifiers).
func isReportCode(s string) bool {
	if len(s) < 2 || len(s) > 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// reportView is what report.html shows.
type reportView struct {
	Lang       string
	W          map[string]string
	Level      string // the level's name in the language
	IsDistrict bool
	Name       string
	Code       string
	Oblast     string
	Group      string
	Population string
	RunID      int64
	ComputedAt string
	Stale      bool
	Synthetic  bool
	Datasets   []reportDataset
	OSM        bool
	Indicators []reportIndicator
	NotInRun   []string
	SRS        []reportSRS
	SRSNote    string
	Map        reportMap
	Notes      []string
	Methods    []string // what each method word of the table means
}

type reportDataset struct {
	Name, Source, Date string
}

// reportIndicator is one row of the indicator table. Value is what the
// page shows; Raw is the API's number (data-value), for checks.
type reportIndicator struct {
	Name, Title, Description, Direction string
	Arrow                               string // ↓ lower is better, ↑ higher, ↕ neutral
	Value, Raw, Method, Missing         string
	RankOblast, RankAll, Country        string
	method                              string // the API's method code
}

type reportSRS struct {
	Title, Settlements, Population, None string
}

type reportMap struct {
	ViewBox      string
	Area, Parent string
	Context      []string
	Dots         []reportDot
	Note         string
	// Whole view units (metres) throughout: html/template would write a
	// float64 with an exponent.
	ScaleX, ScaleY   int64 // the scale bar's start
	ScaleLen         int64 // its length in view units
	ScaleKm          string
	ScaleText        int64 // font size in view units
	ScaleTextY, Tick int64
}

type reportDot struct{ X, Y, R int64 }

// reportPage gathers the page: the profile, then every area indicator of
// the latest run at the level from AreaIndicator, as /api/areas answers it.
func (s *server) reportPage(ctx context.Context, src ReportSource, lvl level.Level, code, l string) (*reportView, error) {
	p, err := src.AreaProfile(ctx, string(lvl), code)
	if err != nil {
		return nil, err
	}
	names, err := s.access.AreaIndicatorNames(ctx)
	if err != nil {
		return nil, err
	}
	info, _ := level.Lookup(lvl)
	v := &reportView{Lang: l, W: reportWordsIn(l), Level: info.Title.Label(l), IsDistrict: lvl == level.District,
		Name: reportName(p.Name, l), Code: p.Code, Population: reportNumber(float64(p.Population), 0, l),
		RunID: p.RunID, ComputedAt: p.ComputedAt.UTC().Format("2006-01-02 15:04 UTC"), Stale: p.Stale}
	if p.Oblast != nil {
		v.Oblast = reportName(p.Oblast.Name, l)
	}
	if p.Group != nil {
		v.Group = reportName(p.Group.Name, l)
	}
	for _, d := range p.Datasets {
		ds := reportDataset{Name: d.Dataset, Source: path.Base(d.Source)}
		if d.FinishedAt != nil {
			ds.Date = d.FinishedAt.UTC().Format("2006-01-02")
		}
		if strings.HasPrefix(d.Dataset, "osm") || strings.Contains(strings.ToLower(d.Source), "osm") {
			v.OSM = true
		}
		v.Datasets = append(v.Datasets, ds)
	}
	if s.indicators != nil {
		if v.Synthetic, err = s.indicators.SyntheticData(ctx); err != nil {
			return nil, err
		}
	}
	var methods []string
	peers := map[string]bool{}
	for _, c := range p.Peers {
		peers[c] = true
	}
	for _, in := range indicator.All() {
		if !in.HasLevel(lvl) {
			continue
		}
		if !slices.Contains(names, in.Name) {
			v.NotInRun = append(v.NotInRun, in.Title.Label(l))
			continue
		}
		row, err := s.reportIndicator(ctx, in, lvl, p, peers, l)
		if err != nil {
			return nil, err
		}
		v.Indicators = append(v.Indicators, row)
		if row.method != "" && !slices.Contains(methods, row.method) {
			methods = append(methods, row.method)
		}
	}
	for _, m := range []string{access.Network, access.StraightLine, access.Mixed, access.Estimated, access.Statistics, access.City} {
		if slices.Contains(methods, m) {
			v.Methods = append(v.Methods, reportWords["methodNote."+m].Label(l))
		}
	}
	for _, c := range p.SRS {
		row := reportSRS{Title: v.W["srs."+c.Standard]}
		if c.Checked == 0 {
			row.None = v.W["srsNone"]
		} else {
			row.Settlements = reportNumber(float64(c.Met), 0, l) + " / " + reportNumber(float64(c.Checked), 0, l)
			if c.CheckedPop > 0 {
				row.Population = formatReportValue(float64(c.MetPop)/float64(c.CheckedPop), "share", -1, l)
			}
		}
		v.SRS = append(v.SRS, row)
	}
	v.SRSNote = reportFill(v.W["srsNote"], "n", reportNumber(float64(p.Settlements), 0, l), "pop", reportNumber(float64(p.SettlementPopulation), 0, l))
	for _, agg := range []indicator.Aggregation{indicator.Mean, indicator.Median} {
		for _, in := range indicator.All() {
			if in.Aggregation == agg {
				v.Notes = append(v.Notes, meanMedianLabel(agg, l)+": "+in.Description.Label(l))
				break
			}
		}
	}
	v.Map = reportMapView(p.Map, v.W, l)
	return v, nil
}

// reportIndicator is one indicator's row: the area's value from the same
// table /api/areas answers, its ranks and the country's value.
func (s *server) reportIndicator(ctx context.Context, in indicator.Indicator, lvl level.Level, p *access.AreaProfile, peers map[string]bool, l string) (reportIndicator, error) {
	t, err := s.access.AreaIndicator(ctx, string(lvl), in.Name, false)
	if err != nil {
		return reportIndicator{}, err
	}
	if t.RunID != p.RunID {
		return reportIndicator{}, errs.E(errs.Unavailable, "a compute run finished while the report was made: load it again")
	}
	digits := -1
	if of, ok := in.Settlement(); ok {
		digits = of.Digits
	}
	row := reportIndicator{Name: in.Name, Title: in.Title.Label(l), Direction: reportWords["dir."+string(in.Direction)].Label(l), Arrow: reportArrows[in.Direction]}
	if in.Aggregation != indicator.Mean && in.Aggregation != indicator.Median {
		row.Description = in.Description.Label(l)
	}
	var own *access.AreaRow
	for i := range t.Rows {
		if t.Rows[i].Code == p.Code {
			own = &t.Rows[i]
		}
	}
	if own == nil || own.Value == nil {
		row.Value = reportWords["noValue"].Label(l)
		row.Missing = reportMissing(in, l)
	} else {
		row.Value = formatReportValue(*own.Value, in.Unit, digits, l)
		row.Raw = strconv.FormatFloat(*own.Value, 'g', -1, 64)
		if own.Method != "" {
			row.method = own.Method
			row.Method = reportWords["method."+own.Method].Label(l)
		}
	}
	rank := func(peer func(string) bool) string {
		r, ok := access.RankAmong(t.Rows, p.Code, in.Direction, peer)
		if !ok {
			return reportWords["noRank"].Label(l)
		}
		return strconv.Itoa(r.Position) + " / " + strconv.Itoa(r.Of)
	}
	row.RankAll = rank(nil)
	if lvl == level.District {
		row.RankOblast = rank(func(c string) bool { return peers[c] })
	}
	ct, err := s.access.AreaIndicator(ctx, string(level.Country), in.Name, false)
	if err != nil && errs.KindOf(err) != errs.NotFound {
		return reportIndicator{}, err
	}
	row.Country = reportWords["noRank"].Label(l)
	if err == nil && len(ct.Rows) > 0 && ct.Rows[0].Value != nil {
		row.Country = formatReportValue(*ct.Rows[0].Value, in.Unit, digits, l)
	}
	return row, nil
}

// reportArrows mark each indicator's direction (reportWords "arrows" says which is which).
var reportArrows = map[indicator.Direction]string{indicator.LowerBetter: "↓", indicator.HigherBetter: "↑", indicator.Neutral: "↕"}

// reportMissing says, as the catalogue does for an unavailable indicator
// (/api/indicators "needs"), which data would give an area its value.
func reportMissing(in indicator.Indicator, l string) string {
	switch {
	case in.Source == indicator.FromStatistics:
		return reportWords["missingStats"].Label(l)
	case in.Aggregation == indicator.Density:
		return reportWords["missingArea"].Label(l)
	}
	if of, ok := indicator.LookupSettlement(in.Of); ok && of.ToCentre() {
		return reportWords["missingCentre"].Label(l)
	}
	return reportWords["missingOSM"].Label(l)
}

func meanMedianLabel(a indicator.Aggregation, l string) string {
	if a == indicator.Mean {
		return lang.Text{KK: "Орташа", RU: "Среднее", EN: "Mean"}.Label(l)
	}
	return lang.Text{KK: "Медиана", RU: "Медиана", EN: "Median"}.Label(l)
}

// reportName is an area's name in l, else in another language.
func reportName(t lang.Text, l string) string {
	for _, c := range []string{l, "ru", "en", "kk"} {
		if n := t.Label(c); n != "" {
			return n
		}
	}
	return ""
}

// reportFill replaces {key} placeholders of a phrase.
func reportFill(s string, kv ...string) string {
	for i := 0; i+1 < len(kv); i += 2 {
		s = strings.ReplaceAll(s, "{"+kv[i]+"}", kv[i+1])
	}
	return s
}

// formatReportValue writes a value as the map does (web/ui/src/format.js
// fmtValue): a share in per cent, else with the catalogue's digits (digits
// < 0: digits that suit the value's size) and the unit in the language.
func formatReportValue(v float64, unit string, digits int, l string) string {
	if unit == "share" {
		d := 0
		if math.Abs(v) < 0.1 {
			d = 1
		}
		return reportNumber(v*100, d, l) + "\u00a0%"
	}
	if digits < 0 {
		digits = reportDigits(v)
	}
	s := reportNumber(v, digits, l)
	if u := reportUnit(unit, l); u != "" {
		s += "\u00a0" + u
	}
	return s
}

// reportDigits are fraction digits that suit a value's size: 0.372, 4.21, 58.3, 2 410.
func reportDigits(v float64) int {
	switch a := math.Abs(v); {
	case a == 0 || a >= 100:
		return 0
	case a >= 10:
		return 1
	case a >= 1:
		return 2
	}
	return 3
}

func reportUnit(unit, l string) string {
	key := map[string]string{"km": "unit.km", "min": "unit.min", "people/km²": "unit.density", "per 10,000": "unit.per10k", "per 1,000": "unit.per1k"}[unit]
	if key == "" {
		return unit
	}
	return reportWords[key].Label(l)
}

// reportNumber writes v with at most digits fraction digits (trailing zeros
// dropped) and the language's separators: 12 345,6 in kk and ru, 12,345.6 in en.
func reportNumber(v float64, digits int, l string) string {
	s := strconv.FormatFloat(v, 'f', digits, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	group, point := "\u00a0", ","
	if l == "en" {
		group, point = ",", "."
	}
	var b strings.Builder
	if neg {
		b.WriteString("−")
	}
	// As the browser's Intl.NumberFormat: Russian and Kazakh group only
	// numbers of five digits or more.
	grouped := len(whole) > 4 || l == "en" && len(whole) > 3
	for i, c := range whole {
		if grouped && i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString(point + frac)
	}
	return b.String()
}

// reportMapView places the profile's map: dots sized by population (area
// proportional), a scale bar of a round length near a quarter of the view.
func reportMapView(m access.AreaMap, w map[string]string, l string) reportMap {
	vb := m.ViewBox
	side := math.Max(vb[2], vb[3])
	out := reportMap{
		ViewBox: fmt.Sprintf("%.0f %.0f %.0f %.0f", vb[0], vb[1], vb[2], vb[3]),
		Area:    m.Area, Parent: m.Parent, Context: m.Context,
		Note: reportFill(w["mapNote"], "shown", reportNumber(float64(len(m.Dots)), 0, l), "total", reportNumber(float64(m.Total), 0, l)),
	}
	var maxPop int64 = 1
	for _, d := range m.Dots {
		maxPop = max(maxPop, d.Population)
	}
	for _, d := range m.Dots {
		r := side * (0.003 + 0.014*math.Sqrt(float64(d.Population)/float64(maxPop)))
		out.Dots = append(out.Dots, reportDot{X: reportRound(d.X), Y: reportRound(d.Y), R: max(1, reportRound(r))})
	}
	if m.KmPerUnit > 0 && vb[2] > 0 {
		km := reportNiceKm(vb[2] * m.KmPerUnit / 4)
		out.ScaleLen = reportRound(km / m.KmPerUnit)
		out.ScaleKm = reportNumber(km, 1, l) + "\u00a0" + w["scale"]
		out.ScaleX = reportRound(vb[0] + vb[2]*0.04)
		out.ScaleY = reportRound(vb[1] + vb[3]*0.96)
		out.Tick = reportRound(side * 0.015)
		out.ScaleText = reportRound(side * 0.045)
		out.ScaleTextY = out.ScaleY - out.Tick*2
	}
	return out
}

func reportRound(v float64) int64 { return int64(math.Round(v)) }

// reportNiceKm is the round length (1, 2 or 5 times a power of ten) at most km.
func reportNiceKm(km float64) float64 {
	if km <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(km)))
	for _, f := range []float64{5, 2, 1} {
		if f*p <= km {
			return f * p
		}
	}
	return p
}

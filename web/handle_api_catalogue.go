package web

import (
	"context"
	"github.com/aimaq/aimaq/geo/lang"
	"net/http"

	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/classify"
	"github.com/aimaq/aimaq/geo/indicator"
	"github.com/aimaq/aimaq/geo/level"
	"github.com/aimaq/aimaq/internal/errs"
)

// IndicatorSource tells which area indicators the latest compute run has, and
// how their values were obtained.
type IndicatorSource interface {
	IndicatorProvenance(ctx context.Context) (map[string][]string, int64, error)
	// SyntheticData reports whether any loaded data is SYNTHETIC, so the answer can say so.
	SyntheticData(ctx context.Context) (bool, error)
	// Groups lists the macroregions and agglomerations.
	Groups(ctx context.Context) ([]indicator.Group, error)
}

// catalogueEntry is one indicator of GET /api/indicators.
type catalogueEntry struct {
	indicator.Indicator
	// Provenance lists how the latest run's values were obtained: statistics
	// (real), estimated, network, straight-line or mixed; empty when none.
	Provenance []string `json:"provenance"`
	Available  bool     `json:"available"`
	// Needs says what to load when the indicator is not available.
	Needs string `json:"needs,omitempty"`
}

type catalogueAnswer struct {
	RunID      int64            `json:"run_id"`
	Synthetic  bool             `json:"synthetic"` // some loaded data is SYNTHETIC (tests, benchmarks)
	Indicators []catalogueEntry `json:"indicators"`
	LoadHint   string           `json:"load_hint"`
	// What the map needs to know and must not declare again: the levels,
	// the classification methods and class limits, the standards'
	// thresholds, the groups with their colours, and the settlement
	// indicators (with the classes settlement circles are coloured by).
	Levels         []level.Info       `json:"levels"`
	Classification classification     `json:"classification"`
	Thresholds     map[string]float64 `json:"thresholds"`
	Groups         []indicator.Group  `json:"groups"`
	// Messages are the templates of every message code the API sends beside
	// its figures ("messages" of the choropleth and disparity answers), in
	// kk/ru/en with {name} placeholders: the map words them in its language.
	Messages             map[string]lang.Text  `json:"messages"`
	SettlementIndicators []settlementIndicator `json:"settlement_indicators"`
	// Bounds is the imported country's box (west, south, east, north), the
	// map's start view; null before a country is imported.
	Bounds *[4]float64 `json:"bounds"`
}

// classification is what /api/choropleth accepts for method and classes.
type classification struct {
	Methods        []classify.Method `json:"methods"`
	DefaultMethod  classify.Method   `json:"default_method"`
	MinClasses     int               `json:"min_classes"`
	MaxClasses     int               `json:"max_classes"`
	DefaultClasses int               `json:"default_classes"`
}

// handleCatalogue serves GET /api/indicators: every area indicator with its
// unit, direction, titles and descriptions in kk/ru/en, levels, and the
// provenance of its values in the latest compute run.
func (s *server) handleCatalogue(w http.ResponseWriter, r *http.Request) error {
	ans := catalogueAnswer{Indicators: []catalogueEntry{}, LoadHint: access.LoadHint,
		Levels: level.All(), Thresholds: indicator.Thresholds(), Groups: []indicator.Group{}, SettlementIndicators: settlementCatalogue(),
		Messages: lang.Messages(),
		Classification: classification{Methods: classify.Methods(), DefaultMethod: classify.MethodAuto,
			MinClasses: classify.MinClasses, MaxClasses: classify.MaxClasses, DefaultClasses: 5}}
	prov := map[string][]string{}
	if s.indicators != nil {
		ctx, cancel := s.apiContext(r)
		defer cancel()
		p, runID, err := s.indicators.IndicatorProvenance(ctx)
		if err != nil && errs.KindOf(err) != errs.NotFound { // no run yet: everything unavailable
			return err
		}
		if p != nil {
			prov, ans.RunID = p, runID
		}
		if ans.Synthetic, err = s.indicators.SyntheticData(ctx); err != nil {
			return err
		}
		if b, ok, err := s.countryExtent(ctx); err != nil {
			return err
		} else if ok {
			ans.Bounds = &[4]float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}
		}
		gs, err := s.indicators.Groups(ctx)
		if err != nil {
			return err
		}
		ans.Groups = append(ans.Groups, gs...)
	}
	for _, in := range indicator.All() {
		e := catalogueEntry{Indicator: in, Provenance: prov[in.Name], Available: len(prov[in.Name]) > 0}
		if e.Provenance == nil {
			e.Provenance = []string{}
		}
		if !e.Available {
			switch in.Source {
			case indicator.FromStatistics:
				e.Needs = "regional statistics: aimaq import stats"
			default:
				e.Needs = "an OpenStreetMap extract (facilities, roads) and aimaq compute"
				if of, ok := indicator.LookupSettlement(in.Of); ok && of.ToCentre() {
					e.Needs = indicator.CentresNeed
				}
			}
		}
		ans.Indicators = append(ans.Indicators, e)
	}
	apiHeaders(w)
	writeJSON(w, http.StatusOK, ans)
	return nil
}

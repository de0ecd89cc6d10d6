package web

import (
	"net/http"

	"github.com/aimaq/aimaq/geo/access"
)

// settlementIndicator is one entry of the per-settlement indicator
// catalogue as the API shows it.
type settlementIndicator struct {
	Name        string   `json:"name"`
	Unit        string   `json:"unit"`
	Description string   `json:"description"`
	Needs       []string `json:"needs"` // facilities, roads; empty: settlements and boundaries suffice
}

// settlementIndicators is the body of GET /api/indicators/settlement.
type settlementIndicators struct {
	Indicators []settlementIndicator `json:"indicators"`
	// LoadHint is the command that loads the data the indicators with
	// needs are computed from.
	LoadHint string `json:"load_hint"`
}

// needsName is the API's name of what an indicator needs.
func needsName(n access.Needs) string {
	switch n {
	case access.NeedsFacilities:
		return "facilities"
	case access.NeedsRoads:
		return "roads"
	}
	return ""
}

// handleSettlementIndicators serves GET /api/indicators/settlement: the
// catalogue of per-settlement indicators (name, unit, description, what
// data each needs) and the command that loads that data. It needs no
// database, so it answers even before the first compute run.
func (s *server) handleSettlementIndicators(w http.ResponseWriter, r *http.Request) error {
	out := settlementIndicators{
		Indicators: make([]settlementIndicator, 0, len(access.SettlementIndicators)),
		LoadHint:   access.LoadHint,
	}
	for _, in := range access.SettlementIndicators {
		needs := make([]string, 0, len(in.Needs))
		for _, n := range in.Needs {
			if name := needsName(n); name != "" {
				needs = append(needs, name)
			}
		}
		out.Indicators = append(out.Indicators, settlementIndicator{
			Name: in.Name, Unit: in.Unit, Description: in.Description, Needs: needs,
		})
	}
	apiHeaders(w)
	writeJSON(w, http.StatusOK, out)
	return nil
}

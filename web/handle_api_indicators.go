package web

import (
	"net/http"

	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/indicator"
)

// settlementIndicator is one entry of the per-settlement indicator
// catalogue as the API shows it.
type settlementIndicator struct {
	Name        string         `json:"name"`
	Unit        string         `json:"unit"`
	Title       indicator.Text `json:"title"`
	Description string         `json:"description"`
	Needs       []string       `json:"needs"` // facilities, roads; empty: settlements and boundaries suffice
	// Breaks and Colors: the classes the map colours settlements by; absent
	// for an indicator the map does not offer.
	Breaks []float64 `json:"breaks,omitempty"`
	Colors []string  `json:"colors,omitempty"`
}

// settlementIndicators is the body of GET /api/indicators/settlement.
type settlementIndicators struct {
	Indicators []settlementIndicator `json:"indicators"`
	// LoadHint is the command that loads the data the indicators with
	// needs are computed from.
	LoadHint string `json:"load_hint"`
}

// settlementCatalogue lists the settlement indicators of the catalogue.
func settlementCatalogue() []settlementIndicator {
	var out []settlementIndicator
	for _, in := range indicator.Settlements() {
		needs := make([]string, len(in.Needs))
		for i, n := range in.Needs {
			needs[i] = string(n)
		}
		out = append(out, settlementIndicator{Name: in.Name, Unit: in.Unit, Title: in.Title, Description: in.Description,
			Needs: needs, Breaks: in.Breaks, Colors: in.Colors})
	}
	return out
}

// handleSettlementIndicators serves GET /api/indicators/settlement: the
// catalogue of per-settlement indicators (name, unit, description, what
// data each needs) and the command that loads that data. It needs no
// database, so it answers even before the first compute run.
func (s *server) handleSettlementIndicators(w http.ResponseWriter, r *http.Request) error {
	apiHeaders(w)
	writeJSON(w, http.StatusOK, settlementIndicators{Indicators: settlementCatalogue(), LoadHint: access.LoadHint})
	return nil
}

package access

import (
	"slices"

	"github.com/aimaq/aimaq/geo/indicator"
)

// The methods a figure is obtained by, as the API, tiles and exports say.
const (
	Network      = "network"       // over the road network
	StraightLine = "straight-line" // the straight-line rule (see Options)
	Mixed        = "mixed"         // an aggregate of network and straight-line values
	Statistics   = "statistics"    // official regional statistics
	Estimated    = "estimated"     // an estimate, documented where it is made (a time: see Options.Fallback)
	City         = "city"          // a city district showing its whole city's figure (see Area.CityPart)
)

// FigureMethod is how a settlement's figure of indicator in was obtained:
// "" when there is no value or the figure has no method of its own (the
// standards score); straight-line for distances that are straight-line by
// definition or whose search fell back to the straight-line rule (its target
// listed in straight), estimated for a time that fell back; else network.
func FigureMethod(in indicator.Settlement, known bool, straight []string) string {
	switch {
	case !known || in.Routing == indicator.Derived:
		return ""
	case in.Routing == indicator.StraightLine, slices.Contains(straight, in.Target):
		return fallbackMethod(in.IsTime())
	}
	return Network
}

// fallbackMethod names what the straight-line rule gives: a straight-line
// distance, or an estimated time.
func fallbackMethod(time bool) string {
	if time {
		return Estimated
	}
	return StraightLine
}

// Provenance lists, in order of first appearance, how the values of rows
// were obtained (statistics, estimated, network, straight-line, mixed).
func Provenance(rows []AreaRow) []string {
	out := []string{}
	for _, r := range rows {
		if r.Value != nil && r.Method != "" && !slices.Contains(out, r.Method) {
			out = append(out, r.Method)
		}
	}
	return out
}

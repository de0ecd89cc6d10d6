package siting

import (
	"fmt"

	"github.com/aimaq/aimaq/geo"
	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/scenario"
	"github.com/paulmach/orb"
)

// Projects turns the picks into scenario projects that open a facility of
// kind (a facility kind of the facility table: school, medical_post, …) at
// each site, named "proposed <kind> at <site>", with the site's cost when it
// has one, so that the result can be saved and evaluated as a scenario.
func (r *Result) Projects(kind string) ([]scenario.Project, error) {
	level, health := access.LevelOfKind(kind)
	if !health && kind != "school" && kind != "kindergarten" {
		return nil, fmt.Errorf("siting.Result.Projects: facility kind %q: want school, kindergarten or a health kind (medical_post, feldsher_post, clinic, polyclinic, hospital)", kind)
	}
	out := make([]scenario.Project, 0, len(r.Picks))
	for _, pk := range r.Picks {
		name := pk.Site.Name
		if name == "" {
			name = fmt.Sprintf("%.5f, %.5f", pk.Site.Point[1], pk.Site.Point[0])
		}
		out = append(out, scenario.Project{
			Kind:         scenario.OpenFacility,
			Name:         fmt.Sprintf("proposed %s at %s", kind, name),
			FacilityKind: kind,
			HealthLevel:  level,
			Point:        pk.Site.Point,
			SettlementID: pk.Site.SettlementID,
			CostKZT:      pk.Site.CostKZT,
			Status:       scenario.Planned,
			Source:       fmt.Sprintf("siting: %s", r.Method),
		})
	}
	return out, nil
}

// SitesWithout lists, as candidate sites, the demand points with no existing
// facility within km in a straight line: the settlements that lack the
// facility. km is the radius a facility counts as the settlement's own
// (access.LocalRadiusKm of its population when km is 0). Names are
// "settlement <id>"; costs are left for the caller.
func SitesWithout(demand []Demand, existing []orb.Point, km float64) []Site {
	ix := geo.NewPointIndex(existing)
	var out []Site
	for _, d := range demand {
		r := km
		if r <= 0 {
			r = access.LocalRadiusKm(int(d.Population))
		}
		if _, m := ix.Nearest(d.Point, nil); m <= r*1000 {
			continue
		}
		out = append(out, Site{SettlementID: d.ID, Name: fmt.Sprintf("settlement %d", d.ID), Point: d.Point})
	}
	return out
}

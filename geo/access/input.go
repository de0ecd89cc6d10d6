package access

import (
	"github.com/aimaq/aimaq/geo/level"
	"github.com/aimaq/aimaq/geo/route"
	"github.com/paulmach/orb"
)

// Input is everything one computation reads.
type Input struct {
	Settlements []Settlement
	Facilities  []Facility
	Roads       []route.Road
	// Areas are every area figures are aggregated to, in a stable order
	// (by id): district and oblast centres are searched in this order.
	Areas []Area
}

// Settlement is one settlement as the engine sees it.
type Settlement struct {
	ID         int64
	Point      orb.Point
	Population int
	Place      string // OSM place: city, town, village, hamlet, …
	District   int64  // area id of its district; 0 = none
	Oblast     int64  // area id of its oblast; 0 = none
}

// Facility is one school, health facility, … (kinds in DESIGN.md).
type Facility struct {
	ID       int64
	Kind     string
	Name     string
	Capacity float64 // places; NaN when not tagged
	Point    orb.Point
	District int64 // area id of the district it lies in; 0 = none
	Oblast   int64 // that district's oblast; 0 = none
}

// Area is one area figures are aggregated to.
type Area struct {
	ID     int64
	Level  level.Level
	Group  int64 // the macroregion or agglomeration of a district; 0 = none
	Parent int64 // the oblast of a district; 0 = none
	// CityPart marks a district of a city of republican significance (Astana,
	// Almaty, Shymkent). The data hold one point for the whole city, so a city
	// district has no settlements of its own that describe it: its settlement
	// figures are the city's, with the method City.
	CityPart   bool
	Population float64 // NaN when unknown
	Estimated  bool    // Population is an estimate, not an official figure
	Km2        float64 // 0 when unknown
	// Centre is the administrative centre of a district or oblast, which its
	// settlements' *_centre figures lead to; nil when it has none.
	Centre *orb.Point
}

// Has reports whether any facility of in belongs to set.
func (in *Input) Has(set FacilitySet) bool {
	for _, f := range in.Facilities {
		if set.Has(f.Kind) {
			return true
		}
	}
	return false
}

// centres lists the centres of the areas of level, and for every settlement
// the index in that list of its own area's centre (-1 = none), area being
// the settlement's district or oblast.
func (in *Input) centres(l level.Level, area func(s *Settlement) int64) (pts []orb.Point, own []int) {
	idx := map[int64]int{}
	for _, a := range in.Areas {
		if a.Level == l && a.Centre != nil {
			idx[a.ID] = len(pts)
			pts = append(pts, *a.Centre)
		}
	}
	own = make([]int, len(in.Settlements))
	for i := range in.Settlements {
		own[i] = -1
		if c, ok := idx[area(&in.Settlements[i])]; ok {
			own[i] = c
		}
	}
	return pts, own
}

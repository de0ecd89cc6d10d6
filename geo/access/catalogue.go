package access

// Needs says what data an indicator is computed from.
type Needs int

// What an indicator needs beyond settlements and boundaries.
const (
	NeedsNothing    Needs = iota // settlements, boundaries and centres suffice (straight line)
	NeedsFacilities              // facility points (OSM amenity/healthcare or a facilities file)
	NeedsRoads                   // a road network (OSM highway=*)
)

// Indicator describes one per-settlement indicator.
type Indicator struct {
	Name        string
	Unit        string // km, min, share, bool
	Description string
	Needs       []Needs
}

// SettlementIndicators are the columns of settlement_access, in order.
var SettlementIndicators = []Indicator{
	{"school_km", "km", "road distance to the nearest school (along the fastest route)", []Needs{NeedsFacilities, NeedsRoads}},
	{"school_min", "min", "travel time to the nearest school", []Needs{NeedsFacilities, NeedsRoads}},
	{"clinic_km", "km", "road distance to the nearest health facility of any level", []Needs{NeedsFacilities, NeedsRoads}},
	{"clinic_min", "min", "travel time to the nearest health facility of any level", []Needs{NeedsFacilities, NeedsRoads}},
	{"hospital_km", "km", "road distance to the nearest hospital", []Needs{NeedsFacilities, NeedsRoads}},
	{"hospital_min", "min", "travel time to the nearest hospital", []Needs{NeedsFacilities, NeedsRoads}},
	{"paved_road_km", "km", "straight-line distance to the nearest paved road", []Needs{NeedsRoads}},
	{"district_centre_km", "km", "distance to the district's administrative centre", nil},
	{"district_centre_min", "min", "travel time to the district's administrative centre", nil},
	{"oblast_centre_km", "km", "distance to the oblast's administrative centre", nil},
	{"oblast_centre_min", "min", "travel time to the oblast's administrative centre", nil},
	{"town5k_km", "km", "straight-line distance to the nearest town of 5,000 people or more", nil},
	{"srs_score", "share", "share of the applicable regional standards met (health, school, paved road)", []Needs{NeedsFacilities, NeedsRoads}},
}

// Lookup returns the settlement indicator called name.
func Lookup(name string) (Indicator, bool) {
	for _, in := range SettlementIndicators {
		if in.Name == name {
			return in, true
		}
	}
	return Indicator{}, false
}

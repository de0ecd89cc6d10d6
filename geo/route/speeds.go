package route

// Speeds is the one configurable table of travel speeds, in km/h.
type Speeds struct {
	// Paved and Unpaved give the speed by OSM highway class (motorway, trunk, …) for
	// each surface. A class missing from the table travels at Default.
	Paved, Unpaved map[string]float64
	// Default is the speed of a road whose class is in neither table.
	Default float64
	// FerryKmh is the speed of a ferry crossing (a road of class FerryClass),
	// paved or not; zero means Default.
	FerryKmh float64
	// Walk is walking speed.
	Walk float64
	// OffNetworkKmh is the speed of the off-network leg between a settlement or
	// facility and its snapped position on the nearest road. Zero means Walk: the leg
	// is typically a footpath or a yard, and counting it at walking speed penalises
	// villages far from any road instead of hiding them.
	OffNetworkKmh float64
	// FallbackKmh is the speed of the straight-line rule (access.Options.Fallback),
	// the estimate of a trip with no network route.
	FallbackKmh float64
}

// DefaultCircuity is the ratio of road distance to great-circle distance used by the
// straight-line rule (access.Options.Fallback). Studies of national road networks
// (Ballou, Rahardja and Sakai 2002, "Selected country circuity factors for road
// travel distance estimation", Transportation Research A 36) find factors mostly
// between about 1.2 and 1.4 for inter-settlement trips; 1.3 sits in the middle.
// Sparse steppe networks can be more circuitous, so the fallback remains an estimate
// and is always flagged.
const DefaultCircuity = 1.3

// FerryClass is the class of a ferry route (OSM route=ferry): an edge of the
// network with its own speed (Speeds.FerryKmh), never a paved road.
const FerryClass = "ferry"

// DefaultSpeeds returns the class-typical speeds, the one speed model of the graph
// (Speeds.roadKmh): what a car typically achieves on a road of that class and
// surface, not what the law allows.
//
// The ceilings are Kazakhstan's legal limits for cars in the Rules of the Road
// (section 10, speed; approved by Government Decree No. 1196 of 13 November 2014,
// replaced by Decree No. 758 of 1 September 2023): 60 km/h inside settlements,
// 20 in residential zones, up to 110 outside settlements and 140 on motorways, the
// values the importer reads for KZ:urban, KZ:living_street, KZ:rural and
// KZ:motorway (as the OSM wiki's table of default speed limits gives them; the
// outside-settlement figures have not been checked against the 2023 text). The
// typical speeds below them are an assumption, not a measurement: they follow
// the usual practice of routing engines' car profiles (a class speed well under
// the limit, for junctions, traffic, road condition and villages on the way) and
// put unpaved roads (gravel, earth) at roughly half to two thirds of their paved
// equivalent. No survey of achieved speeds on Kazakh roads was used; a planner
// who has one replaces this table.
//
// A ferry crosses at 10 km/h, a slow river or lake ferry; the time counts only
// the crossing, no wait for a departure, so a trip over a ferry is a lower bound.
// The off-network leg is walked at 5 km/h; the straight-line fallback is driven
// at 40 km/h.
func DefaultSpeeds() Speeds {
	return Speeds{
		Paved: map[string]float64{
			"motorway": 110, "motorway_link": 60,
			"trunk": 90, "trunk_link": 50,
			"primary": 80, "primary_link": 45,
			"secondary": 70, "secondary_link": 40,
			"tertiary": 60, "tertiary_link": 35,
			"unclassified": 50, "road": 40,
			"residential": 30, "living_street": 10,
			"service": 20, "track": 30,
		},
		Unpaved: map[string]float64{
			"motorway": 60, "motorway_link": 40,
			"trunk": 60, "trunk_link": 35,
			"primary": 50, "primary_link": 30,
			"secondary": 45, "secondary_link": 30,
			"tertiary": 40, "tertiary_link": 25,
			"unclassified": 35, "road": 30,
			"residential": 20, "living_street": 10,
			"service": 15, "track": 25,
		},
		Default:     30,
		FerryKmh:    10,
		Walk:        5,
		FallbackKmh: 40,
	}
}

// roadKmh is the speed a road is travelled at, the one rule for every road:
//
//   - a road's own SpeedKmh (set only for roads from other sources than
//     OpenStreetMap, such as a measured or designed speed) is used as given;
//   - otherwise the class-typical speed (classKmh), lowered to the tagged
//     maxspeed when that is lower. A maxspeed never raises a road above its
//     class's typical speed: a limit says how fast one may drive, not how fast
//     one gets through a village street, so a street tagged 25 mph travels as
//     fast as its untagged neighbour, while a tertiary road signed 20 km/h is
//     slower than an untagged one.
func (sp Speeds) roadKmh(r Road) float64 {
	if r.SpeedKmh > 0 {
		return r.SpeedKmh
	}
	kmh := sp.classKmh(r)
	if r.MaxspeedKmh > 0 && r.MaxspeedKmh < kmh {
		return r.MaxspeedKmh
	}
	return kmh
}

// classKmh is the class-typical speed of a road: FerryKmh for a ferry, else the
// table of its surface, else Default.
func (sp Speeds) classKmh(r Road) float64 {
	if r.Class == FerryClass && sp.FerryKmh > 0 {
		return sp.FerryKmh
	}
	table := sp.Unpaved
	if r.Paved {
		table = sp.Paved
	}
	if v, ok := table[r.Class]; ok && v > 0 {
		return v
	}
	return sp.Default
}

// offNetworkMps is the speed of the off-network leg in metres per second.
func (sp Speeds) offNetworkMps() float64 {
	kmh := sp.OffNetworkKmh
	if !(kmh > 0) {
		kmh = sp.Walk
	}
	if !(kmh > 0) {
		kmh = 5
	}
	return kmh / 3.6
}

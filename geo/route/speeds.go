package route

// Speeds is the one configurable table of travel speeds, in km/h.
type Speeds struct {
	// Paved and Unpaved give the speed by OSM highway class (motorway, trunk, …) for
	// each surface. A class missing from the table travels at Default.
	Paved, Unpaved map[string]float64
	// Default is the speed of a road whose class is in neither table.
	Default float64
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

// DefaultSpeeds returns speeds realistic for Kazakhstan: the legal limits (110 km/h
// on motorways, 90 on other roads outside settlements, 60 inside them) reduced to
// typical achieved speeds for each class, and unpaved roads (gravel, earth) at
// roughly half to two thirds of their paved equivalent. The off-network leg is
// walked at 5 km/h; the straight-line fallback is driven at 40 km/h.
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
		Walk:        5,
		FallbackKmh: 40,
	}
}

// roadKmh is the speed a road is travelled at: its own SpeedKmh when the importer set
// one (it decides how a maxspeed tag combines with the class), else the table.
func (sp Speeds) roadKmh(r Road) float64 {
	if r.SpeedKmh > 0 {
		return r.SpeedKmh
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

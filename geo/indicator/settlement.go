package indicator

import (
	"regexp"

	"github.com/aimaq/aimaq/geo/lang"
)

// Need is data a settlement indicator is computed from beyond settlements,
// boundaries and centres.
type Need string

// What an indicator may need.
const (
	NeedsFacilities Need = "facilities" // facility points (OSM amenity/healthcare or a facilities file)
	NeedsRoads      Need = "roads"      // a road network (OSM highway=*)
)

// Routing says how a settlement figure is obtained, and so which method
// (network or straight-line) it carries.
type Routing int

// The ways a settlement figure is obtained.
const (
	// Routed figures go over the road network where the settlement and its
	// target are connected, else fall back to the straight-line rule; the
	// fallback is flagged under the indicator's Target.
	Routed Routing = iota
	// StraightLine figures are straight-line distances by definition (the
	// nearest town, the nearest paved road).
	StraightLine
	// Derived figures combine other figures (the standards score) and have
	// no method of their own.
	Derived
)

// Standards thresholds: the limits of the System of Regional Standards and
// of the 2022 health-facility norms that the shares and checks use.
const (
	SchoolMaxKm    = 3.0  // beyond it pupils are entitled to free transport
	ClinicMaxMin   = 30.0 // a health facility within half an hour
	HospitalMaxMin = 60.0 // a hospital within an hour
	PavedMaxKm     = 1.0  // paved access: a paved road within 1 km
)

// Thresholds names the thresholds by the settlement indicator they apply
// to, for the API and the map's legends.
func Thresholds() map[string]float64 {
	return map[string]float64{"school_km": SchoolMaxKm, "clinic_min": ClinicMaxMin, "hospital_min": HospitalMaxMin, "paved_road_km": PavedMaxKm}
}

// Settlement is one per-settlement indicator: a column of settlement_access,
// a property of the settlement tiles and features, a figure of the
// settlement access report, and (Aggregate) the stem of two area indicators.
type Settlement struct {
	Name        string
	Unit        string // km, min, share
	Direction   Direction
	Title       lang.Text
	Description string // how it is measured, for the API
	Needs       []Need
	Routing     Routing
	// Target names what a Routed figure leads to (school, clinic, hospital,
	// district_centre, oblast_centre): the straight_line flag of a fallback,
	// shared by the km and min figures of one search.
	Target string
	// Digits is how many decimals the tiles carry (-1: as stored).
	Digits int
	// Tiles and Features: carried by the settlement tiles and by the OGC
	// settlements collection (the features carry fewer, to stay light).
	Tiles, Features bool
	// Aggregate: areas get its population-weighted mean and median.
	Aggregate bool
	// Breaks and Colors colour the settlement circles on the map (nil: the
	// map does not offer it): fixed classes in the unit, so a colour means
	// the same everywhere and after a recompute.
	Breaks []float64
	Colors []string
	order  int
}

// farColors is ColorBrewer YlOrRd: far is dark red.
var farColors = []string{"#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"}

var facilitiesAndRoads = []Need{NeedsFacilities, NeedsRoads}

// settlements is the settlement catalogue, in the order of the
// settlement_access columns and of the access report's figures.
var settlements = []Settlement{
	{Name: "school_km", Unit: "km", Direction: LowerBetter, Title: lang.Text{KK: "Мектепке баратын қашықтық", RU: "Расстояние до школы", EN: "Distance to a school"},
		Description: "road distance to the nearest school (along the fastest route)", Needs: facilitiesAndRoads, Routing: Routed, Target: "school",
		Digits: 2, Tiles: true, Features: true, Aggregate: true, order: 20,
		// 3 km: beyond it pupils are entitled to free school transport.
		Breaks: []float64{1, SchoolMaxKm, 5, 10, 25}, Colors: farColors},
	{Name: "school_min", Unit: "min", Direction: LowerBetter, Title: lang.Text{KK: "Мектепке баратын уақыт", RU: "Время в пути до школы", EN: "Travel time to a school"},
		Description: "travel time to the nearest school", Needs: facilitiesAndRoads, Routing: Routed, Target: "school",
		Digits: 1, Tiles: true, Aggregate: true, order: 21},
	{Name: "clinic_km", Unit: "km", Direction: LowerBetter, Title: lang.Text{KK: "Медициналық мекемеге дейінгі қашықтық", RU: "Расстояние до медучреждения", EN: "Distance to a health facility"},
		Description: "road distance to the nearest health facility of any level", Needs: facilitiesAndRoads, Routing: Routed, Target: "clinic",
		Digits: 2, Tiles: true, Aggregate: true, order: 30},
	{Name: "clinic_min", Unit: "min", Direction: LowerBetter, Title: lang.Text{KK: "Медициналық мекемеге дейінгі уақыт", RU: "Время в пути до медучреждения", EN: "Travel time to a health facility"},
		Description: "travel time to the nearest health facility of any level", Needs: facilitiesAndRoads, Routing: Routed, Target: "clinic",
		Digits: 1, Tiles: true, Features: true, Aggregate: true, order: 31,
		// 30 min: the clinic threshold of the area indicators.
		Breaks: []float64{10, 20, ClinicMaxMin, 60, 120}, Colors: farColors},
	{Name: "hospital_km", Unit: "km", Direction: LowerBetter, Title: lang.Text{KK: "Ауруханаға дейінгі қашықтық", RU: "Расстояние до больницы", EN: "Distance to a hospital"},
		Description: "road distance to the nearest hospital", Needs: facilitiesAndRoads, Routing: Routed, Target: "hospital",
		Digits: 2, Aggregate: true, order: 32},
	{Name: "hospital_min", Unit: "min", Direction: LowerBetter, Title: lang.Text{KK: "Ауруханаға дейінгі уақыт", RU: "Время в пути до больницы", EN: "Travel time to a hospital"},
		Description: "travel time to the nearest hospital", Needs: facilitiesAndRoads, Routing: Routed, Target: "hospital",
		Digits: 1, Tiles: true, Aggregate: true, order: 33},
	{Name: "paved_road_km", Unit: "km", Direction: LowerBetter, Title: lang.Text{KK: "Асфальт жолға дейінгі қашықтық", RU: "Расстояние до дороги с твёрдым покрытием", EN: "Distance to a paved road"},
		Description: "straight-line distance to the nearest paved road", Needs: []Need{NeedsRoads}, Routing: StraightLine,
		Digits: 2, Tiles: true, Aggregate: true, order: 40},
	{Name: "district_centre_km", Unit: "km", Direction: LowerBetter, Title: lang.Text{KK: "Аудан орталығына дейінгі қашықтық", RU: "Расстояние до районного центра", EN: "Distance to the district centre"},
		Description: "distance to the district's administrative centre", Routing: Routed, Target: "district_centre",
		Digits: 2, Tiles: true, Features: true, Aggregate: true, order: 10,
		Breaks: []float64{10, 25, 50, 100, 200}, Colors: farColors},
	{Name: "district_centre_min", Unit: "min", Direction: LowerBetter, Title: lang.Text{KK: "Аудан орталығына дейінгі уақыт", RU: "Время в пути до районного центра", EN: "Travel time to the district centre"},
		Description: "travel time to the district's administrative centre", Routing: Routed, Target: "district_centre",
		Digits: 1, Tiles: true, Aggregate: true, order: 11},
	{Name: "oblast_centre_km", Unit: "km", Direction: LowerBetter, Title: lang.Text{KK: "Облыс орталығына дейінгі қашықтық", RU: "Расстояние до областного центра", EN: "Distance to the oblast centre"},
		Description: "distance to the oblast's administrative centre", Routing: Routed, Target: "oblast_centre",
		Digits: 2, Tiles: true, Features: true, Aggregate: true, order: 12,
		Breaks: []float64{25, 50, 100, 200, 400}, Colors: farColors},
	{Name: "oblast_centre_min", Unit: "min", Direction: LowerBetter, Title: lang.Text{KK: "Облыс орталығына дейінгі уақыт", RU: "Время в пути до областного центра", EN: "Travel time to the oblast centre"},
		Description: "travel time to the oblast's administrative centre", Routing: Routed, Target: "oblast_centre",
		Digits: 1, Tiles: true, Aggregate: true, order: 13},
	{Name: "town5k_km", Unit: "km", Direction: LowerBetter, Title: lang.Text{KK: "5 000+ адамдық қалаға дейінгі қашықтық", RU: "Расстояние до города с населением 5 000+", EN: "Distance to a town of 5,000+"},
		Description: "straight-line distance to the nearest town of 5,000 people or more", Routing: StraightLine,
		Digits: 2, Tiles: true, Features: true, Aggregate: true, order: 14,
		Breaks: []float64{10, 25, 50, 100, 200}, Colors: farColors},
	{Name: "srs_score", Unit: "share", Direction: HigherBetter, Title: lang.Text{KK: "Өңірлік стандарттардың орындалуы", RU: "Выполнение региональных стандартов", EN: "Regional standards met"},
		Description: "share of the applicable regional standards met (health, school, paved road)", Needs: facilitiesAndRoads, Routing: Derived,
		Digits: -1, Tiles: true, Features: true, Aggregate: true, order: 50,
		// The share of applicable standards met is 0, 1/3, 1/2, 2/3 or 1: RdYlGn, none met = red.
		Breaks: []float64{0.34, 0.67, 0.999}, Colors: []string{"#d7191c", "#fdae61", "#a6d96a", "#1a9641"}},
}

// IsTime reports whether the indicator is a travel time: without a network
// route it is an estimate, not a measurement.
func (s Settlement) IsTime() bool { return s.Unit == "min" }

// ToCentre reports whether the figure leads to the settlement's own district
// or oblast centre.
func (s Settlement) ToCentre() bool {
	return s.Target == "district_centre" || s.Target == "oblast_centre"
}

// CentresNeed says what a figure to an administrative centre needs when it
// has no value: a country imported without districts, or without oblasts
// and their centres, has no centre to go to, whatever else is loaded.
const CentresNeed = "administrative centres: districts (aimaq import boundaries --level district; their centres follow from their places) or oblasts with their centres (aimaq import boundaries --level oblast, aimaq import centres), then aimaq compute"

// Settlements returns the settlement catalogue, in column order.
func Settlements() []Settlement { return append([]Settlement(nil), settlements...) }

// SettlementIndex is the position of the settlement indicator called name
// in Settlements, or -1.
func SettlementIndex(name string) int {
	for i, s := range settlements {
		if s.Name == name {
			return i
		}
	}
	return -1
}

// LookupSettlement returns the settlement indicator called name.
func LookupSettlement(name string) (Settlement, bool) {
	if i := SettlementIndex(name); i >= 0 {
		return settlements[i], true
	}
	return Settlement{}, false
}

// identifier is the shape every indicator name has: it is a SQL column, a
// tile and feature property and a file name, so nothing else may pass.
var identifier = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

package access

import (
	"math"

	"github.com/aimaq/aimaq/geo/indicator"
)

// HealthLevel orders health facilities by the care they give; a higher level
// satisfies the norm of a lower one.
type HealthLevel int

// Levels of the 2022 health-facility network norms.
const (
	NoHealth      HealthLevel = iota // under 50 people: a visiting medical worker, nothing to check
	MedicalPost                      // медпункт: 50–500 people
	FeldsherPost                     // ФАП: 500–1,500
	Ambulatory                       // врачебная амбулатория (OSM clinic/doctors): 1,500–5,000
	PrimaryCentre                    // центр ПМСП / polyclinic: 5,000–30,000
	Hospital                         // polyclinics and hospitals: larger
)

// HealthLevels lists the levels that have facilities, lowest first.
var HealthLevels = []HealthLevel{MedicalPost, FeldsherPost, Ambulatory, PrimaryCentre, Hospital}

// LevelOfKind maps a facility kind (DESIGN.md) to its health level; ok is false
// for kinds that are not health facilities.
func LevelOfKind(kind string) (HealthLevel, bool) {
	switch kind {
	case "medical_post":
		return MedicalPost, true
	case "feldsher_post":
		return FeldsherPost, true
	case "clinic", "doctors":
		return Ambulatory, true
	case "polyclinic":
		return PrimaryCentre, true
	case "hospital":
		return Hospital, true
	}
	return NoHealth, false
}

// RequiredHealth is the level the norms require for a settlement of pop people.
func RequiredHealth(pop int) HealthLevel {
	switch {
	case pop < 50:
		return NoHealth
	case pop < 500:
		return MedicalPost
	case pop < 1500:
		return FeldsherPost
	case pop < 5000:
		return Ambulatory
	case pop < 30000:
		return PrimaryCentre
	}
	return Hospital
}

// LocalRadiusKm is how far by road a facility may be and still count as the
// settlement's own: the norms speak of objects *in* the settlement, and OSM
// points of a facility and of a settlement are a few hundred metres apart in a
// village and kilometres apart in a city.
func LocalRadiusKm(pop int) float64 {
	switch {
	case pop < 5000:
		return 2
	case pop < 30000:
		return 5
	}
	return 10
}

// Who the standards apply to, and the catchment radius. The distance and
// time thresholds live in the catalogue (indicator.SchoolMaxKm, …), which
// the shares and the API state them from.
const (
	PavedMinPop      = 500  // paved access is due to villages of more than 500 people
	SchoolMinPop     = 50   // smaller places have no school-age population to speak of
	CatchmentMinutes = 30.0 // two-step floating catchment radius
)

// SRSFigures are what the standards check needs to know of one settlement;
// NaN means "not known" (no facility data, no road data).
type SRSFigures struct {
	Population int
	Place      string
	SchoolKm   float64
	// HealthKm[l] is the road distance to the nearest facility of level ≥ l.
	HealthKm    map[HealthLevel]float64
	PavedRoadKm float64
}

// Check is the result of the standards for one settlement. A nil pointer means
// the standard does not apply or cannot be checked with the data loaded.
type Check struct {
	Health, School, Road *bool
	Score                *float64 // share of applicable, checkable standards met
}

// CheckSRS applies the standards to s.
func CheckSRS(s SRSFigures) Check {
	var c Check
	if req := RequiredHealth(s.Population); req != NoHealth {
		if d, ok := s.HealthKm[req]; ok && !math.IsNaN(d) {
			c.Health = ptr(d <= LocalRadiusKm(s.Population))
		}
	}
	if s.Population >= SchoolMinPop && !math.IsNaN(s.SchoolKm) {
		c.School = ptr(s.SchoolKm <= indicator.SchoolMaxKm)
	}
	if (s.Population > PavedMinPop || s.Place == "city" || s.Place == "town") && !math.IsNaN(s.PavedRoadKm) {
		c.Road = ptr(s.PavedRoadKm <= indicator.PavedMaxKm)
	}
	met, n := 0, 0
	for _, b := range []*bool{c.Health, c.School, c.Road} {
		if b != nil {
			n++
			if *b {
				met++
			}
		}
	}
	if n > 0 {
		c.Score = ptr(float64(met) / float64(n))
	}
	return c
}

func ptr[T any](v T) *T { return &v }

// IsHealth reports whether a facility kind is a health facility of any level.
func IsHealth(kind string) bool {
	_, ok := LevelOfKind(kind)
	return ok
}

// FacilitySet is the kinds of facility one indicator measures the way to.
type FacilitySet struct {
	Name string // the indicator stem: school, clinic, hospital
	Has  func(kind string) bool
}

// The facility sets of the indicators: the nearest school, the nearest
// health facility of any level ("clinic"), the nearest hospital.
var (
	Schools   = FacilitySet{"school", func(k string) bool { return k == "school" }}
	Clinics   = FacilitySet{"clinic", IsHealth}
	Hospitals = FacilitySet{"hospital", func(k string) bool { return k == "hospital" }}
)

// Package scenario holds what a planner's scenario is made of. This file is
// the seam between the store (data/postgis loads a scenario's projects as
// plain values of these types) and the evaluation engine in the rest of this
// package: neither side knows the other's tables or algorithms.
package scenario

import (
	"encoding/json"
	"time"

	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/lang"
	"github.com/paulmach/orb"
)

// Kind says what one project changes.
type Kind string

// The kinds of project. Each kind carries exactly the fields listed; the
// database enforces it with one check constraint per kind (migration 0012).
const (
	// OpenFacility opens a new facility: FacilityKind, Point, HealthLevel
	// (health kinds only), optional Capacity and Name.
	OpenFacility Kind = "open_facility"
	// CloseFacility closes an existing facility: FacilityID.
	CloseFacility Kind = "close_facility"
	// DowngradeFacility turns an existing health facility into a lower
	// level: FacilityID, the FacilityKind and HealthLevel it becomes.
	DowngradeFacility Kind = "downgrade_facility"
	// PaveRoad paves existing roads, either named by OpenStreetMap way
	// (RoadWays, resolved to RoadIDs when loaded) or drawn as Line.
	PaveRoad Kind = "pave_road"
	// BuildRoad builds a new road: Line and RoadClass (an OSM highway class).
	BuildRoad Kind = "build_road"
)

// Kinds lists every kind, in the order the API documents them.
var Kinds = []Kind{OpenFacility, CloseFacility, DowngradeFacility, PaveRoad, BuildRoad}

// Status is how far a project has come.
type Status string

// The statuses of a project.
const (
	Planned Status = "planned"
	Funded  Status = "funded"
	Built   Status = "built"
)

// Project is one change a scenario makes. Fields a kind does not use are
// zero.
type Project struct {
	ID         int64
	ScenarioID int64
	Kind       Kind
	Name       string

	// FacilityKind is a facility kind of the facility table (school,
	// kindergarten, medical_post, feldsher_post, clinic, polyclinic,
	// hospital): the kind opened (OpenFacility) or the kind a downgraded
	// facility becomes (DowngradeFacility).
	FacilityKind string
	// HealthLevel is the level of a health facility (access.LevelOfKind of
	// FacilityKind); access.NoHealth for schools and kindergartens.
	HealthLevel access.HealthLevel
	// Capacity is the number of places of an opened facility; 0 = not given.
	Capacity int
	// Point is where an opened facility stands (lon, lat; EPSG:4326); for a
	// closed or downgraded facility, where that facility stands (read from
	// the facility table when loaded).
	Point orb.Point
	// SettlementID is the settlement an opened facility was placed at, when
	// it was placed by one; 0 otherwise.
	SettlementID int64

	// FacilityID is the facility.id closed or downgraded.
	FacilityID int64

	// RoadWays are the OpenStreetMap way ids of the roads paved (PaveRoad).
	RoadWays []int64
	// RoadIDs are the road.id rows (route.Road.ID) of RoadWays, filled when
	// the projects are loaded; a way may be stored as several rows.
	RoadIDs []int64
	// Roads are the lines of RoadIDs, as stored (for maps and exports).
	Roads orb.MultiLineString
	// Line is a drawn road (EPSG:4326): the road built (BuildRoad), or the
	// stretch paved when a PaveRoad names no way.
	Line orb.LineString
	// RoadClass is the OSM highway class of a built road.
	RoadClass string

	Year      int     // 0 = not given
	CostKZT   float64 // cost in tenge; 0 = not given
	Programme string  // e.g. "Ауыл – ел бесігі"
	Status    Status
	Source    string // where the project comes from (a decree, a programme list, a file)
}

// Meta is a scenario without its projects: what lists and the write API
// answer.
type Meta struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	CreatedBy   string    `json:"created_by"` // the name of the token that created it
	Projects    int       `json:"projects"`   // how many projects it has
}

// Write says who makes a change and through which request; the store
// records it in the transaction of the change.
type Write struct {
	Token  string // the name of the token, never the token
	Method string
	Path   string
	// Local marks a command run with the database's own credentials (aimaq
	// scenario import): recorded under Token as given, with no token to
	// check.
	Local bool
}

// LogEntry is one recorded write.
type LogEntry struct {
	ID         int64           `json:"id"`
	Token      string          `json:"token"`
	At         time.Time       `json:"at"`
	Method     string          `json:"method"`
	Path       string          `json:"path"`
	ScenarioID int64           `json:"scenario_id"`
	Summary    json.RawMessage `json:"summary"`
}

// Draft is a project as a client or a programme file states it, before it
// is checked and placed. Its JSON names are the CSV columns of a programme
// file. A facility is placed by lon/lat, or by settlement name with kato (of
// its district) or district (name); a closed or downgraded facility is named
// by facility_id; a paved road by osm_ways or line.
type Draft struct {
	Kind         string      `json:"kind"`
	Name         string      `json:"name,omitempty"`
	FacilityKind string      `json:"facility_kind,omitempty"`
	HealthLevel  *int        `json:"health_level,omitempty"`
	Capacity     *int        `json:"capacity,omitempty"`
	KATO         string      `json:"kato,omitempty"`
	Settlement   string      `json:"settlement,omitempty"`
	District     string      `json:"district,omitempty"`
	Lon          *float64    `json:"lon,omitempty"`
	Lat          *float64    `json:"lat,omitempty"`
	Line         [][]float64 `json:"line,omitempty"`
	FacilityID   *int64      `json:"facility_id,omitempty"`
	OSMWays      []int64     `json:"osm_ways,omitempty"`
	RoadClass    string      `json:"road_class,omitempty"`
	Year         *int        `json:"year,omitempty"`
	CostKZT      *float64    `json:"cost_kzt,omitempty"`
	Programme    string      `json:"programme,omitempty"`
	Status       string      `json:"status,omitempty"`
	Source       string      `json:"source,omitempty"`
}

// AreaLabel is what an evaluation calls an area it reports: its level
// (district, oblast, macroregion, agglomeration, country), code (KATO, or a
// group's slug) and name in the languages of the map.
type AreaLabel struct {
	Level string
	Code  string
	Name  lang.Text
}

package access

import (
	"strconv"
	"time"

	"github.com/aimaq/aimaq/geo/lang"
	"github.com/paulmach/orb"
)

// Figure is one indicator value of a settlement, with how it was obtained.
type Figure struct {
	Indicator string   `json:"indicator"`
	Unit      string   `json:"unit"`
	Value     *float64 `json:"value"`            // nil: not computable with the data loaded
	Method    string   `json:"method,omitempty"` // network | straight-line | estimated
	Needs     string   `json:"needs,omitempty"`  // for a nil value: what data would give it
	// Estimate says how an estimated time was made.
	Estimate *Estimate `json:"estimate,omitempty"`
	// Assumed says, when the figure rests on a documented assumption rather
	// than tagged data, which one (kk/ru/en).
	Assumed *lang.Text `json:"assumed,omitempty"`
}

// PavedAssumed is the assumption a paved_road_km figure rests on when the
// nearest paved road has no surface tag (importer.AssumedPaved).
var PavedAssumed = lang.Text{
	KK: "болжам: ең жақын жолдың жабыны белгіленбеген, санаты бойынша асфальтталған деп саналады (магистральдан үшінші санатқа дейін)",
	RU: "допущение: покрытие ближайшей дороги не указано, она считается твёрдой по классу дороги (от магистрали до третьестепенной)",
	EN: "assumed: the nearest road's surface is not tagged; it counts as paved by its class (motorway to tertiary)",
}

// FacilityRef names a facility found nearest.
type FacilityRef struct {
	ID   int64   `json:"id"`
	Kind string  `json:"kind"`
	Name string  `json:"name,omitempty"`
	Lon  float64 `json:"lon"`
	Lat  float64 `json:"lat"`
}

// CentreRef names an administrative centre and says how it was found:
// "reference" (a cited table, matched to a mapped place), "reference-approximate"
// (the table's own coordinates: no mapped place of that name near them) or
// "derived" (no reference row: chosen by a rule, a guess).
type CentreRef struct {
	Name   string `json:"name,omitempty"` // the local name, where the language names are missing
	NameKK string `json:"name_kk,omitempty"`
	NameRU string `json:"name_ru,omitempty"`
	NameEN string `json:"name_en,omitempty"`
	Source string `json:"source"` // CentreReference, CentreReferenceApproximate or CentreDerived
}

// How an administrative centre was found (CentreRef.Source, area.centre_source).
const (
	CentreReference            = "reference"             // a reference table's row, matched to a mapped place
	CentreReferenceApproximate = "reference-approximate" // the row's own coordinates: no place matched
	CentreDerived              = "derived"               // no usable row: chosen by rule
)

// SRSResult is the regional standards check of one settlement; nil = not applicable or not checkable.
type SRSResult struct {
	Health *bool    `json:"health_ok"`
	School *bool    `json:"school_ok"`
	Road   *bool    `json:"road_ok"`
	Score  *float64 `json:"score"`
}

// SettlementReport is everything aimaq knows of one settlement's access.
type SettlementReport struct {
	ID                  int64                   `json:"id"`
	Name                string                  `json:"name,omitempty"`
	NameKK              string                  `json:"name_kk,omitempty"`
	NameRU              string                  `json:"name_ru,omitempty"`
	NameEN              string                  `json:"name_en,omitempty"`
	Place               string                  `json:"place"`
	Population          int                     `json:"population"`
	PopulationEstimated bool                    `json:"population_estimated"`
	District            string                  `json:"district,omitempty"`
	Oblast              string                  `json:"oblast,omitempty"`
	Lon                 float64                 `json:"lon"`
	Lat                 float64                 `json:"lat"`
	RunID               int64                   `json:"run_id"`
	ComputedAt          time.Time               `json:"computed_at"`
	Stale               bool                    `json:"stale"`  // data was imported after the run: see DataChangedNote
	Method              string                  `json:"method"` // network | straight-line | mixed
	Figures             []Figure                `json:"indicators"`
	SRS                 SRSResult               `json:"srs"`
	Nearest             map[string]*FacilityRef `json:"nearest,omitempty"` // school, clinic, hospital
	DistrictCentre      *CentreRef              `json:"district_centre,omitempty"`
	Missing             []string                `json:"missing,omitempty"` // indicators that need more data
	LoadHint            string                  `json:"load_hint,omitempty"`
}

// AreaRow is one area's value of an area indicator.
type AreaRow struct {
	ID         int64        `json:"id"`
	Code       string       `json:"code"`
	NameKK     string       `json:"name_kk,omitempty"`
	NameRU     string       `json:"name_ru,omitempty"`
	NameEN     string       `json:"name_en,omitempty"`
	Value      *float64     `json:"value"`
	Population int64        `json:"population"`
	Method     string       `json:"method,omitempty"`
	GroupCode  string       `json:"group_code,omitempty"` // macroregion or agglomeration of the area
	Geometry   orb.Geometry `json:"-"`                    // filled only when asked (GeoJSON)
}

// AreaTable is one area indicator over all areas of a level, from one run.
type AreaTable struct {
	Level      string    `json:"level"`
	Indicator  string    `json:"indicator"`
	RunID      int64     `json:"run_id"`
	ComputedAt time.Time `json:"computed_at"`
	// Stale: data was imported after the run, so these figures are older
	// than the data the tiles and features show (see DataChangedNote).
	Stale bool      `json:"stale"`
	Rows  []AreaRow `json:"areas"`
}

// PointNearest is the nearest facility (or centre) of one kind from a point.
type PointNearest struct {
	Kind     string       `json:"kind"` // school, clinic, hospital, district_centre, oblast_centre
	Facility *FacilityRef `json:"facility,omitempty"`
	Km       float64      `json:"km"`
	Min      float64      `json:"min"`
	Method   string       `json:"method"` // network | straight-line (then Min is estimated: see Estimate)
	// Estimate says how Min was estimated when there is no network route.
	Estimate *Estimate `json:"estimate,omitempty"`
	// RouteKm is the length of the network part of the route (0 for straight line).
	RouteKm float64 `json:"route_km"`
	// OffNetworkKm is the walk from the point to the nearest road.
	OffNetworkKm float64 `json:"off_network_km"`
}

// PointReport answers "what is near this point".
type PointReport struct {
	Lon      float64        `json:"lon"`
	Lat      float64        `json:"lat"`
	Nearest  []PointNearest `json:"nearest"`
	Missing  []string       `json:"missing,omitempty"`
	LoadHint string         `json:"load_hint,omitempty"`
}

// LoadHint is the command that loads the data the missing indicators need.
const LoadHint = "aimaq import osm kazakhstan-latest.osm.pbf && aimaq compute (OpenStreetMap extract of Kazakhstan, Geofabrik asia/kazakhstan-latest.osm.pbf, ODbL)"

// DataChangedNote is said beside figures of a run that is older than the
// data: the planner must not take them for figures of the data on the map.
func DataChangedNote(runID int64) lang.Message {
	return lang.Msg(lang.MsgDataChanged, "run", strconv.FormatInt(runID, 10))
}

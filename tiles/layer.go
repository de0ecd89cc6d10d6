package tiles

import (
	"embed"
	"fmt"
	"math"
	"strings"

	"github.com/aimaq/aimaq/geo/indicator"
	"github.com/aimaq/aimaq/geo/level"
	"github.com/aimaq/aimaq/internal/errs"
)

//go:embed sql/*.sql
var layerSQL embed.FS

// Layer is one vector tile layer: what it shows, the zooms it is cut at, the
// feature properties it carries and the SQL that cuts it.
type Layer struct {
	Name        string // URL path segment and MVT layer name
	Description string
	Attribution string // HTML, as TileJSON wants it
	// MinZoom and MaxZoom bound the zooms the layer has features at. Below
	// MinZoom a tile is empty by design (HTTP 204); above MaxZoom the tileset
	// has no tiles at all (HTTP 404): MapLibre, OpenLayers and GDAL read
	// maxzoom from TileJSON and overzoom the last level instead of asking.
	MinZoom, MaxZoom Zoom
	// Bounds is west, south, east, north in degrees; zero means Kazakhstan.
	Bounds [4]float64
	// Fields maps each MVT property name to a description that starts with
	// its type (String, Number, Boolean). Null values are left out of a
	// feature, so every field may be absent. These names are a contract with
	// the front end.
	Fields map[string]string
	// SQL returns one bytea row, the MVT layer (possibly empty or NULL), from
	// the parameters $1 = z, $2 = x, $3 = y. Feature ids are the table ids,
	// stable across tiles and zooms.
	SQL string
	// Features returns one row per feature of the layer: its id first, then
	// its properties by column name (NULL: absent; a jsonb column gives one
	// property per key). SQL draws the same rows, so the in-memory cutter
	// (tiles/cut) that a store fills from Features carries what SQL carries.
	Features string
	// AreaLevels are the levels of the area table whose tile-ready geometry
	// (area_tile) an area layer draws; empty for a point layer.
	AreaLevels []string
	// Points, for a point layer, returns id, x, y (EPSG:3857) and the zoom
	// the feature appears from, one row per feature in the layer's order.
	Points string
}

// NeedsQuery reports whether tile t of l has to be cut: false with a nil error
// below MinZoom, where the layer is empty by design; an errs.NotFound error
// above MaxZoom.
func (l Layer) NeedsQuery(t Tile) (bool, error) {
	switch {
	case t.Z > l.MaxZoom:
		return false, errs.E(errs.NotFound, "layer %s has no tiles above z=%d", l.Name, l.MaxZoom)
	case t.Z < l.MinZoom:
		return false, nil
	}
	return true, nil
}

// Catalogue is the fixed list of layers aimaq serves. The names are an
// allow-list: nothing from a request reaches SQL except z, x and y, bound as
// parameters.
type Catalogue struct {
	layers []Layer
}

// NewCatalogue returns the catalogue of aimaq's layers: oblasts, districts,
// groups and settlements, in that order.
func NewCatalogue() *Catalogue {
	return &Catalogue{layers: []Layer{
		{
			Name:        "oblasts",
			Description: "First-level units of Kazakhstan: 17 oblasts and the cities of Astana, Almaty and Shymkent, with population, area, density, macroregion and counts of schools and medical institutions. Units smaller than a pixel are left out at low zoom.",
			Attribution: boundaryAttribution,
			MinZoom:     0,
			MaxZoom:     14,
			Fields: merge(areaFields, map[string]string{
				"iso":                  "String: ISO 3166-2 code",
				"population_year":      "Number: year the population refers to",
				"population_estimated": "Boolean: population is an estimate",
				"schools":              "Number: schools, latest year of regional statistics",
				"medical":              "Number: medical institutions, latest year of regional statistics",
			}, groupFields, indicatorFields(level.Oblast)),
			SQL:        areaSQL("oblasts", level.Oblast),
			Features:   areaFeatures("oblasts"),
			AreaLevels: []string{string(level.Oblast)},
		},
		{
			Name:        "districts",
			Description: "Districts (audany) and cities of oblast significance, with their oblast and group (macroregion or agglomeration). Districts smaller than a pixel are left out at low zoom.",
			Attribution: boundaryAttribution,
			MinZoom:     0,
			MaxZoom:     14,
			Fields: merge(areaFields, map[string]string{
				"oblast_code":          "String: KATO code of the oblast",
				"oblast_name_en":       "String: oblast name in English",
				"oblast_name_ru":       "String: oblast name in Russian",
				"oblast_name_kk":       "String: oblast name in Kazakh",
				"population_estimated": "Boolean: population is an estimate",
			}, groupFields, indicatorFields(level.District)),
			SQL:        areaSQL("districts", level.District),
			Features:   areaFeatures("districts"),
			AreaLevels: []string{string(level.District)},
		},
		{
			Name:        "groups",
			Description: "Macroregions of the Regional Development Concept 2025–2030 (Western, Northern, Central-Eastern, Southern) and the Astana and Almaty agglomerations.",
			Attribution: boundaryAttribution,
			MinZoom:     0,
			MaxZoom:     14,
			Fields: merge(areaFields, map[string]string{
				"code": "String: group slug",
				"kind": "String: macroregion or agglomeration",
			}, indicatorFields(level.Macroregion)),
			SQL:        areaSQL("groups", level.Macroregion, level.Agglomeration),
			Features:   areaFeatures("groups"),
			AreaLevels: []string{string(level.Macroregion), string(level.Agglomeration)},
		},
		{
			Name:        "settlements",
			Description: "Populated places from OpenStreetMap. Thinned at low zoom: below z7 only cities, towns and places of 5,000 people or more; below z9 no hamlets or isolated dwellings. Larger places come first.",
			Attribution: osmAttribution,
			MinZoom:     4,
			MaxZoom:     14,
			Fields: merge(map[string]string{
				"name":                 "String: name as tagged in OpenStreetMap",
				"name_kk":              "String: name in Kazakh",
				"name_ru":              "String: name in Russian",
				"name_en":              "String: name in English",
				"place":                "String: city, town, village, hamlet or isolated_dwelling",
				"population":           "Number: people",
				"population_estimated": "Boolean: population is an estimate",
				"access_method":        "String: network, straight-line or mixed (how the figures were obtained)",
				"district_name_en":     "String: district name in English",
				"district_name_ru":     "String: district name in Russian",
				"district_name_kk":     "String: district name in Kazakh",
				"oblast_name_en":       "String: oblast name in English",
				"oblast_name_ru":       "String: oblast name in Russian",
				"oblast_name_kk":       "String: oblast name in Kazakh",
			}, settlementFields()),
			SQL:      settlementSQL(),
			Features: settlementFeatures(),
			Points:   strings.ReplaceAll(mustSQL("settlements_points"), "{{minzoom}}", strings.TrimSpace(mustSQL("settlements_minzoom"))),
		},
	}}
}

// Layer returns the layer called name.
func (c *Catalogue) Layer(name string) (Layer, bool) {
	for _, l := range c.layers {
		if l.Name == name {
			return l, true
		}
	}
	return Layer{}, false
}

// Layers returns every layer in catalogue order.
func (c *Catalogue) Layers() []Layer {
	return append([]Layer(nil), c.layers...)
}

const (
	boundaryAttribution = `Boundaries: <a href="https://github.com/arodionoff/geokz">geokz</a> (CC BY 4.0); statistics: Bureau of National Statistics via <a href="https://github.com/open-data-kazakhstan">open-data-kazakhstan</a> (PDDL)`
	osmAttribution      = `&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap contributors</a> (ODbL)`
)

var areaFields = map[string]string{
	"code":       "String: KATO code",
	"name_kk":    "String: name in Kazakh",
	"name_ru":    "String: name in Russian",
	"name_en":    "String: name in English",
	"population": "Number: people",
	"area_km2":   "Number: area in km²",
	"density":    "Number: people per km²",
}

var groupFields = map[string]string{
	"group_code":    "String: slug of the macroregion or agglomeration",
	"group_name_en": "String: group name in English",
	"group_name_ru": "String: group name in Russian",
	"group_name_kk": "String: group name in Kazakh",
}

// merge returns a new map with the entries of ms, later ones winning.
// indicatorFields lists the area indicators the tiles of a level carry, from
// the latest compute run (absent where that run has no value).
func indicatorFields(l level.Level) map[string]string {
	out := map[string]string{}
	for _, in := range indicator.All() {
		if in.HasLevel(l) {
			out[in.Name] = fmt.Sprintf("Number: %s, %s (%s; latest compute run)", in.Title.EN, in.Unit, in.Direction)
		}
	}
	return out
}

// settlementFields lists the settlement indicators the settlement tiles carry.
func settlementFields() map[string]string {
	out := map[string]string{}
	for _, in := range indicator.Settlements() {
		if in.Tiles {
			out[in.Name] = fmt.Sprintf("Number: %s, %s (latest compute run)", in.Description, in.Unit)
		}
	}
	return out
}

// settlementSQL is the settlement layer's tile query: its features
// (settlementFeatures) drawn as points from their min zoom on.
func settlementSQL() string {
	return strings.NewReplacer("{{features}}", settlementFeatures(), "{{minzoom}}", strings.TrimSpace(mustSQL("settlements_minzoom"))).
		Replace(mustSQL("settlements"))
}

// settlementFeatures is the settlement layer's feature query with the
// catalogue's tile indicators spliced in, each rounded to its decimals. The
// names are identifiers the catalogue checks ([a-z][a-z0-9_]*), so they need
// no quoting.
func settlementFeatures() string {
	var cols []string
	for _, in := range indicator.Settlements() {
		switch {
		case !in.Tiles:
		case in.Digits < 0:
			cols = append(cols, "a."+in.Name+" AS "+in.Name)
		default:
			cols = append(cols, fmt.Sprintf("round(a.%s::numeric, %d)::float8 AS %s", in.Name, in.Digits, in.Name))
		}
	}
	return strings.ReplaceAll(mustSQL("settlements_features"), "{{indicators}}", strings.Join(cols, ",\n       "))
}

// areaFeatures is the feature query of the area layer name
// (sql/NAME_features.sql) with the run it carries spliced in (sql/run.sql).
func areaFeatures(name string) string {
	return strings.ReplaceAll(mustSQL(name+"_features"), "{{run}}", strings.ReplaceAll(strings.TrimSpace(mustSQL("run")), "\n", "\n  "))
}

// areaSQL is the tile query of the area layer name (sql/area.sql) drawing
// the area_tile geometry of levels.
func areaSQL(name string, levels ...level.Level) string {
	quoted := make([]string, len(levels))
	for i, l := range levels {
		quoted[i] = "'" + string(l) + "'"
	}
	return strings.NewReplacer("{{name}}", name, "{{levels}}", strings.Join(quoted, ", "), "{{features}}", areaFeatures(name)).
		Replace(mustSQL("area"))
}

func merge(ms ...map[string]string) map[string]string {
	out := make(map[string]string)
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// mustSQL reads an embedded layer query; a missing file is a build mistake
// that TestCatalogue catches.
func mustSQL(name string) string {
	b, err := layerSQL.ReadFile("sql/" + name + ".sql")
	if err != nil {
		panic("tiles: " + err.Error())
	}
	return string(b)
}

// Band is a range of zooms that share one generalisation of the area
// boundaries (the area_tile table, prepared once per data generation).
type Band struct {
	MinZoom, MaxZoom Zoom
}

// AreaBands are the zoom bands of the area layers, together covering zooms 0
// to 14 (the area layers' MaxZoom), in order.
var AreaBands = []Band{{0, 2}, {3, 4}, {5, 6}, {7, 8}, {9, 10}, {11, 14}}

// Tolerance is the generalisation tolerance of the band in metres of
// EPSG:3857: half a 256-pixel screen pixel at its highest zoom, so the
// simplification is invisible at every zoom of the band.
func (b Band) Tolerance() float64 {
	return earthCircumference / (256 * math.Exp2(float64(b.MaxZoom))) / 2
}

// earthCircumference is the width of the EPSG:3857 world in metres.
const earthCircumference = 40075016.68

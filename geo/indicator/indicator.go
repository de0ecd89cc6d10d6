// Package indicator is the catalogue of aimaq's indicators, the one home of
// every name a planner sees in the map, the charts, the API, the tiles and the
// OGC features: the per-settlement indicators (Settlement) and the area
// indicators (Indicator) made from them or from regional statistics — what
// each measures, in which unit, in Kazakh, Russian and English, whether a
// higher value is better or worse, what data it needs, how it aggregates and
// at which levels it exists. Compute, the SQL that stores and reads results,
// the tile and feature properties, the OpenAPI description and the front end
// (through /api/indicators) derive from it; Parse gives the same status and
// message everywhere.
package indicator

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/aimaq/aimaq/geo/lang"
	"github.com/aimaq/aimaq/geo/level"
	"github.com/aimaq/aimaq/internal/errs"
)

// Direction says how to read a value.
type Direction string

// Directions.
const (
	HigherBetter Direction = "higher-better"
	LowerBetter  Direction = "lower-better"
	Neutral      Direction = "neutral" // descriptive (density): neither good nor bad
)

// Text is a phrase in the three languages of the map.
type Text = lang.Text

// Aggregation is the rule that gives an area its value.
type Aggregation string

// The rules. Each is documented where compute applies it (geo/access).
const (
	Mean         Aggregation = "mean"         // population-weighted mean of a settlement indicator
	Median       Aggregation = "median"       // population-weighted (lower) median of a settlement indicator
	ShareWithin  Aggregation = "share-within" // population share with the settlement indicator at most Limit
	ShareBeyond  Aggregation = "share-beyond" // population share with the settlement indicator above Limit
	Catchment    Aggregation = "2sfca"        // mean of two-step floating catchment ratios
	PerPeople    Aggregation = "per-10k"      // facilities located in the area per 10,000 of its people
	Density      Aggregation = "density"      // people per km²
	StatsPerTenK Aggregation = "statistics"   // an official count per 10,000 people
)

// Source says where an area indicator's values come from.
type Source string

// Sources.
const (
	FromStatistics Source = "statistics" // regional statistics, real
	FromCompute    Source = "compute"    // aimaq compute; each value's method says network, straight-line or mixed
)

// Indicator is one area indicator.
type Indicator struct {
	Name        string        `json:"name"`
	Unit        string        `json:"unit"`
	Direction   Direction     `json:"direction"`
	Title       Text          `json:"title"`
	Description Text          `json:"description"`
	Levels      []level.Level `json:"levels"`
	Source      Source        `json:"source"`
	Aggregation Aggregation   `json:"aggregation"`
	// Of names the settlement indicator the area value is made from (mean,
	// median, shares), or the facility set (2SFCA, per 10,000: school or
	// clinic), or the statistic (statistics).
	Of string `json:"of,omitempty"`
	// Limit is the threshold of a share, in the unit of Of.
	Limit float64 `json:"limit,omitempty"`
	// Order sorts the catalogue for a picker: themes first, then name.
	Order int `json:"-"`
}

// computeLevels are the levels compute aggregates to; statistics exist for
// oblasts and the country.
var (
	computeLevels = []level.Level{level.District, level.Oblast, level.Macroregion, level.Agglomeration, level.Country}
	statLevels    = []level.Level{level.Oblast, level.Country}
)

var (
	meanText   = Text{KK: "халық салмағымен орташа", RU: "средневзвешенное по населению", EN: "population-weighted mean"}
	medianText = Text{KK: "халық салмағымен медиана", RU: "медиана, взвешенная по населению", EN: "population-weighted median"}
	shareText  = Text{KK: "Халықтың шекті мәннен аспайтын үлесі (0–1)", RU: "Доля населения в пределах порога (0–1)", EN: "Share of the population within the threshold (0–1)"}
)

// areaOnly lists the area indicators that are not a mean or median of a
// settlement indicator.
var areaOnly = []Indicator{
	{Name: "share_school_3km", Unit: "share", Direction: HigherBetter, Aggregation: ShareWithin, Of: "school_km", Limit: SchoolMaxKm, Order: 215,
		Title: Text{KK: "Мектептен 3 км радиуста тұратын халық үлесі", RU: "Доля населения в пределах 3 км от школы", EN: "Population within 3 km of a school"}, Description: shareText},
	{Name: "share_clinic_30min", Unit: "share", Direction: HigherBetter, Aggregation: ShareWithin, Of: "clinic_min", Limit: ClinicMaxMin, Order: 315,
		Title: Text{KK: "Медициналық мекемеге 30 минутқа дейін жететін халық үлесі", RU: "Доля населения в 30 минутах от медучреждения", EN: "Population within 30 min of a health facility"}, Description: shareText},
	{Name: "share_clinic_beyond_30min", Unit: "share", Direction: LowerBetter, Aggregation: ShareBeyond, Of: "clinic_min", Limit: ClinicMaxMin, Order: 318,
		Title:       Text{KK: "Медициналық мекемеден 30 минуттан алыс тұратын халық үлесі", RU: "Доля населения дальше 30 минут от медучреждения", EN: "Population beyond 30 min of any health facility"},
		Description: Text{KK: "Ең жақын медициналық мекемеге жол 30 минуттан асатын халық үлесі (0–1)", RU: "Доля населения, которому до ближайшего медучреждения больше 30 минут пути (0–1)", EN: "Share of the population more than 30 minutes from the nearest health facility of any level (0–1): the people the clinic standard leaves out"}},
	{Name: "share_hospital_60min", Unit: "share", Direction: HigherBetter, Aggregation: ShareWithin, Of: "hospital_min", Limit: HospitalMaxMin, Order: 335,
		Title: Text{KK: "Ауруханаға 60 минутқа дейін жететін халық үлесі", RU: "Доля населения в 60 минутах от больницы", EN: "Population within 60 min of a hospital"}, Description: shareText},
	{Name: "share_paved_1km", Unit: "share", Direction: HigherBetter, Aggregation: ShareWithin, Of: "paved_road_km", Limit: PavedMaxKm, Order: 405,
		Title: Text{KK: "Асфальт жолдан 1 км-ге дейін тұратын халық үлесі", RU: "Доля населения в пределах 1 км от дороги с покрытием", EN: "Population within 1 km of a paved road"}, Description: shareText},
	{Name: "school_2sfca", Unit: "per 1,000", Direction: HigherBetter, Aggregation: Catchment, Of: "school", Order: 216,
		Title:       Text{KK: "Мектеп орындарының қолжетімділігі (2SFCA)", RU: "Доступность мест в школах (2SFCA)", EN: "School places within 30 min (2SFCA)"},
		Description: Text{KK: "30 минут ішінде 1 000 адамға шаққандағы мектеп орындары (сыйымдылығы белгісіз болса — мектептер)", RU: "Мест в школах на 1 000 человек в пределах 30 минут (где вместимость неизвестна — школ)", EN: "School places (or schools, where capacity is not tagged) per 1,000 people within 30 minutes, two-step floating catchment"}},
	{Name: "clinic_2sfca", Unit: "per 1,000", Direction: HigherBetter, Aggregation: Catchment, Of: "clinic", Order: 316,
		Title:       Text{KK: "Медициналық мекемелердің қолжетімділігі (2SFCA)", RU: "Доступность медучреждений (2SFCA)", EN: "Health facilities within 30 min (2SFCA)"},
		Description: Text{KK: "30 минут ішінде 1 000 адамға шаққандағы медициналық мекемелер", RU: "Медучреждений на 1 000 человек в пределах 30 минут", EN: "Health facilities per 1,000 people within 30 minutes, two-step floating catchment"}},
	{Name: "schools_per_10k", Unit: "per 10,000", Direction: HigherBetter, Aggregation: PerPeople, Of: "school", Order: 217,
		Title:       Text{KK: "10 000 адамға шаққандағы мектептер (OSM)", RU: "Школ на 10 000 жителей (OSM)", EN: "Schools per 10,000 people (OSM)"},
		Description: Text{KK: "Аумақтағы мектептер саны (жүктелген нысандар бойынша)", RU: "Число школ в территории по загруженным объектам", EN: "Schools located in the area, from the loaded facilities"}},
	{Name: "health_per_10k", Unit: "per 10,000", Direction: HigherBetter, Aggregation: PerPeople, Of: "clinic", Order: 317,
		Title:       Text{KK: "10 000 адамға шаққандағы медициналық мекемелер (OSM)", RU: "Медучреждений на 10 000 жителей (OSM)", EN: "Health facilities per 10,000 people (OSM)"},
		Description: Text{KK: "Аумақтағы медициналық мекемелер саны (жүктелген нысандар бойынша)", RU: "Число медучреждений в территории по загруженным объектам", EN: "Health facilities located in the area, from the loaded facilities"}},
	{Name: "population_density", Unit: "people/km²", Direction: Neutral, Aggregation: Density, Order: 1,
		Title:       Text{KK: "Халық тығыздығы", RU: "Плотность населения", EN: "Population density"},
		Description: Text{KK: "Халық / аудан, км²; облыстар — ресми статистика, аудандар — бағалау", RU: "Население / площадь, км²; области — официальная статистика, районы — оценка", EN: "People per km²: official statistics for oblasts, an estimate for districts"}},
	{Name: "schools_per_10k_stats", Unit: "per 10,000", Direction: HigherBetter, Aggregation: StatsPerTenK, Of: "schools", Source: FromStatistics, Order: 2,
		Title:       Text{KK: "10 000 адамға шаққандағы мектептер (статистика)", RU: "Школ на 10 000 жителей (статистика)", EN: "Schools per 10,000 people (statistics)"},
		Description: Text{KK: "Мектептер саны, 2022 ж. / халық, 2023 ж. 1 қаңтар", RU: "Число школ 2022 г. / население на 1 января 2023 г.", EN: "Schools in 2022 / population on 1 January 2023, Bureau of National Statistics"}},
	{Name: "medical_per_10k_stats", Unit: "per 10,000", Direction: HigherBetter, Aggregation: StatsPerTenK, Of: "medical_institutions", Source: FromStatistics, Order: 3,
		Title:       Text{KK: "10 000 адамға шаққандағы медициналық ұйымдар (статистика)", RU: "Медорганизаций на 10 000 жителей (статистика)", EN: "Medical institutions per 10,000 people (statistics)"},
		Description: Text{KK: "Медициналық ұйымдар саны, 2022 ж. / халық, 2023 ж. 1 қаңтар", RU: "Число медорганизаций 2022 г. / население на 1 января 2023 г.", EN: "Medical institutions in 2022 / population on 1 January 2023, Bureau of National Statistics"}},
}

var catalogue = build()

// build derives the area catalogue: a mean and a median of every aggregated
// settlement indicator, then the area-only indicators, in picker order.
func build() []Indicator {
	var out []Indicator
	for _, s := range settlements {
		if !s.Aggregate {
			continue
		}
		out = append(out,
			Indicator{Name: s.Name + "_mean", Unit: s.Unit, Direction: s.Direction, Title: lang.Join(s.Title, meanText), Aggregation: Mean, Of: s.Name, Order: s.order * 10,
				Description: Text{KK: "Елді мекендер бойынша, халық санымен салмақталған орташа мән", RU: "Среднее по населённым пунктам, взвешенное по их населению", EN: "Mean over the settlements of the area, weighted by their population"}},
			Indicator{Name: s.Name + "_median", Unit: s.Unit, Direction: s.Direction, Title: lang.Join(s.Title, medianText), Aggregation: Median, Of: s.Name, Order: s.order*10 + 1,
				Description: Text{KK: "Халықтың жартысы осы мәннен жақын тұрады", RU: "Половина населения живёт ближе этого значения", EN: "Half of the population lives at or below this value"}})
	}
	out = append(out, areaOnly...)
	for i := range out {
		if out[i].Source == "" {
			out[i].Source = FromCompute
		}
		out[i].Levels = computeLevels
		if out[i].Source == FromStatistics {
			out[i].Levels = statLevels
		}
		if !identifier.MatchString(out[i].Name) {
			panic(fmt.Sprintf("indicator: %q is not a valid indicator name", out[i].Name))
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Order < out[j].Order })
	return out
}

// All returns the area catalogue, in picker order.
func All() []Indicator { return slices.Clone(catalogue) }

// Lookup returns the area indicator called name.
func Lookup(name string) (Indicator, bool) {
	for _, in := range catalogue {
		if in.Name == name {
			return in, true
		}
	}
	return Indicator{}, false
}

// Parse reads an indicator parameter: errs.NotFound naming the value when no
// area indicator has that name (errs.Invalid when there is none). Every
// route takes its indicator through it.
func Parse(name string) (Indicator, error) {
	if in, ok := Lookup(name); ok {
		return in, nil
	}
	if name == "" {
		return Indicator{}, errs.E(errs.Invalid, "indicator is required: see /api/indicators")
	}
	return Indicator{}, errs.E(errs.NotFound, "indicator %q unknown: see /api/indicators", errs.Shorten(name))
}

// ParseAt reads an indicator parameter and a level parameter for a use, and
// checks the indicator exists at that level.
func ParseAt(name, lvl string, use level.Filter) (Indicator, level.Level, error) {
	in, err := Parse(name)
	if err != nil {
		return in, "", err
	}
	l, err := level.Parse(lvl, use)
	if err != nil {
		return in, "", err
	}
	if !in.HasLevel(l) {
		return in, "", errs.E(errs.Invalid, "indicator %s exists at levels %s, not %s", in.Name, joinLevels(in.Levels), l)
	}
	return in, l, nil
}

// HasLevel reports whether the indicator exists at level l; the macroregion
// map also draws the agglomerations, which every compute indicator has.
func (in Indicator) HasLevel(l level.Level) bool { return slices.Contains(in.Levels, l) }

// Settlement returns the settlement indicator an area indicator is made
// from, for means, medians and shares.
func (in Indicator) Settlement() (Settlement, bool) {
	switch in.Aggregation {
	case Mean, Median, ShareWithin, ShareBeyond:
		return LookupSettlement(in.Of)
	}
	return Settlement{}, false
}

// Group is a macroregion or an agglomeration, the groups the disparity
// indices decompose by. Groups are data (data/reference/groups.csv).
type Group struct {
	Code  string    `json:"code"`
	Kind  string    `json:"kind"` // macroregion or agglomeration
	Name  lang.Text `json:"name"`
	Color string    `json:"color"` // outline on the map, #rrggbb
}

func joinLevels(ls []level.Level) string {
	s := make([]string, len(ls))
	for i, l := range ls {
		s[i] = string(l)
	}
	return strings.Join(s, ", ")
}

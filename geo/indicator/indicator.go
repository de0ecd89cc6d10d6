// Package indicator is the catalogue of area indicators: what each one
// measures, in which unit, in Kazakh, Russian and English, whether a higher
// value is better or worse, and at which levels it exists. The names are the
// API's and the tiles' property names.
package indicator

import (
	"slices"
	"sort"
	"strings"
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
type Text struct {
	KK string `json:"kk"`
	RU string `json:"ru"`
	EN string `json:"en"`
}

// Indicator is one area indicator.
type Indicator struct {
	Name        string    `json:"name"`
	Unit        string    `json:"unit"`
	Direction   Direction `json:"direction"`
	Title       Text      `json:"title"`
	Description Text      `json:"description"`
	Levels      []string  `json:"levels"`
	// Source says where the values come from: "statistics" (regional
	// statistics, real), "compute" (aimaq compute from settlements, facilities
	// and roads; each value's method says network, straight-line or mixed).
	Source string `json:"source"`
	// Order sorts the catalogue for a picker: themes first, then name.
	Order int `json:"-"`
}

// AllLevels are the levels compute aggregates to.
var AllLevels = []string{"district", "oblast", "macroregion", "agglomeration", "country"}

// statLevels are the levels regional statistics exist for.
var statLevels = []string{"oblast", "country"}

// base describes a settlement indicator that compute aggregates as _mean and _median.
type base struct {
	name, unit string
	dir        Direction
	title      Text
	order      int
}

var settlementBases = []base{
	{"district_centre_km", "km", LowerBetter, Text{"Аудан орталығына дейінгі қашықтық", "Расстояние до районного центра", "Distance to the district centre"}, 10},
	{"district_centre_min", "min", LowerBetter, Text{"Аудан орталығына дейінгі уақыт", "Время в пути до районного центра", "Travel time to the district centre"}, 11},
	{"oblast_centre_km", "km", LowerBetter, Text{"Облыс орталығына дейінгі қашықтық", "Расстояние до областного центра", "Distance to the oblast centre"}, 12},
	{"oblast_centre_min", "min", LowerBetter, Text{"Облыс орталығына дейінгі уақыт", "Время в пути до областного центра", "Travel time to the oblast centre"}, 13},
	{"town5k_km", "km", LowerBetter, Text{"5 000+ адамдық қалаға дейінгі қашықтық", "Расстояние до города с населением 5 000+", "Distance to a town of 5,000+"}, 14},
	{"school_km", "km", LowerBetter, Text{"Мектепке дейінгі қашықтық", "Расстояние до школы", "Distance to a school"}, 20},
	{"school_min", "min", LowerBetter, Text{"Мектепке дейінгі уақыт", "Время в пути до школы", "Travel time to a school"}, 21},
	{"clinic_km", "km", LowerBetter, Text{"Медициналық мекемеге дейінгі қашықтық", "Расстояние до медучреждения", "Distance to a health facility"}, 30},
	{"clinic_min", "min", LowerBetter, Text{"Медициналық мекемеге дейінгі уақыт", "Время в пути до медучреждения", "Travel time to a health facility"}, 31},
	{"hospital_km", "km", LowerBetter, Text{"Ауруханаға дейінгі қашықтық", "Расстояние до больницы", "Distance to a hospital"}, 32},
	{"hospital_min", "min", LowerBetter, Text{"Ауруханаға дейінгі уақыт", "Время в пути до больницы", "Travel time to a hospital"}, 33},
	{"paved_road_km", "km", LowerBetter, Text{"Асфальт жолға дейінгі қашықтық", "Расстояние до дороги с твёрдым покрытием", "Distance to a paved road"}, 40},
	{"srs_score", "share", HigherBetter, Text{"Өңірлік стандарттардың орындалуы", "Выполнение региональных стандартов", "Regional standards met"}, 50},
}

var (
	meanText   = Text{"халық салмағымен орташа", "средневзвешенное по населению", "population-weighted mean"}
	medianText = Text{"халық салмағымен медиана", "медиана, взвешенная по населению", "population-weighted median"}
)

func join(a, b Text) Text {
	return Text{a.KK + ", " + b.KK, a.RU + ", " + b.RU, a.EN + ", " + b.EN}
}

var catalogue = build()

func build() []Indicator {
	var out []Indicator
	computed := func(name, unit string, dir Direction, title, desc Text, order int) {
		out = append(out, Indicator{Name: name, Unit: unit, Direction: dir, Title: title, Description: desc, Levels: AllLevels, Source: "compute", Order: order})
	}
	for _, b := range settlementBases {
		computed(b.name+"_mean", b.unit, b.dir, join(b.title, meanText), Text{
			"Елді мекендер бойынша, халық санымен салмақталған орташа мән",
			"Среднее по населённым пунктам, взвешенное по их населению",
			"Mean over the settlements of the area, weighted by their population"}, b.order*10)
		computed(b.name+"_median", b.unit, b.dir, join(b.title, medianText), Text{
			"Халықтың жартысы осы мәннен жақын тұрады",
			"Половина населения живёт ближе этого значения",
			"Half of the population lives at or below this value"}, b.order*10+1)
	}
	shares := []struct {
		name  string
		title Text
		order int
	}{
		{"share_school_3km", Text{"Мектепке дейін 3 км-ден аз тұратын халық үлесі", "Доля населения в пределах 3 км от школы", "Population within 3 km of a school"}, 215},
		{"share_clinic_30min", Text{"Медициналық мекемеге 30 минутқа дейін жететін халық үлесі", "Доля населения в 30 минутах от медучреждения", "Population within 30 min of a health facility"}, 315},
		{"share_hospital_60min", Text{"Ауруханаға 60 минутқа дейін жететін халық үлесі", "Доля населения в 60 минутах от больницы", "Population within 60 min of a hospital"}, 335},
		{"share_paved_1km", Text{"Асфальт жолдан 1 км-ге дейін тұратын халық үлесі", "Доля населения в пределах 1 км от дороги с покрытием", "Population within 1 km of a paved road"}, 405},
	}
	for _, s := range shares {
		computed(s.name, "share", HigherBetter, s.title, Text{
			"Халықтың шекті мәннен аспайтын үлесі (0–1)", "Доля населения в пределах порога (0–1)", "Share of the population within the threshold (0–1)"}, s.order)
	}
	computed("school_2sfca", "per 1,000", HigherBetter,
		Text{"Мектеп орындарының қолжетімділігі (2SFCA)", "Доступность мест в школах (2SFCA)", "School places within 30 min (2SFCA)"},
		Text{"30 минут ішінде 1 000 адамға шаққандағы мектеп орындары (сыйымдылығы белгісіз болса — мектептер)", "Мест в школах на 1 000 человек в пределах 30 минут (где вместимость неизвестна — школ)", "School places (or schools, where capacity is not tagged) per 1,000 people within 30 minutes, two-step floating catchment"}, 216)
	computed("clinic_2sfca", "per 1,000", HigherBetter,
		Text{"Медициналық мекемелердің қолжетімділігі (2SFCA)", "Доступность медучреждений (2SFCA)", "Health facilities within 30 min (2SFCA)"},
		Text{"30 минут ішінде 1 000 адамға шаққандағы медициналық мекемелер", "Медучреждений на 1 000 человек в пределах 30 минут", "Health facilities per 1,000 people within 30 minutes, two-step floating catchment"}, 316)
	computed("schools_per_10k", "per 10,000", HigherBetter,
		Text{"10 000 адамға шаққандағы мектептер (OSM)", "Школ на 10 000 жителей (OSM)", "Schools per 10,000 people (OSM)"},
		Text{"Аумақтағы мектептер саны (жүктелген нысандар бойынша)", "Число школ в территории по загруженным объектам", "Schools located in the area, from the loaded facilities"}, 217)
	computed("health_per_10k", "per 10,000", HigherBetter,
		Text{"10 000 адамға шаққандағы медициналық мекемелер (OSM)", "Медучреждений на 10 000 жителей (OSM)", "Health facilities per 10,000 people (OSM)"},
		Text{"Аумақтағы медициналық мекемелер саны (жүктелген нысандар бойынша)", "Число медучреждений в территории по загруженным объектам", "Health facilities located in the area, from the loaded facilities"}, 317)
	computed("population_density", "people/km²", Neutral,
		Text{"Халық тығыздығы", "Плотность населения", "Population density"},
		Text{"Халық / аудан, км²; облыстар — ресми статистика, аудандар — бағалау", "Население / площадь, км²; области — официальная статистика, районы — оценка", "People per km²: official statistics for oblasts, an estimate for districts"}, 1)
	out = append(out,
		Indicator{Name: "schools_per_10k_stats", Unit: "per 10,000", Direction: HigherBetter, Levels: statLevels, Source: "statistics", Order: 2,
			Title:       Text{"10 000 адамға шаққандағы мектептер (статистика)", "Школ на 10 000 жителей (статистика)", "Schools per 10,000 people (statistics)"},
			Description: Text{"Мектептер саны, 2022 ж. / халық, 2023 ж. 1 қаңтар", "Число школ 2022 г. / население на 1 января 2023 г.", "Schools in 2022 / population on 1 January 2023, Bureau of National Statistics"}},
		Indicator{Name: "medical_per_10k_stats", Unit: "per 10,000", Direction: HigherBetter, Levels: statLevels, Source: "statistics", Order: 3,
			Title:       Text{"10 000 адамға шаққандағы медициналық ұйымдар (статистика)", "Медорганизаций на 10 000 жителей (статистика)", "Medical institutions per 10,000 people (statistics)"},
			Description: Text{"Медициналық ұйымдар саны, 2022 ж. / халық, 2023 ж. 1 қаңтар", "Число медорганизаций 2022 г. / население на 1 января 2023 г.", "Medical institutions in 2022 / population on 1 January 2023, Bureau of National Statistics"}},
	)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Order < out[j].Order })
	return out
}

// All returns the catalogue, in picker order.
func All() []Indicator { return append([]Indicator(nil), catalogue...) }

// Lookup returns the indicator called name.
func Lookup(name string) (Indicator, bool) {
	for _, in := range catalogue {
		if in.Name == name {
			return in, true
		}
	}
	return Indicator{}, false
}

// HasLevel reports whether the indicator exists at level.
func (in Indicator) HasLevel(level string) bool { return slices.Contains(in.Levels, level) }

// Label is the title in lang (kk, ru or en; anything else gives English).
func (t Text) Label(lang string) string {
	switch strings.ToLower(lang) {
	case "kk":
		return t.KK
	case "ru":
		return t.RU
	}
	return t.EN
}

package lang

import (
	"fmt"
	"maps"
	"regexp"
	"strings"
)

// Message is something the server says to a planner beside its figures (a
// note about a classification, a disparity index that is undefined, figures
// older than the data): a code from the catalogue below and its arguments.
// The API sends both the code and the English sentence; the map words the
// code in the planner's language from the catalogue (/api/indicators
// "messages"), so no server English leaks into the Kazakh or Russian page.
// An argument named "group" is a group code: the map writes the group's name.
type Message struct {
	Code string            `json:"code"`
	Args map[string]string `json:"args,omitempty"`
}

// The message codes.
const (
	MsgDistinctValues    = "classify.distinct_values"
	MsgAutoHeadTail      = "classify.auto_headtail"
	MsgAutoQuantile      = "classify.auto_quantile"
	MsgAutoJenks         = "classify.auto_jenks"
	MsgMergedClasses     = "classify.merged_classes"
	MsgSkippedUnits      = "disparity.skipped_units"
	MsgNoUnits           = "disparity.no_units"
	MsgNegativeValues    = "disparity.negative_values"
	MsgEqualValues       = "disparity.equal_values"
	MsgZeroValues        = "disparity.zero_values"
	MsgIndexMeanPositive = "disparity.index_needs_positive_mean"
	MsgMeanNotPositive   = "disparity.mean_not_positive"
	MsgOneGroup          = "disparity.one_group"
	MsgNoGroups          = "disparity.no_groups"
	MsgBestWorstInfinite = "disparity.best_worst_infinite"
	MsgDescriptive       = "disparity.descriptive"
	MsgDataChanged       = "data.changed_since_run"
	// The limits of the scenario engine (geo/scenario), said with every
	// evaluation.
	MsgScenarioRecomputed     = "scenario.recomputed_figures"
	MsgScenarioSnapsKept      = "scenario.snaps_kept"
	MsgScenarioNewlyServed    = "scenario.newly_served"
	MsgScenarioDisparityTheil = "scenario.disparity_theil"
	// Names of the projects siting and SRS costing save as scenarios.
	MsgProposedFacility = "project.proposed_facility"
	MsgFacilityAt       = "project.facility_at"
	MsgPavedAccess      = "project.paved_access"
)

// messages is the catalogue: every code in kk/ru/en with {name} placeholders.
var messages = map[string]Text{
	// The siting and costing answers (web/handle_siting.go): guarantees,
	// notes and the reasons a population is left out.
	"guarantee.cover": {
		KK: "ең жақсы қамтудың кемінде 1 − 1/e ≈ 0,632 үлесі (сонша орынмен)",
		RU: "не менее 1 − 1/e ≈ 0,632 от наилучшего охвата тем же числом мест",
		EN: "at least 1 − 1/e ≈ 0.632 of the best cover with as many sites",
	},
	"guarantee.budget": {
		KK: "бюджет шегіндегі ең жақсы қамтудың кемінде ½(1 − 1/e) ≈ 0,316 үлесі",
		RU: "не менее ½(1 − 1/e) ≈ 0,316 от наилучшего охвата в пределах бюджета",
		EN: "at least ½(1 − 1/e) ≈ 0.316 of the best cover within the budget",
	},
	"guarantee.pmedian": {
		KK: "жергілікті оңтайлы шешім (алмастыру енді жақсартпайды); ең нашар жағдайға кепілдік жоқ",
		RU: "локальный оптимум (замена мест больше не улучшает); гарантии для худшего случая нет",
		EN: "a local optimum (no exchange of sites improves it); no worst-case guarantee",
	},
	"siting.candidates": {
		KK: "үміткер орындар — ауданның осындай мекемесі жоқ елді мекендері; бір орынның құны — бірлік құн кестесінің {unit} жолы",
		RU: "кандидаты — населённые пункты района без такого учреждения; стоимость места — строка {unit} таблицы удельных стоимостей",
		EN: "candidate sites are the area's settlements without such a facility; a site's cost is row {unit} of the unit-cost table",
	},
	"siting.own_radius": {
		KK: "әр елді мекеннің өз нормасы бар: халқына қарай 2, 5 немесе 10 км жолмен",
		RU: "у каждого пункта своя норма: 2, 5 или 10 км по дороге в зависимости от численности",
		EN: "each settlement has its own limit: 2, 5 or 10 km by road according to its population",
	},
	"siting.straight_line": {
		KK: "кейбір орындар жол желісінен тыс немесе түзу сызық ережесімен өлшенген",
		RU: "часть мест вне дорожной сети или измерена по прямой",
		EN: "some sites are off the road network or measured in a straight line",
	},
	"cost.method": {
		KK: "ең арзан жоспар ашкөз әдіспен (жаңадан қамтылған бір адамға ең аз құн); ең арзан жоспардан ең көбі 1 + ln m есе қымбат",
		RU: "план найден жадным алгоритмом (наименьшая стоимость на человека, впервые соответствующего стандарту); не дороже наилучшего более чем в 1 + ln m раз",
		EN: "the plan is found greedily (least cost per person newly meeting the standard); it costs at most 1 + ln m times the cheapest",
	},
	"cost.roads": {
		KK: "жол: елді мекеннен ең жақын асфальт жолға дейінгі түзу қашықтық (жол иректелетіндіктен — төменгі шек), желідегі жол үшін асфальттау, желіден тыс үшін жаңа жол бағасымен",
		RU: "дорога: расстояние по прямой от пункта до ближайшей дороги с твёрдым покрытием (нижняя оценка: дороги извилисты), по цене асфальтирования для пункта на сети и новой дороги вне сети",
		EN: "roads: the straight-line distance from the settlement to the nearest paved road (a lower bound: roads wind), priced as paving on the network and as a new road off it",
	},
	"cost.budget": {
		KK: "бюджет жоспары: бір теңгеге жаңадан қамтылған ең көп адам; халық стандарттар бойынша қосылады",
		RU: "план в пределах бюджета: больше всего людей, впервые соответствующих стандарту, на тенге; население суммируется по стандартам",
		EN: "budget plan: the most people newly meeting a standard per tenge; population is summed over the standards",
	},
	"left.too_small": {
		KK: "норма бойынша тым кіші елді мекен", RU: "пункт слишком мал по нормативам", EN: "too small for any facility under the norms",
	},
	"left.no_data": {
		KK: "жүктелген деректермен өлшеуге болмайды", RU: "нельзя измерить по загруженным данным", EN: "cannot be measured with the data loaded",
	},
	"left.beyond_reach": {
		KK: "ешбір үміткер орын нормаға жетпейді (елді мекен жолдан алыс)", RU: "ни одно место не укладывается в норму (пункт далеко от дороги)", EN: "no candidate site reaches it within the norm (the settlement lies far from the road)",
	},
	"left.no_unit_cost": {
		KK: "бірлік құн кестесінде бағасы жоқ (аурухана)", RU: "нет цены в таблице удельных стоимостей (больница)", EN: "no price in the unit-cost table (a hospital)",
	},

	MsgProposedFacility: {
		KK: "ұсыныс: {kind} — {place}",
		RU: "предложено: {kind} — {place}",
		EN: "proposed {kind} at {place}",
	},
	MsgFacilityAt: {
		KK: "{kind} — {place}",
		RU: "{kind} — {place}",
		EN: "{kind} at {place}",
	},
	MsgPavedAccess: {
		KK: "{place} елді мекеніне қатты жабынды кіреберіс жол ({km} км)",
		RU: "подъезд с твёрдым покрытием к {place} ({km} км)",
		EN: "paved access to {place} ({km} km)",
	},
	MsgDistinctValues: {
		KK: "тек {distinct} түрлі мән бар: {distinct} сынып, әр мәнге бір сынып",
		RU: "всего {distinct} различных значений: {distinct} классов, по одному на значение",
		EN: "only {distinct} distinct values: {distinct} classes, one per value",
	},
	MsgAutoHeadTail: {
		KK: "сыныптар автоматты түрде таңдалды: үлестірім қатты қисайған (асимметрия {skew}), сондықтан «бас/құйрық» бөлінісі қолданылды",
		RU: "классы выбраны автоматически: распределение сильно скошено (асимметрия {skew}), поэтому применено деление «голова/хвост»",
		EN: "classes chosen automatically: the distribution is heavily skewed (skewness {skew}), so head/tail breaks are used",
	},
	MsgAutoQuantile: {
		KK: "сыныптар автоматты түрде таңдалды: үлестірім қатты қисайған (асимметрия {skew}), сондықтан квантильдер қолданылды",
		RU: "классы выбраны автоматически: распределение сильно скошено (асимметрия {skew}), поэтому применены квантили",
		EN: "classes chosen automatically: the distribution is heavily skewed (skewness {skew}), so quantiles are used",
	},
	MsgAutoJenks: {
		KK: "сыныптар автоматты түрде таңдалды: үлестірім айтарлықтай қисаймаған (асимметрия {skew}), сондықтан табиғи үзілістер (Дженкс) қолданылды",
		RU: "классы выбраны автоматически: распределение не сильно скошено (асимметрия {skew}), поэтому применены естественные интервалы (Дженкс)",
		EN: "classes chosen automatically: the distribution is not heavily skewed (skewness {skew}), so natural breaks (Jenks) are used",
	},
	MsgMergedClasses: {
		KK: "бос немесе ені нөлге тең сыныптар көршілеріне біріктірілді: {classes} сынып",
		RU: "пустые классы и классы нулевой ширины объединены с соседними: {classes} классов",
		EN: "empty or zero-width classes merged into their neighbours: {classes} classes",
	},
	MsgSkippedUnits: {
		KK: "{units} бірліктің {skipped} ескерілмеді: {no_value} бірлікте мән жоқ, {no_population} бірлікте халық саны оң емес",
		RU: "пропущено {skipped} из {units} единиц: у {no_value} нет значения, у {no_population} население не положительно",
		EN: "skipped {skipped} of {units} units: {no_value} without a value, {no_population} without a positive population",
	},
	MsgNoUnits: {
		KK: "мәні де, оң халық саны да бар бірлік жоқ: индекс есептелмейді",
		RU: "нет ни одной единицы со значением и положительным населением: индексы не вычисляются",
		EN: "no unit has both a value and a positive population: no index",
	},
	MsgNegativeValues: {
		KK: "Тейл T, Тейл L, Аткинсон (0,5), Аткинсон (1) және max/min анықталмайды: теріс мәнді бірліктер саны {count}",
		RU: "индексы Тейла T и L, Аткинсона (0,5) и (1) и max/min не определены: единиц с отрицательным значением — {count}",
		EN: "Theil T, Theil L, Atkinson(0.5), Atkinson(1) and max/min undefined: units with a negative value: {count}",
	},
	MsgEqualValues: {
		KK: "барлық {count} бірліктің мәні бірдей ({value}): әр индекс 0-ге, max/min 1-ге тең",
		RU: "у всех {count} единиц одно значение ({value}): все индексы равны 0, max/min равно 1",
		EN: "all {count} units have the same value {value}: every index is 0 and max/min is 1",
	},
	MsgZeroValues: {
		KK: "Тейл L және Аткинсон (1) анықталмайды, max/min шексіз: мәні 0 бірліктер саны {count}",
		RU: "индексы Тейла L и Аткинсона (1) не определены, max/min бесконечно: единиц со значением 0 — {count}",
		EN: "Theil L and Atkinson(1) undefined, max/min is +Inf: units with value 0: {count}",
	},
	MsgIndexMeanPositive: {
		KK: "{index} анықталмайды: орташа мән оң емес",
		RU: "{index} не определён: среднее значение не положительно",
		EN: "{index} undefined: the weighted mean is not positive",
	},
	MsgMeanNotPositive: {
		KK: "Джини, Уильямсон және вариация коэффициенті анықталмайды: орташа мән {mean}, оң емес",
		RU: "Джини, Уильямсон и коэффициент вариации не определены: среднее {mean}, не положительно",
		EN: "Gini, Williamson and CV undefined: the mean is {mean}, not positive",
	},
	MsgOneGroup: {
		KK: "бір ғана топ ({group}): топаралық бөліктер 0-ге тең",
		RU: "одна группа ({group}): межгрупповые составляющие равны 0",
		EN: "one group ({group}): the between-group parts are 0",
	},
	MsgNoGroups: {
		KK: "макроаймақтар мен топтар жүктелмеген: топаралық бөліктер 0-ге тең",
		RU: "макрорегионы и группы не загружены: межгрупповые составляющие равны 0",
		EN: "no macroregions or groups are loaded: the between-group parts are 0",
	},
	MsgBestWorstInfinite: {
		KK: "ең жақсы мен ең нашар топтың қатынасы шексіз: {group} тобының орташа мәні 0",
		RU: "отношение лучшей группы к худшей бесконечно: у группы {group} среднее 0",
		EN: "best/worst ratio is +Inf: group {group} has mean 0",
	},
	MsgDescriptive: {
		KK: "бұл көрсеткіш сипаттамалық: топтар жоғарыдан төменге қарай сұрыпталады, «ең жақсы/ең нашар» ең жоғары/ең төмен мәнді білдіреді",
		RU: "это описательный показатель: группы упорядочены от большего к меньшему, «лучшая/худшая» означает наибольшую/наименьшую",
		EN: "this indicator is descriptive: groups are sorted from highest to lowest, and best/worst means highest/lowest",
	},
	MsgDataChanged: {
		KK: "бұл көрсеткіштер №{run} есептеуден алынған, содан кейін деректер өзгерді: келесі есептеу оларды жаңартады",
		RU: "эти показатели из расчёта № {run}; данные с тех пор изменились, следующий расчёт их обновит",
		EN: "the data changed after compute run {run}, which these figures come from: run aimaq compute for figures of the current data",
	},
	MsgScenarioRecomputed: {
		KK: "сценарий тек мектепке, медициналық мекемеге, ауруханаға және асфальт жолға дейінгі қашықтықты және ӨС ұпайын қайта есептейді; басқа көрсеткіштер базалық есептеудікі",
		RU: "сценарий пересчитывает только расстояния до школы, медучреждения, больницы и дороги с твёрдым покрытием и балл СРС; остальные показатели — из базового расчёта",
		EN: "a scenario recomputes only the distances to a school, a health facility, a hospital and a paved road, and the SRS score; every other indicator is the baseline run's",
	},
	MsgScenarioSnapsKept: {
		KK: "елді мекендер мен мекемелер базалық есептеудегі жол желісіне қосылған күйінде қалады; жаңа жол ұштарына ең жақын түйіндерді қосады",
		RU: "населённые пункты и учреждения остаются привязанными к сети дорог как в базовом расчёте; новая дорога соединяет узлы, ближайшие к её концам",
		EN: "settlements and facilities keep their baseline place on the road network; a built road joins the junctions nearest its ends",
	},
	MsgScenarioNewlyServed: {
		KK: "жаңадан қамтылғандар — бұрын орындамаған кемінде бір стандартты енді орындайтын елді мекендердің халқы; бір адамға шаққандағы құн — жобалардың жалпы құны осы халыққа бөлінген",
		RU: "новые охваченные — население пунктов, которые теперь выполняют хотя бы один стандарт, не выполнявшийся ранее; стоимость на человека — общая стоимость проектов, делённая на это население",
		EN: "newly served is the population of settlements that now meet at least one standard they did not meet before; cost per person is the projects' total cost divided by it",
	},
	MsgScenarioDisparityTheil: {
		KK: "теңсіздік — аудандар бойынша Тейл T индексі, макроөңірлер арасында және ішінде",
		RU: "неравенство — индекс Тейла T по районам, между макрорегионами и внутри них",
		EN: "disparity is Theil T over the districts, between and within macroregions",
	},
}

// Msg makes a message of code with arguments given as name, value pairs.
// An unknown code is a programming error and panics (tests cover every call).
func Msg(code string, kv ...string) Message {
	if _, ok := messages[code]; !ok {
		panic("lang: unknown message code " + code)
	}
	m := Message{Code: code}
	for i := 0; i+1 < len(kv); i += 2 {
		if m.Args == nil {
			m.Args = map[string]string{}
		}
		m.Args[kv[i]] = kv[i+1]
	}
	return m
}

// Messages returns the catalogue of message codes.
func Messages() map[string]Text { return maps.Clone(messages) }

var placeholder = regexp.MustCompile(`\{([a-z_]+)\}`)

// Placeholders lists the argument names a template uses.
func Placeholders(template string) []string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(template, -1) {
		out = append(out, m[1])
	}
	return out
}

// In words m in lang (kk, ru or en): its template with the arguments filled in.
func (m Message) In(lang string) string {
	t := messages[m.Code].Label(lang)
	return placeholder.ReplaceAllStringFunc(t, func(p string) string {
		name := strings.Trim(p, "{}")
		if v, ok := m.Args[name]; ok {
			if name == "group" && lang == "en" {
				return fmt.Sprintf("%q", v)
			}
			return v
		}
		return p
	})
}

// String is the message in English.
func (m Message) String() string { return m.In("en") }

// English words messages in English, the form of the API's "notes".
func English(ms []Message) []string {
	out := make([]string, 0, len(ms))
	for _, m := range ms {
		out = append(out, m.In("en"))
	}
	return out
}

// facilityKinds are the facility kinds of the facility table in words.
var facilityKinds = map[string]Text{
	"school":        {KK: "мектеп", RU: "школа", EN: "school"},
	"kindergarten":  {KK: "балабақша", RU: "детский сад", EN: "kindergarten"},
	"medical_post":  {KK: "медициналық пункт", RU: "медпункт", EN: "medical post"},
	"feldsher_post": {KK: "фельдшерлік-акушерлік пункт", RU: "фельдшерско-акушерский пункт", EN: "feldsher-midwife post"},
	"clinic":        {KK: "дәрігерлік амбулатория", RU: "врачебная амбулатория", EN: "doctor's outpatient clinic"},
	"polyclinic":    {KK: "емхана", RU: "поликлиника", EN: "polyclinic"},
	"hospital":      {KK: "аурухана", RU: "больница", EN: "hospital"},
}

// FacilityKind is a facility kind (school, feldsher_post, …) in words; an
// unknown kind is itself in every language.
func FacilityKind(kind string) Text {
	if t, ok := facilityKinds[kind]; ok {
		return t
	}
	return Text{KK: kind, RU: kind, EN: kind}
}

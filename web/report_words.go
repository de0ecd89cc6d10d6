package web

import "github.com/aimaq/aimaq/geo/lang"

// reportWords are the words of the printable area report (/report/...) in
// kk/ru/en; the indicator titles, descriptions and level names come from
// their catalogues (geo/indicator, geo/level). The terms follow the map's
// (web/ui/src/i18n.js) and data/reference/glossary.csv.
var reportWords = map[string]lang.Text{
	"report":        {KK: "Аумақ бойынша есеп", RU: "Отчёт по территории", EN: "Area report"},
	"oblast":        {KK: "Облыс", RU: "Область", EN: "Oblast"},
	"group":         {KK: "Макроөңір / агломерация", RU: "Макрорегион / агломерация", EN: "Macroregion / agglomeration"},
	"code":          {KK: "ӘАОЖ коды", RU: "Код КАТО", EN: "KATO code"},
	"population":    {KK: "Халық саны", RU: "Население", EN: "Population"},
	"run":           {KK: "Есептеу", RU: "Расчёт", EN: "Compute run"},
	"computedAt":    {KK: "аяқталды", RU: "завершён", EN: "finished"},
	"datasets":      {KK: "Деректер жиынтықтары", RU: "Наборы данных", EN: "Data sets"},
	"stale":         {KK: "Назар аударыңыз: есептеуден кейін деректер жүктелді, сандар картадағы деректерден ескі.", RU: "Внимание: после расчёта загружены новые данные, цифры старше данных на карте.", EN: "Note: data were imported after this run, so its figures are older than the data on the map."},
	"indicators":    {KK: "Көрсеткіштер", RU: "Показатели", EN: "Indicators"},
	"indicator":     {KK: "Көрсеткіш", RU: "Показатель", EN: "Indicator"},
	"value":         {KK: "Мәні", RU: "Значение", EN: "Value"},
	"rankOblast":    {KK: "Облыстағы орны", RU: "Место в области", EN: "Rank in oblast"},
	"rankAll":       {KK: "Елдегі орны", RU: "Место в стране", EN: "Rank in country"},
	"rankOblasts":   {KK: "Облыстар арасындағы орны", RU: "Место среди областей", EN: "Rank among oblasts"},
	"country":       {KK: "Ел бойынша", RU: "По стране", EN: "Country"},
	"how":           {KK: "Қалай алынды", RU: "Как получено", EN: "How it was made"},
	"rankNote":      {KK: "Орын: 1 — ең жақсы мән (көрсеткіштің бағытына қарай), «3 / 17» — мәні бар 17 аумақтың үшіншісі; тең мәндер бір орынды бөліседі. Бейтарап көрсеткіштер ең үлкен мәннен бастап реттеледі.", RU: "Место: 1 — лучшее значение (с учётом направления показателя), «3 / 17» — третье из 17 территорий со значением; равные значения делят место. Нейтральные показатели упорядочены от наибольшего.", EN: "Rank: 1 is the best value (by the indicator's direction); “3 / 17” is third of the 17 areas with a value; equal values share a rank. Neutral indicators are ordered from the highest."},
	"arrows":        {KK: "↓ — неғұрлым аз болса, соғұрлым жақсы; ↑ — неғұрлым көп болса, соғұрлым жақсы; ↕ — бейтарап көрсеткіш.", RU: "↓ — чем меньше, тем лучше; ↑ — чем больше, тем лучше; ↕ — нейтральный показатель.", EN: "↓ lower is better; ↑ higher is better; ↕ neither (descriptive)."},
	"rankScope":     {KK: "Облыстағы орны — облыс аудандары арасында, елдегі орны — елдің барлық аудандары арасында.", RU: "Место в области — среди районов области, место в стране — среди всех районов страны.", EN: "Rank in oblast: among the oblast's districts; rank in country: among all districts."},
	"noValue":       {KK: "мән жоқ", RU: "нет значения", EN: "no value"},
	"noRank":        {KK: "—", RU: "—", EN: "—"},
	"missingStats":  {KK: "Бұл аумақ үшін өңірлік статистика жүктелмеген.", RU: "Для этой территории не загружена региональная статистика.", EN: "No regional statistics are loaded for this area."},
	"missingOSM":    {KK: "Аумақтың елді мекендерінде бұл көрсеткіш жоқ: OpenStreetMap үзіндісі (мектептер мен медициналық ұйымдар, жолдар) жүктелгеннен кейін пайда болады.", RU: "Ни у одного населённого пункта территории нет этого показателя: он появится после загрузки выгрузки OpenStreetMap (школы и медицинские организации, дороги).", EN: "No settlement of the area has this figure: it would come with an OpenStreetMap extract (schools and health facilities, roads)."},
	"missingCentre": {KK: "Өлшейтін әкімшілік орталық жоқ: аудандар мен олардың орталықтары жүктелгеннен кейін пайда болады.", RU: "Нет административного центра, до которого измерять: показатель появится после загрузки районов и их центров.", EN: "There is no administrative centre to measure to: the figure would come with the districts and their centres."},
	"missingArea":   {KK: "Аумақтың халық саны немесе ауданы белгісіз.", RU: "Неизвестны население или площадь территории.", EN: "The area's population or size is not known."},
	"notInRun":      {KK: "Бұл есептеуде жоқ көрсеткіштер", RU: "Показатели, которых нет в этом расчёте", EN: "Indicators not in this run"},
	"srs":           {KK: "Өңірлік стандарттар жүйесі (ӨСЖ) бойынша тексеру", RU: "Проверка по Системе региональных стандартов (СРС)", EN: "System of Regional Standards (SRS) checks"},
	"standard":      {KK: "Стандарт", RU: "Стандарт", EN: "Standard"},
	"settlementsOk": {KK: "Талапқа сай елді мекендер", RU: "Населённые пункты, отвечающие стандарту", EN: "Settlements meeting it"},
	"populationOk":  {KK: "Талапқа сай халық үлесі", RU: "Доля населения, для которой стандарт выполнен", EN: "Population share meeting it"},
	"srsNone":       {KK: "жүктелген деректер бойынша есептелмейді", RU: "не вычисляется по загруженным данным", EN: "cannot be computed with the data loaded"},
	"srsNote":       {KK: "Тек стандарт қолданылатын және жүктелген деректер бойынша тексеруге болатын елді мекендер саналады (мысалы, мектептер мен жолдар OpenStreetMap үзіндісінен). Елді мекендер (есептеуде): {n}, халқы {pop}.", RU: "Учтены только населённые пункты, к которым стандарт применим и которые можно проверить по загруженным данным (школы и дороги — из выгрузки OpenStreetMap). Населённых пунктов в расчёте: {n}, население {pop}.", EN: "Only the settlements a standard applies to and that the loaded data can check count (schools and roads come with an OpenStreetMap extract). Settlements in the run: {n}, population {pop}."},
	"srs.health":    {KK: "Денсаулық сақтау желісі нормативі (2022): елді мекеннің халық санына сай медициналық ұйым", RU: "Норматив сети здравоохранения (2022): медицинская организация по численности населения пункта", EN: "Health-network norm (2022): a health facility of the level the settlement's size requires"},
	"srs.school":    {KK: "Мектеп 3 км-ден алыс емес (50 адамнан асатын елді мекендер)", RU: "Школа не дальше 3 км (пункты от 50 жителей)", EN: "A school within 3 km (settlements of 50 people or more)"},
	"srs.road":      {KK: "Асфальт жол 1 км-ден алыс емес (500 адамнан асатын ауылдар, қалалар)", RU: "Дорога с твёрдым покрытием не дальше 1 км (сёла более 500 жителей, города)", EN: "A paved road within 1 km (villages of more than 500 people, towns)"},
	"map":           {KK: "Карта", RU: "Карта", EN: "Map"},
	"mapNote":       {KK: "Сұр — көрші аумақтар; нүктелер — елді мекендер (ауданы халық санына пропорционал), ең ірі {shown} / {total}.", RU: "Серым — соседние территории; точки — населённые пункты (площадь пропорциональна населению), крупнейшие {shown} из {total}.", EN: "Grey: neighbouring areas; dots: settlements (area proportional to population), the largest {shown} of {total}."},
	"sources":       {KK: "Дереккөздер", RU: "Источники", EN: "Sources"},
	"osm":           {KK: "Карта деректері © OpenStreetMap қатысушылары, ODbL лицензиясы.", RU: "Картографические данные © участники OpenStreetMap, лицензия ODbL.", EN: "Map data © OpenStreetMap contributors, ODbL."},
	"footer":        {KK: "aimaq — өңірлік даму жоспарлауына арналған геоталдау. Барлық сандар API-мен бірдей (/api/areas), осы есептеудің нәтижесі.", RU: "aimaq — геоаналитика для регионального планирования. Все цифры совпадают с API (/api/areas) для этого расчёта.", EN: "aimaq — geospatial analytics for regional planning. Every figure is the API's (/api/areas) for this run."},
	"synthetic":     {KK: "СИНТЕТИКАЛЫҚ деректер: нақты сандар емес", RU: "СИНТЕТИЧЕСКИЕ данные: не реальные цифры", EN: "SYNTHETIC data: not real figures"},
	"scale":         {KK: "км", RU: "км", EN: "km"},
	"directionNote": {KK: "Бағыты", RU: "Направление", EN: "Direction"},

	"unit.km":      {KK: "км", RU: "км", EN: "km"},
	"unit.min":     {KK: "мин", RU: "мин", EN: "min"},
	"unit.density": {KK: "адам/км²", RU: "чел./км²", EN: "people/km²"},
	"unit.per10k":  {KK: "10 000 тұрғынға", RU: "на 10 000 жителей", EN: "per 10,000 people"},
	"unit.per1k":   {KK: "1 000 тұрғынға", RU: "на 1 000 жителей", EN: "per 1,000 people"},

	"dir.lower-better":  {KK: "неғұрлым аз болса, соғұрлым жақсы", RU: "чем меньше, тем лучше", EN: "lower is better"},
	"dir.higher-better": {KK: "неғұрлым көп болса, соғұрлым жақсы", RU: "чем больше, тем лучше", EN: "higher is better"},
	"dir.neutral":       {KK: "бейтарап көрсеткіш", RU: "нейтральный показатель", EN: "neither higher nor lower is better"},

	"method.network":       {KK: "жол желісі бойынша", RU: "по дорожной сети", EN: "road network"},
	"method.straight-line": {KK: "түзу сызық", RU: "по прямой", EN: "straight-line"},
	"method.mixed":         {KK: "аралас", RU: "смешанный", EN: "mixed"},
	"method.statistics":    {KK: "статистика", RU: "статистика", EN: "statistics"},
	"method.estimated":     {KK: "бағалау", RU: "оценка", EN: "estimated"},
	"method.city":          {KK: "бүкіл қала", RU: "весь город", EN: "whole city"},

	"methodNote.network":       {KK: "жол желісі бойынша — жол желісі бойынша өлшенген", RU: "по дорожной сети — измерено по дорожной сети", EN: "road network: measured along the road network"},
	"methodNote.straight-line": {KK: "түзу сызық — жолдар бойынша емес, түзу сызықпен өлшенген (геодезиялық) қашықтық", RU: "по прямой — расстояние по прямой (геодезическое), а не по дорогам", EN: "straight-line: the geodesic distance, not measured along roads"},
	"methodNote.mixed":         {KK: "аралас — жартылай жол бойынша, жартылай түзу сызықпен", RU: "смешанный — частично по дорогам, частично по прямой", EN: "mixed: partly measured on roads, partly straight-line"},
	"methodNote.statistics":    {KK: "статистика — ресми статистика", RU: "статистика — официальная статистика", EN: "statistics: official statistics"},
	"methodNote.estimated":     {KK: "бағалау — халық саны басқа деректер бойынша, ал жол бойынша маршруты жоқ уақыт түзу сызықтағы қашықтық, қисықтық коэффициенті мен жылдамдық бойынша бағаланған", RU: "оценка — население по другим данным, время без маршрута по дорогам — по расстоянию по прямой, коэффициенту извилистости и скорости", EN: "estimated: a population from other data, or a time without a road route from the straight-line distance, a detour factor and a speed"},
	"methodNote.city":          {KK: "бүкіл қала — республикалық маңызы бар қаланың ауданы бүкіл қаланың көрсеткішін көрсетеді: деректерде әр ауданға емес, қалаға бір нүкте бар", RU: "весь город — район города республиканского значения показывает значение всего города: в данных одна точка на город, а не на каждый район", EN: "whole city: a district of a city of republican significance shows the whole city's figure; the data hold one point for the city, not one per district"},
}

// reportWordsIn is the report's words in one language.
func reportWordsIn(l string) map[string]string {
	out := make(map[string]string, len(reportWords))
	for k, t := range reportWords {
		out[k] = t.Label(l)
	}
	return out
}

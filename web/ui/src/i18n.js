// UI strings of the planner's map in the three languages of the data (kk, ru, en).
// Feature names come from the tiles (name_kk / name_ru / name_en), the titles of indicators,
// levels and groups from the server's catalogue (textIn); only the chrome is here.

export const LANGS = ['kk', 'ru', 'en'];
export const DEFAULT_LANG = 'ru';

// Locales for number formatting in each UI language. Kazakh writes numbers like Russian
// (1 234 567,8), and Chromium's trimmed ICU formats 'kk' like English, so Kazakh uses ru-RU.
export const LOCALES = { kk: 'ru-RU', ru: 'ru-RU', en: 'en-GB' };

export const STRINGS = {
  en: {
    title: 'Aimaq — regional planning map of Kazakhstan',
    level: 'Level',
    noData: 'no data',
    dataUnavailable: 'Some map data could not be loaded from the server:',
    estimateNote: 'District populations are estimates: the official oblast population allocated by the population of OpenStreetMap settlements.',
    groupsTitle: 'Macroregions and agglomerations',
    groupBoundary: 'boundary (dashed)',
    settlementsTitle: 'Settlements (zoom in)',
    settlementOfficial: 'population from statistics',
    settlementEstimated: 'population estimated',
    population: 'Population',
    estimate: 'estimate',
    area: 'Area',
    density: 'Density',
    schools: 'Schools',
    medical: 'Medical facilities',
    placeType: 'Type',
    people: 'people',
    km2: 'km²',
    perKm2: 'people/km²',
    // Accessibility (settlement popup, "coloured by" control)
    accessTitle: 'Accessibility',
    accessLoading: 'loading…',
    notComputed: 'Accessibility not computed yet.',
    accessError: 'Accessibility could not be loaded.',
    straightLine: 'straight-line',
    straightLineTitle: 'The geodesic distance, not measured along roads',
    estimated: 'estimated',
    assumed: 'assumed',
    estimatedTitle: 'No road route: estimated from the straight-line distance, a detour factor and a speed',
    // The district centre in a settlement's popup, and how it was found (area.centre_source)
    districtCentre: 'District centre',
    centreSource: {
      reference: { label: 'reference', title: 'From the reference table of district centres (a cited source), matched to the mapped settlement' },
      'reference-approximate': { label: 'reference, approximate point', title: 'From the reference table of district centres; no mapped settlement of that name, so at the table’s approximate coordinates' },
      derived: { label: 'derived by rule: no reference row', title: 'No reference row for this district: the centre is a guess by rule (the oblast centre, else the largest city, town or village)' },
    },
    needsOsm: 'needs an OpenStreetMap extract',
    needsOsmList: 'Needs an OpenStreetMap extract',
    srsTitle: 'Regional standards',
    srs: { health_ok: 'Health facility', school_ok: (km) => `School within ${km} km`, road_ok: 'Paved road access', score: 'Standards met' },
    na: 'n/a',
    yes: 'yes',
    no: 'no',
    units: { km: 'km', min: 'min', m: 'm' },
    colorBy: 'Settlements coloured by',
    colorNone: 'none',
    colorNoValues: 'No values in view: this indicator needs an OpenStreetMap extract.',
    colorZoomIn: 'Zoom in to see settlements.',
    colorNoData: 'not computed',
    place: {
      city: 'city', town: 'town', village: 'village', hamlet: 'hamlet',
      isolated_dwelling: 'isolated dwelling',
    },
  },
  ru: {
    title: 'Аймақ — карта регионального планирования Казахстана',
    level: 'Уровень',
    noData: 'нет данных',
    dataUnavailable: 'Не удалось загрузить с сервера часть данных карты:',
    estimateNote: 'Население районов — оценка: официальная численность населения области распределена пропорционально населению населённых пунктов OpenStreetMap.',
    groupsTitle: 'Макрорегионы и агломерации',
    groupBoundary: 'граница (пунктир)',
    settlementsTitle: 'Населённые пункты (при приближении)',
    settlementOfficial: 'население по статистике',
    settlementEstimated: 'население — оценка',
    population: 'Население',
    estimate: 'оценка',
    area: 'Площадь',
    density: 'Плотность',
    schools: 'Школы',
    medical: 'Медицинские организации',
    placeType: 'Тип',
    people: 'чел.',
    km2: 'км²',
    perKm2: 'чел./км²',
    // Доступность (карточка населённого пункта, выбор раскраски)
    accessTitle: 'Доступность',
    accessLoading: 'загрузка…',
    notComputed: 'Доступность ещё не рассчитана.',
    accessError: 'Не удалось загрузить доступность.',
    straightLine: 'по прямой',
    straightLineTitle: 'Расстояние по прямой (геодезическое), а не по дорогам',
    estimated: 'оценка',
    assumed: 'допущение',
    estimatedTitle: 'Маршрута по дорогам нет: оценка по расстоянию по прямой, коэффициенту извилистости и скорости',
    districtCentre: 'Районный центр',
    centreSource: {
      reference: { label: 'справочник', title: 'Из справочника районных центров (с указанием источника), сопоставлен с населённым пунктом на карте' },
      'reference-approximate': { label: 'справочник, приблизительная точка', title: 'Из справочника районных центров; населённого пункта с таким названием на карте нет, поэтому по приблизительным координатам справочника' },
      derived: { label: 'выбран по правилу: нет в справочнике', title: 'Района нет в справочнике: центр выбран по правилу — это предположение (центр области, иначе крупнейший город, посёлок или село)' },
    },
    needsOsm: 'нужна выгрузка OpenStreetMap',
    needsOsmList: 'Нужна выгрузка OpenStreetMap',
    srsTitle: 'Региональные стандарты',
    srs: { health_ok: 'Медицинская организация', school_ok: (km) => `Школа в пределах ${km} км`, road_ok: 'Дорога с твёрдым покрытием', score: 'Выполнено стандартов' },
    na: 'н/п',
    yes: 'да',
    no: 'нет',
    units: { km: 'км', min: 'мин', m: 'м' },
    colorBy: 'Цвет населённых пунктов',
    colorNone: 'нет',
    colorNoValues: 'В видимой области нет значений: для этого показателя нужна выгрузка OpenStreetMap.',
    colorZoomIn: 'Приблизьте карту, чтобы увидеть населённые пункты.',
    colorNoData: 'не рассчитано',
    place: {
      city: 'город', town: 'малый город', village: 'село', hamlet: 'малое село',
      isolated_dwelling: 'отдельное жильё',
    },
  },
  kk: {
    title: 'Аймақ — Қазақстанның өңірлік жоспарлау картасы',
    level: 'Деңгей',
    noData: 'деректер жоқ',
    dataUnavailable: 'Карта деректерінің бір бөлігі серверден жүктелмеді:',
    estimateNote: 'Аудандардың халқы — бағалау: облыстың ресми халық саны OpenStreetMap елді мекендерінің халқына пропорционал бөлінген.',
    groupsTitle: 'Макроөңірлер мен агломерациялар',
    groupBoundary: 'шекара (үзік сызық)',
    settlementsTitle: 'Елді мекендер (жақындатқанда)',
    settlementOfficial: 'халқы статистика бойынша',
    settlementEstimated: 'халқы — бағалау',
    population: 'Халқы',
    estimate: 'бағалау',
    area: 'Аумағы',
    density: 'Тығыздығы',
    schools: 'Мектептер',
    medical: 'Медициналық ұйымдар',
    placeType: 'Түрі',
    people: 'адам',
    km2: 'км²',
    perKm2: 'адам/км²',
    // Қолжетімділік (елді мекен карточкасы, түс бойынша таңдау)
    accessTitle: 'Қолжетімділік',
    accessLoading: 'жүктелуде…',
    notComputed: 'Қолжетімділік әлі есептелмеген.',
    accessError: 'Қолжетімділік жүктелмеді.',
    straightLine: 'түзу сызық',
    straightLineTitle: 'Жолдар бойынша емес, түзу сызықпен өлшенген (геодезиялық) қашықтық',
    estimated: 'бағалау',
    assumed: 'болжам',
    estimatedTitle: 'Жол бойынша маршрут жоқ: түзу сызықтағы қашықтық, қисықтық коэффициенті мен жылдамдық бойынша бағалау',
    districtCentre: 'Аудан орталығы',
    centreSource: {
      reference: { label: 'анықтамалық', title: 'Аудан орталықтарының анықтамалығынан (дереккөзі көрсетілген), картадағы елді мекенмен сәйкестендірілген' },
      'reference-approximate': { label: 'анықтамалық, шамамен алынған нүкте', title: 'Аудан орталықтарының анықтамалығынан; картада мұндай атауы бар елді мекен жоқ, сондықтан анықтамалықтың шамамен алынған координаттары бойынша' },
      derived: { label: 'ереже бойынша таңдалған: анықтамалықта жоқ', title: 'Аудан анықтамалықта жоқ: орталық ереже бойынша таңдалған — бұл болжам (облыс орталығы, әйтпесе ең ірі қала, кент немесе ауыл)' },
    },
    needsOsm: 'OpenStreetMap үзіндісі қажет',
    needsOsmList: 'OpenStreetMap үзіндісі қажет',
    srsTitle: 'Өңірлік стандарттар',
    srs: { health_ok: 'Медициналық ұйым', school_ok: (km) => `${km} км ішінде мектеп`, road_ok: 'Қатты жабынды жол', score: 'Орындалған стандарттар' },
    na: 'қолданылмайды',
    yes: 'иә',
    no: 'жоқ',
    units: { km: 'км', min: 'мин', m: 'м' },
    colorBy: 'Елді мекендердің түсі',
    colorNone: 'жоқ',
    colorNoValues: 'Көрінетін аумақта мән жоқ: бұл көрсеткішке OpenStreetMap үзіндісі қажет.',
    colorZoomIn: 'Елді мекендерді көру үшін картаны жақындатыңыз.',
    colorNoData: 'есептелмеген',
    place: {
      city: 'қала', town: 'шағын қала', village: 'ауыл', hamlet: 'шағын ауыл',
      isolated_dwelling: 'жеке қоныс',
    },
  },
};

// Strings of the indicator choropleth and the disparity panel (issue 4), merged into STRINGS.
const CHOROPLETH_STRINGS = {
  en: {
    indicator: 'Indicator',
    method: 'Classes',
    classes: 'Number of classes',
    breaks: 'Class breaks (ascending, comma-separated)',
    breaksInvalid: 'Enter ascending numbers separated by commas, e.g. 5, 10, 25',
    apply: 'Apply',
    methods: {
      auto: 'Automatic (from the distribution)', jenks: 'Natural breaks (Jenks)', quantile: 'Quantiles', equal: 'Equal intervals',
      headtail: 'Head/tail breaks', manual: 'Manual breaks',
    },
    headtailNote: 'Head/tail breaks choose the number of classes themselves.',
    indicatorGroups: {
      population: 'Population and statistics', distance: 'Distances', time: 'Travel times',
      share: 'Population within reach', standards: 'Regional standards', capacity: 'Capacity (2SFCA)', other: 'Other',
    },
    unavailable: 'not computed',
    direction: {
      'lower-better': 'Lower is better', 'higher-better': 'Higher is better',
      neutral: 'Neither higher nor lower is better',
    },
    provenance: {
      statistics: 'statistics', estimated: 'estimated', network: 'road network',
      'straight-line': 'straight-line', mixed: 'mixed', city: 'whole city', synthetic: 'synthetic',
    },
    provenanceTitle: {
      statistics: 'Official statistics', estimated: 'Estimated: a population from other data, or a time without a road route from the straight-line distance, a detour factor and a speed',
      network: 'Measured along the road network', 'straight-line': 'The geodesic distance, not measured along roads',
      mixed: 'Partly measured on roads, partly straight-line', city: 'A district of a city of republican significance shows the whole city’s figure: the data hold one point for the city, not one per district', synthetic: 'Synthetic data for testing, not real figures',
    },
    countHeader: { districts: 'districts', oblasts: 'oblasts', macroregions: 'groups' },
    choroplethError: 'The classes of this indicator could not be loaded from the server.',
    choroplethNoValues: 'This indicator has no values in the latest compute run.',
    per10k: 'per 10,000 people',
    per1k: 'per 1,000 people',
    disparityTitle: 'Disparities between areas',
    logScale: 'logarithmic scale',
    disparityOver: (n, level) => `${n} ${level}, grouped by macroregion and agglomeration`,
    levelPlural: { district: 'districts', oblast: 'oblasts' },
    disparityMacroNote: 'At the macroregion level the indices are computed over oblasts grouped by macroregion.',
    staleData: (run) => `These figures come from computation no. ${run}; the data has changed since, and the next computation will update them.`,
    substituted: (asked) => `The link asks for “${asked}”, which has no values in the latest computation: the map shows another indicator.`,
    disparityUnavailable: 'Disparity indices are not available for this indicator.',
    disparityLoading: 'loading…',
    mean: 'Mean',
    indices: {
      theil_t: 'Theil T', theil_l: 'Theil L (mean log deviation)', gini: 'Gini',
      williamson: 'Williamson CV (weighted)', cv: 'Coefficient of variation', atkinson_05: 'Atkinson, ε = 0.5',
      atkinson_1: 'Atkinson, ε = 1', max_min: 'Max / min', best_worst: 'Best / worst group',
    },
    between: 'between groups', within: 'within groups',
    groupsChart: 'Group means, sorted by value',
    best: 'best', worst: 'worst',
    undefinedIndex: 'undefined',
    groupPopulation: 'population', groupUnits: 'areas',
  },
  ru: {
    indicator: 'Показатель',
    method: 'Классы',
    classes: 'Число классов',
    breaks: 'Границы классов (по возрастанию, через запятую)',
    breaksInvalid: 'Введите возрастающие числа через запятую, например 5; 10; 25',
    apply: 'Применить',
    methods: {
      auto: 'Автоматически (по распределению)', jenks: 'Естественные интервалы (Дженкс)', quantile: 'Квантили', equal: 'Равные интервалы',
      headtail: 'Разбиение «голова/хвост»', manual: 'Заданные границы',
    },
    headtailNote: 'При разбиении «голова/хвост» число классов определяется данными.',
    indicatorGroups: {
      population: 'Население и статистика', distance: 'Расстояния', time: 'Время в пути',
      share: 'Доля населения в пределах досягаемости', standards: 'Региональные стандарты', capacity: 'Обеспеченность (2SFCA)', other: 'Прочие',
    },
    unavailable: 'не рассчитан',
    direction: {
      'lower-better': 'Чем меньше, тем лучше', 'higher-better': 'Чем больше, тем лучше',
      neutral: 'Нейтральный показатель: ни больше, ни меньше не лучше',
    },
    provenance: {
      statistics: 'статистика', estimated: 'оценка', network: 'по дорожной сети',
      'straight-line': 'по прямой', mixed: 'смешанный', city: 'весь город', synthetic: 'синтетические данные',
    },
    provenanceTitle: {
      statistics: 'Официальная статистика', estimated: 'Оценка: население — по другим данным, время без маршрута по дорогам — по расстоянию по прямой, коэффициенту извилистости и скорости',
      network: 'Измерено по дорожной сети', 'straight-line': 'Расстояние по прямой (геодезическое), а не по дорогам',
      mixed: 'Частично по дорогам, частично по прямой', city: 'Район города республиканского значения показывает значение всего города: в данных одна точка на город, а не на каждый район', synthetic: 'Синтетические данные для проверки, не реальные цифры',
    },
    countHeader: { districts: 'районов', oblasts: 'областей', macroregions: 'групп' },
    choroplethError: 'Не удалось загрузить с сервера классы этого показателя.',
    choroplethNoValues: 'В последнем расчёте нет значений этого показателя.',
    per10k: 'на 10 000 жителей',
    per1k: 'на 1 000 жителей',
    disparityTitle: 'Различия между территориями',
    logScale: 'логарифмическая шкала',
    disparityOver: (n, level) => `${level}: ${n}, по макрорегионам и агломерациям`,
    levelPlural: { district: 'Районов', oblast: 'Областей' },
    disparityMacroNote: 'На уровне макрорегионов индексы рассчитаны по областям, сгруппированным по макрорегионам.',
    staleData: (run) => `Эти показатели — из расчёта № ${run}; с тех пор данные изменились, следующий расчёт их обновит.`,
    substituted: (asked) => `Ссылка ведёт к показателю «${asked}», для которого в последнем расчёте нет значений: карта показывает другой показатель.`,
    disparityUnavailable: 'Индексы неравенства для этого показателя недоступны.',
    disparityLoading: 'загрузка…',
    mean: 'Среднее',
    indices: {
      theil_t: 'Индекс Тейла T', theil_l: 'Индекс Тейла L (среднее логарифмическое отклонение)', gini: 'Индекс Джини',
      williamson: 'Коэффициент Уильямсона (взвешенный)', cv: 'Коэффициент вариации', atkinson_05: 'Индекс Аткинсона, ε = 0,5',
      atkinson_1: 'Индекс Аткинсона, ε = 1', max_min: 'Макс. / мин.', best_worst: 'Лучшая / худшая группа',
    },
    between: 'между группами', within: 'внутри групп',
    groupsChart: 'Средние по группам, по убыванию',
    best: 'лучшая', worst: 'худшая',
    undefinedIndex: 'не определён',
    groupPopulation: 'население', groupUnits: 'территорий',
  },
  kk: {
    indicator: 'Көрсеткіш',
    method: 'Кластар',
    classes: 'Кластар саны',
    breaks: 'Кластар шекаралары (өсу ретімен, үтір арқылы)',
    breaksInvalid: 'Өсу ретімен сандарды үтір арқылы енгізіңіз, мысалы 5; 10; 25',
    apply: 'Қолдану',
    methods: {
      auto: 'Автоматты (үлестірім бойынша)', jenks: 'Табиғи үзілістер (Дженкс)', quantile: 'Квантильдер', equal: 'Тең аралықтар',
      headtail: '«Бас/құйрық» бөлу', manual: 'Берілген шекаралар',
    },
    headtailNote: '«Бас/құйрық» бөлуде кластар санын деректер анықтайды.',
    indicatorGroups: {
      population: 'Халық және статистика', distance: 'Қашықтықтар', time: 'Жол уақыты',
      share: 'Қолжетімді аймақтағы халық үлесі', standards: 'Өңірлік стандарттар', capacity: 'Қамтамасыз етілу (2SFCA)', other: 'Басқа',
    },
    unavailable: 'есептелмеген',
    direction: {
      'lower-better': 'Неғұрлым аз болса, соғұрлым жақсы', 'higher-better': 'Неғұрлым көп болса, соғұрлым жақсы',
      neutral: 'Бейтарап көрсеткіш',
    },
    provenance: {
      statistics: 'статистика', estimated: 'бағалау', network: 'жол желісі бойынша',
      'straight-line': 'түзу сызық', mixed: 'аралас', city: 'бүкіл қала', synthetic: 'синтетикалық деректер',
    },
    provenanceTitle: {
      statistics: 'Ресми статистика', estimated: 'Бағалау: халық саны — басқа деректер бойынша, жол бойынша маршруты жоқ уақыт — түзу сызықтағы қашықтық, қисықтық коэффициенті мен жылдамдық бойынша',
      network: 'Жол желісі бойынша өлшенген', 'straight-line': 'Жолдар бойынша емес, түзу сызықпен өлшенген (геодезиялық) қашықтық',
      mixed: 'Жартылай жол бойынша, жартылай түзу сызықпен', city: 'Республикалық маңызы бар қаланың ауданы бүкіл қаланың көрсеткішін көрсетеді: деректерде әр ауданға емес, қалаға бір нүкте бар', synthetic: 'Тексеруге арналған синтетикалық деректер',
    },
    countHeader: { districts: 'аудан', oblasts: 'облыс', macroregions: 'топ' },
    choroplethError: 'Бұл көрсеткіштің кластары серверден жүктелмеді.',
    choroplethNoValues: 'Соңғы есептеуде бұл көрсеткіштің мәндері жоқ.',
    per10k: '10 000 тұрғынға',
    per1k: '1 000 тұрғынға',
    disparityTitle: 'Аумақтар арасындағы айырмашылықтар',
    logScale: 'логарифмдік шкала',
    disparityOver: (n, level) => `${level}: ${n}, макроөңірлер мен агломерациялар бойынша`,
    levelPlural: { district: 'Аудандар', oblast: 'Облыстар' },
    disparityMacroNote: 'Макроөңір деңгейінде индекстер макроөңірлер бойынша топтастырылған облыстар бойынша есептелген.',
    staleData: (run) => `Бұл көрсеткіштер № ${run} есептеуден алынған; содан бері деректер өзгерді, келесі есептеу оларды жаңартады.`,
    substituted: (asked) => `Сілтеме «${asked}» көрсеткішіне апарады, соңғы есептеуде оның мәндері жоқ: картада басқа көрсеткіш көрсетілген.`,
    disparityUnavailable: 'Бұл көрсеткіш үшін теңсіздік индекстері қолжетімсіз.',
    disparityLoading: 'жүктелуде…',
    mean: 'Орташа',
    indices: {
      theil_t: 'Тейл T индексі', theil_l: 'Тейл L индексі (орташа логарифмдік ауытқу)', gini: 'Джини индексі',
      williamson: 'Уильямсон коэффициенті (салмақталған)', cv: 'Вариация коэффициенті', atkinson_05: 'Аткинсон индексі, ε = 0,5',
      atkinson_1: 'Аткинсон индексі, ε = 1', max_min: 'Макс. / мин.', best_worst: 'Ең жақсы / ең нашар топ',
    },
    between: 'топтар арасында', within: 'топтар ішінде',
    groupsChart: 'Топтардың орташа мәндері, кему ретімен',
    best: 'ең жақсы', worst: 'ең нашар',
    undefinedIndex: 'анықталмаған',
    groupPopulation: 'халқы', groupUnits: 'аумақ',
  },
};
for (const lang of Object.keys(CHOROPLETH_STRINGS)) Object.assign(STRINGS[lang], CHOROPLETH_STRINGS[lang]);

// layout (issue 10.1): the bottom sheets of narrow screens, landmarks' labels, and the
// popups' "what it means, where it comes from, what would add it" for planners (10.4).
// No shell command here: the operator is pointed to the README instead.
const LAYOUT_STRINGS = {
  en: {
    mapRegion: 'Map',
    langGroup: 'Language',
    sheetsNav: 'Panels',
    sheetControls: 'Legend and settings',
    sheetDisparity: 'Disparities',
    aboutFigures: 'What these figures mean',
    figureSource: 'Source',
    neededData: { facilities: 'schools and health facilities', roads: 'roads' },
    missingData: (what) => `Loading an OpenStreetMap extract (${what}) would add these figures (for the operator: see README, section “Accessibility”).`,
    notComputedYet: 'Accessibility has not been computed yet; it appears after the next computation (for the operator: see README, section “Accessibility”).',
    colorNotComputedYet: 'No values in view: accessibility has not been computed yet (for the operator: see README, section “Accessibility”).',
  },
  ru: {
    mapRegion: 'Карта',
    langGroup: 'Язык',
    sheetsNav: 'Панели',
    sheetControls: 'Легенда и настройки',
    sheetDisparity: 'Различия',
    aboutFigures: 'Что означают эти показатели',
    figureSource: 'Источник',
    neededData: { facilities: 'школы и медицинские организации', roads: 'дороги' },
    missingData: (what) => `Эти показатели появятся после загрузки выгрузки OpenStreetMap (нужны: ${what}; для администратора: README, раздел «Accessibility»).`,
    notComputedYet: 'Доступность ещё не рассчитана; она появится после следующего расчёта (для администратора: README, раздел «Accessibility»).',
    colorNotComputedYet: 'В видимой области нет значений: доступность ещё не рассчитана (для администратора: README, раздел «Accessibility»).',
  },
  kk: {
    mapRegion: 'Карта',
    langGroup: 'Тіл',
    sheetsNav: 'Панельдер',
    sheetControls: 'Шартты белгілер мен баптаулар',
    sheetDisparity: 'Айырмашылықтар',
    aboutFigures: 'Бұл көрсеткіштер нені білдіреді',
    figureSource: 'Дереккөзі',
    neededData: { facilities: 'мектептер мен медициналық ұйымдар', roads: 'жолдар' },
    missingData: (what) => `Бұл көрсеткіштер OpenStreetMap үзіндісі жүктелгеннен кейін пайда болады (қажет: ${what}; әкімшіге: README, «Accessibility» бөлімі).`,
    notComputedYet: 'Қолжетімділік әлі есептелмеген; ол келесі есептеуден кейін пайда болады (әкімшіге: README, «Accessibility» бөлімі).',
    colorNotComputedYet: 'Көрінетін аумақта мән жоқ: қолжетімділік әлі есептелмеген (әкімшіге: README, «Accessibility» бөлімі).',
  },
};
for (const lang of Object.keys(LAYOUT_STRINGS)) Object.assign(STRINGS[lang], LAYOUT_STRINGS[lang]);

// runs (issue 10.6): comparing the map with an earlier computation, and the indices over the
// computations in the disparity panel.
const RUNS_STRINGS = {
  en: {
    compareWith: 'Compare with computation',
    compareNone: 'no comparison',
    compareRun: (id, date) => `no. ${id}${date ? ` of ${date}` : ''}`,
    changeSince: (id, date) => `Change since computation no. ${id}${date ? ` (${date})` : ''}: latest value minus that one`,
    historyTitle: 'Indices over the computations',
    runShort: '#',
  },
  ru: {
    compareWith: 'Сравнить с расчётом',
    compareNone: 'без сравнения',
    compareRun: (id, date) => `№ ${id}${date ? ` от ${date}` : ''}`,
    changeSince: (id, date) => `Изменение с расчёта № ${id}${date ? ` (${date})` : ''}: последнее значение минус прежнее`,
    historyTitle: 'Индексы по расчётам',
    runShort: '№',
  },
  kk: {
    compareWith: 'Есептеумен салыстыру',
    compareNone: 'салыстырусыз',
    compareRun: (id, date) => `№ ${id}${date ? `, ${date}` : ''}`,
    changeSince: (id, date) => `№ ${id} есептеуден${date ? ` (${date})` : ''} бергі өзгеріс: соңғы мән минус бұрынғы мән`,
    historyTitle: 'Есептеулер бойынша индекстер',
    runShort: '№',
  },
};
for (const lang of Object.keys(RUNS_STRINGS)) Object.assign(STRINGS[lang], RUNS_STRINGS[lang]);

// download (issue 10.5): the map view as a PNG and the table as CSV, the texts drawn into the
// picture (the date line, the synthetic-data warning), and the popup's link to the printable
// report of an area (/report/{level}/{code}).
const EXPORT_STRINGS = {
  en: {
    downloadTitle: 'Download',
    downloadPng: 'Map view (PNG)',
    downloadPngHint: 'The map as shown, with its title, legend, scale, sources and date',
    downloadCsv: 'Table (CSV)',
    downloadCsvHint: 'Every area of this level with this indicator, for a spreadsheet',
    downloadBusy: 'Preparing the picture…',
    downloadDone: 'The picture is saved.',
    downloadFailed: 'The picture could not be made.',
    exportMade: (date) => `Made ${date}`,
    exportRun: (id, date) => `computation no. ${id}${date ? ` of ${date}` : ''}`,
    exportSynthetic: 'SYNTHETIC DATA: not real figures',
    reportLink: 'Printable report of this area',
  },
  ru: {
    downloadTitle: 'Скачать',
    downloadPng: 'Вид карты (PNG)',
    downloadPngHint: 'Карта как на экране, с заголовком, легендой, масштабом, источниками и датой',
    downloadCsv: 'Таблица (CSV)',
    downloadCsvHint: 'Все территории этого уровня с этим показателем, для электронной таблицы',
    downloadBusy: 'Подготовка изображения…',
    downloadDone: 'Изображение сохранено.',
    downloadFailed: 'Не удалось подготовить изображение.',
    exportMade: (date) => `Дата выгрузки: ${date}`,
    exportRun: (id, date) => `расчёт № ${id}${date ? ` от ${date}` : ''}`,
    exportSynthetic: 'СИНТЕТИЧЕСКИЕ ДАННЫЕ: не реальные цифры',
    reportLink: 'Отчёт по территории для печати',
  },
  kk: {
    downloadTitle: 'Жүктеп алу',
    downloadPng: 'Карта көрінісі (PNG)',
    downloadPngHint: 'Экрандағы карта: тақырыбы, шартты белгілері, масштабы, дереккөздері және күні',
    downloadCsv: 'Кесте (CSV)',
    downloadCsvHint: 'Осы деңгейдің барлық аумақтары осы көрсеткішпен, электрондық кестеге арналған',
    downloadBusy: 'Сурет дайындалуда…',
    downloadDone: 'Сурет сақталды.',
    downloadFailed: 'Сурет дайындалмады.',
    exportMade: (date) => `Жүктелген күні: ${date}`,
    exportRun: (id, date) => `№ ${id} есептеу${date ? `, ${date}` : ''}`,
    exportSynthetic: 'СИНТЕТИКАЛЫҚ ДЕРЕКТЕР: нақты сандар емес',
    reportLink: 'Аумақ бойынша басып шығаруға арналған есеп',
  },
};
for (const lang of Object.keys(EXPORT_STRINGS)) Object.assign(STRINGS[lang], EXPORT_STRINGS[lang]);

/**
 * A text of the server's catalogue ({ kk, ru, en }) in a language, falling back through the
 * others so a missing translation still shows one; '' when there is none.
 */
export function textIn(text, lang) {
  if (!text || typeof text !== 'object') return '';
  for (const l of [lang, 'ru', 'en', 'kk']) {
    if (text[l]) return String(text[l]);
  }
  return '';
}

/** Strings of a language, falling back to Russian for an unknown code. */
export function strings(lang) {
  return STRINGS[lang] || STRINGS[DEFAULT_LANG];
}

/**
 * A property in the wanted language, e.g. localized(p, 'name', 'kk') reads p.name_kk;
 * falls back through the other languages so a feature missing one name still shows one.
 */
export function localized(props, base, lang) {
  const order = [lang, 'ru', 'en', 'kk'];
  for (const l of order) {
    const v = props[`${base}_${l}`];
    if (v !== undefined && v !== null && String(v).trim() !== '') return String(v);
  }
  const plain = props[base];
  return plain === undefined || plain === null ? '' : String(plain);
}

// UI strings of the planner's map in the three languages of the data (kk, ru, en).
// Feature names come from the tiles (name_kk / name_ru / name_en); only the chrome is here.

export const LANGS = ['kk', 'ru', 'en'];
export const DEFAULT_LANG = 'ru';

// Locales for number formatting in each UI language. Kazakh writes numbers like Russian
// (1 234 567,8), and Chromium's trimmed ICU formats 'kk' like English, so Kazakh uses ru-RU.
export const LOCALES = { kk: 'ru-RU', ru: 'ru-RU', en: 'en-GB' };

export const STRINGS = {
  en: {
    title: 'Aimaq — regional planning map of Kazakhstan',
    level: 'Level',
    oblasts: 'Oblasts',
    districts: 'Districts',
    language: 'Language',
    legendTitle: 'Population density, people/km²',
    noData: 'no data',
    dataUnavailable: 'Some map data could not be loaded from the server:',
    estimateNote: 'District populations are estimates: the official oblast population allocated by the population of OpenStreetMap settlements.',
    groupsTitle: 'Macroregions and agglomerations',
    groupBoundary: 'boundary (dashed)',
    settlementsTitle: 'Settlements (zoom in)',
    settlementOfficial: 'population from statistics',
    settlementEstimated: 'population estimated',
    oblast: 'Oblast',
    district: 'District',
    population: 'Population',
    estimate: 'estimate',
    area: 'Area',
    density: 'Density',
    macroregion: 'Macroregion',
    agglomeration: 'Agglomeration',
    schools: 'Schools',
    medical: 'Medical facilities',
    placeType: 'Type',
    people: 'people',
    km2: 'km²',
    perKm2: 'people/km²',
    year: 'year',
    place: {
      city: 'city', town: 'town', village: 'village', hamlet: 'hamlet',
      isolated_dwelling: 'isolated dwelling',
    },
  },
  ru: {
    title: 'Аймақ — карта регионального планирования Казахстана',
    level: 'Уровень',
    oblasts: 'Области',
    districts: 'Районы',
    language: 'Язык',
    legendTitle: 'Плотность населения, чел./км²',
    noData: 'нет данных',
    dataUnavailable: 'Не удалось загрузить с сервера часть данных карты:',
    estimateNote: 'Население районов — оценка: официальная численность населения области распределена пропорционально населению населённых пунктов OpenStreetMap.',
    groupsTitle: 'Макрорегионы и агломерации',
    groupBoundary: 'граница (пунктир)',
    settlementsTitle: 'Населённые пункты (при приближении)',
    settlementOfficial: 'население по статистике',
    settlementEstimated: 'население — оценка',
    oblast: 'Область',
    district: 'Район',
    population: 'Население',
    estimate: 'оценка',
    area: 'Площадь',
    density: 'Плотность',
    macroregion: 'Макрорегион',
    agglomeration: 'Агломерация',
    schools: 'Школы',
    medical: 'Медицинские организации',
    placeType: 'Тип',
    people: 'чел.',
    km2: 'км²',
    perKm2: 'чел./км²',
    year: 'год',
    place: {
      city: 'город', town: 'малый город', village: 'село', hamlet: 'малое село',
      isolated_dwelling: 'отдельное жильё',
    },
  },
  kk: {
    title: 'Аймақ — Қазақстанның өңірлік жоспарлау картасы',
    level: 'Деңгей',
    oblasts: 'Облыстар',
    districts: 'Аудандар',
    language: 'Тіл',
    legendTitle: 'Халық тығыздығы, адам/км²',
    noData: 'деректер жоқ',
    dataUnavailable: 'Карта деректерінің бір бөлігі серверден жүктелмеді:',
    estimateNote: 'Аудандардың халқы — бағалау: облыстың ресми халық саны OpenStreetMap елді мекендерінің халқына пропорционал бөлінген.',
    groupsTitle: 'Макроөңірлер мен агломерациялар',
    groupBoundary: 'шекара (үзік сызық)',
    settlementsTitle: 'Елді мекендер (жақындатқанда)',
    settlementOfficial: 'халқы статистика бойынша',
    settlementEstimated: 'халқы — бағалау',
    oblast: 'Облыс',
    district: 'Аудан',
    population: 'Халқы',
    estimate: 'бағалау',
    area: 'Аумағы',
    density: 'Тығыздығы',
    macroregion: 'Макроөңір',
    agglomeration: 'Агломерация',
    schools: 'Мектептер',
    medical: 'Медициналық ұйымдар',
    placeType: 'Түрі',
    people: 'адам',
    km2: 'км²',
    perKm2: 'адам/км²',
    year: 'жыл',
    place: {
      city: 'қала', town: 'шағын қала', village: 'ауыл', hamlet: 'шағын ауыл',
      isolated_dwelling: 'жеке қоныс',
    },
  },
};

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

// aimaq planner's map: population density choropleth of Kazakhstan's oblasts and districts,
// macroregion / agglomeration outlines and settlements, all from the server's own vector
// tiles. Nothing is loaded from the internet: no basemap, fonts, glyphs or sprites (so the
// style has no symbol layers; names are shown in popups instead of map labels).

import * as maplibregl from './vendor/maplibre-gl.mjs';
import { LANGS, DEFAULT_LANG, LOCALES, strings, localized } from './i18n.js';

// ---------------------------------------------------------------------------------------
// Constants

/** Initial view: Kazakhstan, [west, south, east, north]. */
const KZ_BOUNDS = [46.5, 40.5, 87.3, 55.5];

const LAYERS = ['oblasts', 'districts', 'groups', 'settlements'];

// Population density classes, people/km². Kazakhstan spans <1 in the deserts to thousands
// in city districts, so the breaks are roughly logarithmic and fixed (comparable between
// levels and over time, unlike quantiles).
const DENSITY_BREAKS = [1, 2, 5, 10, 25, 100, 1000];
// ColorBrewer YlGnBu, 8 classes: sequential and colour-blind safe.
const DENSITY_COLORS = [
  '#ffffd9', '#edf8b1', '#c7e9b4', '#7fcdbb', '#41b6c4', '#1d91c0', '#225ea8', '#0c2c84',
];
const NO_DATA_COLOR = '#d9dde2';

// Outline colours of the macroregions and agglomerations: chosen away from the
// yellow-green-blue of the choropleth so the dashes stay visible on every class.
// Several spellings are accepted for a code because the groups are data, not code.
const GROUP_COLORS = [
  { codes: ['western', 'west'], color: '#e08214' },
  { codes: ['northern', 'north'], color: '#542788' },
  { codes: ['central_eastern', 'central-eastern', 'central_east', 'centraleastern'], color: '#c51b7d' },
  { codes: ['southern', 'south'], color: '#8c510a' },
  { codes: ['astana_agglomeration', 'astana'], color: '#000000' },
  { codes: ['almaty_agglomeration', 'almaty'], color: '#b2182b' },
];
const GROUP_FALLBACK_COLOR = '#4d4d4d';

const SETTLEMENT_COLOR = '#d7301f';

// Settlement indicators the circles can be coloured by (the settlement tiles carry them under
// the same names, absent where not computed). Fixed breaks in the indicator's unit, so colours
// mean the same everywhere and after a recompute. Distances and times use ColorBrewer YlOrRd
// (far = dark red); the standards score uses RdYlGn (none met = red, all met = green).
const FAR_COLORS = ['#ffffb2', '#fed976', '#feb24c', '#fd8d3c', '#f03b20', '#bd0026'];
const SETTLEMENT_COLOR_INDICATORS = [
  { name: 'district_centre_km', unit: 'km', breaks: [10, 25, 50, 100, 200], colors: FAR_COLORS },
  { name: 'oblast_centre_km', unit: 'km', breaks: [25, 50, 100, 200, 400], colors: FAR_COLORS },
  { name: 'town5k_km', unit: 'km', breaks: [10, 25, 50, 100, 200], colors: FAR_COLORS },
  // 3 km: beyond it pupils are entitled to free school transport.
  { name: 'school_km', unit: 'km', breaks: [1, 3, 5, 10, 25], colors: FAR_COLORS },
  // 30 min: the clinic threshold of the area indicators.
  { name: 'clinic_min', unit: 'min', breaks: [10, 20, 30, 60, 120], colors: FAR_COLORS },
  // srs_score is the share of applicable standards met: 0, 1/3, 1/2, 2/3 or 1.
  { name: 'srs_score', unit: 'share', breaks: [0.34, 0.67, 0.999], colors: ['#d7191c', '#fdae61', '#a6d96a', '#1a9641'] },
];

// What loads the data the facility and road indicators need; the server's own text
// (/api/indicators/settlement, load_hint) replaces it once fetched.
let loadHint = 'aimaq import osm kazakhstan-latest.osm.pbf && aimaq compute';
// Settlement indicators that need facilities or roads; from the same catalogue, with this
// fallback while it loads (or if it cannot be loaded).
let needsOsmData = new Set(['school_km', 'school_min', 'clinic_km', 'clinic_min', 'hospital_km',
  'hospital_min', 'paved_road_km', 'srs_score']);

// ---------------------------------------------------------------------------------------
// State: language and choropleth level, mirrored in the URL hash (#lang=en&level=oblasts).

const state = {
  lang: DEFAULT_LANG,
  level: 'districts', // which choropleth fills: 'districts' | 'oblasts'
  color: 'none', // settlement indicator the circles are coloured by, or 'none'
};

function readHash() {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const lang = params.get('lang');
  const level = params.get('level');
  const color = params.get('color');
  return {
    lang: LANGS.includes(lang) ? lang : DEFAULT_LANG,
    level: level === 'oblasts' || level === 'districts' ? level : 'districts',
    color: SETTLEMENT_COLOR_INDICATORS.some((c) => c.name === color) ? color : 'none',
  };
}

function writeHash() {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  params.set('lang', state.lang);
  if (state.level === 'districts') params.delete('level');
  else params.set('level', state.level);
  if (state.color === 'none') params.delete('color');
  else params.set('color', state.color);
  // replaceState: switching language should not fill the Back button's history.
  history.replaceState(null, '', `#${params.toString()}`);
}

// ---------------------------------------------------------------------------------------
// Style

/** Absolute URL of a layer's TileJSON, relative to the page (works behind a path prefix). */
function tileJSONURL(layer) {
  return new URL(`tiles/${layer}.json`, document.baseURI).href;
}

/** Is a feature property true? MVT has booleans, but accept string/number encodings too. */
function isTrue(v) {
  return v === true || v === 'true' || v === 1 || v === '1';
}
const IS_ESTIMATED = [
  'any',
  ['==', ['get', 'population_estimated'], true],
  ['==', ['get', 'population_estimated'], 'true'],
];

const HOVER = ['boolean', ['feature-state', 'hover'], false];

/** fill-color: step expression on density, grey where the feature has no density. */
function densityColorExpression() {
  const step = ['step', ['to-number', ['get', 'density'], -1], DENSITY_COLORS[0]];
  DENSITY_BREAKS.forEach((b, i) => step.push(b, DENSITY_COLORS[i + 1]));
  return ['case', ['has', 'density'], step, NO_DATA_COLOR];
}

function groupColorExpression() {
  const expr = ['match', ['get', 'code']];
  for (const g of GROUP_COLORS) expr.push(g.codes, g.color);
  expr.push(GROUP_FALLBACK_COLOR);
  return expr;
}

function groupColor(code) {
  const g = GROUP_COLORS.find((x) => x.codes.includes(code));
  return g ? g.color : GROUP_FALLBACK_COLOR;
}

/** Settlement radius in px by population (square-root scale), scaled by factor k. */
function settlementRadius(k) {
  const sqrtPop = ['sqrt', ['max', 0, ['to-number', ['get', 'population'], 0]]];
  return ['interpolate', ['linear'], sqrtPop,
    0, 2 * k, // isolated dwelling
    30, 3.5 * k, // ~900 people
    100, 5 * k, // 10 000
    316, 8 * k, // 100 000
    1000, 13 * k, // 1 million
    1500, 16 * k]; // Almaty
}

/** Paint of the settlement circles: by population type, or by the chosen indicator. */
function settlementPaint(color) {
  const c = SETTLEMENT_COLOR_INDICATORS.find((x) => x.name === color);
  if (!c) {
    return {
      'circle-color': ['case', IS_ESTIMATED, 'rgba(255, 255, 255, 0.55)', SETTLEMENT_COLOR],
      'circle-stroke-color': ['case', IS_ESTIMATED, SETTLEMENT_COLOR, '#ffffff'],
      'circle-stroke-width': ['case', IS_ESTIMATED, 1.4, 0.7],
    };
  }
  const value = ['to-number', ['get', c.name]];
  const step = ['step', value, c.colors[0]];
  c.breaks.forEach((b, i) => step.push(b, c.colors[i + 1]));
  return {
    // MVT has no null: a value not computed is an absent property, drawn grey.
    'circle-color': ['case', ['==', ['typeof', ['get', c.name]], 'number'], step, NO_DATA_COLOR],
    'circle-stroke-color': '#3e4c59',
    'circle-stroke-width': 0.6,
  };
}

function buildStyle() {
  const sources = {};
  for (const layer of LAYERS) sources[layer] = { type: 'vector', url: tileJSONURL(layer) };

  const fillPaint = {
    'fill-color': densityColorExpression(),
    'fill-opacity': 0.88,
  };

  return {
    version: 8,
    name: 'aimaq population density',
    // No "glyphs" or "sprite": both would be fetched, and there is no server for them.
    sources,
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#eef1f4' } },

      // Choropleths: only the active level is visible (see applyLevel).
      {
        id: 'districts-fill', type: 'fill', source: 'districts', 'source-layer': 'districts',
        paint: fillPaint,
      },
      {
        id: 'oblasts-fill', type: 'fill', source: 'oblasts', 'source-layer': 'oblasts',
        layout: { visibility: 'none' }, paint: fillPaint,
      },

      // District outlines: hairlines, thick when hovered (feature-state on the districts source).
      {
        id: 'districts-line', type: 'line', source: 'districts', 'source-layer': 'districts',
        paint: {
          'line-color': ['case', HOVER, '#111111', 'rgba(40, 48, 56, 0.45)'],
          'line-width': ['interpolate', ['linear'], ['zoom'],
            3, ['case', HOVER, 2.5, 0.25],
            8, ['case', HOVER, 3.5, 0.8],
            12, ['case', HOVER, 4.5, 1.5]],
        },
      },

      // Oblast borders, always drawn and thicker, on top of the district lines: a light
      // casing keeps them readable over the darkest classes.
      {
        id: 'oblasts-casing', type: 'line', source: 'oblasts', 'source-layer': 'oblasts',
        layout: { 'line-join': 'round' },
        paint: {
          'line-color': '#ffffff',
          'line-opacity': 0.7,
          'line-width': ['interpolate', ['linear'], ['zoom'], 3, 2.2, 8, 4, 12, 6],
        },
      },
      {
        id: 'oblasts-line', type: 'line', source: 'oblasts', 'source-layer': 'oblasts',
        layout: { 'line-join': 'round' },
        paint: {
          'line-color': '#2b2f33',
          'line-width': ['interpolate', ['linear'], ['zoom'],
            3, ['case', HOVER, 3, 1],
            8, ['case', HOVER, 4.5, 1.8],
            12, ['case', HOVER, 6, 2.6]],
        },
      },

      // Macroregions and agglomerations: dashed outlines, one colour per group.
      {
        id: 'groups-line', type: 'line', source: 'groups', 'source-layer': 'groups',
        paint: {
          'line-color': groupColorExpression(),
          'line-width': ['interpolate', ['linear'], ['zoom'], 3, 1.8, 8, 3, 12, 4],
          'line-dasharray': [2, 1.5],
          'line-opacity': 0.95,
        },
      },

      // Settlements from zoom 5: size by population; hollow where the population is estimated.
      {
        id: 'settlements-circle', type: 'circle', source: 'settlements', 'source-layer': 'settlements',
        minzoom: 5,
        layout: { 'circle-sort-key': ['to-number', ['get', 'population'], 0] },
        paint: {
          'circle-radius': ['interpolate', ['linear'], ['zoom'],
            5, settlementRadius(0.7), 9, settlementRadius(1.1), 13, settlementRadius(1.8)],
          ...settlementPaint(state.color),
          'circle-opacity': 0.9,
        },
      },
    ],
  };
}

/** The fill layer and its source for a choropleth level. */
function activeFill() {
  return state.level === 'oblasts'
    ? { layer: 'oblasts-fill', source: 'oblasts' }
    : { layer: 'districts-fill', source: 'districts' };
}

// ---------------------------------------------------------------------------------------
// Formatting and small DOM helpers

function fmt(n, maxFraction = 0) {
  return new Intl.NumberFormat(LOCALES[state.lang], {
    maximumFractionDigits: maxFraction,
    minimumFractionDigits: 0,
  }).format(n);
}

function num(v) {
  if (v === undefined || v === null || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/** Density with precision that suits its size: 0.37, 4.2, 58, 2 410. */
function fmtDensity(d) {
  return fmt(d, d < 10 ? 2 : d < 100 ? 1 : 0);
}

/** Create an element with text; text goes through textContent, so data is never HTML. */
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k === 'style') e.style.cssText = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

// ---------------------------------------------------------------------------------------
// Legend

function renderLegend() {
  const t = strings(state.lang);
  const rows = document.getElementById('legend-rows');
  rows.replaceChildren();
  for (let i = 0; i < DENSITY_COLORS.length; i++) {
    const lo = i === 0 ? null : DENSITY_BREAKS[i - 1];
    const hi = i < DENSITY_BREAKS.length ? DENSITY_BREAKS[i] : null;
    const label = lo === null ? `< ${fmt(hi)}` : hi === null ? `≥ ${fmt(lo)}` : `${fmt(lo)} – ${fmt(hi)}`;
    rows.append(el('div', { class: 'legend-row', 'data-class': String(i) },
      el('span', { class: 'swatch', style: `background:${DENSITY_COLORS[i]}` }),
      el('span', { class: 'legend-label' }, label)));
  }
  rows.append(el('div', { class: 'legend-item legend-nodata' },
    el('span', { class: 'swatch swatch-nodata' }),
    el('span', { class: 'legend-label' }, t.noData)));
  renderGroupLegend();
}

/** Groups seen in the tiles so far, by code. */
const seenGroups = new Map();

/**
 * One legend entry per macroregion / agglomeration, named from the group tiles (the groups
 * are data, so their names are read from the features rather than written here).
 */
function renderGroupLegend() {
  const t = strings(state.lang);
  const box = document.getElementById('legend-groups');
  const map = window.aimaqMap;
  if (map && map.getSource('groups')) {
    try {
      // querySourceFeatures sees only the loaded tiles, so remember every group seen:
      // the legend should not shrink when the map is panned.
      for (const f of map.querySourceFeatures('groups', { sourceLayer: 'groups' })) {
        const p = f.properties || {};
        const key = p.code || localized(p, 'name', 'en');
        if (key && !seenGroups.has(key)) seenGroups.set(key, p);
      }
    } catch {
      // source not loaded yet: fall through to the generic entry
    }
  }
  const groups = seenGroups;
  box.replaceChildren();
  if (groups.size === 0) {
    box.append(el('div', { class: 'legend-item' },
      el('span', { class: 'line-sample', style: `color:${GROUP_FALLBACK_COLOR}` }),
      el('span', {}, t.groupBoundary)));
    return;
  }
  // Macroregions first, then agglomerations, each by name.
  const sorted = [...groups.values()].sort((a, b) => {
    const ka = a.kind === 'agglomeration' ? 1 : 0;
    const kb = b.kind === 'agglomeration' ? 1 : 0;
    return ka - kb || localized(a, 'name', state.lang).localeCompare(localized(b, 'name', state.lang));
  });
  for (const p of sorted) {
    box.append(el('div', { class: 'legend-item', 'data-group': p.code || '' },
      el('span', { class: 'line-sample', style: `color:${groupColor(p.code)}` }),
      el('span', {}, localized(p, 'name', state.lang))));
  }
}

// ---------------------------------------------------------------------------------------
// Popups

/** The popup on screen and what it shows, so a language switch can re-render it. */
let popup = null;
let popupFeature = null; // { kind, props, id, access: { state, report } }

function row(label, ...value) {
  return el('tr', {}, el('th', { scope: 'row' }, label), el('td', {}, ...value));
}

function populationCell(props, withYear = false) {
  const t = strings(state.lang);
  const pop = num(props.population);
  if (pop === null) return [t.noData];
  const out = [`${fmt(pop)} ${t.people}`];
  const year = num(props.population_year);
  if (withYear && year !== null) out.push(` (${year})`);
  if (isTrue(props.population_estimated)) out.push(' ', el('span', { class: 'estimate' }, `(${t.estimate})`));
  return out;
}

function areaRows(props) {
  const t = strings(state.lang);
  const rows = [];
  const area = num(props.area_km2);
  if (area !== null) rows.push(row(t.area, `${fmt(area, area < 100 ? 1 : 0)} ${t.km2}`));
  const d = num(props.density);
  if (d !== null) rows.push(row(t.density, `${fmtDensity(d)} ${t.perKm2}`));
  return rows;
}

function groupRow(props) {
  const t = strings(state.lang);
  const name = localized(props, 'group_name', state.lang);
  if (!name) return null;
  const code = String(props.group_code || '');
  return row(code.includes('agglomeration') ? t.agglomeration : t.macroregion, name);
}

function renderPopupContent({ kind, props, access }) {
  const t = strings(state.lang);
  const name = localized(props, 'name', state.lang) || '—';
  const box = el('div', { class: `popup popup-${kind}`, lang: state.lang });
  box.append(el('h3', { class: 'popup-name' }, name));
  const table = el('table');

  if (kind === 'settlements') {
    if (props.place) table.append(row(t.placeType, t.place[props.place] || props.place));
    table.append(row(t.population, ...populationCell(props)));
    const district = localized(props, 'district_name', state.lang);
    if (district) table.append(row(t.district, district));
    const oblast = localized(props, 'oblast_name', state.lang);
    if (oblast) table.append(row(t.oblast, oblast));
  } else {
    if (kind === 'districts') {
      const oblast = localized(props, 'oblast_name', state.lang);
      if (oblast) box.append(el('p', { class: 'popup-parent' }, `${t.oblast}: ${oblast}`));
    }
    table.append(row(t.population, ...populationCell(props, kind === 'oblasts')));
    for (const r of areaRows(props)) table.append(r);
    const g = groupRow(props);
    if (g) table.append(g);
    if (kind === 'oblasts') {
      const schools = num(props.schools);
      if (schools !== null) table.append(row(t.schools, fmt(schools)));
      const medical = num(props.medical);
      if (medical !== null) table.append(row(t.medical, fmt(medical)));
    }
  }
  box.append(table);
  if (kind === 'settlements' && access) box.append(renderAccess(access));
  return box;
}

// ---------------------------------------------------------------------------------------
// Settlement accessibility (GET api/settlements/{id}/access)

/** A figure's value with its unit: 12 km, 1.4 km, 35 min, 67 %. */
function fmtFigure(value, unit) {
  const t = strings(state.lang);
  if (unit === 'share') return `${fmt(value * 100)} %`;
  if (unit === 'bool') return value ? '✓' : '✗';
  const digits = value < 10 ? 1 : 0;
  return `${fmt(value, digits)} ${t.units[unit] || unit}`;
}

function straightLineBadge() {
  const t = strings(state.lang);
  return el('span', { class: 'badge badge-straight-line', title: t.straightLineTitle }, t.straightLine);
}

/** ✓ / ✗ / n/a of one standards check (null: not applicable, or not checkable yet). */
function srsCell(v) {
  const t = strings(state.lang);
  if (v === null || v === undefined) return el('span', { class: 'srs srs-na', 'data-srs': 'na' }, t.na);
  return v
    ? el('span', { class: 'srs srs-ok', 'data-srs': 'ok', title: t.yes }, '✓')
    : el('span', { class: 'srs srs-fail', 'data-srs': 'fail', title: t.no }, '✗');
}

function indicatorLabel(name) {
  return strings(state.lang).indicators[name] || name;
}

/** The accessibility part of a settlement popup, in one of its states. */
function renderAccess({ state: st, report }) {
  const t = strings(state.lang);
  const box = el('section', { class: 'popup-access', 'data-state': st });
  box.append(el('h4', {}, t.accessTitle));
  if (st === 'loading') {
    box.append(el('p', { class: 'popup-note' }, t.accessLoading));
    return box;
  }
  if (st === 'unavailable') {
    box.append(el('p', { class: 'popup-note' }, t.notComputed, ' ', el('code', {}, t.notComputedHint)));
    return box;
  }
  if (st !== 'ready' || !report) {
    box.append(el('p', { class: 'popup-note' }, t.accessError));
    return box;
  }

  const table = el('table', { class: 'access-figures' });
  const missing = [];
  for (const f of report.indicators || []) {
    const v = num(f.value);
    if (v === null) {
      missing.push(f);
      continue;
    }
    const cell = [fmtFigure(v, f.unit)];
    if (f.method === 'straight-line') cell.push(' ', straightLineBadge());
    table.append(el('tr', { 'data-indicator': f.indicator },
      el('th', { scope: 'row' }, indicatorLabel(f.indicator)), el('td', {}, ...cell)));
  }
  if (table.childElementCount) box.append(table);

  const srs = report.srs || {};
  box.append(el('h4', {}, t.srsTitle));
  const srsTable = el('table', { class: 'access-srs' });
  for (const key of ['health_ok', 'school_ok', 'road_ok']) {
    srsTable.append(el('tr', { 'data-srs-check': key }, el('th', { scope: 'row' }, t.srs[key]), el('td', {}, srsCell(srs[key]))));
  }
  const score = num(srs.score);
  srsTable.append(el('tr', { 'data-srs-check': 'score' }, el('th', { scope: 'row' }, t.srs.score),
    el('td', {}, score === null ? srsCell(null) : fmtFigure(score, 'share'))));
  box.append(srsTable);

  // Values the loaded data cannot give: one note naming them and the command that loads
  // what they need, rather than a column of dashes.
  if (missing.length) {
    // A travel time missing with its distance adds nothing to the list: name the distance.
    const names = new Set(missing.map((f) => f.indicator));
    const listed = [...names].filter((n) => !(n.endsWith('_min') && names.has(n.replace(/_min$/, '_km'))));
    box.append(el('p', { class: 'popup-needs' },
      el('strong', {}, `${t.needsOsmList}:`), ' ', listed.map(indicatorLabel).join(', ')));
    box.append(el('p', { class: 'popup-needs' }, t.loadWith, ' ',
      el('code', { class: 'load-hint' }, report.load_hint || loadHint)));
  }
  return box;
}

/** The access request in flight, aborted when another feature is clicked. */
let accessRequest = null;

async function loadAccess(target) {
  if (accessRequest) accessRequest.abort();
  const ctrl = new AbortController();
  accessRequest = ctrl;
  const url = new URL(`api/settlements/${encodeURIComponent(target.id)}/access`, document.baseURI);
  let next;
  try {
    const res = await fetch(url, { signal: ctrl.signal, headers: { Accept: 'application/json' } });
    if (res.ok) next = { state: 'ready', report: await res.json() };
    // 404: no run yet, or not in it; 503: the server has no accessibility data.
    else if (res.status === 404 || res.status === 503) next = { state: 'unavailable' };
    else next = { state: 'error' };
  } catch (err) {
    if (ctrl.signal.aborted) return;
    console.warn(`aimaq map: settlement ${target.id} access: ${err}`);
    next = { state: 'error' };
  }
  if (accessRequest === ctrl) accessRequest = null;
  // The popup may have moved on while this was loading.
  if (popupFeature !== target) return;
  target.access = next;
  if (popup && popup.isOpen()) popup.setDOMContent(renderPopupContent(target));
}

function showPopup(map, lngLat, kind, props, id) {
  popupFeature = { kind, props, id, access: null };
  if (kind === 'settlements' && id !== undefined && id !== null) {
    popupFeature.access = { state: 'loading' };
  } else if (accessRequest) {
    accessRequest.abort();
    accessRequest = null;
  }
  if (!popup) {
    // closeOnClick off: the map's click handler below moves this popup to the clicked
    // feature (or removes it); MapLibre's own close-on-click would undo that right after.
    popup = new maplibregl.Popup({ closeButton: true, closeOnClick: false, maxWidth: '340px' });
    popup.on('close', () => { popupFeature = null; });
  }
  popup.setLngLat(lngLat).setDOMContent(renderPopupContent(popupFeature));
  if (!popup.isOpen()) popup.addTo(map);
  if (popupFeature.access) loadAccess(popupFeature);
}

// ---------------------------------------------------------------------------------------
// Settlements coloured by an accessibility indicator

/** The indicator catalogue (what each needs, the load hint), fetched once when first needed. */
let catalogue = null;

function loadCatalogue() {
  if (!catalogue) {
    catalogue = fetch(new URL('api/indicators/settlement', document.baseURI))
      .then((res) => (res.ok ? res.json() : Promise.reject(new Error(`HTTP ${res.status}`))))
      .then((body) => {
        if (body.load_hint) loadHint = body.load_hint;
        needsOsmData = new Set((body.indicators || []).filter((i) => (i.needs || []).length).map((i) => i.name));
      })
      .catch((err) => console.warn(`aimaq map: indicator catalogue: ${err}`));
  }
  return catalogue;
}

function colorIndicator() {
  return SETTLEMENT_COLOR_INDICATORS.find((c) => c.name === state.color) || null;
}

/** The select's options, labelled in the current language. */
function renderColorControl() {
  const t = strings(state.lang);
  const select = document.getElementById('settlement-color');
  select.replaceChildren(el('option', { value: 'none' }, t.colorNone));
  for (const c of SETTLEMENT_COLOR_INDICATORS) {
    const unit = c.unit === 'share' ? '%' : t.units[c.unit];
    select.append(el('option', { value: c.name }, `${indicatorLabel(c.name)}, ${unit}`));
  }
  select.value = state.color;
}

/** Legend rows of the settlement colour ramp. */
function renderColorLegend() {
  const t = strings(state.lang);
  const box = document.getElementById('settlement-color-legend');
  const c = colorIndicator();
  box.replaceChildren();
  box.hidden = !c;
  // The red-dot entries describe the uncoloured circles only.
  document.getElementById('settlement-default-legend').hidden = Boolean(c);
  if (!c) return;
  const value = (v) => (c.unit === 'share' ? `${fmt(v * 100)} %` : fmt(v));
  const unit = c.unit === 'share' ? '' : ` ${t.units[c.unit]}`;
  for (let i = 0; i < c.colors.length; i++) {
    const lo = i === 0 ? null : c.breaks[i - 1];
    const hi = i < c.breaks.length ? c.breaks[i] : null;
    let label;
    if (c.name === 'srs_score' && hi === null) label = '100 %';
    else if (lo === null) label = `< ${value(hi)}${unit}`;
    else if (hi === null) label = `≥ ${value(lo)}${unit}`;
    else label = `${value(lo)} – ${value(hi)}${unit}`;
    box.append(el('div', { class: 'legend-item ramp-row', 'data-class': String(i) },
      el('span', { class: 'dot dot-ramp', style: `background:${c.colors[i]}` }),
      el('span', { class: 'legend-label' }, label)));
  }
  box.append(el('div', { class: 'legend-item ramp-row' },
    el('span', { class: 'dot dot-ramp', style: `background:${NO_DATA_COLOR}` }),
    el('span', { class: 'legend-label' }, t.colorNoData)));
}

/**
 * Under the ramp: why there is nothing to colour. The settlements in view are asked after each
 * render settles (idle), so the note follows panning and zooming.
 */
function updateColorNote(map) {
  const note = document.getElementById('settlement-color-note');
  const c = colorIndicator();
  let kind = '';
  if (c && map.getLayer('settlements-circle')) {
    let features = [];
    try {
      features = map.queryRenderedFeatures({ layers: ['settlements-circle'] });
    } catch {
      return; // style still loading: the next idle asks again
    }
    if (features.length === 0) kind = 'zoom-in';
    else if (!features.some((f) => num((f.properties || {})[c.name]) !== null)) {
      kind = needsOsmData.has(c.name) ? 'no-values' : 'not-computed';
    }
  }
  const t = strings(state.lang);
  note.dataset.state = kind;
  note.hidden = kind === '';
  if (kind === 'zoom-in') note.replaceChildren(t.colorZoomIn);
  else if (kind === 'not-computed') note.replaceChildren(t.colorNotComputed);
  else if (kind === 'no-values') {
    note.replaceChildren(t.colorNoValues, ' ', t.loadWith, ' ', el('code', { class: 'load-hint' }, loadHint));
  }
}

function applyColor(map) {
  document.getElementById('settlement-color').value = state.color;
  renderColorLegend();
  if (map.getLayer('settlements-circle')) {
    for (const [k, v] of Object.entries(settlementPaint(state.color))) map.setPaintProperty('settlements-circle', k, v);
  }
  if (state.color !== 'none') {
    loadCatalogue().then(() => updateColorNote(map));
  }
  updateColorNote(map);
}

// ---------------------------------------------------------------------------------------
// UI wiring

function applyLanguage() {
  const t = strings(state.lang);
  document.documentElement.lang = state.lang;
  document.title = t.title;
  for (const node of document.querySelectorAll('[data-i18n]')) {
    const value = t[node.dataset.i18n];
    if (typeof value === 'string') node.textContent = value;
  }
  for (const b of document.querySelectorAll('#lang button')) {
    b.setAttribute('aria-pressed', String(b.dataset.lang === state.lang));
  }
  renderLegend();
  renderColorControl();
  renderColorLegend();
  if (window.aimaqMap) updateColorNote(window.aimaqMap);
  renderStatus();
  if (popup && popupFeature && popup.isOpen()) popup.setDOMContent(renderPopupContent(popupFeature));
}

function applyLevel(map) {
  for (const input of document.querySelectorAll('#level input')) input.checked = input.value === state.level;
  if (!map.getLayer('districts-fill')) return;
  const districts = state.level === 'districts';
  map.setLayoutProperty('districts-fill', 'visibility', districts ? 'visible' : 'none');
  map.setLayoutProperty('districts-line', 'visibility', districts ? 'visible' : 'none');
  map.setLayoutProperty('oblasts-fill', 'visibility', districts ? 'none' : 'visible');
  clearHover(map);
}

/** Sources whose TileJSON could not be loaded, shown in the panel's status line. */
const failedSources = new Set();

function renderStatus() {
  const box = document.getElementById('status');
  if (failedSources.size === 0) {
    box.hidden = true;
    return;
  }
  box.textContent = `${strings(state.lang).dataUnavailable} ${[...failedSources].join(', ')}`;
  box.hidden = false;
}

let hovered = null; // { source, id }

function clearHover(map) {
  if (hovered) {
    map.setFeatureState({ source: hovered.source, sourceLayer: hovered.source, id: hovered.id }, { hover: false });
    hovered = null;
  }
}

function setHover(map, source, id) {
  if (hovered && hovered.source === source && hovered.id === id) return;
  clearHover(map);
  if (id === undefined || id === null) return;
  hovered = { source, id };
  map.setFeatureState({ source, sourceLayer: source, id }, { hover: true });
}

function initMap() {
  const wide = window.innerWidth > 700;
  const map = new maplibregl.Map({
    container: 'map',
    style: buildStyle(),
    bounds: KZ_BOUNDS,
    // Keep the country clear of the floating panel on wide screens.
    fitBoundsOptions: { padding: wide ? { top: 20, bottom: 20, right: 20, left: 330 } : 10 },
    maxZoom: 16,
    renderWorldCopies: false,
    // Credits come from each source's TileJSON `attribution`, the same text GIS clients show.
    attributionControl: { compact: false },
  });
  window.aimaqMap = map; // for tests and for poking around in the console

  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  // Bottom-right, stacked above the attribution: a long attribution line wraps across the
  // bottom-left corner.
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right');

  // A missing layer or tile must not break the page (and must not be a console error while
  // the server is being built): report it as a warning instead of MapLibre's console.error.
  map.on('error', (e) => {
    const msg = e && e.error ? e.error.message || String(e.error) : 'unknown error';
    console.warn(`aimaq map: ${e.sourceId ? `source ${e.sourceId}: ` : ''}${msg}`);
    // A layer whose TileJSON failed leaves the map empty: say so in the panel. (A failed
    // tile comes with e.tile and only leaves a hole; MapLibre does not report 404 tiles.)
    if (e.sourceId && !e.tile) {
      failedSources.add(e.sourceId);
      renderStatus();
    }
  });

  // Ready for tests: the first idle with every requested tile loaded.
  const onIdle = () => {
    if (!map.areTilesLoaded()) return;
    map.off('idle', onIdle);
    document.body.dataset.mapReady = '1';
  };
  map.on('idle', onIdle);

  map.on('load', () => applyLevel(map));
  map.on('idle', () => {
    if (state.color !== 'none') updateColorNote(map);
  });

  // Group names for the legend arrive with the group tiles.
  map.on('sourcedata', (e) => {
    if (e.sourceId === 'groups' && e.isSourceLoaded) renderGroupLegend();
  });

  // Hover highlight on the active choropleth layer.
  map.on('mousemove', (e) => {
    const { layer, source } = activeFill();
    const f = map.getLayer(layer) ? map.queryRenderedFeatures(e.point, { layers: [layer] })[0] : null;
    map.getCanvas().style.cursor = f ? 'pointer' : '';
    setHover(map, source, f ? f.id : null);
  });
  map.getCanvas().addEventListener('mouseleave', () => clearHover(map));

  // Click: a settlement under the pointer (with a few pixels of slack) wins over the area.
  map.on('click', (e) => {
    const { x, y } = e.point;
    const slack = 4;
    let f = null;
    let kind = null;
    if (map.getLayer('settlements-circle')) {
      f = map.queryRenderedFeatures([[x - slack, y - slack], [x + slack, y + slack]],
        { layers: ['settlements-circle'] })[0] || null;
      if (f) kind = 'settlements';
    }
    if (!f) {
      const { layer, source } = activeFill();
      f = map.queryRenderedFeatures(e.point, { layers: [layer] })[0] || null;
      kind = source;
    }
    if (!f) {
      if (popup) popup.remove();
      return;
    }
    showPopup(map, e.lngLat, kind, f.properties || {}, f.id);
  });

  return map;
}

function main() {
  Object.assign(state, readHash());
  const map = initMap();

  for (const b of document.querySelectorAll('#lang button')) {
    b.addEventListener('click', () => {
      state.lang = b.dataset.lang;
      writeHash();
      applyLanguage();
    });
  }
  for (const input of document.querySelectorAll('#level input')) {
    input.addEventListener('change', () => {
      if (!input.checked) return;
      state.level = input.value;
      writeHash();
      applyLevel(map);
      if (popup) popup.remove();
    });
  }
  document.getElementById('settlement-color').addEventListener('change', (e) => {
    state.color = e.target.value;
    writeHash();
    applyColor(map);
  });
  window.addEventListener('hashchange', () => {
    const next = readHash();
    const langChanged = next.lang !== state.lang;
    const levelChanged = next.level !== state.level;
    const colorChanged = next.color !== state.color;
    Object.assign(state, next);
    if (langChanged) applyLanguage();
    if (levelChanged) applyLevel(map);
    if (colorChanged) applyColor(map);
  });

  writeHash();
  applyLanguage();
  if (state.color !== 'none') loadCatalogue().then(() => updateColorNote(map));
}

main();

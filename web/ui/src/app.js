// aimaq planner's map: choropleths of the area indicators (by district, oblast or
// macroregion, classified by the server), the disparity panel of the chosen indicator,
// macroregion / agglomeration outlines and settlements, all from the server's own vector
// tiles and API. Nothing is loaded from the internet: no basemap or sprites; the label glyphs
// (DejaVu Sans) come from the server's own fonts/{fontstack}/{range}.pbf.

import * as maplibregl from './vendor/maplibre-gl.mjs';
import { LANGS, DEFAULT_LANG, LOCALES, strings, localized } from './i18n.js';
import { el, num } from './dom.js';
import { renderDisparity } from './disparity.js';
import { AreaLabels } from './labels.js';

// ---------------------------------------------------------------------------------------
// Constants

/** Initial view: Kazakhstan, [west, south, east, north]. */
const KZ_BOUNDS = [46.5, 40.5, 87.3, 55.5];

const LAYERS = ['oblasts', 'districts', 'groups', 'settlements'];

/**
 * Choropleth levels: the UI's name (the radio value and the hash), the API's name and the
 * tile layer (source) filled. Macroregions fill the groups layer (macroregions and
 * agglomerations partition the country).
 */
const LEVELS = {
  districts: { api: 'district', source: 'districts', fill: 'districts-fill' },
  oblasts: { api: 'oblast', source: 'oblasts', fill: 'oblasts-fill' },
  macroregions: { api: 'macroregion', source: 'groups', fill: 'groups-fill' },
};
/** The hash also accepts the API's level names. */
const LEVEL_ALIASES = { district: 'districts', oblast: 'oblasts', macroregion: 'macroregions', groups: 'macroregions' };

const METHODS = ['jenks', 'quantile', 'equal', 'headtail', 'manual'];
const MIN_CLASSES = 3;
const MAX_CLASSES = 9;

const DEFAULTS = {
  level: 'districts',
  indicator: 'population_density',
  method: 'jenks',
  classes: 7,
};

// Population density classes, people/km², used only when the server cannot classify (no
// /api/choropleth): roughly logarithmic and fixed, coloured by the tiles' `density`.
const DENSITY_BREAKS = [1, 2, 5, 10, 25, 100, 1000];
// ColorBrewer YlGnBu, 8 classes: sequential and colour-blind safe.
const DENSITY_COLORS = [
  '#ffffd9', '#edf8b1', '#c7e9b4', '#7fcdbb', '#41b6c4', '#1d91c0', '#225ea8', '#0c2c84',
];

/**
 * The catalogue entry used when GET api/indicators is not there (an older server): the
 * density every area tile carries.
 */
const FALLBACK_CATALOGUE = [{
  name: 'population_density',
  unit: 'people/km²',
  direction: 'neutral',
  title: null, // from i18n: legendTitle
  levels: ['district', 'oblast', 'macroregion'],
  provenance: ['estimated'],
  available: true,
  local: true,
}];
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
// State, mirrored in the URL hash:
//   #lang=en&level=oblasts&indicator=oblast_centre_km_mean&method=quantile&classes=5
//    &breaks=10,25,50 (manual only)&map=5.2/48.1000/67.3000 (zoom/lat/lon)&color=school_km

const state = {
  lang: DEFAULT_LANG,
  level: DEFAULTS.level, // 'districts' | 'oblasts' | 'macroregions'
  indicator: DEFAULTS.indicator, // area indicator of the choropleth
  method: DEFAULTS.method,
  classes: DEFAULTS.classes,
  breaks: [], // manual breaks (ascending), used when method is 'manual'
  view: null, // { zoom, lat, lon } from the hash, applied once on load
  color: 'none', // settlement indicator the circles are coloured by, or 'none'
};

/** Ascending finite numbers from "1, 2.5, 10" (commas, semicolons or spaces), or null. */
function parseBreaks(text) {
  const parts = String(text || '').split(/[\s,;]+/).filter(Boolean);
  if (!parts.length) return null;
  const out = parts.map(Number);
  if (out.some((n) => !Number.isFinite(n))) return null;
  for (let i = 1; i < out.length; i++) if (!(out[i] > out[i - 1])) return null;
  return out;
}

function readHash() {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const lang = params.get('lang');
  let level = params.get('level');
  level = LEVEL_ALIASES[level] || level;
  const color = params.get('color');
  const method = params.get('method');
  const classes = Number(params.get('classes'));
  const breaks = parseBreaks(params.get('breaks')) || [];
  const indicator = params.get('indicator') || params.get('ind');
  let view = null;
  const m = /^(-?[\d.]+)\/(-?[\d.]+)\/(-?[\d.]+)$/.exec(params.get('map') || '');
  if (m) {
    const [zoom, lat, lon] = m.slice(1).map(Number);
    if ([zoom, lat, lon].every(Number.isFinite) && Math.abs(lat) <= 85 && Math.abs(lon) <= 180) view = { zoom, lat, lon };
  }
  return {
    lang: LANGS.includes(lang) ? lang : DEFAULT_LANG,
    level: LEVELS[level] ? level : DEFAULTS.level,
    // Checked against the catalogue once it has loaded (see resolveIndicator).
    indicator: indicator && /^[a-z0-9_]{1,64}$/.test(indicator) ? indicator : DEFAULTS.indicator,
    method: METHODS.includes(method) && (method !== 'manual' || breaks.length) ? method : DEFAULTS.method,
    classes: Number.isInteger(classes) && classes >= MIN_CLASSES && classes <= MAX_CLASSES ? classes : DEFAULTS.classes,
    breaks,
    view,
    color: SETTLEMENT_COLOR_INDICATORS.some((c) => c.name === color) ? color : 'none',
  };
}

/** The map position as the hash writes it: zoom/lat/lon. */
function viewParam(map) {
  const c = map.getCenter();
  return `${map.getZoom().toFixed(2)}/${c.lat.toFixed(4)}/${c.lng.toFixed(4)}`;
}

function writeHash() {
  const params = new URLSearchParams();
  params.set('lang', state.lang);
  params.set('level', state.level);
  params.set('indicator', state.indicator);
  params.set('method', state.method);
  if (state.method === 'manual') params.set('breaks', state.breaks.join(','));
  else params.set('classes', String(state.classes));
  if (state.color !== 'none') params.set('color', state.color);
  const map = window.aimaqMap;
  if (map) params.set('map', viewParam(map));
  else if (state.view) params.set('map', `${state.view.zoom}/${state.view.lat}/${state.view.lon}`);
  // replaceState: switching language should not fill the Back button's history. The commas
  // and slashes stay readable (URLSearchParams would escape them).
  const hash = `#${params.toString().replace(/%2C/g, ',').replace(/%2F/g, '/')}`;
  if (hash !== location.hash) history.replaceState(null, '', hash);
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

/** fill-color of the fallback: step expression on density, grey where a feature has none. */
function densityColorExpression() {
  const step = ['step', ['to-number', ['get', 'density'], -1], DENSITY_COLORS[0]];
  DENSITY_BREAKS.forEach((b, i) => step.push(b, DENSITY_COLORS[i + 1]));
  return ['case', ['has', 'density'], step, NO_DATA_COLOR];
}

/**
 * fill-color of a classified indicator. The class of each area comes first from its
 * feature-state `cls` (set from the values of api/choropleth, so the map agrees exactly with
 * the legend's counts, whichever side of a break the server puts a value equal to it), and
 * else from the tile's own property named like the indicator, through a step over the breaks.
 * Grey where neither is there.
 */
function choroplethColorExpression(ch) {
  if (!ch) return NO_DATA_COLOR;
  if (ch.local) return densityColorExpression();
  const cls = ['feature-state', 'cls'];
  const byClass = ['match', ['to-number', cls, -1]];
  ch.colors.forEach((c, i) => byClass.push(i, c));
  byClass.push(NO_DATA_COLOR);
  const value = ['get', ch.indicator];
  const step = ['step', ['to-number', value, 0], ch.colors[0]];
  let last = -Infinity;
  for (let i = 1; i < ch.colors.length; i++) {
    const b = ch.bounds[i];
    // step needs strictly ascending stops: a repeated break (ties in quantiles) adds none.
    if (!(b > last)) continue;
    step.push(b, ch.colors[i]);
    last = b;
  }
  // One class (or breaks all equal): no stops, one colour; a match needs at least one label.
  return ['case',
    ['==', ['typeof', cls], 'number'], ch.colors.length > 1 ? byClass : ch.colors[0],
    ['==', ['typeof', value], 'number'], step.length > 3 ? step : ch.colors[0],
    NO_DATA_COLOR];
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

// ---------------------------------------------------------------------------------------
// Labels: area names at points computed from the tiles (labels.js), settlement names from
// the settlement tiles. All in DejaVu Sans, served by the server itself.

const FONT = ['DejaVu Sans'];
const FONT_BOLD = ['DejaVu Sans Bold'];

/**
 * The glyph URL template, beside the page (works behind a path prefix). Built by hand: URL()
 * would percent-encode the braces MapLibre replaces.
 */
function glyphsURL() {
  return `${new URL('fonts/', document.baseURI).href}{fontstack}/{range}.pbf`;
}

/**
 * Label layers, each drawing the points of a GeoJSON source (areas) or the settlement tiles;
 * `level`: shown only at that choropleth level.
 */
const AREA_LABELS = [
  { layer: 'districts-label', source: 'districts', labels: 'districts-labels', level: 'districts' },
  { layer: 'groups-label', source: 'groups', labels: 'groups-labels', level: 'macroregions' },
  { layer: 'oblasts-label', source: 'oblasts', labels: 'oblasts-labels', level: null },
];
const LABEL_LAYERS = ['districts-label', 'settlements-label', 'groups-label', 'oblasts-label'];

/**
 * The name in `lang`: area names fall back to English; settlement names (often only the
 * local `name` of OpenStreetMap, in Cyrillic) fall back to that local name first in kk and
 * ru, then to English.
 */
function nameExpression(lang, { settlement = false } = {}) {
  const own = ['get', `name_${lang}`];
  if (!settlement) return ['coalesce', own, ['get', 'name_en'], ['get', 'name'], ''];
  if (lang === 'en') return ['coalesce', own, ['get', 'name'], ''];
  return ['coalesce', own, ['get', 'name'], ['get', 'name_en'], ''];
}

/** Are the oblast labels shown at this level? Not over the macroregions (their own names). */
function labelVisible(layer, level) {
  if (layer === 'settlements-label') return true;
  if (layer === 'oblasts-label') return level !== 'macroregions';
  const a = AREA_LABELS.find((x) => x.layer === layer);
  return !a || !a.level || a.level === level;
}

const HALO = {
  'text-halo-color': 'rgba(255, 255, 255, 0.92)',
  'text-halo-width': 1.6,
  'text-halo-blur': 0.4,
};

function labelLayers(lang, level) {
  const vis = (id) => ({ visibility: labelVisible(id, level) ? 'visible' : 'none' });
  const POP = ['to-number', ['get', 'population'], 0];
  return [
    // Districts from z6, at the districts level (their outlines are drawn only there).
    {
      id: 'districts-label', type: 'symbol', source: 'districts-labels', minzoom: 6,
      layout: {
        ...vis('districts-label'),
        'text-field': nameExpression(lang),
        'text-font': FONT,
        'text-size': ['interpolate', ['linear'], ['zoom'], 6, 9.5, 9, 11, 12, 13],
        // Spaced capitals: an area, not a place.
        'text-transform': 'uppercase',
        'text-letter-spacing': 0.08,
        'text-max-width': 9,
        'text-padding': 3,
        'symbol-sort-key': ['-', 0, POP],
      },
      paint: { 'text-color': '#616e7c', ...HALO },
    },
    // Settlements from z8, larger places first; hamlets and dwellings only from z10.
    {
      id: 'settlements-label', type: 'symbol', source: 'settlements', 'source-layer': 'settlements',
      minzoom: 8,
      filter: ['step', ['zoom'],
        ['match', ['get', 'place'], ['hamlet', 'isolated_dwelling'], false, true],
        10, true],
      layout: {
        ...vis('settlements-label'),
        'text-field': nameExpression(lang, { settlement: true }),
        'text-font': ['match', ['get', 'place'], 'city', ['literal', FONT_BOLD], ['literal', FONT]],
        'text-size': ['interpolate', ['linear'], ['zoom'],
          8, ['match', ['get', 'place'], 'city', 13, 'town', 11.5, 'village', 10, 9],
          12, ['match', ['get', 'place'], 'city', 17, 'town', 15, 'village', 13, 11.5]],
        'symbol-sort-key': ['-', 0, POP],
        'text-variable-anchor': ['top', 'bottom', 'right', 'left'],
        'text-radial-offset': ['match', ['get', 'place'], 'city', 1.1, 'town', 0.9, 0.7],
        'text-justify': 'auto',
        'text-max-width': 8,
        'text-padding': 2,
      },
      paint: {
        'text-color': ['match', ['get', 'place'], ['city', 'town'], '#1f2933', '#3e4c59'],
        ...HALO,
      },
    },
    // Macroregions and agglomerations, at the macroregion level, in their outline colour.
    {
      id: 'groups-label', type: 'symbol', source: 'groups-labels', minzoom: 3, maxzoom: 9,
      layout: {
        ...vis('groups-label'),
        'text-field': nameExpression(lang),
        'text-font': FONT_BOLD,
        'text-size': ['interpolate', ['linear'], ['zoom'], 3, 11, 6, 15, 9, 17],
        'text-max-width': 8,
        'text-letter-spacing': 0.04,
        // The agglomerations are small: drawn first so the macroregions give way.
        'symbol-sort-key': ['match', ['get', 'kind'], 'agglomeration', 0, 1],
      },
      paint: { 'text-color': groupColorExpression(), ...HALO, 'text-halo-width': 2 },
    },
    // Oblasts from z3 to z7 (context for the district choropleth too), on top.
    {
      id: 'oblasts-label', type: 'symbol', source: 'oblasts-labels', minzoom: 3, maxzoom: 7.5,
      layout: {
        ...vis('oblasts-label'),
        'text-field': nameExpression(lang),
        'text-font': FONT_BOLD,
        'text-size': ['interpolate', ['linear'], ['zoom'], 3, 9.5, 5, 12.5, 7, 15],
        'text-max-width': 8,
        'text-letter-spacing': 0.03,
        'text-padding': 1,
        // Nudged above or below its point rather than dropped when a neighbour's name is near.
        'text-variable-anchor': ['center', 'top', 'bottom'],
        // Larger oblasts first: the cities of republican significance give way at low zoom
        // (their settlement labels name them from z8).
        'symbol-sort-key': ['-', 0, ['to-number', ['get', 'area_km2'], 0]],
      },
      paint: {
        'text-color': '#1f2933',
        ...HALO,
        'text-halo-width': 1.8,
        // Fade out while the district names come in.
        'text-opacity': ['interpolate', ['linear'], ['zoom'], 6.5, 1, 7.5, 0.55],
      },
    },
  ];
}

/** Label points of the area sources, kept between updates (labels.js). */
const areaLabels = Object.fromEntries(AREA_LABELS.map((a) => [a.labels, new AreaLabels(a.source)]));

/**
 * Recompute the area label points from the loaded tiles of the sources whose labels are
 * shown; true when a label source got new data (it then loads, and another idle follows).
 */
function updateAreaLabels(map) {
  if (!styleLoaded) return false;
  let changed = false;
  const zoom = map.getZoom();
  for (const a of AREA_LABELS) {
    const layer = map.getLayer(a.layer);
    if (!layer || map.getLayoutProperty(a.layer, 'visibility') === 'none') continue;
    if (zoom < (layer.minzoom || 0) - 1 || zoom >= (layer.maxzoom || 24)) continue;
    const data = areaLabels[a.labels].update(map);
    const src = map.getSource(a.labels);
    if (data && src) {
      src.setData(data);
      changed = true;
    }
  }
  return changed;
}

/** Labels in the current language. */
function applyLabelLanguage(map) {
  if (!styleLoaded) return;
  for (const layer of labelLayers(state.lang, state.level)) {
    if (map.getLayer(layer.id)) map.setLayoutProperty(layer.id, 'text-field', layer.layout['text-field']);
  }
}

function buildStyle() {
  const sources = {};
  for (const layer of LAYERS) sources[layer] = { type: 'vector', url: tileJSONURL(layer) };
  for (const a of AREA_LABELS) {
    sources[a.labels] = { type: 'geojson', data: { type: 'FeatureCollection', features: [] } };
  }

  // Filled by the classification once it has loaded (applyChoropleth); grey until then.
  const fillPaint = {
    'fill-color': NO_DATA_COLOR,
    'fill-opacity': 0.88,
  };

  return {
    version: 8,
    name: 'aimaq population density',
    // Glyphs from the server itself; no "sprite" (there is none to fetch).
    glyphs: glyphsURL(),
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
      {
        id: 'groups-fill', type: 'fill', source: 'groups', 'source-layer': 'groups',
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
          'line-width': ['interpolate', ['linear'], ['zoom'],
            3, ['case', HOVER, 3.5, 1.8], 8, ['case', HOVER, 5, 3], 12, ['case', HOVER, 6, 4]],
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

      ...labelLayers(state.lang, state.level),
    ],
  };
}

/** The fill layer and its source for the active choropleth level. */
function activeFill() {
  const l = LEVELS[state.level];
  return { layer: l.fill, source: l.source };
}

// ---------------------------------------------------------------------------------------
// Formatting and small DOM helpers

function fmt(n, maxFraction = 0) {
  return new Intl.NumberFormat(LOCALES[state.lang], {
    maximumFractionDigits: maxFraction,
    minimumFractionDigits: 0,
  }).format(n);
}

/** Density with precision that suits its size: 0.37, 4.2, 58, 2 410. */
function fmtDensity(d) {
  return fmt(d, d < 10 ? 2 : d < 100 ? 1 : 0);
}

// ---------------------------------------------------------------------------------------
// Area indicator catalogue (GET api/indicators)

/** The catalogue: entries of api/indicators, or FALLBACK_CATALOGUE on an older server. */
let indicators = [];
/** Does the server say some loaded data is synthetic (tests, benchmarks)? */
let syntheticData = false;

function apiURL(path) {
  return new URL(path, document.baseURI);
}

async function loadIndicators() {
  try {
    const res = await fetch(apiURL('api/indicators'), { headers: { Accept: 'application/json' } });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const body = await res.json();
    const list = Array.isArray(body) ? body : body && body.indicators;
    if (!Array.isArray(list)) throw new Error('not a list');
    syntheticData = Boolean(body && body.synthetic);
    indicators = list.filter((i) => i && typeof i.name === 'string');
    if (!indicators.length) throw new Error('empty catalogue');
  } catch (err) {
    console.warn(`aimaq map: area indicator catalogue: ${err}; showing population density only`);
    indicators = FALLBACK_CATALOGUE;
  }
}

function indicatorInfo(name) {
  return indicators.find((i) => i.name === name) || null;
}

function isAvailable(info) {
  return Boolean(info) && info.available !== false;
}

/** API levels an indicator has (all three when the catalogue does not say). */
function indicatorLevels(info) {
  const levels = info && Array.isArray(info.levels) && info.levels.length ? info.levels : ['district', 'oblast', 'macroregion'];
  return Object.keys(LEVELS).filter((k) => levels.includes(LEVELS[k].api));
}

/** Keep the state on an indicator and level that exist; true when it changed anything. */
function resolveIndicator() {
  const before = `${state.indicator}|${state.level}`;
  if (!isAvailable(indicatorInfo(state.indicator))) {
    const fallback = isAvailable(indicatorInfo(DEFAULTS.indicator))
      ? DEFAULTS.indicator
      : (indicators.find(isAvailable) || indicators[0] || FALLBACK_CATALOGUE[0]).name;
    state.indicator = fallback;
  }
  const levels = indicatorLevels(indicatorInfo(state.indicator));
  if (levels.length && !levels.includes(state.level)) state.level = levels[0];
  return before !== `${state.indicator}|${state.level}`;
}

/** The section of the picker an indicator is listed under, from its name. */
function indicatorGroup(name) {
  if (/density|_stats$|per_10k|population/.test(name)) return 'population';
  if (/2sfca|fca|capacity/.test(name)) return 'capacity';
  if (/^share_/.test(name)) return 'share';
  if (/srs/.test(name)) return 'standards';
  if (/_min(_|$)/.test(name)) return 'time';
  if (/_km(_|$)/.test(name)) return 'distance';
  return 'other';
}
const INDICATOR_GROUP_ORDER = ['population', 'distance', 'time', 'share', 'standards', 'capacity', 'other'];

const FALLBACK_TITLE = { en: 'Population density', ru: 'Плотность населения', kk: 'Халық тығыздығы' };

function indicatorTitle(info) {
  if (!info) return '';
  const title = info.title || (info.name === 'population_density' ? FALLBACK_TITLE : null);
  if (title && typeof title === 'object') return title[state.lang] || title.ru || title.en || title.kk || info.name;
  if (typeof title === 'string' && title) return title;
  return info.name;
}

function indicatorDescription(info) {
  const d = info && info.description;
  if (d && typeof d === 'object') return d[state.lang] || d.ru || d.en || '';
  return typeof d === 'string' ? d : '';
}

/** A share (0..1) is shown in per cent. */
function isShareUnit(unit) {
  return /^(share|fraction|proportion)$/i.test(String(unit || '').trim());
}

/** The unit as shown, in the UI language where it is a known one. */
function unitLabel(unit) {
  const t = strings(state.lang);
  const u = String(unit || '').trim();
  if (!u) return '';
  if (isShareUnit(u) || /^(%|percent|pct)$/i.test(u)) return '%';
  if (/km(2|²)/i.test(u) && /(people|persons|inhabitants|per|\/)/i.test(u)) return t.perKm2;
  if (/^km$/i.test(u)) return t.units.km;
  if (/^min(utes?)?$/i.test(u)) return t.units.min;
  if (/^(per[ _]?10[ ,.]?000( people| inhabitants)?|per[ _]?10k)$/i.test(u)) return t.per10k;
  if (/^(per[ _]?1[ ,.]?000( people| inhabitants)?|per[ _]?1k)$/i.test(u)) return t.per1k;
  return u.replace(/km2/g, 'km²');
}

/** Fraction digits that suit a value's size: 0.372, 4.21, 58.3, 2 410. */
function autoDigits(v) {
  const a = Math.abs(v);
  if (a === 0 || a >= 100) return 0;
  if (a >= 10) return 1;
  if (a >= 1) return 2;
  return 3;
}

/** A value of the current indicator with its unit. */
function fmtValue(v, info = indicatorInfo(state.indicator), digits = null) {
  if (v === null || v === undefined || !Number.isFinite(v)) return strings(state.lang).noData;
  const unit = info ? info.unit : '';
  if (isShareUnit(unit)) return `${fmt(v * 100, digits ?? (Math.abs(v) < 0.1 ? 1 : 0))} %`;
  const label = unitLabel(unit);
  const s = fmt(v, digits ?? autoDigits(v));
  return label === '%' ? `${s} %` : label ? `${s} ${label}` : s;
}

// ---------------------------------------------------------------------------------------
// Choropleth (GET api/choropleth): classes, colours, counts and each area's value

/**
 * The classification on the map:
 *   { key, indicator, level, status: 'ready'|'local'|'novalues'|'error', message,
 *     method, bounds, colors, counts, values: Map(id → value), classOf: Map(id → class) }
 */
let choro = null;
let choroSeq = 0;
let styleLoaded = false;

function choroKey() {
  const m = state.method === 'manual' ? `manual:${state.breaks.join(',')}` : `${state.method}:${state.classes}`;
  return `${state.indicator}|${state.level}|${m}`;
}

/** Area id → class index, agreeing with the server's counts when they add up. */
function classesOf(values, bounds, counts) {
  const k = bounds.length - 1;
  const entries = [...values].sort((a, b) => a[1] - b[1]);
  const out = new Map();
  const total = Array.isArray(counts) ? counts.reduce((s, c) => s + (Number(c) || 0), 0) : -1;
  if (total === entries.length && counts.length === k) {
    // The sorted values fill the classes in order, counts[i] each: the same split as the
    // server's, whichever side of a break it puts a value equal to the break.
    let cls = 0;
    let used = 0;
    for (const [id] of entries) {
      while (cls < k - 1 && used >= counts[cls]) { cls++; used = 0; }
      out.set(id, cls);
      used++;
    }
  } else {
    for (const [id, v] of entries) out.set(id, classOfValue(v, bounds));
  }
  return out;
}

/** The class of a value by the bounds: a break is the upper end of its class. */
function classOfValue(v, bounds) {
  const k = bounds.length - 1;
  let c = 0;
  while (c < k - 1 && v > bounds[c + 1]) c++;
  return c;
}

/** The classification from a body of api/choropleth. */
function choroFromBody(body) {
  const legend = Array.isArray(body.legend) ? body.legend : [];
  let bounds = Array.isArray(body.bounds) ? body.bounds.map(Number) : [];
  let colors = Array.isArray(body.colors) ? body.colors.map(String) : [];
  let counts = Array.isArray(body.counts) ? body.counts.map(Number) : [];
  if ((!bounds.length || !colors.length) && legend.length) {
    bounds = [Number(legend[0].from), ...legend.map((l) => Number(l.to))];
    colors = legend.map((l) => String(l.color));
    counts = legend.map((l) => Number(l.count));
  }
  const k = colors.length;
  if (!k || bounds.length !== k + 1 || bounds.some((b) => !Number.isFinite(b))) {
    return { status: 'error', message: 'malformed classification' };
  }
  const values = new Map();
  for (const [id, v] of Object.entries(body.values || {})) {
    const n = num(v);
    if (n === null) continue;
    const fid = /^\d+$/.test(id) ? Number(id) : id;
    values.set(fid, n);
  }
  return {
    status: 'ready', method: body.method, bounds, colors,
    counts: counts.length === k ? counts : null,
    missing: num(body.missing),
    provenance: Array.isArray(body.provenance) ? body.provenance.map(String) : null,
    notes: Array.isArray(body.notes) ? body.notes.map(String) : [],
    direction: body.direction, values, classOf: classesOf(values, bounds, counts),
  };
}

/** The fixed density classes coloured from the tiles, when the server cannot classify. */
function localChoropleth() {
  const bounds = [0, ...DENSITY_BREAKS, Infinity];
  return {
    status: 'local', method: 'fixed', bounds, colors: DENSITY_COLORS, counts: null,
    values: new Map(), classOf: new Map(),
  };
}

async function errorMessage(res) {
  try {
    const body = await res.json();
    return body && body.error ? String(body.error) : `HTTP ${res.status}`;
  } catch {
    return `HTTP ${res.status}`;
  }
}

async function fetchChoropleth() {
  const info = indicatorInfo(state.indicator);
  if (info && info.local) return localChoropleth();
  const params = new URLSearchParams({
    indicator: state.indicator, level: LEVELS[state.level].api, method: state.method,
  });
  if (state.method === 'manual') params.set('breaks', state.breaks.join(','));
  else params.set('classes', String(state.classes));
  try {
    const res = await fetch(apiURL(`api/choropleth?${params}`), { headers: { Accept: 'application/json' } });
    if (res.ok) return choroFromBody(await res.json());
    const message = await errorMessage(res);
    // A server without the route still has the density in its tiles.
    if (res.status === 404 && state.indicator === 'population_density') return localChoropleth();
    return { status: res.status === 404 ? 'novalues' : 'error', message };
  } catch (err) {
    console.warn(`aimaq map: choropleth: ${err}`);
    return { status: 'error', message: String(err) };
  }
}

/** Paint the fills and set each area's class as feature-state on the active level's source. */
function applyChoropleth(map) {
  if (!styleLoaded || !choro) return;
  const usable = choro.status === 'ready' || choro.status === 'local';
  const expr = choroplethColorExpression(usable ? { ...choro, local: choro.status === 'local' } : null);
  for (const l of Object.values(LEVELS)) map.setPaintProperty(l.fill, 'fill-color', expr);
  const source = LEVELS[choro.level].source;
  map.removeFeatureState({ source, sourceLayer: source });
  for (const [id, cls] of choro.classOf || []) map.setFeatureState({ source, sourceLayer: source, id }, { cls });
  if (hovered && hovered.source === source) map.setFeatureState({ source, sourceLayer: source, id: hovered.id }, { hover: true });
}

/** Resolve on the next idle with every tile loaded (after a paint or feature-state change). */
function mapSettled(map) {
  return new Promise((resolve) => {
    const done = () => {
      if (!map.areTilesLoaded()) return;
      map.off('idle', done);
      resolve();
    };
    map.on('idle', done);
    map.triggerRepaint();
  });
}

/**
 * Fetch the classification and the disparity of the current state and show them. When both
 * are on screen and the map has rendered them, body[data-choropleth-ready] names the
 * indicator (and body[data-choropleth-key] the whole state) for tests.
 */
async function updateChoropleth(map) {
  const seq = ++choroSeq;
  delete document.body.dataset.choroplethReady;
  delete document.body.dataset.choroplethKey;
  const key = choroKey();
  const indicator = state.indicator;
  const level = state.level;
  renderControls();
  renderLegendHead();
  const disparity = loadDisparity(seq);
  const next = await fetchChoropleth();
  if (seq !== choroSeq) return;
  choro = { ...next, key, indicator, level };
  applyChoropleth(map);
  renderLegend();
  if (popup && popupFeature && popup.isOpen()) popup.setDOMContent(renderPopupContent(popupFeature));
  await disparity;
  if (seq !== choroSeq) return;
  renderDisparityPanel(); // bar colours follow the classes
  if (!styleLoaded) await new Promise((resolve) => map.once('load', resolve));
  await mapSettled(map);
  if (seq !== choroSeq) return;
  document.body.dataset.choroplethKey = key;
  document.body.dataset.choroplethReady = indicator;
}

/** The colour of a value in the current classes (the disparity chart's bars). */
function colorOfValue(v) {
  if (v === null || !choro || !(choro.status === 'ready' || choro.status === 'local')) return '#7b8794';
  return choro.colors[classOfValue(v, choro.bounds)];
}

// ---------------------------------------------------------------------------------------
// Legend

/** Title, unit, direction and provenance of the indicator: shown while its classes load. */
function renderLegendHead() {
  const t = strings(state.lang);
  const info = indicatorInfo(state.indicator);
  const unit = info ? unitLabel(info.unit) : '';
  const title = document.querySelector('#legend .legend-title');
  title.textContent = unit ? `${indicatorTitle(info)}, ${unit}` : indicatorTitle(info);
  title.title = indicatorDescription(info);
  title.dataset.indicator = state.indicator;

  const meta = document.getElementById('legend-meta');
  meta.replaceChildren();
  const direction = (choro && choro.indicator === state.indicator && choro.direction) || (info && info.direction) || '';
  if (t.direction[direction]) {
    const arrow = direction === 'lower-better' ? '↓ ' : direction === 'higher-better' ? '↑ ' : '';
    meta.append(el('span', { class: 'direction-note', 'data-direction': direction }, `${arrow}${t.direction[direction]}`));
  }
  // How the values were obtained: from the classification's own answer when it says, else
  // from the catalogue; "synthetic" whenever the server says some loaded data is.
  const fromChoro = choro && choro.indicator === state.indicator && choro.provenance;
  const provenance = [...new Set([...((fromChoro || (info && info.provenance)) || []),
    ...(syntheticData ? ['synthetic'] : [])])];
  for (const p of provenance) {
    meta.append(el('span', {
      class: `badge badge-provenance badge-${p}`, 'data-provenance': p, title: t.provenanceTitle[p] || p,
    }, t.provenance[p] || p));
  }
  const estimated = provenance.includes('estimated');
  document.getElementById('estimate-note').hidden = !(estimated && state.indicator === 'population_density');
}

/** Class digits: the fewest that tell every pair of neighbouring breaks apart. */
function boundDigits(bounds, share) {
  const finite = bounds.filter(Number.isFinite).map((b) => (share ? b * 100 : b));
  const nonzero = finite.filter((b) => b !== 0).map(Math.abs);
  let d = nonzero.length && Math.min(...nonzero) < 1 ? 1 : 0;
  for (; d < 6; d++) {
    if (new Set(finite.map((b) => fmt(b, d))).size === new Set(finite).size) break;
  }
  return d;
}

function renderLegend() {
  renderLegendHead();
  const t = strings(state.lang);
  const info = indicatorInfo(state.indicator);
  const rows = document.getElementById('legend-rows');
  const note = document.getElementById('legend-status');
  rows.replaceChildren();
  note.hidden = true;
  const box = document.getElementById('legend');
  box.dataset.indicator = choro ? choro.indicator : '';
  box.dataset.state = choro ? choro.status : 'loading';

  if (!choro || choro.indicator !== state.indicator) {
    renderGroupLegend();
    return;
  }
  if (choro.status === 'ready' || choro.status === 'local') {
    const share = info && isShareUnit(info.unit);
    const digits = boundDigits(choro.bounds, share);
    const v = (b) => fmt(share ? b * 100 : b, digits);
    const suffix = share ? ' %' : '';
    if (choro.counts) {
      rows.append(el('div', { class: 'legend-head' },
        el('span', { class: 'legend-head-range' }, unitLabel(info && info.unit)),
        el('span', { class: 'legend-count' }, t.countHeader[choro.level] || '')));
    }
    const k = choro.colors.length;
    for (let i = 0; i < k; i++) {
      const lo = choro.bounds[i];
      const hi = choro.bounds[i + 1];
      let label;
      if (!Number.isFinite(hi)) label = `≥ ${v(lo)}${suffix}`;
      else if (choro.status === 'local' && i === 0) label = `< ${v(hi)}${suffix}`;
      else label = `${v(lo)} – ${v(hi)}${suffix}`;
      const count = choro.counts ? choro.counts[i] : null;
      rows.append(el('div', {
        class: 'legend-row', 'data-class': String(i), 'data-from': String(lo), 'data-to': String(hi),
        'data-count': count === null ? undefined : String(count),
      },
      el('span', { class: 'swatch', style: `background:${choro.colors[i]}` }),
      el('span', { class: 'legend-label' }, label),
      count === null ? null : el('span', { class: 'legend-count' }, fmt(count))));
    }
    rows.append(el('div', { class: 'legend-item legend-nodata' },
      el('span', { class: 'swatch swatch-nodata' }),
      el('span', { class: 'legend-label' }, t.noData),
      choro.missing ? el('span', { class: 'legend-count' }, fmt(choro.missing)) : null));
    for (const n of choro.notes || []) rows.append(el('p', { class: 'legend-note legend-server-note' }, n));
    if (choro.status === 'local') {
      note.textContent = t.fixedBreaks;
      note.hidden = false;
    } else if (state.method === 'headtail') {
      note.textContent = t.headtailNote;
      note.hidden = false;
    }
  } else {
    note.textContent = choro.status === 'novalues' ? t.choroplethNoValues : `${t.choroplethError} (${choro.message || ''})`;
    note.hidden = false;
  }
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
// Disparity panel (GET api/disparity)

/** { status: 'loading'|'ready'|'unavailable', data, macroNote } of the panel. */
let disparity = { status: 'loading', data: null, macroNote: false };

async function loadDisparity(seq) {
  // The indices are defined over districts or oblasts; at the macroregion level the panel
  // shows the oblasts grouped by macroregion.
  const macro = state.level === 'macroregions';
  const level = macro ? 'oblast' : LEVELS[state.level].api;
  const info = indicatorInfo(state.indicator);
  disparity = { status: 'loading', data: null, macroNote: macro };
  renderDisparityPanel();
  let next;
  if ((info && info.local) || (info && !indicatorLevels(info).includes(macro ? 'oblasts' : state.level))) {
    // A server without api/indicators has no api/disparity either: ask nothing.
    next = { status: 'unavailable', data: null };
  } else {
    const params = new URLSearchParams({ indicator: state.indicator, level, grouping: 'macroregion' });
    try {
      const res = await fetch(apiURL(`api/disparity?${params}`), { headers: { Accept: 'application/json' } });
      if (res.ok) next = { status: 'ready', data: await res.json() };
      else next = { status: 'unavailable', data: null, message: await errorMessage(res) };
    } catch (err) {
      console.warn(`aimaq map: disparity: ${err}`);
      next = { status: 'unavailable', data: null };
    }
  }
  if (seq !== choroSeq) return;
  disparity = { ...next, macroNote: macro };
  renderDisparityPanel();
}

function renderDisparityPanel() {
  const t = strings(state.lang);
  const info = indicatorInfo(state.indicator);
  const box = document.getElementById('disparity');
  box.querySelector('.disparity-indicator').textContent = indicatorTitle(info);
  renderDisparity(box, {
    status: disparity.status,
    data: disparity.data,
    macroNote: disparity.macroNote,
    lang: state.lang,
    t,
    fmt,
    fmtValue: (v) => fmtValue(v, info),
    unitLabel: info ? unitLabel(info.unit) : '',
    colorOf: colorOfValue,
  });
}

// ---------------------------------------------------------------------------------------
// Choropleth controls: indicator, level, method, classes, manual breaks

function renderControls() {
  const t = strings(state.lang);
  const select = document.getElementById('indicator');
  const groups = new Map();
  for (const info of indicators) {
    const g = indicatorGroup(info.name);
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g).push(info);
  }
  select.replaceChildren();
  for (const g of INDICATOR_GROUP_ORDER) {
    const list = groups.get(g);
    if (!list) continue;
    const og = el('optgroup', { label: t.indicatorGroups[g] });
    for (const info of list) {
      const available = isAvailable(info);
      const unit = unitLabel(info.unit);
      const label = `${indicatorTitle(info)}${unit ? `, ${unit}` : ''}${available ? '' : ` — ${t.unavailable}`}`;
      og.append(el('option', {
        value: info.name,
        disabled: !available,
        title: available ? indicatorDescription(info) || undefined : `${t.needsOsm}${info.needs ? ` — ${info.needs}` : ''}`,
        'data-available': String(available),
      }, label));
    }
    select.append(og);
  }
  select.value = state.indicator;

  const levels = indicatorLevels(indicatorInfo(state.indicator));
  for (const input of document.querySelectorAll('#level input')) {
    input.checked = input.value === state.level;
    input.disabled = !levels.includes(input.value);
    input.closest('label').classList.toggle('disabled', input.disabled);
  }

  // The fallback density (an older server) has fixed classes: nothing to choose.
  const local = Boolean((indicatorInfo(state.indicator) || {}).local);
  const method = document.getElementById('method');
  method.replaceChildren(...METHODS.map((m) => el('option', { value: m }, t.methods[m])));
  method.value = state.method;
  method.disabled = local;

  const classes = document.getElementById('classes');
  if (!classes.options.length) {
    for (let k = MIN_CLASSES; k <= MAX_CLASSES; k++) classes.append(el('option', { value: String(k) }, String(k)));
  }
  classes.value = String(state.classes);
  classes.disabled = local || state.method === 'manual';

  const manual = state.method === 'manual';
  document.getElementById('breaks-control').hidden = !manual;
  const breaks = document.getElementById('breaks');
  if (manual && document.activeElement !== breaks) breaks.value = state.breaks.join(', ');
}

/** Manual breaks to start from: the inner bounds of the classes on screen, rounded. */
function suggestedBreaks() {
  if (!choro || choro.status !== 'ready') return [];
  const inner = choro.bounds.slice(1, -1);
  const out = [];
  for (const b of inner) {
    const r = Number(b.toPrecision(2));
    if (!out.length || r > out[out.length - 1]) out.push(r);
  }
  return out;
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

/** The row of the mapped indicator in an area popup, when the popup's level is on the map. */
function indicatorRow(kind, props, id) {
  if (!choro || choro.indicator !== state.indicator || LEVELS[choro.level].source !== kind) return null;
  const info = indicatorInfo(state.indicator);
  let v = choro.values && id !== undefined && id !== null ? choro.values.get(id) : undefined;
  if (v === undefined) v = num(props[state.indicator]);
  if (v === undefined || v === null) return null;
  return el('tr', { class: 'popup-indicator', 'data-indicator': state.indicator },
    el('th', { scope: 'row' }, indicatorTitle(info)), el('td', {}, fmtValue(v, info)));
}

function renderPopupContent({ kind, props, access, id }) {
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
    const ind = indicatorRow(kind, props, id);
    if (ind) table.append(ind);
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
  renderControls();
  renderLegend();
  renderDisparityPanel();
  renderColorControl();
  renderColorLegend();
  if (window.aimaqMap) {
    updateColorNote(window.aimaqMap);
    applyLabelLanguage(window.aimaqMap);
  }
  renderStatus();
  if (popup && popupFeature && popup.isOpen()) popup.setDOMContent(renderPopupContent(popupFeature));
}

/** Show the active level's fill (and the district hairlines only with the districts). */
function applyLevel(map) {
  for (const input of document.querySelectorAll('#level input')) input.checked = input.value === state.level;
  if (!styleLoaded) return;
  for (const [name, l] of Object.entries(LEVELS)) {
    map.setLayoutProperty(l.fill, 'visibility', name === state.level ? 'visible' : 'none');
  }
  map.setLayoutProperty('districts-line', 'visibility', state.level === 'districts' ? 'visible' : 'none');
  for (const id of LABEL_LAYERS) {
    if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', labelVisible(id, state.level) ? 'visible' : 'none');
  }
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
  const wide = window.innerWidth > 900;
  // A position from the URL wins; else the whole country, clear of the floating panels on
  // wide screens (the controls on the left, the disparity panel on the right).
  const view = state.view
    ? { center: [state.view.lon, state.view.lat], zoom: state.view.zoom }
    : {
      bounds: KZ_BOUNDS,
      fitBoundsOptions: { padding: wide ? { top: 20, bottom: 20, right: 310, left: 330 } : 10 },
    };
  const map = new maplibregl.Map({
    container: 'map',
    style: buildStyle(),
    ...view,
    maxZoom: 16,
    renderWorldCopies: false,
    // Credits come from each source's TileJSON `attribution`, the same text GIS clients show.
    attributionControl: { compact: false },
  });
  window.aimaqMap = map; // for tests and for poking around in the console

  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'bottom-right');
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

  // Area labels follow the loaded tiles; ready for tests: the first idle with every
  // requested tile loaded and the area labels placed.
  let ready = false;
  map.on('idle', () => {
    const changed = updateAreaLabels(map);
    if (ready || changed || !styleLoaded || !map.areTilesLoaded()) return;
    ready = true;
    document.body.dataset.mapReady = '1';
  });

  map.on('load', () => {
    styleLoaded = true;
    applyLevel(map);
    applyLabelLanguage(map);
    applyChoropleth(map);
  });
  // The position goes into the URL hash once the map comes to rest.
  map.on('moveend', () => writeHash());
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

/** Choropleth state changed by a control: hash, level visibility, new classes. */
function choroplethChanged(map, { levelChanged = false } = {}) {
  if (resolveIndicator()) levelChanged = true;
  writeHash();
  if (levelChanged) {
    applyLevel(map);
    if (popup) popup.remove();
  }
  updateChoropleth(map);
}

async function main() {
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
      choroplethChanged(map, { levelChanged: true });
    });
  }
  document.getElementById('indicator').addEventListener('change', (e) => {
    state.indicator = e.target.value;
    choroplethChanged(map, { levelChanged: true });
  });
  document.getElementById('method').addEventListener('change', (e) => {
    state.method = e.target.value;
    if (state.method === 'manual') {
      if (!state.breaks.length) state.breaks = suggestedBreaks();
      if (!state.breaks.length) {
        // Nothing to start from: wait for the user's breaks.
        renderControls();
        document.getElementById('breaks').focus();
        return;
      }
    }
    choroplethChanged(map);
  });
  document.getElementById('classes').addEventListener('change', (e) => {
    state.classes = Number(e.target.value);
    choroplethChanged(map);
  });
  document.getElementById('breaks-control').addEventListener('submit', (e) => {
    e.preventDefault();
    const input = document.getElementById('breaks');
    const breaks = parseBreaks(input.value);
    const error = document.getElementById('breaks-error');
    error.hidden = Boolean(breaks);
    input.setAttribute('aria-invalid', String(!breaks));
    if (!breaks) return;
    state.breaks = breaks;
    state.method = 'manual';
    choroplethChanged(map);
  });
  document.getElementById('settlement-color').addEventListener('change', (e) => {
    state.color = e.target.value;
    writeHash();
    applyColor(map);
  });
  window.addEventListener('hashchange', () => {
    const before = { ...state, key: choroKey() };
    const next = readHash();
    Object.assign(state, next);
    resolveIndicator();
    if (state.lang !== before.lang) applyLanguage();
    if (state.level !== before.level) applyLevel(map);
    if (choroKey() !== before.key) updateChoropleth(map);
    if (state.color !== before.color) applyColor(map);
    if (next.view) {
      const c = map.getCenter();
      const v = next.view;
      if (Math.abs(map.getZoom() - v.zoom) > 0.01 || Math.abs(c.lat - v.lat) > 1e-3 || Math.abs(c.lng - v.lon) > 1e-3) {
        map.jumpTo({ center: [v.lon, v.lat], zoom: v.zoom });
      }
    }
    writeHash();
  });

  applyLanguage();
  if (state.color !== 'none') loadCatalogue().then(() => updateColorNote(map));
  await loadIndicators();
  resolveIndicator();
  writeHash();
  applyLevel(map);
  applyLanguage();
  updateChoropleth(map);
}

main();

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

// ---------------------------------------------------------------------------------------
// State: language and choropleth level, mirrored in the URL hash (#lang=en&level=oblasts).

const state = {
  lang: DEFAULT_LANG,
  level: 'districts', // which choropleth fills: 'districts' | 'oblasts'
};

function readHash() {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const lang = params.get('lang');
  const level = params.get('level');
  return {
    lang: LANGS.includes(lang) ? lang : DEFAULT_LANG,
    level: level === 'oblasts' || level === 'districts' ? level : 'districts',
  };
}

function writeHash() {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  params.set('lang', state.lang);
  if (state.level === 'districts') params.delete('level');
  else params.set('level', state.level);
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
          'circle-color': ['case', IS_ESTIMATED, 'rgba(255, 255, 255, 0.55)', SETTLEMENT_COLOR],
          'circle-stroke-color': ['case', IS_ESTIMATED, SETTLEMENT_COLOR, '#ffffff'],
          'circle-stroke-width': ['case', IS_ESTIMATED, 1.4, 0.7],
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
let popupFeature = null; // { kind, props }

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

function renderPopupContent({ kind, props }) {
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
  return box;
}

function showPopup(map, lngLat, kind, props) {
  popupFeature = { kind, props };
  if (!popup) {
    // closeOnClick off: the map's click handler below moves this popup to the clicked
    // feature (or removes it); MapLibre's own close-on-click would undo that right after.
    popup = new maplibregl.Popup({ closeButton: true, closeOnClick: false, maxWidth: '320px' });
    popup.on('close', () => { popupFeature = null; });
  }
  popup.setLngLat(lngLat).setDOMContent(renderPopupContent(popupFeature));
  if (!popup.isOpen()) popup.addTo(map);
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
    showPopup(map, e.lngLat, kind, f.properties || {});
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
  window.addEventListener('hashchange', () => {
    const next = readHash();
    const langChanged = next.lang !== state.lang;
    const levelChanged = next.level !== state.level;
    Object.assign(state, next);
    if (langChanged) applyLanguage();
    if (levelChanged) applyLevel(map);
  });

  writeHash();
  applyLanguage();
}

main();

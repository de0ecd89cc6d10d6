// The map's style: MapLibre sources and layers, built from the server's catalogue (the levels
// the map fills, the group colours, the settlement colour ramps) and the page's state. Pure
// functions: the map (map.js) applies what they return.
//
// Labels: area names at points computed from the tiles (labels.js), settlement names from the
// settlement tiles. All in DejaVu Sans, served by the server itself (no sprite, no basemap).

import { NO_DATA_COLOR, groupColorExpression, settlementPaint, settlementRadius } from './classes.js';
import { pmtilesArchive, pmtilesSourceURL } from './pmtiles.js';

/** Highlight of the area under the pointer (feature-state `hover`). */
const HOVER = ['boolean', ['feature-state', 'hover'], false];

const FONT = ['DejaVu Sans'];
const FONT_BOLD = ['DejaVu Sans Bold'];

/** The settlement tile layer (and source). */
const SETTLEMENTS = 'settlements';

/**
 * Label layers, each drawing the points of a GeoJSON source (areas) or the settlement tiles;
 * `level`: shown only at that choropleth level.
 */
export const AREA_LABELS = [
  { layer: 'districts-label', source: 'districts', labels: 'districts-labels', level: 'districts' },
  { layer: 'groups-label', source: 'groups', labels: 'groups-labels', level: 'macroregions' },
  { layer: 'oblasts-label', source: 'oblasts', labels: 'oblasts-labels', level: null },
];
export const LABEL_LAYERS = ['districts-label', 'settlements-label', 'groups-label', 'oblasts-label'];

/**
 * Absolute URL of a layer's TileJSON, beside the page (works behind a path prefix); with
 * ?pmtiles=NAME the archive's, which holds every layer (pmtiles.js).
 */
function tileJSONURL(layer, base) {
  const archive = pmtilesArchive(base);
  if (archive) return pmtilesSourceURL(archive, base);
  return new URL(`tiles/${layer}.json`, base).href;
}

/**
 * The glyph URL template, beside the page. Built by hand: URL() would percent-encode the
 * braces MapLibre replaces.
 */
function glyphsURL(base) {
  return `${new URL('fonts/', base).href}{fontstack}/{range}.pbf`;
}

/**
 * The name in `lang`: area names fall back to English; settlement names (often only the
 * local `name` of OpenStreetMap, in Cyrillic) fall back to that local name first in kk and
 * ru, then to English.
 */
export function nameExpression(lang, { settlement = false } = {}) {
  const own = ['get', `name_${lang}`];
  if (!settlement) return ['coalesce', own, ['get', 'name_en'], ['get', 'name'], ''];
  if (lang === 'en') return ['coalesce', own, ['get', 'name'], ''];
  return ['coalesce', own, ['get', 'name'], ['get', 'name_en'], ''];
}

/** Is a label layer shown at this level? The oblast names not over the macroregions (their own names). */
export function labelVisible(layer, level) {
  if (layer === 'settlements-label') return true;
  if (layer === 'oblasts-label') return level !== 'macroregions';
  const a = AREA_LABELS.find((x) => x.layer === layer);
  return !a || !a.level || a.level === level;
}

/** The district hairlines are drawn only with the district choropleth. */
export function districtLinesVisible(level) {
  return level === 'districts';
}

const HALO = {
  'text-halo-color': 'rgba(255, 255, 255, 0.92)',
  'text-halo-width': 1.6,
  'text-halo-blur': 0.4,
};

/** The label layers in a language at a level; `groups` colour the group names. */
export function labelLayers({ lang, level, groups }) {
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
      paint: { 'text-color': groupColorExpression(groups), ...HALO, 'text-halo-width': 2 },
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

/**
 * The style of the map for a state: the active level's fill visible (grey until the
 * classification has loaded, see map.js), outlines, settlements and labels.
 *   cat: the catalogue; state: { lang, level, color }; base: the page's URL
 */
export function buildStyle(cat, state, base) {
  const sources = {};
  for (const layer of new Set([...cat.levels.map((l) => l.source), SETTLEMENTS])) {
    sources[layer] = { type: 'vector', url: tileJSONURL(layer, base) };
  }
  for (const a of AREA_LABELS) {
    sources[a.labels] = { type: 'geojson', data: { type: 'FeatureCollection', features: [] } };
  }
  const visible = (yes) => ({ visibility: yes ? 'visible' : 'none' });
  const fillPaint = { 'fill-color': NO_DATA_COLOR, 'fill-opacity': 0.88 };
  const colorIndicator = cat.colorIndicators.find((c) => c.name === state.color) || null;

  return {
    version: 8,
    name: 'aimaq',
    glyphs: glyphsURL(base),
    sources,
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#eef1f4' } },

      // Choropleths: one fill per level the map can show; only the active one is visible.
      ...cat.levels.map((l) => ({
        id: l.fill, type: 'fill', source: l.source, 'source-layer': l.source,
        layout: visible(l.name === state.level), paint: fillPaint,
      })),

      // District outlines: hairlines, thick when hovered (feature-state on the districts source).
      {
        id: 'districts-line', type: 'line', source: 'districts', 'source-layer': 'districts',
        layout: visible(districtLinesVisible(state.level)),
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

      // Macroregions and agglomerations: dashed outlines, one colour per group (chosen by the
      // server away from the choropleth's ramps, so the dashes stay visible on every class).
      {
        id: 'groups-line', type: 'line', source: 'groups', 'source-layer': 'groups',
        paint: {
          'line-color': groupColorExpression(cat.groups),
          'line-width': ['interpolate', ['linear'], ['zoom'],
            3, ['case', HOVER, 3.5, 1.8], 8, ['case', HOVER, 5, 3], 12, ['case', HOVER, 6, 4]],
          'line-dasharray': [2, 1.5],
          'line-opacity': 0.95,
        },
      },

      // Settlements from zoom 5: size by population; hollow where the population is estimated,
      // or coloured by an indicator.
      {
        id: 'settlements-circle', type: 'circle', source: SETTLEMENTS, 'source-layer': SETTLEMENTS,
        minzoom: 5,
        layout: { 'circle-sort-key': ['to-number', ['get', 'population'], 0] },
        paint: {
          'circle-radius': ['interpolate', ['linear'], ['zoom'],
            5, settlementRadius(0.7), 9, settlementRadius(1.1), 13, settlementRadius(1.8)],
          ...settlementPaint(colorIndicator),
          'circle-opacity': 0.9,
        },
      },

      ...labelLayers({ lang: state.lang, level: state.level, groups: cat.groups }),
    ],
  };
}

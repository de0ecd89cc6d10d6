// The server's catalogue (GET api/indicators): the area indicators, the levels, the
// classification methods and class range, the standards' thresholds, the macroregions and
// agglomerations with their colours, and the per-settlement indicators with the breaks and
// colours of the settlement circles. The page declares none of these itself: the UI ships
// inside the binary, so the server answering is always the matching one.

import { textIn } from './i18n.js';
import { getJSON } from './http.js';

/** Fetch and read the catalogue; throws when it cannot be had. */
export async function loadCatalogue() {
  const res = await getJSON('api/indicators');
  if (!res.ok) throw new Error(res.message);
  return readCatalogue(res.body);
}

/** The fill layer of a tile layer (layers.js draws one per map level). */
const fillLayer = (source) => `${source}-fill`;

/**
 * The UI's name of a map level, in the level radios and the hash: the plural of the
 * server's name (district → districts), as shared links have always said it.
 */
const uiLevelName = (name) => `${name}s`;

function list(body, key) {
  const v = body[key];
  if (!Array.isArray(v) || !v.length) throw new Error(`catalogue has no ${key}`);
  return v;
}

/**
 * The catalogue as the page uses it, from the body of api/indicators:
 *   indicators        area indicators (name, unit, direction, title, levels, provenance, …)
 *   levels            the levels the map can fill, in the server's order, each
 *                     { name (UI), api, source, fill, title, disparityLevel }
 *   serverLevels      every level of the server, for titles (agglomeration, country)
 *   levelAliases      hash level name → UI name: the UI's, the server's and the layer's
 *   methods, defaultMethod, minClasses, maxClasses, thresholds, groups, loadHint, synthetic
 *   settlementIndicators  every per-settlement indicator (name, unit, title, needs, …)
 *   colorIndicators   those the settlement circles can be coloured by (with breaks, colors)
 *   bounds            the imported country's box [west, south, east, north], the start view;
 *                     the whole world before a country is imported
 */
export function readCatalogue(body) {
  if (!body || typeof body !== 'object') throw new Error('catalogue is not an object');
  const indicators = list(body, 'indicators').filter((i) => i && typeof i.name === 'string');
  const serverLevels = list(body, 'levels');
  const c = body.classification;
  if (!c || !Array.isArray(c.methods) || !Number.isInteger(c.min_classes) || !Number.isInteger(c.max_classes)) {
    throw new Error('catalogue has no classification');
  }
  const levels = [];
  // The server lists its levels finest first: this is the nearest finer one with indices.
  let disparityLevel = null;
  for (const l of serverLevels) {
    if (l.disparity) disparityLevel = l.name;
    if (!l.map) continue;
    // A level without indices of its own (macroregions) shows those of the level below it
    // grouped the same way: the groups partition that level's areas.
    levels.push({
      name: uiLevelName(l.name), api: l.name, source: l.layer, fill: fillLayer(l.layer),
      title: l.title, disparityLevel,
    });
  }
  if (!levels.length) throw new Error('catalogue has no map level');
  const levelAliases = {};
  for (const l of levels) {
    levelAliases[l.name] = l.name;
    levelAliases[l.api] = l.name;
    levelAliases[l.source] = l.name;
  }
  const settlementIndicators = Array.isArray(body.settlement_indicators) ? body.settlement_indicators : [];
  return {
    indicators,
    levels,
    serverLevels,
    levelAliases,
    methods: c.methods,
    defaultMethod: c.default_method,
    minClasses: c.min_classes,
    maxClasses: c.max_classes,
    thresholds: body.thresholds || {},
    groups: Array.isArray(body.groups) ? body.groups : [],
    // Templates of the server's message codes, {kk, ru, en} with {name} placeholders.
    messages: body.messages && typeof body.messages === 'object' ? body.messages : {},
    settlementIndicators,
    colorIndicators: settlementIndicators.filter((s) => Array.isArray(s.breaks) && s.breaks.length &&
      Array.isArray(s.colors) && s.colors.length === s.breaks.length + 1),
    loadHint: String(body.load_hint || ''),
    synthetic: Boolean(body.synthetic),
    bounds: readBounds(body.bounds),
  };
}

/** The whole world, as far as Web Mercator shows it: the view before a country is imported. */
export const WORLD_BOUNDS = [-180, -85, 180, 85];

/** A [west, south, east, north] box of finite numbers, else the world. */
export function readBounds(b) {
  const ok = Array.isArray(b) && b.length === 4 && b.every((v) => typeof v === 'number' && Number.isFinite(v)) &&
    b[0] < b[2] && b[1] < b[3];
  return ok ? b.slice() : WORLD_BOUNDS.slice();
}

export function indicatorInfo(cat, name) {
  return cat.indicators.find((i) => i.name === name) || null;
}

export function isAvailable(info) {
  return Boolean(info) && info.available !== false;
}

/** The map level of a UI level name. */
export function levelOf(cat, name) {
  return cat.levels.find((l) => l.name === name) || null;
}

/** The title of any server level (e.g. 'agglomeration') in a language. */
export function levelTitle(cat, apiName, lang) {
  const l = cat.serverLevels.find((x) => x.name === apiName);
  return l ? textIn(l.title, lang) || apiName : apiName;
}

/** UI names of the map levels an indicator has. */
export function indicatorLevels(cat, info) {
  const has = info && Array.isArray(info.levels) ? info.levels : [];
  return cat.levels.filter((l) => has.includes(l.api)).map((l) => l.name);
}

/**
 * The indicator and level to show for a wish: the wished ones when they exist, else the
 * default indicator (or the first available one) and the indicator's first level.
 */
export function resolveChoice(cat, { indicator, level }, defaultIndicator) {
  let name = indicator;
  if (!isAvailable(indicatorInfo(cat, name))) {
    name = isAvailable(indicatorInfo(cat, defaultIndicator))
      ? defaultIndicator
      : (cat.indicators.find(isAvailable) || cat.indicators[0]).name;
  }
  const levels = indicatorLevels(cat, indicatorInfo(cat, name));
  return { indicator: name, level: levels.length && !levels.includes(level) ? levels[0] : level };
}

/**
 * What a link asked for and what is shown in its place, when the indicator it names has no
 * values (or does not exist): { asked, shown }, else null. The page says so instead of
 * silently showing another map.
 */
export function substitutionOf(cat, askedState, resolved) {
  const asked = askedState && askedState.indicator;
  if (!asked || asked === resolved.indicator || isAvailable(indicatorInfo(cat, asked))) return null;
  return { asked, shown: resolved.indicator };
}

/** The section of the picker an indicator is listed under, from its name. */
export function indicatorGroup(name) {
  if (/density|_stats$|per_10k|population/.test(name)) return 'population';
  if (/2sfca|fca|capacity/.test(name)) return 'capacity';
  if (/^share_/.test(name)) return 'share';
  if (/srs/.test(name)) return 'standards';
  if (/_min(_|$)/.test(name)) return 'time';
  if (/_km(_|$)/.test(name)) return 'distance';
  return 'other';
}
export const INDICATOR_GROUP_ORDER = ['population', 'distance', 'time', 'share', 'standards', 'capacity', 'other'];

/** The title of an area indicator in a language. */
export function indicatorTitle(info, lang) {
  return info ? textIn(info.title, lang) || info.name : '';
}

export function indicatorDescription(info, lang) {
  return info ? textIn(info.description, lang) : '';
}

function settlementIndicator(cat, name) {
  return cat.settlementIndicators.find((s) => s.name === name) || null;
}

/** The title of a per-settlement indicator in a language (its name when unknown). */
export function settlementTitle(cat, name, lang) {
  return textIn((settlementIndicator(cat, name) || {}).title, lang) || name;
}

/** Does a per-settlement indicator need data beyond settlements and boundaries? */
export function needsMoreData(cat, name) {
  const s = settlementIndicator(cat, name);
  return Boolean(s && Array.isArray(s.needs) && s.needs.length);
}

/** The name of a macroregion / agglomeration in a language. */
export function groupName(group, lang) {
  return textIn(group.name, lang) || group.code;
}

/** The groups as the legend lists them: macroregions first, then agglomerations, each by name. */
export function groupsInOrder(cat, lang) {
  const agglomeration = (g) => (g.kind === 'agglomeration' ? 1 : 0);
  return [...cat.groups].sort((a, b) => agglomeration(a) - agglomeration(b) ||
    groupName(a, lang).localeCompare(groupName(b, lang)));
}

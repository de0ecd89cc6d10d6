// Classes and colours: the server's classification of an area indicator as the page holds
// it, the MapLibre expressions that colour the areas, the settlement circles and the group
// outlines, and the colour of a value. Pure functions.

import { num } from './dom.js';

/** Areas and settlements without a value. */
export const NO_DATA_COLOR = '#d9dde2';
/** The colour of a group the catalogue does not list (a presentation default). */
export const GROUP_FALLBACK_COLOR = '#4d4d4d';
/** The colour of a bar with no class (disparity chart). */
const NO_CLASS_COLOR = '#7b8794';
/** Settlement circles when not coloured by an indicator. */
const SETTLEMENT_COLOR = '#d7301f';

/** The class of a value by the bounds: a break is the upper end of its class. */
export function classOfValue(v, bounds) {
  const k = bounds.length - 1;
  let c = 0;
  while (c < k - 1 && v > bounds[c + 1]) c++;
  return c;
}

/** Area id → class index, agreeing with the server's counts when they add up. */
export function classesOf(values, bounds, counts) {
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

/**
 * The classification from a body of api/choropleth:
 *   { status: 'ready', method, bounds, colors, counts, missing, provenance, notes, direction,
 *     values: Map(id → value), classOf: Map(id → class), wholeCity: Set(id) }
 * wholeCity holds the city districts whose value is their whole city's (method "city").
 * or { status: 'error', message } when the body is not a classification.
 */
export function readChoropleth(body) {
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
    values.set(/^\d+$/.test(id) ? Number(id) : id, n);
  }
  return {
    status: 'ready', method: body.method, bounds, colors,
    counts: counts.length === k ? counts : null,
    missing: num(body.missing),
    provenance: Array.isArray(body.provenance) ? body.provenance.map(String) : null,
    notes: Array.isArray(body.notes) ? body.notes.map(String) : [],
    messages: Array.isArray(body.messages) ? body.messages.filter((m) => m && typeof m.code === 'string') : [],
    stale: Boolean(body.stale), runId: num(body.run_id),
    // compare=RUN: the values are the change since run compare.runId (finished compare.finishedAt).
    compare: body.compare && num(body.compare.run_id) !== null
      ? { runId: num(body.compare.run_id), finishedAt: String(body.compare.finished_at || '') } : null,
    direction: body.direction, values, classOf: classesOf(values, bounds, counts),
    wholeCity: new Set((Array.isArray(body.whole_city) ? body.whole_city : []).map((id) => (/^\d+$/.test(String(id)) ? Number(id) : id))),
  };
}

/**
 * The server's notes, less the one that says the data changed after the run: the page says
 * that itself, in the chosen language, when the answer is stale.
 */
export function otherNotes(answer) {
  const notes = (answer && answer.notes) || [];
  return answer && answer.stale ? notes.filter((n) => !String(n).startsWith('the data changed after compute run')) : notes;
}

/**
 * fill-color of a classified indicator. The class of each area comes first from its
 * feature-state `cls` (set from the values of api/choropleth, so the map agrees exactly with
 * the legend's counts, whichever side of a break the server puts a value equal to it), and
 * else from the tile's own property named like the indicator, through a step over the breaks.
 * Grey where neither is there, and everywhere without a classification.
 */
export function choroplethColorExpression(ch) {
  if (!ch || ch.status !== 'ready') return NO_DATA_COLOR;
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

/** The colour of a value in a classification (the disparity chart's bars). */
export function colorOf(ch, v) {
  if (v === null || !ch || ch.status !== 'ready') return NO_CLASS_COLOR;
  return ch.colors[classOfValue(v, ch.bounds)];
}

/** Manual breaks to start from: the inner bounds of the classes on screen, rounded. */
export function suggestedBreaks(ch) {
  if (!ch || ch.status !== 'ready') return [];
  const out = [];
  for (const b of ch.bounds.slice(1, -1)) {
    const r = Number(b.toPrecision(2));
    if (!out.length || r > out[out.length - 1]) out.push(r);
  }
  return out;
}

/** Outline (and label) colour of each macroregion / agglomeration by its code. */
export function groupColorExpression(groups) {
  if (!groups.length) return GROUP_FALLBACK_COLOR; // a match needs at least one label
  const expr = ['match', ['get', 'code']];
  for (const g of groups) expr.push(g.code, g.color);
  expr.push(GROUP_FALLBACK_COLOR);
  return expr;
}

export function groupColor(groups, code) {
  const g = groups.find((x) => x.code === code);
  return g ? g.color : GROUP_FALLBACK_COLOR;
}

/** Settlement radius in px by population (square-root scale), scaled by factor k. */
export function settlementRadius(k) {
  const sqrtPop = ['sqrt', ['max', 0, ['to-number', ['get', 'population'], 0]]];
  return ['interpolate', ['linear'], sqrtPop,
    0, 2 * k, // isolated dwelling
    30, 3.5 * k, // ~900 people
    100, 5 * k, // 10 000
    316, 8 * k, // 100 000
    1000, 13 * k, // 1 million
    1500, 16 * k]; // Almaty
}

const IS_ESTIMATED = [
  'any',
  ['==', ['get', 'population_estimated'], true],
  ['==', ['get', 'population_estimated'], 'true'],
];

/**
 * Paint of the settlement circles: by population type (hollow where estimated), or by a
 * colour indicator of the catalogue ({ name, breaks, colors }) in its fixed classes.
 */
export function settlementPaint(c) {
  if (!c) {
    return {
      'circle-color': ['case', IS_ESTIMATED, 'rgba(255, 255, 255, 0.55)', SETTLEMENT_COLOR],
      'circle-stroke-color': ['case', IS_ESTIMATED, SETTLEMENT_COLOR, '#ffffff'],
      'circle-stroke-width': ['case', IS_ESTIMATED, 1.4, 0.7],
    };
  }
  const step = ['step', ['to-number', ['get', c.name]], c.colors[0]];
  c.breaks.forEach((b, i) => step.push(b, c.colors[i + 1]));
  return {
    // MVT has no null: a value not computed is an absent property, drawn grey.
    'circle-color': ['case', ['==', ['typeof', ['get', c.name]], 'number'], step, NO_DATA_COLOR],
    'circle-stroke-color': '#3e4c59',
    'circle-stroke-width': 0.6,
  };
}

/** The code of the server's note that the figures are older than the data (the page words it itself). */
const DATA_CHANGED = 'data.changed_since_run';

/**
 * One server message ({code, args}) worded in lang from the catalogue's templates; an argument
 * named "group" is written as the group's name. null when the catalogue lacks the code.
 */
export function wordMessage(cat, m, lang) {
  const tpl = cat && cat.messages && cat.messages[m.code];
  const text = tpl && (tpl[lang] || tpl.en);
  if (!text) return null;
  const args = m.args || {};
  return text.replace(/\{([a-z_]+)\}/g, (all, name) => {
    if (!(name in args)) return all;
    const v = String(args[name]);
    if (name === 'group') {
      const g = ((cat && cat.groups) || []).find((x) => x.code === v);
      const label = g && (g[`name_${lang}`] || (g.name && (g.name[lang] || g.name.en)));
      if (label) return label;
    }
    return v;
  });
}

/**
 * The server's notes of an answer in the page's language: its messages worded from the
 * catalogue (the stale one left out when the page says it itself); a server without messages
 * falls back to its English notes.
 */
export function serverNotes(answer, cat, lang) {
  const msgs = (answer && answer.messages) || [];
  if (!msgs.length) return otherNotes(answer);
  const out = [];
  for (const m of msgs) {
    if (answer.stale && m.code === DATA_CHANGED) continue;
    const w = wordMessage(cat, m, lang);
    if (w) out.push(w);
  }
  return out;
}

/**
 * Whether a chart of these values should use a logarithmic axis: every value positive and the
 * largest more than a hundred times the smallest (values over two orders of magnitude, whose
 * small bars would look empty on a linear axis).
 */
export function logScaleFor(values) {
  const vs = values.filter((v) => v !== null && Number.isFinite(v));
  if (vs.length < 2 || vs.some((v) => v <= 0)) return false;
  return Math.max(...vs) / Math.min(...vs) > 100;
}

// Change over time (issue 10.6): the compute runs the server keeps (GET api/runs), the
// "compare with run …" choices, and the disparity indices over the runs as a small inline
// SVG line chart (no chart library: a few polylines). Pure functions first, for node --test.

import { el } from './dom.js';
import { getJSON } from './http.js';
import { LOCALES } from './i18n.js';

/** The indices the history chart draws, with their line colours (colour-blind safe). */
export const HISTORY_INDICES = [
  { key: 'theil_t', color: '#b35806' },
  { key: 'gini', color: '#542788' },
  { key: 'cv', color: '#1b7837' },
];

/** A run's date as the UI language writes it (e.g. 29.11.2026), '' for none. */
export function runDate(iso, lang) {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return '';
  return d.toLocaleDateString(LOCALES[lang] || 'en-GB', { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' });
}

/**
 * The runs a map can be compared with, from api/runs: the finished ones, newest first, as
 * { id, date, latest }. The select shows only when there are two or more.
 */
export function compareChoices(body, lang) {
  const runs = body && Array.isArray(body.runs) ? body.runs : [];
  return runs
    .filter((r) => r && r.status === 'done' && Number.isInteger(r.id) && r.id > 0)
    .sort((a, b) => b.id - a.id)
    .map((r) => ({ id: r.id, date: runDate(r.finished_at, lang), latest: Boolean(r.latest) }));
}

/**
 * The chart's data from api/disparity/history: the runs oldest first ({ id, date }) and one
 * series per index in HISTORY_INDICES with a value (null where undefined) per run, plus the
 * range of all values. null when there are fewer than two runs: one point is no line.
 */
export function historySeries(body, lang) {
  const runs = body && Array.isArray(body.runs) ? body.runs.filter((r) => r && Number.isInteger(r.run_id)) : [];
  if (runs.length < 2) return null;
  runs.sort((a, b) => a.run_id - b.run_id);
  const value = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const series = HISTORY_INDICES.map(({ key, color }) => ({ key, color, values: runs.map((r) => value(r[key])) }))
    .filter((s) => s.values.some((v) => v !== null));
  if (!series.length) return null;
  const all = series.flatMap((s) => s.values.filter((v) => v !== null));
  let min = Math.min(0, ...all);
  let max = Math.max(...all);
  if (max === min) max = min + 1;
  return { runs: runs.map((r) => ({ id: r.run_id, date: runDate(r.finished_at, lang) })), series, min, max };
}

/** Positions of the points: x evenly spaced across width, y from min (bottom) to max (top). */
export function chartPoints(values, { width, height, pad, min, max }) {
  const n = values.length;
  return values.map((v, i) => (v === null ? null : {
    x: pad + (n === 1 ? 0 : (i * (width - 2 * pad)) / (n - 1)),
    y: height - pad - ((v - min) / (max - min)) * (height - 2 * pad),
  }));
}

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs, ...children) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  for (const c of children) e.append(c);
  return e;
}

/**
 * The history chart: one line per index over the runs, run ids on the axis (the date in each
 * label's and point's tooltip), and below it a legend naming the indices (names[key]).
 */
export function historyChart(data, { names, title, runWord, fmt }) {
  const width = 260;
  const height = 120;
  const pad = 32; // room for the value labels on the left and the run ids below
  const geo = { width, height, pad, min: data.min, max: data.max };
  const root = svg('svg', {
    class: 'history-chart', viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img', 'aria-label': title,
    'data-runs': data.runs.map((r) => r.id).join(','),
  });
  root.append(svg('title', {}, title));
  const ink = '#3e4c59';
  root.append(svg('line', { x1: pad, y1: height - pad, x2: width - pad, y2: height - pad, stroke: '#7b8794', 'stroke-width': 1 }));
  root.append(svg('text', { x: pad - 4, y: pad + 3, 'font-size': 9, 'text-anchor': 'end', fill: ink }, fmt(data.max)));
  root.append(svg('text', { x: pad - 4, y: height - pad + 3, 'font-size': 9, 'text-anchor': 'end', fill: ink }, fmt(data.min)));
  chartPoints(data.runs.map(() => 0), geo).forEach((p, i) => {
    const r = data.runs[i];
    const label = svg('text', { x: p.x, y: height - pad + 14, 'font-size': 9, 'text-anchor': 'middle', fill: ink }, `${runWord}${r.id}`);
    label.append(svg('title', {}, r.date));
    root.append(label);
  });
  for (const s of data.series) {
    const pts = chartPoints(s.values, geo);
    const line = pts.filter(Boolean).map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
    root.append(svg('polyline', { points: line, fill: 'none', stroke: s.color, 'stroke-width': 2, 'data-index': s.key }));
    pts.forEach((p, i) => {
      if (!p) return;
      const dot = svg('circle', { cx: p.x.toFixed(1), cy: p.y.toFixed(1), r: 2.5, fill: s.color });
      dot.append(svg('title', {}, `${names[s.key] || s.key}, ${runWord}${data.runs[i].id} (${data.runs[i].date}): ${fmt(s.values[i])}`));
      root.append(dot);
    });
  }
  const legend = el('div', { class: 'history-legend' }, ...data.series.map((s) => el('span', { 'data-index': s.key, style: `color:${s.color};margin-right:0.8em;white-space:nowrap` }, `— ${names[s.key] || s.key}`)));
  return el('div', { class: 'history-chart-box' }, root, legend);
}

/** api/disparity/history for an indicator and level: its body, or null when unavailable. */
export async function fetchHistory(indicator, level) {
  try {
    const res = await getJSON(`api/disparity/history?${new URLSearchParams({ indicator, level })}`);
    return res.ok ? res.body : null;
  } catch (err) {
    console.warn(`aimaq map: disparity history: ${err}`);
    return null;
  }
}

/** api/runs: its body, or null when unavailable. */
export async function fetchRuns() {
  try {
    const res = await getJSON('api/runs');
    return res.ok ? res.body : null;
  } catch (err) {
    console.warn(`aimaq map: runs: ${err}`);
    return null;
  }
}

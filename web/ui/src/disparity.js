// The disparity panel: the inequality indices of one indicator across the areas of a level
// (GET api/disparity) and a bar chart of the macroregion / agglomeration means (Chart.js).

import {
  Chart, BarController, BarElement, CategoryScale, LinearScale, LogarithmicScale, Tooltip,
} from './vendor/chartjs/chart.js';
import { getJSON } from './http.js';
import { indicatorInfo, indicatorTitle, levelOf } from './catalogue.js';
import { colorOf, logScaleFor, serverNotes } from './classes.js';
import { el, num } from './dom.js';
import { fmt as formatNumber, fmtIndex, fmtValue, unitLabel } from './format.js';
import { localized, strings } from './i18n.js';
import { fetchHistory, historyChart, historySeries } from './runs.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LogarithmicScale, Tooltip);

/** Index rows in display order; theil_* carry a between/within decomposition. */
const INDEX_ORDER = ['theil_t', 'theil_l', 'gini', 'williamson', 'cv', 'atkinson_05', 'atkinson_1', 'max_min', 'best_worst'];

/**
 * What to ask api/disparity for a state: the level whose areas the indices run over (a level
 * without indices of its own, the macroregions, shows the level below it: macroNote), or
 * level null when the indicator has no values there.
 */
export function disparityRequest(cat, state) {
  const l = levelOf(cat, state.level);
  const level = l.disparityLevel;
  const info = indicatorInfo(cat, state.indicator);
  const macroNote = level !== null && level !== l.api;
  return { level: info && (info.levels || []).includes(level) ? level : null, macroNote };
}

/** The panel's content for a state: { status: 'ready'|'unavailable', data, macroNote }. */
export async function fetchDisparity(cat, state) {
  const { level, macroNote } = disparityRequest(cat, state);
  if (!level) return { status: 'unavailable', data: null, macroNote };
  const params = new URLSearchParams({ indicator: state.indicator, level, grouping: 'macroregion' });
  const history = fetchHistory(state.indicator, level); // the indices over the runs (issue 10.6)
  try {
    const res = await getJSON(`api/disparity?${params}`);
    if (res.ok) return { status: 'ready', data: res.body, macroNote, history: await history };
  } catch (err) {
    console.warn(`aimaq map: disparity: ${err}`);
  }
  return { status: 'unavailable', data: null, macroNote };
}

/** The value of an index: a number or an object with total/between/within, or absent. */
function indexValue(data, key) {
  if (key === 'best_worst') return num(data.best_worst);
  const v = (data.indices || {})[key];
  if (v === null || v === undefined) return null;
  if (typeof v === 'object') return num(v.total);
  return num(v);
}

function decomposition(v, t, fmt) {
  if (!v || typeof v !== 'object') return null;
  let share = num(v.between_share);
  const total = num(v.total);
  const between = num(v.between);
  if (share === null && total && between !== null) share = between / total;
  if (share === null) return null;
  share = Math.max(0, Math.min(1, share));
  const pct = (x) => `${fmt(x * 100, x < 0.1 ? 1 : 0)} %`;
  return el('div', { class: 'decomposition', 'data-between-share': String(share) },
    el('div', { class: 'share-bar', role: 'img', 'aria-label': `${t.between} ${pct(share)}, ${t.within} ${pct(1 - share)}` },
      el('span', { class: 'share-between', style: `width:${(share * 100).toFixed(1)}%` }),
      el('span', { class: 'share-within', style: `width:${((1 - share) * 100).toFixed(1)}%` })),
    el('div', { class: 'share-labels' },
      el('span', { class: 'share-label-between' }, `${t.between} ${pct(share)}`),
      el('span', { class: 'share-label-within' }, `${t.within} ${pct(1 - share)}`)));
}

/**
 * The panel in box (#disparity): render(cat, state) shows the state's `disparity`
 * ({ status: 'loading'|'ready'|'unavailable', data, macroNote }), its bars coloured by the
 * classes on the map. The chart is kept in here, destroyed before the next one is drawn.
 */
export function createDisparityPanel(box) {
  let chart = null;
  const destroyChart = () => {
    if (chart) chart.destroy();
    chart = null;
  };
  return (cat, state) => {
    const { lang } = state;
    const { status, data, macroNote } = state.disparity;
    const t = strings(lang);
    const info = indicatorInfo(cat, state.indicator);
    const fmt = (n, digits) => formatNumber(n, lang, digits);
    const valueText = (v) => fmtValue(v, info && info.unit, lang);
    const unit = info ? unitLabel(info.unit, lang) : '';
    box.querySelector('.disparity-indicator').textContent = indicatorTitle(info, lang);
    chart = renderPanel(box, { status, data, macroNote, lang, t, fmt, valueText, unit, cat, history: state.disparity.history,
      colorOf: (v) => colorOf(state.choro, v) }, destroyChart);
  };
}

/** Render the panel's body; returns the new chart, if any. */
function renderPanel(box, view, destroyChart) {
  const { status, data, t, lang, fmt } = view;
  box.dataset.state = status;
  box.dataset.indicator = data ? data.indicator || '' : '';
  box.dataset.level = data ? data.level || '' : '';
  const body = box.querySelector('.disparity-body');
  const notes = [];
  if (view.macroNote) notes.push(el('p', { class: 'disparity-note' }, t.disparityMacroNote));

  if (status !== 'ready' || !data) {
    destroyChart();
    body.replaceChildren(...notes,
      el('p', { class: 'disparity-note', 'data-role': 'status' },
        status === 'loading' ? t.disparityLoading : t.disparityUnavailable));
    return null;
  }

  const over = t.disparityOver(fmt(num(data.n) ?? 0), t.levelPlural[data.level] || data.level);
  const mean = num(data.mean);
  const head = el('p', { class: 'disparity-sub' }, over,
    mean === null ? null : el('span', { class: 'disparity-mean' }, ` · ${t.mean}: ${view.valueText(mean)}`));

  const table = el('table', { class: 'indices' });
  for (const key of INDEX_ORDER) {
    const raw = key === 'best_worst' ? data.best_worst : (data.indices || {})[key];
    if (raw === undefined) continue; // not sent by this server
    const v = indexValue(data, key);
    const cell = el('td', { class: 'index-value' }, v === null
      ? el('span', { class: 'index-undefined' }, t.undefinedIndex)
      : fmtIndex(v, lang));
    const tr = el('tr', { 'data-index': key, 'data-value': v === null ? '' : String(v) },
      el('th', { scope: 'row' }, t.indices[key] || key), cell);
    table.append(tr);
    const dec = decomposition(raw, t, fmt);
    if (dec) table.append(el('tr', { class: 'index-decomposition', 'data-index-part': key }, el('td', { colspan: '2' }, dec)));
  }

  // A world without macroregions has one group without a code: no chart of one nameless bar.
  const groups = [...(data.groups || [])].filter((g) => num(g.mean) !== null && g.code !== '');
  groups.sort((a, b) => num(b.mean) - num(a.mean));
  const chartBox = el('div', { class: 'chart-box', style: `height:${Math.max(120, 30 * groups.length + 40)}px` });
  const canvas = el('canvas', { id: 'disparity-chart', role: 'img', 'aria-label': t.groupsChart });
  chartBox.append(canvas);

  if (data.stale) notes.unshift(el('p', { class: 'disparity-note disparity-stale', role: 'status' }, t.staleData(data.run_id)));
  const extra = serverNotes(data, view.cat, lang).map((n) => el('p', { class: 'disparity-note disparity-server-note' }, String(n)));
  const chart = groups.length ? [el('h3', { class: 'disparity-subtitle' }, t.groupsChart), chartBox] : [];
  body.replaceChildren(head, ...notes, table, ...historyBlock(view), ...chart, ...extra);

  destroyChart();
  return groups.length ? groupChart(canvas, groups, data, view) : null;
}

/** The bar chart of the group means (sorted), the best and worst group marked. */
function groupChart(canvas, groups, data, view) {
  const { t, lang, fmt } = view;
  const best = String(data.best ?? '');
  const worst = String(data.worst ?? '');
  // Long names (agglomerations) go on two lines: the axis would otherwise clip them.
  const wrap = (text) => {
    if (text.length <= 18 || !text.includes(' ')) return text;
    const words = text.split(' ');
    let cut = 1;
    while (cut < words.length - 1 && words.slice(0, cut + 1).join(' ').length <= text.length / 2 + 2) cut++;
    return [words.slice(0, cut).join(' '), words.slice(cut).join(' ')];
  };
  const labels = groups.map((g) => {
    const name = localized(g, 'name', lang) || g.code;
    if (String(g.code) === best) return wrap(`${name} ▲`);
    if (String(g.code) === worst) return wrap(`${name} ▼`);
    return wrap(name);
  });
  // Means over more than two orders of magnitude (density: the agglomerations against the
  // steppe) on a logarithmic axis, which says so; else linear from zero.
  const log = logScaleFor(groups.map((g) => num(g.mean)));
  const axisTitle = [view.unit, log ? t.logScale : ''].filter(Boolean).join(' — ');
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels,
      datasets: [{
        data: groups.map((g) => num(g.mean)),
        backgroundColor: groups.map((g) => view.colorOf(num(g.mean))),
        borderColor: '#3e4c59',
        borderWidth: 1,
        barPercentage: 0.85,
        categoryPercentage: 0.9,
      }],
    },
    options: {
      indexAxis: 'y',
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            label: (ctx) => {
              const g = groups[ctx.dataIndex];
              const parts = [view.valueText(num(g.mean))];
              if (num(g.population) !== null) parts.push(`${t.groupPopulation} ${fmt(num(g.population))}`);
              if (num(g.units) !== null) parts.push(`${t.groupUnits} ${fmt(num(g.units))}`);
              if (String(g.code) === best) parts.push(t.best);
              if (String(g.code) === worst) parts.push(t.worst);
              return parts.join(' · ');
            },
          },
        },
      },
      scales: {
        x: {
          type: log ? 'logarithmic' : 'linear',
          beginAtZero: !log,
          ticks: { font: { size: 10 }, maxTicksLimit: 5, callback: (v) => fmt(v, Math.abs(v) < 10 ? 1 : 0) },
          title: { display: Boolean(axisTitle), text: axisTitle, font: { size: 10 } },
        },
        y: { ticks: { font: { size: 11 }, autoSkip: false } },
      },
    },
  });
}

/** The indices over the kept compute runs (issue 10.6): a title and a small SVG line chart, or nothing with fewer than two runs. */
function historyBlock(view) {
  const { t, lang } = view;
  const data = historySeries(view.history, lang);
  if (!data) return [];
  const chart = historyChart(data, { names: t.indices, title: t.historyTitle, runWord: t.runShort, fmt: (v) => fmtIndex(v, lang) });
  return [el('h3', { class: 'disparity-subtitle' }, t.historyTitle), el('div', { class: 'history-box', 'data-runs': String(data.runs.length) }, chart)];
}

// Take it away (issue 10.5, map side): the map view as a PNG and the table as CSV.
//
// The PNG is made in the browser: the map's WebGL canvas is copied inside a render (map.js
// capture) and composed on a 2D canvas of the same pixel size with a title, the legend as the
// panel shows it, a scale bar at the map's centre latitude, the sources' attribution (from
// the TileJSONs, without their HTML), the date and "aimaq". The CSV is the server's own
// api/areas/{level}?format=csv answer, linked with <a download>.
//
// The first part is pure (what to write, where, the scale bar's length, the file names) and
// unit-tested; the second draws on a canvas and binds the panel's download controls.

import { indicatorInfo, indicatorTitle, levelOf, levelTitle } from './catalogue.js';
import { NO_DATA_COLOR, wordMessage } from './classes.js';
import { el } from './dom.js';
import { classLabels, fmt, unitLabel } from './format.js';
import { strings } from './i18n.js';
import { fetchRuns, runDate } from './runs.js';

/** The equator's length on the sphere of Web Mercator, in metres. */
const EARTH_CIRCUMFERENCE = 40075016.686;

/** Metres per CSS pixel at a latitude and zoom (MapLibre's zoom counts 512 px tiles). */
export function metresPerPixel(lat, zoom) {
  return (EARTH_CIRCUMFERENCE * Math.cos((lat * Math.PI) / 180)) / (512 * 2 ** zoom);
}

/** The longest length of 1, 2 or 5 × 10^n metres that is not over maxMetres (1 m at least). */
export function niceLength(maxMetres) {
  if (!(maxMetres > 1)) return 1;
  let p = 1;
  while (p * 10 <= maxMetres) p *= 10;
  for (const m of [5, 2]) if (m * p <= maxMetres) return m * p;
  return p;
}

/** A length as a scale bar writes it: "500 m", "2 km", "1 000 km" (m and km in the language). */
export function lengthLabel(metres, lang) {
  const { units } = strings(lang);
  return metres >= 1000 ? `${fmt(metres / 1000, lang)} ${units.km}` : `${fmt(metres, lang)} ${units.m}`;
}

/**
 * The scale bar of a view: the 1-2-5 length not longer than maxPx device pixels at the
 * latitude lat, zoom and device pixel ratio dpr; { metres, px, label }.
 */
export function scaleBar({ lat, zoom, dpr = 1, maxPx, lang }) {
  const perPx = metresPerPixel(lat, zoom) / dpr;
  const metres = niceLength(maxPx * perPx);
  return { metres, px: metres / perPx, label: lengthLabel(metres, lang) };
}

/** A date as YYYY-MM-DD in the browser's own time zone (the planner's "today"). */
export function localISODate(d) {
  const two = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

/**
 * The name of a downloaded file: aimaq-<level>-<indicator>[-change-since-run-N]-<date>.<ext>,
 * e.g. aimaq-district-school_km_mean-2026-11-29.png. Anything but [a-z0-9_-] becomes '-'.
 */
export function exportFileName({ level, indicator, date, compare = 0, ext = 'png' }) {
  const safe = (v) => String(v).toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  const parts = ['aimaq', safe(level), safe(indicator)];
  if (compare) parts.push(`change-since-run-${compare}`);
  parts.push(safe(date));
  return `${parts.join('-')}.${ext}`;
}

/** The CSV of the current table: api/areas/{level} of the state's level and indicator (and comparison). */
export function csvHref(cat, state) {
  const level = levelOf(cat, state.level);
  const params = new URLSearchParams({ indicator: state.indicator, format: 'csv', bom: '1', lang: state.lang });
  if (state.compare) params.set('compare', String(state.compare));
  return `api/areas/${level ? level.api : state.level}?${params}`;
}

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', copy: '©' };

/** The text of an attribution's HTML: no tags, entities decoded, spaces collapsed. */
export function plainText(html) {
  return String(html || '')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, e) => {
      if (e[0] === '#') {
        const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return Number.isFinite(code) ? String.fromCodePoint(code) : all;
      }
      return ENTITIES[e.toLowerCase()] ?? all;
    })
    .replace(/\s+/g, ' ')
    .trim();
}

/** The attributions of the map's sources as one line of text, each once, in their order. */
export function attributionLine(htmls) {
  return [...new Set(htmls.map(plainText).filter(Boolean))].join('; ');
}

/** The server's reason for the classes (a classify.* message), worded in lang; '' when none. */
function classReason(cat, choro, lang) {
  const m = (choro.messages || []).find((x) => x.code.startsWith('classify.'));
  return (m && wordMessage(cat, m, lang)) || '';
}

/** A reason line longer than this is left out of the picture (the panel shows it whole). */
export const MAX_REASON_CHARS = 160;

/**
 * What the picture says, from the catalogue and the state (its choro as the legend shows it):
 *   { title, lines: [level · classes, change since …], synthetic, legend: { head, rows, notes } | null,
 *     footer: [attribution, date line], fileName }
 * today: 'YYYY-MM-DD'; run: { id, finishedAt } of the values' compute run, if known;
 * attribution: the sources' attribution line.
 */
export function exportContent(cat, state, { today, run = null, attribution = '' }) {
  const { lang } = state;
  const t = strings(lang);
  const info = indicatorInfo(cat, state.indicator);
  const level = levelOf(cat, state.level);
  const levelApi = level ? level.api : state.level;
  const unit = info ? unitLabel(info.unit, lang) : '';
  // The classes of what is on screen only (not those of a level or indicator just left).
  const choro = state.choro && state.choro.status === 'ready' && state.choro.indicator === state.indicator
    && state.choro.level === state.level ? state.choro : null;
  const method = choro ? choro.method || state.method : state.method;

  const lines = [[levelTitle(cat, levelApi, lang), `${t.method}: ${t.methods[method] || method}`].join(' · ')];
  if (choro && choro.compare) lines.push(t.changeSince(choro.compare.runId, runDate(choro.compare.finishedAt, lang)));

  let legend = null;
  if (choro) {
    const labels = classLabels(choro.bounds, info && info.unit, lang);
    const rows = labels.map((label, i) => ({
      color: choro.colors[i], label, count: choro.counts ? fmt(choro.counts[i], lang) : '',
    }));
    rows.push({ color: NO_DATA_COLOR, label: t.noData, count: choro.missing ? fmt(choro.missing, lang) : '' });
    const reason = classReason(cat, choro, lang);
    legend = {
      head: [unit, choro.counts ? t.countHeader[state.level] || '' : ''],
      rows,
      notes: reason && reason.length <= MAX_REASON_CHARS ? [reason] : [],
    };
  }

  const runId = choro && choro.runId !== null && choro.runId !== undefined ? choro.runId : run && run.id;
  const runText = runId ? t.exportRun(runId, run && run.id === runId ? (run.finishedAt || '').slice(0, 10) : '') : '';
  return {
    title: unit ? `${indicatorTitle(info, lang) || state.indicator}, ${unit}` : indicatorTitle(info, lang) || state.indicator,
    lines,
    synthetic: cat.synthetic ? t.exportSynthetic : '',
    legend,
    footer: [attribution, [t.exportMade(today), runText].filter(Boolean).join(' · ')].filter(Boolean),
    fileName: exportFileName({ level: levelApi, indicator: state.indicator, date: today, compare: choro && choro.compare ? choro.compare.runId : 0 }),
  };
}

/**
 * Words of text on lines no wider than maxWidth (measure(text) gives a width); a word wider
 * than that stays whole on its own line.
 */
export function wrapText(text, maxWidth, measure) {
  const out = [];
  let line = '';
  for (const word of String(text).split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && measure(next) > maxWidth) {
      out.push(line);
      line = word;
    } else {
      line = next;
    }
  }
  if (line) out.push(line);
  return out;
}

const INK = '#1f2933';
const MUTED = '#52606d';
const WARN = '#b42318';
const BOX = 'rgba(255, 255, 255, 0.92)';
const BRAND = 'aimaq';

/** Do two boxes { x, y, w, h } overlap? */
export function overlaps(a, b) {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/**
 * One layout of the picture at a scale s (device pixels per CSS pixel of the design):
 * { ops, boxes }. ops draw, in order: { op: 'rect', x, y, w, h, fill, stroke? },
 * { op: 'text', x, y, text, font, fill, align } (top baseline) and { op: 'line', x1, y1, x2, y2, stroke, width }.
 */
function layoutAt(content, { width: W, height: H, s, family, measure, view, dpr, lang }) {
  const px = (n) => Math.round(n * s);
  const font = (size, bold = false) => `${bold ? 'bold ' : ''}${px(size)}px ${family}`;
  const F = { title: font(15, true), line: font(12), legend: font(11), small: font(10), brand: font(12, true), warn: font(11, true) };
  const lh = (size) => px(size * 1.3);
  const M = px(8); // from the canvas's edges
  const P = px(7); // inside the boxes
  const ops = [];
  const text = (x, y, t, f, fill = INK, align = 'left') => ops.push({ op: 'text', x, y, text: t, font: f, fill, align });
  const boxes = {};

  // The footer: a band across the bottom with the attribution and the date, "aimaq" on the right.
  const brandW = measure(BRAND, F.brand);
  const footW = W - 2 * P - brandW - px(12);
  const footLines = content.footer.flatMap((l) => wrapText(l, footW, (x) => measure(x, F.small)));
  const footH = footLines.length * lh(10) + 2 * P;
  boxes.footer = { x: 0, y: H - footH, w: W, h: footH };
  ops.push({ op: 'rect', ...boxes.footer, fill: BOX });
  footLines.forEach((l, i) => text(P, H - footH + P + i * lh(10), l, F.small, MUTED));
  text(W - P, H - footH + P, BRAND, F.brand, INK, 'right');

  // The title: top left.
  const titleMax = Math.min(W - 2 * M, px(520)) - 2 * P;
  const head = [
    ...wrapText(content.title, titleMax, (x) => measure(x, F.title)).map((t) => [t, F.title, INK, 15]),
    ...content.lines.flatMap((l) => wrapText(l, titleMax, (x) => measure(x, F.line)).map((t) => [t, F.line, MUTED, 12])),
    ...(content.synthetic ? wrapText(content.synthetic, titleMax, (x) => measure(x, F.warn)).map((t) => [t, F.warn, WARN, 11]) : []),
  ];
  const titleW = Math.max(...head.map(([t, f]) => measure(t, f))) + 2 * P;
  const titleH = head.reduce((h, [, , , size]) => h + lh(size), 0) + 2 * P;
  boxes.title = { x: M, y: M, w: Math.ceil(titleW), h: titleH };
  ops.push({ op: 'rect', ...boxes.title, fill: BOX });
  let y = M + P;
  for (const [t, f, fill, size] of head) {
    text(M + P, y, t, f, fill);
    y += lh(size);
  }

  // The legend: bottom left, above the footer.
  const floor = H - footH - M; // the lowest a box may reach
  if (content.legend) {
    const { head: [unit, countHead], rows, notes } = content.legend;
    const sw = px(12);
    const gap = px(6);
    const labelW = Math.max(measure(unit, F.small), ...rows.map((r) => measure(r.label, F.legend)));
    const countW = Math.max(measure(countHead, F.small), ...rows.map((r) => measure(r.count, F.legend)));
    const rowsW = sw + gap + labelW + px(14) + countW;
    const legendMax = Math.min(W - 2 * M, px(320)) - 2 * P;
    const noteLines = notes.flatMap((n) => wrapText(n, Math.max(rowsW, Math.min(legendMax, px(240))), (x) => measure(x, F.small)));
    const innerW = Math.min(legendMax, Math.max(rowsW, ...noteLines.map((l) => measure(l, F.small))));
    const rowH = Math.max(lh(11), sw + px(3));
    const h = 2 * P + lh(10) + rows.length * rowH + (noteLines.length ? px(4) + noteLines.length * lh(10) : 0);
    boxes.legend = { x: M, y: floor - h, w: Math.ceil(innerW + 2 * P), h };
    ops.push({ op: 'rect', ...boxes.legend, fill: BOX });
    let ly = boxes.legend.y + P;
    const right = M + P + innerW;
    text(M + P + sw + gap, ly, unit, F.small, MUTED);
    if (countHead) text(right, ly, countHead, F.small, MUTED, 'right');
    ly += lh(10);
    for (const r of rows) {
      ops.push({ op: 'rect', x: M + P, y: ly + Math.round((rowH - sw) / 2), w: sw, h: sw, fill: r.color, stroke: 'rgba(0, 0, 0, 0.25)' });
      text(M + P + sw + gap, ly + Math.round((rowH - lh(11)) / 2), r.label, F.legend);
      if (r.count) text(right, ly + Math.round((rowH - lh(11)) / 2), r.count, F.legend, INK, 'right');
      ly += rowH;
    }
    if (noteLines.length) ly += px(4);
    for (const l of noteLines) {
      text(M + P, ly, l, F.small, MUTED);
      ly += lh(10);
    }
  }

  // The scale bar: bottom right, above the footer; above the legend when they would meet.
  if (view) {
    const bar = scaleBar({ lat: view.lat, zoom: view.zoom, dpr, maxPx: Math.min(px(120), W * 0.3), lang });
    const w = Math.ceil(Math.max(bar.px, measure(bar.label, F.small))) + 2 * P;
    const h = 2 * P + lh(10) + px(8);
    let box = { x: W - M - w, y: floor - h, w, h };
    if (boxes.legend && overlaps(box, boxes.legend)) box = { ...box, y: boxes.legend.y - M - h };
    boxes.scale = box;
    ops.push({ op: 'rect', ...box, fill: BOX });
    const x0 = box.x + P;
    const x1 = x0 + bar.px;
    const by = box.y + P + lh(10) + px(5);
    text(x0, box.y + P, bar.label, F.small, INK);
    const lw = Math.max(1, px(2));
    ops.push({ op: 'line', x1: x0, y1: by, x2: x1, y2: by, stroke: INK, width: lw });
    ops.push({ op: 'line', x1: x0, y1: by - px(5), x2: x0, y2: by, stroke: INK, width: lw });
    ops.push({ op: 'line', x1, y1: by - px(5), x2: x1, y2: by, stroke: INK, width: lw });
    boxes.scaleBar = bar;
  }
  return { ops, boxes };
}

/** Whether a layout fits: every box inside the canvas and none over another. */
export function layoutFits({ boxes }, width, height) {
  const list = ['title', 'legend', 'scale', 'footer'].map((k) => boxes[k]).filter(Boolean);
  if (list.some((b) => b.x < 0 || b.y < 0 || b.x + b.w > width || b.y + b.h > height)) return false;
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) if (overlaps(list[i], list[j])) return false;
  }
  return true;
}

/**
 * The picture's layout for a canvas of width × height device pixels: title top left, legend
 * bottom left, scale bar bottom right, attribution and date in a band along the bottom. The
 * texts are sized for the device pixel ratio dpr, and made smaller (down to half) when they
 * would not fit. measure(text, font) → width in pixels; view: { lat, zoom } of the map's centre.
 */
export function layoutExport(content, { width, height, dpr = 1, family = 'sans-serif', measure, view = null, lang = 'en' }) {
  let layout = null;
  for (let f = 1; f >= 0.5; f -= 0.1) {
    layout = layoutAt(content, { width, height, s: dpr * f, family, measure, view, dpr, lang });
    if (layoutFits(layout, width, height)) return { ...layout, scale: dpr * f };
  }
  return { ...layout, scale: dpr * 0.5 };
}

// ---- DOM and canvas ----

/** Run the layout's drawing operations on a 2D context. */
function draw(ctx, ops) {
  ctx.textBaseline = 'top';
  for (const o of ops) {
    if (o.op === 'rect') {
      ctx.fillStyle = o.fill;
      ctx.fillRect(o.x, o.y, o.w, o.h);
      if (o.stroke) {
        ctx.strokeStyle = o.stroke;
        ctx.lineWidth = 1;
        ctx.strokeRect(o.x + 0.5, o.y + 0.5, o.w - 1, o.h - 1);
      }
    } else if (o.op === 'text') {
      ctx.font = o.font;
      ctx.fillStyle = o.fill;
      ctx.textAlign = o.align;
      ctx.fillText(o.text, o.x, o.y);
    } else if (o.op === 'line') {
      ctx.strokeStyle = o.stroke;
      ctx.lineWidth = o.width;
      ctx.beginPath();
      ctx.moveTo(o.x1, o.y1);
      ctx.lineTo(o.x2, o.y2);
      ctx.stroke();
    }
  }
}

/** The attribution HTML of the map's sources (from their TileJSONs), in the style's order. */
function sourceAttributions(map) {
  return Object.keys(map.getStyle().sources || {})
    .map((id) => map.getSource(id))
    .map((src) => (src && typeof src.attribution === 'string' ? src.attribution : ''));
}

/** The compute run of the values on the map ({ id, finishedAt }), from api/runs; null if unknown. */
async function valuesRun(choro) {
  const body = await fetchRuns();
  const runs = body && Array.isArray(body.runs) ? body.runs : [];
  const wanted = choro && choro.runId ? runs.find((r) => r.id === choro.runId) : runs.find((r) => r.latest);
  return wanted ? { id: wanted.id, finishedAt: String(wanted.finished_at || '') } : null;
}

/** Offer a blob as a download named name. */
function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The PNG of the map view as the page shows it now: { blob, fileName, width, height }. */
export async function exportPNG({ cat, store, mapView }) {
  const shot = await mapView.capture(); // a 2D copy of the map's canvas, its pixel size
  const { map } = mapView;
  const state = store.get();
  const dpr = shot.width / (map.getCanvas().clientWidth || shot.width);
  const c = map.getCenter();
  const content = exportContent(cat, state, {
    today: localISODate(new Date()),
    run: await valuesRun(state.choro),
    attribution: attributionLine(sourceAttributions(map)),
  });
  const out = document.createElement('canvas');
  out.width = shot.width;
  out.height = shot.height;
  const ctx = out.getContext('2d');
  ctx.drawImage(shot, 0, 0);
  const family = getComputedStyle(document.body).fontFamily || 'sans-serif';
  const measure = (text, f) => {
    ctx.font = f;
    return ctx.measureText(text).width;
  };
  const layout = layoutExport(content, {
    width: out.width, height: out.height, dpr, family, measure, view: { lat: c.lat, zoom: map.getZoom() }, lang: state.lang,
  });
  draw(ctx, layout.ops);
  const blob = await new Promise((resolve, reject) => out.toBlob((b) => (b ? resolve(b) : reject(new Error('toBlob gave nothing'))), 'image/png'));
  return { blob, fileName: content.fileName, width: out.width, height: out.height };
}

/**
 * The panel's download controls (#download-png, #download-csv): the PNG button composes and
 * saves the picture; the CSV link follows the state. Returns render(state) for state changes.
 * #download[data-state] = idle | busy | done | error, for tests and the status line.
 */
export function createDownload(page) {
  const { cat, store } = page;
  const box = document.getElementById('download');
  const png = document.getElementById('download-png');
  const csv = document.getElementById('download-csv');
  const status = document.getElementById('download-status');
  box.dataset.state = 'idle';
  box.hidden = false;
  const say = (state) => {
    const t = strings(store.get().lang);
    box.dataset.state = state;
    status.textContent = { busy: t.downloadBusy, done: t.downloadDone, error: t.downloadFailed }[state] || '';
  };
  png.addEventListener('click', async () => {
    if (box.dataset.state === 'busy') return;
    png.setAttribute('aria-disabled', 'true');
    say('busy');
    try {
      const { blob, fileName } = await exportPNG(page);
      saveBlob(blob, fileName);
      say('done');
    } catch (err) {
      console.warn(`aimaq map: PNG export: ${err}`);
      say('error');
    } finally {
      png.removeAttribute('aria-disabled');
    }
  });
  const render = (s) => {
    const t = strings(s.lang);
    png.title = t.downloadPngHint;
    csv.title = t.downloadCsvHint;
    csv.href = csvHref(cat, s);
    const level = levelOf(cat, s.level);
    csv.setAttribute('download', exportFileName({
      level: level ? level.api : s.level, indicator: s.indicator, date: localISODate(new Date()), compare: s.compare, ext: 'csv',
    }));
    if (box.dataset.state !== 'idle' && box.dataset.state !== 'busy') say(box.dataset.state);
  };
  render(store.get());
  return render;
}

// Change over time (issue 10.6) and the Kazakh / Russian interface (issue 10.3) in Debian's
// Chromium, driven by playwright-core (which never downloads a browser).
//
//   node web/ui/test/change.test.mjs <baseURL> <artifactsDir> <indicator> <compareRun> <areaId>
//
// The server must hold two compute runs over changed data (cmd/aimaq TestE2EBrowserChange
// makes them from the real Andorra extract, parishes as oblasts, with one village grown
// between the runs): <areaId> is the oblast whose <indicator> changed since run <compareRun>.
//
// At 1440×900 in Kazakh it opens the map without a comparison (map-kk-1440x900.png), then
// picks <compareRun> in the "compare with computation" select (#compare; the URL hash then says
// compare=<compareRun>) for the map of change (change-kk-1440x900.png): the legend says "change since"
// in the words of i18n.js, the changed area is in the legend class that holds its change, the
// disparity panel's history chart has a point per run, no English server note is on the page
// and the Kazakh wording of every message code of the answers the page got is; axe-core finds
// no serious or critical violation; the map view downloaded as a PNG goes to
// export-change-kk.png. At 390×844 in Russian it opens the disparity sheet with the chart
// (change-ru-390x844.png) and checks the same.
//
// Exit code 0 = pass; otherwise a message on stderr says which step failed. On success one
// line of JSON goes to stdout. CHROMIUM overrides the browser path.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { strings } from '../src/i18n.js';
import { runDate } from '../src/runs.js';
import { wordMessage } from '../src/classes.js';

const [baseURL, artDir, indicator, runArg, areaArg] = process.argv.slice(2);
if (!baseURL || !artDir || !indicator || !runArg || !areaArg) {
  console.error('usage: node web/ui/test/change.test.mjs <baseURL> <artifactsDir> <indicator> <compareRun> <areaId>');
  process.exit(2);
}
const compareRun = Number(runArg);
const areaId = String(areaArg);

const READY_TIMEOUT_MS = 60_000;
const STEP_TIMEOUT_MS = 15_000;
const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
/** The server's code of the stale-data note, which the page words itself (classes.js). */
const DATA_CHANGED = 'data.changed_since_run';

const t0 = Date.now();
const timings = {};
const mark = (name) => { timings[name] = Date.now() - t0; };

class TestFailure extends Error {}
function check(cond, message) {
  if (!cond) throw new TestFailure(message);
}

const api = async (path) => {
  const res = await fetch(new URL(path, baseURL));
  check(res.ok, `GET ${path}: HTTP ${res.status}`);
  return res.json();
};
const cat = await api('api/indicators');
const runs = await api('api/runs');
const oldRun = (runs.runs || []).find((r) => r.id === compareRun);
check(oldRun && oldRun.finished_at, `api/runs has no finished run ${compareRun}: ${JSON.stringify(runs).slice(0, 300)}`);

const pageErrors = [];
const consoleErrors = [];
const failedRequests = [];

/** Watch a page for errors, and keep the api/choropleth and api/disparity answers it gets. */
function watch(page) {
  const answers = [];
  page.on('pageerror', (err) => pageErrors.push(String(err && err.stack ? err.stack : err)));
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(`${msg.text()} ${JSON.stringify(msg.location())}`);
  });
  page.on('requestfailed', (req) => failedRequests.push(`${req.url()} ${req.failure()?.errorText}`));
  page.on('response', (res) => {
    if (res.status() >= 400) failedRequests.push(`${res.url()} HTTP ${res.status()}`);
    const u = new URL(res.url());
    if (res.status() === 200 && /\/api\/(choropleth|disparity)$/.test(u.pathname)) {
      answers.push(res.json().then((body) => ({ path: u.pathname + u.search, body }), () => null));
    }
  });
  return async () => (await Promise.all(answers)).filter(Boolean);
}
const noErrors = (step) => {
  check(pageErrors.length === 0, `page error ${step}:\n  ${pageErrors.join('\n  ')}`);
  check(consoleErrors.length === 0, `console error ${step}:\n  ${consoleErrors.join('\n  ')}` +
    (failedRequests.length ? `\nfailed requests:\n  ${failedRequests.join('\n  ')}` : ''));
};

async function axeCheck(page, where) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.addScriptTag({ path: AXE_PATH });
  const violations = await page.evaluate(async () => (await window.axe.run(document)).violations
    .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) })));
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  check(bad.length === 0, `axe-core, ${where}: ${bad.length} serious/critical violation(s):\n  ` +
    bad.map((v) => `${v.impact} ${v.id}: ${v.nodes.join(', ')}`).join('\n  '));
  const counts = {};
  for (const v of violations) counts[v.impact] = (counts[v.impact] || 0) + 1;
  return counts;
}

/**
 * Open the map at hash on a page and wait until the classification of that state is on the
 * legend, the map and the disparity panel (body[data-choropleth-key]) and the map is idle.
 */
async function open(page, hash, compare, where) {
  const resp = await page.goto(`${baseURL}${hash}`, { waitUntil: 'load', timeout: STEP_TIMEOUT_MS });
  check(resp && resp.ok(), `${where}: GET ${baseURL} answered ${resp ? resp.status() : 'nothing'}`);
  await settle(page, compare, where);
}

/** Wait until the page shows the state of indicator at the oblasts [compared with run compare]. */
async function settle(page, compare, where) {
  // body[data-choropleth-key] = indicator|level|method:classes[|compare:RUN] (state.js choroKey)
  const wantKey = `^${indicator}\\|oblasts\\|[a-z]+:[\\d,.]+${compare ? `\\|compare:${compare}` : ''}$`;
  const ready = await page.waitForFunction((key) => document.body.dataset.mapReady === '1' &&
    new RegExp(key).test(document.body.dataset.choroplethKey || ''), wantKey, { timeout: READY_TIMEOUT_MS }).then(() => true, () => false);
  if (!ready) {
    const seen = await page.evaluate(() => ({ ...document.body.dataset, status: document.getElementById('status')?.textContent || '' }));
    throw new TestFailure(`${where}: the map never showed the key /${wantKey}/: ${JSON.stringify(seen)}` +
      (failedRequests.length ? `\nfailed requests:\n  ${failedRequests.join('\n  ')}` : ''));
  }
  await page.evaluate((timeout) => new Promise((resolve) => {
    const map = window.aimaqMap;
    const timer = setTimeout(resolve, timeout);
    map.once('idle', () => { clearTimeout(timer); resolve(); });
    map.triggerRepaint();
  }), 5000);
  noErrors(where);
}

/**
 * What the page shows of the change: the legend's "change since" line, the classes, the
 * changed area's class (feature-state on its level's source) and the history chart.
 */
const changeView = (page, id) => page.evaluate((areaId) => {
  const map = window.aimaqMap;
  const legend = document.querySelector('#legend .legend-compare');
  const box = document.querySelector('#disparity .history-box');
  const svg = box && box.querySelector('svg.history-chart');
  const lines = svg ? [...svg.querySelectorAll('polyline')].map((p) => ({
    index: p.dataset.index, points: p.getAttribute('points').trim().split(/\s+/).length,
  })) : [];
  let cls = null;
  for (const source of ['oblasts', 'districts', 'groups']) {
    const st = map.getSource(source) ? map.getFeatureState({ source, sourceLayer: source, id: Number(areaId) }) : null;
    if (st && st.cls !== undefined) cls = st.cls;
  }
  return {
    legend: legend ? { text: legend.textContent, compare: legend.dataset.compare } : null,
    rows: [...document.querySelectorAll('#legend-rows .legend-row')].map((r) => ({
      cls: Number(r.dataset.class), from: Number(r.dataset.from), to: Number(r.dataset.to), count: Number(r.dataset.count),
    })),
    cls,
    disparity: document.getElementById('disparity').dataset.state,
    history: box ? { runs: box.dataset.runs, svgRuns: svg ? svg.dataset.runs : null, lines, dots: svg ? svg.querySelectorAll('circle').length : 0 } : null,
    lang: document.documentElement.lang,
  };
}, id);

/** The checks of a page showing the change since compareRun in lang. */
function checkChange(view, answers, lang, where) {
  check(view.lang === lang, `${where}: <html lang="${view.lang}">, want ${lang}`);
  const want = strings(lang).changeSince(compareRun, runDate(oldRun.finished_at, lang));
  check(view.legend && view.legend.compare === String(compareRun) && view.legend.text === want,
    `${where}: the legend says ${JSON.stringify(view.legend)}, want ${JSON.stringify(want)}`);
  const cho = answers.find((a) => a.path.startsWith('/api/choropleth') && a.body.compare);
  check(cho, `${where}: the page got no api/choropleth answer with compare: ${answers.map((a) => a.path).join(', ')}`);
  check(cho.body.compare.run_id === compareRun, `${where}: api/choropleth compared with run ${cho.body.compare.run_id}`);
  const change = cho.body.values[areaId];
  check(typeof change === 'number' && change !== 0, `${where}: area ${areaId} shows no change: ${JSON.stringify(cho.body.values)}`);
  // The changed area is drawn in the class whose bounds hold its change, and the legend counts it.
  const row = view.rows.find((r) => r.cls === view.cls);
  check(row && row.from <= change && change <= row.to && row.count >= 1,
    `${where}: area ${areaId} (change ${change}) is in class ${view.cls}; legend rows ${JSON.stringify(view.rows)}`);
  check(view.disparity === 'ready', `${where}: disparity panel ${view.disparity}`);
  const h = view.history;
  check(h && h.runs === '2' && h.svgRuns && h.svgRuns.split(',').length === 2 && h.lines.length >= 1 &&
    h.lines.every((l) => l.points === 2) && h.dots === 2 * h.lines.length,
  `${where}: the history chart should draw each index at the two runs: ${JSON.stringify(h)}`);
  return { change, cls: view.cls, classes: view.rows.length, historyLines: h.lines.map((l) => l.index) };
}

/**
 * No English note of the answers the page got is on it, and the wording in lang of every
 * message code is. text: the page's text. Returns the number of messages checked.
 */
function checkWords(text, answers, lang, where) {
  let n = 0;
  for (const { path, body } of answers) {
    for (const note of body.notes || []) {
      check(!text.includes(note), `${where}: the English note of ${path} leaks into the ${lang} page: ${JSON.stringify(note)}`);
    }
    for (const m of body.messages || []) {
      if (m.code === DATA_CHANGED && body.stale) continue;
      const words = wordMessage(cat, m, lang);
      check(words, `${where}: the catalogue has no ${lang} wording of ${m.code} (from ${path})`);
      check(text.includes(words), `${where}: the ${lang} wording of ${m.code} from ${path} is not on the page: ${JSON.stringify(words)}`);
      n++;
    }
  }
  return n;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--enable-unsafe-swiftshader',
    '--disable-background-networking', '--disable-quic', '--no-first-run',
    '--disable-component-update', '--disable-sync'],
});

let exitCode = 0;
try {
  const result = { ok: true, axe: {} };
  const shared = `level=oblasts&indicator=${indicator}`;

  // 1. Kazakh, 1440×900: the plain map, then the map of change.
  const desk = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  let answers = watch(desk);
  await open(desk, `#lang=kk&${shared}`, 0, 'kk plain map');
  const plain = await desk.evaluate(() => ({
    key: document.body.dataset.choroplethKey, compare: Boolean(document.querySelector('#legend .legend-compare')),
    lang: document.documentElement.lang, rows: document.querySelectorAll('#legend-rows .legend-row').length,
  }));
  check(plain.lang === 'kk' && !plain.compare && !plain.key.includes('compare') && plain.rows >= 2,
    `kk plain map: ${JSON.stringify(plain)}`);
  result.plainWords = checkWords(await desk.evaluate(() => document.body.innerText), await answers(), 'kk', 'kk plain map');
  await desk.screenshot({ path: join(artDir, 'map-kk-1440x900.png') });
  mark('plain');

  // The planner picks the first run in "compare with computation": the map of change.
  answers = watch(desk);
  await desk.selectOption('#compare', String(compareRun));
  await settle(desk, compareRun, 'kk map of change');
  check(new URLSearchParams((await desk.evaluate(() => location.hash)).slice(1)).get('compare') === String(compareRun),
    `kk map of change: the URL hash does not say compare=${compareRun}: ${await desk.evaluate(() => location.hash)}`);
  const kkAnswers = await answers();
  result.kk = checkChange(await changeView(desk, areaId), kkAnswers, 'kk', 'kk map of change');
  result.kk.words = checkWords(await desk.evaluate(() => document.body.innerText), kkAnswers, 'kk', 'kk map of change');
  check(kkAnswers.some((a) => (a.body.notes || []).length), `kk map of change: the answers the page got carry no notes, nothing to check: ${kkAnswers.map((a) => a.path).join(', ')}`);
  result.axe['kk 1440x900 change'] = await axeCheck(desk, 'kk map of change at 1440×900');
  await desk.evaluate(() => document.querySelector('#disparity .history-box').scrollIntoView({ block: 'nearest' }));
  await desk.screenshot({ path: join(artDir, 'change-kk-1440x900.png') });
  mark('kk');

  // The map of change as a PNG to take away: named for the change, a PNG of the canvas's size.
  const canvas = await desk.evaluate(() => ({ width: window.aimaqMap.getCanvas().width, height: window.aimaqMap.getCanvas().height }));
  const [download] = await Promise.all([desk.waitForEvent('download', { timeout: STEP_TIMEOUT_MS }), desk.click('#download-png')]);
  const file = join(artDir, 'export-change-kk.png');
  await download.saveAs(file);
  const png = await readFile(file);
  check(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), 'export: the download is not a PNG');
  check(png.readUInt32BE(16) === canvas.width && png.readUInt32BE(20) === canvas.height,
    `export: the PNG is ${png.readUInt32BE(16)}×${png.readUInt32BE(20)}, the map canvas ${canvas.width}×${canvas.height}`);
  check(new RegExp(`^aimaq-oblast-${indicator}-change-since-run-${compareRun}-\\d{4}-\\d{2}-\\d{2}\\.png$`).test(download.suggestedFilename()),
    `export: file name ${download.suggestedFilename()}`);
  result.export = { file: download.suggestedFilename(), bytes: png.length };
  noErrors('at 1440×900');
  await desk.close();
  mark('export');

  // 2. Russian, 390×844: the disparity sheet open with the history chart.
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  answers = watch(phone);
  await open(phone, `#lang=ru&${shared}&compare=${compareRun}`, compareRun, 'ru map of change');
  const ruAnswers = await answers();
  await phone.tap('#disparity-toggle');
  const sheet = await phone.evaluate(() => {
    const box = document.querySelector('#disparity .history-box');
    if (box) box.scrollIntoView({ block: 'nearest' });
    const r = box ? box.getBoundingClientRect() : null;
    return { sheet: document.body.dataset.sheet, chart: r && { top: r.top, bottom: r.bottom, height: r.height }, vh: window.innerHeight };
  });
  check(sheet.sheet === 'disparity' && sheet.chart && sheet.chart.height > 0 && sheet.chart.top >= 0 && sheet.chart.bottom <= sheet.vh,
    `ru 390×844: the disparity sheet does not show the history chart: ${JSON.stringify(sheet)}`);
  result.ru = checkChange(await changeView(phone, areaId), ruAnswers, 'ru', 'ru map of change');
  // The legend is in the closed controls sheet: its words count too (textContent, not innerText).
  result.ru.words = checkWords(await phone.evaluate(() => document.body.textContent), ruAnswers, 'ru', 'ru map of change');
  result.axe['ru 390x844 disparity sheet'] = await axeCheck(phone, 'ru map of change at 390×844, disparity sheet open');
  await phone.screenshot({ path: join(artDir, 'change-ru-390x844.png') });
  noErrors('at 390×844');
  await phone.close();
  mark('ru');

  console.log(JSON.stringify({ ...result, timingsMs: timings }));
} catch (err) {
  exitCode = 1;
  console.error(`FAIL change.test: ${err instanceof TestFailure ? err.message : err && err.stack ? err.stack : err}`);
} finally {
  await browser.close().catch(() => {});
}
process.exit(exitCode);

// The planner's scenario panel (issue 12.3) in Debian's Chromium, driven by playwright-core
// (which never downloads a browser).
//
//   AIMAQ_TEST_TOKEN=<token> node web/ui/test/scenario.test.mjs <baseURL> <artifactsDir> <settlementId> <lon> <lat> <areaId>
//
// cmd/aimaq TestE2EBrowserScenario serves the real Andorra extract (parishes as oblasts) and
// picks <settlementId> at <lon>,<lat>: the populated place farthest from a school, in parish
// <areaId>. The project placed is SYNTHETIC: a school nobody plans, on real data.
//
// Kazakh, 1440×900: the planner opens the scenario group, places a school by clicking the map
// at <lon>,<lat>; the panel's figures (changed settlements, newly served, cost, each standard
// newly met, Theil between/within before → after) must be the server's evaluation of the
// same project, which this test asks for itself; the place's school distance falls; the
// changed settlements and the changed parish are drawn (scenario-kk-1440x900.png). Saving
// says plainly that a token is missing, then that a wrong one is refused, then saves with the
// real one; the scenario is listed by api/scenarios and in the select. A second, empty
// scenario is saved and the two are compared: the table is api/scenarios/compare's
// (scenario-compare-kk-1440x900.png). Russian, 390×844: the controls sheet, the saved
// scenario picked (its evaluation), a feldsher-midwife post placed with the sheet closed
// (scenario-place-ru-390x844.png), the effect in the sheet (scenario-ru-390x844.png), saved and
// compared with the empty scenario again (scenario-compare-ru-390x844.png). Each
// time axe-core finds no violation and no English text of the panel or the server is on the
// page. "Propose sites" is tried when the server has api/siting.
//
// Exit code 0 = pass; otherwise a message on stderr says which step failed. On success one
// line of JSON goes to stdout. CHROMIUM overrides the browser path.

import { join } from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { fmt } from '../src/format.js';
import { STRINGS } from '../src/i18n.js';
import * as model from '../src/scenario-model.js';

const [baseURL, artDir, settlementArg, lonArg, latArg, areaArg] = process.argv.slice(2);
const token = process.env.AIMAQ_TEST_TOKEN || '';
if (!baseURL || !artDir || !settlementArg || !lonArg || !latArg || !areaArg || !token) {
  console.error('usage: AIMAQ_TEST_TOKEN=<token> node web/ui/test/scenario.test.mjs <baseURL> <artifactsDir> <settlementId> <lon> <lat> <areaId>');
  process.exit(2);
}
const settlementId = Number(settlementArg);
const point = { lon: Number(lonArg), lat: Number(latArg) };
const areaId = Number(areaArg);

const READY_TIMEOUT_MS = 60_000;
const STEP_TIMEOUT_MS = 20_000;
const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const t0 = Date.now();
const timings = {};
const mark = (name) => { timings[name] = Date.now() - t0; };

class TestFailure extends Error {}
function check(cond, message) {
  if (!cond) throw new TestFailure(message);
}

/** The server's answer to a request of the test itself (not the page's). */
async function api(method, path, body) {
  const res = await fetch(new URL(path, baseURL), {
    method, headers: body ? { 'Content-Type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined,
  });
  check(res.ok, `${method} ${path}: HTTP ${res.status} ${await res.clone().text()}`);
  return res.json();
}

const pageErrors = [];
const consoleErrors = [];
const failedRequests = [];
/** Statuses a step expects (the token refused): not failures. */
const expected = new Set();

function watch(page) {
  const drafts = [];
  page.on('pageerror', (err) => pageErrors.push(String(err && err.stack ? err.stack : err)));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    // Chromium logs every answer of 400 and above as a console error: the expected ones are not.
    const m = /status of (\d+)/.exec(msg.text());
    if (m && expected.has(Number(m[1]))) return;
    consoleErrors.push(`${msg.text()} ${JSON.stringify(msg.location())}`);
  });
  page.on('requestfailed', (req) => failedRequests.push(`${req.url()} ${req.failure()?.errorText}`));
  page.on('request', (req) => {
    if (req.method() === 'POST' && new URL(req.url()).pathname.endsWith('/api/scenarios/evaluate')) drafts.push(req.postDataJSON());
  });
  page.on('response', (res) => {
    if (res.status() >= 400 && !expected.has(res.status())) failedRequests.push(`${res.url()} HTTP ${res.status()}`);
  });
  return drafts;
}
const noErrors = (step) => {
  check(pageErrors.length === 0, `page error ${step}:\n  ${pageErrors.join('\n  ')}`);
  check(consoleErrors.length === 0, `console error ${step}:\n  ${consoleErrors.join('\n  ')}`);
  check(failedRequests.length === 0, `failed requests ${step}:\n  ${failedRequests.join('\n  ')}`);
};

/** axe-core on the whole page: no violation of any impact. */
async function axeCheck(page, where) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.addScriptTag({ path: AXE_PATH });
  const violations = await page.evaluate(async () => (await window.axe.run(document)).violations
    .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) })));
  check(violations.length === 0, `axe-core, ${where}: ${violations.length} violation(s):\n  ` +
    violations.map((v) => `${v.impact} ${v.id}: ${v.nodes.join(', ')}`).join('\n  '));
  return 0;
}

async function open(page, hash, where) {
  const resp = await page.goto(`${baseURL}${hash}`, { waitUntil: 'load', timeout: STEP_TIMEOUT_MS });
  check(resp && resp.ok(), `${where}: GET ${baseURL} answered ${resp ? resp.status() : 'nothing'}`);
  const ready = await page.waitForFunction(() => document.body.dataset.mapReady === '1' && Boolean(document.body.dataset.choroplethKey),
    null, { timeout: READY_TIMEOUT_MS }).then(() => true, () => false);
  check(ready, `${where}: the map never became ready: ${JSON.stringify(await page.evaluate(() => ({ ...document.body.dataset })))}`);
  await page.waitForSelector('#scenario:not([hidden])', { state: 'attached', timeout: STEP_TIMEOUT_MS });
}

/** Wait until the panel's evaluation is ready (after a change) and return what it shows. */
async function effectShown(page, where) {
  const ok = await page.waitForFunction(() => document.getElementById('scenario').dataset.evaluation === 'ready',
    null, { timeout: STEP_TIMEOUT_MS }).then(() => true, () => false);
  check(ok, `${where}: the effect never showed: ${await page.evaluate(() => document.getElementById('scenario-effect').innerText)}`);
  return page.evaluate(() => {
    const box = document.getElementById('scenario-effect');
    const rows = (sel, attrs) => [...box.querySelectorAll(sel)].map((r) => ({
      ...Object.fromEntries(attrs.map((a) => [a, r.dataset[a]])),
      text: r.querySelector('td') ? r.querySelector('td').textContent : '',
    }));
    return {
      figures: rows('[data-figure][data-value]', ['figure', 'value']),
      standards: rows('[data-standard]', ['standard', 'value', 'lost']),
      theil: rows('[data-theil]', ['theil', 'before', 'after']),
      settlements: rows('[data-settlement]', ['settlement', 'gain', 'figure']),
      areas: rows('[data-area]', ['area', 'before', 'after']),
      text: box.innerText,
    };
  });
}

/** A value of a data- attribute as the page wrote it (String(null) is "null"). */
const attr = (v) => (v === null || v === undefined ? 'null' : String(v));

/** The panel shows the server's evaluation ev, in lang, number for number. */
function checkFigures(shown, ev, lang, where) {
  const f = model.evaluationFigures(ev);
  const want = {
    changed_settlements: [f.changed, fmt(f.changed, lang)],
    newly_served: [f.newlyServed, model.fmtPeople(f.newlyServed, lang)],
    cost_kzt: [f.cost, model.fmtCost(f.cost, lang)],
    cost_per_person_kzt: [f.costPerPerson, f.cost === 0 ? STRINGS[lang].scenario.costNotGiven : model.fmtKZT(f.costPerPerson, lang)],
  };
  for (const [key, [value, text]] of Object.entries(want)) {
    const row = shown.figures.find((r) => r.figure === key);
    check(row && row.value === (value === null ? '' : String(value)) && row.text === text,
      `${where}: ${key} shows ${JSON.stringify(row)}, the server's evaluation ${value} (${text})`);
  }
  for (const s of f.standards) {
    const row = shown.standards.find((r) => r.standard === s.standard);
    check(row && row.value === String(s.newly) && row.lost === String(s.lost) && row.text.startsWith(`+${model.fmtPeople(s.newly, lang)}`),
      `${where}: standard ${s.standard} shows ${JSON.stringify(row)}, the server's ${s.newly} newly meeting (${s.lost} no longer)`);
  }
  // Indices undefined before and after (a world without macroregions, like Andorra) take no rows, one note.
  const defined = f.disparity.filter((d) => [d.before, d.after].some((x) => x && (x.between !== null || x.within !== null)));
  if (f.disparity.length && !defined.length) {
    check(shown.theil.length === 1 && shown.theil[0].theil === 'undefined', `${where}: Theil undefined everywhere, the panel shows ${JSON.stringify(shown.theil)}`);
  }
  for (const d of defined) {
    for (const part of ['between', 'within']) {
      const row = shown.theil.find((r) => r.theil === `${d.indicator}.${part}`);
      const b = d.before ? d.before[part] : null;
      const a = d.after ? d.after[part] : null;
      check(row && row.before === attr(b) && row.after === attr(a) && row.text === model.fmtTheilChange(b, a, lang),
        `${where}: Theil ${d.indicator} ${part} shows ${JSON.stringify(row)}, the server's ${b} → ${a}`);
    }
  }
  check(shown.settlements.length === Math.min(10, (ev.settlements || []).length),
    `${where}: ${shown.settlements.length} changed settlements listed, the server changes ${(ev.settlements || []).length}`);
}

/** No English of the panel (its own strings) nor the server's English notes on a kk/ru page. */
async function checkNoEnglish(page, lang, where) {
  const text = await page.evaluate(() => document.getElementById('scenario').textContent + document.getElementById('scenario-hint').textContent);
  const flat = (o) => Object.values(o).flatMap((v) => (v && typeof v === 'object' ? flat(v) : [v]));
  const mine = new Set(flat(STRINGS[lang].scenario).map((v) => (typeof v === 'function' ? '' : v)));
  for (const v of flat(STRINGS.en.scenario)) {
    if (typeof v !== 'string' || mine.has(v) || v.length < 4) continue;
    check(!text.includes(v), `${where}: the English text ${JSON.stringify(v)} is on the ${lang} page`);
  }
  const enNotes = (await api('POST', 'api/scenarios/evaluate?lang=en', { projects: [model.projectFromClick('school', point)] })).notes || [];
  for (const n of enNotes) check(!text.includes(n.text), `${where}: the English server note ${JSON.stringify(n.text)} is on the ${lang} page`);
  check(/[А-Яа-яӘәҒғҚқҢңӨөҰұҮүҺһІі]/.test(text), `${where}: the panel has no Cyrillic text: ${text.slice(0, 200)}`);
}

/** Compare saved scenarios a and b in the panel: the table must be api/scenarios/compare's, row by row. */
async function compareShown(page, a, b, lang) {
  await page.selectOption('#scenario-compare-a', String(a));
  await page.selectOption('#scenario-compare-b', String(b));
  await page.click('#scenario-compare');
  const ok = await page.waitForFunction(([wa, wb]) => {
    const t = document.querySelector('#scenario-compare-result table');
    return t && t.dataset.a === wa && t.dataset.b === wb;
  }, [String(a), String(b)], { timeout: STEP_TIMEOUT_MS }).then(() => true, () => false);
  check(ok, `${lang} compare: no table of ${a} and ${b}: ${await page.textContent('#scenario-compare-result')}`);
  const cmp = await api('GET', `api/scenarios/compare?a=${a}&b=${b}&lang=${lang}`);
  const table = await page.$$eval('#scenario-compare-result tbody tr', (rs) => rs.map((r) => ({
    row: r.dataset.row, a: r.dataset.a, b: r.dataset.b, cells: [...r.querySelectorAll('td')].map((td) => td.textContent),
  })));
  const want = model.compareRows(cmp);
  check(table.length === want.length, `${lang} compare: ${table.length} rows, want ${want.length}`);
  want.forEach((r, i) => {
    const got = table[i];
    check(got.a === attr(r.a) && got.b === attr(r.b) &&
      got.cells[0] === model.fmtFigureOf(r.kind, r.a, lang) && got.cells[1] === model.fmtFigureOf(r.kind, r.b, lang),
    `${lang} compare row ${i} ${r.key}: ${JSON.stringify(got)}, want ${JSON.stringify(r)}`);
  });
  check(cmp.a.newly_served > 0 && cmp.b.newly_served === 0 && cmp.b.projects === 0, `${lang} compare: ${JSON.stringify(cmp).slice(0, 300)}`);
  return { cmp, table };
}

/** Click (or tap) the map at a lon/lat. */
async function clickMap(page, lonLat, tap = false) {
  const xy = await page.evaluate(({ lon, lat }) => {
    const map = window.aimaqMap;
    const p = map.project([lon, lat]);
    const r = map.getCanvas().getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y, w: r.width, h: r.height };
  }, lonLat);
  check(xy.x > 0 && xy.y > 0 && xy.x < xy.w && xy.y < xy.h, `the point ${JSON.stringify(lonLat)} is off the map: ${JSON.stringify(xy)}`);
  if (tap) await page.touchscreen.tap(xy.x, xy.y);
  else await page.mouse.click(xy.x, xy.y);
}

/** What the map draws for the scenario: changed settlements, projects, the changed areas' outline. */
const mapDrawn = (page) => page.evaluate(() => {
  const map = window.aimaqMap;
  const data = (id) => (map.getSource(id) ? map.getSource(id).serialize().data : null);
  const outlines = {};
  for (const id of ['districts', 'oblasts', 'groups']) {
    const layer = `scenario-area-${id}`;
    if (!map.getLayer(layer)) continue;
    outlines[id] = { filter: map.getFilter(layer), visible: map.getLayoutProperty(layer, 'visibility') };
  }
  return { changed: data('scenario-changed'), projects: data('scenario-projects'), outlines };
});

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--enable-unsafe-swiftshader',
    '--disable-background-networking', '--disable-quic', '--no-first-run',
    '--disable-component-update', '--disable-sync'],
});

let exitCode = 0;
try {
  const result = { ok: true, axe: {} };
  const view = `map=13/${point.lat}/${point.lon}`;
  const hasSiting = (await fetch(new URL('api/siting', baseURL))).status !== 404;
  result.siting = hasSiting ? 'tried' : 'no api/siting on this server: not tried';

  // ---------- 1. Kazakh, 1440×900 ----------
  const desk = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const drafts = watch(desk);
  await open(desk, `#lang=kk&level=oblasts&indicator=school_km_mean&${view}`, 'kk');
  await desk.click('#scenario > summary');
  check(await desk.isVisible('#scenario-place'), 'kk: the scenario group did not open');
  const placeLabel = await desk.textContent('#scenario-place');
  check(placeLabel === STRINGS.kk.scenario.place, `kk: the place button says ${JSON.stringify(placeLabel)}`);
  // Keyboard: the facility select and the place button are reached by Tab from the name field.
  await desk.focus('#scenario-name');
  await desk.keyboard.press('Tab');
  check(await desk.evaluate(() => document.activeElement.id) === 'scenario-facility', 'kk: Tab from the name does not reach the facility select');
  await desk.selectOption('#scenario-facility', 'school');
  // Keyboard only: the place button, Escape cancels; again, and Enter on the map places at its
  // centre; the project's remove button takes it away.
  await desk.focus('#scenario-place');
  await desk.keyboard.press('Enter');
  check(await desk.evaluate(() => document.body.dataset.placing === 'school' && document.activeElement === window.aimaqMap.getCanvas()),
    'kk: Enter on the place button did not start placing with the map focused');
  await desk.keyboard.press('Escape');
  check(await desk.evaluate(() => document.body.dataset.placing === '' && document.getElementById('scenario-hint').hidden),
    'kk: Escape did not cancel placing');
  await desk.focus('#scenario-place');
  await desk.keyboard.press('Enter');
  await desk.keyboard.press('Enter');
  await effectShown(desk, 'kk keyboard');
  check(await desk.getAttribute('#scenario', 'data-projects') === '1', 'kk: Enter on the map placed no project');
  await desk.click('#scenario-projects .scenario-remove');
  check(await desk.evaluate(() => document.getElementById('scenario').dataset.projects === '0' && document.getElementById('scenario').dataset.evaluation === 'empty'),
    'kk: the remove button did not take the project away');
  await desk.click('#scenario-place');
  check(await desk.evaluate(() => document.body.dataset.placing) === 'school', 'kk: the place button did not start placing');
  const hint = await desk.textContent('#scenario-hint .scenario-hint-text');
  check(hint === STRINGS.kk.scenario.placing(STRINGS.kk.scenario.facilities.school), `kk: the hint says ${JSON.stringify(hint)}`);
  await clickMap(desk, point);
  const shown = await effectShown(desk, 'kk draft');
  check(drafts.length >= 1, 'kk: the page did not ask for a draft evaluation');
  const sent = drafts[drafts.length - 1];
  check(sent.projects.length === 1 && sent.projects[0].kind === 'open_facility' && sent.projects[0].facility_kind === 'school' &&
    Math.abs(sent.projects[0].lon - point.lon) < 2e-4 && Math.abs(sent.projects[0].lat - point.lat) < 2e-4,
  `kk: the draft sent is not a school at the clicked point: ${JSON.stringify(sent)}`);
  // The server's evaluation of the same project, asked by the test.
  const ev = await api('POST', 'api/scenarios/evaluate?lang=kk', sent);
  checkFigures(shown, ev, 'kk', 'kk draft');
  const mine = (ev.settlements || []).find((c) => c.id === settlementId);
  check(mine && mine.before.school_km > 3 && mine.after.school_km < mine.before.school_km,
    `kk: the school does not bring settlement ${settlementId} nearer a school: ${JSON.stringify(mine)}`);
  check(ev.newly_served > 0 && (ev.standards.find((s) => s.standard === 'school') || {}).newly_meeting > 0,
    `kk: nobody newly meets the school standard: ${JSON.stringify(ev.standards)}`);
  const drawn = await mapDrawn(desk);
  check(drawn.changed && drawn.changed.features.length === ev.settlements.length &&
    drawn.changed.features.some((f) => f.id === settlementId && f.properties.gain === 'better'),
  `kk: the changed settlements layer: ${JSON.stringify(drawn.changed).slice(0, 300)}`);
  check(drawn.projects.features.length === 1, `kk: the project marker: ${JSON.stringify(drawn.projects)}`);
  const outline = drawn.outlines.oblasts;
  check(outline && outline.visible === 'visible' && JSON.stringify(outline.filter).includes(String(areaId)),
    `kk: the changed parish ${areaId} is not outlined: ${JSON.stringify(drawn.outlines)}`);
  check(shown.areas.some((a) => Number(a.area) === areaId), `kk: the panel does not list the changed parish ${areaId}: ${JSON.stringify(shown.areas)}`);
  const hintAfter = await desk.textContent('#scenario-hint .scenario-hint-text');
  check(hintAfter.includes(STRINGS.kk.scenario.hintEffect(String(ev.changed_settlements), model.fmtPeople(ev.newly_served, 'kk'))),
    `kk: the hint after placing says ${JSON.stringify(hintAfter)}`);
  await checkNoEnglish(desk, 'kk', 'kk draft');
  result.axe['kk 1440x900 draft'] = await axeCheck(desk, 'kk draft at 1440×900');
  noErrors('kk draft');
  await desk.evaluate(() => document.getElementById('scenario-effect').scrollIntoView({ block: 'start' }));
  await desk.screenshot({ path: join(artDir, 'scenario-kk-1440x900.png') });
  result.kk = { changed: ev.changed_settlements, newlyServed: ev.newly_served, schoolKm: [mine.before.school_km, mine.after.school_km], areas: shown.areas.length };
  mark('kk draft');

  // Save: no token, then a wrong one (401), then the real one.
  const saveState = (want) => desk.waitForFunction((w) => document.getElementById('scenario-save-note').dataset.state === w,
    want, { timeout: STEP_TIMEOUT_MS }).then(() => true, () => false);
  const schoolName = 'SYNTHETIC мектеп (e2e)';
  await desk.fill('#scenario-name', schoolName);
  await desk.click('#scenario-save');
  check(await saveState('tokenMissing'), 'kk: saving without a token did not say so');
  check(await desk.textContent('#scenario-save-note') === STRINGS.kk.scenario.tokenMissing, 'kk: the missing-token words');
  expected.add(401);
  await desk.fill('#scenario-token', 'not-a-token');
  await desk.press('#scenario-token', 'Tab');
  await desk.click('#scenario-save');
  check(await saveState('tokenRefused'), 'kk: a refused token was not said');
  check(await desk.textContent('#scenario-token-note') === STRINGS.kk.scenario.tokenRefused, 'kk: the refused-token words by the field');
  expected.delete(401);
  check(!(await desk.evaluate(() => location.href.includes('not-a-token'))), 'kk: the token is in the URL');
  await desk.fill('#scenario-token', token);
  await desk.press('#scenario-token', 'Tab');
  check(await desk.evaluate(() => sessionStorage.getItem('aimaq.token')) === token, 'kk: the token is not kept in sessionStorage');
  await desk.click('#scenario-save');
  check(await saveState('saved'), `kk: saving failed: ${await desk.textContent('#scenario-save-note')} ${pageErrors.join('\n')} ${consoleErrors.join('\n')}`);
  const schoolId = Number(await desk.getAttribute('#scenario', 'data-scenario-id'));
  const list = await api('GET', 'api/scenarios');
  const listed = list.scenarios.find((s) => s.id === schoolId);
  check(listed && listed.name === schoolName && listed.projects === 1 && listed.created_by === 'e2e-browser-planner',
    `kk: api/scenarios does not list the saved scenario ${schoolId}: ${JSON.stringify(list)}`);
  check(await desk.inputValue('#scenario-pick') === String(schoolId), 'kk: the saved scenario is not the one picked');
  const savedShown = await effectShown(desk, 'kk saved');
  checkFigures(savedShown, await api('GET', `api/scenarios/${schoolId}/evaluation?lang=kk`), 'kk', 'kk saved');
  const links = await desk.$$eval('#scenario-export a', (as) => as.map((a) => a.getAttribute('href')));
  check(links.length === 4, `kk: export links ${JSON.stringify(links)}`);
  for (const href of links) {
    const res = await fetch(new URL(href, baseURL));
    check(res.ok, `kk: export ${href}: HTTP ${res.status}`);
  }

  // An empty scenario, saved, and the two compared.
  await desk.selectOption('#scenario-pick', '');
  const emptyName = 'SYNTHETIC бос сценарий (e2e)';
  await desk.fill('#scenario-name', emptyName);
  await desk.click('#scenario-save');
  check(await saveState('saved'), `kk: saving the empty scenario failed: ${await desk.textContent('#scenario-save-note')}`);
  const emptyId = Number(await desk.getAttribute('#scenario', 'data-scenario-id'));
  check(emptyId && emptyId !== schoolId, `kk: the empty scenario's id ${emptyId}`);
  const { table } = await compareShown(desk, schoolId, emptyId, 'kk');
  await checkNoEnglish(desk, 'kk', 'kk compare');
  result.axe['kk 1440x900 compare'] = await axeCheck(desk, 'kk compare at 1440×900');
  await desk.evaluate(() => document.getElementById('scenario-compare-result').scrollIntoView({ block: 'end' }));
  await desk.screenshot({ path: join(artDir, 'scenario-compare-kk-1440x900.png') });
  noErrors('kk compare');
  result.compare = { a: schoolId, b: emptyId, rows: table.length };
  mark('kk saved and compared');

  if (hasSiting) {
    // Propose sites for the parish: clicking it selects it (and opens its popup).
    await desk.keyboard.press('Escape');
    const spot = await desk.evaluate((id) => {
      // A pixel of the parish with no settlement under it (a settlement's click opens its popup).
      const map = window.aimaqMap;
      const c = map.getCanvas().getBoundingClientRect();
      for (let dy = -200; dy <= 200; dy += 20) {
        for (let dx = -200; dx <= 200; dx += 20) {
          const x = c.width / 2 + dx;
          const y = c.height / 2 + dy;
          const f = map.queryRenderedFeatures([x, y], { layers: ['oblasts-fill'] })[0];
          const busy = map.queryRenderedFeatures([[x - 8, y - 8], [x + 8, y + 8]], { layers: ['settlements-circle', 'scenario-changed', 'scenario-projects-circle'] });
          if (f && f.id === id && !busy.length) return { x: c.left + x, y: c.top + y };
        }
      }
      return null;
    }, areaId);
    check(spot, `kk: no free pixel of parish ${areaId} near the map's centre`);
    await desk.mouse.click(spot.x, spot.y);
    await desk.waitForFunction(() => !document.getElementById('siting-run').disabled, null, { timeout: STEP_TIMEOUT_MS });
    await desk.fill('#siting-k', '2');
    await desk.click('#siting-run');
    await desk.waitForFunction(() => ['ready', 'failed', 'invalid', 'unavailable'].includes(document.getElementById('scenario').dataset.siting),
      null, { timeout: STEP_TIMEOUT_MS });
    const st = await desk.getAttribute('#scenario', 'data-siting');
    if (st !== 'ready') {
      const asked = await desk.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.includes('api/siting')).pop());
      const res = asked ? await fetch(asked) : null;
      throw new TestFailure(`kk: propose sites: ${st}: ${await desk.textContent('#siting-result')} (${asked}: ${res ? `${res.status} ${await res.text()}` : 'not asked'})`);
    }
    const sites = await desk.$$eval('#siting-result li', (ls) => ls.map((l) => ({ rank: l.dataset.rank, newly: l.dataset.newly })));
    const asked = await desk.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.includes('api/siting?')).pop());
    const q = new URL(asked).searchParams;
    check(q.get('level') === 'oblast' && q.get('facility') === 'school' && q.get('k') === '2' && q.get('method') === 'cover' && q.get('lang') === 'kk',
      `kk: propose sites asked ${asked}`);
    const answer = await api('GET', `api/siting?${q}`);
    check(sites.length === answer.sites.length && answer.sites.every((x, i) => sites[i].rank === String(x.rank) && sites[i].newly === String(x.newly_covered)),
      `kk: the proposed sites shown ${JSON.stringify(sites)}, the server's ${JSON.stringify(answer.sites)}`);
    const drawnSites = await desk.evaluate(() => window.aimaqMap.getSource('scenario-sites').serialize().data.features.length);
    check(drawnSites === answer.sites.length, `kk: ${drawnSites} site markers, ${answer.sites.length} sites`);
    await checkNoEnglish(desk, 'kk', 'kk siting');
    result.axe['kk 1440x900 siting'] = await axeCheck(desk, 'kk propose sites at 1440×900');
    await desk.evaluate(() => document.getElementById('siting-result').scrollIntoView({ block: 'end' }));
    await desk.screenshot({ path: join(artDir, 'scenario-siting-kk-1440x900.png') });
    // Saved as a scenario: listed, with one project per site, and picked.
    await desk.click('#siting-save');
    check(await saveState('saved'), `kk: saving the sites failed: ${await desk.textContent('#scenario-save-note')}`);
    const sitesId = Number(await desk.getAttribute('#scenario', 'data-scenario-id'));
    const afterSites = await api('GET', 'api/scenarios');
    check((afterSites.scenarios.find((x) => x.id === sitesId) || {}).projects === answer.sites.length,
      `kk: the sites' scenario ${sitesId}: ${JSON.stringify(afterSites)}`);
    result.siting = { sites, scenario: sitesId };
    noErrors('kk siting');
  }
  await desk.close();

  // ---------- 2. Russian, 390×844, the controls sheet ----------
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const phoneDrafts = watch(phone);
  await open(phone, `#lang=ru&level=oblasts&indicator=school_km_mean&${view}`, 'ru');
  await phone.tap('#panel-toggle');
  await phone.evaluate(() => document.getElementById('scenario').scrollIntoView({ block: 'start' }));
  await phone.tap('#scenario > summary');
  await phone.fill('#scenario-token', token);
  await phone.press('#scenario-token', 'Tab');
  await phone.selectOption('#scenario-pick', String(schoolId));
  const ruSaved = await effectShown(phone, 'ru saved');
  checkFigures(ruSaved, await api('GET', `api/scenarios/${schoolId}/evaluation?lang=ru`), 'ru', 'ru saved');
  // A feldsher-midwife post placed with the sheet out of the way.
  await phone.selectOption('#scenario-facility', 'feldsher_post');
  await phone.tap('#scenario-place');
  check(await phone.evaluate(() => document.body.dataset.sheet) === '', 'ru: placing did not close the sheet to free the map');
  const near = { lon: point.lon + 0.002, lat: point.lat + 0.001 };
  await clickMap(phone, near, true);
  const ruDraft = await effectShown(phone, 'ru draft');
  const sentRu = phoneDrafts[phoneDrafts.length - 1];
  check(sentRu && sentRu.projects.length === 2 && sentRu.projects[1].facility_kind === 'feldsher_post',
    `ru: the draft sent: ${JSON.stringify(sentRu)}`);
  const evRu = await api('POST', 'api/scenarios/evaluate?lang=ru', sentRu);
  checkFigures(ruDraft, evRu, 'ru', 'ru draft');
  const hintRu = await phone.textContent('#scenario-hint .scenario-hint-text');
  check(hintRu.includes(STRINGS.ru.scenario.placed(STRINGS.ru.scenario.facilities.feldsher_post)), `ru: the hint says ${JSON.stringify(hintRu)}`);
  result.axe['ru 390x844 map'] = await axeCheck(phone, 'ru placed at 390×844, sheet closed');
  await phone.screenshot({ path: join(artDir, 'scenario-place-ru-390x844.png') });
  await phone.tap('#panel-toggle');
  await phone.evaluate(() => document.getElementById('scenario-effect').scrollIntoView({ block: 'start' }));
  const sheet = await phone.evaluate(() => {
    const r = document.getElementById('scenario-effect').getBoundingClientRect();
    return { sheet: document.body.dataset.sheet, top: r.top, height: r.height, vh: window.innerHeight, width: r.width, vw: window.innerWidth };
  });
  check(sheet.sheet === 'panel' && sheet.height > 0 && sheet.top >= 0 && sheet.top < sheet.vh && sheet.width <= sheet.vw,
    `ru 390×844: the effect is not in view in the controls sheet: ${JSON.stringify(sheet)}`);
  await checkNoEnglish(phone, 'ru', 'ru draft');
  result.axe['ru 390x844 sheet'] = await axeCheck(phone, 'ru effect at 390×844, controls sheet open');
  await phone.screenshot({ path: join(artDir, 'scenario-ru-390x844.png') });
  // Saved: the post is added to the school's scenario, listed with two projects.
  await phone.tap('#scenario-save');
  const ruSavedOk = await phone.waitForFunction(() => document.getElementById('scenario-save-note').dataset.state === 'saved',
    null, { timeout: STEP_TIMEOUT_MS }).then(() => true, () => false);
  check(ruSavedOk, `ru: saving failed: ${await phone.textContent('#scenario-save-note')}`);
  const ruList = await api('GET', 'api/scenarios');
  check((ruList.scenarios.find((x) => x.id === schoolId) || {}).projects === 2, `ru: api/scenarios: ${JSON.stringify(ruList)}`);
  check(await phone.evaluate((id) => [...document.querySelectorAll('#scenario-pick option')].some((o) => o.value === String(id) && o.selected), schoolId),
    'ru: the saved scenario is not picked in the select');
  checkFigures(await effectShown(phone, 'ru saved twice'), await api('GET', `api/scenarios/${schoolId}/evaluation?lang=ru`), 'ru', 'ru saved twice');
  const ruCmp = await compareShown(phone, schoolId, emptyId, 'ru');
  await phone.evaluate(() => document.getElementById('scenario-compare-result').scrollIntoView({ block: 'end' }));
  await checkNoEnglish(phone, 'ru', 'ru compare');
  result.axe['ru 390x844 compare'] = await axeCheck(phone, 'ru compare at 390×844');
  await phone.screenshot({ path: join(artDir, 'scenario-compare-ru-390x844.png') });
  noErrors('ru');
  result.ru = { changed: evRu.changed_settlements, newlyServed: evRu.newly_served, compareRows: ruCmp.table.length };
  await phone.close();
  mark('ru');

  console.log(JSON.stringify({ ...result, timingsMs: timings }));
} catch (err) {
  exitCode = 1;
  console.error(`FAIL scenario.test: ${err instanceof TestFailure ? err.message : err && err.stack ? err.stack : err}`);
} finally {
  await browser.close().catch(() => {});
}
process.exit(exitCode);

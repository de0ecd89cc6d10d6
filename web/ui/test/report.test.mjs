// End-to-end check of the printable area report (/report/{level}/{code}, issue 10.5) in
// Debian's Chromium, driven by playwright-core (which never downloads a browser).
//
//   node web/ui/test/report.test.mjs <baseURL> <artifactsDir>
//
// It opens the report of Tselinograd district (KATO 116600000) in Kazakh and of Akmola
// oblast in Russian, prints each to A4 (page.pdf) and saves report-<level>.pdf and a PNG
// screenshot at A4 width (report-<level>.png) in <artifactsDir>. It checks: the page count
// (the PDF's /Type /Page objects: 1 or 2), that no element is wider than the printable width
// of A4, that every value equals /api/areas, that the page loads nothing but itself, and
// axe-core: no serious or critical violation.
//
// Exit code 0 = pass; otherwise a message on stderr says which check failed. On success one
// line of JSON (pages, bytes, axe counts) goes to stdout. CHROMIUM overrides the browser path.

import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const [baseURL, artifacts] = process.argv.slice(2);
if (!baseURL || !artifacts) {
  console.error('usage: node web/ui/test/report.test.mjs <baseURL> <artifactsDir>');
  process.exit(2);
}
const base = baseURL.replace(/\/$/, '');
const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const TSELINOGRAD = '116600000';
// A4 at the CSS 96 px per inch: 210 mm wide; the report's @page margins leave 188 mm.
const A4_PX = Math.round((210 / 25.4) * 96);
const PRINTABLE_PX = Math.round((188 / 25.4) * 96);

class TestFailure extends Error {}
function check(cond, message) {
  if (!cond) throw new TestFailure(message);
}

async function getJSON(path) {
  const res = await fetch(base + path);
  check(res.ok, `GET ${path}: ${res.status}`);
  return res.json();
}

/** The PDF's page objects ("/Type /Page", not "/Type /Pages"). */
function pdfPages(buf) {
  return (buf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) || []).length;
}

async function axeCheck(page, where) {
  await page.addScriptTag({ path: AXE_PATH });
  const violations = await page.evaluate(async () => (await window.axe.run(document)).violations
    .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) })));
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  check(bad.length === 0, `axe-core, ${where}: ${bad.length} serious/critical violation(s):\n  ` +
    bad.map((v) => `${v.impact} ${v.id}: ${v.nodes.join(', ')}`).join('\n  '));
  const counts = {};
  for (const v of violations) counts[v.impact] = (counts[v.impact] || 0) + 1;
  return counts;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--enable-unsafe-swiftshader', '--disable-background-networking'],
});
let exitCode = 0;
try {
  // Akmola oblast, Tselinograd's oblast, by its English name in the API.
  const oblasts = await getJSON('/api/areas/oblast?indicator=population_density');
  const akmola = oblasts.areas.find((a) => /akmola/i.test(a.name_en));
  check(akmola, 'no Akmola oblast in /api/areas/oblast');
  const reports = [
    { level: 'district', code: TSELINOGRAD, lang: 'kk' },
    { level: 'oblast', code: akmola.code, lang: 'ru' },
  ];
  const out = {};
  for (const r of reports) {
    const path = `/report/${r.level}/${r.code}?lang=${r.lang}`;
    // bypassCSP: the page's policy (no script at all) would block axe-core's injection.
    const context = await browser.newContext({ viewport: { width: A4_PX, height: 1123 }, bypassCSP: true });
    const page = await context.newPage();
    const foreign = [];
    const errors = [];
    page.on('request', (req) => { const u = req.url(); if (!u.startsWith(base + '/report/') && !u.endsWith('/favicon.ico')) foreign.push(u); });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    const started = Date.now();
    const res = await page.goto(base + path, { waitUntil: 'load' });
    const loadMs = Date.now() - started;
    check(res.status() === 200, `${path}: ${res.status()}`);
    const bytes = (await res.body()).length;
    check(await page.evaluate(() => document.documentElement.lang) === r.lang, `${path}: html lang is not ${r.lang}`);

    // Every value is the API's, for the same run.
    const rows = await page.$$eval('tr[data-indicator]', (trs) => trs.map((tr) => ({ name: tr.dataset.indicator, value: tr.dataset.value ?? null })));
    check(rows.length >= 5, `${path}: only ${rows.length} indicator rows`);
    for (const row of rows) {
      const api = await getJSON(`/api/areas/${r.level}?indicator=${row.name}`);
      const own = api.areas.find((a) => a.code === r.code);
      check(own, `${path}: ${r.code} missing from /api/areas/${r.level}?indicator=${row.name}`);
      const got = row.value === null ? null : Number(row.value);
      check(got === own.value, `${path}: ${row.name} is ${got} in the report, ${own.value} in the API`);
    }
    check(await page.$$eval('figure svg path', (ps) => ps.length) >= 2, `${path}: the map has no areas`);
    check(await page.$$eval('figure svg circle', (cs) => cs.length) >= 1, `${path}: the map has no settlements`);

    // Nothing wider than A4's printable width, in print media.
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: PRINTABLE_PX, height: 1000 });
    const wide = await page.evaluate((limit) => {
      const over = [];
      for (const el of document.querySelectorAll('body *')) {
        const b = el.getBoundingClientRect();
        // A cell whose content is wider than the cell spills over its neighbour.
        const spills = (el.tagName === 'TD' || el.tagName === 'TH') && el.scrollWidth > el.clientWidth + 1;
        if (b.width > 0 && (spills || b.right > limit + 0.5 || b.left < -0.5)) over.push(`${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className : ''} ${Math.round(b.left)}–${Math.round(b.right)}`);
      }
      return { over: over.slice(0, 8), scroll: document.documentElement.scrollWidth };
    }, PRINTABLE_PX);
    check(wide.over.length === 0 && wide.scroll <= PRINTABLE_PX, `${path}: wider than the printable ${PRINTABLE_PX} px (scroll width ${wide.scroll}): ${wide.over.join('; ')}`);

    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    await writeFile(join(artifacts, `report-${r.level}.pdf`), pdf);
    const pages = pdfPages(pdf);
    check(pages >= 1 && pages <= 2, `${path}: ${pages} pages printed; want 1 or 2`);

    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: A4_PX, height: 1123 });
    await page.screenshot({ path: join(artifacts, `report-${r.level}.png`), fullPage: true });
    const axe = await axeCheck(page, path);
    check(foreign.length === 0, `${path}: loads other resources: ${foreign.slice(0, 5).join(', ')}`);
    check(errors.length === 0, `${path}: errors in the page: ${errors.join('; ')}`);
    out[r.level] = { path, rows: rows.length, pages, pdfBytes: pdf.length, htmlBytes: bytes, loadMs, axe };
    await context.close();
  }
  console.log(JSON.stringify({ ok: true, ...out }));
} catch (err) {
  exitCode = 1;
  console.error(`FAIL report.test: ${err instanceof TestFailure ? err.message : err && err.stack ? err.stack : err}`);
} finally {
  await browser.close().catch(() => {});
}
process.exit(exitCode);

// The map reading its tiles from a PMTiles archive (?pmtiles=NAME, src/pmtiles.js) in Debian's
// Chromium, driven by playwright-core:
//
//   node web/ui/test/pmtiles.test.mjs <baseURL> <archiveName>
//
// Passes (exit 0) when the map becomes ready with rendered area features, every vector tile
// came from range requests to <baseURL>/pmtiles/<archiveName>.pmtiles (206) and none from
// /tiles/…mvt, with no page error, no console error other than HTTP errors, and no HTTP error
// from the archive, tiles or fonts (others, such as an API route the test country has no
// data for, are listed in the JSON line on stdout).

import { chromium } from 'playwright-core';

const [baseURL, name] = process.argv.slice(2);
if (!baseURL || !name) {
  console.error('usage: node web/ui/test/pmtiles.test.mjs <baseURL> <archiveName>');
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--enable-unsafe-swiftshader',
    '--disable-background-networking', '--disable-quic', '--no-first-run',
    '--disable-component-update', '--disable-sync'],
});
const problems = [];
let exitCode = 0;
try {
  const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
  const ranges = [];
  const tileRequests = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err}`));
  // An HTTP error shows as a console error too: those are judged by URL below instead
  // (the test country may lack data the page asks the API for, which is not this test's business).
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/^Failed to load resource/.test(msg.text())) problems.push(`console error: ${msg.text()}`);
  });
  const otherFailures = [];
  page.on('response', (res) => {
    const url = res.url();
    if (res.status() >= 400) {
      if (/\/(pmtiles|tiles|fonts)\//.test(url)) problems.push(`${url}: HTTP ${res.status()}`);
      else otherFailures.push(`${new URL(url).pathname} ${res.status()}`);
    }
    if (url.includes(`/pmtiles/${name}.pmtiles`)) ranges.push({ status: res.status(), range: res.request().headers().range || '' });
    if (/\/tiles\/[^/]+\/\d+\/\d+\/\d+\.(mvt|pbf)/.test(url)) tileRequests.push(url);
  });
  const url = new URL(baseURL);
  url.searchParams.set('pmtiles', name);
  await page.goto(url.href, { waitUntil: 'load', timeout: 15_000 });
  await page.waitForFunction(() => document.body.dataset.mapReady === '1', null, { timeout: 60_000 });
  await page.waitForFunction(() => window.aimaqMap.areTilesLoaded(), null, { timeout: 30_000 });
  const rendered = await page.evaluate(() => {
    const map = window.aimaqMap;
    const sources = Object.fromEntries(Object.entries(map.getStyle().sources)
      .filter(([, s]) => s.type === 'vector').map(([k, s]) => [k, s.url]));
    return { sources, areas: map.queryRenderedFeatures().filter((f) => f.source !== 'settlements').length };
  });
  const bad = (cond, msg) => { if (cond) problems.push(msg); };
  bad(Object.values(rendered.sources).some((u) => !u.startsWith('pmtiles://')), `sources not on the archive: ${JSON.stringify(rendered.sources)}`);
  bad(rendered.areas === 0, 'no area feature rendered from the archive');
  bad(ranges.length === 0, 'no request to the archive');
  bad(ranges.some((r) => r.status !== 206 || !r.range.startsWith('bytes=')), `archive requests not all 206 ranges: ${JSON.stringify(ranges)}`);
  bad(tileRequests.length > 0, `tiles asked of /tiles: ${tileRequests.slice(0, 3).join(', ')}`);
  console.log(JSON.stringify({ archiveRequests: ranges.length, renderedAreas: rendered.areas, otherFailures }));
} catch (err) {
  problems.push(String(err && err.stack ? err.stack : err));
} finally {
  await browser.close();
}
if (problems.length) {
  console.error(`pmtiles map test failed:\n  ${problems.join('\n  ')}`);
  exitCode = 1;
}
process.exit(exitCode);

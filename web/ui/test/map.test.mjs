// End-to-end check of the planner's map in Debian's Chromium (driven by playwright-core,
// which never downloads a browser).
//
//   node web/ui/test/map.test.mjs <baseURL> <screenshotPath>
//
// Exit code 0 = pass; otherwise a message on stderr says which step failed. On success one
// line of JSON (counts and timings) goes to stdout. CHROMIUM overrides the browser path.

import { chromium } from 'playwright-core';

const [baseURL, screenshotPath] = process.argv.slice(2);
if (!baseURL || !screenshotPath) {
  console.error('usage: node web/ui/test/map.test.mjs <baseURL> <screenshotPath>');
  process.exit(2);
}

const READY_TIMEOUT_MS = 60_000;
const STEP_TIMEOUT_MS = 15_000;
// A point inside a known district: Astana.
const ASTANA = [71.45, 51.15];

const t0 = Date.now();
const timings = {};
const mark = (name) => { timings[name] = Date.now() - t0; };

/** Fail with a clear message; the browser is closed by the finally block below. */
class TestFailure extends Error {}
function check(cond, message) {
  if (!cond) throw new TestFailure(message);
}

const pageErrors = [];
const consoleErrors = [];
const warnings = [];
const failedRequests = [];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  // launch() gives the browser its own fresh, temporary user-data-dir.
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--enable-unsafe-swiftshader',
    '--disable-background-networking', '--disable-quic', '--no-first-run',
    '--disable-component-update', '--disable-sync'],
});

let exitCode = 0;
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  page.on('pageerror', (err) => pageErrors.push(String(err && err.stack ? err.stack : err)));
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(`${msg.text()} ${JSON.stringify(msg.location())}`);
    // Keep the page's own warnings (e.g. "aimaq map: source …"), not SwiftShader's GL chatter.
    else if (msg.type() === 'warning' && !/GL Driver Message/.test(msg.text())) warnings.push(msg.text());
  });
  page.on('requestfailed', (req) => failedRequests.push(`${req.url()} ${req.failure()?.errorText}`));
  page.on('response', (res) => {
    if (res.status() >= 400) failedRequests.push(`${res.url()} HTTP ${res.status()}`);
  });
  const noErrors = (step) => {
    check(pageErrors.length === 0, `page error ${step}:\n  ${pageErrors.join('\n  ')}`);
    check(consoleErrors.length === 0, `console error ${step}:\n  ${consoleErrors.join('\n  ')}` +
      (failedRequests.length ? `\nfailed requests:\n  ${failedRequests.join('\n  ')}` : ''));
  };

  // 1. Load the page and wait for the map's first idle with tiles loaded.
  const resp = await page.goto(baseURL, { waitUntil: 'load', timeout: STEP_TIMEOUT_MS });
  check(resp && resp.ok(), `GET ${baseURL} answered ${resp ? resp.status() : 'nothing'}`);
  mark('loaded');
  // Stop early when the page reports that its data could not be loaded (#status shown).
  const ready = await page.waitForFunction(() => document.body.dataset.mapReady === '1' ||
    document.getElementById('status')?.hidden === false, null, { timeout: READY_TIMEOUT_MS })
    .then(() => page.evaluate(() => document.body.dataset.mapReady === '1'), () => false);
  if (!ready) {
    const status = await page.evaluate(() => {
      const s = document.getElementById('status');
      return s && !s.hidden ? s.textContent : '';
    }).catch(() => '');
    const list = (title, items) => (items.length ? `\n${title}:\n  ${items.join('\n  ')}` : '');
    throw new TestFailure(`map not ready: body[data-map-ready="1"] missing (waited up to ${READY_TIMEOUT_MS / 1000} s)` +
      (status ? `\npage status: ${status}` : '') +
      list('page errors', pageErrors) + list('console errors', consoleErrors) +
      list('warnings', warnings) + list('failed requests', failedRequests));
  }
  mark('mapReady');
  noErrors('while loading');

  // 2. Rendered features: the district choropleth fills the view, oblast borders are drawn.
  const counts = await page.evaluate(() => {
    const map = window.aimaqMap;
    const distinct = (fs) => new Set(fs.map((f) => f.id ?? JSON.stringify(f.properties))).size;
    const q = (layer) => (map.getLayer(layer) ? map.queryRenderedFeatures({ layers: [layer] }) : []);
    return {
      zoom: map.getZoom(),
      districts: distinct(q('districts-fill')),
      oblasts: distinct(q('oblasts-line')),
      groups: distinct(q('groups-line')),
      districtSample: (q('districts-fill')[0] || {}).properties || null,
    };
  });
  check(counts.districts > 100,
    `expected >100 rendered districts in the initial view, got ${counts.districts} (zoom ${counts.zoom.toFixed(2)}); ` +
    `warnings: ${warnings.join(' | ') || 'none'}`);
  check(counts.oblasts > 0, 'no oblast features rendered (layer oblasts-line)');
  check(counts.districtSample && typeof counts.districtSample.density === 'number',
    `district features carry no numeric "density": ${JSON.stringify(counts.districtSample)}`);
  mark('features');

  // 3. Legend: at least five classes, unit in km² (Cyrillic км² in kk/ru).
  const legend = await page.evaluate(() => {
    const box = document.getElementById('legend');
    return box ? { rows: box.querySelectorAll('.legend-row').length, text: box.innerText } : null;
  });
  check(legend, 'no element #legend');
  check(legend.rows >= 5, `legend has ${legend.rows} rows, expected >= 5`);
  check(/[kк][mм]²/.test(legend.text), `legend does not mention km²: ${legend.text.slice(0, 200)}`);

  // 4. Click Astana's district: a popup with a name and a population number.
  const point = await page.evaluate((lngLat) => {
    const map = window.aimaqMap;
    const p = map.project(lngLat);
    const r = map.getCanvas().getBoundingClientRect();
    const hit = map.queryRenderedFeatures(p, { layers: ['districts-fill'] }).length > 0;
    return { x: r.left + p.x, y: r.top + p.y, hit };
  }, ASTANA);
  let target = point;
  if (!point.hit) {
    // The data have no district there (partial import?): use the first rendered district.
    target = await page.evaluate(() => {
      const map = window.aimaqMap;
      const r = map.getCanvas().getBoundingClientRect();
      const { width, height } = map.getCanvas().getBoundingClientRect();
      for (let y = 0.3; y < 0.8; y += 0.05) {
        for (let x = 0.4; x < 0.9; x += 0.05) {
          const p = [width * x, height * y];
          if (map.queryRenderedFeatures(p, { layers: ['districts-fill'] }).length) {
            return { x: r.left + p[0], y: r.top + p[1], hit: true };
          }
        }
      }
      return { hit: false };
    });
    check(target.hit, 'found no rendered district to click');
  }
  await page.mouse.click(target.x, target.y);
  await page.waitForSelector('.maplibregl-popup', { timeout: STEP_TIMEOUT_MS });
  const popupRu = await page.evaluate(() => {
    const pop = document.querySelector('.maplibregl-popup');
    return { name: pop.querySelector('.popup-name')?.textContent.trim() || '', text: pop.innerText };
  });
  check(popupRu.name && popupRu.name !== '—', `popup shows no name: ${JSON.stringify(popupRu.text)}`);
  check(/\d/.test(popupRu.text.replace(popupRu.name, '')), `popup shows no population number: ${JSON.stringify(popupRu.text)}`);
  mark('popup');

  // 5. Switch to English: legend and popup re-labelled, hash updated.
  await page.click('#lang [data-lang="en"]');
  await page.waitForFunction(() => /Population density/.test(document.getElementById('legend').innerText),
    null, { timeout: STEP_TIMEOUT_MS });
  const en = await page.evaluate(() => ({
    legend: document.getElementById('legend').innerText,
    popup: document.querySelector('.maplibregl-popup')?.innerText || '',
    hash: location.hash,
  }));
  check(/km²/.test(en.legend), `English legend lacks km²: ${en.legend.slice(0, 200)}`);
  check(/Population/.test(en.popup), `popup not re-labelled in English: ${JSON.stringify(en.popup)}`);
  check(en.popup !== popupRu.text, 'popup text did not change on language switch');
  check(/lang=en/.test(en.hash), `URL hash not updated: ${en.hash}`);
  mark('language');

  // 6. Click a settlement near Astana: the popup loads its accessibility report
  //    (GET api/settlements/{id}/access) and shows a distance with the straight-line badge.
  const closeButton = await page.$('.maplibregl-popup-close-button');
  if (closeButton) await closeButton.click(); // the district popup sits right on Astana
  const settlement = await page.evaluate(async ({ center, timeout }) => {
    const map = window.aimaqMap;
    // Resolve on the first idle with every tile of the new view loaded.
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no idle after jumpTo')), timeout);
      const done = () => {
        if (!map.areTilesLoaded()) return;
        map.off('idle', done);
        clearTimeout(timer);
        resolve();
      };
      map.on('idle', done);
      map.jumpTo({ center, zoom: 9 });
      map.triggerRepaint();
    });
    const r = map.getCanvas().getBoundingClientRect();
    const panel = document.getElementById('panel').getBoundingClientRect();
    const features = map.queryRenderedFeatures({ layers: ['settlements-circle'] });
    // The top-most settlement whose centre is on the map and clear of the panel.
    for (const f of features) {
      if (f.id === undefined || f.geometry.type !== 'Point') continue;
      const p = map.project(f.geometry.coordinates);
      const x = r.left + p.x;
      const y = r.top + p.y;
      if (x > panel.right + 20 && x < r.right - 60 && y > r.top + 40 && y < r.bottom - 60) {
        return { x, y, id: f.id, rendered: features.length, props: f.properties };
      }
    }
    return { rendered: features.length };
  }, { center: ASTANA, timeout: STEP_TIMEOUT_MS });
  check(settlement.id !== undefined,
    `no settlement with an id rendered near Astana at z9 (layer settlements-circle, ${settlement.rendered} rendered)`);
  await page.mouse.click(settlement.x, settlement.y);
  await page.waitForSelector('.maplibregl-popup .popup-access:not([data-state="loading"])', { timeout: STEP_TIMEOUT_MS });
  const accessPopup = await page.evaluate(() => {
    const pop = document.querySelector('.maplibregl-popup');
    const sec = pop.querySelector('.popup-access');
    return {
      name: pop.querySelector('.popup-name')?.textContent.trim() || '',
      state: sec.dataset.state,
      text: pop.innerText,
      badges: sec.querySelectorAll('.badge-straight-line').length,
      srs: sec.querySelectorAll('[data-srs-check]').length,
    };
  });
  check(accessPopup.state === 'ready',
    `settlement ${settlement.id} popup: accessibility ${accessPopup.state} (was aimaq compute run?): ${JSON.stringify(accessPopup.text)}`);
  check(/\d\s?km\b/.test(accessPopup.text), `settlement popup shows no distance in km: ${JSON.stringify(accessPopup.text)}`);
  check(accessPopup.badges > 0, `settlement popup has no straight-line badge: ${JSON.stringify(accessPopup.text)}`);
  check(accessPopup.srs === 4, `settlement popup shows ${accessPopup.srs} of 4 standards rows`);
  // The same popup in Kazakh: units and badge re-labelled without a new request.
  await page.click('#lang [data-lang="kk"]');
  const kk = await page.evaluate(() => document.querySelector('.maplibregl-popup')?.innerText || '');
  check(/\d\s?км/.test(kk) && /түзу сызық/.test(kk), `settlement popup not re-labelled in Kazakh: ${JSON.stringify(kk)}`);
  await page.click('#lang [data-lang="en"]');
  mark('settlementPopup');

  // 7. Colour settlements by distance to the district centre (computed from settlements
  //    alone, so the tiles carry it), then by the school distance: when nothing in view has
  //    a value, the panel says that it needs an OpenStreetMap extract.
  const colourBy = async (name) => {
    await page.selectOption('#settlement-color', name);
    return page.evaluate(async ({ name, timeout }) => {
      const map = window.aimaqMap;
      await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no idle after colouring')), timeout);
        map.once('idle', () => { clearTimeout(timer); resolve(); });
        map.triggerRepaint();
      });
      const fs = map.queryRenderedFeatures({ layers: ['settlements-circle'] });
      const note = document.getElementById('settlement-color-note');
      return {
        paint: JSON.stringify(map.getPaintProperty('settlements-circle', 'circle-color')),
        rendered: fs.length,
        withValue: fs.filter((f) => typeof (f.properties || {})[name] === 'number').length,
        methods: [...new Set(fs.map((f) => (f.properties || {}).access_method).filter(Boolean))],
        ramp: document.querySelectorAll('#settlement-color-legend .ramp-row').length,
        note: note.hidden ? '' : note.innerText,
        noteState: note.dataset.state || '',
        hash: location.hash,
      };
    }, { name, timeout: STEP_TIMEOUT_MS });
  };
  const byCentre = await colourBy('district_centre_km');
  check(byCentre.paint.includes('district_centre_km'), `circle-color does not use district_centre_km: ${byCentre.paint}`);
  check(byCentre.withValue > 0,
    `no rendered settlement carries a numeric district_centre_km (${byCentre.rendered} rendered): settlement tiles lack the indicator`);
  check(byCentre.ramp >= 5, `settlement colour legend has ${byCentre.ramp} rows`);
  check(byCentre.noteState === '', `note shown although values are in view: ${byCentre.note}`);
  check(/color=district_centre_km/.test(byCentre.hash), `URL hash lacks the colour: ${byCentre.hash}`);
  const bySchool = await colourBy('school_km');
  if (bySchool.withValue === 0) {
    check(bySchool.noteState === 'no-values' && /OpenStreetMap/.test(bySchool.note),
      `school_km has no values in view but the panel does not say it needs an OpenStreetMap extract: ${JSON.stringify(bySchool)}`);
  }
  await colourBy('district_centre_km'); // for the screenshot
  mark('settlementColour');

  noErrors('during the test');
  await page.screenshot({ path: screenshotPath, fullPage: true });
  mark('screenshot');

  console.log(JSON.stringify({
    ok: true,
    zoom: Number(counts.zoom.toFixed(2)),
    districts: counts.districts,
    oblasts: counts.oblasts,
    groups: counts.groups,
    legendRows: legend.rows,
    popupName: popupRu.name,
    settlement: { id: settlement.id, name: accessPopup.name, badges: accessPopup.badges },
    schoolKmInView: bySchool.withValue,
    accessMethods: byCentre.methods,
    clicked: point.hit ? 'astana' : 'first-rendered-district',
    warnings: warnings.length,
    timingsMs: timings,
  }));
} catch (err) {
  exitCode = 1;
  console.error(`FAIL map.test: ${err instanceof TestFailure ? err.message : err && err.stack ? err.stack : err}`);
} finally {
  await browser.close().catch(() => {});
}
process.exit(exitCode);

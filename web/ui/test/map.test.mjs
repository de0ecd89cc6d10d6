// End-to-end check of the planner's map in Debian's Chromium (driven by playwright-core,
// which never downloads a browser).
//
//   node web/ui/test/map.test.mjs <baseURL> <screenshotPath>
//
// The other screenshots (1440×900, 1024×768, 390×844 with the sheets closed and open, a
// popup on a phone) go beside <screenshotPath> as map-<what>.png. axe-core checks the page
// at each of them: any "serious" or "critical" violation fails the test. The map view
// downloaded as a PNG (issue 10.5) at 1440×900 and 390×844 goes there too, as export-<size>.png.
//
// Exit code 0 = pass; otherwise a message on stderr says which step failed. On success one
// line of JSON (counts and timings) goes to stdout. CHROMIUM overrides the browser path.

import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
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
const glyphResponses = []; // { url, status } of every fonts/{fontstack}/{range}.pbf request

// axe-core's browser build, injected into the page under test (a devDependency).
const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const shotPath = (name) => join(dirname(screenshotPath), `map-${name}.png`);
/** Shell commands a planner must never see in the map (issue 10, point 4). */
const COMMAND = /\baimaq\s+(import|compute|run)\b|&&|\.osm\.pbf/;

/**
 * axe-core on the page as it is now: the violations of impact serious or critical fail the
 * test; returns the counts by impact for the report.
 */
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
 * Download the map view as a PNG (#download-png), save it as export-<name>.png beside the
 * screenshot and check it: a PNG named after the level, indicator and date, of the map
 * canvas's pixel size, with the legend's class colours in it (its swatches) and the map
 * itself (the fills: each class colour at the fill opacity over the background).
 */
async function checkPNGExport(page, name) {
  const want = await page.evaluate(() => {
    const c = window.aimaqMap.getCanvas();
    const rgb = (s) => s.match(/\d+/g).slice(0, 3).map(Number);
    return {
      width: c.width, height: c.height,
      colors: [...document.querySelectorAll('#legend-rows .legend-row .swatch')].map((sw) => rgb(getComputedStyle(sw).backgroundColor)),
    };
  });
  check(want.colors.length >= 2, `${name}: the legend shows ${want.colors.length} classes before the export`);
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: STEP_TIMEOUT_MS }), page.click('#download-png')]);
  const file = join(dirname(screenshotPath), `export-${name}.png`);
  await download.saveAs(file);
  const png = await readFile(file);
  check(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), `${name}: the download is not a PNG`);
  const size = { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
  check(size.width === want.width && size.height === want.height,
    `${name}: the PNG is ${size.width}×${size.height}, the map canvas ${want.width}×${want.height}`);
  check(/^aimaq-district-population_density-\d{4}-\d{2}-\d{2}\.png$/.test(download.suggestedFilename()),
    `${name}: file name ${download.suggestedFilename()}`);
  check(await page.evaluate(() => document.getElementById('download').dataset.state) === 'done', `${name}: #download not done`);
  // Decode it in the page and count its colours.
  const seen = await page.evaluate(async ({ data, colors }) => {
    const img = new Image();
    img.src = `data:image/png;base64,${data}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const px = ctx.getImageData(0, 0, c.width, c.height).data;
    const bg = [0xee, 0xf1, 0xf4]; // the map's background layer; the fills are at opacity 0.88
    const filled = colors.map((k) => k.map((v, i) => Math.round(0.88 * v + 0.12 * bg[i])));
    const exact = colors.map(() => 0);
    const fill = colors.map(() => 0);
    const distinct = new Set();
    for (let i = 0; i < px.length; i += 4) {
      const [r, g, b] = [px[i], px[i + 1], px[i + 2]];
      if (distinct.size < 5000) distinct.add((r << 16) | (g << 8) | b);
      colors.forEach((k, j) => {
        if (r === k[0] && g === k[1] && b === k[2]) exact[j]++;
        const f = filled[j];
        if (Math.abs(r - f[0]) <= 3 && Math.abs(g - f[1]) <= 3 && Math.abs(b - f[2]) <= 3) fill[j]++;
      });
    }
    return { exact, fill, distinct: distinct.size };
  }, { data: png.toString('base64'), colors: want.colors });
  check(seen.exact.every((n) => n >= 50), `${name}: legend swatches missing from the PNG: ${JSON.stringify(seen.exact)}`);
  check(seen.fill.filter((n) => n >= 100).length >= 3, `${name}: the map's fills are not in the PNG (blank map?): ${JSON.stringify(seen.fill)}`);
  check(seen.distinct >= 100, `${name}: only ${seen.distinct} colours in the PNG`);
  return { ...size, bytes: png.length, distinctColours: seen.distinct === 5000 ? '5000+' : seen.distinct };
}

/**
 * Bytes transferred (headers and encoded bodies, the map worker's tile requests included)
 * by the requests a page has finished so far; start() begins counting on a fresh page.
 */
function transferCounter(page) {
  const sizes = [];
  page.on('requestfinished', (req) => sizes.push(req.sizes()
    .then((z) => z.responseHeadersSize + Math.max(0, z.responseBodySize), () => 0)));
  return async () => {
    const got = await Promise.all(sizes.slice());
    return { bytes: got.reduce((a, b) => a + b, 0), requests: got.length };
  };
}

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
  const firstViewBytes = transferCounter(page);
  const watch = (p) => {
    p.on('pageerror', (err) => pageErrors.push(String(err && err.stack ? err.stack : err)));
    p.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(`${msg.text()} ${JSON.stringify(msg.location())}`);
      // Keep the page's own warnings (e.g. "aimaq map: source …"), not SwiftShader's GL chatter.
      else if (msg.type() === 'warning' && !/GL Driver Message/.test(msg.text())) warnings.push(msg.text());
    });
    p.on('requestfailed', (req) => failedRequests.push(`${req.url()} ${req.failure()?.errorText}`));
    p.on('response', (res) => {
      if (res.status() >= 400) failedRequests.push(`${res.url()} HTTP ${res.status()}`);
      if (/\/fonts\/[^/]+\/\d+-\d+\.pbf(\?|$)/.test(res.url())) glyphResponses.push({ url: res.url(), status: res.status() });
    });
  };
  watch(page);
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
  // The weight of the first view: everything transferred until the map's first idle.
  const pageWeight = { '1280x860': await firstViewBytes() };
  // Accessibility of the loaded page (desktop); the other layouts are checked below.
  const axe = { '1280x860': await axeCheck(page, 'loaded page at 1280×860') };

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

  // 2b. Labels: glyphs come from the server (DejaVu Sans, regular or bold), and the oblast
  //     names are drawn at the initial view, in the page's language.
  const glyphsOK = glyphResponses.filter((r) => r.status === 200 &&
    /\/fonts\/DejaVu%20Sans(%20Bold)?\/\d+-\d+\.pbf/.test(r.url));
  check(glyphsOK.length > 0,
    `no glyph request /fonts/DejaVu%20Sans[%20Bold]/{range}.pbf answered 200: ${JSON.stringify(glyphResponses)}`);
  const labels = await page.evaluate(() => {
    const map = window.aimaqMap;
    const names = (layer) => (map.getLayer(layer)
      ? map.queryRenderedFeatures({ layers: [layer] }).map((f) => (f.properties || {}).name_ru || (f.properties || {}).name_en)
      : null);
    return {
      glyphs: map.getStyle().glyphs,
      oblasts: names('oblasts-label'),
      textField: JSON.stringify(map.getLayoutProperty('oblasts-label', 'text-field')),
      lang: document.documentElement.lang,
    };
  });
  check(/\{fontstack\}\/\{range\}\.pbf$/.test(labels.glyphs), `style glyphs template is ${labels.glyphs}`);
  check(labels.oblasts !== null, 'no layer oblasts-label');
  check(new Set(labels.oblasts).size >= 5,
    `expected >= 5 oblast labels at the initial view (layer oblasts-label), got ${JSON.stringify(labels.oblasts)}`);
  check(labels.textField.includes(`name_${labels.lang}`),
    `oblast labels not in the page's language ${labels.lang}: ${labels.textField}`);
  mark('labels');

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
  // The density row (and its description) comes with the classification.
  await page.waitForSelector('.maplibregl-popup .popup-about dd[data-about="population_density"]',
    { state: 'attached', timeout: STEP_TIMEOUT_MS });
  const popupRu = await page.evaluate(() => {
    const pop = document.querySelector('.maplibregl-popup');
    const about = pop.querySelector('details.popup-about');
    return {
      name: pop.querySelector('.popup-name')?.textContent.trim() || '',
      text: pop.innerText,
      about: about ? { open: about.open, items: [...about.querySelectorAll('dd[data-about]')].map((d) => [d.dataset.about, d.textContent]) } : null,
    };
  });
  // What the figures mean and where they come from: on demand (a closed <details>), the
  // mapped indicator described from the catalogue, the population with its source.
  check(popupRu.about && !popupRu.about.open, `district popup has no closed "what these figures mean": ${JSON.stringify(popupRu)}`);
  const aboutKeys = Object.fromEntries(popupRu.about.items);
  check(aboutKeys.population_density && aboutKeys.population,
    `district popup does not describe its density and population: ${JSON.stringify(popupRu.about.items)}`);
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
    // The disparity panel floats on the right (at the bottom on narrow screens).
    const right = document.getElementById('disparity')?.getBoundingClientRect();
    const clearOfRight = (x, y) => !right || right.width === 0 ||
      x < right.left - 20 || x > right.right + 20 || y < right.top - 20 || y > right.bottom + 20;
    const features = map.queryRenderedFeatures({ layers: ['settlements-circle'] });
    // The top-most settlement whose centre is on the map and clear of both panels.
    for (const f of features) {
      if (f.id === undefined || f.geometry.type !== 'Point') continue;
      const p = map.project(f.geometry.coordinates);
      const x = r.left + p.x;
      const y = r.top + p.y;
      if (x > panel.right + 20 && x < r.right - 60 && y > r.top + 40 && y < r.bottom - 60 && clearOfRight(x, y)) {
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
      html: pop.innerHTML,
      missing: sec.querySelector('.popup-missing')?.textContent || '',
      code: pop.querySelectorAll('code').length,
      about: [...sec.querySelectorAll('.popup-about dd[data-about]')].map((d) => d.dataset.about),
      name: pop.querySelector('.popup-name')?.textContent.trim() || '',
      state: sec.dataset.state,
      text: pop.innerText,
      badges: sec.querySelectorAll('.badge-straight-line').length,
      srs: sec.querySelectorAll('[data-srs-check]').length,
      centre: sec.querySelector('.popup-centre')?.dataset.centreSource || '',
    };
  });
  check(accessPopup.state === 'ready',
    `settlement ${settlement.id} popup: accessibility ${accessPopup.state} (was aimaq compute run?): ${JSON.stringify(accessPopup.text)}`);
  check(/\d\s?km\b/.test(accessPopup.text), `settlement popup shows no distance in km: ${JSON.stringify(accessPopup.text)}`);
  check(accessPopup.badges > 0, `settlement popup has no straight-line badge: ${JSON.stringify(accessPopup.text)}`);
  check(accessPopup.srs === 4, `settlement popup shows ${accessPopup.srs} of 4 standards rows`);
  // Figures the data cannot give: one sentence on the data that would add them and where the
  // operator reads how (the README), never a shell command.
  check(!COMMAND.test(accessPopup.html) && accessPopup.code === 0,
    `settlement popup shows a shell command: ${JSON.stringify(accessPopup.text)}`);
  if (/OpenStreetMap/.test(accessPopup.text)) {
    check(/OpenStreetMap/.test(accessPopup.missing) && /README/.test(accessPopup.missing),
      `settlement popup lacks the sentence on the missing data: ${JSON.stringify(accessPopup.text)}`);
  }
  check(accessPopup.about.includes('district_centre_km'),
    `settlement popup does not say what its distances mean: ${JSON.stringify(accessPopup.about)}`);
  check(['reference', 'reference-approximate', 'derived'].includes(accessPopup.centre),
    `settlement popup does not say how its district centre was found: ${JSON.stringify(accessPopup.text)}`);
  // The same popup in Kazakh: units and badge re-labelled without a new request.
  await page.click('#lang [data-lang="kk"]');
  const kk = await page.evaluate(() => document.querySelector('.maplibregl-popup')?.innerText || '');
  check(/\d\s?км/.test(kk) && /түзу сызық/.test(kk), `settlement popup not re-labelled in Kazakh: ${JSON.stringify(kk)}`);
  // The map's labels follow: every label layer names things in Kazakh.
  const kkLabels = await page.evaluate(() => {
    const map = window.aimaqMap;
    return Object.fromEntries(['oblasts-label', 'districts-label', 'groups-label', 'settlements-label']
      .map((id) => [id, map.getLayer(id) ? JSON.stringify(map.getLayoutProperty(id, 'text-field')) : null]));
  });
  for (const [id, field] of Object.entries(kkLabels)) {
    check(field && field.includes('"name_kk"'), `label layer ${id} not relabelled in Kazakh: text-field ${field}`);
  }
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
    check(!COMMAND.test(bySchool.note) && /README/.test(bySchool.note),
      `the note under the settlement colours shows a command or no README section: ${JSON.stringify(bySchool.note)}`);
  }
  await colourBy('district_centre_km'); // for the screenshot
  mark('settlementColour');


  // 8. The indicator choropleth: switch indicator, level and method; the legend (classes with
  //    counts), the map's fill and the disparity panel follow; the URL hash carries the state
  //    and a reload restores it.
  //
  // body[data-choropleth-key] = "indicator|level|method:classes" once the legend, the map and
  // the disparity panel show that state (set by the page).
  const waitKey = async (prefix, what) => {
    await page.waitForFunction((p) => (document.body.dataset.choroplethKey || '').startsWith(p), prefix,
      { timeout: STEP_TIMEOUT_MS }).catch(async () => {
      const now = await page.evaluate(() => ({
        key: document.body.dataset.choroplethKey || '(none)',
        legend: document.getElementById('legend').innerText.slice(0, 300),
        disparity: document.getElementById('disparity').innerText.slice(0, 300),
      }));
      throw new TestFailure(`${what}: body[data-choropleth-key] never became ${prefix}…; now ${JSON.stringify(now)}` +
        (failedRequests.length ? `\nfailed requests:\n  ${failedRequests.join('\n  ')}` : ''));
    });
  };
  const snapshot = () => page.evaluate(() => {
    const rows = [...document.querySelectorAll('#legend .legend-row')];
    const d = document.getElementById('disparity');
    const idx = {};
    for (const tr of d.querySelectorAll('[data-index]')) idx[tr.dataset.index] = tr.dataset.value === '' ? null : Number(tr.dataset.value);
    const map = window.aimaqMap;
    return {
      ready: document.body.dataset.choroplethReady || '',
      key: document.body.dataset.choroplethKey || '',
      title: document.querySelector('#legend .legend-title')?.textContent || '',
      legendText: document.getElementById('legend').innerText,
      rows: rows.length,
      counts: rows.map((r) => (r.dataset.count === undefined ? null : Number(r.dataset.count))),
      colors: rows.map((r) => r.querySelector('.swatch')?.style.background || ''),
      direction: document.querySelector('#legend .direction-note')?.dataset.direction || '',
      provenance: [...document.querySelectorAll('#legend [data-provenance]')].map((b) => b.dataset.provenance),
      disparity: { state: d.dataset.state, indicator: d.dataset.indicator, level: d.dataset.level, idx,
        canvas: Boolean(d.querySelector('canvas')), text: d.innerText },
      controls: {
        indicator: document.getElementById('indicator').value,
        method: document.getElementById('method').value,
        classes: document.getElementById('classes').value,
        level: document.querySelector('#level input:checked')?.value || '',
        lang: document.querySelector('#lang [aria-pressed="true"]')?.dataset.lang || '',
        color: document.getElementById('settlement-color').value,
      },
      hash: location.hash,
      zoom: map.getZoom(),
      center: map.getCenter(),
    };
  });
  const sum = (xs) => xs.reduce((s, x) => s + (x || 0), 0);

  // Back to the whole country (the settlement checks zoomed in on Astana).
  await page.evaluate(async (timeout) => {
    const map = window.aimaqMap;
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no idle after fitBounds')), timeout);
      map.once('moveend', () => { clearTimeout(timer); resolve(); });
      map.fitBounds([46.5, 40.5, 87.3, 55.5], { padding: { top: 20, bottom: 20, left: 330, right: 310 }, animate: false });
    });
  }, STEP_TIMEOUT_MS);

  await waitKey('population_density|districts|', 'initial choropleth');
  const initial = await snapshot();
  check(initial.ready === 'population_density', `body[data-choropleth-ready] is ${initial.ready}`);
  check(initial.rows >= 3, `initial legend has ${initial.rows} class rows`);
  check(initial.counts.every((c) => Number.isInteger(c)), `legend rows lack counts: ${JSON.stringify(initial.counts)}`);
  check(sum(initial.counts) > 100, `district counts add up to ${sum(initial.counts)}, expected > 100`);
  check(initial.disparity.state === 'ready' && initial.disparity.indicator === 'population_density',
    `disparity panel not ready for population_density: ${JSON.stringify(initial.disparity).slice(0, 400)}`);
  check(initial.disparity.canvas, 'disparity panel has no chart canvas');
  check(typeof initial.disparity.idx.theil_t === 'number', `no Theil T in the disparity panel: ${JSON.stringify(initial.disparity.idx)}`);
  for (const key of ['theil_t', 'gini', 'williamson']) {
    check(key in initial.disparity.idx, `disparity panel lacks [data-index=${key}]`);
  }
  const between = await page.$('#disparity [data-index-part="theil_t"] [data-between-share]');
  check(between, 'disparity panel shows no between/within share of Theil T');

  // An indicator other than the density: a distance the settlements alone give.
  const options = await page.evaluate(() => [...document.querySelectorAll('#indicator option')]
    .map((o) => ({ value: o.value, disabled: o.disabled, title: o.title })));
  const enabled = options.filter((o) => !o.disabled).map((o) => o.value);
  const indicator = ['oblast_centre_km_mean', 'district_centre_km_mean'].find((n) => enabled.includes(n)) ||
    enabled.find((n) => n !== 'population_density');
  check(indicator, `no second available indicator in #indicator: ${JSON.stringify(options)}`);
  for (const o of options.filter((x) => x.disabled)) {
    check(/OpenStreetMap/.test(o.title), `unavailable indicator ${o.value} has no "needs an OpenStreetMap extract" tooltip: ${o.title}`);
    check(!COMMAND.test(o.title), `unavailable indicator ${o.value}: its tooltip shows a command: ${o.title}`);
  }
  await page.selectOption('#indicator', indicator);
  await waitKey(`${indicator}|districts|`, `switch to ${indicator}`);
  const byIndicator = await snapshot();
  check(byIndicator.ready === indicator, `body[data-choropleth-ready] is ${byIndicator.ready}, expected ${indicator}`);
  check(byIndicator.title !== initial.title, `legend title did not change: ${byIndicator.title}`);
  check(/km/.test(byIndicator.title), `legend title of ${indicator} lacks its unit km: ${byIndicator.title}`);
  check(sum(byIndicator.counts) > 100, `${indicator}: district counts add up to ${sum(byIndicator.counts)}`);
  check(byIndicator.direction === 'lower-better', `${indicator}: direction note ${byIndicator.direction || 'missing'}, expected lower-better`);
  check(byIndicator.provenance.length > 0, `${indicator}: no provenance badge`);
  check(byIndicator.disparity.state === 'ready' && byIndicator.disparity.indicator === indicator,
    `disparity panel not updated for ${indicator}: ${JSON.stringify(byIndicator.disparity).slice(0, 400)}`);
  check(byIndicator.disparity.idx.theil_t !== initial.disparity.idx.theil_t,
    `Theil T did not change with the indicator (${byIndicator.disparity.idx.theil_t})`);
  check(byIndicator.disparity.canvas, 'disparity chart canvas missing after the indicator switch');
  check(byIndicator.hash.includes(`indicator=${indicator}`), `URL hash lacks the indicator: ${byIndicator.hash}`);

  // Level: oblasts.
  await page.click('#level label:has(input[value="oblasts"])');
  await waitKey(`${indicator}|oblasts|`, 'switch to oblasts');
  const byOblast = await snapshot();
  const oblastCount = sum(byOblast.counts);
  check(oblastCount >= 14 && oblastCount <= 22, `oblast counts add up to ${oblastCount}, expected 14..22`);
  check(byOblast.disparity.level === 'oblast', `disparity panel level ${byOblast.disparity.level}, expected oblast`);
  const fill = await page.evaluate(() => {
    const map = window.aimaqMap;
    const fs = map.queryRenderedFeatures({ layers: ['oblasts-fill'] });
    const withClass = fs.filter((f) => typeof map.getFeatureState({ source: 'oblasts', sourceLayer: 'oblasts', id: f.id }).cls === 'number'
      || typeof (f.properties || {})[document.body.dataset.choroplethReady] === 'number');
    return {
      visible: map.getLayoutProperty('oblasts-fill', 'visibility'),
      districts: map.getLayoutProperty('districts-fill', 'visibility'),
      rendered: new Set(fs.map((f) => f.id)).size,
      classified: new Set(withClass.map((f) => f.id)).size,
      paint: JSON.stringify(map.getPaintProperty('oblasts-fill', 'fill-color')),
    };
  });
  check(fill.visible === 'visible' && fill.districts === 'none', `oblast fill not the visible one: ${JSON.stringify(fill)}`);
  check(fill.rendered > 0 && fill.classified >= fill.rendered - 1,
    `rendered oblasts without a class: ${fill.classified} of ${fill.rendered}`);

  // Method: quantiles, 5 classes.
  await page.selectOption('#method', 'quantile');
  await waitKey(`${indicator}|oblasts|quantile:`, 'switch to quantiles');
  await page.selectOption('#classes', '5');
  await waitKey(`${indicator}|oblasts|quantile:5`, 'switch to 5 classes');
  const byQuantile = await snapshot();
  check(byQuantile.rows === 5, `quantile legend has ${byQuantile.rows} rows, expected 5`);
  check(sum(byQuantile.counts) === oblastCount, `quantile counts add up to ${sum(byQuantile.counts)}, expected ${oblastCount}`);
  const paint = await page.evaluate(() => JSON.stringify(window.aimaqMap.getPaintProperty('oblasts-fill', 'fill-color')));
  const hex = (rgb) => {
    const m = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(rgb);
    return m ? `#${m.slice(1, 4).map((x) => Number(x).toString(16).padStart(2, '0')).join('')}` : rgb;
  };
  for (const c of byQuantile.colors) {
    check(paint.toLowerCase().includes(hex(c).toLowerCase()), `fill-color lacks the legend colour ${hex(c)}: ${paint.slice(0, 300)}`);
  }
  for (const [k, v] of Object.entries({ lang: 'en', level: 'oblasts', indicator, method: 'quantile', classes: '5', color: 'district_centre_km' })) {
    check(new RegExp(`[#&]${k}=${v}(&|$)`).test(byQuantile.hash), `URL hash lacks ${k}=${v}: ${byQuantile.hash}`);
  }
  check(/[#&]map=[\d.]+\/-?[\d.]+\/-?[\d.]+/.test(byQuantile.hash), `URL hash lacks the map position: ${byQuantile.hash}`);
  mark('choropleth');

  // Reload with the hash: the same state comes back.
  await page.reload({ waitUntil: 'load', timeout: STEP_TIMEOUT_MS });
  await page.waitForFunction(() => document.body.dataset.mapReady === '1', null, { timeout: READY_TIMEOUT_MS });
  await waitKey(byQuantile.key, 'state restored from the URL hash');
  const restored = await snapshot();
  check(JSON.stringify(restored.controls) === JSON.stringify(byQuantile.controls),
    `controls not restored from the hash: ${JSON.stringify(restored.controls)} vs ${JSON.stringify(byQuantile.controls)}`);
  check(JSON.stringify(restored.counts) === JSON.stringify(byQuantile.counts),
    `legend counts differ after reload: ${JSON.stringify(restored.counts)} vs ${JSON.stringify(byQuantile.counts)}`);
  check(Math.abs(restored.zoom - byQuantile.zoom) < 0.02 && Math.abs(restored.center.lat - byQuantile.center.lat) < 0.01 &&
    Math.abs(restored.center.lng - byQuantile.center.lng) < 0.01,
  `map position not restored: z${restored.zoom} ${JSON.stringify(restored.center)} vs z${byQuantile.zoom} ${JSON.stringify(byQuantile.center)}`);
  check(restored.disparity.state === 'ready' && restored.disparity.indicator === indicator,
    `disparity panel not restored: ${JSON.stringify(restored.disparity).slice(0, 300)}`);
  mark('restored');

  // Manual breaks: the method starts from the rounded inner breaks of the classes on screen.
  await page.selectOption('#method', 'manual');
  await waitKey(`${indicator}|oblasts|manual:`, 'manual breaks');
  const manual = await snapshot();
  check(/[#&]breaks=[-\d.,]+/.test(manual.hash), `URL hash lacks the manual breaks: ${manual.hash}`);
  check(manual.rows >= 2 && sum(manual.counts) === oblastCount, `manual legend: ${manual.rows} rows, counts ${JSON.stringify(manual.counts)}`);

  // Macroregions: the groups are filled; the panel shows the oblasts grouped by macroregion.
  await page.selectOption('#method', 'jenks');
  await page.click('#level label:has(input[value="macroregions"])');
  await waitKey(`${indicator}|macroregions|jenks:`, 'switch to macroregions');
  const byMacro = await snapshot();
  const groupsVisible = await page.evaluate(() => window.aimaqMap.getLayoutProperty('groups-fill', 'visibility'));
  check(groupsVisible === 'visible', `groups-fill is ${groupsVisible} at the macroregion level`);
  check(sum(byMacro.counts) >= 4 && sum(byMacro.counts) <= 8, `macroregion counts add up to ${sum(byMacro.counts)}, expected 4..8`);
  check(byMacro.disparity.state === 'ready' && byMacro.disparity.level === 'oblast',
    `macroregion level: disparity panel ${byMacro.disparity.state} at level ${byMacro.disparity.level}`);
  mark('macroregions');

  noErrors('during the test');
  // Let the labels of the macroregions come in (placed on the next idle).
  await page.evaluate((timeout) => new Promise((resolve) => {
    const map = window.aimaqMap;
    const timer = setTimeout(resolve, timeout);
    map.once('idle', () => { clearTimeout(timer); resolve(); });
    map.triggerRepaint();
  }), 5000);
  await page.screenshot({ path: screenshotPath, fullPage: true });
  mark('screenshot');

  // A shared link to an indicator without values (no schools are loaded in the real data
  // set) says so beside the legend instead of silently showing another map.
  await page.goto(`${baseURL}?link=1#lang=en&level=districts&indicator=school_km_mean`, { waitUntil: 'load', timeout: STEP_TIMEOUT_MS });
  await page.waitForFunction(() => document.body.dataset.mapReady === '1', null, { timeout: READY_TIMEOUT_MS });
  const substituted = await page.evaluate(() => document.querySelector('#legend .legend-substituted')?.innerText || '');
  check(/school/i.test(substituted) && /no values/.test(substituted), `no note for a link to an indicator without values: ${JSON.stringify(substituted)}`);
  mark('substituted');

  // 9. Layouts (issue 10, point 1). Desktop and small laptop keep the floating panels; on a
  //    phone the panels are bottom sheets, one open at a time, the map keeps most of the
  //    screen and a popup fits it. Each state is a screenshot and passes axe-core.
  const layouts = {};
  const exports = {};
  const freshPage = async (width, height, phone = false) => {
    const p = await browser.newPage({ viewport: { width, height }, ...(phone ? { isMobile: true, hasTouch: true } : {}) });
    watch(p);
    const bytes = transferCounter(p);
    const r = await p.goto(`${baseURL}#lang=ru`, { waitUntil: 'load', timeout: STEP_TIMEOUT_MS });
    check(r && r.ok(), `GET ${baseURL} at ${width}×${height} answered ${r ? r.status() : 'nothing'}`);
    await p.waitForFunction(() => document.body.dataset.mapReady === '1', null, { timeout: READY_TIMEOUT_MS });
    pageWeight[`${width}x${height}`] = await bytes();
    return p;
  };
  /** What the layout shows: panels, toggles, and how much of the viewport the map's canvas has. */
  const layoutOf = (p) => p.evaluate(() => {
    const vw = window.innerWidth;
    const vh = window.innerHeight;
    const shown = (el) => Boolean(el) && getComputedStyle(el).display !== 'none' && el.getBoundingClientRect().height > 0;
    const rect = (el) => el.getBoundingClientRect();
    const clip = (r) => ({ l: Math.max(0, r.left), t: Math.max(0, r.top), r: Math.min(vw, r.right), b: Math.min(vh, r.bottom) });
    const area = (r) => Math.max(0, r.r - r.l) * Math.max(0, r.b - r.t);
    const canvas = clip(rect(window.aimaqMap.getCanvas()));
    // The canvas minus what covers it (the open sheets and the toggle bar; they do not overlap
    // one another, so their intersections with the canvas add up).
    const covers = ['panel', 'disparity', 'sheet-toggles'].map((id) => document.getElementById(id)).filter(shown)
      .map((el) => area(clip({ left: Math.max(rect(el).left, canvas.l), top: Math.max(rect(el).top, canvas.t),
        right: Math.min(rect(el).right, canvas.r), bottom: Math.min(rect(el).bottom, canvas.b) })));
    const toggles = [...document.querySelectorAll('[data-sheet-toggle]')];
    return {
      panel: shown(document.getElementById('panel')),
      disparity: shown(document.getElementById('disparity')),
      toggles: toggles.filter(shown).map((b) => ({ id: b.id, expanded: b.getAttribute('aria-expanded'), controls: b.getAttribute('aria-controls'), label: b.textContent.trim() })),
      mapShare: (area(canvas) - covers.reduce((a, b) => a + b, 0)) / (vw * vh),
      sheet: document.body.dataset.sheet || '',
    };
  });

  // One fresh page for both desktop sizes (a new browser context is the slow part):
  // 1440×900 first, then 1024×768, loaded again (from the cache) for its own first view.
  const desk = await freshPage(1440, 900);
  for (const [width, height] of [[1440, 900], [1024, 768]]) {
    if (width !== 1440) {
      await desk.setViewportSize({ width, height });
      // A query the page ignores: a new document, not a same-document hash change.
      await desk.goto(`${baseURL}?size=${width}x${height}#lang=ru`, { waitUntil: 'load', timeout: STEP_TIMEOUT_MS });
      await desk.waitForFunction(() => document.body.dataset.mapReady === '1', null, { timeout: READY_TIMEOUT_MS });
    }
    const l = await layoutOf(desk);
    check(l.panel && l.disparity && l.toggles.length === 0,
      `${width}×${height}: expected both floating panels and no sheet toggles: ${JSON.stringify(l)}`);
    if (width === 1440) {
      // Take it away (issue 10.5): the view as a PNG, the table as CSV; axe below runs with
      // the download controls and their status line shown.
      await desk.waitForFunction(() => document.body.dataset.choroplethReady === 'population_density', null, { timeout: READY_TIMEOUT_MS });
      exports['1440x900'] = await checkPNGExport(desk, '1440x900');
      const [csv] = await Promise.all([desk.waitForEvent('download', { timeout: STEP_TIMEOUT_MS }), desk.click('#download-csv')]);
      const table = (await readFile(await csv.path(), 'utf8'));
      const rows = table.split('\r\n').filter(Boolean);
      const areas = await desk.evaluate(() => [...document.querySelectorAll('#legend-rows [data-count]')]
        .reduce((n, r) => n + Number(r.dataset.count), 0));
      check(table.startsWith('\ufeffid,code,name_kk,name_ru,name_en,population_density,population,'),
        `CSV download: header ${JSON.stringify(rows[0])}`);
      check(rows.length - 1 === areas && areas > 100, `CSV download: ${rows.length - 1} rows, the legend counts ${areas} districts`);
      exports.csv = { file: csv.suggestedFilename(), rows: rows.length - 1 };
    }
    axe[`${width}x${height}`] = await axeCheck(desk, `${width}×${height}`);
    await desk.screenshot({ path: shotPath(`${width}x${height}`) });
    layouts[`${width}x${height}`] = { mapShare: Number(l.mapShare.toFixed(3)) };
  }
  await desk.close();

  const phone = await freshPage(390, 844, true);
  const closed = await layoutOf(phone);
  check(!closed.panel && !closed.disparity, `390×844: a sheet is open at the start: ${JSON.stringify(closed)}`);
  check(closed.toggles.length === 2 && closed.toggles.every((b) => b.expanded === 'false' && b.controls && b.label),
    `390×844: expected two labelled sheet toggles, collapsed: ${JSON.stringify(closed.toggles)}`);
  check(closed.mapShare >= 0.6, `390×844: the map covers ${(closed.mapShare * 100).toFixed(1)} % of the screen, expected >= 60 %`);
  axe['390x844 closed'] = await axeCheck(phone, '390×844, sheets closed');
  await phone.screenshot({ path: shotPath('390x844-sheets-closed') });

  // A tap opens the controls sheet; the other toggle opens its sheet and closes this one.
  await phone.tap('#panel-toggle');
  const withPanel = await layoutOf(phone);
  check(withPanel.panel && !withPanel.disparity && withPanel.sheet === 'panel',
    `390×844: the controls toggle did not open the controls sheet alone: ${JSON.stringify(withPanel)}`);
  check(withPanel.toggles.find((b) => b.id === 'panel-toggle').expanded === 'true', 'controls toggle not aria-expanded');
  check(withPanel.mapShare >= 0.3, `390×844: with a sheet open the map keeps ${(withPanel.mapShare * 100).toFixed(1)} %`);
  await phone.waitForFunction(() => document.body.dataset.choroplethReady === 'population_density', null, { timeout: READY_TIMEOUT_MS });
  exports['390x844'] = await checkPNGExport(phone, '390x844');
  axe['390x844 controls sheet'] = await axeCheck(phone, '390×844, controls sheet open');
  await phone.screenshot({ path: shotPath('390x844-sheet-controls') });
  await phone.tap('#disparity-toggle');
  const withDisparity = await layoutOf(phone);
  check(withDisparity.disparity && !withDisparity.panel,
    `390×844: opening the disparity sheet did not close the controls sheet (one at a time): ${JSON.stringify(withDisparity)}`);
  check(withDisparity.toggles.map((b) => b.expanded).join() === 'false,true', `aria-expanded after the switch: ${JSON.stringify(withDisparity.toggles)}`);
  axe['390x844 disparity sheet'] = await axeCheck(phone, '390×844, disparity sheet open');
  await phone.screenshot({ path: shotPath('390x844-sheet-disparity') });

  // Keyboard: Escape closes the sheet and gives the focus back to its toggle; Enter and
  // Space toggle; Tab reaches every control of the open sheet, each with a visible focus ring.
  await phone.keyboard.press('Escape');
  const afterEscape = await phone.evaluate(() => ({ sheet: document.body.dataset.sheet, focus: document.activeElement?.id }));
  check(afterEscape.sheet === '' && afterEscape.focus === 'disparity-toggle', `Escape on an open sheet: ${JSON.stringify(afterEscape)}`);
  await phone.focus('#panel-toggle');
  await phone.keyboard.press('Enter');
  check(await phone.evaluate(() => document.body.dataset.sheet) === 'panel', 'Enter on the controls toggle did not open its sheet');
  const reached = new Map();
  for (let i = 0; i < 40; i++) {
    await phone.keyboard.press('Tab');
    const f = await phone.evaluate(() => {
      const a = document.activeElement;
      const st = a ? getComputedStyle(a) : null;
      return a ? { id: a.id || a.dataset.lang || a.value || a.tagName, ring: st.outlineStyle !== 'none' && parseFloat(st.outlineWidth) >= 2 } : null;
    });
    if (f) reached.set(f.id, f.ring);
  }
  for (const id of ['indicator', 'method', 'classes', 'settlement-color', 'kk', 'en']) {
    check(reached.has(id), `Tab never reached ${id} in the controls sheet: ${JSON.stringify([...reached.keys()])}`);
    check(reached.get(id), `${id} shows no visible focus ring`);
  }
  await phone.focus('#panel-toggle');
  await phone.keyboard.press(' ');
  check(await phone.evaluate(() => document.body.dataset.sheet) === '', 'Space on the controls toggle did not close its sheet');

  // Sheets closed: a tap on the map reaches the map and opens a popup that fits the screen.
  const tapAt = await phone.evaluate(() => {
    const map = window.aimaqMap;
    const r = map.getCanvas().getBoundingClientRect();
    for (let y = 0.45; y < 0.75; y += 0.03) {
      for (let x = 0.3; x < 0.8; x += 0.05) {
        const pt = [r.width * x, r.height * y];
        if (map.queryRenderedFeatures(pt, { layers: ['districts-fill'] }).length) return { x: r.left + pt[0], y: r.top + pt[1] };
      }
    }
    return null;
  });
  check(tapAt, '390×844: no district rendered to tap');
  await phone.touchscreen.tap(tapAt.x, tapAt.y);
  await phone.waitForSelector('.maplibregl-popup', { timeout: STEP_TIMEOUT_MS });
  await phone.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const pop = await phone.evaluate(() => {
    const r = document.querySelector('.maplibregl-popup-content').getBoundingClientRect();
    return { l: r.left, t: r.top, r: r.right, b: r.bottom, vw: window.innerWidth, vh: window.innerHeight,
      text: document.querySelector('.maplibregl-popup').innerText };
  });
  check(pop.l >= 0 && pop.t >= 0 && pop.r <= pop.vw && pop.b <= pop.vh, `390×844: the popup runs off the screen: ${JSON.stringify(pop)}`);
  check(!COMMAND.test(pop.text), `390×844: the popup shows a command: ${JSON.stringify(pop.text)}`);
  axe['390x844 popup'] = await axeCheck(phone, '390×844, popup open');
  await phone.screenshot({ path: shotPath('390x844-popup') });
  await phone.keyboard.press('Escape');
  check(await phone.$('.maplibregl-popup') === null, 'Escape did not close the popup');
  layouts['390x844'] = { mapShareClosed: Number(closed.mapShare.toFixed(3)), mapShareSheetOpen: Number(withPanel.mapShare.toFixed(3)),
    popup: [pop.l, pop.t, pop.r, pop.b].map(Math.round) };
  await phone.close();
  noErrors('in the layouts');
  mark('layouts');

  console.log(JSON.stringify({
    ok: true,
    pageWeight,
    axe,
    layouts,
    exports,
    zoom: Number(counts.zoom.toFixed(2)),
    districts: counts.districts,
    oblasts: counts.oblasts,
    groups: counts.groups,
    legendRows: legend.rows,
    popupName: popupRu.name,
    oblastLabels: new Set(labels.oblasts).size,
    glyphRanges: glyphsOK.length,
    settlement: { id: settlement.id, name: accessPopup.name, badges: accessPopup.badges },
    schoolKmInView: bySchool.withValue,
    accessMethods: byCentre.methods,
    choropleth: {
      indicator,
      districtClasses: byIndicator.counts,
      oblastQuantiles: byQuantile.counts,
      theilT: { population_density: initial.disparity.idx.theil_t, [indicator]: byIndicator.disparity.idx.theil_t },
      restoredHash: restored.hash,
    },
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

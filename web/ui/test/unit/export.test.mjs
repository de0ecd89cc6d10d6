// Take it away (src/export.js): the scale bar, the file names, the CSV link, the attribution
// without HTML, what the picture says and where it goes. The catalogue and the classification
// below are SYNTHETIC, shaped like api/indicators and api/choropleth.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { readCatalogue } from '../../src/catalogue.js';
import { readChoropleth } from '../../src/classes.js';
import {
  MAX_REASON_CHARS, attributionLine, csvHref, exportContent, exportFileName, layoutExport, layoutFits,
  lengthLabel, localISODate, metresPerPixel, niceLength, overlaps, plainText, scaleBar, wrapText,
} from '../../src/export.js';
import { catalogueBody } from './fixture.mjs';

const GEOKZ = 'Boundaries: <a href="https://github.com/arodionoff/geokz">geokz</a> (CC BY 4.0); statistics: Bureau of National Statistics via <a href="https://github.com/open-data-kazakhstan">open-data-kazakhstan</a> (PDDL)';
const OSM = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap contributors</a> (ODbL)';

/** A text measure of a monospace kind: 0.6 of the font's pixel size per character. */
const measure = (text, font) => String(text).length * 0.6 * Number(/(\d+)px/.exec(font)[1]);

function catalogue(extra = {}) {
  const body = catalogueBody();
  body.messages = {
    ...(body.messages || {}),
    'classify.auto_quantile': {
      en: 'classes chosen automatically: the distribution is heavily skewed (skewness {skew}), so quantiles are used',
      ru: 'классы выбраны автоматически: распределение сильно скошено (асимметрия {skew}), поэтому квантили',
      kk: 'кластар автоматты түрде таңдалды: үлестірім қатты қисайған (асимметрия {skew}), сондықтан квантильдер',
    },
  };
  return readCatalogue({ ...body, ...extra });
}

function choro(extra = {}) {
  const c = readChoropleth({
    method: 'quantile', bounds: [0.15, 1.69, 3.1, 6.68, 120, 3605.8],
    colors: ['#ffffcc', '#a1dab4', '#41b6c4', '#2c7fb8', '#253494'], counts: [44, 45, 45, 45, 45], missing: 0,
    values: { 1: 0.5, 2: 200 }, run_id: 3,
    messages: [{ code: 'classify.auto_quantile', args: { skew: '3.1' } }], ...extra,
  });
  return { ...c, indicator: 'population_density', level: 'districts', key: 'k' };
}

const state = (extra = {}) => ({
  lang: 'en', indicator: 'population_density', level: 'districts', method: 'auto', classes: 5, breaks: [],
  compare: 0, choro: choro(), ...extra,
});

test('niceLength: the longest 1, 2 or 5 × 10^n not over the room', () => {
  assert.equal(niceLength(1), 1);
  assert.equal(niceLength(0.3), 1, 'never below a metre');
  assert.equal(niceLength(9.99), 5);
  assert.equal(niceLength(10), 10);
  assert.equal(niceLength(199), 100);
  assert.equal(niceLength(200), 200);
  assert.equal(niceLength(499), 200);
  assert.equal(niceLength(1000), 1000);
  assert.equal(niceLength(4999), 2000);
  assert.equal(niceLength(123456), 100000);
  assert.equal(niceLength(734000), 500000);
});

test('metresPerPixel: the equator at zoom 0 is one 512 px tile, shorter towards the poles', () => {
  assert.ok(Math.abs(metresPerPixel(0, 0) * 512 - 40075016.686) < 1e-6);
  assert.ok(Math.abs(metresPerPixel(60, 3) - metresPerPixel(0, 3) / 2) < 1e-6, 'cos 60° = 1/2');
  assert.ok(Math.abs(metresPerPixel(0, 4) - metresPerPixel(0, 3) / 2) < 1e-9, 'one zoom halves it');
});

test('scaleBar: a 1-2-5 length at the centre latitude, in device pixels', () => {
  // Astana, zoom 5: 78271.5 × cos 51.15° / 32 ≈ 1534 m per CSS pixel; 120 px ≈ 184 km → 100 km.
  const b = scaleBar({ lat: 51.15, zoom: 5, dpr: 1, maxPx: 120, lang: 'en' });
  assert.equal(b.metres, 100000);
  assert.ok(Math.abs(b.px - 100000 / metresPerPixel(51.15, 5)) < 1e-9);
  assert.ok(b.px <= 120 && b.px > 120 / 5, `bar ${b.px} px`);
  assert.equal(b.label, '100 km');
  // Twice the pixels on a retina screen: the same ground over twice the pixels.
  const r = scaleBar({ lat: 51.15, zoom: 5, dpr: 2, maxPx: 240, lang: 'ru' });
  assert.equal(r.metres, 100000);
  assert.ok(Math.abs(r.px - 2 * b.px) < 1e-9);
  assert.equal(r.label, '100 км');
  // Zoomed into a town: metres.
  assert.equal(scaleBar({ lat: 43.25, zoom: 15, dpr: 1, maxPx: 120, lang: 'kk' }).label, '200 м');
});

test('lengthLabel: metres below a kilometre, kilometres above, grouped in the language', () => {
  assert.equal(lengthLabel(500, 'en'), '500 m');
  assert.equal(lengthLabel(2000, 'en'), '2 km');
  assert.equal(lengthLabel(1000000, 'ru').replace(/\s/g, ' '), '1 000 км');
});

test('file names: level, indicator, comparison, date', () => {
  assert.equal(exportFileName({ level: 'district', indicator: 'school_km_mean', date: '2026-11-29' }),
    'aimaq-district-school_km_mean-2026-11-29.png');
  assert.equal(exportFileName({ level: 'oblast', indicator: 'population_density', date: '2026-11-29', compare: 4, ext: 'csv' }),
    'aimaq-oblast-population_density-change-since-run-4-2026-11-29.csv');
  assert.equal(exportFileName({ level: 'District', indicator: '../x y', date: '2026-01-02' }), 'aimaq-district-x-y-2026-01-02.png');
  assert.equal(localISODate(new Date(2026, 0, 5, 23, 59)), '2026-01-05');
});

test('csvHref: the server level of the UI level, CSV with BOM, the language and the comparison', () => {
  const cat = catalogue();
  assert.equal(csvHref(cat, state({ lang: 'kk' })), 'api/areas/district?indicator=population_density&format=csv&bom=1&lang=kk');
  assert.equal(csvHref(cat, state({ level: 'oblasts', indicator: 'schools_per_10k', compare: 2 })),
    'api/areas/oblast?indicator=schools_per_10k&format=csv&bom=1&lang=en&compare=2');
});

test('attribution: the TileJSONs’ HTML as plain text, each source once', () => {
  assert.equal(plainText(OSM), '© OpenStreetMap contributors (ODbL)');
  assert.equal(plainText('a &amp; b&#160;&#x41; <b>c</b>\n d &bogus;'), 'a & b A c d &bogus;');
  assert.equal(attributionLine([GEOKZ, GEOKZ, '', GEOKZ, OSM]),
    'Boundaries: geokz (CC BY 4.0); statistics: Bureau of National Statistics via open-data-kazakhstan (PDDL); © OpenStreetMap contributors (ODbL)');
});

test('content: title with unit, level and method, the legend as the panel shows it, the reason line, the dates', () => {
  const c = exportContent(catalogue(), state(), { today: '2026-11-29', run: { id: 3, finishedAt: '2026-11-28T10:00:00Z' }, attribution: 'geokz' });
  assert.equal(c.title, 'Population density, people/km²');
  assert.deepEqual(c.lines, ['District · Classes: Quantiles']);
  assert.equal(c.synthetic, '');
  assert.deepEqual(c.legend.head, ['people/km²', 'districts']);
  assert.deepEqual(c.legend.rows.map((r) => r.color), ['#ffffcc', '#a1dab4', '#41b6c4', '#2c7fb8', '#253494', '#d9dde2']);
  assert.deepEqual(c.legend.rows.map((r) => r.count), ['44', '45', '45', '45', '45', '']);
  assert.equal(c.legend.rows[5].label, 'no data');
  assert.equal(c.legend.rows[0].label.split(' – ').length, 2);
  assert.deepEqual(c.legend.notes, ['classes chosen automatically: the distribution is heavily skewed (skewness 3.1), so quantiles are used']);
  assert.deepEqual(c.footer, ['geokz', 'Made 2026-11-29 · computation no. 3 of 2026-11-28']);
  assert.equal(c.fileName, 'aimaq-district-population_density-2026-11-29.png');
});

test('content in Kazakh and Russian; a long reason is left to the panel', () => {
  const kk = exportContent(catalogue(), state({ lang: 'kk' }), { today: '2026-11-29' });
  assert.equal(kk.title, 'Халық тығыздығы, адам/км²');
  assert.deepEqual(kk.lines, ['Аудан · Кластар: Квантильдер']);
  assert.match(kk.legend.notes[0], /^кластар автоматты түрде таңдалды/);
  assert.deepEqual(kk.footer, ['Жүктелген күні: 2026-11-29 · № 3 есептеу'], 'the run without its date when api/runs did not say');
  const cat = catalogue();
  cat.messages['classify.auto_quantile'].ru = 'x'.repeat(MAX_REASON_CHARS + 1);
  assert.deepEqual(exportContent(cat, state({ lang: 'ru' }), { today: '2026-11-29' }).legend.notes, []);
});

test('content of a map of change says since which run; synthetic data is labelled', () => {
  const s = state({ compare: 2, choro: choro({ compare: { run_id: 2, finished_at: '2026-10-31T10:00:00Z' }, messages: [] }) });
  const c = exportContent(catalogue({ synthetic: true }), s, { today: '2026-11-29' });
  assert.equal(c.lines.length, 2);
  assert.match(c.lines[1], /^Change since computation no\. 2 \(31\/10\/2026\)/);
  assert.equal(c.synthetic, 'SYNTHETIC DATA: not real figures');
  assert.deepEqual(c.legend.notes, []);
  assert.equal(c.fileName, 'aimaq-district-population_density-change-since-run-2-2026-11-29.png');
});

test('content without classes (still loading, or another indicator or level): no legend', () => {
  const c = exportContent(catalogue(), state({ choro: null }), { today: '2026-11-29' });
  assert.equal(c.legend, null);
  assert.deepEqual(c.lines, ['District · Classes: Automatic (from the distribution)']);
  assert.equal(exportContent(catalogue(), state({ indicator: 'schools_per_10k' }), { today: '2026-11-29' }).legend, null);
  assert.equal(exportContent(catalogue(), state({ level: 'oblasts' }), { today: '2026-11-29' }).legend, null);
});

test('wrapText: lines within the width, long words kept whole', () => {
  const m = (t) => t.length;
  assert.deepEqual(wrapText('aa bb cc dd', 5, m), ['aa bb', 'cc dd']);
  assert.deepEqual(wrapText('  aa   bb ', 100, m), ['aa bb']);
  assert.deepEqual(wrapText('a verylongword b', 4, m), ['a', 'verylongword', 'b']);
  assert.deepEqual(wrapText('', 4, m), []);
});

const view = { lat: 48.5, zoom: 4.2 };
const content = (lang = 'en', extra = {}) => exportContent(catalogue(extra), state({ lang }),
  { today: '2026-11-29', run: { id: 3, finishedAt: '2026-11-28T10:00:00Z' }, attribution: attributionLine([GEOKZ, OSM]) });

/** Every text op's extent (top-left baseline, measured like the layout). */
function textBoxes(layout) {
  return layout.ops.filter((o) => o.op === 'text').map((o) => {
    const w = measure(o.text, o.font);
    return { x: o.align === 'right' ? o.x - w : o.x, y: o.y, w, h: Number(/(\d+)px/.exec(o.font)[1]), text: o.text };
  });
}

for (const [name, width, height, dpr] of [['desktop', 1440, 900, 1], ['retina laptop', 2880, 1800, 2], ['phone', 390, 796, 1], ['phone at 3×', 1170, 2388, 3]]) {
  test(`layout at ${width}×${height} (${name}): every box inside the picture, none over another, each text in its box`, () => {
    const l = layoutExport(content('kk', { synthetic: true }), { width, height, dpr, measure, view, lang: 'kk' });
    assert.ok(layoutFits(l, width, height), JSON.stringify(l.boxes));
    const inside = (t, b) => t.x >= b.x - 0.5 && t.x + t.w <= b.x + b.w + 0.5 && t.y >= b.y && t.y + t.h <= b.y + b.h + 0.5;
    const boxes = ['title', 'legend', 'scale', 'footer'].map((k) => l.boxes[k]);
    for (const t of textBoxes(l)) assert.ok(boxes.some((b) => inside(t, b)), `text outside every box: ${JSON.stringify(t)}`);
    // What must be there: the title, each class colour, the scale, the attribution, the date, the brand.
    const texts = l.ops.filter((o) => o.op === 'text').map((o) => o.text).join('\n');
    assert.match(texts, /Халық тығыздығы/);
    assert.match(texts, /СИНТЕТИКАЛЫҚ ДЕРЕКТЕР/);
    assert.match(texts, /OpenStreetMap contributors/);
    assert.match(texts, /2026-11-29/);
    assert.match(texts, /^aimaq$/m);
    assert.match(texts, new RegExp(`^${l.boxes.scaleBar.label}$`, 'm'));
    const fills = new Set(l.ops.filter((o) => o.op === 'rect').map((o) => o.fill));
    for (const c of ['#ffffcc', '#a1dab4', '#41b6c4', '#2c7fb8', '#253494', '#d9dde2']) assert.ok(fills.has(c), `no swatch of ${c}`);
    // The scale bar is as long as the label says at the centre latitude.
    const bar = l.ops.filter((o) => o.op === 'line')[0];
    const metres = (bar.x2 - bar.x1) * metresPerPixel(view.lat, view.zoom) / dpr;
    assert.ok(Math.abs(metres - l.boxes.scaleBar.metres) < 1e-6 * metres, `bar of ${metres} m labelled ${l.boxes.scaleBar.label}`);
    // Texts are scaled with the device pixel ratio (the same design on a retina screen).
    assert.ok(l.scale >= dpr * 0.5 && l.scale <= dpr);
  });
}

test('layout: a small picture gets smaller texts rather than boxes over one another', () => {
  const big = layoutExport(content(), { width: 1440, height: 900, dpr: 1, measure, view });
  assert.equal(big.scale, 1);
  const small = layoutExport(content(), { width: 700, height: 220, dpr: 1, measure, view });
  assert.ok(small.scale < 1, `scale ${small.scale}`);
  assert.ok(layoutFits(small, 700, 220), JSON.stringify(small.boxes));
});

test('layout: the scale bar moves above the legend when they would meet', () => {
  const l = layoutExport(content(), { width: 260, height: 700, dpr: 1, measure, view });
  assert.ok(!overlaps(l.boxes.scale, l.boxes.legend));
  assert.ok(l.boxes.scale.y + l.boxes.scale.h <= l.boxes.legend.y, 'above the legend on a narrow picture');
  const wide = layoutExport(content(), { width: 1440, height: 900, dpr: 1, measure, view });
  assert.equal(wide.boxes.scale.y + wide.boxes.scale.h, wide.boxes.legend.y + wide.boxes.legend.h, 'beside it on a wide one');
});

// The store and the URL hash (src/state.js).

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { readCatalogue, resolveChoice } from '../../src/catalogue.js';
import {
  DEFAULTS, choroKey, createStore, hashLang, hashOptions, parseBreaks, parseHash, same, serialiseHash,
} from '../../src/state.js';
import { catalogueBody } from './fixture.mjs';

const cat = readCatalogue(catalogueBody());
const opts = hashOptions(cat);

test('parseBreaks reads ascending numbers and refuses anything else', () => {
  const cases = {
    '5, 10, 25': [5, 10, 25],
    '0.5;1 2.5': [0.5, 1, 2.5],
    '  -3,,0 ': [-3, 0],
    '7': [7],
    '': null,
    '5, 5': null,
    '10, 5': null,
    '1, x': null,
    '1, Infinity': null,
  };
  for (const [text, want] of Object.entries(cases)) assert.deepEqual(parseBreaks(text), want, text);
  assert.equal(parseBreaks(undefined), null);
});

test('parseHash of an empty hash gives the defaults', () => {
  assert.deepEqual(parseHash('', opts), {
    lang: 'ru', level: 'districts', indicator: 'population_density', method: 'jenks', classes: 7,
    breaks: [], view: null, color: 'none', compare: 0,
  });
});

test('parseHash reads every key', () => {
  const s = parseHash('#lang=en&level=oblasts&indicator=oblast_centre_km_mean&method=quantile&classes=5&map=4.20/48.5000/67.0000&color=school_km', opts);
  assert.deepEqual(s, {
    lang: 'en', level: 'oblasts', indicator: 'oblast_centre_km_mean', method: 'quantile', classes: 5,
    breaks: [], view: { zoom: 4.2, lat: 48.5, lon: 67 }, color: 'school_km', compare: 0,
  });
});

test('parseHash accepts the server\'s and the layer\'s level names', () => {
  const cases = { district: 'districts', oblast: 'oblasts', macroregion: 'macroregions', groups: 'macroregions', macroregions: 'macroregions' };
  for (const [name, want] of Object.entries(cases)) assert.equal(parseHash(`#level=${name}`, opts).level, want, name);
  // Not a level the map can fill: the default.
  for (const name of ['agglomeration', 'country', 'agglomerations', 'nonsense']) {
    assert.equal(parseHash(`#level=${name}`, opts).level, DEFAULTS.level, name);
  }
});

test('parseHash refuses invalid values', () => {
  const s = parseHash('#lang=de&method=kmeans&classes=12&color=hospital_km&indicator=DROP%20TABLE&map=4/95/10', opts);
  assert.equal(s.lang, 'ru');
  assert.equal(s.method, 'jenks');
  assert.equal(s.classes, 7);
  assert.equal(s.color, 'none', 'hospital_km has no colour ramp');
  assert.equal(s.indicator, 'population_density');
  assert.equal(s.view, null, 'latitude beyond 85°');
  assert.equal(parseHash('#classes=2', opts).classes, 7, 'below min_classes');
  assert.equal(parseHash('#classes=9', opts).classes, 9);
  assert.equal(parseHash('#classes=4.5', opts).classes, 7);
  assert.equal(parseHash('#color=district_min', opts).color, 'none', 'listed without breaks');
});

test('parseHash takes manual only with breaks', () => {
  assert.equal(parseHash('#method=manual', opts).method, 'jenks');
  const s = parseHash('#method=manual&breaks=5,10,25', opts);
  assert.equal(s.method, 'manual');
  assert.deepEqual(s.breaks, [5, 10, 25]);
  assert.equal(parseHash('#method=manual&breaks=10,5', opts).method, 'jenks', 'breaks not ascending');
});

test('parseHash reads the old short indicator key', () => {
  assert.equal(parseHash('#ind=schools_per_10k', opts).indicator, 'schools_per_10k');
});

test('hashOptions takes what is valid from the catalogue', () => {
  const body = catalogueBody();
  body.classification = { methods: ['quantile', 'manual'], default_method: 'quantile', min_classes: 2, max_classes: 5 };
  const o = hashOptions(readCatalogue(body));
  assert.deepEqual(o.methods, ['quantile', 'manual']);
  assert.equal(o.defaults.method, 'quantile', 'jenks is not offered: the server\'s default');
  assert.equal(o.defaults.classes, 5, 'the UI\'s 7 clamped to the server\'s range');
  assert.equal(parseHash('#method=jenks&classes=2', o).method, 'quantile');
  assert.equal(parseHash('#method=jenks&classes=2', o).classes, 2);
  assert.deepEqual(opts.colors, ['district_centre_km', 'school_km', 'srs_score']);
});

test('hashLang', () => {
  assert.equal(hashLang('#lang=kk&level=oblasts'), 'kk');
  assert.equal(hashLang('#lang=xx'), 'ru');
  assert.equal(hashLang(''), 'ru');
});

test('serialiseHash writes what parseHash reads', () => {
  const state = {
    lang: 'en', level: 'oblasts', indicator: 'oblast_centre_km_mean', method: 'quantile', classes: 5,
    breaks: [1, 2], view: { zoom: 4.2, lat: 48.5, lon: 67 }, color: 'district_centre_km', compare: 0,
  };
  const hash = serialiseHash(state);
  assert.equal(hash, '#lang=en&level=oblasts&indicator=oblast_centre_km_mean&method=quantile&classes=5&color=district_centre_km&map=4.20/48.5000/67.0000');
  assert.deepEqual(parseHash(hash, opts), { ...state, breaks: [] });
});

test('serialiseHash: manual breaks instead of classes, readable commas, no colour or position when none', () => {
  const hash = serialiseHash({
    lang: 'ru', level: 'districts', indicator: 'population_density', method: 'manual', classes: 7,
    breaks: [0.5, 10, 25], view: null, color: 'none',
  });
  assert.equal(hash, '#lang=ru&level=districts&indicator=population_density&method=manual&breaks=0.5,10,25');
  const back = parseHash(hash, opts);
  assert.equal(back.method, 'manual');
  assert.deepEqual(back.breaks, [0.5, 10, 25]);
});

test('choroKey names what the classification depends on', () => {
  const s = { indicator: 'x', level: 'oblasts', method: 'jenks', classes: 5, breaks: [1, 2] };
  assert.equal(choroKey(s), 'x|oblasts|jenks:5');
  assert.equal(choroKey({ ...s, method: 'manual' }), 'x|oblasts|manual:1,2');
});

test('same compares arrays and plain objects by value, everything else by identity', () => {
  assert.ok(same([1, 2], [1, 2]));
  assert.ok(!same([1, 2], [1, 2, 3]));
  assert.ok(same({ zoom: 1, lat: 2 }, { zoom: 1, lat: 2 }));
  assert.ok(!same({ zoom: 1, lat: 2 }, { zoom: 1, lat: 3 }));
  assert.ok(!same({ zoom: 1 }, { zoom: 1, lat: undefined }));
  assert.ok(!same(new Map(), new Map()), 'a new classification is a change');
  assert.ok(same(null, null));
  assert.ok(!same(null, {}));
});

test('the store tells subscribers which keys changed, and only when some did', () => {
  const store = createStore({ a: 1, b: [1] });
  const seen = [];
  store.subscribe((s, changed) => seen.push([s.a, [...changed]]));
  store.set({ a: 2 });
  store.set({ a: 2, b: [1] });
  store.set({ b: [2] });
  assert.deepEqual(seen, [[2, ['a']], [2, ['b']]]);
  assert.deepEqual(store.get(), { a: 2, b: [2] });
  assert.ok(Object.isFrozen(store.get()));
});

test('the store normalises every state', () => {
  const normalise = (s) => ({ ...s, ...resolveChoice(cat, s, DEFAULTS.indicator) });
  const store = createStore({ indicator: 'school_km_mean', level: 'districts' }, normalise);
  assert.equal(store.get().indicator, 'population_density', 'unavailable indicator replaced');
  const seen = [];
  store.subscribe((s, changed) => seen.push([...changed].sort()));
  store.set({ indicator: 'schools_per_10k' });
  assert.equal(store.get().level, 'oblasts', 'an oblast-only indicator moves the level');
  assert.deepEqual(seen, [['indicator', 'level']]);
});

test('a set made while subscribers are told is applied after them, in order', () => {
  const store = createStore({ n: 0, echo: 0 });
  const log = [];
  store.subscribe((s, changed) => {
    log.push(`first saw n=${s.n} echo=${s.echo}`);
    if (changed.has('n')) store.set({ echo: s.n });
  });
  store.subscribe((s) => log.push(`second saw n=${s.n} echo=${s.echo}`));
  store.set({ n: 1 });
  assert.deepEqual(log, [
    'first saw n=1 echo=0', 'second saw n=1 echo=0',
    'first saw n=1 echo=1', 'second saw n=1 echo=1',
  ]);
});

test('unsubscribe', () => {
  const store = createStore({ n: 0 });
  let calls = 0;
  const off = store.subscribe(() => calls++);
  store.set({ n: 1 });
  off();
  store.set({ n: 2 });
  assert.equal(calls, 1);
});

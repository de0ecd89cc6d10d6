// Classes and colours (src/classes.js).

import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  GROUP_FALLBACK_COLOR, NO_DATA_COLOR, choroplethColorExpression, classOfValue, classesOf, colorOf,
  groupColor, groupColorExpression, readChoropleth, settlementPaint, logScaleFor, settlementRadius, suggestedBreaks, otherNotes,
} from '../../src/classes.js';
import { readCatalogue } from '../../src/catalogue.js';
import { catalogueBody } from './fixture.mjs';

const COLORS = ['#a', '#b', '#c'];

test('classOfValue: a break is the upper end of its class', () => {
  const bounds = [0, 10, 20, 30];
  const cases = [[-5, 0], [0, 0], [10, 0], [10.01, 1], [20, 1], [25, 2], [30, 2], [99, 2]];
  for (const [v, want] of cases) assert.equal(classOfValue(v, bounds), want, String(v));
});

test('classesOf follows the server\'s counts when they add up', () => {
  const values = new Map([[1, 5], [2, 10], [3, 10], [4, 15], [5, 30]]);
  const bounds = [5, 10, 20, 30];
  // The server put one of the two 10s into the second class.
  assert.deepEqual([...classesOf(values, bounds, [2, 2, 1])].sort((a, b) => a[0] - b[0]),
    [[1, 0], [2, 0], [3, 1], [4, 1], [5, 2]]);
  // Counts that do not add up: by the bounds.
  assert.deepEqual([...classesOf(values, bounds, [1, 1, 1])].sort((a, b) => a[0] - b[0]),
    [[1, 0], [2, 0], [3, 0], [4, 1], [5, 2]]);
  assert.equal(classesOf(values, bounds, null).get(4), 1);
});

test('readChoropleth reads bounds, colours, counts and values', () => {
  const ch = readChoropleth({
    method: 'jenks', bounds: [0, 10, 20, 30], colors: COLORS, counts: [1, 1, 1],
    values: { 7: 5, 8: '15', 9: null, x: 25 }, missing: 2, provenance: ['network'], notes: ['n'],
    direction: 'lower-better',
  });
  assert.equal(ch.status, 'ready');
  assert.deepEqual(ch.bounds, [0, 10, 20, 30]);
  assert.deepEqual([...ch.values], [[7, 5], [8, 15], ['x', 25]], 'numeric ids as numbers, nulls left out');
  assert.deepEqual([...ch.classOf], [[7, 0], [8, 1], ['x', 2]]);
  assert.equal(ch.missing, 2);
  assert.deepEqual(ch.provenance, ['network']);
  assert.deepEqual(ch.notes, ['n']);
  assert.equal(ch.direction, 'lower-better');
});

test('readChoropleth keeps the city districts that show their whole city', () => {
  const ch = readChoropleth({ bounds: [0, 10], colors: ['#a'], values: { 7: 5, 8: 5, 9: 3 }, whole_city: ['7', 8] });
  assert.ok(ch.wholeCity.has(7) && ch.wholeCity.has(8) && !ch.wholeCity.has(9));
  assert.equal(readChoropleth({ bounds: [0, 10], colors: ['#a'], values: {} }).wholeCity.size, 0);
});

test('readChoropleth reads a legend instead of bounds', () => {
  const ch = readChoropleth({
    legend: [{ from: 0, to: 1, color: '#a', count: 3 }, { from: 1, to: 4, color: '#b', count: 2 }],
  });
  assert.deepEqual(ch.bounds, [0, 1, 4]);
  assert.deepEqual(ch.colors, ['#a', '#b']);
  assert.deepEqual(ch.counts, [3, 2]);
});

test('readChoropleth refuses a malformed classification', () => {
  for (const body of [{}, { bounds: [0, 1], colors: COLORS }, { bounds: [0, 'x', 2, 3], colors: COLORS }]) {
    assert.equal(readChoropleth(body).status, 'error', JSON.stringify(body));
  }
  assert.equal(readChoropleth({ bounds: [0, 1, 2, 3], colors: COLORS, counts: [1] }).counts, null,
    'counts of another length are dropped');
});

test('choroplethColorExpression: class from feature-state, else a step on the tile value', () => {
  const ch = { status: 'ready', indicator: 'school_km_mean', bounds: [0, 10, 20, 30], colors: COLORS };
  assert.deepEqual(choroplethColorExpression(ch), ['case',
    ['==', ['typeof', ['feature-state', 'cls']], 'number'],
    ['match', ['to-number', ['feature-state', 'cls'], -1], 0, '#a', 1, '#b', 2, '#c', NO_DATA_COLOR],
    ['==', ['typeof', ['get', 'school_km_mean']], 'number'],
    ['step', ['to-number', ['get', 'school_km_mean'], 0], '#a', 10, '#b', 20, '#c'],
    NO_DATA_COLOR]);
});

test('choroplethColorExpression: repeated breaks add no stop, one class one colour, none grey', () => {
  const tied = choroplethColorExpression({ status: 'ready', indicator: 'x', bounds: [0, 5, 5, 9], colors: COLORS });
  assert.deepEqual(tied[4], ['step', ['to-number', ['get', 'x'], 0], '#a', 5, '#b']);
  const one = choroplethColorExpression({ status: 'ready', indicator: 'x', bounds: [0, 9], colors: ['#a'] });
  assert.equal(one[2], '#a');
  assert.equal(one[4], '#a');
  assert.equal(choroplethColorExpression(null), NO_DATA_COLOR);
  assert.equal(choroplethColorExpression({ status: 'error' }), NO_DATA_COLOR);
});

test('colorOf and suggestedBreaks read the classification on screen', () => {
  const ch = { status: 'ready', bounds: [0, 1.234, 56.78, 99], colors: COLORS };
  assert.equal(colorOf(ch, 50), '#b');
  assert.equal(colorOf(ch, 1000), '#c');
  assert.equal(colorOf(null, 5), '#7b8794');
  assert.equal(colorOf(ch, null), '#7b8794');
  assert.deepEqual(suggestedBreaks(ch), [1.2, 57]);
  assert.deepEqual(suggestedBreaks({ status: 'ready', bounds: [0, 1.21, 1.24, 9], colors: COLORS }), [1.2],
    'breaks equal once rounded are kept once');
  assert.deepEqual(suggestedBreaks({ status: 'error' }), []);
});

test('group colours come from the catalogue, unknown codes take the fallback', () => {
  const { groups } = readCatalogue(catalogueBody());
  const expr = groupColorExpression(groups);
  assert.deepEqual(expr.slice(0, 4), ['match', ['get', 'code'], 'western', '#e08214']);
  assert.equal(expr.length, 2 + 2 * groups.length + 1);
  assert.equal(expr[expr.length - 1], GROUP_FALLBACK_COLOR);
  assert.equal(groupColor(groups, 'almaty_agglomeration'), '#b2182b');
  assert.equal(groupColor(groups, 'west'), GROUP_FALLBACK_COLOR);
  assert.equal(groupColorExpression([]), GROUP_FALLBACK_COLOR, 'a match needs a label');
});

test('settlementPaint colours by the indicator\'s ramp, grey without a value', () => {
  const cat = readCatalogue(catalogueBody());
  const school = cat.colorIndicators.find((c) => c.name === 'school_km');
  const paint = settlementPaint(school);
  assert.deepEqual(paint['circle-color'], ['case', ['==', ['typeof', ['get', 'school_km']], 'number'],
    ['step', ['to-number', ['get', 'school_km']], '#ffffb2', 1, '#fed976', 3, '#feb24c', 5, '#fd8d3c', 10, '#f03b20', 25, '#bd0026'],
    NO_DATA_COLOR]);
  const plain = settlementPaint(null);
  assert.equal(plain['circle-color'][0], 'case', 'by population type');
  assert.match(JSON.stringify(plain), /population_estimated/);
});

test('settlementRadius scales the radii', () => {
  const r = settlementRadius(2);
  assert.deepEqual(r.slice(3), [0, 4, 30, 7, 100, 10, 316, 16, 1000, 26, 1500, 32]);
});

test('a stale answer: the page says it in its language, the server\'s own sentence is left out', () => {
  const body = { method: 'jenks', bounds: [0, 1, 2], colors: ['#000', '#fff'], counts: [1, 1], values: { 1: 0.5, 2: 1.5 },
    run_id: 7, stale: true,
    notes: ['only 2 distinct values: 2 classes, one per value',
      'the data changed after compute run 7, which these figures come from: run aimaq compute for figures of the current data'] };
  const c = readChoropleth(body);
  assert.equal(c.stale, true);
  assert.equal(c.runId, 7);
  assert.deepEqual(otherNotes(c), ['only 2 distinct values: 2 classes, one per value']);
  assert.equal(otherNotes({ ...c, stale: false }).length, 2, 'a fresh answer keeps every note');
});

test('logScaleFor: a log axis for positive values over more than two orders of magnitude', () => {
  assert.equal(logScaleFor([9, 171, 3070]), true, 'density of the groups: steppe against agglomerations');
  assert.equal(logScaleFor([9, 171, 800]), false, 'under a hundredfold');
  assert.equal(logScaleFor([0, 5, 3070]), false, 'a zero cannot go on a log axis');
  assert.equal(logScaleFor([null, 4000]), false, 'one value');
});

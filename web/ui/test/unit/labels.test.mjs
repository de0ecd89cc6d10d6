// Label points of the areas (src/labels.js) and the label layers (src/layers.js).

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { AreaLabels, labelPoint, ringAreaKm2 } from '../../src/labels.js';
import { labelVisible, nameExpression } from '../../src/layers.js';

const square = (x, y, size) => [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]];

/** Is [lng, lat] inside a ring (even-odd)? */
function inside([px, py], ring) {
  let c = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [ax, ay] = ring[i];
    const [bx, by] = ring[j];
    if ((ay > py) !== (by > py) && px < ((bx - ax) * (py - ay)) / (by - ay) + ax) c = !c;
  }
  return c;
}

test('ringAreaKm2: a 1° square at the equator, and smaller towards the pole', () => {
  // 111.195 km × 111.195 km on a sphere of radius 6371.0088 km.
  assert.ok(Math.abs(ringAreaKm2(square(0, 0, 1)) - 12363.7) < 1, String(ringAreaKm2(square(0, 0, 1))));
  const north = ringAreaKm2(square(70, 50, 1));
  assert.ok(north > 0.6 * 12363.7 && north < 0.65 * 12363.7, `at 50°N: ${north}`);
  assert.equal(ringAreaKm2([[0, 0], [1, 1]]), 0);
  assert.equal(ringAreaKm2([...square(0, 0, 1)].reverse()), ringAreaKm2(square(0, 0, 1)), 'unsigned');
});

test('labelPoint of a concave area lies inside it, away from its edges', () => {
  // A U: the centroid (x 1.5, y ~1.2) falls in the notch.
  const u = [[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3], [0, 0]];
  const p = labelPoint([[u]]);
  assert.ok(inside(p, u), `label point ${p} outside the U`);
  assert.ok(p[1] < 1 || p[0] < 1 || p[0] > 2, `label point ${p} in the notch`);
});

test('labelPoint of an area cut in pieces: their centroid when inside, else the largest piece', () => {
  const left = square(60, 45, 1);
  const right = square(61, 45, 1);
  const p = labelPoint([[left], [right]]);
  assert.ok(Math.abs(p[0] - 61) < 1e-6 && p[1] > 45 && p[1] < 46, `centre of the two halves: ${p}`);
  // Two pieces far apart: the centroid falls between them.
  const big = square(60, 45, 2);
  const small = square(70, 45, 0.5);
  const q = labelPoint([[small], [big]]);
  assert.ok(inside(q, big), `label point ${q} not in the larger piece`);
});

/** A map stub answering querySourceFeatures with the given features. */
const stubMap = (features) => ({ querySourceFeatures: () => features });
const feature = (id, ring, props = {}) => ({ id, properties: props, geometry: { type: 'Polygon', coordinates: [ring] } });

test('AreaLabels: one point per area, kept once the area was seen whole', () => {
  const labels = new AreaLabels('oblasts');
  const left = square(60, 45, 1);
  const right = square(61, 45, 1);
  const whole = ringAreaKm2(left) + ringAreaKm2(right);
  const props = { name_en: 'Seven', area_km2: whole, extra: 'dropped' };
  // The same piece twice (a parent tile standing in) is one piece: not yet the whole area.
  const first = labels.update(stubMap([feature(7, left, props), feature(7, left, props)]));
  assert.equal(first.features.length, 1);
  assert.deepEqual(first.features[0].properties, { id: 7, name_en: 'Seven', area_km2: whole });
  assert.ok(Math.abs(first.features[0].geometry.coordinates[0] - 60.5) < 0.01);
  assert.equal(labels.update(stubMap([feature(7, left, props)])), null, 'nothing changed');

  const second = labels.update(stubMap([feature(7, left, props), feature(7, right, props)]));
  const [x, y] = second.features[0].geometry.coordinates;
  assert.ok(Math.abs(x - 61) < 0.01 && y > 45 && y < 46, `whole area labelled at its middle: ${x},${y}`);
  // Panned: only one piece is loaded now, but the whole area's point stays.
  assert.equal(labels.update(stubMap([feature(7, right, props)])), null);
});

test('AreaLabels: a source not there yet gives nothing', () => {
  const labels = new AreaLabels('groups');
  assert.equal(labels.update({ querySourceFeatures: () => { throw new Error('no source'); } }), null);
});

test('nameExpression: area names fall back to English, settlement names to the local name', () => {
  assert.deepEqual(nameExpression('kk'), ['coalesce', ['get', 'name_kk'], ['get', 'name_en'], ['get', 'name'], '']);
  assert.deepEqual(nameExpression('ru', { settlement: true }), ['coalesce', ['get', 'name_ru'], ['get', 'name'], ['get', 'name_en'], '']);
  assert.deepEqual(nameExpression('en', { settlement: true }), ['coalesce', ['get', 'name_en'], ['get', 'name'], '']);
});

test('labelVisible: each level shows its own area names', () => {
  const at = (level) => ['districts-label', 'groups-label', 'oblasts-label', 'settlements-label'].filter((l) => labelVisible(l, level));
  assert.deepEqual(at('districts'), ['districts-label', 'oblasts-label', 'settlements-label']);
  assert.deepEqual(at('oblasts'), ['oblasts-label', 'settlements-label']);
  assert.deepEqual(at('macroregions'), ['groups-label', 'settlements-label']);
});

// The map's style (src/layers.js), checked against the MapLibre style specification.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';

import { readCatalogue } from '../../src/catalogue.js';
import { buildStyle } from '../../src/layers.js';
import { catalogueBody } from './fixture.mjs';

const cat = readCatalogue(catalogueBody());
const BASE = 'http://example.test/aimaq/';
const state = { lang: 'kk', level: 'oblasts', color: 'school_km' };
const style = buildStyle(cat, state, BASE);
const layer = (id) => style.layers.find((l) => l.id === id);

test('the style is valid MapLibre style JSON', () => {
  assert.deepEqual(validateStyleMin(style).map((e) => e.message), []);
  assert.deepEqual(validateStyleMin(buildStyle(cat, { lang: 'en', level: 'districts', color: 'none' }, BASE))
    .map((e) => e.message), []);
});

test('one vector source per tile layer, beside the page; glyphs beside it too', () => {
  assert.deepEqual(Object.keys(style.sources).filter((k) => style.sources[k].type === 'vector').sort(),
    ['districts', 'groups', 'oblasts', 'settlements']);
  assert.equal(style.sources.groups.url, 'http://example.test/aimaq/tiles/groups.json');
  assert.equal(style.glyphs, 'http://example.test/aimaq/fonts/{fontstack}/{range}.pbf');
});

test('a fill per level the map can show, only the state\'s visible', () => {
  const fills = style.layers.filter((l) => l.type === 'fill');
  assert.deepEqual(fills.map((l) => [l.id, l.source, l.layout.visibility]), [
    ['districts-fill', 'districts', 'none'],
    ['oblasts-fill', 'oblasts', 'visible'],
    ['groups-fill', 'groups', 'none'],
  ]);
  assert.equal(layer('districts-line').layout.visibility, 'none', 'district hairlines only with the districts');
});

test('group outlines and names in the catalogue\'s colours', () => {
  for (const id of ['groups-line', 'groups-label']) {
    const color = JSON.stringify(layer(id).paint[id === 'groups-line' ? 'line-color' : 'text-color']);
    for (const g of cat.groups) assert.ok(color.includes(`"${g.code}","${g.color}"`), `${id} lacks ${g.code}`);
  }
});

test('settlements coloured by the state\'s indicator, labels in the state\'s language and level', () => {
  assert.match(JSON.stringify(layer('settlements-circle').paint['circle-color']), /"school_km"/);
  assert.match(JSON.stringify(layer('oblasts-label').layout['text-field']), /name_kk/);
  assert.equal(layer('districts-label').layout.visibility, 'none');
  assert.equal(layer('oblasts-label').layout.visibility, 'visible');
});

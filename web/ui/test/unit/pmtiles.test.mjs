// ?pmtiles=NAME (src/pmtiles.js and the sources of src/layers.js).

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { readCatalogue } from '../../src/catalogue.js';
import { buildStyle } from '../../src/layers.js';
import { pmtilesArchive, pmtilesSourceURL, registerPMTiles } from '../../src/pmtiles.js';
import { catalogueBody } from './fixture.mjs';

test('the archive comes from ?pmtiles= and must be a plain name', () => {
  assert.equal(pmtilesArchive('http://example.test/aimaq/?pmtiles=kz'), 'kz');
  assert.equal(pmtilesArchive('http://example.test/aimaq/?lang=ru&pmtiles=kz-2026.10'), 'kz-2026.10');
  for (const bad of ['', '../kz', '.hidden', 'a/b', 'x'.repeat(200)]) {
    assert.equal(pmtilesArchive(`http://example.test/?pmtiles=${encodeURIComponent(bad)}`), null, bad);
  }
  assert.equal(pmtilesArchive('http://example.test/aimaq/'), null);
  assert.equal(pmtilesSourceURL('kz', 'http://example.test/aimaq/?pmtiles=kz'),
    'pmtiles://http://example.test/aimaq/pmtiles/kz.pmtiles');
});

test('with ?pmtiles= every vector source reads the archive', () => {
  const cat = readCatalogue(catalogueBody());
  const state = { lang: 'en', level: 'districts', color: 'none' };
  const style = buildStyle(cat, state, 'http://example.test/aimaq/?pmtiles=kz');
  const vector = Object.values(style.sources).filter((s) => s.type === 'vector');
  assert.ok(vector.length >= 4);
  for (const s of vector) assert.equal(s.url, 'pmtiles://http://example.test/aimaq/pmtiles/kz.pmtiles');
  const plain = buildStyle(cat, state, 'http://example.test/aimaq/');
  assert.equal(plain.sources.districts.url, 'http://example.test/aimaq/tiles/districts.json');
});

test('the protocol is registered only when an archive is asked for', () => {
  const added = [];
  const fake = { addProtocol: (name, fn) => added.push([name, typeof fn]) };
  assert.equal(registerPMTiles(fake, 'http://example.test/'), false);
  assert.deepEqual(added, []);
  assert.equal(registerPMTiles(fake, 'http://example.test/?pmtiles=kz'), true);
  assert.deepEqual(added, [['pmtiles', 'function']]);
});

// What a planner is told about missing figures (src/needs.js): the data that would add
// them, in kk/ru/en, the README for the operator, and never a shell command.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { LANGS } from '../../src/i18n.js';
import { describe, missingDataSentence, neededKinds } from '../../src/needs.js';
import { catalogueBody } from './fixture.mjs';

const COMMAND = /\baimaq\s+(import|compute|run)\b|&&|\.osm\.pbf/;

test('neededKinds reads the three ways the server says what a figure needs', () => {
  const cases = [
    ['settlement indicator: an array', [['facilities', 'roads']], ['facilities', 'roads']],
    ['access report: space-separated', ['roads facilities'], ['facilities', 'roads']],
    ['area indicator: a sentence', ['an OpenStreetMap extract (facilities, roads) and aimaq compute'], ['facilities', 'roads']],
    ['several figures, merged', ['roads', 'facilities roads', undefined], ['facilities', 'roads']],
    ['roads only', [['roads']], ['roads']],
    ['nothing known', [['elevation'], ''], []],
    ['nothing at all', [], []],
  ];
  for (const [name, needs, want] of cases) assert.deepEqual(neededKinds(...needs), want, name);
});

test('missingDataSentence: one sentence per language, the data named, the README for the operator, no command', () => {
  const body = catalogueBody();
  for (const lang of LANGS) {
    const both = missingDataSentence(lang, 'facilities roads');
    const roads = missingDataSentence(lang, ['roads']);
    for (const s of [both, roads, missingDataSentence(lang, body.indicators[1].needs)]) {
      assert.match(s, /OpenStreetMap/, `${lang}: ${s}`);
      assert.match(s, /README/, `${lang}: ${s}`);
      assert.doesNotMatch(s, COMMAND, `${lang}: ${s}`);
      assert.equal(s.split(/[.!?](\s|$)/).filter((x) => x && x.trim()).length, 1, `${lang}: one sentence: ${s}`);
    }
    assert.ok(both.length > roads.length, `${lang}: facilities named only when needed: ${roads}`);
    assert.equal(missingDataSentence(lang, ['elevation']), both, `${lang}: unknown needs ask for the whole extract`);
  }
  assert.match(missingDataSentence('en', ['roads']), /\(roads\)/);
  assert.match(missingDataSentence('ru', 'facilities roads'), /школы и медицинские организации, дороги/);
});

test('describe: a catalogue text in the language; a bare English string only on the English page', () => {
  const text = { kk: 'Сипаттама', ru: 'Описание', en: 'Description' };
  assert.equal(describe(text, 'kk'), 'Сипаттама');
  assert.equal(describe(text, 'en'), 'Description');
  assert.equal(describe('road distance to the nearest school', 'en'), 'road distance to the nearest school');
  assert.equal(describe('road distance to the nearest school', 'ru'), '');
  assert.equal(describe(undefined, 'en'), '');
});

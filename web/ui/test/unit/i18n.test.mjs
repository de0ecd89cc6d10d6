// UI strings and localised texts (src/i18n.js).

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { DEFAULT_LANG, LANGS, LOCALES, STRINGS, localized, strings, textIn } from '../../src/i18n.js';

/** Every key path of a strings object with the type of its value. */
function shape(obj, prefix = '') {
  return Object.entries(obj).flatMap(([k, v]) => (v && typeof v === 'object'
    ? shape(v, `${prefix}${k}.`)
    : [`${prefix}${k}:${typeof v}`])).sort();
}

test('every language has every string, of the same kind', () => {
  const en = shape(STRINGS.en);
  for (const lang of LANGS) {
    assert.deepEqual(shape(STRINGS[lang]), en, lang);
    assert.ok(LOCALES[lang], `no number locale for ${lang}`);
  }
});

test('strings of a language, the default for an unknown one', () => {
  assert.equal(strings('kk').title, STRINGS.kk.title);
  assert.equal(strings('de'), STRINGS[DEFAULT_LANG]);
});

test('phrases that take a number', () => {
  assert.equal(strings('en').srs.school_ok('3'), 'School within 3 km');
  assert.equal(strings('ru').srs.school_ok('2,5'), 'Школа в пределах 2,5 км');
  assert.equal(strings('en').disparityOver('5', 'oblasts'), '5 oblasts, grouped by macroregion and agglomeration');
});

test('localized reads name_<lang>, falling back through the other languages', () => {
  const p = { name_kk: 'Астана', name_ru: 'Астана (ru)', name_en: ' ', name: 'local' };
  assert.equal(localized(p, 'name', 'kk'), 'Астана');
  assert.equal(localized(p, 'name', 'en'), 'Астана (ru)', 'blank English: Russian');
  assert.equal(localized({ name: 'local' }, 'name', 'en'), 'local');
  assert.equal(localized({}, 'name', 'en'), '');
  assert.equal(localized({ group_name_en: 'Western' }, 'group_name', 'kk'), 'Western');
});

test('textIn reads a { kk, ru, en } text of the server', () => {
  const t = { kk: 'Аудан', ru: 'Район', en: 'District' };
  assert.equal(textIn(t, 'kk'), 'Аудан');
  assert.equal(textIn(t, 'en'), 'District');
  assert.equal(textIn({ kk: '', ru: 'Район', en: 'District' }, 'kk'), 'Район', 'missing Kazakh: Russian');
  assert.equal(textIn({ en: 'District' }, 'kk'), 'District');
  assert.equal(textIn(null, 'en'), '');
  assert.equal(textIn('District', 'en'), '', 'not a text of the catalogue');
});

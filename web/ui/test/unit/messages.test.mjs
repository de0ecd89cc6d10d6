import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { readCatalogue } from '../../src/catalogue.js';
import { serverNotes, wordMessage } from '../../src/classes.js';

// The catalogue as the server answers it on the real data (the golden answer of the Go tests).
const golden = JSON.parse(readFileSync(new URL('../../../../cmd/aimaq/testdata/golden/kz/api_indicators.json', import.meta.url), 'utf8'));
const cat = readCatalogue(golden.body);

test('every message code the server sends is worded in kk, ru and en, placeholders filled', () => {
  const codes = Object.keys(cat.messages);
  assert.ok(codes.length >= 10, `only ${codes.length} message codes`);
  const group = cat.groups[0];
  for (const code of codes) {
    const names = [...cat.messages[code].en.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]);
    const args = Object.fromEntries(names.map((n) => [n, n === 'group' ? group.code : '7']));
    for (const lang of ['kk', 'ru', 'en']) {
      const w = wordMessage(cat, { code, args }, lang);
      assert.ok(w && !/[{}]/.test(w), `${code} in ${lang}: ${w}`);
      if (names.includes('group')) assert.ok(w.includes(group.name[lang]), `${code} in ${lang} names the group: ${w}`);
      if (lang !== 'en') assert.notEqual(w, wordMessage(cat, { code, args }, 'en'), `${code}: ${lang} is English`);
    }
  }
});

test('serverNotes words an answer\'s messages in the language and leaves out the stale one', () => {
  const answer = {
    stale: true,
    notes: ['the data changed after compute run 3, …', 'this indicator is descriptive: …'],
    messages: [{ code: 'data.changed_since_run', args: { run: '3' } }, { code: 'disparity.descriptive' }],
  };
  const ru = serverNotes(answer, cat, 'ru');
  assert.equal(ru.length, 1);
  assert.match(ru[0], /описательный/);
  assert.deepEqual(serverNotes({ notes: ['plain'] }, cat, 'kk'), ['plain'], 'an older server: its notes');
});

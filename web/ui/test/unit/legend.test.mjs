// Why the settlement circles show no colour (src/legend.js colorNoteKind).

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { readCatalogue } from '../../src/catalogue.js';
import { colorNoteKind } from '../../src/legend.js';
import { catalogueBody } from './fixture.mjs';

const cat = readCatalogue(catalogueBody());
const settlement = (props) => ({ properties: props });

test('colorNoteKind', () => {
  const cases = [
    ['no colour chosen', 'none', [settlement({})], ''],
    ['settlements not known yet', 'school_km', null, ''],
    ['none drawn', 'school_km', [], 'zoom-in'],
    ['some have a value', 'school_km', [settlement({}), settlement({ school_km: 2.5 })], ''],
    ['none has a value, needs facilities and roads', 'school_km', [settlement({ school_km: '' })], 'no-values'],
    ['none has a value, needs nothing more: not computed', 'district_centre_km', [settlement({ school_km: 1 })], 'not-computed'],
    ['not a colour indicator', 'school_min', [], ''],
  ];
  for (const [name, color, features, want] of cases) assert.equal(colorNoteKind(cat, color, features), want, name);
});

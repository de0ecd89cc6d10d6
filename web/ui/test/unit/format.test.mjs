// Numbers, units and ranges (src/format.js). Russian and Kazakh group digits with a
// no-break space and write a decimal comma.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  autoDigits, boundDigits, classLabels, fmt, fmtDensity, fmtFigure, fmtIndex, fmtValue, isShareUnit,
  rampLabels, unitLabel,
} from '../../src/format.js';

const NB = '\u00a0';

test('fmt follows the language\'s locale', () => {
  assert.equal(fmt(1234567.891, 'ru', 1), `1${NB}234${NB}567,9`);
  assert.equal(fmt(1234567.891, 'kk', 1), `1${NB}234${NB}567,9`, 'Kazakh writes numbers like Russian');
  assert.equal(fmt(1234.5, 'en', 1), '1,234.5');
  assert.equal(fmt(1234.5, 'en'), '1,235', 'no fraction digits by default');
  assert.equal(fmt(2, 'xx'), '2', 'unknown language: the default locale');
});

test('digits that suit the size', () => {
  assert.deepEqual([0, 0.372, 4.21, 58.3, 2410, -5].map(autoDigits), [0, 3, 2, 1, 0, 2]);
  assert.equal(fmtDensity(0.372, 'en'), '0.37');
  assert.equal(fmtDensity(58.34, 'en'), '58.3');
  assert.equal(fmtDensity(2410.4, 'kk'), `2${NB}410`);
  assert.equal(fmtIndex(0.01234, 'en'), '0.0123');
  assert.equal(fmtIndex(0.41234, 'en'), '0.412');
  assert.equal(fmtIndex(24282.4, 'ru'), `24${NB}282`);
  assert.equal(fmtIndex(0, 'en'), '0');
});

test('unitLabel names units in the UI language', () => {
  const cases = [
    ['km', 'en', 'km'], ['km', 'ru', 'км'], ['min', 'kk', 'мин'], ['minutes', 'en', 'min'],
    ['share', 'en', '%'], ['percent', 'ru', '%'], ['people/km²', 'en', 'people/km²'],
    ['people/km²', 'ru', 'чел./км²'], ['per 10,000 people', 'en', 'per 10,000 people'],
    ['per 10k', 'ru', 'на 10 000 жителей'], ['per 1,000 people', 'ru', 'на 1 000 жителей'],
    ['km2', 'en', 'km²'], ['', 'en', ''], [undefined, 'en', ''], ['beds', 'en', 'beds'],
  ];
  for (const [unit, lang, want] of cases) assert.equal(unitLabel(unit, lang), want, `${unit} in ${lang}`);
  assert.ok(isShareUnit(' Fraction '));
  assert.ok(!isShareUnit('%'));
});

test('fmtValue: an area indicator\'s value with its unit', () => {
  assert.equal(fmtValue(0.0523, 'share', 'en'), '5.2 %');
  assert.equal(fmtValue(0.52, 'share', 'ru'), '52 %');
  assert.equal(fmtValue(12.345, 'km', 'ru'), '12,3 км');
  assert.equal(fmtValue(120, 'people/km²', 'kk'), '120 адам/км²');
  assert.equal(fmtValue(5, '%', 'en'), '5 %');
  assert.equal(fmtValue(5, 'widgets', 'en'), '5 widgets');
  assert.equal(fmtValue(5.678, '', 'en'), '5.68');
  assert.equal(fmtValue(12.345, 'km', 'en', 0), '12 km', 'digits asked for');
  assert.equal(fmtValue(null, 'km', 'en'), 'no data');
  assert.equal(fmtValue(NaN, 'km', 'ru'), 'нет данных');
});

test('fmtFigure: a settlement\'s figure', () => {
  assert.equal(fmtFigure(12.34, 'km', 'en'), '12 km');
  assert.equal(fmtFigure(1.44, 'km', 'ru'), '1,4 км');
  assert.equal(fmtFigure(35, 'min', 'kk'), '35 мин');
  assert.equal(fmtFigure(0.667, 'share', 'en'), '67 %');
  assert.equal(fmtFigure(1, 'bool', 'en'), '✓');
  assert.equal(fmtFigure(0, 'bool', 'en'), '✗');
  assert.equal(fmtFigure(3, 'beds', 'en'), '3 beds');
});

test('boundDigits: the fewest digits that keep the breaks apart', () => {
  assert.equal(boundDigits([0, 10, 250, 1000], false, 'en'), 0);
  assert.equal(boundDigits([0, 0.25, 0.5], false, 'en'), 1, 'a break below 1 wants one');
  assert.equal(boundDigits([0.1, 0.12, 0.13], false, 'en'), 2);
  assert.equal(boundDigits([1, 1.004, 1.01], false, 'en'), 3);
  assert.equal(boundDigits([0, 0.25, 0.5], true, 'en'), 0, 'shares are told apart in per cent');
  assert.equal(boundDigits([0, 10, Infinity], false, 'en'), 0, 'an open end is skipped');
});

test('classLabels: one label per class', () => {
  assert.deepEqual(classLabels([0, 10, 250, 1000], 'people/km²', 'en'), ['0 – 10', '10 – 250', '250 – 1,000']);
  assert.deepEqual(classLabels([0.1, 0.12, 0.13], 'km', 'en'), ['0.1 – 0.12', '0.12 – 0.13']);
  assert.deepEqual(classLabels([0, 0.25, 0.5, Infinity], 'share', 'ru'), ['0 – 25 %', '25 – 50 %', '≥ 50 %']);
  assert.deepEqual(classLabels([5, 5], 'km', 'en'), ['5 – 5'], 'one class');
});

test('rampLabels: open ends below and above, a share\'s full class as 100 %', () => {
  assert.deepEqual(rampLabels([10, 25, 50], 'km', 'ru'), ['< 10 км', '10 – 25 км', '25 – 50 км', '≥ 50 км']);
  assert.deepEqual(rampLabels([10, 20], 'min', 'en'), ['< 10 min', '10 – 20 min', '≥ 20 min']);
  assert.deepEqual(rampLabels([0.34, 0.67, 0.999], 'share', 'en'), ['< 34 %', '34 % – 67 %', '67 % – 100 %', '100 %']);
  assert.deepEqual(rampLabels([0.25, 0.5], 'share', 'en'), ['< 25 %', '25 % – 50 %', '≥ 50 %']);
});

// Reading the server's catalogue (src/catalogue.js).

import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  groupName, groupsInOrder, indicatorGroup, indicatorInfo, indicatorLevels, indicatorTitle, isAvailable, levelOf, levelTitle,
  needsMoreData, readBounds, readCatalogue, resolveChoice, settlementTitle, substitutionOf, WORLD_BOUNDS,
} from '../../src/catalogue.js';
import { catalogueBody } from './fixture.mjs';

const cat = readCatalogue(catalogueBody());

test('the map levels come from the server\'s levels, named as the UI and the hash name them', () => {
  assert.deepEqual(cat.levels.map((l) => [l.name, l.api, l.source, l.fill, l.disparityLevel]), [
    ['districts', 'district', 'districts', 'districts-fill', 'district'],
    ['oblasts', 'oblast', 'oblasts', 'oblasts-fill', 'oblast'],
    // No indices of its own: the panel shows the oblasts grouped by macroregion.
    ['macroregions', 'macroregion', 'groups', 'groups-fill', 'oblast'],
  ]);
  assert.deepEqual(cat.levelAliases, {
    districts: 'districts', district: 'districts',
    oblasts: 'oblasts', oblast: 'oblasts',
    macroregions: 'macroregions', macroregion: 'macroregions', groups: 'macroregions',
  });
  assert.equal(levelOf(cat, 'oblasts').api, 'oblast');
  assert.equal(levelOf(cat, 'country'), null);
});

test('a level follows the server: a new map level appears, one without disparity shows none', () => {
  const body = catalogueBody();
  body.levels = [
    { name: 'oblast', title: {}, layer: 'oblasts', map: true, disparity: false },
    { name: 'district', title: {}, layer: 'districts', map: true, disparity: true },
  ];
  const c = readCatalogue(body);
  assert.deepEqual(c.levels.map((l) => [l.name, l.disparityLevel]), [['oblasts', null], ['districts', 'district']]);
});

test('classification, thresholds, groups and load hint are the server\'s', () => {
  assert.deepEqual(cat.methods, ['jenks', 'quantile', 'equal', 'headtail', 'manual']);
  assert.equal(cat.minClasses, 3);
  assert.equal(cat.maxClasses, 9);
  assert.equal(cat.defaultMethod, 'jenks');
  assert.equal(cat.thresholds.school_km, 3);
  assert.equal(cat.groups.length, 6);
  assert.match(cat.loadHint, /aimaq import osm/);
  assert.equal(cat.synthetic, false);
});

test('only settlement indicators with a full ramp colour the circles', () => {
  assert.deepEqual(cat.colorIndicators.map((c) => c.name), ['district_centre_km', 'school_km', 'srs_score']);
  assert.equal(cat.settlementIndicators.length, 5);
  const body = catalogueBody();
  body.settlement_indicators[0].colors = body.settlement_indicators[0].colors.slice(1); // one colour short
  assert.ok(!readCatalogue(body).colorIndicators.some((c) => c.name === 'district_centre_km'));
});

test('readCatalogue refuses an answer it cannot use', () => {
  const broken = {
    'not an object': () => null,
    'no indicators': (b) => { b.indicators = []; return b; },
    'no levels': (b) => { delete b.levels; return b; },
    'no map level': (b) => { b.levels = b.levels.map((l) => ({ ...l, map: false })); return b; },
    'no classification': (b) => { delete b.classification; return b; },
    'no class range': (b) => { b.classification.max_classes = '9'; return b; },
  };
  for (const [name, spoil] of Object.entries(broken)) {
    assert.throws(() => readCatalogue(spoil(catalogueBody())), Error, name);
  }
});

test('indicator lookups', () => {
  assert.equal(indicatorInfo(cat, 'schools_per_10k').unit, 'per 10,000 people');
  assert.equal(indicatorInfo(cat, 'nope'), null);
  assert.ok(isAvailable(indicatorInfo(cat, 'population_density')));
  assert.ok(!isAvailable(indicatorInfo(cat, 'school_km_mean')));
  assert.ok(!isAvailable(null));
  assert.deepEqual(indicatorLevels(cat, indicatorInfo(cat, 'population_density')), ['districts', 'oblasts', 'macroregions']);
  assert.deepEqual(indicatorLevels(cat, indicatorInfo(cat, 'schools_per_10k')), ['oblasts']);
  assert.deepEqual(indicatorLevels(cat, null), []);
  assert.equal(indicatorTitle(indicatorInfo(cat, 'population_density'), 'kk'), 'Халық тығыздығы');
  assert.equal(indicatorTitle(null, 'kk'), '');
});

test('resolveChoice keeps what exists and replaces what does not', () => {
  const d = 'population_density';
  assert.deepEqual(resolveChoice(cat, { indicator: 'oblast_centre_km_mean', level: 'macroregions' }, d),
    { indicator: 'oblast_centre_km_mean', level: 'macroregions' });
  assert.deepEqual(resolveChoice(cat, { indicator: 'school_km_mean', level: 'oblasts' }, d),
    { indicator: d, level: 'oblasts' }, 'not computed: the default');
  assert.deepEqual(resolveChoice(cat, { indicator: 'unknown', level: 'districts' }, d), { indicator: d, level: 'districts' });
  assert.deepEqual(resolveChoice(cat, { indicator: 'schools_per_10k', level: 'districts' }, d),
    { indicator: 'schools_per_10k', level: 'oblasts' }, 'the indicator\'s first level');
  assert.deepEqual(resolveChoice(cat, { indicator: 'unknown', level: 'districts' }, 'school_km_mean'),
    { indicator: 'population_density', level: 'districts' }, 'default unavailable: the first available');
});

test('indicatorGroup sorts names into the picker\'s sections', () => {
  const cases = {
    population_density: 'population', schools_per_10k: 'population', school_2sfca: 'capacity',
    share_school_3km: 'share', srs_score_mean: 'standards', clinic_min_mean: 'time',
    school_km_median: 'distance', something: 'other',
  };
  for (const [name, want] of Object.entries(cases)) assert.equal(indicatorGroup(name), want, name);
});

test('titles of levels and settlement indicators come from the server', () => {
  assert.equal(levelTitle(cat, 'agglomeration', 'ru'), 'Агломерация');
  assert.equal(levelTitle(cat, 'oblast', 'kk'), 'Облыс');
  assert.equal(levelTitle(cat, 'nope', 'en'), 'nope');
  assert.equal(settlementTitle(cat, 'school_km', 'ru'), 'Расстояние до школы');
  assert.equal(settlementTitle(cat, 'unknown_km', 'ru'), 'unknown_km');
});

test('needsMoreData: from the server\'s needs of each settlement indicator', () => {
  assert.ok(needsMoreData(cat, 'school_km'));
  assert.ok(needsMoreData(cat, 'school_min'));
  assert.ok(!needsMoreData(cat, 'district_centre_km'));
  assert.ok(!needsMoreData(cat, 'unknown'));
});

test('groups in the legend\'s order: macroregions, then agglomerations, each by name in the language', () => {
  assert.deepEqual(groupsInOrder(cat, 'en').map((g) => g.code), [
    'central_eastern', 'northern', 'southern', 'western', 'almaty_agglomeration', 'astana_agglomeration']);
  // Западный before Северный: by the Russian names.
  assert.deepEqual(groupsInOrder(cat, 'ru').map((g) => g.code), [
    'central_eastern', 'southern', 'western', 'northern', 'almaty_agglomeration', 'astana_agglomeration']);
  assert.equal(groupName({ code: 'x', name: {} }, 'en'), 'x');
});

test('the start view is the imported country from the server, else the world', () => {
  const body = catalogueBody();
  body.bounds = [1.41, 42.43, 1.79, 42.66]; // Andorra, say: nothing about Kazakhstan is in the UI
  assert.deepEqual(readCatalogue(body).bounds, [1.41, 42.43, 1.79, 42.66]);
  body.bounds = null;
  assert.deepEqual(readCatalogue(body).bounds, WORLD_BOUNDS);
  assert.deepEqual(readBounds([10, 5, 2, 1]), WORLD_BOUNDS, 'west of east and south of north');
  assert.deepEqual(readBounds([0, 0, 'x', 1]), WORLD_BOUNDS);
});

test('a link to an indicator without values says what it asked for instead of silently showing another', () => {
  const unavailable = cat.indicators.find((i) => !isAvailable(i));
  assert.ok(unavailable, 'the fixture has an indicator without values');
  const asked = { indicator: unavailable.name, level: 'districts' };
  const resolved = resolveChoice(cat, asked, 'population_density');
  assert.notEqual(resolved.indicator, unavailable.name);
  assert.deepEqual(substitutionOf(cat, asked, resolved), { asked: unavailable.name, shown: resolved.indicator });
  const fine = { indicator: 'population_density', level: 'districts' };
  assert.equal(substitutionOf(cat, fine, resolveChoice(cat, fine, 'population_density')), null);
  assert.equal(substitutionOf(cat, { level: 'districts' }, resolveChoice(cat, { level: 'districts' }, 'population_density')), null,
    'no indicator in the link: the default is no substitution');
});

// The scenario panel's rules (src/scenario-model.js): the project JSON a map click makes,
// saved projects back to drafts, the draft's state and what saving writes, the token kept in
// sessionStorage, the figures of an evaluation and of a comparison in kk/ru/en, the layers'
// GeoJSON, and "propose sites". The answers below follow the server's contract
// (web/handle_scenario_eval.go, issue 13's /api/siting); their numbers are SYNTHETIC.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { fmt } from '../../src/format.js';
import { STRINGS } from '../../src/i18n.js';
import * as m from '../../src/scenario-model.js';

test('projectFromClick: an open_facility at the clicked point, rounded to 6 decimals', () => {
  assert.deepEqual(m.projectFromClick('school', { lng: 1.52183456789, lat: 42.50631234567 }), {
    kind: 'open_facility', facility_kind: 'school', lon: 1.521835, lat: 42.506312, status: 'planned',
  });
  assert.deepEqual(m.projectFromClick('feldsher_post', [71.4, 51.1], { name: '  ФАП 1 ', costKZT: 120e6 }), {
    kind: 'open_facility', facility_kind: 'feldsher_post', lon: 71.4, lat: 51.1, name: 'ФАП 1', cost_kzt: 120e6, status: 'planned',
  });
  assert.equal(m.projectFromClick('clinic', { lon: 1, lat: 2 }, { costKZT: 0 }).cost_kzt, undefined, 'no cost: none sent');
  assert.equal(m.projectFromClick('clinic', { lon: 1, lat: 2 }, { costKZT: NaN }).cost_kzt, undefined);
  assert.throws(() => m.projectFromClick('hospital', [1, 2]), /unknown facility/);
  assert.throws(() => m.projectFromClick('school', [200, 2]), /not a point/);
  assert.throws(() => m.projectFromClick('school', { lng: NaN, lat: 2 }), /not a point/);
  for (const f of m.FACILITIES) assert.equal(m.projectFromClick(f, [1, 2]).facility_kind, f);
});

test('draftOfProject: a saved project as the write API takes it back, only the fields its kind takes', () => {
  const open = {
    id: 7, scenario_id: 3, kind: 'open_facility', name: 'New school', facility_kind: 'clinic', health_level: 3, capacity: 0,
    lon: 1.5, lat: 42.5, settlement_id: 12, cost_kzt: null, programme: '', status: 'planned', source: 'map',
  };
  assert.deepEqual(m.draftOfProject(open), {
    kind: 'open_facility', name: 'New school', status: 'planned', source: 'map', facility_kind: 'clinic', capacity: 0, lon: 1.5, lat: 42.5,
  });
  const paved = { id: 8, kind: 'pave_road', osm_ways: [5, 6], road_ids: [1], line: [[1, 2], [3, 4]], cost_kzt: 5e8, status: 'funded', programme: 'P' };
  assert.deepEqual(m.draftOfProject(paved), { kind: 'pave_road', cost_kzt: 5e8, programme: 'P', status: 'funded', osm_ways: [5, 6] });
  const closed = { id: 9, kind: 'close_facility', facility_id: 44, lon: 1, lat: 2, status: 'planned', year: 2027 };
  assert.deepEqual(m.draftOfProject(closed), { kind: 'close_facility', year: 2027, status: 'planned', facility_id: 44 });
  const built = { kind: 'build_road', line: [[1, 2], [3, 4]], road_class: 'tertiary', status: 'planned' };
  assert.deepEqual(m.draftOfProject(built), built);
});

test('a draft: projects added and removed, and what saving writes', () => {
  let d = m.emptyDraft('Plan');
  assert.deepEqual(m.pendingWrites(d), { create: true, add: [], remove: [] });
  d = m.withProject(d, { kind: 'open_facility', facility_kind: 'school', lon: 1, lat: 2 });
  d = m.withProject(d, { kind: 'open_facility', facility_kind: 'clinic', lon: 3, lat: 4 });
  assert.deepEqual(d.projects.map((p) => p.key), ['n1', 'n2']);
  assert.equal(d.dirty, true);
  assert.deepEqual(m.projectsBody(d.projects), { projects: [d.projects[0].body, d.projects[1].body] });
  d = m.withoutProject(d, 'n1');
  assert.deepEqual(d.projects.map((p) => p.key), ['n2']);
  assert.deepEqual(d.removed, [], 'an unsaved project is only dropped');
  assert.equal(m.withoutProject(d, 'nope'), d, 'an unknown key changes nothing');

  let s = m.draftOfSaved({ id: 5, name: 'Saved' }, [
    { id: 11, kind: 'open_facility', facility_kind: 'school', lon: 1, lat: 2, status: 'planned' },
    { id: 12, kind: 'open_facility', facility_kind: 'school', lon: 3, lat: 4, status: 'planned' },
  ]);
  assert.equal(s.dirty, false);
  assert.deepEqual(m.pendingWrites(s), { create: false, add: [], remove: [] });
  s = m.withoutProject(s, 'p11');
  s = m.withProject(s, { kind: 'open_facility', facility_kind: 'clinic', lon: 5, lat: 6 });
  const w = m.pendingWrites(s);
  assert.equal(w.create, false);
  assert.deepEqual(w.remove, [11]);
  assert.deepEqual(w.add.map((p) => p.body.facility_kind), ['clinic']);
  assert.deepEqual(m.projectFeatures(s.projects).features.map((f) => [f.properties.n, f.properties.saved, f.geometry.coordinates]),
    [['1', true, [3, 4]], ['2', false, [5, 6]]]);
});

test('the token lives in sessionStorage only; a storage that throws counts as none', () => {
  const data = new Map();
  const storage = { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => data.set(k, v), removeItem: (k) => data.delete(k) };
  assert.equal(m.readToken(storage), '');
  assert.equal(m.keepToken(storage, '  abc  '), 'abc');
  assert.equal(data.get(m.TOKEN_KEY), 'abc');
  assert.equal(m.readToken(storage), 'abc');
  m.keepToken(storage, '');
  assert.equal(data.has(m.TOKEN_KEY), false);
  const broken = { getItem() { throw new Error('denied'); }, setItem() { throw new Error('denied'); }, removeItem() {} };
  assert.equal(m.readToken(broken), '');
  assert.equal(m.keepToken(broken, 'x'), 'x');
});

test('answerKind and errorField: what the panel says of an answer', () => {
  const cases = [
    [201, 'tok', 'ok'], [204, 'tok', 'ok'], [401, '', 'tokenMissing'], [401, 'tok', 'tokenRefused'],
    [400, 'tok', 'invalid'], [404, 'tok', 'unavailable'], [405, 'tok', 'unavailable'], [503, 'tok', 'unavailable'],
    [500, 'tok', 'failed'], [0, 'tok', 'failed'],
  ];
  for (const [status, token, want] of cases) assert.equal(m.answerKind(status, token), want, `${status} ${token}`);
  assert.equal(m.errorField('projects[0].lon: 200: want a longitude from -180 to 180'), 'projects[0].lon');
  assert.equal(m.errorField('name: missing'), 'name');
  assert.equal(m.errorField('k=0: want 1 to 50'), 'k');
  assert.equal(m.errorField('the token is unknown or revoked'), null);
  assert.equal(m.errorField(undefined), null);
});

/** An evaluation as the server answers it (SYNTHETIC figures). */
const evaluation = () => ({
  scenario: { id: 0, name: 'draft', projects: 1 }, run_id: 2, stale: false,
  projects: 1, changed_settlements: 2, cost_kzt: 900e6, newly_served: 340, cost_per_person_kzt: 900e6 / 340,
  standards: [
    { standard: 'health', before: { applies: 1000, meets: 500 }, after: { applies: 1000, meets: 500 }, newly_meeting: 0, no_longer_meeting: 0 },
    { standard: 'school', before: { applies: 1000, meets: 600 }, after: { applies: 1000, meets: 940 }, newly_meeting: 340, no_longer_meeting: 0 },
    { standard: 'road', before: { applies: 800, meets: 800 }, after: { applies: 800, meets: 800 }, newly_meeting: 0, no_longer_meeting: 0 },
  ],
  disparity: [
    { indicator: 'school_km_mean', index: 'theil_t', before: { total: 0.2, between: 0.05, within: 0.15, between_share: 0.25 }, after: { total: 0.1, between: 0.02, within: 0.08, between_share: 0.2 } },
    { indicator: 'hospital_min_mean', index: 'theil_t', before: null, after: null },
  ],
  settlements: [
    { id: 21, name: 'Far village', population: 300, lon: 1.7, lat: 42.6,
      before: { school_km: 7.5, clinic_km: 2, srs: { school_ok: false, score: 0.5 }, methods: { school_km: 'network' } },
      after: { school_km: 0.1, clinic_km: 2, srs: { school_ok: true, score: 1 }, methods: { school_km: 'straight-line' } } },
    { id: 22, name: 'Hamlet', population: 40, lon: 1.71, lat: 42.61,
      before: { school_km: 8, clinic_km: null, srs: { score: null } }, after: { school_km: 9, clinic_km: 3, srs: { score: null } } },
  ],
  areas: [
    { area_id: 4, indicator: 'school_km_mean', before: 3.2, after: 1.1 },
    { area_id: 4, indicator: 'srs_score_mean', before: 0.6, after: 0.7 },
    { area_id: 1, indicator: 'school_km_mean', before: 2, after: 1.9 },
  ],
  notes: [{ code: 'scenario.newly_served', text: 'новые охваченные — …' }],
});

test('evaluationFigures: totals, each standard newly met, Theil between/within before and after', () => {
  const f = m.evaluationFigures(evaluation());
  assert.equal(f.projects, 1);
  assert.equal(f.changed, 2);
  assert.equal(f.cost, 900e6);
  assert.equal(f.newlyServed, 340);
  assert.equal(f.costPerPerson, 900e6 / 340);
  assert.deepEqual(f.standards.map((s) => [s.standard, s.newly, s.before, s.after]),
    [['school', 340, 600, 940], ['health', 0, 500, 500], ['road', 0, 800, 800]]);
  assert.deepEqual(f.disparity[0], { indicator: 'school_km_mean', before: { total: 0.2, between: 0.05, within: 0.15 }, after: { total: 0.1, between: 0.02, within: 0.08 } });
  assert.deepEqual(f.disparity[1], { indicator: 'hospital_min_mean', before: null, after: null });
  const none = m.evaluationFigures({ settlements: [], cost_per_person_kzt: null });
  assert.equal(m.evaluationFigures(null).changed, 0, 'no answer: nothing');
  assert.equal(none.costPerPerson, null);
  assert.equal(none.changed, 0);
});

test('fmtKZT, fmtPeople, fmtTheilChange in kk, ru and en', () => {
  assert.equal(m.fmtKZT(900e6, 'en'), '900 million ₸');
  assert.equal(m.fmtKZT(900e6, 'ru'), '900 млн ₸');
  assert.equal(m.fmtKZT(900e6, 'kk'), '900 млн ₸');
  assert.equal(m.fmtKZT(1.2e9, 'ru'), '1,2 млрд ₸');
  assert.equal(m.fmtKZT(2.5e6, 'en'), '2.5 million ₸');
  assert.equal(m.fmtKZT(45000, 'ru'), `${fmt(45000, 'ru')} ₸`);
  assert.equal(m.fmtKZT(null, 'ru'), '—');
  assert.equal(m.fmtPeople(1234, 'kk'), `${fmt(1234, 'kk')} адам`);
  assert.equal(m.fmtPeople(1234, 'ru'), `${fmt(1234, 'ru')} чел.`);
  assert.equal(m.fmtTheilChange(0.05, 0.02, 'ru'), '0,05 → 0,02');
  assert.equal(m.fmtTheilChange(null, 0.0123, 'en'), '— → 0.0123');
  assert.equal(m.fmtFigureOf('count', 3, 'en'), '3');
  assert.equal(m.fmtFigureOf('index', null, 'en'), '—');
  assert.equal(m.fmtCost(0, 'kk'), 'көрсетілмеген', 'no cost given is not free');
  assert.equal(m.fmtCost(0, 'ru'), 'не указана');
  assert.equal(m.fmtCost(5e8, 'en'), '500 million ₸');
  assert.equal(m.fmtFigureOf('kzt', 0, 'en'), 'not given');
});

test('changed settlements as a layer: better, worse or mixed; provenance where the answer gives it', () => {
  const ev = evaluation();
  assert.equal(m.settlementGain(ev.settlements[0]), 'better');
  assert.equal(m.settlementGain(ev.settlements[1]), 'mixed', 'school farther, a clinic where there was none');
  assert.equal(m.settlementGain({ before: { school_km: 1 }, after: { school_km: 2 } }), 'worse');
  assert.equal(m.settlementGain({ before: { school_km: null }, after: { school_km: 4 } }), 'better', 'none → some is nearer');
  const fc = m.changedFeatures(ev);
  assert.equal(fc.type, 'FeatureCollection');
  assert.deepEqual(fc.features.map((f) => [f.id, f.geometry.coordinates, f.properties.gain]), [[21, [1.7, 42.6], 'better'], [22, [1.71, 42.61], 'mixed']]);
  assert.deepEqual(m.changedFeatures(null).features, []);
  assert.equal(m.provenanceOf(ev.settlements[0].after, 'school_km'), 'straight-line');
  assert.equal(m.provenanceOf(ev.settlements[0].before, 'school_km'), 'network');
  assert.equal(m.provenanceOf(ev.settlements[1].after, 'school_km'), null, 'nothing said, nothing shown');
  assert.equal(m.provenanceOf({ off_network: true }), 'straight-line');
  assert.equal(m.provenanceOf({ off_network: false }), 'network');
  assert.equal(m.provenanceOf({ off_network: false, straight_pairs: 2 }), 'mixed', 'some of its cover measured straight');
});

test('changed areas: their ids for the outline filter, the indicator listed and its rows', () => {
  const ev = evaluation();
  assert.deepEqual(m.changedAreaIds(ev), [1, 4]);
  assert.equal(m.areaIndicator(ev, 'srs_score_mean'), 'srs_score_mean', 'the map\'s own indicator first');
  assert.equal(m.areaIndicator(ev, 'population_density'), 'school_km_mean');
  assert.equal(m.areaIndicator({ areas: [] }, 'x'), null);
  assert.deepEqual(m.areaRows(ev, 'school_km_mean'), [{ id: 4, before: 3.2, after: 1.1 }, { id: 1, before: 2, after: 1.9 }]);
});

test('compareRows: the two sides of api/scenarios/compare, row by row', () => {
  const a = evaluation();
  const b = { scenario: { id: 9, name: 'Empty' }, projects: 0, changed_settlements: 0, cost_kzt: 0, newly_served: 0, cost_per_person_kzt: null,
    standards: a.standards.map((s) => ({ ...s, after: s.before, newly_meeting: 0 })),
    disparity: a.disparity.map((d) => ({ ...d, after: d.before })) };
  const rows = m.compareRows({ a, b });
  const row = (key, ind) => rows.find((r) => r.key === key && (!ind || r.indicator === ind));
  assert.deepEqual(rows.slice(0, 5).map((r) => [r.key, r.a, r.b]), [
    ['projects', 1, 0], ['changed', 2, 0], ['cost', 900e6, 0], ['newlyServed', 340, 0], ['costPerPerson', 900e6 / 340, null],
  ]);
  assert.deepEqual([row('standard.school').a, row('standard.school').b], [340, 0]);
  assert.deepEqual([row('theil.between', 'school_km_mean').a, row('theil.between', 'school_km_mean').b], [0.02, 0.05]);
  assert.equal(row('theil.within', 'hospital_min_mean'), undefined, 'undefined on both sides: no row');
});

test('export links of a saved scenario', () => {
  assert.deepEqual(m.exportLinks(5, 'kk').map((l) => l.href), [
    'api/scenarios/5/projects?format=csv', 'api/scenarios/5/projects?format=geojson',
    'api/scenarios/5/evaluation?format=csv&lang=kk', 'api/scenarios/5/evaluation?format=geojson&lang=kk',
  ]);
});

test('propose sites: the selected area, k, the request, the sites as a layer, saved as a scenario', () => {
  assert.deepEqual(m.areaSelection('districts', { code: '111600000', name_en: 'Kosshy' }), { level: 'district', code: '111600000', props: { code: '111600000', name_en: 'Kosshy' } });
  assert.equal(m.areaSelection('oblasts', { code: 'AD-07' }).level, 'oblast');
  assert.equal(m.areaSelection('groups', { code: 'western', kind: 'macroregion' }).level, 'macroregion');
  assert.equal(m.areaSelection('groups', { code: 'astana_agglomeration', kind: 'agglomeration' }).level, 'agglomeration');
  assert.equal(m.areaSelection('settlements', { code: 'x' }), null, 'a settlement is no area');
  assert.equal(m.areaSelection('districts', { code: '' }), null, 'an area without a code cannot be asked for');
  assert.equal(m.parseK('3'), 3);
  for (const bad of ['0', '2.5', '', 'x', String(m.MAX_SITES + 1)]) assert.equal(m.parseK(bad), null, bad);
  assert.equal(m.sitingPath({ level: 'district', code: '111600000', facility: 'feldsher_post', k: 3, lang: 'ru' }),
    'api/siting?level=district&code=111600000&facility=feldsher_post&method=cover&k=3&lang=ru');
  assert.deepEqual(m.sitingScenarioBody({ name: 'N', level: 'oblast', code: 'C', facility: 'school', k: 2 }),
    { name: 'N', level: 'oblast', code: 'C', facility: 'school', method: 'cover', k: 2 });
  const answer = { sites: [
    { rank: 1, settlement_id: 5, name: 'A', lon: 1, lat: 2, newly_covered: 500, cost_kzt: 1e8, off_network: false },
    { rank: 2, settlement_id: 6, name: 'B', lon: 3, lat: 4, newly_covered: 120, cost_kzt: 1e8, off_network: true },
  ], covered_before: 10, covered_after: 630, population: 1000, notes: [] };
  assert.deepEqual(m.siteFeatures(answer).features.map((f) => [f.properties.rank, f.properties.newly, f.properties.off, f.geometry.coordinates]),
    [['1', 500, false, [1, 2]], ['2', 120, true, [3, 4]]]);
  assert.deepEqual(m.siteFeatures({}).features, []);
});

test('server notes: worded ones in the page\'s language, bare English strings only on the English page', () => {
  assert.equal(m.noteText({ code: 'c', text: 'новые охваченные' }, 'ru'), 'новые охваченные');
  assert.equal(m.noteText('an English note', 'ru'), '');
  assert.equal(m.noteText('an English note', 'en'), 'an English note');
});

test('the scenario panel is worded in kk and ru, never in English', () => {
  const flat = (o, p = '') => Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? flat(v, `${p}${k}.`) : [[`${p}${k}`, v]]));
  const word = (v) => (typeof v === 'function' ? v('1', '2', '3') : v);
  const en = new Map(flat(STRINGS.en.scenario));
  for (const lang of ['kk', 'ru']) {
    for (const [key, v] of flat(STRINGS[lang].scenario)) {
      const text = word(v);
      assert.ok(typeof text === 'string' && text.length, `${lang} ${key}`);
      assert.notEqual(text, word(en.get(key)), `${lang} ${key} is the English text`);
      assert.ok(!/\b(the|and|of|a|to|save|scenario)\b/i.test(text), `${lang} ${key} has English words: ${text}`);
    }
  }
});

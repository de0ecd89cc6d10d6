// Change over time (src/runs.js): the compare choices and the shaping of the history chart.
// The answers below are SYNTHETIC, shaped like api/runs and api/disparity/history.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { HISTORY_INDICES, chartPoints, compareChoices, historySeries, runDate } from '../../src/runs.js';

const history = {
  indicator: 'schools_per_10k', level: 'district',
  runs: [
    // out of order on purpose: the chart runs oldest first
    { run_id: 9, finished_at: '2026-11-29T10:00:00Z', theil_t: 0.2, gini: 0.3, cv: 0.5, theil_l: null },
    { run_id: 4, finished_at: '2026-10-31T10:00:00Z', theil_t: 0.4, gini: null, cv: 0.8 },
  ],
};

test('historySeries: runs oldest first, one series per index with nulls kept in place', () => {
  const d = historySeries(history, 'en');
  assert.deepEqual(d.runs, [{ id: 4, date: '31/10/2026' }, { id: 9, date: '29/11/2026' }]);
  assert.deepEqual(d.series.map((s) => [s.key, s.values]), [['theil_t', [0.4, 0.2]], ['gini', [null, 0.3]], ['cv', [0.8, 0.5]]]);
  assert.deepEqual(d.series.map((s) => s.color), HISTORY_INDICES.map((i) => i.color));
  assert.equal(d.min, 0, 'the axis starts at 0');
  assert.equal(d.max, 0.8);
});

test('historySeries: nothing to draw with one run or no values', () => {
  assert.equal(historySeries({ runs: [history.runs[0]] }, 'en'), null);
  assert.equal(historySeries(null, 'en'), null);
  assert.equal(historySeries({ runs: [{ run_id: 1 }, { run_id: 2, gini: null }] }, 'en'), null);
  // an index undefined in every run is left out, not drawn flat
  const d = historySeries({ runs: [{ run_id: 1, gini: 0.1 }, { run_id: 2, gini: 0.1 }] }, 'ru');
  assert.deepEqual(d.series.map((s) => s.key), ['gini']);
  assert.equal(d.max, 0.1);
  assert.deepEqual(d.runs.map((r) => r.date), ['', ''], 'no date when the answer has none');
});

test('chartPoints: evenly spaced runs, min at the bottom and max at the top', () => {
  const pts = chartPoints([0, null, 1], { width: 120, height: 60, pad: 10, min: 0, max: 1 });
  assert.deepEqual(pts, [{ x: 10, y: 50 }, null, { x: 110, y: 10 }]);
});

test('compareChoices: finished runs only, newest first, dated in the UI language', () => {
  const body = {
    runs: [
      { id: 7, status: 'failed', finished_at: '2026-11-29T11:00:00Z' },
      { id: 3, status: 'done', finished_at: '2026-10-01T08:00:00Z' },
      { id: 6, status: 'done', finished_at: '2026-11-29T09:00:00Z', latest: true },
      { id: 8, status: 'running', finished_at: null },
    ],
  };
  assert.deepEqual(compareChoices(body, 'ru'), [
    { id: 6, date: '29.11.2026', latest: true },
    { id: 3, date: '01.10.2026', latest: false },
  ]);
  assert.deepEqual(compareChoices(null, 'en'), []);
  assert.equal(runDate('not a date', 'en'), '');
});

test('the URL hash carries the run compared with, and the classification depends on it', async () => {
  const { choroKey, parseHash, serialiseHash } = await import('../../src/state.js');
  const opts = {
    levels: { districts: 'districts' }, methods: ['jenks'], minClasses: 3, maxClasses: 9, colors: [],
    defaults: { lang: 'ru', level: 'districts', indicator: 'population_density', method: 'jenks', classes: 7, color: 'none' },
  };
  const s = parseHash('#indicator=school_km_mean&compare=12', opts);
  assert.equal(s.compare, 12);
  assert.match(serialiseHash(s), /&compare=12$/);
  assert.equal(choroKey(s), 'school_km_mean|districts|jenks:7|compare:12');
  for (const bad of ['0', '-3', 'x', '1.5', '']) assert.equal(parseHash(`#compare=${bad}`, opts).compare, 0, bad);
  assert.doesNotMatch(serialiseHash({ ...s, compare: 0 }), /compare/);
});

// The classification of the state's indicator (GET api/choropleth) and its disparity indices
// (disparity.js), fetched when what they depend on changes and put into the store.

import { getJSON } from './http.js';
import { levelOf } from './catalogue.js';
import { readChoropleth } from './classes.js';
import { fetchDisparity, disparityRequest } from './disparity.js';
import { choroKey } from './state.js';

/** The classification of a state: readChoropleth's answer, or { status, message } on failure. */
async function fetchChoropleth(cat, state) {
  const params = new URLSearchParams({
    indicator: state.indicator, level: levelOf(cat, state.level).api, method: state.method,
  });
  if (state.method === 'manual') params.set('breaks', state.breaks.join(','));
  else params.set('classes', String(state.classes));
  if (state.compare) params.set('compare', String(state.compare)); // change since that run (issue 10.6)
  try {
    const res = await getJSON(`api/choropleth?${params}`);
    if (res.ok) return readChoropleth(res.body);
    return { status: res.status === 404 ? 'novalues' : 'error', message: res.message };
  } catch (err) {
    console.warn(`aimaq map: choropleth: ${err}`);
    return { status: 'error', message: String(err) };
  }
}

/**
 * The updater: refresh() fetches the classification and the disparity of the store's state
 * when its choroKey changed since the last call. When both are on screen and the map has
 * rendered them, body[data-choropleth-ready] names the indicator (and
 * body[data-choropleth-key] the whole state) for tests. Answers to a state the page has
 * since left are dropped.
 */
export function createChoroplethUpdater({ cat, store, mapView }) {
  let requested = null; // choroKey of the latest request
  let seq = 0; // numbers the requests: only the latest one's answers are shown
  return {
    async refresh() {
      const state = store.get();
      const key = choroKey(state);
      if (key === requested) return;
      requested = key;
      const mine = ++seq;
      const current = () => seq === mine;
      delete document.body.dataset.choroplethReady;
      delete document.body.dataset.choroplethKey;

      store.set({ disparity: { status: 'loading', data: null, macroNote: disparityRequest(cat, state).macroNote } });
      const disparity = fetchDisparity(cat, state).then((next) => {
        if (current()) store.set({ disparity: next });
      });
      const next = await fetchChoropleth(cat, state);
      if (!current()) return;
      store.set({ choro: { ...next, key, indicator: state.indicator, level: state.level } });
      await disparity;
      if (!current()) return;
      await mapView.settled();
      if (!current()) return;
      document.body.dataset.choroplethKey = key;
      document.body.dataset.choroplethReady = state.indicator;
    },
  };
}

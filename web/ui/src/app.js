// aimaq planner's map: choropleths of the area indicators (by district, oblast or
// macroregion, classified by the server), the disparity panel of the chosen indicator,
// macroregion / agglomeration outlines and settlements, all from the server's own vector
// tiles and API. Nothing is loaded from the internet: no basemap or sprites; the label glyphs
// (DejaVu Sans) come from the server's own fonts/{fontstack}/{range}.pbf.
//
// This entry wires the modules around the one store (state.js): the catalogue the server
// answers first (catalogue.js) says what can be chosen; the controls (controls.js) and the
// map (map.js) change the state; the reactions below bring the URL hash, the map, the legend
// (legend.js), the disparity panel (disparity.js), the popup (popup.js), the download controls
// (export.js) and the fetched classification (choropleth.js) in line with it. The scenario
// panel (scenario.js) takes a map click first while a facility is being placed.

import { loadCatalogue, resolveChoice, substitutionOf } from './catalogue.js';
import { createChoroplethUpdater } from './choropleth.js';
import { applyChrome, bindControls, renderControls, renderStatus } from './controls.js';
import { createDisparityPanel } from './disparity.js';
import { createDownload } from './export.js';
import {
  colorNoteKind, renderColorControl, renderColorLegend, renderColorNote, renderLegend, renderLegendHead,
} from './legend.js';
import { MapView } from './map.js';
import { createPopup } from './popup.js';
import { createScenarioPanel } from './scenario.js';
import { NARROW_QUERY, createSheets } from './sheets.js';
import {
  DEFAULTS, HASH_KEYS, createStore, hashLang, hashOptions, parseHash, serialiseHash,
} from './state.js';

/** Mirror the state in the URL; replaceState: a language switch should not fill the Back button's history. */
function writeHash(state) {
  const hash = serialiseHash(state);
  if (hash !== location.hash) history.replaceState(null, '', hash);
}

/** The store of the page: the hash's state, and what was fetched for it. */
function createPageStore(cat, opts) {
  const asked = parseHash(location.hash, opts);
  return createStore({
    ...asked,
    choro: null, // the classification on the map (classes.js readChoropleth, with key, indicator, level)
    disparity: { status: 'loading', data: null, macroNote: false },
    failedSources: [], // sources whose TileJSON could not be loaded
    // a link's indicator without values, and what is shown instead, until another is chosen
    substituted: substitutionOf(cat, asked, resolveChoice(cat, asked, DEFAULTS.indicator)),
  }, (s) => {
    const resolved = resolveChoice(cat, s, DEFAULTS.indicator); // only what the catalogue has
    const substituted = s.substituted && s.substituted.shown === resolved.indicator ? s.substituted : null;
    return { ...s, ...resolved, substituted };
  });
}

/** The note under the settlement ramp, from the settlements drawn now. */
function updateColorNote({ cat, store, mapView }) {
  let features;
  try {
    features = mapView.renderedSettlements();
  } catch {
    return; // style still loading: the next idle asks again
  }
  renderColorNote(cat, store.get(), colorNoteKind(cat, store.get().color, features));
}

/** Everything that shows text, in the state's language. */
function applyLanguage(page, s) {
  const { cat } = page;
  applyChrome(s.lang);
  renderControls(cat, s);
  renderLegend(cat, s);
  page.renderDisparity(cat, s);
  renderColorControl(cat, s);
  renderColorLegend(cat, s);
  updateColorNote(page);
  page.mapView.applyLabelLanguage();
  renderStatus(s.lang, s.failedSources);
  page.popup.refresh();
}

/** Bring the hash, the map, the panels and the popup in line with a changed state. */
function onChange(page, s, changed) {
  const { cat, mapView, popup } = page;
  const has = (...keys) => keys.some((k) => changed.has(k));
  if (has(...HASH_KEYS)) writeHash(s);
  if (has('lang')) applyLanguage(page, s);
  if (has('level', 'indicator')) {
    mapView.applyLevel();
    popup.close();
  }
  if (has('indicator', 'level', 'method', 'classes', 'breaks', 'compare')) {
    renderControls(cat, s);
    renderLegendHead(cat, s);
    page.choropleth.refresh();
  }
  if (has('choro')) {
    mapView.applyChoropleth();
    renderLegend(cat, s);
    popup.refresh();
    page.renderDisparity(cat, s); // the bars take the colours of the classes
  }
  if (has('disparity')) page.renderDisparity(cat, s);
  if (has('color')) {
    renderColorControl(cat, s);
    renderColorLegend(cat, s);
    mapView.applySettlementColor();
    updateColorNote(page);
  }
  if (has('view')) mapView.showView(s.view);
  if (has('lang', 'indicator', 'level', 'compare')) page.renderDownload(s);
  if (has('failedSources')) renderStatus(s.lang, s.failedSources);
}

/**
 * The bottom sheets of narrow screens, and Escape: it closes the popup if one is open, else
 * the open sheet (whose toggle then takes the focus). Bound before the catalogue loads, so
 * the sheets open even when it fails; the popup is set once there is one.
 */
function bindSheets() {
  const sheets = createSheets(document);
  const narrow = window.matchMedia(NARROW_QUERY);
  let popup = null;
  let scenario = null;
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    if (scenario && scenario.cancelPlacing()) return;
    if (popup && popup.isOpen()) popup.close();
    else if (narrow.matches) sheets.close();
  });
  return { sheets, narrow, setPopup: (p) => { popup = p; }, setScenario: (s) => { scenario = s; } };
}

async function main() {
  applyChrome(hashLang(location.hash));
  const escape = bindSheets();
  let cat;
  try {
    cat = await loadCatalogue();
  } catch (err) {
    // Without the catalogue there is nothing to choose or colour: say so in the panel.
    console.warn(`aimaq map: indicator catalogue: ${err}`);
    renderStatus(hashLang(location.hash), ['api/indicators']);
    return;
  }

  const opts = hashOptions(cat);
  const store = createPageStore(cat, opts);
  const mapView = new MapView({
    cat,
    store,
    // popup and scenario are made right below, before any click can come.
    onClick: (lngLat, kind, feature) => {
      if (scenario.takeClick(lngLat)) return;
      scenario.selectArea(kind, feature);
      if (feature) popup.show(lngLat, kind, feature);
      else popup.close();
    },
  });
  const popup = createPopup(mapView.map, cat, store);
  const scenario = createScenarioPanel({ cat, store, map: mapView.map, sheets: escape.sheets, narrow: escape.narrow });
  const page = {
    cat,
    store,
    mapView,
    popup,
    renderDisparity: createDisparityPanel(document.getElementById('disparity')),
    choropleth: createChoroplethUpdater({ cat, store, mapView }),
  };

  // The settlements in view are asked after each render settles, so the note under the ramp
  // follows panning and zooming.
  mapView.map.on('idle', () => {
    if (store.get().color !== 'none') updateColorNote(page);
  });
  page.renderDownload = createDownload(page);
  store.subscribe((s, changed) => onChange(page, s, changed));
  bindControls(store);
  escape.setPopup(popup);
  escape.setScenario(scenario);
  window.addEventListener('hashchange', () => {
    const next = parseHash(location.hash, opts);
    // A hash without a position leaves the map where it is.
    store.set({ ...next, view: next.view || store.get().view });
    writeHash(store.get());
  });

  applyLanguage(page, store.get());
  writeHash(store.get());
  page.choropleth.refresh();
}

main();

// The MapLibre map: built from the style of layers.js, kept in step with the store (level,
// labels' language, classification, settlement colours, position), and reporting clicks. The
// hover highlight and whether the style has loaded are its own business, private to MapView.

import * as maplibregl from './vendor/maplibre-gl.mjs';
import { levelOf } from './catalogue.js';
import { absoluteURL } from './http.js';
import { choroplethColorExpression, settlementPaint } from './classes.js';
import { AreaLabels } from './labels.js';
import { registerPMTiles } from './pmtiles.js';
import {
  AREA_LABELS, LABEL_LAYERS, buildStyle, districtLinesVisible, labelLayers, labelVisible,
} from './layers.js';

const CIRCLES = 'settlements-circle';

/** The map position as the state keeps it. */
function viewOf(map) {
  const c = map.getCenter();
  return { zoom: map.getZoom(), lat: c.lat, lon: c.lng };
}

/** The MapLibre map in #map for the catalogue and the state, as the page first shows it. */
function createMap(cat, state) {
  const wide = window.innerWidth > 900;
  // A position from the URL wins; else the whole imported country (its box comes from the
  // server's catalogue), clear of the floating panels on
  // wide screens (the controls on the left, the disparity panel on the right).
  const view = state.view
    ? { center: [state.view.lon, state.view.lat], zoom: state.view.zoom }
    : {
      bounds: cat.bounds,
      fitBoundsOptions: { padding: wide ? { top: 20, bottom: 20, right: 310, left: 330 } : 10 },
    };
  registerPMTiles(maplibregl, document.baseURI); // ?pmtiles=NAME: the sources read that archive
  const map = new maplibregl.Map({
    container: 'map',
    style: buildStyle(cat, state, document.baseURI),
    ...view,
    maxZoom: 16,
    renderWorldCopies: false,
    // Credits come from each source's TileJSON `attribution`, the same text GIS clients show.
    attributionControl: { compact: false },
    // The server gives root-relative links when the page's Host is not one it builds
    // absolute links from (a proxy's name not configured): resolve them against the page.
    transformRequest: (url) => (absoluteURL(url) === url ? undefined : { url: absoluteURL(url) }),
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'bottom-right');
  // Bottom-right, stacked above the attribution: a long attribution line wraps across the
  // bottom-left corner.
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right');
  return map;
}

/**
 * The map of the page, kept in step with the store by the apply… methods. onClick(lngLat,
 * kind, feature) is called for a click on a settlement (kind 'settlements') or an area of
 * the active level (kind = its tile layer), with feature null for a click on nothing.
 */
export class MapView {
  #cat;
  #store;
  #styleLoaded = false;
  #hovered = null; // { source, id } of the highlighted area
  /** Label points of the area sources, kept between updates (labels.js). */
  #areaLabels = Object.fromEntries(AREA_LABELS.map((a) => [a.labels, new AreaLabels(a.source)]));

  constructor({ cat, store, onClick }) {
    this.#cat = cat;
    this.#store = store;
    this.map = createMap(cat, store.get());
    window.aimaqMap = this.map; // for tests and for poking around in the console
    this.#listen(onClick);
    store.set({ view: viewOf(this.map) });
  }

  #listen(onClick) {
    const { map } = this;
    // A missing layer or tile must not break the page (and must not be a console error while
    // the server is being built): report it as a warning instead of MapLibre's console.error.
    map.on('error', (e) => {
      const msg = e && e.error ? e.error.message || String(e.error) : 'unknown error';
      console.warn(`aimaq map: ${e.sourceId ? `source ${e.sourceId}: ` : ''}${msg}`);
      // A layer whose TileJSON failed leaves the map empty: say so in the panel. (A failed
      // tile comes with e.tile and only leaves a hole; MapLibre does not report 404 tiles.)
      if (e.sourceId && !e.tile) {
        this.#store.set({ failedSources: [...new Set([...this.#store.get().failedSources, e.sourceId])] });
      }
    });

    // Area labels follow the loaded tiles; ready for tests: the first idle with every
    // requested tile loaded and the area labels placed.
    let ready = false;
    map.on('idle', () => {
      const changed = this.#updateAreaLabels();
      if (ready || changed || !this.#styleLoaded || !map.areTilesLoaded()) return;
      ready = true;
      document.body.dataset.mapReady = '1';
    });

    map.on('load', () => {
      this.#styleLoaded = true;
      this.applyLevel();
      this.applyLabelLanguage();
      this.applyChoropleth();
      this.applySettlementColor();
    });
    // The position goes into the state (and so the URL hash) once the map comes to rest.
    map.on('moveend', () => this.#store.set({ view: viewOf(map) }));

    // Hover highlight on the active choropleth layer.
    map.on('mousemove', (e) => {
      const { fill, source } = this.#activeLevel();
      const f = map.getLayer(fill) ? map.queryRenderedFeatures(e.point, { layers: [fill] })[0] : null;
      map.getCanvas().style.cursor = f ? 'pointer' : '';
      this.#setHover(source, f ? f.id : null);
    });
    map.getCanvas().addEventListener('mouseleave', () => this.#clearHover());

    // Click: a settlement under the pointer (with a few pixels of slack) wins over the area.
    map.on('click', (e) => {
      const { x, y } = e.point;
      const slack = 4;
      if (map.getLayer(CIRCLES)) {
        const f = map.queryRenderedFeatures([[x - slack, y - slack], [x + slack, y + slack]], { layers: [CIRCLES] })[0];
        if (f) {
          onClick(e.lngLat, 'settlements', f);
          return;
        }
      }
      const { fill, source } = this.#activeLevel();
      onClick(e.lngLat, source, map.queryRenderedFeatures(e.point, { layers: [fill] })[0] || null);
    });
  }

  /** The level of the choropleth on screen (its fill layer and source). */
  #activeLevel() {
    return levelOf(this.#cat, this.#store.get().level);
  }

  #clearHover() {
    const h = this.#hovered;
    if (!h) return;
    this.map.setFeatureState({ source: h.source, sourceLayer: h.source, id: h.id }, { hover: false });
    this.#hovered = null;
  }

  #setHover(source, id) {
    const h = this.#hovered;
    if (h && h.source === source && h.id === id) return;
    this.#clearHover();
    if (id === undefined || id === null) return;
    this.#hovered = { source, id };
    this.map.setFeatureState({ source, sourceLayer: source, id }, { hover: true });
  }

  /**
   * Recompute the area label points from the loaded tiles of the sources whose labels are
   * shown; true when a label source got new data (it then loads, and another idle follows).
   */
  #updateAreaLabels() {
    if (!this.#styleLoaded) return false;
    const { map } = this;
    let changed = false;
    const zoom = map.getZoom();
    for (const a of AREA_LABELS) {
      const layer = map.getLayer(a.layer);
      if (!layer || map.getLayoutProperty(a.layer, 'visibility') === 'none') continue;
      if (zoom < (layer.minzoom || 0) - 1 || zoom >= (layer.maxzoom || 24)) continue;
      const data = this.#areaLabels[a.labels].update(map);
      const src = map.getSource(a.labels);
      if (data && src) {
        src.setData(data);
        changed = true;
      }
    }
    return changed;
  }

  /** Show the active level's fill, its outlines and labels. */
  applyLevel() {
    if (!this.#styleLoaded) return;
    const { map } = this;
    const { level } = this.#store.get();
    for (const l of this.#cat.levels) map.setLayoutProperty(l.fill, 'visibility', l.name === level ? 'visible' : 'none');
    map.setLayoutProperty('districts-line', 'visibility', districtLinesVisible(level) ? 'visible' : 'none');
    for (const id of LABEL_LAYERS) {
      if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', labelVisible(id, level) ? 'visible' : 'none');
    }
    this.#clearHover();
  }

  /** Labels in the current language. */
  applyLabelLanguage() {
    if (!this.#styleLoaded) return;
    const { lang, level } = this.#store.get();
    for (const layer of labelLayers({ lang, level, groups: this.#cat.groups })) {
      if (this.map.getLayer(layer.id)) this.map.setLayoutProperty(layer.id, 'text-field', layer.layout['text-field']);
    }
  }

  /** Paint the fills and set each area's class as feature-state on the classified level's source. */
  applyChoropleth() {
    const { choro } = this.#store.get();
    if (!this.#styleLoaded || !choro) return;
    const { map } = this;
    const expr = choroplethColorExpression(choro);
    for (const l of this.#cat.levels) map.setPaintProperty(l.fill, 'fill-color', expr);
    const { source } = levelOf(this.#cat, choro.level);
    map.removeFeatureState({ source, sourceLayer: source });
    for (const [id, cls] of choro.classOf || []) map.setFeatureState({ source, sourceLayer: source, id }, { cls });
    const h = this.#hovered;
    if (h && h.source === source) map.setFeatureState({ source, sourceLayer: source, id: h.id }, { hover: true });
  }

  /** Colour the settlement circles by the state's colour indicator (or by population type). */
  applySettlementColor() {
    if (!this.map.getLayer(CIRCLES)) return;
    const c = this.#cat.colorIndicators.find((x) => x.name === this.#store.get().color) || null;
    for (const [k, v] of Object.entries(settlementPaint(c))) this.map.setPaintProperty(CIRCLES, k, v);
  }

  /** Move to a position unless the map is already there (it came from the map itself). */
  showView(v) {
    if (!v) return;
    const c = this.map.getCenter();
    if (Math.abs(this.map.getZoom() - v.zoom) > 0.01 || Math.abs(c.lat - v.lat) > 1e-3 || Math.abs(c.lng - v.lon) > 1e-3) {
      this.map.jumpTo({ center: [v.lon, v.lat], zoom: v.zoom });
    }
  }

  /** The settlements drawn now; null when their layer is not there. Throws while the style is still loading. */
  renderedSettlements() {
    return this.map.getLayer(CIRCLES) ? this.map.queryRenderedFeatures({ layers: [CIRCLES] }) : null;
  }

  /** Resolve on the next idle with every tile loaded (after a paint or feature-state change). */
  async settled() {
    const { map } = this;
    if (!this.#styleLoaded) await new Promise((resolve) => map.once('load', resolve));
    await new Promise((resolve) => {
      const done = () => {
        if (!map.areTilesLoaded()) return;
        map.off('idle', done);
        resolve();
      };
      map.on('idle', done);
      map.triggerRepaint();
    });
  }

  /**
   * A copy of the map as drawn, on a 2D canvas of the map canvas's pixel size, once every tile
   * is loaded (export.js). It is copied inside a 'render' event: the WebGL drawing buffer is
   * only readable until the frame is shown, and keeping it (preserveDrawingBuffer) would slow
   * every frame for the sake of a rare download.
   */
  async capture() {
    await this.settled();
    const { map } = this;
    return new Promise((resolve, reject) => {
      map.once('render', () => {
        try {
          const src = map.getCanvas();
          const copy = document.createElement('canvas');
          copy.width = src.width;
          copy.height = src.height;
          copy.getContext('2d').drawImage(src, 0, 0);
          resolve(copy);
        } catch (err) {
          reject(err);
        }
      });
      map.triggerRepaint();
    });
  }
}

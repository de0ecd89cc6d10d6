// The page's one state, and the URL hash that mirrors it.
//
//   #lang=en&level=oblasts&indicator=oblast_centre_km_mean&method=quantile&classes=5
//    &breaks=10,25,50 (manual only)&map=5.20/48.1000/67.3000 (zoom/lat/lon)&color=school_km
//    &compare=12 (the map shows the change since compute run 12; issue 10.6)
//
// The store holds what the hash says (the keys above) and what the page fetched for it (the
// classification `choro`, the `disparity` panel, the `failedSources`). Modules read it with
// get(), change it with set(patch) and react to changes with subscribe(fn(state, changed)).
// The hash functions here are pure: the page parses location.hash and writes the result of
// serialiseHash(); what is valid (levels, methods, class range, colour indicators) comes
// from the server's catalogue through hashOptions().

import { LANGS, DEFAULT_LANG } from './i18n.js';

/** The UI's own choices for a first visit; what is valid comes from the server. */
export const DEFAULTS = {
  lang: DEFAULT_LANG,
  level: 'districts',
  indicator: 'population_density',
  method: 'auto',
  classes: 7,
  color: 'none',
  compare: 0, // a compute run id: the map shows the change since it; 0: no comparison
};

/** State keys the URL hash carries. */
export const HASH_KEYS = ['lang', 'level', 'indicator', 'method', 'classes', 'breaks', 'color', 'view', 'compare'];

/** Equal for the store: the same value, or arrays / plain objects with equal members. */
export function same(a, b) {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  const plain = (x) => x !== null && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype;
  if (!plain(a) || !plain(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => same(a[k], b[k]));
}

/**
 * A store of one state object. normalise(state) runs on every change (it keeps the indicator
 * and level on ones that exist). A set() made by a subscriber while the others are being told
 * of a change is applied after them, so every subscriber sees the changes in order.
 */
export function createStore(initial, normalise = (s) => s) {
  let state = Object.freeze(normalise({ ...initial }));
  const listeners = new Set();
  let pending = null;
  let notifying = false;
  return {
    get: () => state,
    set(patch) {
      pending = { ...pending, ...patch };
      if (notifying) return;
      while (pending) {
        const next = Object.freeze(normalise({ ...state, ...pending }));
        pending = null;
        const changed = new Set(Object.keys(next).filter((k) => !same(next[k], state[k])));
        if (!changed.size) continue;
        state = next;
        notifying = true;
        try {
          for (const fn of listeners) fn(state, changed);
        } finally {
          notifying = false;
        }
      }
    },
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}

/** Ascending finite numbers from "1, 2.5, 10" (commas, semicolons or spaces), or null. */
export function parseBreaks(text) {
  const parts = String(text || '').split(/[\s,;]+/).filter(Boolean);
  if (!parts.length) return null;
  const out = parts.map(Number);
  if (out.some((n) => !Number.isFinite(n))) return null;
  for (let i = 1; i < out.length; i++) if (!(out[i] > out[i - 1])) return null;
  return out;
}

/**
 * What the hash may say, from the catalogue (catalogue.js): the level names it accepts
 * (the UI's and their aliases), the methods, the class range and the colour indicators.
 */
export function hashOptions(cat) {
  const classes = Math.min(cat.maxClasses, Math.max(cat.minClasses, DEFAULTS.classes));
  return {
    levels: cat.levelAliases,
    methods: cat.methods,
    minClasses: cat.minClasses,
    maxClasses: cat.maxClasses,
    colors: cat.colorIndicators.map((c) => c.name),
    defaults: {
      ...DEFAULTS,
      method: cat.methods.includes(DEFAULTS.method) ? DEFAULTS.method : cat.defaultMethod,
      classes,
    },
  };
}

/** The language a hash asks for, or the default. */
export function hashLang(hash) {
  const lang = new URLSearchParams(String(hash || '').replace(/^#/, '')).get('lang');
  return LANGS.includes(lang) ? lang : DEFAULT_LANG;
}

/**
 * The state a hash describes; anything missing or invalid takes its default. The indicator
 * is only checked for its form here: the store's normaliser checks it against the catalogue.
 */
export function parseHash(hash, opts) {
  const params = new URLSearchParams(String(hash || '').replace(/^#/, ''));
  const d = opts.defaults;
  const level = opts.levels[params.get('level')];
  const color = params.get('color');
  const method = params.get('method');
  const classes = Number(params.get('classes'));
  const breaks = parseBreaks(params.get('breaks')) || [];
  const indicator = params.get('indicator') || params.get('ind');
  const compare = /^[1-9]\d{0,14}$/.test(params.get('compare') || '') ? Number(params.get('compare')) : 0;
  let view = null;
  const m = /^(-?[\d.]+)\/(-?[\d.]+)\/(-?[\d.]+)$/.exec(params.get('map') || '');
  if (m) {
    const [zoom, lat, lon] = m.slice(1).map(Number);
    if ([zoom, lat, lon].every(Number.isFinite) && Math.abs(lat) <= 85 && Math.abs(lon) <= 180) view = { zoom, lat, lon };
  }
  return {
    lang: hashLang(hash),
    level: level || d.level,
    indicator: indicator && /^[a-z0-9_]{1,64}$/.test(indicator) ? indicator : d.indicator,
    method: opts.methods.includes(method) && (method !== 'manual' || breaks.length) ? method : d.method,
    classes: Number.isInteger(classes) && classes >= opts.minClasses && classes <= opts.maxClasses ? classes : d.classes,
    breaks,
    view,
    color: opts.colors.includes(color) ? color : 'none',
    compare,
  };
}

/** The map position as the hash writes it: zoom/lat/lon. */
function viewParam({ zoom, lat, lon }) {
  return `${zoom.toFixed(2)}/${lat.toFixed(4)}/${lon.toFixed(4)}`;
}

/** The hash of a state, commas and slashes left readable (URLSearchParams escapes them). */
export function serialiseHash(state) {
  const params = new URLSearchParams();
  params.set('lang', state.lang);
  params.set('level', state.level);
  params.set('indicator', state.indicator);
  params.set('method', state.method);
  if (state.method === 'manual') params.set('breaks', state.breaks.join(','));
  else params.set('classes', String(state.classes));
  if (state.color !== 'none') params.set('color', state.color);
  if (state.view) params.set('map', viewParam(state.view));
  if (state.compare) params.set('compare', String(state.compare));
  return `#${params.toString().replace(/%2C/g, ',').replace(/%2F/g, '/')}`;
}

/** What the classification depends on: indicator|level|method:classes (or manual:breaks)[|compare:RUN]. */
export function choroKey(state) {
  const m = state.method === 'manual' ? `manual:${state.breaks.join(',')}` : `${state.method}:${state.classes}`;
  const cmp = state.compare ? `|compare:${state.compare}` : '';
  return `${state.indicator}|${state.level}|${m}${cmp}`;
}

// Validates the server's MapLibre styles (GET /styles/{indicator}.json) with the MapLibre
// style specification's own validator, and checks what a GIS client relies on: a vector
// source by TileJSON URL that resolves, a fill layer coloured by a `step` expression over the
// breaks, and the legend in the style's metadata.
//
//   node web/ui/test/style.test.mjs <baseURL>
//
// Exit code 0 = every style valid; otherwise each error is listed on stderr. The last line
// of stdout is "N passed, N failed".

import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';

const [baseURL] = process.argv.slice(2);
if (!baseURL) {
  console.error('usage: node web/ui/test/style.test.mjs <baseURL>');
  process.exit(2);
}
const base = new URL(baseURL.endsWith('/') ? baseURL : `${baseURL}/`);
const TIMEOUT_MS = 15_000;

async function get(path) {
  const url = new URL(path, base);
  const res = await fetch(url, { headers: { Accept: 'application/json' }, signal: AbortSignal.timeout(TIMEOUT_MS) });
  const text = await res.text();
  let body = null;
  try {
    body = JSON.parse(text);
  } catch {
    // reported by the caller
  }
  return { url: url.href, status: res.status, type: res.headers.get('content-type') || '', text, body };
}

/** Every `step` expression inside a value (expressions nest in case/match/let). */
function findSteps(v, out = []) {
  if (Array.isArray(v)) {
    if (v[0] === 'step') out.push(v);
    for (const x of v) findSteps(x, out);
  } else if (v && typeof v === 'object') {
    for (const x of Object.values(v)) findSteps(x, out);
  }
  return out;
}

/** The indicators to try: two available ones from the catalogue (density first). */
async function pickIndicators() {
  const cat = await get('api/indicators');
  const list = Array.isArray(cat.body) ? cat.body : (cat.body && cat.body.indicators) || [];
  const available = list.filter((i) => i && i.available !== false).map((i) => i.name);
  if (cat.status !== 200 || !available.length) {
    throw new Error(`GET ${cat.url}: HTTP ${cat.status}, ${available.length} available indicators: ${cat.text.slice(0, 200)}`);
  }
  const first = available.includes('population_density') ? 'population_density' : available[0];
  const second = ['oblast_centre_km_mean', 'district_centre_km_mean', 'town5k_km_mean'].find((n) => available.includes(n)) ||
    available.find((n) => n !== first) || first;
  const levelsOf = (n) => {
    const i = list.find((x) => x.name === n);
    return i && Array.isArray(i.levels) && i.levels.length ? i.levels : ['district', 'oblast', 'macroregion'];
  };
  const pick = (n, wanted) => (levelsOf(n).includes(wanted) ? wanted : levelsOf(n)[0]);
  return [
    { indicator: first, level: pick(first, 'district'), method: 'jenks', classes: 5 },
    { indicator: second, level: pick(second, 'oblast'), method: 'quantile', classes: 7 },
    { indicator: first, level: pick(first, 'macroregion'), method: 'equal', classes: 4 },
  ];
}

async function checkStyle({ indicator, level, method, classes }) {
  const errors = [];
  const q = new URLSearchParams({ level, method, classes: String(classes) });
  const r = await get(`styles/${encodeURIComponent(indicator)}.json?${q}`);
  const where = `GET ${r.url}`;
  if (r.status !== 200) return [`${where}: HTTP ${r.status}: ${r.text.slice(0, 300)}`];
  if (!/json/.test(r.type)) errors.push(`${where}: Content-Type ${r.type}, expected JSON`);
  if (!r.body || typeof r.body !== 'object') return [...errors, `${where}: not a JSON object: ${r.text.slice(0, 200)}`];
  const style = r.body;

  // 1. The style specification.
  for (const e of validateStyleMin(style)) errors.push(`${where}: style spec: ${e.message}`);

  // 2. Vector sources by TileJSON URL, absolute (QGIS resolves nothing relative), that load.
  const sources = Object.entries(style.sources || {});
  const vector = sources.filter(([, s]) => s && s.type === 'vector');
  if (!vector.length) errors.push(`${where}: no vector source`);
  for (const [id, s] of vector) {
    if (typeof s.url !== 'string') {
      errors.push(`${where}: source ${id} has no TileJSON "url"`);
      continue;
    }
    let u;
    try {
      u = new URL(s.url);
    } catch {
      errors.push(`${where}: source ${id} url is not absolute: ${s.url}`);
      continue;
    }
    if (!/^https?:$/.test(u.protocol)) {
      errors.push(`${where}: source ${id} url is not http(s): ${s.url}`);
      continue;
    }
    // Fetch it from this server (the style may name the host it was asked by, or a public one).
    const tj = await get(u.origin === base.origin ? u.href : `${u.pathname.replace(/^\//, '')}${u.search}`);
    if (tj.status !== 200 || !tj.body || !Array.isArray(tj.body.tiles) || !tj.body.tiles.length) {
      errors.push(`${where}: source ${id}: TileJSON ${tj.url} answered HTTP ${tj.status} without tiles: ${tj.text.slice(0, 200)}`);
    }
  }
  for (const key of ['glyphs', 'sprite']) {
    const v = style[key];
    if (typeof v === 'string' && !v.startsWith(base.origin) && !v.startsWith('/')) {
      errors.push(`${where}: ${key} points off this server: ${v}`);
    }
  }

  // Labels need glyphs: MapLibre cannot draw text-field without a "glyphs" URL (the
  // validator does not insist on it).
  for (const l of style.layers || []) {
    if (l.type === 'symbol' && l.layout && l.layout['text-field'] !== undefined && !style.glyphs) {
      errors.push(`${where}: layer ${l.id} has a text-field but the style has no "glyphs"`);
    }
  }

  // 3. A fill layer coloured by a step expression over the breaks, on the indicator.
  const fills = (style.layers || []).filter((l) => l.type === 'fill');
  const steps = fills.flatMap((l) => findSteps((l.paint || {})['fill-color']));
  if (!fills.length) errors.push(`${where}: no fill layer`);
  else if (!steps.length) errors.push(`${where}: no fill-color step expression in ${fills.map((l) => l.id).join(', ')}`);
  else if (!JSON.stringify(steps).includes(JSON.stringify(indicator))) {
    errors.push(`${where}: the fill-color step does not read the property ${indicator}: ${JSON.stringify(steps[0]).slice(0, 200)}`);
  }
  if (!(style.layers || []).some((l) => l.type === 'line')) errors.push(`${where}: no outline (line) layer`);

  // 4. The legend in metadata, one entry per class of the step.
  const meta = style.metadata && typeof style.metadata === 'object' ? style.metadata : {};
  const legendKey = Object.keys(meta).find((k) => /legend/i.test(k));
  const legend = legendKey ? meta[legendKey] : null;
  const entries = Array.isArray(legend) ? legend : legend && Array.isArray(legend.legend) ? legend.legend
    : legend && Array.isArray(legend.classes) ? legend.classes : null;
  if (!entries) errors.push(`${where}: no legend in metadata (keys: ${Object.keys(meta).join(', ') || 'none'})`);
  else if (steps.length) {
    const stops = (steps[0].length - 3) / 2 + 1; // classes of the step: stops + 1
    if (entries.length < stops) errors.push(`${where}: metadata legend has ${entries.length} entries, the step ${stops} classes`);
  }
  return errors;
}

let failed = 0;
let passed = 0;
const summary = [];
try {
  for (const c of await pickIndicators()) {
    const errors = await checkStyle(c);
    const name = `${c.indicator} level=${c.level} method=${c.method} classes=${c.classes}`;
    if (errors.length) {
      failed++;
      console.error(`FAIL style ${name}:\n  ${errors.join('\n  ')}`);
    } else {
      passed++;
    }
    summary.push({ ...c, ok: errors.length === 0, errors: errors.length });
  }
} catch (err) {
  failed++;
  console.error(`FAIL style.test: ${err && err.stack ? err.stack : err}`);
}
console.log(JSON.stringify({ styles: summary }));
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

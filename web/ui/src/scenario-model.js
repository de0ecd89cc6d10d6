// The planner's scenario panel (issue 12.3) and "propose sites" (issue 13.4): the rules, as
// pure functions for node --test. No DOM, no MapLibre, no fetch: scenario.js renders, asks
// the server and draws what these return.
//
// A draft is the scenario on screen: its saved id and name (or none yet), its projects in
// the JSON the write API takes (POST api/scenarios/{id}/projects, the same JSON a draft
// evaluation takes), which of them are saved already, and the saved ones removed on screen
// but not yet on the server. Saving writes the difference.

import { fmt, fmtIndex } from './format.js';
import { strings } from './i18n.js';

/** The facilities a planner can place, in the order the select offers them. */
export const FACILITIES = ['school', 'medical_post', 'feldsher_post', 'clinic', 'polyclinic'];

/** sessionStorage key of the write token: never in the URL, gone with the tab. */
export const TOKEN_KEY = 'aimaq.token';

/** The settlement figures a changed settlement is judged by: lower is better for the distances. */
const DISTANCES = ['school_km', 'clinic_km', 'hospital_km', 'paved_road_km'];

/** The standards of the evaluation, in the order the panel shows them. */
export const STANDARDS = ['school', 'health', 'road'];

/** A coordinate as a project stores it: 6 decimals (about 0.1 m), more would be noise. */
export function roundCoord(v) {
  return Math.round(v * 1e6) / 1e6;
}

/** lon/lat of a MapLibre LngLat, a { lon, lat } or a [lon, lat]. */
function lonLat(p) {
  if (Array.isArray(p)) return [Number(p[0]), Number(p[1])];
  return [Number(p.lng ?? p.lon), Number(p.lat)];
}

/**
 * The JSON of one project for a facility placed by a click on the map: an open_facility at
 * the clicked point (the server derives the health level from the kind). name and cost_kzt
 * only when given. Throws on an unknown facility or a point off the globe.
 */
export function projectFromClick(facility, point, { name = '', costKZT = null } = {}) {
  if (!FACILITIES.includes(facility)) throw new Error(`unknown facility ${facility}`);
  const [lon, lat] = lonLat(point);
  if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90) {
    throw new Error(`not a point on the globe: ${lon}, ${lat}`);
  }
  const p = { kind: 'open_facility', facility_kind: facility, lon: roundCoord(lon), lat: roundCoord(lat) };
  const n = String(name || '').trim().slice(0, 300);
  if (n) p.name = n;
  if (costKZT !== null && Number.isFinite(costKZT) && costKZT > 0) p.cost_kzt = costKZT;
  p.status = 'planned';
  return p;
}

/** The fields a kind of project takes besides the common ones (data/postgis drafts check the same). */
const TAKES = {
  open_facility: ['facility_kind', 'capacity', 'lon', 'lat'],
  close_facility: ['facility_id'],
  downgrade_facility: ['facility_id', 'facility_kind'],
  pave_road: ['osm_ways', 'line'],
  build_road: ['line', 'road_class'],
};
const COMMON = ['kind', 'name', 'year', 'cost_kzt', 'programme', 'status', 'source'];

/**
 * A saved project (as GET api/scenarios/{id}/projects answers it) as the JSON the write API
 * and the draft evaluation take: only the fields its kind takes, none empty (the API refuses
 * fields a kind does not use, and ids it gives itself).
 */
export function draftOfProject(p) {
  const takes = TAKES[p.kind] || [];
  const out = {};
  for (const k of [...COMMON, ...takes]) {
    const v = p[k];
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && !v.length)) continue;
    out[k] = v;
  }
  // A road paved by its OSM ways also carries the ways' lines: the API takes one of the two.
  if (out.osm_ways && out.line && p.kind === 'pave_road') delete out.line;
  return out;
}

/** A draft with nothing in it: a new scenario not saved yet. */
export function emptyDraft(name = '') {
  return { id: null, name, projects: [], removed: [], seq: 0, dirty: false };
}

/** A saved scenario (its meta and its projects) as a draft with nothing unsaved. */
export function draftOfSaved(meta, projects) {
  return {
    id: meta.id,
    name: meta.name || '',
    projects: (projects || []).map((p) => ({ key: `p${p.id}`, body: draftOfProject(p), saved: p.id })),
    removed: [],
    seq: 0,
    dirty: false,
  };
}

/** The draft with one more project (not saved yet). */
export function withProject(d, body) {
  const seq = d.seq + 1;
  return { ...d, seq, dirty: true, projects: [...d.projects, { key: `n${seq}`, body, saved: null }] };
}

/** The draft without the project of key; a saved one is remembered for deletion on save. */
export function withoutProject(d, key) {
  const p = d.projects.find((x) => x.key === key);
  if (!p) return d;
  return {
    ...d,
    dirty: true,
    projects: d.projects.filter((x) => x.key !== key),
    removed: p.saved ? [...d.removed, p.saved] : d.removed,
  };
}

/** The body of a draft evaluation (POST api/scenarios/evaluate) and of POST …/projects. */
export function projectsBody(projects) {
  return { projects: projects.map((p) => p.body) };
}

/**
 * What saving a draft writes: create the scenario (no id yet), add the unsaved projects,
 * delete the removed ones. Nothing to do for a saved draft without changes.
 */
export function pendingWrites(d) {
  return {
    create: d.id === null,
    add: d.projects.filter((p) => !p.saved),
    remove: [...d.removed],
  };
}

/** The token as kept in sessionStorage ('' when none); a storage that throws counts as none. */
export function readToken(storage) {
  try {
    return (storage && storage.getItem(TOKEN_KEY)) || '';
  } catch {
    return '';
  }
}

/** Keep (or, for '', forget) the token in sessionStorage. */
export function keepToken(storage, token) {
  const v = String(token || '').trim();
  try {
    if (v) storage.setItem(TOKEN_KEY, v);
    else storage.removeItem(TOKEN_KEY);
  } catch {
    // private mode without storage: the token lives in the field only
  }
  return v;
}

/**
 * What the panel says about a write's answer: 'ok', 'tokenMissing' (no token given),
 * 'tokenRefused' (401: unknown or revoked), 'invalid' (400), 'unavailable' (404/405/501/503:
 * a server without this part), 'failed' (anything else).
 */
export function answerKind(status, token = 'x') {
  if (status >= 200 && status < 300) return 'ok';
  if (status === 401) return token ? 'tokenRefused' : 'tokenMissing';
  if (status === 400 || status === 422) return 'invalid';
  if (status === 404 || status === 405 || status === 501 || status === 503) return 'unavailable';
  return 'failed';
}

/**
 * The field a 400 answer names ("projects[0].lon: …" → "projects[0].lon"): a name, not
 * English prose, so the Kazakh and Russian pages can show it. null when there is none.
 */
export function errorField(message) {
  const m = /^\s*((?:projects\[\d+\]\.)?[a-z_]+(?:\[\d+\])?|body)\s*[:=]/.exec(String(message || ''));
  return m ? m[1] : null;
}

const finiteOr = (v, d = null) => (typeof v === 'number' && Number.isFinite(v) ? v : d);

/**
 * The figures of an evaluation (GET api/scenarios/{id}/evaluation, POST api/scenarios/evaluate,
 * or one side of api/scenarios/compare) as the panel shows them: projects, changed settlements,
 * cost, newly served, cost per person, each standard's population newly meeting it (and no
 * longer), and Theil T between and within macroregions before and after, per indicator.
 */
export function evaluationFigures(answer) {
  const ev = answer || {};
  const standards = STANDARDS.map((name) => {
    const s = (ev.standards || []).find((x) => x.standard === name);
    return s ? {
      standard: name,
      newly: finiteOr(s.newly_meeting, 0),
      lost: finiteOr(s.no_longer_meeting, 0),
      before: finiteOr(s.before && s.before.meets),
      after: finiteOr(s.after && s.after.meets),
      applies: finiteOr(s.after && s.after.applies),
    } : null;
  }).filter(Boolean);
  const theil = (x) => (x ? { total: finiteOr(x.total), between: finiteOr(x.between), within: finiteOr(x.within) } : null);
  const disparity = (ev.disparity || []).map((d) => ({ indicator: d.indicator, before: theil(d.before), after: theil(d.after) }));
  return {
    projects: finiteOr(ev.projects, 0),
    changed: finiteOr(ev.changed_settlements, Array.isArray(ev.settlements) ? ev.settlements.length : 0),
    cost: finiteOr(ev.cost_kzt, 0),
    newlyServed: finiteOr(ev.newly_served, 0),
    costPerPerson: finiteOr(ev.cost_per_person_kzt),
    standards,
    disparity,
  };
}

/** A sum in tenge: "900 млн ₸", "1,2 млрд ₸", "45 000 ₸"; "—" for none. */
export function fmtKZT(v, lang) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const t = strings(lang);
  const a = Math.abs(v);
  if (a >= 1e9) return `${fmt(v / 1e9, lang, a >= 1e11 ? 0 : 1)} ${t.scenario.billion} ₸`;
  if (a >= 1e6) return `${fmt(v / 1e6, lang, a >= 1e8 ? 0 : 1)} ${t.scenario.million} ₸`;
  return `${fmt(v, lang)} ₸`;
}

/** A cost of projects: 0 means none was given (the server adds up the costs the projects state). */
export function fmtCost(v, lang) {
  return v === 0 ? strings(lang).scenario.costNotGiven : fmtKZT(v, lang);
}

/** A number of people: "1 234 чел.". */
export function fmtPeople(v, lang) {
  return `${fmt(v ?? 0, lang)} ${strings(lang).people}`;
}

/** A Theil index, before → after ("0,0123 → 0,0118"); "—" where undefined. */
export function fmtTheilChange(before, after, lang) {
  const f = (v) => (v === null || v === undefined ? '—' : fmtIndex(v, lang));
  return `${f(before)} → ${f(after)}`;
}

/** Is a distance shorter (null = none, i.e. infinitely far)? */
function nearer(after, before) {
  const a = finiteOr(after, Infinity);
  const b = finiteOr(before, Infinity);
  return a < b;
}

/**
 * How a changed settlement fared: 'better' when a distance shrank or a standard became met
 * and nothing got worse, 'worse' for the reverse, 'mixed' when both.
 */
export function settlementGain(c) {
  let better = false;
  let worse = false;
  const b = c.before || {};
  const a = c.after || {};
  for (const k of DISTANCES) {
    if (nearer(a[k], b[k])) better = true;
    else if (nearer(b[k], a[k])) worse = true;
  }
  const sb = finiteOr(b.srs && b.srs.score);
  const sa = finiteOr(a.srs && a.srs.score);
  if (sb !== null && sa !== null) {
    if (sa > sb) better = true;
    if (sa < sb) worse = true;
  }
  if (better && worse) return 'mixed';
  return worse ? 'worse' : 'better';
}

/**
 * How a figure was made, where the answer says it (the evaluation's figures carry methods by
 * figure name; a proposed site off_network): 'network', 'straight-line' or 'estimated'; null
 * where the answer says nothing.
 */
export function provenanceOf(x, figure) {
  if (!x) return null;
  const m = x.methods && figure ? x.methods[figure] : undefined;
  if (m === 'network' || m === 'straight-line' || m === 'estimated') return m;
  if (x.off_network === true) return 'straight-line';
  if (x.off_network === false) return x.straight_pairs > 0 ? 'mixed' : 'network';
  const sl = x.straight_line;
  if (Array.isArray(sl) && figure) return sl.includes(figure.replace(/_(km|min)$/, '')) ? 'straight-line' : 'network';
  if (x.method === 'straight-line' || x.method === 'network' || x.method === 'mixed') return x.method;
  return null;
}

/** The changed settlements of an evaluation as GeoJSON points for the highlight layer. */
export function changedFeatures(ev) {
  return {
    type: 'FeatureCollection',
    features: (ev && ev.settlements ? ev.settlements : [])
      .filter((c) => Number.isFinite(c.lon) && Number.isFinite(c.lat))
      .map((c) => ({
        type: 'Feature',
        id: c.id,
        geometry: { type: 'Point', coordinates: [c.lon, c.lat] },
        properties: { id: c.id, name: c.name || '', population: c.population || 0, gain: settlementGain(c) },
      })),
  };
}

/** The points of a draft's projects (those placed at a point), numbered as the list shows them. */
export function projectFeatures(projects) {
  const features = [];
  projects.forEach((p, i) => {
    const { lon, lat } = p.body;
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) return;
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [lon, lat] },
      properties: { n: String(i + 1), kind: p.body.facility_kind || p.body.kind, saved: Boolean(p.saved) },
    });
  });
  return { type: 'FeatureCollection', features };
}

/** The ids of the areas (of any level) whose figures the evaluation changes. */
export function changedAreaIds(ev) {
  return [...new Set((ev && ev.areas ? ev.areas : []).map((a) => a.area_id))].sort((a, b) => a - b);
}

/**
 * The area indicator whose change the panel lists: the map's own when the scenario changes it,
 * else the first of the preferred ones that changes, else the first that does; null for none.
 */
export function areaIndicator(ev, mapIndicator, preferred = ['school_km_mean', 'clinic_km_mean', 'srs_score_mean']) {
  const names = new Set((ev && ev.areas ? ev.areas : []).map((a) => a.indicator));
  if (names.has(mapIndicator)) return mapIndicator;
  for (const n of preferred) if (names.has(n)) return n;
  return names.size ? [...names][0] : null;
}

/** Each changed area's value of an indicator before and after: [{ id, before, after }]. */
export function areaRows(ev, indicator) {
  return (ev && ev.areas ? ev.areas : [])
    .filter((a) => a.indicator === indicator)
    .map((a) => ({ id: a.area_id, before: finiteOr(a.before), after: finiteOr(a.after) }));
}

/**
 * The rows of the comparison of two saved scenarios (api/scenarios/compare): each a key (its
 * label in i18n), the kind of figure (for its format) and the two sides' values.
 */
export function compareRows(cmp) {
  const a = evaluationFigures(cmp.a || {});
  const b = evaluationFigures(cmp.b || {});
  const rows = [
    { key: 'projects', kind: 'count', a: a.projects, b: b.projects },
    { key: 'changed', kind: 'count', a: a.changed, b: b.changed },
    { key: 'cost', kind: 'kzt', a: a.cost, b: b.cost },
    { key: 'newlyServed', kind: 'people', a: a.newlyServed, b: b.newlyServed },
    { key: 'costPerPerson', kind: 'kzt', a: a.costPerPerson, b: b.costPerPerson },
  ];
  for (const s of STANDARDS) {
    const sa = a.standards.find((x) => x.standard === s);
    const sb = b.standards.find((x) => x.standard === s);
    if (sa || sb) rows.push({ key: `standard.${s}`, kind: 'people', a: sa ? sa.newly : null, b: sb ? sb.newly : null });
  }
  for (const d of a.disparity) {
    const other = b.disparity.find((x) => x.indicator === d.indicator);
    for (const part of ['between', 'within']) {
      const va = d.after ? d.after[part] : null;
      const vb = other && other.after ? other.after[part] : null;
      // An index undefined on both sides (no macroregions in the data) is no row.
      if (va !== null || vb !== null) rows.push({ key: `theil.${part}`, indicator: d.indicator, kind: 'index', a: va, b: vb });
    }
  }
  return rows;
}

/** A figure of a kind ('count', 'people', 'kzt', 'index') in a language. */
export function fmtFigureOf(kind, v, lang) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (kind === 'kzt') return fmtCost(v, lang);
  if (kind === 'people') return fmtPeople(v, lang);
  if (kind === 'index') return fmtIndex(v, lang);
  return fmt(v, lang);
}

/** Links to take a saved scenario away: its projects and its evaluation, as CSV and GeoJSON. */
export function exportLinks(id, lang) {
  const base = `api/scenarios/${encodeURIComponent(id)}`;
  return [
    { key: 'projectsCsv', href: `${base}/projects?format=csv`, file: `scenario-${id}.csv` },
    { key: 'projectsGeojson', href: `${base}/projects?format=geojson`, file: `scenario-${id}-projects.geojson` },
    { key: 'evaluationCsv', href: `${base}/evaluation?format=csv&lang=${lang}`, file: `scenario-${id}-evaluation.csv` },
    { key: 'evaluationGeojson', href: `${base}/evaluation?format=geojson&lang=${lang}`, file: `scenario-${id}-evaluation.geojson` },
  ];
}

/**
 * The area a click selects for "propose sites": { level (the server's), code, props } for an
 * area of the choropleth with a code, null for anything else. kind is the tile layer.
 */
export function areaSelection(kind, props) {
  if (!props || props.code === undefined || props.code === null || String(props.code) === '') return null;
  const level = { districts: 'district', oblasts: 'oblast' }[kind]
    || (kind === 'groups' ? (props.kind === 'agglomeration' ? 'agglomeration' : 'macroregion') : null);
  return level ? { level, code: String(props.code), props } : null;
}

/** The largest number of sites the panel asks for at once. */
export const MAX_SITES = 20;

/** A number of sites from the field: a whole number from 1 to MAX_SITES, else null. */
export function parseK(v) {
  const n = Number(String(v).trim());
  return Number.isInteger(n) && n >= 1 && n <= MAX_SITES ? n : null;
}

/** GET api/siting for an area, a facility and k: maximal covering. */
export function sitingPath({ level, code, facility, k, lang }) {
  const q = new URLSearchParams({ level, code, facility, method: 'cover', k: String(k), lang });
  return `api/siting?${q}`;
}

/** The body of POST api/siting/scenario: the same question, saved as a scenario under name. */
export function sitingScenarioBody({ name, level, code, facility, k }) {
  return { name, level, code, facility, method: 'cover', k };
}

/** The proposed sites as GeoJSON points numbered by rank. */
export function siteFeatures(answer) {
  return {
    type: 'FeatureCollection',
    features: (answer && answer.sites ? answer.sites : [])
      .filter((s) => Number.isFinite(s.lon) && Number.isFinite(s.lat))
      .map((s) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
        properties: { rank: String(s.rank), name: s.name || '', newly: s.newly_covered || 0, off: Boolean(s.off_network) },
      })),
  };
}

/**
 * A server note in the page's language: a { code, text } of an answer asked with ?lang= is in
 * it already; a bare string is English, shown only on the English page (no English leaks into
 * the Kazakh or Russian one).
 */
export function noteText(note, lang) {
  if (note && typeof note === 'object') return String(note.text || '');
  return lang === 'en' && typeof note === 'string' ? note : '';
}

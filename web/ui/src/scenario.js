// The planner's scenario panel (issue 12.3) in the controls panel (the controls sheet on a
// phone), and "propose sites" for the selected area (issue 13.4). A planner places schools
// and clinics with a map click; every change of the draft is evaluated at once by the server
// (POST api/scenarios/evaluate, no token: nothing is written) and drawn: the changed
// settlements and the proposed sites as GeoJSON layers, the changed areas outlined on the
// active level's tiles (a filter on their ids), the figures in the panel. Saving, comparing,
// exporting and saving proposed sites as a scenario go to the scenario API with the token the
// planner enters (sessionStorage only, never in the URL). The rules are in scenario-model.js.

import { indicatorInfo, indicatorTitle, levelOf } from './catalogue.js';
import { el } from './dom.js';
import { fmt, fmtValue } from './format.js';
import { localized, strings } from './i18n.js';
import * as model from './scenario-model.js';

const byId = (id) => document.getElementById(id);

/** Layers and sources of the panel on the map. */
const CHANGED = 'scenario-changed';
const PROJECTS = 'scenario-projects';
const SITES = 'scenario-sites';
const AREA_LINE = (source) => `scenario-area-${source}`;
const FONT_BOLD = ['DejaVu Sans Bold'];
const EMPTY = { type: 'FeatureCollection', features: [] };

/**
 * A request of the scenario API: { ok, status, body, message }. A failed network request
 * (or a server without this part) answers status 0; nothing throws.
 */
async function send(method, path, { body, token } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  try {
    const res = await fetch(new URL(path, document.baseURI), {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
    let data = null;
    if (res.status !== 204) {
      try {
        data = await res.json();
      } catch {
        data = null;
      }
    }
    return { ok: res.ok, status: res.status, body: data, message: data && data.error ? String(data.error) : `HTTP ${res.status}` };
  } catch (err) {
    console.warn(`aimaq map: ${method} ${path}: ${err}`);
    return { ok: false, status: 0, body: null, message: String(err) };
  }
}

/** A labelled control: <div class="select-control"><label for=id>…</label>control</div>. */
function field(id, control, extra = null) {
  const label = el('label', { for: id });
  return { box: el('div', { class: 'select-control' }, label, control, extra), label };
}

/** Replace a node's children, leaving out the absent ones (replaceChildren would write "null"). */
function fill(node, ...kids) {
  node.replaceChildren(...kids.flat().filter((k) => k !== null && k !== undefined && k !== false));
}

/** How a figure was made, as the legend's badges say it (nothing when the answer does not say). */
function provenanceBadge(how, t) {
  if (!how) return null;
  return el('span', { class: `badge badge-provenance badge-${how}`, title: t.provenanceTitle[how] || undefined }, t.provenance[how] || how);
}

/** A distance of a changed settlement: "12 km"; "—" for none. */
function kmText(v, lang) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return `${fmt(v, lang, v < 10 ? 1 : 0)} ${strings(lang).units.km}`;
}

/**
 * The scenario panel in #scenario (a <details> of the controls panel) and its hint line over
 * the map (#scenario-hint). map: the MapLibre map; sheets: the bottom sheets (closed while a
 * facility is being placed on a phone); narrow: the media query of phones. Returns
 *   takeClick(lngLat)  true when the click placed a project (the page then opens no popup)
 *   selectArea(kind, feature)  the clicked area, for "propose sites"
 *   cancelPlacing()  true when a placement was waiting (Escape)
 */
export function createScenarioPanel({ cat, store, map, sheets, narrow }) {
  const box = byId('scenario');
  const hintBox = byId('scenario-hint');
  let storage = null;
  try {
    storage = globalThis.sessionStorage; // a sandboxed page may refuse it: the token then lives in the field
  } catch {
    storage = null;
  }
  const levelSources = [...new Set(cat.levels.map((l) => l.source))];

  let token = model.readToken(storage);
  let draft = model.emptyDraft();
  let saved = []; // the saved scenarios (api/scenarios)
  let placing = null; // the facility waiting for a map click
  let evaluation = { state: 'empty', body: null, field: null };
  let writeNote = null; // { kind, name } of the last write
  let cmp = { state: 'idle', body: null };
  let area = null; // { level, code, props } for "propose sites"
  let siting = { state: 'idle', body: null, note: null };
  let hint = null; // { kind: 'placing'|'placed'|'effect', what }
  let editedName = null; // the name field as typed, until another scenario is opened
  let styleReady = false;

  // ----- the panel's DOM, built once; texts set by render() -----
  const summary = el('summary', { class: 'scenario-summary' });
  const intro = el('p', { class: 'legend-note' });

  const tokenInput = el('input', { id: 'scenario-token', type: 'password', autocomplete: 'off', spellcheck: 'false' });
  const tokenNote = el('p', { id: 'scenario-token-note', class: 'legend-note', role: 'status' });
  const tokenField = field('scenario-token', tokenInput, tokenNote);

  const pick = el('select', { id: 'scenario-pick' });
  const pickField = field('scenario-pick', pick);
  const nameInput = el('input', { id: 'scenario-name', type: 'text', autocomplete: 'off', maxlength: '200' });
  const nameField = field('scenario-name', nameInput);

  const facility = el('select', { id: 'scenario-facility' });
  const facilityField = field('scenario-facility', facility);
  const costInput = el('input', { id: 'scenario-cost', type: 'number', min: '0', step: 'any', inputmode: 'decimal' });
  const costField = field('scenario-cost', costInput);
  const placeButton = el('button', { type: 'button', id: 'scenario-place', class: 'scenario-button', 'aria-pressed': 'false' });

  const projectsTitle = el('h3', { class: 'legend-subtitle' });
  const projectList = el('ol', { id: 'scenario-projects', class: 'scenario-projects' });

  const effect = el('section', { id: 'scenario-effect', class: 'scenario-effect', 'aria-live': 'polite' });

  const saveButton = el('button', { type: 'button', id: 'scenario-save', class: 'scenario-button primary' });
  const saveNote = el('p', { id: 'scenario-save-note', class: 'legend-note', role: 'status' });

  const compareTitle = el('h3', { class: 'legend-subtitle' });
  const cmpA = el('select', { id: 'scenario-compare-a' });
  const cmpB = el('select', { id: 'scenario-compare-b' });
  const cmpAField = field('scenario-compare-a', cmpA);
  const cmpBField = field('scenario-compare-b', cmpB);
  const cmpButton = el('button', { type: 'button', id: 'scenario-compare', class: 'scenario-button' });
  const cmpResult = el('div', { id: 'scenario-compare-result', 'aria-live': 'polite' });

  const exportTitle = el('h3', { class: 'legend-subtitle' });
  const exportBox = el('div', { id: 'scenario-export', class: 'download-row' });

  const sitingTitle = el('h3', { class: 'legend-subtitle' });
  const sitingArea = el('p', { id: 'siting-area', class: 'legend-note' });
  const sitingFacility = el('select', { id: 'siting-facility' });
  const sitingFacilityField = field('siting-facility', sitingFacility);
  const sitingK = el('input', { id: 'siting-k', type: 'number', min: '1', max: String(model.MAX_SITES), step: '1', value: '3', inputmode: 'numeric' });
  const sitingKField = field('siting-k', sitingK);
  const sitingRun = el('button', { type: 'button', id: 'siting-run', class: 'scenario-button' });
  const sitingResult = el('div', { id: 'siting-result', 'aria-live': 'polite' });
  const sitingSave = el('button', { type: 'button', id: 'siting-save', class: 'scenario-button', hidden: true });

  box.append(summary, el('div', { class: 'scenario-body' },
    intro, tokenField.box, pickField.box, nameField.box,
    el('div', { class: 'controls scenario-row' }, facilityField.box, costField.box), placeButton,
    projectsTitle, projectList, effect, saveButton, saveNote,
    compareTitle, el('div', { class: 'controls scenario-row' }, cmpAField.box, cmpBField.box), cmpButton, cmpResult,
    exportTitle, exportBox,
    sitingTitle, sitingArea, el('div', { class: 'controls scenario-row' }, sitingFacilityField.box, sitingKField.box),
    sitingRun, sitingResult, sitingSave));
  box.hidden = false;

  const hintText = el('p', { class: 'scenario-hint-text', role: 'status' });
  const hintCancel = el('button', { type: 'button', class: 'scenario-button' });
  hintBox.replaceChildren(hintText, hintCancel);

  tokenInput.value = token;

  // ----- the map's layers -----
  function addLayers() {
    if (map.getSource(CHANGED)) return;
    const before = map.getLayer('districts-label') ? 'districts-label' : undefined;
    for (const source of levelSources) {
      map.addLayer({
        id: AREA_LINE(source), type: 'line', source, 'source-layer': source,
        filter: ['in', ['id'], ['literal', []]],
        layout: { 'line-join': 'round', visibility: 'none' },
        paint: { 'line-color': '#6a1b9a', 'line-width': 3.5 },
      }, before);
    }
    map.addSource(CHANGED, { type: 'geojson', data: EMPTY });
    map.addSource(PROJECTS, { type: 'geojson', data: EMPTY });
    map.addSource(SITES, { type: 'geojson', data: EMPTY });
    map.addLayer({
      id: CHANGED, type: 'circle', source: CHANGED,
      paint: {
        'circle-radius': 7,
        'circle-color': ['match', ['get', 'gain'], 'better', '#1a7f37', 'worse', '#b42318', '#6a1b9a'],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 2,
      },
    });
    for (const [id, color, prop] of [[SITES, '#b35806', 'rank'], [PROJECTS, '#1d4e89', 'n']]) {
      map.addLayer({
        id: `${id}-circle`, type: 'circle', source: id,
        paint: { 'circle-radius': 10, 'circle-color': color, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 },
      });
      map.addLayer({
        id: `${id}-label`, type: 'symbol', source: id,
        layout: { 'text-field': ['get', prop], 'text-font': FONT_BOLD, 'text-size': 12, 'text-allow-overlap': true, 'text-ignore-placement': true },
        paint: { 'text-color': '#ffffff' },
      });
    }
    styleReady = true;
    drawMap();
  }
  map.on('load', addLayers);

  /** The draft's projects, the evaluation's settlements and areas, the proposed sites on the map. */
  function drawMap() {
    if (!styleReady) return;
    map.getSource(PROJECTS).setData(model.projectFeatures(draft.projects));
    const ev = evaluation.state === 'ready' ? evaluation.body : null;
    map.getSource(CHANGED).setData(ev ? model.changedFeatures(ev) : EMPTY);
    map.getSource(SITES).setData(siting.state === 'ready' ? model.siteFeatures(siting.body) : EMPTY);
    const ids = ev ? model.changedAreaIds(ev) : [];
    const active = levelOf(cat, store.get().level).source;
    for (const source of levelSources) {
      map.setFilter(AREA_LINE(source), ['in', ['id'], ['literal', ids]]);
      map.setLayoutProperty(AREA_LINE(source), 'visibility', source === active && ids.length ? 'visible' : 'none');
    }
  }

  // ----- rendering -----
  const facilityName = (kind, lang) => strings(lang).scenario.facilities[kind] || kind;

  function renderChrome(lang) {
    const t = strings(lang);
    const s = t.scenario;
    summary.textContent = s.title;
    intro.textContent = s.intro;
    tokenField.label.textContent = s.token;
    pickField.label.textContent = s.pick;
    nameField.label.textContent = s.name;
    facilityField.label.textContent = s.facility;
    costField.label.textContent = s.cost;
    projectsTitle.textContent = s.projectsTitle;
    saveButton.textContent = s.save;
    compareTitle.textContent = s.compareTitle;
    cmpAField.label.textContent = s.compareA;
    cmpBField.label.textContent = s.compareB;
    cmpButton.textContent = s.compare;
    exportTitle.textContent = s.exportTitle;
    sitingTitle.textContent = s.sitingTitle;
    sitingFacilityField.label.textContent = s.sitingFacility;
    sitingKField.label.textContent = s.sitingK;
    sitingRun.textContent = s.sitingRun;
    sitingSave.textContent = s.sitingSave;
    hintCancel.textContent = s.placeCancel;
    for (const select of [facility, sitingFacility]) {
      const value = select.value || 'school';
      select.replaceChildren(...model.FACILITIES.map((f) => el('option', { value: f }, facilityName(f, lang))));
      select.value = value;
    }
  }

  function renderToken(lang) {
    const s = strings(lang).scenario;
    const k = writeNote && (writeNote.kind === 'tokenMissing' || writeNote.kind === 'tokenRefused') ? writeNote.kind : null;
    tokenNote.textContent = k ? s[k] : s.tokenHint;
    tokenNote.classList.toggle('legend-warning', Boolean(k));
    tokenInput.setAttribute('aria-invalid', String(Boolean(k)));
  }

  function renderPick(lang) {
    const s = strings(lang).scenario;
    const opts = saved.map((m) => el('option', { value: String(m.id) }, `${m.name} (${fmt(m.projects || 0, lang)})`));
    pick.replaceChildren(el('option', { value: '' }, s.newDraft), ...opts);
    pick.value = draft.id === null ? '' : String(draft.id);
    if (document.activeElement !== nameInput) nameInput.value = editedName ?? (draft.name || s.defaultName);
    for (const [select, fallback] of [[cmpA, 0], [cmpB, 1]]) {
      const value = select.value || (saved[fallback] ? String(saved[fallback].id) : '');
      select.replaceChildren(...saved.map((m) => el('option', { value: String(m.id) }, m.name)));
      select.value = value;
    }
    cmpButton.disabled = saved.length < 2;
  }

  function renderPlace(lang) {
    const s = strings(lang).scenario;
    placeButton.textContent = placing ? s.placeCancel : s.place;
    placeButton.setAttribute('aria-pressed', String(Boolean(placing)));
    document.body.dataset.placing = placing || '';
  }

  function renderProjects(lang) {
    const s = strings(lang).scenario;
    if (!draft.projects.length) {
      fill(projectList, el('li', { class: 'legend-note scenario-empty' }, s.noProjects));
      return;
    }
    fill(projectList, ...draft.projects.map((p) => {
      const name = p.body.name || facilityName(p.body.facility_kind || p.body.kind, lang);
      const remove = el('button', { type: 'button', class: 'scenario-remove', 'aria-label': s.removeProject(name) }, s.remove);
      remove.addEventListener('click', () => {
        draft = model.withoutProject(draft, p.key);
        changed();
      });
      return el('li', { 'data-key': p.key, 'data-saved': p.saved ? String(p.saved) : '' },
        el('span', { class: 'scenario-project-name' }, name),
        p.saved ? null : el('span', { class: 'badge badge-unsaved' }, s.unsaved),
        p.body.cost_kzt ? el('span', { class: 'scenario-project-cost' }, model.fmtKZT(p.body.cost_kzt, lang)) : null,
        remove);
    }));
  }

  /** The rows of the changed areas of the active level, named from its loaded tiles. */
  function areaTable(ev, lang) {
    const s = strings(lang).scenario;
    const st = store.get();
    const ind = model.areaIndicator(ev, st.indicator);
    if (!ind) return [];
    const info = indicatorInfo(cat, ind);
    const { source } = levelOf(cat, st.level);
    const rows = model.areaRows(ev, ind);
    const names = new Map();
    try {
      for (const f of map.querySourceFeatures(source, { sourceLayer: source, filter: ['in', ['id'], ['literal', rows.map((r) => r.id)]] })) {
        names.set(f.id, localized(f.properties || {}, 'name', lang));
      }
    } catch {
      // the source is still loading: the rows show without names
    }
    const mine = rows.filter((r) => names.has(r.id));
    if (!mine.length) return [];
    const unit = info ? info.unit : '';
    const table = el('table', { class: 'scenario-table', 'data-indicator': ind },
      el('caption', {}, indicatorTitle(info, lang) || ind),
      ...mine.map((r) => el('tr', { 'data-area': String(r.id), 'data-before': String(r.before), 'data-after': String(r.after) },
        el('th', { scope: 'row' }, names.get(r.id)),
        el('td', {}, `${fmtValue(r.before, unit, lang)} → ${fmtValue(r.after, unit, lang)}`))));
    return [el('h4', {}, s.areasTitle(fmt(mine.length, lang))), table];
  }

  /** The changed settlements, the most populous first: the distance that changed, before → after. */
  function settlementTable(ev, lang) {
    const s = strings(lang).scenario;
    const t = strings(lang);
    const list = [...(ev.settlements || [])].sort((a, b) => (b.population || 0) - (a.population || 0)).slice(0, 10);
    if (!list.length) return [];
    const rows = list.map((c) => {
      const key = ['school_km', 'clinic_km', 'hospital_km', 'paved_road_km']
        .find((k) => (c.before || {})[k] !== (c.after || {})[k]) || 'school_km';
      const how = model.provenanceOf(c.after, key);
      return el('tr', { 'data-settlement': String(c.id), 'data-gain': model.settlementGain(c), 'data-figure': key },
        el('th', { scope: 'row' }, c.name || `#${c.id}`),
        el('td', {}, `${kmText((c.before || {})[key], lang)} → ${kmText((c.after || {})[key], lang)}`,
          how ? ' ' : null, provenanceBadge(how, t)));
    });
    return [el('h4', {}, s.settlementsTitle), el('table', { class: 'scenario-table' }, ...rows)];
  }

  function renderEffect(lang) {
    const t = strings(lang);
    const s = t.scenario;
    box.dataset.evaluation = evaluation.state;
    const head = el('h3', { class: 'legend-subtitle' }, s.effectTitle);
    const note = (text, warn = false) => el('p', { class: `legend-note${warn ? ' legend-warning' : ''}`, 'data-role': 'effect-status' }, text);
    switch (evaluation.state) {
      case 'empty':
        fill(effect, );
        return;
      case 'busy':
        if (!evaluation.body) {
          fill(effect, head, note(s.evaluating));
          return;
        }
        break;
      case 'unavailable':
        fill(effect, head, note(s.draftUnavailable, true));
        return;
      case 'notComputed':
        fill(effect, head, note(t.notComputedYet, true));
        return;
      case 'invalid':
        fill(effect, head, note(s.invalid(evaluation.field), true));
        return;
      case 'failed':
        fill(effect, head, note(s.evalFailed, true));
        return;
      default:
    }
    const ev = evaluation.body;
    const f = model.evaluationFigures(ev);
    const figure = (key, label, value, text) => el('tr', { 'data-figure': key, 'data-value': value === null ? '' : String(value) },
      el('th', { scope: 'row' }, label), el('td', {}, text));
    const totals = el('table', { class: 'scenario-table scenario-totals' },
      figure('changed_settlements', s.changed, f.changed, fmt(f.changed, lang)),
      figure('newly_served', s.newlyServed, f.newlyServed, model.fmtPeople(f.newlyServed, lang)),
      figure('cost_kzt', s.costTotal, f.cost, model.fmtCost(f.cost, lang)),
      figure('cost_per_person_kzt', s.costPerPerson, f.costPerPerson, f.cost === 0 ? s.costNotGiven : model.fmtKZT(f.costPerPerson, lang)));
    const standards = el('table', { class: 'scenario-table scenario-standards' },
      ...f.standards.map((x) => el('tr', { 'data-standard': x.standard, 'data-value': String(x.newly), 'data-lost': String(x.lost) },
        el('th', { scope: 'row' }, s.standard[x.standard] || x.standard),
        el('td', {}, `+${model.fmtPeople(x.newly, lang)}`, x.lost ? ` (${s.noLonger(model.fmtPeople(x.lost, lang))})` : ''))));
    const theil = el('table', { class: 'scenario-table scenario-theil' });
    // An index undefined before and after (no macroregions in the data) takes no rows.
    const defined = f.disparity.filter((d) => [d.before, d.after].some((x) => x && (x.between !== null || x.within !== null)));
    for (const d of defined) {
      const info = indicatorInfo(cat, d.indicator);
      theil.append(el('tr', {}, el('th', { scope: 'colgroup', colspan: '2', class: 'scenario-theil-head' }, indicatorTitle(info, lang) || d.indicator)));
      for (const part of ['between', 'within']) {
        const b = d.before ? d.before[part] : null;
        const a = d.after ? d.after[part] : null;
        theil.append(el('tr', { 'data-theil': `${d.indicator}.${part}`, 'data-before': String(b), 'data-after': String(a) },
          el('th', { scope: 'row' }, t[part]), el('td', {}, model.fmtTheilChange(b, a, lang))));
      }
    }
    const notes = (ev.notes || []).map((n) => model.noteText(n, lang)).filter(Boolean);
    const about = notes.length
      ? el('details', { class: 'popup-about' }, el('summary', {}, t.aboutFigures), ...notes.map((n) => el('p', { class: 'legend-note' }, n)))
      : null;
    fill(effect, head,
      evaluation.state === 'busy' ? note(s.evaluating) : null,
      totals,
      el('h4', {}, s.standardsTitle), standards,
      f.disparity.length ? el('h4', {}, s.theilTitle) : null,
      defined.length ? theil : null, f.disparity.length && !defined.length ? el('p', { class: 'legend-note', 'data-theil': 'undefined' }, t.undefinedIndex) : null,
      ...areaTable(ev, lang), ...settlementTable(ev, lang),
      el('p', { class: 'legend-note' }, s.mapLegend), about);
  }

  function renderSave(lang) {
    const s = strings(lang).scenario;
    const k = writeNote ? writeNote.kind : null;
    const text = {
      busy: s.saving, saved: writeNote && s.saved(writeNote.name), nameMissing: s.nameMissing,
      tokenMissing: s.tokenMissing, tokenRefused: s.tokenRefused,
      invalid: s.invalid(writeNote && writeNote.field), failed: s.saveFailed, unavailable: s.saveFailed,
    }[k] || '';
    saveNote.textContent = text;
    saveNote.classList.toggle('legend-warning', Boolean(k) && k !== 'busy' && k !== 'saved');
    saveNote.dataset.state = k || '';
  }

  function renderCompare(lang) {
    const s = strings(lang).scenario;
    const t = strings(lang);
    if (saved.length < 2) {
      fill(cmpResult, el('p', { class: 'legend-note' }, s.compareNeedsTwo));
      return;
    }
    if (cmp.state === 'busy') fill(cmpResult, el('p', { class: 'legend-note' }, s.compareBusy));
    else if (cmp.state === 'failed') fill(cmpResult, el('p', { class: 'legend-note legend-warning' }, s.compareFailed));
    if (cmp.state !== 'ready') return;
    const { body } = cmp;
    const rows = model.compareRows(body).map((r) => {
      let label = s.rows[r.key];
      if (r.key.startsWith('standard.')) label = s.standardRow(s.standard[r.key.slice(9)]);
      if (r.key.startsWith('theil.')) label = s.theilRow(indicatorTitle(indicatorInfo(cat, r.indicator), lang) || r.indicator, t[r.key.slice(6)]);
      return el('tr', { 'data-row': r.indicator ? `${r.key}.${r.indicator}` : r.key, 'data-a': String(r.a), 'data-b': String(r.b) },
        el('th', { scope: 'row' }, label),
        el('td', {}, model.fmtFigureOf(r.kind, r.a, lang)), el('td', {}, model.fmtFigureOf(r.kind, r.b, lang)));
    });
    const name = (side) => (body[side] && body[side].scenario ? body[side].scenario.name : '');
    fill(cmpResult, el('table', { class: 'scenario-table scenario-compare', 'data-a': String(body.a.scenario.id), 'data-b': String(body.b.scenario.id) },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, s.compareFigure),
        el('th', { scope: 'col' }, name('a')), el('th', { scope: 'col' }, name('b')))),
      el('tbody', {}, ...rows)));
  }

  function renderExport(lang) {
    const s = strings(lang).scenario;
    if (draft.id === null) {
      fill(exportBox, el('p', { class: 'legend-note' }, s.exportNeedsSave));
      return;
    }
    fill(exportBox, ...model.exportLinks(draft.id, lang).map((l) => el('a', {
      class: 'button-link', href: l.href, download: l.file, 'data-export': l.key,
    }, s.export[l.key])));
  }

  function renderSiting(lang) {
    const s = strings(lang).scenario;
    const name = area ? localized(area.props, 'name', lang) || area.code : '';
    sitingArea.textContent = area ? s.sitingArea(name) : s.sitingNoArea;
    sitingRun.disabled = !area;
    sitingSave.hidden = siting.state !== 'ready' || !(siting.body.sites || []).length;
    box.dataset.siting = siting.state;
    const note = (text, warn = true) => el('p', { class: `legend-note${warn ? ' legend-warning' : ''}` }, text);
    const msg = {
      busy: [s.sitingBusy, false], unavailable: [s.sitingUnavailable, true], failed: [s.sitingFailed, true],
      kInvalid: [s.sitingKInvalid(model.MAX_SITES), true], invalid: [s.invalid(siting.field), true],
    }[siting.state];
    if (msg) {
      fill(sitingResult, note(...msg));
      return;
    }
    if (siting.state !== 'ready') {
      fill(sitingResult, );
      return;
    }
    const b = siting.body;
    const sites = b.sites || [];
    const t = strings(lang);
    const list = el('ol', { class: 'scenario-sites' }, ...sites.map((x) => el('li', { 'data-rank': String(x.rank), 'data-newly': String(x.newly_covered) },
      el('span', { class: 'scenario-project-name' }, x.name || `#${x.settlement_id}`), ' ',
      el('span', {}, s.siteNewly(fmt(x.newly_covered || 0, lang))),
      x.cost_kzt ? el('span', { class: 'scenario-project-cost' }, ` · ${model.fmtKZT(x.cost_kzt, lang)}`) : null,
      ' ', provenanceBadge(model.provenanceOf(x), t))));
    const covered = [b.covered_before, b.covered_after, b.population].every(Number.isFinite)
      ? el('p', { class: 'legend-note' }, s.sitingCovered(model.fmtPeople(b.covered_before, lang), model.fmtPeople(b.covered_after, lang), model.fmtPeople(b.population, lang)))
      : null;
    const notes = [b.guarantee, ...(b.notes || []).map((n) => model.noteText(n, lang))].filter(Boolean)
      .map((n) => el('p', { class: 'legend-note' }, n));
    fill(sitingResult, sites.length ? list : note(s.sitingNone, false), covered, ...notes);
  }

  function renderHint(lang) {
    const s = strings(lang).scenario;
    hintBox.hidden = !hint;
    hintBox.setAttribute('aria-label', s.title);
    hintCancel.hidden = !hint || hint.kind !== 'placing';
    if (!hint) return;
    hintBox.dataset.kind = hint.kind;
    const what = facilityName(hint.what, lang);
    if (hint.kind === 'placing') hintText.textContent = s.placing(what);
    else if (hint.kind === 'placed' || !evaluation.body) hintText.textContent = s.placed(what);
    else {
      const f = model.evaluationFigures(evaluation.body);
      hintText.textContent = `${s.placed(what)} ${s.hintEffect(fmt(f.changed, lang), model.fmtPeople(f.newlyServed, lang))}`;
    }
  }

  function render() {
    const { lang } = store.get();
    renderChrome(lang);
    renderToken(lang);
    renderPick(lang);
    renderPlace(lang);
    renderProjects(lang);
    renderEffect(lang);
    renderSave(lang);
    renderCompare(lang);
    renderExport(lang);
    renderSiting(lang);
    renderHint(lang);
    box.dataset.scenarioId = draft.id === null ? '' : String(draft.id);
    box.dataset.projects = String(draft.projects.length);
    drawMap();
  }

  // ----- talking to the server -----
  let evalSeq = 0;
  /** Evaluate the draft: unsaved changes through the draft evaluation, a saved scenario by its id. */
  async function evaluate() {
    const seq = ++evalSeq;
    if (!draft.projects.length) {
      evaluation = { state: 'empty', body: null, field: null };
      if (hint && hint.kind === 'effect') hint = null;
      render();
      return;
    }
    evaluation = { state: 'busy', body: evaluation.body, field: null };
    render();
    const { lang } = store.get();
    const res = draft.dirty || draft.id === null
      ? await send('POST', `api/scenarios/evaluate?lang=${lang}`, { body: model.projectsBody(draft.projects) })
      : await send('GET', `api/scenarios/${draft.id}/evaluation?lang=${lang}`);
    if (seq !== evalSeq) return; // a newer change is being evaluated
    let kind = model.answerKind(res.status);
    // The route is there but no compute run has finished: its JSON error says so (a server
    // without the route answers no JSON).
    if (kind === 'unavailable' && res.body && res.body.error) kind = 'notComputed';
    if (kind === 'ok') evaluation = { state: 'ready', body: res.body, field: null };
    else evaluation = { state: kind, body: null, field: kind === 'invalid' ? model.errorField(res.message) : null };
    if (kind !== 'ok') console.warn(`aimaq map: scenario evaluation: ${res.message}`);
    if (hint && hint.kind === 'placed' && kind === 'ok') hint = { ...hint, kind: 'effect' };
    render();
  }

  function changed() {
    render();
    evaluate();
  }

  async function loadSaved() {
    const res = await send('GET', 'api/scenarios');
    saved = res.ok && res.body && Array.isArray(res.body.scenarios) ? res.body.scenarios : [];
  }

  async function openSaved(id) {
    const meta = saved.find((m) => m.id === id) || { id, name: '' };
    const res = await send('GET', `api/scenarios/${id}/projects`);
    if (!res.ok) {
      console.warn(`aimaq map: scenario ${id} projects: ${res.message}`);
      return;
    }
    draft = model.draftOfSaved(meta, res.body.projects);
    editedName = null;
    evaluation = { state: 'empty', body: null, field: null };
    hint = null;
    changed();
  }

  /** A write failed: say why, in the page's language. */
  function failed(res) {
    const kind = model.answerKind(res.status, token);
    writeNote = { kind, field: kind === 'invalid' ? model.errorField(res.message) : null };
    console.warn(`aimaq map: scenario write: ${res.message}`);
    render();
  }

  async function save() {
    const name = nameInput.value.trim();
    if (!name) {
      writeNote = { kind: 'nameMissing' };
      render();
      nameInput.focus();
      return;
    }
    if (!token) {
      writeNote = { kind: 'tokenMissing' };
      render();
      tokenInput.focus();
      return;
    }
    writeNote = { kind: 'busy' };
    render();
    const w = model.pendingWrites(draft);
    let { id } = draft;
    if (w.create) {
      const res = await send('POST', 'api/scenarios', { body: { name, description: '' }, token });
      if (!res.ok) return failed(res);
      id = res.body.id;
      draft = { ...draft, id, name };
    } else if (name !== draft.name) {
      const res = await send('PATCH', `api/scenarios/${id}`, { body: { name }, token });
      if (!res.ok) return failed(res);
      draft = { ...draft, name };
    }
    if (w.add.length) {
      const res = await send('POST', `api/scenarios/${id}/projects`, { body: model.projectsBody(w.add), token });
      if (!res.ok) return failed(res);
    }
    for (const pid of w.remove) {
      const res = await send('DELETE', `api/scenarios/${id}/projects/${pid}`, { token });
      if (!res.ok && res.status !== 404) return failed(res);
    }
    await loadSaved();
    await openSaved(id);
    writeNote = { kind: 'saved', name };
    render();
    return undefined;
  }

  async function compare() {
    if (!cmpA.value || !cmpB.value) return;
    cmp = { state: 'busy', body: null };
    render();
    const { lang } = store.get();
    const res = await send('GET', `api/scenarios/compare?a=${encodeURIComponent(cmpA.value)}&b=${encodeURIComponent(cmpB.value)}&lang=${lang}`);
    cmp = res.ok ? { state: 'ready', body: res.body } : { state: 'failed', body: null };
    if (!res.ok) console.warn(`aimaq map: scenario comparison: ${res.message}`);
    render();
  }

  async function proposeSites() {
    if (!area) return;
    const k = model.parseK(sitingK.value);
    sitingK.setAttribute('aria-invalid', String(k === null));
    if (k === null) {
      siting = { state: 'kInvalid', body: null };
      render();
      return;
    }
    siting = { state: 'busy', body: null };
    render();
    const { lang } = store.get();
    const res = await send('GET', model.sitingPath({ level: area.level, code: area.code, facility: sitingFacility.value, k, lang }));
    const kind = model.answerKind(res.status);
    siting = kind === 'ok'
      ? { state: 'ready', body: res.body, request: { level: area.level, code: area.code, facility: sitingFacility.value, k, name: localized(area.props, 'name', lang) || area.code } }
      : { state: kind, body: null, field: kind === 'invalid' ? model.errorField(res.message) : null };
    if (kind !== 'ok') console.warn(`aimaq map: siting: ${res.message}`);
    render();
  }

  async function saveSites() {
    if (siting.state !== 'ready') return;
    if (!token) {
      writeNote = { kind: 'tokenMissing' };
      render();
      tokenInput.focus();
      return;
    }
    const { lang } = store.get();
    const r = siting.request;
    const name = `${strings(lang).scenario.sitingTitle}: ${facilityName(r.facility, lang)}, ${r.name}`;
    writeNote = { kind: 'busy' };
    render();
    const res = await send('POST', `api/siting/scenario?lang=${lang}`, { body: model.sitingScenarioBody({ name, ...r }), token });
    if (!res.ok) return failed(res);
    await loadSaved();
    await openSaved(res.body.id);
    writeNote = { kind: 'saved', name };
    render();
    return undefined;
  }

  function startPlacing() {
    placing = facility.value;
    hint = { kind: 'placing', what: placing };
    // On a phone the sheet covers the map: close it so the map can be tapped.
    if (narrow && narrow.matches && sheets) sheets.close();
    render();
    // The keyboard goes to the map: arrows move it, Enter places at its centre.
    map.getCanvas().focus();
  }

  function cancelPlacing() {
    if (!placing) return false;
    placing = null;
    hint = null;
    render();
    return true;
  }

  // ----- events -----
  tokenInput.addEventListener('change', () => {
    token = model.keepToken(storage, tokenInput.value);
    if (writeNote && (writeNote.kind === 'tokenMissing' || writeNote.kind === 'tokenRefused')) writeNote = null;
    render();
  });
  pick.addEventListener('change', () => {
    writeNote = null;
    if (pick.value) {
      openSaved(Number(pick.value));
    } else {
      draft = model.emptyDraft();
      editedName = null;
      changed();
    }
  });
  nameInput.addEventListener('input', () => {
    editedName = nameInput.value;
  });
  placeButton.addEventListener('click', () => (placing ? cancelPlacing() : startPlacing()));
  map.getCanvas().addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' || !placing) return;
    e.preventDefault();
    panel.takeClick(map.getCenter());
  });
  hintCancel.addEventListener('click', cancelPlacing);
  saveButton.addEventListener('click', save);
  cmpButton.addEventListener('click', compare);
  sitingRun.addEventListener('click', proposeSites);
  sitingSave.addEventListener('click', saveSites);

  store.subscribe((s, changedKeys) => {
    if (changedKeys.has('lang')) {
      render();
      if (draft.projects.length) evaluate(); // the server's notes in the new language
      if (cmp.state === 'ready') compare();
    } else if (changedKeys.has('level') || changedKeys.has('indicator')) {
      render();
    }
  });
  // The area names of the changed areas come from the tiles: once they are in, show them.
  map.on('idle', () => {
    if (evaluation.state === 'ready' && !effect.querySelector('[data-area]') && model.changedAreaIds(evaluation.body).length) {
      renderEffect(store.get().lang);
    }
  });

  render();
  // The saved scenarios are asked for when the group is first opened, not with every page.
  let listed = false;
  box.addEventListener('toggle', () => {
    if (!box.open || listed) return;
    listed = true;
    loadSaved().then(render);
  });

  const panel = {
    takeClick(lngLat) {
      if (!placing) return false;
      const { lang } = store.get();
      const what = placing;
      const n = draft.projects.filter((p) => p.body.facility_kind === what).length + 1;
      const millions = Number(costInput.value);
      const body = model.projectFromClick(what, lngLat, {
        name: `${facilityName(what, lang)} ${n}`,
        costKZT: costInput.value !== '' && Number.isFinite(millions) ? millions * 1e6 : null,
      });
      draft = model.withProject(draft, body);
      placing = null;
      hint = { kind: 'placed', what };
      changed();
      return true;
    },
    selectArea(kind, feature) {
      const next = feature ? model.areaSelection(kind, feature.properties || {}) : null;
      if (!next) return;
      area = next;
      render();
    },
    cancelPlacing,
  };
  return panel;
}

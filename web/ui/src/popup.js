// The popup of a clicked area or settlement; a settlement's popup loads its accessibility
// report (GET api/settlements/{id}/access). The popup, what it shows and the request in
// flight are kept in here, so a language switch or a new classification can re-render it.

import * as maplibregl from './vendor/maplibre-gl.mjs';
import { getJSON } from './http.js';
import {
  indicatorDescription, indicatorInfo, indicatorTitle, levelOf, levelTitle, settlementTitle,
} from './catalogue.js';
import { el, num } from './dom.js';
import { fmt, fmtDensity, fmtFigure, fmtValue } from './format.js';
import { localized, strings } from './i18n.js';
import { describe, missingDataSentence } from './needs.js';

/** Is a feature property true? MVT has booleans, but accept string/number encodings too. */
function isTrue(v) {
  return v === true || v === 'true' || v === 1 || v === '1';
}

function row(label, ...value) {
  return el('tr', {}, el('th', { scope: 'row' }, label), el('td', {}, ...value));
}

/**
 * What the figures of a popup mean and where they come from, shown on demand (a closed
 * <details>): items [{ title, text, source }], those without text or source left out.
 */
function aboutFigures(items, lang) {
  const t = strings(lang);
  const list = el('dl');
  for (const { title, text, source, key } of items) {
    if (!text && !source) continue;
    list.append(el('dt', {}, title), el('dd', { 'data-about': key },
      text || null, text && source ? ' ' : null, source ? el('span', { class: 'popup-source' }, `${t.figureSource}: ${source}`) : null));
  }
  if (!list.childElementCount) return null;
  return el('details', { class: 'popup-about' }, el('summary', {}, t.aboutFigures), list);
}

/** How a settlement's figure was measured (its report's method), in a language. */
function methodText(method, lang) {
  const t = strings(lang);
  if (method === 'estimated') return t.estimatedTitle;
  if (method === 'straight-line') return t.straightLineTitle;
  return t.provenanceTitle[method] || '';
}

/** The titles of provenance codes (how figures were made) in a language, joined. */
function provenanceText(codes, lang) {
  const t = strings(lang);
  return [...new Set(codes || [])].map((p) => t.provenanceTitle[p]).filter(Boolean).join('; ');
}

function populationCell(props, lang, withYear = false) {
  const t = strings(lang);
  const pop = num(props.population);
  if (pop === null) return [t.noData];
  const out = [`${fmt(pop, lang)} ${t.people}`];
  const year = num(props.population_year);
  if (withYear && year !== null) out.push(` (${year})`);
  if (isTrue(props.population_estimated)) out.push(' ', el('span', { class: 'estimate' }, `(${t.estimate})`));
  return out;
}

function areaRows(props, lang) {
  const t = strings(lang);
  const rows = [];
  const area = num(props.area_km2);
  if (area !== null) rows.push(row(t.area, `${fmt(area, lang, area < 100 ? 1 : 0)} ${t.km2}`));
  const d = num(props.density);
  if (d !== null) rows.push(row(t.density, `${fmtDensity(d, lang)} ${t.perKm2}`));
  return rows;
}

function groupRow(cat, props, lang) {
  const name = localized(props, 'group_name', lang);
  if (!name) return null;
  const group = cat.groups.find((g) => g.code === props.group_code);
  return row(levelTitle(cat, group && group.kind === 'agglomeration' ? 'agglomeration' : 'macroregion', lang), name);
}

/** The row of the mapped indicator in an area popup, when the popup's level is on the map. */
function indicatorRow(cat, state, kind, props, id) {
  const { choro, indicator, lang } = state;
  if (!choro || choro.indicator !== indicator || levelOf(cat, choro.level).source !== kind) return null;
  const info = indicatorInfo(cat, indicator);
  let v = choro.values && id !== undefined && id !== null ? choro.values.get(id) : undefined;
  if (v === undefined) v = num(props[indicator]);
  if (v === undefined || v === null) return null;
  const cell = [fmtValue(v, info && info.unit, lang)];
  if (choro.wholeCity && choro.wholeCity.has(id)) {
    const t = strings(lang);
    cell.push(' ', el('span', { class: 'badge badge-city', title: t.provenanceTitle.city }, t.provenance.city));
  }
  return el('tr', { class: 'popup-indicator', 'data-indicator': indicator },
    el('th', { scope: 'row', title: indicatorDescription(info, lang) || undefined }, indicatorTitle(info, lang)), el('td', {}, ...cell));
}

/** The popup's note on the mapped indicator: its catalogue description and how it was made. */
function indicatorAbout(cat, state) {
  const { choro, indicator, lang } = state;
  const info = indicatorInfo(cat, indicator);
  if (!info) return null;
  const current = choro && choro.indicator === indicator ? choro : null;
  return {
    key: indicator,
    title: indicatorTitle(info, lang),
    text: indicatorDescription(info, lang),
    source: provenanceText((current && current.provenance) || info.provenance, lang),
  };
}

/** The catalogue's description of a per-settlement indicator (a text or, from older servers, a string). */
function settlementDescription(cat, name) {
  const s = cat.settlementIndicators.find((x) => x.name === name);
  return s ? s.description : '';
}

function straightLineBadge(lang) {
  const t = strings(lang);
  return el('span', { class: 'badge badge-straight-line', title: t.straightLineTitle }, t.straightLine);
}

/** An estimated time, and how the server made it (distance, detour factor, speed) in the language. */
function estimatedBadge(estimate, lang) {
  const t = strings(lang);
  const how = estimate && estimate.how ? (estimate.how[lang] || estimate.how.en) : '';
  return [el('span', { class: 'badge badge-estimated', title: how || t.estimatedTitle }, t.estimated),
    how ? el('div', { class: 'popup-estimate' }, how) : ''];
}

/** ✓ / ✗ / n/a of one standards check (null: not applicable, or not checkable yet). */
function srsCell(v, lang) {
  const t = strings(lang);
  if (v === null || v === undefined) return el('span', { class: 'srs srs-na', 'data-srs': 'na' }, t.na);
  return v
    ? el('span', { class: 'srs srs-ok', 'data-srs': 'ok', title: t.yes }, '✓')
    : el('span', { class: 'srs srs-fail', 'data-srs': 'fail', title: t.no }, '✗');
}

/** The label of a standards check; the school check names the server's distance threshold. */
function srsLabel(cat, key, lang) {
  const label = strings(lang).srs[key];
  return typeof label === 'function' ? label(fmt(cat.thresholds.school_km, lang, 1)) : label;
}

/**
 * The settlement's district centre and how it was found (report.district_centre): a centre
 * derived by rule says it is a guess. null when the report names none.
 */
function centreLine(centre, lang) {
  if (!centre || !centre.source) return null;
  const t = strings(lang);
  const how = t.centreSource[centre.source];
  const parts = [el('strong', {}, `${t.districtCentre}:`), ' ', localized(centre, 'name', lang) || '—'];
  if (how) parts.push(' ', el('span', { class: `badge badge-centre badge-centre-${centre.source}`, title: how.title }, how.label));
  return el('p', { class: 'popup-centre', 'data-centre-source': centre.source }, ...parts);
}

/** The accessibility part of a settlement popup, in one of its states. */
function renderAccess(cat, lang, { state: st, report }) {
  const t = strings(lang);
  const box = el('section', { class: 'popup-access', 'data-state': st });
  box.append(el('h4', {}, t.accessTitle));
  if (st === 'loading') {
    box.append(el('p', { class: 'popup-note' }, t.accessLoading));
    return box;
  }
  if (st === 'unavailable') {
    box.append(el('p', { class: 'popup-note' }, t.notComputedYet));
    return box;
  }
  if (st !== 'ready' || !report) {
    box.append(el('p', { class: 'popup-note' }, t.accessError));
    return box;
  }

  const table = el('table', { class: 'access-figures' });
  const missing = [];
  const about = [];
  for (const f of report.indicators || []) {
    const v = num(f.value);
    if (v === null) {
      missing.push(f);
      continue;
    }
    const cell = [fmtFigure(v, f.unit, lang)];
    if (f.method === 'straight-line') cell.push(' ', straightLineBadge(lang));
    if (f.method === 'estimated') cell.push(' ', ...estimatedBadge(f.estimate, lang));
    if (f.assumed) {
      const why = f.assumed[lang] || f.assumed.en || '';
      cell.push(' ', el('span', { class: 'badge badge-assumed', title: why }, strings(lang).assumed));
    }
    const title = settlementTitle(cat, f.indicator, lang);
    const text = describe(settlementDescription(cat, f.indicator), lang);
    table.append(el('tr', { 'data-indicator': f.indicator },
      el('th', { scope: 'row', title: text || undefined }, title), el('td', {}, ...cell)));
    about.push({ key: f.indicator, title, text, source: methodText(f.method, lang) });
  }
  if (table.childElementCount) box.append(table);
  const centre = centreLine(report.district_centre, lang);
  if (centre) box.append(centre);

  const srs = report.srs || {};
  box.append(el('h4', {}, t.srsTitle));
  const srsTable = el('table', { class: 'access-srs' });
  for (const key of ['health_ok', 'school_ok', 'road_ok']) {
    srsTable.append(el('tr', { 'data-srs-check': key },
      el('th', { scope: 'row' }, srsLabel(cat, key, lang)), el('td', {}, srsCell(srs[key], lang))));
  }
  const score = num(srs.score);
  srsTable.append(el('tr', { 'data-srs-check': 'score' }, el('th', { scope: 'row' }, t.srs.score),
    el('td', {}, score === null ? srsCell(null, lang) : fmtFigure(score, 'share', lang))));
  box.append(srsTable);

  // Values the loaded data cannot give: one note naming them and one sentence on the data
  // that would add them (no command: that is the operator's, in the README), rather than a
  // column of dashes.
  if (missing.length) {
    // A travel time missing with its distance adds nothing to the list: name the distance.
    const names = new Set(missing.map((f) => f.indicator));
    const listed = [...names].filter((n) => !(n.endsWith('_min') && names.has(n.replace(/_min$/, '_km'))));
    box.append(el('p', { class: 'popup-needs' },
      el('strong', {}, `${t.needsOsmList}:`), ' ', listed.map((n) => settlementTitle(cat, n, lang)).join(', ')));
    box.append(el('p', { class: 'popup-needs popup-missing' }, missingDataSentence(lang, ...missing.map((f) => f.needs))));
  }
  const details = aboutFigures(about, lang);
  if (details) box.append(details);
  return box;
}

/** The content of a popup: { kind (tile layer), props, id, access } in the state's language. */
function renderContent(cat, state, { kind, props, access, id }) {
  const { lang } = state;
  const t = strings(lang);
  const name = localized(props, 'name', lang) || '—';
  const box = el('div', { class: `popup popup-${kind}`, lang });
  box.append(el('h3', { class: 'popup-name' }, name));
  const table = el('table');
  const about = [];

  if (kind === 'settlements') {
    if (props.place) table.append(row(t.placeType, t.place[props.place] || props.place));
    table.append(row(t.population, ...populationCell(props, lang)));
    const district = localized(props, 'district_name', lang);
    if (district) table.append(row(levelTitle(cat, 'district', lang), district));
    const oblast = localized(props, 'oblast_name', lang);
    if (oblast) table.append(row(levelTitle(cat, 'oblast', lang), oblast));
  } else {
    if (kind === 'districts') {
      const oblast = localized(props, 'oblast_name', lang);
      if (oblast) box.append(el('p', { class: 'popup-parent' }, `${levelTitle(cat, 'oblast', lang)}: ${oblast}`));
    }
    const ind = indicatorRow(cat, state, kind, props, id);
    if (ind) table.append(ind);
    table.append(row(t.population, ...populationCell(props, lang, kind === 'oblasts')));
    for (const r of areaRows(props, lang)) table.append(r);
    if (ind) about.push(indicatorAbout(cat, state));
    if (num(props.population) !== null) {
      about.push({
        key: 'population',
        title: t.population,
        source: isTrue(props.population_estimated) ? t.estimateNote : t.provenanceTitle.statistics,
      });
    }
    const g = groupRow(cat, props, lang);
    if (g) table.append(g);
    if (kind === 'oblasts') {
      const schools = num(props.schools);
      if (schools !== null) table.append(row(t.schools, fmt(schools, lang)));
      const medical = num(props.medical);
      if (medical !== null) table.append(row(t.medical, fmt(medical, lang)));
    }
  }
  box.append(table);
  // The printable page of a district or an oblast (issue 10.5): indicators, ranks, standards, map.
  if ((kind === 'districts' || kind === 'oblasts') && props.code) {
    const level = kind === 'districts' ? 'district' : 'oblast';
    box.append(el('p', { class: 'popup-report' }, el('a', {
      href: `report/${level}/${encodeURIComponent(props.code)}?lang=${lang}`, target: '_blank', rel: 'noopener',
    }, t.reportLink)));
  }
  const details = aboutFigures(about.filter(Boolean), lang);
  if (details) box.append(details);
  if (kind === 'settlements' && access) box.append(renderAccess(cat, lang, access));
  return box;
}

/** The popup of a map: show(lngLat, kind, feature), refresh() and close(). */
export function createPopup(map, cat, store) {
  let popup = null;
  let shown = null; // { kind, props, id, access: { state, report } }
  let accessRequest = null; // AbortController of the access request in flight

  const refresh = () => {
    if (popup && shown && popup.isOpen()) popup.setDOMContent(renderContent(cat, store.get(), shown));
  };

  async function loadAccess(target) {
    if (accessRequest) accessRequest.abort();
    const ctrl = new AbortController();
    accessRequest = ctrl;
    let next;
    try {
      const res = await getJSON(`api/settlements/${encodeURIComponent(target.id)}/access`, { signal: ctrl.signal });
      if (res.ok) next = { state: 'ready', report: res.body };
      // 404: no run yet, or not in it; 503: the server has no accessibility data.
      else if (res.status === 404 || res.status === 503) next = { state: 'unavailable' };
      else next = { state: 'error' };
    } catch (err) {
      if (ctrl.signal.aborted) return;
      console.warn(`aimaq map: settlement ${target.id} access: ${err}`);
      next = { state: 'error' };
    }
    if (accessRequest === ctrl) accessRequest = null;
    // The popup may have moved on while this was loading.
    if (shown !== target) return;
    target.access = next;
    refresh();
  }

  return {
    show(lngLat, kind, feature) {
      const { id } = feature;
      shown = { kind, props: feature.properties || {}, id, access: null };
      if (kind === 'settlements' && id !== undefined && id !== null) {
        shown.access = { state: 'loading' };
      } else if (accessRequest) {
        accessRequest.abort();
        accessRequest = null;
      }
      if (!popup) {
        // closeOnClick off: the map's click handler moves this popup to the clicked feature
        // (or removes it); MapLibre's own close-on-click would undo that right after.
        // No wider than the screen on a phone; its height is capped in app.css (scrolling).
        popup = new maplibregl.Popup({ closeButton: true, closeOnClick: false, maxWidth: 'min(340px, calc(100vw - 24px))' });
        popup.on('close', () => { shown = null; });
      }
      popup.setLngLat(lngLat).setDOMContent(renderContent(cat, store.get(), shown));
      if (!popup.isOpen()) popup.addTo(map);
      if (shown.access) loadAccess(shown);
    },
    refresh,
    isOpen: () => Boolean(popup && popup.isOpen()),
    close() {
      if (popup) popup.remove();
    },
  };
}

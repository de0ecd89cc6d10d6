// The legend: the mapped indicator (title, unit, direction, provenance, classes with their
// counts), the macroregion / agglomeration outlines, and the settlement circles (the colour
// control, its ramp and the note that says why nothing is coloured).

import {
  groupName, groupsInOrder, indicatorDescription, indicatorInfo, indicatorTitle, needsMoreData, settlementTitle,
} from './catalogue.js';
import { NO_DATA_COLOR, GROUP_FALLBACK_COLOR, serverNotes } from './classes.js';
import { el, num } from './dom.js';
import { classLabels, fmt, rampLabels, unitLabel } from './format.js';
import { strings } from './i18n.js';
import { missingDataSentence } from './needs.js';
import { runDate } from './runs.js';

const byId = (id) => document.getElementById(id);

/** Title, unit, direction and provenance of the indicator: shown while its classes load. */
export function renderLegendHead(cat, state) {
  const { lang, choro } = state;
  const t = strings(lang);
  const info = indicatorInfo(cat, state.indicator);
  const unit = info ? unitLabel(info.unit, lang) : '';
  const title = document.querySelector('#legend .legend-title');
  title.textContent = unit ? `${indicatorTitle(info, lang)}, ${unit}` : indicatorTitle(info, lang);
  title.title = indicatorDescription(info, lang);
  title.dataset.indicator = state.indicator;

  const meta = byId('legend-meta');
  meta.replaceChildren();
  if (state.substituted) {
    const askedInfo = indicatorInfo(cat, state.substituted.asked);
    const asked = askedInfo ? indicatorTitle(askedInfo, lang) : state.substituted.asked;
    meta.append(el('p', { class: 'legend-note legend-substituted', role: 'status' }, t.substituted(asked)));
  }
  const current = choro && choro.indicator === state.indicator ? choro : null;
  const direction = (current && current.direction) || (info && info.direction) || '';
  if (t.direction[direction]) {
    const arrow = direction === 'lower-better' ? '↓ ' : direction === 'higher-better' ? '↑ ' : '';
    meta.append(el('span', { class: 'direction-note', 'data-direction': direction }, `${arrow}${t.direction[direction]}`));
  }
  // How the values were obtained: from the classification's own answer when it says, else
  // from the catalogue; "synthetic" whenever the server says some loaded data is.
  const provenance = [...new Set([...(((current && current.provenance) || (info && info.provenance)) || []),
    ...(cat.synthetic ? ['synthetic'] : [])])];
  for (const p of provenance) {
    meta.append(el('span', {
      class: `badge badge-provenance badge-${p}`, 'data-provenance': p, title: t.provenanceTitle[p] || p,
    }, t.provenance[p] || p));
  }
  byId('estimate-note').hidden = !(provenance.includes('estimated') && state.indicator === 'population_density');
}

/** The whole legend of the choropleth: head, class rows with counts, notes, groups. */
export function renderLegend(cat, state) {
  renderLegendHead(cat, state);
  const { lang, choro } = state;
  const t = strings(lang);
  const info = indicatorInfo(cat, state.indicator);
  const rows = byId('legend-rows');
  const note = byId('legend-status');
  rows.replaceChildren();
  note.hidden = true;
  const box = byId('legend');
  box.dataset.indicator = choro ? choro.indicator : '';
  box.dataset.state = choro ? choro.status : 'loading';

  if (choro && choro.indicator === state.indicator) {
    if (choro.status === 'ready') {
      const unit = info && info.unit;
      if (choro.counts) {
        rows.append(el('div', { class: 'legend-head' },
          el('span', { class: 'legend-head-range' }, unitLabel(unit, lang)),
          el('span', { class: 'legend-count' }, t.countHeader[choro.level] || '')));
      }
      classLabels(choro.bounds, unit, lang).forEach((label, i) => {
        const count = choro.counts ? choro.counts[i] : null;
        rows.append(el('div', {
          class: 'legend-row', 'data-class': String(i), 'data-from': String(choro.bounds[i]),
          'data-to': String(choro.bounds[i + 1]), 'data-count': count === null ? undefined : String(count),
        },
        el('span', { class: 'swatch', style: `background:${choro.colors[i]}` }),
        el('span', { class: 'legend-label' }, label),
        count === null ? null : el('span', { class: 'legend-count' }, fmt(count, lang))));
      });
      rows.append(el('div', { class: 'legend-item legend-nodata' },
        el('span', { class: 'swatch swatch-nodata' }),
        el('span', { class: 'legend-label' }, t.noData),
        choro.missing ? el('span', { class: 'legend-count' }, fmt(choro.missing, lang)) : null));
      if (choro.stale) rows.append(el('p', { class: 'legend-note legend-stale', role: 'status' }, t.staleData(choro.runId)));
      // A map of change (issue 10.6) says since which run, above its classes.
      if (choro.compare) rows.prepend(el('p', { class: 'legend-note legend-compare', 'data-compare': String(choro.compare.runId) }, t.changeSince(choro.compare.runId, runDate(choro.compare.finishedAt, lang))));
      for (const n of serverNotes(choro, cat, lang)) rows.append(el('p', { class: 'legend-note legend-server-note' }, n));
      if ((choro.method || state.method) === 'headtail') {
        note.textContent = t.headtailNote;
        note.hidden = false;
      }
    } else {
      note.textContent = choro.status === 'novalues' ? t.choroplethNoValues : `${t.choroplethError} (${choro.message || ''})`;
      note.hidden = false;
    }
  }
  renderGroupLegend(cat, lang);
}

/** One legend entry per macroregion / agglomeration of the catalogue, in its outline colour. */
function renderGroupLegend(cat, lang) {
  const box = byId('legend-groups');
  if (!cat.groups.length) {
    box.replaceChildren(el('div', { class: 'legend-item' },
      el('span', { class: 'line-sample', style: `color:${GROUP_FALLBACK_COLOR}` }),
      el('span', {}, strings(lang).groupBoundary)));
    return;
  }
  box.replaceChildren(...groupsInOrder(cat, lang).map((g) => el('div', { class: 'legend-item', 'data-group': g.code },
    el('span', { class: 'line-sample', style: `color:${g.color}` }),
    el('span', {}, groupName(g, lang)))));
}

function colorIndicator(cat, state) {
  return cat.colorIndicators.find((c) => c.name === state.color) || null;
}

/** The "settlements coloured by" select's options, labelled in the current language. */
export function renderColorControl(cat, state) {
  const { lang } = state;
  const select = byId('settlement-color');
  select.replaceChildren(el('option', { value: 'none' }, strings(lang).colorNone),
    ...cat.colorIndicators.map((c) => el('option', { value: c.name },
      `${settlementTitle(cat, c.name, lang)}, ${unitLabel(c.unit, lang)}`)));
  select.value = state.color;
}

/** Legend rows of the settlement colour ramp (or the population-type dots without one). */
export function renderColorLegend(cat, state) {
  const box = byId('settlement-color-legend');
  const c = colorIndicator(cat, state);
  box.replaceChildren();
  box.hidden = !c;
  // The red-dot entries describe the uncoloured circles only.
  byId('settlement-default-legend').hidden = Boolean(c);
  if (!c) return;
  rampLabels(c.breaks, c.unit, state.lang).forEach((label, i) => {
    box.append(el('div', { class: 'legend-item ramp-row', 'data-class': String(i) },
      el('span', { class: 'dot dot-ramp', style: `background:${c.colors[i]}` }),
      el('span', { class: 'legend-label' }, label)));
  });
  box.append(el('div', { class: 'legend-item ramp-row' },
    el('span', { class: 'dot dot-ramp', style: `background:${NO_DATA_COLOR}` }),
    el('span', { class: 'legend-label' }, strings(state.lang).colorNoData)));
}

/**
 * Why the settlements in view show no colour: '' (they do, or no colour is chosen),
 * 'zoom-in' (none drawn), 'no-values' (the indicator needs data not loaded) or
 * 'not-computed' (no compute run). features: the settlements drawn, null if unknown.
 */
export function colorNoteKind(cat, color, features) {
  const c = cat.colorIndicators.find((x) => x.name === color);
  if (!c || !features) return '';
  if (features.length === 0) return 'zoom-in';
  if (features.some((f) => num((f.properties || {})[c.name]) !== null)) return '';
  return needsMoreData(cat, c.name) ? 'no-values' : 'not-computed';
}

/** The note under the ramp, of a kind from colorNoteKind. */
export function renderColorNote(cat, state, kind) {
  const t = strings(state.lang);
  const note = byId('settlement-color-note');
  note.dataset.state = kind;
  note.hidden = kind === '';
  if (kind === 'zoom-in') note.replaceChildren(t.colorZoomIn);
  else if (kind === 'not-computed') note.replaceChildren(t.colorNotComputedYet);
  else if (kind === 'no-values') {
    // What data would add the values, in words: the load command is the operator's (README).
    const c = cat.colorIndicators.find((x) => x.name === state.color);
    note.replaceChildren(t.colorNoValues, ' ', missingDataSentence(state.lang, c && c.needs));
  }
}

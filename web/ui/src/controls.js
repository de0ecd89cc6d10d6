// The panel's controls: language, indicator, level, classification method, number of classes,
// manual breaks and the settlement colour. They show the store's state and change it; the
// choices they offer come from the server's catalogue.

import {
  INDICATOR_GROUP_ORDER, indicatorDescription, indicatorGroup, indicatorInfo, indicatorLevels,
  indicatorTitle, isAvailable, levelOf, levelTitle,
} from './catalogue.js';
import { suggestedBreaks } from './classes.js';
import { el } from './dom.js';
import { unitLabel } from './format.js';
import { strings } from './i18n.js';
import { missingDataSentence } from './needs.js';
import { parseBreaks } from './state.js';
import { compareChoices, fetchRuns } from './runs.js';

const byId = (id) => document.getElementById(id);

/** The page's fixed texts (data-i18n), title and language buttons in a language. */
export function applyChrome(lang) {
  const t = strings(lang);
  document.documentElement.lang = lang;
  document.title = t.title;
  for (const node of document.querySelectorAll('[data-i18n]')) {
    const value = t[node.dataset.i18n];
    if (typeof value === 'string') node.textContent = value;
  }
  // Names of landmarks and groups that show no text of their own (screen readers read them).
  for (const node of document.querySelectorAll('[data-i18n-label]')) {
    const value = t[node.dataset.i18nLabel];
    if (typeof value === 'string') node.setAttribute('aria-label', value);
  }
  for (const b of document.querySelectorAll('#lang button')) {
    b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
  }
}

/** The status line: the sources whose data could not be loaded. */
export function renderStatus(lang, failedSources) {
  const box = byId('status');
  box.hidden = failedSources.length === 0;
  box.textContent = box.hidden ? '' : `${strings(lang).dataUnavailable} ${failedSources.join(', ')}`;
}

/** The indicator picker: the catalogue's indicators in sections, unavailable ones disabled. */
function renderIndicatorSelect(cat, { lang, indicator }) {
  const t = strings(lang);
  const groups = new Map();
  for (const info of cat.indicators) {
    const g = indicatorGroup(info.name);
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g).push(info);
  }
  const select = byId('indicator');
  select.replaceChildren();
  for (const g of INDICATOR_GROUP_ORDER) {
    const list = groups.get(g);
    if (!list) continue;
    const og = el('optgroup', { label: t.indicatorGroups[g] });
    for (const info of list) {
      const available = isAvailable(info);
      const unit = unitLabel(info.unit, lang);
      const label = `${indicatorTitle(info, lang)}${unit ? `, ${unit}` : ''}${available ? '' : ` — ${t.unavailable}`}`;
      og.append(el('option', {
        value: info.name,
        disabled: !available,
        // Why it cannot be chosen, for a planner: the server's `needs` names a command.
        title: available ? indicatorDescription(info, lang) || undefined : `${t.needsOsm}. ${missingDataSentence(lang, info.needs)}`,
        'data-available': String(available),
      }, label));
    }
    select.append(og);
  }
  select.value = indicator;
}

/** One radio per level the map can fill, titled by the server; those the indicator lacks disabled. */
function renderLevels(cat, { lang, level, indicator }) {
  const box = byId('level');
  if (!box.querySelector('input')) {
    for (const l of cat.levels) {
      box.append(el('label', {}, el('input', { type: 'radio', name: 'level', value: l.name }), ' ', el('span')));
    }
  }
  const levels = indicatorLevels(cat, indicatorInfo(cat, indicator));
  for (const input of box.querySelectorAll('input')) {
    const label = input.closest('label');
    label.querySelector('span').textContent = levelTitle(cat, levelOf(cat, input.value).api, lang);
    input.checked = input.value === level;
    input.disabled = !levels.includes(input.value);
    label.classList.toggle('disabled', input.disabled);
  }
}

/** All choropleth controls, showing the state. */
export function renderControls(cat, state) {
  const t = strings(state.lang);
  renderIndicatorSelect(cat, state);
  renderLevels(cat, state);

  const method = byId('method');
  method.replaceChildren(...cat.methods.map((m) => el('option', { value: m }, t.methods[m] || m)));
  method.value = state.method;

  const manual = state.method === 'manual';
  const classes = byId('classes');
  if (!classes.options.length) {
    for (let k = cat.minClasses; k <= cat.maxClasses; k++) classes.append(el('option', { value: String(k) }, String(k)));
  }
  classes.value = String(state.classes);
  classes.disabled = manual;

  byId('breaks-control').hidden = !manual;
  const breaks = byId('breaks');
  if (manual && document.activeElement !== breaks) breaks.value = state.breaks.join(', ');
}

/** Show the manual breaks form empty, for the user's breaks (there are none to start from). */
function askForBreaks() {
  byId('breaks-control').hidden = false;
  byId('classes').disabled = true;
  const input = byId('breaks');
  input.value = '';
  input.focus();
}

/** Let the controls change the store. */
export function bindControls(store) {
  for (const b of document.querySelectorAll('#lang button')) {
    b.addEventListener('click', () => store.set({ lang: b.dataset.lang }));
  }
  byId('level').addEventListener('change', (e) => {
    if (e.target.name === 'level' && e.target.checked) store.set({ level: e.target.value });
  });
  byId('indicator').addEventListener('change', (e) => store.set({ indicator: e.target.value }));
  byId('method').addEventListener('change', (e) => {
    const method = e.target.value;
    const s = store.get();
    if (method === 'manual' && !s.breaks.length) {
      const breaks = suggestedBreaks(s.choro);
      if (!breaks.length) {
        askForBreaks();
        return;
      }
      store.set({ method, breaks });
      return;
    }
    store.set({ method });
  });
  byId('classes').addEventListener('change', (e) => store.set({ classes: Number(e.target.value) }));
  byId('breaks-control').addEventListener('submit', (e) => {
    e.preventDefault();
    const input = byId('breaks');
    const breaks = parseBreaks(input.value);
    byId('breaks-error').hidden = Boolean(breaks);
    input.setAttribute('aria-invalid', String(!breaks));
    if (breaks) store.set({ breaks, method: 'manual' });
  });
  byId('settlement-color').addEventListener('change', (e) => store.set({ color: e.target.value }));
  bindCompareSelect(store);
}

/**
 * The "compare with computation …" select (issue 10.6), put after the class controls and fed
 * from api/runs: choosing a run makes the map show the change since it (state.compare). It
 * stays hidden while fewer than two finished runs are kept; a run the server no longer keeps
 * is dropped from the state.
 */
function bindCompareSelect(store) {
  const select = el('select', { id: 'compare' });
  const label = el('label', { for: 'compare', 'data-i18n': 'compareWith' });
  const box = el('div', { id: 'compare-control', class: 'select-control', hidden: true }, label, select);
  byId('breaks-control').after(box);
  let body = null;
  const render = (s) => {
    const t = strings(s.lang);
    label.textContent = t.compareWith;
    const choices = compareChoices(body, s.lang);
    box.hidden = choices.length < 2;
    select.replaceChildren(el('option', { value: '' }, t.compareNone),
      ...choices.map((c) => el('option', { value: String(c.id) }, t.compareRun(c.id, c.date))));
    select.value = s.compare ? String(s.compare) : '';
  };
  select.addEventListener('change', () => store.set({ compare: Number(select.value) || 0 }));
  store.subscribe((s, changed) => {
    if (changed.has('lang') || changed.has('compare')) render(s);
  });
  render(store.get());
  fetchRuns().then((b) => {
    body = b;
    const s = store.get();
    if (body && s.compare && !compareChoices(body, s.lang).some((c) => c.id === s.compare)) store.set({ compare: 0 });
    render(store.get());
  });
}

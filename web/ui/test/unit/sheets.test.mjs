// The bottom sheets of narrow screens (src/sheets.js): one open at a time, toggles that say
// their state to screen readers, close() giving the focus back.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { createSheets, toggledSheet } from '../../src/sheets.js';

test('toggledSheet: a toggle opens its sheet and closes the other; pressed again it closes it', () => {
  const cases = [
    ['none open, open the controls', null, 'panel', 'panel'],
    ['controls open, press it again', 'panel', 'panel', null],
    ['controls open, open the disparities', 'panel', 'disparity', 'disparity'],
    ['disparities open, open the controls', 'disparity', 'panel', 'panel'],
  ];
  for (const [name, open, id, want] of cases) assert.equal(toggledSheet(open, id), want, name);
});

/** A document with the two toggles, enough of the DOM for createSheets. */
function fakeDocument() {
  const focused = [];
  const button = (id, controls) => {
    const attrs = { 'aria-controls': controls };
    const listeners = [];
    return {
      id,
      getAttribute: (k) => attrs[k] ?? null,
      setAttribute: (k, v) => { attrs[k] = String(v); },
      addEventListener: (type, fn) => { if (type === 'click') listeners.push(fn); },
      click: () => listeners.forEach((fn) => fn()),
      focus: () => focused.push(id),
    };
  };
  const toggles = [button('panel-toggle', 'panel'), button('disparity-toggle', 'disparity')];
  return {
    body: { dataset: {} },
    querySelectorAll: (sel) => (sel === '[data-sheet-toggle]' ? toggles : []),
    toggles,
    focused,
  };
}

test('createSheets: at most one sheet open, aria-expanded follows, close() focuses the toggle', () => {
  const doc = fakeDocument();
  const [panel, disparity] = doc.toggles;
  const sheets = createSheets(doc);
  const expanded = () => doc.toggles.map((b) => b.getAttribute('aria-expanded')).join();
  assert.equal(doc.body.dataset.sheet, '');
  assert.equal(expanded(), 'false,false');

  panel.click();
  assert.equal(sheets.open(), 'panel');
  assert.equal(doc.body.dataset.sheet, 'panel');
  assert.equal(expanded(), 'true,false');

  disparity.click();
  assert.equal(doc.body.dataset.sheet, 'disparity', 'one sheet at a time');
  assert.equal(expanded(), 'false,true');

  assert.equal(sheets.close(), true);
  assert.equal(doc.body.dataset.sheet, '');
  assert.equal(expanded(), 'false,false');
  assert.deepEqual(doc.focused, ['disparity-toggle']);
  assert.equal(sheets.close(), false, 'nothing left to close');

  panel.click();
  panel.click();
  assert.equal(sheets.open(), null, 'the open sheet’s toggle closes it');
});

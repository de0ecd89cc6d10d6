// The controls panel and the disparity panel as bottom sheets on narrow screens (issue 10,
// point 1): each has a toggle button (aria-expanded, aria-controls), and at most one is open,
// so the map keeps most of the screen. On wider screens app.css shows both panels as before
// and hides the toggles; the open sheet is then ignored.

/** The screens the sheets are for (app.css has the same width). */
export const NARROW_QUERY = '(max-width: 700px)';

/**
 * The sheet open after its toggle is pressed: the open sheet's toggle closes it, another
 * toggle opens its sheet and so closes the one that was open. null: none open.
 */
export function toggledSheet(open, id) {
  return open === id ? null : id;
}

/**
 * Bind the toggles ([data-sheet-toggle] buttons, aria-controls = the sheet's id) of a
 * document. body[data-sheet] names the open sheet for the CSS. Returns { open(), close() };
 * close() closes the open sheet, gives the focus back to its toggle and says whether one was open.
 */
export function createSheets(doc = document) {
  const toggles = [...doc.querySelectorAll('[data-sheet-toggle]')];
  let open = null;
  const render = () => {
    doc.body.dataset.sheet = open || '';
    for (const b of toggles) b.setAttribute('aria-expanded', String(b.getAttribute('aria-controls') === open));
  };
  for (const b of toggles) {
    b.addEventListener('click', () => {
      open = toggledSheet(open, b.getAttribute('aria-controls'));
      render();
    });
  }
  render();
  return {
    open: () => open,
    close() {
      if (!open) return false;
      const toggle = toggles.find((b) => b.getAttribute('aria-controls') === open);
      open = null;
      render();
      if (toggle) toggle.focus();
      return true;
    },
  };
}

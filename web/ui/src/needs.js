// What a planner is told about a figure the loaded data cannot give (issue 10, point 4):
// which data would add it, in the page's language, and where the operator reads how to load
// it. The server's own hints (needs, load_hint) name shell commands: they stay in the API,
// the map never shows them. Pure: no DOM, no MapLibre.

import { strings, textIn } from './i18n.js';

/** The kinds of data the server says a figure needs, in the order the sentence names them. */
export const DATA_KINDS = ['facilities', 'roads'];

/**
 * The known data kinds among the server's `needs` values, each an array of kinds
 * (settlement indicators), a space-separated string (the access report) or a sentence
 * naming them (area indicators); unknown words are dropped.
 */
export function neededKinds(...needs) {
  const words = new Set();
  for (const n of needs) {
    if (Array.isArray(n)) n.forEach((w) => words.add(String(w)));
    else if (typeof n === 'string') n.split(/[^a-z_]+/i).forEach((w) => words.add(w));
  }
  return DATA_KINDS.filter((k) => words.has(k));
}

/**
 * One sentence saying which data would add the missing figures, with the README section for
 * the operator. Needs naming no known kind ask for the whole extract.
 */
export function missingDataSentence(lang, ...needs) {
  const t = strings(lang);
  const kinds = neededKinds(...needs);
  return t.missingData((kinds.length ? kinds : DATA_KINDS).map((k) => t.neededData[k]).join(', '));
}

/**
 * A description from the server in a language: a { kk, ru, en } text in the language (or
 * its fallback); a bare string is English, shown only on the English page rather than leak
 * into the Kazakh or Russian one. '' when there is none.
 */
export function describe(text, lang) {
  if (typeof text === 'string') return lang === 'en' ? text : '';
  return textIn(text, lang);
}

// Numbers, units and ranges as the page shows them, in the UI language. Pure functions.

import { DEFAULT_LANG, LOCALES, strings } from './i18n.js';

/** A number in the language's locale with at most `maxFraction` fraction digits. */
export function fmt(n, lang, maxFraction = 0) {
  return new Intl.NumberFormat(LOCALES[lang] || LOCALES[DEFAULT_LANG], {
    maximumFractionDigits: maxFraction,
    minimumFractionDigits: 0,
  }).format(n);
}

/** Density with precision that suits its size: 0.37, 4.2, 58, 2 410. */
export function fmtDensity(d, lang) {
  return fmt(d, lang, d < 10 ? 2 : d < 100 ? 1 : 0);
}

/** Fraction digits that suit a value's size: 0.372, 4.21, 58.3, 2 410. */
export function autoDigits(v) {
  const a = Math.abs(v);
  if (a === 0 || a >= 100) return 0;
  if (a >= 10) return 1;
  if (a >= 1) return 2;
  return 3;
}

/** Digits that suit an inequality index: 0.0123, 0.412, 3.7, 24 282. */
export function fmtIndex(v, lang) {
  const a = Math.abs(v);
  return fmt(v, lang, a === 0 ? 0 : a < 0.1 ? 4 : a < 10 ? 3 : a < 100 ? 1 : 0);
}

/** A share (0..1) is shown in per cent. */
export function isShareUnit(unit) {
  return /^(share|fraction|proportion)$/i.test(String(unit || '').trim());
}

/** The unit as shown, in the UI language where it is a known one. */
export function unitLabel(unit, lang) {
  const t = strings(lang);
  const u = String(unit || '').trim();
  if (!u) return '';
  if (isShareUnit(u) || /^(%|percent|pct)$/i.test(u)) return '%';
  if (/km(2|²)/i.test(u) && /(people|persons|inhabitants|per|\/)/i.test(u)) return t.perKm2;
  if (/^km$/i.test(u)) return t.units.km;
  if (/^min(utes?)?$/i.test(u)) return t.units.min;
  if (/^(per[ _]?10[ ,.]?000( people| inhabitants)?|per[ _]?10k)$/i.test(u)) return t.per10k;
  if (/^(per[ _]?1[ ,.]?000( people| inhabitants)?|per[ _]?1k)$/i.test(u)) return t.per1k;
  return u.replace(/km2/g, 'km²');
}

/** A value of an area indicator with its unit ("no data" when there is none). */
export function fmtValue(v, unit, lang, digits = null) {
  if (v === null || v === undefined || !Number.isFinite(v)) return strings(lang).noData;
  if (isShareUnit(unit)) return `${fmt(v * 100, lang, digits ?? (Math.abs(v) < 0.1 ? 1 : 0))} %`;
  const label = unitLabel(unit, lang);
  const s = fmt(v, lang, digits ?? autoDigits(v));
  return label === '%' ? `${s} %` : label ? `${s} ${label}` : s;
}

/** A settlement's figure with its unit: 12 km, 1.4 km, 35 min, 67 %, ✓. */
export function fmtFigure(value, unit, lang) {
  const t = strings(lang);
  if (unit === 'share') return `${fmt(value * 100, lang)} %`;
  if (unit === 'bool') return value ? '✓' : '✗';
  return `${fmt(value, lang, value < 10 ? 1 : 0)} ${t.units[unit] || unit}`;
}

/** Class digits: the fewest that tell every pair of neighbouring breaks apart. */
export function boundDigits(bounds, share, lang) {
  const finite = bounds.filter(Number.isFinite).map((b) => (share ? b * 100 : b));
  const nonzero = finite.filter((b) => b !== 0).map(Math.abs);
  let d = nonzero.length && Math.min(...nonzero) < 1 ? 1 : 0;
  for (; d < 6; d++) {
    if (new Set(finite.map((b) => fmt(b, lang, d))).size === new Set(finite).size) break;
  }
  return d;
}

/**
 * Legend labels of classes given by their bounds (k classes, k+1 bounds): "1 – 5", and
 * "≥ 50" for an open top class; shares in per cent.
 */
export function classLabels(bounds, unit, lang) {
  const share = isShareUnit(unit);
  const digits = boundDigits(bounds, share, lang);
  const v = (b) => fmt(share ? b * 100 : b, lang, digits);
  const suffix = share ? ' %' : '';
  const out = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const lo = bounds[i];
    const hi = bounds[i + 1];
    out.push(Number.isFinite(hi) ? `${v(lo)} – ${v(hi)}${suffix}` : `≥ ${v(lo)}${suffix}`);
  }
  return out;
}

/**
 * Legend labels of a fixed colour ramp over breaks (breaks.length + 1 classes): "< 10 km",
 * "10 – 25 km", "≥ 200 km". A share's top class that starts at 100 % is just "100 %".
 */
export function rampLabels(breaks, unit, lang) {
  const share = isShareUnit(unit);
  const value = (v) => (share ? `${fmt(v * 100, lang)} %` : fmt(v, lang));
  const u = share ? '' : ` ${unitLabel(unit, lang)}`;
  const out = [];
  for (let i = 0; i <= breaks.length; i++) {
    const lo = i === 0 ? null : breaks[i - 1];
    const hi = i < breaks.length ? breaks[i] : null;
    if (lo === null) out.push(`< ${value(hi)}${u}`);
    else if (hi === null) out.push(share && value(lo) === value(1) ? value(1) : `≥ ${value(lo)}${u}`);
    else out.push(`${value(lo)} – ${value(hi)}${u}`);
  }
  return out;
}

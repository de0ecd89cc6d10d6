// Label points of the areas (oblasts, districts, macroregions and agglomerations).
//
// The area tiles are clipped per tile, so a symbol layer on the polygons themselves would put
// one label in every tile an area crosses (Karaganda oblast twice or three times at z5). Here
// the pieces of each area in the loaded tiles are gathered (querySourceFeatures) into one point
// per area, fed to a GeoJSON source that the label layers draw:
//   - an area that lies in one piece is labelled at its pole of inaccessibility (polylabel), the
//     point inside farthest from its edges, which keeps labels off the borders of concave areas;
//   - an area cut by tile edges at its centroid, when that falls inside it, else at the pole of
//     its largest piece.
// Once an area was seen whole (its pieces add up to its area_km2), its point is kept, so labels
// do not move when panning; areas only partly loaded are labelled from what is in view.

const EARTH_RADIUS_KM = 6371.0088;
const RAD = Math.PI / 180;

/** Area of a ring of [lng, lat] on the sphere, km² (unsigned; geojson-area's formula). */
export function ringAreaKm2(ring) {
  const n = ring.length;
  if (n < 3) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const lo = ring[(i + n - 1) % n];
    const mid = ring[i];
    const hi = ring[(i + 1) % n];
    sum += (hi[0] - lo[0]) * RAD * Math.sin(mid[1] * RAD);
  }
  return Math.abs(sum * EARTH_RADIUS_KM * EARTH_RADIUS_KM / 2);
}

function polygonAreaKm2(rings) {
  let a = ringAreaKm2(rings[0] || []);
  for (let i = 1; i < rings.length; i++) a -= ringAreaKm2(rings[i]);
  return Math.max(0, a);
}

// Web Mercator (radians), the plane the labels are seen in.
const project = ([lng, lat]) => [lng * RAD, Math.log(Math.tan(Math.PI / 4 + Math.max(-85, Math.min(85, lat)) * RAD / 2))];
const unproject = ([x, y]) => [x / RAD, (2 * Math.atan(Math.exp(y)) - Math.PI / 2) / RAD];

/** Signed distance from p to the polygon's outline: positive inside (rings in the plane). */
function signedDistance(p, rings) {
  let inside = false;
  let min = Infinity;
  for (const ring of rings) {
    for (let i = 0, n = ring.length, j = n - 1; i < n; j = i++) {
      const a = ring[i];
      const b = ring[j];
      if ((a[1] > p[1]) !== (b[1] > p[1]) && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
      min = Math.min(min, segmentDistanceSq(p, a, b));
    }
  }
  return (inside ? 1 : -1) * Math.sqrt(min);
}

function segmentDistanceSq(p, a, b) {
  let [x, y] = a;
  let dx = b[0] - x;
  let dy = b[1] - y;
  if (dx !== 0 || dy !== 0) {
    const t = ((p[0] - x) * dx + (p[1] - y) * dy) / (dx * dx + dy * dy);
    if (t > 1) [x, y] = b;
    else if (t > 0) { x += dx * t; y += dy * t; }
  }
  dx = p[0] - x;
  dy = p[1] - y;
  return dx * dx + dy * dy;
}

/** Centroid of a polygon's outer ring in the plane, or null when degenerate. */
function ringCentroid(ring) {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0, n = ring.length, j = n - 1; i < n; j = i++) {
    const f = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
    cx += (ring[j][0] + ring[i][0]) * f;
    cy += (ring[j][1] + ring[i][1]) * f;
    a += f * 3;
  }
  return a === 0 ? null : { x: cx / a, y: cy / a, w: Math.abs(a / 6) };
}

/**
 * Pole of inaccessibility of a polygon in the plane (Mapbox's polylabel: a quadtree search
 * over cells, best first), to `precision` plane units.
 */
function polylabel(rings, precision) {
  const outer = rings[0];
  let minX = Infinity; let minY = Infinity; let maxX = -Infinity; let maxY = -Infinity;
  for (const [x, y] of outer) {
    if (x < minX) minX = x;
    if (y < minY) minY = y;
    if (x > maxX) maxX = x;
    if (y > maxY) maxY = y;
  }
  const width = maxX - minX;
  const height = maxY - minY;
  const size = Math.min(width, height);
  if (size === 0) return [minX, minY];
  const cell = (x, y, h) => {
    const d = signedDistance([x, y], rings);
    return { x, y, h, d, max: d + h * Math.SQRT2 };
  };
  const queue = [];
  const push = (c) => {
    // Kept sorted by max, ascending: the most promising cell is popped from the end.
    let lo = 0;
    let hi = queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (queue[mid].max < c.max) lo = mid + 1; else hi = mid;
    }
    queue.splice(lo, 0, c);
  };
  const h0 = size / 2;
  for (let x = minX; x < maxX; x += size) {
    for (let y = minY; y < maxY; y += size) push(cell(x + h0, y + h0, h0));
  }
  const c = ringCentroid(outer);
  let best = c ? cell(c.x, c.y, 0) : cell(minX + width / 2, minY + height / 2, 0);
  const boxCentre = cell(minX + width / 2, minY + height / 2, 0);
  if (boxCentre.d > best.d) best = boxCentre;
  let guard = 0;
  while (queue.length && guard++ < 5000) {
    const cur = queue.pop();
    if (cur.d > best.d) best = cur;
    if (cur.max - best.d <= precision) continue;
    const h = cur.h / 2;
    push(cell(cur.x - h, cur.y - h, h));
    push(cell(cur.x + h, cur.y - h, h));
    push(cell(cur.x - h, cur.y + h, h));
    push(cell(cur.x + h, cur.y + h, h));
  }
  return [best.x, best.y];
}

/** Polygons ([rings] of [lng, lat]) of a GeoJSON geometry. */
function polygonsOf(geometry) {
  if (!geometry) return [];
  if (geometry.type === 'Polygon') return [geometry.coordinates];
  if (geometry.type === 'MultiPolygon') return geometry.coordinates;
  return [];
}

/** The label point [lng, lat] of an area from its pieces (polygons in lng/lat). */
export function labelPoint(pieces) {
  const planar = pieces.map((rings) => rings.map((ring) => ring.map(project)));
  let largest = 0;
  let largestW = -1;
  let sx = 0;
  let sy = 0;
  let sw = 0;
  planar.forEach((rings, i) => {
    const c = ringCentroid(rings[0]);
    if (!c) return;
    sx += c.x * c.w;
    sy += c.y * c.w;
    sw += c.w;
    if (c.w > largestW) { largestW = c.w; largest = i; }
  });
  const precisionOf = (rings) => {
    let min = Infinity; let max = -Infinity;
    for (const [x] of rings[0]) { min = Math.min(min, x); max = Math.max(max, x); }
    return Math.max((max - min) / 200, 1e-7);
  };
  if (planar.length > 1 && sw > 0) {
    const c = [sx / sw, sy / sw];
    if (planar.some((rings) => signedDistance(c, rings) > 0)) return unproject(c);
  }
  const rings = planar[largest];
  return unproject(polylabel(rings, precisionOf(rings)));
}

/** The properties a label keeps: names, code, kind, population and area. */
const KEEP = ['code', 'kind', 'name_kk', 'name_ru', 'name_en', 'population', 'area_km2'];

/**
 * Label points of one area source, kept between calls. update() reads the loaded tiles and
 * returns the FeatureCollection when it changed, else null.
 */
export class AreaLabels {
  constructor(source) {
    this.source = source;
    this.cache = new Map(); // id -> { props, point, whole }
    this.signature = '';
  }

  update(map) {
    let features;
    try {
      features = map.querySourceFeatures(this.source, { sourceLayer: this.source });
    } catch {
      return null; // source not there (yet)
    }
    const byId = new Map();
    for (const f of features) {
      if (f.id === undefined || f.id === null) continue;
      let entry = byId.get(f.id);
      if (!entry) byId.set(f.id, (entry = { props: f.properties || {}, pieces: [], seen: new Set() }));
      for (const rings of polygonsOf(f.geometry)) {
        // A tile is sometimes there twice (e.g. while a parent tile stands in): skip the
        // same piece seen again.
        const first = rings[0] && rings[0][0];
        const key = first ? `${rings[0].length}:${first[0].toFixed(6)},${first[1].toFixed(6)}` : '';
        if (!first || entry.seen.has(key)) continue;
        entry.seen.add(key);
        entry.pieces.push(rings);
      }
    }
    for (const [id, { props, pieces }] of byId) {
      const cached = this.cache.get(id);
      if (cached && cached.whole) continue;
      if (!pieces.length) continue;
      const area = pieces.reduce((s, rings) => s + polygonAreaKm2(rings), 0);
      const full = Number(props.area_km2);
      const whole = Number.isFinite(full) && full > 0 && area >= 0.95 * full;
      const kept = {};
      for (const k of KEEP) if (props[k] !== undefined) kept[k] = props[k];
      let point;
      try {
        point = labelPoint(pieces);
      } catch (err) {
        console.warn(`aimaq map: label of ${this.source} ${id}: ${err}`);
        continue;
      }
      if (!point.every(Number.isFinite)) continue;
      this.cache.set(id, { props: kept, point, whole });
    }
    const out = [];
    for (const [id, { props, point }] of this.cache) {
      out.push({ type: 'Feature', id, properties: { id, ...props }, geometry: { type: 'Point', coordinates: point } });
    }
    out.sort((a, b) => Number(a.id) - Number(b.id));
    const signature = out.map((f) => `${f.id}:${f.geometry.coordinates[0].toFixed(4)},${f.geometry.coordinates[1].toFixed(4)}`).join(';');
    if (signature === this.signature) return null;
    this.signature = signature;
    return { type: 'FeatureCollection', features: out };
  }
}

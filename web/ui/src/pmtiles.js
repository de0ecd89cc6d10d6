// Reading the tiles from a PMTiles archive (`aimaq export pmtiles`) instead of /tiles: the page
// parameter ?pmtiles=NAME makes every vector source read /pmtiles/NAME.pmtiles, beside the page,
// through the `pmtiles` package's MapLibre protocol. The same archive on object storage behind
// a CDN is read the same way.

/** Archive names the server serves (web/handle_pmtiles.go). */
const NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$/;

/** The archive the page asks for (?pmtiles=NAME), or null. */
export function pmtilesArchive(base) {
  const name = new URL(base).searchParams.get('pmtiles');
  return name && NAME.test(name) ? name : null;
}

/** The source URL of archive `name` beside the page, for the pmtiles protocol. */
export function pmtilesSourceURL(name, base) {
  return `pmtiles://${new URL(`pmtiles/${name}.pmtiles`, base).href}`;
}

/**
 * Registers the pmtiles protocol with MapLibre when the page asks for an archive; the
 * package's module is loaded on the first request, so a page without ?pmtiles never loads it.
 */
export function registerPMTiles(maplibregl, base) {
  if (!pmtilesArchive(base)) return false;
  let protocol = null;
  maplibregl.addProtocol('pmtiles', async (params, abort) => {
    if (!protocol) {
      const { Protocol } = await import('./vendor/pmtiles.mjs');
      // metadata: the archive's TileJSON fields (attribution, vector_layers) reach the map.
      protocol = new Protocol({ metadata: true });
    }
    return protocol.tilev4(params, abort);
  });
  return true;
}

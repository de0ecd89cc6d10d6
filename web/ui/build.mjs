// Builds the static site into dist/ (embedded by the Go server with //go:embed all:dist).
// No bundler: the sources are plain ES modules, and MapLibre GL JS 6 is itself an ES module
// that loads its worker from the file beside it, so the build only copies files.
// Works offline after `npm ci`.
//
//   node build.mjs        (or: npm run build)

import { cp, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = dirname(fileURLToPath(import.meta.url));
const src = join(root, 'src');
const dist = join(root, 'dist');
const require = createRequire(import.meta.url);

// MapLibre's dist folder, found through its package.json (its "exports" allow that path).
const maplibreDir = join(dirname(require.resolve('maplibre-gl/package.json')), 'dist');
const maplibreVersion = require('maplibre-gl/package.json').version;

// maplibre-gl.mjs loads `./maplibre-gl-worker.mjs` relative to its own URL, so the two must
// stay side by side. Source maps are left out: they would add ~8 MB to the Go binary.
const VENDOR = ['maplibre-gl.mjs', 'maplibre-gl-worker.mjs', 'maplibre-gl.css'];

async function emptyDist() {
  await mkdir(dist, { recursive: true });
  for (const name of await readdir(dist)) {
    if (name === '.gitkeep') continue; // committed placeholder
    await rm(join(dist, name), { recursive: true, force: true });
  }
}

async function main() {
  const started = Date.now();
  await emptyDist();

  for (const name of await readdir(src)) {
    await cp(join(src, name), join(dist, name), { recursive: true });
  }

  await mkdir(join(dist, 'vendor'), { recursive: true });
  for (const name of VENDOR) {
    await cp(join(maplibreDir, name), join(dist, 'vendor', name));
  }
  // BSD-3-Clause asks for the licence to travel with the code.
  await cp(join(maplibreDir, '..', 'LICENSE.txt'), join(dist, 'vendor', 'maplibre-gl.LICENSE.txt'));

  const files = [];
  const walk = async (dir, prefix = '') => {
    for (const name of (await readdir(dir)).sort()) {
      const p = join(dir, name);
      if ((await stat(p)).isDirectory()) await walk(p, `${prefix}${name}/`);
      else files.push(`${prefix}${name}`);
    }
  };
  await walk(dist);
  console.log(`built dist/ (maplibre-gl ${maplibreVersion}) in ${Date.now() - started} ms: ${files.join(', ')}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

// Builds the static site into dist/ (embedded by the Go server with //go:embed all:dist).
// No bundler: the sources are plain ES modules, MapLibre GL JS 6 is itself an ES module that
// loads its worker from the file beside it, and Chart.js ships an ES module build (two files)
// that imports "@kurkle/color", which index.html's import map points at the copy in vendor/.
// So the build only copies files. Works offline after `npm ci`.
//
//   node build.mjs        (or: npm run build)

import { cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
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

// Chart.js 4: dist/chart.js imports ./chunks/index.js, and both import '@kurkle/color'
// (a bare name: resolved in the browser by the import map in index.html).
// Their "exports" hide package.json, so each package's folder is found from its entry point.
function packageDir(name) {
  let dir = dirname(require.resolve(name));
  while (!existsSync(join(dir, 'package.json')) || require(join(dir, 'package.json')).name !== name) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`package.json of ${name} not found`);
    dir = up;
  }
  return dir;
}
const chartDir = packageDir('chart.js');
const chartVersion = require(join(chartDir, 'package.json')).version;
const kurkleDir = packageDir('@kurkle/color');
const pmtilesDir = packageDir('pmtiles');
const fflateDir = packageDir('fflate');
const CHART_FILES = [
  ['dist/chart.js', 'chartjs/chart.js'],
  ['dist/chunks/index.js', 'chartjs/chunks/index.js'],
];

/** Copy a JS file without its sourceMappingURL comment (the maps are not shipped). */
async function copyScript(from, to) {
  await mkdir(dirname(to), { recursive: true });
  const text = await readFile(from, 'utf8');
  await writeFile(to, text.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'));
}

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

  for (const [from, to] of CHART_FILES) await copyScript(join(chartDir, from), join(dist, 'vendor', to));
  await copyScript(join(kurkleDir, 'dist', 'color.esm.js'), join(dist, 'vendor', 'kurkle-color.mjs'));
  // Both are MIT licensed: the licence travels with the code.
  await cp(join(chartDir, 'LICENSE.md'), join(dist, 'vendor', 'chartjs', 'LICENSE.md'));
  await cp(join(kurkleDir, 'LICENSE.md'), join(dist, 'vendor', 'kurkle-color.LICENSE.md'));

  // pmtiles (?pmtiles=NAME, src/pmtiles.js): its ES module imports the bare name "fflate",
  // pointed here at the copy beside it, so no import map entry is needed.
  const pmtilesText = await readFile(join(pmtilesDir, 'dist', 'esm', 'index.js'), 'utf8');
  if (!/from\s*"fflate"/.test(pmtilesText)) throw new Error('pmtiles: the import of "fflate" was not found');
  await writeFile(join(dist, 'vendor', 'pmtiles.mjs'),
    pmtilesText.replace(/from\s*"fflate"/g, 'from"./fflate.mjs"').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'));
  await copyScript(join(fflateDir, 'esm', 'browser.js'), join(dist, 'vendor', 'fflate.mjs'));
  // fflate's MIT licence travels with it; pmtiles (BSD-3-Clause) ships no licence file, so a
  // note names it, its author and where its licence text is.
  await cp(join(fflateDir, 'LICENSE'), join(dist, 'vendor', 'fflate.LICENSE'));
  const pm = require(join(pmtilesDir, 'package.json'));
  await writeFile(join(dist, 'vendor', 'pmtiles.LICENSE'),
    `pmtiles ${pm.version} by ${pm.author}, licensed ${pm.license}: see the LICENSE file of ${pm.homepage}\n`);

  const files = [];
  const walk = async (dir, prefix = '') => {
    for (const name of (await readdir(dir)).sort()) {
      const p = join(dir, name);
      if ((await stat(p)).isDirectory()) await walk(p, `${prefix}${name}/`);
      else files.push(`${prefix}${name}`);
    }
  };
  await walk(dist);
  console.log(`built dist/ (maplibre-gl ${maplibreVersion}, chart.js ${chartVersion}, pmtiles ${require(join(pmtilesDir, 'package.json')).version}) in ${Date.now() - started} ms: ${files.join(', ')}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

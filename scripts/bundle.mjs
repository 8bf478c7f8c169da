#!/usr/bin/env node
// A library package's build, after `tsc -b` (which emits only declarations):
// each entry point its package.json exports (`./dist/<name>.js`) becomes one
// ES module built from `src/<name>.ts`, its own modules inlined and every
// package it depends on (the other @evring layers included) left an import.
//
// Why: Node's ESM loader costs about a millisecond per module file here, and
// evring's layers are many small files (abi alone is 25). Importing
// @evring/loop loaded about 97 files and took 120-220 ms; as one file per
// package it takes about half that, and so does every worker thread that
// imports it. Each package stays its own module (one copy of sys's state,
// one identity per class), as it must for independently installed layers.
//
// A package with several entry points (@evring/backend and its `/testing`)
// shares one copy of the modules they have in common through a chunk file.
// Every .js under dist/ is this script's: it removes the ones it did not write.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const entryPoints = Object.values(pkg.exports)
  .map((target) => (typeof target === 'object' ? target.default : target))
  .filter((file) => /^\.\/dist\/[\w-]+\.js$/.test(file))
  .map((file) => file.replace(/^\.\/dist\/(.*)\.js$/, 'src/$1.ts'));
if (entryPoints.length === 0) throw new Error(`${pkg.name}: no ./dist/*.js entry point in exports`);

/** Every file under dir, recursively. */
function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}
for (const file of walk('dist')) {
  if (/\.js(\.map)?$/.test(file)) rmSync(file);
}

await build({
  entryPoints,
  outdir: 'dist',
  outbase: 'src',
  bundle: true,
  splitting: entryPoints.length > 1,
  chunkNames: 'shared-[hash]',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  sourcesContent: false, // the tarball carries src/
  logLevel: 'warning',
});

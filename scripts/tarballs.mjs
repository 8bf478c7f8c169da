#!/usr/bin/env node
// `pnpm tarballs [dir]`: a tarball per public package (what `npm publish`
// would upload) into `dir` (default ./tarballs). `pnpm -r pack` alone also
// packs the private packages (packages/bench, packages/repo-checks): pnpm
// has no filter for "not private", so this one lists the public packages
// and packs those.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dest = resolve(process.argv[2] ?? join(root, 'tarballs'));
const filters = readdirSync(join(root, 'packages')).flatMap((dir) => {
  try {
    const pkg = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
    return pkg.private === true ? [] : ['--filter', pkg.name];
  } catch {
    return [];
  }
});
const r = spawnSync('pnpm', ['-r', ...filters, 'pack', '--pack-destination', dest], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (r.status !== 0) process.exit(r.status ?? 1);
console.log(dest);

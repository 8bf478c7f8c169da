#!/usr/bin/env node
// Builds the addon with node-gyp against the headers of the Node that runs
// this script (found next to its binary), so no header download is needed.
// Runs at install time and from `turbo run build`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(pkgDir, 'package.json'));

if (process.platform !== 'linux') {
  console.error(`@evring/sys: Linux only (this is ${process.platform}); the addon is not built.`);
  process.exit(0);
}

let gyp;
try {
  gyp = require.resolve('node-gyp/bin/node-gyp.js');
} catch {
  console.error('@evring/sys: node-gyp is not installed; run the package manager install first.');
  process.exit(1);
}

const args = [gyp, existsSync(join(pkgDir, 'build', 'Makefile')) ? 'build' : 'rebuild'];
const prefix = dirname(dirname(process.execPath));
if (existsSync(join(prefix, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${prefix}`);
if (process.env.EVRING_DEBUG_BUILD) args.push('--debug');
const jobs = process.env.JOBS ?? 'max';
args.push(`--jobs=${jobs}`);

const result = spawnSync(process.execPath, args, { cwd: pkgDir, stdio: 'inherit' });
if (result.status !== 0) {
  console.error('@evring/sys: building the native addon failed (needs python3, make and g++).');
  process.exit(result.status ?? 1);
}

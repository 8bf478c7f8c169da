#!/usr/bin/env node
// Before `pnpm pack`: puts this machine's addon into the tarball as a
// prebuilt binary, where node-gyp-build looks for it:
// prebuilds/<platform>-<arch>/evring_sys.napi.<libc>.node. The addon needs
// only Node-API (NAPI_VERSION 8), so one binary serves every Node from 20:
// its hot calls use V8's API only on the Node major it was built with, and
// Node-API on any other (native/direct_call.h); the V8 symbols it names are
// bound lazily, so another major never resolves them.
// `--clean` (after packing) removes it again, so that the workspace keeps
// loading its own build.
//
// Not prebuildify: it builds against headers it downloads for each target,
// and this build runs offline against the running Node's own headers.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const prebuilds = join(pkgDir, 'prebuilds');

if (process.argv.includes('--clean')) {
  rmSync(prebuilds, { recursive: true, force: true });
  process.exit(0);
}
if (process.platform !== 'linux') process.exit(0);

const built = join(pkgDir, 'build', 'Release', 'evring_sys.node');
const build = spawnSync(process.execPath, [join(pkgDir, 'scripts', 'build-native.mjs'), '--from-source'], {
  stdio: 'inherit',
});
if (build.status !== 0 || !existsSync(built)) {
  console.error('@evring/sys: no addon to ship as a prebuilt binary');
  process.exit(1);
}
const libc = existsSync('/etc/alpine-release') ? 'musl' : 'glibc';
const dir = join(prebuilds, `${process.platform}-${process.arch}`);
rmSync(prebuilds, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const target = join(dir, `evring_sys.napi.${libc}.node`);
copyFileSync(built, target);
// Symbols are for debugging a source build; the shipped binary goes without.
spawnSync('strip', ['--strip-unneeded', target], { stdio: 'ignore' });

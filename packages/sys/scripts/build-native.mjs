#!/usr/bin/env node
// Gets the addon in place, at install time and from `turbo run build`.
//
// Installed from npm: a prebuilt binary for this platform and architecture
// (prebuilds/<platform>-<arch>/, node-gyp-build's layout) is used when it
// loads here, so no compiler is needed; otherwise, or with --from-source
// (the workspace's build) or npm's --build-from-source, the addon is built
// with node-gyp against the headers of the Node that runs this script
// (found next to its binary, so no header download is needed).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(pkgDir, 'package.json'));

if (process.platform !== 'linux') {
  console.error(`@evring/sys: Linux only (this is ${process.platform}); the addon is not built.`);
  process.exit(0);
}

const fromSource =
  process.argv.includes('--from-source') ||
  process.env.npm_config_build_from_source === 'true' ||
  process.env.EVRING_SYS_BUILD_FROM_SOURCE === '1';

if (!fromSource) {
  const prebuilt = usablePrebuild();
  if (prebuilt) {
    console.error(`@evring/sys: using the prebuilt addon ${prebuilt.slice(pkgDir.length + 1)}`);
    process.exit(0);
  }
}

// The workspace's own node-gyp, else the one the package manager running
// this install script brings (npm and pnpm pass its path in
// npm_config_node_gyp), so that users who never build do not install it.
let gyp;
try {
  gyp = require.resolve('node-gyp/bin/node-gyp.js');
} catch {
  gyp = process.env.npm_config_node_gyp;
}
if (!gyp || !existsSync(gyp)) {
  console.error(
    '@evring/sys: no node-gyp to build the addon with (run this from npm or pnpm, or install node-gyp).',
  );
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

/** The prebuilt addon for this machine, if the tarball has one and it loads here (glibc, libstdc++). */
function usablePrebuild() {
  const dir = join(pkgDir, 'prebuilds', `${process.platform}-${process.arch}`);
  const libc = existsSync('/etc/alpine-release') ? 'musl' : 'glibc';
  let files = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.node') && !f.includes(libc === 'glibc' ? '.musl.' : '.glibc.'));
  } catch {
    return undefined;
  }
  for (const file of files) {
    const path = join(dir, file);
    // Loaded in a child: a binary that needs a newer glibc fails there, not here.
    const probe = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(path)})`], {
      encoding: 'utf8',
    });
    if (probe.status === 0) return path;
    console.error(
      `@evring/sys: the prebuilt ${file} does not load here (${probe.stderr.trim().split('\n')[0]}); building from source`,
    );
  }
  return undefined;
}

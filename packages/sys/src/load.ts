/**
 * Loads the addon, naming every path tried when none works, and hands it
 * the shared error constructor. Where it comes from, first that exists:
 * `EVRING_SYS_BINARY`, then as node-gyp-build finds it (the convention of
 * prebuilt addons): `build/Release` (a source build), `build/Debug`, then
 * `prebuilds/<platform>-<arch>/` (the binary the npm tarball carries).
 *
 * @internal
 * @module
 */

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { markAsUntransferable } from 'node:worker_threads';
import { systemError } from '@evring/abi';
import nodeGypBuild from 'node-gyp-build';
import type { NativeBinding } from './native.js';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

function load(): NativeBinding {
  if (process.platform !== 'linux') {
    throw Object.assign(
      new Error(`@evring/sys works on Linux only (this is ${process.platform})`),
      {
        code: 'ERR_EVRING_UNSUPPORTED_PLATFORM',
      },
    );
  }
  const failures: string[] = [];
  const root = join(here, '..');
  let found: string | undefined;
  try {
    found = nodeGypBuild.resolve(root);
  } catch (err) {
    failures.push(`  ${root}: ${(err as Error).message.split('\n')[0]}`);
  }
  const candidates = [process.env.EVRING_SYS_BINARY, found].filter(
    (p): p is string => typeof p === 'string' && p.length > 0,
  );
  for (const path of candidates) {
    try {
      return require(path) as NativeBinding;
    } catch (err) {
      failures.push(`  ${path}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  throw Object.assign(
    new Error(
      `@evring/sys: could not load the native addon. Tried:\n${failures.join('\n')}\n` +
        'Build it with `node scripts/build-native.mjs --from-source` in the @evring/sys package (needs python3, make, g++).',
    ),
    { code: 'ERR_EVRING_ADDON_NOT_FOUND' },
  );
}

/** The raw binding, initialised. */
export const native: NativeBinding = load();

native.init({
  makeError: (errno, syscall, detail) => systemError(errno, syscall, detail),
  markAsUntransferable: (ab) => markAsUntransferable(ab),
});

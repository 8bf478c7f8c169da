/**
 * Helpers for the repository checks: where the workspace is, running a
 * command and failing with its output, and the packages that get published.
 */

import { type SpawnSyncOptions, spawnSync } from 'node:child_process';
import {
  accessSync,
  constants,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { join } from 'node:path';

export const ROOT = new URL('../../../', import.meta.url).pathname;

/** Runs a command; throws with its output when it fails. */
export function run(cmd: string, args: readonly string[], options: SpawnSyncOptions = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...options });
  if (r.status !== 0) {
    throw new Error(
      `${cmd} ${args.join(' ')} exited ${r.status ?? r.signal}\n${r.stdout}\n${r.stderr}`,
    );
  }
  return String(r.stdout);
}

export interface WorkspacePackage {
  dir: string;
  name: string;
  version: string;
  private: boolean;
  dependencies: Record<string, string>;
}

/** Every package under packages/. */
export function workspacePackages(root = ROOT): WorkspacePackage[] {
  return readdirSync(join(root, 'packages')).flatMap((d) => {
    try {
      const pkg = JSON.parse(readFileSync(join(root, 'packages', d, 'package.json'), 'utf8'));
      return [
        {
          dir: join(root, 'packages', d),
          name: pkg.name,
          version: pkg.version,
          private: pkg.private === true,
          dependencies: pkg.dependencies ?? {},
        },
      ];
    } catch {
      return [];
    }
  });
}

/** Compilers and build tools a source build of the addon needs (hidden by {@link pathWithoutCompilers}). */
const BUILD_TOOLS =
  /^(g\+\+|gcc|cc|c\+\+|cpp|make|gmake|clang.*|python[0-9.]*|.*-linux-gnu-.*|[gc]\+\+-[0-9]+|gcc-[0-9]+|ld(\..*)?|as)$/;

/**
 * A PATH for a machine without a compiler: `dir` gets a link to every
 * program on this PATH except compilers, make, the linker and python.
 */
export function pathWithoutCompilers(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const seen = new Set<string>();
  for (const from of (process.env.PATH ?? '').split(':')) {
    let names: string[] = [];
    try {
      names = readdirSync(from);
    } catch {
      continue;
    }
    for (const name of names) {
      if (seen.has(name) || BUILD_TOOLS.test(name)) continue;
      const path = join(from, name);
      try {
        accessSync(path, constants.X_OK);
        if (!statSync(path).isFile()) continue;
      } catch {
        continue;
      }
      seen.add(name);
      symlinkSync(path, join(dir, name));
    }
  }
  return dir;
}

/**
 * This process's environment for npm and programs run like a user's: without
 * the `npm_config_*` variables a package manager running these tests sets
 * (pnpm passes its registry that way, and it would win over the npmrc), and
 * with `extra` on top.
 */
export function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^npm_/i.test(k)) env[k] = v;
  }
  return { ...env, ...extra };
}

/**
 * Helpers for the repository checks: where the workspace is, running a
 * command and failing with its output, and the packages that get published.
 */

import { type SpawnSyncOptions, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
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

/**
 * Compiling the C benchmarks on first use: once per source version, into the
 * temp dir, with the reason as a missing row when it cannot be done.
 *
 * @module
 */

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobMissing } from '../job.js';

const built = new Map<string, { bin: string } | JobMissing>();

/**
 * The binary built from `source` (with `libs`, e.g. `['-lev']`), or why
 * there is none.
 */
export function buildC(
  source: URL,
  name: string,
  libs: string[] = [],
): { bin: string } | JobMissing {
  const known = built.get(source.href);
  if (known) return known;
  const text = readFileSync(source);
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 12);
  const dir = join(tmpdir(), 'evring-bench');
  const bin = join(dir, `${name}-${hash}`);
  let result: { bin: string } | JobMissing = { bin };
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    try {
      execFileSync('gcc', ['-O2', '-o', bin, source.pathname, ...libs], { stdio: 'pipe' });
    } catch (err) {
      const detail = (err as { stderr?: Buffer }).stderr?.toString().trim().split('\n')[0];
      result = { missing: `compiling ${name} failed: ${detail ?? String(err)}` };
    }
  }
  built.set(source.href, result);
  return result;
}

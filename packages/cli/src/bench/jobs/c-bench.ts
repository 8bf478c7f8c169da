/**
 * The C benchmarks (libev's and the raw kernel interfaces'): compiled on first
 * use, once per source version, into the temp dir; run with one line of
 * output per round. Whatever stops them becomes a missing row with its reason.
 *
 * @module
 */

import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobMissing, JobTimes } from '../job.js';

const built = new Map<string, { bin: string } | JobMissing>();

/** The binary built from `source` (with `libs`, e.g. `['-lev']`), or why there is none. */
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

/**
 * Runs a built C benchmark: its round times, or a missing row. A program that
 * prints `unavailable` (its backend refused here) gives `unavailable` as the
 * reason. The first `warmup` rounds printed are dropped.
 */
export function runCBench(
  built: { bin: string } | JobMissing,
  args: readonly (string | number)[],
  unavailable: string,
  warmup = 0,
): JobTimes | JobMissing {
  if ('missing' in built) return built;
  const res = spawnSync(built.bin, args.map(String), { encoding: 'utf8' });
  if (res.status !== 0) {
    return { missing: `${built.bin} exited with ${res.status}: ${res.stderr.trim()}` };
  }
  const lines = res.stdout.trim().split('\n');
  if (lines[0] === 'unavailable') return { missing: unavailable };
  return { times: lines.slice(warmup).map(Number) };
}

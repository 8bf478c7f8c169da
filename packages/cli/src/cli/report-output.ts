/**
 * How both benchmark commands end: the table (or the JSON report) on
 * stdout, the JSON and SVG files in --out unless --no-files, and exit 1
 * when a job failed.
 *
 * @module
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Flags } from './args.js';
import type { Io } from './io.js';

/** Prints and writes a report as the flags ask; resolves to the exit code. */
export function finishReport(
  io: Io,
  flags: Flags,
  report: { rows: ReadonlyArray<{ job: string; error?: string }> },
  name: string,
  table: () => string,
  svg: () => string,
): number {
  const json = `${JSON.stringify(report, null, 2)}\n`;
  io.stdout(flags.has('json') ? json : `${table()}\n`);
  if (!flags.has('no-files')) {
    const dir = resolve(String(flags.get('out') ?? 'evring-bench'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${name}.json`), json);
    writeFileSync(join(dir, `${name}.svg`), svg());
    io.stderr(`wrote ${join(dir, `${name}.json`)} and ${join(dir, `${name}.svg`)}\n`);
  }
  const failed = report.rows.filter((r) => r.error !== undefined);
  if (failed.length === 0) return 0;
  io.stderr(
    `${failed.length} job(s) failed: ${failed.map((r) => `${r.job} (${r.error})`).join('; ')}\n`,
  );
  return 1;
}

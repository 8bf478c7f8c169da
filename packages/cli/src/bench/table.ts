/**
 * The benchmark's text table: per configuration and mode, µs per round
 * (median and p10–p90), ns per event, syscalls and waits per event, and the
 * ratio to libev-epoll in C; then the targets.
 *
 * @module
 */

import { groupRows } from './groups.js';
import type { BenchReport, BenchRow, TargetVerdict } from './report.js';
import { type Column, fixed, tableLine } from './text-table.js';

const COLUMNS: Column[] = [
  ['job', 26],
  ['µs/round', 10],
  ['p10–p90', 13],
  ['ns/event', 9],
  ['syscalls/ev', 12],
  ['waits/ev', 9],
  ['×libev-epoll', 13],
  ['GC/100k ev', 11],
];

const line = (cells: string[]): string => tableLine(COLUMNS, cells);

function rowLine(r: BenchRow): string {
  if (r.missing !== undefined || r.error !== undefined) {
    return `${r.job.padEnd(COLUMNS[0]![1])}  (${r.error !== undefined ? `FAILED: ${r.error}` : r.missing})`;
  }
  return line([
    r.job,
    fixed(r.median! / 1000, 1),
    `${fixed(r.p10! / 1000, 0)}–${fixed(r.p90! / 1000, 0)}`,
    fixed(r.nsPerEvent, 0),
    fixed(r.syscallsPerEvent, 2),
    fixed(r.waitsPerEvent, 3),
    r.vsLibevEpoll === undefined ? '' : `${r.vsLibevEpoll.toFixed(2)}×`,
    fixed(r.scavengesPer100k, 1),
  ]);
}

/** Two decimals; three below 0.1, so that 0.021 against a limit of 0.02 does not print as 0.02. */
function figure(x: number): string {
  return x < 0.1 ? x.toFixed(3) : x.toFixed(2);
}

/** One target's line: met, missed, or not checked. */
export function targetLine(t: TargetVerdict): string {
  if (t.ratio === undefined) return `  not checked  ${t.claim} (a side did not run)`;
  const floor =
    t.floor === undefined
      ? ''
      : t.floor.met
        ? `; raw C: ${figure(t.floor.ratio)}`
        : `; raw C: ${figure(t.floor.ratio)}, out of reach on this kernel`;
  const jsFloor =
    t.jsFloor === undefined
      ? ''
      : `; the same loop in JS on sys: ${figure(t.jsFloor.ratio)}${t.jsFloor.met ? '' : ', out of reach from JS here'}`;
  const threaded =
    t.threaded === undefined
      ? ''
      : `; against libev with a thread, as in Node: ${t.threaded.ratio.toFixed(2)}${t.threaded.met ? ', met' : ''}`;
  return `  ${t.met ? 'met        ' : 'MISSED     '}  ${t.claim}: ratio ${figure(t.ratio)} (needs ≤ ${figure(t.limit)}${floor}${jsFloor}${threaded})`;
}

/**
 * The whole table as text.
 *
 * @example
 * ```ts
 * import { formatTable, QUICK, runBench } from '@evring/cli';
 * process.stdout.write(`${formatTable(await runBench({ matrix: QUICK }))}\n`);
 * ```
 */
export function formatTable(report: BenchReport): string {
  const out: string[] = [];
  const first = report.rows[0]?.config;
  out.push(
    `pipe benchmark on linux ${report.machine.kernel}, node ${report.machine.node}, ${report.machine.cpus} × ${report.machine.cpu}`,
  );
  if (first)
    out.push(`W=${first.writes} writes per round, ${first.rounds} rounds; medians, spread p10–p90`);
  out.push(
    'ns/event: time per byte delivered to a callback; lower is better. ×libev-epoll: against libev in C on epoll, level-triggered. GC/100k ev: V8 scavenges per 100,000 events, over the timed rounds.',
  );
  for (const g of groupRows(report.rows)) {
    const skip = g.rows[0]?.missing;
    if (
      skip !== undefined &&
      g.rows.every((r) => r.missing === skip && r.nsPerEvent === undefined)
    ) {
      out.push('', g.title, `  (skipped: ${skip})`); // a whole configuration this machine cannot run
      continue;
    }
    out.push('', g.title, line(COLUMNS.map(([name]) => name)));
    for (const r of g.rows) out.push(rowLine(r));
  }
  out.push(
    '',
    'targets (pipes, level; each names its N and A): what the design aims at, measured on this run; MISSED is a finding, not an error',
  );
  for (const t of report.targets) out.push(targetLine(t));
  if ((report.information ?? []).length > 0) {
    out.push(
      '',
      'information (claims raw C misses on this kernel too, and the loop against a Poller doing the same kernel work: shown, not aimed at):',
    );
    for (const t of report.information) out.push(targetLine(t));
  }
  return out.join('\n');
}

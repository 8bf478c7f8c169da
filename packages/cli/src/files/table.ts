/**
 * The file benchmark's text table: per workload, µs per round, ns per
 * operation (lower is better) with its p10–p90 spread, syscalls per
 * operation, scavenges per 100,000 operations, and the ratio to liburing
 * in C; then the targets.
 *
 * @module
 */

import { targetLine } from '../bench/table.js';
import { type Column, fixed, tableLine } from '../bench/text-table.js';
import { ROUND_MS } from './job.js';
import type { FileBenchReport, FileBenchRow } from './report.js';
import { FILE_HEADLINE } from './targets.js';
import { workloadLabel } from './workload.js';

const COLUMNS: Column[] = [
  ['job', 40],
  ['ns/op', 8],
  ['p10–p90 ns/op', 15],
  ['×liburing', 10],
  ['CPU user+sys', 14],
  ['CPU ×liburing', 14],
  ['syscalls/op', 12],
  ['GC/100k ops', 12],
];

const line = (cells: string[]): string => tableLine(COLUMNS, cells);

function rowLine(r: FileBenchRow): string {
  if (r.missing !== undefined || r.error !== undefined) {
    return `${r.job.padEnd(COLUMNS[0]![1])}  (${r.error !== undefined ? `FAILED: ${r.error}` : r.missing})`;
  }
  const ops = r.opsPerRound ?? r.workload.ops;
  return line([
    r.job,
    fixed(r.nsPerOp, 0),
    `${fixed(r.p10! / ops, 0)}–${fixed(r.p90! / ops, 0)}`,
    r.vsLiburing === undefined ? '' : `${r.vsLiburing.toFixed(2)}×`,
    r.userNsPerOp === undefined ? '' : `${r.userNsPerOp.toFixed(0)}+${r.systemNsPerOp!.toFixed(0)}`,
    r.cpuVsLiburing === undefined ? '' : `${r.cpuVsLiburing.toFixed(2)}×`,
    fixed(r.syscallsPerOp, 3),
    fixed(r.scavengesPer100k, 1),
  ]);
}

/**
 * The whole file benchmark as text.
 *
 * @example
 * ```ts
 * import { formatFileTable, QUICK_FILE_WORKLOADS, runFileBench } from '@evring/cli';
 * process.stdout.write(`${formatFileTable(await runFileBench({ workloads: QUICK_FILE_WORKLOADS, fileSize: 64 << 20 }))}\n`);
 * ```
 */
export function formatFileTable(report: FileBenchReport): string {
  const out: string[] = [
    `file benchmark on linux ${report.machine.kernel}, node ${report.machine.node}, ${report.machine.cpus} × ${report.machine.cpu}`,
    `a ${report.file.size / (1 << 20)} MiB file in ${report.file.dir}, read once first (reads hit the page cache)`,
    'ns/op: median round time / operations per round; lower is better. syscalls/op: evring counts its own, the C row its io_uring_enter calls.',
    "CPU user+sys: ns of CPU per operation over the timed rounds, all threads of the row's process (a thread pool's too); time spent waiting for a CPU is not counted, so on a busy machine these ratios are steadier than the times.",
  ];
  const seen = new Set<unknown>();
  for (const r of report.rows) {
    if (seen.has(r.workload)) continue;
    seen.add(r.workload);
    out.push(
      '',
      `${workloadLabel(r.workload)}, rounds of ${r.workload.ops} operations (a row that would take over ${ROUND_MS} ms a round runs fewer)`,
      line(COLUMNS.map(([n]) => n)),
    );
    for (const row of report.rows) if (row.workload === r.workload) out.push(rowLine(row));
  }
  out.push(
    '',
    `targets (issue #16; random ${FILE_HEADLINE.block / 1024} KiB reads, ${FILE_HEADLINE.depth} in flight): what the design aims at, measured on this run; MISSED is a finding, not an error`,
  );
  for (const t of report.targets) out.push(targetLine(t));
  if ((report.information ?? []).length > 0) {
    out.push('', 'information (where the time over liburing goes: shown, not aimed at):');
    for (const t of report.information) out.push(targetLine(t));
  }
  return out.join('\n');
}

/**
 * The shape of a file benchmark run, as written to JSON.
 *
 * @module
 */

import type { TargetVerdict } from '../bench/report.js';
import type { Spread } from '../bench/stats.js';
import type { FileJob } from './job.js';
import type { FileWorkload } from './workload.js';

/**
 * One job on one workload.
 *
 * @example
 * ```ts
 * import { type FileBenchRow, runFileBench, QUICK_FILE_WORKLOADS } from '@evring/cli';
 * const { rows } = await runFileBench({ workloads: QUICK_FILE_WORKLOADS, fileSize: 64 << 20 });
 * const best: FileBenchRow = rows.filter((r) => r.nsPerOp).sort((a, b) => a.nsPerOp! - b.nsPerOp!)[0]!;
 * console.log(best.job, best.nsPerOp);
 * ```
 */
export interface FileBenchRow extends Partial<Spread> {
  workload: FileWorkload;
  job: string;
  family: FileJob['family'];
  roundsRun?: number;
  /** Operations in each of its rounds: the workload's, or fewer for a slow row (see ROUND_MS). */
  opsPerRound?: number;
  /** Median nanoseconds per operation (median round / operations per round). */
  nsPerOp?: number;
  syscallsPerOp?: number;
  /** CPU nanoseconds per operation over the timed rounds: user and system, all threads of the row's process. */
  userNsPerOp?: number;
  systemNsPerOp?: number;
  scavengesPer100k?: number;
  /** nsPerOp over the liburing row's on the same workload. */
  vsLiburing?: number;
  /** CPU per operation (user + system) over the liburing row's: steadier than the times on a busy machine. */
  cpuVsLiburing?: number;
  missing?: string;
  error?: string;
}

/**
 * A whole file benchmark run.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { type FileBenchReport, QUICK_FILE_WORKLOADS, runFileBench } from '@evring/cli';
 * const report: FileBenchReport = await runFileBench({ workloads: QUICK_FILE_WORKLOADS, fileSize: 64 << 20 });
 * writeFileSync('files.json', JSON.stringify(report));
 * ```
 */
export interface FileBenchReport {
  date: string;
  machine: { kernel: string; node: string; cpus: number; cpu: string };
  quick: boolean;
  /** The file's size and where it was made. */
  file: { size: number; dir: string };
  rows: FileBenchRow[];
  targets: TargetVerdict[];
  /** Where the time over liburing goes: shown, not aimed at (see checkFileInformation). */
  information: TargetVerdict[];
}

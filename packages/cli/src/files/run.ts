/**
 * Runs the file benchmark: makes the file, runs every job on every
 * workload, reports progress, removes the file, returns the report.
 *
 * @module
 */

import { tmpdir } from 'node:os';
import { BackendUnavailableError } from '@evring/backend';
import { machineFacts } from '../bench/machine.js';
import { ScavengeLog } from '../bench/scavenge-log.js';
import { spread } from '../bench/stats.js';
import {
  type FileJob,
  type FileRounds,
  type FileSession,
  MIN_FILE_ROUNDS,
  opsPerRound,
} from './job.js';
import { fileJobs } from './jobs/index.js';
import type { FileBenchReport, FileBenchRow } from './report.js';
import { checkFileInformation, checkFileTargets } from './targets.js';
import { makeBenchFile } from './test-file.js';
import type { FileWorkload } from './workload.js';

/**
 * What `runFileBench` is given.
 *
 * @example
 * ```ts
 * import { type FileBenchOptions, FILE_WORKLOADS, runFileBench } from '@evring/cli';
 * const options: FileBenchOptions = { workloads: FILE_WORKLOADS, fileSize: 256 << 20, only: ['evring', 'liburing'] };
 * await runFileBench(options);
 * ```
 */
export interface FileBenchOptions {
  workloads: readonly FileWorkload[];
  /** Bytes in the benchmark's file. */
  fileSize: number;
  /** Where the file is made (default: the temp dir). */
  dir?: string;
  /** Rounds per job (default 10 within 2 s). */
  rounds?: FileRounds;
  quick?: boolean;
  /** Only jobs whose names contain one of these. */
  only?: readonly string[];
  jobs?: readonly FileJob[];
  onProgress?: (p: { step: number; steps: number; row: FileBenchRow; starting: boolean }) => void;
}

/**
 * Runs `evring bench files`.
 *
 * @example
 * ```ts
 * import { formatFileTable, QUICK_FILE_WORKLOADS, runFileBench } from '@evring/cli';
 * const report = await runFileBench({ workloads: QUICK_FILE_WORKLOADS, fileSize: 64 << 20 });
 * console.log(formatFileTable(report));
 * ```
 */
export async function runFileBench(options: FileBenchOptions): Promise<FileBenchReport> {
  const jobs = (options.jobs ?? fileJobs()).filter(
    (j) => !options.only || options.only.some((o) => j.name.includes(o)),
  );
  const limits = options.rounds ?? { rounds: 10, budgetMs: 2000 };
  const dir = options.dir ?? tmpdir();
  const file = makeBenchFile(options.fileSize, dir);
  const rows: FileBenchRow[] = [];
  const steps = options.workloads.length * jobs.length;
  const gc = new ScavengeLog();
  try {
    for (const workload of options.workloads) {
      const open: Array<{
        row: FileBenchRow;
        session: FileSession;
        /** Operations in each of its rounds. */
        ops: number;
        times: number[];
        windows: number[];
        cpu0: { user: number; system: number };
        /** Syscalls counted before the timed rounds (the untimed ones made some). */
        calls0: number | undefined;
        /** Scavenges a child counted before the timed rounds. */
        scavenges0: number | undefined;
      }> = [];
      for (const job of jobs) {
        const row: FileBenchRow = { workload, job: job.name, family: job.family };
        rows.push(row);
        options.onProgress?.({ step: rows.length, steps, row, starting: true });
        try {
          const got = await job.open(workload, file);
          if ('missing' in got) row.missing = got.missing;
          else {
            // Untimed: the JIT compiles the hot path, the child warms up,
            // and the row's speed sets its operations per round.
            const probe = Math.min(workload.ops, PROBE_OPS);
            const ns = await got.round(probe);
            const ops = opsPerRound(workload, ns / probe);
            row.opsPerRound = ops;
            open.push({
              row,
              session: got,
              ops,
              times: [],
              windows: [],
              cpu0: { ...got.cpu },
              calls0: undefined,
              scavenges0: undefined,
            });
          }
        } catch (err) {
          fail(row, err);
        }
      }
      // One untimed turn: the rows opened first have waited while the
      // others opened, and the first round after an idle is not a steady one.
      for (const o of open) {
        try {
          await o.session.round(o.ops);
        } catch (err) {
          fail(o.row, err);
        }
        o.cpu0 = { ...o.session.cpu };
        o.calls0 = o.session.syscalls?.();
        o.scavenges0 = o.session.scavenges?.();
      }
      await takeTurns(open, limits, gc);
      for (const o of open) {
        try {
          await o.session.close();
        } catch (err) {
          fail(o.row, err);
        }
        if (o.times.length > 0) {
          summarise(o.row, o.times, o.session, o.ops, o.cpu0, o.calls0);
          const child = o.session.scavenges?.();
          const scavenges =
            child !== undefined
              ? child - (o.scavenges0 ?? 0)
              : o.session.inProcess
                ? gc.within(o.windows)
                : undefined;
          if (scavenges !== undefined)
            o.row.scavengesPer100k = (scavenges * 100_000) / (o.times.length * o.ops);
        }
        options.onProgress?.({ step: rows.indexOf(o.row) + 1, steps, row: o.row, starting: false });
      }
    }
  } finally {
    gc.stop();
    file.remove();
  }
  for (const row of rows) {
    const floor = rows.find((b) => b.family === 'c' && b.workload === row.workload);
    if (floor?.nsPerOp && row.nsPerOp) row.vsLiburing = row.nsPerOp / floor.nsPerOp;
    const cpuOf = (r: FileBenchRow | undefined): number | undefined =>
      r?.userNsPerOp === undefined ? undefined : r.userNsPerOp + r.systemNsPerOp!;
    const floorCpu = cpuOf(floor);
    const rowCpu = cpuOf(row);
    if (floorCpu && rowCpu) row.cpuVsLiburing = rowCpu / floorCpu;
  }
  return {
    date: new Date().toISOString(),
    machine: machineFacts(),
    quick: options.quick === true,
    file: { size: file.size, dir },
    rows,
    targets: checkFileTargets(rows),
    information: checkFileInformation(rows),
  };
}

/** Operations in a row's first, untimed round, which measures its speed. */
const PROBE_OPS = 10_000;

function fail(row: FileBenchRow, err: unknown): void {
  if (err instanceof BackendUnavailableError) row.missing = `kernel refuses it: ${err.reason}`;
  else row.error = err instanceof Error ? err.message : String(err);
}

/**
 * Rounds in turn: each open row runs one, then the next row, until every
 * row has `rounds`, or the budget (per row) is spent and each has the minimum.
 */
async function takeTurns(
  open: Array<{
    row: FileBenchRow;
    session: FileSession;
    ops: number;
    times: number[];
    windows: number[];
  }>,
  limits: FileRounds,
  gc: ScavengeLog,
): Promise<void> {
  const started = performance.now();
  const budget = limits.budgetMs * Math.max(1, open.length);
  for (let r = 0; r < limits.rounds; r++) {
    if (r >= MIN_FILE_ROUNDS && performance.now() - started > budget) break;
    for (const o of open) {
      if (o.row.error !== undefined) continue;
      try {
        const from = performance.now();
        o.times.push(await o.session.round(o.ops));
        o.windows.push(from, performance.now());
      } catch (err) {
        fail(o.row, err);
      }
    }
  }
  await gc.flush();
}

function summarise(
  row: FileBenchRow,
  times: number[],
  session: FileSession,
  ops: number,
  cpu0: { user: number; system: number },
  calls0: number | undefined,
): void {
  Object.assign(row, spread(times));
  row.roundsRun = times.length;
  row.nsPerOp = row.median! / ops;
  const total = times.length * ops;
  // Over the timed rounds only, as the times and the CPU: the untimed
  // round's calls counted against the timed operations made 5 timed rounds
  // read as 6/5 of the real figure, 3 as 4/3.
  const calls = session.syscalls?.();
  if (calls !== undefined) row.syscallsPerOp = (calls - (calls0 ?? 0)) / total;
  const user = session.cpu.user - cpu0.user;
  const system = session.cpu.system - cpu0.system;
  if (user + system > 0) {
    row.userNsPerOp = (user * 1000) / total;
    row.systemNsPerOp = (system * 1000) / total;
  }
}

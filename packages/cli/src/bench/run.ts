/**
 * Runs the benchmark: every planned configuration, every job, each mode it
 * offers; reports progress as it goes and returns the report.
 *
 * @module
 */

import { BackendUnavailableError } from '@evring/backend';
import { type BenchJob, type BenchMode, eventsPerRound } from './job.js';
import { allJobs } from './jobs/index.js';
import { machineFacts } from './machine.js';
import { type MatrixOptions, type PlannedConfig, plan } from './matrix.js';
import type { BenchReport, BenchRow } from './report.js';
import { ScavengeLog } from './scavenge-log.js';
import { spread } from './stats.js';
import { checkInformation, checkTargets } from './targets.js';

/**
 * One step of a run, as the progress display shows it.
 *
 * @example
 * ```ts
 * import { type BenchProgress, QUICK, runBench } from '@evring/cli';
 * const onProgress = (p: BenchProgress) => {
 *   if (!p.starting) console.error(`${p.step}/${p.steps} ${p.row.job}: ${p.row.nsPerEvent?.toFixed(0)} ns`);
 * };
 * await runBench({ matrix: QUICK, onProgress });
 * ```
 */
export interface BenchProgress {
  /** 1-based step number, and the steps in all. */
  step: number;
  steps: number;
  row: BenchRow;
  /** True before the step runs, false once its row is filled. */
  starting: boolean;
}

/**
 * What `runBench` is given.
 *
 * @example
 * ```ts
 * import { type BenchRunOptions, QUICK, runBench } from '@evring/cli';
 * const options: BenchRunOptions = { matrix: QUICK, only: ['evring-epoll', 'libev-epoll'] };
 * const report = await runBench(options);
 * ```
 */
export interface BenchRunOptions {
  matrix: MatrixOptions;
  /** Marks the report as a `--quick` run. */
  quick?: boolean;
  /** Only jobs whose names contain one of these. */
  only?: readonly string[];
  onProgress?: (p: BenchProgress) => void;
  /** The jobs (default: every row). */
  jobs?: readonly BenchJob[];
}

function describe(err: unknown): { missing: string } | { error: string } {
  if (err instanceof BackendUnavailableError)
    return { missing: `kernel refuses it: ${err.reason}` };
  return { error: err instanceof Error ? err.message : String(err) };
}

/**
 * Runs the benchmark.
 *
 * @example
 * ```ts
 * import { formatTable, QUICK, runBench } from '@evring/cli';
 * const report = await runBench({ matrix: { ...QUICK, kinds: ['pipe'] }, only: ['evring', 'libuv'] });
 * console.log(formatTable(report));
 * ```
 */
export async function runBench(options: BenchRunOptions): Promise<BenchReport> {
  const jobs = (options.jobs ?? allJobs()).filter(
    (j) => !options.only || options.only.some((o) => j.name.includes(o)),
  );
  const planned: PlannedConfig[] = plan(options.matrix);
  const steps: Array<{ planned: PlannedConfig; job: BenchJob; mode: BenchMode }> = [];
  for (const p of planned)
    for (const mode of options.matrix.modes)
      for (const job of jobs) if (job.modes.includes(mode)) steps.push({ planned: p, job, mode });

  const rows: BenchRow[] = [];
  const scavenges = new ScavengeLog();
  const windows = new Map<BenchRow, [number, number]>();
  for (const [i, { planned: p, job, mode }] of steps.entries()) {
    const row: BenchRow = { config: p.config, mode, job: job.name, family: job.family };
    options.onProgress?.({ step: i + 1, steps: steps.length, row, starting: true });
    if (p.skip) row.missing = p.skip;
    else {
      try {
        const from = performance.now();
        const got = await job.run(p.config, mode);
        // Scavenges are counted over the timed rounds when the job says when they began.
        const since = 'timedSince' in got && got.timedSince !== undefined ? got.timedSince : from;
        windows.set(row, [since, performance.now()]);
        if ('missing' in got) row.missing = got.missing;
        else {
          Object.assign(row, spread(got.times));
          row.roundsRun = got.times.length;
          row.nsPerEvent = row.median! / eventsPerRound(p.config);
          if (got.syscallsPerEvent !== undefined) row.syscallsPerEvent = got.syscallsPerEvent;
          if (got.waitsPerEvent !== undefined) row.waitsPerEvent = got.waitsPerEvent;
        }
      } catch (err) {
        Object.assign(row, describe(err));
      }
    }
    rows.push(row);
    options.onProgress?.({ step: i + 1, steps: steps.length, row, starting: false });
  }
  await scavenges.flush();
  scavenges.stop();
  for (const [row, window] of windows) {
    // Only jobs whose events run in this process allocate on this heap.
    if (row.roundsRun && (row.family === 'evring' || row.family === 'loop')) {
      row.scavengesPer100k =
        (scavenges.within(window) * 100_000) / (row.roundsRun * eventsPerRound(row.config));
    }
  }
  // Ratios against libev-epoll (C) in level mode on the same configuration.
  for (const row of rows) {
    const base = rows.find(
      (b) => b.job === 'libev-epoll (C)' && b.mode === 'level' && b.config === row.config,
    );
    if (base?.nsPerEvent && row.nsPerEvent) row.vsLibevEpoll = row.nsPerEvent / base.nsPerEvent;
  }
  return {
    date: new Date().toISOString(),
    machine: machineFacts(),
    quick: options.quick === true,
    rows,
    targets: checkTargets(rows),
    information: checkInformation(rows),
  };
}

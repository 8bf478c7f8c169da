/**
 * The shape of a benchmark run's results, as written to JSON.
 *
 * @module
 */

import type { BenchConfig, BenchJob, BenchMode } from './job.js';
import type { Spread } from './stats.js';

/**
 * One job on one configuration and mode.
 *
 * @example
 * ```ts
 * import { type BenchRow, QUICK, runBench } from '@evring/cli';
 * const { rows } = await runBench({ matrix: QUICK, only: ['evring'] });
 * const fastest: BenchRow = rows.filter((r) => r.nsPerEvent).sort((a, b) => a.nsPerEvent! - b.nsPerEvent!)[0]!;
 * console.log(fastest.job, fastest.mode, fastest.nsPerEvent);
 * ```
 */
export interface BenchRow extends Partial<Spread> {
  config: BenchConfig;
  mode: BenchMode;
  job: string;
  family: BenchJob['family'];
  /** Rounds run (fewer than asked when the job's time budget ran out). */
  roundsRun?: number;
  /** Median nanoseconds per event (per byte delivered). */
  nsPerEvent?: number;
  syscallsPerEvent?: number;
  waitsPerEvent?: number;
  /** V8 scavenges per 100,000 events over the timed rounds (in-process jobs; the whole job when it does not say when they began). */
  scavengesPer100k?: number;
  /** nsPerEvent over libev-epoll (C)'s level nsPerEvent on the same configuration. */
  vsLibevEpoll?: number;
  /** Why the job did not run (a missing peer, a backend the kernel refuses, an fd limit). */
  missing?: string;
  /** The job failed: this is a bug to report. */
  error?: string;
}

/**
 * A target the issue sets, checked on this run's numbers.
 *
 * @example
 * ```ts
 * import { QUICK, runBench, type TargetVerdict } from '@evring/cli';
 * const { targets } = await runBench({ matrix: QUICK });
 * const missed: TargetVerdict[] = targets.filter((t) => t.met === false);
 * for (const t of missed) console.log(`${t.claim}: ${t.ratio?.toFixed(2)}`);
 * ```
 */
export interface TargetVerdict {
  /** What is claimed, e.g. `evring-epoll within 1.3× of libev-epoll (C)`. */
  claim: string;
  /** The measured ratio, or undefined when a side did not run. */
  ratio?: number;
  /** The ratio the claim needs, and the direction. */
  limit: number;
  met?: boolean;
  /**
   * The same claim with each evring row replaced by the raw C row of its
   * kernel interface (`raw-iouring (C)` for `evring-iouring`): when even
   * that misses, the kernel puts the target out of reach here. For attached
   * Linux AIO against standalone, raw C with an eventfd on every iocb
   * against raw C without.
   */
  floor?: { ratio: number; met: boolean };
  /**
   * The same claim with the evring row replaced by the raw C program's loop
   * written in JavaScript on sys (`raw-epoll (JS)` for `evring-epoll`):
   * when that misses, no library calling the kernel through sys from
   * JavaScript can meet the claim on this machine.
   */
  jsFloor?: { ratio: number; met: boolean };
  /**
   * The same claim against libev in a process with a second thread asleep
   * (`libev-epoll (C, threaded)`), as a Node process always has: what libev
   * would measure if it ran where evring runs. Only for claims against libev.
   */
  threaded?: { ratio: number; met: boolean };
}

/**
 * A whole run.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { type BenchReport, QUICK, runBench } from '@evring/cli';
 * const report: BenchReport = await runBench({ matrix: QUICK });
 * writeFileSync('bench.json', JSON.stringify(report));
 * ```
 */
export interface BenchReport {
  date: string;
  machine: { kernel: string; node: string; cpus: number; cpu: string };
  quick: boolean;
  rows: BenchRow[];
  targets: TargetVerdict[];
  /** Claims raw C misses on this kernel too, shown for information (see checkInformation). */
  information: TargetVerdict[];
}

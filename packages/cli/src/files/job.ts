/**
 * What one row of `evring bench files` is: a session on the benchmark's
 * file that runs one round of a workload's operations when asked. The run
 * takes the rows' rounds in turn (row A, row B, …, then A again), so that
 * the noise of a shared machine falls on every row alike and the ratios
 * within a run stay meaningful.
 *
 * @module
 */

import type { BenchFile } from './test-file.js';
import type { FileWorkload } from './workload.js';

/**
 * How many rounds each row runs.
 *
 * @example
 * ```ts
 * import type { FileRounds } from '@evring/cli';
 * const rounds: FileRounds = { rounds: 10, budgetMs: 2000 };
 * ```
 */
export interface FileRounds {
  /** Rounds timed per row, at most (one untimed round each runs first). */
  rounds: number;
  /** Per row: once the rows together have spent this much each, they stop after at least {@link MIN_FILE_ROUNDS} rounds. */
  budgetMs: number;
}

/** Rounds every row runs whatever its budget. */
export const MIN_FILE_ROUNDS = 3;

/**
 * One row's open session on a workload.
 *
 * @example
 * ```ts
 * import { fileJobs, makeBenchFile } from '@evring/cli';
 * const file = makeBenchFile(16 << 20);
 * const job = fileJobs().find((j) => j.name === 'node fs (callbacks)')!;
 * const session = await job.open({ kind: 'randread', block: 4096, depth: 16, ops: 5000 }, file);
 * if (!('missing' in session)) {
 *   console.log(await session.round(), 'ns for 5000 reads');
 *   await session.close();
 * }
 * file.remove();
 * ```
 */
export interface FileSession {
  /** Runs `ops` operations; resolves to the nanoseconds they took. */
  round(): Promise<number>;
  /** Syscalls made so far, where the row can count them (evring's counters, the C program's enters). */
  syscalls?(): number;
  /**
   * CPU time its rounds used so far, in microseconds: user and system, all
   * threads of the process (the thread pool's too). Less noisy than the
   * round times on a shared machine, since time spent waiting for the CPU
   * is not counted.
   */
  readonly cpu: { user: number; system: number };
  /** Scavenges during its rounds so far, where the row counts them itself (a row in a child process). */
  scavenges?(): number | undefined;
  /** True for a row whose rounds run in this process (the run counts its collections). */
  readonly inProcess: boolean;
  close(): Promise<void> | void;
}

/**
 * Why a row has no numbers here (a peer not installed, a kernel that refuses).
 *
 * @example
 * ```ts
 * import { type FileJobMissing, liburingFileJob, makeBenchFile } from '@evring/cli';
 * const file = makeBenchFile(16 << 20);
 * const got = await liburingFileJob().open({ kind: 'randread', block: 4096, depth: 8, ops: 100 }, file);
 * if ('missing' in got) console.log((got as FileJobMissing).missing);
 * else await got.close();
 * file.remove();
 * ```
 */
export interface FileJobMissing {
  missing: string;
}

/**
 * One row of the file benchmark.
 *
 * @example
 * ```ts
 * import { fileJobs } from '@evring/cli';
 * for (const job of fileJobs()) console.log(job.family, job.name);
 * ```
 */
export interface FileJob {
  name: string;
  /** evring's rows, Node's, the C floor, or a reference (sys's ring with no loop above it; V8's promises with no I/O). */
  family: 'evring' | 'node' | 'c' | 'reference';
  /** The row counts the syscalls it makes (sys's counters): run in a child, it reports them. */
  countsSyscalls?: boolean;
  open(w: FileWorkload, file: BenchFile): Promise<FileSession | FileJobMissing>;
}

/** Times a round that runs in this process, adding the CPU time it used to `cpu`. */
export async function timed(
  round: () => Promise<void> | void,
  cpu: { user: number; system: number },
): Promise<number> {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await round();
  const ns = Number(process.hrtime.bigint() - t0);
  const used = process.cpuUsage(c0);
  cpu.user += used.user;
  cpu.system += used.system;
  return ns;
}

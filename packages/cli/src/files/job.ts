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
 * How long one round of a row lasts, about: a row slower than the
 * workload's `ops` allow runs fewer operations a round (see
 * {@link opsPerRound}).
 *
 * Why: the rows take turns, so each row's process waits while all the
 * others run a round. V8 judges a process's allocation rate over its last
 * 5 seconds; one that sat idle longer than that looks like it allocates
 * little, and its next collection shrinks its young generation. A row that
 * allocates (the promise forms) then paid for the idle in its next round:
 * with rounds of a fixed count, Node's slow rows made a turn last 7 s, and
 * V8's promises alone measured 600 ns an await instead of 150.
 */
export const ROUND_MS = 150;

/**
 * The operations a row runs per round: enough for about {@link ROUND_MS}
 * at `nsPerOp` (its untimed round's speed), at most the workload's `ops`,
 * at least four per lane (and 256).
 *
 * @example
 * ```ts
 * import { opsPerRound } from '@evring/cli';
 * const w = { kind: 'randread', block: 4096, depth: 64, ops: 100_000 } as const;
 * opsPerRound(w, 600); // 100000
 * opsPerRound(w, 30_000); // 5000
 * ```
 */
export function opsPerRound(w: FileWorkload, nsPerOp: number): number {
  const fewest = Math.min(w.ops, Math.max(4 * w.depth, 256));
  if (!(nsPerOp > 0)) return w.ops;
  const fit = Math.ceil((ROUND_MS * 1e6) / nsPerOp);
  return Math.max(fewest, Math.min(w.ops, fit));
}

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
  /**
   * Runs `ops` operations (the workload's `ops` when not given); resolves
   * to the nanoseconds they took.
   */
  round(ops?: number): Promise<number>;
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

/**
 * What one benchmark job is: a way to run the pipe benchmark on one event
 * mechanism for one configuration, giving the time of every round.
 *
 * @module
 */

import type { FdKind } from './fd-ring.js';
import { emptyYoungGeneration } from './young-generation.js';

/**
 * One configuration of the benchmark.
 *
 * @example
 * ```ts
 * import { type BenchConfig, allJobs } from '@evring/cli';
 * const config: BenchConfig = { kind: 'socketpair', n: 10000, active: 100, writes: 1000, rounds: 50, budgetMs: 2000 };
 * const epollJob = allJobs().find((j) => j.name === 'evring-epoll')!;
 * console.log(await epollJob.run(config, 'level'));
 * ```
 */
export interface BenchConfig {
  /** Fd kind: pipes, or socketpairs watched at both ends. */
  kind: FdKind;
  /** Watched fds. */
  n: number;
  /** Fds made active at the start of a round. */
  active: number;
  /** Writes per round after the first `active` (each callback writes until this many are done). */
  writes: number;
  /** Rounds timed, at most. */
  rounds: number;
  /**
   * Time budget per job in milliseconds: once spent, a job stops after at
   * least `MIN_ROUNDS` (10) rounds, so that the slowest peers (the epoll
   * package) do not stretch a full run past its minutes.
   */
  budgetMs: number;
  /** Events processed untimed before the timed rounds (default {@link WARMUP_EVENTS}; 0: none). */
  warmupEvents?: number;
}

/** Rounds every job runs whatever its budget. */
export const MIN_ROUNDS = 10;

/**
 * Events every job processes, untimed, before its first timed round (unless its config says otherwise).
 *
 * @example
 * ```ts
 * import { QUICK, runBench, WARMUP_EVENTS } from '@evring/cli';
 * // Twice the usual warm-up, for a machine whose JIT is slow to settle.
 * await runBench({ matrix: { ...QUICK, warmupEvents: 2 * WARMUP_EVENTS } });
 * ```
 */
export const WARMUP_EVENTS = 20_000;

/**
 * The JavaScript jobs stop warming up after this long (the epoll package needs 80 µs an event).
 *
 * @example
 * ```ts
 * import { WARMUP_MAX_MS } from '@evring/cli';
 * console.log(`at most ${WARMUP_MAX_MS} ms of untimed rounds per job and configuration`);
 * ```
 */
export const WARMUP_MAX_MS = 500;

/**
 * Untimed rounds before the timed ones: enough for the config's
 * `warmupEvents` (default {@link WARMUP_EVENTS}), at least 2, and none when
 * it is 0. The JavaScript jobs need them for the JIT to compile their hot
 * path (the first rounds of a cold job run interpreted, several times
 * slower), and stop early after {@link WARMUP_MAX_MS}; the C jobs run them
 * too, so that every row starts warm.
 *
 * @example
 * ```ts
 * import { type BenchConfig, warmupRounds } from '@evring/cli';
 * const config: BenchConfig = { kind: 'pipe', n: 1000, active: 100, writes: 1000, rounds: 25, budgetMs: 1000 };
 * warmupRounds(config); // 19: 19 × 1,100 events ≥ 20,000
 * ```
 */
export function warmupRounds(config: BenchConfig): number {
  const events = config.warmupEvents ?? WARMUP_EVENTS;
  return events <= 0 ? 0 : Math.max(2, Math.ceil(events / eventsPerRound(config)));
}

/** True when a job that has run `done` rounds since `startedMs` (performance.now() time) should stop. */
export function roundsDone(config: BenchConfig, done: number, startedMs: number): boolean {
  return (
    done >= config.rounds || (done >= MIN_ROUNDS && performance.now() - startedMs > config.budgetMs)
  );
}

/**
 * A job's warm-up, as both round runners apply it: {@link warmupRounds}
 * rounds, cut short after {@link WARMUP_MAX_MS}; a job's time budget starts
 * once it is over. Its end empties V8's young generation
 * ({@link emptyYoungGeneration}), before the timed rounds begin.
 */
export class WarmUp {
  #left: number;
  readonly #from = performance.now();
  #over: number;

  constructor(config: BenchConfig) {
    this.#left = warmupRounds(config);
    this.#over = this.#from;
  }

  /** Call once per finished round: true when that round was a warm-up round, not to be timed. */
  roundDone(): boolean {
    if (this.#left === 0) return false;
    const now = performance.now();
    this.#left = now - this.#from > WARMUP_MAX_MS ? 0 : this.#left - 1;
    if (this.#left === 0) emptyYoungGeneration();
    // After the collection: it is not the timed rounds' scavenge.
    this.#over = this.#left === 0 ? performance.now() : now;
    return true;
  }

  /**
   * When the timed rounds began (performance.now() time): the start of the
   * job's time budget ({@link roundsDone}) and of its scavenge count
   * ({@link JobTimes.timedSince}).
   */
  get timedFrom(): number {
    return this.#over;
  }
}

/**
 * Level mode reads one byte per callback, as libev's benchmark; EDGE drains the fd.
 *
 * @example
 * ```ts
 * import { type BenchMode, QUICK, runBench } from '@evring/cli';
 * const modes: BenchMode[] = ['edge'];
 * const report = await runBench({ matrix: { ...QUICK, modes } });
 * ```
 */
export type BenchMode = 'level' | 'edge';

/**
 * A job's measurement: nanoseconds per round, and the sys layer's syscall counts when it can count them.
 *
 * @example
 * ```ts
 * import { allJobs, type JobTimes, QUICK } from '@evring/cli';
 * const job = allJobs().find((j) => j.name === 'evring-iouring')!;
 * const got = await job.run({ ...QUICK, kind: 'pipe', n: 1000, active: 100 }, 'level');
 * if (!('missing' in got)) console.log((got as JobTimes).syscallsPerEvent);
 * ```
 */
export interface JobTimes {
  /** Wall time of each round, in nanoseconds. */
  times: number[];
  /** Syscalls per event, from `@evring/sys`'s counters (evring jobs only). */
  syscallsPerEvent?: number;
  /** Of those, waits (epoll_wait, io_uring_enter, io_getevents) per event. */
  waitsPerEvent?: number;
  /**
   * When the timed rounds began (performance.now() time): the scavenges
   * counted per event are those from here to the job's end, so that setting
   * up and warming up (the JIT's own allocations) do not count.
   */
  timedSince?: number;
}

/**
 * A job that could not run here, and why (e.g. libev-dev not installed).
 *
 * @example
 * ```ts
 * import { allJobs, QUICK } from '@evring/cli';
 * const libev = allJobs().find((j) => j.family === 'libev')!;
 * const got = await libev.run({ ...QUICK, kind: 'pipe', n: 1000, active: 100 }, 'level');
 * if ('missing' in got) console.log(got.missing); // e.g. how to install libev-dev
 * ```
 */
export interface JobMissing {
  missing: string;
}

/**
 * One row of the benchmark.
 *
 * @example
 * ```ts
 * import { type BenchJob, QUICK, runBench } from '@evring/cli';
 * // A row of your own: anything that can time rounds of the job.
 * const mine: BenchJob = {
 *   name: 'my-loop', family: 'evring', modes: ['level'],
 *   run: (config) => ({ times: Array.from({ length: config.rounds }, () => 1e6) }),
 * };
 * const report = await runBench({ matrix: QUICK, jobs: [mine] });
 * ```
 */
export interface BenchJob {
  /** Row name, e.g. `evring-epoll` or `libev-epoll (C)`. */
  readonly name: string;
  /**
   * What it runs on: `evring`, `loop`, `libev`, `raw` (the kernel interface
   * in C, no library), `raw-js` (the same loops in JavaScript on sys),
   * `libuv` or `epoll-npm`.
   */
  readonly family: 'evring' | 'loop' | 'libev' | 'raw' | 'raw-js' | 'libuv' | 'epoll-npm';
  /** The modes it offers. */
  readonly modes: readonly BenchMode[];
  /** Runs one configuration. */
  run(config: BenchConfig, mode: BenchMode): JobTimes | JobMissing | Promise<JobTimes | JobMissing>;
}

/** Total events a configuration delivers per round: the first `active` bytes and every write. */
export function eventsPerRound(config: BenchConfig): number {
  return config.writes + config.active;
}

/** The fd index the k-th starting byte goes to: the active fds spread evenly over the ring. */
export function startIndex(config: BenchConfig, k: number): number {
  return (k * Math.floor(config.n / config.active)) % config.n;
}

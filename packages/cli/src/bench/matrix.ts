/**
 * Which configurations a run covers: the full matrix (N ∈ {100, 1000,
 * 10000} × A ∈ {1, 100, 1000}, pipes and socketpairs, level and EDGE), the
 * quick one, or what the flags ask for; and which of them cannot run here.
 *
 * @module
 */

import * as sys from '@evring/sys';
import { type FdKind, fdsNeeded } from './fd-ring.js';
import type { BenchConfig, BenchMode } from './job.js';

/**
 * What to run.
 *
 * @example
 * ```ts
 * import { type MatrixOptions, runBench } from '@evring/cli';
 * const matrix: MatrixOptions = {
 *   n: [100, 1000], active: [1, 100], kinds: ['pipe'], modes: ['level'],
 *   writes: 1000, rounds: 50, budgetMs: 1000,
 * };
 * const report = await runBench({ matrix });
 * ```
 */
export interface MatrixOptions {
  /** Watched fd counts. */
  n: readonly number[];
  /** Active fd counts (those above N are left out). */
  active: readonly number[];
  kinds: readonly FdKind[];
  modes: readonly BenchMode[];
  writes: number;
  rounds: number;
  /** Per-job time budget (see {@link BenchConfig.budgetMs}). */
  budgetMs: number;
  /** Untimed events before each job's timed rounds (see {@link BenchConfig.warmupEvents}). */
  warmupEvents?: number;
}

/**
 * The full matrix, as the table: about two and a half minutes here.
 *
 * @example
 * ```ts
 * import { FULL, runBench } from '@evring/cli';
 * const report = await runBench({ matrix: { ...FULL, kinds: ['socketpair'] } }); // N up to 10,000
 * ```
 */
export const FULL: MatrixOptions = {
  n: [100, 1000, 10000],
  active: [1, 100, 1000],
  kinds: ['pipe', 'socketpair'],
  modes: ['level', 'edge'],
  writes: 1000,
  rounds: 100,
  budgetMs: 2000,
};

/**
 * `--quick`: the headline configuration (N=1000, A=100) on both fd kinds and modes, in well under a minute.
 *
 * @example
 * ```ts
 * import { QUICK, formatTable, runBench } from '@evring/cli';
 * console.log(formatTable(await runBench({ matrix: QUICK, quick: true })));
 * ```
 */
export const QUICK: MatrixOptions = {
  n: [1000],
  active: [100],
  kinds: ['pipe', 'socketpair'],
  modes: ['level', 'edge'],
  writes: 1000,
  rounds: 25,
  budgetMs: 1000,
};

/** One configuration of the run, or the reason it is left out. */
export interface PlannedConfig {
  config: BenchConfig;
  /** Set when this machine cannot run it (fd limit). */
  skip?: string;
}

/** Fds kept free for everything else the process holds (loops, Node's own). */
const FD_MARGIN = 200;

/** The configurations of a run, in order: by fd kind, then N, then A. */
export function plan(options: MatrixOptions): PlannedConfig[] {
  const { soft } = sys.getrlimitNofile();
  const out: PlannedConfig[] = [];
  for (const kind of options.kinds) {
    for (const n of options.n) {
      for (const active of options.active) {
        if (active > n) continue; // A > N means nothing: fewer fds than active ones
        const config: BenchConfig = {
          kind,
          n,
          active,
          writes: options.writes,
          rounds: options.rounds,
          budgetMs: options.budgetMs,
          ...(options.warmupEvents === undefined ? {} : { warmupEvents: options.warmupEvents }),
        };
        const need = fdsNeeded(kind, n) + FD_MARGIN;
        if (need > soft) {
          out.push({
            config,
            skip: `needs about ${need} fds, RLIMIT_NOFILE allows ${soft}${kind === 'pipe' ? ' (socketpairs reach this N with half the fds)' : ''}`,
          });
        } else out.push({ config });
      }
    }
  }
  return out;
}

/** The key a configuration is known by in the report: `pipe N=1000 A=100`. */
export function configLabel(config: BenchConfig): string {
  return `${config.kind} N=${config.n} A=${config.active}`;
}

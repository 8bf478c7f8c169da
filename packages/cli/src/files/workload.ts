/**
 * What `evring bench files` measures: workloads on one file, and the
 * blocks each operation picks.
 *
 * @module
 */

/**
 * The operation a workload repeats.
 *
 * @example
 * ```ts
 * import type { FileOpKind } from '@evring/cli';
 * const kind: FileOpKind = 'randwrite-sync'; // a random write, then fdatasync
 * ```
 */
export type FileOpKind = 'randread' | 'seqread' | 'randwrite' | 'randwrite-sync';

/**
 * One workload: `ops` operations of `block` bytes per round, `depth` kept
 * in flight (the synchronous row always does one at a time).
 *
 * @example
 * ```ts
 * import { type FileWorkload, workloadLabel } from '@evring/cli';
 * const w: FileWorkload = { kind: 'randread', block: 4096, depth: 64, ops: 20_000 };
 * console.log(workloadLabel(w)); // 'random 4 KiB reads, 64 in flight'
 * ```
 */
export interface FileWorkload {
  kind: FileOpKind;
  /** Bytes per operation. */
  block: number;
  /** Operations kept in flight. */
  depth: number;
  /** Operations per timed round. */
  ops: number;
}

/**
 * The full run's workloads: random reads at four depths, sequential reads,
 * random writes with and without fdatasync.
 *
 * The targets' workload (64 in flight) runs 100,000 reads a round: rows take
 * turns, so each round starts from idle, and at 20,000 (about 15 ms for
 * evring) the start dominated. The rows with a large working set (V8's
 * heap and code) paid it most, the C row hardly at all, and p10–p90
 * spreads were 25–50%; at 100,000 they are mostly 2–11%.
 *
 * @example
 * ```ts
 * import { FILE_WORKLOADS, workloadLabel } from '@evring/cli';
 * for (const w of FILE_WORKLOADS) console.log(workloadLabel(w));
 * ```
 */
export const FILE_WORKLOADS: readonly FileWorkload[] = [
  { kind: 'randread', block: 4096, depth: 1, ops: 20_000 },
  { kind: 'randread', block: 4096, depth: 16, ops: 20_000 },
  { kind: 'randread', block: 4096, depth: 64, ops: 100_000 },
  { kind: 'randread', block: 4096, depth: 256, ops: 20_000 },
  { kind: 'seqread', block: 128 * 1024, depth: 16, ops: 2_000 },
  { kind: 'randwrite', block: 4096, depth: 64, ops: 10_000 },
  { kind: 'randwrite-sync', block: 4096, depth: 64, ops: 500 },
];

/**
 * `--quick`: random 4 KiB reads, 64 in flight, only.
 *
 * @example
 * ```ts
 * import { QUICK_FILE_WORKLOADS, runFileBench } from '@evring/cli';
 * const report = await runFileBench({ workloads: QUICK_FILE_WORKLOADS, fileSize: 16 << 20, only: ['sync'] });
 * console.log(report.rows[0]?.nsPerOp);
 * ```
 */
export const QUICK_FILE_WORKLOADS: readonly FileWorkload[] = [FILE_WORKLOADS[2]!];

const SIZE = (bytes: number): string =>
  bytes >= 1024 * 1024
    ? `${bytes / (1024 * 1024)} MiB`
    : bytes >= 1024
      ? `${bytes / 1024} KiB`
      : `${bytes} B`;

/**
 * A workload in words, as the table heads it.
 *
 * @example
 * ```ts
 * import { workloadLabel } from '@evring/cli';
 * workloadLabel({ kind: 'seqread', block: 131072, depth: 16, ops: 100 }); // 'sequential 128 KiB reads, 16 in flight'
 * ```
 */
export function workloadLabel(w: FileWorkload): string {
  const what = {
    randread: 'random',
    seqread: 'sequential',
    randwrite: 'random',
    'randwrite-sync': 'random',
  }[w.kind];
  const op = w.kind.endsWith('read') ? 'reads' : 'writes';
  const sync = w.kind === 'randwrite-sync' ? ', each followed by fdatasync' : '';
  return `${what} ${SIZE(w.block)} ${op}${sync}, ${w.depth} in flight`;
}

/**
 * The file positions a workload's operations go to: uniformly random
 * blocks (xorshift32, the same sequence every run) or the next block in
 * order. Allocates nothing per call.
 */
export class BlockPicker {
  #state = 0x9e3779b9 | 0; // an int32 throughout (see next())
  #next = 0;
  readonly #blocks: number;
  readonly #block: number;
  readonly #sequential: boolean;

  constructor(w: FileWorkload, fileSize: number) {
    this.#block = w.block;
    this.#blocks = Math.max(1, Math.floor(fileSize / w.block));
    this.#sequential = w.kind === 'seqread';
  }

  /** The position of the next operation. */
  next(): number {
    if (this.#sequential) {
      const at = this.#next;
      this.#next = (at + 1) % this.#blocks;
      return at * this.#block;
    }
    let x = this.#state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#state = x;
    // 31 bits, an int32: V8 then divides as an integer. The state as an
    // unsigned 32-bit value is a double to V8, and a double's `%` is the
    // x87 fprem, which took a fifth of the time of the evring row's
    // completion handler (the bench's own cost, not the library's).
    return ((x & 0x7fffffff) % this.#blocks) * this.#block;
  }
}

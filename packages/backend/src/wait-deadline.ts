/**
 * When a backend's wait ends, for resuming it after a signal (EINTR) or a
 * wake-up that brought nothing for the owner. Kept in a typed array, read
 * with sys's allocation-free clock: a deadline computed from
 * `performance.now()` is a new heap number on every blocking poll, which is
 * every event at low activity.
 *
 * @module
 */

import { monotonicMs } from '@evring/sys';

/**
 * One wait's deadline on `CLOCK_MONOTONIC`. {@link start} reads the clock
 * only for a bounded, non-zero wait; {@link left} reads it again, and is
 * only needed once a wait ended early.
 *
 * @example
 * ```ts
 * import { WaitDeadline } from '@evring/backend';
 * declare function waitInKernel(ms: number): number; // -4 (-EINTR) when a signal cut it short
 * const deadline = new WaitDeadline();
 * const timeoutMs = 250;
 * deadline.start(timeoutMs);
 * for (let ms = timeoutMs; waitInKernel(ms) === -4; ) {
 *   ms = deadline.left();
 *   if (ms <= 0) break;
 * }
 * ```
 */
export class WaitDeadline {
  /** The deadline (ms; +∞: none; 0: never blocks), in a typed array so that storing it allocates nothing. */
  readonly #end = new Float64Array(1);

  /** A wait of `timeoutMs` starts now (< 0: no limit; 0: never blocks). */
  start(timeoutMs: number): void {
    this.#end[0] =
      timeoutMs > 0 ? monotonicMs() + timeoutMs : timeoutMs < 0 ? Number.POSITIVE_INFINITY : 0;
  }

  /** Milliseconds until the deadline (≤ 0: passed; +∞: no limit). */
  left(): number {
    const end = this.#end[0]!;
    if (end === Number.POSITIVE_INFINITY || end === 0) return end;
    return end - monotonicMs();
  }
}

/**
 * The monotonic clock, read without allocating. `performance.now()` and
 * `Date.now()` each leave a number on the heap per call; a loop that reads
 * the clock on every iteration turns that into a scavenge every few hundred
 * thousand events. {@link clockMonotonic} writes the reading into an array
 * the caller keeps, and returns nothing.
 *
 * @module
 */

import { native } from './load.js';

/**
 * Writes `CLOCK_MONOTONIC` in milliseconds (nanosecond resolution; counted
 * from boot, where `performance.now()` counts from the process start) into
 * `out[0]`. Allocates nothing; read `out[0]` in the same function to keep
 * it that way (a number returned from a call that is not inlined is
 * allocated again). Not a Float64Array, or an empty or detached one:
 * TypeError/RangeError.
 *
 * @example
 * ```ts
 * import { clockMonotonic } from '@evring/sys';
 * const clock = new Float64Array(1);
 * clockMonotonic(clock);
 * const from = clock[0]!;
 * // ... work ...
 * clockMonotonic(clock);
 * const elapsedMs = clock[0]! - from;
 * ```
 */
export const clockMonotonic: (out: Float64Array) => void = native.clockMonotonic;

/**
 * sys's own cell for the reading {@link monotonicMs} returns: eight bytes
 * of native memory, written by a call that takes no arguments and makes no
 * value. Decoding `out` cost clockMonotonic most of its time (V8 tells a
 * typed array's element type one kind at a time); a loop reads the clock on
 * every iteration. Private to this module.
 */
const cell: Float64Array = native.clockCell();
const tick: () => void = native.clockTick;

/**
 * `CLOCK_MONOTONIC` in milliseconds, as {@link clockMonotonic} writes it:
 * allocation-free where the engine inlines it, which a small hot caller
 * gets.
 *
 * @example
 * ```ts
 * import { monotonicMs } from '@evring/sys';
 * const from = monotonicMs();
 * // ... work ...
 * const elapsedMs = monotonicMs() - from;
 * ```
 */
export function monotonicMs(): number {
  tick();
  return cell[0]!;
}

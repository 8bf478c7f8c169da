/**
 * Per-thread counts of the syscalls made through @evring/sys, for
 * benchmarks: how many `io_uring_enter`, `epoll_wait`, `read`, ... a piece of
 * work cost. `sqe_rejected` counts SQEs sys refused (see {@link IoUring}).
 *
 * @module
 */

import { native } from './load.js';

/**
 * The counter names, in the order {@link syscallCountsInto} fills them.
 *
 * @example
 * ```ts
 * import { syscallCountNames } from '@evring/sys';
 * syscallCountNames.includes('io_uring_enter'); // true
 * ```
 */
export const syscallCountNames: readonly string[] = Object.freeze(native.syscallCountNames());

/**
 * Copies the counters into `out` (no allocation); returns how many were copied.
 *
 * @example
 * ```ts
 * import { resetSyscallCounts, syscallCountNames, syscallCountsInto, eventfd, close } from '@evring/sys';
 * const counts = new Float64Array(syscallCountNames.length); // allocated once
 * resetSyscallCounts();
 * close(eventfd(0, 0));
 * syscallCountsInto(counts);
 * counts[syscallCountNames.indexOf('close')]; // 1
 * ```
 */
export const syscallCountsInto: (out: Float64Array) => number = native.syscallCounts;

/**
 * Zeroes this thread's counters.
 *
 * @example
 * ```ts
 * import { resetSyscallCounts, syscallCounts } from '@evring/sys';
 * resetSyscallCounts();
 * syscallCounts().epoll_wait; // 0
 * ```
 */
export const resetSyscallCounts: () => void = native.resetSyscallCounts;

/**
 * The counters as an object (allocates: call it outside timed loops).
 *
 * @example
 * ```ts
 * import { resetSyscallCounts, syscallCounts, eventfd, close } from '@evring/sys';
 * resetSyscallCounts();
 * close(eventfd(0, 0));
 * syscallCounts().close; // 1
 * ```
 */
export function syscallCounts(): Record<string, number> {
  const values = new Float64Array(syscallCountNames.length);
  native.syscallCounts(values);
  const out: Record<string, number> = {};
  syscallCountNames.forEach((name, i) => {
    out[name] = values[i]!;
  });
  return out;
}

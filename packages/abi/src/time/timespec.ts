/**
 * `struct __kernel_timespec` (16 bytes: s64 seconds, s64 nanoseconds), used
 * by io_uring timeouts and EXT_ARG waits, and `struct __kernel_itimerspec`
 * (two of them: interval, then value), used by timerfd_settime. On x86_64 and
 * aarch64 the libc `timespec`/`itimerspec` have the same layout.
 *
 * @module
 */

import { defineStruct } from '../layout.js';
import { getS64, setU64 } from '../u64.js';

/**
 * Layout of `struct __kernel_timespec`.
 *
 * @example
 * ```ts
 * import { __kernel_timespec } from '@evring/abi';
 * __kernel_timespec.size;                 // 16: s64 seconds, s64 nanoseconds
 * __kernel_timespec.fields.tv_nsec.offset; // 8
 * ```
 */
export const __kernel_timespec = defineStruct('__kernel_timespec', 16, {
  tv_sec: [0, 8],
  tv_nsec: [8, 8],
});

/**
 * Layout of `struct __kernel_itimerspec` (== `struct itimerspec` here).
 *
 * @example
 * ```ts
 * import { itimerspec } from '@evring/abi';
 * itimerspec.size;                      // 32
 * itimerspec.fields.it_value.offset;    // 16
 * ```
 */
export const itimerspec = defineStruct('itimerspec', 32, {
  it_interval: [0, 16],
  it_value: [16, 16],
});

const NS_PER_SEC = 1_000_000_000;

/**
 * Writes seconds and nanoseconds (0 <= nsec < 1e9).
 *
 * @example
 * ```ts
 * import { __kernel_timespec, readTimespec, writeTimespec } from '@evring/abi';
 * const ts = new DataView(new ArrayBuffer(__kernel_timespec.size));
 * writeTimespec(ts, 0, 1, 500_000_000);
 * readTimespec(ts, 0); // { sec: 1, nsec: 500000000 }
 * ```
 */
export function writeTimespec(view: DataView, base: number, sec: number, nsec: number): void {
  setU64(view, base, sec);
  setU64(view, base + 8, nsec);
}

/**
 * Writes a duration in milliseconds (fractional allowed; negative clamps to 0)
 * without allocating: the EXT_ARG / TIMEOUT hot path.
 *
 * @example
 * ```ts
 * import { __kernel_timespec, readTimespec, writeTimespecMs } from '@evring/abi';
 * const ts = new DataView(new ArrayBuffer(__kernel_timespec.size));
 * writeTimespecMs(ts, 0, 1500.25);
 * readTimespec(ts, 0); // { sec: 1, nsec: 500250000 }
 * ```
 */
export function writeTimespecMs(view: DataView, base: number, ms: number): void {
  const clamped = Math.max(ms, 0);
  const sec = Math.floor(clamped / 1000);
  const nsec = Math.round((clamped - sec * 1000) * 1_000_000);
  if (nsec >= NS_PER_SEC) writeTimespec(view, base, sec + 1, nsec - NS_PER_SEC);
  else writeTimespec(view, base, sec, nsec);
}

/**
 * A decoded timespec.
 *
 * @example
 * ```ts
 * import { type Timespec } from '@evring/abi';
 * const halfSecond: Timespec = { sec: 0, nsec: 500_000_000 };
 * ```
 */
export interface Timespec {
  sec: number;
  nsec: number;
}

/**
 * Reads a timespec.
 *
 * @example
 * ```ts
 * import { __kernel_timespec, readTimespec, writeTimespec } from '@evring/abi';
 * const ts = new DataView(new ArrayBuffer(__kernel_timespec.size));
 * writeTimespec(ts, 0, 2, 0);
 * readTimespec(ts, 0).sec; // 2
 * ```
 */
export function readTimespec(view: DataView, base: number): Timespec {
  return { sec: getS64(view, base), nsec: getS64(view, base + 8) };
}

/**
 * A decoded itimerspec: the period, then the first expiry (0/0 disarms).
 *
 * @example
 * ```ts
 * import { type Itimerspec } from '@evring/abi';
 * const every100ms: Itimerspec = { interval: { sec: 0, nsec: 1e8 }, value: { sec: 0, nsec: 1e8 } };
 * ```
 */
export interface Itimerspec {
  interval: Timespec;
  value: Timespec;
}

/**
 * Writes an itimerspec (interval at 0, value at 16).
 *
 * @example
 * ```ts
 * import { itimerspec, readItimerspec, writeItimerspec } from '@evring/abi';
 * const spec = new DataView(new ArrayBuffer(itimerspec.size)); // for timerfdSettime in @evring/sys
 * writeItimerspec(spec, 0, { interval: { sec: 0, nsec: 0 }, value: { sec: 0, nsec: 1e6 } }); // once, in 1 ms
 * readItimerspec(spec, 0).value.nsec; // 1000000
 * ```
 */
export function writeItimerspec(view: DataView, base: number, spec: Itimerspec): void {
  writeTimespec(view, base, spec.interval.sec, spec.interval.nsec);
  writeTimespec(view, base + 16, spec.value.sec, spec.value.nsec);
}

/**
 * Reads an itimerspec.
 *
 * @example
 * ```ts
 * import { itimerspec, readItimerspec } from '@evring/abi';
 * const out = new DataView(new ArrayBuffer(itimerspec.size)); // what timerfdGettime fills in
 * readItimerspec(out, 0).value.sec; // 0: all zero, a disarmed timer
 * ```
 */
export function readItimerspec(view: DataView, base: number): Itimerspec {
  return { interval: readTimespec(view, base), value: readTimespec(view, base + 16) };
}

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

/** Layout of `struct __kernel_timespec`. */
export const __kernel_timespec = defineStruct('__kernel_timespec', 16, {
  tv_sec: [0, 8],
  tv_nsec: [8, 8],
});

/** Layout of `struct __kernel_itimerspec` (== `struct itimerspec` here). */
export const itimerspec = defineStruct('itimerspec', 32, {
  it_interval: [0, 16],
  it_value: [16, 16],
});

const NS_PER_SEC = 1_000_000_000;

/** Writes seconds and nanoseconds (0 <= nsec < 1e9). */
export function writeTimespec(view: DataView, base: number, sec: number, nsec: number): void {
  setU64(view, base, sec);
  setU64(view, base + 8, nsec);
}

/**
 * Writes a duration in milliseconds (fractional allowed; negative clamps to 0)
 * without allocating: the EXT_ARG / TIMEOUT hot path.
 */
export function writeTimespecMs(view: DataView, base: number, ms: number): void {
  const clamped = Math.max(ms, 0);
  const sec = Math.floor(clamped / 1000);
  const nsec = Math.round((clamped - sec * 1000) * 1_000_000);
  if (nsec >= NS_PER_SEC) writeTimespec(view, base, sec + 1, nsec - NS_PER_SEC);
  else writeTimespec(view, base, sec, nsec);
}

/** A decoded timespec. */
export interface Timespec {
  sec: number;
  nsec: number;
}

/** Reads a timespec. */
export function readTimespec(view: DataView, base: number): Timespec {
  return { sec: getS64(view, base), nsec: getS64(view, base + 8) };
}

/** A decoded itimerspec: the period, then the first expiry (0/0 disarms). */
export interface Itimerspec {
  interval: Timespec;
  value: Timespec;
}

/** Writes an itimerspec (interval at 0, value at 16). */
export function writeItimerspec(view: DataView, base: number, spec: Itimerspec): void {
  writeTimespec(view, base, spec.interval.sec, spec.interval.nsec);
  writeTimespec(view, base + 16, spec.value.sec, spec.value.nsec);
}

/** Reads an itimerspec. */
export function readItimerspec(view: DataView, base: number): Itimerspec {
  return { interval: readTimespec(view, base), value: readTimespec(view, base + 16) };
}

/**
 * `struct io_uring_getevents_arg` (24 bytes): io_uring_enter's last argument
 * with IORING_ENTER_EXT_ARG (linux 5.11). `ts` is the user address of a
 * `__kernel_timespec` (0: wait without timeout); `min_wait_usec` (linux 6.12,
 * IORING_FEAT_MIN_TIMEOUT) aliases the older `pad`.
 *
 * @module
 */

import { LE } from '../arch.js';
import { defineStruct } from '../layout.js';
import { getU64, setU64 } from '../u64.js';

/**
 * Layout of `struct io_uring_getevents_arg`.
 *
 * @example
 * ```ts
 * import { io_uring_getevents_arg } from '@evring/abi';
 * io_uring_getevents_arg.size;             // 24
 * io_uring_getevents_arg.fields.ts.offset; // 16
 * ```
 */
export const io_uring_getevents_arg = defineStruct('io_uring_getevents_arg', 24, {
  sigmask: [0, 8],
  sigmask_sz: [8, 4],
  pad: [12, 4],
  min_wait_usec: [12, 4],
  ts: [16, 8],
});

/**
 * Decoded io_uring_getevents_arg; addresses as numbers.
 *
 * @example
 * ```ts
 * import { type GeteventsArg } from '@evring/abi';
 * declare const timespecAddress: number;
 * const arg: GeteventsArg = { sigmask: 0, sigmaskSz: 8, minWaitUsec: 0, ts: timespecAddress };
 * ```
 */
export interface GeteventsArg {
  sigmask: number;
  sigmaskSz: number;
  minWaitUsec: number;
  ts: number;
}

const F = io_uring_getevents_arg.fields;

/**
 * Writes all 24 bytes.
 *
 * @example
 * ```ts
 * import { io_uring_getevents_arg, writeGeteventsArg } from '@evring/abi';
 * declare const timespecAddress: number;
 * const arg = new DataView(new ArrayBuffer(io_uring_getevents_arg.size));
 * writeGeteventsArg(arg, 0, { sigmask: 0, sigmaskSz: 8, minWaitUsec: 0, ts: timespecAddress });
 * // io_uring_enter(fd, n, 1, IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG, arg, 24)
 * ```
 */
export function writeGeteventsArg(view: DataView, base: number, arg: GeteventsArg): void {
  setU64(view, base + F.sigmask.offset, arg.sigmask);
  view.setUint32(base + F.sigmask_sz.offset, arg.sigmaskSz, LE);
  view.setUint32(base + F.min_wait_usec.offset, arg.minWaitUsec, LE);
  setU64(view, base + F.ts.offset, arg.ts);
}

/**
 * Reads all fields.
 *
 * @example
 * ```ts
 * import { io_uring_getevents_arg, readGeteventsArg, writeGeteventsArg } from '@evring/abi';
 * const arg = new DataView(new ArrayBuffer(io_uring_getevents_arg.size));
 * writeGeteventsArg(arg, 0, { sigmask: 0, sigmaskSz: 8, minWaitUsec: 50, ts: 0x1000 });
 * readGeteventsArg(arg, 0).minWaitUsec; // 50
 * ```
 */
export function readGeteventsArg(view: DataView, base: number): GeteventsArg {
  return {
    sigmask: getU64(view, base + F.sigmask.offset),
    sigmaskSz: view.getUint32(base + F.sigmask_sz.offset, LE),
    minWaitUsec: view.getUint32(base + F.min_wait_usec.offset, LE),
    ts: getU64(view, base + F.ts.offset),
  };
}

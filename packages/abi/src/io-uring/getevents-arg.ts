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

/** Layout of `struct io_uring_getevents_arg`. */
export const io_uring_getevents_arg = defineStruct('io_uring_getevents_arg', 24, {
  sigmask: [0, 8],
  sigmask_sz: [8, 4],
  pad: [12, 4],
  min_wait_usec: [12, 4],
  ts: [16, 8],
});

/** Decoded io_uring_getevents_arg; addresses as numbers. */
export interface GeteventsArg {
  sigmask: number;
  sigmaskSz: number;
  minWaitUsec: number;
  ts: number;
}

const F = io_uring_getevents_arg.fields;

/** Writes all 24 bytes. */
export function writeGeteventsArg(view: DataView, base: number, arg: GeteventsArg): void {
  setU64(view, base + F.sigmask.offset, arg.sigmask);
  view.setUint32(base + F.sigmask_sz.offset, arg.sigmaskSz, LE);
  view.setUint32(base + F.min_wait_usec.offset, arg.minWaitUsec, LE);
  setU64(view, base + F.ts.offset, arg.ts);
}

/** Reads all fields. */
export function readGeteventsArg(view: DataView, base: number): GeteventsArg {
  return {
    sigmask: getU64(view, base + F.sigmask.offset),
    sigmaskSz: view.getUint32(base + F.sigmask_sz.offset, LE),
    minWaitUsec: view.getUint32(base + F.min_wait_usec.offset, LE),
    ts: getU64(view, base + F.ts.offset),
  };
}

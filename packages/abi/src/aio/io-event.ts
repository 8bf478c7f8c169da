/**
 * `struct io_event` (32 bytes): one AIO completion, in the kernel's
 * user-space ring or io_getevents' output. `data` is the iocb's `aio_data`,
 * `obj` the iocb's address (evring ignores it), `res` the result (for
 * IOCB_CMD_POLL the ready mask, or -errno).
 *
 * @module
 */

import { LE } from '../arch.js';
import { defineStruct } from '../layout.js';
import { getS64, getU64Hi, getU64Lo } from '../u64.js';

/** Layout of `struct io_event`. */
export const io_event = defineStruct('io_event', 32, {
  data: [0, 8], // the iocb's aio_data
  obj: [8, 8], // the iocb's user address
  res: [16, 8], // result code for this event
  res2: [24, 8], // secondary result
});

const F = io_event.fields;

/** Low 32 bits of `data` (hot path). */
export function ioEventDataLo(view: DataView, base: number): number {
  return getU64Lo(view, base + F.data.offset);
}

/** High 32 bits of `data`. */
export function ioEventDataHi(view: DataView, base: number): number {
  return getU64Hi(view, base + F.data.offset);
}

/** `res` as a number (a poll mask or -errno). */
export function ioEventRes(view: DataView, base: number): number {
  return getS64(view, base + F.res.offset);
}

/** A decoded io_event. */
export interface IoEvent {
  data: bigint;
  obj: bigint;
  res: bigint;
  res2: bigint;
}

/** Decodes the io_event at `base`. */
export function readIoEvent(view: DataView, base: number): IoEvent {
  return {
    data: view.getBigUint64(base + F.data.offset, LE),
    obj: view.getBigUint64(base + F.obj.offset, LE),
    res: view.getBigInt64(base + F.res.offset, LE),
    res2: view.getBigInt64(base + F.res2.offset, LE),
  };
}

/** Encodes an io_event (tests fake completions with it). */
export function writeIoEvent(view: DataView, base: number, ev: IoEvent): void {
  view.setBigUint64(base + F.data.offset, BigInt.asUintN(64, ev.data), LE);
  view.setBigUint64(base + F.obj.offset, BigInt.asUintN(64, ev.obj), LE);
  view.setBigInt64(base + F.res.offset, BigInt.asIntN(64, ev.res), LE);
  view.setBigInt64(base + F.res2.offset, BigInt.asIntN(64, ev.res2), LE);
}

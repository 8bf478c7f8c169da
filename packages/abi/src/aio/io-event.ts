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

/**
 * Layout of `struct io_event`.
 *
 * @example
 * ```ts
 * import { io_event } from '@evring/abi';
 * io_event.size;              // 32
 * io_event.fields.res.offset; // 16
 * ```
 */
export const io_event = defineStruct('io_event', 32, {
  data: [0, 8], // the iocb's aio_data
  obj: [8, 8], // the iocb's user address
  res: [16, 8], // result code for this event
  res2: [24, 8], // secondary result
});

const F = io_event.fields;

/**
 * Index of `data`'s low word (the high one follows), counted in 32-bit words
 * from the io_event's first: how the hot path reads completions from the
 * mapped AIO ring with no DataView (`res` likewise).
 *
 * @example
 * ```ts
 * import { IO_EVENT_DATA_WORD, IO_EVENT_RES_WORD, IO_EVENT_WORDS, writeIoEvent } from '@evring/abi';
 * const events = new Uint32Array(2 * IO_EVENT_WORDS);
 * writeIoEvent(new DataView(events.buffer), 32, { data: (2n << 32n) | 5n, obj: 0n, res: -9n, res2: 0n });
 * const w = 1 * IO_EVENT_WORDS; // the second event
 * events[w + IO_EVENT_DATA_WORD];     // 5
 * events[w + IO_EVENT_DATA_WORD + 1]; // 2
 * events[w + IO_EVENT_RES_WORD]! | 0; // -9: a poll mask or -errno fits the low word
 * ```
 */
export const IO_EVENT_DATA_WORD = F.data.offset >>> 2;
/** Index of `res`'s low word in 32-bit words from the io_event's first. */
export const IO_EVENT_RES_WORD = F.res.offset >>> 2;
/** Words in one io_event (32 bytes). */
export const IO_EVENT_WORDS = io_event.size >>> 2;

/**
 * Low 32 bits of `data` (hot path).
 *
 * @example
 * ```ts
 * import { io_event, ioEventDataLo, writeIoEvent } from '@evring/abi';
 * const ev = new DataView(new ArrayBuffer(io_event.size));
 * writeIoEvent(ev, 0, { data: (2n << 32n) | 5n, obj: 0n, res: 1n, res2: 0n });
 * ioEventDataLo(ev, 0); // 5
 * ```
 */
export function ioEventDataLo(view: DataView, base: number): number {
  return getU64Lo(view, base + F.data.offset);
}

/**
 * High 32 bits of `data`.
 *
 * @example
 * ```ts
 * import { io_event, ioEventDataHi, writeIoEvent } from '@evring/abi';
 * const ev = new DataView(new ArrayBuffer(io_event.size));
 * writeIoEvent(ev, 0, { data: (2n << 32n) | 5n, obj: 0n, res: 1n, res2: 0n });
 * ioEventDataHi(ev, 0); // 2
 * ```
 */
export function ioEventDataHi(view: DataView, base: number): number {
  return getU64Hi(view, base + F.data.offset);
}

/**
 * `res` as a number (a poll mask or -errno).
 *
 * @example
 * ```ts
 * import { io_event, ioEventRes, writeIoEvent } from '@evring/abi';
 * const ev = new DataView(new ArrayBuffer(io_event.size));
 * writeIoEvent(ev, 0, { data: 5n, obj: 0n, res: -9n, res2: 0n });
 * ioEventRes(ev, 0); // -9: EBADF
 * ```
 */
export function ioEventRes(view: DataView, base: number): number {
  return getS64(view, base + F.res.offset);
}

/**
 * A decoded io_event.
 *
 * @example
 * ```ts
 * import { type IoEvent, io_event, readIoEvent } from '@evring/abi';
 * const ev = new DataView(new ArrayBuffer(io_event.size));
 * const { data, res }: IoEvent = readIoEvent(ev, 0);
 * ```
 */
export interface IoEvent {
  data: bigint;
  obj: bigint;
  res: bigint;
  res2: bigint;
}

/**
 * Decodes the io_event at `base`.
 *
 * @example
 * ```ts
 * import { io_event, readIoEvent, writeIoEvent } from '@evring/abi';
 * const ev = new DataView(new ArrayBuffer(io_event.size));
 * writeIoEvent(ev, 0, { data: 5n, obj: 0n, res: 1n, res2: 0n });
 * readIoEvent(ev, 0).res; // 1n
 * ```
 */
export function readIoEvent(view: DataView, base: number): IoEvent {
  return {
    data: view.getBigUint64(base + F.data.offset, LE),
    obj: view.getBigUint64(base + F.obj.offset, LE),
    res: view.getBigInt64(base + F.res.offset, LE),
    res2: view.getBigInt64(base + F.res2.offset, LE),
  };
}

/**
 * Encodes an io_event (tests fake completions with it).
 *
 * @example
 * ```ts
 * import { POLLIN, io_event, ioEventRes, writeIoEvent } from '@evring/abi';
 * const ev = new DataView(new ArrayBuffer(io_event.size));
 * writeIoEvent(ev, 0, { data: 5n, obj: 0n, res: BigInt(POLLIN), res2: 0n }); // a fake completion
 * ioEventRes(ev, 0); // 1
 * ```
 */
export function writeIoEvent(view: DataView, base: number, ev: IoEvent): void {
  view.setBigUint64(base + F.data.offset, BigInt.asUintN(64, ev.data), LE);
  view.setBigUint64(base + F.obj.offset, BigInt.asUintN(64, ev.obj), LE);
  view.setBigInt64(base + F.res.offset, BigInt.asIntN(64, ev.res), LE);
  view.setBigInt64(base + F.res2.offset, BigInt.asIntN(64, ev.res2), LE);
}

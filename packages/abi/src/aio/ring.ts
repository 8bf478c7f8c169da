/**
 * The header of the kernel's user-space AIO completion ring (`struct aio_ring`
 * in fs/aio.c; not in the UAPI headers). io_setup maps it at the address it
 * returns as the context id; `io_event`s follow the 32-byte header. The
 * kernel advances `tail`; user space may consume by advancing `head` when
 * `magic`, `incompat_features` and `header_length` say the format is the one
 * described here (libev reads it the same way; otherwise use io_getevents).
 *
 * @module
 */

import { LE } from '../arch.js';
import { defineStruct } from '../layout.js';
import { AIO_RING_INCOMPAT_FEATURES, AIO_RING_MAGIC } from './constants.js';

/**
 * Layout of the aio_ring header.
 *
 * @example
 * ```ts
 * import { aio_ring, io_event } from '@evring/abi';
 * aio_ring.size;                // 32: the io_events follow
 * const eventAt = (i: number) => aio_ring.size + i * io_event.size;
 * ```
 */
export const aio_ring = defineStruct('aio_ring', 32, {
  id: [0, 4], // kernel internal index number
  nr: [4, 4], // number of io_events
  head: [8, 4], // consumer index, written by user space
  tail: [12, 4], // producer index, written by the kernel
  magic: [16, 4], // AIO_RING_MAGIC
  compat_features: [20, 4],
  incompat_features: [24, 4],
  header_length: [28, 4], // size of this header
});

/**
 * Decoded aio_ring header.
 *
 * @example
 * ```ts
 * import { AIO_RING_MAGIC, type AioRingHeader, aio_ring, readAioRingHeader, writeAioRingHeader } from '@evring/abi';
 * const ring = new DataView(new ArrayBuffer(aio_ring.size)); // an AioContext's ring in @evring/sys
 * writeAioRingHeader(ring, 0, { id: 0, nr: 64, head: 0, tail: 3, magic: AIO_RING_MAGIC,
 *   compatFeatures: 1, incompatFeatures: 0, headerLength: aio_ring.size });
 * const header: AioRingHeader = readAioRingHeader(ring, 0);
 * header.tail - header.head; // 3: completions waiting
 * ```
 */
export interface AioRingHeader {
  id: number;
  nr: number;
  head: number;
  tail: number;
  magic: number;
  compatFeatures: number;
  incompatFeatures: number;
  headerLength: number;
}

const F = aio_ring.fields;

/**
 * Decodes the header (plain reads: use Atomics on a Uint32Array for head/tail on the hot path).
 *
 * @example
 * ```ts
 * import { AIO_RING_MAGIC, aio_ring, aioRingInvalidReason } from '@evring/abi';
 * const header = { id: 0, nr: 64, head: 0, tail: 0, magic: AIO_RING_MAGIC,
 *   compatFeatures: 1, incompatFeatures: 0, headerLength: aio_ring.size };
 * aioRingInvalidReason(header); // undefined: user space may read this ring
 * aioRingInvalidReason({ ...header, magic: 0 }) !== undefined; // true: io_getevents only
 * ```
 */
export function readAioRingHeader(view: DataView, base: number): AioRingHeader {
  const u32 = (f: { offset: number }) => view.getUint32(base + f.offset, LE);
  return {
    id: u32(F.id),
    nr: u32(F.nr),
    head: u32(F.head),
    tail: u32(F.tail),
    magic: u32(F.magic),
    compatFeatures: u32(F.compat_features),
    incompatFeatures: u32(F.incompat_features),
    headerLength: u32(F.header_length),
  };
}

/**
 * Encodes a header (tests build fake rings with it).
 *
 * @example
 * ```ts
 * import { AIO_RING_MAGIC, aio_ring, readAioRingHeader, writeAioRingHeader } from '@evring/abi';
 * const ring = new DataView(new ArrayBuffer(aio_ring.size));
 * writeAioRingHeader(ring, 0, { id: 0, nr: 4, head: 0, tail: 1, magic: AIO_RING_MAGIC,
 *   compatFeatures: 1, incompatFeatures: 0, headerLength: aio_ring.size }); // a fake ring for a test
 * readAioRingHeader(ring, 0).tail; // 1
 * ```
 */
export function writeAioRingHeader(view: DataView, base: number, h: AioRingHeader): void {
  view.setUint32(base + F.id.offset, h.id, LE);
  view.setUint32(base + F.nr.offset, h.nr, LE);
  view.setUint32(base + F.head.offset, h.head, LE);
  view.setUint32(base + F.tail.offset, h.tail, LE);
  view.setUint32(base + F.magic.offset, h.magic >>> 0, LE);
  view.setUint32(base + F.compat_features.offset, h.compatFeatures, LE);
  view.setUint32(base + F.incompat_features.offset, h.incompatFeatures, LE);
  view.setUint32(base + F.header_length.offset, h.headerLength, LE);
}

/**
 * Why a ring header cannot be read from user space, or undefined when it can.
 * The reasons name the field, so a backend can log why it fell back to
 * io_getevents.
 *
 * @example
 * ```ts
 * import { AIO_RING_MAGIC, aio_ring, aioRingInvalidReason } from '@evring/abi';
 * aioRingInvalidReason({ id: 0, nr: 4, head: 0, tail: 0, magic: 0, compatFeatures: 1,
 *   incompatFeatures: 0, headerLength: aio_ring.size }); // 'magic is 0x0, not 0xa10a10a1'
 * ```
 */
export function aioRingInvalidReason(h: AioRingHeader): string | undefined {
  if (h.magic >>> 0 !== AIO_RING_MAGIC)
    return `magic is 0x${(h.magic >>> 0).toString(16)}, not 0xa10a10a1`;
  if (h.incompatFeatures !== AIO_RING_INCOMPAT_FEATURES) {
    return `incompat_features is ${h.incompatFeatures}, not ${AIO_RING_INCOMPAT_FEATURES}`;
  }
  if (h.headerLength !== aio_ring.size)
    return `header_length is ${h.headerLength}, not ${aio_ring.size}`;
  if (h.nr === 0) return 'nr is 0';
  return undefined;
}

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

/** Layout of the aio_ring header. */
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

/** Decoded aio_ring header. */
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

/** Decodes the header (plain reads: use Atomics on a Uint32Array for head/tail on the hot path). */
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

/** Encodes a header (tests build fake rings with it). */
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

/**
 * `struct iocb` (64 bytes, `linux/aio_abi.h`). On little-endian archs
 * `aio_key` comes before `aio_rw_flags` (the `PADDED()` macro swaps them on
 * big-endian, which evring does not support). For IOCB_CMD_POLL the kernel
 * rejects non-zero `aio_offset`, `aio_nbytes`, `aio_rw_flags`,
 * `aio_reserved2`, and masks wider than 16 bits in `aio_buf`; it writes
 * `aio_key` back at submission. {@link prepIocbPoll} sets every field.
 *
 * @module
 */

import { LE } from '../arch.js';
import { defineStruct } from '../layout.js';
import { getU64, setU64 } from '../u64.js';
import * as C from './constants.js';

/**
 * Layout of `struct iocb`.
 *
 * @example
 * ```ts
 * import { iocb } from '@evring/abi';
 * iocb.size;                     // 64
 * iocb.fields.aio_fildes.offset; // 20
 * ```
 */
export const iocb = defineStruct('iocb', 64, {
  aio_data: [0, 8], // returned in io_event.data
  aio_key: [8, 4], // written by the kernel
  aio_rw_flags: [12, 4], // RWF_* flags
  aio_lio_opcode: [16, 2], // IOCB_CMD_*
  aio_reqprio: [18, 2],
  aio_fildes: [20, 4],
  aio_buf: [24, 8], // IOCB_CMD_POLL: the poll mask
  aio_nbytes: [32, 8],
  aio_offset: [40, 8],
  aio_reserved2: [48, 8],
  aio_flags: [56, 4], // IOCB_FLAG_*
  aio_resfd: [60, 4], // eventfd signalled when IOCB_FLAG_RESFD is set
});

const F = iocb.fields;

// ------------------------------------------------------------ the reference

/**
 * Every field of an iocb, by name.
 *
 * @example
 * ```ts
 * import { IOCB_CMD_POLL, type Iocb, POLLIN } from '@evring/abi';
 * const poll: Partial<Iocb> = { opcode: IOCB_CMD_POLL, fildes: 5, buf: POLLIN, data: 7n };
 * ```
 */
export interface Iocb {
  data: bigint;
  key: number;
  rwFlags: number;
  opcode: number;
  reqprio: number;
  fildes: number;
  buf: number;
  nbytes: number;
  offset: number;
  reserved2: number;
  flags: number;
  resfd: number;
}

/**
 * Writes all 64 bytes of an iocb from its fields (absent ones are 0), each at
 * its offset in {@link iocb}: the reference the writers are tested against.
 *
 * @example
 * ```ts
 * import { IOCB_CMD_FSYNC, decodeIocb, encodeIocb } from '@evring/abi';
 * const view = new DataView(new ArrayBuffer(64));
 * encodeIocb(view, 0, { opcode: IOCB_CMD_FSYNC, fildes: 5, data: 1n });
 * decodeIocb(view, 0).fildes; // 5
 * ```
 */
export function encodeIocb(view: DataView, base: number, cb: Partial<Iocb>): void {
  view.setBigUint64(base + F.aio_data.offset, BigInt.asUintN(64, cb.data ?? 0n), LE);
  view.setUint32(base + F.aio_key.offset, cb.key ?? 0, LE);
  view.setUint32(base + F.aio_rw_flags.offset, cb.rwFlags ?? 0, LE);
  view.setUint16(base + F.aio_lio_opcode.offset, cb.opcode ?? 0, LE);
  view.setInt16(base + F.aio_reqprio.offset, cb.reqprio ?? 0, LE);
  view.setUint32(base + F.aio_fildes.offset, cb.fildes ?? 0, LE);
  setU64(view, base + F.aio_buf.offset, cb.buf ?? 0);
  setU64(view, base + F.aio_nbytes.offset, cb.nbytes ?? 0);
  setU64(view, base + F.aio_offset.offset, cb.offset ?? 0);
  setU64(view, base + F.aio_reserved2.offset, cb.reserved2 ?? 0);
  view.setUint32(base + F.aio_flags.offset, cb.flags ?? 0, LE);
  view.setUint32(base + F.aio_resfd.offset, cb.resfd ?? 0, LE);
}

/**
 * Reads every field of the iocb at `base`.
 *
 * @example
 * ```ts
 * import { IOCB_CMD_POLL, POLLIN, decodeIocb, prepIocbPoll } from '@evring/abi';
 * const iocbs = new Uint32Array(16);
 * prepIocbPoll(iocbs, 0, 5, POLLIN);
 * decodeIocb(new DataView(iocbs.buffer), 0).opcode === IOCB_CMD_POLL; // true
 * ```
 */
export function decodeIocb(view: DataView, base: number): Iocb {
  return {
    data: view.getBigUint64(base + F.aio_data.offset, LE),
    key: view.getUint32(base + F.aio_key.offset, LE),
    rwFlags: view.getUint32(base + F.aio_rw_flags.offset, LE),
    opcode: view.getUint16(base + F.aio_lio_opcode.offset, LE),
    reqprio: view.getInt16(base + F.aio_reqprio.offset, LE),
    fildes: view.getUint32(base + F.aio_fildes.offset, LE),
    buf: getU64(view, base + F.aio_buf.offset),
    nbytes: getU64(view, base + F.aio_nbytes.offset),
    offset: getU64(view, base + F.aio_offset.offset),
    reserved2: getU64(view, base + F.aio_reserved2.offset),
    flags: view.getUint32(base + F.aio_flags.offset, LE),
    resfd: view.getUint32(base + F.aio_resfd.offset, LE),
  };
}

// ---------------------------------------------------------------- the writers

const W_DATA = F.aio_data.offset >>> 2;
const W_OPCODE = F.aio_lio_opcode.offset >>> 2; // aio_lio_opcode and aio_reqprio (0) share it
const W_FILDES = F.aio_fildes.offset >>> 2;
const W_BUF = F.aio_buf.offset >>> 2;
const W_NBYTES = F.aio_nbytes.offset >>> 2;
const W_OFFSET = F.aio_offset.offset >>> 2;
const W_FLAGS = F.aio_flags.offset >>> 2;
const W_RESFD = F.aio_resfd.offset >>> 2;
const IOCB_WORDS = iocb.size >>> 2;
const TWO_32 = 4294967296;

/**
 * The primitive under the iocb writers: zeroes the 64-byte iocb at byte
 * offset `at` of `iocbs` (32-bit words, as sys's `AioContext.iocbs`) and
 * sets the opcode, fd, buffer, byte count and offset. `aio_data` is left 0:
 * set it with {@link iocbSetData}.
 *
 * @example
 * ```ts
 * import { IOCB_CMD_PREAD, decodeIocb, prepIocb } from '@evring/abi';
 * declare const bufAddr: number;
 * const iocbs = new Uint32Array(16);
 * prepIocb(iocbs, 0, IOCB_CMD_PREAD, 5, bufAddr, 4096, 0);
 * ```
 */
export function prepIocb(
  iocbs: Uint32Array,
  at: number,
  opcode: number,
  fd: number,
  buf: number,
  nbytes: number,
  offset: number,
): void {
  const i = at >>> 2;
  for (let k = 0; k < IOCB_WORDS; k++) iocbs[i + k] = 0;
  iocbs[i + W_OPCODE] = opcode;
  iocbs[i + W_FILDES] = fd;
  iocbs[i + W_BUF] = buf;
  iocbs[i + W_BUF + 1] = Math.floor(buf / TWO_32);
  iocbs[i + W_NBYTES] = nbytes;
  iocbs[i + W_NBYTES + 1] = Math.floor(nbytes / TWO_32);
  iocbs[i + W_OFFSET] = offset;
  iocbs[i + W_OFFSET + 1] = Math.floor(offset / TWO_32);
}

/**
 * Sets `aio_data` (what the io_event carries back) from two u32 halves.
 *
 * @example
 * ```ts
 * import { POLLIN, decodeIocb, iocbSetData, prepIocbPoll } from '@evring/abi';
 * const iocbs = new Uint32Array(16);
 * prepIocbPoll(iocbs, 0, 5, POLLIN);
 * iocbSetData(iocbs, 0, 5, 2); // fd 5, generation 2
 * decodeIocb(new DataView(iocbs.buffer), 0).data; // 8589934597n
 * ```
 */
export function iocbSetData(iocbs: Uint32Array, at: number, lo: number, hi: number): void {
  const i = (at >>> 2) + W_DATA;
  iocbs[i] = lo;
  iocbs[i + 1] = hi;
}

/**
 * Makes the iocb signal eventfd `resfd` when it completes (IOCB_FLAG_RESFD).
 *
 * @example
 * ```ts
 * import { IOCB_FLAG_RESFD, POLLIN, decodeIocb, iocbSetResfd, prepIocbPoll } from '@evring/abi';
 * const iocbs = new Uint32Array(16);
 * prepIocbPoll(iocbs, 0, 5, POLLIN);
 * iocbSetResfd(iocbs, 0, 9);
 * decodeIocb(new DataView(iocbs.buffer), 0).flags === IOCB_FLAG_RESFD; // true
 * ```
 */
export function iocbSetResfd(iocbs: Uint32Array, at: number, resfd: number): void {
  const i = at >>> 2;
  iocbs[i + W_FLAGS] = iocbs[i + W_FLAGS]! | C.IOCB_FLAG_RESFD;
  iocbs[i + W_RESFD] = resfd;
}

/**
 * IOCB_CMD_POLL (linux 4.18): completes once with the ready poll mask of `fd`.
 *
 * @example
 * ```ts
 * import { POLLIN, decodeIocb, prepIocbPoll } from '@evring/abi';
 * const iocbs = new Uint32Array(16);
 * prepIocbPoll(iocbs, 0, 5, POLLIN);
 * decodeIocb(new DataView(iocbs.buffer), 0).buf === POLLIN; // true: the mask travels in aio_buf
 * ```
 */
export function prepIocbPoll(iocbs: Uint32Array, at: number, fd: number, pollMask: number): void {
  prepIocb(iocbs, at, C.IOCB_CMD_POLL, fd, pollMask & 0xffff, 0, 0);
}

/**
 * IOCB_CMD_PREAD: pread(2) of `nbytes` into `bufAddr` at `offset`.
 *
 * @example
 * ```ts
 * import { prepIocbPread } from '@evring/abi';
 * declare const bufAddr: number; // sys-owned memory the kernel may write
 * const iocbs = new Uint32Array(16);
 * prepIocbPread(iocbs, 0, 5, bufAddr, 4096, 0);
 * ```
 */
export function prepIocbPread(
  iocbs: Uint32Array,
  at: number,
  fd: number,
  bufAddr: number,
  nbytes: number,
  offset: number,
): void {
  prepIocb(iocbs, at, C.IOCB_CMD_PREAD, fd, bufAddr, nbytes, offset);
}

/**
 * IOCB_CMD_PWRITE: pwrite(2) of `nbytes` from `bufAddr` at `offset`.
 *
 * @example
 * ```ts
 * import { prepIocbPwrite } from '@evring/abi';
 * declare const bufAddr: number;
 * const iocbs = new Uint32Array(16);
 * prepIocbPwrite(iocbs, 0, 5, bufAddr, 4096, 8192);
 * ```
 */
export function prepIocbPwrite(
  iocbs: Uint32Array,
  at: number,
  fd: number,
  bufAddr: number,
  nbytes: number,
  offset: number,
): void {
  prepIocb(iocbs, at, C.IOCB_CMD_PWRITE, fd, bufAddr, nbytes, offset);
}

/**
 * IOCB_CMD_PREADV / IOCB_CMD_PWRITEV: the `iovcnt` iovecs at `iovecAddr`.
 *
 * @example
 * ```ts
 * import { prepIocbPreadv } from '@evring/abi';
 * declare const iovecAddr: number;
 * const iocbs = new Uint32Array(16);
 * prepIocbPreadv(iocbs, 0, 5, iovecAddr, 2, 0);
 * ```
 */
export function prepIocbPreadv(
  iocbs: Uint32Array,
  at: number,
  fd: number,
  iovecAddr: number,
  iovcnt: number,
  offset: number,
): void {
  prepIocb(iocbs, at, C.IOCB_CMD_PREADV, fd, iovecAddr, iovcnt, offset);
}

/**
 * IOCB_CMD_PWRITEV: pwritev(2) from the `iovcnt` iovecs at `iovecAddr`.
 *
 * @example
 * ```ts
 * import { prepIocbPwritev } from '@evring/abi';
 * declare const iovecAddr: number;
 * const iocbs = new Uint32Array(16);
 * prepIocbPwritev(iocbs, 0, 5, iovecAddr, 3, 4096);
 * ```
 */
export function prepIocbPwritev(
  iocbs: Uint32Array,
  at: number,
  fd: number,
  iovecAddr: number,
  iovcnt: number,
  offset: number,
): void {
  prepIocb(iocbs, at, C.IOCB_CMD_PWRITEV, fd, iovecAddr, iovcnt, offset);
}

/**
 * IOCB_CMD_FSYNC, or IOCB_CMD_FDSYNC with `datasync` (linux 4.18).
 *
 * @example
 * ```ts
 * import { IOCB_CMD_FDSYNC, decodeIocb, prepIocbFsync } from '@evring/abi';
 * const iocbs = new Uint32Array(16);
 * prepIocbFsync(iocbs, 0, 5, { datasync: true });
 * decodeIocb(new DataView(iocbs.buffer), 0).opcode === IOCB_CMD_FDSYNC; // true
 * ```
 */
export function prepIocbFsync(
  iocbs: Uint32Array,
  at: number,
  fd: number,
  options?: { datasync?: boolean },
): void {
  prepIocb(iocbs, at, options?.datasync ? C.IOCB_CMD_FDSYNC : C.IOCB_CMD_FSYNC, fd, 0, 0, 0);
}

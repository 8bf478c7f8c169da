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
import { getU64, setU64, setU64Parts } from '../u64.js';
import { IOCB_CMD_POLL, IOCB_FLAG_RESFD } from './constants.js';

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

/**
 * Writes all 64 bytes of an IOCB_CMD_POLL iocb. `aio_data` is two u32 halves
 * (evring: fd and generation); `resfd` >= 0 sets IOCB_FLAG_RESFD so that the
 * completion also signals that eventfd.
 *
 * @example
 * ```ts
 * import { POLLIN, iocb, prepIocbPoll } from '@evring/abi';
 * import { AioContext, close, pipe2 } from '@evring/sys';
 * const aio = AioContext.setup(8, 8);
 * const [r, w] = pipe2(0);
 * prepIocbPoll(new DataView(aio.iocbs), 0 * iocb.size, r, POLLIN, r, 0, -1);
 * aio.submit(Uint32Array.of(0), 1); // 1
 * aio.destroy(); close(r); close(w);
 * ```
 */
export function prepIocbPoll(
  view: DataView,
  base: number,
  fd: number,
  pollMask: number,
  dataLo: number,
  dataHi: number,
  resfd: number,
): void {
  setU64Parts(view, base + F.aio_data.offset, dataLo, dataHi);
  view.setUint32(base + F.aio_key.offset, 0, LE);
  view.setUint32(base + F.aio_rw_flags.offset, 0, LE);
  view.setUint16(base + F.aio_lio_opcode.offset, IOCB_CMD_POLL, LE);
  view.setInt16(base + F.aio_reqprio.offset, 0, LE);
  view.setUint32(base + F.aio_fildes.offset, fd, LE);
  setU64(view, base + F.aio_buf.offset, pollMask & 0xffff);
  setU64(view, base + F.aio_nbytes.offset, 0);
  setU64(view, base + F.aio_offset.offset, 0);
  setU64(view, base + F.aio_reserved2.offset, 0);
  view.setUint32(base + F.aio_flags.offset, resfd >= 0 ? IOCB_FLAG_RESFD : 0, LE);
  view.setUint32(base + F.aio_resfd.offset, Math.max(resfd, 0), LE);
}

/**
 * A decoded iocb (numbers; u64 fields exact below 2^53).
 *
 * @example
 * ```ts
 * import { type Iocb, POLLIN, iocb, prepIocbPoll, readIocb } from '@evring/abi';
 * const cb = new DataView(new ArrayBuffer(iocb.size));
 * prepIocbPoll(cb, 0, 5, POLLIN, 5, 0, -1);
 * const decoded: Iocb = readIocb(cb, 0);
 * decoded.buf; // 1: the poll mask travels in aio_buf
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
 * Writes every field of an iocb.
 *
 * @example
 * ```ts
 * import { IOCB_CMD_POLL, POLLIN, iocb, writeIocb } from '@evring/abi';
 * const cb = new DataView(new ArrayBuffer(iocb.size));
 * writeIocb(cb, 0, { data: 5n, key: 0, rwFlags: 0, opcode: IOCB_CMD_POLL, reqprio: 0, fildes: 5,
 *   buf: POLLIN, nbytes: 0, offset: 0, reserved2: 0, flags: 0, resfd: 0 });
 * ```
 */
export function writeIocb(view: DataView, base: number, cb: Iocb): void {
  view.setBigUint64(base + F.aio_data.offset, BigInt.asUintN(64, cb.data), LE);
  view.setUint32(base + F.aio_key.offset, cb.key, LE);
  view.setUint32(base + F.aio_rw_flags.offset, cb.rwFlags, LE);
  view.setUint16(base + F.aio_lio_opcode.offset, cb.opcode, LE);
  view.setInt16(base + F.aio_reqprio.offset, cb.reqprio, LE);
  view.setUint32(base + F.aio_fildes.offset, cb.fildes, LE);
  setU64(view, base + F.aio_buf.offset, cb.buf);
  setU64(view, base + F.aio_nbytes.offset, cb.nbytes);
  setU64(view, base + F.aio_offset.offset, cb.offset);
  setU64(view, base + F.aio_reserved2.offset, cb.reserved2);
  view.setUint32(base + F.aio_flags.offset, cb.flags, LE);
  view.setUint32(base + F.aio_resfd.offset, cb.resfd, LE);
}

/**
 * Reads every field of an iocb.
 *
 * @example
 * ```ts
 * import { POLLIN, iocb, prepIocbPoll, readIocb } from '@evring/abi';
 * const cb = new DataView(new ArrayBuffer(iocb.size));
 * prepIocbPoll(cb, 0, 5, POLLIN, 5, 1, -1);
 * readIocb(cb, 0).data; // 4294967301n: generation 1, fd 5
 * ```
 */
export function readIocb(view: DataView, base: number): Iocb {
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

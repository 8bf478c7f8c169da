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

/** Layout of `struct iocb`. */
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

/** A decoded iocb (numbers; u64 fields exact below 2^53). */
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

/** Writes every field of an iocb. */
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

/** Reads every field of an iocb. */
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

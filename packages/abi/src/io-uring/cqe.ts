/**
 * `struct io_uring_cqe`: 16 bytes (32 with IORING_SETUP_CQE32, the extra 16
 * bytes being `big_cqe[]`). Readers take the CQE's byte offset in the mapped
 * CQ ring: `cq_off.cqes + (head & ring_mask) * cqeSize`.
 *
 * @module
 */

import { LE } from '../arch.js';
import { defineStruct } from '../layout.js';
import { getU64Hi, getU64Lo } from '../u64.js';

/** Layout of `struct io_uring_cqe`. */
export const io_uring_cqe = defineStruct('io_uring_cqe', 16, {
  user_data: [0, 8], // sqe->user_data passed back
  res: [8, 4], // result code for this event (-errno on failure)
  flags: [12, 4], // IORING_CQE_F_*
});

/** Size of one CQE; twice this with IORING_SETUP_CQE32. */
export const IO_URING_CQE_SIZE = io_uring_cqe.size;

const O_USER_DATA = io_uring_cqe.fields.user_data.offset;
const O_RES = io_uring_cqe.fields.res.offset;
const O_FLAGS = io_uring_cqe.fields.flags.offset;

/** Low 32 bits of `user_data` (hot path: no BigInt). */
export function cqeUserDataLo(view: DataView, base: number): number {
  return getU64Lo(view, base + O_USER_DATA);
}

/** High 32 bits of `user_data`. */
export function cqeUserDataHi(view: DataView, base: number): number {
  return getU64Hi(view, base + O_USER_DATA);
}

/** `res`: a result, or -errno. */
export function cqeRes(view: DataView, base: number): number {
  return view.getInt32(base + O_RES, LE);
}

/** `flags`: IORING_CQE_F_*. */
export function cqeFlags(view: DataView, base: number): number {
  return view.getUint32(base + O_FLAGS, LE);
}

/** A decoded CQE (allocates; for tests and tools, not the hot path). */
export interface Cqe {
  userData: bigint;
  res: number;
  flags: number;
}

/** Decodes the CQE at `base`. */
export function readCqe(view: DataView, base: number): Cqe {
  return {
    userData: view.getBigUint64(base + O_USER_DATA, LE),
    res: cqeRes(view, base),
    flags: cqeFlags(view, base),
  };
}

/** Encodes a CQE (the kernel writes these; tests use it to fake completions). */
export function writeCqe(view: DataView, base: number, cqe: Cqe): void {
  view.setBigUint64(base + O_USER_DATA, BigInt.asUintN(64, cqe.userData), LE);
  view.setInt32(base + O_RES, cqe.res, LE);
  view.setUint32(base + O_FLAGS, cqe.flags >>> 0, LE);
}

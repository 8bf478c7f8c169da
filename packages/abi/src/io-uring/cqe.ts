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

/**
 * Layout of `struct io_uring_cqe`.
 *
 * @example
 * ```ts
 * import { io_uring_cqe } from '@evring/abi';
 * io_uring_cqe.size;              // 16
 * io_uring_cqe.fields.res.offset; // 8
 * ```
 */
export const io_uring_cqe = defineStruct('io_uring_cqe', 16, {
  user_data: [0, 8], // sqe->user_data passed back
  res: [8, 4], // result code for this event (-errno on failure)
  flags: [12, 4], // IORING_CQE_F_*
});

/**
 * Size of one CQE; twice this with IORING_SETUP_CQE32.
 *
 * @example
 * ```ts
 * import { IO_URING_CQE_SIZE } from '@evring/abi';
 * // the i-th CQE of a ring whose cqes array starts at cqOff.cqes:
 * const at = (cqesOffset: number, i: number, mask: number) => cqesOffset + (i & mask) * IO_URING_CQE_SIZE;
 * ```
 */
export const IO_URING_CQE_SIZE = io_uring_cqe.size;

const O_USER_DATA = io_uring_cqe.fields.user_data.offset;
const O_RES = io_uring_cqe.fields.res.offset;
const O_FLAGS = io_uring_cqe.fields.flags.offset;

/**
 * Index of `user_data`'s low word (the high one follows), counted in 32-bit
 * words from the CQE's first: how the hot path reads a CQE from a ring's
 * word view with no DataView (`res` and `flags` likewise).
 *
 * @example
 * ```ts
 * import { CQE_FLAGS_WORD, CQE_RES_WORD, CQE_USER_DATA_WORD, writeCqe } from '@evring/abi';
 * const cq = new Uint32Array(4);
 * writeCqe(new DataView(cq.buffer), 0, { userData: (3n << 32n) | 5n, res: -11, flags: 2 });
 * const at = 0; // a CQE's byte offset in the ring, as IoUring.cqeAt gives it
 * const w = at >>> 2;
 * cq[w + CQE_USER_DATA_WORD];     // 5
 * cq[w + CQE_USER_DATA_WORD + 1]; // 3
 * cq[w + CQE_RES_WORD]! | 0;      // -11
 * cq[w + CQE_FLAGS_WORD];         // 2
 * ```
 */
export const CQE_USER_DATA_WORD = O_USER_DATA >>> 2;
/** Index of `res` in 32-bit words from the CQE's first (read it `| 0`: it is signed). */
export const CQE_RES_WORD = O_RES >>> 2;
/** Index of `flags` in 32-bit words from the CQE's first. */
export const CQE_FLAGS_WORD = O_FLAGS >>> 2;

/**
 * Low 32 bits of `user_data` (hot path: no BigInt).
 *
 * @example
 * ```ts
 * import { cqeUserDataHi, cqeUserDataLo, layouts, writeCqe } from '@evring/abi';
 * const cqe = new DataView(new ArrayBuffer(layouts.io_uring_cqe.size));
 * writeCqe(cqe, 0, { userData: (3n << 32n) | 5n, res: 1, flags: 0 });
 * cqeUserDataLo(cqe, 0); // 5
 * cqeUserDataHi(cqe, 0); // 3
 * ```
 */
export function cqeUserDataLo(view: DataView, base: number): number {
  return getU64Lo(view, base + O_USER_DATA);
}

/**
 * High 32 bits of `user_data`.
 *
 * @example
 * ```ts
 * import { cqeUserDataHi, layouts, writeCqe } from '@evring/abi';
 * const cqe = new DataView(new ArrayBuffer(layouts.io_uring_cqe.size));
 * writeCqe(cqe, 0, { userData: (3n << 32n) | 5n, res: 1, flags: 0 });
 * cqeUserDataHi(cqe, 0); // 3
 * ```
 */
export function cqeUserDataHi(view: DataView, base: number): number {
  return getU64Hi(view, base + O_USER_DATA);
}

/**
 * `res`: a result, or -errno.
 *
 * @example
 * ```ts
 * import { cqeRes, errnoName, layouts, writeCqe } from '@evring/abi';
 * const cqe = new DataView(new ArrayBuffer(layouts.io_uring_cqe.size));
 * writeCqe(cqe, 0, { userData: 1n, res: -62, flags: 0 });
 * errnoName(cqeRes(cqe, 0)); // 'ETIME'
 * ```
 */
export function cqeRes(view: DataView, base: number): number {
  return view.getInt32(base + O_RES, LE);
}

/**
 * `flags`: IORING_CQE_F_*.
 *
 * @example
 * ```ts
 * import { IORING_CQE_F_MORE, cqeFlags, layouts, writeCqe } from '@evring/abi';
 * const cqe = new DataView(new ArrayBuffer(layouts.io_uring_cqe.size));
 * writeCqe(cqe, 0, { userData: 1n, res: 1, flags: IORING_CQE_F_MORE });
 * (cqeFlags(cqe, 0) & IORING_CQE_F_MORE) !== 0; // true: the multishot poll is still armed
 * ```
 */
export function cqeFlags(view: DataView, base: number): number {
  return view.getUint32(base + O_FLAGS, LE);
}

/**
 * A decoded CQE (allocates; for tests and tools, not the hot path).
 *
 * @example
 * ```ts
 * import { type Cqe, layouts, readCqe } from '@evring/abi';
 * const cqe = new DataView(new ArrayBuffer(layouts.io_uring_cqe.size));
 * const { userData, res, flags }: Cqe = readCqe(cqe, 0);
 * ```
 */
export interface Cqe {
  userData: bigint;
  res: number;
  flags: number;
}

/**
 * Decodes the CQE at `base`.
 *
 * @example
 * ```ts
 * import { layouts, readCqe, writeCqe } from '@evring/abi';
 * const cqe = new DataView(new ArrayBuffer(layouts.io_uring_cqe.size));
 * writeCqe(cqe, 0, { userData: 7n, res: 1, flags: 0 });
 * readCqe(cqe, 0); // { userData: 7n, res: 1, flags: 0 }
 * ```
 */
export function readCqe(view: DataView, base: number): Cqe {
  return {
    userData: view.getBigUint64(base + O_USER_DATA, LE),
    res: cqeRes(view, base),
    flags: cqeFlags(view, base),
  };
}

/**
 * Encodes a CQE (the kernel writes these; tests use it to fake completions).
 *
 * @example
 * ```ts
 * import { POLLIN, layouts, readCqe, writeCqe } from '@evring/abi';
 * const cqe = new DataView(new ArrayBuffer(layouts.io_uring_cqe.size));
 * writeCqe(cqe, 0, { userData: 7n, res: POLLIN, flags: 0 }); // a fake completion for a test
 * readCqe(cqe, 0).res; // 1
 * ```
 */
export function writeCqe(view: DataView, base: number, cqe: Cqe): void {
  view.setBigUint64(base + O_USER_DATA, BigInt.asUintN(64, cqe.userData), LE);
  view.setInt32(base + O_RES, cqe.res, LE);
  view.setUint32(base + O_FLAGS, cqe.flags >>> 0, LE);
}

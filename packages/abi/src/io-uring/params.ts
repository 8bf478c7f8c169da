/**
 * `struct io_uring_params` (120 bytes), passed to io_uring_setup and filled
 * back by the kernel, with its embedded `io_sqring_offsets` and
 * `io_cqring_offsets` (40 bytes each): where each ring field lives inside the
 * mapped ring regions.
 *
 * @module
 */

import { LE } from '../arch.js';
import { defineStruct } from '../layout.js';
import { getU64, setU64 } from '../u64.js';

/**
 * Layout of `struct io_sqring_offsets`. `user_addr` (linux 6.5, NO_MMAP) aliases `resv2`.
 *
 * @example
 * ```ts
 * import { io_sqring_offsets } from '@evring/abi';
 * io_sqring_offsets.size;               // 40
 * io_sqring_offsets.fields.array.offset; // 24
 * ```
 */
export const io_sqring_offsets = defineStruct('io_sqring_offsets', 40, {
  head: [0, 4],
  tail: [4, 4],
  ring_mask: [8, 4],
  ring_entries: [12, 4],
  flags: [16, 4], // IORING_SQ_* ring flags
  dropped: [20, 4], // invalid SQEs the kernel skipped
  array: [24, 4], // the SQ index array (0 with IORING_SETUP_NO_SQARRAY)
  resv1: [28, 4],
  resv2: [32, 8],
  user_addr: [32, 8],
});

/**
 * Layout of `struct io_cqring_offsets`. `user_addr` (linux 6.5, NO_MMAP) aliases `resv2`.
 *
 * @example
 * ```ts
 * import { io_cqring_offsets } from '@evring/abi';
 * io_cqring_offsets.size;              // 40
 * io_cqring_offsets.fields.cqes.offset; // 20
 * ```
 */
export const io_cqring_offsets = defineStruct('io_cqring_offsets', 40, {
  head: [0, 4],
  tail: [4, 4],
  ring_mask: [8, 4],
  ring_entries: [12, 4],
  overflow: [16, 4], // CQEs lost (only grows without NODROP, or on allocation failure)
  cqes: [20, 4], // the CQE array
  flags: [24, 4], // IORING_CQ_* ring flags
  resv1: [28, 4],
  resv2: [32, 8],
  user_addr: [32, 8],
});

/**
 * Layout of `struct io_uring_params`.
 *
 * @example
 * ```ts
 * import { io_uring_params } from '@evring/abi';
 * io_uring_params.size;                  // 120
 * io_uring_params.fields.features.offset; // 20
 * ```
 */
export const io_uring_params = defineStruct('io_uring_params', 120, {
  sq_entries: [0, 4],
  cq_entries: [4, 4],
  flags: [8, 4], // IORING_SETUP_*
  sq_thread_cpu: [12, 4],
  sq_thread_idle: [16, 4],
  features: [20, 4], // IORING_FEAT_*, filled by the kernel
  wq_fd: [24, 4],
  resv: [28, 12],
  sq_off: [40, 40],
  cq_off: [80, 40],
});

/**
 * Decoded `io_sqring_offsets`.
 *
 * @example
 * ```ts
 * import { type SqringOffsets, io_uring_params, readIoUringParams } from '@evring/abi';
 * declare const filled: DataView; // io_uring_params after io_uring_setup (IoUring.params in @evring/sys)
 * const sq: SqringOffsets = readIoUringParams(filled, 0).sqOff;
 * const tailWord = sq.tail >>> 2; // where the SQ tail sits in the ring's words
 * ```
 */
export interface SqringOffsets {
  head: number;
  tail: number;
  ringMask: number;
  ringEntries: number;
  flags: number;
  dropped: number;
  array: number;
  userAddr: number;
}

/**
 * Decoded `io_cqring_offsets`.
 *
 * @example
 * ```ts
 * import { type CqringOffsets, readIoUringParams } from '@evring/abi';
 * declare const filled: DataView; // io_uring_params after io_uring_setup
 * declare const cqWords: Uint32Array; // the mapped CQ ring
 * const cq: CqringOffsets = readIoUringParams(filled, 0).cqOff;
 * const waiting = Atomics.load(cqWords, cq.tail >>> 2) - Atomics.load(cqWords, cq.head >>> 2);
 * ```
 */
export interface CqringOffsets {
  head: number;
  tail: number;
  ringMask: number;
  ringEntries: number;
  overflow: number;
  cqes: number;
  flags: number;
  userAddr: number;
}

/**
 * Decoded `io_uring_params`.
 *
 * @example
 * ```ts
 * import { IORING_FEAT_NODROP, type IoUringParams, io_uring_params, readIoUringParams, writeIoUringParamsFull } from '@evring/abi';
 * const view = new DataView(new ArrayBuffer(io_uring_params.size));
 * const filled = { ...readIoUringParams(view, 0), sqEntries: 8, cqEntries: 16, features: IORING_FEAT_NODROP };
 * writeIoUringParamsFull(view, 0, filled); // as io_uring_setup(8) fills it in
 * const params: IoUringParams = readIoUringParams(view, 0);
 * params.cqEntries;                             // 16: twice the SQ by default
 * (params.features & IORING_FEAT_NODROP) !== 0; // true
 * ```
 */
export interface IoUringParams {
  sqEntries: number;
  cqEntries: number;
  flags: number;
  sqThreadCpu: number;
  sqThreadIdle: number;
  features: number;
  wqFd: number;
  sqOff: SqringOffsets;
  cqOff: CqringOffsets;
}

/**
 * What the caller sets before io_uring_setup; everything else must be zero.
 *
 * @example
 * ```ts
 * import { IORING_SETUP_CQSIZE, type IoUringParamsInput } from '@evring/abi';
 * const input: IoUringParamsInput = { flags: IORING_SETUP_CQSIZE, cqEntries: 1024 };
 * ```
 */
export interface IoUringParamsInput {
  /** IORING_SETUP_* */
  flags?: number;
  /** with IORING_SETUP_CQSIZE */
  cqEntries?: number;
  sqThreadCpu?: number;
  sqThreadIdle?: number;
  /** with IORING_SETUP_ATTACH_WQ */
  wqFd?: number;
}

const P = io_uring_params.fields;
const SQ = io_sqring_offsets.fields;
const CQ = io_cqring_offsets.fields;

/**
 * Zeroes the 120 bytes at `base` and writes the input fields of io_uring_params.
 *
 * @example
 * ```ts
 * import { IORING_SETUP_CLAMP, io_uring_params, readIoUringParams, writeIoUringParams } from '@evring/abi';
 * const params = new DataView(new ArrayBuffer(io_uring_params.size));
 * writeIoUringParams(params, 0, { flags: IORING_SETUP_CLAMP }); // io_uring_setup fills in the rest
 * readIoUringParams(params, 0).flags === IORING_SETUP_CLAMP; // true
 * ```
 */
export function writeIoUringParams(view: DataView, base: number, input: IoUringParamsInput): void {
  for (let i = 0; i < io_uring_params.size; i += 4) view.setUint32(base + i, 0, LE);
  view.setUint32(base + P.cq_entries.offset, input.cqEntries ?? 0, LE);
  view.setUint32(base + P.flags.offset, (input.flags ?? 0) >>> 0, LE);
  view.setUint32(base + P.sq_thread_cpu.offset, input.sqThreadCpu ?? 0, LE);
  view.setUint32(base + P.sq_thread_idle.offset, input.sqThreadIdle ?? 0, LE);
  view.setUint32(base + P.wq_fd.offset, input.wqFd ?? 0, LE);
}

/**
 * Decodes io_uring_params as the kernel filled it.
 *
 * @example
 * ```ts
 * import { io_uring_params, readIoUringParams, writeIoUringParams } from '@evring/abi';
 * const params = new DataView(new ArrayBuffer(io_uring_params.size));
 * writeIoUringParams(params, 0, { cqEntries: 64 });
 * readIoUringParams(params, 0).cqEntries; // 64
 * readIoUringParams(params, 0).sqOff.tail; // 0: the kernel fills the offsets in
 * ```
 */
export function readIoUringParams(view: DataView, base: number): IoUringParams {
  const sq = base + P.sq_off.offset;
  const cq = base + P.cq_off.offset;
  const u32 = (at: number) => view.getUint32(at, LE);
  return {
    sqEntries: u32(base + P.sq_entries.offset),
    cqEntries: u32(base + P.cq_entries.offset),
    flags: u32(base + P.flags.offset),
    sqThreadCpu: u32(base + P.sq_thread_cpu.offset),
    sqThreadIdle: u32(base + P.sq_thread_idle.offset),
    features: u32(base + P.features.offset),
    wqFd: u32(base + P.wq_fd.offset),
    sqOff: {
      head: u32(sq + SQ.head.offset),
      tail: u32(sq + SQ.tail.offset),
      ringMask: u32(sq + SQ.ring_mask.offset),
      ringEntries: u32(sq + SQ.ring_entries.offset),
      flags: u32(sq + SQ.flags.offset),
      dropped: u32(sq + SQ.dropped.offset),
      array: u32(sq + SQ.array.offset),
      userAddr: getU64(view, sq + SQ.user_addr.offset),
    },
    cqOff: {
      head: u32(cq + CQ.head.offset),
      tail: u32(cq + CQ.tail.offset),
      ringMask: u32(cq + CQ.ring_mask.offset),
      ringEntries: u32(cq + CQ.ring_entries.offset),
      overflow: u32(cq + CQ.overflow.offset),
      cqes: u32(cq + CQ.cqes.offset),
      flags: u32(cq + CQ.flags.offset),
      userAddr: getU64(view, cq + CQ.user_addr.offset),
    },
  };
}

/**
 * Encodes a full io_uring_params (tests; the kernel normally writes the output half).
 *
 * @example
 * ```ts
 * import { io_uring_params, readIoUringParams, writeIoUringParamsFull } from '@evring/abi';
 * const params = new DataView(new ArrayBuffer(io_uring_params.size));
 * const copy = new DataView(new ArrayBuffer(io_uring_params.size));
 * writeIoUringParamsFull(copy, 0, readIoUringParams(params, 0)); // a round trip, for tests
 * ```
 */
export function writeIoUringParamsFull(view: DataView, base: number, p: IoUringParams): void {
  writeIoUringParams(view, base, {
    flags: p.flags,
    cqEntries: p.cqEntries,
    sqThreadCpu: p.sqThreadCpu,
    sqThreadIdle: p.sqThreadIdle,
    wqFd: p.wqFd,
  });
  view.setUint32(base + P.sq_entries.offset, p.sqEntries, LE);
  view.setUint32(base + P.features.offset, p.features >>> 0, LE);
  const sq = base + P.sq_off.offset;
  const cq = base + P.cq_off.offset;
  const s = p.sqOff;
  const c = p.cqOff;
  for (const [off, v] of [
    [SQ.head.offset, s.head],
    [SQ.tail.offset, s.tail],
    [SQ.ring_mask.offset, s.ringMask],
    [SQ.ring_entries.offset, s.ringEntries],
    [SQ.flags.offset, s.flags],
    [SQ.dropped.offset, s.dropped],
    [SQ.array.offset, s.array],
  ] as const) {
    view.setUint32(sq + off, v, LE);
  }
  setU64(view, sq + SQ.user_addr.offset, s.userAddr);
  for (const [off, v] of [
    [CQ.head.offset, c.head],
    [CQ.tail.offset, c.tail],
    [CQ.ring_mask.offset, c.ringMask],
    [CQ.ring_entries.offset, c.ringEntries],
    [CQ.overflow.offset, c.overflow],
    [CQ.cqes.offset, c.cqes],
    [CQ.flags.offset, c.flags],
  ] as const) {
    view.setUint32(cq + off, v, LE);
  }
  setU64(view, cq + CQ.user_addr.offset, c.userAddr);
}

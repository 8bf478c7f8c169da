/**
 * `struct io_uring_sqe`: 64 bytes (128 with IORING_SETUP_SQE128, where the
 * second half is command data for IORING_OP_URING_CMD only).
 *
 * Two ways to write one, with one job each:
 * - The writers (`prepRw` and one `prepX` per opcode, liburing's shape) write
 *   straight into a ring's SQE array seen as 32-bit words (`IoUring.sqeWords`
 *   in @evring/sys), at the byte offset `at` the ring hands out. Each starts
 *   from {@link prepRw}, which writes every word of the slot: a reused slot
 *   never carries a stale field into the next request (libev's 2019 io_uring
 *   backend left `addr` stale, so its POLL_REMOVE matched nothing). Typed-array
 *   stores are what V8 compiles well: about 4 ns per SQE here, where the same
 *   SQE through DataView stores took about 40. `user_data` is set apart, as
 *   liburing's `io_uring_sqe_set_data64` does, from two u32 halves: no BigInt.
 * - {@link encodeSqe} / {@link decodeSqe}: every field by name at its offset in
 *   {@link io_uring_sqe}, through a DataView. The reference: tests check each
 *   writer against it byte for byte, and it is the way to build or inspect an
 *   SQE field by field.
 *
 * Addresses and offsets are numbers (exact below 2^53); -1 is stored as all
 * ones (the current file position, for READ and WRITE).
 *
 * @module
 */

import { LE } from '../arch.js';
import { defineStruct } from '../layout.js';
import * as C from './constants.js';

/**
 * Layout of `struct io_uring_sqe`, every union alias at its offset.
 *
 * @example
 * ```ts
 * import { io_uring_sqe } from '@evring/abi';
 * io_uring_sqe.size;                    // 64
 * io_uring_sqe.fields.user_data.offset; // 32
 * io_uring_sqe.fields.poll32_events.offset === io_uring_sqe.fields.rw_flags.offset; // true
 * ```
 */
export const io_uring_sqe = defineStruct('io_uring_sqe', 64, {
  opcode: [0, 1], // type of operation for this sqe
  flags: [1, 1], // IOSQE_ flags
  ioprio: [2, 2], // ioprio for the request
  fd: [4, 4], // file descriptor to do IO on
  off: [8, 8], // offset into file
  addr2: [8, 8],
  cmd_op: [8, 4],
  addr: [16, 8], // pointer to buffer or iovecs
  splice_off_in: [16, 8],
  len: [24, 4], // buffer size or number of iovecs
  rw_flags: [28, 4],
  fsync_flags: [28, 4],
  poll_events: [28, 2], // compatibility
  poll32_events: [28, 4], // word-reversed for BE
  sync_range_flags: [28, 4],
  msg_flags: [28, 4],
  timeout_flags: [28, 4],
  accept_flags: [28, 4],
  cancel_flags: [28, 4],
  open_flags: [28, 4],
  statx_flags: [28, 4],
  fadvise_advice: [28, 4],
  splice_flags: [28, 4],
  rename_flags: [28, 4],
  unlink_flags: [28, 4],
  hardlink_flags: [28, 4],
  xattr_flags: [28, 4],
  msg_ring_flags: [28, 4],
  uring_cmd_flags: [28, 4],
  user_data: [32, 8], // data to be passed back at completion time
  buf_index: [40, 2], // index into fixed buffers, if used
  buf_group: [40, 2], // for grouped buffer selection
  personality: [42, 2], // personality to use, if used
  splice_fd_in: [44, 4],
  file_index: [44, 4],
  addr_len: [44, 2],
  addr3: [48, 8],
  __pad2: [56, 8],
});

/**
 * Size of one SQE; twice this with IORING_SETUP_SQE128.
 *
 * @example
 * ```ts
 * import { IO_URING_SQE_SIZE } from '@evring/abi';
 * const sqes = new Uint32Array((32 * IO_URING_SQE_SIZE) / 4); // room for 32 SQEs
 * ```
 */
export const IO_URING_SQE_SIZE = io_uring_sqe.size;

const F = io_uring_sqe.fields;

// ------------------------------------------------------------ the reference

/**
 * Every field of an SQE, by name (the union members named by their most
 * common alias). 64-bit fields are numbers, exact below 2^53, or bigints.
 *
 * @example
 * ```ts
 * import { IORING_OP_READ, type Sqe } from '@evring/abi';
 * const read: Partial<Sqe> = { opcode: IORING_OP_READ, fd: 5, addr: 0x1000, len: 4096, off: 0, userData: 7n };
 * ```
 */
export interface Sqe {
  opcode: number;
  /** IOSQE_* */
  flags: number;
  ioprio: number;
  fd: number;
  /** `off` / `addr2` */
  off: number | bigint;
  /** `addr` / `splice_off_in` */
  addr: number | bigint;
  len: number;
  /** The per-opcode flags word at offset 28 (`rw_flags`, `poll32_events`, `timeout_flags`, ...). */
  opFlags: number;
  userData: number | bigint;
  /** `buf_index` / `buf_group` */
  bufIndex: number;
  personality: number;
  /** `splice_fd_in` / `file_index` */
  spliceFdIn: number;
  addr3: number | bigint;
  pad2: number | bigint;
}

function setU64(view: DataView, at: number, v: number | bigint): void {
  view.setBigUint64(at, BigInt.asUintN(64, BigInt(v)), LE);
}

/**
 * Writes all 64 bytes of an SQE from its fields (absent ones are 0), each at
 * its offset in {@link io_uring_sqe}.
 *
 * @example
 * ```ts
 * import { IORING_OP_NOP, decodeSqe, encodeSqe } from '@evring/abi';
 * const view = new DataView(new ArrayBuffer(64));
 * encodeSqe(view, 0, { opcode: IORING_OP_NOP, fd: -1, userData: 42n });
 * decodeSqe(view, 0).userData; // 42n
 * ```
 */
export function encodeSqe(view: DataView, base: number, sqe: Partial<Sqe>): void {
  view.setUint8(base + F.opcode.offset, sqe.opcode ?? 0);
  view.setUint8(base + F.flags.offset, sqe.flags ?? 0);
  view.setUint16(base + F.ioprio.offset, sqe.ioprio ?? 0, LE);
  view.setInt32(base + F.fd.offset, sqe.fd ?? 0, LE);
  setU64(view, base + F.off.offset, sqe.off ?? 0);
  setU64(view, base + F.addr.offset, sqe.addr ?? 0);
  view.setUint32(base + F.len.offset, (sqe.len ?? 0) >>> 0, LE);
  view.setUint32(base + F.rw_flags.offset, (sqe.opFlags ?? 0) >>> 0, LE);
  setU64(view, base + F.user_data.offset, sqe.userData ?? 0);
  view.setUint16(base + F.buf_index.offset, sqe.bufIndex ?? 0, LE);
  view.setUint16(base + F.personality.offset, sqe.personality ?? 0, LE);
  view.setInt32(base + F.splice_fd_in.offset, sqe.spliceFdIn ?? 0, LE);
  setU64(view, base + F.addr3.offset, sqe.addr3 ?? 0);
  setU64(view, base + F.__pad2.offset, sqe.pad2 ?? 0);
}

/**
 * Reads every field of the SQE at `base` (64-bit fields as bigints).
 *
 * @example
 * ```ts
 * import { IORING_OP_POLL_ADD, POLLIN, decodeSqe, prepPollAdd } from '@evring/abi';
 * const sqes = new Uint32Array(16);
 * prepPollAdd(sqes, 0, 5, POLLIN);
 * const sqe = decodeSqe(new DataView(sqes.buffer), 0);
 * sqe.opcode === IORING_OP_POLL_ADD; // true
 * sqe.opFlags === POLLIN;            // true
 * ```
 */
export function decodeSqe(view: DataView, base: number): Sqe {
  return {
    opcode: view.getUint8(base + F.opcode.offset),
    flags: view.getUint8(base + F.flags.offset),
    ioprio: view.getUint16(base + F.ioprio.offset, LE),
    fd: view.getInt32(base + F.fd.offset, LE),
    off: view.getBigUint64(base + F.off.offset, LE),
    addr: view.getBigUint64(base + F.addr.offset, LE),
    len: view.getUint32(base + F.len.offset, LE),
    opFlags: view.getUint32(base + F.rw_flags.offset, LE),
    userData: view.getBigUint64(base + F.user_data.offset, LE),
    bufIndex: view.getUint16(base + F.buf_index.offset, LE),
    personality: view.getUint16(base + F.personality.offset, LE),
    spliceFdIn: view.getInt32(base + F.splice_fd_in.offset, LE),
    addr3: view.getBigUint64(base + F.addr3.offset, LE),
    pad2: view.getBigUint64(base + F.__pad2.offset, LE),
  };
}

// ---------------------------------------------------------------- the writers

// Word indexes within a slot, from the layout (little-endian words, as abi requires).
const W_OPCODE = F.opcode.offset >>> 2; // opcode, flags and ioprio share word 0
const W_FD = F.fd.offset >>> 2;
const W_OFF = F.off.offset >>> 2;
const W_ADDR = F.addr.offset >>> 2;
const W_LEN = F.len.offset >>> 2;
const W_OP_FLAGS = F.rw_flags.offset >>> 2;
const W_USER_DATA = F.user_data.offset >>> 2;
const W_BUF_INDEX = F.buf_index.offset >>> 2; // buf_index and personality share it
const W_SPLICE_FD_IN = F.splice_fd_in.offset >>> 2;
const W_ADDR3 = F.addr3.offset >>> 2;
const SQE_WORDS = io_uring_sqe.size >>> 2;
const TWO_32 = 4294967296;
// The per-operation writers' opcodes as module-local consts, which V8 folds
// into the code (an imported binding is read through its module cell).
const OP_READ = C.IORING_OP_READ;
const OP_WRITE = C.IORING_OP_WRITE;

/**
 * The primitive under every writer (liburing's `io_uring_prep_rw`): zeroes
 * the 64-byte slot at byte offset `at` of `sqes` and sets opcode, fd, addr,
 * len and off. `user_data` is left 0: set it with {@link sqeSetData}.
 *
 * @example
 * ```ts
 * import { IORING_OP_SHUTDOWN, decodeSqe, prepRw } from '@evring/abi';
 * const sqes = new Uint32Array(16);
 * prepRw(sqes, 0, IORING_OP_SHUTDOWN, 5, 0, 1, 0); // shutdown(5, SHUT_WR)
 * decodeSqe(new DataView(sqes.buffer), 0).len; // 1
 * ```
 */
export function prepRw(
  sqes: Uint32Array,
  at: number,
  opcode: number,
  fd: number,
  addr: number,
  len: number,
  off: number,
): void {
  // Every word once, in order, with literal indexes (checked against the
  // layout below): this runs once per operation, and a clearing loop
  // before the stores cost a third of the submit path.
  const i = at >>> 2;
  sqes[i] = opcode; // flags and ioprio 0
  sqes[i + 1] = fd;
  sqes[i + 2] = off; // a Uint32Array store keeps the low 32 bits (−1: all ones)
  sqes[i + 3] = Math.floor(off / TWO_32);
  sqes[i + 4] = addr;
  sqes[i + 5] = Math.floor(addr / TWO_32);
  sqes[i + 6] = len;
  sqes[i + 7] = 0; // op flags
  sqes[i + 8] = 0; // user_data
  sqes[i + 9] = 0;
  sqes[i + 10] = 0; // buf_index, personality
  sqes[i + 11] = 0; // splice_fd_in, file_index
  sqes[i + 12] = 0; // addr3
  sqes[i + 13] = 0;
  sqes[i + 14] = 0; // the rest of the 64 bytes
  sqes[i + 15] = 0;
}

// prepRw's literal word indexes are the layout's.
if (
  W_OPCODE !== 0 ||
  W_FD !== 1 ||
  W_OFF !== 2 ||
  W_ADDR !== 4 ||
  W_LEN !== 6 ||
  W_OP_FLAGS !== 7 ||
  W_USER_DATA !== 8 ||
  W_BUF_INDEX !== 10 ||
  W_SPLICE_FD_IN !== 11 ||
  W_ADDR3 !== 12 ||
  SQE_WORDS !== 16
) {
  throw new Error('io_uring_sqe layout: prepRw writes the wrong words');
}

/**
 * Sets `user_data` from two u32 halves (liburing's `io_uring_sqe_set_data64`,
 * with no BigInt): what the completion carries back.
 *
 * @example
 * ```ts
 * import { decodeSqe, prepNop, sqeSetData } from '@evring/abi';
 * const sqes = new Uint32Array(16);
 * prepNop(sqes, 0);
 * sqeSetData(sqes, 0, 5, 3); // fd 5, generation 3
 * decodeSqe(new DataView(sqes.buffer), 0).userData; // 12884901893n
 * ```
 */
export function sqeSetData(sqes: Uint32Array, at: number, lo: number, hi: number): void {
  const i = (at >>> 2) + W_USER_DATA;
  sqes[i] = lo;
  sqes[i + 1] = hi;
}

/**
 * Sets `user_data` from one number (exact below 2^53) or a bigint.
 *
 * @example
 * ```ts
 * import { decodeSqe, prepNop, sqeSetData64 } from '@evring/abi';
 * const sqes = new Uint32Array(16);
 * prepNop(sqes, 0);
 * sqeSetData64(sqes, 0, 0xffff_ffff_ffff_ffffn);
 * decodeSqe(new DataView(sqes.buffer), 0).userData; // 18446744073709551615n
 * ```
 */
export function sqeSetData64(sqes: Uint32Array, at: number, value: number | bigint): void {
  if (typeof value === 'bigint') {
    const v = BigInt.asUintN(64, value);
    sqeSetData(sqes, at, Number(v & 0xffffffffn), Number(v >> 32n));
  } else {
    sqeSetData(sqes, at, value >>> 0, Math.floor(value / TWO_32) >>> 0);
  }
}

/**
 * Sets `flags` (IOSQE_*: link, drain, async, ...).
 *
 * @example
 * ```ts
 * import { IOSQE_IO_LINK, decodeSqe, prepNop, sqeSetFlags } from '@evring/abi';
 * const sqes = new Uint32Array(16);
 * prepNop(sqes, 0);
 * sqeSetFlags(sqes, 0, IOSQE_IO_LINK); // the next SQE runs after this one
 * decodeSqe(new DataView(sqes.buffer), 0).flags === IOSQE_IO_LINK; // true
 * ```
 */
export function sqeSetFlags(sqes: Uint32Array, at: number, flags: number): void {
  const i = at >>> 2;
  sqes[i + W_OPCODE] = (sqes[i + W_OPCODE]! & 0xffff00ff) | ((flags & 0xff) << 8);
}

/**
 * Sets `buf_index` (a registered buffer, for READ_FIXED and WRITE_FIXED).
 *
 * @example
 * ```ts
 * import { decodeSqe, prepNop, sqeSetBufIndex } from '@evring/abi';
 * const sqes = new Uint32Array(16);
 * prepNop(sqes, 0);
 * sqeSetBufIndex(sqes, 0, 3);
 * decodeSqe(new DataView(sqes.buffer), 0).bufIndex; // 3
 * ```
 */
export function sqeSetBufIndex(sqes: Uint32Array, at: number, index: number): void {
  const i = (at >>> 2) + W_BUF_INDEX;
  sqes[i] = (sqes[i]! & 0xffff0000) | (index & 0xffff);
}

/**
 * The opcode of the SQE at byte offset `at`.
 *
 * @example
 * ```ts
 * import { IORING_OP_NOP, prepNop, sqeOpcode } from '@evring/abi';
 * const sqes = new Uint32Array(16);
 * prepNop(sqes, 0);
 * sqeOpcode(sqes, 0) === IORING_OP_NOP; // true
 * ```
 */
export function sqeOpcode(sqes: Uint32Array, at: number): number {
  return sqes[(at >>> 2) + W_OPCODE]! & 0xff;
}

function setOpFlags(sqes: Uint32Array, at: number, value: number): void {
  sqes[(at >>> 2) + W_OP_FLAGS] = value;
}

function setU64Words(sqes: Uint32Array, i: number, value: number | bigint): void {
  if (typeof value === 'bigint') {
    const v = BigInt.asUintN(64, value);
    sqes[i] = Number(v & 0xffffffffn);
    sqes[i + 1] = Number(v >> 32n);
  } else {
    sqes[i] = value;
    sqes[i + 1] = Math.floor(value / TWO_32);
  }
}

/**
 * IORING_OP_NOP: completes with res 0, a ring round trip.
 *
 * @example
 * ```ts
 * import { IORING_OP_NOP, prepNop, sqeOpcode, sqeSetData } from '@evring/abi';
 * const sqes = new Uint32Array(16);
 * prepNop(sqes, 0);
 * sqeSetData(sqes, 0, 99, 0); // completes with res 0 and user_data 99
 * sqeOpcode(sqes, 0) === IORING_OP_NOP; // true
 * ```
 */
export function prepNop(sqes: Uint32Array, at: number): void {
  prepRw(sqes, at, C.IORING_OP_NOP, -1, 0, 0, 0);
}

/**
 * IORING_OP_POLL_ADD (linux 5.1): completes with the ready poll mask of `fd`
 * (POLLIN | POLLOUT | ...), once; with `multishot` (linux 5.13) it stays
 * armed and posts one CQE per readiness change, flagged IORING_CQE_F_MORE.
 *
 * @example
 * ```ts
 * import { IORING_POLL_ADD_MULTI, POLLIN, decodeSqe, prepPollAdd } from '@evring/abi';
 * const sqes = new Uint32Array(16);
 * prepPollAdd(sqes, 0, 5, POLLIN, { multishot: true });
 * decodeSqe(new DataView(sqes.buffer), 0).len === IORING_POLL_ADD_MULTI; // true
 * ```
 */
export function prepPollAdd(
  sqes: Uint32Array,
  at: number,
  fd: number,
  pollMask: number,
  options?: { multishot?: boolean },
): void {
  prepRw(
    sqes,
    at,
    C.IORING_OP_POLL_ADD,
    fd,
    0,
    options?.multishot ? C.IORING_POLL_ADD_MULTI : 0,
    0,
  );
  setOpFlags(sqes, at, pollMask);
}

/**
 * IORING_OP_POLL_REMOVE (linux 5.1): removes the poll whose user_data is
 * `target` (two u32 halves).
 *
 * @example
 * ```ts
 * import { decodeSqe, prepPollRemove } from '@evring/abi';
 * const sqes = new Uint32Array(16);
 * prepPollRemove(sqes, 0, 5, 3); // the poll submitted with user_data (3 << 32) | 5
 * decodeSqe(new DataView(sqes.buffer), 0).addr; // 12884901893n
 * ```
 */
export function prepPollRemove(
  sqes: Uint32Array,
  at: number,
  targetLo: number,
  targetHi: number,
): void {
  prepRw(sqes, at, C.IORING_OP_POLL_REMOVE, -1, 0, 0, 0);
  const i = (at >>> 2) + W_ADDR;
  sqes[i] = targetLo;
  sqes[i + 1] = targetHi;
}

/**
 * IORING_OP_POLL_REMOVE as an update (linux 5.13): changes the poll whose
 * user_data is `target` in place: its mask (`events`), its user_data
 * (`userData`, two halves), and whether it stays multishot.
 *
 * @example
 * ```ts
 * import { IORING_POLL_UPDATE_EVENTS, POLLOUT, decodeSqe, prepPollUpdate } from '@evring/abi';
 * const sqes = new Uint32Array(16);
 * prepPollUpdate(sqes, 0, 10, 0, { events: POLLOUT }); // poll 10 now waits for POLLOUT
 * decodeSqe(new DataView(sqes.buffer), 0).len === IORING_POLL_UPDATE_EVENTS; // true
 * ```
 */
export function prepPollUpdate(
  sqes: Uint32Array,
  at: number,
  targetLo: number,
  targetHi: number,
  options: { events?: number; userData?: readonly [lo: number, hi: number]; multishot?: boolean },
): void {
  let flags = 0;
  if (options.events !== undefined) flags |= C.IORING_POLL_UPDATE_EVENTS;
  if (options.userData !== undefined) flags |= C.IORING_POLL_UPDATE_USER_DATA;
  if (options.multishot) flags |= C.IORING_POLL_ADD_MULTI;
  prepRw(sqes, at, C.IORING_OP_POLL_REMOVE, -1, 0, flags, 0);
  const i = at >>> 2;
  sqes[i + W_ADDR] = targetLo;
  sqes[i + W_ADDR + 1] = targetHi;
  if (options.userData !== undefined) {
    sqes[i + W_OFF] = options.userData[0];
    sqes[i + W_OFF + 1] = options.userData[1];
  }
  setOpFlags(sqes, at, options.events ?? 0);
}

/**
 * IORING_OP_TIMEOUT (linux 5.4): completes with -ETIME when the
 * `__kernel_timespec` at user address `timespecAddr` elapses, or with 0
 * after `count` other completions (0, the default: time only).
 * `flags`: IORING_TIMEOUT_ABS, IORING_TIMEOUT_BOOTTIME, ...
 *
 * @example
 * ```ts
 * import { IORING_TIMEOUT_ABS, decodeSqe, prepTimeout } from '@evring/abi';
 * declare const timespecAddr: number; // sys-owned memory the kernel reads
 * const sqes = new Uint32Array(16);
 * prepTimeout(sqes, 0, timespecAddr, { flags: IORING_TIMEOUT_ABS });
 * ```
 */
export function prepTimeout(
  sqes: Uint32Array,
  at: number,
  timespecAddr: number,
  options?: { count?: number; flags?: number },
): void {
  prepRw(sqes, at, C.IORING_OP_TIMEOUT, -1, timespecAddr, 1, options?.count ?? 0);
  setOpFlags(sqes, at, options?.flags ?? 0);
}

/**
 * IORING_OP_TIMEOUT_REMOVE (linux 5.5): cancels the timeout whose user_data
 * is `target`; with IORING_TIMEOUT_UPDATE in `flags` (linux 5.11), re-arms it
 * with the timespec at `timespecAddr` instead.
 *
 * @example
 * ```ts
 * import { decodeSqe, prepTimeoutRemove } from '@evring/abi';
 * const sqes = new Uint32Array(16);
 * prepTimeoutRemove(sqes, 0, 1, 0); // cancels the timeout submitted as user_data 1
 * decodeSqe(new DataView(sqes.buffer), 0).addr; // 1n
 * ```
 */
export function prepTimeoutRemove(
  sqes: Uint32Array,
  at: number,
  targetLo: number,
  targetHi: number,
  options?: { flags?: number; timespecAddr?: number },
): void {
  prepRw(sqes, at, C.IORING_OP_TIMEOUT_REMOVE, -1, 0, 0, options?.timespecAddr ?? 0);
  const i = (at >>> 2) + W_ADDR;
  sqes[i] = targetLo;
  sqes[i + 1] = targetHi;
  setOpFlags(sqes, at, options?.flags ?? 0);
}

/**
 * IORING_OP_LINK_TIMEOUT (linux 5.5): bounds the SQE linked before it
 * (IOSQE_IO_LINK) by the timespec at `timespecAddr`; the linked request is
 * cancelled when it elapses.
 *
 * @example
 * ```ts
 * import { IOSQE_IO_LINK, prepLinkTimeout, prepRead, sqeSetFlags } from '@evring/abi';
 * declare const buf: number;
 * declare const timespecAddr: number;
 * const sqes = new Uint32Array(32);
 * prepRead(sqes, 0, 5, buf, 4096, 0);
 * sqeSetFlags(sqes, 0, IOSQE_IO_LINK);
 * prepLinkTimeout(sqes, 64, timespecAddr); // the read is cancelled when the time is up
 * ```
 */
export function prepLinkTimeout(
  sqes: Uint32Array,
  at: number,
  timespecAddr: number,
  options?: { flags?: number },
): void {
  prepRw(sqes, at, C.IORING_OP_LINK_TIMEOUT, -1, timespecAddr, 1, 0);
  setOpFlags(sqes, at, options?.flags ?? 0);
}

/**
 * IORING_OP_ASYNC_CANCEL (linux 5.5): cancels the request whose user_data is
 * `target`. `flags`: IORING_ASYNC_CANCEL_ALL, _ANY, _FD (linux 5.19).
 *
 * @example
 * ```ts
 * import { IORING_ASYNC_CANCEL_ALL, decodeSqe, prepCancel } from '@evring/abi';
 * const sqes = new Uint32Array(16);
 * prepCancel(sqes, 0, 7, 0, { flags: IORING_ASYNC_CANCEL_ALL }); // every request with user_data 7
 * decodeSqe(new DataView(sqes.buffer), 0).opFlags === IORING_ASYNC_CANCEL_ALL; // true
 * ```
 */
export function prepCancel(
  sqes: Uint32Array,
  at: number,
  targetLo: number,
  targetHi: number,
  options?: { flags?: number },
): void {
  prepRw(sqes, at, C.IORING_OP_ASYNC_CANCEL, -1, 0, 0, 0);
  const i = (at >>> 2) + W_ADDR;
  sqes[i] = targetLo;
  sqes[i + 1] = targetHi;
  setOpFlags(sqes, at, options?.flags ?? 0);
}

/**
 * IORING_OP_READ (linux 5.6): pread(2) of `len` bytes into user address
 * `bufAddr`, at `offset` (-1: the file position, advanced).
 *
 * @example
 * ```ts
 * import { IORING_OP_READ, prepRead, sqeOpcode } from '@evring/abi';
 * declare const bufAddr: number; // sys-owned memory the kernel may write
 * const sqes = new Uint32Array(16);
 * prepRead(sqes, 0, 5, bufAddr, 4096, 0);
 * ```
 */
export function prepRead(
  sqes: Uint32Array,
  at: number,
  fd: number,
  bufAddr: number,
  len: number,
  offset: number,
): void {
  prepRw(sqes, at, OP_READ, fd, bufAddr, len, offset);
}

/**
 * IORING_OP_WRITE (linux 5.6): pwrite(2) of `len` bytes from `bufAddr`, at
 * `offset` (-1: the file position, advanced).
 *
 * @example
 * ```ts
 * import { prepWrite } from '@evring/abi';
 * declare const bufAddr: number;
 * const sqes = new Uint32Array(16);
 * prepWrite(sqes, 0, 5, bufAddr, 512, -1); // appends at the file position
 * ```
 */
export function prepWrite(
  sqes: Uint32Array,
  at: number,
  fd: number,
  bufAddr: number,
  len: number,
  offset: number,
): void {
  prepRw(sqes, at, OP_WRITE, fd, bufAddr, len, offset);
}

/**
 * IORING_OP_READ_FIXED (linux 5.1): a read into registered buffer `bufIndex`,
 * at `bufAddr` inside it.
 *
 * @example
 * ```ts
 * import { prepReadFixed } from '@evring/abi';
 * declare const bufAddr: number; // inside registered buffer 0
 * const sqes = new Uint32Array(16);
 * prepReadFixed(sqes, 0, 5, bufAddr, 4096, 0, 0);
 * ```
 */
export function prepReadFixed(
  sqes: Uint32Array,
  at: number,
  fd: number,
  bufAddr: number,
  len: number,
  offset: number,
  bufIndex: number,
): void {
  prepRw(sqes, at, C.IORING_OP_READ_FIXED, fd, bufAddr, len, offset);
  sqeSetBufIndex(sqes, at, bufIndex);
}

/**
 * IORING_OP_WRITE_FIXED (linux 5.1): a write from registered buffer `bufIndex`.
 *
 * @example
 * ```ts
 * import { prepWriteFixed } from '@evring/abi';
 * declare const bufAddr: number; // inside registered buffer 2
 * const sqes = new Uint32Array(16);
 * prepWriteFixed(sqes, 0, 5, bufAddr, 4096, 8192, 2);
 * ```
 */
export function prepWriteFixed(
  sqes: Uint32Array,
  at: number,
  fd: number,
  bufAddr: number,
  len: number,
  offset: number,
  bufIndex: number,
): void {
  prepRw(sqes, at, C.IORING_OP_WRITE_FIXED, fd, bufAddr, len, offset);
  sqeSetBufIndex(sqes, at, bufIndex);
}

/**
 * IORING_OP_READV (linux 5.1): preadv2(2) into the `iovcnt` iovecs at
 * `iovecAddr`.
 *
 * @example
 * ```ts
 * import { prepReadv } from '@evring/abi';
 * declare const iovecAddr: number;
 * const sqes = new Uint32Array(16);
 * prepReadv(sqes, 0, 5, iovecAddr, 2, 0);
 * ```
 */
export function prepReadv(
  sqes: Uint32Array,
  at: number,
  fd: number,
  iovecAddr: number,
  iovcnt: number,
  offset: number,
): void {
  prepRw(sqes, at, C.IORING_OP_READV, fd, iovecAddr, iovcnt, offset);
}

/**
 * IORING_OP_WRITEV (linux 5.1): pwritev2(2) from the `iovcnt` iovecs at
 * `iovecAddr`.
 *
 * @example
 * ```ts
 * import { prepWritev } from '@evring/abi';
 * declare const iovecAddr: number;
 * const sqes = new Uint32Array(16);
 * prepWritev(sqes, 0, 5, iovecAddr, 2, -1);
 * ```
 */
export function prepWritev(
  sqes: Uint32Array,
  at: number,
  fd: number,
  iovecAddr: number,
  iovcnt: number,
  offset: number,
): void {
  prepRw(sqes, at, C.IORING_OP_WRITEV, fd, iovecAddr, iovcnt, offset);
}

/**
 * IORING_OP_FSYNC (linux 5.1): fsync(2), or fdatasync with `datasync`.
 *
 * @example
 * ```ts
 * import { IORING_FSYNC_DATASYNC, decodeSqe, prepFsync } from '@evring/abi';
 * const sqes = new Uint32Array(16);
 * prepFsync(sqes, 0, 5, { datasync: true });
 * decodeSqe(new DataView(sqes.buffer), 0).opFlags === IORING_FSYNC_DATASYNC; // true
 * ```
 */
export function prepFsync(
  sqes: Uint32Array,
  at: number,
  fd: number,
  options?: { datasync?: boolean },
): void {
  prepRw(sqes, at, C.IORING_OP_FSYNC, fd, 0, 0, 0);
  setOpFlags(sqes, at, options?.datasync ? C.IORING_FSYNC_DATASYNC : 0);
}

/**
 * IORING_OP_FALLOCATE (linux 5.6): fallocate(2) of `len` bytes at `offset`.
 *
 * @example
 * ```ts
 * import { decodeSqe, prepFallocate } from '@evring/abi';
 * const sqes = new Uint32Array(16);
 * prepFallocate(sqes, 0, 5, 0, 0, 1 << 20); // reserve the first MiB
 * decodeSqe(new DataView(sqes.buffer), 0).addr; // 1048576n: the length travels in addr
 * ```
 */
export function prepFallocate(
  sqes: Uint32Array,
  at: number,
  fd: number,
  mode: number,
  offset: number,
  len: number,
): void {
  prepRw(sqes, at, C.IORING_OP_FALLOCATE, fd, len, mode, offset);
}

/**
 * IORING_OP_FTRUNCATE (linux 6.9): ftruncate(2) to `len` bytes.
 *
 * @example
 * ```ts
 * import { decodeSqe, prepFtruncate } from '@evring/abi';
 * const sqes = new Uint32Array(16);
 * prepFtruncate(sqes, 0, 5, 4096);
 * decodeSqe(new DataView(sqes.buffer), 0).off; // 4096n
 * ```
 */
export function prepFtruncate(sqes: Uint32Array, at: number, fd: number, len: number): void {
  prepRw(sqes, at, C.IORING_OP_FTRUNCATE, fd, 0, 0, len);
}

/**
 * IORING_OP_OPENAT (linux 5.6): openat(2) of the NUL-terminated path at
 * `pathAddr`, relative to `dirfd` (AT_FDCWD: the working directory).
 *
 * @example
 * ```ts
 * import { AT_FDCWD, O_CLOEXEC, prepOpenat } from '@evring/abi';
 * declare const pathAddr: number; // a NUL-terminated path in sys memory
 * const sqes = new Uint32Array(16);
 * prepOpenat(sqes, 0, AT_FDCWD, pathAddr, O_CLOEXEC, 0); // completes with the new fd
 * ```
 */
export function prepOpenat(
  sqes: Uint32Array,
  at: number,
  dirfd: number,
  pathAddr: number,
  flags: number,
  mode: number,
): void {
  prepRw(sqes, at, C.IORING_OP_OPENAT, dirfd, pathAddr, mode, 0);
  setOpFlags(sqes, at, flags);
}

/**
 * IORING_OP_CLOSE (linux 5.6): close(2).
 *
 * @example
 * ```ts
 * import { IORING_OP_CLOSE, prepClose, sqeOpcode } from '@evring/abi';
 * const sqes = new Uint32Array(16);
 * prepClose(sqes, 0, 5);
 * sqeOpcode(sqes, 0) === IORING_OP_CLOSE; // true
 * ```
 */
export function prepClose(sqes: Uint32Array, at: number, fd: number): void {
  prepRw(sqes, at, C.IORING_OP_CLOSE, fd, 0, 0, 0);
}

/**
 * IORING_OP_STATX (linux 5.6): statx(2) of the path at `pathAddr` into the
 * 256-byte `struct statx` at `statxAddr`. `mask`: STATX_*; `flags`: AT_*.
 *
 * @example
 * ```ts
 * import { AT_EMPTY_PATH, prepStatx } from '@evring/abi';
 * declare const emptyPathAddr: number; // "" in sys memory: stat the fd itself
 * declare const statxAddr: number;
 * const sqes = new Uint32Array(16);
 * prepStatx(sqes, 0, 5, emptyPathAddr, AT_EMPTY_PATH, 0x7ff, statxAddr);
 * ```
 */
export function prepStatx(
  sqes: Uint32Array,
  at: number,
  dirfd: number,
  pathAddr: number,
  flags: number,
  mask: number,
  statxAddr: number,
): void {
  prepRw(sqes, at, C.IORING_OP_STATX, dirfd, pathAddr, mask, statxAddr);
  setOpFlags(sqes, at, flags);
}

/**
 * IORING_OP_RENAMEAT (linux 5.11): renameat2(2) from the path at
 * `oldPathAddr` (relative to `oldDirfd`) to the one at `newPathAddr`.
 *
 * @example
 * ```ts
 * import { AT_FDCWD, prepRenameat } from '@evring/abi';
 * declare const from: number;
 * declare const to: number;
 * const sqes = new Uint32Array(16);
 * prepRenameat(sqes, 0, AT_FDCWD, from, AT_FDCWD, to, 0);
 * ```
 */
export function prepRenameat(
  sqes: Uint32Array,
  at: number,
  oldDirfd: number,
  oldPathAddr: number,
  newDirfd: number,
  newPathAddr: number,
  flags: number,
): void {
  prepRw(sqes, at, C.IORING_OP_RENAMEAT, oldDirfd, oldPathAddr, newDirfd, newPathAddr);
  setOpFlags(sqes, at, flags);
}

/**
 * IORING_OP_UNLINKAT (linux 5.11): unlinkat(2) of the path at `pathAddr`
 * (AT_REMOVEDIR in `flags`: rmdir).
 *
 * @example
 * ```ts
 * import { AT_FDCWD, AT_REMOVEDIR, prepUnlinkat } from '@evring/abi';
 * declare const pathAddr: number;
 * const sqes = new Uint32Array(16);
 * prepUnlinkat(sqes, 0, AT_FDCWD, pathAddr, AT_REMOVEDIR);
 * ```
 */
export function prepUnlinkat(
  sqes: Uint32Array,
  at: number,
  dirfd: number,
  pathAddr: number,
  flags: number,
): void {
  prepRw(sqes, at, C.IORING_OP_UNLINKAT, dirfd, pathAddr, 0, 0);
  setOpFlags(sqes, at, flags);
}

/**
 * IORING_OP_MKDIRAT (linux 5.15): mkdirat(2) of the path at `pathAddr`.
 *
 * @example
 * ```ts
 * import { AT_FDCWD, prepMkdirat } from '@evring/abi';
 * declare const pathAddr: number;
 * const sqes = new Uint32Array(16);
 * prepMkdirat(sqes, 0, AT_FDCWD, pathAddr, 0o755);
 * ```
 */
export function prepMkdirat(
  sqes: Uint32Array,
  at: number,
  dirfd: number,
  pathAddr: number,
  mode: number,
): void {
  prepRw(sqes, at, C.IORING_OP_MKDIRAT, dirfd, pathAddr, mode, 0);
}

/**
 * IORING_OP_SYMLINKAT (linux 5.15): symlinkat(2), a link at the path at
 * `linkPathAddr` (relative to `newDirfd`) holding the target at
 * `targetAddr`, which is stored as written, not resolved.
 *
 * @example
 * ```ts
 * import { AT_FDCWD, prepSymlinkat } from '@evring/abi';
 * declare const target: number;
 * declare const linkPath: number;
 * const sqes = new Uint32Array(16);
 * prepSymlinkat(sqes, 0, target, AT_FDCWD, linkPath);
 * ```
 */
export function prepSymlinkat(
  sqes: Uint32Array,
  at: number,
  targetAddr: number,
  newDirfd: number,
  linkPathAddr: number,
): void {
  prepRw(sqes, at, C.IORING_OP_SYMLINKAT, newDirfd, targetAddr, 0, linkPathAddr);
}

/**
 * IORING_OP_LINKAT (linux 5.15): linkat(2), a new name at `newPathAddr`
 * (relative to `newDirfd`, which travels in `len`) for the file at
 * `oldPathAddr` (relative to `oldDirfd`); `flags` (AT_SYMLINK_FOLLOW,
 * AT_EMPTY_PATH) in the op flags word.
 *
 * @example
 * ```ts
 * import { AT_FDCWD, prepLinkat } from '@evring/abi';
 * declare const existing: number;
 * declare const newPath: number;
 * const sqes = new Uint32Array(16);
 * prepLinkat(sqes, 0, AT_FDCWD, existing, AT_FDCWD, newPath, 0);
 * ```
 */
export function prepLinkat(
  sqes: Uint32Array,
  at: number,
  oldDirfd: number,
  oldPathAddr: number,
  newDirfd: number,
  newPathAddr: number,
  flags: number,
): void {
  prepRw(sqes, at, C.IORING_OP_LINKAT, oldDirfd, oldPathAddr, newDirfd, newPathAddr);
  setOpFlags(sqes, at, flags);
}

/**
 * IORING_OP_SEND (linux 5.6): send(2) of `len` bytes from `bufAddr`.
 *
 * @example
 * ```ts
 * import { MSG_NOSIGNAL, prepSend } from '@evring/abi';
 * declare const bufAddr: number;
 * const sqes = new Uint32Array(16);
 * prepSend(sqes, 0, 5, bufAddr, 100, MSG_NOSIGNAL);
 * ```
 */
export function prepSend(
  sqes: Uint32Array,
  at: number,
  fd: number,
  bufAddr: number,
  len: number,
  flags: number,
): void {
  prepRw(sqes, at, C.IORING_OP_SEND, fd, bufAddr, len, 0);
  setOpFlags(sqes, at, flags);
}

/**
 * IORING_OP_RECV (linux 5.6): recv(2) of up to `len` bytes into `bufAddr`.
 *
 * @example
 * ```ts
 * import { prepRecv } from '@evring/abi';
 * declare const bufAddr: number;
 * const sqes = new Uint32Array(16);
 * prepRecv(sqes, 0, 5, bufAddr, 65536, 0);
 * ```
 */
export function prepRecv(
  sqes: Uint32Array,
  at: number,
  fd: number,
  bufAddr: number,
  len: number,
  flags: number,
): void {
  prepRw(sqes, at, C.IORING_OP_RECV, fd, bufAddr, len, 0);
  setOpFlags(sqes, at, flags);
}

/**
 * IORING_OP_ACCEPT (linux 5.5): accept4(2); the peer address goes to
 * `addrAddr` (0: not wanted) with its length at `addrlenAddr`.
 *
 * @example
 * ```ts
 * import { SOCK_CLOEXEC, prepAccept } from '@evring/abi';
 * const sqes = new Uint32Array(16);
 * prepAccept(sqes, 0, 5, 0, 0, SOCK_CLOEXEC); // completes with the new connection's fd
 * ```
 */
export function prepAccept(
  sqes: Uint32Array,
  at: number,
  fd: number,
  addrAddr: number,
  addrlenAddr: number,
  flags: number,
): void {
  prepRw(sqes, at, C.IORING_OP_ACCEPT, fd, addrAddr, 0, addrlenAddr);
  setOpFlags(sqes, at, flags);
}

/**
 * IORING_OP_CONNECT (linux 5.5): connect(2) to the sockaddr at `addrAddr`.
 *
 * @example
 * ```ts
 * import { prepConnect } from '@evring/abi';
 * declare const sockaddrAddr: number;
 * const sqes = new Uint32Array(16);
 * prepConnect(sqes, 0, 5, sockaddrAddr, 16);
 * ```
 */
export function prepConnect(
  sqes: Uint32Array,
  at: number,
  fd: number,
  addrAddr: number,
  addrlen: number,
): void {
  prepRw(sqes, at, C.IORING_OP_CONNECT, fd, addrAddr, 0, addrlen);
}

/**
 * IORING_OP_EPOLL_CTL (linux 5.6): epoll_ctl(2) of `fd` in `epfd`; the
 * `epoll_event` is read from `eventAddr`.
 *
 * @example
 * ```ts
 * import { EPOLL_CTL_DEL, prepEpollCtl } from '@evring/abi';
 * const sqes = new Uint32Array(16);
 * prepEpollCtl(sqes, 0, 7, 5, EPOLL_CTL_DEL, 0); // DEL needs no event
 * ```
 */
export function prepEpollCtl(
  sqes: Uint32Array,
  at: number,
  epfd: number,
  fd: number,
  op: number,
  eventAddr: number,
): void {
  prepRw(sqes, at, C.IORING_OP_EPOLL_CTL, epfd, eventAddr, op, fd);
}

/**
 * Sets `addr3` (linux 6.0: the third address some opcodes take, e.g. a
 * zero-copy send's destination). sys checks it like every other address.
 *
 * @example
 * ```ts
 * import { decodeSqe, prepNop, sqeSetAddr3 } from '@evring/abi';
 * const sqes = new Uint32Array(16);
 * prepNop(sqes, 0);
 * sqeSetAddr3(sqes, 0, 0x1000);
 * decodeSqe(new DataView(sqes.buffer), 0).addr3; // 4096n
 * ```
 */
export function sqeSetAddr3(sqes: Uint32Array, at: number, addr: number | bigint): void {
  setU64Words(sqes, (at >>> 2) + W_ADDR3, addr);
}

/**
 * Sets `splice_fd_in` / `file_index` (a direct-descriptor slot for OPENAT and
 * ACCEPT, linux 5.15).
 *
 * @example
 * ```ts
 * import { decodeSqe, prepNop, sqeSetFileIndex } from '@evring/abi';
 * const sqes = new Uint32Array(16);
 * prepNop(sqes, 0);
 * sqeSetFileIndex(sqes, 0, 4);
 * decodeSqe(new DataView(sqes.buffer), 0).spliceFdIn; // 4
 * ```
 */
export function sqeSetFileIndex(sqes: Uint32Array, at: number, index: number): void {
  sqes[(at >>> 2) + W_SPLICE_FD_IN] = index;
}

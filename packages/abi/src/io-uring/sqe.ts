/**
 * `struct io_uring_sqe`: 64 bytes (128 with IORING_SETUP_SQE128, where the
 * second half is command data for IORING_OP_URING_CMD only).
 *
 * Every builder here starts from {@link prepRw}, which writes all 64 bytes:
 * a reused slot never carries a stale field into the next request (libev's
 * 2019 io_uring backend left `addr` stale, so its POLL_REMOVE matched
 * nothing). Builders write straight into the ring's SQE array; nothing is
 * allocated. `user_data` is taken as a number (exact below 2^53) or a bigint;
 * the hot path passes two u32 halves through {@link prepRwParts}.
 *
 * @module
 */

import { LE } from '../arch.js';
import { defineStruct } from '../layout.js';
import { setU64, setU64Any, setU64Parts } from '../u64.js';
import * as C from './constants.js';

/**
 * Layout of `struct io_uring_sqe`, every union alias at its offset.
 *
 * @example
 * ```ts
 * import { io_uring_sqe } from '@evring/abi';
 * io_uring_sqe.size;                    // 64
 * io_uring_sqe.fields.user_data.offset; // 32
 * io_uring_sqe.fields.poll32_events.offset === io_uring_sqe.fields.rw_flags.offset; // true: a union
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
 * const sqes = new DataView(new ArrayBuffer(32 * IO_URING_SQE_SIZE)); // room for 32 SQEs
 * ```
 */
export const IO_URING_SQE_SIZE = io_uring_sqe.size;

const F = io_uring_sqe.fields;
const O_OPCODE = F.opcode.offset;
const O_FLAGS = F.flags.offset;
const O_IOPRIO = F.ioprio.offset;
const O_FD = F.fd.offset;
const O_OFF = F.off.offset;
const O_ADDR = F.addr.offset;
const O_LEN = F.len.offset;
const O_OPFLAGS = F.rw_flags.offset;
const O_USER_DATA = F.user_data.offset;
const O_BUF_INDEX = F.buf_index.offset;
const O_PERSONALITY = F.personality.offset;
const O_SPLICE_FD_IN = F.splice_fd_in.offset;
const O_ADDR3 = F.addr3.offset;
const O_PAD2 = F.__pad2.offset;

/**
 * The primitive under every builder (liburing's `io_uring_prep_rw`): writes
 * every byte of the 64-byte slot at `base`. `addr` and `off` are numbers
 * (-1 is stored as all ones); `user_data` is two u32 halves.
 *
 * @example
 * ```ts
 * import { IORING_OP_NOP, layouts, prepRwParts, readCqe } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepRwParts(sqe, 0, IORING_OP_NOP, -1, 0, 0, 0, 7, 1); // user_data = 1 << 32 | 7
 * sqe.getBigUint64(layouts.io_uring_sqe.fields.user_data.offset, true); // 4294967303n
 * ```
 */
export function prepRwParts(
  view: DataView,
  base: number,
  opcode: number,
  fd: number,
  addr: number,
  len: number,
  off: number,
  userDataLo: number,
  userDataHi: number,
): void {
  view.setUint8(base + O_OPCODE, opcode);
  view.setUint8(base + O_FLAGS, 0);
  view.setUint16(base + O_IOPRIO, 0, LE);
  view.setInt32(base + O_FD, fd, LE);
  setU64(view, base + O_OFF, off);
  setU64(view, base + O_ADDR, addr);
  view.setUint32(base + O_LEN, len >>> 0, LE);
  view.setUint32(base + O_OPFLAGS, 0, LE);
  setU64Parts(view, base + O_USER_DATA, userDataLo, userDataHi);
  view.setUint16(base + O_BUF_INDEX, 0, LE);
  view.setUint16(base + O_PERSONALITY, 0, LE);
  view.setInt32(base + O_SPLICE_FD_IN, 0, LE);
  setU64(view, base + O_ADDR3, 0);
  setU64(view, base + O_PAD2, 0);
}

/**
 * {@link prepRwParts} with `user_data` as one number or bigint.
 *
 * @example
 * ```ts
 * import { IORING_OP_SHUTDOWN, layouts, prepRw } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepRw(sqe, 0, IORING_OP_SHUTDOWN, 5, 0, 1, 0, 42n); // shutdown(5, SHUT_WR)
 * ```
 */
export function prepRw(
  view: DataView,
  base: number,
  opcode: number,
  fd: number,
  addr: number,
  len: number,
  off: number,
  userData: number | bigint,
): void {
  prepRwParts(view, base, opcode, fd, addr, len, off, 0, 0);
  setU64Any(view, base + O_USER_DATA, userData);
}

/**
 * Sets `sqe.flags` (IOSQE_*) after a builder.
 *
 * @example
 * ```ts
 * import { IOSQE_IO_LINK, layouts, prepNop, setSqeFlags } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepNop(sqe, 0, 1n);
 * setSqeFlags(sqe, 0, IOSQE_IO_LINK); // the next SQE runs after this one
 * ```
 */
export function setSqeFlags(view: DataView, base: number, flags: number): void {
  view.setUint8(base + O_FLAGS, flags);
}

/**
 * Sets `sqe.user_data` from two u32 halves.
 *
 * @example
 * ```ts
 * import { layouts, prepNop, setSqeUserData } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepNop(sqe, 0, 0);
 * setSqeUserData(sqe, 0, 5, 3); // fd 5, generation 3, no BigInt
 * ```
 */
export function setSqeUserData(view: DataView, base: number, lo: number, hi: number): void {
  setU64Parts(view, base + O_USER_DATA, lo, hi);
}

function setOpFlags(view: DataView, base: number, value: number): void {
  view.setUint32(base + O_OPFLAGS, value >>> 0, LE);
}

/**
 * IORING_OP_NOP: completes with res 0.
 *
 * @example
 * ```ts
 * import { layouts, prepNop } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepNop(sqe, 0, 99n); // completes with res 0 and user_data 99
 * ```
 */
export function prepNop(view: DataView, base: number, userData: number | bigint): void {
  prepRw(view, base, C.IORING_OP_NOP, -1, 0, 0, 0, userData);
}

/**
 * IORING_OP_POLL_ADD, one-shot: one CQE when `fd` has any of `pollMask`
 * (POLLIN, POLLOUT, ...), with the ready mask in `res`. The mask goes in the
 * 32-bit `poll32_events` (little-endian archs only, as this package).
 *
 * @example
 * ```ts
 * import { POLLIN, layouts, prepPollAdd } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepPollAdd(sqe, 0, 5, POLLIN, 5n); // one CQE when fd 5 is readable
 * ```
 */
export function prepPollAdd(
  view: DataView,
  base: number,
  fd: number,
  pollMask: number,
  userData: number | bigint,
): void {
  prepRw(view, base, C.IORING_OP_POLL_ADD, fd, 0, 0, 0, userData);
  setOpFlags(view, base, pollMask);
}

/**
 * Hot-path POLL_ADD with `user_data` as two u32 halves; `multishot` sets IORING_POLL_ADD_MULTI.
 *
 * @example
 * ```ts
 * import { POLLIN, POLLOUT, layouts, prepPollAddParts } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepPollAddParts(sqe, 0, 5, POLLIN | POLLOUT, false, 5, 1); // user_data: fd 5, generation 1
 * ```
 */
export function prepPollAddParts(
  view: DataView,
  base: number,
  fd: number,
  pollMask: number,
  multishot: boolean,
  userDataLo: number,
  userDataHi: number,
): void {
  prepRwParts(
    view,
    base,
    C.IORING_OP_POLL_ADD,
    fd,
    0,
    multishot ? C.IORING_POLL_ADD_MULTI : 0,
    0,
    userDataLo,
    userDataHi,
  );
  setOpFlags(view, base, pollMask);
}

/**
 * IORING_OP_POLL_ADD with IORING_POLL_ADD_MULTI (linux 5.13): stays armed and
 * posts a CQE with IORING_CQE_F_MORE per wake-up; a CQE without F_MORE means
 * the poll ended and must be re-armed.
 *
 * @example
 * ```ts
 * import { IORING_CQE_F_MORE, POLLIN, layouts, prepPollMultishot } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepPollMultishot(sqe, 0, 5, POLLIN, 5n);
 * // each CQE has IORING_CQE_F_MORE while the poll stays armed
 * ```
 */
export function prepPollMultishot(
  view: DataView,
  base: number,
  fd: number,
  pollMask: number,
  userData: number | bigint,
): void {
  prepRw(view, base, C.IORING_OP_POLL_ADD, fd, 0, C.IORING_POLL_ADD_MULTI, 0, userData);
  setOpFlags(view, base, pollMask);
}

/**
 * IORING_OP_POLL_REMOVE: removes the poll whose `user_data` was
 * `targetUserData` (the kernel matches `addr`, not the fd). Completes with 0,
 * -ENOENT or -EALREADY under its own `userData`.
 *
 * @example
 * ```ts
 * import { POLLIN, layouts, prepPollAdd, prepPollRemove } from '@evring/abi';
 * const sqes = new DataView(new ArrayBuffer(2 * layouts.io_uring_sqe.size));
 * prepPollAdd(sqes, 0, 5, POLLIN, 10n);
 * prepPollRemove(sqes, 64, 10n, 11n); // removes the poll above; its own CQE carries 11
 * ```
 */
export function prepPollRemove(
  view: DataView,
  base: number,
  targetUserData: number | bigint,
  userData: number | bigint,
): void {
  prepRw(view, base, C.IORING_OP_POLL_REMOVE, -1, 0, 0, 0, userData);
  setU64Any(view, base + O_ADDR, targetUserData);
}

/**
 * Hot-path POLL_REMOVE with both user_data values as u32 halves.
 *
 * @example
 * ```ts
 * import { layouts, prepPollRemoveParts } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepPollRemoveParts(sqe, 0, 5, 1, 0xffffffff, 0); // target fd 5 / gen 1, tagged as a removal
 * ```
 */
export function prepPollRemoveParts(
  view: DataView,
  base: number,
  targetLo: number,
  targetHi: number,
  userDataLo: number,
  userDataHi: number,
): void {
  prepRwParts(view, base, C.IORING_OP_POLL_REMOVE, -1, 0, 0, 0, userDataLo, userDataHi);
  setU64Parts(view, base + O_ADDR, targetLo, targetHi);
}

/**
 * IORING_OP_POLL_REMOVE as an update (linux 5.13): `flags` is a mix of
 * IORING_POLL_UPDATE_EVENTS (new mask `pollMask`), IORING_POLL_UPDATE_USER_DATA
 * (new user_data `newUserData`, carried in `off`) and IORING_POLL_ADD_MULTI.
 *
 * @example
 * ```ts
 * import { IORING_POLL_UPDATE_EVENTS, POLLOUT, layouts, prepPollUpdate } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepPollUpdate(sqe, 0, 10n, 0n, POLLOUT, IORING_POLL_UPDATE_EVENTS, 12n); // poll 10 now waits for POLLOUT
 * ```
 */
export function prepPollUpdate(
  view: DataView,
  base: number,
  oldUserData: number | bigint,
  newUserData: number | bigint,
  pollMask: number,
  flags: number,
  userData: number | bigint,
): void {
  prepRw(view, base, C.IORING_OP_POLL_REMOVE, -1, 0, flags, 0, userData);
  setU64Any(view, base + O_ADDR, oldUserData);
  setU64Any(view, base + O_OFF, newUserData);
  setOpFlags(view, base, pollMask);
}

/**
 * IORING_OP_TIMEOUT (linux 5.4): completes with -ETIME when the
 * `__kernel_timespec` at user address `timespecAddr` elapses, or with 0 after
 * `count` other completions (0: time only). `flags`: IORING_TIMEOUT_ABS, ...
 *
 * @example
 * ```ts
 * import { __kernel_timespec, layouts, prepTimeout, writeTimespecMs } from '@evring/abi';
 * import { pinnedAlloc } from '@evring/sys';
 * const ts = pinnedAlloc(__kernel_timespec.size); // memory whose address the kernel may read
 * writeTimespecMs(new DataView(ts.buffer), 0, 250);
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepTimeout(sqe, 0, ts.address, 0, 0, 1n); // completes with -ETIME after 250 ms
 * ```
 */
export function prepTimeout(
  view: DataView,
  base: number,
  timespecAddr: number,
  count: number,
  flags: number,
  userData: number | bigint,
): void {
  prepRw(view, base, C.IORING_OP_TIMEOUT, -1, timespecAddr, 1, count, userData);
  setOpFlags(view, base, flags);
}

/**
 * IORING_OP_TIMEOUT_REMOVE (linux 5.5): cancels the timeout whose user_data is `targetUserData`.
 *
 * @example
 * ```ts
 * import { layouts, prepTimeoutRemove } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepTimeoutRemove(sqe, 0, 1n, 0, 2n); // cancels the timeout submitted as user_data 1
 * ```
 */
export function prepTimeoutRemove(
  view: DataView,
  base: number,
  targetUserData: number | bigint,
  flags: number,
  userData: number | bigint,
): void {
  prepRw(view, base, C.IORING_OP_TIMEOUT_REMOVE, -1, 0, 0, 0, userData);
  setU64Any(view, base + O_ADDR, targetUserData);
  setOpFlags(view, base, flags);
}

/**
 * IORING_OP_LINK_TIMEOUT: bounds the previous linked SQE by the timespec at `timespecAddr`.
 *
 * @example
 * ```ts
 * import { IOSQE_IO_LINK, POLLIN, layouts, prepLinkTimeout, prepPollAdd, setSqeFlags } from '@evring/abi';
 * declare const timespecAddress: number;
 * const sqes = new DataView(new ArrayBuffer(2 * layouts.io_uring_sqe.size));
 * prepPollAdd(sqes, 0, 5, POLLIN, 1n);
 * setSqeFlags(sqes, 0, IOSQE_IO_LINK);
 * prepLinkTimeout(sqes, 64, timespecAddress, 0, 2n); // the poll is cancelled if the time runs out
 * ```
 */
export function prepLinkTimeout(
  view: DataView,
  base: number,
  timespecAddr: number,
  flags: number,
  userData: number | bigint,
): void {
  prepRw(view, base, C.IORING_OP_LINK_TIMEOUT, -1, timespecAddr, 1, 0, userData);
  setOpFlags(view, base, flags);
}

/**
 * IORING_OP_ASYNC_CANCEL: cancels the request whose user_data is `targetUserData`.
 *
 * @example
 * ```ts
 * import { layouts, prepCancel } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepCancel(sqe, 0, 1n, 0, 2n); // res: 0, -ENOENT or -EALREADY
 * ```
 */
export function prepCancel(
  view: DataView,
  base: number,
  targetUserData: number | bigint,
  flags: number,
  userData: number | bigint,
): void {
  prepRw(view, base, C.IORING_OP_ASYNC_CANCEL, -1, 0, 0, 0, userData);
  setU64Any(view, base + O_ADDR, targetUserData);
  setOpFlags(view, base, flags);
}

/**
 * IORING_OP_READ: `len` bytes from `fd` at `offset` (-1: current position) into user address `bufAddr`.
 *
 * @example
 * ```ts
 * import { layouts, prepRead } from '@evring/abi';
 * declare const bufferAddress: number;
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepRead(sqe, 0, 5, bufferAddress, 4096, -1, 1n); // from the current position
 * ```
 */
export function prepRead(
  view: DataView,
  base: number,
  fd: number,
  bufAddr: number,
  len: number,
  offset: number,
  userData: number | bigint,
): void {
  prepRw(view, base, C.IORING_OP_READ, fd, bufAddr, len, offset, userData);
}

/**
 * IORING_OP_WRITE: `len` bytes from user address `bufAddr` to `fd` at `offset` (-1: current position).
 *
 * @example
 * ```ts
 * import { layouts, prepWrite } from '@evring/abi';
 * declare const bufferAddress: number;
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepWrite(sqe, 0, 5, bufferAddress, 1, -1, 1n);
 * ```
 */
export function prepWrite(
  view: DataView,
  base: number,
  fd: number,
  bufAddr: number,
  len: number,
  offset: number,
  userData: number | bigint,
): void {
  prepRw(view, base, C.IORING_OP_WRITE, fd, bufAddr, len, offset, userData);
}

/**
 * IORING_OP_READV: into the `iovcnt` iovecs at user address `iovecAddr`.
 *
 * @example
 * ```ts
 * import { layouts, prepReadv } from '@evring/abi';
 * declare const iovecAddress: number;
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepReadv(sqe, 0, 5, iovecAddress, 2, 0, 1n);
 * ```
 */
export function prepReadv(
  view: DataView,
  base: number,
  fd: number,
  iovecAddr: number,
  iovcnt: number,
  offset: number,
  userData: number | bigint,
): void {
  prepRw(view, base, C.IORING_OP_READV, fd, iovecAddr, iovcnt, offset, userData);
}

/**
 * IORING_OP_WRITEV: from the `iovcnt` iovecs at user address `iovecAddr`.
 *
 * @example
 * ```ts
 * import { layouts, prepWritev } from '@evring/abi';
 * declare const iovecAddress: number;
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepWritev(sqe, 0, 5, iovecAddress, 2, 0, 1n);
 * ```
 */
export function prepWritev(
  view: DataView,
  base: number,
  fd: number,
  iovecAddr: number,
  iovcnt: number,
  offset: number,
  userData: number | bigint,
): void {
  prepRw(view, base, C.IORING_OP_WRITEV, fd, iovecAddr, iovcnt, offset, userData);
}

/**
 * IORING_OP_FSYNC; `flags` may be IORING_FSYNC_DATASYNC.
 *
 * @example
 * ```ts
 * import { IORING_FSYNC_DATASYNC, layouts, prepFsync } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepFsync(sqe, 0, 5, IORING_FSYNC_DATASYNC, 1n);
 * ```
 */
export function prepFsync(
  view: DataView,
  base: number,
  fd: number,
  flags: number,
  userData: number | bigint,
): void {
  prepRw(view, base, C.IORING_OP_FSYNC, fd, 0, 0, 0, userData);
  setOpFlags(view, base, flags);
}

/**
 * IORING_OP_ACCEPT: `addrAddr`/`addrlenAddr` are user addresses of a
 * sockaddr buffer and its socklen_t (0 for none); `flags` are accept4 flags.
 *
 * @example
 * ```ts
 * import { SOCK_CLOEXEC, SOCK_NONBLOCK, layouts, prepAccept } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepAccept(sqe, 0, 5, 0, 0, SOCK_NONBLOCK | SOCK_CLOEXEC, 1n); // res: the new fd
 * ```
 */
export function prepAccept(
  view: DataView,
  base: number,
  fd: number,
  addrAddr: number,
  addrlenAddr: number,
  flags: number,
  userData: number | bigint,
): void {
  prepRw(view, base, C.IORING_OP_ACCEPT, fd, addrAddr, 0, addrlenAddr, userData);
  setOpFlags(view, base, flags);
}

/**
 * IORING_OP_CONNECT to the sockaddr of `addrlen` bytes at user address `addrAddr`.
 *
 * @example
 * ```ts
 * import { layouts, prepConnect } from '@evring/abi';
 * declare const sockaddrAddress: number;
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepConnect(sqe, 0, 5, sockaddrAddress, 16, 1n); // a sockaddr_in
 * ```
 */
export function prepConnect(
  view: DataView,
  base: number,
  fd: number,
  addrAddr: number,
  addrlen: number,
  userData: number | bigint,
): void {
  prepRw(view, base, C.IORING_OP_CONNECT, fd, addrAddr, 0, addrlen, userData);
}

/**
 * IORING_OP_RECV into `len` bytes at `bufAddr`; `flags` are MSG_* flags.
 *
 * @example
 * ```ts
 * import { layouts, prepRecv } from '@evring/abi';
 * declare const bufferAddress: number;
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepRecv(sqe, 0, 5, bufferAddress, 4096, 0, 1n);
 * ```
 */
export function prepRecv(
  view: DataView,
  base: number,
  fd: number,
  bufAddr: number,
  len: number,
  flags: number,
  userData: number | bigint,
): void {
  prepRw(view, base, C.IORING_OP_RECV, fd, bufAddr, len, 0, userData);
  setOpFlags(view, base, flags);
}

/**
 * IORING_OP_SEND of `len` bytes at `bufAddr`; `flags` are MSG_* flags.
 *
 * @example
 * ```ts
 * import { MSG_NOSIGNAL, layouts, prepSend } from '@evring/abi';
 * declare const bufferAddress: number;
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepSend(sqe, 0, 5, bufferAddress, 1, MSG_NOSIGNAL, 1n);
 * ```
 */
export function prepSend(
  view: DataView,
  base: number,
  fd: number,
  bufAddr: number,
  len: number,
  flags: number,
  userData: number | bigint,
): void {
  prepRw(view, base, C.IORING_OP_SEND, fd, bufAddr, len, 0, userData);
  setOpFlags(view, base, flags);
}

/**
 * IORING_OP_CLOSE (linux 5.6).
 *
 * @example
 * ```ts
 * import { layouts, prepClose } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepClose(sqe, 0, 5, 1n);
 * ```
 */
export function prepClose(
  view: DataView,
  base: number,
  fd: number,
  userData: number | bigint,
): void {
  prepRw(view, base, C.IORING_OP_CLOSE, fd, 0, 0, 0, userData);
}

/**
 * IORING_OP_OPENAT (linux 5.6): the NUL-terminated path at user address `pathAddr`.
 *
 * @example
 * ```ts
 * import { O_CLOEXEC, layouts, prepOpenat } from '@evring/abi';
 * declare const pathAddress: number;
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepOpenat(sqe, 0, -100, pathAddress, O_CLOEXEC, 0, 1n); // AT_FDCWD; res: the fd
 * ```
 */
export function prepOpenat(
  view: DataView,
  base: number,
  dirfd: number,
  pathAddr: number,
  flags: number,
  mode: number,
  userData: number | bigint,
): void {
  prepRw(view, base, C.IORING_OP_OPENAT, dirfd, pathAddr, mode, 0, userData);
  setOpFlags(view, base, flags);
}

/**
 * IORING_OP_STATX (linux 5.6): `pathAddr` is the path, `statxAddr` the
 * `struct statx` to fill (carried in `off`), `mask` the STATX_* fields wanted.
 *
 * @example
 * ```ts
 * import { layouts, prepStatx } from '@evring/abi';
 * declare const pathAddress: number;
 * declare const statxAddress: number;
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepStatx(sqe, 0, -100, pathAddress, 0, 0x7ff, statxAddress, 1n); // STATX_BASIC_STATS
 * ```
 */
export function prepStatx(
  view: DataView,
  base: number,
  dirfd: number,
  pathAddr: number,
  flags: number,
  mask: number,
  statxAddr: number,
  userData: number | bigint,
): void {
  prepRw(view, base, C.IORING_OP_STATX, dirfd, pathAddr, mask, statxAddr, userData);
  setOpFlags(view, base, flags);
}

/**
 * IORING_OP_EPOLL_CTL (linux 5.6): `eventAddr` is the user address of an epoll_event.
 *
 * @example
 * ```ts
 * import { EPOLL_CTL_ADD, layouts, prepEpollCtl } from '@evring/abi';
 * declare const eventAddress: number;
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepEpollCtl(sqe, 0, 4, 5, EPOLL_CTL_ADD, eventAddress, 1n); // add fd 5 to epoll 4
 * ```
 */
export function prepEpollCtl(
  view: DataView,
  base: number,
  epfd: number,
  fd: number,
  op: number,
  eventAddr: number,
  userData: number | bigint,
): void {
  prepRw(view, base, C.IORING_OP_EPOLL_CTL, epfd, eventAddr, op, fd, userData);
}

/**
 * Reads the opcode of the SQE at `base`.
 *
 * @example
 * ```ts
 * import { IORING_OP_POLL_ADD, POLLIN, layouts, prepPollAdd, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepPollAdd(sqe, 0, 5, POLLIN, 1n);
 * sqeOpcode(sqe, 0) === IORING_OP_POLL_ADD; // true
 * ```
 */
export function sqeOpcode(view: DataView, base: number): number {
  return view.getUint8(base + O_OPCODE);
}

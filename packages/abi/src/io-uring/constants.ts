/**
 * io_uring constants, spelled as in `linux/io_uring.h`, each group headed by
 * the field it belongs to. Kernel versions follow liburing's man pages
 * (io_uring_setup.2, io_uring_enter.2, io_uring_register.2); values newer than
 * this machine's 6.1-era UAPI headers are marked with the version that added
 * them and are checked against the running kernel's probe, not the headers.
 *
 * @module
 */

// ---------------------------------------------------------------------------
// io_uring_sqe.opcode
// ---------------------------------------------------------------------------
/**
 * io_uring_sqe.opcode: does nothing and completes with res 0: a ring round trip.
 *
 * @example
 * ```ts
 * import { IORING_OP_NOP, layouts, prepNop, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepNop(sqe, 0, 1n);
 * sqeOpcode(sqe, 0) === IORING_OP_NOP; // true
 * ```
 */
export const IORING_OP_NOP = 0;
/**
 * io_uring_sqe.opcode: preadv2(2) into an iovec array.
 *
 * @example
 * ```ts
 * import { IORING_OP_READV, layouts, prepReadv, sqeOpcode } from '@evring/abi';
 * declare const iovecAddress: number; // a user address the kernel may use
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepReadv(sqe, 0, 5, iovecAddress, 2, 0, 1n);
 * sqeOpcode(sqe, 0) === IORING_OP_READV; // true
 * ```
 */
export const IORING_OP_READV = 1;
/**
 * io_uring_sqe.opcode: pwritev2(2) from an iovec array.
 *
 * @example
 * ```ts
 * import { IORING_OP_WRITEV, layouts, prepWritev, sqeOpcode } from '@evring/abi';
 * declare const iovecAddress: number; // a user address the kernel may use
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepWritev(sqe, 0, 5, iovecAddress, 2, 0, 1n);
 * sqeOpcode(sqe, 0) === IORING_OP_WRITEV; // true
 * ```
 */
export const IORING_OP_WRITEV = 2;
/**
 * io_uring_sqe.opcode: fsync(2), or fdatasync with IORING_FSYNC_DATASYNC.
 *
 * @example
 * ```ts
 * import { IORING_OP_FSYNC, layouts, prepFsync, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepFsync(sqe, 0, 5, 0, 1n);
 * sqeOpcode(sqe, 0) === IORING_OP_FSYNC; // true
 * ```
 */
export const IORING_OP_FSYNC = 3;
/**
 * io_uring_sqe.opcode: read into a registered buffer (`buf_index`).
 *
 * @example
 * ```ts
 * import { IORING_OP_READ_FIXED, layouts, prepRw, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * // no builder here: prepRw writes every field, then set the op-specific ones
 * prepRw(sqe, 0, IORING_OP_READ_FIXED, -1, 0, 0, 0, 1n);
 * sqeOpcode(sqe, 0); // IORING_OP_READ_FIXED
 * ```
 */
export const IORING_OP_READ_FIXED = 4;
/**
 * io_uring_sqe.opcode: write from a registered buffer (`buf_index`).
 *
 * @example
 * ```ts
 * import { IORING_OP_WRITE_FIXED, layouts, prepRw, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * // no builder here: prepRw writes every field, then set the op-specific ones
 * prepRw(sqe, 0, IORING_OP_WRITE_FIXED, -1, 0, 0, 0, 1n);
 * sqeOpcode(sqe, 0); // IORING_OP_WRITE_FIXED
 * ```
 */
export const IORING_OP_WRITE_FIXED = 5;
/**
 * io_uring_sqe.opcode: readiness poll of one fd (one-shot, or multishot with IORING_POLL_ADD_MULTI); `res` is the ready mask.
 *
 * @example
 * ```ts
 * import { IORING_OP_POLL_ADD, layouts, prepPollAdd, POLLIN, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepPollAdd(sqe, 0, 5, POLLIN, 1n);
 * sqeOpcode(sqe, 0) === IORING_OP_POLL_ADD; // true
 * ```
 */
export const IORING_OP_POLL_ADD = 6;
/**
 * io_uring_sqe.opcode: removes (or, with IORING_POLL_UPDATE_*, updates) the poll whose user_data is in `addr`.
 *
 * @example
 * ```ts
 * import { IORING_OP_POLL_REMOVE, layouts, prepPollRemove, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepPollRemove(sqe, 0, 1n, 2n); // removes the poll added as user_data 1
 * sqeOpcode(sqe, 0) === IORING_OP_POLL_REMOVE; // true
 * ```
 */
export const IORING_OP_POLL_REMOVE = 7;
/**
 * io_uring_sqe.opcode: sync_file_range(2).
 *
 * @example
 * ```ts
 * import { IORING_OP_SYNC_FILE_RANGE, layouts, prepRw, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * // no builder here: prepRw writes every field, then set the op-specific ones
 * prepRw(sqe, 0, IORING_OP_SYNC_FILE_RANGE, -1, 0, 0, 0, 1n);
 * sqeOpcode(sqe, 0); // IORING_OP_SYNC_FILE_RANGE
 * ```
 */
export const IORING_OP_SYNC_FILE_RANGE = 8;
/**
 * io_uring_sqe.opcode: sendmsg(2).
 *
 * @example
 * ```ts
 * import { IORING_OP_SENDMSG, layouts, prepRw, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * // no builder here: prepRw writes every field, then set the op-specific ones
 * prepRw(sqe, 0, IORING_OP_SENDMSG, -1, 0, 0, 0, 1n);
 * sqeOpcode(sqe, 0); // IORING_OP_SENDMSG
 * ```
 */
export const IORING_OP_SENDMSG = 9;
/**
 * io_uring_sqe.opcode: recvmsg(2).
 *
 * @example
 * ```ts
 * import { IORING_OP_RECVMSG, layouts, prepRw, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * // no builder here: prepRw writes every field, then set the op-specific ones
 * prepRw(sqe, 0, IORING_OP_RECVMSG, -1, 0, 0, 0, 1n);
 * sqeOpcode(sqe, 0); // IORING_OP_RECVMSG
 * ```
 */
export const IORING_OP_RECVMSG = 10;
/**
 * io_uring_sqe.opcode: completes after a timespec elapses or after `off` other completions; linux 5.4.
 *
 * @example
 * ```ts
 * import { IORING_OP_TIMEOUT, layouts, prepTimeout, sqeOpcode } from '@evring/abi';
 * declare const timespecAddress: number; // a user address the kernel may use
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepTimeout(sqe, 0, timespecAddress, 0, 0, 1n);
 * sqeOpcode(sqe, 0) === IORING_OP_TIMEOUT; // true
 * ```
 */
export const IORING_OP_TIMEOUT = 11;
/**
 * io_uring_sqe.opcode: cancels (or updates) a pending IORING_OP_TIMEOUT; linux 5.5.
 *
 * @example
 * ```ts
 * import { IORING_OP_TIMEOUT_REMOVE, layouts, prepTimeoutRemove, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepTimeoutRemove(sqe, 0, 1n, 0, 2n);
 * sqeOpcode(sqe, 0) === IORING_OP_TIMEOUT_REMOVE; // true
 * ```
 */
export const IORING_OP_TIMEOUT_REMOVE = 12;
/**
 * io_uring_sqe.opcode: accept4(2).
 *
 * @example
 * ```ts
 * import { IORING_OP_ACCEPT, layouts, prepAccept, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepAccept(sqe, 0, 5, 0, 0, 0, 1n);
 * sqeOpcode(sqe, 0) === IORING_OP_ACCEPT; // true
 * ```
 */
export const IORING_OP_ACCEPT = 13;
/**
 * io_uring_sqe.opcode: cancels the request whose user_data is in `addr`.
 *
 * @example
 * ```ts
 * import { IORING_OP_ASYNC_CANCEL, layouts, prepCancel, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepCancel(sqe, 0, 1n, 0, 2n);
 * sqeOpcode(sqe, 0) === IORING_OP_ASYNC_CANCEL; // true
 * ```
 */
export const IORING_OP_ASYNC_CANCEL = 14;
/**
 * io_uring_sqe.opcode: bounds the SQE linked before it by a timespec.
 *
 * @example
 * ```ts
 * import { IORING_OP_LINK_TIMEOUT, layouts, prepLinkTimeout, sqeOpcode } from '@evring/abi';
 * declare const timespecAddress: number; // a user address the kernel may use
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepLinkTimeout(sqe, 0, timespecAddress, 0, 1n);
 * sqeOpcode(sqe, 0) === IORING_OP_LINK_TIMEOUT; // true
 * ```
 */
export const IORING_OP_LINK_TIMEOUT = 15;
/**
 * io_uring_sqe.opcode: connect(2).
 *
 * @example
 * ```ts
 * import { IORING_OP_CONNECT, layouts, prepConnect, sqeOpcode } from '@evring/abi';
 * declare const sockaddrAddress: number; // a user address the kernel may use
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepConnect(sqe, 0, 5, sockaddrAddress, 16, 1n);
 * sqeOpcode(sqe, 0) === IORING_OP_CONNECT; // true
 * ```
 */
export const IORING_OP_CONNECT = 16;
/**
 * io_uring_sqe.opcode: fallocate(2); linux 5.6.
 *
 * @example
 * ```ts
 * import { IORING_OP_FALLOCATE, layouts, prepRw, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * // no builder here: prepRw writes every field, then set the op-specific ones
 * prepRw(sqe, 0, IORING_OP_FALLOCATE, -1, 0, 0, 0, 1n);
 * sqeOpcode(sqe, 0); // IORING_OP_FALLOCATE
 * ```
 */
export const IORING_OP_FALLOCATE = 17;
/**
 * io_uring_sqe.opcode: openat(2).
 *
 * @example
 * ```ts
 * import { IORING_OP_OPENAT, layouts, prepOpenat, sqeOpcode } from '@evring/abi';
 * declare const pathAddress: number; // a user address the kernel may use
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepOpenat(sqe, 0, -100, pathAddress, 0, 0, 1n); // AT_FDCWD
 * sqeOpcode(sqe, 0) === IORING_OP_OPENAT; // true
 * ```
 */
export const IORING_OP_OPENAT = 18;
/**
 * io_uring_sqe.opcode: close(2).
 *
 * @example
 * ```ts
 * import { IORING_OP_CLOSE, layouts, prepClose, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepClose(sqe, 0, 5, 1n);
 * sqeOpcode(sqe, 0) === IORING_OP_CLOSE; // true
 * ```
 */
export const IORING_OP_CLOSE = 19;
/**
 * io_uring_sqe.opcode: updates registered files from the ring.
 *
 * @example
 * ```ts
 * import { IORING_OP_FILES_UPDATE, layouts, prepRw, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * // no builder here: prepRw writes every field, then set the op-specific ones
 * prepRw(sqe, 0, IORING_OP_FILES_UPDATE, -1, 0, 0, 0, 1n);
 * sqeOpcode(sqe, 0); // IORING_OP_FILES_UPDATE
 * ```
 */
export const IORING_OP_FILES_UPDATE = 20;
/**
 * io_uring_sqe.opcode: statx(2).
 *
 * @example
 * ```ts
 * import { IORING_OP_STATX, layouts, prepStatx, sqeOpcode } from '@evring/abi';
 * declare const pathAddress: number; // a user address the kernel may use
 * declare const statxAddress: number; // a user address the kernel may use
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepStatx(sqe, 0, -100, pathAddress, 0, 0x7ff, statxAddress, 1n);
 * sqeOpcode(sqe, 0) === IORING_OP_STATX; // true
 * ```
 */
export const IORING_OP_STATX = 21;
/**
 * io_uring_sqe.opcode: read(2)/pread(2) into one buffer.
 *
 * @example
 * ```ts
 * import { IORING_OP_READ, layouts, prepRead, sqeOpcode } from '@evring/abi';
 * declare const bufferAddress: number; // a user address the kernel may use
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepRead(sqe, 0, 5, bufferAddress, 4096, -1, 1n);
 * sqeOpcode(sqe, 0) === IORING_OP_READ; // true
 * ```
 */
export const IORING_OP_READ = 22;
/**
 * io_uring_sqe.opcode: write(2)/pwrite(2) from one buffer.
 *
 * @example
 * ```ts
 * import { IORING_OP_WRITE, layouts, prepWrite, sqeOpcode } from '@evring/abi';
 * declare const bufferAddress: number; // a user address the kernel may use
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepWrite(sqe, 0, 5, bufferAddress, 1, -1, 1n);
 * sqeOpcode(sqe, 0) === IORING_OP_WRITE; // true
 * ```
 */
export const IORING_OP_WRITE = 23;
/**
 * io_uring_sqe.opcode: posix_fadvise(2).
 *
 * @example
 * ```ts
 * import { IORING_OP_FADVISE, layouts, prepRw, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * // no builder here: prepRw writes every field, then set the op-specific ones
 * prepRw(sqe, 0, IORING_OP_FADVISE, -1, 0, 0, 0, 1n);
 * sqeOpcode(sqe, 0); // IORING_OP_FADVISE
 * ```
 */
export const IORING_OP_FADVISE = 24;
/**
 * io_uring_sqe.opcode: madvise(2).
 *
 * @example
 * ```ts
 * import { IORING_OP_MADVISE, layouts, prepRw, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * // no builder here: prepRw writes every field, then set the op-specific ones
 * prepRw(sqe, 0, IORING_OP_MADVISE, -1, 0, 0, 0, 1n);
 * sqeOpcode(sqe, 0); // IORING_OP_MADVISE
 * ```
 */
export const IORING_OP_MADVISE = 25;
/**
 * io_uring_sqe.opcode: send(2).
 *
 * @example
 * ```ts
 * import { IORING_OP_SEND, layouts, prepSend, sqeOpcode } from '@evring/abi';
 * declare const bufferAddress: number; // a user address the kernel may use
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepSend(sqe, 0, 5, bufferAddress, 1, 0, 1n);
 * sqeOpcode(sqe, 0) === IORING_OP_SEND; // true
 * ```
 */
export const IORING_OP_SEND = 26;
/**
 * io_uring_sqe.opcode: recv(2).
 *
 * @example
 * ```ts
 * import { IORING_OP_RECV, layouts, prepRecv, sqeOpcode } from '@evring/abi';
 * declare const bufferAddress: number; // a user address the kernel may use
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepRecv(sqe, 0, 5, bufferAddress, 4096, 0, 1n);
 * sqeOpcode(sqe, 0) === IORING_OP_RECV; // true
 * ```
 */
export const IORING_OP_RECV = 27;
/**
 * io_uring_sqe.opcode: openat2(2).
 *
 * @example
 * ```ts
 * import { IORING_OP_OPENAT2, layouts, prepRw, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * // no builder here: prepRw writes every field, then set the op-specific ones
 * prepRw(sqe, 0, IORING_OP_OPENAT2, -1, 0, 0, 0, 1n);
 * sqeOpcode(sqe, 0); // IORING_OP_OPENAT2
 * ```
 */
export const IORING_OP_OPENAT2 = 28;
/**
 * io_uring_sqe.opcode: epoll_ctl(2).
 *
 * @example
 * ```ts
 * import { IORING_OP_EPOLL_CTL, layouts, prepEpollCtl, EPOLL_CTL_ADD, sqeOpcode } from '@evring/abi';
 * declare const eventAddress: number; // a user address the kernel may use
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepEpollCtl(sqe, 0, 4, 5, EPOLL_CTL_ADD, eventAddress, 1n);
 * sqeOpcode(sqe, 0) === IORING_OP_EPOLL_CTL; // true
 * ```
 */
export const IORING_OP_EPOLL_CTL = 29;
/**
 * io_uring_sqe.opcode: splice(2); linux 5.7.
 *
 * @example
 * ```ts
 * import { IORING_OP_SPLICE, layouts, prepRw, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * // no builder here: prepRw writes every field, then set the op-specific ones
 * prepRw(sqe, 0, IORING_OP_SPLICE, -1, 0, 0, 0, 1n);
 * sqeOpcode(sqe, 0); // IORING_OP_SPLICE
 * ```
 */
export const IORING_OP_SPLICE = 30;
/**
 * io_uring_sqe.opcode: hands a group of buffers to the kernel for IOSQE_BUFFER_SELECT.
 *
 * @example
 * ```ts
 * import { IORING_OP_PROVIDE_BUFFERS, layouts, prepRw, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * // no builder here: prepRw writes every field, then set the op-specific ones
 * prepRw(sqe, 0, IORING_OP_PROVIDE_BUFFERS, -1, 0, 0, 0, 1n);
 * sqeOpcode(sqe, 0); // IORING_OP_PROVIDE_BUFFERS
 * ```
 */
export const IORING_OP_PROVIDE_BUFFERS = 31;
/**
 * io_uring_sqe.opcode: takes provided buffers back.
 *
 * @example
 * ```ts
 * import { IORING_OP_REMOVE_BUFFERS, layouts, prepRw, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * // no builder here: prepRw writes every field, then set the op-specific ones
 * prepRw(sqe, 0, IORING_OP_REMOVE_BUFFERS, -1, 0, 0, 0, 1n);
 * sqeOpcode(sqe, 0); // IORING_OP_REMOVE_BUFFERS
 * ```
 */
export const IORING_OP_REMOVE_BUFFERS = 32;
/**
 * io_uring_sqe.opcode: tee(2); linux 5.8.
 *
 * @example
 * ```ts
 * import { IORING_OP_TEE, layouts, prepRw, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * // no builder here: prepRw writes every field, then set the op-specific ones
 * prepRw(sqe, 0, IORING_OP_TEE, -1, 0, 0, 0, 1n);
 * sqeOpcode(sqe, 0); // IORING_OP_TEE
 * ```
 */
export const IORING_OP_TEE = 33;
/**
 * io_uring_sqe.opcode: shutdown(2); linux 5.11.
 *
 * @example
 * ```ts
 * import { IORING_OP_SHUTDOWN, layouts, prepRw, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * // no builder here: prepRw writes every field, then set the op-specific ones
 * prepRw(sqe, 0, IORING_OP_SHUTDOWN, -1, 0, 0, 0, 1n);
 * sqeOpcode(sqe, 0); // IORING_OP_SHUTDOWN
 * ```
 */
export const IORING_OP_SHUTDOWN = 34;
/**
 * io_uring_sqe.opcode: renameat2(2).
 *
 * @example
 * ```ts
 * import { IORING_OP_RENAMEAT, layouts, prepRw, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * // no builder here: prepRw writes every field, then set the op-specific ones
 * prepRw(sqe, 0, IORING_OP_RENAMEAT, -1, 0, 0, 0, 1n);
 * sqeOpcode(sqe, 0); // IORING_OP_RENAMEAT
 * ```
 */
export const IORING_OP_RENAMEAT = 35;
/**
 * io_uring_sqe.opcode: unlinkat(2).
 *
 * @example
 * ```ts
 * import { IORING_OP_UNLINKAT, layouts, prepRw, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * // no builder here: prepRw writes every field, then set the op-specific ones
 * prepRw(sqe, 0, IORING_OP_UNLINKAT, -1, 0, 0, 0, 1n);
 * sqeOpcode(sqe, 0); // IORING_OP_UNLINKAT
 * ```
 */
export const IORING_OP_UNLINKAT = 36;
/**
 * io_uring_sqe.opcode: mkdirat(2); linux 5.15.
 *
 * @example
 * ```ts
 * import { IORING_OP_MKDIRAT, layouts, prepRw, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * // no builder here: prepRw writes every field, then set the op-specific ones
 * prepRw(sqe, 0, IORING_OP_MKDIRAT, -1, 0, 0, 0, 1n);
 * sqeOpcode(sqe, 0); // IORING_OP_MKDIRAT
 * ```
 */
export const IORING_OP_MKDIRAT = 37;
/**
 * io_uring_sqe.opcode: symlinkat(2).
 *
 * @example
 * ```ts
 * import { IORING_OP_SYMLINKAT, layouts, prepRw, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * // no builder here: prepRw writes every field, then set the op-specific ones
 * prepRw(sqe, 0, IORING_OP_SYMLINKAT, -1, 0, 0, 0, 1n);
 * sqeOpcode(sqe, 0); // IORING_OP_SYMLINKAT
 * ```
 */
export const IORING_OP_SYMLINKAT = 38;
/**
 * io_uring_sqe.opcode: linkat(2).
 *
 * @example
 * ```ts
 * import { IORING_OP_LINKAT, layouts, prepRw, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * // no builder here: prepRw writes every field, then set the op-specific ones
 * prepRw(sqe, 0, IORING_OP_LINKAT, -1, 0, 0, 0, 1n);
 * sqeOpcode(sqe, 0); // IORING_OP_LINKAT
 * ```
 */
export const IORING_OP_LINKAT = 39;
/**
 * io_uring_sqe.opcode: posts a CQE to another ring; linux 5.18.
 *
 * @example
 * ```ts
 * import { IORING_OP_MSG_RING, layouts, prepRw, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * // no builder here: prepRw writes every field, then set the op-specific ones
 * prepRw(sqe, 0, IORING_OP_MSG_RING, -1, 0, 0, 0, 1n);
 * sqeOpcode(sqe, 0); // IORING_OP_MSG_RING
 * ```
 */
export const IORING_OP_MSG_RING = 40;
/**
 * io_uring_sqe.opcode: fsetxattr(2); linux 5.19.
 *
 * @example
 * ```ts
 * import { IORING_OP_FSETXATTR, layouts, prepRw, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * // no builder here: prepRw writes every field, then set the op-specific ones
 * prepRw(sqe, 0, IORING_OP_FSETXATTR, -1, 0, 0, 0, 1n);
 * sqeOpcode(sqe, 0); // IORING_OP_FSETXATTR
 * ```
 */
export const IORING_OP_FSETXATTR = 41;
/**
 * io_uring_sqe.opcode: setxattr(2).
 *
 * @example
 * ```ts
 * import { IORING_OP_SETXATTR, layouts, prepRw, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * // no builder here: prepRw writes every field, then set the op-specific ones
 * prepRw(sqe, 0, IORING_OP_SETXATTR, -1, 0, 0, 0, 1n);
 * sqeOpcode(sqe, 0); // IORING_OP_SETXATTR
 * ```
 */
export const IORING_OP_SETXATTR = 42;
/**
 * io_uring_sqe.opcode: fgetxattr(2).
 *
 * @example
 * ```ts
 * import { IORING_OP_FGETXATTR, layouts, prepRw, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * // no builder here: prepRw writes every field, then set the op-specific ones
 * prepRw(sqe, 0, IORING_OP_FGETXATTR, -1, 0, 0, 0, 1n);
 * sqeOpcode(sqe, 0); // IORING_OP_FGETXATTR
 * ```
 */
export const IORING_OP_FGETXATTR = 43;
/**
 * io_uring_sqe.opcode: getxattr(2).
 *
 * @example
 * ```ts
 * import { IORING_OP_GETXATTR, layouts, prepRw, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * // no builder here: prepRw writes every field, then set the op-specific ones
 * prepRw(sqe, 0, IORING_OP_GETXATTR, -1, 0, 0, 0, 1n);
 * sqeOpcode(sqe, 0); // IORING_OP_GETXATTR
 * ```
 */
export const IORING_OP_GETXATTR = 44;
/**
 * io_uring_sqe.opcode: socket(2).
 *
 * @example
 * ```ts
 * import { IORING_OP_SOCKET, layouts, prepRw, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * // no builder here: prepRw writes every field, then set the op-specific ones
 * prepRw(sqe, 0, IORING_OP_SOCKET, -1, 0, 0, 0, 1n);
 * sqeOpcode(sqe, 0); // IORING_OP_SOCKET
 * ```
 */
export const IORING_OP_SOCKET = 45;
/**
 * io_uring_sqe.opcode: a driver-specific passthrough command.
 *
 * @example
 * ```ts
 * import { IORING_OP_URING_CMD, layouts, prepRw, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * // no builder here: prepRw writes every field, then set the op-specific ones
 * prepRw(sqe, 0, IORING_OP_URING_CMD, -1, 0, 0, 0, 1n);
 * sqeOpcode(sqe, 0); // IORING_OP_URING_CMD
 * ```
 */
export const IORING_OP_URING_CMD = 46;
/**
 * io_uring_sqe.opcode: zero-copy send; a second CQE (IORING_CQE_F_NOTIF) says the buffer is free; linux 6.0.
 *
 * @example
 * ```ts
 * import { IORING_OP_SEND_ZC, layouts, prepRw, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * // no builder here: prepRw writes every field, then set the op-specific ones
 * prepRw(sqe, 0, IORING_OP_SEND_ZC, -1, 0, 0, 0, 1n);
 * sqeOpcode(sqe, 0); // IORING_OP_SEND_ZC
 * ```
 */
export const IORING_OP_SEND_ZC = 47;
/**
 * io_uring_sqe.opcode: zero-copy sendmsg; linux 6.1.
 *
 * @example
 * ```ts
 * import { IORING_OP_SENDMSG_ZC, layouts, prepRw, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * // no builder here: prepRw writes every field, then set the op-specific ones
 * prepRw(sqe, 0, IORING_OP_SENDMSG_ZC, -1, 0, 0, 0, 1n);
 * sqeOpcode(sqe, 0); // IORING_OP_SENDMSG_ZC
 * ```
 */
export const IORING_OP_SENDMSG_ZC = 48;
/**
 * io_uring_sqe.opcode: repeated reads into provided buffers; linux 6.7 (newer than this machine's headers).
 *
 * @example
 * ```ts
 * import { IORING_OP_READ_MULTISHOT, layouts, prepRw, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * // no builder here: prepRw writes every field, then set the op-specific ones
 * prepRw(sqe, 0, IORING_OP_READ_MULTISHOT, -1, 0, 0, 0, 1n);
 * sqeOpcode(sqe, 0); // IORING_OP_READ_MULTISHOT
 * ```
 */
export const IORING_OP_READ_MULTISHOT = 49;
/**
 * io_uring_sqe.opcode: waitid(2); linux 6.7.
 *
 * @example
 * ```ts
 * import { IORING_OP_WAITID, layouts, prepRw, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * // no builder here: prepRw writes every field, then set the op-specific ones
 * prepRw(sqe, 0, IORING_OP_WAITID, -1, 0, 0, 0, 1n);
 * sqeOpcode(sqe, 0); // IORING_OP_WAITID
 * ```
 */
export const IORING_OP_WAITID = 50;
/**
 * io_uring_sqe.opcode: futex wait; linux 6.7.
 *
 * @example
 * ```ts
 * import { IORING_OP_FUTEX_WAIT, layouts, prepRw, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * // no builder here: prepRw writes every field, then set the op-specific ones
 * prepRw(sqe, 0, IORING_OP_FUTEX_WAIT, -1, 0, 0, 0, 1n);
 * sqeOpcode(sqe, 0); // IORING_OP_FUTEX_WAIT
 * ```
 */
export const IORING_OP_FUTEX_WAIT = 51;
/**
 * io_uring_sqe.opcode: futex wake; linux 6.7.
 *
 * @example
 * ```ts
 * import { IORING_OP_FUTEX_WAKE, layouts, prepRw, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * // no builder here: prepRw writes every field, then set the op-specific ones
 * prepRw(sqe, 0, IORING_OP_FUTEX_WAKE, -1, 0, 0, 0, 1n);
 * sqeOpcode(sqe, 0); // IORING_OP_FUTEX_WAKE
 * ```
 */
export const IORING_OP_FUTEX_WAKE = 52;
/**
 * io_uring_sqe.opcode: futex_waitv(2); linux 6.7.
 *
 * @example
 * ```ts
 * import { IORING_OP_FUTEX_WAITV, layouts, prepRw, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * // no builder here: prepRw writes every field, then set the op-specific ones
 * prepRw(sqe, 0, IORING_OP_FUTEX_WAITV, -1, 0, 0, 0, 1n);
 * sqeOpcode(sqe, 0); // IORING_OP_FUTEX_WAITV
 * ```
 */
export const IORING_OP_FUTEX_WAITV = 53;
/**
 * io_uring_sqe.opcode: turns a direct descriptor into a regular fd; linux 6.8.
 *
 * @example
 * ```ts
 * import { IORING_OP_FIXED_FD_INSTALL, layouts, prepRw, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * // no builder here: prepRw writes every field, then set the op-specific ones
 * prepRw(sqe, 0, IORING_OP_FIXED_FD_INSTALL, -1, 0, 0, 0, 1n);
 * sqeOpcode(sqe, 0); // IORING_OP_FIXED_FD_INSTALL
 * ```
 */
export const IORING_OP_FIXED_FD_INSTALL = 54;
/**
 * io_uring_sqe.opcode: ftruncate(2); linux 6.9.
 *
 * @example
 * ```ts
 * import { IORING_OP_FTRUNCATE, layouts, prepRw, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * // no builder here: prepRw writes every field, then set the op-specific ones
 * prepRw(sqe, 0, IORING_OP_FTRUNCATE, -1, 0, 0, 0, 1n);
 * sqeOpcode(sqe, 0); // IORING_OP_FTRUNCATE
 * ```
 */
export const IORING_OP_FTRUNCATE = 55;
/**
 * io_uring_sqe.opcode: bind(2); linux 6.11.
 *
 * @example
 * ```ts
 * import { IORING_OP_BIND, layouts, prepRw, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * // no builder here: prepRw writes every field, then set the op-specific ones
 * prepRw(sqe, 0, IORING_OP_BIND, -1, 0, 0, 0, 1n);
 * sqeOpcode(sqe, 0); // IORING_OP_BIND
 * ```
 */
export const IORING_OP_BIND = 56;
/**
 * io_uring_sqe.opcode: listen(2); linux 6.11.
 *
 * @example
 * ```ts
 * import { IORING_OP_LISTEN, layouts, prepRw, sqeOpcode } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * // no builder here: prepRw writes every field, then set the op-specific ones
 * prepRw(sqe, 0, IORING_OP_LISTEN, -1, 0, 0, 0, 1n);
 * sqeOpcode(sqe, 0); // IORING_OP_LISTEN
 * ```
 */
export const IORING_OP_LISTEN = 57;

// ---------------------------------------------------------------------------
// io_uring_sqe.flags
// ---------------------------------------------------------------------------
/**
 * use a registered (fixed) file: `fd` is an index into the table
 *
 * @example
 * ```ts
 * import { IOSQE_FIXED_FILE, layouts, prepNop, setSqeFlags } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepNop(sqe, 0, 1n);
 * setSqeFlags(sqe, 0, IOSQE_FIXED_FILE); // after the builder, which zeroes flags
 * ```
 */
export const IOSQE_FIXED_FILE = 1 << 0;
/**
 * issue after all in-flight requests
 *
 * @example
 * ```ts
 * import { IOSQE_IO_DRAIN, layouts, prepNop, setSqeFlags } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepNop(sqe, 0, 1n);
 * setSqeFlags(sqe, 0, IOSQE_IO_DRAIN); // after the builder, which zeroes flags
 * ```
 */
export const IOSQE_IO_DRAIN = 1 << 1;
/**
 * link the next SQE (runs after this one succeeds)
 *
 * @example
 * ```ts
 * import { IOSQE_IO_LINK, layouts, prepNop, setSqeFlags } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepNop(sqe, 0, 1n);
 * setSqeFlags(sqe, 0, IOSQE_IO_LINK); // after the builder, which zeroes flags
 * ```
 */
export const IOSQE_IO_LINK = 1 << 2;
/**
 * like IOSQE_IO_LINK, but the chain survives a failure
 *
 * @example
 * ```ts
 * import { IOSQE_IO_HARDLINK, layouts, prepNop, setSqeFlags } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepNop(sqe, 0, 1n);
 * setSqeFlags(sqe, 0, IOSQE_IO_HARDLINK); // after the builder, which zeroes flags
 * ```
 */
export const IOSQE_IO_HARDLINK = 1 << 3;
/**
 * always go async (io-wq)
 *
 * @example
 * ```ts
 * import { IOSQE_ASYNC, layouts, prepNop, setSqeFlags } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepNop(sqe, 0, 1n);
 * setSqeFlags(sqe, 0, IOSQE_ASYNC); // after the builder, which zeroes flags
 * ```
 */
export const IOSQE_ASYNC = 1 << 4;
/**
 * select a buffer from `buf_group`
 *
 * @example
 * ```ts
 * import { IOSQE_BUFFER_SELECT, layouts, prepNop, setSqeFlags } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepNop(sqe, 0, 1n);
 * setSqeFlags(sqe, 0, IOSQE_BUFFER_SELECT); // after the builder, which zeroes flags
 * ```
 */
export const IOSQE_BUFFER_SELECT = 1 << 5;
/**
 * post no CQE on success; linux 5.17
 *
 * @example
 * ```ts
 * import { IOSQE_CQE_SKIP_SUCCESS, layouts, prepNop, setSqeFlags } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepNop(sqe, 0, 1n);
 * setSqeFlags(sqe, 0, IOSQE_CQE_SKIP_SUCCESS); // after the builder, which zeroes flags
 * ```
 */
export const IOSQE_CQE_SKIP_SUCCESS = 1 << 6;

// ---------------------------------------------------------------------------
// io_uring_params.flags (io_uring_setup)
// ---------------------------------------------------------------------------
/**
 * Busy-poll for I/O completions (O_DIRECT block I/O only).
 *
 * @example
 * ```ts
 * import { IORING_SETUP_IOPOLL, layouts, writeIoUringParams } from '@evring/abi';
 * const params = new DataView(new ArrayBuffer(layouts.io_uring_params.size));
 * writeIoUringParams(params, 0, { flags: IORING_SETUP_IOPOLL });
 * // then io_uring_setup(entries, params)
 * ```
 */
export const IORING_SETUP_IOPOLL = 1 << 0;
/**
 * A kernel thread polls the SQ (refused by @evring/sys).
 *
 * @example
 * ```ts
 * import { IORING_SETUP_SQPOLL, layouts, writeIoUringParams } from '@evring/abi';
 * const params = new DataView(new ArrayBuffer(layouts.io_uring_params.size));
 * writeIoUringParams(params, 0, { flags: IORING_SETUP_SQPOLL });
 * // then io_uring_setup(entries, params)
 * ```
 */
export const IORING_SETUP_SQPOLL = 1 << 1;
/**
 * Pin the SQPOLL thread to `sq_thread_cpu`.
 *
 * @example
 * ```ts
 * import { IORING_SETUP_SQ_AFF, layouts, writeIoUringParams } from '@evring/abi';
 * const params = new DataView(new ArrayBuffer(layouts.io_uring_params.size));
 * writeIoUringParams(params, 0, { flags: IORING_SETUP_SQ_AFF });
 * // then io_uring_setup(entries, params)
 * ```
 */
export const IORING_SETUP_SQ_AFF = 1 << 2;
/**
 * `cq_entries` is valid (sized apart from the SQ); linux 5.5
 *
 * @example
 * ```ts
 * import { IORING_SETUP_CQSIZE, IORING_SETUP_CLAMP, layouts, writeIoUringParams } from '@evring/abi';
 * const params = new DataView(new ArrayBuffer(layouts.io_uring_params.size));
 * writeIoUringParams(params, 0, { flags: IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP, cqEntries: 4096 });
 * // then io_uring_setup(entries, params)
 * ```
 */
export const IORING_SETUP_CQSIZE = 1 << 3;
/**
 * clamp entries to the kernel maximum instead of EINVAL; linux 5.6
 *
 * @example
 * ```ts
 * import { IORING_SETUP_CQSIZE, IORING_SETUP_CLAMP, layouts, writeIoUringParams } from '@evring/abi';
 * const params = new DataView(new ArrayBuffer(layouts.io_uring_params.size));
 * writeIoUringParams(params, 0, { flags: IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP, cqEntries: 4096 });
 * // then io_uring_setup(entries, params)
 * ```
 */
export const IORING_SETUP_CLAMP = 1 << 4;
/**
 * Share the async worker pool of the ring in `wq_fd`.
 *
 * @example
 * ```ts
 * import { IORING_SETUP_ATTACH_WQ, layouts, writeIoUringParams } from '@evring/abi';
 * const params = new DataView(new ArrayBuffer(layouts.io_uring_params.size));
 * writeIoUringParams(params, 0, { flags: IORING_SETUP_ATTACH_WQ });
 * // then io_uring_setup(entries, params)
 * ```
 */
export const IORING_SETUP_ATTACH_WQ = 1 << 5;
/**
 * start disabled, enable with IORING_REGISTER_ENABLE_RINGS; linux 5.10
 *
 * @example
 * ```ts
 * import { IORING_SETUP_R_DISABLED, layouts, writeIoUringParams } from '@evring/abi';
 * const params = new DataView(new ArrayBuffer(layouts.io_uring_params.size));
 * writeIoUringParams(params, 0, { flags: IORING_SETUP_R_DISABLED });
 * // then io_uring_setup(entries, params)
 * ```
 */
export const IORING_SETUP_R_DISABLED = 1 << 6;
/**
 * keep submitting after a failed SQE; linux 5.18
 *
 * @example
 * ```ts
 * import { IORING_SETUP_SUBMIT_ALL, layouts, writeIoUringParams } from '@evring/abi';
 * const params = new DataView(new ArrayBuffer(layouts.io_uring_params.size));
 * writeIoUringParams(params, 0, { flags: IORING_SETUP_SUBMIT_ALL });
 * // then io_uring_setup(entries, params)
 * ```
 */
export const IORING_SETUP_SUBMIT_ALL = 1 << 7;
/**
 * no IPI to run task work; linux 5.19
 *
 * @example
 * ```ts
 * import { IORING_SETUP_COOP_TASKRUN, layouts, writeIoUringParams } from '@evring/abi';
 * const params = new DataView(new ArrayBuffer(layouts.io_uring_params.size));
 * writeIoUringParams(params, 0, { flags: IORING_SETUP_COOP_TASKRUN });
 * // then io_uring_setup(entries, params)
 * ```
 */
export const IORING_SETUP_COOP_TASKRUN = 1 << 8;
/**
 * set IORING_SQ_TASKRUN when task work is pending; linux 5.19
 *
 * @example
 * ```ts
 * import { IORING_SETUP_TASKRUN_FLAG, layouts, writeIoUringParams } from '@evring/abi';
 * const params = new DataView(new ArrayBuffer(layouts.io_uring_params.size));
 * writeIoUringParams(params, 0, { flags: IORING_SETUP_TASKRUN_FLAG });
 * // then io_uring_setup(entries, params)
 * ```
 */
export const IORING_SETUP_TASKRUN_FLAG = 1 << 9;
/**
 * 128-byte SQEs (for IORING_OP_URING_CMD); linux 5.19.
 *
 * @example
 * ```ts
 * import { IORING_SETUP_SQE128, layouts, writeIoUringParams } from '@evring/abi';
 * const params = new DataView(new ArrayBuffer(layouts.io_uring_params.size));
 * writeIoUringParams(params, 0, { flags: IORING_SETUP_SQE128 });
 * // then io_uring_setup(entries, params)
 * ```
 */
export const IORING_SETUP_SQE128 = 1 << 10;
/**
 * 32-byte CQEs (for IORING_OP_URING_CMD); linux 5.19.
 *
 * @example
 * ```ts
 * import { IORING_SETUP_CQE32, layouts, writeIoUringParams } from '@evring/abi';
 * const params = new DataView(new ArrayBuffer(layouts.io_uring_params.size));
 * writeIoUringParams(params, 0, { flags: IORING_SETUP_CQE32 });
 * // then io_uring_setup(entries, params)
 * ```
 */
export const IORING_SETUP_CQE32 = 1 << 11;
/**
 * only one task submits; linux 6.0
 *
 * @example
 * ```ts
 * import { IORING_SETUP_SINGLE_ISSUER, layouts, writeIoUringParams } from '@evring/abi';
 * const params = new DataView(new ArrayBuffer(layouts.io_uring_params.size));
 * writeIoUringParams(params, 0, { flags: IORING_SETUP_SINGLE_ISSUER });
 * // then io_uring_setup(entries, params)
 * ```
 */
export const IORING_SETUP_SINGLE_ISSUER = 1 << 12;
/**
 * run task work only in io_uring_enter(GETEVENTS); linux 6.1
 *
 * @example
 * ```ts
 * import { IORING_SETUP_DEFER_TASKRUN, layouts, writeIoUringParams } from '@evring/abi';
 * const params = new DataView(new ArrayBuffer(layouts.io_uring_params.size));
 * writeIoUringParams(params, 0, { flags: IORING_SETUP_DEFER_TASKRUN });
 * // then io_uring_setup(entries, params)
 * ```
 */
export const IORING_SETUP_DEFER_TASKRUN = 1 << 13;
/**
 * application-provided ring memory; linux 6.5
 *
 * @example
 * ```ts
 * import { IORING_SETUP_NO_MMAP, layouts, writeIoUringParams } from '@evring/abi';
 * const params = new DataView(new ArrayBuffer(layouts.io_uring_params.size));
 * writeIoUringParams(params, 0, { flags: IORING_SETUP_NO_MMAP });
 * // then io_uring_setup(entries, params)
 * ```
 */
export const IORING_SETUP_NO_MMAP = 1 << 14;
/**
 * the ring fd exists only as a registered index; linux 6.5
 *
 * @example
 * ```ts
 * import { IORING_SETUP_REGISTERED_FD_ONLY, layouts, writeIoUringParams } from '@evring/abi';
 * const params = new DataView(new ArrayBuffer(layouts.io_uring_params.size));
 * writeIoUringParams(params, 0, { flags: IORING_SETUP_REGISTERED_FD_ONLY });
 * // then io_uring_setup(entries, params)
 * ```
 */
export const IORING_SETUP_REGISTERED_FD_ONLY = 1 << 15;
/**
 * no SQ index array: SQEs are consumed in ring order; linux 6.6
 *
 * @example
 * ```ts
 * import { IORING_SETUP_NO_SQARRAY, layouts, writeIoUringParams } from '@evring/abi';
 * const params = new DataView(new ArrayBuffer(layouts.io_uring_params.size));
 * writeIoUringParams(params, 0, { flags: IORING_SETUP_NO_SQARRAY });
 * // then io_uring_setup(entries, params)
 * ```
 */
export const IORING_SETUP_NO_SQARRAY = 1 << 16;
/**
 * linux 6.13
 *
 * @example
 * ```ts
 * import { IORING_SETUP_HYBRID_IOPOLL, layouts, writeIoUringParams } from '@evring/abi';
 * const params = new DataView(new ArrayBuffer(layouts.io_uring_params.size));
 * writeIoUringParams(params, 0, { flags: IORING_SETUP_HYBRID_IOPOLL });
 * // then io_uring_setup(entries, params)
 * ```
 */
export const IORING_SETUP_HYBRID_IOPOLL = 1 << 17;

// ---------------------------------------------------------------------------
// io_uring_params.features
// ---------------------------------------------------------------------------
/**
 * SQ and CQ rings share one mapping; linux 5.4
 *
 * @example
 * ```ts
 * import { IORING_FEAT_SINGLE_MMAP, layouts, readIoUringParams } from '@evring/abi';
 * // the io_uring_params that io_uring_setup filled in
 * const params = new DataView(new ArrayBuffer(layouts.io_uring_params.size));
 * const offered = (readIoUringParams(params, 0).features & IORING_FEAT_SINGLE_MMAP) !== 0;
 * ```
 */
export const IORING_FEAT_SINGLE_MMAP = 1 << 0;
/**
 * overflowed CQEs are kept in the kernel, not dropped; linux 5.5
 *
 * @example
 * ```ts
 * import { IORING_FEAT_NODROP, layouts, readIoUringParams } from '@evring/abi';
 * // the io_uring_params that io_uring_setup filled in
 * const params = new DataView(new ArrayBuffer(layouts.io_uring_params.size));
 * const offered = (readIoUringParams(params, 0).features & IORING_FEAT_NODROP) !== 0;
 * ```
 */
export const IORING_FEAT_NODROP = 1 << 1;
/**
 * data for async offload is consumed at submission; linux 5.5
 *
 * @example
 * ```ts
 * import { IORING_FEAT_SUBMIT_STABLE, layouts, readIoUringParams } from '@evring/abi';
 * // the io_uring_params that io_uring_setup filled in
 * const params = new DataView(new ArrayBuffer(layouts.io_uring_params.size));
 * const offered = (readIoUringParams(params, 0).features & IORING_FEAT_SUBMIT_STABLE) !== 0;
 * ```
 */
export const IORING_FEAT_SUBMIT_STABLE = 1 << 2;
/**
 * linux 5.6
 *
 * @example
 * ```ts
 * import { IORING_FEAT_RW_CUR_POS, layouts, readIoUringParams } from '@evring/abi';
 * // the io_uring_params that io_uring_setup filled in
 * const params = new DataView(new ArrayBuffer(layouts.io_uring_params.size));
 * const offered = (readIoUringParams(params, 0).features & IORING_FEAT_RW_CUR_POS) !== 0;
 * ```
 */
export const IORING_FEAT_RW_CUR_POS = 1 << 3;
/**
 * linux 5.6
 *
 * @example
 * ```ts
 * import { IORING_FEAT_CUR_PERSONALITY, layouts, readIoUringParams } from '@evring/abi';
 * // the io_uring_params that io_uring_setup filled in
 * const params = new DataView(new ArrayBuffer(layouts.io_uring_params.size));
 * const offered = (readIoUringParams(params, 0).features & IORING_FEAT_CUR_PERSONALITY) !== 0;
 * ```
 */
export const IORING_FEAT_CUR_PERSONALITY = 1 << 4;
/**
 * linux 5.7
 *
 * @example
 * ```ts
 * import { IORING_FEAT_FAST_POLL, layouts, readIoUringParams } from '@evring/abi';
 * // the io_uring_params that io_uring_setup filled in
 * const params = new DataView(new ArrayBuffer(layouts.io_uring_params.size));
 * const offered = (readIoUringParams(params, 0).features & IORING_FEAT_FAST_POLL) !== 0;
 * ```
 */
export const IORING_FEAT_FAST_POLL = 1 << 5;
/**
 * 32-bit poll masks (poll32_events); linux 5.9
 *
 * @example
 * ```ts
 * import { IORING_FEAT_POLL_32BITS, layouts, readIoUringParams } from '@evring/abi';
 * // the io_uring_params that io_uring_setup filled in
 * const params = new DataView(new ArrayBuffer(layouts.io_uring_params.size));
 * const offered = (readIoUringParams(params, 0).features & IORING_FEAT_POLL_32BITS) !== 0;
 * ```
 */
export const IORING_FEAT_POLL_32BITS = 1 << 6;
/**
 * linux 5.11
 *
 * @example
 * ```ts
 * import { IORING_FEAT_SQPOLL_NONFIXED, layouts, readIoUringParams } from '@evring/abi';
 * // the io_uring_params that io_uring_setup filled in
 * const params = new DataView(new ArrayBuffer(layouts.io_uring_params.size));
 * const offered = (readIoUringParams(params, 0).features & IORING_FEAT_SQPOLL_NONFIXED) !== 0;
 * ```
 */
export const IORING_FEAT_SQPOLL_NONFIXED = 1 << 7;
/**
 * io_uring_enter takes io_uring_getevents_arg (a wait timeout); linux 5.11
 *
 * @example
 * ```ts
 * import { IORING_FEAT_EXT_ARG, layouts, readIoUringParams } from '@evring/abi';
 * // the io_uring_params that io_uring_setup filled in
 * const params = new DataView(new ArrayBuffer(layouts.io_uring_params.size));
 * const offered = (readIoUringParams(params, 0).features & IORING_FEAT_EXT_ARG) !== 0;
 * ```
 */
export const IORING_FEAT_EXT_ARG = 1 << 8;
/**
 * linux 5.12
 *
 * @example
 * ```ts
 * import { IORING_FEAT_NATIVE_WORKERS, layouts, readIoUringParams } from '@evring/abi';
 * // the io_uring_params that io_uring_setup filled in
 * const params = new DataView(new ArrayBuffer(layouts.io_uring_params.size));
 * const offered = (readIoUringParams(params, 0).features & IORING_FEAT_NATIVE_WORKERS) !== 0;
 * ```
 */
export const IORING_FEAT_NATIVE_WORKERS = 1 << 9;
/**
 * linux 5.13
 *
 * @example
 * ```ts
 * import { IORING_FEAT_RSRC_TAGS, layouts, readIoUringParams } from '@evring/abi';
 * // the io_uring_params that io_uring_setup filled in
 * const params = new DataView(new ArrayBuffer(layouts.io_uring_params.size));
 * const offered = (readIoUringParams(params, 0).features & IORING_FEAT_RSRC_TAGS) !== 0;
 * ```
 */
export const IORING_FEAT_RSRC_TAGS = 1 << 10;
/**
 * linux 5.17
 *
 * @example
 * ```ts
 * import { IORING_FEAT_CQE_SKIP, layouts, readIoUringParams } from '@evring/abi';
 * // the io_uring_params that io_uring_setup filled in
 * const params = new DataView(new ArrayBuffer(layouts.io_uring_params.size));
 * const offered = (readIoUringParams(params, 0).features & IORING_FEAT_CQE_SKIP) !== 0;
 * ```
 */
export const IORING_FEAT_CQE_SKIP = 1 << 11;
/**
 * linux 5.17
 *
 * @example
 * ```ts
 * import { IORING_FEAT_LINKED_FILE, layouts, readIoUringParams } from '@evring/abi';
 * // the io_uring_params that io_uring_setup filled in
 * const params = new DataView(new ArrayBuffer(layouts.io_uring_params.size));
 * const offered = (readIoUringParams(params, 0).features & IORING_FEAT_LINKED_FILE) !== 0;
 * ```
 */
export const IORING_FEAT_LINKED_FILE = 1 << 12;
/**
 * io_uring_register through a registered ring fd; linux 6.3
 *
 * @example
 * ```ts
 * import { IORING_FEAT_REG_REG_RING, layouts, readIoUringParams } from '@evring/abi';
 * // the io_uring_params that io_uring_setup filled in
 * const params = new DataView(new ArrayBuffer(layouts.io_uring_params.size));
 * const offered = (readIoUringParams(params, 0).features & IORING_FEAT_REG_REG_RING) !== 0;
 * ```
 */
export const IORING_FEAT_REG_REG_RING = 1 << 13;
/**
 * linux 6.10
 *
 * @example
 * ```ts
 * import { IORING_FEAT_RECVSEND_BUNDLE, layouts, readIoUringParams } from '@evring/abi';
 * // the io_uring_params that io_uring_setup filled in
 * const params = new DataView(new ArrayBuffer(layouts.io_uring_params.size));
 * const offered = (readIoUringParams(params, 0).features & IORING_FEAT_RECVSEND_BUNDLE) !== 0;
 * ```
 */
export const IORING_FEAT_RECVSEND_BUNDLE = 1 << 14;
/**
 * io_uring_getevents_arg.min_wait_usec; linux 6.12
 *
 * @example
 * ```ts
 * import { IORING_FEAT_MIN_TIMEOUT, layouts, readIoUringParams } from '@evring/abi';
 * // the io_uring_params that io_uring_setup filled in
 * const params = new DataView(new ArrayBuffer(layouts.io_uring_params.size));
 * const offered = (readIoUringParams(params, 0).features & IORING_FEAT_MIN_TIMEOUT) !== 0;
 * ```
 */
export const IORING_FEAT_MIN_TIMEOUT = 1 << 15;
/**
 * linux 6.14
 *
 * @example
 * ```ts
 * import { IORING_FEAT_RW_ATTR, layouts, readIoUringParams } from '@evring/abi';
 * // the io_uring_params that io_uring_setup filled in
 * const params = new DataView(new ArrayBuffer(layouts.io_uring_params.size));
 * const offered = (readIoUringParams(params, 0).features & IORING_FEAT_RW_ATTR) !== 0;
 * ```
 */
export const IORING_FEAT_RW_ATTR = 1 << 16;
/**
 * IORING_ENTER_NO_IOWAIT; linux 6.15
 *
 * @example
 * ```ts
 * import { IORING_FEAT_NO_IOWAIT, layouts, readIoUringParams } from '@evring/abi';
 * // the io_uring_params that io_uring_setup filled in
 * const params = new DataView(new ArrayBuffer(layouts.io_uring_params.size));
 * const offered = (readIoUringParams(params, 0).features & IORING_FEAT_NO_IOWAIT) !== 0;
 * ```
 */
export const IORING_FEAT_NO_IOWAIT = 1 << 17;

// ---------------------------------------------------------------------------
// io_uring_enter flags
// ---------------------------------------------------------------------------
/**
 * Wait for `min_complete` completions.
 *
 * @example
 * ```ts
 * import { IORING_ENTER_GETEVENTS } from '@evring/abi';
 * import { IoUring } from '@evring/sys';
 * declare const ring: IoUring;
 * const flags = IORING_ENTER_GETEVENTS;
 * ring.enter(0, 1, flags); // the count, or -errno
 * ```
 */
export const IORING_ENTER_GETEVENTS = 1 << 0;
/**
 * Wake the SQPOLL thread.
 *
 * @example
 * ```ts
 * import { IORING_ENTER_GETEVENTS, IORING_ENTER_SQ_WAKEUP } from '@evring/abi';
 * import { IoUring } from '@evring/sys';
 * declare const ring: IoUring;
 * const flags = IORING_ENTER_GETEVENTS | IORING_ENTER_SQ_WAKEUP;
 * ring.enter(0, 1, flags); // the count, or -errno
 * ```
 */
export const IORING_ENTER_SQ_WAKEUP = 1 << 1;
/**
 * Wait until the SQPOLL thread has room in the SQ.
 *
 * @example
 * ```ts
 * import { IORING_ENTER_GETEVENTS, IORING_ENTER_SQ_WAIT } from '@evring/abi';
 * import { IoUring } from '@evring/sys';
 * declare const ring: IoUring;
 * const flags = IORING_ENTER_GETEVENTS | IORING_ENTER_SQ_WAIT;
 * ring.enter(0, 1, flags); // the count, or -errno
 * ```
 */
export const IORING_ENTER_SQ_WAIT = 1 << 2;
/**
 * the last argument is io_uring_getevents_arg; linux 5.11
 *
 * @example
 * ```ts
 * import { IORING_ENTER_GETEVENTS, IORING_ENTER_EXT_ARG } from '@evring/abi';
 * import { IoUring } from '@evring/sys';
 * declare const ring: IoUring;
 * const flags = IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG;
 * ring.enter(0, 1, flags); // the count, or -errno
 * ```
 */
export const IORING_ENTER_EXT_ARG = 1 << 3;
/**
 * `fd` is a registered ring index; linux 5.18
 *
 * @example
 * ```ts
 * import { IORING_ENTER_GETEVENTS, IORING_ENTER_REGISTERED_RING } from '@evring/abi';
 * import { IoUring } from '@evring/sys';
 * declare const ring: IoUring;
 * const flags = IORING_ENTER_GETEVENTS | IORING_ENTER_REGISTERED_RING;
 * ring.enter(0, 1, flags); // the count, or -errno
 * ```
 */
export const IORING_ENTER_REGISTERED_RING = 1 << 4;
/**
 * the EXT_ARG timeout is absolute; linux 6.12
 *
 * @example
 * ```ts
 * import { IORING_ENTER_GETEVENTS, IORING_ENTER_ABS_TIMER } from '@evring/abi';
 * import { IoUring } from '@evring/sys';
 * declare const ring: IoUring;
 * const flags = IORING_ENTER_GETEVENTS | IORING_ENTER_ABS_TIMER;
 * ring.enter(0, 1, flags); // the count, or -errno
 * ```
 */
export const IORING_ENTER_ABS_TIMER = 1 << 5;
/**
 * linux 6.13
 *
 * @example
 * ```ts
 * import { IORING_ENTER_GETEVENTS, IORING_ENTER_EXT_ARG_REG } from '@evring/abi';
 * import { IoUring } from '@evring/sys';
 * declare const ring: IoUring;
 * const flags = IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG_REG;
 * ring.enter(0, 1, flags); // the count, or -errno
 * ```
 */
export const IORING_ENTER_EXT_ARG_REG = 1 << 6;
/**
 * do not count the wait as iowait; linux 6.15
 *
 * @example
 * ```ts
 * import { IORING_ENTER_GETEVENTS, IORING_ENTER_NO_IOWAIT } from '@evring/abi';
 * import { IoUring } from '@evring/sys';
 * declare const ring: IoUring;
 * const flags = IORING_ENTER_GETEVENTS | IORING_ENTER_NO_IOWAIT;
 * ring.enter(0, 1, flags); // the count, or -errno
 * ```
 */
export const IORING_ENTER_NO_IOWAIT = 1 << 7;

// ---------------------------------------------------------------------------
// SQ ring flags (`*sq_off.flags`) and CQ ring flags (`*cq_off.flags`)
// ---------------------------------------------------------------------------
/**
 * the SQPOLL thread sleeps: wake it with IORING_ENTER_SQ_WAKEUP
 *
 * @example
 * ```ts
 * import { IORING_SQ_NEED_WAKEUP } from '@evring/abi';
 * import { IoUring } from '@evring/sys';
 * const ring = IoUring.setup(8);
 * const set = (Atomics.load(new Uint32Array(ring.sqRing), ring.params.sqOff.flags >>> 2) & IORING_SQ_NEED_WAKEUP) !== 0;
 * ring.close();
 * ```
 */
export const IORING_SQ_NEED_WAKEUP = 1 << 0;
/**
 * completions wait in the kernel's overflow list: flush with GETEVENTS
 *
 * @example
 * ```ts
 * import { IORING_SQ_CQ_OVERFLOW } from '@evring/abi';
 * import { IoUring } from '@evring/sys';
 * const ring = IoUring.setup(8);
 * const set = (Atomics.load(new Uint32Array(ring.sqRing), ring.params.sqOff.flags >>> 2) & IORING_SQ_CQ_OVERFLOW) !== 0;
 * ring.close();
 * ```
 */
export const IORING_SQ_CQ_OVERFLOW = 1 << 1;
/**
 * task work is pending (TASKRUN_FLAG): enter the kernel to run it; linux 5.19
 *
 * @example
 * ```ts
 * import { IORING_SQ_TASKRUN } from '@evring/abi';
 * import { IoUring } from '@evring/sys';
 * const ring = IoUring.setup(8);
 * const set = (Atomics.load(new Uint32Array(ring.sqRing), ring.params.sqOff.flags >>> 2) & IORING_SQ_TASKRUN) !== 0;
 * ring.close();
 * ```
 */
export const IORING_SQ_TASKRUN = 1 << 2;
/**
 * suppress eventfd notifications; linux 5.8
 *
 * @example
 * ```ts
 * import { IORING_CQ_EVENTFD_DISABLED } from '@evring/abi';
 * import { IoUring } from '@evring/sys';
 * const ring = IoUring.setup(8);
 * const set = (Atomics.load(new Uint32Array(ring.cqRing), ring.params.cqOff.flags >>> 2) & IORING_CQ_EVENTFD_DISABLED) !== 0;
 * ring.close();
 * ```
 */
export const IORING_CQ_EVENTFD_DISABLED = 1 << 0;

// ---------------------------------------------------------------------------
// io_uring_cqe.flags
// ---------------------------------------------------------------------------
/**
 * the upper 16 bits hold a selected buffer id
 *
 * @example
 * ```ts
 * import { IORING_CQE_F_BUFFER, cqeFlags, layouts, writeCqe } from '@evring/abi';
 * const cqe = new DataView(new ArrayBuffer(layouts.io_uring_cqe.size));
 * writeCqe(cqe, 0, { userData: 1n, res: 1, flags: IORING_CQE_F_BUFFER });
 * (cqeFlags(cqe, 0) & IORING_CQE_F_BUFFER) !== 0; // true
 * ```
 */
export const IORING_CQE_F_BUFFER = 1 << 0;
/**
 * the request stays armed (multishot): more CQEs follow
 *
 * @example
 * ```ts
 * import { IORING_CQE_F_MORE, cqeFlags, layouts, writeCqe } from '@evring/abi';
 * const cqe = new DataView(new ArrayBuffer(layouts.io_uring_cqe.size));
 * writeCqe(cqe, 0, { userData: 1n, res: 1, flags: IORING_CQE_F_MORE });
 * (cqeFlags(cqe, 0) & IORING_CQE_F_MORE) !== 0; // true
 * ```
 */
export const IORING_CQE_F_MORE = 1 << 1;
/**
 * The socket still has data after this receive; linux 5.19.
 *
 * @example
 * ```ts
 * import { IORING_CQE_F_SOCK_NONEMPTY, cqeFlags, layouts, writeCqe } from '@evring/abi';
 * const cqe = new DataView(new ArrayBuffer(layouts.io_uring_cqe.size));
 * writeCqe(cqe, 0, { userData: 1n, res: 1, flags: IORING_CQE_F_SOCK_NONEMPTY });
 * (cqeFlags(cqe, 0) & IORING_CQE_F_SOCK_NONEMPTY) !== 0; // true
 * ```
 */
export const IORING_CQE_F_SOCK_NONEMPTY = 1 << 2;
/**
 * A zero-copy send notification: the buffer may be reused; linux 6.0.
 *
 * @example
 * ```ts
 * import { IORING_CQE_F_NOTIF, cqeFlags, layouts, writeCqe } from '@evring/abi';
 * const cqe = new DataView(new ArrayBuffer(layouts.io_uring_cqe.size));
 * writeCqe(cqe, 0, { userData: 1n, res: 1, flags: IORING_CQE_F_NOTIF });
 * (cqeFlags(cqe, 0) & IORING_CQE_F_NOTIF) !== 0; // true
 * ```
 */
export const IORING_CQE_F_NOTIF = 1 << 3;
/**
 * linux 6.12
 *
 * @example
 * ```ts
 * import { IORING_CQE_F_BUF_MORE, cqeFlags, layouts, writeCqe } from '@evring/abi';
 * const cqe = new DataView(new ArrayBuffer(layouts.io_uring_cqe.size));
 * writeCqe(cqe, 0, { userData: 1n, res: 1, flags: IORING_CQE_F_BUF_MORE });
 * (cqeFlags(cqe, 0) & IORING_CQE_F_BUF_MORE) !== 0; // true
 * ```
 */
export const IORING_CQE_F_BUF_MORE = 1 << 4;
/**
 * Shift of the buffer id in the CQE flags (with IORING_CQE_F_BUFFER).
 *
 * @example
 * ```ts
 * import { IORING_CQE_BUFFER_SHIFT, IORING_CQE_F_BUFFER, cqeFlags, layouts } from '@evring/abi';
 * const cqe = new DataView(new ArrayBuffer(layouts.io_uring_cqe.size));
 * const flags = cqeFlags(cqe, 0);
 * const bufferId = flags & IORING_CQE_F_BUFFER ? flags >>> IORING_CQE_BUFFER_SHIFT : -1;
 * ```
 */
export const IORING_CQE_BUFFER_SHIFT = 16;

// ---------------------------------------------------------------------------
// mmap offsets
// ---------------------------------------------------------------------------
/**
 * Mmap offset of the SQ ring (and of both rings with IORING_FEAT_SINGLE_MMAP).
 *
 * @example
 * ```ts
 * import { IORING_OFF_SQ_RING } from '@evring/abi';
 * import { IoUring, ioUringMmap, munmap } from '@evring/sys';
 * const ring = IoUring.setup(8); // maps its own regions; a second map of one:
 * const region = ioUringMmap(ring.fd, IORING_OFF_SQ_RING, ring.params.sqOff.array + ring.params.sqEntries * 4);
 * munmap(region);
 * ring.close();
 * ```
 */
export const IORING_OFF_SQ_RING = 0;
/**
 * Mmap offset of the CQ ring.
 *
 * @example
 * ```ts
 * import { IORING_OFF_CQ_RING } from '@evring/abi';
 * import { IoUring, ioUringMmap, munmap } from '@evring/sys';
 * const ring = IoUring.setup(8); // maps its own regions; a second map of one:
 * const region = ioUringMmap(ring.fd, IORING_OFF_CQ_RING, ring.params.cqOff.cqes + ring.params.cqEntries * 16);
 * munmap(region);
 * ring.close();
 * ```
 */
export const IORING_OFF_CQ_RING = 0x8000000;
/**
 * Mmap offset of the SQE array.
 *
 * @example
 * ```ts
 * import { IORING_OFF_SQES } from '@evring/abi';
 * import { IoUring, ioUringMmap, munmap } from '@evring/sys';
 * const ring = IoUring.setup(8); // maps its own regions; a second map of one:
 * const region = ioUringMmap(ring.fd, IORING_OFF_SQES, ring.params.sqEntries * 64);
 * munmap(region);
 * ring.close();
 * ```
 */
export const IORING_OFF_SQES = 0x10000000;
/**
 * linux 5.19
 *
 * @example
 * ```ts
 * import { IORING_OFF_PBUF_RING, IORING_OFF_PBUF_SHIFT } from '@evring/abi';
 * const group = 3;
 * const offset = IORING_OFF_PBUF_RING + group * 2 ** IORING_OFF_PBUF_SHIFT;
 * ```
 */
export const IORING_OFF_PBUF_RING = 0x80000000;
/**
 * Shift of the buffer group id in a IORING_OFF_PBUF_RING offset.
 *
 * @example
 * ```ts
 * import { IORING_OFF_PBUF_SHIFT, IORING_OFF_PBUF_RING } from '@evring/abi';
 * const group = 3;
 * const offset = IORING_OFF_PBUF_RING + group * 2 ** IORING_OFF_PBUF_SHIFT;
 * ```
 */
export const IORING_OFF_PBUF_SHIFT = 16;
/**
 * The bits of an mmap offset that select the region.
 *
 * @example
 * ```ts
 * import { IORING_OFF_MMAP_MASK, IORING_OFF_CQ_RING } from '@evring/abi';
 * (IORING_OFF_CQ_RING & IORING_OFF_MMAP_MASK) === IORING_OFF_CQ_RING; // true: the region bits
 * ```
 */
export const IORING_OFF_MMAP_MASK = 0xf8000000;

// ---------------------------------------------------------------------------
// io_uring_sqe.len for IORING_OP_POLL_ADD / POLL_REMOVE
// ---------------------------------------------------------------------------
/**
 * multishot poll: stays armed, CQEs carry IORING_CQE_F_MORE; linux 5.13
 *
 * @example
 * ```ts
 * import { IORING_POLL_ADD_MULTI, POLLIN, layouts, prepPollAddParts } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepPollAddParts(sqe, 0, 5, POLLIN, true, 5, 1); // multishot: sets IORING_POLL_ADD_MULTI in sqe.len
 * (sqe.getUint32(layouts.io_uring_sqe.fields.len.offset, true) & IORING_POLL_ADD_MULTI) !== 0; // true
 * ```
 */
export const IORING_POLL_ADD_MULTI = 1 << 0;
/**
 * poll update: replace the event mask; linux 5.13
 *
 * @example
 * ```ts
 * import { IORING_POLL_UPDATE_EVENTS, POLLIN, POLLOUT, layouts, prepPollUpdate } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * // the poll armed as user_data 1: now POLLIN | POLLOUT, renamed to 2
 * prepPollUpdate(sqe, 0, 1n, 2n, POLLIN | POLLOUT, IORING_POLL_UPDATE_EVENTS, 3n);
 * ```
 */
export const IORING_POLL_UPDATE_EVENTS = 1 << 1;
/**
 * poll update: replace user_data (new value in `off`); linux 5.13
 *
 * @example
 * ```ts
 * import { IORING_POLL_UPDATE_USER_DATA, POLLIN, POLLOUT, layouts, prepPollUpdate } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * // the poll armed as user_data 1: now POLLIN | POLLOUT, renamed to 2
 * prepPollUpdate(sqe, 0, 1n, 2n, POLLIN | POLLOUT, IORING_POLL_UPDATE_USER_DATA, 3n);
 * ```
 */
export const IORING_POLL_UPDATE_USER_DATA = 1 << 2;
/**
 * level-triggered poll; defined, but the kernel answers EINVAL (6.1 .. 6.18 at least)
 *
 * @example
 * ```ts
 * import { IORING_POLL_ADD_LEVEL, IORING_OP_POLL_ADD, layouts, prepRw } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepRw(sqe, 0, IORING_OP_POLL_ADD, 5, 0, IORING_POLL_ADD_LEVEL, 0, 1n);
 * // submitted, this completes with -EINVAL on the kernels measured so far
 * ```
 */
export const IORING_POLL_ADD_LEVEL = 1 << 3;

// ---------------------------------------------------------------------------
// io_uring_sqe.timeout_flags
// ---------------------------------------------------------------------------
/**
 * The timespec is an absolute time, not a duration.
 *
 * @example
 * ```ts
 * import { IORING_TIMEOUT_ABS, layouts, prepTimeout } from '@evring/abi';
 * declare const timespecAddress: number; // e.g. from pinnedAlloc in @evring/sys
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepTimeout(sqe, 0, timespecAddress, 0, IORING_TIMEOUT_ABS, 1n);
 * ```
 */
export const IORING_TIMEOUT_ABS = 1 << 0;
/**
 * linux 5.11
 *
 * @example
 * ```ts
 * import { IORING_TIMEOUT_UPDATE, layouts, prepTimeoutRemove } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepTimeoutRemove(sqe, 0, 1n, IORING_TIMEOUT_UPDATE, 2n); // then set `off` to the new timespec address
 * ```
 */
export const IORING_TIMEOUT_UPDATE = 1 << 1;
/**
 * linux 5.15
 *
 * @example
 * ```ts
 * import { IORING_TIMEOUT_BOOTTIME, layouts, prepTimeout } from '@evring/abi';
 * declare const timespecAddress: number; // e.g. from pinnedAlloc in @evring/sys
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepTimeout(sqe, 0, timespecAddress, 0, IORING_TIMEOUT_BOOTTIME, 1n);
 * ```
 */
export const IORING_TIMEOUT_BOOTTIME = 1 << 2;
/**
 * linux 5.15
 *
 * @example
 * ```ts
 * import { IORING_TIMEOUT_REALTIME, layouts, prepTimeout } from '@evring/abi';
 * declare const timespecAddress: number; // e.g. from pinnedAlloc in @evring/sys
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepTimeout(sqe, 0, timespecAddress, 0, IORING_TIMEOUT_REALTIME, 1n);
 * ```
 */
export const IORING_TIMEOUT_REALTIME = 1 << 3;
/**
 * TIMEOUT_REMOVE updates a linked timeout; linux 5.15.
 *
 * @example
 * ```ts
 * import { IORING_LINK_TIMEOUT_UPDATE, layouts, prepTimeoutRemove } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepTimeoutRemove(sqe, 0, 1n, IORING_LINK_TIMEOUT_UPDATE, 2n); // then set `off` to the new timespec address
 * ```
 */
export const IORING_LINK_TIMEOUT_UPDATE = 1 << 4;
/**
 * linux 5.16
 *
 * @example
 * ```ts
 * import { IORING_TIMEOUT_ETIME_SUCCESS, layouts, prepTimeout } from '@evring/abi';
 * declare const timespecAddress: number; // e.g. from pinnedAlloc in @evring/sys
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepTimeout(sqe, 0, timespecAddress, 0, IORING_TIMEOUT_ETIME_SUCCESS, 1n);
 * ```
 */
export const IORING_TIMEOUT_ETIME_SUCCESS = 1 << 5;
/**
 * linux 6.4
 *
 * @example
 * ```ts
 * import { IORING_TIMEOUT_MULTISHOT, layouts, prepTimeout } from '@evring/abi';
 * declare const timespecAddress: number; // e.g. from pinnedAlloc in @evring/sys
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepTimeout(sqe, 0, timespecAddress, 0, IORING_TIMEOUT_MULTISHOT, 1n);
 * ```
 */
export const IORING_TIMEOUT_MULTISHOT = 1 << 6;
/**
 * The clock-selecting bits of `timeout_flags`.
 *
 * @example
 * ```ts
 * import { IORING_TIMEOUT_CLOCK_MASK, IORING_TIMEOUT_ABS, IORING_TIMEOUT_BOOTTIME } from '@evring/abi';
 * const flags = IORING_TIMEOUT_ABS | IORING_TIMEOUT_BOOTTIME;
 * const selected = flags & IORING_TIMEOUT_CLOCK_MASK;
 * ```
 */
export const IORING_TIMEOUT_CLOCK_MASK = IORING_TIMEOUT_BOOTTIME | IORING_TIMEOUT_REALTIME;
/**
 * The update-selecting bits of `timeout_flags`.
 *
 * @example
 * ```ts
 * import { IORING_TIMEOUT_UPDATE_MASK, IORING_TIMEOUT_ABS, IORING_TIMEOUT_BOOTTIME } from '@evring/abi';
 * const flags = IORING_TIMEOUT_ABS | IORING_TIMEOUT_BOOTTIME;
 * const selected = flags & IORING_TIMEOUT_UPDATE_MASK;
 * ```
 */
export const IORING_TIMEOUT_UPDATE_MASK = IORING_TIMEOUT_UPDATE | IORING_LINK_TIMEOUT_UPDATE;

// ---------------------------------------------------------------------------
// io_uring_sqe.fsync_flags, cancel_flags
// ---------------------------------------------------------------------------
/**
 * Fdatasync instead of fsync.
 *
 * @example
 * ```ts
 * import { IORING_FSYNC_DATASYNC, layouts, prepFsync } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepFsync(sqe, 0, 5, IORING_FSYNC_DATASYNC, 1n);
 * ```
 */
export const IORING_FSYNC_DATASYNC = 1 << 0;
/**
 * Cancel every request that matches, not the first; linux 5.19.
 *
 * @example
 * ```ts
 * import { IORING_ASYNC_CANCEL_ALL, layouts, prepCancel } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepCancel(sqe, 0, 1n, IORING_ASYNC_CANCEL_ALL, 2n);
 * ```
 */
export const IORING_ASYNC_CANCEL_ALL = 1 << 0;
/**
 * Match on the fd instead of user_data; linux 5.19.
 *
 * @example
 * ```ts
 * import { IORING_ASYNC_CANCEL_FD, layouts, prepCancel } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepCancel(sqe, 0, 1n, IORING_ASYNC_CANCEL_FD, 2n);
 * ```
 */
export const IORING_ASYNC_CANCEL_FD = 1 << 1;
/**
 * Match any request; linux 5.19.
 *
 * @example
 * ```ts
 * import { IORING_ASYNC_CANCEL_ANY, layouts, prepCancel } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepCancel(sqe, 0, 1n, IORING_ASYNC_CANCEL_ANY, 2n);
 * ```
 */
export const IORING_ASYNC_CANCEL_ANY = 1 << 2;
/**
 * The fd to match is a registered index; linux 6.0.
 *
 * @example
 * ```ts
 * import { IORING_ASYNC_CANCEL_FD_FIXED, layouts, prepCancel } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepCancel(sqe, 0, 1n, IORING_ASYNC_CANCEL_FD_FIXED, 2n);
 * ```
 */
export const IORING_ASYNC_CANCEL_FD_FIXED = 1 << 3;
/**
 * Match on user_data (combinable with the others); linux 6.6.
 *
 * @example
 * ```ts
 * import { IORING_ASYNC_CANCEL_USERDATA, layouts, prepCancel } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepCancel(sqe, 0, 1n, IORING_ASYNC_CANCEL_USERDATA, 2n);
 * ```
 */
export const IORING_ASYNC_CANCEL_USERDATA = 1 << 4;
/**
 * Match on the opcode; linux 6.6.
 *
 * @example
 * ```ts
 * import { IORING_ASYNC_CANCEL_OP, layouts, prepCancel } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepCancel(sqe, 0, 1n, IORING_ASYNC_CANCEL_OP, 2n);
 * ```
 */
export const IORING_ASYNC_CANCEL_OP = 1 << 5;

// ---------------------------------------------------------------------------
// io_uring_register opcodes
// ---------------------------------------------------------------------------
/**
 * io_uring_register(2) opcode: register fixed buffers.
 *
 * @example
 * ```ts
 * import { IORING_REGISTER_BUFFERS } from '@evring/abi';
 * // @evring/sys refuses this opcode (its argument holds user pointers);
 * // it is here for encoders that talk to the kernel by other means
 * const opcode = IORING_REGISTER_BUFFERS;
 * ```
 */
export const IORING_REGISTER_BUFFERS = 0;
/**
 * io_uring_register(2) opcode: drop the fixed buffers.
 *
 * @example
 * ```ts
 * import { IORING_UNREGISTER_BUFFERS } from '@evring/abi';
 * // @evring/sys refuses this opcode (its argument holds user pointers);
 * // it is here for encoders that talk to the kernel by other means
 * const opcode = IORING_UNREGISTER_BUFFERS;
 * ```
 */
export const IORING_UNREGISTER_BUFFERS = 1;
/**
 * io_uring_register(2) opcode: register a fixed-file table.
 *
 * @example
 * ```ts
 * import { IORING_REGISTER_FILES } from '@evring/abi';
 * import { IoUring } from '@evring/sys';
 * declare const ring: IoUring;
 * declare const arg: ArrayBufferView | null; declare const nrArgs: number;
 * ring.register(IORING_REGISTER_FILES, arg, nrArgs); // see io_uring_register(2) for the argument
 * ```
 */
export const IORING_REGISTER_FILES = 2;
/**
 * io_uring_register(2) opcode: drop the fixed-file table.
 *
 * @example
 * ```ts
 * import { IORING_UNREGISTER_FILES } from '@evring/abi';
 * import { IoUring } from '@evring/sys';
 * declare const ring: IoUring;
 * declare const arg: ArrayBufferView | null; declare const nrArgs: number;
 * ring.register(IORING_UNREGISTER_FILES, arg, nrArgs); // see io_uring_register(2) for the argument
 * ```
 */
export const IORING_UNREGISTER_FILES = 3;
/**
 * io_uring_register(2) opcode: signal an eventfd as completions post; linux 5.2.
 *
 * @example
 * ```ts
 * import { IORING_REGISTER_EVENTFD, IORING_UNREGISTER_EVENTFD } from '@evring/abi';
 * import { IoUring, close, eventfd } from '@evring/sys';
 * const ring = IoUring.setup(8);
 * const efd = eventfd(0, 0);
 * ring.register(IORING_REGISTER_EVENTFD, Int32Array.of(efd), 1);
 * ring.register(IORING_UNREGISTER_EVENTFD, null, 0);
 * ring.close(); close(efd);
 * ```
 */
export const IORING_REGISTER_EVENTFD = 4;
/**
 * io_uring_register(2) opcode: stop signalling the eventfd.
 *
 * @example
 * ```ts
 * import { IORING_REGISTER_EVENTFD, IORING_UNREGISTER_EVENTFD } from '@evring/abi';
 * import { IoUring, close, eventfd } from '@evring/sys';
 * const ring = IoUring.setup(8);
 * const efd = eventfd(0, 0);
 * ring.register(IORING_REGISTER_EVENTFD, Int32Array.of(efd), 1);
 * ring.register(IORING_UNREGISTER_EVENTFD, null, 0);
 * ring.close(); close(efd);
 * ```
 */
export const IORING_UNREGISTER_EVENTFD = 5;
/**
 * io_uring_register(2) opcode: replace entries of the fixed-file table.
 *
 * @example
 * ```ts
 * import { IORING_REGISTER_FILES_UPDATE } from '@evring/abi';
 * // @evring/sys refuses this opcode (its argument holds user pointers);
 * // it is here for encoders that talk to the kernel by other means
 * const opcode = IORING_REGISTER_FILES_UPDATE;
 * ```
 */
export const IORING_REGISTER_FILES_UPDATE = 6;
/**
 * io_uring_register(2) opcode: signal an eventfd only for completions that went async; linux 5.6.
 *
 * @example
 * ```ts
 * import { IORING_REGISTER_EVENTFD_ASYNC, IORING_UNREGISTER_EVENTFD } from '@evring/abi';
 * import { IoUring, close, eventfd } from '@evring/sys';
 * const ring = IoUring.setup(8);
 * const efd = eventfd(0, 0);
 * ring.register(IORING_REGISTER_EVENTFD_ASYNC, Int32Array.of(efd), 1);
 * ring.register(IORING_UNREGISTER_EVENTFD, null, 0);
 * ring.close(); close(efd);
 * ```
 */
export const IORING_REGISTER_EVENTFD_ASYNC = 7;
/**
 * io_uring_register(2) opcode: list the supported opcodes; linux 5.6.
 *
 * @example
 * ```ts
 * import { IORING_REGISTER_PROBE, probeSize, readProbe, IORING_OP_POLL_ADD } from '@evring/abi';
 * import { IoUring } from '@evring/sys';
 * const ring = IoUring.setup(8);
 * const buf = new Uint8Array(probeSize(256));
 * ring.register(IORING_REGISTER_PROBE, buf, 256);
 * readProbe(new DataView(buf.buffer), 0).supported.has(IORING_OP_POLL_ADD); // true
 * ring.close();
 * ```
 */
export const IORING_REGISTER_PROBE = 8;
/**
 * io_uring_register(2) opcode: register the current credentials.
 *
 * @example
 * ```ts
 * import { IORING_REGISTER_PERSONALITY } from '@evring/abi';
 * import { IoUring } from '@evring/sys';
 * declare const ring: IoUring;
 * declare const arg: ArrayBufferView | null; declare const nrArgs: number;
 * ring.register(IORING_REGISTER_PERSONALITY, arg, nrArgs); // see io_uring_register(2) for the argument
 * ```
 */
export const IORING_REGISTER_PERSONALITY = 9;
/**
 * io_uring_register(2) opcode: drop registered credentials.
 *
 * @example
 * ```ts
 * import { IORING_UNREGISTER_PERSONALITY } from '@evring/abi';
 * import { IoUring } from '@evring/sys';
 * declare const ring: IoUring;
 * declare const arg: ArrayBufferView | null; declare const nrArgs: number;
 * ring.register(IORING_UNREGISTER_PERSONALITY, arg, nrArgs); // see io_uring_register(2) for the argument
 * ```
 */
export const IORING_UNREGISTER_PERSONALITY = 10;
/**
 * io_uring_register(2) opcode: restrict the opcodes a disabled ring will accept; linux 5.10.
 *
 * @example
 * ```ts
 * import { IORING_REGISTER_RESTRICTIONS } from '@evring/abi';
 * import { IoUring } from '@evring/sys';
 * declare const ring: IoUring;
 * declare const arg: ArrayBufferView | null; declare const nrArgs: number;
 * ring.register(IORING_REGISTER_RESTRICTIONS, arg, nrArgs); // see io_uring_register(2) for the argument
 * ```
 */
export const IORING_REGISTER_RESTRICTIONS = 11;
/**
 * io_uring_register(2) opcode: enable a ring set up with IORING_SETUP_R_DISABLED; linux 5.10.
 *
 * @example
 * ```ts
 * import { IORING_REGISTER_ENABLE_RINGS } from '@evring/abi';
 * import { IoUring } from '@evring/sys';
 * declare const ring: IoUring;
 * declare const arg: ArrayBufferView | null; declare const nrArgs: number;
 * ring.register(IORING_REGISTER_ENABLE_RINGS, arg, nrArgs); // see io_uring_register(2) for the argument
 * ```
 */
export const IORING_REGISTER_ENABLE_RINGS = 12;
/**
 * io_uring_register(2) opcode: register files with tags.
 *
 * @example
 * ```ts
 * import { IORING_REGISTER_FILES2 } from '@evring/abi';
 * // @evring/sys refuses this opcode (its argument holds user pointers);
 * // it is here for encoders that talk to the kernel by other means
 * const opcode = IORING_REGISTER_FILES2;
 * ```
 */
export const IORING_REGISTER_FILES2 = 13;
/**
 * io_uring_register(2) opcode: update tagged files.
 *
 * @example
 * ```ts
 * import { IORING_REGISTER_FILES_UPDATE2 } from '@evring/abi';
 * // @evring/sys refuses this opcode (its argument holds user pointers);
 * // it is here for encoders that talk to the kernel by other means
 * const opcode = IORING_REGISTER_FILES_UPDATE2;
 * ```
 */
export const IORING_REGISTER_FILES_UPDATE2 = 14;
/**
 * io_uring_register(2) opcode: register buffers with tags.
 *
 * @example
 * ```ts
 * import { IORING_REGISTER_BUFFERS2 } from '@evring/abi';
 * // @evring/sys refuses this opcode (its argument holds user pointers);
 * // it is here for encoders that talk to the kernel by other means
 * const opcode = IORING_REGISTER_BUFFERS2;
 * ```
 */
export const IORING_REGISTER_BUFFERS2 = 15;
/**
 * io_uring_register(2) opcode: update tagged buffers.
 *
 * @example
 * ```ts
 * import { IORING_REGISTER_BUFFERS_UPDATE } from '@evring/abi';
 * // @evring/sys refuses this opcode (its argument holds user pointers);
 * // it is here for encoders that talk to the kernel by other means
 * const opcode = IORING_REGISTER_BUFFERS_UPDATE;
 * ```
 */
export const IORING_REGISTER_BUFFERS_UPDATE = 16;
/**
 * io_uring_register(2) opcode: set the CPU affinity of the async workers.
 *
 * @example
 * ```ts
 * import { IORING_REGISTER_IOWQ_AFF } from '@evring/abi';
 * // @evring/sys refuses this opcode (its argument holds user pointers);
 * // it is here for encoders that talk to the kernel by other means
 * const opcode = IORING_REGISTER_IOWQ_AFF;
 * ```
 */
export const IORING_REGISTER_IOWQ_AFF = 17;
/**
 * io_uring_register(2) opcode: clear that affinity.
 *
 * @example
 * ```ts
 * import { IORING_UNREGISTER_IOWQ_AFF } from '@evring/abi';
 * // @evring/sys refuses this opcode (its argument holds user pointers);
 * // it is here for encoders that talk to the kernel by other means
 * const opcode = IORING_UNREGISTER_IOWQ_AFF;
 * ```
 */
export const IORING_UNREGISTER_IOWQ_AFF = 18;
/**
 * io_uring_register(2) opcode: cap the number of async workers.
 *
 * @example
 * ```ts
 * import { IORING_REGISTER_IOWQ_MAX_WORKERS } from '@evring/abi';
 * import { IoUring } from '@evring/sys';
 * declare const ring: IoUring;
 * declare const arg: ArrayBufferView | null; declare const nrArgs: number;
 * ring.register(IORING_REGISTER_IOWQ_MAX_WORKERS, arg, nrArgs); // see io_uring_register(2) for the argument
 * ```
 */
export const IORING_REGISTER_IOWQ_MAX_WORKERS = 19;
/**
 * io_uring_register(2) opcode: register the ring fd itself (IORING_ENTER_REGISTERED_RING); linux 5.18.
 *
 * @example
 * ```ts
 * import { IORING_REGISTER_RING_FDS } from '@evring/abi';
 * import { IoUring } from '@evring/sys';
 * declare const ring: IoUring;
 * declare const arg: ArrayBufferView | null; declare const nrArgs: number;
 * ring.register(IORING_REGISTER_RING_FDS, arg, nrArgs); // see io_uring_register(2) for the argument
 * ```
 */
export const IORING_REGISTER_RING_FDS = 20;
/**
 * io_uring_register(2) opcode: drop a registered ring fd.
 *
 * @example
 * ```ts
 * import { IORING_UNREGISTER_RING_FDS } from '@evring/abi';
 * import { IoUring } from '@evring/sys';
 * declare const ring: IoUring;
 * declare const arg: ArrayBufferView | null; declare const nrArgs: number;
 * ring.register(IORING_UNREGISTER_RING_FDS, arg, nrArgs); // see io_uring_register(2) for the argument
 * ```
 */
export const IORING_UNREGISTER_RING_FDS = 21;
/**
 * io_uring_register(2) opcode: register a provided-buffer ring.
 *
 * @example
 * ```ts
 * import { IORING_REGISTER_PBUF_RING } from '@evring/abi';
 * // @evring/sys refuses this opcode (its argument holds user pointers);
 * // it is here for encoders that talk to the kernel by other means
 * const opcode = IORING_REGISTER_PBUF_RING;
 * ```
 */
export const IORING_REGISTER_PBUF_RING = 22;
/**
 * io_uring_register(2) opcode: drop a provided-buffer ring.
 *
 * @example
 * ```ts
 * import { IORING_UNREGISTER_PBUF_RING } from '@evring/abi';
 * // @evring/sys refuses this opcode (its argument holds user pointers);
 * // it is here for encoders that talk to the kernel by other means
 * const opcode = IORING_UNREGISTER_PBUF_RING;
 * ```
 */
export const IORING_UNREGISTER_PBUF_RING = 23;
/**
 * io_uring_register(2) opcode: cancel requests synchronously.
 *
 * @example
 * ```ts
 * import { IORING_REGISTER_SYNC_CANCEL } from '@evring/abi';
 * import { IoUring } from '@evring/sys';
 * declare const ring: IoUring;
 * declare const arg: ArrayBufferView | null; declare const nrArgs: number;
 * ring.register(IORING_REGISTER_SYNC_CANCEL, arg, nrArgs); // see io_uring_register(2) for the argument
 * ```
 */
export const IORING_REGISTER_SYNC_CANCEL = 24;
/**
 * io_uring_register(2) opcode: set the range for auto-allocated direct descriptors.
 *
 * @example
 * ```ts
 * import { IORING_REGISTER_FILE_ALLOC_RANGE } from '@evring/abi';
 * // @evring/sys refuses this opcode (its argument holds user pointers);
 * // it is here for encoders that talk to the kernel by other means
 * const opcode = IORING_REGISTER_FILE_ALLOC_RANGE;
 * ```
 */
export const IORING_REGISTER_FILE_ALLOC_RANGE = 25;
/**
 * io_uring_register(2) opcode: read the head of a provided-buffer ring; linux 6.8.
 *
 * @example
 * ```ts
 * import { IORING_REGISTER_PBUF_STATUS } from '@evring/abi';
 * // @evring/sys refuses this opcode (its argument holds user pointers);
 * // it is here for encoders that talk to the kernel by other means
 * const opcode = IORING_REGISTER_PBUF_STATUS;
 * ```
 */
export const IORING_REGISTER_PBUF_STATUS = 26;
/**
 * io_uring_register(2) opcode: enable NAPI busy polling; linux 6.9.
 *
 * @example
 * ```ts
 * import { IORING_REGISTER_NAPI } from '@evring/abi';
 * // @evring/sys refuses this opcode (its argument holds user pointers);
 * // it is here for encoders that talk to the kernel by other means
 * const opcode = IORING_REGISTER_NAPI;
 * ```
 */
export const IORING_REGISTER_NAPI = 27;
/**
 * io_uring_register(2) opcode: disable NAPI busy polling.
 *
 * @example
 * ```ts
 * import { IORING_UNREGISTER_NAPI } from '@evring/abi';
 * // @evring/sys refuses this opcode (its argument holds user pointers);
 * // it is here for encoders that talk to the kernel by other means
 * const opcode = IORING_UNREGISTER_NAPI;
 * ```
 */
export const IORING_UNREGISTER_NAPI = 28;
/**
 * io_uring_register(2) opcode: choose the clock of wait timeouts; linux 6.12.
 *
 * @example
 * ```ts
 * import { IORING_REGISTER_CLOCK } from '@evring/abi';
 * import { IoUring } from '@evring/sys';
 * declare const ring: IoUring;
 * declare const arg: ArrayBufferView | null; declare const nrArgs: number;
 * ring.register(IORING_REGISTER_CLOCK, arg, nrArgs); // see io_uring_register(2) for the argument
 * ```
 */
export const IORING_REGISTER_CLOCK = 29;
/**
 * io_uring_register(2) opcode: copy registered buffers from another ring; linux 6.12.
 *
 * @example
 * ```ts
 * import { IORING_REGISTER_CLONE_BUFFERS } from '@evring/abi';
 * // @evring/sys refuses this opcode (its argument holds user pointers);
 * // it is here for encoders that talk to the kernel by other means
 * const opcode = IORING_REGISTER_CLONE_BUFFERS;
 * ```
 */
export const IORING_REGISTER_CLONE_BUFFERS = 30;
/**
 * io_uring_register(2) opcode: post a CQE to a ring without a source ring; linux 6.13.
 *
 * @example
 * ```ts
 * import { IORING_REGISTER_SEND_MSG_RING } from '@evring/abi';
 * // @evring/sys refuses this opcode (its argument holds user pointers);
 * // it is here for encoders that talk to the kernel by other means
 * const opcode = IORING_REGISTER_SEND_MSG_RING;
 * ```
 */
export const IORING_REGISTER_SEND_MSG_RING = 31;
/**
 * io_uring_register(2) opcode: register a zero-copy receive queue; linux 6.15.
 *
 * @example
 * ```ts
 * import { IORING_REGISTER_ZCRX_IFQ } from '@evring/abi';
 * // @evring/sys refuses this opcode (its argument holds user pointers);
 * // it is here for encoders that talk to the kernel by other means
 * const opcode = IORING_REGISTER_ZCRX_IFQ;
 * ```
 */
export const IORING_REGISTER_ZCRX_IFQ = 32;
/**
 * io_uring_register(2) opcode: resize the SQ and CQ rings; linux 6.13.
 *
 * @example
 * ```ts
 * import { IORING_REGISTER_RESIZE_RINGS } from '@evring/abi';
 * // @evring/sys refuses this opcode (its argument holds user pointers);
 * // it is here for encoders that talk to the kernel by other means
 * const opcode = IORING_REGISTER_RESIZE_RINGS;
 * ```
 */
export const IORING_REGISTER_RESIZE_RINGS = 33;
/**
 * OR into an opcode: `fd` is a registered ring index; linux 6.3
 *
 * @example
 * ```ts
 * import { IORING_REGISTER_USE_REGISTERED_RING, IORING_REGISTER_PROBE } from '@evring/abi';
 * const opcode = (IORING_REGISTER_PROBE | IORING_REGISTER_USE_REGISTERED_RING) >>> 0;
 * // io_uring_register(ringIndex, opcode, ...) after IORING_REGISTER_RING_FDS
 * ```
 */
export const IORING_REGISTER_USE_REGISTERED_RING = 0x80000000;

/**
 * io_uring_probe_op.flags: the opcode is supported
 *
 * @example
 * ```ts
 * import { IO_URING_OP_SUPPORTED, io_uring_probe, io_uring_probe_op, probeSize } from '@evring/abi';
 * const probe = new DataView(new ArrayBuffer(probeSize(256)));
 * // the i-th io_uring_probe_op after the header:
 * const at = io_uring_probe.size + 6 * io_uring_probe_op.size;
 * const supported = (probe.getUint16(at + io_uring_probe_op.fields.flags.offset, true) & IO_URING_OP_SUPPORTED) !== 0;
 * ```
 */
export const IO_URING_OP_SUPPORTED = 1 << 0;
/**
 * sqe.file_index: let the kernel pick a direct descriptor slot
 *
 * @example
 * ```ts
 * import { IORING_FILE_INDEX_ALLOC, layouts } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * sqe.setUint32(layouts.io_uring_sqe.fields.file_index.offset, IORING_FILE_INDEX_ALLOC, true);
 * ```
 */
export const IORING_FILE_INDEX_ALLOC = 0xffffffff;

/**
 * The kernel's hard caps (IORING_MAX_ENTRIES, IORING_MAX_CQ_ENTRIES); larger requests need IORING_SETUP_CLAMP.
 *
 * @example
 * ```ts
 * import { IORING_MAX_ENTRIES } from '@evring/abi';
 * const wanted = 100_000;
 * const entries = Math.min(wanted, IORING_MAX_ENTRIES);
 * ```
 */
export const IORING_MAX_ENTRIES = 32768;
/**
 * The kernel's hard cap on CQ entries (twice IORING_MAX_ENTRIES).
 *
 * @example
 * ```ts
 * import { IORING_MAX_CQ_ENTRIES } from '@evring/abi';
 * const wanted = 100_000;
 * const entries = Math.min(wanted, IORING_MAX_CQ_ENTRIES);
 * ```
 */
export const IORING_MAX_CQ_ENTRIES = 2 * IORING_MAX_ENTRIES;

/**
 * Linux AIO constants (`linux/aio_abi.h`).
 *
 * @module
 */

// ---------------------------------------------------------------------------
// iocb.aio_lio_opcode
// ---------------------------------------------------------------------------
/**
 * pread(2) into `aio_buf` (O_DIRECT files for real asynchrony).
 *
 * @example
 * ```ts
 * import { IOCB_CMD_PREAD, decodeIocb, prepIocbPread } from '@evring/abi';
 * const iocbs = new Uint32Array(16); // one iocb, as an AioContext's iocbs in @evring/sys
 * prepIocbPread(iocbs, 0, 5, 0x10000, 4096, 0);
 * decodeIocb(new DataView(iocbs.buffer), 0).opcode === IOCB_CMD_PREAD; // true
 * ```
 */
export const IOCB_CMD_PREAD = 0;
/** pwrite(2) from `aio_buf`. */
export const IOCB_CMD_PWRITE = 1;
/** fsync(2). */
export const IOCB_CMD_FSYNC = 2;
/** fdatasync(2). */
export const IOCB_CMD_FDSYNC = 3;
/**
 * A readiness poll, one-shot, with the poll mask in `aio_buf` and the ready mask in the io_event's
 * `res`; linux 4.18 (usable with epoll fallback from 4.19).
 */
export const IOCB_CMD_POLL = 5;
/** Reserved; the kernel refuses it with EINVAL. */
export const IOCB_CMD_NOOP = 6;
/** preadv(2) into an iovec array. */
export const IOCB_CMD_PREADV = 7;
/** pwritev(2) from an iovec array. */
export const IOCB_CMD_PWRITEV = 8;

// ---------------------------------------------------------------------------
// iocb.aio_flags
// ---------------------------------------------------------------------------
/**
 * Signal `aio_resfd` (an eventfd) on completion.
 *
 * @example
 * ```ts
 * import { IOCB_FLAG_RESFD, POLLIN, decodeIocb, iocbSetResfd, prepIocbPoll } from '@evring/abi';
 * const iocbs = new Uint32Array(16);
 * prepIocbPoll(iocbs, 0, 5, POLLIN);
 * iocbSetResfd(iocbs, 0, 9); // eventfd 9 is signalled when the poll completes
 * decodeIocb(new DataView(iocbs.buffer), 0).flags === IOCB_FLAG_RESFD; // true
 * ```
 */
export const IOCB_FLAG_RESFD = 1 << 0;
/** `aio_reqprio` is an ioprio value. */
export const IOCB_FLAG_IOPRIO = 1 << 1;

// ---------------------------------------------------------------------------
// aio_ring header (the completion ring user space may read)
// ---------------------------------------------------------------------------
/**
 * aio_ring.magic.
 *
 * @example
 * ```ts
 * import { AIO_RING_COMPAT_FEATURES, AIO_RING_INCOMPAT_FEATURES, AIO_RING_MAGIC, aio_ring, aioRingInvalidReason } from '@evring/abi';
 * const header = { id: 0, nr: 64, head: 0, tail: 0, magic: AIO_RING_MAGIC,
 *   compatFeatures: AIO_RING_COMPAT_FEATURES, incompatFeatures: AIO_RING_INCOMPAT_FEATURES,
 *   headerLength: aio_ring.size };
 * aioRingInvalidReason(header); // undefined: user space may read this ring
 * ```
 */
export const AIO_RING_MAGIC = 0xa10a10a1;
/** aio_ring.compat_features the kernel sets today. */
export const AIO_RING_COMPAT_FEATURES = 1;
/** aio_ring.incompat_features: anything else means the ring must not be read from user space. */
export const AIO_RING_INCOMPAT_FEATURES = 0;

/**
 * Linux AIO constants (`linux/aio_abi.h`).
 *
 * @module
 */

// iocb.aio_lio_opcode
/**
 * iocb.aio_lio_opcode: pread(2) into `aio_buf` (O_DIRECT files for real asynchrony).
 *
 * @example
 * ```ts
 * import { IOCB_CMD_PREAD, iocb, readIocb, writeIocb } from '@evring/abi';
 * const cb = new DataView(new ArrayBuffer(iocb.size));
 * writeIocb(cb, 0, { data: 1n, key: 0, rwFlags: 0, opcode: IOCB_CMD_PREAD, reqprio: 0, fildes: 5,
 *   buf: 0, nbytes: 0, offset: 0, reserved2: 0, flags: 0, resfd: 0 });
 * readIocb(cb, 0).opcode === IOCB_CMD_PREAD; // true
 * ```
 */
export const IOCB_CMD_PREAD = 0;
/**
 * iocb.aio_lio_opcode: pwrite(2) from `aio_buf`.
 *
 * @example
 * ```ts
 * import { IOCB_CMD_PWRITE, iocb, readIocb, writeIocb } from '@evring/abi';
 * const cb = new DataView(new ArrayBuffer(iocb.size));
 * writeIocb(cb, 0, { data: 1n, key: 0, rwFlags: 0, opcode: IOCB_CMD_PWRITE, reqprio: 0, fildes: 5,
 *   buf: 0, nbytes: 0, offset: 0, reserved2: 0, flags: 0, resfd: 0 });
 * readIocb(cb, 0).opcode === IOCB_CMD_PWRITE; // true
 * ```
 */
export const IOCB_CMD_PWRITE = 1;
/**
 * iocb.aio_lio_opcode: fsync(2).
 *
 * @example
 * ```ts
 * import { IOCB_CMD_FSYNC, iocb, readIocb, writeIocb } from '@evring/abi';
 * const cb = new DataView(new ArrayBuffer(iocb.size));
 * writeIocb(cb, 0, { data: 1n, key: 0, rwFlags: 0, opcode: IOCB_CMD_FSYNC, reqprio: 0, fildes: 5,
 *   buf: 0, nbytes: 0, offset: 0, reserved2: 0, flags: 0, resfd: 0 });
 * readIocb(cb, 0).opcode === IOCB_CMD_FSYNC; // true
 * ```
 */
export const IOCB_CMD_FSYNC = 2;
/**
 * iocb.aio_lio_opcode: fdatasync(2).
 *
 * @example
 * ```ts
 * import { IOCB_CMD_FDSYNC, iocb, readIocb, writeIocb } from '@evring/abi';
 * const cb = new DataView(new ArrayBuffer(iocb.size));
 * writeIocb(cb, 0, { data: 1n, key: 0, rwFlags: 0, opcode: IOCB_CMD_FDSYNC, reqprio: 0, fildes: 5,
 *   buf: 0, nbytes: 0, offset: 0, reserved2: 0, flags: 0, resfd: 0 });
 * readIocb(cb, 0).opcode === IOCB_CMD_FDSYNC; // true
 * ```
 */
export const IOCB_CMD_FDSYNC = 3;
/**
 * iocb.aio_lio_opcode: a readiness poll, one-shot, with the poll mask in `aio_buf` and the ready mask in the io_event's `res`; linux 4.18 (usable with epoll fallback from 4.19).
 *
 * readiness poll, one-shot; linux 4.18 (usable with epoll fallback from 4.19)
 *
 * @example
 * ```ts
 * import { IOCB_CMD_POLL, POLLIN, iocb, prepIocbPoll, readIocb } from '@evring/abi';
 * const cb = new DataView(new ArrayBuffer(iocb.size));
 * prepIocbPoll(cb, 0, 5, POLLIN, 5, 0, -1);
 * readIocb(cb, 0).opcode === IOCB_CMD_POLL; // true
 * ```
 */
export const IOCB_CMD_POLL = 5;
/**
 * iocb.aio_lio_opcode: reserved; the kernel refuses it with EINVAL.
 *
 * @example
 * ```ts
 * import { IOCB_CMD_NOOP, iocb, readIocb, writeIocb } from '@evring/abi';
 * const cb = new DataView(new ArrayBuffer(iocb.size));
 * writeIocb(cb, 0, { data: 1n, key: 0, rwFlags: 0, opcode: IOCB_CMD_NOOP, reqprio: 0, fildes: 5,
 *   buf: 0, nbytes: 0, offset: 0, reserved2: 0, flags: 0, resfd: 0 });
 * readIocb(cb, 0).opcode === IOCB_CMD_NOOP; // true
 * ```
 */
export const IOCB_CMD_NOOP = 6;
/**
 * iocb.aio_lio_opcode: preadv(2) into an iovec array.
 *
 * @example
 * ```ts
 * import { IOCB_CMD_PREADV, iocb, readIocb, writeIocb } from '@evring/abi';
 * const cb = new DataView(new ArrayBuffer(iocb.size));
 * writeIocb(cb, 0, { data: 1n, key: 0, rwFlags: 0, opcode: IOCB_CMD_PREADV, reqprio: 0, fildes: 5,
 *   buf: 0, nbytes: 0, offset: 0, reserved2: 0, flags: 0, resfd: 0 });
 * readIocb(cb, 0).opcode === IOCB_CMD_PREADV; // true
 * ```
 */
export const IOCB_CMD_PREADV = 7;
/**
 * iocb.aio_lio_opcode: pwritev(2) from an iovec array.
 *
 * @example
 * ```ts
 * import { IOCB_CMD_PWRITEV, iocb, readIocb, writeIocb } from '@evring/abi';
 * const cb = new DataView(new ArrayBuffer(iocb.size));
 * writeIocb(cb, 0, { data: 1n, key: 0, rwFlags: 0, opcode: IOCB_CMD_PWRITEV, reqprio: 0, fildes: 5,
 *   buf: 0, nbytes: 0, offset: 0, reserved2: 0, flags: 0, resfd: 0 });
 * readIocb(cb, 0).opcode === IOCB_CMD_PWRITEV; // true
 * ```
 */
export const IOCB_CMD_PWRITEV = 8;

// iocb.aio_flags
/**
 * signal `aio_resfd` (an eventfd) on completion
 *
 * @example
 * ```ts
 * import { IOCB_FLAG_RESFD, POLLIN, iocb, prepIocbPoll, readIocb } from '@evring/abi';
 * const cb = new DataView(new ArrayBuffer(iocb.size));
 * prepIocbPoll(cb, 0, 5, POLLIN, 5, 0, 7); // resfd 7 sets the flag
 * (readIocb(cb, 0).flags & IOCB_FLAG_RESFD) !== 0; // true
 * ```
 */
export const IOCB_FLAG_RESFD = 1 << 0;
/**
 * `aio_reqprio` is an ioprio value
 *
 * @example
 * ```ts
 * import { IOCB_CMD_PREAD, IOCB_FLAG_IOPRIO, iocb, writeIocb } from '@evring/abi';
 * const cb = new DataView(new ArrayBuffer(iocb.size));
 * writeIocb(cb, 0, { data: 1n, key: 0, rwFlags: 0, opcode: IOCB_CMD_PREAD, reqprio: 4, fildes: 5,
 *   buf: 0, nbytes: 0, offset: 0, reserved2: 0, flags: IOCB_FLAG_IOPRIO, resfd: 0 });
 * ```
 */
export const IOCB_FLAG_IOPRIO = 1 << 1;

/**
 * aio_ring.magic
 *
 * @example
 * ```ts
 * import { AIO_RING_MAGIC, AIO_RING_COMPAT_FEATURES, AIO_RING_INCOMPAT_FEATURES, aio_ring,
 *   aioRingInvalidReason, writeAioRingHeader } from '@evring/abi';
 * const ring = new DataView(new ArrayBuffer(aio_ring.size));
 * const header = { id: 0, nr: 64, head: 0, tail: 0, magic: AIO_RING_MAGIC,
 *   compatFeatures: AIO_RING_COMPAT_FEATURES, incompatFeatures: AIO_RING_INCOMPAT_FEATURES,
 *   headerLength: aio_ring.size };
 * writeAioRingHeader(ring, 0, header);
 * aioRingInvalidReason(header); // undefined: user space may read this ring
 * ```
 */
export const AIO_RING_MAGIC = 0xa10a10a1;
/**
 * aio_ring.compat_features the kernel sets today
 *
 * @example
 * ```ts
 * import { AIO_RING_MAGIC, AIO_RING_COMPAT_FEATURES, AIO_RING_INCOMPAT_FEATURES, aio_ring,
 *   aioRingInvalidReason, writeAioRingHeader } from '@evring/abi';
 * const ring = new DataView(new ArrayBuffer(aio_ring.size));
 * const header = { id: 0, nr: 64, head: 0, tail: 0, magic: AIO_RING_MAGIC,
 *   compatFeatures: AIO_RING_COMPAT_FEATURES, incompatFeatures: AIO_RING_INCOMPAT_FEATURES,
 *   headerLength: aio_ring.size };
 * writeAioRingHeader(ring, 0, header);
 * aioRingInvalidReason(header); // undefined: user space may read this ring
 * ```
 */
export const AIO_RING_COMPAT_FEATURES = 1;
/**
 * aio_ring.incompat_features: anything else means the ring must not be read from user space
 *
 * @example
 * ```ts
 * import { AIO_RING_MAGIC, AIO_RING_COMPAT_FEATURES, AIO_RING_INCOMPAT_FEATURES, aio_ring,
 *   aioRingInvalidReason, writeAioRingHeader } from '@evring/abi';
 * const ring = new DataView(new ArrayBuffer(aio_ring.size));
 * const header = { id: 0, nr: 64, head: 0, tail: 0, magic: AIO_RING_MAGIC,
 *   compatFeatures: AIO_RING_COMPAT_FEATURES, incompatFeatures: AIO_RING_INCOMPAT_FEATURES,
 *   headerLength: aio_ring.size };
 * writeAioRingHeader(ring, 0, header);
 * aioRingInvalidReason(header); // undefined: user space may read this ring
 * ```
 */
export const AIO_RING_INCOMPAT_FEATURES = 0;

/**
 * Linux AIO constants (`linux/aio_abi.h`).
 *
 * @module
 */

// iocb.aio_lio_opcode
export const IOCB_CMD_PREAD = 0;
export const IOCB_CMD_PWRITE = 1;
export const IOCB_CMD_FSYNC = 2;
export const IOCB_CMD_FDSYNC = 3;
/** readiness poll, one-shot; linux 4.18 (usable with epoll fallback from 4.19) */
export const IOCB_CMD_POLL = 5;
export const IOCB_CMD_NOOP = 6;
export const IOCB_CMD_PREADV = 7;
export const IOCB_CMD_PWRITEV = 8;

// iocb.aio_flags
/** signal `aio_resfd` (an eventfd) on completion */
export const IOCB_FLAG_RESFD = 1 << 0;
/** `aio_reqprio` is an ioprio value */
export const IOCB_FLAG_IOPRIO = 1 << 1;

/** aio_ring.magic */
export const AIO_RING_MAGIC = 0xa10a10a1;
/** aio_ring.compat_features the kernel sets today */
export const AIO_RING_COMPAT_FEATURES = 1;
/** aio_ring.incompat_features: anything else means the ring must not be read from user space */
export const AIO_RING_INCOMPAT_FEATURES = 0;

/**
 * poll(2) event bits (`asm-generic/poll.h`, identical on x86_64 and aarch64).
 * io_uring POLL_ADD and aio IOCB_CMD_POLL take these masks.
 *
 * @module
 */

/**
 * poll mask: readable.
 *
 * @example
 * ```ts
 * import { POLLIN, layouts, prepPollAdd } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepPollAdd(sqe, 0, 5, POLLIN, 1n);
 * // the CQE's res holds the ready mask: (res & POLLIN) !== 0
 * ```
 */
export const POLLIN = 0x0001;
/**
 * poll mask: urgent data (MSG_OOB, a pty packet-mode change).
 *
 * @example
 * ```ts
 * import { POLLPRI, POLLIN, layouts, prepPollAdd } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepPollAdd(sqe, 0, 5, POLLIN | POLLPRI, 1n);
 * // the CQE's res holds the ready mask: (res & POLLPRI) !== 0
 * ```
 */
export const POLLPRI = 0x0002;
/**
 * poll mask: writable.
 *
 * @example
 * ```ts
 * import { POLLOUT, POLLIN, layouts, prepPollAdd } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepPollAdd(sqe, 0, 5, POLLIN | POLLOUT, 1n);
 * // the CQE's res holds the ready mask: (res & POLLOUT) !== 0
 * ```
 */
export const POLLOUT = 0x0004;
/**
 * poll mask: an error is pending (reported even when not asked for).
 *
 * @example
 * ```ts
 * import { POLLERR, POLLIN, layouts, prepPollAdd } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepPollAdd(sqe, 0, 5, POLLIN | POLLERR, 1n);
 * // the CQE's res holds the ready mask: (res & POLLERR) !== 0
 * ```
 */
export const POLLERR = 0x0008;
/**
 * poll mask: hang-up (reported even when not asked for).
 *
 * @example
 * ```ts
 * import { POLLHUP, POLLIN, layouts, prepPollAdd } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepPollAdd(sqe, 0, 5, POLLIN | POLLHUP, 1n);
 * // the CQE's res holds the ready mask: (res & POLLHUP) !== 0
 * ```
 */
export const POLLHUP = 0x0010;
/**
 * poll mask: the fd is not open.
 *
 * @example
 * ```ts
 * import { POLLNVAL, POLLIN, layouts, prepPollAdd } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepPollAdd(sqe, 0, 5, POLLIN | POLLNVAL, 1n);
 * // the CQE's res holds the ready mask: (res & POLLNVAL) !== 0
 * ```
 */
export const POLLNVAL = 0x0020;
/**
 * poll mask: normal data readable.
 *
 * @example
 * ```ts
 * import { POLLRDNORM, POLLIN, layouts, prepPollAdd } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepPollAdd(sqe, 0, 5, POLLIN | POLLRDNORM, 1n);
 * // the CQE's res holds the ready mask: (res & POLLRDNORM) !== 0
 * ```
 */
export const POLLRDNORM = 0x0040;
/**
 * poll mask: priority band data readable.
 *
 * @example
 * ```ts
 * import { POLLRDBAND, POLLIN, layouts, prepPollAdd } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepPollAdd(sqe, 0, 5, POLLIN | POLLRDBAND, 1n);
 * // the CQE's res holds the ready mask: (res & POLLRDBAND) !== 0
 * ```
 */
export const POLLRDBAND = 0x0080;
/**
 * poll mask: writable (as POLLOUT).
 *
 * @example
 * ```ts
 * import { POLLWRNORM, POLLIN, layouts, prepPollAdd } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepPollAdd(sqe, 0, 5, POLLIN | POLLWRNORM, 1n);
 * // the CQE's res holds the ready mask: (res & POLLWRNORM) !== 0
 * ```
 */
export const POLLWRNORM = 0x0100;
/**
 * poll mask: priority data writable.
 *
 * @example
 * ```ts
 * import { POLLWRBAND, POLLIN, layouts, prepPollAdd } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepPollAdd(sqe, 0, 5, POLLIN | POLLWRBAND, 1n);
 * // the CQE's res holds the ready mask: (res & POLLWRBAND) !== 0
 * ```
 */
export const POLLWRBAND = 0x0200;
/**
 * poll mask: unused by Linux.
 *
 * @example
 * ```ts
 * import { POLLMSG, POLLIN, layouts, prepPollAdd } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepPollAdd(sqe, 0, 5, POLLIN | POLLMSG, 1n);
 * // the CQE's res holds the ready mask: (res & POLLMSG) !== 0
 * ```
 */
export const POLLMSG = 0x0400;
/**
 * poll mask: obsolete (/dev/poll removal); never reported.
 *
 * @example
 * ```ts
 * import { POLLREMOVE, POLLIN, layouts, prepPollAdd } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepPollAdd(sqe, 0, 5, POLLIN | POLLREMOVE, 1n);
 * // the CQE's res holds the ready mask: (res & POLLREMOVE) !== 0
 * ```
 */
export const POLLREMOVE = 0x1000;
/**
 * poll mask: the peer shut down its writing half.
 *
 * @example
 * ```ts
 * import { POLLRDHUP, POLLIN, layouts, prepPollAdd } from '@evring/abi';
 * const sqe = new DataView(new ArrayBuffer(layouts.io_uring_sqe.size));
 * prepPollAdd(sqe, 0, 5, POLLIN | POLLRDHUP, 1n);
 * // the CQE's res holds the ready mask: (res & POLLRDHUP) !== 0
 * ```
 */
export const POLLRDHUP = 0x2000;

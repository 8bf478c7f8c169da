/**
 * poll(2) event bits (`asm-generic/poll.h`, identical on x86_64 and aarch64).
 * io_uring POLL_ADD and aio IOCB_CMD_POLL take these masks.
 *
 * @module
 */

// ---------------------------------------------------------------------------
// poll(2) event bits
// ---------------------------------------------------------------------------
/**
 * Readable.
 *
 * @example
 * ```ts
 * import { POLLHUP, POLLIN, POLLOUT, decodeSqe, prepPollAdd } from '@evring/abi';
 * const sqes = new Uint32Array(16);
 * prepPollAdd(sqes, 0, 5, POLLIN | POLLOUT); // io_uring POLL_ADD and aio IOCB_CMD_POLL take these masks
 * decodeSqe(new DataView(sqes.buffer), 0).opFlags; // 5
 * const res = POLLIN | POLLHUP; // a completion's res: readable, and the peer hung up
 * (res & POLLHUP) !== 0; // true
 * ```
 */
export const POLLIN = 0x0001;
/** Urgent data (MSG_OOB, a pty packet-mode change). */
export const POLLPRI = 0x0002;
/** Writable. */
export const POLLOUT = 0x0004;
/** An error is pending (reported even when not asked for). */
export const POLLERR = 0x0008;
/** Hang-up (reported even when not asked for). */
export const POLLHUP = 0x0010;
/** The fd is not open. */
export const POLLNVAL = 0x0020;
/** Normal data readable. */
export const POLLRDNORM = 0x0040;
/** Priority band data readable. */
export const POLLRDBAND = 0x0080;
/** Writable (as POLLOUT). */
export const POLLWRNORM = 0x0100;
/** Priority data writable. */
export const POLLWRBAND = 0x0200;
/** Unused by Linux. */
export const POLLMSG = 0x0400;
/** Obsolete (/dev/poll removal); never reported. */
export const POLLREMOVE = 0x1000;
/** The peer shut down its writing half. */
export const POLLRDHUP = 0x2000;

/**
 * epoll constants (`linux/eventpoll.h`). EPOLLET is bit 31: as a JS number it
 * is the positive 0x80000000, so combine masks with `| 0 >>> 0` or keep them
 * unsigned when comparing.
 *
 * @module
 */

// ---------------------------------------------------------------------------
// epoll_ctl(2) ops and epoll_create1(2) flags
// ---------------------------------------------------------------------------
/**
 * Start watching an fd.
 *
 * @example
 * ```ts
 * import { EPOLL_CLOEXEC, EPOLL_CTL_ADD, EPOLL_CTL_DEL, EPOLL_CTL_MOD } from '@evring/abi';
 * // epollCtl(ep, EPOLL_CTL_ADD, fd, EPOLLIN, fd, 0) in @evring/sys. ADD of a registered fd gives
 * // EEXIST, MOD of an unknown one ENOENT: the epoll backend retries with the other.
 * [EPOLL_CTL_ADD, EPOLL_CTL_DEL, EPOLL_CTL_MOD]; // [1, 2, 3]
 * EPOLL_CLOEXEC === 0o2000000; // true
 * ```
 */
export const EPOLL_CTL_ADD = 1;
/** Stop watching an fd. */
export const EPOLL_CTL_DEL = 2;
/** Change the events watched for an fd. */
export const EPOLL_CTL_MOD = 3;

/** Close on exec (== O_CLOEXEC). */
export const EPOLL_CLOEXEC = 0o2000000;

// ---------------------------------------------------------------------------
// epoll_event.events
// ---------------------------------------------------------------------------
/**
 * Readable.
 *
 * @example
 * ```ts
 * import { EPOLLET, EPOLLIN, EPOLL_EVENT_SIZE, epollEventEvents, writeEpollEvent } from '@evring/abi';
 * const ev = new DataView(new ArrayBuffer(EPOLL_EVENT_SIZE));
 * writeEpollEvent(ev, 0, EPOLLIN | EPOLLET, 5, 1); // edge-triggered reads of fd 5, generation 1
 * epollEventEvents(ev, 0) === (EPOLLIN | EPOLLET) >>> 0; // true: EPOLLET is bit 31, read back unsigned
 * ```
 */
export const EPOLLIN = 0x00000001;
/** Urgent (out-of-band) data. */
export const EPOLLPRI = 0x00000002;
/** Writable. */
export const EPOLLOUT = 0x00000004;
/** An error is pending (always reported). */
export const EPOLLERR = 0x00000008;
/** Hang-up (always reported). */
export const EPOLLHUP = 0x00000010;
/** Defined for poll(2); epoll does not report it. */
export const EPOLLNVAL = 0x00000020;
/** Normal data readable (as EPOLLIN). */
export const EPOLLRDNORM = 0x00000040;
/** Priority band data readable. */
export const EPOLLRDBAND = 0x00000080;
/** Writable (as EPOLLOUT). */
export const EPOLLWRNORM = 0x00000100;
/** Priority data writable. */
export const EPOLLWRBAND = 0x00000200;
/** Unused by Linux. */
export const EPOLLMSG = 0x00000400;
/** The peer shut down its writing half; linux 2.6.17. */
export const EPOLLRDHUP = 0x00002000;
/** An io_uring wake-up loop guard; linux 6.2. */
export const EPOLL_URING_WAKE = 1 << 27;
/** Wake one of the epoll instances sharing the fd; linux 4.5. */
export const EPOLLEXCLUSIVE = 1 << 28;
/** Hold a wakeup source while the event is pending (CAP_BLOCK_SUSPEND). */
export const EPOLLWAKEUP = 1 << 29;
/** Disable the fd after one event; re-arm with EPOLL_CTL_MOD. */
export const EPOLLONESHOT = 1 << 30;
/** Edge-triggered; bit 31, kept unsigned. */
export const EPOLLET = 0x80000000;

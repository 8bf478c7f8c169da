/**
 * epoll constants (`linux/eventpoll.h`). EPOLLET is bit 31: as a JS number it
 * is the positive 0x80000000, so combine masks with `| 0 >>> 0` or keep them
 * unsigned when comparing.
 *
 * @module
 */

/**
 * epoll_ctl(2) op: start watching an fd.
 *
 * @example
 * ```ts
 * import { EPOLL_CTL_ADD, EPOLLIN } from '@evring/abi';
 * import { close, epollCreate1, epollCtl, eventfd } from '@evring/sys';
 * const ep = epollCreate1(0);
 * const fd = eventfd(0, 0);
 * epollCtl(ep, EPOLL_CTL_ADD, fd, EPOLLIN, fd, 0); // 0, or -errno
 * close(fd); close(ep);
 * ```
 */
export const EPOLL_CTL_ADD = 1;
/**
 * epoll_ctl(2) op: stop watching an fd.
 *
 * @example
 * ```ts
 * import { EPOLL_CTL_DEL, EPOLLIN, EPOLL_CTL_ADD } from '@evring/abi';
 * import { close, epollCreate1, epollCtl, eventfd } from '@evring/sys';
 * const ep = epollCreate1(0);
 * const fd = eventfd(0, 0);
 * epollCtl(ep, EPOLL_CTL_ADD, fd, EPOLLIN, fd, 0);
 * epollCtl(ep, EPOLL_CTL_DEL, fd, EPOLLIN, fd, 0); // 0, or -errno
 * close(fd); close(ep);
 * ```
 */
export const EPOLL_CTL_DEL = 2;
/**
 * epoll_ctl(2) op: change the events watched for an fd.
 *
 * @example
 * ```ts
 * import { EPOLL_CTL_MOD, EPOLLIN, EPOLL_CTL_ADD } from '@evring/abi';
 * import { close, epollCreate1, epollCtl, eventfd } from '@evring/sys';
 * const ep = epollCreate1(0);
 * const fd = eventfd(0, 0);
 * epollCtl(ep, EPOLL_CTL_ADD, fd, EPOLLIN, fd, 0);
 * epollCtl(ep, EPOLL_CTL_MOD, fd, EPOLLIN, fd, 0); // 0, or -errno
 * close(fd); close(ep);
 * ```
 */
export const EPOLL_CTL_MOD = 3;

/**
 * epoll_create1 flag: close on exec (== O_CLOEXEC)
 *
 * @example
 * ```ts
 * import { EPOLL_CLOEXEC } from '@evring/abi';
 * import { close, epollCreate1 } from '@evring/sys';
 * close(epollCreate1(EPOLL_CLOEXEC));
 * ```
 */
export const EPOLL_CLOEXEC = 0o2000000;

// epoll_event.events
/**
 * epoll_event.events: readable.
 *
 * @example
 * ```ts
 * import { EPOLLIN, EPOLL_EVENT_SIZE, epollEventEvents, writeEpollEvent } from '@evring/abi';
 * const events = new DataView(new ArrayBuffer(EPOLL_EVENT_SIZE));
 * writeEpollEvent(events, 0, EPOLLIN, 5, 0);
 * (epollEventEvents(events, 0) & EPOLLIN) !== 0; // true
 * ```
 */
export const EPOLLIN = 0x00000001;
/**
 * epoll_event.events: urgent (out-of-band) data.
 *
 * @example
 * ```ts
 * import { EPOLLPRI, EPOLL_EVENT_SIZE, epollEventEvents, writeEpollEvent } from '@evring/abi';
 * const events = new DataView(new ArrayBuffer(EPOLL_EVENT_SIZE));
 * writeEpollEvent(events, 0, EPOLLPRI, 5, 0);
 * (epollEventEvents(events, 0) & EPOLLPRI) !== 0; // true
 * ```
 */
export const EPOLLPRI = 0x00000002;
/**
 * epoll_event.events: writable.
 *
 * @example
 * ```ts
 * import { EPOLLOUT, EPOLL_EVENT_SIZE, epollEventEvents, writeEpollEvent } from '@evring/abi';
 * const events = new DataView(new ArrayBuffer(EPOLL_EVENT_SIZE));
 * writeEpollEvent(events, 0, EPOLLOUT, 5, 0);
 * (epollEventEvents(events, 0) & EPOLLOUT) !== 0; // true
 * ```
 */
export const EPOLLOUT = 0x00000004;
/**
 * epoll_event.events: an error is pending (always reported).
 *
 * @example
 * ```ts
 * import { EPOLLERR, EPOLL_EVENT_SIZE, epollEventEvents, writeEpollEvent } from '@evring/abi';
 * const events = new DataView(new ArrayBuffer(EPOLL_EVENT_SIZE));
 * writeEpollEvent(events, 0, EPOLLERR, 5, 0);
 * (epollEventEvents(events, 0) & EPOLLERR) !== 0; // true
 * ```
 */
export const EPOLLERR = 0x00000008;
/**
 * epoll_event.events: hang-up (always reported).
 *
 * @example
 * ```ts
 * import { EPOLLHUP, EPOLL_EVENT_SIZE, epollEventEvents, writeEpollEvent } from '@evring/abi';
 * const events = new DataView(new ArrayBuffer(EPOLL_EVENT_SIZE));
 * writeEpollEvent(events, 0, EPOLLHUP, 5, 0);
 * (epollEventEvents(events, 0) & EPOLLHUP) !== 0; // true
 * ```
 */
export const EPOLLHUP = 0x00000010;
/**
 * epoll_event.events: defined for poll(2); epoll does not report it.
 *
 * @example
 * ```ts
 * import { EPOLLNVAL, EPOLL_EVENT_SIZE, epollEventEvents, writeEpollEvent } from '@evring/abi';
 * const events = new DataView(new ArrayBuffer(EPOLL_EVENT_SIZE));
 * writeEpollEvent(events, 0, EPOLLNVAL, 5, 0);
 * (epollEventEvents(events, 0) & EPOLLNVAL) !== 0; // true
 * ```
 */
export const EPOLLNVAL = 0x00000020;
/**
 * epoll_event.events: normal data readable (as EPOLLIN).
 *
 * @example
 * ```ts
 * import { EPOLLRDNORM, EPOLL_EVENT_SIZE, epollEventEvents, writeEpollEvent } from '@evring/abi';
 * const events = new DataView(new ArrayBuffer(EPOLL_EVENT_SIZE));
 * writeEpollEvent(events, 0, EPOLLRDNORM, 5, 0);
 * (epollEventEvents(events, 0) & EPOLLRDNORM) !== 0; // true
 * ```
 */
export const EPOLLRDNORM = 0x00000040;
/**
 * epoll_event.events: priority band data readable.
 *
 * @example
 * ```ts
 * import { EPOLLRDBAND, EPOLL_EVENT_SIZE, epollEventEvents, writeEpollEvent } from '@evring/abi';
 * const events = new DataView(new ArrayBuffer(EPOLL_EVENT_SIZE));
 * writeEpollEvent(events, 0, EPOLLRDBAND, 5, 0);
 * (epollEventEvents(events, 0) & EPOLLRDBAND) !== 0; // true
 * ```
 */
export const EPOLLRDBAND = 0x00000080;
/**
 * epoll_event.events: writable (as EPOLLOUT).
 *
 * @example
 * ```ts
 * import { EPOLLWRNORM, EPOLL_EVENT_SIZE, epollEventEvents, writeEpollEvent } from '@evring/abi';
 * const events = new DataView(new ArrayBuffer(EPOLL_EVENT_SIZE));
 * writeEpollEvent(events, 0, EPOLLWRNORM, 5, 0);
 * (epollEventEvents(events, 0) & EPOLLWRNORM) !== 0; // true
 * ```
 */
export const EPOLLWRNORM = 0x00000100;
/**
 * epoll_event.events: priority data writable.
 *
 * @example
 * ```ts
 * import { EPOLLWRBAND, EPOLL_EVENT_SIZE, epollEventEvents, writeEpollEvent } from '@evring/abi';
 * const events = new DataView(new ArrayBuffer(EPOLL_EVENT_SIZE));
 * writeEpollEvent(events, 0, EPOLLWRBAND, 5, 0);
 * (epollEventEvents(events, 0) & EPOLLWRBAND) !== 0; // true
 * ```
 */
export const EPOLLWRBAND = 0x00000200;
/**
 * epoll_event.events: unused by Linux.
 *
 * @example
 * ```ts
 * import { EPOLLMSG, EPOLL_EVENT_SIZE, epollEventEvents, writeEpollEvent } from '@evring/abi';
 * const events = new DataView(new ArrayBuffer(EPOLL_EVENT_SIZE));
 * writeEpollEvent(events, 0, EPOLLMSG, 5, 0);
 * (epollEventEvents(events, 0) & EPOLLMSG) !== 0; // true
 * ```
 */
export const EPOLLMSG = 0x00000400;
/**
 * epoll_event.events: the peer shut down its writing half; linux 2.6.17.
 *
 * @example
 * ```ts
 * import { EPOLLRDHUP, EPOLL_EVENT_SIZE, epollEventEvents, writeEpollEvent } from '@evring/abi';
 * const events = new DataView(new ArrayBuffer(EPOLL_EVENT_SIZE));
 * writeEpollEvent(events, 0, EPOLLRDHUP, 5, 0);
 * (epollEventEvents(events, 0) & EPOLLRDHUP) !== 0; // true
 * ```
 */
export const EPOLLRDHUP = 0x00002000;
/**
 * an io_uring wake-up loop guard; linux 6.2
 *
 * @example
 * ```ts
 * import { EPOLL_URING_WAKE, EPOLL_EVENT_SIZE, epollEventEvents, writeEpollEvent } from '@evring/abi';
 * const events = new DataView(new ArrayBuffer(EPOLL_EVENT_SIZE));
 * writeEpollEvent(events, 0, EPOLL_URING_WAKE, 5, 0);
 * (epollEventEvents(events, 0) & EPOLL_URING_WAKE) !== 0; // true
 * ```
 */
export const EPOLL_URING_WAKE = 1 << 27;
/**
 * epoll_ctl(2) input: wake one of the epoll instances sharing the fd; linux 4.5.
 *
 * @example
 * ```ts
 * import { EPOLLEXCLUSIVE, EPOLL_EVENT_SIZE, epollEventEvents, writeEpollEvent } from '@evring/abi';
 * const events = new DataView(new ArrayBuffer(EPOLL_EVENT_SIZE));
 * writeEpollEvent(events, 0, EPOLLEXCLUSIVE, 5, 0); // with EPOLL_CTL_ADD only
 * (epollEventEvents(events, 0) & EPOLLEXCLUSIVE) !== 0; // true
 * ```
 */
export const EPOLLEXCLUSIVE = 1 << 28;
/**
 * epoll_ctl(2) input: hold a wakeup source while the event is pending (CAP_BLOCK_SUSPEND).
 *
 * @example
 * ```ts
 * import { EPOLLWAKEUP, EPOLL_EVENT_SIZE, epollEventEvents, writeEpollEvent } from '@evring/abi';
 * const events = new DataView(new ArrayBuffer(EPOLL_EVENT_SIZE));
 * writeEpollEvent(events, 0, EPOLLWAKEUP, 5, 0);
 * (epollEventEvents(events, 0) & EPOLLWAKEUP) !== 0; // true
 * ```
 */
export const EPOLLWAKEUP = 1 << 29;
/**
 * epoll_ctl(2) input: disable the fd after one event; re-arm with EPOLL_CTL_MOD.
 *
 * @example
 * ```ts
 * import { EPOLLONESHOT, EPOLL_EVENT_SIZE, epollEventEvents, writeEpollEvent } from '@evring/abi';
 * const events = new DataView(new ArrayBuffer(EPOLL_EVENT_SIZE));
 * writeEpollEvent(events, 0, EPOLLONESHOT, 5, 0);
 * (epollEventEvents(events, 0) & EPOLLONESHOT) !== 0; // true
 * ```
 */
export const EPOLLONESHOT = 1 << 30;
/**
 * edge-triggered; bit 31, kept unsigned
 *
 * @example
 * ```ts
 * import { EPOLLET, EPOLL_EVENT_SIZE, epollEventEvents, writeEpollEvent } from '@evring/abi';
 * const events = new DataView(new ArrayBuffer(EPOLL_EVENT_SIZE));
 * writeEpollEvent(events, 0, EPOLLET, 5, 0); // the mask is written unsigned
 * (epollEventEvents(events, 0) & EPOLLET) !== 0; // true
 * ```
 */
export const EPOLLET = 0x80000000;

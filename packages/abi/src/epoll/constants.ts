/**
 * epoll constants (`linux/eventpoll.h`). EPOLLET is bit 31: as a JS number it
 * is the positive 0x80000000, so combine masks with `| 0 >>> 0` or keep them
 * unsigned when comparing.
 *
 * @module
 */
export const EPOLL_CTL_ADD = 1;
export const EPOLL_CTL_DEL = 2;
export const EPOLL_CTL_MOD = 3;

/** epoll_create1 flag: close on exec (== O_CLOEXEC) */
export const EPOLL_CLOEXEC = 0o2000000;

// epoll_event.events
export const EPOLLIN = 0x00000001;
export const EPOLLPRI = 0x00000002;
export const EPOLLOUT = 0x00000004;
export const EPOLLERR = 0x00000008;
export const EPOLLHUP = 0x00000010;
export const EPOLLNVAL = 0x00000020;
export const EPOLLRDNORM = 0x00000040;
export const EPOLLRDBAND = 0x00000080;
export const EPOLLWRNORM = 0x00000100;
export const EPOLLWRBAND = 0x00000200;
export const EPOLLMSG = 0x00000400;
export const EPOLLRDHUP = 0x00002000;
/** an io_uring wake-up loop guard; linux 6.2 */
export const EPOLL_URING_WAKE = 1 << 27;
export const EPOLLEXCLUSIVE = 1 << 28;
export const EPOLLWAKEUP = 1 << 29;
export const EPOLLONESHOT = 1 << 30;
/** edge-triggered; bit 31, kept unsigned */
export const EPOLLET = 0x80000000;

/**
 * epoll(7). `epollCtl` and `epollWait` are hot (they return `-errno`);
 * `epollCreate1` throws.
 *
 * @module
 */

import { native } from './load.js';

/**
 * epoll_create1(2); pass `EPOLL_CLOEXEC`. `hold` as `eventfd`'s: the new
 * fd is held for the calling environment until taken (`claimFd`, `ownFd`).
 *
 * @example
 * ```ts
 * import { epollCreate1, epollCtl, epollWait, pipe2, write, close } from '@evring/sys';
 * import { EPOLL_CLOEXEC, EPOLL_CTL_ADD, EPOLLIN, EPOLL_EVENT_SIZE, O_NONBLOCK } from '@evring/abi';
 * const ep = epollCreate1(EPOLL_CLOEXEC);
 * const [r, w] = pipe2(O_NONBLOCK);
 * epollCtl(ep, EPOLL_CTL_ADD, r, EPOLLIN, r, 0);
 * write(w, Buffer.from('x'));
 * const events = new Uint8Array(16 * EPOLL_EVENT_SIZE);
 * epollWait(ep, events, 16, 0); // 1
 * for (const fd of [r, w, ep]) close(fd);
 * ```
 */
export const epollCreate1: (flags: number, hold?: boolean) => number = native.epollCreate1;

/**
 * epoll_ctl(2) with the event's 64-bit `data` as two u32 halves (`dataLo`,
 * `dataHi`): no BigInt on the hot path. Returns 0 or `-errno`.
 *
 * @example
 * ```ts
 * import { close, epollCreate1, epollCtl, eventfd } from '@evring/sys';
 * import { EPOLLIN, EPOLL_CTL_ADD, EPOLL_CTL_DEL, errno } from '@evring/abi';
 * const ep = epollCreate1(0);
 * const fd = eventfd(0, 0);
 * epollCtl(ep, EPOLL_CTL_ADD, fd, EPOLLIN, fd, 7);    // 0; data = fd | 7 << 32
 * epollCtl(ep, EPOLL_CTL_ADD, fd, EPOLLIN, fd, 7) === -errno.EEXIST; // true
 * epollCtl(ep, EPOLL_CTL_DEL, fd, 0, 0, 0);
 * close(fd); close(ep);
 * ```
 */
export const epollCtl: (
  epfd: number,
  op: number,
  fd: number,
  events: number,
  dataLo: number,
  dataHi: number,
) => number = native.epollCtl;

/**
 * epoll_wait(2) into `out` (at least `maxevents * EPOLL_EVENT_SIZE` bytes).
 * `timeoutMs` < 0 waits forever; fractions round up. Returns the number of
 * events or `-errno` (`-EINTR` when a signal interrupted the wait).
 *
 * @example
 * ```ts
 * import { close, epollCreate1, epollCtl, epollWait, eventfd, eventfdWrite } from '@evring/sys';
 * import { EPOLLIN, EPOLL_CTL_ADD, EPOLL_EVENT_SIZE, epollEventDataLo } from '@evring/abi';
 * const ep = epollCreate1(0);
 * const fd = eventfd(0, 0);
 * epollCtl(ep, EPOLL_CTL_ADD, fd, EPOLLIN, fd, 0);
 * eventfdWrite(fd, 1);
 * const out = new Uint8Array(16 * EPOLL_EVENT_SIZE);
 * const n = epollWait(ep, out, 16, 100); // 1
 * epollEventDataLo(new DataView(out.buffer), 0) === fd; // true
 * close(fd); close(ep);
 * ```
 */
export const epollWait: (
  epfd: number,
  out: ArrayBufferView,
  maxevents: number,
  timeoutMs: number,
) => number = native.epollWait;

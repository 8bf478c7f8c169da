/**
 * epoll(7). `epollCtl` and `epollWait` are hot (they return `-errno`);
 * `epollCreate1` throws.
 *
 * @module
 */

import { native } from './load.js';

/**
 * epoll_create1(2); pass `EPOLL_CLOEXEC`.
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
export const epollCreate1: (flags: number) => number = native.epollCreate1;

/**
 * epoll_ctl(2) with the event's 64-bit `data` as two u32 halves (`dataLo`,
 * `dataHi`): no BigInt on the hot path. Returns 0 or `-errno`.
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
 */
export const epollWait: (
  epfd: number,
  out: ArrayBufferView,
  maxevents: number,
  timeoutMs: number,
) => number = native.epollWait;

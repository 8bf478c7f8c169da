/**
 * Watching an fd from Node's own event loop: a libuv poll handle on the
 * current environment's loop (so it works in worker_threads), calling back
 * through a callback scope so promises and nextTicks run after each call.
 * This is how an evring loop attaches to Node.
 *
 * libuv's rules apply: one watcher per fd per loop (a second gives EEXIST, as
 * does an fd Node itself watches), the fd is made non-blocking, and the fd
 * must stay open until the watcher is closed.
 *
 * @module
 */

import { native } from './load.js';

/**
 * Readable (POLLIN).
 *
 * @example
 * ```ts
 * import { FdPoll, UV_READABLE, eventfd, eventfdWrite, close } from '@evring/sys';
 * const fd = eventfd(0, 0);
 * const w = new FdPoll(fd, (status, events) => {
 *   if (events & UV_READABLE) { w.close(); close(fd); }
 * });
 * w.start(UV_READABLE);
 * eventfdWrite(fd, 1);
 * ```
 */
export const UV_READABLE = 1;
/**
 * Writable (POLLOUT).
 *
 * @example
 * ```ts
 * import { FdPoll, UV_WRITABLE, pipe2, close } from '@evring/sys';
 * const [r, wfd] = pipe2(0);
 * const w = new FdPoll(wfd, (status, events) => {
 *   if (events & UV_WRITABLE) { w.close(); close(r); close(wfd); } // an empty pipe is writable
 * });
 * w.start(UV_WRITABLE);
 * ```
 */
export const UV_WRITABLE = 2;
/**
 * The peer hung up (POLLRDHUP).
 *
 * @example
 * ```ts
 * import { FdPoll, UV_DISCONNECT, UV_READABLE, socketpair, close } from '@evring/sys';
 * import { AF_UNIX, SOCK_STREAM } from '@evring/abi';
 * const [a, b] = socketpair(AF_UNIX, SOCK_STREAM, 0);
 * const w = new FdPoll(a, (status, events) => {
 *   if (events & UV_DISCONNECT) { w.close(); close(a); } // the peer is gone
 * });
 * w.start(UV_READABLE | UV_DISCONNECT);
 * close(b);
 * ```
 */
export const UV_DISCONNECT = 4;
/**
 * Urgent data (POLLPRI).
 *
 * @example
 * ```ts
 * import { FdPoll, UV_PRIORITIZED } from '@evring/sys';
 * declare const tcpFd: number;
 * const w = new FdPoll(tcpFd, (status, events) => {
 *   if (events & UV_PRIORITIZED) console.log('urgent data (MSG_OOB)');
 * });
 * w.start(UV_PRIORITIZED);
 * ```
 */
export const UV_PRIORITIZED = 8;

/**
 * A watcher of one fd on Node's event loop.
 *
 * @example
 * ```ts
 * import { FdPoll, UV_READABLE, eventfd, eventfdRead, eventfdWrite, close } from '@evring/sys';
 * const fd = eventfd(0, 0);
 * const watcher: FdPoll = new FdPoll(fd, (status, events) => {
 *   eventfdRead(fd);
 *   watcher.close(); // or stop(), and start() again later
 *   close(fd);
 * });
 * watcher.start(UV_READABLE);
 * watcher.unref(); // this watcher alone does not keep the process alive
 * eventfdWrite(fd, 1);
 * ```
 */
export interface FdPoll {
  /** Starts (or changes) watching for `events` (UV_READABLE | UV_WRITABLE | ...). */
  start(events: number): void;
  /** Stops watching; the watcher can be started again. */
  stop(): void;
  /** Lets this watcher keep the process alive (the default). */
  ref(): void;
  /** Lets the process exit while this watcher is active. */
  unref(): void;
  /** Stops and releases the watcher. Idempotent. */
  close(): void;
  readonly fd: number;
  /** True between start() and stop()/close(). */
  readonly active: boolean;
  readonly closed: boolean;
  /** Whether the watcher keeps the loop alive. */
  readonly hasRef: boolean;
}

/**
 * Options of `new FdPoll()`.
 *
 * The watcher polls a private duplicate of `fd`, so the number can be
 * closed or reused without libuv noticing. By default the number is checked
 * against that duplicate at every `start()` and before every callback: once
 * it names another file, or nothing, the callback gets `-EBADF` once and the
 * watch ends. That check is a `kcmp(2)` per callback.
 *
 * @example
 * ```ts
 * import { FdPoll, type FdPollOptions, UV_READABLE, close, eventfd, eventfdWrite } from '@evring/sys';
 * // A wake-up fd: the callback never uses the number, so no check per wake-up.
 * const wake = eventfd(0, 0);
 * const options: FdPollOptions = { recheck: false };
 * const watcher = new FdPoll(wake, () => { watcher.close(); close(wake); }, options);
 * watcher.start(UV_READABLE);
 * eventfdWrite(wake, 1);
 * ```
 */
export interface FdPollOptions {
  /**
   * Whether the number is checked again before each callback (default
   * true). False checks it at `start()` only: for a watcher whose callback
   * never acts on the number (it only wakes something up), the duplicate
   * keeps watching the file it was given, and a callback costs one system
   * call fewer.
   */
  recheck?: boolean;
}

/**
 * The FdPoll constructor: `callback(status, events)`, `status` 0 or `-errno`.
 *
 * @example
 * ```ts
 * import { FdPoll, type FdPollConstructor } from '@evring/sys';
 * const Ctor: FdPollConstructor = FdPoll;
 * ```
 */
export interface FdPollConstructor {
  new (
    fd: number,
    callback: (status: number, events: number) => void,
    options?: FdPollOptions,
  ): FdPoll;
}

/**
 * @example
 * ```ts
 * import { FdPoll, UV_READABLE, pipe2, write, close } from '@evring/sys';
 * import { O_NONBLOCK } from '@evring/abi';
 * const [r, w] = pipe2(O_NONBLOCK);
 * const watcher = new FdPoll(r, (status, events) => {
 *   console.log('readable', status, events);
 *   watcher.close();
 *   close(r); close(w);
 * });
 * watcher.start(UV_READABLE);
 * write(w, Buffer.from('x'));
 * ```
 */
export const FdPoll: FdPollConstructor = native.FdPoll;

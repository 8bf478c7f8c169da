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

/** Readable (POLLIN). */
export const UV_READABLE = 1;
/** Writable (POLLOUT). */
export const UV_WRITABLE = 2;
/** The peer hung up (POLLRDHUP). */
export const UV_DISCONNECT = 4;
/** Urgent data (POLLPRI). */
export const UV_PRIORITIZED = 8;

/** A watcher of one fd on Node's event loop. */
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

/** The FdPoll constructor: `callback(status, events)`, `status` 0 or `-errno`. */
export interface FdPollConstructor {
  new (fd: number, callback: (status: number, events: number) => void): FdPoll;
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

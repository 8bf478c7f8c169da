/**
 * The async watcher (libev's ev_async): wakes the loop from anywhere — a
 * callback, a promise, another worker thread. A send sets a flag in shared
 * memory and, only when the flag was clear, writes the loop's wake eventfd,
 * so a burst of sends costs one syscall and is delivered as one event.
 *
 * A sender in another thread reads the eventfd number and then writes to it.
 * On destroy() the loop marks the number −1, then closes it only once no
 * sender is between the read and the write (a count in the same shared
 * memory), so a send racing destroy() never writes to a file that took the
 * number afterwards.
 *
 * @module
 */

import { eventfdWrite } from '@evring/sys';
import { invalidType } from '../errors.js';
import type { WatcherHost } from '../host.js';
import { Watcher, type WatcherCallback, type WatcherOptions } from './watcher.js';

/**
 * What another thread needs to send to an async watcher: post it to a
 * worker (it holds SharedArrayBuffers, which are shared, not copied) and
 * wrap it in an {@link AsyncSender} there.
 *
 * @example
 * ```ts
 * import { Worker } from 'node:worker_threads';
 * import { Loop } from '@evring/loop';
 * const loop = new Loop();
 * const w = loop.async(() => console.log('a worker sent')).start();
 * // The init is two SharedArrayBuffer views: it crosses postMessage / workerData.
 * new Worker('./worker.js', { workerData: w.sender });
 * ```
 */
export interface AsyncSenderInit {
  /** Element 0 is 1 while a send is undelivered. */
  readonly flag: Int32Array;
  /**
   * Element 0 is the loop's wake eventfd, −1 once the loop is destroyed;
   * element 1 counts the senders about to write to it.
   */
  readonly wake: Int32Array;
}

/** `wake`'s element counting the senders between reading the fd and writing to it. */
const SENDING = 1;

function send(init: AsyncSenderInit): boolean {
  if (Atomics.compareExchange(init.flag, 0, 0, 1) !== 0) return true; // already on its way
  const wake = init.wake;
  Atomics.add(wake, SENDING, 1); // the loop's destroy() waits for this before closing the fd
  const fd = Atomics.load(wake, 0);
  if (fd >= 0) eventfdWrite(fd, 1);
  Atomics.sub(wake, SENDING, 1);
  return fd >= 0;
}

/**
 * Wakes the loop; delivered as ASYNC. Made by `loop.async()`.
 *
 * @example
 * ```ts
 * import { Loop } from '@evring/loop';
 * const loop = new Loop();
 * const w = loop.async(() => console.log('woken')).start();
 * w.send(); // several sends before the loop runs are delivered once
 * ```
 */
export class AsyncWatcher extends Watcher {
  readonly kind = 'async';
  /** @internal */
  readonly _init: AsyncSenderInit;
  /** @internal */
  _index = -1;

  /** @internal */
  constructor(
    host: WatcherHost,
    callback: WatcherCallback<AsyncWatcher>,
    options?: WatcherOptions,
  ) {
    super(host, callback as WatcherCallback<never>, options);
    host.wake.open();
    this._init = { flag: new Int32Array(new SharedArrayBuffer(4)), wake: host.wake.shared };
  }

  /**
   * Asks for the callback to run in the loop's thread soon (libev's
   * ev_async_send). Sends before the callback runs are merged into one.
   * Returns false when the loop was destroyed.
   */
  send(): boolean {
    return send(this._init);
  }

  /** Whether a send is waiting to be delivered (libev's ev_async_pending). */
  get sent(): boolean {
    return Atomics.load(this._init.flag, 0) !== 0;
  }

  /**
   * What to post to another thread so it can send: `new AsyncSender(init)`
   * there.
   *
   * @example
   * ```ts
   * import { Worker } from 'node:worker_threads';
   * import { Loop } from '@evring/loop';
   * const loop = new Loop();
   * const file = new URL('./worker.js', import.meta.url);
   * const wakeUp = loop.async(() => console.log('woken')).start();
   * new Worker(file, { workerData: wakeUp.sender });
   * // in the worker: new AsyncSender(workerData).send();
   * ```
   */
  get sender(): AsyncSenderInit {
    return this._init;
  }

  /** @internal */
  _activate(): void {
    Atomics.store(this._init.flag, 0, 0); // as libev: a start forgets earlier sends
    this._host.wake.addAsync(this);
  }

  /** @internal */
  _deactivate(): void {
    this._host.wake.removeAsync(this);
  }
}

/**
 * Sends to an async watcher of a loop in another thread.
 *
 * @example
 * ```ts
 * // worker.js
 * import { workerData } from 'node:worker_threads';
 * import { AsyncSender } from '@evring/loop';
 * const sender = new AsyncSender(workerData);
 * sender.send(); // the owning loop's async watcher runs its callback
 * ```
 */
export class AsyncSender {
  readonly #init: AsyncSenderInit;

  constructor(init: AsyncSenderInit) {
    if (
      typeof init !== 'object' ||
      init === null ||
      !(init.flag instanceof Int32Array) ||
      !(init.wake instanceof Int32Array) ||
      !(init.flag.buffer instanceof SharedArrayBuffer) ||
      !(init.wake.buffer instanceof SharedArrayBuffer) ||
      init.flag.length < 1 ||
      init.wake.length < 2
    ) {
      throw invalidType('init', 'an AsyncWatcher.sender', init);
    }
    this.#init = init;
  }

  /** As {@link AsyncWatcher.send}: false when the loop was destroyed. */
  send(): boolean {
    return send(this.#init);
  }
}

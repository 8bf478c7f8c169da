/**
 * The loop's wake channel (libev's evpipe): one eventfd that signals and
 * async sends write to, watched by an internal, unreferenced io watcher at
 * the highest priority. When it fires, the signals that arrived and the async
 * watchers that were sent get their events. Signals reach the eventfd
 * through `@evring/sys`'s signal relay, which chains to libuv's handler; a
 * `process.on` listener is kept while a signal is watched so that handler
 * stays in place under the relay.
 *
 * @module
 */

import { isMainThread } from 'node:worker_threads';
import { EFD_CLOEXEC, EFD_NONBLOCK } from '@evring/abi';
import { ownedFd, realSys } from '@evring/backend';
import {
  close,
  eventfd,
  eventfdRead,
  signalRelayAdd,
  signalRelayRemove,
  signalRelayTake,
} from '@evring/sys';
import { ASYNC, READ, SIGNAL } from './events.js';
import { removeAt } from './lists.js';
import type { Loop } from './loop.js';
import type { AsyncWatcher } from './watchers/async.js';
import type { SignalWatcher } from './watchers/signal.js';
import type { Watcher } from './watchers/watcher.js';

/** Signals and async sends of one loop, through one eventfd. */
export class WakeChannel {
  /**
   * Shared with other threads' senders: element 0 is the eventfd, −1
   * before it exists and after close(); element 1 counts the senders
   * between reading the number and writing to it (see {@link close}).
   */
  readonly shared = new Int32Array(new SharedArrayBuffer(8));
  readonly #loop: Loop;
  readonly #feed: (w: Watcher, revents: number) => void;
  readonly #asyncs: AsyncWatcher[] = [];
  readonly #signals = new Map<number, SignalWatcher[]>();
  readonly #listener = (): void => {};
  #fd = -1;

  constructor(loop: Loop, feed: (w: Watcher, revents: number) => void) {
    this.#loop = loop;
    this.#feed = feed;
    Atomics.store(this.shared, 0, -1);
  }

  /** Every signal and async watcher registered here. */
  watchers(): Watcher[] {
    const all: Watcher[] = [...this.#asyncs];
    for (const list of this.#signals.values()) all.push(...list);
    return all;
  }

  /** Creates the eventfd and its watcher, the first time. */
  open(): void {
    if (this.#fd >= 0) return;
    // Owned: closed if a worker ends without destroying the loop.
    const fd = ownedFd(realSys, eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC, true));
    this.#fd = fd;
    Atomics.store(this.shared, 0, fd);
    this.#loop.io(fd, READ, () => this.#onWake(), { priority: 2, ref: false }).start();
  }

  addAsync(w: AsyncWatcher): void {
    this.open();
    w._index = this.#asyncs.length;
    this.#asyncs.push(w);
  }

  removeAsync(w: AsyncWatcher): void {
    removeAt(this.#asyncs, w);
  }

  addSignal(w: SignalWatcher): void {
    this.open();
    let list = this.#signals.get(w.signum);
    if (list === undefined) {
      const name = w.signame as NodeJS.Signals;
      // libuv's handler goes in first (a process.on listener installs it),
      // so the relay chains to it and a later listener cannot displace it.
      if (isMainThread) process.on(name, this.#listener);
      try {
        signalRelayAdd(w.signum, this.#fd);
      } catch (err) {
        if (isMainThread) process.off(name, this.#listener);
        throw err;
      }
      list = [];
      this.#signals.set(w.signum, list);
    }
    w._index = list.length;
    list.push(w);
  }

  removeSignal(w: SignalWatcher): void {
    const list = this.#signals.get(w.signum)!;
    removeAt(list, w);
    if (list.length > 0) return;
    this.#signals.delete(w.signum);
    if (this.#fd >= 0) signalRelayRemove(w.signum, this.#fd);
    if (isMainThread) process.off(w.signame as NodeJS.Signals, this.#listener);
  }

  /**
   * Closes the eventfd (its signal relays go with it); senders see −1. A
   * sender in another thread that read the number before the −1 may still
   * be about to write to it: the number is closed only once no sender is
   * between the two (sequentially consistent atomics: a sender either
   * sees −1 or is counted here), so a send never writes to a file that
   * took the number afterwards. The wait is bounded (1 s): a sender's
   * thread terminated inside never leaves, and writes nothing more.
   */
  close(): void {
    const shared = this.shared;
    Atomics.store(shared, 0, -1);
    if (this.#fd < 0) return;
    const deadline = performance.now() + 1000;
    for (let inside = Atomics.load(shared, 1); inside !== 0; inside = Atomics.load(shared, 1)) {
      const left = deadline - performance.now();
      if (left <= 0) break;
      Atomics.wait(shared, 1, inside, Math.min(left, 5));
    }
    close(this.#fd);
    this.#fd = -1;
  }

  #onWake(): void {
    const fd = this.#fd;
    if (fd < 0) return;
    eventfdRead(fd);
    if (this.#signals.size > 0) {
      for (const signum of signalRelayTake(fd)) {
        const list = this.#signals.get(signum);
        if (list !== undefined) for (let i = 0; i < list.length; i++) this.#feed(list[i]!, SIGNAL);
      }
    }
    const asyncs = this.#asyncs;
    for (let i = 0; i < asyncs.length; i++) {
      const w = asyncs[i]!;
      if (Atomics.exchange(w._init.flag, 0, 0) !== 0) this.#feed(w, ASYNC);
    }
  }
}

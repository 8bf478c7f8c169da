/**
 * The io watchers of a loop, by fd: the watchers of each fd, the union of
 * their interest handed to the `Poller`, and the dispatch of what the
 * backend reports to the watchers that asked for it (libev's anfds and
 * fd_event / fd_kill, above the Poller's own fd table).
 *
 * @module
 */

import { KILLED, type Poller } from '@evring/backend';
import { EDGE } from './events.js';
import type { PendingQueues } from './pending.js';
import type { IoWatcher } from './watchers/io.js';

/** The io watchers of one loop. */
export class IoTable {
  readonly #pending: PendingQueues;
  #poller: Poller | null = null;
  readonly #lists: (IoWatcher[] | undefined)[] = [];
  /**
   * The fd's watcher when it has exactly one, else null: the common case
   * reaches its watcher without the list (two fewer objects touched per
   * event, which counts once the kernel's pipe buffers have pushed the
   * loop's objects out of the cache). Kept dense, grown with nulls.
   */
  readonly #single: (IoWatcher | null)[] = [];

  constructor(pending: PendingQueues) {
    this.#pending = pending;
  }

  /** The poller the interest goes to (made after the table: its handler is {@link dispatch}). */
  bind(poller: Poller): void {
    this.#poller = poller;
  }

  /** The Poller's event handler: queues what each watcher on `fd` asked for; a kill stops them all. */
  /** Readiness events the backend has reported so far (an attached tick spins while they keep coming). */
  events = 0;

  readonly dispatch = (fd: number, revents: number): void => {
    this.events++;
    const pending = this.#pending;
    if (revents !== KILLED) {
      const single = this.#single[fd];
      if (single) {
        const ev = single._events & revents;
        if (ev !== 0) pending.feed(single, ev);
        return;
      }
    }
    const list = this.#lists[fd];
    if (list === undefined) return;
    if (revents === KILLED) {
      // libev's fd_kill: every watcher on the fd stops and gets ERROR | READ | WRITE.
      while (list.length > 0) {
        const w = list[list.length - 1]!;
        w._killed = true;
        w.stop();
        w._killed = false;
        pending.feed(w, KILLED);
      }
      return;
    }
    // Newest first, as libev's fd_event walks the fd's list (each start
    // goes to its head): delivery, last fed first, then runs them in the
    // order they were started.
    for (let i = list.length - 1; i >= 0; i--) {
      const w = list[i]!;
      const ev = w._events & revents;
      if (ev !== 0) pending.feed(w, ev);
    }
  };

  start(w: IoWatcher): void {
    const fd = w._fd;
    let list = this.#lists[fd];
    if (list === undefined) {
      list = [];
      this.#lists[fd] = list;
    }
    w._slot = list.length;
    list.push(w);
    this.#updateSingle(fd, list);
    this.interest(fd);
    if (w._fdset) {
      w._fdset = false;
      this.#poller!.touch(fd); // possibly a new file under an old number: register afresh
    }
  }

  stop(w: IoWatcher): void {
    const list = this.#lists[w._fd]!;
    // In place, keeping the others in the order they were started (libev's
    // wlist_del): that order is the order their callbacks run in.
    for (let i = w._slot + 1; i < list.length; i++) {
      const next = list[i]!;
      list[i - 1] = next;
      next._slot = i - 1;
    }
    list.pop();
    w._slot = -1;
    this.#updateSingle(w._fd, list);
    this.interest(w._fd);
  }

  /** Tells the poller the union of the fd's watchers' events (EDGE only if all ask for it). */
  interest(fd: number): void {
    const list = this.#lists[fd];
    let mask = 0;
    if (list !== undefined && list.length > 0) {
      let edge = EDGE;
      for (let i = 0; i < list.length; i++) {
        const e = list[i]!._events;
        mask |= e & ~EDGE;
        edge &= e;
      }
      if (mask !== 0) mask |= edge;
    }
    this.#poller!.set(fd, mask);
  }

  /** Every active io watcher. */
  toArray(): IoWatcher[] {
    const all: IoWatcher[] = [];
    for (const list of this.#lists) if (list) all.push(...list);
    return all;
  }

  #updateSingle(fd: number, list: IoWatcher[]): void {
    const single = this.#single;
    while (single.length <= fd) single.push(null);
    single[fd] = list.length === 1 ? list[0]! : null;
  }
}

/**
 * The plain watcher lists of a loop: prepare, check, and idle (one list per
 * priority). Order inside a list does not matter to libev's semantics, so a
 * watcher leaves by swapping the last one into its slot.
 *
 * @module
 */

import { type Deliverable, NUMPRI, type PendingQueues } from './pending.js';

/** A watcher that knows its slot in the list holding it. */
export interface Indexed {
  /** @internal Index in its list, −1 when in none. */
  _index: number;
}

/** Removes `w` from `list` by swapping in the last element (order is not kept). */
export function removeAt<W extends Indexed>(list: W[], w: W): void {
  const last = list.pop()!;
  if (last !== w) {
    list[w._index] = last;
    last._index = w._index;
  }
  w._index = -1;
}

/** A watcher a list can hold and feed. */
type Listed = Indexed & Deliverable;

/** The active watchers of one kind. */
export class WatcherList<W extends Listed> {
  readonly #items: W[] = [];

  get length(): number {
    return this.#items.length;
  }

  add(w: W): void {
    w._index = this.#items.length;
    this.#items.push(w);
  }

  remove(w: W): void {
    removeAt(this.#items, w);
  }

  /** Queues `revents` for every watcher in the list. */
  feedAll(pending: PendingQueues, revents: number): void {
    const items = this.#items;
    for (let i = items.length - 1; i >= 0; i--) pending.feed(items[i]!, revents);
  }

  /** A copy of the list. */
  toArray(): W[] {
    return [...this.#items];
  }
}

/** The active idle watchers, one list per priority. */
export class IdleLists<W extends Listed> {
  readonly #lists: WatcherList<W>[] = [];
  #count = 0;

  constructor() {
    for (let q = 0; q < NUMPRI; q++) this.#lists.push(new WatcherList());
  }

  /** How many idle watchers are active: while any is, the loop does not block. */
  get count(): number {
    return this.#count;
  }

  add(w: W): void {
    this.#lists[w._queue]!.add(w);
    this.#count++;
  }

  remove(w: W): void {
    this.#lists[w._queue]!.remove(w);
    this.#count--;
  }

  /**
   * Queues IDLE for the idle watchers of the highest priority that has
   * some, unless an event of that priority or higher is already pending
   * (libev's idle_reify).
   */
  feedIfIdle(pending: PendingQueues, revents: number): void {
    if (this.#count === 0) return;
    for (let q = NUMPRI - 1; q >= 0; q--) {
      if (pending.countAt(q) > 0) return;
      const list = this.#lists[q]!;
      if (list.length > 0) {
        list.feedAll(pending, revents);
        return;
      }
    }
  }

  toArray(): W[] {
    return this.#lists.flatMap((l) => l.toArray());
  }
}

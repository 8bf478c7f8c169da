/**
 * The events waiting to be delivered, one queue per priority (libev's
 * pendings): feeding a watcher that is already pending merges the events;
 * clearing one leaves a no-op in its slot; delivery goes from the highest
 * priority down, the last queued first within a priority, and starts again
 * from the top whenever a callback feeds something. Nothing is allocated per
 * event: the queues only grow.
 *
 * @module
 */

/** Five priorities, −2 … 2, stored at index priority + 2. */
export const NUMPRI = 5;

/** What a pending queue holds: a watcher and how to deliver to it. */
export interface Deliverable {
  /** @internal 1 + the slot in the pending queue, 0 when not pending. */
  _pending: number;
  /** @internal The queue (priority + 2) the slot is in. */
  _pendingQueue: number;
  /** @internal The queue the next event goes to. */
  _queue: number;
  /** @internal Delivers an event. */
  _invoke(revents: number): void;
}

/** The per-priority pending queues of one loop. */
export class PendingQueues {
  readonly #w: Deliverable[][] = [[], [], [], [], []];
  readonly #e: number[][] = [[], [], [], [], []];
  readonly #count = [0, 0, 0, 0, 0];
  #pri = 0;
  readonly #cleared: Deliverable;
  // Watchers fed in reverse, so LIFO delivery keeps the order they were collected in.
  readonly #reverse: Deliverable[] = [];
  #reverseCount = 0;

  /** `cleared` stands in for a watcher whose event was cleared. */
  constructor(cleared: Deliverable) {
    this.#cleared = cleared;
  }

  /** Events waiting, cleared slots included (libev's ev_pending_count). */
  get count(): number {
    const c = this.#count;
    return c[0]! + c[1]! + c[2]! + c[3]! + c[4]!;
  }

  /** Events waiting at one priority queue (priority + 2). */
  countAt(queue: number): number {
    return this.#count[queue]!;
  }

  /** Queues `revents` for `w` at its priority, or merges them into its pending event (libev's ev_feed_event). */
  feed(w: Deliverable, revents: number): void {
    if (w._pending !== 0) {
      const e = this.#e[w._pendingQueue]!;
      e[w._pending - 1] = (e[w._pending - 1]! | revents) >>> 0;
    } else {
      const q = w._queue;
      const i = this.#count[q]!++;
      this.#w[q]![i] = w;
      this.#e[q]![i] = revents;
      w._pending = i + 1;
      w._pendingQueue = q;
    }
    this.#pri = NUMPRI; // delivery starts again from the top
  }

  /** Collects `w` to be fed by {@link feedCollected} (for timers, in expiry order). */
  collect(w: Deliverable): void {
    this.#reverse[this.#reverseCount++] = w;
  }

  /** Feeds what was collected, last first, so delivery (LIFO) comes out in collection order. */
  feedCollected(revents: number): void {
    const list = this.#reverse;
    while (this.#reverseCount > 0) {
      const i = --this.#reverseCount;
      const w = list[i]!;
      list[i] = this.#cleared;
      this.feed(w, revents);
    }
  }

  /** Drops `w`'s pending event; returns its events, or 0. */
  clear(w: Deliverable): number {
    if (w._pending === 0) return 0;
    const q = w._pendingQueue;
    const i = w._pending - 1;
    const ev = this.#e[q]![i]!;
    this.#w[q]![i] = this.#cleared;
    this.#e[q]![i] = 0;
    w._pending = 0;
    return ev;
  }

  /** Delivers every pending event, highest priority first; events fed meanwhile join in. */
  invoke(): void {
    const ws = this.#w;
    const es = this.#e;
    const cnt = this.#count;
    this.#pri = NUMPRI;
    do {
      const q = --this.#pri;
      while (cnt[q]! > 0) {
        const i = --cnt[q]!;
        const w = ws[q]![i]!;
        const ev = es[q]![i]!;
        ws[q]![i] = this.#cleared;
        w._pending = 0;
        w._invoke(ev);
        if (this.#pri > q) break; // something was fed: start again from the top
      }
    } while (this.#pri > 0);
  }

  /** Forgets everything pending (the loop is being destroyed). */
  reset(): void {
    for (let q = 0; q < NUMPRI; q++) {
      for (let i = 0; i < this.#count[q]!; i++) this.#w[q]![i]!._pending = 0;
      this.#w[q]!.length = 0;
      this.#e[q]!.length = 0;
      this.#count[q] = 0;
    }
  }
}

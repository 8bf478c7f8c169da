/**
 * The per-fd state an owner and its backend share (libev's ANFD): the mask
 * the backend was last told, a generation counter tagged onto every kernel
 * registration, and the pending-reify flags with the queue of changed fds.
 * Typed arrays indexed by fd, grown on demand: no allocation per event.
 *
 * @module
 */

import { growToCover } from './helpers.js';

/**
 * The fd is queued for reification (its interest changed this iteration).
 *
 * @example
 * ```ts
 * import { FdTable, REIFY_PENDING } from '@evring/backend';
 * const fds = new FdTable();
 * fds.change(5);
 * (fds.reify[5]! & REIFY_PENDING) !== 0; // true until the change is drained
 * ```
 */
export const REIFY_PENDING = 0x01;
/**
 * The fd may be a new file under an old number (libev's EV__IOFDSET): the
 * backend must re-register it even if the mask did not change.
 *
 * @example
 * ```ts
 * import { FdTable, REIFY_FDSET } from '@evring/backend';
 * const fds = new FdTable();
 * fds.change(5, REIFY_FDSET); // fd 5 was closed and reopened: register it again
 * fds.drainChanges((fd, flags) => console.log(fd, (flags & REIFY_FDSET) !== 0)); // logs: 5 true
 * ```
 */
export const REIFY_FDSET = 0x02;

const MAX_FD = 0x7fffffff;

/**
 * Per-fd bookkeeping shared by an owner and its backend.
 *
 * @example
 * ```ts
 * import { FdTable } from '@evring/backend';
 * const fds = new FdTable();
 * fds.change(3); fds.change(7); fds.change(3); // fd 3 is queued once
 * fds.changeCount; // 2
 * fds.drainChanges((fd) => console.log('reify', fd));
 * ```
 */
export class FdTable {
  /** The mask the backend was last told for each fd (libev's anfd.events). */
  events: Uint32Array;
  /** Generation counter per fd; backends tag kernel registrations with it and drop mismatches. */
  egen: Uint32Array;
  /** REIFY_* flags per fd. */
  reify: Uint8Array;
  #changes: Int32Array;
  #changeCount = 0;

  constructor(initialCapacity = 64) {
    const n = Math.max(8, initialCapacity);
    this.events = new Uint32Array(n);
    this.egen = new Uint32Array(n);
    this.reify = new Uint8Array(n);
    this.#changes = new Int32Array(64);
  }

  /** How many fds the arrays cover. */
  get capacity(): number {
    return this.events.length;
  }

  /** How many fds are queued for reification. */
  get changeCount(): number {
    return this.#changeCount;
  }

  /** Makes the arrays cover `fd`. */
  ensure(fd: number): void {
    if (fd < this.events.length) return;
    if (fd > MAX_FD) throw new RangeError(`fd ${fd} is out of range`);
    this.events = growToCover(this.events, fd);
    this.egen = growToCover(this.egen, fd);
    this.reify = growToCover(this.reify, fd);
  }

  /** Queues `fd` for reification once per iteration (libev's fd_change), adding `flags`. */
  change(fd: number, flags: number = REIFY_PENDING): void {
    this.ensure(fd);
    const before = this.reify[fd]!;
    this.reify[fd] = before | flags | REIFY_PENDING;
    if (before & REIFY_PENDING) return;
    if (this.#changeCount === this.#changes.length) {
      this.#changes = growToCover(this.#changes, this.#changeCount);
    }
    this.#changes[this.#changeCount++] = fd;
  }

  /**
   * Runs `apply` over the queued fds in queue order, clearing each fd's flags
   * just before. Changes queued while applying (one-shot re-arms) wait for
   * the next call, as libev snapshots its change count.
   */
  drainChanges(apply: (fd: number, flags: number) => void): void {
    const count = this.#changeCount;
    if (count === 0) return;
    const queue = this.#changes;
    // Changes queued while applying go to the other buffer.
    this.#changes = this.#spare.length >= queue.length ? this.#spare : new Int32Array(queue.length);
    this.#spare = queue;
    this.#changeCount = 0;
    for (let i = 0; i < count; i++) {
      const fd = queue[i]!;
      const flags = this.reify[fd]!;
      this.reify[fd] = 0;
      apply(fd, flags);
    }
  }

  #spare: Int32Array = new Int32Array(64);
}

/**
 * Attaching a loop to Node's event loop: the backend's pollable fd is watched
 * from Node's loop (an `FdPoll`, libuv's uv_poll), a Node timer is armed for
 * the nearest evring timer, and a `setImmediate` keeps idle watchers and
 * always-ready fds turning. Each wake-up runs one non-blocking iteration.
 * This is libev's ev_embed turned around: Node is the outer loop.
 *
 * The fd poll is ref'd exactly while the loop has active, referenced
 * watchers, so the process lives as long as they do; the timer is never
 * ref'd (it only schedules).
 *
 * @module
 */

import { FdPoll, monotonicMs, UV_READABLE } from '@evring/sys';

/** The longest a Node timer is armed for (libev's MAX_BLOCKTIME), in ms. */
const MAX_TIMER_MS = 59_743;

/** Node-side handles that drive an attached loop. */
export class NodeAttachment {
  #poll: InstanceType<typeof FdPoll>;
  /** The fd #poll watches. */
  #fd: number;
  readonly #tick: () => void;
  readonly #onError: (status: number) => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** monotonicMs() the timer fires at; +∞ when none is armed. */
  #timerDue = Number.POSITIVE_INFINITY;
  #immediate: ReturnType<typeof setImmediate> | undefined;
  #ref = true;
  #closed = false;

  /** `tick` runs one non-blocking iteration; `onError` gets a failed poll of the fd. */
  constructor(fd: number, tick: () => void, onError: (status: number) => void) {
    this.#tick = tick;
    this.#onError = onError;
    this.#fd = fd;
    this.#poll = this.#watch(fd);
    this.#poll.unref();
    this.#ref = false;
  }

  /** The fd Node watches. */
  get fd(): number {
    return this.#fd;
  }

  /**
   * Watches `fd` instead: the backend's pollable fd changed (it re-created
   * its kernel state, e.g. after a stale registration), and the old one is
   * closed. The handle polls sys's private duplicate of the old fd, so
   * closing it touches nothing that now has the old number.
   */
  rewatch(fd: number): void {
    if (this.#closed || fd === this.#fd) return;
    this.#poll.close();
    this.#fd = fd;
    this.#poll = this.#watch(fd);
    if (!this.#ref) this.#poll.unref();
  }

  #watch(fd: number): InstanceType<typeof FdPoll> {
    // A wake-up only: the tick never uses the number, and the poll keeps
    // watching the backend's file whatever becomes of it (a change of fd
    // comes through rewatch). So it is checked at start, not at every wake,
    // which saves a system call per wake-up.
    const poll = new FdPoll(
      fd,
      (status) => {
        if (status < 0) this.#onError(status);
        else this.#tick();
      },
      { recheck: false },
    );
    poll.start(UV_READABLE);
    return poll;
  }

  /** Keeps the process alive (true) or not. */
  setRef(ref: boolean): void {
    if (ref === this.#ref || this.#closed) return;
    this.#ref = ref;
    if (ref) this.#poll.ref();
    else this.#poll.unref();
  }

  /** Ticks again as soon as Node has looked at its own I/O. */
  soon(): void {
    if (this.#immediate !== undefined || this.#closed) return;
    this.#immediate = setImmediate(() => {
      this.#immediate = undefined;
      this.#tick();
    });
    if (!this.#ref) this.#immediate.unref();
  }

  /** Makes sure a tick happens within `ms` (fractions round up). */
  within(ms: number): void {
    if (this.#closed) return;
    const delay = Math.min(Math.max(Math.ceil(ms), 0), MAX_TIMER_MS);
    const due = monotonicMs() + delay;
    // An earlier timer already covers it; a later one is replaced. A timer
    // left armed past a deadline that moved away just gives one spare tick.
    if (this.#timer !== undefined && this.#timerDue <= due + 1) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timerDue = due;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#timerDue = Number.POSITIVE_INFINITY;
      this.#tick();
    }, delay);
    this.#timer.unref();
  }

  /** Releases every Node handle. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#poll.close();
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    if (this.#immediate !== undefined) clearImmediate(this.#immediate);
    this.#timer = undefined;
    this.#immediate = undefined;
  }
}

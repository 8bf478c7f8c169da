/**
 * The loop's time and what runs on it: the monotonic clock and the timers
 * ordered on it, the wall clock and the periodics ordered on that (libev's
 * time_update, timers_reify, periodics_reify). Both kinds sit in 4-ary
 * heaps; due watchers are queued in the order they expired.
 *
 * @module
 */

import { monotonicMs } from '@evring/sys';
import { Heap } from './heap.js';
import type { PendingQueues } from './pending.js';
import type { PeriodicWatcher } from './watchers/periodic.js';
import type { TimerWatcher } from './watchers/timer.js';

/** libev's MAX_BLOCKTIME: the longest single wait, in seconds. */
export const MAX_BLOCKTIME = 59.743;
/** A wall clock moving this far against the monotonic one is a jump: periodics are rescheduled. */
const MIN_TIMEJUMP = 1;
/** The wall clock is read at most this often (seconds); derived from the monotonic one between reads. */
const WALL_READ_INTERVAL = MIN_TIMEJUMP / 2;

/**
 * Where the loop reads time; for tests that need to move the clocks.
 *
 * @example
 * ```ts
 * import { Loop, type LoopClock } from '@evring/loop';
 * let t = 0;
 * const manual: LoopClock = { monotonic: () => t, wall: () => 1_700_000_000 + t };
 * const loop = new Loop({ attach: false, clock: manual }); // tests step `t` by hand
 * ```
 */
export interface LoopClock {
  /** Monotonic seconds (timers). */
  monotonic(): number;
  /** Wall-clock seconds since the epoch (periodics, `now()`). */
  wall(): number;
}

/**
 * The system's clocks: `CLOCK_MONOTONIC` through sys's allocation-free
 * reading (`performance.now()` allocates a number per call, and the loop
 * reads the clock on every iteration), and `Date.now()`, read twice a second.
 */
export const systemClock: LoopClock = {
  monotonic: () => monotonicMs() / 1000,
  wall: () => Date.now() / 1000,
};

/** The clocks, the timers and the periodics of one loop. */
export class Timers {
  /** Monotonic time (seconds) cached for the iteration. */
  mnNow = 0;
  /** Wall-clock time (seconds) cached for the iteration. */
  rtNow = 0;
  readonly #clock: LoopClock;
  readonly #pending: PendingQueues;
  /** Whether an iteration runs: then the cached time is the time (libev). */
  readonly #inIteration: () => boolean;
  #rtmnDiff = 0;
  /** Monotonic time of the last wall-clock read. */
  #wallReadAt = 0;
  readonly #timers = new Heap<TimerWatcher>();
  readonly #periodics = new Heap<PeriodicWatcher>();

  constructor(clock: LoopClock, pending: PendingQueues, inIteration: () => boolean) {
    this.#clock = clock;
    this.#pending = pending;
    this.#inIteration = inIteration;
    this.update(true);
  }

  // ------------------------------------------------------------------ time

  /** Reads the clocks (libev's time_update); a wall-clock jump reschedules the periodics. */
  update(initial = false): void {
    const mn = this.#clock.monotonic();
    this.mnNow = mn;
    if (!initial && mn - this.#wallReadAt < WALL_READ_INTERVAL && mn >= this.#wallReadAt) {
      // libev's rule: between reads the wall clock is the monotonic one plus
      // the offset last measured; it is read again every half second, which
      // is how soon a jump is seen. Each read costs as much as a syscall-free
      // iteration's whole bookkeeping.
      this.rtNow = mn + this.#rtmnDiff;
      return;
    }
    this.#wallReadAt = mn;
    this.rtNow = this.#clock.wall();
    const diff = this.rtNow - mn;
    if (!initial && Math.abs(diff - this.#rtmnDiff) >= MIN_TIMEJUMP && this.#periodics.length > 0) {
      this.#rescheduleAll();
    }
    this.#rtmnDiff = diff;
  }

  /** Uses the cached time inside an iteration (libev), the current time outside one. */
  #fresh(): void {
    if (!this.#inIteration()) this.update();
  }

  /**
   * Whole milliseconds until the nearest timer or periodic, rounded up (a
   * timer never fires early), at most MAX_BLOCKTIME, at least 0. Whole, as
   * epoll, Node's timers and an attached loop count them: a small integer
   * crosses calls as it is, where a fraction would be a new heap number
   * every iteration (so the fraction never leaves this function). Timers
   * may so fire up to 1 ms late, never early.
   */
  waitMs(): number {
    // `+`: a module constant reaches optimized code untyped, and merging it
    // with the computed fractions would box each of them on the heap.
    let wait = +MAX_BLOCKTIME;
    const t = this.#timers.top();
    if (t !== undefined && t._at - this.mnNow < wait) wait = t._at - this.mnNow;
    const p = this.#periodics.top();
    if (p !== undefined && p._at - this.rtNow < wait) wait = p._at - this.rtNow;
    return wait > 0 ? Math.ceil(wait * 1000) : 0;
  }

  /** {@link waitMs}, or +∞ when nothing is scheduled. */
  nextDueMs(): number {
    if (this.#timers.length === 0 && this.#periodics.length === 0) return Number.POSITIVE_INFINITY;
    return this.waitMs();
  }

  // ---------------------------------------------------------------- timers

  startTimer(w: TimerWatcher): void {
    this.#fresh();
    w._at = this.mnNow + w._left;
    this.#timers.push(w);
  }

  /** libev's ev_timer_stop: the time left is kept for a later start. */
  stopTimer(w: TimerWatcher): void {
    this.#fresh();
    w._left = w._at - this.mnNow;
    this.#timers.remove(w);
  }

  /** Moves an active timer's expiry to `seconds` from now (libev's ev_timer_again). */
  rearm(w: TimerWatcher, seconds: number): void {
    this.#fresh();
    w._at = this.mnNow + seconds;
    this.#timers.update(w);
  }

  /** Seconds until an active timer fires. */
  remaining(w: TimerWatcher): number {
    return w._at - (this.#inIteration() ? this.mnNow : this.#clock.monotonic());
  }

  // ------------------------------------------------------------- periodics

  startPeriodic(w: PeriodicWatcher): void {
    this.#fresh();
    w._at = w._next(this.rtNow);
    this.#periodics.push(w);
  }

  stopPeriodic(w: PeriodicWatcher): void {
    this.#periodics.remove(w);
  }

  /** After a wall-clock jump every periodic's next time is computed anew. */
  #rescheduleAll(): void {
    const heap = this.#periodics;
    for (let i = 0; i < heap.length; i++) {
      const w = heap.at(i);
      if (w._repeats) w._at = w._next(this.rtNow);
    }
    heap.rebuild();
  }

  // ------------------------------------------------------------- expiring

  /** Queues TIMER for every timer due, in expiry order; repeating ones move on, others stop. */
  expireTimers(revents: number): void {
    const heap = this.#timers;
    const pending = this.#pending;
    for (let w = heap.top(); w !== undefined && w._at < this.mnNow; w = heap.top()) {
      const repeat = w.repeat;
      if (repeat > 0) {
        w._at += repeat;
        if (w._at < this.mnNow) w._at = this.mnNow;
        heap.update(w);
      } else {
        w.stop();
        // Expired: a later start() waits `after` again. (libev would keep the
        // overdue remainder and fire at once: in JavaScript's idiom of
        // restarting a timer from its own callback, that would spin.)
        w._left = w._after;
      }
      pending.collect(w);
    }
    pending.feedCollected(revents);
  }

  /** Queues PERIODIC for every periodic due, in order; repeating ones move on, others stop. */
  expirePeriodics(revents: number): void {
    const heap = this.#periodics;
    const pending = this.#pending;
    for (let w = heap.top(); w !== undefined && w._at < this.rtNow; w = heap.top()) {
      if (w._repeats) {
        try {
          w._at = w._next(this.rtNow);
        } catch (err) {
          // A reschedule callback threw: stop it, deliver what expired, then surface the error.
          w.stop();
          pending.feedCollected(revents);
          throw err;
        }
        heap.update(w);
      } else {
        w.stop();
      }
      pending.collect(w);
    }
    pending.feedCollected(revents);
  }

  /** Every active timer and periodic. */
  toArray(): (TimerWatcher | PeriodicWatcher)[] {
    const all: (TimerWatcher | PeriodicWatcher)[] = [];
    for (let i = 0; i < this.#timers.length; i++) all.push(this.#timers.at(i));
    for (let i = 0; i < this.#periodics.length; i++) all.push(this.#periodics.at(i));
    return all;
  }
}

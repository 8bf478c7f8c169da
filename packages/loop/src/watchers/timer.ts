/**
 * The timer watcher: relative time on the monotonic clock, optionally
 * repeating; kept in the loop's 4-ary heap and fired in order of expiry.
 *
 * @module
 */

import { checkSeconds, loopDestroyed } from '../errors.js';
import type { WatcherHost } from '../host.js';
import { Watcher, type WatcherCallback, type WatcherOptions } from './watcher.js';

/**
 * Fires after `after` seconds, then every `repeat` seconds if repeat > 0. Made by `loop.timer()`.
 *
 * @example
 * ```ts
 * import { Loop } from '@evring/loop';
 * const loop = new Loop();
 * // An inactivity timeout: again() restarts it on every activity.
 * const idle = loop.timer(0, 30, () => console.log('30 s without input')).again();
 * loop.io(0, 1, () => idle.again()).start();
 * ```
 */
export class TimerWatcher extends Watcher {
  readonly kind = 'timer';
  /** @internal Due time, monotonic seconds (while active). */
  _at = 0;
  /** @internal */
  _heapIndex = -1;
  /** @internal */
  _after: number;
  /**
   * @internal Seconds from the next start() to the expiry: `after` at first
   * and after set(); what was left when an active timer was stopped (libev's
   * ev_timer_stop keeps it so; a later start resumes it).
   */
  _left: number;
  #repeat: number;

  /** @internal */
  constructor(
    host: WatcherHost,
    after: number,
    repeat: number,
    callback: WatcherCallback<TimerWatcher>,
    options?: WatcherOptions,
  ) {
    super(host, callback as WatcherCallback<never>, options);
    this._after = checkSeconds('after', after);
    this._left = this._after;
    this.#repeat = checkSeconds('repeat', repeat);
  }

  /** Seconds until the first expiry, from start(). */
  get after(): number {
    return this._after;
  }

  /** Seconds between expiries after the first; 0 = fire once. Takes effect at the next expiry or again(). */
  get repeat(): number {
    return this.#repeat;
  }

  set repeat(seconds: number) {
    this.#repeat = checkSeconds('repeat', seconds);
  }

  /** Changes `after` and `repeat` (libev's ev_timer_set); an active timer is restarted. */
  set(after: number, repeat: number): this {
    const a = checkSeconds('after', after);
    const r = checkSeconds('repeat', repeat);
    const active = this._active;
    if (active) this._deactivate();
    this._after = a;
    this._left = a;
    this.#repeat = r;
    if (active) {
      this._activate();
      this._host.changed(0);
    }
    return this;
  }

  /**
   * Restarts a repeating timer `repeat` seconds from now, or stops it when
   * repeat is 0 (libev's ev_timer_again: the cheap way to implement an
   * inactivity timeout).
   */
  again(): this {
    if (this.loop.destroyed) throw loopDestroyed('timer.again()');
    this._host.pending.clear(this);
    if (this._active) {
      if (this.#repeat > 0) {
        this._host.timers.rearm(this, this.#repeat);
        this._host.changed(0);
      } else {
        this.stop();
      }
    } else if (this.#repeat > 0) {
      this._left = this.#repeat;
      this.start();
    }
    return this;
  }

  /**
   * Seconds until the timer fires (negative when overdue). Inactive: the
   * seconds a start() would wait: `after`, or what was left when it was
   * stopped before expiring (libev's ev_timer_remaining).
   */
  remaining(): number {
    return this._active ? this._host.timers.remaining(this) : this._left;
  }

  /** @internal */
  _activate(): void {
    this._host.timers.startTimer(this);
  }

  /** @internal */
  _deactivate(): void {
    this._host.timers.stopTimer(this);
  }
}

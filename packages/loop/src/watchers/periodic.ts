/**
 * The periodic watcher: wall-clock time (libev's ev_periodic), in one of
 * three modes: an absolute time (`interval` 0), every `interval` seconds
 * aligned to `offset` (e.g. on each full hour), or whatever a reschedule
 * callback returns. It follows the wall clock when it jumps.
 *
 * @module
 */

import { checkFunction, checkSeconds, invalidType } from '../errors.js';
import type { WatcherHost } from '../host.js';
import { Watcher, type WatcherCallback, type WatcherOptions } from './watcher.js';

/**
 * Given the watcher and the current wall time, returns the next wall time (> now) to fire at.
 *
 * @example
 * ```ts
 * import { Loop, type RescheduleCallback } from '@evring/loop';
 * // Fire at the next full minute, whatever the wall clock does.
 * const nextMinute: RescheduleCallback = (w, now) => Math.floor(now / 60) * 60 + 60;
 * const loop = new Loop();
 * loop.periodic(0, 0, () => console.log(new Date()), nextMinute).start();
 * ```
 */
export type RescheduleCallback = (watcher: PeriodicWatcher, now: number) => number;

/**
 * Below this interval (1/8192 s) periodics are clamped, as in libev.
 *
 * @example
 * ```ts
 * import { Loop, MIN_INTERVAL } from '@evring/loop';
 * const loop = new Loop();
 * const p = loop.periodic(0, 1e-6, () => {}).start();
 * console.log(p.interval === MIN_INTERVAL); // clamped, as libev
 * ```
 */
export const MIN_INTERVAL = 1 / 8192;

/**
 * Fires on wall-clock times. Made by `loop.periodic()`.
 *
 * @example
 * ```ts
 * import { Loop } from '@evring/loop';
 * const loop = new Loop();
 * // Every hour on the hour (wall clock), following clock changes.
 * const hourly = loop.periodic(0, 3600, (w) => console.log('hour', new Date(w.at * 1000))).start();
 * ```
 */
export class PeriodicWatcher extends Watcher {
  readonly kind = 'periodic';
  /** @internal Due time, wall-clock seconds (while active). */
  _at = 0;
  /** @internal */
  _heapIndex = -1;
  #offset: number;
  #interval: number;
  #reschedule: RescheduleCallback | undefined;

  /** @internal */
  constructor(
    host: WatcherHost,
    offset: number,
    interval: number,
    callback: WatcherCallback<PeriodicWatcher>,
    reschedule: RescheduleCallback | undefined,
    options?: WatcherOptions,
  ) {
    super(host, callback as WatcherCallback<never>, options);
    if (typeof offset !== 'number' || !Number.isFinite(offset))
      throw invalidType('offset', 'a finite number', offset);
    this.#offset = offset;
    this.#interval = checkSeconds('interval', interval);
    this.#reschedule =
      reschedule === undefined ? undefined : checkFunction('reschedule', reschedule);
  }

  /** The absolute time (interval 0) or the alignment (interval > 0), in wall-clock seconds. */
  get offset(): number {
    return this.#offset;
  }

  /** Seconds between firings; 0 for an absolute time. */
  get interval(): number {
    return this.#interval;
  }

  /** The wall-clock time (seconds since the epoch) the periodic fires at next, while active. */
  get at(): number {
    return this._at;
  }

  /** Recomputes the next time from the current wall clock (libev's ev_periodic_again). */
  again(): this {
    if (this._active) {
      this._deactivate();
      this._activate();
      this._host.changed(0);
    } else {
      this.start();
    }
    return this;
  }

  /** @internal The first time after `now` this periodic fires at, or NaN for an absolute time already past. */
  _next(now: number): number {
    if (this.#reschedule) {
      const at = this.#reschedule(this, now);
      if (typeof at !== 'number' || !(at > now) || !Number.isFinite(at)) {
        throw invalidType('reschedule() result', `a finite time later than now (${now})`, at);
      }
      return at;
    }
    const interval = this.#interval;
    if (interval === 0) return this.#offset;
    const step = Math.max(interval, MIN_INTERVAL);
    let at = this.#offset + step * Math.floor((now - this.#offset) / step);
    // The floor errs low: step forward until strictly in the future.
    while (at <= now) {
      const next = at + step;
      if (next === at) return now; // precision exhausted
      at = next;
    }
    return at;
  }

  /** @internal Whether it fires again after firing (false: an absolute time). */
  get _repeats(): boolean {
    return this.#reschedule !== undefined || this.#interval > 0;
  }

  /** @internal */
  _activate(): void {
    this._host.timers.startPeriodic(this);
  }

  /** @internal */
  _deactivate(): void {
    this._host.timers.stopPeriodic(this);
  }
}

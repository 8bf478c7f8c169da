/**
 * What every watcher shares: the callback, active and pending state, a
 * priority, a reference that keeps the loop alive, an optional AbortSignal,
 * and `Symbol.dispose`. Each kind adds how it starts and stops.
 *
 * @module
 */

import { AbortGroups } from '../abort-groups.js';
import { checkFunction, checkInt, invalidType, loopDestroyed, watcherActive } from '../errors.js';
import { MAXPRI, MINPRI } from '../events.js';
import { isHost, type WatcherHost } from '../host.js';
import type { Loop } from '../loop.js';

/** Watchers started with a `signal` option, one listener per signal however many share it. */
const watcherAborts = new AbortGroups<Watcher>((w) => w.stop());

/**
 * Options every watcher factory accepts.
 *
 * @example
 * ```ts
 * import { Loop } from '@evring/loop';
 * const loop = new Loop();
 * const ac = new AbortController();
 * loop.timer(5, 5, () => {}, { priority: 1, ref: false, signal: ac.signal }).start();
 * ac.abort(); // stops the timer
 * ```
 */
export interface WatcherOptions {
  /** Stops the watcher when aborted; an aborted signal keeps it from starting. */
  signal?: AbortSignal;
  /** −2 (lowest) … 2 (highest); default 0. */
  priority?: number;
  /** Whether the watcher keeps the loop (and, attached, the process) alive; default true. */
  ref?: boolean;
}

/**
 * A watcher callback: the watcher and the events that occurred. (Declared as
 * a method so a callback of a watcher kind fits where any watcher's is
 * expected.)
 *
 * @example
 * ```ts
 * import { Loop, type TimerWatcher, type WatcherCallback } from '@evring/loop';
 * const onTick: WatcherCallback<TimerWatcher> = (w, revents) => console.log(w.repeat, revents);
 * new Loop().timer(1, 1, onTick).start();
 * ```
 */
export type WatcherCallback<W> = {
  bivarianceHack(watcher: W, revents: number): void;
}['bivarianceHack'];

/**
 * The base of every watcher kind. Made by the loop's factories, stopped until `start()`.
 *
 * @example
 * ```ts
 * import { Loop, type Watcher } from '@evring/loop';
 * const loop = new Loop();
 * const all: Watcher[] = [loop.timer(1, 0, () => {}), loop.idle(() => {})];
 * for (const w of all) w.start();
 * console.log(all.map((w) => `${w.kind} active=${w.isActive}`));
 * ```
 */
export abstract class Watcher {
  /** The loop the watcher belongs to. */
  readonly loop: Loop;
  /** Called with the watcher and the events that occurred. */
  callback: WatcherCallback<this>;
  /** Free for the user (libev's `w->data`). */
  data: unknown = undefined;

  /** @internal The loop as the watcher sees it. */
  readonly _host: WatcherHost;

  /** @internal 1 + the slot in the pending queue, 0 when not pending. */
  _pending = 0;
  /** @internal The pending queue (priority + 2) the slot is in. */
  _pendingQueue = 0;
  /** @internal */
  _active = false;
  /** @internal */
  _ref = true;
  /** @internal priority + 2, the pending queue the next event goes to. */
  _queue = 2;
  #signal: AbortSignal | undefined;

  /** @internal Watchers are made by the loop's factories (`loop.io()`, `loop.timer()`, …). */
  constructor(
    host: WatcherHost,
    callback: WatcherCallback<never>,
    options: WatcherOptions | undefined,
  ) {
    if (!isHost(host)) {
      throw invalidType(
        'loop',
        "a loop's host: make watchers with loop.io(), loop.timer(), …",
        host,
      );
    }
    this._host = host;
    this.loop = host.loop;
    this.callback = checkFunction<WatcherCallback<this>>('callback', callback);
    if (options !== undefined) {
      if (options.priority !== undefined)
        this._queue = checkInt('priority', options.priority, MINPRI, MAXPRI) + 2;
      if (options.ref !== undefined) this._ref = options.ref !== false;
      if (options.signal !== undefined) this.#watchSignal(options.signal);
    }
  }

  /** The kind of watcher, for messages: 'io', 'timer', ... */
  abstract readonly kind: string;

  /** Whether the watcher is started. */
  get isActive(): boolean {
    return this._active;
  }

  /** Whether an event for the watcher waits to be delivered. */
  get isPending(): boolean {
    return this._pending !== 0;
  }

  /**
   * −2 (lowest) … 2 (highest). Higher-priority events are delivered first in
   * an iteration. Changing it on an active watcher restarts the watcher; an
   * event already pending keeps the priority it was queued with.
   */
  get priority(): number {
    return this._queue - 2;
  }

  set priority(priority: number) {
    checkInt('priority', priority, MINPRI, MAXPRI);
    if (priority + 2 === this._queue) return;
    if (this._active) {
      this._deactivate();
      this._queue = priority + 2;
      this._activate();
      this._host.changed(0);
    } else {
      this._queue = priority + 2;
    }
  }

  /**
   * Starts the watcher; returns it. Throws ERR_EVRING_WATCHER_ACTIVE when it
   * is already active, ERR_EVRING_LOOP_DESTROYED when its loop is gone. A
   * watcher whose AbortSignal has fired stays stopped.
   */
  start(): this {
    if (this.loop.destroyed) throw loopDestroyed(`${this.kind}.start()`);
    if (this._active) throw watcherActive(this.kind);
    if (this.#signal?.aborted) return this;
    this._activate();
    this._active = true;
    this._host.changed(this._ref ? 1 : 0);
    return this;
  }

  /** Stops the watcher and drops any pending event; returns it. Idempotent. */
  stop(): this {
    this._host.pending.clear(this);
    if (this._active) {
      this._deactivate();
      this._active = false;
      this._host.changed(this._ref ? -1 : 0);
    }
    return this;
  }

  /** Lets the watcher keep the loop alive while active (the default). */
  ref(): this {
    if (!this._ref) {
      this._ref = true;
      if (this._active) this._host.changed(1);
    }
    return this;
  }

  /** Lets the loop (and an attached process) end while the watcher is active. */
  unref(): this {
    if (this._ref) {
      this._ref = false;
      if (this._active) this._host.changed(-1);
    }
    return this;
  }

  /** Whether the watcher keeps the loop alive while active. */
  hasRef(): boolean {
    return this._ref;
  }

  /** Calls the callback now with `revents` (libev's ev_invoke). */
  invoke(revents: number): void {
    this._invoke(revents);
  }

  /** Drops a pending event; returns its events, or 0 (libev's ev_clear_pending). */
  clearPending(): number {
    return this._host.pending.clear(this);
  }

  /** Stops the watcher (`using w = loop.timer(...)`). */
  [Symbol.dispose](): void {
    this.stop();
  }

  /** @internal Delivers an event. */
  _invoke(revents: number): void {
    this.callback(this, revents);
  }

  /** @internal Registers the watcher with its kind's bookkeeping (start() does the counting). */
  abstract _activate(): void;
  /** @internal Unregisters it (stop() does the counting). */
  abstract _deactivate(): void;

  #watchSignal(signal: AbortSignal): void {
    if (!(signal instanceof AbortSignal)) {
      throw invalidType('options.signal', 'an instance of AbortSignal', signal);
    }
    this.#signal = signal;
    if (signal.aborted) return;
    watcherAborts.add(signal, this);
  }

  /** @internal Detaches from the AbortSignal (the loop was destroyed). */
  _forgetSignal(): void {
    if (this.#signal) watcherAborts.remove(this.#signal, this);
  }
}

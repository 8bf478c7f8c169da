/**
 * The io watcher: level-triggered readiness of an fd (READ, WRITE, PRI), or
 * edge-triggered when it asks for EDGE. It can also be consumed with
 * `for await`, which pauses the watcher while an event waits for the
 * consumer (level triggering makes that lossless).
 *
 * @module
 */

import { checkInt, invalidValue } from '../errors.js';
import { EDGE, ERROR, PRI, READ, WRITE } from '../events.js';
import type { WatcherHost } from '../host.js';
import { Watcher, type WatcherCallback, type WatcherOptions } from './watcher.js';

const IO_MASK = READ | WRITE | PRI | EDGE;

/** Validates an fd number. */
export function checkFd(fd: unknown): number {
  return checkInt('fd', fd, 0, 0x7fffffff);
}

/** Validates an io event mask: READ | WRITE | PRI, optionally | EDGE (0 is allowed, as in libev 4.32). */
export function checkIoEvents(events: unknown): number {
  const e = checkInt('events', events, 0, 0x7fffffff);
  if ((e & ~IO_MASK) !== 0)
    throw invalidValue('events', 'must combine READ, WRITE, PRI and EDGE', events);
  return e;
}

/**
 * Watches an fd for readiness. Made by `loop.io(fd, events, cb)`.
 *
 * @example
 * ```ts
 * import { Loop, READ } from '@evring/loop';
 * const loop = new Loop();
 * const stdin = loop.io(0, READ).start();
 * for await (const revents of stdin) console.log('readable', revents); // or pass a callback to io()
 * ```
 */
export class IoWatcher extends Watcher {
  readonly kind = 'io';
  /** @internal */
  _fd: number;
  /** @internal */
  _events: number;
  /** @internal Set by set(): the fd may be a new file under an old number. */
  _fdset = true;
  /** @internal Index in the loop's list of watchers on this fd. */
  _slot = -1;
  /** @internal Being stopped by fd_kill: its ERROR is still to be delivered. */
  _killed = false;
  #iter: IoIterator | null = null;

  /** @internal */
  constructor(
    host: WatcherHost,
    fd: number,
    events: number,
    callback: WatcherCallback<IoWatcher>,
    options?: WatcherOptions,
  ) {
    super(host, callback as WatcherCallback<never>, options);
    this._fd = checkFd(fd);
    this._events = checkIoEvents(events);
  }

  /** The fd watched. */
  get fd(): number {
    return this._fd;
  }

  /** The events watched: READ | WRITE | PRI, maybe | EDGE. */
  get events(): number {
    return this._events;
  }

  /**
   * Changes fd and events (libev's ev_io_set). The fd is treated as possibly
   * a new file under the same number, so the backend registers it afresh. An
   * active watcher is restarted.
   */
  set(fd: number, events: number): this {
    const f = checkFd(fd);
    const e = checkIoEvents(events);
    const active = this._active;
    if (active) this._deactivate();
    this._fd = f;
    this._events = e;
    this._fdset = true;
    if (active) {
      this._activate();
      this._host.changed(0);
    }
    return this;
  }

  /** Changes only the events (libev's ev_io_modify); works on an active watcher. */
  modify(events: number): this {
    const e = checkIoEvents(events);
    if (e === this._events) return this;
    this._events = e;
    if (this._active) {
      this._host.io.interest(this._fd);
      this._host.changed(0);
    }
    return this;
  }

  /**
   * The watcher's events as an async iterator: each step yields the events
   * that occurred. The watcher starts if it is not active and pauses from
   * each event until the consumer asks for the next, so readiness is looked
   * at again only after the consumer has read or written (this costs an
   * interest change per event: use a callback on hot paths). `break` or
   * `stop()` ends the iteration; an ERROR (the kernel rejected the fd) is
   * yielded and then ends it.
   *
   * @example
   * ```ts
   * import { Loop, READ } from '@evring/loop';
   * import { read } from '@evring/sys';
   * const loop = new Loop();
   * const fd = 0;
   * const buf = Buffer.alloc(4096);
   * for await (const revents of loop.io(fd, READ)) {
   *   const n = read(fd, buf);
   *   if (n <= 0) break; // stops the watcher
   * }
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<number> {
    if (this.#iter) throw invalidValue('watcher', 'is already being iterated', this.kind);
    const iter = new IoIterator(this);
    this.#iter = iter;
    if (!this._active) this.start();
    return iter;
  }

  /** @internal */
  override _invoke(revents: number): void {
    this.callback(this, revents);
    if (this.#iter) this.#iter.push(revents);
  }

  /** @internal */
  _endIteration(): void {
    this.#iter = null;
  }

  /**
   * Whether the kernel reports this watcher's events edge-triggered: true
   * when it asked for EDGE and the loop's backend serves EDGE (epoll, and
   * io_uring with multishot poll). An EDGE watcher on Linux AIO, or on
   * io_uring without multishot, is served level-triggered: still correct
   * for a callback that reads or writes until EAGAIN, with more wake-ups.
   * Starting such a watcher emits a one-time `EVRING_EDGE_AS_LEVEL` warning.
   *
   * @example
   * ```ts
   * import { EDGE, Loop, READ } from '@evring/loop';
   * const loop = new Loop({ backend: 'linuxaio' });
   * const w = loop.io(0, READ | EDGE, () => {}).start();
   * console.log(w.edgeTriggered); // false: Linux AIO polls are level-triggered
   * w.stop();
   * ```
   */
  get edgeTriggered(): boolean {
    return (this._events & EDGE) !== 0 && this._host.loop.features.edge === true;
  }

  /** @internal */
  _activate(): void {
    this._host.io.start(this);
    if ((this._events & EDGE) !== 0 && !this.edgeTriggered)
      warnEdgeAsLevel(this._host.loop.backend);
  }

  /** @internal */
  _deactivate(): void {
    this._host.io.stop(this);
    if (this.#iter && !this.#iter.paused && !this._killed) this.#iter.finish();
  }
}

const DONE: IteratorResult<number> = { done: true, value: undefined };

const warnedEdgeAsLevel = new Set<string>();

/** Once per backend and process, as Node's own one-time warnings. */
function warnEdgeAsLevel(backend: string): void {
  if (warnedEdgeAsLevel.has(backend)) return;
  warnedEdgeAsLevel.add(backend);
  process.emitWarning(
    `an io watcher asked for EDGE, and the ${backend} backend serves it level-triggered ` +
      '(watcher.edgeTriggered is false); callbacks that read or write until EAGAIN stay correct',
    { code: 'EVRING_EDGE_AS_LEVEL' },
  );
}

/** The `for await` side of an io watcher. */
class IoIterator implements AsyncIterableIterator<number> {
  readonly #w: IoWatcher;
  #mask = 0;
  #waiting: ((r: IteratorResult<number>) => void) | null = null;
  #done = false;
  /** True while stopped because an event waits for the consumer. */
  paused = false;

  constructor(w: IoWatcher) {
    this.#w = w;
  }

  push(revents: number): void {
    if (this.#done) return;
    if ((revents & ERROR) !== 0) this.#done = true; // the loop stopped the watcher: nothing follows
    if (this.#waiting) {
      const resolve = this.#waiting;
      this.#waiting = null;
      resolve({ done: false, value: revents });
    } else {
      this.#mask = (this.#mask | revents) >>> 0;
    }
    // Readiness is looked at again only once the consumer asks for more, after
    // it has read or written: no stale event is queued meanwhile.
    if (!this.#done && this.#w.isActive) {
      this.paused = true;
      this.#w.stop();
    }
  }

  finish(): void {
    if (this.#done) return;
    this.#done = true;
    if (this.#waiting) {
      const resolve = this.#waiting;
      this.#waiting = null;
      resolve(DONE);
    }
    if (this.#mask === 0) this.#w._endIteration();
  }

  next(): Promise<IteratorResult<number>> {
    if (this.paused) {
      this.paused = false;
      if (!this.#done && !this.#w.loop.destroyed) this.#w.start();
    }
    if (this.#mask !== 0) {
      const value = this.#mask;
      this.#mask = 0;
      if (this.#done) this.#w._endIteration();
      return Promise.resolve({ done: false, value });
    }
    if (this.#done) {
      this.#w._endIteration();
      return Promise.resolve(DONE);
    }
    return new Promise((resolve) => {
      this.#waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<number>> {
    this.#done = true;
    this.#mask = 0;
    this.paused = false;
    this.#w.stop();
    this.#w._endIteration();
    return Promise.resolve(DONE);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<number> {
    return this;
  }
}

import { performance as perfHooks } from 'node:perf_hooks';
import { systemError } from '@evring/abi';
import { type BackendName, KILLED, type Poller } from '@evring/backend';
import { NodeAttachment } from './attach.js';
import {
  type BackendChoice,
  type BackendTuning,
  checkBackendChoice,
  pickBackend,
} from './backend-choice.js';
import { abortError, checkFunction, checkInt, invalidValue, loopDestroyed } from './errors.js';
import { CHECK, EDGE, IDLE, PERIODIC, PREPARE, READ, TIMER, WRITE } from './events.js';
import { Heap } from './heap.js';
import { NUMPRI, PendingQueues } from './pending.js';
import { removeAt, WakeChannel } from './wake.js';
import { AsyncWatcher } from './watchers/async.js';
import { checkFd, checkIoEvents, IoWatcher } from './watchers/io.js';
import { PeriodicWatcher, type RescheduleCallback } from './watchers/periodic.js';
import { SignalWatcher } from './watchers/signal.js';
import { CheckWatcher, IdleWatcher, PrepareWatcher } from './watchers/simple.js';
import { TimerWatcher } from './watchers/timer.js';
import { Watcher, type WatcherCallback, type WatcherOptions } from './watchers/watcher.js';

/**
 * How `run()` runs: until no referenced watcher is active, one blocking iteration, or one that never blocks.
 *
 * @example
 * ```ts
 * import { Loop, type RunMode } from '@evring/loop';
 * const loop = new Loop({ attach: false });
 * const mode: RunMode = 'nowait'; // poll without blocking, run what is ready, return
 * loop.run(mode);
 * ```
 */
export type RunMode = 'default' | 'once' | 'nowait';
/**
 * What `break()` ends: the innermost `run()`, or every nested one.
 *
 * @example
 * ```ts
 * import { type BreakHow, Loop } from '@evring/loop';
 * const loop = new Loop({ attach: false });
 * const how: BreakHow = 'all'; // end every nested run()
 * loop.timer(1, 0, () => loop.break(how)).start();
 * loop.run();
 * ```
 */
export type BreakHow = 'one' | 'all';

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
 * Options of `new Loop()`.
 *
 * @example
 * ```ts
 * import { Loop, type LoopOptions } from '@evring/loop';
 * const options: LoopOptions = { backend: 'iouring', fallback: true, attach: false, env: false };
 * const loop = new Loop(options);
 * console.log(loop.backend, loop.backendReason);
 * ```
 */
export interface LoopOptions extends BackendTuning {
  /** The backend: 'auto' (default), 'epoll', 'linuxaio' or 'iouring'. The EVRING_BACKEND environment variable overrides it. */
  backend?: BackendChoice;
  /** Attach to Node's event loop (default true); false gives a loop that only runs through `run()`. */
  attach?: boolean;
  /** Read EVRING_BACKEND (default true); false ignores it, as libev's EVFLAG_NOENV. */
  env?: boolean;
  /** When the backend asked for is refused by the kernel, use the next one (default true) rather than throw. */
  fallback?: boolean;
  /** Where time comes from (default: `performance.now()` and `Date.now()`). */
  clock?: LoopClock;
}

/**
 * Options of `loop.once()`, `loop.readable()`, `loop.writable()`.
 *
 * @example
 * ```ts
 * import { Loop } from '@evring/loop';
 * const loop = new Loop();
 * const ac = new AbortController();
 * setTimeout(() => ac.abort(), 1000);
 * await loop.readable(0, { signal: ac.signal }).catch((e) => console.log(e.name)); // AbortError after 1 s
 * ```
 */
export interface OnceOptions {
  /** Cancels the wait: the callback does not run; the promise rejects with an AbortError. */
  signal?: AbortSignal;
}

/**
 * A pending `loop.once()`.
 *
 * @example
 * ```ts
 * import { Loop, READ } from '@evring/loop';
 * const loop = new Loop();
 * const handle = loop.once(0, READ, 5, (revents) => console.log(revents));
 * handle.cancel(); // the callback will not run
 * ```
 */
export interface OnceHandle {
  /** Cancels it: the callback will not run. */
  cancel(): void;
}

/** libev's MAX_BLOCKTIME: the longest single wait, in seconds. */
const MAX_BLOCKTIME = 59.743;
/** A wall clock moving this far against the monotonic one is a jump: periodics are rescheduled. */
const MIN_TIMEJUMP = 1;
/** The wall clock is read at most this often (seconds); derived from the monotonic one between reads. */
const WALL_READ_INTERVAL = MIN_TIMEJUMP / 2;
const RUN_NOWAIT = 1;
const RUN_ONCE = 2;
const BREAK_CANCEL = 0;
const BREAK_ONE = 1;
const BREAK_ALL = 2;

/**
 * Loops not yet destroyed in this thread: released when the thread's Node
 * environment exits (a worker ending by itself, say), since the fds they
 * hold belong to the whole process.
 */
const liveLoops = new Set<Loop>();
let exitHookInstalled = false;
function trackLoop(loop: Loop): void {
  liveLoops.add(loop);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const l of liveLoops) l.destroy();
  });
}

/** A prepare or check watcher, as kept in the loop's lists. */
type Listed = Watcher & { _index: number };

// Node's global `performance` is a lazy accessor, run on every use: the module's own object is not.
const defaultClock: LoopClock = {
  monotonic: () => perfHooks.now() / 1000,
  wall: () => Date.now() / 1000,
};

/** Stands in for a watcher whose pending event was cleared. */
class Cleared extends Watcher {
  readonly kind = 'cleared';
  override _invoke(): void {}
  _activate(): void {}
  _deactivate(): void {}
}

/**
 * A libev-style event loop.
 *
 * An exception thrown by a callback of an attached iteration goes to the
 * `'error'` listeners (`loop.on('error', fn)`) when there are any; without
 * one it surfaces as an uncaught exception, as from any Node callback.
 *
 * @example
 * ```ts
 * import { Loop, READ } from '@evring/loop';
 * import { read } from '@evring/sys';
 * const loop = new Loop(); // attached to Node's loop
 * const buf = Buffer.alloc(4096);
 * loop.timer(0.5, 0.5, () => console.log('tick')).start();
 * loop.io(0, READ, (w) => { if (read(w.fd, buf) <= 0) w.stop(); }).start();
 * loop.timer(3, 0, () => loop.destroy()).start();
 * ```
 */
export class Loop {
  /** Why this backend was chosen (e.g. "epoll: auto's first choice"). */
  readonly backendReason: string;
  /** Whether the loop is attached to Node's event loop. */
  readonly attached: boolean;

  readonly #poller: Poller;
  readonly #backendName: BackendName;
  readonly #clock: LoopClock;
  #attachment: NodeAttachment | null = null;
  #destroyed = false;

  // Time (seconds): monotonic for timers, wall clock for periodics.
  #mnNow = 0;
  #rtNow = 0;
  #rtmnDiff = 0;
  /** Monotonic time of the last wall-clock read. */
  #wallReadAt = 0;

  // libev's activecnt: active referenced watchers plus ref() − unref().
  #activecnt = 0;
  #depth = 0;
  #iteration = 0;
  #loopDone = BREAK_CANCEL;
  /** Inside an attached tick: changes reach the kernel when it ends. */
  #ticking = false;
  #syncQueued = false;

  readonly #pending: PendingQueues;

  // Watchers by kind.
  readonly #fdWatchers: (IoWatcher[] | undefined)[] = [];
  /**
   * The fd's watcher when it has exactly one, else null: the common case
   * reaches its watcher without the list (two fewer objects touched per
   * event, which counts once the kernel's pipe buffers have pushed the
   * loop's objects out of the cache). Kept dense, grown with nulls.
   */
  readonly #fdSingle: (IoWatcher | null)[] = [];
  readonly #timers = new Heap<TimerWatcher>();
  readonly #periodics = new Heap<PeriodicWatcher>();
  readonly #idles: IdleWatcher[][] = [[], [], [], [], []];
  #idleAll = 0;
  readonly #prepares: Listed[] = [];
  readonly #checks: Listed[] = [];
  readonly #errorListeners: ((err: unknown) => void)[] = [];

  readonly #wake: WakeChannel;

  readonly #onFdEvent = (fd: number, revents: number): void => {
    if (revents !== KILLED) {
      const single = this.#fdSingle[fd];
      if (single) {
        const ev = single._events & revents;
        if (ev !== 0) this._feed(single, ev);
        return;
      }
    }
    const list = this.#fdWatchers[fd];
    if (list === undefined) return;
    if (revents === KILLED) {
      // libev's fd_kill: every watcher on the fd stops and gets ERROR | READ | WRITE.
      while (list.length > 0) {
        const w = list[list.length - 1]!;
        w._killed = true;
        w.stop();
        w._killed = false;
        this._feed(w, KILLED);
      }
      return;
    }
    for (let i = 0; i < list.length; i++) {
      const w = list[i]!;
      const ev = w._events & revents;
      if (ev !== 0) this._feed(w, ev);
    }
  };

  readonly #tickFn = (): void => this.#attachedTick();
  readonly #syncFn = (): void => {
    this.#syncQueued = false;
    if (!this.#destroyed && this.#depth === 0 && !this.#ticking) this.#syncAttached();
  };

  constructor(options: LoopOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw invalidValue('options', 'must be an object', options);
    }
    let choice = checkBackendChoice(options.backend ?? 'auto', 'options.backend');
    let source = 'options.backend';
    const fromEnv = options.env !== false ? process.env.EVRING_BACKEND : undefined;
    if (fromEnv !== undefined && fromEnv !== '') {
      choice = checkBackendChoice(fromEnv, 'EVRING_BACKEND');
      source = 'EVRING_BACKEND';
    }
    this.#clock = options.clock ?? defaultClock;
    this.#pending = new PendingQueues(new Cleared(this, () => {}, undefined));
    this.#wake = new WakeChannel(this, (w, revents) => this.#pending.feed(w, revents));
    const attach = options.attach !== false;
    const pick = pickBackend(
      choice,
      source,
      options.fallback !== false,
      options,
      this.#onFdEvent,
      attach, // attached, Node's loop sleeps on the backend's fd
    );
    this.#poller = pick.poller;
    this.#backendName = pick.name;
    this.backendReason = pick.reason;
    this.#timeUpdate(true);
    this.attached = attach;
    if (this.attached) {
      try {
        this.#attachment = new NodeAttachment(this.#poller.backend.fd, this.#tickFn, (status) =>
          this.#report(systemError(status, 'uv_poll', 'watching the backend fd from Node')),
        );
      } catch (err) {
        this.#poller.destroy();
        throw err;
      }
    }
    trackLoop(this);
  }

  // ---------------------------------------------------------------- state

  /** The backend in use, after any fallback. */
  get backend(): BackendName {
    return this.#backendName;
  }

  /** The backend's features in use (true) or absent/switched off (false). */
  get features(): Readonly<Record<string, boolean>> {
    return this.#poller.backend.features;
  }

  /** True after destroy(). */
  get destroyed(): boolean {
    return this.#destroyed;
  }

  /** How many times the loop polled (libev's ev_iteration). */
  get iteration(): number {
    return this.#iteration;
  }

  /** How many `run()` calls are in progress (libev's ev_depth). */
  get depth(): number {
    return this.#depth;
  }

  /** Events queued for delivery (libev's ev_pending_count). */
  get pendingCount(): number {
    return this.#pending.count;
  }

  /** Active referenced watchers, plus ref() and minus unref() calls: the loop lives while it is above 0. */
  get refCount(): number {
    return this.#activecnt;
  }

  /** The wall-clock time (seconds since the epoch) cached at the start of the iteration (libev's ev_now). */
  now(): number {
    return this.#rtNow;
  }

  /** Reads the clocks again (libev's ev_now_update). */
  updateNow(): void {
    this.#timeUpdate(false);
  }

  /**
   * Listens for exceptions thrown by callbacks of attached iterations (and
   * kernel failures met there). With a listener they no longer surface as
   * uncaught exceptions.
   */
  on(event: 'error', listener: (err: unknown) => void): this {
    if (event !== 'error') throw invalidValue('event', "must be 'error'", event);
    this.#errorListeners.push(checkFunction('listener', listener));
    return this;
  }

  /** Removes an `'error'` listener. */
  off(event: 'error', listener: (err: unknown) => void): this {
    if (event !== 'error') throw invalidValue('event', "must be 'error'", event);
    const i = this.#errorListeners.lastIndexOf(listener);
    if (i >= 0) this.#errorListeners.splice(i, 1);
    return this;
  }

  /** Keeps the loop alive as an active watcher would (libev's ev_ref). */
  ref(): void {
    this._refActive(1);
  }

  /** The reverse of ref(): e.g. after starting a watcher that should not keep the loop alive (libev's ev_unref). */
  unref(): void {
    this._refActive(-1);
  }

  // ------------------------------------------------------------- factories

  /**
   * An io watcher on `fd` for `events` (READ | WRITE | PRI, optionally |
   * EDGE: the callback then reads or writes until EAGAIN). Level-triggered
   * by default, as libev. The callback may be omitted when the watcher is
   * consumed with `for await`.
   */
  io(
    fd: number,
    events: number,
    callback?: WatcherCallback<IoWatcher>,
    options?: WatcherOptions,
  ): IoWatcher {
    this.#check('io()');
    return new IoWatcher(this, fd, events, callback ?? noop, options);
  }

  /** A timer: fires `after` seconds after start(), then every `repeat` seconds (0: once). */
  timer(
    after: number,
    repeat: number,
    callback: WatcherCallback<TimerWatcher>,
    options?: WatcherOptions,
  ): TimerWatcher {
    this.#check('timer()');
    return new TimerWatcher(this, after, repeat, callback, options);
  }

  /**
   * A periodic on wall-clock time: at `offset` (interval 0), or every
   * `interval` seconds aligned to `offset`, or when `reschedule(w, now)` says.
   */
  periodic(
    offset: number,
    interval: number,
    callback: WatcherCallback<PeriodicWatcher>,
    reschedule?: RescheduleCallback,
    options?: WatcherOptions,
  ): PeriodicWatcher {
    this.#check('periodic()');
    return new PeriodicWatcher(this, offset, interval, callback, reschedule, options);
  }

  /** A signal watcher: `signal` by number or name ('SIGINT'). */
  signal(
    signal: number | string,
    callback: WatcherCallback<SignalWatcher>,
    options?: WatcherOptions,
  ): SignalWatcher {
    this.#check('signal()');
    return new SignalWatcher(this, signal, callback, options);
  }

  /** An idle watcher: runs when nothing of equal or higher priority is pending; the loop does not block meanwhile. */
  idle(callback: WatcherCallback<IdleWatcher>, options?: WatcherOptions): IdleWatcher {
    this.#check('idle()');
    return new IdleWatcher(this, callback, options);
  }

  /** A prepare watcher: runs at the start of every iteration. */
  prepare(callback: WatcherCallback<PrepareWatcher>, options?: WatcherOptions): PrepareWatcher {
    this.#check('prepare()');
    return new PrepareWatcher(this, callback, options);
  }

  /** A check watcher: runs after every poll. */
  check(callback: WatcherCallback<CheckWatcher>, options?: WatcherOptions): CheckWatcher {
    this.#check('check()');
    return new CheckWatcher(this, callback, options);
  }

  /** An async watcher: `send()` (from any thread, see `sender`) makes its callback run in this loop. */
  async(callback: WatcherCallback<AsyncWatcher>, options?: WatcherOptions): AsyncWatcher {
    this.#check('async()');
    this.#wake.open();
    return new AsyncWatcher(this, this.#wake.shared, callback, options);
  }

  /**
   * Waits once for `fd` to be ready for `events` or for `timeout` seconds,
   * whichever comes first (libev's ev_once): `callback(revents)` gets READ
   * or WRITE, or TIMER. `fd` < 0 waits only for the timeout; `timeout` < 0
   * waits only for the fd.
   */
  once(
    fd: number,
    events: number,
    timeout: number,
    callback: (revents: number) => void,
    options: OnceOptions = {},
  ): OnceHandle {
    this.#check('once()');
    checkFunction('callback', callback);
    if (typeof timeout !== 'number' || Number.isNaN(timeout))
      throw invalidValue('timeout', 'must be a number', timeout);
    if (checkInt('fd', fd, -0x80000000, 0x7fffffff) >= 0) checkFd(fd);
    const ev = checkIoEvents(events);
    let io: IoWatcher | null = null;
    let timer: TimerWatcher | null = null;
    const done = (revents: number): void => {
      cancel();
      callback(revents);
    };
    const cancel = (): void => {
      io?.stop();
      timer?.stop();
      options.signal?.removeEventListener('abort', cancel);
    };
    if (options.signal?.aborted) return { cancel };
    if (fd >= 0)
      io = new IoWatcher(this, fd, ev, (_w, revents) => done(revents), undefined).start();
    if (timeout >= 0)
      timer = new TimerWatcher(this, timeout, 0, () => done(TIMER), undefined).start();
    options.signal?.addEventListener('abort', cancel, { once: true });
    return { cancel };
  }

  /** Resolves with the events once `fd` is readable (READ, or ERROR | READ | WRITE when the kernel rejects it). */
  readable(fd: number, options: OnceOptions = {}): Promise<number> {
    return this.#ready(fd, READ, options);
  }

  /** Resolves with the events once `fd` is writable. */
  writable(fd: number, options: OnceOptions = {}): Promise<number> {
    return this.#ready(fd, WRITE, options);
  }

  // ----------------------------------------------------------------- running

  /**
   * Runs the loop in this thread, blocking in the kernel between events
   * (libev's ev_run): until no referenced watcher is active or break() is
   * called ('default'), for one iteration that may block ('once'), or one
   * that does not ('nowait'). Returns whether referenced watchers are still
   * active. An exception from a callback propagates out, leaving the loop
   * consistent and the remaining events pending.
   */
  run(mode: RunMode = 'default'): boolean {
    this.#check('run()');
    let flags: number;
    if (mode === 'default') flags = 0;
    else if (mode === 'once') flags = RUN_ONCE;
    else if (mode === 'nowait') flags = RUN_NOWAIT;
    else throw invalidValue('mode', "must be 'default', 'once' or 'nowait'", mode);
    this.#depth++;
    this.#loopDone = BREAK_CANCEL;
    try {
      this.#pending.invoke();
      do {
        this.#iterate(flags);
      } while (
        this.#activecnt > 0 &&
        this.#loopDone === BREAK_CANCEL &&
        flags === 0 &&
        !this.#destroyed
      );
      if (this.#loopDone === BREAK_ONE) this.#loopDone = BREAK_CANCEL;
    } finally {
      this.#depth--;
      if (this.#depth === 0 && this.attached && !this.#destroyed) this.#queueSync();
    }
    return this.#activecnt > 0;
  }

  /** Ends the innermost run() ('one', default) or all nested ones ('all') after the current iteration. */
  break(how: BreakHow = 'one'): void {
    if (how === 'one') this.#loopDone = BREAK_ONE;
    else if (how === 'all') this.#loopDone = BREAK_ALL;
    else throw invalidValue('how', "must be 'one' or 'all'", how);
  }

  /** Queues `revents` for `watcher` as if its event had occurred (libev's ev_feed_event). */
  feedEvent(watcher: Watcher, revents: number): void {
    this.#check('feedEvent()');
    if (!(watcher instanceof Watcher) || watcher.loop !== this) {
      throw invalidValue('watcher', 'must be a watcher of this loop', watcher);
    }
    checkInt('revents', revents, 0, 0xffffffff);
    this._feed(watcher, revents >>> 0);
    if (this.attached) this.#queueSync();
  }

  /**
   * Stops every watcher and releases the backend, the Node handles and every
   * fd. Idempotent. Watchers of a destroyed loop cannot start again.
   */
  destroy(): void {
    if (this.#destroyed) return;
    const all: Watcher[] = [];
    for (const list of this.#fdWatchers) if (list) all.push(...list);
    for (let i = 0; i < this.#timers.length; i++) all.push(this.#timers.at(i));
    for (let i = 0; i < this.#periodics.length; i++) all.push(this.#periodics.at(i));
    for (const list of this.#idles) all.push(...list);
    all.push(...this.#prepares, ...this.#checks, ...this.#wake.watchers());
    for (const w of all) {
      w.stop();
      w._forgetSignal();
    }
    this.#pending.reset();
    this.#destroyed = true;
    this.#loopDone = BREAK_ALL;
    this.#attachment?.close();
    this.#attachment = null;
    this.#wake.close();
    this.#poller.destroy();
    liveLoops.delete(this);
  }

  /** destroy() (`using loop = new Loop()`). */
  [Symbol.dispose](): void {
    this.destroy();
  }

  // ----------------------------------------------------- the iteration

  #iterate(flags: number): void {
    if (this.#prepares.length > 0) {
      this.#queueAll(this.#prepares, PREPARE);
      this.#pending.invoke();
    }
    if (this.#loopDone !== BREAK_CANCEL || this.#destroyed) return;

    const delivered = this.#poller.delivered;
    this.#poller.reify(); // may kill an fd the kernel refuses: its watcher is then pending
    this.#timeUpdate(false);
    let waitMs = 0;
    if (
      (flags & RUN_NOWAIT) === 0 &&
      this.#idleAll === 0 &&
      this.#activecnt > 0 &&
      this.#poller.delivered === delivered
    ) {
      waitMs = this.#waitSeconds() * 1000;
    }
    this.#iteration++;
    this.#poller.backend.poll(waitMs); // changes were applied above, before the wait was computed
    this.#timeUpdate(false);

    this.#timersReify();
    this.#periodicsReify();
    this.#idleReify();
    if (this.#checks.length > 0) this.#queueAll(this.#checks, CHECK);
    this.#pending.invoke();
  }

  /** Seconds until the nearest timer or periodic, within libev's limits. */
  #waitSeconds(): number {
    let wait = MAX_BLOCKTIME;
    const t = this.#timers.top();
    if (t !== undefined && t._at - this.#mnNow < wait) wait = t._at - this.#mnNow;
    const p = this.#periodics.top();
    if (p !== undefined && p._at - this.#rtNow < wait) wait = p._at - this.#rtNow;
    return Math.max(wait, 0);
  }

  /** The nearest due time in seconds from now, or +∞. */
  #nextDue(): number {
    if (this.#timers.length === 0 && this.#periodics.length === 0) return Number.POSITIVE_INFINITY;
    return this.#waitSeconds();
  }

  #timeUpdate(initial: boolean): void {
    const mn = this.#clock.monotonic();
    this.#mnNow = mn;
    if (!initial && mn - this.#wallReadAt < WALL_READ_INTERVAL && mn >= this.#wallReadAt) {
      // libev's rule: between reads the wall clock is the monotonic one plus
      // the offset last measured; it is read again every half second, which
      // is how soon a jump is seen. Each read costs as much as a syscall-free
      // iteration's whole bookkeeping.
      this.#rtNow = mn + this.#rtmnDiff;
      return;
    }
    this.#wallReadAt = mn;
    this.#rtNow = this.#clock.wall();
    const diff = this.#rtNow - mn;
    if (!initial && Math.abs(diff - this.#rtmnDiff) >= MIN_TIMEJUMP && this.#periodics.length > 0) {
      this.#periodicsReschedule();
    }
    this.#rtmnDiff = diff;
  }

  #timersReify(): void {
    const heap = this.#timers;
    for (let w = heap.top(); w !== undefined && w._at < this.#mnNow; w = heap.top()) {
      const repeat = w.repeat;
      if (repeat > 0) {
        w._at += repeat;
        if (w._at < this.#mnNow) w._at = this.#mnNow;
        heap.update(w);
      } else {
        w.stop();
        // Expired: a later start() waits `after` again. (libev would keep the
        // overdue remainder and fire at once: in JavaScript's idiom of
        // restarting a timer from its own callback, that would spin.)
        w._left = w._after;
      }
      this.#pending.collect(w);
    }
    this.#pending.feedCollected(TIMER);
  }

  #periodicsReify(): void {
    const heap = this.#periodics;
    for (let w = heap.top(); w !== undefined && w._at < this.#rtNow; w = heap.top()) {
      if (w._repeats) {
        try {
          w._at = w._next(this.#rtNow);
        } catch (err) {
          w.stop();
          this.#pending.feedCollected(PERIODIC);
          throw err;
        }
        heap.update(w);
      } else {
        w.stop();
      }
      this.#pending.collect(w);
    }
    this.#pending.feedCollected(PERIODIC);
  }

  /** After a wall-clock jump every periodic's next time is computed anew. */
  #periodicsReschedule(): void {
    const heap = this.#periodics;
    for (let i = 0; i < heap.length; i++) {
      const w = heap.at(i);
      if (w._repeats) w._at = w._next(this.#rtNow);
    }
    heap.rebuild();
  }

  #idleReify(): void {
    if (this.#idleAll === 0) return;
    for (let q = NUMPRI - 1; q >= 0; q--) {
      if (this.#pending.countAt(q) > 0) return;
      const list = this.#idles[q]!;
      if (list.length > 0) {
        this.#queueAll(list, IDLE);
        return;
      }
    }
  }

  #queueAll(list: readonly Watcher[], revents: number): void {
    for (let i = list.length - 1; i >= 0; i--) this._feed(list[i]!, revents);
  }

  // ------------------------------------------------------ attached mode

  /** One non-blocking iteration from Node's loop, then everything handed to the kernel. */
  #attachedTick(): void {
    if (this.#destroyed || this.#depth > 0 || this.#ticking) return;
    this.#ticking = true;
    this.#loopDone = BREAK_CANCEL; // break() ends run(); it has no say over attached ticks
    try {
      this.#iterate(RUN_NOWAIT);
    } catch (err) {
      this.#report(err);
      this.#drainAfterError();
    } finally {
      this.#ticking = false;
    }
    if (!this.#destroyed) this.#syncAttached();
  }

  /** After a callback threw in a tick: deliver what is still pending, reporting each failure. */
  #drainAfterError(): void {
    for (let i = 0; i < 1000 && this.pendingCount > 0 && !this.#destroyed; i++) {
      try {
        this.#pending.invoke();
      } catch (err) {
        this.#report(err);
      }
    }
  }

  /** Hands changes to the kernel and arranges the next tick: fd readable, timer due, or soon. */
  #syncAttached(): void {
    const attachment = this.#attachment!;
    let again: boolean;
    try {
      again = this.#poller.flush();
    } catch (err) {
      this.#report(err);
      again = true;
    }
    if (this.#destroyed) return;
    attachment.setRef(this.#activecnt > 0);
    if (again || this.#idleAll > 0 || this.pendingCount > 0) {
      attachment.soon();
      return;
    }
    const due = this.#nextDue();
    if (due !== Number.POSITIVE_INFINITY) attachment.within(due * 1000);
  }

  /** A change made outside an iteration reaches the kernel before Node sleeps. */
  #queueSync(): void {
    if (this.#syncQueued || this.#ticking || this.#depth > 0 || this.#destroyed) return;
    this.#syncQueued = true;
    queueMicrotask(this.#syncFn);
  }

  /** An exception from a callback of an attached iteration: 'error' if listened for, else uncaught. */
  #report(err: unknown): void {
    if (this.#errorListeners.length > 0) {
      try {
        for (const listener of [...this.#errorListeners]) listener(err);
        return;
      } catch (listenerErr) {
        err = listenerErr;
      }
    }
    process.nextTick(() => {
      throw err;
    });
  }

  #check(what: string): void {
    if (this.#destroyed) throw loopDestroyed(what);
  }

  #ready(fd: number, events: number, options: OnceOptions): Promise<number> {
    const signal = options.signal;
    return new Promise<number>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortError(signal));
        return;
      }
      const handle = this.once(fd, events, -1, (revents) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(revents);
      });
      const onAbort = (): void => {
        handle.cancel();
        reject(abortError(signal!));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  // ---------------------------------------------- internals for watchers

  /** @internal Queues an event (libev's ev_feed_event). */
  _feed(w: Watcher, revents: number): void {
    this.#pending.feed(w, revents);
  }

  /** @internal Drops a pending event; returns its events. */
  _clearPending(w: Watcher): number {
    return this.#pending.clear(w);
  }

  /** @internal */
  _refActive(delta: number): void {
    this.#activecnt += delta;
    if (this.attached) this.#queueSync();
  }

  #started(w: Watcher): void {
    w._active = true;
    if (w._ref) this.#activecnt++;
    if (this.attached) this.#queueSync();
  }

  #stopped(w: Watcher): void {
    w._active = false;
    if (w._ref) this.#activecnt--;
    if (this.attached) this.#queueSync();
  }

  /** @internal */
  _ioStart(w: IoWatcher): void {
    const fd = w._fd;
    let list = this.#fdWatchers[fd];
    if (list === undefined) {
      list = [];
      this.#fdWatchers[fd] = list;
    }
    w._slot = list.length;
    list.push(w);
    this.#updateSingle(fd, list);
    this.#started(w);
    this._ioInterest(fd);
    if (w._fdset) {
      w._fdset = false;
      this.#poller.touch(fd); // possibly a new file under an old number: register afresh
    }
  }

  /** @internal */
  _ioStop(w: IoWatcher): void {
    const list = this.#fdWatchers[w._fd]!;
    const last = list.pop()!;
    if (last !== w) {
      list[w._slot] = last;
      last._slot = w._slot;
    }
    w._slot = -1;
    this.#updateSingle(w._fd, list);
    this.#stopped(w);
    this._ioInterest(w._fd);
  }

  #updateSingle(fd: number, list: IoWatcher[]): void {
    const single = this.#fdSingle;
    while (single.length <= fd) single.push(null);
    single[fd] = list.length === 1 ? list[0]! : null;
  }

  /** @internal Tells the poller the union of the fd's watchers' events (EDGE only if all ask for it). */
  _ioInterest(fd: number): void {
    const list = this.#fdWatchers[fd];
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
    this.#poller.set(fd, mask);
  }

  /** @internal */
  _timerStart(w: TimerWatcher): void {
    this.#freshNow();
    w._at = this.#mnNow + w._left;
    this.#timers.push(w);
    this.#started(w);
  }

  /** @internal libev's ev_timer_stop: the time left is kept for a later start. */
  _timerStop(w: TimerWatcher): void {
    this.#freshNow();
    w._left = w._at - this.#mnNow;
    this.#timers.remove(w);
    this.#stopped(w);
  }

  /** @internal libev's ev_timer_again. */
  _timerAgain(w: TimerWatcher): void {
    this.#check('timer.again()');
    this._clearPending(w);
    if (w._active) {
      if (w.repeat > 0) {
        this.#freshNow();
        w._at = this.#mnNow + w.repeat;
        this.#timers.update(w);
        if (this.attached) this.#queueSync();
      } else {
        w.stop();
      }
    } else if (w.repeat > 0) {
      w._left = w.repeat;
      w.start();
    }
  }

  /** @internal */
  _timerRemaining(w: TimerWatcher): number {
    return w._at - (this.#depth > 0 || this.#ticking ? this.#mnNow : this.#clock.monotonic());
  }

  /** @internal */
  _periodicStart(w: PeriodicWatcher): void {
    this.#freshNow();
    w._at = w._next(this.#rtNow);
    this.#periodics.push(w);
    this.#started(w);
  }

  /** @internal */
  _periodicStop(w: PeriodicWatcher): void {
    this.#periodics.remove(w);
    this.#stopped(w);
  }

  /** @internal */
  _idleStart(w: IdleWatcher): void {
    const list = this.#idles[w._queue]!;
    w._index = list.length;
    list.push(w);
    this.#idleAll++;
    this.#started(w);
  }

  /** @internal */
  _idleStop(w: IdleWatcher): void {
    removeAt(this.#idles[w._queue]!, w);
    this.#idleAll--;
    this.#stopped(w);
  }

  /** @internal prepare and check watchers. */
  _listStart(w: Listed): void {
    const list = w instanceof PrepareWatcher ? this.#prepares : this.#checks;
    w._index = list.length;
    list.push(w);
    this.#started(w);
  }

  /** @internal */
  _listStop(w: Listed): void {
    removeAt(w instanceof PrepareWatcher ? this.#prepares : this.#checks, w);
    this.#stopped(w);
  }

  /** @internal */
  _asyncStart(w: AsyncWatcher): void {
    this.#wake.addAsync(w);
    this.#started(w);
  }

  /** @internal */
  _asyncStop(w: AsyncWatcher): void {
    this.#wake.removeAsync(w);
    this.#stopped(w);
  }

  /** @internal */
  _signalStart(w: SignalWatcher): void {
    this.#wake.addSignal(w);
    this.#started(w);
  }

  /** @internal */
  _signalStop(w: SignalWatcher): void {
    this.#wake.removeSignal(w);
    this.#stopped(w);
  }

  /** Uses the cached time inside an iteration (libev), the current time outside one. */
  #freshNow(): void {
    if (this.#depth === 0 && !this.#ticking) this.#timeUpdate(false);
  }

  /** @internal For tests: the internal wake watcher (null until a signal or async watcher exists). */
  get _wakeWatcher(): IoWatcher | null {
    return this.#wake.watcher;
  }
}

function noop(): void {}

/**
 * The loop: its state, its factories, and one iteration. One iteration
 * (libev's ev_run; libuv documents its own the same way) does, in order:
 *
 * 1. **prepare**: queue PREPARE for every prepare watcher and deliver it.
 *    A `break()` from there ends the iteration before it polls.
 * 2. **apply changes**: hand every fd's changed interest to the kernel, once
 *    per fd (the Poller's reify). A fd the kernel refuses is killed: its
 *    watchers stop and get ERROR | READ | WRITE, and the wait is skipped.
 * 3. **update time**, then **wait**: block in the backend until an fd is
 *    ready or the nearest timer or periodic is due, capped at 59.743 s; not
 *    at all for `run('nowait')`, an attached tick, active idle watchers or a
 *    loop with no referenced watcher.
 * 4. **collect**: ready fds queue their events as the backend reports them;
 *    the time is read again; due timers, then due periodics queue theirs in
 *    expiry order.
 * 5. **idle**: idle watchers of the highest priority that has any are
 *    queued, unless an event of that priority or higher is already pending.
 * 6. **check**: queue CHECK for every check watcher.
 * 7. **deliver**: invoke everything pending, highest priority first; an
 *    event fed by a callback is delivered in the same pass.
 *
 * `run()` repeats this until no referenced watcher is active or `break()`
 * is called. An attached loop runs one iteration per wake-up from Node's
 * loop (`#attachedTick`), never waiting in step 3, and then hands its
 * changes to the kernel before Node sleeps on the backend's fd.
 *
 * The bookkeeping of each watcher kind lives in its own module (io-table,
 * timers, lists, wake); watchers reach it through the {@link WatcherHost}
 * the loop hands them, never through the loop's own members.
 *
 * @module
 */

import { systemError } from '@evring/abi';
import type { BackendName, Poller } from '@evring/backend';
import { NodeAttachment } from './attach.js';
import {
  type BackendChoice,
  type BackendTuning,
  checkBackendChoice,
  pickBackend,
} from './backend-choice.js';
import { checkFunction, checkInt, invalidValue, loopDestroyed } from './errors.js';
import { CHECK, IDLE, PERIODIC, PREPARE, READ, TIMER, WRITE } from './events.js';
import { LoopFiles } from './files.js';
import { registerHost, type WatcherHost } from './host.js';
import { IoTable } from './io-table.js';
import { IdleLists, WatcherList } from './lists.js';
import { type OnceHandle, type OnceOptions, once, whenReady } from './once.js';
import { PendingQueues } from './pending.js';
import { SpinProbe } from './spin-probe.js';
import { type LoopClock, systemClock, Timers } from './timers.js';
import { WakeChannel } from './wake.js';
import { AsyncWatcher } from './watchers/async.js';
import { IoWatcher } from './watchers/io.js';
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
  /** Where time comes from (default: `CLOCK_MONOTONIC` through `monotonicMs()` of `@evring/sys`, and `Date.now()`). */
  clock?: LoopClock;
}

const RUN_NOWAIT = 1;
/**
 * Extra iterations an attached tick runs while each finds work, at most
 * (then Node gets its turn); see {@link ATTACHED_SPIN_SECONDS}.
 */
const ATTACHED_SPINS = 64;
/**
 * How long an attached tick keeps spinning, by the loop's clock: Node's
 * own callbacks wait no longer than this (plus one iteration) for a busy
 * loop. A time rather than a count: a chain of single events (A=1 in the
 * pipe bench) takes a few µs an iteration and gains from many spins a
 * Node turn, while iterations that each deliver hundreds of events would
 * hold Node's turn for milliseconds after a few.
 */
const ATTACHED_SPIN_SECONDS = 0.001;
/** Ticks a promise continuation's hand-over may start in one Node turn (see #syncFn). */
const ATTACHED_SYNC_TICKS = 8;
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

/** Stands in for a watcher whose pending event was cleared. */
const CLEARED = { _pending: 0, _pendingQueue: 0, _queue: 0, _invoke(): void {} };

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
  /**
   * Why this backend was chosen: e.g. "epoll: the fastest level-triggered
   * backend in the benchmark here …", "iouring: requested by
   * EVRING_BACKEND", or "epoll: iouring unavailable (…); epoll is next in
   * the fallback order".
   */
  readonly backendReason: string;
  /** Whether the loop is attached to Node's event loop. */
  readonly attached: boolean;
  /** File operations: read, write, fsync, fdatasync (callback and promise forms). */
  readonly fs: LoopFiles;

  readonly #poller: Poller;
  readonly #backendName: BackendName;
  #attachment: NodeAttachment | null = null;
  #destroyed = false;

  // libev's activecnt: active referenced watchers plus ref() − unref(); the
  // file operations in flight are added where it is read (see #refs).
  #activecnt = 0;
  #depth = 0;
  #iteration = 0;
  #loopDone = BREAK_CANCEL;
  /** The flags of the iteration in progress (RUN_NOWAIT, RUN_ONCE). */
  #runFlags = 0;
  /** Inside an attached tick: changes reach the kernel when it ends. */
  #ticking = false;
  #syncQueued = false;
  /** Ticks run from a microtask since Node last ticked the loop (see #syncFn). */
  #microTicks = 0;
  /** Whether a tick looks again for ready fds after one that found some. */
  readonly #probe = new SpinProbe();

  // The watchers' bookkeeping, one module per kind; the host hands it to them.
  readonly #pending = new PendingQueues(CLEARED);
  readonly #io = new IoTable(this.#pending);
  readonly #timers: Timers;
  readonly #idles = new IdleLists<IdleWatcher>();
  readonly #prepares = new WatcherList<PrepareWatcher>();
  readonly #checks = new WatcherList<CheckWatcher>();
  readonly #wake: WakeChannel;
  readonly #host: WatcherHost;
  readonly #errorListeners: ((err: unknown) => void)[] = [];

  readonly #tickFn = (): void => {
    this.#microTicks = 0;
    this.#attachedTick();
  };
  /**
   * Changes made outside a tick reach the kernel here, in a microtask. When
   * that hand-over already produced completions (a promise's continuation
   * submitted a read the page cache answered at once), the next tick runs
   * here too, up to {@link ATTACHED_SYNC_TICKS} per Node turn, rather than after
   * a trip through Node's poll and the backend's fd: the promise form's
   * equivalent of the spins an attached tick makes for callbacks.
   */
  readonly #syncFn = (): void => {
    this.#syncQueued = false;
    if (this.#destroyed || this.#depth > 0 || this.#ticking) return;
    if (this.#syncAttached(this.#microTicks < ATTACHED_SYNC_TICKS)) {
      this.#microTicks++;
      this.#attachedTick();
    }
  };
  /** Step 3's wait in ms, asked by the Poller once the changes are applied. */
  readonly #waitMs = (): number => {
    this.#timers.update();
    if ((this.#runFlags & RUN_NOWAIT) !== 0 || this.#idles.count > 0 || this.#refs() <= 0) return 0;
    return this.#timers.waitMs();
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
    const pending = this.#pending;
    this.#timers = new Timers(
      options.clock ?? systemClock,
      pending,
      () => this.#depth > 0 || this.#ticking,
    );
    this.#wake = new WakeChannel(this, (w, revents) => pending.feed(w, revents));
    const attach = options.attach !== false;
    this.attached = attach;
    this.#host = registerHost({
      loop: this,
      pending,
      io: this.#io,
      timers: this.#timers,
      idles: this.#idles,
      prepares: this.#prepares,
      checks: this.#checks,
      wake: this.#wake,
      changed: (refDelta) => {
        this.#activecnt += refDelta;
        if (attach) this.#queueSync();
      },
    });
    // Made before the backend, so that the Poller hands each completion
    // straight to the file operations' own handler.
    this.fs = new LoopFiles(this.#host);
    const pick = pickBackend(
      choice,
      source,
      options.fallback !== false,
      options,
      this.#io.dispatch,
      attach, // attached, Node's loop sleeps on the backend's fd
      this.fs.complete,
    );
    this.#poller = pick.poller;
    this.#io.bind(pick.poller);
    this.#backendName = pick.name;
    this.backendReason = pick.reason;
    this.fs.bind(this.#poller);
    this.#timers.update(true);
    if (attach) {
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

  /** Active referenced watchers and file operations in flight, plus ref() and minus unref() calls: the loop lives while it is above 0. */
  get refCount(): number {
    return this.#refs();
  }

  /** The wall-clock time (seconds since the epoch) cached at the start of the iteration (libev's ev_now). */
  now(): number {
    return this.#timers.rtNow;
  }

  /** Reads the clocks again (libev's ev_now_update). */
  updateNow(): void {
    this.#timers.update();
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
    this.#host.changed(1);
  }

  /** The reverse of ref(): e.g. after starting a watcher that should not keep the loop alive (libev's ev_unref). */
  unref(): void {
    this.#host.changed(-1);
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
    return new IoWatcher(this.#host, fd, events, callback ?? noop, options);
  }

  /** A timer: fires `after` seconds after start(), then every `repeat` seconds (0: once). */
  timer(
    after: number,
    repeat: number,
    callback: WatcherCallback<TimerWatcher>,
    options?: WatcherOptions,
  ): TimerWatcher {
    this.#check('timer()');
    return new TimerWatcher(this.#host, after, repeat, callback, options);
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
    return new PeriodicWatcher(this.#host, offset, interval, callback, reschedule, options);
  }

  /** A signal watcher: `signal` by number or name ('SIGINT'). */
  signal(
    signal: number | string,
    callback: WatcherCallback<SignalWatcher>,
    options?: WatcherOptions,
  ): SignalWatcher {
    this.#check('signal()');
    return new SignalWatcher(this.#host, signal, callback, options);
  }

  /** An idle watcher: runs when nothing of equal or higher priority is pending; the loop does not block meanwhile. */
  idle(callback: WatcherCallback<IdleWatcher>, options?: WatcherOptions): IdleWatcher {
    this.#check('idle()');
    return new IdleWatcher(this.#host, callback, options);
  }

  /** A prepare watcher: runs at the start of every iteration. */
  prepare(callback: WatcherCallback<PrepareWatcher>, options?: WatcherOptions): PrepareWatcher {
    this.#check('prepare()');
    return new PrepareWatcher(this.#host, callback, options);
  }

  /** A check watcher: runs after every poll. */
  check(callback: WatcherCallback<CheckWatcher>, options?: WatcherOptions): CheckWatcher {
    this.#check('check()');
    return new CheckWatcher(this.#host, callback, options);
  }

  /** An async watcher: `send()` (from any thread, see `sender`) makes its callback run in this loop. */
  async(callback: WatcherCallback<AsyncWatcher>, options?: WatcherOptions): AsyncWatcher {
    this.#check('async()');
    return new AsyncWatcher(this.#host, callback, options);
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
    return once(this.#host, fd, events, timeout, callback, options);
  }

  /** Resolves with the events once `fd` is readable (READ, or ERROR | READ | WRITE when the kernel rejects it). */
  readable(fd: number, options: OnceOptions = {}): Promise<number> {
    return whenReady(this.#host, fd, READ, options);
  }

  /** Resolves with the events once `fd` is writable. */
  writable(fd: number, options: OnceOptions = {}): Promise<number> {
    return whenReady(this.#host, fd, WRITE, options);
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
        this.#refs() > 0 &&
        this.#loopDone === BREAK_CANCEL &&
        flags === 0 &&
        !this.#destroyed
      );
      if (this.#loopDone === BREAK_ONE) this.#loopDone = BREAK_CANCEL;
    } finally {
      this.#depth--;
      if (this.#depth === 0 && this.attached && !this.#destroyed) this.#queueSync();
    }
    return this.#refs() > 0;
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
    this.#pending.feed(watcher, revents >>> 0);
    if (this.attached) this.#queueSync();
  }

  /**
   * Stops every watcher and releases the backend, the Node handles and every
   * fd. Idempotent. Watchers of a destroyed loop cannot start again.
   */
  destroy(): void {
    if (this.#destroyed) return;
    const all: Watcher[] = [
      ...this.#io.toArray(),
      ...this.#timers.toArray(),
      ...this.#idles.toArray(),
      ...this.#prepares.toArray(),
      ...this.#checks.toArray(),
      ...this.#wake.watchers(),
    ];
    for (const w of all) {
      w.stop();
      w._forgetSignal();
    }
    this.fs.destroy();
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

  /** One iteration, in the order the module's comment gives. */
  #iterate(flags: number): void {
    const pending = this.#pending;
    if (this.#prepares.length > 0) {
      this.#prepares.feedAll(pending, PREPARE);
      pending.invoke();
    }
    if (this.#loopDone !== BREAK_CANCEL || this.#destroyed) return;

    this.#runFlags = flags;
    this.#iteration++;
    this.#poller.poll(this.#waitMs); // applies changes, then waits (or not: see #waitMs)
    this.#timers.update();

    this.#timers.expireTimers(TIMER);
    this.#timers.expirePeriodics(PERIODIC);
    this.#idles.feedIfIdle(pending, IDLE);
    if (this.#checks.length > 0) this.#checks.feedAll(pending, CHECK);
    pending.invoke();
  }

  // ------------------------------------------------------ attached mode

  /**
   * Non-blocking iterations from Node's loop, then everything handed to the
   * kernel. The next iteration runs here and now, up to
   * {@link ATTACHED_SPINS} times and for {@link ATTACHED_SPIN_SECONDS},
   * rather than after a trip through Node's
   * poll and the backend's wake-up fd, while the last one found work: fds
   * that were ready (their callbacks' writes often make the next fd ready,
   * as in a chain of pipes or a proxy), or completions that handing work
   * over produced at once (a file read from the page cache, an emulated
   * operation). An iteration that finds nothing ends the tick. The look
   * for more fds after one that found some is a guess that a chain is
   * running, and SpinProbe keeps the guesses that pay: while they find
   * nothing (events one at a time), most events go without one, saving a
   * non-blocking poll each; a chain saves a trip through Node's loop per
   * link.
   */
  #attachedTick(): void {
    if (this.#destroyed || this.#depth > 0 || this.#ticking) return;
    const settled = this.fs.settled;
    let started = 0;
    let probing = false;
    for (let spin = 0; ; spin++) {
      const events = this.#io.events;
      this.#ticking = true;
      this.#loopDone = BREAK_CANCEL; // break() ends run(); it has no say over attached ticks
      let failed = false;
      try {
        this.#iterate(RUN_NOWAIT);
      } catch (err) {
        failed = true;
        this.#report(err);
        this.#drainAfterError();
      } finally {
        this.#ticking = false;
      }
      if (this.#destroyed) return;
      const found = this.#io.events !== events;
      if (probing) this.#probe.found(found);
      // The iteration read the clock after its poll (libev's time_update).
      if (spin === 0) started = this.#timers.mnNow;
      if (failed || spin >= ATTACHED_SPINS) break;
      if (this.#timers.mnNow - started >= ATTACHED_SPIN_SECONDS) break;
      // Completions already waiting: a sure find. Fd events: maybe more now
      // (see SpinProbe). Neither: the tick is done.
      probing = false;
      if (this.#flushAttached()) continue;
      if (!found || !this.#probe.wanted()) break;
      probing = true;
    }
    // Promises settled here have continuations queued as microtasks, which
    // often start the next operations: syncing after them (a microtask
    // queued behind theirs, still before Node sleeps) hands those over in
    // the same enter, instead of getting ready to sleep first.
    if (this.fs.settled !== settled) this.#queueSync();
    else this.#syncAttached();
  }

  /** Hands changes to the kernel; true when completions are already waiting. */
  #flushAttached(): boolean {
    try {
      return this.#poller.flush(false); // #syncAttached gets ready to sleep
    } catch {
      return false; // #syncAttached flushes again and reports it
    }
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

  /**
   * Hands changes to the kernel and arranges the next tick: fd readable,
   * timer due, or soon. With `tickNow`, returns true instead of arranging
   * one when completions are already waiting: the caller ticks at once.
   */
  #syncAttached(tickNow = false): boolean {
    const attachment = this.#attachment!;
    this.fs.synced(); // operations started from here on ask for a sync of their own
    let again: boolean;
    try {
      again = this.#poller.flush();
    } catch (err) {
      this.#report(err);
      again = true;
    }
    if (this.#destroyed) return false;
    // A backend that re-created its kernel state may have a new pollable fd.
    const fd = this.#poller.backend.fd;
    if (fd !== attachment.fd) attachment.rewatch(fd);
    attachment.setRef(this.#refs() > 0);
    if (again && tickNow) return true;
    if (again || this.#idles.count > 0 || this.pendingCount > 0) {
      attachment.soon();
      return false;
    }
    const due = this.#timers.nextDueMs();
    if (due !== Number.POSITIVE_INFINITY) attachment.within(due);
    return false;
  }

  /** A change made outside an iteration reaches the kernel before Node sleeps. */
  #queueSync(): void {
    // `=== true` first: this runs twice an operation, mostly inside a tick,
    // and V8 tests a boolean field that holds true against every falsy kind
    // of value before it takes it as true; a comparison is one instruction.
    if (this.#ticking === true || this.#syncQueued || this.#depth > 0 || this.#destroyed) return;
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

  /** libev's activecnt, plus the file operations in flight (each as an active watcher). */
  #refs(): number {
    return this.#activecnt + this.fs.inFlight;
  }

  #check(what: string): void {
    if (this.#destroyed) throw loopDestroyed(what);
  }
}

function noop(): void {}

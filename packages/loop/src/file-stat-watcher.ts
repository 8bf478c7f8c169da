/**
 * `watchFile` and `unwatchFile` for `loop.fs`: a file's status polled, as
 * `node:fs`' `watchFile` polls it (libuv's uv_fs_poll, which is libev's
 * ev_stat without its inotify help): a stat every `interval` ms, by the
 * loop (the kernel, on io_uring), and `'change'` with `(curr, prev)` when
 * what a stat says moved — the times of change, modification and birth,
 * the size, mode, owner, inode or device (not the access time, not the
 * link count alone) — or when the stat's error changed. A file that is
 * missing reads as a Stats of zeros, as on Node's: its first poll says so
 * once, its creation and removal are changes like any other.
 *
 * One watcher per loop and resolved path, shared by every `watchFile` of
 * it, as Node keeps one per process; `unwatchFile` takes a listener off, or
 * all, and stops the watcher after the last. Unlike Node 20's, a Buffer
 * path is taken, and a watcher stopped by its own `stop()` is not handed
 * out again.
 *
 * @module
 */

import { EventEmitter } from 'node:events';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readStatx, readStatxBigInt } from '@evring/abi';
import { STATX_SIZE } from '@evring/backend';
import { checkFunction, checkInt } from './errors.js';
import type { FileSystemError } from './file-ops.js';
import { BigIntFileStats, FileStats } from './file-stats.js';
import type { LoopFiles } from './files.js';
import { pathBytes } from './open-flags.js';
import type { TimerWatcher } from './watchers/timer.js';

/**
 * The options of `loop.fs.watchFile`, as `node:fs`' `watchFile` takes them.
 *
 * @example
 * ```ts
 * import { Loop, type WatchFileOptions } from '@evring/loop';
 * const options: WatchFileOptions = { interval: 1000, persistent: false };
 * new Loop().fs.watchFile('/etc/hosts', options, (curr, prev) => console.log(prev.mtime, '->', curr.mtime));
 * ```
 */
export interface WatchFileOptions {
  /** Stats with bigint fields (`fs.BigIntStats`' shape). */
  bigint?: boolean;
  /** Whether the watcher keeps the loop (and, attached, the process) alive (default true). */
  persistent?: boolean;
  /** Milliseconds between two stats (default 5007, libev's and Node's). */
  interval?: number;
}

/**
 * A `watchFile` listener: the status now and before the change (a Stats of
 * zeros where the file was missing).
 *
 * @example
 * ```ts
 * import type { StatsListener } from '@evring/loop';
 * const grew: StatsListener = (curr, prev) => {
 *   if (curr.size > prev.size) console.log(`${curr.size - prev.size} bytes appended`);
 * };
 * ```
 */
export type StatsListener<S extends FileStats | BigIntFileStats = FileStats> = (
  curr: S,
  prev: S,
) => void;

/** The events of a {@link LoopStatWatcher}, typed. */
export interface LoopStatWatcher<S extends FileStats | BigIntFileStats = FileStats> {
  on(event: 'change', listener: StatsListener<S>): this;
  on(event: 'stop', listener: () => void): this;
  once(event: 'change', listener: StatsListener<S>): this;
  once(event: 'stop', listener: () => void): this;
  addListener(event: 'change', listener: StatsListener<S>): this;
  addListener(event: 'stop', listener: () => void): this;
}

/**
 * A file polled by `loop.fs.watchFile`, shaped as `node:fs`' `StatWatcher`:
 * `'change'` `(curr, prev)` when the file's status moved, `'stop'` on the
 * tick after it stopped (`unwatchFile` of its last listener, or the loop
 * destroyed); `ref()` and `unref()` count as Node's do.
 *
 * @example
 * ```ts
 * import { Loop } from '@evring/loop';
 * const loop = new Loop();
 * const watcher = loop.fs.watchFile('/tmp/flag', { interval: 100 }, (curr) => {
 *   if (curr.ino === 0) console.log('removed');
 * });
 * watcher.unref(); // polls while the program has other work
 * ```
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface types the events the class emits
export class LoopStatWatcher<
  // biome-ignore lint/correctness/noUnusedVariables: S types the events, in the interface merged with the class
  S extends FileStats | BigIntFileStats = FileStats,
> extends EventEmitter {
  readonly #files: LoopFiles;
  readonly #path: string;
  readonly #bigint: boolean;
  /** Milliseconds between two polls' starts. */
  readonly #interval: number;
  /** The wait for the next poll; null once stopped. */
  #timer: TimerWatcher | null = null;
  /** As uv_fs_poll: 0 before the first poll, 1 after a stat that worked, else the last stat's −errno. */
  #state = 0;
  /** The last status a stat gave (zeros until one did). */
  #last: FileStats | BigIntFileStats;
  /** The status the last `'change'` told, as Node's StatWatcher keeps it (−1 at first). */
  #toldStatus = -1;
  #refs = 1;
  #maxRefs = 1;
  /** A stat is in flight. */
  #polling = false;
  /** Tells the loop's registry that the watcher stopped, however it was stopped. */
  readonly #onStop: () => void;

  /** @internal Made by `loop.fs.watchFile`. */
  constructor(
    files: LoopFiles,
    path: string,
    bigint: boolean,
    interval: number,
    onStop: () => void,
  ) {
    super();
    this.#onStop = onStop;
    this.#files = files;
    this.#path = path;
    this.#bigint = bigint;
    this.#interval = interval === 0 ? 1 : interval; // as uv_fs_poll: no busy loop
    this.#last = zeroStats(bigint);
  }

  /**
   * @internal Polls now, then every interval: a repeating timer, so that
   * the polls keep uv_fs_poll's cadence (an interval from one's start to
   * the next's) and the watcher holds the loop between two as one active
   * watcher does.
   */
  start(persistent: boolean): void {
    const every = this.#interval / 1000;
    this.#timer = this.#files
      .loopOf()
      .timer(every, every, () => this.#poll(), { ref: persistent })
      .start();
    if (!persistent) this.#refs = 0;
    this.#poll();
  }

  /** Stops polling; `'stop'` follows on the next tick. Nothing once stopped. */
  stop(): void {
    const timer = this.#timer;
    if (timer === null) return;
    this.#timer = null;
    timer.stop();
    this.#onStop();
    process.nextTick(() => this.emit('stop'));
  }

  /** The watcher keeps the loop alive again (counted: as many ref()s as watchFile()s of the path at most). */
  ref(): this {
    if (this.#refs === this.#maxRefs) return this;
    if (this.#timer !== null && this.#refs++ === 0) this.#timer.ref();
    return this;
  }

  /** The watcher no longer keeps the loop alive once unref()'d as often as it was ref'd. */
  unref(): this {
    if (this.#refs === 0) return this;
    if (this.#timer !== null && --this.#refs === 0) this.#timer.unref();
    return this;
  }

  /** @internal Another watchFile() of the path: one more ref to count. */
  added(): void {
    this.#refs++;
    this.#maxRefs++;
  }

  /** @internal An unwatchFile() took one listener off (`all`: every one). */
  removed(all: boolean): void {
    if (all) {
      this.#maxRefs = 0;
      this.#refs = 0;
      this.#timer?.unref();
      return;
    }
    this.#maxRefs--;
    this.unref();
  }

  #poll(): void {
    if (this.#polling) return; // a stat slower than the interval: the next poll waits for it
    this.#polling = true;
    const done = (err: FileSystemError | null, stats: FileStats | BigIntFileStats | null): void => {
      this.#polling = false;
      if (this.#timer !== null) this.#polled(err, stats);
    };
    try {
      if (this.#bigint) this.#files.stat(this.#path, { bigint: true }, done);
      else this.#files.stat(this.#path, done);
    } catch (err) {
      done(err as FileSystemError, null); // the loop went: its destroy stops the watcher
    }
  }

  /** What a stat said, as uv_fs_poll and Node's StatWatcher tell it. */
  #polled(err: FileSystemError | null, stats: FileStats | BigIntFileStats | null): void {
    if (err !== null || stats === null) {
      const status = typeof err?.errno === 'number' ? err.errno : -1;
      if (this.#state === status) return;
      this.#state = status;
      this.#tell(status, zeroStats(this.#bigint), this.#last);
      return;
    }
    const prev = this.#last;
    const wasError = this.#state < 0;
    const first = this.#state === 0;
    this.#last = stats;
    this.#state = 1;
    if (!first && (wasError || !sameStatus(prev, stats))) this.#tell(0, stats, prev);
  }

  #tell(
    status: number,
    curr: FileStats | BigIntFileStats,
    prev: FileStats | BigIntFileStats,
  ): void {
    // Node's StatWatcher passes over a repeated failure it cannot tell apart.
    if (this.#toldStatus === -1 && status === -1 && curr.nlink === prev.nlink) return;
    this.#toldStatus = status;
    this.emit('change', curr, prev);
  }
}

/** A Stats of zeros: what a missing file reads as. */
function zeroStats(bigint: boolean): FileStats | BigIntFileStats {
  const zeros = new DataView(new ArrayBuffer(STATX_SIZE));
  return bigint
    ? new BigIntFileStats(readStatxBigInt(zeros, 0))
    : new FileStats(readStatx(zeros, 0));
}

/** libuv's statbuf_eq: the times of change, modification and birth, size, mode, owner, inode, device. */
function sameStatus(a: FileStats | BigIntFileStats, b: FileStats | BigIntFileStats): boolean {
  return (
    a.ctimeMs === b.ctimeMs &&
    a.mtimeMs === b.mtimeMs &&
    a.birthtimeMs === b.birthtimeMs &&
    a.size === b.size &&
    a.mode === b.mode &&
    a.uid === b.uid &&
    a.gid === b.gid &&
    a.ino === b.ino &&
    a.dev === b.dev
  );
}

/** The loop's watchers by resolved path, as Node keeps its own per process. */
export class StatWatchers {
  readonly #files: LoopFiles;
  readonly #byPath = new Map<string, LoopStatWatcher<FileStats | BigIntFileStats>>();

  constructor(files: LoopFiles) {
    this.#files = files;
  }

  /** `watchFile(filename, options, listener)`, checked in Node's order. */
  watch(
    filename: unknown,
    options: unknown,
    listener: unknown,
  ): LoopStatWatcher<FileStats | BigIntFileStats> {
    const path = resolvedPath(filename);
    if (options === null || typeof options !== 'object') {
      listener = options;
      options = null;
    }
    const o = { interval: 5007, persistent: true, ...(options as WatchFileOptions | null) };
    const fn = checkFunction<StatsListener<FileStats | BigIntFileStats>>('listener', listener);
    // A watcher leaves the map when it stops, by its own stop() too (Node's
    // would be handed out again, and never poll).
    let watcher = this.#byPath.get(path);
    if (watcher === undefined) {
      this.#files.checkLive('watchFile');
      const interval = checkInt('interval', o.interval, 0, 2 ** 32 - 1); // Node's validateUint32
      const made: LoopStatWatcher<FileStats | BigIntFileStats> = new LoopStatWatcher(
        this.#files,
        path,
        o.bigint === true,
        interval,
        () => {
          if (this.#byPath.get(path) === made) this.#byPath.delete(path);
        },
      );
      watcher = made;
      watcher.start(Boolean(o.persistent));
      this.#byPath.set(path, watcher);
    } else {
      watcher.added();
    }
    watcher.on('change', fn);
    return watcher;
  }

  /** `unwatchFile(filename, listener)`: one listener off, or all; the watcher stops after the last. */
  unwatch(filename: unknown, listener: unknown): void {
    const path = resolvedPath(filename);
    const watcher = this.#byPath.get(path);
    if (watcher === undefined) return;
    if (typeof listener === 'function') {
      const before = watcher.listenerCount('change');
      watcher.removeListener('change', listener as StatsListener);
      if (watcher.listenerCount('change') < before) watcher.removed(false);
    } else {
      watcher.removeAllListeners('change');
      watcher.removed(true);
    }
    if (watcher.listenerCount('change') === 0) watcher.stop(); // and it leaves the map
  }

  /** The loop is being destroyed: every watcher stops. */
  destroy(): void {
    for (const watcher of [...this.#byPath.values()]) watcher.stop(); // each leaves the map
  }
}

/** @internal The path as Node's watchFile keys it: validated, then resolved from the working directory. */
export function resolvedPath(filename: unknown): string {
  pathBytes('path', filename);
  if (filename instanceof URL) return resolve(fileURLToPath(filename));
  if (filename instanceof Uint8Array) return resolve(Buffer.from(filename).toString());
  return resolve(filename as string);
}

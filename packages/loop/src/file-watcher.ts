/**
 * `watch` for `loop.fs`: changes to a file or a directory as `node:fs`'
 * `watch` reports them — an EventEmitter, {@link LoopFSWatcher}, that
 * emits `'change'` with `(eventType, filename)` (libuv's words for
 * inotify(7)'s events: `'change'` for content or attributes, `'rename'`
 * for everything else), `'error'` when the watch fails, and `'close'`
 * after `close()`. It uses the loop's one inotify fd, as the promise form
 * does, and emits in the loop's deliver phase, as events are read.
 *
 * Kept apart from Node 20, each on purpose:
 * - `persistent` and `recursive` must be booleans (Node 20 takes anything
 *   for `persistent` without `recursive`; its recursive form and later
 *   Node versions check both);
 * - `listener` is checked before the watch starts (Node 20 starts it, then
 *   throws, and the watch it started runs on unreachable);
 * - `recursive` watches every directory of the tree with inotify and names
 *   paths relative to the top; Node 20 on Linux emulates it with a watch
 *   per file and a stat per event, reports every entry already there as a
 *   `'rename'` at the start, words a missing path's error as `stat`, and
 *   its `ref()`/`unref()` do nothing;
 * - when the kernel's own queue overflows (IN_Q_OVERFLOW), a process
 *   warning says that events were lost; libuv passes over it in silence.
 *
 * @module
 */

import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { checkBoolean, checkEncoding, checkFunction, checkSignal, invalidType } from './errors.js';
import type { InotifyReader } from './inotify-reader.js';
import { pathBytes } from './open-flags.js';
import { WatchTree } from './watch-tree.js';

/**
 * The options of `loop.fs.watch`, as `node:fs`' `watch` takes them (a
 * string in their place is the encoding).
 *
 * @example
 * ```ts
 * import { Loop, type FSWatchOptions } from '@evring/loop';
 * const options: FSWatchOptions = { recursive: true, persistent: false };
 * new Loop().fs.watch('/etc', options, (eventType, filename) => console.log(eventType, filename));
 * ```
 */
export interface FSWatchOptions {
  /** Whether the watcher keeps the loop (and, attached, the process) alive (default true); see also `ref()`/`unref()`. */
  persistent?: boolean;
  /** A directory's whole tree, new subdirectories included, named relative to it (default false). */
  recursive?: boolean;
  /** The names' encoding (default `'utf8'`); `'buffer'` gives Buffers. */
  encoding?: BufferEncoding | 'buffer' | null;
  /** Closes the watcher when aborted. */
  signal?: AbortSignal;
}

/**
 * A `'change'` listener: what changed, and its name (see {@link WatchEvent}).
 *
 * @example
 * ```ts
 * import type { FSWatchListener } from '@evring/loop';
 * const onChange: FSWatchListener = (eventType, filename) => console.log(`${filename}: ${eventType}`);
 * ```
 */
export type FSWatchListener<Name extends string | Buffer = string> = (
  eventType: 'rename' | 'change',
  filename: Name,
) => void;

/** The events of a {@link LoopFSWatcher}, typed. */
export interface LoopFSWatcher<Name extends string | Buffer = string> {
  on(event: 'change', listener: FSWatchListener<Name>): this;
  on(event: 'error', listener: (err: Error) => void): this;
  on(event: 'close', listener: () => void): this;
  once(event: 'change', listener: FSWatchListener<Name>): this;
  once(event: 'error', listener: (err: Error) => void): this;
  once(event: 'close', listener: () => void): this;
  addListener(event: 'change', listener: FSWatchListener<Name>): this;
  addListener(event: 'error', listener: (err: Error) => void): this;
  addListener(event: 'close', listener: () => void): this;
  prependListener(event: 'change', listener: FSWatchListener<Name>): this;
  prependListener(event: 'error', listener: (err: Error) => void): this;
  prependListener(event: 'close', listener: () => void): this;
}

/**
 * A watch started by `loop.fs.watch`, shaped as `node:fs`' `FSWatcher`:
 * `'change'` `(eventType, filename)` for each event, `'error'` when the
 * watch fails (the loop destroyed, its inotify fd closed behind it, a new
 * subdirectory of a recursive watch that cannot be watched; the watcher
 * is then closed, with no `'close'`, as Node's), and `'close'` on the tick
 * after `close()`.
 *
 * @example
 * ```ts
 * import { Loop } from '@evring/loop';
 * const loop = new Loop();
 * const watcher = loop.fs.watch('/tmp', (eventType, filename) => {
 *   if (eventType === 'rename' && filename === 'ready') watcher.close();
 * });
 * watcher.on('close', () => console.log('done'));
 * ```
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface types the events the class emits
// biome-ignore lint/correctness/noUnusedVariables: Name types the events, in the interface merged with the class
export class LoopFSWatcher<Name extends string | Buffer = string> extends EventEmitter {
  #tree: WatchTree | null = null;
  readonly #encoding: BufferEncoding | 'buffer';
  /** Forgets the signal once the watcher is closed or failed. */
  #forgetSignal: (() => void) | null = null;

  /** @internal Made by `loop.fs.watch`. */
  constructor(encoding: BufferEncoding | 'buffer') {
    super();
    this.#encoding = encoding;
  }

  /** @internal Starts the watch; throws its error (ENOENT, ENOSPC, …) as Node's does. */
  start(reader: InotifyReader, args: WatcherArguments, filename: unknown): void {
    const tree = new WatchTree(reader, args.path, args, {
      change: (eventType, name) => {
        const encoding = this.#encoding;
        this.emit('change', eventType, encoding === 'buffer' ? name : name.toString(encoding));
      },
      lost: () =>
        process.emitWarning("fs.watch lost events: the kernel's inotify queue overflowed"),
      ended: (err) => {
        this.#tree = null;
        this.#ended();
        process.nextTick(() => this.emit('error', err));
      },
    });
    tree.start(filename);
    this.#tree = tree;
  }

  /** Stops watching; `'close'` follows on the next tick. Does nothing once closed. */
  close(): void {
    const tree = this.#tree;
    if (tree === null) return;
    this.#tree = null;
    tree.close();
    this.#ended();
    process.nextTick(() => this.emit('close'));
  }

  /** @internal Closes the watcher when `signal` is aborted (at once when it is already). */
  closeOn(signal: AbortSignal): void {
    if (signal.aborted) {
      process.nextTick(() => this.close()); // after the caller has its listeners on, as Node's
      return;
    }
    const onAbort = (): void => this.close();
    signal.addEventListener('abort', onAbort, { once: true });
    this.#forgetSignal = () => signal.removeEventListener('abort', onAbort);
  }

  /** The watcher keeps the loop (and, attached, the process) alive, as with `persistent: true`. */
  ref(): this {
    if (this.#tree !== null) this.#tree.persistent = true;
    return this;
  }

  /** The watcher no longer keeps the loop alive, as with `persistent: false`. */
  unref(): this {
    if (this.#tree !== null) this.#tree.persistent = false;
    return this;
  }

  #ended(): void {
    this.#forgetSignal?.();
    this.#forgetSignal = null;
  }
}

/** @internal What `loop.fs.watch` was asked, checked. */
export interface WatcherArguments {
  path: Uint8Array;
  persistent: boolean;
  recursive: boolean;
  encoding: BufferEncoding | 'buffer';
  signal: AbortSignal | undefined;
  listener: FSWatchListener<string | Buffer> | undefined;
}

/** The arguments of `watch(filename, options, listener)`, checked in Node's order (its validators' words). */
function watcherArguments(
  filename: unknown,
  options: unknown,
  listener: unknown,
): WatcherArguments {
  if (typeof options === 'function') {
    listener = options;
    options = undefined;
  }
  let o: FSWatchOptions;
  if (options === undefined || options === null) o = {};
  else if (typeof options === 'string') o = { encoding: options as BufferEncoding };
  else if (typeof options === 'object') o = options as FSWatchOptions;
  else throw invalidType('options', 'one of type string or object', options); // Node's words
  checkEncoding(o.encoding);
  const signal = checkSignal(o.signal);
  const path = pathBytes('path', filename);
  const persistent = o.persistent === undefined ? true : o.persistent;
  const recursive = o.recursive === undefined ? false : o.recursive;
  return {
    path,
    recursive: checkBoolean('options.recursive', recursive),
    persistent: checkBoolean('options.persistent', persistent),
    encoding: o.encoding || 'utf8',
    signal,
    listener:
      listener === undefined || listener === null
        ? undefined
        : checkFunction<FSWatchListener<string | Buffer>>('listener', listener),
  };
}

/** @internal `loop.fs.watch(filename, options, listener)`: the watcher, started. */
export function startWatcher(
  reader: () => InotifyReader,
  filename: unknown,
  options: unknown,
  listener: unknown,
): LoopFSWatcher<string | Buffer> {
  const args = watcherArguments(filename, options, listener);
  const watcher = new LoopFSWatcher<string | Buffer>(args.encoding);
  // Node's errors name the path as validated: a URL's as a path.
  watcher.start(reader(), args, filename instanceof URL ? fileURLToPath(filename) : filename);
  if (args.listener !== undefined) watcher.on('change', args.listener);
  if (args.signal !== undefined) watcher.closeOn(args.signal);
  return watcher;
}

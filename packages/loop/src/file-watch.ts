/**
 * `watch` for `loop.fs.promises`: changes to a file or a directory, as
 * `fs/promises`' `watch` reports them — an async iterator of `{ eventType,
 * filename }`, `'change'` for a file's content or attributes and
 * `'rename'` for everything else, the names of inotify(7)'s events in
 * libuv's words.
 *
 * One inotify fd per loop serves every watch (inotify-reader.ts), read in
 * the loop's deliver phase: no thread is involved.
 *
 * Kept apart from Node 20, each on purpose:
 * - events that come while the consumer is busy between two steps are
 *   queued, up to `maxQueue`, then `overflow` decides (the options later
 *   Node versions added); Node 20's promise form drops them. A burst is
 *   read from the kernel at once, so it fills the queue at once: Node
 *   runs its consumer's microtasks between two events of one read;
 * - `encoding: 'buffer'` gives Buffers, as `fs.watch` does (Node 20's
 *   promise form refuses it by mistake);
 * - when the kernel's own queue overflows (IN_Q_OVERFLOW), the consumer
 *   learns of it (`overflow` again); libuv passes over it in silence;
 * - `recursive` watches every directory of the tree with inotify and
 *   reports paths relative to the top (Node 20 on Linux emulates it with
 *   a watch per file and a stat per event).
 *
 * @module
 */

import {
  abortError,
  checkBoolean,
  checkEncoding,
  checkInt,
  checkSignal,
  coded,
  invalidType,
  invalidValue,
} from './errors.js';
import type { InotifyReader } from './inotify-reader.js';
import { type PathLike, pathBytes } from './open-flags.js';
import { type WatchConsumer, WatchTree } from './watch-tree.js';

/**
 * The options of `watch`, as `fs/promises` takes them.
 *
 * @example
 * ```ts
 * import { Loop, type WatchOptions } from '@evring/loop';
 * const fs = new Loop().fs.promises;
 * const options: WatchOptions = { recursive: true, signal: AbortSignal.timeout(60_000) };
 * for await (const { eventType, filename } of fs.watch('/etc', options)) {
 *   console.log(eventType, filename); // 'change' 'hosts', 'rename' 'ssl/new.pem', …
 * }
 * ```
 */
export interface WatchOptions {
  /** Whether the watch keeps the loop (and, attached, the process) alive (default true). */
  persistent?: boolean;
  /** A directory's whole tree, new subdirectories included, named relative to it (default false). */
  recursive?: boolean;
  /** The names' encoding (default `'utf8'`); `'buffer'` gives Buffers. */
  encoding?: BufferEncoding | 'buffer' | null;
  /** Ends the iteration with an AbortError (after the events already queued). */
  signal?: AbortSignal;
  /** Events kept while the consumer is busy (default 2048). */
  maxQueue?: number;
  /**
   * What happens to an event beyond `maxQueue`, or when the kernel's own
   * queue overflowed: `'ignore'` drops it with a process warning (the
   * default), `'error'` ends the iteration with ERR_FS_WATCH_QUEUE_OVERFLOW.
   */
  overflow?: 'ignore' | 'error';
}

/**
 * One change `watch` reports: `'rename'` (a name appeared or went: created,
 * deleted, moved) or `'change'` (content or attributes), and the name of
 * what changed — in a watched directory, the entry's name (with
 * `recursive`, its path below the directory); else the watched file's own
 * name.
 *
 * @example
 * ```ts
 * import type { WatchEvent } from '@evring/loop';
 * const describe = (e: WatchEvent) => `${e.filename} ${e.eventType === 'change' ? 'changed' : 'came or went'}`;
 * ```
 */
export interface WatchEvent<Name extends string | Buffer = string> {
  eventType: 'rename' | 'change';
  filename: Name;
}

/** @internal What `watch` was asked, its options checked as Node checks them. */
interface WatchArguments {
  path: Uint8Array;
  persistent: boolean;
  recursive: boolean;
  encoding: BufferEncoding | 'buffer';
  signal: AbortSignal | undefined;
  maxQueue: number;
  overflow: 'ignore' | 'error';
}

/** The arguments of `watch`, checked in Node's order (its validators' words). */
function watchArguments(filename: unknown, options: unknown): WatchArguments {
  const path = pathBytes('path', filename);
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalidType('options', 'of type object', options);
  }
  const o = options as WatchOptions;
  // Defaults for undefined only, as Node's destructuring gives them: null is checked.
  const persistent = checkBoolean(
    'options.persistent',
    o.persistent === undefined ? true : o.persistent,
  );
  const recursive = checkBoolean(
    'options.recursive',
    o.recursive === undefined ? false : o.recursive,
  );
  const maxQueue = checkInt(
    'options.maxQueue',
    o.maxQueue === undefined ? 2048 : o.maxQueue,
    Number.MIN_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER,
  );
  const overflow = o.overflow === undefined ? 'ignore' : o.overflow;
  if (overflow !== 'ignore' && overflow !== 'error') {
    throw invalidValue('options.overflow', "must be one of: 'ignore', 'error'", overflow);
  }
  const signal = checkSignal(o.signal);
  checkEncoding(o.encoding);
  return {
    path,
    persistent,
    recursive,
    encoding: o.encoding || 'utf8',
    signal,
    maxQueue,
    overflow,
  };
}

/** Node's ERR_FS_WATCH_QUEUE_OVERFLOW. */
function queueOverflow(maxQueue: number): Error {
  return coded(
    new Error(`fs.watch() queued more than ${maxQueue} events`),
    'ERR_FS_WATCH_QUEUE_OVERFLOW',
  );
}

/** ERR_FS_WATCH_QUEUE_OVERFLOW for events the kernel dropped. */
function kernelOverflow(): Error {
  return coded(
    new Error("fs.watch() lost events: the kernel's inotify queue overflowed"),
    'ERR_FS_WATCH_QUEUE_OVERFLOW',
  );
}

/**
 * One `watch` iteration's queue: the events its tree reports, kept for
 * the consumer up to `maxQueue`, and the error that ends it.
 */
class WatchQueue implements WatchConsumer {
  readonly tree: WatchTree;
  readonly #args: WatchArguments;
  #queue: (WatchEvent<string | Buffer> | Error)[] = [];
  #at = 0;
  #wake: (() => void) | null = null;
  /** Dropping events beyond maxQueue: warned once until the queue has room again. */
  #dropping = false;

  constructor(reader: InotifyReader, args: WatchArguments) {
    this.#args = args;
    this.tree = new WatchTree(reader, args.path, args, this);
  }

  /** The next item, once there is one: an event, or the error that ends the iteration. */
  take(): WatchEvent<string | Buffer> | Error | undefined {
    if (this.#at === this.#queue.length) return undefined;
    const item = this.#queue[this.#at]!;
    this.#queue[this.#at++] = undefined as never;
    if (this.#at === this.#queue.length) {
      this.#queue = [];
      this.#at = 0;
      this.#dropping = false;
    }
    return item;
  }

  /** Resolves when an item is queued, the signal fires, or the watch ends. */
  wait(): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
    });
  }

  /** Stops watching; what is queued stays for the consumer. Idempotent. */
  close(): void {
    this.tree.close();
    this.#notify();
  }

  change(eventType: 'rename' | 'change', filename: Buffer): void {
    const encoding = this.#args.encoding;
    const name = encoding === 'buffer' ? filename : filename.toString(encoding);
    if (this.#queue.length - this.#at < this.#args.maxQueue) {
      this.#queue.push({ eventType, filename: name });
    } else if (this.#args.overflow === 'error') {
      this.#fail(queueOverflow(this.#args.maxQueue));
      return;
    } else if (!this.#dropping) {
      this.#dropping = true;
      process.emitWarning('fs.watch maxQueue exceeded');
    }
    this.#notify();
  }

  lost(): void {
    if (this.#args.overflow === 'error') this.#fail(kernelOverflow());
    else process.emitWarning("fs.watch lost events: the kernel's inotify queue overflowed");
  }

  ended(err: Error): void {
    this.#queue.push(err);
    this.#notify();
  }

  /** Ends the iteration with `err`, in place of what is queued (Node's overflow). */
  #fail(err: Error): void {
    this.#queue = [err];
    this.#at = 0;
    this.close();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }
}

/**
 * @internal `watch(filename, options)`: the iteration, checked and started
 * at its first `next()` as Node's async generator is.
 */
export async function* watchEvents(
  reader: () => InotifyReader,
  filename: PathLike,
  options: WatchOptions = {},
): AsyncGenerator<WatchEvent<string | Buffer>, void, undefined> {
  const args = watchArguments(filename, options);
  const signal = args.signal;
  if (signal?.aborted) throw abortError(signal);
  const queue = new WatchQueue(reader(), args);
  queue.tree.start(filename);
  const onAbort = (): void => queue.close();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      const item = queue.take();
      if (item instanceof Error) throw item;
      if (item !== undefined) {
        yield item;
        continue;
      }
      if (signal?.aborted) throw abortError(signal);
      await queue.wait();
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    queue.close();
  }
}

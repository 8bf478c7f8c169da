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

import { readdirSync } from 'node:fs';
import {
  errno,
  IN_ATTRIB,
  IN_CREATE,
  IN_DELETE,
  IN_DELETE_SELF,
  IN_DONT_FOLLOW,
  IN_IGNORED,
  IN_ISDIR,
  IN_MODIFY,
  IN_MOVE_SELF,
  IN_MOVED_FROM,
  IN_MOVED_TO,
  IN_ONLYDIR,
} from '@evring/abi';
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
import { fileError } from './file-ops.js';
import type { InotifyReader, WatchSink } from './inotify-reader.js';
import { type PathLike, pathBytes } from './open-flags.js';

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

/** What libuv asks inotify for: every change of a name, of content and of attributes. */
const WATCH_MASK =
  IN_ATTRIB |
  IN_CREATE |
  IN_MODIFY |
  IN_DELETE |
  IN_DELETE_SELF |
  IN_MOVE_SELF |
  IN_MOVED_FROM |
  IN_MOVED_TO;
/** A subdirectory of a recursive watch: a directory, never through a link out of the tree. */
const SUBDIRECTORY_MASK = WATCH_MASK | IN_ONLYDIR | IN_DONT_FOLLOW;
/** The bits libuv reports as 'change'; an event with any other bit is a 'rename'. */
const CHANGE_BITS = IN_ATTRIB | IN_MODIFY;
const SLASH = Buffer.from('/');

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

/** The error of a failed inotify_add_watch, as Node's `watch` words it: the path as given stays on `filename`. */
function watchError(res: number, filename: unknown, text: string): Error {
  const err = fileError(res, 'watch', text, null);
  if (err.code === 'ENOSPC') {
    err.message = `ENOSPC: System limit for number of file watchers reached, watch '${text}'`;
  }
  return Object.assign(err, { filename });
}

/**
 * One `watch` iteration's state: the descriptors it watches (with, for a
 * recursive watch, each directory's path below the top), and the events
 * queued for the consumer.
 */
class WatchQueue implements WatchSink {
  readonly persistent: boolean;
  readonly #reader: InotifyReader;
  readonly #args: WatchArguments;
  /** The top as given, for the names of subdirectories' paths. */
  readonly #top: Buffer;
  /** The name the watched object's own events carry: the last part of its path, as libuv gives it. */
  readonly #ownName: Buffer;
  /** Watched directories by descriptor: their path below the top, `null` for the top itself. */
  readonly #dirs = new Map<number, Buffer | null>();
  #queue: (WatchEvent<string | Buffer> | Error)[] = [];
  #at = 0;
  #wake: (() => void) | null = null;
  /** Dropping events beyond maxQueue: warned once until the queue has room again. */
  #dropping = false;
  #closed = false;

  constructor(reader: InotifyReader, args: WatchArguments) {
    this.#reader = reader;
    this.#args = args;
    this.persistent = args.persistent;
    this.#top = Buffer.from(args.path);
    this.#ownName = this.#top.subarray(this.#top.lastIndexOf(0x2f) + 1);
  }

  /** Starts watching: the path, and with `recursive` every directory below it (no event for those). */
  start(filename: unknown): void {
    const text = String(filename instanceof Uint8Array ? Buffer.from(filename) : filename);
    try {
      this.#reader.join(this);
    } catch (err) {
      this.#closed = true;
      const e = (err as { errno?: unknown }).errno;
      throw typeof e === 'number' ? watchError(e, filename, text) : err;
    }
    const wd = this.#reader.add(this, this.#args.path, WATCH_MASK);
    if (wd < 0) {
      this.#reader.leave(this);
      this.#closed = true;
      throw watchError(wd, filename, text);
    }
    this.#dirs.set(wd, null);
    if (this.#args.recursive) this.#watchBelow(null, false);
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
    if (this.#closed) return;
    this.#closed = true;
    for (const wd of this.#dirs.keys()) this.#reader.remove(this, wd);
    this.#dirs.clear();
    this.#reader.leave(this);
    this.#notify();
  }

  event(wd: number, mask: number, name: Buffer): void {
    const dir = this.#dirs.get(wd);
    if (dir === undefined || this.#closed) return;
    if ((mask & IN_IGNORED) !== 0) this.#dirs.delete(wd);
    let filename: Buffer;
    if (name.length === 0) {
      // A subdirectory's own change was reported by its parent, by name.
      if (dir !== null) return;
      filename = this.#ownName;
    } else {
      filename = dir === null ? name : Buffer.concat([dir, SLASH, name]);
    }
    this.#push((mask & ~CHANGE_BITS) !== 0 ? 'rename' : 'change', filename);
    if (!this.#args.recursive || (mask & IN_ISDIR) === 0 || name.length === 0) return;
    if ((mask & IN_MOVED_FROM) !== 0) this.#forgetBelow(filename);
    if ((mask & (IN_CREATE | IN_MOVED_TO)) !== 0) this.#watchDirectory(filename);
  }

  lost(): void {
    if (this.#closed) return;
    if (this.#args.overflow === 'error') this.#fail(kernelOverflow());
    else process.emitWarning("fs.watch lost events: the kernel's inotify queue overflowed");
  }

  ended(err: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#dirs.clear();
    this.#queue.push(err);
    this.#notify();
  }

  /** Queues an event for the consumer, within maxQueue. */
  #push(eventType: 'rename' | 'change', filename: Buffer): void {
    if (this.#closed) return;
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

  /** A new directory `rel` below the top (made or moved in): watched, and what it already holds reported and watched. */
  #watchDirectory(rel: Buffer): void {
    const wd = this.#reader.add(this, Buffer.concat([this.#top, SLASH, rel]), SUBDIRECTORY_MASK);
    if (wd < 0) {
      // Gone again, or not a directory any more: its own events say so.
      if (wd === -errno.ENOENT || wd === -errno.ENOTDIR || wd === -errno.ELOOP) return;
      const text = Buffer.concat([this.#top, SLASH, rel]).toString();
      this.#fail(watchError(wd, text, text));
      return;
    }
    this.#dirs.set(wd, rel);
    this.#watchBelow(rel, true);
  }

  /**
   * Watches the directories below `rel` (the top for null); with
   * `announce`, reports each entry found as a 'rename': it may have come
   * before the directory was watched.
   */
  #watchBelow(rel: Buffer | null, announce: boolean): void {
    const dir = rel === null ? this.#top : Buffer.concat([this.#top, SLASH, rel]);
    let entries: { name: Buffer; isDirectory(): boolean }[];
    try {
      entries = readdirSync(dir, { withFileTypes: true, encoding: 'buffer' });
    } catch {
      return; // not a directory (a watched file), or gone: nothing below
    }
    for (const entry of entries) {
      if (this.#closed) return;
      const path = rel === null ? entry.name : Buffer.concat([rel, SLASH, entry.name]);
      if (announce) this.#push('rename', path);
      if (entry.isDirectory()) this.#watchDirectory(path);
    }
  }

  /** A directory moved out of the tree (or to another name in it): its watches end. */
  #forgetBelow(rel: Buffer): void {
    for (const [wd, dir] of this.#dirs) {
      if (dir === null) continue;
      const below =
        dir.equals(rel) ||
        (dir.length > rel.length &&
          dir[rel.length] === 0x2f &&
          dir.subarray(0, rel.length).equals(rel));
      if (!below) continue;
      this.#dirs.delete(wd);
      this.#reader.remove(this, wd);
    }
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
  queue.start(filename);
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

/**
 * What one watch of a file or a directory watches: its inotify watch
 * descriptors on the loop's shared reader (with `recursive`, one per
 * directory of the tree, kept up as directories come and go), and the
 * names its events carry, as libuv gives them. Both forms of watch use it:
 * `fs.promises.watch` queues what it reports (file-watch.ts), `fs.watch`
 * emits it (file-watcher.ts).
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
import { fileError } from './file-ops.js';
import type { InotifyReader, WatchSink } from './inotify-reader.js';

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

/** @internal What a watch does with what its tree reports. */
export interface WatchConsumer {
  /**
   * A change: `filename` is the entry's name in a watched directory (with
   * `recursive`, its path below the top), or the watched object's own name.
   */
  change(eventType: 'rename' | 'change', filename: Buffer): void;
  /** The kernel's queue overflowed: some events were lost. */
  lost(): void;
  /** The watch stopped, and nothing more will come: the loop was destroyed, or the watch failed. */
  ended(err: Error): void;
}

/** The error of a failed inotify_add_watch, as Node's `watch` words it: the path as given stays on `filename`. */
export function watchError(res: number, filename: unknown, text: string): Error {
  const err = fileError(res, 'watch', text, null);
  if (err.code === 'ENOSPC') {
    err.message = `ENOSPC: System limit for number of file watchers reached, watch '${text}'`;
  }
  return Object.assign(err, { filename });
}

/**
 * @internal One watch's descriptors on the loop's inotify reader (with,
 * for a recursive watch, each directory's path below the top), turning
 * inotify's events into libuv's `'rename'` and `'change'` for its consumer.
 */
export class WatchTree implements WatchSink {
  readonly #reader: InotifyReader;
  readonly #consumer: WatchConsumer;
  readonly #recursive: boolean;
  #persistent: boolean;
  /** The top as given, for the names of subdirectories' paths. */
  readonly #top: Buffer;
  /** The name the watched object's own events carry: the last part of its path, as libuv gives it. */
  readonly #ownName: Buffer;
  /** Watched directories by descriptor: their path below the top, `null` for the top itself. */
  readonly #dirs = new Map<number, Buffer | null>();
  #closed = false;

  constructor(
    reader: InotifyReader,
    path: Uint8Array,
    options: { recursive: boolean; persistent: boolean },
    consumer: WatchConsumer,
  ) {
    this.#reader = reader;
    this.#consumer = consumer;
    this.#recursive = options.recursive;
    this.#persistent = options.persistent;
    this.#top = Buffer.from(path);
    this.#ownName = this.#top.subarray(this.#top.lastIndexOf(0x2f) + 1);
  }

  /** Whether the watch keeps the loop alive. */
  get persistent(): boolean {
    return this.#persistent;
  }

  set persistent(persistent: boolean) {
    if (persistent === this.#persistent) return;
    this.#persistent = persistent;
    if (!this.#closed) this.#reader.persistenceChanged(this);
  }

  /** Whether the watch has stopped (closed, failed or ended by the loop). */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Starts watching: the path, and with `recursive` every directory below
   * it (no event for those). Throws the watch's error, as Node's words it
   * for `filename` (the path as given).
   */
  start(filename: unknown): void {
    const text = String(filename instanceof Uint8Array ? Buffer.from(filename) : filename);
    try {
      this.#reader.join(this);
    } catch (err) {
      this.#closed = true;
      const e = (err as { errno?: unknown }).errno;
      throw typeof e === 'number' ? watchError(e, filename, text) : err;
    }
    const wd = this.#reader.add(this, this.#top, WATCH_MASK);
    if (wd < 0) {
      this.#reader.leave(this);
      this.#closed = true;
      throw watchError(wd, filename, text);
    }
    this.#dirs.set(wd, null);
    if (this.#recursive) this.#watchBelow(null, false);
  }

  /** Stops watching, telling the consumer nothing. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const wd of this.#dirs.keys()) this.#reader.remove(this, wd);
    this.#dirs.clear();
    this.#reader.leave(this);
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
    this.#report((mask & ~CHANGE_BITS) !== 0 ? 'rename' : 'change', filename);
    // The consumer may have closed the watch on that event (a full queue).
    if (this.#closed || !this.#recursive || (mask & IN_ISDIR) === 0 || name.length === 0) return;
    if ((mask & IN_MOVED_FROM) !== 0) this.#forgetBelow(filename);
    if ((mask & (IN_CREATE | IN_MOVED_TO)) !== 0) this.#watchDirectory(filename);
  }

  lost(): void {
    if (!this.#closed) this.#consumer.lost();
  }

  ended(err: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#dirs.clear();
    this.#consumer.ended(err);
  }

  #report(eventType: 'rename' | 'change', filename: Buffer): void {
    if (!this.#closed) this.#consumer.change(eventType, filename);
  }

  /** A new directory `rel` below the top (made or moved in): watched, and what it already holds reported and watched. */
  #watchDirectory(rel: Buffer): void {
    if (this.#closed) return;
    const wd = this.#reader.add(this, Buffer.concat([this.#top, SLASH, rel]), SUBDIRECTORY_MASK);
    if (wd < 0) {
      // Gone again, or not a directory any more: its own events say so.
      if (wd === -errno.ENOENT || wd === -errno.ENOTDIR || wd === -errno.ELOOP) return;
      const text = Buffer.concat([this.#top, SLASH, rel]).toString();
      this.close();
      this.#consumer.ended(watchError(wd, text, text));
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
      if (announce) this.#report('rename', path);
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

/**
 * The loop's inotify fd, shared by every `watch` of the loop (as libuv
 * keeps one per loop: a user may have only 128 inotify fds by default, and
 * many thousands of watches): made for the first watch and closed after
 * the last, watched by an io watcher so that events are read in the
 * loop's deliver phase, and each event handed to the watches that asked
 * for its watch descriptor. Internal: `watch-tree.ts` is its user.
 *
 * @module
 */

import { errno, IN_CLOEXEC, IN_IGNORED, IN_NONBLOCK, IN_Q_OVERFLOW } from '@evring/abi';
import { closeOwned, inotifyAddWatch, inotifyInit1, inotifyRmWatch, read } from '@evring/sys';
import { loopDestroyed } from './errors.js';
import { ERROR, READ } from './events.js';
import { fileError, tiedFd } from './file-ops.js';
import type { WatcherHost } from './host.js';
import type { IoWatcher } from './watchers/io.js';

/** Bytes read from the inotify fd at a time (an event takes 16 bytes and its name). */
const READ_BYTES = 16 * 1024;
/** Reads per readiness event before the loop's other watchers get their turn. */
const READS_PER_WAKE = 16;

/** @internal What a watch tells the loop's inotify reader it wants: its events, and news of losses and of the end. */
export interface WatchSink {
  /** Whether the watch keeps the loop alive; a change is told through {@link InotifyReader.persistenceChanged}. */
  readonly persistent: boolean;
  /** An event on watch descriptor `wd`; `name` is empty for the watched object itself. */
  event(wd: number, mask: number, name: Buffer): void;
  /** The kernel's queue overflowed: some events were lost. */
  lost(): void;
  /** No more events will come: the loop was destroyed, or its inotify fd failed (`err` says which). */
  ended(err: Error): void;
}

/** An event read from the inotify fd, and the watches it goes to once resolved. */
interface InotifyEvent {
  wd: number;
  mask: number;
  name: Buffer;
  sinks: readonly WatchSink[] | null;
}

/**
 * @internal The loop's inotify fd, made for the first watch and closed
 * after the last, and which watch wants the events of each watch
 * descriptor. inotify gives the same descriptor to every watch of one
 * file, so a descriptor may serve several watches; it is removed from the
 * kernel when the last of them ends.
 */
export class InotifyReader {
  readonly #host: WatcherHost;
  #fd = -1;
  #io: IoWatcher | null = null;
  /** Watches by descriptor; arrays replaced, never changed, so a dispatch may run over one safely. */
  readonly #byWd = new Map<number, readonly WatchSink[]>();
  readonly #sinks = new Set<WatchSink>();
  /** Those of #sinks that are persistent: the fd is ref'd while any is (a set: no walk over thousands of watches). */
  readonly #persistent = new Set<WatchSink>();
  #buffer: Buffer | null = null;
  /** Events read and not yet handed out to every watch: a listener threw. */
  readonly #events: InotifyEvent[] = [];
  /** The next of #events to hand out, and the next of its watches. */
  #at = 0;
  #sinkAt = 0;
  /** Moves when the fd is closed: a hand-out under way stops (a listener closed the last watch). */
  #generation = 0;

  constructor(host: WatcherHost) {
    this.#host = host;
  }

  /** Starts serving `sink`: the fd is made (and watched by the loop) for the first. */
  join(sink: WatchSink): void {
    if (this.#fd < 0) {
      // Held by sys until tied to this thread, so that a worker ending
      // here leaves no fd behind.
      const fd = tiedFd(inotifyInit1(IN_NONBLOCK | IN_CLOEXEC, true), 'watch', '');
      try {
        this.#io = this.#host.loop
          .io(fd, READ, (_w, revents) => this.#readAll(revents), { ref: false })
          .start();
      } catch (err) {
        closeOwned(fd);
        throw err;
      }
      this.#fd = fd;
    }
    this.#sinks.add(sink);
    if (sink.persistent) this.#persistent.add(sink);
    this.#updateRef();
  }

  /** Stops serving `sink` (its descriptors must be removed first); the fd is closed after the last. */
  leave(sink: WatchSink): void {
    if (!this.#sinks.delete(sink)) return;
    this.#persistent.delete(sink);
    if (this.#sinks.size > 0) {
      this.#updateRef();
      return;
    }
    this.#io?.stop();
    this.#io = null;
    closeOwned(this.#fd);
    this.#fd = -1;
    this.#byWd.clear();
    this.#forgetEvents(); // their descriptors meant something on this fd only
  }

  /** `sink.persistent` changed (a watcher's ref() or unref()). */
  persistenceChanged(sink: WatchSink): void {
    if (!this.#sinks.has(sink)) return;
    if (sink.persistent) this.#persistent.add(sink);
    else this.#persistent.delete(sink);
    this.#updateRef();
  }

  /** inotify_add_watch(2) for `sink`; the descriptor, or the kernel's error as `-errno`. */
  add(sink: WatchSink, path: Uint8Array, mask: number): number {
    let wd: number;
    try {
      wd = inotifyAddWatch(this.#fd, path, mask);
    } catch (err) {
      const e = (err as { errno?: unknown }).errno;
      if (typeof e === 'number') return e;
      throw err;
    }
    const sinks = this.#byWd.get(wd) ?? [];
    if (!sinks.includes(sink)) this.#byWd.set(wd, [...sinks, sink]);
    return wd;
  }

  /** Ends `sink`'s interest in `wd`: the kernel's watch goes when no watch wants it. */
  remove(sink: WatchSink, wd: number): void {
    const sinks = this.#byWd.get(wd);
    if (sinks === undefined || !sinks.includes(sink)) return;
    if (sinks.length > 1) {
      this.#byWd.set(
        wd,
        sinks.filter((s) => s !== sink),
      );
      return;
    }
    this.#byWd.delete(wd);
    try {
      inotifyRmWatch(this.#fd, wd);
    } catch {
      // EINVAL: the kernel ended it already (the file went); its IN_IGNORED finds no one.
    }
  }

  /** The loop is being destroyed: the fd is closed and every watch told. */
  destroy(): void {
    this.#endAll(loopDestroyed('watch'));
  }

  /** Ends every watch with `err` and closes the fd (the next watch makes another). */
  #endAll(err: Error): void {
    const sinks = [...this.#sinks];
    this.#sinks.clear();
    this.#persistent.clear();
    this.#byWd.clear();
    this.#forgetEvents(); // their descriptors meant something on this fd only
    this.#io?.stop();
    this.#io = null;
    if (this.#fd >= 0) closeOwned(this.#fd);
    this.#fd = -1;
    for (const sink of sinks) sink.ended(err);
  }

  #forgetEvents(): void {
    this.#generation++;
    this.#events.length = 0;
    this.#at = 0;
    this.#sinkAt = 0;
  }

  /** The fd keeps the loop alive while any watch is persistent. */
  #updateRef(): void {
    if (this.#persistent.size > 0) this.#io?.ref();
    else this.#io?.unref();
  }

  /**
   * Reads what the kernel has queued (the io watcher is level-triggered:
   * more comes next time), and hands it out. An fd the backend refuses
   * (ERROR), or a read that fails otherwise than EAGAIN, ends every watch
   * with the error rather than leave them waiting for events that cannot
   * come.
   */
  #readAll(revents: number): void {
    if ((revents & ERROR) !== 0) {
      this.#endAll(fileError(-errno.EBADF, 'watch', null, null));
      return;
    }
    this.#deliver(); // what a listener that threw left
    this.#buffer ??= Buffer.allocUnsafe(READ_BYTES);
    for (let i = 0; i < READS_PER_WAKE && this.#fd >= 0; i++) {
      const n = read(this.#fd, this.#buffer, 0, READ_BYTES);
      if (n === -errno.EINTR) continue;
      if (n === -errno.EAGAIN) return; // all read
      if (n <= 0) {
        this.#endAll(fileError(n < 0 ? n : -errno.EIO, 'watch', null, null));
        return;
      }
      this.#parse(this.#buffer, n);
      this.#deliver();
    }
  }

  /** Queues each event in `bytes[0, n)`. */
  #parse(bytes: Buffer, n: number): void {
    for (let at = 0; at + 16 <= n; ) {
      const wd = bytes.readInt32LE(at);
      const mask = bytes.readUInt32LE(at + 4);
      const len = bytes.readUInt32LE(at + 12);
      const start = at + 16;
      at = start + len;
      const end = len === 0 ? start : bytes.indexOf(0, start);
      const name = Buffer.from(bytes.subarray(start, end < 0 || end > at ? at : end));
      this.#events.push({ wd, mask, name, sinks: null });
    }
  }

  /**
   * Hands each queued event to the watches of its descriptor (an overflow
   * to every watch). A listener that throws costs no one an event: the
   * exception goes to the loop (its error listeners, attached; the caller
   * of run(), standalone), and the io watcher is fed so that the loop
   * hands out the rest right after, from the next watch on.
   */
  #deliver(): void {
    const events = this.#events;
    const generation = this.#generation;
    try {
      while (this.#at < events.length) {
        const e = events[this.#at]!;
        e.sinks ??= this.#sinksOf(e);
        while (this.#sinkAt < e.sinks.length) {
          const sink = e.sinks[this.#sinkAt++]!;
          if ((e.mask & IN_Q_OVERFLOW) !== 0) sink.lost();
          else sink.event(e.wd, e.mask, e.name);
          if (this.#generation !== generation) return; // the fd was closed: the rest is gone with it
        }
        this.#sinkAt = 0;
        this.#at++;
      }
    } catch (err) {
      if (this.#io !== null && this.#at < events.length) this.#host.loop.feedEvent(this.#io, READ);
      throw err;
    }
    this.#forgetEvents();
  }

  /** The watches an event goes to, as they are when it is handed out; a descriptor is forgotten at its IN_IGNORED. */
  #sinksOf(e: InotifyEvent): readonly WatchSink[] {
    if ((e.mask & IN_Q_OVERFLOW) !== 0) return [...this.#sinks];
    const sinks = this.#byWd.get(e.wd);
    if (sinks === undefined) return []; // a watch that ended; its last events
    if ((e.mask & IN_IGNORED) !== 0) this.#byWd.delete(e.wd);
    return sinks;
  }
}

/**
 * The machinery under `loop.fs`: operation slots, their pinned bounce
 * memory, submission to the Poller, and delivery in the loop's deliver
 * phase. The public methods live in files.ts; this module knows nothing of
 * argument shapes, only of what one operation needs.
 *
 * A slot is reused from a free list, so a steady stream of operations
 * allocates nothing: its bounce buffer (pinned, grown when needed) carries
 * the bytes of a caller's non-pinned buffer, a path, or a statx answer.
 *
 * @module
 */

import { getSystemErrorMap } from 'node:util';
import {
  errnoMessage,
  readStatx,
  readStatxBigInt,
  type SystemCallError,
  systemError,
} from '@evring/abi';
import {
  OP_OPENAT,
  OP_READ,
  type OpCode,
  ownedFd,
  type PinnedMemory,
  type Poller,
  realSys,
  STATX_SIZE,
} from '@evring/backend';
import { claimFd, pinnedAlloc, pinnedFree, close as sysClose } from '@evring/sys';
import { AbortGroups } from './abort-groups.js';
import { abortError, loopDestroyed } from './errors.js';
import { BigIntFileStats, FileStats } from './file-stats.js';
import type { WatcherHost } from './host.js';
import type { Deliverable } from './pending.js';

/** @internal What `LoopFiles.openAt` is given in place of a callback by the promise form. */
export const PROMISE_FORM: unique symbol = Symbol('promise form');

/**
 * An error from a file operation, shaped like Node's: `code`, `errno`,
 * `syscall`, and `path` (and `dest` for a rename) where the call has one,
 * and Node's message (`ENOENT: no such file or directory, open '/x'`).
 *
 * @example
 * ```ts
 * import { Loop, type FileSystemError } from '@evring/loop';
 * try {
 *   await new Loop().fs.promises.stat('/nonexistent');
 * } catch (err) {
 *   const e = err as FileSystemError;
 *   console.log(e.code, e.syscall, e.path); // ENOENT stat /nonexistent
 * }
 * ```
 */
export interface FileSystemError extends SystemCallError {
  path?: string;
  dest?: string;
}

/** @internal What a slot's completion becomes for its caller. */
export const enum Outcome {
  /** Bytes moved (read, write, readv, writev). */
  Bytes,
  /** A new fd (open). */
  Fd,
  /** Nothing (close, fsync, rename, ...). */
  Void,
  /** A FileStats (stat). */
  Stats,
  /** A BigIntFileStats (stat with `{ bigint: true }`). */
  BigStats,
  /** A new fd tied to this thread (sys's ownFd), for the steps of a callback form's task (file-tasks.ts). */
  TiedFd,
  /** What a call made directly at the call gave, kept beside its slot: see {@link FileOps.later}. */
  Direct,
}

/** @internal The largest operation through a bounce buffer: the size of one pinned block. */
export const MAX_BOUNCE = 1 << 20;

/** @internal The empty buffer slots hold when they hold no caller's buffer. */
const NO_BYTES = new Uint8Array(0);
export const EMPTY = NO_BYTES;
// Locals for the per-operation path: V8 folds a module-local const into the
// code, but reads an exported binding (an enum's object too, as TypeScript
// emits one under isolatedModules) through its module cell at every use.
const BYTES = Outcome.Bytes;
const EMPTY_WORDS = new Uint32Array(0);
const NUL = 0;

/** @internal One operation slot: reused, so the callback form allocates nothing in a steady state. */
export class OpSlot {
  // The fields every read or write touches come first, so that they share
  // as few cache lines as V8's in-object layout (declaration order) allows:
  // between one batch and the next the kernel's copies evict them, and
  // each line is then a miss per operation.
  code: OpCode = OP_READ;
  outcome: Outcome = Outcome.Bytes;
  res = 0;
  /** The completion came and is waiting for the deliver phase. */
  completed = false;
  // biome-ignore lint/suspicious/noExplicitAny: the value's type depends on `outcome`
  callback: ((err: FileSystemError | null, value: any) => void) | null = null;
  resolve: ((value: unknown) => void) | null = null;
  reject: ((err: unknown) => void) | null = null;
  signal: AbortSignal | null = null;
  /** The caller's buffer when it is not pinned (copied through `bounce`). */
  user: Uint8Array = EMPTY;
  /**
   * The caller's buffers of a readv through `bounce`, as the call named
   * them (its array may change meanwhile), filled in order; null for any
   * other operation. Reused: see {@link keepVectors}.
   */
  vectors: Uint8Array[] | null = null;
  /** Each of `vectors`' lengths at the call: where its bytes start and end in `bounce`. */
  readonly vectorLengths: number[] = [];
  readonly #keptVectors: Uint8Array[] = [];
  readonly token: number;
  syscall = 'read';
  path: string | null = null;
  dest: string | null = null;
  bounce: PinnedMemory | null = null;
  /** All of `bounce`, viewed once: copies in and out make no view per operation. */
  bytes: Uint8Array = EMPTY;
  /** All of `bounce` as 32-bit words, where a readv or writev writes its iovec array. */
  words: Uint32Array = EMPTY_WORDS;
  /** Where in `bounce` a statx answer lands. */
  statxAt = 0;
  constructor(token: number) {
    this.token = token;
  }

  /** Keeps a readv's buffers and their lengths as they are now, in arrays of the slot's own. */
  keepVectors(views: readonly Uint8Array[]): void {
    const kept = this.#keptVectors;
    const lengths = this.vectorLengths;
    for (let i = 0; i < views.length; i++) {
      kept[i] = views[i]!;
      lengths[i] = views[i]!.byteLength;
    }
    kept.length = views.length;
    lengths.length = views.length;
    this.vectors = kept;
  }

  /** Lets go of the caller's buffers (the slot is free again). */
  dropVectors(): void {
    this.#keptVectors.length = 0;
    this.vectors = null;
  }

  /** A pinned buffer of at least `size` bytes (at most {@link MAX_BOUNCE}), this slot's own. */
  bounceFor(size: number): PinnedMemory {
    if (this.bounce === null || this.bounce.buffer.byteLength < size) {
      if (this.bounce !== null) pinnedFree(this.bounce.buffer);
      // Whole pages: the block is also seen as 32-bit words (an iovec array,
      // a statx), which needs a length that is a multiple of 4.
      this.bounce = pinnedAlloc(Math.min(MAX_BOUNCE, Math.ceil(Math.max(size, 1) / 4096) * 4096));
      this.bytes = new Uint8Array(this.bounce.buffer);
      this.words = new Uint32Array(this.bounce.buffer);
    }
    return this.bounce;
  }

  /** Writes `path` (then `dest`) NUL-terminated into the bounce buffer; returns where the second starts. */
  putPaths(path: Uint8Array, dest: Uint8Array | null, statx: boolean): number {
    const second = path.length + 1;
    const end = second + (dest === null ? 0 : dest.length + 1);
    this.statxAt = (end + 7) & ~7;
    this.bounceFor(statx ? this.statxAt + STATX_SIZE : end);
    this.bytes.set(path, 0);
    this.bytes[path.length] = NUL;
    if (dest !== null) {
      this.bytes.set(dest, second);
      this.bytes[second + dest.length] = NUL;
    }
    return second;
  }
}

/**
 * @internal Slots, submission and delivery for one loop. The completions a
 * poll brings wait in a list of their own, and the loop's pending queue
 * holds this object once for all of them (at priority 0): delivering one is
 * then a step through that list, in the order the kernel completed them.
 */
export class FileOps implements Deliverable {
  // What the pending queues need (see pending.ts): delivered at priority 0.
  _pending = 0;
  _pendingQueue = 0;
  _queue = 2;
  readonly #host: WatcherHost;
  readonly #attached: boolean;
  /** Operations started and not yet delivered (a slot taken but refused, or lost to a throw before it started, is not one). */
  #active = 0;
  /** Completed slots waiting for the deliver phase: those from #doneAt to #doneCount. */
  readonly #done: (OpSlot | null)[] = [];
  #doneAt = 0;
  #doneCount = 0;
  #poller: Poller | null = null;
  readonly #slots: OpSlot[] = [];
  readonly #free: OpSlot[] = [];
  #destroyed = false;
  /** Promises settled so far: an attached tick that settled some lets their continuations run before it syncs. */
  settled = 0;
  /**
   * An attached loop was told that operations wait to be handed to the
   * kernel, and has not handed them over yet ({@link synced} clears it):
   * the operations started meanwhile go with them, without telling it
   * again (a call into the loop for each).
   */
  #syncAsked = false;

  constructor(host: WatcherHost) {
    this.#host = host;
    this.#attached = host.loop.attached;
  }

  bind(poller: Poller): void {
    this.#poller = poller;
  }

  /**
   * Operations submitted and not yet delivered; none once the loop is
   * destroyed (they were dropped). Each keeps the loop alive: the loop adds
   * this to its count of referenced watchers where it reads that count,
   * instead of each operation calling into the loop as it starts and ends.
   */
  get inFlight(): number {
    return this.#destroyed ? 0 : this.#active;
  }

  /** Throws when the loop is destroyed, as {@link take} does, for a call that takes no slot (a direct syscall). */
  checkLive(syscall: string): void {
    if (this.#destroyed) throw loopDestroyed(`fs.${syscall}()`);
  }

  /** A free slot set up for `code`; throws when the loop is destroyed. */
  take(code: OpCode, syscall: string, outcome: Outcome): OpSlot {
    if (this.#destroyed) throw loopDestroyed(`fs.${syscall}()`); // set as the loop's destroy() begins
    const slot = this.#free.pop() ?? this.#newSlot();
    slot.code = code;
    slot.syscall = syscall;
    slot.outcome = outcome;
    return slot;
  }

  /** Hands a slot that was taken but not started back (its arguments were refused). */
  giveBack(slot: OpSlot): void {
    this.#clear(slot);
    this.#free.push(slot);
  }

  /**
   * Starts the slot's operation on the Poller. `mem` is pinned memory the
   * kernel uses (the slot's bounce buffer when null).
   */
  start(
    slot: OpSlot,
    fd: number,
    mem: PinnedMemory | null,
    offset: number,
    length: number,
    position: number,
  ): void {
    const m = mem ?? slot.bounceFor(1);
    try {
      // The loop makes every operation's arguments itself, in range of its
      // own blocks, so the Poller does not check them again. What can change
      // behind its back is a block freed through sys (its record's size is
      // then 0): that goes through the Poller's check, whose RangeError
      // refuses it.
      if (m.size !== 0) {
        this.#poller!.submitCheckedOp(slot.code, fd, m, offset, length, position, slot.token);
      } else this.#poller!.submitOp(slot.code, fd, m, offset, length, position, slot.token);
    } catch (err) {
      this.giveBack(slot);
      throw err;
    }
    if (slot.signal !== null) this.#listen(slot);
    // In flight, it keeps the loop alive: the loop adds #active to its
    // count where it reads it. An attached loop hands it to the kernel
    // before Node sleeps; it is told once for all started until then.
    this.#active++;
    if (this.#attached && !this.#syncAsked) {
      this.#syncAsked = true;
      this.#host.changed(0);
    }
  }

  /** The attached loop is handing its changes to the kernel: the next operation started tells it again. */
  synced(): void {
    this.#syncAsked = false;
  }

  #listen(slot: OpSlot): void {
    this.#aborts.add(slot.signal!, slot);
  }

  /**
   * A call made at once on the loop's thread (one with no kernel
   * operation: access(2), chmod(2), …), its callback delivered as an
   * operation's is: from the next poll, in the deliver phase, never from
   * the call; in flight until then, it keeps the loop alive. `call` makes
   * the call: what it returns is the callback's value, and an error it
   * throws (the syscall's) the callback's error. Throws, calling nothing,
   * when the loop is destroyed.
   */
  later<T>(
    syscall: string,
    callback: (err: FileSystemError | null, value: T | undefined) => void,
    call: () => T,
  ): void {
    const slot = this.take(OP_READ, syscall, Outcome.Direct);
    // Kept beside the slot, not in it: the slot's shape (and its place in
    // the cache lines every read and write touches) stays as it was.
    try {
      this.#directValues[slot.token] = call();
    } catch (err) {
      this.#directErrors[slot.token] = err as FileSystemError;
    }
    slot.callback = callback;
    this.#poller!.completeLater(slot.token, 0);
    this.#active++;
    if (this.#attached && !this.#syncAsked) {
      this.#syncAsked = true;
      this.#host.changed(0);
    }
  }

  /** What each direct call's slot (by its token) gave: its value, or its error (see {@link later}). */
  readonly #directValues: unknown[] = [];
  readonly #directErrors: (FileSystemError | null)[] = [];

  /** The slots in flight per AbortSignal, one listener each (see abort-groups). */
  readonly #aborts = new AbortGroups<OpSlot>((slot) => this.abort(slot));

  /**
   * Starts the slot's operation as {@link start} does, giving a promise
   * settled by its delivery; `signal` aborts it (ASYNC_CANCEL). The
   * executor is one function made once, not a closure per call.
   */
  promise<T>(
    slot: OpSlot,
    signal: AbortSignal | null,
    fd: number,
    mem: PinnedMemory | null,
    offset: number,
    length: number,
    position: number,
  ): Promise<T> {
    if (signal?.aborted) {
      this.giveBack(slot);
      return Promise.reject(abortError(signal));
    }
    this.#capturing = slot;
    const promise = new Promise<T>(this.#capture);
    this.#capturing = null;
    slot.signal = signal;
    try {
      this.start(slot, fd, mem, offset, length, position);
    } catch (err) {
      return Promise.reject(err);
    }
    return promise;
  }

  /** The slot {@link promise} is making a promise for. */
  #capturing: OpSlot | null = null;
  readonly #capture = (resolve: (value: never) => void, reject: (err: unknown) => void): void => {
    const slot = this.#capturing;
    if (slot === null) return;
    slot.resolve = resolve as (value: unknown) => void;
    slot.reject = reject;
  };

  /** The Poller's completion handler: the slot is delivered in the loop's deliver phase. */
  readonly complete = (token: number, res: number): void => {
    const slot = this.#slots[token];
    if (slot === undefined) return;
    if (this.#destroyed) {
      // The loop is gone: nobody takes a new fd.
      if (slot.code === OP_OPENAT && res >= 0) sysClose(res);
      return;
    }
    slot.res = res;
    slot.completed = true;
    this.#done[this.#doneCount++] = slot;
    if (this._pending === 0) this.#host.pending.feed(this, 0);
  };

  /**
   * The deliver phase reached the completions: each is delivered, in
   * order. A callback that throws leaves the rest waiting, and this object
   * queued again for them; one that runs the loop itself (a nested run)
   * delivers the rest from where this stopped.
   */
  _invoke(): void {
    const done = this.#done;
    try {
      while (this.#doneAt < this.#doneCount) {
        const slot = done[this.#doneAt]!;
        done[this.#doneAt++] = null;
        this.deliver(slot);
      }
      this.#doneAt = 0;
      this.#doneCount = 0;
    } finally {
      if (this.#doneAt < this.#doneCount && this._pending === 0 && !this.#destroyed) {
        this.#host.pending.feed(this, 0);
      }
    }
  }

  /** Asks the kernel to cancel the slot's operation. */
  abort(slot: OpSlot): void {
    this.#poller?.cancelOp(slot.token);
    this.#host.changed(0); // an attached loop hands the cancel to the kernel before Node sleeps
  }

  /**
   * Runs a slot's callback or settles its promise, then frees the slot.
   * The common case only: small enough for V8 to inline into the deliver
   * phase's loop; the rest is {@link deliverOther}'s.
   */
  deliver(slot: OpSlot): void {
    const res = slot.res;
    if (
      res >= 0 &&
      slot.outcome === BYTES &&
      slot.user === NO_BYTES &&
      slot.vectors === null &&
      slot.signal === null
    ) {
      // The common case, kept short: bytes moved in the caller's own pinned memory.
      const { callback, resolve } = slot;
      slot.callback = null;
      slot.resolve = null;
      slot.reject = null;
      slot.completed = false;
      this.#free.push(slot);
      this.#active--;
      if (callback !== null) callback(null, res);
      else if (resolve !== null) {
        this.settled++;
        resolve(res);
      }
      return;
    }
    this.deliverOther(slot, res);
  }

  /** {@link deliver} of an error, a copy out of a bounce buffer, a value other than a count, or an abortable promise. */
  deliverOther(slot: OpSlot, res: number): void {
    const { callback, resolve, reject, signal, outcome, code } = slot;
    if (outcome === Outcome.Direct) {
      const value = this.#directValues[slot.token];
      const error = this.#directErrors[slot.token] ?? null;
      this.#directValues[slot.token] = undefined;
      this.#directErrors[slot.token] = null;
      this.#clear(slot);
      this.#free.push(slot);
      this.#active--;
      // As Node's callbacks are called: the error alone, or null alone when there is no value.
      if (error !== null || value === undefined) (callback as (err: unknown) => void)(error);
      else callback!(null, value);
      return;
    }
    let value: unknown = res;
    let err: FileSystemError | null = null;
    if (res < 0) err = this.#error(slot, res);
    else if (code === OP_READ && slot.vectors !== null)
      scatter(slot.bytes, res, slot.vectors, slot.vectorLengths);
    else if (code === OP_READ && slot.user !== EMPTY && res > 0)
      copyOut(slot.bytes, 0, res, slot.user);
    else if (outcome === Outcome.Stats) {
      value = new FileStats(readStatx(new DataView(slot.bounce!.buffer), slot.statxAt));
    } else if (outcome === Outcome.BigStats) {
      value = new BigIntFileStats(readStatxBigInt(new DataView(slot.bounce!.buffer), slot.statxAt));
    } else if (outcome === Outcome.Void) value = undefined;
    else if (outcome === Outcome.TiedFd) {
      // Tied to this thread from sys's hold, with no moment between; EMFILE
      // (no room for the tie's duplicate: res is closed) is the open's error.
      try {
        tiedFd(res, slot.syscall, slot.path ?? '');
      } catch (tieErr) {
        err = tieErr as FileSystemError;
      }
    }
    if (signal !== null) this.#aborts.remove(signal, slot);
    this.#clear(slot);
    this.#free.push(slot);
    this.#active--;
    if (signal?.aborted && reject !== null) {
      // The cancel lost the race: an fd it opened is closed, not leaked.
      if (code === OP_OPENAT && res >= 0) sysClose(res);
      this.settled++;
      reject(abortError(signal));
      return;
    }
    if (callback !== null) {
      // The caller takes the fd (sys held it since the open: Poller.submitOp).
      if (outcome === Outcome.Fd && err === null) claimFd(res);
      const none =
        outcome === Outcome.Stats || outcome === Outcome.BigStats
          ? null
          : outcome === Outcome.Void
            ? undefined
            : outcome === Outcome.Fd || outcome === Outcome.TiedFd
              ? -1
              : 0;
      callback(err, err ? none : value);
    } else if (resolve !== null) {
      this.settled++;
      if (err !== null) reject?.(err);
      else resolve(value);
    }
  }

  /** The loop is being destroyed: promises in flight reject; callbacks are dropped; fds opened meanwhile are closed. */
  destroy(): void {
    this.#destroyed = true;
    this.#done.length = 0;
    this.#directValues.length = 0; // the dropped callbacks' answers
    this.#directErrors.length = 0;
    this.#doneAt = 0;
    this.#doneCount = 0;
    for (const slot of this.#slots) {
      if (slot.completed && slot.code === OP_OPENAT && slot.res >= 0) sysClose(slot.res);
      if (slot.reject !== null) slot.reject(loopDestroyed(`fs.${slot.syscall}()`));
      if (slot.signal !== null) this.#aborts.remove(slot.signal, slot);
      this.#clear(slot);
      // sys keeps the memory until the kernel is done with it.
      if (slot.bounce !== null) pinnedFree(slot.bounce.buffer);
      slot.bounce = null;
      slot.bytes = EMPTY;
      slot.words = EMPTY_WORDS;
    }
  }

  #clear(slot: OpSlot): void {
    slot.callback = null;
    slot.resolve = null;
    slot.reject = null;
    slot.signal = null;
    slot.user = EMPTY;
    if (slot.vectors !== null) slot.dropVectors();
    slot.path = null;
    slot.dest = null;
    slot.completed = false;
  }

  #error(slot: OpSlot, res: number): FileSystemError {
    return fileError(res, slot.syscall, slot.path, slot.dest);
  }

  #newSlot(): OpSlot {
    const slot = new OpSlot(this.#slots.length);
    this.#slots.push(slot);
    return slot;
  }
}

/** libuv's description of each errno it knows, as Node's messages use them. */
const UV_ERRORS: ReadonlyMap<number, [string, string]> = getSystemErrorMap();

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** @internal The error of a file operation: errno `res` of `syscall`, with its path (and a rename's dest). */
export function fileError(
  res: number,
  syscall: string,
  path: string | null,
  dest: string | null,
): FileSystemError {
  const err = systemError(res, syscall) as FileSystemError;
  // Node's own wording, word for word: libuv's name and description, the
  // call and its paths. The names differ for one errno: 95 is ENOTSUP to
  // libuv (and Node), EOPNOTSUPP to the kernel's headers.
  const known = UV_ERRORS.get(err.errno);
  if (known !== undefined) err.code = known[0];
  const description = known?.[1] ?? lowerFirst(errnoMessage(res));
  const paths = path === null ? '' : ` '${path}'${dest === null ? '' : ` -> '${dest}'`}`;
  err.message = `${err.code}: ${description}, ${syscall}${paths}`;
  if (path !== null) err.path = path;
  if (dest !== null) err.dest = dest;
  return err;
}

/**
 * @internal `fd`, just opened and held by sys, tied to this thread (a
 * worker that ends with it open does not leave it). When the tie's private
 * duplicate finds no free number (EMFILE; `fd` is then closed), the error
 * is the open's own: `syscall` on `path`, as where the open found none.
 */
export function tiedFd(fd: number, syscall: string, path: string): number {
  try {
    return ownedFd(realSys, fd);
  } catch (err) {
    const errno = (err as { errno?: unknown }).errno;
    throw typeof errno === 'number' ? fileError(errno, syscall, path, null) : err;
  }
}

/**
 * Copies `count` bytes of `from` into `to`'s buffers in order (a readv's
 * result), each buffer taking the length it had at the call.
 */
function scatter(
  from: Uint8Array,
  count: number,
  to: readonly Uint8Array[],
  lengths: readonly number[],
): void {
  let at = 0;
  for (let i = 0; i < to.length && at < count; i++) {
    const n = Math.min(lengths[i]!, count - at);
    copyOut(from, at, n, to[i]!);
    at += n;
  }
}

/**
 * Copies `from[at, at + n)` to the start of the caller's `to`, as much of it
 * as `to` still holds: a buffer transferred to another thread (detached) or
 * shrunk (a resizable ArrayBuffer) since the call takes less or nothing, as
 * the kernel read it into sys's memory, not the caller's. The result still
 * counts what was read: the file's offset moved by that much.
 */
function copyOut(from: Uint8Array, at: number, n: number, to: Uint8Array): void {
  const room = Math.min(n, to.byteLength); // 0 when detached or out of bounds
  if (room <= 0) return;
  to.set(at === 0 && room === from.length ? from : from.subarray(at, at + room));
}

/** @internal What a buffer argument may be, as Node's ERR_INVALID_ARG_TYPE words it. */
export const VIEW_TYPES = 'an instance of Buffer, TypedArray, or DataView';

/** @internal A view's bytes: the view when it is a Uint8Array, else a new one over its memory. */
export function bytesOfView(view: ArrayBufferView): Uint8Array {
  if (view instanceof Uint8Array) return view;
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

/** @internal Copies `from`'s buffers into `to` in order (a writev's bytes); returns the bytes copied. */
export function gather(from: readonly Uint8Array[], to: Uint8Array): number {
  let at = 0;
  for (const v of from) {
    const n = Math.min(v.byteLength, to.byteLength - at);
    to.set(n === v.byteLength ? v : v.subarray(0, n), at);
    at += n;
    if (at === to.byteLength) break;
  }
  return at;
}

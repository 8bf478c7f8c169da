/**
 * File operations on the loop (`loop.fs`): read, write, fsync and
 * fdatasync, each with a callback form and a promise form. The kernel does
 * them (io_uring on a ring set up with DEFER_TASKRUN) or the backend's
 * Poller emulates them with a direct syscall (regular files); either way
 * the callback runs in the loop's deliver phase, at priority 0, and an
 * operation in flight keeps the loop alive as an active watcher does.
 *
 * Memory: the kernel may only touch pinned memory. A buffer from
 * `loop.fs.alloc()` is pinned: operations on it copy nothing. Any other
 * `Uint8Array` goes through a pinned bounce buffer kept per operation
 * slot, so a steady stream of same-sized operations allocates nothing.
 *
 * @module
 */

import { type SystemCallError, systemError } from '@evring/abi';
import {
  OP_FDATASYNC,
  OP_FSYNC,
  OP_READ,
  OP_WRITE,
  type OpCode,
  type PinnedMemory,
  type Poller,
} from '@evring/backend';
import { pinnedAlloc, pinnedFree } from '@evring/sys';
import { abortError, checkFunction, checkInt, invalidType, loopDestroyed } from './errors.js';
import type { WatcherHost } from './host.js';

/**
 * Called once when a file operation ends: an error shaped like Node's (`code`,
 * `errno`, `syscall`) or null, and the bytes moved (0 for a sync).
 *
 * @example
 * ```ts
 * import { Loop, type FileCallback } from '@evring/loop';
 * const done: FileCallback = (err, bytes) => {
 *   if (err) console.error(err.code, err.syscall);
 *   else console.log('moved', bytes, 'bytes');
 * };
 * new Loop().fs.fsync(1, done);
 * ```
 */
export type FileCallback = (err: SystemCallError | null, bytes: number) => void;

/**
 * Options of the promise forms.
 *
 * @example
 * ```ts
 * import { Loop, type FileOpOptions } from '@evring/loop';
 * const loop = new Loop();
 * const options: FileOpOptions = { signal: AbortSignal.timeout(1000) };
 * await loop.fs.promises.fsync(1, options);
 * ```
 */
export interface FileOpOptions {
  /** Aborting asks the kernel to cancel; the promise rejects with an AbortError. */
  signal?: AbortSignal;
}

const SYSCALLS = ['read', 'write', 'fsync', 'fdatasync'] as const;
const EMPTY = new Uint8Array(0);

/** One operation slot: reused, so the callback form allocates nothing in a steady state. */
class OpSlot {
  // What the pending queues need (see pending.ts): delivered at priority 0.
  _pending = 0;
  _pendingQueue = 0;
  _queue = 2;
  readonly token: number;
  readonly #files: LoopFiles;
  code: OpCode = OP_READ;
  callback: FileCallback | null = null;
  resolve: ((bytes: number) => void) | null = null;
  reject: ((err: unknown) => void) | null = null;
  signal: AbortSignal | null = null;
  /** The caller's buffer when it is not pinned (copied through `bounce`). */
  user: Uint8Array = EMPTY;
  bounce: PinnedMemory | null = null;
  /** All of `bounce`, viewed once: copies in and out make no view per operation. */
  bytes: Uint8Array = EMPTY;
  res = 0;
  readonly onAbort = (): void => this.#files.abort(this);

  constructor(token: number, files: LoopFiles) {
    this.token = token;
    this.#files = files;
  }

  /** A pinned buffer of at least `size` bytes, this slot's own. */
  bounceFor(size: number): PinnedMemory {
    if (this.bounce === null || this.bounce.buffer.byteLength < size) {
      if (this.bounce !== null) pinnedFree(this.bounce.buffer);
      this.bounce = pinnedAlloc(Math.max(size, 4096));
      this.bytes = new Uint8Array(this.bounce.buffer);
    }
    return this.bounce;
  }

  _invoke(): void {
    this.#files.deliver(this);
  }
}

/**
 * The loop's file operations. Reached as `loop.fs`.
 *
 * @example
 * ```ts
 * import { openSync } from 'node:fs';
 * import { Loop } from '@evring/loop';
 * const loop = new Loop();
 * const fd = openSync('/etc/hostname', 'r');
 * const buf = loop.fs.alloc(4096); // pinned: the kernel reads straight into it
 * loop.fs.read(fd, buf, 0, (err, n) => console.log(err ?? buf.subarray(0, n).toString()));
 * const n = await loop.fs.promises.read(fd, Buffer.alloc(64), 0); // any Uint8Array works too
 * ```
 */
export class LoopFiles {
  readonly #host: WatcherHost;
  #poller: Poller | null = null;
  readonly #slots: OpSlot[] = [];
  readonly #free: OpSlot[] = [];
  /** Pinned buffers from alloc(), by their ArrayBuffer. */
  readonly #pinned = new WeakMap<ArrayBuffer, PinnedMemory>();
  /** The promise forms: the same operations, resolving with the bytes moved. */
  readonly promises: {
    read(
      fd: number,
      buffer: Uint8Array,
      position: number | null,
      options?: FileOpOptions,
    ): Promise<number>;
    write(
      fd: number,
      buffer: Uint8Array,
      position: number | null,
      options?: FileOpOptions,
    ): Promise<number>;
    fsync(fd: number, options?: FileOpOptions): Promise<void>;
    fdatasync(fd: number, options?: FileOpOptions): Promise<void>;
  };

  /** @internal Made by the loop. */
  constructor(host: WatcherHost) {
    this.#host = host;
    this.promises = {
      read: (fd, buffer, position, options) =>
        this.#promise(OP_READ, fd, buffer, position, options),
      write: (fd, buffer, position, options) =>
        this.#promise(OP_WRITE, fd, buffer, position, options),
      fsync: (fd, options) => this.#promise(OP_FSYNC, fd, EMPTY, 0, options).then(() => {}),
      fdatasync: (fd, options) => this.#promise(OP_FDATASYNC, fd, EMPTY, 0, options).then(() => {}),
    };
  }

  /** @internal The poller operations go to (made after this object: its handler is {@link complete}). */
  bind(poller: Poller): void {
    this.#poller = poller;
  }

  /**
   * A `Buffer` of `size` bytes (1 byte … 1 MiB) over pinned memory: reads
   * and writes on it go to the kernel without a copy. Freed by the garbage
   * collector, but never while an operation still uses it.
   */
  alloc(size: number): Buffer {
    checkInt('size', size, 1, 1 << 20);
    const mem = pinnedAlloc(size);
    this.#pinned.set(mem.buffer, mem);
    return Buffer.from(mem.buffer, 0, size);
  }

  /** Reads into `buffer` at file `position` (null: the file's offset); `callback(err, bytesRead)`. */
  read(fd: number, buffer: Uint8Array, position: number | null, callback: FileCallback): void {
    this.#submit(OP_READ, fd, buffer, position, checkFunction('callback', callback), null);
  }

  /** Writes `buffer` at file `position` (null: the file's offset); `callback(err, bytesWritten)`. */
  write(fd: number, buffer: Uint8Array, position: number | null, callback: FileCallback): void {
    this.#submit(OP_WRITE, fd, buffer, position, checkFunction('callback', callback), null);
  }

  /** fsync(2); `callback(err, 0)`. */
  fsync(fd: number, callback: FileCallback): void {
    this.#submit(OP_FSYNC, fd, EMPTY, 0, checkFunction('callback', callback), null);
  }

  /** fdatasync(2); `callback(err, 0)`. */
  fdatasync(fd: number, callback: FileCallback): void {
    this.#submit(OP_FDATASYNC, fd, EMPTY, 0, checkFunction('callback', callback), null);
  }

  /** Operations submitted and not yet delivered. */
  get inFlight(): number {
    return this.#slots.length - this.#free.length;
  }

  #promise(
    code: OpCode,
    fd: number,
    buffer: Uint8Array,
    position: number | null,
    options: FileOpOptions = {},
  ): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const signal = options.signal ?? null;
      if (signal?.aborted) {
        reject(abortError(signal));
        return;
      }
      const slot = this.#submit(code, fd, buffer, position, null, signal);
      slot.resolve = resolve;
      slot.reject = reject;
    });
  }

  #submit(
    code: OpCode,
    fd: number,
    buffer: Uint8Array,
    position: number | null,
    callback: FileCallback | null,
    signal: AbortSignal | null,
  ): OpSlot {
    if (this.#host.loop.destroyed) throw loopDestroyed(`fs.${SYSCALLS[code]}()`);
    checkInt('fd', fd, 0, 0x7fffffff);
    if (!(buffer instanceof Uint8Array)) throw invalidType('buffer', 'a Uint8Array', buffer);
    const pos =
      position === null || position === -1
        ? -1
        : checkInt('position', position, 0, Number.MAX_SAFE_INTEGER);
    const slot = this.#free.pop() ?? this.#newSlot();
    slot.code = code;
    slot.callback = callback;
    slot.signal = signal;
    const length = buffer.byteLength;
    let mem = this.#pinned.get(buffer.buffer as ArrayBuffer);
    let offset = buffer.byteOffset;
    if (mem === undefined && length > 0) {
      mem = slot.bounceFor(length);
      offset = 0;
      slot.user = buffer;
      if (code === OP_WRITE) slot.bytes.set(buffer);
    } else {
      slot.user = EMPTY;
    }
    signal?.addEventListener('abort', slot.onAbort, { once: true });
    this.#host.changed(1); // in flight: keeps the loop alive, and an attached loop polls for it
    this.#poller!.submitOp(code, fd, mem ?? slot.bounceFor(1), offset, length, pos, slot.token);
    return slot;
  }

  #newSlot(): OpSlot {
    const slot = new OpSlot(this.#slots.length, this);
    this.#slots.push(slot);
    return slot;
  }

  /** @internal The Poller's completion handler: the slot is delivered in the loop's deliver phase. */
  readonly complete = (token: number, res: number): void => {
    const slot = this.#slots[token];
    if (slot === undefined) return;
    slot.res = res;
    this.#host.pending.feed(slot, 0);
  };

  /** @internal */
  abort(slot: OpSlot): void {
    this.#poller?.cancelOp(slot.token);
    this.#host.changed(0); // an attached loop hands the cancel to the kernel before Node sleeps
  }

  /** @internal Runs a slot's callback or settles its promise, then frees the slot. */
  deliver(slot: OpSlot): void {
    const res = slot.res;
    if (res > 0 && slot.code === OP_READ && slot.user !== EMPTY) {
      slot.user.set(res === slot.bytes.length ? slot.bytes : slot.bytes.subarray(0, res));
    }
    const { callback, resolve, reject, signal } = slot;
    slot.callback = null;
    slot.resolve = null;
    slot.reject = null;
    slot.signal = null;
    slot.user = EMPTY;
    signal?.removeEventListener('abort', slot.onAbort);
    this.#free.push(slot);
    this.#host.changed(-1);
    if (signal?.aborted && reject !== null) {
      reject(abortError(signal));
      return;
    }
    const err = res < 0 ? systemError(res, SYSCALLS[slot.code]) : null;
    if (callback !== null) callback(err, err ? 0 : res);
    else if (err !== null) reject?.(err);
    else resolve?.(res);
  }

  /** @internal The loop is being destroyed: promises in flight reject; callbacks are dropped. */
  destroy(): void {
    for (const slot of this.#slots) {
      if (slot.reject !== null) slot.reject(loopDestroyed(`fs.${SYSCALLS[slot.code]}()`));
      slot.signal?.removeEventListener('abort', slot.onAbort);
      slot.callback = slot.resolve = slot.reject = slot.signal = null;
      if (slot.bounce !== null) pinnedFree(slot.bounce.buffer);
      slot.bounce = null;
      slot.bytes = EMPTY;
    }
  }
}

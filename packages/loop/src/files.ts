/**
 * File operations on the loop (`loop.fs`): read, write, readv, writev,
 * fsync, fdatasync, open, close, stat, lstat, fstat, ftruncate, rename,
 * link, symlink, unlink, rmdir, mkdir and mkdtemp, each with a callback
 * form and a promise form; the callback forms of readFile, writeFile,
 * appendFile, truncate, readdir, opendir, copyFile, rm and cp (chains of
 * operations: file-content-callbacks.ts, file-readdir-callback.ts;
 * copyFile's, rm's and cp's steps are their promise forms', file-copy.ts,
 * file-rm.ts, file-cp.ts)
 * and of the calls io_uring has no operation for (access, exists, chmod,
 * chown, utimes, their f- and l- forms, readlink, realpath, statfs:
 * file-direct-callbacks.ts); the
 * promise forms (`loop.fs.promises`, shaped like `fs/promises` and
 * covering all of it: `FileHandle`s, `readFile`, `writeFile`, `cp`,
 * `rm`, …); `watch` as `node:fs`' EventEmitter (file-watcher.ts),
 * `node:fs`' path streams (file-path-streams.ts), and `watchFile`'s
 * polling (file-stat-watcher.ts).
 *
 * The kernel does them where the backend can (io_uring, whose ring a loop
 * sets up with SINGLE_ISSUER | DEFER_TASKRUN from linux 6.1: all of them;
 * Linux AIO: reads and writes at a position, syncs), else the Poller with a direct
 * syscall; either way the callback runs in the loop's deliver phase, at
 * priority 0, in the order the operations completed, and an operation in
 * flight keeps the loop alive as an active watcher does.
 *
 * Memory: the kernel only touches pinned memory. A buffer from
 * `loop.fs.alloc()` is pinned: reads and writes on it copy nothing (readv
 * and writev too, when every buffer is pinned), and so are views into it.
 * Any other buffer (a Buffer, TypedArray or DataView: an ArrayBufferView,
 * as Node takes) goes through a pinned bounce buffer kept per operation
 * slot, so a steady stream of same-sized operations allocates nothing; an
 * operation through a bounce buffer moves at most 1 MiB (a short read or
 * write beyond, as read(2) and write(2) may give).
 *
 * @module
 */

import type { BigIntStatsFs, Dirent, StatsFs } from 'node:fs';
import {
  AT_EMPTY_PATH,
  AT_FDCWD,
  AT_REMOVEDIR,
  AT_SYMLINK_NOFOLLOW,
  type SystemCallError,
} from '@evring/abi';
import {
  IOVEC_SIZE,
  MAX_IOVECS,
  OP_CLOSE,
  OP_FDATASYNC,
  OP_FSYNC,
  OP_FTRUNCATE,
  OP_LINKAT,
  OP_MKDIRAT,
  OP_OPENAT,
  OP_READ,
  OP_READV,
  OP_RENAMEAT,
  OP_STATX,
  OP_SYMLINKAT,
  OP_UNLINKAT,
  OP_WRITE,
  OP_WRITEV,
  type OpCode,
  type PinnedMemory,
  type Poller,
} from '@evring/backend';
import { type PinnedAllocation, pinnedAlloc } from '@evring/sys';
import { bindMethods } from './bound-methods.js';
import { checkFunction, checkInt, invalidType, outOfRange } from './errors.js';
import type { NameOptions, TimeLike } from './file-attributes.js';
import { contentCallbacks as content, type ReadFileCallback } from './file-content-callbacks.js';
import { copyFileCallback } from './file-copy.js';
import { type CpOptions, cpCallback } from './file-cp.js';
import type { LoopDir, OpendirOptions } from './file-dir.js';
import {
  directCallbacks as direct,
  type Later,
  type NameCallback,
  type StatFsCallback,
} from './file-direct-callbacks.js';
import {
  type DirectorySteps,
  type MkdirCallback,
  type MkdirOptions,
  makeDirectories,
  mkdirOptions,
  mkdirStart,
  nameKind,
} from './file-mkdirp.js';
import {
  encodePath,
  MKDTEMP_MODE,
  type MkdtempCallback,
  type MkdtempOptions,
  makeTempDirectory,
  mkdtempArguments,
} from './file-mkdtemp.js';
import {
  bytesOfView,
  EMPTY,
  FileOps,
  type FileSystemError,
  gather,
  MAX_BOUNCE,
  type OpSlot,
  Outcome,
  PROMISE_FORM,
  VIEW_TYPES,
} from './file-ops.js';
import {
  createPathReadStream,
  createPathWriteStream,
  type PathReadStreamOptions,
  type PathWriteStreamOptions,
} from './file-path-streams.js';
import {
  FilePromises,
  LoopFileHandle,
  type ReadFileOptions,
  type RmdirOptions,
  rmdirSignal,
  type StatOptions,
  statOutcome,
  type WriteFileOptions,
} from './file-promises.js';
import type { ReaddirOptions } from './file-readdir.js';
import {
  type OpendirCallback,
  opendirCallback,
  type ReaddirCallback,
  readdirCallback,
} from './file-readdir-callback.js';
import { type RmOptions, rmCallback } from './file-rm.js';
import {
  type LoopStatWatcher,
  resolvedPath as resolvedPathChecked,
  type StatsListener,
  StatWatchers,
  type WatchFileOptions,
} from './file-stat-watcher.js';
import type { BigIntFileStats, FileStats } from './file-stats.js';
import type { LoopReadStream, LoopWriteStream } from './file-streams.js';
import { type TaskOps, Tasks } from './file-tasks.js';
import {
  type FSWatchListener,
  type FSWatchOptions,
  type LoopFSWatcher,
  startWatcher,
} from './file-watcher.js';
import type { WatcherHost } from './host.js';
import { InotifyReader } from './inotify-reader.js';
import type { Loop } from './loop.js';
import {
  checkSymlinkType,
  fileMode,
  type OpenFlags,
  openFlags,
  type PathLike,
  pathBytes,
  pathString,
  type SymlinkType,
} from './open-flags.js';

/**
 * Called once when a read or write ends: an error shaped like Node's
 * (`code`, `errno`, `syscall`) or null, and the bytes moved.
 *
 * @example
 * ```ts
 * import { Loop, type FileCallback } from '@evring/loop';
 * const done: FileCallback = (err, bytes) => {
 *   if (err) console.error(err.code, err.syscall);
 *   else console.log('moved', bytes, 'bytes');
 * };
 * new Loop().fs.write(1, Buffer.from('hi\n'), null, done);
 * ```
 */
export type FileCallback = (err: SystemCallError | null, bytes: number) => void;

/**
 * Called once when an open ends: the error (with `path`) or the new fd (−1 on error).
 *
 * @example
 * ```ts
 * import { Loop, type FdCallback } from '@evring/loop';
 * const opened: FdCallback = (err, fd) => console.log(err?.code ?? `fd ${fd}`);
 * new Loop().fs.open('/etc/hostname', 'r', opened);
 * ```
 */
export type FdCallback = (err: FileSystemError | null, fd: number) => void;

/** A close's callback when none is given: its error is thrown, as `fs.close`'s default callback throws it. */
/** A direct call that gives nothing: a task's deferred end (Tasks). */
const noValue = (): undefined => undefined;

function throwError(err: FileSystemError | null): void {
  if (err !== null) throw err;
}

/**
 * Called once when an operation with no result ends (close, fsync, rename, mkdir, …).
 *
 * @example
 * ```ts
 * import { Loop, type DoneCallback } from '@evring/loop';
 * const done: DoneCallback = (err) => console.log(err ? err.code : 'done');
 * new Loop().fs.mkdir('/tmp/evring-example', 0o755, done);
 * ```
 */
export type DoneCallback = (err: FileSystemError | null) => void;

/**
 * Called once with a file's status (null on error).
 *
 * @example
 * ```ts
 * import { Loop, type StatsCallback } from '@evring/loop';
 * const got: StatsCallback = (err, stats) => console.log(err?.code ?? stats!.size);
 * new Loop().fs.stat('/etc/hostname', got);
 * ```
 */
export type StatsCallback = (err: FileSystemError | null, stats: FileStats | null) => void;

/**
 * Called once with a file's status in exact bigints (null on error): what
 * the callback stat forms give with `{ bigint: true }`.
 *
 * @example
 * ```ts
 * import { Loop, type BigIntStatsCallback } from '@evring/loop';
 * const got: BigIntStatsCallback = (err, stats) => console.log(err?.code ?? stats!.ino);
 * new Loop().fs.stat('/etc/hostname', { bigint: true }, got);
 * ```
 */
export type BigIntStatsCallback = (
  err: FileSystemError | null,
  stats: BigIntFileStats | null,
) => void;

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
  /** Aborting asks the kernel to cancel (ASYNC_CANCEL); the promise rejects with an AbortError. */
  signal?: AbortSignal;
}

const FD_MAX = 0x7fffffff;

/** The call each two-path opcode is, and its arguments' names, as Node names them. */
const TWO_PATH_NAMES = {
  [OP_RENAMEAT]: ['rename', 'oldPath', 'newPath'],
  [OP_LINKAT]: ['link', 'existingPath', 'newPath'],
  [OP_SYMLINKAT]: ['symlink', 'target', 'path'],
} as const;

/** Where a Buffer from `alloc()` carries its pinned memory: one property load, no WeakMap lookup per operation. */
const PINNED = Symbol('evring.pinned');
// Module-local copies for the per-operation path: V8 folds a local const
// into the code, but reads an imported binding through its module cell,
// checking that it is initialized, at every use.
const READ_OP = OP_READ;
const WRITE_OP = OP_WRITE;
const BYTES = Outcome.Bytes; // an enum's object is a binding too, under isolatedModules
/**
 * What `alloc()` records on its Buffer: sys's record of the block (whose
 * `size` sys sets to 0 when the block is freed through it), with the
 * Buffer's own length beside it. The length is read here, not asked of
 * the Buffer or the ArrayBuffer: that is a call into a builtin on every
 * operation. Should a caller free the block through sys, the record's
 * `size` is 0 and the Poller's range check refuses the operation.
 */
interface AllocatedBlock extends PinnedAllocation {
  readonly length: number;
}
type MaybePinned = Uint8Array & { [PINNED]?: AllocatedBlock };

// The checks every operation makes, kept small enough for V8 to inline
// into the caller: the common answer is decided here, and only a value
// that fails goes to checkInt for its error (a call that cost about 50
// instructions each, twice per read, when every value went there).

/** `fd` as an fd number (0 to 2^31−1), or the error checkInt throws. */
function checkFd(fd: unknown): number {
  if (typeof fd === 'number' && (fd | 0) === fd && fd >= 0) return fd;
  return checkInt('fd', fd, 0, FD_MAX);
}

const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);

function checkPosition(position: unknown): number {
  if (position === null || position === undefined || position === -1) return -1;
  if (typeof position === 'number' && Number.isSafeInteger(position) && position >= 0) {
    return position;
  }
  return checkOtherPosition(position);
}

/**
 * checkPosition for a bigint, and the refusals: apart, so that the check
 * of every read and write stays small (V8 inlines a call chain only up to
 * a total size, and the Poller's submit is at the end of this one).
 */
function checkOtherPosition(position: unknown): number {
  // Node takes a bigint too; within 2^53 it is the same position.
  if (typeof position === 'bigint') {
    if (position >= -1n && position <= MAX_SAFE_BIG) return Number(position);
    throw outOfRange('position', `>= -1 && <= ${Number.MAX_SAFE_INTEGER}`, position);
  }
  return checkInt('position', position, -1, Number.MAX_SAFE_INTEGER); // -1 came in above
}

/**
 * `buffer`'s bytes, when it is an ArrayBufferView (a Buffer, TypedArray or
 * DataView, as Node takes); Node's ERR_INVALID_ARG_TYPE for anything else.
 */
function bytesView(name: string, buffer: unknown): Uint8Array {
  // isView asks the object itself, where instanceof asks its prototype
  // chain: an object made with Uint8Array.prototype is not a view.
  if (ArrayBuffer.isView(buffer)) return bytesOfView(buffer);
  throw invalidType(name, VIEW_TYPES, buffer);
}

/**
 * `buffers` as an array of Uint8Arrays: itself when every entry is one,
 * else a copy with each view's bytes; Node's ERR_INVALID_ARG_TYPE unless it
 * is an array of ArrayBufferViews (a string is not one, though it iterates).
 */
function checkBuffers(buffers: unknown): readonly Uint8Array[] {
  if (Array.isArray(buffers)) {
    let i = 0;
    while (i < buffers.length && ArrayBuffer.isView(buffers[i]) && buffers[i] instanceof Uint8Array)
      i++;
    if (i === buffers.length) return buffers;
    if (buffers.every((b) => ArrayBuffer.isView(b)))
      return buffers.map((b: ArrayBufferView) => bytesOfView(b));
  }
  throw invalidType('buffers', 'an ArrayBufferView[]', buffers);
}

/**
 * The loop's file operations. Reached as `loop.fs`.
 *
 * @example
 * ```ts
 * import { Loop } from '@evring/loop';
 * const loop = new Loop();
 * loop.fs.open('/etc/hostname', 'r', (err, fd) => {
 *   if (err) throw err;
 *   const buf = loop.fs.alloc(4096); // pinned: the kernel reads straight into it
 *   loop.fs.read(fd, buf, 0, (err, n) => {
 *     console.log(err ?? buf.subarray(0, n).toString());
 *     loop.fs.close(fd, () => {});
 *   });
 * });
 * // The promise forms, shaped like fs/promises:
 * const text = await loop.fs.promises.readFile('/etc/hostname', 'utf8');
 * ```
 */
export class LoopFiles {
  readonly #ops: FileOps;
  /** Pinned buffers from alloc(), by their ArrayBuffer. */
  readonly #pinned = new WeakMap<ArrayBuffer, PinnedMemory>();
  /** The promise forms, and what `fs/promises` code uses: open (FileHandles), readFile, writeFile, stat, … */
  readonly promises: FilePromises;

  readonly #host: WatcherHost;
  /** The files `watchFile` polls, made for the first. */
  #statWatchers: StatWatchers | null = null;
  /** The loop's inotify fd and its readers, made for the first `watch`. */
  #inotify: InotifyReader | null = null;

  /** The calls made directly at the call, their callbacks run as operations' are (FileOps.later). */
  readonly #later: Later;
  /** What the callback forms of several operations run on (file-tasks.ts). */
  readonly #tasks: TaskOps;

  /** @internal Made by the loop. */
  constructor(host: WatcherHost) {
    this.#host = host;
    const ops = new FileOps(host);
    this.#ops = ops;
    this.#later = (syscall, callback, call) => ops.later(syscall, callback, call);
    this.#tasks = this.#taskOps(new Tasks((call, end) => ops.later(call, end, noValue)));
    this.promises = new FilePromises(this);
    bindMethods(this, LoopFiles.prototype); // `const { read, open } = loop.fs` works, as node:fs's
  }

  /** @internal What `watch` reads its events through (ERR_EVRING_LOOP_DESTROYED once the loop is destroyed). */
  inotify(): InotifyReader {
    this.#ops.checkLive('watch');
    this.#inotify ??= new InotifyReader(this.#host);
    return this.#inotify;
  }

  /** @internal The poller operations go to (made after this object: its handler is {@link complete}). */
  bind(poller: Poller): void {
    this.#ops.bind(poller);
  }

  /** @internal The Poller's completion handler. */
  get complete(): (token: number, res: number) => void {
    return this.#ops.complete;
  }

  /** @internal Promises this loop's operations have settled so far. */
  get settled(): number {
    return this.#ops.settled;
  }

  /** @internal The attached loop is handing its changes to the kernel (see FileOps.synced). */
  synced(): void {
    this.#ops.synced();
  }

  /** @internal Throws ERR_EVRING_LOOP_DESTROYED once the loop is destroyed (for the calls made directly, not through the kernel's queue). */
  checkLive(syscall: string): void {
    this.#ops.checkLive(syscall);
  }

  /** The operations a callback form's task starts, over this object's own. */
  #taskOps(tasks: Tasks): TaskOps {
    return {
      tasks,
      open: (path, name, flags, mode, syscall, resume) => {
        const names: [string, null] = [name, null];
        const tied = Outcome.TiedFd;
        this.pathOp(
          OP_OPENAT,
          syscall,
          tied,
          AT_FDCWD,
          path,
          null,
          flags,
          mode,
          names,
          resume,
          null,
        );
      },
      stat: (path, follow, resume) => {
        const flags = follow ? 0 : AT_SYMLINK_NOFOLLOW;
        this.atPath(
          OP_STATX,
          follow ? 'stat' : 'lstat',
          Outcome.Stats,
          path,
          flags,
          0,
          resume,
          null,
        );
      },
      read: (fd, into, position, resume) => this.io(OP_READ, fd, into, position, resume, null),
      write: (fd, from, position, resume) => this.io(OP_WRITE, fd, from, position, resume, null),
      fstat: (fd, resume) => this.fstatOp(fd, Outcome.Stats, resume, null),
      fsync: (fd, resume) => this.fsync(fd, resume),
      ftruncate: (fd, len, resume) => this.ftruncate(fd, len, resume),
      close: (fd, resume) => this.close(fd, resume),
      unlink: (path, resume) => this.unlink(path, resume),
      rmdir: (path, resume) => this.rmdir(path, resume),
      sleep: (ms, resume) => {
        this.loopOf()
          .timer(ms / 1000, 0, () => resume(null))
          .start();
      },
      handle: (fd) => new LoopFileHandle(fd, this),
    };
  }

  /** @internal */
  destroy(): void {
    this.#ops.destroy();
    this.#tasks.tasks.destroy();
    this.#inotify?.destroy();
    this.#statWatchers?.destroy();
  }

  /**
   * A `Buffer` of `size` bytes (1 byte … 1 MiB) over pinned memory: reads
   * and writes on it go to the kernel without a copy. Freed by the garbage
   * collector, but never while an operation still uses it.
   */
  alloc(size: number): Buffer {
    checkInt('size', size, 1, MAX_BOUNCE);
    // sys's own record, so that its freeing shows in `size`; the length
    // goes onto it (it is this Buffer's alone).
    const block: AllocatedBlock = Object.assign(pinnedAlloc(size), { length: size });
    this.#pinned.set(block.buffer, block);
    const buf = Buffer.from(block.buffer, 0, size) as Buffer & MaybePinned;
    buf[PINNED] = block;
    return buf;
  }

  /** Operations submitted and not yet delivered (0 once the loop is destroyed: they were dropped). */
  get inFlight(): number {
    return this.#ops.inFlight;
  }

  /** Reads into `buffer` at file `position` (null: the file's offset); `callback(err, bytesRead)`. */
  read(
    fd: number,
    buffer: NodeJS.ArrayBufferView,
    position: number | bigint | null,
    callback: FileCallback,
  ): void {
    this.io(READ_OP, fd, buffer, position, checkFunction('callback', callback), null);
  }

  /** Writes `buffer` at file `position` (null: the file's offset); `callback(err, bytesWritten)`. */
  write(
    fd: number,
    buffer: NodeJS.ArrayBufferView,
    position: number | bigint | null,
    callback: FileCallback,
  ): void {
    this.io(WRITE_OP, fd, buffer, position, checkFunction('callback', callback), null);
  }

  /**
   * Reads into `buffers` in order, as preadv(2), from `position`;
   * `callback(err, bytesRead)`. Buffers that are all pinned (from
   * {@link alloc}, or views into them; at most 1024) are read into in place;
   * otherwise it is one read of their total length (at most 1 MiB) through
   * a bounce buffer, spread over them.
   */
  readv(
    fd: number,
    buffers: readonly NodeJS.ArrayBufferView[],
    position: number | bigint | null,
    callback: FileCallback,
  ): void {
    this.vectored(OP_READ, fd, buffers, position, checkFunction('callback', callback), null);
  }

  /**
   * Writes `buffers` in order, as pwritev(2), at `position`;
   * `callback(err, bytesWritten)`. In place when all are pinned, as
   * {@link readv}; otherwise one write of their bytes (at most 1 MiB).
   */
  writev(
    fd: number,
    buffers: readonly NodeJS.ArrayBufferView[],
    position: number | bigint | null,
    callback: FileCallback,
  ): void {
    this.vectored(OP_WRITE, fd, buffers, position, checkFunction('callback', callback), null);
  }

  /** fsync(2); `callback(err)`. */
  fsync(fd: number, callback: DoneCallback): void {
    this.plain(OP_FSYNC, 'fsync', Outcome.Void, fd, 0, checkFunction('callback', callback), null);
  }

  /** fdatasync(2); `callback(err)`. */
  fdatasync(fd: number, callback: DoneCallback): void {
    this.plain(
      OP_FDATASYNC,
      'fdatasync',
      Outcome.Void,
      fd,
      0,
      checkFunction('callback', callback),
      null,
    );
  }

  /**
   * close(2) of `fd`; `callback(err)`. With no callback, as `fs.close`
   * allows, an error is thrown from the loop's callback phase, where
   * Node's default callback throws it.
   */
  close(fd: number, callback: DoneCallback = throwError): void {
    this.plain(OP_CLOSE, 'close', Outcome.Void, fd, 0, checkFunction('callback', callback), null);
  }

  /** ftruncate(2) of `fd` to `len` bytes (default 0; a negative length is 0, as Node takes it); `callback(err)`. */
  ftruncate(fd: number, len: number | DoneCallback = 0, callback?: DoneCallback): void {
    const [length, cb] = typeof len === 'function' ? [0, len] : [len, callback];
    // As Node's: any safe integer, a negative one taken as 0.
    const size = Math.max(
      0,
      checkInt('len', length, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
    );
    this.plain(
      OP_FTRUNCATE,
      'ftruncate',
      Outcome.Void,
      fd,
      size,
      checkFunction('callback', cb),
      null,
    );
  }

  /**
   * The status of the file `fd` is open on; `callback(err, stats)`. With
   * `{ bigint: true }` a {@link BigIntFileStats}, as `fs.fstat` gives.
   */
  fstat(fd: number, callback: StatsCallback): void;
  fstat(fd: number, options: StatOptions & { bigint: true }, callback: BigIntStatsCallback): void;
  fstat(fd: number, options: StatOptions | undefined, callback: StatsCallback): void;
  fstat(
    fd: number,
    options: StatOptions | StatsCallback | undefined,
    callback?: StatsCallback | BigIntStatsCallback,
  ): void {
    const [o, cb] = typeof options === 'function' ? [undefined, options] : [options, callback];
    checkFd(fd); // first, as Node's fstat checks it
    const outcome = statOutcome(o);
    this.fstatOp(fd, outcome, checkFunction<StatsCallback>('callback', cb), null);
  }

  /**
   * @internal statx(2) of the file `fd` is open on (AT_EMPTY_PATH). The fd
   * is checked here: as a directory fd, AT_FDCWD (−100) would pass
   * {@link pathOp}'s check and name the working directory.
   */
  fstatOp(
    fd: number,
    outcome: Outcome,
    // biome-ignore lint/suspicious/noExplicitAny: a FileStats or a BigIntFileStats callback
    callback: ((err: FileSystemError | null, value: any) => void) | null,
    signal: AbortSignal | null,
  ): Promise<unknown> | undefined {
    checkFd(fd);
    return this.pathOp(
      OP_STATX,
      'fstat',
      outcome,
      fd,
      EMPTY,
      null,
      AT_EMPTY_PATH,
      0,
      null,
      callback,
      signal,
    );
  }

  /**
   * Opens `path` (`flags` as `fs.open` takes them, default 'r'; `mode`
   * default 0o666); `callback(err, fd)`.
   */
  open(
    path: PathLike,
    flags: OpenFlags | FdCallback,
    mode?: number | string | FdCallback,
    callback?: FdCallback,
  ): void {
    let f: unknown = flags;
    let m: unknown = mode;
    let cb: unknown = callback;
    // As fs.open: two arguments are the path and the callback; with three or
    // more, a function in the mode's place is the callback (in the flags'
    // place it is a bad flags value).
    // biome-ignore lint/complexity/noArguments: Node's rule is by the count of arguments
    if (arguments.length < 3) [f, m, cb] = [undefined, undefined, flags];
    else if (typeof mode === 'function') [m, cb] = [undefined, mode];
    this.openAt(path, f, m, 'open', cb, null);
  }

  /**
   * @internal openat(2) of `path` from the working directory, its
   * arguments checked in Node's order: the path first; then the flags and
   * the mode (`fs/promises`' order, `callback` being {@link PROMISE_FORM}),
   * or, for the callback form, the mode, the flags and the callback
   * (`fs.open`'s; a null one is refused, as any other that is no function).
   */
  openAt(
    path: PathLike,
    flags: unknown,
    mode: unknown,
    syscall: string,
    callback: unknown,
    signal: AbortSignal | null,
  ): Promise<unknown> | undefined {
    const bytes = pathBytes('path', path);
    let bits: number;
    let perms: number;
    let fn: FdCallback | null = null;
    if (callback === PROMISE_FORM) {
      bits = openFlags(flags);
      perms = fileMode(mode, 0o666);
    } else {
      perms = fileMode(mode, 0o666);
      bits = openFlags(flags);
      fn = checkFunction<FdCallback>('callback', callback);
    }
    const names: [string, null] = [pathString(path), null];
    return this.pathOp(
      OP_OPENAT,
      syscall,
      Outcome.Fd,
      AT_FDCWD,
      bytes,
      null,
      bits,
      perms,
      names,
      fn,
      signal,
    );
  }

  /**
   * The status of `path` (following symbolic links); `callback(err,
   * stats)`. With `{ bigint: true }` a {@link BigIntFileStats}, as `fs.stat`
   * gives.
   */
  stat(path: PathLike, callback: StatsCallback): void;
  stat(
    path: PathLike,
    options: StatOptions & { bigint: true },
    callback: BigIntStatsCallback,
  ): void;
  stat(path: PathLike, options: StatOptions | undefined, callback: StatsCallback): void;
  stat(
    path: PathLike,
    options: StatOptions | StatsCallback | undefined,
    callback?: StatsCallback | BigIntStatsCallback,
  ): void {
    this.#statPath('stat', 0, path, options, callback);
  }

  /**
   * The status of `path` itself (a symbolic link is not followed);
   * `callback(err, stats)`. With `{ bigint: true }` a {@link BigIntFileStats}.
   */
  lstat(path: PathLike, callback: StatsCallback): void;
  lstat(
    path: PathLike,
    options: StatOptions & { bigint: true },
    callback: BigIntStatsCallback,
  ): void;
  lstat(path: PathLike, options: StatOptions | undefined, callback: StatsCallback): void;
  lstat(
    path: PathLike,
    options: StatOptions | StatsCallback | undefined,
    callback?: StatsCallback | BigIntStatsCallback,
  ): void {
    this.#statPath('lstat', AT_SYMLINK_NOFOLLOW, path, options, callback);
  }

  /** The callback forms of stat and lstat (`flags` AT_SYMLINK_NOFOLLOW), options optional. */
  #statPath(
    syscall: string,
    flags: number,
    path: PathLike,
    options: StatOptions | StatsCallback | undefined,
    callback: StatsCallback | BigIntStatsCallback | undefined,
  ): void {
    const [o, cb] = typeof options === 'function' ? [undefined, options] : [options, callback];
    const fn = checkFunction<StatsCallback>('callback', cb);
    this.atPath(OP_STATX, syscall, statOutcome(o), path, flags, 0, fn, null);
  }

  /** Renames `from` to `to` (replacing it, as rename(2)); `callback(err)`. */
  rename(from: PathLike, to: PathLike, callback: DoneCallback): void {
    this.twoPaths(OP_RENAMEAT, from, to, checkFunction('callback', callback), null);
  }

  /** Gives the file at `existingPath` a second name, `newPath` (link(2)); `callback(err)`. */
  link(existingPath: PathLike, newPath: PathLike, callback: DoneCallback): void {
    this.twoPaths(OP_LINKAT, existingPath, newPath, checkFunction('callback', callback), null);
  }

  /**
   * Makes a symbolic link at `path` holding `target` as written (a relative
   * target is taken from the link's directory when followed), as
   * symlink(2); `type` matters on Windows only, and is checked as Node
   * checks it; `callback(err)`.
   */
  symlink(
    target: PathLike,
    path: PathLike,
    type: SymlinkType | DoneCallback | null | undefined,
    // biome-ignore lint/correctness/noUnusedFunctionParameters: named for the signature; read as the last of `arguments`
    callback?: DoneCallback,
  ): void {
    // As fs.symlink: the callback is the last argument, and a type that is
    // not a string is none.
    // biome-ignore lint/complexity/noArguments: Node's rule is by the count of arguments
    const cb: unknown = arguments[arguments.length - 1];
    const kind = typeof type === 'string' ? type : undefined;
    this.twoPaths(OP_SYMLINKAT, target, path, checkFunction('callback', cb), null, kind);
  }

  /** Removes the file `path`; `callback(err)`. */
  unlink(path: PathLike, callback: DoneCallback): void {
    this.atPath(
      OP_UNLINKAT,
      'unlink',
      Outcome.Void,
      path,
      0,
      0,
      checkFunction('callback', callback),
      null,
    );
  }

  /**
   * Removes the empty directory `path`; `callback(err)`. The options are
   * checked as `fs.rmdir` checks them, and `{ recursive: true }` is refused
   * (see {@link RmdirOptions}).
   */
  rmdir(path: PathLike, callback: DoneCallback): void;
  rmdir(path: PathLike, options: RmdirOptions | undefined, callback: DoneCallback): void;
  rmdir(
    path: PathLike,
    options: RmdirOptions | DoneCallback | undefined,
    callback?: DoneCallback,
  ): void {
    const [o, given] = typeof options === 'function' ? [undefined, options] : [options, callback];
    const cb = checkFunction<DoneCallback>('callback', given); // first, as fs.rmdir checks it
    rmdirSignal(path, o);
    this.atPath(OP_UNLINKAT, 'rmdir', Outcome.Void, path, AT_REMOVEDIR, 0, cb, null);
  }

  /**
   * Makes the directory `path` (`mode` default 0o777, before the umask);
   * `callback(err)`. With `{ recursive: true }`, its missing parents too,
   * as `fs.mkdir` does: `callback(err, first)`, `first` being the first
   * directory made, or undefined when `path` already was one.
   */
  mkdir(
    path: PathLike,
    mode: number | string | MkdirOptions | MkdirCallback,
    callback?: MkdirCallback,
  ): void {
    const [m, cb] = typeof mode === 'function' ? [undefined, mode] : [mode, callback];
    // Checked in fs.mkdir's order: the callback, the path, then the options.
    const done = checkFunction<MkdirCallback>('callback', cb);
    pathBytes('path', path);
    const { bits, recursive } = mkdirOptions(m, 'callback');
    if (!recursive) {
      this.atPath(OP_MKDIRAT, 'mkdir', Outcome.Void, path, bits, 0, done, null);
      return;
    }
    makeDirectories(mkdirStart(path), this.#directorySteps(bits), done);
  }

  /**
   * Makes a new directory named `prefix` and six random characters (mode
   * 0o700), as `fs.mkdtemp` does; `callback(err, dir)`, `dir` in the
   * options' encoding (a UTF-8 string by default; `'buffer'`: a Buffer). A
   * name already taken is given up for another.
   */
  mkdtemp(
    prefix: PathLike,
    options: BufferEncoding | 'buffer' | MkdtempOptions | MkdtempCallback | null | undefined,
    callback?: MkdtempCallback,
  ): void {
    const [o, cb] = typeof options === 'function' ? [undefined, options] : [options, callback];
    const { prefix: bytes, encoding } = mkdtempArguments(prefix, o);
    const done = checkFunction<MkdtempCallback>('callback', cb);
    makeTempDirectory(
      bytes,
      (path, step) => {
        this.atPath(OP_MKDIRAT, 'mkdtemp', Outcome.Void, path, MKDTEMP_MODE, 0, step, null);
      },
      (err, path) => (err === null ? done(null, encodePath(path!, encoding)) : done(err)),
    );
  }

  /**
   * The whole content of the file `path` (or of the caller's fd, from its
   * offset, left open), as `fs.readFile`: `callback(err, data)`, a Buffer,
   * or a string with an encoding. The loop opens, reads (the size asked
   * only of a file bigger than the first read) and closes; `flag`
   * (default `'r'`) opens it; `signal` is looked at before each read.
   */
  readFile(path: PathLike | number, callback: ReadFileCallback): void;
  readFile(
    path: PathLike | number,
    options: BufferEncoding | (ReadFileOptions & { encoding: BufferEncoding }),
    callback: ReadFileCallback<string>,
  ): void;
  readFile(
    path: PathLike | number,
    options: ReadFileOptions | null | undefined,
    callback: ReadFileCallback,
  ): void;
  readFile(
    path: PathLike | number,
    options: BufferEncoding | ReadFileOptions | ReadFileCallback | null | undefined,
    callback?: ReadFileCallback<string> | ReadFileCallback,
  ): void {
    content.readFile(this.#tasks, this.#later, path, options, callback);
  }

  /**
   * Writes `data` (a string in the options' encoding, UTF-8 by default, or
   * any ArrayBufferView) as the content of the file `path` (created, or
   * truncated: `flag` `'w'`), or at the offset of the caller's fd, as
   * `fs.writeFile`: `callback(err)`. `mode` (0o666) for a file created;
   * `flush` fsyncs it once written; `signal` is looked at before each write.
   */
  writeFile(
    path: PathLike | number,
    data: string | NodeJS.ArrayBufferView,
    callback: DoneCallback,
  ): void;
  writeFile(
    path: PathLike | number,
    data: string | NodeJS.ArrayBufferView,
    options: BufferEncoding | WriteFileOptions | null | undefined,
    callback: DoneCallback,
  ): void;
  writeFile(
    path: PathLike | number,
    data: string | NodeJS.ArrayBufferView,
    options: BufferEncoding | WriteFileOptions | DoneCallback | null | undefined,
    callback?: DoneCallback,
  ): void {
    content.writeFile(this.#tasks, this.#later, false, path, data, options, callback);
  }

  /** As {@link LoopFiles.writeFile}, appending (`flag` `'a'` by default, and always for an fd), as `fs.appendFile`. */
  appendFile(
    path: PathLike | number,
    data: string | NodeJS.ArrayBufferView,
    callback: DoneCallback,
  ): void;
  appendFile(
    path: PathLike | number,
    data: string | NodeJS.ArrayBufferView,
    options: BufferEncoding | WriteFileOptions | null | undefined,
    callback: DoneCallback,
  ): void;
  appendFile(
    path: PathLike | number,
    data: string | NodeJS.ArrayBufferView,
    options: BufferEncoding | WriteFileOptions | DoneCallback | null | undefined,
    callback?: DoneCallback,
  ): void {
    content.writeFile(this.#tasks, this.#later, true, path, data, options, callback);
  }

  /**
   * Truncates (or extends with zeros) the file `path` to `len` bytes
   * (default 0; a negative length is 0), as `fs.truncate`: opened `'r+'`,
   * ftruncate(2), closed; `callback(err)`. An fd in `path`'s place is
   * {@link LoopFiles.ftruncate}'s, as Node's deprecated form.
   */
  truncate(path: PathLike | number, callback: DoneCallback): void;
  truncate(path: PathLike | number, len: number | undefined, callback: DoneCallback): void;
  truncate(
    path: PathLike | number,
    len: number | DoneCallback | undefined,
    callback?: DoneCallback,
  ): void {
    if (typeof path === 'number') {
      this.ftruncate(path, len as number, callback as DoneCallback);
      return;
    }
    content.truncate(this.#tasks, path, len, callback);
  }

  /**
   * The entries of the directory `path`, as `fs.readdir`: `callback(err,
   * entries)`, names (strings, or Buffers with `encoding: 'buffer'`) sorted
   * bytewise as Node's, without `.` and `..`, or `fs.Dirent`s with
   * `withFileTypes`; with `recursive`, those of every subdirectory too, in
   * the order of Node's callback form (see file-readdir-callback.ts for
   * what differs). Opened and closed through the loop; the entries read
   * with getdents64(2) on the loop's thread. Errors say `scandir`.
   */
  readdir(path: PathLike, callback: ReaddirCallback): void;
  readdir(
    path: PathLike,
    options: ReaddirOptions & { withFileTypes: true; encoding?: BufferEncoding | null },
    callback: ReaddirCallback<Dirent>,
  ): void;
  readdir(
    path: PathLike,
    options: ReaddirOptions & { withFileTypes: true; encoding: 'buffer' },
    callback: ReaddirCallback<Dirent<Buffer>>,
  ): void;
  readdir(
    path: PathLike,
    options: 'buffer' | (ReaddirOptions & { encoding: 'buffer'; withFileTypes?: false }),
    callback: ReaddirCallback<Buffer>,
  ): void;
  readdir(
    path: PathLike,
    options: BufferEncoding | (ReaddirOptions & { withFileTypes?: false }) | null | undefined,
    callback: ReaddirCallback,
  ): void;
  readdir(path: PathLike, options: unknown, callback?: unknown): void {
    readdirCallback(this.#tasks, path, options, callback);
  }

  /**
   * The directory `path` opened to be read an entry at a time, as
   * `fs.opendir`: `callback(err, dir)`, a {@link LoopDir} (Node's `Dir`:
   * `read`, `readSync`, `close`, `closeSync`, `for await`). Opened through
   * the loop; errors say `opendir`. A bad `bufferSize` is thrown at the
   * call (Node 20 throws it from its callback's tick, uncaught).
   */
  opendir(path: PathLike, callback: OpendirCallback): void;
  opendir(
    path: PathLike,
    options: BufferEncoding | OpendirOptions | null | undefined,
    callback: OpendirCallback,
  ): void;
  opendir(path: PathLike, options: unknown, callback?: unknown): void {
    opendirCallback(this.#tasks, path, options, callback);
  }

  /**
   * Copies the file `src` to `dest` (created, or replaced), with its mode,
   * as `fs.copyFile`: `callback(err)`. `mode` may hold COPYFILE_EXCL,
   * COPYFILE_FICLONE or COPYFILE_FICLONE_FORCE, as the promise form's
   * (the same steps: the loop opens, reads, writes and closes; on failure
   * `dest` is removed, and the error says `copyfile` and both paths).
   */
  copyFile(src: PathLike, dest: PathLike, callback: DoneCallback): void;
  copyFile(src: PathLike, dest: PathLike, mode: number | undefined, callback: DoneCallback): void;
  copyFile(
    src: PathLike,
    dest: PathLike,
    mode: number | DoneCallback | undefined,
    callback?: DoneCallback,
  ): void {
    copyFileCallback(this.#tasks, src, dest, mode, callback);
  }

  /**
   * Removes the file or directory `path`, as `fs.rm`: `callback(err)`.
   * With `recursive`, a directory and everything under it; `force`
   * ignores a path that does not exist; `maxRetries` and `retryDelay` as
   * Node's (a retry waits on a timer of the loop). The steps are the
   * promise form's (see {@link RmOptions}), each started from the last
   * one's callback; `signal` is looked at before each.
   */
  rm(path: PathLike, callback: DoneCallback): void;
  rm(path: PathLike, options: RmOptions | undefined, callback: DoneCallback): void;
  rm(path: PathLike, options: RmOptions | DoneCallback | undefined, callback?: DoneCallback): void {
    rmCallback(this.#tasks, this.#later, path, options, callback);
  }

  /**
   * Copies the file, link or (with `recursive`) directory tree `src` to
   * `dest`, as `fs.cp`: `callback(err)` (on success `(null, undefined)`,
   * as Node's). The checks, steps and errors are the promise form's (see
   * {@link CpOptions}), each step one of the loop's calls started from the
   * last one's callback; `signal` is looked at before each. An async
   * `filter`'s answer is waited for through Node's microtasks: a
   * standalone `run()` may return meanwhile, and the copy goes on at the
   * next.
   */
  cp(src: PathLike, dest: PathLike, callback: (err: FileSystemError | null) => void): void;
  cp(
    src: PathLike,
    dest: PathLike,
    options: CpOptions | undefined,
    callback: (err: FileSystemError | null) => void,
  ): void;
  cp(src: PathLike, dest: PathLike, options: unknown, callback?: unknown): void {
    cpCallback(this, this.#tasks, this.#later, src, dest, options, callback);
  }

  // The calls io_uring has no operation for: one syscall each, made on the
  // loop's thread at the call; the callback runs from the next poll, in the
  // deliver phase, as an operation's (file-direct-callbacks.ts).

  /**
   * Whether the real user may reach `path` as `mode` asks (F_OK, the
   * default: it exists; or any of R_OK, W_OK, X_OK), as access(2):
   * `callback(err)`, with ENOENT or EACCES when not.
   */
  access(path: PathLike, callback: DoneCallback): void;
  access(path: PathLike, mode: number | undefined, callback: DoneCallback): void;
  access(path: PathLike, mode: number | DoneCallback | undefined, callback?: DoneCallback): void {
    direct.access(this.#later, path, mode, callback);
  }

  /**
   * `callback(true)` when `path` exists (access(2) with F_OK), else
   * `callback(false)`, as `fs.exists`; a `path` that names no file (a
   * number, a string with a NUL byte) does not exist, from the next poll.
   */
  exists(path: PathLike, callback: (exists: boolean) => void): void {
    direct.exists(this.#later, path, callback);
  }

  /** Sets the permission bits of `path` to `mode` (a number, or an octal string such as `'644'`); `callback(err)`. */
  chmod(path: PathLike, mode: number | string, callback: DoneCallback): void {
    direct.chmod(this.#later, path, mode, callback);
  }

  /** As {@link LoopFiles.chmod}, of the open file `fd` (fchmod(2)). */
  fchmod(fd: number, mode: number | string, callback: DoneCallback): void {
    direct.fchmod(this.#later, fd, mode, callback);
  }

  /** Sets the owner `uid` and group `gid` of `path` (−1 leaves one as it is), following symbolic links; `callback(err)`. */
  chown(path: PathLike, uid: number, gid: number, callback: DoneCallback): void {
    direct.chown(this.#later, false, path, uid, gid, callback);
  }

  /** As {@link LoopFiles.chown}, of a symbolic link itself (lchown(2)). */
  lchown(path: PathLike, uid: number, gid: number, callback: DoneCallback): void {
    direct.chown(this.#later, true, path, uid, gid, callback);
  }

  /** As {@link LoopFiles.chown}, of the open file `fd` (fchown(2)). */
  fchown(fd: number, uid: number, gid: number, callback: DoneCallback): void {
    direct.fchown(this.#later, fd, uid, gid, callback);
  }

  /**
   * Sets the access and modification times of `path` (a `Date`, or seconds
   * since the epoch; a negative number is now), to the microsecond as
   * Node's, following symbolic links; `callback(err)`.
   */
  utimes(path: PathLike, atime: TimeLike, mtime: TimeLike, callback: DoneCallback): void {
    direct.utimes(this.#later, false, path, atime, mtime, callback);
  }

  /** As {@link LoopFiles.utimes}, of a symbolic link itself. */
  lutimes(path: PathLike, atime: TimeLike, mtime: TimeLike, callback: DoneCallback): void {
    direct.utimes(this.#later, true, path, atime, mtime, callback);
  }

  /** As {@link LoopFiles.utimes}, of the open file `fd` (futimens(2)). */
  futimes(fd: number, atime: TimeLike, mtime: TimeLike, callback: DoneCallback): void {
    direct.futimes(this.#later, fd, atime, mtime, callback);
  }

  /**
   * The target of the symbolic link `path`, as stored: `callback(err,
   * target)`, a string (a Buffer with `encoding: 'buffer'`).
   */
  readlink(path: PathLike, callback: NameCallback): void;
  readlink(
    path: PathLike,
    options: 'buffer' | (NameOptions & { encoding: 'buffer' }),
    callback: NameCallback<Buffer>,
  ): void;
  readlink(
    path: PathLike,
    options: BufferEncoding | NameOptions | null | undefined,
    callback: NameCallback,
  ): void;
  readlink(
    path: PathLike,
    options: BufferEncoding | 'buffer' | NameOptions | NameCallback | null | undefined,
    callback?: NameCallback<string> | NameCallback<Buffer>,
  ): void {
    direct.readlink(this.#later, path, options, callback);
  }

  /**
   * The canonical absolute path of `path` (symbolic links, `.` and `..`
   * resolved), as `fs.realpath` gives it: `callback(err, resolved)`, a
   * string (a Buffer with `encoding: 'buffer'`). Node's walk in JavaScript
   * (an lstat per component), made at the call, with its answers and its
   * errors; the promise form is realpath(3), as `fs/promises`' is.
   */
  realpath(path: PathLike, callback: NameCallback): void;
  realpath(
    path: PathLike,
    options: 'buffer' | (NameOptions & { encoding: 'buffer' }),
    callback: NameCallback<Buffer>,
  ): void;
  realpath(
    path: PathLike,
    options: BufferEncoding | NameOptions | null | undefined,
    callback: NameCallback,
  ): void;
  realpath(
    path: PathLike,
    options: BufferEncoding | 'buffer' | NameOptions | NameCallback | null | undefined,
    callback?: NameCallback<string> | NameCallback<Buffer>,
  ): void {
    direct.realpath(this.#later, path, options, callback);
  }

  /**
   * The filesystem `path` is on (statfs(2)), in `node:fs`' own `StatFs`:
   * `callback(err, stats)`, numbers, or bigints with `{ bigint: true }`.
   */
  statfs(path: PathLike, callback: StatFsCallback): void;
  statfs(
    path: PathLike,
    options: StatOptions & { bigint: true },
    callback: StatFsCallback<BigIntStatsFs>,
  ): void;
  statfs(path: PathLike, options: StatOptions | undefined, callback: StatFsCallback): void;
  statfs(
    path: PathLike,
    options: StatOptions | StatFsCallback | undefined,
    callback?: StatFsCallback<StatsFs> | StatFsCallback<BigIntStatsFs>,
  ): void {
    direct.statfs(this.#later, path, options, callback);
  }

  /**
   * Watches `filename` (a file, or a directory's entries) as `node:fs`'
   * `watch` does: the {@link LoopFSWatcher} emits `'change'` with
   * `(eventType, filename)` — `'change'` for content or attributes,
   * `'rename'` for a name that came or went — and `listener`, if given,
   * is its first `'change'` listener. Throws at once what Node throws
   * (bad arguments, ENOENT, ENOSPC). Read from the loop's one inotify fd,
   * in its deliver phase; the promise form is
   * {@link FilePromises.watch | promises.watch}.
   *
   * @example
   * ```ts
   * import { Loop } from '@evring/loop';
   * const loop = new Loop();
   * const watcher = loop.fs.watch('/etc', { recursive: true }, (eventType, filename) => {
   *   console.log(eventType, filename); // 'change' 'hosts', 'rename' 'ssl/new.pem', …
   * });
   * setTimeout(() => watcher.close(), 60_000);
   * ```
   */
  watch(
    filename: PathLike,
    options: (FSWatchOptions & { encoding: 'buffer' }) | 'buffer',
    listener?: FSWatchListener<Buffer>,
  ): LoopFSWatcher<Buffer>;
  watch(
    filename: PathLike,
    options?: FSWatchOptions | BufferEncoding | null,
    listener?: FSWatchListener,
  ): LoopFSWatcher;
  watch(filename: PathLike, listener?: FSWatchListener): LoopFSWatcher;
  watch(
    filename: PathLike,
    options?: FSWatchOptions | BufferEncoding | 'buffer' | null,
    listener?: FSWatchListener<string | Buffer>,
  ): LoopFSWatcher<string | Buffer>;
  watch(
    filename: PathLike,
    options?: FSWatchOptions | BufferEncoding | 'buffer' | FSWatchListener | null,
    listener?: FSWatchListener<string> | FSWatchListener<Buffer> | FSWatchListener<string | Buffer>,
  ): LoopFSWatcher<string | Buffer> {
    return startWatcher(() => this.inotify(), filename, options, listener);
  }

  /**
   * A readable stream of the file at `path`, as `node:fs`'
   * `createReadStream`: opened as the stream starts (`'open'` with the fd,
   * then `'ready'`; a failed open is its `'error'`), read from `start`
   * (default 0) to `end` (inclusive) through a {@link LoopFileHandle}, so
   * by the kernel where the backend can, and closed at the end unless
   * `autoClose` is false. Options as Node's (a string is the encoding);
   * `fd` may be a LoopFileHandle, not a number.
   *
   * @example
   * ```ts
   * import { pipeline } from 'node:stream/promises';
   * import { Loop } from '@evring/loop';
   * const fs = new Loop().fs;
   * await pipeline(fs.createReadStream('/etc/passwd'), fs.createWriteStream('/tmp/passwd-copy'));
   * ```
   */
  createReadStream(
    path: PathLike | null,
    options?: PathReadStreamOptions | BufferEncoding | null,
  ): LoopReadStream<LoopFileHandle | null> {
    return createPathReadStream(this.#openForStream, path, options);
  }

  /**
   * A writable stream into the file at `path`, as `node:fs`'
   * `createWriteStream`: opened as the stream starts (`flags` default
   * `'w'`: made or emptied; `'a'` appends), written at `start` (default:
   * where the open leaves it) through a {@link LoopFileHandle}, chunks
   * waiting together in one `writev`, and closed once finished unless
   * `autoClose` is false; with `flush`, synced before `'finish'`.
   */
  createWriteStream(
    path: PathLike | null,
    options?: PathWriteStreamOptions | BufferEncoding | null,
  ): LoopWriteStream<LoopFileHandle | null> {
    return createPathWriteStream(this.#openForStream, path, options);
  }

  /** How a path stream opens its file. */
  readonly #openForStream = (
    path: PathLike,
    flags: OpenFlags,
    mode: number | string,
  ): Promise<LoopFileHandle> => this.promises.open(path, flags, mode);

  /**
   * Polls the status of `filename` every `interval` ms (default 5007), as
   * `node:fs`' `watchFile`: `listener(curr, prev)` when it moved (a Stats
   * of zeros for a missing file). One {@link LoopStatWatcher} per resolved
   * path, shared by every call for it; {@link LoopFiles.unwatchFile} ends it.
   * Each stat is the loop's (the kernel's, on io_uring). Unlike Node 20's,
   * a Buffer path is taken, and a watcher stopped by its own `stop()` is
   * not handed out again.
   *
   * @example
   * ```ts
   * import { Loop } from '@evring/loop';
   * const fs = new Loop().fs;
   * fs.watchFile('/var/log/app.log', { interval: 500 }, (curr, prev) => {
   *   if (curr.size < prev.size) console.log('rotated');
   * });
   * ```
   */
  watchFile(
    filename: PathLike,
    options: WatchFileOptions & { bigint: true },
    listener: StatsListener<BigIntFileStats>,
  ): LoopStatWatcher<BigIntFileStats>;
  watchFile(
    filename: PathLike,
    options: (WatchFileOptions & { bigint?: false | undefined }) | undefined,
    listener: StatsListener,
  ): LoopStatWatcher;
  watchFile(filename: PathLike, listener: StatsListener): LoopStatWatcher;
  watchFile(
    filename: PathLike,
    options: WatchFileOptions | undefined,
    listener: StatsListener<FileStats | BigIntFileStats>,
  ): LoopStatWatcher<FileStats | BigIntFileStats>;
  watchFile(
    filename: PathLike,
    options: WatchFileOptions | StatsListener | undefined,
    listener?: StatsListener<FileStats> | StatsListener<BigIntFileStats>,
  ): LoopStatWatcher<FileStats | BigIntFileStats> {
    this.#statWatchers ??= new StatWatchers(this);
    return this.#statWatchers.watch(filename, options, listener);
  }

  /**
   * Stops `listener` hearing of `filename` (without one: every listener);
   * the file is no longer polled after its last, as `node:fs`' `unwatchFile`.
   */
  unwatchFile(
    filename: PathLike,
    listener?: StatsListener<FileStats> | StatsListener<BigIntFileStats>,
  ): void {
    // Checked even with nothing to stop, as Node's.
    if (this.#statWatchers === null) resolvedPathChecked(filename);
    else this.#statWatchers.unwatch(filename, listener);
  }

  /** @internal The loop, for the watchers made here. */
  loopOf(): Loop {
    return this.#host.loop;
  }

  /** The steps of a recursive mkdir in the callback form: each delivered in the deliver phase. */
  #directorySteps(bits: number): DirectorySteps {
    return {
      mkdir: (at, done) => {
        this.atPath(OP_MKDIRAT, 'mkdir', Outcome.Void, at, bits, 0, done, null);
      },
      kindOf: (at, done) => {
        const got = (err: FileSystemError | null, stats: FileStats | null) =>
          done(nameKind(stats), err);
        this.atPath(OP_STATX, 'stat', Outcome.Stats, at, 0, 0, got, null);
      },
    };
  }

  // ------------------------------------------------ shared by both forms

  /** @internal A read or write of one buffer. */
  io(
    code: OpCode,
    fd: number,
    buffer: NodeJS.ArrayBufferView,
    position: number | bigint | null,
    callback: FileCallback | null,
    signal: AbortSignal | null,
  ): Promise<number> | undefined {
    checkFd(fd);
    // A Buffer from alloc() says so itself, and spans its whole block. Asked
    // of that record, not of the Buffer: the property alloc() adds gives the
    // Buffer a shape on which V8 no longer inlines `byteLength`. Only
    // alloc() sets that property, on Uint8Arrays it made, so a buffer that
    // has it needs no `instanceof` (a walk up its prototype chain); one
    // made to look so is still checked, address and length, by sys.
    const mem = (buffer as MaybePinned | null | undefined)?.[PINNED];
    if (mem === undefined) {
      const bytes = bytesView('buffer', buffer);
      return this.#ioView(code, fd, bytes, checkPosition(position), callback, signal);
    }
    const pos = checkPosition(position);
    const slot = this.#ops.take(code, code === READ_OP ? 'read' : 'write', BYTES);
    return this.#run(slot, callback, signal, fd, mem, 0, mem.length, pos);
  }

  /**
   * {@link io} for any other Uint8Array: a view into a pinned block is found
   * by its ArrayBuffer; anything else goes through the slot's bounce buffer.
   * Apart so that the path of alloc()'s Buffers stays small enough to inline.
   */
  #ioView(
    code: OpCode,
    fd: number,
    buffer: Uint8Array,
    pos: number,
    callback: FileCallback | null,
    signal: AbortSignal | null,
  ): Promise<number> | undefined {
    const slot = this.#ops.take(code, code === READ_OP ? 'read' : 'write', BYTES);
    let length = buffer.byteLength;
    let mem: PinnedMemory | undefined;
    let offset = 0;
    if (length > 0) {
      mem = this.#pinned.get(buffer.buffer as ArrayBuffer);
      offset = buffer.byteOffset;
    }
    if (mem === undefined) {
      length = Math.min(length, MAX_BOUNCE);
      mem = slot.bounceFor(length);
      offset = 0;
      if (length > 0) {
        slot.user = buffer;
        if (code === OP_WRITE)
          slot.bytes.set(length === buffer.byteLength ? buffer : buffer.subarray(0, length));
      }
    }
    return this.#run(slot, callback, signal, fd, mem, offset, length, pos);
  }

  /**
   * @internal A readv or writev. When every buffer is pinned memory (from
   * alloc(), or a view into one), the kernel reads or writes them in place:
   * one OP_READV/OP_WRITEV over an iovec array in the slot's bounce buffer.
   * Otherwise one read or write through the bounce buffer, copied in order.
   */
  vectored(
    code: OpCode,
    fd: number,
    buffers: readonly NodeJS.ArrayBufferView[],
    position: number | bigint | null,
    callback: FileCallback | null,
    signal: AbortSignal | null,
  ): Promise<number> | undefined {
    checkFd(fd);
    const views = checkBuffers(buffers);
    const pos = checkPosition(position);
    const syscall = code === OP_READ ? 'read' : 'write'; // as Node names a readv's error
    const slot = this.#ops.take(code, syscall, Outcome.Bytes);
    const count = views.length;
    if (count > 0 && count <= MAX_IOVECS) {
      const mem = slot.bounceFor(count * IOVEC_SIZE);
      if (this.#putIovecs(slot, views)) {
        slot.code = code === OP_READ ? OP_READV : OP_WRITEV;
        return this.#run(slot, callback, signal, fd, mem, 0, count, pos);
      }
    }
    let total = 0;
    for (const b of views) total += b.byteLength;
    const length = Math.min(total, MAX_BOUNCE);
    const mem = slot.bounceFor(length);
    if (code === OP_READ) slot.keepVectors(views);
    else gather(views, slot.bytes.subarray(0, length));
    return this.#run(slot, callback, signal, fd, mem, 0, length, pos);
  }

  /** Writes the iovec array of `buffers` at the start of the slot's bounce buffer; false when one is not pinned. */
  #putIovecs(slot: OpSlot, buffers: readonly Uint8Array[]): boolean {
    const words = slot.words;
    for (let i = 0; i < buffers.length; i++) {
      const b = buffers[i]!;
      const mem = (b as MaybePinned)[PINNED] ?? this.#pinned.get(b.buffer as ArrayBuffer);
      if (mem === undefined) return false;
      // A freed block's views are empty: an entry of 0 bytes, which moves nothing.
      const length = b.byteLength;
      const address = length === 0 ? 0 : mem.address + b.byteOffset;
      const w = i * (IOVEC_SIZE / 4);
      words[w] = address >>> 0;
      words[w + 1] = Math.floor(address / 0x1_0000_0000);
      words[w + 2] = length;
      words[w + 3] = 0;
    }
    return true;
  }

  /** @internal An operation on an fd with no memory (sync, close, ftruncate). */
  plain(
    code: OpCode,
    syscall: string,
    outcome: Outcome,
    fd: number,
    position: number,
    // biome-ignore lint/suspicious/noExplicitAny: each caller's own callback type
    callback: ((err: FileSystemError | null, value: any) => void) | null,
    signal: AbortSignal | null,
  ): Promise<unknown> | undefined {
    checkFd(fd);
    const slot = this.#ops.take(code, syscall, outcome);
    return this.#run(slot, callback, signal, fd, null, 0, 0, position);
  }

  /** @internal An operation with paths in the slot's bounce buffer. */
  pathOp(
    code: OpCode,
    syscall: string,
    outcome: Outcome,
    dirfd: number,
    path: Uint8Array,
    dest: Uint8Array | null,
    arg: number,
    mode: number,
    names: [string, string | null] | null,
    // biome-ignore lint/suspicious/noExplicitAny: each caller's own callback type
    callback: ((err: FileSystemError | null, value: any) => void) | null,
    signal: AbortSignal | null,
  ): Promise<unknown> | undefined {
    if (dirfd !== AT_FDCWD) checkInt('fd', dirfd, 0, FD_MAX);
    const slot = this.#ops.take(code, syscall, outcome);
    const second = slot.putPaths(path, dest, code === OP_STATX);
    if (names !== null) {
      slot.path = names[0];
      slot.dest = names[1];
    }
    // What each opcode carries where (see @evring/backend's OP_* constants):
    // its flags (mkdir: its mode) in `length`; in `position`, the second
    // path of the calls that have one (rename, link, symlink), the statx
    // buffer, or openat's mode.
    const position = dest !== null ? second : code === OP_STATX ? slot.statxAt : mode;
    return this.#run(slot, callback, signal, dirfd, null, 0, arg, position);
  }

  /**
   * @internal open, stat, lstat, unlink, rmdir, mkdir: one path from the
   * working directory; `arg` is the opcode's flags (mkdir: its mode), `mode` openat's.
   */
  atPath(
    code: OpCode,
    syscall: string,
    outcome: Outcome,
    path: PathLike,
    arg: number,
    mode: number,
    // biome-ignore lint/suspicious/noExplicitAny: each caller's own callback type
    callback: ((err: FileSystemError | null, value: any) => void) | null,
    signal: AbortSignal | null,
  ): Promise<unknown> | undefined {
    const bytes = pathBytes('path', path);
    const names: [string, null] = [pathString(path), null];
    return this.pathOp(
      code,
      syscall,
      outcome,
      AT_FDCWD,
      bytes,
      null,
      arg,
      mode,
      names,
      callback,
      signal,
    );
  }

  /**
   * @internal rename, link and symlink: two paths, named in errors as Node
   * names them; a symlink's `symlinkType` is checked after both, as Node's.
   */
  twoPaths(
    code: typeof OP_RENAMEAT | typeof OP_LINKAT | typeof OP_SYMLINKAT,
    from: PathLike,
    to: PathLike,
    callback: DoneCallback | null,
    signal: AbortSignal | null,
    symlinkType?: unknown,
  ): Promise<void> | undefined {
    const [syscall, fromName, toName] = TWO_PATH_NAMES[code];
    const a = pathBytes(fromName, from);
    const b = pathBytes(toName, to);
    if (code === OP_SYMLINKAT) checkSymlinkType(symlinkType);
    return this.pathOp(
      code,
      syscall,
      Outcome.Void,
      AT_FDCWD,
      a,
      b,
      0,
      0,
      [pathString(from), pathString(to)],
      callback,
      signal,
    ) as Promise<void> | undefined;
  }

  /** Starts `slot`: with a callback, nothing returned; else a promise. */
  #run(
    slot: OpSlot,
    // biome-ignore lint/suspicious/noExplicitAny: each caller's own callback type
    callback: ((err: FileSystemError | null, value: any) => void) | null,
    signal: AbortSignal | null,
    fd: number,
    mem: PinnedMemory | null,
    offset: number,
    length: number,
    position: number,
  ): Promise<number> | undefined {
    if (callback !== null) {
      slot.callback = callback;
      this.#ops.start(slot, fd, mem, offset, length, position);
      return undefined;
    }
    return this.#ops.promise<number>(slot, signal, fd, mem, offset, length, position);
  }
}

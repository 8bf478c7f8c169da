/**
 * `loop.fs.promises`: the promise forms of `loop.fs`, and the part of
 * `fs/promises` that code uses most — `open()` giving a
 * {@link LoopFileHandle}, `readFile`, `writeFile`, `appendFile`, `stat`,
 * `lstat`, `truncate`, `rename`, `unlink`, `rmdir`, `mkdir`, `mkdtemp`,
 * `link`, `symlink`, `readdir`, `opendir`, `watch`, `cp`, `rm`, `access`, `chmod`, `chown`, `lchown`,
 * `utimes`, `lutimes`, `readlink`, `realpath`, `copyFile`, `statfs`, `constants` — with the same
 * names, arguments and results, so that such code moves over by changing
 * where `fs` comes from. Every call also takes `{ signal }`: aborting
 * cancels the operation in the kernel (the calls io_uring has no operation
 * for, made at once, only check it first).
 *
 * Every call of `fs/promises` is covered; `node:fs`' path streams and
 * `watch` are on `loop.fs`.
 *
 * @module
 */

import { EventEmitter } from 'node:events';
import type { BigIntStatsFs, Dirent, StatsFs } from 'node:fs';
import { constants as fsConstants } from 'node:fs';
import { createInterface, type Interface } from 'node:readline';
import { AT_REMOVEDIR, AT_SYMLINK_NOFOLLOW, DT_UNKNOWN } from '@evring/abi';
import {
  OP_CLOSE,
  OP_FDATASYNC,
  OP_FSYNC,
  OP_FTRUNCATE,
  OP_LINKAT,
  OP_MKDIRAT,
  OP_READ,
  OP_RENAMEAT,
  OP_STATX,
  OP_SYMLINKAT,
  OP_UNLINKAT,
  OP_WRITE,
  type OpCode,
} from '@evring/backend';
import { closeOwned } from '@evring/sys';
import { bindMethods } from './bound-methods.js';
import {
  abortError,
  type CodedError,
  checkInt,
  checkSignal,
  coded,
  invalidType,
  invalidValue,
  LOOP_DESTROYED,
  outOfRange,
} from './errors.js';
import {
  bindingMode,
  checkId,
  type NameOptions,
  nameOf,
  nameOptions,
  onFd,
  onPath,
  requiredMode,
  statFsOf,
  type TimeLike,
  unixSeconds,
} from './file-attributes.js';
import {
  bytesOf,
  checkAborted,
  contentOptions,
  DATA_TYPES,
  decoded,
  ReadPlan,
} from './file-content.js';
import { copyFile, copyPaths } from './file-copy.js';
import { type CpOptions, cp } from './file-cp.js';
import { LoopDir, type OpendirOptions, opendirArguments } from './file-dir.js';
import { forgetHandle, watchHandle } from './file-handle-gc.js';
import {
  type DirectorySteps,
  type MkdirOptions,
  makeDirectories,
  mkdirOptions,
  mkdirStart,
  nameKind,
} from './file-mkdirp.js';
import {
  encodePath,
  MKDTEMP_MODE,
  type MkdtempOptions,
  makeTempDirectory,
  mkdtempArguments,
} from './file-mkdtemp.js';
import {
  bytesOfView,
  type FileSystemError,
  fileError,
  Outcome,
  PROMISE_FORM,
  tiedFd,
  VIEW_TYPES,
} from './file-ops.js';
import {
  entryName,
  makeDirent,
  type RawEntry,
  type ReaddirOptions,
  readdirArguments,
  readEntries,
  typeOfMode,
} from './file-readdir.js';
import { readdirRecursive } from './file-readdir-recursive.js';
import { type RmOptions, remove, rmArguments } from './file-rm.js';
import type { BigIntFileStats, FileStats } from './file-stats.js';
import {
  LoopReadStream,
  LoopWriteStream,
  type ReadStreamOptions,
  type WriteStreamOptions,
} from './file-streams.js';
import { type WatchEvent, type WatchOptions, watchEvents } from './file-watch.js';
import type { FileOpOptions, LoopFiles } from './files.js';
import {
  type OpenFlags,
  type PathLike,
  pathBytes,
  pathString,
  type SymlinkType,
} from './open-flags.js';

/** open(2)'s O_DIRECTORY on this platform: readdir's open fails with ENOTDIR on anything else. */
const O_DIRECTORY = fsConstants.O_DIRECTORY;
/** Between a directory's path and an entry's name, when readdir asks lstat of the entry. */
const SLASH = Buffer.from('/');
/**
 * Options of `readFile`, as `fs/promises` takes them.
 *
 * @example
 * ```ts
 * import { Loop, type ReadFileOptions } from '@evring/loop';
 * const options: ReadFileOptions = { encoding: 'utf8', signal: AbortSignal.timeout(1000) };
 * const text = await new Loop().fs.promises.readFile('/etc/hostname', options);
 * ```
 */
export interface ReadFileOptions extends FileOpOptions {
  /** Decode to a string; a Buffer without. */
  encoding?: BufferEncoding | null;
  /** Open flags (default 'r'). */
  flag?: OpenFlags;
}

/**
 * Options of `rmdir`, as `fs/promises` takes them. `recursive: true` is
 * refused with a typed error (Node deprecated it; use {@link FilePromises.rm});
 * `maxRetries` and `retryDelay` are checked as Node checks them, and
 * matter to a recursive removal only.
 *
 * @example
 * ```ts
 * import { Loop, type RmdirOptions } from '@evring/loop';
 * const options: RmdirOptions = { signal: AbortSignal.timeout(1000) };
 * await new Loop().fs.promises.rmdir('/tmp/evring-empty', options);
 * ```
 */
export interface RmdirOptions extends FileOpOptions {
  recursive?: false;
  maxRetries?: number;
  retryDelay?: number;
}

/**
 * @internal rmdir's options, for both forms, checked in Node's order (after
 * the path) and as Node checks them: an array is no object, and a property
 * given as undefined is checked (Node spreads the options over its
 * defaults); the signal.
 */
export function rmdirSignal(path: PathLike, options: unknown): AbortSignal | null {
  if (options === undefined) return null;
  pathBytes('path', path);
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalidType('options', 'of type object', options);
  }
  const given = (key: keyof RmdirOptions) =>
    Object.prototype.propertyIsEnumerable.call(options, key);
  const { recursive, maxRetries, retryDelay, signal } = options as RmdirOptions;
  if (given('recursive') && typeof recursive !== 'boolean') {
    throw invalidType('options.recursive', 'of type boolean', recursive);
  }
  if (given('retryDelay')) checkInt('options.retryDelay', retryDelay, 0, 2 ** 31 - 1);
  if (given('maxRetries')) checkInt('options.maxRetries', maxRetries, 0, 2 ** 32 - 1);
  if (recursive) {
    throw invalidValue(
      'options.recursive',
      'is not supported by loop.fs (use loop.fs.promises.rm)',
      true,
    );
  }
  return checkSignal(signal) ?? null;
}

/**
 * Options of `stat`, `lstat`, `fstat` and a handle's `stat`, as
 * `fs/promises` takes them.
 *
 * @example
 * ```ts
 * import { Loop, type StatOptions } from '@evring/loop';
 * const options: StatOptions = { bigint: true };
 * const { size } = await new Loop().fs.promises.stat('/etc/hostname', options);
 * ```
 */
export interface StatOptions extends FileOpOptions {
  /** Give a {@link BigIntFileStats}: every field an exact bigint, times also in nanoseconds. */
  bigint?: boolean;
}

/** @internal What a stat's options ask its answer to become. */
export function statOutcome(o: StatOptions | undefined): Outcome {
  const big = o?.bigint;
  if (big !== undefined && typeof big !== 'boolean') {
    throw invalidType('options.bigint', 'of type boolean', big);
  }
  return big === true ? Outcome.BigStats : Outcome.Stats;
}

/**
 * Options of `writeFile` and `appendFile`, as `fs/promises` takes them.
 *
 * @example
 * ```ts
 * import { Loop, type WriteFileOptions } from '@evring/loop';
 * const options: WriteFileOptions = { mode: 0o600, flag: 'wx' };
 * await new Loop().fs.promises.writeFile('/tmp/evring-secret', 'hush', options);
 * ```
 */
export interface WriteFileOptions extends FileOpOptions {
  /** How a string is encoded (default 'utf8'). */
  encoding?: BufferEncoding | null;
  /** The mode of a file created (default 0o666, before the umask). */
  mode?: number | string;
  /** Open flags (default 'w'; 'a' for appendFile). */
  flag?: OpenFlags;
  /**
   * fsync(2) the file once all of the data is written (default false), as
   * Node 20's `flush`. Like Node's, taken by the path form only: a
   * handle's writeFile leaves syncing to `handle.sync()`.
   */
  flush?: boolean;
}

/**
 * A string write's encoding, as Node's FileHandle.write reads it: one
 * Buffer knows, else UTF-8 (its binding's default, for an unknown name
 * too); hex with an odd number of characters is refused, as Node's
 * validateEncoding refuses it.
 */
function stringEncoding(data: string, encoding: unknown): BufferEncoding {
  if (typeof encoding !== 'string' || !Buffer.isEncoding(encoding)) return 'utf8';
  if (data.length % 2 !== 0 && encoding.toLowerCase() === 'hex') {
    throw invalidValue('encoding', `is invalid for data of length ${data.length}`, encoding);
  }
  return encoding;
}

/** A handle read's or write's offset, as Node's checks it: none is 0, else an integer from 0. */
function spanOffset(offset: unknown): number {
  return offset == null ? 0 : checkInt('offset', offset, 0, Number.MAX_SAFE_INTEGER);
}

/**
 * A handle read's length, checked in the order and the words of Node's
 * FileHandle.read, after the offset: a length of 0 (the default, for a
 * full buffer) reads nothing and checks nothing more; else the buffer must
 * hold something, and `offset + length` fit in it.
 */
function readLength(buffer: unknown, size: number, off: number, length: unknown): number {
  const len = length ?? size - off;
  if (len === 0) return 0;
  if (size === 0) throw invalidValue('buffer', 'is empty and cannot be written', buffer);
  // (Node 20 aborts on a length that is no integer; it is refused here.)
  if (typeof len !== 'number') throw invalidType('length', 'of type number', len);
  if (!Number.isInteger(len)) throw outOfRange('length', 'an integer', len);
  if (len < 0) throw outOfRange('length', '>= 0', len);
  if (off + len > size) throw outOfRange('length', `<= ${size - off}`, len);
  return len;
}

/**
 * A handle write's length, checked in the order and the words of Node's
 * FileHandle.write, after the offset: the offset not past the buffer; a
 * length that is no number is the rest of the buffer; else it must fit,
 * and be an int32 from 0.
 */
function writeLength(size: number, off: number, length: unknown): number {
  const len = typeof length === 'number' ? length : size - off;
  if (off > size) throw outOfRange('offset', `<= ${size}`, off);
  if (len > size - off) throw outOfRange('length', `<= ${size - off}`, len);
  if (len < 0) throw outOfRange('length', '>= 0', len);
  return checkInt('length', len, 0, 2 ** 31 - 1);
}

function signalOf(o: FileOpOptions | undefined): AbortSignal | null {
  return checkSignal(o?.signal) ?? null;
}

/**
 * What `writeFile` and `appendFile` write, as `fs/promises` takes it: a
 * string (encoded with the call's encoding), any TypedArray or DataView,
 * or an iterable or async iterable of those (a Readable stream is one),
 * written chunk after chunk.
 *
 * @example
 * ```ts
 * import { Loop, type WriteFileData } from '@evring/loop';
 * async function* lines(): AsyncGenerator<string> {
 *   yield 'one\n';
 *   yield 'two\n';
 * }
 * const data: WriteFileData = lines();
 * await new Loop().fs.promises.writeFile('/tmp/evring-lines', data);
 * ```
 */
export type WriteFileData =
  | string
  | NodeJS.ArrayBufferView
  | Iterable<string | NodeJS.ArrayBufferView>
  | AsyncIterable<string | NodeJS.ArrayBufferView>;

/** `data` checked before anything opens: its bytes, or the iterable to write from. */
function writeSource(
  data: unknown,
  encoding: BufferEncoding | null | undefined,
): Uint8Array | Iterable<unknown> | AsyncIterable<unknown> {
  const bytes = bytesOf(data, encoding);
  if (bytes !== null) return bytes;
  if (
    typeof data === 'object' &&
    data !== null &&
    (Symbol.iterator in data || Symbol.asyncIterator in data)
  ) {
    return data as Iterable<unknown> | AsyncIterable<unknown>;
  }
  throw invalidType('data', DATA_TYPES, data);
}

/**
 * A call on a closed handle: EBADF made as Node makes it, an `Error`
 * `'file closed'` with `code` and `syscall` and no `errno` (no syscall
 * failed: the call never reached the kernel), under the name Node gives
 * the call: the method's own for `readFile`, `writeFile` (`appendFile`'s
 * too), `readv` and `writev`, the syscall's for the others (`fstat`,
 * `ftruncate`, `fsync`, ...).
 */
function handleClosed(syscall: string): Error & { code: 'EBADF'; syscall: string } {
  return Object.assign(new Error('file closed'), { code: 'EBADF' as const, syscall });
}

/**
 * An open file, shaped like `fs/promises`' `FileHandle`: `read`, `write`,
 * `readv`, `writev`, `stat`, `truncate`, `sync`, `datasync`, `readFile`,
 * `writeFile`, `appendFile`, its streams, `close` and `await using`. Once
 * `close()` is called every new call rejects with EBADF, and, as Node's,
 * it closes the fd only when the calls under way have ended: a `readFile`
 * or `writeFile` in many steps finishes on the handle's own file, never on
 * one that takes the number after the close. As Node's, it is an
 * EventEmitter that emits `'close'` when `close()` is first called, and
 * its streams hold it open: a `close()` ends each of them as Node's
 * `stream.close()` does (a read stream is destroyed, quietly; a write
 * stream is ended, writing what it holds first), and the fd is closed once
 * they are done; calls go on meanwhile. A handle the garbage collector takes
 * before its `close()` has its fd closed then, with a process warning
 * (`EVRING_FILEHANDLE_GC`), as Node does, unless the number names another
 * file by then (closed behind the handle's back and reused); so has one
 * still open when its worker ends.
 *
 * @example
 * ```ts
 * import { Loop } from '@evring/loop';
 * const loop = new Loop();
 * const fh = await loop.fs.promises.open('/tmp/evring-handle', 'w+');
 * await fh.write('hello');
 * const { bytesRead, buffer } = await fh.read(Buffer.alloc(5), 0, 5, 0);
 * console.log(bytesRead, buffer.toString()); // 5 hello
 * await fh.close();
 * ```
 */
export class LoopFileHandle extends EventEmitter {
  #fd: number;
  readonly #files: LoopFiles;
  /** Calls under way, and streams holding the handle: the fd is closed only when the last one ends. */
  #busy = 0;
  /**
   * The streams holding the handle open ({@link LoopFileHandle.hold}), by
   * what each does when `close()` is called. Kept here, not as `'close'`
   * listeners: a caller's `removeAllListeners()` cannot undo them, and
   * many streams at once raise no listener-leak warning.
   */
  readonly #holders = new Set<() => void>();
  /** The promise of a `close()` called and not yet settled. */
  #closing: Promise<void> | null = null;
  /** Set while `close()` waits for the calls under way: it closes the fd. */
  #closeWhenIdle: (() => void) | null = null;

  /** @internal Made by `open()`. */
  constructor(fd: number, files: LoopFiles) {
    super();
    this.#fd = fd;
    this.#files = files;
  }

  /** The fd, or −1 once closed (a `close()` waiting for calls under way keeps it until they end). */
  get fd(): number {
    return this.#fd;
  }

  /**
   * The fd for a call starting now, counted as under way until its
   * {@link LoopFileHandle.#done}. EBADF once `close()` was called, as
   * Node's closed FileHandle, unless a stream still holds the handle open
   * (its calls go on until it is done, as on Node's).
   */
  #use(syscall: string): number {
    if (this.#fd < 0 || (this.#closing !== null && this.#holders.size === 0)) {
      throw handleClosed(syscall);
    }
    this.#busy++;
    return this.#fd;
  }

  /**
   * @internal A stream made on the handle holds it open until it
   * {@link LoopFileHandle.release}s it, as Node's streams ref their
   * FileHandle: a `close()` calls `onClose` (the stream ends itself) and
   * waits for the release. False (no hold) once `close()` was called.
   */
  hold(onClose: () => void): boolean {
    if (this.#fd < 0 || this.#closing !== null) return false;
    this.#busy++;
    this.#holders.add(onClose);
    return true;
  }

  /** @internal The end of the {@link LoopFileHandle.hold} made with `onClose`; again, nothing. */
  release(onClose: () => void): void {
    if (this.#holders.delete(onClose)) this.#done();
  }

  /** A call has ended: the last one lets a waiting `close()` go on. */
  #done(): void {
    if (--this.#busy === 0 && this.#closeWhenIdle !== null) this.#closeWhenIdle();
  }

  /**
   * Runs `call` on the handle's fd as a call under way ({@link
   * LoopFileHandle.#use} now, its `#done` when it settles); EBADF once
   * `close()` was called.
   */
  async #under<T>(syscall: string, call: (fd: number) => Promise<T>): Promise<T> {
    const fd = this.#use(syscall);
    try {
      return await call(fd);
    } finally {
      this.#done();
    }
  }

  /**
   * Reads into `buffer` (default a new 16 KiB Buffer) from `offset` for
   * `length` bytes, at file `position` (null: the current position).
   */
  async read<T extends NodeJS.ArrayBufferView = Buffer>(
    buffer?:
      | T
      | { buffer?: T; offset?: number; length?: number; position?: number | bigint | null },
    offset?:
      | number
      | { offset?: number; length?: number; position?: number | bigint | null }
      | null,
    length?: number | null,
    position?: number | bigint | null,
  ): Promise<{ bytesRead: number; buffer: T }> {
    let buf: T;
    let off = 0;
    let len: number | undefined;
    let pos: number | bigint | null = null;
    if (ArrayBuffer.isView(buffer)) {
      buf = buffer;
      if (typeof offset === 'object' && offset !== null) {
        off = offset.offset ?? 0;
        len = offset.length ?? undefined;
        pos = offset.position ?? null;
      } else {
        off = offset ?? 0;
        len = length ?? undefined;
        pos = position ?? null;
      }
    } else {
      // read(options): an object (or nothing), as Node's validateObject takes it.
      if (
        buffer !== undefined &&
        buffer !== null &&
        (typeof buffer !== 'object' || Array.isArray(buffer))
      ) {
        throw invalidType('options', 'of type object', buffer);
      }
      const o = buffer ?? {};
      buf = o.buffer ?? (Buffer.alloc(16384) as unknown as T);
      off = o.offset ?? 0;
      len = o.length ?? undefined;
      pos = o.position ?? null;
    }
    if (!ArrayBuffer.isView(buf)) throw invalidType('buffer', VIEW_TYPES, buf);
    const bytes = bytesOfView(buf); // a DataView or other TypedArray as its bytes
    const start = spanOffset(off);
    const n = readLength(buf, bytes.byteLength, start, len);
    const view = start === 0 && n === bytes.byteLength ? bytes : bytes.subarray(start, start + n);
    const bytesRead = await this.#under(
      'read',
      (fd) => this.#files.io(OP_READ, fd, view, pos, null, null)!,
    );
    return { bytesRead, buffer: buf };
  }

  /**
   * Writes `buffer[offset .. offset+length)` (or a string, encoded) at file
   * `position` (null: the current position; a file opened for appending
   * always writes at its end).
   */
  async write<T extends NodeJS.ArrayBufferView | string>(
    data: T,
    offset?:
      | number
      | bigint
      | null
      | { offset?: number; length?: number; position?: number | bigint | null },
    length?: number | BufferEncoding | null,
    position?: number | bigint | null,
  ): Promise<{ bytesWritten: number; buffer: T }> {
    let bytes: Uint8Array;
    let pos: number | bigint | null;
    if (typeof data === 'string') {
      // write(string, position?, encoding?)
      pos = typeof offset === 'number' || typeof offset === 'bigint' ? offset : null;
      bytes = Buffer.from(data, stringEncoding(data, length));
    } else if (ArrayBuffer.isView(data)) {
      const view = bytesOf(data, null)!; // a DataView or other TypedArray as its bytes
      let off: unknown;
      let len: unknown;
      if (typeof offset === 'object' && offset !== null) {
        off = offset.offset;
        len = offset.length;
        pos = offset.position ?? null;
      } else {
        off = offset; // a bigint is refused by spanOffset
        len = length;
        pos = position ?? null;
      }
      // An empty buffer writes nothing, its offset and length unchecked, as Node's.
      const start = view.byteLength === 0 ? 0 : spanOffset(off);
      const n = view.byteLength === 0 ? 0 : writeLength(view.byteLength, start, len);
      bytes = start === 0 && n === view.byteLength ? view : view.subarray(start, start + n);
    } else {
      throw invalidType('buffer', DATA_TYPES, data);
    }
    const bytesWritten = await this.#under(
      'write',
      (fd) => this.#files.io(OP_WRITE, fd, bytes, pos, null, null)!,
    );
    return { bytesWritten, buffer: data };
  }

  /** Reads into `buffers` in order from `position` (null: the current position). */
  async readv<T extends readonly NodeJS.ArrayBufferView[]>(
    buffers: T,
    position?: number | bigint | null,
  ): Promise<{ bytesRead: number; buffers: T }> {
    return { bytesRead: await this.#vectored(OP_READ, 'readv', buffers, position), buffers };
  }

  /** Writes `buffers` in order at `position` (null: the current position). */
  async writev<T extends readonly NodeJS.ArrayBufferView[]>(
    buffers: T,
    position?: number | bigint | null,
  ): Promise<{ bytesWritten: number; buffers: T }> {
    return { bytesWritten: await this.#vectored(OP_WRITE, 'writev', buffers, position), buffers };
  }

  /** readv and writev: one call under way on the handle's fd (`syscall` names it once the handle is closed, as Node's). */
  async #vectored(
    op: typeof OP_READ | typeof OP_WRITE,
    syscall: string,
    buffers: readonly NodeJS.ArrayBufferView[],
    position: number | bigint | null | undefined,
  ): Promise<number> {
    return this.#under(
      syscall,
      (fd) => this.#files.vectored(op, fd, buffers, position ?? null, null, null)!,
    );
  }

  /** The file's status. */
  async stat(options: StatOptions & { bigint: true }): Promise<BigIntFileStats>;
  async stat(options?: StatOptions & { bigint?: false }): Promise<FileStats>;
  async stat(options?: StatOptions): Promise<FileStats | BigIntFileStats>;
  async stat(options?: StatOptions): Promise<FileStats | BigIntFileStats> {
    return this.#under('fstat', (fd) => this.#files.promises.fstat(fd, options));
  }

  /** fchmod(2): the permission bits `mode` (a number, or an octal string). */
  async chmod(mode: number | string): Promise<void> {
    return this.#now('fchmod', (fd) => onFd.chmod(fd, requiredMode(mode)));
  }

  /** fchown(2): owner `uid` and group `gid` (−1 leaves one as it is). */
  async chown(uid: number, gid: number): Promise<void> {
    return this.#now('fchown', (fd) => onFd.chown(fd, checkId('uid', uid), checkId('gid', gid)));
  }

  /** futimens(2): access and modification times, as `loop.fs.promises.utimes` takes them. */
  async utimes(atime: TimeLike, mtime: TimeLike): Promise<void> {
    return this.#now('futimes', (fd) =>
      onFd.utimes(fd, unixSeconds(atime, 'atime'), unixSeconds(mtime, 'mtime')),
    );
  }

  /**
   * A call io_uring has no operation for, made now on the handle's fd: EBADF
   * once `close()` was called (named `syscall`, as Node names it), and
   * ERR_EVRING_LOOP_DESTROYED once the loop is; `call` checks its
   * arguments, then makes it.
   */
  #now(syscall: string, call: (fd: number) => void): void {
    const fd = this.#use(syscall);
    try {
      this.#files.checkLive(syscall);
      call(fd);
    } finally {
      this.#done();
    }
  }

  /** Truncates (or extends with zeros) to `len` bytes (default 0). */
  async truncate(len = 0): Promise<void> {
    return this.#under('ftruncate', (fd) => this.#files.promises.ftruncate(fd, len));
  }

  /** fsync(2). */
  async sync(): Promise<void> {
    return this.#under('fsync', (fd) => this.#files.promises.fsync(fd));
  }

  /** fdatasync(2). */
  async datasync(): Promise<void> {
    return this.#under('fdatasync', (fd) => this.#files.promises.fdatasync(fd));
  }

  /** Reads from the current position to the end of the file. */
  async readFile(opts?: ReadFileOptions | BufferEncoding | null): Promise<Buffer | string> {
    const o = contentOptions<ReadFileOptions>(opts);
    const signal = signalOf(o);
    const bytes = await this.#under('readFile', (fd) => readAll(this.#files, fd, false, signal));
    return decoded(bytes, o.encoding);
  }

  /** Writes all of `data` at the current position. */
  async writeFile(
    data: WriteFileData,
    opts?: WriteFileOptions | BufferEncoding | null,
  ): Promise<void> {
    const o = contentOptions<WriteFileOptions>(opts);
    // Checked as Node's checks it, though a handle's writeFile does not sync.
    const flush = o.flush ?? false;
    if (typeof flush !== 'boolean') throw invalidType('options.flush', 'of type boolean', flush);
    const source = writeSource(data, o.encoding);
    const signal = signalOf(o);
    return this.#under('writeFile', (fd) => writeFrom(this.#files, fd, source, o.encoding, signal));
  }

  /** Writes all of `data` at the current position (at the end for a file opened to append). */
  async appendFile(
    data: WriteFileData,
    opts?: WriteFileOptions | BufferEncoding | null,
  ): Promise<void> {
    return this.writeFile(data, opts);
  }

  /**
   * A readable stream of the file from `start` (default: the current
   * position) to `end` (inclusive), read through this handle, as
   * `FileHandle.createReadStream`. It closes the handle when it ends
   * unless `autoClose` is false; `destroy()` or an abort closes it always,
   * as Node's does.
   */
  createReadStream(options?: ReadStreamOptions): LoopReadStream {
    return new LoopReadStream(this, options);
  }

  /**
   * A writable stream into the file at `start` (default: the current
   * position), written through this handle, as
   * `FileHandle.createWriteStream`. It closes the handle when it finishes
   * unless `autoClose` is false; `destroy()` or an abort closes it always,
   * as Node's does.
   */
  createWriteStream(options?: WriteStreamOptions): LoopWriteStream {
    return new LoopWriteStream(this, options);
  }

  /**
   * The file's lines, as `FileHandle.readLines`: a `readline` interface over
   * {@link LoopFileHandle.createReadStream}`(options)`, for `for await`.
   * Its stream destroyed before the end (the handle closed, say) closes
   * the interface, which ends a `for await` with the lines read so far;
   * Node's waits for an end that never comes.
   */
  readLines(options?: ReadStreamOptions): Interface {
    const input = this.createReadStream(options);
    const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
    input.once('close', () => lines.close());
    return lines;
  }

  /**
   * Closes the fd once the calls under way have ended and the handle's
   * streams are done (at once when there are none); calls made from now
   * on reject with EBADF, unless a stream still holds the handle (then, as
   * on Node's, calls go on until the fd is closed). Emits `'close'`
   * first, which ends each stream as Node's `stream.close()` does. A
   * second `close()` before that returns the same promise, one after it
   * does nothing. Once the loop is destroyed it closes with a direct
   * close(2), if the loop's close did not run: the fd is released either
   * way, and once.
   */
  close(): Promise<void> {
    if (this.#closing !== null) return this.#closing;
    if (this.#fd < 0) return Promise.resolve();
    forgetHandle(this);
    const closed =
      this.#busy === 0
        ? this.#closeFd()
        : new Promise<void>((resolve, reject) => {
            // Run by the last call or stream to end, there and then: the
            // fd reads −1 from that moment, as on Node's.
            this.#closeWhenIdle = () => {
              this.#closeFd().then(resolve, reject);
            };
          });
    this.#closing = closed.finally(() => {
      this.#closing = null;
    });
    const closing = this.#closing;
    this.emit('close');
    // The streams end themselves (see file-streams), and release the handle when done.
    for (const end of [...this.#holders]) end();
    return closing;
  }

  async #closeFd(): Promise<void> {
    const fd = this.#fd;
    this.#fd = -1;
    this.#closeWhenIdle = null;
    try {
      await this.#files.promises.close(fd);
    } catch (err) {
      if ((err as CodedError).code !== LOOP_DESTROYED) throw err;
      // The loop went before the close, or while it was under way: then it
      // may have run (the emulation closes at once, io_uring once the SQE
      // is handed over) or not. The fd's tie knows: the number is closed
      // only if it still names the handle's file, never twice.
      closeOwned(fd);
    }
  }

  /** close(), for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** @internal Closes the fd at once, on this thread (a Dir's closeSync); nothing else uses the handle. */
  closeNow(): void {
    if (this.#fd < 0) return;
    forgetHandle(this);
    const fd = this.#fd;
    this.#fd = -1;
    this.#closeWhenIdle = null;
    closeOwned(fd);
    this.emit('close');
  }
}

/** Reads to the end of the file: from 0 (`fromStart`) or from its current position (see ReadPlan). */
async function readAll(
  files: LoopFiles,
  fd: number,
  fromStart: boolean,
  signal: AbortSignal | null,
): Promise<Buffer> {
  const plan = new ReadPlan();
  for (;;) {
    checkAborted(signal);
    if (plan.full) {
      if (plan.unsized) plan.sized(await files.promises.fstat(fd, signal ? { signal } : {}));
      if (!plan.grow()) break;
    }
    const at = fromStart ? plan.got : null;
    if (!plan.took(await files.io(OP_READ, fd, plan.next(), at, null, signal)!)) break;
  }
  return plan.result();
}

/** Writes all of `bytes` at the fd's current position, continuing after short writes. */
async function writeAll(
  files: LoopFiles,
  fd: number,
  bytes: Uint8Array,
  signal: AbortSignal | null,
): Promise<void> {
  let done = 0;
  while (done < bytes.byteLength) {
    checkAborted(signal);
    done += await files.io(OP_WRITE, fd, bytes.subarray(done), null, null, signal)!;
  }
  checkAborted(signal);
}

/** Writes `source` at the fd's current position: its bytes, or each chunk of the iterable in turn. */
async function writeFrom(
  files: LoopFiles,
  fd: number,
  source: Uint8Array | Iterable<unknown> | AsyncIterable<unknown>,
  encoding: BufferEncoding | null | undefined,
  signal: AbortSignal | null,
): Promise<void> {
  if (source instanceof Uint8Array) return writeAll(files, fd, source, signal);
  for await (const chunk of source) {
    const bytes = bytesOf(chunk, encoding);
    if (bytes === null) throw invalidType('data', DATA_TYPES, chunk);
    await writeAll(files, fd, bytes, signal);
  }
}

/**
 * The promise forms of `loop.fs`, and `fs/promises`' common calls. Reached
 * as `loop.fs.promises`. Every method returns a promise and throws nothing:
 * a bad argument, or a loop already destroyed, rejects it, as
 * `fs/promises` does.
 *
 * @example
 * ```ts
 * import { Loop } from '@evring/loop';
 * const fs = new Loop().fs.promises; // where code had: import fs from 'node:fs/promises'
 * await fs.writeFile('/tmp/evring-note', 'written by the kernel\n');
 * console.log(await fs.readFile('/tmp/evring-note', 'utf8'));
 * console.log((await fs.stat('/tmp/evring-note')).size);
 * await fs.rename('/tmp/evring-note', '/tmp/evring-note.old');
 * await fs.unlink('/tmp/evring-note.old');
 * ```
 */
export class FilePromises {
  readonly #files: LoopFiles;

  /** @internal Made by `loop.fs`. */
  constructor(files: LoopFiles) {
    this.#files = files;
    bindMethods(this, FilePromises.prototype); // `const { readFile } = loop.fs.promises` works, as fs/promises'
  }

  /** `node:fs`' `constants`, as `fs/promises` has them (F_OK, R_OK, O_CREAT, COPYFILE_EXCL, ...). */
  get constants(): typeof fsConstants {
    return fsConstants;
  }

  /** Reads into `buffer` at file `position` (null: the file's offset); resolves with the bytes read. */
  read(
    fd: number,
    buffer: NodeJS.ArrayBufferView,
    position: number | bigint | null,
    options?: FileOpOptions,
  ): Promise<number> {
    try {
      return this.#files.io(OP_READ, fd, buffer, position, null, signalOf(options))!;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Writes `buffer` at file `position` (null: the file's offset); resolves with the bytes written. */
  write(
    fd: number,
    buffer: NodeJS.ArrayBufferView,
    position: number | bigint | null,
    options?: FileOpOptions,
  ): Promise<number> {
    try {
      return this.#files.io(OP_WRITE, fd, buffer, position, null, signalOf(options))!;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** preadv(2) as loop.fs.readv; resolves with the bytes read. */
  readv(
    fd: number,
    buffers: readonly NodeJS.ArrayBufferView[],
    position: number | bigint | null,
    options?: FileOpOptions,
  ): Promise<number> {
    try {
      return this.#files.vectored(OP_READ, fd, buffers, position, null, signalOf(options))!;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** pwritev(2) as loop.fs.writev; resolves with the bytes written. */
  writev(
    fd: number,
    buffers: readonly NodeJS.ArrayBufferView[],
    position: number | bigint | null,
    options?: FileOpOptions,
  ): Promise<number> {
    try {
      return this.#files.vectored(OP_WRITE, fd, buffers, position, null, signalOf(options))!;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** fsync(2). */
  fsync(fd: number, options?: FileOpOptions): Promise<void> {
    return this.#fdOnly(OP_FSYNC, 'fsync', fd, options);
  }

  /** fdatasync(2). */
  fdatasync(fd: number, options?: FileOpOptions): Promise<void> {
    return this.#fdOnly(OP_FDATASYNC, 'fdatasync', fd, options);
  }

  /** close(2) of a bare fd (a {@link LoopFileHandle} has its own `close()`). */
  close(fd: number, options?: FileOpOptions): Promise<void> {
    return this.#fdOnly(OP_CLOSE, 'close', fd, options);
  }

  /** An operation on an fd alone, settled with nothing. */
  #fdOnly(op: OpCode, syscall: string, fd: number, options?: FileOpOptions): Promise<void> {
    try {
      return this.#files.plain(
        op,
        syscall,
        Outcome.Void,
        fd,
        0,
        null,
        signalOf(options),
      ) as Promise<void>;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** ftruncate(2) of a bare fd (a negative `len` is 0, as Node takes it). */
  ftruncate(fd: number, len = 0, options?: FileOpOptions): Promise<void> {
    try {
      // As Node's: any safe integer, a negative one taken as 0.
      const size = Math.max(
        0,
        checkInt('len', len, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
      );
      return this.#files.plain(
        OP_FTRUNCATE,
        'ftruncate',
        Outcome.Void,
        fd,
        size,
        null,
        signalOf(options),
      ) as Promise<void>;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** The status of a bare fd's file (with `{ bigint: true }`, exact bigints). */
  fstat(fd: number, options: StatOptions & { bigint: true }): Promise<BigIntFileStats>;
  fstat(fd: number, options?: StatOptions & { bigint?: false }): Promise<FileStats>;
  fstat(fd: number, options?: StatOptions): Promise<FileStats | BigIntFileStats>;
  fstat(fd: number, options?: StatOptions): Promise<FileStats | BigIntFileStats> {
    try {
      return this.#files.fstatOp(fd, statOutcome(options), null, signalOf(options)) as Promise<
        FileStats | BigIntFileStats
      >;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Opens `path` as `fs/promises`' `open(path, flags, mode)`; resolves with a {@link LoopFileHandle}. */
  async open(
    path: PathLike,
    flags?: OpenFlags,
    mode?: number | string,
    options?: FileOpOptions,
  ): Promise<LoopFileHandle> {
    const handle = await this.#openHandle(path, flags, mode, options);
    watchHandle(handle, handle.fd); // closed if collected before close(), as Node does
    return handle;
  }

  /**
   * open() for the calls that close the handle themselves (readFile,
   * writeFile, truncate, readdir): not watched. `syscall` is what its
   * errors say (readdir's say 'scandir', as Node's).
   */
  async #openHandle(
    path: PathLike,
    flags: OpenFlags | undefined,
    mode: number | string | undefined,
    options: FileOpOptions | undefined,
    syscall = 'open',
  ): Promise<LoopFileHandle> {
    const fd = (await this.#files.openAt(
      path,
      flags,
      mode,
      syscall,
      PROMISE_FORM,
      signalOf(options),
    )) as number;
    // Closed if a worker ends with the handle open, as Node's are; the
    // handle's close ends the tie once it has run (sys sees it complete).
    return new LoopFileHandle(tiedFd(fd, syscall, pathString(path)), this.#files);
  }

  /**
   * The entries of the directory `path`, as `fs/promises`' `readdir`: names
   * (strings, or Buffers with `encoding: 'buffer'`) sorted bytewise as
   * Node's, without `.` and `..`; with `withFileTypes`, `fs.Dirent`s.
   * The directory is opened and closed through the loop; io_uring has no
   * getdents, so its entries are read with getdents64(2) on the loop's
   * thread (a slow network filesystem makes that call wait). Errors say
   * `scandir` and the path, as Node's.
   *
   * With `recursive`, the entries of every subdirectory too, in the order
   * Node 20's walk gives them: names as paths relative to `path`, where a
   * symbolic link to a directory is entered as Node enters it, or Dirents
   * (`withFileTypes`) whose `parentPath` is their directory, where no link
   * is. A link that leads back to a directory the walk is inside is
   * listed, not entered (Node enters it until the kernel's ELOOP, listing
   * the same entries at every level). As in Node 20, a Buffer `path` or
   * `encoding: 'buffer'` fails with ERR_INVALID_ARG_TYPE once an entry's
   * path is made (`path.join` takes strings).
   */
  readdir(
    path: PathLike,
    options: ReaddirOptions & { withFileTypes: true; encoding?: BufferEncoding | null },
  ): Promise<Dirent[]>;
  readdir(
    path: PathLike,
    options: ReaddirOptions & { withFileTypes: true; encoding: 'buffer' },
  ): Promise<Dirent<Buffer>[]>;
  readdir(
    path: PathLike,
    options: 'buffer' | (ReaddirOptions & { encoding: 'buffer'; withFileTypes?: false }),
  ): Promise<Buffer[]>;
  readdir(
    path: PathLike,
    options?: BufferEncoding | (ReaddirOptions & { withFileTypes?: false }) | null,
  ): Promise<string[]>;
  readdir(
    path: PathLike,
    options?: BufferEncoding | 'buffer' | ReaddirOptions | null,
  ): Promise<string[] | Buffer[] | Dirent[] | Dirent<Buffer>[]>;
  async readdir(
    path: PathLike,
    options?: BufferEncoding | 'buffer' | ReaddirOptions | null,
  ): Promise<string[] | Buffer[] | Dirent[] | Dirent<Buffer>[]> {
    const { encoding, withFileTypes, recursive } = readdirArguments(options);
    const opOptions = typeof options === 'object' && options !== null ? options : undefined;
    const signal = signalOf(opOptions);
    if (recursive) return readdirRecursive(this, path, encoding, withFileTypes, opOptions) as never;
    const entries = await this.entries(path, opOptions);
    checkAborted(signal);
    if (!withFileTypes) return entries.map((e) => entryName(e, encoding)) as string[] | Buffer[];
    const parent = path instanceof URL ? pathString(path) : (path as string);
    const out: Dirent[] = [];
    for (const e of entries) {
      let type = e.type;
      if (type === DT_UNKNOWN) {
        // The filesystem did not say: asked of the entry itself, as Node asks.
        const where = Buffer.concat([pathBytes('path', path), SLASH, e.name]); // any name's bytes
        type = typeOfMode((await this.lstat(where, signal ? { signal } : undefined)).mode);
      }
      out.push(makeDirent(entryName(e, encoding), type, parent));
    }
    return out;
  }

  /**
   * @internal The entries of the directory `path` with their `DT_*` types
   * as the filesystem gave them, for `readdir` and `rm`: opened and closed
   * through the loop, read with getdents64(2); errors say `scandir`.
   * `whileOpen` is given the directory's fd before it is closed.
   */
  async entries(
    path: PathLike,
    options: FileOpOptions | undefined,
    whileOpen?: (fd: number) => void,
  ): Promise<RawEntry[]> {
    // A handle for its tie and its close (through the loop; direct if the loop is gone).
    const handle = await this.#openHandle(path, O_DIRECTORY, undefined, options, 'scandir');
    let entries: ReturnType<typeof readEntries>;
    try {
      entries = readEntries(handle.fd);
      whileOpen?.(handle.fd);
    } finally {
      await handle.close();
    }
    if (typeof entries === 'number') throw fileError(entries, 'scandir', pathString(path), null);
    return entries;
  }

  /**
   * The directory `path` opened to be read an entry at a time, as
   * `fs/promises`' `opendir`: a {@link LoopDir} (Node's `Dir`: `read`,
   * `readSync`, `close`, `closeSync`, `for await`). Opened and closed
   * through the loop; read with getdents64(2) on the loop's thread, in the
   * kernel's order. Errors say `opendir` and the path, as Node's.
   *
   * Two things differ from Node 20: a bad `bufferSize` rejects the call
   * (Node 20 checks it once the directory is open, and the process ends
   * on the uncaught error), and `recursive` gives every entry of each
   * subdirectory, as Node 22 does (Node 20 gives its first `bufferSize`).
   */
  async opendir(
    path: PathLike,
    options?: BufferEncoding | OpendirOptions | null,
  ): Promise<LoopDir> {
    pathBytes('path', path); // Node checks the path before the options
    const args = opendirArguments(options);
    const opOptions = typeof options === 'object' && options !== null ? options : undefined;
    const handle = await this.#openHandle(path, O_DIRECTORY, undefined, opOptions, 'opendir');
    return new LoopDir(handle, path instanceof URL ? pathString(path) : (path as string), args);
  }

  /**
   * Copies `src` to `dest` as `fs/promises`' `cp` does: a file, a link, or
   * with `recursive` a directory's tree; the same checks, steps and errors
   * (ERR_FS_CP_*), each step one of this object's calls. `signal` (evring's)
   * ends the copy at its next step.
   */
  cp(src: PathLike, dest: PathLike, options?: CpOptions): Promise<void> {
    return cp(this, src, dest, options);
  }

  /**
   * Changes to `filename` (a file, or a directory's entries), as an async
   * iterator of `{ eventType, filename }`: `'change'` for content or
   * attributes, `'rename'` for a name that came or went. As Node's, it
   * starts watching at the first `next()` (which also throws its errors:
   * bad arguments, ENOENT) and runs until `break`, `return()` or the
   * signal; events between two steps are queued (see {@link WatchOptions}).
   * Read from the loop's one inotify fd, in its deliver phase.
   *
   * @example
   * ```ts
   * import { Loop } from '@evring/loop';
   * const fs = new Loop().fs.promises;
   * for await (const { eventType, filename } of fs.watch('/tmp', { signal: AbortSignal.timeout(10_000) })) {
   *   if (eventType === 'rename' && filename === 'ready') break;
   * }
   * ```
   */
  watch(
    filename: PathLike,
    options: WatchOptions & { encoding: 'buffer' },
  ): AsyncGenerator<WatchEvent<Buffer>, void, undefined>;
  watch(filename: PathLike, options?: WatchOptions): AsyncGenerator<WatchEvent, void, undefined>;
  watch(
    filename: PathLike,
    options?: WatchOptions,
  ): AsyncGenerator<WatchEvent<string | Buffer>, void, undefined> {
    return watchEvents(() => this.#files.inotify(), filename, options);
  }

  /** The status of `path`, following symbolic links (with `{ bigint: true }`, exact bigints). */
  stat(path: PathLike, options: StatOptions & { bigint: true }): Promise<BigIntFileStats>;
  stat(path: PathLike, options?: StatOptions & { bigint?: false }): Promise<FileStats>;
  stat(path: PathLike, options?: StatOptions): Promise<FileStats | BigIntFileStats>;
  stat(path: PathLike, options?: StatOptions): Promise<FileStats | BigIntFileStats> {
    try {
      const outcome = statOutcome(options);
      const signal = signalOf(options);
      return this.#files.atPath(OP_STATX, 'stat', outcome, path, 0, 0, null, signal) as Promise<
        FileStats | BigIntFileStats
      >;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** The status of `path` itself (with `{ bigint: true }`, exact bigints). */
  lstat(path: PathLike, options: StatOptions & { bigint: true }): Promise<BigIntFileStats>;
  lstat(path: PathLike, options?: StatOptions & { bigint?: false }): Promise<FileStats>;
  lstat(path: PathLike, options?: StatOptions): Promise<FileStats | BigIntFileStats>;
  lstat(path: PathLike, options?: StatOptions): Promise<FileStats | BigIntFileStats> {
    try {
      const outcome = statOutcome(options);
      const signal = signalOf(options);
      return this.#files.atPath(
        OP_STATX,
        'lstat',
        outcome,
        path,
        AT_SYMLINK_NOFOLLOW,
        0,
        null,
        signal,
      ) as Promise<FileStats | BigIntFileStats>;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * A call io_uring has no operation for (or, for copyFile, one made of
   * several), starting now: its arguments were checked; the loop must be
   * alive and evring's own `signal` not aborted. Gives the signal.
   */
  #direct(syscall: string, options: FileOpOptions | undefined): AbortSignal | null {
    const signal = signalOf(options);
    this.#files.checkLive(syscall);
    checkAborted(signal);
    return signal;
  }

  /**
   * access(2): resolves when the real user may reach `path` as `mode` asks
   * (F_OK, the default: it exists; or any of R_OK, W_OK, X_OK from
   * `constants`), rejects with its error (ENOENT, EACCES) otherwise.
   */
  async access(path: PathLike, mode?: number, options?: FileOpOptions): Promise<void> {
    const bytes = pathBytes('path', path);
    const m = bindingMode(mode);
    this.#direct('access', options);
    onPath.access(bytes, path, m);
  }

  /** chmod(2): the permission bits `mode` (a number, or an octal string such as `'644'`). */
  async chmod(path: PathLike, mode: number | string, options?: FileOpOptions): Promise<void> {
    const bytes = pathBytes('path', path);
    const m = requiredMode(mode);
    this.#direct('chmod', options);
    onPath.chmod(bytes, path, m);
  }

  /**
   * Rejects with ERR_METHOD_NOT_IMPLEMENTED, as `fs/promises`' does on
   * Linux: Linux has no mode of its own for a symbolic link.
   */
  async lchmod(_path: PathLike, _mode: number | string): Promise<void> {
    throw coded(new Error('The lchmod() method is not implemented'), 'ERR_METHOD_NOT_IMPLEMENTED');
  }

  /** chown(2): owner `uid` and group `gid` (−1 leaves one as it is), following symbolic links. */
  async chown(path: PathLike, uid: number, gid: number, options?: FileOpOptions): Promise<void> {
    this.#chown(path, uid, gid, false, options);
  }

  /** lchown(2): as {@link FilePromises.chown}, of a symbolic link itself. */
  async lchown(path: PathLike, uid: number, gid: number, options?: FileOpOptions): Promise<void> {
    this.#chown(path, uid, gid, true, options);
  }

  #chown(
    path: PathLike,
    uid: unknown,
    gid: unknown,
    noFollow: boolean,
    options: FileOpOptions | undefined,
  ): void {
    const bytes = pathBytes('path', path);
    const u = checkId('uid', uid);
    const g = checkId('gid', gid);
    this.#direct(noFollow ? 'lchown' : 'chown', options);
    onPath.chown(bytes, path, u, g, noFollow);
  }

  /**
   * Sets the access and modification times (a `Date`, or seconds since the
   * epoch; a negative number is now), to the microsecond as Node's, following
   * symbolic links.
   */
  async utimes(
    path: PathLike,
    atime: TimeLike,
    mtime: TimeLike,
    options?: FileOpOptions,
  ): Promise<void> {
    this.#utimes(path, atime, mtime, false, options);
  }

  /** As {@link FilePromises.utimes}, of a symbolic link itself. */
  async lutimes(
    path: PathLike,
    atime: TimeLike,
    mtime: TimeLike,
    options?: FileOpOptions,
  ): Promise<void> {
    this.#utimes(path, atime, mtime, true, options);
  }

  #utimes(
    path: PathLike,
    atime: unknown,
    mtime: unknown,
    noFollow: boolean,
    options: FileOpOptions | undefined,
  ): void {
    const bytes = pathBytes('path', path);
    const a = unixSeconds(atime, 'time'); // Node's name for both, in the path forms
    const m = unixSeconds(mtime, 'time');
    this.#direct(noFollow ? 'lutime' : 'utime', options);
    onPath.utimes(bytes, path, a, m, noFollow);
  }

  /** The target of the symbolic link `path`, as stored (a Buffer with `encoding: 'buffer'`). */
  readlink(
    path: PathLike,
    options: 'buffer' | (NameOptions & { encoding: 'buffer' }),
  ): Promise<Buffer>;
  readlink(path: PathLike, options?: BufferEncoding | NameOptions | null): Promise<string>;
  readlink(
    path: PathLike,
    options?: BufferEncoding | 'buffer' | NameOptions | null,
  ): Promise<string | Buffer>;
  async readlink(
    path: PathLike,
    options?: BufferEncoding | 'buffer' | NameOptions | null,
  ): Promise<string | Buffer> {
    const o = nameOptions(options);
    const bytes = pathBytes('oldPath', path); // Node's name for it
    this.#direct('readlink', o);
    return nameOf('readlink', bytes, path, o.encoding);
  }

  /**
   * The canonical absolute path of `path`: symbolic links, `.` and `..`
   * resolved, as realpath(3) (which Node's `fs/promises` uses too).
   */
  realpath(
    path: PathLike,
    options: 'buffer' | (NameOptions & { encoding: 'buffer' }),
  ): Promise<Buffer>;
  realpath(path: PathLike, options?: BufferEncoding | NameOptions | null): Promise<string>;
  realpath(
    path: PathLike,
    options?: BufferEncoding | 'buffer' | NameOptions | null,
  ): Promise<string | Buffer>;
  async realpath(
    path: PathLike,
    options?: BufferEncoding | 'buffer' | NameOptions | null,
  ): Promise<string | Buffer> {
    const o = nameOptions(options);
    const bytes = pathBytes('path', path);
    this.#direct('realpath', o);
    return nameOf('realpath', bytes, path, o.encoding);
  }

  /**
   * Copies the file `src` to `dest` (created, or replaced), with its mode,
   * as `fs/promises`' `copyFile`: `mode` may hold COPYFILE_EXCL (fail if
   * `dest` exists), COPYFILE_FICLONE (a reflink where the filesystem has
   * them, else a copy) or COPYFILE_FICLONE_FORCE (a reflink or an error).
   * The loop opens, reads, writes and closes (on io_uring, the kernel does);
   * on failure `dest` is removed, and the error says `copyfile` and both
   * paths, as Node's. An abort stops the copy between two steps, removing
   * `dest` once it was opened; one that lands while that open is in flight
   * cannot tell a file the open created from one that was there, and
   * leaves it.
   */
  async copyFile(
    src: PathLike,
    dest: PathLike,
    mode?: number,
    options?: FileOpOptions,
  ): Promise<void> {
    copyPaths(src, dest);
    const m = bindingMode(mode);
    return copyFile(this.#files, src, dest, m, this.#direct('copyfile', options));
  }

  /** rename(2). */
  rename(oldPath: PathLike, newPath: PathLike, options?: FileOpOptions): Promise<void> {
    try {
      return this.#files.twoPaths(OP_RENAMEAT, oldPath, newPath, null, signalOf(options))!;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** link(2): a second name, `newPath`, for the file at `existingPath`. */
  link(existingPath: PathLike, newPath: PathLike, options?: FileOpOptions): Promise<void> {
    try {
      return this.#files.twoPaths(OP_LINKAT, existingPath, newPath, null, signalOf(options))!;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * symlink(2): a symbolic link at `path` holding `target` as written;
   * `type` matters on Windows only, and is checked as Node checks it.
   */
  symlink(
    target: PathLike,
    path: PathLike,
    type?: SymlinkType | null,
    options?: FileOpOptions,
  ): Promise<void> {
    try {
      return this.#files.twoPaths(OP_SYMLINKAT, target, path, null, signalOf(options), type)!;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** unlink(2). */
  unlink(path: PathLike, options?: FileOpOptions): Promise<void> {
    try {
      return this.#files.atPath(
        OP_UNLINKAT,
        'unlink',
        Outcome.Void,
        path,
        0,
        0,
        null,
        signalOf(options),
      ) as Promise<void>;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** rmdir(2) of an empty directory (not recursive: see {@link RmdirOptions}). */
  rmdir(path: PathLike, options?: RmdirOptions): Promise<void> {
    try {
      const signal = rmdirSignal(path, options);
      return this.#files.atPath(
        OP_UNLINKAT,
        'rmdir',
        Outcome.Void,
        path,
        AT_REMOVEDIR,
        0,
        null,
        signal,
      ) as Promise<void>;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * statfs(2): the filesystem `path` is on, as `fs/promises`' `statfs`
   * gives it, in Node's own `fs.StatFs` (numbers; bigints with
   * `{ bigint: true }`): its type (magic number), block size, blocks, free
   * blocks, blocks free to users, inodes and free inodes. One direct call.
   */
  statfs(path: PathLike, options: StatOptions & { bigint: true }): Promise<BigIntStatsFs>;
  statfs(path: PathLike, options?: StatOptions & { bigint?: false }): Promise<StatsFs>;
  statfs(path: PathLike, options?: StatOptions): Promise<StatsFs | BigIntStatsFs>;
  async statfs(path: PathLike, options?: StatOptions): Promise<StatsFs | BigIntStatsFs> {
    const bytes = pathBytes('path', path);
    const bigint = statOutcome(options) === Outcome.BigStats;
    this.#direct('statfs', options ?? undefined);
    return statFsOf(bytes, path, bigint);
  }

  /**
   * Removes `path`, as `fs/promises`' `rm`: a file, a symbolic link (not
   * what it points to) or, with `recursive`, a directory and everything
   * under it; `force` makes a missing path no error; `maxRetries` and
   * `retryDelay` try a name again after EBUSY, EMFILE, ENFILE, ENOTEMPTY
   * or EPERM. Node's steps, each an operation of the loop: lstat, unlink,
   * rmdir, and a directory's entries read, at most 64 operations under way.
   * An abort stops it at the next operation; what was removed stays removed.
   */
  async rm(path: PathLike, options?: RmOptions): Promise<void> {
    pathBytes('path', path);
    const args = rmArguments(options);
    this.#direct('rm', args.signal === null ? undefined : { signal: args.signal });
    return remove(this, path, args);
  }

  /**
   * mkdir(2): `mode` (default 0o777) or `{ mode, recursive }`. Recursive, it
   * makes the missing parents too and resolves with the first directory
   * made (undefined when `path` already was one), as `fs/promises` does; an
   * abort then stops it between directories.
   */
  mkdir(path: PathLike, options: MkdirOptions & { recursive: true }): Promise<string | undefined>;
  mkdir(
    path: PathLike,
    options?: number | string | (MkdirOptions & { recursive?: false }),
  ): Promise<void>;
  mkdir(path: PathLike, options?: number | string | MkdirOptions): Promise<string | undefined>;
  mkdir(path: PathLike, options?: number | string | MkdirOptions): Promise<unknown> {
    try {
      pathBytes('path', path); // first, as Node checks it
      const { bits, recursive } = mkdirOptions(options, 'promise');
      const signal = signalOf(typeof options === 'object' ? options : undefined);
      if (!recursive) {
        return this.#files.atPath(
          OP_MKDIRAT,
          'mkdir',
          Outcome.Void,
          path,
          bits,
          0,
          null,
          signal,
        ) as Promise<undefined>;
      }
      const start = mkdirStart(path);
      if (signal?.aborted) return Promise.reject(abortError(signal)); // as an operation's own abort
      return new Promise<string | undefined>((resolve, reject) => {
        makeDirectories(start, this.#directorySteps(bits, signal), (err, first) =>
          err === null ? resolve(first) : reject(err),
        );
      });
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * Makes a new directory named `prefix` and six random characters (mode
   * 0o700), as `fs/promises`' `mkdtemp`; resolves with its path, in the
   * options' encoding (a UTF-8 string by default; `'buffer'`: a Buffer).
   * A name already taken is given up for another. An abort stops it before
   * its next try; a try already in flight is not cancelled, so a directory
   * it made is never left behind unreported.
   */
  mkdtemp(
    prefix: PathLike,
    options: 'buffer' | (MkdtempOptions & { encoding: 'buffer' }),
  ): Promise<Buffer>;
  mkdtemp(prefix: PathLike, options?: BufferEncoding | MkdtempOptions | null): Promise<string>;
  mkdtemp(
    prefix: PathLike,
    options?: BufferEncoding | 'buffer' | MkdtempOptions | null,
  ): Promise<string | Buffer>;
  mkdtemp(
    prefix: PathLike,
    options?: BufferEncoding | 'buffer' | MkdtempOptions | null,
  ): Promise<string | Buffer> {
    try {
      const { prefix: bytes, encoding } = mkdtempArguments(prefix, options);
      const signal = signalOf(
        typeof options === 'object' && options !== null ? options : undefined,
      );
      if (signal?.aborted) return Promise.reject(abortError(signal)); // as an operation's own abort
      const files = this.#files;
      return new Promise<string | Buffer>((resolve, reject) => {
        makeTempDirectory(
          bytes,
          (path, done) => {
            if (signal?.aborted) return done(abortError(signal) as unknown as FileSystemError);
            let made: Promise<unknown>;
            try {
              made = files.atPath(
                OP_MKDIRAT,
                'mkdtemp',
                Outcome.Void,
                path,
                MKDTEMP_MODE,
                0,
                null,
                null,
              )!;
            } catch (err) {
              return done(err as FileSystemError); // the loop was destroyed between two tries
            }
            made.then(() => done(null), done);
          },
          (err, path) => (err === null ? resolve(encodePath(path!, encoding)) : reject(err)),
        );
      });
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** The steps of a recursive mkdir as promises: a destroyed loop rejects them; an abort stops the next. */
  #directorySteps(bits: number, signal: AbortSignal | null): DirectorySteps {
    const files = this.#files;
    const aborted = (): FileSystemError | null =>
      signal?.aborted ? (abortError(signal) as unknown as FileSystemError) : null;
    return {
      mkdir(at, done) {
        const stop = aborted();
        if (stop !== null) return done(stop);
        let made: Promise<unknown>;
        try {
          made = files.atPath(OP_MKDIRAT, 'mkdir', Outcome.Void, at, bits, 0, null, signal)!;
        } catch (err) {
          return done(err as FileSystemError); // the loop was destroyed between two steps
        }
        made.then(() => done(null), done);
      },
      kindOf(at, done) {
        let asked: Promise<unknown>;
        try {
          asked = files.atPath(OP_STATX, 'stat', Outcome.Stats, at, 0, 0, null, null)!;
        } catch (err) {
          return done('none', err as FileSystemError); // the loop was destroyed between two steps
        }
        asked.then(
          (stats) => done(nameKind(stats as FileStats), null),
          (err) => done('none', err as FileSystemError),
        );
      },
    };
  }

  /** Truncates the file at `path` to `len` bytes (default 0). */
  async truncate(path: PathLike, len = 0, options?: FileOpOptions): Promise<void> {
    const fh = await this.#openHandle(path, 'r+', undefined, options);
    try {
      await fh.truncate(len);
    } finally {
      await fh.close();
    }
  }

  /** The whole file, as `fs/promises`' readFile: a Buffer, or a string with an encoding. */
  readFile(
    path: PathLike | LoopFileHandle,
    options: ReadFileOptions & { encoding: BufferEncoding },
  ): Promise<string>;
  readFile(path: PathLike | LoopFileHandle, options: BufferEncoding): Promise<string>;
  readFile(path: PathLike | LoopFileHandle, options?: ReadFileOptions | null): Promise<Buffer>;
  async readFile(
    path: PathLike | LoopFileHandle,
    opts?: ReadFileOptions | BufferEncoding | null,
  ): Promise<Buffer | string> {
    const o = contentOptions<ReadFileOptions>(opts);
    if (path instanceof LoopFileHandle) return path.readFile(o);
    const signal = signalOf(o);
    checkAborted(signal);
    const fh = await this.#openHandle(path, o.flag || 'r', undefined, o);
    try {
      const bytes = await readAll(this.#files, fh.fd, true, signal);
      return decoded(bytes, o.encoding);
    } finally {
      await fh.close();
    }
  }

  /** Writes `data` as the file's content, as `fs/promises`' writeFile (flag 'w': created or truncated). */
  async writeFile(
    path: PathLike | LoopFileHandle,
    data: WriteFileData,
    opts?: WriteFileOptions | BufferEncoding | null,
  ): Promise<void> {
    const o = contentOptions<WriteFileOptions>(opts);
    const flush = o.flush ?? false;
    if (typeof flush !== 'boolean') throw invalidType('options.flush', 'of type boolean', flush);
    if (path instanceof LoopFileHandle) return path.writeFile(data, o);
    const source = writeSource(data, o.encoding);
    const signal = signalOf(o);
    checkAborted(signal);
    const fh = await this.#openHandle(path, o.flag || 'w', o.mode, o); // a falsy flag too, as Node's
    try {
      await writeFrom(this.#files, fh.fd, source, o.encoding, signal);
      if (flush) await fh.sync();
    } finally {
      await fh.close();
    }
  }

  /** Appends `data` to the file (created if missing), as `fs/promises`' appendFile. */
  async appendFile(
    path: PathLike | LoopFileHandle,
    data: WriteFileData,
    opts?: WriteFileOptions | BufferEncoding | null,
  ): Promise<void> {
    const o = contentOptions<WriteFileOptions>(opts);
    return this.writeFile(path, data, { ...o, flag: o.flag || 'a' });
  }
}
